//! The areas of the platform, one folder each: its rules and persistence (`model.rs`,
//! `entity/`), its handlers (`web.rs`, …), its templates (`templates/`), its e-mails (`mail.rs`)
//! and its manifest (`AREA` in `mod.rs`, see `area::Area`). This file lists the areas once and
//! composes their manifests into the application.

pub mod area;
pub mod chunked;
pub mod demo;
pub mod lifecycle;
pub mod openapi;

use area::Area;
use wspolnie_platform::Platform;
use wspolnie_platform::jobs::Registry;
use wspolnie_platform::mail::MailTemplates;
use wspolnie_web::routes::{RouteInfo, Routes};
use wspolnie_web::{AppState, Parts};

/// Declares the area modules and the list of their manifests, in one line.
macro_rules! areas {
    ($($name:ident),* $(,)?) => {
        $(pub mod $name;)*
        /// Every area's manifest.
        pub fn all() -> Vec<&'static Area> {
            vec![$(&$name::AREA),*]
        }
    };
}

areas!(
    site,
    accounts,
    admin,
    directory,
    moderation,
    calendar,
    news,
    pages,
    partners,
    mailings,
    meetings,
    grants,
    consultations,
    programme,
);

/// All routes: the kernel's (files, static assets, health) and every area's.
pub fn routes() -> Routes {
    all()
        .iter()
        .fold(wspolnie_web::routes::kernel(Routes::new()), |r, a| {
            (a.routes)(r)
        })
}

/// Every route the application serves, with its permission.
pub fn table() -> Vec<RouteInfo> {
    routes().table().to_vec()
}

/// Every e-mail template.
pub fn mail_templates() -> MailTemplates {
    MailTemplates::new(all().iter().filter_map(|a| a.mail).collect())
}

/// Every job kind with its handler.
pub fn job_registry() -> Registry {
    let mut r = Registry::kernel(mail_templates());
    for a in all() {
        (a.jobs)(&mut r);
    }
    r
}

/// Everything organisations publish through the moderation queue.
pub fn moderation_subjects() -> moderation::model::Subjects {
    moderation::model::Subjects::new(
        all()
            .iter()
            .flat_map(|a| a.moderation.iter().copied())
            .collect(),
    )
}

/// Every area's way of exporting and erasing what it holds about a person.
pub fn personal_data() -> wspolnie_platform::personal::Holders {
    wspolnie_platform::personal::Holders::new(
        all().iter().filter_map(|a| a.personal_data).collect(),
    )
}

fn demo_steps() -> Vec<&'static dyn demo::DemoStep> {
    all().iter().filter_map(|a| a.demo).collect()
}

/// Loads every area's demo data in one transaction.
pub async fn load_demo(
    db: &sea_orm::DatabaseConnection,
    opts: demo::DemoOptions,
) -> anyhow::Result<demo::DemoSummary> {
    demo::load(db, opts, &demo_steps()).await
}

/// Demo data into an empty database only (`serve --demo`): decided and loaded in one transaction
/// under the migrations' lock, so instances started together load it once.
pub async fn load_demo_if_empty(
    db: &sea_orm::DatabaseConnection,
    opts: demo::DemoOptions,
) -> anyhow::Result<Option<demo::DemoSummary>> {
    demo::load_if_empty(db, opts, &demo_steps()).await
}

/// True when no area holds content yet.
pub async fn is_empty(db: &sea_orm::DatabaseConnection) -> Result<bool, sea_orm::DbErr> {
    demo::is_empty(db, &demo_steps()).await
}

/// Every table a public page, feed or API call reads, as the areas declared them.
pub fn public_tables() -> Vec<&'static str> {
    all()
        .iter()
        .flat_map(|a| a.public_tables.iter().copied())
        .collect()
}

/// The application state with every area's parts and navigation; installs the triggers that
/// move the content version on writes to the public tables.
pub async fn state(platform: Platform) -> anyhow::Result<AppState> {
    let mut parts = Parts::default();
    let mut nav = Vec::new();
    let mut panel = Vec::new();
    let mut open_data = Vec::new();
    for a in all() {
        (a.parts)(&mut parts);
        nav.extend_from_slice(a.nav);
        panel.extend_from_slice(a.panel);
        open_data.extend_from_slice(a.open_data);
    }
    nav.sort_by_key(|l| l.order);
    panel.sort_by_key(|l| (l.group, l.order));
    parts.insert(wspolnie_web::ctx::PanelLinks(panel));
    parts.insert(wspolnie_platform::jobs::MailKinds(
        job_registry().mail_kinds(&platform.config.jobs),
    ));
    parts.insert(area::OpenDataList(open_data));
    parts.insert(moderation_subjects());
    parts.insert(personal_data());
    wspolnie_platform::content::watch(&platform.db.conn, &public_tables()).await?;
    AppState::new(platform, parts, nav).await
}

/// The whole application: middleware around every area's routes.
pub fn app(state: AppState) -> axum::Router {
    wspolnie_web::app(state, routes())
}
