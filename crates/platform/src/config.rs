//! Effective configuration: built-in defaults, then an optional TOML file, then `WSPOLNIE__*`
//! environment variables (`WSPOLNIE__SERVER__LISTEN=0.0.0.0:8080`), then `DATABASE_URL`.

use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct Config {
    /// Where the SQLite file, local files and written e-mails live by default.
    pub data_dir: PathBuf,
    pub server: ServerConfig,
    pub database: DatabaseConfig,
    pub mail: MailConfig,
    pub storage: StorageConfig,
    pub jobs: JobsConfig,
    pub log: LogConfig,
    pub directory: DirectoryConfig,
    pub mailings: MailingsConfig,
    pub meetings: MeetingsConfig,
}

/// Mailings by officials, the digest and their delivery (issue 6).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct MailingsConfig {
    /// Messages per second handed to the SMTP server by one instance; 0 = as fast as it takes.
    pub rate_per_second: u32,
    /// Parallel SMTP connections per mailing.
    pub connections: usize,
    /// Attempts per recipient on temporary failures (4xx, lost connection) before giving up.
    pub max_attempts: i32,
    /// The weekly digest of new events, news and grant calls: on/off, weekday (1 = Monday) and
    /// hour (Warsaw time) when it is prepared.
    pub digest_enabled: bool,
    pub digest_weekday: u32,
    pub digest_hour: u32,
}

impl Default for MailingsConfig {
    fn default() -> Self {
        MailingsConfig {
            rate_per_second: 50,
            connections: 2,
            max_attempts: 5,
            digest_enabled: true,
            digest_weekday: 1,
            digest_hour: 8,
        }
    }
}

/// Meetings and their invitations (issue 6, point 5).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct MeetingsConfig {
    /// Invitations go out at least this many days before the start (seed 000 pt 3: 7); sending
    /// later needs a written reason, which is audited.
    pub min_notice_days: i64,
    /// Reminders go out this many hours before the start (0 = none): to those who have not
    /// answered and to those who attend.
    pub reminder_hours: i64,
}

impl Default for MeetingsConfig {
    fn default() -> Self {
        MeetingsConfig {
            min_notice_days: 7,
            reminder_hours: 48,
        }
    }
}

/// Keeping the directory current (issue 4, point 5).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct DirectoryConfig {
    /// Ask each organisation to confirm its profile this many days after the last confirmation.
    pub confirm_every_days: i64,
    /// A profile not confirmed for this many days is shown as possibly out of date.
    pub stale_after_days: i64,
    /// How long the one-click confirmation link stays valid.
    pub confirm_link_days: i64,
}

