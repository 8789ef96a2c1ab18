//! An offer's working copy: created from a call for one of the person's organisations (section II
//! prefilled from the directory), read as one `OfferContent`, and saved section by section with
//! compare-and-set, so two people editing different sections both keep their work and two
//! saving the same section are told apart (the second gets a conflict, never a silent loss).

use crate::directory::entity::organization;
use crate::grants::entity::grant_call;
use crate::grants::entity::grant_offer::{self, Status};
use crate::grants::entity::grant_offer_section as section_row;
use crate::grants::offer::{OfferContent, Offeror, SMALL_TEMPLATE_VERSION, Section, TEMPLATE_VERSION};
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    QueryFilter,
};
use std::collections::BTreeMap;
use wspolnie_platform::audit::{self, Actor};
use wspolnie_web::policy::Account;

/// The directory's data of an organisation as an offeror of section II.
pub fn offeror_from(o: &organization::Model) -> Offeror {
    let seat = [o.street.as_str(), &format!("{} {}", o.postal_code, o.city)]
        .iter()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(", ");
    Offeror {
        organization_id: Some(o.id),
        name: o.name.clone(),
        legal_form: o.legal_form.clone(),
        register_number: match (&o.krs, &o.nip) {
            (Some(k), _) => format!("KRS {k}"),
            (None, Some(n)) => format!("NIP {n}"),
            _ => String::new(),
        },
        correspondence_address: seat.clone(),
        seat,
        website: o.website.clone().unwrap_or_default(),
        email: o.email.clone().unwrap_or_default(),
        phone: o.phone.clone().unwrap_or_default(),
    }
}

/// Creates a draft offer of `org` in `call` (audited, on the caller's transaction): the offerors
/// section is filled in from the directory, the person as the contact.
pub async fn create<C: ConnectionTrait>(
    db: &C,
    call: &grant_call::Model,
    org: &organization::Model,
    account: &Account,
    actor: &Actor,
) -> Result<i64, DbErr> {
    let now = Utc::now();
    // A small-grant register takes the simplified offer (art. 19a), an open call the full one.
    let template = match call.kind {
        grant_call::Kind::Small => SMALL_TEMPLATE_VERSION,
        grant_call::Kind::Open => TEMPLATE_VERSION,
    };
    let offer = grant_offer::ActiveModel {
        call_id: Set(call.id),
        organization_id: Set(org.id),
        title: Set(String::new()),
        status: Set(Status::Draft),
        template_version: Set(template.to_owned()),
        current_version: Set(0),
        checksum: Set(None),
        submitted_at: Set(None),
        withdrawn_at: Set(None),
        requested_grant: Set(0),
        total_cost: Set(0),
        correction_deadline: Set(None),
        correction_sections: Set(String::new()),
        created_by: Set(actor.user_id),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    let mut content = OfferContent::default();
    content.offerors.lead = offeror_from(org);
    content.offerors.contact_person = account.user.display_name.clone();
    content.offerors.contact_email = account.user.email.clone();
    for s in Section::of(template) {
        section_row::ActiveModel {
            offer_id: Set(offer.id),
            section: Set(s.code().to_owned()),
            data: Set(content.section_json(*s).to_string()),
            version: Set(0),
            updated_by: Set(actor.user_id),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(db)
        .await?;
    }
    audit::record(
        db,
        actor,
        "grant_offer.create",
        "grant_offer",
        offer.id,
        None::<&()>,
        Some(&serde_json::json!({ "call": call.id, "organization": org.id })),
    )
    .await?;
    Ok(offer.id)
}

/// One stored section: its version (for compare-and-set), who saved it last and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SectionState {
    pub version: i32,
    pub updated_by: Option<i64>,
    pub updated_at: DateTime<Utc>,
}

/// The working copy of an offer as one value, with each section's state.
pub async fn load<C: ConnectionTrait>(
    db: &C,
    offer_id: i64,
) -> Result<(OfferContent, BTreeMap<Section, SectionState>), DbErr> {
    let rows = section_row::Entity::find()
        .filter(section_row::Column::OfferId.eq(offer_id))
        .all(db)
        .await?;
    let mut content = OfferContent::default();
    let mut states = BTreeMap::new();
    for r in rows {
        if let Some(s) = Section::parse(&r.section) {
            content.set_section(s, &r.data);
            states.insert(
                s,
                SectionState {
                    version: r.version,
                    updated_by: r.updated_by,
                    updated_at: r.updated_at,
                },
            );
        }
    }
    Ok((content, states))
}

/// The outcome of saving a section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Saved {
    /// Stored; the section's new version.
    Stored(i32),
    /// Someone saved this section after the form was opened: nothing was stored; the version
    /// now stored is given so the person can compare and choose.
    Conflict(i32),
}

