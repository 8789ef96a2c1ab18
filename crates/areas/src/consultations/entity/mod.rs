//! The consultations area's tables.

pub mod consultation;
pub mod consultation_answer_template;
pub mod consultation_file;
pub mod consultation_remark;
pub mod consultation_version;
