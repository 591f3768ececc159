//! Password hashing is slow on purpose (tens of milliseconds of CPU, by design): on the executor it
//! holds a worker for all that time, directly or through a sync helper of the crate.

use stratalint_engine::proc_macro2::Span;
use stratalint_engine::{Call, Cx, FnNode, Hooks, MethodCall, ProjectCx, Rule, RuleMeta};

use crate::shared::blocking::{
    PASSWORD_HASHERS, PASSWORD_HASH_FNS, PASSWORD_HASH_METHODS, PASSWORD_HASH_TRAITS,
};
use crate::shared::blocking_calls::{on_executor, value_type};
use crate::shared::call_graph::{
    describe, note_async_call, project_callee_of_call, project_callee_of_method, short_name,
    AsyncCallFact, Reach, Tracker,
};

static META: RuleMeta = crate::meta!("password-hash-on-executor", Async, "async", Warning);

const KIND: &str = "password hashing";
const HELP: &str =
    "run the hash in `tokio::task::spawn_blocking(move || …).await` (move owned copies of the \
                    password and hash into the closure), or `actix_web::web::block` on actix";

pub struct PasswordHashOnExecutor;

/// `bcrypt::hash(pw, cost)`, `Argon2::hash_password(&a, ..)`.
fn hashing_call(call: &Call<'_>) -> Option<String> {
    let p = call.path.as_ref()?;
    if !matches!(
        p.first(),
        "bcrypt" | "scrypt" | "pbkdf2" | "argon2" | "password_auth" | "password_hash"
    ) {
        return None;
    }
    PASSWORD_HASH_FNS
        .contains(&p.as_str())
        .then(|| p.as_str().to_string())
}

/// `argon2.hash_password(pw, &salt)`, `Argon2::default().verify_password(pw, &hash)`: the
/// receiver is a known hasher, or the password-hash traits are imported.
fn hashing_method(cx: &Cx<'_, '_>, call: &MethodCall<'_>) -> Option<String> {
    let method = call.method.as_str();
    if !PASSWORD_HASH_METHODS.contains(&method) {
        return None;
    }
    if let Some(t) = value_type(cx, call.receiver()) {
        if PASSWORD_HASHERS.contains(&t.as_str()) {
            return Some(format!("{t}::{method}"));
        }
        // a method of the crate's own type (`self.hash_password(pw)`): the call graph follows it
        if t.split("::").next() == Some(cx.resolver().crate_name()) {
            return None;
        }
    }
    let by_trait = match method {
        "hash_password" | "hash_password_customized" => "PasswordHasher",
        "verify_password" => "PasswordVerifier",
        // inherent to `argon2::Argon2`
        _ => {
            return cx
                .imports_from("argon2")
                .then(|| format!("argon2::Argon2::{method}"))
        }
    };
    PASSWORD_HASH_TRAITS
        .iter()
        .any(|t| t.ends_with(by_trait) && cx.is_imported(t))
        .then(|| format!("password_hash::{by_trait}::{method}"))
}

impl PasswordHashOnExecutor {
    /// In a sync fn (`in_sync`): a hash is its sink, a project call an edge. On the executor: a
    /// hash is a finding, a project call a call site to check once the graph is known.
    fn note(
        cx: &mut Cx<'_, '_>,
        in_sync: bool,
        hashing: Option<String>,
        callee: Option<&str>,
        at: impl FnOnce() -> Span,
    ) {
        if in_sync {
            match hashing {
                Some(what) => {
                    let at = cx.loc(at());
                    Tracker::note_sink(cx, &what, KIND, at)
                }
                None => {
                    if let Some(c) = callee {
                        Tracker::note_call(cx, c);
                    }
                }
            }
            return;
        }
        let at = at();
        match hashing {
            Some(what) => {
                let where_ = match cx.current_fn() {
                    Some(f) if f.is_async => format!("async fn `{}`", f.name),
                    _ => "async code".to_string(),
                };
                let d = cx
                    .diag(
                        at,
                        format!(
                            "password hashing (`{what}`) runs on the async executor in {where_}"
                        ),
                    )
                    .with_label("tens of milliseconds of CPU on a runtime worker")
                    .with_help(HELP);
                cx.report_on_executor(d);
            }
            None => {
                if let Some(c) = callee {
                    let at = cx.loc(at);
                    note_async_call(cx, c, at);
                }
            }
        }
    }
}

impl Rule for PasswordHashOnExecutor {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn hooks(&self) -> Hooks {
        Hooks::FN | Hooks::FN_EXIT | Hooks::CALL | Hooks::METHOD_CALL | Hooks::PROJECT
    }

    fn check_fn(&self, cx: &mut Cx<'_, '_>, _f: &FnNode<'_>) {
        Tracker::enter(cx);
    }

    fn check_fn_exit(&self, cx: &mut Cx<'_, '_>, _f: &FnNode<'_>) {
        Tracker::exit(cx);
    }

    fn check_call(&self, cx: &mut Cx<'_, '_>, call: &Call<'_>) {
        if call.awaited || cx.in_test() {
            return;
        }
        // neither in a sync fn the graph follows nor on the executor: nothing to note or report
        // (`on_executor` needs async code, which a sync body is not)
        let in_sync = Tracker::in_sync_body(cx);
        if !in_sync && !on_executor(cx) {
            return;
        }
        let hashing = hashing_call(call);
        let callee = project_callee_of_call(cx, call);
        if hashing.is_some() || callee.is_some() {
            Self::note(cx, in_sync, hashing, callee, || call.span());
        }
    }

    fn check_method_call(&self, cx: &mut Cx<'_, '_>, call: &MethodCall<'_>) {
        if call.awaited || cx.in_test() {
            return;
        }
        // as in `check_call`
        let in_sync = Tracker::in_sync_body(cx);
        if !in_sync && !on_executor(cx) {
            return;
        }
        let hashing = hashing_method(cx, call);
        let callee = project_callee_of_method(cx, call);
        if hashing.is_some() || callee.is_some() {
            Self::note(cx, in_sync, hashing, callee, || call.method_span());
        }
    }

    fn check_project(&self, cx: &mut ProjectCx<'_>) {
        let reach = Reach::compute(cx);
        let mut found = Vec::new();
        for (call, _) in cx.facts::<AsyncCallFact>() {
            if call.offloaded(cx) {
                continue;
            }
            let callee = cx.through_reexports(&call.callee);
            let Some((hops, sink)) = reach.chain(callee) else {
                continue;
            };
            let name = short_name(hops[0]);
            let d = cx
                .diag_at(
                    call.loc.clone(),
                    format!(
                        "`{name}` hashes a password (`{}`) and is called on the async executor in async fn `{}`",
                        sink.what, call.caller
                    ),
                )
                .with_label(describe(&hops, sink))
                .with_secondary(sink.loc.clone(), "the hash runs here")
                .with_help(format!(
                    "call `{name}` inside `tokio::task::spawn_blocking(move || …).await`, or make it async and \
                     offload the hash there"
                ));
            found.push(d);
        }
        for d in found {
            cx.report(d);
        }
    }
}
