//! Forms the GOV.UK way (issue 16): every form of the site, submitted empty or with bad input by
//! a role that can use it, comes back at its own address with "Błąd: " / "Error: " before its
//! title, an error summary that takes focus, whose links land on existing fields in the order
//! of the page, each field (or its fieldset) naming its message with aria-describedby, no two
//! messages alike, and the person's input kept. One checker (`check_errors`) for all of them.

use crate::accounts::{location, make_user, post_form, staff_sign_in};
use crate::common::*;
use crate::directory::{sign_in, sign_out};
use crate::events::{event_fields, ngo_member};
use chrono::{Duration, Utc};
use scraper::{ElementRef, Html, Selector};
use std::collections::HashMap;

thread_local! {
    /// What the checks found wrong, all reported at the end of a run (one run shows every form
    /// that misbehaves, not only the first).
    static PROBLEMS: std::cell::RefCell<Vec<String>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// `assert!` that notes the problem and goes on.
macro_rules! check {
    ($cond:expr, $($arg:tt)+) => {
        if !$cond {
            let problem = format!($($arg)+);
            PROBLEMS.with(|p| p.borrow_mut().push(problem));
        }
    };
}

/// Fails with every problem noted so far.
fn no_problems() {
    let problems = PROBLEMS.with(|p| std::mem::take(&mut *p.borrow_mut()));
    assert!(
        problems.is_empty(),
        "{} problem(s):\n{}",
        problems.len(),
        problems.join("\n")
    );
}

fn sel(s: &str) -> Selector {
    Selector::parse(s).expect("selector")
}

/// The fields a browser would send from the form whose `action` is given, in document order:
/// hidden and text inputs, checked boxes and radios, textareas, selected options (files left
/// out). Then `set` replaces every value of a name (in place, or appended), and a name in `set`
/// given as `-name` is dropped.
fn form_fields(html: &str, action: &str, set: &[(&str, &str)]) -> (Vec<(String, String)>, bool) {
    let doc = Html::parse_document(html);
    let form = doc
        .select(&sel("form"))
        .find(|f| f.value().attr("action") == Some(action))
        .unwrap_or_else(|| panic!("no form with action {action}"));
    let multipart = form.value().attr("enctype") == Some("multipart/form-data");
    let mut out: Vec<(String, String)> = Vec::new();
    for el in form.select(&sel("input, textarea, select")) {
        let v = el.value();
        let Some(name) = v.attr("name") else { continue };
        match (v.name(), v.attr("type").unwrap_or("text")) {
            ("input", "submit" | "button" | "file" | "image" | "reset") => {}
            ("input", "checkbox" | "radio") if v.attr("checked").is_some() => {
                out.push((name.into(), v.attr("value").unwrap_or("on").into()));
            }
            ("input", "checkbox" | "radio") => {}
            ("input", _) => out.push((name.into(), v.attr("value").unwrap_or("").into())),
            ("textarea", _) => out.push((name.into(), el.text().collect())),
            ("select", _) => {
                let options: Vec<ElementRef> = el.select(&sel("option")).collect();
                let chosen = options
                    .iter()
                    .find(|o| o.value().attr("selected").is_some())
                    .or(options.first());
                if let Some(o) = chosen {
                    let value = o
                        .value()
                        .attr("value")
                        .map(str::to_owned)
                        .unwrap_or_else(|| o.text().collect());
                    out.push((name.into(), value));
                }
            }
            _ => {}
        }
    }
    for (name, value) in set {
        if let Some(drop) = name.strip_prefix('-') {
            out.retain(|(n, _)| n != drop);
            continue;
        }
        let at = out.iter().position(|(n, _)| n == name).unwrap_or(out.len());
        out.retain(|(n, _)| n != name);
        let at = at.min(out.len());
        out.insert(at, ((*name).into(), (*value).into()));
    }
    (out, multipart)
}

/// Opens `page`, fills the form posting to `action` as a browser would (with `set`), sends it
/// (multipart when the form says so: the CSRF token then travels in the body) and gives the
/// answer's status and page.
async fn submit(app: &TestApp, page: &str, action: &str, set: &[(&str, &str)]) -> (u16, String) {
    let (status, html) = app.get_text(page).await;
    assert_eq!(status, 200, "GET {page}");
    let (fields, multipart) = form_fields(&html, action, set);
    assert_eq!(
        fields.first().map(|(n, _)| n.as_str()),
        Some("_csrf"),
        "the form at {page} starts with its CSRF token"
    );
    let req = app.client.post(app.url(action));
    let req = if multipart {
        let mut form = reqwest::multipart::Form::new();
        for (k, v) in fields {
            form = form.text(k, v);
        }
        req.multipart(form)
    } else {
        req.form(&fields)
    };
    let r = req.send().await.expect("post");
    let status = r.status().as_u16();
    (status, r.text().await.expect("body"))
}

/// The one checker: the page of a form that came back with errors. `prefix` is "Błąd: " or
/// "Error: "; `kept` are values the person typed that must be shown again. Gives the summary's
/// messages in order.
fn check_errors(what: &str, html: &str, prefix: &str, kept: &[(&str, &str)]) -> Vec<String> {
    let doc = Html::parse_document(html);
    let title: String = doc
        .select(&sel("title"))
        .next()
        .map(|t| t.text().collect())
        .unwrap_or_default();
    check!(
        title.starts_with(prefix),
        "{what}: the title starts with {prefix:?}: {title:?}"
    );
    let summaries: Vec<ElementRef> = doc.select(&sel(".error-summary")).collect();
    check!(summaries.len() == 1, "{what}: one error summary");
    let Some(summary) = summaries.first().copied() else {
        return Vec::new();
    };
    check!(
        summary.value().attr("autofocus").is_some(),
        "{what}: the summary takes focus"
    );
    check!(summary.value().attr("tabindex") == Some("-1"), "{what}");
    check!(
        summary.value().attr("role").is_none(),
        "{what}: focus announces it, no live region as well"
    );
    // Elements in document order, ids counted.
    let elements: Vec<ElementRef> = doc
        .root_element()
        .descendants()
        .filter_map(ElementRef::wrap)
        .collect();
    let mut position: HashMap<&str, usize> = HashMap::new();
    let mut count: HashMap<&str, usize> = HashMap::new();
    for (i, el) in elements.iter().enumerate() {
        if let Some(id) = el.value().attr("id") {
            position.entry(id).or_insert(i);
            *count.entry(id).or_default() += 1;
        }
    }
    let by_id = |id: &str| {
        elements
            .iter()
            .find(|e| e.value().attr("id") == Some(id))
            .copied()
    };
    let text_of = |id: &str| -> String {
        by_id(id)
            .map(|e| e.text().collect::<String>())
            .unwrap_or_default()
    };
    // Every aria-describedby names elements that exist.
    for el in &elements {
        if let Some(ids) = el.value().attr("aria-describedby") {
            for id in ids.split_whitespace() {
                check!(
                    count.contains_key(id),
                    "{what}: aria-describedby names a missing #{id}"
                );
            }
        }
    }
    let links: Vec<ElementRef> = summary.select(&sel("a")).collect();
    check!(!links.is_empty(), "{what}: the summary lists the errors");
    let mut messages = Vec::new();
    let mut last = None;
    for a in links {
        let message = a.text().collect::<String>().trim().to_owned();
        let href = a.value().attr("href").unwrap_or("");
        let id = href
            .strip_prefix('#')
            .unwrap_or_else(|| panic!("{what}: a summary link within the page: {href}"));
        check!(
            count.get(id).copied() == Some(1),
            "{what}: the link to #{id} ({message}) lands on one element"
        );
        let (Some(&at), Some(target)) = (position.get(id), by_id(id)) else {
            continue;
        };
        check!(
            last.is_none_or(|l| l < at),
            "{what}: the summary follows the page: #{id} ({message}) comes too early"
        );
        last = Some(at);
        // The target, or the fieldset around it, names an element holding the message.
        let mut describers: Vec<&str> = Vec::new();
        if let Some(d) = target.value().attr("aria-describedby") {
            describers.extend(d.split_whitespace());
        }
        for anc in target.ancestors().filter_map(ElementRef::wrap) {
            if anc.value().name() == "fieldset"
                && let Some(d) = anc.value().attr("aria-describedby")
            {
                describers.extend(d.split_whitespace());
            }
        }
        check!(
            describers.iter().any(|d| text_of(d).contains(&message)),
            "{what}: #{id} is described by its message {message:?} (describedby {describers:?})"
        );
        if matches!(target.value().name(), "input" | "textarea" | "select")
            && !matches!(target.value().attr("type"), Some("checkbox" | "radio"))
        {
            check!(
                target.value().attr("aria-invalid") == Some("true"),
                "{what}: #{id} is marked invalid"
            );
        }
        check!(
            !messages.contains(&message),
            "{what}: two errors say the same: {message:?}"
        );
        messages.push(message);
    }
    for (name, value) in kept {
        let shown = elements.iter().any(|e| {
            let v = e.value();
            v.attr("name") == Some(*name)
                && match v.name() {
                    "input" => v.attr("value") == Some(*value),
                    "textarea" => e.text().collect::<String>() == *value,
                    _ => false,
                }
        });
        check!(shown, "{what}: the value of {name} is kept ({value:?})");
    }
    messages
}

/// Submits the form and checks the answer: the same address answers with the form and its
/// errors (200 or 422), checked by `check_errors`.
async fn fails(
    app: &TestApp,
    page: &str,
    action: &str,
    set: &[(&str, &str)],
    prefix: &str,
) -> Vec<String> {
    let (status, html) = submit(app, page, action, set).await;
    check!(
        status == 200 || status == 422,
        "POST {action} with bad input answers the form again, got {status}"
    );
    let kept: Vec<(&str, &str)> = set
        .iter()
        .filter(|(n, v)| {
            !n.starts_with('-') && !v.is_empty() && !n.contains("password") && *n != "code"
        })
        .copied()
        .collect();
    check_errors(&format!("POST {action}"), &html, prefix, &kept)
}

/// The first `href` on `page` that starts with `prefix` and goes on with a number.
async fn first_link(app: &TestApp, page: &str, prefix: &str) -> String {
    let (_, html) = app.get_text(page).await;
    let doc = Html::parse_document(&html);
    doc.select(&sel("a[href]"))
        .filter_map(|a| a.value().attr("href"))
        .find(|h| {
            h.strip_prefix(prefix)
                .is_some_and(|rest| !rest.is_empty() && rest.chars().all(|c| c.is_ascii_digit()))
        })
        .unwrap_or_else(|| panic!("a link {prefix}N on {page}"))
        .to_owned()
}

async fn english(app: &TestApp) {
    let r = post_form(
        app,
        "/ustawienia/jezyk",
        "/",
        &[("lang", "en"), ("back", "/")],
    )
    .await;
    assert_eq!(r.status(), 303);
}

async fn polish(app: &TestApp) {
    let r = post_form(
        app,
        "/ustawienia/jezyk",
        "/",
        &[("lang", "pl"), ("back", "/")],
    )
    .await;
    assert_eq!(r.status(), 303);
}

const PL: &str = "Błąd: ";
const EN: &str = "Error: ";

#[tokio::test]
async fn every_form_comes_back_with_linked_errors_in_page_order() {
    each_backend("forms", |b| async move {
        let app = TestApp::new(b).await;
        // ---- a visitor ----
        let m = fails(
            &app,
            "/konto/rejestracja",
            "/konto/rejestracja",
            &[
                ("email", "nie-adres"),
                ("password", "krótkie"),
                ("password_confirm", "inne"),
            ],
            PL,
        )
        .await;
        check!(m.len() == 4, "name, email, password, privacy: {m:?}");
        fails(
            &app,
            "/konto/logowanie",
            "/konto/logowanie",
            &[("email", "nikt@example.pl")],
            PL,
        )
        .await;
        fails(
            &app,
            "/konto/reset-hasla",
            "/konto/reset-hasla",
            &[("email", "nie-adres")],
            PL,
        )
        .await;
        fails(
            &app,
            "/newsletter",
            "/newsletter",
            &[("email", "nie-adres")],
            PL,
        )
        .await;
        fails(
            &app,
            "/wspolpraca/promocja",
            "/wspolpraca/promocja",
            &[("organization", "Fundacja Rzeka")],
            PL,
        )
        .await;
        english(&app).await;
        let m = fails(
            &app,
            "/konto/rejestracja",
            "/konto/rejestracja",
            &[("name", "Ewa")],
            EN,
        )
        .await;
        check!(
            m.iter()
                .all(|m| !m.contains(['ą', 'ę', 'ł', 'ó', 'ś', 'ż'])),
            "English messages: {m:?}"
        );
        fails(
            &app,
            "/newsletter",
            "/newsletter",
            &[("email", "not-an-address")],
            EN,
        )
        .await;
        polish(&app).await;

        // ---- a member of an organisation ----
        let (org, _) = ngo_member(&app, "owner").await;
        sign_in(&app, "ngo@example.pl", "hasło wolontariuszki").await;
        let events = format!("/panel/organizacje/{}/wydarzenia/nowe", org.id);
        let m = fails(
            &app,
            &events,
            &events,
            &[
                ("start_time", "25:00"),
                ("end_time", "99:99"),
                ("place", "Przystań"),
            ],
            PL,
        )
        .await;
        check!(
            m.iter().any(|m| m.contains("rozpoczęcia"))
                && m.iter().any(|m| m.contains("zakończenia")),
            "start and end times are told apart: {m:?}"
        );
        fails(
            &app,
            "/panel/organizacje/nowa",
            "/panel/organizacje/nowa",
            &[("email", "nie-adres")],
            PL,
        )
        .await;
        let profile = format!("/panel/organizacje/{}/profil", org.id);
        fails(
            &app,
            &profile,
            &profile,
            &[("name", ""), ("website", "nie adres")],
            PL,
        )
        .await;
        let news = format!("/panel/organizacje/{}/aktualnosci/nowa", org.id);
        fails(&app, &news, &news, &[("lead", "Krótko")], PL).await;
        // One invite form per organisation: the error lands on this organisation's field.
        let invite = format!("/panel/organizacje/{}/zaproszenie", org.id);
        let m = fails(
            &app,
            "/panel/organizacje",
            &invite,
            &[("email", "nie-adres")],
            PL,
        )
        .await;
        check!(m.len() == 1, "one invite error: {m:?}");
        let (_, html) = submit(&app, "/panel/organizacje", &invite, &[("email", "zly")]).await;
        check!(
            html.contains(&format!("href=\"#email-{}\"", org.id)),
            "links the field's id"
        );
        fails(
            &app,
            "/panel/konto",
            "/panel/konto/haslo",
            &[("current_password", "złe hasło"), ("password", "a")],
            PL,
        )
        .await;
        let claim = format!("/panel/organizacje/{}/przejecie", org.id);
        fails(
            &app,
            &claim,
            &claim,
            &[("message", "Prowadzę tę fundację.")],
            PL,
        )
        .await;
        fails(
            &app,
            "/panel/konto",
            "/panel/konto/email",
            &[("new_email", "nie-adres")],
            PL,
        )
        .await;
        fails(
            &app,
            "/panel/konto",
            "/panel/konto/usun",
            &[("delete_password", "złe")],
            PL,
        )
        .await;
        english(&app).await;
        fails(&app, &events, &events, &[("title", "Picnic")], EN).await;
        polish(&app).await;
        // A valid event for the moderation queue.
        let day = (Utc::now() + Duration::days(20))
            .with_timezone(&wspolnie_core::time::TZ)
            .format("%Y-%m-%d")
            .to_string();
        let valid: Vec<(&str, String)> = event_fields(&day);
        let valid: Vec<(&str, &str)> = valid.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let (status, _) = submit(&app, &events, &events, &valid).await;
        assert_eq!(status, 303, "a valid event is sent for moderation");
        sign_out(&app).await;

        // ---- office staff ----
        let staff = make_user(
            &app,
            "urzad@wierzbin.example",
            "hasło urzędu 2026",
            Some(&[
                ("admin", ""),
                ("official", "moderation"),
                ("official", "mailing"),
                ("official", "meetings"),
                ("official", "content"),
                ("official", "grants"),
            ]),
        )
        .await;
        // The second step of signing in: a wrong code comes back like any form.
        let secret = wspolnie_platform::totp::new_secret();
        app.tp
            .exec(&format!(
                "UPDATE users SET totp_secret = '{secret}', totp_enabled_at = created_at, recovery_codes = '[]' WHERE id = {staff}"
            ))
            .await;
        let r = post_form(
            &app,
            "/konto/logowanie",
            "/konto/logowanie",
            &[("email", "urzad@wierzbin.example"), ("password", "hasło urzędu 2026")],
        )
        .await;
        assert_eq!(location(&r), "/konto/2fa");
        fails(&app, "/konto/2fa", "/konto/2fa", &[("code", "12345")], PL).await;
        post_form(&app, "/konto/wyloguj", "/konto/2fa", &[]).await;
        staff_sign_in(&app, "urzad@wierzbin.example", "hasło urzędu 2026", staff).await;
        let m = fails(
            &app,
            "/panel/admin/zaproszenia",
            "/panel/admin/zaproszenia",
            &[("email", "nie-adres")],
            PL,
        )
        .await;
        check!(m.len() == 2, "address and roles: {m:?}");
        fails(&app, "/panel/admin/import", "/panel/admin/import", &[], PL).await;
        fails(
            &app,
            "/panel/wysylki/nowa",
            "/panel/wysylki/nowa",
            &[("subject", "Zaproszenie")],
            PL,
        )
        .await;
        let m = fails(
            &app,
            "/panel/spotkania/nowe",
            "/panel/spotkania/nowe",
            &[
                ("date", &day),
                ("start_time", "25:00"),
                ("end_time", "99:99"),
            ],
            PL,
        )
        .await;
        check!(
            m.iter().any(|m| m.contains("rozpoczęcia"))
                && m.iter().any(|m| m.contains("zakończenia")),
            "meeting start and end times are told apart: {m:?}"
        );
        fails(
            &app,
            "/panel/aktualnosci/nowa",
            "/panel/aktualnosci/nowa",
            &[],
            PL,
        )
        .await;
        fails(
            &app,
            "/panel/kontakty/nowy",
            "/panel/kontakty/nowy",
            &[("email", "nie-adres")],
            PL,
        )
        .await;
        fails(
            &app,
            "/panel/wspolpraca/nowe",
            "/panel/wspolpraca/nowe",
            &[],
            PL,
        )
        .await;
        // A call for offers: emptied, every required field named; a row of criteria with a
        // wrong number linked to that row's field.
        let m = fails(
            &app,
            "/panel/konkursy/nowy",
            "/panel/konkursy/nowy",
            &[("title", ""), ("funds", ""), ("criterion_points", "1000")],
            PL,
        )
        .await;
        check!(m.len() >= 3, "call form: {m:?}");
        let call = first_link(&app, "/panel/konkursy", "/panel/konkursy/").await;
        fails(&app, &call, &format!("{call}/status"), &[("to", "annulled"), ("reason", "")], PL).await;
        let page = first_link(&app, "/panel/strony", "/panel/strony/").await;
        fails(&app, &page, &page, &[("title_pl", ""), ("body_pl", "")], PL).await;
        let files = format!("{page}/zalaczniki");
        fails(&app, &page, &files, &[("file_title", "Regulamin")], PL).await;
        let item = first_link(&app, "/panel/moderacja", "/panel/moderacja/").await;
        let m = fails(&app, &item, &item, &[], PL).await;
        check!(m.len() == 1, "the decision: {m:?}");
        english(&app).await;
        fails(
            &app,
            "/panel/admin/zaproszenia",
            "/panel/admin/zaproszenia",
            &[],
            EN,
        )
        .await;
        fails(
            &app,
            "/panel/spotkania/nowe",
            "/panel/spotkania/nowe",
            &[],
            EN,
        )
        .await;
        no_problems();
    })
    .await;
}

/// Multipart forms carry the CSRF token in their body (never in the address, which a failed
/// submit would otherwise keep showing): without it the request is refused, with it accepted.
#[tokio::test]
async fn multipart_forms_carry_the_csrf_token_in_their_body() {
    each_backend("multipart csrf", |b| async move {
        let app = TestApp::new(b).await;
        let (org, _) = ngo_member(&app, "owner").await;
        sign_in(&app, "ngo@example.pl", "hasło wolontariuszki").await;
        let path = format!("/panel/organizacje/{}/wydarzenia/nowe", org.id);
        let (_, html) = app.get_text(&path).await;
        assert!(!html.contains("?_csrf="), "no token in any form's address");
        let token = extract_between(&html, "name=\"_csrf\" value=\"", "\"").expect("token");
        let post =
            |form: reqwest::multipart::Form| app.client.post(app.url(&path)).multipart(form).send();
        let without = reqwest::multipart::Form::new().text("title", "Bez żetonu");
        assert_eq!(post(without).await.expect("post").status(), 403);
        let wrong = reqwest::multipart::Form::new()
            .text("_csrf", "0".repeat(token.len()))
            .text("title", "Zły żeton");
        assert_eq!(post(wrong).await.expect("post").status(), 403);
        // A file before the token: the token is looked for only ahead of any file.
        let file_first = reqwest::multipart::Form::new()
            .part(
                "poster",
                reqwest::multipart::Part::bytes(vec![1u8; 10]).file_name("a.png"),
            )
            .text("_csrf", token.clone());
        assert_eq!(post(file_first).await.expect("post").status(), 403);
        let with = reqwest::multipart::Form::new()
            .text("_csrf", token.clone())
            .text("title", "Z żetonem w treści");
        let r = post(with).await.expect("post");
        assert_eq!(
            r.status(),
            200,
            "accepted: the form comes back with its errors"
        );
        let html = r.text().await.expect("html");
        assert!(
            html.contains("value=\"Z żetonem w treści\""),
            "the body reached the handler"
        );
        assert!(html.contains("class=\"error-summary\""));
        // A long text field ahead of the token still lets it be found (more than one read).
        let long = "ż".repeat(300_000);
        let with_long = reqwest::multipart::Form::new()
            .text("description", long.clone())
            .text("_csrf", token.clone())
            .text("title", "Długi opis");
        let r = post(with_long).await.expect("post");
        assert_eq!(r.status(), 200);
        assert!(
            r.text().await.expect("html").contains(&long),
            "the whole body was passed on"
        );
    })
    .await;
}
