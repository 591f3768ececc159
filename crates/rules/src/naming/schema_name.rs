//! Schemas (DTOs) are named `<Entity><Suffix>`: `UserCreate`, `UserUpdate`, `UserResponse`.

use serde::Deserialize;
use stratalint_engine::syn::Item;
use stratalint_engine::{Cx, Hooks, Role, Rule, RuleMeta, RuleOptions};

use super::entity::dto_derive;
use super::inflect::pascal_words;

static META: RuleMeta = crate::meta!("schema-name", Naming, "naming", Warning);

/// The seed's suffixes, then the ones request and response bodies commonly use.
pub const DEFAULT_SUFFIXES: &[&str] = &[
    "Create", "Update", "Response", "Request", "Payload", "Params", "Query", "Input", "Output",
    "Dto", "Data", "Body", "Form", "Filter", "Patch", "View", "Summary", "Detail", "Details",
    "List", "Page",
];

pub struct SchemaName {
    suffixes: Vec<String>,
}

impl Default for SchemaName {
    fn default() -> Self {
        SchemaName {
            suffixes: DEFAULT_SUFFIXES.iter().map(|s| s.to_string()).collect(),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Options {
    /// Replaces the default list.
    suffixes: Option<Vec<String>>,
    /// Added to the default list (or to `suffixes`).
    #[serde(default)]
    extend_suffixes: Vec<String>,
}

impl SchemaName {
    /// The suffix `name` ends with (as whole words), if any.
    fn suffix_of(&self, words: &[&str]) -> Option<usize> {
        self.suffixes.iter().find_map(|s| {
            let sw = pascal_words(s);
            (words.len() > sw.len() && words.ends_with(&sw)).then_some(sw.len())
        })
    }
}

impl Rule for SchemaName {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn hooks(&self) -> Hooks {
        Hooks::ITEM
    }

    fn configure(&mut self, options: RuleOptions<'_>) -> Result<(), toml::de::Error> {
        let o = Options::deserialize(options)?;
        if let Some(s) = o.suffixes {
            self.suffixes = s;
        }
        self.suffixes.extend(o.extend_suffixes);
        Ok(())
    }

    fn check_item(&self, cx: &mut Cx<'_, '_>, item: &Item) {
        let Item::Struct(s) = item else { return };
        if cx.role() != Some(Role::Schemas)
            || cx.in_test()
            || cx.current_fn().is_some()
            || !s.generics.params.is_empty()
            || !dto_derive(cx, &s.attrs)
        {
            return;
        }
        let name = s.ident.to_string();
        let words = pascal_words(&name);
        if self.suffix_of(&words).is_some() {
            return;
        }
        let list = self
            .suffixes
            .iter()
            .take(4)
            .map(|s| format!("`{s}`"))
            .collect::<Vec<_>>()
            .join(", ");
        // `CreateUser`: the suffix is in front
        let leading = self.suffixes.iter().find(|s| {
            let sw = pascal_words(s);
            words.len() > sw.len() && words.starts_with(&sw)
        });
        // a body read from requests, or written to responses
        let derived = super::entity::derives(cx, &s.attrs);
        let has = |n: &str| derived.iter().any(|(d, _)| d == n);
        let example = if has("Serialize") || !has("Deserialize") {
            "Response"
        } else {
            "Request"
        };
        let help = match leading {
            Some(s) => format!("put the entity first: `{}{s}`", &name[s.len()..]),
            None => format!(
                "name it after its entity and what it carries: `<Entity><Suffix>` with a suffix such as {list} (`{name}{example}`); other suffixes can be added with `extend-suffixes` under `[rules.schema-name]`"
            ),
        };
        let d = cx
            .diag(
                s.ident.span(),
                format!("schema `{name}` does not end with a schema suffix"),
            )
            .with_label("schema name")
            .with_help(help);
        cx.report(d);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use stratalint_engine::CheckOptions;

    /// The messages of the rule on a one-schema project configured with `config`.
    fn run(config: &str) -> Vec<String> {
        let dir = tempfile::tempdir().expect("tempdir");
        let write = |rel: &str, text: &str| {
            let p = dir.path().join(rel);
            std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
            std::fs::write(p, text).expect("write");
        };
        write(
            "Cargo.toml",
            "[package]\nname = \"app\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\nserde = \"1\"\n",
        );
        write("stratalint.toml", config);
        write("src/lib.rs", "pub mod schemas;\n");
        write("src/schemas/mod.rs", "pub mod user;\n");
        write(
            "src/schemas/user.rs",
            "use serde::Deserialize;\n\n#[derive(Deserialize)]\npub struct UserCreate {\n    pub email: String,\n}\n\n#[derive(Deserialize)]\npub struct UserDto {\n    pub email: String,\n}\n",
        );
        let opts = CheckOptions {
            paths: vec![dir.path().to_path_buf()],
            cwd: dir.path().to_path_buf(),
            no_cache: true,
            ..CheckOptions::default()
        };
        stratalint_engine::check(&opts, vec![Box::new(SchemaName::default())])
            .expect("check")
            .diagnostics
            .into_iter()
            .map(|d| d.message)
            .collect()
    }

    #[test]
    fn suffixes_replace_the_default_list() {
        // both end with a default suffix
        assert_eq!(run(""), Vec::<String>::new());
        assert_eq!(
            run("[rules.schema-name]\nsuffixes = [\"Dto\"]\n"),
            ["schema `UserCreate` does not end with a schema suffix"]
        );
        // `extend-suffixes` adds to the list `suffixes` replaced
        assert_eq!(
            run("[rules.schema-name]\nsuffixes = [\"Dto\"]\nextend-suffixes = [\"Create\"]\n"),
            Vec::<String>::new()
        );
    }
}
