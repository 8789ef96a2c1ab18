use super::{ClaimedJob, claim, extend_lock, mark_done, mark_failed_with, release, wake_waiting};
use crate::Platform;
use crate::config::JobsConfig;
use futures::FutureExt;
use std::collections::HashMap;
use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::time::Duration;
use tokio_util::sync::CancellationToken;

/// What a job handler may use.
pub type JobContext = Platform;

#[derive(Debug, thiserror::Error)]
pub enum JobError {
    /// Worth trying again later (network, temporary SMTP failure, lock timeout).
    #[error("{0}")]
    Retry(String),
    /// Trying again cannot help (bad payload, address rejected permanently).
    #[error("{0}")]
    Permanent(String),
    /// Stopped half-way because the process is shutting down (`ClaimedJob::shutdown`): the job
    /// goes back to the queue, due now, without using an attempt.
    #[error("stopped for shutdown")]
    Interrupted,
}

/// How a kind of job retries temporary failures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    /// The longest wait between two attempts.
    pub backoff_cap: chrono::Duration,
    /// `None`: the job is dead after its `max_attempts`. `Some(window)`: attempts do not count;
    /// the job is dead once it has been failing for `window` since it was queued.
    pub give_up_after: Option<chrono::Duration>,
    /// A success of this kind wakes the other jobs of such kinds waiting for a retry (the mail
    /// server answers again, so the queue resumes at once).
    pub sends_mail: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            backoff_cap: chrono::Duration::hours(1),
            give_up_after: None,
            sends_mail: false,
        }
    }
}

impl RetryPolicy {
    /// Jobs that hand mail to the SMTP server: like a mail server's queue, retry for
    /// `jobs.mail_retry_hours` with the backoff capped at `jobs.mail_backoff_cap_seconds`.
    pub fn mail(cfg: &JobsConfig) -> RetryPolicy {
        RetryPolicy {
            backoff_cap: chrono::Duration::seconds(cfg.mail_backoff_cap_seconds.max(15)),
            give_up_after: Some(chrono::Duration::hours(cfg.mail_retry_hours.max(1))),
            sends_mail: true,
        }
    }
}

#[async_trait::async_trait]
pub trait JobHandler: Send + Sync {
    async fn run(&self, ctx: &JobContext, job: &ClaimedJob) -> Result<(), JobError>;

    /// How this kind retries; the default is attempts-based with backoff capped at 1 hour.
    fn retry_policy(&self, _cfg: &JobsConfig) -> RetryPolicy {
        RetryPolicy::default()
    }
}

/// Job kinds and their handlers. Each module registers its own.
#[derive(Default, Clone)]
pub struct Registry {
    handlers: HashMap<String, Arc<dyn JobHandler>>,
}

impl Registry {
    pub fn new() -> Self {
        Self::default()
    }

    /// The registry with the kernel's own handler (sending mail); areas add theirs.
    pub fn kernel(mail: crate::mail::MailTemplates) -> Self {
        let mut r = Registry::new();
        r.register(
            crate::mail::SEND_JOB,
            crate::mail::SendMailHandler::new(mail),
        );
        r
    }

    pub fn register(&mut self, kind: &str, handler: impl JobHandler + 'static) {
        self.handlers.insert(kind.to_owned(), Arc::new(handler));
    }

    /// The kinds whose handlers send mail (`RetryPolicy::sends_mail`), sorted.
    pub fn mail_kinds(&self, cfg: &JobsConfig) -> Vec<String> {
        let mut kinds: Vec<String> = self
            .handlers
            .iter()
            .filter(|(_, h)| h.retry_policy(cfg).sends_mail)
            .map(|(k, _)| k.clone())
            .collect();
        kinds.sort();
        kinds
    }
}

#[derive(Clone)]
pub struct Worker {
    platform: Platform,
    registry: Arc<Registry>,
    id: String,
}

impl Worker {
    pub fn new(platform: Platform, registry: Registry) -> Self {
        let host = std::env::var("HOSTNAME").unwrap_or_else(|_| "local".into());
        let id = format!(
            "{host}-{}-{}",
            std::process::id(),
            &uuid::Uuid::new_v4().simple().to_string()[..8]
        );
        Worker {
            platform,
            registry: Arc::new(registry),
            id,
        }
    }

    pub fn id(&self) -> &str {
        &self.id
    }

    /// Runs `concurrency` claim loops until `shutdown` fires. A job already started is finished,
    /// except that handlers see the shutdown (`ClaimedJob::shutdown`) and a mailing stops between
    /// two messages and puts its job back.
    pub async fn run(self, shutdown: CancellationToken) {
        let n = self.platform.config.jobs.concurrency.max(1);
        let mut tasks = Vec::new();
        for slot in 0..n {
            let w = self.clone();
            let stop = shutdown.clone();
            tasks.push(tokio::spawn(async move { w.run_loop(slot, stop).await }));
        }
        for t in tasks {
            let _ = t.await;
        }
        tracing::info!(worker = %self.id, "job worker stopped");
    }

