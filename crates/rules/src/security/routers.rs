//! How a router is put together, as far as one function shows it: the routes, nests, merges and
//! layers of an axum `Router` chain, the services, scopes and `wrap`s of an actix `App`. The
//! rate-limit rule records these summaries as facts and settles them across functions and files.

use stratalint_engine::syn::{self, Expr};
use stratalint_engine::{Cx, Loc};

use super::common::{chain, lit_str, mentions, method_span, peel};

/// One step of a router's construction.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub enum Op {
    /// A route; `protected` when its own method router or resource carries a limiter.
    Route {
        path: String,
        protected: bool,
        loc: Loc,
    },
    /// axum `nest(prefix, r)`, an actix scope or resource.
    Nest { prefix: String, src: Src },
    /// axum `merge(r)`, actix `service(..)`/`configure(..)`.
    Merge(Src),
    /// axum `layer`/`route_layer`, actix `wrap`.
    Layer(Layer),
    /// actix `service(handler)` of a handler with a route attribute (`#[post("/login")]`).
    Handler { path: String },
}

/// Where a nested or merged router comes from.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub enum Src {
    /// Built here. `unordered`: actix, where `wrap` covers the whole container whatever the order.
    Ops { ops: Vec<Op>, unordered: bool },
    /// Returned by a function of the project (settled with that function's facts).
    Fn(String),
    /// A value stratalint cannot follow (a parameter, a field).
    Unknown,
}

/// What a layer is.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Layer {
    Limiter,
    Other,
    /// Built by a function of the project: a limiter if that function returns one.
    Fn(String),
    /// A value stratalint cannot see into.
    Unknown(String),
}

/// A function returning a router, an `App`, or filling an actix `ServiceConfig`.
#[derive(serde::Serialize, serde::Deserialize)]
pub struct RouterFn {
    pub path: String,
    pub src: Src,
}

/// A router handed to the server (`axum::serve`, `into_make_service`, `HttpServer::new`).
#[derive(serde::Serialize, serde::Deserialize)]
pub struct RouterServed {
    pub src: Src,
}

/// A function returning a layer: a limiter or not.
#[derive(serde::Serialize, serde::Deserialize)]
pub struct LayerFn {
    pub path: String,
    pub limiter: bool,
}

/// A handler with a route attribute: `#[post("/auth/login")]`.
#[derive(serde::Serialize, serde::Deserialize)]
pub struct AttrRoute {
    pub fn_path: String,
    pub path: String,
    pub protected: bool,
    pub loc: Loc,
}

/// Names of limiters, folded (see [`contains_folded`]).
const LIMITER_WORDS: &[&str] = &["ratelimit", "governor", "limiter", "throttl"];

/// The length of the shortest of [`LIMITER_WORDS`].
const LIMITER_MIN_LEN: usize = 7;

/// Is the expression a rate limiter: a constructor, middleware or value whose names say so
/// (`GovernorLayer::new(..)`, `RateLimitLayer::new(..)`, `from_fn(rate_limit)`, `Governor::new(..)`,
/// or a name from the options), also through the local it names?
pub fn is_limiter(cx: &Cx<'_, '_>, e: &Expr, extra: &[String]) -> bool {
    let hit = |name: &str| {
        // every built-in word has an `r` and at least 7 letters: that rules out most names
        // before any folding
        if extra.is_empty()
            && (name.len() < LIMITER_MIN_LEN || !name.bytes().any(|b| b | 0x20 == b'r'))
        {
            return false;
        }
        // the name is folded once for all the words
        let mut buf = [0; FOLD_MAX];
        match fold_short(name, &mut buf) {
            Some(len) => {
                holds_limiter_word(&buf[..len]) || extra.iter().any(|x| contains_folded(name, x))
            }
            None => LIMITER_WORDS
                .iter()
                .copied()
                .chain(extra.iter().map(String::as_str))
                .any(|m| contains_folded(name, m)),
        }
    };
    mentions(e, &hit) || cx.value_init(e).is_some_and(|init| mentions(init, &hit))
}

/// Does the folded `name` hold one of [`LIMITER_WORDS`]? One pass, comparing a word only where
/// its first byte is.
fn holds_limiter_word(name: &[u8]) -> bool {
    (0..name.len()).any(|i| {
        LIMITER_WORDS
            .iter()
            .any(|w| w.as_bytes()[0] == name[i] && name[i..].starts_with(w.as_bytes()))
    })
}

