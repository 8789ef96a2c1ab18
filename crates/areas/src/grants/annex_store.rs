//! Annexes in the database (issue 19, item 1): the contract as an annex starts from, an annex
//! recorded (the contract's row locked and compared by version; its terms, the tranche not yet
//! paid, the lines and an open final report's due date changed together), the annexes of a
//! contract, and an annex as a document for its PDF. Audited; the caller owns the transaction.

use crate::directory::entity::organization;
use crate::grants::annex::{Change, Current};
use crate::grants::contract_store::{self, Refused, Signed};
use crate::grants::entity::grant_annex as annex_row;
use crate::grants::entity::grant_contract::{self as contract_row, Status};
use crate::grants::entity::grant_report::{self as report_row, Kind};
use crate::grants::entity::grant_tranche as tranche;
use crate::grants::report_due;
use chrono::Utc;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    QueryFilter, QueryOrder, QuerySelect,
};
use wspolnie_core::money::Money;
use wspolnie_platform::audit::{self, Actor};

/// The contract as it stands, for an annex.
pub async fn current_of<C: ConnectionTrait>(db: &C, c: &contract_row::Model) -> Result<Current, DbErr> {
    let tranches = contract_store::tranches_of(db, c.id).await?;
    Ok(Current {
        terms: contract_store::terms_of(c, &tranches),
        lines: contract_store::lines_of(db, c.id).await?,
        paid: tranches.iter().map(|t| t.paid_on.is_some()).collect(),
        granted: contract_store::granted(db, c.offer_id).await?.unwrap_or(c.amount),
    })
}

/// A contract's annexes, in order.
pub async fn annexes_of<C: ConnectionTrait>(db: &C, contract_id: i64) -> Result<Vec<annex_row::Model>, DbErr> {
    annex_row::Entity::find()
        .filter(annex_row::Column::ContractId.eq(contract_id))
        .order_by_asc(annex_row::Column::N)
        .all(db)
        .await
}

/// The changes an annex lists.
pub fn changes_of(a: &annex_row::Model) -> Vec<(String, String, String)> {
    serde_json::from_str(&a.changes).unwrap_or_default()
}

