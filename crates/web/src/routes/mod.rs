//! Routes, one module per area of the site. Every route the application serves is listed here.

pub mod account;
pub mod admin;
pub mod admin_import;
pub mod api;
pub mod calendar;
pub mod contacts;
pub mod directory_status;
pub mod events_panel;
pub mod files;
pub mod fmt;
pub mod health;
pub mod home;
pub mod info;
pub mod mailings;
pub mod media;
pub mod meetings;
pub mod mfa;
pub mod moderation;
pub mod news;
pub mod news_panel;
pub mod newsletter;
pub mod organizations;
pub mod organizations_panel;
pub mod organizations_profile;
pub mod pages;
pub mod pagination;
pub mod partners;

use crate::AppState;
use crate::policy::Permission;
use axum::Router;
use axum::handler::Handler;
use axum::routing::{get, post};

/// One registered route: method, path pattern and the permission it needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RouteInfo {
    pub method: &'static str,
    pub path: &'static str,
    pub permission: Permission,
}

/// Builds the router and, at the same time, the table of routes with their permissions, so no
/// route can exist without a declared permission (the matrix test walks this table).
struct Routes {
    router: Router<AppState>,
    table: Vec<RouteInfo>,
}

impl Routes {
    fn add<H, T>(
        mut self,
        method: &'static str,
        path: &'static str,
        permission: Permission,
        handler: H,
    ) -> Self
    where
        H: axum::handler::Handler<T, AppState>,
        T: 'static,
    {
        let method_router = match method {
            "POST" => post(handler),
            _ => get(handler),
        };
        let guarded = method_router.route_layer(axum::middleware::from_fn(move |req, next| {
            crate::auth::require(permission, req, next)
        }));
        self.router = self.router.route(path, guarded);
        self.table.push(RouteInfo {
            method,
            path,
            permission,
        });
        self
    }
}

