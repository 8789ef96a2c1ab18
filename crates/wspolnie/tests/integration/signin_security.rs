//! Sign-in security from an outside attacker's side (issue 14): TOTP replay, reset links that
//! outlive a reset or a password change, sign-up timing, throttling that locks the wrong people
//! out, and the session and request rules around signing in (session id after the second factor,
//! signing out half-way, honest flashes, `no-store`, the Origin check, unknown methods).

use crate::accounts::{link_in_mail, location, make_user, path_of, post_form};
use crate::common::*;
use chrono::Utc;
use sea_orm::EntityTrait;
use std::net::{IpAddr, Ipv4Addr};
use wspolnie_platform::entity::throttle;

/// A browser (own cookie jar) connecting from `127.0.0.<last>`: the server sees that address.
fn client_from(last: u8) -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .local_address(IpAddr::V4(Ipv4Addr::new(127, 0, 0, last)))
        .build()
        .expect("client")
}

/// Posts a form with `c`, the CSRF token taken from `token_page` first; `lang` sets
/// `Accept-Language`.
async fn post_as(
    app: &TestApp,
    c: &reqwest::Client,
    path: &str,
    token_page: &str,
    fields: &[(&str, &str)],
    lang: &str,
) -> reqwest::Response {
    let html = c
        .get(app.url(token_page))
        .header("accept-language", lang)
        .send()
        .await
        .expect("get")
        .text()
        .await
        .expect("html");
    let token = extract_between(&html, "name=\"_csrf\" value=\"", "\"")
        .unwrap_or_else(|| panic!("no CSRF token on {token_page}"));
    let mut form: Vec<(&str, &str)> = fields.to_vec();
    form.push(("_csrf", &token));
    c.post(app.url(path))
        .header("accept-language", lang)
        .form(&form)
        .send()
        .await
        .expect("post")
}

async fn sign_in_as(
    app: &TestApp,
    c: &reqwest::Client,
    email: &str,
    password: &str,
    lang: &str,
) -> reqwest::Response {
    post_as(
        app,
        c,
        "/konto/logowanie",
        "/konto/logowanie",
        &[("email", email), ("password", password)],
        lang,
    )
    .await
}

/// The value a `Set-Cookie` of the response gives to cookie `name`.
fn set_cookie(r: &reqwest::Response, name: &str) -> Option<String> {
    r.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|c| {
            c.strip_prefix(&format!("{name}="))
                .and_then(|c| c.split(';').next())
                .map(str::to_owned)
        })
}

/// Gives a staff account a known TOTP secret (as if set up long ago); returns it.
async fn with_totp(app: &TestApp, user_id: i64) -> String {
    let secret = wspolnie_platform::totp::new_secret();
    app.tp.exec(&format!("UPDATE users SET totp_secret = '{secret}', totp_enabled_at = created_at, recovery_codes = '[]', totp_last_step = NULL WHERE id = {user_id}")).await;
    secret
}

fn code_at(secret: &str, unix: i64) -> String {
    wspolnie_platform::totp::code_at(secret, unix).expect("code")
}

// ---- item 2: TOTP codes are good once ----

