//! SQL built from non-constant parts is SQL injection waiting for its input (CWE-89).

use std::sync::OnceLock;

use regex::Regex;
use stratalint_engine::semantic::macros::{inline_captures, parse_macro_args};
use stratalint_engine::syn::spanned::Spanned;
use stratalint_engine::syn::{Expr, ExprLit, Lit};
use stratalint_engine::{Call, Cx, Hooks, MethodCall, Rule, RuleMeta, Severity, StrOrigin};

use super::common::{chain, is_api, peel};

static META: RuleMeta = crate::meta!("sql-injection", Security, "security", Error);

const SQLX: &[&str] = &[
    "sqlx",
    "sqlx_core",
    "sqlx_postgres",
    "sqlx_mysql",
    "sqlx_sqlite",
];
const SEA: &[&str] = &["sea_orm", "sea_query"];
const DIESEL: &[&str] = &["diesel", "diesel_async"];

/// Functions taking SQL text: (crates, path tail, index of the SQL argument).
const SQL_SINKS: &[(&[&str], &str, usize)] = &[
    (SQLX, "query", 0),
    (SQLX, "query_as", 0),
    (SQLX, "query_scalar", 0),
    (SQLX, "query_with", 0),
    (SQLX, "query_as_with", 0),
    (SQLX, "query_scalar_with", 0),
    (SQLX, "raw_sql", 0),
    (SQLX, "QueryBuilder::new", 0),
    (SQLX, "QueryBuilder::with_arguments", 0),
    (SQLX, "Executor::execute", 1),
    (SQLX, "Executor::execute_many", 1),
    (SQLX, "Executor::fetch", 1),
    (SQLX, "Executor::fetch_all", 1),
    (SQLX, "Executor::fetch_one", 1),
    (SQLX, "Executor::fetch_optional", 1),
    (SQLX, "Executor::fetch_many", 1),
    (SEA, "Statement::from_string", 1),
    (SEA, "Statement::from_sql_and_values", 1),
    (SEA, "Expr::cust", 0),
    (SEA, "Expr::cust_with_values", 0),
    (SEA, "Expr::cust_with_expr", 0),
    (SEA, "Expr::cust_with_exprs", 0),
    (SEA, "SimpleExpr::Custom", 0),
    (DIESEL, "sql_query", 0),
    (DIESEL, "sql", 0),
];

/// Methods whose first argument is SQL text: sqlx's `Executor` on a pool, connection or
/// transaction (`pool.execute(sql)`), sea-orm's `execute_unprepared`, `batch_execute`.
const SQL_METHODS: &[&str] = &[
    "execute",
    "execute_many",
    "fetch",
    "fetch_all",
    "fetch_one",
    "fetch_optional",
    "fetch_many",
    "execute_unprepared",
    "batch_execute",
    "simple_query",
];

/// Methods that take SQL in other drivers (tokio-postgres, rusqlite, mysql_async) but whose
/// names are common: they count only when the text built looks like SQL.
const SQL_METHODS_IF_SQL: &[&str] = &[
    "query",
    "query_one",
    "query_opt",
    "query_raw",
    "prepare",
    "prepare_cached",
    "query_row",
    "query_map",
    "query_drop",
    "query_first",
    "query_iter",
    "exec",
    "exec_drop",
];

fn looks_like_sql(text: &str) -> bool {
    static SQL: OnceLock<Regex> = OnceLock::new();
    SQL.get_or_init(|| {
        Regex::new(
            r"(?is)\bselect\b.*\bfrom\b|\binsert\s+into\b|\bdelete\s+from\b|\bupdate\b.*\bset\b|\bwhere\b|\b(?:create|drop|alter|truncate)\s+table\b",
        )
        .expect("valid SQL pattern")
    })
    .is_match(text)
}

pub struct SqlInjection;

