//! Login, registration and password-reset endpoints without a rate limiter invite credential
//! stuffing and brute force (CWE-307).
//!
//! axum layers wrap only the routes added before them; actix `wrap` covers its whole `App`, scope
//! or resource. Routers are summarised per function ([`super::routers`]) and settled here across
//! functions and files: from each router handed to the server down through its nests and merges.
//! Routes whose router never reaches a server stratalint can see are reported as "not provable".

use regex::Regex;
use rustc_hash::{FxHashMap, FxHashSet};
use serde::Deserialize;
use stratalint_engine::syn::{self, Expr};
use stratalint_engine::{
    Call, Cx, Hooks, Loc, MethodCall, ProjectCx, Rule, RuleMeta, RuleOptions, Severity,
};

use super::common::{chain, is_api, lit_str, peel};
use super::routers::{
    config_ops, is_limiter, summarize, AttrRoute, Layer, LayerFn, Op, RouterFn, RouterServed, Src,
};

static META: RuleMeta = crate::meta!("auth-route-without-rate-limit", Security, "security", Error);

/// Path segments (or their `-`/`_` words) that make a route an authentication endpoint.
const AUTH_WORDS: &[&str] = &[
    "login",
    "signin",
    "logon",
    "auth",
    "authenticate",
    "authorize",
    "token",
    "oauth",
    "oauth2",
    "register",
    "signup",
    "password",
    "passwd",
    "reset",
    "forgot",
    "otp",
    "mfa",
    "2fa",
    "totp",
    "verify",
    "magic",
];

/// Last segments of routes that are under an auth prefix but do not take credentials.
const NOT_CREDENTIALS: &[&str] = &[
    "logout",
    "signout",
    "logoff",
    "jwks",
    "jwksjson",
    "wellknown",
    "me",
    "whoami",
    "userinfo",
    "callback",
    "health",
    "status",
];

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Options {
    /// Regexes of auth paths, replacing the built-in words.
    #[serde(default)]
    auth_paths: Option<Vec<String>>,
    /// Regexes of paths never to report.
    #[serde(default)]
    ignore_paths: Vec<String>,
    /// More names of limiter constructors or middleware (case-insensitive parts of a name).
    #[serde(default)]
    limiters: Vec<String>,
}

#[derive(Default)]
pub struct AuthRouteWithoutRateLimit {
    auth_paths: Option<Vec<Regex>>,
    ignore_paths: Vec<Regex>,
    limiters: Vec<String>,
}

/// tower_governor's default key extractor is the peer address: the server must provide it.
#[derive(serde::Serialize, serde::Deserialize)]
struct PeerIpGovernor;
#[derive(serde::Serialize, serde::Deserialize)]
struct ServedWithoutConnectInfo {
    loc: Loc,
}

fn regexes(list: &[String]) -> Result<Vec<Regex>, String> {
    list.iter()
        .map(|r| Regex::new(r).map_err(|e| format!("invalid regex `{r}`: {e}")))
        .collect()
}

fn normalize(seg: &str) -> String {
    seg.to_ascii_lowercase().replace(['-', '_', '.'], "")
}

impl AuthRouteWithoutRateLimit {
    /// Is this full path an authentication endpoint?
    fn is_auth(&self, path: &str) -> bool {
        if self.ignore_paths.iter().any(|r| r.is_match(path)) {
            return false;
        }
        if let Some(custom) = &self.auth_paths {
            return custom.iter().any(|r| r.is_match(path));
        }
        let segments: Vec<&str> = path
            .split('/')
            .filter(|s| !s.is_empty() && !s.starts_with(['{', ':', '*', '<']))
            .collect();
        let Some(last) = segments.last() else {
            return false;
        };
        if NOT_CREDENTIALS.contains(&normalize(last).as_str()) {
            return false;
        }
        segments.iter().any(|s| {
            let lower = s.to_ascii_lowercase();
            AUTH_WORDS.contains(&normalize(s).as_str())
                || lower
                    .split(['-', '_', '.'])
                    .any(|w| AUTH_WORDS.contains(&w))
        })
    }

