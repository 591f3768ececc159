//! `stratalint init`: look at a project and propose a layer map that fits it.
//!
//! What it reads, without compiling anything: the crates and their targets and dependencies
//! (Cargo.toml), the folder and file names under each `src/`, feature folders holding
//! `controller.rs`/`service.rs`/`repository.rs`…, route registrations and queries (a lexical scan,
//! as evidence), and migration folders. What it writes: [`render`] turns the [`Inspection`] into a
//! commented `stratalint.toml`.
//!
//! Detection, in order:
//! 1. **Workspace crates as layers** when at least two library crates are named after layers
//!    (`*-api`, `*-core`, `*-domain`, `*-infrastructure`, …, see [`vocabulary::crate_kind`]);
//!    binary-only crates are the composition root, a `migration` crate the migrations.
//! 2. Otherwise **folders and files under `src/`** of each crate: `handlers/`, `routes/`, `http/`,
//!    `controller/`, `services/`, `repository/`, `database/`, `models/`, `entities/`, `dtos/`,
//!    `schemas/`, `core/`, `state.rs`, `main.rs`, diesel's `schema.rs`, … (see
//!    [`vocabulary::folder`]).
//! 3. **Feature slices**: a folder whose sub-folders hold layer-named files
//!    (`src/app/<feature>/controller.rs`) gets one glob per file name (`src/app/*/controller.rs`).
//! 4. An unknown folder that registers routes is a handler folder.
//! 5. Folders named `migrations`/`migration` with files in them are the migrations layer.
//!
//! `may-use` follows the seed's diagram between the layers found; when a layer of the chain is
//! missing (no service layer), the layer above may use the one below it, and the comment says so.

mod render;
pub mod vocabulary;

#[cfg(test)]
mod tests;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::OnceLock;

use regex::Regex;
use stratalint_engine::config::Config;
use stratalint_engine::project::{self, CrateInfo, FileInfo, FileKind, TargetKind};

pub use render::render;
pub use vocabulary::Kind;

/// What `init` found, and the layer map it proposes.
#[derive(Debug, Default)]
pub struct Inspection {
    /// `name (targets)` of each crate.
    pub crates: Vec<String>,
    pub frameworks: Vec<&'static str>,
    pub databases: Vec<&'static str>,
    /// One line naming the layout.
    pub layout: String,
    pub layers: Vec<LayerPlan>,
    /// Rust files of the project in no layer.
    pub unassigned: Vec<String>,
    /// The migration naming preset the project's tools call for (`sqlx`, `sea-orm`, …), when it is
    /// not the seed's default.
    pub migration_preset: Option<String>,
}

/// One proposed layer.
#[derive(Debug, Clone)]
pub struct LayerPlan {
    pub kind: Kind,
    pub paths: Vec<String>,
    pub crates: Vec<String>,
    pub may_use: Vec<Kind>,
    /// Where the layer was found: `src/handlers/ (4 files, 6 route registrations)`.
    pub evidence: Vec<String>,
    pub notes: Vec<String>,
}

impl LayerPlan {
    pub fn name(&self) -> &'static str {
        self.kind.name()
    }
}

/// Where one part of a layer comes from, and what was seen there.
#[derive(Default)]
struct Source {
    globs: Vec<String>,
    crates: Vec<String>,
    files: usize,
    routes: usize,
    sql_files: usize,
    other_files: usize,
}

#[derive(Default)]
struct Builder {
    /// kind → (source label → source)
    layers: BTreeMap<Kind, BTreeMap<String, Source>>,
    unassigned: Vec<String>,
    /// What the scan saw in the unassigned files.
    scans: BTreeMap<String, Scan>,
    /// Folders that feature slices claimed.
    slice_dirs: BTreeSet<String>,
}

impl Builder {
    fn add(&mut self, kind: Kind, label: String, globs: &[String], file: Option<&Scan>) {
        let src = self
            .layers
            .entry(kind)
            .or_default()
            .entry(label)
            .or_default();
        for g in globs {
            if !src.globs.contains(g) {
                src.globs.push(g.clone());
            }
        }
        if let Some(scan) = file {
            src.files += 1;
            src.routes += scan.routes;
            src.sql_files += usize::from(scan.sql);
        }
    }
}

