//! The integration tests: one binary (one link step on a two-core machine, not nine), each
//! file a module that runs the real `panelaudit` binary on fixture audits.

mod common;

mod banks;
mod briefs;
mod cases;
mod chase;
mod check;
mod collection;
mod disclosure;
mod fuzz_loaders;
mod fuzz_markdown;
mod guide;
mod init;
mod kill;
mod ledger;
mod limits;
mod masking;
mod paper;
mod plain;
mod programme;
mod publication;
mod rank;
mod signoff;
mod site;
mod snapshots;
mod surveys;
mod xlsx;
