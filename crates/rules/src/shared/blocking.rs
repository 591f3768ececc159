//! Blocking APIs: calls that park the calling thread on I/O, a timer, a lock, another thread or a
//! nested runtime. On an async executor they stall a worker and every task queued on it. Data only;
//! [`super::blocking_calls`] matches calls against it.

/// What kind of blocking a call does; says what to use instead in general terms.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    FileSystem,
    Sleep,
    Network,
    Dns,
    Process,
    Http,
    Database,
    NestedRuntime,
    SyncWait,
    Stdin,
    /// Listed by the user (`extra-blocking`).
    Configured,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::FileSystem => "file system",
            Kind::Sleep => "sleep",
            Kind::Network => "network",
            Kind::Dns => "blocking DNS lookup",
            Kind::Process => "process",
            Kind::Http => "blocking HTTP client",
            Kind::Database => "sync database driver",
            Kind::NestedRuntime => "nested runtime",
            Kind::SyncWait => "waits on a thread, channel or condition",
            Kind::Stdin => "standard input",
            Kind::Configured => "configured",
        }
    }

    /// The primary label under the call.
    pub fn label(self) -> &'static str {
        match self {
            Kind::FileSystem => "blocking file-system call",
            Kind::Sleep => "puts the worker thread to sleep",
            Kind::Network => "blocking socket call",
            Kind::Dns => "blocking name resolution",
            Kind::Process => "waits for a child process",
            Kind::Http => "blocking HTTP request",
            Kind::Database => "blocking database call",
            Kind::NestedRuntime => "blocks on a future inside the runtime",
            Kind::SyncWait => "blocking wait",
            Kind::Stdin => "blocking read of standard input",
            Kind::Configured => "listed as blocking in the configuration",
        }
    }

    /// Is `spawn_blocking` a sensible way out? Not for blocking on a future: `.await` it.
    pub fn offloadable(self) -> bool {
        self != Kind::NestedRuntime
    }
}

/// A blocking function, by canonical path, with what to use instead.
pub struct BlockingFn {
    pub path: &'static str,
    pub kind: Kind,
    pub instead: &'static str,
}

/// Blocking methods of a type (the receiver's canonical type), with what to use instead.
pub struct BlockingMethods {
    pub ty: &'static str,
    pub methods: &'static [&'static str],
    pub kind: Kind,
    pub instead: &'static str,
}

macro_rules! fns {
    ($kind:ident, $instead:literal: $($path:literal),+ $(,)?) => {
        &[$(BlockingFn { path: $path, kind: Kind::$kind, instead: $instead }),+]
    };
}

const FS: &[BlockingFn] = fns!(FileSystem, "use `tokio::fs` (same names) with `.await`":
    "std::fs::read", "std::fs::read_to_string", "std::fs::read_dir", "std::fs::write", "std::fs::copy",
    "std::fs::rename", "std::fs::remove_file", "std::fs::remove_dir", "std::fs::remove_dir_all",
    "std::fs::create_dir", "std::fs::create_dir_all", "std::fs::metadata", "std::fs::symlink_metadata",
    "std::fs::canonicalize", "std::fs::set_permissions", "std::fs::hard_link", "std::fs::read_link",
    "std::fs::exists", "std::fs::File::open", "std::fs::File::create", "std::fs::File::create_new",
    "std::fs::File::open_buffered", "std::fs::OpenOptions::open", "std::os::unix::fs::symlink",
);

const SLEEP: &[BlockingFn] = fns!(Sleep, "use `tokio::time::sleep(duration).await`": "std::thread::sleep", "std::thread::sleep_ms");

const NET: &[BlockingFn] = fns!(Network, "use `tokio::net` (`TcpStream::connect(addr).await`, `TcpListener::bind(addr).await`)":
    "std::net::TcpStream::connect", "std::net::TcpStream::connect_timeout", "std::net::TcpListener::bind",
    "std::net::UdpSocket::bind",
);

