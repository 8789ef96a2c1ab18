//! What an area holds about a person. Every area that stores personal data implements
//! `PersonalData` and declares its tables with their personal columns (`Table`) in its manifest;
//! the own-data export and the account deletion go through every declared implementation, and a
//! test compares the declarations with the database schema, so a new column that looks personal
//! cannot be forgotten.

use sea_orm::{DatabaseConnection, DatabaseTransaction, DbErr};

/// The person whose data is exported or erased: the account and its address.
#[derive(Debug, Clone)]
pub struct Person {
    pub user_id: i64,
    pub email: String,
}

/// One section of the own-data export: a key and its JSON value.
pub type Section = (&'static str, serde_json::Value);

#[async_trait::async_trait]
pub trait PersonalData: Send + Sync {
    /// The area's sections of the own-data export.
    async fn export(&self, db: &DatabaseConnection, person: &Person)
    -> Result<Vec<Section>, DbErr>;
    /// Removes or anonymises the person's data on the deletion's transaction (records that must
    /// stay keep their counts, without the person).
    async fn erase(&self, txn: &DatabaseTransaction, person: &Person) -> Result<(), DbErr>;
}

/// A table an area owns, with the columns that hold a person's data.
#[derive(Debug, Clone, Copy)]
pub struct Table {
    pub name: &'static str,
    /// Columns with a person's own data, covered by the area's `PersonalData`.
    pub personal: &'static [&'static str],
    /// Columns that look personal but are not a person's own data, each with the reason.
    pub not_personal: &'static [(&'static str, &'static str)],
}

impl Table {
    /// A table without personal columns.
    pub const fn plain(name: &'static str) -> Table {
        Table {
            name,
            personal: &[],
            not_personal: &[],
        }
    }
}

/// Does a column name look like it holds a person's data? (addresses, phones, names of contact
/// persons, account references, network addresses)
pub fn looks_personal(column: &str) -> bool {
    matches!(
        column,
        "email" | "phone" | "ip" | "user_agent" | "display_name" | "contact_name" | "user_id"
    ) || column.ends_with("_email")
        || column.ends_with("_phone")
        || column.ends_with("_user_id")
        || column.ends_with("_by")
}

/// Every area's `PersonalData`, as the application composed them.
#[derive(Clone, Default)]
pub struct Holders(std::sync::Arc<Vec<&'static dyn PersonalData>>);

impl Holders {
    pub fn new(all: Vec<&'static dyn PersonalData>) -> Self {
        Holders(std::sync::Arc::new(all))
    }
    pub fn iter(&self) -> impl Iterator<Item = &'static dyn PersonalData> + '_ {
        self.0.iter().copied()
    }
}

/// Replaces an address in `table` by `deleted-<id>@deleted.invalid` (and runs the extra
/// assignments `also`, e.g. `comment = ''`) for the rows holding `email`: the rows stay for counts
/// and history, without the person.
pub async fn anonymise_address(
    txn: &DatabaseTransaction,
    table: &str,
    also: &str,
    email: &str,
) -> Result<(), DbErr> {
    use sea_orm::ConnectionTrait;
    let backend = txn.get_database_backend();
    let placeholder = match backend {
        sea_orm::DbBackend::Postgres => "$1",
        _ => "?",
    };
    let extra = if also.is_empty() {
        String::new()
    } else {
        format!(", {also}")
    };
    let sql = format!(
        "UPDATE {table} SET email = 'deleted-' || id || '@deleted.invalid'{extra} WHERE email = {placeholder}"
    );
    txn.execute_raw(sea_orm::Statement::from_sql_and_values(
        backend,
        sql,
        [email.into()],
    ))
    .await?;
    Ok(())
}
