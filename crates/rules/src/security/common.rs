//! Helpers the security rules share: crate APIs reachable under several paths, literal arguments,
//! builder chains followed through `let` rebindings, and the names an expression mentions.

use stratalint_engine::proc_macro2::Span;
use stratalint_engine::syn::{self, Expr, ExprMethodCall};
use stratalint_engine::{Cx, QualifiedName};

/// Does `q` end with the segments of `tail` (`Argon2::new`), segment-aware?
pub fn ends_with(q: &QualifiedName, tail: &str) -> bool {
    let s = q.as_str();
    s == tail || (s.ends_with(tail) && s[..s.len() - tail.len()].ends_with("::"))
}

/// Is `q` an API of one of `crates` ending with `tail`? Crates re-export their items under
/// several paths (`argon2::Params`, `argon2::params::Params`), so only the crate and the tail
/// are compared.
pub fn is_api(q: &QualifiedName, crates: &[&str], tail: &str) -> bool {
    // the tail first: one comparison of the path's end rules out almost every call
    ends_with(q, tail) && q.in_crates(crates)
}

/// Through `&`, `*`, parentheses, `?`, `.await`, `.unwrap()`/`.expect(..)`: the value itself.
pub fn peel(e: &Expr) -> &Expr {
    match e {
        Expr::Reference(r) => peel(&r.expr),
        Expr::Paren(p) => peel(&p.expr),
        Expr::Group(g) => peel(&g.expr),
        Expr::Try(t) => peel(&t.expr),
        Expr::Await(a) => peel(&a.base),
        Expr::Unary(u) if matches!(u.op, syn::UnOp::Deref(_)) => peel(&u.expr),
        Expr::MethodCall(m)
            if m.args.is_empty() || m.method == "expect" || m.method == "unwrap_or_else" =>
        {
            match m.method.to_string().as_str() {
                "unwrap" | "expect" | "clone" | "into" | "to_owned" | "as_ref" | "as_str"
                | "as_bytes" | "as_slice" | "to_string" | "borrow" | "as_deref" => {
                    peel(&m.receiver)
                }
                _ => e,
            }
        }
        other => other,
    }
}

/// A string or byte-string literal, through `&`, `.to_string()`, `String::from`, `.into()`,
/// `.as_bytes()`, `SecretString::from`, …: `"s3cr3t".to_string()` → `s3cr3t`.
pub fn lit_str(cx: &Cx<'_, '_>, e: &Expr) -> Option<(String, Span)> {
    // nothing is resolved nor printed for a value without a literal at its core
    if !may_be_lit_str(e) {
        return None;
    }
    literal(cx, e)
}

/// Could [`lit_str`] find a literal in `e`: is there one at its core, through the wrappers it
/// looks through (whichever the calls and methods are)? Nothing is resolved nor printed.
pub fn may_be_lit_str(e: &Expr) -> bool {
    match e {
        Expr::Lit(l) => matches!(l.lit, syn::Lit::Str(_) | syn::Lit::ByteStr(_)),
        Expr::Reference(r) => may_be_lit_str(&r.expr),
        Expr::Paren(p) => may_be_lit_str(&p.expr),
        Expr::Group(g) => may_be_lit_str(&g.expr),
        Expr::MethodCall(m) if m.args.is_empty() => may_be_lit_str(&m.receiver),
        Expr::Call(c) if c.args.len() == 1 => may_be_lit_str(&c.args[0]),
        _ => false,
    }
}

