//! Is this call blocking? Calls are matched against the tables of [`super::blocking`] with what the
//! semantic model knows: resolved paths, receiver types (written, inferred from a constructor, or
//! followed through a `let`), imported traits, and whether the call is awaited.

use std::borrow::Cow;

use serde::Deserialize;
use stratalint_engine::semantic::scope::Frame;
use stratalint_engine::syn::{Expr, UnOp};
use stratalint_engine::{Call, Cx, MethodCall};

use super::blocking::{
    blocking_fn, blocking_method, is_blocking_method_name, is_diesel_sync_connection, is_r2d2_pool,
    method_returns, returns_type, Kind, ASYNC_POOL_CRATES, BLOCKING_NAMED_METHODS,
    DIESEL_ASYNC_RUN_QUERY, DIESEL_QUERY_METHODS, DIESEL_SYNC_RUN_QUERY,
};

/// A user's addition to the blocking table, as clippy's `disallowed-methods`:
/// `extra-blocking = [{ path = "my_crate::legacy::fetch", reason = "…", instead = "…" }]`.
/// A path names a function, or a method as `Type::method` (matched when the receiver's type is
/// known); `crate::` stands for the crate being checked.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExtraBlocking {
    pub path: UserPath,
    pub reason: Option<String>,
    pub instead: Option<String>,
}

/// A path written in the configuration (`my_crate::db::run`, `crate::db::run`), checked when read
/// so that a typo is reported at its line.
#[derive(Clone, Debug)]
pub struct UserPath(pub String);

impl<'de> Deserialize<'de> for UserPath {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        if stratalint_engine::config::is_rust_path(&s) {
            Ok(UserPath(s))
        } else {
            Err(serde::de::Error::custom(format!(
                "`{s}` is not a path: write the full path of a function (`my_crate::db::run`) or a method (`my_crate::db::Client::run`)"
            )))
        }
    }
}

/// Where the walk is, for messages: `in async fn `list``, `in a closure in async fn `list``,
/// `in an `async` block in fn `spawn_job``.
pub fn async_place(cx: &Cx<'_, '_>) -> String {
    let fn_name = cx.current_fn().map(|f| f.name.as_str()).unwrap_or("");
    let mut in_closure = false;
    for f in cx.frames().iter().rev() {
        match f {
            Frame::AsyncBlock => return format!("in an `async` block in fn `{fn_name}`"),
            Frame::Closure { is_async: true, .. } => {
                return format!("in an async closure in fn `{fn_name}`")
            }
            Frame::Closure { .. } => in_closure = true,
            Frame::Fn(info) if in_closure => {
                return format!("in a closure in async fn `{}`", info.name)
            }
            Frame::Fn(info) => return format!("in async fn `{}`", info.name),
            _ => {}
        }
    }
    "in async code".to_string()
}

/// Code that runs on the async executor where blocking matters: async context, not test code, and
/// not the body of `async fn main` (startup, before anything is served; `async` blocks spawned
/// from it do count).
pub fn on_executor(cx: &Cx<'_, '_>) -> bool {
    if !cx.in_async() || cx.in_test() {
        return false;
    }
    for f in cx.frames().iter().rev() {
        match f {
            Frame::AsyncBlock | Frame::Closure { is_async: true, .. } => return true,
            Frame::Fn(info) => return info.name != "main",
            _ => {}
        }
    }
    true
}

/// A blocking call found.
pub struct Blocking<'a> {
    /// The canonical path of what is called (`std::fs::read`, `std::process::Command::output`).
    pub what: String,
    pub kind: Kind,
    /// For configured entries: the user's reason.
    pub reason: Option<&'a str>,
    pub instead: Cow<'a, str>,
}

impl Blocking<'_> {
    /// `file system`, or `configured: <reason>`.
    pub fn kind_text(&self) -> Cow<'_, str> {
        match self.reason {
            Some(r) => Cow::Owned(format!("{}: {r}", self.kind.as_str())),
            None => Cow::Borrowed(self.kind.as_str()),
        }
    }

    /// What to do instead, ending with the `spawn_blocking` way out when there is one.
    pub fn help(&self) -> String {
        if self.kind.offloadable() && !self.instead.contains("spawn_blocking") {
            format!(
                "{}; or move the blocking work into `tokio::task::spawn_blocking`",
                self.instead
            )
        } else {
            self.instead.to_string()
        }
    }
}

fn table<'a>(what: String, kind: Kind, instead: &'static str) -> Blocking<'a> {
    Blocking {
        what,
        kind,
        reason: None,
        instead: Cow::Borrowed(instead),
    }
}

fn configured<'a>(what: String, extra: &'a ExtraBlocking) -> Blocking<'a> {
    Blocking {
        what,
        kind: Kind::Configured,
        reason: extra.reason.as_deref(),
        instead: match &extra.instead {
            Some(i) => Cow::Borrowed(i.as_str()),
            None => Cow::Borrowed("use an async equivalent with `.await`"),
        },
    }
}

