//! Configuration: `stratalint.toml`, `.stratalint.toml`, or `[package|workspace.metadata.stratalint]`
//! in `Cargo.toml`, found by walking up from the checked path. Every error points at its span in
//! the TOML file (unknown keys, bad globs, unknown rule ids, unknown or cyclic layers).

// Configuration errors are rare and carry their source snippet; keeping them unboxed costs nothing.
#![allow(clippy::result_large_err)]

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use globset::{Glob, GlobSet, GlobSetBuilder};
use serde::Deserialize;
use toml::de::{DeTable, DeValue};
use toml::Spanned;

use crate::diagnostic::{Family, Severity};
use crate::layers::{LayerMap, LayerMapError, LayerSpec, Role, SelectorField};
use crate::rule::{Rule, RuleMeta};

/// Files checked unless `files.include` says otherwise: Rust sources and the migration files the
/// migration rules read.
pub const DEFAULT_INCLUDE: &[&str] = &[
    "**/*.rs",
    "**/migrations/**/*.sql",
    "**/migration/**/*.sql",
    "**/alembic/versions/*.py",
];

/// Test code: never the request path; rules skip it unless they say otherwise.
pub const DEFAULT_TESTS: &[&str] = &[
    "**/tests/**",
    "**/benches/**",
    "**/examples/**",
    "**/build.rs",
];

/// Files larger than this are reported (`file-too-large`) and skipped. syn needs about 130 times a
/// file's size in memory while parsing it; 4 MiB keeps that near 500 MB, and hand-written Rust
/// files are far smaller (the biggest in tokio is under 200 KiB). Generated files above it can be
/// excluded, or checked with a larger `files.max-file-size`.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 4 * 1024 * 1024;

/// A rule selector in `select`/`ignore`/`severity`: `ALL`, a family, or a rule id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Selector {
    All,
    Family(Family),
    Rule(String),
}

impl Selector {
    pub fn parse(s: &str, known: &[&'static RuleMeta]) -> Option<Selector> {
        if s == "ALL" || s == "all" {
            return Some(Selector::All);
        }
        if let Some(f) = Family::parse(s) {
            return Some(Selector::Family(f));
        }
        known
            .iter()
            .any(|m| m.id == s)
            .then(|| Selector::Rule(s.to_string()))
    }

    pub fn matches(&self, meta: &RuleMeta) -> bool {
        match self {
            Selector::All => true,
            Selector::Family(f) => meta.family == *f,
            Selector::Rule(id) => meta.id == id,
        }
    }

    /// More specific selectors win: rule > family > ALL.
    pub fn specificity(&self) -> u8 {
        match self {
            Selector::All => 0,
            Selector::Family(_) => 1,
            Selector::Rule(_) => 2,
        }
    }
}

/// Per-path settings (`[[overrides]]`).
#[derive(Clone, Debug)]
pub struct Override {
    pub files: GlobSet,
    pub select: Vec<Selector>,
    pub ignore: Vec<Selector>,
    pub severity: Vec<(Selector, Severity)>,
}

#[derive(Clone, Debug)]
pub struct FilesConfig {
    pub include: GlobSet,
    pub exclude: GlobSet,
    pub tests: GlobSet,
    pub max_file_size: u64,
    pub respect_gitignore: bool,
}

/// The compiled configuration.
#[derive(Clone, Debug)]
pub struct Config {
    /// The file it was read from (None: defaults).
    pub path: Option<PathBuf>,
    pub text: Option<Arc<str>>,
    /// Where the stratalint table sits in the file (`[]` for stratalint.toml).
    pub table_path: Vec<&'static str>,
    pub fail_on: Severity,
    pub select: Vec<Selector>,
    pub ignore: Vec<Selector>,
    pub severity: Vec<(Selector, Severity)>,
    pub files: FilesConfig,
    pub layers: LayerMap,
    pub overrides: Vec<Override>,
    pub require_reason: bool,
    pub baseline: Option<PathBuf>,
    /// Where the errors module lives (rules of the errors family read it): the first of
    /// `errors_modules`.
    pub errors_module: String,
    /// The errors modules as written (`[errors] module`/`modules`): paths or globs.
    pub errors_modules: Vec<String>,
    /// `errors_modules` compiled: see [`Config::in_errors_module`].
    pub errors_globs: GlobSet,
    /// Workspace crates that hold error types (`[errors] crates`), `_`-normalised.
    pub errors_crates: Vec<String>,
    /// `[async] escape-hatches`: functions (canonical paths, `crate::` for the checked crate)
    /// whose closure argument runs off the async executor, in addition to the built-in ones.
    pub escape_hatches: Vec<String>,
    /// `[async] escape-hatch-methods`: method names whose closure argument runs off the executor.
    pub escape_hatch_methods: Vec<String>,
}

impl Config {
    /// The seed's defaults.
    pub fn default_config() -> Config {
        Config {
            path: None,
            text: None,
            table_path: Vec::new(),
            fail_on: Severity::Warning,
            select: Vec::new(),
            ignore: Vec::new(),
            severity: Vec::new(),
            files: FilesConfig {
                include: globset(DEFAULT_INCLUDE),
                exclude: GlobSet::empty(),
                tests: globset(DEFAULT_TESTS),
                max_file_size: DEFAULT_MAX_FILE_SIZE,
                respect_gitignore: true,
            },
            layers: LayerMap::seed_default(),
            overrides: Vec::new(),
            require_reason: true,
            baseline: None,
            errors_module: DEFAULT_ERRORS_MODULE.to_string(),
            errors_modules: vec![DEFAULT_ERRORS_MODULE.to_string()],
            errors_globs: errors_globset(&[DEFAULT_ERRORS_MODULE]).expect("the default is valid"),
            errors_crates: Vec::new(),
            escape_hatches: Vec::new(),
            escape_hatch_methods: Vec::new(),
        }
    }

