//! The annulment of a call (art. 18a UDPP; issue 18, item 5). The office must annul a call when
//! no offer came in (ust. 1 pkt 1) or none of those that came in meets the call's requirements
//! (pkt 2); it may also cancel a call on another ground it states. The ground is checked against
//! the offers actually held, the annulment recorded with its date and reason, and published the
//! way results are (art. 18a ust. 2): on the call's page, as a PDF, in the Atom feed and the API;
//! every offeror is e-mailed.

use crate::grants::entity::grant_call::{self, Status};
use crate::grants::entity::grant_offer::{self, Status as OfferStatus};
use crate::grants::model::{self as calls, MoveError};
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    IntoActiveModel, QueryFilter,
};
use wspolnie_platform::audit::Actor;
use wspolnie_platform::i18n::Lang;

/// Why a call is annulled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ground {
    /// Art. 18a ust. 1 pkt 1: no offer was submitted.
    NoOffers,
    /// Art. 18a ust. 1 pkt 2: no submitted offer meets the call's requirements.
    NoValidOffer,
    /// Another ground the office states (e.g. the task's funds withdrawn before the deadline).
    Other,
}

impl Ground {
    pub const ALL: [Ground; 3] = [Ground::NoOffers, Ground::NoValidOffer, Ground::Other];

    pub fn code(self) -> &'static str {
        match self {
            Ground::NoOffers => "no_offers",
            Ground::NoValidOffer => "no_valid_offer",
            Ground::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<Ground> {
        Ground::ALL.into_iter().find(|g| g.code() == s)
    }

    /// The message key of the ground's published wording.
    pub fn label_key(self) -> String {
        format!("annul-ground-{}", self.code().replace('_', "-"))
    }
}

/// The offers a call holds, as far as an annulment asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Held {
    /// Offers submitted (any status but draft and withdrawn).
    pub submitted: usize,
    /// Of those, the ones not formally rejected.
    pub not_rejected: usize,
}

pub async fn held<C: ConnectionTrait>(db: &C, call_id: i64) -> Result<Held, DbErr> {
    let offers = grant_offer::Entity::find()
        .filter(grant_offer::Column::CallId.eq(call_id))
        .filter(grant_offer::Column::Status.is_not_in([OfferStatus::Draft, OfferStatus::Withdrawn]))
        .all(db)
        .await?;
    Ok(Held {
        submitted: offers.len(),
        not_rejected: offers.iter().filter(|o| o.status != OfferStatus::Rejected).count(),
    })
}

/// Why an annulment was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// The call's life cycle does not allow it now.
    NotAllowed,
    /// The ground does not hold: offers came in (pkt 1), or one is not rejected (pkt 2), or the
    /// deadline has not passed yet (both).
    GroundFails,
    /// The reason is too short (required for "other", at least 10 characters).
    Reason,
}

/// Whether `ground` holds for a call in `status` (as of now) holding `held`, with `reason`.
pub fn check(ground: Ground, status: Status, held: Held, reason: &str) -> Result<(), Refusal> {
    if !grant_call::allowed(status, Status::Annulled) || status == Status::Annulled {
        return Err(Refusal::NotAllowed);
    }
    let after_deadline = matches!(status, Status::Closed | Status::InEvaluation);
    match ground {
        Ground::NoOffers if !(after_deadline && held.submitted == 0) => Err(Refusal::GroundFails),
        Ground::NoValidOffer if !(after_deadline && held.submitted > 0 && held.not_rejected == 0) => {
            Err(Refusal::GroundFails)
        }
        Ground::Other if reason.trim().chars().count() < 10 => Err(Refusal::Reason),
        _ => Ok(()),
    }
}