const DNS: &[BlockingFn] = fns!(Dns, "use `tokio::net::lookup_host(host).await`":
    "std::net::ToSocketAddrs::to_socket_addrs", "dns_lookup::lookup_host", "dns_lookup::getaddrinfo",
    "dns_lookup::lookup_addr",
);

const HTTP_CLIENTS: &[BlockingFn] = fns!(Http, "use the async `reqwest::Client`: the blocking client runs a runtime of its own and panics when created or dropped inside one":
    "reqwest::blocking::Client::new", "reqwest::blocking::Client::builder", "reqwest::blocking::ClientBuilder::new",
);

const HTTP: &[BlockingFn] = fns!(Http, "use the async `reqwest::Client` (`client.get(url).send().await`)":
    "reqwest::blocking::get", "isahc::get", "isahc::post", "isahc::put", "isahc::delete", "isahc::head",
    "isahc::send",
);

const DB: &[BlockingFn] = fns!(Database, "use an async driver (`tokio_postgres`, `sqlx`, `diesel_async`, `redis::aio`, the async `mongodb` API), or a pool whose `get().await` is async (deadpool, bb8)":
    "postgres::Client::connect", "rusqlite::Connection::open", "rusqlite::Connection::open_with_flags",
    "mysql::Conn::new", "r2d2::Pool::new", "diesel::r2d2::Pool::new",
    "mongodb::sync::Client::with_uri_str", "mongodb::sync::Client::with_options",
    "redis::Client::get_connection", "redis::Client::get_connection_with_timeout",
);

const RUNTIME: &[BlockingFn] = fns!(NestedRuntime, "`.await` the future instead of blocking on it":
    "futures::executor::block_on", "futures_executor::block_on", "futures::executor::block_on_stream",
    "futures_lite::future::block_on", "pollster::block_on", "async_std::task::block_on", "smol::block_on",
    "tokio::runtime::Runtime::block_on", "tokio::runtime::Handle::block_on",
);

/// Every blocking function, looked up by canonical path.
pub fn blocking_fn(path: &str) -> Option<&'static BlockingFn> {
    static BY_PATH: std::sync::OnceLock<rustc_hash::FxHashMap<&'static str, &'static BlockingFn>> =
        std::sync::OnceLock::new();
    BY_PATH
        .get_or_init(|| {
            [FS, SLEEP, NET, DNS, HTTP_CLIENTS, HTTP, DB, RUNTIME]
                .into_iter()
                .flatten()
                .map(|f| (f.path, f))
                .collect()
        })
        .get(path)
        .copied()
}

const DIESEL_CONN_METHODS: &[&str] = &[
    "transaction",
    "batch_execute",
    "immediate_transaction",
    "exclusive_transaction",
];
pub const DIESEL_INSTEAD: &str = "use `diesel_async` (its `RunQueryDsl`, `.await`ed), or run the query in `tokio::task::spawn_blocking`, `actix_web::web::block` or deadpool-diesel's `interact`";
const POSTGRES_METHODS: &[&str] = &[
    "query",
    "query_one",
    "query_opt",
    "query_raw",
    "query_typed",
    "execute",
    "batch_execute",
    "simple_query",
    "prepare",
    "transaction",
    "copy_in",
    "copy_out",
    "commit",
    "rollback",
];
const MYSQL_METHODS: &[&str] = &[
    "query",
    "query_drop",
    "query_first",
    "query_map",
    "query_iter",
    "query_fold",
    "exec",
    "exec_drop",
    "exec_first",
    "exec_map",
    "exec_batch",
    "exec_iter",
    "exec_fold",
    "prep",
    "start_transaction",
];
const FS_PROBES: &[&str] = &[
    "exists",
    "try_exists",
    "is_file",
    "is_dir",
    "is_symlink",
    "metadata",
    "symlink_metadata",
    "canonicalize",
    "read_dir",
    "read_link",
];
const READS: &[&str] = &["read_line", "read_to_string", "read_to_end", "lines"];

