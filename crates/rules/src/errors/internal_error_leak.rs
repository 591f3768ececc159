//! Internal error text in a 5xx response (CWE-209): `Err(e) => (StatusCode::INTERNAL_SERVER_ERROR,
//! e.to_string())` tells the client about queries, tables, paths and library versions.

use stratalint_engine::proc_macro2::{Span, TokenStream, TokenTree};
use stratalint_engine::syn::spanned::Spanned;
use stratalint_engine::syn::{self, Block, Expr, Pat, Stmt};
use stratalint_engine::{Cx, ExprKinds, FnNode, Hooks, MethodCall, Rule, RuleMeta};

use super::is_err_pattern;
use crate::shared::request_path::{backend_code, report_where, Reach};

static META: RuleMeta = crate::meta!("internal-error-leak", Errors, "errors", Error);

/// Status codes of server-side failures (`StatusCode::INTERNAL_SERVER_ERROR`, …).
const SERVER_ERROR_STATUSES: &[&str] = &[
    "INTERNAL_SERVER_ERROR",
    "BAD_GATEWAY",
    "SERVICE_UNAVAILABLE",
    "GATEWAY_TIMEOUT",
    "INSUFFICIENT_STORAGE",
];

/// Response builders and error constructors of server-side failures (actix
/// `HttpResponse::InternalServerError()`, `error::ErrorInternalServerError(e)`, poem
/// `InternalServerError(e)`).
const SERVER_ERROR_BUILDERS: &[&str] = &[
    "InternalServerError",
    "BadGateway",
    "ServiceUnavailable",
    "GatewayTimeout",
    "ErrorInternalServerError",
    "ErrorBadGateway",
    "ErrorServiceUnavailable",
    "ErrorGatewayTimeout",
];

/// Methods that set a response body.
const BODY_METHODS: &[&str] = &["body", "json", "message_body", "set_body", "content"];

/// Traits whose impls turn an error into a response.
const RESPONSE_TRAITS: &[&str] = &["IntoResponse", "ResponseError", "Responder"];

/// Methods that render their receiver's text, or hand it on.
const RENDERS: &[&str] = &[
    "to_string",
    "message",
    "description",
    "as_str",
    "as_ref",
    "to_owned",
    "into",
    "clone",
];

pub struct InternalErrorLeak;

fn is_server_status(e: &Expr) -> bool {
    match e {
        Expr::Path(p) => p
            .path
            .segments
            .last()
            .is_some_and(|s| SERVER_ERROR_STATUSES.contains(&s.ident.to_string().as_str())),
        Expr::Reference(r) => is_server_status(&r.expr),
        Expr::Paren(p) => is_server_status(&p.expr),
        _ => false,
    }
}

fn is_server_builder(func: &Expr) -> bool {
    matches!(func, Expr::Path(p) if p.path.segments.last().is_some_and(|s| SERVER_ERROR_BUILDERS.contains(&s.ident.to_string().as_str())))
}

/// Does a macro's token stream mention one of `names` (`format!("{e}")`, `json!({"error": e.to_string()})`)?
fn tokens_mention(tokens: &TokenStream, names: &[String]) -> bool {
    tokens.clone().into_iter().any(|t| match t {
        TokenTree::Ident(i) => names.iter().any(|n| i == n),
        TokenTree::Group(g) => tokens_mention(&g.stream(), names),
        TokenTree::Literal(l) => {
            let s = l.to_string();
            s.starts_with('"')
                && stratalint_engine::semantic::macros::inline_captures(&s)
                    .iter()
                    .any(|c| names.iter().any(|n| n == c))
        }
        TokenTree::Punct(_) => false,
    })
}

