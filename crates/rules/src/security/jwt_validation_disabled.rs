//! A JWT is only as good as its validation: signature, expiry, audience, a fixed algorithm
//! (CWE-347, CWE-345, CWE-613).

use stratalint_engine::proc_macro2::Span;
use stratalint_engine::syn::spanned::Spanned;
use stratalint_engine::syn::{self, Expr};
use stratalint_engine::{Call, Cx, ExprKinds, Hooks, MethodCall, Rule, RuleMeta, Severity};

use super::common::{is_api, lit_bool, mentions, method_span, peel};

static META: RuleMeta = crate::meta!("jwt-validation-disabled", Security, "security", Error);

/// jsonwebtoken's decoding without signature verification, across its versions.
const INSECURE_DECODE: &[&str] = &[
    "dangerous_insecure_decode",
    "dangerous_insecure_decode_with_validation",
    "dangerous_unsafe_decode",
    "dangerous::insecure_decode",
];

/// jsonwebtoken's default leeway is 60 s; a few minutes absorb clock skew.
const MAX_LEEWAY_SECS: i128 = 300;

pub struct JwtValidationDisabled;

fn report(
    cx: &mut Cx<'_, '_>,
    span: Span,
    severity: Severity,
    message: String,
    label: &str,
    help: &str,
) {
    let mut d = cx.diag(span, message).with_label(label).with_help(help);
    d.severity = severity;
    cx.report(d);
}

/// `header.alg` where `header` came from `decode_header` (the token's own, unverified header).
fn is_header_alg(cx: &Cx<'_, '_>, e: &Expr) -> bool {
    let Expr::Field(f) = peel(e) else {
        return false;
    };
    if !matches!(&f.member, syn::Member::Named(n) if n == "alg") {
        return false;
    }
    let from_header = |e: &Expr| mentions(e, &|n| n == "decode_header");
    let base = peel(&f.base);
    from_header(base)
        || cx.value_init(base).is_some_and(from_header)
        || cx
            .expr_type(base)
            .is_some_and(|t| is_api(&t, &["jsonwebtoken"], "Header"))
}

/// Is `e` a `jsonwebtoken::Validation` (typed, or built by `Validation::new`/`default`)?
fn is_validation(cx: &Cx<'_, '_>, e: &Expr) -> bool {
    let ty_ok = |q: &stratalint_engine::QualifiedName| is_api(q, &["jsonwebtoken"], "Validation");
    if cx.expr_type(e).is_some_and(|t| ty_ok(&t)) {
        return true;
    }
    let Some(init) = cx.value_init(e) else {
        return false;
    };
    match peel(init) {
        Expr::Call(c) => cx
            .resolve_expr(&c.func)
            .and_then(|q| q.parent())
            .is_some_and(|t| ty_ok(&t)),
        Expr::Struct(s) => cx.resolve(&s.path).is_some_and(|t| ty_ok(&t)),
        _ => false,
    }
}

/// The algorithm families in `vec![Algorithm::HS256, Algorithm::RS256]`: HMAC and asymmetric
/// mixed means a public key can be used as an HMAC secret.
fn mixes_families(e: &Expr) -> bool {
    let mut names = Vec::new();
    collect_alg_names(e, &mut names);
    let hmac = names.iter().any(|n| n.starts_with("HS"));
    let asym = names
        .iter()
        .any(|n| n.starts_with("RS") || n.starts_with("PS") || n.starts_with("ES") || n == "EdDSA");
    hmac && asym
}

fn collect_alg_names(e: &Expr, out: &mut Vec<String>) {
    match e {
        Expr::Path(p) => {
            if let Some(s) = p.path.segments.last() {
                out.push(s.ident.to_string());
            }
        }
        Expr::Array(a) => a.elems.iter().for_each(|x| collect_alg_names(x, out)),
        Expr::Reference(r) => collect_alg_names(&r.expr, out),
        Expr::Macro(m) => {
            for t in m.mac.tokens.clone() {
                if let stratalint_engine::proc_macro2::TokenTree::Ident(i) = t {
                    out.push(i.to_string());
                }
            }
        }
        Expr::MethodCall(m) => collect_alg_names(&m.receiver, out),
        _ => {}
    }
}

