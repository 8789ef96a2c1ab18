//! moderation

pub mod mail;
pub mod model;
pub mod web;
pub mod entity;

use wspolnie_web::policy::Permission;
use wspolnie_web::routes::Routes;

/// The routes of this area with their permissions.
pub fn routes(r: Routes) -> Routes {
    use Permission::*;
    r.add("GET", "/panel/moderacja", Official("moderation"), web::queue)
    .add("GET", "/panel/moderacja/{id}", Official("moderation"), web::show)
    .add("POST", "/panel/moderacja/{id}", Official("moderation"), web::decide)
}

/// What this area adds to the application.
pub const AREA: crate::area::Area = crate::area::Area {
    routes,
    mail: Some(mail::body),
    ..crate::area::Area::new("moderation")
};