/// Does `name` contain `needle`, ignoring ASCII case and underscores on both sides
/// (`RATE_LIMIT_LAYER` contains `ratelimit`)? Without allocating: it runs on every identifier of
/// every function's result.
pub fn contains_folded(name: &str, needle: &str) -> bool {
    let (mut h, mut n) = ([0; FOLD_MAX], [0; FOLD_MAX]);
    match (fold_short(name, &mut h), fold_short(needle, &mut n)) {
        (Some(h_len), Some(n_len)) => contains_bytes(&h[..h_len], &n[..n_len]),
        _ => contains_folded_long(name, needle),
    }
}

/// The longest folded text [`fold_short`] folds on the stack.
const FOLD_MAX: usize = 64;

/// `s` folded into `buf`: without underscores, ASCII lowercase. Its length, or `None` when it
/// does not fit.
fn fold_short(s: &str, buf: &mut [u8; FOLD_MAX]) -> Option<usize> {
    let mut len = 0;
    for &b in s.as_bytes() {
        if b != b'_' {
            *buf.get_mut(len)? = b.to_ascii_lowercase();
            len += 1;
        }
    }
    Some(len)
}

/// Does `hay` hold `needle`, both folded?
fn contains_bytes(hay: &[u8], needle: &[u8]) -> bool {
    let Some((&first, rest)) = needle.split_first() else {
        return true;
    };
    hay.len() >= needle.len()
        && (0..=hay.len() - needle.len())
            .any(|i| hay[i] == first && hay[i + 1..i + needle.len()] == *rest)
}

/// [`contains_folded`] for texts too long to fold on the stack: from each place the needle's
/// first byte is, the rest of the needle (a byte never folds to `_`).
fn contains_folded_long(name: &str, needle: &str) -> bool {
    fn fold(s: &[u8]) -> impl Iterator<Item = u8> + Clone + '_ {
        s.iter()
            .copied()
            .filter(|&b| b != b'_')
            .map(|b| b.to_ascii_lowercase())
    }
    let mut rest = fold(needle.as_bytes());
    let Some(first) = rest.next() else {
        return true;
    };
    let name = name.as_bytes();
    (0..name.len()).any(|i| {
        name[i].to_ascii_lowercase() == first && {
            let mut after = fold(&name[i + 1..]);
            rest.clone().all(|b| after.next() == Some(b))
        }
    })
}

/// What a layer expression is.
pub fn classify_layer(cx: &Cx<'_, '_>, e: &Expr, extra: &[String]) -> Layer {
    if is_limiter(cx, e, extra) {
        return Layer::Limiter;
    }
    let root = peel(cx.chain_root(e));
    match root {
        Expr::Call(c) => match cx.resolve_expr(&c.func) {
            Some(q) if cx.in_project(&q) && !q.is_associated() => Layer::Fn(q.into_string()),
            _ => Layer::Other,
        },
        // a parameter or a field: whatever the caller passes; an item (a unit struct, a
        // constant) is what its name says
        Expr::Path(p) if p.path.segments.len() == 1 => {
            let name = p.path.segments[0].ident.to_string();
            match cx.local(&name) {
                Some(v) if v.init.is_none() => Layer::Unknown(name),
                _ => Layer::Other,
            }
        }
        Expr::Field(_) => Layer::Unknown(
            cx.text_of(stratalint_engine::syn::spanned::Spanned::span(e))
                .to_string(),
        ),
        _ => Layer::Other,
    }
}

/// The kind of router a chain starts with.
enum Root {
    Axum,
    App,
    Scope(String),
    Resource(String),
    Fn(String),
}

fn root_kind(cx: &Cx<'_, '_>, root: &Expr) -> Option<Root> {
    let Expr::Call(c) = peel(root) else {
        return None;
    };
    let q = cx.resolve_expr(&c.func)?;
    let last2 = |a: &str, b: &str| q.last() == b && q.parent().is_some_and(|p| p.last() == a);
    if q.first() == "axum" && (last2("Router", "new") || last2("Router", "default")) {
        return Some(Root::Axum);
    }
    if q.first() == "actix_web" {
        if last2("App", "new") {
            return Some(Root::App);
        }
        let prefix = || c.args.first().and_then(|a| lit_str(cx, a)).map(|(s, _)| s);
        match q.last() {
            "scope" => return Some(Root::Scope(prefix()?)),
            "resource" => return Some(Root::Resource(prefix()?)),
            _ => {}
        }
    }
    if cx.in_project(&q) {
        return Some(Root::Fn(q.into_string()));
    }
    None
}

/// A literal path argument, also through a same-file constant.
fn lit_path(cx: &Cx<'_, '_>, e: &Expr) -> Option<String> {
    lit_str(cx, e)
        .or_else(|| cx.value_init(e).and_then(|init| lit_str(cx, init)))
        .map(|(s, _)| s)
}

