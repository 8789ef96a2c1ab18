//! Test harness: fresh databases, an SMTP server over TCP, the app on a real socket.

use mailin_embedded::{Handler, Response, Server, SslConfig, response};
use sea_orm::{ConnectionTrait, Database, Statement};
use std::future::Future;
use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use tokio_util::sync::CancellationToken;
use wspolnie_platform::Platform;
use wspolnie_platform::config::Config;
use wspolnie_platform::config::MailTransport;
use wspolnie_platform::config::SmtpSecurity;
use wspolnie_platform::jobs::Worker;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Runs `body` once per configured backend.
pub async fn each_backend<F, Fut>(name: &str, body: F)
where
    F: Fn(Backend) -> Fut,
    Fut: Future<Output = ()>,
{
    body(Backend::Sqlite).await;
    if pg_url().is_some() {
        body(Backend::Postgres).await;
    } else {
        eprintln!("[{name}] PostgreSQL run SKIPPED: TEST_DATABASE_URL is not set");
    }
}

pub fn pg_url() -> Option<String> {
    std::env::var("TEST_DATABASE_URL")
        .ok()
        .filter(|s| !s.trim().is_empty())
}

/// A fresh, empty database; dropped (PostgreSQL) or deleted (SQLite) with the guard.
pub struct TestDb {
    pub url: String,
    pub dir: tempfile::TempDir,
    pg_admin: Option<(String, String)>,
}

/// What a test's database holds when the test starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Start {
    /// Every migration applied, no rows of the areas.
    Migrated,
    /// Migrated, with the demo data (60 organisations, seed 7, anchored today).
    Demo,
}

/// A database built once per test process and copied for each test that starts from it:
/// migrating and loading the demo take seconds on PostgreSQL, a copy a tenth of one.
enum Template {
    /// A single-file copy (`VACUUM INTO`), copied per test.
    Sqlite(PathBuf),
    /// A database with no connections, the `TEMPLATE` of `CREATE DATABASE`.
    Postgres(String),
}

static TEMPLATES: [tokio::sync::OnceCell<Template>; 4] =
    [const { tokio::sync::OnceCell::const_new() }; 4];

/// The demo every test app starts with.
pub fn demo_options() -> wspolnie_areas::demo::DemoOptions {
    wspolnie_areas::demo::DemoOptions {
        seed: 7,
        anchor: chrono::Utc::now().date_naive(),
        organizations: 60,
    }
}

impl Template {
    async fn of(backend: Backend, start: Start) -> &'static Template {
        let slot = match (backend, start) {
            (Backend::Sqlite, Start::Migrated) => 0,
            (Backend::Sqlite, Start::Demo) => 1,
            (Backend::Postgres, Start::Migrated) => 2,
            (Backend::Postgres, Start::Demo) => 3,
        };
        TEMPLATES[slot]
            .get_or_init(|| Template::build(backend, start))
            .await
    }

    async fn build(backend: Backend, start: Start) -> Template {
        let dir = tempfile::tempdir().expect("tempdir");
        let (url, pg_name) = match backend {
            Backend::Sqlite => (
                format!(
                    "sqlite://{}?mode=rwc",
                    dir.path().join("template.db").display()
                ),
                None,
            ),
            Backend::Postgres => {
                drop_old_templates().await;
                let name = format!(
                    "wsp_tpl_{}_{}",
                    chrono::Utc::now().timestamp(),
                    uuid::Uuid::new_v4().simple()
                );
                let (_, url) = pg_create(&name, None).await;
                (url, Some(name))
            }
        };
        let mut cfg = Config {
            data_dir: dir.path().to_path_buf(),
            ..Config::default()
        };
        cfg.database.url = url;
        cfg.server.secret = "test-secret-0123456789abcdef".into();
        cfg.resolve();
        let platform = Platform::open(cfg).await.expect("open template");
        platform.db.migrate().await.expect("migrate template");
        let conn = platform.db.conn.clone();
        if start == Start::Demo {
            wspolnie_areas::load_demo(&conn, demo_options())
                .await
                .expect("demo");
        }
        let template = match pg_name {
            Some(name) => Template::Postgres(name),
            None => {
                let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("db-templates");
                std::fs::create_dir_all(&dir).expect("template dir");
                // Files of processes that ended long ago go (a day is longer than any run).
                for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
                    let old = entry
                        .metadata()
                        .and_then(|m| m.modified())
                        .ok()
                        .and_then(|t| t.elapsed().ok());
                    if old.is_some_and(|age| age.as_secs() > 86_400) {
                        let _ = std::fs::remove_file(entry.path());
                    }
                }
                let path = dir.join(format!("{}-{start:?}.db", std::process::id()));
                let _ = std::fs::remove_file(&path);
                conn.execute_unprepared(&format!("VACUUM INTO '{}'", path.display()))
                    .await
                    .expect("vacuum into");
                Template::Sqlite(path)
            }
        };
        // No connection may stay open on a PostgreSQL template.
        conn.close().await.ok();
        drop(platform);
        template
    }
}

