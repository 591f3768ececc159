//! String origins: where a string value comes from, as far as one function can see (a literal,
//! something built here from non-constant parts, or elsewhere). The SQL and command injection rules
//! read it; the walker updates it when a local string grows (`push_str`, `+=`, `write!`).

use proc_macro2::Span;
use syn::spanned::Spanned;
use syn::Expr;

use super::Cx;
use crate::semantic::macros::{inline_captures, parse_macro_args};
use crate::semantic::values::StrOrigin;

impl Cx<'_, '_> {
    /// Where a string value comes from (see [`StrOrigin`]).
    pub fn str_origin(&self, e: &Expr) -> StrOrigin {
        match e {
            Expr::Lit(_) => StrOrigin::Static,
            Expr::Macro(m) => self.macro_origin(&m.mac),
            Expr::Binary(b) if matches!(b.op, syn::BinOp::Add(_)) => self
                .str_origin(&b.left)
                .combine(self.str_origin(&b.right), b.span()),
            Expr::Reference(r) => self.str_origin(&r.expr),
            Expr::Paren(p) => self.str_origin(&p.expr),
            Expr::Group(g) => self.str_origin(&g.expr),
            Expr::Unary(u) if matches!(u.op, syn::UnOp::Deref(_)) => self.str_origin(&u.expr),
            Expr::MethodCall(m) => {
                let name = m.method.to_string();
                if matches!(
                    name.as_str(),
                    "to_string"
                        | "to_owned"
                        | "into"
                        | "as_str"
                        | "clone"
                        | "as_ref"
                        | "borrow"
                        | "trim"
                        | "trim_end"
                        | "trim_start"
                        | "to_lowercase"
                        | "to_uppercase"
                        | "as_bytes"
                        | "into_boxed_str"
                ) {
                    self.str_origin(&m.receiver)
                } else if is_escaping_replace(m) || is_sanitizer(&name) {
                    // `name.replace('"', "\"\"")`, `value.escape_default()`: escaped for the target
                    StrOrigin::Static
                } else if matches!(name.as_str(), "replace" | "replacen") {
                    // `TEMPLATE.replace("{table}", table)`: the template and what goes in
                    let mut o = self.str_origin(&m.receiver);
                    if let Some(to) = m.args.iter().nth(1) {
                        o = o.combine(self.str_origin(to), m.span());
                    }
                    o
                } else if matches!(name.as_str(), "concat" | "join") {
                    // `[a, b].concat()`, `parts.join(" AND ")`: the parts and the separator
                    let mut o = self.parts_origin(&m.receiver, m.span());
                    if let Some(sep) = m.args.first() {
                        o = o.combine(self.str_origin(sep), m.span());
                    }
                    o
                } else {
                    StrOrigin::Opaque
                }
            }
            Expr::Call(c) => {
                // the callee's last segment first: most calls are none of these, and resolving is
                // the costly part
                let Expr::Path(p) = &*c.func else {
                    return StrOrigin::Opaque;
                };
                let Some(last) = p.path.segments.last().map(|s| s.ident.to_string()) else {
                    return StrOrigin::Opaque;
                };
                let sanitizer = is_sanitizer(&last);
                let known = matches!(
                    last.as_str(),
                    "new" | "with_capacity" | "from" | "to_string" | "into" | "Borrowed" | "Owned"
                );
                if !(sanitizer || known) {
                    return StrOrigin::Opaque;
                }
                let Some(q) = self.resolve_expr(&c.func) else {
                    return StrOrigin::Opaque;
                };
                // an empty string or vector to be filled (`String::new()`, `Vec::with_capacity(n)`):
                // what is pushed into it decides
                if q.is_any(&[
                    "std::string::String::new",
                    "std::string::String::with_capacity",
                    "std::vec::Vec::new",
                    "std::vec::Vec::with_capacity",
                ]) {
                    return StrOrigin::Static;
                }
                // `quote_ident(name)`, `shell_escape::escape(arg)`: escaped for the target language
                if is_sanitizer(q.last()) {
                    return StrOrigin::Static;
                }
                if c.args.len() == 1
                    && q.is_any(&[
                        "std::string::String::from",
                        "std::string::ToString::to_string",
                        "std::borrow::Cow::from",
                        "std::convert::From::from",
                        "std::convert::Into::into",
                        "std::borrow::Cow::Borrowed",
                        "std::borrow::Cow::Owned",
                    ])
                {
                    return self.str_origin(&c.args[0]);
                }
                StrOrigin::Opaque
            }
            Expr::Path(p) if p.qself.is_none() => {
                let last = p
                    .path
                    .segments
                    .last()
                    .map(|s| s.ident.to_string())
                    .unwrap_or_default();
                if p.path.segments.len() == 1 {
                    if let Some(v) = self.locals.get(&last) {
                        return v.origin;
                    }
                }
                if is_const_name(&last) {
                    StrOrigin::Static
                } else {
                    StrOrigin::Opaque
                }
            }
            Expr::If(i) => {
                let then = block_value(&i.then_branch)
                    .map(|e| self.str_origin(e))
                    .unwrap_or(StrOrigin::Opaque);
                let other = match &i.else_branch {
                    Some((_, e)) => self.str_origin(e),
                    None => StrOrigin::Opaque,
                };
                merge_branches([then, other])
            }
            Expr::Match(m) => merge_branches(m.arms.iter().map(|a| self.str_origin(&a.body))),
            Expr::Block(b) => block_value(&b.block)
                .map(|e| self.str_origin(e))
                .unwrap_or(StrOrigin::Opaque),
            _ => StrOrigin::Opaque,
        }
    }

