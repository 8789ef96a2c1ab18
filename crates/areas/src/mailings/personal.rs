//! What the newsletter and the mailings hold about a person: the subscription, the bounce record
//! and the messages received (all keyed by address, not by account).

use crate::mailings::entity::{email_bounce, mailing, mailing_recipient, newsletter_subscriber};
use sea_orm::{ColumnTrait, DatabaseConnection, DatabaseTransaction, DbErr, EntityTrait, QueryFilter};
use wspolnie_platform::personal::{Person, PersonalData, Section, Table, anonymise_address};

pub struct Mailings;

pub const TABLES: &[Table] = &[
    Table {
        name: "newsletter_subscribers",
        personal: &["email"],
        not_personal: &[],
    },
    Table {
        name: "email_bounces",
        personal: &["email"],
        not_personal: &[],
    },
    Table {
        name: "mailing_recipients",
        personal: &["email"],
        not_personal: &[],
    },
    Table {
        name: "mailings",
        personal: &[],
        not_personal: &[(
            "created_by",
            "the official's account; the users row is anonymised on deletion",
        )],
    },
];

#[async_trait::async_trait]
impl PersonalData for Mailings {
    async fn export(&self, db: &DatabaseConnection, p: &Person) -> Result<Vec<Section>, DbErr> {
        let newsletter = newsletter_subscriber::Entity::find()
            .filter(newsletter_subscriber::Column::Email.eq(p.email.as_str()))
            .one(db)
            .await?;
        let received = mailing_recipient::Entity::find()
            .filter(mailing_recipient::Column::Email.eq(p.email.as_str()))
            .all(db)
            .await?;
        let mut mailings = Vec::new();
        for r in &received {
            let subject = mailing::Entity::find_by_id(r.mailing_id)
                .one(db)
                .await?
                .map(|m| m.subject)
                .unwrap_or_default();
            mailings.push(serde_json::json!({ "subject": subject, "status": r.status, "sent_at": r.sent_at.map(|t| t.to_rfc3339()), "confirmed_at": r.confirmed_at.map(|t| t.to_rfc3339()) }));
        }
        Ok(vec![
            (
                "newsletter",
                newsletter.map_or(serde_json::Value::Null, |n| serde_json::json!({ "topics": n.topics, "status": n.status, "language": n.lang, "consent_version": n.consent_version, "consented_at": n.consented_at.to_rfc3339(), "confirmed_at": n.confirmed_at.map(|t| t.to_rfc3339()) })),
            ),
            ("mailings_received", serde_json::Value::Array(mailings)),
        ])
    }

    /// The subscription and the bounce record go; delivery records of past mailings stay for the
    /// counts, with the address replaced.
    async fn erase(&self, txn: &DatabaseTransaction, p: &Person) -> Result<(), DbErr> {
        newsletter_subscriber::Entity::delete_many()
            .filter(newsletter_subscriber::Column::Email.eq(p.email.as_str()))
            .exec(txn)
            .await?;
        email_bounce::Entity::delete_many()
            .filter(email_bounce::Column::Email.eq(p.email.as_str()))
            .exec(txn)
            .await?;
        anonymise_address(txn, "mailing_recipients", "", &p.email).await
    }
}
