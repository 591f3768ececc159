//! Name resolution without a compiler: `use` trees (groups, `as` renames, globs, `self`, `super`,
//! `crate`, `::`), extern crate and dependency renames, items of the module and of enclosing blocks,
//! `Self`, and Rust's prelude. Any path in an expression, type, pattern, attribute or macro call
//! resolves to its canonical [`QualifiedName`].

use rustc_hash::FxHashMap;
use syn::{Item, UseTree};

use super::names::{glob_exports, prelude, QualifiedName};

/// One leaf of a `use` tree, resolved.
#[derive(Clone, Debug)]
pub struct UseBinding {
    /// The name the import binds (`None` for `as _` and globs).
    pub name: Option<String>,
    pub target: QualifiedName,
    pub is_glob: bool,
    /// The span of the leaf (the last ident, the rename or the `*`).
    pub span: proc_macro2::Span,
}

#[derive(Debug, Default)]
struct Scope {
    /// `Some(module path segments, without the crate)` for a module scope, `None` for a block.
    module: Option<Vec<String>>,
    /// For a module scope: its canonical path (`myapp::api::v1`), computed once.
    module_q: Option<QualifiedName>,
    bindings: FxHashMap<String, QualifiedName>,
    /// Names bound here to a function, constant or static only: values, which never start a longer
    /// path (`sha1::Sha1` beside `fn sha1` is the crate's).
    values: rustc_hash::FxHashSet<String>,
    globs: Vec<QualifiedName>,
    /// `use path::Trait as _;`: in scope for its methods, bound to no name.
    anonymous: Vec<QualifiedName>,
    /// The resolved leaves of this scope's imports, by address of the `use` item, until the walk
    /// reaches them ([`Resolver::use_leaves`]).
    leaves: FxHashMap<usize, Vec<UseBinding>>,
}

/// The first segments of a `use` tree (`a` and `b` in `use {a::x, b::y};`).
fn use_roots(tree: &UseTree) -> Box<dyn Iterator<Item = &proc_macro2::Ident> + '_> {
    match tree {
        UseTree::Path(p) => Box::new(std::iter::once(&p.ident)),
        UseTree::Name(n) => Box::new(std::iter::once(&n.ident)),
        UseTree::Rename(r) => Box::new(std::iter::once(&r.ident)),
        UseTree::Glob(_) => Box::new(std::iter::empty()),
        UseTree::Group(g) => Box::new(g.items.iter().flat_map(use_roots)),
    }
}

enum GlobHit {
    /// The glob's module is known to export the name.
    Known(QualifiedName),
    /// The only glob we cannot see into: the name most likely comes from it.
    Guess(QualifiedName),
}

/// The import scopes of the file being walked, innermost last.
pub struct Resolver {
    crate_name: String,
    /// The crate's root module as a path (what `module_qname` is outside any module scope).
    crate_q: QualifiedName,
    renames: FxHashMap<String, String>,
    /// Crates whose macros are in scope by bare name (`#[macro_use] extern crate log;`).
    macro_use: Vec<String>,
    scopes: Vec<Scope>,
    self_types: Vec<Option<QualifiedName>>,
    /// Changes whenever the open scopes do (what [`Resolver::import_bindings`] lists).
    generation: u64,
    /// The buffer paths are printed into to be resolved.
    scratch: std::cell::RefCell<String>,
}

impl Resolver {
    /// `crate_name` is what `crate::` means; `renames` maps names used in code to real crate names.
    pub fn new(crate_name: &str, renames: FxHashMap<String, String>) -> Resolver {
        Resolver {
            crate_name: crate_name.to_string(),
            crate_q: QualifiedName::new(crate_name.to_string()),
            renames,
            macro_use: Vec::new(),
            scopes: Vec::new(),
            self_types: Vec::new(),
            generation: 0,
            scratch: std::cell::RefCell::new(String::with_capacity(64)),
        }
    }

    pub fn crate_name(&self) -> &str {
        &self.crate_name
    }

    /// Segments of the current module, without the crate.
    pub fn module_path(&self) -> &[String] {
        self.scopes
            .iter()
            .rev()
            .find_map(|s| s.module.as_deref())
            .unwrap_or(&[])
    }

    /// Canonical path of the current module (`myapp::api::v1`).
    pub fn module_qname(&self) -> QualifiedName {
        self.module_q().clone()
    }

    fn module_q(&self) -> &QualifiedName {
        self.scopes
            .iter()
            .rev()
            .find_map(|s| s.module_q.as_ref())
            .unwrap_or(&self.crate_q)
    }

