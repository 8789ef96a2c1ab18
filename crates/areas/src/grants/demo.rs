//! Demo data of the grants area: an open call, a call closed and in its formal check, and last
//! year's decided call — in the words a Polish office would use.

use crate::demo::{DemoStep, Seed};
use crate::grants::entity::grant_call::{self, Status};
use crate::grants::model::{Criterion, PriorFunding};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ConnectionTrait, DbErr};

pub struct Demo;

#[path = "demo_offers.rs"]
mod offers;

#[async_trait::async_trait]
impl DemoStep for Demo {
    fn order(&self) -> u16 {
        60
    }

    async fn seed(&self, s: &mut Seed<'_>) -> anyhow::Result<()> {
        let mut saved_calls = Vec::new();
        for c in calls(s.base) {
            let saved = insert(s.txn, &c, s.base).await?;
            if saved.status.is_public() {
                crate::grants::public::sync_calendar(s.txn, &saved).await?;
            }
            saved_calls.push(saved);
        }
        offers::seed(s, &saved_calls).await?;
        Ok(())
    }
}

/// One demo call.
pub struct DemoCall {
    pub slug: &'static str,
    pub number: &'static str,
    pub title: &'static str,
    pub sphere: &'static str,
    pub task_type: &'static str,
    pub description: &'static str,
    pub funds_zl: i64,
    pub max_grant_zl: Option<i64>,
    /// Days from the anchor day: announcement, deadline.
    pub announced: i64,
    pub deadline: i64,
    pub status: Status,
    pub prior: Vec<PriorFunding>,
}

fn day(base: DateTime<Utc>, days: i64) -> NaiveDate {
    crate::grants::model::warsaw_day(base + Duration::days(days))
}

pub fn calls(base: DateTime<Utc>) -> Vec<DemoCall> {
    let year = |days: i64| {
        use chrono::Datelike;
        day(base, days).year()
    };
    vec![
        DemoCall {
            slug: "wypoczynek-letni-dzieci-i-mlodziezy",
            number: "WSS.524.2.2027",
            title: "Wypoczynek letni dzieci i młodzieży z Wierzbina",
            sphere: "15",
            task_type: "Organizacja wypoczynku dzieci i młodzieży w czasie wakacji letnich, w formie półkolonii i obozów",
            description: "Celem zadania jest zapewnienie dzieciom i młodzieży z Wierzbina w wieku 7–15 lat zorganizowanego wypoczynku w czasie wakacji, z programem sportowym, kulturalnym i edukacyjnym.\n\n- półkolonie w mieście (co najmniej 5 dni, 6 godzin dziennie),\n- obozy wyjazdowe (co najmniej 7 dni),\n- udział dzieci z rodzin w trudnej sytuacji bez opłat.",
            funds_zl: 180_000,
            max_grant_zl: Some(30_000),
            announced: -10,
            deadline: 25,
            status: Status::Open,
            prior: vec![PriorFunding {
                year: year(-365),
                task: "Wypoczynek letni dzieci i młodzieży".into(),
                amount: 16_000_000,
            }],
        },
        DemoCall {
            slug: "zajecia-sportowe-dla-dzieci",
            number: "WEKS.524.1.2027",
            title: "Zajęcia sportowe dla dzieci i młodzieży w roku szkolnym",
            sphere: "17",
            task_type: "Wspieranie i upowszechnianie kultury fizycznej: całoroczne szkolenie sportowe dzieci i młodzieży",
            description: "Regularne, bezpłatne zajęcia sportowe dla dzieci i młodzieży szkolnej prowadzone przez wykwalifikowanych trenerów, co najmniej dwa razy w tygodniu.",
            funds_zl: 250_000,
            max_grant_zl: Some(40_000),
            announced: -50,
            deadline: -20,
            status: Status::Closed,
            prior: Vec::new(),
        },
        DemoCall {
            slug: "kultura-i-dziedzictwo-2026",
            number: "WEKS.524.3.2026",
            title: "Kultura, sztuka i ochrona dziedzictwa lokalnego",
            sphere: "16",
            task_type: "Kultura, sztuka, ochrona dóbr kultury i dziedzictwa narodowego: wydarzenia kulturalne i edukacja regionalna",
            description: "Wydarzenia kulturalne otwarte dla mieszkańców, warsztaty artystyczne oraz działania upowszechniające historię i tradycje Wierzbina.",
            funds_zl: 120_000,
            max_grant_zl: Some(20_000),
            announced: -400,
            deadline: -370,
            status: Status::Decided,
            prior: Vec::new(),
        },
        DemoCall {
            slug: "aktywnosc-seniorow-2026",
            number: "WSS.524.4.2026",
            title: "Aktywność i integracja seniorów",
            sphere: "10",
            task_type: "Działalność na rzecz osób w wieku emerytalnym: zajęcia ruchowe, edukacyjne i integracyjne dla seniorów",
            description: "Zajęcia, które pomagają seniorom z Wierzbina zachować sprawność i kontakt z innymi: gimnastyka, warsztaty, wyjścia do kultury, pomoc sąsiedzka.",
            funds_zl: 150_000,
            max_grant_zl: Some(30_000),
            announced: -420,
            deadline: -390,
            status: Status::Decided,
            prior: Vec::new(),
        },
    ]
}

