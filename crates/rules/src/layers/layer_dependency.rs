//! Each layer depends only on the layers the map lets it use.

use stratalint_engine::deps::RefKind;
use stratalint_engine::{Hooks, ProjectCx, Role, Rule, RuleMeta};

use super::{display_path, layer_name};

static META: RuleMeta = crate::meta!("layer-dependency", Layers, "layers", Error);

pub struct LayerDependency;

impl Rule for LayerDependency {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn hooks(&self) -> Hooks {
        Hooks::DEPS | Hooks::PROJECT
    }

    fn check_project(&self, cx: &mut ProjectCx<'_>) {
        let layers = cx.layers();
        for dep in cx.dependencies() {
            let (Some(from), Some(to)) = (dep.from_layer, dep.to_layer) else {
                continue;
            };
            if dep.composition || layers.allows(from, to) || cx.file(dep.from).is_test {
                continue;
            }
            let (f, t) = (layer_name(layers, from), layer_name(layers, to));
            let here = cx.file(dep.from);
            let what = match dep.kind {
                RefKind::Glob => "imports everything from",
                RefKind::Import { .. } => "imports",
                RefKind::Path | RefKind::Macro => "uses",
            };
            let mut message = format!(
                "`{f}` may not depend on `{t}`: this {what} `{}`, defined in `{t}` ({})",
                display_path(cx, here, &dep.defined),
                cx.file(dep.to).rel
            );
            if dep.through_reexport() {
                message.push_str(&format!(
                    ", reached through the re-export `{}`",
                    display_path(cx, here, &dep.target)
                ));
            }
            let advice = if layers.role(from) == Some(Role::Api)
                && layers.role(to) == Some(Role::Repositories)
            {
                "Call a service that uses the repository instead."
            } else if layers.allows(to, from) {
                "A lower layer must not know the layers above it: take the value as a parameter, \
                 or move what both need down into a layer both may use."
            } else {
                "Go through a layer it may use instead."
            };
            let d = cx
                .diag_at(dep.loc.clone(), message)
                .with_label(format!("{f} → {t}"))
                .with_help(format!(
                    "{}. {advice} If this direction is intended, add `{t}` to `may-use` in \
                     `[layers.{f}]`",
                    layers.allowed_text(from)
                ));
            cx.report(d);
        }
    }
}
