//! The public directory search, in memory. A municipality has hundreds to a few thousand
//! organisations, so each instance keeps the published ones in a snapshot: entries in Polish
//! alphabetical order, a sorted token list for prefix search (diacritics folded), and one bitset
//! per filter value. A search is a few bitset intersections; the page then needs no query.
//!
//! Freshness: every write that changes what the directory shows bumps the `directory.version`
//! setting in the same transaction (`touch` in the directory model); like every public write
//! it also moves the kernel's content version (`platform::content`). When an instance sees the
//! content version move (within `content::CHECK_EVERY`), it re-reads `directory.version` and
//! rebuilds the snapshot when that changed — in the background, while searches keep the
//! previous snapshot (with 50,000 organisations a build takes seconds). The instance that made
//! the change awaits the rebuild before answering its writer (`refresh`).
//!
//! The SQL query builder `organizations::Filters::select` gives the same results (exports and
//! the API use it); a test compares both on the demo data.

use sea_orm::{ColumnTrait, DbErr, EntityTrait, QueryFilter, QueryOrder};
use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use wspolnie_web::AppState;
use wspolnie_core::text::search_terms;
use crate::directory::entity::organization;
use crate::directory::entity::organization_sphere;
use crate::directory::entity::organization_target_group;
use wspolnie_platform::entity::setting;
use wspolnie_platform::entity::sphere;
use wspolnie_platform::entity::target_group;

/// Setting that changes whenever the published directory changes (set by the model's `touch`).
pub const VERSION_KEY: &str = "directory.version";

/// A set of entry positions.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Bits(Vec<u64>);

impl Bits {
    fn empty(n: usize) -> Bits {
        Bits(vec![0; n.div_ceil(64)])
    }
    fn full(n: usize) -> Bits {
        let mut b = Bits(vec![u64::MAX; n.div_ceil(64)]);
        if !n.is_multiple_of(64)
            && let Some(last) = b.0.last_mut()
        {
            *last = (1u64 << (n % 64)) - 1;
        }
        b
    }
    fn set(&mut self, i: usize) {
        self.0[i / 64] |= 1 << (i % 64);
    }
    fn and(&mut self, other: &Bits) {
        for (a, b) in self.0.iter_mut().zip(&other.0) {
            *a &= *b;
        }
    }
    fn or(&mut self, other: &Bits) {
        for (a, b) in self.0.iter_mut().zip(&other.0) {
            *a |= *b;
        }
    }
    fn clear(&mut self) {
        self.0.iter_mut().for_each(|w| *w = 0);
    }
    pub fn count(&self) -> usize {
        self.0.iter().map(|w| w.count_ones() as usize).sum()
    }
    /// Positions in ascending order.
    pub fn iter(&self) -> impl Iterator<Item = usize> + '_ {
        self.0.iter().enumerate().flat_map(|(wi, &w)| {
            let mut w = w;
            std::iter::from_fn(move || {
                if w == 0 {
                    return None;
                }
                let t = w.trailing_zeros() as usize;
                w &= w - 1;
                Some(wi * 64 + t)
            })
        })
    }
}

/// What a list page shows of one organisation.
#[derive(Clone, Debug)]
pub struct Entry {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub legal_form: String,
    pub district: String,
    pub is_opp: bool,
    pub short_description: String,
}

/// Published organisations at one version of the directory.
pub struct Snapshot {
    pub version: String,
    /// In Polish alphabetical order (then id), as the SQL query orders them.
    pub entries: Vec<Entry>,
    /// Folded words, sorted, each with the entries containing it.
    tokens: Vec<(String, Bits)>,
    by_sphere: HashMap<String, Bits>,
    by_group: HashMap<String, Bits>,
    by_district: HashMap<String, Bits>,
    by_form: HashMap<String, Bits>,
    opp: Bits,
    /// Distinct values for the filter selects, in Polish order.
    pub districts: Vec<String>,
    pub legal_forms: Vec<String>,
    /// Spheres in force and target groups, in form order (for the filter selects).
    pub spheres: Vec<sphere::Model>,
    pub groups: Vec<target_group::Model>,
}

/// Filter values as in the public URL (`organizations::Filters`).
pub struct Query<'a> {
    pub q: &'a str,
    pub sphere: &'a str,
    pub group: &'a str,
    pub district: &'a str,
    pub legal_form: &'a str,
    pub opp: bool,
}

