//! The competition commission of a call (issue 18): nominations with the automatic exclusion of
//! nominees of organisations that submitted an offer (art. 15 ust. 2d UDPP), members and their
//! impartiality statements, recusals, score cards saved with compare-and-set, and the tally of
//! an offer from its cards (`scoring`). Storage and rules only; the pages call these functions
//! inside their write transactions.
//!
//! Concurrency: a card is saved under a shared lock of the commission's row and the commission
//! moves under an exclusive one (PostgreSQL `FOR SHARE` / `FOR UPDATE`; SQLite serialises every
//! write transaction), so a card saved while the chair closes scoring is either in before the
//! close or refused after it — never half.

use crate::grants::entity::grant_call;
use crate::grants::entity::grant_commission::{self as commission, Status};
use crate::grants::entity::grant_commission_member::{self as member, Kind};
use crate::grants::entity::grant_nomination::{self as nomination};
use crate::grants::entity::grant_offer::{self, Status as OfferStatus};
use crate::grants::entity::grant_opinion_line as opinion;
use crate::grants::entity::grant_recusal::{self as recusal, Source};
use crate::grants::entity::grant_score_card as card;
use crate::grants::model::Criterion;
use crate::grants::scoring::{self, Card, Tally};
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    QueryFilter, QueryOrder, QuerySelect,
};
use sha2::Digest;
use wspolnie_platform::audit::{self, Actor};
use wspolnie_platform::entity::organization_member;

/// The version of the impartiality statement's text below; recorded with each statement.
pub const STATEMENT_VERSION: &str = "2026-12-kpa24";

/// The impartiality statement a member makes before seeing any offer (KPA art. 24 § 1–2 grounds,
/// as art. 15 ust. 2d UDPP applies them to the commission).
pub const STATEMENT_TEXT: &str = "Oświadczam, że nie zachodzą wobec mnie okoliczności, które \
według art. 24 Kodeksu postępowania administracyjnego wyłączałyby mnie z udziału w ocenie ofert \
w tym konkursie: nie jestem oferentem ani nie pozostaję z oferentem w takim stosunku prawnym, że \
wynik konkursu mógłby wpływać na moje prawa lub obowiązki; nie jestem małżonkiem, krewnym ani \
powinowatym do drugiego stopnia, przysposobionym, opiekunem lub kuratorem członka organów \
oferenta ani jego pracownikiem. Gdy okoliczność taka dotyczy jednej z ofert, wyłączę się z jej \
oceny. Zobowiązuję się zachować w tajemnicy oceny i obrady komisji do ogłoszenia wyników.";

/// SHA-256 of the statement's text, recorded with each statement.
pub fn statement_sha256() -> String {
    hex::encode(sha2::Sha256::digest(STATEMENT_TEXT.as_bytes()))
}

/// Offer statuses that reach the commission: the formal check found them complete.
pub const TO_SCORE: [OfferStatus; 1] = [OfferStatus::Complete];

/// The call's commission, created with the default rules on first use.
pub async fn ensure<C: ConnectionTrait>(db: &C, call: &grant_call::Model) -> Result<commission::Model, DbErr> {
    if let Some(c) = commission::Entity::find()
        .filter(commission::Column::CallId.eq(call.id))
        .one(db)
        .await?
    {
        return Ok(c);
    }
    let now = Utc::now();
    commission::ActiveModel {
        call_id: Set(call.id),
        nominations_until: Set(None),
        min_score_centi: Set(0),
        spread_limit: Set(10),
        reduced_days: Set(10),
        share_rule: Set(true),
        status: Set(Status::Forming),
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(0),
        ..Default::default()
    }
    .insert(db)
    .await
}

/// Organisations with an offer submitted in the call (any state after submission except
/// withdrawn): their nominees may not sit on the commission.
pub async fn offering_organisations<C: ConnectionTrait>(db: &C, call_id: i64) -> Result<Vec<i64>, DbErr> {
    let rows = grant_offer::Entity::find()
        .filter(grant_offer::Column::CallId.eq(call_id))
        .filter(grant_offer::Column::CurrentVersion.gt(0))
        .filter(grant_offer::Column::Status.ne(OfferStatus::Withdrawn))
        .all(db)
        .await?;
    let mut ids: Vec<i64> = rows.into_iter().map(|o| o.organization_id).collect();
    ids.sort_unstable();
    ids.dedup();
    Ok(ids)
}

