//! The panel's home page (issue 16, item 2): every viewer sees the entries the areas registered
//! for its permissions, grouped under headings, each with how many things wait for that viewer;
//! and no page under `/panel` is reachable only by typing its address — a crawl from `/panel`
//! following links reaches every GET route the viewer may open.

use crate::accounts::make_user;
use crate::common::*;
use crate::directory::post_multipart_file;
use crate::directory::sign_in;
use crate::directory::sign_out;
use crate::events::event_fields;
use chrono::{Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder,
};
use std::collections::{BTreeSet, HashSet, VecDeque};
use wspolnie_areas::directory::entity::{directory_import, organization};
use wspolnie_areas::mailings::entity::{mailing, mailing_recipient};
use wspolnie_areas::meetings::entity::{meeting, meeting_invitation};
use wspolnie_areas::moderation::entity::revision;
use wspolnie_areas::partners::entity::media_request;
use wspolnie_platform::entity::{job, organization_member, role_grant, user, user_token};

/// A person looking at the panel through their own session cookie.
struct Viewer {
    name: &'static str,
    cookie: String,
    account: wspolnie_web::policy::Account,
}

async fn viewer(app: &TestApp, name: &'static str, user_id: i64) -> Viewer {
    let db = &app.tp.platform.db.conn;
    let s = wspolnie_platform::auth::create_session(db, user_id, "127.0.0.1", "panel", true)
        .await
        .expect("session");
    let user = user::Entity::find_by_id(user_id)
        .one(db)
        .await
        .expect("q")
        .expect("user");
    let roles = role_grant::Entity::find()
        .filter(role_grant::Column::UserId.eq(user_id))
        .all(db)
        .await
        .expect("roles")
        .into_iter()
        .map(|g| (g.role, g.scope))
        .collect();
    let memberships = organization_member::Entity::find()
        .filter(organization_member::Column::UserId.eq(user_id))
        .all(db)
        .await
        .expect("members")
        .into_iter()
        .map(|m| (m.organization_id, m.role))
        .collect();
    Viewer {
        name,
        cookie: format!("wsp_session={s}"),
        account: wspolnie_web::policy::Account {
            user,
            session_id: String::new(),
            roles,
            memberships,
        },
    }
}

fn plain() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .build()
        .expect("client")
}

/// GET as the viewer: status, content type, body (empty unless HTML).
async fn get_as(app: &TestApp, v: &Viewer, path: &str) -> (u16, String, String) {
    let r = plain()
        .get(app.url(path))
        .header("cookie", &v.cookie)
        .send()
        .await
        .expect("get");
    let status = r.status().as_u16();
    let ct = r
        .headers()
        .get("content-type")
        .and_then(|c| c.to_str().ok())
        .unwrap_or("")
        .to_owned();
    let body = if ct.starts_with("text/html") {
        r.text().await.expect("html")
    } else {
        String::new()
    };
    (status, ct, body)
}

/// POST a form as the viewer, with a CSRF pair fetched for its session.
async fn post_as(app: &TestApp, v: &Viewer, path: &str, fields: &[(&str, &str)]) -> u16 {
    let c = plain();
    let page = c
        .get(app.url("/ustawienia"))
        .header("cookie", &v.cookie)
        .send()
        .await
        .expect("get");
    let csrf_cookie = page
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|h| h.to_str().ok())
        .find_map(|h| {
            h.strip_prefix("wsp_csrf=")
                .and_then(|h| h.split(';').next())
                .map(str::to_owned)
        })
        .expect("csrf cookie");
    let html = page.text().await.expect("html");
    let token = extract_between(&html, "name=\"_csrf\" value=\"", "\"").expect("token");
    let mut form = fields.to_vec();
    form.push(("_csrf", &token));
    c.post(app.url(path))
        .header("cookie", format!("{}; wsp_csrf={csrf_cookie}", v.cookie))
        .form(&form)
        .send()
        .await
        .expect("post")
        .status()
        .as_u16()
}

/// One group of the home page as shown: its heading and its entries (address, count text).
#[derive(Debug, PartialEq, Eq)]
struct Group {
    heading: String,
    entries: Vec<(String, Option<String>)>,
}

fn dashboard(html: &str) -> Vec<Group> {
    let Some(start) = html.find("<div class=\"panel-dashboard\">") else {
        return Vec::new();
    };
    html[start..]
        .split("<section class=\"panel-group\"")
        .skip(1)
        .map(|s| {
            let s = s.split("</section>").next().unwrap_or("");
            let h2 = extract_between(s, "<h2 id=\"", "</h2>").unwrap_or_default();
            let heading = h2
                .split_once("\">")
                .map(|(_, t)| t)
                .unwrap_or("")
                .to_owned();
            let entries = s
                .split("<li><a href=\"")
                .skip(1)
                .map(|item| {
                    let href = item.split('"').next().unwrap_or("").to_owned();
                    let count = extract_between(item, "<span class=\"panel-count\">", "</span>");
                    (href, count)
                })
                .collect();
            Group { heading, entries }
        })
        .collect()
}

fn group(heading: &str, entries: &[(&str, Option<&str>)]) -> Group {
    Group {
        heading: heading.into(),
        entries: entries
            .iter()
            .map(|(h, c)| ((*h).to_owned(), c.map(str::to_owned)))
            .collect(),
    }
}

