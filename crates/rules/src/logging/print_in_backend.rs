//! `println!`, `eprintln!`, `print!`, `eprint!` and `dbg!` in backend code: output that bypasses
//! the logging pipeline (no level, no fields, no request span, a lock on stdout per line).

use stratalint_engine::{Cx, Hooks, MacroCall, Rule, RuleMeta};

use crate::shared::request_path::{backend_code, is_startup, report_where, Reach};

static META: RuleMeta = crate::meta!("print-in-backend", Logging, "logging", Warning);

pub struct PrintInBackend;

/// A command-line tool of the project (`src/bin/…`): printing is its interface.
fn is_cli_file(rel: &str) -> bool {
    rel.starts_with("src/bin/") || rel.contains("/src/bin/")
}

impl Rule for PrintInBackend {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn hooks(&self) -> Hooks {
        Hooks::MACRO
    }

    fn check_macro(&self, cx: &mut Cx<'_, '_>, mac: &MacroCall<'_>) {
        let name = mac.name();
        let (message, help) = match name.as_str() {
            "println" | "print" | "eprintln" | "eprint" => (
                format!("`{name}!` in backend code: the output bypasses the logging pipeline"),
                "log with `tracing` (`tracing::info!(user_id = %id, \"user logged in\")`): a level, \
                 structured fields and the request's span, filtered and shipped like every other event",
            ),
            "dbg" => (
                "`dbg!` left in backend code".to_string(),
                "remove it, or log what is needed with `tracing::debug!(?value, \"…\")`",
            ),
            _ => return,
        };
        if mac
            .path
            .as_ref()
            .is_some_and(|p| !p.is(&format!("std::{name}")))
        {
            return;
        }
        // CLIs print; startup may print before the subscriber is installed (`dbg!` never belongs)
        if is_cli_file(&cx.file().rel) || (name != "dbg" && is_startup(cx)) {
            return;
        }
        let reach = backend_code(cx);
        if reach == Reach::No {
            return;
        }
        let d = cx
            .diag(mac.span(), message)
            .with_label(if name == "dbg" {
                "debug output"
            } else {
                "printed, not logged"
            })
            .with_help(help);
        report_where(cx, reach, d);
    }
}
