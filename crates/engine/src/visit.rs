//! The single walk of a file. [`Walker`] keeps the semantic model current (imports, scopes, locals,
//! the function being walked) and calls every rule registered for the node it is on; [`Cx`] is what
//! a rule sees.

use std::sync::Arc;

use proc_macro2::Span;
use rustc_hash::FxHashMap;
use syn::spanned::Spanned;
use syn::visit::Visit;
use syn::{Expr, FnArg, Item, Pat, Type};

use crate::config::Config;
use crate::diagnostic::{normalized_hash, Diagnostic, Loc, Requirement};
use crate::layers::Role;
use crate::project::{FileInfo, Project};
use crate::rule::{new_diag, Fact, Rule, RuleMeta};
use crate::semantic::handlers::{self, has_route_attr, is_routing_fn, takes_extractor};
use crate::semantic::macros::{inline_captures, parse_macro_args, MacroArgs};
use crate::semantic::names::QualifiedName;
use crate::semantic::resolve::{Resolver, UseBinding};
use crate::semantic::scope::{is_cfg_test, is_test_attr, FnInfo, Frame, Frames, HandlerStatus};
use crate::semantic::values::{
    first_generic_arg, pattern_bindings, strip_reference, LocalVar, Locals, StrOrigin,
    TRANSPARENT_WRAPPERS, VALUE_PRESERVING_METHODS,
};
use crate::source::SourceText;

/// A call whose callee is a path: `std::fs::read(p)`, `UserService::new(repo)`.
pub struct Call<'ast> {
    pub expr: &'ast syn::ExprCall,
    /// The callee, resolved (None for `(self.f)(x)` and closures).
    pub path: Option<QualifiedName>,
    /// The call is the operand of `.await`.
    pub awaited: bool,
}

impl Call<'_> {
    pub fn args(&self) -> impl Iterator<Item = &Expr> {
        self.expr.args.iter()
    }

    pub fn arg(&self, i: usize) -> Option<&Expr> {
        self.expr.args.iter().nth(i)
    }

    pub fn span(&self) -> Span {
        self.expr.span()
    }

    /// The span of the callee path only (`std::fs::read` in `std::fs::read(p)`).
    pub fn callee_span(&self) -> Span {
        self.expr.func.span()
    }
}

/// A method call: `conn.execute(q)`.
pub struct MethodCall<'ast> {
    pub expr: &'ast syn::ExprMethodCall,
    pub method: String,
    pub awaited: bool,
}

impl MethodCall<'_> {
    pub fn receiver(&self) -> &Expr {
        &self.expr.receiver
    }

    pub fn args(&self) -> impl Iterator<Item = &Expr> {
        self.expr.args.iter()
    }

    pub fn arg(&self, i: usize) -> Option<&Expr> {
        self.expr.args.iter().nth(i)
    }

    pub fn arg_count(&self) -> usize {
        self.expr.args.len()
    }

    /// From the method name to the end of the call (`.execute(&pool)`), for pointing at it.
    pub fn method_span(&self) -> Span {
        let start = self.expr.method.span();
        start
            .join(self.expr.paren_token.span.close())
            .unwrap_or(start)
    }

    pub fn span(&self) -> Span {
        self.expr.span()
    }
}

/// A macro invocation with its resolved path and parsed arguments.
pub struct MacroCall<'ast> {
    pub mac: &'ast syn::Macro,
    pub path: Option<QualifiedName>,
    pub args: &'ast MacroArgs,
}

impl MacroCall<'_> {
    /// The macro's name (last path segment).
    pub fn name(&self) -> String {
        self.mac
            .path
            .segments
            .last()
            .map(|s| s.ident.to_string())
            .unwrap_or_default()
    }

    pub fn span(&self) -> Span {
        self.mac.span()
    }
}

/// A function with a body.
pub struct FnNode<'ast> {
    pub sig: &'ast syn::Signature,
    pub attrs: &'ast [syn::Attribute],
    pub vis: Option<&'ast syn::Visibility>,
    pub block: &'ast syn::Block,
}

/// One leaf of a `use` tree.
pub struct UseLeaf<'ast> {
    pub item: &'ast syn::ItemUse,
    pub binding: UseBinding,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PathKind {
    Expr,
    Type,
    Pattern,
    /// A trait bound (`T: UserRepository`, `impl Trait`).
    Bound,
    /// A struct literal's type (`User { .. }`).
    StructLit,
    /// The trait of an `impl Trait for T`.
    ImplTrait,
}

/// A path in code. Resolution is done on first use: most rules look at a path only in some
/// layers or functions, and there are many paths.
pub struct PathRef<'ast> {
    pub path: &'ast syn::Path,
    pub kind: PathKind,
    resolved: std::cell::OnceCell<Option<QualifiedName>>,
}

impl PathRef<'_> {
    /// The canonical path (None for local variables and what cannot be resolved).
    pub fn resolved(&self, cx: &Cx<'_, '_>) -> Option<&QualifiedName> {
        self.resolved
            .get_or_init(|| match self.kind {
                PathKind::Expr => cx.resolve_value_path(self.path),
                _ => cx.resolve(self.path),
            })
            .as_ref()
    }

    pub fn span(&self) -> Span {
        self.path.span()
    }
}

/// What the walk of one file produces.
#[derive(Default)]
pub struct FileOutput {
    pub diags: Vec<Diagnostic>,
    /// (rule index, fact)
    pub facts: Vec<(usize, Fact)>,
    /// Canonical paths of functions registered as route handlers in this file.
    pub handlers: Vec<String>,
    /// `pub use` re-exports: (alias path, target path); globs as `module::*`.
    pub reexports: Vec<(String, String)>,
}

/// A rule's view of the file being walked: the semantic model, and where to report.
pub struct Cx<'a, 'ast> {
    info: &'a FileInfo,
    project: &'a Project,
    config: &'a Config,
    source: &'a SourceText,
    resolver: Resolver,
    frames: Frames<'ast>,
    locals: Locals<'ast>,
    /// struct canonical path → its named fields with their (peeled) types
    fields: FxHashMap<String, Vec<(String, Option<QualifiedName>)>>,
    item_path: Vec<String>,
    item_key: Arc<str>,
    out: FileOutput,
    metas: &'a [&'static RuleMeta],
    current: usize,
    /// Address of the expression that is the operand of the innermost `.await` being walked.
    awaited: usize,
}

