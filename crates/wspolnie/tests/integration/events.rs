//! Events fed by organisations: an NGO member fills the event form (bad input comes back with its
//! errors and nothing is written), saves a draft, submits it with a poster, the moderator sees
//! it in the queue with its diff and approves it, the NGO is told by e-mail, the event appears in
//! the calendar, on the organisation's page and on the home page; a later change waits for
//! moderation while the public page keeps the approved version.

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
use chrono::{Datelike, Duration, Utc};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use wspolnie_areas::calendar::entity::event;
use wspolnie_areas::directory::entity::organization;
use wspolnie_areas::moderation::entity::revision;
use wspolnie_platform::entity::organization_member;

/// A real 2000×1000 JPEG, so scaling can be checked.
fn big_jpeg() -> Vec<u8> {
    let img = image::RgbImage::from_fn(2000, 1000, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, 90])
    });
    let mut out = std::io::Cursor::new(Vec::new());
    image::DynamicImage::ImageRgb8(img)
        .write_to(&mut out, image::ImageFormat::Jpeg)
        .expect("jpeg");
    out.into_inner()
}

pub(crate) fn event_fields(day: &str) -> Vec<(&'static str, String)> {
    vec![
        ("title", "Wodowanie łodzi „Źródło” nad Wierzbinką".into()),
        ("category", "festyn".into()),
        (
            "description",
            "Zapraszamy całe rodziny nad rzekę. **Wstęp wolny**, poczęstunek.".into(),
        ),
        ("start_date", day.into()),
        ("start_time", "16:00".into()),
        ("end_date", "".into()),
        ("end_time", "19:30".into()),
        ("place", "Przystań przy ul. Rzecznej 4".into()),
        ("online_url", "".into()),
        ("spheres", "16".into()),
        ("groups", "rodziny".into()),
        ("is_free", "1".into()),
        ("price_info", "".into()),
        ("registration_url", "zapisy.example.org/wodowanie".into()),
        (
            "poster_alt",
            "Plakat: łódka na rzece, napis Wodowanie, sobota 16:00".into(),
        ),
        ("repeat", "".into()),
        ("repeat_until", "".into()),
    ]
}