/// Creates the PostgreSQL database `name` (a copy of `template` when given) on the server of
/// `TEST_DATABASE_URL`; returns that server's URL and the new database's.
async fn pg_create(name: &str, template: Option<&str>) -> (String, String) {
    let admin = pg_url().expect("TEST_DATABASE_URL");
    let conn = Database::connect(&admin)
        .await
        .unwrap_or_else(|e| panic!("TEST_DATABASE_URL is set but PostgreSQL is unreachable: {e}"));
    let sql = match template {
        Some(t) => format!("CREATE DATABASE {name} TEMPLATE {t}"),
        None => format!("CREATE DATABASE {name}"),
    };
    conn.execute_unprepared(&sql)
        .await
        .expect("create database");
    conn.close().await.ok();
    let mut u = url::Url::parse(&admin).expect("url");
    u.set_path(&format!("/{name}"));
    (admin, u.to_string())
}

/// Drops the templates of test processes that ended long ago (their names carry the second they
/// were made; a run still going is younger than a day). The SQLite ones are files in the target
/// directory's test temp folder, replaced per process id.
async fn drop_old_templates() {
    let Some(admin) = pg_url() else { return };
    let Ok(c) = Database::connect(&admin).await else {
        return;
    };
    let b = c.get_database_backend();
    let rows = c
        .query_all_raw(Statement::from_string(
            b,
            "SELECT datname FROM pg_database WHERE datname LIKE 'wsp_tpl_%'",
        ))
        .await
        .unwrap_or_default();
    let day_ago = chrono::Utc::now().timestamp() - 86_400;
    for r in rows {
        let Ok(old) = r.try_get_by_index::<String>(0) else {
            continue;
        };
        let made = old.split('_').nth(2).and_then(|t| t.parse::<i64>().ok());
        if made.is_some_and(|t| t < day_ago) {
            let _ = c
                .execute_unprepared(&format!("DROP DATABASE IF EXISTS {old} WITH (FORCE)"))
                .await;
        }
    }
    c.close().await.ok();
}

impl TestDb {
    /// A database holding `start`, copied from this process's template.
    pub async fn starting(backend: Backend, start: Start) -> TestDb {
        let template = Template::of(backend, start).await;
        let dir = tempfile::tempdir().expect("tempdir");
        match template {
            Template::Sqlite(path) => {
                let file = dir.path().join("test.db");
                std::fs::copy(path, &file).expect("copy template");
                TestDb {
                    url: format!("sqlite://{}?mode=rwc", file.display()),
                    dir,
                    pg_admin: None,
                }
            }
            Template::Postgres(tpl) => {
                let name = format!("wsp_t_{}", uuid::Uuid::new_v4().simple());
                let (admin, url) = pg_create(&name, Some(tpl)).await;
                TestDb {
                    url,
                    dir,
                    pg_admin: Some((admin, name)),
                }
            }
        }
    }

