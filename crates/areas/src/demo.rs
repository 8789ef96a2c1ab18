//! Demo data: a fictional town, Wierzbin, with its NGOs, news and events. Each area seeds its own
//! part (`<area>/demo.rs`, listed as `AREA.demo`); this module runs the parts in order in one
//! transaction. Deterministic: the same seed and anchor day give the same rows (dates are placed
//! relative to the anchor so the calendar always has upcoming events).

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use sea_orm::{DatabaseConnection, DatabaseTransaction, DbErr, EntityTrait, QueryOrder};
use wspolnie_platform::entity::{sphere, target_group};

/// SplitMix64: tiny, fast and stable across crate versions, so demo data never drifts.
pub struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
    pub fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

#[derive(Debug, Clone, Copy)]
pub struct DemoOptions {
    pub seed: u64,
    pub anchor: NaiveDate,
    pub organizations: usize,
}

impl DemoOptions {
    pub fn new(seed: u64) -> Self {
        DemoOptions {
            seed,
            anchor: Utc::now().date_naive(),
            organizations: 120,
        }
    }
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct DemoSummary {
    pub organizations: usize,
    pub articles: usize,
    pub events: usize,
}

/// A demo organisation, for the areas seeded after the directory.
#[derive(Debug, Clone)]
pub struct DemoOrg {
    pub id: i64,
    pub name: String,
    /// The name without its genitive middle, for titles: "Stowarzyszenie „Razem Łatwiej”".
    pub short_name: String,
    /// Sphere codes, the leading one first.
    pub spheres: &'static [&'static str],
}

/// What the parts share while seeding: the transaction, the random stream and what earlier
/// parts made.
pub struct Seed<'a> {
    pub txn: &'a DatabaseTransaction,
    pub rng: Rng,
    /// 08:00 UTC of the anchor day.
    pub base: DateTime<Utc>,
    pub opts: DemoOptions,
    pub summary: DemoSummary,
    pub organizations: Vec<DemoOrg>,
    spheres: Vec<sphere::Model>,
    groups: Vec<target_group::Model>,
}

impl Seed<'_> {
    pub fn sphere_id(&self, code: &str) -> Option<i64> {
        self.spheres.iter().find(|s| s.code == code).map(|s| s.id)
    }
    pub fn group_id(&self, code: &str) -> Option<i64> {
        self.groups.iter().find(|g| g.code == code).map(|g| g.id)
    }
}

/// One area's part of the demo data.
#[async_trait::async_trait]
pub trait DemoStep: Send + Sync {
    /// Position among the parts (the directory comes before what refers to organisations).
    fn order(&self) -> u16;
    /// Whether the database already holds this area's content.
    async fn has_content(&self, _db: &sea_orm::DatabaseTransaction) -> Result<bool, DbErr> {
        Ok(false)
    }
    async fn seed(&self, s: &mut Seed<'_>) -> anyhow::Result<()>;
}

/// True when no area holds content yet (only then does `serve --demo` load demo data).
pub async fn is_empty(db: &DatabaseConnection, steps: &[&dyn DemoStep]) -> Result<bool, DbErr> {
    let txn = wspolnie_platform::db::begin_write(db).await?;
    let empty = is_empty_in(&txn, steps).await?;
    txn.rollback().await?;
    Ok(empty)
}

async fn is_empty_in(
    txn: &sea_orm::DatabaseTransaction,
    steps: &[&dyn DemoStep],
) -> Result<bool, DbErr> {
    for s in steps {
        if s.has_content(txn).await? {
            return Ok(false);
        }
    }
    Ok(true)
}

/// Runs every part in order in one transaction.
pub async fn load(
    db: &DatabaseConnection,
    opts: DemoOptions,
    steps: &[&dyn DemoStep],
) -> anyhow::Result<DemoSummary> {
    let txn = wspolnie_platform::db::begin_write(db).await?;
    fill(txn, opts, steps).await
}

/// Loads the demo data only into an empty database, deciding and loading in one transaction.
/// On PostgreSQL it holds the migrations' advisory lock, so instances started together with
/// `--demo` on one empty database wait for each other: the first loads, the others see content
/// and go on. `None` when the database already had content.
pub async fn load_if_empty(
    db: &DatabaseConnection,
    opts: DemoOptions,
    steps: &[&dyn DemoStep],
) -> anyhow::Result<Option<DemoSummary>> {
    let txn = wspolnie_platform::db::begin_write(db).await?;
    if db.get_database_backend() == sea_orm::DbBackend::Postgres {
        use sea_orm::ConnectionTrait;
        txn.execute_unprepared(&format!(
            "SELECT pg_advisory_xact_lock({})",
            wspolnie_platform::db::MIGRATION_LOCK
        ))
        .await?;
    }
    if !is_empty_in(&txn, steps).await? {
        txn.rollback().await?;
        return Ok(None);
    }
    fill(txn, opts, steps).await.map(Some)
}

async fn fill(
    txn: sea_orm::DatabaseTransaction,
    opts: DemoOptions,
    steps: &[&dyn DemoStep],
) -> anyhow::Result<DemoSummary> {
    let spheres = sphere::Entity::find()
        .order_by_asc(sphere::Column::Position)
        .all(&txn)
        .await?;
    let groups = target_group::Entity::find().all(&txn).await?;
    let mut seed = Seed {
        txn: &txn,
        rng: Rng(opts.seed),
        base: Utc.from_utc_datetime(&opts.anchor.and_hms_opt(8, 0, 0).unwrap_or_default()),
        opts,
        summary: DemoSummary::default(),
        organizations: Vec::new(),
        spheres,
        groups,
    };
    let mut steps = steps.to_vec();
    steps.sort_by_key(|s| s.order());
    for step in steps {
        step.seed(&mut seed).await?;
    }
    let summary = seed.summary;
    txn.commit().await?;
    Ok(summary)
}

/// Target groups that fit an organisation's leading sphere.
pub fn target_groups_for(sphere: &str) -> &'static [&'static str] {
    match sphere {
        "1" | "1a" | "31" => &["rodziny", "wykluczeni"],
        "7" => &["niepelnosprawni", "rodziny"],
        "10" => &["seniorzy"],
        "15" | "14" => &["dzieci", "mlodziez"],
        "17" => &["mlodziez", "mieszkancy"],
        "18" => &["zwierzeta", "mieszkancy"],
        "5a" | "5" => &["cudzoziemcy"],
        "8" | "11" | "34" => &["bezrobotni", "kobiety"],
        "27" | "33" => &["organizacje"],
        "32" | "6" => &["mlodziez", "wykluczeni"],
        _ => &["mieszkancy"],
    }
}
