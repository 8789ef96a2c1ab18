//! The public calendar: month/week/list views with filters, the event page and the iCalendar
//! files, checked with an independent parser (the `ical` crate).

use crate::common::TestApp;
use crate::common::each_backend;
use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, Utc};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use wspolnie_areas::calendar::entity::event;
use wspolnie_areas::calendar::entity::event_sphere;
use wspolnie_areas::directory::entity::organization;
use wspolnie_areas::moderation::lifecycle::Publication;
use wspolnie_core::recurrence::{Freq, Recurrence, last_end};
use wspolnie_core::time::local_to_utc;
use wspolnie_platform::entity::sphere;

fn warsaw(s: &str) -> DateTime<Utc> {
    local_to_utc(NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").expect("date")).expect("exists")
}

struct NewEvent<'a> {
    slug: &'a str,
    title: &'a str,
    start: DateTime<Utc>,
    hours: i64,
    org: Option<i64>,
    status: &'a str,
    category: &'a str,
    free: bool,
    rule: Option<Recurrence>,
    sphere: Option<i64>,
}

impl<'a> NewEvent<'a> {
    fn new(slug: &'a str, title: &'a str, start: DateTime<Utc>) -> Self {
        NewEvent {
            slug,
            title,
            start,
            hours: 2,
            org: None,
            status: "published",
            category: "spotkanie",
            free: true,
            rule: None,
            sphere: None,
        }
    }
}

async fn insert(app: &TestApp, e: NewEvent<'_>) -> i64 {
    let db = &app.tp.platform.db.conn;
    let end = e.start + Duration::hours(e.hours);
    let now = Utc::now();
    let id = event::Entity::insert(event::ActiveModel {
        slug: Set(e.slug.into()),
        title: Set(e.title.into()),
        description_md: Set("Opis **wydarzenia**; z przecinkami, średnikami\ni nową linią.".into()),
        starts_at: Set(e.start),
        ends_at: Set(end),
        tz: Set("Europe/Warsaw".into()),
        place: Set(Some("Sala nr 5, ul. Długa 1; piętro II".into())),
        online_url: Set(None),
        organization_id: Set(e.org),
        is_free: Set(e.free),
        status: Set(Publication::parse(e.status).expect("a publication status")),
        search_text: Set(" test ".into()),
        created_at: Set(now),
        updated_at: Set(now),
        category: Set(e.category.into()),
        poster_key: Set(None),
        poster_alt: Set(String::new()),
        registration_url: Set(Some("https://zapisy.example.org/x".into())),
        price_info: Set(if e.free {
            String::new()
        } else {
            "20 zł".into()
        }),
        rrule: Set(e.rule.map(|r| r.to_stored())),
        last_ends_at: Set(Some(last_end(e.start, end, e.rule.as_ref()))),
        created_by: Set(None),
        version: Set(1),
        published_at: Set(Some(now)),
        ..Default::default()
    })
    .exec(db)
    .await
    .expect("insert event")
    .last_insert_id;
    if let Some(sid) = e.sphere {
        event_sphere::Entity::insert(event_sphere::ActiveModel {
            event_id: Set(id),
            sphere_id: Set(sid),
        })
        .exec_without_returning(db)
        .await
        .expect("sphere link");
    }
    id
}

async fn orgs(app: &TestApp) -> Vec<organization::Model> {
    organization::Entity::find()
        .filter(organization::Column::Status.eq("published"))
        .order_by_asc(organization::Column::Id)
        .all(&app.tp.platform.db.conn)
        .await
        .expect("orgs")
}

/// The `<td>` of a day in the month grid.
fn day_cell<'h>(html: &'h str, iso: &str) -> &'h str {
    let marker = format!("<time class=\"cal-day\" datetime=\"{iso}\">");
    let i = html
        .find(&marker)
        .unwrap_or_else(|| panic!("no cell for {iso}"));
    let start = html[..i].rfind("<td").expect("td start");
    let end = html[i..].find("</td>").expect("td end") + i;
    &html[start..end]
}

