//! `stratalint init` and `stratalint graph` end to end.

mod common;

use std::path::Path;
use std::process::{Command, Output};

fn stratalint(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_stratalint"))
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("run stratalint")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// A copy of a layout fixture in a temporary directory, to write into (`graph` writes the cache
/// unless given `--no-cache`, and the fixtures must stay clean).
fn copy_of(layout: &str) -> tempfile::TempDir {
    common::copy_fixture(&format!("layouts/{layout}"))
}

#[test]
fn init_writes_a_config_that_check_uses() {
    let p = copy_of("mvc-singular");
    let o = stratalint(&["init"], p.path());
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert!(text(&o.stderr).contains("wrote"), "{}", text(&o.stderr));
    let written = std::fs::read_to_string(p.path().join("stratalint.toml")).expect("written");
    assert!(
        written.contains("paths = [\"src/controller/**\"]"),
        "{written}"
    );

    // it is discovered by `check`: the controller is now in the api layer
    let o = stratalint(
        &["check", "--select", "layer-dependency", "-f", "concise"],
        p.path(),
    );
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}{}",
        text(&o.stdout),
        text(&o.stderr)
    );
    assert!(
        text(&o.stdout).contains("src/controller/item_controller.rs"),
        "{}",
        text(&o.stdout)
    );

    // a second init does not overwrite it
    let o = stratalint(&["init"], p.path());
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("--force"), "{}", text(&o.stderr));
    let o = stratalint(&["init", "--force"], p.path());
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
}

#[test]
fn init_stdout_writes_nothing() {
    let p = copy_of("http-sql");
    let o = stratalint(&["init", "--stdout", "."], p.path());
    assert_eq!(o.status.code(), Some(0));
    assert!(text(&o.stdout).contains("[layers.api]"));
    assert!(!p.path().join("stratalint.toml").exists());
}

#[test]
fn graph_of_the_clean_fixture() {
    let clean = common::copy_fixture("clean");
    let o = stratalint(&["graph"], clean.path());
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    insta::assert_snapshot!("graph-clean-mermaid", text(&o.stdout));
    let o = stratalint(&["graph", "--format", "dot"], clean.path());
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    insta::assert_snapshot!("graph-clean-dot", text(&o.stdout));
}

#[test]
fn graph_marks_forbidden_edges_and_cycles() {
    let flat = copy_of("flat");
    let o = stratalint(&["graph"], flat.path());
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let out = text(&o.stdout);
    assert!(out.contains("%% forbidden: api → repositories"), "{out}");
    assert!(
        out.contains("%% forbidden: repositories → services"),
        "{out}"
    );
    assert!(out.contains("linkStyle"), "{out}");
    insta::assert_snapshot!("graph-flat-mermaid", out);

    // the same in DOT: forbidden edges red and thick, the rest of a cycle orange
    let o = stratalint(&["graph", "--format", "dot"], flat.path());
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let out = text(&o.stdout);
    assert!(out.contains("// forbidden: api → repositories"), "{out}");
    assert!(
        out.contains("color=\"#d1242f\", fontcolor=\"#d1242f\", penwidth=2.5"),
        "{out}"
    );
    assert!(
        out.contains("color=\"#bc4c00\", fontcolor=\"#bc4c00\", penwidth=1.8"),
        "{out}"
    );
    insta::assert_snapshot!("graph-flat-dot", out);
}

#[test]
fn module_graph_of_one_layer() {
    let p = copy_of("feature-slices");
    let o = stratalint(&["init"], p.path());
    assert_eq!(o.status.code(), Some(0));
    let o = stratalint(&["graph", "--modules", "services"], p.path());
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let out = text(&o.stdout);
    assert!(out.contains("app::users::service"), "{out}");
    assert!(out.contains("in a cycle"), "{out}");
    insta::assert_snapshot!("graph-feature-slices-services-modules", out);
    let o = stratalint(&["graph", "--modules", "nope"], p.path());
    assert_eq!(o.status.code(), Some(2));
    assert!(
        text(&o.stderr).contains("unknown layer `nope`"),
        "{}",
        text(&o.stderr)
    );
}

/// `init` picks the migration naming preset from the dependencies and folders (sea-orm's
/// `migration/` crate, diesel's `migrations/<version>/up.sql`), and checking with the written
/// config then accepts the tool's own names.
#[test]
fn init_picks_the_migration_preset() {
    for (layout, preset) in [("sea-orm", "sea-orm"), ("diesel", "diesel")] {
        let p = copy_of(layout);
        let o = stratalint(&["init"], p.path());
        assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
        let config = std::fs::read_to_string(p.path().join("stratalint.toml")).unwrap();
        assert!(
            config.contains(&format!(
                "[rules.migration-file-name]\npreset = \"{preset}\""
            )),
            "{layout}: {config}"
        );
        let o = stratalint(
            &["check", "--select", "migrations", "--format", "concise"],
            p.path(),
        );
        assert!(
            !text(&o.stdout).contains("migration-file-name"),
            "{layout}: the tool's own names are accepted:\n{}",
            text(&o.stdout)
        );
    }
    // the seed layout keeps the default (no preset written)
    let p = copy_of("seed");
    let o = stratalint(&["init", "--stdout"], p.path());
    assert!(!text(&o.stdout).contains("[rules.migration-file-name]"));
}

#[test]
fn graph_no_cache_writes_no_cache_and_draws_the_same_graph() {
    let p = copy_of("seed");
    let uncached = stratalint(&["graph", "--no-cache"], p.path());
    assert_eq!(
        uncached.status.code(),
        Some(0),
        "{}",
        text(&uncached.stderr)
    );
    assert!(!p.path().join(".stratalint_cache").exists());
    let cached = stratalint(&["graph"], p.path());
    assert_eq!(cached.status.code(), Some(0), "{}", text(&cached.stderr));
    assert!(p.path().join(".stratalint_cache").exists());
    assert_eq!(text(&uncached.stdout), text(&cached.stdout));
    assert!(
        text(&cached.stdout).contains("flowchart"),
        "{}",
        text(&cached.stdout)
    );
}
