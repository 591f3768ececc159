//! A small, panic-free Rust lexer used where syn cannot help:
//! - comments (syn drops them) for suppression directives, never matching inside strings;
//! - a pre-scan of `mod` declarations (with `#[path]` and `#[cfg(test)]`) to build the module tree
//!   before any file is parsed;
//! - the nesting depth of a file, so that pathological input is refused before syn recurses.
//!
//! It only needs to agree with rustc on where strings, chars, lifetimes and comments start and end.

/// A token of interest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Tok<'a> {
    Ident(&'a str),
    Punct(u8),
    /// A string literal's contents (raw, escapes not processed), for `#[path = "…"]`.
    Str(&'a str),
    /// Any other literal (numbers, chars, byte strings).
    Lit,
    Comment {
        text: &'a str,
        start: usize,
        /// `//` or `/*` (doc comments included).
        line: bool,
    },
}

pub struct Lexer<'a> {
    src: &'a str,
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Lexer<'a> {
    pub fn new(src: &'a str) -> Lexer<'a> {
        Lexer {
            src,
            bytes: src.as_bytes(),
            pos: 0,
        }
    }

    /// Byte offset of the next token.
    pub fn pos(&self) -> usize {
        self.pos
    }

    fn peek(&self, n: usize) -> u8 {
        *self.bytes.get(self.pos + n).unwrap_or(&0)
    }

    fn skip_ws(&mut self) {
        while self.pos < self.bytes.len() {
            let b = self.bytes[self.pos];
            if b.is_ascii_whitespace() {
                self.pos += 1;
            } else if b >= 0x80 {
                // Unicode whitespace or an identifier char; identifiers are handled in `next`.
                let c = self.src[self.pos..].chars().next().unwrap_or(' ');
                if c.is_whitespace() {
                    self.pos += c.len_utf8();
                } else {
                    return;
                }
            } else {
                return;
            }
        }
    }

    fn ident_end(&self, mut i: usize) -> usize {
        while i < self.bytes.len() {
            let b = self.bytes[i];
            if b.is_ascii_alphanumeric() || b == b'_' {
                i += 1;
            } else if b >= 0x80 {
                let c = self.src[i..].chars().next().unwrap_or(' ');
                if c.is_alphanumeric() {
                    i += c.len_utf8();
                } else {
                    break;
                }
            } else {
                break;
            }
        }
        i
    }

    /// Skip a quoted string starting at the opening quote at `self.pos`; returns its contents.
    fn quoted(&mut self) -> &'a str {
        let start = self.pos + 1;
        let mut i = start;
        while i < self.bytes.len() {
            match self.bytes[i] {
                b'\\' => i += 2,
                b'"' => {
                    self.pos = i + 1;
                    return &self.src[start..i];
                }
                _ => i += 1,
            }
        }
        self.pos = self.bytes.len();
        self.src.get(start..).unwrap_or("")
    }

    /// Skip a raw string `r#"…"#` whose `r` (or `br`/`cr` prefix end) is just before `self.pos`.
    fn raw(&mut self) -> &'a str {
        let mut hashes = 0;
        while self.peek(0) == b'#' {
            hashes += 1;
            self.pos += 1;
        }
        if self.peek(0) != b'"' {
            return "";
        }
        let start = self.pos + 1;
        let mut i = start;
        while i < self.bytes.len() {
            if self.bytes[i] == b'"' {
                let mut n = 0;
                while n < hashes && self.bytes.get(i + 1 + n) == Some(&b'#') {
                    n += 1;
                }
                if n == hashes {
                    self.pos = i + 1 + hashes;
                    return &self.src[start..i];
                }
            }
            i += 1;
        }
        self.pos = self.bytes.len();
        self.src.get(start..).unwrap_or("")
    }

    /// A `'`: either a char literal or a lifetime/label.
    fn quote_or_lifetime(&mut self) -> Tok<'a> {
        // 'x' or '\n' or '\u{..}' are chars; 'a (no closing quote right after one char) is a lifetime.
        let rest = &self.src[self.pos + 1..];
        let mut chars = rest.char_indices();
        match chars.next() {
            Some((_, '\\')) => {
                // escaped char literal: skip to the closing quote
                let mut i = self.pos + 2;
                i += 1; // the escaped char
                while i < self.bytes.len() && self.bytes[i] != b'\'' && self.bytes[i] != b'\n' {
                    i += 1;
                }
                self.pos = (i + 1).min(self.bytes.len());
                Tok::Lit
            }
            Some((_, c)) => {
                let after = self.pos + 1 + c.len_utf8();
                if self.bytes.get(after) == Some(&b'\'') {
                    self.pos = after + 1;
                    Tok::Lit
                } else {
                    // lifetime or label
                    let end = self.ident_end(self.pos + 1);
                    self.pos = end.max(self.pos + 1);
                    Tok::Lit
                }
            }
            None => {
                self.pos += 1;
                Tok::Punct(b'\'')
            }
        }
    }
}