    /// Record what a function body builds: a router, an actix config, a layer.
    fn record_fn_body(&self, cx: &mut Cx<'_, '_>, block: &syn::Block) {
        let Some(f) = cx.current_fn() else { return };
        let config_param = f.sig.inputs.iter().find_map(|i| match i {
            syn::FnArg::Typed(t) => {
                let is_cfg = match &*t.ty {
                    syn::Type::Reference(r) => type_last_is(&r.elem, "ServiceConfig"),
                    other => type_last_is(other, "ServiceConfig"),
                };
                match (&*t.pat, is_cfg) {
                    (syn::Pat::Ident(p), true) => Some(p.ident.to_string()),
                    _ => None,
                }
            }
            _ => None,
        });
        if let Some(param) = config_param {
            let ops = config_ops(cx, block, &param, &self.limiters);
            if !ops.is_empty() {
                let path = fn_path(cx);
                cx.fact(RouterFn {
                    path,
                    src: Src::Ops {
                        ops,
                        unordered: true,
                    },
                });
            }
            return;
        }
        let Some(tail) = tail_expr(block) else { return };
        // the last segment of the resolved return type, "" when it does not resolve
        let Some(ret) = cx.current_fn().and_then(|f| match &f.sig.output {
            syn::ReturnType::Type(_, t) => Some(cx.resolve_type(t)),
            syn::ReturnType::Default => None,
        }) else {
            return;
        };
        let ret = ret.as_ref().map_or("", |q| q.last());
        let router = matches!(
            ret,
            "Router" | "App" | "Scope" | "Resource" | "MethodRouter"
        );
        // what any function returning a value gives to a `.layer(f())`/`.wrap(f())`
        if !router {
            let limiter = is_limiter(cx, tail, &self.limiters);
            // a function returning a plain value is never given to `.layer(..)`: no fact for it
            // (there is one such function in most bodies of code, and facts are kept to the end)
            let plain = stratalint_engine::semantic::resolve::is_primitive(ret)
                || matches!(
                    ret,
                    "String"
                        | "Result"
                        | "Option"
                        | "Vec"
                        | "HashMap"
                        | "HashSet"
                        | "BTreeMap"
                        | "Cow"
                        | "Duration"
                        | "PathBuf"
                        | "Uuid"
                );
            if limiter || !plain {
                let path = fn_path(cx);
                cx.fact(LayerFn { path, limiter });
            }
        }
        if !router && !is_router_chain(cx, tail) {
            return;
        }
        if let Some(src) = summarize(cx, tail, &self.limiters) {
            let path = fn_path(cx);
            cx.fact(RouterFn { path, src });
        }
    }
}

/// The path of the function being walked.
fn fn_path(cx: &Cx<'_, '_>) -> String {
    cx.current_fn().map(|f| f.path.clone()).unwrap_or_default()
}

/// Is `t` a path type whose last segment is `name`?
fn type_last_is(t: &syn::Type, name: &str) -> bool {
    match t {
        syn::Type::Path(p) => p.path.segments.last().is_some_and(|s| s.ident == name),
        _ => false,
    }
}

fn tail_expr(block: &syn::Block) -> Option<&Expr> {
    match block.stmts.last()? {
        syn::Stmt::Expr(e, None) => Some(match e {
            Expr::Return(r) => r.expr.as_deref()?,
            other => other,
        }),
        syn::Stmt::Expr(Expr::Return(r), Some(_)) => r.expr.as_deref(),
        _ => None,
    }
}

/// A chain rooted at `Router::new()` or `App::new()` (not a project function).
fn is_router_chain(cx: &Cx<'_, '_>, e: &Expr) -> bool {
    let c = chain(cx, e);
    let Expr::Call(root) = peel(c.root) else {
        return false;
    };
    // a path of several segments resolves to one with the same last segment (only a path made
    // of `super`s does not): anything but `…::new` is ruled out without resolving it
    if let Expr::Path(p) = &*root.func {
        let segs = &p.path.segments;
        if segs.len() >= 2
            && segs
                .iter()
                .last()
                .is_some_and(|s| s.ident != "new" && s.ident != "super")
        {
            return false;
        }
    }
    cx.resolve_expr(&root.func).is_some_and(|q| {
        is_api(&q, &["axum"], "Router::new") || is_api(&q, &["actix_web"], "App::new")
    })
}

