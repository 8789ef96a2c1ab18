//! What the programme area holds about a person: nothing but the account of the official who
//! wrote a programme or a report (kept as the office's record; the users row is anonymised on
//! deletion).

use wspolnie_platform::personal::Table;

const ACCOUNT_ID: &str = "the acting official's account; the users row is anonymised on deletion";

pub const TABLES: &[Table] = &[
    Table { name: "programmes", personal: &[], not_personal: &[("created_by", ACCOUNT_ID)] },
    Table { name: "programme_tasks", personal: &[], not_personal: &[] },
    Table { name: "programme_indicators", personal: &[], not_personal: &[] },
    Table { name: "programme_reports", personal: &[], not_personal: &[("created_by", ACCOUNT_ID)] },
];
