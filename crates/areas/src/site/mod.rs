//! site

pub mod demo;
pub mod home;
pub mod info;

use wspolnie_web::policy::Permission;
use wspolnie_web::routes::Routes;

/// The routes of this area with their permissions.
pub fn routes(r: Routes) -> Routes {
    use Permission::*;
    r.add("GET", "/", Public, home::home)
    .add("GET", "/prywatnosc", Public, info::privacy)
    .add("GET", "/otwarte-dane", Public, info::open_data)
    .add("GET", "/ustawienia", Public, info::settings_page)
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
