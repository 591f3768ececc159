//! Every example in every rule page runs: a `bad` example must make its rule fire, a `good` one
//! must not. Fences carry the path the snippet lives at (```` ```rust,bad path=src/api/users.rs ````),
//! which decides its layer; `context` fences are added to every example of the page.

mod common;

use stratalint_engine::pipeline::all_metas;
use stratalint_engine::Family;

struct Example {
    kind: String,
    path: String,
    code: String,
    line: usize,
}

fn examples(doc: &str) -> Vec<Example> {
    let mut out = Vec::new();
    let mut lines = doc.lines().enumerate();
    while let Some((i, line)) = lines.next() {
        let Some(info) = line.strip_prefix("```") else {
            continue;
        };
        let mut parts = info
            .split(|c: char| c == ',' || c.is_whitespace())
            .filter(|s| !s.is_empty());
        let _lang = parts.next();
        let mut kind = None;
        let mut path = None;
        for p in parts {
            match p {
                "bad" | "good" | "context" => kind = Some(p.to_string()),
                _ => {
                    if let Some(v) = p.strip_prefix("path=") {
                        path = Some(v.to_string());
                    }
                }
            }
        }
        let mut code = String::new();
        for (_, l) in lines.by_ref() {
            if l.starts_with("```") {
                break;
            }
            code.push_str(l);
            code.push('\n');
        }
        if let Some(kind) = kind {
            let path = path.unwrap_or_else(|| panic!("example at line {} has no path=", i + 1));
            out.push(Example {
                kind,
                path,
                code,
                line: i + 1,
            });
        }
    }
    out
}

const MANIFEST: &str =
    "[package]\nname = \"app\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\n";

