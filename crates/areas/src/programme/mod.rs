//! programme: the annual (or multi-year) cooperation programme with organisations (art. 5a
//! UDPP; issue 21) and the report on its implementation generated from the platform's own data.
//! The forms (`model.rs`), the writes and reads (`store.rs`), the figures of a year
//! (`figures.rs`), the report's tables, charts and documents (`report.rs`), the statutory
//! deadlines and their reminders (`deadlines.rs`), the office's pages (`panel.rs`) and the
//! public ones (`public.rs`).

pub mod deadlines;
pub mod demo;
pub mod entity;
pub mod figures;
pub mod limits;
pub mod mail;
pub mod model;
pub mod panel;
pub mod personal;
pub mod public;
pub mod report;
pub mod store;

use wspolnie_web::ctx::{NavLink, PanelCount, PanelGroup, PanelLink};
use wspolnie_web::policy::Permission;
use wspolnie_web::routes::Routes;

/// The scope of the officials in charge of the programme (pełnomocnik ds. współpracy).
pub const SCOPE: &str = "programme";

/// The routes of this area with their permissions.
pub fn routes(r: Routes) -> Routes {
    use Permission::*;
    let office = Official(SCOPE);
    r.add("GET", "/panel/program", office, panel::list)
        .add("GET", "/panel/program/nowy", office, panel::new_page)
        .add("POST", "/panel/program/nowy", office, panel::create)
        .add("GET", "/panel/program/{id}", office, panel::show)
        .add("GET", "/panel/program/{id}/edycja", office, panel::edit_page)
        .add("POST", "/panel/program/{id}/edycja", office, panel::edit)
        .add("POST", "/panel/program/{id}/status", office, panel::move_status)
        .add("POST", "/panel/program/{id}/uchwala", office, panel::adopt)
        .add("POST", "/panel/program/{id}/konkursy", office, panel::link_calls)
        .add("GET", "/panel/program/{id}/sprawozdanie/{year}", office, panel::report_page)
        .add("POST", "/panel/program/{id}/sprawozdanie/{year}", office, panel::report_save)
        .add("POST", "/panel/program/{id}/sprawozdanie/{year}/publikacja", office, panel::report_publish)
        .cached("/program", public::list)
        .cached("/program/{slug}", public::show)
        .cached("/program/{slug}/sprawozdanie/{year}", report::page)
        .cached("/program/{slug}/sprawozdanie/{year}/raport.pdf", report::pdf)
        .cached("/program/{slug}/sprawozdanie/{year}/raport.odt", report::odt)
        .cached("/program/{slug}/sprawozdanie/{year}/{table}", report::csv)
}

/// What this area adds to the application.
pub const AREA: crate::area::Area = crate::area::Area {
    routes,
    mail: Some(mail::body),
    tables: personal::TABLES,
    demo: Some(&demo::Demo),
    nav: &[NavLink {
        href: "/program",
        label: "nav-programme",
        order: 28,
    }],
    panel: &[PanelLink {
        href: "/panel/program",
        label: "prog-panel-title",
        permission: Permission::Official(SCOPE),
        group: PanelGroup::Programme,
        order: 10,
        count: Some(PanelCount {
            count: panel::deadline_count,
            label: "prog-panel-count",
        }),
    }],
    public_tables: &["programmes", "programme_tasks", "programme_indicators", "programme_reports"],
    ..crate::area::Area::new("programme")
};