/// Blocking methods by receiver type.
pub const BLOCKING_METHODS: &[BlockingMethods] = &[
    // ---- file system
    BlockingMethods {
        ty: "std::fs::File",
        methods: &["read", "read_to_end", "read_to_string", "read_exact", "write", "write_all", "flush", "sync_all", "sync_data", "set_len", "metadata", "seek", "lock", "lock_shared"],
        kind: Kind::FileSystem,
        instead: "use `tokio::fs::File` with `tokio::io::{AsyncReadExt, AsyncWriteExt}` and `.await`",
    },
    BlockingMethods {
        ty: "std::fs::OpenOptions",
        methods: &["open"],
        kind: Kind::FileSystem,
        instead: "use `tokio::fs::OpenOptions` and `.open(path).await`",
    },
    BlockingMethods {
        ty: "std::path::Path",
        methods: FS_PROBES,
        kind: Kind::FileSystem,
        instead: "use `tokio::fs::metadata(path).await` or `tokio::fs::try_exists(path).await`",
    },
    BlockingMethods {
        ty: "std::path::PathBuf",
        methods: FS_PROBES,
        kind: Kind::FileSystem,
        instead: "use `tokio::fs::metadata(path).await` or `tokio::fs::try_exists(path).await`",
    },
    // ---- standard input
    BlockingMethods {
        ty: "std::io::Stdin",
        methods: READS,
        kind: Kind::Stdin,
        instead: "use `tokio::io::stdin()` with `tokio::io::AsyncBufReadExt`",
    },
    BlockingMethods {
        ty: "std::io::StdinLock",
        methods: READS,
        kind: Kind::Stdin,
        instead: "use `tokio::io::stdin()` with `tokio::io::AsyncBufReadExt`",
    },
    // ---- network
    BlockingMethods {
        ty: "std::net::TcpListener",
        methods: &["accept", "incoming"],
        kind: Kind::Network,
        instead: "use `tokio::net::TcpListener` and `.accept().await`",
    },
    BlockingMethods {
        ty: "std::net::TcpStream",
        methods: &["read", "read_to_end", "read_to_string", "read_exact", "write", "write_all", "flush", "peek"],
        kind: Kind::Network,
        instead: "use `tokio::net::TcpStream` with `AsyncReadExt`/`AsyncWriteExt` and `.await`",
    },
    BlockingMethods {
        ty: "std::net::UdpSocket",
        methods: &["send_to", "recv_from", "send", "recv", "peek_from"],
        kind: Kind::Network,
        instead: "use `tokio::net::UdpSocket` with `.await`",
    },
    // ---- processes
    BlockingMethods {
        ty: "std::process::Command",
        methods: &["output", "status"],
        kind: Kind::Process,
        instead: "use `tokio::process::Command` and `.output().await`",
    },
    BlockingMethods {
        ty: "std::process::Child",
        methods: &["wait", "wait_with_output"],
        kind: Kind::Process,
        instead: "use `tokio::process::Child` and `.wait().await`",
    },
    // ---- HTTP
    BlockingMethods {
        ty: "reqwest::blocking::Client",
        methods: &["execute"],
        kind: Kind::Http,
        instead: "use the async `reqwest::Client` (`client.get(url).send().await`)",
    },
    BlockingMethods {
        ty: "reqwest::blocking::RequestBuilder",
        methods: &["send"],
        kind: Kind::Http,
        instead: "use the async `reqwest::Client` (`client.get(url).send().await`)",
    },
    BlockingMethods {
        ty: "ureq::Agent",
        methods: &["run"],
        kind: Kind::Http,
        instead: "use the async `reqwest::Client` (`client.get(url).send().await`)",
    },
    BlockingMethods {
        ty: "ureq::Request",
        methods: &["call", "send", "send_string", "send_json", "send_bytes", "send_form", "send_empty"],
        kind: Kind::Http,
        instead: "use the async `reqwest::Client` (`client.get(url).send().await`)",
    },
    BlockingMethods {
        ty: "attohttpc::RequestBuilder",
        methods: &["send"],
        kind: Kind::Http,
        instead: "use the async `reqwest::Client` (`client.get(url).send().await`)",
    },
    BlockingMethods {
        ty: "curl::easy::Easy",
        methods: &["perform"],
        kind: Kind::Http,
        instead: "use the async `reqwest::Client`, or `curl`'s multi interface off the executor",
    },
    BlockingMethods {
        ty: "curl::easy::Easy2",
        methods: &["perform"],
        kind: Kind::Http,
        instead: "use the async `reqwest::Client`, or `curl`'s multi interface off the executor",
    },
    // ---- sync database drivers
    BlockingMethods { ty: "diesel::PgConnection", methods: DIESEL_CONN_METHODS, kind: Kind::Database, instead: DIESEL_INSTEAD },
    BlockingMethods { ty: "diesel::pg::PgConnection", methods: DIESEL_CONN_METHODS, kind: Kind::Database, instead: DIESEL_INSTEAD },
    BlockingMethods { ty: "diesel::prelude::PgConnection", methods: DIESEL_CONN_METHODS, kind: Kind::Database, instead: DIESEL_INSTEAD },
    BlockingMethods { ty: "diesel::SqliteConnection", methods: DIESEL_CONN_METHODS, kind: Kind::Database, instead: DIESEL_INSTEAD },
    BlockingMethods { ty: "diesel::sqlite::SqliteConnection", methods: DIESEL_CONN_METHODS, kind: Kind::Database, instead: DIESEL_INSTEAD },
    BlockingMethods { ty: "diesel::prelude::SqliteConnection", methods: DIESEL_CONN_METHODS, kind: Kind::Database, instead: DIESEL_INSTEAD },
    BlockingMethods { ty: "diesel::MysqlConnection", methods: DIESEL_CONN_METHODS, kind: Kind::Database, instead: DIESEL_INSTEAD },
    BlockingMethods { ty: "diesel::mysql::MysqlConnection", methods: DIESEL_CONN_METHODS, kind: Kind::Database, instead: DIESEL_INSTEAD },
    BlockingMethods { ty: "diesel::prelude::MysqlConnection", methods: DIESEL_CONN_METHODS, kind: Kind::Database, instead: DIESEL_INSTEAD },
    BlockingMethods { ty: "diesel::r2d2::PooledConnection", methods: DIESEL_CONN_METHODS, kind: Kind::Database, instead: DIESEL_INSTEAD },
    BlockingMethods {
        ty: "r2d2::Builder",
        methods: &["build"],
        kind: Kind::Database,
        instead: "build the pool at startup, before serving; or use an async pool (deadpool, bb8)",
    },
    BlockingMethods {
        ty: "diesel::r2d2::Builder",
        methods: &["build"],
        kind: Kind::Database,
        instead: "build the pool at startup, before serving; or use an async pool (deadpool, bb8)",
    },
    BlockingMethods { ty: "postgres::Client", methods: POSTGRES_METHODS, kind: Kind::Database, instead: "use `tokio_postgres` (same methods, `.await`ed) with a deadpool or bb8 pool" },
    BlockingMethods { ty: "postgres::Transaction", methods: POSTGRES_METHODS, kind: Kind::Database, instead: "use `tokio_postgres` (same methods, `.await`ed) with a deadpool or bb8 pool" },
    BlockingMethods { ty: "postgres::Config", methods: &["connect"], kind: Kind::Database, instead: "use `tokio_postgres::Config::connect(..).await`" },
    BlockingMethods {
        ty: "rusqlite::Connection",
        methods: &["execute", "execute_batch", "query_row", "query_one", "prepare", "prepare_cached", "transaction"],
        kind: Kind::Database,
        instead: "use `tokio_rusqlite::Connection::call` (or `sqlx` with SQLite), or `spawn_blocking`",
    },
    BlockingMethods {
        ty: "rusqlite::Statement",
        methods: &["execute", "query", "query_map", "query_and_then", "query_row", "insert", "exists"],
        kind: Kind::Database,
        instead: "use `tokio_rusqlite::Connection::call` (or `sqlx` with SQLite), or `spawn_blocking`",
    },
    BlockingMethods { ty: "mysql::Pool", methods: &["get_conn"], kind: Kind::Database, instead: "use `mysql_async` (`pool.get_conn().await`)" },
    BlockingMethods { ty: "mysql::PooledConn", methods: MYSQL_METHODS, kind: Kind::Database, instead: "use `mysql_async` (same methods, `.await`ed)" },
    BlockingMethods { ty: "mysql::Conn", methods: MYSQL_METHODS, kind: Kind::Database, instead: "use `mysql_async` (same methods, `.await`ed)" },
    BlockingMethods {
        ty: "redis::Client",
        methods: &["get_connection", "get_connection_with_timeout"],
        kind: Kind::Database,
        instead: "use `client.get_multiplexed_async_connection().await` with `redis::AsyncCommands`",
    },
    BlockingMethods {
        ty: "redis::Connection",
        methods: &[
            "get", "set", "set_ex", "set_nx", "pset_ex", "del", "exists", "expire", "pexpire", "ttl", "incr", "decr",
            "hget", "hset", "hset_multiple", "hgetall", "hdel", "hincr", "lpush", "rpush", "lpop", "rpop", "lrange",
            "sadd", "srem", "smembers", "sismember", "zadd", "zrem", "zrange", "zrangebyscore", "publish", "keys",
            "mget", "mset", "getset", "scan", "req_command", "req_packed_command", "recv_response",
        ],
        kind: Kind::Database,
        instead: "use a multiplexed async connection (`get_multiplexed_async_connection().await`) with `redis::AsyncCommands`",
    },
    BlockingMethods {
        ty: "mongodb::sync::Collection",
        methods: &[
            "find", "find_one", "insert_one", "insert_many", "update_one", "update_many", "delete_one", "delete_many",
            "replace_one", "aggregate", "count_documents", "estimated_document_count", "distinct", "find_one_and_update",
            "find_one_and_delete", "find_one_and_replace", "create_index", "create_indexes", "drop",
        ],
        kind: Kind::Database,
        instead: "use the async `mongodb::Collection` (same methods, `.await`ed)",
    },
    BlockingMethods {
        ty: "mongodb::sync::Database",
        methods: &["list_collection_names", "run_command", "create_collection", "drop", "aggregate"],
        kind: Kind::Database,
        instead: "use the async `mongodb::Database` (same methods, `.await`ed)",
    },
    BlockingMethods {
        ty: "mongodb::sync::Client",
        methods: &["list_database_names", "list_databases", "start_session"],
        kind: Kind::Database,
        instead: "use the async `mongodb::Client` (same methods, `.await`ed)",
    },
    // ---- nested runtimes
    BlockingMethods {
        ty: "tokio::runtime::Runtime",
        methods: &["block_on"],
        kind: Kind::NestedRuntime,
        instead: "`.await` the future: blocking on a runtime inside one panics",
    },
    BlockingMethods {
        ty: "tokio::runtime::Handle",
        methods: &["block_on"],
        kind: Kind::NestedRuntime,
        instead: "`.await` the future (or `tokio::task::block_in_place(|| handle.block_on(f))` on a multi-thread runtime)",
    },
    // ---- waiting on threads, channels, conditions
    BlockingMethods {
        ty: "std::sync::mpsc::Receiver",
        methods: &["recv", "recv_timeout", "iter"],
        kind: Kind::SyncWait,
        instead: "use a `tokio::sync::mpsc` channel and `rx.recv().await`",
    },
    BlockingMethods {
        ty: "std::sync::mpsc::SyncSender",
        methods: &["send"],
        kind: Kind::SyncWait,
        instead: "use a `tokio::sync::mpsc` channel and `tx.send(v).await`",
    },
    BlockingMethods {
        ty: "crossbeam_channel::Receiver",
        methods: &["recv", "recv_timeout", "iter"],
        kind: Kind::SyncWait,
        instead: "use a `tokio::sync::mpsc` channel and `rx.recv().await`",
    },
    BlockingMethods {
        ty: "crossbeam::channel::Receiver",
        methods: &["recv", "recv_timeout", "iter"],
        kind: Kind::SyncWait,
        instead: "use a `tokio::sync::mpsc` channel and `rx.recv().await`",
    },
    BlockingMethods {
        ty: "flume::Receiver",
        methods: &["recv", "recv_timeout", "recv_deadline", "iter"],
        kind: Kind::SyncWait,
        instead: "use `rx.recv_async().await`",
    },
    BlockingMethods {
        ty: "std::thread::JoinHandle",
        methods: &["join"],
        kind: Kind::SyncWait,
        instead: "run the work with `tokio::task::spawn_blocking` and `.await` its handle",
    },
    BlockingMethods {
        ty: "std::thread::ScopedJoinHandle",
        methods: &["join"],
        kind: Kind::SyncWait,
        instead: "run the work with `tokio::task::spawn_blocking` and `.await` its handle",
    },
    BlockingMethods {
        ty: "std::sync::Condvar",
        methods: &["wait", "wait_while", "wait_timeout", "wait_timeout_ms", "wait_timeout_while"],
        kind: Kind::SyncWait,
        instead: "use `tokio::sync::Notify` (`notified().await`)",
    },
    BlockingMethods {
        ty: "parking_lot::Condvar",
        methods: &["wait", "wait_for", "wait_until", "wait_while", "wait_while_for", "wait_while_until"],
        kind: Kind::SyncWait,
        instead: "use `tokio::sync::Notify` (`notified().await`)",
    },
    BlockingMethods {
        ty: "std::sync::Barrier",
        methods: &["wait"],
        kind: Kind::SyncWait,
        instead: "use `tokio::sync::Barrier` (`wait().await`)",
    },
];

