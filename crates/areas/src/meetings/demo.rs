//! Demo data of meetings: the NGO forum two weeks ahead with some answers.

use crate::directory::entity::organization;
use chrono::{Duration, Utc};
use sea_orm::{ActiveValue::Set, EntityTrait, QueryOrder};
use crate::demo::{DemoStep, Seed};

pub struct Demo;

#[async_trait::async_trait]
impl DemoStep for Demo {
    fn order(&self) -> u16 {
        50
    }

    async fn seed(&self, s: &mut Seed<'_>) -> anyhow::Result<()> {
        insert_meeting(s.txn, s.base).await?;
        Ok(())
    }
}

/// A meeting of the office with organisations two weeks ahead (seed 000 pt 3), invitations sent
/// to the first twelve published organisations, some of which have answered. No e-mail is sent.
async fn insert_meeting(
    db: &sea_orm::DatabaseTransaction,
    base: chrono::DateTime<Utc>,
) -> Result<(), sea_orm::DbErr> {
    use crate::meetings::entity::meeting;
    use crate::meetings::entity::meeting_invitation;
    use sea_orm::{ActiveModelTrait, ColumnTrait, IntoActiveModel, QueryFilter, QuerySelect};
    let starts = base + Duration::days(14) + Duration::hours(8);
    let invited_at = base - Duration::days(3);
    let m = meeting::ActiveModel {
        slug: Set("forum-organizacji-pozarzadowych".into()),
        title: Set("Forum Organizacji Pozarządowych Wierzbina".into()),
        agenda_md: Set("1. Otwarcie i przedstawienie uczestników\n2. Projekt programu współpracy na przyszły rok – konsultacje\n3. Kalendarz otwartych konkursów ofert\n4. Wolne wnioski".into()),
        place: Set(Some("Urząd Miejski w Wierzbinie, sala sesyjna (parter, wejście bez progów)".into())),
        online_url: Set(None),
        starts_at: Set(starts),
        ends_at: Set(starts + Duration::hours(2)),
        capacity: Set(Some(40)),
        max_party: Set(2),
        seats_taken: Set(0),
        audience: Set(r#"{"organizations":true}"#.into()),
        lang: Set("pl".into()),
        status: Set(crate::meetings::model::Status::Invited),
        invited_at: Set(Some(invited_at)),
        invite_reason: Set(None),
        sequence: Set(0),
        minutes_md: Set(String::new()),
        minutes_published_at: Set(None),
        event_id: Set(None),
        created_by: Set(None),
        created_at: Set(invited_at),
        updated_at: Set(invited_at),
        ..Default::default()
    }
    .insert(db)
    .await?;
    let orgs = organization::Entity::find()
        .filter(organization::Column::Status.eq(organization::Status::Published))
        .filter(organization::Column::Email.is_not_null())
        .order_by_asc(organization::Column::Id)
        .limit(12)
        .all(db)
        .await?;
    let mut seats = 0;
    let mut seen = std::collections::HashSet::new();
    let orgs: Vec<_> = orgs
        .into_iter()
        .filter(|o| seen.insert(o.email.clone().unwrap_or_default().to_lowercase()))
        .collect();
    for (n, o) in orgs.iter().enumerate() {
        let (status, party) = match n % 4 {
            0 | 1 => (crate::meetings::model::InvitationStatus::Attending, 1 + (n % 2) as i32),
            2 => (crate::meetings::model::InvitationStatus::Declined, 1),
            _ => (crate::meetings::model::InvitationStatus::Invited, 1),
        };
        if status == crate::meetings::model::InvitationStatus::Attending {
            seats += party;
        }
        let answered = status != crate::meetings::model::InvitationStatus::Invited;
        meeting_invitation::ActiveModel {
            meeting_id: Set(m.id),
            email: Set(o.email.clone().unwrap_or_default().to_lowercase()),
            lang: Set("pl".into()),
            source: Set("organization".into()),
            organization_id: Set(Some(o.id)),
            status: Set(status),
            party_size: Set(party),
            comment: Set(String::new()),
            responded_at: Set(answered.then(|| invited_at + Duration::hours(5 + n as i64))),
            waitlisted_at: Set(None),
            created_at: Set(invited_at),
            updated_at: Set(invited_at),
            ..Default::default()
        }
        .insert(db)
        .await?;
    }
    let mut a = m.into_active_model();
    a.seats_taken = Set(seats);
    let m = a.update(db).await?;
    crate::meetings::model::sync_event(db, &m, "").await
}

