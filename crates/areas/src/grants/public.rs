//! What a call shows the world outside the panel: which calls are public and in which section
//! of `/konkursy` they stand, the offers received (public after the deadline, art. 15 ust. 2h
//! and transparency), its calendar entry (the offer deadline, an `events` row of category
//! `konkurs`), the e-mail to the newsletter's subscribers of grant calls when it is announced,
//! and its lines in the weekly digest.

use crate::calendar::entity::event_sphere;
use crate::directory::entity::organization;
use crate::grants::entity::grant_call::{self, Status};
use crate::grants::entity::grant_offer;
use crate::grants::model::effective_status;
use chrono::{DateTime, Datelike, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    QueryFilter, QueryOrder,
};
use std::collections::HashMap;
use wspolnie_platform::entity::sphere;
use wspolnie_platform::i18n::Lang;

/// The newsletter topic whose subscribers hear of every announced call.
pub const NEWSLETTER_TOPIC: &str = "grants";

/// The sections of `/konkursy`, in page order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    /// Accepting offers now.
    Open,
    /// Announced; offers are accepted from a later day.
    Upcoming,
    /// Closed, in evaluation, decided or annulled.
    Past,
}

impl Section {
    pub const ALL: [Section; 3] = [Section::Open, Section::Upcoming, Section::Past];

    /// The section of a call in this status (None: a draft, never public).
    pub fn of(s: Status) -> Option<Section> {
        match s {
            Status::Draft => None,
            Status::Open => Some(Section::Open),
            Status::Announced => Some(Section::Upcoming),
            Status::Closed | Status::InEvaluation | Status::Decided | Status::Annulled => {
                Some(Section::Past)
            }
        }
    }

    /// Fluent id of its heading.
    pub fn heading(self) -> &'static str {
        match self {
            Section::Open => "calls-section-open",
            Section::Upcoming => "calls-section-upcoming",
            Section::Past => "calls-section-past",
        }
    }

    /// Fluent id of the sentence shown when it is empty.
    pub fn empty(self) -> &'static str {
        match self {
            Section::Open => "calls-section-open-none",
            Section::Upcoming => "calls-section-upcoming-none",
            Section::Past => "calls-section-past-none",
        }
    }
}

/// The statuses a visitor may filter by, in life-cycle order.
pub const PUBLIC_STATUSES: [Status; 6] = [
    Status::Announced,
    Status::Open,
    Status::Closed,
    Status::InEvaluation,
    Status::Decided,
    Status::Annulled,
];

/// Every public call (never a draft), the latest deadline first.
pub async fn public_calls<C: ConnectionTrait>(db: &C) -> Result<Vec<grant_call::Model>, DbErr> {
    grant_call::Entity::find()
        .filter(grant_call::Column::Status.ne(Status::Draft))
        .filter(grant_call::Column::Kind.eq(grant_call::Kind::Open))
        .order_by_desc(grant_call::Column::OfferDeadline)
        .order_by_asc(grant_call::Column::Id)
        .all(db)
        .await
}

/// The public call with this slug; `None` for a draft or an unknown slug.
pub async fn public_call<C: ConnectionTrait>(
    db: &C,
    slug: &str,
) -> Result<Option<grant_call::Model>, DbErr> {
    if slug.len() > 200 {
        return Ok(None);
    }
    grant_call::Entity::find()
        .filter(grant_call::Column::Slug.eq(slug))
        .filter(grant_call::Column::Status.ne(Status::Draft))
        .filter(grant_call::Column::Kind.eq(grant_call::Kind::Open))
        .one(db)
        .await
}

/// The Warsaw year of the call's offer deadline (the year filter).
pub fn year_of(c: &grant_call::Model) -> i32 {
    crate::grants::model::warsaw_day(c.offer_deadline).year()
}

/// Whether the offers received are public: the deadline has passed (closed or later).
pub fn offers_are_public(c: &grant_call::Model, now: DateTime<Utc>) -> bool {
    now > c.offer_deadline
        && matches!(
            effective_status(c, now),
            Status::Closed | Status::InEvaluation | Status::Decided | Status::Annulled
        )
}

/// An offer received in a call, as published after the deadline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceivedOffer {
    pub organization: String,
    pub title: String,
    /// Grosze.
    pub requested_grant: i64,
}