/// A lexical look at a Rust file: evidence, not analysis.
#[derive(Clone, Copy)]
struct Scan {
    routes: usize,
    sql: bool,
}

fn scan(file: &FileInfo) -> Scan {
    static ROUTES: OnceLock<Regex> = OnceLock::new();
    static SQL: OnceLock<Regex> = OnceLock::new();
    let routes = ROUTES.get_or_init(|| {
        Regex::new(
            r#"\.route\(\s*"|#\[\s*(?:actix_web::|rocket::|poem::)?(?:get|post|put|patch|delete)\s*\(\s*"|web::resource\(|routes!\["#,
        )
        .expect("valid regex")
    });
    let sql = SQL.get_or_init(|| {
        Regex::new(
            r"sqlx::query|query(?:_as|_scalar)?!\s*\(|::find\(\)|::find_by_id\(|diesel::(?:insert_into|update|delete)\b|\.get_results?\(|\.load::<",
        )
        .expect("valid regex")
    });
    let text = std::fs::read(&file.abs)
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .unwrap_or_default();
    Scan {
        routes: routes.find_iter(&text).count(),
        sql: sql.is_match(&text),
    }
}

/// Inspect the project at `root`.
pub fn inspect(root: &Path) -> Inspection {
    inspect_with(root, |_| None)
}

/// Inspect the project at `root`, asking `migration_preset` which migration naming preset fits it
/// (the migration rules know; this crate holds no rule code).
pub fn inspect_with(
    root: &Path,
    migration_preset: impl Fn(&project::Project) -> Option<String>,
) -> Inspection {
    let config = Config::default_config();
    let project = project::discover(root, &[root.to_path_buf()], &[], &config, false);
    let mut ins = Inspection::default();
    let all_deps: BTreeSet<&str> = project
        .crates
        .iter()
        .flat_map(|c| c.deps.iter().map(|d| d.package.as_str()))
        .collect();
    for (pkg, name) in [
        ("axum", "axum"),
        ("actix_web", "actix-web"),
        ("rocket", "rocket"),
        ("poem", "poem"),
        ("warp", "warp"),
        ("salvo", "salvo"),
    ] {
        if all_deps.contains(pkg) {
            ins.frameworks.push(name);
        }
    }
    for (pkg, name) in [
        ("sqlx", "sqlx"),
        ("sea_orm", "sea-orm"),
        ("diesel", "diesel"),
        ("diesel_async", "diesel-async"),
        ("tokio_postgres", "tokio-postgres"),
        ("mongodb", "mongodb"),
    ] {
        if all_deps.contains(pkg) {
            ins.databases.push(name);
        }
    }
    let diesel = all_deps.contains("diesel") || all_deps.contains("diesel_async");
    for c in &project.crates {
        let mut targets: Vec<&str> = c
            .roots
            .iter()
            .filter(|(_, k)| matches!(k, TargetKind::Lib | TargetKind::Bin))
            .map(|(p, _)| p.as_str())
            .collect();
        targets.dedup();
        ins.crates
            .push(format!("{} ({})", c.package, targets.join(", ")));
    }

    let crate_kinds = crate_layers(&project.crates);
    let crate_mode = crate_kinds
        .iter()
        .filter(|(i, k)| {
            *k != Kind::Migrations
                && *k != Kind::Root
                && has_target(&project.crates[*i], TargetKind::Lib)
        })
        .map(|(_, k)| *k)
        .collect::<BTreeSet<_>>()
        .len()
        >= 2;

    let mut b = Builder::default();
    for (i, krate) in project.crates.iter().enumerate() {
        let kind = crate_kinds.iter().find(|(c, _)| *c == i).map(|(_, k)| *k);
        // a member crate named after a layer (`entity`, `migration`) is that layer as a whole;
        // the crate at the root of the project is sorted by its folders unless every crate is
        let by_crate = match kind {
            Some(Kind::Migrations) => Some(Kind::Migrations),
            Some(k) if crate_mode || (!krate.dir.is_empty() && k != Kind::Root) => Some(k),
            _ => None,
        };
        if let Some(k) = by_crate {
            let label = format!("crate `{}`", krate.package);
            let src = b.layers.entry(k).or_default().entry(label).or_default();
            src.crates.push(krate.package.clone());
        }
        let files: Vec<&FileInfo> = project
            .files
            .iter()
            .filter(|f| f.crate_idx == Some(i) && f.kind == FileKind::Rust && !f.is_test)
            .collect();
        for f in files {
            let s = scan(f);
            let Some(in_src) = under_src(&f.rel, &krate.dir) else {
                continue;
            };
            let prefix = crate_prefix(&krate.dir);
            if let Some(k) = by_crate {
                // the crate is the layer; its binaries are still composition roots
                let root_file = in_src == "main.rs" || in_src.starts_with("bin/");
                let k = if root_file && k != Kind::Migrations {
                    Kind::Root
                } else {
                    k
                };
                let (label, globs) = if k == Kind::Root && by_crate != Some(Kind::Root) {
                    root_glob(&prefix, &in_src)
                } else {
                    (format!("crate `{}`", krate.package), Vec::new())
                };
                b.add(k, label, &globs, Some(&s));
                continue;
            }
            classify(&mut b, &prefix, &in_src, diesel, f, &s);
        }
    }
    slices(&mut b);
    route_folders(&mut b);
    migrations(&mut b, &project.files);
    ins.layout = layout_line(&b, crate_mode);
    ins.unassigned = std::mem::take(&mut b.unassigned);
    ins.unassigned.sort();
    let hexagonal = crate_mode && ports_and_adapters(&project.crates, &crate_kinds);
    ins.layers = plans(b, &project.crates, &crate_kinds, hexagonal);
    ins.migration_preset = migration_preset(&project).filter(|p| p != "seed");
    ins
}

