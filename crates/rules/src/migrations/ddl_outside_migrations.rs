//! Schema changes (`CREATE/ALTER/DROP TABLE …`) belong in migrations, not in application code.

use std::sync::OnceLock;

use regex::Regex;
use stratalint_engine::syn::punctuated::Punctuated;
use stratalint_engine::syn::spanned::Spanned;
use stratalint_engine::syn::{Expr, Lit, Token};
use stratalint_engine::{Call, Cx, Hooks, MacroCall, MethodCall, Role, Rule, RuleMeta};

static META: RuleMeta = crate::meta!("ddl-outside-migrations", Migrations, "migrations", Error);

pub struct DdlOutsideMigrations;

/// Functions taking SQL text, with the index of the SQL argument.
const SQL_FUNCTIONS: &[(&str, usize)] = &[
    ("sqlx::query", 0),
    ("sqlx::query_as", 0),
    ("sqlx::query_scalar", 0),
    ("sqlx::query_with", 0),
    ("sqlx::query_as_with", 0),
    ("sqlx::query_scalar_with", 0),
    ("sqlx::raw_sql", 0),
    ("sqlx::Executor::execute", 1),
    ("sea_orm::Statement::from_string", 1),
    ("sea_orm::Statement::from_sql_and_values", 1),
    ("sea_orm::entity::prelude::Statement::from_string", 1),
    ("diesel::sql_query", 0),
    ("diesel::dsl::sql_query", 0),
];

/// Methods whose first argument is SQL text to run: sqlx's `Executor::execute` on a pool or
/// connection, sea-orm's `execute_unprepared`, diesel's and tokio-postgres' `batch_execute`,
/// tokio-postgres' `simple_query`, rusqlite's `execute_batch`/`execute`.
const SQL_METHODS: &[&str] = &[
    "execute",
    "execute_unprepared",
    "batch_execute",
    "simple_query",
    "execute_batch",
];

/// Macros whose SQL is their first (`query!`) or second (`query_as!`) argument.
const SQL_MACROS: &[(&str, usize)] = &[
    ("sqlx::query", 0),
    ("sqlx::query_unchecked", 0),
    ("sqlx::query_scalar", 0),
    ("sqlx::query_scalar_unchecked", 0),
    ("sqlx::query_as", 1),
    ("sqlx::query_as_unchecked", 1),
];

/// Schema builders of sea-query (re-exported by sea-orm).
const BUILDERS: &[&str] = &[
    "sea_query::Table::create",
    "sea_query::Table::alter",
    "sea_query::Table::drop",
    "sea_query::Table::rename",
    "sea_orm::sea_query::Table::create",
    "sea_orm::sea_query::Table::alter",
    "sea_orm::sea_query::Table::drop",
    "sea_orm::sea_query::Table::rename",
];

/// Names only the migration tools' own tables and schemas have.
const TOOL_TABLE_MARKERS: &[&str] = &[
    "_sqlx_migrations",
    "_sqlx_test",
    "__diesel_schema_migrations",
    "seaql_migrations",
    "refinery_schema_history",
    "alembic_version",
];

fn ddl_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"(?is)\b(create|alter|drop)\s+((?:(?:or\s+replace|unique|unlogged|materialized|global|local|temp|temporary)\s+)*)(table|index|view|type|sequence|extension)\b(?:\s+if\s+(?:not\s+)?exists)?\s+([A-Za-z_][\w.]*)?",
        )
        .expect("valid regex")
    })
}

/// The first schema change in a SQL text that is not about a temporary table: `CREATE TABLE`.
pub fn ddl_in(sql: &str) -> Option<String> {
    let code = without_strings_and_comments(sql);
    // the migration tools' own bookkeeping (`_sqlx_migrations`, `__diesel_schema_migrations`, …)
    let lower = code.to_ascii_lowercase();
    if TOOL_TABLE_MARKERS.iter().any(|m| lower.contains(m)) {
        return None;
    }
    let mut temp_tables: Vec<String> = Vec::new();
    for c in ddl_re().captures_iter(&code) {
        let verb = c[1].to_ascii_uppercase();
        let modifiers = c[2].to_ascii_lowercase();
        let object = c[3].to_ascii_uppercase();
        let name = c.get(4).map(|m| m.as_str().to_ascii_lowercase());
        if object == "TABLE" && modifiers.contains("temp") {
            temp_tables.extend(name);
            continue;
        }
        // dropping the temporary table this SQL created
        if verb == "DROP"
            && object == "TABLE"
            && name.as_ref().is_some_and(|n| temp_tables.contains(n))
        {
            continue;
        }
        return Some(format!("{verb} {object}"));
    }
    None
}

/// The SQL with its string literals emptied and its comments removed, so that words inside them
/// are not read as statements.
fn without_strings_and_comments(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                out.push_str("''");
                for d in chars.by_ref() {
                    if d == '\'' {
                        break;
                    }
                }
            }
            '-' if chars.peek() == Some(&'-') => {
                for d in chars.by_ref() {
                    if d == '\n' {
                        out.push('\n');
                        break;
                    }
                }
            }
            _ => out.push(c),
        }
    }
    out
}

