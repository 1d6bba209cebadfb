//! Publication safety: what may reach the public site, and the scans that prove it.
//!
//! The public view (`site::views::PublicView`) is built from types with no place for internal
//! text, and records every user-written text it takes ([`PublishedText`]). Two scans then read
//! what a public build would publish, each text folded as a reader sees it
//! ([`crate::scan::fold`]: entities and percent-escapes decoded, Unicode folded, invisible
//! characters dropped):
//!
//! - [`scan_published`], the field-level scan: every recorded text, placed precisely in its
//!   file. `check --public` and the public build run it first.
//! - [`scan_site`], the last gate: every file the public build is about to write, whole (HTML
//!   text and attribute values, SVG, CSV, JSON, file and folder names, link destinations and
//!   titles, whatever a template printed), so that nothing reaches the public because nobody
//!   expected it to hold text. Each hit is placed in the audit file it came from when it can
//!   be found there, else in the built file.
//!
//! Placing a hit never reads a file again: the audit carries the files it was read from
//! (`Audit::sources`). Messages never echo a value: they show it masked.

mod site_text;

use crate::diag::{Code, Diagnostics};
use crate::model::Audit;
use crate::scan::fold::{Folded, fold};
use crate::scan::{DataKind, Scanner, mask};
use crate::site::markdown;
use crate::site::views::PublishedText;
use crate::source::{Loc, SourceFile};
use crate::write::OutFile;
use std::collections::BTreeSet;
use std::sync::Arc;

/// Personal data found in something about to be published.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    /// Where the datum is: a place in the user's file, or in the built file when it came from
    /// no audit file (a template, say).
    pub loc: Loc,
    /// The datum is in a file's or folder's name, not in its text.
    pub in_name: bool,
    pub kind: DataKind,
    /// The datum with most characters hidden: messages never echo the whole value.
    pub masked: String,
}

/// The place of byte `offset` within a text that starts at `start` in its file.
fn loc_within(start: &Loc, text: &str, offset: usize) -> Loc {
    let before = &text[..offset.min(text.len())];
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

/// The audit's own files, folded on first use, for placing a value found in a page back in
/// the file it was written in. Each occurrence is given to one hit only, so the same value
/// written twice is reported twice.
struct SourceIndex<'a> {
    files: &'a [Arc<SourceFile>],
    folded: Vec<Option<Folded>>,
    claimed: BTreeSet<(usize, usize)>,
}

