//! The platform layer every module stands on: configuration, database (connection, schema check,
//! entities), the job outbox and its worker, the mailer, file storage and translations.

pub mod accounts;
pub mod articles;
pub mod audit;
pub mod auth;
pub mod config;
pub mod db;
pub mod demo;
pub mod directory;
pub mod directory_confirm;
pub mod directory_import;
pub mod entity;
pub mod events;
pub mod i18n;
pub mod jobs;
pub mod mail;
pub mod mailings;
pub mod markdown;
pub mod meetings;
pub mod moderation;
pub mod newsletter;
pub mod partners;
pub mod settings;
pub mod smtp;
pub mod totp;

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