    /// Is this file (relative path, crate name) where error types belong: one of the errors
    /// modules, a submodule of one, or a file of an errors crate? A plain path matches at the
    /// project root and in every workspace member (`crates/api/src/core/errors.rs`), with its
    /// submodules (`src/core/errors/db.rs`); a glob matches as written.
    pub fn in_errors_module(&self, rel: &str, crate_name: Option<&str>) -> bool {
        crate_name.is_some_and(|c| self.errors_crates.iter().any(|e| e == c))
            || self.errors_globs.is_match(rel)
    }

    /// The directory relative paths in the config are relative to.
    pub fn dir(&self) -> Option<&Path> {
        self.path.as_deref().and_then(Path::parent)
    }

    /// Give each rule its `[rules.<id>]` table. Unknown ids and option errors point at the TOML.
    pub fn configure_rules(&self, rules: &mut [Box<dyn Rule>]) -> Result<(), ConfigError> {
        let (Some(text), Some(path)) = (&self.text, &self.path) else {
            return Ok(());
        };
        let doc = DeTable::parse(text).map_err(|e| ConfigError::toml(path, text, e))?;
        let Some(table) = navigate(doc.get_ref(), &self.table_path) else {
            return Ok(());
        };
        let Some(DeValue::Table(opts)) = table_get(table, "rules").map(|v| v.get_ref()) else {
            return Ok(());
        };
        for (key, value) in opts.iter() {
            let id: &str = key.get_ref();
            let Some(rule) = rules.iter_mut().find(|r| r.meta().id == id) else {
                let known: Vec<&str> = rules.iter().map(|r| r.meta().id).collect();
                return Err(ConfigError::at(
                    path,
                    text,
                    key.span(),
                    format!("unknown rule `{id}` in [rules]"),
                    suggest(id, &known),
                ));
            };
            rule.configure(toml::de::ValueDeserializer::from(value.clone()))
                .map_err(|e| ConfigError::toml(path, text, e))?;
        }
        Ok(())
    }

    /// Give one rule its `[rules.<id>]` table, ignoring the other rules' tables. For code that
    /// needs a rule's options outside a check (a fix, a sibling rule sharing its settings);
    /// `check` has already reported any error in them.
    pub fn configure_rule(&self, rule: &mut dyn Rule) -> Result<(), ConfigError> {
        let (Some(text), Some(path)) = (&self.text, &self.path) else {
            return Ok(());
        };
        let doc = DeTable::parse(text).map_err(|e| ConfigError::toml(path, text, e))?;
        let Some(table) = navigate(doc.get_ref(), &self.table_path) else {
            return Ok(());
        };
        let Some(DeValue::Table(opts)) = table_get(table, "rules").map(|v| v.get_ref()) else {
            return Ok(());
        };
        match table_get(opts, rule.meta().id) {
            Some(value) => rule
                .configure(toml::de::ValueDeserializer::from(value.clone()))
                .map_err(|e| ConfigError::toml(path, text, e)),
            None => Ok(()),
        }
    }
}

/// The seed's errors module (`app/core/exceptions.py` carried over).
const DEFAULT_ERRORS_MODULE: &str = "src/core/errors.rs";

/// Compile errors-module entries: a glob as written; a plain path at the root, in any member
/// crate, and with its submodules.
fn errors_globset<S: AsRef<str>>(entries: &[S]) -> Result<GlobSet, (usize, globset::Error)> {
    let mut b = GlobSetBuilder::new();
    for (i, entry) in entries.iter().enumerate() {
        let p = entry.as_ref().trim_start_matches("./");
        let mut globs = vec![p.to_string()];
        if !p.contains(['*', '?', '[', '{']) {
            let stem = p
                .strip_suffix("/mod.rs")
                .or_else(|| p.strip_suffix(".rs"))
                .unwrap_or(p);
            globs.push(format!("**/{p}"));
            globs.push(format!("{stem}/**"));
            globs.push(format!("**/{stem}/**"));
        }
        for g in globs {
            let glob = globset::GlobBuilder::new(&g)
                .literal_separator(true)
                .build()
                .map_err(|e| (i, e))?;
            b.add(glob);
        }
    }
    b.build().map_err(|e| (0, e))
}

fn globset(globs: &[&str]) -> GlobSet {
    let mut b = GlobSetBuilder::new();
    for g in globs {
        b.add(Glob::new(g).expect("built-in globs are valid"));
    }
    b.build().expect("built-in globs are valid")
}

/// A configuration error, rendered by miette with the TOML snippet.
#[derive(Debug)]
pub struct ConfigError {
    pub message: String,
    pub help: Option<String>,
    pub source: Option<miette::NamedSource<Arc<str>>>,
    pub span: Option<std::ops::Range<usize>>,
    pub label: String,
    /// 1-based line of the span, for plain-text output.
    pub line: Option<usize>,
    pub path: Option<PathBuf>,
}

impl ConfigError {
    pub fn plain(message: impl Into<String>) -> ConfigError {
        ConfigError {
            message: message.into(),
            help: None,
            source: None,
            span: None,
            label: String::new(),
            line: None,
            path: None,
        }
    }

