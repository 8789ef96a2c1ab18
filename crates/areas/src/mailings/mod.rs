//! mailings

pub mod limits;
pub mod mail;
pub mod model;
pub mod personal;
pub mod newsletter;
pub mod newsletter_web;
/// The exactly-once SMTP client moved to the platform (transactional mail uses it too).
pub use wspolnie_platform::smtp;
pub mod web;
pub mod entity;

use wspolnie_web::policy::Permission;
use wspolnie_web::routes::Routes;

/// The routes of this area with their permissions.
pub fn routes(r: Routes) -> Routes {
    use Permission::*;
    r.cached("/newsletter", newsletter_web::form)
    .add("POST", "/newsletter", Public, newsletter_web::subscribe)
    .add("GET", "/newsletter/potwierdz", Public, newsletter_web::confirm_page)
    .add("POST", "/newsletter/potwierdz", Public, newsletter_web::confirm)
    .add("GET", "/newsletter/ustawienia", Public, newsletter_web::preferences)
    .add("POST", "/newsletter/ustawienia", Public, newsletter_web::save_preferences)
    .add("GET", "/newsletter/wypisz", Public, newsletter_web::unsubscribe_page)
    .add("POST", "/newsletter/wypisz", Public, newsletter_web::unsubscribe)
    .add("GET", "/panel/wysylki", Official("mailing"), web::list)
    .add("GET", "/panel/wysylki/nowa", Official("mailing"), web::new_page)
    .add("POST", "/panel/wysylki/nowa", Official("mailing"), web::create)
    .add("POST", "/panel/wysylki/adresy", Official("mailing"), web::start_address_check)
    .add("GET", "/panel/wysylki/adresaci", Official("mailing"), web::addresses)
    .add("POST", "/panel/wysylki/adresaci/odbite/{id}", Official("mailing"), web::forget_bounce)
    .add("GET", "/panel/wysylki/{id}", Official("mailing"), web::show)
    .add("POST", "/panel/wysylki/{id}", Official("mailing"), web::update)
    .add("POST", "/panel/wysylki/{id}/anuluj", Official("mailing"), web::cancel)
    .add("POST", "/panel/wysylki/{id}/ponow-niepotwierdzone", Official("mailing"), web::resend_unconfirmed)
    .add("GET", "/panel/wysylki/{id}/odbiorcy.csv", Official("mailing"), web::recipients_csv)
    .add("GET", "/adres/potwierdz", Public, web::confirm_page)
    .add("POST", "/adres/potwierdz", Public, web::confirm)
}

/// What this area adds to the application.
pub const AREA: crate::area::Area = crate::area::Area {
    routes,
    mail: Some(mail::body),
    jobs,
    tables: personal::TABLES,
    personal_data: Some(&personal::Mailings),
    panel: &[
        wspolnie_web::ctx::PanelLink {
            href: "/panel/wysylki",
            label: "panel-mailings",
            permission: wspolnie_web::policy::Permission::Official("mailing"),
            group: wspolnie_web::ctx::PanelGroup::Communication,
            order: 10,
            count: Some(wspolnie_web::ctx::PanelCount {
                count: model::unconfirmed_count,
                label: "panel-count-unconfirmed",
            }),
        },
    ],
    ..crate::area::Area::new("mailings")
};

fn jobs(r: &mut wspolnie_platform::jobs::Registry) {
    r.register(model::DELIVER_JOB, model::DeliverHandler);
    r.register(model::TEST_JOB, model::TestHandler);
    r.register(model::DIGEST_JOB, model::DigestHandler);
}