/// A workspace whose adapters crate depends on the domain crate implements the domain's ports:
/// dependencies point inwards, and services do not depend on the adapters.
fn ports_and_adapters(crates: &[CrateInfo], crate_kinds: &[(usize, Kind)]) -> bool {
    let of = |k: Kind| -> Vec<usize> {
        crate_kinds
            .iter()
            .filter(|(_, x)| *x == k)
            .map(|(i, _)| *i)
            .collect()
    };
    let models: Vec<String> = of(Kind::Models)
        .into_iter()
        .map(|i| crates[i].package.replace('-', "_"))
        .collect();
    of(Kind::Repositories)
        .into_iter()
        .any(|i| crates[i].deps.iter().any(|d| models.contains(&d.package)))
}

fn has_target(c: &CrateInfo, kind: TargetKind) -> bool {
    c.roots.iter().any(|(_, k)| *k == kind)
}

/// The layer each crate's name suggests; crates with only binaries are composition roots.
fn crate_layers(crates: &[CrateInfo]) -> Vec<(usize, Kind)> {
    let has_models = crates
        .iter()
        .any(|c| vocabulary::crate_kind(&c.package, false) == Some(Kind::Models));
    crates
        .iter()
        .enumerate()
        .filter_map(|(i, c)| {
            let named = vocabulary::crate_kind(&c.package, has_models);
            if named == Some(Kind::Migrations) {
                return Some((i, Kind::Migrations));
            }
            if !has_target(c, TargetKind::Lib) && has_target(c, TargetKind::Bin) && crates.len() > 1
            {
                return Some((i, Kind::Root));
            }
            named.map(|k| (i, k))
        })
        .collect()
}

fn crate_prefix(dir: &str) -> String {
    if dir.is_empty() {
        String::new()
    } else {
        format!("{dir}/")
    }
}

/// The path of a file below its crate's `src/` (`handlers/users.rs`).
fn under_src(rel: &str, crate_dir: &str) -> Option<String> {
    let in_crate = if crate_dir.is_empty() {
        rel
    } else {
        rel.strip_prefix(crate_dir)?.strip_prefix('/')?
    };
    in_crate.strip_prefix("src/").map(str::to_string)
}

