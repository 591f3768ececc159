//! N concurrent queries: `try_join_all(ids.iter().map(|id| self.users.find_by_id(*id)))`,
//! `buffer_unordered`, a `tokio::spawn` per item. Each takes a pool connection; one batched
//! query would do.

use stratalint_engine::proc_macro2::Span;
use stratalint_engine::semantic::LoopKind;
use stratalint_engine::syn::{Expr, GenericArgument, Type};
use stratalint_engine::{Call, Cx, Hooks, MethodCall, Rule, RuleMeta};

use super::loops::is_batched;
use crate::shared::db_calls::find_db_call;
use crate::shared::request_path::{backend_code, report_where, Reach};

static META: RuleMeta = crate::meta!("query-fan-out", Performance, "performance", Warning);

/// Functions that drive many futures at once.
const JOINS: &[&str] = &["join_all", "try_join_all", "select_all", "select_ok"];

/// Collections of futures built `from_iter` (`FuturesUnordered::from_iter(…)`).
const FUTURE_SETS: &[&str] = &["FuturesUnordered", "FuturesOrdered", "JoinSet"];

/// Stream adapters that run several futures concurrently.
const CONCURRENT_ADAPTERS: &[&str] = &[
    "buffer_unordered",
    "buffered",
    "try_buffer_unordered",
    "try_buffered",
    "for_each_concurrent",
    "try_for_each_concurrent",
];

/// Task spawners: a task per item of a loop runs the items concurrently.
const SPAWNS: &[&str] = &[
    "tokio::spawn",
    "tokio::task::spawn",
    "tokio::task::spawn_local",
    "actix_rt::spawn",
    "actix_web::rt::spawn",
    "async_std::task::spawn",
];

pub struct QueryFanOut;

impl QueryFanOut {
    /// Report the first database call found in `subjects`, if any, unless they run over batches
    /// (`try_join_all(ids.chunks(100).map(..))`: a query per batch is the fix).
    fn report(cx: &mut Cx<'_, '_>, at: Span, how: &str, subjects: &[&Expr], all_awaited: bool) {
        let reach = backend_code(cx);
        if reach == Reach::No || subjects.iter().any(|s| is_batched(cx, s)) {
            return;
        }
        let Some((what, db_span)) = subjects
            .iter()
            .find_map(|s| find_db_call(cx, s, all_awaited))
        else {
            return;
        };
        let db_loc = cx.loc(db_span);
        let d = cx
            .diag(
                at,
                format!("N concurrent queries: {how} runs {what} for every item"),
            )
            .with_label("fans out one query per item")
            .with_secondary(db_loc, "the query")
            .with_help(
                "query once for all items: `WHERE id = ANY($1)` with `.bind(&ids)` (sqlx), \
                 `Column::Id.is_in(ids)` or `load_many` (sea-orm), `belonging_to(&parents)` (diesel), behind a \
                 repository method such as `find_by_ids(&ids)`; N concurrent queries hold N pool connections \
                 and exhaust the pool under load",
            );
        report_where(cx, reach, d);
    }

    /// In a loop over the items of a collection (not its batches, not a `loop`/`while`, where a
    /// spawn per iteration is a server's accept loop or a worker).
    fn in_per_item_loop(cx: &Cx<'_, '_>) -> bool {
        match cx.current_loop() {
            Some(LoopKind::For { expr, .. }) => !is_batched(cx, expr),
            Some(LoopKind::PerItem { receiver, .. }) => !is_batched(cx, receiver),
            _ => false,
        }
    }
}

/// `collect::<FuturesUnordered<_>>()`: the set of futures the turbofish names.
fn collects_into_future_set(call: &MethodCall<'_>) -> Option<String> {
    if call.method != "collect" {
        return None;
    }
    call.expr
        .turbofish
        .as_ref()?
        .args
        .iter()
        .find_map(|a| match a {
            GenericArgument::Type(Type::Path(p)) => p
                .path
                .segments
                .last()
                .map(|s| s.ident.to_string())
                .filter(|name| FUTURE_SETS.contains(&name.as_str())),
            _ => None,
        })
}

impl Rule for QueryFanOut {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn hooks(&self) -> Hooks {
        Hooks::CALL | Hooks::METHOD_CALL
    }

    fn check_call(&self, cx: &mut Cx<'_, '_>, call: &Call<'_>) {
        let Some(path) = &call.path else { return };
        let parent_is_set = || {
            path.parent()
                .is_some_and(|p| FUTURE_SETS.contains(&p.last()))
        };
        // the crate before the name: it is read from the front, and few calls are to `futures`
        let join = path.in_crates(&["futures", "futures_util", "futures_lite"])
            && JOINS.contains(&path.last());
        // `path.last() == "from_iter"`, without searching for the last `:` (segments hold none)
        let s = path.as_str();
        let from_iter = (s == "from_iter" || s.ends_with(":from_iter")) && parent_is_set();
        if join || from_iter {
            let last = path.last();
            let how = match path.parent() {
                Some(set) if from_iter => format!("`{}::from_iter`", set.last()),
                _ => format!("`{last}`"),
            };
            let args: Vec<&Expr> = call.args().collect();
            Self::report(cx, call.callee_span(), &how, &args, true);
            return;
        }
        // outside a loop `in_per_item_loop` is false: most calls are
        if cx.current_loop().is_some() && path.is_any(SPAWNS) && Self::in_per_item_loop(cx) {
            if let Some(arg) = call.arg(0) {
                let how = format!("`{}` in a loop", path.as_str());
                Self::report(cx, call.callee_span(), &how, &[arg], false);
            }
        }
    }

    fn check_method_call(&self, cx: &mut Cx<'_, '_>, call: &MethodCall<'_>) {
        let method = call.method.as_str();
        if CONCURRENT_ADAPTERS.contains(&method) {
            // the futures come from the chain before (`.map(|id| repo.find(id))`) or the closure
            let how = format!("`.{method}(..)`");
            let mut subjects: Vec<&Expr> = vec![call.receiver()];
            subjects.extend(call.args());
            Self::report(cx, call.method_span(), &how, &subjects, true);
        } else if let Some(set) = collects_into_future_set(call) {
            let how = format!("collecting into `{set}`");
            Self::report(cx, call.method_span(), &how, &[call.receiver()], true);
        } else if method == "spawn"
            && Self::in_per_item_loop(cx)
            && cx
                .chain_root_type(call.receiver())
                .is_some_and(|t| t.last() == "JoinSet")
        {
            if let Some(arg) = call.arg(0) {
                Self::report(
                    cx,
                    call.method_span(),
                    "`JoinSet::spawn` in a loop",
                    &[arg],
                    false,
                );
            }
        }
    }
}
