//! Argon2 is only as strong as its parameters: Argon2id, version 0x13, and at least OWASP's memory
//! and time costs (CWE-916).

use stratalint_engine::proc_macro2::Span;
use stratalint_engine::syn::spanned::Spanned;
use stratalint_engine::syn::Expr;
use stratalint_engine::{Call, Cx, ExprKinds, Hooks, MethodCall, Rule, RuleMeta};

use super::common::{chain, is_api, path_last, peel};

static META: RuleMeta = crate::meta!("argon2-weak-params", Security, "security", Error);

/// OWASP's Password Storage Cheat Sheet: equivalent Argon2id settings, (memory KiB, iterations),
/// all with parallelism 1. A configuration passes if it meets one of them.
const OWASP_FLOORS: &[(i128, i128)] = &[
    (47_104, 1),
    (19_456, 2),
    (12_288, 3),
    (9_216, 4),
    (7_168, 5),
];

/// argon2's defaults (`Params::DEFAULT_*`), which are OWASP's baseline.
const DEFAULT_M: i128 = 19_456;
const DEFAULT_T: i128 = 2;

pub struct Argon2WeakParams;

/// Below every OWASP pair?
fn below_floor(m: i128, t: i128) -> bool {
    !OWASP_FLOORS.iter().any(|&(fm, ft)| m >= fm && t >= ft)
}

impl Argon2WeakParams {
    fn report_params(cx: &mut Cx<'_, '_>, span: Span, m: i128, t: i128) {
        let d = cx
            .diag(
                span,
                format!(
                    "Argon2 parameters below OWASP's minimum: m = {m} KiB, t = {t} (needs m ≥ 19456 KiB with t ≥ 2, \
                     or an equivalent pair such as m ≥ 47104 KiB with t = 1)"
                ),
            )
            .with_label("too little memory or too few passes")
            .with_help(
                "use `Argon2::default()` (Argon2id, m = 19456 KiB, t = 2, p = 1) or \
                 `Params::new(19_456, 2, 1, None)`; trade more memory for fewer passes, never less of both",
            );
        cx.report(d);
    }

    fn report(cx: &mut Cx<'_, '_>, span: Span, message: String, label: &str, help: &str) {
        let d = cx.diag(span, message).with_label(label).with_help(help);
        cx.report(d);
    }

    /// The variant and version given to `Argon2::new`.
    fn check_algorithm(cx: &mut Cx<'_, '_>, alg: &Expr, version: Option<&Expr>) {
        let alg_value = cx.value_init(alg).unwrap_or(alg);
        if let Some(v @ ("Argon2i" | "Argon2d")) = path_last(alg_value).as_deref() {
            Self::report(
                cx,
                alg.span(),
                format!("Argon2 variant `{v}`: passwords need Argon2id"),
                "not Argon2id",
                "use `Algorithm::Argon2id` (Argon2d leaks timing, Argon2i is weaker against GPU attacks)",
            );
        }
        if let Some(version) = version {
            let ver_value = cx.value_init(version).unwrap_or(version);
            if path_last(ver_value).as_deref() == Some("V0x10") {
                Self::report(
                    cx,
                    version.span(),
                    "Argon2 version 0x10: the current version is 0x13".to_string(),
                    "old version",
                    "use `Version::V0x13` (the default)",
                );
            }
        }
    }
}

impl Rule for Argon2WeakParams {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn hooks(&self) -> Hooks {
        Hooks::CALL | Hooks::METHOD_CALL | Hooks::EXPR
    }

    fn expr_kinds(&self) -> ExprKinds {
        ExprKinds::STRUCT
    }

