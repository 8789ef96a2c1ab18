//! moderation

pub mod mail;
pub mod lifecycle;
pub mod limits;
pub mod model;
pub mod web;
pub mod word_diff;
pub mod entity;

use wspolnie_web::policy::Permission;
use wspolnie_web::routes::Routes;

/// The routes of this area with their permissions.
pub fn routes(r: Routes) -> Routes {
    use Permission::*;
    r.add("GET", "/panel/moderacja", Official("moderation"), web::queue)
    .add("GET", "/panel/moderacja/{id}", Official("moderation"), web::show)
    .add("POST", "/panel/moderacja/{id}", Official("moderation"), web::decide)
}

/// What this area adds to the application.
pub const AREA: crate::area::Area = crate::area::Area {
    routes,
    mail: Some(mail::body),
    tables: &[
        wspolnie_platform::personal::Table {
            name: "revisions",
            personal: &[],
            not_personal: &[("submitted_by", "a reference to an account; the users row is anonymised on deletion"), ("decided_by", "a reference to an account; the users row is anonymised on deletion")],
        },
    ],
    panel: &[
        wspolnie_web::ctx::PanelLink {
            href: "/panel/moderacja",
            label: "moderation-title",
            permission: wspolnie_web::policy::Permission::Official("moderation"),
            group: wspolnie_web::ctx::PanelGroup::Moderation,
            order: 10,
            count: Some(wspolnie_web::ctx::PanelCount {
                count: model::queue_count,
                label: "panel-count-queue",
            }),
        },
    ],
    ..crate::area::Area::new("moderation")
};
