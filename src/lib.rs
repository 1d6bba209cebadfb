//! panelaudit: load → validate → score → prioritise → plan → render → write.
//!
//! Each stage is a module with one job; data flows one way. The binary (`main.rs`) only parses
//! arguments and maps outcomes to exit codes.

pub mod analysis;
pub(crate) mod authoring;
pub mod build;
pub(crate) mod bundled;
pub(crate) mod check;
pub mod cli;
pub mod commands;
pub mod diag;
pub(crate) mod disclosure;
pub mod error;
pub(crate) mod format;
pub(crate) mod fsx;
pub(crate) mod intake;
pub(crate) mod limits;
pub mod load;
pub mod model;
pub(crate) mod publish;
pub(crate) mod reports;
pub(crate) mod scan;
pub mod serve;
pub mod site;
pub(crate) mod source;
pub mod validate;
pub(crate) mod workbook;
pub mod workspace;
pub(crate) mod write;
pub mod xlsx;
