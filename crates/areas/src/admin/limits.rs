//! The longest text each field of this area's forms takes, in characters, and whether it is one
//! line (hostile input: see `wspolnie_platform::validation`). One table per form, all here.

use wspolnie_platform::validation::{Limits, line};

/// An invitation of an official (`web::InviteForm`).
pub const INVITE: Limits = Limits(&[line("email", 254)]);

/// The site settings (`web::SettingsForm`, fields named after `SITE_KEYS` without `site.`). The
/// names and addresses reach every page and mail, so they are one line; the footer too (one input).
pub const SETTINGS: Limits = Limits(&[
    line("city_name", 200),
    line("office_name", 200),
    line("zone_name", 200),
    line("logo_url", 500),
    line("address", 500),
    line("phone", 40),
    line("email", 254),
    line("office_hours", 500),
    line("email_footer", 500),
    line("office_name_en", 200),
    line("zone_name_en", 200),
    line("office_hours_en", 500),
    line("email_footer_en", 500),
]);
