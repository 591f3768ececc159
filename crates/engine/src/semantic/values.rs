//! Local values: the variables in scope with their written or inferred types, and where a string
//! value comes from (a literal, something built here with `format!`/`+`/`push_str`, or elsewhere).

use proc_macro2::Span;
use syn::spanned::Spanned;
use syn::{Expr, Pat, Type};

use super::names::QualifiedName;

/// Where a string value comes from, as far as one function can see.
#[derive(Clone, Copy, Debug)]
pub enum StrOrigin {
    /// A literal, a constant, `concat!` of literals, a `format!` of constants only, a choice
    /// between literals (`if asc { "ASC" } else { "DESC" }`), or a value escaped for splicing
    /// (`quote_ident(name)`, `name.replace('"', "\"\"")`).
    Static,
    /// Built here from a non-constant part (`format!("… {name}")`, `a + &b`, `s.push_str(x)`); the
    /// span points at where.
    Built(Span),
    /// Comes from elsewhere (a parameter, a call's result): not constant, but not built here.
    Opaque,
}

/// Origins compare by kind; the span only says where.
impl PartialEq for StrOrigin {
    fn eq(&self, other: &Self) -> bool {
        std::mem::discriminant(self) == std::mem::discriminant(other)
    }
}

impl StrOrigin {
    pub fn is_built(self) -> bool {
        matches!(self, StrOrigin::Built(_))
    }

    /// The origin of a value made of two parts.
    pub fn combine(self, other: StrOrigin, at: Span) -> StrOrigin {
        match (self, other) {
            (StrOrigin::Static, StrOrigin::Static) => StrOrigin::Static,
            (StrOrigin::Built(s), _) | (_, StrOrigin::Built(s)) => StrOrigin::Built(s),
            _ => StrOrigin::Built(at),
        }
    }
}

/// A variable in scope.
#[derive(Clone)]
pub struct LocalVar<'ast> {
    pub name: String,
    /// Its type, written (`file: std::fs::File`) or inferred from a constructor
    /// (`let f = File::open(p)?`), smart pointers peeled (`Arc<Mutex<T>>` → `std::sync::Mutex`).
    pub ty: Option<QualifiedName>,
    pub origin: StrOrigin,
    pub init: Option<&'ast Expr>,
    pub span: Span,
    /// A parameter of the current function.
    pub is_param: bool,
}

/// The variables in scope, innermost scope last. Function boundaries hide outer variables.
#[derive(Default)]
pub struct Locals<'ast> {
    scopes: Vec<Vec<LocalVar<'ast>>>,
    /// Index of the first scope visible from the current function.
    barriers: Vec<usize>,
}

impl<'ast> Locals<'ast> {
    pub fn push_scope(&mut self) {
        self.scopes.push(Vec::new());
    }

    pub fn pop_scope(&mut self) {
        self.scopes.pop();
    }

    /// Enter a function item: variables of enclosing functions are not visible in it.
    pub fn push_fn(&mut self) {
        self.barriers.push(self.scopes.len());
        self.scopes.push(Vec::new());
    }

    pub fn pop_fn(&mut self) {
        if let Some(b) = self.barriers.pop() {
            self.scopes.truncate(b);
        }
    }

    pub fn bind(&mut self, var: LocalVar<'ast>) {
        if self.scopes.is_empty() {
            self.scopes.push(Vec::new());
        }
        self.scopes.last_mut().expect("a scope").push(var);
    }

    fn visible(&self) -> &[Vec<LocalVar<'ast>>] {
        let from = self.barriers.last().copied().unwrap_or(0);
        &self.scopes[from.min(self.scopes.len())..]
    }

