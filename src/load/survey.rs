//! cycles/<id>/surveys/: each `<name>.toml` with the export it names beside it: a CSV file
//! read as the survey tools write it (Microsoft Forms, SmartSurvey, Google Forms): UTF-8 with
//! or without a byte-order mark, quoted fields holding commas, quotes and line breaks; or the
//! workbook Microsoft Forms downloads (`.xlsx`, or an `.ods`), its first sheet read as the
//! same table.
//!
//! Every field keeps its place, so a problem names the line and column of a CSV export, or the
//! sheet and cell of a workbook. Nothing here decides which columns matter: validation keeps
//! the item columns only.

use super::{Parsed, outside, present, read_source, read_toml_whole, sorted_entries};
use crate::diag::{Code, Diagnostics, Location};
use crate::load::raw::SurveyFile;
use crate::source::{self, SourceFile};
use std::path::Path;
use std::sync::Arc;

pub use crate::limits::MAX_SCALE_POINTS;
pub use crate::limits::MAX_SURVEY_COLUMNS;
pub use crate::limits::MAX_SURVEY_ITEMS;
pub use crate::limits::MAX_SURVEY_ROWS;
pub use crate::limits::MAX_SURVEYS;

/// One survey file and the export it names (None when the export could not be read: that
/// is reported already).
#[derive(Debug)]
pub struct RawSurvey {
    /// The file stem: the survey's id.
    pub name: String,
    pub file: Parsed<SurveyFile>,
    pub export: Option<Export>,
}

/// A survey tool's export of the responses, as read.
#[derive(Debug)]
pub enum Export {
    /// A CSV export: its text, and its table as parsed (or why it cannot be read, with the
    /// place in the text; validation reports it in turn with the survey's other problems).
    Csv {
        file: Arc<SourceFile>,
        table: Result<Table, CsvError>,
    },
    /// The first sheet of a workbook export, as a table.
    Workbook {
        display: String,
        sheet: String,
        table: Table,
    },
}

impl Export {
    /// The export's file, as messages show it.
    pub fn display(&self) -> &str {
        match self {
            Export::Csv { file, .. } => &file.display,
            Export::Workbook { display, .. } => display,
        }
    }

    /// Where a field of the export is, for a message: the file with a line and column (CSV),
    /// or the file, sheet and cell (a workbook). `row` counts responses from 0, under the
    /// header row; `col` counts columns from 0.
    pub fn place(&self, row: usize, col: usize, field: &Field) -> Location {
        match self {
            Export::Csv { file, .. } => {
                let (line, column) = file.line_col(field.offset);
                Location::Position {
                    path: file.display.clone(),
                    line,
                    column,
                }
            }
            Export::Workbook { display, sheet, .. } => Location::cell(
                display.as_str(),
                sheet.as_str(),
                format!("{}{}", column_letter(col), row + 2),
            ),
        }
    }
}

/// Whether a file name is a workbook's (the export is then read as one).
fn is_workbook_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    [".xlsx", ".xlsm", ".ods", ".xls"]
        .iter()
        .any(|e| lower.ends_with(e))
}

/// A workbook export's first sheet as a table: its first filled row is the header.
fn read_workbook(path: &Path, diags: &mut Diagnostics) -> Option<Export> {
    let display = source::display_path(path);
    let refuse = |e: String, diags: &mut Diagnostics| {
        diags
            .path_error(Code::CsvShape, &display, format!("the export cannot be read: {e}"))
            .with_help("download the responses again from the survey tool (Microsoft Forms: \"Open results in Excel\"), or export them as CSV");
    };
    let names = match crate::workbook::read::read(path, &[]) {
        Ok(book) => book.sheet_names,
        Err(e) => {
            refuse(e.to_string(), diags);
            return None;
        }
    };
    let Some(first) = names.first() else {
        refuse("the workbook has no sheet".to_string(), diags);
        return None;
    };
    let book = match crate::workbook::read::read(path, &[first.as_str()]) {
        Ok(b) => b,
        Err(e) => {
            refuse(e.to_string(), diags);
            return None;
        }
    };
    let sheet = book.sheet(first)?;
    Some(Export::Workbook {
        display: display.clone(),
        sheet: first.clone(),
        table: sheet_table(sheet),
    })
}