    /// Canonical path of an item named `name` defined in the current module.
    pub fn item_qname(&self, name: &str) -> QualifiedName {
        self.module_q().join(name)
    }

    /// Is `q` the item `name` of the current module (what [`Resolver::item_qname`] would build)?
    fn is_item_here(&self, q: &QualifiedName, name: &str) -> bool {
        q.as_str()
            .strip_suffix(name)
            .and_then(|m| m.strip_suffix("::"))
            .is_some_and(|m| m == self.module_q().as_str())
    }

    /// Enter a module (the file's top level or an inline `mod`) with its items.
    pub fn push_module(&mut self, module: Vec<String>, items: &[Item]) {
        let mut segs: Vec<&str> = vec![&self.crate_name];
        segs.extend(module.iter().map(String::as_str));
        let module_q = QualifiedName::from_segments(&segs);
        self.generation += 1;
        self.scopes.push(Scope {
            module: Some(module),
            module_q: Some(module_q),
            ..Scope::default()
        });
        self.declare_items(items.iter());
    }

    /// Enter a block; only blocks declaring items or imports need a scope of their own.
    pub fn push_block<'a>(&mut self, items: impl Iterator<Item = &'a Item> + Clone) -> bool {
        if items.clone().next().is_none() {
            return false;
        }
        self.generation += 1;
        self.scopes.push(Scope::default());
        self.declare_items(items);
        true
    }

    pub fn pop(&mut self) {
        self.generation += 1;
        self.scopes.pop();
    }

    pub fn push_self_type(&mut self, ty: Option<QualifiedName>) {
        self.self_types.push(ty);
    }

    pub fn pop_self_type(&mut self) {
        self.self_types.pop();
    }

    pub fn self_type(&self) -> Option<&QualifiedName> {
        self.self_types.last().and_then(Option::as_ref)
    }

    fn declare_items<'a>(&mut self, items: impl Iterator<Item = &'a Item> + Clone) {
        // local items first: `use` paths may start with them (`mod a; use a::B;`)
        for item in items.clone() {
            let ident = match item {
                Item::Fn(f) => Some(&f.sig.ident),
                Item::Struct(s) => Some(&s.ident),
                Item::Enum(e) => Some(&e.ident),
                Item::Union(u) => Some(&u.ident),
                Item::Trait(t) => Some(&t.ident),
                Item::TraitAlias(t) => Some(&t.ident),
                Item::Type(t) => Some(&t.ident),
                Item::Const(c) => Some(&c.ident),
                Item::Static(s) => Some(&s.ident),
                Item::Mod(m) => Some(&m.ident),
                Item::Macro(m) => m.ident.as_ref(),
                Item::ExternCrate(e) => {
                    let real = e.ident.to_string();
                    let real = self.renames.get(&real).cloned().unwrap_or(real);
                    let real = if real == "self" {
                        self.crate_name.clone()
                    } else {
                        real
                    };
                    if e.attrs.iter().any(|a| a.path().is_ident("macro_use")) {
                        self.macro_use.push(real.clone());
                    }
                    if let Some((_, alias)) = &e.rename {
                        let alias = alias.to_string();
                        self.renames.insert(alias.clone(), real.clone());
                        self.bind(alias, QualifiedName::new(real));
                    }
                    None
                }
                _ => None,
            };
            if let Some(ident) = ident {
                let name = ident.to_string();
                let q = self.item_qname(&name);
                // a function beside a module of the same name is not a value only: whichever is
                // declared first, the other one's binding settles it (`bind` forgets values)
                let value = matches!(item, Item::Fn(_) | Item::Const(_) | Item::Static(_));
                let bound = self
                    .scopes
                    .last()
                    .is_some_and(|s| s.bindings.contains_key(&name));
                if value && !bound {
                    self.bind(name.clone(), q);
                    let scope = self.scopes.last_mut().expect("a scope is open");
                    scope.values.insert(name);
                } else {
                    self.bind(name, q);
                }
            }
        }
        // then imports, twice, so that an import may build on one declared after it (`use a::b;
        // use b::C;` in any order) or come from a glob of this scope. The second pass resolves
        // again only the imports that can change: those starting with a name another import
        // binds, and all of them when the scope has globs.
        let uses: Vec<&syn::ItemUse> = items
            .filter_map(|i| match i {
                Item::Use(u) => Some(u),
                _ => None,
            })
            .collect();
        let mut first_pass = Vec::with_capacity(uses.len());
        for u in &uses {
            let leaves = self.flatten_item(u);
            for leaf in &leaves {
                if let (false, Some(name)) = (leaf.is_glob, &leaf.name) {
                    self.bind(name.clone(), leaf.target.clone());
                }
            }
            first_pass.push(leaves);
        }
        let has_globs = first_pass.iter().flatten().any(|l| l.is_glob);
        let imported: rustc_hash::FxHashSet<&str> = first_pass
            .iter()
            .flatten()
            .filter_map(|l| l.name.as_deref())
            .collect();
        // a path from `::`, `crate`, `self` or `super` is spelled out from a fixed place: nothing
        // bound in this scope changes what it names (most imports of a crate's own modules)
        let again: Vec<bool> = uses
            .iter()
            .map(|u| {
                u.leading_colon.is_none()
                    && use_roots(&u.tree).any(|r| {
                        !(r == "crate" || r == "self" || r == "super")
                            && (has_globs || imported.contains(r.to_string().as_str()))
                    })
            })
            .collect();
        drop(imported);
        for ((u, leaves), again) in uses.iter().zip(first_pass).zip(again) {
            let leaves = if again { self.flatten_item(u) } else { leaves };
            for leaf in &leaves {
                match (leaf.is_glob, &leaf.name) {
                    (true, _) => {
                        let scope = self.scopes.last_mut().expect("a scope is open");
                        if !scope.globs.contains(&leaf.target) {
                            scope.globs.push(leaf.target.clone());
                        }
                    }
                    (false, Some(name)) => self.bind(name.clone(), leaf.target.clone()),
                    (false, None) => {
                        let scope = self.scopes.last_mut().expect("a scope is open");
                        scope.anonymous.push(leaf.target.clone());
                    }
                }
            }
            // kept for the walk, which hands each import's leaves to the rules
            let scope = self.scopes.last_mut().expect("a scope is open");
            scope
                .leaves
                .insert(*u as *const syn::ItemUse as usize, leaves);
        }
    }

    fn flatten_item(&self, u: &syn::ItemUse) -> Vec<UseBinding> {
        let mut leaves = Vec::new();
        self.flatten_use(
            &u.tree,
            &mut Vec::new(),
            u.leading_colon.is_some(),
            &mut leaves,
        );
        leaves
    }

    /// Bind `name` (an import or a type: what it names may start a longer path).
    fn bind(&mut self, name: String, target: QualifiedName) {
        if let Some(scope) = self.scopes.last_mut() {
            if !scope.values.is_empty() {
                scope.values.remove(&name);
            }
            scope.bindings.insert(name, target);
        }
    }

    /// Resolve every leaf of a `use` tree.
    /// Those of an import of the current scope were resolved when the scope was entered.
    pub fn use_leaves(&mut self, item: &syn::ItemUse) -> Vec<UseBinding> {
        let key = item as *const syn::ItemUse as usize;
        if let Some(leaves) = self.scopes.last_mut().and_then(|s| s.leaves.remove(&key)) {
            return leaves;
        }
        self.flatten_item(item)
    }

    fn flatten_use(
        &self,
        tree: &UseTree,
        prefix: &mut Vec<String>,
        leading: bool,
        out: &mut Vec<UseBinding>,
    ) {
        match tree {
            UseTree::Path(p) => {
                prefix.push(p.ident.to_string());
                self.flatten_use(&p.tree, prefix, leading, out);
                prefix.pop();
            }
            UseTree::Name(n) => {
                let ident = n.ident.to_string();
                if ident == "self" {
                    if let Some(last) = prefix.last().cloned() {
                        out.push(UseBinding {
                            name: Some(last),
                            target: self.resolve_use_path(prefix, leading),
                            is_glob: false,
                            span: n.ident.span(),
                        });
                    }
                } else {
                    prefix.push(ident.clone());
                    out.push(UseBinding {
                        name: Some(ident),
                        target: self.resolve_use_path(prefix, leading),
                        is_glob: false,
                        span: n.ident.span(),
                    });
                    prefix.pop();
                }
            }
            UseTree::Rename(r) => {
                let ident = r.ident.to_string();
                let rename = r.rename.to_string();
                let self_import = ident == "self";
                if !self_import {
                    prefix.push(ident);
                }
                out.push(UseBinding {
                    name: (rename != "_").then_some(rename),
                    target: self.resolve_use_path(prefix, leading),
                    is_glob: false,
                    span: r.rename.span(),
                });
                if !self_import {
                    prefix.pop();
                }
            }
            UseTree::Glob(g) => out.push(UseBinding {
                name: None,
                target: self.resolve_use_path(prefix, leading),
                is_glob: true,
                span: g.star_token.span,
            }),
            UseTree::Group(g) => {
                for t in &g.items {
                    self.flatten_use(t, prefix, leading, out);
                }
            }
        }
    }

    fn resolve_use_path(&self, segs: &[String], leading: bool) -> QualifiedName {
        let refs: Vec<&str> = segs.iter().map(String::as_str).collect();
        if leading {
            return self.extern_path(&refs);
        }
        self.resolve_segments(&refs, false)
            .unwrap_or_else(|| self.extern_path(&refs))
    }

    /// A path whose first segment names a crate.
    fn extern_path(&self, segs: &[&str]) -> QualifiedName {
        let Some((first, rest)) = segs.split_first() else {
            return QualifiedName::new("");
        };
        let krate = match self.renames.get(*first) {
            Some(real) => real.as_str(),
            None => canonical_crate(first),
        };
        let mut all = Vec::with_capacity(segs.len());
        all.push(krate);
        all.extend_from_slice(rest);
        QualifiedName::from_segments(&all)
    }

    /// Resolve a `syn::Path`.
    pub fn resolve(&self, path: &syn::Path) -> Option<QualifiedName> {
        self.resolve_unless(path, |_| false)
    }

    /// Resolve a `syn::Path`, unless it is a single identifier `skip` rules out (a local
    /// variable): the path is printed once for both questions.
    pub fn resolve_unless(
        &self,
        path: &syn::Path,
        skip: impl FnOnce(&str) -> bool,
    ) -> Option<QualifiedName> {
        // the segments are printed into one reused buffer (idents only display themselves):
        // resolution runs for most paths of every file, and allocates nothing until it builds its
        // answer
        use std::fmt::Write;
        const MAX: usize = 12;
        let n = path.segments.len();
        let single = n == 1 && path.leading_colon.is_none();
        let scratch = self.scratch.try_borrow_mut();
        let (Ok(mut text), true) = (scratch, n <= MAX) else {
            // a very long path, or a resolution inside a resolution (there is none today)
            let segs: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
            if single && skip(&segs[0]) {
                return None;
            }
            let refs: Vec<&str> = segs.iter().map(String::as_str).collect();
            return self.resolve_text(&refs, path.leading_colon.is_some());
        };
        text.clear();
        let mut bounds = [(0usize, 0usize); MAX];
        for (seg, bound) in path.segments.iter().zip(&mut bounds) {
            let start = text.len();
            let _ = write!(text, "{}", seg.ident);
            *bound = (start, text.len());
        }
        let text: &str = &text;
        if single && skip(text) {
            return None;
        }
        let mut refs = [""; MAX];
        for (r, &(a, b)) in refs.iter_mut().zip(&bounds[..n]) {
            *r = &text[a..b];
        }
        self.resolve_text(&refs[..n], path.leading_colon.is_some())
    }

    fn resolve_text(&self, refs: &[&str], leading_colon: bool) -> Option<QualifiedName> {
        if leading_colon {
            return Some(self.extern_path(refs));
        }
        self.resolve_segments(refs, true)
    }

    /// Resolve a macro path (`info!` → `tracing::info`), also through `#[macro_use]` crates.
    pub fn resolve_macro(&self, path: &syn::Path) -> Option<QualifiedName> {
        if let Some(q) = self.resolve(path) {
            return Some(q);
        }
        if path.segments.len() == 1 {
            if let Some(krate) = self.macro_use.first() {
                return Some(QualifiedName::from_segments(&[
                    krate.as_str(),
                    &path.segments[0].ident.to_string(),
                ]));
            }
        }
        None
    }

    /// Resolve segments. `allow_extern` lets an unknown first segment of a multi-segment path name a
    /// crate (true for code paths; `use` paths handle that themselves).
    pub fn resolve_segments(&self, segs: &[&str], allow_extern: bool) -> Option<QualifiedName> {
        let (first, rest) = segs.split_first()?;
        let join = |base: &QualifiedName, rest: &[&str]| -> QualifiedName {
            if rest.is_empty() {
                return base.clone();
            }
            let len = base.as_str().len() + rest.iter().map(|r| r.len() + 2).sum::<usize>();
            let mut s = String::with_capacity(len);
            s.push_str(base.as_str());
            for r in rest {
                s.push_str("::");
                s.push_str(r);
            }
            QualifiedName::new(s)
        };
        match *first {
            "crate" => {
                let mut all = vec![self.crate_name.as_str()];
                all.extend_from_slice(rest);
                return Some(QualifiedName::from_segments(&all));
            }
            "self" => {
                if rest.is_empty() {
                    return None; // the `self` value
                }
                return Some(join(self.module_q(), rest));
            }
            "super" => {
                let mut module: Vec<&str> = self.module_path().iter().map(String::as_str).collect();
                let mut rest = segs;
                while rest.first() == Some(&"super") {
                    module.pop();
                    rest = &rest[1..];
                }
                let mut all = vec![self.crate_name.as_str()];
                all.extend(module);
                all.extend_from_slice(rest);
                return Some(QualifiedName::from_segments(&all));
            }
            "Self" => {
                return self.self_type().map(|t| join(t, rest));
            }
            _ => {}
        }
        // lexical scopes, innermost first, up to and including the nearest module
        let mut guess = None;
        for scope in self.scopes.iter().rev() {
            if let Some(target) = scope.bindings.get(*first) {
                // a function, constant or static names only itself, never a path's start
                if rest.is_empty() || !scope.values.contains(*first) {
                    return Some(join(target, rest));
                }
            }
            match self.resolve_in_globs(scope, first, rest.is_empty()) {
                Some(GlobHit::Known(q)) => return Some(join(&q, rest)),
                Some(GlobHit::Guess(q)) => guess = guess.or(Some(q)),
                None => {}
            }
            if scope.module.is_some() {
                break;
            }
        }
        if let Some(p) = prelude(first) {
            return Some(join(&QualifiedName::new(p), rest));
        }
        // built-in types name themselves: `limit: i64` has the type `i64`
        if rest.is_empty() && is_primitive(first) {
            return Some(QualifiedName::new(*first));
        }
        if let Some(q) = guess {
            return Some(join(&q, rest));
        }
        if allow_extern && !rest.is_empty() {
            return Some(self.extern_path(segs));
        }
        if !allow_extern {
            // `use` paths: a first segment nothing else explains is a crate
            return None;
        }
        None
    }

    /// A name brought in by a glob import. `alone`: the name is the whole path; a lowercase first
    /// segment of a longer path is more likely a crate than a module from an opaque glob.
    fn resolve_in_globs(&self, scope: &Scope, name: &str, alone: bool) -> Option<GlobHit> {
        let mut unknown: Option<&QualifiedName> = None;
        let mut unknown_count = 0;
        for g in &scope.globs {
            if let Some(exports) = glob_exports(g.as_str()) {
                if exports.contains(&name) {
                    return Some(GlobHit::Known(g.join(name)));
                }
                continue;
            }
            // a glob of a module whose scope is open (`use super::*` in an inline test module)
            if let Some(open) = self.open_module(g) {
                if let Some(t) = open.bindings.get(name) {
                    return Some(GlobHit::Known(t.clone()));
                }
                continue;
            }
            unknown = Some(g);
            unknown_count += 1;
        }
        // one glob we cannot see into: the name most likely comes from it (a primitive type
        // never does: `-> Result<i64, E>` under `use schema::posts::dsl::*;`)
        let type_like = name.starts_with(|c: char| c.is_ascii_uppercase());
        if unknown_count == 1 && (alone || type_like) && !is_primitive(name) {
            return unknown.map(|g| GlobHit::Guess(g.join(name)));
        }
        None
    }

    fn open_module(&self, q: &QualifiedName) -> Option<&Scope> {
        // a module scope knows its canonical path: one string comparison per open module
        self.scopes
            .iter()
            .find(|s| s.module_q.as_ref().is_some_and(|m| m == q))
    }

    /// A number that changes whenever the open scopes do: what was computed from
    /// [`Resolver::import_bindings`] holds while it stays the same.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// Every `(name, target)` that [`Resolver::import_binding`] can answer in the open scopes
    /// (inner scopes first; a name bound in two scopes appears twice).
    pub fn import_bindings(&self) -> impl Iterator<Item = (&str, &QualifiedName)> {
        let module = self
            .scopes
            .iter()
            .rposition(|s| s.module.is_some())
            .unwrap_or(0);
        self.scopes[module..]
            .iter()
            .rev()
            .flat_map(|s| s.bindings.iter())
            .filter(|(name, t)| !self.is_item_here(t, name))
            .map(|(name, t)| (name.as_str(), t))
    }

    /// What an imported `name` stands for, when an import in the open scopes binds it (not an item
    /// declared here, not the prelude, not a glob).
    pub fn import_binding(&self, name: &str) -> Option<&QualifiedName> {
        for scope in self.scopes.iter().rev() {
            if let Some(t) = scope.bindings.get(name) {
                return (!self.is_item_here(t, name)).then_some(t);
            }
            if scope.module.is_some() {
                break;
            }
        }
        None
    }

    /// Does a path starting with `name` start at a crate (`axum::Json`, `app_core::Error`)? True
    /// when no import, item, glob export or prelude name explains `name`, and it is spelled like
    /// a crate (lowercase).
    pub fn names_crate(&self, name: &str) -> bool {
        if !name.starts_with(|c: char| c.is_ascii_lowercase() || c == '_')
            || prelude(name).is_some()
        {
            return false;
        }
        for scope in self.scopes.iter().rev() {
            if scope.bindings.contains_key(name) && !scope.values.contains(name) {
                return false;
            }
            let exported = scope
                .globs
                .iter()
                .any(|g| glob_exports(g.as_str()).is_some_and(|e| e.contains(&name)));
            if exported {
                return false;
            }
            if scope.module.is_some() {
                break;
            }
        }
        true
    }

    /// Is the item at canonical `path` imported in the scopes open here: by name (renamed or
    /// not), as `_`, or through a glob of its module? A trait's methods can be called only where the
    /// trait is in scope, so this tells which `RunQueryDsl` a `.load(conn)` means.
    pub fn is_imported(&self, path: &str) -> bool {
        let (module, last) = path.rsplit_once("::").unwrap_or(("", path));
        self.import_scopes().any(|scope| {
            scope.bindings.values().any(|t| t.is(path))
                || scope.anonymous.iter().any(|t| t.is(path))
                || scope.globs.iter().any(|g| {
                    g.is(module) && glob_exports(module).is_none_or(|names| names.contains(&last))
                })
        })
    }

    /// Does any import in the scopes open here (by name, as `_`, or a glob) come from `prefix`
    /// (a crate or module: `r2d2`, `diesel::r2d2`)?
    pub fn imports_from(&self, prefix: &str) -> bool {
        self.import_scopes().any(|scope| {
            scope.bindings.values().any(|t| t.starts_with(prefix))
                || scope.anonymous.iter().any(|t| t.starts_with(prefix))
                || scope.globs.iter().any(|g| g.starts_with(prefix))
        })
    }

    /// The scopes whose imports are visible here: blocks, innermost first, up to the module.
    fn import_scopes(&self) -> impl Iterator<Item = &Scope> {
        let module = self
            .scopes
            .iter()
            .rposition(|s| s.module.is_some())
            .unwrap_or(0);
        self.scopes[module..].iter().rev()
    }

    /// Is `name` bound by an import or item in the open scopes (not the prelude)?
    pub fn is_bound(&self, name: &str) -> bool {
        for scope in self.scopes.iter().rev() {
            if scope.bindings.contains_key(name) {
                return true;
            }
            if scope.module.is_some() {
                break;
            }
        }
        false
    }
}

