//! Site settings kept in the `settings` table (city name, logo, contact data, e-mail footer), with
//! a short in-process cache so pages do not query them on every request.

use crate::entity::setting;
use chrono::Utc;
use sea_orm::{ActiveValue::Set, ConnectionTrait, DbErr, EntityTrait, sea_query::OnConflict};
use serde::Serialize;
use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

/// Keys an admin may edit, with their defaults.
pub const SITE_KEYS: &[(&str, &str)] = &[
    ("site.city_name", "Wierzbin"),
    ("site.office_name", "Urząd Miejski w Wierzbinie"),
    ("site.zone_name", "Organizacje pozarządowe (NGO)"),
    ("site.logo_url", "/static/herb.svg"),
    ("site.address", "ul. Rynek 1, 00-000 Wierzbin"),
    ("site.phone", "+48 00 000 00 00"),
    ("site.email", "ngo@example.invalid"),
    ("site.office_hours", "pon.–pt. 8:00–16:00"),
    (
        "site.email_footer",
        "Informacje dla organizacji pozarządowych: zakładka NGO na stronie miasta.",
    ),
];

#[derive(Debug, Clone, Serialize)]
pub struct SiteSettings {
    pub city_name: String,
    pub office_name: String,
    pub zone_name: String,
    pub logo_url: String,
    pub address: String,
    pub phone: String,
    pub email: String,
    pub office_hours: String,
    pub email_footer: String,
}

impl SiteSettings {
    fn from_map(m: &HashMap<String, String>) -> Self {
        let get = |k: &str| {
            m.get(k)
                .cloned()
                .or_else(|| {
                    SITE_KEYS
                        .iter()
                        .find(|(key, _)| *key == k)
                        .map(|(_, v)| (*v).to_owned())
                })
                .unwrap_or_default()
        };
        SiteSettings {
            city_name: get("site.city_name"),
            office_name: get("site.office_name"),
            zone_name: get("site.zone_name"),
            logo_url: get("site.logo_url"),
            address: get("site.address"),
            phone: get("site.phone"),
            email: get("site.email"),
            office_hours: get("site.office_hours"),
            email_footer: get("site.email_footer"),
        }
    }
}

/// Settings with every value at its default (used when the database cannot be read).
pub fn defaults() -> SiteSettings {
    SiteSettings::from_map(&HashMap::new())
}

pub async fn load_all<C: ConnectionTrait>(db: &C) -> Result<HashMap<String, String>, DbErr> {
    Ok(setting::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.key, s.value))
        .collect())
}

pub async fn load_site<C: ConnectionTrait>(db: &C) -> Result<SiteSettings, DbErr> {
    Ok(SiteSettings::from_map(&load_all(db).await?))
}

fn row(key: &str, value: &str) -> setting::ActiveModel {
    setting::ActiveModel {
        key: Set(key.to_owned()),
        value: Set(value.to_owned()),
        updated_at: Set(Utc::now()),
    }
}

pub async fn set<C: ConnectionTrait>(db: &C, key: &str, value: &str) -> Result<(), DbErr> {
    setting::Entity::insert(row(key, value))
        .on_conflict(
            OnConflict::column(setting::Column::Key)
                .update_columns([setting::Column::Value, setting::Column::UpdatedAt])
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    Ok(())
}

/// Inserts the value only if the key is absent; returns the value stored afterwards. Used for the
/// signing secret so that several instances starting at once agree on one value.
pub async fn get_or_insert<C: ConnectionTrait>(
    db: &C,
    key: &str,
    value: &str,
) -> Result<String, DbErr> {
    setting::Entity::insert(row(key, value))
        .on_conflict(
            OnConflict::column(setting::Column::Key)
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    let stored = setting::Entity::find_by_id(key.to_owned()).one(db).await?;
    stored
        .map(|r| r.value)
        .ok_or_else(|| DbErr::RecordNotFound(key.to_owned()))
}

/// The deployment's signing secret: `server.secret` from the configuration, or one random value
/// created once in the settings table (every instance and every job then agrees on it).
pub async fn signing_secret<C: ConnectionTrait>(
    db: &C,
    config: &crate::config::Config,
) -> Result<String, DbErr> {
    if !config.server.secret.is_empty() {
        return Ok(config.server.secret.clone());
    }
    let mut buf = [0u8; 32];
    rand::RngCore::fill_bytes(&mut rand::rng(), &mut buf);
    get_or_insert(db, "server.secret", &hex::encode(buf)).await
}

/// Site settings cached for a few seconds (instances converge within that time after an edit),
/// or for as long as the content version stays the same (`get_at`).
type Cached = Option<(Instant, Option<i64>, Arc<SiteSettings>)>;

#[derive(Clone)]
pub struct SiteCache {
    inner: Arc<RwLock<Cached>>,
    ttl: Duration,
}

impl SiteCache {
    pub fn new(ttl: Duration) -> Self {
        SiteCache {
            inner: Arc::new(RwLock::new(None)),
            ttl,
        }
    }

    pub async fn get<C: ConnectionTrait>(&self, db: &C) -> Result<Arc<SiteSettings>, DbErr> {
        if let Ok(guard) = self.inner.read()
            && let Some((at, _, s)) = guard.as_ref()
            && at.elapsed() < self.ttl
        {
            return Ok(s.clone());
        }
        self.load(db, None).await
    }

    /// The settings as of `content_version` (`content::ContentVersion::current`): loaded again
    /// as soon as the version moved, so a page rendered for the response cache never pairs new
    /// content with old settings.
    pub async fn get_at<C: ConnectionTrait>(
        &self,
        db: &C,
        content_version: i64,
    ) -> Result<Arc<SiteSettings>, DbErr> {
        if let Ok(guard) = self.inner.read()
            && let Some((_, Some(v), s)) = guard.as_ref()
            && *v == content_version
        {
            return Ok(s.clone());
        }
        self.load(db, Some(content_version)).await
    }

    async fn load<C: ConnectionTrait>(
        &self,
        db: &C,
        content_version: Option<i64>,
    ) -> Result<Arc<SiteSettings>, DbErr> {
        let fresh = Arc::new(load_site(db).await?);
        if let Ok(mut guard) = self.inner.write() {
            *guard = Some((Instant::now(), content_version, fresh.clone()));
        }
        Ok(fresh)
    }

    pub fn invalidate(&self) {
        if let Ok(mut guard) = self.inner.write() {
            *guard = None;
        }
    }
}
