//! Accounts end to end over HTTP: sign-up → verification e-mail → confirm → sign-in → panel →
//! sessions → sign-out, password reset, enumeration resistance, throttling, and the route × role
//! authorisation matrix.

use crate::common::*;
use chrono::{Datelike, Utc};
use sea_orm::{ActiveValue::Set, EntityTrait};
use std::collections::HashMap;
use wspolnie_areas::directory::entity::organization;
use wspolnie_platform::entity::organization_member;
use wspolnie_platform::entity::role_grant;
use wspolnie_platform::entity::user;

/// The link (first absolute URL containing `path`) in the last mail to `to`.
pub(crate) fn link_in_mail(app: &TestApp, to: &str, path: &str) -> String {
    let msgs = app.tp.smtp.messages();
    let m = msgs
        .iter()
        .rev()
        .find(|m| m.to.iter().any(|t| t == to))
        .unwrap_or_else(|| panic!("no mail to {to}"));
    let parsed = mailparse::parse_mail(m.data.as_bytes()).expect("mime");
    let text = parsed.subparts[0].get_body().expect("text part");
    let start = text
        .find(&format!("{}{path}", app.base))
        .unwrap_or_else(|| panic!("no {path} link in: {text}"));
    text[start..]
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .to_owned()
}

pub(crate) fn path_of(app: &TestApp, link: &str) -> String {
    link.strip_prefix(&app.base).unwrap_or(link).to_owned()
}

pub(crate) async fn post_form(
    app: &TestApp,
    path: &str,
    token_page: &str,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    let token = app.csrf_token(token_page).await;
    let mut form: Vec<(&str, &str)> = fields.to_vec();
    form.push(("_csrf", &token));
    app.client
        .post(app.url(path))
        .form(&form)
        .send()
        .await
        .expect("post")
}

/// The page a successful POST leads to: a 303 (post/redirect/get), then the GET of its address.
pub(crate) async fn follow(app: &TestApp, r: reqwest::Response) -> String {
    assert_eq!(r.status(), 303, "a successful POST redirects to a page");
    app.get_text(&location(&r)).await.1
}

pub(crate) fn location(r: &reqwest::Response) -> String {
    r.headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned()
}

#[tokio::test]
async fn sign_up_verify_sign_in_sessions_and_sign_out() {
    each_backend("account flow", |b| async move {
        let app = TestApp::with_demo(b, false).await;
        // Invalid input: errors next to the fields, input kept, nothing written.
        let r = post_form(
            &app,
            "/konto/rejestracja",
            "/konto/rejestracja",
            &[
                ("name", "Zofia Żak"),
                ("email", "zly-adres"),
                ("password", "krótkie"),
                ("password_confirm", "x"),
            ],
        )
        .await;
        assert_eq!(r.status(), 200);
        let html = r.text().await.expect("body");
        assert!(html.contains("class=\"error-summary\""), "error summary");
        assert!(html.contains("Podaj poprawny adres e-mail"));
        assert!(html.contains("Hasło musi mieć co najmniej 12 znaków."));
        assert!(html.contains("zaznacz zgodę"));
        assert!(
            html.contains("value=\"Zofia Żak\"") && html.contains("value=\"zly-adres\""),
            "input kept"
        );
        assert_eq!(app.tp.scalar_i64("SELECT COUNT(*) FROM users").await, 0);

        let fields = [
            ("name", "Zofia Żak"),
            ("email", "Zofia.Zak@Example.PL"),
            ("password", "gęsta mgła nad łąką"),
            ("password_confirm", "gęsta mgła nad łąką"),
            ("privacy", "yes"),
        ];
        let r = post_form(&app, "/konto/rejestracja", "/konto/rejestracja", &fields).await;
        assert_eq!(location(&r), "/konto/rejestracja?wyslano=1");
        assert!(follow(&app, r).await.contains("Sprawdź skrzynkę e-mail"));
        assert_eq!(
            app.tp
                .scalar_i64("SELECT COUNT(*) FROM consents WHERE purpose = 'privacy_notice'")
                .await,
            1,
            "consent recorded"
        );
        app.tp.worker().run_until_idle().await.expect("jobs");
        let link = link_in_mail(&app, "zofia.zak@example.pl", "/konto/potwierdz?t=");

        // Before verification, the right password does not open a session.
        let r = post_form(
            &app,
            "/konto/logowanie",
            "/konto/logowanie",
            &[
                ("email", "zofia.zak@example.pl"),
                ("password", "gęsta mgła nad łąką"),
            ],
        )
        .await;
        assert!(
            r.text()
                .await
                .expect("body")
                .contains("Najpierw potwierdź adres e-mail")
        );
        app.tp.worker().run_until_idle().await.expect("jobs");

        // Opening the link changes nothing; the button does.
        let (status, page) = app.get_text(&path_of(&app, &link)).await;
        assert_eq!(status, 200);
        assert!(page.contains("Potwierdzam adres e-mail"));
        let token = link.split("t=").nth(1).expect("token").to_owned();
        let r = post_form(&app, "/konto/potwierdz", "/", &[("t", &token)]).await;
        assert_eq!(
            (r.status().as_u16(), location(&r).as_str()),
            (303, "/konto/logowanie")
        );
        let r = post_form(&app, "/konto/potwierdz", "/", &[("t", &token)]).await;
        assert!(
            r.text()
                .await
                .expect("body")
                .contains("Ten link nie jest już ważny"),
            "single use"
        );

        // Wrong password: a generic message, the e-mail kept.
        let r = post_form(
            &app,
            "/konto/logowanie",
            "/konto/logowanie",
            &[
                ("email", "zofia.zak@example.pl"),
                ("password", "zle haslo zle haslo"),
            ],
        )
        .await;
        let html = r.text().await.expect("body");
        assert!(
            html.contains("Nieprawidłowy adres e-mail lub hasło.")
                && html.contains("value=\"zofia.zak@example.pl\"")
        );

        let r = post_form(
            &app,
            "/konto/logowanie",
            "/konto/logowanie",
            &[
                ("email", " ZOFIA.ZAK@example.pl "),
                ("password", "gęsta mgła nad łąką"),
                ("next", "/panel/sesje"),
            ],
        )
        .await;
        assert_eq!(
            (r.status().as_u16(), location(&r).as_str()),
            (303, "/panel/sesje")
        );
        let cookies: Vec<String> = r
            .headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .map(str::to_owned)
            .collect();
        let session_cookie = cookies
            .iter()
            .find(|c| c.starts_with("wsp_session="))
            .expect("session cookie");
        assert!(session_cookie.contains("HttpOnly") && session_cookie.contains("SameSite=Lax"));
        assert!(
            cookies.iter().any(|c| c.starts_with("wsp_csrf=")),
            "CSRF secret rotated at sign-in"
        );
        let (status, html) = app.get_text("/panel").await;
        assert_eq!(status, 200);
        assert!(html.contains("Witaj, Zofia Żak!"));

        // A second sign-in (another device) → two sessions; end the other one.
        let other = client();
        let token2 = {
            let html = other
                .get(app.url("/konto/logowanie"))
                .send()
                .await
                .expect("get")
                .text()
                .await
                .expect("t");
            extract_between(&html, "name=\"_csrf\" value=\"", "\"").expect("token")
        };
        let _ = other; // the cookie jar of `other` is not shared: sign in with raw cookies below
        let second = client();
        let html = second
            .get(app.url("/konto/logowanie"))
            .send()
            .await
            .expect("get")
            .text()
            .await
            .expect("t");
        let t2 = extract_between(&html, "name=\"_csrf\" value=\"", "\"").expect("token");
        assert_ne!(t2, token2);
        let r = second
            .post(app.url("/konto/logowanie"))
            .form(&[
                ("email", "zofia.zak@example.pl"),
                ("password", "gęsta mgła nad łąką"),
                ("_csrf", t2.as_str()),
            ])
            .send()
            .await
            .expect("post");
        assert_eq!(r.status(), 303);
        assert_eq!(app.tp.scalar_i64("SELECT COUNT(*) FROM sessions").await, 2);
        let (_, html) = app.get_text("/panel/sesje").await;
        assert!(html.contains("to urządzenie"));
        let other_id =
            extract_between(&html, "name=\"id\" value=\"", "\"").expect("other session id");
        let r = post_form(
            &app,
            "/panel/sesje/zakoncz",
            "/panel/sesje",
            &[("id", &other_id)],
        )
        .await;
        assert_eq!(r.status(), 303);
        assert_eq!(app.tp.scalar_i64("SELECT COUNT(*) FROM sessions").await, 1);
        let r = second.get(app.url("/panel")).send().await.expect("get");
        assert_eq!(
            (
                r.status().as_u16(),
                location(&r).starts_with("/konto/logowanie")
            ),
            (303, true),
            "revoked session is signed out"
        );

        let r = post_form(&app, "/konto/wyloguj", "/panel", &[]).await;
        assert_eq!(r.status(), 303);
        assert_eq!(app.tp.scalar_i64("SELECT COUNT(*) FROM sessions").await, 0);
        let r = app.get("/panel").await;
        assert!(location(&r).starts_with("/konto/logowanie?next=%2Fpanel"));
        app.tp.worker().run_until_idle().await.expect("jobs");
        app.tp.assert_no_pending_jobs().await;
    })
    .await;
}

