//! The data flow of a check, one way:
//!
//! config → discover the project → walk → per file, in parallel: read → parse → resolve and walk
//! once, dispatching to the rules → keep small facts, drop the tree and the span map → cross-file
//! rules on the facts → settle conditional findings → suppressions → severities → sort.

// `CheckError` holds a `ConfigError` (see config.rs): rare, and not worth a box.
#![allow(clippy::result_large_err)]

use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};

use crate::cache::{self, Cache};
use crate::config::{self, Config, ConfigError, Selector};
use crate::deps::{DepGraph, Dependency, FileDeps};
use crate::diagnostic::{assign_fingerprints, Diagnostic, Loc, Requirement, Severity};
use crate::engine_rules::{
    FILE_TOO_LARGE, INTERNAL_ERROR, INVALID_SUPPRESSION, SYNTAX_ERROR, UNREADABLE_FILE,
    UNUSED_SUPPRESSION,
};
use crate::layers::{LayerId, LayerMap};
use crate::project::{self, FileInfo, FileKind, Project};
use crate::rule::{new_diag, register_doc_families, Fact, Hooks, Rule, RuleMeta, TextFile};
use crate::source::{DecodeError, SourceText};
use crate::suppress::{self, Directive, Malformed};
use crate::visit::{Dispatch, FileOutput, TextCx, Walker};

mod single;
pub use single::{check_source, SourceChecker};

/// Deeper nesting than this (brackets plus operator chains, see [`crate::lexer::nesting_depth`]) is
/// refused: syn, the walk and the drop of the tree recurse on it. Hand-written code stays far below.
pub const MAX_NESTING: usize = 2_000;

/// Worker threads get a large stack so that nesting up to [`MAX_NESTING`] is safe.
pub const WORKER_STACK: usize = 256 * 1024 * 1024;

/// What to check and how.
#[derive(Clone, Debug, Default)]
pub struct CheckOptions {
    /// Paths as given on the command line (relative to `cwd`); empty means `.`.
    pub paths: Vec<PathBuf>,
    pub cwd: PathBuf,
    /// `--config FILE`.
    pub config: Option<PathBuf>,
    /// `--select` (replaces the config's `select`).
    pub select: Vec<String>,
    /// `--ignore` (added to the config's `ignore`).
    pub ignore: Vec<String>,
    pub jobs: Option<usize>,
    /// Apply excludes to files named on the command line too.
    pub force_exclude: bool,
    /// `--no-cache`: neither read nor write `.stratalint_cache/`.
    pub no_cache: bool,
    /// `--stdin-filename`: lint this text as if it were that file (which need not exist on disk);
    /// only it is reported, the project around it is the context.
    pub stdin: Option<StdinInput>,
    /// The caller needs [`CheckResult::architecture`] (`stratalint graph`): the findings of the
    /// last run are not reused as a whole then, since they do not include the graph.
    pub need_architecture: bool,
}

/// A buffer to lint in place of a file: an editor's unsaved text.
#[derive(Clone, Debug)]
pub struct StdinInput {
    /// The path it stands for, as given (relative to `cwd`).
    pub path: PathBuf,
    pub contents: String,
}

/// A failure that is not a finding: exit 2.
#[derive(Debug)]
pub enum CheckError {
    Config(ConfigError),
    Usage(String),
}

impl std::fmt::Display for CheckError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CheckError::Config(e) => write!(f, "{e}"),
            CheckError::Usage(m) => f.write_str(m),
        }
    }
}

impl From<ConfigError> for CheckError {
    fn from(e: ConfigError) -> Self {
        CheckError::Config(e)
    }
}

/// The outcome of a check.
pub struct CheckResult {
    /// Sorted, suppressed, with final severities and fingerprints.
    pub diagnostics: Vec<Diagnostic>,
    /// Files checked in the requested paths (not the context files).
    pub files_checked: usize,
    /// Their paths relative to the root.
    pub checked_files: Vec<Arc<str>>,
    pub root: PathBuf,
    pub config: Config,
    pub elapsed: Duration,
    pub metas: Vec<&'static RuleMeta>,
    /// The project's files and dependency graph, when an enabled rule declared `Hooks::DEPS`
    /// (what `stratalint graph` draws).
    pub architecture: Option<Architecture>,
}

/// The files of a check and the dependencies between them.
#[derive(Debug)]
pub struct Architecture {
    pub files: Vec<FileInfo>,
    pub graph: DepGraph,
}

/// The rules' metas, engine rules first.
pub fn all_metas(rules: &[Box<dyn Rule>]) -> Vec<&'static RuleMeta> {
    let mut metas: Vec<&'static RuleMeta> = crate::engine_rules::metas().to_vec();
    metas.extend(rules.iter().map(|r| r.meta()));
    metas
}

/// Load the configuration as `check` would, for commands that only need it.
pub fn load_config(
    opts: &CheckOptions,
    metas: &[&'static RuleMeta],
) -> Result<(Config, PathBuf, Vec<PathBuf>), CheckError> {
    let paths = absolute_paths(opts)?;
    let anchor = common_anchor(&paths);
    let config = config::load(
        opts.config.as_deref().map(|p| opts.cwd.join(p)).as_deref(),
        &anchor,
        metas,
    )?;
    Ok((config, anchor, paths))
}

fn absolute_paths(opts: &CheckOptions) -> Result<Vec<PathBuf>, CheckError> {
    if let Some(stdin) = &opts.stdin {
        return Ok(vec![stdin_path(opts, stdin)?]);
    }
    let given = if opts.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        opts.paths.clone()
    };
    given
        .iter()
        .map(|p| {
            let abs = opts.cwd.join(p);
            abs.canonicalize()
                .map_err(|_| CheckError::Usage(format!("path `{}` does not exist", p.display())))
        })
        .collect()
}

