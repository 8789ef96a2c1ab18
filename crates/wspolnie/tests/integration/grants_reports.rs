//! Reports and settlement (issue 19, items 3–4): a contract with two tranches, signed (the final
//! report opens, due 30 days after the task, with its reminders queued), a partial report asked
//! for (no sooner than 30 days), filled in with bad amounts (kept as typed, nothing stored),
//! submitted and accepted; the final report with one line's grant above the tolerance (flagged,
//! an explanation asked for), returned with corrections and a deadline, corrected, accepted (the
//! contract reported); the settlement computed (unused and excess, with deadlines), a return
//! recorded, the contract settled only when nothing is owed. Reminders 3 days before and the day
//! after a due date are e-mailed by the job; overdue reports head the office's list.

use crate::accounts::make_user;
use crate::common::*;
use crate::grants_reduced::mail_with_subject;
use crate::grants_submit::person;
use chrono::{Duration, NaiveDate, Utc};
use sea_orm::{ActiveValue::Set, EntityTrait};
use wspolnie_areas::directory::entity::organization;
use wspolnie_areas::grants::contract_store;
use wspolnie_areas::grants::entity::grant_contract::{self, Status};
use wspolnie_areas::grants::entity::grant_report::{self, Kind, Status as ReportStatus};
use wspolnie_areas::grants::report_due;
use wspolnie_areas::grants::report_store;
use wspolnie_platform::audit::Actor;

fn text(b: &bytes::Bytes) -> String {
    String::from_utf8_lossy(b).replace('\u{a0}', " ")
}

fn zl(g: i64) -> String {
    wspolnie_areas::grants::fields::money_field(g)
}

async fn contract(app: &TestApp, id: i64) -> grant_contract::Model {
    grant_contract::Entity::find_by_id(id)
        .one(&app.tp.platform.db.conn)
        .await
        .expect("q")
        .expect("contract")
}

async fn report(app: &TestApp, id: i64) -> grant_report::Model {
    grant_report::Entity::find_by_id(id)
        .one(&app.tp.platform.db.conn)
        .await
        .expect("q")
        .expect("report")
}

fn warsaw_today() -> NaiveDate {
    wspolnie_areas::grants::model::warsaw_day(Utc::now())
}

/// The report's form: every action done, every result reached, the lines as given (total,
/// grant, explanation), the statements ticked.
async fn report_form(
    app: &TestApp,
    c: &grant_contract::Model,
    version: i32,
    lines: &[(i32, i64, i64, &str)],
) -> Vec<(String, String)> {
    let plan = report_store::plan_of(&app.tp.platform.db.conn, c)
        .await
        .expect("plan");
    let mut f: Vec<(String, String)> = vec![
        ("version".into(), version.to_string()),
        (
            "summary".into(),
            "Zadanie wykonano: warsztaty i festyn odbyły się zgodnie z planem.".into(),
        ),
        ("source-own_financial".into(), "500,00".into()),
        ("source-personal".into(), "1 200".into()),
    ];
    for n in 1..=plan.actions.len() {
        f.push((
            format!("action-{n}-done"),
            format!("Działanie {n} wykonane."),
        ));
    }
    for n in 1..=plan.results.len() {
        f.push((format!("result-{n}-achieved"), "40".into()));
    }
    for (n, total, grant, why) in lines {
        f.push((format!("cost-{n}-total"), zl(*total)));
        f.push((format!("cost-{n}-grant"), zl(*grant)));
        f.push((format!("cost-{n}-explanation"), (*why).to_owned()));
    }
    for s in wspolnie_areas::grants::report::STATEMENTS {
        f.push(("statements".into(), (*s).to_owned()));
    }
    f
}

fn with(f: &[(String, String)], extra: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut v = f.to_vec();
    v.extend(
        extra
            .iter()
            .map(|(a, b)| ((*a).to_owned(), (*b).to_owned())),
    );
    v
}

fn refs(f: &[(String, String)]) -> Vec<(&str, &str)> {
    f.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect()
}

