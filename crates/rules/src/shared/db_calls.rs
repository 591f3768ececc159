//! Calls that run a database query, for the N+1 rules: sqlx / sea-orm / diesel query chains
//! (recognised with [`super::db::db_access`]), calls handed a pool, connection or transaction,
//! and calls into the repository layer (`self.repo.find_by_id(id)`, `self.users.find_by_email(e)`,
//! `UserRepository::find(&pool, id)`, a function of a repositories-layer module).

use stratalint_engine::proc_macro2::Span;
use stratalint_engine::syn::spanned::Spanned;
use stratalint_engine::syn::visit::Visit;
use stratalint_engine::syn::{self, Expr, Member};
use stratalint_engine::{Cx, QualifiedName, Role};

use super::db::db_access;

/// Methods that run a built query (sqlx, sea-orm, diesel, tokio-postgres, rusqlite).
const EXECUTORS: &[&str] = &[
    "fetch",
    "fetch_one",
    "fetch_all",
    "fetch_optional",
    "fetch_many",
    "execute",
    "execute_many",
    "load",
    "load_iter",
    "get_result",
    "get_results",
    "first",
    "one",
    "all",
    "exec",
    "exec_with_returning",
    "exec_without_returning",
    "count",
    "fetch_page",
    "query",
    "query_one",
    "query_opt",
    "query_row",
    "query_raw",
    "execute_raw",
    "batch_execute",
    "execute_unprepared",
    "query_all",
];

/// Awaited methods that run a query on the connection they are given (sea-orm `ActiveModel`,
/// `Entity::insert(..).exec(db)`, loaders).
const HANDLE_TAKERS: &[&str] = &[
    "insert",
    "update",
    "delete",
    "save",
    "exec",
    "one",
    "all",
    "count",
    "load_many",
    "load_one",
    "find_related",
    "paginate",
    "stream",
];

/// Methods of a repository or a pool that do not run a query.
const NOT_QUERIES: &[&str] = &[
    "clone",
    "as_ref",
    "as_mut",
    "as_deref",
    "deref",
    "borrow",
    "lock",
    "read",
    "write",
    "acquire",
    "try_acquire",
    "get",
    "begin",
    "close",
    "is_closed",
    "size",
    "num_idle",
    "options",
    "state",
    "status",
    "to_owned",
    "into",
];

/// Verbs of repository methods (`find_by_id`, `insert_order`, `get_by_email`); bare verbs only
/// count when the call is awaited (`self.users.find(id).await`).
const QUERY_VERBS: &[&str] = &[
    "find", "fetch", "load", "select", "query", "insert", "update", "upsert", "delete", "save",
    "count", "exists", "list", "create", "remove", "store", "get",
];

/// Receiver names that are not a database even when their methods sound like queries: HTTP and
/// API clients, caches, queues, mailers, channels, object storage.
const NOT_DB_NAMES: &[&str] = &[
    "client",
    "http",
    "api",
    "cache",
    "queue",
    "mailer",
    "mail",
    "email",
    "bus",
    "sender",
    "tx",
    "channel",
    "events",
    "publisher",
    "producer",
    "notifier",
    "s3",
    "bucket",
    "blob",
    "map",
    "set",
    "index",
    "registry",
    "config",
    "settings",
    "env",
    "metrics",
    "limiter",
];

/// Is `name` (a variable or field) a repository, DAO or store?
pub fn is_repository_name(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    ["repo", "repos", "repository", "repositories", "dao", "daos"]
        .iter()
        .any(|s| n == *s || n.ends_with(&format!("_{s}")) || n.ends_with(s) && n.len() > s.len())
        || n == "store"
        || n.ends_with("_store")
}

/// Is `name` a pool, connection or transaction handle?
pub fn is_handle_name(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    matches!(
        n.as_str(),
        "pool"
            | "db"
            | "conn"
            | "connection"
            | "database"
            | "txn"
            | "transaction"
            | "executor"
            | "pg"
    ) || ["_pool", "_conn", "_db", "_txn", "_connection", "_database"]
        .iter()
        .any(|s| n.ends_with(s))
        || n.starts_with("db_")
}

/// The last identifier of a receiver or argument, through `&`, `*`, parentheses and the usual
/// view methods (`&mut *tx`, `self.pool.as_ref()`, `state.db.clone()`).
fn base_name(e: &Expr) -> Option<String> {
    match e {
        Expr::Path(p) if p.qself.is_none() => p.path.segments.last().map(|s| s.ident.to_string()),
        Expr::Field(f) => match &f.member {
            Member::Named(n) => Some(n.to_string()),
            Member::Unnamed(_) => base_name(&f.base),
        },
        Expr::Reference(r) => base_name(&r.expr),
        Expr::Unary(u) => base_name(&u.expr),
        Expr::Paren(p) => base_name(&p.expr),
        Expr::MethodCall(m)
            if matches!(
                m.method.to_string().as_str(),
                "as_ref" | "as_mut" | "clone" | "deref" | "deref_mut" | "get_ref" | "get_mut"
            ) =>
        {
            base_name(&m.receiver)
        }
        _ => None,
    }
}

