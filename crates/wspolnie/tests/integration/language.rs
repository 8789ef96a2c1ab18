//! Language of content (WCAG 3.1.2, issue 16 item 4): in English, what people wrote in Polish
//! (organisations' descriptions, events, news, contacts) sits in an element with `lang="pl"`,
//! and in Polish no element repeats it; site texts and office contacts can be entered in
//! English and fall back to Polish (marked) when they are not; mail in English carries the
//! English footer. Pages are parsed with an HTML parser (scraper), not searched as strings.

use crate::accounts::location;
use crate::accounts::make_user;
use crate::accounts::post_form;
use crate::accounts::staff_sign_in;
use crate::common::*;
use crate::directory::run_jobs;
use crate::pages::content_official;
use scraper::{ElementRef, Html, Selector};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use wspolnie_areas::calendar::entity::event;
use wspolnie_areas::directory::entity::organization;
use wspolnie_areas::moderation::lifecycle::Publication;
use wspolnie_areas::news::entity::article;
use wspolnie_platform::i18n::Lang;
use wspolnie_platform::mail::MailJob;

/// A page as a visitor with the language cookie sees it (no session: the same as anyone's).
async fn page_in(app: &TestApp, lang: &str, path: &str) -> Html {
    let r = client()
        .get(app.url(path))
        .header("cookie", format!("wsp_lang={lang}"))
        .send()
        .await
        .expect("GET");
    assert_eq!(r.status(), 200, "{path}");
    let html = r.text().await.expect("body");
    assert!(
        html.contains(&format!("<html lang=\"{lang}\"")),
        "{path} in {lang}"
    );
    Html::parse_document(&html)
}

/// The language an element's text is in: its own `lang` or its nearest ancestor's.
fn lang_of(el: ElementRef) -> String {
    std::iter::once(*el)
        .chain(el.ancestors())
        .filter_map(ElementRef::wrap)
        .find_map(|e| e.value().attr("lang").map(str::to_owned))
        .unwrap_or_default()
}

/// The language of every text of the page's body that contains `needle` (the nearest `lang`
/// above it); the document title and the head are left out.
fn langs_of_text(doc: &Html, needle: &str) -> Vec<String> {
    doc.tree
        .nodes()
        .filter(|n| n.value().as_text().is_some_and(|t| t.contains(needle)))
        .filter_map(|n| {
            let parents: Vec<ElementRef> = n.ancestors().filter_map(ElementRef::wrap).collect();
            if parents
                .iter()
                .any(|e| matches!(e.value().name(), "head" | "title" | "script" | "textarea"))
            {
                return None;
            }
            parents.first().map(|e| lang_of(*e))
        })
        .collect()
}

/// Asserts `needle` is on the page and every place it shows is in `lang`.
fn assert_text_in(doc: &Html, needle: &str, lang: &str, what: &str) {
    let langs = langs_of_text(doc, needle);
    assert!(!langs.is_empty(), "{what}: {needle:?} is on the page");
    assert!(
        langs.iter().all(|l| l == lang),
        "{what}: {needle:?} is marked {langs:?}, expected {lang}"
    );
}

/// Elements saying `lang="pl"`, other than the document and the "Polski" button of the language
/// switch.
fn redundant_pl(doc: &Html) -> Vec<String> {
    let sel = Selector::parse("[lang]").expect("selector");
    doc.select(&sel)
        .filter(|e| e.value().attr("lang") == Some("pl"))
        .filter(|e| {
            let name = e.value().name();
            !(name == "html" || (name == "button" && e.value().attr("name") == Some("lang")))
        })
        .map(|e| e.html().chars().take(120).collect())
        .collect()
}

fn first_text(doc: &Html, selector: &str) -> String {
    let sel = Selector::parse(selector).expect("selector");
    doc.select(&sel)
        .next()
        .map(|e| e.text().collect::<String>().trim().to_owned())
        .unwrap_or_else(|| panic!("{selector} on the page"))
}