impl<'a> Iterator for Lexer<'a> {
    type Item = Tok<'a>;

    fn next(&mut self) -> Option<Tok<'a>> {
        self.skip_ws();
        if self.pos >= self.bytes.len() {
            return None;
        }
        let start = self.pos;
        let b = self.bytes[start];
        match b {
            b'/' if self.peek(1) == b'/' => {
                let end = memchr::memchr(b'\n', &self.bytes[start..])
                    .map(|i| start + i)
                    .unwrap_or(self.bytes.len());
                self.pos = end;
                Some(Tok::Comment {
                    text: &self.src[start..end],
                    start,
                    line: true,
                })
            }
            b'/' if self.peek(1) == b'*' => {
                let mut depth = 1usize;
                let mut i = start + 2;
                while i < self.bytes.len() && depth > 0 {
                    if self.bytes[i] == b'/' && self.bytes.get(i + 1) == Some(&b'*') {
                        depth += 1;
                        i += 2;
                    } else if self.bytes[i] == b'*' && self.bytes.get(i + 1) == Some(&b'/') {
                        depth -= 1;
                        i += 2;
                    } else {
                        i += 1;
                    }
                }
                let end = i.min(self.bytes.len());
                self.pos = end;
                Some(Tok::Comment {
                    text: &self.src[start..end],
                    start,
                    line: false,
                })
            }
            b'"' => Some(Tok::Str(self.quoted())),
            b'\'' => Some(self.quote_or_lifetime()),
            b'r' if self.peek(1) == b'"'
                || (self.peek(1) == b'#' && matches!(self.peek(2), b'"' | b'#')) =>
            {
                self.pos += 1;
                Some(Tok::Str(self.raw()))
            }
            b'b' | b'c' if self.peek(1) == b'"' => {
                self.pos += 1;
                self.quoted();
                Some(Tok::Lit)
            }
            b'b' if self.peek(1) == b'\'' => {
                self.pos += 1;
                self.quote_or_lifetime();
                Some(Tok::Lit)
            }
            b'b' | b'c' if self.peek(1) == b'r' && matches!(self.peek(2), b'"' | b'#') => {
                self.pos += 2;
                self.raw();
                Some(Tok::Lit)
            }
            b'0'..=b'9' => {
                let mut i = start;
                while i < self.bytes.len()
                    && (self.bytes[i].is_ascii_alphanumeric() || self.bytes[i] == b'_')
                {
                    i += 1;
                }
                // a fractional part, but not a range (`0..3`) nor a method (`1.max(2)`)
                if self.bytes.get(i) == Some(&b'.')
                    && self.bytes.get(i + 1).is_some_and(u8::is_ascii_digit)
                {
                    i += 1;
                    while i < self.bytes.len()
                        && (self.bytes[i].is_ascii_alphanumeric() || self.bytes[i] == b'_')
                    {
                        i += 1;
                    }
                }
                self.pos = i;
                Some(Tok::Lit)
            }
            b if b.is_ascii_alphabetic() || b == b'_' || b >= 0x80 => {
                let end = self.ident_end(start);
                if end == start {
                    // a stray non-identifier unicode char
                    let c = self.src[start..]
                        .chars()
                        .next()
                        .map(char::len_utf8)
                        .unwrap_or(1);
                    self.pos = start + c;
                    return Some(Tok::Punct(b'?'));
                }
                self.pos = end;
                // raw identifiers r#foo
                if &self.src[start..end] == "r" && self.peek(0) == b'#' {
                    let e = self.ident_end(self.pos + 1);
                    let ident = &self.src[self.pos + 1..e];
                    self.pos = e;
                    return Some(Tok::Ident(ident));
                }
                Some(Tok::Ident(&self.src[start..end]))
            }
            _ => {
                self.pos += 1;
                Some(Tok::Punct(b))
            }
        }
    }
}

