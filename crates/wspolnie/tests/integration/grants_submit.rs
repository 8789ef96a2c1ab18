//! Grants, submission without paper and the formal check (issue 17, items 5–7): a submission
//! freezes a version whose checksum is the SHA-256 of its stored canonical JSON (computed here by
//! `sha256sum`), shown on the receipt, in the e-mail and on every page of the PDF, and found by
//! the public verification; re-submission, withdrawal, the deadline checked at the commit, 20
//! concurrent submissions, and the formal check with one correction round.

use crate::accounts::make_user;
use crate::common::*;
use crate::directory::mail_text_to;
use chrono::{Duration, Utc};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use wspolnie_areas::directory::entity::organization;
use wspolnie_areas::grants::entity::grant_offer::{self, Status};
use wspolnie_areas::grants::entity::{grant_call, grant_offer_file, grant_offer_version};
use wspolnie_areas::grants::offer::{
    Action, CostLine, Indicator, OfferContent, STATEMENTS, Section,
};
use wspolnie_platform::entity::{organization_member, role_grant, user};

const OPEN_CALL: &str = "wypoczynek-letni-dzieci-i-mlodziezy";

fn plain() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .build()
        .expect("client")
}

/// A signed-in person (session cookie) with a CSRF pair.
pub(crate) struct Person {
    cookie: String,
    csrf_cookie: String,
    token: String,
}

/// The demo's first granted offer (the one that waits for its contract).
pub(crate) async fn first_granted(
    app: &TestApp,
) -> wspolnie_areas::grants::entity::grant_offer::Model {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
    use wspolnie_areas::grants::entity::grant_offer;
    grant_offer::Entity::find()
        .filter(grant_offer::Column::Status.eq(grant_offer::Status::Granted))
        .order_by_asc(grant_offer::Column::Id)
        .one(&app.tp.platform.db.conn)
        .await
        .expect("q")
        .expect("a granted demo offer")
}

/// Makes the person a member of the organisation with `role` (`owner` or `editor`).
pub(crate) async fn join(app: &TestApp, organization_id: i64, user_id: i64, role: &str) {
    wspolnie_platform::entity::organization_member::Entity::insert(
        wspolnie_platform::entity::organization_member::ActiveModel {
            organization_id: sea_orm::ActiveValue::Set(organization_id),
            user_id: sea_orm::ActiveValue::Set(user_id),
            role: sea_orm::ActiveValue::Set(role.to_owned()),
            created_at: sea_orm::ActiveValue::Set(chrono::Utc::now()),
        },
    )
    .exec(&app.tp.platform.db.conn)
    .await
    .expect("membership");
}

pub(crate) async fn person(app: &TestApp, user_id: i64) -> Person {
    let db = &app.tp.platform.db.conn;
    let s = wspolnie_platform::auth::create_session(db, user_id, "127.0.0.1", "grants", true)
        .await
        .expect("session");
    let cookie = format!("wsp_session={s}");
    let page = plain()
        .get(app.url("/ustawienia"))
        .header("cookie", &cookie)
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
    Person {
        cookie,
        csrf_cookie,
        token,
    }
}

impl Person {
    pub(crate) async fn post(
        &self,
        app: &TestApp,
        path: &str,
        fields: &[(&str, &str)],
    ) -> (u16, String, String) {
        let mut form = fields.to_vec();
        form.push(("_csrf", &self.token));
        let r = plain()
            .post(app.url(path))
            .header(
                "cookie",
                format!("{}; wsp_csrf={}", self.cookie, self.csrf_cookie),
            )
            .form(&form)
            .send()
            .await
            .expect("post");
        let status = r.status().as_u16();
        let loc = r
            .headers()
            .get("location")
            .and_then(|l| l.to_str().ok())
            .unwrap_or("")
            .to_owned();
        (status, loc, r.text().await.unwrap_or_default())
    }

