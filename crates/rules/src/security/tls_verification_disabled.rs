//! A TLS connection that accepts any certificate is readable and writable by anyone on the path
//! (CWE-295).

use stratalint_engine::proc_macro2::Span;
use stratalint_engine::syn::{self, Expr, Item};
use stratalint_engine::{Cx, Hooks, MethodCall, Rule, RuleMeta};

use super::common::{lit_bool, method_span, path_last, peel};

static META: RuleMeta = crate::meta!("tls-verification-disabled", Security, "security", Error);

pub struct TlsVerificationDisabled;

fn report(cx: &mut Cx<'_, '_>, span: Span, message: String, label: &str) {
    let d = cx.diag(span, message).with_label(label).with_help(
        "keep certificate and hostname verification on; to trust a private CA add its certificate \
         (`reqwest::ClientBuilder::add_root_certificate(Certificate::from_pem(&ca_pem)?)`, rustls \
         `RootCertStore::add`) instead of turning checks off",
    );
    cx.report(d);
}

/// `SslVerifyMode::NONE` / `SSL_VERIFY_NONE`.
fn is_verify_none(e: &Expr) -> bool {
    match peel(e) {
        Expr::Path(p) => {
            let segs: Vec<String> = p
                .path
                .segments
                .iter()
                .map(|s| s.ident.to_string())
                .collect();
            segs.last().is_some_and(|l| l == "SSL_VERIFY_NONE")
                || (segs.last().is_some_and(|l| l == "NONE")
                    && segs
                        .iter()
                        .rev()
                        .nth(1)
                        .is_some_and(|s| s == "SslVerifyMode"))
        }
        _ => false,
    }
}

/// A closure that returns `true` whatever it is given.
fn always_true(e: &Expr) -> bool {
    match peel(e) {
        Expr::Closure(c) => match peel(&c.body) {
            Expr::Block(b) => {
                b.block.stmts.len() == 1
                    && matches!(&b.block.stmts[0], syn::Stmt::Expr(e, None) if lit_bool(e) == Some(true))
            }
            other => lit_bool(other) == Some(true),
        },
        _ => false,
    }
}

/// The body of a verifier method that accepts without looking: `Ok(ServerCertVerified::assertion())`.
fn accepts_everything(block: &syn::Block) -> bool {
    let stmts: Vec<&syn::Stmt> = block
        .stmts
        .iter()
        .filter(|s| !matches!(s, syn::Stmt::Local(l) if matches!(&l.pat, syn::Pat::Wild(_))))
        .collect();
    let [syn::Stmt::Expr(e, None)] = stmts.as_slice() else {
        return false;
    };
    let Expr::Call(ok) = peel(e) else {
        return false;
    };
    if path_last(&ok.func).as_deref() != Some("Ok") || ok.args.len() != 1 {
        return false;
    }
    match peel(&ok.args[0]) {
        Expr::Call(inner) => path_last(&inner.func).as_deref() == Some("assertion"),
        _ => false,
    }
}

impl Rule for TlsVerificationDisabled {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn hooks(&self) -> Hooks {
        Hooks::METHOD_CALL | Hooks::ITEM
    }

    fn check_method_call(&self, cx: &mut Cx<'_, '_>, call: &MethodCall<'_>) {
        // reqwest 0.13 renamed them `tls_danger_accept_invalid_*` (the old names are deprecated)
        let m = match call.method.as_str() {
            "tls_danger_accept_invalid_certs" => "danger_accept_invalid_certs",
            "tls_danger_accept_invalid_hostnames" => "danger_accept_invalid_hostnames",
            other => other,
        };
        if !matches!(
            m,
            "danger_accept_invalid_certs"
                | "danger_accept_invalid_hostnames"
                | "set_verify"
                | "set_verify_callback"
                | "verify_hostname"
                | "set_verify_hostname"
        ) || cx.in_test()
            || cx.in_debug_only()
        {
            return;
        }
        let span = method_span(call.expr);
        match m {
            "danger_accept_invalid_certs" if call.arg(0).and_then(lit_bool) == Some(true) => report(
                cx,
                span,
                "TLS certificate verification disabled: any certificate is accepted, so anyone on the network \
                 path can impersonate the server"
                    .into(),
                "accepts invalid certificates",
            ),
            "danger_accept_invalid_hostnames" if call.arg(0).and_then(lit_bool) == Some(true) => report(
                cx,
                span,
                "TLS hostname verification disabled: a valid certificate for any other site is accepted".into(),
                "accepts any hostname",
            ),
            "set_verify" | "set_verify_callback" if call.arg(0).is_some_and(is_verify_none) => report(
                cx,
                span,
                "OpenSSL peer verification disabled (`SslVerifyMode::NONE`)".into(),
                "no peer verification",
            ),
            "set_verify_callback" if call.arg(1).is_some_and(always_true) => report(
                cx,
                span,
                "OpenSSL verify callback always returns `true`: every certificate is accepted".into(),
                "accepts every certificate",
            ),
            "verify_hostname" | "set_verify_hostname" if call.arg(0).and_then(lit_bool) == Some(false) => report(
                cx,
                span,
                "OpenSSL hostname verification disabled".into(),
                "accepts any hostname",
            ),
            _ => {}
        }
    }

    /// `impl ServerCertVerifier for NoVerification { fn verify_server_cert(..) { Ok(assertion()) } }`
    fn check_item(&self, cx: &mut Cx<'_, '_>, item: &Item) {
        let Item::Impl(imp) = item else { return };
        let Some((trait_path, _)) = &imp.trait_ else {
            return;
        };
        let is_verifier = trait_path
            .segments
            .last()
            .is_some_and(|s| s.ident == "ServerCertVerifier");
        if !is_verifier || cx.in_test() {
            return;
        }
        let verify = imp.items.iter().find_map(|i| match i {
            syn::ImplItem::Fn(f) if f.sig.ident == "verify_server_cert" => Some(f),
            _ => None,
        });
        if let Some(f) = verify.filter(|f| accepts_everything(&f.block)) {
            let ty = match &*imp.self_ty {
                syn::Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
                _ => None,
            }
            .unwrap_or_default();
            report(
                cx,
                f.sig.ident.span(),
                format!(
                    "rustls verifier `{ty}` accepts every server certificate: installed with \
                     `.dangerous()`, it turns TLS verification off"
                ),
                "returns `ServerCertVerified::assertion()` without checking",
            );
        }
    }
}