    pub async fn new(backend: Backend) -> TestDb {
        let dir = tempfile::tempdir().expect("tempdir");
        match backend {
            Backend::Sqlite => {
                let url = format!("sqlite://{}?mode=rwc", dir.path().join("test.db").display());
                TestDb {
                    url,
                    dir,
                    pg_admin: None,
                }
            }
            Backend::Postgres => {
                let name = format!("wsp_t_{}", uuid::Uuid::new_v4().simple());
                let (admin, url) = pg_create(&name, None).await;
                TestDb {
                    url,
                    dir,
                    pg_admin: Some((admin, name)),
                }
            }
        }
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some((admin, name)) = self.pg_admin.take() {
            // Best effort, on a separate thread with its own runtime (we may be inside one).
            let _ = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build();
                if let Ok(rt) = rt {
                    rt.block_on(async {
                        if let Ok(c) = Database::connect(&admin).await {
                            let _ = c
                                .execute_unprepared(&format!(
                                    "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
                                ))
                                .await;
                            c.close().await.ok();
                        }
                    });
                }
            })
            .join();
        }
    }
}

#[derive(Debug, Clone)]
pub struct ReceivedMail {
    pub from: String,
    pub to: Vec<String>,
    pub data: String,
}

/// A real SMTP server (mailin-embedded) on 127.0.0.1. Recipients containing `tempfail` get a 451,
/// those containing `reject` a 550.
#[derive(Clone)]
pub struct SmtpSink {
    pub addr: SocketAddr,
    pub received: Arc<Mutex<Vec<ReceivedMail>>>,
}

#[derive(Clone)]
struct SinkHandler {
    received: Arc<Mutex<Vec<ReceivedMail>>>,
    from: String,
    to: Vec<String>,
    buf: Vec<u8>,
}

impl Handler for SinkHandler {
    fn mail(&mut self, _ip: IpAddr, _domain: &str, from: &str) -> Response {
        self.from = from.to_owned();
        self.to.clear();
        self.buf.clear();
        response::OK
    }
    fn rcpt(&mut self, to: &str) -> Response {
        if to.contains("tempfail") {
            return Response::custom(451, "Try again later".into());
        }
        if to.contains("reject") {
            return response::NO_MAILBOX;
        }
        self.to.push(to.to_owned());
        response::OK
    }
    fn data(&mut self, buf: &[u8]) -> std::io::Result<()> {
        self.buf.extend_from_slice(buf);
        Ok(())
    }
    fn data_end(&mut self) -> Response {
        let mail = ReceivedMail {
            from: self.from.clone(),
            to: self.to.clone(),
            data: String::from_utf8_lossy(&self.buf).into_owned(),
        };
        if let Ok(mut r) = self.received.lock() {
            r.push(mail);
        }
        response::OK
    }
}

impl SmtpSink {
    pub fn start() -> SmtpSink {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind smtp");
        let addr = listener.local_addr().expect("addr");
        let received = Arc::new(Mutex::new(Vec::new()));
        let handler = SinkHandler {
            received: received.clone(),
            from: String::new(),
            to: Vec::new(),
            buf: Vec::new(),
        };
        let mut server = Server::new(handler);
        server
            .with_name("smtp.test.local")
            .with_num_threads(8)
            .with_tcp_listener(listener);
        server.with_ssl(SslConfig::None).expect("ssl none");
        std::thread::spawn(move || {
            let _ = server.serve();
        });
        SmtpSink { addr, received }
    }

    pub fn messages(&self) -> Vec<ReceivedMail> {
        self.received.lock().map(|r| r.clone()).unwrap_or_default()
    }
}