    pub fn get(&self, name: &str) -> Option<&LocalVar<'ast>> {
        self.visible()
            .iter()
            .rev()
            .find_map(|s| s.iter().rev().find(|v| v.name == name))
    }

    pub fn get_mut(&mut self, name: &str) -> Option<&mut LocalVar<'ast>> {
        let from = self
            .barriers
            .last()
            .copied()
            .unwrap_or(0)
            .min(self.scopes.len());
        self.scopes[from..]
            .iter_mut()
            .rev()
            .find_map(|s| s.iter_mut().rev().find(|v| v.name == name))
    }

    /// The binding of the same name that `var` shadows (`let app = app.layer(l);` → the previous
    /// `app`).
    pub fn shadowed(&self, var: &LocalVar<'ast>) -> Option<&LocalVar<'ast>> {
        let mut found = false;
        for scope in self.visible().iter().rev() {
            for v in scope.iter().rev() {
                if found && v.name == var.name {
                    return Some(v);
                }
                if std::ptr::eq(v, var) {
                    found = true;
                }
            }
        }
        None
    }

    pub fn is_local(&self, name: &str) -> bool {
        self.get(name).is_some()
    }
}

/// The identifiers a pattern binds, each with the type the pattern gives it: `State(pool):
/// State<PgPool>` binds `pool: PgPool` (single-field wrappers, as extractors are, pass their
/// generic argument on).
pub fn pattern_bindings<'p>(
    pat: &'p Pat,
    ty: Option<&'p Type>,
    out: &mut Vec<(&'p syn::Ident, Option<&'p Type>)>,
) {
    match pat {
        Pat::Ident(p) => {
            out.push((&p.ident, ty));
            if let Some((_, sub)) = &p.subpat {
                pattern_bindings(sub, ty, out);
            }
        }
        Pat::Type(t) => pattern_bindings(&t.pat, Some(&t.ty), out),
        Pat::Reference(r) => pattern_bindings(&r.pat, ty.map(strip_reference), out),
        Pat::TupleStruct(ts) => {
            let inner = if ts.elems.len() == 1 {
                ty.and_then(first_generic_arg)
            } else {
                None
            };
            for e in &ts.elems {
                pattern_bindings(e, inner, out);
            }
        }
        Pat::Tuple(t) => {
            let elem_tys: Vec<&Type> = match ty {
                Some(Type::Tuple(tt)) => tt.elems.iter().collect(),
                _ => Vec::new(),
            };
            for (i, e) in t.elems.iter().enumerate() {
                pattern_bindings(e, elem_tys.get(i).copied(), out);
            }
        }
        Pat::Struct(s) => {
            for f in &s.fields {
                pattern_bindings(&f.pat, None, out);
            }
        }
        Pat::Slice(s) => {
            for e in &s.elems {
                pattern_bindings(e, None, out);
            }
        }
        Pat::Or(o) => {
            if let Some(first) = o.cases.first() {
                pattern_bindings(first, ty, out);
            }
        }
        Pat::Paren(p) => pattern_bindings(&p.pat, ty, out),
        Pat::Guard(g) => pattern_bindings(&g.pat, ty, out),
        _ => {}
    }
}

pub fn strip_reference(ty: &Type) -> &Type {
    match ty {
        Type::Reference(r) => strip_reference(&r.elem),
        Type::Paren(p) => strip_reference(&p.elem),
        Type::Group(g) => strip_reference(&g.elem),
        other => other,
    }
}

/// The first generic type argument of a path type (`State<AppState>` → `AppState`).
pub fn first_generic_arg(ty: &Type) -> Option<&Type> {
    let Type::Path(p) = strip_reference(ty) else {
        return None;
    };
    let last = p.path.segments.last()?;
    let syn::PathArguments::AngleBracketed(args) = &last.arguments else {
        return None;
    };
    args.args.iter().find_map(|a| match a {
        syn::GenericArgument::Type(t) => Some(t),
        _ => None,
    })
}