/// The reason recorded on an excluded nomination (Polish, as shown to the organisation).
pub const EXCLUDED_REASON: &str =
    "Organizacja złożyła ofertę w tym konkursie (art. 15 ust. 2d ustawy o działalności pożytku publicznego).";

/// A nomination by an organisation, excluded at once when the organisation has an offer in the
/// call. Returns the stored row.
pub async fn nominate<C: ConnectionTrait>(
    db: &C,
    com: &commission::Model,
    call: &grant_call::Model,
    organization_id: i64,
    name: &str,
    email: &str,
    actor: &Actor,
) -> Result<nomination::Model, DbErr> {
    let offering = offering_organisations(db, call.id).await?.contains(&organization_id);
    let now = Utc::now();
    // The same person nominated twice by one organisation (a double press, two windows) stays
    // one nomination: the unique index keeps the first and the second is answered with it.
    let inserted = nomination::Entity::insert(nomination::ActiveModel {
        commission_id: Set(com.id),
        organization_id: Set(organization_id),
        name: Set(name.to_owned()),
        email: Set(email.to_owned()),
        nominated_by: Set(actor.user_id),
        status: Set(if offering { nomination::Status::Excluded } else { nomination::Status::Nominated }),
        reason: Set(if offering { EXCLUDED_REASON.to_owned() } else { String::new() }),
        created_at: Set(now),
        decided_at: Set(offering.then_some(now)),
        ..Default::default()
    })
    .on_conflict(
        OnConflict::columns([
            nomination::Column::CommissionId,
            nomination::Column::OrganizationId,
            nomination::Column::Email,
        ])
        .do_nothing()
        .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    let row = nomination::Entity::find()
        .filter(nomination::Column::CommissionId.eq(com.id))
        .filter(nomination::Column::OrganizationId.eq(organization_id))
        .filter(nomination::Column::Email.eq(email))
        .one(db)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound("grant_nominations".into()))?;
    if inserted == 0 {
        return Ok(row);
    }
    audit::record(
        db,
        actor,
        "grant_commission.nominate",
        "grant_commission",
        com.id,
        None::<&()>,
        Some(&serde_json::json!({
            "nomination": row.id, "organization": organization_id, "name": name,
            "email": email, "status": row.status.as_str(),
        })),
    )
    .await?;
    Ok(row)
}

/// Re-checks every open nomination against the offers now submitted (an organisation may submit
/// after nominating) and excludes the nominees of offering organisations. Returns how many.
pub async fn exclude_offerors<C: ConnectionTrait>(
    db: &C,
    com: &commission::Model,
    actor: &Actor,
) -> Result<u64, DbErr> {
    let offering = offering_organisations(db, com.call_id).await?;
    if offering.is_empty() {
        return Ok(0);
    }
    let r = nomination::Entity::update_many()
        .col_expr(nomination::Column::Status, Expr::value(nomination::Status::Excluded))
        .col_expr(nomination::Column::Reason, Expr::value(EXCLUDED_REASON))
        .col_expr(nomination::Column::DecidedAt, Expr::value(Utc::now()))
        .filter(nomination::Column::CommissionId.eq(com.id))
        .filter(nomination::Column::Status.eq(nomination::Status::Nominated))
        .filter(nomination::Column::OrganizationId.is_in(offering))
        .exec(db)
        .await?;
    if r.rows_affected > 0 {
        audit::record(
            db,
            actor,
            "grant_commission.exclude_nominees",
            "grant_commission",
            com.id,
            None::<&()>,
            Some(&serde_json::json!({ "excluded": r.rows_affected })),
        )
        .await?;
    }
    Ok(r.rows_affected)
}

/// What appointing needs.
pub struct Appointee<'a> {
    pub kind: Kind,
    pub name: &'a str,
    pub email: &'a str,
    pub user_id: Option<i64>,
    pub is_chair: bool,
    pub nomination_id: Option<i64>,
}