pub fn test_config(db: &TestDb, smtp: &SmtpSink) -> Config {
    let mut cfg = Config {
        data_dir: db.dir.path().to_path_buf(),
        ..Config::default()
    };
    cfg.database.url = db.url.clone();
    cfg.database.max_connections = 5;
    cfg.mail.transport = MailTransport::Smtp;
    cfg.mail.smtp_host = "127.0.0.1".into();
    cfg.mail.smtp_port = smtp.addr.port();
    cfg.mail.smtp_security = SmtpSecurity::None;
    cfg.mail.smtp_timeout_seconds = 10;
    cfg.mail.from = "Urząd Miejski w Wierzbinie <ngo@wierzbin.example>".into();
    cfg.jobs.poll_interval_ms = 20;
    cfg.server.secret = "test-secret-0123456789abcdef".into();
    cfg.resolve();
    cfg
}

/// A migrated platform on a fresh database with the SMTP sink, no HTTP server.
pub struct TestPlatform {
    pub platform: Platform,
    pub smtp: SmtpSink,
    /// Kept alive for the test: dropping it removes the database. A second instance on the same
    /// database (`TestApp::another_instance`) has its own data directory here instead.
    _db: Option<TestDb>,
    _own_dir: Option<tempfile::TempDir>,
}

impl TestPlatform {
    pub async fn new(backend: Backend) -> TestPlatform {
        Self::with_public_url(backend, None).await
    }

    pub async fn with_public_url(backend: Backend, public_url: Option<String>) -> TestPlatform {
        Self::with_config(backend, public_url, |_| {}).await
    }

    /// As [`TestPlatform::with_public_url`], with the test configuration changed by `adjust`.
    pub async fn with_config(
        backend: Backend,
        public_url: Option<String>,
        adjust: impl FnOnce(&mut Config),
    ) -> TestPlatform {
        Self::starting(backend, Start::Migrated, public_url, adjust).await
    }

    /// A platform whose database starts as `start`.
    pub async fn starting(
        backend: Backend,
        start: Start,
        public_url: Option<String>,
        adjust: impl FnOnce(&mut Config),
    ) -> TestPlatform {
        let db = TestDb::starting(backend, start).await;
        let smtp = SmtpSink::start();
        let mut cfg = test_config(&db, &smtp);
        if let Some(u) = public_url {
            cfg.server.public_url = u;
        }
        adjust(&mut cfg);
        let platform = Platform::open(cfg).await.expect("open platform");
        platform.db.migrate().await.expect("migrate");
        TestPlatform {
            platform,
            smtp,
            _db: Some(db),
            _own_dir: None,
        }
    }

    pub fn worker(&self) -> Worker {
        Worker::new(self.platform.clone(), wspolnie_areas::job_registry())
    }

    /// Fails the test if jobs that were due were left unprocessed.
    pub async fn assert_no_pending_jobs(&self) {
        let counts = wspolnie_platform::jobs::counts(&self.platform.db.conn)
            .await
            .expect("counts");
        let pending: i64 = counts
            .iter()
            .filter(|(s, _)| s == "pending" || s == "running")
            .map(|(_, n)| n)
            .sum();
        assert_eq!(pending, 0, "test left jobs unprocessed: {counts:?}");
    }

    pub async fn exec(&self, sql: &str) {
        self.platform
            .db
            .conn
            .execute_unprepared(sql)
            .await
            .expect(sql);
    }

    pub async fn scalar_i64(&self, sql: &str) -> i64 {
        let b = self.platform.db.conn.get_database_backend();
        let row = self
            .platform
            .db
            .conn
            .query_one_raw(Statement::from_string(b, sql))
            .await
            .expect(sql)
            .expect("row");
        row.try_get_by_index::<i64>(0).expect("i64")
    }
}

/// The application served over TCP on 127.0.0.1, with demo data.
pub struct TestApp {
    pub tp: TestPlatform,
    pub base: String,
    pub client: reqwest::Client,
    stop: CancellationToken,
}

impl TestApp {
    pub async fn new(backend: Backend) -> TestApp {
        Self::with_demo(backend, true).await
    }

