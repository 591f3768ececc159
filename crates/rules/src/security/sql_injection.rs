//! SQL built from non-constant parts is SQL injection waiting for its input (CWE-89).

use stratalint_engine::syn::spanned::Spanned;
use stratalint_engine::syn::Expr;
use stratalint_engine::{Call, Cx, Hooks, MethodCall, Rule, RuleMeta, StrOrigin};

static META: RuleMeta = crate::meta!("sql-injection", Security, "security", Error);

/// Functions taking SQL text, with the index of the SQL argument.
const SQL_SINKS: &[(&str, usize)] = &[
    ("sqlx::query", 0),
    ("sqlx::query_as", 0),
    ("sqlx::query_scalar", 0),
    ("sqlx::query_with", 0),
    ("sqlx::query_as_with", 0),
    ("sqlx::query_scalar_with", 0),
    ("sqlx::raw_sql", 0),
    ("sqlx::QueryBuilder::new", 0),
    ("sqlx::query_builder::QueryBuilder::new", 0),
    ("sea_orm::Statement::from_string", 1),
    ("sea_orm::Statement::from_sql_and_values", 1),
    ("sea_orm::entity::prelude::Statement::from_string", 1),
    ("diesel::sql_query", 0),
    ("diesel::dsl::sql", 0),
    ("diesel::dsl::sql_query", 0),
];

/// Methods taking SQL text as their first argument (sea-orm's `ConnectionTrait`).
const SQL_METHODS: &[&str] = &["execute_unprepared"];

pub struct SqlInjection;

impl SqlInjection {
    fn check_sql(cx: &mut Cx<'_, '_>, sink: &str, sql: &Expr) {
        let StrOrigin::Built(built_at) = cx.str_origin(sql) else {
            return;
        };
        let arg_loc = cx.loc(sql.span());
        let built_loc = cx.loc(built_at);
        let mut d = cx
            .diag_at(arg_loc.clone(), format!("SQL built from non-constant parts is passed to `{sink}`"))
            .with_label("this SQL is not a constant")
            .with_help(
                "keep the SQL constant and pass values as parameters (`$1` … with `.bind(value)`); identifiers chosen \
                 at runtime must come from a fixed set of literals",
            );
        // point at where the SQL was built when that is not the argument itself
        if built_loc.start < arg_loc.start || built_loc.end > arg_loc.end {
            d = d.with_secondary(built_loc, "built here");
        }
        cx.report(d);
    }
}

impl Rule for SqlInjection {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn hooks(&self) -> Hooks {
        Hooks::CALL | Hooks::METHOD_CALL
    }

    fn check_call(&self, cx: &mut Cx<'_, '_>, call: &Call<'_>) {
        if cx.in_test() {
            return;
        }
        let Some(path) = &call.path else { return };
        let Some(&(sink, index)) = SQL_SINKS.iter().find(|(p, _)| path.is(p)) else {
            return;
        };
        if let Some(sql) = call.arg(index) {
            Self::check_sql(cx, sink, sql);
        }
    }

    fn check_method_call(&self, cx: &mut Cx<'_, '_>, call: &MethodCall<'_>) {
        if cx.in_test() || !SQL_METHODS.contains(&call.method.as_str()) {
            return;
        }
        if let Some(sql) = call.arg(0) {
            let sink = format!(".{}", call.method);
            Self::check_sql(cx, &sink, sql);
        }
    }
}
