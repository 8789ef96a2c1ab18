//! File storage shared by several instances: a guide uploaded through the real form is kept on a
//! real S3-compatible server (moto, started by `scripts/test.sh`) and served by a second instance
//! on the same database and bucket; S3 failures reach the user as a clear page and save nothing;
//! wrong storage settings are refused with the key named; local storage is one instance's only.

use crate::accounts::location;
use crate::common::*;
use crate::directory::post_multipart_file;
use crate::directory::sign_out;
use crate::pages::content_official;
use sea_orm::ActiveValue::Set;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use std::process::Command;
use wspolnie_areas::pages::entity::{page, page_file};
use wspolnie_platform::entity::stored_file;

const PDF: &[u8] = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n";

async fn guides_page(app: &TestApp) -> i64 {
    page::Entity::find()
        .filter(page::Column::Slug.eq("poradniki"))
        .one(&app.tp.platform.db.conn)
        .await
        .expect("query")
        .expect("seeded page")
        .id
}

/// An official attaches `pdf` to the guides page through the form; the answer to the upload.
async fn upload_guide(app: &TestApp, title: &str, pdf: &[u8]) -> reqwest::Response {
    content_official(app).await;
    let id = guides_page(app).await;
    post_multipart_file(
        app,
        &format!("/panel/strony/{id}/zalaczniki"),
        &[("file_title", title.to_owned())],
        Some(("file", pdf, "wzór umowy.pdf")),
    )
    .await
}

/// The public guides page's link to the attached file (`guides/…`).
async fn guide_key(app: &TestApp, title: &str) -> String {
    let (_, html) = app.get_text("/strony/poradniki").await;
    assert!(html.contains(title), "the guide is listed");
    extract_between(&html, "<a href=\"/pliki/", "\"").expect("download link")
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    app.tp.scalar_i64(sql).await
}

async fn readyz(app: &TestApp) -> serde_json::Value {
    let r = app.get("/readyz").await;
    assert_eq!(r.status(), 200, "storage does not make an instance unready");
    r.json().await.expect("json")
}

#[tokio::test]
async fn s3_upload_through_a_form_is_served_by_every_instance() {
    let Some(s3) = S3Server::from_env("s3 upload") else {
        return;
    };
    each_backend("s3 upload", |b| {
        let s3 = s3.clone();
        async move {
            let app = TestApp::with_config(b, false, |c| s3.apply(c)).await;
            let v = readyz(&app).await;
            assert_eq!(
                (&v["storage"], &v["storage_backend"]),
                (&"ok".into(), &"s3".into())
            );

            let r = upload_guide(&app, "Wzór umowy z S3", PDF).await;
            assert_eq!(r.status(), 303, "{}", r.text().await.unwrap_or_default());
            sign_out(&app).await;
            let key = guide_key(&app, "Wzór umowy z S3").await;
            assert!(key.starts_with("guides/") && key.ends_with(".pdf"), "{key}");
            let r = app.get(&format!("/pliki/{key}")).await;
            assert_eq!(r.status(), 200);
            assert_eq!(r.bytes().await.expect("body").to_vec(), PDF);

            // The object is in the bucket, read without the application; nothing is on local disk.
            let direct = wspolnie_storage::Storage::open(&app.tp.platform.config.storage_config())
                .expect("open");
            assert_eq!(&direct.get(&key).await.expect("in the bucket")[..], PDF);
            assert!(
                !app.tp
                    .platform
                    .config
                    .data_dir
                    .join("files")
                    .join(&key)
                    .exists(),
                "not stored in the local directory"
            );

            // A second instance (own data directory) on the same database and bucket serves it.
            let second = app.another_instance().await;
            assert_eq!(guide_key(&second, "Wzór umowy z S3").await, key);
            let r = second.get(&format!("/pliki/{key}")).await;
            assert_eq!(r.status(), 200);
            assert_eq!(r.headers()["content-type"], "application/pdf");
            let cd = r.headers()["content-disposition"]
                .to_str()
                .expect("cd")
                .to_owned();
            assert!(
                cd.starts_with("attachment;") && cd.contains("wz%C3%B3r%20umowy.pdf"),
                "{cd}"
            );
            assert_eq!(r.bytes().await.expect("body").to_vec(), PDF);

            // A file uploaded on the second instance is served by the first.
            let other_pdf = [PDF, b"% druga instancja\n"].concat();
            content_official(&second).await;
            let id = guides_page(&second).await;
            let r = post_multipart_file(
                &second,
                &format!("/panel/strony/{id}/zalaczniki"),
                &[("file_title", "Z drugiej instancji".to_owned())],
                Some(("file", &other_pdf, "druga.pdf")),
            )
            .await;
            assert_eq!(r.status(), 303);
            let f = page_file::Entity::find()
                .filter(page_file::Column::Title.eq("Z drugiej instancji"))
                .one(&app.tp.platform.db.conn)
                .await
                .expect("q")
                .expect("attached");
            let r = app.get(&format!("/pliki/{}", f.file_key)).await;
            assert_eq!(r.status(), 200);
            assert_eq!(r.bytes().await.expect("body").to_vec(), other_pdf);

            // Removing on the second instance removes it for the first, object included.
            let first = page_file::Entity::find()
                .filter(page_file::Column::FileKey.eq(key.clone()))
                .one(&app.tp.platform.db.conn)
                .await
                .expect("q")
                .expect("first file");
            let form = format!("/panel/strony/{id}");
            let r = crate::accounts::post_form(
                &second,
                &format!("/panel/strony/{id}/zalaczniki/{}/usun", first.id),
                &form,
                &[],
            )
            .await;
            assert_eq!(r.status(), 303);
            assert_eq!(location(&r), form);
            assert_eq!(app.get(&format!("/pliki/{key}")).await.status(), 404);
            assert!(matches!(
                direct.get(&key).await,
                Err(wspolnie_storage::StorageError::NotFound)
            ));
        }
    })
    .await;
}

