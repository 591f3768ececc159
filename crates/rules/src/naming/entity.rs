//! What a type is, from its attributes: a database model (sqlx `FromRow`, diesel's derives,
//! sea-orm's `DeriveEntityModel`), a DTO (serde or validator derives), and the values of
//! `#[sea_orm(..)]`, `#[diesel(..)]`, `#[sqlx(..)]` arguments.

use std::borrow::Cow;

use stratalint_engine::proc_macro2::Span;
use stratalint_engine::syn::spanned::Spanned;
use stratalint_engine::syn::{self, Attribute, Expr, Lit, Token};
use stratalint_engine::{Cx, Derive};

/// The ORM a row derive belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RowDerive {
    Sqlx,
    Diesel,
    SeaOrm,
}

const DB_DERIVES: &[(&str, RowDerive)] = &[
    ("FromRow", RowDerive::Sqlx),
    ("Queryable", RowDerive::Diesel),
    ("Selectable", RowDerive::Diesel),
    ("Insertable", RowDerive::Diesel),
    ("Identifiable", RowDerive::Diesel),
    ("AsChangeset", RowDerive::Diesel),
    ("QueryableByName", RowDerive::Diesel),
    ("Associations", RowDerive::Diesel),
    ("DeriveEntityModel", RowDerive::SeaOrm),
];

const DTO_DERIVES: &[&str] = &[
    "Serialize",
    "Deserialize",
    "Validate",
    "ToSchema",
    "IntoParams",
    "JsonSchema",
];

/// The crates a derive of that name may come from (a resolution elsewhere is someone else's).
fn crate_of(orm: RowDerive) -> &'static [&'static str] {
    match orm {
        RowDerive::Sqlx => &["sqlx", "sqlx_core", "sqlx_macros"],
        RowDerive::Diesel => &["diesel", "diesel_derives"],
        RowDerive::SeaOrm => &["sea_orm", "sea_orm_macros"],
    }
}

/// sea-orm's generated names: exempt from the model naming rules.
pub const SEA_ORM_GENERATED: &[&str] = &[
    "Model",
    "ActiveModel",
    "Entity",
    "Relation",
    "Column",
    "PrimaryKey",
];

/// The derives of an item: (last segment, resolved first segment if known).
pub fn derives(cx: &Cx<'_, '_>, attrs: &[Attribute]) -> Vec<(String, Option<String>)> {
    cx.derives(attrs)
        .iter()
        .filter_map(|d| {
            let (name, krate) = derive_name(d)?;
            Some((name.into_owned(), krate.map(str::to_string)))
        })
        .collect()
}

/// A derive as [`derives`] lists it, borrowed when resolved.
fn derive_name(d: &Derive) -> Option<(Cow<'_, str>, Option<&str>)> {
    // through imports and renames: `use sqlx::FromRow as Row; #[derive(Row)]`
    match d.resolved.as_ref().filter(|q| !q.first().is_empty()) {
        Some(q) => Some((Cow::Borrowed(q.last()), Some(q.first()))),
        None => Some((Cow::Owned(d.path.segments.last()?.ident.to_string()), None)),
    }
}

/// Which ORM the item is a model of, from its derives.
pub fn db_derive(cx: &Cx<'_, '_>, attrs: &[Attribute]) -> Option<RowDerive> {
    let local = cx
        .project()
        .crate_of(cx.file())
        .map_or("", |c| c.name.as_str());
    cx.derives(attrs).iter().find_map(|d| {
        let (name, krate) = derive_name(d)?;
        let (_, orm) = DB_DERIVES.iter().find(|(n, _)| *n == name)?;
        match krate {
            // resolved into a crate that is not the ORM's: someone else's derive of that name
            Some(k) if k != local && k != "crate" && !crate_of(*orm).contains(&k) => None,
            _ => Some(*orm),
        }
    })
}

/// Does the item derive serde/validator traits (a DTO)?
pub fn dto_derive(cx: &Cx<'_, '_>, attrs: &[Attribute]) -> bool {
    cx.derives(attrs)
        .iter()
        .filter_map(derive_name)
        .any(|(n, _)| DTO_DERIVES.contains(&&*n))
}

/// The value of an argument of an attribute: `#[sea_orm(table_name = "users")]`.
#[derive(Clone, Debug)]
pub struct AttrValue {
    /// The string's contents, or the path as written (`#[diesel(table_name = users)]`).
    pub value: String,
    pub span: Span,
}

/// `#[<ns>(<key> = …)]` on these attributes, string or path value.
pub fn attr_value(attrs: &[Attribute], ns: &str, key: &str) -> Option<AttrValue> {
    let mut found = None;
    for a in attrs.iter().filter(|a| a.path().is_ident(ns)) {
        let _ = a.parse_nested_meta(|meta| {
            if meta.input.peek(Token![=]) {
                let v: Expr = meta.value()?.parse()?;
                if meta.path.is_ident(key) && found.is_none() {
                    found = match &v {
                        Expr::Lit(l) => match &l.lit {
                            Lit::Str(s) => Some(AttrValue {
                                value: s.value(),
                                span: s.span(),
                            }),
                            _ => None,
                        },
                        Expr::Path(p) => p.path.segments.last().map(|s| AttrValue {
                            value: s.ident.to_string(),
                            span: p.span(),
                        }),
                        _ => None,
                    };
                }
            } else if meta.input.peek(syn::token::Paren) {
                let _ = meta.parse_nested_meta(|inner| {
                    if inner.input.peek(Token![=]) {
                        let _: Expr = inner.value()?.parse()?;
                    }
                    Ok(())
                });
            }
            Ok(())
        });
    }
    found
}

/// The words of a snake_case file stem as a PascalCase name (`blog_post` → `BlogPost`).
pub fn pascal(stem: &str) -> String {
    stem.split('_')
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut c = w.chars();
            match c.next() {
                Some(f) => f.to_ascii_uppercase().to_string() + c.as_str(),
                None => String::new(),
            }
        })
        .collect()
}

/// Does `name`'s word sequence contain `part`'s (`NewUser` contains `User`; `Username` does not)?
pub fn contains_words(name: &str, part: &str) -> bool {
    let n = super::inflect::pascal_words(name);
    let p = super::inflect::pascal_words(part);
    !p.is_empty() && n.windows(p.len()).any(|w| w == p.as_slice())
}

/// A file's stem and the name it is known by (`user.rs` → `user`; `user/mod.rs` → `user`).
pub fn file_stem(rel: &str) -> &str {
    let mut parts = rel.rsplit('/');
    let file = parts.next().unwrap_or(rel);
    let stem = file.strip_suffix(".rs").unwrap_or(file);
    if stem == "mod" {
        parts.next().unwrap_or(stem)
    } else {
        stem
    }
}

/// Folder names of the layers: a file named like one is the layer's root, not an entity.
pub fn is_layer_root(stem: &str) -> bool {
    matches!(
        stem,
        "models"
            | "model"
            | "entities"
            | "entity"
            | "domain"
            | "schemas"
            | "schema"
            | "dto"
            | "dtos"
            | "repositories"
            | "repository"
            | "repo"
            | "repos"
            | "db"
            | "database"
            | "dal"
            | "persistence"
            | "services"
            | "service"
            | "lib"
            | "main"
            | "prelude"
    )
}
