//! Reading spreadsheets (.xlsx and .ods) into plain sheets of cells: no knowledge of returns,
//! case records or surveys, so that `load` (surveys exported from a form) and `xlsx` (returns
//! and case records) both read through it from below.

pub mod book;
pub mod error;
pub mod ods;
pub mod read;

/// Text as imported: line endings made `\n`, outer whitespace trimmed, blank as None.
pub fn clean_text(s: &str) -> Option<String> {
    let t = s.replace("\r\n", "\n").replace('\r', "\n");
    let t = t.trim();
    (!t.is_empty()).then(|| t.to_string())
}