/// The router an expression is, if it is one: a chain rooted at `Router::new()`, `App::new()`,
/// `web::scope(..)`, `web::resource(..)` or a project function, through `let` rebindings.
pub fn summarize(cx: &Cx<'_, '_>, e: &Expr, extra: &[String]) -> Option<Src> {
    summarize_at(cx, e, extra, 0)
}

fn summarize_at(cx: &Cx<'_, '_>, e: &Expr, extra: &[String], depth: usize) -> Option<Src> {
    if depth > 16 {
        return None;
    }
    let c = chain(cx, e);
    let root = root_kind(cx, c.root)?;
    let actix_calls = c.calls.iter().any(|m| {
        matches!(
            m.method.to_string().as_str(),
            "wrap" | "service" | "configure"
        )
    });
    let unordered = match &root {
        Root::Axum => false,
        Root::App | Root::Scope(_) | Root::Resource(_) => true,
        Root::Fn(_) => actix_calls,
    };
    let resource = matches!(root, Root::Resource(_));
    let mut ops = Vec::new();
    if let Root::Fn(path) = &root {
        ops.push(Op::Merge(Src::Fn(path.clone())));
    }
    for m in c.calls.iter().rev() {
        let method = m.method.to_string();
        let args: Vec<&Expr> = m.args.iter().collect();
        let sub = |e: &Expr| summarize_at(cx, e, extra, depth + 1).unwrap_or(Src::Unknown);
        match (method.as_str(), args.as_slice()) {
            // axum `.route("/login", post(login).layer(limiter))`, actix `.route("/login", web::post().to(h))`
            ("route", [path, handler]) => {
                if let Some(path) = lit_path(cx, path) {
                    let own = chain(cx, handler);
                    let protected = own.calls.iter().any(|h| {
                        matches!(
                            h.method.to_string().as_str(),
                            "layer" | "route_layer" | "wrap"
                        ) && h.args.first().is_some_and(|l| is_limiter(cx, l, extra))
                    });
                    ops.push(Op::Route {
                        path,
                        protected,
                        loc: cx.loc(method_span(m)),
                    });
                }
            }
            // actix resource: `.route(web::post().to(h))`, `.to(h)`
            ("route", [_]) | ("to", [_]) if resource => {
                ops.push(Op::Route {
                    path: String::new(),
                    protected: false,
                    loc: cx.loc(method_span(m)),
                });
            }
            ("nest", [prefix, r]) => {
                if let Some(prefix) = lit_path(cx, prefix) {
                    ops.push(Op::Nest {
                        prefix,
                        src: sub(r),
                    });
                }
            }
            ("merge", [r]) => ops.push(Op::Merge(sub(r))),
            ("layer" | "route_layer" | "wrap", [l]) => {
                ops.push(Op::Layer(classify_layer(cx, l, extra)))
            }
            ("service", [s]) => ops.extend(service_ops(cx, s, extra, depth)),
            ("configure", [f]) => {
                if let Expr::Path(p) = peel(f) {
                    if let Some(q) = cx.resolve_value_path(&p.path) {
                        ops.push(Op::Merge(Src::Fn(q.into_string())));
                    }
                }
            }
            _ => {}
        }
    }
    Some(match root {
        Root::Scope(prefix) | Root::Resource(prefix) => Src::Ops {
            ops: vec![Op::Nest {
                prefix,
                src: Src::Ops {
                    ops,
                    unordered: true,
                },
            }],
            unordered: true,
        },
        _ => Src::Ops { ops, unordered },
    })
}

/// actix `.service(x)`: a scope or resource built here, a handler with a route attribute, or a
/// tuple of them.
fn service_ops(cx: &Cx<'_, '_>, s: &Expr, extra: &[String], depth: usize) -> Vec<Op> {
    match peel(s) {
        Expr::Tuple(t) => t
            .elems
            .iter()
            .flat_map(|e| service_ops(cx, e, extra, depth))
            .collect(),
        Expr::Path(p) if cx.local_of(s).is_none() => match cx.resolve_value_path(&p.path) {
            Some(q) => vec![Op::Handler {
                path: q.into_string(),
            }],
            None => Vec::new(),
        },
        _ => match summarize_at(cx, s, extra, depth + 1) {
            Some(src) => vec![Op::Merge(src)],
            None => Vec::new(),
        },
    }
}

