//! Macro arguments. syn leaves a macro's tokens unparsed; the engine parses the usual shapes so
//! that the code inside `format!`, `vec!`, `assert!`, `tokio::join!`, `sqlx::query!` or a `tracing`
//! event is visited like any other code, and rules can read the arguments.

use proc_macro2::{Span, TokenStream};
use syn::parse::{ParseStream, Parser};
use syn::punctuated::Punctuated;
use syn::{Expr, LitStr, Token};

/// The parsed arguments of a macro call.
pub enum MacroArgs {
    /// Comma-separated expressions (`format!`, `vec!`, `assert_eq!`, `query!`, …).
    Exprs(Vec<Expr>),
    /// A `tracing`/`log` event or span.
    Log(LogArgs),
    /// Not expression-shaped (`macro_rules!`, DSLs, `tokio::select!`).
    Opaque,
}

impl MacroArgs {
    pub fn exprs(&self) -> &[Expr] {
        match self {
            MacroArgs::Exprs(e) => e,
            MacroArgs::Log(l) => &l.format_args,
            MacroArgs::Opaque => &[],
        }
    }
}

/// A `tracing`/`log` macro call: `info!(target: "t", user_id = %id, ?req, "message {}", x)`.
pub struct LogArgs {
    pub fields: Vec<LogField>,
    pub message: Option<LitStr>,
    pub format_args: Vec<Expr>,
}

/// One structured field.
pub struct LogField {
    /// `user.id` for `user.id = …`; for shorthand fields (`?req`, `%user_id`) the expression's last
    /// identifier.
    pub name: String,
    /// `%` (Display) or `?` (Debug).
    pub sigil: Option<char>,
    /// The value; for shorthand fields, the expression itself.
    pub value: Option<Expr>,
    pub span: Span,
}

/// Macros whose arguments are comma-separated expressions, by name. Other macros are DSLs
/// (`table!`, `select!`, `json!`, `html!`, a crate's own `macro_rules!`): their tokens are not
/// parsed, since a failed parse attempt costs more than the rest of the walk of a macro-heavy file.
const EXPR_MACROS: &[&str] = &[
    // std
    "format",
    "format_args",
    "print",
    "println",
    "eprint",
    "eprintln",
    "write",
    "writeln",
    "panic",
    "assert",
    "assert_eq",
    "assert_ne",
    "debug_assert",
    "debug_assert_eq",
    "debug_assert_ne",
    "dbg",
    "todo",
    "unimplemented",
    "unreachable",
    "vec",
    "concat",
    "env",
    "option_env",
    // sqlx
    "query",
    "query_as",
    "query_scalar",
    "query_unchecked",
    "query_as_unchecked",
    "query_scalar_unchecked",
    "query_file",
    "query_file_as",
    "query_file_scalar",
    "migrate",
    // tokio / futures
    "join",
    "try_join",
    "pin",
    // errors
    "anyhow",
    "bail",
    "ensure",
    "eyre",
    "format_err",
];

/// Is this macro name a `tracing`/`log` event or span?
pub fn is_log_macro(crate_: Option<&str>, name: &str) -> bool {
    let log_name = matches!(
        name,
        "trace"
            | "debug"
            | "info"
            | "warn"
            | "error"
            | "event"
            | "log"
            | "span"
            | "trace_span"
            | "debug_span"
            | "info_span"
            | "warn_span"
            | "error_span"
    );
    log_name && matches!(crate_, Some("tracing" | "log" | "tracing_log") | None)
}

/// Parse a macro's tokens. `crate_` is the first segment of its resolved path, `name` its last.
pub fn parse_macro_args(crate_: Option<&str>, name: &str, tokens: &TokenStream) -> MacroArgs {
    if tokens.is_empty() {
        return MacroArgs::Exprs(Vec::new());
    }
    if is_log_macro(crate_, name) {
        if let Ok(args) = parse_log_args.parse2(tokens.clone()) {
            return MacroArgs::Log(args);
        }
    }
    if !EXPR_MACROS.contains(&name) {
        return MacroArgs::Opaque;
    }
    match Punctuated::<Expr, Token![,]>::parse_terminated.parse2(tokens.clone()) {
        Ok(p) => MacroArgs::Exprs(p.into_iter().collect()),
        Err(_) => {
            // `vec![x; n]`
            let semi = |input: ParseStream<'_>| -> syn::Result<Vec<Expr>> {
                let a: Expr = input.parse()?;
                let _: Token![;] = input.parse()?;
                let b: Expr = input.parse()?;
                Ok(vec![a, b])
            };
            match semi.parse2(tokens.clone()) {
                Ok(v) => MacroArgs::Exprs(v),
                Err(_) => MacroArgs::Opaque,
            }
        }
    }
}

fn parse_log_args(input: ParseStream<'_>) -> syn::Result<LogArgs> {
    let mut fields = Vec::new();
    let mut message = None;
    let mut format_args = Vec::new();
    while !input.is_empty() {
        // `target: "x"`, `parent: &span`, `name: "n"`, `Level::INFO` (for event!/span!)
        if input.peek(syn::Ident) && input.peek2(Token![:]) && !input.peek2(Token![::]) {
            let _: syn::Ident = input.parse()?;
            let _: Token![:] = input.parse()?;
            let _: Expr = input.parse()?;
        } else if input.peek(LitStr) && message.is_none() {
            message = Some(input.parse::<LitStr>()?);
            // the rest are format arguments
            while input.peek(Token![,]) {
                let _: Token![,] = input.parse()?;
                if input.is_empty() {
                    break;
                }
                format_args.push(input.parse::<Expr>()?);
            }
            break;
        } else {
            fields.push(parse_field(input)?);
        }
        if input.peek(Token![,]) || input.peek(Token![;]) {
            let _ = input.parse::<proc_macro2::TokenTree>()?;
        } else if !input.is_empty() {
            return Err(input.error("expected `,`"));
        }
    }
    Ok(LogArgs {
        fields,
        message,
        format_args,
    })
}

