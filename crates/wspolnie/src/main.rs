//! `wspolnie`: one binary for the whole platform.

use anyhow::Context;
use clap::{Parser, Subcommand};
use std::io::BufRead;
use std::path::PathBuf;
use tokio_util::sync::CancellationToken;
use wspolnie_areas::accounts::model as accounts;
use wspolnie_areas::demo::DemoOptions;
use wspolnie_platform::Platform;
use wspolnie_platform::config::Config;
use wspolnie_platform::jobs::Worker;
use wspolnie_platform::mail;

#[derive(Parser)]
#[command(
    name = "wspolnie",
    version,
    about = "Wspólnie – współpraca samorządu z organizacjami pozarządowymi"
)]
struct Cli {
    /// TOML configuration file (default: ./wspolnie.toml if present).
    #[arg(long, global = true, env = "WSPOLNIE_CONFIG")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the web server and the background worker in one process.
    Serve {
        /// Load demo data first if the database is empty.
        #[arg(long)]
        demo: bool,
        /// Do not apply pending migrations at start (then the schema must already be current).
        #[arg(long)]
        no_migrate: bool,
    },
    /// Apply pending database migrations.
    Migrate,
    /// Load demo data into an empty database.
    Demo {
        #[arg(long, default_value_t = 2026)]
        seed: u64,
        /// Day the demo calendar is placed around (YYYY-MM-DD); default today.
        #[arg(long)]
        anchor: Option<chrono::NaiveDate>,
        /// Load even if the database already has content.
        #[arg(long)]
        force: bool,
        /// How many organisations (120 by default; benchmarks use 5000).
        #[arg(long, default_value_t = 120)]
        organizations: usize,
    },
    /// Create an administrator account (password read from stdin).
    CreateAdmin {
        #[arg(long)]
        email: String,
        #[arg(long, default_value = "Administrator")]
        name: String,
    },
    /// Make a consistent copy of the database (SQLite: VACUUM INTO; PostgreSQL: pg_dump).
    Backup {
        /// Output file (default: <data_dir>/backups/wspolnie-<timestamp>.db or .dump).
        #[arg(long)]
        output: Option<PathBuf>,
    },
    /// Print the effective configuration with secrets masked.
    Config,
    /// Queue a test e-mail and send it now (checks the mail settings).
    SendTestMail {
        #[arg(long)]
        to: String,
    },
    /// Process due background jobs and exit (for cron-style deployments and maintenance).
    RunJobs,
    /// Import data from files.
    Import {
        #[command(subcommand)]
        what: ImportCommand,
    },
}

#[derive(Subcommand)]
enum ImportCommand {
    /// Import organisations from a CSV file (UTF-8, `;` or `,`). All lines are checked first;
    /// with any error nothing is written.
    Organizations {
        /// The CSV file (columns: see README, "Import organizacji").
        file: PathBuf,
        /// Check the file and report errors without writing anything.
        #[arg(long)]
        dry_run: bool,
    },
}

