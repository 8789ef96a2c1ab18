//! The kernel every area stands on: configuration, database (connection, schema check, the shared
//! entities), the job outbox and its worker, the mailer, file storage, translations, settings,
//! audit log, sessions and tokens. It knows no area: areas register what they add (see
//! `crates/areas`).

pub mod audit;
pub mod auth;
pub mod config;
pub mod content;
pub mod db;
pub mod entity;
pub mod i18n;
pub mod jobs;
pub mod law;
pub mod mail;
pub mod markdown;
pub mod personal;
pub mod settings;
pub mod smtp;
pub mod totp;
pub mod validation;

pub use wspolnie_storage as storage;

use std::sync::Arc;

/// Everything a request handler or a job needs, cheap to clone.
#[derive(Clone)]
pub struct Platform {
    pub config: Arc<config::Config>,
    pub db: db::Db,
    pub storage: storage::Storage,
    pub mailer: mail::Mailer,
}

impl Platform {
    /// Connects to the database (without migrating), opens storage and the mailer.
    pub async fn open(config: config::Config) -> anyhow::Result<Self> {
        config.validate_storage()?;
        let db = db::Db::connect(&config.database).await?;
        let storage = storage::Storage::open(&config.storage_config())?;
        let mailer = mail::Mailer::from_config(&config.mail)?;
        Ok(Platform {
            config: Arc::new(config),
            db,
            storage,
            mailer,
        })
    }
}