/// The absolute path a stdin buffer stands for: its directory must exist (it is the context).
fn stdin_path(opts: &CheckOptions, stdin: &StdinInput) -> Result<PathBuf, CheckError> {
    let abs = opts.cwd.join(&stdin.path);
    let (Some(dir), Some(name)) = (abs.parent(), abs.file_name()) else {
        return Err(CheckError::Usage(format!(
            "`{}` is not a file path",
            stdin.path.display()
        )));
    };
    let dir = dir.canonicalize().map_err(|_| {
        CheckError::Usage(format!(
            "the directory of `{}` does not exist",
            stdin.path.display()
        ))
    })?;
    Ok(dir.join(name))
}

fn common_anchor(paths: &[PathBuf]) -> PathBuf {
    let dir_of = |p: &Path| {
        if p.is_dir() {
            p.to_path_buf()
        } else {
            p.parent().unwrap_or(p).to_path_buf()
        }
    };
    let mut anchor = dir_of(&paths[0]);
    for p in &paths[1..] {
        let d = dir_of(p);
        while !d.starts_with(&anchor) {
            if !anchor.pop() {
                break;
            }
        }
    }
    anchor
}

/// Which rules run on a file, and at which severity override.
struct Selection {
    base: Vec<bool>,
    severity: Vec<Option<Severity>>,
}

fn best(sels: &[Selector], meta: &RuleMeta) -> Option<u8> {
    sels.iter()
        .filter(|s| s.matches(meta))
        .map(Selector::specificity)
        .max()
}