/// Why an appointment was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AppointError {
    /// The commission no longer takes members.
    NotForming,
    /// The nomination is excluded or already decided.
    Nomination,
    /// The chair must be an official.
    ChairNotOfficial,
    /// The person is already a member.
    Duplicate,
}

/// Appoints a member (and, for a nominee, decides the nomination). The chair is one official:
/// naming a new chair takes the title from the previous one.
pub async fn appoint<C: ConnectionTrait>(
    db: &C,
    com: &commission::Model,
    a: &Appointee<'_>,
    actor: &Actor,
) -> Result<Result<member::Model, AppointError>, DbErr> {
    // The stored status decides, read under the lock the commission's moves take.
    let Some(com) = commission::Entity::find_by_id(com.id)
        .lock_exclusive()
        .one(db)
        .await?
    else {
        return Ok(Err(AppointError::NotForming));
    };
    if com.status != Status::Forming {
        return Ok(Err(AppointError::NotForming));
    }
    if a.is_chair && a.kind != Kind::Official {
        return Ok(Err(AppointError::ChairNotOfficial));
    }
    if member::Entity::find()
        .filter(member::Column::CommissionId.eq(com.id))
        .filter(member::Column::Email.eq(a.email))
        .one(db)
        .await?
        .is_some()
    {
        return Ok(Err(AppointError::Duplicate));
    }
    if let Some(nid) = a.nomination_id {
        let r = nomination::Entity::update_many()
            .col_expr(nomination::Column::Status, Expr::value(nomination::Status::Appointed))
            .col_expr(nomination::Column::DecidedAt, Expr::value(Utc::now()))
            .filter(nomination::Column::Id.eq(nid))
            .filter(nomination::Column::CommissionId.eq(com.id))
            .filter(nomination::Column::Status.eq(nomination::Status::Nominated))
            .exec(db)
            .await?;
        if r.rows_affected == 0 {
            return Ok(Err(AppointError::Nomination));
        }
    }
    if a.is_chair {
        member::Entity::update_many()
            .col_expr(member::Column::IsChair, Expr::value(false))
            .filter(member::Column::CommissionId.eq(com.id))
            .exec(db)
            .await?;
    }
    let m = member::ActiveModel {
        commission_id: Set(com.id),
        user_id: Set(a.user_id),
        kind: Set(a.kind),
        name: Set(a.name.to_owned()),
        email: Set(a.email.to_owned()),
        is_chair: Set(a.is_chair),
        nomination_id: Set(a.nomination_id),
        statement_at: Set(None),
        statement_version: Set(String::new()),
        statement_sha256: Set(String::new()),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    audit::record(
        db,
        actor,
        "grant_commission.appoint",
        "grant_commission",
        com.id,
        None::<&()>,
        Some(&serde_json::json!({
            "member": m.id, "kind": a.kind.as_str(), "name": a.name, "email": a.email,
            "chair": a.is_chair, "nomination": a.nomination_id,
        })),
    )
    .await?;
    Ok(Ok(m))
}

/// Records the member's impartiality statement (once; the first one stands) and the recusals
/// the directory shows: every offer of an organisation the member's account belongs to.
pub async fn make_statement<C: ConnectionTrait>(
    db: &C,
    m: &member::Model,
    now: DateTime<Utc>,
    actor: &Actor,
) -> Result<(), DbErr> {
    let r = member::Entity::update_many()
        .col_expr(member::Column::StatementAt, Expr::value(now))
        .col_expr(member::Column::StatementVersion, Expr::value(STATEMENT_VERSION))
        .col_expr(member::Column::StatementSha256, Expr::value(statement_sha256()))
        .filter(member::Column::Id.eq(m.id))
        .filter(member::Column::StatementAt.is_null())
        .exec(db)
        .await?;
    if r.rows_affected == 0 {
        return Ok(());
    }
    audit::record(
        db,
        actor,
        "grant_commission.statement",
        "grant_commission",
        m.commission_id,
        None::<&()>,
        Some(&serde_json::json!({
            "member": m.id, "version": STATEMENT_VERSION, "sha256": statement_sha256(),
        })),
    )
    .await?;
    directory_recusals(db, m, actor).await
}

/// Recusals from the offers of organisations the member's account belongs to.
async fn directory_recusals<C: ConnectionTrait>(db: &C, m: &member::Model, actor: &Actor) -> Result<(), DbErr> {
    let Some(user_id) = m.user_id else {
        return Ok(());
    };
    let Some(com) = commission::Entity::find_by_id(m.commission_id).one(db).await? else {
        return Ok(());
    };
    let orgs: Vec<i64> = organization_member::Entity::find()
        .filter(organization_member::Column::UserId.eq(user_id))
        .all(db)
        .await?
        .into_iter()
        .map(|r| r.organization_id)
        .collect();
    if orgs.is_empty() {
        return Ok(());
    }
    let offers = grant_offer::Entity::find()
        .filter(grant_offer::Column::CallId.eq(com.call_id))
        .filter(grant_offer::Column::OrganizationId.is_in(orgs))
        .all(db)
        .await?;
    for o in offers {
        recuse(db, m, o.id, Source::Directory, "Członek organizacji składającej ofertę (według katalogu).", actor).await?;
    }
    Ok(())
}

/// Records a recusal (once per member and offer; a second one changes nothing).
pub async fn recuse<C: ConnectionTrait>(
    db: &C,
    m: &member::Model,
    offer_id: i64,
    source: Source,
    reason: &str,
    actor: &Actor,
) -> Result<(), DbErr> {
    if recusal::Entity::find()
        .filter(recusal::Column::MemberId.eq(m.id))
        .filter(recusal::Column::OfferId.eq(offer_id))
        .one(db)
        .await?
        .is_some()
    {
        return Ok(());
    }
    recusal::ActiveModel {
        member_id: Set(m.id),
        offer_id: Set(offer_id),
        source: Set(source),
        reason: Set(reason.to_owned()),
        declared_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    audit::record(
        db,
        actor,
        "grant_commission.recusal",
        "grant_offer",
        offer_id,
        None::<&()>,
        Some(&serde_json::json!({ "member": m.id, "source": source.as_str(), "reason": reason })),
    )
    .await
}

/// Whether the member recused from the offer.
pub async fn is_recused<C: ConnectionTrait>(db: &C, member_id: i64, offer_id: i64) -> Result<bool, DbErr> {
    Ok(recusal::Entity::find()
        .filter(recusal::Column::MemberId.eq(member_id))
        .filter(recusal::Column::OfferId.eq(offer_id))
        .one(db)
        .await?
        .is_some())
}

/// A card as typed: points and a comment per criterion.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CardInput {
    pub points: Vec<Option<u32>>,
    pub comments: Vec<String>,
    /// Submit the card (it then counts); otherwise a draft.
    pub submit: bool,
}

/// The outcome of saving a card.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CardSaved {
    /// Stored; its new version.
    Stored(i32),
    /// Someone (the same member in another window) saved it since `expected`; the stored version.
    Conflict(i32),
    /// Scoring is not open (not yet, or the chair closed it).
    NotScoring,
    /// No statement yet, or recused from this offer.
    NotAllowed,
    /// Submitting needs every criterion's points within its scale: the first one that is not.
    Incomplete(usize),
}