impl Rule for AuthRouteWithoutRateLimit {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn hooks(&self) -> Hooks {
        Hooks::CALL | Hooks::METHOD_CALL | Hooks::FN | Hooks::BLOCK | Hooks::PROJECT
    }

    fn configure(&mut self, options: RuleOptions<'_>) -> Result<(), toml::de::Error> {
        let o = Options::deserialize(options)?;
        let custom = |e: String| <toml::de::Error as serde::de::Error>::custom(e);
        self.auth_paths = o
            .auth_paths
            .as_deref()
            .map(regexes)
            .transpose()
            .map_err(custom)?;
        self.ignore_paths = regexes(&o.ignore_paths).map_err(custom)?;
        self.limiters = o.limiters;
        Ok(())
    }

    /// Handlers with a route attribute (actix): `#[post("/auth/login")]`.
    fn check_fn(&self, cx: &mut Cx<'_, '_>, f: &stratalint_engine::FnNode<'_>) {
        if cx.in_test() {
            return;
        }
        for a in f.attrs {
            // a route attribute has arguments: doc comments and other attributes without a list
            // are passed over before their name is looked at
            let syn::Meta::List(list) = &a.meta else {
                continue;
            };
            let route = list.path.segments.last().is_some_and(|s| {
                ["get", "post", "put", "patch", "delete", "route"]
                    .iter()
                    .any(|m| s.ident == m)
            });
            if !route {
                continue;
            }
            let Ok(args) = list.parse_args_with(
                syn::punctuated::Punctuated::<Expr, syn::Token![,]>::parse_terminated,
            ) else {
                continue;
            };
            let Some((path, _)) = args.first().and_then(|e| lit_str(cx, e)) else {
                continue;
            };
            // `#[post("/login", wrap = "Governor::new(&conf)")]`
            let protected = args.iter().skip(1).any(|e| match e {
                Expr::Assign(asg) => lit_str(cx, &asg.right).is_some_and(|(s, _)| {
                    let s = s.to_ascii_lowercase().replace('_', "");
                    ["ratelimit", "governor", "limiter", "throttl"]
                        .iter()
                        .any(|m| s.contains(m))
                }),
                _ => false,
            });
            let fn_path = cx.current_fn().map(|f| f.path.clone()).unwrap_or_default();
            let loc = cx.loc(stratalint_engine::syn::spanned::Spanned::span(a));
            cx.fact(AttrRoute {
                fn_path,
                path,
                protected,
                loc,
            });
        }
    }

    fn check_block_exit(&self, cx: &mut Cx<'_, '_>, block: &syn::Block) {
        if cx.in_test() {
            return;
        }
        // outside closures only a function's body is looked at (the other blocks of a function
        // are not what it returns)
        if !cx.in_closure() {
            if cx.current_fn().is_some_and(|f| std::ptr::eq(f.body, block)) {
                self.record_fn_body(cx, block);
            }
            return;
        }
        // `HttpServer::new(move || { …; App::new()… })`
        if let Some(tail) = tail_expr(block) {
            if is_router_chain(cx, tail) {
                let c = chain(cx, tail);
                let app = matches!(peel(c.root), Expr::Call(r) if cx.resolve_expr(&r.func).is_some_and(|q| q.first() == "actix_web"));
                if app {
                    if let Some(src) = summarize(cx, tail, &self.limiters) {
                        cx.fact(RouterServed { src });
                    }
                }
            }
        }
    }

