//! The content-hash cache: what the walk of a file produced (findings, facts, the engine's own
//! records, suppression directives), kept in `<root>/.stratalint_cache/` so that a file whose
//! content has not changed is not read into a tree again.
//!
//! A run's cache is valid only for the same key: the stratalint build, the configuration and rule
//! selection, and the project's shape (each file's module, layer, crate and test status, the crates
//! and their dependencies), since all of these change what a file's walk finds. Inside a key, an
//! entry is used when the file's content hash matches. Files with findings are cached too.
//!
//! The cache is written atomically (a temporary file renamed into place); a cache that cannot be
//! read or written is ignored, never an error.

use std::hash::{Hash, Hasher};
use std::io::Write;
use std::ops::Range;
use std::path::{Path, PathBuf};

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use crate::config::Config;
use crate::deps::FileDeps;
use crate::diagnostic::Diagnostic;
use crate::project::{Project, Stamp};
use crate::suppress::{Directive, Malformed};

/// The cache directory under the project root.
pub const DIR: &str = ".stratalint_cache";

const FORMAT: u32 = 2;

type Out = std::io::BufWriter<std::fs::File>;

/// What the walk of one file produced, as stored.
#[derive(Serialize, Deserialize, Default)]
pub struct Entry {
    pub diags: Vec<Diagnostic>,
    /// (rule index, fact type, the fact's JSON embedded as it is, not as an escaped string)
    pub facts: Vec<(usize, String, Box<RawValue>)>,
    pub handlers: Vec<String>,
    pub reexports: Vec<(String, String)>,
    pub deps: FileDeps,
    pub offloaders: Vec<(String, usize)>,
    pub offload_edges: Vec<(String, usize, String, usize)>,
    pub directives: Vec<Directive>,
    pub malformed: Vec<Malformed>,
    pub checked: bool,
}

/// One file's record as [`Cache::write`] takes it: encoded now, or the bytes the loaded cache
/// holds for it (a file served from the cache is written back as it was read, not decoded and
/// encoded again).
pub enum Record<'a> {
    New(Box<Entry>),
    Kept(&'a [u8]),
}

/// What [`Cache::write`] takes per file: path, content hash, stamp (for a settled file), record.
pub type Written<'a> = (&'a str, u64, Option<Stamp>, Record<'a>);

/// The entries of the previous run with the same key: the file's bytes as read, and where each
/// file's record is in them. A record is decoded only when [`Cache::get`] asks for it, on the
/// worker that needs it.
///
/// The file (`v2.entries`) is a header line `stratalint-cache <format> <key>` and then, per file,
/// a line `<path length> <content hash> <record length> <stamp id> <stamp time>` followed by the
/// path and the record (the JSON of an [`Entry`]). Lengths rather than separators: a path may hold
/// any byte, and loading never scans the records. The stamp (0 0 for none) is what `stat` said of
/// the file when it was hashed ([`Stamp`]).
pub struct Cache {
    file: PathBuf,
    key: u64,
    bytes: Vec<u8>,
    index: Index,
}

/// Each file's content hash, stamp, and where its record is.
type Index = FxHashMap<Box<str>, Indexed>;

struct Indexed {
    hash: u64,
    stamp: Option<Stamp>,
    range: Range<usize>,
}

/// Where each record of a cache file is, if the file is whole and has `key` (see [`Cache`]).
fn index_records(bytes: &[u8], key: u64) -> Option<Index> {
    // a line of numbers separated by single spaces
    fn numbers(bytes: &[u8], at: &mut usize) -> Option<Vec<u64>> {
        let rest = bytes.get(*at..)?;
        let end = memchr::memchr(b'\n', rest)?;
        let text = std::str::from_utf8(&rest[..end]).ok()?;
        *at += end + 1;
        text.split(' ').map(|n| n.parse().ok()).collect()
    }
    let mut at = "stratalint-cache ".len();
    if bytes.get(..at)? != b"stratalint-cache "
        || numbers(bytes, &mut at)? != [u64::from(FORMAT), key]
    {
        return None;
    }
    let mut index = FxHashMap::default();
    while at < bytes.len() {
        let [rel_len, hash, len, id, changed] = numbers(bytes, &mut at)?[..] else {
            return None;
        };
        let stamp = (id, changed) != (0, 0);
        let rel_end = at.checked_add(usize::try_from(rel_len).ok()?)?;
        let rel = std::str::from_utf8(bytes.get(at..rel_end)?).ok()?;
        let end = rel_end.checked_add(usize::try_from(len).ok()?)?;
        bytes.get(rel_end..end)?;
        let indexed = Indexed {
            hash,
            stamp: stamp.then_some(Stamp { id, changed }),
            range: rel_end..end,
        };
        index.insert(Box::from(rel), indexed);
        at = end;
    }
    Some(index)
}

