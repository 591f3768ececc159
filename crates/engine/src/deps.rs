//! The project's dependency graph: which file uses which, and so which layer uses which.
//!
//! While a file is walked (only when an enabled rule declares [`crate::Hooks::DEPS`]), the walker
//! records every `use` leaf and every path written out in code (`crate::…`, `super::…`, `self::…`,
//! `other_workspace_crate::…`) that names an item of one of the project's crates, and which
//! imported names are used outside composition code. After the walk, [`assemble`] follows each
//! reference through `pub use` re-exports (across files, globs included) to the file that defines
//! the item, which gives its module and its layer. Rules read the result from
//! [`crate::ProjectCx::dependencies`]; `stratalint graph` draws it.

use rustc_hash::{FxHashMap, FxHashSet};

use crate::diagnostic::Loc;
use crate::layers::{LayerId, LayerMap};
use crate::project::Project;

/// How a file refers to an item of the project.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum RefKind {
    /// A `use` leaf binding `name` (`None` for `use x as _`).
    Import { name: Option<String> },
    /// A glob import (`use crate::services::*`).
    Glob,
    /// A path written out in code: in an expression, a type, a signature, a field, a trait bound,
    /// a pattern or a struct literal.
    Path,
    /// The path of a macro call (`crate::repositories::sql!`).
    Macro,
}

/// One reference, as the walk of a file records it.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct DepRef {
    /// The canonical path it names (`app::repositories::user_repository::UserRepository::new`).
    pub target: String,
    pub loc: Loc,
    pub kind: RefKind,
    /// Written inside composition code (see [`crate::Cx::in_composition`]).
    pub composition: bool,
    /// The inline module it is written in, when that is not the file's own module
    /// (`web` for `mod web { … }` in `lib.rs`).
    pub inline_module: Option<String>,
}

/// What the walk of one file records for the dependency graph.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct FileDeps {
    pub refs: Vec<DepRef>,
    /// Names imported from the project that code uses: name → used outside composition code.
    pub used: FxHashMap<String, bool>,
    /// Names of the items the file defines at its top level, so that a glob re-export of its
    /// module is not followed for them.
    pub items: FxHashSet<String>,
}

/// A reference, resolved to the file that defines what it names.
#[derive(Clone, Debug)]
pub struct Dependency {
    /// Index in [`Project::files`] of the file holding the reference.
    pub from: usize,
    /// Index in [`Project::files`] of the file defining the item.
    pub to: usize,
    pub from_layer: Option<LayerId>,
    pub to_layer: Option<LayerId>,
    /// The path as the referring file names it.
    pub target: String,
    /// Where the item really is, after `pub use` re-exports (equal to `target` without one).
    pub defined: String,
    pub loc: Loc,
    pub kind: RefKind,
    /// Only composition code needs it: a path inside a startup function, or an import used only
    /// there. Layer rules leave such references alone (the composition root wires every layer).
    pub composition: bool,
}

impl Dependency {
    /// Did a re-export lead from the written path to somewhere else?
    pub fn through_reexport(&self) -> bool {
        self.target != self.defined
    }
}

/// The dependencies of a whole check.
#[derive(Clone, Debug, Default)]
pub struct DepGraph {
    pub deps: Vec<Dependency>,
    /// Per file (as [`Project::files`]): the items it defines at its top level.
    pub items: Vec<FxHashSet<String>>,
}

/// Resolve the references of every file. `per_file[i]` belongs to `project.files[i]`. References
/// between two items of one file are dropped; so is everything in test code (never recorded).
pub fn assemble(
    project: &Project,
    layers: &LayerMap,
    per_file: &[&FileDeps],
    reexports: &FxHashMap<&str, &str>,
) -> DepGraph {
    let items: Vec<FxHashSet<String>> = per_file.iter().map(|f| f.items.clone()).collect();
    let mut deps = Vec::new();
    for (from, fd) in per_file.iter().enumerate() {
        for r in &fd.refs {
            let defined = follow_reexports(&r.target, project, reexports, &items);
            let Some((_, to)) = project.locate(&defined) else {
                continue;
            };
            if to == from {
                continue;
            }
            // an import is composition code when every use of its name is
            let composition = r.composition
                || matches!(&r.kind, RefKind::Import { name: Some(n) } if fd.used.get(n) == Some(&false));
            let file = &project.files[from];
            let from_layer = file.layer.or_else(|| {
                let module = r.inline_module.as_deref()?;
                let krate = file.crate_idx.map(|c| project.crates[c].name.as_str());
                layers.layer_of_module(module, krate)
            });
            deps.push(Dependency {
                from,
                to,
                from_layer,
                to_layer: project.layer_of_path(&defined, layers),
                target: r.target.clone(),
                defined,
                loc: r.loc.clone(),
                kind: r.kind.clone(),
                composition,
            });
        }
    }
    DepGraph { deps, items }
}

