//! grants: open calls for offers (art. 11–15 UDPP) — the officials' calls, the offers
//! organisations fill in together and submit without paper, the formal check, the commission,
//! the decision and its results (or the annulment), and the update of a reduced grant.

pub mod annex;
pub mod annex_store;
pub mod annex_web;
pub mod annul;
pub mod api;
pub mod awards;
pub mod commission;
pub mod commission_web;
pub mod contract;
pub mod contract_store;
pub mod contract_web;
pub mod decision;
pub mod demo;
pub mod entity;
pub mod fields;
pub mod formal;
pub mod jobs;
pub mod law;
pub mod limits;
pub mod mail;
pub mod model;
pub mod notify;
pub mod obligations;
pub mod obligations_web;
pub mod offer;
pub mod offers;
pub mod overview;
pub mod panel;
pub mod personal;
pub mod protocol;
pub mod public;
pub mod reasons;
pub mod reduced;
pub mod reduced_web;
pub mod report;
pub mod report_due;
pub mod report_store;
pub mod report_web;
pub mod rules;
pub mod scoring;
pub mod settlement;
pub mod small;
pub mod small_store;
pub mod small_web;
pub mod stages;
pub mod store;
pub mod submit;
pub mod web;

use wspolnie_web::ctx::{PanelGroup, PanelLink};
use wspolnie_web::policy::Permission;
use wspolnie_web::routes::Routes;

