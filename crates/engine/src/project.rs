//! Project discovery, without running anything: the files to check (a .gitignore-aware walk that
//! never enters `target/` nor follows symlinks), the crates from their `Cargo.toml` (names, targets,
//! dependencies with `package = "…"` renames), and the module tree from `mod` declarations.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};
use toml::de::{DeTable, DeValue};

use crate::config::Config;
use crate::diagnostic::{Loc, Position};
use crate::layers::{LayerId, Role};
use crate::modscan::{scan_mod_decls, ModDecl};
use crate::source::SourceText;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FileKind {
    Rust,
    Sql,
    Python,
    Other,
}

impl FileKind {
    pub fn of(path: &str) -> FileKind {
        match path.rsplit_once('.').map(|(_, e)| e) {
            Some("rs") => FileKind::Rust,
            Some("sql") => FileKind::Sql,
            Some("py") => FileKind::Python,
            _ => FileKind::Other,
        }
    }
}

/// The kind of target a crate root builds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TargetKind {
    Lib,
    Bin,
    Test,
    Example,
    Bench,
    Build,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DepKind {
    Normal,
    Dev,
    Build,
}

/// A dependency as declared in a Cargo.toml.
#[derive(Clone, Debug)]
pub struct Dependency {
    /// The name code uses (`tokio_pg` for `tokio-pg = { package = "tokio-postgres" }`).
    pub name: String,
    /// The crate it really is, `_`-normalised (`tokio_postgres`).
    pub package: String,
    pub kind: DepKind,
    /// Where the key is in the manifest.
    pub loc: Loc,
}

#[derive(Clone, Debug)]
pub struct CrateInfo {
    /// The crate name code uses for the library (`[lib] name` or the package name, `_`-normalised).
    pub name: String,
    pub package: String,
    /// Directory relative to the project root (`""` for the root), `/`-separated.
    pub dir: String,
    pub manifest: Arc<str>,
    pub roots: Vec<(String, TargetKind)>,
    pub deps: Vec<Dependency>,
    /// code name → canonical crate name, for renamed dependencies only.
    pub renames: FxHashMap<String, String>,
}

/// Everything the engine knows about one walked file before reading it.
#[derive(Clone, Debug)]
pub struct FileInfo {
    pub abs: PathBuf,
    /// Relative to the project root, `/`-separated.
    pub rel: Arc<str>,
    pub kind: FileKind,
    pub size: u64,
    /// What `stat` said at discovery (none for a stdin buffer): see [`Stamp`].
    pub stamp: Option<Stamp>,
    pub crate_idx: Option<usize>,
    /// Module path inside its crate without `crate::` (`api::v1::users`; `""` for a crate root).
    pub module: String,
    /// Reached from a crate root through `mod` declarations.
    pub reachable: bool,
    pub target: Option<TargetKind>,
    /// Test code: a test/bench/example target, a `#[cfg(test)] mod` file, or a `files.tests` glob.
    pub is_test: bool,
    pub layer: Option<LayerId>,
    pub role: Option<Role>,
    /// Inside the paths the user asked to check (the rest is context).
    pub report: bool,
}

/// A file's size and [`Stamp`], read once at discovery.
#[derive(Clone, Copy, Debug, Default)]
pub struct Stat {
    pub size: u64,
    pub stamp: Option<Stamp>,
}

impl Stat {
    fn of(m: &std::fs::Metadata) -> Stat {
        Stat {
            size: m.len(),
            stamp: Stamp::of(m),
        }
    }
}

/// What `stat` says of a file, enough for the cache to know that its content is the one it
/// hashed before without reading it again, as git's index does: a write changes the size, the
/// modification time or (even when a tool sets the modification time back) the status-change
/// time. A stamp is only trusted when the file had not changed for a while before the run that
/// stored it ([`Stamp::settled_before`]): a second write within a timestamp's granularity of the
/// first leaves the times as they were.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stamp {
    /// A hash of the size, both times and the inode.
    pub id: u64,
    /// The later of the modification and status-change times, in ns since the epoch.
    pub changed: u64,
}

impl Stamp {
    /// Timestamps are this coarse at worst (FAT's 2 s; Linux's lag a few ms behind the clock).
    const GRANULARITY_NS: u64 = 2_000_000_000;