/// Is `method` the name of a blocking method of some type of the table? A cheap test before
/// working out the receiver's type.
pub fn is_blocking_method_name(method: &str) -> bool {
    static NAMES: std::sync::OnceLock<rustc_hash::FxHashSet<&'static str>> =
        std::sync::OnceLock::new();
    NAMES
        .get_or_init(|| {
            BLOCKING_METHODS
                .iter()
                .flat_map(|b| b.methods.iter().copied())
                .collect()
        })
        .contains(method)
}

/// The blocking methods of a receiver type.
pub fn blocking_method(ty: &str, method: &str) -> Option<&'static BlockingMethods> {
    BLOCKING_METHODS
        .iter()
        .find(|b| b.ty == ty && b.methods.contains(&method))
}

/// tokio's `blocking_*` methods (and async-channel's `*_blocking`): they block the thread, and
/// tokio's panic when called from async code. The names say it; no receiver type is needed.
pub const BLOCKING_NAMED_METHODS: &[&str] = &[
    "blocking_recv",
    "blocking_recv_many",
    "blocking_send",
    "blocking_lock",
    "blocking_lock_owned",
    "blocking_read",
    "blocking_write",
    "recv_blocking",
    "send_blocking",
];

/// Functions returning a value of a type above, for receivers written as a call
/// (`std::io::stdin().read_line(..)`, `std::env::current_dir()?.exists()`).
pub fn returns_type(path: &str) -> Option<&'static str> {
    Some(match path {
        "std::io::stdin" => "std::io::Stdin",
        "std::path::Path::new" => "std::path::Path",
        "std::path::PathBuf::from"
        | "std::path::PathBuf::new"
        | "std::env::current_dir"
        | "std::env::temp_dir"
        | "std::env::current_exe" => "std::path::PathBuf",
        "std::fs::File::options" | "std::fs::OpenOptions::new" => "std::fs::OpenOptions",
        "std::process::Command::new" => "std::process::Command",
        "std::thread::spawn" => "std::thread::JoinHandle",
        "tokio::runtime::Runtime::new" | "tokio::runtime::Builder::build" => {
            "tokio::runtime::Runtime"
        }
        "tokio::runtime::Handle::current" => "tokio::runtime::Handle",
        "reqwest::blocking::Client::new" => "reqwest::blocking::Client",
        "ureq::agent" | "ureq::Agent::new" | "ureq::Agent::new_with_defaults" => "ureq::Agent",
        "ureq::get" | "ureq::post" | "ureq::put" | "ureq::patch" | "ureq::delete"
        | "ureq::head" | "ureq::request" => "ureq::Request",
        "attohttpc::get" | "attohttpc::post" | "attohttpc::put" | "attohttpc::patch"
        | "attohttpc::delete" | "attohttpc::head" => "attohttpc::RequestBuilder",
        "redis::Client::open" => "redis::Client",
        "r2d2::Pool::builder" => "r2d2::Builder",
        "diesel::r2d2::Pool::builder" => "diesel::r2d2::Builder",
        _ => return None,
    })
}