/// Saves a member's card for an offer, with compare-and-set on its version (0 = no card yet).
/// Every change is audited with the points before and after.
pub async fn save_card<C: ConnectionTrait>(
    db: &C,
    m: &member::Model,
    offer_id: i64,
    criteria: &[Criterion],
    input: &CardInput,
    expected: i32,
    actor: &Actor,
) -> Result<CardSaved, DbErr> {
    // Shared lock: cards save side by side; the chair's move waits for them (and they for it).
    let Some(com) = commission::Entity::find_by_id(m.commission_id)
        .lock_shared()
        .one(db)
        .await?
    else {
        return Ok(CardSaved::NotScoring);
    };
    if com.status != Status::Scoring {
        return Ok(CardSaved::NotScoring);
    }
    if m.statement_at.is_none() || is_recused(db, m.id, offer_id).await? {
        return Ok(CardSaved::NotAllowed);
    }
    if input.submit
        && let Some(i) = scoring::first_invalid(&input.points, criteria)
    {
        return Ok(CardSaved::Incomplete(i));
    }
    let mut points = input.points.clone();
    points.resize(criteria.len(), None);
    let mut comments = input.comments.clone();
    comments.resize(criteria.len(), String::new());
    let points_json = serde_json::to_string(&points).unwrap_or_else(|_| "[]".into());
    let comments_json = serde_json::to_string(&comments).unwrap_or_else(|_| "[]".into());
    let now = Utc::now();
    let existing = card::Entity::find()
        .filter(card::Column::MemberId.eq(m.id))
        .filter(card::Column::OfferId.eq(offer_id))
        .one(db)
        .await?;
    let before = existing.as_ref().map(|c| serde_json::json!({
        "points": c.points, "submitted": c.submitted_at.is_some(), "version": c.version,
    }));
    let version = match existing {
        None if expected == 0 => {
            // Another window of the same member may insert at the same moment: the unique index
            // keeps one, and the other is told of the conflict (no aborted transaction).
            let inserted = card::Entity::insert(card::ActiveModel {
                member_id: Set(m.id),
                offer_id: Set(offer_id),
                points: Set(points_json.clone()),
                comments: Set(comments_json),
                submitted_at: Set(input.submit.then_some(now)),
                version: Set(1),
                updated_at: Set(now),
                ..Default::default()
            })
            .on_conflict(
                OnConflict::columns([card::Column::MemberId, card::Column::OfferId])
                    .do_nothing()
                    .to_owned(),
            )
            .exec_without_returning(db)
            .await?;
            if inserted == 0 {
                return Ok(CardSaved::Conflict(1));
            }
            1
        }
        None => return Ok(CardSaved::Conflict(0)),
        Some(c) if c.version != expected => return Ok(CardSaved::Conflict(c.version)),
        Some(c) => {
            let submitted = if input.submit { Some(c.submitted_at.unwrap_or(now)) } else { c.submitted_at };
            let r = card::Entity::update_many()
                .col_expr(card::Column::Points, Expr::value(points_json.clone()))
                .col_expr(card::Column::Comments, Expr::value(comments_json))
                .col_expr(card::Column::SubmittedAt, Expr::value(submitted))
                .col_expr(card::Column::Version, Expr::value(expected + 1))
                .col_expr(card::Column::UpdatedAt, Expr::value(now))
                .filter(card::Column::Id.eq(c.id))
                .filter(card::Column::Version.eq(expected))
                .exec(db)
                .await?;
            if r.rows_affected == 0 {
                return Ok(CardSaved::Conflict(expected + 1));
            }
            expected + 1
        }
    };
    audit::record(
        db,
        actor,
        "grant_commission.score",
        "grant_offer",
        offer_id,
        before.as_ref(),
        Some(&serde_json::json!({
            "member": m.id, "points": points_json, "submitted": input.submit, "version": version,
        })),
    )
    .await?;
    Ok(CardSaved::Stored(version))
}