/// Follow `pub use` re-exports from a path to where the item is defined: the longest prefix of the
/// path that a `pub use` declares (`app::services::UserRepository` →
/// `app::repositories::user_repository::UserRepository`), or that a glob re-export covers
/// (`pub use user_repository::*;` in `repositories`), repeatedly, across files. `items` (per file,
/// the names it defines; may be empty) keeps a glob from covering a name its module defines.
pub fn follow_reexports(
    path: &str,
    project: &Project,
    reexports: &FxHashMap<&str, &str>,
    items: &[FxHashSet<String>],
) -> String {
    let mut cur = path.to_string();
    let mut seen: FxHashSet<String> = FxHashSet::default();
    for _ in 0..16 {
        if !seen.insert(cur.clone()) {
            break;
        }
        let Some(next) = reexport_step(&cur, project, reexports, items) else {
            break;
        };
        if next == cur {
            break;
        }
        cur = next;
    }
    cur
}

fn reexport_step(
    path: &str,
    project: &Project,
    reexports: &FxHashMap<&str, &str>,
    items: &[FxHashSet<String>],
) -> Option<String> {
    let segs: Vec<&str> = path.split("::").collect();
    for k in (2..=segs.len()).rev() {
        let prefix = segs[..k].join("::");
        let rest = &segs[k..];
        let with_rest = |base: &str| {
            let mut s = base.to_string();
            for r in rest {
                s.push_str("::");
                s.push_str(r);
            }
            s
        };
        if let Some(t) = reexports.get(prefix.as_str()) {
            return Some(with_rest(t));
        }
        // a glob re-export of the parent module covers the name, unless the module defines it
        // (or it is a child module with a file of its own)
        let parent = segs[..k - 1].join("::");
        if let Some(t) = reexports.get(format!("{parent}::*").as_str()) {
            let defined_here = project.locate(&prefix).is_some_and(|(_, f)| {
                let m = &project.files[f].module;
                let module_segs = m.split("::").filter(|s| !s.is_empty());
                segs[1..k].iter().copied().eq(module_segs.clone())
                    || (segs[1..k - 1].iter().copied().eq(module_segs)
                        && items.get(f).is_some_and(|i| i.contains(segs[k - 1])))
            });
            if !defined_here {
                return Some(with_rest(&format!("{t}::{}", segs[k - 1])));
            }
        }
    }
    None
}