fn select_rules(config: &Config, metas: &[&'static RuleMeta]) -> Selection {
    let mut base = Vec::with_capacity(metas.len());
    let mut severity = Vec::with_capacity(metas.len());
    for m in metas {
        let selected = if config.select.is_empty() {
            m.default_enabled.then_some(0)
        } else {
            best(&config.select, m)
        };
        let ignored = best(&config.ignore, m);
        let on = match (selected, ignored) {
            (Some(s), Some(i)) => s > i,
            (Some(_), None) => true,
            _ => false,
        };
        base.push(on);
        let sev = config
            .severity
            .iter()
            .filter(|(s, _)| s.matches(m))
            .max_by_key(|(s, _)| s.specificity())
            .map(|(_, v)| *v);
        severity.push(sev);
    }
    Selection { base, severity }
}

/// The rules enabled for one file (the base selection with the `[[overrides]]` that match it).
fn enabled_for(
    config: &Config,
    sel: &Selection,
    metas: &[&'static RuleMeta],
    rel: &str,
) -> (Vec<bool>, Vec<Option<Severity>>) {
    let mut on = sel.base.clone();
    let mut sev = sel.severity.clone();
    for o in &config.overrides {
        if !o.files.is_match(rel) {
            continue;
        }
        for (i, m) in metas.iter().enumerate() {
            if o.select.iter().any(|s| s.matches(m)) {
                on[i] = true;
            }
            if o.ignore.iter().any(|s| s.matches(m)) {
                on[i] = false;
            }
            if let Some((_, v)) = o
                .severity
                .iter()
                .filter(|(s, _)| s.matches(m))
                .max_by_key(|(s, _)| s.specificity())
            {
                sev[i] = Some(*v);
            }
        }
    }
    (on, sev)
}

/// One file's walk in a run: its result, its severities, its content hash, whether it was walked
/// (not served by the cache).
type Walked = (FileResult, Vec<Option<Severity>>, u64, bool);

/// What is kept of one file after its walk.
#[derive(Default)]
struct FileResult {
    diags: Vec<Diagnostic>,
    facts: Vec<(usize, Fact)>,
    handlers: Vec<String>,
    reexports: Vec<(String, String)>,
    deps: FileDeps,
    offloaders: Vec<(String, usize)>,
    offload_edges: Vec<(String, usize, String, usize)>,
    directives: Vec<Directive>,
    malformed: Vec<Malformed>,
    checked: bool,
}

impl FileResult {
    /// The cache's record of this walk (None when a fact cannot be stored: then the file is walked
    /// again next time).
    fn to_entry(&self) -> Option<cache::Entry> {
        let facts = self
            .facts
            .iter()
            .map(|(rule, f)| f.to_stored().map(|(ty, json)| (*rule, ty, json)))
            .collect::<Option<Vec<_>>>()?;
        Some(cache::Entry {
            diags: self.diags.clone(),
            facts,
            handlers: self.handlers.clone(),
            reexports: self.reexports.clone(),
            deps: self.deps.clone(),
            offloaders: self.offloaders.clone(),
            offload_edges: self.offload_edges.clone(),
            directives: self.directives.clone(),
            malformed: self.malformed.clone(),
            checked: self.checked,
        })
    }

    fn from_entry(e: cache::Entry) -> FileResult {
        FileResult {
            diags: e.diags,
            facts: e
                .facts
                .into_iter()
                .map(|(rule, ty, json)| (rule, Fact::stored(ty, json)))
                .collect(),
            handlers: e.handlers,
            reexports: e.reexports,
            deps: e.deps,
            offloaders: e.offloaders,
            offload_edges: e.offload_edges,
            directives: e.directives,
            malformed: e.malformed,
            checked: e.checked,
        }
    }
}

/// Run a check.
pub fn check(
    opts: &CheckOptions,
    mut rules: Vec<Box<dyn Rule>>,
) -> Result<CheckResult, CheckError> {
    let started = Instant::now();
    // before any file is looked at: what the cache's stamps are compared with
    let start_ns = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_nanos()).unwrap_or(u64::MAX));
    phases::mark("start");
    let metas = all_metas(&rules);
    register_doc_families(&metas);
    let (mut config, anchor, paths) = load_config(opts, &metas)?;
    if !opts.select.is_empty() {
        config.select = parse_cli_selectors(&opts.select, &metas, "--select")?;
    }
    config
        .ignore
        .extend(parse_cli_selectors(&opts.ignore, &metas, "--ignore")?);
    config.configure_rules(&mut rules)?;

    let root = project::find_root(&anchor, &config);
    let stdin: Option<(PathBuf, &str)> = match &opts.stdin {
        Some(s) => Some((stdin_path(opts, s)?, s.contents.as_str())),
        None => None,
    };
    let virtual_files: Vec<(PathBuf, u64)> = stdin
        .iter()
        .map(|(p, c)| (p.clone(), c.len() as u64))
        .collect();
    let project = project::discover(&root, &paths, &virtual_files, &config, opts.force_exclude);
    phases::mark("config+discovery");
    let selection = select_rules(&config, &metas);
    let n_engine = crate::engine_rules::metas().len();

    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(opts.jobs.unwrap_or(0))
        .stack_size(WORKER_STACK)
        .thread_name(|i| format!("stratalint-{i}"))
        .build()
        .map_err(|e| CheckError::Usage(format!("cannot start worker threads: {e}")))?;

    let rule_slice: &[Box<dyn Rule>] = &rules;
    let rule_metas: &[&'static RuleMeta] = &metas[n_engine..];
    // which rules run on each file, and their dispatch lists: computed once per distinct selection
    // (files differ only through `[[overrides]]`), not once per file
    let mut dispatch_of: FxHashMap<Vec<bool>, usize> = FxHashMap::default();
    let mut dispatches: Vec<Dispatch<'_>> = Vec::new();
    let plans: Vec<(Vec<bool>, Vec<Option<Severity>>, usize)> = project
        .files
        .iter()
        .map(|file| {
            let (on, sev) = enabled_for(&config, &selection, &metas, &file.rel);
            let idx = *dispatch_of.entry(on.clone()).or_insert_with(|| {
                dispatches.push(Dispatch::new(rule_slice, &on[n_engine..]));
                dispatches.len() - 1
            });
            (on, sev, idx)
        })
        .collect();
    phases::mark("plans");
    // the cache serves files whose content is unchanged since a run with the same key
    let salts: Vec<String> = rules.iter().map(|r| r.cache_salt().to_string()).collect();
    let salts: Vec<&str> = salts.iter().map(String::as_str).collect();
    let cache_key = cache::run_key(&config, &project, &selection.base, &salts);
    // a stdin buffer is never cached (it is not the file on disk)
    let use_cache = !opts.no_cache && opts.stdin.is_none();
    let max_size = config.files.max_file_size;
    // the cache's stamps are only stored for files that had not changed for a while before this
    // moment (see `Stamp`)
    let cache = use_cache.then(|| Cache::load(&project.root, cache_key));
    phases::mark("cache load");
    // every file's content hash: the stored one when `stat` vouches for it, else read and hashed
    let hash_all = || -> Vec<Option<u64>> {
        pool.install(|| {
            project
                .files
                .par_iter()
                .map(|f| {
                    if let Some(h) = cache.as_ref().and_then(|c| c.known_hash(&f.rel, f.stamp)) {
                        return Some(h);
                    }
                    let read = (f.size <= max_size).then(|| std::fs::read(&f.abs).ok());
                    read.flatten().map(|b| cache::content_hash(&b))
                })
                .collect()
        })
    };
    // with a kept result, hash every file first: when none changed since the run that kept it,
    // its settled findings are the answer (no file is walked, no cross-file pass runs, no record
    // is decoded); otherwise the hashes say which files the cache serves without reading them
    let mut pre_hashes: Option<Vec<Option<u64>>> = None;
    if use_cache && !opts.need_architecture && cache::has_result(&project.root) {
        let hashes = hash_all();
        let key = cache::result_key(cache_key, &project, hashes.iter().map(|h| h.unwrap_or(0)));
        if let Some(r) = cache::load_result(&project.root, key) {
            phases::mark("whole-run cache hit");
            phases::report();
            return Ok(CheckResult {
                diagnostics: r.diagnostics,
                files_checked: r.files_checked,
                checked_files: r.checked_files.into_iter().map(Arc::from).collect(),
                root: project.root,
                config,
                elapsed: started.elapsed(),
                metas,
                architecture: None,
            });
        }
        pre_hashes = Some(hashes);
    }
    if pre_hashes.is_none() && cache.as_ref().is_some_and(|c| !c.is_empty()) {
        pre_hashes = Some(hash_all());
    }
    phases::mark("hash pass");
    let order = largest_first(&project);
    let mut unordered: Vec<(usize, Walked)> = pool.install(|| {
        order
            .par_iter()
            // one file per job: rayon otherwise hands each thread a contiguous run of the order
            // and stops splitting it, so the thread given the large files finishes long after
            // the other ran out of work
            .with_max_len(1)
            .map(|&i| (i, &project.files[i], &plans[i]))
            .map(|(i, file, (on, sev, dispatch))| {
                (i, {
                    let sev = sev.clone();
                    let dispatch = &dispatches[*dispatch];
                    let overlay = stdin
                        .as_ref()
                        .filter(|(p, _)| *p == file.abs)
                        .map(|(_, c)| *c);
                    // unchanged since the cached run: served without reading the file again
                    if let (Some(cache), Some(Some(hash))) =
                        (&cache, pre_hashes.as_ref().map(|h| h[i]))
                    {
                        if let Some(entry) = cache.get(&file.rel, hash) {
                            return (i, (FileResult::from_entry(entry), sev, hash, false));
                        }
                    }
                    // files above the size limit are not read at all
                    let read = (file.size <= config.files.max_file_size).then(|| match overlay {
                        Some(text) => Ok(text.as_bytes().to_vec()),
                        None => std::fs::read(&file.abs),
                    });
                    // the content hash is the cache's key; without a cache it is not needed
                    let hash = match &read {
                        Some(Ok(bytes)) if cache.is_some() => Some(cache::content_hash(bytes)),
                        _ => None,
                    };
                    if let (Some(cache), Some(hash)) = (&cache, hash) {
                        if let Some(entry) = cache.get(&file.rel, hash) {
                            return (i, (FileResult::from_entry(entry), sev, hash, false));
                        }
                    }
                    let res = check_file(
                        file, read, &project, &config, rule_slice, rule_metas, dispatch, n_engine,
                        on,
                    );
                    (res, sev, hash.unwrap_or(0), true)
                })
            })
            .collect()
    });
    phases::mark("per-file (parallel)");
    unordered.sort_unstable_by_key(|(i, _)| *i);
    let walked: Vec<Walked> = unordered.into_iter().map(|(_, w)| w).collect();
    // a file's stamp, if it had settled before this run started: only then is it stored
    let settled_stamp = |f: &FileInfo| f.stamp.filter(|s| s.settled_before(start_ns));
    // this run's cache records, written by another thread while the cross-file passes run
    let records: Option<Vec<cache::Written<'_>>> = cache
        .as_ref()
        .filter(|c| {
            // rewritten when a file was walked, one is gone, or one has settled since (its stamp
            // can be stored now)
            walked.iter().any(|w| w.3)
                || c.len() != walked.len()
                || project.files.iter().any(|f| {
                    let stamp = settled_stamp(f);
                    stamp.is_some() && c.stamp(&f.rel) != stamp
                })
        })
        .map(|cache| {
            pool.install(|| {
                project
                    .files
                    .par_iter()
                    .zip(&walked)
                    .filter_map(|(f, (r, _, hash, fresh))| {
                        // a file served from the cache is written back as it was read
                        let record = match cache.raw(&f.rel, *hash).filter(|_| !*fresh) {
                            Some(raw) => cache::Record::Kept(raw),
                            None => cache::Record::New(Box::new(r.to_entry()?)),
                        };
                        Some((&*f.rel, *hash, settled_stamp(f), record))
                    })
                    .collect()
            })
        });
    let result_key = cache
        .as_ref()
        .map(|_| cache::result_key(cache_key, &project, walked.iter().map(|w| w.2)));
    let results: Vec<(FileResult, Vec<Option<Severity>>)> =
        walked.into_iter().map(|(r, s, _, _)| (r, s)).collect();
    let settled = std::thread::scope(|scope| {
        if let (Some(cache), Some(records)) = (&cache, records) {
            scope.spawn(move || cache.write(records.into_iter()));
        }
        // on a worker too: the cross-file rules get the workers' stack, not the caller's
        pool.install(|| {
            settle(
                &project, &config, &rules, &metas, &selection, n_engine, &plans, results,
            )
        })
    });
    phases::mark("settle and cache write");
    // `graph` (a different rule selection, so a different key) keeps `check`'s result in place
    if let (Some(cache), Some(key), false) = (&cache, result_key, opts.need_architecture) {
        cache.write_result(&cache::RunResult::new(
            key,
            settled.diagnostics.clone(),
            settled.files_checked,
            settled
                .checked_files
                .iter()
                .map(|f| f.to_string())
                .collect(),
        ));
    }
    let root = project.root.clone();
    let architecture = settled.dep_graph.map(|graph| Architecture {
        files: project.files,
        graph,
    });
    phases::report();
    Ok(CheckResult {
        diagnostics: settled.diagnostics,
        files_checked: settled.files_checked,
        checked_files: settled.checked_files,
        root,
        config,
        elapsed: started.elapsed(),
        metas,
        architecture,
    })
}

/// Which rules run on a file (metas' order), their severity overrides, and its dispatch list.
type Plan = (Vec<bool>, Vec<Option<Severity>>, usize);

/// What [`settle`] returns: the findings to report, the files checked, the dependency graph.
struct Settled {
    diagnostics: Vec<Diagnostic>,
    files_checked: usize,
    checked_files: Vec<Arc<str>>,
    dep_graph: Option<DepGraph>,
}

/// The end of a check, after the walk: the rules' cross-file pass on the facts, the settling of
/// conditional findings, suppressions and their hygiene, severities, the sort and the
/// fingerprints. `results[i]` and `plans[i]` are the walk and the rule plan of `project.files[i]`;
/// only files with `report` set are reported. Shared with [`SourceChecker`].
#[allow(clippy::too_many_arguments)]
fn settle(
    project: &Project,
    config: &Config,
    rules: &[Box<dyn Rule>],
    metas: &[&'static RuleMeta],
    selection: &Selection,
    n_engine: usize,
    plans: &[Plan],
    results: Vec<(FileResult, Vec<Option<Severity>>)>,
) -> Settled {
    // ---- cross-file --------------------------------------------------------------------------
    let mut all_handlers: Vec<&str> = Vec::new();
    let mut reexports: FxHashMap<&str, &str> = FxHashMap::default();
    let mut facts: Vec<(usize, &Fact, usize)> = Vec::new();
    for (fi, (r, _)) in results.iter().enumerate() {
        all_handlers.extend(r.handlers.iter().map(String::as_str));
        for (a, t) in &r.reexports {
            reexports.insert(a.as_str(), t.as_str());
        }
        for (rule, fact) in &r.facts {
            facts.push((*rule, fact, fi));
        }
    }
    let handlers = canonical_handlers(&all_handlers, &reexports);
    let wants_deps = rules
        .iter()
        .enumerate()
        .any(|(i, r)| r.hooks().contains(Hooks::DEPS) && selection.base[n_engine + i]);
    // the dependency graph and the offloading parameters are independent: built side by side
    let (dep_graph, offloaders) = rayon::join(
        || {
            wants_deps.then(|| {
                let per_file: Vec<&FileDeps> = results.iter().map(|(r, _)| &r.deps).collect();
                crate::deps::assemble(project, &config.layers, &per_file, &reexports)
            })
        },
        || offloading_params(&results, &reexports),
    );
    // each rule's cross-file pass reads only shared facts: the rules run in parallel, and their
    // findings are concatenated in rule order, so the output does not depend on the schedule
    let mut by_rule: Vec<Vec<(&Fact, &FileInfo)>> = vec![Vec::new(); rules.len()];
    for (r, f, fi) in &facts {
        if let Some(mine) = r.checked_sub(n_engine).and_then(|i| by_rule.get_mut(i)) {
            mine.push((*f, &project.files[*fi]));
        }
    }
    let project_diags: Vec<Diagnostic> = rules
        .par_iter()
        .zip(by_rule)
        .enumerate()
        .with_max_len(1)
        .filter(|(i, (rule, _))| {
            rule.hooks().contains(Hooks::PROJECT) && selection.base[n_engine + i]
        })
        .map(|(_, (rule, mine))| {
            let mut cx = ProjectCx {
                project,
                config,
                meta: rule.meta(),
                facts: mine,
                handlers: &handlers,
                reexports: &reexports,
                deps: dep_graph.as_ref(),
                offloaders: &offloaders,
                out: Vec::new(),
            };
            // a panic in a rule's cross-file pass costs that rule's findings, not the run
            let ran = std::panic::catch_unwind(AssertUnwindSafe(move || {
                rule.check_project(&mut cx);
                cx.out
            }));
            match ran {
                Ok(out) => out,
                Err(panic) => project
                    .files
                    .first()
                    .map(|first| {
                        new_diag(
                            &INTERNAL_ERROR,
                            Loc::file_start(first.rel.clone()),
                            format!(
                                "stratalint failed in the cross-file pass of `{}`: {}",
                                rule.meta().id,
                                panic_message(&*panic)
                            ),
                        )
                        .with_help("this is a bug in stratalint; please report it")
                    })
                    .into_iter()
                    .collect(),
            }
        })
        .flatten()
        .collect();

    // ---- settle, suppress, set severities --------------------------------------------------------
    let by_file: FxHashMap<&str, usize> = project
        .files
        .iter()
        .enumerate()
        .map(|(i, f)| (&*f.rel, i))
        .collect();
    let mut per_file: Vec<Vec<Diagnostic>> = results.iter().map(|_| Vec::new()).collect();
    let mut loose: Vec<Diagnostic> = Vec::new();
    let mut sevs: Vec<Vec<Option<Severity>>> = Vec::with_capacity(results.len());
    let mut directives: Vec<Vec<Directive>> = Vec::with_capacity(results.len());
    let mut files_checked = 0;
    let mut checked_files = Vec::new();
    let mut malformed_all: Vec<(usize, Malformed)> = Vec::new();
    for (fi, (r, sev)) in results.into_iter().enumerate() {
        if r.checked && project.files[fi].report {
            files_checked += 1;
            checked_files.push(project.files[fi].rel.clone());
        }
        per_file[fi].extend(r.diags);
        sevs.push(sev);
        directives.push(r.directives);
        malformed_all.extend(r.malformed.into_iter().map(|m| (fi, m)));
    }
    for d in project_diags {
        match by_file.get(&*d.loc.file) {
            Some(&fi) => per_file[fi].push(d),
            None => loose.push(d),
        }
    }
    for (loc, message) in &project.problems {
        let d = new_diag(&SYNTAX_ERROR, loc.clone(), message.clone());
        match by_file.get(&*loc.file) {
            Some(&fi) => per_file[fi].push(d),
            None => loose.push(d),
        }
    }
    let meta_index: FxHashMap<&str, usize> =
        metas.iter().enumerate().map(|(i, m)| (m.id, i)).collect();
    let mut out: Vec<Diagnostic> = Vec::new();
    for (fi, mut diags) in per_file.into_iter().enumerate() {
        let file = &project.files[fi];
        if !file.report {
            continue;
        }
        let on = &plans[fi].0;
        diags.retain(|d| match &d.requires {
            Some(Requirement::FnIsHandler(path)) => handlers.contains(path.as_str()),
            Some(Requirement::NotOffloaded { callee, arg }) => {
                !offloaders.contains(&(callee.clone(), *arg))
            }
            None => true,
        });
        for d in &mut diags {
            d.requires = None;
        }
        let dirs = &mut directives[fi];
        suppress::apply(&mut diags, dirs);
        // suppression hygiene
        if on[meta_index[INVALID_SUPPRESSION.id]] {
            for (mfi, m) in malformed_all.iter().filter(|(i, _)| *i == fi) {
                let _ = mfi;
                diags.push(new_diag(
                    &INVALID_SUPPRESSION,
                    m.loc.clone(),
                    m.message.clone(),
                ));
            }
            for dir in dirs.iter() {
                for (id, loc) in &dir.ids {
                    let known = meta_index.contains_key(id.as_str())
                        || crate::diagnostic::Family::parse(id).is_some();
                    if !known {
                        let ids: Vec<&str> = metas.iter().map(|m| m.id).collect();
                        let mut d = new_diag(
                            &INVALID_SUPPRESSION,
                            loc.clone(),
                            format!("unknown rule `{id}` in suppression"),
                        );
                        if let Some(h) = config::suggest(id, &ids) {
                            d = d.with_help(h);
                        }
                        diags.push(d);
                    }
                }
                if config.require_reason && dir.reason.is_none() {
                    diags.push(
                        new_diag(
                            &INVALID_SUPPRESSION,
                            dir.loc.clone(),
                            "suppression without a reason",
                        )
                        .with_help("say why after `--`: `// stratalint: allow(rule-id) -- reason`"),
                    );
                }
            }
        }
        if on[meta_index[UNUSED_SUPPRESSION.id]] {
            for dir in dirs.iter() {
                for (i, (id, loc)) in dir.ids.iter().enumerate() {
                    if dir.used[i] {
                        continue;
                    }
                    // only ids of rules that ran here can be unused
                    let active = metas
                        .iter()
                        .enumerate()
                        .any(|(mi, m)| on[mi] && (m.id == id || m.family.as_str() == id));
                    if active {
                        diags.push(
                            new_diag(
                                &UNUSED_SUPPRESSION,
                                loc.clone(),
                                format!(
                                    "`{id}` is suppressed here but nothing to suppress was found"
                                ),
                            )
                            .with_help("remove it from the suppression comment"),
                        );
                    }
                }
            }
        }
        let sev = &sevs[fi];
        for mut d in diags {
            let Some(&mi) = meta_index.get(d.rule) else {
                continue;
            };
            if !on[mi] {
                continue;
            }
            if let Some(s) = sev[mi] {
                d.severity = s;
            }
            out.push(d);
        }
    }
    out.extend(loose);
    out.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    out.dedup_by(|a, b| {
        a.rule == b.rule
            && a.loc.start == b.loc.start
            && a.loc.end == b.loc.end
            && a.loc.file == b.loc.file
            && a.message == b.message
    });
    assign_fingerprints(&mut out);
    Settled {
        diagnostics: out,
        files_checked,
        checked_files,
        dep_graph,
    }
}

fn parse_cli_selectors(
    list: &[String],
    metas: &[&'static RuleMeta],
    flag: &str,
) -> Result<Vec<Selector>, CheckError> {
    let mut out = Vec::new();
    for item in list
        .iter()
        .flat_map(|s| s.split(','))
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        match Selector::parse(item, metas) {
            Some(s) => out.push(s),
            None => {
                let mut names: Vec<&str> = metas.iter().map(|m| m.id).collect();
                names.extend(crate::diagnostic::Family::ALL.iter().map(|f| f.as_str()));
                let hint = config::suggest(item, &names)
                    .map(|h| format!(" ({h})"))
                    .unwrap_or_default();
                return Err(CheckError::Usage(format!(
                    "unknown rule or family `{item}` in {flag}{hint}; `stratalint rules` lists them"
                )));
            }
        }
    }
    Ok(out)
}

/// Registered handler paths, with every `pub use` alias resolved to where the function is defined.
fn canonical_handlers(registered: &[&str], reexports: &FxHashMap<&str, &str>) -> FxHashSet<String> {
    let mut out = FxHashSet::default();
    for &r in registered {
        let mut cur = r.to_string();
        out.insert(cur.clone());
        for _ in 0..8 {
            let next = if let Some(t) = reexports.get(cur.as_str()) {
                Some(t.to_string())
            } else {
                // through a glob re-export: a::* → b means a::f is b::f
                cur.rsplit_once("::").and_then(|(module, name)| {
                    reexports
                        .get(format!("{module}::*").as_str())
                        .map(|t| format!("{t}::{name}"))
                })
            };
            match next {
                Some(n) if n != cur => {
                    out.insert(n.clone());
                    cur = n;
                }
                _ => break,
            }
        }
    }
    out
}

/// Follow `pub use` re-exports from an alias to what it names.
fn through_reexports<'a>(reexports: &FxHashMap<&'a str, &'a str>, path: &'a str) -> &'a str {
    let mut cur = path;
    for _ in 0..8 {
        match reexports.get(cur) {
            Some(&t) if t != cur => cur = t,
            _ => break,
        }
    }
    cur
}

