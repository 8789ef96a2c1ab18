//! The areas' manifests against the real schema: every table is owned by one area, every column
//! that looks personal is declared (as handled by the area's `PersonalData`, or as not a person's
//! own data with a reason), and deleting an account leaves the address in no declared column.

use crate::accounts::make_user;
use crate::common::*;
use chrono::Utc;
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement};
use std::collections::{BTreeMap, BTreeSet};
use wspolnie_platform::personal::looks_personal;

/// Tables and their columns as the database has them after all migrations.
async fn schema(db: &DatabaseConnection) -> BTreeMap<String, BTreeSet<String>> {
    let backend = db.get_database_backend();
    let sql = match backend {
        DbBackend::Postgres => {
            "SELECT table_name AS t, column_name AS c FROM information_schema.columns WHERE table_schema = current_schema()"
        }
        _ => {
            "SELECT m.name AS t, p.name AS c FROM sqlite_master m JOIN pragma_table_info(m.name) p WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'"
        }
    };
    let rows = db
        .query_all_raw(Statement::from_string(backend, sql))
        .await
        .expect("schema");
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for r in rows {
        let t: String = r.try_get("", "t").expect("t");
        let c: String = r.try_get("", "c").expect("c");
        if t != "seaql_migrations" {
            out.entry(t).or_default().insert(c);
        }
    }
    out
}

#[tokio::test]
async fn every_table_and_personal_column_is_declared_by_an_area() {
    each_backend("personal data declarations", |b| async move {
        let tp = TestPlatform::new(b).await;
        let schema = schema(&tp.platform.db.conn).await;
        assert!(schema.len() > 30, "schema read: {schema:?}");
        let mut owner: BTreeMap<&str, &str> = BTreeMap::new();
        let mut problems = Vec::new();
        for area in wspolnie_areas::all() {
            let mut has_personal = false;
            for t in area.tables {
                if let Some(other) = owner.insert(t.name, area.name) {
                    problems.push(format!(
                        "{} is declared by {other} and {}",
                        t.name, area.name
                    ));
                }
                let Some(cols) = schema.get(t.name) else {
                    problems.push(format!(
                        "{} declares {}, which does not exist",
                        area.name, t.name
                    ));
                    continue;
                };
                let declared: Vec<&str> = t
                    .personal
                    .iter()
                    .copied()
                    .chain(t.not_personal.iter().map(|(c, _)| *c))
                    .collect();
                for c in &declared {
                    if !cols.contains(*c) {
                        problems.push(format!("{}.{c} is declared but does not exist", t.name));
                    }
                }
                for (c, reason) in t.not_personal {
                    if reason.trim().len() < 10 {
                        problems.push(format!("{}.{c} needs a reason", t.name));
                    }
                }
                for c in cols {
                    if looks_personal(c) && !declared.contains(&c.as_str()) {
                        problems.push(format!(
                            "{}.{c} looks personal and is not declared by {}",
                            t.name, area.name
                        ));
                    }
                }
                has_personal |= !t.personal.is_empty();
            }
            if has_personal && area.personal_data.is_none() {
                problems.push(format!(
                    "{} stores personal data and does not say how to export and erase it",
                    area.name
                ));
            }
        }
        for t in schema.keys() {
            if !owner.contains_key(t.as_str()) {
                problems.push(format!("table {t} is declared by no area"));
            }
        }
        assert!(problems.is_empty(), "{problems:#?}");
    })
    .await;
}

/// `?` placeholders as the backend wants them.
fn stmt(backend: DbBackend, sql: &str, values: Vec<sea_orm::Value>) -> Statement {
    let sql = if backend == DbBackend::Postgres {
        let mut n = 0;
        sql.chars()
            .map(|c| {
                if c == '?' {
                    n += 1;
                    format!("${n}")
                } else {
                    c.to_string()
                }
            })
            .collect()
    } else {
        sql.to_owned()
    };
    Statement::from_sql_and_values(backend, sql, values)
}

