//! `.map_err(|_| AppError::Internal)` replaces an error by another and throws the cause away: the
//! log line says "internal error" and nothing else.

use stratalint_engine::syn::spanned::Spanned;
use stratalint_engine::syn::{Expr, Pat};
use stratalint_engine::{Cx, Hooks, MethodCall, Rule, RuleMeta};

use super::{call_name, callee_name, peel_to_call};
use crate::shared::request_path::{report_where, request_path, Reach};

static META: RuleMeta = crate::meta!("map-err-discards-source", Errors, "errors", Warning);

/// Calls whose error carries nothing beyond "it failed": parsing client input (a 4xx says all
/// there is to say), closed channels and semaphores, elapsed timeouts, cells already set.
const NO_CAUSE: &[&str] = &[
    "parse",
    "parse_str",
    "from_str",
    "from_str_radix",
    "try_from",
    "try_into",
    "from_utf8",
    "decode_utf8",
    "from_bytes",
    "from_u16",
    "from_u32",
    "from_u64",
    "from_i64",
    "to_str",
    "decode",
    "send",
    "try_send",
    "recv",
    "try_recv",
    "acquire",
    "acquire_owned",
    "try_acquire",
    "timeout",
    "set",
    "try_lock",
    "reserve",
];

pub struct MapErrDiscardsSource;

/// Is this closure `|_| …` or `|_e| …` with `_e` unused: its argument ignored?
fn ignores_argument(cx: &Cx<'_, '_>, e: &Expr) -> bool {
    let Expr::Closure(c) = e else { return false };
    if c.inputs.len() != 1 {
        return false;
    }
    let pat = match &c.inputs[0] {
        Pat::Type(t) => &*t.pat,
        other => other,
    };
    match pat {
        Pat::Wild(_) => true,
        // `|_err| { #[cfg(feature = "tracing")] tracing::debug!(error = ?_err); … }` uses it
        Pat::Ident(i) => {
            let name = i.ident.to_string();
            name.starts_with('_') && !mentions_word(cx.text_of(c.body.span()), &name)
        }
        _ => false,
    }
}

/// Does the closure return `Err(..)`?
fn returns_err(e: &Expr) -> bool {
    fn is_err(e: &Expr) -> bool {
        match e {
            Expr::Call(c) => matches!(&*c.func, Expr::Path(p) if p.path.is_ident("Err")),
            Expr::Block(b) => match b.block.stmts.last() {
                Some(stratalint_engine::syn::Stmt::Expr(x, None)) => is_err(x),
                _ => false,
            },
            Expr::Paren(p) => is_err(&p.expr),
            _ => false,
        }
    }
    matches!(e, Expr::Closure(c) if is_err(&c.body))
}

/// Does `text` contain `word` as a whole identifier?
fn mentions_word(text: &str, word: &str) -> bool {
    let is_ident = |c: char| c.is_alphanumeric() || c == '_';
    text.match_indices(word).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + word.len()..].chars().next();
        !before.is_some_and(is_ident) && !after.is_some_and(is_ident)
    })
}

/// Was the error logged earlier in the chain (`.inspect_err(|e| tracing::error!(…))`)?
fn logged_before(receiver: &Expr) -> bool {
    let mut e = receiver;
    loop {
        match e {
            Expr::MethodCall(m) => {
                if m.method == "inspect_err" {
                    return true;
                }
                e = &m.receiver;
            }
            Expr::Await(a) => e = &a.base,
            Expr::Try(t) => e = &t.expr,
            Expr::Paren(p) => e = &p.expr,
            _ => return false,
        }
    }
}

impl Rule for MapErrDiscardsSource {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn hooks(&self) -> Hooks {
        Hooks::METHOD_CALL
    }

    fn check_method_call(&self, cx: &mut Cx<'_, '_>, call: &MethodCall<'_>) {
        // the fallible call, and how its error is replaced
        let (source, shape) = match call.method.as_str() {
            "map_err" | "or_else" if call.arg_count() == 1 => {
                if !call.arg(0).is_some_and(|a| ignores_argument(cx, a)) {
                    return;
                }
                // `.or_else(|_| env::var("FALLBACK"))` is a fallback, not a replaced error
                if call.method == "or_else" && !call.arg(0).is_some_and(returns_err) {
                    return;
                }
                let param = match call.arg(0) {
                    Some(Expr::Closure(c)) => c
                        .inputs
                        .first()
                        .map(|p| cx.text_of(p.span()).to_string())
                        .unwrap_or_else(|| "_".into()),
                    _ => "_".into(),
                };
                (call.receiver(), format!("`.{}(|{param}| …)`", call.method))
            }
            "or" if call.arg_count() == 1 => {
                let is_err = matches!(call.arg(0), Some(Expr::Call(c))
                    if matches!(&*c.func, Expr::Path(p) if p.path.is_ident("Err")));
                if !is_err {
                    return;
                }
                (call.receiver(), "`.or(Err(…))`".to_string())
            }
            "ok_or" | "ok_or_else" => match call.receiver() {
                Expr::MethodCall(ok) if ok.method == "ok" && ok.args.is_empty() => {
                    (&*ok.receiver, format!("`.ok().{}(…)`", call.method))
                }
                _ => return,
            },
            _ => return,
        };
        let reach = request_path(cx);
        if reach == Reach::No || logged_before(source) {
            return;
        }
        let call_of_source = peel_to_call(source);
        if callee_name(call_of_source).is_some_and(|n| NO_CAUSE.contains(&n.as_str())) {
            return;
        }
        // `rx.await` on a oneshot receiver: its error only says the sender is gone
        let channel = cx
            .local_of(call_of_source)
            .and_then(|l| l.ty.as_ref())
            .is_some_and(|t| matches!(t.last(), "Receiver" | "Sender" | "UnboundedReceiver"));
        if channel {
            return;
        }
        let name = call_name(cx, source);
        let d = cx
            .diag(
                call.method_span(),
                format!("{shape} replaces the error of `{name}` and drops its cause"),
            )
            .with_label("source error discarded")
            .with_help(
                "keep the cause: a variant that holds it (`Database(#[from] sqlx::Error)` and `?`, or \
                 `.map_err(|e| AppError::Internal(e.into()))`), or log it before mapping \
                 (`.inspect_err(|e| tracing::error!(error = %e, \"…\"))`)",
            );
        report_where(cx, reach, d);
    }
}
