//! Input from an outside attacker (issue 14): image decompression bombs, uploads over the body
//! limit, page numbers that fit no integer, spreadsheet formulas in CSV exports, return addresses
//! with control characters, identifiers written in unusual ways. Each answer is a page or a
//! redirect the person can use — never a 500, never the attacker's payload passed on.

use crate::accounts::location;
use crate::accounts::make_user;
use crate::accounts::post_form;
use crate::accounts::staff_sign_in;
use crate::common::*;
use crate::directory::post_multipart_file;
use crate::directory::profile_fields;
use crate::directory::sign_in;
use crate::directory::sign_out;
use crate::events::event_fields;
use crate::events::ngo_member;
use chrono::{Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use wspolnie_areas::directory::entity::organization;

/// A 35-byte GIF that declares a 10000×10000 logical screen (`sw`×`sh`) with one 1×1 frame
/// declared `fw`×`fh`. Decoding the screen takes 400 MB.
fn gif_bomb(sw: u16, sh: u16, fw: u16, fh: u16) -> Vec<u8> {
    let mut b = b"GIF89a".to_vec();
    b.extend(sw.to_le_bytes());
    b.extend(sh.to_le_bytes());
    b.extend([0x80, 0, 0, 0, 0, 0, 255, 255, 255, 0x2C, 0, 0, 0, 0]);
    b.extend(fw.to_le_bytes());
    b.extend(fh.to_le_bytes());
    b.extend([0, 2, 2, 0x44, 0x01, 0, 0x3B]);
    b
}

fn with_field(
    mut fields: Vec<(&'static str, String)>,
    key: &str,
    value: String,
) -> Vec<(&'static str, String)> {
    for (k, v) in fields.iter_mut() {
        if *k == key {
            *v = value.clone();
        }
    }
    fields
}

fn organizations_named(name: &str) -> String {
    format!(
        "SELECT COUNT(*) FROM organizations WHERE name = '{}'",
        name.replace('\'', "''")
    )
}

#[tokio::test]
async fn image_bombs_are_refused_with_a_message_on_the_form() {
    each_backend("image bombs", |b| async move {
        let app = TestApp::with_demo(b, false).await;
        make_user(&app, "ngo@example.pl", "hasło wolontariuszki", None).await;
        sign_in(&app, "ngo@example.pl", "hasło wolontariuszki").await;
        let fields = profile_fields("600 100 200", "Budujemy drewniane łodzie z młodzieżą z Zatorza i sprzątamy brzegi rzeki razem z mieszkańcami.");
        let screen = gif_bomb(10_000, 10_000, 1, 1);
        assert_eq!(screen.len(), 35);
        let frame = gif_bomb(1, 1, 9_000, 9_000);
        for (bomb, what) in [(&screen, "logical screen"), (&frame, "frame")] {
            let r = post_multipart_file(&app, "/panel/organizacje/nowa", &fields, Some(("logo", bomb, "logo.gif"))).await;
            assert_eq!(r.status(), 200, "{what}: the form again, not a 500 and not accepted");
            let html = r.text().await.expect("html");
            assert!(html.contains("Obraz ma za duże wymiary (najwyżej 40 milionów pikseli"), "{what}: {html}");
            assert!(html.contains("value=\"Fundacja Zielona Łódź\""), "{what}: input kept");
        }
        assert_eq!(app.tp.scalar_i64(&organizations_named("Fundacja Zielona Łódź")).await, 0);
        assert_eq!(app.tp.scalar_i64("SELECT COUNT(*) FROM stored_files").await, 0, "nothing stored");
    })
    .await;
}

#[tokio::test]
async fn uploads_over_the_limit_come_back_with_the_limit_and_the_form() {
    each_backend("uploads over the limit", |b| async move {
        let app = TestApp::new(b).await;
        let (org, _) = ngo_member(&app, "owner").await;
        sign_in(&app, "ngo@example.pl", "hasło wolontariuszki").await;

        // A 3 MB logo: over the logo's 1 MB and the site's 2 MB body limit.
        let mut big = b"\x89PNG\r\n\x1a\n".to_vec();
        big.resize(3 * 1024 * 1024, 7);
        let fields = profile_fields("600 100 200", "Budujemy drewniane łodzie z młodzieżą z Zatorza i sprzątamy brzegi rzeki razem z mieszkańcami.");
        let r = post_multipart_file(&app, "/panel/organizacje/nowa", &fields, Some(("logo", &big, "logo.png"))).await;
        assert_eq!(r.status(), 200);
        let html = r.text().await.expect("html");
        assert!(html.contains("Plik z logo jest za duży (najwyżej 1 MB)."), "{html}");
        assert!(html.contains("value=\"Fundacja Zielona Łódź\"") && html.contains("Logo: zielona łódka"), "input kept");

        // A 9 MB poster: over the poster's 8 MB and the old route limit.
        let mut poster = b"\xFF\xD8\xFF\xE0".to_vec();
        poster.resize(9 * 1024 * 1024, 1);
        let day = (Utc::now() + Duration::days(20)).with_timezone(&wspolnie_core::time::TZ).format("%Y-%m-%d").to_string();
        let new = format!("/panel/organizacje/{}/wydarzenia/nowe", org.id);
        let events_before = app.tp.scalar_i64("SELECT COUNT(*) FROM events").await;
        let r = post_multipart_file(&app, &new, &event_fields(&day), Some(("poster", &poster, "plakat.jpg"))).await;
        assert_eq!(r.status(), 200);
        let html = r.text().await.expect("html");
        assert!(html.contains("Plakat jest za duży (najwyżej 8 MB)."), "{html}");
        assert!(html.contains("Przystań przy ul. Rzecznej 4"), "input kept");
        assert_eq!(app.tp.scalar_i64("SELECT COUNT(*) FROM events").await, events_before);

        // Text fields are no place for megabytes (they are kept in memory): over 2 MB together
        // is the 413 page, not a form kept in memory. (Up to that, a field over its own limit
        // gets its error next to it: `form_limits`.)
        let huge = with_field(event_fields(&day), "description", "ż".repeat(1100 * 1024));
        let r = post_multipart_file(&app, &new, &huge, None).await;
        assert_eq!(r.status(), 413);
        assert!(r.text().await.expect("html").contains("Za duży plik lub formularz"));
    })
    .await;
}

#[tokio::test]
async fn every_paginated_list_takes_any_page_number() {
    each_backend("page numbers", |b| async move {
        let app = TestApp::new(b).await;
        let db = &app.tp.platform.db.conn;
        let official = make_user(
            &app,
            "wysylki@example.pl",
            "hasło wydziału wysyłek",
            Some(&[("official", "mailing")]),
        )
        .await;
        let now = Utc::now();
        let mailing = wspolnie_areas::mailings::entity::mailing::Entity::insert(
            wspolnie_areas::mailings::entity::mailing::ActiveModel {
                kind: Set("manual".into()),
                subject: Set("Nabór wniosków".into()),
                body_md: Set("Treść".into()),
                body_html: Set("<p>Treść</p>".into()),
                body_text: Set("Treść".into()),
                audience: Set("{}".into()),
                lang: Set("pl".into()),
                status: Set(wspolnie_areas::mailings::entity::mailing::Status::Sent),
                recipients_total: Set(0),
                created_by: Set(Some(official)),
                created_at: Set(now),
                updated_at: Set(now),
                finished_at: Set(Some(now)),
                ..Default::default()
            },
        )
        .exec(db)
        .await
        .expect("mailing")
        .last_insert_id;
        staff_sign_in(
            &app,
            "wysylki@example.pl",
            "hasło wydziału wysyłek",
            official,
        )
        .await;
        let lists = [
            "/organizacje?q=&strona=".to_owned(),
            "/aktualnosci?strona=".to_owned(),
            "/aktualnosci.atom?strona=".to_owned(),
            "/kalendarz?strona=".to_owned(),
            "/panel/wysylki?strona=".to_owned(),
            format!("/panel/wysylki/{mailing}?strona="),
            "/panel/wysylki/adresaci?strona=".to_owned(),
            "/api/v1/organizations?page=".to_owned(),
            "/api/v1/organizations?per_page=".to_owned(),
        ];
        let values = [
            "-1",
            "abc",
            "0",
            "9223372036854775808",
            "99999999999999999999",
            "%00",
            "1e3",
            "",
        ];
        for list in &lists {
            for v in values {
                let path = format!("{list}{v}");
                let (status, body) = app.get_text(&path).await;
                assert_eq!(status, 200, "{path}: {body}");
            }
        }
        // Far beyond the end is the last page, with organisations on it.
        let (_, html) = app
            .get_text("/organizacje?strona=9223372036854775808")
            .await;
        assert!(
            html.contains("aria-current=\"page\"") && html.contains("href=\"/organizacje/"),
            "{html}"
        );
        // The API answers within its schema: page from 1, per_page 1–100.
        for (q, page, per_page) in [
            ("page=0&per_page=0", 1, 1),
            ("page=-1&per_page=-5", 1, 1),
            ("page=abc&per_page=1000", 1, 100),
            ("page=9223372036854775808", 1_000_000, 20),
            ("page=2&per_page=5", 2, 5),
        ] {
            let r = app.get(&format!("/api/v1/organizations?{q}")).await;
            assert_eq!(r.status(), 200, "{q}");
            let v: serde_json::Value = r.json().await.expect("json");
            assert_eq!(
                (v["page"].as_u64(), v["per_page"].as_u64()),
                (Some(page), Some(per_page)),
                "{q}"
            );
            assert!(v["items"].as_array().expect("items").len() as u64 <= per_page);
        }
    })
    .await;
}

const HYPERLINK: &str = "-1+HYPERLINK(\"http://x\")";
const DDE: &str = "+1+cmd|' /C calc'!A0";

#[tokio::test]
async fn csv_exports_defuse_formulas_in_free_text() {
    each_backend("csv formulas", |b| async move {
        let app = TestApp::new(b).await;
        let db = &app.tp.platform.db.conn;
        // A published organisation whose name and description are formulas, its phone a number.
        let org = organization::Entity::find()
            .filter(organization::Column::Status.eq("published"))
            .order_by_asc(organization::Column::Id)
            .one(db)
            .await
            .expect("q")
            .expect("a demo organisation");
        organization::Entity::update_many()
            .col_expr(organization::Column::Name, Expr::value(DDE))
            .col_expr(
                organization::Column::ShortDescription,
                Expr::value(HYPERLINK),
            )
            .col_expr(organization::Column::Phone, Expr::value("+48 85 000 12 34"))
            .filter(organization::Column::Id.eq(org.id))
            .exec(db)
            .await
            .expect("update");
        let r = app.get("/organizacje.csv").await;
        assert_eq!(r.status(), 200);
        let text = r.text().await.expect("csv");
        let line = text
            .split("\r\n")
            .find(|l| l.contains(&format!("/organizacje/{}", org.slug)))
            .unwrap_or_else(|| panic!("the organisation's line: {text}"));
        assert!(line.starts_with("'+1+cmd|' /C calc'!A0;"), "{line}");
        assert!(
            line.contains(";\"'-1+HYPERLINK(\"\"http://x\"\")\";"),
            "{line}"
        );
        assert!(
            line.contains(";+48 85 000 12 34;"),
            "a phone number stays a phone number: {line}"
        );
        assert!(
            !text.contains(";-1+HYPERLINK") && !text.contains("\n+1+cmd"),
            "{text}"
        );

        // An anonymous declaration of interest in a city activity, exported by the official.
        let editor = make_user(
            &app,
            "kultura@example.pl",
            "hasło wydziału kultury",
            Some(&[("official", "content")]),
        )
        .await;
        staff_sign_in(&app, "kultura@example.pl", "hasło wydziału kultury", editor).await;
        let start = (Utc::now() + Duration::days(90))
            .with_timezone(&wspolnie_core::time::TZ)
            .date_naive();
        let form = [
            ("title", "Jarmark Świąteczny na Rynku".to_owned()),
            ("description", "Stoiska i kolędy.".to_owned()),
            ("help_sought", "stoiska z rękodziełem".to_owned()),
            ("start_date", start.to_string()),
            ("start_time", "14:00".to_owned()),
            ("end_date", "".to_owned()),
            ("place", "Rynek w Wierzbinie".to_owned()),
            ("contact_name", "Ewa Kamińska".to_owned()),
            ("contact_email", "ewa.kaminska@wierzbin.example".to_owned()),
            ("contact_phone", "85 000 12 71".to_owned()),
            ("interest_until", (start - Duration::days(30)).to_string()),
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
        let a = wspolnie_areas::partners::entity::partner_activity::Entity::find()
            .filter(
                wspolnie_areas::partners::entity::partner_activity::Column::Title
                    .eq("Jarmark Świąteczny na Rynku"),
            )
            .one(db)
            .await
            .expect("q")
            .expect("activity");
        sign_out(&app).await;
        let page = format!("/wspolpraca/{}", a.slug);
        let declaration = [
            ("organization_name", DDE),
            ("contact_name", "Jadwiga Łąkowa"),
            ("email", "kgw.laki@example.pl"),
            ("phone", "+48 600 700 800"),
            ("offer", HYPERLINK),
        ];
        let r = post_form(&app, &page, &page, &declaration).await;
        assert_eq!(location(&r), page);
        staff_sign_in(&app, "kultura@example.pl", "hasło wydziału kultury", editor).await;
        let r = app
            .get(&format!("/panel/wspolpraca/{}/zgloszenia.csv", a.id))
            .await;
        let text = r.text().await.expect("csv");
        let line = text
            .split("\r\n")
            .find(|l| l.contains("kgw.laki@example.pl"))
            .unwrap_or_else(|| panic!("the declaration's line: {text}"));
        assert!(
            line.starts_with("'+1+cmd|' /C calc'!A0;Jadwiga Łąkowa;kgw.laki@example.pl;"),
            "{line}"
        );
        assert!(
            line.contains(";\"'-1+HYPERLINK(\"\"http://x\"\")\";"),
            "{line}"
        );
        assert!(
            !line.contains("'+48"),
            "the phone number is written as a number: {line}"
        );
    })
    .await;
}

/// Signs in with a fresh client (no session yet) and `next`; returns the response.
async fn sign_in_with_next(app: &TestApp, next: &str) -> reqwest::Response {
    let client = client();
    let (_, html) = {
        let r = client
            .get(app.url("/konto/logowanie"))
            .send()
            .await
            .expect("GET");
        (r.status(), r.text().await.expect("html"))
    };
    let token = extract_between(&html, "name=\"_csrf\" value=\"", "\"").expect("token");
    client
        .post(app.url("/konto/logowanie"))
        .form(&[
            ("email", "ngo@example.pl"),
            ("password", "hasło wolontariuszki"),
            ("next", next),
            ("_csrf", &token),
        ])
        .send()
        .await
        .expect("POST")
}

#[tokio::test]
async fn return_addresses_with_control_characters_fall_back_to_a_local_default() {
    each_backend("next and back", |b| async move {
        let app = TestApp::with_demo(b, false).await;
        make_user(&app, "ngo@example.pl", "hasło wolontariuszki", None).await;
        let hostile = [
            "/\t/evil.example",
            "/\r\nSet-Cookie: x=1",
            "/a\rb",
            "/a\nb",
            "/a\0b",
            "/a\x7fb",
            "//evil.example",
            "/\\evil.example",
            "\t/panel",
        ];
        // NUL, DEL and the other controls besides tab, CR and LF reach the handler as the mark
        // (U+FFFD) that replaced them in the one place (see `form_limits`); either way `next`
        // falls back.
        for next in hostile {
            let r = sign_in_with_next(&app, next).await;
            assert_eq!(r.status(), 303, "next={next:?}");
            assert_eq!(location(&r), "/panel", "next={next:?}");
        }
        let r = sign_in_with_next(&app, "/panel/sesje").await;
        assert_eq!(location(&r), "/panel/sesje", "a plain local path is kept");

        for back in hostile {
            let r = post_form(
                &app,
                "/ustawienia/wyglad",
                "/ustawienia",
                &[("text_size", "large"), ("back", back)],
            )
            .await;
            assert_eq!(r.status(), 303, "back={back:?}");
            assert_eq!(location(&r), "/", "back={back:?}");
            let r = post_form(
                &app,
                "/ustawienia/jezyk",
                "/ustawienia",
                &[("lang", "pl"), ("back", back)],
            )
            .await;
            assert_eq!(
                (r.status().as_u16(), location(&r)),
                (303, "/".to_owned()),
                "back={back:?}"
            );
        }
        let r = post_form(
            &app,
            "/ustawienia/wyglad",
            "/ustawienia",
            &[("contrast", "high"), ("back", "/organizacje?q=a")],
        )
        .await;
        assert_eq!(location(&r), "/organizacje?q=a");
    })
    .await;
}

#[tokio::test]
async fn identifiers_are_read_as_python_stdnum_reads_them() {
    each_backend("identifiers", |b| async move {
        let app = TestApp::with_demo(b, false).await;
        make_user(&app, "ngo@example.pl", "hasło wolontariuszki", None).await;
        sign_in(&app, "ngo@example.pl", "hasło wolontariuszki").await;
        let set = |krs: &str, nip: &str, regon: &str| {
            let mut f = profile_fields("600 100 200", "Budujemy drewniane łodzie z młodzieżą z Zatorza i sprzątamy brzegi rzeki razem z mieszkańcami.");
            for (k, v) in f.iter_mut() {
                match *k {
                    "krs" => *v = krs.into(),
                    "nip" => *v = nip.into(),
                    "regon" => *v = regon.into(),
                    "logo_alt" => v.clear(),
                    _ => {}
                }
            }
            f
        };
        // A 14-digit REGON whose own check digit holds but whose first nine digits are no
        // REGON; a KRS with a space inside.
        let r = post_multipart_file(&app, "/panel/organizacje/nowa", &set("00007 77123", "pl 526-000-12-46", "12345678612342"), None).await;
        assert_eq!(r.status(), 200);
        let html = r.text().await.expect("html");
        assert!(html.contains("Ten REGON jest niepoprawny"), "{html}");
        assert!(html.contains("Numer KRS to do 10 cyfr bez spacji"), "{html}");
        assert!(!html.contains("Ten NIP jest niepoprawny"), "a lowercase pl prefix is fine");
        // Full-width digits and a lowercase prefix are the same numbers.
        let r = post_multipart_file(&app, "/panel/organizacje/nowa", &set(" 0000777123 ", "pl５２６０００１２４６", "12345678512347"), None).await;
        assert_eq!(location(&r), "/panel/organizacje");
        let org = organization::Entity::find()
            .filter(organization::Column::Name.eq("Fundacja Zielona Łódź"))
            .one(&app.tp.platform.db.conn)
            .await
            .expect("q")
            .expect("org");
        assert_eq!(
            (org.krs.as_deref(), org.nip.as_deref(), org.regon.as_deref()),
            (Some("0000777123"), Some("5260001246"), Some("12345678512347"))
        );
    })
    .await;
}