/// What a method returns when it is not its receiver's type (builders return themselves; these
/// do not): `client.get_connection()` is a `redis::Connection`.
pub fn method_returns(ty: &str, method: &str) -> Option<&'static str> {
    Some(match (ty, method) {
        (
            "std::path::Path" | "std::path::PathBuf",
            "join" | "with_extension" | "with_file_name",
        ) => "std::path::PathBuf",
        ("std::io::Stdin", "lock") => "std::io::StdinLock",
        ("std::process::Command", "spawn") => "std::process::Child",
        ("std::thread::Builder", "spawn") => "std::thread::JoinHandle",
        ("std::thread::Scope", "spawn") => "std::thread::ScopedJoinHandle",
        ("tokio::runtime::Builder", "build") => "tokio::runtime::Runtime",
        (
            "reqwest::blocking::Client",
            "get" | "post" | "put" | "patch" | "delete" | "head" | "request",
        ) => "reqwest::blocking::RequestBuilder",
        ("ureq::Agent", "get" | "post" | "put" | "patch" | "delete" | "head" | "request") => {
            "ureq::Request"
        }
        ("redis::Client", "get_connection" | "get_connection_with_timeout") => "redis::Connection",
        ("mysql::Pool", "get_conn") => "mysql::PooledConn",
        ("postgres::Client", "transaction") => "postgres::Transaction",
        ("rusqlite::Connection", "prepare" | "prepare_cached") => "rusqlite::Statement",
        ("mongodb::sync::Client", "database" | "default_database") => "mongodb::sync::Database",
        ("mongodb::sync::Database", "collection") => "mongodb::sync::Collection",
        _ => return None,
    })
}

