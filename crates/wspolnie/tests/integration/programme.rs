//! The cooperation programme and its report (issue 21). The demo's published report and this
//! year's live figures are checked against counts made here from every row of the tables (loaded
//! whole and counted in plain Rust, not through the area's queries); the report reads back as a
//! page, a PDF, an ODT and CSV. An official writes a programme (bad input kept, nothing stored; a
//! stale form refused), is refused consultation while parts are missing, consults it with its
//! consultation linked, records the council's resolution (a date ahead refused), links a call to
//! a priority task, writes the report (a bad manual value kept) and publishes it: the figures are
//! frozen and the programme is reported. The statutory deadlines remind the officials in charge
//! once per reminder.

use crate::accounts::make_user;
use crate::common::*;
use crate::grants_reduced::mail_with_subject;
use crate::grants_submit::person;
use chrono::{Datelike, NaiveDate, TimeZone, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use std::collections::HashSet;
use wspolnie_areas::calendar::entity::event;
use wspolnie_areas::consultations::entity::{consultation, consultation_remark as remark};
use wspolnie_areas::grants::entity::grant_call::{self, Kind};
use wspolnie_areas::grants::entity::grant_offer::{self, Status as OfferStatus};
use wspolnie_areas::grants::entity::{grant_decision_line, grant_tranche};
use wspolnie_areas::meetings::entity::{meeting, meeting_invitation};
use wspolnie_areas::partners::entity::{media_request, partner_activity};
use wspolnie_areas::programme::entity::programme::{self, Status};
use wspolnie_areas::programme::entity::programme_report as report;
use wspolnie_areas::programme::entity::{programme_indicator, programme_task};
use wspolnie_areas::programme::figures::{self, Figures};

fn squash(s: &str) -> String {
    s.replace(['\u{a0}', '\u{202f}'], " ")
}

fn warsaw_year(t: chrono::DateTime<Utc>) -> i32 {
    wspolnie_core::time::to_local(t).year()
}

/// The figures of `year` counted from whole tables, the plain way.
async fn counted(app: &TestApp, year: i32) -> Figures {
    let db = &app.tp.platform.db.conn;
    let calls: Vec<grant_call::Model> = grant_call::Entity::find()
        .all(db)
        .await
        .expect("calls")
        .into_iter()
        .filter(|c| c.status != grant_call::Status::Draft && c.execution_from.year() == year)
        .collect();
    let offers: Vec<grant_offer::Model> = grant_offer::Entity::find()
        .all(db)
        .await
        .expect("offers")
        .into_iter()
        .filter(|o| {
            calls.iter().any(|c| c.id == o.call_id)
                && o.submitted_at.is_some()
                && o.status != OfferStatus::Draft
                && o.status != OfferStatus::Withdrawn
        })
        .collect();
    let lines = grant_decision_line::Entity::find()
        .all(db)
        .await
        .expect("lines");
    let mut f = Figures {
        year,
        ..Default::default()
    };
    let mut orgs = HashSet::new();
    for o in &offers {
        let small = calls
            .iter()
            .any(|c| c.id == o.call_id && c.kind == Kind::Small);
        orgs.insert(o.organization_id);
        let granted = lines
            .iter()
            .filter(|l| l.offer_id == o.id && l.amount > 0 && o.status != OfferStatus::Declined)
            .map(|l| l.amount)
            .sum::<i64>();
        if small {
            f.small_offers += 1;
        } else {
            f.offers += 1;
        }
        if granted > 0 {
            if small {
                f.small_granted_count += 1;
                f.small_granted += granted;
            } else {
                f.offers_granted += 1;
                f.granted += granted;
            }
        }
    }
    f.calls = calls.iter().filter(|c| c.kind == Kind::Open).count() as u64;
    f.organisations_offering = orgs.len() as u64;
    f.paid = grant_tranche::Entity::find()
        .all(db)
        .await
        .expect("tranches")
        .iter()
        .filter(|t| t.paid_on.is_some_and(|d| d.year() == year))
        .map(|t| t.amount)
        .sum();
    let cons: Vec<i64> = consultation::Entity::find()
        .all(db)
        .await
        .expect("consultations")
        .into_iter()
        .filter(|c| c.status != consultation::Status::Draft && warsaw_year(c.starts_at) == year)
        .map(|c| c.id)
        .collect();
    f.consultations = cons.len() as u64;
    for r in remark::Entity::find().all(db).await.expect("remarks") {
        if cons.contains(&r.consultation_id) {
            f.remarks += 1;
            if r.position == Some(remark::Position::Accepted) {
                f.remarks_accepted += 1;
            }
            if let Some(o) = r.organization_id {
                orgs.insert(o);
            }
        }
    }
    let meetings: Vec<i64> = meeting::Entity::find()
        .all(db)
        .await
        .expect("meetings")
        .into_iter()
        .filter(|m| m.status == meeting::Status::Invited && warsaw_year(m.starts_at) == year)
        .map(|m| m.id)
        .collect();
    f.meetings = meetings.len() as u64;
    for i in meeting_invitation::Entity::find()
        .all(db)
        .await
        .expect("invitations")
    {
        if meetings.contains(&i.meeting_id) {
            f.meeting_invitations += 1;
            if i.status == meeting_invitation::Status::Attending {
                f.meeting_attendance += i.party_size.max(1) as u64;
                if let Some(o) = i.organization_id {
                    orgs.insert(o);
                }
            }
        }
    }
    f.trainings = event::Entity::find()
        .all(db)
        .await
        .expect("events")
        .iter()
        .filter(|e| {
            e.status.as_str() == "published"
                && ["szkolenie", "warsztaty"].contains(&e.category.as_str())
                && warsaw_year(e.starts_at) == year
        })
        .count() as u64;
    f.partner_activities = partner_activity::Entity::find()
        .all(db)
        .await
        .expect("activities")
        .iter()
        .filter(|a| a.status != partner_activity::Status::Draft && warsaw_year(a.starts_at) == year)
        .count() as u64;
    f.patronages = media_request::Entity::find()
        .all(db)
        .await
        .expect("media")
        .iter()
        .filter(|m| {
            m.kind == "patronage"
                && m.status == media_request::Status::Accepted
                && warsaw_year(m.created_at) == year
        })
        .count() as u64;
    // Organisations taking part: offers, remarks and attendance (partner interests are checked
    // by the total below only when the year has any).
    f.organisations_taking_part = orgs.len() as u64;
    f
}

/// The figures both ways must agree on.
fn assert_agree(what: &str, mine: &Figures, theirs: &Figures) {
    let pairs = [
        ("calls", mine.calls, theirs.calls),
        ("offers", mine.offers, theirs.offers),
        ("offers granted", mine.offers_granted, theirs.offers_granted),
        ("small offers", mine.small_offers, theirs.small_offers),
        (
            "small grants",
            mine.small_granted_count,
            theirs.small_granted_count,
        ),
        (
            "organisations offering",
            mine.organisations_offering,
            theirs.organisations_offering,
        ),
        ("consultations", mine.consultations, theirs.consultations),
        ("remarks", mine.remarks, theirs.remarks),
        (
            "remarks accepted",
            mine.remarks_accepted,
            theirs.remarks_accepted,
        ),
        ("meetings", mine.meetings, theirs.meetings),
        (
            "invitations",
            mine.meeting_invitations,
            theirs.meeting_invitations,
        ),
        (
            "attendance",
            mine.meeting_attendance,
            theirs.meeting_attendance,
        ),
        ("trainings", mine.trainings, theirs.trainings),
        (
            "partner activities",
            mine.partner_activities,
            theirs.partner_activities,
        ),
        ("patronages", mine.patronages, theirs.patronages),
    ];
    for (name, a, b) in pairs {
        assert_eq!(a, b, "{what}: {name}");
    }
    assert_eq!(mine.granted, theirs.granted, "{what}: granted");
    assert_eq!(
        mine.small_granted, theirs.small_granted,
        "{what}: small granted"
    );
    assert_eq!(mine.paid, theirs.paid, "{what}: paid");
    if theirs.partner_interests == 0 {
        assert_eq!(
            mine.organisations_taking_part, theirs.organisations_taking_part,
            "{what}: organisations"
        );
    }
}

async fn by_slug(app: &TestApp, slug: &str) -> programme::Model {
    programme::Entity::find()
        .filter(programme::Column::Slug.eq(slug))
        .one(&app.tp.platform.db.conn)
        .await
        .expect("q")
        .unwrap_or_else(|| panic!("no programme {slug}"))
}

#[tokio::test]
async fn the_demo_report_matches_counts_made_from_the_data_and_reads_back() {
    each_backend("programme demo report", |b| async move {
        let app = TestApp::new(b).await;
        let db = &app.tp.platform.db.conn;
        let year = wspolnie_core::time::today().year();
        let last = by_slug(&app, &format!("program-wspolpracy-{}", year - 1)).await;
        assert_eq!(last.status, Status::Reported);
        let stored = report::Entity::find()
            .filter(report::Column::ProgrammeId.eq(last.id))
            .one(db)
            .await
            .expect("q")
            .expect("last year's report");
        let frozen: Figures =
            serde_json::from_str(stored.figures.as_deref().expect("frozen")).expect("json");
        let mine = counted(&app, year - 1).await;
        assert!(
            mine.calls >= 1 && mine.offers >= 1,
            "the demo's last year has a call with offers"
        );
        assert_agree("last year's published report", &mine, &frozen);

        // This year's figures, as the office's draft report computes them now.
        let now = by_slug(&app, &format!("program-wspolpracy-{year}")).await;
        let tasks = programme_task::Entity::find()
            .filter(programme_task::Column::ProgrammeId.eq(now.id))
            .all(db)
            .await
            .expect("tasks");
        let live = figures::compute(db, year, &tasks).await.expect("figures");
        let mine_now = counted(&app, year).await;
        assert!(
            mine_now.meetings + mine_now.consultations + mine_now.partner_activities > 0,
            "this year's demo has non-financial cooperation"
        );
        assert_agree("this year's live figures", &mine_now, &live);
        // Calls this year name this year's tasks: the per-task rows add up to the totals.
        let per_task: u64 = live.by_task.iter().map(|r| r.calls).sum();
        assert_eq!(per_task, live.calls);
        assert!(
            live.by_task
                .iter()
                .any(|r| !r.key.is_empty() && r.calls > 0),
            "a call is linked"
        );

        // The public pages.
        let (s, list) = app.get_text("/program").await;
        assert_eq!(s, 200);
        assert!(
            list.contains(&format!("/program/{}\"", now.slug))
                && list.contains(&format!("/program/{}\"", last.slug))
        );
        assert!(
            !list.contains(&format!("program-wspolpracy-{}\"", year + 1)),
            "a consulted draft is not public"
        );
        let (s, page) = app.get_text(&format!("/program/{}", now.slug)).await;
        assert_eq!(s, 200);
        let linked = grant_call::Entity::find()
            .filter(grant_call::Column::ProgrammeTaskId.is_in(tasks.iter().map(|t| t.id)))
            .all(db)
            .await
            .expect("calls");
        assert!(!linked.is_empty());
        for c in &linked {
            assert!(
                page.contains(&c.title),
                "the programme lists its call {}",
                c.title
            );
        }
        // This year's draft report, as the office sees it: live figures compared with last
        // year's published ones.
        let official = make_user(
            &app,
            "program-demo@example.pl",
            "hasło urzędnika 2026",
            Some(&[("official", "programme")]),
        )
        .await;
        let office = person(&app, official).await;
        let (s, _, draft) = office
            .get(&app, &format!("/panel/program/{}/sprawozdanie/{year}", now.id))
            .await;
        assert_eq!(s, 200);
        let draft = squash(&String::from_utf8_lossy(&draft));
        assert!(draft.contains(&format!("Porównanie z rokiem {}", year - 1)), "no comparison");
        let change = live.calls as i64 - frozen.calls as i64;
        let sign = if change > 0 { "+" } else { "" };
        assert!(
            draft.contains(&format!(
                "<th scope=\"row\">Otwarte konkursy ofert</th><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{sign}{change}</td>",
                frozen.calls, live.calls
            )),
            "the comparison's calls row"
        );
        // A call's page names the task it serves and links its programme.
        let open_call = linked.iter().find(|c| c.kind == Kind::Open).expect("an open call linked");
        let (s, call_page) = app.get_text(&format!("/konkursy/{}", open_call.slug)).await;
        assert_eq!(s, 200);
        assert!(
            call_page.contains("Zadanie priorytetowe programu współpracy")
                && call_page.contains(&format!("href=\"/program/{}\"", now.slug)),
            "the call does not name its task"
        );
        let base = format!("/program/{}/sprawozdanie/{}", last.slug, year - 1);
        let (s, page) = app.get_text(&base).await;
        assert_eq!(s, 200);
        let page = squash(&page);
        for needle in [
            "Współpraca finansowa",
            "Zadania priorytetowe",
            "Mierniki realizacji programu",
            "role=\"img\"",
            &format!(
                "<th scope=\"row\">Otwarte konkursy ofert</th><td class=\"num\">{}</td>",
                frozen.calls
            ),
            &format!(
                "<th scope=\"row\">Oferty złożone w konkursach</th><td class=\"num\">{}</td>",
                frozen.offers
            ),
        ] {
            assert!(page.contains(needle), "report page lacks {needle}");
        }
        // The same report for BIP, read back.
        let pdf = app.get(&format!("{base}/raport.pdf")).await;
        assert_eq!(pdf.headers()["content-type"], "application/pdf");
        let pdf = pdf.bytes().await.expect("pdf");
        let text = squash(
            &crate::grants_submit::pages_text(&pdf)
                .expect("pdftotext is needed")
                .join(" "),
        );
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        for needle in [
            "Sprawozdanie z realizacji programu za rok",
            "Współpraca finansowa",
            "Wspieranie aktywności",
            "Wnioski",
        ] {
            assert!(text.contains(needle), "PDF lacks {needle}: {text}");
        }
        let odt = app
            .get(&format!("{base}/raport.odt"))
            .await
            .bytes()
            .await
            .expect("odt");
        let mut zip =
            zip::ZipArchive::new(std::io::Cursor::new(odt.to_vec())).expect("an ODT is a zip");
        let mut content = String::new();
        std::io::Read::read_to_string(
            &mut zip.by_name("content.xml").expect("content"),
            &mut content,
        )
        .expect("read");
        for needle in [
            "Zadania priorytetowe",
            "Wspieranie aktywności i integracji seniorów",
            "Liczba godzin doradztwa",
        ] {
            assert!(content.contains(needle), "ODT lacks {needle}");
        }
        let (s, csv) = app.get_text(&format!("{base}/zadania.csv")).await;
        assert_eq!(s, 200);
        assert!(
            csv.starts_with("\u{feff}Zadanie;Planowane środki;Konkursy;Oferty;"),
            "{csv}"
        );
        assert!(csv.contains("1. Wspieranie aktywności i integracji seniorów"));
        assert_eq!(app.get_text(&format!("{base}/nieznana.csv")).await.0, 404);
        assert_eq!(
            app.get_text(&format!("/program/{}/sprawozdanie/{}", now.slug, year))
                .await
                .0,
            404,
            "a draft report is not public"
        );
    })
    .await;
}

#[tokio::test]
async fn an_official_writes_consults_adopts_links_and_reports_on_a_programme() {
    each_backend("programme office", |b| async move {
        let app = TestApp::new(b).await;
        let db = &app.tp.platform.db.conn;
        let year = wspolnie_core::time::today().year();
        let last = year - 1;
        let official_id = make_user(
            &app,
            "program@example.pl",
            "hasło urzędnika 2026",
            Some(&[("official", "programme")]),
        )
        .await;
        let office = person(&app, official_id).await;
        let grants_id = make_user(
            &app,
            "dotacje-p@example.pl",
            "hasło urzędnika 2026",
            Some(&[("official", "grants")]),
        )
        .await;
        assert_eq!(
            person(&app, grants_id)
                .await
                .get(&app, "/panel/program")
                .await
                .0,
            403,
            "another scope"
        );
        let (s, _, list) = office.get(&app, "/panel/program").await;
        assert_eq!(s, 200);
        assert!(String::from_utf8_lossy(&list).contains("Terminy ustawowe"));
        let before = programme::Entity::find().all(db).await.expect("q").len();

        // Bad input: kept, errors named, nothing stored.
        let title = format!("Program testowy na rok {last}");
        let (s, _, html) = office
            .post(
                &app,
                "/panel/program/nowy",
                &[
                    ("title", "P"),
                    ("year_from", "MMXXVI"),
                    ("year_to", ""),
                    ("total_funds", "100"),
                    ("task_1_name", "Seniorzy w ruchu"),
                    ("task_1_spheres", "zzz"),
                    ("task_1_funds", "500"),
                    ("task_2_name", "Ab"),
                    ("task_2_spheres", "zzz"),
                    ("indicator_1_name", "Konkursy"),
                    ("indicator_1_metric", "calls"),
                    ("indicator_1_target", "dużo"),
                ],
            )
            .await;
        assert_eq!(s, 200);
        let html = squash(&html);
        for needle in [
            "Podaj tytuł programu",
            "Podaj pierwszy rok programu, np. 2027.",
            "Zadanie 1: wybierz co najmniej jedną sferę",
            "Zadanie 2: wybierz co najmniej jedną sferę",
            "Zadanie 2: podaj nazwę zadania",
            "Miernik 1: podaj wartość docelową",
            "value=\"Seniorzy w ruchu\"",
        ] {
            assert!(html.contains(needle), "form lacks {needle}: {html}");
        }
        // The summary follows the page: the title, the tasks in their order, then the indicators.
        let at = |n: &str| html.find(n).unwrap_or(usize::MAX);
        assert!(
            at("Podaj tytuł programu") < at("Zadanie 1: wybierz")
                && at("Zadanie 1: wybierz") < at("Zadanie 2: podaj nazwę")
                && at("Zadanie 2: wybierz") < at("Miernik 1: podaj"),
            "the error summary is in the page's order"
        );
        assert_eq!(
            programme::Entity::find().all(db).await.expect("q").len(),
            before,
            "nothing stored"
        );
        let (s, loc, _) = office
            .post(
                &app,
                "/panel/program/nowy",
                &[
                    ("title", &title),
                    ("year_from", &last.to_string()),
                    ("year_to", ""),
                ],
            )
            .await;
        assert_eq!(s, 303, "a draft needs only its title and years");
        let id: i64 = loc
            .trim_start_matches("/panel/program/")
            .parse()
            .expect("id");
        // Consultation refused while parts are missing, each named.
        let (s, _, html) = office
            .post(
                &app,
                &format!("/panel/program/{id}/status"),
                &[("to", "consultation")],
            )
            .await;
        assert_eq!(s, 200);
        let html = squash(&html);
        assert!(
            html.contains("Najpierw uzupełnij: Cel główny i cele szczegółowe, Zasady współpracy"),
            "{html}"
        );
        assert_eq!(by_id(&app, id).await.status, Status::Draft);

        // The eleven parts, a task, two indicators and the consultation of its draft.
        let cons = consultation::Entity::find()
            .filter(consultation::Column::Status.eq(consultation::Status::Reported))
            .one(db)
            .await
            .expect("q")
            .expect("the demo's reported consultation");
        let cons_id = cons.id.to_string();
        let last_s = last.to_string();
        let full = |version: &'static str| {
            vec![
                ("title", title.clone()),
                ("year_from", last_s.clone()),
                ("year_to", last_s.clone()),
                ("main_goal", "Partnerstwo gminy i organizacji.".to_owned()),
                (
                    "specific_goals",
                    "Więcej zadań zlecanych.\nSilniejsze organizacje.".into(),
                ),
                ("principles", "Pomocniczość, partnerstwo, jawność.".into()),
                ("scope", "Sfery z art. 4 ustawy.".into()),
                ("forms", "- konkursy\n- konsultacje".into()),
                ("implementation", "Program realizuje Burmistrz.".into()),
                ("total_funds", "400 000,00".into()),
                ("evaluation", "Pełnomocnik ocenia program co roku.".into()),
                ("drafting", "Projekt skonsultowano w serwisie.".into()),
                ("consultation", cons_id.clone()),
                ("commissions", "Komisję powołuje Burmistrz.".into()),
                ("task_1_name", "Aktywność seniorów".into()),
                ("task_1_spheres", "10".into()),
                ("task_1_funds", "300 000".into()),
                ("indicator_1_name", "Liczba konkursów".into()),
                ("indicator_1_metric", "calls".into()),
                ("indicator_1_target", "2".into()),
                ("indicator_2_name", "Godziny doradztwa".into()),
                ("indicator_2_metric", "manual".into()),
                ("indicator_2_target", "100".into()),
                ("version", version.into()),
            ]
        };
        let as_refs = |v: &Vec<(&'static str, String)>| {
            v.iter().map(|(k, v)| (*k, v.clone())).collect::<Vec<_>>()
        };
        let fields = as_refs(&full("1"));
        let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let (s, _, _) = office
            .post(&app, &format!("/panel/program/{id}/edycja"), &refs)
            .await;
        assert_eq!(s, 303);
        // The same form again, opened at version 1: someone saved since.
        let (s, _, html) = office
            .post(&app, &format!("/panel/program/{id}/edycja"), &refs)
            .await;
        assert_eq!(s, 200);
        assert!(squash(&html).contains("Ktoś zapisał ten program"));
        let (s, _, _) = office
            .post(
                &app,
                &format!("/panel/program/{id}/status"),
                &[("to", "consultation")],
            )
            .await;
        assert_eq!(s, 303);
        let p = by_id(&app, id).await;
        assert_eq!(
            (p.status, p.consultation_id),
            (Status::Consultation, Some(cons.id))
        );
        let (_, _, page) = office.get(&app, &format!("/panel/program/{id}")).await;
        assert!(
            String::from_utf8_lossy(&page)
                .contains(&format!("href=\"/konsultacje/{}\"", cons.slug)),
            "links its consultation"
        );

        // The council's resolution: a date ahead refused, then adopted — in force at once.
        let ahead = (wspolnie_core::time::today() + chrono::Duration::days(2)).to_string();
        let (s, _, html) = office
            .post(
                &app,
                &format!("/panel/program/{id}/uchwala"),
                &[
                    ("resolution_number", "XL/300/2025"),
                    ("resolution_date", &ahead),
                ],
            )
            .await;
        assert_eq!(s, 200);
        assert!(squash(&html).contains("Data uchwały nie może być późniejsza niż dziś."));
        let adopted_on = format!("{}-11-20", last - 1);
        let (s, _, _) = office
            .post(
                &app,
                &format!("/panel/program/{id}/uchwala"),
                &[
                    ("resolution_number", "XL/300/2025"),
                    ("resolution_date", &adopted_on),
                ],
            )
            .await;
        assert_eq!(s, 303);
        let p = by_id(&app, id).await;
        assert_eq!(p.status, Status::InForce);
        assert_eq!(p.resolution_number, "XL/300/2025");
        let (s, _, _) = office
            .get(&app, &format!("/panel/program/{id}/edycja"))
            .await;
        assert_eq!(s, 404, "an adopted programme's text is the council's");

        // Last year's calls name this programme's task; a task of another programme is refused.
        let task = programme_task::Entity::find()
            .filter(programme_task::Column::ProgrammeId.eq(id))
            .one(db)
            .await
            .expect("q")
            .expect("task");
        let call = grant_call::Entity::find()
            .all(db)
            .await
            .expect("calls")
            .into_iter()
            .find(|c| c.execution_from.year() == last && c.kind == Kind::Open)
            .expect("a call of last year");
        let field = format!("call_{}", call.id);
        let (s, _, html) = office
            .post(
                &app,
                &format!("/panel/program/{id}/konkursy"),
                &[(field.as_str(), "999999")],
            )
            .await;
        assert_eq!(s, 200);
        assert!(squash(&html).contains("Wybrano zadanie spoza tego programu"));
        let task_s = task.id.to_string();
        let (s, _, _) = office
            .post(
                &app,
                &format!("/panel/program/{id}/konkursy"),
                &[(field.as_str(), task_s.as_str())],
            )
            .await;
        assert_eq!(s, 303);
        let linked = grant_call::Entity::find_by_id(call.id)
            .one(db)
            .await
            .expect("q")
            .expect("call");
        assert_eq!(linked.programme_task_id, Some(task.id));

        // The report: a bad manual value kept, then saved and published.
        let manual = programme_indicator::Entity::find()
            .filter(programme_indicator::Column::ProgrammeId.eq(id))
            .filter(programme_indicator::Column::Metric.eq("manual"))
            .one(db)
            .await
            .expect("q")
            .expect("manual indicator");
        let manual_field = format!("manual_{}", manual.id);
        let rpath = format!("/panel/program/{id}/sprawozdanie/{last}");
        let (s, _, page) = office.get(&app, &rpath).await;
        assert_eq!(s, 200);
        let page = squash(&String::from_utf8_lossy(&page));
        assert!(
            page.contains("1. Aktywność seniorów"),
            "the preview lists the task"
        );
        let (s, _, html) = office
            .post(
                &app,
                &rpath,
                &[
                    ("introduction", "Wstęp sprawozdania."),
                    (manual_field.as_str(), "-3"),
                ],
            )
            .await;
        assert_eq!(s, 200);
        let html = squash(&html);
        assert!(
            html.contains(&format!("„{}”: podaj wartość miernika", manual.name))
                && html.contains("Wstęp sprawozdania."),
            "kept as typed"
        );
        let (s, _, _) = office
            .post(
                &app,
                &rpath,
                &[
                    ("introduction", "Wstęp sprawozdania."),
                    ("conclusions", "Wnioski końcowe."),
                    (manual_field.as_str(), "120"),
                ],
            )
            .await;
        assert_eq!(s, 303);
        let (s, _, _) = office.post(&app, &format!("{rpath}/publikacja"), &[]).await;
        assert_eq!(s, 303);
        assert_eq!(
            by_id(&app, id).await.status,
            Status::Reported,
            "the report on its last year ends it"
        );
        let public = format!("/program/{}/sprawozdanie/{last}", p.slug);
        let (s, page) = app.get_text(&public).await;
        assert_eq!(s, 200);
        let page = squash(&page);
        let mine = counted(&app, last).await;
        let granted = squash(&wspolnie_core::money::Money(mine.granted).to_string());
        assert!(
            page.contains("Wstęp sprawozdania.")
                && page.contains(">120<")
                && page.contains(&granted),
            "{page}"
        );
        // Published figures are frozen: a later change of the data does not move them.
        app.tp
            .exec("UPDATE grant_decision_lines SET amount = amount + 100 WHERE amount > 0")
            .await;
        let (_, again) = app.get_text(&public).await;
        assert!(squash(&again).contains(&granted), "the published sum stays");
        let tasks = vec![task];
        assert_ne!(
            figures::compute(db, last, &tasks).await.expect("f").granted,
            mine.granted,
            "the data did move"
        );
    })
    .await;
}

