//! Calls for offers in the officials' panel (issue 17, item 1): a call with every item of art. 13
//! and its rules is created through the form (bad input comes back with every message next to
//! its field and nothing written), announced only with a deadline at least 21 days after the
//! announcement counted the KPA way (a shorter one is refused naming the earliest date), moved
//! by the clock, annulled only with a reason, cloned; every change audited.

use crate::accounts::{location, make_user, post_form, staff_sign_in};
use crate::common::*;
use chrono::{Datelike, Duration, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use wspolnie_areas::grants::entity::grant_call::{self, Status};
use wspolnie_core::time::{TZ, deadline_after};

fn warsaw_today() -> chrono::NaiveDate {
    Utc::now().with_timezone(&TZ).date_naive()
}

fn form(deadline: chrono::NaiveDate) -> Vec<(&'static str, String)> {
    let exec_from = deadline + Duration::days(60);
    vec![
        ("number", "WSS.524.7.2027".into()),
        ("title", "Aktywizacja seniorów w dzielnicach".into()),
        ("sphere_code", "1".into()),
        (
            "task_type",
            "Pomoc społeczna: zajęcia aktywizujące dla osób starszych".into(),
        ),
        (
            "description",
            "Zajęcia ruchowe i **warsztaty** w klubach seniora.".into(),
        ),
        ("funds", "150 000,00".into()),
        ("grant_rules", "Dotacja do 90% kosztów zadania.".into()),
        ("max_grant", "25 000".into()),
        ("min_own", "10".into()),
        ("own_kinds", "financial".into()),
        ("own_kinds", "personal".into()),
        ("admin_cap", "12,5".into()),
        ("joint_allowed", "1".into()),
        ("indicators_required", "1".into()),
        ("max_years", "1".into()),
        ("required_attachments", "Statut organizacji".into()),
        ("execution_from", exec_from.to_string()),
        ("execution_to", (exec_from + Duration::days(90)).to_string()),
        ("execution_conditions", "Na terenie gminy.".into()),
        ("offers_from", String::new()),
        ("deadline_date", deadline.to_string()),
        ("deadline_time", "15:30".into()),
        (
            "selection_procedure",
            "Komisja konkursowa ocenia oferty.".into(),
        ),
        (
            "selection_date",
            (deadline + Duration::days(20)).to_string(),
        ),
        ("criterion_name", "Możliwość realizacji zadania".into()),
        ("criterion_points", "10".into()),
        ("criterion_weight", "2".into()),
        ("criterion_name", "Kalkulacja kosztów".into()),
        ("criterion_points", "5".into()),
        ("criterion_weight", "".into()),
        ("criterion_name", "".into()),
        ("criterion_points", "".into()),
        ("criterion_weight", "".into()),
        ("prior_year", "".into()),
        ("prior_task", "".into()),
        ("prior_amount", "".into()),
        (
            "formal_checklist",
            "Oferta złożona w terminie\nZałączony statut".into(),
        ),
        ("correction_days", "7".into()),
        ("contact_name", "Wydział Spraw Społecznych".into()),
        ("contact_email", "WSS@Wierzbin.example".into()),
    ]
}

fn refs<'a>(f: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    f.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

async fn audit_count(app: &TestApp, action: &str, id: i64) -> i64 {
    app.tp
        .scalar_i64(&format!(
            "SELECT COUNT(*) FROM audit_log WHERE action = '{action}' AND entity_id = '{id}'"
        ))
        .await
}

#[tokio::test]
async fn an_official_creates_announces_annuls_and_clones_a_call() {
    each_backend("grant calls", |b| async move {
        let app = TestApp::new(b).await;
        let db = &app.tp.platform.db.conn;
        let id = make_user(&app, "dotacje@example.pl", "hasło wydziału dotacji", Some(&[("official", "grants")])).await;
        staff_sign_in(&app, "dotacje@example.pl", "hasło wydziału dotacji", id).await;
        let before = app.tp.scalar_i64("SELECT COUNT(*) FROM grant_calls").await;

        // Bad input: every message next to its field, the input kept, nothing written.
        let mut bad = form(warsaw_today() + Duration::days(40));
        for (k, v) in bad.iter_mut() {
            match *k {
                "title" | "contact_email" => *v = String::new(),
                "funds" => *v = "dużo".into(),
                "max_grant" => *v = "200 000".into(),
                "min_own" => *v = "150".into(),
                "criterion_points" => *v = "1000".into(),
                "deadline_time" => *v = "25:61".into(),
                _ => {}
            }
        }
        bad.push(("number", "\u{0}".into()));
        let r = post_form(&app, "/panel/konkursy/nowy", "/panel/konkursy/nowy", &refs(&bad)).await;
        assert_eq!(r.status(), 200);
        let html = r.text().await.expect("html");
        assert!(html.contains("<title>Błąd: "), "title prefix");
        for msg in [
            "Podaj tytuł konkursu",
            "Podaj wysokość środków w złotych",
            "Podaj minimalny wkład własny w procentach",
            "Podaj najwyższą liczbę punktów za kryterium",
            "Podaj godzinę terminu składania ofert",
            "Podaj poprawny e-mail do kontaktu",
        ] {
            assert!(html.contains(msg), "{msg}");
        }
        assert!(html.contains(r##"href="#criterion-1-max_points""##), "row error linked to its field");
        assert!(html.contains("Aktywizacja") || html.contains("Możliwość realizacji zadania"), "input kept");
        assert_eq!(app.tp.scalar_i64("SELECT COUNT(*) FROM grant_calls").await, before);

        // A deadline 10 days ahead saves as a draft, but announcing it today is refused with the
        // earliest date the law allows.
        let near = warsaw_today() + Duration::days(10);
        let r = post_form(&app, "/panel/konkursy/nowy", "/panel/konkursy/nowy", &refs(&form(near))).await;
        assert_eq!(r.status(), 303, "saved");
        let call_page = location(&r);
        let c = grant_call::Entity::find()
            .filter(grant_call::Column::Title.eq("Aktywizacja seniorów w dzielnicach"))
            .one(db)
            .await
            .expect("q")
            .expect("call");
        assert_eq!(call_page, format!("/panel/konkursy/{}", c.id));
        assert_eq!(c.status, Status::Draft);
        assert_eq!(c.funds_available, 15_000_000);
        assert_eq!(c.max_grant, Some(2_500_000));
        assert_eq!((c.min_own_bp, c.admin_cap_bp), (1000, Some(1250)));
        assert_eq!(c.own_kinds, "financial,personal");
        assert_eq!(c.contact_email, "wss@wierzbin.example");
        assert!(c.criteria.contains("Kalkulacja kosztów") && c.criteria.contains("\"weight\":1"));
        assert_eq!(audit_count(&app, "grant_call.create", c.id).await, 1);
        let (status, page) = app.get_text(&call_page).await;
        assert_eq!(status, 200);
        assert!(page.contains("Ogłoś konkurs"));
        let earliest = deadline_after(warsaw_today(), 21);
        let r = post_form(&app, &format!("{call_page}/status"), &call_page, &[("to", "open"), ("reason", "")]).await;
        assert_eq!(r.status(), 200, "refused in place");
        let html = r.text().await.expect("html");
        let shown = format!("{}", earliest.day());
        assert!(html.contains("musi przypaść najwcześniej") && html.contains(&shown), "earliest date named");
        let still = grant_call::Entity::find_by_id(c.id).one(db).await.expect("q").expect("c");
        assert_eq!(still.status, Status::Draft);
        assert!(still.announced_at.is_none());

        // Moved to the earliest allowed day: announced, in the calendar, audited.
        let mut ok = form(earliest);
        ok.iter_mut().for_each(|(k, v)| if *k == "title" { *v = "Aktywizacja seniorów w dzielnicach 2027".into() });
        let r = post_form(&app, &format!("{call_page}/edycja"), &format!("{call_page}/edycja"), &refs(&ok)).await;
        assert_eq!(r.status(), 303);
        assert_eq!(audit_count(&app, "grant_call.update", c.id).await, 1);
        let r = post_form(&app, &format!("{call_page}/status"), &call_page, &[("to", "open"), ("reason", "")]).await;
        assert_eq!(r.status(), 303);
        let open = grant_call::Entity::find_by_id(c.id).one(db).await.expect("q").expect("c");
        assert_eq!(open.status, Status::Open);
        assert!(open.announced_at.is_some());
        assert_eq!(audit_count(&app, "grant_call.open", c.id).await, 1);
        let event = open.event_id.expect("calendar entry");
        assert_eq!(
            app.tp.scalar_i64(&format!("SELECT COUNT(*) FROM events WHERE id = {event} AND category = 'konkurs' AND status = 'published'")).await,
            1
        );
        // Once announced, the deadline cannot move closer than 21 days after the announcement.
        let mut closer = ok.clone();
        closer.iter_mut().for_each(|(k, v)| if *k == "deadline_date" { *v = (warsaw_today() + Duration::days(5)).to_string() });
        let r = post_form(&app, &format!("{call_page}/edycja"), &format!("{call_page}/edycja"), &refs(&closer)).await;
        assert_eq!(r.status(), 200);
        assert!(r.text().await.expect("html").contains("Termin składania ofert może przypaść najwcześniej"));

        // The clock closes it after the deadline.
        app.tp.exec(&format!("UPDATE grant_calls SET offer_deadline = '{}' WHERE id = {}", (Utc::now() - Duration::minutes(1)).to_rfc3339(), c.id)).await;
        let moved = wspolnie_areas::grants::model::advance(db, Utc::now()).await.expect("advance");
        assert!(moved >= 1);
        let closed = grant_call::Entity::find_by_id(c.id).one(db).await.expect("q").expect("c");
        assert_eq!(closed.status, Status::Closed);

        // Annulment needs a reason.
        let r = post_form(&app, &format!("{call_page}/status"), &call_page, &[("to", "annulled"), ("reason", "")]).await;
        assert_eq!(r.status(), 200);
        assert!(r.text().await.expect("html").contains("Wybierz podstawę unieważnienia"));
        let r = post_form(&app, &format!("{call_page}/status"), &call_page, &[("to", "annulled"), ("ground", "other"), ("reason", "")]).await;
        assert_eq!(r.status(), 200);
        assert!(r.text().await.expect("html").contains("Podaj powód unieważnienia"));
        let r = post_form(&app, &format!("{call_page}/status"), &call_page, &[("to", "annulled"), ("ground", "no_offers"), ("reason", "Nie złożono żadnej oferty.")]).await;
        assert_eq!(r.status(), 303);
        let annulled = grant_call::Entity::find_by_id(c.id).one(db).await.expect("q").expect("c");
        assert_eq!(annulled.status, Status::Annulled);
        assert_eq!(
            app.tp.scalar_i64(&format!("SELECT COUNT(*) FROM events WHERE id = {event} AND status = 'cancelled'")).await,
            1,
            "the calendar entry is cancelled with the call"
        );
        // A decided or annulled call is not edited any more.
        let r = post_form(&app, &format!("{call_page}/edycja"), &call_page, &refs(&ok)).await;
        assert_eq!(r.status(), 403);

        // Cloning: a new draft with the same rules, dates moved by whole years into the future.
        let r = post_form(&app, &format!("{call_page}/kopia"), &call_page, &[]).await;
        assert_eq!(r.status(), 303);
        let copy = grant_call::Entity::find()
            .filter(grant_call::Column::ClonedFrom.eq(c.id))
            .one(db)
            .await
            .expect("q")
            .expect("copy");
        assert_eq!(copy.status, Status::Draft);
        assert!(copy.title.ends_with("(kopia)"));
        assert_eq!((copy.max_grant, copy.min_own_bp, copy.criteria.clone()), (annulled.max_grant, annulled.min_own_bp, annulled.criteria.clone()));
        assert!(copy.offer_deadline > Utc::now());
        assert_eq!(location(&r), format!("/panel/konkursy/{}/edycja", copy.id));
        assert_eq!(audit_count(&app, "grant_call.clone", copy.id).await, 1);
    })
    .await;
}

#[tokio::test]
async fn the_law_is_data_a_dated_setting_changes_the_minimum_period() {
    each_backend("grant law", |b| async move {
        let app = TestApp::new(b).await;
        let db = &app.tp.platform.db.conn;
        use wspolnie_areas::grants::law::{Law, Statute, value};
        let today = warsaw_today();
        assert_eq!(value(db, Law::MinOfferDays, today).await.expect("v"), 21);
        let tomorrow = today + Duration::days(1);
        wspolnie_platform::settings::set(
            db,
            Law::MinOfferDays.key(),
            &format!(r#"[{{"from":"{tomorrow}","value":30}}]"#),
        )
        .await
        .expect("set");
        assert_eq!(
            value(db, Law::MinOfferDays, today).await.expect("v"),
            21,
            "not yet in force"
        );
        assert_eq!(value(db, Law::MinOfferDays, tomorrow).await.expect("v"), 30);
    })
    .await;
}
