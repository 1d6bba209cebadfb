//! Publication safety: what may reach the public site, and the scan that proves it.
//!
//! The public view (see `site::views`) is built from types with no place for internal text;
//! this module checks what *is* published for personal data before anything is written.

pub mod scan;

use crate::analysis;
use crate::diag::{Code, Diagnostics};
use crate::model::Audit;
use crate::site::markdown;
use crate::site::views::{PublicView, PublishedText};
use crate::source::{self, Loc, SourceFile};
use scan::{DataKind, Scanner, mask};
use std::collections::{BTreeMap, BTreeSet};

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

/// Source files re-read to place hits, and the places already given to a hit.
#[derive(Default)]
struct Pinner {
    files: BTreeMap<String, Option<SourceFile>>,
    claimed: BTreeSet<(String, usize)>,
}

impl Pinner {
    /// Pins a hit to the exact line and column of its value in the source file: a text's place
    /// is often that of its item (an action's table, a question's key), and TOML quoting shifts
    /// columns. Each occurrence in the file is given to one hit only, so the same value written
    /// twice is reported twice. Runs only when something was found.
    fn pin(&mut self, approximate: Loc, value: &str) -> Loc {
        let file = self
            .files
            .entry(approximate.file.clone())
            .or_insert_with(|| {
                std::fs::read(&approximate.file)
                    .ok()
                    .and_then(|b| source::decode_text(b).ok())
                    .map(|t| SourceFile::new(approximate.file.clone(), t))
            });
        let Some(file) = file else {
            return approximate;
        };
        // Search from the start of the item's line: the value follows it in the file.
        let mut from: usize = file
            .text
            .split_inclusive('\n')
            .take(approximate.line.saturating_sub(1))
            .map(str::len)
            .sum();
        while let Some(at) = file.text.get(from..).and_then(|rest| rest.find(value)) {
            let offset = from + at;
            if self.claimed.insert((file.display.clone(), offset)) {
                return file.loc(offset);
            }
            from = offset + value.len().max(1);
        }
        approximate
    }
}

/// Characters that show nothing on a page but would split a name or number for the scanner.
fn without_invisibles(s: &str) -> String {
    s.chars()
        .filter(|c| {
            !matches!(
                c,
                '\u{00AD}' | '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}'
            )
        })
        .collect()
}

/// Scans every (place, text) about to be published; hits come back in file order, each once.
///
/// Each text is scanned as written and as a reader sees it: Markdown emphasis, HTML entities
/// (`&#64;`, `&nbsp;`) and invisible characters cannot hide a datum from the scan.
pub fn scan_texts<'a>(
    scanner: &Scanner,
    texts: impl IntoIterator<Item = (&'a Loc, &'a str)>,
) -> Vec<Hit> {
    // The same text can feed several pages (a summary on the overview and its own page).
    let unique: BTreeSet<(&Loc, &str)> = texts.into_iter().collect();
    let mut pinner = Pinner::default();
    let mut hits: Vec<Hit> = Vec::new();
    for (loc, text) in unique {
        let mut seen: BTreeSet<(DataKind, String)> = BTreeSet::new();
        for f in scanner.scan(text) {
            let value = &text[f.start..f.end];
            seen.insert((f.kind, without_invisibles(value)));
            hits.push(Hit {
                loc: pinner.pin(loc_within(loc, text, f.start), value),
                kind: f.kind,
                masked: mask(value),
            });
        }
        let shown = without_invisibles(&markdown::to_text(text));
        for f in scanner.scan(&shown) {
            let value = &shown[f.start..f.end];
            if seen.insert((f.kind, value.to_string())) {
                hits.push(Hit {
                    loc: pinner.pin(loc.clone(), value),
                    kind: f.kind,
                    masked: mask(value),
                });
            }
        }
    }
    hits.sort_by(|a, b| (&a.loc, a.kind).cmp(&(&b.loc, b.kind)));
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
    let analyses = analysis::analyse_all(audit, crate::model::Date::today());
    let view = PublicView::build(audit, &analyses);
    scan_published(audit, &view.published)
}

/// Reports each hit as an error naming file, line, column and the kind of data.
pub fn report(hits: &[Hit], diags: &mut Diagnostics) {
    for h in hits {
        diags
            .path_error(Code::PersonalData,
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
        assert!(
            out.contains("error[PA0601]: b.md:12:6: a phone number ("),
            "{out}"
        );
        assert!(!out.contains("07700 900123"), "{out}");
    }

    #[test]
    fn a_single_line_text_counts_columns_from_where_it_starts() {
        let scanner = Scanner::new(&[], &[]);
        let hits = scan_texts(&scanner, [(&at(3, 20), "write to kai@example.org")]);
        assert_eq!((hits[0].loc.line, hits[0].loc.col), (3, 29));
    }

    #[test]
    fn markdown_entities_and_invisible_characters_cannot_hide_data() {
        let scanner = Scanner::new(&[], &["Kestrel Amberley".to_string()]);
        for text in [
            "write to j&#46;doe&#64;nhs&#46;net",
            "NHS 943&#32;476&#32;5919",
            "the case of Kestrel **Amberley**",
            "the case of Kestrel&nbsp;Amberley",
            "the case of K&#101;strel Amberley",
            "the case of Kes\u{200B}trel Amberley",
        ] {
            let hits = scan_texts(&scanner, [(&at(1, 1), text)]);
            assert_eq!(hits.len(), 1, "{text}: {hits:?}");
        }
    }

    #[test]
    fn the_same_value_written_twice_is_reported_at_both_places() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.toml");
        std::fs::write(
            &path,
            "name = \"Kai Doe\"\n\n[[agencies]]\nname = \"Kai Doe's team\"\n",
        )
        .unwrap();
        let file = path.to_string_lossy().into_owned();
        let scanner = Scanner::new(&[], &["Kai Doe".to_string()]);
        let start = Loc {
            file: file.clone(),
            line: 1,
            col: 1,
        };
        let hits = scan_texts(&scanner, [(&start, "Kai Doe"), (&start, "Kai Doe's team")]);
        let lines: Vec<usize> = hits.iter().map(|h| h.loc.line).collect();
        assert_eq!(lines, [1, 4], "{hits:?}");
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