#[tokio::test]
async fn deleting_an_account_leaves_the_address_in_no_declared_column() {
    each_backend("account deletion against declarations", |b| async move {
        let app = TestApp::with_demo(b, true).await;
        let email = "zofia@example.pl";
        let id = make_user(&app, email, "hasło zofii do usunięcia", None).await;
        let db = &app.tp.platform.db.conn;
        let backend = db.get_database_backend();
        insert_subscriber(db, email, "grants", "pl").await;
        let activity = app
            .tp
            .scalar_i64("SELECT MIN(id) FROM partner_activities")
            .await;
        let now = Utc::now();
        db.execute_raw(stmt(
            backend,
            "INSERT INTO partner_interests (activity_id, organization_name, contact_name, email, phone, offer, user_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            vec![activity.into(), "Fundacja Zofii".into(), "Zofia Nowak".into(), email.into(), "600100200".into(), "Pomożemy".into(), Some(id).into(), now.into()],
        ))
        .await
        .expect("interest");
        db.execute_raw(stmt(
            backend,
            "INSERT INTO media_requests (kind, organization, contact_name, email, phone, title, description, links, status, note, user_id, lang, created_at, updated_at) VALUES ('patronage', 'Fundacja Zofii', 'Zofia Nowak', ?, '600100200', 'Festyn', 'Opis', '', 'new', '', ?, 'pl', ?, ?)",
            vec![email.into(), Some(id).into(), now.into(), now.into()],
        ))
        .await
        .expect("media request");

        let holders = wspolnie_areas::personal_data();
        let export = wspolnie_areas::accounts::model::export(db, &holders, id)
            .await
            .expect("export");
        for key in [
            "account",
            "newsletter",
            "partner_declarations",
            "media_requests",
            "meeting_invitations",
            "mailings_received",
        ] {
            assert!(export.get(key).is_some(), "export has {key}: {export}");
        }
        assert_eq!(export["partner_declarations"][0]["contact_name"], "Zofia Nowak");
        assert_eq!(export["media_requests"][0]["title"], "Festyn");

        assert!(
            wspolnie_areas::accounts::model::delete_account(db, &holders, id, "hasło zofii do usunięcia")
                .await
                .expect("delete")
        );
        let mut left = Vec::new();
        for area in wspolnie_areas::all() {
            for t in area.tables {
                for c in t.personal {
                    let n = app
                        .tp
                        .scalar_i64(&format!(
                            "SELECT COUNT(*) FROM {} WHERE CAST({c} AS TEXT) = '{email}'",
                            t.name
                        ))
                        .await;
                    if n > 0 {
                        left.push(format!("{}.{c}: {n}", t.name));
                    }
                }
            }
        }
        assert!(left.is_empty(), "the address is still in {left:?}");
        assert_eq!(
            app.tp
                .scalar_i64("SELECT COUNT(*) FROM partner_interests WHERE contact_name = 'Zofia Nowak' OR phone = '600100200'")
                .await,
            0,
            "name and phone of the declaration are gone"
        );
        assert_eq!(
            app.tp
                .scalar_i64(&format!("SELECT COUNT(*) FROM partner_interests WHERE activity_id = {activity}"))
                .await,
            1,
            "the declaration itself stays for the office's count"
        );
    })
    .await;
}

/// A private draft article of the first demo organisation; its id.
async fn organisation_draft(db: &sea_orm::DatabaseConnection, title: &str) -> i64 {
    use sea_orm::EntityTrait;
    let org = wspolnie_areas::directory::entity::organization::Entity::find()
        .one(db)
        .await
        .expect("db")
        .expect("a demo organisation");
    let draft = wspolnie_areas::news::model::ArticleData {
        kind: "news".into(),
        title: title.into(),
        lead: "Wstęp".into(),
        body: "Treść szkicu".into(),
        ..Default::default()
    };
    wspolnie_areas::news::model::save_for_organization(
        db,
        &org,
        None,
        &draft,
        wspolnie_areas::calendar::model::SaveAs::Draft,
        0,
        "http://127.0.0.1",
    )
    .await
    .expect("draft saved")
}

/// The bug that made typed life cycles necessary: an official with the content scope could
/// publish an organisation's private draft by saving it from the city-news form.
#[tokio::test]
async fn an_official_cannot_publish_an_organisations_draft() {
    each_backend("article life cycle", |b| async move {
        let app = TestApp::with_demo(b, true).await;
        let db = &app.tp.platform.db.conn;
        use sea_orm::EntityTrait;
        let id = organisation_draft(db, "Szkic, którego nikt nie widzi").await;
        let a = wspolnie_areas::news::entity::article::Entity::find_by_id(id)
            .one(db)
            .await
            .expect("db")
            .expect("article");
        let data = wspolnie_areas::news::model::ArticleData::load(db, &a)
            .await
            .expect("data");
        let actor = wspolnie_platform::audit::Actor::system("test");
        let r = wspolnie_areas::news::model::publish_by_official(db, Some(a), &data, &actor).await;
        assert!(
            matches!(
                r,
                Err(wspolnie_areas::news::model::LifecycleError::Forbidden { .. })
            ),
            "{r:?}"
        );
        assert_eq!(
            app.tp
                .scalar_i64(&format!(
                    "SELECT COUNT(*) FROM articles WHERE id = {id} AND status = 'draft' AND published_at IS NULL"
                ))
                .await,
            1,
            "still a draft"
        );
    })
    .await;
}

