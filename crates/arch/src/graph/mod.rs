//! `stratalint graph`: the project as its people think of it. [`layer_graph`] has the layers as
//! nodes and the real dependencies between them as edges, counted, with the ones the layer map
//! forbids marked; [`module_graph`] has the modules (files) of one layer, with the other layers
//! they use or are used by as outside nodes. [`render`] writes either as Mermaid (which GitHub
//! renders in markdown and PR comments) or DOT.
//!
//! The data is the dependency graph of a check run (`CheckResult::architecture`): every import
//! and every path written out to an item of the project, re-exports followed. An edge's count is
//! the number of such references; composition code (the root wiring every layer) counts, but is
//! never forbidden.

mod render;

use rustc_hash::FxHashMap;
use stratalint_engine::deps::{cycles, Dependency};
use stratalint_engine::diagnostic::{Family, Severity};
use stratalint_engine::layers::LayerId;
use stratalint_engine::pipeline::Architecture;
use stratalint_engine::project::FileInfo;
use stratalint_engine::{Hooks, LayerMap, Rule, RuleMeta};

pub use render::{render, Format};

/// A graph ready to draw.
#[derive(Debug, Default)]
pub struct Graph {
    pub title: String,
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
}

#[derive(Debug)]
pub struct Node {
    pub label: String,
    /// A second line (`5 files`, the file of a module).
    pub detail: String,
    /// Outside what the graph is about (another layer in a module graph).
    pub external: bool,
}

#[derive(Debug)]
pub struct Edge {
    pub from: usize,
    pub to: usize,
    /// References from `from` to `to`.
    pub refs: usize,
    /// Those the layer map forbids (composition code excluded).
    pub forbidden: usize,
    /// The edge is part of a dependency cycle.
    pub cycle: bool,
}

/// The id of the rule that makes a check record the dependency graph without reporting anything.
pub const PROBE_ID: &str = "architecture-graph";

static PROBE: RuleMeta = RuleMeta {
    id: PROBE_ID,
    family: Family::Engine,
    severity: Severity::Info,
    doc: "---\nid: architecture-graph\nfamily: engine\nseverity: info\nsummary: records the dependency graph for `stratalint graph`\n---\n",
    default_enabled: false,
};

struct Probe;

impl Rule for Probe {
    fn meta(&self) -> &'static RuleMeta {
        &PROBE
    }

    fn hooks(&self) -> Hooks {
        Hooks::DEPS
    }
}

/// A rule that reports nothing and makes the check record dependencies: run a check with it
/// selected (`select = [PROBE_ID]`) and read `CheckResult::architecture`.
pub fn probe() -> Box<dyn Rule> {
    Box::new(Probe)
}

fn counts_as_code(f: &FileInfo) -> bool {
    !f.is_test
}

fn edge_key(
    edges: &mut FxHashMap<(usize, usize), (usize, usize)>,
    a: usize,
    b: usize,
    forbidden: bool,
) {
    let e = edges.entry((a, b)).or_insert((0, 0));
    e.0 += 1;
    e.1 += usize::from(forbidden);
}

/// Mark the edges that lie on a cycle and put the graph together.
fn finish(
    title: String,
    nodes: Vec<Node>,
    counted: FxHashMap<(usize, usize), (usize, usize)>,
    cycle_eligible: impl Fn(usize, usize) -> bool,
) -> Graph {
    let mut succ = vec![Vec::new(); nodes.len()];
    for &(a, b) in counted.keys() {
        if cycle_eligible(a, b) {
            succ[a].push(b);
        }
    }
    for s in &mut succ {
        s.sort_unstable();
    }
    let comps = cycles(&succ);
    let comp_of = |n: usize| comps.iter().position(|c| c.contains(&n));
    let mut edges: Vec<Edge> = counted
        .into_iter()
        .map(|((from, to), (refs, forbidden))| Edge {
            from,
            to,
            refs,
            forbidden,
            cycle: cycle_eligible(from, to)
                && comp_of(from).is_some()
                && comp_of(from) == comp_of(to),
        })
        .collect();
    edges.sort_by_key(|e| (e.from, e.to));
    Graph {
        title,
        nodes,
        edges,
    }
}

