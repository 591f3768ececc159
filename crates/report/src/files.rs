//! What several formats need from the files their findings are in: the text, read once per file,
//! and the lines of a finding.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use stratalint_engine::{Loc, Position};

use crate::source::IndexedSource;
use crate::Report;

/// A finding about the file itself (a file-name rule, an unreadable file) rather than about text
/// in it: an empty range at the very start, see `Loc::file_start`.
pub(crate) fn is_file_level(loc: &Loc) -> bool {
    loc.start == 0 && loc.end == 0 && loc.start_pos == Position { line: 1, column: 1 }
}

/// The project root made absolute, with symlinks resolved when it exists.
pub(crate) fn absolute_root(root: &Path) -> PathBuf {
    root.canonicalize()
        .or_else(|_| std::path::absolute(root))
        .unwrap_or_else(|_| root.to_path_buf())
}

/// Where GitHub's paths start, and the project root's path from there (`backend/`, or empty): the
/// repository root, i.e. the nearest directory at or above the project root with a `.git`, since
/// GitHub resolves annotation and SARIF paths against the checkout; the project root itself
/// outside a repository.
pub(crate) fn repository_base(root: &Path) -> (PathBuf, String) {
    let root = absolute_root(root);
    let base = root
        .ancestors()
        .find(|dir| dir.join(".git").exists())
        .unwrap_or(&root)
        .to_path_buf();
    let prefix = match root.strip_prefix(&base) {
        Ok(rel) if !rel.as_os_str().is_empty() => {
            let mut p = rel.to_string_lossy().replace('\\', "/");
            p.push('/');
            p
        }
        _ => String::new(),
    };
    (base, prefix)
}

/// Reads each file once. Diagnostics arrive sorted by file, so remembering the last file is
/// enough, and memory stays at one file however many have findings.
pub(crate) struct Files<'r> {
    report: &'r Report<'r>,
    current: Option<(Arc<str>, Option<IndexedSource>)>,
}

impl<'r> Files<'r> {
    pub(crate) fn new(report: &'r Report<'r>) -> Files<'r> {
        Files {
            report,
            current: None,
        }
    }

    /// The text of `file`, or `None` for missing (deleted since the check) and non-UTF-8 files.
    pub(crate) fn get(&mut self, file: &Arc<str>) -> Option<&IndexedSource> {
        if self.current.as_ref().is_none_or(|(name, _)| name != file) {
            let source = self
                .read(file)
                .map(|text| IndexedSource::new(file.clone(), text));
            self.current = Some((file.clone(), source));
        }
        self.current.as_ref()?.1.as_ref()
    }

    fn read(&self, file: &str) -> Option<Arc<str>> {
        if let Some(text) = self.report.sources.and_then(|s| s.get(file)) {
            return Some(text.clone());
        }
        let bytes = std::fs::read(self.report.root.join(file)).ok()?;
        String::from_utf8(bytes).ok().map(Arc::from)
    }

    /// The text of every line `loc` covers (without terminators), when the file still has the
    /// text the finding was computed on; `None` when it is gone or has changed.
    pub(crate) fn lines(&mut self, loc: &Loc) -> Option<Vec<&str>> {
        let source = self.get(&loc.file)?;
        source.span(loc.start, loc.end)?;
        let first = source.line_of(loc.start) + 1;
        let last = source.line_of(loc.end) + 1;
        if first != loc.start_pos.line as usize || last != loc.end_pos.line as usize {
            return None;
        }
        (first..=last).map(|line| source.line_text(line)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repository_base_is_the_checkout() {
        let tmp = tempfile::tempdir().unwrap();
        let repo = tmp.path().canonicalize().unwrap();
        let project = repo.join("services/my api");
        std::fs::create_dir_all(&project).unwrap();
        assert_eq!(repository_base(&project), (project.clone(), String::new()));
        std::fs::create_dir(repo.join(".git")).unwrap();
        assert_eq!(
            repository_base(&project),
            (repo.clone(), "services/my api/".to_string())
        );
        assert_eq!(repository_base(&repo), (repo, String::new()));
    }
}
