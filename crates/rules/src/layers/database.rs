//! Database access at one node, for the two rules that keep it in the repository layer
//! (`handler-database-access` in the api layer and handlers, `database-access-outside-repository`
//! in the other layers): each finds it here and decides only where it is allowed. What a finding
//! says is `` `sqlx::query` is an sqlx query ``.

use stratalint_engine::{Cx, MacroCall, MethodCall, PathKind, PathRef, UseLeaf};

use crate::shared::db::{
    db_access, db_handle, entity_query, is_active_model, is_run_query_dsl, ACTIVE_MODEL_WRITES,
};

/// Database access found at a path.
pub(super) struct Access {
    pub what: String,
    /// Only a pool, connection or transaction (wiring), not a query.
    pub handle: bool,
}

/// A query function, a sea-orm entity query (`user::Entity::find`, `prelude::User::find`), a
/// diesel table, or a pool, connection or transaction type.
pub(super) fn in_path(cx: &Cx<'_, '_>, path: &PathRef<'_>) -> Option<Access> {
    if matches!(path.kind, PathKind::Pattern | PathKind::ImplTrait) {
        return None;
    }
    let q = path.resolved(cx)?;
    if entity_query(q) {
        return Some(Access {
            what: format!("`{q}` is a sea-orm entity query"),
            handle: false,
        });
    }
    let what = db_access(q)?;
    Some(Access {
        what: format!("`{q}` is {what}"),
        handle: db_handle(q).is_some(),
    })
}

/// A query macro: `sqlx::query!`, `sqlx::query_as!`.
pub(super) fn in_macro(mac: &MacroCall<'_>) -> Option<String> {
    let q = mac.path.as_ref()?;
    db_access(q).map(|what| format!("`{q}!` is {what}"))
}

/// A sea-orm active model written: `active.insert(&db)`, `.update`, `.save`, `.delete`.
pub(super) fn in_method_call(cx: &Cx<'_, '_>, call: &MethodCall<'_>) -> Option<String> {
    if !ACTIVE_MODEL_WRITES.contains(&call.method.as_str()) || call.arg_count() != 1 {
        return None;
    }
    let ty = cx.chain_root_type(call.receiver())?;
    is_active_model(&ty).then(|| {
        format!(
            "`.{}(..)` writes the sea-orm active model `{ty}`",
            call.method
        )
    })
}

/// diesel's `RunQueryDsl` imported: what makes `.load(conn)`, `.execute(conn)` run queries.
pub(super) fn in_use(leaf: &UseLeaf<'_>) -> Option<String> {
    let q = &leaf.binding.target;
    is_run_query_dsl(q)
        .then(|| format!("`{q}` runs diesel queries (`.load`, `.execute`, `.get_result`)"))
}
