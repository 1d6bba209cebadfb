//! An OpenDocument spreadsheet (`.ods`, LibreOffice's own format) read like an .xlsx return:
//! the same sheets, cells and formulas (calamine reads them), and what calamine does not tell,
//! from one light walk of the file's `content.xml`: which cells are merged (import refuses a
//! merged answer cell, as in an .xlsx), and how many cells each sheet unpacks to. ODS writes a
//! run of equal cells or rows once with a repeat count, so a file of a few kilobytes can stand
//! for billions of cells; a sheet that would unpack beyond any return form is refused before
//! anything is unpacked.

use super::book::{Book, MAX_CELLS, Sheet, is_blank};
use super::error::{Cause, Kind, WorkbookError};
use calamine::{Dimensions, Ods, OdsError, Reader};
use quick_xml::events::{BytesStart, Event};
use std::io::{BufReader, Cursor, Read};

/// What an ODS zip's `mimetype` entry says.
const MIMETYPE: &str = "application/vnd.oasis.opendocument.spreadsheet";
use crate::limits::MAX_UNPACKED_CELLS;

/// Whether a zip holds an OpenDocument spreadsheet.
pub(super) fn is_ods(bytes: &[u8]) -> bool {
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return false;
    };
    let Ok(entry) = zip.by_name("mimetype") else {
        return false;
    };
    let mut head = String::new();
    entry.take(100).read_to_string(&mut head).is_ok() && head.trim() == MIMETYPE
}

/// Reads the named sheets of an ODS file (those it has; the caller reports missing ones).
pub(super) fn read_sheets(bytes: Vec<u8>, wanted: &[&str]) -> Result<Book, WorkbookError> {
    let layout = layout(&bytes)?;
    let mut ods = Ods::new(Cursor::new(bytes)).map_err(|e| match e {
        OdsError::Password => WorkbookError::Password(Kind::Ods),
        other => WorkbookError::NotReadable {
            kind: Kind::Ods,
            source: other.into(),
        },
    })?;
    let sheet_names = ods.sheet_names();
    let mut sheets = Vec::new();
    for &name in wanted {
        if !sheet_names.iter().any(|n| n == name) {
            continue;
        }
        let damaged = |e: OdsError| WorkbookError::SheetDamaged {
            sheet: name.to_string(),
            kind: Kind::Ods,
            source: e.into(),
        };
        let values = ods.worksheet_range(name).map_err(damaged)?;
        let formulas = ods.worksheet_formula(name).map_err(damaged)?;
        let mut sheet = Sheet {
            name: name.to_string(),
            merged: layout
                .iter()
                .find(|s| s.name == name)
                .map(|s| s.merged.clone())
                .unwrap_or_default(),
            ..Sheet::default()
        };
        let (r0, c0) = values.start().unwrap_or((0, 0));
        for (r, c, v) in values.used_cells() {
            if let Some(at) = place(r0, c0, r, c)
                && !is_blank(v)
            {
                sheet.cells.insert(at, v.clone());
            }
        }
        let (r0, c0) = formulas.start().unwrap_or((0, 0));
        for (r, c, f) in formulas.used_cells() {
            if let Some(at) = place(r0, c0, r, c) {
                sheet.formulas.insert(at, formula_text(f));
            }
        }
        if sheet.cells.len() > MAX_CELLS || sheet.formulas.len() > MAX_CELLS {
            return Err(WorkbookError::TooManyCells(name.to_string()));
        }
        sheets.push(sheet);
    }
    Ok(Book {
        sheet_names,
        sheets,
    })
}

/// A cell's place in the sheet from its place in a range that starts at (r0, c0).
fn place(r0: u32, c0: u32, r: usize, c: usize) -> Option<(u32, u16)> {
    let row = r0.checked_add(u32::try_from(r).ok()?)?;
    let col = c0.checked_add(u32::try_from(c).ok()?)?;
    Some((row, u16::try_from(col).ok()?))
}

