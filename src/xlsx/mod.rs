//! The return workbook: one layout shared by `panelaudit forms` (which writes it) and
//! `panelaudit import` (which reads it back), so the two always agree on sheet names, columns
//! and the cells that say which agency, cycle and framework a workbook belongs to.
//!
//! A return has three sheets:
//!
//! - **Instructions**: how to rate, what counts as evidence, the scale and confidence levels.
//! - **About**: label in column A, value in column B. Agency, cycle, framework and form version
//!   are locked; "Completed by (role)" and "Submitted (date)" are for the agency to fill in.
//! - **Return**: a header row, then one row per question in the cycle's scope. The question
//!   columns are locked; rating, confidence, evidence, gaps and internal are the agency's.
//!
//! Import finds About values by their labels and Return columns by their headers, so a workbook
//! written by another program (or a form whose columns were moved) still reads correctly.

pub(crate) mod cases;
pub(crate) mod form;
pub(crate) use crate::workbook::{clean_text, read};
pub(crate) mod returns;

use crate::model::{Confidence, Date, Rating};
use std::collections::BTreeMap;

/// What one agency's return says, read from a workbook (import) or from its response file
/// (to pre-fill a form, or to tell whether an import changes anything).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReturnData {
    pub agency: String,
    pub completed_by: Option<String>,
    pub submitted: Option<Date>,
    /// By question id.
    pub answers: BTreeMap<String, AnswerData>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AnswerData {
    pub rating: Rating,
    /// None when the agency gave none (it then counts as low).
    pub confidence: Option<Confidence>,
    pub evidence: Option<String>,
    pub gaps: Option<String>,
    pub internal: Option<String>,
}

/// Bumped when the layout changes in a way an older import could misread.
pub const FORM_VERSION: u32 = 1;

pub const INSTRUCTIONS_SHEET: &str = "Instructions";
pub const ABOUT_SHEET: &str = "About";
pub const RETURN_SHEET: &str = "Return";

/// The rating a question gets when it does not apply to the agency.
pub const NOT_APPLICABLE: &str = "n/a";

/// The confidence drop-down's choices, weakest first.
pub const CONFIDENCE_CHOICES: [&str; 3] = ["low", "medium", "high"];

/// A column of the Return sheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Col {
    Id,
    Theme,
    Level,
    Question,
    Prompts,
    Rating,
    Confidence,
    Evidence,
    Gaps,
    Internal,
}

#[derive(Debug)]
pub struct ColumnSpec {
    pub col: Col,
    /// The header as written in row 1.
    pub header: &'static str,
    /// A short name import also accepts as the header.
    pub short: &'static str,
    /// Width in Excel's character units.
    pub width: f64,
    /// An answer column: unlocked for the agency to fill in.
    pub answer: bool,
    /// Import refuses a workbook without this column.
    pub required: bool,
}

/// The Return sheet's columns, left to right.
pub const COLUMNS: [ColumnSpec; 10] = [
    ColumnSpec {
        col: Col::Id,
        header: "Question id",
        short: "id",
        width: 9.0,
        answer: false,
        required: true,
    },
    ColumnSpec {
        col: Col::Theme,
        header: "Theme",
        short: "theme",
        width: 13.0,
        answer: false,
        required: false,
    },
    ColumnSpec {
        col: Col::Level,
        header: "Level",
        short: "level",
        width: 11.0,
        answer: false,
        required: false,
    },
    ColumnSpec {
        col: Col::Question,
        header: "Question",
        short: "question",
        width: 34.0,
        answer: false,
        required: false,
    },
    ColumnSpec {
        col: Col::Prompts,
        header: "What good evidence looks like",
        short: "prompts",
        width: 28.0,
        answer: false,
        required: false,
    },
    ColumnSpec {
        col: Col::Rating,
        header: "Rating",
        short: "rating",
        width: 17.0,
        answer: true,
        required: true,
    },
    ColumnSpec {
        col: Col::Confidence,
        header: "Confidence",
        short: "confidence",
        width: 11.0,
        answer: true,
        required: true,
    },
    ColumnSpec {
        col: Col::Evidence,
        header: "Evidence",
        short: "evidence",
        width: 42.0,
        answer: true,
        required: true,
    },
    ColumnSpec {
        col: Col::Gaps,
        header: "Gaps and plans",
        short: "gaps",
        width: 28.0,
        answer: true,
        required: false,
    },
    ColumnSpec {
        col: Col::Internal,
        header: "Internal note (never published)",
        short: "internal",
        width: 20.0,
        answer: true,
        required: false,
    },
];

impl Col {
    /// The column's position (0 = A) in a form as `forms` writes it.
    pub fn index(self) -> u16 {
        COLUMNS
            .iter()
            .position(|c| c.col == self)
            .map_or(0, |i| i as u16)
    }

    pub fn spec(self) -> &'static ColumnSpec {
        &COLUMNS[usize::from(self.index())]
    }

    /// The column a Return header names, matched without regard to case or spacing.
    pub fn from_header(text: &str) -> Option<Col> {
        let t = normalize_label(text);
        COLUMNS
            .iter()
            .find(|c| normalize_label(c.header) == t || c.short == t)
            .map(|c| c.col)
    }
}

/// Row (0-based) of the Return sheet's header.
pub const HEADER_ROW: u32 = 0;
/// Row (0-based) of the first question.
pub const FIRST_QUESTION_ROW: u32 = 1;

