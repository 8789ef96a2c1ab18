//! Typed life cycles (issue 13): every status column of an area is an enum stored through SeaORM's
//! active enums (the stored strings are the variants' `string_value`s), with the moves it allows in
//! one function next to it. `status_enum!` declares such an enum once: the derive, the stored
//! string of each variant, `as_str` (for templates and message ids) and `Display`.

/// Declares a status enum stored as its string value:
///
/// ```ignore
/// status_enum! {
///     /// Doc.
///     pub enum Status { Draft = "draft", Sent = "sent" }
/// }
/// ```
#[macro_export]
macro_rules! status_enum {
    ($(#[$meta:meta])* pub enum $name:ident { $($(#[$vmeta:meta])* $variant:ident = $value:tt),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(
            Debug,
            Clone,
            Copy,
            PartialEq,
            Eq,
            Hash,
            sea_orm::EnumIter,
            sea_orm::DeriveActiveEnum,
            serde::Serialize,
            serde::Deserialize,
        )]
        #[sea_orm(rs_type = "String", db_type = "String(sea_orm::sea_query::StringLen::None)")]
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            $(
                $(#[$vmeta])*
                #[sea_orm(string_value = $value)]
                $variant,
            )+
        }

        impl $name {
            /// Every status, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stored string.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $value,)+
                }
            }

            /// The status stored as `s`, if any.
            pub fn parse(s: &str) -> Option<$name> {
                match s {
                    $($value => Some($name::$variant),)+
                    _ => None,
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

/// A move a life cycle forbids: what moved, from where, to where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{what} cannot go from {from} to {to}")]
pub struct Forbidden {
    pub what: &'static str,
    pub from: String,
    pub to: String,
}

impl Forbidden {
    pub fn new(
        what: &'static str,
        from: impl std::fmt::Display,
        to: impl std::fmt::Display,
    ) -> Self {
        Forbidden {
            what,
            from: from.to_string(),
            to: to.to_string(),
        }
    }
}

impl From<Forbidden> for sea_orm::DbErr {
    fn from(f: Forbidden) -> Self {
        sea_orm::DbErr::Custom(f.to_string())
    }
}

/// `Ok` when `allowed`, else the `Forbidden` move.
pub fn check<S: std::fmt::Display + Copy>(
    what: &'static str,
    from: S,
    to: S,
    allowed: fn(S, S) -> bool,
) -> Result<(), Forbidden> {
    if allowed(from, to) {
        Ok(())
    } else {
        Err(Forbidden::new(what, from, to))
    }
}

#[cfg(test)]
mod tests {
    use super::check;
    use crate::mailings::model::{RecipientStatus, Status as Mailing, allowed, recipient_allowed};
    use crate::meetings::model::{InvitationStatus, Status as Meeting, invitation_allowed};
    use crate::moderation::lifecycle::{Mover, Publication};
    use crate::moderation::model::{RevisionStatus, revision_allowed};

    #[test]
    fn events_refuse_what_the_publication_life_cycle_forbids() {
        use Publication::*;
        let event = |from, to, by| crate::moderation::lifecycle::allowed(from, to, by, false);
        // An organisation never publishes its own event, nor revives a cancelled one.
        for from in [None, Some(Draft), Some(Pending), Some(Rejected)] {
            assert!(!event(from, Published, Mover::Organization), "{from:?}");
        }
        assert!(!event(Some(Cancelled), Pending, Mover::Organization));
        // Moderation publishes a submitted event, never a rejected one; an official does not
        // publish an organisation's event at all.
        assert!(event(Some(Pending), Published, Mover::Moderation));
        assert!(!event(Some(Rejected), Published, Mover::Moderation));
        assert!(!event(Some(Pending), Published, Mover::Official));
        assert!(
            crate::moderation::lifecycle::check(
                Some(Rejected),
                Published,
                Mover::Moderation,
                false
            )
            .is_err()
        );
    }

    #[test]
    fn meetings_and_invitations_refuse_forbidden_moves() {
        use Meeting::*;
        assert!(check("meeting", Draft, Invited, crate::meetings::model::allowed).is_ok());
        for to in [Draft, Invited, Cancelled] {
            assert!(check("meeting", Cancelled, to, crate::meetings::model::allowed).is_err());
        }
        assert!(check("meeting", Invited, Draft, crate::meetings::model::allowed).is_err());
        use InvitationStatus as I;
        assert!(!invitation_allowed(I::Attending, I::Invited));
        assert!(!invitation_allowed(I::Attending, I::Waitlisted));
        assert!(invitation_allowed(I::Waitlisted, I::Attending));
        assert!(invitation_allowed(I::Declined, I::Attending));
    }

    #[test]
    fn mailings_recipients_and_revisions_refuse_forbidden_moves() {
        use Mailing::*;
        for (from, to) in [
            (Draft, Sending),
            (Draft, Sent),
            (Sent, Draft),
            (Cancelled, Sending),
            (Sending, Draft),
            (Scheduled, Sent),
        ] {
            let e = check("mailing", from, to, allowed).expect_err("forbidden");
            assert_eq!(
                (e.from.as_str(), e.to.as_str()),
                (from.as_str(), to.as_str())
            );
        }
        for (from, to) in [
            (Draft, Scheduled),
            (Scheduled, Draft),
            (Scheduled, Sending),
            (Sending, Sent),
            (Sending, Cancelled),
            (Sent, Sending),
        ] {
            assert!(allowed(from, to), "{from} -> {to}");
        }
        // A forbidden move is refused before any UPDATE is built.
        assert!(crate::mailings::model::move_mailing(1, Sent, Draft).is_err());
        use RecipientStatus as R;
        assert!(!recipient_allowed(R::Skipped, R::Pending));
        assert!(!recipient_allowed(R::Bounced, R::Sent));
        assert!(recipient_allowed(R::Sent, R::Bounced));
        assert!(recipient_allowed(R::Sent, R::Unconfirmed));
        assert!(recipient_allowed(R::Unconfirmed, R::Pending));
        assert!(!recipient_allowed(R::Pending, R::Unconfirmed));
        assert!(!recipient_allowed(R::Unconfirmed, R::Sent));
        assert!(!revision_allowed(
            RevisionStatus::Approved,
            RevisionStatus::Rejected
        ));
        assert!(!revision_allowed(
            RevisionStatus::Superseded,
            RevisionStatus::Approved
        ));
        assert!(revision_allowed(
            RevisionStatus::Pending,
            RevisionStatus::Superseded
        ));
    }

    #[test]
    fn organisations_and_subscriptions_refuse_forbidden_moves() {
        use crate::directory::entity::organization::{Status as O, allowed as org};
        assert!(org(O::Pending, O::Published) && org(O::Pending, O::Rejected));
        assert!(
            org(O::Published, O::Published),
            "an approved change publishes again"
        );
        for (from, to) in [
            (O::Rejected, O::Published),
            (O::Published, O::Pending),
            (O::Published, O::Rejected),
            (O::Rejected, O::Pending),
        ] {
            assert!(
                check("organisation", from, to, org).is_err(),
                "{from} -> {to}"
            );
        }
        use crate::mailings::entity::newsletter_subscriber::{Status as S, allowed as sub};
        assert!(sub(S::Pending, S::Active) && sub(S::Active, S::Unsubscribed));
        assert!(sub(S::Unsubscribed, S::Pending), "signing up again");
        assert!(
            !sub(S::Unsubscribed, S::Active),
            "only through a new confirmation"
        );
        assert!(
            !sub(S::Active, S::Pending),
            "an active address stays active"
        );
    }
}