/// The `RunQueryDsl` traits of sync diesel: where one is imported (and diesel-async's is not),
/// `.load(conn)`, `.execute(conn)`, `.first(conn)` run a blocking query.
pub const DIESEL_SYNC_RUN_QUERY: &[&str] = &[
    "diesel::RunQueryDsl",
    "diesel::prelude::RunQueryDsl",
    "diesel::query_dsl::RunQueryDsl",
];

/// diesel-async's `RunQueryDsl`: the same method names, returning futures.
pub const DIESEL_ASYNC_RUN_QUERY: &[&str] = &[
    "diesel_async::RunQueryDsl",
    "diesel_async::prelude::RunQueryDsl",
    "diesel_async::run_query_dsl::RunQueryDsl",
];

/// `RunQueryDsl` (and `SaveChangesDsl`) methods that run a query on the connection they take.
pub const DIESEL_QUERY_METHODS: &[&str] = &[
    "load",
    "load_iter",
    "get_result",
    "get_results",
    "first",
    "execute",
    "save_changes",
];

/// Is this a connection of sync diesel (directly or checked out of an r2d2 pool)?
pub fn is_diesel_sync_connection(ty: &str) -> bool {
    let last = ty.rsplit("::").next().unwrap_or("");
    (ty.starts_with("diesel::")
        && matches!(
            last,
            "PgConnection" | "SqliteConnection" | "MysqlConnection" | "PooledConnection"
        ))
        || ty == "r2d2::PooledConnection"
}

