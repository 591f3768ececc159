//! The semantic model seen from a rule, end to end: a probe rule reports what `Cx` tells it at
//! marked places of a small project.

use stratalint_engine::{
    check, Call, CheckOptions, Cx, Family, Hooks, MethodCall, Rule, RuleMeta, Severity,
};

static META: RuleMeta = RuleMeta {
    id: "probe",
    family: Family::Async,
    severity: Severity::Info,
    doc: "---\nid: probe\n---\n",
    default_enabled: true,
};

/// Block nesting, kept in the rule's per-file scratch state.
#[derive(Default)]
struct Depth(usize);

struct Probe;

impl Rule for Probe {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn hooks(&self) -> Hooks {
        Hooks::CALL | Hooks::METHOD_CALL | Hooks::BLOCK
    }

    fn check_block(&self, cx: &mut Cx<'_, '_>, _: &syn::Block) {
        cx.scratch::<Depth>().0 += 1;
    }

    fn check_block_exit(&self, cx: &mut Cx<'_, '_>, _: &syn::Block) {
        cx.scratch::<Depth>().0 -= 1;
    }

    fn check_call(&self, cx: &mut Cx<'_, '_>, call: &Call<'_>) {
        if call
            .path
            .as_ref()
            .is_some_and(|p| p.last() == "on_executor")
        {
            let d = cx.diag(call.span(), "on the executor");
            cx.report_on_executor(d);
        }
        if call.path.as_ref().is_some_and(|p| p.last() == "probe") {
            let depth = cx.scratch::<Depth>().0;
            let msg = format!(
                "async={} escape={} depth={depth} diesel-sync={}",
                cx.in_async(),
                cx.in_escape_hatch(),
                cx.is_imported("diesel::prelude::RunQueryDsl")
            );
            let d = cx.diag(call.span(), msg);
            cx.report(d);
        }
    }

    fn check_method_call(&self, cx: &mut Cx<'_, '_>, call: &MethodCall<'_>) {
        if call.method == "probe_type" {
            let ty = cx.expr_type(call.receiver()).map(|q| q.into_string());
            let d = cx.diag(call.span(), format!("type={}", ty.unwrap_or_default()));
            cx.report(d);
        }
    }
}

fn run(files: &[(&str, &str)]) -> Vec<String> {
    let dir = tempfile::tempdir().expect("tempdir");
    for (path, text) in files {
        let p = dir.path().join(path);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(p, text).expect("write");
    }
    let opts = CheckOptions {
        paths: vec![dir.path().to_path_buf()],
        cwd: dir.path().to_path_buf(),
        jobs: Some(1),
        ..CheckOptions::default()
    };
    let result = check(&opts, vec![Box::new(Probe)]).expect("check");
    result
        .diagnostics
        .iter()
        .filter(|d| d.rule == "probe")
        .map(|d| format!("{}: {}", d.loc.start_pos.line, d.message))
        .collect()
}

const MANIFEST: &str = "[package]\nname = \"app\"\nversion = \"0.1.0\"\nedition = \"2021\"\n";

#[test]
fn configured_escape_hatches_and_scratch_state() {
    let found = run(&[
        ("Cargo.toml", MANIFEST),
        (
            "stratalint.toml",
            "[async]\nescape-hatches = [\"crate::db::run_blocking\"]\nescape-hatch-methods = [\"with_conn\"]\n",
        ),
        ("src/lib.rs", "pub mod db;\npub mod svc;\n"),
        (
            "src/db.rs",
            "pub fn run_blocking<T>(f: impl FnOnce() -> T) -> T { f() }\npub fn probe() {}\n",
        ),
        (
            "src/svc.rs",
            r#"use crate::db::{probe, run_blocking};
use diesel::prelude::*;

pub async fn handler(pool: Pool) {
    probe();
    run_blocking(|| probe());
    pool.with_conn(|c| { probe() });
    { { probe(); } }
}
"#,
        ),
    ]);
    assert_eq!(
        found,
        vec![
            "5: async=true escape=false depth=1 diesel-sync=true",
            "6: async=false escape=true depth=1 diesel-sync=true",
            "7: async=false escape=true depth=2 diesel-sync=true",
            "8: async=true escape=false depth=3 diesel-sync=true",
        ]
    );
}

#[test]
fn tuple_halves_of_channels_are_typed() {
    let found = run(&[
        ("Cargo.toml", MANIFEST),
        (
            "src/lib.rs",
            r#"use std::sync::mpsc;
pub fn f() {
    let (tx, rx) = mpsc::channel::<u8>();
    tx.probe_type();
    rx.probe_type();
    let (a, mut b) = tokio::sync::mpsc::unbounded_channel::<u8>();
    b.probe_type();
    let (x, y) = (1, 2);
    y.probe_type();
}
"#,
        ),
    ]);
    assert_eq!(
        found,
        vec![
            "4: type=std::sync::mpsc::Sender",
            "5: type=std::sync::mpsc::Receiver",
            "7: type=tokio::sync::mpsc::UnboundedReceiver",
            "9: type=",
        ]
    );
}

#[test]
fn closures_given_to_offloading_functions() {
    let found = run(&[
        ("Cargo.toml", MANIFEST),
        (
            "src/lib.rs",
            "pub mod blocking;\npub mod svc;\npub use blocking::run_blocking as offload;\n",
        ),
        (
            "src/blocking.rs",
            r#"pub fn on_executor() {}

/// Hands its closure to `spawn_blocking`.
pub async fn run_blocking<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    tokio::task::spawn_blocking(f).await.unwrap()
}

/// Through another function that offloads.
pub async fn wrapped<T: Send + 'static>(label: &str, f: impl FnOnce() -> T + Send + 'static) -> T {
    let _ = label;
    run_blocking(f).await
}

/// Calls its closure inside `spawn_blocking`.
pub async fn calls_inside<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    tokio::task::spawn_blocking(move || f()).await.unwrap()
}

/// Runs it right here.
pub fn inline<T>(f: impl FnOnce() -> T) -> T {
    f()
}

pub struct Pool;

impl Pool {
    pub fn run<T: Send + 'static>(&self, f: impl FnOnce() -> T + Send + 'static) {
        std::thread::spawn(f);
    }
}
"#,
        ),
        (
            "src/svc.rs",
            r#"use crate::blocking::{calls_inside, inline, on_executor, run_blocking, wrapped, Pool};

pub async fn handler(pool: Pool) {
    run_blocking(|| on_executor()).await;
    wrapped("x", || on_executor()).await;
    calls_inside(|| on_executor()).await;
    crate::offload(|| on_executor()).await;
    pool.run(move || on_executor());
    inline(|| on_executor());
    on_executor();
}
"#,
        ),
    ]);
    assert_eq!(found, vec!["9: on the executor", "10: on the executor"]);
}