fn root_glob(prefix: &str, in_src: &str) -> (String, Vec<String>) {
    if in_src.starts_with("bin/") {
        let g = format!("{prefix}src/bin/**");
        (format!("{prefix}src/bin/"), vec![g])
    } else {
        let p = format!("{prefix}src/{in_src}");
        (p.clone(), vec![p])
    }
}

/// Put one file of a crate without a crate-level layer into the layer its folder or name says.
fn classify(b: &mut Builder, prefix: &str, in_src: &str, diesel: bool, f: &FileInfo, s: &Scan) {
    let segs: Vec<&str> = in_src.split('/').collect();
    let stem = |s: &str| s.trim_end_matches(".rs").to_string();
    if segs.len() == 1 {
        let name = stem(segs[0]);
        match vocabulary::top_file(&name, diesel) {
            None => {
                b.unassigned.push(f.rel.to_string());
                b.scans.insert(f.rel.to_string(), *s);
            }
            Some(k) => {
                let p = format!("{prefix}src/{}", segs[0]);
                b.add(k, p.clone(), &[p], Some(s));
            }
        }
        return;
    }
    let dir = segs[0];
    if let Some(k) = vocabulary::folder(dir) {
        let label = format!("{prefix}src/{dir}/");
        b.add(k, label, &[format!("{prefix}src/{dir}/**")], Some(s));
        return;
    }
    // not a layer folder: maybe a feature slice, maybe handlers under another name
    b.unassigned.push(f.rel.to_string());
    b.scans.insert(f.rel.to_string(), *s);
}

/// Feature slices among the unassigned files: `src/<dir>/<feature>/<layer-word>.rs` (or
/// `src/<feature>/<layer-word>.rs`) where at least two features share the file name.
fn slices(b: &mut Builder) {
    // (glob, kind) → features seen
    let mut found: BTreeMap<(String, Kind), BTreeSet<String>> = BTreeMap::new();
    for rel in &b.unassigned {
        let Some(i) = rel.find("src/") else { continue };
        let (prefix, in_src) = (&rel[..i], &rel[i + 4..]);
        let segs: Vec<&str> = in_src.split('/').collect();
        if segs.len() < 2 {
            continue;
        }
        // the slice word is the file (`users/controller.rs`) or a folder (`users/controller/x.rs`)
        for depth in 1..segs.len() {
            let word = segs[depth].trim_end_matches(".rs");
            let Some(kind) = vocabulary::slice_file(word) else {
                continue;
            };
            let feature = segs[depth - 1];
            let parent: Vec<&str> = segs[..depth - 1].to_vec();
            let base = if parent.is_empty() {
                format!("{prefix}src/*")
            } else {
                format!("{prefix}src/{}/*", parent.join("/"))
            };
            let glob = if depth == segs.len() - 1 && segs[depth].ends_with(".rs") {
                format!("{base}/{}", segs[depth])
            } else {
                format!("{base}/{word}/**")
            };
            found
                .entry((glob, kind))
                .or_default()
                .insert(feature.to_string());
            break;
        }
    }
    // a folder of features: one of its layer-named files appears in two features or more; then
    // every layer-named file in its features counts (one feature may lack a `schemas.rs`)
    let base_of = |glob: &str| glob[..glob.find("/*").unwrap_or(glob.len())].to_string();
    let bases: BTreeSet<String> = found
        .iter()
        .filter(|(_, features)| features.len() >= 2)
        .map(|((g, _), _)| base_of(g))
        .collect();
    let slices: Vec<(String, Kind)> = found
        .into_keys()
        .filter(|(g, _)| bases.contains(&base_of(g)))
        .collect();
    if slices.is_empty() {
        return;
    }
    let matchers: Vec<(globset::GlobMatcher, &String, Kind)> = slices
        .iter()
        .filter_map(|(g, k)| {
            globset::Glob::new(g)
                .ok()
                .map(|m| (m.compile_matcher(), g, *k))
        })
        .collect();
    let mut still = Vec::new();
    for rel in std::mem::take(&mut b.unassigned) {
        match matchers.iter().find(|(m, _, _)| m.is_match(&rel)) {
            Some((_, g, k)) => {
                if let Some(i) = g.find("/*") {
                    b.slice_dirs.insert(g[..i].to_string());
                }
                let scan = b.scans.get(&rel).copied();
                let src = b
                    .layers
                    .entry(*k)
                    .or_default()
                    .entry((*g).clone())
                    .or_default();
                if !src.globs.contains(g) {
                    src.globs.push((*g).clone());
                }
                src.files += 1;
                if let Some(s) = scan {
                    src.routes += s.routes;
                    src.sql_files += usize::from(s.sql);
                }
            }
            None => still.push(rel),
        }
    }
    b.unassigned = still;
}