#[tokio::test]
async fn password_reset_is_single_use_and_does_not_reveal_accounts() {
    each_backend("reset", |b| async move {
        let app = TestApp::with_demo(b, false).await;
        make_user(&app, "anna@example.pl", "stare hasło do konta", None).await;
        let r = post_form(
            &app,
            "/konto/reset-hasla",
            "/konto/reset-hasla",
            &[("email", "anna@example.pl")],
        )
        .await;
        let known = follow(&app, r).await;
        let r = post_form(
            &app,
            "/konto/reset-hasla",
            "/konto/reset-hasla",
            &[("email", "nikt@example.pl")],
        )
        .await;
        let unknown = follow(&app, r).await;
        let strip = |h: &str| {
            h.replace(
                &extract_between(h, "name=\"_csrf\" value=\"", "\"").unwrap_or_default(),
                "",
            )
        };
        assert_eq!(
            strip(&known),
            strip(&unknown),
            "same page whether or not the account exists"
        );
        app.tp.worker().run_until_idle().await.expect("jobs");
        assert_eq!(
            app.tp.smtp.messages().len(),
            1,
            "only the real account gets mail"
        );
        let link = link_in_mail(&app, "anna@example.pl", "/konto/nowe-haslo?t=");
        let token = link.split("t=").nth(1).expect("token").to_owned();
        let (_, page) = app.get_text(&path_of(&app, &link)).await;
        assert!(page.contains("Zapisz nowe hasło"));
        let r = post_form(
            &app,
            "/konto/nowe-haslo",
            "/",
            &[
                ("t", &token),
                ("password", "nowe hasło nad rzeką"),
                ("password_confirm", "inne"),
            ],
        )
        .await;
        assert!(
            r.text()
                .await
                .expect("t")
                .contains("Hasła nie są takie same."),
            "validation before the token is used"
        );
        let r = post_form(
            &app,
            "/konto/nowe-haslo",
            "/",
            &[
                ("t", &token),
                ("password", "nowe hasło nad rzeką"),
                ("password_confirm", "nowe hasło nad rzeką"),
            ],
        )
        .await;
        assert_eq!(location(&r), "/konto/logowanie");
        let r = post_form(
            &app,
            "/konto/nowe-haslo",
            "/",
            &[
                ("t", &token),
                ("password", "jeszcze inne hasło"),
                ("password_confirm", "jeszcze inne hasło"),
            ],
        )
        .await;
        assert!(
            r.text()
                .await
                .expect("t")
                .contains("Ten link nie jest już ważny")
        );
        let r = post_form(
            &app,
            "/konto/logowanie",
            "/konto/logowanie",
            &[
                ("email", "anna@example.pl"),
                ("password", "nowe hasło nad rzeką"),
            ],
        )
        .await;
        assert_eq!(r.status(), 303, "new password works");

        // Signing up again with the same address: same answer, a notice to the owner, no new account.
        let fields = [
            ("name", "Ktoś"),
            ("email", "anna@example.pl"),
            ("password", "jakieś długie hasło"),
            ("password_confirm", "jakieś długie hasło"),
            ("privacy", "yes"),
        ];
        let c = client();
        let html = c
            .get(app.url("/konto/rejestracja"))
            .send()
            .await
            .expect("g")
            .text()
            .await
            .expect("t");
        let t = extract_between(&html, "name=\"_csrf\" value=\"", "\"").expect("token");
        let mut f = fields.to_vec();
        f.push(("_csrf", &t));
        let r = c
            .post(app.url("/konto/rejestracja"))
            .form(&f)
            .send()
            .await
            .expect("p");
        assert_eq!(r.status(), 303);
        let html = c
            .get(app.url(&location(&r)))
            .send()
            .await
            .expect("g")
            .text()
            .await
            .expect("t");
        assert!(html.contains("Sprawdź skrzynkę e-mail"));
        app.tp.worker().run_until_idle().await.expect("jobs");
        assert_eq!(app.tp.scalar_i64("SELECT COUNT(*) FROM users").await, 1);
        assert!(app.tp.smtp.messages().iter().any(|m| {
            m.data.contains("konto ju")
                || mailparse::parse_mail(m.data.as_bytes())
                    .ok()
                    .and_then(|p| p.subparts.first().and_then(|s| s.get_body().ok()))
                    .is_some_and(|b| b.contains("konto już istnieje"))
        }));
    })
    .await;
}

#[tokio::test]
async fn sign_in_is_throttled_per_account() {
    each_backend("throttle", |b| async move {
        let app = TestApp::with_demo(b, false).await;
        make_user(&app, "jan@example.pl", "prawidłowe hasło konta", None).await;
        for _ in 0..5 {
            let r = post_form(
                &app,
                "/konto/logowanie",
                "/konto/logowanie",
                &[
                    ("email", "jan@example.pl"),
                    ("password", "złe hasło złe hasło"),
                ],
            )
            .await;
            assert!(
                r.text()
                    .await
                    .expect("t")
                    .contains("Nieprawidłowy adres e-mail lub hasło.")
            );
        }
        let r = post_form(
            &app,
            "/konto/logowanie",
            "/konto/logowanie",
            &[
                ("email", "jan@example.pl"),
                ("password", "prawidłowe hasło konta"),
            ],
        )
        .await;
        assert_eq!(r.status(), 200, "locked out even with the right password");
        assert!(r.text().await.expect("t").contains("Zbyt wiele prób"));
        // The same message for an account that does not exist (no enumeration).
        for _ in 0..5 {
            post_form(
                &app,
                "/konto/logowanie",
                "/konto/logowanie",
                &[
                    ("email", "brak@example.pl"),
                    ("password", "cokolwiek długiego"),
                ],
            )
            .await;
        }
        let r = post_form(
            &app,
            "/konto/logowanie",
            "/konto/logowanie",
            &[
                ("email", "brak@example.pl"),
                ("password", "cokolwiek długiego"),
            ],
        )
        .await;
        assert!(r.text().await.expect("t").contains("Zbyt wiele prób"));
        assert_eq!(app.tp.scalar_i64("SELECT COUNT(*) FROM sessions").await, 0);
    })
    .await;
}