/// Is `arg` a pool, connection or transaction (`&pool`, `&self.db`, `&mut *tx`, `conn`)?
fn is_handle_arg(cx: &Cx<'_, '_>, arg: &Expr) -> bool {
    let Some(name) = base_name(arg) else {
        return false;
    };
    // `tx` is a channel as often as a transaction: only `&mut *tx`, `&mut tx`, `tx.as_mut()`
    let mutable_borrow = matches!(arg, Expr::Reference(r) if r.mutability.is_some())
        || matches!(arg, Expr::MethodCall(m) if m.method == "as_mut");
    if is_handle_name(&name) || (name == "tx" && mutable_borrow) {
        return true;
    }
    cx.local_of(arg)
        .and_then(|l| l.ty.as_ref())
        .is_some_and(|t| db_access(t).is_some())
}

/// Is the type defined in a module of the repositories layer, or named like a repository?
fn is_repository_type(cx: &Cx<'_, '_>, q: &QualifiedName) -> bool {
    let last = q.last();
    if ["Repository", "Repo", "Dao", "Store"]
        .iter()
        .any(|s| last.ends_with(s))
    {
        return true;
    }
    in_repositories_layer(cx, q)
}

/// Is the item at `q` defined in a module of the repositories layer of this project?
fn in_repositories_layer(cx: &Cx<'_, '_>, q: &QualifiedName) -> bool {
    let krate = q.first();
    let Some(module) = q
        .as_str()
        .strip_prefix(krate)
        .and_then(|m| m.strip_prefix("::"))
    else {
        return false;
    };
    cx.project()
        .file_of_module(krate, module)
        .is_some_and(|f| f.role == Some(Role::Repositories))
}

/// The compact source text of an expression, for messages (`self.users`).
fn text(cx: &Cx<'_, '_>, e: &Expr) -> String {
    cx.text_of(e.span())
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// What kind of query a chain root starts (`sqlx::query(…)`, `query!(…)`, `users::table`,
/// `user::Entity::find()`), if any.
fn query_root(cx: &Cx<'_, '_>, root: &Expr) -> Option<&'static str> {
    let q = match root {
        Expr::Call(c) => cx.resolve_expr(&c.func)?,
        Expr::Macro(m) => cx.resolver().resolve_macro(&m.mac.path)?,
        Expr::Path(_) => cx.resolve_expr(root)?,
        _ => return None,
    };
    match db_access(&q)? {
        k @ ("an sqlx query" | "a sea-orm entity query") => Some(k),
        "a diesel query or connection" | "a diesel table" => Some("a diesel query"),
        _ => None,
    }
}

/// Does `e` (a call or method call) run a database query? `awaited` says whether it is the
/// operand of `.await`. Returns how to name it in a message.
pub fn db_call(cx: &Cx<'_, '_>, e: &Expr, awaited: bool) -> Option<String> {
    match e {
        Expr::MethodCall(m) => db_method_call(cx, m, awaited),
        Expr::Call(c) => db_fn_call(cx, c, awaited),
        _ => None,
    }
}

/// [`db_call`] for a call of a path: an associated function of a repository
/// (`UserRepository::find(&pool, id)`), a function of the repositories layer, or an awaited
/// function handed a pool or connection.
pub fn db_fn_call(cx: &Cx<'_, '_>, c: &syn::ExprCall, awaited: bool) -> Option<String> {
    let q = cx.resolve_expr(&c.func)?;
    let on_repository = q.parent().is_some_and(|p| {
        q.is_associated() && is_repository_type(cx, &p) || in_repositories_layer(cx, &p)
    });
    if on_repository || (awaited && c.args.iter().any(|a| is_handle_arg(cx, a))) {
        return Some(format!("`{}`", short_path(&q)));
    }
    None
}