    /// A multipart form: the fields and, when given, one file (field name, file name, bytes).
    pub(crate) async fn post_multipart(
        &self,
        app: &TestApp,
        path: &str,
        fields: &[(&str, &str)],
        file: Option<(&str, &str, Vec<u8>)>,
    ) -> (u16, String, String) {
        let mut form = reqwest::multipart::Form::new().text("_csrf", self.token.clone());
        for (k, v) in fields {
            form = form.text((*k).to_owned(), (*v).to_owned());
        }
        if let Some((name, filename, bytes)) = file {
            form = form.part(
                name.to_owned(),
                reqwest::multipart::Part::bytes(bytes).file_name(filename.to_owned()),
            );
        }
        let r = plain()
            .post(app.url(path))
            .header(
                "cookie",
                format!("{}; wsp_csrf={}", self.cookie, self.csrf_cookie),
            )
            .multipart(form)
            .send()
            .await
            .expect("post");
        let status = r.status().as_u16();
        let loc = r
            .headers()
            .get("location")
            .and_then(|l| l.to_str().ok())
            .unwrap_or("")
            .to_owned();
        (status, loc, r.text().await.unwrap_or_default())
    }

    pub(crate) async fn get(&self, app: &TestApp, path: &str) -> (u16, String, bytes::Bytes) {
        let r = plain()
            .get(app.url(path))
            .header("cookie", &self.cookie)
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
        (status, ct, r.bytes().await.expect("body"))
    }
}

async fn open_call(app: &TestApp) -> grant_call::Model {
    grant_call::Entity::find()
        .filter(grant_call::Column::Slug.eq(OPEN_CALL))
        .one(&app.tp.platform.db.conn)
        .await
        .expect("q")
        .expect("the open demo call")
}

/// Demo organisations with an address, `n` of them.
async fn organisations(app: &TestApp, n: usize) -> Vec<organization::Model> {
    organization::Entity::find()
        .filter(organization::Column::Email.is_not_null())
        .order_by_asc(organization::Column::Id)
        .all(&app.tp.platform.db.conn)
        .await
        .expect("orgs")
        .into_iter()
        .take(n)
        .collect()
}

async fn member_of(app: &TestApp, org: i64, user_id: i64) {
    organization_member::Entity::insert(organization_member::ActiveModel {
        organization_id: Set(org),
        user_id: Set(user_id),
        role: Set("owner".into()),
        created_at: Set(Utc::now()),
    })
    .exec(&app.tp.platform.db.conn)
    .await
    .expect("member");
}

async fn account(app: &TestApp, user_id: i64) -> wspolnie_web::policy::Account {
    let db = &app.tp.platform.db.conn;
    let user = user::Entity::find_by_id(user_id)
        .one(db)
        .await
        .expect("q")
        .expect("user");
    let memberships = organization_member::Entity::find()
        .filter(organization_member::Column::UserId.eq(user_id))
        .all(db)
        .await
        .expect("m")
        .into_iter()
        .map(|m| (m.organization_id, m.role))
        .collect();
    let roles = role_grant::Entity::find()
        .filter(role_grant::Column::UserId.eq(user_id))
        .all(db)
        .await
        .expect("r")
        .into_iter()
        .map(|g| (g.role, g.scope))
        .collect();
    wspolnie_web::policy::Account {
        user,
        session_id: String::new(),
        roles,
        memberships,
    }
}

