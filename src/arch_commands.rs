//! `init` and `graph`: setting up and seeing the architecture (see `crates/arch`).

use std::io::Write;
use std::path::PathBuf;

use clap::{Args, ValueEnum};
use stratalint_arch::graph::{self, Format};
use stratalint_engine::{CheckError, CheckOptions};

use crate::commands::{cwd, fail};

#[derive(Args, Debug)]
pub struct InitArgs {
    /// The project to look at (default `.`); `stratalint.toml` is written there.
    pub path: Option<PathBuf>,
    /// Print the configuration instead of writing it.
    #[arg(long)]
    pub stdout: bool,
    /// Overwrite an existing `stratalint.toml`.
    #[arg(long)]
    pub force: bool,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum GraphFormat {
    /// A Mermaid flowchart (renders in GitHub markdown and PR comments inside ```mermaid).
    Mermaid,
    /// Graphviz DOT (`dot -Tsvg`).
    Dot,
}

#[derive(Args, Debug)]
pub struct GraphArgs {
    /// The project (default `.`).
    pub path: Option<PathBuf>,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = GraphFormat::Mermaid)]
    pub format: GraphFormat,
    /// Draw the modules of this layer (and the layers they touch) instead of the layers.
    #[arg(long, value_name = "LAYER")]
    pub modules: Option<String>,
    /// Use this configuration file instead of discovering one.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Write the graph to FILE instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Neither read nor write the cache (`.stratalint_cache/` under the project root).
    #[arg(long)]
    pub no_cache: bool,
}

pub fn init(args: InitArgs) -> i32 {
    let root = cwd().join(args.path.unwrap_or_else(|| PathBuf::from(".")));
    let Ok(root) = root.canonicalize() else {
        eprintln!("error: `{}` does not exist", root.display());
        return 2;
    };
    if !root.is_dir() {
        eprintln!("error: `{}` is not a directory", root.display());
        return 2;
    }
    let inspection = stratalint_arch::init::inspect_with(&root, |project| {
        stratalint_rules::migrations::detect_preset(project).map(|p| p.as_str().to_string())
    });
    let text = stratalint_arch::init::render(&inspection);
    if args.stdout {
        print!("{text}");
        return 0;
    }
    let target = root.join("stratalint.toml");
    if target.exists() && !args.force {
        eprintln!(
            "error: {} exists; use --force to overwrite it, or --stdout to see the proposal",
            target.display()
        );
        return 2;
    }
    match std::fs::write(&target, text) {
        Ok(()) => {
            eprintln!(
                "wrote {}: review the layer map, then run `stratalint check` (and `stratalint graph` to see it)",
                target.display()
            );
            0
        }
        Err(e) => {
            eprintln!("error: cannot write {}: {e}", target.display());
            2
        }
    }
}

pub fn graph(args: GraphArgs) -> i32 {
    let mut rules = stratalint_rules::all();
    rules.push(graph::probe());
    let opts = CheckOptions {
        paths: args.path.into_iter().collect(),
        cwd: cwd(),
        config: args.config,
        select: vec![graph::PROBE_ID.to_string()],
        need_architecture: true,
        no_cache: args.no_cache,
        ..CheckOptions::default()
    };
    let result = match stratalint_engine::check(&opts, rules) {
        Ok(r) => r,
        Err(e) => return fail(e),
    };
    let Some(arch) = &result.architecture else {
        return fail(CheckError::Usage(
            "the dependency graph was not recorded (is `architecture-graph` ignored in the config?)".into(),
        ));
    };
    let layers = &result.config.layers;
    let g = match &args.modules {
        Some(name) => match layers.by_name(name) {
            Some(l) => graph::module_graph(arch, layers, l),
            None => {
                let names: Vec<&str> = layers.layers().iter().map(|l| l.name.as_str()).collect();
                return fail(CheckError::Usage(format!(
                    "unknown layer `{name}`; the layers are: {}",
                    names.join(", ")
                )));
            }
        },
        None => graph::layer_graph(arch, layers),
    };
    let format = match args.format {
        GraphFormat::Mermaid => Format::Mermaid,
        GraphFormat::Dot => Format::Dot,
    };
    let text = graph::render(&g, format);
    let written = match &args.output {
        Some(p) => {
            std::fs::write(p, text).map_err(|e| format!("cannot write {}: {e}", p.display()))
        }
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(text.as_bytes())
                .and_then(|_| out.flush())
                .map_err(|e| e.to_string())
        }
    };
    match written {
        Ok(()) => 0,
        Err(e) if e.contains("Broken pipe") => 0,
        Err(e) => {
            eprintln!("error: {e}");
            2
        }
    }
}
