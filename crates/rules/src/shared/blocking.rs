//! Blocking APIs: calls that park the calling thread on I/O, a timer, a lock or another thread.
//! On an async executor they stall a worker and every task queued on it.

/// A blocking function, by canonical path, with what to use instead.
pub struct BlockingFn {
    pub path: &'static str,
    pub kind: &'static str,
    pub instead: &'static str,
}

/// Blocking methods of a type (the receiver's canonical type), with what to use instead.
pub struct BlockingMethods {
    pub ty: &'static str,
    pub methods: &'static [&'static str],
    pub kind: &'static str,
    pub instead: &'static str,
}

macro_rules! fns {
    ($kind:literal, $instead:literal: $($path:literal),+ $(,)?) => {
        &[$(BlockingFn { path: $path, kind: $kind, instead: $instead }),+]
    };
}

const FS: &[BlockingFn] = fns!("file system", "`tokio::fs` (same names) with `.await`":
    "std::fs::read", "std::fs::read_to_string", "std::fs::read_dir", "std::fs::write", "std::fs::copy",
    "std::fs::rename", "std::fs::remove_file", "std::fs::remove_dir", "std::fs::remove_dir_all",
    "std::fs::create_dir", "std::fs::create_dir_all", "std::fs::metadata", "std::fs::symlink_metadata",
    "std::fs::canonicalize", "std::fs::set_permissions", "std::fs::hard_link", "std::fs::read_link",
    "std::fs::exists", "std::fs::File::open", "std::fs::File::create", "std::fs::File::create_new",
    "std::fs::OpenOptions::open",
);

const SLEEP: &[BlockingFn] =
    fns!("sleep", "`tokio::time::sleep(duration).await`": "std::thread::sleep");

const NET: &[BlockingFn] = fns!("network", "`tokio::net` (`TcpStream::connect(addr).await`, `tokio::net::lookup_host`)":
    "std::net::TcpStream::connect", "std::net::TcpStream::connect_timeout", "std::net::TcpListener::bind",
    "std::net::UdpSocket::bind", "std::net::ToSocketAddrs::to_socket_addrs",
);

const HTTP: &[BlockingFn] = fns!("blocking HTTP client", "the async `reqwest::Client` (`client.get(url).send().await`)":
    "reqwest::blocking::get", "reqwest::blocking::Client::new", "reqwest::blocking::Client::builder",
    "reqwest::blocking::ClientBuilder::new", "ureq::get", "ureq::post", "ureq::put", "ureq::patch", "ureq::delete",
    "ureq::head", "ureq::request", "ureq::agent", "ureq::Agent::new", "attohttpc::get", "attohttpc::post",
    "attohttpc::put", "attohttpc::delete", "isahc::get", "isahc::post", "isahc::send",
);

const RUNTIME: &[BlockingFn] = fns!("nested runtime", "`.await` the future instead of blocking on it":
    "futures::executor::block_on", "futures_executor::block_on", "futures_lite::future::block_on",
    "pollster::block_on", "async_std::task::block_on", "smol::block_on", "tokio::runtime::Runtime::block_on",
    "tokio::runtime::Handle::block_on",
);

/// Every blocking function, looked up by canonical path.
pub fn blocking_fn(path: &str) -> Option<&'static BlockingFn> {
    [FS, SLEEP, NET, HTTP, RUNTIME]
        .into_iter()
        .flatten()
        .find(|f| f.path == path)
}

