//! accounts

pub mod limits;
pub mod mail;
pub mod mfa;
pub mod model;
pub mod personal;
pub mod web;

use wspolnie_web::policy::Permission;
use wspolnie_web::routes::Routes;

/// The routes of this area with their permissions.
pub fn routes(r: Routes) -> Routes {
    use Permission::*;
    r.add("GET", "/konto/rejestracja", Guest, web::sign_up_page)
    .add("POST", "/konto/rejestracja", Guest, web::sign_up)
    .add("GET", "/konto/potwierdz", Public, web::confirm_page)
    .add("POST", "/konto/potwierdz", Public, web::confirm)
    .add("GET", "/konto/logowanie", Guest, web::sign_in_page)
    .add("POST", "/konto/logowanie", Guest, web::sign_in)
    .add("POST", "/konto/wyloguj", AnySession, web::sign_out)
    .add("GET", "/konto/2fa", MfaPending, mfa::verify_form)
    .add("POST", "/konto/2fa", MfaPending, mfa::verify)
    .add("GET", "/konto/2fa/konfiguracja", MfaPending, mfa::setup_form)
    .add("POST", "/konto/2fa/konfiguracja", MfaPending, mfa::setup)
    .add("GET", "/konto/reset-hasla", Public, web::reset_request_page)
    .add("POST", "/konto/reset-hasla", Public, web::reset_request)
    .add("GET", "/konto/nowe-haslo", Public, web::new_password_page)
    .add("POST", "/konto/nowe-haslo", Public, web::new_password)
    .add("GET", "/panel", SignedIn, web::panel)
    .add("GET", "/panel/sesje", SignedIn, web::sessions)
    .add("POST", "/panel/sesje/zakoncz", SignedIn, web::revoke_session)
    .add("GET", "/panel/konto", SignedIn, web::profile)
    .add("POST", "/panel/konto/haslo", SignedIn, web::change_password)
    .add("GET", "/panel/konto/eksport", SignedIn, web::export)
    .add("POST", "/panel/konto/usun", SignedIn, web::delete)
    .add("POST", "/panel/konto/email", SignedIn, web::change_email)
    .add("GET", "/konto/nowy-email", Public, web::new_email_page)
    .add("POST", "/konto/nowy-email", Public, web::confirm_new_email)
    .add("GET", "/konto/zaproszenie", Public, web::invitation_page)
    .add("POST", "/konto/zaproszenie", Public, web::accept_invitation)
}

/// What this area adds to the application.
pub const AREA: crate::area::Area = crate::area::Area {
    routes,
    mail: Some(mail::body),
    tables: personal::TABLES,
    personal_data: Some(&personal::Accounts),
    panel: &[
        wspolnie_web::ctx::PanelLink {
            href: "/panel/konto",
            label: "profile-title",
            permission: wspolnie_web::policy::Permission::SignedIn,
            group: wspolnie_web::ctx::PanelGroup::Account,
            order: 10,
            count: None,
        },
        wspolnie_web::ctx::PanelLink {
            href: "/panel/sesje",
            label: "sessions-title",
            permission: wspolnie_web::policy::Permission::SignedIn,
            group: wspolnie_web::ctx::PanelGroup::Account,
            order: 30,
            count: None,
        },
    ],
    ..crate::area::Area::new("accounts")
};
