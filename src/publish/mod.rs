//! Publication safety: what may reach the public site, and the scan that proves it.
//!
//! The public view (see `render::view`) is built from types with no place for internal text;
//! this module checks what *is* published for personal data before anything is written.

pub mod scan;

use crate::analysis;
use crate::diag::Diagnostics;
use crate::model::Audit;
use crate::render::view::{PublicView, PublishedText};
use crate::source::{self, Loc, SourceFile};
use scan::{DataKind, Scanner, mask};
use std::collections::BTreeMap;

/// Personal data found in a text about to be published.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    /// Where the datum is in the user's file (line and column counted into the text).
    pub loc: Loc,
    pub kind: DataKind,
    /// The datum with most characters hidden: messages never echo the whole value.
    pub masked: String,
}

/// The place of byte `offset` within a text that starts at `start` in its file.
fn loc_within(start: &Loc, text: &str, offset: usize) -> Loc {
    let before = &text[..offset];
    match before.rfind('\n') {
        Some(nl) => Loc {
            file: start.file.clone(),
            line: start.line + before.matches('\n').count(),
            col: before[nl + 1..].chars().count() + 1,
        },
        None => Loc {
            file: start.file.clone(),
            line: start.line,
            col: start.col + before.chars().count(),
        },
    }
}

/// Pins a hit to the exact line and column of its value in the source file: a text's place is
/// often that of its item (an action's table, a question's key), and TOML quoting shifts
/// columns. Only runs when something was found, so re-reading the file costs nothing normally.
fn pin(approximate: Loc, value: &str, files: &mut BTreeMap<String, Option<SourceFile>>) -> Loc {
    let file = files.entry(approximate.file.clone()).or_insert_with(|| {
        std::fs::read(&approximate.file)
            .ok()
            .and_then(|b| source::decode_text(b).ok())
            .map(|t| SourceFile::new(approximate.file.clone(), t))
    });
    let Some(file) = file else {
        return approximate;
    };
    // Search from the start of the item's line: the value follows it in the file.
    let from: usize = file
        .text
        .split_inclusive('\n')
        .take(approximate.line.saturating_sub(1))
        .map(str::len)
        .sum();
    match file.text.get(from..).and_then(|rest| rest.find(value)) {
        Some(at) => file.loc(from + at),
        None => approximate,
    }
}

/// Scans every (place, text) about to be published; hits come back in file order, each once.
pub fn scan_texts<'a>(
    scanner: &Scanner,
    texts: impl IntoIterator<Item = (&'a Loc, &'a str)>,
) -> Vec<Hit> {
    let mut files = BTreeMap::new();
    let mut hits: Vec<Hit> = Vec::new();
    for (loc, text) in texts {
        for f in scanner.scan(text) {
            let value = &text[f.start..f.end];
            hits.push(Hit {
                loc: pin(loc_within(loc, text, f.start), value, &mut files),
                kind: f.kind,
                masked: mask(value),
            });
        }
    }
    hits.sort_by(|a, b| (&a.loc, a.kind).cmp(&(&b.loc, b.kind)));
    // The same text can feed several pages (a summary on the overview and its own page).
    hits.dedup();
    hits
}

/// Scans what a public build of `audit` publishes, with the partnership's allow and deny lists.
pub fn scan_published(audit: &Audit, published: &[PublishedText]) -> Vec<Hit> {
    let scanner = Scanner::new(&audit.partnership.allow, &audit.deny);
    scan_texts(
        &scanner,
        published.iter().map(|t| (&t.loc, t.text.as_str())),
    )
}

/// What `check --public` runs: the public view a build would make, scanned, nothing written.
pub fn scan_audit(audit: &Audit) -> Vec<Hit> {
    let analyses = analysis::analyse_all(audit, None);
    let view = PublicView::build(audit, &analyses);
    scan_published(audit, &view.published)
}

/// Reports each hit as an error naming file, line, column and the kind of data.
pub fn report(hits: &[Hit], diags: &mut Diagnostics) {
    for h in hits {
        diags
            .path_error(
                h.loc.file.clone(),
                format!("{} ({}) would be published on the public site", h.kind.describe(), h.masked),
            )
            .at(h.loc.line, h.loc.col)
            .with_help(
                "remove it from the text, or, if it is safe to publish (the partnership's own contact), add it to `allow` under [publication] in partnership.toml",
            );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(line: usize, col: usize) -> Loc {
        Loc {
            file: "b.md".into(),
            line,
            col,
        }
    }

    #[test]
    fn hits_are_located_inside_multi_line_text_and_masked() {
        let scanner = Scanner::new(&[], &["Child Zed".to_string()]);
        let text = "First line.\nWe met Child Zed and mum.\nCall 07700 900123.";
        let hits = scan_texts(&scanner, [(&at(10, 1), text)]);
        assert_eq!(hits.len(), 2, "{hits:?}");
        assert_eq!(
            (hits[0].loc.line, hits[0].loc.col, hits[0].kind),
            (11, 8, DataKind::DenyListed)
        );
        assert_eq!(
            (hits[1].loc.line, hits[1].loc.col, hits[1].kind),
            (12, 6, DataKind::Phone)
        );
        assert!(!hits[1].masked.contains("900123"), "{}", hits[1].masked);
        let mut d = Diagnostics::new();
        report(&hits, &mut d);
        let out = d.render();
        assert!(out.contains("error: b.md:12:6: a phone number ("), "{out}");
        assert!(!out.contains("07700 900123"), "{out}");
    }

    #[test]
    fn a_single_line_text_counts_columns_from_where_it_starts() {
        let scanner = Scanner::new(&[], &[]);
        let hits = scan_texts(&scanner, [(&at(3, 20), "write to kai@example.org")]);
        assert_eq!((hits[0].loc.line, hits[0].loc.col), (3, 29));
    }

    #[test]
    fn the_same_text_published_twice_is_reported_once() {
        let scanner = Scanner::new(&[], &[]);
        let loc = at(1, 1);
        let hits = scan_texts(
            &scanner,
            [(&loc, "kai@example.org"), (&loc, "kai@example.org")],
        );
        assert_eq!(hits.len(), 1);
    }
}
