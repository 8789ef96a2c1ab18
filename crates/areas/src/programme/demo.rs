//! Demo data of the programme: last year's programme with its published report (the figures
//! computed from the demo's own calls, offers, consultations and meetings, frozen as publication
//! freezes them), this year's programme in force with the year's calls linked to its priority
//! tasks, and next year's in consultation, linked to the consultation of its draft. Written as
//! rows (no e-mails are queued by a demo).

use super::entity::programme::{self, Status};
use super::entity::programme_report::{self as report, Status as ReportStatus};
use super::entity::{programme_indicator as indicator, programme_task as task};
use super::figures::{self, Metric};
use crate::consultations::entity::consultation;
use crate::demo::{DemoStep, Seed};
use crate::grants::entity::grant_call;
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};

pub struct Demo;

#[async_trait::async_trait]
impl DemoStep for Demo {
    fn order(&self) -> u16 {
        80
    }

    async fn seed(&self, s: &mut Seed<'_>) -> anyhow::Result<()> {
        let year = crate::grants::model::warsaw_day(s.base).year();
        let last = insert(s.txn, s.base, year - 1, Status::Reported, None).await?;
        insert(s.txn, s.base, year, Status::InForce, None).await?;
        let draft = consultation::Entity::find()
            .filter(consultation::Column::Slug.eq(format!("program-wspolpracy-{}", year + 1)))
            .one(s.txn)
            .await?
            .map(|c| c.id);
        insert(s.txn, s.base, year + 1, Status::Consultation, draft).await?;
        publish(s.txn, s.base, last, year - 1).await?;
        Ok(())
    }
}

const TASKS: [(&str, &str, i64); 4] = [
    ("Wspieranie aktywności i integracji seniorów", "10", 300_000),
    ("Kultura, sztuka i ochrona dziedzictwa lokalnego", "16", 250_000),
    ("Upowszechnianie kultury fizycznej wśród dzieci i młodzieży", "17", 400_000),
    ("Wypoczynek dzieci i młodzieży", "15", 200_000),
];

const INDICATORS: [(&str, Metric, i64); 6] = [
    ("Liczba otwartych konkursów ofert", Metric::Calls, 4),
    ("Liczba ofert złożonych w konkursach", Metric::Offers, 12),
    ("Kwota przyznanych dotacji (zł)", Metric::Granted, 60_000_000),
    ("Liczba organizacji uczestniczących we współpracy", Metric::OrganisationsTakingPart, 8),
    ("Liczba konsultacji projektów aktów prawa", Metric::Consultations, 2),
    ("Liczba godzin doradztwa w Centrum Organizacji Pozarządowych", Metric::Manual, 120),
];

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