fn init_logging(cfg: &Config) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(&cfg.log.filter));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    if cfg.log.format == "json" {
        builder.json().init();
    } else {
        builder.init();
    }
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let cfg = Config::load(cli.config.as_deref())?;
    if let Command::Config = cli.command {
        print!("{}", cfg.to_masked_toml());
        return Ok(());
    }
    init_logging(&cfg);
    let platform = Platform::open(cfg).await?;
    match cli.command {
        Command::Serve { demo, no_migrate } => serve(platform, demo, no_migrate).await,
        Command::Migrate => {
            let n = platform.db.migrate().await?;
            println!("migrations applied: {n}");
            Ok(())
        }
        Command::Demo {
            seed,
            anchor,
            force,
            organizations,
        } => {
            platform.db.ensure_current().await?;
            if !force && !wspolnie_areas::is_empty(&platform.db.conn).await? {
                anyhow::bail!(
                    "the database already has content; use --force to add demo data anyway"
                );
            }
            let mut opts = DemoOptions::new(seed);
            opts.organizations = organizations;
            if let Some(a) = anchor {
                opts.anchor = a;
            }
            let s = wspolnie_areas::load_demo(&platform.db.conn, opts).await?;
            println!(
                "demo data loaded: {} organisations, {} articles, {} events",
                s.organizations, s.articles, s.events
            );
            Ok(())
        }
        Command::CreateAdmin { email, name } => {
            platform.db.ensure_current().await?;
            eprintln!(
                "Password (at least {} characters), then Enter:",
                accounts::MIN_PASSWORD_LEN
            );
            let mut line = String::new();
            std::io::stdin().lock().read_line(&mut line)?;
            let password = line.trim_end_matches(['\r', '\n']);
            let id = accounts::create_admin(&platform.db.conn, &email, &name, password).await?;
            println!("administrator ready: {email} (id {id})");
            Ok(())
        }
        Command::Backup { output } => backup(&platform, output).await,
        Command::SendTestMail { to } => {
            platform.db.ensure_current().await?;
            let job = mail::MailJob {
                to: to.clone(),
                template: "test".into(),
                lang: Default::default(),
                vars: serde_json::json!({ "requested_by": "wspolnie send-test-mail" })
                    .as_object()
                    .cloned()
                    .unwrap_or_default(),
            };
            mail::enqueue_mail(&platform.db.conn, job, None).await?;
            let n = Worker::new(platform.clone(), wspolnie_areas::job_registry())
                .run_until_idle()
                .await?;
            let counts = wspolnie_platform::jobs::counts(&platform.db.conn).await?;
            println!("processed {n} job(s); jobs by status: {counts:?}");
            Ok(())
        }
        Command::RunJobs => {
            platform.db.ensure_current().await?;
            let n = Worker::new(platform.clone(), wspolnie_areas::job_registry())
                .run_until_idle()
                .await?;
            println!("processed {n} job(s)");
            Ok(())
        }
        Command::Import {
            what: ImportCommand::Organizations { file, dry_run },
        } => {
            platform.db.ensure_current().await?;
            import_organizations(&platform, &file, dry_run).await
        }
        Command::Config => Ok(()),
    }
}

/// A progress bar on stderr (`[#####-----] 512/1000 label`), redrawn only when it changes.
struct Progress {
    label: &'static str,
    drawn: Option<(usize, usize)>,
}

impl Progress {
    const WIDTH: usize = 30;

    fn update(&mut self, done: usize, total: usize) {
        let filled = (done * Self::WIDTH)
            .checked_div(total)
            .unwrap_or(Self::WIDTH);
        let percent = (done * 100).checked_div(total).unwrap_or(100);
        if self.drawn == Some((filled, percent)) && done != total {
            return;
        }
        self.drawn = Some((filled, percent));
        eprint!(
            "\r[{}{}] {done}/{total} {}",
            "#".repeat(filled),
            "-".repeat(Self::WIDTH - filled),
            self.label
        );
    }

    fn finish(&mut self) {
        if self.drawn.take().is_some() {
            eprintln!();
        }
    }
}