/// A sheet's filled rows as a table of text, from its first column to its last filled one.
fn sheet_table(sheet: &crate::workbook::read::Sheet) -> Table {
    let width = sheet
        .cells
        .keys()
        .map(|&(_, c)| usize::from(c) + 1)
        .max()
        .unwrap_or(0)
        .min(MAX_SURVEY_COLUMNS + 1);
    let mut rows = sheet.rows().into_iter().take(MAX_SURVEY_ROWS + 2).map(|r| {
        (0..width)
            .map(|c| Field {
                text: u16::try_from(c)
                    .ok()
                    .and_then(|c| sheet.get(r, c))
                    .map(cell_words)
                    .unwrap_or_default(),
                offset: 0,
            })
            .collect::<Vec<Field>>()
    });
    let header = rows.next().unwrap_or_default();
    Table {
        header,
        rows: rows.collect(),
    }
}

/// A cell as the text a CSV export of it would hold.
fn cell_words(d: &calamine::Data) -> String {
    use calamine::Data;
    match d {
        Data::String(s) => s.clone(),
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        Data::DateTime(dt) => {
            let (y, m, d, h, min, sec, _) = dt.to_ymd_hms_milli();
            format!("{y:04}-{m:02}-{d:02} {h:02}:{min:02}:{sec:02}")
        }
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        other => crate::workbook::read::cell_text(other).unwrap_or_default(),
    }
}

/// Reads every survey of a cycle folder. A CSV no survey names, or any other file, is
/// warned about and not read.
pub fn load_surveys(root: &Path, cdir: &Path, diags: &mut Diagnostics) -> Vec<RawSurvey> {
    let dir = cdir.join("surveys");
    if !dir.is_dir() || outside(root, &dir, diags) {
        return Vec::new();
    }
    let entries = sorted_entries(&dir);
    let tomls: Vec<&std::path::PathBuf> = entries
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    if tomls.len() > MAX_SURVEYS {
        diags.path_error(
            Code::TooLarge,
            source::display_path(&dir),
            format!(
                "this folder holds {} surveys; at most {MAX_SURVEYS} are read in a cycle, so none was",
                tomls.len()
            ),
        );
        return Vec::new();
    }
    let mut out = Vec::new();
    for p in &tomls {
        let name = p
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let Some(file) = read_toml_whole::<SurveyFile>(root, p, diags) else {
            continue;
        };
        let csv_name = file.value.responses.get_ref().trim().to_string();
        let csv = if csv_name.is_empty()
            || csv_name.contains(['/', '\\'])
            || csv_name.starts_with('.')
        {
            diags
                    .error(
                        Code::BadStructure,
                        &file.file,
                        file.value.responses.span(),
                        "`responses` names the export by its file name, in the same folder",
                    )
                    .with_help("e.g. responses = \"fathers-2026.csv\" (or \"fathers-2026.xlsx\"), the file beside this one");
            None
        } else {
            let path = dir.join(&csv_name);
            if !present(&path) {
                diags
                        .error(
                            Code::MissingFile,
                            &file.file,
                            file.value.responses.span(),
                            format!(
                                "the export `{csv_name}` is not in {}",
                                source::display_path(&dir)
                            ),
                        )
                        .with_help("save the survey tool's export (CSV, or the .xlsx Microsoft Forms downloads) beside the survey file");
                None
            } else if outside(root, &path, diags) {
                None
            } else if is_workbook_name(&csv_name) {
                read_workbook(&path, diags)
            } else {
                read_source(&path, diags).map(|file| Export::Csv {
                    table: parse_csv(&file.text),
                    file,
                })
            }
        };
        out.push(RawSurvey {
            name,
            file,
            export: csv,
        });
    }
    for p in &entries {
        let named = out.iter().any(|s| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy() == s.file.value.responses.get_ref().trim())
        });
        if !named && p.extension().is_none_or(|e| e != "toml") && !p.is_dir() {
            diags.path_warning(
                Code::IgnoredEntry,
                source::display_path(p),
                "ignored: no survey file in this folder names it as its `responses`",
            );
        }
    }
    out
}

/// One field of a CSV row: its text (quotes undone) and where it starts in the file.
#[derive(Debug, Clone)]
pub struct Field {
    pub text: String,
    pub offset: usize,
}

/// A CSV export: its header row and its data rows, every field placed.
#[derive(Debug, Clone, Default)]
pub struct Table {
    pub header: Vec<Field>,
    pub rows: Vec<Vec<Field>>,
}

