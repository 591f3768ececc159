//! Layers form a hierarchy, and so do the modules inside one layer.

use rustc_hash::FxHashMap;
use stratalint_engine::deps::{cycle_through, cycles, Dependency};
use stratalint_engine::{Hooks, ProjectCx, Rule, RuleMeta};

use super::layer_name;

static META: RuleMeta = crate::meta!("dependency-cycle", Layers, "layers", Warning);

pub struct DependencyCycle;

/// A directed graph over `0..n` where each edge keeps the first dependency that makes it (by file
/// and position), to point at.
struct Graph<'d> {
    edges: FxHashMap<(usize, usize), &'d Dependency>,
    succ: Vec<Vec<usize>>,
}

impl<'d> Graph<'d> {
    fn new(n: usize) -> Self {
        Graph {
            edges: FxHashMap::default(),
            succ: vec![Vec::new(); n],
        }
    }

    fn add(
        &mut self,
        a: usize,
        b: usize,
        d: &'d Dependency,
        key: impl Fn(&Dependency) -> (usize, usize),
    ) {
        match self.edges.get(&(a, b)) {
            Some(old) if key(old) <= key(d) => {}
            Some(_) => {
                self.edges.insert((a, b), d);
            }
            None => {
                self.edges.insert((a, b), d);
                self.succ[a].push(b);
            }
        }
    }

    fn cycles(&mut self) -> Vec<Vec<usize>> {
        for s in &mut self.succ {
            s.sort_unstable();
        }
        cycles(&self.succ)
    }

    fn cycle_through(&self, comp: &[usize]) -> Vec<usize> {
        cycle_through(&self.succ, comp)
    }
}

/// Are these modules one inside the other (`api` and `api::v1::users`)? A parent module and its
/// children use each other by design (`mod.rs` routes to its children, children use `super::`).
fn nested(a: &str, b: &str) -> bool {
    let inside = |x: &str, y: &str| y.is_empty() || x == y || x.starts_with(&format!("{y}::"));
    inside(a, b) || inside(b, a)
}

impl Rule for DependencyCycle {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn hooks(&self) -> Hooks {
        Hooks::DEPS | Hooks::PROJECT
    }

    fn check_project(&self, cx: &mut ProjectCx<'_>) {
        let deps: Vec<&Dependency> = cx
            .dependencies()
            .iter()
            .filter(|d| {
                !d.composition
                    && d.from_layer.is_some()
                    && d.to_layer.is_some()
                    && !cx.file(d.from).is_test
                    && !cx.file(d.to).is_test
            })
            .collect();
        let key = |d: &Dependency| (d.from, d.loc.start);
        self.layer_cycles(cx, &deps, key);
        self.module_cycles(cx, &deps, key);
    }
}

impl DependencyCycle {
    fn layer_cycles(
        &self,
        cx: &mut ProjectCx<'_>,
        deps: &[&Dependency],
        key: impl Fn(&Dependency) -> (usize, usize) + Copy,
    ) {
        let layers = cx.layers();
        let mut g = Graph::new(layers.layers().len());
        for d in deps {
            let (Some(a), Some(b)) = (d.from_layer, d.to_layer) else {
                continue;
            };
            if a != b {
                g.add(a, b, d, key);
            }
        }
        for comp in g.cycles() {
            let mut cycle = g.cycle_through(&comp);
            // start at a hop the map forbids: that is the one to point at
            if let Some(i) = cycle.windows(2).position(|w| !layers.allows(w[0], w[1])) {
                cycle.pop();
                cycle.rotate_left(i);
                cycle.push(cycle[0]);
            }
            let names: Vec<&str> = cycle.iter().map(|&l| layer_name(layers, l)).collect();
            let hops: Vec<&Dependency> = cycle.windows(2).map(|w| g.edges[&(w[0], w[1])]).collect();
            let evidence: Vec<String> = hops
                .iter()
                .map(|d| format!("{} uses {}", cx.file(d.from).rel, cx.file(d.to).rel))
                .collect();
            let mut diag = cx
                .diag_at(
                    hops[0].loc.clone(),
                    format!("layer cycle {}: {}", names.join(" → "), evidence.join("; ")),
                )
                .with_label(format!("{} → {}", names[0], names[1]))
                .with_help(
                    "layers must form a hierarchy: remove the dependency that goes against the map \
                     (`layer-dependency` reports it), or move what both layers need into a lower one",
                );
            for (d, w) in hops.iter().zip(cycle.windows(2)).skip(1) {
                diag = diag.with_secondary(
                    d.loc.clone(),
                    format!(
                        "{} → {}",
                        layer_name(layers, w[0]),
                        layer_name(layers, w[1])
                    ),
                );
            }
            cx.report(diag);
        }
    }

    fn module_cycles(
        &self,
        cx: &mut ProjectCx<'_>,
        deps: &[&Dependency],
        key: impl Fn(&Dependency) -> (usize, usize) + Copy,
    ) {
        let mut g = Graph::new(cx.project.files.len());
        for d in deps {
            let (from, to) = (cx.file(d.from), cx.file(d.to));
            if d.from_layer != d.to_layer
                || (from.crate_idx == to.crate_idx && nested(&from.module, &to.module))
            {
                continue;
            }
            g.add(d.from, d.to, d, key);
        }
        let layers = cx.layers();
        for comp in g.cycles() {
            let cycle = g.cycle_through(&comp);
            let name = |f: usize| {
                let file = cx.file(f);
                if file.module.is_empty() {
                    file.rel.to_string()
                } else {
                    file.module.clone()
                }
            };
            let names: Vec<String> = cycle.iter().map(|&f| name(f)).collect();
            let hops: Vec<&Dependency> = cycle.windows(2).map(|w| g.edges[&(w[0], w[1])]).collect();
            let layer = hops[0]
                .from_layer
                .map(|l| layer_name(layers, l))
                .unwrap_or_default();
            let mut diag = cx
                .diag_at(
                    hops[0].loc.clone(),
                    format!(
                        "module cycle in the `{layer}` layer: {}",
                        names.join(" → ")
                    ),
                )
                .with_label(format!("`{}` uses `{}`", names[0], names[1]))
                .with_help(
                    "modules of one layer should depend one way: move what both need into a module \
                     of its own, or have the lower module define a trait the other implements",
                );
            for (d, w) in hops.iter().zip(cycle.windows(2)).skip(1) {
                diag = diag.with_secondary(
                    d.loc.clone(),
                    format!("`{}` uses `{}`", name(w[0]), name(w[1])),
                );
            }
            cx.report(diag);
        }
    }
}