#[tokio::test]
async fn polish_content_is_marked_in_english_and_only_there() {
    each_backend("content language", |b| async move {
        let app = TestApp::new(b).await;
        let db = &app.tp.platform.db.conn;
        let org = organization::Entity::find()
            .filter(organization::Column::Status.eq(organization::Status::Published))
            .order_by_asc(organization::Column::Id)
            .one(db)
            .await
            .expect("q")
            .expect("a published organisation");
        let ev = event::Entity::find()
            .filter(event::Column::Status.eq(Publication::Published))
            .filter(event::Column::OrganizationId.is_not_null())
            .order_by_asc(event::Column::Id)
            .one(db)
            .await
            .expect("q")
            .expect("a published event");
        let art = article::Entity::find()
            .filter(article::Column::Status.eq(Publication::Published))
            .order_by_asc(article::Column::Id)
            .one(db)
            .await
            .expect("q")
            .expect("a published article");

        let org_path = format!("/organizacje/{}", org.slug);
        let event_path = format!("/kalendarz/{}", ev.slug);
        let article_path = format!("/aktualnosci/{}", art.slug);

        // English: the Polish texts are marked, our interface is not.
        let doc = page_in(&app, "en", &org_path).await;
        assert_text_in(
            &doc,
            org.short_description.trim(),
            "pl",
            "organisation description",
        );
        assert_eq!(
            lang_of(
                doc.select(&Selector::parse("h2").expect("s"))
                    .next()
                    .expect("h2")
            ),
            "en"
        );
        let doc = page_in(&app, "en", &event_path).await;
        assert_text_in(&doc, ev.title.trim(), "pl", "event title");
        if let Some(place) = ev.place.as_deref().filter(|p| !p.trim().is_empty()) {
            assert_text_in(&doc, place.trim(), "pl", "event place");
        }
        let prose = Selector::parse("div.prose").expect("s");
        let body = doc.select(&prose).next().expect("event description");
        assert_eq!(lang_of(body), "pl", "event description");
        let doc = page_in(&app, "en", &article_path).await;
        assert_text_in(&doc, art.title.trim(), "pl", "article title");
        assert_text_in(&doc, art.lead.trim(), "pl", "article lead");
        let body = doc.select(&prose).next().expect("article body");
        assert_eq!(lang_of(body), "pl", "article body");

        // The home page: events and news in Polish, the office's name in English (demo).
        let doc = page_in(&app, "en", "/").await;
        let news_title = first_text(&doc, "section[aria-labelledby=h-news] .card-title a");
        assert_text_in(&doc, &news_title, "pl", "news on the home page");
        let event_title = first_text(&doc, "section[aria-labelledby=h-events] .card-title a");
        assert_text_in(&doc, &event_title, "pl", "event on the home page");
        assert_text_in(&doc, "Wierzbin Town Hall", "en", "office name in English");
        assert_text_in(&doc, "Mon–Fri 8:00–16:00", "en", "office hours in English");
        assert_eq!(
            lang_of(
                doc.select(&Selector::parse("h1").expect("s"))
                    .next()
                    .expect("h1")
            ),
            "en"
        );

        // Contacts: the demo gives some an English topic; the others stay Polish, marked.
        let doc = page_in(&app, "en", "/kontakt").await;
        assert_text_in(
            &doc,
            "Grants and open calls for proposals, grant reports",
            "en",
            "translated topic",
        );
        assert_text_in(
            &doc,
            "Rezerwacja sal w Centrum Organizacji Pozarządowych",
            "pl",
            "untranslated topic",
        );
        assert_text_in(&doc, "Wydział Spraw Społecznych", "pl", "department");
        assert_text_in(&doc, "press officer", "en", "translated job title");
        assert_text_in(
            &doc,
            "koordynatorka Centrum Organizacji Pozarządowych",
            "pl",
            "job title",
        );

        // The directory's search results and the news list.
        let doc = page_in(&app, "en", "/organizacje").await;
        let first = first_text(&doc, "article.card > p:not(.card-meta)");
        assert_text_in(&doc, &first, "pl", "description in search results");
        let doc = page_in(&app, "en", "/aktualnosci").await;
        assert_text_in(&doc, art.title.trim(), "pl", "news list");

        // Polish: the same pages say nothing more than the document does.
        for path in [
            "/",
            org_path.as_str(),
            event_path.as_str(),
            article_path.as_str(),
            "/kontakt",
            "/organizacje",
            "/aktualnosci",
            "/kalendarz",
            "/wspolpraca",
            "/spotkania",
        ] {
            let doc = page_in(&app, "pl", path).await;
            let extra = redundant_pl(&doc);
            assert!(
                extra.is_empty(),
                "{path}: redundant lang=\"pl\" on {extra:?}"
            );
        }
        let doc = page_in(&app, "pl", "/kontakt").await;
        assert_text_in(
            &doc,
            "Dotacje i otwarte konkursy ofert, sprawozdania z dotacji",
            "pl",
            "Polish topic in Polish",
        );
        assert!(
            langs_of_text(&doc, "Grants and open calls").is_empty(),
            "the English topic is not shown in Polish"
        );
    })
    .await;
}

