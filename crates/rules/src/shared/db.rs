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
    let segs: Vec<&str> = q.segments().collect();
    if segs.len() >= 2 {
        let parent = segs[segs.len() - 2];
        if parent == "Entity"
            && (last.starts_with("find")
                || last.starts_with("insert")
                || last.starts_with("update")
                || last.starts_with("delete"))
        {
            return Some("a sea-orm entity query");
        }
        // diesel tables: `schema::users::table`, `schema::users::dsl::*`
        if let Some(i) = segs.iter().position(|s| *s == "schema") {
            if i + 2 < segs.len() + 1
                && segs
                    .get(i + 2)
                    .is_some_and(|s| *s == "table" || *s == "dsl")
            {
                return Some("a diesel table");
            }
        }
    }
    if HANDLE_ALIASES.contains(&last) && !q.first().is_empty() {
        return Some("a database pool");
    }
    None
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
}