#[tokio::test]
async fn month_view_places_occurrences_on_warsaw_days() {
    each_backend("calendar_month", |backend| async move {
        let app = TestApp::new(backend).await;
        // 23:30 in Warsaw on 14 January is 22:30 UTC the same day; 00:30 on 16 January is
        // 23:30 UTC on the 15th: it belongs to the 16th.
        insert(
            &app,
            NewEvent::new(
                "poznym-wieczorem",
                "Późny wieczór",
                warsaw("2030-01-14 23:30"),
            ),
        )
        .await;
        insert(
            &app,
            NewEvent::new("po-polnocy", "Tuż po północy", warsaw("2030-01-16 00:30")),
        )
        .await;
        insert(
            &app,
            NewEvent::new("w-lutym", "Lutowe spotkanie", warsaw("2030-02-01 10:00")),
        )
        .await;
        insert(
            &app,
            NewEvent {
                status: "pending",
                ..NewEvent::new("czeka", "Oczekujące wydarzenie", warsaw("2030-01-10 10:00"))
            },
        )
        .await;
        insert(
            &app,
            NewEvent {
                status: "draft",
                ..NewEvent::new("szkic", "Szkic wydarzenia", warsaw("2030-01-11 10:00"))
            },
        )
        .await;
        // Weekly on Mondays from 31 December 2029.
        let rule = Recurrence {
            freq: Freq::Weekly,
            interval: 1,
            until: NaiveDate::from_ymd_opt(2030, 3, 31).expect("date"),
        };
        insert(
            &app,
            NewEvent {
                rule: Some(rule),
                ..NewEvent::new(
                    "dyzur-test",
                    "Dyżur doradczy testowy",
                    warsaw("2029-12-31 18:00"),
                )
            },
        )
        .await;

        let (status, html) = app
            .get_text("/kalendarz?widok=miesiac&miesiac=2030-01")
            .await;
        assert_eq!(status, 200);
        assert!(html.contains("<caption>styczeń 2030</caption>"), "caption");
        assert!(html.contains("<th scope=\"col\""), "column headers");
        assert!(html.contains("poniedziałek"));
        let c14 = day_cell(&html, "2030-01-14");
        assert!(
            c14.contains("Późny wieczór") && c14.contains(">23:30</time>"),
            "{c14}"
        );
        assert!(!day_cell(&html, "2030-01-15").contains("Tuż po północy"));
        let c16 = day_cell(&html, "2030-01-16");
        assert!(
            c16.contains("Tuż po północy") && c16.contains(">00:30</time>"),
            "{c16}"
        );
        assert!(
            !html.contains("Lutowe spotkanie"),
            "February event in January"
        );
        assert!(!html.contains("Oczekujące wydarzenie") && !html.contains("Szkic wydarzenia"));
        for monday in ["2030-01-07", "2030-01-14", "2030-01-21", "2030-01-28"] {
            let c = day_cell(&html, monday);
            assert!(
                c.contains("Dyżur doradczy testowy") && c.contains(">18:00</time>"),
                "{monday}: {c}"
            );
        }
        // 31 December 2029 is in the grid (other month, muted) but its occurrence is not shown.
        let dec = day_cell(&html, "2029-12-31");
        assert!(dec.contains("cal-out") && !dec.contains("Dyżur"), "{dec}");
        assert!(!day_cell(&html, "2030-01-08").contains("Dyżur"));
        assert!(
            html.contains("miesiac=2029-12") && html.contains("miesiac=2030-02"),
            "prev/next"
        );

        // February: the weekly event again, on Mondays; the February event on the 1st.
        let (_, feb) = app
            .get_text("/kalendarz?widok=miesiac&miesiac=2030-02")
            .await;
        assert!(day_cell(&feb, "2030-02-01").contains("Lutowe spotkanie"));
        assert!(day_cell(&feb, "2030-02-25").contains("Dyżur doradczy testowy"));

        // Today is marked.
        let (_, now_html) = app.get_text("/kalendarz?widok=miesiac").await;
        assert!(now_html.contains("aria-current=\"date\""));

        // Week view: seven day headings, the weekly event on Monday; a non-Monday start snaps.
        let (status, week) = app.get_text("/kalendarz?widok=tydzien&od=2030-01-16").await;
        assert_eq!(status, 200);
        assert_eq!(week.matches("<h2 id=\"d-").count(), 7);
        assert!(week.contains("id=\"d-2030-01-14\"") && week.contains("id=\"d-2030-01-20\""));
        assert!(week.contains("Dyżur doradczy testowy") && week.contains("Tuż po północy"));
        assert!(
            week.contains("od=2030-01-07") && week.contains("od=2030-01-21"),
            "prev/next week"
        );

        // The event page describes the recurrence.
        let (status, page) = app.get_text("/kalendarz/dyzur-test").await;
        assert_eq!(status, 200);
        assert!(
            page.contains("co tydzień do 31 marca 2030"),
            "recurrence in words"
        );
        assert!(page.contains("/kalendarz/dyzur-test/wydarzenie.ics"));
        for hidden in ["czeka", "szkic"] {
            assert_eq!(app.get(&format!("/kalendarz/{hidden}")).await.status(), 404);
            assert_eq!(
                app.get(&format!("/kalendarz/{hidden}/wydarzenie.ics"))
                    .await
                    .status(),
                404
            );
        }
    })
    .await;
}

