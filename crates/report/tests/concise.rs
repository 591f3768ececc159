mod common;

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use common::{error, loc, register, render, report, FILE_NAME};
use stratalint_engine::{Diagnostic, Loc, Severity};
use stratalint_report::{summary, Format};

const TEXT: &str = "\u{feff}fn é() {\n    std::thread::sleep(d);\n}\n";

fn findings() -> Vec<Diagnostic> {
    let mut info = error(loc("src/a.rs", TEXT, "fn", 0), "an info\nover two lines");
    info.severity = Severity::Info;
    let file_level = Diagnostic::new(
        FILE_NAME.id,
        FILE_NAME.family,
        FILE_NAME.severity,
        Loc::file_start(Arc::from("src/B.rs")),
        "file name is not snake_case",
    );
    vec![
        info,
        error(
            loc("src/a.rs", TEXT, "std::thread::sleep(d)", 0),
            "blocking sleep",
        ),
        file_level,
    ]
}

#[test]
fn concise_prints_one_line_per_finding_then_the_summary() {
    register();
    let diags = findings();
    let out = render(Format::Concise, &report(&diags, Path::new("/nonexistent")));
    assert_eq!(
        out,
        "src/a.rs:1:1: info[blocking-call-in-async] an info over two lines\n\
         src/a.rs:2:5: error[blocking-call-in-async] blocking sleep\n\
         src/B.rs:1:1: warning[file-name-case] file name is not snake_case\n\
         1 error, 1 warning, 1 info in 2 files; 12 files checked in 1.23s\n"
    );
}

#[test]
fn concise_colours_only_the_severity() {
    register();
    let diags = findings();
    let mut report = report(&diags, Path::new("/nonexistent"));
    report.color = true;
    let out = render(Format::Concise, &report);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines[0],
        "src/a.rs:1:1: \x1b[34minfo\x1b[0m[blocking-call-in-async] an info over two lines"
    );
    assert_eq!(
        lines[1],
        "src/a.rs:2:5: \x1b[31merror\x1b[0m[blocking-call-in-async] blocking sleep"
    );
    assert_eq!(
        lines[2],
        "src/B.rs:1:1: \x1b[33mwarning\x1b[0m[file-name-case] file name is not snake_case"
    );
}

#[test]
fn summary_uses_singulars_and_plurals() {
    let one = |severity| {
        let mut d = error(loc("src/a.rs", TEXT, "fn", 0), "m");
        d.severity = severity;
        d
    };
    let cases: Vec<(Vec<Diagnostic>, usize, &str)> = vec![
        (vec![], 0, "No findings; 0 files checked in 1.23s"),
        (vec![], 1, "No findings; 1 file checked in 1.23s"),
        (
            vec![one(Severity::Error)],
            1,
            "1 error, 0 warnings in 1 file; 1 file checked in 1.23s",
        ),
        (
            vec![one(Severity::Warning), one(Severity::Warning)],
            2,
            "0 errors, 2 warnings in 1 file; 2 files checked in 1.23s",
        ),
        (
            vec![one(Severity::Info)],
            3,
            "0 errors, 0 warnings, 1 info in 1 file; 3 files checked in 1.23s",
        ),
        (
            vec![
                one(Severity::Error),
                one(Severity::Error),
                one(Severity::Info),
                one(Severity::Info),
            ],
            3,
            "2 errors, 0 warnings, 2 infos in 1 file; 3 files checked in 1.23s",
        ),
    ];
    for (diags, files_checked, expected) in cases {
        let mut report = report(&diags, Path::new("."));
        report.files_checked = files_checked;
        assert_eq!(summary(&report), expected);
    }
    let mut report = report(&[], Path::new("."));
    report.elapsed = Duration::from_micros(4_999);
    assert_eq!(summary(&report), "No findings; 12 files checked in 0.00s");
}

#[test]
fn format_names_round_trip() {
    for format in Format::ALL {
        assert_eq!(Format::parse(format.as_str()), Some(format));
    }
    assert_eq!(Format::parse("human"), Some(Format::Human));
    assert_eq!(Format::parse("concise"), Some(Format::Concise));
    assert_eq!(Format::parse("json"), Some(Format::Json));
    assert_eq!(Format::parse("sarif"), Some(Format::Sarif));
    assert_eq!(Format::parse("json-lines"), Some(Format::JsonLines));
    assert_eq!(Format::parse("rustc-json"), Some(Format::RustcJson));
    assert_eq!(Format::parse("JSON"), None);
    assert_eq!(Format::parse("xml"), None);
}
