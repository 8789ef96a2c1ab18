//! One calendar of the grants' obligations (issue 19, item 6): reports due (or their
//! corrections), reports waiting for the office's review, tranches to pay, money to return —
//! for the grants officer every contract's, for an organisation its own. Read here; shown on the
//! panel and as an `.ics` feed by `obligations_web.rs`.

use crate::grants::entity::grant_contract::{self as contract_row, Status};
use crate::grants::entity::grant_report::{self as report_row, Status as ReportStatus};
use crate::grants::entity::grant_tranche as tranche;
use crate::grants::model::warsaw_day;
use crate::grants::report_due;
use chrono::NaiveDate;
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};
use std::collections::HashMap;

/// What is due.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum What {
    /// The organisation hands in a report (or its corrections).
    Report,
    /// The office reviews a submitted report.
    Review,
    /// The office pays a tranche.
    Tranche,
    /// The organisation returns money.
    Return,
    /// The office publishes a small grant's offer (art. 19a, within 7 working days).
    Publish,
    /// A small grant's comment window ends (then the office decides).
    Comments,
}

impl What {
    pub fn code(self) -> &'static str {
        match self {
            What::Report => "report",
            What::Review => "review",
            What::Tranche => "tranche",
            What::Return => "return",
            What::Publish => "publish",
            What::Comments => "comments",
        }
    }
}

/// One obligation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Obligation {
    pub day: NaiveDate,
    pub what: What,
    /// A stable id within the feed (kind and row).
    pub key: String,
    pub contract_id: i64,
    pub contract_number: String,
    pub organization: String,
    pub task: String,
    /// Grosze, for tranches and returns.
    pub amount: Option<i64>,
    /// Where to act, a path on this site.
    pub href: String,
}

/// Whose obligations.
pub enum Scope {
    /// The grants officer: every contract.
    Office,
    /// An organisation's members: their organisations' contracts.
    Organizations(Vec<i64>),
}

/// The obligations of the contracts in `scope` still under way, by day.
pub async fn list<C: ConnectionTrait>(db: &C, scope: &Scope, today: NaiveDate) -> Result<Vec<Obligation>, DbErr> {
    let mut q = contract_row::Entity::find().filter(
        contract_row::Column::Status.is_in([Status::Signed.as_str(), Status::InProgress.as_str(), Status::Reported.as_str()]),
    );
    if let Scope::Organizations(orgs) = scope {
        q = q.filter(contract_row::Column::OrganizationId.is_in(orgs.clone()));
    }
    let contracts = q.all(db).await?;
    let ids: Vec<i64> = contracts.iter().map(|c| c.id).collect();
    let offers = crate::grants::fields::offer_titles(db, contracts.iter().map(|c| c.offer_id).collect()).await?;
    let orgs = crate::grants::fields::organization_names(db, contracts.iter().map(|c| c.organization_id).collect()).await?;
    let by_id: HashMap<i64, &contract_row::Model> = contracts.iter().map(|c| (c.id, c)).collect();
    let office = matches!(scope, Scope::Office);
    let mut out = Vec::new();
    let item = |c: &contract_row::Model, day, what: What, key: String, amount, href: String| Obligation {
        day,
        what,
        key,
        contract_id: c.id,
        contract_number: c.number.clone(),
        organization: orgs.get(&c.organization_id).cloned().unwrap_or_default(),
        task: offers.get(&c.offer_id).cloned().unwrap_or_default(),
        amount,
        href,
    };
    let contract_href = |c: &contract_row::Model| if office { format!("/panel/umowy/{}", c.id) } else { format!("/panel/oferty/{}", c.offer_id) };
    for r in report_row::Entity::find()
        .filter(report_row::Column::ContractId.is_in(ids.clone()))
        .all(db)
        .await?
    {
        let Some(c) = by_id.get(&r.contract_id) else { continue };
        let href = format!("/panel/sprawozdania/{}", r.id);
        if r.status.editable() {
            out.push(item(c, report_due::act_by(&r), What::Report, format!("report-{}-{}", r.id, r.version), None, href));
        } else if office && r.status == ReportStatus::Submitted {
            let day = r.submitted_at.map_or(today, warsaw_day);
            out.push(item(c, day, What::Review, format!("review-{}-{}", r.id, r.version), None, href));
        }
    }
    for t in tranche::Entity::find()
        .filter(tranche::Column::ContractId.is_in(ids))
        .filter(tranche::Column::PaidOn.is_null())
        .all(db)
        .await?
    {
        let Some(c) = by_id.get(&t.contract_id) else { continue };
        out.push(item(c, t.due_on, What::Tranche, format!("tranche-{}", t.id), Some(t.amount), contract_href(c)));
    }
    for c in contracts.iter().filter(|c| c.status == Status::Reported) {
        let Some(s) = crate::grants::report_store::settlement_of(db, c, today).await? else { continue };
        for d in s.dues.iter().filter(|d| d.paid < d.amount) {
            let key = format!("return-{}-{}", c.id, d.what);
            out.push(item(c, d.due, What::Return, key, Some(d.amount - d.paid), contract_href(c)));
        }
    }
    out.extend(small(db, scope).await?);
    out.sort_by(|a, b| a.day.cmp(&b.day).then(a.key.cmp(&b.key)));
    Ok(out)
}

/// Small grants' dates (art. 19a): offers the office must publish, comment windows that end.
async fn small<C: ConnectionTrait>(db: &C, scope: &Scope) -> Result<Vec<Obligation>, DbErr> {
    use crate::grants::entity::grant_offer::Status as OfferStatus;
    let office = matches!(scope, Scope::Office);
    let rows: Vec<_> = crate::grants::small_store::offers(db)
        .await?
        .into_iter()
        .filter(|(o, _)| match scope {
            Scope::Office => true,
            Scope::Organizations(orgs) => orgs.contains(&o.organization_id),
        })
        .collect();
    let orgs = crate::grants::fields::organization_names(db, rows.iter().map(|(o, _)| o.organization_id).collect()).await?;
    let numbers: HashMap<i64, String> = crate::grants::small_store::registers(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c.number))
        .collect();
    let mut out = Vec::new();
    for (o, r) in rows {
        let (day, what) = match (o.status, r.comments_to) {
            (OfferStatus::Submitted, _) if office => (r.publish_by, What::Publish),
            (OfferStatus::Published, Some(to)) => (to, What::Comments),
            _ => continue,
        };
        out.push(Obligation {
            day,
            what,
            key: format!("{}-{}", what.code(), o.id),
            contract_id: 0,
            contract_number: numbers.get(&o.call_id).cloned().unwrap_or_default(),
            organization: orgs.get(&o.organization_id).cloned().unwrap_or_default(),
            task: o.title.clone(),
            amount: Some(o.requested_grant),
            href: if office { format!("/panel/male-granty/{}", o.id) } else { format!("/male-granty/{}", o.id) },
        });
    }
    Ok(out)
}