#[tokio::test]
async fn invalid_parameters_fall_back() {
    each_backend("calendar_invalid", |backend| async move {
        let app = TestApp::new(backend).await;
        for path in [
            "/kalendarz?widok=miesiac&miesiac=2027-13",
            "/kalendarz?widok=miesiac&miesiac=abc",
            "/kalendarz?widok=tydzien&od=bzdura",
            "/kalendarz?widok=cokolwiek&strona=xyz",
            "/kalendarz?strona=99999",
            "/kalendarz?sfera=zz&organizacja=nie-ma&kategoria=%3Cb%3E&bezplatne=tak",
            "/kalendarz?sfera=1&sfera=2",
            "/kalendarz.ics?kategoria=nie-ma&organizacja=%00",
        ] {
            let (status, body) = app.get_text(path).await;
            assert_eq!(status, 200, "{path}");
            assert!(!body.contains("<b>"), "{path}");
        }
        let (_, html) = app
            .get_text("/kalendarz?widok=miesiac&miesiac=2027-13")
            .await;
        assert!(
            html.contains("<caption>"),
            "falls back to the current month"
        );
        assert_eq!(
            app.get("/organizacje/nie-ma-takiej/kalendarz.ics")
                .await
                .status(),
            404
        );
    })
    .await;
}

