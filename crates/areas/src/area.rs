//! The manifest of an area: everything it contributes to the application, declared in one
//! value (`AREA` in the area's `mod.rs`) that `lib.rs` composes. Adding an area means adding its
//! folder and its name to the `areas!` line in `lib.rs`; no kernel file changes.

use crate::demo::DemoStep;
use crate::moderation::model::Subject;
use wspolnie_platform::jobs::Registry;
use wspolnie_platform::mail::BodyFn;
use wspolnie_platform::personal::{PersonalData, Table};
use wspolnie_web::Parts;
use wspolnie_web::ctx::{NavLink, PanelLink};
use wspolnie_web::routes::Routes;

/// What one area adds to the application.
pub struct Area {
    /// The area's name: its folder under `crates/areas/src`.
    pub name: &'static str,
    /// Its routes, each with the permission it needs (the route matrix reads them).
    pub routes: fn(Routes) -> Routes,
    /// Its entries in the main navigation.
    pub nav: &'static [NavLink],
    /// Its entries on the panel's home page.
    pub panel: &'static [PanelLink],
    /// Its background job kinds.
    pub jobs: fn(&mut Registry),
    /// Its e-mail templates.
    pub mail: Option<BodyFn>,
    /// Values it keeps in the application state (caches, indexes).
    pub parts: fn(&mut Parts),
    /// What its organisations publish through the moderation queue.
    pub moderation: &'static [&'static dyn Subject],
    /// The tables it owns, with their personal columns (a test compares them with the schema).
    pub tables: &'static [Table],
    /// How it exports and erases what it holds about a person (required when a table of it has
    /// personal columns).
    pub personal_data: Option<&'static dyn PersonalData>,
    /// Its part of the demo data (`wspolnie demo`, `serve --demo`).
    pub demo: Option<&'static dyn DemoStep>,
    /// The public datasets it publishes (listed on `/otwarte-dane`).
    pub open_data: &'static [OpenData],
    /// Its tables that its public pages, feeds or API read (its own, declared in `tables`):
    /// any write to them moves the content version in the writing transaction (a trigger
    /// installed at start, `platform::content`), which refreshes every instance's response
    /// cache and read models.
    pub public_tables: &'static [&'static str],
}

/// A public dataset: a stable address answering a documented open format, for anyone to reuse.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OpenData {
    /// Its address (a public GET route of the area).
    pub href: &'static str,
    /// Fluent id of its name.
    pub title: &'static str,
    /// Fluent id of one sentence saying what it holds.
    pub description: &'static str,
    /// The format's common name (`CSV`, `JSON`, `iCalendar`, `Atom`, `OpenAPI`).
    pub format: &'static str,
    /// The media type the address answers with.
    pub media_type: &'static str,
}

/// Every area's datasets, in registration order (kept in `AppState::parts`).
#[derive(Debug, Clone, Default)]
pub struct OpenDataList(pub Vec<OpenData>);

fn no_routes(r: Routes) -> Routes {
    r
}
fn no_jobs(_: &mut Registry) {}
fn no_parts(_: &mut Parts) {}

impl Area {
    /// An area that contributes nothing yet; fill the fields it has.
    pub const fn new(name: &'static str) -> Area {
        Area {
            name,
            routes: no_routes,
            nav: &[],
            panel: &[],
            jobs: no_jobs,
            mail: None,
            parts: no_parts,
            moderation: &[],
            tables: &[],
            personal_data: None,
            demo: None,
            open_data: &[],
            public_tables: &[],
        }
    }
}