impl Snapshot {
    /// The matching entries, as a set of positions in `entries`.
    pub fn search(&self, q: &Query<'_>) -> Bits {
        let n = self.entries.len();
        let mut hits = Bits::full(n);
        for term in search_terms(q.q).into_iter().take(8) {
            // Every word that starts with the term: a contiguous range of the sorted tokens.
            let from = self
                .tokens
                .partition_point(|(t, _)| t.as_str() < term.as_str());
            let mut any = Bits::empty(n);
            for (_, bits) in self.tokens[from..]
                .iter()
                .take_while(|(t, _)| t.starts_with(term.as_str()))
            {
                any.or(bits);
            }
            hits.and(&any);
        }
        let mut by = |map: &HashMap<String, Bits>, value: &str| {
            if value.is_empty() {
                return;
            }
            match map.get(value) {
                Some(b) => hits.and(b),
                None => hits.clear(),
            }
        };
        by(&self.by_sphere, q.sphere);
        by(&self.by_group, q.group);
        by(&self.by_district, q.district);
        by(&self.by_form, q.legal_form);
        if q.opp {
            hits.and(&self.opp);
        }
        hits
    }

    async fn load(db: &sea_orm::DatabaseConnection, version: String) -> Result<Snapshot, DbErr> {
        let orgs = organization::Entity::find()
            .filter(organization::Column::Status.eq(organization::Status::Published))
            .order_by_asc(organization::Column::NameSort)
            .order_by_asc(organization::Column::Id)
            .all(db)
            .await?;
        let n = orgs.len();
        let pos: HashMap<i64, usize> = orgs.iter().enumerate().map(|(i, o)| (o.id, i)).collect();
        let all_spheres = sphere::Entity::find()
            .order_by_asc(sphere::Column::Position)
            .all(db)
            .await?;
        let groups = target_group::Entity::find()
            .order_by_asc(target_group::Column::Position)
            .all(db)
            .await?;
        let sphere_code: HashMap<i64, String> =
            all_spheres.iter().map(|s| (s.id, s.code.clone())).collect();
        let group_code: HashMap<i64, String> =
            groups.iter().map(|g| (g.id, g.code.clone())).collect();
        let spheres = all_spheres
            .into_iter()
            .filter(|s| s.valid_to.is_none())
            .collect();
        let mut by_sphere: HashMap<String, Bits> = HashMap::new();
        for l in organization_sphere::Entity::find().all(db).await? {
            if let (Some(&i), Some(code)) =
                (pos.get(&l.organization_id), sphere_code.get(&l.sphere_id))
            {
                by_sphere
                    .entry(code.clone())
                    .or_insert_with(|| Bits::empty(n))
                    .set(i);
            }
        }
        let mut by_group: HashMap<String, Bits> = HashMap::new();
        for l in organization_target_group::Entity::find().all(db).await? {
            if let (Some(&i), Some(code)) = (
                pos.get(&l.organization_id),
                group_code.get(&l.target_group_id),
            ) {
                by_group
                    .entry(code.clone())
                    .or_insert_with(|| Bits::empty(n))
                    .set(i);
            }
        }
        let mut tokens: HashMap<&str, Bits> = HashMap::new();
        let mut by_district: HashMap<String, Bits> = HashMap::new();
        let mut by_form: HashMap<String, Bits> = HashMap::new();
        let mut opp = Bits::empty(n);
        for (i, o) in orgs.iter().enumerate() {
            for t in o.search_text.split_whitespace() {
                tokens.entry(t).or_insert_with(|| Bits::empty(n)).set(i);
            }
            by_district
                .entry(o.district.clone())
                .or_insert_with(|| Bits::empty(n))
                .set(i);
            by_form
                .entry(o.legal_form.clone())
                .or_insert_with(|| Bits::empty(n))
                .set(i);
            if o.is_opp {
                opp.set(i);
            }
        }
        let mut tokens: Vec<(String, Bits)> =
            tokens.into_iter().map(|(t, b)| (t.to_owned(), b)).collect();
        tokens.sort_by(|a, b| a.0.cmp(&b.0));
        let sorted = |keys: Vec<&String>| {
            let mut v: Vec<String> = keys.into_iter().cloned().collect();
            v.sort_by(|a, b| wspolnie_core::text::cmp_pl(a, b));
            v
        };
        // An organisation without a district is not a district to filter by.
        let districts = sorted(by_district.keys().filter(|d| !d.trim().is_empty()).collect());
        let legal_forms = sorted(by_form.keys().collect());
        let entries = orgs
            .into_iter()
            .map(|o| Entry {
                id: o.id,
                slug: o.slug,
                name: o.name,
                legal_form: o.legal_form,
                district: o.district,
                is_opp: o.is_opp,
                short_description: o.short_description,
            })
            .collect();
        Ok(Snapshot {
            version,
            entries,
            tokens,
            by_sphere,
            by_group,
            by_district,
            by_form,
            opp,
            districts,
            legal_forms,
            spheres,
            groups,
        })
    }
}

struct State {
    snapshot: Option<Arc<Snapshot>>,
    /// The content version (`platform::content`) read just before the snapshot's
    /// `directory.version` was last compared: while the instance still sees that content
    /// version, nothing can have changed.
    checked_at: Option<i64>,
}

