//! The directory's self-maintained profiles end to end over HTTP: register (with validation and a
//! logo) → moderation with e-mails both ways → published and searchable → edit → side-by-side diff
//! → request for changes → approval → version history; claiming an imported profile; the yearly
//! one-click confirmation and the stale / bounced flags for officials.

use crate::accounts::link_in_mail;
use crate::accounts::location;
use crate::accounts::make_user;
use crate::accounts::path_of;
use crate::accounts::post_form;
use crate::accounts::staff_sign_in;
use crate::common::*;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use wspolnie_areas::directory::entity::organization;
use wspolnie_areas::moderation::entity::revision;
use wspolnie_platform::entity::organization_member;

/// A 1×1 PNG.
const PNG: &[u8] = &[
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4,
    0x89, 0x00, 0x00, 0x00, 0x0A, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0x00, 0x01, 0x00, 0x00,
    0x05, 0x00, 0x01, 0x0D, 0x0A, 0x2D, 0xB4, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE,
    0x42, 0x60, 0x82,
];

pub(crate) fn profile_fields(phone: &str, description: &str) -> Vec<(&'static str, String)> {
    vec![
        ("name", "Fundacja Zielona Łódź".into()),
        ("short_description", description.into()),
        ("legal_form", "fundacja".into()),
        ("krs", "777123".into()),
        ("nip", "123-456-32-18".into()),
        ("regon", "".into()),
        ("is_opp", "1".into()),
        ("email", "Biuro@Zielona-Lodz.example.org".into()),
        ("phone", phone.into()),
        ("website", "zielona-lodz.example.org".into()),
        (
            "social_links",
            "https://facebook.com/zielonalodz\r\n".into(),
        ),
        ("street", "ul. Rzeczna 4".into()),
        ("postal_code", "12345".into()),
        ("city", "Wierzbin".into()),
        ("district", "Zatorze".into()),
        ("leading", "16".into()),
        ("leading", "5".into()),
        ("groups", "dzieci".into()),
        ("contact_1_name", "Żaneta Kowalczyk".into()),
        ("contact_1_role", "prezeska zarządu".into()),
        ("contact_1_email", "zaneta@zielona-lodz.example.org".into()),
        ("contact_1_phone", "".into()),
        ("logo_alt", "Logo: zielona łódka".into()),
    ]
}

const DESCRIPTION: &str = "Budujemy drewniane łodzie z młodzieżą z Zatorza i sprzątamy brzegi rzeki razem z mieszkańcami Wierzbina.";

