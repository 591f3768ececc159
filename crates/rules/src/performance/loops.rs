//! What a loop runs over, for the N+1 rules: batches (`ids.chunks(100)`), where a query per
//! batch is the fix rather than the bug.

use stratalint_engine::syn::Expr;
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