#[tokio::test]
async fn a_contract_goes_from_tranches_through_reports_to_settlement() {
    each_backend("grants reports", |b| async move {
        let app = TestApp::new(b).await;
        let db = &app.tp.platform.db.conn;
        let offer = crate::grants_submit::first_granted(&app).await;
        let official_id = make_user(&app, "sprawozdania@example.pl", "hasło urzędnika 2026", Some(&[("official", "grants")])).await;
        let office = person(&app, official_id).await;
        let member_id = make_user(&app, "ksiegowa@example.pl", "hasło księgowej 2026", None).await;
        crate::grants_submit::join(&app, offer.organization_id, member_id, "owner").await;
        let member = person(&app, member_id).await;
        let outsider = person(&app, make_user(&app, "ciekawski@example.pl", "hasło ciekawskiego 2026", None).await).await;
        let org_mail = organization::Entity::find_by_id(offer.organization_id)
            .one(db)
            .await
            .expect("q")
            .and_then(|o| o.email)
            .expect("the demo organisation's address");
        let system = Actor::system("test");

        // A contract with two tranches, from the offer's prefilled terms.
        let call = wspolnie_areas::grants::entity::grant_call::Entity::find_by_id(offer.call_id).one(db).await.expect("q").expect("call");
        let mut input = contract_store::prefill(db, &offer, &call).await.expect("prefill");
        let granted = contract_store::granted(db, offer.id).await.expect("q").expect("granted");
        input.bank_account = "61 1090 1014 0000 0712 1981 2874".into();
        input.tranches = vec![
            wspolnie_areas::grants::contract::TrancheInput { due_on: input.task_from.clone(), amount: zl(granted / 2) },
            wspolnie_areas::grants::contract::TrancheInput { due_on: input.task_from.clone(), amount: zl(granted - granted / 2) },
        ];
        let terms = wspolnie_areas::grants::contract::check(&input, granted).expect("valid terms");
        let txn = wspolnie_platform::db::begin_write(db).await.expect("txn");
        let c = contract_store::create(&txn, &offer, &terms, &system).await.expect("create").expect("created");
        txn.commit().await.expect("commit");
        let id = c.id;
        let lines = contract_store::lines_of(db, id).await.expect("lines");
        assert!(lines.len() >= 2, "the demo offer has several cost lines: {lines:?}");
        let small_grant_before = lines.iter().filter(|l| l.grant > 0).map(|l| l.grant).min().expect("a grant line");
        assert_eq!(lines.iter().map(|l| l.grant).sum::<i64>(), granted, "the grant split over the lines to the grosz");

        // The contract page shows its cost lines; signing opens the final report.
        let (s, _, page) = office.get(&app, &format!("/panel/umowy/{id}")).await;
        assert_eq!(s, 200);
        assert!(text(&page).contains(&lines[0].name), "the cost lines are listed");
        let status = format!("/panel/umowy/{id}/status");
        assert_eq!(office.post(&app, &status, &[("to", "sent")]).await.0, 303);
        // Signed on paper: the scan is kept with the contract, for the office and the organisation.
        let scan = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n".to_vec();
        let sign = format!("/panel/umowy/{id}/podpis");
        let (s, _, _) = office
            .post_multipart(&app, &sign, &[("how", "upload"), ("note", "Podpisano w urzędzie.")], Some(("scan", "umowa podpisana.pdf", scan.clone())))
            .await;
        assert_eq!(s, 303);
        let signed = contract(&app, id).await;
        assert_eq!((signed.status, signed.signed_how.as_str()), (Status::Signed, "upload"));
        let (s, ct, body) = member.get(&app, &format!("/panel/umowy/{id}/podpisana.pdf")).await;
        assert_eq!((s, ct.as_str(), body.to_vec()), (200, "application/pdf", scan));
        assert_eq!(outsider.get(&app, &format!("/panel/umowy/{id}/podpisana.pdf")).await.0, 404);
        let reports = report_store::reports_of(db, id).await.expect("q");
        assert_eq!(reports.len(), 1);
        let fin = reports[0].clone();
        assert_eq!((fin.kind, fin.status), (Kind::Final, ReportStatus::Open));
        assert_eq!(fin.due_on, report_due::final_due(c.task_to), "30 days after the task ends");
        assert_eq!(
            app.tp.scalar_i64(&format!("SELECT COUNT(*) FROM jobs WHERE kind = 'grants.report_remind' AND idempotency_key LIKE 'grant-report-remind-{}-%'", fin.id)).await,
            [14, 3, -1].iter().filter(|b| fin.due_on - Duration::days(**b) >= warsaw_today()).count() as i64,
            "reminders 14 and 3 days before and the day after, those not yet past"
        );
        // Both tranches paid (a bad day comes back as typed, next to its field).
        let (s, _, html) = office.post(&app, &format!("/panel/umowy/{id}/transze/1"), &[("paid_on", "wczoraj")]).await;
        assert_eq!(s, 200);
        assert!(html.contains("id=\"paid-1-error\"") && html.contains("value=\"wczoraj\""));
        let paid_on = (warsaw_today() - Duration::days(1)).format("%Y-%m-%d").to_string();
        for n in [1, 2] {
            assert_eq!(office.post(&app, &format!("/panel/umowy/{id}/transze/{n}"), &[("paid_on", &paid_on)]).await.0, 303);
        }
        assert_eq!(contract(&app, id).await.status, Status::InProgress);

        // An annex moves 100 zł of grant from the largest line to the smallest grant line (one
        // without its reason comes back as typed first).
        let small_n = lines.iter().filter(|l| l.grant > 0).min_by_key(|l| l.grant).expect("a grant line").n;
        let large_n = lines.iter().filter(|l| l.n != small_n).max_by_key(|l| l.grant).expect("another line").n;
        let now = contract(&app, id).await;
        let (s, _, _) = office.get(&app, &format!("/panel/umowy/{id}/aneks")).await;
        assert_eq!(s, 200);
        let d = |x: NaiveDate| x.format("%Y-%m-%d").to_string();
        let mut annex: Vec<(String, String)> = vec![
            ("version".into(), now.version.to_string()),
            ("task_from".into(), d(now.task_from)),
            ("task_to".into(), d(now.task_to)),
            ("grant_from".into(), d(now.grant_from)),
            ("grant_to".into(), d(now.grant_to)),
            ("other_from".into(), d(now.other_from)),
            ("other_to".into(), d(now.other_to)),
            ("amount".into(), zl(now.amount)),
            ("how".into(), "electronic".into()),
        ];
        for l in &lines {
            let moved = if l.n == small_n { l.grant + 10_000 } else if l.n == large_n { l.grant - 10_000 } else { l.grant };
            annex.push((format!("line-{}-value", l.n), zl(l.value.max(moved))));
            annex.push((format!("line-{}-grant", l.n), zl(moved)));
        }
        let (s, _, html) = office.post(&app, &format!("/panel/umowy/{id}/aneks"), &refs(&annex)).await;
        assert_eq!(s, 200);
        assert!(html.contains("id=\"reason-error\"") && html.contains("checked"), "the reason is asked for, the rest kept");
        annex.push(("reason".into(), "Wniosek organizacji o przesunięcie środków między pozycjami.".into()));
        let (s, loc, _) = office.post(&app, &format!("/panel/umowy/{id}/aneks"), &refs(&annex)).await;
        assert_eq!((s, loc.as_str()), (303, format!("/panel/umowy/{id}/aneksy/1").as_str()));
        let (s, _, page) = office.get(&app, &loc).await;
        assert_eq!(s, 200);
        assert!(text(&page).contains("przesunięcie środków"), "the reason is shown");
        let lines = contract_store::lines_of(db, id).await.expect("lines");
        assert_eq!(lines.iter().find(|l| l.n == small_n).map(|l| l.grant), Some(small_grant_before + 10_000));
        assert_eq!(lines.iter().map(|l| l.grant).sum::<i64>(), granted, "the parts still add up to the grant");
        let (s, ct, pdf) = member.get(&app, &format!("{loc}/aneks.pdf")).await;
        assert_eq!((s, ct.as_str()), (200, "application/pdf"));
        let flat = crate::grants_submit::pages_text(&pdf).expect("pdftotext").join(" ");
        assert!(flat.contains(&format!("Aneks nr 1 do umowy nr {}", now.number)), "{flat}");
        assert_eq!(outsider.get(&app, &format!("{loc}/aneks.pdf")).await.0, 404);

        // A partial report: not due sooner than 30 days after the request.
        let ask = format!("/panel/umowy/{id}/sprawozdania");
        let period_to = c.task_from.format("%Y-%m-%d").to_string();
        let too_soon = (warsaw_today() + Duration::days(10)).format("%Y-%m-%d").to_string();
        let (s, _, html) = office.post(&app, &ask, &[("period_to", &period_to), ("due_on", &too_soon)]).await;
        assert_eq!(s, 200);
        assert!(html.contains("id=\"due_on-error\"") && html.contains(&format!("value=\"{too_soon}\"")));
        let due = report_due::earliest_partial_due(warsaw_today());
        assert_eq!(office.post(&app, &ask, &[("period_to", &period_to), ("due_on", &due.format("%Y-%m-%d").to_string())]).await.0, 303);
        app.tp.worker().run_until_idle().await.expect("worker");
        assert!(mail_with_subject(&app, &org_mail, "Prośba o sprawozdanie częściowe").contains(&due.format("%d.%m.%Y").to_string()));
        let partial = report_store::reports_of(db, id).await.expect("q").into_iter().find(|r| r.kind == Kind::Partial).expect("partial");
        let partial_path = format!("/panel/sprawozdania/{}", partial.id);
        assert_eq!(outsider.get(&app, &partial_path).await.0, 404);
        let (s, _, page) = member.get(&app, &partial_path).await;
        assert_eq!(s, 200);
        assert!(text(&page).contains("Sprawozdanie częściowe"));

        // Bad amounts come back as typed with their errors; nothing is stored.
        let half: Vec<(i32, i64, i64, &str)> = lines.iter().map(|l| (l.n, l.value / 2, l.grant / 2, "")).collect();
        let mut bad = report_form(&app, &c, 0, &half).await;
        for (k, v) in bad.iter_mut() {
            if k == "cost-1-total" {
                *v = "dużo".into();
            }
        }
        let (s, _, html) = member.post(&app, &partial_path, &refs(&with(&bad, &[("do", "submit")]))).await;
        assert_eq!(s, 200);
        assert!(html.contains("id=\"cost-1-total-error\"") && html.contains("value=\"dużo\""));
        assert_eq!(report(&app, partial.id).await.content, "");
        let good = report_form(&app, &c, 0, &half).await;
        assert_eq!(member.post(&app, &partial_path, &refs(&with(&good, &[("do", "submit")]))).await.0, 303);
        assert_eq!(report(&app, partial.id).await.status, ReportStatus::Submitted);
        // Once submitted, the organisation cannot change it; the office accepts it.
        let (s, loc, _) = member.post(&app, &partial_path, &refs(&with(&good, &[("do", "save")]))).await;
        assert_eq!((s, loc.as_str()), (303, partial_path.as_str()));
        assert_eq!(member.post(&app, &format!("{partial_path}/ocena"), &[("answer", "accept")]).await.0, 403);
        assert_eq!(office.post(&app, &format!("{partial_path}/ocena"), &[("answer", "accept")]).await.0, 303);
        assert_eq!(report(&app, partial.id).await.status, ReportStatus::Accepted);
        assert_eq!(contract(&app, id).await.status, Status::InProgress, "a partial report does not close the contract");

        // The final report: the smallest grant line takes 20 % more grant (over the 15 %), the
        // largest gives it back and 10 zł more (unused).
        let small = lines.iter().find(|l| l.n == small_n).expect("the smaller line").clone();
        let large = lines.iter().find(|l| l.n == large_n).expect("the larger line").clone();
        let extra = small.grant / 5;
        assert!(large.grant > extra + 1_000, "{small:?} {large:?}");
        let spent: Vec<(i32, i64, i64, &str)> = lines
            .iter()
            .map(|l| {
                let g = if l.n == small.n {
                    l.grant + extra
                } else if l.n == large.n {
                    l.grant - extra - 1_000
                } else {
                    l.grant
                };
                (l.n, l.value.max(g), g, "")
            })
            .collect();
        let fin_path = format!("/panel/sprawozdania/{}", fin.id);
        let form = report_form(&app, &c, 0, &spent).await;
        let (s, _, html) = member.post(&app, &fin_path, &refs(&with(&form, &[("do", "submit")]))).await;
        assert_eq!(s, 200);
        assert!(html.contains(&format!("id=\"cost-{}-explanation-error\"", small.n)), "a line over the tolerance needs its explanation");
        // Saved as a draft it is kept; then submitted with the explanation.
        assert_eq!(member.post(&app, &fin_path, &refs(&with(&form, &[("do", "save")]))).await.0, 303);
        let mut explained = report_form(&app, &c, 1, &spent).await;
        for (k, v) in explained.iter_mut() {
            if *k == format!("cost-{}-explanation", small.n) {
                *v = "Ceny materiałów wzrosły.".into();
            }
        }
        assert_eq!(member.post(&app, &fin_path, &refs(&with(&explained, &[("do", "submit")]))).await.0, 303);
        let (s, _, page) = office.get(&app, &fin_path).await;
        assert_eq!(s, 200);
        let page = text(&page);
        let excess_text = wspolnie_core::money::Money(extra).to_string().replace('\u{a0}', " ");
        assert!(page.contains("dotacja pobrana w nadmiernej wysokości") && page.contains(&excess_text), "the line over the tolerance is flagged with its amount");

        // Returned with corrections (a note too short comes back), corrected, accepted.
        let (s, _, html) = office.post(&app, &format!("{fin_path}/ocena"), &[("answer", "return"), ("note", "popraw"), ("correct_by", "2020-01-01")]).await;
        assert_eq!(s, 200);
        assert!(html.contains("id=\"note-error\"") && html.contains("id=\"correct_by-error\"") && html.contains(">popraw</textarea>"));
        let by = (warsaw_today() + Duration::days(14)).format("%Y-%m-%d").to_string();
        let note = "1. Uzupełnij opis wkładu osobowego.\n2. Dołącz zestawienie faktur.";
        assert_eq!(office.post(&app, &format!("{fin_path}/ocena"), &[("answer", "return"), ("note", note), ("correct_by", &by)]).await.0, 303);
        let returned = report(&app, fin.id).await;
        assert_eq!(returned.status, ReportStatus::Returned);
        assert_eq!(report_due::act_by(&returned), warsaw_today() + Duration::days(14));
        app.tp.worker().run_until_idle().await.expect("worker");
        assert!(mail_with_subject(&app, &org_mail, "Sprawozdanie do poprawy").contains("wkładu osobowego"));
        let mut corrected = with(&report_form(&app, &c, returned.version, &spent).await, &[
            ("input_note", "Czterech wolontariuszy, 120 godzin po 30 zł."),
            ("do", "submit"),
        ]);
        for (k, v) in corrected.iter_mut() {
            if *k == format!("cost-{}-explanation", small.n) {
                *v = "Ceny materiałów wzrosły.".into();
            }
        }
        assert_eq!(member.post(&app, &fin_path, &refs(&corrected)).await.0, 303);
        assert_eq!(report(&app, fin.id).await.status, ReportStatus::Submitted);
        assert_eq!(office.post(&app, &format!("{fin_path}/ocena"), &[("answer", "accept")]).await.0, 303);
        assert_eq!(contract(&app, id).await.status, Status::Reported, "the final report's acceptance closes the contract");

        // The settlement: 10 zł unused, the excess, each with its deadline.
        let c = contract(&app, id).await;
        let s = report_store::settlement_of(db, &c, warsaw_today()).await.expect("q").expect("settlement");
        assert_eq!((s.paid_out, s.unused, s.excess), (granted, 1_000, extra));
        // Interest for the days late as of today (the demo's task may have ended long ago).
        let rates = wspolnie_areas::grants::law::Statute::defaults(wspolnie_areas::grants::law::Law::ArrearsInterestBp);
        let interest: i64 = s.dues.iter().map(|d| wspolnie_areas::grants::settlement::interest(d.amount, d.due, warsaw_today(), rates)).sum();
        assert_eq!(s.interest, interest);
        assert_eq!(s.outstanding, 1_000 + extra + interest);
        let unused_due = s.dues.iter().find(|d| d.what == "unused").expect("unused").due;
        assert_eq!(unused_due, wspolnie_areas::grants::settlement::unused_due(c.grant_to));
        // Settling while money is owed is refused; a return is recorded (a bad one comes back).
        assert_eq!(office.post(&app, &status, &[("to", "settled")]).await.0, 303);
        assert_eq!(contract(&app, id).await.status, Status::Reported);
        let (s, _, html) = office.post(&app, &format!("/panel/umowy/{id}/zwroty"), &[("amount", "-5"), ("paid_on", "2999-01-01"), ("note", "")]).await;
        assert_eq!(s, 200);
        assert!(html.contains("id=\"amount-error\"") && html.contains("id=\"paid_on-error\"") && html.contains("value=\"-5\""));
        let today = warsaw_today().format("%Y-%m-%d").to_string();
        assert_eq!(
            office.post(&app, &format!("/panel/umowy/{id}/zwroty"), &[("amount", &zl(1_000 + extra + interest)), ("paid_on", &today), ("note", "Przelew zwrotny")]).await.0,
            303
        );
        let (_, _, page) = office.get(&app, &format!("/panel/umowy/{id}")).await;
        assert!(text(&page).contains("Rozliczenie dotacji") && text(&page).contains("Przelew zwrotny"));
        assert_eq!(office.post(&app, &status, &[("to", "settled")]).await.0, 303);
        assert_eq!(contract(&app, id).await.status, Status::Settled);
        for action in ["grant_report.request", "grant_report.submit", "grant_report.returned", "grant_report.accepted", "grant_return.record", "grant_contract.settled"] {
            assert!(app.tp.scalar_i64(&format!("SELECT COUNT(*) FROM audit_log WHERE action = '{action}'")).await >= 1, "{action}");
        }

        // Open data: the award with its contract settled, its report accepted, the money
        // returned; as many awards as decided lines above zero not declined, counted apart.
        let (s, body) = app.get_text("/api/v1/grants").await;
        assert_eq!(s, 200);
        let v: serde_json::Value = serde_json::from_str(&body).expect("json");
        let items = v["items"].as_array().expect("items");
        let ours = items.iter().find(|g| g["contract_number"] == c.number.as_str()).expect("our award");
        assert_eq!(ours["contract_status"], "settled");
        assert_eq!(ours["report_status"], "accepted");
        assert_eq!(ours["amount"].as_i64(), Some(granted));
        assert_eq!(ours["returned"].as_i64(), Some(1_000 + extra + interest));
        assert_eq!(ours["currency"], "PLN");
        let expected = app
            .tp
            .scalar_i64(
                "SELECT COUNT(*) FROM grant_decision_lines l JOIN grant_calls c ON c.id = l.call_id JOIN grant_offers o ON o.id = l.offer_id \
                 WHERE l.amount > 0 AND c.status = 'decided' AND o.status <> 'declined'",
            )
            .await;
        assert_eq!(items.len() as i64, expected);
        assert_eq!(v["total"].as_i64(), Some(expected));
        let (s, csv) = app.get_text("/dotacje.csv").await;
        assert_eq!(s, 200);
        assert!(csv.contains(&c.number) && csv.contains("rozliczona"), "{csv}");

        // The organisation's list and the office's: the reports with their state.
        let (s, _, page) = member.get(&app, "/panel/sprawozdania").await;
        assert_eq!(s, 200);
        assert!(text(&page).contains(&c.number));
        let (s, _, _) = outsider.get(&app, "/panel/sprawozdania").await;
        assert_eq!(s, 200);
    })
    .await;
}

