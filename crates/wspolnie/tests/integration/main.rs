//! The one integration test binary. Every test runs on SQLite, and again on PostgreSQL when
//! `TEST_DATABASE_URL` is set (each run on a fresh database). Mail goes to a real SMTP server on
//! 127.0.0.1; HTTP goes over real TCP to the real application.

mod common;

mod accounts;
mod areas;
mod cache;
mod calendar;
mod cli;
mod consultations;
mod delivery;
mod directory;
mod events;
mod form_limits;
mod forms;
mod grants_annulment;
mod grants_calls;
mod grants_commission;
mod grants_contracts;
mod grants_offers;
mod grants_public;
mod grants_reduced;
mod grants_reports;
mod grants_small;
mod grants_submit;
mod hostile_input;
mod import;
mod jobs;
mod language;
mod mail;
mod mailings;
mod meetings;
mod news;
mod newsletter;
mod pages;
mod panel;
mod partners;
mod platform;
mod programme;
mod signin_security;
mod storage;
mod web;
mod write_discipline;