/// Moves the commission, under an exclusive lock of its row. Returns false when the move is not
/// allowed from the stored status.
pub async fn move_to<C: ConnectionTrait>(
    db: &C,
    commission_id: i64,
    to: Status,
    actor: &Actor,
) -> Result<bool, DbErr> {
    let Some(com) = commission::Entity::find_by_id(commission_id)
        .lock_exclusive()
        .one(db)
        .await?
    else {
        return Ok(false);
    };
    if !commission::allowed(com.status, to) {
        return Ok(false);
    }
    if to == Status::Concluded {
        // The opinion goes to the mayor only with an amount for every offer scored.
        let offers = offers_to_score(db, com.call_id).await?;
        let lines = opinion_of(db, com.id).await?;
        if offers.iter().any(|o| !lines.iter().any(|l| l.offer_id == o.id)) {
            return Ok(false);
        }
    }
    if to == Status::Scoring && com.status == Status::Forming {
        // Nominees of organisations that submitted meanwhile leave before the work starts.
        exclude_offerors(db, &com, actor).await?;
    }
    commission::Entity::update_many()
        .col_expr(commission::Column::Status, Expr::value(to))
        .col_expr(commission::Column::UpdatedAt, Expr::value(Utc::now()))
        .col_expr(commission::Column::Version, Expr::value(com.version + 1))
        .filter(commission::Column::Id.eq(com.id))
        .exec(db)
        .await?;
    audit::record(
        db,
        actor,
        "grant_commission.status",
        "grant_commission",
        com.id,
        Some(&serde_json::json!({ "status": com.status.as_str() })),
        Some(&serde_json::json!({ "status": to.as_str() })),
    )
    .await?;
    Ok(true)
}