    fn of(m: &std::fs::Metadata) -> Option<Stamp> {
        use std::hash::{Hash, Hasher};
        let mut h = std::hash::DefaultHasher::new();
        let ns = |t: std::time::SystemTime| {
            t.duration_since(std::time::UNIX_EPOCH)
                .ok()
                .and_then(|d| u64::try_from(d.as_nanos()).ok())
        };
        let modified = ns(m.modified().ok()?)?;
        (m.len(), modified).hash(&mut h);
        #[cfg(unix)]
        let changed = {
            use std::os::unix::fs::MetadataExt;
            let ctime = u64::try_from(m.ctime())
                .ok()?
                .checked_mul(1_000_000_000)?
                .checked_add(u64::try_from(m.ctime_nsec()).ok()?)?;
            (ctime, m.ino(), m.dev()).hash(&mut h);
            modified.max(ctime)
        };
        #[cfg(not(unix))]
        let changed = modified;
        Some(Stamp {
            id: h.finish(),
            changed,
        })
    }

    /// Had the file last changed well before `start` (ns since the epoch)? Only then can a later
    /// run trust that an equal stamp means equal content.
    pub fn settled_before(&self, start: u64) -> bool {
        self.changed.saturating_add(Self::GRANULARITY_NS) < start
    }
}

/// The discovered project.
#[derive(Debug, Default)]
pub struct Project {
    pub root: PathBuf,
    pub crates: Vec<CrateInfo>,
    pub files: Vec<FileInfo>,
    /// Problems found while discovering (invalid Cargo.toml): (file, message, loc).
    pub problems: Vec<(Loc, String)>,
    /// Per crate: module path → index in `files` of the file defining it.
    module_index: Vec<FxHashMap<String, usize>>,
}

impl Project {
    pub fn crate_of(&self, file: &FileInfo) -> Option<&CrateInfo> {
        file.crate_idx.map(|i| &self.crates[i])
    }

    /// Is `name` (as written in code) the library of a crate of this project?
    pub fn local_crate(&self, name: &str) -> Option<&CrateInfo> {
        self.crates.iter().find(|c| c.name == name)
    }

    /// The file defining module `module` of crate `crate_name` (longest known prefix).
    pub fn file_of_module(&self, crate_name: &str, module: &str) -> Option<&FileInfo> {
        let idx = self.crates.iter().position(|c| c.name == crate_name)?;
        self.file_index_of_module(idx, module)
            .map(|i| &self.files[i])
    }

    /// Index in `files` of the file defining `module` (`services::user_service::UserService`
    /// finds `services/user_service.rs`) in crate `crate_idx`: the longest module prefix that has
    /// a file, the crate root at worst.
    pub fn file_index_of_module(&self, crate_idx: usize, module: &str) -> Option<usize> {
        let index = self.module_index.get(crate_idx)?;
        let mut m = module;
        loop {
            if let Some(&i) = index.get(m) {
                return Some(i);
            }
            if m.is_empty() {
                return None;
            }
            m = m.rfind("::").map_or("", |p| &m[..p]);
        }
    }

    /// Where a canonical path of this project (`app::services::user_service::UserService::new`)
    /// is defined: (crate index, file index). `None` for paths into other crates.
    pub fn locate(&self, path: &str) -> Option<(usize, usize)> {
        let (first, rest) = path.split_once("::").unwrap_or((path, ""));
        let crate_idx = self.crates.iter().position(|c| c.name == first)?;
        Some((crate_idx, self.file_index_of_module(crate_idx, rest)?))
    }

    /// The layer of the item a canonical path names: the layer of the file defining it; for items
    /// of a crate root (`lib.rs`, `main.rs`), which is wiring rather than a layer of its own, and
    /// of files in no layer, the layer the map gives the path's module (an inline `mod web {}`
    /// under `modules = ["crate::web"]`) or the whole crate (`crates`).
    pub fn layer_of_path(&self, path: &str, layers: &crate::layers::LayerMap) -> Option<LayerId> {
        let (crate_idx, file) = self.locate(path)?;
        let f = &self.files[file];
        let by_module = || {
            let module = path.split_once("::").map_or("", |(_, rest)| rest);
            layers.layer_of_module(module, Some(&self.crates[crate_idx].name))
        };
        if f.module.is_empty() {
            by_module()
        } else {
            f.layer.or_else(by_module)
        }
    }