impl<'a, 'ast> Cx<'a, 'ast> {
    // ---- the file ----------------------------------------------------------------------

    pub fn file(&self) -> &'a FileInfo {
        self.info
    }

    pub fn project(&self) -> &'a Project {
        self.project
    }

    pub fn config(&self) -> &'a Config {
        self.config
    }

    pub fn source(&self) -> &'a SourceText {
        self.source
    }

    /// The role of the file's layer (`Api`, `Services`, …).
    pub fn role(&self) -> Option<Role> {
        self.info.role
    }

    /// The source text under a span.
    pub fn text_of(&self, span: Span) -> &'a str {
        let r = span.byte_range();
        self.source.text().get(r).unwrap_or("")
    }

    // ---- names ---------------------------------------------------------------------------

    pub fn resolver(&self) -> &Resolver {
        &self.resolver
    }

    /// Resolve a path to its canonical name.
    pub fn resolve(&self, path: &syn::Path) -> Option<QualifiedName> {
        self.resolver.resolve(path)
    }

    /// Resolve a path used as a value: a single identifier that is a local variable resolves to
    /// nothing.
    pub fn resolve_value_path(&self, path: &syn::Path) -> Option<QualifiedName> {
        if path.segments.len() == 1 && path.leading_colon.is_none() {
            let ident = &path.segments[0].ident;
            if self.locals.is_local(&ident.to_string()) {
                return None;
            }
        }
        self.resolver.resolve(path)
    }

    /// Resolve an expression that is a path (`sqlx::query`, `File::open`).
    pub fn resolve_expr(&self, e: &Expr) -> Option<QualifiedName> {
        match e {
            Expr::Path(p) if p.qself.is_none() => self.resolve_value_path(&p.path),
            Expr::Path(p) => {
                // <T as Trait>::f → Trait::f
                let q = p.qself.as_ref()?;
                if q.position > 0 {
                    let mut trait_path = p.path.clone();
                    let rest: Vec<_> = trait_path
                        .segments
                        .iter()
                        .skip(q.position)
                        .cloned()
                        .collect();
                    while trait_path.segments.len() > q.position {
                        trait_path.segments.pop();
                    }
                    let base = self.resolver.resolve(&trait_path)?;
                    let mut s = base.into_string();
                    for seg in rest {
                        s.push_str("::");
                        s.push_str(&seg.ident.to_string());
                    }
                    Some(QualifiedName::new(s))
                } else {
                    let ty = self.resolve_type(&q.ty)?;
                    let mut s = ty.into_string();
                    for seg in &p.path.segments {
                        s.push_str("::");
                        s.push_str(&seg.ident.to_string());
                    }
                    Some(QualifiedName::new(s))
                }
            }
            Expr::Paren(p) => self.resolve_expr(&p.expr),
            Expr::Group(g) => self.resolve_expr(&g.expr),
            _ => None,
        }
    }

    /// Resolve a type to the path of its outermost named type (`&mut PgConnection` →
    /// `sqlx::postgres::PgConnection`).
    pub fn resolve_type(&self, ty: &Type) -> Option<QualifiedName> {
        match strip_reference(ty) {
            Type::Path(p) => {
                if p.qself.is_none()
                    && p.path.segments.len() == 1
                    && p.path.segments[0].ident == "Self"
                {
                    return self.resolver.self_type().cloned();
                }
                self.resolver.resolve(&p.path)
            }
            Type::ImplTrait(it) => it.bounds.iter().find_map(|b| match b {
                syn::TypeParamBound::Trait(t) => self.resolver.resolve(&t.path),
                _ => None,
            }),
            Type::TraitObject(to) => to.bounds.iter().find_map(|b| match b {
                syn::TypeParamBound::Trait(t) => self.resolver.resolve(&t.path),
                _ => None,
            }),
            _ => None,
        }
    }

    /// Resolve a type, looking through `Arc`, `Box`, `web::Data`, `State`, … to what they wrap.
    pub fn resolve_type_peeled(&self, ty: &Type) -> Option<QualifiedName> {
        let mut ty = ty;
        for _ in 0..8 {
            let q = self.resolve_type(ty)?;
            if TRANSPARENT_WRAPPERS.contains(&q.as_str()) {
                match first_generic_arg(ty) {
                    Some(inner) => {
                        ty = inner;
                        continue;
                    }
                    None => return Some(q),
                }
            }
            return Some(q);
        }
        None
    }

    // ---- where we are ----------------------------------------------------------------------

    /// Code here runs on the async executor (see [`Frames::in_async`]).
    pub fn in_async(&self) -> bool {
        self.frames.in_async()
    }

    pub fn in_escape_hatch(&self) -> bool {
        self.frames.in_escape_hatch()
    }

    pub fn in_loop(&self) -> bool {
        self.frames.in_loop()
    }

    pub fn in_closure(&self) -> bool {
        self.frames.in_closure()
    }

    /// Test code (test file, `#[cfg(test)]`, `#[test]`).
    pub fn in_test(&self) -> bool {
        self.frames.in_test() || self.info.is_test
    }

    pub fn in_static_init(&self) -> bool {
        self.frames.in_static_init()
    }

    pub fn current_fn(&self) -> Option<&FnInfo<'ast>> {
        self.frames.current_fn()
    }

    /// The innermost impl: (self type, trait).
    pub fn current_impl(&self) -> Option<(Option<&QualifiedName>, Option<&QualifiedName>)> {
        self.frames.current_impl()
    }

    pub fn frames(&self) -> &Frames<'ast> {
        &self.frames
    }

    /// Is the current function certainly a request handler?
    pub fn in_handler(&self) -> bool {
        self.current_fn()
            .is_some_and(|f| f.handler == HandlerStatus::Yes)
    }

    /// Is `e` the operand of `.await`?
    pub fn is_awaited(&self, e: &Expr) -> bool {
        self.awaited == e as *const Expr as usize
    }

    // ---- values ------------------------------------------------------------------------------

    pub fn local(&self, name: &str) -> Option<&LocalVar<'ast>> {
        self.locals.get(name)
    }

    /// The local variable an expression names (`x`, `&x`, `x.as_str()`), if any.
    pub fn local_of(&self, e: &Expr) -> Option<&LocalVar<'ast>> {
        match e {
            Expr::Path(p) if p.path.segments.len() == 1 && p.qself.is_none() => {
                self.locals.get(&p.path.segments[0].ident.to_string())
            }
            Expr::Reference(r) => self.local_of(&r.expr),
            Expr::Paren(p) => self.local_of(&p.expr),
            Expr::Unary(u) if matches!(u.op, syn::UnOp::Deref(_)) => self.local_of(&u.expr),
            Expr::MethodCall(m)
                if matches!(
                    m.method.to_string().as_str(),
                    "as_str" | "as_ref" | "clone" | "borrow"
                ) =>
            {
                self.local_of(&m.receiver)
            }
            _ => None,
        }
    }

    /// The type of an expression, as far as signatures, `let` annotations, constructors and
    /// struct fields tell.
    pub fn expr_type(&self, e: &Expr) -> Option<QualifiedName> {
        match e {
            Expr::Path(p) if p.qself.is_none() && p.path.segments.len() == 1 => {
                let ident = &p.path.segments[0].ident;
                if ident == "self" {
                    return self.resolver.self_type().cloned();
                }
                self.locals.get(&ident.to_string())?.ty.clone()
            }
            Expr::Field(f) => {
                let base = self.expr_type(&f.base)?;
                let syn::Member::Named(name) = &f.member else {
                    return None;
                };
                let fields = self.fields.get(base.as_str())?;
                fields
                    .iter()
                    .find(|(n, _)| name == n)
                    .and_then(|(_, t)| t.clone())
            }
            Expr::MethodCall(m)
                if VALUE_PRESERVING_METHODS.contains(&m.method.to_string().as_str()) =>
            {
                self.expr_type(&m.receiver)
            }
            Expr::Call(c) => {
                let q = self.resolve_expr(&c.func)?;
                if q.is_associated() {
                    q.parent()
                } else {
                    None
                }
            }
            Expr::Struct(s) => self.resolve(&s.path),
            Expr::Try(t) => self.expr_type(&t.expr),
            Expr::Await(a) => self.expr_type(&a.base),
            Expr::Paren(p) => self.expr_type(&p.expr),
            Expr::Group(g) => self.expr_type(&g.expr),
            Expr::Reference(r) => self.expr_type(&r.expr),
            Expr::Unary(u) if matches!(u.op, syn::UnOp::Deref(_)) => self.expr_type(&u.expr),
            _ => None,
        }
    }

    /// The type at the root of a method chain (`Command::new("x").arg(y).output()` →
    /// `std::process::Command`): builders return themselves, so this is usually the receiver's
    /// type too.
    pub fn chain_root_type(&self, e: &Expr) -> Option<QualifiedName> {
        let mut e = e;
        loop {
            match e {
                Expr::MethodCall(m) => e = &m.receiver,
                Expr::Try(t) => e = &t.expr,
                Expr::Await(a) => e = &a.base,
                Expr::Paren(p) => e = &p.expr,
                _ => return self.expr_type(e),
            }
        }
    }

    /// The root expression of a method chain (`a.b().c()?.d()` → `a`).
    pub fn chain_root<'e>(&self, e: &'e Expr) -> &'e Expr {
        chain_root(e)
    }

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
                } else {
                    StrOrigin::Opaque
                }
            }
            Expr::Call(c) if c.args.len() == 1 => match self.resolve_expr(&c.func) {
                Some(q)
                    if q.is_any(&[
                        "std::string::String::from",
                        "std::string::ToString::to_string",
                        "std::borrow::Cow::from",
                        "std::convert::From::from",
                        "std::convert::Into::into",
                        "std::borrow::Cow::Borrowed",
                        "std::borrow::Cow::Owned",
                    ]) =>
                {
                    self.str_origin(&c.args[0])
                }
                _ => StrOrigin::Opaque,
            },
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

    // ---- reporting ---------------------------------------------------------------------------

    /// The location of a span in this file.
    pub fn loc(&self, span: Span) -> Loc {
        let r = span.byte_range();
        self.loc_range(r.start, r.end)
    }

    /// The location from the start of `a` to the end of `b`.
    pub fn loc_between(&self, a: Span, b: Span) -> Loc {
        self.loc_range(a.byte_range().start, b.byte_range().end)
    }

    /// A location from offsets into the parsed text.
    pub fn loc_range(&self, start: usize, end: usize) -> Loc {
        let text = self.source.text();
        let end = end.min(text.len());
        let start = start.min(end);
        Loc {
            file: self.info.rel.clone(),
            start: self.source.file_offset(start),
            end: self.source.file_offset(end),
            start_pos: self.source.position(start),
            end_pos: self.source.position(end),
            item: self.item_key.clone(),
            snippet_hash: normalized_hash(text.get(start..end).unwrap_or("")),
        }
    }

    fn meta(&self) -> &'static RuleMeta {
        self.metas[self.current]
    }

    /// A diagnostic of the current rule at `span`.
    pub fn diag(&self, span: Span, message: impl Into<String>) -> Diagnostic {
        new_diag(self.meta(), self.loc(span), message)
    }

    pub fn diag_at(&self, loc: Loc, message: impl Into<String>) -> Diagnostic {
        new_diag(self.meta(), loc, message)
    }

    pub fn report(&mut self, d: Diagnostic) {
        self.out.diags.push(d);
    }

    /// Report a finding that holds only if the current function is a request handler: at once when
    /// that is known, or on condition that a router registers it.
    pub fn report_in_handler(&mut self, mut d: Diagnostic) {
        match self.current_fn().map(|f| f.handler.clone()) {
            Some(HandlerStatus::Yes) => self.out.diags.push(d),
            Some(HandlerStatus::IfRegistered(path)) => {
                d.requires = Some(Requirement::FnIsHandler(path));
                self.out.diags.push(d);
            }
            _ => {}
        }
    }

    /// Record a fact for the current rule's `check_project`.
    pub fn fact<T: std::any::Any + Send + Sync>(&mut self, fact: T) {
        self.out.facts.push((self.current, Box::new(fact)));
    }

    /// The name of the current item, for messages (`UserService::create`).
    pub fn item_name(&self) -> &str {
        &self.item_key
    }

    // ---- walk bookkeeping ---------------------------------------------------------------------

    fn push_item(&mut self, name: String) {
        self.item_path.push(name);
        self.item_key = Arc::from(self.item_path.join("::"));
    }

    fn pop_item(&mut self) {
        self.item_path.pop();
        self.item_key = Arc::from(self.item_path.join("::"));
    }

    fn bind_pattern(
        &mut self,
        pat: &'ast Pat,
        ty: Option<&'ast Type>,
        init: Option<&'ast Expr>,
        is_param: bool,
    ) {
        let mut binds = Vec::new();
        pattern_bindings(pat, ty, &mut binds);
        let single = binds.len() == 1 && matches!(pat, Pat::Ident(_) | Pat::Type(_));
        for (ident, ty) in binds {
            let ty_q = match ty {
                Some(t) => self.resolve_type_peeled(t),
                None if single => init.and_then(|e| self.expr_type(e)),
                None => None,
            };
            let origin = match init {
                Some(e) if single => self.str_origin(e),
                _ => StrOrigin::Opaque,
            };
            self.locals.bind(LocalVar {
                name: ident.to_string(),
                ty: ty_q,
                origin,
                init: if single { init } else { None },
                span: ident.span(),
                is_param,
            });
        }
    }

    fn collect_fields(&mut self, items: &'ast [Item]) {
        for item in items {
            if let Item::Struct(s) = item {
                let q = self.resolver.item_qname(&s.ident.to_string());
                let fields = s
                    .fields
                    .iter()
                    .filter_map(|f| {
                        Some((
                            f.ident.as_ref()?.to_string(),
                            self.resolve_type_peeled(&f.ty),
                        ))
                    })
                    .collect();
                self.fields.insert(q.into_string(), fields);
            }
        }
    }
}

