//! Mailing benchmark (issue 6), run by `bench/mailing.sh`: N newsletter subscribers, one mailing,
//! the real `wspolnie serve` binary handing the messages to an SMTP server on 127.0.0.1, killed
//! with SIGKILL part-way and started again. Every message is counted at the SMTP server.
//!
//! Environment: `BENCH_BIN` (the release binary), `BENCH_RECIPIENTS` (20000), `BENCH_KILL_AT`
//! (messages received before the kill; 0 = no kill), `BENCH_RATE` (messages/s limit, 0 = none),
//! `BENCH_CONNECTIONS` (SMTP connections, 4), `BENCH_DATABASE_URL` (PostgreSQL server for a fresh
//! database; default a SQLite file).

#[path = "common/bench_db.rs"]
mod bench_db;

use mailin_embedded::{Handler, Response, Server, SslConfig, response};
use sea_orm::{ActiveValue::Set, EntityTrait};
use std::collections::HashMap;
use std::net::{IpAddr, TcpListener};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use wspolnie_areas::mailings::entity::mailing;
use wspolnie_areas::mailings::entity::newsletter_subscriber;

#[derive(Default)]
struct Counts {
    per_recipient: HashMap<String, u32>,
    received: usize,
    first: Option<Instant>,
    last: Option<Instant>,
}

#[derive(Clone)]
struct Sink {
    counts: Arc<Mutex<Counts>>,
    to: Vec<String>,
}

impl Handler for Sink {
    fn mail(&mut self, _ip: IpAddr, _domain: &str, _from: &str) -> Response {
        self.to.clear();
        response::OK
    }
    fn rcpt(&mut self, to: &str) -> Response {
        self.to.push(to.to_owned());
        response::OK
    }
    fn data(&mut self, _buf: &[u8]) -> std::io::Result<()> {
        Ok(())
    }
    fn data_end(&mut self) -> Response {
        if let Ok(mut c) = self.counts.lock() {
            let now = Instant::now();
            c.first.get_or_insert(now);
            c.last = Some(now);
            c.received += 1;
            for t in &self.to {
                *c.per_recipient.entry(t.clone()).or_insert(0) += 1;
            }
        }
        response::OK
    }
}

fn env(name: &str, default: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| default.to_owned())
}

fn received(c: &Arc<Mutex<Counts>>) -> usize {
    c.lock().map(|c| c.received).unwrap_or(0)
}