    /// The layer the map gives a whole crate (by its `crates` entries), if any.
    pub fn crate_layer(
        &self,
        crate_idx: usize,
        layers: &crate::layers::LayerMap,
    ) -> Option<LayerId> {
        let c = &self.crates[crate_idx];
        layers
            .layer_of_module("", Some(&c.name))
            .or_else(|| layers.layer_of_module("", Some(&c.package.replace('-', "_"))))
    }
}

/// Build the per-crate module index. When two files claim one module (a library and a binary of
/// one package, a test target's root), the library's wins, then a binary's, then the others.
fn module_index(crates: usize, files: &[FileInfo]) -> Vec<FxHashMap<String, usize>> {
    let rank = |t: Option<TargetKind>| match t {
        Some(TargetKind::Lib) => 0,
        Some(TargetKind::Bin) => 1,
        None => 2,
        Some(_) => 3,
    };
    let mut index: Vec<FxHashMap<String, usize>> = vec![FxHashMap::default(); crates];
    for (i, f) in files.iter().enumerate() {
        let Some(c) = f.crate_idx else { continue };
        if f.kind != FileKind::Rust {
            continue;
        }
        let slot = index[c].entry(f.module.clone()).or_insert(i);
        if rank(f.target) < rank(files[*slot].target) {
            *slot = i;
        }
    }
    index
}

/// Decide the project root for a set of checked paths: the config's directory if there is one;
/// otherwise the workspace (or package) whose Cargo.toml contains the anchor, not crossing a
/// repository boundary; otherwise the anchor itself.
pub fn find_root(anchor: &Path, config: &Config) -> PathBuf {
    if let Some(dir) = config.dir() {
        if anchor.starts_with(dir) {
            return dir.to_path_buf();
        }
    }
    let mut nearest: Option<PathBuf> = None;
    for dir in anchor.ancestors() {
        let manifest = dir.join("Cargo.toml");
        if let Ok(text) = std::fs::read_to_string(&manifest) {
            match &nearest {
                None => nearest = Some(dir.to_path_buf()),
                Some(inner) => {
                    // an enclosing workspace counts only if it lists the inner package as a member
                    if workspace_contains(&text, dir, inner) {
                        nearest = Some(dir.to_path_buf());
                    }
                }
            }
        }
        if dir.join(".git").exists() {
            break;
        }
    }
    nearest.unwrap_or_else(|| anchor.to_path_buf())
}

fn workspace_contains(manifest: &str, ws_dir: &Path, member: &Path) -> bool {
    let Ok(doc) = toml::from_str::<toml::Table>(manifest) else {
        return false;
    };
    let Some(ws) = doc.get("workspace").and_then(|w| w.as_table()) else {
        return false;
    };
    let Ok(rel) = member.strip_prefix(ws_dir) else {
        return false;
    };
    let rel = rel.to_string_lossy().replace('\\', "/");
    let globs = |key: &str| -> Vec<String> {
        ws.get(key)
            .and_then(|m| m.as_array())
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    };
    let matches = |list: &[String]| {
        list.iter().any(|g| {
            globset::Glob::new(g.trim_end_matches('/'))
                .map(|g| g.compile_matcher().is_match(&rel))
                .unwrap_or(false)
        })
    };
    matches(&globs("members")) && !matches(&globs("exclude"))
}