    pub fn at(
        path: &Path,
        text: &Arc<str>,
        span: std::ops::Range<usize>,
        message: impl Into<String>,
        help: Option<String>,
    ) -> ConfigError {
        let message = message.into();
        let line = text[..span.start.min(text.len())].matches('\n').count() + 1;
        ConfigError {
            label: message.clone(),
            message,
            help,
            source: Some(miette::NamedSource::new(
                path.display().to_string(),
                text.clone(),
            )),
            span: Some(span),
            line: Some(line),
            path: Some(path.to_path_buf()),
        }
    }

    fn toml(path: &Path, text: &Arc<str>, e: toml::de::Error) -> ConfigError {
        let message = e.message().trim().to_string();
        match e.span() {
            Some(span) => {
                let help = unknown_field_help(&message);
                ConfigError::at(path, text, span, message, help)
            }
            None => {
                let mut err = ConfigError::plain(message);
                err.path = Some(path.to_path_buf());
                err
            }
        }
    }
}

/// serde's "unknown field `x`, expected one of `a`, `b`" already lists the keys; say it as help.
fn unknown_field_help(message: &str) -> Option<String> {
    let (_, expected) = message.split_once("expected ")?;
    message
        .starts_with("unknown field")
        .then(|| format!("expected {expected}"))
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.path, self.line) {
            (Some(p), Some(l)) => write!(f, "{}:{}: {}", p.display(), l, self.message),
            (Some(p), None) => write!(f, "{}: {}", p.display(), self.message),
            _ => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for ConfigError {}

impl miette::Diagnostic for ConfigError {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new("stratalint::config"))
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.source.as_ref().map(|s| s as &dyn miette::SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = miette::LabeledSpan> + '_>> {
        let span = self.span.clone()?;
        Some(Box::new(std::iter::once(
            miette::LabeledSpan::new_with_span(Some(self.label.clone()), span),
        )))
    }
}

/// "did you mean …" for a misspelled name.
pub fn suggest(name: &str, candidates: &[&str]) -> Option<String> {
    let best = candidates
        .iter()
        .map(|c| (edit_distance(name, c), *c))
        .filter(|(d, c)| *d <= 2.max(c.len() / 3))
        .min()?;
    Some(format!("did you mean `{}`?", best.1))
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != *cb))
                .min(prev[j + 1] + 1)
                .min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

// ---------------------------------------------------------------------------------------------
// Discovery

/// The config file names looked for in each directory, closest first.
pub const CONFIG_FILES: &[&str] = &["stratalint.toml", ".stratalint.toml"];

/// Walk up from `start` to the first directory holding a stratalint config (a stratalint.toml, a
/// .stratalint.toml, or a Cargo.toml with a `metadata.stratalint` table).
pub fn discover(start: &Path) -> Option<PathBuf> {
    let start = if start.is_file() {
        start.parent()?
    } else {
        start
    };
    for dir in start.ancestors() {
        for name in CONFIG_FILES {
            let p = dir.join(name);
            if p.is_file() {
                return Some(p);
            }
        }
        let cargo = dir.join("Cargo.toml");
        if let Ok(text) = std::fs::read_to_string(&cargo) {
            if text.contains("stratalint") && cargo_table_path(&text).is_some() {
                return Some(cargo);
            }
        }
    }
    None
}

/// Where the stratalint table is in a Cargo.toml, if it has one.
fn cargo_table_path(text: &str) -> Option<Vec<&'static str>> {
    let doc = DeTable::parse(text).ok()?;
    for prefix in [
        ["package", "metadata", "stratalint"],
        ["workspace", "metadata", "stratalint"],
    ] {
        if navigate(doc.get_ref(), &prefix).is_some() {
            return Some(prefix.to_vec());
        }
    }
    None
}

fn table_get<'a, 'i>(table: &'a DeTable<'i>, key: &str) -> Option<&'a Spanned<DeValue<'i>>> {
    table
        .iter()
        .find(|(k, _)| {
            let k: &str = k.get_ref();
            k == key
        })
        .map(|(_, v)| v)
}

fn navigate<'a, 'i>(mut table: &'a DeTable<'i>, path: &[&str]) -> Option<&'a DeTable<'i>> {
    for key in path {
        match table_get(table, key)?.get_ref() {
            DeValue::Table(t) => table = t,
            _ => return None,
        }
    }
    Some(table)
}

