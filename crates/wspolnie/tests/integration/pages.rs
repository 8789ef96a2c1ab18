//! Information pages edited by officials, the office contacts directory, media promotion
//! requests and the e-mail footer snippet: an official with the content scope edits a page
//! (sanitised Markdown, audited), attaches a guide (checked by content, served as a download),
//! manages contacts shown on /kontakt; anyone asks for media promotion (bad input is refused
//! with messages and nothing written; good input stores the request and e-mails the office and
//! the requester); the official tracks the request and the requester hears the decision.

use crate::accounts::location;
use crate::accounts::make_user;
use crate::accounts::post_form;
use crate::accounts::staff_sign_in;
use crate::common::*;
use crate::directory::last_subject_to;
use crate::directory::mail_text_to;
use crate::directory::post_multipart_file;
use crate::directory::run_jobs;
use crate::directory::sign_in;
use crate::directory::sign_out;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use wspolnie_areas::pages::entity::office_contact;
use wspolnie_areas::pages::entity::page;
use wspolnie_areas::pages::entity::page_file;
use wspolnie_areas::partners::entity::media_request;

async fn page_id(app: &TestApp, slug: &str) -> i64 {
    page::Entity::find()
        .filter(page::Column::Slug.eq(slug))
        .one(&app.tp.platform.db.conn)
        .await
        .expect("query")
        .expect("seeded page")
        .id
}

async fn audit_count(app: &TestApp, action: &str) -> i64 {
    app.tp
        .scalar_i64(&format!(
            "SELECT COUNT(*) FROM audit_log WHERE action = '{action}'"
        ))
        .await
}

pub(crate) async fn content_official(app: &TestApp) {
    let existing = wspolnie_platform::entity::user::Entity::find()
        .filter(wspolnie_platform::entity::user::Column::Email.eq("redakcja@wierzbin.example"))
        .one(&app.tp.platform.db.conn)
        .await
        .expect("q");
    let id = match existing {
        Some(u) => u.id,
        None => {
            make_user(
                app,
                "redakcja@wierzbin.example",
                "hasło redakcji 2026",
                Some(&[("official", "content")]),
            )
            .await
        }
    };
    staff_sign_in(app, "redakcja@wierzbin.example", "hasło redakcji 2026", id).await;
}