/// The settings form's fields with their current values.
fn settings_fields(html: &str) -> Vec<(String, String)> {
    let doc = Html::parse_document(html);
    let sel = Selector::parse("form[action='/panel/admin/ustawienia'] input.input").expect("s");
    doc.select(&sel)
        .filter_map(|e| {
            Some((
                e.value().attr("name")?.to_owned(),
                e.value().attr("value").unwrap_or("").to_owned(),
            ))
        })
        .collect()
}

async fn save_settings(app: &TestApp, change: &[(&str, &str)]) {
    let (_, html) = app.get_text("/panel/admin/ustawienia").await;
    let mut fields = settings_fields(&html);
    for (k, v) in change {
        match fields.iter_mut().find(|(f, _)| f == k) {
            Some(f) => f.1 = (*v).to_owned(),
            None => panic!("no field {k}"),
        }
    }
    let pairs: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let r = post_form(
        app,
        "/panel/admin/ustawienia",
        "/panel/admin/ustawienia",
        &pairs,
    )
    .await;
    assert_eq!(r.status(), 303, "saved");
}

#[tokio::test]
async fn site_texts_entered_in_english_show_in_english_and_fall_back_to_polish() {
    each_backend("site texts per language", |b| async move {
        let app = TestApp::with_demo(b, false).await;
        let admin = make_user(&app, "admin@example.pl", "hasło administratora", Some(&[("admin", "")])).await;
        staff_sign_in(&app, "admin@example.pl", "hasło administratora", admin).await;

        // The form: a group per language, the English texts empty at first.
        let (_, html) = app.get_text("/panel/admin/ustawienia").await;
        let doc = Html::parse_document(&html);
        let legends: Vec<String> = doc
            .select(&Selector::parse("fieldset > legend").expect("s"))
            .map(|l| l.text().collect())
            .collect();
        assert_eq!(legends, ["Dane serwisu i teksty po polsku", "Teksty po angielsku"]);
        let fields = settings_fields(&html);
        for f in ["office_name_en", "zone_name_en", "office_hours_en", "email_footer_en"] {
            assert_eq!(
                fields.iter().find(|(k, _)| k == f).map(|(_, v)| v.as_str()),
                Some(""),
                "{f}"
            );
        }
        assert_eq!(
            first_text(&doc, "label[for=office_name_en]"),
            "Nazwa urzędu po angielsku"
        );

        // Nothing in English yet: English pages show the Polish texts, marked.
        let doc = page_in(&app, "en", "/kontakt").await;
        assert_text_in(&doc, "Urząd Miejski w Wierzbinie", "pl", "office name, fallback");
        assert_text_in(&doc, "pon.–pt. 8:00–16:00", "pl", "office hours, fallback");

        save_settings(
            &app,
            &[
                ("office_name_en", "Wierzbin Town Council"),
                ("zone_name_en", "NGO corner"),
                ("office_hours_en", "Monday to Friday, 8 am to 4 pm"),
            ],
        )
        .await;
        assert_eq!(
            app.tp
                .scalar_i64("SELECT COUNT(*) FROM audit_log WHERE action = 'settings.update' AND after LIKE '%site.office_name.en%'")
                .await,
            1
        );
        let doc = page_in(&app, "en", "/kontakt").await;
        assert_text_in(&doc, "Wierzbin Town Council", "en", "office name");
        assert_text_in(&doc, "NGO corner", "en", "zone name");
        assert_text_in(&doc, "Monday to Friday, 8 am to 4 pm", "en", "office hours");
        assert!(langs_of_text(&doc, "Urząd Miejski w Wierzbinie").is_empty());
        let doc = page_in(&app, "pl", "/kontakt").await;
        assert_text_in(&doc, "Urząd Miejski w Wierzbinie", "pl", "Polish office name");
        assert!(langs_of_text(&doc, "Wierzbin Town Council").is_empty());
        assert!(redundant_pl(&doc).is_empty());

        // Emptied again: back to Polish, marked.
        save_settings(&app, &[("office_name_en", "")]).await;
        let doc = page_in(&app, "en", "/kontakt").await;
        assert_text_in(&doc, "Urząd Miejski w Wierzbinie", "pl", "office name, fallback again");
        assert!(langs_of_text(&doc, "Wierzbin Town Council").is_empty());
        assert_text_in(&doc, "NGO corner", "en", "zone name kept");
    })
    .await;
}