/// Storage settings like `s3`'s but on `bucket` at `endpoint`.
fn broken(s3: &S3Server, endpoint: &str, bucket: &str) -> S3Server {
    S3Server {
        endpoint: endpoint.to_owned(),
        bucket: bucket.to_owned(),
        ..s3.clone()
    }
}

/// An upload and a download on an instance whose storage fails: a 503 page that says files are
/// unavailable and nothing was saved, and no row, audit entry or listing for the upload.
async fn storage_failure_is_explained(app: &TestApp) {
    let v = readyz(app).await;
    assert_eq!(v["storage"], "error");
    assert_eq!(v["database"], "ok");

    let r = upload_guide(app, "Nieudany wzór", PDF).await;
    assert_eq!(r.status(), 503);
    let html = r.text().await.expect("html");
    assert!(html.contains("Pliki chwilowo niedostępne"), "{html}");
    assert!(html.contains("nic nie zostało zapisane"), "{html}");
    assert_eq!(count(app, "SELECT COUNT(*) FROM page_files").await, 0);
    assert_eq!(count(app, "SELECT COUNT(*) FROM stored_files").await, 0);
    assert_eq!(
        count(
            app,
            "SELECT COUNT(*) FROM audit_log WHERE action = 'page.file_add'"
        )
        .await,
        0
    );
    // The site without files still works.
    assert_eq!(app.get("/strony/poradniki").await.status(), 200);

    // A file known to the database but not readable now is a 503 too, not "no such file".
    stored_file::Entity::insert(stored_file::ActiveModel {
        key: Set("guides/istniejacy.pdf".into()),
        original_name: Set("istniejący.pdf".into()),
        content_type: Set("application/pdf".into()),
        size: Set(PDF.len() as i64),
        sha256: Set("x".into()),
        created_at: Set(chrono::Utc::now()),
        ..Default::default()
    })
    .exec_without_returning(&app.tp.platform.db.conn)
    .await
    .expect("insert");
    let r = app.get("/pliki/guides/istniejacy.pdf").await;
    assert_eq!(r.status(), 503);
    assert!(
        r.text()
            .await
            .expect("html")
            .contains("Pliki chwilowo niedostępne")
    );
}

#[tokio::test]
async fn s3_missing_bucket_gives_a_clear_page_and_saves_nothing() {
    let Some(s3) = S3Server::from_env("s3 missing bucket") else {
        return;
    };
    each_backend("s3 missing bucket", |b| {
        let s3 = broken(&s3, &s3.endpoint, "wspolnie-nie-ma-takiego");
        async move {
            let app = TestApp::with_config(b, false, |c| s3.apply(c)).await;
            storage_failure_is_explained(&app).await;
        }
    })
    .await;
}

