//! Percent-encoding of paths into URIs, for SARIF locations and Cargo package ids.

use std::path::Path;

/// RFC 3986 unreserved characters: never encoded.
fn unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~')
}

fn encode(s: &str, keep: impl Fn(u8) -> bool) -> String {
    let mut out = String::with_capacity(s.len());
    for &b in s.as_bytes() {
        if keep(b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A relative URI reference for a `/`-separated relative path: everything except unreserved
/// characters and `/` is percent-encoded (UTF-8 bytes for non-ASCII), so spaces, `%`, `#`, `?`
/// and a `:` that would read as a scheme are all safe.
pub(crate) fn relative(path: &str) -> String {
    encode(path, |b| unreserved(b) || b == b'/')
}

/// The `file:` URI of a directory, with the trailing slash SARIF's `originalUriBaseIds` needs
/// (`file:///home/u/my%20app/`). Windows paths become `file:///C:/…`.
pub(crate) fn file_dir(dir: &Path) -> String {
    let mut path = slashes(dir);
    if !path.ends_with('/') {
        path.push('/');
    }
    format!(
        "file://{}",
        encode(&path, |b| unreserved(b) || b == b'/' || b == b':')
    )
}

/// The `file:` URL of a path as Cargo writes it in package ids (the WHATWG URL path set that the
/// `url` crate uses: printable ASCII stays except space, `"`, `#`, `%`, `<`, `>`, `?`, `` ` ``, `{`
/// and `}`), so that ids match the ones `cargo metadata` gives rust-analyzer.
pub(crate) fn cargo_file_url(path: &Path) -> String {
    let path = slashes(path);
    let path = path.trim_end_matches('/');
    let keep = |b: u8| {
        (0x21..0x7f).contains(&b)
            && !matches!(
                b,
                b'"' | b'#' | b'%' | b'<' | b'>' | b'?' | b'`' | b'{' | b'}'
            )
    };
    format!("file://{}", encode(path, keep))
}

/// `/`-separated, starting with `/` (a drive letter gets one in front).
fn slashes(path: &Path) -> String {
    let s = path.to_string_lossy().replace('\\', "/");
    if s.starts_with('/') {
        s
    } else {
        format!("/{s}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_what_needs_it() {
        assert_eq!(relative("src/api/v1/users.rs"), "src/api/v1/users.rs");
        assert_eq!(relative("src/my file#1?.rs"), "src/my%20file%231%3F.rs");
        assert_eq!(relative("c:d/é%.rs"), "c%3Ad/%C3%A9%25.rs");
        assert_eq!(
            file_dir(Path::new("/home/u/my app")),
            "file:///home/u/my%20app/"
        );
        assert_eq!(file_dir(Path::new("/")), "file:///");
        assert_eq!(file_dir(Path::new("/srv/x/")), "file:///srv/x/");
        assert_eq!(
            cargo_file_url(Path::new("/home/u/my app/crates/a+b")),
            "file:///home/u/my%20app/crates/a+b"
        );
    }
}