fn extra_for<'a>(
    cx: &Cx<'_, '_>,
    path: &str,
    extra: &'a [ExtraBlocking],
) -> Option<&'a ExtraBlocking> {
    if extra.is_empty() {
        return None;
    }
    let q = stratalint_engine::QualifiedName::new(path);
    let krate = cx.resolver().crate_name();
    extra.iter().find(|e| q.matches_user_path(&e.path.0, krate))
}

/// A call of a blocking function (`std::fs::read(p)`, `PgConnection::establish(url)`), not awaited.
pub fn blocking_call<'a>(
    cx: &Cx<'_, '_>,
    call: &Call<'_>,
    extra: &'a [ExtraBlocking],
) -> Option<Blocking<'a>> {
    if call.awaited {
        return None;
    }
    let path = call.path.as_ref()?;
    let p = path.as_str();
    if let Some(e) = extra_for(cx, p, extra) {
        return Some(configured(p.to_string(), e));
    }
    if let Some(b) = blocking_fn(p) {
        return Some(table(p.to_string(), b.kind, b.instead));
    }
    // diesel: `PgConnection::establish(url)`, `Connection::establish`
    // (`starts_with("diesel:")` is `first() == "diesel"` without looking for the first `:`; a bare
    // `diesel` does not end in `establish`)
    if p.starts_with("diesel:") && path.last() == "establish" {
        return Some(table(
            p.to_string(),
            Kind::Database,
            "use `diesel_async` (`AsyncPgConnection::establish(url).await`) or a pool created at startup",
        ));
    }
    // `std::io::copy(&mut file, &mut out)`: blocking when a side is a file, socket or stdin
    if matches!(p, "std::io::copy" | "std::io::read_to_string") {
        let blocking_side = call.args().find_map(|a| {
            let t = value_type(cx, a)?;
            let kind = match t.as_str() {
                "std::fs::File" => Kind::FileSystem,
                "std::net::TcpStream" => Kind::Network,
                "std::io::Stdin" | "std::io::StdinLock" => Kind::Stdin,
                _ => return None,
            };
            Some(kind)
        })?;
        return Some(table(
            p.to_string(),
            blocking_side,
            "use `tokio::io::copy` / `AsyncReadExt::read_to_string` on tokio's file, socket or stdin, with `.await`",
        ));
    }
    None
}

/// A call of a blocking method: known by the receiver's type (`file.read_to_end(..)` on a
/// `std::fs::File`), by its name (`blocking_recv`), or by evidence (a sync diesel query on a
/// connection), not awaited.
pub fn blocking_method_call<'a>(
    cx: &Cx<'_, '_>,
    call: &MethodCall<'_>,
    extra: &'a [ExtraBlocking],
) -> Option<Blocking<'a>> {
    if call.awaited {
        return None;
    }
    let method = call.method.as_str();
    if BLOCKING_NAMED_METHODS.contains(&method) {
        let what = match value_type(cx, call.receiver()) {
            Some(t) => format!("{t}::{method}"),
            None => format!(".{method}()"),
        };
        return Some(if method.starts_with("blocking_") {
            table(
                what,
                Kind::NestedRuntime,
                "`.await` the async form (`recv().await`, `send(v).await`, `lock().await`): tokio's `blocking_*` methods panic inside the runtime",
            )
        } else {
            table(
                what,
                Kind::SyncWait,
                "`.await` the async form (`recv().await`, `send(v).await`)",
            )
        });
    }
    // `"db:5432".to_socket_addrs()`: std's trait, in scope; resolves names synchronously
    if method == "to_socket_addrs" && cx.is_imported("std::net::ToSocketAddrs") {
        return Some(table(
            "std::net::ToSocketAddrs::to_socket_addrs".to_string(),
            Kind::Dns,
            "use `tokio::net::lookup_host(host).await`",
        ));
    }
    if DIESEL_QUERY_METHODS.contains(&method) && call.arg_count() == 1 {
        if let Some(conn) = call.arg(0) {
            if sync_diesel_in_scope(cx) && is_diesel_connection_arg(cx, conn) {
                return Some(table(
                    format!("diesel::RunQueryDsl::{method}"),
                    Kind::Database,
                    super::blocking::DIESEL_INSTEAD,
                ));
            }
        }
    }
    // redis: `redis::cmd("GET").arg(k).query(&mut con)` on a sync connection
    if matches!(method, "query" | "execute") && call.arg_count() == 1 {
        if let Some(t) = call.arg(0).and_then(|a| value_type(cx, a)) {
            if t == "redis::Connection" {
                return Some(table(
                    format!("redis::Cmd::{method}"),
                    Kind::Database,
                    "use a multiplexed async connection and `query_async(&mut con).await`",
                ));
            }
        }
    }
    let pool_get = matches!(method, "get" | "get_timeout");
    if extra.is_empty() && !pool_get && !is_blocking_method_name(method) {
        return None;
    }
    let ty = value_type(cx, call.receiver())?;
    let what = || format!("{ty}::{method}");
    if !extra.is_empty() {
        let what = what();
        if let Some(e) = extra_for(cx, &what, extra) {
            return Some(configured(what, e));
        }
    }
    if let Some(b) = blocking_method(&ty, method) {
        return Some(table(what(), b.kind, b.instead));
    }
    // r2d2: `pool.get()` waits for a free connection (up to the pool's timeout)
    if pool_get
        && call.arg_count() == usize::from(method == "get_timeout")
        && is_r2d2_like_pool(cx, &ty)
    {
        return Some(table(
            format!("r2d2::Pool::{method}"),
            Kind::Database,
            "use an async pool (deadpool-diesel's `pool.get().await` with `interact`, or bb8 with diesel-async)",
        ));
    }
    None
}

