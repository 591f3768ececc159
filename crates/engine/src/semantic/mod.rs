//! The shared semantic model every rule reads: name resolution, scopes, local values, handler
//! detection and macro arguments. Written once here so that rules stay small.

pub mod conditions;
pub mod handlers;
pub mod macros;
pub mod names;
pub mod resolve;
pub mod scope;
pub mod values;

pub use conditions::Condition;
pub use names::QualifiedName;
pub use scope::{FnInfo, HandlerStatus, LoopKind};
pub use values::{LocalVar, StrOrigin};
