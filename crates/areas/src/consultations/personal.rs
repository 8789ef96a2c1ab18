//! What the consultations area holds about a person: the remarks they made (by address or by
//! account). A remark is part of the consultation's record (its report is published), so erasing
//! a person keeps the remark and its answer without their name, address and account.

use super::entity::{consultation, consultation_remark as remark};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, Condition, DatabaseConnection, DatabaseTransaction, DbErr, EntityTrait, QueryFilter};
use wspolnie_platform::personal::{Person, PersonalData, Section, Table};

pub struct Consultations;

const ACCOUNT_ID: &str = "the acting official's account; the users row is anonymised on deletion";
const OFFICE_CONTACT: &str = "the office's contact published with the consultation";

pub const TABLES: &[Table] = &[
    Table {
        name: "consultations",
        personal: &[],
        not_personal: &[
            ("contact_name", OFFICE_CONTACT),
            ("contact_email", OFFICE_CONTACT),
            ("created_by", ACCOUNT_ID),
        ],
    },
    Table {
        name: "consultation_versions",
        personal: &[],
        not_personal: &[("created_by", ACCOUNT_ID)],
    },
    Table {
        name: "consultation_remarks",
        personal: &["author_name", "author_email", "user_id"],
        not_personal: &[("entered_by", ACCOUNT_ID), ("answered_by", ACCOUNT_ID)],
    },
    Table {
        name: "consultation_files",
        personal: &[],
        not_personal: &[("created_by", ACCOUNT_ID)],
    },
    Table {
        name: "consultation_answer_templates",
        personal: &[],
        not_personal: &[("created_by", ACCOUNT_ID)],
    },
];

fn theirs(p: &Person) -> Condition {
    Condition::any()
        .add(remark::Column::AuthorEmail.eq(p.email.as_str()))
        .add(remark::Column::UserId.eq(p.user_id))
}

#[async_trait::async_trait]
impl PersonalData for Consultations {
    async fn export(&self, db: &DatabaseConnection, p: &Person) -> Result<Vec<Section>, DbErr> {
        let mut out = Vec::new();
        for r in remark::Entity::find().filter(theirs(p)).all(db).await? {
            let title = consultation::Entity::find_by_id(r.consultation_id)
                .one(db)
                .await?
                .map(|c| c.title)
                .unwrap_or_default();
            out.push(serde_json::json!({
                "consultation": title, "unit": r.unit_label, "organization": r.organization_name,
                "author_name": r.author_name, "author_email": r.author_email,
                "proposal": r.proposal, "justification": r.justification,
                "position": r.position, "answer": r.answer, "at": r.created_at.to_rfc3339(),
            }));
        }
        Ok(vec![("consultation_remarks", serde_json::Value::Array(out))])
    }

    /// Remarks stay in the consultation's record, without the person's name, address and account.
    async fn erase(&self, txn: &DatabaseTransaction, p: &Person) -> Result<(), DbErr> {
        remark::Entity::update_many()
            .col_expr(remark::Column::AuthorName, Expr::value(""))
            .col_expr(remark::Column::AuthorEmail, Expr::value(""))
            .col_expr(remark::Column::UserId, Expr::value(Option::<i64>::None))
            .filter(theirs(p))
            .exec(txn)
            .await?;
        Ok(())
    }
}