/// (function, parameter) pairs whose argument runs off the executor: the function hands it to an
/// escape hatch, directly or through other functions that do.
fn offloading_params(
    results: &[(FileResult, Vec<Option<Severity>>)],
    reexports: &FxHashMap<&str, &str>,
) -> FxHashSet<(String, usize)> {
    let mut set: FxHashSet<(String, usize)> = results
        .iter()
        .flat_map(|(r, _)| r.offloaders.iter().cloned())
        .collect();
    let edges: Vec<(&str, usize, String, usize)> = results
        .iter()
        .flat_map(|(r, _)| r.offload_edges.iter())
        .map(|(f, k, callee, i)| {
            let callee = through_reexports(reexports, callee).to_string();
            (f.as_str(), *k, callee, *i)
        })
        .collect();
    loop {
        let mut changed = false;
        for (f, k, callee, i) in &edges {
            if set.contains(&(callee.clone(), *i)) && set.insert((f.to_string(), *k)) {
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    // the same functions under their `pub use` names
    let aliases: Vec<(String, usize)> = reexports
        .keys()
        .flat_map(|alias| {
            let target = through_reexports(reexports, alias);
            set.iter()
                .filter(move |(f, _)| *f == target)
                .map(|(_, k)| (alias.to_string(), *k))
                .collect::<Vec<_>>()
        })
        .collect();
    set.extend(aliases);
    set
}

/// What a rule's `check_project` sees.
pub struct ProjectCx<'a> {
    pub project: &'a Project,
    pub config: &'a Config,
    meta: &'static RuleMeta,
    facts: Vec<(&'a Fact, &'a FileInfo)>,
    handlers: &'a FxHashSet<String>,
    reexports: &'a FxHashMap<&'a str, &'a str>,
    deps: Option<&'a DepGraph>,
    offloaders: &'a FxHashSet<(String, usize)>,
    out: Vec<Diagnostic>,
}

impl<'a> ProjectCx<'a> {
    /// This rule's facts of type `T`, with the file each came from.
    pub fn facts<T: std::any::Any + Send + Sync + serde::de::DeserializeOwned>(
        &self,
    ) -> impl Iterator<Item = (&'a T, &'a FileInfo)> + '_ {
        self.facts
            .iter()
            .filter_map(|(f, file)| f.get::<T>().map(|t| (t, *file)))
    }

    /// Is the function at this canonical path registered as a route handler?
    pub fn is_handler(&self, path: &str) -> bool {
        self.handlers.contains(path)
    }

    /// Follow `pub use` re-exports from an alias to what it names.
    pub fn through_reexports<'p>(&self, path: &'p str) -> &'p str
    where
        'a: 'p,
    {
        through_reexports(self.reexports, path)
    }

    /// Does the function `callee` run its argument number `arg` off the executor (it hands it to
    /// `spawn_blocking` or another escape hatch, directly or through other functions)? See
    /// [`crate::visit::Cx::enclosing_closure_call`].
    pub fn offloads(&self, callee: &str, arg: usize) -> bool {
        self.offloaders
            .contains(&(self.through_reexports(callee).to_string(), arg))
    }

    /// Follow `pub use` re-exports, globs included and across files, to where an item is
    /// defined (see [`crate::deps::follow_reexports`]).
    pub fn defined_path(&self, path: &str) -> String {
        let items = self.deps.map_or(&[][..], |g| g.items.as_slice());
        crate::deps::follow_reexports(path, self.project, self.reexports, items)
    }

    /// The layer of the item a canonical path names, after re-exports.
    pub fn layer_of_path(&self, path: &str) -> Option<LayerId> {
        self.project
            .layer_of_path(&self.defined_path(path), &self.config.layers)
    }

    pub fn layers(&self) -> &'a LayerMap {
        &self.config.layers
    }

    /// The project's dependencies (empty unless the rule declared [`Hooks::DEPS`]).
    pub fn dependencies(&self) -> &'a [Dependency] {
        self.deps.map_or(&[], |g| g.deps.as_slice())
    }

    /// The file at an index of [`Project::files`] (as in [`Dependency::from`]).
    pub fn file(&self, index: usize) -> &'a FileInfo {
        &self.project.files[index]
    }

    pub fn diag_at(&self, loc: Loc, message: impl Into<String>) -> Diagnostic {
        new_diag(self.meta, loc, message)
    }

    pub fn report(&mut self, d: Diagnostic) {
        self.out.push(d);
    }
}