#[tokio::test]
async fn official_edits_a_page_and_attaches_guides() {
    each_backend("pages edit", |b| async move {
        let app = TestApp::new(b).await;
        // Seeded pages are public; the accessibility statement is also at /dostepnosc.
        let (s, html) = app.get_text("/strony/jak-korzystac").await;
        assert_eq!(s, 200);
        assert!(html.contains("/kalendarz.ics"), "how-to page explains the feeds");
        let (s, html) = app.get_text("/dostepnosc").await;
        assert_eq!(s, 200);
        assert!(html.contains("4 kwietnia 2019"));
        assert!(html.contains("ngo@wierzbin.example"), "placeholders filled from settings");
        assert!(!html.contains("{email}"));
        assert_eq!(app.get("/strony/nie-ma-takiej").await.status(), 404);

        // Someone without the content scope may not edit.
        make_user(&app, "czlonek@example.pl", "hasło członka 2026", None).await;
        sign_in(&app, "czlonek@example.pl", "hasło członka 2026").await;
        assert_eq!(app.get("/panel/strony").await.status(), 403);
        sign_out(&app).await;

        content_official(&app).await;
        let (s, html) = app.get_text("/panel/strony").await;
        assert_eq!(s, 200);
        assert!(html.contains("Poradniki i wzory dokumentów"));
        let id = page_id(&app, "poradniki").await;
        let form_path = format!("/panel/strony/{id}");

        // A missing title comes back with the message and the text kept.
        let r = post_form(&app, &form_path, &form_path, &[("title_pl", ""), ("body_pl", "Treść **zachowana**"), ("action", "save")]).await;
        assert_eq!(r.status(), 200);
        let html = r.text().await.expect("html");
        assert!(html.contains("Wpisz tytuł strony."));
        assert!(html.contains("Treść **zachowana**"));
        assert_eq!(audit_count(&app, "page.update").await, 0);

        // Preview renders without saving.
        let r = post_form(&app, &form_path, &form_path, &[("title_pl", "Poradniki"), ("body_pl", "## Podgląd treści"), ("action", "preview")]).await;
        assert!(r.text().await.expect("html").contains("<h2>Podgląd treści</h2>"));
        assert_eq!(audit_count(&app, "page.update").await, 0);

        let r = post_form(
            &app,
            &form_path,
            &form_path,
            &[
                ("title_pl", "Poradniki dla organizacji"),
                ("body_pl", "**Nowe** wskazówki.\n\n<script>alert(1)</script>\n\n[zły](javascript:alert(1))"),
                ("title_en", ""),
                ("body_en", ""),
                ("action", "save"),
            ],
        )
        .await;
        assert_eq!(r.status(), 303);
        assert_eq!(location(&r), form_path);
        assert_eq!(audit_count(&app, "page.update").await, 1);
        let after = app
            .tp
            .scalar_i64("SELECT COUNT(*) FROM audit_log WHERE action = 'page.update' AND before LIKE '%Poradniki i wzory%' AND after LIKE '%Poradniki dla organizacji%'")
            .await;
        assert_eq!(after, 1, "audit keeps before and after");
        let (_, html) = app.get_text("/strony/poradniki").await;
        assert!(html.contains("<h1>Poradniki dla organizacji</h1>"));
        assert!(html.contains("<strong>Nowe</strong>"));
        assert!(!html.contains("<script>alert"), "script removed");
        assert!(!html.contains("javascript:"), "script link removed");

        // A file that lies about its type is refused; a real PDF is attached.
        let upload = format!("/panel/strony/{id}/zalaczniki");
        let r = post_multipart_file(&app, &upload, &[("file_title", "Wzór noty".into())], Some(("file", b"<html><script>alert(1)</script></html>", "nota.pdf"))).await;
        assert_eq!(r.status(), 200);
        let html = r.text().await.expect("html");
        assert!(html.contains("nie jest dokumentem PDF"), "type error shown");
        assert!(html.contains("value=\"Wzór noty\""), "link text kept");
        assert_eq!(audit_count(&app, "page.file_add").await, 0);
        let r = post_multipart_file(&app, &upload, &[("file_title", "".into())], None).await;
        let html = r.text().await.expect("html");
        assert!(html.contains("Wpisz tekst linku do pliku."));
        assert!(html.contains("Wybierz plik do wysłania."));

        let pdf = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n".to_vec();
        let r = post_multipart_file(&app, &upload, &[("file_title", "Wzór noty prasowej".into())], Some(("file", &pdf, "nota prasowa.pdf"))).await;
        assert_eq!(r.status(), 303, "{}", r.text().await.unwrap_or_default());
        assert_eq!(audit_count(&app, "page.file_add").await, 1);
        sign_out(&app).await;

        let (_, html) = app.get_text("/strony/poradniki").await;
        assert!(html.contains("Wzór noty prasowej"));
        assert!(html.contains("(PDF, 1 KB)"), "type and size shown");
        let href = extract_between(&html, "<a href=\"/pliki/", "\"").expect("download link");
        assert!(href.starts_with("guides/"));
        let r = app.get(&format!("/pliki/{href}")).await;
        assert_eq!(r.status(), 200);
        assert_eq!(r.headers()["content-type"], "application/pdf");
        assert_eq!(r.headers()["x-content-type-options"], "nosniff");
        let cd = r.headers()["content-disposition"].to_str().expect("cd").to_owned();
        assert!(cd.starts_with("attachment;"), "{cd}");
        assert!(cd.contains("nota%20prasowa.pdf"), "{cd}");
        assert_eq!(r.bytes().await.expect("body").to_vec(), pdf);

        // Removing the attachment.
        content_official(&app).await;
        let file = page_file::Entity::find()
            .filter(page_file::Column::PageId.eq(id))
            .one(&app.tp.platform.db.conn)
            .await
            .expect("q")
            .expect("attached");
        let remove = format!("/panel/strony/{id}/zalaczniki/{}/usun", file.id);
        assert!(app.get_text(&form_path).await.1.contains(&format!("action=\"{remove}\"")));
        let r = post_form(&app, &remove, &form_path, &[]).await;
        assert_eq!(r.status(), 303);
        assert_eq!(audit_count(&app, "page.file_remove").await, 1);
        let (_, html) = app.get_text("/strony/poradniki").await;
        assert!(!html.contains("Wzór noty prasowej"));
        assert_eq!(app.get(&format!("/pliki/{href}")).await.status(), 404);
        app.tp.assert_no_pending_jobs().await;
    })
    .await;
}

