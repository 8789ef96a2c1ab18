//! One migration tree for SQLite and PostgreSQL. Each migration uses the portable schema builder;
//! where the dialects must differ, the migration asks `manager.get_database_backend()`.

pub use sea_orm_migration::prelude::*;

mod m20261121_000001_foundation;
mod m20261122_000001_accounts;
mod m20261122_000002_directory;
mod m20261122_000003_profiles;
mod m20261202_000001_events;
mod m20261202_000002_pages;
mod m20261202_000003_partners;
mod m20261202_000004_newsletter;
mod m20261202_000005_mailings;
mod m20261202_000006_meetings;
mod m20261204_000002_signin_security;
mod m20261205_000001_content_version;
mod m20261205_000002_directory_imports;
mod m20261206_000001_content_languages;
mod m20261207_000001_grants;
mod m20261208_000001_grant_commission;
mod m20261208_000002_grant_opinion;
mod m20261208_000003_grant_decision;
mod m20261208_000004_grant_reason_requests;
mod m20261209_000001_grant_annulment_updates;
mod m20261210_000001_grant_contracts;
mod m20261211_000001_grant_reports;
mod m20261212_000001_small_grants;
mod m20261213_000001_consultations;
mod m20261214_000001_programme;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261121_000001_foundation::Migration),
            Box::new(m20261122_000001_accounts::Migration),
            Box::new(m20261122_000002_directory::Migration),
            Box::new(m20261122_000003_profiles::Migration),
            Box::new(m20261202_000001_events::Migration),
            Box::new(m20261202_000002_pages::Migration),
            Box::new(m20261202_000003_partners::Migration),
            Box::new(m20261202_000004_newsletter::Migration),
            Box::new(m20261202_000005_mailings::Migration),
            Box::new(m20261202_000006_meetings::Migration),
            Box::new(m20261204_000002_signin_security::Migration),
            Box::new(m20261205_000001_content_version::Migration),
            Box::new(m20261205_000002_directory_imports::Migration),
            Box::new(m20261206_000001_content_languages::Migration),
            Box::new(m20261207_000001_grants::Migration),
            Box::new(m20261208_000001_grant_commission::Migration),
            Box::new(m20261208_000002_grant_opinion::Migration),
            Box::new(m20261208_000003_grant_decision::Migration),
            Box::new(m20261208_000004_grant_reason_requests::Migration),
            Box::new(m20261209_000001_grant_annulment_updates::Migration),
            Box::new(m20261210_000001_grant_contracts::Migration),
            Box::new(m20261211_000001_grant_reports::Migration),
            Box::new(m20261212_000001_small_grants::Migration),
            Box::new(m20261213_000001_consultations::Migration),
            Box::new(m20261214_000001_programme::Migration),
        ]
    }
}

/// Names of all migrations this binary knows, in order.
pub fn known_migrations() -> Vec<String> {
    Migrator::migrations()
        .iter()
        .map(|m| m.name().to_owned())
        .collect()
}
