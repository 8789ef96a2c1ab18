//! Meetings (issue 6, point 5): the official's form and invitations over HTTP, the iCalendar
//! REQUEST attachment, signed answer links, capacity and waiting list (also under 200 concurrent
//! answers), the minimum notice with an audited reason, reminders, changes, cancellation,
//! minutes, attendance lists and the "meeting invitees" mailing audience.

use crate::accounts::location;
use crate::accounts::make_user;
use crate::accounts::staff_sign_in;
use crate::common::*;
use chrono::{Duration, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use wspolnie_areas::calendar::entity::event;
use wspolnie_areas::mailings::model as mailings;
use wspolnie_areas::mailings::model::Audience;
use wspolnie_areas::meetings::entity::meeting;
use wspolnie_areas::meetings::entity::meeting_invitation as inv;
use wspolnie_areas::meetings::model as meetings;
use wspolnie_areas::meetings::model::Answer;
use wspolnie_areas::meetings::model::AnswerError;
use wspolnie_areas::meetings::model::InviteError;
use wspolnie_areas::meetings::model::MeetingData;
use wspolnie_platform::audit::Actor;
use wspolnie_platform::entity::audit_log;

fn warsaw_day(days: i64) -> String {
    (Utc::now() + Duration::days(days))
        .with_timezone(&wspolnie_core::time::TZ)
        .date_naive()
        .to_string()
}

fn data(title: &str, days: i64, capacity: &str, custom: &[String]) -> MeetingData {
    MeetingData {
        title: title.into(),
        agenda: "1. Otwarcie\n2. Program współpracy na 2027 r.\n3. Wolne wnioski".into(),
        date: warsaw_day(days),
        start_time: "17:00".into(),
        end_time: "19:00".into(),
        place: "Urząd Miejski, sala 12".into(),
        capacity: capacity.into(),
        max_party: "2".into(),
        lang: "pl".into(),
        custom: custom.join("\n"),
        ..Default::default()
    }
}

/// Creates a meeting through the platform API (validation included).
async fn create(tp: &TestPlatform, mut d: MeetingData) -> meeting::Model {
    let (spheres, _) = wspolnie_areas::directory::model::codes(&tp.platform.db.conn)
        .await
        .expect("codes");
    let (e, v) = d.validate(&spheres, Utc::now(), 0);
    assert!(e.is_empty(), "{e:?}");
    meetings::create(
        &tp.platform.db.conn,
        &d,
        &v.expect("valid"),
        &Actor::system("test"),
    )
    .await
    .expect("create")
}

async fn invitations(tp: &TestPlatform, meeting_id: i64) -> Vec<inv::Model> {
    inv::Entity::find()
        .filter(inv::Column::MeetingId.eq(meeting_id))
        .all(&tp.platform.db.conn)
        .await
        .expect("invitations")
}

async fn invitation(tp: &TestPlatform, meeting_id: i64, email: &str) -> inv::Model {
    invitations(tp, meeting_id)
        .await
        .into_iter()
        .find(|i| i.email == email)
        .unwrap_or_else(|| panic!("no invitation for {email}"))
}

async fn reload(tp: &TestPlatform, id: i64) -> meeting::Model {
    meeting::Entity::find_by_id(id)
        .one(&tp.platform.db.conn)
        .await
        .expect("q")
        .expect("meeting")
}

fn mails_to<'a>(smtp: &'a [ReceivedMail], to: &str) -> Vec<&'a ReceivedMail> {
    smtp.iter()
        .filter(|m| m.to.iter().any(|t| t == to))
        .collect()
}

/// Text body and the text/calendar attachment of a received meeting message.
fn text_and_ics(data: &str) -> (String, Option<(String, String)>) {
    let parsed = mailparse::parse_mail(data.as_bytes()).expect("mime");
    let mut text = String::new();
    let mut ics = None;
    fn walk(p: &mailparse::ParsedMail<'_>, text: &mut String, ics: &mut Option<(String, String)>) {
        let ct = p.ctype.mimetype.clone();
        if p.subparts.is_empty() {
            if ct == "text/plain" && text.is_empty() {
                *text = p.get_body().expect("text");
            } else if ct == "text/calendar" {
                let method = p.ctype.params.get("method").cloned().unwrap_or_default();
                *ics = Some((method, p.get_body().expect("ics")));
            }
        }
        for s in &p.subparts {
            walk(s, text, ics);
        }
    }
    walk(&parsed, &mut text, &mut ics);
    (text, ics)
}

