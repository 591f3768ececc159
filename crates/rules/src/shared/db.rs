//! Which resolved paths are database access: query functions and macros, pools, connections and
//! transactions of sqlx, sea-orm, diesel and the common drivers, sea-orm entities and diesel
//! schema tables.

use stratalint_engine::QualifiedName;

/// Crates that talk to a database.
pub const DB_CRATES: &[&str] = &[
    "sqlx",
    "sqlx_core",
    "sqlx_postgres",
    "sqlx_mysql",
    "sqlx_sqlite",
    "sea_orm",
    "sea_query",
    "diesel",
    "diesel_async",
    "tokio_postgres",
    "postgres",
    "deadpool_postgres",
    "deadpool_diesel",
    "bb8_postgres",
    "rusqlite",
    "tokio_rusqlite",
    "mysql",
    "mysql_async",
    "mongodb",
    "r2d2_postgres",
    "scylla",
];

/// sqlx's query entry points (functions and macros).
const SQLX_QUERY: &[&str] = &[
    "query",
    "query_as",
    "query_scalar",
    "query_with",
    "query_as_with",
    "query_scalar_with",
    "raw_sql",
    "query_file",
    "query_file_as",
    "query_file_scalar",
    "query_unchecked",
    "query_as_unchecked",
    "query_scalar_unchecked",
    "QueryBuilder",
];

/// Types (last segment) that are a pool, a connection or a transaction, in any database crate.
const HANDLE_TYPES: &[&str] = &[
    "Pool",
    "PgPool",
    "MySqlPool",
    "SqlitePool",
    "AnyPool",
    "PoolOptions",
    "PgPoolOptions",
    "PgConnection",
    "MySqlConnection",
    "SqliteConnection",
    "AnyConnection",
    "Transaction",
    "DatabaseConnection",
    "DbConn",
    "DatabaseTransaction",
    "Database",
    "AsyncPgConnection",
    "AsyncMysqlConnection",
    "Client",
    "Connection",
    "PooledConnection",
    "Object",
    "ConnectionManager",
];

/// Project-local names that are almost always a pool or connection alias (`type DbPool = …`).
const HANDLE_ALIASES: &[&str] = &[
    "DbPool",
    "DatabasePool",
    "PgPool",
    "ConnectionPool",
    "DbConnection",
    "DbConn",
    "PgConn",
    "Db",
];

/// What kind of database access a resolved path is, if any.
pub fn db_access(q: &QualifiedName) -> Option<&'static str> {
    let first = q.first();
    let last = q.last();
    if first == "sqlx" || first.starts_with("sqlx_") {
        if SQLX_QUERY.contains(&last) || q.segments().any(|s| s == "QueryBuilder") {
            return Some("an sqlx query");
        }
        if HANDLE_TYPES.contains(&last)
            || q.segments().any(|s| HANDLE_TYPES.contains(&s)) && q.is_associated()
        {
            return Some("an sqlx pool or connection");
        }
        return None;
    }
    if first == "sea_orm" {
        if matches!(
            last,
            "DatabaseConnection" | "DbConn" | "DatabaseTransaction" | "Database" | "Statement"
        ) || q
            .segments()
            .any(|s| matches!(s, "Database" | "DatabaseConnection"))
        {
            return Some("a sea-orm connection");
        }
        return None;
    }
    if first == "diesel" || first == "diesel_async" {
        if matches!(
            last,
            "insert_into" | "update" | "delete" | "sql_query" | "replace_into" | "select"
        ) || q.segments().any(|s| {
            matches!(
                s,
                "PgConnection"
                    | "SqliteConnection"
                    | "MysqlConnection"
                    | "AsyncPgConnection"
                    | "AsyncMysqlConnection"
            )
        }) || q.starts_with("diesel::r2d2")
        {
            return Some("a diesel query or connection");
        }
        return None;
    }
    if DB_CRATES.contains(&first) {
        if HANDLE_TYPES.contains(&last)
            || q.segments().any(|s| HANDLE_TYPES.contains(&s))
            || last == "connect"
        {
            return Some("a database client");
        }
        return None;
    }
    // sea-orm entities: `user::Entity::find()`, `Entity::insert(..)`
    let path = q.as_str();
    // the path before its last segment, if it has two or more (segments hold no `:`)
    if let Some(head) = path.len().checked_sub(last.len() + 2).map(|n| &path[..n]) {
        // the second-to-last segment is `Entity`
        if (head == "Entity" || head.ends_with(":Entity"))
            && (last.starts_with("find")
                || last.starts_with("insert")
                || last.starts_with("update")
                || last.starts_with("delete"))
        {
            return Some("a sea-orm entity query");
        }
        // diesel tables: `schema::users::table`, `schema::users::dsl::*` (two segments after the
        // first `schema`)
        let mut segs = q.segments();
        if segs.any(|s| s == "schema") && segs.nth(1).is_some_and(|s| s == "table" || s == "dsl") {
            return Some("a diesel table");
        }
    }
    if HANDLE_ALIASES.contains(&last) && !q.first().is_empty() {
        return Some("a database pool");
    }
    None
}