/// A published organisation last confirmed `days` ago.
async fn organisation(app: &TestApp, name: &str, days: i64) -> i64 {
    let at = Utc::now() - Duration::days(days);
    let slug = wspolnie_core::text::slugify(name);
    organization::Entity::insert(organization::ActiveModel {
        slug: Set(slug.clone()),
        name: Set(name.into()),
        name_fold: Set(slug.clone()),
        short_description: Set("Organizacja z testu panelu.".into()),
        legal_form: Set("stowarzyszenie".into()),
        is_opp: Set(false),
        email: Set(Some(format!("biuro@{slug}.example.org"))),
        street: Set(String::new()),
        postal_code: Set(String::new()),
        city: Set("Wierzbin".into()),
        district: Set(String::new()),
        status: Set(organization::Status::Published),
        search_text: Set(slug.clone()),
        created_at: Set(at),
        updated_at: Set(at),
        published_at: Set(Some(at)),
        name_sort: Set(slug),
        social_links: Set("[]".into()),
        logo_alt: Set(String::new()),
        confirmed_at: Set(Some(at)),
        version: Set(1),
        ..Default::default()
    })
    .exec(&app.tp.platform.db.conn)
    .await
    .expect("organisation")
    .last_insert_id
}

async fn member_of(app: &TestApp, org: i64, user: i64) {
    organization_member::Entity::insert(organization_member::ActiveModel {
        organization_id: Set(org),
        user_id: Set(user),
        role: Set("owner".into()),
        created_at: Set(Utc::now()),
    })
    .exec(&app.tp.platform.db.conn)
    .await
    .expect("member");
}