/// The routes of this area with their permissions.
pub fn routes(r: Routes) -> Routes {
    use Permission::*;
    use axum::handler::Handler;
    r.add("GET", "/panel/konkursy", Official("grants"), panel::list)
        .add("GET", "/panel/konkursy/nowy", Official("grants"), panel::new_page)
        .add("POST", "/panel/konkursy/nowy", Official("grants"), panel::create)
        .add("GET", "/panel/konkursy/przeglad", Official("grants"), overview::page)
        .add("GET", "/panel/konkursy/{id}", Official("grants"), panel::show)
        .add("GET", "/panel/konkursy/{id}/edycja", Official("grants"), panel::edit_page)
        .add("POST", "/panel/konkursy/{id}/edycja", Official("grants"), panel::edit)
        .add("POST", "/panel/konkursy/{id}/status", Official("grants"), panel::move_status)
        .add("POST", "/panel/konkursy/{id}/kopia", Official("grants"), panel::clone)
        .add("GET", "/panel/oferty", SignedIn, offers::list)
        .add("GET", "/panel/oferty/nowa", SignedIn, offers::new_page)
        .add("POST", "/panel/oferty/nowa", SignedIn, offers::create)
        .add("GET", "/panel/oferty/{id}", SignedIn, offers::show)
        .add("GET", "/panel/oferty/{id}/sekcja/{code}", SignedIn, offers::section_page)
        .add("POST", "/panel/oferty/{id}/sekcja/{code}", SignedIn, offers::section_save)
        .add("GET", "/panel/oferty/{id}/zalaczniki", SignedIn, offers::files_page)
        .add(
            "POST",
            "/panel/oferty/{id}/zalaczniki",
            SignedIn,
            offers::files_upload.layer(axum::extract::DefaultBodyLimit::max(offers::BODY_LIMIT)),
        )
        .add("GET", "/panel/oferty/{id}/zalaczniki/{file}", SignedIn, offers::files_download)
        .add("POST", "/panel/oferty/{id}/zalaczniki/{file}/usun", SignedIn, offers::files_remove)
        .add("POST", "/panel/oferty/{id}/zloz", SignedIn, submit::submit)
        .add("POST", "/panel/oferty/{id}/wycofaj", SignedIn, submit::withdraw)
        .add("POST", "/panel/oferty/{id}/rezygnacja", SignedIn, reduced_web::decline)
        .add("GET", "/panel/oferty/{id}/wersje/{n}", SignedIn, submit::receipt)
        .add("GET", "/panel/oferty/{id}/wersje/{n}/oferta.pdf", SignedIn, submit::pdf)
        .add("GET", "/konkursy/weryfikacja", Public, submit::verify)
        .add("GET", "/panel/konkursy/{id}/oferty", Official("grants"), formal::list)
        .add("GET", "/panel/konkursy/{id}/oferty/{offer}", Official("grants"), formal::show)
        .add("POST", "/panel/konkursy/{id}/oferty/{offer}", Official("grants"), formal::record)
        .add("GET", "/panel/konkursy/{id}/oferty/{offer}/aktualizacja", Official("grants"), reduced_web::page)
        .add("POST", "/panel/konkursy/{id}/oferty/{offer}/aktualizacja", Official("grants"), reduced_web::save)
        .add("GET", "/panel/konkursy/{id}/komisja", Official("grants"), commission_web::office)
        .add("POST", "/panel/konkursy/{id}/komisja/zasady", Official("grants"), commission_web::save_rules)
        .add("POST", "/panel/konkursy/{id}/komisja/czlonkowie", Official("grants"), commission_web::add_member)
        .add("POST", "/panel/konkursy/{id}/komisja/nominacje/{n}", Official("grants"), commission_web::decide_nomination)
        .add("POST", "/panel/konkursy/{id}/komisja/status", Official("grants"), commission_web::move_status)
        .add("POST", "/panel/konkursy/{id}/komisja/opinia", Official("grants"), commission_web::save_opinion)
        .add("GET", "/panel/konkursy/{id}/komisja/protokol.pdf", Official("grants"), commission_web::protocol_pdf)
        .add("GET", "/panel/konkursy/{id}/rozstrzygniecie", Official("decisions"), decision::page)
        .add("POST", "/panel/konkursy/{id}/rozstrzygniecie", Official("decisions"), decision::save)
        .add("GET", "/panel/konkursy/{id}/uzasadnienia", Official("grants"), reasons::office)
        .add("POST", "/panel/konkursy/{id}/uzasadnienia/{r}", Official("grants"), reasons::answer)
        .add("GET", "/konkursy/{slug}/uzasadnienie", Public, reasons::form)
        .add("POST", "/konkursy/{slug}/uzasadnienie", Public, reasons::ask)
        .add("GET", "/panel/umowy", Official("grants"), contract_web::list)
        .add("GET", "/panel/umowy/nowa", Official("grants"), contract_web::new_page)
        .add("POST", "/panel/umowy/nowa", Official("grants"), contract_web::create)
        .add("GET", "/panel/umowy/wzor", Official("grants"), contract_web::template_page)
        .add("POST", "/panel/umowy/wzor", Official("grants"), contract_web::template_save)
        .add("GET", "/panel/umowy/{id}", Official("grants"), contract_web::show)
        .add("POST", "/panel/umowy/{id}", Official("grants"), contract_web::save)
        .add("POST", "/panel/umowy/{id}/status", Official("grants"), contract_web::move_status)
        .add(
            "POST",
            "/panel/umowy/{id}/podpis",
            Official("grants"),
            contract_web::sign.layer(axum::extract::DefaultBodyLimit::max(offers::BODY_LIMIT)),
        )
        .add("GET", "/panel/umowy/{id}/podpisana.pdf", SignedIn, contract_web::scan)
        .add("POST", "/panel/umowy/{id}/transze/{n}", Official("grants"), contract_web::pay)
        .add("GET", "/panel/umowy/{id}/umowa.pdf", SignedIn, contract_web::pdf)
        .add("GET", "/panel/umowy/{id}/aneks", Official("grants"), annex_web::form)
        .add("POST", "/panel/umowy/{id}/aneks", Official("grants"), annex_web::save)
        .add("GET", "/panel/umowy/{id}/aneksy/{n}", Official("grants"), annex_web::show)
        .add("GET", "/panel/umowy/{id}/aneksy/{n}/aneks.pdf", SignedIn, annex_web::pdf)
        .add("POST", "/panel/umowy/{id}/sprawozdania", Official("grants"), contract_web::request_report)
        .add("POST", "/panel/umowy/{id}/zwroty", Official("grants"), contract_web::record_return)
        .add("GET", "/panel/zobowiazania", SignedIn, obligations_web::page)
        .add("GET", "/zobowiazania/{user}/{signature}/kalendarz.ics", Public, obligations_web::feed)
        .add("GET", "/panel/sprawozdania", SignedIn, report_web::list)
        .add("GET", "/panel/sprawozdania/{id}", SignedIn, report_web::show)
        .add("POST", "/panel/sprawozdania/{id}", SignedIn, report_web::save)
        .add("POST", "/panel/sprawozdania/{id}/ocena", Official("grants"), report_web::review)
        .add("GET", "/panel/male-granty", Official("grants"), small_web::list)
        .add("POST", "/panel/male-granty", Official("grants"), small_web::open_register)
        .add("GET", "/panel/male-granty/{id}", Official("grants"), small_web::show)
        .add("POST", "/panel/male-granty/{id}/publikacja", Official("grants"), small_web::publish)
        .add("POST", "/panel/male-granty/{id}/uwagi/{c}", Official("grants"), small_web::moderate)
        .add("POST", "/panel/male-granty/{id}/decyzja", Official("grants"), small_web::decide)
        .add("GET", "/male-granty/{id}/uwagi", Public, small_web::comment_form)
        .add("POST", "/male-granty/{id}/uwagi", Public, small_web::comment)
        .add("GET", "/panel/komisje", SignedIn, commission_web::members)
        .add("POST", "/panel/komisje/zgloszenia", SignedIn, commission_web::nominate)
        .add("POST", "/panel/komisje/{id}/oswiadczenie", SignedIn, commission_web::statement)
        .add("GET", "/panel/komisje/{id}/oferty/{offer}", SignedIn, commission_web::card_page)
        .add("POST", "/panel/komisje/{id}/oferty/{offer}", SignedIn, commission_web::card_save)
        .add("POST", "/panel/komisje/{id}/oferty/{offer}/wylaczenie", SignedIn, commission_web::recuse)
        .cached("/konkursy", web::list)
        .cached("/konkursy.csv", web::export_csv)
        .cached("/konkursy.json", web::export_json)
        .cached("/konkursy.atom", web::feed)
        .cached("/konkursy/{slug}", web::show)
        .cached("/konkursy/{slug}/ogloszenie.pdf", web::pdf)
        .cached("/konkursy/{slug}/wyniki.pdf", web::results_pdf)
        .cached("/male-granty", small_web::public_list)
        .cached("/male-granty/{id}", small_web::public_show)
        .cached("/api/v1/calls", api::calls_list)
        .cached("/api/v1/calls/{slug}", api::call_detail)
        .cached("/api/v1/grants", awards::grants_list)
        .cached("/dotacje.csv", awards::export_csv)
        .cached("/dotacje.json", awards::export_json)
}

