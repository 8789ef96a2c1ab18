//! Issue 15, item 1: the write discipline under concurrent writers. Sign-ups (each hashes a
//! password), organisation members submitting events, a 2,000-row CSV import and the job worker
//! (sending the sign-up mail, carrying the import) all write at once; no request may get a 5xx.
//! Before `begin_write` (deferred transactions on SQLite) this failed with "database is locked".

use crate::accounts::location;
use crate::accounts::make_user;
use crate::accounts::staff_sign_in;
use crate::common::*;
use crate::events::event_fields;
use crate::import::many_rows;
use chrono::Utc;
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use tokio_util::sync::CancellationToken;
use wspolnie_areas::directory::entity::organization;
use wspolnie_platform::entity::organization_member;

const SIGN_UPS: usize = 40;
const MEMBERS: usize = 3;
const EVENTS_EACH: usize = 6;
const IMPORT_ROWS: u64 = 2_000;

fn token_of(html: &str) -> String {
    extract_between(html, "name=\"_csrf\" value=\"", "\"")
        .or_else(|| extract_between(html, "?_csrf=", "\""))
        .expect("csrf token in page")
}

/// The CSRF token of the page at `url`, fetched with client `c` (which keeps the cookie).
pub(crate) async fn token_at(c: &reqwest::Client, url: &str) -> String {
    let html = c
        .get(url)
        .send()
        .await
        .expect("get")
        .text()
        .await
        .expect("html");
    token_of(&html)
}

/// Signs up `email` with a client of its own (from `forwarded_for` behind a proxy); the status.
pub(crate) async fn sign_up_as(base: &str, email: &str, forwarded_for: Option<String>) -> u16 {
    let c = client();
    let token = token_at(&c, &format!("{base}/konto/rejestracja")).await;
    let form = [
        ("name", "Osoba Testowa"),
        ("email", email),
        ("password", "długie hasło do konta 2026"),
        ("password_confirm", "długie hasło do konta 2026"),
        ("privacy", "yes"),
        ("_csrf", token.as_str()),
    ];
    let mut post = c.post(format!("{base}/konto/rejestracja"));
    if let Some(ip) = forwarded_for {
        post = post.header("x-forwarded-for", ip);
    }
    post.form(&form)
        .send()
        .await
        .expect("post")
        .status()
        .as_u16()
}

async fn sign_up(base: String, i: usize) -> u16 {
    let ip = format!("10.0.{}.{}", i / 250, i % 250 + 1);
    sign_up_as(&base, &format!("osoba{i}@example.pl"), Some(ip)).await
}

/// Signs a member in with a client of their own and submits events; returns every status.
async fn member_events(base: String, email: String, org: i64, day: String) -> Vec<u16> {
    let c = client();
    let token = token_at(&c, &format!("{base}/konto/logowanie")).await;
    let form = [
        ("email", email.as_str()),
        ("password", "hasło członka organizacji"),
        ("_csrf", token.as_str()),
    ];
    let r = c
        .post(format!("{base}/konto/logowanie"))
        .form(&form)
        .send()
        .await
        .expect("sign in");
    let mut statuses = vec![r.status().as_u16()];
    let new = format!("{base}/panel/organizacje/{org}/wydarzenia/nowe");
    for k in 0..EVENTS_EACH {
        let token = token_at(&c, &new).await;
        let mut f = reqwest::multipart::Form::new();
        for (key, v) in event_fields(&day) {
            let v = if key == "title" {
                format!("Spotkanie numer {k} ({email})")
            } else {
                v
            };
            f = f.text(key, v);
        }
        let r = c
            .post(format!("{new}?_csrf={token}"))
            .multipart(f)
            .send()
            .await
            .expect("post");
        statuses.push(r.status().as_u16());
    }
    statuses
}