/// Records an annex signed by both parties to a signed or running contract that is still at
/// `expected_version`; returns the annex.
pub async fn record<C: ConnectionTrait>(
    db: &C,
    contract_id: i64,
    expected_version: i32,
    change: &Change,
    how: Signed,
    actor: &Actor,
) -> Result<Result<annex_row::Model, Refused>, DbErr> {
    let Some(c) = contract_row::Entity::find_by_id(contract_id).lock_exclusive().one(db).await? else {
        return Ok(Err(Refused::NotAllowed));
    };
    if !matches!(c.status, Status::Signed | Status::InProgress) {
        return Ok(Err(Refused::NotAllowed));
    }
    if c.version != expected_version {
        return Ok(Err(Refused::Conflict));
    }
    let before = current_of(db, &c).await?;
    let t = &change.terms;
    let now = Utc::now();
    let mut a: contract_row::ActiveModel = c.clone().into();
    a.task_from = Set(t.task_from);
    a.task_to = Set(t.task_to);
    a.grant_from = Set(t.grant_from);
    a.grant_to = Set(t.grant_to);
    a.other_from = Set(t.other_from);
    a.other_to = Set(t.other_to);
    a.amount = Set(t.amount);
    a.updated_at = Set(now);
    a.version = Set(c.version + 1);
    let saved = a.update(db).await?;
    // Only tranches not paid may change (the check moved the difference to the last of them).
    for (i, tr) in t.tranches.iter().enumerate() {
        tranche::Entity::update_many()
            .col_expr(tranche::Column::Amount, Expr::value(tr.amount))
            .filter(tranche::Column::ContractId.eq(c.id))
            .filter(tranche::Column::N.eq(i32::try_from(i + 1).unwrap_or(i32::MAX)))
            .filter(tranche::Column::PaidOn.is_null())
            .exec(db)
            .await?;
    }
    contract_store::write_lines(db, c.id, &change.lines).await?;
    // An open final report is due 30 days after the task's new end.
    if t.task_to != before.terms.task_to
        && let Some(fin) = report_row::Entity::find()
            .filter(report_row::Column::ContractId.eq(c.id))
            .filter(report_row::Column::Kind.eq(Kind::Final))
            .one(db)
            .await?
        && fin.status.editable()
    {
        let mut r: report_row::ActiveModel = fin.into();
        r.due_on = Set(report_due::final_due(t.task_to));
        let moved = r.update(db).await?;
        report_due::schedule(db, &moved).await?;
    }
    let n = annex_row::Entity::find()
        .filter(annex_row::Column::ContractId.eq(c.id))
        .select_only()
        .column(annex_row::Column::N)
        .order_by_desc(annex_row::Column::N)
        .into_tuple::<i32>()
        .one(db)
        .await?
        .map_or(1, |n| n + 1);
    let before_json = serde_json::json!({
        "task": [before.terms.task_from, before.terms.task_to],
        "grant": [before.terms.grant_from, before.terms.grant_to],
        "other": [before.terms.other_from, before.terms.other_to],
        "amount": before.terms.amount,
        "lines": before.lines.iter().map(|l| (l.n, l.value, l.grant)).collect::<Vec<_>>(),
    });
    let annex = annex_row::ActiveModel {
        contract_id: Set(c.id),
        n: Set(n),
        reason: Set(change.reason.clone()),
        changes: Set(serde_json::to_string(&change.changes).unwrap_or_default()),
        before: Set(before_json.to_string()),
        signed_how: Set(how.code().to_owned()),
        created_by: Set(actor.user_id),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    audit::record(
        db,
        actor,
        "grant_contract.annex",
        "grant_contract",
        c.id,
        Some(&before_json),
        Some(&serde_json::json!({ "annex": n, "changes": change.changes, "version": saved.version })),
    )
    .await?;
    Ok(Ok(annex))
}

/// The name of a changed field as the annex's document prints it (Polish, as the contract).
pub fn field_pl(key: &str) -> String {
    if let Some(n) = key.strip_prefix("annex-tranche:") {
        return format!("Transza {n}");
    }
    if let Some(rest) = key.strip_prefix("annex-line:") {
        let (n, name) = rest.split_once(':').unwrap_or((rest, ""));
        return format!("Kosztorys, pozycja {n}. {name} (wartość / z dotacji)");
    }
    match key {
        "contract-field-task-from" => "Początek realizacji zadania",
        "contract-field-task-to" => "Koniec realizacji zadania",
        "contract-field-grant-from" => "Początek wydatkowania dotacji",
        "contract-field-grant-to" => "Koniec wydatkowania dotacji",
        "contract-field-other-from" => "Początek wydatkowania innych środków",
        "contract-field-other-to" => "Koniec wydatkowania innych środków",
        "contract-field-amount" => "Kwota dotacji",
        other => other,
    }
    .to_owned()
}

/// An annex as a document for its PDF: the changes as a table, the reason, the lines after it.
pub async fn document<C: ConnectionTrait>(
    db: &C,
    c: &contract_row::Model,
    a: &annex_row::Model,
    office: &str,
) -> Result<wspolnie_pdf::CallDocument, DbErr> {
    let org = organization::Entity::find_by_id(c.organization_id).one(db).await?;
    let changes = changes_of(a);
    let when = wspolnie_core::time::to_local(a.created_at).format("%d.%m.%Y").to_string();
    let sections = vec![
        wspolnie_pdf::DocSection {
            widths: Vec::new(),
            heading: "§ 1. Zmiany umowy".into(),
            facts: Vec::new(),
            paragraphs: vec![vec![format!(
                "Strony umowy nr {} zmieniają jej postanowienia w sposób następujący:",
                c.number
            )]],
            table: Some((
                vec!["Postanowienie".into(), "Było".into(), "Jest".into()],
                changes.iter().map(|(k, x, y)| vec![field_pl(k), x.clone(), y.clone()]).collect(),
            )),
        },
        wspolnie_pdf::DocSection {
            widths: Vec::new(),
            heading: "§ 2. Przyczyna zmiany".into(),
            facts: Vec::new(),
            paragraphs: vec![a.reason.lines().map(str::to_owned).collect()],
            table: None,
        },
        wspolnie_pdf::DocSection {
            widths: Vec::new(),
            heading: "§ 3. Postanowienia końcowe".into(),
            facts: Vec::new(),
            paragraphs: vec![vec![
                "Pozostałe postanowienia umowy nie ulegają zmianie. Aneks wchodzi w życie z dniem podpisania przez obie strony.".into(),
            ]],
            table: None,
        },
    ];
    Ok(wspolnie_pdf::CallDocument {
        title: format!("Aneks nr {} do umowy nr {}", a.n, c.number),
        lead_lines: vec![office.to_owned(), org.map(|o| o.name).unwrap_or_default(), format!("Zawarty {when}")],
        highlight: vec![format!("Dotacja według umowy: {}", Money(c.amount)), format!("Zmian: {}", changes.len())],
        sections,
        footer: format!("Aneks nr {} do umowy nr {}", a.n, c.number),
        lang: "pl".into(),
    })
}
