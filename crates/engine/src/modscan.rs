//! Pre-scan of `mod` declarations, with the lexer, before any file is parsed: the module tree (and
//! so each file's module path, `#[path]` included, and which files are `#[cfg(test)]` modules) must
//! be known when the first file is checked.

use crate::lexer::{Lexer, Tok};

/// `mod name;` found in a file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ModDecl {
    pub name: String,
    /// `#[path = "…"]` on the declaration.
    pub path_attr: Option<String>,
    /// Inline modules (`mod a { mod b; }`) the declaration sits in.
    pub inline_parents: Vec<String>,
    /// `#[cfg(test)]` on the declaration or on an enclosing inline module.
    pub cfg_test: bool,
}

/// The `mod name;` declarations of a file.
pub fn scan_mod_decls(src: &str) -> Vec<ModDecl> {
    if memchr::memmem::find(src.as_bytes(), b"mod").is_none() {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut toks = Lexer::new(src)
        .filter(|t| !matches!(t, Tok::Comment { .. }))
        .peekable();
    // attributes seen since the last item boundary
    let mut path_attr: Option<String> = None;
    let mut cfg_test = false;
    // inline module stack: (name, brace depth at which it opened, cfg_test)
    let mut inline: Vec<(String, usize, bool)> = Vec::new();
    let mut depth = 0usize;
    while let Some(tok) = toks.next() {
        match tok {
            Tok::Punct(b'#') => {
                // #[...] or #![...]
                if toks.peek() == Some(&Tok::Punct(b'!')) {
                    toks.next();
                }
                if toks.peek() != Some(&Tok::Punct(b'[')) {
                    continue;
                }
                toks.next();
                let mut attr: Vec<Tok<'_>> = Vec::new();
                let mut d = 1usize;
                for t in toks.by_ref() {
                    match t {
                        Tok::Punct(b'[') => d += 1,
                        Tok::Punct(b']') => {
                            d -= 1;
                            if d == 0 {
                                break;
                            }
                        }
                        _ => {}
                    }
                    if attr.len() < 16 {
                        attr.push(t);
                    }
                }
                match attr.as_slice() {
                    [Tok::Ident("path"), Tok::Punct(b'='), Tok::Str(p), ..] => {
                        path_attr = Some(p.to_string());
                    }
                    [Tok::Ident("cfg"), Tok::Punct(b'('), Tok::Ident("test"), Tok::Punct(b')')] => {
                        cfg_test = true;
                    }
                    _ => {}
                }
            }
            Tok::Ident("mod") => {
                let Some(Tok::Ident(name)) = toks.next() else {
                    path_attr = None;
                    cfg_test = false;
                    continue;
                };
                let in_test = cfg_test || inline.iter().any(|m| m.2);
                match toks.next() {
                    Some(Tok::Punct(b';')) => out.push(ModDecl {
                        name: name.to_string(),
                        path_attr: path_attr.take(),
                        inline_parents: inline.iter().map(|m| m.0.clone()).collect(),
                        cfg_test: in_test,
                    }),
                    Some(Tok::Punct(b'{')) => {
                        depth += 1;
                        inline.push((name.to_string(), depth, in_test));
                    }
                    _ => {}
                }
                path_attr = None;
                cfg_test = false;
            }
            Tok::Punct(b'{') => {
                depth += 1;
                path_attr = None;
                cfg_test = false;
            }
            Tok::Punct(b'}') => {
                if inline.last().is_some_and(|m| m.1 == depth) {
                    inline.pop();
                }
                depth = depth.saturating_sub(1);
                path_attr = None;
                cfg_test = false;
            }
            Tok::Punct(b';') => {
                path_attr = None;
                cfg_test = false;
            }
            // visibility and other modifiers keep the pending attributes
            Tok::Ident("pub" | "crate" | "super" | "self" | "in" | "unsafe")
            | Tok::Punct(b'(' | b')') => {}
            _ => {
                path_attr = None;
                cfg_test = false;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_declarations_with_attributes_and_inline_parents() {
        let src = r#"
//! crate docs with mod words: mod nope;
pub mod api;
#[path = "generated/models_gen.rs"]
pub(crate) mod models;
#[cfg(test)]
mod tests;
mod outer {
    pub mod inner;
    #[cfg(test)]
    mod t { mod deep; }
}
const S: &str = "mod fake;";
mod after;
"#;
        let decls = scan_mod_decls(src);
        let names: Vec<&str> = decls.iter().map(|d| d.name.as_str()).collect();
        assert_eq!(names, ["api", "models", "tests", "inner", "deep", "after"]);
        assert_eq!(
            decls[1].path_attr.as_deref(),
            Some("generated/models_gen.rs")
        );
        assert!(decls[2].cfg_test);
        assert!(!decls[0].cfg_test);
        assert_eq!(decls[3].inline_parents, ["outer"]);
        assert_eq!(decls[4].inline_parents, ["outer", "t"]);
        assert!(decls[4].cfg_test);
        assert!(!decls[5].cfg_test);
        assert!(decls[5].inline_parents.is_empty());
    }
}
