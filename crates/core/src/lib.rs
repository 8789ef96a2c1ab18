//! Domain types and rules of Wspólnie. No I/O lives here: everything in this crate is pure and
//! unit-tested, so every module (directory, grants, meetings…) can rely on it.

pub mod contact;
pub mod events;
pub mod ics;
pub mod ids;
pub mod money;
pub mod recurrence;
pub mod text;
pub mod time;

pub use money::Money;
pub use text::{fold_pl, slugify};