/// Creates a verified user with optional office role grants; returns the id.
pub(crate) async fn make_user(
    app: &TestApp,
    email: &str,
    password: &str,
    roles: Option<&[(&str, &str)]>,
) -> i64 {
    let db = &app.tp.platform.db.conn;
    let now = Utc::now();
    let id = user::Entity::insert(user::ActiveModel {
        email: Set(email.into()),
        display_name: Set(email.split('@').next().unwrap_or("x").into()),
        password_hash: Set(Some(
            wspolnie_areas::accounts::model::hash_password(password).expect("hash"),
        )),
        locale: Set("pl".into()),
        email_verified_at: Set(Some(now)),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    })
    .exec(db)
    .await
    .expect("user")
    .last_insert_id;
    for (role, scope) in roles.unwrap_or(&[]) {
        role_grant::Entity::insert(role_grant::ActiveModel {
            user_id: Set(id),
            role: Set((*role).into()),
            scope: Set((*scope).into()),
            created_at: Set(now),
            ..Default::default()
        })
        .exec(db)
        .await
        .expect("grant");
    }
    id
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Outcome {
    Allowed,
    Denied,
}

/// Who may use each route. A route missing here (or listed here but gone) fails the test: place
/// every new route in this table with the roles that may use it.
fn expected() -> HashMap<(&'static str, &'static str), &'static str> {
    // Role sets: "all", "guest" (anonymous only), "signed" (any signed-in), "admin".
    [
        (("GET", "/"), "all"),
        (("GET", "/organizacje"), "all"),
        (("GET", "/organizacje.csv"), "all"),
        (("GET", "/organizacje.json"), "all"),
        (("GET", "/api/v1/openapi.json"), "all"),
        (("GET", "/api/v1/organizations"), "all"),
        (("GET", "/api/v1/organizations/{slug}"), "all"),
        (("GET", "/organizacje/{slug}"), "all"),
        (("GET", "/aktualnosci"), "all"),
        (("GET", "/aktualnosci/{slug}"), "all"),
        (("GET", "/kalendarz"), "all"),
        (("GET", "/kalendarz/{slug}"), "all"),
        (("GET", "/kalendarz.ics"), "all"),
        (("GET", "/kalendarz/{slug}/wydarzenie.ics"), "all"),
        (("GET", "/organizacje/{slug}/kalendarz.ics"), "all"),
        (("GET", "/kontakt"), "all"),
        (("GET", "/dostepnosc"), "all"),
        (("GET", "/newsletter"), "all"),
        (("POST", "/newsletter"), "all"),
        (("GET", "/newsletter/potwierdz"), "all"),
        (("POST", "/newsletter/potwierdz"), "all"),
        (("GET", "/newsletter/ustawienia"), "all"),
        (("POST", "/newsletter/ustawienia"), "all"),
        (("GET", "/newsletter/wypisz"), "all"),
        (("POST", "/newsletter/wypisz"), "all"),
        (("GET", "/prywatnosc"), "all"),
        (("GET", "/otwarte-dane"), "all"),
        (("GET", "/ustawienia"), "all"),
        (("POST", "/ustawienia/wyglad"), "all"),
        (("POST", "/ustawienia/jezyk"), "all"),
        (("GET", "/konto/rejestracja"), "guest"),
        (("POST", "/konto/rejestracja"), "guest"),
        (("GET", "/konto/potwierdz"), "all"),
        (("POST", "/konto/potwierdz"), "all"),
        (("GET", "/konto/logowanie"), "guest"),
        (("POST", "/konto/logowanie"), "guest"),
        (("POST", "/konto/wyloguj"), "signed"),
        (("GET", "/konto/2fa"), "mfa"),
        (("POST", "/konto/2fa"), "mfa"),
        (("GET", "/konto/2fa/konfiguracja"), "mfa"),
        (("POST", "/konto/2fa/konfiguracja"), "mfa"),
        (("GET", "/konto/reset-hasla"), "all"),
        (("POST", "/konto/reset-hasla"), "all"),
        (("GET", "/konto/nowe-haslo"), "all"),
        (("POST", "/konto/nowe-haslo"), "all"),
        (("GET", "/panel"), "signed"),
        (("GET", "/panel/sesje"), "signed"),
        (("POST", "/panel/sesje/zakoncz"), "signed"),
        (("GET", "/panel/audyt"), "admin"),
        (("GET", "/panel/admin/uzytkownicy"), "admin"),
        (("POST", "/panel/admin/uzytkownicy/odbierz"), "admin"),
        (("GET", "/panel/admin/zaproszenia"), "admin"),
        (("POST", "/panel/admin/zaproszenia"), "admin"),
        (("GET", "/panel/admin/ustawienia"), "admin"),
        (("POST", "/panel/admin/ustawienia"), "admin"),
        (("GET", "/panel/admin/import"), "admin"),
        (("POST", "/panel/admin/import"), "admin"),
        (("GET", "/panel/admin/import/wzor.csv"), "admin"),
        (("GET", "/panel/admin/import/{id}"), "admin"),
        (("GET", "/panel/admin/import/{id}/bledy.csv"), "admin"),
        (("GET", "/panel/admin/poczta"), "admin"),
        (("POST", "/panel/admin/poczta/ponow"), "admin"),
        (("GET", "/panel/konto"), "signed"),
        (("POST", "/panel/konto/haslo"), "signed"),
        (("GET", "/panel/konto/eksport"), "signed"),
        (("POST", "/panel/konto/usun"), "signed"),
        (("GET", "/konto/zaproszenie"), "all"),
        (("POST", "/konto/zaproszenie"), "all"),
        (("POST", "/panel/konto/email"), "signed"),
        (("GET", "/konto/nowy-email"), "all"),
        (("POST", "/konto/nowy-email"), "all"),
        (("GET", "/panel/organizacje"), "signed"),
        (("POST", "/panel/organizacje/{id}/zaproszenie"), "owner_a"),
        (("POST", "/panel/organizacje/{id}/usun-czlonka"), "owner_a"),
        (("GET", "/organizacje/potwierdz"), "all"),
        (("POST", "/organizacje/potwierdz"), "all"),
        (("GET", "/panel/organizacje/nowa"), "signed"),
        (("POST", "/panel/organizacje/nowa"), "signed"),
        (("GET", "/panel/organizacje/{id}/profil"), "editor_a"),
        (("POST", "/panel/organizacje/{id}/profil"), "editor_a"),
        (("GET", "/panel/organizacje/{id}/historia"), "editor_a"),
        (("GET", "/panel/organizacje/{id}/aktualnosci"), "editor_a"),
        (
            ("GET", "/panel/organizacje/{id}/aktualnosci/nowa"),
            "editor_a",
        ),
        (
            ("POST", "/panel/organizacje/{id}/aktualnosci/nowa"),
            "editor_a",
        ),
        (
            ("GET", "/panel/organizacje/{id}/aktualnosci/{article}"),
            "editor_a",
        ),
        (
            ("POST", "/panel/organizacje/{id}/aktualnosci/{article}"),
            "editor_a",
        ),
        (("GET", "/aktualnosci.atom"), "all"),
        (("GET", "/wspolpraca"), "all"),
        (("GET", "/wspolpraca/{slug}"), "all"),
        (("POST", "/wspolpraca/{slug}"), "all"),
        (("GET", "/panel/wspolpraca"), "content"),
        (("GET", "/panel/wspolpraca/nowe"), "content"),
        (("POST", "/panel/wspolpraca/nowe"), "content"),
        (("GET", "/panel/wspolpraca/{id}"), "content"),
        (("POST", "/panel/wspolpraca/{id}"), "content"),
        (("GET", "/panel/wspolpraca/{id}/zgloszenia"), "content"),
        (("GET", "/panel/wspolpraca/{id}/zgloszenia.csv"), "content"),
        (("GET", "/panel/aktualnosci"), "content"),
        (("GET", "/panel/aktualnosci/nowa"), "content"),
        (("POST", "/panel/aktualnosci/nowa"), "content"),
        (("GET", "/panel/aktualnosci/{id}"), "content"),
        (("POST", "/panel/aktualnosci/{id}"), "content"),
        (("GET", "/panel/organizacje/{id}/wydarzenia"), "editor_a"),
        (
            ("GET", "/panel/organizacje/{id}/wydarzenia/nowe"),
            "editor_a",
        ),
        (
            ("POST", "/panel/organizacje/{id}/wydarzenia/nowe"),
            "editor_a",
        ),
        (
            ("GET", "/panel/organizacje/{id}/wydarzenia/{event}"),
            "editor_a",
        ),
        (
            ("POST", "/panel/organizacje/{id}/wydarzenia/{event}"),
            "editor_a",
        ),
        (("GET", "/panel/organizacje/{id}/przejecie"), "signed"),
        (("POST", "/panel/organizacje/{id}/przejecie"), "signed"),
        (("GET", "/panel/moderacja"), "moderation"),
        (("GET", "/panel/moderacja/{id}"), "moderation"),
        (("POST", "/panel/moderacja/{id}"), "moderation"),
        (("GET", "/panel/katalog"), "moderation"),
        (("POST", "/panel/katalog/{id}/odbicia"), "moderation"),
        (("POST", "/panel/katalog/{id}/prosba"), "moderation"),
        (("GET", "/strony/{slug}"), "all"),
        (("GET", "/wspolpraca/promocja"), "all"),
        (("POST", "/wspolpraca/promocja"), "all"),
        (("GET", "/panel/strony"), "content"),
        (("GET", "/panel/strony/{id}"), "content"),
        (("POST", "/panel/strony/{id}"), "content"),
        (("POST", "/panel/strony/{id}/zalaczniki"), "content"),
        (
            ("POST", "/panel/strony/{id}/zalaczniki/{file}/usun"),
            "content",
        ),
        (("GET", "/panel/kontakty"), "content"),
        (("GET", "/panel/kontakty/nowy"), "content"),
        (("POST", "/panel/kontakty/nowy"), "content"),
        (("GET", "/panel/kontakty/{id}"), "content"),
        (("POST", "/panel/kontakty/{id}"), "content"),
        (("POST", "/panel/kontakty/{id}/usun"), "content"),
        (("GET", "/panel/promocja"), "content"),
        (("GET", "/panel/promocja/{id}"), "content"),
        (("POST", "/panel/promocja/{id}"), "content"),
        (("GET", "/panel/stopka"), "staff"),
        (("GET", "/panel/wysylki"), "mailing"),
        (("GET", "/panel/wysylki/nowa"), "mailing"),
        (("POST", "/panel/wysylki/nowa"), "mailing"),
        (("POST", "/panel/wysylki/adresy"), "mailing"),
        (("GET", "/panel/wysylki/adresaci"), "mailing"),
        (("POST", "/panel/wysylki/adresaci/odbite/{id}"), "mailing"),
        (("GET", "/panel/wysylki/{id}"), "mailing"),
        (("POST", "/panel/wysylki/{id}"), "mailing"),
        (("POST", "/panel/wysylki/{id}/anuluj"), "mailing"),
        (
            ("POST", "/panel/wysylki/{id}/ponow-niepotwierdzone"),
            "mailing",
        ),
        (("GET", "/panel/wysylki/{id}/odbiorcy.csv"), "mailing"),
        (("GET", "/spotkania"), "all"),
        (("GET", "/spotkania/{slug}"), "all"),
        (("GET", "/spotkania/{slug}/odpowiedz"), "all"),
        (("POST", "/spotkania/{slug}/odpowiedz"), "all"),
        (("GET", "/panel/moje-spotkania"), "signed"),
        (("GET", "/panel/spotkania"), "meetings"),
        (("GET", "/panel/spotkania/nowe"), "meetings"),
        (("POST", "/panel/spotkania/nowe"), "meetings"),
        (("GET", "/panel/spotkania/{id}"), "meetings"),
        (("GET", "/panel/spotkania/{id}/edycja"), "meetings"),
        (("POST", "/panel/spotkania/{id}/edycja"), "meetings"),
        (("POST", "/panel/spotkania/{id}/zaproszenia"), "meetings"),
        (("POST", "/panel/spotkania/{id}/odwolaj"), "meetings"),
        (("POST", "/panel/spotkania/{id}/protokol"), "meetings"),
        (("GET", "/panel/spotkania/{id}/lista.csv"), "meetings"),
        (("GET", "/panel/spotkania/{id}/lista.pdf"), "meetings"),
        (("GET", "/adres/potwierdz"), "all"),
        (("POST", "/adres/potwierdz"), "all"),
        (("GET", "/pliki/{*key}"), "all"),
        (("GET", "/static/{name}"), "all"),
        (("GET", "/healthz"), "all"),
        (("GET", "/panel/konkursy"), "grants"),
        (("GET", "/panel/konkursy/nowy"), "grants"),
        (("POST", "/panel/konkursy/nowy"), "grants"),
        (("GET", "/panel/konkursy/{id}"), "grants"),
        (("GET", "/panel/konkursy/{id}/edycja"), "grants"),
        (("POST", "/panel/konkursy/{id}/edycja"), "grants"),
        (("POST", "/panel/konkursy/{id}/status"), "grants"),
        (("POST", "/panel/konkursy/{id}/kopia"), "grants"),
        // Offers: any signed-in person; the handlers check membership of the offer's organisation.
        (("GET", "/panel/oferty"), "signed"),
        (("GET", "/panel/oferty/nowa"), "signed"),
        (("POST", "/panel/oferty/nowa"), "signed"),
        (("GET", "/panel/oferty/{id}"), "signed"),
        (("GET", "/panel/oferty/{id}/sekcja/{code}"), "signed"),
        (("POST", "/panel/oferty/{id}/sekcja/{code}"), "signed"),
        (("GET", "/panel/oferty/{id}/zalaczniki"), "signed"),
        (("POST", "/panel/oferty/{id}/zalaczniki"), "signed"),
        (("GET", "/panel/oferty/{id}/zalaczniki/{file}"), "signed"),
        (
            ("POST", "/panel/oferty/{id}/zalaczniki/{file}/usun"),
            "signed",
        ),
        // Record-level: the handlers check membership of the offer's organisation (or, for the
        // receipt, the grants scope); another organisation's offer answers 404 like an unknown one.
        (("POST", "/panel/oferty/{id}/zloz"), "signed"),
        (("POST", "/panel/oferty/{id}/wycofaj"), "signed"),
        (("GET", "/panel/oferty/{id}/wersje/{n}"), "signed"),
        (
            ("GET", "/panel/oferty/{id}/wersje/{n}/oferta.pdf"),
            "signed",
        ),
        (("GET", "/konkursy/weryfikacja"), "all"),
        (("GET", "/panel/konkursy/{id}/oferty"), "grants"),
        (("GET", "/panel/konkursy/{id}/oferty/{offer}"), "grants"),
        (("POST", "/panel/konkursy/{id}/oferty/{offer}"), "grants"),
        (("GET", "/panel/konkursy/{id}/komisja"), "grants"),
        (("POST", "/panel/konkursy/{id}/komisja/zasady"), "grants"),
        (
            ("POST", "/panel/konkursy/{id}/komisja/czlonkowie"),
            "grants",
        ),
        (
            ("POST", "/panel/konkursy/{id}/komisja/nominacje/{n}"),
            "grants",
        ),
        (("POST", "/panel/konkursy/{id}/komisja/status"), "grants"),
        (("POST", "/panel/konkursy/{id}/komisja/opinia"), "grants"),
        (("GET", "/panel/konkursy/{id}/rozstrzygniecie"), "decisions"),
        (
            ("POST", "/panel/konkursy/{id}/rozstrzygniecie"),
            "decisions",
        ),
        (
            ("GET", "/panel/konkursy/{id}/komisja/protokol.pdf"),
            "grants",
        ),
        (("GET", "/panel/komisje"), "signed"),
        (("POST", "/panel/komisje/zgloszenia"), "signed"),
        (("POST", "/panel/komisje/{id}/oswiadczenie"), "signed"),
        (("GET", "/panel/komisje/{id}/oferty/{offer}"), "signed"),
        (("POST", "/panel/komisje/{id}/oferty/{offer}"), "signed"),
        (
            ("POST", "/panel/komisje/{id}/oferty/{offer}/wylaczenie"),
            "signed",
        ),
        (("GET", "/konkursy"), "all"),
        (("GET", "/konkursy.csv"), "all"),
        (("GET", "/konkursy.json"), "all"),
        (("GET", "/konkursy.atom"), "all"),
        (("GET", "/konkursy/{slug}"), "all"),
        (("GET", "/konkursy/{slug}/ogloszenie.pdf"), "all"),
        (("GET", "/konkursy/{slug}/wyniki.pdf"), "all"),
        (("GET", "/konkursy/{slug}/uzasadnienie"), "all"),
        (("POST", "/konkursy/{slug}/uzasadnienie"), "all"),
        (("GET", "/panel/konkursy/przeglad"), "grants"),
        (("GET", "/panel/umowy"), "grants"),
        (("GET", "/panel/umowy/nowa"), "grants"),
        (("POST", "/panel/umowy/nowa"), "grants"),
        (("GET", "/panel/umowy/wzor"), "grants"),
        (("POST", "/panel/umowy/wzor"), "grants"),
        (("GET", "/panel/umowy/{id}"), "grants"),
        (("POST", "/panel/umowy/{id}"), "grants"),
        (("POST", "/panel/umowy/{id}/status"), "grants"),
        (("POST", "/panel/umowy/{id}/podpis"), "grants"),
        // Record-level: grants officials and the organisation's members; others get 404.
        (("GET", "/panel/umowy/{id}/podpisana.pdf"), "signed"),
        (("POST", "/panel/umowy/{id}/transze/{n}"), "grants"),
        (("GET", "/panel/umowy/{id}/aneks"), "grants"),
        (("POST", "/panel/umowy/{id}/aneks"), "grants"),
        (("GET", "/panel/umowy/{id}/aneksy/{n}"), "grants"),
        // Record-level: grants officials and the organisation's members; others get 404.
        (("GET", "/panel/umowy/{id}/aneksy/{n}/aneks.pdf"), "signed"),
        (("POST", "/panel/umowy/{id}/sprawozdania"), "grants"),
        (("POST", "/panel/umowy/{id}/zwroty"), "grants"),
        (("GET", "/panel/sprawozdania"), "signed"),
        (("GET", "/panel/zobowiazania"), "signed"),
        (("GET", "/panel/male-granty"), "grants"),
        (("POST", "/panel/male-granty"), "grants"),
        (("GET", "/panel/male-granty/{id}"), "grants"),
        (("POST", "/panel/male-granty/{id}/publikacja"), "grants"),
        (("POST", "/panel/male-granty/{id}/uwagi/{c}"), "grants"),
        (("POST", "/panel/male-granty/{id}/decyzja"), "grants"),
        (("GET", "/male-granty"), "all"),
        (("GET", "/male-granty/{id}"), "all"),
        (("GET", "/male-granty/{id}/uwagi"), "all"),
        (("POST", "/male-granty/{id}/uwagi"), "all"),
        (("GET", "/panel/konsultacje"), "consultations"),
        (("GET", "/panel/konsultacje/nowa"), "consultations"),
        (("POST", "/panel/konsultacje/nowa"), "consultations"),
        (("GET", "/panel/konsultacje/szablony"), "consultations"),
        (("POST", "/panel/konsultacje/szablony"), "consultations"),
        (("GET", "/panel/konsultacje/{id}"), "consultations"),
        (("GET", "/panel/konsultacje/{id}/edycja"), "consultations"),
        (("POST", "/panel/konsultacje/{id}/edycja"), "consultations"),
        (
            ("POST", "/panel/konsultacje/{id}/ogloszenie"),
            "consultations",
        ),
        (("POST", "/panel/konsultacje/{id}/wersja"), "consultations"),
        (("POST", "/panel/konsultacje/{id}/uwagi"), "consultations"),
        (
            ("POST", "/panel/konsultacje/{id}/odpowiedzi"),
            "consultations",
        ),
        (("POST", "/panel/konsultacje/{id}/opinia"), "consultations"),
        (("POST", "/panel/konsultacje/{id}/raport"), "consultations"),
        (("POST", "/panel/konsultacje/{id}/pliki"), "consultations"),
        (
            ("POST", "/panel/konsultacje/{id}/pliki/{f}/usun"),
            "consultations",
        ),
        (("GET", "/konsultacje"), "all"),
        (("GET", "/konsultacje.atom"), "all"),
        (("GET", "/konsultacje/{slug}"), "all"),
        (("GET", "/konsultacje/{slug}/zmiany"), "all"),
        (("GET", "/konsultacje/{slug}/raport"), "all"),
        (("GET", "/konsultacje/{slug}/raport.pdf"), "all"),
        (("GET", "/konsultacje/{slug}/raport.odt"), "all"),
        (("GET", "/konsultacje/{slug}/uwaga"), "all"),
        (("POST", "/konsultacje/{slug}/uwaga"), "all"),
        (("GET", "/panel/program"), "programme"),
        (("GET", "/panel/program/nowy"), "programme"),
        (("POST", "/panel/program/nowy"), "programme"),
        (("GET", "/panel/program/{id}"), "programme"),
        (("GET", "/panel/program/{id}/edycja"), "programme"),
        (("POST", "/panel/program/{id}/edycja"), "programme"),
        (("POST", "/panel/program/{id}/status"), "programme"),
        (("POST", "/panel/program/{id}/uchwala"), "programme"),
        (("POST", "/panel/program/{id}/konkursy"), "programme"),
        (
            ("GET", "/panel/program/{id}/sprawozdanie/{year}"),
            "programme",
        ),
        (
            ("POST", "/panel/program/{id}/sprawozdanie/{year}"),
            "programme",
        ),
        (
            ("POST", "/panel/program/{id}/sprawozdanie/{year}/publikacja"),
            "programme",
        ),
        (("GET", "/program"), "all"),
        (("GET", "/program/{slug}"), "all"),
        (("GET", "/program/{slug}/sprawozdanie/{year}"), "all"),
        (
            ("GET", "/program/{slug}/sprawozdanie/{year}/raport.pdf"),
            "all",
        ),
        (
            ("GET", "/program/{slug}/sprawozdanie/{year}/raport.odt"),
            "all",
        ),
        (
            ("GET", "/program/{slug}/sprawozdanie/{year}/{table}"),
            "all",
        ),
        (("GET", "/api/v1/consultations"), "all"),
        // Private by its signed address, not by a session.
        (
            ("GET", "/zobowiazania/{user}/{signature}/kalendarz.ics"),
            "all",
        ),
        // Record-level: the organisation's members and grants officials; others get 404.
        (("GET", "/panel/sprawozdania/{id}"), "signed"),
        (("POST", "/panel/sprawozdania/{id}"), "report_writers"),
        (("POST", "/panel/sprawozdania/{id}/ocena"), "grants"),
        // Record-level: grants officials and the organisation's members; others get 404.
        (("GET", "/panel/umowy/{id}/umowa.pdf"), "signed"),
        (
            ("GET", "/panel/konkursy/{id}/oferty/{offer}/aktualizacja"),
            "grants",
        ),
        (
            ("POST", "/panel/konkursy/{id}/oferty/{offer}/aktualizacja"),
            "grants",
        ),
        (("POST", "/panel/oferty/{id}/rezygnacja"), "signed"),
        (("GET", "/panel/konkursy/{id}/uzasadnienia"), "grants"),
        (("POST", "/panel/konkursy/{id}/uzasadnienia/{r}"), "grants"),
        (("GET", "/api/v1/calls"), "all"),
        (("GET", "/api/v1/grants"), "all"),
        (("GET", "/dotacje.csv"), "all"),
        (("GET", "/dotacje.json"), "all"),
        (("GET", "/api/v1/calls/{slug}"), "all"),
        (("GET", "/readyz"), "all"),
    ]
    .into_iter()
    .collect()
}

