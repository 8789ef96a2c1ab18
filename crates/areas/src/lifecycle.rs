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

        /// A status reads against its stored string (tests, raw SQL results); it is never
        /// built from one except through `parse`.
        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.as_str() == *other
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