/// [`db_call`] for a method call.
pub fn db_method_call(cx: &Cx<'_, '_>, m: &syn::ExprMethodCall, awaited: bool) -> Option<String> {
    let method = m.method.to_string();
    let executor = EXECUTORS.contains(&method.as_str());
    // a query chain: `sqlx::query(..).bind(x).fetch_one(&pool)`, `users.filter(..).load(conn)`
    if executor || awaited {
        let root = stratalint_engine::visit::chain_root(&m.receiver);
        if let Some(kind) = query_root(cx, root) {
            return Some(format!("{kind} (`.{method}`)"));
        }
    }
    // handed a pool or connection: `model.insert(db)`, `query.execute(&pool)`
    let runs = executor || (awaited && HANDLE_TAKERS.contains(&method.as_str()));
    if runs && m.args.iter().any(|a| is_handle_arg(cx, a)) {
        return Some(format!("`.{method}(..)` on a database connection"));
    }
    if NOT_QUERIES.contains(&method.as_str()) {
        return None;
    }
    let receiver = &*m.receiver;
    let name = base_name(receiver);
    let called = || format!("`{}.{method}`", text(cx, receiver));
    // a repository by name or type: its methods are data access
    let ty = cx.expr_type(receiver);
    if name.as_deref().is_some_and(is_repository_name)
        || ty.as_ref().is_some_and(|t| is_repository_type(cx, t))
    {
        return Some(called());
    }
    // a pool or connection by name or type: what it runs (a `conn` may also be a header value:
    // `conn.to_str()`)
    let on_handle = name.as_deref().is_some_and(is_handle_name)
        || ty.as_ref().is_some_and(|t| db_access(t).is_some());
    if on_handle && (awaited || executor || method == "transaction") {
        return Some(called());
    }
    // `self.users.find_by_email(e)`: a field named after an entity, with a query verb
    let field = matches!(receiver, Expr::Field(_));
    let verb = method.split('_').next().unwrap_or("");
    let query_like = QUERY_VERBS.contains(&verb)
        && (method.contains('_') && verb != "get" || method.starts_with("get_by") || awaited);
    let not_db = name.as_deref().is_none_or(|n| {
        let n = n.to_ascii_lowercase();
        NOT_DB_NAMES
            .iter()
            .any(|x| n == *x || n.ends_with(&format!("_{x}")) || n.starts_with(&format!("{x}_")))
    });
    if field && query_like && awaited && !not_db {
        return Some(called());
    }
    None
}

/// `app::repositories::user_repository::UserRepository::find` → `UserRepository::find`.
fn short_path(q: &QualifiedName) -> String {
    let segs: Vec<&str> = q.segments().collect();
    let n = segs.len();
    if n >= 2 && segs[n - 2].starts_with(|c: char| c.is_ascii_uppercase()) {
        format!("{}::{}", segs[n - 2], segs[n - 1])
    } else {
        segs[n - 1].to_string()
    }
}

/// The first database call inside `e` (closures and async blocks included, nested items not),
/// with its span: what a `join_all(ids.iter().map(|id| self.repo.find(*id)))` runs per item.
/// With `all_awaited`, every call counts as awaited (the futures a combinator will drive).
pub fn find_db_call(cx: &Cx<'_, '_>, e: &Expr, all_awaited: bool) -> Option<(String, Span)> {
    struct Finder<'c, 'a, 'ast> {
        cx: &'c Cx<'a, 'ast>,
        awaited: usize,
        all_awaited: bool,
        found: Option<(String, Span)>,
    }
    impl<'e> Visit<'e> for Finder<'_, '_, '_> {
        fn visit_expr(&mut self, e: &'e Expr) {
            if self.found.is_some() {
                return;
            }
            let awaited = self.all_awaited || self.awaited == e as *const Expr as usize;
            if matches!(e, Expr::Call(_) | Expr::MethodCall(_)) {
                if let Some(what) = db_call(self.cx, e, awaited) {
                    let span = match e {
                        Expr::MethodCall(m) => m.method.span(),
                        other => other.span(),
                    };
                    self.found = Some((what, span));
                    return;
                }
            }
            if let Expr::Await(a) = e {
                let prev = self.awaited;
                self.awaited = &*a.base as *const Expr as usize;
                self.visit_expr(&a.base);
                self.awaited = prev;
                return;
            }
            syn::visit::visit_expr(self, e);
        }
        fn visit_item(&mut self, _: &'e syn::Item) {}
    }
    let mut f = Finder {
        cx,
        awaited: 0,
        all_awaited,
        found: None,
    };
    f.visit_expr(e);
    f.found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        for n in [
            "repo",
            "user_repo",
            "users_repository",
            "repositories",
            "order_dao",
            "store",
            "event_store",
            "userRepo",
        ] {
            assert!(is_repository_name(n), "{n}");
        }
        for n in ["report", "users", "restore", "storage", "cache"] {
            assert!(!is_repository_name(n), "{n}");
        }
        for n in [
            "pool",
            "db",
            "conn",
            "db_pool",
            "pg_pool",
            "read_conn",
            "txn",
        ] {
            assert!(is_handle_name(n), "{n}");
        }
        for n in ["tx", "client", "dbg", "connector"] {
            assert!(!is_handle_name(n), "{n}");
        }
    }

    #[test]
    fn short_paths() {
        assert_eq!(
            short_path(&QualifiedName::new(
                "app::repositories::user_repository::UserRepository::find"
            )),
            "UserRepository::find"
        );
        assert_eq!(
            short_path(&QualifiedName::new("app::repositories::orders::find_all")),
            "find_all"
        );
    }
}