#[tokio::test]
async fn contacts_are_managed_and_shown_and_footer_snippet() {
    each_backend("office contacts", |b| async move {
        let app = TestApp::new(b).await;
        let (_, html) = app.get_text("/kontakt").await;
        assert!(
            html.contains("Pełnomocnik ds. współpracy z organizacjami pozarządowymi"),
            "demo contacts"
        );
        assert!(html.contains("<th scope=\"row\">"));
        content_official(&app).await;
        assert_eq!(app.get("/panel/kontakty").await.status(), 200);
        let r = post_form(
            &app,
            "/panel/kontakty/nowy",
            "/panel/kontakty/nowy",
            &[
                ("topic", ""),
                ("name", "Jan Nowak"),
                ("email", "zły adres"),
                ("handles_media", "1"),
            ],
        )
        .await;
        assert_eq!(r.status(), 200);
        let html = r.text().await.expect("html");
        assert!(html.contains("Wpisz sprawę, której dotyczy kontakt."));
        assert!(html.contains("Wpisz adres e-mail w formacie nazwa@domena.pl."));
        assert!(html.contains("value=\"Jan Nowak\""));
        let r = post_form(
            &app,
            "/panel/kontakty/nowy",
            "/panel/kontakty/nowy",
            &[
                ("topic", "Wolontariat"),
                ("name", "Jan Nowak"),
                ("role", "referent"),
                ("department", "Wydział Spraw Społecznych"),
                ("room", "7"),
                ("phone", "+48 85 000 12 99"),
                ("email", "Wolontariat@Wierzbin.example"),
                ("position", "5"),
            ],
        )
        .await;
        assert_eq!(location(&r), "/panel/kontakty");
        assert_eq!(audit_count(&app, "office_contact.create").await, 1);
        let c = office_contact::Entity::find()
            .filter(office_contact::Column::Name.eq("Jan Nowak"))
            .one(&app.tp.platform.db.conn)
            .await
            .expect("q")
            .expect("saved");
        assert_eq!(c.email, "wolontariat@wierzbin.example");
        let (_, html) = app.get_text("/kontakt").await;
        assert!(html.contains("Wolontariat") && html.contains("pokój 7"));
        let edit = format!("/panel/kontakty/{}", c.id);
        let r = post_form(
            &app,
            &edit,
            &edit,
            &[
                ("topic", "Wolontariat i staże"),
                ("name", "Jan Nowak"),
                ("email", "wolontariat@wierzbin.example"),
                ("position", "5"),
            ],
        )
        .await;
        assert_eq!(location(&r), "/panel/kontakty");
        assert_eq!(audit_count(&app, "office_contact.update").await, 1);
        assert!(
            app.get_text("/kontakt")
                .await
                .1
                .contains("Wolontariat i staże")
        );
        let r = post_form(&app, &format!("{edit}/usun"), "/panel/kontakty", &[]).await;
        assert_eq!(location(&r), "/panel/kontakty");
        assert_eq!(audit_count(&app, "office_contact.delete").await, 1);
        assert!(
            !app.get_text("/kontakt")
                .await
                .1
                .contains("Wolontariat i staże")
        );

        // The footer snippet shows the footer from the settings, as text and HTML.
        let (s, html) = app.get_text("/panel/stopka").await;
        assert_eq!(s, 200);
        assert!(
            html.contains("Pełnomocnik ds. współpracy z organizacjami pozarządowymi · Zakładka")
        );
        assert!(html.contains("<textarea class=\"textarea\" id=\"snippet-html\""));
        let snippet =
            extract_between(&html, "id=\"snippet-html\"", "</textarea>").expect("html snippet");
        assert!(
            snippet.contains(&format!("&#60;a href=&#34;{}/&#34;&#62;", app.base)),
            "escaped HTML linking to the zone: {snippet}"
        );
        assert!(
            html.contains(&format!("{}/", app.base)),
            "the snippet links to the zone"
        );
        sign_out(&app).await;
        let id = make_user(
            &app,
            "granty@wierzbin.example",
            "hasło urzędnika 2026",
            Some(&[("official", "grants")]),
        )
        .await;
        staff_sign_in(&app, "granty@wierzbin.example", "hasło urzędnika 2026", id).await;
        assert_eq!(app.get("/panel/stopka").await.status(), 200, "any official");
        assert_eq!(
            app.get("/panel/kontakty").await.status(),
            403,
            "contacts need the content scope"
        );
        app.tp.assert_no_pending_jobs().await;
    })
    .await;
}

