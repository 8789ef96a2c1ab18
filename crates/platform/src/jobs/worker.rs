use super::{ClaimedJob, claim, mark_done, mark_failed};
use crate::Platform;
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
}

#[async_trait::async_trait]
pub trait JobHandler: Send + Sync {
    async fn run(&self, ctx: &JobContext, job: &ClaimedJob) -> Result<(), JobError>;
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

    /// Runs `concurrency` claim loops until `shutdown` fires; a job already started is finished.
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
                Ok(Some(job)) => self.execute(&worker_id, job).await,
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
        while let Some(job) = claim(
            &self.platform.db.conn,
            &worker_id,
            self.platform.config.jobs.lock_seconds,
        )
        .await?
        {
            self.execute(&worker_id, job).await;
            n += 1;
        }
        Ok(n)
    }

    async fn execute(&self, worker_id: &str, job: ClaimedJob) {
        let started = std::time::Instant::now();
        let result = match self.registry.handlers.get(&job.kind) {
            None => Err(JobError::Permanent(format!(
                "no handler for job kind {}",
                job.kind
            ))),
            Some(h) => match AssertUnwindSafe(h.run(&self.platform, &job))
                .catch_unwind()
                .await
            {
                Ok(r) => r,
                Err(_) => Err(JobError::Retry("job handler panicked".into())),
            },
        };
        let db = &self.platform.db.conn;
        match result {
            Ok(()) => {
                if let Err(e) = mark_done(db, job.id, worker_id).await {
                    tracing::error!(job = job.id, error = %e, "could not mark job done");
                }
                tracing::info!(job = job.id, kind = %job.kind, ms = started.elapsed().as_millis() as u64, "job done");
            }
            Err(err) => {
                let permanent = matches!(err, JobError::Permanent(_));
                match mark_failed(db, &job, worker_id, &err.to_string(), permanent).await {
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
