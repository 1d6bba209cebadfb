//! Where a problem is: a place in loaded text, a line and column of a file whose text is not
//! at hand, a workbook's sheet or cell, or a file or folder as a whole. One value, so a
//! problem cannot carry a span without its text, or a cell inside its file's name.

use crate::source::{Loc, SourceFile};
use std::fmt;
use std::ops::Range;
use std::sync::Arc;

#[derive(Debug, Clone)]
pub enum Location {
    /// A file or folder as a whole: missing, unreadable, or wrongly laid out.
    File { path: String },
    /// A line and column (1-based) in a file without loaded text (not UTF-8, say), or in text
    /// derived from it (the publication scan).
    Position {
        path: String,
        line: usize,
        column: usize,
    },
    /// A place in loaded text: printed with its source line and a caret.
    Span {
        file: Arc<SourceFile>,
        span: Range<usize>,
    },
    /// A workbook's sheet as a whole (a header row missing, say).
    Sheet { path: String, sheet: String },
    /// A cell of a workbook, `B3`, or a range of cells, `H2:H3`.
    Cell {
        path: String,
        sheet: String,
        cell: String,
    },
}

impl Location {
    /// A line and column of a file without loaded text.
    pub fn position(path: impl Into<String>, line: usize, column: usize) -> Self {
        Location::Position {
            path: path.into(),
            line,
            column,
        }
    }

    /// A workbook cell.
    pub fn cell(
        path: impl Into<String>,
        sheet: impl Into<String>,
        cell: impl Into<String>,
    ) -> Self {
        Location::Cell {
            path: path.into(),
            sheet: sheet.into(),
            cell: cell.into(),
        }
    }

    /// A workbook's sheet as a whole.
    pub fn sheet(path: impl Into<String>, sheet: impl Into<String>) -> Self {
        Location::Sheet {
            path: path.into(),
            sheet: sheet.into(),
        }
    }

    /// The file (or folder) as messages name it.
    pub fn path(&self) -> &str {
        match self {
            Location::Span { file, .. } => &file.display,
            Location::File { path }
            | Location::Position { path, .. }
            | Location::Sheet { path, .. }
            | Location::Cell { path, .. } => path,
        }
    }

    /// Line and column, when the place is inside a file's text.
    pub fn line_col(&self) -> Option<(usize, usize)> {
        match self {
            Location::Span { file, span } => Some(file.line_col(span.start)),
            Location::Position { line, column, .. } => Some((*line, *column)),
            _ => None,
        }
    }

    /// The sheet and cell (None for a whole sheet), when the place is in a workbook.
    pub fn sheet_cell(&self) -> Option<(&str, Option<&str>)> {
        match self {
            Location::Sheet { sheet, .. } => Some((sheet, None)),
            Location::Cell { sheet, cell, .. } => Some((sheet, Some(cell))),
            _ => None,
        }
    }

    /// Name, then line and column as numbers (so line 9 comes before line 10). A workbook's
    /// places sort by file and sheet, the sheet's own problems first, then its cells in the
    /// order a reader goes through them: row by row (`F3` before `F10`), column by column.
    pub(super) fn sort_key(&self) -> (String, usize, usize) {
        match self {
            Location::Sheet { path, sheet } => (format!("{path}: {sheet}"), 0, 0),
            Location::Cell { path, sheet, cell } => {
                let (row, column) = cell_order(cell);
                (format!("{path}: {sheet}"), row, column)
            }
            _ => {
                let (line, column) = self.line_col().unwrap_or((0, 0));
                (self.path().to_string(), line, column)
            }
        }
    }
}

