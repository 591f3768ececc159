//! Spans of expressions without printing them. `syn::spanned::Spanned` turns the whole expression
//! back into tokens to find its first and last token, which for a call with closures or long
//! builder chains costs more than the rule that asked. Rules ask for the span of every call they
//! keep, so the common shapes are answered here from the first and last token directly, and the
//! rest fall back to `Spanned`.

use proc_macro2::Span;
use syn::spanned::Spanned;
use syn::{Expr, Member, UnOp};

/// The span of `e`, from its first to its last token (attributes on the expression excluded).
pub fn expr_span(e: &Expr) -> Span {
    match (first(e), last(e)) {
        (Some(a), Some(b)) => a.join(b).unwrap_or(a),
        _ => e.span(),
    }
}

/// The span of a call `f(..)`, as [`expr_span`] of the call expression.
pub fn call_span(c: &syn::ExprCall) -> Span {
    match first(&c.func).filter(|_| c.attrs.is_empty()) {
        Some(a) => a.join(c.paren_token.span.close()).unwrap_or(a),
        None => c.span(),
    }
}

/// The span of a method call `r.m(..)`, as [`expr_span`] of the call expression.
pub fn method_call_span(m: &syn::ExprMethodCall) -> Span {
    match first(&m.receiver).filter(|_| m.attrs.is_empty()) {
        Some(a) => a.join(m.paren_token.span.close()).unwrap_or(a),
        None => m.span(),
    }
}

fn path_first(p: &syn::Path) -> Option<Span> {
    match &p.leading_colon {
        Some(c) => Some(c.spans[0]),
        None => p.segments.first().map(|s| s.ident.span()),
    }
}

fn path_last(p: &syn::Path) -> Option<Span> {
    let seg = p.segments.last()?;
    match &seg.arguments {
        syn::PathArguments::None => Some(seg.ident.span()),
        syn::PathArguments::AngleBracketed(a) => Some(a.gt_token.span),
        syn::PathArguments::Parenthesized(_) => None,
    }
}

fn first(e: &Expr) -> Option<Span> {
    if !expr_attrs(e).is_empty() {
        return None;
    }
    match e {
        Expr::Path(p) => match &p.qself {
            Some(q) => Some(q.lt_token.span),
            None => path_first(&p.path),
        },
        Expr::Call(c) => first(&c.func),
        Expr::MethodCall(m) => first(&m.receiver),
        Expr::Field(f) => first(&f.base),
        Expr::Index(i) => first(&i.expr),
        Expr::Try(t) => first(&t.expr),
        Expr::Await(a) => first(&a.base),
        Expr::Binary(b) => first(&b.left),
        Expr::Cast(c) => first(&c.expr),
        Expr::Reference(r) => Some(r.and_token.span),
        Expr::Unary(u) => Some(match u.op {
            UnOp::Deref(t) => t.span,
            UnOp::Not(t) => t.span,
            UnOp::Neg(t) => t.span,
            _ => return None,
        }),
        Expr::Paren(p) => Some(p.paren_token.span.open()),
        Expr::Lit(l) => Some(l.lit.span()),
        Expr::Macro(m) => path_first(&m.mac.path),
        _ => None,
    }
}

fn last(e: &Expr) -> Option<Span> {
    match e {
        Expr::Path(p) => path_last(&p.path),
        Expr::Call(c) => Some(c.paren_token.span.close()),
        Expr::MethodCall(m) => Some(m.paren_token.span.close()),
        Expr::Field(f) => Some(match &f.member {
            Member::Named(i) => i.span(),
            Member::Unnamed(i) => i.span,
        }),
        Expr::Index(i) => Some(i.bracket_token.span.close()),
        Expr::Try(t) => Some(t.question_token.span),
        Expr::Await(a) => Some(a.await_token.span),
        Expr::Binary(b) => last(&b.right),
        Expr::Reference(r) => last(&r.expr),
        Expr::Unary(u) => last(&u.expr),
        Expr::Paren(p) => Some(p.paren_token.span.close()),
        Expr::Lit(l) => Some(l.lit.span()),
        Expr::Macro(m) => Some(match &m.mac.delimiter {
            syn::MacroDelimiter::Paren(p) => p.span.close(),
            syn::MacroDelimiter::Brace(b) => b.span.close(),
            syn::MacroDelimiter::Bracket(b) => b.span.close(),
        }),
        _ => None,
    }
}

fn expr_attrs(e: &Expr) -> &[syn::Attribute] {
    match e {
        Expr::Path(x) => &x.attrs,
        Expr::Call(x) => &x.attrs,
        Expr::MethodCall(x) => &x.attrs,
        Expr::Field(x) => &x.attrs,
        Expr::Index(x) => &x.attrs,
        Expr::Try(x) => &x.attrs,
        Expr::Await(x) => &x.attrs,
        Expr::Binary(x) => &x.attrs,
        Expr::Cast(x) => &x.attrs,
        Expr::Reference(x) => &x.attrs,
        Expr::Unary(x) => &x.attrs,
        Expr::Paren(x) => &x.attrs,
        Expr::Lit(x) => &x.attrs,
        Expr::Macro(x) => &x.attrs,
        _ => &[],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every shape answered here gives the same range as `Spanned` on the same expression.
    #[test]
    fn same_range_as_spanned() {
        let src = r#"
fn f() {
    std::fs::read(p);
    ::std::thread::sleep(d);
    <Vec<u8> as Default>::default();
    Vec::<u8>::new();
    a.b.c(1, |x| x + 1).await?;
    sqlx::query(&format!("SELECT {}", x)).bind(y).fetch_all(&*pool).await;
    -x.len();
    !(a && b);
    *r[0];
    &mut s.0;
    "lit".to_string();
    vec![1, 2](3);
    x as u64 + y.z;
    f(#[allow(unused)] a);
}
"#;
        let file: syn::File = syn::parse_str(src).unwrap();
        struct V(usize);
        impl<'a> syn::visit::Visit<'a> for V {
            fn visit_expr(&mut self, e: &'a Expr) {
                if first(e).is_some() && last(e).is_some() {
                    self.0 += 1;
                }
                match e {
                    Expr::Call(c) => assert_eq!(call_span(c).byte_range(), e.span().byte_range()),
                    Expr::MethodCall(m) => {
                        assert_eq!(method_call_span(m).byte_range(), e.span().byte_range())
                    }
                    _ => {}
                }
                assert_eq!(
                    expr_span(e).byte_range(),
                    e.span().byte_range(),
                    "{}",
                    quote::ToTokens::to_token_stream(e)
                );
                syn::visit::visit_expr(self, e);
            }
        }
        let mut v = V(0);
        syn::visit::Visit::visit_file(&mut v, &file);
        assert!(v.0 > 40, "only {} expressions took the fast path", v.0);
    }
}
