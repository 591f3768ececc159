//! Migrations: where they live, how they are named, whether their tool can run them all and in
//! order, and schema changes made outside them.
//!
//! The per-file hooks record small facts ([`units::Candidate`], one per file that may be a
//! migration); the cross-file rules classify them with the settings of
//! `[rules.migration-file-name]` ([`preset::Settings`]).

mod alembic_create_date;
mod alembic_revision_chain;
mod ddl_outside_migrations;
mod migration_duplicate_version;
mod migration_file_name;
mod migration_future_timestamp;
mod migration_registration;
mod migration_reversible_pair;

pub mod alembic;
pub mod fix;
pub mod names;
pub mod preset;
pub mod sea_orm;
pub mod timestamp;
pub mod units;

pub use preset::{detect_preset, Preset, Settings};

/// `migration-future-timestamp` with today's date fixed (the rule reads the system clock).
pub fn future_timestamp_rule(today: timestamp::Date) -> Box<dyn stratalint_engine::Rule> {
    Box::new(migration_future_timestamp::MigrationFutureTimestamp { today: Some(today) })
}

pub fn rules() -> Vec<Box<dyn stratalint_engine::Rule>> {
    vec![
        Box::new(migration_file_name::MigrationFileName::default()),
        Box::new(migration_future_timestamp::MigrationFutureTimestamp::default()),
        Box::new(migration_duplicate_version::MigrationDuplicateVersion),
        Box::new(migration_reversible_pair::MigrationReversiblePair),
        Box::new(migration_registration::MigrationRegistration),
        Box::new(alembic_revision_chain::AlembicRevisionChain),
        Box::new(alembic_create_date::AlembicCreateDate),
        Box::new(ddl_outside_migrations::DdlOutsideMigrations),
    ]
}