async fn insert<C: ConnectionTrait>(
    db: &C,
    c: &DemoCall,
    base: DateTime<Utc>,
) -> Result<grant_call::Model, DbErr> {
    let announced = base + Duration::days(c.announced);
    let deadline_day = day(base, c.deadline);
    let deadline = wspolnie_core::time::local_to_utc(
        deadline_day
            .and_hms_opt(15, 30, 0)
            .unwrap_or_default(),
    )
    .unwrap_or(base);
    let criteria = [
        ("Możliwość realizacji zadania przez organizację", 10, 2),
        ("Kalkulacja kosztów w odniesieniu do zakresu zadania", 10, 2),
        ("Jakość wykonania i kwalifikacje osób realizujących zadanie", 10, 2),
        ("Udział środków własnych lub z innych źródeł", 5, 1),
        ("Wkład osobowy, w tym praca wolontariuszy, i wkład rzeczowy", 5, 1),
        ("Rzetelność i terminowość rozliczenia wcześniejszych zadań", 5, 1),
    ]
    .iter()
    .map(|(name, max_points, weight)| Criterion {
        name: (*name).into(),
        max_points: *max_points,
        weight: *weight,
    })
    .collect::<Vec<_>>();
    grant_call::ActiveModel {
        slug: Set(c.slug.into()),
        number: Set(c.number.into()),
        title: Set(c.title.into()),
        sphere_code: Set(c.sphere.into()),
        task_type: Set(c.task_type.into()),
        description_md: Set(c.description.into()),
        funds_available: Set(c.funds_zl * 100),
        grant_rules_md: Set("Dotacja może pokryć do 90% kosztów zadania. Środki dotacji nie mogą być przeznaczone na zakup nieruchomości ani na działalność gospodarczą.".into()),
        execution_from: Set(deadline_day + Duration::days(40)),
        execution_to: Set(deadline_day + Duration::days(150)),
        execution_conditions_md: Set("Zadanie realizuje się na terenie Wierzbina, dla jego mieszkańców. Organizacja prowadzi dokumentację uczestników i informuje o dofinansowaniu z budżetu Gminy Wierzbin.".into()),
        offers_from: Set(None),
        offer_deadline: Set(deadline),
        selection_procedure_md: Set("Oferty ocenia komisja konkursowa powołana przez Burmistrza, według kryteriów podanych niżej; decyzję o wyborze ofert podejmuje Burmistrz Wierzbina.".into()),
        selection_date: Set(deadline_day + Duration::days(21)),
        prior_funding: Set(serde_json::to_string(&c.prior).unwrap_or_else(|_| "[]".into())),
        criteria: Set(serde_json::to_string(&criteria).unwrap_or_else(|_| "[]".into())),
        formal_checklist: Set("Oferta złożona w terminie\nOferta złożona na właściwym formularzu, wszystkie pola wypełnione\nOferent jest uprawniony do udziału w konkursie\nDołączone wszystkie wymagane załączniki\nOferta mieści się w limitach konkursu".into()),
        max_grant: Set(c.max_grant_zl.map(|z| z * 100)),
        min_own_bp: Set(1000),
        own_kinds: Set("financial,personal,in_kind".into()),
        fees_allowed: Set(false),
        admin_cap_bp: Set(Some(1000)),
        max_years: Set(1),
        joint_allowed: Set(true),
        indicators_required: Set(true),
        required_attachments: Set("Aktualny statut organizacji".into()),
        correction_days: Set(7),
        form_version: Set(crate::grants::offer::TEMPLATE_VERSION.into()),
        contact_name: Set("Wydział Spraw Społecznych, pok. 12".into()),
        contact_email: Set("dotacje@wierzbin.example".into()),
        status: Set(c.status),
        announced_at: Set(Some(announced)),
        event_id: Set(None),
        cloned_from: Set(None),
        created_by: Set(None),
        created_at: Set(announced - Duration::days(3)),
        updated_at: Set(announced),
        version: Set(0),
        ..Default::default()
    }
    .insert(db)
    .await
}