/// One per application instance (in `AppState::parts`).
///
/// Freshness follows the kernel's content version: when it moved (any public write, seen by
/// this instance at most `content::CHECK_EVERY` later), the index re-reads `directory.version`
/// and rebuilds when that moved too. Checks and rebuilds run in a background task while
/// searches keep using the previous snapshot; only the very first build (no snapshot yet) is
/// waited for. The instance that made a change awaits `refresh` before answering its writer.
#[derive(Clone)]
pub struct DirectoryIndex {
    inner: Arc<RwLock<State>>,
    /// Serialises checks and rebuilds, so a burst of requests after a change loads once.
    rebuild: Arc<tokio::sync::Mutex<()>>,
}

impl Default for DirectoryIndex {
    fn default() -> Self {
        DirectoryIndex {
            inner: Arc::new(RwLock::new(State {
                snapshot: None,
                checked_at: None,
            })),
            rebuild: Arc::new(tokio::sync::Mutex::new(())),
        }
    }
}

async fn current_version(db: &sea_orm::DatabaseConnection) -> Result<String, DbErr> {
    Ok(
        setting::Entity::find_by_id(VERSION_KEY.to_owned())
            .one(db)
            .await?
            .map(|s| s.value)
            .unwrap_or_default(),
    )
}

/// A snapshot and whether it is known to be current (a page built from a snapshot that is
/// being refreshed must not go into the response cache).
pub struct Current {
    pub snapshot: Arc<Snapshot>,
    pub current: bool,
}

impl DirectoryIndex {
    fn held(&self) -> (Option<Arc<Snapshot>>, Option<i64>) {
        match self.inner.read() {
            Ok(g) => (g.snapshot.clone(), g.checked_at),
            Err(_) => (None, None),
        }
    }

    /// The snapshot to search: the held one at once (refreshed in the background when the
    /// content version moved), or — only before the first build — a freshly built one.
    pub async fn get(&self, state: &AppState) -> Result<Current, DbErr> {
        let db = &state.platform.db.conn;
        let content = state.content.current(db).await?;
        let (held, checked_at) = self.held();
        match held {
            Some(snapshot) if checked_at == Some(content) => Ok(Current {
                snapshot,
                current: true,
            }),
            Some(snapshot) => {
                // Stale: check (and rebuild) in the background, answer from the previous one.
                if let Ok(guard) = self.rebuild.clone().try_lock_owned() {
                    let me = self.clone();
                    let db = db.clone();
                    let content_version = state.content.clone();
                    tokio::spawn(async move {
                        let _one = guard;
                        if let Err(e) = me.check(&db, &content_version).await {
                            tracing::warn!(error = %e, "directory index refresh failed");
                        }
                    });
                }
                Ok(Current {
                    snapshot,
                    current: false,
                })
            }
            None => {
                let _one = self.rebuild.lock().await;
                if let (Some(snapshot), _) = self.held() {
                    return Ok(Current {
                        snapshot,
                        current: false,
                    });
                }
                Ok(Current {
                    snapshot: self.check(db, &state.content).await?,
                    current: true,
                })
            }
        }
    }

    /// Brings the snapshot up to date now (the instance that changed the directory, before it
    /// answers): searches meanwhile keep the previous snapshot.
    pub async fn refresh(&self, state: &AppState) -> Result<(), DbErr> {
        let _one = self.rebuild.lock().await;
        self.check(&state.platform.db.conn, &state.content).await?;
        Ok(())
    }

    /// Compares `directory.version` with the held snapshot's and rebuilds when it moved. The
    /// caller holds `rebuild`.
    async fn check(
        &self,
        db: &sea_orm::DatabaseConnection,
        content: &wspolnie_platform::content::ContentVersion,
    ) -> Result<Arc<Snapshot>, DbErr> {
        // Read before the directory's own version: a change committed in between moves the
        // content version again, and the next request checks once more.
        let content_version = content.read_now(db).await?;
        let version = current_version(db).await?;
        let (old, _) = self.held();
        let snapshot = match old {
            Some(s) if s.version == version => s,
            _ => Arc::new(Snapshot::load(db, version).await?),
        };
        if let Ok(mut g) = self.inner.write() {
            g.snapshot = Some(snapshot.clone());
            g.checked_at = Some(content_version);
        }
        Ok(snapshot)
    }
}

#[cfg(test)]
mod tests {
    use super::Bits;

    #[test]
    fn bitsets() {
        let mut a = Bits::full(130);
        assert_eq!(a.count(), 130);
        let mut b = Bits::empty(130);
        for i in [0, 63, 64, 129] {
            b.set(i);
        }
        a.and(&b);
        assert_eq!(a.iter().collect::<Vec<_>>(), vec![0, 63, 64, 129]);
        let mut c = Bits::empty(130);
        c.set(5);
        c.or(&b);
        assert_eq!(c.count(), 5);
        c.clear();
        assert_eq!(c.count(), 0);
        assert_eq!(Bits::full(64).count(), 64);
    }
}
