//! Small helpers the grants pages share for forms read as name–value pairs: a field's value,
//! text cleaned of control characters within a length, an amount as a form shows it, and the
//! call an address names.

use crate::grants::entity::grant_call;
use sea_orm::EntityTrait;
use wspolnie_core::money::Money;
use wspolnie_web::AppState;
use wspolnie_web::errors::{AppError, AppResult};

/// The first value of field `k`, trimmed (empty when absent).
pub fn get(pairs: &[(String, String)], k: &str) -> String {
    pairs
        .iter()
        .find(|(n, _)| n == k)
        .map(|(_, v)| v.trim().to_owned())
        .unwrap_or_default()
}

/// The text without control characters other than line breaks, trimmed; `None` when longer
/// than `max` characters.
pub fn clean(s: &str, max: usize) -> Option<String> {
    let t: String = s
        .chars()
        .filter(|c| !c.is_control() || *c == '\n')
        .collect::<String>()
        .trim()
        .to_owned();
    (t.chars().count() <= max).then_some(t)
}

/// The largest amount a money field takes (1 000 000 000,00 zł), in grosze.
pub const MAX_MONEY: i64 = 100_000_000_000;

/// An amount typed the Polish way ("12 345,67", "12345.5", "100 zł"): 0 to `MAX_MONEY` grosze.
pub fn parse_money(s: &str) -> Option<i64> {
    Money::parse_pl(s)
        .map(|m| m.grosze())
        .filter(|g| (0..=MAX_MONEY).contains(g))
}

/// Grosze as a form field shows them: "12 345,67" (plain spaces, no currency).
pub fn money_field(g: i64) -> String {
    Money(g)
        .to_string()
        .replace('\u{a0}', " ")
        .trim_end_matches(" zł")
        .to_owned()
}

/// The call with this id, or 404.
pub async fn call(state: &AppState, id: i64) -> AppResult<grant_call::Model> {
    grant_call::Entity::find_by_id(id)
        .one(&state.platform.db.conn)
        .await?
        .ok_or(AppError::NotFound)
}
