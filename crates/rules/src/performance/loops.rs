//! What a loop runs over, for the N+1 rules: batches (`ids.chunks(100)`), fixed counts
//! (`0..3`, `0..MAX_RETRIES`), and the `while`/`loop` forms that take a collection item by item
//! (`while let Some(job) = queue.pop()`).

use stratalint_engine::syn::{BinOp, Block, Expr, Stmt};
use stratalint_engine::Cx;

/// Adapters that cut a collection into batches.
const BATCHERS: &[&str] = &[
    "chunks",
    "chunks_exact",
    "rchunks",
    "array_chunks",
    "chunk_by",
    "batching",
];

/// Methods that take the next item of a collection or a synchronous iterator.
const TAKE_NEXT: &[&str] = &[
    "pop",
    "pop_front",
    "pop_back",
    "pop_first",
    "pop_last",
    "next",
];

/// Words of the names of retry and page counts: a query per attempt or per page is not N+1.
const COUNT_WORDS: &[&str] = &[
    "attempt", "attempts", "retry", "retries", "try", "tries", "page", "pages",
];

/// Does `e` iterate over batches (`ids.chunks(100)`, `stream::iter(ids.chunks(100)).map(..)`,
/// a local variable holding `ids.chunks(100)`)? A query per batch is the fix, not the bug.
pub fn is_batched(cx: &Cx<'_, '_>, e: &Expr) -> bool {
    match batch_source(e) {
        Ok(()) => true,
        Err(root) => cx
            .local_of(root)
            .and_then(|v| v.init)
            .is_some_and(|init| batch_source(init).is_ok()),
    }
}

/// `Ok` if the chain `e` cuts its items into batches, else the expression it starts from.
fn batch_source(e: &Expr) -> Result<(), &Expr> {
    let mut e = e;
    loop {
        match e {
            Expr::MethodCall(m) => {
                if BATCHERS.contains(&m.method.to_string().as_str()) {
                    return Ok(());
                }
                e = &m.receiver;
            }
            // `stream::iter(ids.chunks(100))`
            Expr::Call(c) if last_segment_is(&c.func, "iter") && c.args.len() == 1 => {
                e = &c.args[0];
            }
            Expr::Reference(r) => e = &r.expr,
            Expr::Paren(p) => e = &p.expr,
            _ => return Err(e),
        }
    }
}

fn last_segment_is(e: &Expr, name: &str) -> bool {
    matches!(e, Expr::Path(p) if p.path.segments.last().is_some_and(|s| s.ident == name))
}

/// A range with fixed bounds: `0..3`, `1..=MAX_RETRIES`, `0..Self::ATTEMPTS` (retries and fixed
/// counts), unlike `0..ids.len()` or `0..n`.
pub fn is_fixed_range(e: &Expr) -> bool {
    let Expr::Range(r) = e else { return false };
    [&r.start, &r.end]
        .into_iter()
        .all(|b| b.as_deref().is_none_or(is_constant))
}

/// A literal or a constant (`3`, `MAX_RETRIES`, `config::ATTEMPTS`, `MAX + 1`).
fn is_constant(e: &Expr) -> bool {
    match e {
        Expr::Lit(_) => true,
        Expr::Path(p) => p.path.segments.last().is_some_and(|s| {
            let name = s.ident.to_string();
            name.chars().any(|c| c.is_ascii_uppercase())
                && !name.chars().any(|c| c.is_ascii_lowercase())
        }),
        Expr::Paren(p) => is_constant(&p.expr),
        Expr::Group(g) => is_constant(&g.expr),
        Expr::Cast(c) => is_constant(&c.expr),
        Expr::Binary(b) => is_constant(&b.left) && is_constant(&b.right),
        _ => false,
    }
}

/// A `while` condition that takes a collection item by item: `while let Some(job) = queue.pop()`,
/// `while let Some(x) = iter.next()`, `while i < ids.len()`. Not an awaited stream or channel
/// (`while let Some(row) = rows.try_next().await?`): that is one query, streamed.
pub fn walks_collection(cx: &Cx<'_, '_>, cond: &Expr) -> bool {
    match cond {
        Expr::Let(l) => takes_next(cx, &l.expr),
        Expr::Binary(b) => match b.op {
            BinOp::Lt(_) | BinOp::Le(_) => is_len(&b.right),
            BinOp::Gt(_) | BinOp::Ge(_) => is_len(&b.left),
            BinOp::And(_) => walks_collection(cx, &b.left) || walks_collection(cx, &b.right),
            _ => false,
        },
        Expr::Paren(p) => walks_collection(cx, &p.expr),
        _ => false,
    }
}

/// What a `loop` takes its items from, when it starts by taking the next one and leaves when
/// there is none: `queue.pop()` in `loop { let Some(job) = queue.pop() else { break }; … }`.
pub fn drained_by<'b>(cx: &Cx<'_, '_>, body: &'b Block) -> Option<&'b Expr> {
    body.stmts.iter().find_map(|s| match s {
        Stmt::Local(l) => l
            .init
            .as_ref()
            .filter(|init| init.diverge.is_some() && takes_next(cx, &init.expr))
            .map(|init| &*init.expr),
        _ => None,
    })
}

/// Names a count of attempts or pages: `attempt`, `self.max_retries`, `page`, `page_count`.
pub fn names_attempts_or_pages(text: &str) -> bool {
    text.to_ascii_lowercase()
        .split(|c: char| !c.is_ascii_alphanumeric())
        .any(|w| COUNT_WORDS.contains(&w))
}

/// `queue.pop()`, `iter.next()`: not awaited, not over batches.
fn takes_next(cx: &Cx<'_, '_>, e: &Expr) -> bool {
    match e {
        Expr::MethodCall(m) => {
            TAKE_NEXT.contains(&m.method.to_string().as_str()) && !is_batched(cx, &m.receiver)
        }
        Expr::Paren(p) => takes_next(cx, &p.expr),
        _ => false,
    }
}

fn is_len(e: &Expr) -> bool {
    matches!(e, Expr::MethodCall(m) if m.method == "len")
}