#[tokio::test]
async fn a_totp_code_is_accepted_once() {
    each_backend("totp replay", |b| async move {
        let app = TestApp::with_demo(b, false).await;
        let id = make_user(
            &app,
            "admin@example.pl",
            "hasło administratora",
            Some(&[("admin", "")]),
        )
        .await;
        let secret = with_totp(&app, id).await;
        let t0 = Utc::now().timestamp();
        let code = code_at(&secret, t0);
        let r = post_form(
            &app,
            "/konto/logowanie",
            "/konto/logowanie",
            &[
                ("email", "admin@example.pl"),
                ("password", "hasło administratora"),
            ],
        )
        .await;
        assert_eq!(location(&r), "/konto/2fa");
        let r = post_form(&app, "/konto/2fa", "/konto/2fa", &[("code", &code)]).await;
        assert_eq!(location(&r), "/panel", "the code works the first time");
        post_form(&app, "/konto/wyloguj", "/panel", &[]).await;

        // Signing in again within the code's 90 seconds, with the same code: refused, with the
        // wrong-code message.
        let r = post_form(
            &app,
            "/konto/logowanie",
            "/konto/logowanie",
            &[
                ("email", "admin@example.pl"),
                ("password", "hasło administratora"),
            ],
        )
        .await;
        assert_eq!(location(&r), "/konto/2fa");
        let r = post_form(&app, "/konto/2fa", "/konto/2fa", &[("code", &code)]).await;
        assert_eq!(r.status(), 200, "a replayed code does not sign in");
        assert!(
            r.text()
                .await
                .expect("t")
                .contains("Kod jest nieprawidłowy")
        );
        assert!(location(&app.get("/panel").await).starts_with("/konto/logowanie"));
        // The app's next code is accepted.
        let r = post_form(
            &app,
            "/konto/2fa",
            "/konto/2fa",
            &[("code", &code_at(&secret, t0 + 30))],
        )
        .await;
        assert_eq!(location(&r), "/panel");
        assert_eq!(app.get("/panel").await.status(), 200);
        // And is then spent too.
        post_form(&app, "/konto/wyloguj", "/panel", &[]).await;
        post_form(
            &app,
            "/konto/logowanie",
            "/konto/logowanie",
            &[
                ("email", "admin@example.pl"),
                ("password", "hasło administratora"),
            ],
        )
        .await;
        let r = post_form(
            &app,
            "/konto/2fa",
            "/konto/2fa",
            &[("code", &code_at(&secret, t0 + 30))],
        )
        .await;
        assert_eq!(r.status(), 200);
    })
    .await;
}

// ---- item 3: a reset or a password change kills the other reset links ----

/// Every password-reset link mailed to `to`, oldest first.
fn reset_links(app: &TestApp, to: &str) -> Vec<String> {
    let prefix = format!("{}/konto/nowe-haslo?t=", app.base);
    app.tp
        .smtp
        .messages()
        .iter()
        .filter(|m| m.to.iter().any(|t| t == to))
        .filter_map(|m| {
            let parsed = mailparse::parse_mail(m.data.as_bytes()).ok()?;
            let text = parsed.subparts.first()?.get_body().ok()?;
            let start = text.find(&prefix)?;
            text[start..].split_whitespace().next().map(str::to_owned)
        })
        .collect()
}

async fn request_reset(app: &TestApp, email: &str) {
    let r = post_form(
        app,
        "/konto/reset-hasla",
        "/konto/reset-hasla",
        &[("email", email)],
    )
    .await;
    assert_eq!(r.status(), 303);
    app.tp.worker().run_until_idle().await.expect("jobs");
}

async fn use_reset_link(app: &TestApp, link: &str, password: &str) -> reqwest::Response {
    let token = link.split("t=").nth(1).expect("token").to_owned();
    post_form(
        app,
        "/konto/nowe-haslo",
        "/",
        &[
            ("t", &token),
            ("password", password),
            ("password_confirm", password),
        ],
    )
    .await
}

async fn link_is_dead(app: &TestApp, link: &str) {
    let (_, page) = app.get_text(&path_of(app, link)).await;
    assert!(
        page.contains("Ten link nie jest już ważny"),
        "the link's page says it is dead"
    );
    let r = use_reset_link(app, link, "hasło z martwego linku").await;
    assert!(
        r.text()
            .await
            .expect("t")
            .contains("Ten link nie jest już ważny")
    );
}

