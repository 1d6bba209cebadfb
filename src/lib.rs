//! panelaudit: load → validate → score → prioritise → plan → render → write.
//!
//! Each stage is a module with one job; data flows one way. The binary (`main.rs`) only parses
//! arguments and maps outcomes to exit codes.

pub mod analysis;
pub mod brief;
pub mod build;
pub mod bundled;
pub mod chase;
pub mod check;
pub mod cli;
pub mod commands;
pub mod diag;
pub mod disclosure;
pub mod error;
pub mod format;
pub mod fsx;
pub mod intake;
pub mod limits;
pub mod load;
pub mod model;
pub mod new_cycle;
pub mod pack;
pub mod paper;
pub mod preview;
pub mod publish;
pub mod rank_table;
pub mod scaffold;
pub mod scan;
pub mod serve;
pub mod signoff;
pub mod site;
pub mod source;
pub mod validate;
pub mod workbook;
pub mod workspace;
pub mod write;
pub mod xlsx;
