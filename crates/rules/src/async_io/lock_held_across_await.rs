//! A std (or parking_lot) lock guard alive at an `.await`: the lock stays held while the task is
//! suspended, other tasks on the worker block on it, and the task may resume on another thread.

use stratalint_engine::proc_macro2::Span;
use stratalint_engine::semantic::scope::Frame;
use stratalint_engine::syn::visit::Visit;
use stratalint_engine::syn::{self, Expr, Pat};
use stratalint_engine::{Cx, ExprKinds, Hooks, Loc, Rule, RuleMeta};

use crate::shared::blocking_calls::value_type;

static META: RuleMeta = crate::meta!("lock-held-across-await", Async, "async", Error);

/// Locks whose guard blocks other threads and must not live across an `.await`.
const SYNC_LOCKS: &[&str] = &[
    "std::sync::Mutex",
    "std::sync::RwLock",
    "parking_lot::Mutex",
    "parking_lot::RwLock",
    "parking_lot::FairMutex",
    "parking_lot::ReentrantMutex",
    "spin::Mutex",
    "spin::RwLock",
];

/// Crates and modules of async-aware locks (`lock().await`): their guards may be held across
/// `.await`.
const ASYNC_LOCKS: &[&str] = &[
    "tokio::sync",
    "futures::lock",
    "futures_util::lock",
    "async_std::sync",
    "async_lock",
];

/// Named guards alive in the enclosing blocks of async code, in walk order.
#[derive(Default)]
struct Held {
    depth: u32,
    guards: Vec<Guard>,
}

struct Guard {
    name: String,
    /// The block it lives in.
    depth: u32,
    /// The function, closure or `async` block it belongs to: only its own awaits count.
    body: usize,
    loc: Loc,
    lock: String,
    reported: bool,
}

pub struct LockHeldAcrossAwait;

/// How many functions, closures and `async` blocks enclose the walk: an `.await` belongs to the
/// innermost one.
fn body_depth(cx: &Cx<'_, '_>) -> usize {
    cx.frames()
        .iter()
        .filter(|f| matches!(f, Frame::Fn(_) | Frame::Closure { .. } | Frame::AsyncBlock))
        .count()
}

/// `m.lock().unwrap()`, `m.write().expect(..)`, `m.lock()?`, or `m.lock()` on a parking_lot lock:
/// a guard of a sync lock. Returns the `.lock()` call's span and the lock type.
fn guard_of(cx: &Cx<'_, '_>, e: &Expr) -> Option<(Span, String)> {
    let (inner, checked) = match e {
        Expr::MethodCall(m)
            if matches!(
                m.method.to_string().as_str(),
                "unwrap" | "expect" | "unwrap_or_else"
            ) =>
        {
            (&*m.receiver, true)
        }
        Expr::Try(t) => (&*t.expr, true),
        other => (other, false),
    };
    let Expr::MethodCall(lock) = inner else {
        return None;
    };
    let method = lock.method.to_string();
    if !matches!(method.as_str(), "lock" | "read" | "write") || !lock.args.is_empty() {
        return None;
    }
    let span = lock
        .method
        .span()
        .join(lock.paren_token.span.close())
        .unwrap_or_else(|| lock.method.span());
    match value_type(cx, &lock.receiver) {
        Some(t) if SYNC_LOCKS.contains(&t.as_str()) => Some((span, t)),
        Some(t) if ASYNC_LOCKS.iter().any(|p| t.starts_with(p)) => None,
        // `LockResult` unwrapped: std's API (async locks return a future, awaited)
        _ if checked => Some((
            span,
            if method == "lock" {
                "std::sync::Mutex"
            } else {
                "std::sync::RwLock"
            }
            .to_string(),
        )),
        _ => None,
    }
}