fn expect(set: &str, role: &str) -> Outcome {
    let ok = match set {
        "all" => true,
        "guest" => role == "anonymous",
        "signed" => role != "anonymous",
        "admin" => role == "admin",
        // Record-level: the owner of organisation A (and administrators) manage A's editors.
        "owner_a" => role == "ngo_member_a" || role == "admin",
        // Record-level: members of organisation A edit its profile; moderators and admins too.
        "editor_a" => role == "ngo_member_a" || role == "official_moderation" || role == "admin",
        "moderation" => role == "official_moderation" || role == "admin",
        "content" => role == "official_content" || role == "admin",
        "mailing" => role == "official_mailing" || role == "admin",
        "meetings" => role == "official_meetings" || role == "admin",
        "grants" => role == "official_grants" || role == "admin",
        "consultations" => role == "official_consultations" || role == "admin",
        "programme" => role == "official_programme" || role == "admin",
        // Record-level: only the organisation's members write its report; grants officials and
        // admins, who may read it, are refused; anyone else is told it does not exist (404).
        "report_writers" => role != "anonymous" && role != "official_grants" && role != "admin",
        "decisions" => role == "official_decisions" || role == "admin",
        // Any official, whatever the scope, and administrators.
        "staff" => role.starts_with("official_") || role == "admin",
        // Only a sign-in half-way through its second factor; none of the matrix's people is.
        "mfa" => false,
        other => panic!("unknown role set {other}"),
    };
    if ok {
        Outcome::Allowed
    } else {
        Outcome::Denied
    }
}