fn is_const_name(name: &str) -> bool {
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

/// The root expression of a method chain.
pub fn chain_root(e: &Expr) -> &Expr {
    let mut e = e;
    loop {
        match e {
            Expr::MethodCall(m) => e = &m.receiver,
            Expr::Try(t) => e = &t.expr,
            Expr::Await(a) => e = &a.base,
            Expr::Paren(p) => e = &p.expr,
            Expr::Field(f) => e = &f.base,
            _ => return e,
        }
    }
}

/// Calls whose closure argument runs off the async executor.
pub const ESCAPE_HATCH_FNS: &[&str] = &[
    "tokio::task::spawn_blocking",
    "tokio::task::block_in_place",
    "tokio::runtime::Handle::spawn_blocking",
    "actix_web::web::block",
    "actix_rt::task::spawn_blocking",
    "actix_threadpool::run",
    "std::thread::spawn",
    "std::thread::scope",
    "rayon::spawn",
    "rayon::scope",
    "rayon::join",
    "async_std::task::spawn_blocking",
    "smol::unblock",
    "blocking::unblock",
    "tokio_rusqlite::Connection::call",
];

/// Method names whose closure argument runs off the executor: tokio `Handle::spawn_blocking`,
/// deadpool `Object::interact`, rayon `ThreadPool::install`.
pub const ESCAPE_HATCH_METHODS: &[&str] = &[
    "spawn_blocking",
    "block_in_place",
    "interact",
    "install",
    "unblock",
];

// -------------------------------------------------------------------------------------------------

/// One dispatch list per hook, built per file from the rules enabled there.
pub struct Dispatch<'r> {
    pub rules: &'r [Box<dyn Rule>],
    pub lists: [Vec<usize>; 14],
}

