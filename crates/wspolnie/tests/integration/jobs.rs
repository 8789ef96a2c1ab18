use crate::common::*;
use sea_orm::EntityTrait;
use std::collections::HashSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;
use tokio_util::sync::CancellationToken;
use wspolnie_platform::entity::job;
use wspolnie_platform::jobs;
use wspolnie_platform::jobs::ClaimedJob;
use wspolnie_platform::jobs::JobContext;
use wspolnie_platform::jobs::JobError;
use wspolnie_platform::jobs::JobHandler;
use wspolnie_platform::jobs::NewJob;
use wspolnie_platform::jobs::Registry;
use wspolnie_platform::jobs::Worker;

#[tokio::test]
async fn enqueue_commits_or_rolls_back_with_the_business_write() {
    each_backend("outbox tx", |b| async move {
        let tp = TestPlatform::new(b).await;
        let db = &tp.platform.db.conn;
        let txn = wspolnie_platform::db::begin_write(db).await.expect("begin");
        wspolnie_platform::settings::set(&txn, "site.city_name", "Nigdzie")
            .await
            .expect("write");
        jobs::enqueue(&txn, NewJob::new("test.noop", serde_json::json!({})))
            .await
            .expect("enqueue");
        txn.rollback().await.expect("rollback");
        assert_eq!(
            tp.scalar_i64("SELECT COUNT(*) FROM jobs").await,
            0,
            "rolled back: no job"
        );

        let txn = wspolnie_platform::db::begin_write(db).await.expect("begin");
        wspolnie_platform::settings::set(&txn, "site.city_name", "Wierzbin")
            .await
            .expect("write");
        jobs::enqueue(&txn, NewJob::new("test.noop", serde_json::json!({})))
            .await
            .expect("enqueue");
        txn.commit().await.expect("commit");
        assert_eq!(
            tp.scalar_i64("SELECT COUNT(*) FROM jobs").await,
            1,
            "committed: one job"
        );
        tp.exec("DELETE FROM jobs").await;
    })
    .await;
}

#[tokio::test]
async fn idempotency_key_makes_a_second_enqueue_a_no_op() {
    each_backend("idempotency", |b| async move {
        let tp = TestPlatform::new(b).await;
        let db = &tp.platform.db.conn;
        let first = jobs::enqueue(
            db,
            NewJob::new("test.noop", 1).key("mailing:7:anna@example.pl"),
        )
        .await
        .expect("1");
        let second = jobs::enqueue(
            db,
            NewJob::new("test.noop", 2).key("mailing:7:anna@example.pl"),
        )
        .await
        .expect("2");
        assert!(first && !second);
        assert_eq!(tp.scalar_i64("SELECT COUNT(*) FROM jobs").await, 1);
        tp.exec("DELETE FROM jobs").await;
    })
    .await;
}

#[tokio::test]
async fn concurrent_claims_never_hand_out_a_job_twice() {
    each_backend("atomic claim", |b| async move {
        let tp = TestPlatform::new(b).await;
        let db = &tp.platform.db.conn;
        for i in 0..60 {
            jobs::enqueue(db, NewJob::new("test.noop", i))
                .await
                .expect("enqueue");
        }
        let mut handles = Vec::new();
        for w in 0..6 {
            let conn = db.clone();
            handles.push(tokio::spawn(async move {
                let mut mine = Vec::new();
                while let Some(j) = jobs::claim(&conn, &format!("w{w}"), 300)
                    .await
                    .expect("claim")
                {
                    mine.push(j.id);
                }
                mine
            }));
        }
        let mut all = Vec::new();
        for h in handles {
            all.extend(h.await.expect("join"));
        }
        let distinct: HashSet<i64> = all.iter().copied().collect();
        assert_eq!(all.len(), 60, "every job claimed exactly once");
        assert_eq!(distinct.len(), 60);
        tp.exec("DELETE FROM jobs").await;
    })
    .await;
}

struct Flaky {
    calls: Arc<AtomicUsize>,
    permanent: bool,
}

