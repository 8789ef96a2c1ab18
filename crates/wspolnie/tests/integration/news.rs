//! News and post-project reports: an organisation's report with photos goes through moderation
//! and appears in the news, on the organisation's page and in the Atom feed; an official with the
//! content scope publishes city news directly (audited); the feed parses in an established parser.

use crate::accounts::location;
use crate::accounts::make_user;
use crate::accounts::post_form;
use crate::accounts::staff_sign_in;
use crate::common::*;
use crate::directory::mail_text_to;
use crate::directory::post_multipart_file;
use crate::directory::run_jobs;
use crate::directory::sign_in;
use crate::directory::sign_out;
use crate::events::ngo_member;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use wspolnie_areas::moderation::entity::revision;
use wspolnie_areas::news::entity::article;

fn photo() -> Vec<u8> {
    let img = image::RgbImage::from_fn(800, 600, |x, y| {
        image::Rgb([(x / 4) as u8, (y / 4) as u8, 40])
    });
    let mut out = std::io::Cursor::new(Vec::new());
    image::DynamicImage::ImageRgb8(img)
        .write_to(&mut out, image::ImageFormat::Png)
        .expect("png");
    out.into_inner()
}

fn report_fields() -> Vec<(&'static str, String)> {
    vec![
        ("kind", "report".into()),
        ("title", "Relacja: sprzątanie brzegów Wierzbinki".into()),
        (
            "lead",
            "Czterdzieści osób zebrało dwieście worków śmieci.".into(),
        ),
        (
            "body",
            "Dziękujemy wszystkim **wolontariuszom**!\n\n- 40 osób\n- 200 worków".into(),
        ),
        ("cover_alt", "".into()),
        (
            "photo_1_alt",
            "Wolontariusze z workami na brzegu rzeki".into(),
        ),
    ]
}

