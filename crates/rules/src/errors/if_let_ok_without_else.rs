//! `if let Ok(user) = self.users.find(id).await { … }` with no `else`: on a database or I/O
//! failure nothing happens and nobody knows.

use stratalint_engine::syn::spanned::Spanned;
use stratalint_engine::syn::{Expr, ExprIf, Pat};
use stratalint_engine::{Cx, ExprKinds, Hooks, Rule, RuleMeta};

use super::{call_name, is_io_call, is_ok_pattern};
use crate::shared::request_path::{backend_code, report_where, Reach};

static META: RuleMeta = crate::meta!("if-let-ok-without-else", Errors, "errors", Warning);

pub struct IfLetOkWithoutElse;

/// The fallible value an `if` tests: `if let Ok(p) = v`, `if v.is_ok()`, `if let Some(p) = v.ok()`.
fn tested(cond: &Expr) -> Option<(&Expr, &'static str)> {
    match cond {
        Expr::Let(l) if is_ok_pattern(&l.pat) => Some((&l.expr, "`if let Ok(..)`")),
        Expr::Let(l) => match (&*l.pat, &*l.expr) {
            (Pat::TupleStruct(t), Expr::MethodCall(m))
                if t.path.is_ident("Some") && m.method == "ok" && m.args.is_empty() =>
            {
                Some((&m.receiver, "`if let Some(..) = ….ok()`"))
            }
            _ => None,
        },
        Expr::MethodCall(m) if m.method == "is_ok" && m.args.is_empty() => {
            Some((&m.receiver, "`if ….is_ok()`"))
        }
        Expr::Paren(p) => tested(&p.expr),
        _ => None,
    }
}

impl IfLetOkWithoutElse {
    fn check_if(cx: &mut Cx<'_, '_>, i: &ExprIf) {
        if i.else_branch.is_some() {
            return;
        }
        let Some((subject, shape)) = tested(&i.cond) else {
            return;
        };
        let reach = backend_code(cx);
        if reach == Reach::No || !is_io_call(cx, subject) {
            return;
        }
        let name = call_name(cx, subject);
        let span = i
            .if_token
            .span
            .join(i.cond.span())
            .unwrap_or(i.if_token.span);
        let d = cx
            .diag(
                span,
                format!("{shape} without `else` ignores the error of `{name}`"),
            )
            .with_label("the `Err` case is dropped")
            .with_help(
                "propagate the error with `?` and keep the happy path unindented, or add an `else`/`match` arm \
                 that logs the error with its context; a failing database or I/O call must not look like \
                 \"nothing to do\"",
            );
        report_where(cx, reach, d);
    }
}

impl Rule for IfLetOkWithoutElse {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn hooks(&self) -> Hooks {
        Hooks::EXPR
    }

    fn expr_kinds(&self) -> ExprKinds {
        ExprKinds::IF
    }

    fn check_expr(&self, cx: &mut Cx<'_, '_>, expr: &Expr) {
        if let Expr::If(i) = expr {
            Self::check_if(cx, i);
        }
    }
}
