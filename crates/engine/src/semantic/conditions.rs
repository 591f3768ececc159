//! Conditions known to hold at a point of a function: the conditions of the enclosing `if`
//! branches (negated in `else` branches) and the early-exit guards seen before in the enclosing
//! blocks (`if v.is_empty() { return …; }` means `v` is not empty below it). Rules read them to
//! tell a guarded `x.unwrap()` from a bare one.

use quote::ToTokens;
use syn::{BinOp, Expr, UnOp};

/// A condition and whether it holds (`true` in the `then` branch, `false` in the `else` branch
/// and after an early-exit guard).
#[derive(Clone, Copy)]
pub struct Condition<'ast> {
    pub expr: &'ast Expr,
    pub holds: bool,
}

impl<'ast> Condition<'ast> {
    /// The simple facts the condition gives: each conjunct of a condition that holds, each
    /// disjunct of one that does not, `!` folded into the polarity. `if a && !b` gives
    /// `(a, true)` and `(b, false)`; an `else` of `if a || b` gives `(a, false)` and `(b, false)`.
    pub fn facts(&self) -> Vec<(&'ast Expr, bool)> {
        let mut out = Vec::new();
        collect(self.expr, self.holds, &mut out);
        out
    }
}

fn collect<'ast>(e: &'ast Expr, holds: bool, out: &mut Vec<(&'ast Expr, bool)>) {
    match e {
        Expr::Paren(p) => collect(&p.expr, holds, out),
        Expr::Group(g) => collect(&g.expr, holds, out),
        Expr::Unary(u) if matches!(u.op, UnOp::Not(_)) => collect(&u.expr, !holds, out),
        Expr::Binary(b) if holds && matches!(b.op, BinOp::And(_)) => {
            collect(&b.left, true, out);
            collect(&b.right, true, out);
        }
        Expr::Binary(b) if !holds && matches!(b.op, BinOp::Or(_)) => {
            collect(&b.left, false, out);
            collect(&b.right, false, out);
        }
        other => out.push((other, holds)),
    }
}

/// Do two expressions read the same (token for token)?
pub fn same_expr(a: &Expr, b: &Expr) -> bool {
    a.to_token_stream().to_string() == b.to_token_stream().to_string()
}

fn peel(e: &Expr) -> &Expr {
    match e {
        Expr::Paren(p) => peel(&p.expr),
        Expr::Group(g) => peel(&g.expr),
        Expr::Reference(r) => peel(&r.expr),
        _ => e,
    }
}

/// Does the fact `(expr, holds)` show that `subject` is `Some`/`Ok` or not empty?
/// `x.is_some()`, `x.is_ok()`, `!x.is_none()`, `!x.is_err()`, `!x.is_empty()`, `x.len() > 0`,
/// `x.len() >= 1`, `x.len() != 0`, `0 < x.len()`, and `x.len() == 0` that does not hold.
pub fn shows_present(fact: (&Expr, bool), subject: &Expr) -> bool {
    let (e, holds) = fact;
    let subject = peel(subject);
    let is_call_on = |e: &Expr, names: &[&str]| -> bool {
        matches!(peel(e), Expr::MethodCall(m)
            if m.args.is_empty()
                && names.iter().any(|n| m.method == n)
                && same_expr(peel(&m.receiver), subject))
    };
    if holds && is_call_on(e, &["is_some", "is_ok"]) {
        return true;
    }
    if !holds && is_call_on(e, &["is_none", "is_err", "is_empty"]) {
        return true;
    }
    let Expr::Binary(b) = peel(e) else {
        return false;
    };
    let len = |e: &Expr| is_call_on(e, &["len"]);
    let lit = |e: &Expr, v: u64| matches!(peel(e), Expr::Lit(l) if matches!(&l.lit, syn::Lit::Int(i) if i.base10_parse::<u64>().ok() == Some(v)));
    match (&b.op, holds) {
        (BinOp::Gt(_), true) | (BinOp::Ne(_), true) => {
            (len(&b.left) && lit(&b.right, 0)) || (lit(&b.left, 0) && len(&b.right))
        }
        (BinOp::Ge(_), true) => len(&b.left) && lit(&b.right, 1),
        (BinOp::Lt(_), true) => lit(&b.left, 0) && len(&b.right),
        (BinOp::Eq(_), false) => {
            (len(&b.left) && lit(&b.right, 0)) || (lit(&b.left, 0) && len(&b.right))
        }
        _ => false,
    }
}

/// Does a block end by leaving the enclosing code (`return`, `break`, `continue`, `panic!`,
/// `bail!`, …)? Such an `if` without `else` is a guard: what follows runs only when its
/// condition did not hold.
pub fn block_diverges(b: &syn::Block) -> bool {
    match b.stmts.last() {
        Some(syn::Stmt::Expr(e, _)) => expr_diverges(e),
        Some(syn::Stmt::Macro(m)) => macro_diverges(&m.mac),
        _ => false,
    }
}

fn expr_diverges(e: &Expr) -> bool {
    match e {
        Expr::Return(_) | Expr::Break(_) | Expr::Continue(_) => true,
        Expr::Macro(m) => macro_diverges(&m.mac),
        Expr::Block(b) => block_diverges(&b.block),
        _ => false,
    }
}

fn macro_diverges(m: &syn::Macro) -> bool {
    m.path.segments.last().is_some_and(|s| {
        matches!(
            s.ident.to_string().as_str(),
            "panic" | "unreachable" | "todo" | "unimplemented" | "bail"
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e(s: &str) -> Expr {
        syn::parse_str(s).unwrap()
    }

    fn present(cond: &str, holds: bool, subject: &str) -> bool {
        let c = e(cond);
        let subject = e(subject);
        Condition { expr: &c, holds }
            .facts()
            .into_iter()
            .any(|f| shows_present(f, &subject))
    }

    #[test]
    fn facts_fold_negation_and_split_conjunctions() {
        assert!(present("x.is_some()", true, "x"));
        assert!(present("a > 1 && !v.is_empty()", true, "v"));
        assert!(present("v.is_empty() || a", false, "v"));
        assert!(present("v.len() > 0", true, "v"));
        assert!(present("0 != self.items.len()", true, "self.items"));
        assert!(present("v.len() == 0", false, "v"));
        assert!(present("!(x.is_none())", true, "x"));
        assert!(!present("v.is_empty() || a", true, "v"));
        assert!(!present("x.is_some()", false, "x"));
        assert!(!present("y.is_some()", true, "x"));
        assert!(!present("v.is_empty() && a", false, "v"));
    }

    #[test]
    fn guards_diverge() {
        let b: syn::Block = syn::parse_str("{ tracing::warn!(\"x\"); return Err(e); }").unwrap();
        assert!(block_diverges(&b));
        let b: syn::Block = syn::parse_str("{ continue }").unwrap();
        assert!(block_diverges(&b));
        let b: syn::Block = syn::parse_str("{ x += 1; }").unwrap();
        assert!(!block_diverges(&b));
    }
}
