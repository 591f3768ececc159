//! One file's bytes checked in memory, as [`check`](super::check) checks that file inside its
//! project: the same per-file pipeline (decode, suppressions, depth guard, parse, one walk with
//! the rules), then the rules' cross-file pass on this file's facts, the settling of conditional
//! findings, suppressions, severities and the sort. Nothing is read or written per call: the
//! project around the file is discovered once, in [`SourceChecker::new`]. The end of the check
//! is [`check`](super::check)'s own (`settle`), with the other files of the project not walked.
//!
//! For the fuzzers (`fuzz/`) and for callers holding text rather than files. A panic in a rule is
//! caught, as in a check, and becomes an `internal-error` finding.

use std::path::Path;
use std::sync::Arc;

use super::{all_metas, check_file, enabled_for, select_rules, settle, Plan, Selection};
use crate::config::{Config, ConfigError};
use crate::diagnostic::Diagnostic;
use crate::project::{self, FileInfo, FileKind, Project};
use crate::rule::{register_doc_families, Rule, RuleMeta};
use crate::visit::Dispatch;

/// Checks files given as bytes, in the context of one project.
pub struct SourceChecker {
    project: Project,
    config: Config,
    rules: Vec<Box<dyn Rule>>,
    metas: Vec<&'static RuleMeta>,
    selection: Selection,
    /// Per file of the project: the rules on and their severity overrides (as in `check`).
    plans: Vec<Plan>,
}

impl SourceChecker {
    /// `rel_paths` are the files [`SourceChecker::check`] may be given (relative to the root,
    /// `/`-separated; they need not exist). With a `root`, the project there is their context
    /// (its manifests, crates and module tree, read now); without one they are alone, in no crate.
    /// The rules get their `[rules.<id>]` options from `config`.
    pub fn new(
        root: Option<&Path>,
        rel_paths: &[&str],
        config: Config,
        mut rules: Vec<Box<dyn Rule>>,
    ) -> Result<SourceChecker, ConfigError> {
        let metas = all_metas(&rules);
        register_doc_families(&metas);
        config.configure_rules(&mut rules)?;
        let project = match root {
            Some(root) => {
                let files: Vec<_> = rel_paths.iter().map(|r| (root.join(r), 0)).collect();
                let report: Vec<_> = files.iter().map(|(p, _)| p.clone()).collect();
                project::discover(root, &report, &files, &config, false)
            }
            None => {
                let mut alone = Project::default();
                alone.files = rel_paths.iter().map(|r| lone_file(r, &config)).collect();
                alone
            }
        };
        let selection = select_rules(&config, &metas);
        let plans = project
            .files
            .iter()
            .map(|f| {
                let (on, sev) = enabled_for(&config, &selection, &metas, &f.rel);
                (on, sev, 0)
            })
            .collect();
        Ok(SourceChecker {
            project,
            config,
            rules,
            metas,
            selection,
            plans,
        })
    }

    /// Check `bytes` as the file `rel_path` (one of those given to [`SourceChecker::new`];
    /// another path gets no findings): its walk, then the end of a check with it as the only file
    /// walked. Returns its findings, sorted and fingerprinted, as a check reports them.
    pub fn check(&self, rel_path: &str, bytes: &[u8]) -> Vec<Diagnostic> {
        let Some(fi) = self.project.files.iter().position(|f| &*f.rel == rel_path) else {
            return Vec::new();
        };
        let mut file = self.project.files[fi].clone();
        file.size = bytes.len() as u64;
        let n_engine = crate::engine_rules::metas().len();
        let on = &self.plans[fi].0;
        let dispatch = Dispatch::new(&self.rules, &on[n_engine..]);
        let read = (file.size <= self.config.files.max_file_size).then(|| Ok(bytes.to_vec()));
        let mut walked = Some(check_file(
            &file,
            read,
            &self.project,
            &self.config,
            &self.rules,
            &self.metas[n_engine..],
            &dispatch,
            n_engine,
            on,
        ));
        // the other files are context: not walked
        let results = self
            .plans
            .iter()
            .enumerate()
            .map(|(i, (_, sev, _))| {
                let res = if i == fi { walked.take() } else { None };
                (res.unwrap_or_default(), sev.clone())
            })
            .collect();
        let mut out = settle(
            &self.project,
            &self.config,
            &self.rules,
            &self.metas,
            &self.selection,
            n_engine,
            &self.plans,
            results,
        )
        .diagnostics;
        out.retain(|d| &*d.loc.file == rel_path);
        out
    }
}

/// A file of no crate, placed as discovery places such files: module path from its location,
/// layer and test status from the configuration.
fn lone_file(rel: &str, config: &Config) -> FileInfo {
    let module = project::module_from_location(rel, None);
    let layer = config.layers.layer_of(rel, &module, None);
    FileInfo {
        abs: Path::new(rel).to_path_buf(),
        rel: Arc::from(rel),
        kind: FileKind::of(rel),
        size: 0,
        stamp: None,
        crate_idx: None,
        module,
        reachable: false,
        target: None,
        is_test: config.files.tests.is_match(rel),
        layer,
        role: layer.and_then(|l| config.layers.role(l)),
        report: true,
    }
}

/// Check `bytes` as the file `rel_path` of a project that has nothing else, with the default
/// configuration (the default-enabled rules among `rules`).
pub fn check_source(rel_path: &str, bytes: &[u8], rules: Vec<Box<dyn Rule>>) -> Vec<Diagnostic> {
    match SourceChecker::new(None, &[rel_path], Config::default_config(), rules) {
        Ok(checker) => checker.check(rel_path, bytes),
        // the default configuration has no rule options to reject
        Err(_) => Vec::new(),
    }
}
