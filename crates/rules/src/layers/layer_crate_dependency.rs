//! A workspace crate declares dependencies only on crates of the layers it may use.

use rustc_hash::FxHashMap;
use stratalint_engine::{Hooks, ProjectCx, Role, Rule, RuleMeta};

use super::layer_name;

static META: RuleMeta = crate::meta!("layer-crate-dependency", Layers, "layers", Error);

pub struct LayerCrateDependency;

impl Rule for LayerCrateDependency {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn hooks(&self) -> Hooks {
        Hooks::DEPS | Hooks::PROJECT
    }

    fn check_project(&self, cx: &mut ProjectCx<'_>) {
        let layers = cx.layers();
        let project = cx.project;
        // (crate, crate it uses) → (used at all, used by composition code)
        let mut uses: FxHashMap<(usize, usize), (bool, bool)> = FxHashMap::default();
        for d in cx.dependencies() {
            let (from, to) = (cx.file(d.from), cx.file(d.to));
            if let (Some(a), Some(b)) = (from.crate_idx, to.crate_idx) {
                let e = uses.entry((a, b)).or_default();
                e.0 = true;
                e.1 |= d.composition || from.role == Some(Role::Root);
            }
        }
        for (ci, krate) in project.crates.iter().enumerate() {
            let Some(here) = project.crate_layer(ci, layers) else {
                continue;
            };
            for dep in &krate.deps {
                if dep.kind == stratalint_engine::project::DepKind::Dev {
                    continue;
                }
                let Some(di) = project.crates.iter().position(|c| {
                    c.package.replace('-', "_") == dep.package || c.name == dep.package
                }) else {
                    continue;
                };
                let Some(there) = project.crate_layer(di, layers) else {
                    continue;
                };
                if di == ci || layers.allows(here, there) {
                    continue;
                }
                // Cargo dependencies are shared by a package's targets: a binary that wires the
                // application (its composition root) may need what its library may not use.
                let (used, wiring) = uses.get(&(ci, di)).copied().unwrap_or((false, false));
                if wiring {
                    continue;
                }
                let (h, t) = (layer_name(layers, here), layer_name(layers, there));
                let target = &project.crates[di].package;
                let message = if used {
                    format!(
                        "crate `{}` (layer `{h}`) depends on `{target}` (layer `{t}`), which `{h}` \
                         may not use",
                        krate.package
                    )
                } else {
                    format!(
                        "crate `{}` (layer `{h}`) declares a dependency on `{target}` (layer \
                         `{t}`), which `{h}` may not use; nothing uses it yet",
                        krate.package
                    )
                };
                let d = cx
                    .diag_at(dep.loc.clone(), message)
                    .with_label(format!("{h} → {t}"))
                    .with_help(format!(
                        "{}. Remove the dependency, or move the code that needs it into a crate \
                         of a layer that may use `{t}` (the composition root wires every layer)",
                        layers.allowed_text(here)
                    ));
                cx.report(d);
            }
        }
    }
}
