//! Newsletter sign-up (seed 000 pt 6): bad input kept with errors and nothing written; double
//! opt-in (a pending row with the consent version, a confirmation e-mail, GET of the link changes
//! nothing, the button confirms); a second sign-up looks the same and makes no second row; the
//! signed preferences link changes topics; a tampered signature is refused; RFC 8058 one-click
//! unsubscribe works without a CSRF token, while the unsubscribe page itself changes nothing.

use crate::accounts::follow;
use crate::accounts::link_in_mail;
use crate::accounts::location;
use crate::accounts::path_of;
use crate::accounts::post_form;
use crate::common::*;
use crate::directory::last_subject_to;
use crate::directory::run_jobs;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use wspolnie_areas::mailings::entity::newsletter_subscriber as sub;
use wspolnie_areas::mailings::newsletter::CONSENT_VERSION;

const ADDR: &str = "ala.nowak@example.pl";

async fn row(app: &TestApp) -> sub::Model {
    sub::Entity::find()
        .filter(sub::Column::Email.eq(ADDR))
        .one(&app.tp.platform.db.conn)
        .await
        .expect("query")
        .expect("subscriber row")
}

fn header_of(app: &TestApp, to: &str, name: &str) -> Option<String> {
    let msgs = app.tp.smtp.messages();
    let m = msgs.iter().rev().find(|m| m.to.iter().any(|t| t == to))?;
    let parsed = mailparse::parse_mail(m.data.as_bytes()).ok()?;
    parsed
        .headers
        .iter()
        .find(|h| h.get_key_ref().eq_ignore_ascii_case(name))
        .map(|h| h.get_value())
}