fn spawn(bin: &str, db_url: &str, dir: &std::path::Path, smtp_port: u16) -> anyhow::Result<Child> {
    let port = TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
    Ok(Command::new(bin)
        .arg("serve")
        .env_clear()
        .env("PATH", env("PATH", ""))
        .env("WSPOLNIE__DATA_DIR", dir)
        .env("DATABASE_URL", db_url)
        .env("WSPOLNIE__SERVER__LISTEN", format!("127.0.0.1:{port}"))
        .env("WSPOLNIE__MAIL__TRANSPORT", "smtp")
        .env("WSPOLNIE__MAIL__SMTP_HOST", "127.0.0.1")
        .env("WSPOLNIE__MAIL__SMTP_PORT", smtp_port.to_string())
        .env("WSPOLNIE__MAIL__SMTP_SECURITY", "none")
        .env(
            "WSPOLNIE__MAIL__FROM",
            "Urząd Miejski <ngo@wierzbin.example>",
        )
        .env("WSPOLNIE__JOBS__POLL_INTERVAL_MS", "100")
        .env("WSPOLNIE__JOBS__LOCK_SECONDS", "5")
        .env(
            "WSPOLNIE__MAILINGS__RATE_PER_SECOND",
            env("BENCH_RATE", "0"),
        )
        .env(
            "WSPOLNIE__MAILINGS__CONNECTIONS",
            env("BENCH_CONNECTIONS", "4"),
        )
        .env("RUST_LOG", "warn")
        .current_dir(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()?)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let bin = env("BENCH_BIN", "target/release/wspolnie");
    let n: usize = env("BENCH_RECIPIENTS", "20000").parse()?;
    let kill_at: usize = env("BENCH_KILL_AT", &(n / 2).to_string()).parse()?;
    let dir = tempfile::tempdir()?;

    // The SMTP server: counts messages per recipient, only when the final dot arrived.
    let counts = Arc::new(Mutex::new(Counts::default()));
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let smtp_port = listener.local_addr()?.port();
    let mut server = Server::new(Sink {
        counts: counts.clone(),
        to: Vec::new(),
    });
    server
        .with_name("sink.bench.local")
        .with_num_threads(16)
        .with_tcp_listener(listener);
    server
        .with_ssl(SslConfig::None)
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    std::thread::spawn(move || {
        let _ = server.serve();
    });

    // A fresh database with N active subscribers and one ordered mailing.
    let bench_db = bench_db::BenchDb::create(dir.path(), "mail").await?;
    let db_url = bench_db.url.clone();
    let platform = bench_db.platform(dir.path(), |_| {}).await?;
    let db = &platform.db.conn;
    let now = chrono::Utc::now();
    let txn = wspolnie_platform::db::begin_write(db).await?;
    let all: Vec<usize> = (0..n).collect();
    for chunk in all.chunks(1000) {
        newsletter_subscriber::Entity::insert_many(chunk.iter().map(|i| {
            newsletter_subscriber::ActiveModel {
                email: Set(format!("odbiorca{i:06}@example.org")),
                topics: Set("grants".into()),
                lang: Set("pl".into()),
                status: Set(wspolnie_areas::mailings::newsletter::Status::Active),
                consent_version: Set("bench".into()),
                consent_text: Set("zgoda".into()),
                consented_at: Set(now),
                confirmed_at: Set(Some(now)),
                unsubscribed_at: Set(None),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            }
        }))
        .exec_without_returning(&txn)
        .await?;
    }
    let actor = wspolnie_platform::audit::Actor::system("bench");
    let d = wspolnie_areas::mailings::model::MailingData {
        subject: "Nabór wniosków – małe granty 2027".into(),
        body: "Szanowni Państwo,\n\nogłaszamy **nabór** w trybie małych grantów. Szczegóły i regulamin: [strona naboru](https://ngo.example/nabor).\n\n- termin: 15 stycznia 2027\n- kwota: do 10 000 zł".into(),
        lang: "pl".into(),
        ..Default::default()
    };
    let audience = wspolnie_areas::mailings::model::Audience {
        topics: vec!["grants".into()],
        ..Default::default()
    };
    let m = wspolnie_areas::mailings::model::save_draft(&txn, None, &d, &audience, None, &actor)
        .await?;
    wspolnie_areas::mailings::model::order_send(&txn, &m, None, &actor).await?;
    txn.commit().await?;
    println!(
        "mailing to {n} subscribers on {}; rate limit {} msg/s, {} connections",
        platform.db.backend_name(),
        env("BENCH_RATE", "0"),
        env("BENCH_CONNECTIONS", "4")
    );

    let started = Instant::now();
    let mut child = spawn(&bin, &db_url, dir.path(), smtp_port)?;
    let mut killed_at = None;
    if kill_at > 0 && kill_at < n {
        while received(&counts) < kill_at {
            if let Some(s) = child.try_wait()? {
                anyhow::bail!("server exited early: {s}");
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        child.kill()?; // SIGKILL
        child.wait()?;
        let at = received(&counts);
        let c = counts.lock().map_err(|_| anyhow::anyhow!("lock"))?;
        let span = c.last.zip(c.first).map(|(l, f)| l - f).unwrap_or_default();
        println!(
            "SIGKILL after {at} messages; before the kill: {:.0} msg/s over {:.2} s",
            at as f64 / span.as_secs_f64().max(1e-9),
            span.as_secs_f64()
        );
        drop(c);
        killed_at = Some((Instant::now(), at));
        child = spawn(&bin, &db_url, dir.path(), smtp_port)?;
    }
    let deadline = Instant::now() + Duration::from_secs(1800);
    loop {
        let cur = mailing::Entity::find_by_id(m.id).one(db).await?;
        if cur.is_some_and(|c| c.status == wspolnie_areas::mailings::model::Status::Sent) {
            break;
        }
        if Instant::now() > deadline {
            anyhow::bail!("mailing did not finish");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let total_time = started.elapsed();
    child.kill()?;
    child.wait()?;
    tokio::time::sleep(Duration::from_millis(200)).await;
    let (duplicates, lost) = {
        let c = counts.lock().map_err(|_| anyhow::anyhow!("lock"))?;
        let unique = c.per_recipient.len();
        let duplicates: u32 = c.per_recipient.values().map(|v| v.saturating_sub(1)).sum();
        let lost = n - c
            .per_recipient
            .keys()
            .filter(|k| k.starts_with("odbiorca"))
            .count();
        if let Some((t_kill, at)) = killed_at {
            let after = c.received - at;
            let span = c
                .last
                .map(|l| l.saturating_duration_since(t_kill))
                .unwrap_or_default();
            println!(
                "after the restart: {after} messages in {:.2} s (incl. waiting for the dead worker's lock to expire) = {:.0} msg/s",
                span.as_secs_f64(),
                after as f64 / span.as_secs_f64().max(1e-9)
            );
        } else {
            let span = c.last.zip(c.first).map(|(l, f)| l - f).unwrap_or_default();
            println!(
                "throughput: {} messages in {:.2} s = {:.0} msg/s",
                c.received,
                span.as_secs_f64(),
                c.received as f64 / span.as_secs_f64().max(1e-9)
            );
        }
        println!(
            "received {} messages, {unique} distinct recipients, {duplicates} duplicates, {lost} lost; wall time {:.1} s",
            c.received,
            total_time.as_secs_f64()
        );
        (duplicates, lost)
    };
    platform.db.conn.clone().close().await.ok();
    bench_db.drop().await?;
    if duplicates > 0 || lost > 0 {
        anyhow::bail!("delivery was not exactly once");
    }
    Ok(())
}
