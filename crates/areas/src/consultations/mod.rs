//! consultations: drafts of local law and of the cooperation programme consulted with NGOs and
//! residents (art. 5 ust. 5 UDPP; issue 20). Being built: for now the draft as a structured text
//! (`text.rs`). The area joins `areas!` in `lib.rs` with its manifest once it has pages.

pub mod text;
