//! The programme area's tables.

pub mod programme;
pub mod programme_indicator;
pub mod programme_report;
pub mod programme_task;