#[tokio::test]
async fn concurrent_sign_ups_events_an_import_and_the_worker_get_no_5xx() {
    each_backend("write discipline", |b| async move {
        // Behind a proxy, so each sign-up comes from an address of its own (the per-address
        // sign-up limit is not what this test is about).
        let app = TestApp::with_config(b, true, |c| c.server.behind_proxy = true).await;
        let db = &app.tp.platform.db.conn;
        let orgs: Vec<i64> = organization::Entity::find()
            .select_only()
            .column(organization::Column::Id)
            .filter(organization::Column::Status.eq(organization::Status::Published))
            .order_by_asc(organization::Column::Id)
            .limit(MEMBERS as u64)
            .into_tuple()
            .all(db)
            .await
            .expect("orgs");
        let published_before = app
            .tp
            .scalar_i64("SELECT COUNT(*) FROM organizations WHERE status = 'published'")
            .await;
        for (i, org) in orgs.iter().enumerate() {
            let user = make_user(
                &app,
                &format!("czlonek{i}@example.pl"),
                "hasło członka organizacji",
                None,
            )
            .await;
            organization_member::Entity::insert(organization_member::ActiveModel {
                organization_id: Set(*org),
                user_id: Set(user),
                role: Set("owner".into()),
                created_at: Set(Utc::now()),
            })
            .exec(db)
            .await
            .expect("member");
        }
        let admin = make_user(
            &app,
            "admin@example.pl",
            "hasło administratora",
            Some(&[("admin", "")]),
        )
        .await;
        staff_sign_in(&app, "admin@example.pl", "hasło administratora", admin).await;
        let day = (Utc::now() + chrono::Duration::days(20))
            .format("%Y-%m-%d")
            .to_string();

        // The worker runs all the time, as in `wspolnie serve`.
        let stop = CancellationToken::new();
        let worker = tokio::spawn(app.tp.worker().run(stop.clone()));

        let file = many_rows(IMPORT_ROWS, 23);
        let import = async {
            let html = app.get_text("/panel/admin/import").await.1;
            let token = extract_between(&html, "name=\"_csrf\" value=\"", "\"").expect("token");
            let form = reqwest::multipart::Form::new().part(
                "plik",
                reqwest::multipart::Part::bytes(file.clone().into_bytes()).file_name("duzy.csv"),
            );
            let r = app
                .client
                .post(app.url(&format!("/panel/admin/import?_csrf={token}")))
                .multipart(form)
                .send()
                .await
                .expect("upload");
            (r.status().as_u16(), location(&r))
        };
        let sign_ups: Vec<_> = (0..SIGN_UPS)
            .map(|i| tokio::spawn(sign_up(app.base.clone(), i)))
            .collect();
        let members: Vec<_> = orgs
            .iter()
            .enumerate()
            .map(|(i, org)| {
                tokio::spawn(member_events(
                    app.base.clone(),
                    format!("czlonek{i}@example.pl"),
                    *org,
                    day.clone(),
                ))
            })
            .collect();
        let sign_ups = async {
            let mut out = Vec::new();
            for h in sign_ups {
                out.push(h.await.expect("sign-up task"));
            }
            out
        };
        let members = async {
            let mut out = Vec::new();
            for h in members {
                out.push(h.await.expect("member task"));
            }
            out
        };
        let ((import_status, import_page), sign_ups, members) =
            tokio::join!(import, sign_ups, members);

        assert_eq!(import_status, 303, "the upload is accepted at once");
        let server_errors: Vec<u16> = sign_ups
            .iter()
            .chain(members.iter().flatten())
            .copied()
            .filter(|s| *s >= 500)
            .collect();
        assert!(
            server_errors.is_empty(),
            "{b:?}: 5xx answers {server_errors:?}"
        );
        assert!(sign_ups.iter().all(|s| *s == 303), "{sign_ups:?}");
        assert!(members.iter().flatten().all(|s| *s == 303), "{members:?}");

        // The import ends by itself while the rest goes on; its page tells the truth.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(240);
        loop {
            let (_, html) = app.get_text(&import_page).await;
            if html.contains("Zaimportowano 2000 organizacji.") {
                break;
            }
            assert!(!html.contains("Nie zaimportowano"), "{html}");
            assert!(
                std::time::Instant::now() < deadline,
                "the import did not finish: {html}"
            );
            tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        }
        stop.cancel();
        worker.await.expect("worker");

        assert_eq!(
            app.tp
                .scalar_i64("SELECT COUNT(*) FROM organizations WHERE status = 'published'")
                .await,
            published_before + IMPORT_ROWS as i64
        );
        assert_eq!(
            app.tp
                .scalar_i64("SELECT COUNT(*) FROM users WHERE email LIKE 'osoba%'")
                .await,
            SIGN_UPS as i64
        );
        assert_eq!(
            app.tp
                .scalar_i64("SELECT COUNT(*) FROM events WHERE title LIKE 'Spotkanie numer %'")
                .await,
            (MEMBERS * EVENTS_EACH) as i64
        );
    })
    .await;
}
