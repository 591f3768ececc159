//! In the entity layers, one entity per file and the file named after it: `models/user.rs` holds
//! `User`, `repositories/user_repository.rs` holds `UserRepository`, `services/user_service.rs`
//! holds `UserService`, and `schemas/user.rs` holds `User`'s DTOs.

use stratalint_engine::syn::{self, Item, Visibility};
use stratalint_engine::{Cx, Hooks, Loc, ProjectCx, Role, Rule, RuleMeta};

use super::entity::{
    attr_value, contains_words, db_derive, dto_derive, file_stem, is_layer_root, pascal, RowDerive,
    SEA_ORM_GENERATED,
};
use super::inflect::pascal_words;
use super::to_snake_case;

static META: RuleMeta = crate::meta!("entity-file-name", Naming, "naming", Warning);

pub struct EntityFileName;

/// The model names a models file defines (for the schemas check).
#[derive(serde::Serialize, serde::Deserialize)]
struct Models(Vec<String>);

/// The DTOs of a schemas file.
#[derive(serde::Serialize, serde::Deserialize)]
struct Dtos {
    stem: String,
    dir: String,
    items: Vec<(String, Loc)>,
}

/// The entities of a file of a layer: (name, where).
fn entities<'f>(
    cx: &Cx<'_, '_>,
    file: &'f syn::File,
    role: Role,
    stem: &str,
) -> Vec<&'f syn::Ident> {
    let last_word = |id: &syn::Ident, words: &[&str]| {
        let name = id.to_string();
        pascal_words(&name)
            .last()
            .is_some_and(|w| words.contains(w))
    };
    file.items
        .iter()
        .filter_map(|item| match (role, item) {
            (Role::Models, Item::Struct(s)) => {
                let name = s.ident.to_string();
                let model = db_derive(cx, &s.attrs).is_some()
                    || attr_value(&s.attrs, "diesel", "table_name").is_some()
                    || (matches!(s.vis, Visibility::Public(_)) && to_snake_case(&name) == stem);
                (model && !SEA_ORM_GENERATED.contains(&name.as_str())).then_some(&s.ident)
            }
            (Role::Repositories, Item::Struct(s)) => {
                last_word(&s.ident, &["Repository", "Repo"]).then_some(&s.ident)
            }
            (Role::Repositories, Item::Trait(t)) => {
                last_word(&t.ident, &["Repository", "Repo"]).then_some(&t.ident)
            }
            (Role::Services, Item::Struct(s)) => {
                last_word(&s.ident, &["Service"]).then_some(&s.ident)
            }
            (Role::Services, Item::Trait(t)) => {
                last_word(&t.ident, &["Service"]).then_some(&t.ident)
            }
            _ => None,
        })
        .collect()
}

/// A sea-orm entity file: named after its table by sea-orm-cli, its model is `Model`.
fn is_sea_orm_entity(cx: &Cx<'_, '_>, file: &syn::File) -> bool {
    file.items.iter().any(|i| match i {
        Item::Struct(s) => {
            db_derive(cx, &s.attrs) == Some(RowDerive::SeaOrm)
                || attr_value(&s.attrs, "sea_orm", "table_name").is_some()
        }
        _ => false,
    })
}

impl Rule for EntityFileName {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn hooks(&self) -> Hooks {
        Hooks::FILE | Hooks::PROJECT
    }

    fn check_file(&self, cx: &mut Cx<'_, '_>, file: &syn::File) {
        let Some(role) = cx.role() else { return };
        if cx.in_test() {
            return;
        }
        let rel = cx.file().rel.clone();
        let stem = file_stem(&rel).to_string();
        let dir = rel.rsplit_once('/').map_or("", |(d, _)| d).to_string();
        let dir = if rel.ends_with("/mod.rs") {
            dir.rsplit_once('/').map_or("", |(d, _)| d).to_string()
        } else {
            dir
        };
        match role {
            Role::Models | Role::Repositories | Role::Services => {}
            Role::Schemas => {
                let items = file
                    .items
                    .iter()
                    .filter_map(|i| match i {
                        Item::Struct(s) if dto_derive(cx, &s.attrs) => {
                            Some((s.ident.to_string(), cx.loc(s.ident.span())))
                        }
                        _ => None,
                    })
                    .collect();
                cx.fact(Dtos { stem, dir, items });
                return;
            }
            _ => return,
        }
        if role == Role::Models && is_sea_orm_entity(cx, file) {
            return;
        }
        let found = entities(cx, file, role, &stem);
        if role == Role::Models {
            cx.fact(Models(found.iter().map(|i| i.to_string()).collect()));
        }
        if is_layer_root(&stem) || found.is_empty() {
            return;
        }
        let (what, base) = match role {
            Role::Models => ("model", stem.as_str()),
            Role::Repositories => (
                "repository",
                stem.strip_suffix("_repository")
                    .or_else(|| stem.strip_suffix("_repo"))
                    .unwrap_or(&stem),
            ),
            _ => ("service", stem.strip_suffix("_service").unwrap_or(&stem)),
        };
        let entity = pascal(base);
        let belongs = |id: &syn::Ident| contains_words(&id.to_string(), &entity);
        let own = found.iter().filter(|i| belongs(i)).count();
        let file_name = rel.rsplit('/').next().unwrap_or(&rel).to_string();
        let mut out = Vec::new();
        for id in found.iter().filter(|i| !belongs(i)) {
            let name = id.to_string();
            let target = format!("{dir}/{}.rs", to_snake_case(&name));
            let (message, help) = if own == 0 && found.len() == 1 {
                (
                    format!("`{file_name}` holds the {what} `{name}`: a file is named after the {what} it holds"),
                    format!("rename the file `{}.rs` (and its `mod` line), or the {what}", to_snake_case(&name)),
                )
            } else {
                (
                    format!("`{name}` is another {what} in `{file_name}`: one entity per file"),
                    format!("move it to `{target}`"),
                )
            };
            out.push((cx.loc(id.span()), message, help));
        }
        for (loc, message, help) in out {
            let d = cx
                .diag_at(loc, message)
                .with_label(format!("{what} not named by the file"))
                .with_help(help);
            cx.report(d);
        }
    }

    fn check_project(&self, cx: &mut ProjectCx<'_>) {
        let models: Vec<&str> = cx
            .facts::<Models>()
            .flat_map(|(m, _)| m.0.iter().map(String::as_str))
            .collect();
        let mut out = Vec::new();
        for (dtos, _) in cx.facts::<Dtos>() {
            let entity = pascal(&dtos.stem);
            if is_layer_root(&dtos.stem) || !models.contains(&entity.as_str()) {
                continue;
            }
            for (name, loc) in &dtos.items {
                if contains_words(name, &entity) {
                    continue;
                }
                let Some(other) = models
                    .iter()
                    .filter(|m| contains_words(name, m))
                    .max_by_key(|m| m.len())
                else {
                    continue;
                };
                out.push((
                    loc.clone(),
                    format!("`{name}` is a schema of `{other}` in `{}.rs`, the file of `{entity}`: one entity per file", dtos.stem),
                    format!("move it to `{}/{}.rs`", dtos.dir, to_snake_case(other)),
                ));
            }
        }
        for (loc, message, help) in out {
            let d = cx
                .diag_at(loc, message)
                .with_label("schema of another entity")
                .with_help(help);
            cx.report(d);
        }
    }
}
