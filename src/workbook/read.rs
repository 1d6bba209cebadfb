//! Reading a workbook someone sent back, defensively: whatever the file is (empty, a renamed
//! text file, an old .xls, a zip bomb, a sheet with a million rows) the answer is a clear
//! message, never a panic or a machine brought to its knees. An Excel workbook (.xlsx) and an
//! OpenDocument spreadsheet (.ods, see `ods`) are read into the same sheets and cells.

pub use super::error::{Cause, Kind, WorkbookError};
use calamine::{Data, Reader, Xlsx, XlsxError, XlsxFormulaMetadata};
use std::io::{Cursor, Read};
use std::path::Path;

pub use super::book::{Book, MAX_CELLS, Sheet, cell_text, describe, is_blank};

use crate::limits::MAX_CELLS_WALKED;
use crate::limits::MAX_MERGED_REGIONS;
use crate::limits::MAX_SHARED_STRINGS;
use crate::limits::MAX_UNPACKED_BYTES;
pub use crate::limits::MAX_WORKBOOK_BYTES;
use crate::limits::MAX_ZIP_ENTRIES;
/// Characters of a formula kept for messages.
const MAX_FORMULA_SHOWN: usize = 60;

/// Reads the named sheets of an .xlsx file (those it has; the caller reports missing ones).
pub fn read(path: &Path, wanted: &[&str]) -> Result<Book, WorkbookError> {
    let size = std::fs::metadata(path)
        .map_err(WorkbookError::Unreadable)?
        .len();
    if size > MAX_WORKBOOK_BYTES {
        return Err(WorkbookError::TooLarge(size));
    }
    let bytes = std::fs::read(path).map_err(WorkbookError::Unreadable)?;
    read_bytes(bytes, wanted)
}

/// As `read`, from the file's bytes.
pub fn read_bytes(bytes: Vec<u8>, wanted: &[&str]) -> Result<Book, WorkbookError> {
    sniff(&bytes)?;
    check_zip(&bytes)?;
    if super::ods::is_ods(&bytes) {
        return quietly(move || super::ods::read_sheets(bytes, wanted))
            .unwrap_or(Err(WorkbookError::Damaged(Kind::Ods)));
    }
    // A damaged file must never take the whole import down with it. calamine 0.38 has spots
    // where crafted cell references overflow (a panic in builds with overflow checks), so the
    // reading runs behind a net, with the panic message held back: the user gets one clear line.
    quietly(move || read_sheets(bytes, wanted)).unwrap_or(Err(WorkbookError::Damaged(Kind::Xlsx)))
}

/// Runs `f`, turning a panic into None without printing it.
fn quietly<T>(f: impl FnOnce() -> T + std::panic::UnwindSafe) -> Option<T> {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let result = std::panic::catch_unwind(f);
    std::panic::set_hook(previous);
    result.ok()
}

/// Tells what the file is when it is plainly not an .xlsx workbook.
fn sniff(bytes: &[u8]) -> Result<(), WorkbookError> {
    const CFB: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    if bytes.is_empty() {
        return Err(WorkbookError::Empty);
    }
    if bytes.starts_with(&CFB) {
        return Err(WorkbookError::OldExcel);
    }
    if !bytes.starts_with(b"PK") {
        let kind = if bytes.starts_with(b"%PDF") {
            "a PDF"
        } else if looks_like_text(&bytes[..bytes.len().min(512)]) {
            "a text file"
        } else {
            "some other kind of file"
        };
        return Err(WorkbookError::NotAWorkbook(kind));
    }
    Ok(())
}

/// UTF-8 without NULs, allowing a character cut off at the end of the sample.
fn looks_like_text(head: &[u8]) -> bool {
    let valid = match std::str::from_utf8(head) {
        Ok(_) => true,
        Err(e) => e.error_len().is_none(),
    };
    valid && !head.contains(&0)
}