/// Annuls the call on the caller's transaction: checks the ground against the offers held now,
/// moves the call (audited), records the date, ground and reason, and queues an e-mail to every
/// offeror. `Ok(Err(_))`: refused, nothing written.
pub async fn annul<C: ConnectionTrait>(
    db: &C,
    c: grant_call::Model,
    ground: Ground,
    reason: &str,
    actor: &Actor,
    public_url: &str,
) -> Result<Result<grant_call::Model, Refusal>, DbErr> {
    let now = Utc::now();
    let h = held(db, c.id).await?;
    if let Err(r) = check(ground, calls::effective_status(&c, now), h, reason) {
        return Ok(Err(r));
    }
    let reason = reason.trim();
    let saved = match calls::move_to(db, c, Status::Annulled, reason, actor).await {
        Ok((saved, _)) => saved,
        Err(MoveError::Db(e)) => return Err(e),
        Err(_) => return Ok(Err(Refusal::NotAllowed)),
    };
    let mut a = saved.into_active_model();
    a.annulled_at = Set(Some(now));
    a.annul_ground = Set(ground.code().to_owned());
    a.annul_reason = Set(reason.to_owned());
    let saved = a.update(db).await?;
    let offers = grant_offer::Entity::find()
        .filter(grant_offer::Column::CallId.eq(saved.id))
        .filter(grant_offer::Column::Status.is_not_in([OfferStatus::Draft, OfferStatus::Withdrawn]))
        .all(db)
        .await?;
    let pl = Lang::Pl;
    let link = crate::grants::public::call_url(public_url, &saved);
    for o in offers {
        let vars = serde_json::json!({
            "call": saved.title,
            "number": saved.number,
            "offer": o.title,
            "ground": pl.t(&ground.label_key()),
            "reason": reason,
            "link": link,
        });
        crate::grants::formal::mail_offeror(db, &o, "grant_call_annulled", vars, &format!("grant-call-annulled:{}", o.id))
            .await?;
    }
    Ok(Ok(saved))
}

/// A published annulment, as its page, PDF, feed and API show it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct Annulment {
    /// When the call was annulled (RFC 3339, Warsaw offset).
    pub annulled_at: String,
    /// `no_offers` (art. 18a ust. 1 pkt 1), `no_valid_offer` (pkt 2) or `other`.
    pub ground: String,
    /// The ground in words.
    pub ground_text: String,
    /// The office's reason as written.
    pub reason: String,
}

/// When the call was annulled (calls annulled before the date was recorded: their last change).
pub fn when(c: &grant_call::Model) -> DateTime<Utc> {
    c.annulled_at.unwrap_or(c.updated_at)
}

/// The call's annulment, if it was annulled (calls annulled before the ground was recorded show
/// "other" with the date of their last change).
pub fn of(lang: Lang, c: &grant_call::Model) -> Option<Annulment> {
    if c.status != Status::Annulled {
        return None;
    }
    let ground = Ground::parse(&c.annul_ground).unwrap_or(Ground::Other);
    Some(Annulment {
        annulled_at: wspolnie_web::fmt::iso(when(c)),
        ground: ground.code().to_owned(),
        ground_text: lang.t(&ground.label_key()),
        reason: c.annul_reason.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grounds_hold_only_on_the_offers_held() {
        let none = Held::default();
        let one_valid = Held { submitted: 1, not_rejected: 1 };
        let all_rejected = Held { submitted: 2, not_rejected: 0 };
        // Before the deadline neither statutory ground can hold.
        assert_eq!(check(Ground::NoOffers, Status::Open, none, ""), Err(Refusal::GroundFails));
        assert_eq!(check(Ground::NoOffers, Status::Closed, none, ""), Ok(()));
        assert_eq!(check(Ground::NoOffers, Status::Closed, one_valid, ""), Err(Refusal::GroundFails));
        assert_eq!(check(Ground::NoValidOffer, Status::Closed, none, ""), Err(Refusal::GroundFails));
        assert_eq!(check(Ground::NoValidOffer, Status::InEvaluation, all_rejected, ""), Ok(()));
        assert_eq!(
            check(Ground::NoValidOffer, Status::InEvaluation, one_valid, ""),
            Err(Refusal::GroundFails)
        );
        assert_eq!(check(Ground::Other, Status::Open, one_valid, "za krótko"), Err(Refusal::Reason));
        assert_eq!(check(Ground::Other, Status::Open, one_valid, "Środki wycofane z budżetu"), Ok(()));
        // A decided call is never annulled; a draft is not public, so it is deleted, not annulled.
        assert_eq!(check(Ground::Other, Status::Decided, none, "Środki wycofane"), Err(Refusal::NotAllowed));
        assert_eq!(check(Ground::NoOffers, Status::Draft, none, ""), Err(Refusal::NotAllowed));
    }
}
