//! The call's rules checked against an offer before it is submitted (item 5 of issue 17): each
//! finding names the section and the field it belongs to, so the section's form shows it next
//! to the field, and a Fluent message with its arguments.

use crate::grants::entity::grant_call;
use crate::grants::offer::{OfferContent, Section};

/// One breach of the call's rules or of the form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub section: Section,
    /// The id of the field in the section's form (where the summary link lands).
    pub field: String,
    /// Fluent id of the message.
    pub message: &'static str,
    /// Its arguments (name, value), already formatted.
    pub args: Vec<(&'static str, String)>,
}

/// What the checks need besides the call and the offer.
#[derive(Debug, Clone, Default)]
pub struct Context {
    /// Texts of the call's required attachments that have a file.
    pub attached: Vec<String>,
}

/// Every finding, in the form's order.
pub fn check(call: &grant_call::Model, c: &OfferContent, ctx: &Context) -> Vec<Finding> {
    let mut out = Vec::new();
    let t = c.totals();
    if let Some(max) = call.max_grant
        && c.funding.grant > max
    {
        out.push(Finding {
            section: Section::Funding,
            field: "grant".into(),
            message: "offer-check-grant-max",
            args: vec![("max", wspolnie_core::money::Money(max).to_string())],
        });
    }
    let _ = (t, ctx);
    out
}
