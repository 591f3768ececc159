//! The engine's own findings: files it could not check, and suppression hygiene. They are rules
//! like any other (selectable, suppressible, documented), emitted by the pipeline itself.

use crate::diagnostic::{Family, Severity};
use crate::rule::RuleMeta;

pub static SYNTAX_ERROR: RuleMeta = RuleMeta {
    id: "syntax-error",
    family: Family::Engine,
    severity: Severity::Error,
    doc: include_str!("../../../rules/engine/syntax-error.md"),
    default_enabled: true,
};

pub static UNREADABLE_FILE: RuleMeta = RuleMeta {
    id: "unreadable-file",
    family: Family::Engine,
    severity: Severity::Error,
    doc: include_str!("../../../rules/engine/unreadable-file.md"),
    default_enabled: true,
};

pub static FILE_TOO_LARGE: RuleMeta = RuleMeta {
    id: "file-too-large",
    family: Family::Engine,
    severity: Severity::Warning,
    doc: include_str!("../../../rules/engine/file-too-large.md"),
    default_enabled: true,
};

pub static UNUSED_SUPPRESSION: RuleMeta = RuleMeta {
    id: "unused-suppression",
    family: Family::Engine,
    severity: Severity::Warning,
    doc: include_str!("../../../rules/engine/unused-suppression.md"),
    default_enabled: true,
};

pub static INVALID_SUPPRESSION: RuleMeta = RuleMeta {
    id: "invalid-suppression",
    family: Family::Engine,
    severity: Severity::Warning,
    doc: include_str!("../../../rules/engine/invalid-suppression.md"),
    default_enabled: true,
};

pub static INTERNAL_ERROR: RuleMeta = RuleMeta {
    id: "internal-error",
    family: Family::Engine,
    severity: Severity::Error,
    doc: include_str!("../../../rules/engine/internal-error.md"),
    default_enabled: true,
};

/// All engine rules.
pub fn metas() -> [&'static RuleMeta; 6] {
    [
        &SYNTAX_ERROR,
        &UNREADABLE_FILE,
        &FILE_TOO_LARGE,
        &UNUSED_SUPPRESSION,
        &INVALID_SUPPRESSION,
        &INTERNAL_ERROR,
    ]
}