/// The offers received in a call (submitted at least once and not withdrawn; never drafts), in
/// Polish order of the organisation's name. `None` before the deadline.
pub async fn received_offers<C: ConnectionTrait>(
    db: &C,
    c: &grant_call::Model,
    now: DateTime<Utc>,
) -> Result<Option<Vec<ReceivedOffer>>, DbErr> {
    if !offers_are_public(c, now) {
        return Ok(None);
    }
    let offers = grant_offer::Entity::find()
        .filter(grant_offer::Column::CallId.eq(c.id))
        .filter(
            grant_offer::Column::Status
                .is_not_in([grant_offer::Status::Draft, grant_offer::Status::Withdrawn]),
        )
        .filter(grant_offer::Column::CurrentVersion.gt(0))
        .order_by_asc(grant_offer::Column::Id)
        .all(db)
        .await?;
    let ids: Vec<i64> = offers.iter().map(|o| o.organization_id).collect();
    let names: HashMap<i64, String> = if ids.is_empty() {
        HashMap::new()
    } else {
        crate::chunked::all_in(db, &ids, |chunk| {
            organization::Entity::find().filter(organization::Column::Id.is_in(chunk))
        })
        .await?
        .into_iter()
        .map(|o| (o.id, o.name))
        .collect()
    };
    let mut out: Vec<ReceivedOffer> = offers
        .into_iter()
        .map(|o| ReceivedOffer {
            organization: names.get(&o.organization_id).cloned().unwrap_or_default(),
            title: o.title,
            requested_grant: o.requested_grant,
        })
        .collect();
    out.sort_by(|a, b| {
        wspolnie_core::text::cmp_pl(&a.organization, &b.organization)
            .then_with(|| wspolnie_core::text::cmp_pl(&a.title, &b.title))
    });
    Ok(Some(out))
}

/// The spheres by code (current and past ones: an old call keeps its sphere's name).
pub async fn spheres_by_code<C: ConnectionTrait>(
    db: &C,
) -> Result<HashMap<String, sphere::Model>, DbErr> {
    let mut out = HashMap::new();
    for s in sphere::Entity::find()
        .order_by_asc(sphere::Column::ValidFrom)
        .all(db)
        .await?
    {
        out.insert(s.code.clone(), s);
    }
    Ok(out)
}

/// The calendar category of call deadlines.
pub const CALENDAR_CATEGORY: &str = "konkurs";

/// Keeps the call's calendar entry in step with it: published while the call is public and not
/// annulled, showing the offer deadline and linking the call's page.
pub async fn sync_calendar<C: ConnectionTrait>(db: &C, c: &grant_call::Model) -> Result<(), DbErr> {
    let (event_id, fresh) = crate::calendar::office::upsert(
        db,
        crate::calendar::office::OfficeEntry {
            event_id: c.event_id,
            slug: format!("konkurs-{}", c.slug),
            title: &c.title,
            description_md: &c.task_type,
            starts_at: c.offer_deadline,
            ends_at: c.offer_deadline,
            place: None,
            url: format!("/konkursy/{}", c.slug),
            category: CALENDAR_CATEGORY,
            created_by: c.created_by,
            cancelled: c.status == Status::Annulled,
        },
    )
    .await?;
    if fresh {
        grant_call::Entity::update_many()
            .col_expr(grant_call::Column::EventId, Expr::value(event_id))
            .filter(grant_call::Column::Id.eq(c.id))
            .exec(db)
            .await?;
    }
    // The entry carries the call's sphere, so the calendar's sphere filter finds it.
    event_sphere::Entity::delete_many()
        .filter(event_sphere::Column::EventId.eq(event_id))
        .exec(db)
        .await?;
    if let Some(s) = sphere::Entity::find()
        .filter(sphere::Column::Code.eq(c.sphere_code.clone()))
        .filter(sphere::Column::ValidTo.is_null())
        .one(db)
        .await?
    {
        event_sphere::Entity::insert(event_sphere::ActiveModel {
            event_id: Set(event_id),
            sphere_id: Set(s.id),
        })
        .exec_without_returning(db)
        .await?;
    }
    Ok(())
}


/// A call's address on this site.
pub fn call_url(base: &str, c: &grant_call::Model) -> String {
    format!("{}/konkursy/{}", base.trim_end_matches('/'), c.slug)
}

