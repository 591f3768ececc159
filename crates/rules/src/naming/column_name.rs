//! Columns are named in snake_case (`created_at`, `user_id`), wherever they are named: SQL
//! migrations, sea-orm `column_name`, diesel `table!` and `#[diesel(column_name)]`, sqlx `FromRow`
//! renames.

use stratalint_engine::syn::Item;
use stratalint_engine::{Cx, Hooks, MacroCall, ProjectCx, Rule, RuleMeta, TextCx, TextFile};

use super::entity::{attr_value, db_derive, RowDerive};
use super::tables::{self, Decl, Origin, RustDecls};
use super::{is_snake_case, to_snake_case};

static META: RuleMeta = crate::meta!("column-name", Naming, "naming", Warning);

pub struct ColumnName;

/// `rename_all` styles that keep snake_case field names snake_case.
const SNAKE_STYLES: &[&str] = &["snake_case", "lowercase"];

impl ColumnName {
    fn report(cx: &mut ProjectCx<'_>, d: &Decl) {
        if is_snake_case(&d.name) {
            return;
        }
        let fixed = to_snake_case(&d.name);
        let help = match d.origin {
            Origin::Sql => format!(
                "name it `{fixed}`; if this migration was applied already, rename it in a new one: `ALTER TABLE … RENAME COLUMN \"{}\" TO {fixed};`",
                d.name
            ),
            _ => format!("name the column `{fixed}`: rename it in a migration, then here"),
        };
        let diag = cx
            .diag_at(
                d.loc.clone(),
                format!("column `{}` is not snake_case", d.name),
            )
            .with_label("column name")
            .with_help(help);
        cx.report(diag);
    }
}

impl Rule for ColumnName {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn hooks(&self) -> Hooks {
        Hooks::TEXT_FILE | Hooks::ITEM | Hooks::MACRO | Hooks::PROJECT
    }

    fn check_text_file(&self, cx: &mut TextCx<'_>, file: &TextFile<'_>) {
        tables::record_sql(cx, file);
    }

    fn check_item(&self, cx: &mut Cx<'_, '_>, item: &Item) {
        let Item::Struct(s) = item else { return };
        if cx.in_test() {
            return;
        }
        // `#[sqlx(rename_all = "camelCase")]` on a row type names every column
        // (the attribute first: most structs have no `#[sqlx]`, and need no derives read then)
        if let Some(v) = attr_value(&s.attrs, "sqlx", "rename_all") {
            if !SNAKE_STYLES.contains(&v.value.as_str())
                && db_derive(cx, &s.attrs) == Some(RowDerive::Sqlx)
            {
                let d = cx
                    .diag(v.span, format!("`rename_all = \"{}\"` reads every column of `{}` in {}, not snake_case", v.value, s.ident, v.value))
                    .with_label("column names")
                    .with_help("name columns in snake_case and drop `rename_all` (field names are snake_case already)");
                cx.report(d);
            }
        }
        let decls = tables::struct_decls(cx, s, false);
        if !decls.is_empty() {
            cx.fact(RustDecls(decls));
        }
    }

    fn check_macro(&self, cx: &mut Cx<'_, '_>, mac: &MacroCall<'_>) {
        if cx.in_test() || !tables::is_diesel_table(cx, mac) {
            return;
        }
        let decls = tables::diesel_decls(cx, &mac.mac.tokens, false);
        if !decls.is_empty() {
            cx.fact(RustDecls(decls));
        }
    }

    fn check_project(&self, cx: &mut ProjectCx<'_>) {
        let (_, sql_columns) = tables::final_schema(tables::sql_facts(cx).into_iter());
        let owned: Vec<String> = sql_columns.iter().map(|c| c.value.clone()).collect();
        let rust: Vec<Decl> = cx
            .facts::<RustDecls>()
            .flat_map(|(r, _)| r.0.iter().cloned())
            .collect();
        for c in &sql_columns {
            let d = Decl {
                name: c.value.clone(),
                loc: c.loc.clone(),
                origin: Origin::Sql,
            };
            Self::report(cx, &d);
        }
        for d in &rust {
            if owned.contains(&d.name) || owned.iter().any(|o| o.eq_ignore_ascii_case(&d.name)) {
                continue;
            }
            if d.origin == Origin::DieselRef
                && rust
                    .iter()
                    .any(|o| o.origin != Origin::DieselRef && o.name == d.name)
            {
                continue;
            }
            Self::report(cx, d);
        }
    }
}