fn navigate_value<'i>(root: &Spanned<DeTable<'i>>, path: &[&str]) -> Option<Spanned<DeValue<'i>>> {
    if path.is_empty() {
        return Some(Spanned::new(
            root.span(),
            DeValue::Table(root.get_ref().clone()),
        ));
    }
    let parent = navigate(root.get_ref(), &path[..path.len() - 1])?;
    table_get(parent, path[path.len() - 1]).cloned()
}

// ---------------------------------------------------------------------------------------------
// Loading

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawConfig {
    fail_on: Option<Spanned<String>>,
    select: Option<Vec<Spanned<String>>>,
    extend_select: Option<Vec<Spanned<String>>>,
    ignore: Option<Vec<Spanned<String>>>,
    severity: Option<OrderedMap<Spanned<String>>>,
    baseline: Option<Spanned<String>>,
    files: Option<RawFiles>,
    layers: Option<OrderedMap<RawLayer>>,
    /// Rule options are handed to each rule by `configure_rules`; here only their presence.
    rules: Option<OrderedMap<serde::de::IgnoredAny>>,
    overrides: Option<Vec<RawOverride>>,
    suppressions: Option<RawSuppressions>,
    errors: Option<RawErrors>,
    #[serde(rename = "async")]
    async_: Option<RawAsync>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawFiles {
    include: Option<Vec<Spanned<String>>>,
    extend_include: Option<Vec<Spanned<String>>>,
    exclude: Option<Vec<Spanned<String>>>,
    tests: Option<Vec<Spanned<String>>>,
    max_file_size: Option<Spanned<u64>>,
    respect_gitignore: Option<bool>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawLayer {
    role: Option<Spanned<String>>,
    #[serde(default)]
    paths: Vec<Spanned<String>>,
    #[serde(default)]
    modules: Vec<Spanned<String>>,
    #[serde(default)]
    crates: Vec<Spanned<String>>,
    #[serde(default)]
    may_use: Vec<Spanned<String>>,
    #[serde(default)]
    shared: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawOverride {
    files: Vec<Spanned<String>>,
    select: Option<Vec<Spanned<String>>>,
    ignore: Option<Vec<Spanned<String>>>,
    severity: Option<OrderedMap<Spanned<String>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawSuppressions {
    require_reason: Option<bool>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawErrors {
    /// One errors module.
    module: Option<Spanned<String>>,
    /// Several (paths or globs); with `module`, all of them.
    modules: Option<Vec<Spanned<String>>>,
    /// Workspace crates that hold error types.
    crates: Option<Vec<Spanned<String>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawAsync {
    escape_hatches: Option<Vec<Spanned<String>>>,
    escape_hatch_methods: Option<Vec<Spanned<String>>>,
}

/// A TOML table kept in file order, with spanned keys.
struct OrderedMap<V>(Vec<(Spanned<String>, V)>);

impl<'de, V: Deserialize<'de>> Deserialize<'de> for OrderedMap<V> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor<V>(std::marker::PhantomData<V>);
        impl<'de, V: Deserialize<'de>> serde::de::Visitor<'de> for Visitor<V> {
            type Value = OrderedMap<V>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a table")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Self::Value, A::Error> {
                let mut out = Vec::new();
                while let Some((k, v)) = map.next_entry::<Spanned<String>, V>()? {
                    out.push((k, v));
                }
                Ok(OrderedMap(out))
            }
        }
        d.deserialize_map(Visitor(std::marker::PhantomData))
    }
}

/// Load the configuration: `explicit` (from `--config`) or the first found walking up from
/// `anchor`; defaults when there is none.
pub fn load(
    explicit: Option<&Path>,
    anchor: &Path,
    known: &[&'static RuleMeta],
) -> Result<Config, ConfigError> {
    let path = match explicit {
        Some(p) => {
            if !p.is_file() {
                return Err(ConfigError::plain(format!(
                    "config file `{}` not found",
                    p.display()
                )));
            }
            Some(p.to_path_buf())
        }
        None => discover(anchor),
    };
    let Some(path) = path else {
        return Ok(Config::default_config());
    };
    let text: Arc<str> = match std::fs::read(&path) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(s) => Arc::from(s),
            Err(_) => {
                return Err(ConfigError::plain(format!(
                    "{}: the config file is not valid UTF-8",
                    path.display()
                )))
            }
        },
        Err(e) => {
            return Err(ConfigError::plain(format!(
                "cannot read {}: {e}",
                path.display()
            )));
        }
    };
    let path = path.canonicalize().unwrap_or(path);
    from_text(&path, text, known)
}

/// Compile a configuration from the text of `path` (stratalint.toml or Cargo.toml).
pub fn from_text(
    path: &Path,
    text: Arc<str>,
    known: &[&'static RuleMeta],
) -> Result<Config, ConfigError> {
    let doc = DeTable::parse(&text).map_err(|e| ConfigError::toml(path, &text, e))?;
    let is_cargo = path.file_name().is_some_and(|n| n == "Cargo.toml");
    let table_path: Vec<&'static str> = if is_cargo {
        cargo_table_path(&text).unwrap_or_default()
    } else {
        Vec::new()
    };
    let raw = match navigate_value(&doc, &table_path) {
        Some(value) => {
            if !matches!(value.get_ref(), DeValue::Table(_)) {
                return Err(ConfigError::at(
                    path,
                    &text,
                    value.span(),
                    "the stratalint configuration must be a table",
                    None,
                ));
            }
            RawConfig::deserialize(toml::de::ValueDeserializer::from(value))
                .map_err(|e| ConfigError::toml(path, &text, e))?
        }
        None => RawConfig::default(),
    };
    let mut cfg = Config::default_config();
    cfg.path = Some(path.to_path_buf());
    cfg.table_path = table_path;
    let e = Errs {
        path,
        text: &text,
        known,
    };

    if let Some(f) = raw.fail_on {
        cfg.fail_on = e.severity(&f)?;
    }
    if let Some(sel) = raw.select {
        cfg.select = e.selectors(&sel)?;
    }
    if let Some(extra) = raw.extend_select {
        if cfg.select.is_empty() {
            cfg.select.push(Selector::All);
        }
        cfg.select.extend(e.selectors(&extra)?);
    }
    if let Some(ign) = raw.ignore {
        cfg.ignore = e.selectors(&ign)?;
    }
    if let Some(sev) = raw.severity {
        cfg.severity = e.severity_map(&sev)?;
    }
    if let Some(b) = raw.baseline {
        cfg.baseline = Some(resolve_rel(path, b.get_ref()));
    }
    if let Some(files) = raw.files {
        if let Some(inc) = files.include {
            cfg.files.include = e.globs(&inc, &[])?;
        }
        if let Some(extra) = files.extend_include {
            cfg.files.include = e.globs(&extra, DEFAULT_INCLUDE)?;
        }
        if let Some(exc) = files.exclude {
            cfg.files.exclude = e.globs(&exc, &[])?;
        }
        if let Some(t) = files.tests {
            cfg.files.tests = e.globs(&t, &[])?;
        }
        if let Some(m) = files.max_file_size {
            if *m.get_ref() == 0 {
                return Err(e.at(m.span(), "`max-file-size` must be greater than 0", None));
            }
            cfg.files.max_file_size = *m.get_ref();
        }
        if let Some(g) = files.respect_gitignore {
            cfg.files.respect_gitignore = g;
        }
    }
    if let Some(layers) = raw.layers {
        cfg.layers = e.layers(&layers.0)?;
    }
    if let Some(rules) = raw.rules {
        for (key, _) in &rules.0 {
            if !known.iter().any(|m| m.id == key.get_ref()) {
                let ids: Vec<&str> = known.iter().map(|m| m.id).collect();
                return Err(e.at(
                    key.span(),
                    format!("unknown rule `{}` in [rules]", key.get_ref()),
                    suggest(key.get_ref(), &ids),
                ));
            }
        }
    }
    for o in raw.overrides.unwrap_or_default() {
        if o.files.is_empty() {
            return Err(ConfigError::plain(format!(
                "{}: an [[overrides]] entry needs a non-empty `files` list",
                path.display()
            )));
        }
        cfg.overrides.push(Override {
            files: e.globs(&o.files, &[])?,
            select: e.selectors(&o.select.unwrap_or_default())?,
            ignore: e.selectors(&o.ignore.unwrap_or_default())?,
            severity: match o.severity {
                Some(s) => e.severity_map(&s)?,
                None => Vec::new(),
            },
        });
    }
    if let Some(s) = raw.suppressions {
        if let Some(r) = s.require_reason {
            cfg.require_reason = r;
        }
    }
    if let Some(errors) = raw.errors {
        let entries: Vec<Spanned<String>> = errors
            .module
            .into_iter()
            .chain(errors.modules.unwrap_or_default())
            .collect();
        if !entries.is_empty() {
            let texts: Vec<&str> = entries.iter().map(|m| m.get_ref().as_str()).collect();
            cfg.errors_globs = errors_globset(&texts).map_err(|(i, err)| {
                e.at(
                    entries[i].span(),
                    format!("invalid glob `{}`: {}", texts[i], err.kind()),
                    None,
                )
            })?;
            cfg.errors_module = texts[0].to_string();
            cfg.errors_modules = texts.iter().map(|t| t.to_string()).collect();
        }
        if let Some(crates) = errors.crates {
            cfg.errors_crates = crates
                .iter()
                .map(|c| c.get_ref().replace('-', "_"))
                .collect();
        }
    }
    if let Some(a) = raw.async_ {
        for p in a.escape_hatches.unwrap_or_default() {
            if !is_rust_path(p.get_ref()) {
                return Err(e.at(
                    p.span(),
                    format!("`{}` is not a path to a function", p.get_ref()),
                    Some("write the function's full path: `my_app::db::run_blocking` or `crate::db::run_blocking`".into()),
                ));
            }
            cfg.escape_hatches.push(p.into_inner());
        }
        for m in a.escape_hatch_methods.unwrap_or_default() {
            if !is_identifier(m.get_ref()) {
                return Err(e.at(
                    m.span(),
                    format!("`{}` is not a method name", m.get_ref()),
                    Some("write the method's name alone: `run_blocking`".into()),
                ));
            }
            cfg.escape_hatch_methods.push(m.into_inner());
        }
    }
    cfg.text = Some(text);
    Ok(cfg)
}

/// `a::b::c`: two or more identifiers joined by `::`.
pub fn is_rust_path(s: &str) -> bool {
    let mut n = 0;
    for seg in s.split("::") {
        if !is_identifier(seg) {
            return false;
        }
        n += 1;
    }
    n >= 2
}

/// A Rust identifier (ASCII; raw identifiers allowed).
pub fn is_identifier(s: &str) -> bool {
    let s = s.strip_prefix("r#").unwrap_or(s);
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && s != "_"
}

fn resolve_rel(config: &Path, p: &str) -> PathBuf {
    let p = Path::new(p);
    if p.is_absolute() {
        p.to_path_buf()
    } else {
        config.parent().unwrap_or(Path::new(".")).join(p)
    }
}

/// Validation helpers that know where to point.
struct Errs<'a> {
    path: &'a Path,
    text: &'a Arc<str>,
    known: &'a [&'static RuleMeta],
}

