//! The longest text each field of this area's forms takes, in characters, and whether it is one
//! line (hostile input: see `wspolnie_platform::validation`). One table per form, all here; the
//! CSV import checks its cells against `PROFILE` too.

use wspolnie_platform::validation::{Limits, line, text};

pub const DESCRIPTION_MAX: usize = 600;

/// An organisation's profile (`model::Profile`: the profile form and each imported row).
/// `contact_name` stands for every `contact_{n}_name` of the repeated contact rows.
pub const PROFILE: Limits = Limits(&[
    line("name", 200),
    text("short_description", DESCRIPTION_MAX),
    line("legal_form", 40),
    line("krs", 20),
    line("nip", 20),
    line("regon", 20),
    line("email", 254),
    line("phone", 40),
    line("website", 500),
    line("social_links", 500),
    line("street", 200),
    line("postal_code", 10),
    line("city", 100),
    line("district", 100),
    line("logo_key", 200),
    line("logo_alt", 250),
    line("contact_name", 120),
    line("contact_role", 120),
    line("contact_email", 254),
    line("contact_phone", 40),
]);

/// An owner's invitation of an editor (`members::InviteForm`).
pub const MEMBER_INVITE: Limits = Limits(&[line("email", 254)]);

/// A request to manage an organisation (`profile::ClaimForm`).
pub const CLAIM: Limits = Limits(&[line("role", 120), text("message", 2_000)]);
