use sea_orm::entity::prelude::*;

crate::status_enum! {
    /// Where a media request stands.
    pub enum Status {
        New = "new",
        InProgress = "in_progress",
        Accepted = "accepted",
        Declined = "declined",
    }
}

/// The one function that says which moves a request may make: it is taken up and decided; a
/// decision can be reopened (back to `in_progress`) to correct it; nothing goes back to `new`.
pub fn allowed(from: Status, to: Status) -> bool {
    use Status::*;
    from == to
        || matches!(
            (from, to),
            (New, InProgress | Accepted | Declined)
                | (InProgress, Accepted | Declined)
                | (Accepted | Declined, InProgress)
        )
}

/// A request for help with media promotion (`promotion`) or for a media patronage (`patronage`);
/// status `new` → `in_progress` → `accepted` | `declined`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "media_requests")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub kind: String,
    pub organization: String,
    pub contact_name: String,
    pub email: String,
    pub phone: String,
    pub title: String,
    pub event_date: Option<Date>,
    #[sea_orm(column_type = "Text")]
    pub description: String,
    #[sea_orm(column_type = "Text")]
    pub links: String,
    pub status: Status,
    #[sea_orm(column_type = "Text")]
    pub note: String,
    pub user_id: Option<i64>,
    pub lang: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_never_goes_back_to_new_and_a_decision_is_reopened_first() {
        use Status::*;
        for from in [InProgress, Accepted, Declined] {
            assert!(!allowed(from, New), "{from:?} -> new");
        }
        assert!(!allowed(Accepted, Declined));
        assert!(!allowed(Declined, Accepted));
        assert!(allowed(New, InProgress) && allowed(InProgress, Accepted));
        assert!(allowed(Declined, InProgress) && allowed(Accepted, Accepted));
    }
}
