//! calendar

pub mod demo;
pub mod office;
pub mod limits;
pub mod model;
pub mod panel;
pub mod web;
pub mod entity;

use wspolnie_web::policy::Permission;
use axum::handler::Handler;
use wspolnie_web::routes::Routes;

/// The routes of this area with their permissions.
pub fn routes(r: Routes) -> Routes {
    use Permission::*;
    r.cached("/kalendarz", web::list)
    .cached("/kalendarz/{slug}", web::show)
    .cached("/kalendarz.ics", web::feed)
    .cached("/kalendarz/{slug}/wydarzenie.ics", web::event_ics)
    .cached("/organizacje/{slug}/kalendarz.ics", web::organization_feed)
    .add("GET", "/panel/organizacje/{id}/wydarzenia", SignedIn, panel::list)
    .add("GET", "/panel/organizacje/{id}/wydarzenia/nowe", SignedIn, panel::new_page)
    .add("POST", "/panel/organizacje/{id}/wydarzenia/nowe", SignedIn, panel::create.layer(axum::extract::DefaultBodyLimit::max(
            panel::BODY_LIMIT,
        )))
    .add("GET", "/panel/organizacje/{id}/wydarzenia/{event}", SignedIn, panel::edit_page)
    .add("POST", "/panel/organizacje/{id}/wydarzenia/{event}", SignedIn, panel::edit.layer(axum::extract::DefaultBodyLimit::max(
            panel::BODY_LIMIT,
        )))
}

/// What this area adds to the application.
pub const AREA: crate::area::Area = crate::area::Area {
    routes,
    open_data: &[crate::area::OpenData {
        href: "/kalendarz.ics",
        title: "open-data-calendar",
        description: "open-data-calendar-text",
        format: "iCalendar",
        media_type: "text/calendar",
    }],

    nav: &[wspolnie_web::ctx::NavLink {
        href: "/kalendarz",
        label: "nav-calendar",
        order: 20,
    }],
    moderation: &[&model::EventSubject],
    tables: &[
        wspolnie_platform::personal::Table {
            name: "events",
            personal: &[],
            not_personal: &[("created_by", "a reference to an account; the users row is anonymised on deletion")],
        },
        wspolnie_platform::personal::Table::plain("event_spheres"),
        wspolnie_platform::personal::Table::plain("event_target_groups"),
    ],
    demo: Some(&demo::Demo),
    public_tables: &["events", "event_spheres", "event_target_groups"],
    ..crate::area::Area::new("calendar")
};
