//! Foundation: settings, job outbox, accounts skeleton, spheres, organisations, articles, events
//! and stored files. Later waves add their own migrations; this one is never edited once released.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Settings {
    Table,
    Key,
    Value,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Jobs {
    Table,
    Id,
    Kind,
    Payload,
    IdempotencyKey,
    Status,
    Attempts,
    MaxAttempts,
    RunAt,
    LockedUntil,
    LockedBy,
    LastError,
    CreatedAt,
    UpdatedAt,
    FinishedAt,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
    Email,
    DisplayName,
    PasswordHash,
    Locale,
    EmailVerifiedAt,
    CreatedAt,
    UpdatedAt,
    DeletedAt,
}

#[derive(DeriveIden)]
enum RoleGrants {
    Table,
    Id,
    UserId,
    Role,
    Scope,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Spheres {
    Table,
    Id,
    Code,
    NamePl,
    NameEn,
    Position,
    ValidFrom,
    ValidTo,
}

#[derive(DeriveIden)]
enum Organizations {
    Table,
    Id,
    Slug,
    Name,
    NameFold,
    ShortDescription,
    LegalForm,
    Krs,
    Nip,
    Regon,
    IsOpp,
    Email,
    Phone,
    Website,
    Street,
    PostalCode,
    City,
    District,
    Status,
    SearchText,
    CreatedAt,
    UpdatedAt,
    PublishedAt,
}

#[derive(DeriveIden)]
enum OrganizationSpheres {
    Table,
    OrganizationId,
    SphereId,
    IsLeading,
}

#[derive(DeriveIden)]
enum Articles {
    Table,
    Id,
    Slug,
    Title,
    Lead,
    BodyMd,
    OrganizationId,
    Status,
    SearchText,
    PublishedAt,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Events {
    Table,
    Id,
    Slug,
    Title,
    DescriptionMd,
    StartsAt,
    EndsAt,
    Tz,
    Place,
    OnlineUrl,
    OrganizationId,
    IsFree,
    Status,
    SearchText,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum StoredFiles {
    Table,
    Id,
    Key,
    OriginalName,
    ContentType,
    Size,
    Sha256,
    CreatedAt,
}

fn ts<T: IntoIden>(c: T) -> ColumnDef {
    timestamp_with_time_zone(c)
}
fn ts_null<T: IntoIden>(c: T) -> ColumnDef {
    timestamp_with_time_zone_null(c)
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Settings::Table)
                .col(string(Settings::Key).primary_key())
                .col(text(Settings::Value))
                .col(ts(Settings::UpdatedAt))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Jobs::Table)
                .col(big_pk_auto(Jobs::Id))
                .col(string(Jobs::Kind))
                .col(text(Jobs::Payload))
                .col(string_null(Jobs::IdempotencyKey).unique_key())
                .col(string(Jobs::Status))
                .col(integer(Jobs::Attempts))
                .col(integer(Jobs::MaxAttempts))
                .col(ts(Jobs::RunAt))
                .col(ts_null(Jobs::LockedUntil))
                .col(string_null(Jobs::LockedBy))
                .col(text_null(Jobs::LastError))
                .col(ts(Jobs::CreatedAt))
                .col(ts(Jobs::UpdatedAt))
                .col(ts_null(Jobs::FinishedAt))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_jobs_status_run_at")
                .table(Jobs::Table)
                .col(Jobs::Status)
                .col(Jobs::RunAt)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Users::Table)
                .col(big_pk_auto(Users::Id))
                .col(string_uniq(Users::Email))
                .col(string(Users::DisplayName))
                .col(string_null(Users::PasswordHash))
                .col(string(Users::Locale))
                .col(ts_null(Users::EmailVerifiedAt))
                .col(ts(Users::CreatedAt))
                .col(ts(Users::UpdatedAt))
                .col(ts_null(Users::DeletedAt))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(RoleGrants::Table)
                .col(big_pk_auto(RoleGrants::Id))
                .col(big_integer(RoleGrants::UserId))
                .col(string(RoleGrants::Role))
                .col(string(RoleGrants::Scope))
                .col(ts(RoleGrants::CreatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(RoleGrants::Table, RoleGrants::UserId)
                        .to(Users::Table, Users::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_role_grants")
                .table(RoleGrants::Table)
                .col(RoleGrants::UserId)
                .col(RoleGrants::Role)
                .col(RoleGrants::Scope)
                .unique()
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Spheres::Table)
                .col(big_pk_auto(Spheres::Id))
                .col(string_uniq(Spheres::Code))
                .col(string(Spheres::NamePl))
                .col(string(Spheres::NameEn))
                .col(integer(Spheres::Position))
                .col(date(Spheres::ValidFrom))
                .col(date_null(Spheres::ValidTo))
                .to_owned(),
        )
        .await?;
        let mut insert = Query::insert();
        insert.into_table(Spheres::Table).columns([
            Spheres::Code,
            Spheres::NamePl,
            Spheres::NameEn,
            Spheres::Position,
            Spheres::ValidFrom,
        ]);
        let valid_from = chrono::NaiveDate::from_ymd_opt(2003, 6, 29)
            .ok_or_else(|| DbErr::Custom("date".into()))?;
        for (i, s) in wspolnie_spheres().iter().enumerate() {
            insert.values_panic([
                s.0.into(),
                s.1.into(),
                s.2.into(),
                (i as i32).into(),
                valid_from.into(),
            ]);
        }
        m.exec_stmt(insert).await?;

        m.create_table(
            Table::create()
                .table(Organizations::Table)
                .col(big_pk_auto(Organizations::Id))
                .col(string_uniq(Organizations::Slug))
                .col(string(Organizations::Name))
                .col(string(Organizations::NameFold))
                .col(text(Organizations::ShortDescription))
                .col(string(Organizations::LegalForm))
                .col(string_null(Organizations::Krs))
                .col(string_null(Organizations::Nip))
                .col(string_null(Organizations::Regon))
                .col(boolean(Organizations::IsOpp))
                .col(string_null(Organizations::Email))
                .col(string_null(Organizations::Phone))
                .col(string_null(Organizations::Website))
                .col(string(Organizations::Street))
                .col(string(Organizations::PostalCode))
                .col(string(Organizations::City))
                .col(string(Organizations::District))
                .col(string(Organizations::Status))
                .col(text(Organizations::SearchText))
                .col(ts(Organizations::CreatedAt))
                .col(ts(Organizations::UpdatedAt))
                .col(ts_null(Organizations::PublishedAt))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_organizations_status_name")
                .table(Organizations::Table)
                .col(Organizations::Status)
                .col(Organizations::NameFold)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(OrganizationSpheres::Table)
                .col(big_integer(OrganizationSpheres::OrganizationId))
                .col(big_integer(OrganizationSpheres::SphereId))
                .col(boolean(OrganizationSpheres::IsLeading))
                .primary_key(
                    Index::create()
                        .col(OrganizationSpheres::OrganizationId)
                        .col(OrganizationSpheres::SphereId),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(
                            OrganizationSpheres::Table,
                            OrganizationSpheres::OrganizationId,
                        )
                        .to(Organizations::Table, Organizations::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(OrganizationSpheres::Table, OrganizationSpheres::SphereId)
                        .to(Spheres::Table, Spheres::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_organization_spheres_sphere")
                .table(OrganizationSpheres::Table)
                .col(OrganizationSpheres::SphereId)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Articles::Table)
                .col(big_pk_auto(Articles::Id))
                .col(string_uniq(Articles::Slug))
                .col(string(Articles::Title))
                .col(text(Articles::Lead))
                .col(text(Articles::BodyMd))
                .col(big_integer_null(Articles::OrganizationId))
                .col(string(Articles::Status))
                .col(text(Articles::SearchText))
                .col(ts_null(Articles::PublishedAt))
                .col(ts(Articles::CreatedAt))
                .col(ts(Articles::UpdatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(Articles::Table, Articles::OrganizationId)
                        .to(Organizations::Table, Organizations::Id)
                        .on_delete(ForeignKeyAction::SetNull),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_articles_status_published")
                .table(Articles::Table)
                .col(Articles::Status)
                .col(Articles::PublishedAt)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Events::Table)
                .col(big_pk_auto(Events::Id))
                .col(string_uniq(Events::Slug))
                .col(string(Events::Title))
                .col(text(Events::DescriptionMd))
                .col(ts(Events::StartsAt))
                .col(ts(Events::EndsAt))
                .col(string(Events::Tz))
                .col(string_null(Events::Place))
                .col(string_null(Events::OnlineUrl))
                .col(big_integer_null(Events::OrganizationId))
                .col(boolean(Events::IsFree))
                .col(string(Events::Status))
                .col(text(Events::SearchText))
                .col(ts(Events::CreatedAt))
                .col(ts(Events::UpdatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(Events::Table, Events::OrganizationId)
                        .to(Organizations::Table, Organizations::Id)
                        .on_delete(ForeignKeyAction::SetNull),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_events_status_starts")
                .table(Events::Table)
                .col(Events::Status)
                .col(Events::StartsAt)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(StoredFiles::Table)
                .col(big_pk_auto(StoredFiles::Id))
                .col(string_uniq(StoredFiles::Key))
                .col(string(StoredFiles::OriginalName))
                .col(string(StoredFiles::ContentType))
                .col(big_integer(StoredFiles::Size))
                .col(string(StoredFiles::Sha256))
                .col(ts(StoredFiles::CreatedAt))
                .to_owned(),
        )
        .await?;
        Ok(())
    }
}

/// The sphere list as of this migration (art. 4 ust. 1 UDPP). Copied here on purpose: a migration
/// must keep producing the same rows even when the crate's list is amended later.
fn wspolnie_spheres() -> Vec<(&'static str, &'static str, &'static str)> {
    vec![
        (
            "1",
            "Pomoc społeczna, w tym pomoc rodzinom i osobom w trudnej sytuacji życiowej",
            "Social assistance",
        ),
        (
            "1a",
            "Wspieranie rodziny i systemu pieczy zastępczej",
            "Family support and foster care",
        ),
        (
            "1aa",
            "Zaspokajanie potrzeb mieszkaniowych wspólnoty samorządowej",
            "Community housing needs",
        ),
        (
            "1b",
            "Nieodpłatna pomoc prawna i zwiększanie świadomości prawnej społeczeństwa",
            "Free legal aid and legal awareness",
        ),
        (
            "2",
            "Integracja i reintegracja zawodowa i społeczna osób zagrożonych wykluczeniem",
            "Social and vocational (re)integration",
        ),
        ("3", "Działalność charytatywna", "Charity"),
        (
            "4",
            "Podtrzymywanie i upowszechnianie tradycji narodowej i świadomości obywatelskiej",
            "National tradition and civic awareness",
        ),
        (
            "5",
            "Działalność na rzecz mniejszości narodowych i etnicznych oraz języka regionalnego",
            "National and ethnic minorities, regional language",
        ),
        (
            "5a",
            "Działalność na rzecz integracji cudzoziemców",
            "Integration of foreigners",
        ),
        (
            "6",
            "Ochrona i promocja zdrowia",
            "Health protection and promotion",
        ),
        (
            "7",
            "Działalność na rzecz osób niepełnosprawnych",
            "Persons with disabilities",
        ),
        (
            "8",
            "Promocja zatrudnienia i aktywizacji zawodowej",
            "Employment and vocational activation",
        ),
        (
            "9",
            "Równe prawa kobiet i mężczyzn",
            "Equal rights of women and men",
        ),
        (
            "10",
            "Działalność na rzecz osób w wieku emerytalnym",
            "Persons of retirement age",
        ),
        (
            "11",
            "Rozwój przedsiębiorczości",
            "Economic development and entrepreneurship",
        ),
        (
            "12",
            "Rozwój techniki, wynalazczości i innowacyjności",
            "Technology, invention and innovation",
        ),
        (
            "13",
            "Rozwój wspólnot i społeczności lokalnych",
            "Development of local communities",
        ),
        (
            "14",
            "Nauka, szkolnictwo wyższe, edukacja, oświata i wychowanie",
            "Science, higher education, education",
        ),
        (
            "15",
            "Wypoczynek dzieci i młodzieży",
            "Children and youth leisure",
        ),
        (
            "16",
            "Kultura, sztuka, ochrona dóbr kultury i dziedzictwa narodowego",
            "Culture, art and heritage",
        ),
        (
            "17",
            "Wspieranie i upowszechnianie kultury fizycznej",
            "Physical culture and sport",
        ),
        (
            "18",
            "Ekologia, ochrona zwierząt i dziedzictwa przyrodniczego",
            "Ecology, animal protection, natural heritage",
        ),
        ("19", "Turystyka i krajoznawstwo", "Tourism and sightseeing"),
        (
            "20",
            "Porządek i bezpieczeństwo publiczne",
            "Public order and safety",
        ),
        (
            "21",
            "Obronność państwa i działalność Sił Zbrojnych",
            "Defence and the armed forces",
        ),
        (
            "22",
            "Upowszechnianie wolności i praw człowieka oraz rozwój demokracji",
            "Freedoms, human rights and democracy",
        ),
        (
            "22a",
            "Nieodpłatne poradnictwo obywatelskie",
            "Free civic counselling",
        ),
        (
            "23",
            "Ratownictwo i ochrona ludności",
            "Rescue and civil protection",
        ),
        (
            "24",
            "Pomoc ofiarom katastrof, klęsk żywiołowych, konfliktów zbrojnych i wojen",
            "Aid to victims of disasters and wars",
        ),
        (
            "25",
            "Upowszechnianie i ochrona praw konsumentów",
            "Consumer rights",
        ),
        (
            "26",
            "Integracja europejska oraz współpraca między społeczeństwami",
            "European integration and international cooperation",
        ),
        ("27", "Promocja i organizacja wolontariatu", "Volunteering"),
        (
            "28",
            "Pomoc Polonii i Polakom za granicą",
            "Polish diaspora",
        ),
        (
            "29",
            "Działalność na rzecz kombatantów i osób represjonowanych",
            "War veterans and repressed persons",
        ),
        (
            "29a",
            "Działalność na rzecz weteranów i weteranów poszkodowanych",
            "Military veterans",
        ),
        (
            "30",
            "Promocja Rzeczypospolitej Polskiej za granicą",
            "Promotion of Poland abroad",
        ),
        (
            "31",
            "Rodzina, macierzyństwo, rodzicielstwo, prawa dziecka",
            "Family, parenthood and children's rights",
        ),
        (
            "32",
            "Przeciwdziałanie uzależnieniom i patologiom społecznym",
            "Prevention of addictions and social pathologies",
        ),
        ("32a", "Rewitalizacja", "Revitalisation"),
        (
            "33",
            "Działalność wspomagająca organizacje pozarządowe",
            "Support for NGOs",
        ),
        (
            "34",
            "Wspieranie podmiotów ekonomii społecznej",
            "Social economy entities",
        ),
    ]
}