#[tokio::test]
async fn filters_narrow_the_list_and_the_feed() {
    each_backend("calendar_filters", |backend| async move {
        let app = TestApp::new(backend).await;
        let db = &app.tp.platform.db.conn;
        let orgs = orgs(&app).await;
        let (a, b) = (&orgs[0], &orgs[1]);
        let spheres = sphere::Entity::find()
            .filter(sphere::Column::ValidTo.is_null())
            .order_by_asc(sphere::Column::Position)
            .all(db)
            .await
            .expect("spheres");
        let (s1, s2) = (&spheres[0], &spheres[1]);
        let soon = Utc::now() + Duration::days(2);
        insert(
            &app,
            NewEvent {
                org: Some(a.id),
                category: "koncert",
                free: false,
                sphere: Some(s1.id),
                ..NewEvent::new("koncert-zolwi", "Koncert żółwi", soon)
            },
        )
        .await;
        insert(
            &app,
            NewEvent {
                org: Some(b.id),
                category: "warsztaty",
                free: true,
                sphere: Some(s2.id),
                ..NewEvent::new("warsztaty-ges", "Warsztaty gęsi", soon + Duration::hours(1))
            },
        )
        .await;
        insert(
            &app,
            NewEvent {
                org: Some(a.id),
                status: "pending",
                ..NewEvent::new("ukryte-oczekujace", "Ukryte oczekujące", soon)
            },
        )
        .await;

        let list = |q: String| {
            let app = &app;
            async move {
                let (s, html) = app.get_text(&format!("/kalendarz?{q}")).await;
                assert_eq!(s, 200, "{q}");
                let (_, ics) = app.get_text(&format!("/kalendarz.ics?{q}")).await;
                (html, ics)
            }
        };
        let (html, ics) = list(String::new()).await;
        for t in ["Koncert żółwi", "Warsztaty gęsi"] {
            assert!(html.contains(t) && ics.contains(t), "{t} unfiltered");
        }
        assert!(!html.contains("Ukryte oczekujące") && !ics.contains("Ukryte oczekujące"));
        let cases = [
            (
                format!("organizacja={}", a.slug),
                "Koncert żółwi",
                "Warsztaty gęsi",
            ),
            (
                "kategoria=warsztaty".to_owned(),
                "Warsztaty gęsi",
                "Koncert żółwi",
            ),
            ("bezplatne=1".to_owned(), "Warsztaty gęsi", "Koncert żółwi"),
            (
                format!("sfera={}", s1.code),
                "Koncert żółwi",
                "Warsztaty gęsi",
            ),
        ];
        for (q, yes, no) in &cases {
            let (html, ics) = list(q.clone()).await;
            assert!(
                html.contains(yes) && ics.contains(yes),
                "{q}: {yes} missing"
            );
            assert!(!html.contains(no) && !ics.contains(no), "{q}: {no} shown");
            // The filters survive a view switch and are in the subscribe link.
            assert!(html.contains(&format!("/kalendarz.ics?{q}")), "{q}");
            assert!(
                html.contains(&format!("widok=miesiac&#38;{q}")),
                "{q}: view link"
            );
        }
        // The organisation feed and its link on the organisation page.
        let (status, org_ics) = app
            .get_text(&format!("/organizacje/{}/kalendarz.ics", a.slug))
            .await;
        assert_eq!(status, 200);
        assert!(org_ics.contains("Koncert żółwi") && !org_ics.contains("Warsztaty gęsi"));
        assert!(!org_ics.contains("Ukryte oczekujące"));
        let (_, org_page) = app.get_text(&format!("/organizacje/{}", a.slug)).await;
        assert!(org_page.contains(&format!("/organizacje/{}/kalendarz.ics", a.slug)));
        // The event page: organiser, category, price, registration.
        let (_, page) = app.get_text("/kalendarz/koncert-zolwi").await;
        assert!(page.contains(&format!("/organizacje/{}", a.slug)));
        assert!(
            page.contains("Koncert")
                && page.contains("20 zł")
                && page.contains("https://zapisy.example.org/x")
        );
    })
    .await;
}

fn props(
    ev: &ical::parser::ical::component::IcalEvent,
    name: &str,
) -> Vec<ical::property::Property> {
    ev.properties
        .iter()
        .filter(|p| p.name == name)
        .cloned()
        .collect()
}

fn value(ev: &ical::parser::ical::component::IcalEvent, name: &str) -> String {
    props(ev, name)
        .first()
        .and_then(|p| p.value.clone())
        .unwrap_or_else(|| panic!("no {name}"))
}

fn assert_physical_lines(body: &str) {
    assert!(body.ends_with("\r\n"), "last line without CRLF");
    for line in body.split_inclusive('\n') {
        assert!(line.ends_with("\r\n"), "line without CRLF: {line:?}");
        let content = line.trim_end_matches("\r\n");
        assert!(!content.contains('\r'), "stray CR: {line:?}");
        assert!(content.len() <= 75, "{} octets: {content:?}", content.len());
    }
}

fn parse(body: &str) -> ical::parser::ical::component::IcalCalendar {
    let mut parser = ical::IcalParser::new(std::io::BufReader::new(body.as_bytes()));
    let cal = parser
        .next()
        .expect("one calendar")
        .expect("valid iCalendar");
    assert!(parser.next().is_none(), "exactly one calendar");
    cal
}