impl<'r> Dispatch<'r> {
    pub fn new(rules: &'r [Box<dyn Rule>], enabled: &[bool]) -> Dispatch<'r> {
        let mut lists: [Vec<usize>; 14] = Default::default();
        for (i, r) in rules.iter().enumerate() {
            if !enabled.get(i).copied().unwrap_or(false) {
                continue;
            }
            let bits = r.hooks().bits();
            for (h, list) in lists.iter_mut().enumerate() {
                if bits & (1 << h) != 0 {
                    list.push(i);
                }
            }
        }
        Dispatch { rules, lists }
    }

    pub fn has(&self, hook: crate::rule::Hooks) -> bool {
        !self.lists[hook.bits().trailing_zeros() as usize].is_empty()
    }
}

const H_FILE: usize = 0;
const H_ITEM: usize = 1;
const H_FN: usize = 2;
const H_CALL: usize = 3;
const H_METHOD: usize = 4;
const H_MACRO: usize = 5;
const H_USE: usize = 6;
const H_PATH: usize = 7;
const H_EXPR: usize = 8;
const H_LOCAL: usize = 9;
const H_FN_EXIT: usize = 10;
const H_BLOCK: usize = 13;

/// Walks one parsed file once, dispatching to rules.
pub struct Walker<'a, 'ast, 'r> {
    pub cx: Cx<'a, 'ast>,
    d: &'a Dispatch<'r>,
    arena: &'ast typed_arena::Arena<MacroArgs>,
    escape_hatches: &'a [String],
}

macro_rules! dispatch {
    ($self:ident, $hook:expr, |$r:ident, $cx:ident| $body:expr) => {{
        let d = $self.d;
        for &i in &d.lists[$hook] {
            $self.cx.current = i;
            let $r: &dyn Rule = &*d.rules[i];
            let $cx = &mut $self.cx;
            $body;
        }
    }};
}

