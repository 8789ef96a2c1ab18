//! Field errors of validated forms: field name → Fluent message id and its arguments. Every
//! area's form validation returns them; the web layer localises them next to the fields.

use std::collections::BTreeMap;

pub type FieldErrors = BTreeMap<String, (&'static str, Vec<(&'static str, String)>)>;
