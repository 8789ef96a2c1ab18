//! City activities open to NGO partners: an official announces one (audited), it shows on the home
//! page and its own page; an organisation declares interest (bad input kept with errors, a second
//! declaration from one address refused, also when two arrive at once); the contact person and the
//! declarer get e-mails; the official sees the list and exports it as CSV for Excel.

use crate::accounts::location;
use crate::accounts::make_user;
use crate::accounts::post_form;
use crate::accounts::staff_sign_in;
use crate::common::*;
use crate::directory::last_subject_to;
use crate::directory::run_jobs;
use crate::directory::sign_out;
use chrono::{Duration, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use wspolnie_areas::partners::entity::partner_activity;

#[tokio::test]
async fn official_announces_activity_organisations_declare_interest_list_is_exported() {
    each_backend("partners", |b| async move {
        let app = TestApp::new(b).await;
        let db = &app.tp.platform.db.conn;
        let editor = make_user(&app, "kultura@example.pl", "hasło wydziału kultury", Some(&[("official", "content")])).await;
        staff_sign_in(&app, "kultura@example.pl", "hasło wydziału kultury", editor).await;
        let start = (Utc::now() + Duration::days(90)).with_timezone(&wspolnie_core::time::TZ).date_naive();
        let until = start - Duration::days(30);
        let mut form = vec![
            ("title", "Jarmark Świąteczny na Rynku".to_owned()),
            ("description", "Stoiska, kolędy i **żywa szopka**.".to_owned()),
            ("help_sought", "stoiska z rękodziełem\nwolontariusze przy szopce".to_owned()),
            ("start_date", start.to_string()),
            ("start_time", "14:00".to_owned()),
            ("end_date", "".to_owned()),
            ("place", "Rynek w Wierzbinie".to_owned()),
            ("contact_name", "Ewa Kamińska".to_owned()),
            ("contact_email", "Ewa.Kaminska@Wierzbin.example".to_owned()),
            ("contact_phone", "85 000 12 71".to_owned()),
            ("interest_until", start.to_string()),
            ("status", "published".to_owned()),
        ];
        // Bad input: errors, input kept, nothing written.
        let mut bad = form.clone();
        bad[0].1 = String::new();
        bad[10].1 = (start + Duration::days(3)).to_string();
        let refs: Vec<(&str, &str)> = bad.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let r = post_form(&app, "/panel/wspolpraca/nowe", "/panel/wspolpraca/nowe", &refs).await;
        assert_eq!(r.status(), 200);
        let html = r.text().await.expect("html");
        assert!(html.contains("Podaj nazwę działania") && html.contains("Termin zgłoszeń musi przypadać"));
        assert!(html.contains("Rynek w Wierzbinie"), "input kept");
        let before = app.tp.scalar_i64("SELECT COUNT(*) FROM partner_activities").await;
        form[10].1 = until.to_string();
        let refs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let r = post_form(&app, "/panel/wspolpraca/nowe", "/panel/wspolpraca/nowe", &refs).await;
        assert_eq!(location(&r), "/panel/wspolpraca");
        assert_eq!(app.tp.scalar_i64("SELECT COUNT(*) FROM partner_activities").await, before + 1);
        let a = partner_activity::Entity::find()
            .filter(partner_activity::Column::Title.eq("Jarmark Świąteczny na Rynku"))
            .one(db)
            .await
            .expect("q")
            .expect("activity");
        assert_eq!(a.contact_email, "ewa.kaminska@wierzbin.example");
        assert_eq!(app.tp.scalar_i64(&format!("SELECT COUNT(*) FROM audit_log WHERE action = 'partner_activity.create' AND entity_id = '{}'", a.id)).await, 1);
        sign_out(&app).await;

        // Public: listed, on the home page (it may be among others), its page with the help sought.
        let (_, list) = app.get_text("/wspolpraca").await;
        assert!(list.contains(&format!("/wspolpraca/{}", a.slug)));
        let page = format!("/wspolpraca/{}", a.slug);
        let (status, html) = app.get_text(&page).await;
        assert_eq!(status, 200);
        assert!(html.contains("<li>wolontariusze przy szopce</li>") && html.contains("<strong>żywa szopka</strong>"));
        let (_, home) = app.get_text("/").await;
        assert!(home.contains("Szukamy partnerów"), "home page section");

        // A declaration: bad input first.
        let r = post_form(&app, &page, &page, &[("organization_name", ""), ("contact_name", "Jan Kowal"), ("email", "zły"), ("offer", "")]).await;
        assert_eq!(r.status(), 200);
        let html = r.text().await.expect("html");
        assert!(html.contains("Podaj nazwę organizacji") && html.contains("Napisz, w czym możecie pomóc"));
        assert!(html.contains("value=\"Jan Kowal\""));
        assert_eq!(app.tp.scalar_i64("SELECT COUNT(*) FROM partner_interests").await, 0);
        let good = [
            ("organization_name", "Koło Gospodyń Wiejskich w Łąkach"),
            ("contact_name", "Jadwiga Łąkowa"),
            ("email", "KGW.Laki@example.pl"),
            ("phone", "600 700 800"),
            ("offer", "Stoisko z pierogami i =SUMA(A1) warsztaty lepienia"),
        ];
        let r = post_form(&app, &page, &page, &good).await;
        assert_eq!(location(&r), page);
        // The same address again is refused, also when two requests race.
        let again = post_form(&app, &page, &page, &good).await;
        assert!(again.text().await.expect("t").contains("już zgłoszono"));
        let other = [
            ("organization_name", "Chór „Echo”"),
            ("contact_name", "Piotr Śpiewak"),
            ("email", "echo@example.pl"),
            ("phone", ""),
            ("offer", "Kolędy na scenie"),
        ];
        let (r1, r2) = tokio::join!(post_form(&app, &page, &page, &other), post_form(&app, &page, &page, &other));
        let codes = [r1.status().as_u16(), r2.status().as_u16()];
        assert!(codes.contains(&303), "one of two concurrent declarations is accepted: {codes:?}");
        assert_eq!(app.tp.scalar_i64("SELECT COUNT(*) FROM partner_interests").await, 2, "no duplicate under a race");
        run_jobs(&app).await;
        assert!(last_subject_to(&app, "ewa.kaminska@wierzbin.example").contains("Jarmark"), "the contact person is told");
        assert!(last_subject_to(&app, "kgw.laki@example.pl").contains("Potwierdzenie"), "the declarer gets a confirmation");

        // The official's list and the CSV export (BOM, semicolons, formula guarded).
        staff_sign_in(&app, "kultura@example.pl", "hasło wydziału kultury", editor).await;
        // The panel's home counts the declarations for activities still ahead.
        let (_, home) = app.get_text("/panel").await;
        assert!(home.contains("2 zgłoszenia do nadchodzących działań"), "panel count of declarations");
        let (_, html) = app.get_text(&format!("/panel/wspolpraca/{}/zgloszenia", a.id)).await;
        assert!(html.contains("Koło Gospodyń Wiejskich w Łąkach") && html.contains("Chór „Echo”"));
        let r = app.get(&format!("/panel/wspolpraca/{}/zgloszenia.csv", a.id)).await;
        let bytes = r.bytes().await.expect("csv");
        assert_eq!(&bytes[..3], b"\xEF\xBB\xBF");
        let text = String::from_utf8(bytes[3..].to_vec()).expect("utf8");
        let lines: Vec<&str> = text.split("\r\n").filter(|l| !l.is_empty()).collect();
        assert_eq!(lines.len(), 3, "{text}");
        assert!(lines[1].starts_with("Koło Gospodyń Wiejskich w Łąkach;Jadwiga Łąkowa;kgw.laki@example.pl;"));
        assert!(!text.contains(";=SUMA"), "a formula is not passed to Excel as a formula");

        // Anonymous declarations are limited per address and hour (4 counted so far).
        sign_out(&app).await;
        for i in 0..6 {
            let email = format!("kolo{i}@example.pl");
            let f = [("organization_name", "Koło"), ("contact_name", "Ala"), ("email", email.as_str()), ("phone", ""), ("offer", "Pomoc")];
            assert_eq!(post_form(&app, &page, &page, &f).await.status(), 303, "declaration {i} within the limit");
        }
        let f = [("organization_name", "Koło"), ("contact_name", "Ala"), ("email", "jedenaste@example.pl"), ("phone", ""), ("offer", "Pomoc")];
        assert!(post_form(&app, &page, &page, &f).await.text().await.expect("t").contains("zbyt wiele zgłoszeń"));
        run_jobs(&app).await;
        staff_sign_in(&app, "kultura@example.pl", "hasło wydziału kultury", editor).await;

        // Closed: the page says so and refuses declarations.
        let mut closed = form.clone();
        closed[11].1 = "closed".into();
        let refs: Vec<(&str, &str)> = closed.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let edit = format!("/panel/wspolpraca/{}", a.id);
        assert_eq!(location(&post_form(&app, &edit, &edit, &refs).await), "/panel/wspolpraca");
        sign_out(&app).await;
        let third = [("organization_name", "Nowa"), ("contact_name", "Ala"), ("email", "ala@example.pl"), ("phone", ""), ("offer", "Pomoc")];
        let r = post_form(&app, &page, &page, &third).await;
        assert!(r.text().await.expect("t").contains("Zgłoszenia zostały zamknięte"));
        assert_eq!(app.tp.scalar_i64("SELECT COUNT(*) FROM partner_interests").await, 8);
        app.tp.assert_no_pending_jobs().await;
    })
    .await;
}

/// The activity's life cycle (`partner_activity::allowed`): once public it cannot go back to a
/// draft — the form says so next to the status and keeps the input, nothing changes — while
/// closing it and opening it again are allowed.
#[tokio::test]
async fn a_public_activity_cannot_go_back_to_a_draft() {
    each_backend("partner activity life cycle", |b| async move {
        let app = TestApp::new(b).await;
        let db = &app.tp.platform.db.conn;
        let editor = make_user(
            &app,
            "kultura2@example.pl",
            "hasło wydziału kultury",
            Some(&[("official", "content")]),
        )
        .await;
        staff_sign_in(
            &app,
            "kultura2@example.pl",
            "hasło wydziału kultury",
            editor,
        )
        .await;
        let start = (Utc::now() + Duration::days(60))
            .with_timezone(&wspolnie_core::time::TZ)
            .date_naive();
        let mut form = vec![
            ("title", "Bieg Wierzbiński z przeszkodami 2027".to_owned()),
            ("description", "Bieg ulicami miasta.".to_owned()),
            ("help_sought", "wolontariusze na trasie".to_owned()),
            ("start_date", start.to_string()),
            ("start_time", "10:00".to_owned()),
            ("end_date", "".to_owned()),
            ("place", "Stadion miejski".to_owned()),
            ("contact_name", "Piotr Zieliński".to_owned()),
            ("contact_email", "sport@wierzbin.example".to_owned()),
            ("contact_phone", "".to_owned()),
            ("interest_until", "".to_owned()),
            ("status", "published".to_owned()),
        ];
        let refs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let r = post_form(
            &app,
            "/panel/wspolpraca/nowe",
            "/panel/wspolpraca/nowe",
            &refs,
        )
        .await;
        assert_eq!(location(&r), "/panel/wspolpraca");
        let a = partner_activity::Entity::find()
            .filter(partner_activity::Column::Title.eq("Bieg Wierzbiński z przeszkodami 2027"))
            .one(db)
            .await
            .expect("q")
            .expect("activity");
        assert_eq!(a.status, partner_activity::Status::Published);
        let edit = format!("/panel/wspolpraca/{}", a.id);
        form[11].1 = "draft".into();
        form[6].1 = "Stadion przy ul. Sportowej".into();
        let refs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let r = post_form(&app, &edit, &edit, &refs).await;
        assert_eq!(r.status(), 200);
        let html = r.text().await.expect("html");
        assert!(
            html.contains("nie może wrócić do szkicu"),
            "the error next to the status"
        );
        assert!(html.contains("Stadion przy ul. Sportowej"), "input kept");
        let now = partner_activity::Entity::find_by_id(a.id)
            .one(db)
            .await
            .expect("q")
            .expect("row");
        assert_eq!(
            (now.status, now.place.as_str()),
            (partner_activity::Status::Published, "Stadion miejski"),
            "nothing changed"
        );
        for (to, expect) in [
            ("closed", partner_activity::Status::Closed),
            ("published", partner_activity::Status::Published),
        ] {
            form[11].1 = to.into();
            let refs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let r = post_form(&app, &edit, &edit, &refs).await;
            assert_eq!(location(&r), "/panel/wspolpraca", "{to}");
            let now = partner_activity::Entity::find_by_id(a.id)
                .one(db)
                .await
                .expect("q")
                .expect("row");
            assert_eq!(now.status, expect);
        }
    })
    .await;
}