/// Walk the project and build the module tree. `report` are the paths the user named (absolute);
/// files outside them are context only.
///
/// `virtual_files` (absolute path, size) are files that may not exist on disk (a stdin buffer).
pub fn discover(
    root: &Path,
    report: &[PathBuf],
    virtual_files: &[(PathBuf, u64)],
    config: &Config,
    force_exclude: bool,
) -> Project {
    let root = root.to_path_buf();
    let mut walked = walk(&root, &root, config, true);
    // a directory named explicitly is checked even where a parent's .gitignore covers it
    for p in report {
        if p.is_dir() && p != &root && p.starts_with(&root) {
            let seen: FxHashSet<PathBuf> = walked.iter().map(|w| w.0.clone()).collect();
            walked.extend(
                walk(&root, p, config, false)
                    .into_iter()
                    .filter(|w| !seen.contains(&w.0)),
            );
        }
    }
    // files named explicitly are checked even when excluded or not included (unless
    // --force-exclude), as ruff does; symlinks out of the root are never followed
    for p in report {
        if p.is_file() && !walked.iter().any(|w| &w.0 == p) {
            let Ok(canon) = p.canonicalize() else {
                continue;
            };
            if !canon.starts_with(&root) {
                continue;
            }
            let rel = rel_path(&root, p);
            if force_exclude && config.files.exclude.is_match(&rel) {
                continue;
            }
            let stat = std::fs::metadata(p).map_or_else(|_| Stat::default(), |m| Stat::of(&m));
            walked.push((p.clone(), rel, stat));
        }
    }
    for (p, size) in virtual_files {
        if !p.starts_with(&root) {
            continue;
        }
        let rel = rel_path(&root, p);
        walked.retain(|w| w.1 != rel);
        if !(force_exclude && config.files.exclude.is_match(&rel)) {
            let stat = Stat {
                size: *size,
                stamp: None,
            };
            walked.push((p.clone(), rel, stat));
        }
    }
    walked.sort_by(|a, b| a.1.cmp(&b.1));

    let mut problems = Vec::new();
    let manifests: Vec<&(PathBuf, String, Stat)> = walked
        .iter()
        .filter(|w| {
            w.1.ends_with("Cargo.toml") && (w.1 == "Cargo.toml" || w.1.ends_with("/Cargo.toml"))
        })
        .collect();
    let ws_deps = workspace_dependencies(&root);
    let mut crates: Vec<CrateInfo> = manifests
        .iter()
        .filter_map(|m| match read_manifest(&root, &m.0, &m.1, &ws_deps) {
            Ok(c) => c,
            Err(p) => {
                problems.push(p);
                None
            }
        })
        .collect();
    crates.sort_by(|a, b| a.dir.cmp(&b.dir));

    let rust_files: Vec<&(PathBuf, String, Stat)> = walked
        .iter()
        .filter(|w| FileKind::of(&w.1) == FileKind::Rust)
        .collect();
    let crate_of = |rel: &str| -> Option<usize> {
        crates
            .iter()
            .enumerate()
            .filter(|(_, c)| c.dir.is_empty() || rel.starts_with(&format!("{}/", c.dir)))
            .max_by_key(|(_, c)| c.dir.len())
            .map(|(i, _)| i)
    };

    // mod declarations of every Rust file that belongs to a crate (files of no crate get their
    // module path from their location alone)
    let decls: FxHashMap<&str, Vec<ModDecl>> = rust_files
        .par_iter()
        .filter(|w| crate_of(&w.1).is_some() && w.2.size <= config.files.max_file_size)
        .filter_map(|w| {
            let text = std::fs::read(&w.0).ok()?;
            let text = String::from_utf8(text).ok()?;
            let d = scan_mod_decls(&text);
            (!d.is_empty()).then_some((w.1.as_str(), d))
        })
        .collect();
    let existing: FxHashSet<&str> = walked.iter().map(|w| w.1.as_str()).collect();

    // module tree: BFS from each crate root
    struct Placed {
        module: String,
        target: TargetKind,
        cfg_test: bool,
    }
    let mut placed: FxHashMap<String, Placed> = FxHashMap::default();
    for c in &crates {
        for (root_file, target) in &c.roots {
            if placed.contains_key(root_file) {
                continue;
            }
            let mut queue = vec![(root_file.clone(), String::new(), false, true)];
            while let Some((file, module, cfg_test, is_root)) = queue.pop() {
                if placed.contains_key(&file) || !existing.contains(file.as_str()) {
                    continue;
                }
                if let Some(ds) = decls.get(file.as_str()) {
                    for d in ds {
                        let mut child_mod = module.clone();
                        for seg in d.inline_parents.iter().chain(std::iter::once(&d.name)) {
                            if !child_mod.is_empty() {
                                child_mod.push_str("::");
                            }
                            child_mod.push_str(seg);
                        }
                        let child = child_file(&file, is_root, d, &existing);
                        if let Some(child) = child {
                            queue.push((child, child_mod, cfg_test || d.cfg_test, false));
                        }
                    }
                }
                placed.insert(
                    file,
                    Placed {
                        module,
                        target: *target,
                        cfg_test,
                    },
                );
            }
        }
    }

    let report_rel: Vec<String> = report.iter().map(|p| rel_path(&root, p)).collect();
    let files: Vec<FileInfo> = walked
        .into_iter()
        .filter(|w| {
            !(w.1.ends_with("Cargo.toml") && FileKind::of(&w.1) == FileKind::Other)
                || config.files.include.is_match(&w.1)
        })
        .map(|(abs, rel, stat)| {
            let kind = FileKind::of(&rel);
            let crate_idx = crate_of(&rel);
            let (module, reachable, target, cfg_test) = match placed.get(&rel) {
                Some(p) => (p.module.clone(), true, Some(p.target), p.cfg_test),
                None => (
                    module_from_location(&rel, crate_idx.map(|i| crates[i].dir.as_str())),
                    false,
                    None,
                    false,
                ),
            };
            let is_test = cfg_test
                || matches!(
                    target,
                    Some(
                        TargetKind::Test
                            | TargetKind::Bench
                            | TargetKind::Example
                            | TargetKind::Build
                    )
                )
                || config.files.tests.is_match(&rel);
            let crate_name = crate_idx.map(|i| crates[i].name.as_str());
            let layer = config.layers.layer_of(&rel, &module, crate_name);
            let role = layer.and_then(|l| config.layers.role(l));
            let report = report_rel
                .iter()
                .any(|r| r.is_empty() || *r == rel || rel.starts_with(&format!("{r}/")));
            FileInfo {
                abs,
                rel: Arc::from(rel),
                kind,
                size: stat.size,
                stamp: stat.stamp,
                crate_idx,
                module,
                reachable,
                target,
                is_test,
                layer,
                role,
                report,
            }
        })
        .collect();
    let module_index = module_index(crates.len(), &files);
    Project {
        root,
        crates,
        files,
        problems,
        module_index,
    }
}

