//! Rust file names are lowercase snake_case (`user_profile.rs`), as module names are. Migration
//! files are migration-file-name's.

use stratalint_engine::project::TargetKind;
use stratalint_engine::{Cx, Hooks, Rule, RuleMeta};

static META: RuleMeta = crate::meta!("file-name-snake-case", Naming, "naming", Warning);

pub struct FileNameSnakeCase;

/// `user_profile`, `v1`, `m20240101_000001_create_users`.
pub fn is_snake_case(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_lowercase() || c == '_')
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && !name.contains("__")
}

/// `UserProfile` / `user-profile` / `userProfile` → `user_profile`.
pub fn to_snake_case(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 4);
    let chars: Vec<char> = name.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if c == '-' || c == ' ' || c == '.' {
            if !out.ends_with('_') {
                out.push('_');
            }
        } else if c.is_uppercase() {
            let prev_lower =
                i > 0 && (chars[i - 1].is_lowercase() || chars[i - 1].is_ascii_digit());
            let next_lower = chars.get(i + 1).is_some_and(|n| n.is_lowercase());
            if i > 0 && !out.ends_with('_') && (prev_lower || next_lower) {
                out.push('_');
            }
            out.extend(c.to_lowercase());
        } else {
            out.push(c);
        }
    }
    out.trim_matches('_').to_string()
}

impl Rule for FileNameSnakeCase {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn hooks(&self) -> Hooks {
        Hooks::FILE
    }

    fn check_file(&self, cx: &mut Cx<'_, '_>, ast: &stratalint_engine::syn::File) {
        let info = cx.file();
        let rel = &*info.rel;
        let (dir, file) = rel.rsplit_once('/').unwrap_or(("", rel));
        let stem = file.trim_end_matches(".rs");
        // binaries, examples, benches and integration tests are named by their file, and dashes
        // are idiomatic there (`src/bin/my-tool.rs`, `examples/hello-world.rs`)
        let target_dir = dir.rsplit('/').next().unwrap_or(dir);
        if (info.target == Some(TargetKind::Bin) && dir.ends_with("bin"))
            || matches!(target_dir, "bin" | "examples" | "benches" | "tests")
        {
            return;
        }
        // `foo/mod.rs` names module `foo` by its directory
        let (name, what) = if stem == "mod" {
            (dir.rsplit('/').next().unwrap_or(""), "directory")
        } else {
            (stem, "file")
        };
        if name.is_empty() || is_snake_case(name) {
            return;
        }
        // a migration (a sea-orm module, a refinery `V1__create_users.rs`) is named by its tool's
        // convention, which migration-file-name checks
        let settings = crate::migrations::Settings::from_config(cx.config());
        if crate::migrations::units::is_rust_migration(rel, &settings, ast) {
            return;
        }
        let fixed = match what {
            "file" => format!("{}.rs", to_snake_case(name)),
            _ => to_snake_case(name),
        };
        let d = cx
            .diag_at(
                stratalint_engine::Loc::file_start(info.rel.clone()),
                format!("{what} name `{name}` is not lowercase snake_case"),
            )
            .with_label("module names come from file names")
            .with_help(format!(
                "rename the {what} to `{fixed}` (and its `mod` declaration)"
            ));
        cx.report(d);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snake_case() {
        assert!(is_snake_case("user_profile"));
        assert!(is_snake_case("v1"));
        assert!(!is_snake_case("UserProfile"));
        assert!(!is_snake_case("user-profile"));
        assert!(!is_snake_case("user__profile"));
        assert_eq!(to_snake_case("UserProfile"), "user_profile");
        assert_eq!(to_snake_case("user-profile"), "user_profile");
        assert_eq!(to_snake_case("HTTPServer"), "http_server");
        assert_eq!(to_snake_case("userProfile2"), "user_profile2");
    }
}