async fn by_id(app: &TestApp, id: i64) -> programme::Model {
    programme::Entity::find_by_id(id)
        .one(&app.tp.platform.db.conn)
        .await
        .expect("q")
        .expect("programme")
}

#[tokio::test]
async fn deadlines_remind_the_officials_in_charge_once_per_reminder() {
    each_backend("programme deadlines", |b| async move {
        let app = TestApp::new(b).await;
        let db = &app.tp.platform.db.conn;
        make_user(
            &app,
            "pelnomocnik@example.pl",
            "hasło urzędnika 2026",
            Some(&[("official", "programme")]),
        )
        .await;
        let year = wspolnie_core::time::today().year();
        let at = |m: u32, d: u32| {
            Utc.with_ymd_and_hms(year, m, d, 10, 0, 0)
                .single()
                .expect("time")
        };
        let base = "http://127.0.0.1";
        use wspolnie_areas::programme::deadlines;
        // Next year's programme (the demo's is still consulted) is due on 30 November.
        let dl = deadlines::current(db, NaiveDate::from_ymd_opt(year, 10, 1).expect("day"))
            .await
            .expect("deadlines");
        assert_eq!(
            dl[0].due,
            NaiveDate::from_ymd_opt(year, 11, 30).expect("day")
        );
        assert!(dl[0].done.is_none());
        assert_eq!(
            dl[1].due,
            NaiveDate::from_ymd_opt(year, 5, 31).expect("day")
        );
        assert!(
            dl[1].done.is_some(),
            "the demo published last year's report"
        );
        assert_eq!(
            deadlines::remind(db, base, at(10, 1))
                .await
                .expect("remind"),
            0,
            "too early"
        );
        assert_eq!(
            deadlines::remind(db, base, at(11, 5))
                .await
                .expect("remind"),
            1,
            "30 days before"
        );
        assert_eq!(
            deadlines::remind(db, base, at(11, 6))
                .await
                .expect("remind"),
            0,
            "once"
        );
        assert_eq!(
            deadlines::remind(db, base, at(11, 25))
                .await
                .expect("remind"),
            1,
            "7 days before"
        );
        assert_eq!(
            deadlines::remind(db, base, at(12, 2))
                .await
                .expect("remind"),
            0,
            "past: the panel shows it"
        );
        app.tp.worker().run_until_idle().await.expect("worker");
        let body = mail_with_subject(
            &app,
            "pelnomocnik@example.pl",
            &format!(
                "Program współpracy na rok {}: termin 30.11.{year}",
                year + 1
            ),
        );
        assert!(body.contains("art. 5a ust. 1"), "{body}");
    })
    .await;
}