#[tokio::test]
async fn every_route_times_every_role() {
    each_backend("route matrix", |b| async move {
        let app = TestApp::new(b).await;
        let db = &app.tp.platform.db.conn;
        let table = wspolnie_areas::table();
        let exp = expected();
        let registered: Vec<(&str, &str)> = table.iter().map(|r| (r.method, r.path)).collect();
        for key in &registered {
            assert!(
                exp.contains_key(key),
                "route {key:?} is not in the matrix: add it to expected()"
            );
        }
        for key in exp.keys() {
            assert!(
                registered.contains(key),
                "matrix lists {key:?}, which is no longer a route"
            );
        }
        // People: anonymous, members of two organisations, every official scope, an expert, an admin.
        let orgs = organization::Entity::find().all(db).await.expect("orgs");
        let mut roles: Vec<(String, Option<i64>)> = vec![("anonymous".into(), None)];
        for (i, label) in ["ngo_member_a", "ngo_member_b"].iter().enumerate() {
            let id = make_user(
                &app,
                &format!("{label}@example.pl"),
                "hasło członka organizacji",
                None,
            )
            .await;
            organization_member::Entity::insert(organization_member::ActiveModel {
                organization_id: Set(orgs[i].id),
                user_id: Set(id),
                role: Set("owner".into()),
                created_at: Set(Utc::now()),
            })
            .exec(db)
            .await
            .expect("member");
            roles.push(((*label).into(), Some(id)));
        }
        for scope in wspolnie_web::policy::SCOPES {
            let id = make_user(
                &app,
                &format!("official_{scope}@example.pl"),
                "hasło urzędnika 2026",
                Some(&[("official", scope)]),
            )
            .await;
            roles.push((format!("official_{scope}"), Some(id)));
        }
        let id = make_user(
            &app,
            "expert@example.pl",
            "hasło eksperta 2026",
            Some(&[("expert", "")]),
        )
        .await;
        roles.push(("expert".into(), Some(id)));
        let id = make_user(
            &app,
            "admin@example.pl",
            "hasło administratora",
            Some(&[("admin", "")]),
        )
        .await;
        roles.push(("admin".into(), Some(id)));

        let (_, orgs_html) = app.get_text("/organizacje").await;
        let (_, news_html) = app.get_text("/aktualnosci").await;
        let (_, cal_html) = app.get_text("/kalendarz").await;
        let sample = |path: &str| -> String {
            match path {
                "/api/v1/organizations/{slug}" => format!(
                    "/api/v1/organizations/{}",
                    extract_between(&orgs_html, "<a href=\"/organizacje/", "\"").expect("org")
                ),
                "/organizacje/{slug}" => format!(
                    "/organizacje/{}",
                    extract_between(&orgs_html, "<a href=\"/organizacje/", "\"").expect("org")
                ),
                "/aktualnosci/{slug}" => format!(
                    "/aktualnosci/{}",
                    extract_between(&news_html, "<a href=\"/aktualnosci/", "\"").expect("news")
                ),
                "/kalendarz/{slug}" => format!(
                    "/kalendarz/{}",
                    extract_between(&cal_html, "<a href=\"/kalendarz/", "\"").expect("event")
                ),
                "/kalendarz/{slug}/wydarzenie.ics" => format!(
                    "/kalendarz/{}/wydarzenie.ics",
                    extract_between(&cal_html, "<a href=\"/kalendarz/", "\"").expect("event")
                ),
                "/organizacje/{slug}/kalendarz.ics" => format!(
                    "/organizacje/{}/kalendarz.ics",
                    extract_between(&orgs_html, "<a href=\"/organizacje/", "\"").expect("org")
                ),
                "/strony/{slug}" => "/strony/jak-korzystac".into(),
                // The demo's reported consultation: every public page of it answers.
                // The demo's published report (last year's programme).
                p if p.starts_with("/program/{slug}") => {
                    let last = wspolnie_core::time::today().year() - 1;
                    p.replace("{slug}", &format!("program-wspolpracy-{last}"))
                        .replace("{year}", &last.to_string())
                        .replace("{table}", "zadania.csv")
                }
                p if p.starts_with("/konsultacje/{slug}") => {
                    p.replace("{slug}", "tryb-konsultacji-aktow-prawa-miejscowego")
                }
                "/pliki/{*key}" => "/pliki/2026/11/brak.pdf".into(),
                // An offer nobody has: the permission layer is what this matrix checks; who
                // may open which offer is tested in `grants_offers` and `grants_submit`.
                p if p.starts_with("/panel/oferty/{id}") => p
                    .replace("{id}", "999999")
                    .replace("{n}", "1")
                    .replace("{code}", "zadanie")
                    .replace("{file}", "999999"),
                p if p.contains("{id}") => p
                    .replace("{id}", &orgs[0].id.to_string())
                    .replace("{year}", "2026")
                    .replace("{event}", "999999")
                    .replace("{article}", "999999")
                    .replace("{offer}", "999999")
                    .replace("{n}", "999999")
                    .replace("{r}", "999999")
                    .replace("{c}", "999999")
                    .replace("{f}", "999999")
                    .replace("{file}", "999999"),
                "/static/{name}" => "/static/site.css".into(),
                p => p.into(),
            }
        };
        let plain = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy()
            .build()
            .expect("client");
        let mut checked = 0;
        let mut failures = Vec::new();
        for route in &table {
            for (role, user_id) in &roles {
                // A fresh session per check, so sign-out or session revocation cannot leak into the next.
                let session = match user_id {
                    Some(id) => Some(
                        wspolnie_platform::auth::create_session(
                            db,
                            *id,
                            "127.0.0.1",
                            "matrix",
                            true,
                        )
                        .await
                        .expect("session"),
                    ),
                    None => None,
                };
                let session_cookie = session
                    .map(|s| format!("wsp_session={s}; "))
                    .unwrap_or_default();
                let path = sample(route.path);
                let resp = if route.method == "POST" {
                    // A CSRF pair for this visitor.
                    let page = plain
                        .get(app.url("/ustawienia"))
                        .header("cookie", session_cookie.clone())
                        .send()
                        .await
                        .expect("get");
                    let csrf_cookie = page
                        .headers()
                        .get_all("set-cookie")
                        .iter()
                        .filter_map(|v| v.to_str().ok())
                        .find_map(|c| {
                            c.strip_prefix("wsp_csrf=")
                                .and_then(|c| c.split(';').next())
                                .map(str::to_owned)
                        })
                        .expect("csrf cookie");
                    let html = page.text().await.expect("html");
                    let token =
                        extract_between(&html, "name=\"_csrf\" value=\"", "\"").expect("token");
                    plain
                        .post(app.url(&path))
                        .header("cookie", format!("{session_cookie}wsp_csrf={csrf_cookie}"))
                        .form(&[("_csrf", token.as_str())])
                        .send()
                        .await
                        .expect("post")
                } else {
                    plain
                        .get(app.url(&path))
                        .header("cookie", session_cookie.clone())
                        .send()
                        .await
                        .expect("get")
                };
                let status = resp.status().as_u16();
                let loc = location(&resp);
                let set = exp[&(route.method, route.path)];
                // Signed-in people are sent back to their panel from sign-in and 2FA pages.
                let bounced_home =
                    loc == "/panel" && role != "anonymous" && (set == "guest" || set == "mfa");
                let outcome = if status == 403
                    || (status == 303
                        && (loc.starts_with("/konto/logowanie?next=") || bounced_home))
                {
                    Outcome::Denied
                } else {
                    Outcome::Allowed
                };
                let want = expect(exp[&(route.method, route.path)], role);
                if outcome != want {
                    failures.push(format!(
                        "{} {} as {role}: got {outcome:?} (HTTP {status} {loc}), want {want:?}",
                        route.method, path
                    ));
                }
                checked += 1;
            }
        }
        assert!(
            failures.is_empty(),
            "{} of {checked} checks failed:\n{}",
            failures.len(),
            failures.join("\n")
        );
        eprintln!(
            "[route matrix] {} routes × {} roles = {checked} checks",
            table.len(),
            roles.len()
        );
        assert_eq!(checked, table.len() * roles.len());
    })
    .await;
}