fn parse_field(input: ParseStream<'_>) -> syn::Result<LogField> {
    let span = input.span();
    let sigil = parse_sigil(input)?;
    // a dotted name followed by `=`
    let fork = input.fork();
    let mut name = String::new();
    let named = (|| -> syn::Result<bool> {
        let first: syn::Ident = syn::ext::IdentExt::parse_any(&fork)?;
        name.push_str(&first.to_string());
        while fork.peek(Token![.]) {
            let _: Token![.] = fork.parse()?;
            let next: syn::Ident = syn::ext::IdentExt::parse_any(&fork)?;
            name.push('.');
            name.push_str(&next.to_string());
        }
        Ok(fork.peek(Token![=]) && !fork.peek(Token![==]))
    })()
    .unwrap_or(false);
    if named && sigil.is_none() {
        syn::parse::discouraged::Speculative::advance_to(input, &fork);
        let _: Token![=] = input.parse()?;
        let sigil = parse_sigil(input)?;
        let value: Expr = input.parse()?;
        return Ok(LogField {
            name,
            sigil,
            value: Some(value),
            span,
        });
    }
    // a string-literal field name: `"user.id" = x`
    if sigil.is_none() && input.peek(LitStr) && input.peek2(Token![=]) {
        let lit: LitStr = input.parse()?;
        let _: Token![=] = input.parse()?;
        let sigil = parse_sigil(input)?;
        let value: Expr = input.parse()?;
        return Ok(LogField {
            name: lit.value(),
            sigil,
            value: Some(value),
            span,
        });
    }
    // shorthand: `?req`, `%id`, `user_id`, `self.id`
    let value: Expr = input.parse()?;
    Ok(LogField {
        name: last_ident(&value).unwrap_or_default(),
        sigil,
        value: Some(value),
        span,
    })
}

fn parse_sigil(input: ParseStream<'_>) -> syn::Result<Option<char>> {
    if input.peek(Token![%]) {
        let _: Token![%] = input.parse()?;
        Ok(Some('%'))
    } else if input.peek(Token![?]) {
        let _: Token![?] = input.parse()?;
        Ok(Some('?'))
    } else {
        Ok(None)
    }
}

/// The last identifier of a path or field expression (`self.user.email` → `email`).
pub fn last_ident(e: &Expr) -> Option<String> {
    match e {
        Expr::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
        Expr::Field(f) => match &f.member {
            syn::Member::Named(n) => Some(n.to_string()),
            syn::Member::Unnamed(_) => last_ident(&f.base),
        },
        Expr::Reference(r) => last_ident(&r.expr),
        Expr::Paren(p) => last_ident(&p.expr),
        Expr::MethodCall(m) => Some(m.method.to_string()),
        Expr::Unary(u) => last_ident(&u.expr),
        _ => None,
    }
}

/// Identifiers captured inline by a format string (`"{name} {0} {x:?} {{lit}}"` → `name`, `x`).
pub fn inline_captures(fmt: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let b = fmt.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'{' {
            if b.get(i + 1) == Some(&b'{') {
                i += 2;
                continue;
            }
            let start = i + 1;
            let mut j = start;
            while j < b.len() && b[j] != b'}' && b[j] != b':' {
                j += 1;
            }
            let name = fmt[start..j].trim();
            if !name.is_empty() && name.starts_with(|c: char| c.is_alphabetic() || c == '_') {
                out.push(name);
            }
            while j < b.len() && b[j] != b'}' {
                j += 1;
            }
            i = j + 1;
        } else {
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(s: &str) -> TokenStream {
        s.parse().unwrap()
    }

    #[test]
    fn log_macro_fields() {
        let MacroArgs::Log(args) = parse_macro_args(
            Some("tracing"),
            "info",
            &toks(r#"target: "auth", user.id = %user.id, ?req, password, "logged in {}", name"#),
        ) else {
            panic!("not parsed as a log macro")
        };
        let names: Vec<&str> = args.fields.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["user.id", "req", "password"]);
        assert_eq!(args.fields[0].sigil, Some('%'));
        assert_eq!(args.fields[1].sigil, Some('?'));
        assert_eq!(args.message.unwrap().value(), "logged in {}");
        assert_eq!(args.format_args.len(), 1);
    }

    #[test]
    fn expression_macros_and_fallbacks() {
        assert!(
            matches!(parse_macro_args(None, "format", &toks(r#""{} {}", a, b.c()"#)), MacroArgs::Exprs(v) if v.len() == 3)
        );
        assert!(
            matches!(parse_macro_args(None, "vec", &toks("0u8; 16")), MacroArgs::Exprs(v) if v.len() == 2)
        );
        assert!(matches!(
            parse_macro_args(Some("tokio"), "select", &toks("a = b => c")),
            MacroArgs::Opaque
        ));
        assert!(matches!(
            parse_macro_args(None, "weird", &toks("a => b")),
            MacroArgs::Opaque
        ));
        assert!(matches!(
            parse_macro_args(None, "my_dsl", &toks("a, b")),
            MacroArgs::Opaque
        ));
        assert!(
            matches!(parse_macro_args(Some("sqlx"), "query", &toks(r#""SELECT $1", id"#)), MacroArgs::Exprs(v) if v.len() == 2)
        );
    }

    #[test]
    fn captures() {
        assert_eq!(
            inline_captures("{name} {0} {x:?} {{lit}} {} {self_}"),
            ["name", "x", "self_"]
        );
    }
}
