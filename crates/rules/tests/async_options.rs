//! The async family's options: accepted when well formed, and errors that point at the TOML line.

use std::path::Path;
use std::sync::Arc;

use stratalint_engine::config::from_text;
use stratalint_engine::pipeline::all_metas;

fn configure(text: &str) -> Result<(), (Option<usize>, String)> {
    let mut rules = stratalint_rules::all();
    let metas = all_metas(&rules);
    let config = from_text(Path::new("/p/stratalint.toml"), Arc::from(text), &metas)
        .map_err(|e| (e.line, e.message.clone()))?;
    config
        .configure_rules(&mut rules)
        .map_err(|e| (e.line, e.message))
}

#[test]
fn well_formed_options_are_accepted() {
    configure(
        r#"
[async]
escape-hatches = ["crate::db::run_blocking"]
escape-hatch-methods = ["with_sync_conn"]

[rules.blocking-call-in-async]
extra-blocking = [
    { path = "legacy_soap::Client::call", reason = "waits on a socket", instead = "use `call_async`" },
    { path = "crate::storage::read_blob" },
]

[rules.blocking-call-via-sync-fn]
extra-blocking = [{ path = "vendor_sdk::upload_sync" }]

[rules.sync-fn-in-async-layer]
roles = ["services", "repositories", "api"]
allow = ["UserService::warm_cache"]
handlers = false
"#,
    )
    .expect("valid options");
}

#[test]
fn a_path_that_is_not_one_points_at_its_line() {
    let (line, message) = configure(
        "[rules.blocking-call-in-async]\nextra-blocking = [\n  { path = \"upload\" },\n]\n",
    )
    .unwrap_err();
    assert_eq!(line, Some(3), "{message}");
    assert!(message.contains("`upload` is not a path"), "{message}");
}

#[test]
fn unknown_keys_and_roles_point_at_their_line() {
    let (line, message) = configure(
        "[rules.blocking-call-in-async]\nextra-blocking = [{ path = \"a::b\", why = \"x\" }]\n",
    )
    .unwrap_err();
    assert_eq!(line, Some(2), "{message}");
    assert!(message.contains("unknown field `why`"), "{message}");

    let (line, message) =
        configure("[rules.sync-fn-in-async-layer]\nroles = [\"services\", \"servces\"]\n")
            .unwrap_err();
    assert_eq!(line, Some(2), "{message}");
    assert!(
        message.contains("unknown layer role `servces`"),
        "{message}"
    );

    let (line, message) = configure("[rules.lock-held-across-await]\nstrict = true\n").unwrap_err();
    assert_eq!(line, Some(2), "{message}");
}
