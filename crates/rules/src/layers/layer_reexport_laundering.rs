//! A `pub use` must not make a layer reachable from where the map forbids it.

use stratalint_engine::syn::Visibility;
use stratalint_engine::{Cx, Hooks, Loc, ProjectCx, Rule, RuleMeta, UseLeaf};

use super::{display_path, layer_name};

static META: RuleMeta = crate::meta!("layer-reexport-laundering", Layers, "layers", Error);

pub struct LayerReexportLaundering;

/// A `pub use` of an item of the project.
#[derive(serde::Serialize, serde::Deserialize)]
struct Reexport {
    /// The path it creates (`app::services::UserRepository`, or `app::services::*`).
    alias: String,
    target: String,
    loc: Loc,
}

impl Rule for LayerReexportLaundering {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn hooks(&self) -> Hooks {
        Hooks::USE | Hooks::PROJECT
    }

    fn check_use(&self, cx: &mut Cx<'_, '_>, leaf: &UseLeaf<'_>) {
        // `pub` and `pub(crate)` reach the other layers; `pub(super)`, `pub(in …)` stay close
        let reaches_out = match &leaf.item.vis {
            Visibility::Public(_) => true,
            Visibility::Restricted(r) => r.in_token.is_none() && r.path.is_ident("crate"),
            Visibility::Inherited => false,
        };
        if !reaches_out || cx.in_test() || !cx.is_project_path(&leaf.binding.target) {
            return;
        }
        let alias = match &leaf.binding.name {
            Some(n) => cx.resolver().item_qname(n).into_string(),
            None if leaf.binding.is_glob => format!("{}::*", cx.resolver().module_qname()),
            None => return,
        };
        let fact = Reexport {
            alias,
            target: leaf.binding.target.as_str().to_string(),
            loc: cx.loc(leaf.binding.span),
        };
        cx.fact(fact);
    }

    fn check_project(&self, cx: &mut ProjectCx<'_>) {
        let layers = cx.layers();
        let facts: Vec<_> = cx.facts::<Reexport>().collect();
        for (r, file) in facts {
            let Some(here) = file.layer else { continue };
            let defined = cx.defined_path(&r.target);
            let Some(there) = cx.layer_of_path(&defined) else {
                continue;
            };
            // a forbidden re-export is a forbidden dependency, reported by `layer-dependency`
            if here == there || layers.is_shared(there) || !layers.allows(here, there) {
                continue;
            }
            // the layers that may use this one but not the one re-exported
            let laundered_for: Vec<&str> = (0..layers.layers().len())
                .filter(|&u| u != here && u != there)
                .filter(|&u| layers.allows(u, here) && !layers.allows(u, there))
                .map(|u| layer_name(layers, u))
                .collect();
            if laundered_for.is_empty() {
                continue;
            }
            let (h, t) = (layer_name(layers, here), layer_name(layers, there));
            let alias = display_path(cx, file, &r.alias);
            let who = laundered_for.join("`, `");
            let d = cx
                .diag_at(
                    r.loc.clone(),
                    format!(
                        "this `pub use` makes `{t}` reachable through `{h}`: `{}` is re-exported as \
                         `{alias}`, so `{who}` can reach `{t}`, which the map forbids",
                        display_path(cx, file, &defined)
                    ),
                )
                .with_label(format!("re-exports `{t}` from `{h}`"))
                .with_help(format!(
                    "keep `{t}` behind `{h}`: expose what callers need through `{h}`'s own types and \
                     functions, or make this import private (`use` without `pub`)"
                ));
            cx.report(d);
        }
    }
}
