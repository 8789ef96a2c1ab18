//! Mailings (issue 6): audiences, delivery through the real SMTP server, retries and bounces,
//! exactly-once delivery with two workers and across SIGKILL, the composer over HTTP, address
//! checks and the weekly digest.

use crate::common::*;
use chrono::{Duration, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use std::collections::HashMap;
use wspolnie_areas::directory::entity::organization;
use wspolnie_areas::mailings::entity::email_bounce;
use wspolnie_areas::mailings::entity::mailing;
use wspolnie_areas::mailings::entity::mailing_recipient as rcpt;
use wspolnie_areas::mailings::model as mailings;
use wspolnie_areas::mailings::model::Audience;
use wspolnie_areas::mailings::model::MailingData;
use wspolnie_platform::audit::Actor;

async fn subscriber(tp: &TestPlatform, email: &str, topics: &str, lang: &str) -> i64 {
    insert_subscriber(&tp.platform.db.conn, email, topics, lang).await
}

/// Creates and orders a mailing through the platform API (as the panel does).
async fn order(tp: &TestPlatform, subject: &str, body: &str, a: Audience) -> mailing::Model {
    let db = &tp.platform.db.conn;
    let d = MailingData {
        subject: subject.into(),
        body: body.into(),
        lang: "pl".into(),
        ..Default::default()
    };
    let txn = wspolnie_platform::db::begin_write(db).await.expect("txn");
    let actor = Actor::system("test");
    let m = mailings::save_draft(&txn, None, &d, &a, None, &actor)
        .await
        .expect("draft");
    assert!(
        mailings::order_send(&txn, &m, None, &actor)
            .await
            .expect("order")
    );
    txn.commit().await.expect("commit");
    m
}

/// Subject, text and HTML of a received message.
fn parts(data: &str) -> (String, String, String) {
    let parsed = mailparse::parse_mail(data.as_bytes()).expect("mime");
    let subject = parsed
        .headers
        .iter()
        .find(|h| h.get_key().eq_ignore_ascii_case("Subject"))
        .map(|h| h.get_value())
        .unwrap_or_default();
    let text = parsed.subparts[0].get_body().expect("text part");
    let html = parsed.subparts[1].get_body().expect("html part");
    (subject, text, html)
}

fn recipients_of(smtp: &SmtpSink) -> HashMap<String, usize> {
    let mut n = HashMap::new();
    for m in smtp.messages() {
        for t in m.to {
            *n.entry(t).or_insert(0) += 1;
        }
    }
    n
}

async fn recipient(tp: &TestPlatform, mailing_id: i64, email: &str) -> rcpt::Model {
    rcpt::Entity::find()
        .filter(rcpt::Column::MailingId.eq(mailing_id))
        .filter(rcpt::Column::Email.eq(email))
        .one(&tp.platform.db.conn)
        .await
        .expect("query")
        .expect("recipient row")
}

#[tokio::test]
async fn audiences_delivery_retries_and_bounces() {
    each_backend("mailings::delivery", |b| async move {
        let tp = TestPlatform::new(b).await;
        let db = &tp.platform.db.conn;
        wspolnie_areas::load_demo(
            db,
            wspolnie_areas::demo::DemoOptions {
                seed: 3,
                anchor: Utc::now().date_naive(),
                organizations: 12,
            },
        )
        .await
        .expect("demo");
        let orgs: Vec<organization::Model> = organization::Entity::find()
            .filter(organization::Column::Status.eq("published"))
            .filter(organization::Column::Email.is_not_null())
            .all(db)
            .await
            .expect("orgs");
        assert!(orgs.len() >= 5, "demo organisations with addresses");
        // One organisation's address will be refused permanently.
        let bouncing_org = &orgs[0];
        let reject = "reject-biuro@example.org";
        organization::Entity::update_many()
            .col_expr(organization::Column::Email, Some(reject.to_owned()).into())
            .filter(organization::Column::Id.eq(bouncing_org.id))
            .exec(db)
            .await
            .expect("set address");
        let sub_grants = subscriber(&tp, "anna@example.org", "grants,events", "pl").await;
        subscriber(&tp, "jan@example.org", "news", "pl").await;
        // Also an organisation's own address subscribed: it gets one message, not two.
        let dup = orgs[1].email.clone().expect("email");
        subscriber(&tp, &dup, "grants", "en").await;
        let a = Audience {
            organizations: true,
            topics: vec!["grants".into()],
            custom: vec!["tempfail-rada@example.org".into(), "anna@example.org".into()],
            ..Default::default()
        };
        let body = "Ogłaszamy **nabór** wniosków.\n\nSzczegóły: [regulamin](https://ngo.example/regulamin).";
        let m = order(&tp, "Nabór wniosków – małe granty 2027", body, a).await;
        let w = tp.worker();
        w.run_until_idle().await.expect("run");

        let got = recipients_of(&tp.smtp);
        assert!(got.values().all(|&n| n == 1), "one message per address: {got:?}");
        assert!(got.contains_key("anna@example.org"));
        assert!(!got.contains_key("jan@example.org"), "topic not chosen");
        assert!(!got.contains_key(reject) && !got.contains_key("tempfail-rada@example.org"));
        // Organisations (minus the rejected one) and anna; the subscribed organisation once.
        let mut expected: std::collections::BTreeSet<String> = orgs[1..]
            .iter()
            .filter_map(|o| o.email.clone())
            .map(|e| e.to_lowercase())
            .collect();
        expected.insert("anna@example.org".into());
        let got_set: std::collections::BTreeSet<String> = got.keys().cloned().collect();
        assert_eq!(got_set, expected);

        // The message: footer, HTML from Markdown, text with the link, unsubscribe headers only
        // for subscribers.
        let msgs = tp.smtp.messages();
        let to_anna = msgs
            .iter()
            .find(|x| x.to.contains(&"anna@example.org".to_owned()))
            .expect("anna's message");
        assert!(to_anna.data.contains("List-Unsubscribe: <"), "{}", to_anna.data);
        assert!(to_anna.data.contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click"));
        let to_org = msgs
            .iter()
            .find(|x| x.to.contains(&dup))
            .expect("org message");
        assert!(!to_org.data.contains("List-Unsubscribe"), "organisation contacts are not a list");
        let (subject, text, html) = parts(&to_anna.data);
        assert!(text.contains("regulamin <https://ngo.example/regulamin>"), "{text}");
        assert!(html.contains("<strong>nabór</strong>"), "{html}");
        let site = wspolnie_platform::settings::load_site(db).await.expect("site");
        assert!(text.contains(site.email_footer.lines().next().unwrap_or("")));
        assert!(html.contains("newsletter/ustawienia?id="), "preferences link");
        assert_eq!(
            subject, "Nabór wniosków – małe granty 2027",
            "Polish subject survives encoding"
        );

        // The permanent refusal marks the address as bouncing, here and in the directory.
        let r = recipient(&tp, m.id, reject).await;
        assert_eq!(r.status.as_str(), "bounced");
        assert!(r.last_error.as_deref().unwrap_or("").starts_with("550"));
        assert!(
            email_bounce::Entity::find()
                .filter(email_bounce::Column::Email.eq(reject))
                .one(db)
                .await
                .expect("q")
                .is_some()
        );
        let o = organization::Entity::find_by_id(bouncing_org.id)
            .one(db)
            .await
            .expect("q")
            .expect("org");
        assert!(o.email_bounced_at.is_some(), "directory shows the bounce");

        // The temporary failure waits for a retry; the mailing is not finished yet.
        let t = recipient(&tp, m.id, "tempfail-rada@example.org").await;
        assert_eq!((t.status.as_str(), t.attempts), ("pending", 1));
        assert!(t.next_attempt_at > Utc::now());
        let status = |db| async move {
            mailing::Entity::find_by_id(m.id)
                .one(db)
                .await
                .expect("q")
                .expect("m")
                .status
        };
        assert_eq!(status(db).await.as_str(), "sending");
        // Make the retries due until the attempts run out.
        for _ in 0..10 {
            tp.exec("UPDATE mailing_recipients SET next_attempt_at = '2000-01-01T00:00:00Z' WHERE status = 'pending'").await;
            if b == Backend::Postgres {
                tp.exec("UPDATE jobs SET run_at = now() WHERE status = 'pending'").await;
            } else {
                tp.exec("UPDATE jobs SET run_at = '2000-01-01T00:00:00+00:00' WHERE status = 'pending'").await;
            }
            w.run_until_idle().await.expect("run");
        }
        let t = recipient(&tp, m.id, "tempfail-rada@example.org").await;
        assert_eq!(t.status.as_str(), "failed");
        assert_eq!(t.attempts, tp.platform.config.mailings.max_attempts);
        assert_eq!(status(db).await.as_str(), "sent");
        let s = mailings::stats(db, m.id).await.expect("stats");
        assert_eq!(s.count("sent") as usize, got.len());
        assert_eq!((s.count("bounced"), s.count("failed")), (1, 1));
        // Still exactly one message per address after all the retries.
        assert!(recipients_of(&tp.smtp).values().all(|&n| n == 1));

        // A later mailing skips the bouncing address without trying it.
        let m2 = order(
            &tp,
            "Druga wiadomość",
            "Treść",
            Audience {
                organizations: true,
                ..Default::default()
            },
        )
        .await;
        w.run_until_idle().await.expect("run");
        assert_eq!(recipient(&tp, m2.id, reject).await.status.as_str(), "skipped");
        let _ = sub_grants;
        tp.assert_no_pending_jobs().await;
    })
    .await;
}

#[tokio::test]
async fn two_workers_never_send_one_message_twice() {
    each_backend("mailings::two_workers", |b| async move {
        let tp = TestPlatform::new(b).await;
        let custom: Vec<String> = (0..150).map(|i| format!("r{i:04}@example.org")).collect();
        let m = order(
            &tp,
            "Zaproszenie",
            "Treść",
            Audience {
                custom: custom.clone(),
                ..Default::default()
            },
        )
        .await;
        // Expand first, then give the mailing a second delivery job: two workers race over
        // the same pending recipients.
        let w1 = tp.worker();
        let w2 = tp.worker();
        wspolnie_platform::jobs::enqueue(
            &tp.platform.db.conn,
            wspolnie_platform::jobs::NewJob::new(
                mailings::DELIVER_JOB,
                serde_json::json!({ "mailing_id": m.id }),
            )
            .key("second-runner"),
        )
        .await
        .expect("enqueue");
        let (a, b2) = tokio::join!(w1.run_until_idle(), w2.run_until_idle());
        a.expect("w1");
        b2.expect("w2");
        let got = recipients_of(&tp.smtp);
        assert_eq!(got.len(), custom.len(), "nobody lost");
        let twice: Vec<_> = got.iter().filter(|(_, n)| **n > 1).collect();
        assert!(twice.is_empty(), "sent twice: {twice:?} ({b:?})");
        let s = mailings::stats(&tp.platform.db.conn, m.id)
            .await
            .expect("stats");
        assert_eq!(s.count("sent"), custom.len() as i64);
    })
    .await;
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("port")
}

fn spawn_server(
    db_url: &str,
    dir: &std::path::Path,
    smtp_port: u16,
    rate: u32,
) -> std::process::Child {
    std::process::Command::new(bin())
        .arg("serve")
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("WSPOLNIE__DATA_DIR", dir)
        .env("DATABASE_URL", db_url)
        .env(
            "WSPOLNIE__SERVER__LISTEN",
            format!("127.0.0.1:{}", free_port()),
        )
        .env("WSPOLNIE__MAIL__TRANSPORT", "smtp")
        .env("WSPOLNIE__MAIL__SMTP_HOST", "127.0.0.1")
        .env("WSPOLNIE__MAIL__SMTP_PORT", smtp_port.to_string())
        .env("WSPOLNIE__MAIL__SMTP_SECURITY", "none")
        .env("WSPOLNIE__MAIL__FROM", "Urząd <ngo@wierzbin.example>")
        .env("WSPOLNIE__JOBS__POLL_INTERVAL_MS", "50")
        .env("WSPOLNIE__JOBS__LOCK_SECONDS", "3")
        .env("WSPOLNIE__MAILINGS__RATE_PER_SECOND", rate.to_string())
        .env("RUST_LOG", "warn")
        .current_dir(dir)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("spawn wspolnie")
}

/// Fault injection: the one instant a kill could cost a message (between the recipient's
/// COMMIT and the dot) is microseconds wide when the server has a core; with the whole suite
/// running beside it, the server's task waits for a core there and the test measures the
/// machine, not the code. So it is `#[ignore]`d in the parallel run and `scripts/test.sh` runs
/// it alone right after (`-- --ignored --test-threads=1`), with the same strict assertions.
#[tokio::test]
#[ignore = "fault injection, run alone by scripts/test.sh"]
async fn sigkill_in_the_middle_loses_and_duplicates_nothing() {
    each_backend("mailings::sigkill", |b| async move {
        let tp = TestPlatform::new(b).await;
        let n = 900;
        let custom: Vec<String> = (0..n).map(|i| format!("k{i:04}@example.org")).collect();
        let m = order(
            &tp,
            "Kalendarz na grudzień",
            "Treść",
            Audience {
                custom,
                ..Default::default()
            },
        )
        .await;
        let dir = tempfile::tempdir().expect("dir");
        let url = tp.platform.config.database.url.clone();
        let port = tp.smtp.addr.port();
        let mut child = spawn_server(&url, dir.path(), port, 300);
        // Kill once a good part, but not all, has been handed over.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
        while tp.smtp.messages().len() < n / 3 {
            assert!(
                std::time::Instant::now() < deadline,
                "sending did not start"
            );
            if let Ok(Some(s)) = child.try_wait() {
                panic!("server exited: {s}");
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        child.kill().expect("SIGKILL");
        let killed = std::time::Instant::now();
        child.wait().expect("reap");
        let at_kill = tp.smtp.messages().len();
        assert!(at_kill < n, "killed in the middle ({at_kill} of {n})");
        // Start again: the lock of the dead worker expires and delivery continues.
        let mut child = spawn_server(&url, dir.path(), port, 300);
        let mut resumed = None;
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(90);
        loop {
            let cur = mailing::Entity::find_by_id(m.id)
                .one(&tp.platform.db.conn)
                .await
                .expect("q")
                .expect("m");
            if resumed.is_none() && tp.smtp.messages().len() > at_kill {
                resumed = Some(killed.elapsed());
            }
            if cur.status.as_str() == "sent" {
                break;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "mailing did not finish after restart"
            );
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        child.kill().expect("stop");
        child.wait().expect("reap");
        let got = recipients_of(&tp.smtp);
        let total: usize = got.values().sum();
        let dups = got.values().filter(|&&c| c > 1).count();
        eprintln!(
            "[{b:?}] killed after {at_kill} of {n}; sending resumed {resumed:?} after the kill (lock 3 s); received {total}, unique {}, duplicates {dups}",
            got.len()
        );
        assert_eq!(got.len(), n, "zero lost");
        assert_eq!(total, n, "zero duplicates");
        let s = mailings::stats(&tp.platform.db.conn, m.id)
            .await
            .expect("stats");
        assert_eq!(s.count("sent"), n as i64);
    })
    .await;
}

/// Issue 15, item 5: on SIGTERM a mailing stops between two messages and puts its job back (due
/// now, unlocked, no attempt used) instead of sending through the grace period and leaving the
/// job `running` until its lock expires; a restart resumes at once and sends nothing twice.
#[tokio::test]
async fn sigterm_stops_a_mailing_between_messages_and_puts_its_job_back() {
    use wspolnie_platform::entity::job;
    each_backend("mailings::sigterm", |b| async move {
        let tp = TestPlatform::new(b).await;
        let n = 600;
        let custom: Vec<String> = (0..n).map(|i| format!("t{i:04}@example.org")).collect();
        let m = order(
            &tp,
            "Zaproszenie na forum",
            "Treść",
            Audience {
                custom,
                ..Default::default()
            },
        )
        .await;
        let dir = tempfile::tempdir().expect("dir");
        let url = tp.platform.config.database.url.clone();
        let port = tp.smtp.addr.port();
        // 100 messages a second: the rest takes about 5 s, well within the 20 s grace period.
        let mut child = spawn_server(&url, dir.path(), port, 100);
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
        while tp.smtp.messages().len() < 60 {
            assert!(std::time::Instant::now() < deadline, "sending did not start");
            if let Ok(Some(s)) = child.try_wait() {
                panic!("server exited: {s}");
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        let signalled = std::time::Instant::now();
        let sent = std::process::Command::new("kill")
            .arg("-TERM")
            .arg(child.id().to_string())
            .status()
            .expect("kill -TERM");
        assert!(sent.success());
        let status = child.wait().expect("wait");
        let stopped_in = signalled.elapsed();
        let at_stop = tp.smtp.messages().len();
        eprintln!("[{b:?}] SIGTERM after 60+ messages: exited ({status}) in {stopped_in:?} with {at_stop} of {n} sent");
        assert!(at_stop < n, "stopped between messages, not after sending everything ({b:?})");
        let db = &tp.platform.db.conn;
        let deliver: Vec<job::Model> = job::Entity::find()
            .filter(job::Column::Kind.eq(mailings::DELIVER_JOB))
            .all(db)
            .await
            .expect("jobs");
        assert_eq!(deliver.len(), 1);
        let j = &deliver[0];
        assert_eq!(j.status, "pending", "the job is back in the queue");
        assert_eq!(j.locked_by, None, "its lock is released");
        assert_eq!(j.locked_until, None);
        assert_eq!(j.attempts, 0, "no attempt used");
        assert!(j.run_at <= Utc::now(), "due at once");
        let s = mailings::stats(db, m.id).await.expect("stats");
        assert_eq!(s.count("sent"), at_stop as i64, "recorded as sent = received");

        let restarted = std::time::Instant::now();
        let mut child = spawn_server(&url, dir.path(), port, 300);
        let mut resumed = None;
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(90);
        loop {
            if resumed.is_none() && tp.smtp.messages().len() > at_stop {
                resumed = Some(restarted.elapsed());
            }
            let cur = mailing::Entity::find_by_id(m.id).one(db).await.expect("q").expect("m");
            if cur.status.as_str() == "sent" {
                break;
            }
            assert!(std::time::Instant::now() < deadline, "mailing did not finish after restart");
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        child.kill().expect("stop");
        child.wait().expect("reap");
        eprintln!("[{b:?}] after the restart the first message went out in {resumed:?} (process start included)");
        let got = recipients_of(&tp.smtp);
        assert_eq!(got.len(), n, "zero lost");
        assert_eq!(got.values().sum::<usize>(), n, "zero duplicates");
    })
    .await;
}

/// Issue 15, item 6: a message whose connection died after the final dot, before the server's
/// reply, is counted as unconfirmed (not as sent) and can be sent again, with the same
/// Message-ID.
#[tokio::test]
async fn a_reply_lost_after_the_dot_counts_as_unconfirmed_and_can_be_sent_again() {
    each_backend("mailings::unconfirmed", |b| async move {
        let tp = TestPlatform::new(b).await;
        let smtp = FakeSmtp::start();
        smtp.set_drop_vanish(true);
        let platform = tp.platform_with(smtp.port, |_| {}).await;
        let addrs = ["a@example.org", "vanish@example.org", "c@example.org"];
        let m = order(
            &tp,
            "Ogłoszenie",
            "Treść",
            Audience {
                custom: addrs.iter().map(|a| a.to_string()).collect(),
                ..Default::default()
            },
        )
        .await;
        let worker = || {
            wspolnie_platform::jobs::Worker::new(platform.clone(), wspolnie_areas::job_registry())
        };
        worker().run_until_idle().await.expect("run");
        let db = &tp.platform.db.conn;
        let s = mailings::stats(db, m.id).await.expect("stats");
        assert_eq!(s.count("sent"), 2, "{b:?}");
        assert_eq!(s.count("unconfirmed"), 1, "{b:?}");
        assert_eq!(
            recipient(&tp, m.id, "vanish@example.org")
                .await
                .status
                .as_str(),
            "unconfirmed"
        );
        assert_eq!(
            smtp.count_for("vanish@example.org"),
            1,
            "the server did get it"
        );
        let cur = mailing::Entity::find_by_id(m.id)
            .one(db)
            .await
            .expect("q")
            .expect("m");
        assert_eq!(
            cur.status.as_str(),
            "sent",
            "nothing left to send on its own"
        );

        smtp.set_drop_vanish(false);
        let n = mailings::resend_unconfirmed(db, &cur, &Actor::system("test"))
            .await
            .expect("resend");
        assert_eq!(n, 1);
        worker().run_until_idle().await.expect("run");
        let s = mailings::stats(db, m.id).await.expect("stats");
        assert_eq!((s.count("sent"), s.count("unconfirmed")), (3, 0));
        let cur = mailing::Entity::find_by_id(m.id)
            .one(db)
            .await
            .expect("q")
            .expect("m");
        assert_eq!(cur.status.as_str(), "sent");
        let copies: Vec<String> = smtp
            .messages()
            .into_iter()
            .filter(|x| x.to.iter().any(|t| t == "vanish@example.org"))
            .map(|x| {
                mailparse::parse_mail(x.data.as_bytes())
                    .expect("mime")
                    .headers
                    .iter()
                    .find(|h| h.get_key().eq_ignore_ascii_case("Message-ID"))
                    .map(|h| h.get_value())
                    .unwrap_or_default()
            })
            .collect();
        assert_eq!(copies.len(), 2);
        assert!(
            !copies[0].is_empty() && copies[0] == copies[1],
            "same Message-ID: {copies:?}"
        );
        assert_eq!(smtp.count_for("a@example.org"), 1);
        tp.assert_no_pending_jobs().await;
    })
    .await;
}

#[tokio::test]
async fn address_check_and_digest() {
    each_backend("mailings::address_check_digest", |b| async move {
        let app = TestApp::new(b).await;
        let tp = &app.tp;
        let db = &tp.platform.db.conn;
        // Address check to every published organisation.
        let txn = wspolnie_platform::db::begin_write(db).await.expect("txn");
        let m = mailings::start_address_check(
            &txn,
            wspolnie_platform::i18n::Lang::Pl,
            &Actor::system("test"),
        )
        .await
        .expect("campaign");
        txn.commit().await.expect("commit");
        tp.worker().run_until_idle().await.expect("run");
        let msgs = tp.smtp.messages();
        let published = organization::Entity::find()
            .filter(organization::Column::Status.eq("published"))
            .filter(organization::Column::Email.is_not_null())
            .all(db)
            .await
            .expect("orgs");
        let distinct: std::collections::BTreeSet<String> = published
            .iter()
            .filter_map(|o| o.email.as_deref())
            .filter_map(wspolnie_areas::accounts::model::normalize_email)
            .collect();
        assert_eq!(msgs.len(), distinct.len(), "one request per address");
        let first = &msgs[0];
        let (_, text, _) = parts(&first.data);
        let link = extract_between(&text, "Adres jest aktualny: ", "\n")
            .expect("confirmation link in the message");
        let path = link.trim().trim_start_matches(&app.base).to_owned();
        // Opening the link changes nothing (mail scanners); the button confirms.
        let (status, html) = app.get_text(&path).await;
        assert_eq!(status, 200);
        let s = mailings::stats(db, m.id).await.expect("stats");
        assert_eq!(s.confirmed, 0);
        let token = extract_between(&html, "name=\"_csrf\" value=\"", "\"").expect("csrf");
        let r = app
            .client
            .post(app.url(&path))
            .form(&[("_csrf", token.as_str())])
            .send()
            .await
            .expect("post");
        // Post/redirect/get: back to the link, which now shows the address confirmed.
        assert_eq!(r.status(), 303);
        assert_eq!(crate::accounts::location(&r), path);
        let (status, done) = app.get_text(&path).await;
        assert_eq!(status, 200);
        assert!(
            done.contains("jest potwierdzony"),
            "the link shows the address confirmed"
        );
        let s = mailings::stats(db, m.id).await.expect("stats");
        assert_eq!(s.confirmed, 1);
        // A tampered signature is a 404.
        let (status, _) = app.get_text(&format!("{}0", path)).await;
        assert_eq!(status, 404);

        // Weekly digest: only for subscribers of the digest topic, in their language; nothing
        // new means no digest.
        subscriber(tp, "digest-pl@example.org", "digest", "pl").await;
        subscriber(tp, "digest-en@example.org", "digest", "en").await;
        subscriber(tp, "events-only@example.org", "events", "pl").await;
        let before = tp.smtp.messages().len();
        let made = mailings::make_digests(&tp.platform, Utc::now())
            .await
            .expect("digest");
        assert_eq!(
            made.len(),
            2,
            "the demo has new events: one digest per language"
        );
        tp.worker().run_until_idle().await.expect("run");
        let new: Vec<_> = tp.smtp.messages().into_iter().skip(before).collect();
        let to: Vec<String> = new.iter().flat_map(|m| m.to.clone()).collect();
        assert_eq!(to.len(), 2, "{to:?}");
        assert!(to.contains(&"digest-pl@example.org".to_owned()));
        assert!(to.contains(&"digest-en@example.org".to_owned()));
        let pl = new
            .iter()
            .find(|m| m.to[0] == "digest-pl@example.org")
            .expect("pl");
        let (subject, _, html) = parts(&pl.data);
        assert!(subject.starts_with("Podsumowanie tygodnia"), "{subject}");
        assert!(html.contains("/kalendarz/"), "{html}");
        // The next digest covers only what came after this one: nothing now.
        let again = mailings::make_digests(&tp.platform, Utc::now() + Duration::seconds(1))
            .await
            .expect("digest");
        assert!(again.is_empty(), "nothing new since the last digest");
        // Scheduling is once per ISO week.
        let cfg = &tp.platform.config.mailings;
        let monday_noon = chrono::DateTime::parse_from_rfc3339("2026-12-07T11:00:00Z")
            .expect("t")
            .with_timezone(&Utc);
        assert!(
            mailings::schedule_digest(db, cfg, monday_noon)
                .await
                .expect("s")
        );
        assert!(
            !mailings::schedule_digest(db, cfg, monday_noon + Duration::hours(5))
                .await
                .expect("s")
        );
        let next_monday_early = monday_noon + Duration::days(7) - Duration::hours(6);
        assert!(
            !mailings::schedule_digest(db, cfg, next_monday_early)
                .await
                .expect("s"),
            "not before the configured hour"
        );
    })
    .await;
}

#[tokio::test]
async fn official_composes_previews_tests_schedules_and_stops_a_mailing() {
    use crate::accounts::location;
    use crate::accounts::make_user;
    use crate::accounts::post_form;
    use crate::accounts::staff_sign_in;
    each_backend("mailings::composer", |b| async move {
        let app = TestApp::new(b).await;
        let db = &app.tp.platform.db.conn;
        let id = make_user(&app, "wysylki@wierzbin.example", "hasło do wysyłek 2026", Some(&[("official", "mailing")])).await;
        staff_sign_in(&app, "wysylki@wierzbin.example", "hasło do wysyłek 2026", id).await;
        let (status, page) = app.get_text("/panel/wysylki/nowa").await;
        assert_eq!(status, 200, "{page}");

        // Bad input: every error next to its field, the text kept, nothing stored.
        let body = "Zapraszamy na **spotkanie**.\n\n- punkt pierwszy\n- punkt drugi";
        let bad = [
            ("action", "wyslij"),
            ("subject", "Ab"),
            ("body", body),
            ("custom", "dobry@example.org\nto nie jest adres"),
            ("send_date", "2020-01-01"),
            ("send_time", "09:00"),
        ];
        let r = post_form(&app, "/panel/wysylki/nowa", "/panel/wysylki/nowa", &bad).await;
        assert_eq!(r.status(), 200);
        let html = r.text().await.expect("html");
        assert!(html.contains("Podaj temat"), "subject error");
        assert!(html.contains("2 (to nie jest adres)"), "the bad line is named");
        assert!(html.contains("Termin wysyłki już minął"), "past time");
        assert!(html.contains("punkt pierwszy"), "body kept");
        assert!(html.contains("dobry@example.org"), "custom list kept");
        assert_eq!(app.tp.scalar_i64("SELECT COUNT(*) FROM mailings").await, 0);

        // Preview: rendered HTML and text, the audience counted, nothing stored.
        let good = [
            ("subject", "Spotkanie Rady Działalności Pożytku Publicznego"),
            ("body", body),
            ("lang", "pl"),
            ("organizations", "1"),
            ("topic", "meetings"),
            ("custom", "gosc@example.org"),
        ];
        let mut f = good.to_vec();
        f.push(("action", "podglad"));
        let r = post_form(&app, "/panel/wysylki/nowa", "/panel/wysylki/nowa", &f).await;
        let html = r.text().await.expect("html");
        assert!(html.contains("<strong>spotkanie</strong>"), "HTML preview");
        assert!(html.contains("- punkt pierwszy"), "text preview");
        let published = app.tp.scalar_i64("SELECT COUNT(DISTINCT LOWER(email)) FROM organizations WHERE status = 'published' AND email IS NOT NULL").await;
        assert!(html.contains(&format!("organizacje: {published}")), "audience counted");
        assert_eq!(app.tp.scalar_i64("SELECT COUNT(*) FROM mailings").await, 0);

        // "Insert the calendar": the coming month's events are appended to the text, nothing stored.
        let mut f = good.to_vec();
        f.push(("action", "kalendarz"));
        let r = post_form(&app, "/panel/wysylki/nowa", "/panel/wysylki/nowa", &f).await;
        let html = r.text().await.expect("html");
        let textarea = extract_between(&html, "name=\"body\"", "</textarea>").expect("body field");
        assert!(textarea.contains("punkt pierwszy") && textarea.contains("## Kalendarz na najbliższe 30 dni"), "{textarea}");
        assert!(textarea.contains("/kalendarz/"), "events of the demo are listed: {textarea}");
        assert_eq!(app.tp.scalar_i64("SELECT COUNT(*) FROM mailings").await, 0);

        // Test send to oneself: a draft is stored and one message goes to the official only.
        let mut f = good.to_vec();
        f.push(("action", "test"));
        let r = post_form(&app, "/panel/wysylki/nowa", "/panel/wysylki/nowa", &f).await;
        assert_eq!(r.status(), 200);
        assert!(r.text().await.expect("html").contains("wysylki@wierzbin.example"));
        crate::directory::run_jobs(&app).await;
        let msgs = app.tp.smtp.messages();
        let tests: Vec<_> = msgs.iter().filter(|m| m.data.contains("-test-")).collect();
        assert_eq!(tests.len(), 1);
        assert_eq!(tests[0].to, vec!["wysylki@wierzbin.example".to_owned()]);
        let m = mailing::Entity::find().one(db).await.expect("q").expect("draft");
        assert_eq!(m.status.as_str(), "draft");
        assert!(m.test_sent_at.is_some());

        // Schedule for tomorrow 09:00 Warsaw, then stop it: it goes back to a draft.
        let tomorrow = (Utc::now() + Duration::days(1))
            .with_timezone(&wspolnie_core::time::TZ)
            .date_naive()
            .to_string();
        let mut f = good.to_vec();
        f.push(("action", "wyslij"));
        f.push(("send_date", tomorrow.as_str()));
        f.push(("send_time", "09:00"));
        let path = format!("/panel/wysylki/{}", m.id);
        let r = post_form(&app, &path, &path, &f).await;
        assert_eq!(r.status(), 303);
        assert_eq!(location(&r), path);
        let m = mailing::Entity::find_by_id(m.id).one(db).await.expect("q").expect("m");
        assert_eq!(m.status.as_str(), "scheduled");
        assert!(m.body_html.contains("<li>punkt drugi</li>"), "body frozen when ordered");
        crate::directory::run_jobs(&app).await;
        assert_eq!(app.tp.smtp.messages().len(), msgs.len(), "nothing sent before its time");
        let (_, detail) = app.get_text(&path).await;
        assert!(detail.contains("Wstrzymaj wysyłkę"));
        let r = post_form(&app, &format!("{path}/anuluj"), &path, &[]).await;
        assert_eq!(r.status(), 303);
        let m = mailing::Entity::find_by_id(m.id).one(db).await.expect("q").expect("m");
        assert_eq!(m.status.as_str(), "draft");

        // Send now: everyone once, the detail page shows the per-recipient status.
        let mut f = good.to_vec();
        f.push(("action", "wyslij"));
        let r = post_form(&app, &path, &path, &f).await;
        assert_eq!(r.status(), 303);
        crate::directory::run_jobs(&app).await;
        let m = mailing::Entity::find_by_id(m.id).one(db).await.expect("q").expect("m");
        assert_eq!(m.status.as_str(), "sent");
        let s = mailings::stats(db, m.id).await.expect("stats");
        assert_eq!(s.count("sent"), published + 1);
        let (_, detail) = app.get_text(&format!("{path}?status=sent")).await;
        assert!(detail.contains(&format!("wysłano ({})", published + 1)), "per-status counts");
        let csv = app.get(&format!("{path}/odbiorcy.csv")).await.text().await.expect("csv");
        assert!(csv.starts_with('\u{feff}') && csv.contains("gosc@example.org;"));
        // Audited.
        assert!(app.tp.scalar_i64("SELECT COUNT(*) FROM audit_log WHERE action = 'mailing.send'").await >= 2);
        // A sent mailing cannot be edited any more.
        let r = post_form(&app, &path, &path, &f).await;
        assert_eq!(r.status(), 303);
        let again = mailings::stats(db, m.id).await.expect("stats");
        assert_eq!(again, s);

        // Bouncing addresses: listed with their organisation, and forgotten on request.
        let org = organization::Entity::find()
            .filter(organization::Column::Status.eq("published"))
            .filter(organization::Column::Email.is_not_null())
            .one(db)
            .await
            .expect("q")
            .expect("org");
        let email = org.email.clone().expect("email");
        mailings::mark_bouncing(db, &email, "550 5.1.1 no such user", None).await.expect("bounce");
        let (_, page) = app.get_text("/panel/wysylki/adresaci").await;
        assert!(page.contains("550 5.1.1 no such user") && page.contains(&format!("/organizacje/{}", org.slug)), "{page}");
        let b = email_bounce::Entity::find().one(db).await.expect("q").expect("row");
        let r = post_form(&app, &format!("/panel/wysylki/adresaci/odbite/{}", b.id), "/panel/wysylki/adresaci", &[]).await;
        assert_eq!(r.status(), 303);
        assert_eq!(app.tp.scalar_i64("SELECT COUNT(*) FROM email_bounces").await, 0);
        let o = organization::Entity::find_by_id(org.id).one(db).await.expect("q").expect("org");
        assert!(o.email_bounced_at.is_none(), "the directory flag is cleared too");
        assert_eq!(app.tp.scalar_i64("SELECT COUNT(*) FROM audit_log WHERE action = 'mailing.bounce_cleared'").await, 1);
    })
    .await;
}
