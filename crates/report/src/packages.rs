//! The Cargo package a file belongs to, for the `package_id` and `target` of `rustc-json` records.
//!
//! rust-analyzer keys flycheck diagnostics by `package_id` and clears them per package, so the ids
//! are the ones `cargo metadata` gives it: `path+file:///dir#name@version`, or `#version` when the
//! directory is named like the package. A file outside every package (a migration beside a virtual
//! workspace manifest) gets one id for the project root, so its findings are still kept and
//! cleared consistently.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::rc::Rc;

use crate::uri;

/// What a `compiler-message` record says about where a finding was compiled.
pub(crate) struct Package {
    pub(crate) id: String,
    pub(crate) manifest_path: PathBuf,
    pub(crate) target_name: String,
    /// `lib` or `bin`.
    pub(crate) target_kind: &'static str,
    pub(crate) src_path: PathBuf,
    pub(crate) edition: Option<String>,
}

/// Finds and remembers the package of each directory, reading each Cargo.toml at most once.
pub(crate) struct Packages {
    root: PathBuf,
    by_dir: HashMap<PathBuf, Rc<Package>>,
}

impl Packages {
    /// `root` must be absolute: ids contain it.
    pub(crate) fn new(root: &Path) -> Packages {
        Packages {
            root: root.to_path_buf(),
            by_dir: HashMap::new(),
        }
    }

    /// The package of `file` (relative to the root): the nearest Cargo.toml with a `[package]` at
    /// or above its directory, without leaving the root.
    pub(crate) fn of(&mut self, file: &str) -> Rc<Package> {
        let abs = self.root.join(file);
        let mut walked = Vec::new();
        let mut found = None;
        for dir in abs.ancestors().skip(1) {
            if !dir.starts_with(&self.root) {
                break;
            }
            if let Some(p) = self.by_dir.get(dir) {
                found = Some(p.clone());
                break;
            }
            walked.push(dir.to_path_buf());
            if let Some(p) = read_package(dir) {
                found = Some(Rc::new(p));
                break;
            }
        }
        let package = found.unwrap_or_else(|| Rc::new(fallback(&self.root)));
        for dir in walked {
            self.by_dir.insert(dir, package.clone());
        }
        package
    }
}

fn read_package(dir: &Path) -> Option<Package> {
    let manifest_path = dir.join("Cargo.toml");
    let manifest: toml::Table = std::fs::read_to_string(&manifest_path).ok()?.parse().ok()?;
    let package = manifest.get("package")?.as_table()?;
    let name = package.get("name")?.as_str()?.to_string();
    let inherited = |key: &str| workspace_package_field(dir, key);
    let field = |key: &str| match package.get(key) {
        Some(toml::Value::String(s)) => Some(s.clone()),
        Some(toml::Value::Table(t))
            if t.get("workspace").and_then(|w| w.as_bool()) == Some(true) =>
        {
            inherited(key)
        }
        _ => None,
    };
    let version = field("version").unwrap_or_else(|| "0.0.0".to_string());
    let edition = field("edition");
    let lib = manifest.get("lib").and_then(|l| l.as_table());
    let lib_path = lib
        .and_then(|l| l.get("path"))
        .and_then(|p| p.as_str())
        .map(|p| dir.join(p))
        .unwrap_or_else(|| dir.join("src/lib.rs"));
    let (target_kind, target_name, src_path) =
        if lib.is_none() && !lib_path.is_file() && dir.join("src/main.rs").is_file() {
            ("bin", name.clone(), dir.join("src/main.rs"))
        } else {
            let lib_name = lib
                .and_then(|l| l.get("name"))
                .and_then(|n| n.as_str())
                .unwrap_or(&name);
            ("lib", lib_name.replace('-', "_"), lib_path)
        };
    let id = package_id(dir, &name, &version);
    Some(Package {
        id,
        manifest_path,
        target_name,
        target_kind,
        src_path,
        edition,
    })
}

/// `[workspace.package].<key>` of the nearest workspace manifest at or above `dir`, found as
/// Cargo finds it (possibly above the stratalint root).
fn workspace_package_field(dir: &Path, key: &str) -> Option<String> {
    for d in dir.ancestors() {
        let text = std::fs::read_to_string(d.join("Cargo.toml")).ok();
        let manifest: Option<toml::Table> = text.and_then(|t| t.parse().ok());
        if let Some(ws) = manifest.as_ref().and_then(|m| m.get("workspace")) {
            return ws.get("package")?.get(key)?.as_str().map(str::to_string);
        }
    }
    None
}

/// Cargo's package id spec for a path dependency.
fn package_id(dir: &Path, name: &str, version: &str) -> String {
    let url = uri::cargo_file_url(dir);
    if url.rsplit('/').next() == Some(name) {
        format!("path+{url}#{version}")
    } else {
        format!("path+{url}#{name}@{version}")
    }
}

/// The stand-in package for files outside every package, named after the root directory.
fn fallback(root: &Path) -> Package {
    let name = root
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "stratalint".to_string());
    Package {
        id: package_id(root, &name, "0.0.0"),
        manifest_path: root.join("Cargo.toml"),
        target_name: name.replace('-', "_"),
        target_kind: "lib",
        src_path: root.join("src/lib.rs"),
        edition: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packages_and_ids() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().canonicalize().unwrap();
        let write = |path: &str, text: &str| {
            let p = root.join(path);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        };
        write(
            "Cargo.toml",
            "[workspace]\nmembers = [\"crates/*\"]\n[workspace.package]\nversion = \"1.2.3\"\n",
        );
        write(
            "crates/api/Cargo.toml",
            "[package]\nname = \"my-api\"\nversion.workspace = true\nedition = \"2021\"\n",
        );
        write("crates/api/src/lib.rs", "");
        write("crates/web/Cargo.toml", "[package]\nname = \"web\"\n");
        write("crates/web/src/main.rs", "");
        let mut packages = Packages::new(&root);

        let api = packages.of("crates/api/src/handlers/users.rs");
        let url = uri::cargo_file_url(&root.join("crates/api"));
        assert_eq!(api.id, format!("path+{url}#my-api@1.2.3"));
        assert_eq!((api.target_kind, &*api.target_name), ("lib", "my_api"));
        assert_eq!(api.src_path, root.join("crates/api/src/lib.rs"));
        assert_eq!(api.edition.as_deref(), Some("2021"));
        assert!(Rc::ptr_eq(&api, &packages.of("crates/api/src/lib.rs")));

        let web = packages.of("crates/web/src/main.rs");
        let url = uri::cargo_file_url(&root.join("crates/web"));
        assert_eq!(web.id, format!("path+{url}#0.0.0"));
        assert_eq!((web.target_kind, &*web.target_name), ("bin", "web"));

        // Outside every package, and in a file that does not exist.
        let other = packages.of("migrations/0001_x.sql");
        assert!(other
            .id
            .starts_with(&format!("path+{}#", uri::cargo_file_url(&root))));
        assert_eq!(other.manifest_path, root.join("Cargo.toml"));
    }
}