impl JwtValidationDisabled {
    /// One setting of a `Validation`, by assignment or in a struct literal.
    fn check_setting(
        cx: &mut Cx<'_, '_>,
        field: &str,
        value: &Expr,
        span: Span,
        on_validation: bool,
    ) {
        match field {
            "validate_exp" if lit_bool(value) == Some(false) => report(
                cx,
                span,
                Severity::Error,
                "JWT expiry not validated (`validate_exp = false`): a stolen token never expires".into(),
                "expiry check off",
                "keep `validate_exp` on (the default) and issue short-lived tokens; refresh them instead",
            ),
            "validate_aud" if lit_bool(value) == Some(false) => report(
                cx,
                span,
                Severity::Warning,
                "JWT audience not validated (`validate_aud = false`): tokens issued for another service are accepted"
                    .into(),
                "audience check off",
                "set the audience you expect: `validation.set_audience(&[\"api.example.com\"])`",
            ),
            "leeway" if on_validation => {
                if let Some(secs) = cx.eval_int(value).filter(|&s| s > MAX_LEEWAY_SECS) {
                    report(
                        cx,
                        span,
                        Severity::Warning,
                        format!("JWT leeway of {secs} s: expired tokens stay valid for that long"),
                        "leeway beyond minutes",
                        "keep the leeway to clock skew: the default 60 s, at most a few minutes",
                    );
                }
            }
            "required_spec_claims" if is_empty_set(cx, value) => report(
                cx,
                span,
                Severity::Warning,
                "no JWT claim is required (`required_spec_claims` emptied): tokens without `exp` are accepted".into(),
                "no required claims",
                "keep `exp` required (the default), and add `aud`/`iss` if you validate them",
            ),
            "algorithms" if on_validation || mentions(value, &|n| n == "Algorithm") => {
                if mentions(value, &|n| n == "alg") && mentions(value, &|n| n == "decode_header" || n == "header") {
                    Self::report_header_alg(cx, span);
                } else if mixes_families(value) {
                    report(
                        cx,
                        span,
                        Severity::Error,
                        "JWT algorithms mix HMAC and public-key families: a public key can be used as an HMAC secret"
                            .into(),
                        "HS* next to RS*/ES*/PS*",
                        "accept only the family your keys are for: `Validation::new(Algorithm::RS256)`",
                    );
                }
            }
            _ => {}
        }
    }

    fn report_header_alg(cx: &mut Cx<'_, '_>, span: Span) {
        report(
            cx,
            span,
            Severity::Error,
            "JWT algorithm taken from the token's own header: the attacker chooses how it is verified".into(),
            "algorithm from the token",
            "fix the algorithm your keys use (`Validation::new(Algorithm::RS256)`); use `decode_header` only to \
             pick a key by `kid`",
        );
    }
}

fn is_empty_set(cx: &Cx<'_, '_>, e: &Expr) -> bool {
    match peel(e) {
        Expr::Call(c) if c.args.is_empty() => cx
            .resolve_expr(&c.func)
            .is_some_and(|q| matches!(q.last(), "new" | "default")),
        Expr::Macro(m) => m.mac.tokens.is_empty(),
        _ => false,
    }
}

impl Rule for JwtValidationDisabled {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn hooks(&self) -> Hooks {
        Hooks::CALL | Hooks::METHOD_CALL | Hooks::EXPR
    }

    fn expr_kinds(&self) -> ExprKinds {
        ExprKinds::ASSIGN | ExprKinds::STRUCT
    }

