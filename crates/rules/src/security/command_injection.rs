//! `sh -c <string>` parses the string as shell: any `;`, `$(..)` or backtick in it runs a command
//! (CWE-78).

use stratalint_engine::syn::spanned::Spanned;
use stratalint_engine::syn::Expr;
use stratalint_engine::{Call, Cx, Hooks, MethodCall, QualifiedName, Rule, RuleMeta, StrOrigin};

use super::common::{chain, is_api, lit_str, peel};

static META: RuleMeta = crate::meta!("command-injection", Security, "security", Error);

const SHELLS: &[&str] = &[
    "sh",
    "bash",
    "zsh",
    "dash",
    "ksh",
    "fish",
    "cmd",
    "cmd.exe",
    "powershell",
    "powershell.exe",
    "pwsh",
];

/// The flags after which a shell's next argument is a script.
const SCRIPT_FLAGS: &[&str] = &["-c", "/c", "/C", "-Command", "-command", "/k", "/K"];

const PROCESS_CRATES: &[&str] = &["std", "tokio", "async_process", "async_std", "smol"];

pub struct CommandInjection;

fn is_command_new(cx: &Cx<'_, '_>, e: &Expr) -> bool {
    cx.resolve_expr(e).is_some_and(|q| is_command_new_path(&q))
}

/// `std::process::Command::new`, `tokio::process::Command::new`, …
fn is_command_new_path(q: &QualifiedName) -> bool {
    is_api(q, PROCESS_CRATES, "Command::new")
}

/// The shell a chain starts with: `Command::new("sh")` → `sh`.
fn shell_of(cx: &Cx<'_, '_>, root: &Expr) -> Option<String> {
    let Expr::Call(c) = peel(root) else {
        return None;
    };
    if !is_command_new(cx, &c.func) {
        return None;
    }
    let (program, _) = lit_str(cx, c.args.first()?)?;
    let name = program
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or(&program)
        .to_string();
    SHELLS.contains(&name.as_str()).then_some(name)
}

fn is_script_flag(cx: &Cx<'_, '_>, e: &Expr) -> bool {
    lit_str(cx, e).is_some_and(|(s, _)| SCRIPT_FLAGS.contains(&s.as_str()))
}

/// The elements of `["-c", &script]` and `&[..]`.
fn elements(e: &Expr) -> Vec<&Expr> {
    match peel(e) {
        Expr::Array(a) => a.elems.iter().collect(),
        _ => Vec::new(),
    }
}

impl CommandInjection {
    fn report_script(cx: &mut Cx<'_, '_>, shell: &str, script: &Expr) {
        let origin = cx.str_origin(script);
        if origin == StrOrigin::Static {
            return;
        }
        let built = if origin.is_built() {
            "built from non-constant parts"
        } else {
            "that is not a constant"
        };
        let d = cx
            .diag(
                script.span(),
                format!("`{shell} -c` runs a script {built}: shell syntax in any part of it runs commands"),
            )
            .with_label("parsed by the shell")
            .with_help(
                "run the program directly, without a shell: `Command::new(\"convert\").arg(\"--\").arg(&path)` \
                 passes each `.arg` as one argument that is never parsed",
            );
        cx.report(d);
    }
}

impl Rule for CommandInjection {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn hooks(&self) -> Hooks {
        Hooks::CALL | Hooks::METHOD_CALL
    }

    /// `Command::new(format!(..))` in a request handler: the client picks the program.
    fn check_call(&self, cx: &mut Cx<'_, '_>, call: &Call<'_>) {
        if cx.in_test() || !call.path.as_ref().is_some_and(is_command_new_path) {
            return;
        }
        let Some(program) = call.arg(0) else { return };
        let from_request = cx.local_of(program).is_some_and(|v| v.is_param);
        if !cx.str_origin(program).is_built() && !from_request {
            return;
        }
        let d = cx
            .diag(program.span(), "program to run chosen at runtime in a request handler")
            .with_label("not a fixed program")
            .with_help(
                "run a fixed program (`Command::new(\"convert\")`) and pass request data only as separate \
                 `.arg(..)`s; map a client's choice to a program through a fixed list",
            );
        cx.report_in_handler(d);
    }

    fn check_method_call(&self, cx: &mut Cx<'_, '_>, call: &MethodCall<'_>) {
        if !matches!(call.method.as_str(), "arg" | "args") || cx.in_test() {
            return;
        }
        let c = chain(cx, call.receiver());
        let Some(shell) = shell_of(cx, c.root) else {
            return;
        };
        let Some(arg) = call.arg(0) else { return };
        if call.method == "arg" {
            // the argument right after `-c`
            let after_flag = c.calls.first().is_some_and(|prev| {
                (prev.method == "arg" && prev.args.first().is_some_and(|a| is_script_flag(cx, a)))
                    || (prev.method == "args"
                        && prev
                            .args
                            .first()
                            .and_then(|a| elements(a).last().copied())
                            .is_some_and(|last| is_script_flag(cx, last)))
            });
            if after_flag {
                Self::report_script(cx, &shell, arg);
            }
        } else {
            let elems = elements(arg);
            if let Some(i) = elems.iter().position(|e| is_script_flag(cx, e)) {
                if let Some(script) = elems.get(i + 1) {
                    Self::report_script(cx, &shell, script);
                }
            }
        }
    }
}