#[tokio::test]
async fn a_reset_or_a_password_change_uses_up_every_reset_link() {
    each_backend("reset links", |b| async move {
        let app = TestApp::with_demo(b, false).await;
        make_user(&app, "anna@example.pl", "stare hasło do konta", None).await;
        request_reset(&app, "anna@example.pl").await;
        request_reset(&app, "anna@example.pl").await;
        let links = reset_links(&app, "anna@example.pl");
        assert_eq!(links.len(), 2);
        let r = use_reset_link(&app, &links[0], "nowe hasło po resecie").await;
        assert_eq!(location(&r), "/konto/logowanie");
        link_is_dead(&app, &links[1]).await;

        // A link requested, then the password changed on the account page: the link is dead.
        request_reset(&app, "anna@example.pl").await;
        let link = link_in_mail(&app, "anna@example.pl", "/konto/nowe-haslo?t=");
        assert!(!links.contains(&link));
        let r = post_form(
            &app,
            "/konto/logowanie",
            "/konto/logowanie",
            &[
                ("email", "anna@example.pl"),
                ("password", "nowe hasło po resecie"),
            ],
        )
        .await;
        assert_eq!(location(&r), "/panel");
        let r = post_form(
            &app,
            "/panel/konto/haslo",
            "/panel/konto",
            &[
                ("current_password", "nowe hasło po resecie"),
                ("password", "hasło zmienione w panelu"),
                ("password_confirm", "hasło zmienione w panelu"),
            ],
        )
        .await;
        assert_eq!(location(&r), "/panel/konto");
        link_is_dead(&app, &link).await;
        // The change stands.
        post_form(&app, "/konto/wyloguj", "/panel", &[]).await;
        let r = post_form(
            &app,
            "/konto/logowanie",
            "/konto/logowanie",
            &[
                ("email", "anna@example.pl"),
                ("password", "hasło zmienione w panelu"),
            ],
        )
        .await;
        assert_eq!(location(&r), "/panel");
    })
    .await;
}

// ---- item 4: sign-up looks and costs the same for a registered address ----

#[tokio::test]
async fn sign_up_of_a_registered_address_answers_and_works_the_same() {
    each_backend("sign-up parity", |b| async move {
        let app = TestApp::with_demo(b, false).await;
        make_user(&app, "zajety@example.pl", "hasło istniejącego konta", None).await;
        let sign_up = |email: &'static str| {
            let app = &app;
            async move {
                let c = client();
                let r = post_as(
                    app,
                    &c,
                    "/konto/rejestracja",
                    "/konto/rejestracja",
                    &[
                        ("name", "Ktoś Nowy"),
                        ("email", email),
                        ("password", "długie hasło nowej osoby"),
                        ("password_confirm", "długie hasło nowej osoby"),
                        ("privacy", "yes"),
                    ],
                    "pl",
                )
                .await;
                let status = r.status().as_u16();
                let cookies: Vec<String> = r
                    .headers()
                    .get_all("set-cookie")
                    .iter()
                    .filter_map(|v| v.to_str().ok())
                    .map(|c| c.split('=').next().unwrap_or("").to_owned())
                    .collect();
                let to = crate::accounts::location(&r);
                let html = c
                    .get(app.url(&to))
                    .header("accept-language", "pl")
                    .send()
                    .await
                    .expect("get")
                    .text()
                    .await
                    .expect("t");
                let token =
                    extract_between(&html, "name=\"_csrf\" value=\"", "\"").unwrap_or_default();
                (status, cookies, html.replace(&token, ""))
            }
        };
        let fresh = sign_up("nowa@example.pl").await;
        let taken = sign_up("zajety@example.pl").await;
        assert_eq!(fresh.0, 303, "post/redirect/get");
        assert_eq!(fresh, taken, "same status, cookies (flash) and page");
        assert!(fresh.2.contains("Sprawdź skrzynkę e-mail"));
        app.tp.worker().run_until_idle().await.expect("jobs");
        assert_eq!(app.tp.smtp.messages().len(), 2, "one mail each way");

        // The work behind the answer: one argon2 hash and one mail job on both branches.
        let db = &app.tp.platform.db.conn;
        let base = app.base.as_str();
        let run = |email: &'static str| async move {
            wspolnie_areas::accounts::model::sign_up(
                db,
                wspolnie_areas::accounts::model::SignUp {
                    email,
                    name: "Ktoś",
                    password: "długie hasło kogoś innego",
                    lang: wspolnie_platform::i18n::Lang::Pl,
                    public_url: base,
                },
            )
            .await
            .expect("sign-up")
        };
        let new = run("jeszcze-nowa@example.pl").await;
        let existing = run("zajety@example.pl").await;
        assert!(new.created && !existing.created);
        assert_eq!((new.password_hashes, new.mails), (1, 1));
        assert_eq!(
            (existing.password_hashes, existing.mails),
            (new.password_hashes, new.mails),
            "the registered address costs the same work"
        );
    })
    .await;
}

// ---- item 11: throttling that locks out attackers, not the office ----