pub(crate) fn totp_now(secret: &str) -> String {
    wspolnie_platform::totp::code_at(secret, Utc::now().timestamp()).expect("code")
}

/// The code the app shows in the next 30-second step (accepted: one step of clock drift).
pub(crate) fn totp_next(secret: &str) -> String {
    wspolnie_platform::totp::code_at(secret, Utc::now().timestamp() + 30).expect("code")
}

#[tokio::test]
async fn staff_must_set_up_and_use_totp_and_sign_in_is_audited() {
    each_backend("totp", |b| async move {
        let app = TestApp::with_demo(b, false).await;
        let admin_id = make_user(&app, "admin@example.pl", "hasło administratora", Some(&[("admin", "")])).await;
        let r = post_form(&app, "/konto/logowanie", "/konto/logowanie", &[("email", "admin@example.pl"), ("password", "hasło administratora")]).await;
        assert_eq!(location(&r), "/konto/2fa/konfiguracja", "first sign-in of staff sets up TOTP");
        // Half signed in: the panel is not open yet.
        assert!(location(&app.get("/panel").await).starts_with("/konto/logowanie"));
        let r = app.get("/konto/2fa/konfiguracja").await;
        assert_eq!(r.status(), 200, "setup page: {:?}", r.headers().get("location"));
        let html = r.text().await.expect("t");
        let secret = extract_between(&html, "<dd><code>", "</code>").unwrap_or_else(|| panic!("secret shown: {}", &html[html.len().saturating_sub(3000)..]));
        assert!(html.contains("otpauth://totp/"));
        let r = post_form(&app, "/konto/2fa/konfiguracja", "/konto/2fa/konfiguracja", &[("code", "000000")]).await;
        assert!(r.text().await.expect("t").contains("Kod jest nieprawidłowy"));
        let r = post_form(&app, "/konto/2fa/konfiguracja", "/konto/2fa/konfiguracja", &[("code", &totp_now(&secret))]).await;
        let html = r.text().await.expect("t");
        assert!(html.contains("Kody zapasowe"));
        let recovery = extract_between(&html, "<li><code>", "</code>").expect("a recovery code");
        assert_eq!(app.get("/panel").await.status(), 200, "signed in after the second factor");
        assert_eq!(app.tp.scalar_i64("SELECT COUNT(*) FROM audit_log WHERE action = 'auth.totp_enabled'").await, 1);

        // Next sign-in asks for a code; a recovery code works once.
        post_form(&app, "/konto/wyloguj", "/panel", &[]).await;
        let r = post_form(&app, "/konto/logowanie", "/konto/logowanie", &[("email", "admin@example.pl"), ("password", "hasło administratora")]).await;
        assert_eq!(location(&r), "/konto/2fa");
        let r = post_form(&app, "/konto/2fa", "/konto/2fa", &[("code", "123456")]).await;
        assert!(r.text().await.expect("t").contains("Kod jest nieprawidłowy"));
        let r = post_form(&app, "/konto/2fa", "/konto/2fa", &[("code", &recovery.to_uppercase())]).await;
        assert_eq!(location(&r), "/panel");
        post_form(&app, "/konto/wyloguj", "/panel", &[]).await;
        post_form(&app, "/konto/logowanie", "/konto/logowanie", &[("email", "admin@example.pl"), ("password", "hasło administratora")]).await;
        let r = post_form(&app, "/konto/2fa", "/konto/2fa", &[("code", &recovery)]).await;
        assert_eq!(r.status(), 200, "a recovery code is single-use");
        // The code used at set-up is spent (no replay); the app's next code is due.
        let r = post_form(&app, "/konto/2fa", "/konto/2fa", &[("code", &totp_next(&secret))]).await;
        assert_eq!(location(&r), "/panel");
        assert_eq!(app.tp.scalar_i64(&format!("SELECT COUNT(*) FROM audit_log WHERE action = 'auth.sign_in' AND actor_user_id = {admin_id}")).await, 3);
        let (status, html) = app.get_text("/panel/audyt").await;
        assert_eq!(status, 200);
        assert!(html.contains("auth.sign_in") && html.contains("admin@example.pl"));
        assert!(!html.contains("method=\"post\" action=\"/panel/audyt"), "the audit log offers no editing");
        let (_, html) = app.get_text("/panel/audyt?action=auth.totp&who=admin%40").await;
        assert!(html.contains("auth.totp_enabled") && !html.contains("<td>auth.sign_in</td>"), "filters apply");
    })
    .await;
}

/// Signs in a staff member who already has TOTP, through the second factor.
pub(crate) async fn staff_sign_in(app: &TestApp, email: &str, password: &str, user_id: i64) {
    let secret = wspolnie_platform::totp::new_secret();
    app.tp.exec(&format!("UPDATE users SET totp_secret = '{secret}', totp_enabled_at = created_at, recovery_codes = '[]', totp_last_step = NULL WHERE id = {user_id}")).await;
    let r = post_form(
        app,
        "/konto/logowanie",
        "/konto/logowanie",
        &[("email", email), ("password", password)],
    )
    .await;
    assert_eq!(location(&r), "/konto/2fa");
    let r = post_form(
        app,
        "/konto/2fa",
        "/konto/2fa",
        &[("code", &totp_now(&secret))],
    )
    .await;
    assert_eq!(location(&r), "/panel");
}