/// Why a CSV file cannot be read, and the byte offset where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsvError {
    pub offset: usize,
    pub message: String,
}

/// Reads CSV text (RFC 4180 as the survey tools write it: `,` between fields, `"` around a
/// field holding a comma, quote or line break, `""` for a quote inside one, `\r\n` or `\n`
/// between rows). Blank lines are skipped. A quote inside an unquoted field is taken as text,
/// as spreadsheets do.
pub fn parse_csv(text: &str) -> Result<Table, CsvError> {
    let bytes = text.as_bytes();
    let mut rows: Vec<Vec<Field>> = Vec::new();
    let mut row: Vec<Field> = Vec::new();
    let mut i = 0;
    let n = bytes.len();
    let mut at_row_start = true;
    loop {
        if at_row_start {
            // Skip blank lines between rows.
            while i < n && (bytes[i] == b'\n' || bytes[i] == b'\r') {
                i += 1;
            }
            if i >= n {
                break;
            }
            at_row_start = false;
        }
        let start = i;
        let mut value = String::new();
        if i < n && bytes[i] == b'"' {
            i += 1;
            let mut seg = i;
            loop {
                let Some(q) = text[i..].find('"').map(|q| i + q) else {
                    return Err(CsvError {
                        offset: start,
                        message: "a quoted field is never closed (a `\"` is missing)".into(),
                    });
                };
                value.push_str(&text[seg..q]);
                if q + 1 < n && bytes[q + 1] == b'"' {
                    value.push('"');
                    i = q + 2;
                    seg = i;
                } else {
                    i = q + 1;
                    break;
                }
            }
            // Anything between the closing quote and the separator is kept, as spreadsheets do.
            let end = text[i..].find([',', '\n', '\r']).map_or(n, |e| i + e);
            value.push_str(&text[i..end]);
            i = end;
        } else {
            let end = text[i..].find([',', '\n', '\r']).map_or(n, |e| i + e);
            value.push_str(&text[i..end]);
            i = end;
        }
        row.push(Field {
            text: value,
            offset: start,
        });
        if row.len() > MAX_SURVEY_COLUMNS {
            return Err(CsvError {
                offset: start,
                message: format!("a row has more than {MAX_SURVEY_COLUMNS} columns"),
            });
        }
        if i < n && bytes[i] == b',' {
            i += 1;
            continue;
        }
        rows.push(std::mem::take(&mut row));
        if rows.len() > MAX_SURVEY_ROWS + 1 {
            return Err(CsvError {
                offset: start,
                message: format!("the export has more than {MAX_SURVEY_ROWS} responses"),
            });
        }
        at_row_start = true;
        if i >= n {
            break;
        }
    }
    if !row.is_empty() {
        rows.push(row);
    }
    let mut rows = rows.into_iter();
    let header = rows.next().unwrap_or_default();
    Ok(Table {
        header,
        rows: rows.collect(),
    })
}

/// A header as matched: trimmed, white space runs made one space, without case.
pub fn header_key(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// "A", "B", ... "Z", "AA": the spreadsheet's name of the column at `index` (from 0).
pub fn column_letter(index: usize) -> String {
    let mut n = index + 1;
    let mut out = Vec::new();
    while n > 0 {
        let r = (n - 1) % 26;
        out.push(b'A' + r as u8);
        n = (n - 1) / 26;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_fields_with_commas_quotes_and_line_breaks() {
        let t =
            "ID,Name,Comment\r\n1,\"Smith, J\",\"said \"\"no\"\"\r\nthen left\"\r\n\r\n2,B,\r\n";
        let table = parse_csv(t).unwrap();
        assert_eq!(table.header.len(), 3);
        assert_eq!(table.rows.len(), 2);
        assert_eq!(table.rows[0][1].text, "Smith, J");
        assert_eq!(table.rows[0][2].text, "said \"no\"\r\nthen left");
        assert_eq!(table.rows[1][2].text, "");
        assert_eq!(
            &t[table.rows[1][1].offset..table.rows[1][1].offset + 1],
            "B"
        );
    }

    #[test]
    fn an_unclosed_quote_is_placed() {
        let e = parse_csv("a,b\n1,\"open\n").unwrap_err();
        assert_eq!(e.offset, 6);
    }

    #[test]
    fn headers_and_letters() {
        assert_eq!(header_key("  I ask   WHO\u{a0}else "), "i ask who else");
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
    }
}
