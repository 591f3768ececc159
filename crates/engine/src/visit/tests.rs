//! The walker's context queries, seen from a probe rule: every call of `probe()` reports what
//! `Cx` says there.

use crate::diagnostic::{Family, Severity};
use crate::rule::{Hooks, Rule, RuleMeta};
use crate::semantic::LoopKind;
use crate::visit::{Call, Cx};

static META: RuleMeta = RuleMeta {
    id: "probe",
    family: Family::Errors,
    severity: Severity::Info,
    doc: "",
    default_enabled: true,
};

struct Probe;

impl Rule for Probe {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn hooks(&self) -> Hooks {
        Hooks::CALL
    }

    fn check_call(&self, cx: &mut Cx<'_, '_>, call: &Call<'_>) {
        if !matches!(&*call.expr.func, syn::Expr::Path(p) if p.path.is_ident("probe")) {
            return;
        }
        let loop_ = match cx.current_loop() {
            None => "-".to_string(),
            Some(LoopKind::For { .. }) => "for".to_string(),
            Some(LoopKind::While { .. }) => "while".to_string(),
            Some(LoopKind::Loop { .. }) => "loop".to_string(),
            Some(LoopKind::PerItem { method, .. }) => format!("per-item {method}"),
        };
        let present: Vec<&str> = ["x", "v", "self.items"]
            .into_iter()
            .filter(|s| {
                let e: syn::Expr = syn::parse_str(s).expect("expr");
                cx.is_known_present(&e)
            })
            .collect();
        let msg = format!(
            "init={} loop={loop_} present={}",
            cx.in_static_init(),
            present.join(",")
        );
        let d = cx.diag(call.span(), msg);
        cx.report(d);
    }
}

/// Check `code` as the `src/lib.rs` of a one-crate project with `rule` only; the messages of the
/// rule's findings.
fn run(code: &str, rule: Box<dyn Rule>, id: &str) -> Vec<String> {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("Cargo.toml"),
        "[package]\nname = \"p\"\nversion = \"0.1.0\"\nedition = \"2021\"\n",
    )
    .expect("write");
    std::fs::create_dir_all(dir.path().join("src")).expect("mkdir");
    std::fs::write(dir.path().join("src/lib.rs"), code).expect("write");
    let opts = crate::CheckOptions {
        paths: vec![dir.path().to_path_buf()],
        cwd: dir.path().to_path_buf(),
        jobs: Some(1),
        ..crate::CheckOptions::default()
    };
    let result = crate::check(&opts, vec![rule]).expect("check");
    result
        .diagnostics
        .iter()
        .filter(|d| d.rule == id)
        .map(|d| d.message.clone())
        .collect()
}

fn probe(code: &str) -> Vec<String> {
    run(code, Box::new(Probe), "probe")
}

#[test]
fn lazy_initialisers_are_static_init() {
    let got = probe(
        "use once_cell::sync::Lazy;\nuse std::sync::OnceLock;\n\
         static A: Lazy<u8> = Lazy::new(|| probe());\n\
         fn f(c: &OnceLock<u8>) { c.get_or_init(|| probe()); probe(); }\n\
         fn g() { let _ = std::sync::LazyLock::new(|| probe()); }\n",
    );
    assert_eq!(
        got,
        [
            "init=true loop=- present=",
            "init=true loop=- present=",
            "init=false loop=- present=",
            "init=true loop=- present=",
        ]
    );
}

#[test]
fn loops_and_per_item_closures() {
    let got = probe(
        "fn f(v: Vec<u8>, o: Option<u8>) {\n\
         for x in &v { probe(); }\n\
         while let Some(x) = o { probe(); }\n\
         loop { probe(); }\n\
         v.iter().map(|x| probe());\n\
         o.map(|x| probe());\n\
         for x in &v { let g = || { fn inner() { probe(); } }; }\n\
         }\n",
    );
    assert_eq!(
        got,
        [
            "init=false loop=for present=",
            "init=false loop=while present=",
            "init=false loop=loop present=",
            "init=false loop=per-item map present=",
            "init=false loop=- present=",
            "init=false loop=- present=",
        ]
    );
}