#[tokio::test]
async fn admin_invites_an_official_who_sets_up_totp() {
    each_backend("invitation", |b| async move {
        let app = TestApp::with_demo(b, false).await;
        let admin = make_user(&app, "admin@example.pl", "hasło administratora", Some(&[("admin", "")])).await;
        staff_sign_in(&app, "admin@example.pl", "hasło administratora", admin).await;
        // Validation keeps the input.
        let r = post_form(&app, "/panel/admin/zaproszenia", "/panel/admin/zaproszenia", &[("email", "Urzędniczka@Wierzbin.Example")]).await;
        let html = r.text().await.expect("t");
        assert!(html.contains("Wybierz co najmniej jedno uprawnienie.") && html.contains("value=\"Urzędniczka@Wierzbin.Example\""));
        let r = post_form(&app, "/panel/admin/zaproszenia", "/panel/admin/zaproszenia", &[("email", "ewa@wierzbin.example"), ("role", "official:moderation"), ("role", "official:mailing"), ("role", "admin:bogus")]).await;
        assert_eq!(location(&r), "/panel/admin/zaproszenia");
        assert_eq!(app.tp.scalar_i64("SELECT COUNT(*) FROM audit_log WHERE action = 'user.invite'").await, 1);
        app.tp.worker().run_until_idle().await.expect("jobs");
        let link = link_in_mail(&app, "ewa@wierzbin.example", "/konto/zaproszenie?t=");
        let token = link.split("t=").nth(1).expect("token").to_owned();

        let official = client();
        let html = official.get(app.url(&path_of(&app, &link))).send().await.expect("g").text().await.expect("t");
        assert!(html.contains("ewa@wierzbin.example"));
        let t = extract_between(&html, "name=\"_csrf\" value=\"", "\"").expect("csrf");
        let r = official.post(app.url("/konto/zaproszenie")).form(&[("_csrf", t.as_str()), ("t", token.as_str()), ("name", "Ewa Łęcka"), ("password", "hasło pani ewy 2026"), ("password_confirm", "hasło pani ewy 2026")]).send().await.expect("p");
        assert_eq!(location(&r), "/konto/logowanie");
        assert_eq!(app.tp.scalar_i64("SELECT COUNT(*) FROM role_grants WHERE role = 'official'").await, 2, "only the valid roles were granted");
        let html = official.get(app.url("/konto/logowanie")).send().await.expect("g").text().await.expect("t");
        let t = extract_between(&html, "name=\"_csrf\" value=\"", "\"").expect("csrf");
        let r = official.post(app.url("/konto/logowanie")).form(&[("_csrf", t.as_str()), ("email", "ewa@wierzbin.example"), ("password", "hasło pani ewy 2026")]).send().await.expect("p");
        assert_eq!(location(&r), "/konto/2fa/konfiguracja", "officials must set up TOTP");

        // The admin sees her, and can take a role away (audited with the before value).
        let (_, html) = app.get_text("/panel/admin/uzytkownicy").await;
        assert!(html.contains("ewa@wierzbin.example") && html.contains("moderacja"));
        let grant = app.tp.scalar_i64("SELECT id FROM role_grants WHERE scope = 'mailing'").await;
        let r = post_form(&app, "/panel/admin/uzytkownicy/odbierz", "/panel/admin/uzytkownicy", &[("grant", &grant.to_string())]).await;
        assert_eq!(r.status(), 303);
        assert_eq!(app.tp.scalar_i64("SELECT COUNT(*) FROM role_grants WHERE role = 'official'").await, 1);
        assert_eq!(app.tp.scalar_i64("SELECT COUNT(*) FROM audit_log WHERE action = 'user.revoke_role' AND before LIKE '%mailing%'").await, 1);
        // Not their own admin role.
        let own = app.tp.scalar_i64(&format!("SELECT id FROM role_grants WHERE user_id = {admin}")).await;
        let r = post_form(&app, "/panel/admin/uzytkownicy/odbierz", "/panel/admin/uzytkownicy", &[("grant", &own.to_string())]).await;
        assert_eq!(r.status(), 403);
    })
    .await;
}

#[tokio::test]
async fn admin_edits_site_settings_with_validation_and_audit() {
    each_backend("site settings", |b| async move {
        let app = TestApp::with_demo(b, false).await;
        let admin = make_user(&app, "admin@example.pl", "hasło administratora", Some(&[("admin", "")])).await;
        staff_sign_in(&app, "admin@example.pl", "hasło administratora", admin).await;
        let (_, html) = app.get_text("/panel/admin/ustawienia").await;
        let field = |name: &str| extract_between(&html, &format!("name=\"{name}\" type=\"text\" value=\""), "\"").unwrap_or_default();
        let mut form: Vec<(String, String)> = ["city_name", "office_name", "zone_name", "logo_url", "address", "phone", "email", "office_hours", "email_footer"]
            .iter()
            .map(|k| ((*k).to_owned(), field(k)))
            .collect();
        for (k, v) in form.iter_mut() {
            if k == "email" {
                *v = "to-nie-jest-adres".into();
            }
            if k == "city_name" {
                *v = "Żółkiewka Wielka".into();
            }
        }
        let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let r = post_form(&app, "/panel/admin/ustawienia", "/panel/admin/ustawienia", &pairs).await;
        let html2 = r.text().await.expect("t");
        assert!(html2.contains("Podaj poprawny adres e-mail") && html2.contains("value=\"Żółkiewka Wielka\""), "error shown, input kept");
        let (_, home) = app.get_text("/").await;
        assert!(!home.contains("Żółkiewka Wielka"), "nothing saved on error");
        for (k, v) in form.iter_mut() {
            if k == "email" {
                *v = "ngo@zolkiewka.example".into();
            }
        }
        let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let r = post_form(&app, "/panel/admin/ustawienia", "/panel/admin/ustawienia", &pairs).await;
        assert_eq!(r.status(), 303);
        let (_, home) = app.get_text("/kontakt").await;
        assert!(home.contains("ngo@zolkiewka.example"), "new contact data shown at once on this instance");
        assert_eq!(app.tp.scalar_i64("SELECT COUNT(*) FROM audit_log WHERE action = 'settings.update' AND after LIKE '%zolkiewka%'").await, 1);
    })
    .await;
}

#[tokio::test]
async fn own_account_password_export_and_deletion() {
    each_backend("own account", |b| async move {
        let app = TestApp::with_demo(b, false).await;
        let id = make_user(&app, "marta@example.pl", "pierwsze hasło marty", None).await;
        let r = post_form(&app, "/konto/logowanie", "/konto/logowanie", &[("email", "marta@example.pl"), ("password", "pierwsze hasło marty")]).await;
        assert_eq!(r.status(), 303);
        let r = post_form(&app, "/panel/konto/haslo", "/panel/konto", &[("current_password", "złe hasło marty"), ("password", "drugie hasło marty"), ("password_confirm", "drugie hasło marty")]).await;
        assert!(r.text().await.expect("t").contains("Obecne hasło jest nieprawidłowe."));
        let r = post_form(&app, "/panel/konto/haslo", "/panel/konto", &[("current_password", "pierwsze hasło marty"), ("password", "drugie hasło marty"), ("password_confirm", "drugie hasło marty")]).await;
        assert_eq!(location(&r), "/panel/konto");
        assert_eq!(app.get("/panel").await.status(), 200, "this session stays");
        // The address is also subscribed to the newsletter and received a mailing.
        let db = &app.tp.platform.db.conn;
        insert_subscriber(db, "marta@example.pl", "grants", "pl").await;
        let actor = wspolnie_platform::audit::Actor::system("test");
        let d = wspolnie_areas::mailings::model::MailingData { subject: "Nabór 2027".into(), body: "Treść".into(), lang: "pl".into(), ..Default::default() };
        let a = wspolnie_areas::mailings::model::Audience { topics: vec!["grants".into()], ..Default::default() };
        let m = wspolnie_areas::mailings::model::save_draft(db, None, &d, &a, None, &actor).await.expect("draft");
        wspolnie_areas::mailings::model::order_send(db, &m, None, &actor).await.expect("order");
        // …and was invited to a meeting, with a comment.
        let mut md = wspolnie_areas::meetings::model::MeetingData { title: "Forum 2027".into(), agenda: "Program".into(), date: (Utc::now() + chrono::Duration::days(10)).date_naive().to_string(), start_time: "17:00".into(), end_time: "18:00".into(), place: "Sala 1".into(), max_party: "1".into(), lang: "pl".into(), custom: "marta@example.pl".into(), ..Default::default() };
        let (_, valid) = md.validate(&[], Utc::now(), 0);
        let meeting = wspolnie_areas::meetings::model::create(db, &md, &valid.expect("valid"), &actor).await.expect("meeting");
        wspolnie_areas::meetings::model::invite(&app.tp.platform, db, meeting.id, "", &actor).await.expect("invite").expect("sent");
        let inv_id = app.tp.scalar_i64("SELECT id FROM meeting_invitations WHERE email = 'marta@example.pl'").await;
        let answer = wspolnie_areas::meetings::model::Answer { attending: true, party_size: 1, comment: "Marta z fundacji".into() };
        wspolnie_areas::meetings::model::answer(&app.tp.platform, db, inv_id, &answer).await.expect("db").expect("answer");
        app.tp.worker().run_until_idle().await.expect("jobs");

        let r = app.get("/panel/konto/eksport").await;
        assert!(r.headers().get("content-disposition").and_then(|v| v.to_str().ok()).unwrap_or("").starts_with("attachment"));
        let v: serde_json::Value = r.json().await.expect("json");
        assert_eq!(v["account"]["email"], "marta@example.pl");
        assert!(v["sessions"].as_array().is_some_and(|s| s.len() == 1));
        assert!(v.to_string().find("argon2").is_none(), "no password hash in the export");
        assert_eq!(v["newsletter"]["topics"], "grants");
        assert_eq!(v["mailings_received"][0]["subject"], "Nabór 2027");
        assert_eq!(v["mailings_received"][0]["status"], "sent");
        assert_eq!(v["meeting_invitations"][0]["meeting"], "Forum 2027");
        assert_eq!(v["meeting_invitations"][0]["comment"], "Marta z fundacji");

        let r = post_form(&app, "/panel/konto/usun", "/panel/konto", &[("delete_password", "złe")]).await;
        assert_eq!(r.status(), 200);
        let r = post_form(&app, "/panel/konto/usun", "/panel/konto", &[("delete_password", "drugie hasło marty")]).await;
        assert_eq!(location(&r), "/");
        assert_eq!(app.tp.scalar_i64(&format!("SELECT COUNT(*) FROM users WHERE id = {id} AND email LIKE 'deleted-%' AND password_hash IS NULL AND deleted_at IS NOT NULL")).await, 1, "row kept, anonymised");
        assert_eq!(app.tp.scalar_i64("SELECT COUNT(*) FROM sessions").await, 0);
        assert_eq!(app.tp.scalar_i64("SELECT COUNT(*) FROM newsletter_subscribers").await, 0, "subscription erased");
        assert_eq!(app.tp.scalar_i64("SELECT COUNT(*) FROM mailing_recipients WHERE email LIKE '%marta%'").await, 0);
        assert_eq!(app.tp.scalar_i64("SELECT COUNT(*) FROM mailing_recipients WHERE email LIKE 'deleted-%@deleted.invalid'").await, 1, "delivery record kept without the address");
        assert_eq!(app.tp.scalar_i64("SELECT COUNT(*) FROM meeting_invitations WHERE email LIKE '%marta%' OR comment <> ''").await, 0, "invitation without address and comment");
        assert_eq!(app.tp.scalar_i64("SELECT COUNT(*) FROM meeting_invitations WHERE status = 'attending'").await, 1, "the attendance count stays");
        assert!(location(&app.get("/panel").await).starts_with("/konto/logowanie"));
        let r = post_form(&app, "/konto/logowanie", "/konto/logowanie", &[("email", "marta@example.pl"), ("password", "drugie hasło marty")]).await;
        assert_eq!(r.status(), 200, "a deleted account cannot sign in");
    })
    .await;
}

