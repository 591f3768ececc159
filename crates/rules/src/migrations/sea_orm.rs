//! sea-orm's migration crate, read from its syntax: a migration module's
//! `impl MigrationTrait for Migration`, the list `Migrator::migrations()` returns, and (for
//! `--fix`) where a module's name is written in the file that declares it.

use stratalint_engine::proc_macro2::Span;
use stratalint_engine::syn::punctuated::Punctuated;
use stratalint_engine::syn::spanned::Spanned;
use stratalint_engine::syn::visit::Visit;
use stratalint_engine::syn::{self, Expr, ImplItem, Item, ItemImpl, Token};

fn trait_named<'a>(item: &'a Item, name: &str) -> Option<&'a ItemImpl> {
    let Item::Impl(imp) = item else { return None };
    let (path, _) = imp.trait_.as_ref()?;
    (path.segments.last()?.ident == name).then_some(imp)
}

/// The module's `impl MigrationTrait for …`: does it define `down`, and where is the impl.
pub fn migration_impl(file: &syn::File) -> Option<(bool, Span)> {
    file.items.iter().find_map(|item| {
        let imp = trait_named(item, "MigrationTrait")?;
        let has_down = imp
            .items
            .iter()
            .any(|i| matches!(i, ImplItem::Fn(f) if f.sig.ident == "down"));
        let span = imp
            .trait_
            .as_ref()
            .map(|(p, _)| p.span())
            .unwrap_or_else(|| imp.self_ty.span());
        Some((has_down, span))
    })
}

/// Does the module name itself (`impl MigrationName for Migration`)? Otherwise
/// `#[derive(DeriveMigrationName)]` names it after its file, and that name is what sea-orm
/// records in `seaql_migrations`.
pub fn names_itself(file: &syn::File) -> bool {
    file.items
        .iter()
        .any(|item| trait_named(item, "MigrationName").is_some())
}

/// An entry of `Migrator::migrations()`: the module it names, the entry's span, and the span of
/// the module's name in it (`m2022…` of `Box::new(m2022…::Migration)`).
pub struct Entry {
    pub module: String,
    pub span: Span,
    pub module_span: Span,
}

/// The modules `Migrator::migrations()` lists, in order (`Box::new(m2022…::Migration)`); None
/// when the file has no `impl MigratorTrait` with a `migrations` fn.
pub fn registered(file: &syn::File) -> Option<Vec<Entry>> {
    let imp = file
        .items
        .iter()
        .find_map(|item| trait_named(item, "MigratorTrait"))?;
    let body = imp.items.iter().find_map(|i| match i {
        ImplItem::Fn(f) if f.sig.ident == "migrations" => Some(&f.block),
        _ => None,
    })?;
    let mut v = Entries(Vec::new());
    v.visit_block(body);
    Some(v.0)
}

struct Entries(Vec<Entry>);

impl<'ast> Visit<'ast> for Entries {
    fn visit_expr_call(&mut self, call: &'ast syn::ExprCall) {
        let is_box_new = matches!(&*call.func, Expr::Path(p)
            if p.path.segments.len() >= 2
                && p.path.segments[p.path.segments.len() - 2].ident == "Box"
                && p.path.segments.last().is_some_and(|s| s.ident == "new"));
        if is_box_new {
            if let Some((module, module_span)) = call.args.first().and_then(module_of) {
                self.0.push(Entry {
                    module,
                    span: call.args[0].span(),
                    module_span,
                });
                return;
            }
        }
        syn::visit::visit_expr_call(self, call);
    }

    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        // `vec![…]`: its tokens are expressions
        if mac.path.segments.last().is_some_and(|s| s.ident == "vec") {
            if let Ok(exprs) = mac.parse_body_with(Punctuated::<Expr, Token![,]>::parse_terminated)
            {
                for e in &exprs {
                    self.visit_expr(e);
                }
            }
        }
    }
}

/// `m2022…::Migration` or `m2022…::Migration {}` → `m2022…`, and the span of that name.
fn module_of(e: &Expr) -> Option<(String, Span)> {
    let path = match e {
        Expr::Path(p) => &p.path,
        Expr::Struct(s) => &s.path,
        _ => return None,
    };
    let n = path.segments.len();
    (n >= 2 && path.segments[n - 1].ident == "Migration").then(|| {
        let m = &path.segments[n - 2].ident;
        (m.to_string(), m.span())
    })
}

/// A file-backed `mod name;` of the file, at its top level: the span of its name, and whether a
/// `#[path]` attribute places it. None when the file declares no such module.
pub fn mod_declaration(file: &syn::File, name: &str) -> Option<(Span, bool)> {
    file.items.iter().find_map(|item| match item {
        Item::Mod(m) if m.content.is_none() && m.ident == name => {
            let path_attr = m.attrs.iter().any(|a| a.path().is_ident("path"));
            Some((m.ident.span(), path_attr))
        }
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_migrator() {
        let file: syn::File = syn::parse_str(
            r#"
            pub use sea_orm_migration::prelude::*;
            mod m20220101_000001_create_table;
            mod m20220102_000001_add_posts;
            pub struct Migrator;
            #[async_trait::async_trait]
            impl MigratorTrait for Migrator {
                fn migrations() -> Vec<Box<dyn MigrationTrait>> {
                    vec![
                        Box::new(m20220101_000001_create_table::Migration),
                        Box::new(m20220102_000001_add_posts::Migration {}),
                    ]
                }
            }
            "#,
        )
        .unwrap();
        let names: Vec<String> = registered(&file)
            .unwrap()
            .into_iter()
            .map(|e| e.module)
            .collect();
        assert_eq!(
            names,
            [
                "m20220101_000001_create_table",
                "m20220102_000001_add_posts"
            ]
        );
        assert!(migration_impl(&file).is_none());
        let m: syn::File = syn::parse_str(
            "#[async_trait::async_trait] impl MigrationTrait for Migration { async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> { Ok(()) } }",
        )
        .unwrap();
        assert_eq!(migration_impl(&m).map(|x| x.0), Some(false));
    }
}