/// The routes an actix `ServiceConfig` function registers: `cfg.service(..)`, `cfg.route(..)`.
pub fn config_ops(cx: &Cx<'_, '_>, block: &syn::Block, param: &str, extra: &[String]) -> Vec<Op> {
    let mut ops = Vec::new();
    for stmt in &block.stmts {
        let syn::Stmt::Expr(e, _) = stmt else {
            continue;
        };
        let c = chain(cx, e);
        let Expr::Path(p) = peel(c.root) else {
            continue;
        };
        if !p.path.is_ident(param) {
            continue;
        }
        // the chain's calls, as if on an `App`
        for m in c.calls.iter().rev() {
            let method = m.method.to_string();
            let args: Vec<&Expr> = m.args.iter().collect();
            match (method.as_str(), args.as_slice()) {
                ("service", [s]) => ops.extend(service_ops(cx, s, extra, 0)),
                ("route", [path, _]) => {
                    if let Some(path) = lit_path(cx, path) {
                        ops.push(Op::Route {
                            path,
                            protected: false,
                            loc: cx.loc(method_span(m)),
                        });
                    }
                }
                ("configure", [f]) => {
                    if let Expr::Path(p) = peel(f) {
                        if let Some(q) = cx.resolve_value_path(&p.path) {
                            ops.push(Op::Merge(Src::Fn(q.into_string())));
                        }
                    }
                }
                _ => {}
            }
        }
    }
    ops
}

#[cfg(test)]
mod tests {
    use super::{contains_folded, contains_folded_long};

    /// The quick rejection in `is_limiter` holds for every word.
    #[test]
    fn limiter_words_have_an_r_and_the_min_length() {
        for w in super::LIMITER_WORDS {
            assert!(w.contains('r') && w.len() >= super::LIMITER_MIN_LEN, "{w}");
        }
        assert!(super::LIMITER_WORDS
            .iter()
            .any(|w| w.len() == super::LIMITER_MIN_LEN));
    }

    #[test]
    fn folded_containment() {
        assert!(contains_folded("RATE_LIMIT_LAYER", "ratelimit"));
        assert!(contains_folded("auth_governor", "governor"));
        assert!(contains_folded("login_throttle", "throttl"));
        assert!(contains_folded("x", "x"));
        assert!(contains_folded("MyLimiter", "my_limiter"));
        assert!(!contains_folded("rate", "ratelimit"));
        assert!(!contains_folded("limit", "limiter"));
        assert!(!contains_folded("", "limiter"));
        assert!(!contains_folded("governed", "governor"));
    }

    /// The first implementation, quadratic: the reference the byte matcher must agree with.
    fn contains_folded_reference(name: &str, needle: &str) -> bool {
        fn fold(s: &str) -> impl Iterator<Item = u8> + '_ {
            s.bytes()
                .filter(|&b| b != b'_')
                .map(|b| b.to_ascii_lowercase())
        }
        let (h, n) = (fold(name).count(), fold(needle).count());
        n <= h && (0..=h - n).any(|start| fold(name).skip(start).take(n).eq(fold(needle)))
    }

    #[test]
    fn folded_containment_matches_reference() {
        let names = [
            "",
            "_",
            "__",
            "x",
            "_x_",
            "rate",
            "RATE_LIMIT_LAYER",
            "_rate_limit_",
            "r_a_t_e_l_i_m_i_t",
            "ratelimi",
            "rratelimit",
            "ratelimitratelimit",
            "GovernorLayer",
            "governed_governor",
            "__limiter__",
            "throttle",
            "THROTTL",
            "my_Limiter_",
            "limiteR",
            "Ünicode_limiter",
            "limitér",
            "tél_é",
            "é",
            "ÉTÉ",
            "aaaab",
            "aab",
            // longer than the stack buffer, folded or not
            "the_quite_long_name_of_a_builder_that_makes_a_rate_limit_layer_for_logins",
            "a_name_far_longer_than_sixty_four_bytes_without_any_of_the_words_in_it_at_all",
            "_a_b_c_d_e_f_g_h_i_j_k_l_m_n_o_p_q_r_s_t_u_v_w_x_y_z_a_b_c_d_e_f_g_h_i_j_k_l_m_",
            "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijkl",
            "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijklm",
        ];
        let needles = [
            "",
            "_",
            "__",
            "x",
            "ratelimit",
            "rate_limit",
            "_rate_",
            "governor",
            "limiter",
            "throttl",
            "my_limiter",
            "MyLimiter",
            "é",
            "tél",
            "TÉL",
            "limitér",
            "aab",
            "ab",
            "a_a_b",
            "a very long needle that no name here holds",
            "ratelimitlayer",
            "jklm",
            "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijklm",
            "a_b_c_d_e_f_g_h_i_j_k_l_m_n_o_p_q_r_s_t_u_v_w_x_y_z_a_b_c_d_e_f_g_h_i_j_k_l_m_n_o",
        ];
        for name in names {
            for needle in needles {
                let expected = contains_folded_reference(name, needle);
                assert_eq!(
                    contains_folded(name, needle),
                    expected,
                    "{name:?} {needle:?}"
                );
                assert_eq!(
                    contains_folded_long(name, needle),
                    expected,
                    "{name:?} {needle:?}"
                );
            }
        }
    }
}
