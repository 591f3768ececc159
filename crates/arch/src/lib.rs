//! Seeing and setting up the architecture, on top of the engine:
//!
//! - [`init`] inspects a project — folder and file names, workspace crates, Cargo.toml
//!   dependencies, route registrations, migration folders — and writes a commented
//!   `stratalint.toml` whose layer map fits it;
//! - [`graph`] turns the dependency graph of a check into the picture people think in: layers as
//!   nodes, the real dependencies between them as edges with counts, forbidden edges marked, in
//!   Mermaid and DOT; or the modules of one layer.

pub mod graph;
pub mod init;
