//! admin

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
    ],
    ..crate::area::Area::new("admin")
};