/// A value on the About sheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Field {
    AgencyId,
    Agency,
    Partnership,
    CycleId,
    Cycle,
    FrameworkId,
    Framework,
    FormVersion,
    ReturnBy,
    CompletedBy,
    Submitted,
}

#[derive(Debug)]
pub struct FieldSpec {
    pub field: Field,
    /// The label in column A.
    pub label: &'static str,
    /// Row (0-based) where `forms` writes it.
    pub row: u32,
    /// Filled in by the agency (unlocked); the others are fixed by `forms`.
    pub input: bool,
}

/// The About sheet: label in column A, value in column B.
pub const ABOUT_FIELDS: [FieldSpec; 11] = [
    FieldSpec {
        field: Field::AgencyId,
        label: "Agency id",
        row: 2,
        input: false,
    },
    FieldSpec {
        field: Field::Agency,
        label: "Agency",
        row: 3,
        input: false,
    },
    FieldSpec {
        field: Field::Partnership,
        label: "Partnership",
        row: 4,
        input: false,
    },
    FieldSpec {
        field: Field::CycleId,
        label: "Cycle id",
        row: 5,
        input: false,
    },
    FieldSpec {
        field: Field::Cycle,
        label: "Cycle",
        row: 6,
        input: false,
    },
    FieldSpec {
        field: Field::FrameworkId,
        label: "Framework id",
        row: 7,
        input: false,
    },
    FieldSpec {
        field: Field::Framework,
        label: "Framework",
        row: 8,
        input: false,
    },
    FieldSpec {
        field: Field::FormVersion,
        label: "Form version",
        row: 9,
        input: false,
    },
    FieldSpec {
        field: Field::ReturnBy,
        label: "Return by",
        row: 10,
        input: false,
    },
    FieldSpec {
        field: Field::CompletedBy,
        label: "Completed by (role)",
        row: 12,
        input: true,
    },
    FieldSpec {
        field: Field::Submitted,
        label: "Submitted (date)",
        row: 13,
        input: true,
    },
];

/// Column of the About sheet's labels (A) and values (B).
pub const ABOUT_LABEL_COL: u16 = 0;
pub const ABOUT_VALUE_COL: u16 = 1;

impl Field {
    pub fn spec(self) -> &'static FieldSpec {
        ABOUT_FIELDS
            .iter()
            .find(|f| f.field == self)
            .unwrap_or(&ABOUT_FIELDS[0])
    }

    /// The field an About label names, matched without regard to case, spacing or a final ':'.
    pub fn from_label(text: &str) -> Option<Field> {
        let t = normalize_label(text);
        ABOUT_FIELDS
            .iter()
            .find(|f| normalize_label(f.label) == t)
            .map(|f| f.field)
    }
}

/// A rating as the drop-down shows it: "2 - Reasonable assurance".
pub fn rating_choice(value: u32, label: &str) -> String {
    format!("{value} - {label}")
}

/// Lowercase, single spaces, no trailing ':' — for matching labels and headers.
pub fn normalize_label(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .trim_end_matches(':')
        .trim_end()
        .to_lowercase()
}

/// Excel's letters for a 0-based column: 0 → A, 25 → Z, 26 → AA.
pub fn col_letters(col: u16) -> String {
    let mut n = u32::from(col) + 1;
    let mut out = Vec::new();
    while n > 0 {
        let rem = ((n - 1) % 26) as u8;
        out.push(b'A' + rem);
        n = (n - 1) / 26;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// A1-style name of a 0-based (row, column): (13, 2) → "C14".
pub fn cell_ref(row: u32, col: u16) -> String {
    format!("{}{}", col_letters(col), u64::from(row) + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_names_match_excel() {
        assert_eq!(cell_ref(0, 0), "A1");
        assert_eq!(cell_ref(13, 2), "C14");
        assert_eq!(col_letters(25), "Z");
        assert_eq!(col_letters(26), "AA");
        assert_eq!(col_letters(701), "ZZ");
        assert_eq!(col_letters(702), "AAA");
        assert_eq!(cell_ref(u32::MAX, u16::MAX), "CRXP4294967296");
    }

    #[test]
    fn headers_and_labels_match_loosely() {
        assert_eq!(Col::from_header("  RATING "), Some(Col::Rating));
        assert_eq!(
            Col::from_header("Internal note  (never published)"),
            Some(Col::Internal)
        );
        assert_eq!(Col::from_header("internal"), Some(Col::Internal));
        assert_eq!(Col::from_header("Notes"), None);
        assert_eq!(
            Field::from_label("completed by (Role):"),
            Some(Field::CompletedBy)
        );
        assert_eq!(Field::from_label("Agency"), Some(Field::Agency));
    }

    #[test]
    fn layout_is_consistent() {
        for (i, c) in COLUMNS.iter().enumerate() {
            assert_eq!(usize::from(c.col.index()), i);
            assert_eq!(Col::from_header(c.header), Some(c.col));
        }
        let mut rows: Vec<u32> = ABOUT_FIELDS.iter().map(|f| f.row).collect();
        rows.dedup();
        assert_eq!(rows.len(), ABOUT_FIELDS.len());
        for f in &ABOUT_FIELDS {
            assert_eq!(Field::from_label(f.label), Some(f.field));
            assert_eq!(f.field.spec().row, f.row);
        }
    }
}
