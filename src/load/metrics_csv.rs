//! metrics.csv: read as CSV (`metric,period,value`), every row and field placed in the file so
//! validation can point at a mistake. Nothing here knows which metrics exist.

use crate::limits::MAX_METRIC_ROWS;
use crate::source::SourceFile;
use std::ops::Range;

/// One record of metrics.csv as read, placed in the file.
#[derive(Debug)]
pub enum CsvRecord {
    /// A row the CSV reader refused, at a byte offset.
    Unreadable {
        at: usize,
        message: String,
    },
    Row(CsvRow),
}

/// A row of metrics.csv that is not blank: its place and each field's.
#[derive(Debug)]
pub struct CsvRow {
    /// Where the row starts, and its first line.
    pub start: usize,
    pub span: Range<usize>,
    /// Each field's text (quotes undone) and where it is written.
    pub fields: Vec<(String, Range<usize>)>,
}

impl CsvRow {
    /// Where field `n` is written (the whole row when it has no such field).
    pub fn field_span(&self, n: usize) -> Range<usize> {
        self.fields
            .get(n)
            .map_or(self.span.clone(), |(_, span)| span.clone())
    }
}

/// metrics.csv read as CSV, blank rows left out; None when it does not start with the header
/// `metric,period,value`. Nothing is checked here but the header. Rows past the limit are not
/// read: validation refuses such a file before it looks at a row.
pub fn read(file: &SourceFile) -> Option<Vec<CsvRecord>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(file.text.as_bytes());
    let header_ok = reader
        .headers()
        .map(|h| h.iter().map(str::trim).collect::<Vec<_>>() == ["metric", "period", "value"])
        .unwrap_or(false);
    if !header_ok {
        return None;
    }
    let mut out = Vec::new();
    for record in reader.records().take(MAX_METRIC_ROWS + 1) {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let at = e.position().map_or(0, |p| p.byte() as usize);
                out.push(CsvRecord::Unreadable {
                    at,
                    message: e.to_string(),
                });
                continue;
            }
        };
        let start = record.position().map_or(0, |p| p.byte() as usize);
        let span = start
            ..start
                + file.text[start..]
                    .find(['\r', '\n'])
                    .unwrap_or(file.text.len() - start);
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        // Each field is found in the row's text after the one before it.
        let mut fields = Vec::new();
        let mut off = start;
        for f in record.iter() {
            let pos = file.text[off..].find(f).map_or(off, |p| off + p);
            fields.push((f.to_string(), pos..pos + f.len().max(1)));
            off = pos + f.len();
        }
        out.push(CsvRecord::Row(CsvRow {
            start,
            span,
            fields,
        }));
    }
    Some(out)
}
