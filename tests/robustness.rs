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

/// A 20 MB generated file: real code (40,000 functions, one with a blocking call in async code
/// near the end) around a 17 MB string blob.
fn twenty_megabytes() -> Vec<u8> {
    let mut s = String::with_capacity(21 << 20);
    for i in 0..20_000 {
        s.push_str(&format!(
            "pub fn f{i}(x: u64) -> u64 {{ x.wrapping_mul({i}) + 1 }}\n"
        ));
    }
    s.push_str("pub const BLOB: &str = r#\"");
    let line = "0123456789abcdef".repeat(7) + "\n";
    while s.len() < 19 << 20 {
        s.push_str(&line);
    }
    s.push_str("\"#;\n");
    for i in 20_000..40_000 {
        s.push_str(&format!(
            "pub fn f{i}(x: u64) -> u64 {{ x.wrapping_mul({i}) + 1 }}\n"
        ));
    }
    s.push_str("pub async fn late() {\n    std::thread::sleep(std::time::Duration::ZERO);\n}\n");
    assert!(s.len() > 20_000_000, "{}", s.len());
    s.into_bytes()
}

#[test]
fn a_20_mb_file_is_skipped_by_default_and_checked_when_the_limit_is_raised() {
    let big = twenty_megabytes();
    let lines = big.iter().filter(|&&b| b == b'\n').count() as u32;
    let p = project_with(&[
        ("src/services/generated.rs", &big),
        (
            "src/services/slow.rs",
            b"pub async fn s() { std::thread::sleep(std::time::Duration::ZERO); }\n",
        ),
    ]);
    // the default limit (4 MiB): reported and not read, the other files checked
    let started = std::time::Instant::now();
    let result = common::check(p.path(), &["ALL"]);
    let fired: Vec<(&str, &str)> = result
        .diagnostics
        .iter()
        .map(|d| (&*d.loc.file, d.rule))
        .collect();
    let too_large = result
        .diagnostics
        .iter()
        .find(|d| &*d.loc.file == "src/services/generated.rs")
        .expect("the large file is reported");
    assert_eq!(too_large.rule, "file-too-large", "{fired:?}");
    assert!(
        too_large.message.contains(&format!(
            "file is {} bytes, above the 4194304-byte limit",
            big.len()
        )),
        "{}",
        too_large.message
    );
    assert_eq!(
        fired
            .iter()
            .filter(|(f, _)| *f == "src/services/generated.rs")
            .count(),
        1,
        "{fired:?}"
    );
    assert!(
        fired.contains(&("src/services/slow.rs", "blocking-call-in-async")),
        "{fired:?}"
    );
    assert!(
        started.elapsed() < std::time::Duration::from_secs(20),
        "skipping took {:?}",
        started.elapsed()
    );

    // a raised limit: the whole file is parsed and walked, its last lines included
    std::fs::write(
        p.path().join("stratalint.toml"),
        "[files]\nmax-file-size = 33554432\n",
    )
    .unwrap();
    let started = std::time::Instant::now();
    let result = common::check(p.path(), &["ALL"]);
    let elapsed = started.elapsed();
    let in_big: Vec<_> = result
        .diagnostics
        .iter()
        .filter(|d| &*d.loc.file == "src/services/generated.rs")
        .collect();
    assert!(
        in_big
            .iter()
            .all(|d| d.rule != "file-too-large" && d.rule != "internal-error"),
        "{}",
        common::render(&result.diagnostics)
    );
    let late = in_big
        .iter()
        .find(|d| d.rule == "blocking-call-in-async")
        .expect("the call at the end of the file is found");
    assert_eq!(late.loc.start_pos.line, lines - 1);
    assert!(big[late.loc.start..].starts_with(b"std::thread::sleep"));
    // generous for a debug build on a loaded machine; a release build takes a few seconds
    assert!(
        elapsed < std::time::Duration::from_secs(120),
        "checking 20 MB took {elapsed:?}"
    );
}

fn stratalint(args: &[&str], cwd: &Path) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_stratalint"))
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("STRATALINT_OUTPUT_FORMAT")
        .output()
        .expect("run stratalint")
}