    fn check_call(&self, cx: &mut Cx<'_, '_>, call: &Call<'_>) {
        if cx.in_test() {
            return;
        }
        let Some(q) = &call.path else { return };
        if !q.in_crates(&["jsonwebtoken"]) {
            return;
        }
        if let Some(f) = INSECURE_DECODE
            .iter()
            .find(|f| is_api(q, &["jsonwebtoken"], f))
        {
            report(
                cx,
                call.span(),
                Severity::Error,
                format!("`{f}` reads a JWT without verifying its signature: anyone can forge its claims"),
                "signature not verified",
                "decode with `jsonwebtoken::decode::<Claims>(&token, &key, &Validation::new(Algorithm::HS256))`",
            );
        } else if is_api(q, &["jsonwebtoken"], "Validation::new") {
            if let Some(alg) = call.arg(0).filter(|a| is_header_alg(cx, a)) {
                Self::report_header_alg(cx, alg.span());
            }
        }
    }

    fn check_method_call(&self, cx: &mut Cx<'_, '_>, call: &MethodCall<'_>) {
        if cx.in_test() {
            return;
        }
        match call.method.as_str() {
            "insecure_disable_signature_validation" => report(
                cx,
                method_span(call.expr),
                Severity::Error,
                "JWT signature validation disabled: anyone can forge a token".into(),
                "signature check off",
                "remove the call; decode with the key the tokens are signed with",
            ),
            "set_required_spec_claims" if call.arg(0).is_some_and(is_empty_list) => report(
                cx,
                method_span(call.expr),
                Severity::Warning,
                "no JWT claim is required (`set_required_spec_claims` with none): tokens without `exp` are accepted"
                    .into(),
                "no required claims",
                "keep `exp` required (the default), and add `aud`/`iss` if you validate them",
            ),
            "clear" => {
                if let Expr::Field(f) = peel(call.receiver()) {
                    if matches!(&f.member, syn::Member::Named(n) if n == "required_spec_claims") {
                        report(
                            cx,
                            method_span(call.expr),
                            Severity::Warning,
                            "no JWT claim is required (`required_spec_claims` cleared): tokens without `exp` are \
                             accepted"
                                .into(),
                            "no required claims",
                            "keep `exp` required (the default), and add `aud`/`iss` if you validate them",
                        );
                    }
                }
            }
            _ => {}
        }
    }

    fn check_expr(&self, cx: &mut Cx<'_, '_>, e: &Expr) {
        match e {
            Expr::Assign(a) => {
                let Expr::Field(f) = &*a.left else { return };
                let syn::Member::Named(name) = &f.member else {
                    return;
                };
                let name = name.to_string();
                if !matches!(
                    name.as_str(),
                    "validate_exp"
                        | "validate_aud"
                        | "leeway"
                        | "required_spec_claims"
                        | "algorithms"
                ) || cx.in_test()
                {
                    return;
                }
                let on_validation = is_validation(cx, &f.base);
                Self::check_setting(cx, &name, &a.right, a.span(), on_validation);
            }
            Expr::Struct(s) => {
                if s.path
                    .segments
                    .last()
                    .is_none_or(|l| l.ident != "Validation")
                    || cx.in_test()
                {
                    return;
                }
                let Some(q) = cx.resolve(&s.path) else { return };
                if !is_api(&q, &["jsonwebtoken"], "Validation") {
                    return;
                }
                for fv in &s.fields {
                    if let syn::Member::Named(n) = &fv.member {
                        Self::check_setting(cx, &n.to_string(), &fv.expr, fv.span(), true);
                    }
                }
            }
            _ => {}
        }
    }
}

fn is_empty_list(e: &Expr) -> bool {
    match peel(e) {
        Expr::Array(a) => a.elems.is_empty(),
        Expr::Cast(c) => is_empty_list(&c.expr),
        Expr::Macro(m) => m.mac.tokens.is_empty(),
        _ => false,
    }
}
