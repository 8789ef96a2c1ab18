//! Tables of the grants area (SeaORM entities written to match `m20261207_000001_grants` and
//! `m20261208_000001_grant_commission`).

pub mod grant_annex;
pub mod grant_call;
pub mod grant_commission;
pub mod grant_commission_member;
pub mod grant_contract;
pub mod grant_contract_line;
pub mod grant_contract_template;
pub mod grant_decision_line;
pub mod grant_formal_check;
pub mod grant_nomination;
pub mod grant_offer;
pub mod grant_offer_file;
pub mod grant_offer_section;
pub mod grant_offer_update;
pub mod grant_offer_version;
pub mod grant_opinion_line;
pub mod grant_reason_request;
pub mod grant_recusal;
pub mod grant_report;
pub mod grant_return;
pub mod grant_score_card;
pub mod grant_small_comment;
pub mod grant_small_offer;
pub mod grant_tranche;
