//! Tables are named in plural snake_case (`users`, `blog_posts`), wherever they are named: SQL
//! migrations, sea-orm `table_name`, diesel `table!` and `#[diesel(table_name)]`.

use stratalint_engine::syn::Item;
use stratalint_engine::{Cx, Hooks, MacroCall, ProjectCx, Rule, RuleMeta, TextCx, TextFile};

use super::inflect::{is_plural, is_uncountable, plural};
use super::tables::{self, Decl, Origin, RustDecls, TOOL_TABLES};
use super::{is_snake_case, to_snake_case};

static META: RuleMeta = crate::meta!("table-name", Naming, "naming", Warning);

pub struct TableName;

/// Trailing words that qualify a table rather than name what it holds (`users_archive`).
const QUALIFIERS: &[&str] = &[
    "archive",
    "backup",
    "bak",
    "copy",
    "deprecated",
    "history",
    "legacy",
    "new",
    "old",
    "snapshot",
    "staging",
    "temp",
    "tmp",
];

/// What is wrong with a table name, and the name it should have.
pub fn problem(name: &str) -> Option<(String, String)> {
    if !is_snake_case(name) {
        let fixed = to_snake_case(name);
        // the plural of the snake_case name; not again when that is still not snake_case
        // (`order__lines`, `Ordér`): it would recurse forever
        let fixed = if is_snake_case(&fixed) {
            problem(&fixed).map_or(fixed, |(_, f)| f)
        } else {
            fixed
        };
        return Some((format!("table `{name}` is not snake_case"), fixed));
    }
    let words: Vec<&str> = name.split('_').filter(|w| !w.is_empty()).collect();
    let qualifier = |w: &str| {
        let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        QUALIFIERS.contains(&w) || digits(w) || w.strip_prefix('v').is_some_and(digits)
    };
    let noun = words.iter().rposition(|w| !qualifier(w))?;
    let word = words[noun];
    if is_plural(word) || is_uncountable(word) || word.len() < 2 {
        return None;
    }
    let mut fixed: Vec<String> = words.iter().map(|w| w.to_string()).collect();
    fixed[noun] = plural(word);
    Some((format!("table `{name}` is singular"), fixed.join("_")))
}

impl TableName {
    fn report(cx: &mut ProjectCx<'_>, d: &Decl) {
        if TOOL_TABLES.contains(&d.name.as_str()) {
            return;
        }
        let Some((message, fixed)) = problem(&d.name) else {
            return;
        };
        let help = match d.origin {
            Origin::Sql => format!(
                "name it `{fixed}` (tables plural, models singular); if this migration was applied already, rename it in a new one: `ALTER TABLE {} RENAME TO {fixed};`",
                if is_snake_case(&d.name) { d.name.clone() } else { format!("\"{}\"", d.name) }
            ),
            _ => format!(
                "name the table `{fixed}` (tables plural, models singular): rename it in a migration, then here"
            ),
        };
        let diag = cx
            .diag_at(
                d.loc.clone(),
                format!("{message}: tables are named in plural snake_case"),
            )
            .with_label("table name")
            .with_help(help);
        cx.report(diag);
    }
}

impl Rule for TableName {
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
        let decls = tables::struct_decls(cx, s, true);
        if !decls.is_empty() {
            cx.fact(RustDecls(decls));
        }
    }

    fn check_macro(&self, cx: &mut Cx<'_, '_>, mac: &MacroCall<'_>) {
        if cx.in_test() || !tables::is_diesel_table(cx, mac) {
            return;
        }
        let decls = tables::diesel_decls(cx, &mac.mac.tokens, true);
        if !decls.is_empty() {
            cx.fact(RustDecls(decls));
        }
    }

    fn check_project(&self, cx: &mut ProjectCx<'_>) {
        let (sql_tables, _) = tables::final_schema(tables::sql_facts(cx).into_iter());
        let owned: Vec<String> = sql_tables.iter().map(|t| t.key.clone()).collect();
        let rust: Vec<Decl> = cx
            .facts::<RustDecls>()
            .flat_map(|(r, _)| r.0.iter().cloned())
            .collect();
        for t in &sql_tables {
            let d = Decl {
                name: t.value.clone(),
                loc: t.loc.clone(),
                origin: Origin::Sql,
            };
            Self::report(cx, &d);
        }
        for d in &rust {
            if owned.contains(&d.name.to_ascii_lowercase()) || owned.contains(&d.name) {
                continue;
            }
            // a reference to a `table!` declared in the project is reported at the declaration
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_names() {
        assert_eq!(problem("users"), None);
        assert_eq!(problem("blog_posts"), None);
        assert_eq!(problem("user_settings"), None);
        assert_eq!(problem("news"), None);
        assert_eq!(problem("events_2024"), None);
        assert_eq!(problem("users_archive"), None);
        assert_eq!(problem("user").unwrap().1, "users");
        // names snake_case conversion cannot fix (found by the fuzzer: a stack overflow)
        assert_eq!(problem("order__lines").unwrap().1, "order__lines");
        assert_eq!(problem("Ordér").unwrap().1, "ordér");
        assert_eq!(problem("OrderLin\u{11}es").unwrap().1, "order_lin\u{11}es");
        assert_eq!(problem("blog_post").unwrap().1, "blog_posts");
        assert_eq!(problem("category").unwrap().1, "categories");
        assert_eq!(problem("person").unwrap().1, "people");
        assert_eq!(problem("status").unwrap().1, "statuses");
        assert_eq!(problem("UserProfiles").unwrap().1, "user_profiles");
        assert_eq!(problem("UserProfile").unwrap().1, "user_profiles");
    }
}