impl Errs<'_> {
    fn at(
        &self,
        span: std::ops::Range<usize>,
        msg: impl Into<String>,
        help: Option<String>,
    ) -> ConfigError {
        ConfigError::at(self.path, self.text, span, msg, help)
    }

    fn severity(&self, s: &Spanned<String>) -> Result<Severity, ConfigError> {
        Severity::parse(s.get_ref()).ok_or_else(|| {
            self.at(
                s.span(),
                format!("unknown severity `{}`", s.get_ref()),
                Some("expected one of `error`, `warning`, `info`".into()),
            )
        })
    }

    fn selectors(&self, list: &[Spanned<String>]) -> Result<Vec<Selector>, ConfigError> {
        list.iter()
            .map(|s| {
                Selector::parse(s.get_ref(), self.known).ok_or_else(|| {
                    let mut names: Vec<&str> = self.known.iter().map(|m| m.id).collect();
                    names.extend(Family::ALL.iter().map(|f| f.as_str()));
                    let help = suggest(s.get_ref(), &names).or_else(|| {
                        Some("a selector is `ALL`, a family (`async`, `security`, …) or a rule id; `stratalint rules` lists them".into())
                    });
                    self.at(s.span(), format!("unknown rule or family `{}`", s.get_ref()), help)
                })
            })
            .collect()
    }

    fn severity_map(
        &self,
        map: &OrderedMap<Spanned<String>>,
    ) -> Result<Vec<(Selector, Severity)>, ConfigError> {
        let mut out = Vec::new();
        for (k, v) in &map.0 {
            let sel = self.selectors(std::slice::from_ref(k))?.remove(0);
            out.push((sel, self.severity(v)?));
        }
        Ok(out)
    }

    fn globs(&self, list: &[Spanned<String>], base: &[&str]) -> Result<GlobSet, ConfigError> {
        let mut b = GlobSetBuilder::new();
        for g in base {
            b.add(Glob::new(g).expect("built-in globs are valid"));
        }
        for g in list {
            let glob = Glob::new(g.get_ref()).map_err(|err| {
                self.at(
                    g.span(),
                    format!("invalid glob `{}`: {}", g.get_ref(), err.kind()),
                    None,
                )
            })?;
            b.add(glob);
        }
        b.build().map_err(|err| ConfigError::plain(err.to_string()))
    }

    fn layers(&self, raw: &[(Spanned<String>, RawLayer)]) -> Result<LayerMap, ConfigError> {
        let mut roles = Vec::with_capacity(raw.len());
        for (name, l) in raw {
            let role = match &l.role {
                Some(r) => Some(
                    Role::ALL
                        .into_iter()
                        .find(|x| x.as_str() == r.get_ref())
                        .ok_or_else(|| {
                            let names: Vec<&str> = Role::ALL.iter().map(|r| r.as_str()).collect();
                            self.at(
                                r.span(),
                                format!("unknown layer role `{}`", r.get_ref()),
                                Some(format!("roles are: {}", names.join(", "))),
                            )
                        })?,
                ),
                None => Role::from_name(name.get_ref()),
            };
            roles.push(role);
        }
        fn strs(v: &[Spanned<String>]) -> Vec<&str> {
            v.iter().map(|s| s.get_ref().as_str()).collect()
        }
        let owned: Vec<[Vec<&str>; 4]> = raw
            .iter()
            .map(|(_, l)| {
                [
                    strs(&l.paths),
                    strs(&l.modules),
                    strs(&l.crates),
                    strs(&l.may_use),
                ]
            })
            .collect();
        let specs: Vec<LayerSpec<'_>> = raw
            .iter()
            .zip(&owned)
            .zip(&roles)
            .map(|(((name, l), o), role)| LayerSpec {
                name: name.get_ref(),
                role: *role,
                paths: &o[0],
                modules: &o[1],
                crates: &o[2],
                may_use: &o[3],
                shared: l.shared,
            })
            .collect();
        LayerMap::build(&specs).map_err(|err| match err {
            LayerMapError::BadGlob { layer, index, message } => {
                let g = &raw[layer].1.paths[index];
                self.at(g.span(), format!("invalid glob `{}`: {message}", g.get_ref()), None)
            }
            LayerMapError::UnknownLayer { layer, index, name } => {
                let names: Vec<&str> = raw.iter().map(|(n, _)| n.get_ref().as_str()).collect();
                self.at(
                    raw[layer].1.may_use[index].span(),
                    format!("unknown layer `{name}` in `may-use` of `{}`", raw[layer].0.get_ref()),
                    suggest(&name, &names).or_else(|| Some(format!("layers are: {}", names.join(", ")))),
                )
            }
            LayerMapError::SelfUse { layer, index } => self.at(
                raw[layer].1.may_use[index].span(),
                format!("layer `{}` lists itself in `may-use`", raw[layer].0.get_ref()),
                Some("a layer may always use itself; remove the entry".into()),
            ),
            LayerMapError::SharedUsesLayer { layer, index } => {
                let entry = &raw[layer].1.may_use[index];
                self.at(
                    entry.span(),
                    format!(
                        "shared layer `{}` may not use `{}`, which is not shared",
                        raw[layer].0.get_ref(),
                        entry.get_ref()
                    ),
                    Some("every layer may use a shared layer, so this closes a cycle; remove the entry, or make the layer it names shared too".into()),
                )
            }
            LayerMapError::Duplicate { field, layer, index, first_layer } => {
                let l = &raw[layer].1;
                let list = match field {
                    SelectorField::Paths => &l.paths,
                    SelectorField::Modules => &l.modules,
                    SelectorField::Crates => &l.crates,
                };
                let entry = &list[index];
                self.at(
                    entry.span(),
                    format!(
                        "`{}` is in the `{}` of both `{}` and `{}`",
                        entry.get_ref(),
                        field.key(),
                        raw[first_layer].0.get_ref(),
                        raw[layer].0.get_ref()
                    ),
                    Some("a file, module or crate belongs to one layer: keep the entry in one of them".into()),
                )
            }
            LayerMapError::Cycle { layers } => {
                let names: Vec<&str> = layers.iter().map(|&i| raw[i].0.get_ref().as_str()).collect();
                self.at(
                    raw[layers[0]].0.span(),
                    format!("the layer map has a cycle: {}", names.join(" → ")),
                    Some("layers must form a hierarchy: remove one `may-use` entry of the cycle, or mark a layer `shared = true`".into()),
                )
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    static META: RuleMeta = RuleMeta {
        id: "blocking-call-in-async",
        family: Family::Async,
        severity: Severity::Error,
        doc: "",
        default_enabled: true,
    };

    fn load_str(text: &str) -> Result<Config, ConfigError> {
        from_text(Path::new("/p/stratalint.toml"), Arc::from(text), &[&META])
    }

    #[test]
    fn unknown_key_points_at_its_line() {
        let err = load_str("fail-on = \"error\"\n\n[files]\nexlude = [\"x\"]\n").unwrap_err();
        assert_eq!(err.line, Some(4), "{err}");
        assert!(err.message.contains("unknown field `exlude`"), "{err}");
    }

    #[test]
    fn unknown_rule_and_bad_glob_and_severity() {
        let err = load_str("select = [\"async\", \"blocking-call-in-asink\"]\n").unwrap_err();
        assert_eq!(err.line, Some(1));
        assert_eq!(
            err.help.as_deref(),
            Some("did you mean `blocking-call-in-async`?")
        );
        let err = load_str("[files]\nexclude = [\"src/{a\"]\n").unwrap_err();
        assert_eq!(err.line, Some(2));
        assert!(err.message.contains("invalid glob"), "{err}");
        let err = load_str("[severity]\nasync = \"fatal\"\n").unwrap_err();
        assert_eq!(err.line, Some(2));
    }

    #[test]
    fn layer_map_errors_point_at_the_entry() {
        let err = load_str("[layers.api]\npaths = [\"src/api/**\"]\nmay-use = [\"servces\"]\n\n[layers.services]\n")
            .unwrap_err();
        assert_eq!(err.line, Some(3));
        assert_eq!(err.help.as_deref(), Some("did you mean `services`?"));
        // the cycle points at the layer it starts from, not at the top of the map
        let err = load_str(
            "[layers.core]\nshared = true\n\n[layers.a]\nmay-use = [\"b\", \"core\"]\n[layers.b]\nmay-use = [\"a\"]\n",
        )
        .unwrap_err();
        assert!(err.message.contains("cycle: a → b → a"), "{err}");
        assert_eq!(err.line, Some(4), "{err}");
    }

    #[test]
    fn contradictory_layer_maps_point_at_the_entry() {
        let err = load_str(
            "[layers.core]\nshared = true\nmay-use = [\"models\"]\n\n[layers.models]\npaths = [\"src/models/**\"]\n",
        )
        .unwrap_err();
        assert_eq!(err.line, Some(3), "{err}");
        assert!(err.message.contains("shared layer `core`"), "{err}");
        let err = load_str(
            "[layers.api]\npaths = [\"src/api/**\"]\n\n[layers.web]\npaths = [\"src/web/**\",\n  \"src/api/**\"]\n",
        )
        .unwrap_err();
        assert_eq!(err.line, Some(6), "{err}");
        assert!(err.message.contains("both `api` and `web`"), "{err}");
        let err = load_str(
            "[layers.api]\ncrates = [\"app-api\"]\n[layers.web]\ncrates = [\"app_api\"]\n",
        )
        .unwrap_err();
        assert_eq!(err.line, Some(4), "{err}");
    }

    #[test]
    fn cargo_metadata_table() {
        let text = "[package]\nname = \"x\"\n\n[package.metadata.stratalint]\nfail-on = \"error\"\nbogus = 1\n";
        let err = from_text(Path::new("/p/Cargo.toml"), Arc::from(text), &[&META]).unwrap_err();
        assert_eq!(err.line, Some(6), "{err}");
        let ok = from_text(
            Path::new("/p/Cargo.toml"),
            Arc::from("[workspace]\n[workspace.metadata.stratalint]\nfail-on = \"error\"\n"),
            &[&META],
        )
        .unwrap();
        assert_eq!(ok.fail_on, Severity::Error);
        assert_eq!(ok.table_path, vec!["workspace", "metadata", "stratalint"]);
    }

    #[test]
    fn errors_modules_and_crates() {
        let d = Config::default_config();
        assert!(d.in_errors_module("src/core/errors.rs", None));
        assert!(d.in_errors_module("src/core/errors/db.rs", None));
        assert!(d.in_errors_module("crates/api/src/core/errors.rs", None));
        assert!(!d.in_errors_module("src/services/errors.rs", None));
        assert!(!d.in_errors_module("src/core/errors_extra.rs", None));
        let c = load_str(
            "[errors]\nmodule = \"src/error.rs\"\nmodules = [\"src/**/errors.rs\"]\ncrates = [\"app-errors\"]\n",
        )
        .unwrap();
        assert_eq!(c.errors_module, "src/error.rs");
        assert!(c.in_errors_module("src/error.rs", None));
        assert!(c.in_errors_module("src/payments/errors.rs", None));
        assert!(!c.in_errors_module("src/core/config.rs", None));
        assert!(c.in_errors_module("crates/errors/src/lib.rs", Some("app_errors")));
        let err = load_str("[errors]\nmodules = [\"src/{a\"]\n").unwrap_err();
        assert_eq!(err.line, Some(2), "{err}");
    }

    #[test]
    fn async_escape_hatches() {
        let cfg = load_str(
            "[async]\nescape-hatches = [\"crate::db::run_blocking\", \"my_pool::Pool::run\"]\nescape-hatch-methods = [\"with_conn\"]\n",
        )
        .unwrap();
        assert_eq!(
            cfg.escape_hatches,
            vec!["crate::db::run_blocking", "my_pool::Pool::run"]
        );
        assert_eq!(cfg.escape_hatch_methods, vec!["with_conn"]);
        let err = load_str("[async]\nescape-hatches = [\"run_blocking\"]\n").unwrap_err();
        assert_eq!(err.line, Some(2), "{err}");
        let err = load_str("[async]\nescape-hatch-methods = [\"db.run\"]\n").unwrap_err();
        assert_eq!(err.line, Some(2), "{err}");
        let err = load_str("[async]\nescape-hatch = []\n").unwrap_err();
        assert!(err.message.contains("unknown field"), "{err}");
    }

    #[test]
    fn one_rule_is_configured_alone() {
        #[derive(Default)]
        struct Opt(Option<String>);
        impl Rule for Opt {
            fn meta(&self) -> &'static RuleMeta {
                &META
            }
            fn hooks(&self) -> crate::rule::Hooks {
                crate::rule::Hooks::NONE
            }
            fn configure(
                &mut self,
                options: crate::rule::RuleOptions<'_>,
            ) -> Result<(), toml::de::Error> {
                #[derive(Deserialize)]
                #[serde(deny_unknown_fields)]
                struct O {
                    mode: String,
                }
                self.0 = Some(O::deserialize(options)?.mode);
                Ok(())
            }
        }
        let cfg = load_str("[rules.blocking-call-in-async]\nmode = \"strict\"\n").unwrap();
        let mut rule = Opt::default();
        cfg.configure_rule(&mut rule).unwrap();
        assert_eq!(rule.0.as_deref(), Some("strict"));
        let cfg = load_str("[rules.blocking-call-in-async]\nmoed = \"strict\"\n").unwrap();
        let err = cfg.configure_rule(&mut Opt::default()).unwrap_err();
        assert_eq!(err.line, Some(2), "{err}");
        // no table: nothing to do
        let mut rule = Opt::default();
        load_str("").unwrap().configure_rule(&mut rule).unwrap();
        assert_eq!(rule.0, None);
    }

    #[test]
    fn not_toml_is_an_error_with_a_line() {
        let err = load_str("this is = = not toml\n").unwrap_err();
        assert_eq!(err.line, Some(1));
    }
}