/// The cards of an offer as the tally reads them, with each member's vote and recusal.
pub async fn cards_of<C: ConnectionTrait>(db: &C, commission_id: i64, offer_id: i64) -> Result<Vec<Card>, DbErr> {
    let members = member::Entity::find()
        .filter(member::Column::CommissionId.eq(commission_id))
        .order_by_asc(member::Column::Id)
        .all(db)
        .await?;
    let ids: Vec<i64> = members.iter().map(|m| m.id).collect();
    let cards = card::Entity::find()
        .filter(card::Column::OfferId.eq(offer_id))
        .filter(card::Column::MemberId.is_in(ids.clone()))
        .all(db)
        .await?;
    let recused: Vec<i64> = recusal::Entity::find()
        .filter(recusal::Column::OfferId.eq(offer_id))
        .filter(recusal::Column::MemberId.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|r| r.member_id)
        .collect();
    Ok(members
        .iter()
        .filter_map(|m| {
            let c = cards.iter().find(|c| c.member_id == m.id)?;
            Some(Card {
                member_id: m.id,
                voting: m.kind.votes(),
                recused: recused.contains(&m.id),
                submitted: c.submitted_at.is_some(),
                points: serde_json::from_str(&c.points).unwrap_or_default(),
            })
        })
        .collect())
}

/// The offer's tally under the commission's rules.
pub async fn tally_of<C: ConnectionTrait>(
    db: &C,
    com: &commission::Model,
    criteria: &[Criterion],
    offer_id: i64,
) -> Result<Tally, DbErr> {
    let cards = cards_of(db, com.id, offer_id).await?;
    Ok(scoring::tally(
        criteria,
        &cards,
        u64::try_from(com.spread_limit).unwrap_or(0),
        u64::try_from(com.min_score_centi).unwrap_or(0),
    ))
}

/// Offers the commission scores, in the order they were submitted.
pub async fn offers_to_score<C: ConnectionTrait>(db: &C, call_id: i64) -> Result<Vec<grant_offer::Model>, DbErr> {
    grant_offer::Entity::find()
        .filter(grant_offer::Column::CallId.eq(call_id))
        .filter(grant_offer::Column::Status.is_in(TO_SCORE))
        .order_by_asc(grant_offer::Column::SubmittedAt)
        .order_by_asc(grant_offer::Column::Id)
        .all(db)
        .await
}

/// One offer's line of the commission's opinion as typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpinionLine {
    pub offer_id: i64,
    /// Grosze.
    pub proposed: i64,
    pub note: String,
}

/// What is wrong with an opinion.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpinionProblem {
    /// More than the offer asked for (or below zero).
    Amount(i64),
    /// The amounts add up to more than the call's funds: (sum, funds).
    OverFunds(i64, i64),
    /// An offer of the list has no line.
    Missing(i64),
}

/// The opinion's rules: every scored offer has a line, each amount within 0..=requested, the
/// sum within the call's funds.
pub fn check_opinion(
    lines: &[OpinionLine],
    offers: &[grant_offer::Model],
    funds: i64,
) -> Vec<OpinionProblem> {
    let mut out = Vec::new();
    for o in offers {
        match lines.iter().find(|l| l.offer_id == o.id) {
            None => out.push(OpinionProblem::Missing(o.id)),
            Some(l) if l.proposed < 0 || l.proposed > o.requested_grant => {
                out.push(OpinionProblem::Amount(o.id))
            }
            Some(_) => {}
        }
    }
    let sum = lines
        .iter()
        .filter(|l| offers.iter().any(|o| o.id == l.offer_id))
        .fold(0i64, |a, l| a.saturating_add(l.proposed.max(0)));
    if sum > funds {
        out.push(OpinionProblem::OverFunds(sum, funds));
    }
    out
}

