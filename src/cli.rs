//! Command-line arguments.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Parser, Debug)]
#[command(
    name = "stratalint",
    version,
    about = "A fast convention checker for Rust backends: layers, async I/O, naming, migrations, security.",
    long_about = None,
    propagate_version = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

// Parsed once per run: the size of the `check` variant does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Subcommand, Debug)]
pub enum Command {
    /// Check a project (the default path is `.`).
    Check(Box<CheckArgs>),
    /// List the rules: id, family, default severity, summary.
    Rules(RulesArgs),
    /// Remove the cache (`.stratalint_cache/`) of the project at PATH (default `.`).
    Clean { path: Option<PathBuf> },
    /// Print a rule's documentation.
    Rule {
        /// The rule id, e.g. `blocking-call-in-async`.
        id: String,
    },
    /// Look at a project and write a `stratalint.toml` whose layer map fits it.
    Init(crate::arch_commands::InitArgs),
    /// Draw the layers and the dependencies between them (Mermaid or DOT).
    Graph(crate::arch_commands::GraphArgs),
    /// Internal tools for benchmarking and debugging.
    #[command(hide = true)]
    Debug {
        #[command(subcommand)]
        command: DebugCommand,
    },
}

#[derive(Subcommand, Debug)]
pub enum DebugCommand {
    /// The parse-only floor: discover, walk, read and parse every Rust file, nothing else.
    ParseOnly {
        paths: Vec<PathBuf>,
        #[arg(short, long)]
        jobs: Option<usize>,
        /// Parse as `check` does: the pre-parse scan, doc comments made plain comments.
        #[arg(long)]
        like_check: bool,
    },
}

#[derive(Args, Debug)]
pub struct RulesArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = ListFormat::Text)]
    pub format: ListFormat,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ListFormat {
    Text,
    Json,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum FailOn {
    Error,
    Warning,
    Info,
}

#[derive(Args, Debug)]
pub struct CheckArgs {
    /// Files or directories to check; the project around them gives the context (layers,
    /// cross-file facts).
    pub paths: Vec<PathBuf>,

    /// Use this configuration file instead of discovering one.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Output format: human, concise, json, json-lines, sarif, github, junit, rustc-json.
    #[arg(
        long,
        short = 'f',
        value_name = "FORMAT",
        default_value = "human",
        env = "STRATALINT_OUTPUT_FORMAT"
    )]
    pub format: String,

    /// Write the report to FILE instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Rules or families to run (comma-separated; replaces the config's `select`). `ALL` for all.
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    pub select: Vec<String>,

    /// Rules or families to skip (comma-separated; added to the config's `ignore`).
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    pub ignore: Vec<String>,

    /// Lowest severity that makes the exit code 1 (default: the config's `fail-on`, else warning).
    #[arg(long, value_enum)]
    pub fail_on: Option<FailOn>,

    /// Exit 0 even when there are findings (errors of stratalint itself still exit 2).
    #[arg(long)]
    pub exit_zero: bool,

    /// Color: auto (a terminal without NO_COLOR), always, never.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    /// Number of worker threads (default: one per core).
    #[arg(long, short = 'j')]
    pub jobs: Option<usize>,

    /// Apply `files.exclude` to files named on the command line too (for pre-commit).
    #[arg(long)]
    pub force_exclude: bool,

    /// After the report, print the number of findings per rule.
    #[arg(long)]
    pub statistics: bool,

    /// Only print the summary line (and errors).
    #[arg(long, short = 'q')]
    pub quiet: bool,

    /// Neither read nor write the cache (`.stratalint_cache/` under the project root).
    #[arg(long)]
    pub no_cache: bool,

    /// Lint standard input as if it were this file (for editors and unsaved buffers); the project
    /// around the path is the context.
    #[arg(long, value_name = "PATH", conflicts_with = "changed_since")]
    pub stdin_filename: Option<PathBuf>,

    /// Check only the files changed since this git revision (committed, staged, unstaged and
    /// untracked) under the checked paths, with the whole project as context. Git runs in the
    /// repository of the checked paths, not necessarily the current directory.
    #[arg(long, value_name = "REV")]
    pub changed_since: Option<String>,

    /// Hide the findings recorded in this baseline (default: the config's `baseline`); report
    /// the entries that no longer match.
    #[arg(long, value_name = "FILE", conflicts_with = "write_baseline")]
    pub baseline: Option<PathBuf>,

    /// Record the current findings in FILE (a baseline) and exit 0.
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<PathBuf>,

    /// Rename misnamed migrations to the convention (never overwriting a file), print what was
    /// renamed and what was not, then check.
    #[arg(long, conflicts_with_all = ["diff", "stdin_filename"])]
    pub fix: bool,

    /// Print the renames `--fix` would do, without doing them (exit 1 if there are some).
    #[arg(long, conflicts_with = "stdin_filename")]
    pub diff: bool,
}