    fn check_call(&self, cx: &mut Cx<'_, '_>, call: &Call<'_>) {
        if cx.in_test() {
            return;
        }
        let Some(q) = &call.path else { return };
        // every API below ends with one of these names: a look at the path's end rules out almost
        // every call
        let s = q.as_str();
        if !["serve", "new", "secure", "default"]
            .iter()
            .any(|t| s.ends_with(t))
        {
            return;
        }
        if is_api(q, &["axum"], "serve") {
            let Some(app) = call.arg(1) else { return };
            let with_connect_info = chain(cx, app)
                .calls
                .iter()
                .any(|m| m.method == "into_make_service_with_connect_info");
            if !with_connect_info {
                let loc = cx.loc(stratalint_engine::syn::spanned::Spanned::span(app));
                cx.fact(ServedWithoutConnectInfo { loc });
            }
            // `into_make_service*()` is recorded by its method call
            if !matches!(peel(app), Expr::MethodCall(m) if m.method.to_string().starts_with("into_make_service"))
            {
                if let Some(src) = summarize(cx, app, &self.limiters) {
                    cx.fact(RouterServed { src });
                }
            }
        } else if is_api(q, &["actix_web"], "HttpServer::new") {
            // `HttpServer::new(|| App::new()…)`; a block body is recorded at its end
            let Some(factory) = call.arg(0) else { return };
            match peel(factory) {
                Expr::Closure(c) if !matches!(&*c.body, Expr::Block(_)) => {
                    if let Some(src) = summarize(cx, &c.body, &self.limiters) {
                        cx.fact(RouterServed { src });
                    }
                }
                Expr::Path(p) => {
                    if let Some(f) = cx.resolve_value_path(&p.path) {
                        cx.fact(RouterServed {
                            src: Src::Fn(f.into_string()),
                        });
                    }
                }
                _ => {}
            }
        } else if q.first() == "tower_governor" && matches!(q.last(), "secure" | "default")
            || is_api(q, &["tower_governor"], "GovernorConfigBuilder::default")
        {
            cx.fact(PeerIpGovernor);
        }
    }

    fn check_method_call(&self, cx: &mut Cx<'_, '_>, call: &MethodCall<'_>) {
        if cx.in_test() {
            return;
        }
        match call.method.as_str() {
            "into_make_service" | "into_make_service_with_connect_info" => {
                if let Some(src) = summarize(cx, call.receiver(), &self.limiters) {
                    cx.fact(RouterServed { src });
                }
            }
            // a custom key extractor does not need the peer address
            "key_extractor" => {}
            _ => {}
        }
    }