#[tokio::test]
async fn icalendar_files_are_valid() {
    each_backend("calendar_ics", |backend| async move {
        let app = TestApp::new(backend).await;
        let long_title = "Zażółć gęślą jaźń – spotkanie, warsztaty; i dyskusja o przyszłości \\ naszej dzielnicy Śródmieście";
        let rule = Recurrence {
            freq: Freq::Weekly,
            interval: 2,
            until: NaiveDate::from_ymd_opt(2030, 6, 30).expect("date"),
        };
        let id = insert(
            &app,
            NewEvent {
                rule: Some(rule),
                ..NewEvent::new("zazolc", long_title, warsaw("2030-03-18 18:00"))
            },
        )
        .await;
        let single = app.get("/kalendarz/zazolc/wydarzenie.ics").await;
        assert_eq!(single.status(), 200);
        let ct = single.headers()["content-type"].to_str().expect("ct").to_owned();
        assert_eq!(ct, "text/calendar; charset=utf-8");
        let cd = single.headers()["content-disposition"].to_str().expect("cd").to_owned();
        assert!(cd.starts_with("attachment"), "{cd}");
        let body = single.text().await.expect("body");
        assert_physical_lines(&body);
        let cal = parse(&body);
        let method = cal.properties.iter().find(|p| p.name == "METHOD").and_then(|p| p.value.clone());
        assert_eq!(method.as_deref(), Some("PUBLISH"));
        assert_eq!(cal.timezones.len(), 1, "one VTIMEZONE");
        let tz = &cal.timezones[0];
        assert!(tz.properties.iter().any(|p| p.name == "TZID" && p.value.as_deref() == Some("Europe/Warsaw")));
        assert_eq!(tz.transitions.len(), 2, "CET and CEST");
        assert_eq!(cal.events.len(), 1);
        let ev = &cal.events[0];
        // The parser unfolds lines; TEXT escapes stay as written.
        let summary = value(ev, "SUMMARY");
        let unescaped = summary
            .replace("\\\\", "\u{0}")
            .replace("\\,", ",")
            .replace("\\;", ";")
            .replace('\u{0}', "\\");
        assert_eq!(unescaped, long_title);
        let dtstart = &props(ev, "DTSTART")[0];
        let params = dtstart.params.clone().unwrap_or_default();
        assert!(
            params.iter().any(|(k, v)| k == "TZID" && v == &vec!["Europe/Warsaw".to_owned()]),
            "{params:?}"
        );
        assert_eq!(dtstart.value.as_deref(), Some("20300318T180000"));
        assert_eq!(value(ev, "DTEND"), "20300318T200000");
        assert_eq!(value(ev, "RRULE"), "FREQ=WEEKLY;INTERVAL=2;UNTIL=20300630T215959Z");
        let host = url::Url::parse(&app.base).expect("base").host_str().expect("host").to_owned();
        let uid = value(ev, "UID");
        assert_eq!(uid, format!("event-{id}@{host}"));
        assert_eq!(value(ev, "URL"), format!("{}/kalendarz/zazolc", app.base));
        assert!(value(ev, "LOCATION").contains("ul. Długa 1\\; piętro II"));
        assert!(value(ev, "DESCRIPTION").contains("\\n"), "newlines escaped");
        assert!(!value(ev, "DESCRIPTION").contains("**"), "plain text, not Markdown");
        assert_eq!(value(ev, "CATEGORIES"), "Spotkanie");
        assert!(value(ev, "DTSTAMP").ends_with('Z'));

        // A second request gives the same UID; the feed has it too, with a calendar name.
        let (_, again) = app.get_text("/kalendarz/zazolc/wydarzenie.ics").await;
        assert_eq!(value(&parse(&again).events[0], "UID"), uid);
        let feed = app.get("/kalendarz.ics").await;
        assert_eq!(feed.status(), 200);
        assert!(feed.headers()["content-type"].to_str().expect("ct").starts_with("text/calendar"));
        let feed = feed.text().await.expect("feed");
        assert_physical_lines(&feed);
        let fcal = parse(&feed);
        assert!(fcal.properties.iter().any(|p| p.name == "X-WR-CALNAME"));
        assert!(fcal.events.len() > 1, "demo events in the feed");
        let mine: Vec<_> = fcal.events.iter().filter(|e| value(e, "UID") == uid).collect();
        assert_eq!(mine.len(), 1);
        assert!(props(mine[0], "RRULE").len() == 1);
        for e in &fcal.events {
            assert!(props(e, "DTSTART")[0].params.is_some(), "DTSTART with TZID");
        }
        // Every organisation feed parses as well.
        let org = &orgs(&app).await[0];
        let (status, org_feed) = app.get_text(&format!("/organizacje/{}/kalendarz.ics", org.slug)).await;
        assert_eq!(status, 200);
        assert_physical_lines(&org_feed);
        parse(&org_feed);
    })
    .await;
}