/// Is this path a pool, connection, transaction or database client type, or one of its
/// associated functions (`sqlx::PgPool::connect`, `sea_orm::Database::connect`)? Returns the type's
/// name. Handles are wiring: the composition root builds them; queries run through them.
pub fn db_handle(q: &QualifiedName) -> Option<&str> {
    let first = q.first();
    let sea_orm = [
        "DatabaseConnection",
        "DbConn",
        "DatabaseTransaction",
        "Database",
    ];
    let diesel = [
        "PgConnection",
        "SqliteConnection",
        "MysqlConnection",
        "AsyncPgConnection",
        "AsyncMysqlConnection",
        "Pool",
        "PooledConnection",
        "ConnectionManager",
    ];
    let found = if first == "sea_orm" {
        q.segments().find(|s| sea_orm.contains(s))
    } else if first == "diesel" || first == "diesel_async" {
        q.segments().find(|s| diesel.contains(s))
    } else if DB_CRATES.contains(&first) || first.starts_with("sqlx_") {
        q.segments().find(|s| HANDLE_TYPES.contains(s))
    } else {
        q.segments().find(|s| HANDLE_ALIASES.contains(s))
    };
    found
}

/// Query entry points of sea-orm entities: `user::Entity::find()`, and the same through the
/// prelude alias of an entity (`prelude::User::find_by_id(id)`, `entities::user::Entity::delete_many()`).
pub fn entity_query(q: &QualifiedName) -> bool {
    const METHODS: &[&str] = &[
        "find",
        "find_by_id",
        "insert",
        "insert_many",
        "update",
        "update_many",
        "delete",
        "delete_many",
        "delete_by_id",
    ];
    let segs: Vec<&str> = q.segments().collect();
    if segs.len() < 3 || !METHODS.contains(&segs[segs.len() - 1]) {
        return false;
    }
    let ty = segs[segs.len() - 2];
    // the other types an entity module declares are not entities
    let not_entity = ["Model", "ActiveModel", "Column", "Relation", "PrimaryKey"];
    ty == "Entity"
        || (ty.starts_with(|c: char| c.is_ascii_uppercase())
            && !not_entity.contains(&ty)
            && segs[..segs.len() - 2]
                .iter()
                .any(|s| matches!(*s, "prelude" | "entities" | "entity")))
}

/// sea-orm `ActiveModel` methods that write: `active.insert(&db)`, `.update`, `.save`, `.delete`.
pub const ACTIVE_MODEL_WRITES: &[&str] = &["insert", "update", "save", "delete"];

/// Is this type a sea-orm active model (`entities::user::ActiveModel`)?
pub fn is_active_model(ty: &QualifiedName) -> bool {
    ty.last() == "ActiveModel"
}

/// diesel's query-running trait: importing it is what lets `.load(conn)`, `.execute(conn)`,
/// `.get_result(conn)` run queries.
pub fn is_run_query_dsl(q: &QualifiedName) -> bool {
    matches!(q.first(), "diesel" | "diesel_async") && q.last() == "RunQueryDsl"
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(s: &str) -> Option<&'static str> {
        db_access(&QualifiedName::new(s))
    }

    #[test]
    fn classifies() {
        assert!(q("sqlx::query").is_some());
        assert!(q("sqlx::query_as").is_some());
        assert!(q("sqlx::PgPool").is_some());
        assert!(q("sqlx::postgres::PgPoolOptions::new").is_some());
        assert!(q("sqlx::Error").is_none());
        assert!(q("sqlx::FromRow").is_none());
        assert!(q("sea_orm::DatabaseConnection").is_some());
        assert!(q("sea_orm::Set").is_none());
        assert!(q("app::entities::user::Entity::find_by_id").is_some());
        assert!(q("app::schema::users::table").is_some());
        assert!(q("app::schema::users::dsl::email").is_some());
        assert!(q("diesel::insert_into").is_some());
        assert!(q("diesel::prelude::ExpressionMethods").is_none());
        assert!(q("app::db::DbPool").is_some());
        assert!(q("app::services::UserService").is_none());
    }

    #[test]
    fn handles_entities_and_run_query_dsl() {
        let h = |s: &str| db_handle(&QualifiedName::new(s)).map(str::to_string);
        assert_eq!(h("sqlx::PgPool::connect").as_deref(), Some("PgPool"));
        assert_eq!(
            h("sqlx::postgres::PgPoolOptions::new").as_deref(),
            Some("PgPoolOptions")
        );
        assert_eq!(h("sea_orm::Database::connect").as_deref(), Some("Database"));
        assert_eq!(
            h("diesel::pg::PgConnection::establish").as_deref(),
            Some("PgConnection")
        );
        assert_eq!(h("app::db::DbPool").as_deref(), Some("DbPool"));
        assert_eq!(h("sqlx::query"), None);
        assert_eq!(h("sqlx::Error"), None);
        let e = |s: &str| entity_query(&QualifiedName::new(s));
        assert!(e("app::entities::user::Entity::find"));
        assert!(e("app::entities::prelude::User::find_by_id"));
        assert!(e("shop_entity::post::Entity::delete_many"));
        assert!(
            !e("app::entities::user::Model::find"),
            "Model is not a prelude alias path"
        );
        assert!(!e("app::services::UserService::find"));
        assert!(!e("app::entities::prelude::User::from_row"));
        assert!(is_run_query_dsl(&QualifiedName::new("diesel::RunQueryDsl")));
        assert!(is_run_query_dsl(&QualifiedName::new(
            "diesel_async::RunQueryDsl"
        )));
        assert!(!is_run_query_dsl(&QualifiedName::new("diesel::QueryDsl")));
    }
}
