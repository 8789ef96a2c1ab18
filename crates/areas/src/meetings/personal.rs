//! What meetings hold about a person: their invitations and answers (keyed by address).

use crate::meetings::entity::{meeting, meeting_invitation};
use sea_orm::{ColumnTrait, DatabaseConnection, DatabaseTransaction, DbErr, EntityTrait, QueryFilter};
use wspolnie_platform::personal::{Person, PersonalData, Section, Table, anonymise_address};

pub struct Meetings;

pub const TABLES: &[Table] = &[
    Table {
        name: "meeting_invitations",
        personal: &["email"],
        not_personal: &[],
    },
    Table {
        name: "meetings",
        personal: &[],
        not_personal: &[(
            "created_by",
            "the official's account; the users row is anonymised on deletion",
        )],
    },
];

#[async_trait::async_trait]
impl PersonalData for Meetings {
    async fn export(&self, db: &DatabaseConnection, p: &Person) -> Result<Vec<Section>, DbErr> {
        let mut meetings = Vec::new();
        for i in meeting_invitation::Entity::find()
            .filter(meeting_invitation::Column::Email.eq(p.email.as_str()))
            .all(db)
            .await?
        {
            let title = meeting::Entity::find_by_id(i.meeting_id)
                .one(db)
                .await?
                .map(|m| m.title)
                .unwrap_or_default();
            meetings.push(serde_json::json!({ "meeting": title, "answer": i.status, "people": i.party_size, "comment": i.comment, "answered_at": i.responded_at.map(|t| t.to_rfc3339()) }));
        }
        Ok(vec![("meeting_invitations", serde_json::Value::Array(meetings))])
    }

    /// Invitations stay in the attendance counts, without the address and the comment.
    async fn erase(&self, txn: &DatabaseTransaction, p: &Person) -> Result<(), DbErr> {
        anonymise_address(txn, "meeting_invitations", "comment = ''", &p.email).await
    }
}