    pub async fn with_demo(backend: Backend, demo: bool) -> TestApp {
        Self::with_config(backend, demo, |_| {}).await
    }

    /// As [`TestApp::with_demo`], with the test configuration changed by `adjust` (e.g. storage).
    pub async fn with_config(
        backend: Backend,
        demo: bool,
        adjust: impl FnOnce(&mut Config),
    ) -> TestApp {
        // Bind first, so links in e-mails (public_url) point at this server.
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let base = format!("http://{}", listener.local_addr().expect("addr"));
        let start = if demo { Start::Demo } else { Start::Migrated };
        let tp = TestPlatform::starting(backend, start, Some(base.clone()), adjust).await;
        Self::serve(tp, listener, base).await
    }

    /// A second instance of the application on the same database and with the same storage
    /// settings, as behind a load balancer: its own process state (platform, connection pool,
    /// caches), its own port and its own data directory, so nothing on local disk is shared.
    pub async fn another_instance(&self) -> TestApp {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let base = format!("http://{}", listener.local_addr().expect("addr"));
        let own_dir = tempfile::tempdir().expect("tempdir");
        let mut cfg = (*self.tp.platform.config).clone();
        cfg.server.public_url = base.clone();
        cfg.data_dir = own_dir.path().to_path_buf();
        cfg.mail.file_dir = String::new();
        cfg.storage.local_dir = String::new();
        cfg.resolve();
        let platform = Platform::open(cfg).await.expect("open second platform");
        let tp = TestPlatform {
            platform,
            smtp: self.tp.smtp.clone(),
            _db: None,
            _own_dir: Some(own_dir),
        };
        Self::serve(tp, listener, base).await
    }

    async fn serve(tp: TestPlatform, listener: tokio::net::TcpListener, base: String) -> TestApp {
        let state = wspolnie_areas::state(tp.platform.clone())
            .await
            .expect("state");
        let app = wspolnie_areas::app(state);
        let stop = CancellationToken::new();
        let s = stop.clone();
        tokio::spawn(async move {
            // As `wspolnie serve` does: handlers see the client's address.
            let _ = axum::serve(
                listener,
                app.into_make_service_with_connect_info::<SocketAddr>(),
            )
            .with_graceful_shutdown(async move { s.cancelled().await })
            .await;
        });
        TestApp {
            tp,
            base,
            client: client(),
            stop,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(self.url(path)).send().await.expect("GET")
    }

    pub async fn get_text(&self, path: &str) -> (u16, String) {
        let r = self.get(path).await;
        let s = r.status().as_u16();
        (s, r.text().await.expect("body"))
    }

    /// The CSRF token of a page's first form.
    pub async fn csrf_token(&self, path: &str) -> String {
        let (_, html) = self.get_text(path).await;
        extract_between(&html, "name=\"_csrf\" value=\"", "\"").expect("csrf token in page")
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        self.stop.cancel();
    }
}

pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .build()
        .expect("client")
}

pub fn extract_between(s: &str, start: &str, end: &str) -> Option<String> {
    let i = s.find(start)? + start.len();
    let j = s[i..].find(end)? + i;
    Some(s[i..j].to_owned())
}

pub fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_wspolnie"))
}

/// An active newsletter subscriber (as if signed up and confirmed); returns its id.
pub async fn insert_subscriber(
    db: &sea_orm::DatabaseConnection,
    email: &str,
    topics: &str,
    lang: &str,
) -> i64 {
    use sea_orm::{ActiveValue::Set, EntityTrait};
    use wspolnie_areas::mailings::entity::newsletter_subscriber;
    let now = chrono::Utc::now();
    let m = newsletter_subscriber::ActiveModel {
        email: Set(email.into()),
        topics: Set(topics.into()),
        lang: Set(lang.into()),
        status: Set(wspolnie_areas::mailings::newsletter::Status::Active),
        consent_version: Set("test".into()),
        consent_text: Set("zgoda".into()),
        consented_at: Set(now),
        confirmed_at: Set(Some(now)),
        unsubscribed_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    };
    newsletter_subscriber::Entity::insert(m)
        .exec(db)
        .await
        .expect("subscriber")
        .last_insert_id
}