impl<'a> SourceIndex<'a> {
    fn new(files: &'a [Arc<SourceFile>]) -> SourceIndex<'a> {
        SourceIndex {
            files,
            folded: vec![None; files.len()],
            claimed: BTreeSet::new(),
        }
    }

    /// The first unclaimed place of `value` (folded) in the audit's files: in the file of
    /// `near` from its line on when given, else in any file; then in the files' names.
    fn locate(&mut self, value: &str, near: Option<&Loc>) -> Option<(Loc, bool)> {
        if value.is_empty() {
            return None;
        }
        // Ids are lower-cased on their way to a page (`AB123456C` becomes `a-ab123456c`):
        // compare without case (ASCII only, so byte offsets stay put).
        let value = &value.to_ascii_lowercase();
        let mut order: Vec<usize> = (0..self.files.len()).collect();
        if let Some(n) = near {
            order.sort_by_key(|&i| self.files[i].display != n.file);
        }
        for i in order {
            let from_line = near
                .filter(|n| n.file == self.files[i].display)
                .map_or(1, |n| n.line);
            let file = &self.files[i];
            let folded = self.folded[i].get_or_insert_with(|| {
                let mut f = fold(&file.text);
                f.text.make_ascii_lowercase();
                f
            });
            let start_byte = file.line_start(from_line);
            let mut at = 0;
            while let Some(found) = folded.text[at..].find(value) {
                let s = at + found;
                let (os, _) = folded.original_range(s, s + value.len());
                if os >= start_byte && self.claimed.insert((i, os)) {
                    return Some((file.loc(os), false));
                }
                at = s + value.len().max(1);
            }
        }
        // A file or folder name (a briefing called after a child's NHS number).
        self.files.iter().find_map(|f| {
            masked_in(&f.display, value).map(|shown| {
                (
                    Loc {
                        file: shown,
                        line: 0,
                        col: 0,
                    },
                    true,
                )
            })
        })
    }
}

/// `path` with the part that reads as `value` (folded, without case) masked, when it has one:
/// a message names the file without echoing the datum in its name.
fn masked_in(path: &str, value: &str) -> Option<String> {
    let folded = fold(path);
    let at = folded.text.to_ascii_lowercase().find(value)?;
    let (s, e) = folded.original_range(at, at + value.len());
    Some(format!("{}{}{}", &path[..s], mask(&path[s..e]), &path[e..]))
}

/// Scans every recorded text (as written, and as Markdown shows it) with the partnership's
/// allow and deny lists; hits come back in file order, each once.
pub fn scan_published(audit: &Audit, published: &[PublishedText]) -> Vec<Hit> {
    scan_texts(
        audit.scanner(),
        &audit.sources,
        published.iter().map(|t| (&t.loc, t.text.as_str())),
    )
}

/// The field-level scan over (place, text) pairs.
pub fn scan_texts<'a>(
    scanner: &Scanner,
    sources: &[Arc<SourceFile>],
    texts: impl IntoIterator<Item = (&'a Loc, &'a str)>,
) -> Vec<Hit> {
    // The same text can feed several pages (a summary on the overview and its own page).
    let unique: BTreeSet<(&Loc, &str)> = texts.into_iter().collect();
    let mut index = SourceIndex::new(sources);
    let mut hits: Vec<Hit> = Vec::new();
    for (loc, text) in unique {
        let mut seen: BTreeSet<(DataKind, String)> = BTreeSet::new();
        let folded = fold(text);
        for f in scanner.scan(&folded.text) {
            let value = &folded.text[f.start..f.end];
            seen.insert((f.kind, value.to_string()));
            let (os, _) = folded.original_range(f.start, f.end);
            let approximate = loc_within(loc, text, os);
            let (place, in_name) = index
                .locate(value, Some(&approximate))
                .unwrap_or((approximate, false));
            hits.push(Hit {
                loc: place,
                in_name,
                kind: f.kind,
                masked: mask(value),
            });
        }
        let shown = fold(&markdown::to_text(text));
        for f in scanner.scan(&shown.text) {
            let value = &shown.text[f.start..f.end];
            if seen.insert((f.kind, value.to_string())) {
                let (place, in_name) = index
                    .locate(value, Some(loc))
                    .unwrap_or((loc.clone(), false));
                hits.push(Hit {
                    loc: place,
                    in_name,
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

/// The last gate: every file a public build is about to write, read whole as a reader (and a
/// browser) would see it. `site` names the output folder in messages; `members` pairs each
/// partnership with the path prefix of its pages (empty for a single partnership), whose
/// allow and deny lists apply there; the collection's own pages answer to all of them.
pub fn scan_site(site: &str, members: &[(&str, &Audit)], files: &[OutFile]) -> Vec<Hit> {
    let scopes: Vec<ScanScope<'_>> = members
        .iter()
        .map(|(prefix, a)| ScanScope {
            prefix,
            allow: &a.partnership.allow,
            deny: &a.deny,
            scanner: Some(a.scanner()),
        })
        .collect();
    let sources: Vec<Arc<SourceFile>> = members
        .iter()
        .flat_map(|(_, a)| a.sources.iter().cloned())
        .collect();
    scan_site_in(site, &scopes, &sources, files)
}

/// Where a partnership's pages sit in the site (`""` alone, `"<folder>/"` in a collection) and
/// the allow and deny lists that apply there, with their scanner.
pub struct ScanScope<'a> {
    pub prefix: &'a str,
    pub allow: &'a [String],
    pub deny: &'a [String],
    /// Compiled from `allow` and `deny`, when the audit's own is at hand; otherwise the scan
    /// compiles one when a page of this partnership needs it, and drops it when done.
    pub scanner: Option<&'a Scanner>,
}

/// [`scan_site`] without the audits: a collection's own pages are scanned after its
/// partnerships' audits are gone, against every partnership's lists; a hit is then placed in
/// the built file when `sources` cannot place it in an audit file.
pub fn scan_site_in(
    site: &str,
    members: &[ScanScope<'_>],
    sources: &[Arc<SourceFile>],
    files: &[OutFile],
) -> Vec<Hit> {
    let compiled: Vec<std::cell::OnceCell<Scanner>> =
        members.iter().map(|_| std::cell::OnceCell::new()).collect();
    // The pages of no one partnership (a collection's own) answer to every partnership's
    // lists at once: that scanner is compiled only when there is such a page.
    let everyone = std::cell::OnceCell::new();
    let everyone = || {
        everyone.get_or_init(|| {
            let allow: Vec<String> = members
                .iter()
                .flat_map(|s| s.allow.iter().cloned())
                .collect();
            let deny: Vec<String> = members
                .iter()
                .flat_map(|s| s.deny.iter().cloned())
                .collect();
            Scanner::new(&allow, &deny)
        })
    };
    let mut index = SourceIndex::new(sources);
    let mut hits = Vec::new();
    let mut seen: BTreeSet<(String, DataKind, String)> = BTreeSet::new();
    for file in files {
        let member = members
            .iter()
            .position(|s| !s.prefix.is_empty() && file.path.starts_with(s.prefix))
            .or_else(|| (members.len() == 1).then_some(0));
        let scanner = match member {
            Some(i) => match members[i].scanner {
                Some(own) => own,
                None => compiled[i].get_or_init(|| Scanner::new(members[i].allow, members[i].deny)),
            },
            None => everyone(),
        };
        let built = format!("{site}/{}", file.path);
        for piece in site_text::readable(&file.path, &file.bytes) {
            for f in scanner.scan(&piece.folded.text) {
                let value = &piece.folded.text[f.start..f.end];
                // One report per value and kind in a file: a name in a page's every heading
                // is one thing to fix.
                if !seen.insert((file.path.clone(), f.kind, value.to_string())) {
                    continue;
                }
                let (os, _) = piece.folded.original_range(f.start, f.end);
                let (loc, in_name) = index.locate(value, None).unwrap_or_else(|| {
                    let place = piece.place(os);
                    let file = if piece.is_name {
                        masked_in(&built, &value.to_ascii_lowercase()).unwrap_or(built.clone())
                    } else {
                        built.clone()
                    };
                    (
                        Loc {
                            file,
                            line: place.0,
                            col: place.1,
                        },
                        piece.is_name,
                    )
                });
                hits.push(Hit {
                    loc,
                    in_name,
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

/// Reports each hit as an error naming file, line, column and the kind of data.
pub fn report(hits: &[Hit], diags: &mut Diagnostics) {
    for h in hits {
        let d = if h.in_name {
            diags.path_error(
                Code::PersonalData,
                h.loc.file.clone(),
                format!(
                    "{} ({}) in this file's name would be published on the public site",
                    h.kind.describe(),
                    h.masked
                ),
            )
        } else {
            diags.error_at(
                Code::PersonalData,
                &h.loc,
                format!(
                    "{} ({}) would be published on the public site",
                    h.kind.describe(),
                    h.masked
                ),
            )
        };
        d.with_help(if h.in_name {
            "rename the file: its name becomes part of a web address on the public site"
        } else {
            "remove it from the text, or, if it is safe to publish (the partnership's own contact), add it to `allow` under [publication] in partnership.toml"
        });
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
        let hits = scan_texts(&scanner, &[], [(&at(10, 1), text)]);
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
        let hits = scan_texts(&scanner, &[], [(&at(3, 20), "write to kai@example.org")]);
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
            let hits = scan_texts(&scanner, &[], [(&at(1, 1), text)]);
            assert_eq!(hits.len(), 1, "{text}: {hits:?}");
        }
    }

    #[test]
    fn the_same_value_written_twice_is_reported_at_both_places_from_the_files_in_memory() {
        let file = Arc::new(SourceFile::new(
            "p/partnership.toml",
            "name = \"Kai Doe\"\n\n[[agencies]]\nname = \"Kai Doe's team\"\n".to_string(),
        ));
        let scanner = Scanner::new(&[], &["Kai Doe".to_string()]);
        let start = Loc {
            file: file.display.clone(),
            line: 1,
            col: 1,
        };
        let sources = [file];
        let hits = scan_texts(
            &scanner,
            &sources,
            [(&start, "Kai Doe"), (&start, "Kai Doe's team")],
        );
        let places: Vec<(usize, usize)> = hits.iter().map(|h| (h.loc.line, h.loc.col)).collect();
        assert_eq!(places, [(1, 9), (4, 9)], "{hits:?}");
    }

    #[test]
    fn the_last_gate_reads_links_attributes_and_file_names_and_places_hits_in_their_files() {
        let file = Arc::new(SourceFile::new(
            "p/actions.toml",
            "[[actions]]\nid = \"AB123456C\"\ntitle = \"Call\"\n".to_string(),
        ));
        let mut audit = crate::analysis::testkit::audit(
            crate::analysis::testkit::framework(&[0, 1, 2, 3], &[("t", 1.0)], &[("q", "t")]),
            &[("police", true)],
        );
        audit.sources = vec![file];
        let files = [
            OutFile::new(
                "actions/index.html",
                "<p id=\"a-ab123456c\">x</p><a href=\"mailto:kai&#64;example.org\" title=\"NHS &#57;43 476 5919\">y</a>",
            ),
            OutFile::new("briefings/943-476-5919/index.html", "<p>ok</p>"),
        ];
        let hits = scan_site("site", &[("", &audit)], &files);
        let found: Vec<(DataKind, &str, bool)> = hits
            .iter()
            .map(|h| (h.kind, h.loc.file.as_str(), h.in_name))
            .collect();
        assert!(
            found.contains(&(DataKind::NiNumber, "p/actions.toml", false)),
            "{hits:?}"
        );
        assert!(
            found.contains(&(DataKind::Email, "site/actions/index.html", false)),
            "{hits:?}"
        );
        assert!(
            found.contains(&(DataKind::NhsNumber, "site/actions/index.html", false)),
            "{hits:?}"
        );
        assert!(
            found.contains(&(
                DataKind::NhsNumber,
                "site/briefings/94•••••••••9/index.html",
                true
            )),
            "the folder is named with the number masked: {hits:?}"
        );
        let ni = hits.iter().find(|h| h.kind == DataKind::NiNumber).unwrap();
        assert_eq!((ni.loc.line, ni.loc.col), (2, 7));
        assert!(
            hits.iter()
                .all(|h| !h.masked.contains("5919") && !h.masked.contains("kai@"))
        );
    }

    #[test]
    fn the_same_text_published_twice_is_reported_once() {
        let scanner = Scanner::new(&[], &[]);
        let loc = at(1, 1);
        let hits = scan_texts(
            &scanner,
            &[],
            [(&loc, "kai@example.org"), (&loc, "kai@example.org")],
        );
        assert_eq!(hits.len(), 1);
    }
}
