//! The [`Walker`]: one walk of a parsed file, keeping the semantic model current and dispatching
//! each node to the rules registered for its kind.

use proc_macro2::Span;
use syn::spanned::Spanned;
use syn::visit::Visit;
use syn::{Expr, FnArg, Item, Pat, Type};

use super::{
    Call, Cx, Dispatch, FileOutput, FnNode, MacroCall, MethodCall, PathKind, PathRef, UseLeaf,
};
use crate::config::Config;
use crate::deps::{DepRef, RefKind};
use crate::layers::Role;
use crate::project::{FileInfo, Project};
use crate::rule::{ExprKinds, Rule, RuleMeta};
use crate::semantic::conditions::{block_diverges, Condition};
use crate::semantic::handlers::{self, has_route_attr, is_routing_fn, takes_extractor};
use crate::semantic::macros::{parse_macro_args, MacroArgs};
use crate::semantic::names::QualifiedName;
use crate::semantic::scope::{
    cfg_debug_condition, is_cfg_debug, is_cfg_test, is_test_attr, FnInfo, Frame, HandlerStatus,
    LoopKind,
};
use crate::semantic::values::StrOrigin;
use crate::source::SourceText;

use super::cx::chain_root;

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

/// Iterator and stream adapters whose closure argument runs once per item (when the receiver is
/// an iteration: see [`is_iteration`]).
pub const PER_ITEM_ADAPTERS: &[&str] = &[
    "map",
    "for_each",
    "try_for_each",
    "for_each_concurrent",
    "try_for_each_concurrent",
    "filter_map",
    "flat_map",
    "then",
    "and_then",
    "filter",
    "fold",
    "try_fold",
    "any",
    "all",
    "find",
    "find_map",
    "position",
    "inspect",
    "map_while",
    "scan",
    "take_while",
    "skip_while",
    "partition",
];

/// Methods that start an iteration over a collection (`items.iter()`, `ids.chunks(100)`).
const ITERATION_SOURCES: &[&str] = &[
    "iter",
    "into_iter",
    "iter_mut",
    "par_iter",
    "into_par_iter",
    "chunks",
    "chunks_exact",
    "windows",
    "drain",
    "keys",
    "values",
    "values_mut",
    "into_values",
    "into_keys",
    "lines",
    "chars",
    "bytes",
    "split",
    "enumerate",
    "zip",
    "into_stream",
];

/// Calls whose closure argument initialises a lazy static: startup code.
fn is_lazy_init_call(q: &QualifiedName) -> bool {
    let s = q.as_str();
    [
        "Lazy::new",
        "LazyLock::new",
        "LazyCell::new",
        "OnceLock::get_or_init",
    ]
    .iter()
    .any(|t| s == *t || s.strip_suffix(t).is_some_and(|head| head.ends_with("::")))
}

/// Methods whose closure argument initialises a `OnceLock`/`OnceCell` once: startup code.
const LAZY_INIT_METHODS: &[&str] = &["get_or_init", "get_or_try_init"];

/// Is `e` an iteration over items (`v.iter()…`, `0..n`, `stream::iter(ids)…`)?
fn is_iteration(e: &Expr, resolve: impl Fn(&Expr) -> Option<QualifiedName>) -> bool {
    let mut e = e;
    loop {
        match e {
            Expr::MethodCall(m) => {
                if ITERATION_SOURCES.iter().any(|s| m.method == s) {
                    return true;
                }
                e = &m.receiver;
            }
            Expr::Paren(p) => e = &p.expr,
            Expr::Range(_) => return true,
            Expr::Call(c) => {
                return resolve(&c.func).is_some_and(|q| {
                    q.last() == "iter" && q.segments().any(|s| s.contains("stream"))
                        || matches!(q.last(), "repeat_with" | "from_fn" | "successors")
                })
            }
            _ => return false,
        }
    }
}

