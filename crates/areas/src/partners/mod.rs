//! partners

pub mod demo;
pub mod limits;
pub mod mail;
pub mod media;
pub mod model;
pub mod personal;
pub mod web;
pub mod entity;

use wspolnie_web::policy::Permission;
use wspolnie_web::routes::Routes;

/// The routes of this area with their permissions.
pub fn routes(r: Routes) -> Routes {
    use Permission::*;
    r.cached("/wspolpraca/promocja", media::form)
    .add("POST", "/wspolpraca/promocja", Public, media::submit)
    .add("GET", "/panel/promocja", Official("content"), media::list)
    .add("GET", "/panel/promocja/{id}", Official("content"), media::show)
    .add("POST", "/panel/promocja/{id}", Official("content"), media::update)
    .cached("/wspolpraca", web::list)
    .cached("/wspolpraca/{slug}", web::show)
    .add("POST", "/wspolpraca/{slug}", Public, web::declare)
    .add("GET", "/panel/wspolpraca", Official("content"), web::panel_list)
    .add("GET", "/panel/wspolpraca/nowe", Official("content"), web::panel_new_page)
    .add("POST", "/panel/wspolpraca/nowe", Official("content"), web::panel_create)
    .add("GET", "/panel/wspolpraca/{id}", Official("content"), web::panel_edit_page)
    .add("POST", "/panel/wspolpraca/{id}", Official("content"), web::panel_edit)
    .add("GET", "/panel/wspolpraca/{id}/zgloszenia", Official("content"), web::panel_interests)
    .add("GET", "/panel/wspolpraca/{id}/zgloszenia.csv", Official("content"), web::panel_interests_csv)
}

/// What this area adds to the application.
pub const AREA: crate::area::Area = crate::area::Area {
    routes,
    mail: Some(mail::body),
    tables: personal::TABLES,
    personal_data: Some(&personal::Partners),
    demo: Some(&demo::Demo),
    panel: &[
        wspolnie_web::ctx::PanelLink {
            href: "/panel/wspolpraca",
            label: "panel-partner-title",
            permission: wspolnie_web::policy::Permission::Official("content"),
            group: wspolnie_web::ctx::PanelGroup::Communication,
            order: 30,
            count: Some(wspolnie_web::ctx::PanelCount {
                count: model::declarations_ahead_count,
                label: "panel-count-declarations",
            }),
        },
        wspolnie_web::ctx::PanelLink {
            href: "/panel/promocja",
            label: "media-panel-title",
            permission: wspolnie_web::policy::Permission::Official("content"),
            group: wspolnie_web::ctx::PanelGroup::Communication,
            order: 40,
            count: Some(wspolnie_web::ctx::PanelCount {
                count: model::media_waiting_count,
                label: "panel-count-media",
            }),
        },
    ],
    public_tables: &["partner_activities"],
    ..crate::area::Area::new("partners")
};