fn build() -> Routes {
    use Permission::*;
    Routes {
        router: Router::new(),
        table: Vec::new(),
    }
    .add("GET", "/", Public, home::home)
    .add("GET", "/organizacje", Public, organizations::list)
    .add("GET", "/organizacje.csv", Public, organizations::export_csv)
    .add(
        "GET",
        "/organizacje.json",
        Public,
        organizations::export_json,
    )
    .add("GET", "/api/v1/openapi.json", Public, api::openapi_json)
    .add("GET", "/api/v1/organizations", Public, api::organizations)
    .add(
        "GET",
        "/api/v1/organizations/{slug}",
        Public,
        api::organization,
    )
    .add(
        "GET",
        "/organizacje/potwierdz",
        Public,
        directory_status::confirm_page,
    )
    .add(
        "POST",
        "/organizacje/potwierdz",
        Public,
        directory_status::confirm,
    )
    .add("GET", "/organizacje/{slug}", Public, organizations::show)
    .add("GET", "/aktualnosci", Public, news::list)
    .add("GET", "/aktualnosci.atom", Public, news::feed)
    .add("GET", "/aktualnosci/{slug}", Public, news::show)
    .add("GET", "/kalendarz", Public, calendar::list)
    .add("GET", "/kalendarz/{slug}", Public, calendar::show)
    .add("GET", "/kalendarz.ics", Public, calendar::feed)
    .add(
        "GET",
        "/kalendarz/{slug}/wydarzenie.ics",
        Public,
        calendar::event_ics,
    )
    .add(
        "GET",
        "/organizacje/{slug}/kalendarz.ics",
        Public,
        calendar::organization_feed,
    )
    .add("GET", "/kontakt", Public, contacts::public)
    .add("GET", "/dostepnosc", Public, pages::accessibility)
    .add("GET", "/strony/{slug}", Public, pages::show)
    .add("GET", "/wspolpraca/promocja", Public, media::form)
    .add("POST", "/wspolpraca/promocja", Public, media::submit)
    .add("GET", "/panel/strony", Official("content"), pages::list)
    .add(
        "GET",
        "/panel/strony/{id}",
        Official("content"),
        pages::edit_form,
    )
    .add(
        "POST",
        "/panel/strony/{id}",
        Official("content"),
        pages::save,
    )
    .add(
        "POST",
        "/panel/strony/{id}/zalaczniki",
        Official("content"),
        pages::upload.layer(axum::extract::DefaultBodyLimit::max(pages::BODY_LIMIT)),
    )
    .add(
        "POST",
        "/panel/strony/{id}/zalaczniki/{file}/usun",
        Official("content"),
        pages::remove_file,
    )
    .add(
        "GET",
        "/panel/kontakty",
        Official("content"),
        contacts::list,
    )
    .add(
        "GET",
        "/panel/kontakty/nowy",
        Official("content"),
        contacts::new_form,
    )
    .add(
        "POST",
        "/panel/kontakty/nowy",
        Official("content"),
        contacts::create,
    )
    .add(
        "GET",
        "/panel/kontakty/{id}",
        Official("content"),
        contacts::edit_form,
    )
    .add(
        "POST",
        "/panel/kontakty/{id}",
        Official("content"),
        contacts::update,
    )
    .add(
        "POST",
        "/panel/kontakty/{id}/usun",
        Official("content"),
        contacts::delete,
    )
    .add("GET", "/panel/promocja", Official("content"), media::list)
    .add(
        "GET",
        "/panel/promocja/{id}",
        Official("content"),
        media::show,
    )
    .add(
        "POST",
        "/panel/promocja/{id}",
        Official("content"),
        media::update,
    )
    .add("GET", "/panel/stopka", Staff, pages::footer_snippet)
    .add("GET", "/newsletter", Public, newsletter::form)
    .add("POST", "/newsletter", Public, newsletter::subscribe)
    .add(
        "GET",
        "/newsletter/potwierdz",
        Public,
        newsletter::confirm_page,
    )
    .add("POST", "/newsletter/potwierdz", Public, newsletter::confirm)
    .add(
        "GET",
        "/newsletter/ustawienia",
        Public,
        newsletter::preferences,
    )
    .add(
        "POST",
        "/newsletter/ustawienia",
        Public,
        newsletter::save_preferences,
    )
    .add(
        "GET",
        "/newsletter/wypisz",
        Public,
        newsletter::unsubscribe_page,
    )
    .add(
        "POST",
        "/newsletter/wypisz",
        Public,
        newsletter::unsubscribe,
    )
    .add("GET", "/prywatnosc", Public, info::privacy)
    .add("GET", "/ustawienia", Public, info::settings_page)
    .add("POST", "/ustawienia/wyglad", Public, info::save_appearance)
    .add("POST", "/ustawienia/jezyk", Public, info::save_language)
    .add("GET", "/konto/rejestracja", Guest, account::sign_up_page)
    .add("POST", "/konto/rejestracja", Guest, account::sign_up)
    .add("GET", "/konto/potwierdz", Public, account::confirm_page)
    .add("POST", "/konto/potwierdz", Public, account::confirm)
    .add("GET", "/konto/logowanie", Guest, account::sign_in_page)
    .add("POST", "/konto/logowanie", Guest, account::sign_in)
    .add("POST", "/konto/wyloguj", SignedIn, account::sign_out)
    .add("GET", "/konto/2fa", MfaPending, mfa::verify_form)
    .add("POST", "/konto/2fa", MfaPending, mfa::verify)
    .add(
        "GET",
        "/konto/2fa/konfiguracja",
        MfaPending,
        mfa::setup_form,
    )
    .add("POST", "/konto/2fa/konfiguracja", MfaPending, mfa::setup)
    .add(
        "GET",
        "/konto/reset-hasla",
        Public,
        account::reset_request_page,
    )
    .add("POST", "/konto/reset-hasla", Public, account::reset_request)
    .add(
        "GET",
        "/konto/nowe-haslo",
        Public,
        account::new_password_page,
    )
    .add("POST", "/konto/nowe-haslo", Public, account::new_password)
    .add("GET", "/panel", SignedIn, account::panel)
    .add("GET", "/panel/sesje", SignedIn, account::sessions)
    .add(
        "POST",
        "/panel/sesje/zakoncz",
        SignedIn,
        account::revoke_session,
    )
    .add("GET", "/panel/audyt", Admin, admin::audit)
    .add("GET", "/panel/admin/uzytkownicy", Admin, admin::users)
    .add(
        "POST",
        "/panel/admin/uzytkownicy/odbierz",
        Admin,
        admin::revoke_role,
    )
    .add("GET", "/panel/admin/zaproszenia", Admin, admin::invitations)
    .add("POST", "/panel/admin/zaproszenia", Admin, admin::invite)
    .add(
        "GET",
        "/panel/admin/ustawienia",
        Admin,
        admin::settings_form,
    )
    .add(
        "POST",
        "/panel/admin/ustawienia",
        Admin,
        admin::save_settings,
    )
    .add("GET", "/panel/admin/import", Admin, admin_import::page)
    .add(
        "POST",
        "/panel/admin/import",
        Admin,
        admin_import::upload.layer(axum::extract::DefaultBodyLimit::max(
            admin_import::BODY_LIMIT,
        )),
    )
    .add(
        "GET",
        "/panel/admin/import/wzor.csv",
        Admin,
        admin_import::sample,
    )
    .add(
        "GET",
        "/panel/organizacje/{id}/wydarzenia",
        SignedIn,
        events_panel::list,
    )
    .add(
        "GET",
        "/panel/organizacje/{id}/wydarzenia/nowe",
        SignedIn,
        events_panel::new_page,
    )
    .add(
        "POST",
        "/panel/organizacje/{id}/wydarzenia/nowe",
        SignedIn,
        events_panel::create.layer(axum::extract::DefaultBodyLimit::max(
            events_panel::BODY_LIMIT,
        )),
    )
    .add(
        "GET",
        "/panel/organizacje/{id}/wydarzenia/{event}",
        SignedIn,
        events_panel::edit_page,
    )
    .add(
        "POST",
        "/panel/organizacje/{id}/wydarzenia/{event}",
        SignedIn,
        events_panel::edit.layer(axum::extract::DefaultBodyLimit::max(
            events_panel::BODY_LIMIT,
        )),
    )
    .add(
        "GET",
        "/panel/organizacje/{id}/aktualnosci",
        SignedIn,
        news_panel::org_list,
    )
    .add(
        "GET",
        "/panel/organizacje/{id}/aktualnosci/nowa",
        SignedIn,
        news_panel::org_new_page,
    )
    .add(
        "POST",
        "/panel/organizacje/{id}/aktualnosci/nowa",
        SignedIn,
        news_panel::org_create.layer(axum::extract::DefaultBodyLimit::max(news_panel::BODY_LIMIT)),
    )
    .add(
        "GET",
        "/panel/organizacje/{id}/aktualnosci/{article}",
        SignedIn,
        news_panel::org_edit_page,
    )
    .add(
        "POST",
        "/panel/organizacje/{id}/aktualnosci/{article}",
        SignedIn,
        news_panel::org_edit.layer(axum::extract::DefaultBodyLimit::max(news_panel::BODY_LIMIT)),
    )
    .add(
        "GET",
        "/panel/aktualnosci",
        Official("content"),
        news_panel::city_list,
    )
    .add(
        "GET",
        "/panel/aktualnosci/nowa",
        Official("content"),
        news_panel::city_new_page,
    )
    .add(
        "POST",
        "/panel/aktualnosci/nowa",
        Official("content"),
        news_panel::city_create.layer(axum::extract::DefaultBodyLimit::max(news_panel::BODY_LIMIT)),
    )
    .add(
        "GET",
        "/panel/aktualnosci/{id}",
        Official("content"),
        news_panel::city_edit_page,
    )
    .add(
        "POST",
        "/panel/aktualnosci/{id}",
        Official("content"),
        news_panel::city_edit.layer(axum::extract::DefaultBodyLimit::max(news_panel::BODY_LIMIT)),
    )
    .add("GET", "/wspolpraca", Public, partners::list)
    .add("GET", "/wspolpraca/{slug}", Public, partners::show)
    .add("POST", "/wspolpraca/{slug}", Public, partners::declare)
    .add(
        "GET",
        "/panel/wspolpraca",
        Official("content"),
        partners::panel_list,
    )
    .add(
        "GET",
        "/panel/wspolpraca/nowe",
        Official("content"),
        partners::panel_new_page,
    )
    .add(
        "POST",
        "/panel/wspolpraca/nowe",
        Official("content"),
        partners::panel_create,
    )
    .add(
        "GET",
        "/panel/wspolpraca/{id}",
        Official("content"),
        partners::panel_edit_page,
    )
    .add(
        "POST",
        "/panel/wspolpraca/{id}",
        Official("content"),
        partners::panel_edit,
    )
    .add(
        "GET",
        "/panel/wspolpraca/{id}/zgloszenia",
        Official("content"),
        partners::panel_interests,
    )
    .add(
        "GET",
        "/panel/wspolpraca/{id}/zgloszenia.csv",
        Official("content"),
        partners::panel_interests_csv,
    )
    .add("GET", "/panel/wysylki", Official("mailing"), mailings::list)
    .add(
        "GET",
        "/panel/wysylki/nowa",
        Official("mailing"),
        mailings::new_page,
    )
    .add(
        "POST",
        "/panel/wysylki/nowa",
        Official("mailing"),
        mailings::create,
    )
    .add(
        "POST",
        "/panel/wysylki/adresy",
        Official("mailing"),
        mailings::start_address_check,
    )
    .add(
        "GET",
        "/panel/wysylki/adresaci",
        Official("mailing"),
        mailings::addresses,
    )
    .add(
        "POST",
        "/panel/wysylki/adresaci/odbite/{id}",
        Official("mailing"),
        mailings::forget_bounce,
    )
    .add(
        "GET",
        "/panel/wysylki/{id}",
        Official("mailing"),
        mailings::show,
    )
    .add(
        "POST",
        "/panel/wysylki/{id}",
        Official("mailing"),
        mailings::update,
    )
    .add(
        "POST",
        "/panel/wysylki/{id}/anuluj",
        Official("mailing"),
        mailings::cancel,
    )
    .add(
        "GET",
        "/panel/wysylki/{id}/odbiorcy.csv",
        Official("mailing"),
        mailings::recipients_csv,
    )
    .add("GET", "/spotkania", Public, meetings::public_list)
    .add("GET", "/spotkania/{slug}", Public, meetings::public_page)
    .add(
        "GET",
        "/spotkania/{slug}/odpowiedz",
        Public,
        meetings::answer_form,
    )
    .add(
        "POST",
        "/spotkania/{slug}/odpowiedz",
        Public,
        meetings::answer_submit,
    )
    .add("GET", "/panel/moje-spotkania", SignedIn, meetings::mine)
    .add(
        "GET",
        "/panel/spotkania",
        Official("meetings"),
        meetings::panel_list,
    )
    .add(
        "GET",
        "/panel/spotkania/nowe",
        Official("meetings"),
        meetings::new_page,
    )
    .add(
        "POST",
        "/panel/spotkania/nowe",
        Official("meetings"),
        meetings::create,
    )
    .add(
        "GET",
        "/panel/spotkania/{id}",
        Official("meetings"),
        meetings::show,
    )
    .add(
        "GET",
        "/panel/spotkania/{id}/edycja",
        Official("meetings"),
        meetings::edit_page,
    )
    .add(
        "POST",
        "/panel/spotkania/{id}/edycja",
        Official("meetings"),
        meetings::edit,
    )
    .add(
        "POST",
        "/panel/spotkania/{id}/zaproszenia",
        Official("meetings"),
        meetings::invite,
    )
    .add(
        "POST",
        "/panel/spotkania/{id}/odwolaj",
        Official("meetings"),
        meetings::cancel,
    )
    .add(
        "POST",
        "/panel/spotkania/{id}/protokol",
        Official("meetings"),
        meetings::minutes,
    )
    .add(
        "GET",
        "/panel/spotkania/{id}/lista.csv",
        Official("meetings"),
        meetings::attendance_csv,
    )
    .add(
        "GET",
        "/panel/spotkania/{id}/lista.pdf",
        Official("meetings"),
        meetings::attendance_pdf,
    )
    .add("GET", "/adres/potwierdz", Public, mailings::confirm_page)
    .add("POST", "/adres/potwierdz", Public, mailings::confirm)
    .add("GET", "/panel/konto", SignedIn, account::profile)
    .add(
        "POST",
        "/panel/konto/haslo",
        SignedIn,
        account::change_password,
    )
    .add("GET", "/panel/konto/eksport", SignedIn, account::export)
    .add("POST", "/panel/konto/usun", SignedIn, account::delete)
    .add(
        "POST",
        "/panel/konto/email",
        SignedIn,
        account::change_email,
    )
    .add("GET", "/konto/nowy-email", Public, account::new_email_page)
    .add(
        "POST",
        "/konto/nowy-email",
        Public,
        account::confirm_new_email,
    )
    .add(
        "GET",
        "/panel/organizacje",
        SignedIn,
        organizations_panel::page,
    )
    .add(
        "POST",
        "/panel/organizacje/{id}/zaproszenie",
        SignedIn,
        organizations_panel::invite,
    )
    .add(
        "POST",
        "/panel/organizacje/{id}/usun-czlonka",
        SignedIn,
        organizations_panel::remove,
    )
    .add(
        "GET",
        "/konto/zaproszenie",
        Public,
        account::invitation_page,
    )
    .add(
        "POST",
        "/konto/zaproszenie",
        Public,
        account::accept_invitation,
    )
    .add(
        "GET",
        "/panel/organizacje/nowa",
        SignedIn,
        organizations_profile::register_page,
    )
    .add(
        "POST",
        "/panel/organizacje/nowa",
        SignedIn,
        organizations_profile::register,
    )
    .add(
        "GET",
        "/panel/organizacje/{id}/profil",
        SignedIn,
        organizations_profile::edit_page,
    )
    .add(
        "POST",
        "/panel/organizacje/{id}/profil",
        SignedIn,
        organizations_profile::edit,
    )
    .add(
        "GET",
        "/panel/organizacje/{id}/historia",
        SignedIn,
        organizations_profile::history,
    )
    .add(
        "GET",
        "/panel/organizacje/{id}/przejecie",
        SignedIn,
        organizations_profile::claim_page,
    )
    .add(
        "POST",
        "/panel/organizacje/{id}/przejecie",
        SignedIn,
        organizations_profile::claim,
    )
    .add(
        "GET",
        "/panel/moderacja",
        Official("moderation"),
        moderation::queue,
    )
    .add(
        "GET",
        "/panel/moderacja/{id}",
        Official("moderation"),
        moderation::show,
    )
    .add(
        "POST",
        "/panel/moderacja/{id}",
        Official("moderation"),
        moderation::decide,
    )
    .add(
        "GET",
        "/panel/katalog",
        Official("moderation"),
        directory_status::status,
    )
    .add(
        "POST",
        "/panel/katalog/{id}/prosba",
        Official("moderation"),
        directory_status::send_request,
    )
    .add(
        "POST",
        "/panel/katalog/{id}/odbicia",
        Official("moderation"),
        directory_status::set_bounced,
    )
    .add("GET", "/pliki/{*key}", Public, files::serve)
    .add("GET", "/static/{name}", Public, crate::assets::serve)
    .add("GET", "/healthz", Public, health::healthz)
    .add("GET", "/readyz", Public, health::readyz)
}

/// Every route the application serves, with its permission.
pub fn table() -> Vec<RouteInfo> {
    build().table
}

pub fn router(state: AppState) -> Router {
    build()
        .router
        .fallback(|| async { crate::errors::AppError::NotFound })
        .with_state(state)
}
