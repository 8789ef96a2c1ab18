//! directory

pub mod api;
pub mod confirm;
pub mod demo;
pub mod import;
pub mod import_page;
pub mod index;
pub mod limits;
pub mod mail;
pub mod members;
pub mod model;
pub mod profile;
pub mod status;
pub mod web;
pub mod entity;

use wspolnie_web::policy::Permission;
use axum::handler::Handler;
use wspolnie_web::routes::Routes;

/// The routes of this area with their permissions.
pub fn routes(r: Routes) -> Routes {
    use Permission::*;
    r.cached("/organizacje", web::list)
    .cached("/organizacje.csv", web::export_csv)
    .cached("/organizacje.json", web::export_json)
    .cached("/api/v1/openapi.json", crate::openapi::openapi_json)
    .cached("/api/v1/organizations", api::organizations)
    .cached("/api/v1/organizations/{slug}", api::organization)
    .add("GET", "/organizacje/potwierdz", Public, status::confirm_page)
    .add("POST", "/organizacje/potwierdz", Public, status::confirm)
    .cached("/organizacje/{slug}", web::show)
    .add("GET", "/panel/admin/import", Admin, import_page::page)
    .add("POST", "/panel/admin/import", Admin, import_page::upload.layer(axum::extract::DefaultBodyLimit::max(
            import_page::BODY_LIMIT,
        )))
    .add("GET", "/panel/admin/import/wzor.csv", Admin, import_page::sample)
    .add("GET", "/panel/admin/import/{id}", Admin, import_page::run_page)
    .add("GET", "/panel/admin/import/{id}/bledy.csv", Admin, import_page::error_report)
    .add("GET", "/panel/organizacje", SignedIn, members::page)
    .add("POST", "/panel/organizacje/{id}/zaproszenie", SignedIn, members::invite)
    .add("POST", "/panel/organizacje/{id}/usun-czlonka", SignedIn, members::remove)
    .add("GET", "/panel/organizacje/nowa", SignedIn, profile::register_page)
    .add("POST", "/panel/organizacje/nowa", SignedIn, profile::register.layer(axum::extract::DefaultBodyLimit::max(wspolnie_web::forms::MULTIPART_BODY_LIMIT)))
    .add("GET", "/panel/organizacje/{id}/profil", SignedIn, profile::edit_page)
    .add("POST", "/panel/organizacje/{id}/profil", SignedIn, profile::edit.layer(axum::extract::DefaultBodyLimit::max(wspolnie_web::forms::MULTIPART_BODY_LIMIT)))
    .add("GET", "/panel/organizacje/{id}/historia", SignedIn, profile::history)
    .add("GET", "/panel/organizacje/{id}/przejecie", SignedIn, profile::claim_page)
    .add("POST", "/panel/organizacje/{id}/przejecie", SignedIn, profile::claim)
    .add("GET", "/panel/katalog", Official("moderation"), status::status)
    .add("POST", "/panel/katalog/{id}/prosba", Official("moderation"), status::send_request)
    .add("POST", "/panel/katalog/{id}/odbicia", Official("moderation"), status::set_bounced)
}

/// What this area adds to the application.
pub const AREA: crate::area::Area = crate::area::Area {
    routes,
    open_data: &[
        crate::area::OpenData {
            href: "/organizacje.csv",
            title: "open-data-organizations",
            description: "open-data-organizations-csv",
            format: "CSV",
            media_type: "text/csv",
        },
        crate::area::OpenData {
            href: "/organizacje.json",
            title: "open-data-organizations",
            description: "open-data-organizations-json",
            format: "JSON",
            media_type: "application/json",
        },
        crate::area::OpenData {
            href: "/api/v1/organizations",
            title: "open-data-api",
            description: "open-data-api-text",
            format: "JSON API",
            media_type: "application/json",
        },
        crate::area::OpenData {
            href: "/api/v1/openapi.json",
            title: "open-data-openapi",
            description: "open-data-openapi-text",
            format: "OpenAPI",
            media_type: "application/json",
        },
    ],
    mail: Some(mail::body),
    nav: &[wspolnie_web::ctx::NavLink {
        href: "/organizacje",
        label: "nav-organizations",
        order: 10,
    }],
    jobs,
    parts,
    moderation: &[&model::OrganizationSubject],
    tables: &[
        wspolnie_platform::personal::Table {
            name: "organizations",
            personal: &[],
            not_personal: &[("email", "the organisation's published contact"), ("phone", "the organisation's published contact")],
        },
        wspolnie_platform::personal::Table {
            name: "organization_contacts",
            personal: &[],
            not_personal: &[("email", "the organisation's published contact"), ("phone", "the organisation's published contact")],
        },
        wspolnie_platform::personal::Table::plain("organization_spheres"),
        wspolnie_platform::personal::Table::plain("organization_target_groups"),
        wspolnie_platform::personal::Table {
            name: "directory_imports",
            personal: &[],
            not_personal: &[("created_by", "the administrator who uploaded the file: an official's work record, kept with the audit log")],
        },
    ],
    demo: Some(&demo::Demo),
    panel: &[
        wspolnie_web::ctx::PanelLink {
            href: "/panel/organizacje",
            label: "my-orgs-title",
            permission: wspolnie_web::policy::Permission::SignedIn,
            group: wspolnie_web::ctx::PanelGroup::Organisations,
            order: 10,
            count: Some(wspolnie_web::ctx::PanelCount {
                count: confirm::due_count,
                label: "panel-count-confirmation-due",
            }),
        },
        wspolnie_web::ctx::PanelLink {
            href: "/panel/organizacje/nowa",
            label: "profile-register-title",
            permission: wspolnie_web::policy::Permission::SignedIn,
            group: wspolnie_web::ctx::PanelGroup::Organisations,
            order: 50,
            count: None,
        },
        wspolnie_web::ctx::PanelLink {
            href: "/panel/katalog",
            label: "directory-status-title",
            permission: wspolnie_web::policy::Permission::Official("moderation"),
            group: wspolnie_web::ctx::PanelGroup::Moderation,
            order: 20,
            count: Some(wspolnie_web::ctx::PanelCount {
                count: confirm::stale_count,
                label: "panel-count-stale",
            }),
        },
        wspolnie_web::ctx::PanelLink {
            href: "/panel/admin/import",
            label: "import-title",
            permission: wspolnie_web::policy::Permission::Admin,
            group: wspolnie_web::ctx::PanelGroup::Administration,
            order: 50,
            count: None,
        },
    ],
    public_tables: &["organizations", "organization_contacts", "organization_spheres", "organization_target_groups"],
    ..crate::area::Area::new("directory")
};

fn jobs(r: &mut wspolnie_platform::jobs::Registry) {
    r.register(confirm::JOB, confirm::ConfirmationsHandler);
    r.register(import::JOB, import::ImportHandler);
}

fn parts(p: &mut wspolnie_web::Parts) {
    p.insert(index::DirectoryIndex::default());
}