/// An offer that breaks none of the open call's rules: 20 000 zł of costs, 18 000 zł grant.
fn good_content(call: &grant_call::Model, title: &str) -> OfferContent {
    let mut c = OfferContent::default();
    c.offerors.contact_person = "Anna Nowak".into();
    c.offerors.contact_email = "anna.nowak@example.pl".into();
    c.task.title = title.into();
    c.task.start_date = call.execution_from.format("%Y-%m-%d").to_string();
    c.task.end_date = call.execution_from.format("%Y-%m-%d").to_string();
    c.task.summary = "Półkolonie w mieście dla 40 dzieci.".into();
    c.actions.actions = vec![Action {
        name: "Półkolonie".into(),
        description: "Pięć dni zajęć.".into(),
        year: 1,
        ..Default::default()
    }];
    c.results.indicators = vec![Indicator {
        result: "Uczestnicy".into(),
        planned_value: "40".into(),
        monitoring: "Lista obecności".into(),
    }];
    c.costs.lines = vec![
        CostLine {
            action: Some(0),
            kind: "Wychowawcy".into(),
            unit: "godz.".into(),
            unit_cost: 10_000,
            units_centi: 19_000,
            year: 1,
        },
        CostLine {
            action: None,
            kind: "Księgowość".into(),
            unit: "mies.".into(),
            unit_cost: 50_000,
            units_centi: 200,
            year: 1,
        },
    ];
    c.funding.grant = 1_800_000;
    c.funding.own_financial = 200_000;
    c.statements.confirmed = STATEMENTS.iter().map(|s| (*s).to_owned()).collect();
    c
}

/// A draft offer of `org` in `call` filled in with `content`, with the call's attachment.
async fn offer_of(
    app: &TestApp,
    call: &grant_call::Model,
    org: &organization::Model,
    user_id: i64,
    content: &OfferContent,
) -> i64 {
    let db = &app.tp.platform.db.conn;
    let acc = account(app, user_id).await;
    let actor = wspolnie_platform::audit::Actor {
        user_id: Some(user_id),
        label: acc.user.email.clone(),
        ip: String::new(),
    };
    let txn = wspolnie_platform::db::begin_write(db).await.expect("txn");
    let id = wspolnie_areas::grants::store::create(&txn, call, org, &acc, &actor)
        .await
        .expect("create");
    let (stored, _) = wspolnie_areas::grants::store::load(&txn, id)
        .await
        .expect("load");
    let mut c = content.clone();
    c.offerors.lead = stored.offerors.lead;
    for s in Section::ALL {
        wspolnie_areas::grants::store::save_section(&txn, id, *s, &c.section_json(*s), 0, &actor)
            .await
            .expect("save");
    }
    for a in wspolnie_areas::grants::model::lines(&call.required_attachments) {
        grant_offer_file::Entity::insert(grant_offer_file::ActiveModel {
            offer_id: Set(id),
            attachment: Set(a),
            file_key: Set(format!("offers-files/{id}.pdf")),
            file_name: Set("statut.pdf".into()),
            size: Set(1000),
            sha256: Set("ab".repeat(32)),
            uploaded_by: Set(Some(user_id)),
            uploaded_at: Set(Utc::now()),
            ..Default::default()
        })
        .exec(&txn)
        .await
        .expect("file");
    }
    txn.commit().await.expect("commit");
    id
}

fn sha256sum(data: &str) -> String {
    use std::io::Write;
    let mut child = std::process::Command::new("sha256sum")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("sha256sum");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(data.as_bytes())
        .expect("write");
    let out = child.wait_with_output().expect("sha256sum output");
    String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .next()
        .unwrap_or("")
        .to_owned()
}

fn grouped(hex: &str) -> String {
    hex.as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

async fn versions(app: &TestApp, offer: i64) -> Vec<grant_offer_version::Model> {
    grant_offer_version::Entity::find()
        .filter(grant_offer_version::Column::OfferId.eq(offer))
        .order_by_asc(grant_offer_version::Column::Version)
        .all(&app.tp.platform.db.conn)
        .await
        .expect("versions")
}

async fn offer_row(app: &TestApp, id: i64) -> grant_offer::Model {
    grant_offer::Entity::find_by_id(id)
        .one(&app.tp.platform.db.conn)
        .await
        .expect("q")
        .expect("offer")
}

/// Text of each page of a PDF (poppler), or None without poppler.
pub(crate) fn pages_text(pdf: &[u8]) -> Option<Vec<String>> {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("oferta.pdf");
    std::fs::write(&path, pdf).expect("write");
    let info = std::process::Command::new("pdfinfo")
        .arg(&path)
        .output()
        .ok()?;
    let info = String::from_utf8_lossy(&info.stdout).into_owned();
    let pages: usize = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())?;
    let mut out = Vec::new();
    for p in 1..=pages {
        let o = std::process::Command::new("pdftotext")
            .args(["-f", &p.to_string(), "-l", &p.to_string(), "-layout"])
            .arg(&path)
            .arg("-")
            .output()
            .ok()?;
        out.push(String::from_utf8_lossy(&o.stdout).into_owned());
    }
    Some(out)
}

fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[tokio::test]
async fn a_submission_is_frozen_with_its_checksum_on_the_receipt_the_mail_the_pdf_and_the_verification()
 {
    each_backend("grants submit", |b| async move {
        let app = TestApp::new(b).await;
        let db = &app.tp.platform.db.conn;
        app.tp.worker().run_until_idle().await.expect("drain demo jobs");
        let call = open_call(&app).await;
        let org = organisations(&app, 1).await.remove(0);
        let uid = make_user(&app, "oferentka@example.pl", "hasło oferentki 2026", None).await;
        member_of(&app, org.id, uid).await;
        let content = good_content(&call, "Półkolonie nad Wierzbinką");
        let id = offer_of(&app, &call, &org, uid, &content).await;
        let me = person(&app, uid).await;

        // Someone who is not a member cannot submit it.
        let other = make_user(&app, "obcy@example.pl", "hasło obcego 2026", None).await;
        let stranger = person(&app, other).await;
        let (s, _, _) = stranger.post(&app, &format!("/panel/oferty/{id}/zloz"), &[]).await;
        assert_eq!(s, 404, "another organisation's offer is not shown to exist");
        let (s, _, _) = stranger.get(&app, &format!("/panel/oferty/{id}/wersje/1")).await;
        assert_eq!(s, 404);

        // An offer breaking a rule is not submitted.
        let mut bad = content.clone();
        bad.funding.grant = 3_100_000;
        let bad_id = {
            let orgs = organisations(&app, 2).await;
            member_of(&app, orgs[1].id, uid).await;
            offer_of(&app, &call, &orgs[1], uid, &bad).await
        };
        let (s, loc, _) = me.post(&app, &format!("/panel/oferty/{bad_id}/zloz"), &[]).await;
        assert_eq!((s, loc.as_str()), (303, format!("/panel/oferty/{bad_id}").as_str()));
        assert!(versions(&app, bad_id).await.is_empty(), "nothing frozen");

        // Submitted: a receipt with the checksum of the stored canonical JSON.
        let (s, loc, _) = me.post(&app, &format!("/panel/oferty/{id}/zloz"), &[]).await;
        assert_eq!((s, loc.as_str()), (303, format!("/panel/oferty/{id}/wersje/1").as_str()));
        let v = versions(&app, id).await;
        assert_eq!(v.len(), 1);
        let v1 = v[0].clone();
        assert_eq!(sha256sum(&v1.content), v1.checksum, "checksum = SHA-256 of the canonical JSON");
        let json: serde_json::Value = serde_json::from_str(&v1.content).expect("json");
        assert_eq!(json["content"]["task"]["title"], "Półkolonie nad Wierzbinką");
        assert_eq!(json["version"], 1);
        assert_eq!(json["call"]["slug"], OPEN_CALL);
        assert_eq!(json["totals"]["total"], 2_000_000);
        assert_eq!(json["attachments"][0]["attachment"], "Aktualny statut organizacji");
        assert!(v1.content.find("\"template_version\"") == Some(1), "fixed order");
        assert_eq!(v1.short_code.len(), 9);
        assert_eq!(&v1.short_code[4..5], "-");
        let o = offer_row(&app, id).await;
        assert_eq!(o.status, Status::Submitted);
        assert_eq!(o.current_version, 1);
        assert_eq!(o.checksum.as_deref(), Some(v1.checksum.as_str()));
        assert_eq!((o.requested_grant, o.total_cost), (1_800_000, 2_000_000));

        let (s, _, body) = me.get(&app, &format!("/panel/oferty/{id}/wersje/1")).await;
        let html = String::from_utf8_lossy(&body).into_owned();
        assert_eq!(s, 200);
        assert!(html.contains(&grouped(&v1.checksum)), "grouped checksum on the receipt");
        assert!(html.contains(&v1.short_code));
        assert!(html.contains("V.A"), "the frozen content is shown");
        // Before the job ran: "being prepared".
        let (s, ct, _) = me.get(&app, &format!("/panel/oferty/{id}/wersje/1/oferta.pdf")).await;
        assert_eq!(s, 200);
        assert!(ct.starts_with("text/html"), "{ct}");

        // The worker sends the mails and renders the PDF.
        app.tp.worker().run_until_idle().await.expect("worker");
        app.tp.assert_no_pending_jobs().await;
        let mail = mail_text_to(&app, "oferentka@example.pl");
        assert!(squash(&mail).contains(&grouped(&v1.checksum)), "checksum in the mail: {mail}");
        assert!(mail.contains(&v1.short_code));
        let org_mail = mail_text_to(&app, org.email.as_deref().expect("org address"));
        assert!(squash(&org_mail).contains(&grouped(&v1.checksum)));
        let v1 = versions(&app, id).await.remove(0);
        assert!(v1.pdf_key.is_some(), "the PDF was stored");
        let (s, ct, pdf) = me.get(&app, &format!("/panel/oferty/{id}/wersje/1/oferta.pdf")).await;
        assert_eq!((s, ct.as_str()), (200, "application/pdf"));
        assert!(pdf.starts_with(b"%PDF-"));
        if let Ok(out) = std::env::var("WSPOLNIE_OFFER_PDF_OUT") {
            std::fs::write(out, &pdf).expect("write the PDF for a look");
        }
        match pages_text(&pdf) {
            Some(pages) => {
                assert!(!pages.is_empty());
                for (i, p) in pages.iter().enumerate() {
                    let p = squash(p);
                    assert!(p.contains(&grouped(&v1.checksum)), "page {} shows the checksum: {p}", i + 1);
                    assert!(p.contains(&v1.short_code), "page {} shows the short code", i + 1);
                }
                assert!(squash(&pages.join(" ")).contains("Półkolonie nad Wierzbinką"));
            }
            None => eprintln!("pdftotext/pdfinfo not installed: PDF text not checked"),
        }

        // Anyone can verify it by the full checksum (with spaces) and by the short code.
        let (s, html) = app
            .get_text(&format!("/konkursy/weryfikacja?kod={}", grouped(&v1.checksum).replace(' ', "+")))
            .await;
        assert_eq!(s, 200);
        assert!(html.contains("Półkolonie nad Wierzbinką") && html.contains("najnowsza"), "{html}");
        let (_, html) = app
            .get_text(&format!("/konkursy/weryfikacja?kod={}", v1.short_code.to_lowercase()))
            .await;
        assert!(html.contains("Półkolonie nad Wierzbinką"));
        let (_, html) = app.get_text("/konkursy/weryfikacja?kod=0000-0000").await;
        assert!(html.contains("Nie znaleźliśmy oferty"));
        let (s, html) = app.get_text("/konkursy/weryfikacja?kod=nie-wiem").await;
        assert_eq!(s, 422);
        assert!(html.contains("Błąd:"));

        // Pressed again with nothing changed: the same receipt, no new version.
        let (s, loc, _) = me.post(&app, &format!("/panel/oferty/{id}/zloz"), &[]).await;
        assert_eq!((s, loc.as_str()), (303, format!("/panel/oferty/{id}/wersje/1").as_str()));
        assert_eq!(versions(&app, id).await.len(), 1);

        // Changed and submitted again before the deadline: version 2; version 1 is superseded.
        {
            use wspolnie_areas::grants::offer::Section;
            let gdb = &app.tp.platform.db.conn;
            let (c, states) = wspolnie_areas::grants::store::load(gdb, id).await.expect("load");
            let mut other = c.other.clone();
            other.text = "Dopisek po pierwszym złożeniu.".into();
            let saved = wspolnie_areas::grants::store::save_section(
                gdb,
                id,
                Section::Other,
                &serde_json::to_value(&other).expect("json"),
                states.get(&Section::Other).map_or(0, |s| s.version),
                &wspolnie_platform::audit::Actor::system("test"),
            )
            .await
            .expect("save");
            assert!(matches!(saved, wspolnie_areas::grants::store::Saved::Stored(_)));
        }
        let (s, loc, _) = me.post(&app, &format!("/panel/oferty/{id}/zloz"), &[]).await;
        assert_eq!((s, loc.as_str()), (303, format!("/panel/oferty/{id}/wersje/2").as_str()));
        let v = versions(&app, id).await;
        assert_eq!(v.len(), 2);
        assert_ne!(v[0].checksum, v[1].checksum, "the version number is part of the form");
        let (_, html) = app.get_text(&format!("/konkursy/weryfikacja?kod={}", v[0].checksum)).await;
        assert!(html.contains("zastąpiona"), "{html}");
        let (_, html) = app.get_text(&format!("/konkursy/weryfikacja?kod={}", v[1].checksum)).await;
        assert!(html.contains("najnowsza"));

        // Withdrawn before the deadline.
        let (s, _, _) = me.post(&app, &format!("/panel/oferty/{id}/wycofaj"), &[]).await;
        assert_eq!(s, 303);
        assert_eq!(offer_row(&app, id).await.status, Status::Withdrawn);
        let (_, html) = app.get_text(&format!("/konkursy/weryfikacja?kod={}", v[1].short_code)).await;
        assert!(html.contains("wycofana"), "{html}");
        app.tp.worker().run_until_idle().await.expect("worker");
        assert!(crate::directory::last_subject_to(&app, "oferentka@example.pl").contains("wycofana"));

        // After the deadline: refused with the deadline to the second, nothing written.
        let deadline = Utc::now() - Duration::seconds(30);
        grant_call::Entity::update_many()
            .col_expr(grant_call::Column::OfferDeadline, sea_orm::sea_query::Expr::value(deadline))
            .filter(grant_call::Column::Id.eq(call.id))
            .exec(db)
            .await
            .expect("deadline");
        let jobs_before = app.tp.scalar_i64("SELECT COUNT(*) FROM jobs").await;
        let audit_before = app.tp.scalar_i64("SELECT COUNT(*) FROM audit_log").await;
        let (s, _, html) = me.post(&app, &format!("/panel/oferty/{id}/zloz"), &[]).await;
        assert_eq!(s, 422);
        let shown = wspolnie_areas::grants::submit::when(wspolnie_platform::i18n::Lang::Pl, deadline);
        assert!(html.contains(&shown), "the deadline {shown} is stated: {html}");
        assert_eq!(versions(&app, id).await.len(), 2, "no version written");
        assert_eq!(offer_row(&app, id).await.status, Status::Withdrawn);
        assert_eq!(app.tp.scalar_i64("SELECT COUNT(*) FROM jobs").await, jobs_before);
        assert_eq!(app.tp.scalar_i64("SELECT COUNT(*) FROM audit_log").await, audit_before);

        // Every step audited.
        for (action, n) in [("grant_offer.submit", 2), ("grant_offer.withdraw", 1)] {
            assert_eq!(
                app.tp
                    .scalar_i64(&format!(
                        "SELECT COUNT(*) FROM audit_log WHERE action = '{action}' AND entity_id = '{id}'"
                    ))
                    .await,
                n,
                "{action}"
            );
        }
    })
    .await;
}