    fn macro_origin(&self, mac: &syn::Macro) -> StrOrigin {
        let name = mac
            .path
            .segments
            .last()
            .map(|s| s.ident.to_string())
            .unwrap_or_default();
        match name.as_str() {
            "concat" | "stringify" | "include_str" | "env" => StrOrigin::Static,
            "format" | "format_args" => {
                let args = parse_macro_args(None, &name, &mac.tokens);
                self.format_origin(args.exprs(), mac.span())
            }
            "vec" => {
                let args = parse_macro_args(None, &name, &mac.tokens);
                self.elements_origin(args.exprs(), mac.span())
            }
            _ => StrOrigin::Opaque,
        }
    }

    /// The origin of a `format!`'s result: static only when every argument and inline capture is.
    pub fn format_origin(&self, exprs: &[Expr], at: Span) -> StrOrigin {
        let Some((first, rest)) = exprs.split_first() else {
            return StrOrigin::Static;
        };
        let mut origin = match first {
            Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(s),
                ..
            }) => {
                let fmt = s.value();
                let mut o = StrOrigin::Static;
                for name in inline_captures(&fmt) {
                    let part = match self.locals.get(name) {
                        Some(v) => v.origin,
                        None if is_const_name(name) => StrOrigin::Static,
                        None => StrOrigin::Opaque,
                    };
                    o = o.combine(part, at);
                }
                o
            }
            other => self.str_origin(other),
        };
        for arg in rest {
            let value = match arg {
                Expr::Assign(a) => &*a.right,
                other => other,
            };
            origin = origin.combine(self.str_origin(value), at);
        }
        match origin {
            StrOrigin::Opaque => StrOrigin::Built(at),
            o => o,
        }
    }
}

impl Cx<'_, '_> {
    /// The origin of a sequence of string parts (`[a, b]`, `vec![a, b]`, a local `Vec` that was
    /// pushed into).
    fn parts_origin(&self, e: &Expr, at: Span) -> StrOrigin {
        match e {
            Expr::Array(a) => self.elements_origin(a.elems.iter(), at),
            Expr::Reference(r) => self.parts_origin(&r.expr, at),
            Expr::Paren(p) => self.parts_origin(&p.expr, at),
            other => self.str_origin(other),
        }
    }

    fn elements_origin<'e>(
        &self,
        elems: impl IntoIterator<Item = &'e Expr>,
        at: Span,
    ) -> StrOrigin {
        elems
            .into_iter()
            .fold(StrOrigin::Static, |o, e| o.combine(self.str_origin(e), at))
    }
}

/// Functions whose result is escaped or quoted for the language it is spliced into
/// (`quote_ident`, `escape_literal`, `sanitize_identifier`, sqlx's internal `ident`): injection
/// rules treat their output like a constant.
fn is_sanitizer(name: &str) -> bool {
    name == "ident"
        || name.split('_').any(|w| {
            matches!(
                w,
                "escape" | "escaped" | "quote" | "quoted" | "sanitize" | "sanitized"
            )
        })
}

/// `s.replace('\'', "''")`, `s.replace('"', "\"\"")`: doubling the quote character, the standard
/// escape of SQL literals and identifiers.
fn is_escaping_replace(m: &syn::ExprMethodCall) -> bool {
    if m.method != "replace" || m.args.len() != 2 {
        return false;
    }
    let lit = |e: &Expr| match e {
        Expr::Lit(l) => match &l.lit {
            syn::Lit::Str(s) => Some(s.value()),
            syn::Lit::Char(c) => Some(c.value().to_string()),
            _ => None,
        },
        _ => None,
    };
    match (lit(&m.args[0]), lit(&m.args[1])) {
        (Some(from), Some(to)) => {
            matches!(from.as_str(), "'" | "\"" | "`") && to == format!("{from}{from}")
        }
        _ => false,
    }
}

pub(super) fn is_const_name(name: &str) -> bool {
    name.len() > 1
        && name
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
        && name.chars().any(|c| c.is_ascii_uppercase())
}

fn block_value(b: &syn::Block) -> Option<&Expr> {
    match b.stmts.last()? {
        syn::Stmt::Expr(e, None) => Some(e),
        _ => None,
    }
}

fn merge_branches(origins: impl IntoIterator<Item = StrOrigin>) -> StrOrigin {
    let mut out = StrOrigin::Static;
    for o in origins {
        match o {
            StrOrigin::Static => {}
            StrOrigin::Built(s) => return StrOrigin::Built(s),
            StrOrigin::Opaque => out = StrOrigin::Opaque,
        }
    }
    out
}