impl<'a, 'ast, 'r> Walker<'a, 'ast, 'r> {
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        info: &'a FileInfo,
        project: &'a Project,
        config: &'a Config,
        source: &'a SourceText,
        metas: &'a [&'static RuleMeta],
        d: &'a Dispatch<'r>,
        arena: &'ast typed_arena::Arena<MacroArgs>,
        escape_hatches: &'a [String],
    ) -> Self {
        let krate = project.crate_of(info);
        let crate_name = krate.map(|c| c.name.as_str()).unwrap_or("crate");
        let renames = krate.map(|c| c.renames.clone()).unwrap_or_default();
        let mut frames = Frames::default();
        frames.file_is_test = info.is_test;
        Walker {
            cx: Cx {
                info,
                project,
                config,
                source,
                resolver: Resolver::new(crate_name, renames),
                frames,
                locals: Locals::default(),
                fields: FxHashMap::default(),
                item_path: Vec::new(),
                item_key: Arc::from(""),
                out: FileOutput::default(),
                metas,
                current: 0,
                awaited: 0,
            },
            d,
            arena,
            escape_hatches,
        }
    }

    pub fn walk_file(mut self, file: &'ast syn::File) -> FileOutput {
        if file.attrs.iter().any(is_cfg_test) {
            self.cx.frames.file_is_test = true;
        }
        let module: Vec<String> = if self.cx.info.module.is_empty() {
            Vec::new()
        } else {
            self.cx
                .info
                .module
                .split("::")
                .map(str::to_string)
                .collect()
        };
        self.cx.resolver.push_module(module, &file.items);
        self.cx.collect_fields(&file.items);
        dispatch!(self, H_FILE, |r, cx| r.check_file(cx, file));
        for item in &file.items {
            self.visit_item(item);
        }
        self.cx.out
    }

    fn is_escape_call(&self, q: &QualifiedName) -> bool {
        ESCAPE_HATCH_FNS.contains(&q.as_str())
            || matches!(q.last(), "spawn_blocking" | "block_in_place" | "unblock")
            || self.escape_hatches.iter().any(|e| e == q.as_str())
    }

    fn walk_fn(
        &mut self,
        attrs: &'ast [syn::Attribute],
        vis: Option<&'ast syn::Visibility>,
        sig: &'ast syn::Signature,
        block: &'ast syn::Block,
        impl_of: Option<(Option<QualifiedName>, Option<QualifiedName>)>,
    ) {
        let name = sig.ident.to_string();
        let path = match &impl_of {
            Some((Some(ty), _)) => ty.join(&name).into_string(),
            _ => self.cx.resolver.item_qname(&name).into_string(),
        };
        let is_method = matches!(sig.inputs.first(), Some(FnArg::Receiver(_)));
        let is_async = sig.asyncness.is_some();
        let is_test = attrs.iter().any(|a| is_test_attr(a) || is_cfg_test(a));
        let handler = if has_route_attr(attrs, &self.cx.resolver) {
            HandlerStatus::Yes
        } else if is_async && !is_method && impl_of.as_ref().is_none_or(|(_, t)| t.is_none()) {
            if self.cx.info.role == Some(Role::Api) && takes_extractor(sig, &self.cx.resolver) {
                HandlerStatus::Yes
            } else {
                HandlerStatus::IfRegistered(path.clone())
            }
        } else {
            HandlerStatus::No
        };
        let info = FnInfo {
            sig,
            attrs,
            name: name.clone(),
            path,
            is_async,
            is_method,
            is_pub: vis.is_some_and(|v| matches!(v, syn::Visibility::Public(_))),
            is_test,
            handler,
            impl_of,
        };
        self.cx.frames.push(Frame::Fn(info));
        self.cx.locals.push_fn();
        self.cx.push_item(name);
        for input in &sig.inputs {
            if let FnArg::Typed(t) = input {
                self.cx.bind_pattern(&t.pat, Some(&t.ty), None, true);
            }
        }
        let node = FnNode {
            sig,
            attrs,
            vis,
            block,
        };
        dispatch!(self, H_FN, |r, cx| r.check_fn(cx, &node));
        self.visit_signature(sig);
        self.visit_block(block);
        dispatch!(self, H_FN_EXIT, |r, cx| r.check_fn_exit(cx, &node));
        self.cx.pop_item();
        self.cx.locals.pop_fn();
        self.cx.frames.pop();
    }

    fn dispatch_path(&mut self, path: &'ast syn::Path, kind: PathKind) {
        if self.d.lists[H_PATH].is_empty() {
            return;
        }
        let pr = PathRef {
            path,
            kind,
            resolved: std::cell::OnceCell::new(),
        };
        dispatch!(self, H_PATH, |r, cx| r.check_path(cx, &pr));
    }

    fn visit_macro_call(&mut self, mac: &'ast syn::Macro) {
        let path = self.cx.resolver.resolve_macro(&mac.path);
        let name = mac
            .path
            .segments
            .last()
            .map(|s| s.ident.to_string())
            .unwrap_or_default();
        let crate_ = path.as_ref().map(|p| p.first().to_string());
        let args: &'ast MacroArgs =
            self.arena
                .alloc(parse_macro_args(crate_.as_deref(), &name, &mac.tokens));
        // rocket: routes![a, b]
        if name == "routes" {
            for e in args.exprs() {
                if let Expr::Path(p) = e {
                    if let Some(q) = self.cx.resolve_value_path(&p.path) {
                        self.cx.out.handlers.push(q.into_string());
                    }
                }
            }
        }
        // write!(s, …) builds the string `s`
        if name == "write" || name == "writeln" {
            if let Some((target, rest)) = args.exprs().split_first() {
                let origin = self.cx.format_origin(rest, mac.span());
                self.note_string_growth(target, origin, mac.span());
            }
        }
        let call = MacroCall { mac, path, args };
        dispatch!(self, H_MACRO, |r, cx| r.check_macro(cx, &call));
        match args {
            MacroArgs::Exprs(exprs) => {
                for e in exprs {
                    self.visit_expr(e);
                }
            }
            MacroArgs::Log(l) => {
                for f in &l.fields {
                    if let Some(v) = &f.value {
                        self.visit_expr(v);
                    }
                }
                for e in &l.format_args {
                    self.visit_expr(e);
                }
            }
            MacroArgs::Opaque => {}
        }
    }

    /// `s.push_str(x)`, `s += x`, `write!(s, …)`: `s` now holds what `x` holds.
    fn note_string_growth(&mut self, target: &Expr, added: StrOrigin, at: Span) {
        let target = match target {
            Expr::Reference(r) => &*r.expr,
            other => other,
        };
        let Expr::Path(p) = target else { return };
        if p.path.segments.len() != 1 {
            return;
        }
        let name = p.path.segments[0].ident.to_string();
        if let Some(v) = self.cx.locals.get_mut(&name) {
            v.origin = match (v.origin, added) {
                (o, StrOrigin::Static) => o,
                (StrOrigin::Built(s), _) => StrOrigin::Built(s),
                (_, StrOrigin::Built(s)) => StrOrigin::Built(s),
                (_, StrOrigin::Opaque) => StrOrigin::Built(at),
            };
        }
    }

    fn note_registration_call(&mut self, q: &QualifiedName, call: &'ast syn::ExprCall) {
        if !is_routing_fn(q) {
            return;
        }
        if let Some(Expr::Path(p)) = call.args.iter().last() {
            if let Some(h) = self.cx.resolve_value_path(&p.path) {
                self.cx.out.handlers.push(h.into_string());
            }
        }
    }

    fn note_registration_method(&mut self, m: &'ast syn::ExprMethodCall, method: &str) {
        let Some(Expr::Path(p)) = m.args.iter().last() else {
            return;
        };
        let registers = match method {
            // actix: web::get().to(handler), route.to(handler)
            "to" => m.args.len() == 1,
            // axum: get(a).post(b)
            _ if handlers::ROUTER_METHODS.contains(&method) => {
                matches!(chain_root(&m.receiver), Expr::Call(c) if self.cx.resolve_expr(&c.func).is_some_and(|q| is_routing_fn(&q)))
            }
            _ => false,
        };
        if registers {
            if let Some(h) = self.cx.resolve_value_path(&p.path) {
                self.cx.out.handlers.push(h.into_string());
            }
        }
    }

    fn visit_closure_arg(&mut self, e: &'ast Expr, escape: bool) {
        match e {
            Expr::Closure(c) if escape => self.walk_closure(c, true),
            // `move || …` wrapped in parens or a reference
            Expr::Paren(p) if escape => self.visit_closure_arg(&p.expr, true),
            other => self.visit_expr(other),
        }
    }

    fn walk_closure(&mut self, c: &'ast syn::ExprClosure, escape: bool) {
        self.cx.frames.push(Frame::Closure {
            is_async: c.asyncness.is_some(),
            escape,
        });
        self.cx.locals.push_scope();
        for input in &c.inputs {
            self.cx.bind_pattern(input, None, None, false);
        }
        if let syn::ReturnType::Type(_, t) = &c.output {
            self.visit_type(t);
        }
        self.visit_expr(&c.body);
        self.cx.locals.pop_scope();
        self.cx.frames.pop();
    }

    fn visit_loop_body(&mut self, body: &'ast syn::Block) {
        self.cx.frames.push(Frame::Loop);
        self.visit_block(body);
        self.cx.frames.pop();
    }
}