/// A meeting `days` ahead (negative: past) with invitations `(email, organisation, status)`.
async fn meeting_with(
    app: &TestApp,
    slug: &str,
    days: i64,
    invitations: &[(&str, Option<i64>, meeting_invitation::Status)],
) -> i64 {
    let db = &app.tp.platform.db.conn;
    let now = Utc::now();
    let starts = now + Duration::days(days);
    let id = meeting::Entity::insert(meeting::ActiveModel {
        slug: Set(slug.into()),
        title: Set(format!("Spotkanie {slug}")),
        agenda_md: Set("Porządek.".into()),
        place: Set(Some("Sala 1".into())),
        starts_at: Set(starts),
        ends_at: Set(starts + Duration::hours(2)),
        max_party: Set(2),
        seats_taken: Set(0),
        audience: Set(r#"{"organizations":true}"#.into()),
        lang: Set("pl".into()),
        status: Set(meeting::Status::Invited),
        invited_at: Set(Some(now)),
        sequence: Set(0),
        minutes_md: Set(String::new()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    })
    .exec(db)
    .await
    .expect("meeting")
    .last_insert_id;
    for (email, org, status) in invitations {
        meeting_invitation::Entity::insert(meeting_invitation::ActiveModel {
            meeting_id: Set(id),
            email: Set((*email).into()),
            lang: Set("pl".into()),
            source: Set(if org.is_some() {
                "organization"
            } else {
                "custom"
            }
            .into()),
            organization_id: Set(*org),
            status: Set(*status),
            party_size: Set(1),
            comment: Set(String::new()),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        })
        .exec(db)
        .await
        .expect("invitation");
    }
    id
}

async fn media_request_with(app: &TestApp, status: media_request::Status) -> i64 {
    let now = Utc::now();
    media_request::Entity::insert(media_request::ActiveModel {
        kind: Set("promotion".into()),
        organization: Set("Fundacja Źródło".into()),
        contact_name: Set("Anna Nowak".into()),
        email: Set("anna@example.org".into()),
        phone: Set(String::new()),
        title: Set("Festyn nad rzeką".into()),
        description: Set("Prosimy o zapowiedź.".into()),
        links: Set(String::new()),
        status: Set(status),
        note: Set(String::new()),
        lang: Set("pl".into()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    })
    .exec(&app.tp.platform.db.conn)
    .await
    .expect("media request")
    .last_insert_id
}

/// A sent mailing with recipients in the given states.
async fn mailing_with(app: &TestApp, recipients: &[mailing_recipient::Status]) -> i64 {
    let db = &app.tp.platform.db.conn;
    let now = Utc::now();
    let id = mailing::Entity::insert(mailing::ActiveModel {
        kind: Set("manual".into()),
        subject: Set("Nabór wniosków".into()),
        body_md: Set("Treść.".into()),
        body_html: Set("<p>Treść.</p>".into()),
        body_text: Set("Treść.".into()),
        audience: Set(r#"{"organizations":true}"#.into()),
        lang: Set("pl".into()),
        status: Set(mailing::Status::Sent),
        started_at: Set(Some(now)),
        finished_at: Set(Some(now)),
        recipients_total: Set(recipients.len() as i32),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    })
    .exec(db)
    .await
    .expect("mailing")
    .last_insert_id;
    for (i, status) in recipients.iter().enumerate() {
        mailing_recipient::Entity::insert(mailing_recipient::ActiveModel {
            mailing_id: Set(id),
            email: Set(format!("odbiorca{id}-{i}@example.org")),
            lang: Set("pl".into()),
            source: Set("custom".into()),
            status: Set(*status),
            attempts: Set(1),
            next_attempt_at: Set(now),
            created_at: Set(now),
            ..Default::default()
        })
        .exec(db)
        .await
        .expect("recipient");
    }
    id
}

async fn invitation_token(app: &TestApp, email: &str, expires_in_days: i64) {
    let now = Utc::now();
    user_token::Entity::insert(user_token::ActiveModel {
        purpose: Set("invitation".into()),
        token_hash: Set(format!("hash-{email}")),
        email: Set(email.into()),
        data: Set(r#"{"roles":[]}"#.into()),
        expires_at: Set(now + Duration::days(expires_in_days)),
        created_at: Set(now),
        ..Default::default()
    })
    .exec(&app.tp.platform.db.conn)
    .await
    .expect("token");
}

/// A call past its deadline with offers in every state: one submitted and one corrected wait
/// for the formal check, the others do not.
async fn offers_waiting_for_the_formal_check(app: &TestApp, org: i64) {
    use wspolnie_areas::grants::entity::{grant_call, grant_offer};
    let db = &app.tp.platform.db.conn;
    let now = Utc::now();
    let day = now.date_naive();
    let call = grant_call::Entity::insert(grant_call::ActiveModel {
        slug: Set("konkurs-panelowy".into()),
        number: Set("WSS.524.9.2027".into()),
        title: Set("Konkurs panelowy".into()),
        sphere_code: Set("17".into()),
        task_type: Set("Zajęcia sportowe".into()),
        description_md: Set(String::new()),
        funds_available: Set(10_000_000),
        grant_rules_md: Set(String::new()),
        execution_from: Set(day + Duration::days(30)),
        execution_to: Set(day + Duration::days(90)),
        execution_conditions_md: Set(String::new()),
        offers_from: Set(None),
        offer_deadline: Set(now - Duration::days(1)),
        selection_procedure_md: Set(String::new()),
        selection_date: Set(day + Duration::days(20)),
        prior_funding: Set("[]".into()),
        criteria: Set("[]".into()),
        formal_checklist: Set("Oferta złożona w terminie".into()),
        max_grant: Set(None),
        min_own_bp: Set(0),
        own_kinds: Set("financial".into()),
        fees_allowed: Set(false),
        admin_cap_bp: Set(None),
        max_years: Set(1),
        joint_allowed: Set(false),
        indicators_required: Set(false),
        required_attachments: Set(String::new()),
        correction_days: Set(7),
        form_version: Set("2018-2057-z1".into()),
        contact_name: Set(String::new()),
        contact_email: Set(String::new()),
        status: Set(grant_call::Status::Closed),
        announced_at: Set(Some(now - Duration::days(30))),
        event_id: Set(None),
        cloned_from: Set(None),
        created_by: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(0),
        ..Default::default()
    })
    .exec(db)
    .await
    .expect("call")
    .last_insert_id;
    use grant_offer::Status as O;
    for status in [
        O::Submitted,
        O::Corrected,
        O::Draft,
        O::Complete,
        O::Withdrawn,
    ] {
        grant_offer::Entity::insert(grant_offer::ActiveModel {
            call_id: Set(call),
            organization_id: Set(org),
            title: Set(format!("Oferta {}", status.as_str())),
            status: Set(status),
            template_version: Set("2018-2057-z1".into()),
            current_version: Set(1),
            checksum: Set(None),
            submitted_at: Set(Some(now - Duration::days(2))),
            withdrawn_at: Set(None),
            requested_grant: Set(100_000),
            total_cost: Set(120_000),
            correction_deadline: Set(None),
            correction_sections: Set(String::new()),
            created_by: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        })
        .exec(db)
        .await
        .expect("offer");
    }
}

async fn dead_job(app: &TestApp) {
    let now = Utc::now();
    job::Entity::insert(job::ActiveModel {
        kind: Set("mail.send".into()),
        payload: Set(r#"{"to":"ktos@example.org"}"#.into()),
        status: Set(wspolnie_platform::jobs::DEAD.into()),
        attempts: Set(5),
        max_attempts: Set(5),
        run_at: Set(now),
        last_error: Set(Some("connection refused".into())),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    })
    .exec(&app.tp.platform.db.conn)
    .await
    .expect("job");
}

fn warsaw_day(days: i64) -> String {
    (Utc::now() + Duration::days(days))
        .with_timezone(&wspolnie_core::time::TZ)
        .date_naive()
        .to_string()
}

/// The signed-in member submits an event of `org` for moderation (or saves it as a draft).
async fn event_of(app: &TestApp, org: i64, title: &str, action: &str) {
    let mut fields: Vec<(&'static str, String)> = event_fields(&warsaw_day(20))
        .into_iter()
        .map(|(k, v)| {
            if k == "title" {
                (k, title.to_owned())
            } else {
                (k, v)
            }
        })
        .collect();
    fields.push(("action", action.into()));
    let r = post_multipart_file(
        app,
        &format!("/panel/organizacje/{org}/wydarzenia/nowe"),
        &fields,
        None,
    )
    .await;
    assert_eq!(r.status(), 303, "event {title} saved");
}

/// The groups of `/panel` as `v` sees them.
async fn panel_of(app: &TestApp, v: &Viewer) -> Vec<Group> {
    let (status, _, html) = get_as(app, v, "/panel").await;
    assert_eq!(status, 200, "{}", v.name);
    assert_eq!(html.matches("<h1").count(), 1);
    dashboard(&html)
}

async fn check(app: &TestApp, v: &Viewer, want: Vec<Group>) {
    assert_eq!(panel_of(app, v).await, want, "{}", v.name);
}

const ACCOUNT: &str = "Twoje konto";
const ORGANISATIONS: &str = "Organizacje";
const CONTENT: &str = "Treści urzędu";
const COMMUNICATION: &str = "Komunikacja i współpraca";
const MODERATION: &str = "Moderacja i baza organizacji";
const GRANTS: &str = "Dotacje";
const CONSULTATIONS: &str = "Konsultacje";
const PROGRAMME: &str = "Program współpracy";

/// The programme's entry with no programme stored: its two statutory deadlines (30 November for
/// next year's programme, 31 May for last year's report) counted when 30 days or fewer are left
/// or they have passed — worked out here from the calendar alone.
fn programme_group() -> Group {
    use chrono::Datelike;
    let today = wspolnie_core::time::today();
    let y = today.year();
    let dues = [
        chrono::NaiveDate::from_ymd_opt(y, 11, 30).expect("day"),
        chrono::NaiveDate::from_ymd_opt(y, 5, 31).expect("day"),
    ];
    let n = dues
        .iter()
        .filter(|d| (**d - today).num_days() <= 30)
        .count();
    let label = match n {
        0 => None,
        1 => Some("1 termin programu zbliża się lub minął".to_owned()),
        _ => Some(format!("{n} terminy programu zbliżają się lub minęły")),
    };
    Group {
        heading: PROGRAMME.into(),
        entries: vec![("/panel/program".into(), label)],
    }
}
const ADMINISTRATION: &str = "Administracja";

#[tokio::test]
async fn panel_home_groups_entries_by_permission_with_counts_per_viewer() {
    each_backend("panel dashboard", |b| async move {
        let app = TestApp::with_demo(b, false).await;
        let db = &app.tp.platform.db.conn;
        // Two organisations: the member's, due for its yearly confirmation (400 days) but not yet
        // shown as out of date; another one not confirmed for 600 days (out of date).
        let own = organisation(&app, "Stowarzyszenie Panelowe", 400).await;
        let _stale = organisation(&app, "Fundacja Dawno Potwierdzona", 600).await;
        let member_id = make_user(&app, "czlonkini@example.pl", "hasło członkini 2026", None).await;
        member_of(&app, own, member_id).await;
        let (moderator_id, official_id, admin_id, expert_id) = staff_of_every_kind(&app).await;

        // Meetings: one ahead with the member's organisation not answering yet, one ahead where
        // everybody answered, one past with an unanswered invitation (not counted).
        use meeting_invitation::Status as I;
        meeting_with(
            &app,
            "ahead",
            10,
            &[
                (
                    "biuro@stowarzyszenie-panelowe.example.org",
                    Some(own),
                    I::Invited,
                ),
                ("ktos@example.org", None, I::Attending),
            ],
        )
        .await;
        meeting_with(
            &app,
            "answered",
            12,
            &[("inny@example.org", None, I::Declined)],
        )
        .await;
        meeting_with(
            &app,
            "past",
            -3,
            &[(
                "biuro@stowarzyszenie-panelowe.example.org",
                Some(own),
                I::Invited,
            )],
        )
        .await;
        // Media requests: two undecided, one decided.
        media_request_with(&app, media_request::Status::New).await;
        media_request_with(&app, media_request::Status::InProgress).await;
        media_request_with(&app, media_request::Status::Accepted).await;
        // Mailings: one with two unconfirmed deliveries, one delivered.
        use mailing_recipient::Status as R;
        mailing_with(&app, &[R::Unconfirmed, R::Unconfirmed, R::Sent]).await;
        mailing_with(&app, &[R::Sent]).await;
        // Invitations of officials: one open, one expired; one dead job.
        invitation_token(&app, "nowy@example.pl", 3).await;
        invitation_token(&app, "stary@example.pl", -1).await;
        dead_job(&app).await;
        // Grants: two offers wait for the formal check.
        offers_waiting_for_the_formal_check(&app, own).await;

        // The member submits two events: two changes in the queue.
        sign_in(&app, "czlonkini@example.pl", "hasło członkini 2026").await;
        event_of(&app, own, "Sprzątanie brzegów Wierzbinki", "submit").await;
        event_of(&app, own, "Wodowanie łodzi", "submit").await;
        sign_out(&app).await;

        let member = viewer(&app, "member", member_id).await;
        let moderator = viewer(&app, "moderator", moderator_id).await;
        let official = viewer(&app, "official (all scopes)", official_id).await;
        let admin = viewer(&app, "admin", admin_id).await;
        let expert = viewer(&app, "expert", expert_id).await;

        let account = || group(ACCOUNT, &[("/panel/konto", None), ("/panel/sesje", None)]);
        let organisations = |due: Option<&str>, invited: Option<&str>| {
            group(
                ORGANISATIONS,
                &[
                    ("/panel/organizacje", due),
                    ("/panel/moje-spotkania", invited),
                    ("/panel/organizacje/nowa", None),
                ],
            )
        };
        let all_content = || {
            group(
                CONTENT,
                &[
                    ("/panel/strony", None),
                    ("/panel/aktualnosci", None),
                    ("/panel/kontakty", None),
                    ("/panel/stopka", None),
                ],
            )
        };
        let communication = || {
            group(
                COMMUNICATION,
                &[
                    (
                        "/panel/wysylki",
                        Some("1 wysyłka z niepotwierdzonym doręczeniem"),
                    ),
                    (
                        "/panel/spotkania",
                        Some("1 spotkanie z zaproszeniami bez odpowiedzi"),
                    ),
                    ("/panel/wspolpraca", None),
                    ("/panel/promocja", Some("2 prośby czekają na decyzję")),
                ],
            )
        };
        let moderation = |queue: &str| {
            group(
                MODERATION,
                &[
                    ("/panel/moderacja", Some(queue)),
                    ("/panel/katalog", Some("1 profil może być nieaktualny")),
                ],
            )
        };
        // Offers in calls: every signed-in person; the member's organisation has one draft
        // (`offers_waiting_for_the_formal_check` made it).
        let offers = || {
            group(
                GRANTS,
                &[
                    ("/panel/sprawozdania", None),
                    ("/panel/zobowiazania", None),
                    ("/panel/oferty", None),
                    ("/panel/komisje", None),
                ],
            )
        };
        let own_offers = || {
            group(
                GRANTS,
                &[
                    ("/panel/sprawozdania", None),
                    ("/panel/zobowiazania", None),
                    ("/panel/oferty", Some("1 oferta w przygotowaniu")),
                    ("/panel/komisje", None),
                ],
            )
        };
        let administration = || {
            group(
                ADMINISTRATION,
                &[
                    ("/panel/admin/uzytkownicy", None),
                    (
                        "/panel/admin/zaproszenia",
                        Some("1 zaproszenie jeszcze nieprzyjęte"),
                    ),
                    ("/panel/admin/ustawienia", None),
                    ("/panel/admin/poczta", Some("1 wiadomość niedostarczona")),
                    ("/panel/admin/import", None),
                    ("/panel/audyt", None),
                ],
            )
        };

        check(
            &app,
            &member,
            vec![
                account(),
                organisations(
                    Some("1 organizacja czeka na potwierdzenie danych"),
                    Some("1 zaproszenie czeka na odpowiedź"),
                ),
                own_offers(),
            ],
        )
        .await;
        check(
            &app,
            &expert,
            vec![account(), organisations(None, None), offers()],
        )
        .await;
        check(
            &app,
            &moderator,
            vec![
                account(),
                organisations(None, None),
                group(CONTENT, &[("/panel/stopka", None)]),
                offers(),
                moderation("2 zmiany czekają na decyzję"),
            ],
        )
        .await;
        check(
            &app,
            &official,
            vec![
                account(),
                organisations(None, None),
                all_content(),
                communication(),
                group(
                    GRANTS,
                    &[
                        (
                            "/panel/konkursy",
                            Some("2 oferty czekają na ocenę formalną"),
                        ),
                        // No demo data here: no granted offer waits for a contract.
                        ("/panel/umowy", None),
                        ("/panel/male-granty", None),
                        ("/panel/sprawozdania", None),
                        ("/panel/zobowiazania", None),
                        ("/panel/oferty", None),
                        ("/panel/komisje", None),
                    ],
                ),
                group(
                    CONSULTATIONS,
                    &[
                        ("/panel/konsultacje", None),
                        ("/panel/konsultacje/szablony", None),
                    ],
                ),
                programme_group(),
                moderation("2 zmiany czekają na decyzję"),
            ],
        )
        .await;
        check(
            &app,
            &admin,
            vec![
                account(),
                organisations(None, None),
                all_content(),
                communication(),
                group(
                    GRANTS,
                    &[
                        (
                            "/panel/konkursy",
                            Some("2 oferty czekają na ocenę formalną"),
                        ),
                        // No demo data here: no granted offer waits for a contract.
                        ("/panel/umowy", None),
                        ("/panel/male-granty", None),
                        ("/panel/sprawozdania", None),
                        ("/panel/zobowiazania", None),
                        ("/panel/oferty", None),
                        ("/panel/komisje", None),
                    ],
                ),
                group(
                    CONSULTATIONS,
                    &[
                        ("/panel/konsultacje", None),
                        ("/panel/konsultacje/szablony", None),
                    ],
                ),
                programme_group(),
                moderation("2 zmiany czekają na decyzję"),
                administration(),
            ],
        )
        .await;

        // The moderator decides one: one left, for every viewer of the queue.
        let rev = revision::Entity::find()
            .filter(revision::Column::Status.eq(revision::Status::Pending))
            .order_by_asc(revision::Column::Id)
            .one(db)
            .await
            .expect("q")
            .expect("a pending revision");
        let item = format!("/panel/moderacja/{}", rev.id);
        assert_eq!(
            post_as(
                &app,
                &moderator,
                &item,
                &[("decision", "approve"), ("comment", "")]
            )
            .await,
            303
        );
        for v in [&moderator, &official, &admin] {
            let got = panel_of(&app, v).await;
            let queue = got
                .iter()
                .find(|g| g.heading == MODERATION)
                .expect("moderation group");
            assert_eq!(
                queue.entries[0],
                (
                    "/panel/moderacja".into(),
                    Some("1 zmiana czeka na decyzję".into())
                ),
                "{}",
                v.name
            );
        }
        // The organisation's data confirmed: nothing due for the member any more.
        organization::Entity::update_many()
            .col_expr(
                organization::Column::ConfirmedAt,
                sea_orm::sea_query::Expr::value(Some(Utc::now())),
            )
            .filter(organization::Column::Id.eq(own))
            .exec(db)
            .await
            .expect("confirm");
        let got = panel_of(&app, &member).await;
        assert_eq!(
            got[1],
            organisations(None, Some("1 zaproszenie czeka na odpowiedź")),
            "confirmed: nothing due"
        );

        // English: the same counts, the English plural.
        let (_, _, html) = get_as(
            &app,
            &Viewer {
                name: "admin en",
                cookie: format!("{}; wsp_lang=en", admin.cookie),
                account: admin.account.clone(),
            },
            "/panel",
        )
        .await;
        assert!(html.contains("1 change waits for a decision"), "{html}");
        assert!(html.contains("2 requests wait for a decision"));
    })
    .await;
}

/// The path part of a link (no fragment, no query).
fn path_only(href: &str) -> &str {
    let href = href.split('#').next().unwrap_or("");
    href.split('?').next().unwrap_or("")
}

/// Whether `path` is an instance of the route `pattern` (`{x}` stands for one segment).
fn matches(pattern: &str, path: &str) -> bool {
    let p: Vec<&str> = pattern.split('/').collect();
    let s: Vec<&str> = path.split('/').collect();
    p.len() == s.len()
        && p.iter().zip(&s).all(|(p, s)| {
            if p.starts_with('{') {
                !s.is_empty()
            } else {
                p == s
            }
        })
}

/// Every link (same origin, under `/panel` or `/konto`) the viewer reaches from `/panel`, and the
/// pages among them that did not answer 200.
async fn crawl(app: &TestApp, v: &Viewer) -> (BTreeSet<String>, Vec<String>) {
    const LIMIT: usize = 400;
    let mut reached = BTreeSet::from(["/panel".to_owned()]);
    let mut seen = HashSet::from(["/panel".to_owned()]);
    let mut queue = VecDeque::from(["/panel".to_owned()]);
    let mut broken = Vec::new();
    let mut fetched = 0;
    while let Some(url) = queue.pop_front() {
        fetched += 1;
        assert!(fetched <= LIMIT, "{}: more than {LIMIT} pages", v.name);
        let (status, ct, html) = get_as(app, v, &url).await;
        if status != 200 {
            broken.push(format!("{url}: {status}"));
            continue;
        }
        if !ct.starts_with("text/html") {
            continue;
        }
        for part in html.split("href=\"").skip(1) {
            let href = part.split('"').next().unwrap_or("").replace("&amp;", "&");
            let href = href.split('#').next().unwrap_or("").to_owned();
            if !(href.starts_with("/panel") || href.starts_with("/konto")) {
                continue;
            }
            let path = path_only(&href).to_owned();
            reached.insert(path.clone());
            // Downloads are reached by their link; the crawl does not fetch them.
            let download = [".csv", ".pdf", ".ics", ".json", "/eksport"]
                .iter()
                .any(|e| path.ends_with(e));
            if !download && seen.insert(href.clone()) {
                queue.push_back(href);
            }
        }
    }
    (reached, broken)
}

/// The demo's closed call gets a commission past its scoring (in the opinion stage), one offer
/// complete, and the user as a member who made the statement.
async fn commission_with_member(app: &TestApp, user_id: i64) {
    use wspolnie_areas::grants::commission;
    use wspolnie_areas::grants::entity::{grant_call, grant_offer};
    let db = &app.tp.platform.db.conn;
    let call = grant_call::Entity::find()
        .filter(grant_call::Column::Slug.eq("zajecia-sportowe-dla-dzieci"))
        .one(db)
        .await
        .expect("q")
        .expect("the closed demo call");
    let offer = grant_offer::Entity::find()
        .filter(grant_offer::Column::CallId.eq(call.id))
        .order_by_asc(grant_offer::Column::Id)
        .one(db)
        .await
        .expect("q")
        .expect("an offer");
    grant_offer::Entity::update_many()
        .col_expr(
            grant_offer::Column::Status,
            sea_orm::sea_query::Expr::value(grant_offer::Status::Complete),
        )
        .filter(grant_offer::Column::Id.eq(offer.id))
        .exec(db)
        .await
        .expect("complete");
    let actor = wspolnie_platform::audit::Actor {
        user_id: Some(user_id),
        label: "test".into(),
        ip: String::new(),
    };
    let txn = wspolnie_platform::db::begin_write(db).await.expect("txn");
    let com = commission::ensure(&txn, &call).await.expect("commission");
    let m = commission::appoint(
        &txn,
        &com,
        &commission::Appointee {
            kind: wspolnie_areas::grants::entity::grant_commission_member::Kind::Ngo,
            name: "Członkini komisji",
            email: "czlonkini@example.pl",
            user_id: Some(user_id),
            is_chair: false,
            nomination_id: None,
        },
        &actor,
    )
    .await
    .expect("q")
    .expect("appointed");
    assert!(
        commission::move_to(
            &txn,
            com.id,
            wspolnie_areas::grants::entity::grant_commission::Status::Scoring,
            &actor
        )
        .await
        .expect("move")
    );
    commission::make_statement(&txn, &m, Utc::now(), &actor)
        .await
        .expect("statement");
    // Scoring closed: the opinion form and the protocol are linked for the office.
    assert!(
        commission::move_to(
            &txn,
            com.id,
            wspolnie_areas::grants::entity::grant_commission::Status::Opinion,
            &actor
        )
        .await
        .expect("move")
    );
    txn.commit().await.expect("commit");
}

/// An offer of the demo's decided call granted less than it asked, its update submitted: the
/// officer's overview links the review page.
async fn update_waiting(app: &TestApp) {
    use wspolnie_areas::grants::entity::{grant_call, grant_offer, grant_offer_update};
    let db = &app.tp.platform.db.conn;
    let call = grant_call::Entity::find()
        .filter(grant_call::Column::Slug.eq("kultura-i-dziedzictwo-2026"))
        .one(db)
        .await
        .expect("q")
        .expect("the decided demo call");
    let offer = grant_offer::Entity::find()
        .filter(grant_offer::Column::CallId.eq(call.id))
        .filter(grant_offer::Column::Status.eq(grant_offer::Status::Granted))
        .order_by_asc(grant_offer::Column::Id)
        .one(db)
        .await
        .expect("q")
        .expect("a granted offer");
    grant_offer_update::ActiveModel {
        offer_id: Set(offer.id),
        granted: Set(offer.requested_grant / 2),
        base_version: Set(offer.current_version),
        rounds: Set(0),
        note: Set(String::new()),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await
    .expect("update task");
    grant_offer::Entity::update_many()
        .col_expr(
            grant_offer::Column::Status,
            sea_orm::sea_query::Expr::value(grant_offer::Status::UpdateSubmitted),
        )
        .filter(grant_offer::Column::Id.eq(offer.id))
        .exec(db)
        .await
        .expect("update submitted");
    // The other granted offer has the demo's contract, to which an annex is added; the offer
    // granted nothing is treated as granted, so the list links a contract to prepare.
    let others = grant_offer::Entity::find()
        .filter(grant_offer::Column::CallId.eq(call.id))
        .filter(grant_offer::Column::Id.ne(offer.id))
        .order_by_asc(grant_offer::Column::Id)
        .all(db)
        .await
        .expect("q");
    let granted = &others[0];
    // The demo signed its contract (its final report overdue): its page, the list of reports.
    let contract = wspolnie_areas::grants::contract_store::of_offer(db, granted.id)
        .await
        .expect("q")
        .expect("the demo's contract");
    let system = wspolnie_platform::audit::Actor::system("test");
    use wspolnie_areas::grants::contract_store::Signed;
    // An annex moving the task's end a day on (its page and PDF).
    let signed = wspolnie_areas::grants::entity::grant_contract::Entity::find_by_id(contract.id)
        .one(db)
        .await
        .expect("q")
        .expect("contract");
    let cur = wspolnie_areas::grants::annex_store::current_of(db, &signed)
        .await
        .expect("current");
    let mut annex = wspolnie_areas::grants::annex::input_of(&cur);
    annex.task_to = (cur.terms.task_to + chrono::Duration::days(1))
        .format("%Y-%m-%d")
        .to_string();
    annex.reason = "Przedłużenie zadania o jeden dzień.".into();
    let change = wspolnie_areas::grants::annex::check(&annex, &cur).expect("annex");
    wspolnie_areas::grants::annex_store::record(
        db,
        contract.id,
        signed.version,
        &change,
        Signed::Electronic,
        &system,
    )
    .await
    .expect("q")
    .expect("annex");
    grant_offer::Entity::update_many()
        .col_expr(
            grant_offer::Column::Status,
            sea_orm::sea_query::Expr::value(grant_offer::Status::Granted),
        )
        .filter(grant_offer::Column::Id.eq(others[1].id))
        .exec(db)
        .await
        .expect("granted");
}

#[tokio::test]
async fn no_panel_page_is_reachable_only_by_typing_its_address() {
    each_backend("panel crawl", |b| async move {
        let app = TestApp::new(b).await;
        let db = &app.tp.platform.db.conn;
        let org = organization::Entity::find()
            .filter(organization::Column::Status.eq(organization::Status::Published))
            .order_by_asc(organization::Column::Id)
            .one(db)
            .await
            .expect("q")
            .expect("a demo organisation");
        let member_id = make_user(&app, "czlonkini@example.pl", "hasło członkini 2026", None).await;
        member_of(&app, org.id, member_id).await;
        let (moderator_id, official_id, admin_id, expert_id) = staff_of_every_kind(&app).await;

        // Data behind every page with a parameter: the member's draft event, a submitted one
        // (in the queue), a draft article; a media request, a sent mailing, a failed import.
        sign_in(&app, "czlonkini@example.pl", "hasło członkini 2026").await;
        event_of(&app, org.id, "Szkic wydarzenia", "draft").await;
        event_of(&app, org.id, "Wydarzenie do moderacji", "submit").await;
        // An offer in the demo open call (its overview, sections and attachments).
        let r = crate::accounts::post_form(
            &app,
            "/panel/oferty/nowa?konkurs=wypoczynek-letni-dzieci-i-mlodziezy",
            "/panel",
            &[("organization", &org.id.to_string())],
        )
        .await;
        assert_eq!(r.status(), 303, "offer created");
        // Its attachment (the members-only download link on the attachments page).
        let offer_id: i64 = crate::accounts::location(&r)
            .rsplit('/')
            .next()
            .and_then(|i| i.parse().ok())
            .expect("offer id");
        let r = post_multipart_file(
            &app,
            &format!("/panel/oferty/{offer_id}/zalaczniki"),
            &[("attachment", "-".to_owned())],
            Some(("file", b"%PDF-1.4\n%%EOF\n".as_slice(), "kosztorys.pdf")),
        )
        .await;
        assert_eq!(r.status(), 303, "attachment uploaded");
        // A commission in the demo's closed call with the member in it, scoring one offer.
        commission_with_member(&app, member_id).await;
        update_waiting(&app).await;
        let article = vec![
            ("kind", "news".to_owned()),
            ("title", "Nowy zarząd stowarzyszenia".to_owned()),
            ("lead", "Wybraliśmy nowy zarząd.".to_owned()),
            ("body", "Dziękujemy za głosy.".to_owned()),
            ("cover_alt", String::new()),
            ("action", "draft".to_owned()),
        ];
        let r = post_multipart_file(
            &app,
            &format!("/panel/organizacje/{}/aktualnosci/nowa", org.id),
            &article,
            None,
        )
        .await;
        assert_eq!(r.status(), 303, "article saved");
        sign_out(&app).await;
        media_request_with(&app, media_request::Status::New).await;
        mailing_with(&app, &[mailing_recipient::Status::Sent]).await;
        let now = Utc::now();
        directory_import::Entity::insert(directory_import::ActiveModel {
            status: Set(directory_import::Status::Failed),
            file_name: Set("organizacje.csv".into()),
            file_text: Set("nazwa\n".into()),
            total_rows: Set(1),
            checked_rows: Set(1),
            written_rows: Set(0),
            error_count: Set(1),
            errors: Set(r#"[[2,"nip","import-error-nip"]]"#.into()),
            message: Set(String::new()),
            created_by: Set(Some(admin_id)),
            created_at: Set(now),
            updated_at: Set(now),
            finished_at: Set(Some(now)),
            ..Default::default()
        })
        .exec(db)
        .await
        .expect("import");

        let table = wspolnie_areas::table();
        let routes: Vec<_> = table
            .iter()
            .filter(|r| r.method == "GET" && r.path.starts_with("/panel"))
            .collect();
        let mut failures = Vec::new();
        for (name, id) in [
            ("member", member_id),
            ("moderator", moderator_id),
            ("official (all scopes)", official_id),
            ("admin", admin_id),
            ("expert", expert_id),
        ] {
            let v = viewer(&app, name, id).await;
            let (reached, broken) = crawl(&app, &v).await;
            for b in broken {
                failures.push(format!("{name}: link to {b}"));
            }
            for r in &routes {
                if !wspolnie_web::policy::allows(Some(&v.account), r.permission) {
                    continue;
                }
                let param = r.path.contains('{');
                // An organisation's own pages exist only for its members; claiming is offered on
                // the public profile of an organisation one is not a member of (checked below).
                // An offer's pages are linked from its organisation's own offer pages and, for
                // officials of the grants scope, from the call's list of offers.
                // A commission's card pages exist only for its members.
                let in_commission = id == member_id;
                // A contract's PDF is linked to its organisation's members from their offer
                // page; the contract seeded here is not of the member's organisation.
                let grants_official = wspolnie_web::policy::allows(
                    Some(&v.account),
                    wspolnie_web::policy::Permission::Official("grants"),
                );
                if param
                    && (r.path.ends_with("/przejecie")
                        || (r.path.starts_with("/panel/umowy/{id}") && !grants_official)
                        || (r.path.starts_with("/panel/sprawozdania/{id}") && !grants_official)
                        // A scan exists only for a contract signed on paper; the demo's was
                        // signed electronically (the scan's own test uploads one).
                        || r.path.ends_with("/podpisana.pdf")
                        || (r.path.starts_with("/panel/komisje/{id}") && !in_commission)
                        || (r.path.starts_with("/panel/organizacje/{id}")
                            && v.account.memberships.is_empty())
                        || (r.path.starts_with("/panel/oferty/{id}")
                            && v.account.memberships.is_empty()
                            && !(r.path.starts_with("/panel/oferty/{id}/wersje")
                                && wspolnie_web::policy::allows(
                                    Some(&v.account),
                                    wspolnie_web::policy::Permission::Official("grants"),
                                ))))
                {
                    continue;
                }
                // The most specific route a reached path is an instance of (`…/nowe` is not `{event}`).
                let hit = reached.iter().any(|p| {
                    let best = routes
                        .iter()
                        .filter(|x| matches(x.path, p))
                        .min_by_key(|x| x.path.matches('{').count());
                    best.is_some_and(|x| x.path == r.path)
                });
                if !hit {
                    failures.push(format!(
                        "{name}: {} ({:?}) not reached from /panel",
                        r.path, r.permission
                    ));
                }
            }
            // And nothing it reached under /panel is forbidden for it.
            assert!(
                reached
                    .iter()
                    .all(|p| p.starts_with("/panel") || p.starts_with("/konto"))
            );
        }
        // The claim page is offered on the public profile to a signed-in non-member.
        let expert = viewer(&app, "expert", expert_id).await;
        let (_, _, html) = get_as(&app, &expert, &format!("/organizacje/{}", org.slug)).await;
        assert!(
            html.contains(&format!("href=\"/panel/organizacje/{}/przejecie\"", org.id)),
            "claim linked from the profile"
        );
        assert!(failures.is_empty(), "{failures:#?}");
    })
    .await;
}

/// The staff both panel tests sign in as: a moderator, an official with every scope, an
/// administrator and a commission expert (their user ids, in that order).
async fn staff_of_every_kind(app: &TestApp) -> (i64, i64, i64, i64) {
    let moderator_id = make_user(
        app,
        "moderator@example.pl",
        "hasło moderatora 2026",
        Some(&[("official", "moderation")]),
    )
    .await;
    let scopes: Vec<(&str, &str)> = wspolnie_web::policy::SCOPES
        .iter()
        .map(|s| ("official", *s))
        .collect();
    let official_id = make_user(
        app,
        "urzednik@example.pl",
        "hasło urzędnika 2026",
        Some(&scopes),
    )
    .await;
    let admin_id = make_user(
        app,
        "admin@example.pl",
        "hasło administratora",
        Some(&[("admin", "")]),
    )
    .await;
    let expert_id = make_user(
        app,
        "ekspert@example.pl",
        "hasło eksperta 2026",
        Some(&[("expert", "")]),
    )
    .await;
    (moderator_id, official_id, admin_id, expert_id)
}
