//! [`Cx`]: a rule's view of the file being walked — the semantic model, and where to report.

use std::sync::Arc;

use proc_macro2::Span;
use rustc_hash::FxHashMap;
use syn::{Expr, Item, Pat, Type};

use super::FileOutput;
use crate::config::Config;
use crate::diagnostic::{normalized_hash, Diagnostic, Loc, Requirement};
use crate::layers::Role;
use crate::project::{FileInfo, Project};
use crate::rule::{new_diag, RuleMeta};
use crate::semantic::conditions::{shows_present, Condition};
use crate::semantic::names::QualifiedName;
use crate::semantic::resolve::Resolver;
use crate::semantic::scope::{FnInfo, Frames, HandlerStatus, LoopKind};
use crate::semantic::values::{
    first_generic_arg, pattern_bindings, strip_reference, tuple_returned, LocalVar, Locals,
    StrOrigin, TRANSPARENT_WRAPPERS, VALUE_PRESERVING_METHODS,
};
use crate::source::SourceText;

/// A rule's view of the file being walked: the semantic model, and where to report.
pub struct Cx<'a, 'ast> {
    pub(super) info: &'a FileInfo,
    pub(super) project: &'a Project,
    pub(super) config: &'a Config,
    pub(super) source: &'a SourceText,
    pub(super) resolver: Resolver,
    pub(super) frames: Frames<'ast>,
    pub(super) locals: Locals<'ast>,
    /// struct canonical path → its named fields with their (peeled) types
    pub(super) fields: FxHashMap<String, Vec<(String, Option<QualifiedName>)>>,
    /// `const`/`static` canonical path → its initializer, for the items of this file
    pub(super) consts: FxHashMap<String, &'ast Expr>,
    pub(super) item_path: Vec<String>,
    /// `item_path` joined, built when a location asks for it (most items never get one).
    item_key: std::cell::OnceCell<Arc<str>>,
    pub(super) out: FileOutput,
    pub(super) metas: &'a [&'static RuleMeta],
    pub(super) current: usize,
    /// Address of the expression that is the operand of the innermost `.await` being walked.
    pub(super) awaited: usize,
    /// Conditions known to hold here (enclosing `if` branches, earlier early-exit guards) in the
    /// current function, innermost last.
    pub(super) conditions: Vec<Condition<'ast>>,
    /// What each `Frame::Loop` of the stack iterates, innermost last (pushed and popped with it).
    pub(super) loops: Vec<LoopKind<'ast>>,
    /// Per-rule working state for this file (see [`Cx::scratch`]), by rule index.
    pub(super) scratch: Vec<Option<Box<dyn std::any::Any>>>,
    /// The derives of the last items asked about ([`Cx::derives`]), by address of their attributes.
    derives: std::cell::RefCell<Vec<(usize, std::rc::Rc<[Derive]>)>>,
}

/// One path of a `#[derive(..)]`, with what it resolves to.
pub struct Derive {
    pub path: syn::Path,
    /// The canonical path (`sqlx::FromRow` for `#[derive(Row)]` after `use sqlx::FromRow as Row`).
    pub resolved: Option<QualifiedName>,
}

impl Derive {
    /// Is the derive written with this last segment (`Validate` in `garde::Validate`)?
    pub fn written_as(&self, name: &str) -> bool {
        self.path.segments.last().is_some_and(|s| s.ident == name)
    }
}