fn subject(data: &str) -> String {
    let parsed = mailparse::parse_mail(data.as_bytes()).expect("mime");
    parsed
        .headers
        .iter()
        .find(|h| h.get_key().eq_ignore_ascii_case("Subject"))
        .map(|h| h.get_value())
        .unwrap_or_default()
}

fn ical_value(ics: &str, name: &str) -> Vec<String> {
    let mut parser = ical::IcalParser::new(std::io::BufReader::new(ics.as_bytes()));
    let cal = parser.next().expect("a calendar").expect("valid iCalendar");
    let mut out = Vec::new();
    for p in &cal.properties {
        if p.name == name {
            out.push(p.value.clone().unwrap_or_default());
        }
    }
    for ev in &cal.events {
        for p in &ev.properties {
            if p.name == name {
                out.push(p.value.clone().unwrap_or_default());
            }
        }
    }
    out
}

/// The first line of the text body following `label: ` (the answer links).
fn link_after(text: &str, label: &str) -> String {
    let start = format!("{label}: ");
    text.lines()
        .find_map(|l| l.strip_prefix(&start))
        .unwrap_or_else(|| panic!("no {label} link in {text}"))
        .trim()
        .to_owned()
}

async fn post_with(
    client: &reqwest::Client,
    app: &TestApp,
    url: &str,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    let html = client
        .get(url)
        .send()
        .await
        .expect("get")
        .text()
        .await
        .expect("html");
    let token = extract_between(&html, "name=\"_csrf\" value=\"", "\"").expect("csrf");
    let action = extract_between(&html, "<form method=\"post\" action=\"/spotkania/", "\"")
        .map(|a| format!("/spotkania/{a}"))
        .expect("answer form")
        .replace("&#38;", "&")
        .replace("&#38;", "&")
        .replace("&amp;", "&");
    let mut form: Vec<(&str, &str)> = fields.to_vec();
    form.push(("_csrf", &token));
    client
        .post(app.url(&action))
        .form(&form)
        .send()
        .await
        .expect("post")
}

