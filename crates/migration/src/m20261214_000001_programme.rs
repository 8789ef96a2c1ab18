//! The annual (or multi-year) cooperation programme with organisations (art. 5a UDPP; issue 21):
//! its eleven required parts, its priority tasks (each with its spheres and planned funds) and
//! the indicators it is evaluated by; the yearly report on its implementation (the office's
//! narrative, manual indicator values, and the figures frozen when it is published). Calls and
//! small-grant registers name the priority task they serve (`grant_calls.programme_task_id`).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Programmes {
    Table,
    Id,
    Slug,
    Title,
    YearFrom,
    YearTo,
    Status,
    MainGoal,
    SpecificGoals,
    Principles,
    Scope,
    Forms,
    Implementation,
    TotalFunds,
    Evaluation,
    Drafting,
    ConsultationId,
    Commissions,
    ResolutionNumber,
    ResolutionDate,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
    AdoptedAt,
    Version,
}

#[derive(DeriveIden)]
enum ProgrammeTasks {
    Table,
    Id,
    ProgrammeId,
    Position,
    Name,
    Spheres,
    PlannedFunds,
}

#[derive(DeriveIden)]
enum ProgrammeIndicators {
    Table,
    Id,
    ProgrammeId,
    Position,
    Name,
    Metric,
    Target,
}

#[derive(DeriveIden)]
enum ProgrammeReports {
    Table,
    Id,
    ProgrammeId,
    Year,
    Status,
    Introduction,
    Financial,
    NonFinancial,
    Conclusions,
    ManualValues,
    Figures,
    PublishedAt,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum GrantCalls {
    Table,
    ProgrammeTaskId,
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
        use Programmes as P;
        m.create_table(
            Table::create()
                .table(P::Table)
                .col(big_pk_auto(P::Id))
                .col(string_uniq(P::Slug))
                .col(string(P::Title))
                .col(integer(P::YearFrom))
                .col(integer(P::YearTo))
                .col(string(P::Status))
                .col(text(P::MainGoal))
                .col(text(P::SpecificGoals))
                .col(text(P::Principles))
                .col(text(P::Scope))
                .col(text(P::Forms))
                .col(text(P::Implementation))
                .col(big_integer(P::TotalFunds))
                .col(text(P::Evaluation))
                .col(text(P::Drafting))
                .col(big_integer_null(P::ConsultationId))
                .col(text(P::Commissions))
                .col(string(P::ResolutionNumber).default(""))
                .col(date_null(P::ResolutionDate))
                .col(big_integer_null(P::CreatedBy))
                .col(timestamp_with_time_zone(P::CreatedAt))
                .col(timestamp_with_time_zone(P::UpdatedAt))
                .col(timestamp_with_time_zone_null(P::AdoptedAt))
                .col(integer(P::Version).default(1))
                .to_owned(),
        )
        .await?;
        use ProgrammeTasks as T;
        m.create_table(
            Table::create()
                .table(T::Table)
                .col(big_pk_auto(T::Id))
                .col(big_integer(T::ProgrammeId))
                .col(integer(T::Position))
                .col(text(T::Name))
                .col(string(T::Spheres))
                .col(big_integer(T::PlannedFunds))
                .foreign_key(&mut to_parent(T::Table, T::ProgrammeId, P::Table, P::Id))
                .to_owned(),
        )
        .await?;
        use ProgrammeIndicators as I;
        m.create_table(
            Table::create()
                .table(I::Table)
                .col(big_pk_auto(I::Id))
                .col(big_integer(I::ProgrammeId))
                .col(integer(I::Position))
                .col(text(I::Name))
                .col(string(I::Metric))
                .col(big_integer(I::Target))
                .foreign_key(&mut to_parent(I::Table, I::ProgrammeId, P::Table, P::Id))
                .to_owned(),
        )
        .await?;
        use ProgrammeReports as R;
        m.create_table(
            Table::create()
                .table(R::Table)
                .col(big_pk_auto(R::Id))
                .col(big_integer(R::ProgrammeId))
                .col(integer(R::Year))
                .col(string(R::Status))
                .col(text(R::Introduction).default(""))
                .col(text(R::Financial).default(""))
                .col(text(R::NonFinancial).default(""))
                .col(text(R::Conclusions).default(""))
                .col(text(R::ManualValues).default("{}"))
                .col(text_null(R::Figures))
                .col(timestamp_with_time_zone_null(R::PublishedAt))
                .col(big_integer_null(R::CreatedBy))
                .col(timestamp_with_time_zone(R::CreatedAt))
                .col(timestamp_with_time_zone(R::UpdatedAt))
                .foreign_key(&mut to_parent(R::Table, R::ProgrammeId, P::Table, P::Id))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_programme_reports_year")
                .table(R::Table)
                .col(R::ProgrammeId)
                .col(R::Year)
                .unique()
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(GrantCalls::Table)
                .add_column(big_integer_null(GrantCalls::ProgrammeTaskId))
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(GrantCalls::Table)
                .drop_column(GrantCalls::ProgrammeTaskId)
                .to_owned(),
        )
        .await?;
        for t in [
            ProgrammeReports::Table.into_iden(),
            ProgrammeIndicators::Table.into_iden(),
            ProgrammeTasks::Table.into_iden(),
            Programmes::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