/// An unassigned folder whose files register routes holds handlers (unless feature slices live
/// in it: their `mod.rs` files wire each slice's routes).
fn route_folders(b: &mut Builder) {
    let mut by_dir: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for rel in &b.unassigned {
        if let Some(i) = rel.find("src/") {
            let in_src = &rel[i + 4..];
            if let Some((dir, _)) = in_src.split_once('/') {
                by_dir
                    .entry(format!("{}src/{dir}", &rel[..i]))
                    .or_default()
                    .push(rel.clone());
            }
        }
    }
    for (dir, files) in by_dir {
        if b.slice_dirs
            .iter()
            .any(|s| s == &dir || s.starts_with(&format!("{dir}/")))
        {
            continue;
        }
        let routes: usize = files
            .iter()
            .filter_map(|f| b.scans.get(f))
            .map(|s| s.routes)
            .sum();
        if routes == 0 {
            continue;
        }
        let sql = files
            .iter()
            .filter_map(|f| b.scans.get(f))
            .filter(|s| s.sql)
            .count();
        let src = b
            .layers
            .entry(Kind::Api)
            .or_default()
            .entry(format!("{dir}/"))
            .or_default();
        src.globs.push(format!("{dir}/**"));
        src.files += files.len();
        src.routes += routes;
        src.sql_files += sql;
        b.unassigned.retain(|f| !files.contains(f));
    }
}

/// Folders named `migrations`/`migration` holding files (SQL, Rust) are the migrations layer.
fn migrations(b: &mut Builder, files: &[FileInfo]) {
    for f in files {
        let segs: Vec<&str> = f.rel.split('/').collect();
        let Some(i) = segs[..segs.len().saturating_sub(1)]
            .iter()
            .position(|s| *s == "migrations" || *s == "migration")
        else {
            continue;
        };
        let dir = segs[..=i].join("/");
        let already = b
            .layers
            .get(&Kind::Migrations)
            .is_some_and(|m| m.values().any(|s| !s.crates.is_empty()) && f.kind == FileKind::Rust);
        if already {
            continue;
        }
        let label = format!("{dir}/");
        let src = b
            .layers
            .entry(Kind::Migrations)
            .or_default()
            .entry(label)
            .or_default();
        let g = format!("{dir}/**");
        if !src.globs.contains(&g) {
            src.globs.push(g);
        }
        if f.kind == FileKind::Rust {
            src.files += 1;
        } else {
            src.other_files += 1;
        }
    }
}

fn layout_line(b: &Builder, crate_mode: bool) -> String {
    let labels: Vec<&str> = b
        .layers
        .iter()
        .filter(|(k, _)| **k != Kind::Root && **k != Kind::Migrations)
        .flat_map(|(_, m)| m.keys().map(String::as_str))
        .collect();
    if crate_mode {
        format!("workspace, one crate per layer: {}", labels.join(", "))
    } else if labels.iter().any(|l| l.contains("/*/")) {
        format!("feature slices: {}", labels.join(", "))
    } else {
        format!("layer folders: {}", labels.join(", "))
    }
}