async fn import_organizations(
    platform: &Platform,
    file: &std::path::Path,
    dry_run: bool,
) -> anyhow::Result<()> {
    use sea_orm::EntityTrait;
    use wspolnie_areas::directory::entity::directory_import::Entity as ImportRun;
    use wspolnie_areas::directory::entity::directory_import::Status as ImportStatus;
    use wspolnie_areas::directory::import as directory_import;
    use wspolnie_areas::directory::import::MAX_FILE_BYTES;
    use wspolnie_platform::i18n::Lang;
    let lang = Lang::Pl;
    let size = std::fs::metadata(file)
        .with_context(|| format!("cannot read {}", file.display()))?
        .len();
    if size > MAX_FILE_BYTES as u64 {
        eprintln!(
            "{}",
            lang.ta(
                "import-cli-file-error",
                &[("message", &lang.t("import-error-too-large"))]
            )
        );
        std::process::exit(1);
    }
    let bytes = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
    let db = &platform.db.conn;
    // (line, column, message key) of every error, and the organisations counted or written.
    let (errors, count): (Vec<(usize, String, String)>, usize) = if dry_run {
        let report = directory_import::dry_run(db, &bytes).await?;
        let errors = report
            .errors
            .iter()
            .map(|e| (e.line, e.field.clone(), e.message_key.to_owned()))
            .collect();
        (errors, report.total_lines)
    } else {
        match directory_import::read_text(&bytes) {
            Err(e) => (vec![(e.line, e.field, e.message_key.to_owned())], 0),
            Ok(text) => {
                let name = file
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                // The same path as an upload: the import is recorded with its job, and this
                // command carries it forward itself (a worker of a running server may help).
                let id = directory_import::start(db, &name, text, None).await?;
                let mut bar = Progress {
                    label: "zapis",
                    drawn: None,
                };
                let run = loop {
                    let step =
                        directory_import::step(db, id, directory_import::STEP_BUDGET).await?;
                    let run = ImportRun::find_by_id(id)
                        .one(db)
                        .await?
                        .context("the import record disappeared")?;
                    if run.total_rows > 0 {
                        bar.update(run.written_rows as usize, run.total_rows as usize);
                    }
                    if step == directory_import::Step::Finished && !run.status.is_running() {
                        break run;
                    }
                    if step == directory_import::Step::Finished {
                        // Another runner holds the next batch: wait for it.
                        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
                    }
                };
                bar.finish();
                let errors = directory_import::recorded_errors(&run);
                if errors.is_empty() && run.status == ImportStatus::Failed {
                    anyhow::bail!("the import stopped: {}", run.message);
                }
                (errors, run.written_rows as usize)
            }
        }
    };
    if !errors.is_empty() {
        for (line_no, field, key) in &errors {
            let message = lang.t(key);
            let line = if *line_no == 0 || field.is_empty() {
                if *line_no == 0 {
                    lang.ta("import-cli-file-error", &[("message", &message)])
                } else {
                    lang.ta(
                        "import-cli-error",
                        &[
                            ("line", &line_no.to_string()),
                            ("column", "–"),
                            ("message", &message),
                        ],
                    )
                }
            } else {
                lang.ta(
                    "import-cli-error",
                    &[
                        ("line", &line_no.to_string()),
                        ("column", field),
                        ("message", &message),
                    ],
                )
            };
            eprintln!("{line}");
        }
        eprintln!(
            "{}",
            lang.ta(
                "import-failed-lead",
                &[("count", &errors.len().to_string())]
            )
        );
        std::process::exit(1);
    }
    if dry_run {
        println!(
            "{}",
            lang.ta("import-cli-dry-run", &[("count", &count.to_string())])
        );
    } else {
        println!(
            "{}",
            lang.ta("import-done", &[("count", &count.to_string())])
        );
    }
    Ok(())
}

