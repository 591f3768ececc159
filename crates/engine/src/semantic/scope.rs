//! Where the walk is: inside which fn, impl, async context, escape-hatch closure, loop, test code.

use super::names::QualifiedName;

/// Whether a function is a request handler.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HandlerStatus {
    /// A route attribute (`#[get("/")]`), or an async fn of the api layer taking extractors.
    Yes,
    /// An async free function that is a handler if a router registers it somewhere in the project
    /// (settled after all files: see [`crate::diagnostic::Requirement`]).
    IfRegistered(String),
    No,
}

/// What the engine knows of the function being walked.
#[derive(Clone)]
pub struct FnInfo<'ast> {
    pub sig: &'ast syn::Signature,
    /// The body (for rules that look at what the function returns, at its exit).
    pub body: &'ast syn::Block,
    pub attrs: &'ast [syn::Attribute],
    pub name: String,
    /// Canonical path (`app::services::user_service::UserService::create`).
    pub path: String,
    pub is_async: bool,
    /// Has a `self` receiver.
    pub is_method: bool,
    pub is_pub: bool,
    /// `#[test]`, `#[tokio::test]`, … or inside `#[cfg(test)]`.
    pub is_test: bool,
    pub handler: HandlerStatus,
    /// The impl it belongs to, if any: (self type, trait).
    pub impl_of: Option<(Option<QualifiedName>, Option<QualifiedName>)>,
}

impl FnInfo<'_> {
    /// `main`, and the usual names of startup code.
    pub fn is_startup(&self) -> bool {
        let n = self.name.as_str();
        n == "main"
            || n == "run"
            || n == "build_app"
            || n == "app"
            || n == "router"
            || n == "startup"
            || n == "serve"
            || n == "start"
            || n == "start_server"
            || n == "run_server"
            || n == "launch"
            || n == "bootstrap"
            || n.starts_with("init")
            || n.starts_with("setup")
            || n.starts_with("build_")
            || n.starts_with("create_app")
            || n.starts_with("configure")
    }
}

#[derive(Clone)]
pub enum Frame<'ast> {
    Fn(FnInfo<'ast>),
    /// A closure; `escape` when it is the argument of an escape hatch (`spawn_blocking`), which
    /// runs it off the async executor.
    Closure {
        is_async: bool,
        escape: bool,
    },
    AsyncBlock,
    Loop,
    /// An inline `mod`; `test` for `#[cfg(test)]`.
    Mod {
        test: bool,
    },
    Impl {
        self_ty: Option<QualifiedName>,
        trait_: Option<QualifiedName>,
        test: bool,
    },
    /// A `const`/`static` initializer or a `Lazy`/`OnceLock` initializer: startup code.
    StaticInit,
    /// Code compiled or run only in debug builds: under `#[cfg(debug_assertions)]`, or the branch
    /// of `if cfg!(debug_assertions)` taken in debug builds.
    DebugOnly,
}

/// What a loop frame iterates: the rules that care about repetition (N+1 queries) ask
/// [`crate::visit::Cx::current_loop`] which kind of loop they are in.
#[derive(Clone, Copy)]
pub enum LoopKind<'ast> {
    /// `for pat in expr { … }`
    For {
        pat: &'ast syn::Pat,
        expr: &'ast syn::Expr,
    },
    /// `while cond { … }`, `while let … = … { … }`
    While { cond: &'ast syn::Expr },
    /// `loop { … }`
    Loop { body: &'ast syn::Block },
    /// A closure run once per item by an iterator or stream adapter: `items.iter().map(|x| …)`,
    /// `stream::iter(ids).then(|id| …)`. `method` is the adapter (`map`, `for_each`, `then`, …),
    /// `receiver` what it is called on.
    PerItem {
        method: &'ast syn::Ident,
        receiver: &'ast syn::Expr,
    },
}

#[derive(Default)]
pub struct Frames<'ast> {
    stack: Vec<Frame<'ast>>,
    /// The whole file is test code.
    pub file_is_test: bool,
    /// Closures passed to a call that is not a known escape hatch, with the callee and the
    /// argument's index: (index of the closure's frame, callee, argument). The callee may run the
    /// closure off the executor (a crate's own `run_blocking(f)` around `spawn_blocking`), which
    /// only the whole project can tell.
    closure_args: Vec<(usize, String, usize)>,
    /// How many test frames (`#[cfg(test)]` modules and impls, test functions) are open: asked on
    /// every node, so kept rather than searched.
    test_depth: usize,
}

fn is_test_frame(f: &Frame<'_>) -> bool {
    match f {
        Frame::Mod { test } | Frame::Impl { test, .. } => *test,
        Frame::Fn(info) => info.is_test,
        _ => false,
    }
}