#[tokio::test]
async fn failures_from_one_address_do_not_lock_the_account_for_another() {
    each_backend("throttle per address", |b| async move {
        let app = TestApp::with_demo(b, false).await;
        make_user(&app, "admin@example.pl", "prawidłowe hasło konta", None).await;
        let attacker = client_from(2);
        for _ in 0..5 {
            let r = sign_in_as(&app, &attacker, "admin@example.pl", "zgadywane hasło", "pl").await;
            assert!(
                r.text()
                    .await
                    .expect("t")
                    .contains("Nieprawidłowy adres e-mail lub hasło.")
            );
        }
        // From the attacker's address, the account is closed for a while, even to the right
        // password, with a localised message.
        let r = sign_in_as(
            &app,
            &attacker,
            "admin@example.pl",
            "prawidłowe hasło konta",
            "pl",
        )
        .await;
        assert_eq!(r.status(), 200);
        assert!(
            r.text()
                .await
                .expect("t")
                .contains("Zbyt wiele prób logowania. Spróbuj ponownie za minutę.")
        );
        let r = sign_in_as(
            &app,
            &attacker,
            "admin@example.pl",
            "prawidłowe hasło konta",
            "en",
        )
        .await;
        assert!(
            r.text()
                .await
                .expect("t")
                .contains("Too many sign-in attempts. Try again in a minute.")
        );
        // The owner, from elsewhere, signs in.
        let owner = client_from(3);
        let r = sign_in_as(
            &app,
            &owner,
            "admin@example.pl",
            "prawidłowe hasło konta",
            "pl",
        )
        .await;
        assert_eq!(
            (r.status().as_u16(), location(&r)),
            (303, "/panel".to_owned())
        );
        // Which does not reopen the attacker's address.
        let r = sign_in_as(
            &app,
            &client_from(2),
            "admin@example.pl",
            "prawidłowe hasło konta",
            "pl",
        )
        .await;
        assert!(r.text().await.expect("t").contains("Zbyt wiele prób"));
        // Refused attempts are not failures: one more failure from the owner's address is free.
        let r = sign_in_as(
            &app,
            &client_from(3),
            "admin@example.pl",
            "zła literówka",
            "pl",
        )
        .await;
        assert!(
            r.text()
                .await
                .expect("t")
                .contains("Nieprawidłowy adres e-mail lub hasło.")
        );
        assert_eq!(
            app.tp
                .scalar_i64("SELECT COUNT(*) FROM throttle WHERE bucket LIKE 'signin:fail:%'")
                .await,
            6
        );
    })
    .await;
}

#[tokio::test]
async fn forty_sign_ins_from_one_address_are_never_throttled() {
    each_backend("throttle successes", |b| async move {
        let app = TestApp::with_demo(b, false).await;
        make_user(&app, "biuro@example.pl", "wspólne hasło biura", None).await;
        make_user(&app, "kasia@example.pl", "hasło Kasi z biura", None).await;
        for i in 0..40 {
            // Everyone in the office is behind one address; one of them mistypes now and then.
            let c = client();
            if i % 10 == 0 {
                let r = sign_in_as(&app, &c, "kasia@example.pl", "hasło Kasi z biur", "pl").await;
                assert!(
                    r.text()
                        .await
                        .expect("t")
                        .contains("Nieprawidłowy adres e-mail lub hasło.")
                );
            }
            let (email, password) = if i % 2 == 0 {
                ("biuro@example.pl", "wspólne hasło biura")
            } else {
                ("kasia@example.pl", "hasło Kasi z biura")
            };
            let r = sign_in_as(&app, &c, email, password, "pl").await;
            assert_eq!(
                (r.status().as_u16(), location(&r)),
                (303, "/panel".to_owned()),
                "sign-in {i} refused"
            );
        }
        assert_eq!(app.tp.scalar_i64("SELECT COUNT(*) FROM sessions").await, 40);
    })
    .await;
}

