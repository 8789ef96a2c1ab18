//! consultations: drafts of local law and of the cooperation programme consulted with
//! organisations, the public benefit council (RDPP) and residents (art. 5 ust. 5 UDPP; issue
//! 20). The draft as a structured text (`text.rs`), its versions compared unit by unit
//! (`compare.rs`), the forms (`model.rs`), the deployment's rules (`rules.rs`), the writes
//! (`store.rs`), the office's pages (`panel.rs`), the public ones (`public.rs`, `report.rs`)
//! and the API (`api.rs`).

pub mod api;
pub mod compare;
pub mod demo;
pub mod entity;
pub mod limits;
pub mod mail;
pub mod model;
pub mod panel;
pub mod personal;
pub mod public;
pub mod report;
pub mod rules;
pub mod store;
pub mod text;

use axum::handler::Handler;
use wspolnie_web::ctx::{NavLink, PanelCount, PanelGroup, PanelLink};
use wspolnie_web::policy::Permission;
use wspolnie_web::routes::Routes;

/// The scope of the officials who run consultations.
pub const SCOPE: &str = "consultations";

/// The routes of this area with their permissions.
pub fn routes(r: Routes) -> Routes {
    use Permission::*;
    let office = Official(SCOPE);
    r.add("GET", "/panel/konsultacje", office, panel::list)
        .add("GET", "/panel/konsultacje/nowa", office, panel::new_page)
        .add("POST", "/panel/konsultacje/nowa", office, panel::create)
        .add("GET", "/panel/konsultacje/szablony", office, panel::templates)
        .add("POST", "/panel/konsultacje/szablony", office, panel::add_template)
        .add("GET", "/panel/konsultacje/{id}", office, panel::show)
        .add("GET", "/panel/konsultacje/{id}/edycja", office, panel::edit_page)
        .add("POST", "/panel/konsultacje/{id}/edycja", office, panel::edit)
        .add("POST", "/panel/konsultacje/{id}/ogloszenie", office, panel::announce)
        .add("POST", "/panel/konsultacje/{id}/wersja", office, panel::new_version)
        .add("POST", "/panel/konsultacje/{id}/uwagi", office, panel::enter_remark)
        .add("POST", "/panel/konsultacje/{id}/odpowiedzi", office, panel::answer)
        .add("POST", "/panel/konsultacje/{id}/opinia", office, panel::opinion)
        .add("POST", "/panel/konsultacje/{id}/raport", office, panel::report)
        .add(
            "POST",
            "/panel/konsultacje/{id}/pliki",
            office,
            panel::upload.layer(axum::extract::DefaultBodyLimit::max(wspolnie_web::forms::MULTIPART_BODY_LIMIT)),
        )
        .add("POST", "/panel/konsultacje/{id}/pliki/{f}/usun", office, panel::remove_file)
        .cached("/konsultacje", public::list)
        .cached("/konsultacje.atom", public::feed)
        .cached("/konsultacje/{slug}", public::show)
        .cached("/konsultacje/{slug}/zmiany", public::changes)
        .cached("/konsultacje/{slug}/raport", report::page)
        .cached("/konsultacje/{slug}/raport.pdf", report::pdf)
        .cached("/konsultacje/{slug}/raport.odt", report::odt)
        .add("GET", "/konsultacje/{slug}/uwaga", Public, public::remark_form)
        .add("POST", "/konsultacje/{slug}/uwaga", Public, public::remark_submit)
        .cached("/api/v1/consultations", api::list)
}

/// What this area adds to the application.
pub const AREA: crate::area::Area = crate::area::Area {
    routes,
    jobs: store::register_jobs,
    mail: Some(mail::body),
    tables: personal::TABLES,
    personal_data: Some(&personal::Consultations),
    demo: Some(&demo::Demo),
    nav: &[NavLink {
        href: "/konsultacje",
        label: "nav-consultations",
        order: 27,
    }],
    panel: &[
        PanelLink {
            href: "/panel/konsultacje",
            label: "cons-panel-title",
            permission: Permission::Official(SCOPE),
            group: PanelGroup::Consultations,
            order: 10,
            count: Some(PanelCount {
                count: store::unanswered_count,
                label: "cons-panel-count",
            }),
        },
        PanelLink {
            href: "/panel/konsultacje/szablony",
            label: "cons-templates-title",
            permission: Permission::Official(SCOPE),
            group: PanelGroup::Consultations,
            order: 20,
            count: None,
        },
    ],
    open_data: &[
        crate::area::OpenData {
            href: "/konsultacje.atom",
            title: "open-data-consultations",
            description: "open-data-consultations-atom",
            format: "Atom",
            media_type: "application/atom+xml",
        },
        crate::area::OpenData {
            href: "/api/v1/consultations",
            title: "open-data-consultations",
            description: "open-data-consultations-api",
            format: "JSON API",
            media_type: "application/json",
        },
    ],
    public_tables: &["consultations", "consultation_versions", "consultation_remarks"],
    ..crate::area::Area::new("consultations")
};