async fn post_multipart(
    app: &TestApp,
    path: &str,
    fields: &[(&'static str, String)],
    logo: Option<&[u8]>,
) -> reqwest::Response {
    post_multipart_file(app, path, fields, logo.map(|b| ("logo", b, "logo.png"))).await
}

/// Posts a multipart form (CSRF token as its first field, as our forms do) with an optional file
/// `(field, bytes, file name)`.
pub(crate) async fn post_multipart_file(
    app: &TestApp,
    path: &str,
    fields: &[(&'static str, String)],
    file: Option<(&str, &[u8], &str)>,
) -> reqwest::Response {
    let token = app.csrf_token(path).await;
    let mut form = reqwest::multipart::Form::new().text("_csrf", token);
    for (k, v) in fields {
        form = form.text(*k, v.clone());
    }
    if let Some((field, bytes, name)) = file {
        form = form.part(
            field.to_owned(),
            reqwest::multipart::Part::bytes(bytes.to_vec()).file_name(name.to_owned()),
        );
    }
    app.client
        .post(app.url(path))
        .multipart(form)
        .send()
        .await
        .expect("post multipart")
}

pub(crate) async fn sign_in(app: &TestApp, email: &str, password: &str) {
    let r = post_form(
        app,
        "/konto/logowanie",
        "/konto/logowanie",
        &[("email", email), ("password", password)],
    )
    .await;
    assert_eq!(location(&r), "/panel", "signed in as {email}");
}

pub(crate) async fn sign_out(app: &TestApp) {
    post_form(app, "/konto/wyloguj", "/panel", &[]).await;
}

async fn pending_revision(app: &TestApp, org_id: i64) -> revision::Model {
    revision::Entity::find()
        .filter(revision::Column::SubjectId.eq(org_id))
        .filter(revision::Column::Status.eq("pending"))
        .one(&app.tp.platform.db.conn)
        .await
        .expect("query")
        .expect("a pending revision")
}

pub(crate) async fn run_jobs(app: &TestApp) {
    app.tp.worker().run_until_idle().await.expect("jobs");
}

pub(crate) fn last_subject_to(app: &TestApp, to: &str) -> String {
    let msgs = app.tp.smtp.messages();
    let m = msgs
        .iter()
        .rev()
        .find(|m| m.to.iter().any(|t| t == to))
        .unwrap_or_else(|| panic!("no mail to {to}"));
    let parsed = mailparse::parse_mail(m.data.as_bytes()).expect("mime");
    parsed
        .headers
        .iter()
        .find(|h| h.get_key_ref().eq_ignore_ascii_case("subject"))
        .map(|h| h.get_value())
        .unwrap_or_default()
}

pub(crate) fn mail_text_to(app: &TestApp, to: &str) -> String {
    let msgs = app.tp.smtp.messages();
    let m = msgs
        .iter()
        .rev()
        .find(|m| m.to.iter().any(|t| t == to))
        .unwrap_or_else(|| panic!("no mail to {to}"));
    let parsed = mailparse::parse_mail(m.data.as_bytes()).expect("mime");
    parsed.subparts[0].get_body().expect("text")
}

#[tokio::test]
async fn register_moderate_publish_search_edit_diff_and_history() {
    each_backend("directory flow", |b| async move {
        let app = TestApp::new(b).await;
        let db = &app.tp.platform.db.conn;
        make_user(&app, "ngo@example.pl", "hasło wolontariuszki", None).await;
        let mod_id = make_user(
            &app,
            "moderator@example.pl",
            "hasło moderatora 2026",
            Some(&[("official", "moderation")]),
        )
        .await;
        make_user(
            &app,
            "moderator2@example.pl",
            "hasło drugiej moderatorki",
            Some(&[("official", "moderation")]),
        )
        .await;
        let orgs_before = app
            .tp
            .scalar_i64("SELECT COUNT(*) FROM organizations")
            .await;
        sign_in(&app, "ngo@example.pl", "hasło wolontariuszki").await;

        // Bad input: every error named next to its field, the input kept, nothing written.
        let mut bad = profile_fields("12", "Za krótko.");
        for (k, v) in bad.iter_mut() {
            if *k == "nip" {
                *v = "123-456-32-19".into();
            }
            if *k == "leading" {
                *v = "99".into();
            }
        }
        let r = post_multipart(&app, "/panel/organizacje/nowa", &bad, None).await;
        assert_eq!(r.status(), 200);
        let html = r.text().await.expect("html");
        assert!(
            html.contains("Ten NIP jest niepoprawny"),
            "NIP checksum error"
        );
        assert!(html.contains("Opis jest za krótki"));
        assert!(html.contains("Podaj numer telefonu"));
        assert!(
            html.contains("href=\"#nip\""),
            "error summary links to the field"
        );
        assert!(
            html.contains("value=\"Fundacja Zielona Łódź\""),
            "input kept"
        );
        assert!(html.contains("Żaneta Kowalczyk"), "contact person kept");
        assert_eq!(
            app.tp
                .scalar_i64("SELECT COUNT(*) FROM organizations")
                .await,
            orgs_before
        );
        assert_eq!(app.tp.scalar_i64("SELECT COUNT(*) FROM revisions").await, 0);

        // A file that is not an image is refused by content, whatever its name.
        let r = post_multipart(
            &app,
            "/panel/organizacje/nowa",
            &profile_fields("600 100 200", DESCRIPTION),
            Some(b"<svg onload=alert(1)>"),
        )
        .await;
        assert_eq!(r.status(), 200);
        assert!(
            r.text()
                .await
                .expect("html")
                .contains("Logo musi być obrazem")
        );

        // A good registration with a logo goes to moderation, not to the public directory.
        let r = post_multipart(
            &app,
            "/panel/organizacje/nowa",
            &profile_fields("600 100 200", DESCRIPTION),
            Some(PNG),
        )
        .await;
        assert_eq!(location(&r), "/panel/organizacje");
        let org = organization::Entity::find()
            .filter(organization::Column::Name.eq("Fundacja Zielona Łódź"))
            .one(db)
            .await
            .expect("q")
            .expect("org row");
        assert_eq!(org.status.as_str(), "pending");
        assert_eq!(org.krs.as_deref(), Some("0000777123"), "KRS normalised");
        assert!(
            org.logo_key
                .as_deref()
                .is_some_and(|k| k.starts_with("logos/"))
        );
        let (_, html) = app.get_text("/organizacje?q=lodz").await;
        assert!(
            !html.contains("Zielona Łódź"),
            "not public before moderation"
        );
        let (_, html) = app.get_text("/panel/organizacje").await;
        assert!(html.contains("czeka na pierwszą moderację"));
        run_jobs(&app).await;
        assert!(
            last_subject_to(&app, "moderator@example.pl").contains("Zielona"),
            "moderators are told"
        );
        assert!(
            last_subject_to(&app, "moderator2@example.pl").contains("Zielona"),
            "every moderator is told"
        );

        // The moderator: queue, diff, a rejection needs a comment, approval publishes.
        sign_out(&app).await;
        staff_sign_in(
            &app,
            "moderator@example.pl",
            "hasło moderatora 2026",
            mod_id,
        )
        .await;
        let (_, html) = app.get_text("/panel/moderacja").await;
        assert!(html.contains("Fundacja Zielona Łódź") && html.contains("Rejestracja"));
        let rev = pending_revision(&app, org.id).await;
        let item = format!("/panel/moderacja/{}", rev.id);
        let (_, html) = app.get_text(&item).await;
        assert!(
            html.contains("<ins>Fundacja Zielona Łódź</ins>"),
            "new values shown as inserted"
        );
        let r = post_form(
            &app,
            &item,
            &item,
            &[("decision", "reject"), ("comment", "")],
        )
        .await;
        assert_eq!(r.status(), 200);
        assert!(r.text().await.expect("t").contains("Napisz komentarz"));
        let r = post_form(
            &app,
            &item,
            &item,
            &[("decision", "approve"), ("comment", "")],
        )
        .await;
        assert_eq!(location(&r), "/panel/moderacja");
        let r = post_form(
            &app,
            &item,
            &item,
            &[("decision", "reject"), ("comment", "za późno")],
        )
        .await;
        assert!(
            r.text().await.expect("t").contains("już rozpatrzone"),
            "a decision is final"
        );
        assert_eq!(
            app.tp
                .scalar_i64("SELECT COUNT(*) FROM audit_log WHERE action = 'moderation.approved'")
                .await,
            1
        );
        run_jobs(&app).await;
        assert!(mail_text_to(&app, "ngo@example.pl").contains("został zatwierdzony"));

        // Published: found by a folded prefix search, page shows the whole profile.
        let (_, html) = app.get_text("/organizacje?q=zielona+lodz").await;
        assert!(html.contains("Fundacja Zielona Łódź"), "search finds it");
        let org = organization::Entity::find_by_id(org.id)
            .one(db)
            .await
            .expect("q")
            .expect("org");
        assert_eq!(org.status.as_str(), "published");
        assert_eq!(org.version, 1);
        let page = format!("/organizacje/{}", org.slug);
        let (_, html) = app.get_text(&page).await;
        for s in [
            "Żaneta Kowalczyk",
            "prezeska zarządu",
            "alt=\"Logo: zielona łódka\"",
            "1234563218",
            "https://facebook.com/zielonalodz",
            "\"taxID\":\"1234563218\"",
            "600 100 200",
        ] {
            assert!(html.contains(s), "organisation page shows {s}");
        }
        // The organisation's own news appear on its page.
        let now = chrono::Utc::now();
        wspolnie_areas::news::entity::article::Entity::insert(
            wspolnie_areas::news::entity::article::ActiveModel {
                slug: sea_orm::ActiveValue::Set("wodowanie-lodzi".into()),
                title: sea_orm::ActiveValue::Set("Wodowanie łodzi „Źródło”".into()),
                lead: sea_orm::ActiveValue::Set("Zapraszamy nad rzekę.".into()),
                body_md: sea_orm::ActiveValue::Set("Zapraszamy.".into()),
                organization_id: sea_orm::ActiveValue::Set(Some(org.id)),
                status: sea_orm::ActiveValue::Set(
                    wspolnie_areas::moderation::lifecycle::Publication::Published,
                ),
                search_text: sea_orm::ActiveValue::Set(" wodowanie ".into()),
                published_at: sea_orm::ActiveValue::Set(Some(now)),
                created_at: sea_orm::ActiveValue::Set(now),
                updated_at: sea_orm::ActiveValue::Set(now),
                ..Default::default()
            },
        )
        .exec(db)
        .await
        .expect("article");
        let (_, html) = app.get_text(&page).await;
        assert!(
            html.contains("Wodowanie łodzi „Źródło”"),
            "the organisation's news are listed"
        );
        let logo = format!("/pliki/{}", org.logo_key.clone().expect("logo"));
        let r = app.get(&logo).await;
        assert_eq!(r.status(), 200);
        assert_eq!(r.headers()["content-type"], "image/png");

        // The NGO edits: the change waits, the public page keeps the approved version.
        sign_out(&app).await;
        sign_in(&app, "ngo@example.pl", "hasło wolontariuszki").await;
        let edit = format!("/panel/organizacje/{}/profil", org.id);
        let mut fields = profile_fields("+48 601 222 333", DESCRIPTION);
        fields.push(("logo_key", org.logo_key.clone().unwrap_or_default()));
        let r = post_multipart(&app, &edit, &fields, None).await;
        assert_eq!(location(&r), "/panel/organizacje");
        let (_, html) = app.get_text(&page).await;
        assert!(html.contains("600 100 200") && !html.contains("601 222 333"));
        let rev = pending_revision(&app, org.id).await;
        assert_eq!((rev.kind.as_str(), rev.number), ("update", 2));

        // Moderator sees exactly what changed and asks for more.
        sign_out(&app).await;
        staff_sign_in(
            &app,
            "moderator@example.pl",
            "hasło moderatora 2026",
            mod_id,
        )
        .await;
        let item = format!("/panel/moderacja/{}", rev.id);
        let (_, html) = app.get_text(&item).await;
        assert!(
            html.contains("<del>600 100 200</del>") && html.contains("<ins>+48 601 222 333</ins>")
        );
        assert!(
            html.contains("Zmieniono 1 pole."),
            "only the phone changed: {}",
            html.split("<tr class=\"changed\">")
                .skip(1)
                .map(|r| r.split("</tr>").next().unwrap_or(""))
                .collect::<Vec<_>>()
                .join("\n")
        );
        let r = post_form(
            &app,
            &item,
            &item,
            &[("decision", "changes"), ("comment", "Proszę dodać REGON.")],
        )
        .await;
        assert_eq!(location(&r), "/panel/moderacja");
        run_jobs(&app).await;
        let text = mail_text_to(&app, "ngo@example.pl");
        assert!(text.contains("prosi o poprawki") && text.contains("Proszę dodać REGON."));

        // The NGO sees the comment in the form, corrects, and it is approved.
        sign_out(&app).await;
        sign_in(&app, "ngo@example.pl", "hasło wolontariuszki").await;
        let (_, html) = app.get_text(&edit).await;
        assert!(
            html.contains("Proszę dodać REGON.") && html.contains("601 222 333"),
            "the returned version is prefilled"
        );
        // (One word more in the description: the moderator sees only that word marked.)
        let described = DESCRIPTION.replace("drewniane łodzie", "drewniane i żaglowe łodzie");
        let mut fields = profile_fields("+48 601 222 333", &described);
        fields.retain(|(k, _)| *k != "regon");
        fields.push(("regon", "123456785".into()));
        fields.push(("logo_key", org.logo_key.clone().unwrap_or_default()));
        post_multipart(&app, &edit, &fields, None).await;
        let rev = pending_revision(&app, org.id).await;
        sign_out(&app).await;
        staff_sign_in(
            &app,
            "moderator@example.pl",
            "hasło moderatora 2026",
            mod_id,
        )
        .await;
        let item = format!("/panel/moderacja/{}", rev.id);
        let (_, html) = app.get_text(&item).await;
        let added: Vec<&str> = html
            .split("<ins>")
            .skip(1)
            .map(|s| s.split("</ins>").next().unwrap_or(""))
            .collect();
        let words = added
            .iter()
            .find(|s| s.contains("żaglowe"))
            .expect("the added words are marked");
        assert!(
            !words.contains("Budujemy") && !words.contains("łodzie"),
            "only the added words, not the whole field: {words}"
        );
        assert!(
            html.contains("<span class=\"visually-hidden\">dodano: </span><ins>")
                && html.contains("Budujemy drewniane "),
            "unchanged words plain, the change announced"
        );
        post_form(&app, &item, &item, &[("decision", "approve")]).await;
        let (_, html) = app.get_text(&page).await;
        assert!(
            html.contains("601 222 333") && html.contains("123456785"),
            "approved change is public"
        );

        // History: three versions with their decisions, visible to the organisation.
        sign_out(&app).await;
        sign_in(&app, "ngo@example.pl", "hasło wolontariuszki").await;
        let (status, html) = app
            .get_text(&format!("/panel/organizacje/{}/historia", org.id))
            .await;
        assert_eq!(status, 200);
        for s in [
            "zatwierdzona",
            "do poprawy",
            "Proszę dodać REGON.",
            "Rejestracja",
            "Zmiana profilu",
        ] {
            assert!(html.contains(s), "history shows {s}");
        }
        // Another organisation's profile stays closed to this member.
        let other = organization::Entity::find()
            .filter(organization::Column::Id.ne(org.id))
            .one(db)
            .await
            .expect("q")
            .expect("other");
        assert_eq!(
            app.get(&format!("/panel/organizacje/{}/profil", other.id))
                .await
                .status(),
            403
        );
        let r = post_multipart(
            &app,
            &format!("/panel/organizacje/{}/profil", other.id),
            &profile_fields("600 100 200", DESCRIPTION),
            None,
        )
        .await;
        assert_eq!(r.status(), 403);
        run_jobs(&app).await;
        app.tp.assert_no_pending_jobs().await;
    })
    .await;
}

#[tokio::test]
async fn claim_of_an_imported_profile_and_duplicate_registration() {
    each_backend("directory claim", |b| async move {
        let app = TestApp::new(b).await;
        let db = &app.tp.platform.db.conn;
        let uid = make_user(&app, "zarzad@example.pl", "hasło członkini zarządu", None).await;
        let mod_id = make_user(
            &app,
            "moderator@example.pl",
            "hasło moderatora 2026",
            Some(&[("official", "moderation")]),
        )
        .await;
        let org = organization::Entity::find()
            .filter(organization::Column::Status.eq("published"))
            .one(db)
            .await
            .expect("q")
            .expect("a demo organisation");
        sign_in(&app, "zarzad@example.pl", "hasło członkini zarządu").await;

        // Registering an organisation whose KRS is listed points to the claim instead.
        let mut fields = profile_fields("600 100 200", DESCRIPTION);
        for (k, v) in fields.iter_mut() {
            if *k == "krs" {
                *v = org.krs.clone().unwrap_or_default();
            }
            if *k == "nip" {
                v.clear();
            }
        }
        let r = post_multipart(&app, "/panel/organizacje/nowa", &fields, None).await;
        let html = r.text().await.expect("html");
        assert!(html.contains("jest już w bazie"), "duplicate KRS refused");

        let (_, html) = app.get_text(&format!("/organizacje/{}", org.slug)).await;
        let claim = format!("/panel/organizacje/{}/przejecie", org.id);
        assert!(html.contains(&claim), "the public page offers the claim");
        let r = post_form(&app, &claim, &claim, &[("role", ""), ("message", "")]).await;
        assert!(r.text().await.expect("t").contains("Podaj swoją funkcję"));
        let r = post_form(
            &app,
            &claim,
            &claim,
            &[
                ("role", "skarbniczka"),
                ("message", "Proszę zadzwonić do prezesa."),
            ],
        )
        .await;
        assert_eq!(location(&r), "/panel/organizacje");
        assert_eq!(
            app.get(&format!("/panel/organizacje/{}/profil", org.id))
                .await
                .status(),
            403,
            "not yet"
        );

        sign_out(&app).await;
        staff_sign_in(
            &app,
            "moderator@example.pl",
            "hasło moderatora 2026",
            mod_id,
        )
        .await;
        let rev = pending_revision(&app, org.id).await;
        let item = format!("/panel/moderacja/{}", rev.id);
        let (_, html) = app.get_text(&item).await;
        assert!(html.contains("skarbniczka") && html.contains("Proszę zadzwonić do prezesa."));
        post_form(&app, &item, &item, &[("decision", "approve")]).await;
        let member = organization_member::Entity::find_by_id((org.id, uid))
            .one(db)
            .await
            .expect("q");
        assert_eq!(member.map(|m| m.role).as_deref(), Some("owner"));
        run_jobs(&app).await;
        assert!(mail_text_to(&app, "zarzad@example.pl").contains("reprezentujesz organizację"));

        sign_out(&app).await;
        sign_in(&app, "zarzad@example.pl", "hasło członkini zarządu").await;
        let (status, html) = app
            .get_text(&format!("/panel/organizacje/{}/profil", org.id))
            .await;
        assert_eq!(status, 200, "the claimant now edits the profile");
        assert!(html.contains(&org.name));
    })
    .await;
}

#[tokio::test]
async fn yearly_confirmation_one_click_and_flags_for_officials() {
    each_backend("directory confirmation", |b| async move {
        let app = TestApp::new(b).await;
        let db = &app.tp.platform.db.conn;
        let now = chrono::Utc::now();
        let mod_id = make_user(
            &app,
            "moderator@example.pl",
            "hasło moderatora 2026",
            Some(&[("official", "moderation")]),
        )
        .await;
        // Everyone confirmed recently except one organisation, confirmed 400 days ago.
        let recent = (now - chrono::Duration::days(10)).to_rfc3339();
        let old = (now - chrono::Duration::days(400)).to_rfc3339();
        let orgs = organization::Entity::find()
            .filter(organization::Column::Status.eq("published"))
            .all(db)
            .await
            .expect("q");
        let target = orgs[3].clone();
        let stale = orgs[4].clone();
        set_confirmed(&app, None, &recent).await;
        set_confirmed(&app, Some(target.id), &old).await;
        let very_old = (now - chrono::Duration::days(600)).to_rfc3339();
        set_confirmed(&app, Some(stale.id), &very_old).await;

        // One candidate per page: the keyset paging reaches every page and skips none.
        let sent =
            wspolnie_areas::directory::confirm::send_due_in_batches(&app.tp.platform, now, 1)
                .await
                .expect("send");
        assert_eq!(sent, 2, "only the two organisations due are asked");
        let again = wspolnie_areas::directory::confirm::send_due(&app.tp.platform, now)
            .await
            .expect("send");
        assert_eq!(again, 0, "asked once a year, not every day");
        run_jobs(&app).await;
        let to = target.email.clone().expect("email");
        assert!(last_subject_to(&app, &to).contains("aktualne"));
        let link = link_in_mail(&app, &to, "/organizacje/potwierdz?t=");
        let path = path_of(&app, &link);

        // Opening the link changes nothing (mail scanners); the button does.
        let (status, html) = app.get_text(&path).await;
        assert_eq!(status, 200);
        assert!(html.contains(&target.name));
        let before = organization::Entity::find_by_id(target.id)
            .one(db)
            .await
            .expect("q")
            .expect("o");
        assert!(
            before.confirmed_at.expect("set") < now - chrono::Duration::days(300),
            "GET confirms nothing"
        );
        let token = path.split("t=").nth(1).expect("token").to_owned();
        let r = post_form(&app, "/organizacje/potwierdz", &path, &[("t", &token)]).await;
        assert_eq!(location(&r), format!("/organizacje/{}", target.slug));
        let after = organization::Entity::find_by_id(target.id)
            .one(db)
            .await
            .expect("q")
            .expect("o");
        assert!(after.confirmed_at.expect("confirmed") > now - chrono::Duration::minutes(5));
        let (_, html) = app.get_text(&path).await;
        assert!(
            html.contains("Ten link nie jest już ważny"),
            "the link is single-use"
        );

        // Officials: the stale profile is flagged publicly and in their overview; a bounce mark
        // is recorded with the audit log.
        let (_, html) = app.get_text(&format!("/organizacje/{}", stale.slug)).await;
        assert!(html.contains("mogą być nieaktualne"));
        let (_, html) = app.get_text(&format!("/organizacje/{}", target.slug)).await;
        assert!(!html.contains("mogą być nieaktualne"));
        staff_sign_in(
            &app,
            "moderator@example.pl",
            "hasło moderatora 2026",
            mod_id,
        )
        .await;
        let (_, html) = app.get_text("/panel/katalog?stan=nieaktualne").await;
        // (By address: one demo name can begin another, "… „Cytadela”" and "… – Stare Miasto".)
        let listed = |o: &organization::Model| html.contains(&format!("/organizacje/{}\"", o.slug));
        assert!(listed(&stale) && !listed(&target));
        let (_, html) = app.get_text("/panel/katalog?stan=niepotwierdzone").await;
        assert!(html.contains(&stale.name), "asked, not yet confirmed");
        let r = post_form(
            &app,
            &format!("/panel/katalog/{}/odbicia", stale.id),
            "/panel/katalog",
            &[("bounced", "1")],
        )
        .await;
        assert_eq!(location(&r), "/panel/katalog");
        let (_, html) = app.get_text("/panel/katalog?stan=odbijajace").await;
        assert!(html.contains(&stale.name));
        assert_eq!(
            app.tp
                .scalar_i64("SELECT COUNT(*) FROM audit_log WHERE action = 'directory.bounce_flag'")
                .await,
            1
        );
    })
    .await;
}

async fn set_confirmed(app: &TestApp, id: Option<i64>, at: &str) {
    let db = &app.tp.platform.db.conn;
    let at = chrono::DateTime::parse_from_rfc3339(at)
        .expect("ts")
        .with_timezone(&chrono::Utc);
    let mut q = organization::Entity::update_many().col_expr(
        organization::Column::ConfirmedAt,
        sea_orm::sea_query::Expr::value(Some(at)),
    );
    if let Some(id) = id {
        q = q.filter(organization::Column::Id.eq(id));
    }
    q.exec(db).await.expect("update");
}

/// Issue 15: the exports bind no variable per organisation, so a directory larger than SQLite's
/// 32,766 variables (40,000 organisations here, inserted by one statement) still exports whole.
#[tokio::test]
async fn exports_of_a_directory_larger_than_the_bind_variable_limit() {
    each_backend("directory large exports", |b| async move {
        let app = TestApp::new(b).await;
        // Copies of the first published demo organisation, with their own slugs; one statement,
        // no bind variables, the timestamps copied as the database stored them.
        app.tp
            .exec(
                "INSERT INTO organizations (slug, name, name_fold, short_description, legal_form, \
                 is_opp, street, postal_code, city, district, status, search_text, created_at, \
                 updated_at, published_at, name_sort, social_links, logo_alt, version) \
                 WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 40000) \
                 SELECT 'masowa-' || CAST(n.i AS TEXT), o.name, o.name_fold, o.short_description, \
                 o.legal_form, o.is_opp, o.street, o.postal_code, o.city, o.district, o.status, \
                 o.search_text, o.created_at, o.updated_at, o.published_at, o.name_sort, \
                 o.social_links, o.logo_alt, o.version FROM n CROSS JOIN \
                 (SELECT * FROM organizations WHERE status = 'published' ORDER BY id LIMIT 1) o",
            )
            .await;
        let published = app
            .tp
            .scalar_i64("SELECT COUNT(*) FROM organizations WHERE status = 'published'")
            .await;
        assert!(published > 40_000, "{published}");
        let r = app.get("/organizacje.csv").await;
        assert_eq!(r.status(), 200, "{b:?}");
        let text = r.text().await.expect("csv");
        let rows = text.matches("/organizacje/").count() as i64;
        assert_eq!(
            rows, published,
            "one CSV row per published organisation ({b:?})"
        );
        let r = app.get("/organizacje.json").await;
        assert_eq!(r.status(), 200, "{b:?}");
        let json: serde_json::Value = r.json().await.expect("json");
        assert_eq!(json["count"].as_i64(), Some(published));
        let items = json["organizations"].as_array().expect("array");
        assert_eq!(items.len() as i64, published, "{b:?}");
        // Spheres still come with the organisations that have them.
        assert!(
            items
                .iter()
                .any(|o| !o["spheres"].as_array().expect("spheres").is_empty())
        );
    })
    .await;
}
