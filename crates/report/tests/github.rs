//! The `github` format: one workflow command per finding, in the shapes GitHub's runner parses.

mod common;

use std::path::Path;
use std::sync::Arc;

use common::{error, loc, register, render, report, FILE_NAME};
use stratalint_engine::{Diagnostic, Loc, Severity};
use stratalint_report::Format;

const TEXT: &str =
    "\u{feff}fn é() {\n    let s = \"日本\"; std::thread::sleep(d);\n    x(\n    );\n}\n";

#[test]
fn one_command_per_finding_then_the_summary() {
    register();
    let sleep = error(
        loc("src/a.rs", TEXT, "std::thread::sleep(d)", 0),
        "blocking sleep: 100% of a worker",
    )
    .with_help("use `tokio::time::sleep(..).await`,\nor spawn_blocking");
    let mut multi_line = error(loc("src/a.rs", TEXT, "x(\n    )", 0), "spans lines");
    multi_line.severity = Severity::Warning;
    let mut info = error(loc("src/a.rs", TEXT, "fn", 0), "an info");
    info.severity = Severity::Info;
    let file_level = Diagnostic::new(
        FILE_NAME.id,
        FILE_NAME.family,
        FILE_NAME.severity,
        Loc::file_start(Arc::from("src/a,b:c.rs")),
        "file name is not snake_case",
    );
    let diags = vec![info, sleep, multi_line, file_level];
    let out = render(Format::Github, &report(&diags, Path::new("/nonexistent")));
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines,
        [
            "::notice file=src/a.rs,line=1,endLine=1,col=1,endColumn=3,\
             title=stratalint (blocking-call-in-async)::an info",
            // Columns count chars (`日本` is 2), the BOM is not counted; the help follows the
            // message after an escaped line break; in the message only `%`, CR and LF are escaped.
            "::error file=src/a.rs,line=2,endLine=2,col=19,endColumn=40,\
             title=stratalint (blocking-call-in-async)::blocking sleep: 100%25 of a worker\
             %0Ahelp: use `tokio::time::sleep(..).await`,%0Aor spawn_blocking",
            // Multi-line ranges leave the columns out.
            "::warning file=src/a.rs,line=3,endLine=4,\
             title=stratalint (blocking-call-in-async)::spans lines",
            // A file-level finding is a line-1 annotation without columns; `,` and `:` in the
            // path are escaped, as property values must be.
            "::warning file=src/a%2Cb%3Ac.rs,line=1,title=stratalint (file-name-case)\
             ::file name is not snake_case",
            "1 error, 2 warnings, 1 info in 2 files; 12 files checked in 1.23s",
        ]
    );
}

#[test]
fn commands_stay_on_one_line() {
    register();
    let d = error(
        loc("src/a.rs", TEXT, "fn", 0),
        "line one\r\nline two\rthree",
    );
    let out = render(Format::Github, &report(&[d], Path::new("/nonexistent")));
    let first = out.lines().next().unwrap();
    assert!(
        first.ends_with("::line one%0D%0Aline two%0Dthree"),
        "{first}"
    );
    assert_eq!(out.lines().count(), 2);
}

#[test]
fn no_findings_is_the_summary_only() {
    let out = render(Format::Github, &report(&[], Path::new(".")));
    assert_eq!(out, "No findings; 12 files checked in 1.23s\n");
}

#[test]
fn paths_start_at_the_repository_root() {
    register();
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(tmp.path().join(".git")).unwrap();
    let project = tmp.path().join("backend");
    std::fs::create_dir_all(&project).unwrap();
    let d = error(loc("src/a.rs", TEXT, "fn", 0), "x");
    let out = render(Format::Github, &report(&[d], &project));
    assert!(
        out.starts_with("::error file=backend/src/a.rs,line=1,"),
        "{out}"
    );
}