#[tokio::test]
async fn official_invites_organisations_answer_by_link_waitlist_minutes_and_exports() {
    each_backend("meetings::flow", |b| async move {
        let app = TestApp::new(b).await;
        let tp = &app.tp;
        let db = &tp.platform.db.conn;
        let official = make_user(
            &app,
            "spotkania@wierzbin.example",
            "hasło do spotkań 2026",
            Some(&[("official", "meetings")]),
        )
        .await;
        staff_sign_in(
            &app,
            "spotkania@wierzbin.example",
            "hasło do spotkań 2026",
            official,
        )
        .await;
        let (status, _) = app.get_text("/panel/spotkania/nowe").await;
        assert_eq!(status, 200);

        // Bad input: errors next to the fields, input kept, nothing stored.
        let bad = [
            ("title", "Ab"),
            ("agenda", "Program współpracy"),
            ("date", "2020-01-01"),
            ("start_time", "17:00"),
            ("end_time", "16:00"),
            ("place", ""),
            ("online_url", "javascript:alert(1)"),
            ("capacity", "zero"),
            ("max_party", "2"),
            ("custom", "anna@example.org"),
        ];
        let r = crate::accounts::post_form(
            &app,
            "/panel/spotkania/nowe",
            "/panel/spotkania/nowe",
            &bad,
        )
        .await;
        assert_eq!(r.status(), 200);
        let html = r.text().await.expect("html");
        for msg in [
            "Wpisz tytuł",
            "Koniec musi być później",
            "pełny adres zaczynający się od https://",
            "Liczba miejsc to liczba",
        ] {
            assert!(html.contains(msg), "missing error {msg:?}");
        }
        assert!(
            html.contains("Program współpracy") && html.contains("anna@example.org"),
            "input kept"
        );
        // Only the demo's meeting.
        assert_eq!(tp.scalar_i64("SELECT COUNT(*) FROM meetings").await, 1);

        // A good meeting 10 days ahead, 2 places, parties of up to 2.
        let date = warsaw_day(10);
        let good = [
            ("title", "Spotkanie w sprawie programu współpracy 2027"),
            (
                "agenda",
                "1. Otwarcie\n2. **Projekt programu** współpracy\n3. Wolne wnioski",
            ),
            ("date", date.as_str()),
            ("start_time", "17:00"),
            ("end_time", "19:00"),
            ("place", "Urząd Miejski, sala 12"),
            ("online_url", "https://spotkanie.example.org/abc"),
            ("capacity", "2"),
            ("max_party", "2"),
            ("lang", "pl"),
            (
                "custom",
                "anna@example.org\nbartek@example.org\ncelina@example.org",
            ),
        ];
        let r = crate::accounts::post_form(
            &app,
            "/panel/spotkania/nowe",
            "/panel/spotkania/nowe",
            &good,
        )
        .await;
        assert_eq!(r.status(), 303);
        let panel = location(&r);
        let m = meeting::Entity::find()
            .filter(meeting::Column::Title.eq("Spotkanie w sprawie programu współpracy 2027"))
            .one(db)
            .await
            .expect("q")
            .expect("meeting");
        assert_eq!(panel, format!("/panel/spotkania/{}", m.id));
        assert_eq!(m.status.as_str(), "draft");
        let (_, public) = app.get_text(&format!("/spotkania/{}", m.slug)).await;
        assert!(
            !public.contains("programu współpracy 2027"),
            "a draft is not public"
        );

        // Invitations: 10 days ahead needs no reason.
        let r =
            crate::accounts::post_form(&app, &format!("{panel}/zaproszenia"), &panel, &[]).await;
        assert_eq!(r.status(), 303, "{}", r.text().await.unwrap_or_default());
        crate::directory::run_jobs(&app).await;
        let msgs = tp.smtp.messages();
        let anna = mails_to(&msgs, "anna@example.org");
        assert_eq!(anna.len(), 1, "one invitation per address");
        assert!(subject(&anna[0].data).contains("Zaproszenie na spotkanie"));
        let (text, ics) = text_and_ics(&anna[0].data);
        let (method, ics) = ics.expect("an iCalendar attachment");
        assert_eq!(method, "REQUEST");
        assert_eq!(ical_value(&ics, "METHOD"), vec!["REQUEST"]);
        let host = url::Url::parse(&app.base)
            .expect("url")
            .host_str()
            .expect("host")
            .to_owned();
        assert_eq!(
            ical_value(&ics, "UID"),
            vec![format!("meeting-{}@{host}", m.id)]
        );
        assert_eq!(ical_value(&ics, "SEQUENCE"), vec!["0"]);
        assert_eq!(
            ical_value(&ics, "ATTENDEE"),
            vec!["mailto:anna@example.org"]
        );
        assert!(
            ical_value(&ics, "DTSTART")[0].ends_with("T170000"),
            "Warsaw wall-clock start"
        );
        assert!(text.contains("Urząd Miejski, sala 12") && text.contains("Projekt programu"));
        let yes = link_after(&text, "Będę");
        let no = link_after(&text, "Nie będę");
        assert!(yes.contains("&a=tak") && no.contains("&a=nie"));
        let m = reload(tp, m.id).await;
        assert_eq!(m.status.as_str(), "invited");
        // The meeting is public and in the calendar.
        let (_, list) = app.get_text("/spotkania").await;
        assert!(list.contains("Spotkanie w sprawie programu współpracy 2027"));
        let ev = event::Entity::find_by_id(m.event_id.expect("calendar entry"))
            .one(db)
            .await
            .expect("q")
            .expect("event");
        assert_eq!(
            (ev.category.as_str(), ev.status.as_str()),
            ("spotkanie", "published")
        );
        let (st, page) = app.get_text(&format!("/kalendarz/{}", ev.slug)).await;
        assert_eq!(st, 200);
        assert!(page.contains("Spotkanie w sprawie programu współpracy 2027"));

        // Opening a link records nothing (mail scanners follow links); the button does.
        let anon = client();
        let (page_status, page) = {
            let r = anon.get(&yes).send().await.expect("get");
            (r.status().as_u16(), r.text().await.expect("html"))
        };
        assert_eq!(page_status, 200);
        assert!(
            page.contains("value=\"tak\" checked"),
            "the choice is preselected"
        );
        assert_eq!(
            invitation(tp, m.id, "anna@example.org")
                .await
                .status
                .as_str(),
            "invited"
        );
        // A forged signature is a 404.
        let forged = yes.replace("&s=", "&s=00");
        assert_eq!(anon.get(&forged).send().await.expect("get").status(), 404);

        // Anna comes with 2 people: both places are taken.
        let r = post_with(
            &anon,
            &app,
            &yes,
            &[
                ("answer", "tak"),
                ("party", "2"),
                ("comment", "Potrzebujemy pętli indukcyjnej"),
            ],
        )
        .await;
        assert_eq!(r.status(), 303);
        let a = invitation(tp, m.id, "anna@example.org").await;
        assert_eq!((a.status.as_str(), a.party_size), ("attending", 2));
        assert_eq!(reload(tp, m.id).await.seats_taken, 2);

        // Bartek: a bad number of people is an error next to the field, the comment kept.
        let bartek_text = text_and_ics(&mails_to(&msgs, "bartek@example.org")[0].data).0;
        let bartek_yes = link_after(&bartek_text, "Będę");
        let other = client();
        let r = post_with(
            &other,
            &app,
            &bartek_yes,
            &[
                ("answer", "tak"),
                ("party", "5"),
                ("comment", "Będziemy we dwoje"),
            ],
        )
        .await;
        assert_eq!(r.status(), 200);
        let html = r.text().await.expect("html");
        assert!(html.contains("Wpisz liczbę osób od 1 do 2") && html.contains("Będziemy we dwoje"));
        assert_eq!(
            invitation(tp, m.id, "bartek@example.org")
                .await
                .status
                .as_str(),
            "invited"
        );
        // Then 1 person: no place left, so the waiting list.
        let r = post_with(
            &other,
            &app,
            &bartek_yes,
            &[("answer", "tak"), ("party", "1")],
        )
        .await;
        assert_eq!(r.status(), 303);
        assert_eq!(
            invitation(tp, m.id, "bartek@example.org")
                .await
                .status
                .as_str(),
            "waitlisted"
        );

        // Anna cancels: Bartek gets the place and an e-mail saying so.
        let r = post_with(&anon, &app, &no, &[("answer", "nie")]).await;
        assert_eq!(r.status(), 303);
        assert_eq!(
            invitation(tp, m.id, "anna@example.org")
                .await
                .status
                .as_str(),
            "declined"
        );
        assert_eq!(
            invitation(tp, m.id, "bartek@example.org")
                .await
                .status
                .as_str(),
            "attending"
        );
        assert_eq!(reload(tp, m.id).await.seats_taken, 1);
        crate::directory::run_jobs(&app).await;
        let msgs = tp.smtp.messages();
        assert!(
            mails_to(&msgs, "bartek@example.org")
                .iter()
                .any(|m| subject(&m.data).contains("Zwolniło się miejsce"))
        );

        // A member of an organisation sees the invitation in the panel and answers there.
        let celina = make_user(&app, "celina@example.org", "hasło celiny 2026", None).await;
        let member = client();
        let _ = celina;
        let page = member
            .get(app.url("/konto/logowanie"))
            .send()
            .await
            .expect("get")
            .text()
            .await
            .expect("html");
        let token = extract_between(&page, "name=\"_csrf\" value=\"", "\"").expect("csrf");
        let r = member
            .post(app.url("/konto/logowanie"))
            .form(&[
                ("email", "celina@example.org"),
                ("password", "hasło celiny 2026"),
                ("_csrf", token.as_str()),
            ])
            .send()
            .await
            .expect("sign in");
        assert_eq!(r.status(), 303);
        let mine = member
            .get(app.url("/panel/moje-spotkania"))
            .send()
            .await
            .expect("get")
            .text()
            .await
            .expect("html");
        assert!(mine.contains("Spotkanie w sprawie programu współpracy 2027"));
        let link = extract_between(&mine, "<a href=\"/spotkania/", "\"")
            .expect("answer link")
            .replace("&#38;", "&")
            .replace("&#38;", "&")
            .replace("&amp;", "&");
        let r = post_with(
            &member,
            &app,
            &app.url(&format!("/spotkania/{link}")),
            &[("answer", "tak"), ("party", "1")],
        )
        .await;
        assert_eq!(r.status(), 303);
        assert_eq!(
            invitation(tp, m.id, "celina@example.org")
                .await
                .status
                .as_str(),
            "attending"
        );

        // The panel shows answers; CSV and PDF attendance lists.
        let (_, detail) = app.get_text(&panel).await;
        assert!(
            detail.contains("<th scope=\"row\">anna@example.org</th>")
                && detail.contains("<td>nie będzie</td>")
        );
        let csv = app.get(&format!("{panel}/lista.csv")).await;
        assert_eq!(csv.headers()["content-type"], "text/csv; charset=utf-8");
        let csv = csv.text().await.expect("csv");
        assert!(csv.starts_with('\u{feff}'));
        let lines: Vec<&str> = csv.trim_start_matches('\u{feff}').lines().collect();
        assert_eq!(lines.len(), 4, "header + 3 invitations: {csv}");
        assert!(
            lines[1].starts_with("bartek@example.org;")
                || lines[1].starts_with("celina@example.org;"),
            "attending first: {csv}"
        );
        assert!(lines[3].starts_with("anna@example.org;") && lines[3].contains("nie będzie"));
        let pdf = app.get(&format!("{panel}/lista.pdf")).await;
        assert_eq!(pdf.status(), 200);
        assert_eq!(pdf.headers()["content-type"], "application/pdf");
        let bytes = pdf.bytes().await.expect("pdf");
        assert!(bytes.starts_with(b"%PDF-"), "a PDF");

        // Minutes: published on the page and sent once to the attendees.
        let r = crate::accounts::post_form(
            &app,
            &format!("{panel}/protokol"),
            &panel,
            &[("minutes", ""), ("action", "opublikuj")],
        )
        .await;
        assert_eq!(r.status(), 200, "empty minutes are refused");
        assert!(
            r.text()
                .await
                .expect("html")
                .contains("Wpisz treść protokołu")
        );
        let r = crate::accounts::post_form(
            &app,
            &format!("{panel}/protokol"),
            &panel,
            &[
                ("minutes", "Ustalono **harmonogram** konsultacji."),
                ("action", "opublikuj"),
            ],
        )
        .await;
        assert_eq!(r.status(), 303);
        crate::directory::run_jobs(&app).await;
        let msgs = tp.smtp.messages();
        let minutes: Vec<_> = msgs
            .iter()
            .filter(|m| subject(&m.data).contains("Protokół ze spotkania"))
            .collect();
        let mut to: Vec<String> = minutes.iter().flat_map(|m| m.to.clone()).collect();
        to.sort();
        assert_eq!(to, vec!["bartek@example.org", "celina@example.org"]);
        let (_, public) = app.get_text(&format!("/spotkania/{}", m.slug)).await;
        assert!(public.contains("<strong>harmonogram</strong>"));

        // Everything the official did is audited.
        let actions: Vec<String> = audit_log::Entity::find()
            .filter(audit_log::Column::EntityType.eq("meeting"))
            .all(db)
            .await
            .expect("audit")
            .into_iter()
            .map(|a| a.action)
            .collect();
        for a in [
            "meeting.create",
            "meeting.invite",
            "meeting.minutes_publish",
        ] {
            assert!(actions.iter().any(|x| x == a), "{a} in {actions:?}");
        }
    })
    .await;
}