fn with(
    mut fields: Vec<(&'static str, String)>,
    key: &str,
    value: &str,
) -> Vec<(&'static str, String)> {
    for (k, v) in fields.iter_mut() {
        if *k == key {
            *v = value.into();
        }
    }
    fields
}

/// The first published demo organisation and a new account that is its member with `role`
/// (signs in as ngo@example.pl / "hasło wolontariuszki").
pub(crate) async fn ngo_member(app: &TestApp, role: &str) -> (organization::Model, i64) {
    let db = &app.tp.platform.db.conn;
    let org = organization::Entity::find()
        .filter(organization::Column::Status.eq("published"))
        .order_by_asc(organization::Column::Id)
        .one(db)
        .await
        .expect("q")
        .expect("a demo organisation");
    let user = make_user(app, "ngo@example.pl", "hasło wolontariuszki", None).await;
    organization_member::Entity::insert(organization_member::ActiveModel {
        organization_id: Set(org.id),
        user_id: Set(user),
        role: Set(role.into()),
        created_at: Set(Utc::now()),
    })
    .exec(db)
    .await
    .expect("member");
    (org, user)
}

#[tokio::test]
async fn ngo_submits_event_with_poster_moderator_approves_it_appears_everywhere() {
    each_backend("event flow", |b| async move {
        let app = TestApp::new(b).await;
        let db = &app.tp.platform.db.conn;
        let (org, ngo) = ngo_member(&app, "owner").await;
        let mod_id = make_user(
            &app,
            "moderator@example.pl",
            "hasło moderatora 2026",
            Some(&[("official", "moderation")]),
        )
        .await;
        let events_before = app.tp.scalar_i64("SELECT COUNT(*) FROM events").await;
        let day = (Utc::now() + Duration::days(20))
            .with_timezone(&wspolnie_core::time::TZ)
            .format("%Y-%m-%d")
            .to_string();
        let new = format!("/panel/organizacje/{}/wydarzenia/nowe", org.id);

        sign_in(&app, "ngo@example.pl", "hasło wolontariuszki").await;
        let (status, html) = app
            .get_text(&format!("/panel/organizacje/{}/wydarzenia", org.id))
            .await;
        assert_eq!(status, 200);
        assert!(html.contains(&new), "link to the form");

        // Bad input: errors next to the fields, the input and the uploaded poster kept, nothing written.
        let bad = with(
            with(with(event_fields(&day), "title", ""), "is_free", "0"),
            "poster_alt",
            "",
        );
        let bad = with(bad, "start_time", "25:00");
        let jpeg = big_jpeg();
        let r = post_multipart_file(&app, &new, &bad, Some(("poster", &jpeg, "plakat.jpg"))).await;
        assert_eq!(r.status(), 200);
        let html = r.text().await.expect("html");
        for msg in [
            "Podaj tytuł wydarzenia",
            "podaj cenę",
            "Opisz plakat dla osób niewidomych",
            "Podaj godzinę rozpoczęcia, np. 18:00.",
        ] {
            assert!(html.contains(msg), "error shown: {msg}");
        }
        assert!(
            html.contains("href=\"#title\""),
            "error summary links to the field"
        );
        assert!(html.contains("Przystań przy ul. Rzecznej 4"), "input kept");
        let kept =
            extract_between(&html, "name=\"poster_key\" value=\"", "\"").expect("poster key field");
        assert!(
            kept.starts_with("posters/"),
            "the uploaded poster is kept: {kept}"
        );
        assert_eq!(
            app.tp.scalar_i64("SELECT COUNT(*) FROM events").await,
            events_before,
            "nothing written"
        );
        assert_eq!(app.tp.scalar_i64("SELECT COUNT(*) FROM revisions").await, 0);
        // The poster was checked, scaled to 1200 px and re-encoded.
        let r = app.get(&format!("/pliki/{kept}")).await;
        assert_eq!(r.headers()["content-type"], "image/jpeg");
        let img = image::load_from_memory(&r.bytes().await.expect("bytes")).expect("decodes");
        assert_eq!((img.width(), img.height()), (1200, 600));
        // Something that is not an image is refused by its content.
        let r = post_multipart_file(
            &app,
            &new,
            &event_fields(&day),
            Some(("poster", b"%PDF-1.4 plakat", "plakat.png")),
        )
        .await;
        assert!(r.text().await.expect("t").contains("Plik musi być obrazem"));

        // A draft: saved, not in the queue, not public.
        let mut draft = event_fields(&day);
        draft.push(("poster_key", kept.clone()));
        draft.push(("action", "draft".into()));
        let r = post_multipart_file(&app, &new, &draft, None).await;
        assert_eq!(
            location(&r),
            format!("/panel/organizacje/{}/wydarzenia", org.id),
            "saved"
        );
        let ev = event::Entity::find()
            .filter(event::Column::CreatedBy.eq(ngo))
            .one(db)
            .await
            .expect("q")
            .expect("event row");
        assert_eq!(ev.status.as_str(), "draft");
        assert_eq!(
            ev.registration_url.as_deref(),
            Some("https://zapisy.example.org/wodowanie"),
            "URL normalised"
        );
        assert_eq!(ev.poster_key.as_deref(), Some(kept.as_str()));
        assert_eq!(
            app.tp.scalar_i64("SELECT COUNT(*) FROM revisions").await,
            0,
            "a draft is not in the queue"
        );
        let (_, cal) = app.get_text("/kalendarz").await;
        assert!(!cal.contains("Wodowanie łodzi"), "a draft is not public");
        assert_eq!(
            app.get(&format!("/kalendarz/{}", ev.slug)).await.status(),
            404
        );

        // Submitted from the edit form: pending, in the queue, moderators told.
        let edit = format!("/panel/organizacje/{}/wydarzenia/{}", org.id, ev.id);
        let (_, html) = app.get_text(&edit).await;
        assert!(
            html.contains("Wodowanie łodzi „Źródło” nad Wierzbinką"),
            "the draft comes back"
        );
        let mut submit = event_fields(&day);
        submit.push(("poster_key", kept.clone()));
        submit.push(("action", "submit".into()));
        let r = post_multipart_file(&app, &edit, &submit, None).await;
        assert_eq!(r.status(), 303);
        let ev = event::Entity::find_by_id(ev.id)
            .one(db)
            .await
            .expect("q")
            .expect("row");
        assert_eq!(ev.status.as_str(), "pending");
        run_jobs(&app).await;
        assert!(
            last_subject_to(&app, "moderator@example.pl").contains("Wodowanie"),
            "moderators are told"
        );

        // The moderator sees it in the queue with the diff and the poster, approves it.
        sign_out(&app).await;
        staff_sign_in(
            &app,
            "moderator@example.pl",
            "hasło moderatora 2026",
            mod_id,
        )
        .await;
        let (_, html) = app.get_text("/panel/moderacja").await;
        assert!(
            html.contains("Wodowanie łodzi") && html.contains("Nowe wydarzenie"),
            "in the queue"
        );
        let rev = revision::Entity::find()
            .filter(revision::Column::SubjectType.eq("event"))
            .filter(revision::Column::SubjectId.eq(ev.id))
            .filter(revision::Column::Status.eq("pending"))
            .one(db)
            .await
            .expect("q")
            .expect("pending revision");
        let item = format!("/panel/moderacja/{}", rev.id);
        let (_, html) = app.get_text(&item).await;
        assert!(
            html.contains("<ins>Wodowanie łodzi „Źródło” nad Wierzbinką</ins>"),
            "diff"
        );
        assert!(
            html.contains(&format!("/pliki/{kept}")),
            "poster shown to the moderator"
        );
        let r = post_form(
            &app,
            &item,
            &item,
            &[("decision", "approve"), ("comment", "")],
        )
        .await;
        assert_eq!(location(&r), "/panel/moderacja");
        run_jobs(&app).await;
        assert!(
            mail_text_to(&app, "ngo@example.pl")
                .contains("zostało zatwierdzone i jest widoczne w kalendarzu")
        );
        assert!(last_subject_to(&app, "ngo@example.pl").contains("Wodowanie"));
        let ev = event::Entity::find_by_id(ev.id)
            .one(db)
            .await
            .expect("q")
            .expect("row");
        assert_eq!((ev.status.as_str(), ev.version), ("published", 1));
        assert!(ev.published_at.is_some());
        let local = ev.starts_at.with_timezone(&wspolnie_core::time::TZ);
        assert_eq!(
            local.format("%Y-%m-%d %H:%M").to_string(),
            format!("{day} 16:00"),
            "stored in UTC, Warsaw wall-clock kept"
        );

        // Public: calendar, event page with the poster and its alt text, organisation page, home page.
        sign_out(&app).await;
        let (_, cal) = app.get_text("/kalendarz?strona=1").await;
        let mut found = cal.contains(&format!("/kalendarz/{}", ev.slug));
        for page in 2..=6 {
            if found {
                break;
            }
            found = app
                .get_text(&format!("/kalendarz?strona={page}"))
                .await
                .1
                .contains(&format!("/kalendarz/{}", ev.slug));
        }
        assert!(found, "listed in the calendar");
        let (status, html) = app.get_text(&format!("/kalendarz/{}", ev.slug)).await;
        assert_eq!(status, 200);
        assert!(
            html.contains("alt=\"Plakat: łódka na rzece, napis Wodowanie, sobota 16:00\""),
            "poster with alt text"
        );
        assert!(
            html.contains("<strong>Wstęp wolny</strong>"),
            "Markdown rendered"
        );
        let (_, html) = app.get_text(&format!("/organizacje/{}", org.slug)).await;
        assert!(
            html.contains(&format!("/kalendarz/{}", ev.slug)),
            "on the organisation's page"
        );

        // A later change waits for moderation; the public page keeps the approved title.
        sign_in(&app, "ngo@example.pl", "hasło wolontariuszki").await;
        let mut change = with(event_fields(&day), "title", "Wodowanie łodzi – nowy termin");
        change.push(("poster_key", kept.clone()));
        let r = post_multipart_file(&app, &edit, &change, None).await;
        assert_eq!(r.status(), 303);
        let (_, html) = app.get_text(&format!("/kalendarz/{}", ev.slug)).await;
        assert!(
            html.contains("Wodowanie łodzi „Źródło”") && !html.contains("nowy termin"),
            "approved version stays public"
        );
        let (_, html) = app
            .get_text(&format!("/panel/organizacje/{}/wydarzenia", org.id))
            .await;
        assert!(html.contains("Zmiana czeka na moderację"));
        let pending = revision::Entity::find()
            .filter(revision::Column::SubjectType.eq("event"))
            .filter(revision::Column::Status.eq("pending"))
            .one(db)
            .await
            .expect("q")
            .expect("change pending");
        assert_eq!((pending.kind.as_str(), pending.number), ("update", 2));
        assert!(
            pending
                .previous
                .as_deref()
                .is_some_and(|p| p.contains("Źródło")),
            "previous version kept for the diff"
        );
        run_jobs(&app).await;
        assert!(
            last_subject_to(&app, "moderator@example.pl").contains("nowy termin"),
            "moderators are told of the change"
        );

        // Another organisation's member cannot touch the event.
        sign_out(&app).await;
        make_user(&app, "obcy@example.pl", "hasło kogoś innego", None).await;
        sign_in(&app, "obcy@example.pl", "hasło kogoś innego").await;
        assert_eq!(app.get(&edit).await.status(), 403);
        let r = post_multipart_file(&app, &edit, &change, None).await;
        assert_eq!(r.status(), 403);
        app.tp.assert_no_pending_jobs().await;
    })
    .await;
}

#[tokio::test]
async fn event_rules_past_dst_gap_recurrence_and_rejection() {
    each_backend("event rules", |b| async move {
        let app = TestApp::new(b).await;
        let db = &app.tp.platform.db.conn;
        let (org, ngo) = ngo_member(&app, "editor").await;
        let mod_id = make_user(
            &app,
            "moderator@example.pl",
            "hasło moderatora 2026",
            Some(&[("official", "moderation")]),
        )
        .await;
        sign_in(&app, "ngo@example.pl", "hasło wolontariuszki").await;
        let new = format!("/panel/organizacje/{}/wydarzenia/nowe", org.id);

        // In the past.
        let r = post_multipart_file(
            &app,
            &new,
            &with(event_fields("2020-05-05"), "poster_alt", ""),
            None,
        )
        .await;
        assert!(
            r.text()
                .await
                .expect("t")
                .contains("To wydarzenie już się odbyło")
        );
        // The spring DST gap: 02:30 on the last Sunday of March does not exist in Warsaw.
        let year = Utc::now().year() + 1;
        let last_sunday = (25..=31)
            .rev()
            .map(|d| chrono::NaiveDate::from_ymd_opt(year, 3, d).expect("date"))
            .find(|d| d.weekday() == chrono::Weekday::Sun)
            .expect("sunday");
        let gap = with(
            with(
                with(
                    event_fields(&last_sunday.to_string()),
                    "start_time",
                    "02:30",
                ),
                "end_time",
                "04:00",
            ),
            "poster_alt",
            "",
        );
        let r = post_multipart_file(&app, &new, &gap, None).await;
        assert!(r.text().await.expect("t").contains("zmiana czasu na letni"));
        // A weekly series: stored with its rule and the end of its last meeting.
        let start = (Utc::now() + Duration::days(3))
            .with_timezone(&wspolnie_core::time::TZ)
            .date_naive();
        let until = start + Duration::days(28);
        let weekly = with(
            with(
                with(event_fields(&start.to_string()), "repeat", "weekly"),
                "repeat_until",
                &until.to_string(),
            ),
            "poster_alt",
            "",
        );
        let r = post_multipart_file(&app, &new, &weekly, None).await;
        assert_eq!(r.status(), 303, "weekly series accepted");
        let ev = event::Entity::find()
            .filter(event::Column::CreatedBy.eq(ngo))
            .one(db)
            .await
            .expect("q")
            .expect("row");
        assert_eq!(
            ev.rrule.as_deref(),
            Some(format!("FREQ=WEEKLY;INTERVAL=1;UNTIL={}", until.format("%Y%m%d")).as_str())
        );
        assert_eq!(
            ev.last_ends_at,
            Some(ev.ends_at + Duration::days(28)),
            "five meetings, the last four weeks later"
        );

        // Sent back for changes: the NGO sees the comment, the event stays private.
        sign_out(&app).await;
        staff_sign_in(
            &app,
            "moderator@example.pl",
            "hasło moderatora 2026",
            mod_id,
        )
        .await;
        let rev = revision::Entity::find()
            .filter(revision::Column::SubjectId.eq(ev.id))
            .filter(revision::Column::SubjectType.eq("event"))
            .one(db)
            .await
            .expect("q")
            .expect("rev");
        let item = format!("/panel/moderacja/{}", rev.id);
        let r = post_form(
            &app,
            &item,
            &item,
            &[
                ("decision", "changes"),
                ("comment", "Proszę dodać adres przystani."),
            ],
        )
        .await;
        assert_eq!(location(&r), "/panel/moderacja");
        run_jobs(&app).await;
        assert!(mail_text_to(&app, "ngo@example.pl").contains("Proszę dodać adres przystani."));
        let ev = event::Entity::find_by_id(ev.id)
            .one(db)
            .await
            .expect("q")
            .expect("row");
        assert_eq!(ev.status.as_str(), "changes_requested");
        assert_eq!(
            app.get(&format!("/kalendarz/{}", ev.slug)).await.status(),
            404
        );
        sign_out(&app).await;
        sign_in(&app, "ngo@example.pl", "hasło wolontariuszki").await;
        let (_, html) = app
            .get_text(&format!(
                "/panel/organizacje/{}/wydarzenia/{}",
                org.id, ev.id
            ))
            .await;
        assert!(
            html.contains("Proszę dodać adres przystani."),
            "the comment is on the form"
        );
        app.tp.assert_no_pending_jobs().await;
    })
    .await;
}

/// A weekly series that began weeks ago is listed by its next meeting, before a one-off event
/// that comes later, and is dated by that next meeting.
#[tokio::test]
async fn series_sort_by_their_next_meeting() {
    each_backend("next meeting", |b| async move {
        let app = TestApp::new(b).await;
        let db = &app.tp.platform.db.conn;
        let p = wspolnie_areas::directory::model::Profile {
            name: "Klub Szachowy Goniec".into(),
            legal_form: "stowarzyszenie".into(),
            ..Default::default()
        };
        let org_id = wspolnie_areas::directory::model::create(
            db,
            &p,
            wspolnie_areas::directory::entity::organization::Status::Published,
        )
        .await
        .expect("org");
        let org = organization::Entity::find_by_id(org_id)
            .one(db)
            .await
            .expect("q")
            .expect("org");
        // Whole seconds: PostgreSQL keeps microseconds, the comparison below is exact.
        let now = chrono::SubsecRound::trunc_subsecs(Utc::now(), 0);
        let insert = |slug: &'static str,
                      title: &'static str,
                      start: chrono::DateTime<Utc>,
                      rrule: Option<String>,
                      last_end: chrono::DateTime<Utc>| {
            event::Entity::insert(event::ActiveModel {
                slug: Set(slug.into()),
                title: Set(title.into()),
                description_md: Set("Opis.".into()),
                starts_at: Set(start),
                ends_at: Set(start + Duration::hours(2)),
                tz: Set("Europe/Warsaw".into()),
                place: Set(Some("Biblioteka".into())),
                organization_id: Set(Some(org_id)),
                is_free: Set(true),
                status: Set(wspolnie_areas::moderation::lifecycle::Publication::Published),
                search_text: Set(" opis ".into()),
                created_at: Set(now),
                updated_at: Set(now),
                category: Set("spotkanie".into()),
                poster_alt: Set(String::new()),
                price_info: Set(String::new()),
                rrule: Set(rrule),
                last_ends_at: Set(Some(last_end)),
                version: Set(0),
                ..Default::default()
            })
            .exec(db)
        };
        let series_start = now - Duration::days(42) + Duration::hours(30);
        let until = (now + Duration::days(60))
            .with_timezone(&wspolnie_core::time::TZ)
            .date_naive();
        let rule = wspolnie_core::recurrence::Recurrence {
            freq: wspolnie_core::recurrence::Freq::Weekly,
            interval: 1,
            until,
        };
        let last = wspolnie_core::recurrence::last_end(
            series_start,
            series_start + Duration::hours(2),
            Some(&rule),
        );
        insert(
            "turniej-jednorazowy",
            "Turniej jednorazowy",
            now + Duration::days(10),
            None,
            now + Duration::days(10) + Duration::hours(2),
        )
        .await
        .expect("one-off");
        insert(
            "trening-co-tydzien",
            "Trening co tydzień",
            series_start,
            Some(rule.to_stored()),
            last,
        )
        .await
        .expect("series");
        let (_, html) = app.get_text(&format!("/organizacje/{}", org.slug)).await;
        let series = html
            .find("/kalendarz/trening-co-tydzien")
            .expect("series listed");
        let one_off = html
            .find("/kalendarz/turniej-jednorazowy")
            .expect("one-off listed");
        assert!(
            series < one_off,
            "the series' next meeting (within a week) comes first"
        );
        let next = wspolnie_core::recurrence::occurrences(
            series_start,
            series_start + Duration::hours(2),
            Some(&rule),
        )
        .into_iter()
        .find(|(_, e)| *e >= now)
        .expect("next");
        let iso = next.0.with_timezone(&wspolnie_core::time::TZ).to_rfc3339();
        assert!(html.contains(&iso), "dated by the next meeting ({iso})");
    })
    .await;
}