#[tokio::test]
async fn s3_server_down_gives_a_clear_page_and_saves_nothing() {
    let Some(s3) = S3Server::from_env("s3 server down") else {
        return;
    };
    each_backend("s3 server down", |b| {
        // A port that was just free: nothing listens there.
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("free port")
            .port();
        let s3 = broken(&s3, &format!("http://127.0.0.1:{port}"), &s3.bucket);
        async move {
            let app = TestApp::with_config(b, false, |c| s3.apply(c)).await;
            storage_failure_is_explained(&app).await;
        }
    })
    .await;
}

#[tokio::test]
async fn serve_refuses_to_start_on_a_missing_bucket() {
    let Some(s3) = S3Server::from_env("serve missing bucket") else {
        return;
    };
    let db = TestDb::new(Backend::Sqlite).await;
    let out = Command::new(bin())
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("WSPOLNIE__DATA_DIR", db.dir.path())
        .env("DATABASE_URL", &db.url)
        .env("WSPOLNIE__SERVER__LISTEN", "127.0.0.1:0")
        .env("WSPOLNIE__STORAGE__BACKEND", "s3")
        .env("WSPOLNIE__STORAGE__S3_ENDPOINT", &s3.endpoint)
        .env("WSPOLNIE__STORAGE__S3_ALLOW_HTTP", "true")
        .env("WSPOLNIE__STORAGE__S3_BUCKET", "wspolnie-literowka")
        .env("WSPOLNIE__STORAGE__S3_REGION", &s3.region)
        .env("WSPOLNIE__STORAGE__S3_ACCESS_KEY_ID", &s3.access_key_id)
        .env(
            "WSPOLNIE__STORAGE__S3_SECRET_ACCESS_KEY",
            &s3.secret_access_key,
        )
        .current_dir(db.dir.path())
        .arg("serve")
        .output()
        .expect("run");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "refused: {stderr}");
    assert!(
        stderr.contains("the bucket \"wspolnie-literowka\" does not exist")
            && stderr.contains("storage.s3_bucket"),
        "{stderr}"
    );
}

#[test]
fn invalid_storage_settings_are_refused_with_the_key_named() {
    let dir = tempfile::tempdir().expect("tmp");
    let run = |envs: &[(&str, &str)]| {
        let mut c = Command::new(bin());
        c.env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("WSPOLNIE__DATA_DIR", dir.path())
            .current_dir(dir.path())
            .arg("migrate");
        for (k, v) in envs {
            c.env(k, v);
        }
        let out = c.output().expect("run");
        assert!(!out.status.success());
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    let e = run(&[("WSPOLNIE__STORAGE__BACKEND", "minio")]);
    assert!(e.contains("storage.backend is \"minio\""), "{e}");
    let e = run(&[
        ("WSPOLNIE__STORAGE__BACKEND", "s3"),
        ("WSPOLNIE__STORAGE__S3_ENDPOINT", "http://127.0.0.1:9000"),
    ]);
    assert!(e.contains("storage.s3_bucket is empty"), "{e}");
    assert!(e.contains("storage.s3_access_key_id"), "{e}");
    assert!(e.contains("s3_allow_http = true"), "{e}");
    assert!(
        !dir.path().join("wspolnie.db").exists(),
        "refused before touching the database"
    );
}

#[tokio::test]
async fn local_storage_is_not_shared_between_instances() {
    // Why several instances need S3: a file in one instance's directory is not in another's.
    each_backend("local storage", |b| async move {
        let app = TestApp::with_demo(b, false).await;
        let r = upload_guide(&app, "Wzór lokalny", PDF).await;
        assert_eq!(r.status(), 303);
        sign_out(&app).await;
        let key = guide_key(&app, "Wzór lokalny").await;
        assert_eq!(app.get(&format!("/pliki/{key}")).await.status(), 200);
        assert_eq!(readyz(&app).await["storage_backend"], "local");
        let second = app.another_instance().await;
        assert_eq!(
            guide_key(&second, "Wzór lokalny").await,
            key,
            "same database"
        );
        assert_eq!(second.get(&format!("/pliki/{key}")).await.status(), 404);
    })
    .await;
}