/// Rust's primitive types: names no import can shadow in practice.
pub fn is_primitive(name: &str) -> bool {
    matches!(
        name,
        "bool"
            | "char"
            | "str"
            | "i8"
            | "i16"
            | "i32"
            | "i64"
            | "i128"
            | "isize"
            | "u8"
            | "u16"
            | "u32"
            | "u64"
            | "u128"
            | "usize"
            | "f32"
            | "f64"
    )
}

/// `core` and `alloc` re-export into `std`; one spelling keeps the rule tables small.
pub fn canonical_crate(name: &str) -> &str {
    match name {
        "core" | "alloc" => "std",
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resolver(src: &str) -> Resolver {
        let file = syn::parse_file(src).unwrap();
        let mut renames = FxHashMap::default();
        renames.insert("tokio_pg".to_string(), "tokio_postgres".to_string());
        let mut r = Resolver::new("app", renames);
        r.push_module(vec!["api".into(), "v1".into()], &file.items);
        r
    }

    fn res(r: &Resolver, path: &str) -> Option<String> {
        let p: syn::Path = syn::parse_str(path).unwrap();
        r.resolve(&p).map(|q| q.into_string())
    }

    #[test]
    fn resolve_unless_skips_only_single_identifiers() {
        let r = resolver("use std::fs::read; use std::fs;");
        let path = |s: &str| -> syn::Path { syn::parse_str(s).unwrap() };
        // `read` names a local variable here: no path
        assert_eq!(r.resolve_unless(&path("read"), |n| n == "read"), None);
        assert_eq!(
            r.resolve_unless(&path("read"), |n| n == "other")
                .map(|q| q.into_string()),
            Some("std::fs::read".into())
        );
        // a longer path is never a local variable
        assert_eq!(
            r.resolve_unless(&path("fs::read"), |_| true)
                .map(|q| q.into_string()),
            Some("std::fs::read".into())
        );
    }

    #[test]
    fn import_bindings_are_what_import_binding_answers() {
        let mut r = resolver(
            "use crate::repositories::OrderRepository;
             use std::sync::Arc as Shared;
             use crate::services::*;
             struct Local;
             fn helper() {}",
        );
        let mut got: Vec<(String, String)> = r
            .import_bindings()
            .map(|(n, t)| (n.to_string(), t.as_str().to_string()))
            .collect();
        got.sort();
        assert_eq!(
            got,
            [
                (
                    "OrderRepository".into(),
                    "app::repositories::OrderRepository".into()
                ),
                ("Shared".into(), "std::sync::Arc".into()),
            ]
        );
        for (name, _) in &got {
            assert!(r.import_binding(name).is_some(), "{name}");
        }
        // items declared here and names from globs are no import bindings
        assert!(r.import_binding("Local").is_none() && r.import_binding("helper").is_none());
        // a block with an import opens a scope: the generation moves, and moves again on leaving
        let block: syn::Block = syn::parse_str("{ use crate::db::Pool; }").unwrap();
        let before = r.generation();
        let items = block.stmts.iter().filter_map(|s| match s {
            syn::Stmt::Item(i) => Some(i),
            _ => None,
        });
        assert!(r.push_block(items));
        assert_ne!(r.generation(), before);
        assert!(r.import_bindings().any(|(n, _)| n == "Pool"));
        let inside = r.generation();
        r.pop();
        assert_ne!(r.generation(), inside);
        assert!(!r.import_bindings().any(|(n, _)| n == "Pool"));
    }

    #[test]
    fn use_trees_resolve() {
        let r = resolver(
            "use std::thread::sleep as nap;
             use std::{fs::{self, File}, io::Read as _};
             use crate::services::{user_service::UserService, *};
             use super::schemas;
             use self::helpers::Helper;
             use tokio_pg::connect;
             use ::sqlx as db;
             use core::time::Duration;
             mod helpers {}
             fn local() {}",
        );
        assert_eq!(res(&r, "nap").as_deref(), Some("std::thread::sleep"));
        assert_eq!(res(&r, "fs::read").as_deref(), Some("std::fs::read"));
        assert_eq!(
            res(&r, "File::open").as_deref(),
            Some("std::fs::File::open")
        );
        assert_eq!(
            res(&r, "UserService::new").as_deref(),
            Some("app::services::user_service::UserService::new")
        );
        assert_eq!(
            res(&r, "schemas::UserCreate").as_deref(),
            Some("app::api::schemas::UserCreate")
        );
        assert_eq!(
            res(&r, "Helper").as_deref(),
            Some("app::api::v1::helpers::Helper")
        );
        assert_eq!(
            res(&r, "helpers::x").as_deref(),
            Some("app::api::v1::helpers::x")
        );
        assert_eq!(
            res(&r, "connect").as_deref(),
            Some("tokio_postgres::connect")
        );
        assert_eq!(res(&r, "db::query").as_deref(), Some("sqlx::query"));
        assert_eq!(
            res(&r, "Duration::from_secs").as_deref(),
            Some("std::time::Duration::from_secs")
        );
        assert_eq!(res(&r, "local").as_deref(), Some("app::api::v1::local"));
        // one opaque glob: an unknown name comes from it, a primitive type does not
        assert_eq!(
            res(&r, "OrderService").as_deref(),
            Some("app::services::OrderService")
        );
        assert_eq!(res(&r, "i64").as_deref(), Some("i64"));
        assert_eq!(
            res(&r, "reqwest::blocking::get").as_deref(),
            Some("reqwest::blocking::get")
        );
        assert_eq!(
            res(&r, "tokio_pg::Client").as_deref(),
            Some("tokio_postgres::Client")
        );
        assert_eq!(res(&r, "crate::db::pool").as_deref(), Some("app::db::pool"));
        assert_eq!(res(&r, "super::super::main").as_deref(), Some("app::main"));
        assert_eq!(res(&r, "Vec::new").as_deref(), Some("std::vec::Vec::new"));
        assert_eq!(res(&r, "i64").as_deref(), Some("i64"));
        assert_eq!(res(&r, "u8::MAX").as_deref(), Some("u8::MAX"));
    }

    #[test]
    fn functions_do_not_start_paths() {
        // functions, constants and statics are values; the first segment of a longer path is a
        // crate, module or type: `sha1::` is the crate beside `fn sha1`
        let r = resolver(
            "use sha1::{Digest, Sha1};
             pub fn sha1(bytes: &[u8]) -> Vec<u8> { Sha1::digest(bytes).to_vec() }
             fn helpers() {}
             mod helpers {}",
        );
        assert_eq!(res(&r, "Sha1::new").as_deref(), Some("sha1::Sha1::new"));
        assert_eq!(res(&r, "Digest").as_deref(), Some("sha1::Digest"));
        assert_eq!(res(&r, "sha1::Sha1").as_deref(), Some("sha1::Sha1"));
        assert_eq!(res(&r, "sha1").as_deref(), Some("app::api::v1::sha1"));
        assert!(r.names_crate("sha1"));
        // a module of the same name still starts paths
        assert_eq!(
            res(&r, "helpers::x").as_deref(),
            Some("app::api::v1::helpers::x")
        );
        assert!(!r.names_crate("helpers"));
    }

    #[test]
    fn import_bindings_are_not_local_items() {
        let r = resolver("use crate::services::UserService; struct Local; mod helpers {}");
        assert_eq!(
            r.import_binding("UserService").map(|q| q.as_str()),
            Some("app::services::UserService")
        );
        assert_eq!(r.import_binding("Local"), None);
        assert_eq!(r.import_binding("helpers"), None);
        assert_eq!(r.import_binding("Vec"), None);
        assert!(r.names_crate("axum"));
        assert!(!r.names_crate("helpers"), "a module declared here");
        assert!(!r.names_crate("UserService"));
        assert!(!r.names_crate("Vec"));
    }

    #[test]
    fn globs_of_known_modules() {
        let r = resolver("use std::fs::*; use diesel::prelude::*;");
        assert_eq!(
            res(&r, "read_to_string").as_deref(),
            Some("std::fs::read_to_string")
        );
        assert_eq!(
            res(&r, "RunQueryDsl").as_deref(),
            Some("diesel::prelude::RunQueryDsl")
        );
        assert_eq!(res(&r, "unknown_thing"), None);
    }

    #[test]
    fn imported_traits() {
        let r = resolver(
            "use diesel::prelude::*;
             use std::io::Write as _;
             use redis::Commands as Cmds;
             use diesel::r2d2::{ConnectionManager, Pool};",
        );
        assert!(r.is_imported("diesel::prelude::RunQueryDsl"));
        assert!(!r.is_imported("diesel::prelude::NoSuchTrait"));
        assert!(!r.is_imported("diesel_async::RunQueryDsl"));
        assert!(r.is_imported("std::io::Write"));
        assert!(r.is_imported("redis::Commands"));
        assert!(!r.is_imported("std::io::Read"));
        assert!(r.imports_from("diesel::r2d2"));
        assert!(r.imports_from("diesel"));
        assert!(!r.imports_from("r2d2"));
        // an unknown glob may bring anything of its module
        let r = resolver("use diesel::*;");
        assert!(r.is_imported("diesel::RunQueryDsl"));
        assert!(!r.is_imported("diesel::prelude::RunQueryDsl"));
    }

    #[test]
    fn block_scopes_and_super_globs() {
        let file = syn::parse_file("fn helper() {} mod tests { use super::*; }").unwrap();
        let mut r = Resolver::new("app", FxHashMap::default());
        r.push_module(vec![], &file.items);
        let syn::Item::Mod(m) = &file.items[1] else {
            panic!()
        };
        r.push_module(vec!["tests".into()], &m.content.as_ref().unwrap().1);
        assert_eq!(res(&r, "helper").as_deref(), Some("app::helper"));
        let block: syn::Block = syn::parse_str("{ use std::process::Command; }").unwrap();
        let items: Vec<&Item> = block
            .stmts
            .iter()
            .filter_map(|s| match s {
                syn::Stmt::Item(i) => Some(i),
                _ => None,
            })
            .collect();
        assert!(r.push_block(items.into_iter()));
        assert_eq!(
            res(&r, "Command::new").as_deref(),
            Some("std::process::Command::new")
        );
        r.pop();
        assert_eq!(res(&r, "Command::new").as_deref(), Some("Command::new"));
    }
}