/// `/`-separated path of `p` relative to `root` (`""` for the root itself).
pub fn rel_path(root: &Path, p: &Path) -> String {
    let rel = p.strip_prefix(root).unwrap_or(p);
    let s = rel.to_string_lossy().replace('\\', "/");
    s.trim_start_matches("./").trim_end_matches('/').to_string()
}

/// The file a `mod` declaration in `parent` points at.
fn child_file(
    parent: &str,
    parent_is_root: bool,
    d: &ModDecl,
    existing: &FxHashSet<&str>,
) -> Option<String> {
    let (dir, stem) = match parent.rsplit_once('/') {
        Some((dir, file)) => (dir.to_string(), file.trim_end_matches(".rs").to_string()),
        None => (String::new(), parent.trim_end_matches(".rs").to_string()),
    };
    let join = |a: &str, b: &str| {
        if a.is_empty() {
            b.to_string()
        } else {
            format!("{a}/{b}")
        }
    };
    if let Some(p) = &d.path_attr {
        let base = if d.inline_parents.is_empty() {
            dir.clone()
        } else {
            join(&dir, &d.inline_parents.join("/"))
        };
        return Some(normalize(&join(&base, p)));
    }
    let mut base = if parent_is_root || stem == "mod" {
        dir
    } else {
        join(&dir, &stem)
    };
    for p in &d.inline_parents {
        base = join(&base, p);
    }
    let flat = join(&base, &format!("{}.rs", d.name));
    if existing.contains(flat.as_str()) {
        return Some(flat);
    }
    Some(join(&base, &format!("{}/mod.rs", d.name)))
}

fn normalize(p: &str) -> String {
    let mut out: Vec<&str> = Vec::new();
    for seg in p.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                out.pop();
            }
            s => out.push(s),
        }
    }
    out.join("/")
}

/// Module path of a file no `mod` declaration reaches: its location under the nearest `src/` (or
/// its crate directory).
pub fn module_from_location(rel: &str, crate_dir: Option<&str>) -> String {
    let mut path = rel;
    if let Some(dir) = crate_dir.filter(|d| !d.is_empty()) {
        path = path
            .strip_prefix(dir)
            .map(|p| p.trim_start_matches('/'))
            .unwrap_or(path);
    }
    let path = match path.rfind("src/") {
        Some(i) if i == 0 || path.as_bytes()[i - 1] == b'/' => &path[i + 4..],
        _ => path,
    };
    let path = path.trim_end_matches(".rs");
    let mut segs: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    if matches!(segs.last(), Some(&("mod" | "lib" | "main"))) {
        segs.pop();
    }
    segs.join("::")
}

