//! The single walk of a file. [`Walker`] keeps the semantic model current (imports, scopes, locals,
//! the function being walked) and calls every rule registered for the node it is on; [`Cx`] is what
//! a rule sees. This module holds the node views handed to rules.

mod consts;
mod cx;
mod origin;
mod spans;
#[cfg(test)]
mod tests;
mod walker;

use std::cell::OnceCell;
use std::sync::Arc;

use proc_macro2::Span;
use syn::spanned::Spanned;
use syn::Expr;

use crate::diagnostic::{normalized_hash, Diagnostic, Loc};
use crate::project::FileInfo;
use crate::rule::{new_diag, Fact, Rule, RuleMeta};
use crate::semantic::macros::MacroArgs;
use crate::semantic::names::QualifiedName;
use crate::semantic::resolve::UseBinding;
use crate::source::SourceText;

pub use cx::{chain_root, Cx, Derive};
pub use spans::expr_span;
pub use walker::{Walker, ESCAPE_HATCH_FNS, ESCAPE_HATCH_METHODS};

/// A call whose callee is a path: `std::fs::read(p)`, `UserService::new(repo)`.
pub struct Call<'ast> {
    pub expr: &'ast syn::ExprCall,
    /// The callee, resolved (None for `(self.f)(x)` and closures).
    pub path: Option<QualifiedName>,
    /// The call is the operand of `.await`.
    pub awaited: bool,
    /// Memo of [`Call::project_path`].
    in_project: OnceCell<bool>,
}

impl Call<'_> {
    /// The callee, when it is an item of one of the checked project's crates (`read_config(p)`,
    /// `Self::helper()`, `crate::util::load()`). Computed on first use and shared by the rules
    /// that follow calls from function to function.
    pub fn project_path(&self, cx: &Cx<'_, '_>) -> Option<&QualifiedName> {
        let q = self.path.as_ref()?;
        self.in_project
            .get_or_init(|| cx.in_project(q))
            .then_some(q)
    }

    pub fn args(&self) -> impl Iterator<Item = &Expr> {
        self.expr.args.iter()
    }

    pub fn arg(&self, i: usize) -> Option<&Expr> {
        self.expr.args.iter().nth(i)
    }

    pub fn span(&self) -> Span {
        spans::call_span(self.expr)
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
    /// Memo of [`MethodCall::project_method`].
    project_method: OnceCell<Option<String>>,
}

impl MethodCall<'_> {
    /// The canonical path of the method called, when it is a method of one of the checked
    /// project's types: on `self` (the current impl's type), or on a receiver whose type the model
    /// knows (`repo.f()`, `self.repo.f()`, `(&x).f()`). Computed on first use and shared by the
    /// rules that follow calls from function to function.
    pub fn project_method(&self, cx: &Cx<'_, '_>) -> Option<&str> {
        self.project_method
            .get_or_init(|| {
                let typed;
                let ty = match self.receiver() {
                    Expr::Path(p) if p.path.is_ident("self") => cx.current_impl()?.0?,
                    r @ (Expr::Path(_) | Expr::Field(_) | Expr::Reference(_)) => {
                        typed = cx.expr_type(r)?;
                        &typed
                    }
                    _ => return None,
                };
                cx.in_project(ty)
                    .then(|| ty.join(&self.method).into_string())
            })
            .as_deref()
    }

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
        spans::method_call_span(self.expr)
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
    /// References to the project's items (only when a rule declared [`crate::Hooks::DEPS`]).
    pub deps: crate::deps::FileDeps,
    /// Functions that hand their parameter number `.1` to an escape hatch (`spawn_blocking(f)`).
    pub offloaders: Vec<(String, usize)>,
    /// Function `.0` passes its parameter `.1` on to function `.2` as argument `.3`.
    pub offload_edges: Vec<(String, usize, String, usize)>,
}

/// One dispatch list per hook, built per file from the rules enabled there.
pub struct Dispatch<'r> {
    pub rules: &'r [Box<dyn Rule>],
    pub lists: [Vec<usize>; 15],
    /// The same for test code: only rules that look at tests ([`Rule::applies_to_tests`]).
    pub test_lists: [Vec<usize>; 15],
    /// The `EXPR` rules by kind of expression ([`crate::rule::ExprKinds::index`]), and for test code.
    pub expr_lists: Vec<Vec<usize>>,
    pub test_expr_lists: Vec<Vec<usize>>,
}

impl<'r> Dispatch<'r> {
    pub fn new(rules: &'r [Box<dyn Rule>], enabled: &[bool]) -> Dispatch<'r> {
        let mut lists: [Vec<usize>; 15] = Default::default();
        let mut test_lists: [Vec<usize>; 15] = Default::default();
        let mut expr_lists = vec![Vec::new(); 64];
        let mut test_expr_lists = vec![Vec::new(); 64];
        for (i, r) in rules.iter().enumerate() {
            if !enabled.get(i).copied().unwrap_or(false) {
                continue;
            }
            let bits = r.hooks().bits();
            let in_tests = r.applies_to_tests();
            for h in 0..15 {
                if bits & (1 << h) != 0 {
                    lists[h].push(i);
                    if in_tests {
                        test_lists[h].push(i);
                    }
                }
            }
            if r.hooks().contains(crate::rule::Hooks::EXPR) {
                let kinds = r.expr_kinds().bits();
                for k in 0..64 {
                    if kinds & (1 << k) != 0 {
                        expr_lists[k].push(i);
                        if in_tests {
                            test_expr_lists[k].push(i);
                        }
                    }
                }
            }
        }
        Dispatch {
            rules,
            lists,
            test_lists,
            expr_lists,
            test_expr_lists,
        }
    }

    pub fn has(&self, hook: crate::rule::Hooks) -> bool {
        !self.lists[hook.bits().trailing_zeros() as usize].is_empty()
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

    pub fn fact<T: std::any::Any + Send + Sync + serde::Serialize>(&mut self, fact: T) {
        self.facts
            .push((self.rule_index, crate::facts::Fact::new(fact)));
    }
}
