//! A query per item of a loop (N+1): `for o in &orders { self.customers.find_by_id(o.customer_id).await? }`
//! makes one round trip per order where one query would do.

use stratalint_engine::proc_macro2::Span;
use stratalint_engine::semantic::scope::Frame;
use stratalint_engine::semantic::LoopKind;
use stratalint_engine::syn::spanned::Spanned;
use stratalint_engine::syn::{Expr, Pat};
use stratalint_engine::{Call, Cx, Hooks, MethodCall, Rule, RuleMeta};

use super::loops::{
    drained_by, is_batched, is_fixed_range, names_attempts_or_pages, walks_collection,
};
use crate::shared::db_calls::{db_fn_call, db_method_call};
use crate::shared::request_path::{backend_code, report_where, Reach};

static META: RuleMeta = crate::meta!("query-in-loop", Performance, "performance", Warning);

/// Query methods that run synchronously (diesel): a query even without `.await`.
const SYNC_RUNNERS: &[&str] = &["load", "get_result", "get_results", "first", "execute"];

/// Per-item adapters that drive their futures one after the other (stream `then`, `for_each`…);
/// the concurrent ones are `query-fan-out`'s.
const SEQUENTIAL_STREAM_ADAPTERS: &[&str] = &[
    "then",
    "for_each",
    "try_for_each",
    "and_then",
    "fold",
    "try_fold",
    "filter_map",
];

/// Verbs of writes: the help suggests a multi-row insert instead of a batched read.
const WRITE_VERBS: &[&str] = &[
    "insert", "update", "upsert", "delete", "save", "create", "remove", "execute",
];

pub struct QueryInLoop;

/// A loop run a fixed number of times, or once per attempt or page: `for attempt in 0..3`,
/// `0..MAX_RETRIES`, `for attempt in 0..self.max_attempts`, `for page in 0..page_count`; unlike
/// `for i in 0..ids.len()` or `0..n`.
fn is_counted(cx: &Cx<'_, '_>, pat: &Pat, expr: &Expr) -> bool {
    matches!(expr, Expr::Range(_))
        && (is_fixed_range(expr)
            || names_attempts_or_pages(cx.text_of(pat.span()))
            || names_attempts_or_pages(cx.text_of(expr.span())))
}

/// The source of `e` on one line, or `…` when too long for a message.
fn short(cx: &Cx<'_, '_>, e: &Expr) -> String {
    let text = cx
        .text_of(e.span())
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    if text.chars().count() > 40 {
        "…".to_string()
    } else {
        text
    }
}

impl QueryInLoop {
    /// The loop the query runs once per item of, if it does: a `for` over a collection, a
    /// `while`/`loop` that takes a collection item by item, or a per-item closure, with no future
    /// created in between (that is `query-fan-out`'s case).
    /// Returns how to name the loop and where it starts.
    fn per_item_loop(cx: &Cx<'_, '_>) -> Option<(String, Span)> {
        let kind = *cx.current_loop()?;
        // frames between the call and the loop
        let mut async_between = false;
        for f in cx.frames().iter().rev() {
            match f {
                Frame::Loop => break,
                Frame::AsyncBlock | Frame::Closure { is_async: true, .. } => async_between = true,
                Frame::Closure { escape: true, .. } => return None,
                _ => {}
            }
        }
        match kind {
            LoopKind::For { expr, pat } => {
                if async_between || is_batched(cx, expr) || is_counted(cx, pat, expr) {
                    return None;
                }
                let text = cx.text_of(pat.span());
                Some((format!("`for {text} in {}`", short(cx, expr)), expr.span()))
            }
            LoopKind::PerItem { method, receiver } => {
                let sequential = SEQUENTIAL_STREAM_ADAPTERS.contains(&method.to_string().as_str());
                if (async_between && !sequential)
                    || method.to_string().ends_with("_concurrent")
                    || is_batched(cx, receiver)
                {
                    return None;
                }
                Some((format!("`.{method}(..)`"), method.span()))
            }
            // `while let Some(job) = queue.pop()`, `while i < ids.len()`; not streaming
            // (`while let Some(row) = rows.try_next().await?`), polling or pagination
            LoopKind::While { cond } if !async_between && walks_collection(cx, cond) => {
                Some((format!("`while {}`", short(cx, cond)), cond.span()))
            }
            // `loop { let Some(job) = queue.pop() else { break }; … }`; not retries or pagination
            LoopKind::Loop { body } if !async_between => drained_by(cx, body).map(|next| {
                let name = format!("a `loop` over `{}`", short(cx, next));
                (name, next.span())
            }),
            LoopKind::While { .. } | LoopKind::Loop { .. } => None,
        }
    }

    /// `what` names the database call, once the cheap tests passed.
    fn check(
        cx: &mut Cx<'_, '_>,
        awaited: bool,
        name: &str,
        at: Span,
        what: impl FnOnce(&Cx<'_, '_>) -> Option<String>,
    ) {
        if cx.in_test() || !(awaited || SYNC_RUNNERS.contains(&name)) {
            return;
        }
        let Some((loop_name, loop_span)) = Self::per_item_loop(cx) else {
            return;
        };
        let reach = backend_code(cx);
        if reach == Reach::No {
            return;
        }
        let Some(what) = what(cx) else {
            return;
        };
        let verb = name.split('_').next().unwrap_or(name);
        let help = if WRITE_VERBS.contains(&verb) {
            "write all rows in one statement: a multi-row insert (`QueryBuilder::push_values` with sqlx, \
             `Entity::insert_many` with sea-orm, `insert_into(t).values(&rows)` with diesel) or \
             `UPDATE … WHERE id = ANY($1)`"
        } else {
            "load everything in one query before the loop and look items up in a map: \
             `WHERE id = ANY($1)` with `.bind(&ids)` (sqlx), `Column::Id.is_in(ids)` or `load_many` \
             (sea-orm), `belonging_to(&parents)` + `grouped_by` (diesel); a repository method such as \
             `find_by_ids(&ids)`"
        };
        let loop_loc = cx.loc(loop_span);
        let d = cx
            .diag(
                at,
                format!("database call in a loop: {what} runs once per item of {loop_name} (N+1 queries)"),
            )
            .with_label("one query per item")
            .with_secondary(loop_loc, "once per item of this")
            .with_help(help);
        report_where(cx, reach, d);
    }
}

impl Rule for QueryInLoop {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn hooks(&self) -> Hooks {
        Hooks::METHOD_CALL | Hooks::CALL
    }

    fn check_method_call(&self, cx: &mut Cx<'_, '_>, call: &MethodCall<'_>) {
        // as in `check_call`
        if cx.current_loop().is_none() {
            return;
        }
        Self::check(cx, call.awaited, &call.method, call.method_span(), |cx| {
            db_method_call(cx, call.expr, call.awaited)
        });
    }

    fn check_call(&self, cx: &mut Cx<'_, '_>, call: &Call<'_>) {
        // outside a loop `per_item_loop` finds none: skip the name and span of most calls
        if cx.current_loop().is_none() {
            return;
        }
        let Some(path) = &call.path else { return };
        Self::check(cx, call.awaited, path.last(), call.span(), |cx| {
            db_fn_call(cx, call.expr, call.awaited)
        });
    }
}