#[tokio::test]
async fn email_change_needs_the_new_address_confirmed() {
    each_backend("email change", |b| async move {
        let app = TestApp::with_demo(b, false).await;
        make_user(&app, "stary@example.pl", "hasło do zmiany adresu", None).await;
        make_user(&app, "zajety@example.pl", "inne hasło innej osoby", None).await;
        post_form(
            &app,
            "/konto/logowanie",
            "/konto/logowanie",
            &[
                ("email", "stary@example.pl"),
                ("password", "hasło do zmiany adresu"),
            ],
        )
        .await;
        let r = post_form(
            &app,
            "/panel/konto/email",
            "/panel/konto",
            &[
                ("new_email", "nowy@example.pl"),
                ("email_password", "złe hasło"),
            ],
        )
        .await;
        let html = r.text().await.expect("t");
        assert!(
            html.contains("Obecne hasło jest nieprawidłowe.")
                && html.contains("value=\"nowy@example.pl\"")
        );
        // A taken address: the same answer, no mail.
        let taken = post_form(
            &app,
            "/panel/konto/email",
            "/panel/konto",
            &[
                ("new_email", "zajety@example.pl"),
                ("email_password", "hasło do zmiany adresu"),
            ],
        )
        .await;
        let taken = follow(&app, taken).await;
        assert!(taken.contains("Na nowy adres wysłaliśmy link"));
        let r = post_form(
            &app,
            "/panel/konto/email",
            "/panel/konto",
            &[
                ("new_email", "Nowy@Example.pl"),
                ("email_password", "hasło do zmiany adresu"),
            ],
        )
        .await;
        assert!(
            follow(&app, r)
                .await
                .contains("Na nowy adres wysłaliśmy link")
        );
        app.tp.worker().run_until_idle().await.expect("jobs");
        assert_eq!(
            app.tp.smtp.messages().len(),
            1,
            "only the free address got a link"
        );
        assert_eq!(
            app.tp
                .scalar_i64("SELECT COUNT(*) FROM users WHERE email = 'stary@example.pl'")
                .await,
            1,
            "nothing changes before confirmation"
        );
        let link = link_in_mail(&app, "nowy@example.pl", "/konto/nowy-email?t=");
        let token = link.split("t=").nth(1).expect("token").to_owned();
        let (_, page) = app.get_text(&path_of(&app, &link)).await;
        assert!(page.contains("action=\"/konto/nowy-email\""));
        let r = post_form(&app, "/konto/nowy-email", "/", &[("t", &token)]).await;
        assert_eq!(location(&r), "/panel/konto");
        assert_eq!(
            app.tp
                .scalar_i64("SELECT COUNT(*) FROM users WHERE email = 'nowy@example.pl'")
                .await,
            1
        );
    })
    .await;
}

#[tokio::test]
async fn an_owner_invites_and_removes_editors_of_their_organisation_only() {
    each_backend("org editors", |b| async move {
        let app = TestApp::new(b).await;
        let db = &app.tp.platform.db.conn;
        let orgs = organization::Entity::find().all(db).await.expect("orgs");
        let owner = make_user(&app, "prezes@example.pl", "hasło prezesa fundacji", None).await;
        organization_member::Entity::insert(organization_member::ActiveModel {
            organization_id: Set(orgs[0].id),
            user_id: Set(owner),
            role: Set("owner".into()),
            created_at: Set(Utc::now()),
        })
        .exec(db)
        .await
        .expect("member");
        post_form(&app, "/konto/logowanie", "/konto/logowanie", &[("email", "prezes@example.pl"), ("password", "hasło prezesa fundacji")]).await;
        let (_, html) = app.get_text("/panel/organizacje").await;
        assert!(html.contains(&orgs[0].name.replace('"', "&quot;")) || html.contains(&format!("/organizacje/{}", orgs[0].slug)));
        // Someone else's organisation: refused.
        let r = post_form(&app, &format!("/panel/organizacje/{}/zaproszenie", orgs[1].id), "/panel/organizacje", &[("email", "x@example.pl")]).await;
        assert_eq!(r.status(), 403);
        let r = post_form(&app, &format!("/panel/organizacje/{}/zaproszenie", orgs[0].id), "/panel/organizacje", &[("email", "redaktorka@example.pl")]).await;
        assert_eq!(location(&r), "/panel/organizacje");
        app.tp.worker().run_until_idle().await.expect("jobs");
        let link = link_in_mail(&app, "redaktorka@example.pl", "/konto/zaproszenie?t=");
        let token = link.split("t=").nth(1).expect("token").to_owned();
        let editor = client();
        let html = editor.get(app.url("/konto/logowanie")).send().await.expect("g").text().await.expect("t");
        let t = extract_between(&html, "name=\"_csrf\" value=\"", "\"").expect("csrf");
        let r = editor
            .post(app.url("/konto/zaproszenie"))
            .form(&[("_csrf", t.as_str()), ("t", token.as_str()), ("name", "Iga Redaktorka"), ("password", "hasło redaktorki 2026"), ("password_confirm", "hasło redaktorki 2026")])
            .send()
            .await
            .expect("p");
        assert_eq!(location(&r), "/konto/logowanie");
        let editor_id = app.tp.scalar_i64("SELECT id FROM users WHERE email = 'redaktorka@example.pl'").await;
        assert_eq!(app.tp.scalar_i64(&format!("SELECT COUNT(*) FROM organization_members WHERE user_id = {editor_id} AND role = 'editor'")).await, 1);
        assert_eq!(app.tp.scalar_i64(&format!("SELECT COUNT(*) FROM role_grants WHERE user_id = {editor_id}")).await, 0, "no office role");
        // The owner removes the editor, but cannot remove the last owner.
        let r = post_form(&app, &format!("/panel/organizacje/{}/usun-czlonka", orgs[0].id), "/panel/organizacje", &[("user", &owner.to_string())]).await;
        assert_eq!(r.status(), 403);
        let r = post_form(&app, &format!("/panel/organizacje/{}/usun-czlonka", orgs[0].id), "/panel/organizacje", &[("user", &editor_id.to_string())]).await;
        assert_eq!(r.status(), 303);
        assert_eq!(app.tp.scalar_i64(&format!("SELECT COUNT(*) FROM organization_members WHERE user_id = {editor_id}")).await, 0);
    })
    .await;
}

#[tokio::test]
async fn expired_sessions_and_tokens_are_purged() {
    each_backend("purge", |b| async move {
        let tp = TestPlatform::new(b).await;
        let db = &tp.platform.db.conn;
        let now = Utc::now();
        let id = user::Entity::insert(user::ActiveModel {
            email: Set("p@example.pl".into()),
            display_name: Set("P".into()),
            locale: Set("pl".into()),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        })
        .exec(db)
        .await
        .expect("user")
        .last_insert_id;
        let live = wspolnie_platform::auth::create_session(db, id, "127.0.0.1", "t", true)
            .await
            .expect("s");
        wspolnie_platform::auth::create_session(db, id, "127.0.0.1", "t", true)
            .await
            .expect("s");
        tp.exec(&format!(
            "UPDATE sessions SET expires_at = created_at WHERE id <> '{}'",
            wspolnie_platform::auth::hash_token(&live)
        ))
        .await;
        assert_eq!(
            wspolnie_platform::auth::purge_expired(db, now + chrono::Duration::seconds(1))
                .await
                .expect("purge"),
            1
        );
        assert!(
            wspolnie_platform::auth::find_session(db, &live)
                .await
                .expect("find")
                .is_some()
        );
    })
    .await;
}
