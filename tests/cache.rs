//! The content-hash cache: a warm run gives exactly the cold run's output (findings of files it did
//! not parse included, cross-file ones too), edits and configuration changes are seen, and the
//! cache never changes what is reported.

mod common;

use std::path::Path;
use std::process::{Command, Output};

fn stratalint(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_stratalint"))
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .output()
        .expect("run stratalint")
}

/// The JSON report without the timing.
fn report(args: &[&str], cwd: &Path) -> serde_json::Value {
    let mut full = vec!["check", "--format", "json"];
    full.extend_from_slice(args);
    let o = stratalint(&full, cwd);
    assert!(
        matches!(o.status.code(), Some(0 | 1)),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let mut v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    v["summary"]["elapsed_ms"] = serde_json::Value::Null;
    v
}

#[test]
fn warm_runs_report_exactly_what_cold_runs_do() {
    let p = common::copy_fixture("violations");
    let root = p.path();
    let cold = report(&[], root);
    assert!(
        root.join(".stratalint_cache/v2.entries").is_file(),
        "the cache is written"
    );
    let ignore = std::fs::read_to_string(root.join(".stratalint_cache/.gitignore")).unwrap();
    assert!(
        ignore.lines().any(|l| l == "*"),
        "the cache ignores itself in git"
    );
    let warm = report(&[], root);
    assert_eq!(cold, warm);
    // cross-file findings (a handler registered in another file) come back from cached facts
    let uncached = report(&["--no-cache"], root);
    assert_eq!(cold, uncached);
    // with one thread and with many, warm
    assert_eq!(cold, report(&["--jobs", "1"], root));
    assert_eq!(cold, report(&["--jobs", "8"], root));
}

#[test]
fn edits_and_configuration_changes_are_seen() {
    let p = common::copy_fixture("violations");
    let root = p.path();
    let before = report(&[], root);
    let count = |v: &serde_json::Value| v["diagnostics"].as_array().unwrap().len();
    // a new violation in a file the cache knows
    let service = root.join("src/services/user_service.rs");
    let text = std::fs::read_to_string(&service).unwrap();
    std::fs::write(
        &service,
        text.replace(
            "    /// Trap: the same work done right.",
            "    pub async fn nap(&self) {\n        std::thread::sleep(std::time::Duration::from_millis(1));\n    }\n\n    /// Trap: the same work done right.",
        ),
    )
    .unwrap();
    let edited = report(&[], root);
    assert_eq!(count(&edited), count(&before) + 1, "the edit is seen");
    assert_eq!(edited, report(&["--no-cache"], root));
    // a configuration change invalidates the cache
    std::fs::write(root.join("stratalint.toml"), "ignore = [\"async\"]\n").unwrap();
    let configured = report(&[], root);
    assert!(configured["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .all(|d| d["family"] != "async"));
    assert_eq!(configured, report(&["--no-cache"], root));
    // so does a different selection on the command line
    let selected = report(&["--select", "naming"], root);
    assert!(selected["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .all(|d| d["family"] == "naming"));
}

#[test]
fn no_cache_writes_nothing_and_clean_removes_the_cache() {
    let p = common::copy_fixture("clean");
    let root = p.path();
    report(&["--no-cache"], root);
    assert!(!root.join(".stratalint_cache").exists());
    report(&[], root);
    assert!(root.join(".stratalint_cache").exists());
    let o = stratalint(&["clean"], root);
    assert_eq!(o.status.code(), Some(0));
    assert!(!root.join(".stratalint_cache").exists());
    let o = stratalint(&["clean"], root);
    assert!(String::from_utf8_lossy(&o.stdout).contains("no cache"));
}

#[test]
fn a_corrupt_cache_is_ignored() {
    let p = common::copy_fixture("violations");
    let root = p.path();
    let cold = report(&[], root);
    let entries = root.join(".stratalint_cache/v2.entries");
    let kept = root.join(".stratalint_cache/v2.result.json");
    let good = std::fs::read(&entries).unwrap();
    let text = String::from_utf8(good.clone()).unwrap();
    assert!(text.starts_with("stratalint-cache 2 "), "{text}");
    let damaged: [(&str, Vec<u8>); 5] = [
        ("not a cache", b"{ not json".to_vec()),
        ("empty", Vec::new()),
        ("cut short", good[..good.len() / 2].to_vec()),
        ("a length past the end", {
            // the first record's line: `<path length> <hash> <record length>`
            let (header, rest) = text.split_once('\n').unwrap();
            let (line, rest) = rest.split_once('\n').unwrap();
            let (lens, _) = line.rsplit_once(' ').unwrap();
            format!("{header}\n{lens} 99999999\n{rest}").into_bytes()
        }),
        // the framing is whole, but no record decodes: every file is walked again
        (
            "records that do not decode",
            text.replace("\"diags\"", "\"diagz\"").into_bytes(),
        ),
    ];
    for (what, bytes) in damaged {
        std::fs::write(&entries, bytes).unwrap();
        // without the kept whole-run result, the per-file records are what serves the run
        std::fs::remove_file(&kept).unwrap();
        assert_eq!(cold, report(&[], root), "{what}");
        // and the run wrote a whole cache again
        assert!(
            std::fs::read(&entries)
                .unwrap()
                .starts_with(b"stratalint-cache 2 "),
            "{what}"
        );
    }
}

/// The report's bytes, with the timing (the one thing allowed to differ between runs) blanked.
fn report_bytes(args: &[&str], cwd: &Path) -> String {
    let o = stratalint(args, cwd);
    assert!(
        matches!(o.status.code(), Some(0 | 1)),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let text = String::from_utf8(o.stdout).expect("utf-8");
    match text.find("\"elapsed_ms\":") {
        Some(at) => {
            let value = at + "\"elapsed_ms\":".len();
            let rest = text[value..].trim_start_matches(|c: char| c == ' ' || c.is_ascii_digit());
            format!("{}\"elapsed_ms\": _{rest}", &text[..at])
        }
        None => text,
    }
}

#[test]
fn output_is_byte_identical_across_thread_counts_and_cold_and_warm_runs() {
    for fixture in ["violations", "clean"] {
        let p = common::copy_fixture(fixture);
        let root = p.path();
        let json = |extra: &[&str]| {
            let mut args = vec!["check", "--format", "json"];
            args.extend_from_slice(extra);
            report_bytes(&args, root)
        };
        let reference = json(&["--no-cache", "--jobs", "1"]);
        assert!(reference.contains("\"elapsed_ms\": _"), "{reference}");
        let findings = reference.matches("\"fingerprint\"").count();
        if fixture == "violations" {
            assert!(findings > 5, "{fixture}: {findings} findings");
        }
        assert_eq!(json(&["--no-cache", "--jobs", "4"]), reference, "{fixture}");
        assert!(!root.join(".stratalint_cache").exists());
        // cold: the cache is written
        assert_eq!(json(&["--jobs", "4"]), reference, "{fixture}: cold");
        assert!(root.join(".stratalint_cache/v2.entries").is_file());
        // warm: served from it
        assert_eq!(json(&["--jobs", "4"]), reference, "{fixture}: warm");
        assert_eq!(
            json(&["--jobs", "1"]),
            reference,
            "{fixture}: warm, one thread"
        );
        // a format without timing, whole
        let sarif = |extra: &[&str]| {
            let mut args = vec!["check", "--format", "sarif"];
            args.extend_from_slice(extra);
            report_bytes(&args, root)
        };
        assert_eq!(
            sarif(&["--jobs", "1"]),
            sarif(&["--no-cache", "--jobs", "4"]),
            "{fixture}: sarif"
        );
    }
}

#[test]
fn a_whole_run_is_reused_only_for_the_same_files_and_the_same_targets() {
    let p = common::copy_fixture("violations");
    let root = p.path();
    let full = report(&[], root);
    let kept = root.join(".stratalint_cache/v2.result.json");
    assert!(kept.is_file(), "the settled findings are kept");
    assert_eq!(
        full,
        report(&[], root),
        "nothing changed: the kept findings"
    );
    // one file named: only its findings, as a run without the cache gives them
    let one = report(&["src/services/user_service.rs"], root);
    assert_eq!(
        one,
        report(&["--no-cache", "src/services/user_service.rs"], root)
    );
    assert!(one["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .all(|d| d["file"] == "src/services/user_service.rs"));
    assert_ne!(one, full);
    // an edit, then the edit undone: the findings follow the content both times
    let service = root.join("src/services/user_service.rs");
    let text = std::fs::read_to_string(&service).unwrap();
    std::fs::write(&service, format!("{text}\npub fn nap() {{ std::thread::sleep(std::time::Duration::from_millis(1)); }}\npub async fn f() {{ nap(); }}\n")).unwrap();
    let edited = report(&[], root);
    assert_ne!(edited, full);
    assert_eq!(edited, report(&["--no-cache"], root));
    std::fs::write(&service, text).unwrap();
    assert_eq!(full, report(&[], root));
    // a damaged copy is ignored
    std::fs::write(&kept, "{not json").unwrap();
    assert_eq!(full, report(&[], root));
    // `graph` needs the dependency graph, which the kept findings do not hold; it leaves the
    // kept findings of `check` in place
    let before_graph = std::fs::read(&kept).unwrap();
    // twice: the second run finds the first one's cache
    for _ in 0..2 {
        let o = stratalint(&["graph", "--format", "mermaid"], root);
        assert_eq!(
            o.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
    }
    assert_eq!(before_graph, std::fs::read(&kept).unwrap());
    assert_eq!(full, report(&[], root));
}

/// The lines of the per-file records: `<path length> <hash> <record length> <stamp id> <stamp time>`.
fn record_stamps(root: &Path) -> Vec<(u64, u64)> {
    let bytes = std::fs::read(root.join(".stratalint_cache/v2.entries")).unwrap();
    let mut out = Vec::new();
    let mut at = bytes.iter().position(|&b| b == b'\n').unwrap() + 1;
    while at < bytes.len() {
        let end = at + bytes[at..].iter().position(|&b| b == b'\n').unwrap();
        let nums: Vec<u64> = std::str::from_utf8(&bytes[at..end])
            .unwrap()
            .split(' ')
            .map(|n| n.parse().unwrap())
            .collect();
        out.push((nums[3], nums[4]));
        at = end + 1 + (nums[0] + nums[2]) as usize;
    }
    out
}

#[test]
fn stat_stamps_are_trusted_only_for_settled_files_and_an_edit_of_the_same_size_is_seen() {
    let p = common::copy_fixture("violations");
    let root = p.path();
    // files written a moment ago have not settled: their stamps are not stored
    let cold = report(&[], root);
    let stamps = record_stamps(root);
    assert!(!stamps.is_empty());
    assert!(stamps.iter().all(|s| *s == (0, 0)), "{stamps:?}");
    // two seconds later they have: the next run stores them, and the one after uses them
    std::thread::sleep(std::time::Duration::from_millis(2_100));
    std::fs::remove_file(root.join(".stratalint_cache/v2.result.json")).unwrap();
    assert_eq!(cold, report(&[], root));
    let stamps = record_stamps(root);
    assert!(stamps.iter().all(|s| *s != (0, 0)), "{stamps:?}");
    assert_eq!(cold, report(&[], root), "served through the stamps");
    // an edit that keeps the size, with the modification time set back as some tools do, still
    // changes the status-change time: the file is read again
    let file = root.join("src/services/user_service.rs");
    let text = std::fs::read_to_string(&file).unwrap();
    let modified = std::fs::metadata(&file).unwrap().modified().unwrap();
    assert!(text.contains("std::thread::sleep("));
    std::fs::write(
        &file,
        text.replace("std::thread::sleep(", "std::thread::sleeq("),
    )
    .unwrap();
    let f = std::fs::File::options().write(true).open(&file).unwrap();
    f.set_modified(modified).unwrap();
    drop(f);
    assert_eq!(
        std::fs::metadata(&file).unwrap().modified().unwrap(),
        modified
    );
    let edited = report(&[], root);
    assert_ne!(edited, cold, "the edit removed a finding");
    assert_eq!(edited, report(&["--no-cache"], root));
}