/// Does `e` put the text of one of `names` in a value (`e`, `e.to_string()`, `format!("{e}")`,
/// `Json(json!({"error": e.to_string()}))`)? Other methods (`e.kind()`, `e.status()`) do not.
fn renders(e: &Expr, names: &[String]) -> bool {
    match e {
        Expr::Path(p) => p
            .path
            .get_ident()
            .is_some_and(|i| names.iter().any(|n| i == n)),
        Expr::MethodCall(m) => {
            (RENDERS.contains(&m.method.to_string().as_str()) && renders(&m.receiver, names))
                || m.args.iter().any(|a| renders(a, names))
        }
        Expr::Field(f) => renders(&f.base, names),
        Expr::Call(c) => c.args.iter().any(|a| renders(a, names)),
        Expr::Struct(s) => s.fields.iter().any(|f| renders(&f.expr, names)),
        Expr::Reference(r) => renders(&r.expr, names),
        Expr::Paren(p) => renders(&p.expr, names),
        Expr::Group(g) => renders(&g.expr, names),
        Expr::Tuple(t) => t.elems.iter().any(|x| renders(x, names)),
        Expr::Array(a) => a.elems.iter().any(|x| renders(x, names)),
        Expr::Macro(m) => tokens_mention(&m.mac.tokens, names),
        Expr::Block(b) => match b.block.stmts.last() {
            Some(Stmt::Expr(x, None)) => renders(x, names),
            _ => false,
        },
        _ => false,
    }
}

/// The identifiers a pattern binds.
fn bindings(p: &Pat, out: &mut Vec<String>) {
    match p {
        Pat::Ident(i) => {
            out.push(i.ident.to_string());
            if let Some((_, sub)) = &i.subpat {
                bindings(sub, out);
            }
        }
        Pat::TupleStruct(t) => t.elems.iter().for_each(|e| bindings(e, out)),
        Pat::Struct(s) => s.fields.iter().for_each(|f| bindings(&f.pat, out)),
        Pat::Tuple(t) => t.elems.iter().for_each(|e| bindings(e, out)),
        Pat::Reference(r) => bindings(&r.pat, out),
        Pat::Paren(p) => bindings(&p.pat, out),
        Pat::Or(o) => o.cases.iter().for_each(|c| bindings(c, out)),
        Pat::Type(t) => bindings(&t.pat, out),
        Pat::Guard(g) => bindings(&g.pat, out),
        _ => {}
    }
}

/// Is `e` itself an error context that the rule scans on its own (a `match` with `Err` arms, an
/// `if let Err`, a `map_err` closure)? Scans do not enter them twice.
fn is_error_context(e: &Expr) -> bool {
    match e {
        Expr::Match(m) => m.arms.iter().any(|a| is_err_pattern(&a.pat)),
        Expr::If(i) => matches!(&*i.cond, Expr::Let(l) if is_err_pattern(&l.pat)),
        Expr::MethodCall(m) => {
            ERROR_CLOSURE_METHODS.contains(&m.method.to_string().as_str())
                && m.args.iter().any(|a| matches!(a, Expr::Closure(_)))
        }
        _ => false,
    }
}

/// Methods whose closure argument receives the error.
const ERROR_CLOSURE_METHODS: &[&str] = &["map_err", "or_else", "unwrap_or_else", "map_or_else"];

/// Finds server-error responses in a body that render one of `names` (the payloads' spans).
struct Scan<'n> {
    names: &'n [String],
    found: Vec<Span>,
}

impl Scan<'_> {
    fn response(&mut self, e: &Expr) {
        match e {
            // `(StatusCode::INTERNAL_SERVER_ERROR, e.to_string())`
            Expr::Tuple(t) if t.elems.iter().any(is_server_status) => {
                for x in t.elems.iter().filter(|x| !is_server_status(x)) {
                    if renders(x, self.names) {
                        self.found.push(x.span());
                    }
                }
            }
            // `ErrorInternalServerError(e)`
            Expr::Call(c) if is_server_builder(&c.func) => {
                for a in c.args.iter().filter(|a| renders(a, self.names)) {
                    self.found.push(a.span());
                }
            }
            // `HttpResponse::InternalServerError().body(e.to_string())`,
            // `Response::builder().status(StatusCode::INTERNAL_SERVER_ERROR).body(format!("{e}"))`
            Expr::MethodCall(m)
                if BODY_METHODS.contains(&m.method.to_string().as_str())
                    && server_error_chain(&m.receiver) =>
            {
                for a in m.args.iter().filter(|a| renders(a, self.names)) {
                    self.found.push(a.span());
                }
            }
            _ => {}
        }
    }
}

/// Does a builder chain set a server-error status?
fn server_error_chain(e: &Expr) -> bool {
    let mut e = e;
    loop {
        match e {
            Expr::MethodCall(m) => {
                if m.args.iter().any(is_server_status) {
                    return true;
                }
                e = &m.receiver;
            }
            Expr::Call(c) => {
                return is_server_builder(&c.func) || c.args.iter().any(is_server_status)
            }
            Expr::Paren(p) => e = &p.expr,
            _ => return false,
        }
    }
}

