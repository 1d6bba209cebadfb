//! Why a workbook cannot be read: one error for both kinds of spreadsheet, each message ending
//! with how to save the file again so that it can be.

use super::book::MAX_CELLS;
use crate::limits::{MAX_CELLS_WALKED, MAX_MERGED_REGIONS, MAX_UNPACKED_BYTES, MAX_WORKBOOK_BYTES};

/// How to save an Excel workbook again so that it can be read.
pub const SAVE_AS: &str = "save it from Excel as \"Excel Workbook (.xlsx)\"";
/// How to save a LibreOffice spreadsheet again so that it can be read.
pub const SAVE_AS_ODS: &str =
    "save it again from LibreOffice as \"ODF Spreadsheet (.ods)\" or \"Excel 2007-365 (.xlsx)\"";

/// A cause from the zip, XML or spreadsheet reader, kept as the error's source.
pub type Cause = Box<dyn std::error::Error + Send + Sync>;

/// Which kind of spreadsheet a message is about: what it is called, and how to save it again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Xlsx,
    Ods,
}

impl Kind {
    fn save_as(self) -> &'static str {
        match self {
            Kind::Xlsx => SAVE_AS,
            Kind::Ods => SAVE_AS_ODS,
        }
    }
}

/// Why a workbook cannot be read (or is refused as far larger than a return form).
#[derive(Debug, thiserror::Error)]
pub enum WorkbookError {
    #[error("cannot read the file: {0}")]
    Unreadable(#[source] std::io::Error),
    #[error(
        "the file is {0} bytes; a return form is far smaller, and files over {MAX_WORKBOOK_BYTES} bytes are refused"
    )]
    TooLarge(u64),
    #[error("the file is empty (0 bytes): it is not a workbook")]
    Empty,
    #[error(
        "this is an Excel 97-2003 workbook (.xls) or a password-protected one, which cannot be imported; {SAVE_AS} without a password"
    )]
    OldExcel,
    /// Plainly another kind of file (`looks_like`: "a PDF", "a text file", …).
    #[error("this is not a workbook: it looks like {0} with a workbook's name; {SAVE_AS}")]
    NotAWorkbook(&'static str),
    #[error(
        "this is not a readable Excel workbook (the file is damaged or not an .xlsx: {0}); {SAVE_AS}"
    )]
    NotAZip(#[source] zip::result::ZipError),
    #[error("the workbook has {0} parts; a return form has a few dozen, so it is refused")]
    TooManyParts(usize),
    #[error("the workbook is damaged ({0}); {SAVE_AS}")]
    DamagedZip(#[source] Cause),
    #[error(
        "the workbook unpacks to {0} bytes; a return form is far smaller, and workbooks over {MAX_UNPACKED_BYTES} bytes unpacked are refused"
    )]
    UnpacksTo(u64),
    #[error(
        "the workbook declares {0} different texts; a return form has a few hundred, so it is refused"
    )]
    TooManyTexts(u64),
    /// The reader panicked on it (calamine has spots where crafted input overflows).
    #[error("{}", match .0 {
        Kind::Xlsx => format!("the workbook is damaged and cannot be read; open it in Excel and {SAVE_AS}"),
        Kind::Ods => format!("the spreadsheet is damaged and cannot be read; {}", SAVE_AS_ODS),
    })]
    Damaged(Kind),
    #[error("the {} is protected with a password to open it; {} without a password", noun(*.0), .0.save_as())]
    Password(Kind),
    #[error("this is not a readable {} ({source}); {}", readable(*.kind), .kind.save_as())]
    NotReadable {
        kind: Kind,
        #[source]
        source: Cause,
    },
    #[error("the {sheet} sheet cannot be read ({source}); {}", .kind.save_as())]
    SheetDamaged {
        sheet: String,
        kind: Kind,
        #[source]
        source: Cause,
    },
    #[error(
        "the {0} sheet has more than {MAX_CELLS_WALKED} cells; a return form has a few hundred, so it is refused"
    )]
    TooManyCellsWalked(String),
    #[error(
        "the {0} sheet has more than {MAX_CELLS} filled cells; a return form has a few hundred, so it is refused"
    )]
    TooManyCells(String),
    #[error("the {0} sheet has more than {MAX_MERGED_REGIONS} merged regions, so it is refused")]
    TooManyMerged(String),
    /// An .ods whose content cannot be read.
    #[error("the spreadsheet is damaged ({0}); {save_as}", save_as = SAVE_AS_ODS)]
    DamagedOds(#[source] Cause),
    #[error(
        "the {sheet} sheet unpacks to {cells} cells; a return form has a few hundred, so it is refused"
    )]
    UnpacksToCells { sheet: String, cells: u64 },
}

/// The file as a password message names it.
fn noun(kind: Kind) -> &'static str {
    match kind {
        Kind::Xlsx => "workbook",
        Kind::Ods => "spreadsheet",
    }
}

/// The file as "not a readable …" names it.
fn readable(kind: Kind) -> &'static str {
    match kind {
        Kind::Xlsx => "Excel workbook",
        Kind::Ods => "spreadsheet",
    }
}
