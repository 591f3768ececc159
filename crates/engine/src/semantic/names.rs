//! Qualified names: the canonical path an identifier resolves to (`std::thread::sleep`), and the
//! tables of what well-known modules export, so that `use std::fs::*; read(p)` resolves too.

use std::fmt;

/// A canonical path, `::`-separated, with `core`/`alloc` folded into `std` and dependency renames
/// undone (`tokio_pg::connect` → `tokio_postgres::connect`). Local items start with their crate
/// name (`myapp::services::user_service::UserService`).
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct QualifiedName(String);

impl QualifiedName {
    pub fn new(path: impl Into<String>) -> QualifiedName {
        QualifiedName(path.into())
    }

    pub fn from_segments<S: AsRef<str>>(segs: &[S]) -> QualifiedName {
        let mut s = String::with_capacity(segs.iter().map(|x| x.as_ref().len() + 2).sum());
        for (i, seg) in segs.iter().enumerate() {
            if i > 0 {
                s.push_str("::");
            }
            s.push_str(seg.as_ref());
        }
        QualifiedName(s)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn segments(&self) -> impl Iterator<Item = &str> + Clone {
        self.0.split("::")
    }

    // Segments never hold a `:`, so a one-byte search finds the separators (faster than a
    // substring search for `::`; these two are called for nearly every path).
    // `first` and `last` run in most rules' hooks: a byte search (`:` is ASCII, so the split is on
    // a char boundary) costs a tenth of `str::find`'s char searcher on these short paths

    pub fn first(&self) -> &str {
        match self.0.bytes().position(|b| b == b':') {
            Some(i) => &self.0[..i],
            None => &self.0,
        }
    }

    pub fn last(&self) -> &str {
        match self.0.bytes().rposition(|b| b == b':') {
            Some(i) => &self.0[i + 1..],
            None => &self.0,
        }
    }

    /// The path without its last segment (`std::fs::File::open` → `std::fs::File`).
    pub fn parent(&self) -> Option<QualifiedName> {
        self.0
            .rsplit_once("::")
            .map(|(p, _)| QualifiedName(p.to_string()))
    }

    pub fn is(&self, path: &str) -> bool {
        self.0 == path
    }

    /// Segment-aware prefix test: `std::fs::read` starts with `std::fs`, not with `std::f`.
    pub fn starts_with(&self, prefix: &str) -> bool {
        self.0 == prefix || (self.0.starts_with(prefix) && self.0[prefix.len()..].starts_with("::"))
    }

    /// Is this one of `paths`?
    pub fn is_any(&self, paths: &[&str]) -> bool {
        paths.contains(&self.0.as_str())
    }

    /// Does the path start with one of `crates` (`["sqlx", "sea_orm"]`)?
    pub fn in_crates(&self, crates: &[&str]) -> bool {
        crates.contains(&self.first())
    }

    pub fn join(&self, seg: &str) -> QualifiedName {
        // one exact allocation, no formatting machinery: this names every item of every module
        let mut s = String::with_capacity(self.0.len() + 2 + seg.len());
        s.push_str(&self.0);
        s.push_str("::");
        s.push_str(seg);
        QualifiedName(s)
    }

    /// Is the second-to-last segment a type (`File` in `std::fs::File::open`)? Then the path is an
    /// associated function or constant of that type.
    pub fn is_associated(&self) -> bool {
        let mut it = self.0.rsplit("::");
        it.next();
        it.next()
            .is_some_and(|s| s.starts_with(|c: char| c.is_ascii_uppercase()))
    }

    pub fn into_string(self) -> String {
        self.0
    }

    /// Does this canonical path match a path a user wrote in the configuration? Exactly, or with
    /// a leading `crate::` standing for `local_crate` (the crate of the file being checked).
    pub fn matches_user_path(&self, user: &str, local_crate: &str) -> bool {
        match user.strip_prefix("crate::") {
            Some(rest) => self
                .0
                .strip_prefix(local_crate)
                .and_then(|r| r.strip_prefix("::"))
                .is_some_and(|r| r == rest),
            None => self.0 == user,
        }
    }
}

impl fmt::Display for QualifiedName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for QualifiedName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}`", self.0)
    }
}

/// What a glob import of a well-known module brings in. Used only for `use m::*;`: explicit imports
/// and qualified paths need no table.
pub fn glob_exports(module: &str) -> Option<&'static [&'static str]> {
    Some(match module {
        "std::fs" | "tokio::fs" => &[
            "read",
            "read_to_string",
            "read_dir",
            "write",
            "copy",
            "rename",
            "remove_file",
            "remove_dir",
            "remove_dir_all",
            "create_dir",
            "create_dir_all",
            "metadata",
            "symlink_metadata",
            "canonicalize",
            "set_permissions",
            "hard_link",
            "read_link",
            "exists",
            "try_exists",
            "File",
            "OpenOptions",
            "DirEntry",
            "Metadata",
            "Permissions",
            "ReadDir",
        ],
        "std::thread" => &[
            "sleep",
            "spawn",
            "JoinHandle",
            "current",
            "yield_now",
            "park",
            "scope",
            "Builder",
        ],
        "std::net" => &[
            "TcpStream",
            "TcpListener",
            "UdpSocket",
            "ToSocketAddrs",
            "SocketAddr",
            "IpAddr",
            "Ipv4Addr",
            "Ipv6Addr",
            "Shutdown",
        ],
        "tokio::net" => &[
            "TcpStream",
            "TcpListener",
            "UdpSocket",
            "lookup_host",
            "ToSocketAddrs",
            "UnixStream",
            "UnixListener",
        ],
        "std::process" => &[
            "Command",
            "Child",
            "Stdio",
            "exit",
            "Output",
            "ExitStatus",
            "abort",
        ],
        "tokio::process" => &["Command", "Child"],
        "std::io" => &[
            "stdin",
            "stdout",
            "stderr",
            "copy",
            "Read",
            "Write",
            "BufRead",
            "BufReader",
            "BufWriter",
            "Error",
            "ErrorKind",
            "Result",
            "Seek",
            "SeekFrom",
            "Cursor",
            "empty",
            "sink",
        ],
        "std::sync" => &[
            "Mutex",
            "RwLock",
            "Condvar",
            "Barrier",
            "Arc",
            "Weak",
            "Once",
            "OnceLock",
            "LazyLock",
            "mpsc",
            "MutexGuard",
            "RwLockReadGuard",
            "RwLockWriteGuard",
        ],
        "std::sync::mpsc" => &[
            "channel",
            "sync_channel",
            "Receiver",
            "Sender",
            "SyncSender",
            "RecvError",
            "TryRecvError",
        ],
        "tokio::sync" => &[
            "Mutex",
            "RwLock",
            "Semaphore",
            "Notify",
            "mpsc",
            "oneshot",
            "broadcast",
            "watch",
            "Barrier",
            "OnceCell",
            "MutexGuard",
        ],
        "tokio::time" => &[
            "sleep",
            "timeout",
            "interval",
            "sleep_until",
            "Duration",
            "Instant",
            "Interval",
            "Sleep",
        ],
        "tokio::task" => &[
            "spawn",
            "spawn_blocking",
            "block_in_place",
            "spawn_local",
            "yield_now",
            "JoinHandle",
            "JoinSet",
            "LocalSet",
        ],
        "diesel::prelude" => &[
            "RunQueryDsl",
            "QueryDsl",
            "ExpressionMethods",
            "Connection",
            "Queryable",
            "Insertable",
            "Selectable",
            "SelectableHelper",
            "Identifiable",
            "Associations",
            "AsChangeset",
            "BelongingToDsl",
            "GroupedBy",
            "JoinOnDsl",
            "BoolExpressionMethods",
            "TextExpressionMethods",
            "OptionalExtension",
            "QueryResult",
            "PgConnection",
            "SqliteConnection",
            "MysqlConnection",
            "table",
            "joinable",
            "allow_tables_to_appear_in_same_query",
            "sql_query",
            "insert_into",
            "update",
            "delete",
            "select",
        ],
        "diesel_async" | "diesel_async::prelude" => &[
            "RunQueryDsl",
            "AsyncConnection",
            "AsyncPgConnection",
            "SaveChangesDsl",
            "UpdateAndFetchResults",
        ],
        "sea_orm" | "sea_orm::prelude" | "sea_orm::entity::prelude" => &[
            "EntityTrait",
            "ActiveModelTrait",
            "ModelTrait",
            "ColumnTrait",
            "QueryFilter",
            "QuerySelect",
            "QueryOrder",
            "PaginatorTrait",
            "DatabaseConnection",
            "DbConn",
            "DbErr",
            "Set",
            "NotSet",
            "ActiveValue",
            "DeriveEntityModel",
            "DeriveRelation",
            "EnumIter",
            "ActiveModelBehavior",
            "Database",
            "Statement",
            "DbBackend",
            "DatabaseBackend",
            "ConnectionTrait",
            "TransactionTrait",
            "DatabaseTransaction",
            "Related",
            "RelationTrait",
            "RelationDef",
            "LoaderTrait",
            "Condition",
            "Expr",
            "PrimaryKeyTrait",
            "Value",
            "JsonValue",
            "DateTimeWithTimeZone",
            "Uuid",
        ],
        "sqlx" | "sqlx::prelude" => &[
            "query",
            "query_as",
            "query_scalar",
            "query_with",
            "query_as_with",
            "query_scalar_with",
            "raw_sql",
            "QueryBuilder",
            "Pool",
            "PgPool",
            "MySqlPool",
            "SqlitePool",
            "Postgres",
            "MySql",
            "Sqlite",
            "FromRow",
            "Row",
            "Executor",
            "Transaction",
            "Connection",
            "Acquire",
            "Type",
            "Encode",
            "Decode",
            "Error",
            "PgConnection",
            "AnyPool",
            "migrate",
        ],
        "sqlx::postgres" => &[
            "PgPool",
            "PgPoolOptions",
            "PgConnection",
            "PgConnectOptions",
            "PgRow",
            "Postgres",
            "PgSslMode",
            "PgQueryResult",
            "PgArguments",
        ],
        "axum" => &[
            "Router",
            "Json",
            "Extension",
            "Form",
            "serve",
            "routing",
            "extract",
            "response",
            "http",
            "middleware",
            "debug_handler",
            "RequestExt",
            "RequestPartsExt",
        ],
        "axum::extract" => &[
            "Path",
            "Query",
            "State",
            "Extension",
            "Json",
            "Form",
            "Multipart",
            "ConnectInfo",
            "Request",
            "FromRequest",
            "FromRequestParts",
            "FromRef",
            "MatchedPath",
            "OriginalUri",
            "RawQuery",
            "DefaultBodyLimit",
            "WebSocketUpgrade",
        ],
        "axum::routing" => &[
            "get",
            "post",
            "put",
            "patch",
            "delete",
            "head",
            "options",
            "trace",
            "any",
            "on",
            "MethodRouter",
            "MethodFilter",
            "get_service",
            "post_service",
            "Router",
        ],
        "axum::response" => &[
            "IntoResponse",
            "Response",
            "Html",
            "Redirect",
            "Json",
            "Sse",
            "IntoResponseParts",
            "ErrorResponse",
            "Result",
        ],
        "axum::http" | "http" => &[
            "StatusCode",
            "HeaderMap",
            "HeaderValue",
            "Method",
            "Request",
            "Response",
            "Uri",
            "header",
            "HeaderName",
            "Extensions",
        ],
        "actix_web" | "actix_web::prelude" => &[
            "web",
            "App",
            "HttpServer",
            "HttpResponse",
            "HttpRequest",
            "Responder",
            "ResponseError",
            "Error",
            "Result",
            "get",
            "post",
            "put",
            "patch",
            "delete",
            "head",
            "route",
            "routes",
            "main",
            "test",
            "middleware",
            "http",
            "HttpMessage",
            "FromRequest",
            "Scope",
            "Resource",
            "HttpResponseBuilder",
            "dev",
        ],
        "actix_web::web" => &[
            "Data",
            "Json",
            "Path",
            "Query",
            "Form",
            "Bytes",
            "Payload",
            "ServiceConfig",
            "block",
            "get",
            "post",
            "put",
            "patch",
            "delete",
            "head",
            "scope",
            "resource",
            "route",
            "to",
            "service",
            "redirect",
            "Redirect",
            "ReqData",
            "Header",
            "Html",
        ],
        "rocket" => &[
            "get", "post", "put", "patch", "delete", "head", "options", "routes", "catchers",
            "launch", "main", "State", "Build", "Rocket", "Request", "Response", "serde", "http",
            "form", "data", "response",
        ],
        "poem" => &[
            "handler",
            "Route",
            "Server",
            "Endpoint",
            "EndpointExt",
            "IntoResponse",
            "Response",
            "Request",
            "get",
            "post",
            "put",
            "patch",
            "delete",
            "web",
            "listener",
            "Result",
            "Error",
            "middleware",
        ],
        "poem::web" => &["Json", "Path", "Query", "Form", "Data", "Html", "Multipart"],
        "reqwest::blocking" => &[
            "get",
            "Client",
            "ClientBuilder",
            "Response",
            "RequestBuilder",
            "Body",
        ],
        "tracing" => &[
            "trace",
            "debug",
            "info",
            "warn",
            "error",
            "event",
            "span",
            "instrument",
            "Level",
            "Span",
            "Instrument",
            "info_span",
            "debug_span",
            "error_span",
            "warn_span",
            "trace_span",
            "field",
        ],
        "log" => &["trace", "debug", "info", "warn", "error", "log", "Level"],
        "argon2" => &[
            "Argon2",
            "Algorithm",
            "Version",
            "Params",
            "ParamsBuilder",
            "PasswordHash",
            "PasswordHasher",
            "PasswordVerifier",
            "password_hash",
        ],
        "argon2::password_hash" | "password_hash" => &[
            "PasswordHash",
            "PasswordHasher",
            "PasswordVerifier",
            "SaltString",
            "rand_core",
            "Salt",
            "Output",
        ],
        "jsonwebtoken" => &[
            "encode",
            "decode",
            "decode_header",
            "Algorithm",
            "DecodingKey",
            "EncodingKey",
            "Header",
            "Validation",
            "TokenData",
            "errors",
            "dangerous_insecure_decode",
            "dangerous_insecure_decode_with_validation",
        ],
        "validator" => &[
            "Validate",
            "ValidationError",
            "ValidationErrors",
            "ValidateArgs",
            "ValidateEmail",
            "ValidateLength",
            "ValidateRange",
        ],
        "garde" => &["Validate", "Valid", "Unvalidated", "Report", "Error"],
        "serde" => &["Serialize", "Deserialize", "Serializer", "Deserializer"],
        "tower_http::cors" => &[
            "CorsLayer",
            "Any",
            "AllowOrigin",
            "AllowHeaders",
            "AllowMethods",
            "AllowCredentials",
            "ExposeHeaders",
            "MaxAge",
            "Cors",
        ],
        _ => return None,
    })
}

/// Items of Rust's prelude and std's built-in macros, for names used without any import.
pub fn prelude(name: &str) -> Option<&'static str> {
    Some(match name {
        "drop" => "std::mem::drop",
        "Box" => "std::boxed::Box",
        "Vec" => "std::vec::Vec",
        "String" => "std::string::String",
        "Option" => "std::option::Option",
        "Some" => "std::option::Option::Some",
        "None" => "std::option::Option::None",
        "Result" => "std::result::Result",
        "Ok" => "std::result::Result::Ok",
        "Err" => "std::result::Result::Err",
        "ToString" => "std::string::ToString",
        "ToOwned" => "std::borrow::ToOwned",
        "Clone" => "std::clone::Clone",
        "Default" => "std::default::Default",
        "From" => "std::convert::From",
        "Into" => "std::convert::Into",
        "TryFrom" => "std::convert::TryFrom",
        "TryInto" => "std::convert::TryInto",
        "Iterator" => "std::iter::Iterator",
        "IntoIterator" => "std::iter::IntoIterator",
        "Send" => "std::marker::Send",
        "Sync" => "std::marker::Sync",
        "Sized" => "std::marker::Sized",
        "Fn" => "std::ops::Fn",
        "FnMut" => "std::ops::FnMut",
        "FnOnce" => "std::ops::FnOnce",
        "Drop" => "std::ops::Drop",
        "PartialEq" => "std::cmp::PartialEq",
        "Eq" => "std::cmp::Eq",
        "PartialOrd" => "std::cmp::PartialOrd",
        "Ord" => "std::cmp::Ord",
        "Debug" => "std::fmt::Debug",
        "Hash" => "std::hash::Hash",
        "Copy" => "std::marker::Copy",
        // built-in macros
        "println" | "print" | "eprintln" | "eprint" | "format" | "format_args" | "write"
        | "writeln" | "panic" | "assert" | "assert_eq" | "assert_ne" | "debug_assert"
        | "debug_assert_eq" | "debug_assert_ne" | "dbg" | "todo" | "unimplemented"
        | "unreachable" | "vec" | "concat" | "stringify" | "include_str" | "include_bytes"
        | "include" | "env" | "option_env" | "matches" | "line" | "column" | "file"
        | "module_path" | "cfg" | "compile_error" | "thread_local" | "write_str" => {
            return builtin_macro(name)
        }
        _ => return None,
    })
}

fn builtin_macro(name: &str) -> Option<&'static str> {
    const MACROS: &[&str] = &[
        "std::println",
        "std::print",
        "std::eprintln",
        "std::eprint",
        "std::format",
        "std::format_args",
        "std::write",
        "std::writeln",
        "std::panic",
        "std::assert",
        "std::assert_eq",
        "std::assert_ne",
        "std::debug_assert",
        "std::debug_assert_eq",
        "std::debug_assert_ne",
        "std::dbg",
        "std::todo",
        "std::unimplemented",
        "std::unreachable",
        "std::vec",
        "std::concat",
        "std::stringify",
        "std::include_str",
        "std::include_bytes",
        "std::include",
        "std::env",
        "std::option_env",
        "std::matches",
        "std::line",
        "std::column",
        "std::file",
        "std::module_path",
        "std::cfg",
        "std::compile_error",
        "std::thread_local",
    ];
    MACROS.iter().copied().find(|m| &m[5..] == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefix_is_segment_aware() {
        let q = QualifiedName::new("std::fs::read");
        assert!(q.starts_with("std::fs"));
        assert!(q.starts_with("std::fs::read"));
        assert!(!q.starts_with("std::f"));
        assert_eq!(q.last(), "read");
        assert_eq!(q.first(), "std");
        assert_eq!(QualifiedName::new("main").first(), "main");
        assert_eq!(QualifiedName::new("main").last(), "main");
        assert_eq!(q.parent().unwrap().as_str(), "std::fs");
        assert!(QualifiedName::new("std::fs::File::open").is_associated());
        assert!(!q.is_associated());
    }

    #[test]
    fn user_paths() {
        let q = QualifiedName::new("app::db::run_blocking");
        assert!(q.matches_user_path("app::db::run_blocking", "app"));
        assert!(q.matches_user_path("crate::db::run_blocking", "app"));
        assert!(!q.matches_user_path("crate::db::run_blocking", "other"));
        assert!(!q.matches_user_path("crate::db", "app"));
        assert!(!QualifiedName::new("apple::db::run_blocking")
            .matches_user_path("crate::db::run_blocking", "app"));
    }

    #[test]
    fn prelude_macros() {
        assert_eq!(prelude("println"), Some("std::println"));
        assert_eq!(prelude("drop"), Some("std::mem::drop"));
        assert_eq!(prelude("nope"), None);
    }
}