/// Sync diesel's `RunQueryDsl` is in scope, and diesel-async's is not.
pub fn sync_diesel_in_scope(cx: &Cx<'_, '_>) -> bool {
    DIESEL_SYNC_RUN_QUERY.iter().any(|p| cx.is_imported(p))
        && !DIESEL_ASYNC_RUN_QUERY.iter().any(|p| cx.is_imported(p))
}

/// The argument of `.load(conn)` is a connection: `&mut conn`, `&mut *conn`, or a value typed as
/// (or checked out as) a sync diesel connection.
fn is_diesel_connection_arg(cx: &Cx<'_, '_>, arg: &Expr) -> bool {
    if let Expr::Reference(r) = arg {
        if r.mutability.is_some() {
            return true;
        }
    }
    value_type(cx, arg).is_some_and(|t| is_diesel_sync_connection(&t))
}

/// An r2d2 pool by its type, or a project alias named `…Pool` (`type DbPool = r2d2::Pool<…>` in
/// another file) where sync diesel or r2d2 is imported.
pub fn is_r2d2_like_pool(cx: &Cx<'_, '_>, ty: &str) -> bool {
    if is_r2d2_pool(ty) {
        return true;
    }
    let krate = ty.split("::").next().unwrap_or("");
    ty.ends_with("Pool")
        && !ASYNC_POOL_CRATES.contains(&krate)
        && cx.project().local_crate(krate).is_some()
        && (cx.imports_from("r2d2") || cx.imports_from("diesel::r2d2") || sync_diesel_in_scope(cx))
}

/// The type of a value as far as this file tells: written or inferred for a variable (followed
/// through its `let`), what a known function or method returns, or — for other methods — the
/// receiver's type (builders return themselves).
pub fn value_type(cx: &Cx<'_, '_>, e: &Expr) -> Option<String> {
    value_type_at(cx, e, 0)
}

fn value_type_at(cx: &Cx<'_, '_>, e: &Expr, depth: u8) -> Option<String> {
    if depth > 6 {
        return None;
    }
    match e {
        Expr::MethodCall(m) => {
            let inner = value_type_at(cx, &m.receiver, depth + 1)?;
            let method = m.method.to_string();
            if is_r2d2_pool(&inner) && method == "get" {
                return Some("r2d2::PooledConnection".to_string());
            }
            Some(
                method_returns(&inner, &method)
                    .map(str::to_string)
                    .unwrap_or(inner),
            )
        }
        Expr::Try(t) => value_type_at(cx, &t.expr, depth + 1),
        Expr::Paren(p) => value_type_at(cx, &p.expr, depth + 1),
        Expr::Group(g) => value_type_at(cx, &g.expr, depth + 1),
        Expr::Reference(r) => value_type_at(cx, &r.expr, depth + 1),
        Expr::Unary(u) if matches!(u.op, UnOp::Deref(_)) => value_type_at(cx, &u.expr, depth + 1),
        Expr::Call(c) => {
            let q = cx.resolve_expr(&c.func)?;
            match returns_type(q.as_str()) {
                Some(t) => Some(t.to_string()),
                None => cx.expr_type(e).map(|t| t.into_string()),
            }
        }
        Expr::Path(p) if p.qself.is_none() && p.path.segments.len() == 1 => {
            let name = p.path.segments[0].ident.to_string();
            match cx.local(&name) {
                Some(v) => match (&v.ty, v.init) {
                    (Some(t), _) => Some(t.as_str().to_string()),
                    (None, Some(init)) => value_type_at(cx, init, depth + 1),
                    (None, None) => None,
                },
                None => cx.expr_type(e).map(|t| t.into_string()),
            }
        }
        _ => cx.expr_type(e).map(|t| t.into_string()),
    }
}
