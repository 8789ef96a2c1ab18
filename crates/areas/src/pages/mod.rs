//! pages

pub mod contacts;
pub mod demo;
pub mod limits;
pub mod web;
pub mod entity;

use wspolnie_web::policy::Permission;
use axum::handler::Handler;
use wspolnie_web::routes::Routes;

/// The routes of this area with their permissions.
pub fn routes(r: Routes) -> Routes {
    use Permission::*;
    r.cached("/kontakt", contacts::public)
    .cached("/dostepnosc", web::accessibility)
    .cached("/strony/{slug}", web::show)
    .add("GET", "/panel/strony", Official("content"), web::list)
    .add("GET", "/panel/strony/{id}", Official("content"), web::edit_form)
    .add("POST", "/panel/strony/{id}", Official("content"), web::save)
    .add("POST", "/panel/strony/{id}/zalaczniki", Official("content"), web::upload.layer(axum::extract::DefaultBodyLimit::max(web::BODY_LIMIT)))
    .add("POST", "/panel/strony/{id}/zalaczniki/{file}/usun", Official("content"), web::remove_file)
    .add("GET", "/panel/kontakty", Official("content"), contacts::list)
    .add("GET", "/panel/kontakty/nowy", Official("content"), contacts::new_form)
    .add("POST", "/panel/kontakty/nowy", Official("content"), contacts::create)
    .add("GET", "/panel/kontakty/{id}", Official("content"), contacts::edit_form)
    .add("POST", "/panel/kontakty/{id}", Official("content"), contacts::update)
    .add("POST", "/panel/kontakty/{id}/usun", Official("content"), contacts::delete)
    .add("GET", "/panel/stopka", Staff, web::footer_snippet)
}

/// What this area adds to the application.
pub const AREA: crate::area::Area = crate::area::Area {
    routes,

    nav: &[wspolnie_web::ctx::NavLink {
        href: "/kontakt",
        label: "nav-contact",
        order: 50,
    }],
    tables: &[
        wspolnie_platform::personal::Table {
            name: "pages",
            personal: &[],
            not_personal: &[("updated_by", "a reference to an account; the users row is anonymised on deletion")],
        },
        wspolnie_platform::personal::Table::plain("page_files"),
        wspolnie_platform::personal::Table {
            name: "office_contacts",
            personal: &[],
            not_personal: &[("email", "an office contact published by the office"), ("phone", "an office contact published by the office")],
        },
    ],
    demo: Some(&demo::Demo),
    panel: &[
        wspolnie_web::ctx::PanelLink {
            href: "/panel/strony",
            label: "pages-panel-title",
            permission: wspolnie_web::policy::Permission::Official("content"),
            group: wspolnie_web::ctx::PanelGroup::Content,
            order: 10,
            count: None,
        },
        wspolnie_web::ctx::PanelLink {
            href: "/panel/kontakty",
            label: "contacts-panel-title",
            permission: wspolnie_web::policy::Permission::Official("content"),
            group: wspolnie_web::ctx::PanelGroup::Content,
            order: 30,
            count: None,
        },
        wspolnie_web::ctx::PanelLink {
            href: "/panel/stopka",
            label: "footer-snippet-title",
            permission: wspolnie_web::policy::Permission::Staff,
            group: wspolnie_web::ctx::PanelGroup::Content,
            order: 40,
            count: None,
        },
    ],
    public_tables: &["pages", "page_files", "office_contacts"],
    ..crate::area::Area::new("pages")
};
