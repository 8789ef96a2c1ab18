//! Consultations of drafts with organisations and residents (art. 5 ust. 5 UDPP; issue 20): the
//! consultation with its audience, forms, period and life cycle; each version of the draft with
//! source text (its units — §, ust., pkt … — are derived from it by `consultations::text`, a pure
//! function, so they are never stored twice); the remarks, anchored to a unit of the version they were made on,
//! with the office's position; the attachments (files in storage); the office's reusable answers.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Consultations {
    Table,
    Id,
    Slug,
    Title,
    SubjectMd,
    Audience,
    FormOnline,
    FormEntered,
    FormRdpp,
    MeetingId,
    RemarksPublic,
    StartsAt,
    EndsAt,
    ShortReason,
    ContactName,
    ContactEmail,
    Status,
    EventId,
    RdppSentOn,
    RdppOpinionMd,
    RdppOpinionOn,
    MinutesMd,
    SummaryMd,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
    AnnouncedAt,
    ReportedAt,
}

#[derive(DeriveIden)]
enum ConsultationVersions {
    Table,
    Id,
    ConsultationId,
    Number,
    Source,
    Note,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum ConsultationRemarks {
    Table,
    Id,
    ConsultationId,
    VersionId,
    Anchor,
    UnitLabel,
    OrganizationId,
    OrganizationName,
    AuthorName,
    AuthorEmail,
    UserId,
    Channel,
    Proposal,
    Justification,
    EnteredBy,
    CreatedAt,
    Position,
    Answer,
    AnsweredBy,
    AnsweredAt,
    NotifiedAt,
}

#[derive(DeriveIden)]
enum ConsultationFiles {
    Table,
    Id,
    ConsultationId,
    FileKey,
    Title,
    Position,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum ConsultationAnswerTemplates {
    Table,
    Id,
    Title,
    Position,
    Body,
    CreatedBy,
    CreatedAt,
}

fn to_parent<T: IntoIden + 'static, P: IntoIden + 'static>(
    table: T,
    col: impl IntoIden + 'static,
    parent: P,
    parent_id: impl IntoIden + 'static,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(table, col)
        .to(parent, parent_id)
        .on_delete(ForeignKeyAction::Cascade)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        use Consultations as C;
        m.create_table(
            Table::create()
                .table(C::Table)
                .col(big_pk_auto(C::Id))
                .col(string_uniq(C::Slug))
                .col(string(C::Title))
                .col(text(C::SubjectMd))
                .col(string(C::Audience))
                .col(boolean(C::FormOnline))
                .col(boolean(C::FormEntered))
                .col(boolean(C::FormRdpp))
                .col(big_integer_null(C::MeetingId))
                .col(boolean(C::RemarksPublic))
                .col(timestamp_with_time_zone(C::StartsAt))
                .col(timestamp_with_time_zone(C::EndsAt))
                .col(text(C::ShortReason).default(""))
                .col(string(C::ContactName))
                .col(string(C::ContactEmail))
                .col(string(C::Status))
                .col(big_integer_null(C::EventId))
                .col(date_null(C::RdppSentOn))
                .col(text(C::RdppOpinionMd).default(""))
                .col(date_null(C::RdppOpinionOn))
                .col(text(C::MinutesMd).default(""))
                .col(text(C::SummaryMd).default(""))
                .col(big_integer_null(C::CreatedBy))
                .col(timestamp_with_time_zone(C::CreatedAt))
                .col(timestamp_with_time_zone(C::UpdatedAt))
                .col(timestamp_with_time_zone_null(C::AnnouncedAt))
                .col(timestamp_with_time_zone_null(C::ReportedAt))
                .to_owned(),
        )
        .await?;
        use ConsultationVersions as V;
        m.create_table(
            Table::create()
                .table(V::Table)
                .col(big_pk_auto(V::Id))
                .col(big_integer(V::ConsultationId))
                .col(integer(V::Number))
                .col(text(V::Source))
                .col(text(V::Note).default(""))
                .col(big_integer_null(V::CreatedBy))
                .col(timestamp_with_time_zone(V::CreatedAt))
                .foreign_key(&mut to_parent(V::Table, V::ConsultationId, C::Table, C::Id))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_consultation_versions_number")
                .table(V::Table)
                .col(V::ConsultationId)
                .col(V::Number)
                .unique()
                .to_owned(),
        )
        .await?;
        use ConsultationRemarks as R;
        m.create_table(
            Table::create()
                .table(R::Table)
                .col(big_pk_auto(R::Id))
                .col(big_integer(R::ConsultationId))
                .col(big_integer(R::VersionId))
                .col(string(R::Anchor))
                .col(string(R::UnitLabel))
                .col(big_integer_null(R::OrganizationId))
                .col(string(R::OrganizationName).default(""))
                .col(string(R::AuthorName))
                .col(string(R::AuthorEmail).default(""))
                .col(big_integer_null(R::UserId))
                .col(string(R::Channel))
                .col(text(R::Proposal))
                .col(text(R::Justification))
                .col(big_integer_null(R::EnteredBy))
                .col(timestamp_with_time_zone(R::CreatedAt))
                .col(string_null(R::Position))
                .col(text(R::Answer).default(""))
                .col(big_integer_null(R::AnsweredBy))
                .col(timestamp_with_time_zone_null(R::AnsweredAt))
                .col(timestamp_with_time_zone_null(R::NotifiedAt))
                .foreign_key(&mut to_parent(R::Table, R::ConsultationId, C::Table, C::Id))
                .foreign_key(&mut to_parent(R::Table, R::VersionId, V::Table, V::Id))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_consultation_remarks_consultation")
                .table(R::Table)
                .col(R::ConsultationId)
                .to_owned(),
        )
        .await?;
        use ConsultationFiles as F;
        m.create_table(
            Table::create()
                .table(F::Table)
                .col(big_pk_auto(F::Id))
                .col(big_integer(F::ConsultationId))
                .col(string(F::FileKey))
                .col(string(F::Title))
                .col(integer(F::Position))
                .col(big_integer_null(F::CreatedBy))
                .col(timestamp_with_time_zone(F::CreatedAt))
                .foreign_key(&mut to_parent(F::Table, F::ConsultationId, C::Table, C::Id))
                .to_owned(),
        )
        .await?;
        use ConsultationAnswerTemplates as T;
        m.create_table(
            Table::create()
                .table(T::Table)
                .col(big_pk_auto(T::Id))
                .col(string(T::Title))
                .col(string(T::Position))
                .col(text(T::Body))
                .col(big_integer_null(T::CreatedBy))
                .col(timestamp_with_time_zone(T::CreatedAt))
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            ConsultationAnswerTemplates::Table.into_iden(),
            ConsultationFiles::Table.into_iden(),
            ConsultationRemarks::Table.into_iden(),
            ConsultationVersions::Table.into_iden(),
            Consultations::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
