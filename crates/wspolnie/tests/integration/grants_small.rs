//! Small grants outside calls (art. 19a; issue 19, item 5): the office opens next year's
//! register (bad input kept, nothing stored); an organisation starts a simplified offer (the
//! 2055 form: no split or other-information sections), is stopped by the limits (amount over
//! 10 000 zł, a task over 90 days) with the remaining amounts named, then submits; the
//! publication deadline (7 working days) and its reminders are recorded; the office publishes it
//! (a bad sphere refused); anyone comments on the public page (bad input kept, held for
//! moderation, throttled per address); the office lets one comment through and hides another;
//! the decision waits for the end of the comment window, refuses an amount above the request,
//! then grants; the contract form opens for it and the open data lists it as a small grant.

use crate::accounts::{location, make_user, post_form};
use crate::common::*;
use crate::grants_reduced::mail_with_subject;
use crate::grants_submit::person;
use chrono::{Datelike, Duration, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter,
};
use wspolnie_areas::directory::entity::organization;
use wspolnie_areas::grants::contract_store;
use wspolnie_areas::grants::entity::grant_call;
use wspolnie_areas::grants::entity::grant_decision_line as line;
use wspolnie_areas::grants::entity::grant_offer::{self, Status};
use wspolnie_areas::grants::entity::grant_small_comment::{
    self as comment, Status as CommentStatus,
};
use wspolnie_areas::grants::entity::grant_small_offer as small_row;
use wspolnie_areas::grants::offer::{
    Action, CostLine, OfferContent, SMALL_TEMPLATE_VERSION, STATEMENTS, Section,
};
use wspolnie_areas::grants::report_store;

fn text(b: &bytes::Bytes) -> String {
    String::from_utf8_lossy(b).replace('\u{a0}', " ")
}

fn squash(s: &str) -> String {
    s.replace('\u{a0}', " ")
}

fn content(year: i32, grant: i64, days: i64) -> OfferContent {
    let start = NaiveDate::from_ymd_opt(year, 3, 1).expect("date");
    let mut c = OfferContent::default();
    c.offerors.contact_person = "Beata Zawadzka".into();
    c.offerors.contact_email = "beata.zawadzka@example.pl".into();
    c.task.title = "Podwórkowe warsztaty plastyczne".into();
    c.task.start_date = start.format("%Y-%m-%d").to_string();
    c.task.end_date = (start + Duration::days(days - 1))
        .format("%Y-%m-%d")
        .to_string();
    c.task.summary = "Cztery warsztaty plastyczne dla dzieci z podwórek przy ul. Ogrodowej.".into();
    c.actions.actions = vec![Action {
        name: "Warsztaty".into(),
        description: "Cztery spotkania po trzy godziny.".into(),
        year: 1,
        ..Default::default()
    }];
    c.costs.lines = vec![CostLine {
        action: Some(0),
        kind: "Materiały plastyczne i prowadzenie".into(),
        unit: "komplet".into(),
        unit_cost: grant + 100_000,
        units_centi: 100,
        year: 1,
    }];
    c.funding.grant = grant;
    c.funding.own_financial = 100_000;
    c.statements.confirmed = STATEMENTS.iter().map(|s| (*s).to_owned()).collect();
    c
}

async fn fill(app: &TestApp, id: i64, user_id: i64, c: &OfferContent) {
    let db = &app.tp.platform.db.conn;
    let actor = wspolnie_platform::audit::Actor {
        user_id: Some(user_id),
        label: "member".into(),
        ip: String::new(),
    };
    let txn = wspolnie_platform::db::begin_write(db).await.expect("txn");
    let (stored, states) = wspolnie_areas::grants::store::load(&txn, id)
        .await
        .expect("load");
    let mut c = c.clone();
    c.offerors.lead = stored.offerors.lead;
    for s in Section::SMALL {
        let v = states.get(s).map_or(0, |x| x.version);
        wspolnie_areas::grants::store::save_section(&txn, id, *s, &c.section_json(*s), v, &actor)
            .await
            .expect("save");
    }
    txn.commit().await.expect("commit");
}

async fn offer(app: &TestApp, id: i64) -> grant_offer::Model {
    grant_offer::Entity::find_by_id(id)
        .one(&app.tp.platform.db.conn)
        .await
        .expect("q")
        .expect("offer")
}

