//! The diagnostic model shared by the engine, the rules and the reporters.
//!
//! A diagnostic never holds a `proc_macro2::Span`: spans are turned into [`Loc`]s (byte range plus
//! 1-based line/column) while the file is being checked, because the span source map is released
//! after each file.

use std::fmt;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

/// How serious a finding is. Ordered: `Info < Warning < Error`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    pub fn parse(s: &str) -> Option<Severity> {
        match s {
            "info" | "note" => Some(Severity::Info),
            "warning" | "warn" => Some(Severity::Warning),
            "error" => Some(Severity::Error),
            _ => None,
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The rule families of SPEC.md. `--select`/`--ignore` accept a family name for all its rules.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Family {
    Layers,
    Naming,
    Async,
    Migrations,
    Security,
    Validation,
    Errors,
    Performance,
    Logging,
    Engine,
}

impl Family {
    pub const ALL: [Family; 10] = [
        Family::Layers,
        Family::Naming,
        Family::Async,
        Family::Migrations,
        Family::Security,
        Family::Validation,
        Family::Errors,
        Family::Performance,
        Family::Logging,
        Family::Engine,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Family::Layers => "layers",
            Family::Naming => "naming",
            Family::Async => "async",
            Family::Migrations => "migrations",
            Family::Security => "security",
            Family::Validation => "validation",
            Family::Errors => "errors",
            Family::Performance => "performance",
            Family::Logging => "logging",
            Family::Engine => "engine",
        }
    }

    pub fn parse(s: &str) -> Option<Family> {
        Family::ALL.into_iter().find(|f| f.as_str() == s)
    }
}

impl fmt::Display for Family {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A 1-based line and a 1-based column counted in Unicode scalar values (what rustc, SARIF's
/// `unicodeCodePoints` and proc-macro2 call a column).
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default,
)]
pub struct Position {
    pub line: u32,
    pub column: u32,
}

/// A located range in one file. `start`/`end` are byte offsets into the file as it is on disk
/// (a UTF-8 BOM counts), `end` exclusive; the positions exclude the BOM, as editors do.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Loc {
    pub file: Arc<str>,
    pub start: usize,
    pub end: usize,
    pub start_pos: Position,
    pub end_pos: Position,
    /// The item the location is inside (`impl UserService::create`, `fn main`), for fingerprints.
    pub item: Arc<str>,
    /// Hash of the whitespace-normalised source text of the range, for fingerprints.
    pub snippet_hash: u64,
}

impl Loc {
    /// A location covering a whole file that has no text worth pointing at (file-name rules,
    /// unreadable files).
    pub fn file_start(file: Arc<str>) -> Loc {
        Loc {
            file,
            start: 0,
            end: 0,
            start_pos: Position { line: 1, column: 1 },
            end_pos: Position { line: 1, column: 1 },
            item: Arc::from(""),
            snippet_hash: 0,
        }
    }
}

/// A secondary label: another place in the same file that explains the finding.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Label {
    pub loc: Loc,
    pub message: String,
}

/// One finding.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub rule: &'static str,
    pub family: Family,
    pub severity: Severity,
    pub message: String,
    /// Text of the primary label (under the snippet). Defaults to a short form of the message.
    pub label: Option<String>,
    pub help: Option<String>,
    pub loc: Loc,
    pub labels: Vec<Label>,
    /// Stable identity for baselines and SARIF (rule + file + item + snippet + occurrence).
    pub fingerprint: String,
    /// Set when the finding only holds if a project-wide fact is confirmed (see [`Requirement`]).
    pub requires: Option<Requirement>,
}

/// A diagnostic as stored (the cache): the rule id owned, mapped back to the registered one.
#[derive(Deserialize)]
struct DiagnosticRepr {
    rule: String,
    family: Family,
    severity: Severity,
    message: String,
    label: Option<String>,
    help: Option<String>,
    loc: Loc,
    labels: Vec<Label>,
    fingerprint: String,
    requires: Option<Requirement>,
}