/// Checks the zip's declared sizes before anything is unpacked.
fn check_zip(bytes: &[u8]) -> Result<(), WorkbookError> {
    let damaged = |e: Cause| WorkbookError::DamagedZip(e);
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(WorkbookError::NotAZip)?;
    if zip.len() > MAX_ZIP_ENTRIES {
        return Err(WorkbookError::TooManyParts(zip.len()));
    }
    let mut total: u64 = 0;
    let mut shared_strings = None;
    for i in 0..zip.len() {
        let entry = zip.by_index_raw(i).map_err(|e| damaged(e.into()))?;
        total = total.saturating_add(entry.size());
        if entry
            .name()
            .is_ok_and(|n| n.to_ascii_lowercase().ends_with("sharedstrings.xml"))
        {
            shared_strings = Some(i);
        }
    }
    if total > MAX_UNPACKED_BYTES {
        return Err(WorkbookError::UnpacksTo(total));
    }
    if let Some(i) = shared_strings {
        let mut head = Vec::new();
        let entry = zip.by_index(i).map_err(|e| damaged(e.into()))?;
        entry
            .take(4096)
            .read_to_end(&mut head)
            .map_err(|e| damaged(e.into()))?;
        if let Some(n) = attr_number(&String::from_utf8_lossy(&head), "uniqueCount")
            && n > MAX_SHARED_STRINGS
        {
            return Err(WorkbookError::TooManyTexts(n));
        }
    }
    Ok(())
}

/// The number in `name="123"` within an XML start tag's text.
fn attr_number(xml: &str, name: &str) -> Option<u64> {
    let at = xml.find(&format!("{name}=\""))? + name.len() + 2;
    let digits: String = xml[at..].chars().take_while(char::is_ascii_digit).collect();
    // Too many digits to parse is as bad as a huge number.
    Some(digits.parse().unwrap_or(u64::MAX))
}