/// Is this an r2d2 pool (`r2d2::Pool`, `diesel::r2d2::Pool`), whose `get()` blocks until a
/// connection is free?
pub fn is_r2d2_pool(ty: &str) -> bool {
    (ty.starts_with("r2d2::") || ty.starts_with("diesel::r2d2::")) && ty.ends_with("::Pool")
}

/// Crates whose pools are async (`get().await`): an alias named `…Pool` from them is not r2d2.
pub const ASYNC_POOL_CRATES: &[&str] = &[
    "sqlx",
    "deadpool",
    "deadpool_postgres",
    "deadpool_diesel",
    "deadpool_redis",
    "bb8",
    "bb8_postgres",
    "bb8_redis",
    "mobc",
    "sea_orm",
    "diesel_async",
    "mysql_async",
    "tokio_postgres",
];

/// Password hashing and key derivation: tens of milliseconds of CPU by design. Paths of functions.
pub const PASSWORD_HASH_FNS: &[&str] = &[
    "bcrypt::hash",
    "bcrypt::verify",
    "bcrypt::hash_with_result",
    "bcrypt::hash_with_salt",
    "bcrypt::non_truncating_hash",
    "bcrypt::non_truncating_verify",
    "scrypt::scrypt",
    "pbkdf2::pbkdf2",
    "pbkdf2::pbkdf2_hmac",
    "pbkdf2::pbkdf2_hmac_array",
    "argon2::hash_encoded",
    "argon2::verify_encoded",
    "argon2::hash_raw",
    "argon2::verify_raw",
    "password_auth::generate_hash",
    "password_auth::verify_password",
    "argon2::Argon2::hash_password",
    "argon2::Argon2::verify_password",
    "argon2::Argon2::hash_password_into",
    "argon2::PasswordHasher::hash_password",
    "argon2::PasswordVerifier::verify_password",
    "argon2::password_hash::PasswordHasher::hash_password",
    "argon2::password_hash::PasswordVerifier::verify_password",
    "password_hash::PasswordHasher::hash_password",
    "password_hash::PasswordVerifier::verify_password",
    "scrypt::Scrypt::hash_password",
    "pbkdf2::Pbkdf2::hash_password",
];

