//! Site settings kept in the `settings` table (city name, logo, contact data, e-mail footer), with
//! a short in-process cache so pages do not query them on every request.
//!
//! The texts visitors read in their language (office name, zone name, office hours, e-mail
//! footer: `TRANSLATED_KEYS`) are entered in Polish under their key and optionally in English
//! under `<key>.en`; an empty English text shows the Polish one (`SiteSettings::for_lang`).

use crate::entity::setting;
use crate::i18n::Lang;
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

/// Keys of `SITE_KEYS` whose text visitors read in their language; the English text is stored
/// under `english_key(key)` and may be empty (the Polish text is shown then).
pub const TRANSLATED_KEYS: &[&str] = &[
    "site.office_name",
    "site.zone_name",
    "site.office_hours",
    "site.email_footer",
];

/// Where the English text of a translated setting is stored (`site.office_name.en`).
pub fn english_key(key: &str) -> String {
    format!("{key}.en")
}

/// The translated texts in one language, as entered (an English one may be empty).
#[derive(Debug, Clone, Default, Serialize)]
pub struct SiteTexts {
    pub office_name: String,
    pub zone_name: String,
    pub office_hours: String,
    pub email_footer: String,
}

impl SiteTexts {
    fn get(&self, field: &str) -> Option<&str> {
        Some(match field {
            "office_name" => &self.office_name,
            "zone_name" => &self.zone_name,
            "office_hours" => &self.office_hours,
            "email_footer" => &self.email_footer,
            _ => return None,
        })
    }
}

/// The site settings as shown in one language (`lang`): `office_name`, `zone_name`,
/// `office_hours` and `email_footer` hold the text for that language, or the Polish one where
/// the English text is empty (`text_lang` tells which).
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
    /// The language these settings are shown in.
    pub lang: Lang,
    /// The translated texts as entered in Polish.
    pub pl: SiteTexts,
    /// The translated texts as entered in English (empty: not translated).
    pub en: SiteTexts,
}

impl SiteSettings {
    /// The settings as shown in `lang`: each translated text in that language, falling back to
    /// Polish where it was not entered.
    pub fn for_lang(&self, lang: Lang) -> SiteSettings {
        if lang == self.lang {
            return self.clone();
        }
        let pick = |pl: &String, en: &String| match lang {
            Lang::En if !en.trim().is_empty() => en.clone(),
            _ => pl.clone(),
        };
        SiteSettings {
            office_name: pick(&self.pl.office_name, &self.en.office_name),
            zone_name: pick(&self.pl.zone_name, &self.en.zone_name),
            office_hours: pick(&self.pl.office_hours, &self.en.office_hours),
            email_footer: pick(&self.pl.email_footer, &self.en.email_footer),
            lang,
            ..self.clone()
        }
    }

    /// The language of the shown text of a translated setting (`office_name`, `zone_name`,
    /// `office_hours`, `email_footer`): `lang`, or Polish when it fell back to the Polish text.
    pub fn text_lang(&self, field: &str) -> Lang {
        match self.lang {
            Lang::Pl => Lang::Pl,
            lang => match self.en.get(field) {
                Some(en) if en.trim().is_empty() => Lang::Pl,
                _ => lang,
            },
        }
    }

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
            lang: Lang::Pl,
            pl: SiteTexts {
                office_name: get("site.office_name"),
                zone_name: get("site.zone_name"),
                office_hours: get("site.office_hours"),
                email_footer: get("site.email_footer"),
            },
            en: SiteTexts {
                office_name: get("site.office_name.en"),
                zone_name: get("site.zone_name.en"),
                office_hours: get("site.office_hours.en"),
                email_footer: get("site.email_footer.en"),
            },
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
/// One copy per language (`Lang::ALL` order).
type Cached = Option<(Instant, Option<i64>, [Arc<SiteSettings>; 2])>;

fn index(lang: Lang) -> usize {
    match lang {
        Lang::Pl => 0,
        Lang::En => 1,
    }
}

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

    /// The settings as shown in `lang`.
    pub async fn get<C: ConnectionTrait>(
        &self,
        db: &C,
        lang: Lang,
    ) -> Result<Arc<SiteSettings>, DbErr> {
        if let Ok(guard) = self.inner.read()
            && let Some((at, _, s)) = guard.as_ref()
            && at.elapsed() < self.ttl
        {
            return Ok(s[index(lang)].clone());
        }
        self.load(db, None, lang).await
    }

    /// The settings as of `content_version` (`content::ContentVersion::current`): loaded again
    /// as soon as the version moved, so a page rendered for the response cache never pairs new
    /// content with old settings.
    pub async fn get_at<C: ConnectionTrait>(
        &self,
        db: &C,
        content_version: i64,
        lang: Lang,
    ) -> Result<Arc<SiteSettings>, DbErr> {
        if let Ok(guard) = self.inner.read()
            && let Some((_, Some(v), s)) = guard.as_ref()
            && *v == content_version
        {
            return Ok(s[index(lang)].clone());
        }
        self.load(db, Some(content_version), lang).await
    }

    async fn load<C: ConnectionTrait>(
        &self,
        db: &C,
        content_version: Option<i64>,
        lang: Lang,
    ) -> Result<Arc<SiteSettings>, DbErr> {
        let site = load_site(db).await?;
        let fresh = Lang::ALL.map(|l| Arc::new(site.for_lang(l)));
        let shown = fresh[index(lang)].clone();
        if let Ok(mut guard) = self.inner.write() {
            *guard = Some((Instant::now(), content_version, fresh));
        }
        Ok(shown)
    }

    pub fn invalidate(&self) {
        if let Ok(mut guard) = self.inner.write() {
            *guard = None;
        }
    }
}
