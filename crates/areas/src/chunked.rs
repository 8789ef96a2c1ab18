//! Reading rows for a list of ids that can grow without bound (every published organisation):
//! one `IN (…)` per at most `CHUNK` ids, so no query binds more variables than SQLite allows
//! (32,766) or PostgreSQL's protocol carries (65,535), whatever the size of the directory.

use sea_orm::{ConnectionTrait, DbErr, EntityTrait, Select};

/// The most ids one query binds.
pub const CHUNK: usize = 500;

/// The rows `query` selects for each chunk of `ids`, all chunks together (in chunk order).
pub async fn all_in<E, C, T>(
    db: &C,
    ids: &[T],
    query: impl Fn(Vec<T>) -> Select<E>,
) -> Result<Vec<E::Model>, DbErr>
where
    E: EntityTrait,
    C: ConnectionTrait,
    T: Clone,
{
    let mut out = Vec::new();
    for chunk in ids.chunks(CHUNK) {
        out.extend(query(chunk.to_vec()).all(db).await?);
    }
    Ok(out)
}