/// The password-hash traits (RustCrypto `password-hash`, re-exported by `argon2`, `scrypt`,
/// `pbkdf2`): `hash_password`/`verify_password` are theirs when one is imported.
pub const PASSWORD_HASH_TRAITS: &[&str] = &[
    "argon2::PasswordHasher",
    "argon2::PasswordVerifier",
    "argon2::password_hash::PasswordHasher",
    "argon2::password_hash::PasswordVerifier",
    "password_hash::PasswordHasher",
    "password_hash::PasswordVerifier",
    "scrypt::password_hash::PasswordHasher",
    "scrypt::password_hash::PasswordVerifier",
    "pbkdf2::password_hash::PasswordHasher",
    "pbkdf2::password_hash::PasswordVerifier",
    "scrypt::PasswordHasher",
    "scrypt::PasswordVerifier",
    "pbkdf2::PasswordHasher",
    "pbkdf2::PasswordVerifier",
];

/// Hasher types whose `hash_password`/`verify_password`/`hash_password_into` methods are the
/// expensive ones.
pub const PASSWORD_HASHERS: &[&str] = &["argon2::Argon2", "scrypt::Scrypt", "pbkdf2::Pbkdf2"];

/// Method names of the password-hash API that do the expensive work.
pub const PASSWORD_HASH_METHODS: &[&str] = &[
    "hash_password",
    "verify_password",
    "hash_password_into",
    "hash_password_customized",
];

/// Handles that do I/O synchronously: connections and pools of sync drivers, blocking HTTP
/// clients, std files and sockets. A function taking one can block; async drivers' handles (sqlx,
/// sea-orm, tokio) do nothing without `.await`.
pub fn is_sync_io_handle(ty: &str) -> bool {
    is_diesel_sync_connection(ty)
        || is_r2d2_pool(ty)
        || ty.starts_with("mongodb::sync::")
        || matches!(
            ty,
            "postgres::Client"
                | "postgres::Transaction"
                | "rusqlite::Connection"
                | "mysql::Conn"
                | "mysql::PooledConn"
                | "mysql::Pool"
                | "redis::Connection"
                | "reqwest::blocking::Client"
                | "ureq::Agent"
                | "std::fs::File"
                | "std::net::TcpStream"
                | "std::net::UdpSocket"
        )
}
