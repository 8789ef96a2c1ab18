//! What partner activities and media requests hold about a person: their declarations of
//! interest and their promotion or patronage requests (by address or by account).

use crate::partners::entity::{media_request, partner_activity, partner_interest};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, Condition, DatabaseConnection, DatabaseTransaction, DbErr, EntityTrait,
    QueryFilter,
};
use wspolnie_platform::personal::{Person, PersonalData, Section, Table};

pub struct Partners;

const OFFICE_CONTACT: &str = "the office's contact published with the activity";

pub const TABLES: &[Table] = &[
    Table {
        name: "partner_interests",
        personal: &["contact_name", "email", "phone", "user_id"],
        not_personal: &[],
    },
    Table {
        name: "media_requests",
        personal: &["contact_name", "email", "phone", "user_id"],
        not_personal: &[],
    },
    Table {
        name: "partner_activities",
        personal: &[],
        not_personal: &[
            ("contact_name", OFFICE_CONTACT),
            ("contact_email", OFFICE_CONTACT),
            ("contact_phone", OFFICE_CONTACT),
            (
                "created_by",
                "the official's account; the users row is anonymised on deletion",
            ),
        ],
    },
];

const ANONYMOUS: &str = "'deleted-' || id || '@deleted.invalid'";

#[async_trait::async_trait]
impl PersonalData for Partners {
    async fn export(&self, db: &DatabaseConnection, p: &Person) -> Result<Vec<Section>, DbErr> {
        let mut declared = Vec::new();
        for i in partner_interest::Entity::find()
            .filter(
                Condition::any()
                    .add(partner_interest::Column::Email.eq(p.email.as_str()))
                    .add(partner_interest::Column::UserId.eq(p.user_id)),
            )
            .all(db)
            .await?
        {
            let title = partner_activity::Entity::find_by_id(i.activity_id)
                .one(db)
                .await?
                .map(|a| a.title)
                .unwrap_or_default();
            declared.push(serde_json::json!({ "activity": title, "organization": i.organization_name, "contact_name": i.contact_name, "email": i.email, "phone": i.phone, "offer": i.offer, "at": i.created_at.to_rfc3339() }));
        }
        let requests = media_request::Entity::find()
            .filter(
                Condition::any()
                    .add(media_request::Column::Email.eq(p.email.as_str()))
                    .add(media_request::Column::UserId.eq(p.user_id)),
            )
            .all(db)
            .await?
            .into_iter()
            .map(|r| serde_json::json!({ "title": r.title, "kind": r.kind, "organization": r.organization, "contact_name": r.contact_name, "email": r.email, "phone": r.phone, "status": r.status, "at": r.created_at.to_rfc3339() }))
            .collect();
        Ok(vec![
            ("partner_declarations", serde_json::Value::Array(declared)),
            ("media_requests", serde_json::Value::Array(requests)),
        ])
    }

    /// Declarations and requests stay for the office's records, without the person's name,
    /// address, phone and account.
    async fn erase(&self, txn: &DatabaseTransaction, p: &Person) -> Result<(), DbErr> {
        partner_interest::Entity::update_many()
            .col_expr(partner_interest::Column::Email, Expr::cust(ANONYMOUS))
            .col_expr(partner_interest::Column::ContactName, Expr::value(""))
            .col_expr(partner_interest::Column::Phone, Expr::value(""))
            .col_expr(partner_interest::Column::UserId, Expr::value(Option::<i64>::None))
            .filter(
                Condition::any()
                    .add(partner_interest::Column::Email.eq(p.email.as_str()))
                    .add(partner_interest::Column::UserId.eq(p.user_id)),
            )
            .exec(txn)
            .await?;
        media_request::Entity::update_many()
            .col_expr(media_request::Column::Email, Expr::cust(ANONYMOUS))
            .col_expr(media_request::Column::ContactName, Expr::value(""))
            .col_expr(media_request::Column::Phone, Expr::value(""))
            .col_expr(media_request::Column::UserId, Expr::value(Option::<i64>::None))
            .filter(
                Condition::any()
                    .add(media_request::Column::Email.eq(p.email.as_str()))
                    .add(media_request::Column::UserId.eq(p.user_id)),
            )
            .exec(txn)
            .await?;
        Ok(())
    }
}