#[tokio::test]
async fn reminders_go_out_before_and_after_a_due_date() {
    each_backend("grants report reminders", |b| async move {
        let app = TestApp::new(b).await;
        let db = &app.tp.platform.db.conn;
        let offer = crate::grants_submit::first_granted(&app).await;
        let org_mail = organization::Entity::find_by_id(offer.organization_id)
            .one(db)
            .await
            .expect("q")
            .and_then(|o| o.email)
            .expect("address");
        let system = Actor::system("test");
        let call = wspolnie_areas::grants::entity::grant_call::Entity::find_by_id(offer.call_id)
            .one(db)
            .await
            .expect("q")
            .expect("call");
        let mut input = contract_store::prefill(db, &offer, &call)
            .await
            .expect("prefill");
        input.bank_account = "61109010140000071219812874".into();
        let granted = contract_store::granted(db, offer.id)
            .await
            .expect("q")
            .expect("granted");
        let terms = wspolnie_areas::grants::contract::check(&input, granted).expect("valid");
        let txn = wspolnie_platform::db::begin_write(db).await.expect("txn");
        let c = contract_store::create(&txn, &offer, &terms, &system)
            .await
            .expect("q")
            .expect("created");
        contract_store::move_to(
            &txn,
            c.id,
            Status::Sent,
            None,
            "",
            &system,
            "http://127.0.0.1",
        )
        .await
        .expect("q")
        .expect("sent");
        contract_store::move_to(
            &txn,
            c.id,
            Status::Signed,
            Some(contract_store::Signed::Electronic),
            "",
            &system,
            "http://127.0.0.1",
        )
        .await
        .expect("q")
        .expect("signed");
        txn.commit().await.expect("commit");
        let fin = report_store::reports_of(db, c.id)
            .await
            .expect("q")
            .remove(0);
        // Due in 3 days: the 3-day reminder is due now, the 14-day one has passed unsent.
        let in3 = warsaw_today() + Duration::days(3);
        let mut a: grant_report::ActiveModel = fin.clone().into();
        a.due_on = Set(in3);
        let moved = sea_orm::ActiveModelTrait::update(a, db)
            .await
            .expect("update");
        report_due::schedule(db, &moved).await.expect("schedule");
        app.tp.worker().run_until_idle().await.expect("worker");
        let mail = mail_with_subject(&app, &org_mail, "Przypomnienie: sprawozdanie");
        assert!(mail.contains(&in3.format("%d.%m.%Y").to_string()), "{mail}");
        // The old date's jobs send nothing now that the date moved; a missed date: overdue.
        let yesterday = warsaw_today() - Duration::days(1);
        let mut a: grant_report::ActiveModel = moved.into();
        a.due_on = Set(yesterday);
        let late = sea_orm::ActiveModelTrait::update(a, db)
            .await
            .expect("update");
        report_due::schedule(db, &late).await.expect("schedule");
        app.tp.worker().run_until_idle().await.expect("worker");
        assert!(
            mail_with_subject(&app, &org_mail, "Minął termin sprawozdania")
                .contains("jak najszybciej")
        );
        let overdue = report_store::overdue(db, warsaw_today()).await.expect("q");
        assert!(
            overdue.iter().any(|r| r.id == fin.id),
            "the missed report is overdue"
        );
        // The calendar of obligations: the organisation's report, the office's tranche; the
        // private feed answers without a session, a wrong signature does not.
        let member_id = make_user(&app, "terminy-org@example.pl", "hasło członka 2026", None).await;
        crate::grants_submit::join(&app, offer.organization_id, member_id, "editor").await;
        let member = person(&app, member_id).await;
        let (s, _, page) = member.get(&app, "/panel/zobowiazania").await;
        assert_eq!(s, 200);
        let page = text(&page);
        assert!(
            page.contains("Złożyć sprawozdanie") && page.contains(&c.number),
            "{page}"
        );
        let feed = page
            .split("href=\"")
            .filter_map(|p| p.split('"').next())
            .find(|h| h.ends_with("/kalendarz.ics") && h.contains("/zobowiazania/"))
            .expect("the feed's address")
            .to_owned();
        let path = feed
            .find("/zobowiazania/")
            .map(|i| feed[i..].to_owned())
            .expect("path");
        let (s, ics) = app.get_text(&path).await;
        assert_eq!(s, 200);
        assert!(
            ics.contains("BEGIN:VEVENT") && ics.contains("Sprawozdanie do złożenia"),
            "{ics}"
        );
        assert!(ics.contains(&format!(
            "DTSTART;VALUE=DATE:{}",
            yesterday.format("%Y%m%d")
        )));
        let (s, _) = app
            .get_text(&path.replace("/kalendarz.ics", "0/kalendarz.ics"))
            .await;
        assert_eq!(s, 404);

        // The office's list names it overdue first.
        let official_id = make_user(
            &app,
            "terminy@example.pl",
            "hasło urzędnika 2026",
            Some(&[("official", "grants")]),
        )
        .await;
        let office = person(&app, official_id).await;
        let (s, _, page) = office.get(&app, "/panel/zobowiazania").await;
        assert_eq!(s, 200);
        assert!(
            text(&page).contains("Przekazać transzę"),
            "the unpaid tranche is the office's to pay"
        );
        let (s, _, page) = office.get(&app, "/panel/sprawozdania").await;
        assert_eq!(s, 200);
        let page = text(&page);
        let overdue_at = page.find("Po terminie").expect("the overdue heading");
        assert!(page[overdue_at..].contains(&c.number));
    })
    .await;
}
