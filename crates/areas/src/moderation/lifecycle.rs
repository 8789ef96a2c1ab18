//! The publication life cycle shared by everything organisations publish through the moderation
//! queue with a row of its own (events, articles): the status enum stored in their `status`
//! column and the one function that says which moves are allowed.

crate::status_enum! {
    /// The status of a published-through-moderation item (`status` column of `events`, `articles`).
    pub enum Publication {
        Draft = "draft",
        Pending = "pending",
        Published = "published",
        Rejected = "rejected",
        ChangesRequested = "changes_requested",
        /// Withdrawn by the office (the calendar entry of a cancelled meeting).
        Cancelled = "cancelled",
    }
}

/// Who moves an item from one status to another.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mover {
    /// The organisation that wrote it (saving a draft, submitting).
    Organization,
    /// A moderation decision on a submitted revision.
    Moderation,
    /// An official with the content scope (city news, corrections of published texts).
    Official,
}

/// The one place that says which moves are allowed. `from` is `None` for a new item; `city` is
/// true for the office's own item (no organisation). An organisation's item becomes public only
/// through moderation: an official may publish the office's own and correct what is already
/// published, never publish an organisation's draft; only the office's own item is cancelled (a
/// meeting's calendar entry). (An organisation's change to a published item
/// is no move: the item stays published and the change waits as a revision.)
pub fn allowed(from: Option<Publication>, to: Publication, by: Mover, city: bool) -> bool {
    use Publication::*;
    match by {
        Mover::Organization => {
            !city
                && matches!(to, Draft | Pending)
                && matches!(from, None | Some(Draft | Pending | Rejected | ChangesRequested))
        }
        Mover::Moderation => {
            !city
                && matches!(
                    (from, to),
                    (Some(Pending | Draft), Published | Rejected | ChangesRequested)
                        | (Some(Published), Published)
                )
        }
        Mover::Official => match to {
            Published => city || from == Some(Published),
            Cancelled => city,
            _ => false,
        },
    }
}

/// A move the life cycle forbids, or a database error.
#[derive(Debug, thiserror::Error)]
pub enum LifecycleError {
    #[error("cannot go from {from:?} to {to:?} this way")]
    Forbidden {
        from: Option<Publication>,
        to: Publication,
    },
    #[error(transparent)]
    Db(#[from] sea_orm::DbErr),
}

impl From<LifecycleError> for sea_orm::DbErr {
    fn from(e: LifecycleError) -> Self {
        match e {
            LifecycleError::Db(e) => e,
            e => sea_orm::DbErr::Custom(e.to_string()),
        }
    }
}

/// `Ok` when `allowed`, else `Forbidden`.
pub fn check(
    from: Option<Publication>,
    to: Publication,
    by: Mover,
    city: bool,
) -> Result<(), LifecycleError> {
    if allowed(from, to, by, city) {
        Ok(())
    } else {
        Err(LifecycleError::Forbidden { from, to })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_office_cancels_and_only_its_own() {
        use Publication::*;
        for from in Publication::ALL {
            assert!(allowed(Some(*from), Cancelled, Mover::Official, true));
            assert!(!allowed(Some(*from), Cancelled, Mover::Official, false));
            assert!(!allowed(Some(*from), Cancelled, Mover::Organization, false));
            assert!(!allowed(Some(*from), Cancelled, Mover::Moderation, false));
        }
        // Nothing cancelled comes back through an organisation or moderation.
        assert!(!allowed(Some(Cancelled), Pending, Mover::Organization, false));
        assert!(!allowed(Some(Cancelled), Published, Mover::Moderation, false));
    }

    #[test]
    fn stored_strings_stay_what_they_were() {
        use sea_orm::ActiveEnum;
        for (s, v) in [
            ("draft", Publication::Draft),
            ("pending", Publication::Pending),
            ("published", Publication::Published),
            ("rejected", Publication::Rejected),
            ("changes_requested", Publication::ChangesRequested),
            ("cancelled", Publication::Cancelled),
        ] {
            assert_eq!(v.to_value(), s);
            assert_eq!(v.as_str(), s);
            assert_eq!(Publication::try_from_value(&s.to_owned()).ok(), Some(v));
            assert_eq!(serde_json::to_string(&v).unwrap(), format!("\"{s}\""));
        }
    }
}