#[test]
fn every_doc_example_behaves() {
    let rules = stratalint_rules::all();
    let metas = all_metas(&rules);
    let mut failures = Vec::new();
    let mut ran = 0;
    for meta in &metas {
        let all = examples(meta.doc);
        let context: Vec<&Example> = all.iter().filter(|e| e.kind == "context").collect();
        for ex in all.iter().filter(|e| e.kind != "context") {
            let dir = tempfile::tempdir().expect("tempdir");
            std::fs::write(dir.path().join("Cargo.toml"), MANIFEST).expect("write");
            for f in context.iter().copied().chain(std::iter::once(ex)) {
                let p = dir.path().join(&f.path);
                std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
                std::fs::write(&p, &f.code).expect("write");
            }
            let result = common::check(dir.path(), &["ALL"]);
            let fired: Vec<_> = result
                .diagnostics
                .iter()
                .filter(|d| d.rule == meta.id)
                .collect();
            let ok = match ex.kind.as_str() {
                "bad" => !fired.is_empty(),
                _ => fired.is_empty(),
            };
            ran += 1;
            if !ok {
                failures.push(format!(
                    "rules/{}/{}.md line {}: the {} example {}\n{}",
                    meta.family,
                    meta.id,
                    ex.line,
                    ex.kind,
                    if ex.kind == "bad" {
                        "does not fire"
                    } else {
                        "fires"
                    },
                    common::render(&result.diagnostics)
                ));
            }
        }
    }
    assert!(ran >= 10, "only {ran} examples ran");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Every rule page has the sections `stratalint rule` and SARIF help rely on, and front matter
/// that agrees with the code.
#[test]
fn every_rule_page_is_complete() {
    let rules = stratalint_rules::all();
    let metas = all_metas(&rules);
    for m in &metas {
        assert_eq!(m.front("id"), Some(m.id), "{}: front matter id", m.id);
        assert_eq!(
            m.front("family"),
            Some(m.family.as_str()),
            "{}: front matter family",
            m.id
        );
        assert_eq!(
            m.front("severity"),
            Some(m.severity.as_str()),
            "{}: front matter severity",
            m.id
        );
        assert!(!m.summary().is_empty(), "{}: summary", m.id);
        assert!(
            m.section("What it does").is_some(),
            "{}: `## What it does`",
            m.id
        );
        assert!(
            m.section("Why is this bad?").is_some(),
            "{}: `## Why is this bad?`",
            m.id
        );
        let path = common::repo()
            .join("rules")
            .join(m.family.as_str())
            .join(format!("{}.md", m.id));
        assert!(path.is_file(), "{} has no page at {}", m.id, path.display());
        let has_examples = examples(m.doc).iter().any(|e| e.kind == "bad");
        let exempt = ["unreadable-file", "file-too-large", "internal-error"];
        assert!(
            has_examples || exempt.contains(&m.id),
            "{}: no bad example",
            m.id
        );
    }
}

/// README's rule table lists every rule with its page, family and severity.
#[test]
fn readme_lists_every_rule() {
    let readme = std::fs::read_to_string(common::repo().join("README.md")).expect("README.md");
    let rules = stratalint_rules::all();
    for m in all_metas(&rules) {
        let row = format!(
            "| [{}](rules/{}/{}.md) | {} | {} |",
            m.id, m.family, m.id, m.family, m.severity
        );
        assert!(readme.contains(&row), "README's rule table lacks `{row}`");
    }
}

/// The families whose findings are security findings: SARIF tags validation rules `security` too.
fn is_security(family: Family) -> bool {
    matches!(family, Family::Security | Family::Validation)
}

/// Security and input-validation rules carry a SARIF `security-severity` in their front matter (a
/// CVSS-like score written as a string, `security-severity: "8.8"`, from 0.1 to 10), for
/// code-scanning integrations. Other pages may carry one too; when they do it must be valid.
#[test]
fn security_pages_have_a_security_severity() {
    let rules = stratalint_rules::all();
    let mut checked = 0;
    for m in all_metas(&rules) {
        let value = m.front("security-severity");
        if is_security(m.family) {
            checked += 1;
            assert!(
                value.is_some(),
                "{}: no `security-severity` in the front matter",
                m.id
            );
        }
        // `front` strips the quotes of `security-severity: "8.8"`
        let Some(value) = value else { continue };
        let score: f64 = value
            .parse()
            .unwrap_or_else(|_| panic!("{}: security-severity `{value}` is not a number", m.id));
        assert!(
            (0.1..=10.0).contains(&score),
            "{}: security-severity {score} is outside 0.1..=10",
            m.id
        );
    }
    assert!(checked >= 2, "no security or validation rule found");
}

/// The OWASP Top 10 (2021) categories, by number.
const OWASP_2021: [&str; 10] = [
    "Broken Access Control",
    "Cryptographic Failures",
    "Injection",
    "Insecure Design",
    "Security Misconfiguration",
    "Vulnerable and Outdated Components",
    "Identification and Authentication Failures",
    "Software and Data Integrity Failures",
    "Security Logging and Monitoring Failures",
    "Server-Side Request Forgery",
];

/// The CWE ids a text names (`CWE-798` → 798).
fn cwes(text: &str) -> Vec<u32> {
    text.match_indices("CWE-")
        .filter_map(|(i, m)| {
            let digits: String = text[i + m.len()..]
                .chars()
                .take_while(char::is_ascii_digit)
                .collect();
            digits.parse().ok()
        })
        .collect()
}

/// Every security and input-validation page says what it protects against: `What it does` names
/// its OWASP Top 10 category with the category's own name (`OWASP A03:2021 Injection`) and its
/// CWEs, and `References` lists each of those CWEs with its title (`- CWE-89: Improper …`).
#[test]
fn security_pages_name_an_owasp_category_and_a_cwe() {
    let rules = stratalint_rules::all();
    let mut failures = Vec::new();
    for m in all_metas(&rules)
        .into_iter()
        .filter(|m| is_security(m.family))
    {
        let what = m.section("What it does").unwrap_or_default();
        let references = m.section("References").unwrap_or_default();
        let Some(line) = what.lines().find(|l| l.starts_with("OWASP A")) else {
            failures.push(format!(
                "{}: no `OWASP Axx:2021 <category>` line in `What it does`",
                m.id
            ));
            continue;
        };
        // each `Axx:2021` of the line is followed by that category's name
        for (i, _) in line.match_indices(":2021 ") {
            let number: usize = line
                .get(i.saturating_sub(2)..i)
                .and_then(|n| n.parse().ok())
                .unwrap_or(0);
            let named = &line[i + ":2021 ".len()..];
            match OWASP_2021.get(number.wrapping_sub(1)) {
                Some(name) if named.starts_with(name) => {}
                _ => failures.push(format!(
                    "{}: `{line}` does not name OWASP's A{number:02}:2021",
                    m.id
                )),
            }
        }
        let named = cwes(what);
        if named.is_empty() {
            failures.push(format!("{}: `What it does` names no CWE", m.id));
        }
        for cwe in named {
            if !references.contains(&format!("CWE-{cwe}: ")) {
                failures.push(format!(
                    "{}: CWE-{cwe} is not listed with its title in `References`",
                    m.id
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