// By hand: a derive would require the input to outlive `'static` for the `&'static str` id.
impl<'de> Deserialize<'de> for Diagnostic {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Diagnostic, D::Error> {
        Diagnostic::try_from(DiagnosticRepr::deserialize(d)?).map_err(serde::de::Error::custom)
    }
}

impl TryFrom<DiagnosticRepr> for Diagnostic {
    type Error = String;

    fn try_from(r: DiagnosticRepr) -> Result<Diagnostic, String> {
        let rule = crate::rule::registered_id(&r.rule)
            .ok_or_else(|| format!("unknown rule `{}`", r.rule))?;
        Ok(Diagnostic {
            rule,
            family: r.family,
            severity: r.severity,
            message: r.message,
            label: r.label,
            help: r.help,
            loc: r.loc,
            labels: r.labels,
            fingerprint: r.fingerprint,
            requires: r.requires,
        })
    }
}

impl Diagnostic {
    pub fn new(
        rule: &'static str,
        family: Family,
        severity: Severity,
        loc: Loc,
        message: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic {
            rule,
            family,
            severity,
            message: message.into(),
            label: None,
            help: None,
            loc,
            labels: Vec::new(),
            fingerprint: String::new(),
            requires: None,
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn with_label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    pub fn with_secondary(mut self, loc: Loc, message: impl Into<String>) -> Self {
        self.labels.push(Label {
            loc,
            message: message.into(),
        });
        self
    }

    /// The documentation link of the rule.
    pub fn docs_url(&self) -> String {
        crate::rule::docs_url(self.rule)
    }

    /// The total order used for every output: file, position, rule, message.
    pub fn sort_key(&self) -> (&str, Position, usize, &str, &str) {
        (
            &self.loc.file,
            self.loc.start_pos,
            self.loc.start,
            self.rule,
            &self.message,
        )
    }
}

/// A condition that a per-file finding depends on and that only the whole project can settle.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Requirement {
    /// The finding holds if the function with this canonical path is a request handler, i.e. it is
    /// registered as a route somewhere in the project.
    FnIsHandler(String),
    /// The finding holds unless the function `callee` hands its argument number `arg` (a closure
    /// the finding is in) to an escape hatch such as `spawn_blocking`, i.e. runs it off the
    /// executor.
    NotOffloaded { callee: String, arg: usize },
}

/// FNV-1a, 64 bit: a stable hash for fingerprints (std's `DefaultHasher` is not stable across
/// releases, and fingerprints are stored in baselines).
pub fn stable_hash(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// Hash of `text` with all whitespace runs removed, so re-indentation and line moves keep it.
pub fn normalized_hash(text: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.bytes().filter(|b| !b.is_ascii_whitespace()) {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// Compute every diagnostic's fingerprint: `hash(rule, file, item, snippet):occurrence`, where the
/// occurrence counts identical tuples in source order, so two equal findings in one item differ.
/// Expects `diags` sorted.
pub fn assign_fingerprints(diags: &mut [Diagnostic]) {
    let mut seen: rustc_hash::FxHashMap<u64, u32> = Default::default();
    for d in diags.iter_mut() {
        let mut key = Vec::with_capacity(64);
        key.extend_from_slice(d.rule.as_bytes());
        key.push(0);
        key.extend_from_slice(d.loc.file.as_bytes());
        key.push(0);
        key.extend_from_slice(d.loc.item.as_bytes());
        key.push(0);
        key.extend_from_slice(&d.loc.snippet_hash.to_le_bytes());
        if d.loc.snippet_hash == 0 {
            // Nothing to point at (file-level findings): the message is the identity.
            key.extend_from_slice(d.message.as_bytes());
        }
        let h = stable_hash(&key);
        let n = seen.entry(h).or_insert(0);
        *n += 1;
        d.fingerprint = format!("{h:016x}:{n}");
    }
}