/// The strongly connected components of more than one node of the graph `succ` (node → its
/// successors), each sorted, in order of their smallest node (Tarjan's algorithm, iterative).
pub fn cycles(succ: &[Vec<usize>]) -> Vec<Vec<usize>> {
    let n = succ.len();
    let mut index = vec![usize::MAX; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut stack = Vec::new();
    let mut out = Vec::new();
    let mut next = 0;
    for root in 0..n {
        if index[root] != usize::MAX {
            continue;
        }
        let mut work = vec![(root, 0usize)];
        while let Some(&mut (v, ref mut i)) = work.last_mut() {
            if *i == 0 {
                index[v] = next;
                low[v] = next;
                next += 1;
                stack.push(v);
                on_stack[v] = true;
            }
            if let Some(&w) = succ[v].get(*i) {
                *i += 1;
                if index[w] == usize::MAX {
                    work.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == index[v] {
                let mut comp = Vec::new();
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    comp.push(w);
                    if w == v {
                        break;
                    }
                }
                if comp.len() > 1 {
                    comp.sort_unstable();
                    out.push(comp);
                }
            }
        }
    }
    out.sort();
    out
}

/// The shortest cycle through the first node of a component, inside it: `[a, b, …, a]`.
pub fn cycle_through(succ: &[Vec<usize>], comp: &[usize]) -> Vec<usize> {
    let start = comp[0];
    let mut prev: FxHashMap<usize, usize> = FxHashMap::default();
    let mut queue = std::collections::VecDeque::from([start]);
    while let Some(v) = queue.pop_front() {
        for &w in &succ[v] {
            if !comp.contains(&w) {
                continue;
            }
            if w == start {
                let mut back = vec![v];
                let mut cur = v;
                while cur != start {
                    cur = prev[&cur];
                    back.push(cur);
                }
                back.reverse();
                back.push(start);
                return back;
            }
            if let std::collections::hash_map::Entry::Vacant(e) = prev.entry(w) {
                e.insert(v);
                queue.push_back(w);
            }
        }
    }
    vec![start, start]
}

#[cfg(test)]
mod tests {
    use std::path::Path;
    use std::sync::{Arc, Mutex};

    use crate::diagnostic::{Family, Severity};
    use crate::pipeline::{check, CheckOptions, ProjectCx};
    use crate::rule::{Hooks, Rule, RuleMeta};

    static META: RuleMeta = RuleMeta {
        id: "deps-probe",
        family: Family::Layers,
        severity: Severity::Info,
        doc: "",
        default_enabled: true,
    };

    /// Writes every resolved dependency as `from -> defined [layer -> layer] kind composition`.
    struct Probe(Arc<Mutex<Vec<String>>>);

    impl Rule for Probe {
        fn meta(&self) -> &'static RuleMeta {
            &META
        }
        fn hooks(&self) -> Hooks {
            Hooks::DEPS | Hooks::PROJECT
        }
        fn check_project(&self, cx: &mut ProjectCx<'_>) {
            let name =
                |l: Option<usize>| l.map_or("-".to_string(), |l| cx.layers().get(l).name.clone());
            let mut out = self.0.lock().unwrap();
            for d in cx.dependencies() {
                out.push(format!(
                    "{}:{} -> {} [{} -> {}] {:?}{}",
                    cx.file(d.from).rel,
                    d.loc.start_pos.line,
                    d.defined,
                    name(d.from_layer),
                    name(d.to_layer),
                    d.kind,
                    if d.composition { " composition" } else { "" }
                ));
            }
        }
    }

    #[test]
    fn strongly_connected_components_and_their_cycles() {
        // 0 → 1 → 2 → 0, 2 → 3, 3 → 4 → 3, 5 alone
        let succ = vec![vec![1], vec![2], vec![0, 3], vec![4], vec![3], vec![]];
        let comps = super::cycles(&succ);
        assert_eq!(comps, vec![vec![0, 1, 2], vec![3, 4]]);
        assert_eq!(super::cycle_through(&succ, &comps[0]), vec![0, 1, 2, 0]);
        assert_eq!(super::cycle_through(&succ, &comps[1]), vec![3, 4, 3]);
    }

    fn write(root: &Path, files: &[(&str, &str)]) {
        for (p, text) in files {
            let p = root.join(p);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        }
    }

    fn deps_of(files: &[(&str, &str)]) -> Vec<String> {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), files);
        let seen = Arc::new(Mutex::new(Vec::new()));
        let opts = CheckOptions {
            paths: vec![dir.path().to_path_buf()],
            cwd: dir.path().to_path_buf(),
            jobs: Some(1),
            ..CheckOptions::default()
        };
        check(&opts, vec![Box::new(Probe(seen.clone()))]).unwrap();
        let mut v = seen.lock().unwrap().clone();
        v.sort();
        v
    }

    const MANIFEST: &str = "[package]\nname = \"app\"\nversion = \"0.1.0\"\n";

    #[test]
    fn imports_paths_and_reexports_resolve_to_files_and_layers() {
        let deps = deps_of(&[
            ("Cargo.toml", MANIFEST),
            ("src/lib.rs", "pub mod api; pub mod services; pub mod repositories;\n"),
            ("src/main.rs", "use app::repositories::UserRepository;\nfn main() { let _r = UserRepository::new(); }\n"),
            (
                "src/api/mod.rs",
                "use crate::services::{UserService, UserRepository as Repo};\nuse super::repositories::*;\n\
                 pub fn router() { let _ = crate::repositories::user_repository::UserRepository::new(); }\n\
                 pub async fn list(s: UserService) -> Vec<Repo> { let _: Option<crate::repositories::Row> = None; todo!() }\n\
                 #[cfg(test)] mod tests { use crate::repositories::UserRepository; }\n",
            ),
            (
                "src/services/mod.rs",
                "pub use crate::repositories::user_repository::UserRepository;\npub struct UserService;\n",
            ),
            ("src/repositories/mod.rs", "pub mod user_repository;\npub use user_repository::*;\npub struct Row;\n"),
            ("src/repositories/user_repository.rs", "pub struct UserRepository;\nimpl UserRepository { pub fn new() -> Self { Self } }\n"),
        ]);
        let expected = [
            // the re-export in services is followed to the file that defines the item
            "src/api/mod.rs:1 -> app::repositories::user_repository::UserRepository [api -> repositories] Import { name: Some(\"Repo\") }",
            "src/api/mod.rs:1 -> app::services::UserService [api -> services] Import { name: Some(\"UserService\") }",
            "src/api/mod.rs:2 -> app::repositories [api -> repositories] Glob",
            // inside `router`, composition code
            "src/api/mod.rs:3 -> app::repositories::user_repository::UserRepository::new [api -> repositories] Path composition",
            "src/api/mod.rs:4 -> app::repositories::Row [api -> repositories] Path",
            // an import used only in `main`
            "src/main.rs:1 -> app::repositories::user_repository::UserRepository [root -> repositories] Import { name: Some(\"UserRepository\") } composition",
            "src/repositories/mod.rs:2 -> app::repositories::user_repository [repositories -> repositories] Glob",
            "src/services/mod.rs:1 -> app::repositories::user_repository::UserRepository [services -> repositories] Import { name: Some(\"UserRepository\") }",
        ];
        assert_eq!(deps, expected, "{deps:#?}");
    }

    #[test]
    fn module_path_layers() {
        let deps = deps_of(&[
            ("Cargo.toml", MANIFEST),
            (
                "stratalint.toml",
                "[layers.web]\nmodules = [\"crate::web\"]\nmay-use = [\"store\"]\n[layers.store]\nmodules = [\"crate::store\"]\n",
            ),
            ("src/lib.rs", "pub mod store;\npub mod web {\n    pub fn f() -> crate::store::Row { todo!() }\n}\n"),
            ("src/store.rs", "pub struct Row;\npub fn g() -> crate::web::Page { todo!() }\n"),
        ]);
        // the inline `web` module lives in lib.rs, a file in no layer: the module decides
        assert_eq!(
            deps,
            [
                "src/lib.rs:3 -> app::store::Row [web -> store] Path",
                "src/store.rs:2 -> app::web::Page [store -> web] Path",
            ],
            "{deps:#?}"
        );
    }

    #[test]
    fn workspace_crates_have_crate_layers() {
        let deps = deps_of(&[
            ("Cargo.toml", "[workspace]\nmembers = [\"crates/*\"]\n"),
            (
                "stratalint.toml",
                "[layers.api]\ncrates = [\"shop-api\"]\nmay-use = [\"domain\"]\n[layers.domain]\ncrates = [\"shop-domain\"]\n",
            ),
            ("crates/api/Cargo.toml", "[package]\nname = \"shop-api\"\nversion = \"0.1.0\"\n"),
            ("crates/api/src/lib.rs", "use shop_domain::Order;\npub fn f(_: shop_domain::orders::Line) {}\n"),
            ("crates/domain/Cargo.toml", "[package]\nname = \"shop-domain\"\nversion = \"0.1.0\"\n"),
            ("crates/domain/src/lib.rs", "pub mod orders;\npub struct Order;\n"),
            ("crates/domain/src/orders.rs", "pub struct Line;\n"),
        ]);
        assert_eq!(
            deps,
            [
                "crates/api/src/lib.rs:1 -> shop_domain::Order [api -> domain] Import { name: Some(\"Order\") }",
                "crates/api/src/lib.rs:2 -> shop_domain::orders::Line [api -> domain] Path",
            ],
            "{deps:#?}"
        );
    }
}
