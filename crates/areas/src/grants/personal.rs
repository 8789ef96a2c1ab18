//! What the grants area holds about a person. Calls and offers are records of a public
//! procedure kept under the archives rules (art. 16–18 UDPP, 5 years after the task), written by
//! officials and by organisations; they point at accounts only by id, and a deleted account's
//! `users` row is anonymised, so no column here holds a person's address or name by account.
//! The offer's contact person (section II) is the organisation's own statement in its offer.

use wspolnie_platform::personal::Table;

const ACCOUNT_ID: &str = "the acting account's id; the users row is anonymised on deletion";
const OFFICE_CONTACT: &str = "the office's contact published with the call";
const REASONS: &str = "a request for the reasons of a call's results and its answer are records of \
the procedure (art. 15 ust. 2j UDPP), kept with the call under the archives rules";
const COMMISSION: &str = "the commission's composition and nominations are part of the call's record \
(its protocol, art. 15 ust. 2a-2d UDPP), kept under the archives rules like the offers";

const SMALL_COMMENTS: &str = "a comment on a published small-grant offer (art. 19a ust. 5 UDPP) is part \
of the procedure's record, kept with the offer under the archives rules; not tied to an account";

pub const TABLES: &[Table] = &[
    Table {
        name: "grant_small_offers",
        personal: &[],
        not_personal: &[
            ("published_by", ACCOUNT_ID),
            ("publish_by", "a date: the day the office must publish the offer by (art. 19a ust. 3)"),
        ],
    },
    Table {
        name: "grant_small_comments",
        personal: &[],
        not_personal: &[
            ("author_name", SMALL_COMMENTS),
            ("author_email", SMALL_COMMENTS),
            ("moderated_by", ACCOUNT_ID),
        ],
    },
    Table {
        name: "grant_calls",
        personal: &[],
        not_personal: &[
            ("contact_name", OFFICE_CONTACT),
            ("contact_email", OFFICE_CONTACT),
            ("created_by", ACCOUNT_ID),
        ],
    },
    Table {
        name: "grant_offers",
        personal: &[],
        not_personal: &[("created_by", ACCOUNT_ID)],
    },
    Table {
        name: "grant_offer_sections",
        personal: &[],
        not_personal: &[("updated_by", ACCOUNT_ID)],
    },
    Table {
        name: "grant_offer_versions",
        personal: &[],
        not_personal: &[("submitted_by", ACCOUNT_ID)],
    },
    Table {
        name: "grant_offer_files",
        personal: &[],
        not_personal: &[("uploaded_by", ACCOUNT_ID)],
    },
    Table {
        name: "grant_formal_checks",
        personal: &[],
        not_personal: &[("checked_by", ACCOUNT_ID)],
    },
    Table::plain("grant_commissions"),
    Table {
        name: "grant_nominations",
        personal: &[],
        not_personal: &[("name", COMMISSION), ("email", COMMISSION), ("nominated_by", ACCOUNT_ID)],
    },
    Table {
        name: "grant_commission_members",
        personal: &[],
        not_personal: &[("name", COMMISSION), ("email", COMMISSION), ("user_id", ACCOUNT_ID)],
    },
    Table::plain("grant_recusals"),
    Table::plain("grant_score_cards"),
    Table::plain("grant_opinion_lines"),
    Table {
        name: "grant_reason_requests",
        personal: &[],
        not_personal: &[
            ("name", REASONS),
            ("email", REASONS),
            ("answered_by", ACCOUNT_ID),
        ],
    },
    Table {
        name: "grant_offer_updates",
        personal: &[],
        not_personal: &[("decided_by", ACCOUNT_ID)],
    },
    Table {
        name: "grant_contracts",
        personal: &[],
        not_personal: &[
            ("bank_account", "the organisation's account for the grant, a term of a public contract (art. 16 UDPP)"),
            ("created_by", ACCOUNT_ID),
        ],
    },
    Table {
        name: "grant_tranches",
        personal: &[],
        not_personal: &[("paid_by", ACCOUNT_ID)],
    },
    Table::plain("grant_contract_lines"),
    Table {
        name: "grant_annexes",
        personal: &[],
        not_personal: &[("created_by", ACCOUNT_ID)],
    },
    Table {
        name: "grant_reports",
        personal: &[],
        not_personal: &[("submitted_by", ACCOUNT_ID), ("decided_by", ACCOUNT_ID)],
    },
    Table {
        name: "grant_returns",
        personal: &[],
        not_personal: &[("recorded_by", ACCOUNT_ID)],
    },
    Table {
        name: "grant_contract_templates",
        personal: &[],
        not_personal: &[("created_by", ACCOUNT_ID)],
    },
    Table {
        name: "grant_decision_lines",
        personal: &[],
        not_personal: &[("decided_by", ACCOUNT_ID)],
    },
];