#[tokio::test]
async fn late_invitations_need_a_written_reason_that_is_audited() {
    each_backend("meetings::notice", |b| async move {
        let app = TestApp::with_demo(b, false).await;
        let tp = &app.tp;
        let official = make_user(
            &app,
            "spotkania@wierzbin.example",
            "hasło do spotkań 2026",
            Some(&[("official", "meetings")]),
        )
        .await;
        staff_sign_in(
            &app,
            "spotkania@wierzbin.example",
            "hasło do spotkań 2026",
            official,
        )
        .await;
        let m = create(
            tp,
            data(
                "Pilne spotkanie zespołu",
                3,
                "",
                &["zespol@example.org".into()],
            ),
        )
        .await;
        let panel = format!("/panel/spotkania/{}", m.id);
        let (_, html) = app.get_text(&panel).await;
        assert!(
            html.contains("id=\"reason\" name=\"reason\""),
            "the reason field is shown when it is late"
        );
        let r = crate::accounts::post_form(
            &app,
            &format!("{panel}/zaproszenia"),
            &panel,
            &[("reason", "bo tak")],
        )
        .await;
        assert_eq!(r.status(), 200);
        let html = r.text().await.expect("html");
        assert!(
            html.contains("wpisz powód (co najmniej 10 znaków)"),
            "too short a reason is refused"
        );
        assert!(html.contains("bo tak"), "the typed reason is kept");
        assert_eq!(
            tp.scalar_i64("SELECT COUNT(*) FROM meeting_invitations")
                .await,
            0
        );
        let reason = "Termin wyznaczyła Rada Miejska na sesji 1 grudnia.";
        let r = crate::accounts::post_form(
            &app,
            &format!("{panel}/zaproszenia"),
            &panel,
            &[("reason", reason)],
        )
        .await;
        assert_eq!(r.status(), 303);
        assert_eq!(
            tp.scalar_i64("SELECT COUNT(*) FROM meeting_invitations")
                .await,
            1
        );
        let m = reload(tp, m.id).await;
        assert_eq!(m.invite_reason.as_deref(), Some(reason));
        let row = audit_log::Entity::find()
            .filter(audit_log::Column::Action.eq("meeting.invite_late"))
            .one(&tp.platform.db.conn)
            .await
            .expect("q")
            .expect("audited");
        assert!(row.after.contains(reason), "{}", row.after);
        assert_eq!(row.actor_user_id, Some(official));
        // The minimum is configurable: with 2 days, 3 days ahead needs no reason.
        let mut cfg = (*tp.platform.config).clone();
        cfg.meetings.min_notice_days = 2;
        let p = wspolnie_platform::Platform {
            config: std::sync::Arc::new(cfg),
            ..tp.platform.clone()
        };
        let m2 = create(
            tp,
            data("Drugie spotkanie", 3, "", &["zespol@example.org".into()]),
        )
        .await;
        let res = meetings::invite(&p, &tp.platform.db.conn, m2.id, "", &Actor::system("test"))
            .await
            .expect("invite");
        assert_eq!(res, Ok(1));
        let res = meetings::invite(&p, &tp.platform.db.conn, m2.id, "", &Actor::system("test"))
            .await
            .expect("invite");
        assert_eq!(res, Err(InviteError::NoOne), "nobody is invited twice");
    })
    .await;
}

