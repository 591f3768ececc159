//! The rule API. A rule is one type implementing [`Rule`] with only the hooks it needs; the engine
//! walks each file once and calls every rule registered for the node kind it is visiting.

use crate::diagnostic::{Diagnostic, Family, Severity};
use crate::visit::{Call, Cx, FnNode, MacroCall, MethodCall, PathRef, UseLeaf};

/// Where rule pages live; `stratalint rule ID` prints the same text.
pub const DOCS_BASE: &str = "https://github.com/stratalint/stratalint/blob/main/rules";

/// The documentation link of a rule id.
pub fn docs_url(id: &str) -> String {
    match crate::rule::doc_family_of(id) {
        Some(family) => format!("{DOCS_BASE}/{family}/{id}.md"),
        None => format!("{DOCS_BASE}/README.md"),
    }
}

static FAMILY_INDEX: std::sync::OnceLock<rustc_hash::FxHashMap<&'static str, &'static str>> =
    std::sync::OnceLock::new();

/// Register the family of every rule id once, so that `docs_url` can build links from an id.
pub fn register_doc_families(metas: &[&'static RuleMeta]) {
    let _ = FAMILY_INDEX.set(metas.iter().map(|m| (m.id, m.family.as_str())).collect());
}

/// The registered `&'static str` of a rule id (for diagnostics read back from the cache).
pub fn registered_id(id: &str) -> Option<&'static str> {
    FAMILY_INDEX.get()?.get_key_value(id).map(|(k, _)| *k)
}

fn doc_family_of(id: &str) -> Option<&'static str> {
    FAMILY_INDEX.get()?.get(id).copied()
}

/// What a rule declares about itself. The text (summary, rationale, examples) lives in the rule's
/// markdown page under `rules/<family>/<id>.md`, embedded with `include_str!`.
#[derive(Debug)]
pub struct RuleMeta {
    pub id: &'static str,
    pub family: Family,
    pub severity: Severity,
    /// The markdown page, front matter included.
    pub doc: &'static str,
    /// Off unless selected explicitly (for opinionated or noisy rules).
    pub default_enabled: bool,
}

impl RuleMeta {
    /// A front-matter field of the page (`summary: …`).
    pub fn front(&self, key: &str) -> Option<&'static str> {
        let body = self.doc.strip_prefix("---\n")?;
        let end = body.find("\n---")?;
        body[..end].lines().find_map(|l| {
            let (k, v) = l.split_once(':')?;
            // YAML-style values may be quoted: `security-severity: "8.8"`
            let v = v.trim();
            let v = v
                .strip_prefix('"')
                .and_then(|v| v.strip_suffix('"'))
                .unwrap_or(v);
            (k.trim() == key).then_some(v)
        })
    }

    /// One line saying what the rule flags.
    pub fn summary(&self) -> &'static str {
        self.front("summary").unwrap_or("")
    }

    /// The page without its front matter.
    pub fn body(&self) -> &'static str {
        match self
            .doc
            .strip_prefix("---\n")
            .and_then(|b| b.find("\n---\n").map(|e| &b[e + 5..]))
        {
            Some(body) => body.trim_start(),
            None => self.doc,
        }
    }

    /// A markdown section of the page (`## Why is this bad?` → its text), without the heading.
    pub fn section(&self, heading: &str) -> Option<&'static str> {
        let body = self.body();
        let marker = format!("## {heading}");
        let start = body.find(&marker)? + marker.len();
        let rest = &body[start..];
        let end = rest.find("\n## ").unwrap_or(rest.len());
        Some(rest[..end].trim())
    }
}

/// The node kinds a rule wants to see. The engine builds one dispatch list per kind, so a rule pays
/// nothing for the hooks it does not declare.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Hooks(u32);