#[tokio::test]
async fn twenty_concurrent_submissions_are_all_acknowledged_and_stored() {
    each_backend("grants rush", |b| async move {
        let app = TestApp::new(b).await;
        let call = open_call(&app).await;
        let uid = make_user(&app, "prezes@example.pl", "hasło prezesa 2026", None).await;
        let orgs = organisations(&app, 20).await;
        assert_eq!(orgs.len(), 20);
        let mut ids = Vec::new();
        for (i, o) in orgs.iter().enumerate() {
            member_of(&app, o.id, uid).await;
            let c = good_content(&call, &format!("Półkolonie, grupa {}", i + 1));
            ids.push(offer_of(&app, &call, o, uid, &c).await);
        }
        let me = std::sync::Arc::new(person(&app, uid).await);
        let app = std::sync::Arc::new(app);
        let mut tasks = Vec::new();
        for id in ids.clone() {
            let (me, app) = (me.clone(), app.clone());
            tasks.push(tokio::spawn(async move {
                me.post(&app, &format!("/panel/oferty/{id}/zloz"), &[])
                    .await
            }));
        }
        for (t, id) in tasks.into_iter().zip(&ids) {
            let (s, loc, body) = t.await.expect("join");
            assert_eq!(
                (s, loc.as_str()),
                (303, format!("/panel/oferty/{id}/wersje/1").as_str()),
                "{body}"
            );
        }
        for id in &ids {
            let v = versions(&app, *id).await;
            assert_eq!(v.len(), 1);
            assert_eq!(sha256sum(&v[0].content), v[0].checksum);
            assert_eq!(
                offer_row(&app, *id).await.checksum.as_deref(),
                Some(v[0].checksum.as_str())
            );
        }
    })
    .await;
}