/// Walk `start` (inside `root`); `parents`: apply the .gitignore files above `start`.
fn walk(root: &Path, start: &Path, config: &Config, parents: bool) -> Vec<(PathBuf, String, Stat)> {
    let out = Mutex::new(Vec::new());
    let mut builder = ignore::WalkBuilder::new(start);
    builder
        .follow_links(false)
        .git_ignore(config.files.respect_gitignore)
        .git_global(false)
        .git_exclude(config.files.respect_gitignore)
        .ignore(config.files.respect_gitignore)
        .parents(config.files.respect_gitignore && parents)
        .require_git(false)
        .hidden(true)
        .filter_entry(|e| {
            let Some(ft) = e.file_type() else {
                return false;
            };
            if ft.is_dir() {
                let name = e.file_name();
                if name == ".stratalint_cache" || name == ".git" || name == "node_modules" {
                    return false;
                }
                // a cargo target directory: next to a Cargo.toml, or tagged by cargo
                if name == "target" {
                    let p = e.path();
                    if p.join("CACHEDIR.TAG").exists()
                        || p.join(".rustc_info.json").exists()
                        || p.parent().is_some_and(|d| d.join("Cargo.toml").exists())
                    {
                        return false;
                    }
                }
            }
            true
        });
    builder.build_parallel().run(|| {
        let out = &out;
        Box::new(move |entry| {
            let Ok(entry) = entry else {
                return ignore::WalkState::Continue;
            };
            let Some(ft) = entry.file_type() else {
                return ignore::WalkState::Continue;
            };
            // symlinks are never followed, so never read: a link out of the tree stays out
            if !ft.is_file() {
                return ignore::WalkState::Continue;
            }
            let rel = rel_path(root, entry.path());
            let is_manifest = rel == "Cargo.toml" || rel.ends_with("/Cargo.toml");
            if !is_manifest && !config.files.include.is_match(&rel) {
                return ignore::WalkState::Continue;
            }
            if config.files.exclude.is_match(&rel) && !is_manifest {
                return ignore::WalkState::Continue;
            }
            let stat = entry
                .metadata()
                .map_or_else(|_| Stat::default(), |m| Stat::of(&m));
            out.lock()
                .unwrap_or_else(|e| e.into_inner())
                .push((entry.into_path(), rel, stat));
            ignore::WalkState::Continue
        })
    });
    out.into_inner().unwrap_or_else(|e| e.into_inner())
}

/// `[workspace.dependencies]` of the root manifest: name → package, for `workspace = true` deps.
fn workspace_dependencies(root: &Path) -> FxHashMap<String, String> {
    let mut out = FxHashMap::default();
    let Ok(text) = std::fs::read_to_string(root.join("Cargo.toml")) else {
        return out;
    };
    let Ok(doc) = toml::from_str::<toml::Table>(&text) else {
        return out;
    };
    if let Some(deps) = doc
        .get("workspace")
        .and_then(|w| w.get("dependencies"))
        .and_then(|d| d.as_table())
    {
        for (k, v) in deps {
            let package = v.get("package").and_then(|p| p.as_str()).unwrap_or(k);
            out.insert(k.clone(), package.replace('-', "_"));
        }
    }
    out
}