/// [`lit_str`] for a value [`may_be_lit_str`] lets through.
fn literal(cx: &Cx<'_, '_>, e: &Expr) -> Option<(String, Span)> {
    match e {
        Expr::Lit(l) => match &l.lit {
            syn::Lit::Str(s) => Some((s.value(), s.span())),
            syn::Lit::ByteStr(b) => {
                Some((String::from_utf8_lossy(&b.value()).into_owned(), b.span()))
            }
            _ => None,
        },
        Expr::Reference(r) => literal(cx, &r.expr),
        Expr::Paren(p) => literal(cx, &p.expr),
        Expr::Group(g) => literal(cx, &g.expr),
        Expr::MethodCall(m) if m.args.is_empty() => match m.method.to_string().as_str() {
            "to_string" | "to_owned" | "into" | "as_bytes" | "as_str" | "as_ref" | "to_vec"
            | "into_bytes" | "as_slice" | "clone" | "into_boxed_str" => literal(cx, &m.receiver),
            _ => None,
        },
        Expr::Call(c) if c.args.len() == 1 => {
            let q = cx.resolve_expr(&c.func)?;
            let wrapper = matches!(q.last(), "from" | "new" | "from_static")
                && q.parent().is_some_and(|p| {
                    matches!(
                        p.last(),
                        "String"
                            | "SecretString"
                            | "Secret"
                            | "SecretBox"
                            | "SecretSlice"
                            | "SecretVec"
                            | "Vec"
                            | "Box"
                            | "Cow"
                            | "Zeroizing"
                            | "HeaderValue"
                            | "Bytes"
                    )
                });
            if wrapper {
                literal(cx, &c.args[0])
            } else {
                None
            }
        }
        _ => None,
    }
}

/// `true`/`false` literally.
pub fn lit_bool(e: &Expr) -> Option<bool> {
    match e {
        Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Bool(b),
            ..
        }) => Some(b.value),
        Expr::Paren(p) => lit_bool(&p.expr),
        Expr::Group(g) => lit_bool(&g.expr),
        _ => None,
    }
}

/// The last segment of a path expression (`Algorithm::Argon2i` → `Argon2i`), through `&`.
pub fn path_last(e: &Expr) -> Option<String> {
    match peel(e) {
        Expr::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}

/// A builder chain: its method calls, outermost first, and the expression at its root.
pub struct Chain<'e> {
    pub calls: Vec<&'e ExprMethodCall>,
    pub root: &'e Expr,
}

impl<'e> Chain<'e> {
    /// The calls of a method, outermost first.
    pub fn calls_named<'s>(
        &'s self,
        name: &'s str,
    ) -> impl Iterator<Item = &'e ExprMethodCall> + 's {
        self.calls.iter().copied().filter(move |m| m.method == name)
    }

    pub fn has(&self, name: &str) -> bool {
        self.calls.iter().any(|m| m.method == name)
    }
}

/// The chain `e` ends: `X::new().a(1).b(2)` → calls `[b, a]`, root `X::new()`. A local at the root
/// is followed to its initializer, through rebindings (`let c = X::new(); let c = c.a(1);`).
pub fn chain<'e, 'ast: 'e>(cx: &Cx<'_, 'ast>, e: &'e Expr) -> Chain<'e> {
    let mut calls = Vec::new();
    let mut e = e;
    let mut var: Option<&stratalint_engine::semantic::LocalVar<'ast>> = None;
    for _ in 0..64 {
        match e {
            Expr::MethodCall(m) => {
                calls.push(m);
                e = &m.receiver;
            }
            Expr::Try(t) => e = &t.expr,
            Expr::Await(a) => e = &a.base,
            Expr::Paren(p) => e = &p.expr,
            Expr::Group(g) => e = &g.expr,
            Expr::Reference(r) => e = &r.expr,
            Expr::Path(p) if p.path.segments.len() == 1 && p.qself.is_none() => {
                let name = p.path.segments[0].ident.to_string();
                // the binding this one was built from, when a rebinding names itself
                let next = match var {
                    Some(v) if v.name == name => cx.shadowed(v),
                    _ => cx.local(&name),
                };
                match next.and_then(|v| v.init.map(|init| (v, init))) {
                    Some((v, init)) => {
                        var = Some(v);
                        e = init;
                    }
                    None => break,
                }
            }
            _ => break,
        }
    }
    Chain { calls, root: e }
}

/// Does a name in `e` (path segments, fields, method names, identifiers inside macro calls)
/// satisfy `pred`? For "does this argument mention a password".
pub fn mentions(e: &Expr, pred: &dyn Fn(&str) -> bool) -> bool {
    mentions_at(e, pred, 0)
}