impl SqlInjection {
    /// Report `sql` if it was built from non-constant parts. `need_sql`: only when the text looks
    /// like SQL.
    fn check_sql(cx: &mut Cx<'_, '_>, sink: &str, sql: &Expr, need_sql: bool) {
        let StrOrigin::Built(built_at) = cx.str_origin(sql) else {
            return;
        };
        if format_splices_data(cx, sql) == Some(false) {
            return;
        }
        if need_sql {
            let mut text = cx.text_of(built_at).to_string();
            if let Some(init) = cx.local_of(sql).and_then(|v| v.init) {
                text.push_str(cx.text_of(init.span()));
            }
            if !looks_like_sql(&text) {
                return;
            }
        }
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

    /// `qb.push(value)` on an sqlx `QueryBuilder` or its `Separated`: pushed text is not escaped.
    fn check_push(cx: &mut Cx<'_, '_>, call: &MethodCall<'_>) {
        let Some(arg) = call.arg(0) else { return };
        if !is_query_builder(cx, call.receiver()) {
            return;
        }
        let origin = cx.str_origin(arg);
        let reported = match origin {
            StrOrigin::Static => false,
            StrOrigin::Built(_) => true,
            // a value from elsewhere: data (a parameter, a field), unless it is a number
            StrOrigin::Opaque => is_data(arg) && !is_number(cx, arg),
        };
        if !reported {
            return;
        }
        let d = cx
            .diag(
                arg.span(),
                format!("non-constant text pushed into SQL with `QueryBuilder::{}`", call.method),
            )
            .with_label("pushed as SQL, not as a value")
            .with_help(
                "pass values with `.push_bind(value)`; identifiers (columns, sort order) must come from a fixed set \
                 of literals",
            );
        cx.report(d);
    }
}

/// Does a `format!` splice data into the SQL? Parts that are numbers (`LIMIT {limit}` with
/// `limit: i64`) cannot carry SQL syntax, and the results of calls (`sort.as_sql()`, an
/// enum's `&'static str`) are not known to hold input: only parameters, fields and locals holding
/// them count. `None` when the SQL is not a `format!` (then being built is enough).
fn format_splices_data(cx: &Cx<'_, '_>, sql: &Expr) -> Option<bool> {
    let mut e = peel(sql);
    if let Some(init) = cx.value_init(e) {
        e = peel(init);
    }
    // `Cow::from(format!(..))`, `String::from(..)`
    if let Expr::Call(c) = e {
        if c.args.len() == 1 {
            e = peel(&c.args[0]);
        }
    }
    let Expr::Macro(m) = e else { return None };
    m.mac
        .path
        .segments
        .last()
        .is_some_and(|s| s.ident == "format")
        .then(|| format_data(cx, &m.mac, 0))
}

fn format_data(cx: &Cx<'_, '_>, mac: &stratalint_engine::syn::Macro, depth: usize) -> bool {
    let args = parse_macro_args(None, "format", &mac.tokens);
    let Some((first, rest)) = args.exprs().split_first() else {
        return false;
    };
    let captures = match first {
        Expr::Lit(ExprLit {
            lit: Lit::Str(fmt), ..
        }) => inline_captures(&fmt.value())
            .into_iter()
            .any(|name| match cx.local(name) {
                Some(v) => local_is_data(cx, v, depth),
                None => false,
            }),
        _ => true,
    };
    captures
        || rest.iter().any(|a| {
            let a = match a {
                Expr::Assign(asg) => &*asg.right,
                other => other,
            };
            is_data_part(cx, a, depth)
        })
}

fn local_is_data(
    cx: &Cx<'_, '_>,
    v: &stratalint_engine::semantic::LocalVar<'_>,
    depth: usize,
) -> bool {
    if v.ty.as_ref().is_some_and(|t| is_number_type(t.last())) {
        return false;
    }
    match (v.origin, v.init) {
        (StrOrigin::Static, _) => false,
        // grown with `push`/`push_str`/`+=` after an initializer that was not built
        (StrOrigin::Built(_), Some(init)) if !cx.str_origin(init).is_built() => true,
        (_, Some(init)) => is_data_part(cx, init, depth + 1),
        // a parameter, a pattern binding
        (_, None) => true,
    }
}

/// Is this spliced part input data (a parameter, a field, a local holding one)?
fn is_data_part(cx: &Cx<'_, '_>, e: &Expr, depth: usize) -> bool {
    if depth > 8
        || cx.str_origin(e) == StrOrigin::Static
        || cx.eval_int(e).is_some()
        || is_number(cx, e)
    {
        return false;
    }
    match e {
        Expr::Path(p) if p.path.segments.len() == 1 => {
            match cx.local(&p.path.segments[0].ident.to_string()) {
                Some(v) => local_is_data(cx, v, depth),
                None => false,
            }
        }
        Expr::Path(_) => false,
        Expr::Field(_) => true,
        Expr::Reference(r) => is_data_part(cx, &r.expr, depth),
        Expr::Paren(p) => is_data_part(cx, &p.expr, depth),
        Expr::Unary(u) => is_data_part(cx, &u.expr, depth),
        Expr::Try(t) => is_data_part(cx, &t.expr, depth),
        Expr::Binary(b) => is_data_part(cx, &b.left, depth) || is_data_part(cx, &b.right, depth),
        Expr::Macro(m)
            if m.mac
                .path
                .segments
                .last()
                .is_some_and(|s| s.ident == "format") =>
        {
            format_data(cx, &m.mac, depth + 1)
        }
        // methods that hand the data on
        Expr::MethodCall(m) => {
            let passes_on = matches!(
                m.method.to_string().as_str(),
                "as_str"
                    | "as_ref"
                    | "as_deref"
                    | "clone"
                    | "to_string"
                    | "to_owned"
                    | "into"
                    | "trim"
                    | "trim_start"
                    | "trim_end"
                    | "to_lowercase"
                    | "to_uppercase"
                    | "unwrap"
                    | "expect"
                    | "unwrap_or"
                    | "unwrap_or_default"
                    | "unwrap_or_else"
                    | "borrow"
                    | "deref"
                    | "as_bytes"
                    | "into_inner"
                    | "replace"
                    | "join"
                    | "concat"
                    | "cloned"
                    | "copied"
                    | "get"
                    | "first"
                    | "last"
                    | "map"
                    | "and_then"
                    | "filter"
                    | "iter"
                    | "into_iter"
                    | "collect"
                    | "to_vec"
            );
            passes_on && is_data_part(cx, &m.receiver, depth)
        }
        // the result of a call: not known to be input
        _ => false,
    }
}

fn is_number_type(t: &str) -> bool {
    matches!(
        t,
        "i8" | "i16"
            | "i32"
            | "i64"
            | "i128"
            | "isize"
            | "u8"
            | "u16"
            | "u32"
            | "u64"
            | "u128"
            | "usize"
            | "f32"
            | "f64"
            | "bool"
            | "Uuid"
            | "NonZeroU32"
            | "NonZeroU64"
            | "NonZeroUsize"
    )
}

/// The receiver is an sqlx `QueryBuilder` (or a `Separated` made from one).
fn is_query_builder(cx: &Cx<'_, '_>, receiver: &Expr) -> bool {
    let c = chain(cx, receiver);
    match peel(c.root) {
        Expr::Call(root) => cx.resolve_expr(&root.func).is_some_and(|q| {
            is_api(&q, SQLX, "QueryBuilder::new")
                || is_api(&q, SQLX, "QueryBuilder::with_arguments")
        }),
        root => cx
            .expr_type(root)
            .is_some_and(|t| t.in_crates(SQLX) && matches!(t.last(), "QueryBuilder" | "Separated")),
    }
}

/// A parameter, a local or a field: data, as opposed to a computed value (`dir.as_sql()`).
fn is_data(e: &Expr) -> bool {
    match e {
        Expr::Path(p) => p.path.segments.len() == 1,
        Expr::Field(f) => is_data(&f.base) || matches!(&*f.base, Expr::Path(_)),
        Expr::Reference(r) => is_data(&r.expr),
        Expr::Paren(p) => is_data(&p.expr),
        Expr::MethodCall(m)
            if m.args.is_empty()
                && matches!(
                    m.method.to_string().as_str(),
                    "as_str" | "clone" | "as_ref" | "to_string" | "trim"
                ) =>
        {
            is_data(&m.receiver)
        }
        _ => false,
    }
}

/// A local or parameter typed as a number: pushing its `Display` cannot inject.
fn is_number(cx: &Cx<'_, '_>, e: &Expr) -> bool {
    cx.local_of(e)
        .and_then(|v| v.ty.as_ref())
        .is_some_and(|t| is_number_type(t.last()))
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
        // every sink is in one of these crates: one look at the path's first segment rules out
        // almost every call before the sinks' tails are compared
        let krate = path.first();
        if ![SQLX, SEA, DIESEL]
            .iter()
            .any(|crates| crates.contains(&krate))
        {
            return;
        }
        // sqlx 0.9: `AssertSqlSafe(sql)` is where the author vouches for the SQL; that needs a review
        if is_api(path, SQLX, "AssertSqlSafe") {
            if let Some(sql) = call
                .arg(0)
                .filter(|s| cx.str_origin(s) != StrOrigin::Static)
            {
                let mut d = cx
                    .diag(sql.span(), "`AssertSqlSafe` vouches for SQL that is not a constant: audit required")
                    .with_label("asserted safe")
                    .with_help(
                        "make sure every non-constant part is an identifier from a fixed set of literals; pass \
                         values as parameters (`.bind(value)`) instead",
                    );
                d.severity = Severity::Warning;
                cx.report(d);
            }
            return;
        }
        let Some(&(_, tail, index)) = SQL_SINKS
            .iter()
            .find(|(crates, tail, _)| is_api(path, crates, tail))
        else {
            return;
        };
        if let Some(sql) = call.arg(index) {
            let sink = format!("{}::{tail}", path.first());
            Self::check_sql(cx, &sink, sql, false);
        }
    }

    fn check_method_call(&self, cx: &mut Cx<'_, '_>, call: &MethodCall<'_>) {
        if cx.in_test() {
            return;
        }
        let m = call.method.as_str();
        if m == "push" || m == "push_unseparated" {
            Self::check_push(cx, call);
            return;
        }
        let need_sql = SQL_METHODS_IF_SQL.contains(&m);
        if !need_sql && !SQL_METHODS.contains(&m) {
            return;
        }
        if let Some(sql) = call.arg(0) {
            let sink = format!(".{m}");
            Self::check_sql(cx, &sink, sql, need_sql);
        }
    }
}
