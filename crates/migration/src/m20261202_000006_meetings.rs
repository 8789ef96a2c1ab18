//! Meetings of the office with organisations (seed 000 pt 3: invitations at least 7 days ahead,
//! organisations answer whether they attend). `meetings.seats_taken` is the number of confirmed
//! places; answers change it with one conditional UPDATE, so capacity holds under concurrent
//! answers on both databases. `meeting_invitations` is one row per invited address.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Meetings {
    Table,
    Id,
    Slug,
    Title,
    AgendaMd,
    Place,
    OnlineUrl,
    StartsAt,
    EndsAt,
    Capacity,
    MaxParty,
    SeatsTaken,
    Audience,
    Lang,
    Status,
    InvitedAt,
    InviteReason,
    Sequence,
    MinutesMd,
    MinutesPublishedAt,
    EventId,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum MeetingInvitations {
    Table,
    Id,
    MeetingId,
    Email,
    Lang,
    Source,
    OrganizationId,
    Status,
    PartySize,
    Comment,
    RespondedAt,
    WaitlistedAt,
    CreatedAt,
    UpdatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Meetings::Table)
                .col(big_pk_auto(Meetings::Id))
                .col(string_uniq(Meetings::Slug))
                .col(string(Meetings::Title))
                .col(text(Meetings::AgendaMd))
                .col(string_null(Meetings::Place))
                .col(string_null(Meetings::OnlineUrl))
                .col(timestamp_with_time_zone(Meetings::StartsAt))
                .col(timestamp_with_time_zone(Meetings::EndsAt))
                // NULL = no limit of places.
                .col(integer_null(Meetings::Capacity))
                // Most people one answer may bring (the invitee included).
                .col(integer(Meetings::MaxParty).default(1))
                .col(integer(Meetings::SeatsTaken).default(0))
                // A mailings::Audience as JSON.
                .col(text(Meetings::Audience))
                .col(string(Meetings::Lang))
                // draft → invited, or cancelled.
                .col(string(Meetings::Status))
                .col(timestamp_with_time_zone_null(Meetings::InvitedAt))
                // Written reason when invitations went out later than the minimum notice.
                .col(text_null(Meetings::InviteReason))
                // iCalendar SEQUENCE: raised on every change sent to invitees.
                .col(integer(Meetings::Sequence).default(0))
                .col(text(Meetings::MinutesMd).default(""))
                .col(timestamp_with_time_zone_null(Meetings::MinutesPublishedAt))
                // The calendar entry (an `events` row of category `spotkanie`).
                .col(big_integer_null(Meetings::EventId))
                .col(big_integer_null(Meetings::CreatedBy))
                .col(timestamp_with_time_zone(Meetings::CreatedAt))
                .col(timestamp_with_time_zone(Meetings::UpdatedAt))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_meetings_starts")
                .table(Meetings::Table)
                .col(Meetings::StartsAt)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(MeetingInvitations::Table)
                .col(big_pk_auto(MeetingInvitations::Id))
                .col(big_integer(MeetingInvitations::MeetingId))
                .col(string(MeetingInvitations::Email))
                .col(string(MeetingInvitations::Lang))
                // `organization`, `subscriber` or `custom` (as in mailings).
                .col(string(MeetingInvitations::Source))
                .col(big_integer_null(MeetingInvitations::OrganizationId))
                // invited → attending | waitlisted | declined (and back, answers can change).
                .col(string(MeetingInvitations::Status))
                .col(integer(MeetingInvitations::PartySize).default(1))
                .col(text(MeetingInvitations::Comment).default(""))
                .col(timestamp_with_time_zone_null(
                    MeetingInvitations::RespondedAt,
                ))
                // Order of the waiting list.
                .col(timestamp_with_time_zone_null(
                    MeetingInvitations::WaitlistedAt,
                ))
                .col(timestamp_with_time_zone(MeetingInvitations::CreatedAt))
                .col(timestamp_with_time_zone(MeetingInvitations::UpdatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(MeetingInvitations::Table, MeetingInvitations::MeetingId)
                        .to(Meetings::Table, Meetings::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_meeting_invitations_address")
                .table(MeetingInvitations::Table)
                .col(MeetingInvitations::MeetingId)
                .col(MeetingInvitations::Email)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_meeting_invitations_status")
                .table(MeetingInvitations::Table)
                .col(MeetingInvitations::MeetingId)
                .col(MeetingInvitations::Status)
                .to_owned(),
        )
        .await
    }
}
