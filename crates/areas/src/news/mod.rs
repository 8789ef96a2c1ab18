//! news

pub mod demo;
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
    r.cached("/aktualnosci", web::list)
    .cached("/aktualnosci.atom", web::feed)
    .cached("/aktualnosci/{slug}", web::show)
    .add("GET", "/panel/organizacje/{id}/aktualnosci", SignedIn, panel::org_list)
    .add("GET", "/panel/organizacje/{id}/aktualnosci/nowa", SignedIn, panel::org_new_page)
    .add("POST", "/panel/organizacje/{id}/aktualnosci/nowa", SignedIn, panel::org_create.layer(axum::extract::DefaultBodyLimit::max(panel::BODY_LIMIT)))
    .add("GET", "/panel/organizacje/{id}/aktualnosci/{article}", SignedIn, panel::org_edit_page)
    .add("POST", "/panel/organizacje/{id}/aktualnosci/{article}", SignedIn, panel::org_edit.layer(axum::extract::DefaultBodyLimit::max(panel::BODY_LIMIT)))
    .add("GET", "/panel/aktualnosci", Official("content"), panel::city_list)
    .add("GET", "/panel/aktualnosci/nowa", Official("content"), panel::city_new_page)
    .add("POST", "/panel/aktualnosci/nowa", Official("content"), panel::city_create.layer(axum::extract::DefaultBodyLimit::max(panel::BODY_LIMIT)))
    .add("GET", "/panel/aktualnosci/{id}", Official("content"), panel::city_edit_page)
    .add("POST", "/panel/aktualnosci/{id}", Official("content"), panel::city_edit.layer(axum::extract::DefaultBodyLimit::max(panel::BODY_LIMIT)))
}

/// What this area adds to the application.
pub const AREA: crate::area::Area = crate::area::Area {
    routes,
    panel: &[
        wspolnie_web::ctx::PanelLink {
            href: "/panel/aktualnosci",
            label: "city-news-title",
            permission: wspolnie_web::policy::Permission::Official("content"),
            group: wspolnie_web::ctx::PanelGroup::Content,
            order: 20,
            count: None,
        },
    ],
    open_data: &[crate::area::OpenData {
        href: "/aktualnosci.atom",
        title: "open-data-news",
        description: "open-data-news-text",
        format: "Atom",
        media_type: "application/atom+xml",
    }],

    nav: &[wspolnie_web::ctx::NavLink {
        href: "/aktualnosci",
        label: "nav-news",
        order: 40,
    }],
    moderation: &[&model::ArticleSubject],
    tables: &[
        wspolnie_platform::personal::Table {
            name: "articles",
            personal: &[],
            not_personal: &[("created_by", "a reference to an account; the users row is anonymised on deletion")],
        },
        wspolnie_platform::personal::Table::plain("article_files"),
    ],
    demo: Some(&demo::Demo),
    public_tables: &["articles", "article_files"],
    ..crate::area::Area::new("news")
};