impl<'a, 'ast> Cx<'a, 'ast> {
    pub(super) fn new(
        info: &'a FileInfo,
        project: &'a Project,
        config: &'a Config,
        source: &'a SourceText,
        metas: &'a [&'static RuleMeta],
    ) -> Self {
        let krate = project.crate_of(info);
        let crate_name = krate.map(|c| c.name.as_str()).unwrap_or("crate");
        let renames = krate.map(|c| c.renames.clone()).unwrap_or_default();
        let mut frames = Frames::default();
        frames.file_is_test = info.is_test;
        Cx {
            info,
            project,
            config,
            source,
            resolver: Resolver::new(crate_name, renames),
            frames,
            locals: Locals::default(),
            fields: FxHashMap::default(),
            consts: FxHashMap::default(),
            item_path: Vec::new(),
            item_key: std::cell::OnceCell::new(),
            out: FileOutput::default(),
            metas,
            current: 0,
            awaited: 0,
            conditions: Vec::new(),
            loops: Vec::new(),
            scratch: Vec::new(),
            derives: Default::default(),
        }
    }

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
        let (start, end) = (self.offset(span.start()), self.offset(span.end()));
        self.source.text().get(start..end).unwrap_or("")
    }

    /// The byte offset of a span's line and column: proc-macro2's `byte_range` converts from chars
    /// through a search tree it fills as it goes (and allocates into); the line index is cheaper.
    fn offset(&self, at: proc_macro2::LineColumn) -> usize {
        self.source.offset_of(at.line, at.column)
    }

    // ---- names ---------------------------------------------------------------------------

    pub fn resolver(&self) -> &Resolver {
        &self.resolver
    }

    /// Resolve a path to its canonical name.
    pub fn resolve(&self, path: &syn::Path) -> Option<QualifiedName> {
        self.resolver.resolve(path)
    }

    /// The derives of an item (`#[derive(A, b::B)]`, all such attributes), parsed and resolved
    /// once however many rules ask: several rules look at the derives of every struct.
    pub fn derives(&self, attrs: &[syn::Attribute]) -> std::rc::Rc<[Derive]> {
        if attrs.is_empty() {
            return std::rc::Rc::from(Vec::new());
        }
        let key = attrs.as_ptr() as usize;
        if let Some((_, d)) = self.derives.borrow().iter().find(|(k, _)| *k == key) {
            return d.clone();
        }
        let mut out = Vec::new();
        let derive = |a: &&syn::Attribute| match &a.meta {
            syn::Meta::List(l) => l.path.is_ident("derive"),
            _ => false, // doc comments, the most numerous attributes
        };
        for a in attrs.iter().filter(derive) {
            let Ok(paths) = a.parse_args_with(
                syn::punctuated::Punctuated::<syn::Path, syn::Token![,]>::parse_terminated,
            ) else {
                continue;
            };
            for path in paths {
                let resolved = self.resolve(&path);
                out.push(Derive { path, resolved });
            }
        }
        let d: std::rc::Rc<[Derive]> = out.into();
        let mut cache = self.derives.borrow_mut();
        // the items being walked are few at a time (an item and those nested in it)
        if cache.len() >= 8 {
            cache.remove(0);
        }
        cache.push((key, d.clone()));
        d
    }

    /// Resolve a path used as a value: a single identifier that is a local variable resolves to
    /// nothing.
    pub fn resolve_value_path(&self, path: &syn::Path) -> Option<QualifiedName> {
        self.resolver
            .resolve_unless(path, |name| self.locals.is_local(name))
    }

    /// Is this path written out from a crate or a module (`crate::x`, `super::x`, `::x`,
    /// `axum::Json`), rather than through a name imported, declared or glob-imported here? Rules
    /// that report a dependency once at its `use` report such paths besides, and not the uses of
    /// the imported name. (The walker's dependency notes ask the same in `note_path_dep`.)
    pub fn is_written_out(&self, path: &syn::Path) -> bool {
        let Some(first) = path.segments.first() else {
            return false;
        };
        starts_fixed(path) || self.is_written_out_from_crate(path, &first.ident.to_string())
    }

    /// The second half of [`Cx::is_written_out`], for a path not [`starts_fixed`] whose first
    /// segment's text (`first`) the caller has already: does it start at a crate?
    pub(super) fn is_written_out_from_crate(&self, path: &syn::Path, first: &str) -> bool {
        path.segments.len() > 1 && self.resolver.names_crate(first)
    }

    /// Is the item at canonical `path` imported here (by name, as `_`, or by a glob)? For traits,
    /// whose methods exist only where they are imported: `cx.is_imported("diesel::RunQueryDsl")`.
    pub fn is_imported(&self, path: &str) -> bool {
        self.resolver.is_imported(path)
    }

    /// Is anything imported here from the crate or module `prefix` (`r2d2`, `diesel::r2d2`)?
    pub fn imports_from(&self, prefix: &str) -> bool {
        self.resolver.imports_from(prefix)
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

    /// Code for debug builds only: under `#[cfg(debug_assertions)]` or in the debug branch of
    /// `if cfg!(debug_assertions)`.
    pub fn in_debug_only(&self) -> bool {
        self.frames.in_debug_only()
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

    /// Composition code: a startup free function that no route attribute or extractor makes a
    /// handler (`main`, `router`,
    /// `build_app`, `init_*`, … see [`FnInfo::is_startup`]) or a `static`/`const` initializer.
    /// This is where the composition root wires pools, repositories, services and routers.
    pub fn in_composition(&self) -> bool {
        self.in_static_init()
            || self
                .current_fn()
                .is_some_and(|f| f.is_startup() && !f.is_method && f.handler != HandlerStatus::Yes)
    }

    /// The layer of the item a canonical path names (see [`Project::layer_of_path`]). During the
    /// walk `pub use` re-exports of other files are not known yet; `ProjectCx::layer_of_path`
    /// follows them.
    pub fn layer_of_path(&self, q: &QualifiedName) -> Option<crate::layers::LayerId> {
        self.project.layer_of_path(q.as_str(), &self.config.layers)
    }

    /// The role of the layer of the item a canonical path names.
    pub fn role_of_path(&self, q: &QualifiedName) -> Option<Role> {
        self.layer_of_path(q)
            .and_then(|l| self.config.layers.role(l))
    }

    /// Does this canonical path name an item of one of the project's crates?
    pub fn is_project_path(&self, q: &QualifiedName) -> bool {
        self.project.local_crate(q.first()).is_some()
    }

    /// Does this canonical path name an item of the file's own crate (whatever its name, also a
    /// crate no manifest lists) or of another of the project's crates?
    pub fn in_project(&self, q: &QualifiedName) -> bool {
        let first = q.first();
        first == self.resolver.crate_name() || self.project.local_crate(first).is_some()
    }

    /// Is the current function certainly a request handler?
    pub fn in_handler(&self) -> bool {
        self.current_fn()
            .is_some_and(|f| f.handler == HandlerStatus::Yes)
    }

    /// The innermost loop of the current function: a `for`/`while`/`loop`, or a closure an
    /// iterator or stream adapter runs per item (`items.iter().map(|x| …)`).
    pub fn current_loop(&self) -> Option<&LoopKind<'ast>> {
        if self.frames.in_loop() {
            self.loops.last()
        } else {
            None
        }
    }

    /// The conditions known to hold here, innermost last: the conditions of the enclosing `if`
    /// branches (`holds: false` in an `else`), and the early-exit guards met before in the
    /// enclosing blocks (`if v.is_empty() { return …; }`, `holds: false` below it). Only those of
    /// the current function.
    pub fn conditions(&self) -> &[Condition<'ast>] {
        &self.conditions
    }

    /// Do the conditions here show that `subject` is `Some`/`Ok` or not empty (`if x.is_some()`,
    /// `if !v.is_empty()`, an earlier `if v.is_empty() { return … }`)? Then `subject.unwrap()`,
    /// `subject.first().unwrap()` cannot panic.
    pub fn is_known_present(&self, subject: &Expr) -> bool {
        self.conditions
            .iter()
            .flat_map(|c| c.facts())
            .any(|f| shows_present(f, subject))
    }

    /// Is `e` the operand of `.await`?
    pub fn is_awaited(&self, e: &Expr) -> bool {
        self.awaited == e as *const Expr as usize
    }

    // ---- values ------------------------------------------------------------------------------

    pub fn local(&self, name: &str) -> Option<&LocalVar<'ast>> {
        self.locals.get(name)
    }

    /// The binding of the same name that `var` shadows (`let app = app.layer(l);`): to follow a
    /// value through rebindings.
    pub fn shadowed(&self, var: &LocalVar<'ast>) -> Option<&LocalVar<'ast>> {
        self.locals.shadowed(var)
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
                if ["as_str", "as_ref", "clone", "borrow"]
                    .iter()
                    .any(|n| m.method == n) =>
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
            Expr::MethodCall(m) if VALUE_PRESERVING_METHODS.iter().any(|n| m.method == n) => {
                self.expr_type(&m.receiver)
            }
            Expr::Call(c) => {
                // `Type::new(..)`: only a path written with a type before its last segment (or an
                // imported function) can be one; resolving is the costly part
                if let Expr::Path(p) = &*c.func {
                    let n = p.path.segments.len();
                    let typed = n >= 2
                        && p.path.segments[n - 2]
                            .ident
                            .to_string()
                            .starts_with(|ch: char| ch.is_ascii_uppercase());
                    if !typed && p.qself.is_none() {
                        return None;
                    }
                }
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

    // ---- reporting ---------------------------------------------------------------------------

    /// The location of a span in this file.
    pub fn loc(&self, span: Span) -> Loc {
        self.loc_range(self.offset(span.start()), self.offset(span.end()))
    }

    /// The location from the start of `a` to the end of `b`.
    pub fn loc_between(&self, a: Span, b: Span) -> Loc {
        self.loc_range(self.offset(a.start()), self.offset(b.end()))
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
            item: self.item_key().clone(),
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

    /// The current rule's working state for this file, created with `T::default()` on first use
    /// and dropped with the file. Rules are shared across threads and take `&self`; what a rule
    /// must carry from one node to a later one of the same file (guards alive in the enclosing
    /// blocks, the calls a function makes before its exit) lives here, in walk order.
    pub fn scratch<T: Default + 'static>(&mut self) -> &mut T {
        let i = self.current;
        if self.scratch.len() <= i {
            self.scratch.resize_with(i + 1, || None);
        }
        let slot = &mut self.scratch[i];
        if !slot.as_ref().is_some_and(|b| b.is::<T>()) {
            *slot = Some(Box::new(T::default()));
        }
        slot.as_mut()
            .and_then(|b| b.downcast_mut::<T>())
            .expect("the slot holds a T")
    }

    /// The call whose closure argument the walk is in (callee path, argument index), within the
    /// current function or `async` block. Such code runs on the executor unless that callee hands
    /// the closure to an escape hatch: see [`Cx::report_on_executor`].
    pub fn enclosing_closure_call(&self) -> Option<(&str, usize)> {
        self.frames.enclosing_closure_call()
    }

    /// Report a finding that holds only if the code runs on the async executor: at once, or, inside
    /// a closure given to a function of the project (`run_blocking(move || …)`), on condition that
    /// the function does not hand it to an escape hatch such as `spawn_blocking` (settled after the
    /// walk, from every file).
    pub fn report_on_executor(&mut self, mut d: Diagnostic) {
        if let Some((callee, arg)) = self.frames.enclosing_closure_call() {
            d.requires = Some(Requirement::NotOffloaded {
                callee: callee.to_string(),
                arg,
            });
        }
        self.out.diags.push(d);
    }

    /// Record a fact for the current rule's `check_project`.
    pub fn fact<T: std::any::Any + Send + Sync + serde::Serialize>(&mut self, fact: T) {
        self.out
            .facts
            .push((self.current, crate::facts::Fact::new(fact)));
    }

    /// The name of the current item, for messages (`UserService::create`).
    pub fn item_name(&self) -> &str {
        self.item_key()
    }

    fn item_key(&self) -> &Arc<str> {
        self.item_key
            .get_or_init(|| Arc::from(self.item_path.join("::")))
    }

    // ---- walk bookkeeping ---------------------------------------------------------------------

    pub(super) fn push_item(&mut self, name: String) {
        self.item_path.push(name);
        self.item_key.take();
    }

    pub(super) fn pop_item(&mut self) {
        self.item_path.pop();
        self.item_key.take();
    }

    pub(super) fn bind_pattern(
        &mut self,
        pat: &'ast Pat,
        ty: Option<&'ast Type>,
        init: Option<&'ast Expr>,
        is_param: bool,
    ) {
        let mut binds = Vec::new();
        pattern_bindings(pat, ty, &mut binds);
        let single = binds.len() == 1 && matches!(pat, Pat::Ident(_) | Pat::Type(_));
        let tuple = match (pat, ty, init) {
            (Pat::Tuple(t), None, Some(e)) => self.tuple_types(t, e),
            _ => Vec::new(),
        };
        for (ident, ty) in binds {
            let ty_q = match ty {
                Some(t) => self.resolve_type_peeled(t),
                None if single => init.and_then(|e| self.expr_type(e)),
                None => tuple
                    .iter()
                    .find(|(i, _)| *i == ident)
                    .map(|(_, q)| QualifiedName::new(*q)),
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

    /// `let (tx, rx) = mpsc::channel();`: the type of each identifier of the tuple pattern, when the
    /// initializer is a call of a function known to return a tuple (see [`tuple_returned`]).
    fn tuple_types<'p>(
        &self,
        pat: &'p syn::PatTuple,
        init: &Expr,
    ) -> Vec<(&'p syn::Ident, &'static str)> {
        let call = match init {
            Expr::Try(t) => &*t.expr,
            e => e,
        };
        let Expr::Call(c) = call else {
            return Vec::new();
        };
        let Some(types) = self
            .resolve_expr(&c.func)
            .and_then(|q| tuple_returned(q.as_str()))
        else {
            return Vec::new();
        };
        pat.elems
            .iter()
            .zip(types)
            .filter_map(|(p, t)| match p {
                Pat::Ident(i) => Some((&i.ident, *t)),
                _ => None,
            })
            .collect()
    }

    pub(super) fn collect_fields(&mut self, items: &'ast [Item]) {
        for item in items {
            let constant = match item {
                Item::Const(c) => Some((&c.ident, &*c.expr)),
                Item::Static(s) => Some((&s.ident, &*s.expr)),
                _ => None,
            };
            if let Some((ident, init)) = constant {
                let q = self.resolver.item_qname(&ident.to_string());
                self.consts.insert(q.into_string(), init);
            }
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

/// Does `path` start from a fixed place (`::x`, `crate::x`, `self::x`, `super::x`)? Such a path is
/// written out, whatever is imported (the first half of [`Cx::is_written_out`]).
pub(super) fn starts_fixed(path: &syn::Path) -> bool {
    path.leading_colon.is_some()
        || path
            .segments
            .first()
            .is_some_and(|f| f.ident == "crate" || f.ident == "self" || f.ident == "super")
}