fn request_fields() -> Vec<(&'static str, &'static str)> {
    vec![
        ("kind", "patronage"),
        ("organization", "Stowarzyszenie Przyjaciół Wierzbina"),
        ("contact_name", "Zofia Żak"),
        ("email", "zofia@przyjaciele.example.org"),
        ("phone", "+48 600 100 200"),
        ("title", "Festyn „Źródło” 2027"),
        ("date", "2099-06-01"),
        (
            "description",
            "Festyn rodzinny nad Wierzbinką, prosimy o patronat Radia Wierzbin.",
        ),
        ("links", "https://przyjaciele.example.org/festyn"),
    ]
}

#[tokio::test]
async fn media_request_is_sent_tracked_and_answered() {
    each_backend("media request", |b| async move {
        let app = TestApp::new(b).await;
        let (s, html) = app.get_text("/wspolpraca/promocja").await;
        assert_eq!(s, 200);
        assert!(
            html.contains("promocja@wierzbin.example"),
            "who handles media is shown"
        );

        let r = post_form(
            &app,
            "/wspolpraca/promocja",
            "/wspolpraca/promocja",
            &[
                ("kind", "cos"),
                ("organization", "Klub"),
                ("email", "nie-adres"),
                ("date", "2099-13-01"),
                ("links", "przyjaciele.example.org"),
            ],
        )
        .await;
        assert_eq!(r.status(), 200);
        let html = r.text().await.expect("html");
        for msg in [
            "Wybierz, czego potrzebujesz",
            "Wpisz imię i nazwisko osoby do kontaktu.",
            "Wpisz adres e-mail w formacie nazwa@domena.pl.",
            "Wpisz tytuł wydarzenia lub projektu.",
            "Podaj datę: dzień, miesiąc i rok, np. 15.05.2027.",
            "Opisz wydarzenie lub projekt.",
            "Każdy link wpisz w osobnym wierszu",
        ] {
            assert!(html.contains(msg), "message {msg}");
        }
        assert!(html.contains("class=\"error-summary\""));
        assert!(html.contains("value=\"Klub\""), "input kept");
        assert_eq!(
            app.tp
                .scalar_i64("SELECT COUNT(*) FROM media_requests")
                .await,
            0
        );
        assert_eq!(app.tp.scalar_i64("SELECT COUNT(*) FROM jobs").await, 0);

        let r = post_form(
            &app,
            "/wspolpraca/promocja",
            "/wspolpraca/promocja",
            &request_fields(),
        )
        .await;
        assert_eq!(location(&r), "/wspolpraca/promocja");
        let req = media_request::Entity::find()
            .one(&app.tp.platform.db.conn)
            .await
            .expect("q")
            .expect("row");
        assert_eq!(req.status.as_str(), "new");
        assert_eq!(req.kind, "patronage");
        assert_eq!(req.user_id, None);
        run_jobs(&app).await;
        assert_eq!(app.tp.smtp.messages().len(), 2, "office and requester");
        assert!(last_subject_to(&app, "promocja@wierzbin.example").contains("Patronat medialny"));
        let office = mail_text_to(&app, "promocja@wierzbin.example");
        assert!(office.contains("Stowarzyszenie Przyjaciół Wierzbina"));
        assert!(office.contains(&format!("/panel/promocja/{}", req.id)));
        assert!(last_subject_to(&app, "zofia@przyjaciele.example.org").contains("Otrzymaliśmy"));

        content_official(&app).await;
        let (_, html) = app.get_text("/panel/promocja?status=new").await;
        assert!(html.contains("Festyn „Źródło” 2027"));
        let (_, html) = app.get_text("/panel/promocja?status=accepted").await;
        assert!(!html.contains("Festyn „Źródło” 2027"), "filtered by status");
        let detail = format!("/panel/promocja/{}", req.id);
        let r = post_form(
            &app,
            &detail,
            &detail,
            &[("status", "w-kosmosie"), ("note", "x")],
        )
        .await;
        assert!(
            r.text()
                .await
                .expect("html")
                .contains("Wybierz status z listy.")
        );
        let r = post_form(
            &app,
            &detail,
            &detail,
            &[
                ("status", "in_progress"),
                ("note", "Rozmowa z Radiem Wierzbin"),
            ],
        )
        .await;
        assert_eq!(location(&r), detail);
        run_jobs(&app).await;
        assert_eq!(app.tp.smtp.messages().len(), 2, "no mail for in progress");
        let r = post_form(
            &app,
            &detail,
            &detail,
            &[("status", "accepted"), ("note", "Radio potwierdziło")],
        )
        .await;
        assert_eq!(location(&r), detail);
        run_jobs(&app).await;
        assert_eq!(app.tp.smtp.messages().len(), 3);
        assert!(
            last_subject_to(&app, "zofia@przyjaciele.example.org").contains("Odpowiedź na prośbę")
        );
        let text = mail_text_to(&app, "zofia@przyjaciele.example.org");
        assert!(text.contains("została przyjęta"));
        assert!(
            !text.contains("Radio potwierdziło"),
            "the internal note stays internal"
        );
        assert_eq!(audit_count(&app, "media_request.update").await, 2);
        let req = media_request::Entity::find_by_id(req.id)
            .one(&app.tp.platform.db.conn)
            .await
            .expect("q")
            .expect("row");
        assert_eq!(req.status.as_str(), "accepted");
        assert_eq!(req.note, "Radio potwierdziło");
        app.tp.assert_no_pending_jobs().await;
    })
    .await;
}