/// What this area adds to the application.
pub const AREA: crate::area::Area = crate::area::Area {
    routes,
    jobs: jobs::register,
    mail: Some(mail::body),
    tables: personal::TABLES,
    demo: Some(&demo::Demo),
    panel: &[PanelLink {
        href: "/panel/konkursy",
        label: "call-panel-title",
        permission: Permission::Official("grants"),
        group: PanelGroup::Grants,
        order: 10,
        count: Some(wspolnie_web::ctx::PanelCount {
            count: formal::waiting_count,
            label: "panel-count-formal",
        }),
    }, PanelLink {
        href: "/panel/oferty",
        label: "offer-panel-title",
        permission: Permission::SignedIn,
        group: PanelGroup::Grants,
        order: 20,
        count: Some(wspolnie_web::ctx::PanelCount {
            count: offers::drafts_count,
            label: "panel-count-offer-drafts",
        }),
    }, PanelLink {
        href: "/panel/umowy",
        label: "contract-panel-title",
        permission: Permission::Official("grants"),
        group: PanelGroup::Grants,
        order: 15,
        count: Some(wspolnie_web::ctx::PanelCount {
            count: contract_store::waiting_count,
            label: "panel-count-contracts",
        }),
    }, PanelLink {
        href: "/panel/sprawozdania",
        label: "report-panel-title",
        permission: Permission::SignedIn,
        group: PanelGroup::Grants,
        order: 17,
        count: Some(wspolnie_web::ctx::PanelCount {
            count: report_store::waiting_count,
            label: "panel-count-reports",
        }),
    }, PanelLink {
        href: "/panel/male-granty",
        label: "small-panel-title",
        permission: Permission::Official("grants"),
        group: PanelGroup::Grants,
        order: 16,
        count: Some(wspolnie_web::ctx::PanelCount {
            count: small_store::waiting_count,
            label: "panel-count-small",
        }),
    }, PanelLink {
        href: "/panel/zobowiazania",
        label: "obligations-title",
        permission: Permission::SignedIn,
        group: PanelGroup::Grants,
        order: 18,
        count: None,
    }, PanelLink {
        href: "/panel/komisje",
        label: "commission-panel-title",
        permission: Permission::SignedIn,
        group: PanelGroup::Grants,
        order: 30,
        count: None,
    }],
    public_tables: &[
        "grant_calls",
        "grant_offers",
        "grant_decision_lines",
        "grant_contracts",
        "grant_reports",
        "grant_returns",
        "grant_small_offers",
        "grant_small_comments",
    ],
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
            href: "/konkursy.atom",
            title: "open-data-calls",
            description: "open-data-calls-atom",
            format: "Atom",
            media_type: "application/atom+xml",
        },
        crate::area::OpenData {
            href: "/dotacje.csv",
            title: "open-data-grants",
            description: "open-data-grants-csv",
            format: "CSV",
            media_type: "text/csv",
        },
        crate::area::OpenData {
            href: "/dotacje.json",
            title: "open-data-grants",
            description: "open-data-grants-json",
            format: "JSON",
            media_type: "application/json",
        },
        crate::area::OpenData {
            href: "/api/v1/grants",
            title: "open-data-grants-api",
            description: "open-data-grants-api-text",
            format: "JSON API",
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