/// The layer plans, in map order, with their `may-use` and notes.
fn plans(
    b: Builder,
    crates: &[CrateInfo],
    crate_kinds: &[(usize, Kind)],
    hexagonal: bool,
) -> Vec<LayerPlan> {
    let present: BTreeSet<Kind> = b.layers.keys().copied().collect();
    let mut out = Vec::new();
    for (kind, sources) in b.layers {
        let mut plan = LayerPlan {
            kind,
            paths: Vec::new(),
            crates: Vec::new(),
            may_use: Vec::new(),
            evidence: Vec::new(),
            notes: Vec::new(),
        };
        let mut sql_files = 0;
        for (label, s) in &sources {
            plan.paths.extend(s.globs.iter().cloned());
            plan.crates.extend(s.crates.iter().cloned());
            sql_files += s.sql_files;
            let mut what = Vec::new();
            if s.files > 0 {
                what.push(plural(s.files, "Rust file"));
            }
            if s.other_files > 0 {
                what.push(plural(s.other_files, "migration file"));
            }
            if s.routes > 0 {
                what.push(plural(s.routes, "route registration"));
            }
            plan.evidence.push(if what.is_empty() {
                label.clone()
            } else {
                format!("{label} ({})", what.join(", "))
            });
        }
        plan.paths.sort();
        plan.paths.dedup();
        plan.crates.sort();
        plan.crates.dedup();
        plan.may_use = may_use(kind, &present);
        if hexagonal && kind == Kind::Services {
            plan.may_use.retain(|k| *k != Kind::Repositories);
            plan.notes.push(
                "Ports and adapters: the infrastructure crate depends on the domain, so the domain \
                 defines the traits (ports), infrastructure implements them and the composition \
                 root wires them in. Services depend on the ports, not on infrastructure."
                    .to_string(),
            );
        }
        if kind == Kind::Api
            && !present.contains(&Kind::Services)
            && present.contains(&Kind::Repositories)
        {
            plan.notes.push(
                "No service layer was found, so handlers may use `repositories` directly. The seed \
                 puts a service layer between them: add one and remove `repositories` here."
                    .to_string(),
            );
        }
        if kind == Kind::Services && !present.contains(&Kind::Repositories) && sql_files > 0 {
            plan.notes.push(
                "No repository layer was found: the services run the queries, which \
                 `database-access-outside-repository` reports. The seed moves every query into a \
                 repository layer."
                    .to_string(),
            );
        }
        if kind == Kind::Api && sql_files > 0 {
            let who = if sql_files == 1 {
                "1 file here runs".to_string()
            } else {
                format!("{sql_files} files here run")
            };
            plan.notes.push(format!(
                "{who} database queries: `handler-database-access` reports them (the seed \
                 moves queries into repositories)."
            ));
        }
        plan.notes.extend(crate_dependency_notes(
            kind,
            &plan.may_use,
            crates,
            crate_kinds,
        ));
        out.push(plan);
    }
    out
}

fn may_use(kind: Kind, present: &BTreeSet<Kind>) -> Vec<Kind> {
    let mut out: Vec<Kind> = if kind == Kind::Root {
        Kind::ALL
            .into_iter()
            .filter(|k| *k != Kind::Root && *k != Kind::Core)
            .collect()
    } else {
        kind.seed_may_use().to_vec()
    };
    // a missing layer of the chain: the layer above it may use the one below it
    if kind == Kind::Api && !present.contains(&Kind::Services) {
        out.push(Kind::Repositories);
    }
    out.retain(|k| present.contains(k));
    out
}

/// Declared dependencies between layer crates that the proposed map forbids.
fn crate_dependency_notes(
    kind: Kind,
    may_use: &[Kind],
    crates: &[CrateInfo],
    crate_kinds: &[(usize, Kind)],
) -> Vec<String> {
    let kind_of = |i: usize| crate_kinds.iter().find(|(c, _)| *c == i).map(|(_, k)| *k);
    let mut notes = Vec::new();
    for (i, c) in crates.iter().enumerate() {
        if kind_of(i) != Some(kind) || kind == Kind::Root {
            continue;
        }
        for d in &c.deps {
            if d.kind == project::DepKind::Dev {
                continue;
            }
            let Some(j) = crates
                .iter()
                .position(|o| o.package.replace('-', "_") == d.package)
            else {
                continue;
            };
            let Some(other) = kind_of(j) else { continue };
            if other != kind && other != Kind::Core && !may_use.contains(&other) {
                notes.push(format!(
                    "`{}` declares a dependency on `{}` ({}), which this map does not allow: \
                     `layer-crate-dependency` reports it unless only its binary wires it.",
                    c.package,
                    crates[j].package,
                    other.name()
                ));
            }
        }
    }
    notes
}

fn plural(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}