/// Layers as nodes (those with files), the dependencies between them as edges.
pub fn layer_graph(arch: &Architecture, layers: &LayerMap) -> Graph {
    let mut files = vec![0usize; layers.layers().len()];
    for f in arch.files.iter().filter(|f| counts_as_code(f)) {
        if let Some(l) = f.layer {
            files[l] += 1;
        }
    }
    let mut node_of: Vec<Option<usize>> = vec![None; files.len()];
    let mut nodes = Vec::new();
    for (l, n) in files.iter().enumerate() {
        if *n > 0 {
            node_of[l] = Some(nodes.len());
            nodes.push(Node {
                label: layers.get(l).name.clone(),
                detail: plural(*n, "file"),
                external: false,
            });
        }
    }
    let mut counted = FxHashMap::default();
    for d in code_deps(arch) {
        let (Some(a), Some(b)) = (d.from_layer, d.to_layer) else {
            continue;
        };
        if a == b {
            continue;
        }
        let (Some(na), Some(nb)) = (node_of[a], node_of[b]) else {
            continue;
        };
        edge_key(&mut counted, na, nb, forbidden(d, layers));
    }
    finish("layers".to_string(), nodes, counted, |_, _| true)
}

/// The modules (files) of one layer, and the other layers they use or are used by.
pub fn module_graph(arch: &Architecture, layers: &LayerMap, layer: LayerId) -> Graph {
    let mut nodes = Vec::new();
    let mut node_of_file: FxHashMap<usize, usize> = FxHashMap::default();
    for (i, f) in arch.files.iter().enumerate() {
        if f.layer == Some(layer)
            && counts_as_code(f)
            && f.kind == stratalint_engine::project::FileKind::Rust
        {
            node_of_file.insert(i, nodes.len());
            let label = if f.module.is_empty() {
                f.rel.to_string()
            } else {
                f.module.clone()
            };
            nodes.push(Node {
                label,
                detail: f.rel.to_string(),
                external: false,
            });
        }
    }
    let mut node_of_layer: FxHashMap<LayerId, usize> = FxHashMap::default();
    let mut counted = FxHashMap::default();
    for d in code_deps(arch) {
        let inside = |file: usize| node_of_file.get(&file).copied();
        let (a, b) = match (inside(d.from), inside(d.to)) {
            (Some(a), Some(b)) => (a, b),
            (Some(a), None) => match d.to_layer {
                Some(l) => (a, layer_node(&mut nodes, &mut node_of_layer, layers, l)),
                None => continue,
            },
            (None, Some(b)) => match d.from_layer {
                Some(l) => (layer_node(&mut nodes, &mut node_of_layer, layers, l), b),
                None => continue,
            },
            (None, None) => continue,
        };
        if a != b {
            edge_key(&mut counted, a, b, forbidden(d, layers));
        }
    }
    // a module and its parent or children use each other by design (see `dependency-cycle`)
    let files: Vec<Option<&FileInfo>> = {
        let mut v = vec![None; nodes.len()];
        for (&f, &n) in &node_of_file {
            v[n] = Some(&arch.files[f]);
        }
        v
    };
    let eligible = |a: usize, b: usize| match (files[a], files[b]) {
        (Some(x), Some(y)) => !(x.crate_idx == y.crate_idx && nested(&x.module, &y.module)),
        _ => false,
    };
    let title = format!("modules of the `{}` layer", layers.get(layer).name);
    finish(title, nodes, counted, eligible)
}

fn layer_node(
    nodes: &mut Vec<Node>,
    node_of_layer: &mut FxHashMap<LayerId, usize>,
    layers: &LayerMap,
    l: LayerId,
) -> usize {
    *node_of_layer.entry(l).or_insert_with(|| {
        nodes.push(Node {
            label: layers.get(l).name.clone(),
            detail: "layer".to_string(),
            external: true,
        });
        nodes.len() - 1
    })
}

fn nested(a: &str, b: &str) -> bool {
    let inside = |x: &str, y: &str| y.is_empty() || x == y || x.starts_with(&format!("{y}::"));
    inside(a, b) || inside(b, a)
}

/// Dependencies from and to code that is not test code.
fn code_deps(arch: &Architecture) -> impl Iterator<Item = &Dependency> {
    arch.graph
        .deps
        .iter()
        .filter(|d| counts_as_code(&arch.files[d.from]) && counts_as_code(&arch.files[d.to]))
}

fn forbidden(d: &Dependency, layers: &LayerMap) -> bool {
    match (d.from_layer, d.to_layer) {
        (Some(a), Some(b)) => !d.composition && !layers.allows(a, b),
        _ => false,
    }
}

fn plural(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}