/// A hash of file content: XXH3-64, a checksum hash (stable across builds and machines; the
/// standard library's SipHash spent 2.5 instructions a byte, a third of a cold run's hashing
/// being the cache's own cost).
pub fn content_hash(bytes: &[u8]) -> u64 {
    xxhash_rust::xxh3::xxh3_64(bytes)
}

/// What makes one run's findings comparable with another's: see the module docs.
pub fn run_key(config: &Config, project: &Project, selection: &[bool], extra: &[&str]) -> u64 {
    let mut h = std::hash::DefaultHasher::new();
    FORMAT.hash(&mut h);
    env!("CARGO_PKG_VERSION").hash(&mut h);
    // the build itself: a rebuilt binary may walk differently under the same version
    if let Some(meta) = std::env::current_exe()
        .ok()
        .and_then(|e| std::fs::metadata(e).ok())
    {
        meta.len().hash(&mut h);
        if let Ok(t) = meta.modified() {
            t.hash(&mut h);
        }
    }
    config.text.as_deref().unwrap_or("").hash(&mut h);
    config.table_path.hash(&mut h);
    selection.hash(&mut h);
    extra.hash(&mut h);
    for c in &project.crates {
        (&c.name, &c.dir, &c.roots).hash(&mut h);
        let mut renames: Vec<_> = c.renames.iter().collect();
        renames.sort();
        renames.hash(&mut h);
        for d in &c.deps {
            (&d.name, &d.package).hash(&mut h);
        }
    }
    for f in &project.files {
        (
            &*f.rel,
            &f.module,
            f.crate_idx,
            f.layer,
            f.is_test,
            f.reachable,
        )
            .hash(&mut h);
        format!("{:?}", f.target).hash(&mut h);
    }
    h.finish()
}

impl Cache {
    /// The cache of the project at `root` for `key` (empty when there is none, it is for another
    /// key, or it cannot be read as a whole).
    pub fn load(root: &Path, key: u64) -> Cache {
        let file = root.join(DIR).join(format!("v{FORMAT}.entries"));
        let bytes = std::fs::read(&file).unwrap_or_default();
        let index = index_records(&bytes, key).unwrap_or_default();
        Cache {
            file,
            key,
            bytes,
            index,
        }
    }

    /// How many files the loaded cache holds.
    pub fn len(&self) -> usize {
        self.index.len()
    }

    pub fn is_empty(&self) -> bool {
        self.index.is_empty()
    }

    /// The stored record of `rel` if its content hash is `hash`, undecoded.
    pub fn raw(&self, rel: &str, hash: u64) -> Option<&[u8]> {
        let at = self.index.get(rel)?;
        (at.hash == hash)
            .then(|| self.bytes.get(at.range.clone()))
            .flatten()
    }

    /// The stamp stored for `rel`.
    pub fn stamp(&self, rel: &str) -> Option<Stamp> {
        self.index.get(rel).and_then(|at| at.stamp)
    }

    /// The content hash of `rel` without reading it: the one stored, when the file's stamp is the
    /// one stored with it (stored only for files that had settled before that run).
    pub fn known_hash(&self, rel: &str, stamp: Option<Stamp>) -> Option<u64> {
        let at = self.index.get(rel)?;
        (stamp.is_some() && at.stamp == stamp).then_some(at.hash)
    }

    /// The stored walk of `rel` if its content hash is `hash` (and its record decodes).
    pub fn get(&self, rel: &str, hash: u64) -> Option<Entry> {
        serde_json::from_slice(self.raw(rel, hash)?).ok()
    }

