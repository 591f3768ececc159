//! Baselines: adopt stratalint in existing code by recording today's findings, so that only new
//! ones fail. Entries are matched by fingerprint (rule, file, enclosing item, normalised snippet and
//! occurrence, but no line numbers), so moving code or editing elsewhere in a file keeps them
//! matched. Entries that match nothing any more are reported, so the baseline only shrinks.

use std::collections::BTreeSet;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::diagnostic::Diagnostic;

const FORMAT_VERSION: u32 = 1;

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Entry {
    pub file: String,
    pub rule: String,
    pub fingerprint: String,
    /// For people reading the file; not used to match.
    pub message: String,
}

#[derive(Serialize, Deserialize, Debug, Default)]
pub struct Baseline {
    pub version: u32,
    pub entries: Vec<Entry>,
}

/// What applying a baseline did.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Findings hidden because the baseline knows them.
    pub matched: usize,
    /// Entries for checked files that matched no finding: fixed (or changed beyond recognition).
    pub stale: Vec<Entry>,
}

impl Baseline {
    /// The baseline for a set of findings.
    pub fn from_diagnostics(diags: &[Diagnostic]) -> Baseline {
        let mut entries: Vec<Entry> = diags
            .iter()
            .map(|d| Entry {
                file: d.loc.file.to_string(),
                rule: d.rule.to_string(),
                fingerprint: d.fingerprint.clone(),
                message: d.message.clone(),
            })
            .collect();
        entries.sort();
        Baseline {
            version: FORMAT_VERSION,
            entries,
        }
    }

    pub fn load(path: &Path) -> Result<Baseline, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read baseline {}: {e}", path.display()))?;
        let b: Baseline = serde_json::from_str(&text)
            .map_err(|e| format!("{}: not a stratalint baseline: {e}", path.display()))?;
        if b.version != FORMAT_VERSION {
            return Err(format!(
                "{}: baseline format {} is not supported (expected {FORMAT_VERSION}); write it again with --write-baseline",
                path.display(),
                b.version
            ));
        }
        Ok(b)
    }

    /// Write atomically (a temporary file renamed over the target), so an interrupted write never
    /// leaves half a baseline.
    pub fn write(&self, path: &Path) -> std::io::Result<()> {
        let mut text = serde_json::to_string_pretty(self).map_err(std::io::Error::other)?;
        text.push('\n');
        let tmp = path.with_extension("tmp-stratalint");
        std::fs::write(&tmp, text)?;
        std::fs::rename(&tmp, path)
    }

    /// Drop the findings the baseline knows. `checked` are the files this run looked at: entries of
    /// other files are neither matched nor stale.
    pub fn apply(&self, diags: &mut Vec<Diagnostic>, checked: &BTreeSet<&str>) -> Outcome {
        let known: BTreeSet<(&str, &str)> = self
            .entries
            .iter()
            .map(|e| (e.file.as_str(), e.fingerprint.as_str()))
            .collect();
        let mut used: BTreeSet<(String, String)> = BTreeSet::new();
        let before = diags.len();
        diags.retain(|d| {
            let key = (&*d.loc.file, d.fingerprint.as_str());
            if known.contains(&key) {
                used.insert((key.0.to_string(), key.1.to_string()));
                false
            } else {
                true
            }
        });
        let stale = self
            .entries
            .iter()
            .filter(|e| checked.contains(e.file.as_str()))
            .filter(|e| !used.contains(&(e.file.clone(), e.fingerprint.clone())))
            .cloned()
            .collect();
        Outcome {
            matched: before - diags.len(),
            stale,
        }
    }
}
