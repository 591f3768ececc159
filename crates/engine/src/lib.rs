//! stratalint's engine: project discovery, the parallel walk, one parse per file, the semantic
//! model (name resolution, scopes, layers, handlers), the rule API, suppressions and the pipeline
//! that runs a check. See ARCHITECTURE.md for the map.

pub mod baseline;
pub mod cache;
pub mod config;
pub mod deps;
pub mod diagnostic;
pub mod engine_rules;
pub mod facts;
pub mod layers;
pub mod lexer;
pub mod modscan;
pub mod pipeline;
pub mod project;
pub mod rule;
pub mod semantic;
pub mod source;
pub mod suppress;
pub mod visit;

pub use config::{Config, ConfigError};
pub use diagnostic::{Diagnostic, Family, Label, Loc, Position, Severity};
pub use layers::{LayerMap, Role};
pub use pipeline::{check, CheckError, CheckOptions, CheckResult, ProjectCx, StdinInput};
pub use rule::{ExprKinds, Hooks, Rule, RuleMeta, RuleOptions, TextFile};
pub use semantic::{QualifiedName, StrOrigin};
pub use visit::{
    Call, Cx, Derive, FnNode, MacroCall, MethodCall, PathKind, PathRef, TextCx, UseLeaf,
};

// Rules depend on the same syn as the engine.
pub use proc_macro2;
pub use syn;
