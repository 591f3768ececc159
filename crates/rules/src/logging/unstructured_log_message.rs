//! `warn!("payment {} failed for order {}: {}", pid, oid, err)`: values baked into the message
//! cannot be searched, filtered or aggregated; fields can.

use stratalint_engine::semantic::macros::{inline_captures, last_ident, MacroArgs};
use stratalint_engine::syn::Expr;
use stratalint_engine::{Cx, Hooks, MacroCall, Rule, RuleMeta};

use crate::shared::request_path::{backend_code, report_where, Reach};

static META: RuleMeta = crate::meta!("unstructured-log-message", Logging, "logging", Info);

/// Event macros (spans name an operation, their names are constants anyway).
const EVENTS: &[&str] = &["trace", "debug", "info", "warn", "error", "event", "log"];

pub struct UnstructuredLogMessage;

/// A constant: a literal or a `SCREAMING_CASE` path.
fn is_constant(e: &Expr) -> bool {
    match e {
        Expr::Lit(_) => true,
        Expr::Path(p) => p
            .path
            .segments
            .last()
            .is_some_and(|s| is_constant_name(&s.ident.to_string())),
        Expr::Reference(r) => is_constant(&r.expr),
        Expr::Paren(p) => is_constant(&p.expr),
        _ => false,
    }
}

fn is_constant_name(name: &str) -> bool {
    name.len() > 1
        && name
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
}

/// How to write a value as a field: named after its last identifier (`order_id = %p.order_id`,
/// `error = %err`), with `key = value;` for the `log` crate's key-values.
fn as_field(text: &str, e: Option<&Expr>, log_crate: bool) -> String {
    let name = match e {
        Some(e) => last_ident(e).unwrap_or_else(|| "value".into()),
        None => text.to_string(),
    };
    let name = match name.as_str() {
        "e" | "err" => "error".to_string(),
        _ => name,
    };
    if log_crate {
        format!("{name} = {text}")
    } else {
        format!("{name} = %{text}")
    }
}

impl Rule for UnstructuredLogMessage {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn hooks(&self) -> Hooks {
        Hooks::MACRO
    }

    fn check_macro(&self, cx: &mut Cx<'_, '_>, mac: &MacroCall<'_>) {
        let MacroArgs::Log(args) = mac.args else {
            return;
        };
        let name = mac.name();
        if !EVENTS.contains(&name.as_str()) {
            return;
        }
        let Some(message) = &args.message else { return };
        let fields: Vec<&str> = args.fields.iter().map(|f| f.name.as_str()).collect();
        let already_a_field = |text: &str| fields.contains(&text);
        // (text, expression) of each runtime value interpolated into the message
        let mut values: Vec<(String, Option<&Expr>)> = Vec::new();
        for e in args.format_args.iter().filter(|e| !is_constant(e)) {
            let text = cx.text_of(stratalint_engine::syn::spanned::Spanned::span(e));
            let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
            if !already_a_field(&text) {
                values.push((text, Some(e)));
            }
        }
        let fmt = message.value();
        for c in inline_captures(&fmt) {
            if !is_constant_name(c) && !already_a_field(c) && !values.iter().any(|(t, _)| t == c) {
                values.push((c.to_string(), None));
            }
        }
        if values.is_empty() {
            return;
        }
        let reach = backend_code(cx);
        if reach == Reach::No {
            return;
        }
        let names: Vec<String> = values.iter().map(|(t, _)| format!("`{t}`")).collect();
        let log_crate = mac.path.as_ref().is_some_and(|p| p.first() == "log");
        let suggestion: Vec<String> = values
            .iter()
            .map(|(t, e)| as_field(t, *e, log_crate))
            .collect();
        let example = if log_crate {
            format!(
                "`{name}!({}; \"…\")` (the `log` crate's key-values)",
                suggestion.join(", ")
            )
        } else {
            format!("`{name}!({}, \"…\")`", suggestion.join(", "))
        };
        let d = cx
            .diag(
                message.span(),
                format!(
                    "log message interpolates {} instead of recording {}",
                    names.join(", "),
                    if values.len() == 1 { "it as a field" } else { "them as fields" }
                ),
            )
            .with_label("values baked into the message")
            .with_help(format!(
                "record the values as fields and keep the message constant: {example}; fields can be \
                 searched, filtered and aggregated across events"
            ));
        report_where(cx, reach, d);
    }
}