#[test]
fn positions_after_a_bom_and_crlf_lines_in_every_report() {
    // a finding on the BOM's line, and one after CRLF lines and a two-byte char on its own line
    let text = "\u{feff}pub async fn a() { std::thread::sleep(std::time::Duration::ZERO); }\r\n\
                \r\n\
                // café\r\n\
                pub async fn b() { let _é = 1; std::thread::sleep(std::time::Duration::ZERO); }\r\n";
    let bytes = text.as_bytes();
    let p = project_with(&[("src/services/bom.rs", bytes)]);
    let o = stratalint(
        &[
            "check",
            "--format",
            "json",
            "--select",
            "blocking-call-in-async",
        ],
        p.path(),
    );
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    let found: Vec<[u64; 6]> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            [
                "line",
                "column",
                "end_line",
                "end_column",
                "byte_start",
                "byte_end",
            ]
            .map(|k| d[k].as_u64().unwrap())
        })
        .collect();
    let call = "std::thread::sleep(std::time::Duration::ZERO)";
    let first = text.find(call).unwrap();
    let second = text.rfind(call).unwrap();
    // columns count chars from the start of the line, BOM excluded; byte offsets are into the
    // file on disk, BOM included
    assert_eq!(
        found,
        [
            [
                1,
                20,
                1,
                20 + call.len() as u64,
                first as u64,
                (first + call.len()) as u64
            ],
            [
                4,
                32,
                4,
                32 + call.len() as u64,
                second as u64,
                (second + call.len()) as u64
            ],
        ]
    );
    assert_eq!(&text[first..first + call.len()], call);

    let o = stratalint(
        &[
            "check",
            "--format",
            "concise",
            "--select",
            "blocking-call-in-async",
        ],
        p.path(),
    );
    let concise = String::from_utf8_lossy(&o.stdout);
    assert!(concise.contains("src/services/bom.rs:1:20: "), "{concise}");
    assert!(concise.contains("src/services/bom.rs:4:32: "), "{concise}");

    // the human report shows the lines without BOM or `\r` and underlines the call
    let o = stratalint(
        &[
            "check",
            "--color",
            "never",
            "--select",
            "blocking-call-in-async",
        ],
        p.path(),
    );
    let human = String::from_utf8_lossy(&o.stdout);
    assert!(
        !human.contains('\u{feff}') && !human.contains('\r'),
        "{human:?}"
    );
    let lines: Vec<&str> = human.lines().collect();
    for source_line in [
        "pub async fn a() { std::thread::sleep(std::time::Duration::ZERO); }",
        "pub async fn b() { let _é = 1; std::thread::sleep(std::time::Duration::ZERO); }",
    ] {
        let at = lines
            .iter()
            .position(|l| l.ends_with(source_line))
            .unwrap_or_else(|| panic!("{source_line:?} in {human}"));
        // the underline starts under `std::thread::sleep` (in chars: `é` is one column)
        let column = |l: &str, pat: &str| l.find(pat).map(|b| l[..b].chars().count());
        let code_col = column(lines[at], "std::thread").unwrap();
        let mark_col = column(lines[at + 1], "─").or_else(|| column(lines[at + 1], "^"));
        assert_eq!(mark_col, Some(code_col), "{human}");
        // and ends under its last char
        let marks = lines[at + 1]
            .chars()
            .filter(|c| matches!(c, '─' | '┬'))
            .count();
        assert_eq!(marks, call.len(), "{human}");
    }
}

/// Every entry under `root`: its kind, and for files their bytes, permissions and mtime.
fn tree(root: &Path) -> std::collections::BTreeMap<String, String> {
    let mut out = std::collections::BTreeMap::new();
    for entry in walkdir::WalkDir::new(root).min_depth(1) {
        let entry = entry.unwrap();
        let rel = entry
            .path()
            .strip_prefix(root)
            .unwrap()
            .display()
            .to_string();
        let meta = std::fs::symlink_metadata(entry.path()).unwrap();
        let what = if meta.is_file() {
            let bytes = std::fs::read(entry.path()).unwrap();
            let mut h = std::collections::hash_map::DefaultHasher::new();
            std::hash::Hash::hash(&bytes, &mut h);
            format!(
                "file {} {:x} {:?} {:?}",
                bytes.len(),
                std::hash::Hasher::finish(&h),
                meta.permissions(),
                meta.modified().unwrap()
            )
        } else {
            format!("{:?} {:?}", meta.file_type(), meta.permissions())
        };
        out.insert(rel, what);
    }
    out
}