/// The generic type arguments of a path type.
pub fn generic_args(ty: &Type) -> Vec<&Type> {
    let Type::Path(p) = strip_reference(ty) else {
        return Vec::new();
    };
    let Some(last) = p.path.segments.last() else {
        return Vec::new();
    };
    let syn::PathArguments::AngleBracketed(args) = &last.arguments else {
        return Vec::new();
    };
    args.args
        .iter()
        .filter_map(|a| match a {
            syn::GenericArgument::Type(t) => Some(t),
            _ => None,
        })
        .collect()
}

/// Wrappers whose value is what they wrap, for method-receiver purposes.
pub const TRANSPARENT_WRAPPERS: &[&str] = &[
    "std::sync::Arc",
    "std::rc::Rc",
    "std::boxed::Box",
    "actix_web::web::Data",
    "axum::extract::State",
    "axum::Extension",
    "axum::extract::Extension",
    "std::cell::RefCell",
    "rocket::State",
    "poem::web::Data",
];

/// Functions returning a tuple of known types, so that `let (tx, rx) = mpsc::channel();` types
/// both halves.
pub const TUPLE_RETURNING: &[(&str, &[&str])] = &[
    (
        "std::sync::mpsc::channel",
        &["std::sync::mpsc::Sender", "std::sync::mpsc::Receiver"],
    ),
    (
        "std::sync::mpsc::sync_channel",
        &["std::sync::mpsc::SyncSender", "std::sync::mpsc::Receiver"],
    ),
    (
        "crossbeam_channel::unbounded",
        &["crossbeam_channel::Sender", "crossbeam_channel::Receiver"],
    ),
    (
        "crossbeam_channel::bounded",
        &["crossbeam_channel::Sender", "crossbeam_channel::Receiver"],
    ),
    (
        "crossbeam::channel::unbounded",
        &["crossbeam::channel::Sender", "crossbeam::channel::Receiver"],
    ),
    (
        "crossbeam::channel::bounded",
        &["crossbeam::channel::Sender", "crossbeam::channel::Receiver"],
    ),
    ("flume::unbounded", &["flume::Sender", "flume::Receiver"]),
    ("flume::bounded", &["flume::Sender", "flume::Receiver"]),
    (
        "async_channel::unbounded",
        &["async_channel::Sender", "async_channel::Receiver"],
    ),
    (
        "async_channel::bounded",
        &["async_channel::Sender", "async_channel::Receiver"],
    ),
    (
        "tokio::sync::mpsc::channel",
        &["tokio::sync::mpsc::Sender", "tokio::sync::mpsc::Receiver"],
    ),
    (
        "tokio::sync::mpsc::unbounded_channel",
        &[
            "tokio::sync::mpsc::UnboundedSender",
            "tokio::sync::mpsc::UnboundedReceiver",
        ],
    ),
    (
        "tokio::sync::oneshot::channel",
        &[
            "tokio::sync::oneshot::Sender",
            "tokio::sync::oneshot::Receiver",
        ],
    ),
    (
        "tokio::sync::broadcast::channel",
        &[
            "tokio::sync::broadcast::Sender",
            "tokio::sync::broadcast::Receiver",
        ],
    ),
    (
        "tokio::sync::watch::channel",
        &["tokio::sync::watch::Sender", "tokio::sync::watch::Receiver"],
    ),
];

/// The types of a tuple a known function returns (see [`TUPLE_RETURNING`]).
pub fn tuple_returned(path: &str) -> Option<&'static [&'static str]> {
    TUPLE_RETURNING
        .iter()
        .find(|(p, _)| *p == path)
        .map(|(_, tys)| *tys)
}

/// Methods that hand back (a view of) their receiver's value.
pub const VALUE_PRESERVING_METHODS: &[&str] = &[
    "clone",
    "as_ref",
    "as_mut",
    "borrow",
    "borrow_mut",
    "unwrap",
    "expect",
    "deref",
    "deref_mut",
    "get_ref",
    "get_mut",
    "unwrap_or_default",
    "to_owned",
    "into_inner",
];

/// Span of an expression, for `Built` origins.
pub fn span_of(e: &Expr) -> Span {
    e.span()
}