#[tokio::test]
async fn throttle_rows_hold_no_address() {
    each_backend("throttle rows", |b| async move {
        let app = TestApp::with_demo(b, false).await;
        make_user(&app, "ofiara@example.pl", "hasło ofiary ataku", None).await;
        let huge = format!("{}@example.pl", "a".repeat(200_000));
        for email in [
            "ofiara@example.pl",
            "nieznany@example.pl",
            huge.as_str(),
            "to nie adres",
        ] {
            let r = post_form(
                &app,
                "/konto/logowanie",
                "/konto/logowanie",
                &[("email", email), ("password", "złe hasło")],
            )
            .await;
            assert_eq!(r.status(), 200);
        }
        let r = post_form(
            &app,
            "/konto/reset-hasla",
            "/konto/reset-hasla",
            &[("email", "ofiara@example.pl")],
        )
        .await;
        assert_eq!(r.status(), 303);
        let rows = throttle::Entity::find()
            .all(&app.tp.platform.db.conn)
            .await
            .expect("rows");
        assert!(rows.iter().any(|r| r.bucket.starts_with("signin:fail:")));
        assert!(rows.iter().any(|r| r.bucket.starts_with("reset:acct:")));
        for r in &rows {
            assert!(
                !r.bucket.contains('@')
                    && !r.bucket.contains("ofiara")
                    && !r.bucket.contains("nieznany")
                    && !r.bucket.contains("adres"),
                "raw address in {}",
                r.bucket
            );
            assert!(r.bucket.len() < 120, "bucket of {} bytes", r.bucket.len());
        }
    })
    .await;
}

// ---- item 13: sessions and requests around signing in ----

#[tokio::test]
async fn the_session_id_changes_after_the_second_factor() {
    each_backend("session rotation", |b| async move {
        let app = TestApp::with_demo(b, false).await;
        let id = make_user(
            &app,
            "admin@example.pl",
            "hasło administratora",
            Some(&[("admin", "")]),
        )
        .await;
        let secret = with_totp(&app, id).await;
        let r = post_form(
            &app,
            "/konto/logowanie",
            "/konto/logowanie",
            &[
                ("email", "admin@example.pl"),
                ("password", "hasło administratora"),
            ],
        )
        .await;
        let before = set_cookie(&r, "wsp_session").expect("session cookie at sign-in");
        let r = post_form(
            &app,
            "/konto/2fa",
            "/konto/2fa",
            &[("code", &code_at(&secret, Utc::now().timestamp()))],
        )
        .await;
        assert_eq!(location(&r), "/panel");
        let after = set_cookie(&r, "wsp_session").expect("a new session cookie after the code");
        assert_ne!(before, after);
        assert_eq!(app.tp.scalar_i64("SELECT COUNT(*) FROM sessions").await, 1);
        let raw = client();
        let with = |token: String| {
            raw.get(app.url("/panel"))
                .header("cookie", format!("wsp_session={token}"))
        };
        let r = with(before.clone()).send().await.expect("get");
        assert!(
            location(&r).starts_with("/konto/logowanie"),
            "the id from before the code is worth nothing"
        );
        let r = raw
            .get(app.url("/konto/2fa"))
            .header("cookie", format!("wsp_session={before}"))
            .send()
            .await
            .expect("get");
        assert!(location(&r).starts_with("/konto/logowanie"));
        assert_eq!(with(after).send().await.expect("get").status(), 200);
    })
    .await;
}

#[tokio::test]
async fn a_sign_in_waiting_for_its_second_factor_can_sign_out() {
    each_backend("pending sign-out", |b| async move {
        let app = TestApp::with_demo(b, false).await;
        let id = make_user(
            &app,
            "admin@example.pl",
            "hasło administratora",
            Some(&[("admin", "")]),
        )
        .await;
        with_totp(&app, id).await;
        let r = post_form(
            &app,
            "/konto/logowanie",
            "/konto/logowanie",
            &[
                ("email", "admin@example.pl"),
                ("password", "hasło administratora"),
            ],
        )
        .await;
        assert_eq!(location(&r), "/konto/2fa");
        let (_, html) = app.get_text("/konto/2fa").await;
        assert!(
            html.contains("action=\"/konto/wyloguj\""),
            "the page offers signing out"
        );
        let r = post_form(&app, "/konto/wyloguj", "/konto/2fa", &[]).await;
        assert_eq!((r.status().as_u16(), location(&r)), (303, "/".to_owned()));
        assert!(set_cookie(&r, "wsp_flash").is_some_and(|f| f.contains("flash-signed-out")));
        assert_eq!(app.tp.scalar_i64("SELECT COUNT(*) FROM sessions").await, 0);
        assert!(location(&app.get("/konto/2fa").await).starts_with("/konto/logowanie"));
    })
    .await;
}