/// The entries that differ between two trees.
fn changes(
    before: &std::collections::BTreeMap<String, String>,
    after: &std::collections::BTreeMap<String, String>,
) -> Vec<String> {
    let keys: std::collections::BTreeSet<&String> = before.keys().chain(after.keys()).collect();
    keys.into_iter()
        .filter(|k| before.get(*k) != after.get(*k))
        .map(|k| format!("{k}: {:?} -> {:?}", before.get(k), after.get(k)))
        .collect()
}

#[test]
fn a_check_changes_no_file_and_writes_only_its_cache() {
    let p = common::copy_fixture("violations");
    let root = p.path();
    let before = tree(root);
    assert!(before.len() > 30, "{before:#?}");
    // run from elsewhere too: nothing is written to the working directory
    let elsewhere = tempfile::tempdir().unwrap();
    let root_arg = root.to_str().unwrap();
    let run = |args: &[&str], cwd: &Path| {
        let o = stratalint(args, cwd);
        assert!(
            matches!(o.status.code(), Some(0 | 1)),
            "{args:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
    };
    let no_cache: [(&[&str], &Path); 5] = [
        (&["check", "--no-cache"], root),
        (
            &["check", "--no-cache", "--format", "json", "--statistics"],
            root,
        ),
        (
            &[
                "check",
                "--no-cache",
                "--format",
                "sarif",
                "--select",
                "ALL",
            ],
            root,
        ),
        (&["check", "--no-cache", "--diff"], root),
        (
            &["check", "--no-cache", "--format", "junit", root_arg],
            elsewhere.path(),
        ),
    ];
    for (args, cwd) in no_cache {
        run(args, cwd);
        assert_eq!(
            changes(&before, &tree(root)),
            Vec::<String>::new(),
            "{args:?}"
        );
    }
    assert!(tree(elsewhere.path()).is_empty());

    // with the cache: the files are untouched, `.stratalint_cache/` is all that appears
    let cached: [(&[&str], &Path); 3] = [
        (&["check", "--format", "json"], root),
        (&["check", "--format", "json"], root),
        (&["graph", root_arg], elsewhere.path()),
    ];
    for (args, cwd) in cached {
        run(args, cwd);
        let after = tree(root);
        let (cache, rest): (Vec<_>, Vec<_>) = after.into_iter().partition(|(rel, _)| {
            rel == ".stratalint_cache" || rel.starts_with(".stratalint_cache/")
        });
        let rest = rest.into_iter().collect();
        assert_eq!(changes(&before, &rest), Vec::<String>::new(), "{args:?}");
        assert!(
            cache
                .iter()
                .any(|(rel, _)| rel == ".stratalint_cache/v2.entries"),
            "{cache:#?}"
        );
    }
    assert!(tree(elsewhere.path()).is_empty());
}

/// A rule whose cross-file pass panics: the run goes on, the panic becomes an `internal-error`
/// finding naming the rule, the other findings are kept.
#[test]
fn a_panic_in_a_cross_file_pass_is_a_finding() {
    use stratalint_engine::{Family, Hooks, ProjectCx, Rule, RuleMeta, Severity};

    static META: RuleMeta = RuleMeta {
        id: "panics-across-files",
        family: Family::Errors,
        severity: Severity::Error,
        doc: "---\nid: panics-across-files\nfamily: errors\nseverity: error\nsummary: test\n---\n",
        default_enabled: true,
    };
    struct Panics;
    impl Rule for Panics {
        fn meta(&self) -> &'static RuleMeta {
            &META
        }
        fn hooks(&self) -> Hooks {
            Hooks::PROJECT
        }
        fn check_project(&self, _cx: &mut ProjectCx<'_>) {
            panic!("boom in the project pass");
        }
    }

    let p = project_with(&[(
        "src/lib.rs",
        b"pub async fn s() { std::thread::sleep(std::time::Duration::ZERO); }\n",
    )]);
    let mut rules = stratalint_rules::all();
    rules.push(Box::new(Panics));
    let opts = stratalint_engine::CheckOptions {
        cwd: p.path().to_path_buf(),
        no_cache: true,
        ..Default::default()
    };
    let res = stratalint_engine::check(&opts, rules).expect("the check runs");
    let rules: Vec<&str> = res.diagnostics.iter().map(|d| d.rule).collect();
    let internal = res
        .diagnostics
        .iter()
        .find(|d| d.rule == "internal-error")
        .expect("an internal-error finding");
    assert!(
        internal.message.contains("panics-across-files") && internal.message.contains("boom"),
        "{}",
        internal.message
    );
    assert!(rules.contains(&"blocking-call-in-async"), "{rules:?}");
}
