//! Mail and job reliability (issue 15, items 7 and 14): mail outlives a long SMTP outage and
//! resumes as soon as the server answers, transactional mail is handed over exactly once across
//! a worker dying after the dot, and administrators see and retry undelivered mail.

use crate::accounts::location;
use crate::accounts::make_user;
use crate::accounts::post_form;
use crate::accounts::staff_sign_in;
use crate::common::*;
use chrono::{Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use wspolnie_platform::entity::job;
use wspolnie_platform::jobs;
use wspolnie_platform::jobs::RetryPolicy;
use wspolnie_platform::jobs::Worker;
use wspolnie_platform::mail;

fn mail_to(to: &str) -> mail::MailJob {
    mail::MailJob {
        to: to.into(),
        template: "test".into(),
        lang: Default::default(),
        vars: serde_json::json!({ "requested_by": "test" })
            .as_object()
            .cloned()
            .unwrap_or_default(),
    }
}

async fn mail_job(db: &sea_orm::DatabaseConnection, to: &str) -> job::Model {
    job::Entity::find()
        .filter(job::Column::Kind.eq(mail::SEND_JOB))
        .filter(job::Column::Payload.contains(to))
        .one(db)
        .await
        .expect("query")
        .expect("mail job")
}

/// Makes every waiting job due now: the time between attempts, passed without waiting for it.
async fn fast_forward(db: &sea_orm::DatabaseConnection) {
    job::Entity::update_many()
        .col_expr(
            job::Column::RunAt,
            Expr::value(Utc::now() - Duration::seconds(1)),
        )
        .filter(job::Column::Status.eq(jobs::PENDING))
        .exec(db)
        .await
        .expect("fast forward");
}

#[tokio::test]
async fn mail_waits_out_a_long_outage_and_resumes_when_the_server_answers() {
    each_backend("delivery::outage", |b| async move {
        let tp = TestPlatform::new(b).await;
        let smtp = FakeSmtp::start();
        smtp.set_mode(SmtpMode::Down);
        let platform = tp.platform_with(smtp.port, |_| {}).await;
        let db = &platform.db.conn;
        let kinds = wspolnie_areas::job_registry().mail_kinds(&platform.config.jobs);
        assert!(
            kinds.contains(&mail::SEND_JOB.to_owned())
                && kinds.contains(&"mailing.deliver".to_owned())
        );
        for to in ["a@example.org", "b@example.org", "old@example.org"] {
            mail::enqueue_mail(db, mail_to(to), None)
                .await
                .expect("enqueue");
        }
        // One message was queued more than the retry window ago.
        let old = mail_job(db, "old@example.org").await;
        job::Entity::update_many()
            .col_expr(
                job::Column::CreatedAt,
                Expr::value(Utc::now() - Duration::hours(73)),
            )
            .filter(job::Column::Id.eq(old.id))
            .exec(db)
            .await
            .expect("age");
        let w = Worker::new(platform.clone(), wspolnie_areas::job_registry());
        // Twelve failed attempts (more than the 8 a job gets by default), time passing between
        // them as fast as the test can make it.
        for _ in 0..12 {
            w.run_until_idle().await.expect("run");
            fast_forward(db).await;
        }
        w.run_until_idle().await.expect("run");
        for to in ["a@example.org", "b@example.org"] {
            let j = mail_job(db, to).await;
            assert_eq!(
                j.status,
                jobs::PENDING,
                "{to}: still waiting after {} attempts ({b:?})",
                j.attempts
            );
            assert_eq!(j.attempts, 13);
            assert!(
                j.run_at <= Utc::now() + Duration::seconds(900 + 5),
                "{to}: the next attempt is at most 15 minutes away, not {}",
                j.run_at - Utc::now()
            );
        }
        assert_eq!(
            mail_job(db, "old@example.org").await.status,
            jobs::DEAD,
            "given up after 72 hours"
        );
        let outage = jobs::mail_outage(db, &kinds)
            .await
            .expect("outage")
            .expect("an outage is reported");
        assert_eq!(outage.waiting, 2);
        assert!(smtp.messages().is_empty());

        // The server is back. A new message goes out at once and wakes the waiting ones, far
        // before their own next attempt.
        smtp.set_mode(SmtpMode::Up);
        mail::enqueue_mail(db, mail_to("new@example.org"), None)
            .await
            .expect("enqueue");
        w.run_until_idle().await.expect("run");
        for to in ["a@example.org", "b@example.org", "new@example.org"] {
            assert_eq!(smtp.count_for(to), 1, "{to} delivered once ({b:?})");
            assert_eq!(mail_job(db, to).await.status, jobs::DONE);
        }
        assert_eq!(jobs::mail_outage(db, &kinds).await.expect("outage"), None);

        // An administrator's retry of the dead message.
        assert!(jobs::retry_now(db, old.id).await.expect("retry"));
        w.run_until_idle().await.expect("run");
        assert_eq!(smtp.count_for("old@example.org"), 1);
        tp.assert_no_pending_jobs().await;
    })
    .await;
}

#[tokio::test]
async fn transactional_mail_cut_off_after_the_dot_is_not_sent_again() {
    each_backend("delivery::exactly_once", |b| async move {
        let tp = TestPlatform::new(b).await;
        let smtp = FakeSmtp::start();
        smtp.set_mode(SmtpMode::HangAfterDot);
        let platform = tp
            .platform_with(smtp.port, |c| {
                c.jobs.lock_seconds = 1;
                c.mail.smtp_timeout_seconds = 60;
            })
            .await;
        let db = platform.db.conn.clone();
        mail::enqueue_mail(
            &db,
            mail_to("anna@example.org"),
            Some("invitation-1".into()),
        )
        .await
        .expect("enqueue");
        let w = Worker::new(platform.clone(), wspolnie_areas::job_registry());
        let run = tokio::spawn(async move { w.run_until_idle().await });
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
        while smtp.messages().is_empty() {
            assert!(
                std::time::Instant::now() < deadline,
                "the message did not reach the server"
            );
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
        // The worker dies between the dot and the server's reply (as a SIGKILL would stop it:
        // no further code of that worker runs, its heartbeat included).
        run.abort();
        let _ = run.await;
        smtp.set_mode(SmtpMode::Up);
        // Longer than the dead worker's lock: a second worker may take over whatever is left.
        tokio::time::sleep(std::time::Duration::from_millis(2500)).await;
        Worker::new(platform.clone(), wspolnie_areas::job_registry())
            .run_until_idle()
            .await
            .expect("run");
        assert_eq!(
            smtp.count_for("anna@example.org"),
            1,
            "handed over once ({b:?})"
        );
        assert_eq!(mail_job(&db, "anna@example.org").await.status, jobs::DONE);
    })
    .await;
}

#[tokio::test]
async fn admins_see_undelivered_mail_with_a_banner_and_retry_it() {
    each_backend("delivery::admin", |b| async move {
        let app = TestApp::with_demo(b, false).await;
        let db = &app.tp.platform.db.conn;
        let policy = RetryPolicy::mail(&app.tp.platform.config.jobs);
        // As the worker leaves them: one message waiting after a failure, one dead.
        mail::enqueue_mail(db, mail_to("waiting@example.org"), None).await.expect("enqueue");
        let j = jobs::claim(db, "w", 30).await.expect("claim").expect("job");
        jobs::mark_failed_with(db, &j, "w", "connecting to 127.0.0.1: refused", false, &policy)
            .await
            .expect("fail");
        mail::enqueue_mail(db, mail_to("dead@example.org"), None).await.expect("enqueue");
        let j = jobs::claim(db, "w", 30).await.expect("claim").expect("job");
        jobs::mark_failed_with(db, &j, "w", "550 no such user", true, &policy)
            .await
            .expect("fail");
        let dead = mail_job(db, "dead@example.org").await;
        assert_eq!(dead.status, jobs::DEAD);

        let admin = make_user(&app, "admin@example.pl", "hasło administratora", Some(&[("admin", "")])).await;
        staff_sign_in(&app, "admin@example.pl", "hasło administratora", admin).await;
        let (status, html) = app.get_text("/panel").await;
        assert_eq!(status, 200);
        assert!(html.contains("Poczta nie wychodzi."), "the banner on the panel");
        assert!(html.contains("connecting to 127.0.0.1: refused"));
        assert!(html.contains("href=\"/panel/admin/poczta\""), "linked from the panel");
        let (status, html) = app.get_text("/panel/admin/poczta").await;
        assert_eq!(status, 200);
        assert_eq!(html.matches("<h1").count(), 1);
        assert!(html.contains("<th scope=\"col\">"));
        assert!(html.contains("waiting@example.org") && html.contains("dead@example.org"));
        assert!(html.contains("550 no such user"));
        let id = dead.id.to_string();
        let r = post_form(&app, "/panel/admin/poczta/ponow", "/panel/admin/poczta", &[("job", &id)]).await;
        assert_eq!(location(&r), "/panel/admin/poczta");
        let after = mail_job(db, "dead@example.org").await;
        assert_eq!(after.status, jobs::PENDING, "queued again");
        assert_eq!(
            app.tp.scalar_i64(&format!("SELECT COUNT(*) FROM audit_log WHERE action = 'job.retry' AND entity_id = '{id}'")).await,
            1,
            "the retry is audited"
        );
        // The worker delivers both; the banner is gone.
        app.tp.worker().run_until_idle().await.expect("run");
        assert_eq!(app.tp.smtp.messages().len(), 2);
        let (_, html) = app.get_text("/panel").await;
        assert!(!html.contains("Poczta nie wychodzi."));
    })
    .await;
}