/// Stores the commission's opinion (all lines at once) while it is in the opinion stage.
/// `Ok(Err(problems))` when the rules refuse it; nothing is written then.
pub async fn save_opinion<C: ConnectionTrait>(
    db: &C,
    commission_id: i64,
    call: &grant_call::Model,
    lines: &[OpinionLine],
    actor: &Actor,
) -> Result<Result<(), Vec<OpinionProblem>>, DbErr> {
    let Some(com) = commission::Entity::find_by_id(commission_id)
        .lock_exclusive()
        .one(db)
        .await?
    else {
        return Ok(Err(Vec::new()));
    };
    if com.status != Status::Opinion {
        return Ok(Err(Vec::new()));
    }
    let offers = offers_to_score(db, call.id).await?;
    let problems = check_opinion(lines, &offers, call.funds_available);
    if !problems.is_empty() {
        return Ok(Err(problems));
    }
    let before: Vec<(i64, i64)> = opinion_of(db, com.id)
        .await?
        .into_iter()
        .map(|l| (l.offer_id, l.proposed))
        .collect();
    opinion::Entity::delete_many()
        .filter(opinion::Column::CommissionId.eq(com.id))
        .exec(db)
        .await?;
    let now = Utc::now();
    for l in lines.iter().filter(|l| offers.iter().any(|o| o.id == l.offer_id)) {
        opinion::ActiveModel {
            commission_id: Set(com.id),
            offer_id: Set(l.offer_id),
            proposed: Set(l.proposed),
            note: Set(l.note.clone()),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(db)
        .await?;
    }
    audit::record(
        db,
        actor,
        "grant_commission.opinion",
        "grant_commission",
        com.id,
        Some(&serde_json::json!({ "lines": before })),
        Some(&serde_json::json!({
            "lines": lines.iter().map(|l| (l.offer_id, l.proposed)).collect::<Vec<_>>(),
        })),
    )
    .await?;
    Ok(Ok(()))
}

/// The commission's opinion lines.
pub async fn opinion_of<C: ConnectionTrait>(db: &C, commission_id: i64) -> Result<Vec<opinion::Model>, DbErr> {
    opinion::Entity::find()
        .filter(opinion::Column::CommissionId.eq(commission_id))
        .order_by_asc(opinion::Column::OfferId)
        .all(db)
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn offer(id: i64, requested: i64) -> grant_offer::Model {
        grant_offer::Model {
            id,
            call_id: 1,
            organization_id: id,
            title: format!("Oferta {id}"),
            status: OfferStatus::Complete,
            template_version: String::new(),
            current_version: 1,
            checksum: None,
            submitted_at: None,
            withdrawn_at: None,
            requested_grant: requested,
            total_cost: requested,
            correction_deadline: None,
            correction_sections: String::new(),
            update_deadline: None,
            created_by: None,
            created_at: Utc::now(),
            updated_at: Utc::now(),
        }
    }

    fn line(offer_id: i64, proposed: i64) -> OpinionLine {
        OpinionLine {
            offer_id,
            proposed,
            note: String::new(),
        }
    }

    #[test]
    fn an_opinion_stays_within_each_request_and_the_funds() {
        let offers = [offer(1, 1_000_000), offer(2, 500_000)];
        assert!(check_opinion(&[line(1, 1_000_000), line(2, 0)], &offers, 1_000_000).is_empty());
        assert_eq!(
            check_opinion(&[line(1, 1_000_001), line(2, 0)], &offers, 2_000_000),
            vec![OpinionProblem::Amount(1)]
        );
        assert_eq!(
            check_opinion(&[line(1, -1), line(2, 0)], &offers, 2_000_000),
            vec![OpinionProblem::Amount(1)]
        );
        assert_eq!(
            check_opinion(&[line(1, 1_000_000), line(2, 1)], &offers, 1_000_000),
            vec![OpinionProblem::OverFunds(1_000_001, 1_000_000)]
        );
        assert_eq!(
            check_opinion(&[line(1, 1)], &offers, 1_000_000),
            vec![OpinionProblem::Missing(2)]
        );
        // A line for an offer not on the list counts for nothing.
        assert!(check_opinion(&[line(1, 1), line(2, 1), line(9, i64::MAX)], &offers, 2).is_empty());
    }
}
