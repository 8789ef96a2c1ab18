//! grants: open calls for offers (art. 11–15 UDPP) — the officials' calls, the offers
//! organisations fill in together and submit without paper, the formal check.

pub mod api;
pub mod demo;
pub mod entity;
pub mod jobs;
pub mod law;
pub mod limits;
pub mod model;
pub mod offer;
pub mod panel;
pub mod personal;
pub mod public;
pub mod rules;
pub mod store;
pub mod web;

use wspolnie_web::ctx::{PanelGroup, PanelLink};
use wspolnie_web::policy::Permission;
use wspolnie_web::routes::Routes;

/// The routes of this area with their permissions.
pub fn routes(r: Routes) -> Routes {
    use Permission::*;
    r.add("GET", "/panel/konkursy", Official("grants"), panel::list)
        .add("GET", "/panel/konkursy/nowy", Official("grants"), panel::new_page)
        .add("POST", "/panel/konkursy/nowy", Official("grants"), panel::create)
        .add("GET", "/panel/konkursy/{id}", Official("grants"), panel::show)
        .add("GET", "/panel/konkursy/{id}/edycja", Official("grants"), panel::edit_page)
        .add("POST", "/panel/konkursy/{id}/edycja", Official("grants"), panel::edit)
        .add("POST", "/panel/konkursy/{id}/status", Official("grants"), panel::move_status)
        .add("POST", "/panel/konkursy/{id}/kopia", Official("grants"), panel::clone)
        .cached("/konkursy", web::list)
        .cached("/konkursy.csv", web::export_csv)
        .cached("/konkursy.json", web::export_json)
        .cached("/konkursy/{slug}", web::show)
        .cached("/konkursy/{slug}/ogloszenie.pdf", web::pdf)
        .cached("/api/v1/calls", api::calls_list)
        .cached("/api/v1/calls/{slug}", api::call_detail)
}

/// What this area adds to the application.
pub const AREA: crate::area::Area = crate::area::Area {
    routes,
    jobs: jobs::register,
    tables: personal::TABLES,
    demo: Some(&demo::Demo),
    panel: &[PanelLink {
        href: "/panel/konkursy",
        label: "call-panel-title",
        permission: Permission::Official("grants"),
        group: PanelGroup::Grants,
        order: 10,
        count: None,
    }],
    public_tables: &["grant_calls", "grant_offers"],
    nav: &[wspolnie_web::ctx::NavLink {
        href: "/konkursy",
        label: "nav-calls",
        order: 25,
    }],
    open_data: &[
        crate::area::OpenData {
            href: "/konkursy.csv",
            title: "open-data-calls",
            description: "open-data-calls-csv",
            format: "CSV",
            media_type: "text/csv",
        },
        crate::area::OpenData {
            href: "/konkursy.json",
            title: "open-data-calls",
            description: "open-data-calls-json",
            format: "JSON",
            media_type: "application/json",
        },
        crate::area::OpenData {
            href: "/api/v1/calls",
            title: "open-data-calls-api",
            description: "open-data-calls-api-text",
            format: "JSON API",
            media_type: "application/json",
        },
    ],
    ..crate::area::Area::new("grants")
};
