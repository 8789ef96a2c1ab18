//! site

pub mod demo;
pub mod home;
pub mod info;

use wspolnie_web::policy::Permission;
use wspolnie_web::routes::Routes;

/// The routes of this area with their permissions.
pub fn routes(r: Routes) -> Routes {
    use Permission::*;
    r.cached("/", home::home)
    .cached("/prywatnosc", info::privacy)
    .cached("/otwarte-dane", info::open_data)
    .cached("/ustawienia", info::settings_page)
    .add("POST", "/ustawienia/wyglad", Public, info::save_appearance)
    .add("POST", "/ustawienia/jezyk", Public, info::save_language)
}

/// What this area adds to the application.
pub const AREA: crate::area::Area = crate::area::Area {
    routes,

    nav: &[wspolnie_web::ctx::NavLink {
        href: "/",
        label: "nav-home",
        order: 0,
    }],
    demo: Some(&demo::Demo),
    ..crate::area::Area::new("site")
};