#[tokio::test]
async fn a_small_grant_goes_from_its_offer_through_public_comments_to_the_contract() {
    each_backend("grants small", |b| async move {
        let app = TestApp::new(b).await;
        let db = &app.tp.platform.db.conn;
        let today = wspolnie_areas::grants::model::warsaw_day(Utc::now());
        let year = today.year() + 1;
        let official_id = make_user(&app, "male-granty@example.pl", "hasło urzędnika 2026", Some(&[("official", "grants")])).await;
        let office = person(&app, official_id).await;

        // The register: bad input is shown again as typed, nothing stored.
        let registers = || async {
            grant_call::Entity::find()
                .filter(grant_call::Column::Kind.eq(grant_call::Kind::Small))
                .all(db)
                .await
                .expect("q")
                .len()
        };
        let before = registers().await;
        let (s, _, html) = office
            .post(&app, "/panel/male-granty", &[("year", "dwa tysiące"), ("funds", "-5"), ("contact_name", "Ewa Lis"), ("contact_email", "nie-adres")])
            .await;
        assert_eq!(s, 200);
        assert!(html.contains("Podaj bieżący, poprzedni albo następny rok."), "{html}");
        assert!(html.contains("value=\"Ewa Lis\""));
        assert!(html.contains("value=\"dwa tysiące\""));
        assert_eq!(registers().await, before, "nothing stored");
        let y = year.to_string();
        let fields = [("year", y.as_str()), ("funds", "100 000,00"), ("contact_name", "Ewa Lis"), ("contact_email", "ewa.lis@example.pl")];
        assert_eq!(office.post(&app, "/panel/male-granty", &fields).await.0, 303);
        let (s, _, html) = office.post(&app, "/panel/male-granty", &fields).await;
        assert_eq!(s, 200, "the same year twice is refused");
        assert!(html.contains("Rejestr tego roku już istnieje."));
        let slug = format!("male-granty-{year}");
        let register = grant_call::Entity::find()
            .filter(grant_call::Column::Slug.eq(&slug))
            .one(db)
            .await
            .expect("q")
            .expect("register");
        assert_eq!(register.funds_available, 10_000_000);
        // The register is not an open call: not on the calls' list.
        assert!(!app.get_text("/konkursy").await.1.contains(&register.title));

        // An organisation starts the simplified offer.
        let org = organization::Entity::find().one(db).await.expect("q").expect("an organisation");
        let member_id = make_user(&app, "zawadzka@example.pl", "hasło członkini 2026", None).await;
        crate::grants_submit::join(&app, org.id, member_id, "owner").await;
        let member = person(&app, member_id).await;
        let org_id = org.id.to_string();
        let (s, loc, _) = member.post(&app, &format!("/panel/oferty/nowa?konkurs={slug}"), &[("organization", org_id.as_str())]).await;
        assert_eq!(s, 303);
        let id: i64 = loc.trim_start_matches("/panel/oferty/").parse().expect("offer id");
        let o = offer(&app, id).await;
        assert_eq!(o.template_version, SMALL_TEMPLATE_VERSION);
        assert_eq!(member.get(&app, &format!("/panel/oferty/{id}/sekcja/podzial")).await.0, 404, "no V.C in the simplified form");
        assert_eq!(member.get(&app, &format!("/panel/oferty/{id}/sekcja/koszty")).await.0, 200);

        // The organisation sees what the limits leave before it asks.
        let (_, _, page) = member.get(&app, &format!("/panel/oferty/{id}")).await;
        let page = text(&page);
        assert!(page.contains("Organizacji zostało w tym roku"), "{page}");
        // Over the limits: 12 000 zł and 120 days — refused, each limit named with what is left.
        fill(&app, id, member_id, &content(year, 1_200_000, 120)).await;
        let (s, _, _) = member.post(&app, &format!("/panel/oferty/{id}/zloz"), &[]).await;
        assert_eq!(s, 303);
        assert_eq!(offer(&app, id).await.status, Status::Draft);
        let (_, _, page) = member.get(&app, &format!("/panel/oferty/{id}")).await;
        let page = text(&page);
        assert!(page.contains("Mała dotacja może wynieść najwyżej 10 000,00 zł."), "{page}");
        assert!(page.contains("Zadanie z małą dotacją może trwać najwyżej 90 dni."));
        // Within the limits: submitted; the office must publish within 7 working days.
        fill(&app, id, member_id, &content(year, 800_000, 20)).await;
        assert_eq!(member.post(&app, &format!("/panel/oferty/{id}/zloz"), &[]).await.0, 303);
        let o = offer(&app, id).await;
        assert_eq!(o.status, Status::Submitted);
        assert_eq!(o.requested_grant, 800_000);
        let row = small_row::Entity::find()
            .filter(small_row::Column::OfferId.eq(id))
            .one(db)
            .await
            .expect("q")
            .expect("publication row");
        assert_eq!(row.received_on, today);
        assert_eq!(row.publish_by, wspolnie_core::time::add_working_days(today, 7));
        let reminders = app
            .tp
            .scalar_i64(&format!("SELECT COUNT(*) FROM jobs WHERE kind = 'grants.small_publish_remind' AND idempotency_key LIKE 'grant-small-remind-{id}-%'"))
            .await;
        assert_eq!(reminders, 2, "two working days before and on the day");

        // The worker reminds the register's contact (the reminder two working days before, made
        // due now); a reminder of an offer already published would send nothing.
        wspolnie_platform::entity::job::Entity::update_many()
            .col_expr(wspolnie_platform::entity::job::Column::RunAt, sea_orm::sea_query::Expr::value(Utc::now() - Duration::seconds(1)))
            .filter(wspolnie_platform::entity::job::Column::IdempotencyKey.eq(format!("grant-small-remind-{id}-{}-2", row.publish_by)))
            .exec(db)
            .await
            .expect("due now");
        app.tp.worker().run_until_idle().await.expect("worker");
        let reminder = mail_with_subject(&app, "ewa.lis@example.pl", "Termin publikacji oferty");
        assert!(reminder.contains(&row.publish_by.format("%d.%m.%Y").to_string()), "{reminder}");

        // The office sees it waiting, with what the limits leave (the pool: 20 % of 100 000 zł).
        let (_, _, list) = office.get(&app, "/panel/male-granty").await;
        let list = text(&list);
        assert!(list.contains("Podwórkowe warsztaty plastyczne"));
        let (_, _, page) = office.get(&app, &format!("/panel/male-granty/{id}")).await;
        let page = text(&page);
        assert!(page.contains("20 000,00 zł"), "the pool and the organisation's limit: {page}");
        // On the office's calendar of obligations: the publication deadline.
        let (_, _, cal) = office.get(&app, "/panel/zobowiazania").await;
        assert!(text(&cal).contains(&format!("/panel/male-granty/{id}\"")), "publication deadline on the calendar");
        // Not public before publication.
        assert_eq!(app.get(&format!("/male-granty/{id}")).await.status(), 404);
        let (s, _, html) = office.post(&app, &format!("/panel/male-granty/{id}/publikacja"), &[("sphere", "nie-ma")]).await;
        assert_eq!(s, 200);
        assert!(html.contains("Wybierz sferę z listy."));
        assert_eq!(offer(&app, id).await.status, Status::Submitted);
        assert_eq!(office.post(&app, &format!("/panel/male-granty/{id}/publikacja"), &[("sphere", "16")]).await.0, 303);
        assert_eq!(offer(&app, id).await.status, Status::Published);
        let row = small_row::Entity::find_by_id(row.id).one(db).await.expect("q").expect("row");
        assert_eq!(row.published_on, Some(today));
        assert_eq!(row.comments_to, Some(today + Duration::days(7)));

        // The organisation is told (the offer's contact address), with the window's end.
        app.tp.worker().run_until_idle().await.expect("worker");
        let told = mail_with_subject(&app, "beata.zawadzka@example.pl", "Oferta opublikowana do uwag");
        assert!(told.contains(&(today + Duration::days(7)).format("%d.%m.%Y").to_string()));
        // The organisation's calendar: the end of the comment window.
        let (_, _, cal) = member.get(&app, "/panel/zobowiazania").await;
        assert!(text(&cal).contains(&format!("/male-granty/{id}\"")), "comment window on the member's calendar");
        // The public page: the offer without its contact person's details.
        let (s, html) = app.get_text(&format!("/male-granty/{id}")).await;
        assert_eq!(s, 200);
        let html = squash(&html);
        assert!(html.contains("Podwórkowe warsztaty plastyczne"));
        assert!(!html.contains("Beata Zawadzka") && !html.contains("beata.zawadzka@example.pl"), "personal data withheld");
        assert!(html.contains(&format!("href=\"/male-granty/{id}/uwagi\"")));
        assert!(app.get_text("/male-granty").await.1.contains(&format!("/male-granty/{id}\"")));

        // Anyone comments: bad input kept, nothing stored; a good comment held for review.
        let form_page = format!("/male-granty/{id}/uwagi");
        let r = post_form(&app, &form_page, &form_page, &[("name", "Jan Kos"), ("email", "nie-adres"), ("body", "Za krótko")]).await;
        assert_eq!(r.status(), 200);
        let html = r.text().await.expect("html");
        assert!(html.contains("Podaj poprawny adres e-mail albo zostaw pole puste."));
        assert!(html.contains("value=\"Jan Kos\"") && html.contains(">Za krótko</textarea>"));
        let count = || async { comment::Entity::find().filter(comment::Column::OfferId.eq(id)).all(db).await.expect("q").len() };
        assert_eq!(count().await, 0);
        let bodies = [
            "Warsztaty są potrzebne, dzieci z Ogrodowej nie mają zajęć latem.",
            "To reklama firmy, proszę nie publikować.",
            "Trzecia uwaga w tej samej sprawie, także potrzebna.",
            "Czwarta uwaga, aby sprawdzić limit.",
            "Piąta uwaga, ostatnia w limicie.",
        ];
        for body in bodies {
            let r = post_form(&app, &form_page, &form_page, &[("name", "Jan Kos"), ("email", ""), ("body", body)]).await;
            assert_eq!(r.status(), 303, "{body}");
        }
        let r = post_form(&app, &form_page, &form_page, &[("name", "Jan Kos"), ("email", ""), ("body", "Szósta uwaga w ciągu godziny.")]).await;
        assert_eq!(r.status(), 200, "throttled per address");
        assert!(r.text().await.expect("html").contains("Z tego adresu wysłano już dużo uwag."));
        assert_eq!(count().await, 5);
        assert!(!app.get_text(&format!("/male-granty/{id}")).await.1.contains(bodies[0]), "held until reviewed");

        // The office lets the first through and hides the second.
        let all = comment::Entity::find().filter(comment::Column::OfferId.eq(id)).all(db).await.expect("q");
        let first = all.iter().find(|c| c.body == bodies[0]).expect("first");
        let second = all.iter().find(|c| c.body == bodies[1]).expect("second");
        assert_eq!(office.post(&app, &format!("/panel/male-granty/{id}/uwagi/{}", first.id), &[("to", "published")]).await.0, 303);
        assert_eq!(office.post(&app, &format!("/panel/male-granty/{id}/uwagi/{}", second.id), &[("to", "hidden")]).await.0, 303);
        // A comment of another offer cannot be moderated through this one.
        let (_, loc, _) = office.post(&app, &format!("/panel/male-granty/{}/uwagi/{}", id + 1000, first.id), &[("to", "hidden")]).await;
        assert!(loc.contains("/panel/male-granty/"));
        let first = comment::Entity::find_by_id(first.id).one(db).await.expect("q").expect("c");
        assert_eq!(first.status, CommentStatus::Published);
        let public = squash(&app.get_text(&format!("/male-granty/{id}")).await.1);
        assert!(public.contains(bodies[0]));
        assert!(!public.contains(bodies[1]));

        // The decision waits for the window's end.
        assert_eq!(office.post(&app, &format!("/panel/male-granty/{id}/decyzja"), &[("answer", "grant"), ("amount", "8 000,00")]).await.0, 303);
        assert_eq!(offer(&app, id).await.status, Status::Published, "not during the comment window");
        // Time passes: the window ended three days ago.
        let mut a = row.clone().into_active_model();
        a.published_on = Set(Some(today - Duration::days(10)));
        a.comments_to = Set(Some(today - Duration::days(3)));
        a.update(db).await.expect("move the window");
        let r = post_form(&app, &form_page, "/logowanie", &[("name", "Spóźniony"), ("email", ""), ("body", "Uwaga po terminie na pewno.")]).await;
        assert_eq!(r.status(), 303);
        assert!(location(&r).ends_with(&format!("/male-granty/{id}")));
        assert_eq!(count().await, 5, "no comment after the window");
        let (s, _, html) = office.post(&app, &format!("/panel/male-granty/{id}/decyzja"), &[("answer", "grant"), ("amount", "9 000,00")]).await;
        assert_eq!(s, 200);
        assert!(squash(&html).contains("nie wyższą niż 8 000,00 zł"), "{html}");
        assert!(html.contains("value=\"9 000,00\""));
        assert_eq!(office.post(&app, &format!("/panel/male-granty/{id}/decyzja"), &[("answer", "grant"), ("amount", "7 500,00")]).await.0, 303);
        assert_eq!(offer(&app, id).await.status, Status::Granted);
        let l = line::Entity::find().filter(line::Column::OfferId.eq(id)).one(db).await.expect("q").expect("line");
        assert_eq!((l.amount, l.call_id), (750_000, register.id));

        // What is left for the organisation now counts the grant.
        let (_, _, page) = office.get(&app, &format!("/panel/male-granty/{id}")).await;
        let page = text(&page);
        assert!(page.contains("12 500,00 zł"), "20 000 − 7 500 left for the organisation: {page}");
        assert!(page.contains(&format!("/panel/umowy/nowa?oferta={id}")));
        let (s, _, form) = office.get(&app, &format!("/panel/umowy/nowa?oferta={id}")).await;
        assert_eq!(s, 200);
        assert!(text(&form).contains("7 500,00"));

        app.tp.worker().run_until_idle().await.expect("worker");
        let granted_mail = squash(&mail_with_subject(&app, "beata.zawadzka@example.pl", "Dotacja przyznana")).replace('\u{202f}', " ");
        assert!(granted_mail.contains("7 500,00"), "{granted_mail}");

        // The contract as for any grant; signed, it opens the simplified report (no invoice
        // register, no split per year).
        let system = wspolnie_platform::audit::Actor::system("test");
        let granted = offer(&app, id).await;
        let mut input = contract_store::prefill(db, &granted, &register).await.expect("prefill");
        input.bank_account = "61 1090 1014 0000 0712 1981 2874".into();
        let terms = wspolnie_areas::grants::contract::check(&input, 750_000).expect("valid terms");
        let txn = wspolnie_platform::db::begin_write(db).await.expect("txn");
        let c = contract_store::create(&txn, &granted, &terms, &system).await.expect("create").expect("created");
        txn.commit().await.expect("commit");
        assert_eq!(office.post(&app, &format!("/panel/umowy/{}/status", c.id), &[("to", "sent")]).await.0, 303);
        let (s, _, _) = office
            .post_multipart(&app, &format!("/panel/umowy/{}/podpis", c.id), &[("how", "electronic"), ("note", "Podpisy kwalifikowane.")], None)
            .await;
        assert_eq!(s, 303);
        let fin = report_store::reports_of(db, c.id).await.expect("q").into_iter().next().expect("final report");
        let (s, _, page) = member.get(&app, &format!("/panel/sprawozdania/{}", fin.id)).await;
        assert_eq!(s, 200);
        let page = text(&page);
        assert!(page.contains("Sprawozdanie uproszczone"));
        assert!(!page.contains("invoice-1-number"), "no invoice register");
        assert!(page.contains("cost-1-total"), "costs per line as in any report");

        // Open data: a small grant, with its sphere and public page.
        let (_, json) = app.get_text("/api/v1/grants").await;
        let v: serde_json::Value = serde_json::from_str(&json).expect("json");
        let item = v["items"]
            .as_array()
            .expect("items")
            .iter()
            .find(|i| i["route"] == "small_grant" && i["amount"] == 750_000)
            .expect("the small grant");
        assert_eq!(item["sphere_code"], "16");
        assert!(item["call_url"].as_str().expect("url").ends_with(&format!("/male-granty/{id}")));
    })
    .await;
}

#[tokio::test]
async fn the_demo_has_a_small_grant_in_its_comment_window() {
    each_backend("grants small demo", |b| async move {
        let app = TestApp::new(b).await;
        let db = &app.tp.platform.db.conn;
        let today = wspolnie_areas::grants::model::warsaw_day(Utc::now());
        let open: Vec<small_row::Model> = small_row::Entity::find()
            .all(db)
            .await
            .expect("q")
            .into_iter()
            .filter(|r| {
                r.published_on.is_some_and(|p| p <= today)
                    && r.comments_to.is_some_and(|t| t >= today)
            })
            .collect();
        assert_eq!(open.len(), 1);
        let (s, html) = app
            .get_text(&format!("/male-granty/{}", open[0].offer_id))
            .await;
        assert_eq!(s, 200);
        assert!(
            html.contains("/uwagi\""),
            "the comment link while the window is open"
        );
        let (_, list) = app.get_text("/male-granty").await;
        assert!(list.contains(&format!("/male-granty/{}\"", open[0].offer_id)));
    })
    .await;
}