fn read_sheets(bytes: Vec<u8>, wanted: &[&str]) -> Result<Book, WorkbookError> {
    let mut xlsx = Xlsx::new(Cursor::new(bytes)).map_err(|e| match e {
        XlsxError::Password => WorkbookError::Password(Kind::Xlsx),
        other => WorkbookError::NotReadable {
            kind: Kind::Xlsx,
            source: other.into(),
        },
    })?;
    let sheet_names = xlsx.sheet_names();
    let mut sheets = Vec::new();
    for &name in wanted {
        if !sheet_names.iter().any(|n| n == name) {
            continue;
        }
        let mut sheet = Sheet {
            name: name.to_string(),
            ..Sheet::default()
        };
        let damaged = |e: XlsxError| WorkbookError::SheetDamaged {
            sheet: name.to_string(),
            kind: Kind::Xlsx,
            source: e.into(),
        };
        {
            let mut reader = match xlsx.worksheet_cells_reader(name) {
                Ok(r) => r,
                // A chart sheet or the like: no cells.
                Err(XlsxError::NotAWorksheet(_)) => {
                    sheets.push(sheet);
                    continue;
                }
                Err(e) => return Err(damaged(e)),
            };
            let mut walked = 0usize;
            // Formulas are read with the values, in the same pass: a formula's cached value is
            // not an answer someone typed (and openpyxl and others leave it blank), so import
            // has to know which cells hold one.
            while let Some(cell) = reader.next_cell_with_formula_metadata().map_err(damaged)? {
                walked += 1;
                if walked > MAX_CELLS_WALKED {
                    return Err(WorkbookError::TooManyCellsWalked(name.to_string()));
                }
                let (row, col) = cell.pos;
                let Ok(col) = u16::try_from(col) else {
                    continue;
                };
                if let Some(formula) = &cell.formula {
                    let text = match formula {
                        XlsxFormulaMetadata::Normal { formula }
                        | XlsxFormulaMetadata::Shared { formula, .. } => formula.trim(),
                        _ => "",
                    };
                    // Long enough to recognise in a message, never the whole of a huge one.
                    let text: String = text.chars().take(MAX_FORMULA_SHOWN).collect();
                    sheet.formulas.insert((row, col), text);
                }
                let value: Data = cell.value.into();
                if !is_blank(&value) {
                    sheet.cells.insert((row, col), value);
                }
                if sheet.cells.len() > MAX_CELLS || sheet.formulas.len() > MAX_CELLS {
                    return Err(WorkbookError::TooManyCells(name.to_string()));
                }
            }
        }
        sheet.merged = xlsx.merge_cells_by_sheet_name(name).map_err(damaged)?;
        if sheet.merged.len() > MAX_MERGED_REGIONS {
            return Err(WorkbookError::TooManyMerged(name.to_string()));
        }
        sheets.push(sheet);
    }
    Ok(Book {
        sheet_names,
        sheets,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_non_workbooks_are_named() {
        let e = read_bytes(Vec::new(), &["Return"]).unwrap_err().to_string();
        assert!(e.contains("empty"), "{e}");
        let e = read_bytes(b"agency,rating\npolice,2\n".to_vec(), &["Return"])
            .unwrap_err()
            .to_string();
        assert!(e.contains("text file"), "{e}");
        let mut xls = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
        xls.extend([0u8; 600]);
        let e = read_bytes(xls, &["Return"]).unwrap_err().to_string();
        assert!(e.contains(".xls"), "{e}");
        let e = read_bytes(b"PK\x03\x04 truncated".to_vec(), &["Return"])
            .unwrap_err()
            .to_string();
        assert!(e.contains("not a readable Excel workbook"), "{e}");
    }

    #[test]
    fn declared_counts_are_read_from_xml() {
        assert_eq!(
            attr_number(r#"<sst count="12" uniqueCount="7">"#, "uniqueCount"),
            Some(7)
        );
        assert_eq!(
            attr_number(
                r#"<sst uniqueCount="99999999999999999999999">"#,
                "uniqueCount"
            ),
            Some(u64::MAX)
        );
        assert_eq!(attr_number("<sst>", "uniqueCount"), None);
    }

    /// A small workbook with the sheets import reads, merged cells, a date and shared strings.
    fn sample(compression: u8) -> Vec<u8> {
        let mut wb = rust_xlsxwriter::Workbook::new();
        wb.set_zip_compression_level(compression);
        let ws = wb.add_worksheet();
        ws.set_name("About").unwrap();
        ws.write_string(2, 0, "Agency id").unwrap();
        ws.write_string(2, 1, "police").unwrap();
        let date = rust_xlsxwriter::Format::new().set_num_format("dd/mm/yyyy");
        ws.write_datetime_with_format(
            3,
            1,
            rust_xlsxwriter::ExcelDateTime::from_ymd(2025, 10, 14).unwrap(),
            &date,
        )
        .unwrap();
        let ws = wb.add_worksheet();
        ws.set_name("Return").unwrap();
        for (c, h) in ["Question id", "Rating", "Evidence"].iter().enumerate() {
            ws.write_string(0, c as u16, *h).unwrap();
        }
        ws.write_string(1, 0, "q-1").unwrap();
        ws.write_number(1, 1, 2.0).unwrap();
        ws.merge_range(
            1,
            2,
            2,
            2,
            "Evidence \"quoted\"\nline two",
            &rust_xlsxwriter::Format::new(),
        )
        .unwrap();
        wb.save_to_buffer().unwrap()
    }

    #[test]
    fn a_good_workbook_reads_its_cells_and_merges() {
        let book = read_bytes(sample(6), &["About", "Return", "Missing"]).unwrap();
        assert_eq!(book.sheet_names, vec!["About", "Return"]);
        let about = book.sheet("About").unwrap();
        assert_eq!(about.get(2, 1), Some(&Data::String("police".into())));
        assert!(matches!(about.get(3, 1), Some(Data::DateTime(_))));
        let ret = book.sheet("Return").unwrap();
        assert_eq!(ret.rows(), vec![0, 1]);
        assert_eq!(ret.row(1).count(), 3);
        assert_eq!(ret.merged.len(), 1);
        assert_eq!((ret.merged[0].start, ret.merged[0].end), ((1, 2), (2, 2)));
        assert!(book.sheet("Missing").is_none());
    }

    #[test]
    fn formula_cells_are_known_whatever_value_they_saved() {
        let mut wb = rust_xlsxwriter::Workbook::new();
        let ws = wb.add_worksheet();
        ws.set_name("Return").unwrap();
        ws.write_string(0, 0, "typed").unwrap();
        ws.write_formula(
            1,
            7,
            rust_xlsxwriter::Formula::new("=A1").set_result("typed"),
        )
        .unwrap();
        // Saved with a value that is a fine rating (openpyxl saves none: tests/xlsx.rs).
        ws.write_formula(4, 5, "=1+1").unwrap();
        let book = read_bytes(wb.save_to_buffer().unwrap(), &["Return"]).unwrap();
        let ret = book.sheet("Return").unwrap();
        assert_eq!(ret.formula(1, 7), Some("A1"));
        assert_eq!(ret.get(1, 7), Some(&Data::String("typed".into())));
        assert_eq!(ret.formula(4, 5), Some("1+1"));
        assert_eq!(ret.formula(0, 0), None);
        assert_eq!(ret.rows_with_formulas(), vec![0, 1, 4]);
    }

    /// Damaged copies of a workbook give an answer (the workbook or a message), never a crash.
    /// The workbook is stored uncompressed so the damage reaches the XML readers.
    #[test]
    fn damaged_workbooks_give_an_answer_never_a_crash() {
        let orig = sample(0);
        let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let mut read = 0;
        for i in 0..3000 {
            let mut b = orig.clone();
            for _ in 0..1 + next() % 4 {
                let at = (next() as usize) % b.len();
                b[at] = next() as u8;
            }
            if i % 5 == 0 {
                let keep = (next() as usize) % b.len();
                b.truncate(keep);
            }
            if read_bytes(b, &["About", "Return"]).is_ok() {
                read += 1;
            }
        }
        assert!(read > 0, "some damage is harmless and still reads");
    }

    fn zip_of(parts: &[(&str, &[u8])]) -> Vec<u8> {
        let mut buf = Cursor::new(Vec::new());
        let mut w = zip::ZipWriter::new(&mut buf);
        for (name, bytes) in parts {
            w.start_file(*name, zip::write::SimpleFileOptions::default())
                .unwrap();
            std::io::Write::write_all(&mut w, bytes).unwrap();
        }
        w.finish().unwrap();
        buf.into_inner()
    }

    #[test]
    fn zip_bombs_are_refused_before_unpacking() {
        let zeros = vec![0u8; (MAX_UNPACKED_BYTES + 1) as usize];
        let bomb = zip_of(&[("xl/worksheets/sheet1.xml", &zeros)]);
        assert!(bomb.len() < 1024 * 1024);
        let e = read_bytes(bomb, &["Return"]).unwrap_err().to_string();
        assert!(e.contains("unpacks to"), "{e}");

        let strings = br#"<?xml version="1.0"?><sst xmlns="x" count="1" uniqueCount="4000000000"><si><t>a</t></si></sst>"#;
        let e = read_bytes(zip_of(&[("xl/sharedStrings.xml", strings)]), &["Return"])
            .unwrap_err()
            .to_string();
        assert!(e.contains("declares 4000000000 different texts"), "{e}");
    }

    #[test]
    fn a_sheet_with_too_many_cells_is_refused() {
        let mut wb = rust_xlsxwriter::Workbook::new();
        let ws = wb.add_worksheet();
        ws.set_name("Return").unwrap();
        for i in 0..=MAX_CELLS as u32 {
            ws.write_number(i / 10, (i % 10) as u16, 1.0).unwrap();
        }
        let e = read_bytes(wb.save_to_buffer().unwrap(), &["Return"])
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("the Return sheet has more than 200000 filled cells"),
            "{e}"
        );
    }

    #[test]
    fn a_zip_that_is_not_a_workbook_is_refused_cleanly() {
        let e = read_bytes(zip_of(&[("hello.txt", b"hello")]), &["Return"])
            .unwrap_err()
            .to_string();
        assert!(e.contains("not a readable Excel workbook"), "{e}");
    }
}