/// A guard created as a temporary somewhere in a scrutinee's chain (`m.lock().unwrap().get(k)`).
fn temporary_guard(cx: &Cx<'_, '_>, e: &Expr) -> Option<(Span, String)> {
    let mut e = e;
    for _ in 0..32 {
        if let Some(g) = guard_of(cx, e) {
            return Some(g);
        }
        e = match e {
            Expr::MethodCall(m) => &m.receiver,
            Expr::Field(f) => &f.base,
            Expr::Try(t) => &t.expr,
            Expr::Paren(p) => &p.expr,
            Expr::Reference(r) => &r.expr,
            Expr::Unary(u) => &u.expr,
            Expr::Index(i) => &i.expr,
            _ => return None,
        };
    }
    None
}

/// The span of `.await` in an await expression.
fn await_span(a: &syn::ExprAwait) -> Span {
    a.dot_token
        .span
        .join(a.await_token.span)
        .unwrap_or(a.await_token.span)
}

/// The first `.await` of this future's own code in a subtree (not in closures, `async` blocks or
/// nested items, which are other futures or functions).
#[derive(Default)]
struct FirstAwait(Option<Span>);

impl<'ast> Visit<'ast> for FirstAwait {
    fn visit_expr_await(&mut self, a: &'ast syn::ExprAwait) {
        if self.0.is_none() {
            syn::visit::visit_expr(self, &a.base);
        }
        if self.0.is_none() {
            self.0 = Some(await_span(a));
        }
    }
    fn visit_expr_closure(&mut self, _: &'ast syn::ExprClosure) {}
    fn visit_expr_async(&mut self, _: &'ast syn::ExprAsync) {}
    fn visit_item(&mut self, _: &'ast syn::Item) {}
    fn visit_macro(&mut self, _: &'ast syn::Macro) {}
}

impl LockHeldAcrossAwait {
    fn applies(cx: &Cx<'_, '_>) -> bool {
        cx.in_async() && !cx.in_test()
    }

    /// `drop(guard)` (or `std::mem::drop(guard)`) ends a guard.
    fn check_drop(cx: &mut Cx<'_, '_>, c: &syn::ExprCall) {
        let Expr::Path(f) = &*c.func else { return };
        if f.path.segments.last().is_none_or(|s| s.ident != "drop")
            || cx
                .resolve_expr(&c.func)
                .is_none_or(|q| !q.is("std::mem::drop"))
        {
            return;
        }
        if let Some(Expr::Path(p)) = c.args.first() {
            if let Some(name) = p.path.get_ident().map(|i| i.to_string()) {
                let held = cx.scratch::<Held>();
                if let Some(i) = held.guards.iter().rposition(|g| g.name == name) {
                    held.guards.remove(i);
                }
            }
        }
    }

    /// A guard temporary in a `match`/`if let`/`while let` scrutinee lives through the arms or body.
    fn check_scrutinee<'e>(
        cx: &mut Cx<'_, '_>,
        scrutinee: &Expr,
        construct: &str,
        bodies: impl Iterator<Item = &'e Expr>,
        blocks: &[&syn::Block],
    ) {
        let Some((lock_span, lock)) = temporary_guard(cx, scrutinee) else {
            return;
        };
        let mut first = FirstAwait::default();
        for b in bodies {
            first.visit_expr(b);
        }
        for b in blocks {
            first.visit_block(b);
        }
        let Some(at) = first.0 else { return };
        let await_loc = cx.loc(at);
        let d = cx
            .diag(
                lock_span,
                format!(
                    "a `{lock}` guard created in this `{construct}` scrutinee lives until the end of the `{construct}`, across an `.await`"
                ),
            )
            .with_label("the guard is a temporary of the scrutinee")
            .with_secondary(await_loc, "still locked while this is awaited")
            .with_help(
                "copy what you need out in a `let` first (`let v = m.lock().unwrap().get(&k).cloned();` drops the \
                 guard at its `;`), then use `v`; or use `tokio::sync::Mutex`",
            );
        cx.report(d);
    }
}

impl Rule for LockHeldAcrossAwait {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn hooks(&self) -> Hooks {
        Hooks::BLOCK | Hooks::LOCAL | Hooks::EXPR
    }

    fn expr_kinds(&self) -> ExprKinds {
        ExprKinds::AWAIT | ExprKinds::MATCH | ExprKinds::IF | ExprKinds::WHILE | ExprKinds::CALL
    }

    fn check_block(&self, cx: &mut Cx<'_, '_>, _: &syn::Block) {
        if Self::applies(cx) {
            cx.scratch::<Held>().depth += 1;
        }
    }

    fn check_block_exit(&self, cx: &mut Cx<'_, '_>, _: &syn::Block) {
        if Self::applies(cx) {
            let held = cx.scratch::<Held>();
            let depth = held.depth;
            held.guards.retain(|g| g.depth < depth);
            held.depth = depth.saturating_sub(1);
        }
    }

    fn check_local(&self, cx: &mut Cx<'_, '_>, local: &syn::Local) {
        if !Self::applies(cx) {
            return;
        }
        let pat = match &local.pat {
            Pat::Type(t) => &*t.pat,
            p => p,
        };
        let Pat::Ident(ident) = pat else { return };
        let Some(init) = local.init.as_ref().filter(|i| i.diverge.is_none()) else {
            return;
        };
        let Some((_, lock)) = guard_of(cx, &init.expr) else {
            return;
        };
        let guard = Guard {
            name: ident.ident.to_string(),
            depth: cx.scratch::<Held>().depth,
            body: body_depth(cx),
            loc: cx.loc(ident.ident.span()),
            lock,
            reported: false,
        };
        cx.scratch::<Held>().guards.push(guard);
    }

    fn check_expr(&self, cx: &mut Cx<'_, '_>, e: &Expr) {
        if !matches!(
            e,
            Expr::Await(_) | Expr::Match(_) | Expr::If(_) | Expr::While(_) | Expr::Call(_)
        ) || !Self::applies(cx)
        {
            return;
        }
        match e {
            Expr::Call(c) => Self::check_drop(cx, c),
            Expr::Await(a) => {
                let body = body_depth(cx);
                let held = cx.scratch::<Held>();
                let mut found = Vec::new();
                for g in held
                    .guards
                    .iter_mut()
                    .filter(|g| g.body == body && !g.reported)
                {
                    g.reported = true;
                    found.push((g.loc.clone(), g.name.clone(), g.lock.clone()));
                }
                if found.is_empty() {
                    // most awaits hold no guard: no location to compute
                    return;
                }
                let at = cx.loc(await_span(a));
                for (loc, name, lock) in found {
                    let d = cx
                        .diag_at(loc, format!("guard `{name}` of a `{lock}` is held across an `.await`"))
                        .with_label("locked here, held to the end of its block")
                        .with_secondary(at.clone(), "still held while this is awaited")
                        .with_help(format!(
                            "end the guard before awaiting: do the locked work in an inner block `{{ … }}` or call \
                             `drop({name})` first, copying out what you need; if the lock must stay held across the \
                             await, use `tokio::sync::Mutex` (`lock().await`)"
                        ));
                    cx.report(d);
                }
            }
            Expr::Match(m) => {
                Self::check_scrutinee(cx, &m.expr, "match", m.arms.iter().map(|a| &*a.body), &[]);
            }
            Expr::If(i) => {
                if let Expr::Let(l) = &*i.cond {
                    Self::check_scrutinee(
                        cx,
                        &l.expr,
                        "if let",
                        std::iter::empty(),
                        &[&i.then_branch],
                    );
                }
            }
            Expr::While(w) => {
                if let Expr::Let(l) = &*w.cond {
                    Self::check_scrutinee(cx, &l.expr, "while let", std::iter::empty(), &[&w.body]);
                }
            }
            _ => {}
        }
    }
}