/// `of:=[.A1]+1` as a person reads it: `[.A1]+1`, cut short like an .xlsx formula in messages.
fn formula_text(f: &str) -> String {
    let f = f.trim();
    let f = f.strip_prefix("of:").unwrap_or(f);
    let f = f.strip_prefix('=').unwrap_or(f);
    f.chars().take(60).collect()
}

/// One sheet as the walk of `content.xml` finds it.
#[derive(Debug, Default)]
struct SheetLayout {
    name: String,
    merged: Vec<Dimensions>,
    /// The next row (counting repeats), and the end of the last row with a filled cell.
    row: u64,
    filled_rows: u64,
    /// The end of the furthest filled cell of any row (counting repeats).
    filled_cols: u64,
    /// Within the current row: the next column, whether a cell is filled, its repeats.
    col: u64,
    row_filled: bool,
    row_repeats: u64,
}

/// Each sheet's merged regions, having refused any sheet that unpacks beyond a return form.
fn layout(bytes: &[u8]) -> Result<Vec<SheetLayout>, WorkbookError> {
    let damaged = |e: Cause| WorkbookError::DamagedOds(e);
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| damaged(e.into()))?;
    let content = zip.by_name("content.xml").map_err(|e| damaged(e.into()))?;
    let mut reader = quick_xml::Reader::from_reader(BufReader::new(content));
    let mut buf = Vec::new();
    let mut sheets: Vec<SheetLayout> = Vec::new();
    loop {
        let event = reader
            .read_event_into(&mut buf)
            .map_err(|e| damaged(e.into()))?;
        match &event {
            Event::Start(e) | Event::Empty(e) => {
                let empty = matches!(event, Event::Empty(_));
                start(e, empty, &mut sheets)?;
            }
            Event::End(e) => end(e.name().as_ref(), &mut sheets)?,
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    Ok(sheets)
}

/// A number attribute of a tag (1 when absent; a number too long to read counts as huge).
fn count(e: &BytesStart<'_>, name: &str) -> u64 {
    e.try_get_attribute(name)
        .ok()
        .flatten()
        .map_or(1, |a| a.value.trim().parse().unwrap_or(u64::MAX))
}

fn start(
    e: &BytesStart<'_>,
    empty: bool,
    sheets: &mut Vec<SheetLayout>,
) -> Result<(), WorkbookError> {
    match e.name().as_ref() {
        "table:table" => {
            let name = e
                .try_get_attribute("table:name")
                .ok()
                .flatten()
                .map(|a| a.value.into_owned())
                .unwrap_or_default();
            sheets.push(SheetLayout {
                name,
                ..SheetLayout::default()
            });
            if empty {
                end("table:table", sheets)?;
            }
        }
        "table:table-row" => {
            if let Some(s) = sheets.last_mut() {
                s.col = 0;
                s.row_filled = false;
                s.row_repeats = count(e, "table:number-rows-repeated");
            }
            if empty {
                end("table:table-row", sheets)?;
            }
        }
        "table:table-cell" | "table:covered-table-cell" => {
            let Some(s) = sheets.last_mut() else {
                return Ok(());
            };
            let repeats = count(e, "table:number-columns-repeated");
            let filled = !empty
                || e.try_get_attribute("office:value-type")
                    .ok()
                    .flatten()
                    .is_some();
            let (rows, cols) = (
                count(e, "table:number-rows-spanned"),
                count(e, "table:number-columns-spanned"),
            );
            if rows > 1 || cols > 1 {
                let (r, c) = (clamp(s.row), clamp(s.col));
                s.merged.push(Dimensions::new(
                    (r, c),
                    (
                        clamp(s.row.saturating_add(rows - 1)),
                        clamp(s.col.saturating_add(cols - 1)),
                    ),
                ));
            }
            s.col = s.col.saturating_add(repeats);
            if filled {
                s.row_filled = true;
                s.filled_cols = s.filled_cols.max(s.col);
            }
        }
        _ => {}
    }
    Ok(())
}

fn end(name: &str, sheets: &mut [SheetLayout]) -> Result<(), WorkbookError> {
    let Some(s) = sheets.last_mut() else {
        return Ok(());
    };
    match name {
        "table:table-row" => {
            s.row = s.row.saturating_add(s.row_repeats.max(1));
            if s.row_filled {
                s.filled_rows = s.row;
            }
        }
        "table:table" => {
            let cells = s.filled_rows.saturating_mul(s.filled_cols);
            if cells > MAX_UNPACKED_CELLS {
                return Err(WorkbookError::UnpacksToCells {
                    sheet: s.name.clone(),
                    cells,
                });
            }
        }
        _ => {}
    }
    Ok(())
}

fn clamp(n: u64) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::Data;

    /// An ODS file from its content.xml, as LibreOffice lays one out.
    fn ods(content: &str) -> Vec<u8> {
        let mut buf = Cursor::new(Vec::new());
        let mut w = zip::ZipWriter::new(&mut buf);
        let stored = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        w.start_file("mimetype", stored).unwrap();
        std::io::Write::write_all(&mut w, MIMETYPE.as_bytes()).unwrap();
        w.start_file("META-INF/manifest.xml", stored).unwrap();
        std::io::Write::write_all(
            &mut w,
            br#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#,
        )
        .unwrap();
        w.start_file("content.xml", stored).unwrap();
        std::io::Write::write_all(&mut w, content.as_bytes()).unwrap();
        w.finish().unwrap();
        buf.into_inner()
    }

    fn doc(table: &str) -> String {
        format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.3"><office:body><office:spreadsheet>{table}</office:spreadsheet></office:body></office:document-content>"#
        )
    }

    #[test]
    fn cells_formulas_and_merges_are_read_in_place() {
        let table = r#"<table:table table:name="Return"><table:table-row><table:table-cell office:value-type="string"><text:p>Question id</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>Rating</text:p></table:table-cell></table:table-row><table:table-row><table:table-cell office:value-type="string"><text:p>q-1</text:p></table:table-cell><table:table-cell table:formula="of:=1+1" office:value-type="float" office:value="2"><text:p>2</text:p></table:table-cell><table:table-cell table:number-columns-spanned="2" table:number-rows-spanned="1" office:value-type="string"><text:p>merged</text:p></table:table-cell><table:covered-table-cell/></table:table-row><table:table-row table:number-rows-repeated="1048574"><table:table-cell table:number-columns-repeated="1024"/></table:table-row></table:table>"#;
        let bytes = ods(&doc(table));
        assert!(is_ods(&bytes));
        let book = read_sheets(bytes, &["Return", "About"]).unwrap();
        assert_eq!(book.sheet_names, vec!["Return"]);
        let ret = book.sheet("Return").unwrap();
        assert_eq!(ret.get(1, 0), Some(&Data::String("q-1".into())));
        assert_eq!(ret.formula(1, 1), Some("1+1"));
        assert_eq!(ret.merged.len(), 1);
        assert_eq!((ret.merged[0].start, ret.merged[0].end), ((1, 2), (1, 3)));
    }

    #[test]
    fn a_sheet_that_unpacks_to_billions_of_cells_is_refused_before_unpacking() {
        // A few hundred bytes: one filled cell repeated across every column, a million times.
        let table = r#"<table:table table:name="Return"><table:table-row table:number-rows-repeated="1048576"><table:table-cell table:number-columns-repeated="16384" office:value-type="string"><text:p>x</text:p></table:table-cell></table:table-row></table:table>"#;
        let e = read_sheets(ods(&doc(table)), &["Return"])
            .unwrap_err()
            .to_string();
        assert!(e.contains("the Return sheet unpacks to"), "{e}");
        assert!(!is_ods(b"PK\x03\x04 not a zip"));
    }
}
