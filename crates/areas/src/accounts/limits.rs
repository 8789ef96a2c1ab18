//! The longest text each field of this area's forms takes, in characters, and whether it is one
//! line (hostile input: see `wspolnie_platform::validation`). One table per form, all here.

use wspolnie_platform::validation::{Limits, line};

/// Sign-up (`web::SignUpForm`).
pub const SIGN_UP: Limits = Limits(&[line("name", 100), line("email", 254)]);

/// Accepting an invitation with a new account (`web::AcceptForm`).
pub const ACCEPT: Limits = Limits(&[line("name", 120)]);