impl<'a, 'ast, 'r> Visit<'ast> for Walker<'a, 'ast, 'r> {
    fn visit_attribute(&mut self, _: &'ast syn::Attribute) {}

    fn visit_item(&mut self, item: &'ast Item) {
        dispatch!(self, H_ITEM, |r, cx| r.check_item(cx, item));
        match item {
            Item::Fn(f) => self.walk_fn(&f.attrs, Some(&f.vis), &f.sig, &f.block, None),
            Item::Impl(imp) => {
                let self_ty = self.cx.resolve_type(&imp.self_ty);
                let trait_ = imp.trait_.as_ref().and_then(|(p, _)| self.cx.resolve(p));
                if let Some((p, _)) = &imp.trait_ {
                    self.dispatch_path(p, PathKind::ImplTrait);
                }
                let test = imp.attrs.iter().any(is_cfg_test);
                let name = match &*imp.self_ty {
                    Type::Path(p) => p
                        .path
                        .segments
                        .last()
                        .map(|s| s.ident.to_string())
                        .unwrap_or_default(),
                    _ => "impl".to_string(),
                };
                self.cx.resolver.push_self_type(self_ty.clone());
                self.cx.frames.push(Frame::Impl {
                    self_ty: self_ty.clone(),
                    trait_: trait_.clone(),
                    test,
                });
                self.cx.push_item(name);
                self.visit_generics(&imp.generics);
                self.visit_type(&imp.self_ty);
                for ii in &imp.items {
                    match ii {
                        syn::ImplItem::Fn(f) => self.walk_fn(
                            &f.attrs,
                            Some(&f.vis),
                            &f.sig,
                            &f.block,
                            Some((self_ty.clone(), trait_.clone())),
                        ),
                        syn::ImplItem::Const(c) => {
                            self.cx.frames.push(Frame::StaticInit);
                            self.visit_type(&c.ty);
                            self.visit_expr(&c.expr);
                            self.cx.frames.pop();
                        }
                        syn::ImplItem::Macro(m) => self.visit_macro_call(&m.mac),
                        other => syn::visit::visit_impl_item(self, other),
                    }
                }
                self.cx.pop_item();
                self.cx.frames.pop();
                self.cx.resolver.pop_self_type();
            }
            Item::Mod(m) => {
                if let Some((_, items)) = &m.content {
                    let name = m.ident.to_string();
                    let mut module = self.cx.resolver.module_path().to_vec();
                    module.push(name.clone());
                    self.cx.resolver.push_module(module, items);
                    self.cx.collect_fields(items);
                    self.cx.frames.push(Frame::Mod {
                        test: m.attrs.iter().any(is_cfg_test),
                    });
                    self.cx.push_item(name);
                    for i in items {
                        self.visit_item(i);
                    }
                    self.cx.pop_item();
                    self.cx.frames.pop();
                    self.cx.resolver.pop();
                }
            }
            Item::Trait(t) => {
                let q = self.cx.resolver.item_qname(&t.ident.to_string());
                self.cx.push_item(t.ident.to_string());
                self.cx.resolver.push_self_type(Some(q.clone()));
                self.visit_generics(&t.generics);
                for b in &t.supertraits {
                    self.visit_type_param_bound(b);
                }
                for ti in &t.items {
                    match ti {
                        syn::TraitItem::Fn(f) => match &f.default {
                            Some(body) => self.walk_fn(
                                &f.attrs,
                                None,
                                &f.sig,
                                body,
                                Some((Some(q.clone()), Some(q.clone()))),
                            ),
                            None => self.visit_signature(&f.sig),
                        },
                        other => syn::visit::visit_trait_item(self, other),
                    }
                }
                self.cx.resolver.pop_self_type();
                self.cx.pop_item();
            }
            Item::Use(u) => {
                let leaves = self.cx.resolver.use_leaves(u);
                let is_pub = !matches!(u.vis, syn::Visibility::Inherited);
                for binding in leaves {
                    if is_pub {
                        let alias = match &binding.name {
                            Some(n) => self.cx.resolver.item_qname(n).into_string(),
                            None if binding.is_glob => {
                                format!("{}::*", self.cx.resolver.module_qname())
                            }
                            None => continue,
                        };
                        self.cx
                            .out
                            .reexports
                            .push((alias, binding.target.as_str().to_string()));
                    }
                    let leaf = UseLeaf { item: u, binding };
                    dispatch!(self, H_USE, |r, cx| r.check_use(cx, &leaf));
                }
            }
            Item::Const(c) => {
                self.cx.frames.push(Frame::StaticInit);
                self.cx.push_item(c.ident.to_string());
                self.visit_type(&c.ty);
                self.visit_expr(&c.expr);
                self.cx.pop_item();
                self.cx.frames.pop();
            }
            Item::Static(s) => {
                self.cx.frames.push(Frame::StaticInit);
                self.cx.push_item(s.ident.to_string());
                self.visit_type(&s.ty);
                self.visit_expr(&s.expr);
                self.cx.pop_item();
                self.cx.frames.pop();
            }
            Item::Macro(m) => self.visit_macro_call(&m.mac),
            Item::Struct(s) => {
                self.cx.push_item(s.ident.to_string());
                syn::visit::visit_item_struct(self, s);
                self.cx.pop_item();
            }
            Item::Enum(e) => {
                self.cx.push_item(e.ident.to_string());
                syn::visit::visit_item_enum(self, e);
                self.cx.pop_item();
            }
            other => syn::visit::visit_item(self, other),
        }
    }

    fn visit_block(&mut self, b: &'ast syn::Block) {
        let items = b.stmts.iter().filter_map(|s| match s {
            syn::Stmt::Item(i) => Some(i),
            _ => None,
        });
        let scoped = self.cx.resolver.push_block(items);
        self.cx.locals.push_scope();
        dispatch!(self, H_BLOCK, |r, cx| r.check_block(cx, b));
        for s in &b.stmts {
            self.visit_stmt(s);
        }
        dispatch!(self, H_BLOCK, |r, cx| r.check_block_exit(cx, b));
        self.cx.locals.pop_scope();
        if scoped {
            self.cx.resolver.pop();
        }
    }

    fn visit_stmt(&mut self, s: &'ast syn::Stmt) {
        match s {
            syn::Stmt::Local(l) => {
                if let Some(init) = &l.init {
                    self.visit_expr(&init.expr);
                    if let Some((_, diverge)) = &init.diverge {
                        self.visit_expr(diverge);
                    }
                }
                self.visit_pat(&l.pat);
                dispatch!(self, H_LOCAL, |r, cx| r.check_local(cx, l));
                let (pat, ty) = match &l.pat {
                    Pat::Type(t) => (&*t.pat, Some(&*t.ty)),
                    p => (p, None),
                };
                self.cx
                    .bind_pattern(pat, ty, l.init.as_ref().map(|i| &*i.expr), false);
            }
            syn::Stmt::Macro(m) => self.visit_macro_call(&m.mac),
            syn::Stmt::Item(i) => self.visit_item(i),
            syn::Stmt::Expr(e, _) => self.visit_expr(e),
        }
    }

    fn visit_expr(&mut self, e: &'ast Expr) {
        let awaited = self.cx.awaited == e as *const Expr as usize;
        dispatch!(self, H_EXPR, |r, cx| r.check_expr(cx, e));
        match e {
            Expr::Call(c) => {
                let path = self.cx.resolve_expr(&c.func);
                if let Some(q) = &path {
                    self.note_registration_call(q, c);
                }
                let escape = path.as_ref().is_some_and(|q| self.is_escape_call(q));
                let call = Call {
                    expr: c,
                    path,
                    awaited,
                };
                dispatch!(self, H_CALL, |r, cx| r.check_call(cx, &call));
                self.visit_expr(&c.func);
                for arg in &c.args {
                    self.visit_closure_arg(arg, escape);
                }
            }
            Expr::MethodCall(m) => {
                let method = m.method.to_string();
                self.note_registration_method(m, &method);
                if matches!(
                    method.as_str(),
                    "push_str" | "insert_str" | "extend" | "write_str"
                ) {
                    if let Some(arg) = m.args.iter().last() {
                        let origin = self.cx.str_origin(arg);
                        self.note_string_growth(&m.receiver, origin, m.span());
                    }
                }
                let escape = ESCAPE_HATCH_METHODS.contains(&method.as_str())
                    || (method == "spawn"
                        && self
                            .cx
                            .chain_root_type(&m.receiver)
                            .is_some_and(|t| t.is("std::thread::Builder")));
                let call = MethodCall {
                    expr: m,
                    method,
                    awaited,
                };
                dispatch!(self, H_METHOD, |r, cx| r.check_method_call(cx, &call));
                self.visit_expr(&m.receiver);
                if let Some(t) = &m.turbofish {
                    self.visit_angle_bracketed_generic_arguments(t);
                }
                for arg in &m.args {
                    self.visit_closure_arg(arg, escape);
                }
            }
            Expr::Macro(m) => self.visit_macro_call(&m.mac),
            Expr::Closure(c) => self.walk_closure(c, false),
            Expr::Async(a) => {
                self.cx.frames.push(Frame::AsyncBlock);
                self.visit_block(&a.block);
                self.cx.frames.pop();
            }
            Expr::Await(a) => {
                let prev = self.cx.awaited;
                self.cx.awaited = &*a.base as *const Expr as usize;
                self.visit_expr(&a.base);
                self.cx.awaited = prev;
            }
            Expr::ForLoop(f) => {
                self.visit_expr(&f.expr);
                self.cx.frames.push(Frame::Loop);
                self.cx.locals.push_scope();
                self.visit_pat(&f.pat);
                self.cx.bind_pattern(&f.pat, None, None, false);
                self.visit_block(&f.body);
                self.cx.locals.pop_scope();
                self.cx.frames.pop();
            }
            Expr::While(w) => {
                self.cx.frames.push(Frame::Loop);
                self.cx.locals.push_scope();
                self.visit_expr(&w.cond);
                self.visit_block(&w.body);
                self.cx.locals.pop_scope();
                self.cx.frames.pop();
            }
            Expr::Loop(l) => self.visit_loop_body(&l.body),
            Expr::If(i) => {
                self.cx.locals.push_scope();
                self.visit_expr(&i.cond);
                self.visit_block(&i.then_branch);
                self.cx.locals.pop_scope();
                if let Some((_, e)) = &i.else_branch {
                    self.visit_expr(e);
                }
            }
            Expr::Let(l) => {
                self.visit_expr(&l.expr);
                self.visit_pat(&l.pat);
                self.cx.bind_pattern(&l.pat, None, None, false);
            }
            Expr::Match(m) => {
                self.visit_expr(&m.expr);
                for arm in &m.arms {
                    self.cx.locals.push_scope();
                    self.visit_pat(&arm.pat);
                    self.cx.bind_pattern(&arm.pat, None, None, false);
                    self.visit_expr(&arm.body);
                    self.cx.locals.pop_scope();
                }
            }
            Expr::Assign(a) => {
                self.visit_expr(&a.left);
                self.visit_expr(&a.right);
                if let Expr::Path(p) = &*a.left {
                    if p.path.segments.len() == 1 {
                        let origin = self.cx.str_origin(&a.right);
                        if let Some(v) = self
                            .cx
                            .locals
                            .get_mut(&p.path.segments[0].ident.to_string())
                        {
                            v.origin = origin;
                        }
                    }
                }
            }
            Expr::Binary(b) if matches!(b.op, syn::BinOp::AddAssign(_)) => {
                self.visit_expr(&b.left);
                self.visit_expr(&b.right);
                let origin = self.cx.str_origin(&b.right);
                self.note_string_growth(&b.left, origin, b.span());
            }
            Expr::Path(p) => {
                if let Some(q) = &p.qself {
                    self.visit_type(&q.ty);
                }
                self.dispatch_path(&p.path, PathKind::Expr);
                self.visit_path(&p.path);
            }
            Expr::Struct(s) => {
                self.dispatch_path(&s.path, PathKind::StructLit);
                self.visit_path(&s.path);
                for f in &s.fields {
                    self.visit_expr(&f.expr);
                }
                if let Some(rest) = &s.rest {
                    self.visit_expr(rest);
                }
            }
            other => syn::visit::visit_expr(self, other),
        }
    }

    fn visit_type_path(&mut self, t: &'ast syn::TypePath) {
        if let Some(q) = &t.qself {
            self.visit_type(&q.ty);
        }
        self.dispatch_path(&t.path, PathKind::Type);
        self.visit_path(&t.path);
    }

    fn visit_trait_bound(&mut self, b: &'ast syn::TraitBound) {
        self.dispatch_path(&b.path, PathKind::Bound);
        self.visit_path(&b.path);
    }

    fn visit_pat_tuple_struct(&mut self, p: &'ast syn::PatTupleStruct) {
        self.dispatch_path(&p.path, PathKind::Pattern);
        syn::visit::visit_pat_tuple_struct(self, p);
    }

    fn visit_pat_struct(&mut self, p: &'ast syn::PatStruct) {
        self.dispatch_path(&p.path, PathKind::Pattern);
        syn::visit::visit_pat_struct(self, p);
    }

    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        // macros in type or pattern position
        self.visit_macro_call(mac);
    }
}