#[async_trait::async_trait]
impl JobHandler for Flaky {
    async fn run(&self, _ctx: &JobContext, _job: &ClaimedJob) -> Result<(), JobError> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        if self.permanent {
            Err(JobError::Permanent("bad payload".into()))
        } else {
            Err(JobError::Retry("smtp busy".into()))
        }
    }
}

#[tokio::test]
async fn failures_retry_with_backoff_then_go_dead() {
    each_backend("retry", |b| async move {
        let tp = TestPlatform::new(b).await;
        let db = &tp.platform.db.conn;
        let calls = Arc::new(AtomicUsize::new(0));
        let mut reg = Registry::new();
        reg.register(
            "test.flaky",
            Flaky {
                calls: calls.clone(),
                permanent: false,
            },
        );
        reg.register(
            "test.broken",
            Flaky {
                calls: calls.clone(),
                permanent: true,
            },
        );
        let worker = Worker::new(tp.platform.clone(), reg);
        jobs::enqueue(db, NewJob::new("test.flaky", 0).attempts(3))
            .await
            .expect("enqueue");
        let before = chrono::Utc::now();
        assert_eq!(
            worker.run_until_idle().await.expect("run"),
            1,
            "a failed job is not retried at once"
        );
        let j = job::Entity::find().one(db).await.expect("q").expect("job");
        assert_eq!((j.status.as_str(), j.attempts), ("pending", 1));
        assert!(
            j.run_at >= before + chrono::Duration::seconds(14),
            "backoff pushes run_at into the future"
        );
        assert_eq!(j.last_error.as_deref(), Some("smtp busy"));
        // Make it due again twice: the third failure is the last attempt.
        for expected in [2, 3] {
            tp.exec("UPDATE jobs SET run_at = created_at").await;
            worker.run_until_idle().await.expect("run");
            let j = job::Entity::find().one(db).await.expect("q").expect("job");
            assert_eq!(j.attempts, expected);
        }
        let j = job::Entity::find().one(db).await.expect("q").expect("job");
        assert_eq!(j.status.as_str(), "dead");
        assert!(j.finished_at.is_some());
        assert!(jobs::retry_dead(db, j.id).await.expect("retry dead"));
        tp.exec("DELETE FROM jobs").await;

        jobs::enqueue(db, NewJob::new("test.broken", 0))
            .await
            .expect("enqueue");
        worker.run_until_idle().await.expect("run");
        let j = job::Entity::find().one(db).await.expect("q").expect("job");
        assert_eq!(
            (j.status.as_str(), j.attempts),
            ("dead", 1),
            "permanent errors are not retried"
        );
        assert_eq!(calls.load(Ordering::SeqCst), 4);
        tp.exec("DELETE FROM jobs").await;
        // Unknown kinds are dead letters, not infinite retries.
        jobs::enqueue(db, NewJob::new("test.unknown", 0))
            .await
            .expect("enqueue");
        tp.worker().run_until_idle().await.expect("run");
        assert_eq!(
            tp.scalar_i64("SELECT COUNT(*) FROM jobs WHERE status = 'dead'")
                .await,
            1
        );
        tp.exec("DELETE FROM jobs").await;
    })
    .await;
}

#[tokio::test]
async fn a_job_of_a_crashed_worker_is_taken_over_when_its_lock_expires() {
    each_backend("lock takeover", |b| async move {
        let tp = TestPlatform::new(b).await;
        let db = &tp.platform.db.conn;
        jobs::enqueue(db, NewJob::new("test.noop", 0))
            .await
            .expect("enqueue");
        // Worker A claims with a lock that expires at once, then "dies".
        let a = jobs::claim(db, "crashed", -1)
            .await
            .expect("claim")
            .expect("job");
        let b2 = jobs::claim(db, "alive", 300)
            .await
            .expect("claim")
            .expect("taken over");
        assert_eq!(a.id, b2.id);
        assert_eq!(b2.attempts, 2);
        // The dead worker's late completion does not overwrite the new owner's state.
        jobs::mark_done(db, a.id, "crashed")
            .await
            .expect("late done");
        assert_eq!(
            tp.scalar_i64("SELECT COUNT(*) FROM jobs WHERE status = 'running'")
                .await,
            1
        );
        jobs::mark_done(db, b2.id, "alive").await.expect("done");
        tp.assert_no_pending_jobs().await;
    })
    .await;
}

