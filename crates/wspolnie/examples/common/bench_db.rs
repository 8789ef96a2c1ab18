//! A fresh database for a benchmark: a new PostgreSQL database on `BENCH_DATABASE_URL` (dropped
//! by `drop`), else a SQLite file in `dir`.

pub struct BenchDb {
    pub url: String,
    pg: Option<(String, String)>,
}

impl BenchDb {
    pub async fn create(dir: &std::path::Path, label: &str) -> anyhow::Result<BenchDb> {
        use sea_orm::ConnectionTrait;
        match std::env::var("BENCH_DATABASE_URL") {
            Ok(admin) if !admin.is_empty() => {
                let name = format!("wsp_bench_{label}_{}", std::process::id());
                let c = sea_orm::Database::connect(&admin).await?;
                c.execute_unprepared(&format!("CREATE DATABASE {name}"))
                    .await?;
                c.close().await?;
                let mut u = url::Url::parse(&admin)?;
                u.set_path(&format!("/{name}"));
                Ok(BenchDb {
                    url: u.to_string(),
                    pg: Some((admin, name)),
                })
            }
            _ => Ok(BenchDb {
                url: format!("sqlite://{}?mode=rwc", dir.join("bench.db").display()),
                pg: None,
            }),
        }
    }

    /// The platform on this database, migrated, with its files in `dir`; `adjust` changes the
    /// configuration first (pool size, mail transport…).
    pub async fn platform(
        &self,
        dir: &std::path::Path,
        adjust: impl FnOnce(&mut wspolnie_platform::config::Config),
    ) -> anyhow::Result<wspolnie_platform::Platform> {
        let mut cfg = wspolnie_platform::config::Config {
            data_dir: dir.to_path_buf(),
            ..Default::default()
        };
        cfg.database.url = self.url.clone();
        adjust(&mut cfg);
        cfg.resolve();
        let platform = wspolnie_platform::Platform::open(cfg).await?;
        platform.db.migrate().await?;
        Ok(platform)
    }

    pub async fn drop(self) -> anyhow::Result<()> {
        use sea_orm::ConnectionTrait;
        if let Some((admin, name)) = self.pg {
            let c = sea_orm::Database::connect(&admin).await?;
            c.execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .await?;
        }
        Ok(())
    }
}