#[tokio::test]
async fn office_contacts_take_an_english_topic_and_job_title() {
    each_backend("contacts per language", |b| async move {
        let app = TestApp::with_demo(b, false).await;
        content_official(&app).await;
        let r = post_form(
            &app,
            "/panel/kontakty/nowy",
            "/panel/kontakty/nowy",
            &[
                ("topic", "Wolontariat i staże"),
                ("topic_en", "Volunteering and internships"),
                ("name", "Jan Kowalski"),
                ("role", "inspektor"),
                ("role_en", "inspector"),
                ("department", "Wydział Spraw Społecznych"),
                ("email", "wolontariat@wierzbin.example"),
            ],
        )
        .await;
        assert_eq!(r.status(), 303);
        let r = post_form(
            &app,
            "/panel/kontakty/nowy",
            "/panel/kontakty/nowy",
            &[
                ("topic", "Lokale użytkowe"),
                ("name", "Ewa Nowak"),
                ("role", "podinspektor"),
            ],
        )
        .await;
        assert_eq!(r.status(), 303);

        let doc = page_in(&app, "en", "/kontakt").await;
        assert_text_in(&doc, "Volunteering and internships", "en", "English topic");
        assert_text_in(&doc, "inspector", "en", "English job title");
        assert!(langs_of_text(&doc, "Wolontariat i staże").is_empty());
        assert_text_in(&doc, "Lokale użytkowe", "pl", "topic without English");
        assert_text_in(&doc, "podinspektor", "pl", "job title without English");
        let doc = page_in(&app, "pl", "/kontakt").await;
        assert_text_in(&doc, "Wolontariat i staże", "pl", "Polish topic");
        assert!(langs_of_text(&doc, "Volunteering").is_empty());
        assert!(redundant_pl(&doc).is_empty());

        // The edit form shows the English texts, and emptying one falls back to Polish.
        let id = app
            .tp
            .scalar_i64("SELECT id FROM office_contacts WHERE name = 'Jan Kowalski'")
            .await;
        let path = format!("/panel/kontakty/{id}");
        let (_, html) = app.get_text(&path).await;
        let doc = Html::parse_document(&html);
        let value = |name: &str| {
            doc.select(&Selector::parse(&format!("input[name={name}]")).expect("s"))
                .next()
                .and_then(|e| e.value().attr("value").map(str::to_owned))
                .unwrap_or_default()
        };
        assert_eq!(value("topic_en"), "Volunteering and internships");
        assert_eq!(value("role_en"), "inspector");
        let r = post_form(
            &app,
            &path,
            &path,
            &[
                ("topic", "Wolontariat i staże"),
                ("topic_en", ""),
                ("name", "Jan Kowalski"),
                ("role", "inspektor"),
                ("role_en", "inspector"),
                ("email", "wolontariat@wierzbin.example"),
            ],
        )
        .await;
        assert_eq!(r.status(), 303);
        let doc = page_in(&app, "en", "/kontakt").await;
        assert_text_in(&doc, "Wolontariat i staże", "pl", "topic, fallback");
        assert_text_in(&doc, "inspector", "en", "job title kept");
    })
    .await;
}

fn parts(data: &str) -> (String, String) {
    let parsed = mailparse::parse_mail(data.as_bytes()).expect("mime");
    (
        parsed.subparts[0].get_body().expect("text"),
        parsed.subparts[1].get_body().expect("html"),
    )
}