/// The S3-compatible test server that `scripts/test.sh` starts (moto, `TEST_S3_*`).
#[derive(Debug, Clone)]
pub struct S3Server {
    pub endpoint: String,
    pub bucket: String,
    pub region: String,
    pub access_key_id: String,
    pub secret_access_key: String,
}

impl S3Server {
    /// The server from the environment, or None after saying that the test is skipped; with
    /// `WSPOLNIE_REQUIRE_S3=1` (CI) a missing server fails the test instead.
    pub fn from_env(test: &str) -> Option<S3Server> {
        let var = |k: &str| std::env::var(k).ok().filter(|v| !v.trim().is_empty());
        let Some(endpoint) = var("TEST_S3_ENDPOINT") else {
            if var("WSPOLNIE_REQUIRE_S3").as_deref() == Some("1") {
                panic!(
                    "WSPOLNIE_REQUIRE_S3=1 but TEST_S3_ENDPOINT is not set (run scripts/test.sh)"
                );
            }
            eprintln!(
                "[{test}] S3 test SKIPPED: TEST_S3_ENDPOINT is not set (scripts/test.sh starts a server)"
            );
            return None;
        };
        let get =
            |k: &str| var(k).unwrap_or_else(|| panic!("TEST_S3_ENDPOINT is set but {k} is not"));
        Some(S3Server {
            endpoint,
            bucket: get("TEST_S3_BUCKET"),
            region: get("TEST_S3_REGION"),
            access_key_id: get("TEST_S3_ACCESS_KEY_ID"),
            secret_access_key: get("TEST_S3_SECRET_ACCESS_KEY"),
        })
    }

    /// Points `cfg`'s storage at this server's bucket, as an operator's configuration would.
    pub fn apply(&self, cfg: &mut Config) {
        cfg.storage.backend = "s3".into();
        cfg.storage.s3_endpoint = self.endpoint.clone();
        cfg.storage.s3_bucket = self.bucket.clone();
        cfg.storage.s3_region = self.region.clone();
        cfg.storage.s3_access_key_id = self.access_key_id.clone();
        cfg.storage.s3_secret_access_key = self.secret_access_key.clone();
        cfg.storage.s3_allow_http = true;
    }
}

/// What the scripted SMTP server does (`FakeSmtp`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmtpMode {
    /// Answers like a normal server.
    Up = 0,
    /// The server is down: every connection is closed at once, before the greeting.
    Down = 1,
    /// Takes the message (recorded at the final dot) and then never replies, as a server that
    /// died after the dot, until the mode changes; then it closes the connection.
    HangAfterDot = 2,
}

/// A scripted SMTP server over real TCP for faults `SmtpSink` cannot make: an outage, a missing
/// reply after the final dot. Recipients containing `vanish` lose the connection right after
/// their dot while `drop_vanish` is set. Messages are recorded when their dot arrives.
#[derive(Clone)]
pub struct FakeSmtp {
    pub port: u16,
    mode: Arc<std::sync::atomic::AtomicU8>,
    drop_vanish: Arc<std::sync::atomic::AtomicBool>,
    received: Arc<Mutex<Vec<ReceivedMail>>>,
}

