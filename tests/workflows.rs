//! Adoption and local workflows: baselines, --changed-since, --stdin-filename, --statistics,
//! --output, files named on the command line with the project as context, the rust-analyzer
//! wrapper script.

mod common;

use std::path::Path;
use std::process::{Command, Output, Stdio};

fn stratalint(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_stratalint"))
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .output()
        .expect("run stratalint")
}

fn text(o: &[u8]) -> String {
    String::from_utf8_lossy(o).into_owned()
}

/// The slice rules: a stable selection, so that counts here do not move when rules are added.
const SLICE: &str = "handler-database-access,sql-injection,blocking-call-in-async,file-name-snake-case,migration-file-name";

/// A copy of the violating fixture in a temp dir.
fn violations_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let src = common::fixture("violations");
    let walk = walkdir::WalkDir::new(&src)
        .into_iter()
        .filter_entry(|e| e.file_name() != ".stratalint_cache");
    for entry in walk {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(&src).unwrap();
        let dest = dir.path().join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(entry.path(), &dest).unwrap();
        }
    }
    dir
}

/// A sync helper of the project that blocks two calls down, in `src/core/disk.rs`. Async code of
/// another file calling `crate::core::disk::read_settings()` is a `blocking-call-via-sync-fn`
/// finding, which needs the whole project: the blocking call is not in the file checked.
fn add_blocking_helper(root: &Path) {
    std::fs::write(
        root.join("src/core/disk.rs"),
        "pub fn read_settings() -> String {\n    settle();\n    String::new()\n}\n\n\
         fn settle() {\n    std::thread::sleep(std::time::Duration::from_millis(5));\n}\n",
    )
    .unwrap();
    let module = root.join("src/core/mod.rs");
    let modules = std::fs::read_to_string(&module).unwrap();
    std::fs::write(&module, format!("{modules}pub mod disk;\n")).unwrap();
}

#[test]
fn baseline_hides_known_findings_follows_moved_code_and_reports_stale_entries() {
    let p = violations_copy();
    let root = p.path();
    let o = stratalint(
        &[
            "check",
            "--select",
            SLICE,
            "--write-baseline",
            "baseline.json",
        ],
        root,
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert!(
        text(&o.stderr).contains("wrote 10 findings"),
        "{}",
        text(&o.stderr)
    );

    // with the baseline, nothing is new
    let o = stratalint(
        &[
            "check",
            "--select",
            SLICE,
            "--baseline",
            "baseline.json",
            "--format",
            "concise",
        ],
        root,
    );
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}{}",
        text(&o.stdout),
        text(&o.stderr)
    );
    assert!(
        text(&o.stderr).contains("10 known findings hidden"),
        "{}",
        text(&o.stderr)
    );

    // move code (lines shift), fix one finding, add a new one
    let service = root.join("src/services/user_service.rs");
    let original = std::fs::read_to_string(&service).unwrap();
    let moved =
        format!("//! Moved down by a new header.\n//!\n//! And another line.\n\n{original}");
    let fixed = moved.replace(
        "        std::thread::sleep(std::time::Duration::from_millis(50));\n        std::fs::write",
        "        std::fs::write",
    );
    assert_ne!(moved, fixed, "the fixture changed: update this test");
    let added = fixed.replace(
        "    /// Trap: the same work done right.",
        "    pub async fn pause(&self) {\n        std::thread::sleep(std::time::Duration::from_millis(5));\n    }\n\n    /// Trap: the same work done right.",
    );
    std::fs::write(&service, added).unwrap();

    let o = stratalint(
        &[
            "check",
            "--select",
            SLICE,
            "--baseline",
            "baseline.json",
            "--format",
            "concise",
        ],
        root,
    );
    let out = text(&o.stdout);
    let err = text(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{out}{err}");
    let findings: Vec<&str> = out
        .lines()
        .filter(|l| l.contains("error[") || l.contains("warning["))
        .collect();
    assert_eq!(
        findings.len(),
        1,
        "only the new finding is reported:\n{out}"
    );
    assert!(findings[0].contains("in async fn `pause`"), "{out}");
    assert!(
        err.contains("9 known findings hidden"),
        "the moved ones still match: {err}"
    );
    assert!(err.contains("1 baseline entries no longer match"), "{err}");
    assert!(
        err.contains("src/services/user_service.rs [blocking-call-in-async]"),
        "{err}"
    );
}