impl Default for DirectoryConfig {
    fn default() -> Self {
        DirectoryConfig {
            confirm_every_days: 365,
            stale_after_days: 548,
            confirm_link_days: 60,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct ServerConfig {
    pub listen: String,
    /// The address people use to reach the site; links in e-mails are built from it.
    pub public_url: String,
    /// Signing key for CSRF tokens and flash cookies. Empty: generated once and kept in the
    /// database, so every instance of one deployment shares it.
    pub secret: String,
    /// `Secure` flag on cookies; defaults to true when `public_url` is https.
    pub secure_cookies: Option<bool>,
    /// Seconds to wait for in-flight requests and jobs on SIGTERM.
    pub shutdown_grace_seconds: u64,
    pub max_body_bytes: usize,
    /// Behind a reverse proxy: take the client address from the last `X-Forwarded-For` entry.
    pub behind_proxy: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct DatabaseConfig {
    /// `sqlite://…` or `postgres://…`; empty means `sqlite://<data_dir>/wspolnie.db`.
    pub url: String,
    pub max_connections: u32,
    /// How long a request waits for a database connection before it is answered 503 (a
    /// PostgreSQL outage fails fast instead of hanging); the job worker retries on its own.
    pub acquire_timeout_ms: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum MailTransport {
    /// Each message written as an `.eml` file (development default).
    File,
    Smtp,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum SmtpSecurity {
    /// Plain connection (only for a relay on localhost).
    None,
    /// Plain connection upgraded with STARTTLS (port 587); required, not opportunistic.
    Starttls,
    /// TLS from the first byte (port 465).
    Tls,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct MailConfig {
    pub transport: MailTransport,
    pub from: String,
    pub reply_to: Option<String>,
    /// Directory for the file transport; empty means `<data_dir>/mail`.
    pub file_dir: String,
    pub smtp_host: String,
    pub smtp_port: u16,
    pub smtp_security: SmtpSecurity,
    pub smtp_username: String,
    pub smtp_password: String,
    pub smtp_timeout_seconds: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct StorageConfig {
    /// `local` or `s3`.
    pub backend: String,
    /// Directory for the local backend; empty means `<data_dir>/files`.
    pub local_dir: String,
    pub s3_bucket: String,
    pub s3_region: String,
    pub s3_endpoint: String,
    pub s3_access_key_id: String,
    pub s3_secret_access_key: String,
    pub s3_allow_http: bool,
    pub max_upload_bytes: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct JobsConfig {
    /// Run the worker inside `serve`. Turn off for web-only instances.
    pub enabled: bool,
    pub concurrency: usize,
    pub poll_interval_ms: u64,
    /// How long a claimed job stays locked without a heartbeat. The worker extends the lock of
    /// every running job every third of this, so a killed worker's job is taken over within
    /// `lock_seconds` and a live one keeps it however long it runs.
    pub lock_seconds: i64,
    /// Jobs that send mail (`mail.send`, mailing delivery) retry temporary failures for this many
    /// hours after they were queued, as mail servers do, before they are parked as `dead`.
    pub mail_retry_hours: i64,
    /// The longest wait between two attempts of a mail job (the backoff grows up to it).
    pub mail_backoff_cap_seconds: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct LogConfig {
    /// `pretty` or `json`.
    pub format: String,
    pub filter: String,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            data_dir: PathBuf::from("./data"),
            server: ServerConfig::default(),
            database: DatabaseConfig::default(),
            mail: MailConfig::default(),
            storage: StorageConfig::default(),
            jobs: JobsConfig::default(),
            log: LogConfig::default(),
            directory: DirectoryConfig::default(),
            mailings: MailingsConfig::default(),
            meetings: MeetingsConfig::default(),
        }
    }
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            listen: "127.0.0.1:8080".into(),
            public_url: "http://127.0.0.1:8080".into(),
            secret: String::new(),
            secure_cookies: None,
            shutdown_grace_seconds: 20,
            max_body_bytes: 2 * 1024 * 1024,
            behind_proxy: false,
        }
    }
}

impl Default for DatabaseConfig {
    fn default() -> Self {
        DatabaseConfig {
            url: String::new(),
            max_connections: 10,
            acquire_timeout_ms: 3000,
        }
    }
}

impl Default for MailConfig {
    fn default() -> Self {
        MailConfig {
            transport: MailTransport::File,
            from: "Wspólnie – Urząd Miejski <ngo@example.invalid>".into(),
            reply_to: None,
            file_dir: String::new(),
            smtp_host: "127.0.0.1".into(),
            smtp_port: 587,
            smtp_security: SmtpSecurity::Starttls,
            smtp_username: String::new(),
            smtp_password: String::new(),
            smtp_timeout_seconds: 30,
        }
    }
}

impl Default for StorageConfig {
    fn default() -> Self {
        StorageConfig {
            backend: "local".into(),
            local_dir: String::new(),
            s3_bucket: String::new(),
            s3_region: "us-east-1".into(),
            s3_endpoint: String::new(),
            s3_access_key_id: String::new(),
            s3_secret_access_key: String::new(),
            s3_allow_http: false,
            max_upload_bytes: 10 * 1024 * 1024,
        }
    }
}

impl Default for JobsConfig {
    fn default() -> Self {
        JobsConfig {
            enabled: true,
            concurrency: 2,
            poll_interval_ms: 500,
            lock_seconds: 30,
            mail_retry_hours: 72,
            mail_backoff_cap_seconds: 900,
        }
    }
}

impl Default for LogConfig {
    fn default() -> Self {
        LogConfig {
            format: "pretty".into(),
            filter: "info,sqlx=warn,sea_orm=warn".into(),
        }
    }
}

impl Config {
    /// Loads the effective configuration. `file` is optional; a missing explicit file is an error.
    pub fn load(file: Option<&Path>) -> anyhow::Result<Config> {
        let defaults = config::Config::try_from(&Config::default())?;
        let mut builder = config::Config::builder().add_source(defaults);
        match file {
            Some(path) => {
                if !path.exists() {
                    anyhow::bail!("configuration file {} does not exist", path.display());
                }
                builder = builder.add_source(config::File::from(path));
            }
            None => {
                builder =
                    builder.add_source(config::File::with_name("wspolnie.toml").required(false));
            }
        }
        builder = builder.add_source(
            config::Environment::with_prefix("WSPOLNIE")
                .prefix_separator("__")
                .separator("__")
                .try_parsing(true),
        );
        let mut cfg: Config = builder.build()?.try_deserialize()?;
        if let Ok(url) = std::env::var("DATABASE_URL")
            && !url.trim().is_empty()
        {
            cfg.database.url = url;
        }
        cfg.resolve();
        Ok(cfg)
    }

    /// Fills the values that depend on `data_dir`.
    pub fn resolve(&mut self) {
        if self.database.url.is_empty() {
            self.database.url = format!(
                "sqlite://{}?mode=rwc",
                self.data_dir.join("wspolnie.db").display()
            );
        }
        if self.mail.file_dir.is_empty() {
            self.mail.file_dir = self.data_dir.join("mail").display().to_string();
        }
        if self.storage.local_dir.is_empty() {
            self.storage.local_dir = self.data_dir.join("files").display().to_string();
        }
    }

    pub fn secure_cookies(&self) -> bool {
        self.server
            .secure_cookies
            .unwrap_or_else(|| self.server.public_url.starts_with("https://"))
    }

    /// Refuses storage settings that cannot work, saying which key is wrong and what to set
    /// (checked when the platform opens, before anything is served).
    pub fn validate_storage(&self) -> anyhow::Result<()> {
        let s = &self.storage;
        let mut problems = Vec::new();
        match s.backend.as_str() {
            "local" => {
                if s.local_dir.trim().is_empty() {
                    problems.push("storage.local_dir is empty".to_owned());
                }
            }
            "s3" => {
                if s.s3_bucket.trim().is_empty() {
                    problems.push(
                        "storage.s3_bucket is empty: name the bucket (it must already exist)"
                            .to_owned(),
                    );
                }
                if s.s3_region.trim().is_empty() {
                    problems.push("storage.s3_region is empty (e.g. us-east-1)".to_owned());
                }
                if s.s3_access_key_id.is_empty() || s.s3_secret_access_key.is_empty() {
                    problems.push(
                        "storage.s3_access_key_id and storage.s3_secret_access_key must both be set"
                            .to_owned(),
                    );
                }
                if !s.s3_endpoint.is_empty() {
                    match url::Url::parse(&s.s3_endpoint) {
                        Ok(u) if u.scheme() == "https" => {}
                        Ok(u) if u.scheme() == "http" => {
                            if !s.s3_allow_http {
                                problems.push(format!(
                                    "storage.s3_endpoint {:?} is plain http: set storage.s3_allow_http = true \
                                     (only on a trusted network) or use https",
                                    s.s3_endpoint
                                ));
                            }
                        }
                        _ => problems.push(format!(
                            "storage.s3_endpoint {:?} is not an http(s) URL such as https://s3.example.pl",
                            s.s3_endpoint
                        )),
                    }
                }
            }
            other => problems.push(format!(
                "storage.backend is {other:?}: use \"local\" (one instance) or \"s3\" (several instances)"
            )),
        }
        if problems.is_empty() {
            Ok(())
        } else {
            anyhow::bail!("invalid storage configuration: {}", problems.join("; "))
        }
    }

    pub fn storage_config(&self) -> wspolnie_storage::StorageSettings {
        let s = &self.storage;
        if s.backend == "s3" {
            wspolnie_storage::StorageSettings::S3 {
                bucket: s.s3_bucket.clone(),
                region: s.s3_region.clone(),
                endpoint: s.s3_endpoint.clone(),
                access_key_id: s.s3_access_key_id.clone(),
                secret_access_key: s.s3_secret_access_key.clone(),
                allow_http: s.s3_allow_http,
            }
        } else {
            wspolnie_storage::StorageSettings::Local {
                dir: PathBuf::from(&s.local_dir),
            }
        }
    }

    /// The configuration as TOML with secrets masked, for `wspolnie config`.
    pub fn to_masked_toml(&self) -> String {
        let mut c = self.clone();
        let mask = |s: &mut String| {
            if !s.is_empty() {
                *s = "********".into();
            }
        };
        mask(&mut c.server.secret);
        mask(&mut c.mail.smtp_password);
        mask(&mut c.storage.s3_secret_access_key);
        c.database.url = mask_url_password(&c.database.url);
        toml_string(&c)
    }
}

fn toml_string(c: &Config) -> String {
    // The config crate can read TOML but not write it; a small writer keeps the dependency list short.
    let value = serde_json::to_value(c).unwrap_or_default();
    let mut out = String::new();
    let mut tables = Vec::new();
    if let serde_json::Value::Object(map) = value {
        for (k, v) in map {
            match v {
                serde_json::Value::Object(inner) => tables.push((k, inner)),
                other => out.push_str(&format!("{k} = {}\n", toml_value(&other))),
            }
        }
        for (name, inner) in tables {
            out.push_str(&format!("\n[{name}]\n"));
            for (k, v) in inner {
                if !v.is_null() {
                    out.push_str(&format!("{k} = {}\n", toml_value(&v)));
                }
            }
        }
    }
    out
}

fn toml_value(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => serde_json::to_string(s).unwrap_or_default(),
        other => other.to_string(),
    }
}

/// `postgres://user:secret@host/db` → `postgres://user:********@host/db`.
pub fn mask_url_password(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut u) if u.password().is_some() => {
            let _ = u.set_password(Some("********"));
            u.to_string()
        }
        _ => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_secrets() {
        let mut c = Config::default();
        c.database.url = "postgres://u:topsecret@127.0.0.1/w".into();
        c.mail.smtp_password = "hunter2".into();
        let s = c.to_masked_toml();
        assert!(!s.contains("topsecret") && !s.contains("hunter2"), "{s}");
        assert!(s.contains("[mail]"));
    }

    fn s3() -> Config {
        let mut c = Config::default();
        c.resolve();
        c.storage.backend = "s3".into();
        c.storage.s3_bucket = "wspolnie-pliki".into();
        c.storage.s3_access_key_id = "klucz".into();
        c.storage.s3_secret_access_key = "sekret".into();
        c
    }

    fn storage_problem(c: &Config) -> String {
        c.validate_storage().expect_err("refused").to_string()
    }

    #[test]
    fn storage_configuration_is_validated() {
        let mut c = Config::default();
        c.resolve();
        c.validate_storage()
            .expect("the default local directory is valid");
        s3().validate_storage()
            .expect("a complete S3 configuration is valid");

        c.storage.backend = "S3 ".into();
        let m = storage_problem(&c);
        assert!(
            m.contains("storage.backend is \"S3 \"") && m.contains("\"s3\""),
            "{m}"
        );

        let mut c = s3();
        c.storage.s3_bucket = " ".into();
        c.storage.s3_secret_access_key = String::new();
        let m = storage_problem(&c);
        assert!(m.contains("storage.s3_bucket is empty"), "{m}");
        assert!(
            m.contains("storage.s3_secret_access_key"),
            "both problems named: {m}"
        );

        let mut c = s3();
        c.storage.s3_endpoint = "http://127.0.0.1:9000".into();
        let m = storage_problem(&c);
        assert!(m.contains("s3_allow_http = true"), "{m}");
        c.storage.s3_allow_http = true;
        c.validate_storage()
            .expect("plain http allowed when asked for");

        c.storage.s3_endpoint = "minio:9000".into();
        assert!(storage_problem(&c).contains("is not an http(s) URL"));
        c.storage.s3_endpoint = "https://s3.example.pl".into();
        c.storage.s3_allow_http = false;
        c.validate_storage().expect("https endpoint");
    }
}