impl FakeSmtp {
    pub fn start() -> FakeSmtp {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind fake smtp");
        let port = listener.local_addr().expect("addr").port();
        let s = FakeSmtp {
            port,
            mode: Arc::new(std::sync::atomic::AtomicU8::new(SmtpMode::Up as u8)),
            drop_vanish: Arc::new(std::sync::atomic::AtomicBool::new(false)),
            received: Arc::new(Mutex::new(Vec::new())),
        };
        let server = s.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                let server = server.clone();
                std::thread::spawn(move || server.serve(stream));
            }
        });
        s
    }

    pub fn set_mode(&self, m: SmtpMode) {
        self.mode
            .store(m as u8, std::sync::atomic::Ordering::SeqCst);
    }

    fn mode(&self) -> u8 {
        self.mode.load(std::sync::atomic::Ordering::SeqCst)
    }

    pub fn set_drop_vanish(&self, on: bool) {
        self.drop_vanish
            .store(on, std::sync::atomic::Ordering::SeqCst);
    }

    pub fn messages(&self) -> Vec<ReceivedMail> {
        self.received.lock().map(|r| r.clone()).unwrap_or_default()
    }

    /// How many messages each recipient got.
    pub fn count_for(&self, to: &str) -> usize {
        self.messages()
            .iter()
            .filter(|m| m.to.iter().any(|t| t == to))
            .count()
    }

    fn serve(&self, stream: std::net::TcpStream) {
        use std::io::{BufRead, BufReader, Write};
        if self.mode() == SmtpMode::Down as u8 {
            return;
        }
        let _ = stream.set_read_timeout(Some(std::time::Duration::from_secs(60)));
        let Ok(mut out) = stream.try_clone() else {
            return;
        };
        let mut input = BufReader::new(stream);
        let mut say = |s: &str| out.write_all(s.as_bytes()).is_ok();
        if !say("220 fake.test ESMTP\r\n") {
            return;
        }
        let (mut from, mut to) = (String::new(), Vec::<String>::new());
        loop {
            let mut line = String::new();
            match input.read_line(&mut line) {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
            let upper = line.to_ascii_uppercase();
            let ok = if upper.starts_with("EHLO") {
                say("250-fake.test\r\n250 8BITMIME\r\n")
            } else if upper.starts_with("MAIL FROM:") {
                from = addr(&line);
                to.clear();
                say("250 OK\r\n")
            } else if upper.starts_with("RCPT TO:") {
                to.push(addr(&line));
                say("250 OK\r\n")
            } else if upper.starts_with("DATA") {
                if !say("354 go ahead\r\n") {
                    return;
                }
                let mut data = String::new();
                loop {
                    let mut l = String::new();
                    match input.read_line(&mut l) {
                        Ok(0) | Err(_) => return,
                        Ok(_) => {}
                    }
                    if l == ".\r\n" {
                        break;
                    }
                    data.push_str(l.strip_prefix('.').unwrap_or(&l));
                }
                if let Ok(mut r) = self.received.lock() {
                    r.push(ReceivedMail {
                        from: from.clone(),
                        to: to.clone(),
                        data,
                    });
                }
                if self.mode() == SmtpMode::HangAfterDot as u8 {
                    while self.mode() == SmtpMode::HangAfterDot as u8 {
                        std::thread::sleep(std::time::Duration::from_millis(20));
                    }
                    return;
                }
                if self.drop_vanish.load(std::sync::atomic::Ordering::SeqCst)
                    && to.iter().any(|t| t.contains("vanish"))
                {
                    return;
                }
                say("250 queued\r\n")
            } else if upper.starts_with("QUIT") {
                let _ = say("221 bye\r\n");
                return;
            } else {
                say("250 OK\r\n")
            };
            if !ok {
                return;
            }
        }
    }
}

fn addr(line: &str) -> String {
    line.split_once('<')
        .and_then(|(_, r)| r.split_once('>'))
        .map(|(a, _)| a.to_owned())
        .unwrap_or_default()
}

impl TestPlatform {
    /// Another platform on the same database with its mail going to `smtp_port` and the
    /// configuration changed by `f` (a worker of another instance).
    pub async fn platform_with(&self, smtp_port: u16, f: impl FnOnce(&mut Config)) -> Platform {
        let mut cfg = (*self.platform.config).clone();
        cfg.mail.smtp_port = smtp_port;
        f(&mut cfg);
        Platform::open(cfg).await.expect("open platform")
    }
}