#[test]
fn baseline_from_config_and_missing_baseline_is_an_error() {
    let p = violations_copy();
    let root = p.path();
    std::fs::write(
        root.join("stratalint.toml"),
        format!(
            "baseline = \"stratalint-baseline.json\"\nselect = {:?}\n",
            SLICE.split(',').collect::<Vec<_>>()
        ),
    )
    .unwrap();
    let o = stratalint(&["check"], root);
    assert_eq!(
        o.status.code(),
        Some(2),
        "a configured baseline that does not exist is an error"
    );
    assert!(text(&o.stderr).contains("--write-baseline"));
    assert_eq!(
        stratalint(
            &["check", "--write-baseline", "stratalint-baseline.json"],
            root
        )
        .status
        .code(),
        Some(0)
    );
    let o = stratalint(&["check"], root);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stdout));
}

#[test]
fn stdin_is_linted_as_the_named_file_with_the_project_as_context() {
    let p = violations_copy();
    add_blocking_helper(p.path());
    let mut child = Command::new(env!("CARGO_BIN_EXE_stratalint"))
        .args([
            "check",
            "--format",
            "concise",
            "--stdin-filename",
            "src/services/draft.rs",
        ])
        .current_dir(p.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(
            b"pub async fn draft() {\n    std::thread::sleep(std::time::Duration::from_secs(1));\n}\n\n\
              pub async fn draft_report() -> String {\n    crate::core::disk::read_settings()\n}\n",
        )
        .unwrap();
    let o = child.wait_with_output().unwrap();
    let out = text(&o.stdout);
    assert_eq!(o.status.code(), Some(1), "{out}{}", text(&o.stderr));
    assert!(
        out.contains("src/services/draft.rs:2:5: error[blocking-call-in-async]"),
        "{out}"
    );
    // the helper is in src/core/disk.rs, on disk: the buffer is checked with the project around it
    assert!(
        out.contains("src/services/draft.rs:6:5: error[blocking-call-via-sync-fn]"),
        "{out}"
    );
    assert!(
        out.contains("1 file checked"),
        "only the buffer is reported: {out}"
    );
}

#[test]
fn named_files_get_the_project_context_and_force_exclude_applies() {
    let p = violations_copy();
    let root = p.path();
    let o = stratalint(
        &["check", "--format", "concise", "src/api/v1/users.rs"],
        root,
    );
    let out = text(&o.stdout);
    assert!(out.contains("error[handler-database-access]"), "{out}");
    assert!(
        !out.contains("user_service.rs"),
        "only the named file is reported: {out}"
    );

    // a cross-file finding in a named file: the blocking call is in another file of the project
    add_blocking_helper(root);
    std::fs::write(
        root.join("src/services/report_service.rs"),
        "pub async fn report() -> String {\n    crate::core::disk::read_settings()\n}\n",
    )
    .unwrap();
    let services = root.join("src/services/mod.rs");
    let modules = std::fs::read_to_string(&services).unwrap();
    std::fs::write(&services, format!("{modules}pub mod report_service;\n")).unwrap();
    let o = stratalint(
        &[
            "check",
            "--format",
            "concise",
            "src/services/report_service.rs",
        ],
        root,
    );
    let out = text(&o.stdout);
    assert_eq!(o.status.code(), Some(1), "{out}{}", text(&o.stderr));
    assert!(
        out.contains("src/services/report_service.rs:2:5: error[blocking-call-via-sync-fn]"),
        "{out}"
    );
    assert!(out.contains("1 file checked"), "{out}");
    assert!(
        !out.contains("disk.rs:"),
        "only the named file is reported: {out}"
    );

    std::fs::write(
        root.join("stratalint.toml"),
        "[files]\nexclude = [\"src/api/**\"]\n",
    )
    .unwrap();
    let o = stratalint(
        &["check", "--format", "concise", "src/api/v1/users.rs"],
        root,
    );
    assert!(
        text(&o.stdout).contains("handler-database-access"),
        "named files bypass excludes by default"
    );
    let o = stratalint(
        &[
            "check",
            "--format",
            "concise",
            "--force-exclude",
            "src/api/v1/users.rs",
        ],
        root,
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stdout));
}

