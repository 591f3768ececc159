//! Hostile input never panics, hangs or overflows the stack: it becomes findings.

mod common;

use std::path::Path;

fn project_with(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("Cargo.toml"),
        "[package]\nname = \"app\"\nversion = \"0.1.0\"\nedition = \"2021\"\n",
    )
    .unwrap();
    for (path, body) in files {
        let p = dir.path().join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, body).unwrap();
    }
    dir
}

fn rules_fired(root: &Path) -> Vec<(String, String)> {
    common::check(root, &["ALL"])
        .diagnostics
        .iter()
        .map(|d| (d.loc.file.to_string(), d.rule.to_string()))
        .collect()
}

#[test]
fn nesting_just_under_the_limit_is_parsed_and_walked() {
    // 1,900 levels of parentheses and of blocks: parsed, walked and dropped on the worker stack
    let parens = format!(
        "pub fn f() -> i32 {{ {}1{} }}\n",
        "(".repeat(1_900),
        ")".repeat(1_900)
    );
    let blocks = format!(
        "pub async fn g() {{ {} std::thread::sleep(std::time::Duration::ZERO); {} }}\n",
        "{".repeat(1_900),
        "}".repeat(1_900)
    );
    let p = project_with(&[
        ("src/parens.rs", parens.as_bytes()),
        ("src/blocks.rs", blocks.as_bytes()),
    ]);
    let fired = rules_fired(p.path());
    assert!(
        !fired
            .iter()
            .any(|(_, r)| r == "file-too-large" || r == "internal-error"),
        "{fired:?}"
    );
    assert!(
        fired.contains(&("src/blocks.rs".into(), "blocking-call-in-async".into())),
        "the deep call is still found: {fired:?}"
    );
}

#[test]
fn pathological_nesting_is_refused_not_a_crash() {
    let deep_parens = format!("fn f() {{ {}1{} }}", "(".repeat(50_000), ")".repeat(50_000));
    let deep_blocks = format!("fn f() {}{}", "{".repeat(50_000), "}".repeat(50_000));
    let long_chain = format!("fn f() {{ a{}; }}", ".b".repeat(100_000));
    let unary = format!("fn f() {{ let x = {}y; }}", "!".repeat(60_000));
    let sum = format!("fn f() -> i32 {{ 1{} }}", " + 1".repeat(60_000));
    let p = project_with(&[
        ("src/a.rs", deep_parens.as_bytes()),
        ("src/b.rs", deep_blocks.as_bytes()),
        ("src/c.rs", long_chain.as_bytes()),
        ("src/d.rs", unary.as_bytes()),
        ("src/e.rs", sum.as_bytes()),
        (
            "src/ok.rs",
            b"pub async fn ok() { std::thread::sleep(std::time::Duration::ZERO); }\n",
        ),
    ]);
    let fired = rules_fired(p.path());
    for f in ["src/a.rs", "src/b.rs", "src/c.rs", "src/d.rs", "src/e.rs"] {
        assert!(
            fired.contains(&(f.into(), "file-too-large".into())),
            "{f}: {fired:?}"
        );
    }
    assert!(
        fired.contains(&("src/ok.rs".into(), "blocking-call-in-async".into())),
        "{fired:?}"
    );
}

#[test]
fn binary_junk_bom_crlf_and_empty_files() {
    let junk: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2654435761) >> 24) as u8)
        .collect();
    let bom_crlf = b"\xef\xbb\xbfuse std::thread::sleep;\r\n\r\npub async fn s() {\r\n    sleep(std::time::Duration::ZERO);\r\n}\r\n";
    let p = project_with(&[
        ("src/junk.rs", &junk),
        ("src/bom.rs", bom_crlf),
        ("src/empty.rs", b""),
        ("src/only_comment.rs", b"// nothing here\n"),
    ]);
    let result = common::check(p.path(), &["ALL"]);
    let fired: Vec<(String, String)> = result
        .diagnostics
        .iter()
        .map(|d| (d.loc.file.to_string(), d.rule.to_string()))
        .collect();
    assert!(
        fired
            .iter()
            .any(|(f, r)| f == "src/junk.rs" && (r == "unreadable-file" || r == "syntax-error")),
        "{fired:?}"
    );
    let bom = result
        .diagnostics
        .iter()
        .find(|d| &*d.loc.file == "src/bom.rs")
        .expect("finding in the BOM file");
    assert_eq!(
        (bom.loc.start_pos.line, bom.loc.start_pos.column),
        (4, 5),
        "positions ignore the BOM and CRLF"
    );
    // byte offsets are into the file on disk, BOM included
    let start = bom.loc.start;
    assert_eq!(&bom_crlf[start..start + 5], b"sleep");
    assert!(
        !fired
            .iter()
            .any(|(f, _)| f == "src/empty.rs" || f == "src/only_comment.rs"),
        "{fired:?}"
    );
}

#[test]
fn empty_project_and_project_without_rust() {
    let p = tempfile::tempdir().unwrap();
    let result = common::check(p.path(), &["ALL"]);
    assert!(result.diagnostics.is_empty());
    assert_eq!(result.files_checked, 0);
}

#[cfg(unix)]
#[test]
fn symlinks_are_never_followed_and_loops_do_not_hang() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(
        outside.path().join("secret.rs"),
        "pub async fn s() { std::thread::sleep(std::time::Duration::ZERO); }\n",
    )
    .unwrap();
    let p = project_with(&[("src/lib.rs", b"pub fn ok() {}\n")]);
    std::os::unix::fs::symlink(outside.path(), p.path().join("src/outside")).unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("secret.rs"),
        p.path().join("src/linked.rs"),
    )
    .unwrap();
    std::os::unix::fs::symlink(p.path().join("src"), p.path().join("src/loop")).unwrap();
    let result = common::check(p.path(), &["ALL"]);
    assert!(
        result.diagnostics.is_empty(),
        "{}",
        common::render(&result.diagnostics)
    );
    assert_eq!(result.files_checked, 1);
}

#[cfg(unix)]
#[test]
fn unreadable_files_are_reported() {
    use std::os::unix::fs::PermissionsExt;
    let p = project_with(&[
        ("src/locked.rs", b"pub fn x() {}\n"),
        ("src/ok.rs", b"pub fn y() {}\n"),
    ]);
    let locked = p.path().join("src/locked.rs");
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    if std::fs::read(&locked).is_ok() {
        eprintln!("skipped: running as root, permissions do not stop reads");
        return;
    }
    let fired = rules_fired(p.path());
    assert!(
        fired.contains(&("src/locked.rs".into(), "unreadable-file".into())),
        "{fired:?}"
    );
}
