//! The semantic model as rules see it, through a probe rule: `probe(expr)` calls in a small project
//! report what `Cx` says about `expr` (string origin, integer value, debug-only context).

use stratalint_engine::syn::spanned::Spanned;
use stratalint_engine::{
    Call, CheckOptions, Cx, Family, Hooks, Rule, RuleMeta, Severity, StrOrigin,
};

static PROBE: RuleMeta = RuleMeta {
    id: "probe",
    family: Family::Security,
    severity: Severity::Info,
    doc: "---\nid: probe\nfamily: security\nseverity: info\nsummary: probe\n---\n",
    default_enabled: true,
};

struct Probe;

impl Rule for Probe {
    fn meta(&self) -> &'static RuleMeta {
        &PROBE
    }

    fn hooks(&self) -> Hooks {
        Hooks::CALL
    }

    fn check_call(&self, cx: &mut Cx<'_, '_>, call: &Call<'_>) {
        if call.path.as_ref().is_none_or(|p| p.last() != "probe") {
            return;
        }
        let Some(arg) = call.arg(0) else { return };
        let origin = match cx.str_origin(arg) {
            StrOrigin::Static => "static",
            StrOrigin::Built(_) => "built",
            StrOrigin::Opaque => "opaque",
        };
        let shadows = cx
            .local_of(arg)
            .and_then(|v| cx.shadowed(v))
            .and_then(|v| v.init)
            .map(|init| cx.text_of(init.span()).to_string())
            .unwrap_or_default();
        let msg = format!(
            "origin={origin} int={:?} debug={} shadows={shadows}",
            cx.eval_int(arg),
            cx.in_debug_only()
        );
        let d = cx.diag(call.span(), msg);
        cx.report(d);
    }
}

/// The probe's messages for `src` (as `src/lib.rs`), in source order.
fn probe(src: &str) -> Vec<String> {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("Cargo.toml"),
        "[package]\nname = \"app\"\nversion = \"0.1.0\"\nedition = \"2021\"\n",
    )
    .expect("write");
    std::fs::create_dir_all(dir.path().join("src")).expect("mkdir");
    std::fs::write(dir.path().join("src/lib.rs"), src).expect("write");
    let opts = CheckOptions {
        paths: vec![dir.path().to_path_buf()],
        cwd: dir.path().to_path_buf(),
        select: vec!["probe".into()],
        jobs: Some(1),
        ..CheckOptions::default()
    };
    let result = stratalint_engine::check(&opts, vec![Box::new(Probe)]).expect("check");
    result
        .diagnostics
        .iter()
        .filter(|d| d.rule == "probe")
        .map(|d| d.message.clone())
        .collect()
}

#[test]
fn string_origins_through_vectors_joins_and_replace() {
    let got = probe(
        r#"
fn probe<T>(_: T) {}
const TEMPLATE: &str = "SELECT * FROM {table}";
fn f(name: &str, table: &str) {
    let mut parts = Vec::new();
    parts.push("a = $1");
    probe(parts.join(" AND "));
    parts.push(name);
    probe(parts.join(" AND "));
    probe(["SELECT ", "1"].concat());
    probe(["SELECT ", name].concat());
    probe(TEMPLATE.replace("{table}", "users"));
    probe(TEMPLATE.replace("{table}", table));
    let mut sql = String::new();
    sql.push_str("SELECT 1");
    probe(&sql);
    probe(vec!["a", name].join(","));
}
"#,
    );
    let origins: Vec<&str> = got
        .iter()
        .map(|m| m.split(' ').next().unwrap_or(""))
        .collect();
    assert_eq!(
        origins,
        [
            "origin=static",
            "origin=built",
            "origin=static",
            "origin=built",
            "origin=static",
            "origin=built",
            "origin=static",
            "origin=built",
        ],
        "{got:#?}"
    );
}

#[test]
fn integers_from_literals_constants_and_locals() {
    let got = probe(
        r#"
fn probe<T>(_: T) {}
const M_COST: u32 = 19 * 1024;
const ROUNDS: u32 = 600_000;
fn f(n: u32) {
    probe(4096);
    probe(M_COST);
    let cost = 8;
    probe(cost);
    probe(std::num::NonZeroU32::new(ROUNDS).unwrap());
    probe((1u32 << 4) as u64);
    probe(n);
}
"#,
    );
    let ints: Vec<&str> = got
        .iter()
        .map(|m| m.split(' ').nth(1).unwrap_or(""))
        .collect();
    assert_eq!(
        ints,
        [
            "int=Some(4096)",
            "int=Some(19456)",
            "int=Some(8)",
            "int=Some(600000)",
            "int=Some(16)",
            "int=None",
        ],
        "{got:#?}"
    );
}

#[test]
fn debug_only_code() {
    let got = probe(
        r#"
fn probe<T>(_: T) {}
fn f() {
    probe(1);
    if cfg!(debug_assertions) { probe(2); } else { probe(3); }
    if !cfg!(debug_assertions) { probe(4); } else { probe(5); }
    #[cfg(debug_assertions)]
    let _x = probe(6);
    #[cfg(debug_assertions)]
    {
        probe(7);
    }
}
#[cfg(debug_assertions)]
fn dev() {
    probe(8);
}
struct S;
impl S {
    #[cfg(debug_assertions)]
    fn dev(&self) {
        probe(9);
    }
}
"#,
    );
    let debug: Vec<(&str, &str)> = got
        .iter()
        .map(|m| {
            let mut it = m.split(' ');
            let int = it.nth(1).unwrap_or("");
            (int, it.next().unwrap_or(""))
        })
        .collect();
    assert_eq!(
        debug,
        [
            ("int=Some(1)", "debug=false"),
            ("int=Some(2)", "debug=true"),
            ("int=Some(3)", "debug=false"),
            ("int=Some(4)", "debug=false"),
            ("int=Some(5)", "debug=true"),
            ("int=Some(6)", "debug=true"),
            ("int=Some(7)", "debug=true"),
            ("int=Some(8)", "debug=true"),
            ("int=Some(9)", "debug=true"),
        ],
        "{got:#?}"
    );
}

#[test]
fn rebindings_are_followed_back() {
    let got = probe(
        r#"
fn probe<T>(_: T) {}
fn f() {
    let app = 1;
    let app = app + 1;
    {
        let app = app * 2;
        probe(app);
    }
    probe(app);
}
"#,
    );
    let shadows: Vec<&str> = got
        .iter()
        .map(|m| m.split_once("shadows=").map(|(_, s)| s).unwrap_or(""))
        .collect();
    assert_eq!(shadows, ["app + 1", "1"], "{got:#?}");
}

#[test]
fn escaped_values_are_safe_to_splice() {
    let got = probe(
        r#"
fn probe<T>(_: T) {}
fn quote_ident(s: &str) -> String { s.to_string() }
fn f(name: &str) {
    probe(format!("LISTEN {}", quote_ident(name)));
    probe(format!("CREATE DATABASE \"{}\"", name.replace('"', "\"\"")));
    probe(format!("SELECT '{}'", name.replace("'", "''")));
    probe(format!("SELECT '{}'", name.replace("'", "")));
    probe(format!("SELECT {}", lookup(name)));
}
"#,
    );
    let origins: Vec<&str> = got
        .iter()
        .map(|m| m.split(' ').next().unwrap_or(""))
        .collect();
    assert_eq!(
        origins,
        [
            "origin=static",
            "origin=static",
            "origin=static",
            "origin=built",
            "origin=built"
        ],
        "{got:#?}"
    );
}