#[tokio::test]
async fn ngo_report_with_photos_is_moderated_and_city_news_is_published_directly() {
    each_backend("news flow", |b| async move {
        let app = TestApp::new(b).await;
        let db = &app.tp.platform.db.conn;
        let (org, ngo) = ngo_member(&app, "owner").await;
        let mod_id = make_user(&app, "moderator@example.pl", "hasło moderatora 2026", Some(&[("official", "moderation")])).await;
        let editor_id = make_user(&app, "redakcja@example.pl", "hasło redaktorki 2026", Some(&[("official", "content")])).await;
        let before = app.tp.scalar_i64("SELECT COUNT(*) FROM articles").await;
        let new = format!("/panel/organizacje/{}/aktualnosci/nowa", org.id);
        sign_in(&app, "ngo@example.pl", "hasło wolontariuszki").await;

        // Bad input: a photo without its description, no lead; the photo is kept, nothing written.
        let png = photo();
        let bad: Vec<_> = report_fields()
            .into_iter()
            .map(|(k, v)| match k {
                "lead" | "photo_1_alt" => (k, String::new()),
                _ => (k, v),
            })
            .collect();
        let r = post_multipart_file(&app, &new, &bad, Some(("photo_1", &png, "brzeg.png"))).await;
        assert_eq!(r.status(), 200);
        let html = r.text().await.expect("html");
        assert!(html.contains("Napisz krótki wstęp"));
        assert!(html.contains("Opisz zdjęcie dla osób niewidomych"));
        assert!(html.contains("href=\"#photo_1_alt\""), "summary links to the photo's alt field");
        let kept = extract_between(&html, "name=\"photo_1_key\" value=\"", "\"").expect("photo key");
        assert!(kept.starts_with("posters/"), "uploaded photo kept: {kept}");
        assert_eq!(app.tp.scalar_i64("SELECT COUNT(*) FROM articles").await, before);

        // An attachment that only claims to be a PDF is refused; a real one is kept.
        let mut with_fake = report_fields();
        with_fake.push(("photo_1_key", kept.clone()));
        with_fake.push(("attachment_1_title", "Sprawozdanie (PDF)".into()));
        let r = post_multipart_file(&app, &new, &with_fake, Some(("attachment_1", b"<html>nie pdf</html>", "sprawozdanie.pdf"))).await;
        assert!(r.text().await.expect("t").contains("Załącznik musi być plikiem PDF"));
        let pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n";

        // Submitted with the photo and a real PDF: waits for moderation, not public.
        let r = post_multipart_file(&app, &new, &with_fake, Some(("attachment_1", pdf, "sprawozdanie.pdf"))).await;
        assert_eq!(location(&r), format!("/panel/organizacje/{}/aktualnosci", org.id));
        let a = article::Entity::find().filter(article::Column::CreatedBy.eq(ngo)).one(db).await.expect("q").expect("row");
        assert_eq!((a.status.as_str(), a.kind.as_str()), ("pending", "report"));
        assert_eq!(app.get(&format!("/aktualnosci/{}", a.slug)).await.status(), 404);
        run_jobs(&app).await;

        // The moderator approves it.
        sign_out(&app).await;
        staff_sign_in(&app, "moderator@example.pl", "hasło moderatora 2026", mod_id).await;
        let (_, html) = app.get_text("/panel/moderacja").await;
        assert!(html.contains("sprzątanie brzegów") && html.contains("Nowa aktualność lub relacja"));
        let rev = revision::Entity::find().filter(revision::Column::SubjectType.eq("article")).filter(revision::Column::SubjectId.eq(a.id)).one(db).await.expect("q").expect("rev");
        let item = format!("/panel/moderacja/{}", rev.id);
        let (_, html) = app.get_text(&item).await;
        assert!(html.contains("<ins>Wolontariusze z workami na brzegu rzeki</ins>"), "photo alt in the diff");
        let r = post_form(&app, &item, &item, &[("decision", "approve"), ("comment", "")]).await;
        assert_eq!(location(&r), "/panel/moderacja");
        run_jobs(&app).await;
        assert!(mail_text_to(&app, "ngo@example.pl").contains("został zatwierdzony i jest widoczny w aktualnościach"));

        // Public: the article with its photo, in the reports filter, on the organisation's page.
        sign_out(&app).await;
        let (status, html) = app.get_text(&format!("/aktualnosci/{}", a.slug)).await;
        assert_eq!(status, 200);
        assert!(html.contains(&format!("src=\"/pliki/{kept}\" alt=\"Wolontariusze z workami na brzegu rzeki\"")));
        assert!(html.contains("<strong>wolontariuszom</strong>"));
        let att = extract_between(&html, "<a href=\"/pliki/attachments/", "\"").expect("attachment link");
        assert!(html.contains("Sprawozdanie (PDF)</a> (PDF,"), "download with its type and size");
        let r = app.get(&format!("/pliki/attachments/{att}")).await;
        assert!(r.headers()["content-disposition"].to_str().unwrap_or("").starts_with("attachment"), "served as a download");
        assert_eq!(&r.bytes().await.expect("pdf")[..], &pdf[..]);
        assert!(html.contains(&format!("href=\"/organizacje/{}\"", org.slug)));
        let (_, reports) = app.get_text("/aktualnosci?rodzaj=relacje").await;
        assert!(reports.contains(&a.slug));
        let (_, city) = app.get_text("/aktualnosci?rodzaj=urzad").await;
        assert!(!city.contains(&a.slug), "an organisation's report is not an office announcement");
        let (_, html) = app.get_text(&format!("/organizacje/{}", org.slug)).await;
        assert!(html.contains(&a.slug), "on the organisation's page");

        // City news by an official with the content scope: published at once, audited.
        staff_sign_in(&app, "redakcja@example.pl", "hasło redaktorki 2026", editor_id).await;
        let city_news = vec![
            ("kind", "news".into()),
            ("title", "Nabór do Rady Działalności Pożytku Publicznego".into()),
            ("lead", "Organizacje mogą zgłaszać kandydatów do 15 stycznia.".into()),
            ("body", "Formularz zgłoszenia jest w zakładce Poradniki.".into()),
            ("cover_alt", "".into()),
        ];
        let r = post_multipart_file(&app, "/panel/aktualnosci/nowa", &city_news, None).await;
        assert_eq!(location(&r), "/panel/aktualnosci");
        let c = article::Entity::find().filter(article::Column::CreatedBy.eq(editor_id)).one(db).await.expect("q").expect("row");
        assert_eq!((c.status.as_str(), c.organization_id), ("published", None));
        assert_eq!(app.tp.scalar_i64(&format!("SELECT COUNT(*) FROM audit_log WHERE action = 'article.publish' AND entity_id = '{}'", c.id)).await, 1);
        let (_, city) = app.get_text("/aktualnosci?rodzaj=urzad").await;
        assert!(city.contains(&c.slug));
        sign_out(&app).await;
        staff_sign_in(&app, "moderator@example.pl", "hasło moderatora 2026", mod_id).await;
        assert_eq!(app.get("/panel/aktualnosci/nowa").await.status(), 403, "moderation scope is not content");

        // The Atom feed parses in an established parser and carries both texts.
        let r = app.get("/aktualnosci.atom").await;
        assert!(r.headers()["content-type"].to_str().unwrap_or("").starts_with("application/atom+xml"));
        let body = r.bytes().await.expect("feed");
        let feed = feed_rs::parser::parse(&body[..]).expect("valid feed");
        assert_eq!(feed.feed_type, feed_rs::model::FeedType::Atom);
        assert!(feed.title.as_ref().is_some_and(|t| t.content.contains("Wierzbin")));
        let titles: Vec<String> = feed.entries.iter().filter_map(|e| e.title.as_ref().map(|t| t.content.clone())).collect();
        assert!(titles.iter().any(|t| t == "Relacja: sprzątanie brzegów Wierzbinki"), "{titles:?}");
        assert!(titles.iter().any(|t| t == "Nabór do Rady Działalności Pożytku Publicznego"));
        let entry = feed.entries.iter().find(|e| e.title.as_ref().is_some_and(|t| t.content.starts_with("Relacja"))).expect("entry");
        assert!(entry.links.iter().any(|l| l.href.ends_with(&format!("/aktualnosci/{}", a.slug))));
        assert!(entry.authors.iter().any(|p| p.name == org.name), "the organisation is the author");
        let reports: feed_rs::model::Feed = feed_rs::parser::parse(&app.get("/aktualnosci.atom?rodzaj=relacje").await.bytes().await.expect("b")[..]).expect("valid");
        assert!(reports.entries.iter().all(|e| !e.title.as_ref().is_some_and(|t| t.content.starts_with("Nabór"))), "the filter applies to the feed");
        app.tp.assert_no_pending_jobs().await;
    })
    .await;
}
