//! Small helpers the grants pages share for forms read as name–value pairs: a field's value,
//! text cleaned of control characters within a length, an amount as a form shows it, the
//! problems of a checked form as localised errors, the call an address names, and the names of
//! organisations and offers a list shows.

use crate::directory::entity::organization;
use crate::grants::entity::{grant_call, grant_offer};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};
use std::collections::HashMap;
use wspolnie_web::ctx::PageCtx;
use wspolnie_web::forms::Errors;
use wspolnie_core::money::Money;
use wspolnie_web::AppState;
use wspolnie_web::errors::{AppError, AppResult};

pub use wspolnie_core::text::clean;
pub use wspolnie_web::forms::get;

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

/// A field of a checked form, what is wrong with it (a Fluent id) and the row's number its
/// message names (0 when none), so no two messages on one form read the same.
pub type Problem = (String, &'static str, usize);

/// The problems as errors next to their fields (the first problem of a field wins).
pub fn localise(ctx: &PageCtx, problems: &[Problem]) -> Errors {
    let mut e = Errors::default();
    for (field, key, n) in problems {
        if e.get(field).is_none() {
            let msg = if *n > 0 { ctx.t1(key, "n", &n.to_string()) } else { ctx.t(key) };
            e.add(field.clone(), msg);
        }
    }
    e
}

/// Organisations' names by id, read once for a list.
pub async fn organization_names<C: ConnectionTrait>(db: &C, ids: Vec<i64>) -> Result<HashMap<i64, String>, DbErr> {
    Ok(organization::Entity::find()
        .filter(organization::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|o| (o.id, o.name))
        .collect())
}

/// Offers' titles by id, read once for a list.
pub async fn offer_titles<C: ConnectionTrait>(db: &C, ids: Vec<i64>) -> Result<HashMap<i64, String>, DbErr> {
    Ok(grant_offer::Entity::find()
        .filter(grant_offer::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|o| (o.id, o.title))
        .collect())
}
