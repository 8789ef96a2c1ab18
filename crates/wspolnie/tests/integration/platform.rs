use crate::common::*;
use sea_orm::{EntityTrait, QueryOrder};
use wspolnie_areas::calendar::entity::event;
use wspolnie_areas::demo::DemoOptions;
use wspolnie_areas::directory::entity::organization;
use wspolnie_platform::db::Db;
use wspolnie_platform::db::SchemaState;

#[tokio::test]
async fn migrations_apply_once_and_schema_is_current() {
    each_backend("migrations", |b| async move {
        let tp = TestPlatform::new(b).await;
        assert_eq!(
            tp.platform.db.schema_state().await.expect("state"),
            SchemaState::Current
        );
        assert_eq!(
            tp.platform.db.migrate().await.expect("again"),
            0,
            "second migrate must apply nothing"
        );
        // The sphere list is seed data of the migration.
        assert_eq!(tp.scalar_i64("SELECT COUNT(*) FROM spheres").await, 41);
        assert_eq!(
            tp.scalar_i64("SELECT COUNT(*) FROM spheres WHERE code = '1aa'")
                .await,
            1
        );
    })
    .await;
}

#[tokio::test]
async fn refuses_a_database_newer_than_the_binary() {
    each_backend("newer schema", |b| async move {
        let tp = TestPlatform::new(b).await;
        tp.exec("INSERT INTO seaql_migrations (version, applied_at) VALUES ('m20991231_000001_from_the_future', 4102444800)").await;
        match tp.platform.db.schema_state().await.expect("state") {
            SchemaState::Ahead(v) => assert_eq!(v, vec!["m20991231_000001_from_the_future".to_owned()]),
            other => panic!("expected Ahead, got {other:?}"),
        }
        let err = tp.platform.db.ensure_current().await.expect_err("must refuse");
        assert!(err.to_string().contains("newer than this binary"), "{err}");
        assert!(tp.platform.db.migrate().await.is_err(), "migrate must refuse too");
    })
    .await;
}

#[tokio::test]
async fn concurrent_migrations_do_not_race() {
    // Several instances starting at once against one PostgreSQL database.
    let Some(_) = pg_url() else {
        eprintln!("[concurrent migrations] PostgreSQL run SKIPPED: TEST_DATABASE_URL is not set");
        return;
    };
    let db = TestDb::new(Backend::Postgres).await;
    let cfg = wspolnie_platform::config::DatabaseConfig {
        url: db.url.clone(),
        max_connections: 2,
    };
    let mut handles = Vec::new();
    for _ in 0..4 {
        let cfg = cfg.clone();
        handles.push(tokio::spawn(async move {
            let d = Db::connect(&cfg).await.expect("connect");
            d.migrate().await.expect("migrate")
        }));
    }
    let mut applied = Vec::new();
    for h in handles {
        applied.push(h.await.expect("join"));
    }
    applied.sort();
    let n = wspolnie_migration::known_migrations().len();
    assert_eq!(
        applied,
        vec![0, 0, 0, n],
        "exactly one instance applies the migrations"
    );
}

async fn snapshot(db: &sea_orm::DatabaseConnection) -> Vec<String> {
    let mut out = Vec::new();
    for o in organization::Entity::find()
        .order_by_asc(organization::Column::Slug)
        .all(db)
        .await
        .expect("orgs")
    {
        out.push(format!(
            "{}|{}|{}|{:?}|{}|{}",
            o.slug, o.name, o.district, o.krs, o.is_opp, o.created_at
        ));
    }
    for e in event::Entity::find()
        .order_by_asc(event::Column::Slug)
        .all(db)
        .await
        .expect("events")
    {
        out.push(format!(
            "{}|{}|{}|{:?}",
            e.slug, e.title, e.starts_at, e.place
        ));
    }
    out
}

#[tokio::test]
async fn demo_data_is_deterministic_and_polish() {
    each_backend("demo", |b| async move {
        let anchor = chrono::NaiveDate::from_ymd_opt(2026, 11, 21).expect("date");
        let opts = DemoOptions {
            seed: 42,
            anchor,
            organizations: 80,
        };
        let one = TestPlatform::new(b).await;
        let two = TestPlatform::new(b).await;
        assert!(
            wspolnie_areas::is_empty(&one.platform.db.conn)
                .await
                .expect("empty")
        );
        let s1 = wspolnie_areas::load_demo(&one.platform.db.conn, opts)
            .await
            .expect("demo 1");
        let s2 = wspolnie_areas::load_demo(&two.platform.db.conn, opts)
            .await
            .expect("demo 2");
        assert_eq!(s1, s2);
        assert_eq!(s1.organizations, 80);
        assert!(
            !wspolnie_areas::is_empty(&one.platform.db.conn)
                .await
                .expect("not empty")
        );
        let a = snapshot(&one.platform.db.conn).await;
        assert_eq!(
            a,
            snapshot(&two.platform.db.conn).await,
            "same seed must give the same data"
        );
        assert!(
            a.iter()
                .any(|l| l.contains('ż') || l.contains('ł') || l.contains('ś')),
            "Polish diacritics expected"
        );
        // A different seed gives different data.
        let three = TestPlatform::new(b).await;
        wspolnie_areas::load_demo(&three.platform.db.conn, DemoOptions { seed: 43, ..opts })
            .await
            .expect("demo 3");
        assert_ne!(a, snapshot(&three.platform.db.conn).await);
    })
    .await;
}

#[tokio::test]
async fn settings_upsert_and_secret_is_shared() {
    each_backend("settings", |b| async move {
        let tp = TestPlatform::new(b).await;
        let db = &tp.platform.db.conn;
        wspolnie_platform::settings::set(db, "site.city_name", "Żółkiewka")
            .await
            .expect("set");
        wspolnie_platform::settings::set(db, "site.city_name", "Łęczna")
            .await
            .expect("update");
        assert_eq!(
            wspolnie_platform::settings::load_site(db)
                .await
                .expect("load")
                .city_name,
            "Łęczna"
        );
        let first = wspolnie_platform::settings::get_or_insert(db, "server.secret", "aaa")
            .await
            .expect("first");
        let second = wspolnie_platform::settings::get_or_insert(db, "server.secret", "bbb")
            .await
            .expect("second");
        assert_eq!(
            (first.as_str(), second.as_str()),
            ("aaa", "aaa"),
            "the first instance's secret wins"
        );
    })
    .await;
}

#[tokio::test]
async fn file_storage_round_trip() {
    let dir = tempfile::tempdir().expect("tmp");
    let s = wspolnie_storage::Storage::open(&wspolnie_storage::StorageSettings::Local {
        dir: dir.path().to_path_buf(),
    })
    .expect("open");
    let key = s
        .put_new("2026/11", "png", bytes::Bytes::from_static(b"\x89PNG data"))
        .await
        .expect("put");
    assert!(
        key.starts_with("2026/11/") && key.ends_with(".png"),
        "{key}"
    );
    assert!(
        dir.path().join(&key).exists(),
        "stored on disk under the key"
    );
    assert_eq!(&s.get(&key).await.expect("get")[..], b"\x89PNG data");
    s.delete(&key).await.expect("delete");
    assert!(matches!(
        s.get(&key).await,
        Err(wspolnie_storage::StorageError::NotFound)
    ));
}