use wspolnie_platform::markdown::escape as escape_md;

/// The deadline as a reader in `lang` reads it, Warsaw time.
pub fn deadline_text(lang: Lang, c: &grant_call::Model) -> String {
    wspolnie_web::fmt::datetime(lang, c.offer_deadline)
}

/// The announcement e-mail's Markdown: the call, its deadline (Warsaw) and its page.
pub fn announcement_markdown(c: &grant_call::Model, lang: Lang, base: &str) -> String {
    let url = call_url(base, c);
    format!(
        "{}\n\n{}\n\n{}\n\n[{}]({url})\n",
        lang.ta("call-mail-intro", &[("title", &escape_md(&c.title))]),
        escape_md(&c.task_type),
        lang.ta("call-mail-deadline", &[("date", &deadline_text(lang, c))]),
        lang.t("call-mail-link"),
    )
}

/// The digest's section of calls announced in `[since, until)` (Markdown), or `None`.
pub async fn digest_section<C: ConnectionTrait>(
    db: &C,
    lang: Lang,
    base: &str,
    since: DateTime<Utc>,
    until: DateTime<Utc>,
) -> Result<Option<String>, DbErr> {
    let calls = grant_call::Entity::find()
        .filter(grant_call::Column::Status.is_not_in([Status::Draft, Status::Annulled]))
        .filter(grant_call::Column::Kind.eq(grant_call::Kind::Open))
        .filter(grant_call::Column::AnnouncedAt.gte(since))
        .filter(grant_call::Column::AnnouncedAt.lt(until))
        .order_by_asc(grant_call::Column::OfferDeadline)
        .all(db)
        .await?;
    if calls.is_empty() {
        return Ok(None);
    }
    let mut md = format!("## {}\n\n", lang.t("digest-calls"));
    for c in &calls {
        md.push_str(&format!(
            "- [{}]({}) — {}\n",
            escape_md(&c.title),
            call_url(base, c),
            lang.ta("call-mail-deadline", &[("date", &deadline_text(lang, c))]),
        ));
    }
    md.push('\n');
    Ok(Some(md))
}

/// The list's filters as they appear in the address; only values that exist are kept, so a
/// bad value is ignored, never an error.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filters {
    pub sfera: String,
    pub stan: Option<Status>,
    pub rok: Option<i32>,
}

impl Filters {
    /// Reads the raw query leniently against the calls there are.
    pub fn read(query: Option<&str>, all: &[grant_call::Model]) -> Filters {
        let mut f = Filters::default();
        let mut seen = std::collections::BTreeSet::new();
        for (k, v) in url::form_urlencoded::parse(query.unwrap_or("").as_bytes()) {
            // The first value of a repeated key counts, as in every form of the site.
            if !seen.insert(k.to_string()) {
                continue;
            }
            let v = v.trim();
            if v.len() > 100 || v.chars().any(char::is_control) {
                continue;
            }
            match &*k {
                "sfera" if all.iter().any(|c| c.sphere_code == v) => f.sfera = v.to_owned(),
                "stan" => f.stan = Status::parse(v).filter(|s| PUBLIC_STATUSES.contains(s)),
                "rok" => {
                    f.rok = v
                        .parse::<i32>()
                        .ok()
                        .filter(|y| all.iter().any(|c| year_of(c) == *y));
                }
                _ => {}
            }
        }
        f
    }

    pub fn is_empty(&self) -> bool {
        self.sfera.is_empty() && self.stan.is_none() && self.rok.is_none()
    }

    /// Whether the call passes the filters, in the status it has `now`.
    pub fn keeps(&self, c: &grant_call::Model, now: DateTime<Utc>) -> bool {
        (self.sfera.is_empty() || c.sphere_code == self.sfera)
            && self.stan.is_none_or(|s| effective_status(c, now) == s)
            && self.rok.is_none_or(|y| year_of(c) == y)
    }

    /// The filters as a query string (without `?`).
    pub fn query(&self) -> String {
        let mut q = url::form_urlencoded::Serializer::new(String::new());
        if !self.sfera.is_empty() {
            q.append_pair("sfera", &self.sfera);
        }
        if let Some(s) = self.stan {
            q.append_pair("stan", s.as_str());
        }
        if let Some(y) = self.rok {
            q.append_pair("rok", &y.to_string());
        }
        q.finish()
    }
}