/// A parameter that can hold a closure: `impl FnOnce()`, a type parameter `F`, `Box<dyn Fn()>`.
fn is_callable_param(arg: &FnArg, sig: &syn::Signature) -> bool {
    let FnArg::Typed(t) = arg else { return false };
    match &*t.ty {
        Type::ImplTrait(_) => true,
        Type::Path(tp) if tp.qself.is_none() => match tp.path.get_ident() {
            Some(name) => sig.generics.type_params().any(|g| g.ident == *name),
            None => tp.path.segments.last().is_some_and(|s| s.ident == "Box"),
        },
        _ => false,
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
const H_LOCAL: usize = 9;
const H_FN_EXIT: usize = 10;
const H_BLOCK: usize = 13;

/// Walks one parsed file once, dispatching to rules.
pub struct Walker<'a, 'ast, 'r> {
    pub cx: Cx<'a, 'ast>,
    d: &'a Dispatch<'r>,
    arena: &'ast typed_arena::Arena<MacroArgs>,
    /// Escape-hatch functions from the configuration (`[async] escape-hatches`), beyond
    /// [`ESCAPE_HATCH_FNS`].
    escape_hatches: &'a [String],
    /// Record references to the project's items (a rule declared `Hooks::DEPS`).
    collect_deps: bool,
    /// Per function being walked: does it take a parameter that can hold a closure? (Only those
    /// can hand a closure on to an escape hatch.)
    callable_params: Vec<bool>,
    /// The names imports of the open scopes bind to the project's own items, and the resolver
    /// generation they were listed at: a path starting with any other name marks no import used.
    project_imports: (u64, Vec<String>),
    /// No enabled rule looks at test code: test files, `#[cfg(test)]` modules and impls and test
    /// functions are not walked at all (about a sixth of a typical crate's code).
    skip_tests: bool,
}

macro_rules! dispatch {
    // the `EXPR` rules interested in this kind of expression
    ($self:ident, expr $kind:expr, |$r:ident, $cx:ident| $body:expr) => {{
        let d = $self.d;
        let lists = if $self.cx.in_test() {
            &d.test_expr_lists
        } else {
            &d.expr_lists
        };
        for &i in &lists[$kind] {
            $self.cx.current = i;
            let $r: &dyn Rule = &*d.rules[i];
            let $cx = &mut $self.cx;
            $body;
        }
    }};
    ($self:ident, $hook:expr, |$r:ident, $cx:ident| $body:expr) => {{
        let d = $self.d;
        // test code: only the rules that look at tests (usually none)
        let lists = if $self.cx.in_test() {
            &d.test_lists
        } else {
            &d.lists
        };
        for &i in &lists[$hook] {
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
        Walker {
            cx: Cx::new(info, project, config, source, metas),
            collect_deps: d.has(crate::rule::Hooks::DEPS),
            skip_tests: d.test_lists.iter().all(Vec::is_empty)
                && d.test_expr_lists.iter().all(Vec::is_empty),
            d,
            arena,
            escape_hatches,
            callable_params: Vec::new(),
            project_imports: (u64::MAX, Vec::new()),
        }
    }

    pub fn walk_file(mut self, file: &'ast syn::File) -> FileOutput {
        if file.attrs.iter().any(is_cfg_test) {
            self.cx.frames.file_is_test = true;
        }
        if self.skip_tests && self.cx.in_test() {
            return self.cx.out;
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
        if self.collect_deps {
            self.cx.out.deps.items = file.items.iter().filter_map(item_name).collect();
        }
        dispatch!(self, H_FILE, |r, cx| r.check_file(cx, file));
        for item in &file.items {
            self.visit_item(item);
        }
        self.cx.out
    }

    fn is_escape_call(&self, q: &QualifiedName) -> bool {
        ESCAPE_HATCH_FNS.contains(&q.as_str())
            || matches!(q.last(), "spawn_blocking" | "block_in_place" | "unblock")
            || self
                .escape_hatches
                .iter()
                .any(|e| q.matches_user_path(e, self.cx.resolver.crate_name()))
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
        if is_test && self.skip_tests {
            return;
        }
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
            body: block,
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
        let outer_conditions = std::mem::take(&mut self.cx.conditions);
        self.callable_params
            .push(sig.inputs.iter().any(|a| is_callable_param(a, sig)));
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
        self.cx.conditions = outer_conditions;
        self.callable_params.pop();
        self.cx.frames.pop();
    }

    fn dispatch_path(&mut self, path: &'ast syn::Path, kind: PathKind) {
        let rules = !self.d.lists[H_PATH].is_empty();
        if !rules && !self.collect_deps {
            return;
        }
        let pr = PathRef {
            path,
            kind,
            resolved: std::cell::OnceCell::new(),
        };
        if self.collect_deps {
            self.note_path_dep(&pr);
        }
        if rules {
            dispatch!(self, H_PATH, |r, cx| r.check_path(cx, &pr));
        }
    }

    /// The current module when it is an inline `mod` of the file (`web` for `mod web {}` in
    /// `lib.rs`), for the layer of references written in it.
    fn inline_module(&self) -> Option<String> {
        let current = self.cx.resolver.module_path();
        let own = self
            .cx
            .info
            .module
            .split("::")
            .filter(|s| !s.is_empty())
            .count();
        (current.len() > own).then(|| current.join("::"))
    }

    /// Dependencies: a qualified path into the project is a reference of its own; a path through an
    /// imported name marks the import as used (inside or outside composition code).
    fn note_path_dep(&mut self, pr: &PathRef<'ast>) {
        if self.cx.in_test() {
            return;
        }
        let Some(first) = pr.path.segments.first() else {
            return;
        };
        // the first segment's text, once, for both questions below (most paths are not written out)
        let fixed = super::cx::starts_fixed(pr.path);
        // most paths are one identifier that no import into the project binds: told apart by
        // comparing identifiers, without printing the path's first segment
        if !fixed && pr.path.segments.len() == 1 && !self.may_be_project_import(&first.ident) {
            return;
        }
        let name = if fixed {
            String::new()
        } else {
            first.ident.to_string()
        };
        if fixed || self.cx.is_written_out_from_crate(pr.path, &name) {
            if let Some(q) = pr.resolved(&self.cx) {
                if self.cx.is_project_path(q) {
                    let dep = DepRef {
                        target: q.as_str().to_string(),
                        loc: self.cx.loc(pr.path.span()),
                        kind: RefKind::Path,
                        composition: self.cx.in_composition(),
                        inline_module: self.inline_module(),
                    };
                    self.cx.out.deps.refs.push(dep);
                }
            }
            return;
        }
        if pr.kind == PathKind::Expr
            && pr.path.segments.len() == 1
            && self.cx.locals.is_local(&name)
        {
            return;
        }
        self.note_import_use(&name);
    }

    /// Can `ident` name an import of the project's own items here? (False only when it surely
    /// does not.)
    fn may_be_project_import(&mut self, ident: &proc_macro2::Ident) -> bool {
        let generation = self.cx.resolver.generation();
        if self.project_imports.0 != generation {
            let names = self
                .cx
                .resolver
                .import_bindings()
                .filter(|(_, t)| self.cx.is_project_path(t))
                .map(|(n, _)| n.to_string())
                .collect();
            self.project_imports = (generation, names);
        }
        let names = &self.project_imports.1;
        // beyond a few names, comparing each costs more than printing the identifier once
        names.len() > 16 || names.iter().any(|n| ident == n)
    }

    fn note_import_use(&mut self, name: &str) {
        let imported = self
            .cx
            .resolver
            .import_binding(name)
            .is_some_and(|t| self.cx.is_project_path(t));
        if imported {
            let outside = !self.cx.in_composition();
            match self.cx.out.deps.used.get_mut(name) {
                Some(used) => *used |= outside,
                None => {
                    self.cx.out.deps.used.insert(name.to_string(), outside);
                }
            }
        }
    }

    fn visit_macro_call(&mut self, mac: &'ast syn::Macro) {
        // test code no rule looks at: nothing inside a macro there is worth parsing
        if self.cx.in_test() && self.d.test_lists.iter().all(Vec::is_empty) {
            return;
        }
        let path = self.cx.resolver.resolve_macro(&mac.path);
        let name = mac
            .path
            .segments
            .last()
            .map(|s| s.ident.to_string())
            .unwrap_or_default();
        let crate_ = path.as_ref().map(|p| p.first());
        let args: &'ast MacroArgs = self
            .arena
            .alloc(parse_macro_args(crate_, &name, &mac.tokens));
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
        if self.collect_deps && !self.cx.in_test() {
            if self.cx.is_written_out(&mac.path) {
                if let Some(q) = path.as_ref().filter(|q| self.cx.is_project_path(q)) {
                    let dep = DepRef {
                        target: q.as_str().to_string(),
                        loc: self.cx.loc(mac.path.span()),
                        kind: RefKind::Macro,
                        composition: self.cx.in_composition(),
                        inline_module: self.inline_module(),
                    };
                    self.cx.out.deps.refs.push(dep);
                }
            } else if let Some(first) = mac.path.segments.first() {
                self.note_import_use(&first.ident.to_string());
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

    /// `s.push_str(x)`, `s += x`, `write!(s, …)`, `parts.push(x)`: `s` now holds what `x` holds.
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

    /// An argument of a call: a closure given to an escape hatch runs off the executor; one given
    /// to another function (`arg_of`: callee and argument index) may, if that function hands it to
    /// an escape hatch (settled after the walk).
    fn visit_closure_arg(&mut self, e: &'ast Expr, escape: bool, arg_of: Option<(&str, usize)>) {
        match e {
            Expr::Closure(c) if escape => self.walk_closure(c, true, None),
            Expr::Closure(c) => self.walk_closure(c, false, arg_of),
            // `move || …` wrapped in parens
            Expr::Paren(p) => self.visit_closure_arg(&p.expr, escape, arg_of),
            other => self.visit_expr(other),
        }
    }

    fn walk_closure(
        &mut self,
        c: &'ast syn::ExprClosure,
        escape: bool,
        arg_of: Option<(&str, usize)>,
    ) {
        self.cx.frames.push(Frame::Closure {
            is_async: c.asyncness.is_some(),
            escape,
        });
        if let Some((callee, arg)) = arg_of {
            self.cx.frames.note_closure_arg(callee.to_string(), arg);
        }
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

    /// The parameter (index among the non-`self` parameters) of the current function that `e`
    /// names, if it is one that can hold a closure (`impl FnOnce()`, a type parameter `F`,
    /// `Box<dyn Fn()>`).
    fn param_index(&self, e: &Expr) -> Option<usize> {
        if !self.callable_params.last().copied().unwrap_or(false) {
            return None;
        }
        let Expr::Path(p) = e else { return None };
        let ident = p.path.get_ident()?;
        let f = self.cx.frames.current_fn()?;
        let (i, arg) = f
            .sig
            .inputs
            .iter()
            .filter(|a| matches!(a, FnArg::Typed(_)))
            .enumerate()
            .find(|(_, a)| matches!(a, FnArg::Typed(t) if matches!(&*t.pat, Pat::Ident(pi) if pi.ident == *ident)))?;
        if !self.cx.locals.get(&ident.to_string())?.is_param {
            return None;
        }
        is_callable_param(arg, f.sig).then_some(i)
    }

    /// The canonical path of a project method called on `self` or on a value of known type.
    fn method_callee(&self, receiver: &Expr, method: &str) -> Option<String> {
        let ty = match receiver {
            Expr::Path(p) if p.path.is_ident("self") => self.cx.resolver.self_type()?.clone(),
            r @ (Expr::Path(_) | Expr::Field(_) | Expr::Reference(_)) => self.cx.expr_type(r)?,
            _ => return None,
        };
        self.cx
            .in_project(&ty)
            .then(|| ty.join(method).into_string())
    }

    /// A parameter of the current function passed on: to an escape hatch (the function runs its
    /// argument off the executor), or to another function (it does if that one does).
    fn note_forwarding(
        &mut self,
        callee: Option<&str>,
        escape: bool,
        args: &syn::punctuated::Punctuated<Expr, syn::Token![,]>,
    ) {
        if !escape && callee.is_none() {
            return;
        }
        for (i, a) in args.iter().enumerate() {
            let Some(k) = self.param_index(a) else {
                continue;
            };
            if escape {
                self.note_forwarder(k);
            } else if let (Some(callee), Some(f)) = (callee, self.cx.frames.current_fn()) {
                let edge = (f.path.clone(), k, callee.to_string(), i);
                self.cx.out.offload_edges.push(edge);
            }
        }
    }

    fn note_forwarder(&mut self, param: usize) {
        if let Some(f) = self.cx.frames.current_fn() {
            let path = f.path.clone();
            self.cx.out.offloaders.push((path, param));
        }
    }

    fn visit_loop_body(&mut self, body: &'ast syn::Block) {
        self.push_loop(LoopKind::Loop { body });
        self.visit_block(body);
        self.pop_loop();
    }

    fn push_loop(&mut self, kind: LoopKind<'ast>) {
        self.cx.frames.push(Frame::Loop);
        self.cx.loops.push(kind);
    }

    fn pop_loop(&mut self) {
        self.cx.loops.pop();
        self.cx.frames.pop();
    }

    /// A closure that initialises a lazy static (`Lazy::new(|| …)`, `cell.get_or_init(|| …)`)
    /// is startup code.
    fn visit_static_init_arg(&mut self, e: &'ast Expr) {
        self.cx.frames.push(Frame::StaticInit);
        self.visit_expr(e);
        self.cx.frames.pop();
    }

    /// Walk with a [`Frame::DebugOnly`] pushed when `debug`.
    fn in_debug_if(&mut self, debug: bool, walk: impl FnOnce(&mut Self)) {
        if debug {
            self.cx.frames.push(Frame::DebugOnly);
        }
        walk(self);
        if debug {
            self.cx.frames.pop();
        }
    }

    fn walk_item(&mut self, item: &'ast Item) {
        dispatch!(self, H_ITEM, |r, cx| r.check_item(cx, item));
        match item {
            Item::Fn(f) => self.walk_fn(&f.attrs, Some(&f.vis), &f.sig, &f.block, None),
            Item::Impl(imp) => {
                let test = imp.attrs.iter().any(is_cfg_test);
                if test && self.skip_tests {
                    return;
                }
                let self_ty = self.cx.resolve_type(&imp.self_ty);
                let trait_ = imp.trait_.as_ref().and_then(|(p, _)| self.cx.resolve(p));
                if let Some((p, _)) = &imp.trait_ {
                    self.dispatch_path(p, PathKind::ImplTrait);
                }
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
                        syn::ImplItem::Fn(f) => {
                            let debug = f.attrs.iter().any(is_cfg_debug);
                            if debug {
                                self.cx.frames.push(Frame::DebugOnly);
                            }
                            self.walk_fn(
                                &f.attrs,
                                Some(&f.vis),
                                &f.sig,
                                &f.block,
                                Some((self_ty.clone(), trait_.clone())),
                            );
                            if debug {
                                self.cx.frames.pop();
                            }
                        }
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
                let test = m.attrs.iter().any(is_cfg_test);
                if test && self.skip_tests {
                    return;
                }
                if let Some((_, items)) = &m.content {
                    let name = m.ident.to_string();
                    let mut module = self.cx.resolver.module_path().to_vec();
                    module.push(name.clone());
                    self.cx.resolver.push_module(module, items);
                    self.cx.collect_fields(items);
                    self.cx.frames.push(Frame::Mod { test });
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
                    if self.collect_deps
                        && !self.cx.in_test()
                        && self.cx.is_project_path(&binding.target)
                    {
                        let dep = DepRef {
                            target: binding.target.as_str().to_string(),
                            loc: self.cx.loc(binding.span),
                            kind: if binding.is_glob {
                                RefKind::Glob
                            } else {
                                RefKind::Import {
                                    name: binding.name.clone(),
                                }
                            },
                            composition: self.cx.in_composition(),
                            inline_module: self.inline_module(),
                        };
                        self.cx.out.deps.refs.push(dep);
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

    fn walk_stmt(&mut self, s: &'ast syn::Stmt) {
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
}

impl<'a, 'ast, 'r> Visit<'ast> for Walker<'a, 'ast, 'r> {
    fn visit_attribute(&mut self, _: &'ast syn::Attribute) {}

    fn visit_item(&mut self, item: &'ast Item) {
        let debug = item_attrs(item).iter().any(is_cfg_debug);
        if debug {
            self.cx.frames.push(Frame::DebugOnly);
        }
        self.walk_item(item);
        if debug {
            self.cx.frames.pop();
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
        let guards = self.cx.conditions.len();
        for s in &b.stmts {
            self.visit_stmt(s);
            // `if cond { return …; }`: below it, `cond` does not hold
            if let syn::Stmt::Expr(Expr::If(i), _) = s {
                if i.else_branch.is_none() && block_diverges(&i.then_branch) {
                    self.cx.conditions.push(Condition {
                        expr: &i.cond,
                        holds: false,
                    });
                }
            }
        }
        self.cx.conditions.truncate(guards);
        dispatch!(self, H_BLOCK, |r, cx| r.check_block_exit(cx, b));
        self.cx.locals.pop_scope();
        if scoped {
            self.cx.resolver.pop();
        }
    }

    fn visit_stmt(&mut self, s: &'ast syn::Stmt) {
        let debug = stmt_attrs(s).iter().any(is_cfg_debug);
        if debug {
            self.cx.frames.push(Frame::DebugOnly);
        }
        self.walk_stmt(s);
        if debug {
            self.cx.frames.pop();
        }
    }

    fn visit_expr(&mut self, e: &'ast Expr) {
        let awaited = self.cx.awaited == e as *const Expr as usize;
        dispatch!(self, expr ExprKinds::index(e), |r, cx| r.check_expr(cx, e));
        match e {
            Expr::Call(c) => {
                let path = self.cx.resolve_expr(&c.func);
                if let Some(q) = &path {
                    self.note_registration_call(q, c);
                }
                let escape = path.as_ref().is_some_and(|q| self.is_escape_call(q));
                let lazy_init = path.as_ref().is_some_and(is_lazy_init_call);
                self.note_forwarding(path.as_ref().map(|q| q.as_str()), escape, &c.args);
                if self.cx.frames.in_escape_hatch() {
                    // `spawn_blocking(move || f())` with `f` a parameter
                    if let Some(k) = self.param_index(&c.func) {
                        self.note_forwarder(k);
                    }
                }
                let call = Call {
                    expr: c,
                    path,
                    awaited,
                    in_project: Default::default(),
                };
                dispatch!(self, H_CALL, |r, cx| r.check_call(cx, &call));
                self.visit_expr(&c.func);
                // only the project's own functions can be found to offload their closure
                let callee = call
                    .path
                    .as_ref()
                    .filter(|q| self.cx.in_project(q))
                    .map(|q| q.as_str());
                for (i, arg) in c.args.iter().enumerate() {
                    if lazy_init {
                        self.visit_static_init_arg(arg);
                    } else {
                        self.visit_closure_arg(arg, escape, callee.map(|q| (q, i)));
                    }
                }
            }
            Expr::MethodCall(m) => {
                let method = m.method.to_string();
                self.note_registration_method(m, &method);
                if matches!(
                    method.as_str(),
                    "push_str" | "insert_str" | "extend" | "write_str" | "push"
                ) {
                    if let Some(arg) = m.args.iter().last() {
                        let origin = self.cx.str_origin(arg);
                        self.note_string_growth(&m.receiver, origin, m.span());
                    }
                }
                let escape = ESCAPE_HATCH_METHODS.contains(&method.as_str())
                    || self.cx.config.escape_hatch_methods.contains(&method)
                    || (method == "spawn"
                        && self
                            .cx
                            .chain_root_type(&m.receiver)
                            .is_some_and(|t| t.is("std::thread::Builder")));
                let lazy_init = LAZY_INIT_METHODS.contains(&method.as_str());
                let per_item = PER_ITEM_ADAPTERS.contains(&method.as_str())
                    && m.args.iter().any(|a| matches!(a, Expr::Closure(_)))
                    && is_iteration(&m.receiver, |f| self.cx.resolve_expr(f));
                let callee = if m.args.iter().any(|a| {
                    matches!(a, Expr::Closure(_) | Expr::Paren(_)) || self.param_index(a).is_some()
                }) {
                    self.method_callee(&m.receiver, &method)
                } else {
                    None
                };
                self.note_forwarding(callee.as_deref(), escape, &m.args);
                let call = MethodCall {
                    expr: m,
                    method,
                    awaited,
                    project_method: Default::default(),
                };
                dispatch!(self, H_METHOD, |r, cx| r.check_method_call(cx, &call));
                self.visit_expr(&m.receiver);
                if let Some(t) = &m.turbofish {
                    self.visit_angle_bracketed_generic_arguments(t);
                }
                for (i, arg) in m.args.iter().enumerate() {
                    let forwarded = callee.as_deref().map(|q| (q, i));
                    if lazy_init {
                        self.visit_static_init_arg(arg);
                    } else if per_item && matches!(arg, Expr::Closure(_)) {
                        self.push_loop(LoopKind::PerItem {
                            method: &m.method,
                            receiver: &m.receiver,
                        });
                        self.visit_closure_arg(arg, escape, forwarded);
                        self.pop_loop();
                    } else {
                        self.visit_closure_arg(arg, escape, forwarded);
                    }
                }
            }
            Expr::Macro(m) => self.visit_macro_call(&m.mac),
            Expr::Closure(c) => self.walk_closure(c, false, None),
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
                self.push_loop(LoopKind::For {
                    pat: &f.pat,
                    expr: &f.expr,
                });
                self.cx.locals.push_scope();
                self.visit_pat(&f.pat);
                self.cx.bind_pattern(&f.pat, None, None, false);
                self.visit_block(&f.body);
                self.cx.locals.pop_scope();
                self.pop_loop();
            }
            Expr::While(w) => {
                self.push_loop(LoopKind::While { cond: &w.cond });
                self.cx.locals.push_scope();
                self.visit_expr(&w.cond);
                self.cx.conditions.push(Condition {
                    expr: &w.cond,
                    holds: true,
                });
                self.visit_block(&w.body);
                self.cx.conditions.pop();
                self.cx.locals.pop_scope();
                self.pop_loop();
            }
            Expr::Loop(l) => self.visit_loop_body(&l.body),
            Expr::If(i) => {
                // `if cfg!(debug_assertions) { dev } else { release }`
                let debug = cfg_debug_condition(&i.cond);
                self.cx.locals.push_scope();
                self.visit_expr(&i.cond);
                self.cx.conditions.push(Condition {
                    expr: &i.cond,
                    holds: true,
                });
                self.in_debug_if(debug == Some(true), |w| w.visit_block(&i.then_branch));
                self.cx.conditions.pop();
                self.cx.locals.pop_scope();
                if let Some((_, e)) = &i.else_branch {
                    self.cx.conditions.push(Condition {
                        expr: &i.cond,
                        holds: false,
                    });
                    self.in_debug_if(debug == Some(false), |w| w.visit_expr(e));
                    self.cx.conditions.pop();
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

/// The attributes of an item, for `#[cfg(..)]` checks.
fn item_attrs(item: &Item) -> &[syn::Attribute] {
    match item {
        Item::Fn(i) => &i.attrs,
        Item::Impl(i) => &i.attrs,
        Item::Mod(i) => &i.attrs,
        Item::Const(i) => &i.attrs,
        Item::Static(i) => &i.attrs,
        Item::Struct(i) => &i.attrs,
        Item::Enum(i) => &i.attrs,
        Item::Trait(i) => &i.attrs,
        Item::Macro(i) => &i.attrs,
        Item::Use(i) => &i.attrs,
        Item::Type(i) => &i.attrs,
        _ => &[],
    }
}

/// The attributes of a statement (`#[cfg(debug_assertions)] let cors = …;`).
fn stmt_attrs(s: &syn::Stmt) -> &[syn::Attribute] {
    match s {
        syn::Stmt::Local(l) => &l.attrs,
        syn::Stmt::Macro(m) => &m.attrs,
        syn::Stmt::Item(i) => item_attrs(i),
        syn::Stmt::Expr(e, _) => match e {
            Expr::Assign(a) => &a.attrs,
            Expr::Block(b) => &b.attrs,
            Expr::Call(c) => &c.attrs,
            Expr::MethodCall(m) => &m.attrs,
            Expr::If(i) => &i.attrs,
            Expr::Macro(m) => &m.attrs,
            _ => &[],
        },
    }
}

/// The name an item declares in its module's namespace, if any.
fn item_name(item: &Item) -> Option<String> {
    let ident = match item {
        Item::Fn(f) => &f.sig.ident,
        Item::Struct(s) => &s.ident,
        Item::Enum(e) => &e.ident,
        Item::Union(u) => &u.ident,
        Item::Trait(t) => &t.ident,
        Item::TraitAlias(t) => &t.ident,
        Item::Type(t) => &t.ident,
        Item::Const(c) => &c.ident,
        Item::Static(s) => &s.ident,
        Item::Mod(m) => &m.ident,
        Item::Macro(m) => m.ident.as_ref()?,
        _ => return None,
    };
    Some(ident.to_string())
}