#[test]
fn changed_since_checks_only_changed_files() {
    let p = violations_copy();
    let root = p.path();
    // every call carries an identity, so commits work on a machine without a git config
    let git = |args: &[&str]| -> String {
        let o = Command::new("git")
            .args(["-c", "user.name=t", "-c", "user.email=t@e"])
            .args(args)
            .current_dir(root)
            .output()
            .unwrap();
        assert!(o.status.success(), "git {args:?}: {}", text(&o.stderr));
        text(&o.stdout)
    };
    let append = |rel: &str, line: &str| {
        let path = root.join(rel);
        let old = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, format!("{old}{line}\n")).unwrap();
    };
    git(&["init", "-q"]);
    git(&["add", "-A"]);
    git(&["commit", "-qm", "base"]);
    let o = stratalint(&["check", "--changed-since", "HEAD"], root);
    assert_eq!(o.status.code(), Some(0));
    assert!(text(&o.stdout).contains("No files changed since HEAD"));
    // an untracked new file and a modified one
    std::fs::write(
        root.join("src/services/fresh.rs"),
        "pub async fn f() { std::thread::sleep(std::time::Duration::ZERO); }\n",
    )
    .unwrap();
    let o = stratalint(
        &["check", "--changed-since", "HEAD", "--format", "concise"],
        root,
    );
    let out = text(&o.stdout);
    assert_eq!(o.status.code(), Some(1), "{out}{}", text(&o.stderr));
    assert!(out.contains("src/services/fresh.rs:1:"), "{out}");
    assert!(out.contains("1 file checked"), "{out}");

    // the `git diff` side: a tracked file changed in a commit after the base, another changed and
    // not committed; an unchanged file with findings stays out
    let base = git(&["rev-parse", "HEAD"]).trim().to_string();
    let unchanged = "src/repositories/user_repository.rs:";
    let all = text(&stratalint(&["check", "--format", "concise"], root).stdout);
    for file in [
        "src/api/v1/users.rs:",
        "src/services/user_service.rs:",
        unchanged,
    ] {
        assert!(
            all.contains(file),
            "the fixture changed: {file} has no finding\n{all}"
        );
    }
    append(
        "src/api/v1/users.rs",
        "// changed in a commit after the base",
    );
    git(&["commit", "-qam", "after the base"]);
    append("src/services/user_service.rs", "// changed, not committed");
    let expect_changed = |o: &Output| {
        let out = text(&o.stdout);
        assert_eq!(o.status.code(), Some(1), "{out}{}", text(&o.stderr));
        for file in [
            "src/api/v1/users.rs:",
            "src/services/user_service.rs:",
            "src/services/fresh.rs:",
        ] {
            assert!(out.contains(file), "{file} changed since the base: {out}");
        }
        assert!(
            !out.contains(unchanged),
            "{unchanged} did not change: {out}"
        );
        assert!(out.contains("3 files checked"), "{out}");
    };
    expect_changed(&stratalint(
        &["check", "--changed-since", &base, "--format", "concise"],
        root,
    ));

    // git runs in the checked path's repository, not in the current directory
    let elsewhere = tempfile::tempdir().unwrap();
    let root_arg = root.to_str().unwrap();
    expect_changed(&stratalint(
        &[
            "check",
            root_arg,
            "--changed-since",
            &base,
            "--format",
            "concise",
        ],
        elsewhere.path(),
    ));
    // a directory of the project, named from elsewhere: the changed files under it only
    let api = root.join("src/api");
    let o = stratalint(
        &[
            "check",
            api.to_str().unwrap(),
            "--changed-since",
            &base,
            "--format",
            "concise",
        ],
        elsewhere.path(),
    );
    let out = text(&o.stdout);
    assert_eq!(o.status.code(), Some(1), "{out}{}", text(&o.stderr));
    assert!(out.contains("src/api/v1/users.rs:"), "{out}");
    assert!(out.contains("1 file checked"), "{out}");
    // and from a subdirectory with no path, the current directory is the scope, as for `check`
    let o = stratalint(
        &["check", "--changed-since", &base, "--format", "concise"],
        &root.join("src/services"),
    );
    let out = text(&o.stdout);
    assert!(out.contains("user_service.rs:"), "{out}");
    assert!(!out.contains("users.rs:"), "{out}");
    assert!(out.contains("2 files checked"), "{out}");
}