impl Hooks {
    pub const NONE: Hooks = Hooks(0);
    /// Once per Rust file, before the walk.
    pub const FILE: Hooks = Hooks(1);
    /// Every item (`struct`, `fn`, `impl`, `mod`, …).
    pub const ITEM: Hooks = Hooks(1 << 1);
    /// Every function with a body (free fns, methods, trait default methods), on entry.
    pub const FN: Hooks = Hooks(1 << 2);
    /// Every call whose callee is a path: `std::fs::read(p)`.
    pub const CALL: Hooks = Hooks(1 << 3);
    /// Every method call: `conn.execute(q)`.
    pub const METHOD_CALL: Hooks = Hooks(1 << 4);
    /// Every macro invocation in expression, statement or item position.
    pub const MACRO: Hooks = Hooks(1 << 5);
    /// Every leaf of every `use` tree.
    pub const USE: Hooks = Hooks(1 << 6);
    /// Every path in an expression, type, pattern or trait bound, resolved.
    pub const PATH: Hooks = Hooks(1 << 7);
    /// Every expression (for shapes the specific hooks do not cover).
    pub const EXPR: Hooks = Hooks(1 << 8);
    /// Every `let` statement.
    pub const LOCAL: Hooks = Hooks(1 << 9);
    /// Every function, on exit (after its body was walked).
    pub const FN_EXIT: Hooks = Hooks(1 << 10);
    /// Files that are not Rust (migrations: `.sql`, alembic `.py`, and any other walked file).
    pub const TEXT_FILE: Hooks = Hooks(1 << 11);
    /// Once per run, after all files, with the project facts.
    pub const PROJECT: Hooks = Hooks(1 << 12);
    /// Every block, on entry and on exit (`check_block` / `check_block_exit`).
    pub const BLOCK: Hooks = Hooks(1 << 13);
    /// The rule reads the project's dependency graph in `check_project`
    /// ([`crate::ProjectCx::dependencies`]); the walk records references where such a rule is on.
    pub const DEPS: Hooks = Hooks(1 << 14);

    pub const fn contains(self, other: Hooks) -> bool {
        self.0 & other.0 == other.0 && other.0 != 0
    }

    pub(crate) const fn bits(self) -> u32 {
        self.0
    }
}

impl std::ops::BitOr for Hooks {
    type Output = Hooks;
    fn bitor(self, rhs: Hooks) -> Hooks {
        Hooks(self.0 | rhs.0)
    }
}

/// Kinds of expression a rule's `check_expr` looks at ([`Rule::expr_kinds`]): the walk calls it
/// only on those, instead of on every expression of the file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ExprKinds(u64);

impl ExprKinds {
    pub const ALL: ExprKinds = ExprKinds(u64::MAX);
    pub const LIT: ExprKinds = ExprKinds(1 << 0);
    pub const STRUCT: ExprKinds = ExprKinds(1 << 1);
    pub const ASSIGN: ExprKinds = ExprKinds(1 << 2);
    pub const MATCH: ExprKinds = ExprKinds(1 << 3);
    pub const IF: ExprKinds = ExprKinds(1 << 4);
    pub const BINARY: ExprKinds = ExprKinds(1 << 5);
    pub const AWAIT: ExprKinds = ExprKinds(1 << 6);
    pub const WHILE: ExprKinds = ExprKinds(1 << 7);
    pub const CALL: ExprKinds = ExprKinds(1 << 8);
    pub const METHOD_CALL: ExprKinds = ExprKinds(1 << 9);
    pub const PATH: ExprKinds = ExprKinds(1 << 10);
    pub const MACRO: ExprKinds = ExprKinds(1 << 11);
    pub const CLOSURE: ExprKinds = ExprKinds(1 << 12);
    pub const FIELD: ExprKinds = ExprKinds(1 << 13);
    pub const RETURN: ExprKinds = ExprKinds(1 << 14);
    pub const TRY: ExprKinds = ExprKinds(1 << 15);
    pub const UNARY: ExprKinds = ExprKinds(1 << 16);
    pub const REFERENCE: ExprKinds = ExprKinds(1 << 17);
    pub const FOR_LOOP: ExprKinds = ExprKinds(1 << 18);
    pub const LOOP: ExprKinds = ExprKinds(1 << 19);
    pub const BLOCK: ExprKinds = ExprKinds(1 << 20);
    pub const LET: ExprKinds = ExprKinds(1 << 21);
    /// Every other kind of expression.
    pub const OTHER: ExprKinds = ExprKinds(1 << 63);

    /// The bit of `e`'s kind (0..64).
    pub fn index(e: &syn::Expr) -> usize {
        use syn::Expr as E;
        match e {
            E::Lit(_) => 0,
            E::Struct(_) => 1,
            E::Assign(_) => 2,
            E::Match(_) => 3,
            E::If(_) => 4,
            E::Binary(_) => 5,
            E::Await(_) => 6,
            E::While(_) => 7,
            E::Call(_) => 8,
            E::MethodCall(_) => 9,
            E::Path(_) => 10,
            E::Macro(_) => 11,
            E::Closure(_) => 12,
            E::Field(_) => 13,
            E::Return(_) => 14,
            E::Try(_) => 15,
            E::Unary(_) => 16,
            E::Reference(_) => 17,
            E::ForLoop(_) => 18,
            E::Loop(_) => 19,
            E::Block(_) => 20,
            E::Let(_) => 21,
            _ => 63,
        }
    }

    pub(crate) const fn bits(self) -> u64 {
        self.0
    }
}