fn read_manifest(
    root: &Path,
    abs: &Path,
    rel: &str,
    ws_deps: &FxHashMap<String, String>,
) -> Result<Option<CrateInfo>, (Loc, String)> {
    let rel_arc: Arc<str> = Arc::from(rel);
    let Ok(text) = std::fs::read_to_string(abs) else {
        return Err((Loc::file_start(rel_arc), "cannot read Cargo.toml".into()));
    };
    let src = SourceText::new(text.clone());
    let doc = match DeTable::parse(&text) {
        Ok(d) => d,
        Err(e) => {
            let mut loc = Loc::file_start(rel_arc);
            if let Some(span) = e.span() {
                loc.start = span.start;
                loc.end = span.end;
                loc.start_pos = src.position(span.start);
                loc.end_pos = src.position(span.end);
            }
            return Err((loc, format!("invalid Cargo.toml: {}", e.message().trim())));
        }
    };
    let doc = doc.get_ref();
    let get = |t: &DeTable<'_>, k: &str| -> Option<DeValue<'static>> {
        t.iter()
            .find(|(key, _)| key.get_ref().as_ref() == k)
            .map(|(_, v)| {
                let mut v = v.get_ref().clone();
                v.make_owned();
                // SAFETY-free lifetime extension: make_owned leaves no borrow, rebuild as 'static
                devalue_static(v)
            })
    };
    let Some(DeValue::Table(package)) = get(doc, "package") else {
        return Ok(None);
    };
    let package_name = match get(&package, "name") {
        Some(DeValue::String(s)) => s.to_string(),
        _ => return Ok(None),
    };
    let dir = rel
        .trim_end_matches("Cargo.toml")
        .trim_end_matches('/')
        .to_string();
    let dir_abs = abs.parent().unwrap_or(root).to_path_buf();
    let join = |p: &str| -> String {
        let p = p.trim_start_matches("./");
        if dir.is_empty() {
            p.to_string()
        } else {
            format!("{dir}/{p}")
        }
    };
    let mut name = package_name.replace('-', "_");
    let mut roots: Vec<(String, TargetKind)> = Vec::new();
    // [lib]
    let lib = get(doc, "lib");
    let lib_path = match &lib {
        Some(DeValue::Table(t)) => {
            if let Some(DeValue::String(n)) = get(t, "name") {
                name = n.replace('-', "_");
            }
            match get(t, "path") {
                Some(DeValue::String(p)) => Some(p.to_string()),
                _ => None,
            }
        }
        _ => None,
    };
    match lib_path {
        Some(p) => roots.push((join(&p), TargetKind::Lib)),
        None if dir_abs.join("src/lib.rs").is_file() => {
            roots.push((join("src/lib.rs"), TargetKind::Lib))
        }
        None => {}
    }
    // [[bin]] and the auto-discovered targets
    if let Some(DeValue::Array(bins)) = get(doc, "bin") {
        for b in bins.iter() {
            if let DeValue::Table(t) = b.get_ref() {
                match (get(t, "path"), get(t, "name")) {
                    (Some(DeValue::String(p)), _) => roots.push((join(&p), TargetKind::Bin)),
                    (_, Some(DeValue::String(n))) => {
                        roots.push((join(&format!("src/bin/{n}.rs")), TargetKind::Bin))
                    }
                    _ => {}
                }
            }
        }
    }
    if dir_abs.join("src/main.rs").is_file() {
        roots.push((join("src/main.rs"), TargetKind::Bin));
    }
    for (sub, kind) in [
        ("src/bin", TargetKind::Bin),
        ("tests", TargetKind::Test),
        ("examples", TargetKind::Example),
        ("benches", TargetKind::Bench),
    ] {
        if let Ok(rd) = std::fs::read_dir(dir_abs.join(sub)) {
            let mut entries: Vec<_> = rd.flatten().collect();
            entries.sort_by_key(|e| e.file_name());
            for e in entries {
                let fname = e.file_name().to_string_lossy().to_string();
                let Ok(ft) = e.file_type() else { continue };
                if ft.is_file() && fname.ends_with(".rs") {
                    roots.push((join(&format!("{sub}/{fname}")), kind));
                } else if ft.is_dir() && e.path().join("main.rs").is_file() {
                    roots.push((join(&format!("{sub}/{fname}/main.rs")), kind));
                }
            }
        }
    }
    if dir_abs.join("build.rs").is_file() {
        roots.push((join("build.rs"), TargetKind::Build));
    }
    roots.dedup();

    // dependencies, with renames and where they are declared
    let mut deps = Vec::new();
    let mut renames = FxHashMap::default();
    let mut dep_tables: Vec<(&Spanned<DeValue<'_>>, DepKind)> = Vec::new();
    for (key, value) in doc.iter() {
        let k: &str = key.get_ref();
        match k {
            "dependencies" => dep_tables.push((value, DepKind::Normal)),
            "dev-dependencies" => dep_tables.push((value, DepKind::Dev)),
            "build-dependencies" => dep_tables.push((value, DepKind::Build)),
            "target" => {
                if let DeValue::Table(targets) = value.get_ref() {
                    for (_, t) in targets.iter() {
                        if let DeValue::Table(t) = t.get_ref() {
                            for (k2, v2) in t.iter() {
                                let kind = match k2.get_ref().as_ref() {
                                    "dependencies" => DepKind::Normal,
                                    "dev-dependencies" => DepKind::Dev,
                                    "build-dependencies" => DepKind::Build,
                                    _ => continue,
                                };
                                // SAFETY: only the spanned borrow is kept for the loop below
                                dep_tables.push((v2, kind));
                            }
                        }
                    }
                }
            }
            _ => {}
        }
    }
    for (table, kind) in dep_tables {
        let DeValue::Table(t) = table.get_ref() else {
            continue;
        };
        for (key, value) in t.iter() {
            let key_name: &str = key.get_ref();
            let code_name = key_name.replace('-', "_");
            let package = match value.get_ref() {
                DeValue::Table(spec) => {
                    let explicit = spec
                        .iter()
                        .find(|(k, _)| k.get_ref().as_ref() == "package")
                        .and_then(|(_, v)| v.get_ref().as_str().map(str::to_string));
                    let is_ws = spec.iter().any(|(k, v)| {
                        k.get_ref().as_ref() == "workspace" && v.get_ref().as_bool() == Some(true)
                    });
                    match explicit {
                        Some(p) => p.replace('-', "_"),
                        None if is_ws => ws_deps
                            .get(key_name)
                            .cloned()
                            .unwrap_or_else(|| code_name.clone()),
                        None => code_name.clone(),
                    }
                }
                _ => code_name.clone(),
            };
            if package != code_name {
                renames.insert(code_name.clone(), package.clone());
            }
            let span = key.span();
            deps.push(Dependency {
                name: code_name,
                package,
                kind,
                loc: Loc {
                    file: rel_arc.clone(),
                    start: span.start,
                    end: span.end,
                    start_pos: src.position(span.start),
                    end_pos: src.position(span.end),
                    item: Arc::from(key_name),
                    snippet_hash: crate::diagnostic::normalized_hash(key_name),
                },
            });
        }
    }
    let _ = Position::default();
    Ok(Some(CrateInfo {
        name,
        package: package_name,
        dir,
        manifest: rel_arc,
        roots,
        deps,
        renames,
    }))
}

use toml::Spanned;

/// Rebuild a fully owned `DeValue` with a `'static` lifetime.
fn devalue_static(v: DeValue<'_>) -> DeValue<'static> {
    match v {
        DeValue::String(s) => DeValue::String(std::borrow::Cow::Owned(s.into_owned())),
        DeValue::Boolean(b) => DeValue::Boolean(b),
        DeValue::Datetime(d) => DeValue::Datetime(d),
        DeValue::Table(t) => {
            let mut out = DeTable::new();
            for (k, v) in t.into_iter() {
                let span = k.span();
                let vspan = v.span();
                out.insert(
                    Spanned::new(span, std::borrow::Cow::Owned(k.into_inner().into_owned())),
                    Spanned::new(vspan, devalue_static(v.into_inner())),
                );
            }
            DeValue::Table(out)
        }
        DeValue::Array(a) => {
            let mut out = toml::de::DeArray::new();
            for v in a.into_iter() {
                let span = v.span();
                out.push(Spanned::new(span, devalue_static(v.into_inner())));
            }
            DeValue::Array(out)
        }
        // numbers are not needed from manifests
        DeValue::Integer(_) | DeValue::Float(_) => DeValue::Boolean(false),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn module_paths_from_location() {
        assert_eq!(
            module_from_location("src/api/v1/users.rs", Some("")),
            "api::v1::users"
        );
        assert_eq!(
            module_from_location("crates/app/src/api/mod.rs", Some("crates/app")),
            "api"
        );
        assert_eq!(module_from_location("src/lib.rs", Some("")), "");
        assert_eq!(
            module_from_location("tokio/src/fs/read.rs", None),
            "fs::read"
        );
    }

    #[test]
    fn child_files() {
        let existing: FxHashSet<&str> = ["src/api.rs", "src/api/v1/mod.rs", "src/gen/m.rs"]
            .into_iter()
            .collect();
        let d = |name: &str| ModDecl {
            name: name.into(),
            path_attr: None,
            inline_parents: vec![],
            cfg_test: false,
        };
        assert_eq!(
            child_file("src/lib.rs", true, &d("api"), &existing).as_deref(),
            Some("src/api.rs")
        );
        assert_eq!(
            child_file("src/api.rs", false, &d("v1"), &existing).as_deref(),
            Some("src/api/v1/mod.rs")
        );
        let with_path = ModDecl {
            path_attr: Some("gen/m.rs".into()),
            ..d("models")
        };
        assert_eq!(
            child_file("src/lib.rs", true, &with_path, &existing).as_deref(),
            Some("src/gen/m.rs")
        );
    }
}