/// A cell's (or a range's first cell's) row and column, both from 1, for ordering: `AB12` is
/// row 12, column 28. Anything else sorts after every cell.
fn cell_order(cell: &str) -> (usize, usize) {
    let first = cell.split(':').next().unwrap_or(cell);
    let letters = first.bytes().take_while(u8::is_ascii_uppercase).count();
    let column = first.bytes().take(letters).fold(0usize, |n, b| {
        n.saturating_mul(26)
            .saturating_add(usize::from(b - b'A' + 1))
    });
    match first[letters..].parse::<usize>() {
        Ok(row) if letters > 0 && row > 0 => (row, column),
        _ => (usize::MAX, usize::MAX),
    }
}

/// `FILE:LINE:COL`, `FILE: SHEET!CELL`, `FILE: SHEET` or just `FILE`, as problems are printed.
impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::File { path } => f.write_str(path),
            Location::Sheet { path, sheet } => write!(f, "{path}: {sheet}"),
            Location::Cell { path, sheet, cell } => write!(f, "{path}: {sheet}!{cell}"),
            _ => {
                let (line, column) = self.line_col().unwrap_or_default();
                write!(f, "{}:{line}:{column}", self.path())
            }
        }
    }
}

impl From<String> for Location {
    fn from(path: String) -> Self {
        Location::File { path }
    }
}

impl From<&str> for Location {
    fn from(path: &str) -> Self {
        Location::File {
            path: path.to_string(),
        }
    }
}

impl From<&String> for Location {
    fn from(path: &String) -> Self {
        Location::from(path.as_str())
    }
}

impl From<Loc> for Location {
    fn from(at: Loc) -> Self {
        Location::position(at.file, at.line, at.col)
    }
}

impl From<&Loc> for Location {
    fn from(at: &Loc) -> Self {
        Location::position(at.file.as_str(), at.line, at.col)
    }
}

impl From<&Location> for Location {
    fn from(place: &Location) -> Self {
        place.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_workbooks_problems_are_in_reading_order() {
        let cell = |sheet: &str, cell: &str| Location::Cell {
            path: "r.xlsx".into(),
            sheet: sheet.into(),
            cell: cell.into(),
        };
        let mut places = [
            cell("Return", "F10"),
            cell("About", "B3"),
            cell("Return", "AA3"),
            cell("Return", "F3"),
            cell("Return", "H2:H3"),
            Location::Sheet {
                path: "r.xlsx".into(),
                sheet: "Return".into(),
            },
            cell("Return", "B3"),
        ];
        places.sort_by_key(Location::sort_key);
        let printed: Vec<String> = places.iter().map(ToString::to_string).collect();
        assert_eq!(
            printed,
            [
                "r.xlsx: About!B3",
                "r.xlsx: Return",
                "r.xlsx: Return!H2:H3",
                "r.xlsx: Return!B3",
                "r.xlsx: Return!F3",
                "r.xlsx: Return!AA3",
                "r.xlsx: Return!F10",
            ]
        );
    }

    #[test]
    fn each_kind_of_place_prints_as_users_read_it() {
        let file = Arc::new(SourceFile::new("p/a.toml", "x = 1\ny = 2\n".to_string()));
        let places = [
            (Location::from("p/cycles"), "p/cycles"),
            (
                Location::Position {
                    path: "p/b.csv".into(),
                    line: 3,
                    column: 7,
                },
                "p/b.csv:3:7",
            ),
            (Location::Span { file, span: 6..7 }, "p/a.toml:2:1"),
            (Location::sheet("r.xlsx", "About"), "r.xlsx: About"),
            (
                Location::cell("r.xlsx", "Return", "H2:H3"),
                "r.xlsx: Return!H2:H3",
            ),
        ];
        for (place, shown) in places {
            assert_eq!(place.to_string(), shown);
        }
    }

    #[test]
    fn a_cell_keeps_its_file_apart_from_its_sheet_and_cell() {
        let place = Location::cell("p/surveys/export.xlsx", "Sheet1", "G3");
        assert_eq!(place.path(), "p/surveys/export.xlsx");
        assert_eq!(place.sheet_cell(), Some(("Sheet1", Some("G3"))));
        assert_eq!(place.line_col(), None);
    }
}