#[tokio::test]
async fn signed_in_requests_are_prefilled_and_anonymous_ones_throttled() {
    each_backend("media throttle", |b| async move {
        let app = TestApp::new(b).await;
        // Without a contact handling media, the request goes to the site e-mail.
        app.tp
            .exec("UPDATE office_contacts SET handles_media = false")
            .await;
        for i in 0..5 {
            let mut f = request_fields();
            let email = format!("anon{i}@example.org");
            f.retain(|(k, _)| *k != "email");
            f.push(("email", &email));
            let r = post_form(&app, "/wspolpraca/promocja", "/wspolpraca/promocja", &f).await;
            assert_eq!(location(&r), "/wspolpraca/promocja");
        }
        let r = post_form(
            &app,
            "/wspolpraca/promocja",
            "/wspolpraca/promocja",
            &request_fields(),
        )
        .await;
        assert_eq!(r.status(), 200);
        assert!(
            r.text()
                .await
                .expect("html")
                .contains("Wysłano zbyt wiele próśb")
        );
        assert_eq!(
            app.tp
                .scalar_i64("SELECT COUNT(*) FROM media_requests")
                .await,
            5
        );
        run_jobs(&app).await;
        assert!(
            last_subject_to(&app, "ngo@wierzbin.example").contains("Patronat medialny"),
            "fallback address"
        );

        make_user(
            &app,
            "zofia@przyjaciele.example.org",
            "hasło członka 2026",
            None,
        )
        .await;
        sign_in(&app, "zofia@przyjaciele.example.org", "hasło członka 2026").await;
        let (_, html) = app.get_text("/wspolpraca/promocja").await;
        assert!(
            html.contains("value=\"zofia@przyjaciele.example.org\""),
            "prefilled"
        );
        let r = post_form(
            &app,
            "/wspolpraca/promocja",
            "/wspolpraca/promocja",
            &request_fields(),
        )
        .await;
        assert_eq!(
            location(&r),
            "/wspolpraca/promocja",
            "signed-in people are not throttled"
        );
        run_jobs(&app).await;
        app.tp.assert_no_pending_jobs().await;
    })
    .await;
}