fn mentions_at(e: &Expr, pred: &dyn Fn(&str) -> bool, depth: usize) -> bool {
    if depth > 32 {
        return false;
    }
    let m = |e: &Expr| mentions_at(e, pred, depth + 1);
    match e {
        Expr::Path(p) => p.path.segments.iter().any(|s| pred(&s.ident.to_string())),
        Expr::Field(f) => {
            matches!(&f.member, syn::Member::Named(n) if pred(&n.to_string())) || m(&f.base)
        }
        Expr::MethodCall(c) => {
            pred(&c.method.to_string()) || m(&c.receiver) || c.args.iter().any(m)
        }
        Expr::Call(c) => m(&c.func) || c.args.iter().any(m),
        Expr::Reference(r) => m(&r.expr),
        Expr::Paren(p) => m(&p.expr),
        Expr::Group(g) => m(&g.expr),
        Expr::Unary(u) => m(&u.expr),
        Expr::Cast(c) => m(&c.expr),
        Expr::Try(t) => m(&t.expr),
        Expr::Await(a) => m(&a.base),
        Expr::Binary(b) => m(&b.left) || m(&b.right),
        Expr::Index(i) => m(&i.expr) || m(&i.index),
        Expr::Tuple(t) => t.elems.iter().any(m),
        Expr::Array(a) => a.elems.iter().any(m),
        Expr::Macro(mac) => tokens_mention(mac.mac.tokens.clone(), pred),
        _ => false,
    }
}

fn tokens_mention(
    ts: stratalint_engine::proc_macro2::TokenStream,
    pred: &dyn Fn(&str) -> bool,
) -> bool {
    use stratalint_engine::proc_macro2::TokenTree;
    ts.into_iter().any(|t| match t {
        TokenTree::Ident(i) => pred(&i.to_string()),
        TokenTree::Group(g) => tokens_mention(g.stream(), pred),
        TokenTree::Literal(l) => {
            // inline captures of a format string: "{password}"
            let s = l.to_string();
            s.starts_with('"')
                && s.split('{')
                    .skip(1)
                    .filter_map(|p| p.split(['}', ':']).next())
                    .any(|name| !name.is_empty() && pred(name.trim()))
        }
        TokenTree::Punct(_) => false,
    })
}

/// The name an operand goes by: the last segment of a path, a field, or a method's name
/// (`state.api_key` → `api_key`, `self.token()` → `token`), through `&`, `*`, `.as_bytes()`, ….
pub fn value_name(e: &Expr) -> Option<String> {
    match e {
        Expr::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
        Expr::Field(f) => match &f.member {
            syn::Member::Named(n) => Some(n.to_string()),
            syn::Member::Unnamed(_) => value_name(&f.base),
        },
        Expr::Reference(r) => value_name(&r.expr),
        Expr::Paren(p) => value_name(&p.expr),
        Expr::Group(g) => value_name(&g.expr),
        Expr::Unary(u) if matches!(u.op, syn::UnOp::Deref(_)) => value_name(&u.expr),
        Expr::Try(t) => value_name(&t.expr),
        Expr::MethodCall(m) => match m.method.to_string().as_str() {
            "as_bytes" | "as_str" | "as_ref" | "clone" | "to_string" | "to_owned" | "trim"
            | "as_slice" | "to_vec" | "into_bytes" | "expose_secret" | "unwrap" | "expect"
            | "as_deref" | "into_inner" | "borrow" | "deref" => value_name(&m.receiver),
            other => Some(other.to_string()),
        },
        Expr::Call(c) => match &*c.func {
            // `Some(token)`, `Ok(key)`: the value inside
            Expr::Path(p)
                if c.args.len() == 1
                    && p.path
                        .segments
                        .last()
                        .is_some_and(|s| s.ident == "Some" || s.ident == "Ok") =>
            {
                value_name(&c.args[0])
            }
            Expr::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
            _ => None,
        },
        _ => None,
    }
}

/// The span from the method name to the end of the call (`.danger_accept_invalid_certs(true)`).
pub fn method_span(m: &ExprMethodCall) -> Span {
    let start = m.method.span();
    start.join(m.paren_token.span.close()).unwrap_or(start)
}