/// A rule's view of a non-Rust file.
pub struct TextCx<'a> {
    pub(crate) info: &'a FileInfo,
    pub(crate) source: Option<&'a SourceText>,
    pub(crate) meta: &'static RuleMeta,
    pub(crate) diags: &'a mut Vec<Diagnostic>,
    pub(crate) facts: &'a mut Vec<(usize, Fact)>,
    pub(crate) rule_index: usize,
}

impl TextCx<'_> {
    pub fn file(&self) -> &FileInfo {
        self.info
    }

    /// A location covering byte offsets of the text (or the file start when there is no text).
    pub fn loc_range(&self, start: usize, end: usize) -> Loc {
        match self.source {
            Some(src) => {
                let text = src.text();
                let end = end.min(text.len());
                let start = start.min(end);
                Loc {
                    file: self.info.rel.clone(),
                    start: src.file_offset(start),
                    end: src.file_offset(end),
                    start_pos: src.position(start),
                    end_pos: src.position(end),
                    item: Arc::from(""),
                    snippet_hash: normalized_hash(&text[start..end]),
                }
            }
            None => Loc::file_start(self.info.rel.clone()),
        }
    }

    /// The whole-file location, for findings about the file itself (its name).
    pub fn file_loc(&self) -> Loc {
        Loc::file_start(self.info.rel.clone())
    }

    pub fn diag_at(&self, loc: Loc, message: impl Into<String>) -> Diagnostic {
        new_diag(self.meta, loc, message)
    }

    pub fn report(&mut self, d: Diagnostic) {
        self.diags.push(d);
    }

    pub fn fact<T: std::any::Any + Send + Sync>(&mut self, fact: T) {
        self.facts.push((self.rule_index, Box::new(fact)));
    }
}