const fn classes() -> [bool; 256] {
    let mut t = [false; 256];
    let s = b"/\"'([{)]};,.+-*%&|^!<>=?";
    let mut i = 0;
    while i < s.len() {
        t[s[i] as usize] = true;
        i += 1;
    }
    t
}
/// The bytes [`nesting_depth`] acts on: comment and literal openers, brackets, separators and
/// operators. A raw string is recognised at its quote, by looking back for `r` and hashes.
static INTERESTING: [bool; 256] = classes();

/// The deepest nesting a parse of this file would build: see [`scan`].
pub fn nesting_depth(src: &str) -> usize {
    scan(src).depth
}

/// What the pre-parse scan of a file finds.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Scan {
    /// The deepest nesting a parse would build: open brackets plus the longest run of operators
    /// inside one expression (`!!!!x`, `a.b.c.d`, `1 + 1 + 1` all nest in syn's tree, and parsing,
    /// visiting and dropping that tree recurse). The engine refuses files beyond a limit instead
    /// of risking the stack.
    pub depth: usize,
    /// Where each doc comment (`///`, `//!`, `/** */`, `/*! */`) starts.
    pub docs: Vec<usize>,
}

/// One pass over a file before it is parsed: its nesting depth and its doc comments. A byte loop
/// rather than the lexer: it runs on every file.
pub fn scan(src: &str) -> Scan {
    let b = src.as_bytes();
    let n = b.len();
    let (mut depth, mut max, mut chain) = (0usize, 0usize, 0usize);
    let mut docs = Vec::new();
    let ident = |c: u8| c.is_ascii_alphanumeric() || c == b'_' || c >= 0x80;
    let mut i = 0;
    loop {
        // bytes that change nothing (identifiers, spaces) are skipped by a table lookup, so that
        // the branches below run only for punctuation
        while i < n && !INTERESTING[b[i] as usize] {
            i += 1;
        }
        if i >= n {
            break;
        }
        let c = b[i];
        match c {
            b'/' if i + 1 < n && b[i + 1] == b'/' => {
                // `///` (not `////`) and `//!` are doc comments
                let third = b.get(i + 2).copied();
                if third == Some(b'!') || (third == Some(b'/') && b.get(i + 3) != Some(&b'/')) {
                    docs.push(i);
                }
                i = memchr::memchr(b'\n', &b[i..]).map_or(n, |p| i + p);
                continue;
            }
            b'/' if i + 1 < n && b[i + 1] == b'*' => {
                // `/**` (not `/**/` or `/***`) and `/*!` are doc comments
                let third = b.get(i + 2).copied();
                if third == Some(b'!')
                    || (third == Some(b'*') && !matches!(b.get(i + 3), Some(b'*' | b'/')))
                {
                    docs.push(i);
                }
                let mut d = 1usize;
                i += 2;
                while i < n && d > 0 {
                    if b[i] == b'/' && i + 1 < n && b[i + 1] == b'*' {
                        d += 1;
                        i += 2;
                    } else if b[i] == b'*' && i + 1 < n && b[i + 1] == b'/' {
                        d -= 1;
                        i += 2;
                    } else {
                        i += 1;
                    }
                }
                continue;
            }
            b'"' => {
                // a raw string `r"…"`, `r#"…"#` (`br`, `cr` too): the `r` and hashes before it
                let mut k = i;
                while k > 0 && b[k - 1] == b'#' {
                    k -= 1;
                }
                let hashes = i - k;
                let raw = k > 0
                    && b[k - 1] == b'r'
                    && (k == 1 || !ident(b[k - 2]) || matches!(b[k - 2], b'b' | b'c'));
                if raw {
                    let mut j = i + 1;
                    'raw: while j < n {
                        if b[j] == b'"'
                            && b[j + 1..]
                                .iter()
                                .take(hashes)
                                .filter(|&&h| h == b'#')
                                .count()
                                == hashes
                        {
                            j += 1 + hashes;
                            break 'raw;
                        }
                        j += 1;
                    }
                    i = j;
                    continue;
                }
                i += 1;
                while i < n && b[i] != b'"' {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
                i += 1;
                continue;
            }
            b'\'' => {
                if i + 1 < n && b[i + 1] == b'\\' {
                    i += 2;
                    while i < n && b[i] != b'\'' && b[i] != b'\n' {
                        i += 1;
                    }
                    i += 1;
                    continue;
                }
                let len = src[i + 1..].chars().next().map_or(1, char::len_utf8);
                if i + 1 + len < n && b[i + 1 + len] == b'\'' {
                    i += 2 + len;
                } else {
                    i += 1;
                }
                continue;
            }
            b'(' | b'[' | b'{' => {
                depth += 1;
                max = max.max(depth + chain);
                if c == b'{' {
                    chain = 0;
                }
            }
            b')' | b']' => depth = depth.saturating_sub(1),
            b'}' => {
                depth = depth.saturating_sub(1);
                chain = 0;
            }
            b';' | b',' => chain = 0,
            _ => {
                chain += 1;
                max = max.max(depth + chain);
            }
        }
        i += 1;
    }
    Scan { depth: max, docs }
}