#[test]
fn conditions_and_guards() {
    let got = probe(
        "fn f(x: Option<u8>, v: Vec<u8>) {\n\
         if x.is_some() && !v.is_empty() { probe(); } else { probe(); }\n\
         if x.is_none() { probe(); } else { probe(); }\n\
         probe();\n\
         if v.is_empty() { return; }\n\
         probe();\n\
         fn inner() { probe(); }\n\
         }\n\
         impl S { fn g(&self) { if self.items.len() > 0 { probe(); } } }\n",
    );
    assert_eq!(
        got,
        [
            "init=false loop=- present=x,v",
            "init=false loop=- present=",
            "init=false loop=- present=",
            "init=false loop=- present=x",
            "init=false loop=- present=",
            "init=false loop=- present=v",
            "init=false loop=- present=",
            "init=false loop=- present=self.items",
        ]
    );
}

static KINDS_META: RuleMeta = RuleMeta {
    id: "kinds",
    family: Family::Errors,
    severity: Severity::Info,
    doc: "",
    default_enabled: true,
};

/// Asks for literals and `match` only, and reports every expression it is handed.
struct LitsAndMatches;

impl Rule for LitsAndMatches {
    fn meta(&self) -> &'static RuleMeta {
        &KINDS_META
    }

    fn hooks(&self) -> Hooks {
        Hooks::EXPR
    }

    fn expr_kinds(&self) -> crate::rule::ExprKinds {
        crate::rule::ExprKinds::LIT | crate::rule::ExprKinds::MATCH
    }

    fn check_expr(&self, cx: &mut Cx<'_, '_>, e: &syn::Expr) {
        let kind = match e {
            syn::Expr::Lit(_) => "lit",
            syn::Expr::Match(_) => "match",
            _ => "other",
        };
        let d = cx.diag(crate::visit::expr_span(e), kind);
        cx.report(d);
    }
}

#[test]
fn expression_rules_see_only_the_kinds_they_ask_for() {
    let mut got = run(
        "fn f(x: u8) -> u8 { let y = x + 1; match y { 0 => g(\"a\"), _ => y.max(2) } }\n",
        Box::new(LitsAndMatches),
        "kinds",
    );
    got.sort();
    // the literals `1`, `"a"` and `2`, and the match; never the binary, calls or paths
    assert_eq!(got, ["lit", "lit", "lit", "match"]);
}

/// The probe, for test code too.
struct TestProbe;

impl Rule for TestProbe {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn hooks(&self) -> Hooks {
        Hooks::CALL
    }

    fn applies_to_tests(&self) -> bool {
        true
    }

    fn check_call(&self, cx: &mut Cx<'_, '_>, call: &Call<'_>) {
        if matches!(&*call.expr.func, syn::Expr::Path(p) if p.path.is_ident("probe")) {
            let d = cx.diag(call.span(), format!("test={}", cx.in_test()));
            cx.report(d);
        }
    }
}

#[test]
fn test_code_is_walked_only_for_rules_that_look_at_it() {
    let code = "fn f() { probe(); }\n\
                #[test] fn t() { probe(); }\n\
                #[cfg(test)] impl S { fn g() { probe(); } }\n\
                #[cfg(test)] mod tests { fn h() { probe(); } mod inner { fn i() { probe(); } } }\n";
    // no enabled rule looks at tests: the walk skips them
    assert_eq!(probe(code), ["init=false loop=- present="]);
    // one does: every piece of test code is walked, and known as test code
    let got = run(code, Box::new(TestProbe), "probe");
    assert_eq!(
        got,
        [
            "test=false",
            "test=true",
            "test=true",
            "test=true",
            "test=true"
        ]
    );
}