/// Read, parse and walk one file. Never panics: a panic inside a rule becomes an
/// `internal-error` finding for the file.
#[allow(clippy::too_many_arguments)]
fn check_file(
    file: &FileInfo,
    read: Option<std::io::Result<Vec<u8>>>,
    project: &Project,
    config: &Config,
    rules: &[Box<dyn Rule>],
    rule_metas: &[&'static RuleMeta],
    dispatch: &Dispatch<'_>,
    n_engine: usize,
    on: &[bool],
) -> FileResult {
    let result = std::panic::catch_unwind(AssertUnwindSafe(|| {
        check_file_inner(
            file, read, project, config, rules, rule_metas, dispatch, n_engine, on,
        )
    }));
    #[cfg(not(fuzzing))]
    proc_macro2::extra::invalidate_current_thread_spans();
    match result {
        Ok(r) => r,
        Err(panic) => {
            let msg = panic_message(&*panic);
            FileResult {
                diags: vec![new_diag(
                    &INTERNAL_ERROR,
                    Loc::file_start(file.rel.clone()),
                    format!("stratalint failed while checking this file: {msg}"),
                )
                .with_help(
                    "this is a bug in stratalint; please report it with the file if you can",
                )],
                checked: true,
                ..FileResult::default()
            }
        }
    }
}

/// The text a panic was raised with.
fn panic_message(panic: &(dyn std::any::Any + Send)) -> &str {
    panic
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| panic.downcast_ref::<&str>().copied())
        .unwrap_or("unknown panic")
}