    async fn run_loop(&self, slot: usize, shutdown: CancellationToken) {
        let poll = Duration::from_millis(self.platform.config.jobs.poll_interval_ms.max(10));
        let worker_id = format!("{}/{slot}", self.id);
        loop {
            if shutdown.is_cancelled() {
                break;
            }
            match claim(
                &self.platform.db.conn,
                &worker_id,
                self.platform.config.jobs.lock_seconds,
            )
            .await
            {
                Ok(Some(job)) => self.execute(&worker_id, job, &shutdown).await,
                Ok(None) => {
                    tokio::select! {
                        _ = tokio::time::sleep(poll) => {}
                        _ = shutdown.cancelled() => break,
                    }
                }
                Err(e) => {
                    tracing::warn!(error = %e, "claiming a job failed");
                    tokio::select! {
                        _ = tokio::time::sleep(poll * 4) => {}
                        _ = shutdown.cancelled() => break,
                    }
                }
            }
        }
    }

    /// Processes due jobs until none is left; returns how many ran. Used by tests and the CLI.
    pub async fn run_until_idle(&self) -> anyhow::Result<usize> {
        let mut n = 0;
        let worker_id = format!("{}/drain", self.id);
        let never = CancellationToken::new();
        while let Some(job) = claim(
            &self.platform.db.conn,
            &worker_id,
            self.platform.config.jobs.lock_seconds,
        )
        .await?
        {
            self.execute(&worker_id, job, &never).await;
            n += 1;
        }
        Ok(n)
    }

    async fn execute(&self, worker_id: &str, mut job: ClaimedJob, shutdown: &CancellationToken) {
        let started = std::time::Instant::now();
        job.shutdown = shutdown.clone();
        let cfg = &self.platform.config.jobs;
        let db = &self.platform.db.conn;
        let handler = self.registry.handlers.get(&job.kind).cloned();
        let policy = handler
            .as_ref()
            .map(|h| h.retry_policy(cfg))
            .unwrap_or_default();
        let result = match &handler {
            None => Err(JobError::Permanent(format!(
                "no handler for job kind {}",
                job.kind
            ))),
            Some(h) => {
                let run = AssertUnwindSafe(h.run(&self.platform, &job)).catch_unwind();
                tokio::pin!(run);
                // The heartbeat runs in this task, so it stops with it (a killed or aborted
                // worker stops extending its locks).
                let heartbeat = heartbeat(db, &job, cfg.lock_seconds);
                let r = tokio::select! {
                    biased;
                    r = &mut run => r,
                    _ = heartbeat => run.await,
                };
                match r {
                    Ok(r) => r,
                    Err(_) => Err(JobError::Retry("job handler panicked".into())),
                }
            }
        };
        match result {
            Ok(()) => {
                if let Err(e) = mark_done(db, job.id, worker_id).await {
                    tracing::error!(job = job.id, error = %e, "could not mark job done");
                }
                tracing::info!(job = job.id, kind = %job.kind, ms = started.elapsed().as_millis() as u64, "job done");
                if policy.sends_mail {
                    // Mail went through: whatever waits for a retry may go now.
                    match wake_waiting(db, &self.registry.mail_kinds(cfg)).await {
                        Ok(0) => {}
                        Ok(n) => tracing::info!(
                            woken = n,
                            "mail is delivered again; waiting mail jobs are due now"
                        ),
                        Err(e) => tracing::warn!(error = %e, "waking waiting mail jobs failed"),
                    }
                }
            }
            Err(JobError::Interrupted) => match release(db, &job, worker_id).await {
                Ok(_) => {
                    tracing::info!(job = job.id, kind = %job.kind, "job stopped for shutdown and put back")
                }
                Err(e) => {
                    tracing::error!(job = job.id, error = %e, "could not put a stopped job back")
                }
            },
            Err(err) => {
                let permanent = matches!(err, JobError::Permanent(_));
                match mark_failed_with(db, &job, worker_id, &err.to_string(), permanent, &policy)
                    .await
                {
                    Ok(status) => {
                        tracing::warn!(job = job.id, kind = %job.kind, attempt = job.attempts, %status, error = %err, "job failed")
                    }
                    Err(e) => {
                        tracing::error!(job = job.id, error = %e, "could not record job failure")
                    }
                }
            }
        }
    }
}

/// Extends the job's lock every third of `lock_seconds` while it runs; when another worker has
/// taken the job over, fires `job.lock_lost` and returns.
async fn heartbeat(db: &sea_orm::DatabaseConnection, job: &ClaimedJob, lock_seconds: i64) {
    let lock_seconds = lock_seconds.max(1);
    let every = Duration::from_millis((lock_seconds as u64 * 1000 / 3).max(200));
    loop {
        tokio::time::sleep(every).await;
        match extend_lock(db, job, lock_seconds).await {
            Ok(true) => {}
            Ok(false) => {
                tracing::warn!(job = job.id, kind = %job.kind, "job lost its lock to another worker");
                job.lock_lost.cancel();
                return;
            }
            Err(e) => tracing::warn!(job = job.id, error = %e, "extending a job lock failed"),
        }
    }
}