/// Saves one section if it is still at `expected_version` (compare-and-set in one UPDATE), and
/// keeps the offer's title in step with section III. Audited with the section's JSON.
pub async fn save_section<C: ConnectionTrait>(
    db: &C,
    offer_id: i64,
    section: Section,
    json: &serde_json::Value,
    expected_version: i32,
    actor: &Actor,
) -> Result<Saved, DbErr> {
    let now = Utc::now();
    let r = section_row::Entity::update_many()
        .col_expr(section_row::Column::Data, Expr::value(json.to_string()))
        .col_expr(section_row::Column::Version, Expr::value(expected_version + 1))
        .col_expr(section_row::Column::UpdatedBy, Expr::value(actor.user_id))
        .col_expr(section_row::Column::UpdatedAt, Expr::value(now))
        .filter(section_row::Column::OfferId.eq(offer_id))
        .filter(section_row::Column::Section.eq(section.code()))
        .filter(section_row::Column::Version.eq(expected_version))
        .exec(db)
        .await?;
    if r.rows_affected == 0 {
        let current = section_row::Entity::find()
            .filter(section_row::Column::OfferId.eq(offer_id))
            .filter(section_row::Column::Section.eq(section.code()))
            .one(db)
            .await?
            .map_or(0, |r| r.version);
        return Ok(Saved::Conflict(current));
    }
    let mut offer = grant_offer::Entity::update_many()
        .col_expr(grant_offer::Column::UpdatedAt, Expr::value(now));
    if section == Section::Task
        && let Some(title) = json.get("title").and_then(|t| t.as_str())
    {
        offer = offer.col_expr(grant_offer::Column::Title, Expr::value(title.to_owned()));
    }
    offer
        .filter(grant_offer::Column::Id.eq(offer_id))
        .exec(db)
        .await?;
    audit::record(
        db,
        actor,
        "grant_offer.section",
        "grant_offer",
        offer_id,
        Some(&serde_json::json!({ "section": section.code(), "version": expected_version })),
        Some(&serde_json::json!({ "section": section.code(), "data": json })),
    )
    .await?;
    Ok(Saved::Stored(expected_version + 1))
}

/// Sections the organisation may change now: every one while the offer is a draft, submitted or
/// withdrawn and the call accepts offers (a submitted offer changed must be submitted again);
/// only the listed ones during a correction, until its deadline; the schedule, results, costs and
/// funding while a reduced grant's update is due; none otherwise.
pub fn editable_sections(
    offer: &grant_offer::Model,
    call: &grant_call::Model,
    now: DateTime<Utc>,
) -> Vec<Section> {
    match offer.status {
        Status::Draft | Status::Submitted | Status::Withdrawn
            if crate::grants::model::accepts_offers(call, now) =>
        {
            Section::of(&offer.template_version).to_vec()
        }
        Status::InCorrection if offer.correction_deadline.is_some_and(|d| now <= d) => offer
            .correction_sections
            .split(',')
            .filter_map(Section::parse)
            .collect(),
        Status::Updating if offer.update_deadline.is_some_and(|d| now <= d) => {
            crate::grants::rules::UPDATE_SECTIONS.to_vec()
        }
        _ => Vec::new(),
    }
}

/// Whether the person may see and edit the organisation's offers: a member (owner or editor) of
/// the lead organisation.
pub fn is_member(account: &Account, offer: &grant_offer::Model) -> bool {
    account
        .memberships
        .iter()
        .any(|(o, _)| *o == offer.organization_id)
}

/// Whether the person may see the offer's versions and attachments: a member of its
/// organisation or an official of the grants scope.
pub fn may_see(acc: &Account, offer: &grant_offer::Model) -> bool {
    is_member(acc, offer)
        || wspolnie_web::policy::allows(Some(acc), wspolnie_web::policy::Permission::Official("grants"))
}

/// The update task of an offer granted less than it asked (`reduced.rs`), if it has one.
pub async fn update_task<C: ConnectionTrait>(
    db: &C,
    offer_id: i64,
) -> Result<Option<crate::grants::entity::grant_offer_update::Model>, DbErr> {
    use crate::grants::entity::grant_offer_update as update;
    update::Entity::find()
        .filter(update::Column::OfferId.eq(offer_id))
        .one(db)
        .await
}

/// What the rules add while a reduced grant's update is due or waits for the office: the amount
/// granted and the share fixed at the decision.
pub async fn update_rule<C: ConnectionTrait>(
    db: &C,
    offer: &grant_offer::Model,
) -> Result<Option<crate::grants::rules::UpdateRule>, DbErr> {
    if !matches!(offer.status, Status::Updating | Status::UpdateSubmitted) {
        return Ok(None);
    }
    Ok(update_task(db, offer.id).await?.map(|t| crate::grants::rules::UpdateRule {
        granted: t.granted,
        max_grant_bp: t.max_grant_bp,
    }))
}
