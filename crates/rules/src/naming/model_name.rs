//! Models are named in PascalCase and in the singular (`User`, `BlogPost`): one value is one row.

use stratalint_engine::syn::{Item, Visibility};
use stratalint_engine::{Cx, Hooks, Role, Rule, RuleMeta};

use super::entity::{attr_value, db_derive, file_stem, SEA_ORM_GENERATED};
use super::inflect::{is_plural, pascal_words, singular};
use super::to_snake_case;

static META: RuleMeta = crate::meta!("model-name", Naming, "naming", Warning);

pub struct ModelName;

/// Is this struct a model: a database row type in the models layer, the struct a models file is
/// named after, or a struct bound to a table (`#[sea_orm(table_name)]`, `#[diesel(table_name)]`).
pub fn is_model(cx: &Cx<'_, '_>, s: &stratalint_engine::syn::ItemStruct) -> bool {
    if attr_value(&s.attrs, "sea_orm", "table_name").is_some()
        || attr_value(&s.attrs, "diesel", "table_name").is_some()
    {
        return true;
    }
    if cx.role() != Some(Role::Models) {
        return false;
    }
    let named_after_file = matches!(s.vis, Visibility::Public(_))
        && to_snake_case(&s.ident.to_string()) == file_stem(&cx.file().rel);
    named_after_file || db_derive(cx, &s.attrs).is_some()
}

fn pascal_fix(name: &str) -> String {
    pascal_words(name)
        .iter()
        .map(|w| {
            let lower = w.to_ascii_lowercase();
            let mut c = lower.chars();
            match c.next() {
                Some(f) => f.to_ascii_uppercase().to_string() + c.as_str(),
                None => String::new(),
            }
        })
        .collect()
}

impl Rule for ModelName {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn hooks(&self) -> Hooks {
        Hooks::ITEM
    }

    fn check_item(&self, cx: &mut Cx<'_, '_>, item: &Item) {
        let Item::Struct(s) = item else { return };
        if cx.in_test() || cx.current_fn().is_some() || !is_model(cx, s) {
            return;
        }
        let name = s.ident.to_string();
        if SEA_ORM_GENERATED.contains(&name.as_str()) {
            return;
        }
        let pascal = name.starts_with(|c: char| c.is_ascii_uppercase()) && !name.contains('_');
        if !pascal {
            let d = cx
                .diag(s.ident.span(), format!("model `{name}` is not PascalCase"))
                .with_label("model name")
                .with_help(format!("name it `{}`", pascal_fix(&name)));
            cx.report(d);
            return;
        }
        let words = pascal_words(&name);
        let Some(last) = words.last() else { return };
        if !is_plural(last) {
            return;
        }
        let fixed = format!("{}{}", &name[..name.len() - last.len()], singular(last));
        let d = cx
            .diag(s.ident.span(), format!("model `{name}` is plural"))
            .with_label("one value of a model is one row")
            .with_help(format!(
                "name models in the singular (`{fixed}`) and their tables in the plural"
            ));
        cx.report(d);
    }
}
