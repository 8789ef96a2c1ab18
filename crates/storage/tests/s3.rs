//! The storage layer against a real S3-compatible server (moto in server mode, started on
//! 127.0.0.1 by `scripts/test.sh`, which exports `TEST_S3_*`). Without the server these tests say
//! so and pass without checking anything, unless `WSPOLNIE_REQUIRE_S3=1` (CI), where they fail.

use bytes::Bytes;
use wspolnie_storage::{Storage, StorageError, StorageSettings};

/// The test server's settings with `bucket`, or None (after saying so) when no server is set up.
fn settings(test: &str, bucket: Option<&str>) -> Option<StorageSettings> {
    let var = |k: &str| std::env::var(k).ok().filter(|v| !v.trim().is_empty());
    let Some(endpoint) = var("TEST_S3_ENDPOINT") else {
        if var("WSPOLNIE_REQUIRE_S3").as_deref() == Some("1") {
            panic!("WSPOLNIE_REQUIRE_S3=1 but TEST_S3_ENDPOINT is not set (run scripts/test.sh)");
        }
        eprintln!(
            "[{test}] S3 test SKIPPED: TEST_S3_ENDPOINT is not set (scripts/test.sh starts a server)"
        );
        return None;
    };
    let get = |k: &str| var(k).unwrap_or_else(|| panic!("TEST_S3_ENDPOINT is set but {k} is not"));
    Some(StorageSettings::S3 {
        bucket: bucket.map_or_else(|| get("TEST_S3_BUCKET"), str::to_owned),
        region: get("TEST_S3_REGION"),
        endpoint,
        access_key_id: get("TEST_S3_ACCESS_KEY_ID"),
        secret_access_key: get("TEST_S3_SECRET_ACCESS_KEY"),
        allow_http: true,
    })
}

#[tokio::test]
async fn s3_put_get_delete_round_trip() {
    let Some(cfg) = settings("s3 round trip", None) else {
        return;
    };
    let s = Storage::open(&cfg).expect("open");
    assert_eq!(s.kind(), "s3");
    s.check().await.expect("the test bucket is usable");

    let data = Bytes::from_static(b"%PDF-1.7 sprawozdanie");
    let key = s.put_new("guides", "pdf", data.clone()).await.expect("put");
    assert!(key.starts_with("guides/") && key.ends_with(".pdf"), "{key}");
    assert_eq!(s.get(&key).await.expect("get"), data);

    // A second store object on the same bucket (another instance) sees the same file.
    let other = Storage::open(&cfg).expect("open again");
    assert_eq!(other.get(&key).await.expect("get from the other"), data);

    // Overwriting a key replaces its content.
    s.put(&key, Bytes::from_static(b"nowa wersja"))
        .await
        .expect("overwrite");
    assert_eq!(&other.get(&key).await.expect("get")[..], b"nowa wersja");

    s.delete(&key).await.expect("delete");
    assert!(
        matches!(other.get(&key).await, Err(StorageError::NotFound)),
        "deleted for every instance"
    );
    s.delete(&key)
        .await
        .expect("deleting a missing object is not an error");
}

#[tokio::test]
async fn s3_keeps_binary_and_large_files_intact() {
    let Some(cfg) = settings("s3 large", None) else {
        return;
    };
    let s = Storage::open(&cfg).expect("open");
    // 6 MiB of every byte value: no text handling or truncation on the way.
    let data: Bytes = (0..6 * 1024 * 1024)
        .map(|i: u32| (i % 251) as u8)
        .collect::<Vec<u8>>()
        .into();
    let key = s
        .put_new("posters", "png", data.clone())
        .await
        .expect("put");
    let back = s.get(&key).await.expect("get");
    assert_eq!(back.len(), data.len());
    assert!(back == data, "same bytes back");
    s.delete(&key).await.expect("delete");
}

#[tokio::test]
async fn s3_missing_object_is_not_found() {
    let Some(cfg) = settings("s3 missing object", None) else {
        return;
    };
    let s = Storage::open(&cfg).expect("open");
    assert!(matches!(
        s.get("guides/nie-ma-takiego-pliku.pdf").await,
        Err(StorageError::NotFound)
    ));
}

#[tokio::test]
async fn s3_missing_bucket_is_a_named_error_not_a_missing_file() {
    let Some(cfg) = settings("s3 missing bucket", Some("wspolnie-no-such-bucket")) else {
        return;
    };
    let s = Storage::open(&cfg).expect("open (nothing is asked yet)");
    let e = s.check().await.expect_err("check finds the bucket missing");
    assert!(
        matches!(&e, StorageError::NoSuchBucket(b) if b == "wspolnie-no-such-bucket"),
        "{e:?}"
    );
    assert!(e.to_string().contains("wspolnie-no-such-bucket"), "{e}");
    let e = s.get("guides/x.pdf").await.expect_err("get");
    assert!(matches!(e, StorageError::NoSuchBucket(_)), "{e:?}");
    let e = s
        .put_new("guides", "pdf", Bytes::from_static(b"%PDF-"))
        .await
        .expect_err("put");
    assert!(matches!(e, StorageError::NoSuchBucket(_)), "{e:?}");
}

#[tokio::test]
async fn s3_server_down_is_an_error_after_a_few_attempts() {
    let Some(StorageSettings::S3 {
        bucket,
        region,
        access_key_id,
        secret_access_key,
        ..
    }) = settings("s3 server down", None)
    else {
        return;
    };
    // A port that was just free: nothing listens there.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port();
    let s = Storage::open(&StorageSettings::S3 {
        bucket,
        region,
        endpoint: format!("http://127.0.0.1:{port}"),
        access_key_id,
        secret_access_key,
        allow_http: true,
    })
    .expect("open (nothing is asked yet)");
    let e = s
        .put_new("guides", "pdf", Bytes::from_static(b"%PDF-"))
        .await
        .expect_err("nobody to store to");
    assert!(matches!(e, StorageError::Store(_)), "{e:?}");
    assert!(
        matches!(s.get("guides/x.pdf").await, Err(StorageError::Store(_))),
        "a server that is down is not a missing file"
    );
    assert!(s.check().await.is_err());
}

#[test]
fn s3_settings_are_checked_when_opening() {
    // No server needed: the builder refuses what cannot work before any request.
    let e = Storage::open(&StorageSettings::S3 {
        bucket: String::new(),
        region: "us-east-1".into(),
        endpoint: "http://127.0.0.1:9".into(),
        access_key_id: "a".into(),
        secret_access_key: "b".into(),
        allow_http: true,
    });
    assert!(
        matches!(e, Err(StorageError::Settings(m)) if m.contains("bucket")),
        "a missing bucket name is refused"
    );
}