    /// Write this run's records (they replace the previous run's): `(path, content hash, stamp,
    /// record)`, the stamp only for a file that had settled before the run started.
    /// Each record goes into the file as it comes (never all of them encoded at once).
    pub fn write<'a>(&self, records: impl Iterator<Item = Written<'a>>) {
        write_atomically(&self.file, |out| {
            writeln!(out, "stratalint-cache {FORMAT} {}", self.key)?;
            let mut json = Vec::new();
            for (rel, hash, stamp, record) in records {
                let bytes = match &record {
                    Record::Kept(bytes) => bytes,
                    Record::New(entry) => {
                        json.clear();
                        serde_json::to_writer(&mut json, entry)?;
                        &json[..]
                    }
                };
                let (id, changed) = stamp.map_or((0, 0), |s| (s.id, s.changed));
                writeln!(out, "{} {hash} {} {id} {changed}", rel.len(), bytes.len())?;
                out.write_all(rel.as_bytes())?;
                out.write_all(bytes)?;
            }
            Ok(())
        });
    }

    /// Keep this run's findings for [`load_result`].
    pub fn write_result(&self, result: &RunResult) {
        write_atomically(&self.result_file(), |out| {
            serde_json::to_writer(out, result)?;
            Ok(())
        });
    }

    fn result_file(&self) -> PathBuf {
        self.file.with_file_name(format!("v{FORMAT}.result.json"))
    }
}

/// The findings of the last run on the project at `root`, if it had this result key
/// ([`result_key`]): when no file changed since, they are this run's findings too, without walking
/// a file, running a cross-file pass or loading the per-file entries.
pub fn load_result(root: &Path, key: u64) -> Option<RunResult> {
    let bytes = std::fs::read(root.join(DIR).join(format!("v{FORMAT}.result.json"))).ok()?;
    serde_json::from_slice::<RunResult>(&bytes)
        .ok()
        .filter(|r| r.format == FORMAT && r.key == key)
}

/// Is there a kept whole-run result for the project at `root` (of any key)?
pub fn has_result(root: &Path) -> bool {
    root.join(DIR)
        .join(format!("v{FORMAT}.result.json"))
        .is_file()
}

/// A whole run's settled findings, kept beside the per-file entries.
#[derive(Serialize, Deserialize)]
pub struct RunResult {
    pub format: u32,
    pub key: u64,
    pub diagnostics: Vec<Diagnostic>,
    pub files_checked: usize,
    pub checked_files: Vec<String>,
}

impl RunResult {
    pub fn new(
        key: u64,
        diagnostics: Vec<Diagnostic>,
        files_checked: usize,
        checked_files: Vec<String>,
    ) -> RunResult {
        RunResult {
            format: FORMAT,
            key,
            diagnostics,
            files_checked,
            checked_files,
        }
    }
}

/// What a run's settled findings depend on beyond the run key: every file's content (its hash,
/// 0 when it was not read) and whether the file is reported (named on the command line or under a
/// named directory) or only context.
pub fn result_key(run_key: u64, project: &Project, hashes: impl Iterator<Item = u64>) -> u64 {
    let mut h = std::hash::DefaultHasher::new();
    run_key.hash(&mut h);
    for (f, hash) in project.files.iter().zip(hashes) {
        (&*f.rel, hash, f.report).hash(&mut h);
    }
    h.finish()
}

/// Write `file` (with `write`) through a temporary file renamed into place, creating the cache
/// directory (with its `.gitignore` and `CACHEDIR.TAG`) if needed. Failures are ignored: the
/// cache is an optimisation.
fn write_atomically(
    file: &Path,
    write: impl FnOnce(&mut Out) -> Result<(), Box<dyn std::error::Error>>,
) {
    let Some(dir) = file.parent() else {
        return;
    };
    if std::fs::create_dir_all(dir).is_err() {
        return;
    }
    // keep the cache out of version control and backups, as cargo does for target/
    let ignore = dir.join(".gitignore");
    if !ignore.exists() {
        let _ = std::fs::write(&ignore, "# written by stratalint\n*\n");
    }
    let tag = dir.join("CACHEDIR.TAG");
    if !tag.exists() {
        let _ = std::fs::write(
            &tag,
            "Signature: 8a477f597d28d172789f06886806bc55\n# stratalint's cache: https://bford.info/cachedir/\n",
        );
    }
    let tmp = file.with_extension(format!("tmp{}", std::process::id()));
    let written = std::fs::File::create(&tmp).is_ok_and(|f| {
        let mut out = std::io::BufWriter::new(f);
        write(&mut out).is_ok() && out.flush().is_ok()
    });
    if !written || std::fs::rename(&tmp, file).is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
}

/// Remove the cache of the project at `root`. Returns whether there was one.
pub fn clean(root: &Path) -> std::io::Result<bool> {
    let dir = root.join(DIR);
    if !dir.exists() {
        return Ok(false);
    }
    std::fs::remove_dir_all(dir)?;
    Ok(true)
}