#[tokio::test]
async fn session_ended_is_said_only_when_one_was() {
    each_backend("honest flash", |b| async move {
        let app = TestApp::with_demo(b, false).await;
        make_user(&app, "jan@example.pl", "hasło Jana Kowalskiego", None).await;
        let other = make_user(&app, "ewa@example.pl", "hasło Ewy Nowak 2026", None).await;
        let r = post_form(
            &app,
            "/konto/logowanie",
            "/konto/logowanie",
            &[
                ("email", "jan@example.pl"),
                ("password", "hasło Jana Kowalskiego"),
            ],
        )
        .await;
        assert_eq!(location(&r), "/panel");
        // Nothing to end: an unknown id, and another person's session.
        let ewas = wspolnie_platform::auth::create_session(
            &app.tp.platform.db.conn,
            other,
            "127.0.0.1",
            "test",
            true,
        )
        .await
        .expect("session");
        for id in [
            "nie-ma-takiej".to_owned(),
            wspolnie_platform::auth::hash_token(&ewas),
        ] {
            let r = post_form(&app, "/panel/sesje/zakoncz", "/panel/sesje", &[("id", &id)]).await;
            assert_eq!(
                (r.status().as_u16(), location(&r)),
                (303, "/panel/sesje".to_owned())
            );
            assert_eq!(
                set_cookie(&r, "wsp_flash"),
                None,
                "no \"session ended\" for {id}"
            );
            let (_, html) = app.get_text("/panel/sesje").await;
            assert!(!html.contains("Sesja zakończona."));
        }
        assert_eq!(app.tp.scalar_i64("SELECT COUNT(*) FROM sessions").await, 2);
        // A real one of one's own: said.
        let second = client();
        let r = sign_in_as(
            &app,
            &second,
            "jan@example.pl",
            "hasło Jana Kowalskiego",
            "pl",
        )
        .await;
        assert_eq!(location(&r), "/panel");
        let (_, html) = app.get_text("/panel/sesje").await;
        let id = extract_between(&html, "name=\"id\" value=\"", "\"").expect("the other session");
        let r = post_form(&app, "/panel/sesje/zakoncz", "/panel/sesje", &[("id", &id)]).await;
        assert!(set_cookie(&r, "wsp_flash").is_some_and(|f| f.contains("flash-session-revoked")));
        let (_, html) = app.get_text("/panel/sesje").await;
        assert!(html.contains("Sesja zakończona."));
        // Signing out with a session ended elsewhere says nothing either.
        app.tp.exec("DELETE FROM sessions").await;
        let r = post_form(&app, "/konto/wyloguj", "/", &[]).await;
        assert_eq!(set_cookie(&r, "wsp_flash"), None);
    })
    .await;
}

#[tokio::test]
async fn personal_pages_are_not_stored_by_caches() {
    each_backend("no-store", |b| async move {
        let app = TestApp::with_demo(b, false).await;
        make_user(&app, "jan@example.pl", "hasło Jana Kowalskiego", None).await;
        let cache = |r: &reqwest::Response| {
            r.headers()
                .get("cache-control")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .to_owned()
        };
        assert_eq!(
            cache(&app.get("/").await),
            "no-cache",
            "public pages may be kept and revalidated"
        );
        assert_eq!(cache(&app.get("/konto/logowanie").await), "no-store");
        assert_eq!(
            cache(&app.get("/panel").await),
            "no-store",
            "even the redirect to sign-in"
        );
        post_form(
            &app,
            "/konto/logowanie",
            "/konto/logowanie",
            &[
                ("email", "jan@example.pl"),
                ("password", "hasło Jana Kowalskiego"),
            ],
        )
        .await;
        for path in [
            "/panel",
            "/panel/konto",
            "/panel/sesje",
            "/panel/konto/eksport",
            "/",
            "/organizacje",
            "/nie-ma-takiej-strony",
        ] {
            let r = app.get(path).await;
            assert_eq!(cache(&r), "no-store", "{path} signed in");
        }
        let (_, html) = app.get_text("/").await;
        let css = extract_between(&html, "<link rel=\"stylesheet\" href=\"", "\"").expect("css");
        assert!(
            cache(&app.get(&css).await).contains("immutable"),
            "static files stay cacheable"
        );
    })
    .await;
}