async fn insert<C: ConnectionTrait>(
    db: &C,
    base: DateTime<Utc>,
    year: i32,
    status: Status,
    consultation_id: Option<i64>,
) -> Result<i64, DbErr> {
    let adopted = status != Status::Consultation;
    let created = base - Duration::days(i64::from((base.year() - year + 1).max(0)) * 365);
    let id = programme::Entity::insert(programme::ActiveModel {
        slug: Set(format!("program-wspolpracy-{year}")),
        title: Set(format!("Program współpracy Gminy Wierzbin z organizacjami pozarządowymi na rok {year}")),
        year_from: Set(year),
        year_to: Set(year),
        status: Set(status),
        main_goal: Set("Budowanie partnerstwa między Gminą Wierzbin a organizacjami pozarządowymi w rozpoznawaniu i zaspokajaniu potrzeb mieszkańców.".into()),
        specific_goals: Set("Zwiększenie udziału organizacji w realizacji zadań publicznych.\nWzmacnianie potencjału organizacji przez szkolenia, doradztwo i udostępnianie sal.\nWłączanie organizacji w tworzenie polityk lokalnych przez konsultacje.".into()),
        principles: Set("Współpraca opiera się na zasadach **pomocniczości**, suwerenności stron, partnerstwa, efektywności, uczciwej konkurencji i jawności.".into()),
        scope: Set("Współpraca obejmuje sfery zadań publicznych z art. 4 ust. 1 ustawy, w szczególności zadania priorytetowe wymienione w Programie.".into()),
        forms: Set("- zlecanie zadań publicznych w otwartych konkursach ofert i w trybie art. 19a (małe granty),\n- wzajemne informowanie się o planowanych kierunkach działalności (serwis Wspólnie, newsletter),\n- konsultowanie projektów aktów prawa miejscowego,\n- spotkania, szkolenia i doradztwo w Centrum Organizacji Pozarządowych,\n- obejmowanie patronatem Burmistrza przedsięwzięć organizacji.".into()),
        implementation: Set("Program realizuje Burmistrz przez Pełnomocnika ds. organizacji pozarządowych i komórki merytoryczne urzędu. Konkursy ogłaszane są w serwisie Wspólnie, w BIP i na tablicy ogłoszeń.".into()),
        total_funds: Set(TASKS.iter().map(|t| t.2).sum::<i64>() * 100),
        evaluation: Set("Pełnomocnik monitoruje realizację Programu na bieżąco, a sprawozdanie przedstawia Radzie Miejskiej do 31 maja następnego roku. Mierniki i ich wartości docelowe podano niżej.".into()),
        drafting: Set("Projekt Programu przygotował Pełnomocnik wraz z Radą Działalności Pożytku Publicznego i skonsultował z organizacjami w serwisie Wspólnie.".into()),
        consultation_id: Set(consultation_id),
        commissions: Set("Komisję konkursową powołuje Burmistrz; w jej skład wchodzą przedstawiciele urzędu i co najmniej dwie osoby wskazane przez organizacje niebiorące udziału w konkursie.".into()),
        resolution_number: Set(if adopted { format!("XLI/{}/{}", 300 + (year % 100), year - 1) } else { String::new() }),
        resolution_date: Set(adopted.then(|| day(year - 1, 11, 24))),
        created_by: Set(None),
        created_at: Set(created),
        updated_at: Set(created),
        adopted_at: Set(adopted.then_some(created)),
        version: Set(1),
        ..Default::default()
    })
    .exec(db)
    .await?
    .last_insert_id;
    for (n, (name, sphere, zl)) in TASKS.iter().enumerate() {
        let task_id = task::Entity::insert(task::ActiveModel {
            programme_id: Set(id),
            position: Set(i32::try_from(n + 1).unwrap_or(1)),
            name: Set((*name).into()),
            spheres: Set((*sphere).into()),
            planned_funds: Set(zl * 100),
            ..Default::default()
        })
        .exec(db)
        .await?
        .last_insert_id;
        // The year's calls of the task's sphere serve it.
        grant_call::Entity::update_many()
            .col_expr(grant_call::Column::ProgrammeTaskId, Expr::value(task_id))
            .filter(grant_call::Column::SphereCode.eq(*sphere))
            .filter(grant_call::Column::ExecutionFrom.between(day(year, 1, 1), day(year, 12, 31)))
            .exec(db)
            .await?;
    }
    for (n, (name, metric, target)) in INDICATORS.iter().enumerate() {
        indicator::Entity::insert(indicator::ActiveModel {
            programme_id: Set(id),
            position: Set(i32::try_from(n + 1).unwrap_or(1)),
            name: Set((*name).into()),
            metric: Set(metric.as_str().into()),
            target: Set(*target),
            ..Default::default()
        })
        .exec(db)
        .await?;
    }
    Ok(id)
}

/// Last year's report, published: the figures as the demo's data gives them, frozen.
async fn publish<C: ConnectionTrait>(db: &C, base: DateTime<Utc>, programme_id: i64, year: i32) -> Result<(), DbErr> {
    let tasks = super::store::tasks(db, programme_id).await?;
    let f = figures::compute(db, year, &tasks).await?;
    let manual = super::store::indicators(db, programme_id)
        .await?
        .into_iter()
        .filter(|i| i.metric == Metric::Manual.as_str())
        .map(|i| (i.id, 134))
        .collect::<std::collections::HashMap<i64, i64>>();
    let published = base - Duration::days(190);
    report::Entity::insert(report::ActiveModel {
        programme_id: Set(programme_id),
        year: Set(year),
        status: Set(ReportStatus::Published),
        introduction: Set(format!("Sprawozdanie przedstawia realizację Programu współpracy w roku {year}, przygotowane na podstawie danych serwisu Wspólnie.")),
        financial: Set("Środki zaplanowane na zadania priorytetowe wykorzystano w większości; część dotacji zwrócono po rozliczeniu.".into()),
        non_financial: Set("Organizacje brały udział w konsultacjach i spotkaniach; Centrum Organizacji Pozarządowych udzielało doradztwa.".into()),
        conclusions: Set("W kolejnym roku warto zwiększyć udział organizacji w konsultacjach i przygotować więcej szkoleń z rozliczania dotacji.".into()),
        manual_values: Set(serde_json::to_string(&manual).unwrap_or_else(|_| "{}".into())),
        figures: Set(Some(serde_json::to_string(&f).unwrap_or_default())),
        published_at: Set(Some(published)),
        created_by: Set(None),
        created_at: Set(published - Duration::days(20)),
        updated_at: Set(published),
        ..Default::default()
    })
    .exec_without_returning(db)
    .await?;
    Ok(())
}
