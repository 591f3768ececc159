//! An `Err` arm that does nothing swallows the error: `Err(_) => {}`, `if let Err(_) = x {}`.

use stratalint_engine::proc_macro2::Span;
use stratalint_engine::syn::spanned::Spanned;
use stratalint_engine::syn::{Block, Expr, ExprIf, ExprMatch, Pat, Stmt};
use stratalint_engine::{Cx, ExprKinds, Hooks, Rule, RuleMeta};

use super::{call_name, error_is_not_a_failure, is_err_pattern, is_io_call, is_ok_pattern};
use crate::shared::request_path::{backend_code, report_where, Reach};

static META: RuleMeta = crate::meta!("empty-error-arm", Errors, "errors", Error);

pub struct EmptyErrorArm;

/// What a do-nothing arm body does, for the message; `None` when it does something. `Some("…")`
/// values that only replace the error by a value (`None`, a default) are told apart by
/// [`only_replaces`].
fn does_nothing(e: &Expr) -> Option<&'static str> {
    match e {
        Expr::Block(b) if b.label.is_none() => block_does_nothing(&b.block),
        Expr::Tuple(t) if t.elems.is_empty() => Some("does nothing"),
        Expr::Continue(_) => Some("only continues"),
        Expr::Path(p) if p.path.is_ident("None") => Some("turns it into `None`"),
        Expr::Call(c) if c.args.is_empty() => match &*c.func {
            Expr::Path(p) if p.path.segments.last().is_some_and(|s| s.ident == "default") => {
                Some("replaces it with a default value")
            }
            _ => None,
        },
        Expr::Paren(p) => does_nothing(&p.expr),
        _ => None,
    }
}

/// `Err(_) => None` is `.ok()`: swallowing only when the call did I/O.
fn only_replaces(what: &str) -> bool {
    what.starts_with("turns it into") || what.starts_with("replaces it")
}

fn block_does_nothing(b: &Block) -> Option<&'static str> {
    match b.stmts.as_slice() {
        [] => Some("does nothing"),
        [Stmt::Expr(e, _)] => does_nothing(e),
        _ => None,
    }
}

/// Does the pattern match every error: `Err(_)`, `Err(e)`, `Err(..)`, or an or-pattern with one?
/// `Err(Error::PoolClosed)` names one expected error, like a guard.
fn matches_any_err(p: &Pat) -> bool {
    match p {
        Pat::Or(o) => o.cases.iter().any(matches_any_err),
        Pat::TupleStruct(t) if is_err_pattern(p) => t.elems.iter().all(|e| {
            matches!(e, Pat::Wild(_) | Pat::Rest(_))
                || matches!(e, Pat::Ident(i) if i.subpat.is_none())
        }),
        _ => false,
    }
}

impl EmptyErrorArm {
    fn report(cx: &mut Cx<'_, '_>, at: Span, what: &str, subject: &Expr, arm: &str) {
        let reach = backend_code(cx);
        if reach == Reach::No || error_is_not_a_failure(cx, subject) {
            return;
        }
        if only_replaces(what) && !is_io_call(cx, subject) {
            return;
        }
        let name = call_name(cx, subject);
        let d = cx
            .diag(
                at,
                format!("{arm} {what}: the error of `{name}` is swallowed"),
            )
            .with_label("error swallowed here")
            .with_help(
                "log the error with its context (`Err(e) => tracing::warn!(error = %e, \"…\")`), propagate it \
                 with `?`, or map it to a variant of the application's error type",
            );
        report_where(cx, reach, d);
    }

    fn check_match(cx: &mut Cx<'_, '_>, m: &ExprMatch) {
        let has_ok_arm = m.arms.iter().any(|a| is_ok_pattern(&a.pat));
        for arm in &m.arms {
            // a guard (`Err(e) if e.not_found() => {}`, a `Pat::Guard`) picks a specific kind of
            // error to ignore: neither pattern test below sees through it
            let catch_all = has_ok_arm && matches!(arm.pat, Pat::Wild(_));
            if !matches_any_err(&arm.pat) && !catch_all {
                continue;
            }
            if let Some(what) = does_nothing(&arm.body) {
                let label = if catch_all {
                    "the catch-all arm `_`"
                } else if matches!(arm.pat, Pat::Or(_)) {
                    "the arm matching `Err`"
                } else {
                    "the `Err` arm"
                };
                let span = arm
                    .pat
                    .span()
                    .join(arm.body.span())
                    .unwrap_or(arm.pat.span());
                Self::report(cx, span, what, &m.expr, label);
            }
        }
    }

    fn check_if(cx: &mut Cx<'_, '_>, i: &ExprIf) {
        let Expr::Let(l) = &*i.cond else { return };
        // `if let Err(_) = x {}`
        if matches_any_err(&l.pat) && block_does_nothing(&i.then_branch).is_some() {
            let span = i
                .if_token
                .span
                .join(i.then_branch.span())
                .unwrap_or(i.if_token.span);
            let what = block_does_nothing(&i.then_branch).unwrap_or("does nothing");
            Self::report(cx, span, what, &l.expr, "`if let Err(..)`");
        }
        // `if let Ok(v) = x { … } else {}`
        if is_ok_pattern(&l.pat) {
            if let Some((else_token, e)) = &i.else_branch {
                if let Some(what) = does_nothing(e) {
                    let span = else_token.span.join(e.span()).unwrap_or(else_token.span);
                    Self::report(cx, span, what, &l.expr, "the `else` of `if let Ok(..)`");
                }
            }
        }
    }
}

impl Rule for EmptyErrorArm {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn hooks(&self) -> Hooks {
        Hooks::EXPR
    }

    fn expr_kinds(&self) -> ExprKinds {
        ExprKinds::MATCH | ExprKinds::IF
    }

    fn check_expr(&self, cx: &mut Cx<'_, '_>, expr: &Expr) {
        match expr {
            Expr::Match(m) => Self::check_match(cx, m),
            Expr::If(i) => Self::check_if(cx, i),
            _ => {}
        }
    }
}