/// The text given to syn: `src` with its doc comments (at `docs`, from [`scan`]) made plain
/// comments, `///` into `// `, `/**` into `/* `. No rule reads documentation, and syn turns each
/// doc comment into a `#[doc = "…"]` attribute with an escaped string literal: about a sixth of
/// the parse of a typical crate. Every byte keeps its offset, line and column.
pub fn without_docs<'a>(src: &'a str, docs: &[usize]) -> std::borrow::Cow<'a, str> {
    if docs.is_empty() {
        return std::borrow::Cow::Borrowed(src);
    }
    let mut text = String::with_capacity(src.len());
    let mut from = 0;
    for &at in docs {
        // the third byte of the opener (`/`, `!` or `*`, ASCII, so a char boundary on both sides)
        let (Some(kept), Some(_)) = (src.get(from..at + 2), src.get(at + 2..at + 3)) else {
            continue;
        };
        text.push_str(kept);
        text.push(' ');
        from = at + 3;
    }
    text.push_str(&src[from..]);
    std::borrow::Cow::Owned(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn comments(src: &str) -> Vec<&str> {
        Lexer::new(src)
            .filter_map(|t| match t {
                Tok::Comment { text, .. } => Some(text),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn comments_are_found_but_not_inside_strings() {
        let src = r####"let s = "// not a comment"; // yes
let r = r#"/* no */"#; /* a /* nested */ one */
let c = '"'; // after a char quote
let l: &'static str = "x"; // after a lifetime
"####;
        assert_eq!(
            comments(src),
            vec![
                "// yes",
                "/* a /* nested */ one */",
                "// after a char quote",
                "// after a lifetime"
            ]
        );
    }

    #[test]
    fn unterminated_input_does_not_panic() {
        for src in ["\"abc", "r#\"abc", "/* abc", "'", "b'", "r#", "'\\", "é'"] {
            let _ = Lexer::new(src).count();
        }
    }

    #[test]
    fn scan_finds_doc_comments_and_nothing_else() {
        let src = "//! inner\n/// outer\n//// not doc\n// /// not doc\n/** outer */ /*! inner */\n\
                   /**/ /*** not doc */ /* /** nested, not found */ */\n\
                   let s = \"/// in a string\"; let r = r#\"/** raw */\"#; let c = '/';\n///";
        let at: Vec<&str> = scan(src).docs.iter().map(|&i| &src[i..i + 3]).collect();
        assert_eq!(at, ["//!", "///", "/**", "/*!", "///"]);
        assert_eq!(scan(src).docs.len(), 5);
    }

    #[test]
    fn without_docs_makes_doc_comments_plain_and_moves_no_byte() {
        let src =
            "//! crate docs\n/// a fn é\r\n#[inline]\n/** block */ fn f() { /*! odd */ g() }\n";
        let docs = scan(src).docs;
        let plain = without_docs(src, &docs);
        assert_eq!(plain.len(), src.len());
        let changed: Vec<usize> = (0..src.len())
            .filter(|&i| src.as_bytes()[i] != plain.as_bytes()[i])
            .collect();
        assert_eq!(changed, docs.iter().map(|d| d + 2).collect::<Vec<_>>());
        assert!(plain.starts_with("//  crate docs\n//  a fn"), "{plain}");
        // syn sees no doc attribute, and every token keeps its line and column
        let (with, without) = (
            syn::parse_file(src).unwrap(),
            syn::parse_file(&plain).unwrap(),
        );
        let f = |file: &syn::File| match &file.items[0] {
            syn::Item::Fn(f) => (
                f.attrs.len(),
                f.sig.ident.span().start(),
                f.block.brace_token.span.open().start(),
            ),
            _ => unreachable!(),
        };
        assert!(without.attrs.is_empty());
        let ((n_with, ident, brace), (n_without, ident2, brace2)) = (f(&with), f(&without));
        // `///`, `#[inline]`, `/** */` and the body's inner `/*! */`; then `#[inline]` alone
        assert_eq!((n_with, n_without), (4, 1));
        assert_eq!((ident.line, ident.column), (ident2.line, ident2.column));
        assert_eq!((brace.line, brace.column), (brace2.line, brace2.column));
        assert!(matches!(
            without_docs("fn f() {}", &[]),
            std::borrow::Cow::Borrowed(_)
        ));
    }

    #[test]
    fn nesting_depth_counts_brackets_and_prefix_runs() {
        assert_eq!(nesting_depth("fn f() { (1) }"), 2);
        assert!(nesting_depth(&format!("let x = 1{};", " + 1".repeat(3000))) >= 3000);
        assert!(nesting_depth(&format!("let x = a{};", ".b".repeat(3000))) >= 3000);
        // brackets in strings, chars, raw strings and comments do not count
        let quoted = format!(
            "let s = \"{0}\"; let r = r#\"{0}\"#; let c = '('; // {0}\n/* {0} */",
            "(".repeat(5000)
        );
        assert!(nesting_depth(&quoted) < 10, "{}", nesting_depth(&quoted));
        assert!(nesting_depth("fn f<'a>(x: &'a str) -> char { 'x' }") < 10);
        assert!(nesting_depth(&"(".repeat(5000)) >= 5000);
        assert!(nesting_depth(&format!("let x = {}y;", "!".repeat(3000))) >= 3000);
        // every spelling of a raw string (found at its quote, looking back for `r` and hashes)
        let open = "(".repeat(5000);
        for raw in [
            format!("r\"{open}\""),
            format!("r##\"{open}\"#{open}\"##"),
            format!("br#\"{open}\"#"),
            format!("cr\"{open}\""),
        ] {
            assert!(nesting_depth(&format!("f({raw});")) < 10, "{raw:.20}");
        }
        // not raw strings: an identifier ending in r, a raw identifier, hashes without an `r`
        assert!(nesting_depth(&format!("x = for_r\"a\\\"{open}\";")) < 10);
        assert!(nesting_depth(&format!("let r#type = {open}")) >= 5000);
        assert!(nesting_depth(&format!("#\"{open}")) < 10);
    }
}