impl<'ast> Frames<'ast> {
    pub fn push(&mut self, f: Frame<'ast>) {
        self.test_depth += usize::from(is_test_frame(&f));
        self.stack.push(f);
    }

    pub fn pop(&mut self) -> Option<Frame<'ast>> {
        let f = self.stack.pop();
        if f.as_ref().is_some_and(is_test_frame) {
            self.test_depth -= 1;
        }
        let len = self.stack.len();
        while self.closure_args.last().is_some_and(|(i, _, _)| *i >= len) {
            self.closure_args.pop();
        }
        f
    }

    /// The closure just pushed is argument `arg` of a call of `callee`.
    pub fn note_closure_arg(&mut self, callee: String, arg: usize) {
        if let Some(i) = self.stack.len().checked_sub(1) {
            self.closure_args.push((i, callee, arg));
        }
    }

    /// The call whose closure argument the walk is in, within the current function or `async`
    /// block: (callee, argument index). Code there is async context unless the callee hands the
    /// closure to an escape hatch, which is known after the walk (see
    /// [`crate::diagnostic::Requirement::NotOffloaded`]).
    pub fn enclosing_closure_call(&self) -> Option<(&str, usize)> {
        for (i, f) in self.stack.iter().enumerate().rev() {
            match f {
                Frame::Closure {
                    is_async: false,
                    escape: false,
                } => {
                    if let Some((_, callee, arg)) =
                        self.closure_args.iter().rev().find(|(at, _, _)| *at == i)
                    {
                        return Some((callee, *arg));
                    }
                }
                Frame::Closure { .. } | Frame::AsyncBlock | Frame::Fn(_) | Frame::StaticInit => {
                    return None
                }
                _ => {}
            }
        }
        None
    }

    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &Frame<'ast>> {
        self.stack.iter()
    }

    /// Code here runs on an async executor: inside an `async fn`, `async` block or async closure,
    /// or a plain closure within them — but not inside an escape-hatch closure, and not in a nested
    /// sync `fn` item.
    pub fn in_async(&self) -> bool {
        for f in self.stack.iter().rev() {
            match f {
                Frame::Closure { escape: true, .. } => return false,
                Frame::Closure { is_async: true, .. } | Frame::AsyncBlock => return true,
                Frame::Fn(info) => return info.is_async,
                Frame::StaticInit => return false,
                _ => {}
            }
        }
        false
    }

    /// Inside a closure given to `spawn_blocking`, `block_in_place`, `web::block`, … (before the
    /// nearest fn boundary).
    pub fn in_escape_hatch(&self) -> bool {
        for f in self.stack.iter().rev() {
            match f {
                Frame::Closure { escape: true, .. } => return true,
                Frame::Fn(_) => return false,
                _ => {}
            }
        }
        false
    }

    /// Inside a loop body or a per-item closure of the current function.
    pub fn in_loop(&self) -> bool {
        for f in self.stack.iter().rev() {
            match f {
                Frame::Loop => return true,
                Frame::Fn(_) => return false,
                _ => {}
            }
        }
        false
    }

    /// Test code: a test file, `#[cfg(test)]` module or impl, `#[test]` function.
    pub fn in_test(&self) -> bool {
        self.file_is_test || self.test_depth > 0
    }

    /// Inside a `static`/`const`/lazy initializer.
    pub fn in_static_init(&self) -> bool {
        self.stack.iter().any(|f| matches!(f, Frame::StaticInit))
    }

    /// Only in debug builds (see [`Frame::DebugOnly`]): development settings that release builds
    /// never see.
    pub fn in_debug_only(&self) -> bool {
        self.stack.iter().any(|f| matches!(f, Frame::DebugOnly))
    }

    /// The innermost function.
    pub fn current_fn(&self) -> Option<&FnInfo<'ast>> {
        self.stack.iter().rev().find_map(|f| match f {
            Frame::Fn(info) => Some(info),
            _ => None,
        })
    }

    /// The innermost impl: (self type, trait).
    pub fn current_impl(&self) -> Option<(Option<&QualifiedName>, Option<&QualifiedName>)> {
        self.stack.iter().rev().find_map(|f| match f {
            Frame::Impl {
                self_ty, trait_, ..
            } => Some((self_ty.as_ref(), trait_.as_ref())),
            _ => None,
        })
    }

    /// Inside a closure (of the current fn).
    pub fn in_closure(&self) -> bool {
        for f in self.stack.iter().rev() {
            match f {
                Frame::Closure { .. } => return true,
                Frame::Fn(_) => return false,
                _ => {}
            }
        }
        false
    }
}