#[tokio::test]
async fn mail_in_english_carries_the_english_footer() {
    each_backend("mail footer per language", |b| async move {
        let app = TestApp::with_demo(b, false).await;
        let db = &app.tp.platform.db.conn;
        wspolnie_platform::settings::set(db, "site.email_footer", "Stopka po polsku: zakładka NGO")
            .await
            .expect("set");
        wspolnie_platform::settings::set(
            db,
            "site.email_footer.en",
            "English footer: the NGO zone",
        )
        .await
        .expect("set");
        wspolnie_platform::settings::set(db, "site.office_name.en", "Wierzbin Town Council")
            .await
            .expect("set");

        // Someone signs up for the newsletter in English: the confirmation is in English.
        let en = client();
        let html = en
            .get(app.url("/newsletter"))
            .send()
            .await
            .expect("get")
            .text()
            .await
            .expect("t");
        let token = extract_between(&html, "name=\"_csrf\" value=\"", "\"").expect("token");
        en.post(app.url("/ustawienia/jezyk"))
            .form(&[
                ("lang", "en"),
                ("back", "/newsletter"),
                ("_csrf", token.as_str()),
            ])
            .send()
            .await
            .expect("post");
        let html = en
            .get(app.url("/newsletter"))
            .send()
            .await
            .expect("get")
            .text()
            .await
            .expect("t");
        let token = extract_between(&html, "name=\"_csrf\" value=\"", "\"").expect("token");
        assert!(
            html.contains("<html lang=\"en\""),
            "the newsletter page in English"
        );
        let r = en
            .post(app.url("/newsletter"))
            .form(&[
                ("email", "reader@example.org"),
                ("topic", "grants"),
                ("consent", "yes"),
                ("_csrf", token.as_str()),
            ])
            .send()
            .await
            .expect("post");
        // Post/redirect/get: the "check your mail" page is a GET.
        assert_eq!(r.status(), 303);
        assert_eq!(location(&r), "/newsletter?wyslano=1");
        // And someone in Polish.
        let r = post_form(
            &app,
            "/newsletter",
            "/newsletter",
            &[
                ("email", "czytelnik@example.pl"),
                ("topic", "grants"),
                ("consent", "yes"),
            ],
        )
        .await;
        assert_eq!(r.status(), 303);
        run_jobs(&app).await;

        let msgs = app.tp.smtp.messages();
        let to = |addr: &str| {
            msgs.iter()
                .find(|m| m.to.iter().any(|t| t == addr))
                .map(|m| parts(&m.data))
                .unwrap_or_else(|| panic!("mail to {addr}"))
        };
        let (text, html) = to("reader@example.org");
        for body in [&text, &html] {
            assert!(body.contains("English footer: the NGO zone"), "{body}");
            assert!(!body.contains("Stopka po polsku"), "{body}");
            assert!(
                body.contains("Wierzbin Town Council"),
                "office name in English"
            );
        }
        let doc = Html::parse_document(&html);
        assert_eq!(lang_of(doc.root_element()), "en");
        assert_text_in(&doc, "English footer: the NGO zone", "en", "English footer");
        let (text, html) = to("czytelnik@example.pl");
        for body in [&text, &html] {
            assert!(body.contains("Stopka po polsku: zakładka NGO"), "{body}");
            assert!(!body.contains("English footer"), "{body}");
        }

        // No English footer: an English mail shows the Polish one, marked as Polish.
        wspolnie_platform::settings::set(db, "site.email_footer.en", "")
            .await
            .expect("set");
        wspolnie_platform::mail::enqueue_mail(
            db,
            MailJob {
                to: "second.reader@example.org".into(),
                template: "test".into(),
                lang: Lang::En,
                vars: Default::default(),
            },
            None,
        )
        .await
        .expect("enqueue");
        run_jobs(&app).await;
        let msgs = app.tp.smtp.messages();
        let m = msgs
            .iter()
            .find(|m| m.to.iter().any(|t| t == "second.reader@example.org"))
            .expect("mail");
        let (text, html) = parts(&m.data);
        assert!(text.contains("Stopka po polsku: zakładka NGO"));
        let doc = Html::parse_document(&html);
        assert_text_in(
            &doc,
            "Stopka po polsku: zakładka NGO",
            "pl",
            "fallback footer",
        );
        assert_text_in(&doc, "Wierzbin Town Council", "en", "office name");
    })
    .await;
}