#[allow(clippy::too_many_arguments)]
fn check_file_inner(
    file: &FileInfo,
    read: Option<std::io::Result<Vec<u8>>>,
    project: &Project,
    config: &Config,
    rules: &[Box<dyn Rule>],
    rule_metas: &[&'static RuleMeta],
    dispatch: &Dispatch<'_>,
    n_engine: usize,
    on: &[bool],
) -> FileResult {
    let mut res = FileResult {
        checked: true,
        ..FileResult::default()
    };
    let engine_diag = |meta: &'static RuleMeta, loc: Loc, msg: String| new_diag(meta, loc, msg);
    // not read: above the size limit
    let Some(read) = read else {
        res.diags.push(
            engine_diag(
                &FILE_TOO_LARGE,
                Loc::file_start(file.rel.clone()),
                format!(
                    "file is {} bytes, above the {}-byte limit; it was not checked",
                    file.size, config.files.max_file_size
                ),
            )
            .with_help("raise `files.max-file-size` to check it, or exclude it in `files.exclude`"),
        );
        return res;
    };
    let bytes = match read {
        Ok(b) => b,
        Err(e) => {
            res.diags.push(engine_diag(
                &UNREADABLE_FILE,
                Loc::file_start(file.rel.clone()),
                format!("cannot read file: {e}"),
            ));
            return res;
        }
    };
    let rule_on = |i: usize| on.get(n_engine + i).copied().unwrap_or(false);
    let decoded = SourceText::decode(bytes);
    if file.kind != FileKind::Rust {
        let src = decoded.ok();
        if let Some(src) = &src {
            let marker = if file.kind == FileKind::Python {
                "#"
            } else {
                "--"
            };
            let (d, m) = suppress::scan_text(src, &file.rel, marker);
            res.directives = d;
            res.malformed = m;
        }
        let tf = TextFile {
            rel_path: &file.rel,
            text: src.as_ref(),
            info: file,
        };
        for (i, rule) in rules.iter().enumerate() {
            if rule_on(i) && rule.hooks().contains(Hooks::TEXT_FILE) {
                let mut cx = TextCx {
                    info: file,
                    source: src.as_ref(),
                    meta: rule.meta(),
                    diags: &mut res.diags,
                    facts: &mut res.facts,
                    rule_index: n_engine + i,
                };
                rule.check_text_file(&mut cx, &tf);
            }
        }
        return res;
    }
    let src = match decoded {
        Ok(s) => s,
        Err(DecodeError::NotUtf8 {
            valid_up_to,
            line,
            column,
        }) => {
            let mut loc = Loc::file_start(file.rel.clone());
            loc.start = valid_up_to;
            loc.end = valid_up_to + 1;
            loc.start_pos = crate::diagnostic::Position { line, column };
            loc.end_pos = crate::diagnostic::Position {
                line,
                column: column + 1,
            };
            res.diags.push(
                engine_diag(
                    &UNREADABLE_FILE,
                    loc,
                    format!("file is not valid UTF-8 (invalid byte at offset {valid_up_to}); it was not checked"),
                )
                .with_help("Rust sources must be UTF-8; re-encode the file"),
            );
            return res;
        }
        Err(DecodeError::TooLarge { len }) => {
            res.diags.push(engine_diag(
                &FILE_TOO_LARGE,
                Loc::file_start(file.rel.clone()),
                format!("file is {len} bytes; it was not checked"),
            ));
            return res;
        }
    };
    let t_pre = phases::start();
    let (directives, malformed) = suppress::scan_rust(&src, &file.rel);
    res.directives = directives;
    res.malformed = malformed;
    let scan = crate::lexer::scan(src.text());
    let depth = scan.depth;
    if depth > MAX_NESTING {
        res.diags.push(
            engine_diag(
                &FILE_TOO_LARGE,
                Loc::file_start(file.rel.clone()),
                format!("code nests {depth} levels deep (limit {MAX_NESTING}); the file was not checked"),
            )
            .with_help("such nesting is generated code: exclude the file in `files.exclude`"),
        );
        return res;
    }
    let t_parse = phases::lap(phases::PRE, t_pre);
    let ast = match syn::parse_file(&crate::lexer::without_docs(src.text(), &scan.docs)) {
        Ok(ast) => ast,
        Err(e) => {
            let r = e.span().byte_range();
            let loc = Loc {
                file: file.rel.clone(),
                start: src.file_offset(r.start),
                end: src.file_offset(r.end.max(r.start)),
                start_pos: src.position(r.start),
                end_pos: src.position(r.end.max(r.start)),
                item: Arc::from(""),
                snippet_hash: 0,
            };
            res.diags.push(
                engine_diag(&SYNTAX_ERROR, loc, format!("cannot parse this file: {e}"))
                    .with_help("the other files were checked; fix the syntax to check this one"),
            );
            return res;
        }
    };
    let t_walk = phases::lap(phases::PARSE, t_parse);
    let arena = typed_arena::Arena::new();
    let out: FileOutput = {
        let walker = Walker::new(
            file,
            project,
            config,
            &src,
            rule_metas,
            dispatch,
            &arena,
            &config.escape_hatches,
        );
        walker.walk_file(&ast)
    };
    let t_drop = phases::lap(phases::WALK, t_walk);
    drop(arena);
    drop(ast);
    phases::lap(phases::DROP, t_drop);
    res.diags.extend(out.diags);
    res.facts = out
        .facts
        .into_iter()
        .map(|(i, f)| (i + n_engine, f))
        .collect();
    res.handlers = out.handlers;
    res.reexports = out.reexports;
    res.deps = out.deps;
    res.offloaders = out.offloaders;
    res.offload_edges = out.offload_edges;
    res
}

/// Time spent per phase of the per-file pipeline, summed over threads, for profiling: set
/// `STRATALINT_PHASE_TIMES=1` and `check` prints the totals to stderr. Comparing phases within one
/// run stays meaningful on a busy machine, where wall times do not.
mod phases {
    use std::sync::atomic::{AtomicU64, Ordering};
    use std::sync::OnceLock;
    use std::time::Instant;

    pub const PRE: usize = 0;
    pub const PARSE: usize = 1;
    pub const WALK: usize = 2;
    pub const DROP: usize = 3;
    const NAMES: [&str; 4] = ["suppressions+depth", "parse", "walk", "drop"];
    static NANOS: [AtomicU64; 4] = [const { AtomicU64::new(0) }; 4];

    fn on() -> bool {
        static ON: OnceLock<bool> = OnceLock::new();
        *ON.get_or_init(|| std::env::var_os("STRATALINT_PHASE_TIMES").is_some())
    }

    pub fn start() -> Option<Instant> {
        on().then(Instant::now)
    }

    /// Add the time since `since` to `phase`; start the next phase.
    pub fn lap(phase: usize, since: Option<Instant>) -> Option<Instant> {
        let since = since?;
        let now = Instant::now();
        NANOS[phase].fetch_add((now - since).as_nanos() as u64, Ordering::Relaxed);
        Some(now)
    }

    /// Wall-clock milestones of the run (the serial stretches between the parallel ones).
    static MARKS: std::sync::Mutex<Vec<(&'static str, Instant)>> =
        std::sync::Mutex::new(Vec::new());

    pub fn mark(name: &'static str) {
        if on() {
            if let Ok(mut m) = MARKS.lock() {
                m.push((name, Instant::now()));
            }
        }
    }

    pub fn report() {
        if !on() {
            return;
        }
        if let Ok(m) = MARKS.lock() {
            for w in m.windows(2) {
                eprintln!(
                    "{:>20}: {:8.1} ms  (wall)",
                    w[1].0,
                    (w[1].1 - w[0].1).as_secs_f64() * 1e3
                );
            }
        }
        let parse = NANOS[PARSE].load(Ordering::Relaxed).max(1) as f64;
        for (name, n) in NAMES.iter().zip(&NANOS) {
            let n = n.load(Ordering::Relaxed) as f64;
            eprintln!("{name:>20}: {:8.1} ms  ({:.3}× parse)", n / 1e6, n / parse);
        }
    }
}

/// The order in which files are handed to the workers: largest first, so that no large file
/// starts last and keeps one worker busy after the others ran out of work.
fn largest_first(project: &Project) -> Vec<usize> {
    let mut order: Vec<usize> = (0..project.files.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(project.files[i].size));
    order
}

/// The parse-only floor for benchmarks: the same discovery, walk and reads, and a syn parse of
/// every Rust file, nothing else. With `like_check`, the parse step of [`check`] instead: the
/// pre-parse scan, then a parse of the text with doc comments made plain comments. Returns
/// (files parsed, elapsed).
pub fn parse_only(opts: &CheckOptions, like_check: bool) -> Result<(usize, Duration), CheckError> {
    let started = Instant::now();
    let metas: Vec<&'static RuleMeta> = crate::engine_rules::metas().to_vec();
    let (config, anchor, paths) = load_config(opts, &metas)?;
    let root = project::find_root(&anchor, &config);
    let project = project::discover(&root, &paths, &[], &config, opts.force_exclude);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(opts.jobs.unwrap_or(0))
        .stack_size(WORKER_STACK)
        .build()
        .map_err(|e| CheckError::Usage(e.to_string()))?;
    // scheduled as `check` schedules its files (largest first, one file per job), so that the
    // comparison is of the work done, not of the load balance
    let order = largest_first(&project);
    let parsed: usize = pool.install(|| {
        order
            .par_iter()
            .with_max_len(1)
            .map(|&i| &project.files[i])
            .filter(|f| f.kind == FileKind::Rust && f.size <= config.files.max_file_size)
            .map(|f| {
                let Ok(bytes) = std::fs::read(&f.abs) else {
                    return 0;
                };
                let Ok(src) = SourceText::decode(bytes) else {
                    return 0;
                };
                let ok = if like_check {
                    let scan = crate::lexer::scan(src.text());
                    scan.depth <= MAX_NESTING
                        && syn::parse_file(&crate::lexer::without_docs(src.text(), &scan.docs))
                            .is_ok()
                } else {
                    syn::parse_file(src.text()).is_ok()
                };
                #[cfg(not(fuzzing))]
                proc_macro2::extra::invalidate_current_thread_spans();
                usize::from(ok)
            })
            .sum()
    });
    Ok((parsed, started.elapsed()))
}