impl<'e> syn::visit::Visit<'e> for Scan<'_> {
    fn visit_expr(&mut self, e: &'e Expr) {
        if is_error_context(e) {
            return;
        }
        self.response(e);
        syn::visit::visit_expr(self, e);
    }
    fn visit_item(&mut self, _: &'e syn::Item) {}
}

impl InternalErrorLeak {
    fn scan(cx: &mut Cx<'_, '_>, names: Vec<String>, body: ScanRoot<'_>) {
        if names.is_empty() {
            return;
        }
        let reach = backend_code(cx);
        if reach == Reach::No {
            return;
        }
        let mut scan = Scan {
            names: &names,
            found: Vec::new(),
        };
        match body {
            ScanRoot::Expr(e) => syn::visit::Visit::visit_expr(&mut scan, e),
            ScanRoot::Block(b) => syn::visit::Visit::visit_block(&mut scan, b),
        }
        let subject = if names.iter().any(|n| n == "self") {
            "the error's own text".to_string()
        } else {
            format!("the text of error `{}`", names.join("`/`"))
        };
        for span in scan.found {
            let d = cx
                .diag(span, format!("{subject} is sent to the client in a server-error response"))
                .with_label("internal error text in the response body")
                .with_help(
                    "log the error with its details (`tracing::error!(error = ?e, \"…\")`) and answer with a \
                     fixed message (\"internal server error\"); error text can reveal queries, table names, \
                     file paths and library versions (CWE-209)",
                );
            report_where(cx, reach, d);
        }
    }

    fn in_response_impl(cx: &Cx<'_, '_>) -> bool {
        cx.current_impl()
            .and_then(|(_, t)| t)
            .is_some_and(|t| RESPONSE_TRAITS.contains(&t.last()))
    }
}

enum ScanRoot<'e> {
    Expr(&'e Expr),
    Block(&'e Block),
}

impl Rule for InternalErrorLeak {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn hooks(&self) -> Hooks {
        Hooks::EXPR | Hooks::METHOD_CALL | Hooks::FN
    }

    fn expr_kinds(&self) -> ExprKinds {
        ExprKinds::MATCH | ExprKinds::IF
    }

    fn check_fn(&self, cx: &mut Cx<'_, '_>, f: &FnNode<'_>) {
        // `impl IntoResponse for AppError`: `self` is the error
        if Self::in_response_impl(cx) {
            Self::scan(cx, vec!["self".into()], ScanRoot::Block(f.block));
        }
    }

    fn check_expr(&self, cx: &mut Cx<'_, '_>, expr: &Expr) {
        match expr {
            Expr::Match(m) => {
                let response_impl = Self::in_response_impl(cx);
                for arm in &m.arms {
                    let pat = match &arm.pat {
                        Pat::Guard(g) => &*g.pat,
                        other => other,
                    };
                    // `Err(e)`; in a response impl, a variant's fields (`Self::Database(e)`)
                    let variant = matches!(pat, Pat::TupleStruct(_) | Pat::Struct(_));
                    if is_err_pattern(pat) || (response_impl && variant) {
                        let mut names = Vec::new();
                        bindings(&arm.pat, &mut names);
                        Self::scan(cx, names, ScanRoot::Expr(&arm.body));
                    }
                }
            }
            Expr::If(i) => {
                if let Expr::Let(l) = &*i.cond {
                    if is_err_pattern(&l.pat) {
                        let mut names = Vec::new();
                        bindings(&l.pat, &mut names);
                        Self::scan(cx, names, ScanRoot::Block(&i.then_branch));
                    }
                }
            }
            _ => {}
        }
    }

    fn check_method_call(&self, cx: &mut Cx<'_, '_>, call: &MethodCall<'_>) {
        if !ERROR_CLOSURE_METHODS.contains(&call.method.as_str()) {
            return;
        }
        // the closure that receives the error: the first one
        let Some(Expr::Closure(c)) = call.args().find(|a| matches!(a, Expr::Closure(_))) else {
            return;
        };
        let mut names = Vec::new();
        for p in &c.inputs {
            bindings(p, &mut names);
        }
        Self::scan(cx, names, ScanRoot::Expr(&c.body));
    }
}