#[tokio::test]
async fn two_hundred_concurrent_answers_fill_exactly_the_fifty_places() {
    each_backend("meetings::capacity", |b| async move {
        let tp = TestPlatform::new(b).await;
        let emails: Vec<String> = (0..200).map(|i| format!("org{i:03}@example.org")).collect();
        let m = create(&tp, data("Forum organizacji", 14, "50", &emails)).await;
        let sent = meetings::invite(&tp.platform, &tp.platform.db.conn, m.id, "", &Actor::system("test"))
            .await
            .expect("invite");
        assert_eq!(sent, Ok(200));
        let ids: Vec<i64> = invitations(&tp, m.id).await.iter().map(|i| i.id).collect();
        let mut tasks = Vec::new();
        for id in ids.clone() {
            let p = tp.platform.clone();
            tasks.push(tokio::spawn(async move {
                let a = Answer { attending: true, party_size: 1, comment: String::new() };
                meetings::answer(&p, &p.db.conn, id, &a).await
            }));
        }
        let mut attending = 0;
        let mut waitlisted = 0;
        for t in tasks {
            match t.await.expect("task").expect("db").expect("answer").as_str() {
                "attending" => attending += 1,
                "waitlisted" => waitlisted += 1,
                other => panic!("unexpected {other}"),
            }
        }
        assert_eq!((attending, waitlisted), (50, 150));
        let count = |s: &'static str| {
            let tp = &tp;
            async move { tp.scalar_i64(&format!("SELECT COUNT(*) FROM meeting_invitations WHERE meeting_id = {} AND status = '{s}'", m.id)).await }
        };
        assert_eq!(count("attending").await, 50);
        assert_eq!(count("waitlisted").await, 150);
        assert_eq!(reload(&tp, m.id).await.seats_taken, 50);

        // 20 concurrent cancellations free 20 places, which go to the first 20 on the list.
        let list = invitations(&tp, m.id).await;
        let mut waiting: Vec<&inv::Model> = list.iter().filter(|i| i.status.as_str() == "waitlisted").collect();
        waiting.sort_by_key(|i| (i.waitlisted_at, i.id));
        let first_waiting: Vec<i64> = waiting.iter().take(20).map(|i| i.id).collect();
        let leaving: Vec<i64> = list.iter().filter(|i| i.status.as_str() == "attending").take(20).map(|i| i.id).collect();
        let mut tasks = Vec::new();
        for id in leaving {
            let p = tp.platform.clone();
            tasks.push(tokio::spawn(async move {
                let a = Answer { attending: false, party_size: 1, comment: String::new() };
                meetings::answer(&p, &p.db.conn, id, &a).await
            }));
        }
        for t in tasks {
            assert_eq!(t.await.expect("task").expect("db").expect("answer").as_str(), "declined");
        }
        assert_eq!(count("attending").await, 50);
        assert_eq!(count("declined").await, 20);
        assert_eq!(count("waitlisted").await, 130);
        assert_eq!(reload(&tp, m.id).await.seats_taken, 50);
        for id in first_waiting {
            let i = inv::Entity::find_by_id(id).one(&tp.platform.db.conn).await.expect("q").expect("row");
            assert_eq!(i.status.as_str(), "attending", "the waiting list is served in order");
        }
        // A bigger party than the free places is refused and the earlier answer stands.
        let attendee = invitations(&tp, m.id).await.into_iter().find(|i| i.status.as_str() == "attending").expect("one");
        let a = Answer { attending: true, party_size: 2, comment: String::new() };
        let res = meetings::answer(&tp.platform, &tp.platform.db.conn, attendee.id, &a).await.expect("db");
        assert_eq!(res, Err(AnswerError::NoRoom { left: 0 }));
        assert_eq!(inv::Entity::find_by_id(attendee.id).one(&tp.platform.db.conn).await.expect("q").expect("row").party_size, 1);
    })
    .await;
}