/// The same over HTTP (issue 14, point 7): an official with the content scope who opens an
/// organisation's private draft at `/panel/aktualnosci/{id}` and saves it is refused, the draft is
/// not on the officials' list and stays a draft.
#[tokio::test]
async fn an_official_cannot_open_or_save_an_organisations_draft_over_http() {
    each_backend("article draft over http", |b| async move {
        let app = TestApp::with_demo(b, true).await;
        let db = &app.tp.platform.db.conn;
        let id = organisation_draft(db, "Prywatny szkic stowarzyszenia").await;
        let editor = make_user(
            &app,
            "redakcja-szkic@example.pl",
            "hasło redaktorki 2026",
            Some(&[("official", "content")]),
        )
        .await;
        crate::accounts::staff_sign_in(
            &app,
            "redakcja-szkic@example.pl",
            "hasło redaktorki 2026",
            editor,
        )
        .await;
        let (status, list) = app.get_text("/panel/aktualnosci").await;
        assert_eq!(status, 200);
        assert!(
            !list.contains("Prywatny szkic stowarzyszenia"),
            "a draft is not on the officials' list"
        );
        let path = format!("/panel/aktualnosci/{id}");
        assert_eq!(app.get(&path).await.status().as_u16(), 403);
        let token = app.csrf_token("/panel/aktualnosci/nowa").await;
        let form = reqwest::multipart::Form::new()
            .text("kind", "news")
            .text("title", "Opublikowane przez urzędnika")
            .text("lead", "Wstęp")
            .text("body", "Treść")
            .text("cover_alt", "");
        let r = app
            .client
            .post(app.url(&format!("{path}?_csrf={token}")))
            .multipart(form)
            .send()
            .await
            .expect("post");
        assert_eq!(r.status().as_u16(), 403);
        assert_eq!(
            app.tp
                .scalar_i64(&format!(
                    "SELECT COUNT(*) FROM articles WHERE id = {id} AND status = 'draft' \
                     AND published_at IS NULL AND title = 'Prywatny szkic stowarzyszenia'"
                ))
                .await,
            1,
            "still the organisation's draft"
        );
    })
    .await;
}

/// Every navigation and panel entry an area declares leads to a GET route that exists, with a
/// permission no wider than the entry's (so an entry never shows a link its viewer cannot open).
#[test]
fn navigation_and_panel_entries_lead_to_registered_routes() {
    let table = wspolnie_areas::table();
    let route = |href: &str| {
        table
            .iter()
            .find(|r| r.method == "GET" && r.path == href)
            .map(|r| r.permission)
    };
    for area in wspolnie_areas::all() {
        for l in area.nav {
            assert_eq!(
                route(l.href),
                Some(wspolnie_web::policy::Permission::Public),
                "{}: nav {}",
                area.name,
                l.href
            );
        }
        for l in area.panel {
            assert_eq!(
                route(l.href),
                Some(l.permission),
                "{}: panel {}",
                area.name,
                l.href
            );
        }
    }
}

/// Every dataset an area declares is a public GET route, answers in the declared media type
/// (with the demo data loaded) and is listed with its address on `/otwarte-dane`.
#[tokio::test]
async fn open_data_sets_answer_in_their_declared_format_and_are_listed() {
    each_backend("open data", |b| async move {
        let app = TestApp::with_demo(b, true).await;
        let table = wspolnie_areas::table();
        let sets: Vec<_> = wspolnie_areas::all()
            .into_iter()
            .flat_map(|a| a.open_data.iter())
            .collect();
        assert!(sets.len() >= 6, "datasets declared: {}", sets.len());
        let (status, page) = app.get_text("/otwarte-dane").await;
        assert_eq!(status, 200);
        for s in sets {
            assert_eq!(
                table
                    .iter()
                    .find(|r| r.method == "GET" && r.path == s.href)
                    .map(|r| r.permission),
                Some(wspolnie_web::policy::Permission::Public),
                "{} is not a public route",
                s.href
            );
            let res = app.get(s.href).await;
            assert_eq!(res.status().as_u16(), 200, "{}", s.href);
            let ct = res
                .headers()
                .get("content-type")
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_owned();
            assert!(
                ct.starts_with(s.media_type),
                "{} answers {ct}, declared {}",
                s.href,
                s.media_type
            );
            assert!(!res.bytes().await.expect("body").is_empty(), "{}", s.href);
            assert!(
                page.contains(&format!("href=\"{}\"", s.href)),
                "{} not listed on /otwarte-dane",
                s.href
            );
        }
    })
    .await;
}