#[tokio::test]
async fn the_formal_check_opens_one_correction_round_for_the_listed_sections() {
    each_backend("grants formal", |b| async move {
        let app = TestApp::new(b).await;
        let db = &app.tp.platform.db.conn;
        let call = open_call(&app).await;
        let org = organisations(&app, 1).await.remove(0);
        let uid = make_user(&app, "skarbniczka@example.pl", "hasło skarbniczki 2026", None).await;
        member_of(&app, org.id, uid).await;
        let id = offer_of(&app, &call, &org, uid, &good_content(&call, "Obóz żeglarski")).await;
        let me = person(&app, uid).await;
        let (s, _, _) = me.post(&app, &format!("/panel/oferty/{id}/zloz"), &[]).await;
        assert_eq!(s, 303);
        // The deadline passes; the call closes.
        grant_call::Entity::update_many()
            .col_expr(
                grant_call::Column::OfferDeadline,
                sea_orm::sea_query::Expr::value(Utc::now() - Duration::hours(1)),
            )
            .col_expr(grant_call::Column::Status, sea_orm::sea_query::Expr::value(grant_call::Status::Closed))
            .filter(grant_call::Column::Id.eq(call.id))
            .exec(db)
            .await
            .expect("close");
        let call = open_call(&app).await;
        let off = make_user(&app, "urzednik@example.pl", "hasło urzędnika 2026", Some(&[("official", "grants")])).await;
        let official = person(&app, off).await;
        let (s, _, list) = official.get(&app, &format!("/panel/konkursy/{}/oferty", call.id)).await;
        assert_eq!(s, 200);
        assert!(String::from_utf8_lossy(&list).contains("Obóz żeglarski"));
        let (s, _, page) = official.get(&app, &format!("/panel/konkursy/{}/oferty/{id}", call.id)).await;
        assert_eq!(s, 200);
        assert!(String::from_utf8_lossy(&page).contains(&format!("/panel/oferty/{id}/wersje/1")), "the frozen version is linked");
        // The official sees the receipt.
        let (s, _, _) = official.get(&app, &format!("/panel/oferty/{id}/wersje/1")).await;
        assert_eq!(s, 200);
        let items = wspolnie_areas::grants::model::lines(&call.formal_checklist);
        assert!(items.len() >= 2);
        let path = format!("/panel/konkursy/{}/oferty/{id}", call.id);

        // Deficient without deficiencies or sections: the form comes back.
        let mut fields: Vec<(String, String)> = (1..=items.len())
            .map(|n| (format!("item-{n}"), if n == 2 { "no" } else { "yes" }.to_owned()))
            .collect();
        fields.push(("result".into(), "deficient".into()));
        let f: Vec<(&str, &str)> = fields.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
        let (s, _, html) = official.post(&app, &path, &f).await;
        assert_eq!(s, 200);
        assert!(html.contains("Błąd:") && html.contains("href=\"#deficiencies\"") && html.contains("href=\"#sections\""));

        let mut full = f.clone();
        full.push(("deficiencies", "Brak opisu wyceny wkładu osobowego."));
        full.push(("sections", "koszty"));
        full.push(("sections", "zrodla"));
        let (s, loc, _) = official.post(&app, &path, &full).await;
        assert_eq!((s, loc.as_str()), (303, format!("/panel/konkursy/{}/oferty", call.id).as_str()));
        let o = offer_row(&app, id).await;
        assert_eq!(o.status, Status::InCorrection);
        assert_eq!(o.correction_sections, "koszty,zrodla");
        let deadline = o.correction_deadline.expect("deadline");
        let days = (deadline - Utc::now()).num_days();
        assert!((i64::from(call.correction_days) - 1..=i64::from(call.correction_days) + 4).contains(&days), "{days}");
        // Only the listed sections may change, until the deadline.
        let now = Utc::now();
        assert_eq!(
            wspolnie_areas::grants::store::editable_sections(&o, &call, now),
            vec![Section::Costs, Section::Funding]
        );
        assert!(wspolnie_areas::grants::store::editable_sections(&o, &call, deadline + Duration::seconds(1)).is_empty());
        app.tp.worker().run_until_idle().await.expect("worker");
        let mail = mail_text_to(&app, org.email.as_deref().expect("address"));
        assert!(mail.contains("Brak opisu wyceny wkładu osobowego."), "{mail}");
        assert!(crate::directory::last_subject_to(&app, org.email.as_deref().expect("a")).contains("uzupełnienia"));

        // The overview offers the submission again although the call is closed.
        let (_, _, overview) = me.get(&app, &format!("/panel/oferty/{id}")).await;
        assert!(
            String::from_utf8_lossy(&overview).contains(&format!("action=\"/panel/oferty/{id}/zloz\"")),
            "no submit form in the correction round"
        );
        // The organisation submits its correction: version 2, corrected.
        let (s, loc, _) = me.post(&app, &format!("/panel/oferty/{id}/zloz"), &[]).await;
        assert_eq!((s, loc.as_str()), (303, format!("/panel/oferty/{id}/wersje/2").as_str()));
        assert_eq!(offer_row(&app, id).await.status, Status::Corrected);

        // A second correction round is refused; complete is recorded.
        let (s, _, html) = official.post(&app, &path, &full).await;
        assert_eq!(s, 200);
        assert!(html.contains("tylko raz"));
        let mut ok: Vec<(&str, &str)> = (1..=items.len()).map(|_| ("", "yes")).collect();
        let names: Vec<String> = (1..=items.len()).map(|n| format!("item-{n}")).collect();
        for (i, n) in names.iter().enumerate() {
            ok[i].0 = n.as_str();
        }
        ok.push(("result", "complete"));
        let (s, _, _) = official.post(&app, &path, &ok).await;
        assert_eq!(s, 303);
        assert_eq!(offer_row(&app, id).await.status, Status::Complete);
        assert_eq!(
            app.tp.scalar_i64(&format!("SELECT COUNT(*) FROM grant_formal_checks WHERE offer_id = {id}")).await,
            2
        );
        for action in ["grant_offer.submit", "grant_offer.formal_deficient", "grant_offer.correct", "grant_offer.formal_complete"] {
            assert_eq!(
                app.tp
                    .scalar_i64(&format!(
                        "SELECT COUNT(*) FROM audit_log WHERE action = '{action}' AND entity_id = '{id}'"
                    ))
                    .await,
                1,
                "{action}"
            );
        }
        app.tp.worker().run_until_idle().await.expect("worker");
        assert!(crate::directory::last_subject_to(&app, org.email.as_deref().expect("a")).contains("spełnia wymogi"));
    })
    .await;
}