/// A POST of the appearance form with `origin`, as a browser with a valid CSRF pair would send
/// it; cookies are sent by hand (the https site's cookies are `Secure`).
async fn post_with_origin(base: &str, origin: &str) -> u16 {
    let c = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .build()
        .expect("client");
    let page = c
        .get(format!("{base}/ustawienia"))
        .send()
        .await
        .expect("get");
    let csrf = set_cookie(&page, "wsp_csrf").expect("csrf cookie");
    let html = page.text().await.expect("html");
    let token = extract_between(&html, "name=\"_csrf\" value=\"", "\"").expect("token");
    c.post(format!("{base}/ustawienia/wyglad"))
        .header("cookie", format!("wsp_csrf={csrf}"))
        .header("origin", origin)
        .form(&[("text_size", "large"), ("_csrf", token.as_str())])
        .send()
        .await
        .expect("post")
        .status()
        .as_u16()
}

#[tokio::test]
async fn the_origin_must_be_our_scheme_host_and_port() {
    each_backend("origin", |b| async move {
        let app = TestApp::with_demo(b, false).await;
        let hostport = app.base.trim_start_matches("http://").to_owned();
        assert_eq!(post_with_origin(&app.base, &app.base).await, 303);
        assert_eq!(
            post_with_origin(&app.base, &format!("https://{hostport}")).await,
            403,
            "another scheme"
        );
        assert_eq!(
            post_with_origin(&app.base, "http://127.0.0.1:1").await,
            403,
            "another port"
        );
        assert_eq!(
            post_with_origin(&app.base, "http://evil.example").await,
            403
        );

        // A site published over https (behind a TLS proxy): an http:// page of the same host
        // may not post to it.
        let tp =
            TestPlatform::with_public_url(b, Some("https://ngo.wierzbin.example".into())).await;
        let state = wspolnie_areas::state(tp.platform.clone())
            .await
            .expect("state");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let base = format!("http://{}", listener.local_addr().expect("addr"));
        let server = tokio::spawn(async move {
            let _ = axum::serve(listener, wspolnie_areas::app(state)).await;
        });
        assert_eq!(
            post_with_origin(&base, "https://ngo.wierzbin.example").await,
            303
        );
        assert_eq!(
            post_with_origin(&base, "https://NGO.wierzbin.example:443").await,
            303
        );
        assert_eq!(
            post_with_origin(&base, "http://ngo.wierzbin.example").await,
            403,
            "http origin, https site"
        );
        assert_eq!(
            post_with_origin(&base, "https://ngo.wierzbin.example:8443").await,
            403
        );
        let host = base.trim_start_matches("http://");
        assert_eq!(
            post_with_origin(&base, &format!("http://{host}")).await,
            403,
            "the Host, but over http"
        );
        server.abort();
        drop(tp);
    })
    .await;
}

#[tokio::test]
async fn unknown_methods_get_405_not_403() {
    each_backend("methods", |b| async move {
        let app = TestApp::with_demo(b, false).await;
        let method = |m: &str| reqwest::Method::from_bytes(m.as_bytes()).expect("method");
        let r = app
            .client
            .request(method("PROPFIND"), app.url("/konto/logowanie"))
            .send()
            .await
            .expect("propfind");
        assert_eq!(r.status(), 405);
        let allow = r
            .headers()
            .get("allow")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned();
        assert!(
            allow.contains("GET") && allow.contains("POST"),
            "Allow: {allow}"
        );
        assert!(
            r.text().await.expect("t").contains("<h1"),
            "a localised page"
        );
        let r = app
            .client
            .request(method("FOO"), app.url("/"))
            .send()
            .await
            .expect("foo");
        assert_eq!(r.status(), 405);
        assert!(r.headers().get("allow").is_some());
        let r = app
            .client
            .request(method("PROPFIND"), app.url("/nie-ma-takiej"))
            .send()
            .await
            .expect("propfind");
        assert_eq!(r.status(), 404);
        // A POST without a token is still refused.
        let r = client()
            .post(app.url("/konto/logowanie"))
            .form(&[("email", "x@example.pl")])
            .send()
            .await
            .expect("post");
        assert_eq!(r.status(), 403);
    })
    .await;
}