/// Blocking methods by receiver type.
pub const BLOCKING_METHODS: &[BlockingMethods] = &[
    BlockingMethods {
        ty: "std::process::Command",
        methods: &["output", "status"],
        kind: "process",
        instead: "`tokio::process::Command` with `.output().await`",
    },
    BlockingMethods {
        ty: "std::process::Child",
        methods: &["wait", "wait_with_output"],
        kind: "process",
        instead: "`tokio::process::Child::wait().await`",
    },
    BlockingMethods {
        ty: "std::fs::File",
        methods: &["read", "read_to_end", "read_to_string", "read_exact", "write", "write_all", "flush", "sync_all", "sync_data", "set_len", "metadata", "seek"],
        kind: "file system",
        instead: "`tokio::fs::File` and `tokio::io::{AsyncReadExt, AsyncWriteExt}` with `.await`",
    },
    BlockingMethods {
        ty: "std::fs::OpenOptions",
        methods: &["open"],
        kind: "file system",
        instead: "`tokio::fs::OpenOptions::open(path).await`",
    },
    BlockingMethods {
        ty: "std::path::Path",
        methods: &["exists", "try_exists", "is_file", "is_dir", "is_symlink", "metadata", "symlink_metadata", "canonicalize", "read_dir", "read_link"],
        kind: "file system",
        instead: "`tokio::fs::metadata(path).await` / `tokio::fs::try_exists(path).await`",
    },
    BlockingMethods {
        ty: "std::path::PathBuf",
        methods: &["exists", "try_exists", "is_file", "is_dir", "is_symlink", "metadata", "symlink_metadata", "canonicalize", "read_dir", "read_link"],
        kind: "file system",
        instead: "`tokio::fs::metadata(path).await` / `tokio::fs::try_exists(path).await`",
    },
    BlockingMethods {
        ty: "std::net::TcpListener",
        methods: &["accept", "incoming"],
        kind: "network",
        instead: "`tokio::net::TcpListener::accept().await`",
    },
    BlockingMethods {
        ty: "std::net::TcpStream",
        methods: &["read", "read_to_end", "read_to_string", "read_exact", "write", "write_all", "flush", "peek"],
        kind: "network",
        instead: "`tokio::net::TcpStream` with `AsyncReadExt`/`AsyncWriteExt`",
    },
    BlockingMethods {
        ty: "std::net::UdpSocket",
        methods: &["send_to", "recv_from", "send", "recv", "connect"],
        kind: "network",
        instead: "`tokio::net::UdpSocket` with `.await`",
    },
    BlockingMethods {
        ty: "std::io::Stdin",
        methods: &["read_line", "read_to_string", "read_to_end", "lines", "lock"],
        kind: "standard input",
        instead: "`tokio::io::stdin()` with `tokio::io::AsyncBufReadExt`",
    },
    BlockingMethods {
        ty: "tokio::runtime::Runtime",
        methods: &["block_on"],
        kind: "nested runtime",
        instead: "`.await` the future; blocking on a runtime inside one panics",
    },
    BlockingMethods {
        ty: "tokio::runtime::Handle",
        methods: &["block_on"],
        kind: "nested runtime",
        instead: "`.await` the future (or `block_in_place(|| handle.block_on(f))` on a multi-thread runtime)",
    },
    BlockingMethods {
        ty: "reqwest::blocking::Client",
        methods: &["get", "post", "put", "patch", "delete", "head", "execute", "request"],
        kind: "blocking HTTP client",
        instead: "the async `reqwest::Client` (`client.get(url).send().await`)",
    },
];

/// The blocking methods of a receiver type.
pub fn blocking_method(ty: &str, method: &str) -> Option<&'static BlockingMethods> {
    BLOCKING_METHODS
        .iter()
        .find(|b| b.ty == ty && b.methods.contains(&method))
}

/// Functions returning a value of a type above, for receivers written as a call
/// (`std::io::stdin().read_line(..)`, `std::env::current_dir()?.exists()`).
pub fn returns_type(path: &str) -> Option<&'static str> {
    Some(match path {
        "std::io::stdin" => "std::io::Stdin",
        "std::path::Path::new" => "std::path::Path",
        "std::path::PathBuf::from"
        | "std::path::PathBuf::new"
        | "std::env::current_dir"
        | "std::env::temp_dir" => "std::path::PathBuf",
        "std::process::Command::new" => "std::process::Command",
        "tokio::runtime::Runtime::new" | "tokio::runtime::Builder::build" => {
            "tokio::runtime::Runtime"
        }
        "tokio::runtime::Handle::current" => "tokio::runtime::Handle",
        "reqwest::blocking::Client::new" => "reqwest::blocking::Client",
        _ => return None,
    })
}
