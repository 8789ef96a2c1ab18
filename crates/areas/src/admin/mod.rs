//! admin

pub mod delivery;
pub mod limits;
pub mod web;

use wspolnie_web::policy::Permission;
use wspolnie_web::routes::Routes;

/// The routes of this area with their permissions.
pub fn routes(r: Routes) -> Routes {
    use Permission::*;
    r.add("GET", "/panel/audyt", Admin, web::audit)
    .add("GET", "/panel/admin/uzytkownicy", Admin, web::users)
    .add("POST", "/panel/admin/uzytkownicy/odbierz", Admin, web::revoke_role)
    .add("GET", "/panel/admin/zaproszenia", Admin, web::invitations)
    .add("POST", "/panel/admin/zaproszenia", Admin, web::invite)
    .add("GET", "/panel/admin/ustawienia", Admin, web::settings_form)
    .add("POST", "/panel/admin/ustawienia", Admin, web::save_settings)
    .add("GET", "/panel/admin/poczta", Admin, delivery::page)
    .add("POST", "/panel/admin/poczta/ponow", Admin, delivery::retry)
}

/// What this area adds to the application.
pub const AREA: crate::area::Area = crate::area::Area {
    routes,

    tables: &[
        wspolnie_platform::personal::Table::plain("settings"),
        wspolnie_platform::personal::Table {
            name: "jobs",
            personal: &[],
            not_personal: &[("locked_by", "the id of the worker process holding the job")],
        },
        wspolnie_platform::personal::Table::plain("stored_files"),
        wspolnie_platform::personal::Table::plain("spheres"),
        wspolnie_platform::personal::Table::plain("target_groups"),
        // The kernel's content version (`platform::content`), kept with the settings.
        wspolnie_platform::personal::Table::plain("content_version"),
    ],
    panel: &[
        wspolnie_web::ctx::PanelLink {
            href: "/panel/admin/uzytkownicy",
            label: "users-title",
            permission: wspolnie_web::policy::Permission::Admin,
            group: wspolnie_web::ctx::PanelGroup::Administration,
            order: 10,
            count: None,
        },
        wspolnie_web::ctx::PanelLink {
            href: "/panel/admin/zaproszenia",
            label: "invite-title",
            permission: wspolnie_web::policy::Permission::Admin,
            group: wspolnie_web::ctx::PanelGroup::Administration,
            order: 20,
            count: Some(wspolnie_web::ctx::PanelCount {
                count: web::pending_invitations_count,
                label: "panel-count-invitations",
            }),
        },
        wspolnie_web::ctx::PanelLink {
            href: "/panel/admin/ustawienia",
            label: "settings-admin-title",
            permission: wspolnie_web::policy::Permission::Admin,
            group: wspolnie_web::ctx::PanelGroup::Administration,
            order: 30,
            count: None,
        },
        wspolnie_web::ctx::PanelLink {
            href: "/panel/admin/poczta",
            label: "delivery-title",
            permission: wspolnie_web::policy::Permission::Admin,
            group: wspolnie_web::ctx::PanelGroup::Administration,
            order: 40,
            count: Some(wspolnie_web::ctx::PanelCount {
                count: delivery::troubled_count,
                label: "panel-count-delivery",
            }),
        },
        wspolnie_web::ctx::PanelLink {
            href: "/panel/audyt",
            label: "audit-title",
            permission: wspolnie_web::policy::Permission::Admin,
            group: wspolnie_web::ctx::PanelGroup::Administration,
            order: 60,
            count: None,
        },
    ],
    public_tables: &["settings", "spheres", "target_groups"],
    ..crate::area::Area::new("admin")
};