#[tokio::test]
async fn newsletter_double_opt_in_preferences_and_one_click_unsubscribe() {
    each_backend("newsletter", |b| async move {
        let app = TestApp::new(b).await;
        let (status, page) = app.get_text("/newsletter").await;
        assert_eq!(status, 200);
        assert!(page.contains("<legend>Tematy</legend>") && page.contains("/prywatnosc"));
        assert!(page.contains(CONSENT_VERSION), "consent version shown");
        let (_, home) = app.get_text("/").await;
        assert!(home.contains("action=\"/newsletter\""), "sign-up box on the home page");

        // Bad input: errors next to the fields, input kept, nothing written.
        let r = post_form(
            &app,
            "/newsletter",
            "/newsletter",
            &[("email", "nie-adres"), ("topic", "grants"), ("consent", "yes")],
        )
        .await;
        assert_eq!(r.status(), 200);
        let html = r.text().await.expect("html");
        assert!(html.contains("error-summary") && html.contains("id=\"email-error\""));
        assert!(html.contains("Podaj poprawny adres e-mail"));
        assert!(html.contains("value=\"nie-adres\""), "input kept");
        assert!(html.contains("value=\"grants\" checked"), "topics kept");
        let r = post_form(&app, "/newsletter", "/newsletter", &[("email", ADDR)]).await;
        let html = r.text().await.expect("html");
        assert!(html.contains("Wybierz co najmniej jeden temat"));
        assert!(html.contains("id=\"consent-error\"") && html.contains("zaznacz zgodę na otrzymywanie"));
        assert_eq!(app.tp.scalar_i64("SELECT COUNT(*) FROM newsletter_subscribers").await, 0);
        assert_eq!(app.tp.scalar_i64("SELECT COUNT(*) FROM user_tokens").await, 0);

        // Sign-up: a pending row with the consent, and a confirmation e-mail.
        let fields = [
            ("email", "Ala.Nowak@Example.pl"),
            ("topic", "grants"),
            ("topic", "events"),
            ("topic", "bogus"),
            ("consent", "yes"),
        ];
        let r = post_form(&app, "/newsletter", "/newsletter", &fields).await;
        assert_eq!(location(&r), "/newsletter?wyslano=1");
        let first_page = follow(&app, r).await;
        assert!(first_page.contains("Sprawdź skrzynkę e-mail"));
        let s = row(&app).await;
        assert_eq!((s.status.as_str(), s.topics.as_str()), ("pending", "grants,events"));
        assert_eq!(s.consent_version, CONSENT_VERSION);
        assert!(s.consent_text.starts_with("Wyrażam zgodę"));
        run_jobs(&app).await;
        assert_eq!(last_subject_to(&app, ADDR), "Potwierdź zapis do newslettera");
        let lu = header_of(&app, ADDR, "List-Unsubscribe").expect("List-Unsubscribe");
        assert!(lu.starts_with(&format!("<{}/newsletter/wypisz?id=", app.base)), "{lu}");
        assert_eq!(
            header_of(&app, ADDR, "List-Unsubscribe-Post").as_deref(),
            Some("List-Unsubscribe=One-Click")
        );
        let link = link_in_mail(&app, ADDR, "/newsletter/potwierdz?t=");

        // Opening the link changes nothing; the button confirms.
        let (status, page) = app.get_text(&path_of(&app, &link)).await;
        assert_eq!(status, 200);
        assert!(page.contains("Potwierdzam zapis"));
        assert_eq!(row(&app).await.status.as_str(), "pending");
        let token = link.split("t=").nth(1).expect("token").to_owned();
        let r = post_form(&app, "/newsletter/potwierdz", "/newsletter", &[("t", &token)]).await;
        assert_eq!(r.status(), 303);
        assert!(location(&r).starts_with("/newsletter/ustawienia?id="));
        let s = row(&app).await;
        assert_eq!(s.status.as_str(), "active");
        assert!(s.confirmed_at.is_some());
        assert_eq!(
            app.tp
                .scalar_i64("SELECT COUNT(*) FROM consents WHERE purpose = 'newsletter' AND withdrawn_at IS NULL")
                .await,
            1
        );
        // The link is used up.
        let r = post_form(&app, "/newsletter/potwierdz", "/newsletter", &[("t", &token)]).await;
        assert!(r.text().await.expect("html").contains("Ten link nie jest już ważny"));
        run_jobs(&app).await;
        assert_eq!(last_subject_to(&app, ADDR), "Witamy w newsletterze dla organizacji");

        // The same address again: the same page, no second row, topics untouched; the owner
        // gets the preferences link.
        let again = [("email", ADDR), ("topic", "news"), ("consent", "yes")];
        let r = post_form(&app, "/newsletter", "/newsletter", &again).await;
        let page = follow(&app, r).await;
        let main = |h: &str| extract_between(h, "<h1>", "</main>").unwrap_or_default();
        assert_eq!(main(&page), main(&first_page), "no hint that the address is known");
        assert_eq!(app.tp.scalar_i64("SELECT COUNT(*) FROM newsletter_subscribers").await, 1);
        assert_eq!(row(&app).await.topics, "grants,events");
        run_jobs(&app).await;
        assert_eq!(last_subject_to(&app, ADDR), "Jesteś już zapisany do newslettera");
        let prefs = path_of(&app, &link_in_mail(&app, ADDR, "/newsletter/ustawienia?"));

        // Preferences through the signed link, without signing in.
        let (status, page) = app.get_text(&prefs).await;
        assert_eq!(status, 200);
        assert!(page.contains(ADDR) && page.contains("value=\"events\" checked"));
        let r = post_form(&app, &prefs, &prefs, &[("topic", "news"), ("topic", "meetings")]).await;
        assert_eq!((r.status().as_u16(), location(&r)), (303, prefs.clone()));
        assert_eq!(row(&app).await.topics, "news,meetings");
        let r = post_form(&app, &prefs, &prefs, &[]).await;
        assert!(r.text().await.expect("html").contains("Wybierz co najmniej jeden temat"));
        assert_eq!(row(&app).await.topics, "news,meetings");

        // A tampered signature is refused.
        let mut tampered = prefs.clone();
        let last = tampered.pop().expect("char");
        tampered.push(if last == '0' { '1' } else { '0' });
        assert_eq!(app.get(&tampered).await.status(), 404);
        let forged_unsub = tampered.replace("/ustawienia?", "/wypisz?");
        let r = reqwest::Client::new()
            .post(app.url(&forged_unsub))
            .header("content-type", "application/x-www-form-urlencoded")
            .body("List-Unsubscribe=One-Click")
            .send()
            .await
            .expect("post");
        assert_eq!(r.status(), 404);
        assert_eq!(app.get("/newsletter/ustawienia").await.status(), 404);
        assert_eq!(row(&app).await.status.as_str(), "active");

        // The unsubscribe page for people changes nothing by itself.
        let unsub = prefs.replace("/ustawienia?", "/wypisz?");
        assert_eq!(unsub, path_of(&app, lu.trim_matches(['<', '>'])));
        let (status, page) = app.get_text(&unsub).await;
        assert_eq!(status, 200);
        assert!(page.contains("Wypisz mnie z newslettera"));
        assert_eq!(row(&app).await.status.as_str(), "active");

        // RFC 8058 one-click: a mail client's POST, no cookie, no CSRF token.
        let r = reqwest::Client::new()
            .post(app.url(&unsub))
            .header("content-type", "application/x-www-form-urlencoded")
            .body("List-Unsubscribe=One-Click")
            .send()
            .await
            .expect("post");
        assert_eq!(r.status(), 200);
        let s = row(&app).await;
        assert_eq!(s.status.as_str(), "unsubscribed");
        assert!(s.unsubscribed_at.is_some());
        assert_eq!(
            app.tp
                .scalar_i64("SELECT COUNT(*) FROM consents WHERE purpose = 'newsletter' AND withdrawn_at IS NULL")
                .await,
            0,
            "consent withdrawn"
        );
        let (_, page) = app.get_text(&prefs).await;
        assert!(page.contains("Wypisano z newslettera"));

        // Signing up again starts a new double opt-in on the same row.
        let r = post_form(&app, "/newsletter", "/newsletter", &again).await;
        assert!(follow(&app, r).await.contains("Sprawdź skrzynkę e-mail"));
        let s = row(&app).await;
        assert_eq!((s.status.as_str(), s.topics.as_str()), ("pending", "news"));
        run_jobs(&app).await;
        assert_eq!(last_subject_to(&app, ADDR), "Potwierdź zapis do newslettera");
        app.tp.assert_no_pending_jobs().await;
    })
    .await;
}