    fn check_project(&self, cx: &mut ProjectCx<'_>) {
        let mut fns: FxHashMap<String, Src> = FxHashMap::default();
        for (f, _) in cx.facts::<RouterFn>() {
            fns.insert(f.path.clone(), f.src.clone());
        }
        let layers: FxHashMap<String, bool> = cx
            .facts::<LayerFn>()
            .map(|(l, _)| (l.path.clone(), l.limiter))
            .collect();
        let attrs: FxHashMap<String, (String, bool, Loc)> = cx
            .facts::<AttrRoute>()
            .map(|(a, _)| {
                (
                    a.fn_path.clone(),
                    (a.path.clone(), a.protected, a.loc.clone()),
                )
            })
            .collect();
        let roots: Vec<Src> = cx
            .facts::<RouterServed>()
            .map(|(r, _)| r.src.clone())
            .collect();
        let resolve = |p: &str| cx.through_reexports(p).to_string();
        let settle = Settle {
            fns: &fns,
            layers: &layers,
            attrs: &attrs,
            rule: self,
            resolve: &resolve,
        };

        let mut found: Vec<Pending> = Vec::new();
        for root in &roots {
            found.extend(settle.eval(root, "", 0));
        }
        // routers built in functions whose result never reaches a server stratalint can see
        let mut referenced = FxHashSet::default();
        for src in roots.iter().chain(fns.values()) {
            collect_fns(src, &mut referenced, &resolve);
        }
        let mut tops: Vec<(&String, &Src)> = fns
            .iter()
            .filter(|(p, _)| !referenced.contains(*p))
            .collect();
        tops.sort_by(|a, b| a.0.cmp(b.0));
        for (path, src) in tops {
            for mut p in settle.eval(src, "", 0) {
                if p.why.is_none() {
                    p.why = Some(format!(
                        "the router built by `{}` is not served anywhere stratalint can follow",
                        path.rsplit("::").next().unwrap_or(path)
                    ));
                }
                found.push(p);
            }
        }
        // one finding per route; a proven one wins over an unprovable one
        let mut by_loc: FxHashMap<(String, usize), Pending> = FxHashMap::default();
        for p in found {
            let key = (p.loc.file.to_string(), p.loc.start);
            match by_loc.get(&key) {
                Some(old) if old.why.is_none() || p.why.is_some() => {}
                _ => {
                    by_loc.insert(key, p);
                }
            }
        }
        let mut all: Vec<Pending> = by_loc.into_values().collect();
        all.sort_by(|a, b| (&*a.loc.file, a.loc.start).cmp(&(&*b.loc.file, b.loc.start)));
        for p in all {
            let mut d = match &p.why {
                None => cx
                    .diag_at(
                        p.loc.clone(),
                        format!("auth route `{}` is served without a rate limiter", p.path),
                    )
                    .with_label("no rate limiter on this route"),
                Some(why) => {
                    let mut d = cx
                        .diag_at(
                            p.loc.clone(),
                            format!(
                                "auth route `{}`: a rate limiter is not provable ({why})",
                                p.path
                            ),
                        )
                        .with_label("rate limiter not provable");
                    d.severity = Severity::Warning;
                    d
                }
            };
            d = d.with_help(
                "put a rate limiter on the routes that take credentials: axum `.layer(GovernorLayer::new(config))` \
                 after them (a layer wraps only the routes added before it) or on the method router; actix \
                 `.wrap(Governor::new(&config))` on their scope; a custom limiter can be named in \
                 `[rules.auth-route-without-rate-limit] limiters`",
            );
            cx.report(d);
        }
        // tower_governor keyed on the peer address, on a server that does not provide it
        if cx.facts::<PeerIpGovernor>().next().is_some() {
            let serves: Vec<Loc> = cx
                .facts::<ServedWithoutConnectInfo>()
                .map(|(s, _)| s.loc.clone())
                .collect();
            for loc in serves {
                let mut d = cx
                    .diag_at(
                        loc,
                        "the rate limiter keys on the peer address, but the server does not provide it: every \
                         request will fail",
                    )
                    .with_label("served without connect info")
                    .with_help(
                        "serve with `app.into_make_service_with_connect_info::<SocketAddr>()`, or give the \
                         `GovernorConfigBuilder` a `key_extractor` (e.g. `SmartIpKeyExtractor` behind a proxy)",
                    );
                d.severity = Severity::Warning;
                cx.report(d);
            }
        }
    }
}

/// An auth route found without a limiter; `why` when that is not proven.
struct Pending {
    path: String,
    loc: Loc,
    why: Option<String>,
}

struct Settle<'a> {
    fns: &'a FxHashMap<String, Src>,
    layers: &'a FxHashMap<String, bool>,
    attrs: &'a FxHashMap<String, (String, bool, Loc)>,
    rule: &'a AuthRouteWithoutRateLimit,
    resolve: &'a dyn Fn(&str) -> String,
}

enum Kind {
    Limiter,
    Other,
    Unknown(String),
}