#[test]
fn statistics_and_output_file() {
    let p = violations_copy();
    let root = p.path();
    let o = stratalint(
        &[
            "check",
            "--statistics",
            "--format",
            "concise",
            "--output",
            "report.txt",
        ],
        root,
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(o.stdout.is_empty(), "the report goes to the file");
    let report = std::fs::read_to_string(root.join("report.txt")).unwrap();
    assert!(report.contains("error[sql-injection]"));
    let stats: Vec<&str> = report
        .lines()
        .filter(|l| l.trim_start().starts_with(|c: char| c.is_ascii_digit()))
        .collect();
    assert!(
        stats
            .iter()
            .any(|l| l.contains("migration-file-name") && l.trim_start().starts_with('3')),
        "{report}"
    );
}

/// The editor wrapper `scripts/rust-analyzer-check.sh` on a small crate without dependencies: its
/// stdout is what rust-analyzer reads, cargo check's JSON records and stratalint's diagnostics.
#[cfg(unix)]
#[test]
fn rust_analyzer_wrapper_prints_cargo_and_stratalint_messages() {
    let dir = tempfile::tempdir().unwrap();
    let template = common::repo().join("tests/e2e/rust-analyzer/project");
    for entry in walkdir::WalkDir::new(&template) {
        let entry = entry.unwrap();
        let dest = dir
            .path()
            .join(entry.path().strip_prefix(&template).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(entry.path(), &dest).unwrap();
        }
    }
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_stratalint"))
        .parent()
        .unwrap();
    let path = std::env::join_paths(std::iter::once(bin_dir.to_path_buf()).chain(
        std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()),
    ))
    .unwrap();
    let o = Command::new("sh")
        .arg(common::repo().join("scripts/rust-analyzer-check.sh"))
        // passed on to cargo check, as rust-analyzer's extra arguments would be
        .arg("--offline")
        .current_dir(dir.path())
        .env("PATH", path)
        // its own target directory: the test's cargo holds the lock on the workspace's
        .env("CARGO_TARGET_DIR", dir.path().join("target"))
        .env("NO_COLOR", "1")
        .output()
        .expect("run sh scripts/rust-analyzer-check.sh");
    let out = text(&o.stdout);
    assert_eq!(o.status.code(), Some(0), "{out}{}", text(&o.stderr));
    let records: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect();
    // cargo's records: the crate checked, then build-finished; stratalint ends with one of its own
    assert!(
        records
            .iter()
            .any(|r| r["reason"] == "compiler-artifact" && r["target"]["name"] == "ra_e2e"),
        "cargo check's compiler-artifact record is missing:\n{out}"
    );
    let finished = records
        .iter()
        .filter(|r| r["reason"] == "build-finished" && r["success"] == true)
        .count();
    assert_eq!(
        finished, 2,
        "cargo's and stratalint's build-finished:\n{out}"
    );
    let finding = records.iter().find(|r| {
        r["reason"] == "compiler-message"
            && r["message"]["code"]["code"] == "stratalint::blocking-call-in-async"
    });
    let finding = finding.unwrap_or_else(|| panic!("no stratalint compiler-message:\n{out}"));
    assert_eq!(
        finding["message"]["spans"][0]["file_name"], "src/services/slow.rs",
        "{finding}"
    );
}