async fn serve(platform: Platform, demo_data: bool, no_migrate: bool) -> anyhow::Result<()> {
    if !no_migrate {
        let n = platform.db.migrate().await?;
        if n > 0 {
            tracing::info!(applied = n, "database migrated");
        }
    }
    platform.db.ensure_current().await?;
    // A bucket that does not exist is a configuration error every request with a file would hit:
    // refuse to start. A storage that does not answer now may come back: start and say so.
    match platform.storage.check().await {
        Ok(()) => {}
        Err(e @ wspolnie_platform::storage::StorageError::NoSuchBucket(_)) => {
            anyhow::bail!("{e}: create it, or correct storage.s3_bucket")
        }
        Err(e) => tracing::error!(
            error = %e,
            backend = platform.storage.kind(),
            "file storage does not answer at start; uploads and files fail until it does"
        ),
    }
    if demo_data
        && let Some(s) =
            wspolnie_areas::load_demo_if_empty(&platform.db.conn, DemoOptions::new(2026)).await?
    {
        tracing::info!(
            organizations = s.organizations,
            articles = s.articles,
            events = s.events,
            "demo data loaded"
        );
    }
    let state = wspolnie_areas::state(platform.clone()).await?;
    let app = wspolnie_areas::app(state);
    let listen = platform.config.server.listen.clone();
    let listener = tokio::net::TcpListener::bind(&listen)
        .await
        .with_context(|| format!("cannot listen on {listen}"))?;
    tracing::info!(address = %listener.local_addr()?, backend = platform.db.backend_name(), "Wspólnie is listening");
    println!("Wspólnie: http://{}", listener.local_addr()?);

    let shutdown = CancellationToken::new();
    let worker = if platform.config.jobs.enabled {
        let w = Worker::new(platform.clone(), wspolnie_areas::job_registry());
        let stop = shutdown.clone();
        Some(tokio::spawn(async move { w.run(stop).await }))
    } else {
        None
    };
    // Housekeeping: expired sessions and tokens, old throttle rows (idempotent on every instance).
    let housekeeping_db = platform.db.conn.clone();
    let housekeeping_cfg = platform.config.clone();
    let housekeeping_stop = shutdown.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(3600));
        loop {
            tokio::select! {
                _ = tick.tick() => {
                    // Daily jobs: the date is the idempotency key, so instances do not repeat them.
                    if let Err(e) = wspolnie_areas::directory::confirm::schedule(&housekeeping_db, chrono::Utc::now()).await {
                        tracing::warn!(error = %e, "scheduling the profile confirmations failed");
                    }
                    if let Err(e) = wspolnie_areas::programme::deadlines::remind(&housekeeping_db, &housekeeping_cfg.server.public_url, chrono::Utc::now()).await {
                        tracing::warn!(error = %e, "scheduling the programme's deadline reminders failed");
                    }
                    if let Err(e) = wspolnie_areas::mailings::model::schedule_digest(&housekeeping_db, &housekeeping_cfg.mailings, chrono::Utc::now()).await {
                        tracing::warn!(error = %e, "scheduling the weekly digest failed");
                    }
                    match wspolnie_platform::auth::purge_expired(&housekeeping_db, chrono::Utc::now()).await {
                        Ok(n) if n > 0 => tracing::info!(removed = n, "expired sessions and tokens purged"),
                        Ok(_) => {}
                        Err(e) => tracing::warn!(error = %e, "housekeeping failed"),
                    }
                }
                _ = housekeeping_stop.cancelled() => break,
            }
        }
    });
    let signal_token = shutdown.clone();
    tokio::spawn(async move {
        wait_for_signal().await;
        tracing::info!("shutdown requested; finishing in-flight requests and jobs");
        signal_token.cancel();
    });
    let server_stop = shutdown.clone();
    let server = axum::serve(
        listener,
        app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(async move { server_stop.cancelled().await });
    let grace = std::time::Duration::from_secs(platform.config.server.shutdown_grace_seconds);
    let server_task = tokio::spawn(async move { server.await });
    shutdown.cancelled().await;
    let finish = async {
        let _ = server_task.await;
        if let Some(w) = worker {
            let _ = w.await;
        }
    };
    if tokio::time::timeout(grace, finish).await.is_err() {
        tracing::warn!(
            seconds = grace.as_secs(),
            "grace period over; exiting with work still running"
        );
    }
    platform.db.conn.clone().close().await.ok();
    tracing::info!("stopped");
    Ok(())
}

async fn wait_for_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
}

/// A default backup name nobody else takes: the time to the millisecond and a random suffix, so
/// two backups started in the same second (cron and a person) both succeed.
fn backup_name(ext: &str) -> String {
    let stamp = chrono::Utc::now().format("%Y%m%d-%H%M%S-%3f");
    let suffix = wspolnie_web::security::random_hex(3);
    format!("wspolnie-{stamp}-{suffix}.{ext}")
}

async fn backup(platform: &Platform, output: Option<PathBuf>) -> anyhow::Result<()> {
    let dir = platform.config.data_dir.join("backups");
    if let Some(o) = &output
        && o.exists()
    {
        anyhow::bail!(
            "{} already exists; a backup never overwrites a file (choose another --output)",
            o.display()
        );
    }
    match platform.db.backend_name() {
        "sqlite" => {
            let target = output.unwrap_or_else(|| dir.join(backup_name("db")));
            if let Some(parent) = target.parent() {
                std::fs::create_dir_all(parent)?;
            }
            platform.db.backup_sqlite(&target).await?;
            println!("backup written: {}", target.display());
        }
        _ => {
            let target = output.unwrap_or_else(|| dir.join(backup_name("dump")));
            if let Some(parent) = target.parent() {
                std::fs::create_dir_all(parent)?;
            }
            let status = std::process::Command::new("pg_dump")
                .arg("--format=custom")
                .arg("--no-owner")
                .arg(format!("--file={}", target.display()))
                .arg(&platform.config.database.url)
                .status()
                .context("running pg_dump (install the PostgreSQL client tools)")?;
            if !status.success() {
                anyhow::bail!("pg_dump failed with {status}");
            }
            println!(
                "backup written: {} (restore with pg_restore --clean --no-owner -d DATABASE_URL FILE)",
                target.display()
            );
        }
    }
    Ok(())
}