/// Is this attribute a test marker: `#[test]`, `#[tokio::test]`, `#[sqlx::test]`,
/// `#[actix_web::test]`, `#[rstest]`, …?
pub fn is_test_attr(attr: &syn::Attribute) -> bool {
    // runs on every attribute of every function: doc comments (`#[doc = ".."]`, the only
    // name-value attributes most code has) are rejected first, the rest compared in place
    if matches!(attr.meta, syn::Meta::NameValue(_)) {
        return false;
    }
    attr.path().segments.last().is_some_and(|s| {
        ["test", "rstest", "bench", "test_case", "quickcheck"]
            .iter()
            .any(|t| s.ident == t)
    })
}

/// Is this `#[cfg(test)]` (also `#[cfg(all(test, …))]`)?
pub fn is_cfg_test(attr: &syn::Attribute) -> bool {
    is_cfg_of(attr, "test")
}

/// Is this `#[cfg(debug_assertions)]` (also `#[cfg(all(debug_assertions, …))]`)?
pub fn is_cfg_debug(attr: &syn::Attribute) -> bool {
    is_cfg_of(attr, "debug_assertions")
}

/// Is this `#[cfg(word)]` or `#[cfg(all(word, …))]`?
fn is_cfg_of(attr: &syn::Attribute, word: &str) -> bool {
    // a list first: doc comments, the most numerous attributes, are name-values
    let syn::Meta::List(list) = &attr.meta else {
        return false;
    };
    if !list.path.is_ident("cfg") {
        return false;
    }
    // only the start of the list matters: print no more of it than `all(word` needs (printing
    // stops when the buffer is full; iterating the tokens would copy them all first)
    let (head, whole) = printed_prefix(&list.tokens);
    (whole && head == word)
        || head
            .strip_prefix("all")
            .map(str::trim_start)
            .and_then(|t| t.strip_prefix('('))
            .is_some_and(|t| t.starts_with(word))
}

/// The first bytes of how `tokens` print, and whether that is all of it.
fn printed_prefix(tokens: &proc_macro2::TokenStream) -> (String, bool) {
    use std::fmt::Write;
    const CAP: usize = 64;
    struct Capped(String);
    impl Write for Capped {
        fn write_str(&mut self, s: &str) -> std::fmt::Result {
            if self.0.len() + s.len() > CAP {
                return Err(std::fmt::Error);
            }
            self.0.push_str(s);
            Ok(())
        }
    }
    let mut out = Capped(String::with_capacity(CAP));
    let whole = write!(out, "{tokens}").is_ok();
    (out.0, whole)
}

/// `cfg!(debug_assertions)` → `Some(true)`, `!cfg!(debug_assertions)` → `Some(false)`: which branch
/// of an `if` on it runs in debug builds only.
pub fn cfg_debug_condition(cond: &syn::Expr) -> Option<bool> {
    match cond {
        syn::Expr::Macro(m) => {
            let is_cfg = m.mac.path.segments.last().is_some_and(|s| s.ident == "cfg");
            (is_cfg && m.mac.tokens.to_string() == "debug_assertions").then_some(true)
        }
        syn::Expr::Unary(u) if matches!(u.op, syn::UnOp::Not(_)) => {
            cfg_debug_condition(&u.expr).map(|b| !b)
        }
        syn::Expr::Paren(p) => cfg_debug_condition(&p.expr),
        syn::Expr::Group(g) => cfg_debug_condition(&g.expr),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attr(src: &str) -> syn::Attribute {
        let item: syn::ItemFn = syn::parse_str(&format!("{src} fn f() {{}}")).expect("item");
        item.attrs.into_iter().next().expect("an attribute")
    }

    #[test]
    fn cfg_test_and_debug_read_only_the_start_of_the_list() {
        let long =
            "a-feature-name-long-enough-that-the-printed-list-is-cut-short-well-before-its-end";
        for (src, test, debug) in [
            ("#[cfg(test)]", true, false),
            ("#[cfg(all(test, feature = \"db\"))]", true, false),
            (
                &format!("#[cfg(all(test, feature = \"{long}\"))]"),
                true,
                false,
            ),
            (
                &format!("#[cfg(all(feature = \"{long}\", test))]"),
                false,
                false,
            ),
            ("#[cfg(not(test))]", false, false),
            ("#[cfg(feature = \"test\")]", false, false),
            ("#[cfg(test_utils)]", false, false),
            ("#[cfg(debug_assertions)]", false, true),
            ("#[cfg(all(debug_assertions, unix))]", false, true),
            ("#[cfg_attr(test, derive(Debug))]", false, false),
            ("#[doc = \"test\"]", false, false),
        ] {
            let a = attr(src);
            assert_eq!(is_cfg_test(&a), test, "{src}");
            assert_eq!(is_cfg_debug(&a), debug, "{src}");
        }
    }
}
