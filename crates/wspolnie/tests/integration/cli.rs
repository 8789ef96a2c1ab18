//! The binary itself: configuration, backup, start-up checks and graceful shutdown.

use crate::common::*;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn cmd(db: &TestDb) -> Command {
    let mut c = Command::new(bin());
    c.env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("WSPOLNIE__DATA_DIR", db.dir.path())
        .env("DATABASE_URL", &db.url)
        .env("RUST_LOG", "info")
        .current_dir(db.dir.path());
    c
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("port")
}

fn wait_ready(port: u16, child: &mut Child) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline {
        if let Ok(mut s) = TcpStream::connect(("127.0.0.1", port)) {
            let _ = s.write_all(
                b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
            );
            let mut out = String::new();
            let _ = s.read_to_string(&mut out);
            if out.starts_with("HTTP/1.1 200") {
                return;
            }
        }
        if let Ok(Some(status)) = child.try_wait() {
            panic!("server exited early: {status}");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("server did not become ready");
}

#[test]
fn config_prints_effective_values_with_secrets_masked() {
    let dir = tempfile::tempdir().expect("tmp");
    std::fs::write(
        dir.path().join("custom.toml"),
        "[server]\nlisten = \"127.0.0.1:9999\"\n[mail]\nsmtp_password = \"hunter2\"\n",
    )
    .expect("write");
    let out = Command::new(bin())
        .current_dir(dir.path())
        .args(["--config", "custom.toml", "config"])
        .env("WSPOLNIE__MAIL__SMTP_HOST", "smtp.wierzbin.example")
        .env("WSPOLNIE__JOBS__CONCURRENCY", "7")
        .env(
            "DATABASE_URL",
            "postgres://wsp:tajne-haslo@db.internal/wspolnie",
        )
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let s = String::from_utf8_lossy(&out.stdout);
    assert!(s.contains("listen = \"127.0.0.1:9999\""), "file value: {s}");
    assert!(
        s.contains("smtp_host = \"smtp.wierzbin.example\""),
        "env overrides: {s}"
    );
    assert!(s.contains("concurrency = 7"), "typed env value: {s}");
    assert!(
        !s.contains("hunter2") && !s.contains("tajne-haslo"),
        "secrets masked: {s}"
    );
    assert!(
        s.contains("postgres://wsp:********@db.internal/wspolnie"),
        "{s}"
    );

    // Defaults with nothing set: SQLite under ./data, files and mail under ./data too.
    let out = Command::new(bin())
        .current_dir(dir.path())
        .arg("config")
        .env_remove("DATABASE_URL")
        .output()
        .expect("run");
    let s = String::from_utf8_lossy(&out.stdout);
    assert!(
        s.contains("url = \"sqlite://data/wspolnie.db?mode=rwc\"")
            || s.contains("url = \"sqlite://./data/wspolnie.db?mode=rwc\""),
        "{s}"
    );
    assert!(s.contains("listen = \"127.0.0.1:8080\""), "{s}");
    assert!(s.contains("transport = \"file\""), "{s}");
    // A named configuration file that does not exist is an error, not a silent default.
    let out = Command::new(bin())
        .current_dir(dir.path())
        .args(["--config", "missing.toml", "config"])
        .output()
        .expect("run");
    assert!(!out.status.success());
}

#[tokio::test]
async fn migrate_demo_backup_and_create_admin_from_the_command_line() {
    each_backend("cli", |b| async move {
        if b == Backend::Postgres && Command::new("pg_dump").arg("--version").output().is_err() {
            eprintln!("[cli] pg_dump not installed; PostgreSQL backup check skipped");
            return;
        }
        let db = TestDb::new(b).await;
        let out = cmd(&db).arg("migrate").output().expect("migrate");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(String::from_utf8_lossy(&out.stdout).contains(&format!(
            "migrations applied: {}",
            wspolnie_migration::known_migrations().len()
        )));
        let out = cmd(&db)
            .args(["demo", "--seed", "5"])
            .output()
            .expect("demo");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let out = cmd(&db)
            .args(["demo", "--seed", "5"])
            .output()
            .expect("demo again");
        assert!(
            !out.status.success(),
            "demo refuses a database with content"
        );

        let mut child = cmd(&db)
            .args(["create-admin", "--email", " Admin@Wierzbin.Example "])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn");
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(b"zazolc-gesla-jazn-2026\n")
            .expect("write");
        let out = child.wait_with_output().expect("wait");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let tp_db =
            wspolnie_platform::db::Db::connect(&wspolnie_platform::config::DatabaseConfig {
                url: db.url.clone(),
                max_connections: 1,
                ..Default::default()
            })
            .await
            .expect("db");
        let u = <wspolnie_platform::entity::user::Entity as sea_orm::EntityTrait>::find()
            .one(&tp_db.conn)
            .await
            .expect("q")
            .expect("user");
        assert_eq!(u.email, "admin@wierzbin.example");
        assert!(wspolnie_areas::accounts::model::verify_password(
            "zazolc-gesla-jazn-2026",
            u.password_hash.as_deref().unwrap_or("")
        ));
        assert_eq!(tp_db.count("role_grants").await.expect("count"), 1);
        let mut child = cmd(&db)
            .args(["create-admin", "--email", "x@wierzbin.example"])
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn");
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(b"short\n")
            .expect("write");
        assert!(
            !child.wait_with_output().expect("wait").status.success(),
            "weak password refused"
        );

        let target = db.dir.path().join(if b == Backend::Sqlite {
            "kopia.db"
        } else {
            "kopia.dump"
        });
        let out = cmd(&db)
            .args(["backup", "--output"])
            .arg(&target)
            .output()
            .expect("backup");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(target.metadata().expect("backup file").len() > 10_000);
        // A backup never overwrites a file, and says so.
        let before = target.metadata().expect("backup file").len();
        let out = cmd(&db)
            .args(["backup", "--output"])
            .arg(&target)
            .output()
            .expect("backup");
        assert!(!out.status.success());
        assert!(String::from_utf8_lossy(&out.stderr).contains("already exists"));
        assert_eq!(target.metadata().expect("kept").len(), before);
        // Two backups started in the same second (cron and a person) both succeed, in two files.
        let (one, two) = (
            cmd(&db).arg("backup").output(),
            cmd(&db).arg("backup").output(),
        );
        for out in [one.expect("backup 1"), two.expect("backup 2")] {
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        let started = [
            cmd(&db).arg("backup").spawn(),
            cmd(&db).arg("backup").spawn(),
        ];
        for child in started {
            let status = child.expect("spawn").wait().expect("wait");
            assert!(status.success());
        }
        let files = std::fs::read_dir(db.dir.path().join("backups"))
            .expect("backups dir")
            .count();
        assert_eq!(files, 4, "four backups, four files");
        if b == Backend::Sqlite {
            // The copy is a complete, consistent database.
            let copy =
                wspolnie_platform::db::Db::connect(&wspolnie_platform::config::DatabaseConfig {
                    url: format!("sqlite://{}", target.display()),
                    max_connections: 1,
                    ..Default::default()
                })
                .await
                .expect("open copy");
            assert_eq!(copy.count("organizations").await.expect("count"), 120);
            copy.ensure_current()
                .await
                .expect("copy has the current schema");
        }
        tp_db.conn.close().await.ok();
    })
    .await;
}

#[tokio::test]
async fn serve_refuses_a_newer_schema() {
    let db = TestDb::new(Backend::Sqlite).await;
    assert!(cmd(&db).arg("migrate").status().expect("migrate").success());
    let d = wspolnie_platform::db::Db::connect(&wspolnie_platform::config::DatabaseConfig {
        url: db.url.clone(),
        max_connections: 1,
        ..Default::default()
    })
    .await
    .expect("db");
    sea_orm::ConnectionTrait::execute_unprepared(
        &d.conn,
        "INSERT INTO seaql_migrations (version, applied_at) VALUES ('m20991231_000001_future', 0)",
    )
    .await
    .expect("insert");
    d.conn.close().await.ok();
    let out = cmd(&db)
        .arg("serve")
        .env(
            "WSPOLNIE__SERVER__LISTEN",
            format!("127.0.0.1:{}", free_port()),
        )
        .output()
        .expect("serve");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("m20991231_000001_future"), "{err}");
}

#[test]
fn sigterm_finishes_the_request_in_flight_then_exits() {
    let rt = tokio::runtime::Runtime::new().expect("rt");
    let db = rt.block_on(TestDb::new(Backend::Sqlite));
    let port = free_port();
    let mut child = cmd(&db)
        .args(["serve", "--demo"])
        .env("WSPOLNIE__SERVER__LISTEN", format!("127.0.0.1:{port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    wait_ready(port, &mut child);
    // Get a CSRF cookie and token.
    let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    s.write_all(b"GET /ustawienia HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        .expect("write");
    let mut page = String::new();
    s.read_to_string(&mut page).expect("read");
    let cookie = extract_between(&page, "set-cookie: wsp_csrf=", ";").expect("csrf cookie");
    let token = extract_between(&page, "name=\"_csrf\" value=\"", "\"").expect("token");
    // Start a POST, send half of its body, then ask the server to stop.
    let body = format!("text_size=large&_csrf={token}&back=%2Fkontakt");
    let (first, second) = body.split_at(10);
    let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    write!(s, "POST /ustawienia/wyglad HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nCookie: wsp_csrf={cookie}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{first}", body.len()).expect("write");
    s.flush().expect("flush");
    std::thread::sleep(Duration::from_millis(300));
    // SAFETY: sending a signal to our own child process.
    unsafe {
        libc::kill(child.id() as i32, libc::SIGTERM);
    }
    std::thread::sleep(Duration::from_millis(500));
    s.write_all(second.as_bytes()).expect("finish body");
    let mut resp = String::new();
    s.read_to_string(&mut resp).expect("response");
    assert!(
        resp.starts_with("HTTP/1.1 303"),
        "the in-flight request completed: {resp}"
    );
    // New connections are refused once shutdown began, and the process exits cleanly.
    let deadline = Instant::now() + Duration::from_secs(20);
    let status = loop {
        if let Some(st) = child.try_wait().expect("wait") {
            break st;
        }
        assert!(
            Instant::now() < deadline,
            "server did not exit after SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "clean exit: {status}");
    let mut logs = String::new();
    BufReader::new(child.stderr.take().expect("stderr"))
        .lines()
        .map_while(Result::ok)
        .for_each(|l| {
            logs.push_str(&l);
            logs.push('\n');
        });
    assert!(
        logs.contains("shutdown requested") && logs.contains("stopped"),
        "{logs}"
    );
}

/// Two instances started together with `--demo` on one empty PostgreSQL database: both come up
/// (the demo data is decided and loaded under the migrations' advisory lock), and it is loaded
/// once. (Instances share a database only on PostgreSQL.)
#[test]
fn two_instances_started_together_with_demo_both_come_up_and_load_it_once() {
    if pg_url().is_none() {
        eprintln!("[cli] TEST_DATABASE_URL not set; two-instance start checked only on PostgreSQL");
        return;
    }
    let rt = tokio::runtime::Runtime::new().expect("rt");
    let db = rt.block_on(TestDb::new(Backend::Postgres));
    // The second round starts again on the same database, now with content: nothing is added.
    for round in 0..2 {
        let ports = [free_port(), free_port()];
        let mut children: Vec<Child> = ports
            .iter()
            .map(|port| {
                cmd(&db)
                    .args(["serve", "--demo"])
                    .env("WSPOLNIE__SERVER__LISTEN", format!("127.0.0.1:{port}"))
                    .stdout(Stdio::null())
                    .stderr(Stdio::null())
                    .spawn()
                    .expect("spawn")
            })
            .collect();
        for (port, child) in ports.iter().zip(children.iter_mut()) {
            wait_ready(*port, child);
        }
        for mut c in children {
            c.kill().ok();
            c.wait().ok();
        }
        let count = rt.block_on(async {
            let d =
                wspolnie_platform::db::Db::connect(&wspolnie_platform::config::DatabaseConfig {
                    url: db.url.clone(),
                    max_connections: 1,
                    ..Default::default()
                })
                .await
                .expect("db");
            let n = d.count("organizations").await.expect("count");
            d.conn.close().await.ok();
            n
        });
        assert_eq!(count, 120, "round {round}: the demo organisations, once");
    }
}

fn http_get(port: u16, path: &str) -> String {
    let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    s.write_all(
        format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").as_bytes(),
    )
    .expect("write");
    let mut out = String::new();
    let _ = s.read_to_string(&mut out);
    out
}

/// The SQLite file deleted under a running server: `/readyz` says so (503, `missing`) and no new
/// empty database appears in its place, however many requests follow (issue 15, point 3).
#[test]
fn a_deleted_sqlite_file_is_not_replaced_and_readiness_fails() {
    let rt = tokio::runtime::Runtime::new().expect("rt");
    let db = rt.block_on(TestDb::new(Backend::Sqlite));
    let port = free_port();
    let mut child = cmd(&db)
        .args(["serve", "--demo"])
        .env("WSPOLNIE__SERVER__LISTEN", format!("127.0.0.1:{port}"))
        .env("WSPOLNIE__DATABASE__MAX_CONNECTIONS", "4")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    wait_ready(port, &mut child);
    assert!(http_get(port, "/readyz").starts_with("HTTP/1.1 200"));
    let file = db.dir.path().join("test.db");
    assert!(file.exists());
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", file.display()));
    }
    let ready = http_get(port, "/readyz");
    assert!(ready.starts_with("HTTP/1.1 503"), "{ready}");
    assert!(ready.contains("\"database\":\"missing\""), "{ready}");
    for path in ["/", "/organizacje", "/aktualnosci", "/kalendarz", "/readyz"] {
        let _ = http_get(port, path);
    }
    std::thread::sleep(Duration::from_millis(300));
    assert!(!file.exists(), "no new empty database in its place");
    child.kill().ok();
    child.wait().ok();
}

/// Mounts a small tmpfs at `dir` (root only); `None` when this user may not mount.
fn mount_small_tmpfs(dir: &std::path::Path, size: &str) -> Option<()> {
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } != 0 {
        return None;
    }
    let ok = Command::new("mount")
        .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
        .arg(dir)
        .status()
        .is_ok_and(|s| s.success());
    ok.then_some(())
}

/// Issue 15, item 2: a full disk under a running SQLite server. While it is full, writes are
/// answered 503 (never a success for a write that did not commit) and `/readyz` says the
/// database is not writable; when space returns, writes succeed again without a restart, and
/// every sign-up that was answered 303 (done) is in the database.
#[test]
fn a_full_disk_gives_503_and_not_ready_and_the_server_recovers_by_itself() {
    let tmp = tempfile::tempdir().expect("tmp");
    let data = tmp.path().join("data");
    std::fs::create_dir_all(&data).expect("dir");
    if mount_small_tmpfs(&data, "48m").is_none() {
        assert!(
            std::env::var("WSPOLNIE_REQUIRE_ROOT_TESTS").ok().as_deref() != Some("1"),
            "the disk-full test needs root (to mount a small tmpfs)"
        );
        eprintln!("SKIPPED: the disk-full test needs root to mount a small tmpfs");
        return;
    }
    struct Unmount(std::path::PathBuf);
    impl Drop for Unmount {
        fn drop(&mut self) {
            let _ = Command::new("umount").arg("-l").arg(&self.0).status();
        }
    }
    let _unmount = Unmount(data.clone());
    let port = free_port();
    let url = format!("sqlite://{}/wspolnie.db", data.display());
    let mut child = Command::new(bin())
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("WSPOLNIE__DATA_DIR", &data)
        .env("DATABASE_URL", &url)
        .env("RUST_LOG", "warn")
        .env("WSPOLNIE__SERVER__LISTEN", format!("127.0.0.1:{port}"))
        .env("WSPOLNIE__MAIL__TRANSPORT", "file")
        .current_dir(tmp.path())
        .args(["serve", "--demo"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    wait_ready(port, &mut child);
    assert!(http_get(port, "/readyz").starts_with("HTTP/1.1 200"));

    let rt = tokio::runtime::Runtime::new().expect("rt");
    let base = format!("http://127.0.0.1:{port}");
    let sign_up = |i: usize| {
        let base = base.clone();
        async move {
            crate::write_discipline::sign_up_as(&base, &format!("pelny{i}@example.pl"), None).await
        }
    };
    assert_eq!(
        rt.block_on(sign_up(0)),
        303,
        "a write before the disk is full"
    );

    // Fill the file system to the last byte.
    let filler = data.join("filler.bin");
    {
        let mut f = std::fs::File::create(&filler).expect("filler");
        let chunk = vec![7u8; 256 * 1024];
        while f.write_all(&chunk).is_ok() {}
        let small = [7u8; 512];
        while f.write_all(&small).is_ok() {}
        let _ = f.sync_all();
    }
    let mut answers = Vec::new();
    for i in 1..=8 {
        answers.push((i, rt.block_on(sign_up(i))));
    }
    assert!(
        answers.iter().all(|(_, s)| *s == 503),
        "writes on a full disk are refused with 503: {answers:?}"
    );
    let ready = http_get(port, "/readyz");
    assert!(ready.starts_with("HTTP/1.1 503"), "{ready}");
    assert!(ready.contains("\"writable\":false"), "{ready}");

    // Space returns: the same server takes writes again.
    std::fs::remove_file(&filler).expect("free the space");
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if http_get(port, "/readyz").starts_with("HTTP/1.1 200") {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "not ready again after space returned"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    for i in 9..=12 {
        answers.push((i, rt.block_on(sign_up(i))));
    }
    assert!(
        answers[8..].iter().all(|(_, s)| *s == 303),
        "writes succeed again without a restart: {answers:?}"
    );
    child.kill().ok();
    child.wait().ok();

    // Every sign-up answered 303 is there; none answered 503 is.
    let present: Vec<String> = rt.block_on(async {
        let d = wspolnie_platform::db::Db::connect(&wspolnie_platform::config::DatabaseConfig {
            url: url.clone(),
            max_connections: 1,
            ..Default::default()
        })
        .await
        .expect("db");
        let rows = sea_orm::ConnectionTrait::query_all_raw(
            &d.conn,
            sea_orm::Statement::from_string(
                sea_orm::DbBackend::Sqlite,
                "SELECT email FROM users WHERE email LIKE 'pelny%' ORDER BY email",
            ),
        )
        .await
        .expect("q");
        rows.iter()
            .map(|r| r.try_get::<String>("", "email").expect("email"))
            .collect()
    });
    let mut expected: Vec<String> = std::iter::once(0)
        .chain(answers.iter().filter(|(_, s)| *s == 303).map(|(i, _)| *i))
        .map(|i| format!("pelny{i}@example.pl"))
        .collect();
    expected.sort();
    assert_eq!(present, expected);
}

/// Issue 15, item 4: an import stopped in the middle (SIGTERM to the command carrying it) leaves
/// nothing public and nothing twice; its queued job finishes it later (`wspolnie run-jobs`, as a
/// server's worker would), from where its counters stood.
#[test]
fn an_import_stopped_midway_is_finished_by_the_worker_without_duplicates() {
    let rt = tokio::runtime::Runtime::new().expect("rt");
    let db = rt.block_on(TestDb::new(Backend::Sqlite));
    let out = cmd(&db).arg("migrate").output().expect("migrate");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let file = db.dir.path().join("duze.csv");
    std::fs::write(&file, crate::import::many_rows(3_000, 31)).expect("write");
    let mut child = cmd(&db)
        .args(["import", "organizations"])
        .arg(&file)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    let count = |sql: &'static str| {
        let url = db.url.clone();
        rt.block_on(async move {
            let d =
                wspolnie_platform::db::Db::connect(&wspolnie_platform::config::DatabaseConfig {
                    url,
                    max_connections: 1,
                    ..Default::default()
                })
                .await
                .expect("db");
            let row = sea_orm::ConnectionTrait::query_one_raw(
                &d.conn,
                sea_orm::Statement::from_string(sea_orm::DbBackend::Sqlite, sql),
            )
            .await
            .expect("q")
            .expect("row");
            let n: i64 = row.try_get("", "n").expect("n");
            d.conn.close().await.ok();
            n
        })
    };
    // Stop it once some, but not all, organisations are written.
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let staged = count("SELECT COUNT(*) AS n FROM organizations WHERE status = 'importing'");
        if staged > 0 {
            break;
        }
        assert!(
            child.try_wait().expect("wait").is_none(),
            "the import ended before it could be stopped"
        );
        assert!(Instant::now() < deadline, "nothing was staged");
        std::thread::sleep(Duration::from_millis(20));
    }
    // SAFETY: sending a signal to our own child process.
    unsafe {
        libc::kill(child.id() as i32, libc::SIGTERM);
    }
    child.wait().expect("wait");
    let staged = count("SELECT COUNT(*) AS n FROM organizations WHERE status = 'importing'");
    assert!(staged > 0 && staged < 3_000, "stopped midway: {staged}");
    assert_eq!(
        count("SELECT COUNT(*) AS n FROM organizations WHERE status = 'published'"),
        0,
        "nothing public yet"
    );

    let out = cmd(&db).arg("run-jobs").output().expect("run-jobs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        count("SELECT COUNT(*) AS n FROM organizations WHERE status = 'published'"),
        3_000
    );
    assert_eq!(
        count("SELECT COUNT(*) AS n FROM organizations WHERE status = 'importing'"),
        0
    );
    assert_eq!(
        count("SELECT COUNT(DISTINCT nip) AS n FROM organizations"),
        3_000,
        "no entry twice"
    );
    assert_eq!(
        count("SELECT COUNT(*) AS n FROM directory_imports WHERE status = 'done'"),
        1
    );
}
