//! `panic!`, `todo!`, `unimplemented!`, `unreachable!` on the request path: the request dies
//! instead of getting an error response.

use stratalint_engine::{Cx, Hooks, MacroCall, Rule, RuleMeta};

use crate::shared::request_path::{report_where, request_path, where_, Reach};

static META: RuleMeta = crate::meta!("panic-in-request-path", Errors, "errors", Error);

pub struct PanicInRequestPath;

impl Rule for PanicInRequestPath {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn hooks(&self) -> Hooks {
        Hooks::MACRO
    }

    fn check_macro(&self, cx: &mut Cx<'_, '_>, mac: &MacroCall<'_>) {
        let name = mac.name();
        let help = match name.as_str() {
            "todo" | "unimplemented" => {
                "return an error until it is done (a `NotImplemented` variant of the application's error type \
                 answers 501), or do not register the route yet"
            }
            "panic" => "return a variant of the application's error type instead of panicking",
            "unreachable" => {
                "if the case truly cannot happen, make the compiler prove it (an exhaustive `match`, a type \
                 that cannot hold the case); otherwise return an error"
            }
            _ => return,
        };
        // the std macro, not a project's own `todo!`
        if mac
            .path
            .as_ref()
            .is_some_and(|p| !p.is(&format!("std::{name}")))
        {
            return;
        }
        let reach = request_path(cx);
        if reach == Reach::No {
            return;
        }
        let d = cx
            .diag(
                mac.span(),
                format!(
                    "`{name}!` on the request path {}: the request panics",
                    where_(cx)
                ),
            )
            .with_label("panics")
            .with_help(help);
        report_where(cx, reach, d);
    }
}