impl Settle<'_> {
    fn layer(&self, l: &Layer) -> Kind {
        match l {
            Layer::Limiter => Kind::Limiter,
            Layer::Other => Kind::Other,
            Layer::Fn(p) => match self.layers.get(&(self.resolve)(p)) {
                Some(true) => Kind::Limiter,
                Some(false) => Kind::Other,
                None => Kind::Unknown(format!("`{}()`", p.rsplit("::").next().unwrap_or(p))),
            },
            Layer::Unknown(name) => Kind::Unknown(format!("`{name}`")),
        }
    }

    fn eval(&self, src: &Src, prefix: &str, depth: usize) -> Vec<Pending> {
        if depth > 32 {
            return Vec::new();
        }
        match src {
            Src::Unknown => Vec::new(),
            Src::Fn(p) => match self.fns.get(&(self.resolve)(p)) {
                Some(inner) => self.eval(inner, prefix, depth + 1),
                None => Vec::new(),
            },
            Src::Ops {
                ops,
                unordered: true,
            } => {
                let kinds: Vec<Kind> = ops
                    .iter()
                    .filter_map(|o| match o {
                        Op::Layer(l) => Some(self.layer(l)),
                        _ => None,
                    })
                    .collect();
                if kinds.iter().any(|k| matches!(k, Kind::Limiter)) {
                    return Vec::new();
                }
                let unknown = kinds.iter().find_map(|k| match k {
                    Kind::Unknown(n) => Some(n.clone()),
                    _ => None,
                });
                let mut out = Vec::new();
                for op in ops {
                    out.extend(self.op(op, prefix, depth));
                }
                if let Some(n) = unknown {
                    for p in &mut out {
                        p.why.get_or_insert_with(|| {
                            format!("it is wrapped in {n}, which stratalint cannot see into")
                        });
                    }
                }
                out
            }
            Src::Ops {
                ops,
                unordered: false,
            } => {
                let mut pending: Vec<Pending> = Vec::new();
                for op in ops {
                    match op {
                        Op::Layer(l) => match self.layer(l) {
                            Kind::Limiter => pending.clear(),
                            Kind::Other => {}
                            Kind::Unknown(n) => {
                                for p in &mut pending {
                                    p.why.get_or_insert_with(|| {
                                        format!("a layer stratalint cannot see into is added after it: {n}")
                                    });
                                }
                            }
                        },
                        other => pending.extend(self.op(other, prefix, depth)),
                    }
                }
                pending
            }
        }
    }

    fn op(&self, op: &Op, prefix: &str, depth: usize) -> Vec<Pending> {
        match op {
            Op::Route {
                path,
                protected,
                loc,
            } => {
                let full = join(prefix, path);
                if !protected && self.rule.is_auth(&full) {
                    vec![Pending {
                        path: full,
                        loc: loc.clone(),
                        why: None,
                    }]
                } else {
                    Vec::new()
                }
            }
            Op::Nest { prefix: p, src } => self.eval(src, &join(prefix, p), depth + 1),
            Op::Merge(src) => self.eval(src, prefix, depth + 1),
            Op::Handler { path, .. } => match self.attrs.get(&(self.resolve)(path)) {
                Some((route, protected, loc)) => {
                    let full = join(prefix, route);
                    if !protected && self.rule.is_auth(&full) {
                        vec![Pending {
                            path: full,
                            loc: loc.clone(),
                            why: None,
                        }]
                    } else {
                        Vec::new()
                    }
                }
                None => Vec::new(),
            },
            Op::Layer(_) => Vec::new(),
        }
    }
}

fn join(prefix: &str, path: &str) -> String {
    let joined = format!(
        "{}/{}",
        prefix.trim_end_matches('/'),
        path.trim_start_matches('/')
    );
    let trimmed = if joined.len() > 1 {
        joined.trim_end_matches('/')
    } else {
        &joined
    };
    if trimmed.is_empty() {
        "/".to_string()
    } else {
        trimmed.to_string()
    }
}

/// The functions a router summary refers to.
fn collect_fns(src: &Src, out: &mut FxHashSet<String>, resolve: &dyn Fn(&str) -> String) {
    match src {
        Src::Fn(p) => {
            out.insert(resolve(p));
        }
        Src::Ops { ops, .. } => {
            for op in ops {
                match op {
                    Op::Nest { src, .. } | Op::Merge(src) => collect_fns(src, out, resolve),
                    _ => {}
                }
            }
        }
        Src::Unknown => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auth_paths() {
        let r = AuthRouteWithoutRateLimit::default();
        for p in [
            "/auth/login",
            "/api/v1/auth/register",
            "/login",
            "/sign-in",
            "/users/{id}/password",
            "/password-reset",
            "/oauth/token",
            "/verify-email",
            "/auth/refresh",
        ] {
            assert!(r.is_auth(p), "{p}");
        }
        for p in [
            "/health",
            "/users",
            "/authors",
            "/tokens-list",
            "/auth/logout",
            "/.well-known/jwks.json",
            "/auth/me",
            "/",
        ] {
            assert!(!r.is_auth(p), "{p}");
        }
    }

    #[test]
    fn joins() {
        assert_eq!(join("/api/v1", "/auth/login"), "/api/v1/auth/login");
        assert_eq!(join("", "/login"), "/login");
        assert_eq!(join("/auth", ""), "/auth");
        assert_eq!(join("/api/", "/x"), "/api/x");
    }
}