    fn check_call(&self, cx: &mut Cx<'_, '_>, call: &Call<'_>) {
        if cx.in_test() {
            return;
        }
        let Some(q) = &call.path else { return };
        if !q.in_crates(&["argon2", "password_hash"]) {
            return;
        }
        if is_api(q, &["argon2"], "Argon2::new") {
            if let Some(alg) = call.arg(0) {
                Self::check_algorithm(cx, alg, call.arg(1));
            }
        } else if is_api(q, &["argon2"], "Argon2::new_with_secret") {
            if let Some(alg) = call.arg(1) {
                Self::check_algorithm(cx, alg, call.arg(2));
            }
        } else if is_api(q, &["argon2"], "Params::new") {
            let (Some(m), Some(t)) = (
                call.arg(0).and_then(|e| cx.eval_int(e)),
                call.arg(1).and_then(|e| cx.eval_int(e)),
            ) else {
                return;
            };
            if below_floor(m, t) {
                Self::report_params(cx, call.span(), m, t);
            }
        } else if is_api(q, &["argon2"], "Config::original") {
            // rust-argon2: Argon2i, 4096 KiB, 3 passes
            Self::report(
                cx,
                call.span(),
                "`Config::original()` is Argon2i with 4096 KiB of memory".to_string(),
                "Argon2i, 4 MiB",
                "use `Config::rfc9106_low_mem()` or `Config::owasp1()`..`owasp5()` (Argon2id at OWASP's parameters)",
            );
        }
    }

    fn check_method_call(&self, cx: &mut Cx<'_, '_>, call: &MethodCall<'_>) {
        // `ParamsBuilder::new().m_cost(4096).t_cost(1).build()`
        if call.method != "build" || cx.in_test() {
            return;
        }
        let c = chain(cx, call.receiver());
        let Expr::Call(root) = peel(c.root) else {
            return;
        };
        let is_builder = cx.resolve_expr(&root.func).is_some_and(|q| {
            is_api(&q, &["argon2"], "ParamsBuilder::new")
                || is_api(&q, &["argon2"], "ParamsBuilder::default")
        });
        if !is_builder {
            return;
        }
        let value = |name: &str, default: i128| -> Option<i128> {
            match c.calls_named(name).next() {
                Some(m) => m.args.first().and_then(|a| cx.eval_int(a)),
                None => Some(default),
            }
        };
        let (Some(m), Some(t)) = (value("m_cost", DEFAULT_M), value("t_cost", DEFAULT_T)) else {
            return;
        };
        if below_floor(m, t) {
            Self::report_params(cx, call.span(), m, t);
        }
    }

    fn check_expr(&self, cx: &mut Cx<'_, '_>, e: &Expr) {
        if let Expr::Struct(s) = e {
            if !cx.in_test() {
                check_config_literal(cx, s);
            }
        }
    }
}

/// rust-argon2's `Config { variant: Variant::Argon2i, mem_cost: 4096, time_cost: 1, .. }`.
fn check_config_literal(cx: &mut Cx<'_, '_>, s: &stratalint_engine::syn::ExprStruct) {
    let Some(q) = cx.resolve(&s.path) else { return };
    if !is_api(&q, &["argon2"], "Config") {
        return;
    }
    let field = |name: &str| {
        s.fields.iter().find_map(|f| match &f.member {
            stratalint_engine::syn::Member::Named(n) if n == name => Some(&f.expr),
            _ => None,
        })
    };
    if let Some(v) = field("variant") {
        if let Some(name @ ("Argon2i" | "Argon2d")) = path_last(v).as_deref() {
            Argon2WeakParams::report(
                cx,
                v.span(),
                format!("Argon2 variant `{name}`: passwords need Argon2id"),
                "not Argon2id",
                "use `Variant::Argon2id`",
            );
        }
    }
    let m = field("mem_cost").and_then(|e| cx.eval_int(e));
    let t = field("time_cost").and_then(|e| cx.eval_int(e));
    if let (Some(m), Some(t)) = (m, t) {
        if below_floor(m, t) {
            Argon2WeakParams::report_params(cx, s.span(), m, t);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::below_floor;

    #[test]
    fn owasp_pairs() {
        assert!(!below_floor(19_456, 2));
        assert!(!below_floor(47_104, 1));
        assert!(!below_floor(65_536, 3));
        assert!(below_floor(19_456, 1));
        assert!(below_floor(4_096, 3));
        assert!(!below_floor(7_168, 5));
        assert!(below_floor(7_167, 5));
    }
}