impl std::ops::BitOr for ExprKinds {
    type Output = ExprKinds;
    fn bitor(self, rhs: ExprKinds) -> ExprKinds {
        ExprKinds(self.0 | rhs.0)
    }
}

/// Options given to a rule from `[rules.<id>]` in the config. Deserialize them into the rule's
/// typed options with serde; errors carry the TOML span, so users are pointed at the line.
pub type RuleOptions<'a> = toml::de::ValueDeserializer<'a>;

/// A non-Rust file handed to rules with [`Hooks::TEXT_FILE`].
pub struct TextFile<'a> {
    /// Path relative to the project root, `/`-separated.
    pub rel_path: &'a str,
    /// The contents, when they are valid UTF-8 (file-name rules do not need them).
    pub text: Option<&'a crate::source::SourceText>,
    pub info: &'a crate::project::FileInfo,
}

/// A rule. Implement `meta`, `hooks` and the `check_*` methods named by `hooks`.
pub trait Rule: Send + Sync {
    fn meta(&self) -> &'static RuleMeta;

    fn hooks(&self) -> Hooks;

    /// Does the rule look at test code (`#[cfg(test)]`, `#[test]` functions, test files)? Most
    /// conventions are about the code that runs in production; the engine does not dispatch test
    /// code to the rules that answer no, which is most of them.
    fn applies_to_tests(&self) -> bool {
        false
    }

    /// Anything besides the configuration and the files' content that changes what the rule
    /// reports (today's date, for a rule about dates). Cached results, of a file or of a whole run,
    /// are reused only under the same value.
    fn cache_salt(&self) -> u64 {
        0
    }

    /// With [`Hooks::EXPR`]: the kinds of expression `check_expr` looks at. Expressions are the
    /// most numerous nodes; a rule about `match` arms should not be called on every literal.
    fn expr_kinds(&self) -> ExprKinds {
        ExprKinds::ALL
    }

    /// Accept the rule's options. The default accepts none.
    fn configure(&mut self, options: RuleOptions<'_>) -> Result<(), toml::de::Error> {
        use serde::Deserialize;
        #[derive(serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        struct NoOptions {}
        NoOptions::deserialize(options).map(|_| ())
    }

    fn check_file(&self, _cx: &mut Cx<'_, '_>, _file: &syn::File) {}
    fn check_item(&self, _cx: &mut Cx<'_, '_>, _item: &syn::Item) {}
    fn check_fn(&self, _cx: &mut Cx<'_, '_>, _f: &FnNode<'_>) {}
    fn check_fn_exit(&self, _cx: &mut Cx<'_, '_>, _f: &FnNode<'_>) {}
    fn check_block(&self, _cx: &mut Cx<'_, '_>, _block: &syn::Block) {}
    fn check_block_exit(&self, _cx: &mut Cx<'_, '_>, _block: &syn::Block) {}
    fn check_call(&self, _cx: &mut Cx<'_, '_>, _call: &Call<'_>) {}
    fn check_method_call(&self, _cx: &mut Cx<'_, '_>, _call: &MethodCall<'_>) {}
    fn check_macro(&self, _cx: &mut Cx<'_, '_>, _mac: &MacroCall<'_>) {}
    fn check_use(&self, _cx: &mut Cx<'_, '_>, _leaf: &UseLeaf<'_>) {}
    fn check_path(&self, _cx: &mut Cx<'_, '_>, _path: &PathRef<'_>) {}
    fn check_expr(&self, _cx: &mut Cx<'_, '_>, _expr: &syn::Expr) {}
    fn check_local(&self, _cx: &mut Cx<'_, '_>, _local: &syn::Local) {}

    /// A non-Rust file (migrations and the like). Report with [`TextCx`].
    fn check_text_file(&self, _cx: &mut crate::visit::TextCx<'_>, _file: &TextFile<'_>) {}

    /// After all files: the facts this rule (and the engine) gathered, for cross-file findings.
    fn check_project(&self, _cx: &mut crate::pipeline::ProjectCx<'_>) {}
}

/// A fact a rule records while walking a file, for its own `check_project` (see [`crate::facts`]).
/// Facts must be small: they are all that is kept of a file once its syntax tree is dropped.
pub use crate::facts::Fact;

/// Collect-time helper: `diag` builds a diagnostic stamped with the rule's id, family and
/// severity.
pub fn new_diag(
    meta: &'static RuleMeta,
    loc: crate::diagnostic::Loc,
    message: impl Into<String>,
) -> Diagnostic {
    Diagnostic::new(meta.id, meta.family, meta.severity, loc, message)
}
