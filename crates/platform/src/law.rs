//! Law as data: statutory values (and an office's standing rules) kept as dated settings. Each
//! value has the day it applies from; an area lists its values with their defaults (the law as
//! in force) by implementing `Statute`, and a deployment adds rows in the settings table under
//! the value's key as JSON `[{"from": "YYYY-MM-DD", "value": n}]` when the law changes, without a
//! release. The value that applies on a day is the one with the latest `from` not after it.

use crate::entity::setting;
use chrono::NaiveDate;
use sea_orm::{ConnectionTrait, DbErr, EntityTrait};
use serde::Deserialize;

/// A value and the day it applies from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub struct Dated {
    pub from: NaiveDate,
    pub value: i64,
}

/// A value an area reads by the day: its settings key and its defaults.
pub trait Statute: Copy {
    /// Its key in the settings table (`grants.law.min_offer_days`).
    fn key(self) -> &'static str;
    /// The value as in force, with the days it applies from.
    fn defaults(self) -> &'static [Dated];
}

/// The value in `rows` that applies on `day`.
pub fn applicable(rows: &[Dated], day: NaiveDate) -> Option<i64> {
    rows.iter()
        .filter(|r| r.from <= day)
        .max_by_key(|r| r.from)
        .map(|r| r.value)
}

async fn stored<C: ConnectionTrait>(db: &C, key: &str) -> Result<Vec<Dated>, DbErr> {
    Ok(setting::Entity::find_by_id(key.to_owned())
        .one(db)
        .await?
        .and_then(|s| serde_json::from_str::<Vec<Dated>>(&s.value).ok())
        .unwrap_or_default())
}

/// Every row of `law` as it applies over time: the deployment's rows, and the defaults for the
/// days before the first of them (for values applied day by day, such as interest).
pub async fn rows<C: ConnectionTrait, S: Statute>(db: &C, law: S) -> Result<Vec<Dated>, DbErr> {
    let mut rows = stored(db, law.key()).await?;
    let first = rows.iter().map(|r| r.from).min();
    rows.extend(
        law.defaults()
            .iter()
            .filter(|d| first.is_none_or(|f| d.from < f)),
    );
    Ok(rows)
}

/// The value of `law` on `day`: the deployment's rows where they cover the day, else the
/// defaults.
pub async fn value<C: ConnectionTrait, S: Statute>(
    db: &C,
    law: S,
    day: NaiveDate,
) -> Result<i64, DbErr> {
    let stored = stored(db, law.key()).await?;
    Ok(applicable(&stored, day)
        .or_else(|| applicable(law.defaults(), day))
        .unwrap_or(0))
}
