//! The per-file pipeline: bytes in, diagnostics out, with every rule on.
//!
//! Each input is checked as a Rust file in the request path (`src/api/fuzz.rs`), as the crate
//! root (`src/lib.rs`, startup code), as a SQL migration and as an alembic migration, inside the
//! `fixtures/violations` project (read once, as context; nothing is read or written per input).
//! Then every output format renders the findings against the input text.
//!
//! A crash is: a panic anywhere (the engine turns a rule's panic into an `internal-error` finding,
//! which this target treats as a crash too; and libfuzzer-sys's panic hook aborts before the
//! engine can catch it anyway), a finding whose range is outside the input or whose line and
//! column are not those of its offsets, a stack overflow (the check runs on a thread with the
//! engine's worker stack, as in a real run) or a timeout. Build with `--no-cfg-fuzzing`: under
//! `cfg(fuzzing)` proc-macro2 has no span positions (see README.md).

#![no_main]

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use libfuzzer_sys::fuzz_target;
use stratalint_engine::config::{Config, Selector};
use stratalint_engine::pipeline::{SourceChecker, WORKER_STACK};
use stratalint_engine::source::SourceText;
use stratalint_engine::Diagnostic;
use stratalint_report::{Format, Report};

const PATHS: [&str; 4] = [
    "src/api/fuzz.rs",
    "src/lib.rs",
    "migrations/20260120_0900_fuzz.sql",
    "alembic/versions/20260120_0900_fuzz.py",
];

struct Worker {
    input: SyncSender<Vec<u8>>,
    done: Mutex<Receiver<()>>,
}

fn context_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/violations")
}

/// One long-lived thread with the engine's worker stack runs the checks.
fn worker() -> &'static Worker {
    static WORKER: OnceLock<Worker> = OnceLock::new();
    WORKER.get_or_init(|| {
        let root = context_root().canonicalize().expect("fixtures/violations");
        let mut config = Config::default_config();
        config.select = vec![Selector::All];
        let checker = SourceChecker::new(Some(&root), &PATHS, config, stratalint_rules::all())
            .expect("the default configuration is valid");
        let metas = stratalint_engine::pipeline::all_metas(&stratalint_rules::all());
        let (input, inputs) = sync_channel::<Vec<u8>>(0);
        let (done_tx, done) = sync_channel::<()>(0);
        std::thread::Builder::new()
            .name("stratalint-fuzz".into())
            .stack_size(WORKER_STACK)
            .spawn(move || {
                for bytes in inputs {
                    for path in PATHS {
                        let diags = checker.check(path, &bytes);
                        verify(path, &bytes, &diags);
                        render(&root, &metas, path, &bytes, &diags);
                    }
                    done_tx.send(()).unwrap();
                }
            })
            .unwrap();
        Worker {
            input,
            done: Mutex::new(done),
        }
    })
}

fn verify(path: &str, bytes: &[u8], diags: &[Diagnostic]) {
    let text = SourceText::decode(bytes.to_vec()).ok();
    for d in diags {
        assert_ne!(
            d.rule, "internal-error",
            "{path}: a rule panicked: {}",
            d.message
        );
        if &*d.loc.file == path {
            assert!(
                d.loc.start <= d.loc.end && d.loc.end <= bytes.len().max(1),
                "{path}: [{}] range {}..{} outside the {}-byte input: {}",
                d.rule,
                d.loc.start,
                d.loc.end,
                bytes.len(),
                d.message
            );
            assert!(
                d.loc.start_pos.line >= 1 && d.loc.start_pos.column >= 1,
                "{path}: [{}] position {:?}",
                d.rule,
                d.loc.start_pos
            );
            // line and column are those of the byte offsets (BOM and CRLF included)
            if let Some(src) = &text {
                for (offset, pos) in [(d.loc.start, d.loc.start_pos), (d.loc.end, d.loc.end_pos)] {
                    assert_eq!(
                        src.position(src.text_offset(offset)),
                        pos,
                        "{path}: [{}] position of offset {offset}: {}",
                        d.rule,
                        d.message
                    );
                }
            }
        }
    }
}

/// Every format, with the input as the file's text (when it is UTF-8: otherwise the formats find
/// no such file on disk, as for a file deleted since the check).
fn render(
    root: &Path,
    metas: &[&'static stratalint_engine::RuleMeta],
    path: &str,
    bytes: &[u8],
    diags: &[Diagnostic],
) {
    let mut sources: HashMap<String, Arc<str>> = HashMap::new();
    if let Ok(text) = std::str::from_utf8(bytes) {
        sources.insert(path.to_string(), Arc::from(text));
    }
    // the metadata of the rules that fired only: the others' SARIF descriptors (their whole
    // pages) do not depend on the input, and writing them for every input took 3/4 of the time
    let fired: Vec<&'static stratalint_engine::RuleMeta> = metas
        .iter()
        .filter(|m| diags.iter().any(|d| d.rule == m.id))
        .copied()
        .collect();
    let report = Report {
        diagnostics: diags,
        root,
        metas: &fired,
        files_checked: 1,
        elapsed: Duration::ZERO,
        color: false,
        version: "fuzz",
        sources: Some(&sources),
    };
    for format in Format::ALL {
        let mut out = Vec::new();
        stratalint_report::write(format, &report, &mut out).unwrap();
    }
}

fuzz_target!(|data: &[u8]| {
    // A stack overflow kills the process before libFuzzer can save the input (its signal handler
    // has no alternate stack on the worker thread): with this set, the input being checked is
    // kept in that file.
    static LAST: OnceLock<Option<PathBuf>> = OnceLock::new();
    if let Some(last) =
        LAST.get_or_init(|| std::env::var_os("STRATALINT_FUZZ_LAST").map(PathBuf::from))
    {
        std::fs::write(last, data).unwrap();
    }
    let w = worker();
    let done = w.done.lock().unwrap();
    w.input.send(data.to_vec()).unwrap();
    done.recv().unwrap();
});
