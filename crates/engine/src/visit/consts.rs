//! Constant values, as far as one file shows them: integers computed from literals, same-file
//! `const`/`static` items and the initializers of locals. The rules that check parameters (cost
//! factors, iteration counts, leeways) read them.

use syn::Expr;

use super::Cx;

/// How deep `eval_int` follows constants and locals (`const A: u32 = B * 2;`).
const MAX_DEPTH: usize = 16;

impl<'a, 'ast> Cx<'a, 'ast> {
    /// The initializer of a `const`/`static` of this file that `path` names.
    pub fn const_init(&self, path: &syn::Path) -> Option<&'ast Expr> {
        let q = self.resolve_value_path(path)?;
        self.consts.get(q.as_str()).copied()
    }

    /// What a value is bound to: the initializer of the local (`let cost = 4;`) or same-file
    /// constant (`const COST: u32 = 4;`) that `e` names, through `&`, `*` and parentheses.
    pub fn value_init(&self, e: &Expr) -> Option<&'ast Expr> {
        match e {
            Expr::Path(p) if p.qself.is_none() => {
                if p.path.segments.len() == 1 {
                    if let Some(v) = self.local(&p.path.segments[0].ident.to_string()) {
                        return v.init;
                    }
                }
                self.const_init(&p.path)
            }
            Expr::Reference(r) => self.value_init(&r.expr),
            Expr::Paren(p) => self.value_init(&p.expr),
            Expr::Group(g) => self.value_init(&g.expr),
            Expr::Unary(u) if matches!(u.op, syn::UnOp::Deref(_)) => self.value_init(&u.expr),
            _ => None,
        }
    }

    /// The integer an expression evaluates to, when literals, arithmetic, casts, same-file
    /// constants, locals' initializers and `NonZeroU32::new(n).unwrap()` decide it.
    pub fn eval_int(&self, e: &Expr) -> Option<i128> {
        self.eval_int_at(e, 0)
    }

    fn eval_int_at(&self, e: &Expr, depth: usize) -> Option<i128> {
        if depth > MAX_DEPTH {
            return None;
        }
        let eval = |e: &Expr| self.eval_int_at(e, depth + 1);
        match e {
            Expr::Lit(l) => match &l.lit {
                syn::Lit::Int(i) => i.base10_parse::<i128>().ok(),
                _ => None,
            },
            Expr::Paren(p) => eval(&p.expr),
            Expr::Group(g) => eval(&g.expr),
            Expr::Cast(c) => eval(&c.expr),
            Expr::Try(t) => eval(&t.expr),
            Expr::Reference(r) => eval(&r.expr),
            Expr::Unary(u) => match u.op {
                syn::UnOp::Neg(_) => eval(&u.expr)?.checked_neg(),
                syn::UnOp::Deref(_) => eval(&u.expr),
                _ => None,
            },
            Expr::Binary(b) => {
                let (l, r) = (eval(&b.left)?, eval(&b.right)?);
                match b.op {
                    syn::BinOp::Add(_) => l.checked_add(r),
                    syn::BinOp::Sub(_) => l.checked_sub(r),
                    syn::BinOp::Mul(_) => l.checked_mul(r),
                    syn::BinOp::Div(_) => l.checked_div(r),
                    syn::BinOp::Shl(_) => u32::try_from(r).ok().and_then(|r| l.checked_shl(r)),
                    syn::BinOp::Shr(_) => u32::try_from(r).ok().and_then(|r| l.checked_shr(r)),
                    _ => None,
                }
            }
            Expr::Path(_) => eval(self.value_init(e)?),
            // `NonZeroU32::new(n)`, `u32::from(n)`
            Expr::Call(c) if c.args.len() == 1 => {
                let q = self.resolve_expr(&c.func)?;
                let ty = q.parent()?;
                let wrapper = ty.last().starts_with("NonZero")
                    || matches!(
                        ty.last(),
                        "u8" | "u16"
                            | "u32"
                            | "u64"
                            | "u128"
                            | "usize"
                            | "i8"
                            | "i16"
                            | "i32"
                            | "i64"
                            | "i128"
                            | "isize"
                    );
                (wrapper && matches!(q.last(), "new" | "from" | "new_unchecked"))
                    .then(|| eval(&c.args[0]))
                    .flatten()
            }
            // `.unwrap()`, `.expect("…")`, `.into()`, `.get()` of the above
            Expr::MethodCall(m)
                if matches!(
                    m.method.to_string().as_str(),
                    "unwrap" | "expect" | "into" | "get" | "try_into" | "unwrap_or_default"
                ) =>
            {
                eval(&m.receiver)
            }
            _ => None,
        }
    }
}