#[tokio::test]
async fn reminders_changes_cancellation_and_the_invitees_audience() {
    each_backend("meetings::lifecycle", |b| async move {
        let tp = TestPlatform::new(b).await;
        let db = &tp.platform.db.conn;
        let emails = vec![
            "a@example.org".to_owned(),
            "b@example.org".to_owned(),
            "c@example.org".to_owned(),
        ];
        let m = create(&tp, data("Zespół ds. seniorów", 9, "", &emails)).await;
        let actor = Actor::system("test");
        meetings::invite(&tp.platform, db, m.id, "", &actor)
            .await
            .expect("invite")
            .expect("sent");
        let m = reload(&tp, m.id).await;
        // The reminder job waits for 48 h before the start.
        let key = format!("meeting-{}-reminders-{}", m.id, m.starts_at.timestamp());
        let job = wspolnie_platform::entity::job::Entity::find()
            .filter(wspolnie_platform::entity::job::Column::IdempotencyKey.eq(key))
            .one(db)
            .await
            .expect("q")
            .expect("reminder job");
        assert_eq!(job.run_at, m.starts_at - Duration::hours(48));
        // a attends, b declines, c does not answer.
        let id = |e: &str| {
            let tp = &tp;
            let e = e.to_owned();
            async move { invitation(tp, m.id, &e).await.id }
        };
        let yes = Answer {
            attending: true,
            party_size: 1,
            comment: String::new(),
        };
        let no = Answer {
            attending: false,
            party_size: 1,
            comment: String::new(),
        };
        meetings::answer(&tp.platform, db, id("a@example.org").await, &yes)
            .await
            .expect("db")
            .expect("ok");
        meetings::answer(&tp.platform, db, id("b@example.org").await, &no)
            .await
            .expect("db")
            .expect("ok");

        // The "meeting invitees" audience of a mailing: everyone not declined, or only attendees.
        let all = mailings::expand_audience(
            db,
            &Audience {
                meeting: Some(m.id),
                ..Default::default()
            },
            "pl",
        )
        .await
        .expect("expand");
        let mut got: Vec<String> = all.iter().map(|t| t.email.clone()).collect();
        got.sort();
        assert_eq!(got, vec!["a@example.org", "c@example.org"]);
        assert!(all.iter().all(|t| t.source == "meeting"));
        let only = mailings::expand_audience(
            db,
            &Audience {
                meeting: Some(m.id),
                meeting_attending: true,
                ..Default::default()
            },
            "pl",
        )
        .await
        .expect("expand");
        assert_eq!(
            only.iter().map(|t| t.email.as_str()).collect::<Vec<_>>(),
            vec!["a@example.org"]
        );

        // Reminders: c is asked to answer, a is reminded, b gets nothing.
        tp.worker().run_until_idle().await.expect("jobs");
        let before = tp.smtp.messages().len();
        assert_eq!(
            meetings::send_reminders(&tp.platform, m.id, m.starts_at)
                .await
                .expect("reminders"),
            2
        );
        tp.worker().run_until_idle().await.expect("jobs");
        let msgs = tp.smtp.messages();
        let new = &msgs[before..];
        assert!(
            mails_to(new, "c@example.org")
                .iter()
                .any(|m| subject(&m.data).contains("Prosimy o odpowiedź"))
        );
        assert!(
            mails_to(new, "a@example.org")
                .iter()
                .any(|m| subject(&m.data).contains("Przypomnienie"))
        );
        assert!(mails_to(new, "b@example.org").is_empty());

        // Moving the meeting: an update with SEQUENCE 1 to a and c; the old reminder does nothing.
        let mut d = MeetingData::from_model(&m);
        d.date = warsaw_day(12);
        let (spheres, _) = wspolnie_areas::directory::model::codes(db)
            .await
            .expect("codes");
        let (e, v) = d.validate(&spheres, Utc::now(), m.seats_taken);
        assert!(e.is_empty(), "{e:?}");
        let before = tp.smtp.messages().len();
        let (moved, effect) =
            meetings::update(&tp.platform, db, m.clone(), &d, &v.expect("valid"), &actor)
                .await
                .expect("update");
        assert_eq!(effect, meetings::EditEffect::Notified(2));
        assert_eq!(moved.sequence, 1);
        tp.worker().run_until_idle().await.expect("jobs");
        let msgs = tp.smtp.messages();
        let changed: Vec<_> = msgs[before..]
            .iter()
            .filter(|m| subject(&m.data).contains("Zmiana spotkania"))
            .collect();
        assert_eq!(changed.len(), 2);
        let (_, ics) = text_and_ics(&changed[0].data);
        assert_eq!(ical_value(&ics.expect("ics").1, "SEQUENCE"), vec!["1"]);
        assert_eq!(
            meetings::send_reminders(&tp.platform, m.id, m.starts_at)
                .await
                .expect("old"),
            0
        );
        let ev = event::Entity::find_by_id(moved.event_id.expect("event"))
            .one(db)
            .await
            .expect("q")
            .expect("event");
        assert_eq!(
            ev.starts_at, moved.starts_at,
            "the calendar entry moved too"
        );

        // Cancelling: CANCEL to a and c, the calendar entry is cancelled, answers are closed.
        let before = tp.smtp.messages().len();
        assert!(
            meetings::cancel(&tp.platform, db, m.id, &actor)
                .await
                .expect("cancel")
        );
        tp.worker().run_until_idle().await.expect("jobs");
        let msgs = tp.smtp.messages();
        let cancelled: Vec<_> = msgs[before..].iter().collect();
        assert_eq!(cancelled.len(), 2);
        let (_, ics) = text_and_ics(&cancelled[0].data);
        let (method, ics) = ics.expect("ics");
        assert_eq!(method, "CANCEL");
        assert_eq!(ical_value(&ics, "STATUS"), vec!["CANCELLED"]);
        let ev = event::Entity::find_by_id(ev.id)
            .one(db)
            .await
            .expect("q")
            .expect("event");
        assert_eq!(ev.status.as_str(), "cancelled");
        let res = meetings::answer(&tp.platform, db, id("c@example.org").await, &yes)
            .await
            .expect("db");
        assert_eq!(res, Err(AnswerError::Closed));
    })
    .await;
}