struct Slow {
    started: Arc<tokio::sync::Notify>,
}

#[async_trait::async_trait]
impl JobHandler for Slow {
    async fn run(&self, _ctx: &JobContext, _job: &ClaimedJob) -> Result<(), JobError> {
        self.started.notify_one();
        tokio::time::sleep(Duration::from_millis(700)).await;
        Ok(())
    }
}

#[tokio::test]
async fn shutdown_lets_the_running_job_finish() {
    each_backend("graceful worker", |b| async move {
        let tp = TestPlatform::new(b).await;
        let started = Arc::new(tokio::sync::Notify::new());
        let mut reg = Registry::new();
        reg.register(
            "test.slow",
            Slow {
                started: started.clone(),
            },
        );
        jobs::enqueue(&tp.platform.db.conn, NewJob::new("test.slow", 0))
            .await
            .expect("enqueue");
        let stop = CancellationToken::new();
        let handle = tokio::spawn(Worker::new(tp.platform.clone(), reg).run(stop.clone()));
        started.notified().await;
        stop.cancel();
        tokio::time::timeout(Duration::from_secs(10), handle)
            .await
            .expect("worker stops")
            .expect("join");
        assert_eq!(
            tp.scalar_i64("SELECT COUNT(*) FROM jobs WHERE status = 'done'")
                .await,
            1,
            "in-flight job completed"
        );
    })
    .await;
}

struct LongRunning {
    runs: Arc<AtomicUsize>,
}

#[async_trait::async_trait]
impl JobHandler for LongRunning {
    async fn run(&self, _ctx: &JobContext, _job: &ClaimedJob) -> Result<(), JobError> {
        self.runs.fetch_add(1, Ordering::SeqCst);
        tokio::time::sleep(Duration::from_secs(5)).await;
        Ok(())
    }
}

/// Issue 15, item 5: the lock is short (a killed worker's job is taken over within seconds), and
/// a job running longer than it keeps it by the worker's heartbeat, so nobody takes it over.
#[tokio::test]
async fn a_running_job_keeps_its_short_lock_by_heartbeat() {
    each_backend("heartbeat", |b| async move {
        let tp = TestPlatform::new(b).await;
        let platform = tp
            .platform_with(tp.smtp.addr.port(), |c| c.jobs.lock_seconds = 2)
            .await;
        let db = platform.db.conn.clone();
        let runs = Arc::new(AtomicUsize::new(0));
        let mut reg = Registry::new();
        reg.register("test.long", LongRunning { runs: runs.clone() });
        let w = Worker::new(platform.clone(), reg);
        jobs::enqueue(&db, NewJob::new("test.long", serde_json::json!({})))
            .await
            .expect("enqueue");
        let run = tokio::spawn(async move { w.run_until_idle().await });
        // Another worker tries while the job runs, well past its 2 s lock.
        let mut stolen = None;
        for _ in 0..6 {
            tokio::time::sleep(Duration::from_millis(700)).await;
            if let Some(j) = jobs::claim(&db, "thief", 2).await.expect("claim") {
                stolen = Some(j.id);
                break;
            }
        }
        assert_eq!(run.await.expect("join").expect("run"), 1);
        assert_eq!(stolen, None, "a live worker's job was taken over ({b:?})");
        assert_eq!(runs.load(Ordering::SeqCst), 1);
        assert_eq!(
            tp.scalar_i64("SELECT COUNT(*) FROM jobs WHERE status = 'done'")
                .await,
            1
        );
    })
    .await;
}