/// The text of a string the expression certainly is: a literal, a local bound to one, a
/// `format!` template, through `&`, parentheses and `.to_string()`-like calls.
fn literal_text(cx: &Cx<'_, '_>, e: &Expr, depth: u8) -> Option<String> {
    if depth > 4 {
        return None;
    }
    match e {
        Expr::Lit(l) => match &l.lit {
            Lit::Str(s) => Some(s.value()),
            _ => None,
        },
        Expr::Reference(r) => literal_text(cx, &r.expr, depth + 1),
        Expr::Paren(p) => literal_text(cx, &p.expr, depth + 1),
        Expr::Group(g) => literal_text(cx, &g.expr, depth + 1),
        Expr::MethodCall(m)
            if matches!(
                m.method.to_string().as_str(),
                "to_string" | "to_owned" | "into" | "as_str" | "as_ref" | "clone"
            ) =>
        {
            literal_text(cx, &m.receiver, depth + 1)
        }
        Expr::Macro(m)
            if m.mac
                .path
                .segments
                .last()
                .is_some_and(|s| s.ident == "format") =>
        {
            let args = m
                .mac
                .parse_body_with(Punctuated::<Expr, Token![,]>::parse_terminated)
                .ok()?;
            literal_text(cx, args.first()?, depth + 1)
        }
        Expr::Path(p) if p.path.segments.len() == 1 && p.qself.is_none() => {
            let local = cx.local(&p.path.segments[0].ident.to_string())?;
            literal_text(cx, local.init?, depth + 1)
        }
        _ => None,
    }
}

impl DdlOutsideMigrations {
    fn applies(cx: &Cx<'_, '_>) -> bool {
        !cx.in_test() && cx.role() != Some(Role::Migrations)
    }

    fn check_sql(cx: &mut Cx<'_, '_>, sql: &Expr, via: &str) {
        let Some(text) = literal_text(cx, sql, 0) else {
            return;
        };
        let Some(ddl) = ddl_in(&text) else { return };
        Self::report(cx, sql.span(), &ddl, via);
    }

    fn report(
        cx: &mut Cx<'_, '_>,
        span: stratalint_engine::proc_macro2::Span,
        ddl: &str,
        via: &str,
    ) {
        let d = cx
            .diag(span, format!("schema change `{ddl}` run from application code through `{via}`"))
            .with_label("DDL outside the migrations")
            .with_help(
                "tables change through migrations only: move it to a new migration (`migrations/20260117_0930_<feature>.sql`) \
                 that the migration tool runs (`sqlx::migrate!`, `Migrator::up`, `embed_migrations!`); temporary tables are fine",
            );
        cx.report(d);
    }
}

impl Rule for DdlOutsideMigrations {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn hooks(&self) -> Hooks {
        Hooks::CALL | Hooks::METHOD_CALL | Hooks::MACRO
    }

    fn check_call(&self, cx: &mut Cx<'_, '_>, call: &Call<'_>) {
        if !Self::applies(cx) {
            return;
        }
        let Some(path) = &call.path else { return };
        if let Some(&(f, i)) = SQL_FUNCTIONS.iter().find(|(p, _)| path.is(p)) {
            if let Some(sql) = call.arg(i) {
                Self::check_sql(cx, sql, f);
            }
        } else if let Some(b) = BUILDERS.iter().find(|p| path.is(p)) {
            let verb = b
                .rsplit("::")
                .next()
                .unwrap_or("create")
                .to_ascii_uppercase();
            Self::report(
                cx,
                call.span(),
                &format!("{verb} TABLE"),
                "sea-query's `Table` builder",
            );
        }
    }

    fn check_method_call(&self, cx: &mut Cx<'_, '_>, call: &MethodCall<'_>) {
        if !Self::applies(cx) {
            return;
        }
        if call.method == "create_table_from_entity" {
            Self::report(
                cx,
                call.method_span(),
                "CREATE TABLE",
                ".create_table_from_entity",
            );
            return;
        }
        if SQL_METHODS.contains(&call.method.as_str()) {
            if let Some(sql) = call.arg(0) {
                Self::check_sql(cx, sql, &format!(".{}", call.method));
            }
        }
    }

    fn check_macro(&self, cx: &mut Cx<'_, '_>, mac: &MacroCall<'_>) {
        if !Self::applies(cx) {
            return;
        }
        let Some(path) = &mac.path else { return };
        let Some(&(m, i)) = SQL_MACROS.iter().find(|(p, _)| path.is(p)) else {
            return;
        };
        if let Some(sql) = mac.args.exprs().get(i) {
            Self::check_sql(cx, sql, &format!("{m}!"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_ddl() {
        assert_eq!(
            ddl_in("CREATE TABLE IF NOT EXISTS users (id INT)").as_deref(),
            Some("CREATE TABLE")
        );
        assert_eq!(
            ddl_in("alter table users add column x int").as_deref(),
            Some("ALTER TABLE")
        );
        assert_eq!(
            ddl_in("CREATE UNIQUE INDEX CONCURRENTLY x ON y (z)").as_deref(),
            Some("CREATE INDEX")
        );
        assert_eq!(
            ddl_in("CREATE TEMP TABLE scratch AS SELECT 1; DROP TABLE scratch;"),
            None
        );
        assert_eq!(
            ddl_in("CREATE TEMPORARY TABLE s (x int); DROP TABLE users").as_deref(),
            Some("DROP TABLE")
        );
        assert_eq!(
            ddl_in("SELECT created_at FROM t WHERE kind = 'drop table' -- create table x"),
            None
        );
        assert_eq!(ddl_in("SELECT * FROM users"), None);
        assert_eq!(
            ddl_in("CREATE TABLE IF NOT EXISTS _sqlx_migrations (version BIGINT)"),
            None
        );
        assert_eq!(ddl_in("INSERT INTO audit (action) VALUES ('create')"), None);
    }
}
