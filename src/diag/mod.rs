//! Problems found in a user's files, collected (never stopping at the first) and printed
//! as `error[PA0202]: FILE:LINE:COL: message` with the source line and a caret under the
//! place (or `FILE: SHEET!CELL: message` in a workbook; see [`Location`]), a second place
//! where a problem has one ("first defined here"), or as JSON lines for editors and CI
//! (`check --format json`).
//!
//! Nothing printed echoes personal data: CI logs are often public. Every message, help, file
//! name and source line passes through the personal-data scanner as it is printed, and what it
//! would flag is masked in place (`94•••••••9`), with the partnership's deny list when
//! validation has compiled it ([`Diagnostics::mask_with`]).

mod codes;
mod json;
mod location;

pub use codes::Code;
pub use location::Location;

use crate::scan::{Scanner, redact};
use crate::source::SourceFile;
use std::fmt::Write as _;
use std::ops::Range;
use std::sync::Arc;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

/// A second place a problem involves, such as where a duplicated id was first defined.
#[derive(Debug, Clone)]
pub struct Related {
    pub file: Arc<SourceFile>,
    pub span: Range<usize>,
    pub label: String,
}

#[derive(Debug, Clone)]
pub struct Diagnostic {
    pub code: Code,
    pub severity: Severity,
    /// Where it is: one place, of one kind.
    pub location: Location,
    pub message: String,
    pub help: Option<String>,
    pub related: Vec<Related>,
    /// What masks this problem when it is printed, when it came from another collection of
    /// problems (one partnership's, into a collection's): its partnership's scanner.
    pub masker: Option<Masker>,
}

impl Diagnostic {
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// File, then line and column as numbers (so line 9 comes before line 10), then severity.
    fn sort_key(&self) -> (String, usize, usize, Severity) {
        let (name, line, column) = self.location.sort_key();
        (name, line, column, self.severity)
    }

    /// The human form: a header line, then the source line with a caret; personal data of the
    /// built-in kinds masked.
    pub fn render(&self) -> String {
        self.render_masked(&Masker::default())
    }

    /// [`Diagnostic::render`], masking what `masker`'s scanners flag.
    pub fn render_masked(&self, masker: &Masker) -> String {
        let label = format!(
            "{}[{}]",
            match self.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            },
            self.code.id()
        );
        let loc = masker.printable(&self.location.to_string());
        let message = masker.printable(&self.message);
        let mut out = if loc.is_empty() {
            format!("{label}: {message}\n")
        } else {
            format!("{label}: {loc}: {message}\n")
        };
        if let Location::Span { file, span } = &self.location {
            snippet(&mut out, file, span, None, masker);
        }
        for r in &self.related {
            let (l, c) = r.file.line_col(r.span.start);
            let _ = writeln!(
                out,
                "  = note: {}:{l}:{c}: {}",
                masker.printable(&r.file.display),
                masker.printable(&r.label)
            );
            snippet(&mut out, &r.file, &r.span, Some(&r.label), masker);
        }
        if let Some(help) = &self.help {
            let _ = writeln!(out, "  = help: {}", masker.printable(help));
        }
        out
    }
}

/// The source line of `span` with carets under it (and a label after them, for a second place),
/// what `masker` flags in the line masked (character for character, so the carets stay put).
fn snippet(
    out: &mut String,
    file: &SourceFile,
    span: &Range<usize>,
    label: Option<&str>,
    masker: &Masker,
) {
    let (line, col) = file.line_col(span.start);
    let text = file.line_text(line);
    let width = line.to_string().len();
    // Underline the span on its first line, at least one caret.
    let line_chars = text.chars().count();
    let span_chars = file.text.get(span.clone()).map_or(1, |s| {
        s.lines().next().map_or(1, |first| first.chars().count())
    });
    let carets = span_chars.clamp(1, line_chars.saturating_sub(col - 1).max(1));
    // Show at most a window of a long line (a minified file, a pasted document) around
    // the place, so one error never prints megabytes.
    let skip = (col - 1).saturating_sub(SNIPPET_CONTEXT);
    let shown = masked_window(text, skip, masker);
    let lead = if skip > 0 { "…" } else { "" };
    let tail = if line_chars > skip + SNIPPET_WIDTH {
        "…"
    } else {
        ""
    };
    // Escaped control characters widen the line: measure the printed prefix.
    let before: String = shown.chars().take(col - 1 - skip).collect();
    let indent = printable(&before.replace('\t', " ")).chars().count() + lead.chars().count();
    let carets = carets.min(SNIPPET_WIDTH.saturating_sub(indent).max(1));
    let _ = writeln!(out, "{:width$} |", "");
    let _ = writeln!(
        out,
        "{line} | {lead}{}{tail}",
        printable(&shown.replace('\t', " "))
    );
    let _ = writeln!(
        out,
        "{:width$} | {}{}{}",
        "",
        " ".repeat(indent),
        "^".repeat(carets),
        label.map_or(String::new(), |l| format!(" {}", masker.printable(l)))
    );
}

/// The `SNIPPET_WIDTH` characters of `line` from `skip` on, with what `masker` flags masked:
/// the scan reads a margin either side too, so a value cut by the window's edge is still seen
/// whole (and a line of megabytes is never scanned whole for one message).
fn masked_window(line: &str, skip: usize, masker: &Masker) -> String {
    let from = skip.saturating_sub(SNIPPET_MARGIN);
    let read: String = line
        .chars()
        .skip(from)
        .take(SNIPPET_WIDTH + (skip - from) + SNIPPET_MARGIN)
        .collect();
    masker
        .redact(&read)
        .chars()
        .skip(skip - from)
        .take(SNIPPET_WIDTH)
        .collect()
}

/// Characters either side of a snippet's window that the masking scan reads as well.
const SNIPPET_MARGIN: usize = 80;

/// Characters of a long source line shown before the place, and in all.
const SNIPPET_CONTEXT: usize = 60;
const SNIPPET_WIDTH: usize = 160;

/// Text safe to print to a terminal: control characters (an escape sequence in a file could
/// clear the screen or retitle the window) are shown as `\u{1b}`-style escapes.
pub fn printable(s: &str) -> String {
    if !s.chars().any(|c| c.is_control() && c != '\n') {
        return s.to_string();
    }
    s.chars()
        .map(|c| {
            if c.is_control() && c != '\n' {
                c.escape_unicode().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// The scanners whose findings are masked in what is printed: the built-in kinds always, and
/// each partnership's deny and allow lists once validation has compiled them.
#[derive(Debug, Clone, Default)]
pub struct Masker {
    scanners: Vec<Arc<Scanner>>,
}

impl Masker {
    /// `text` with what the scanners flag masked in place.
    pub fn redact<'t>(&self, text: &'t str) -> std::borrow::Cow<'t, str> {
        let scanners: Vec<&Scanner> = self.scanners.iter().map(|s| s.as_ref()).collect();
        redact(text, &scanners)
    }

    /// [`Masker::redact`], then [`printable`].
    pub fn printable(&self, text: &str) -> String {
        printable(&self.redact(text))
    }

    fn add(&mut self, scanner: Arc<Scanner>) {
        if !self.scanners.iter().any(|s| Arc::ptr_eq(s, &scanner)) {
            self.scanners.push(scanner);
        }
    }
}

/// The collector every stage writes its problems into.
#[derive(Debug, Clone, Default)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
    masker: Masker,
    /// Places holding a stand-in for a value the decoder refused (see `load::salvage`), by
    /// file: what is said about a stand-in is not about anything the user wrote.
    poisoned: Vec<(String, Range<usize>)>,
    /// Problems about stand-ins, kept out of `items`.
    dropped: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn new() -> Diagnostics {
        Diagnostics::default()
    }

    pub fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }

    /// An error at a place in a loaded file.
    pub fn error(
        &mut self,
        code: Code,
        file: &Arc<SourceFile>,
        span: Range<usize>,
        message: impl Into<String>,
    ) -> &mut Diagnostic {
        let location = Location::Span {
            file: file.clone(),
            span,
        };
        self.add(code, Severity::Error, location, message)
    }

    pub fn warning(
        &mut self,
        code: Code,
        file: &Arc<SourceFile>,
        span: Range<usize>,
        message: impl Into<String>,
    ) -> &mut Diagnostic {
        let location = Location::Span {
            file: file.clone(),
            span,
        };
        self.add(code, Severity::Warning, location, message)
    }

    /// An error about a path that has no usable text (unreadable, missing, a folder problem).
    pub fn path_error(
        &mut self,
        code: Code,
        path: impl Into<String>,
        message: impl Into<String>,
    ) -> &mut Diagnostic {
        self.add(
            code,
            Severity::Error,
            Location::File { path: path.into() },
            message,
        )
    }

    pub fn path_warning(
        &mut self,
        code: Code,
        path: impl Into<String>,
        message: impl Into<String>,
    ) -> &mut Diagnostic {
        self.add(
            code,
            Severity::Warning,
            Location::File { path: path.into() },
            message,
        )
    }

    /// An error at any kind of place: a workbook's cell, say.
    pub fn error_at(
        &mut self,
        code: Code,
        location: impl Into<Location>,
        message: impl Into<String>,
    ) -> &mut Diagnostic {
        self.add(code, Severity::Error, location.into(), message)
    }

    pub fn warning_at(
        &mut self,
        code: Code,
        location: impl Into<Location>,
        message: impl Into<String>,
    ) -> &mut Diagnostic {
        self.add(code, Severity::Warning, location.into(), message)
    }

    /// Marks a place in a file as holding a stand-in: problems reported there later are
    /// dropped (an empty place drops only problems at exactly that place).
    pub fn poison(&mut self, file: &SourceFile, span: Range<usize>) {
        self.poisoned.push((file.display.clone(), span));
    }

    /// Whether `span` in `file` holds a stand-in rather than what the user wrote.
    pub fn is_poisoned(&self, file: &SourceFile, span: &Range<usize>) -> bool {
        self.poisoned.iter().any(|(f, p)| {
            f == &file.display
                && if p.is_empty() {
                    p == span
                } else {
                    p.start < span.end.max(span.start + 1) && span.start < p.end
                }
        })
    }

    fn add(
        &mut self,
        code: Code,
        severity: Severity,
        location: Location,
        message: impl Into<String>,
    ) -> &mut Diagnostic {
        let stand_in = match &location {
            Location::Span { file, span } => self.is_poisoned(file, span),
            _ => false,
        };
        let items = if stand_in {
            &mut self.dropped
        } else {
            &mut self.items
        };
        items.push(Diagnostic {
            code,
            severity,
            location,
            message: message.into(),
            help: None,
            related: Vec::new(),
            masker: None,
        });
        items.last_mut().expect("just pushed")
    }

    pub fn error_count(&self) -> usize {
        self.items.iter().filter(|d| d.is_error()).count()
    }

    pub fn warning_count(&self) -> usize {
        self.items.len() - self.error_count()
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }

    /// Takes `other`'s problems, each still masked as `other` masks it (its partnership's deny
    /// list, not every partnership's).
    pub fn extend(&mut self, other: Diagnostics) {
        self.poisoned.extend(other.poisoned);
        let masker = other.masker;
        self.items.extend(other.items.into_iter().map(|mut d| {
            if d.masker.is_none() && !masker.scanners.is_empty() {
                d.masker = Some(masker.clone());
            }
            d
        }));
    }

    /// Masks what `scanner` flags (a partnership's deny list, say) in everything printed from
    /// here on, besides the built-in kinds.
    pub fn mask_with(&mut self, scanner: Arc<Scanner>) {
        self.masker.add(scanner);
    }

    /// One of these problems, rendered with its masking.
    pub fn render_one(&self, d: &Diagnostic) -> String {
        d.render_masked(self.masker_of(d))
    }

    /// What masks `d`: its own partnership's scanner, or these problems' masker.
    pub fn masker_of<'a>(&'a self, d: &'a Diagnostic) -> &'a Masker {
        d.masker.as_ref().unwrap_or(&self.masker)
    }

    /// Sorted by file and position, so the output reads top to bottom like the files.
    pub fn sorted(&self) -> Vec<&Diagnostic> {
        let mut v: Vec<&Diagnostic> = self.items.iter().collect();
        v.sort_by_key(|d| d.sort_key());
        v
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }

    /// Everything, rendered, in file order.
    pub fn render(&self) -> String {
        self.sorted()
            .iter()
            .map(|d| d.render_masked(self.masker_of(d)))
            .collect::<Vec<_>>()
            .join("\n")
    }
}

impl Diagnostic {
    pub fn with_help(&mut self, help: impl Into<String>) -> &mut Diagnostic {
        self.help = Some(printable(&help.into()));
        self
    }

    /// Adds a second place the problem involves, e.g. "first defined here".
    pub fn with_related(
        &mut self,
        file: &Arc<SourceFile>,
        span: Range<usize>,
        label: impl Into<String>,
    ) -> &mut Diagnostic {
        self.related.push(Related {
            file: file.clone(),
            span,
            label: label.into(),
        });
        self
    }
}

/// "did you mean `x`?" for a misspelt id, when one candidate is close enough to be a likely typo.
pub fn suggest<'a>(given: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<String> {
    let mut best: Option<(f64, &str)> = None;
    for c in candidates {
        let score = strsim::jaro_winkler(given, c);
        if best.is_none_or(|(s, _)| score > s) {
            best = Some((score, c));
        }
    }
    best.filter(|(s, _)| *s >= 0.8)
        .map(|(_, c)| format!("did you mean `{c}`?"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_file_line_column_and_caret() {
        let file = Arc::new(SourceFile::new(
            "p/responses/police.toml",
            "agency = \"police\"\n[answers.cmh-s-01]\nrating = 7\n".to_string(),
        ));
        let mut d = Diagnostics::new();
        let at = file.text.find('7').unwrap();
        d.error(
            Code::OffScale,
            &file,
            at..at + 1,
            "rating 7 is not on the scale (0 to 3)",
        )
        .with_help("use a value from 0 to 3, or \"n/a\"");
        let out = d.render();
        assert!(
            out.starts_with(
                "error[PA0303]: p/responses/police.toml:3:10: rating 7 is not on the scale (0 to 3)\n"
            ),
            "{out}"
        );
        assert!(out.contains("3 | rating = 7\n  |          ^\n"), "{out}");
        assert!(out.contains("= help: use a value"), "{out}");
    }

    #[test]
    fn control_characters_never_reach_the_terminal_and_long_lines_are_clipped() {
        let mut long = "x".repeat(5000);
        long.push_str("rating = \u{1b}[2J7");
        long.push_str(&"y".repeat(5000));
        let file = Arc::new(SourceFile::new("r.toml", long));
        let at = file.text.find('7').unwrap();
        let mut d = Diagnostics::new();
        d.error(
            Code::UnknownReference,
            &file,
            at..at + 1,
            "agency `pol\u{1b}[2J` is unknown",
        );
        let out = d.render();
        assert!(!out.contains('\u{1b}'), "{out:?}");
        assert!(out.contains("agency `pol\\u{1b}[2J` is unknown"), "{out}");
        assert!(out.len() < 600, "{} bytes", out.len());
        assert!(out.contains("…"), "{out}");
        let caret_line = out.lines().find(|l| l.contains('^')).unwrap();
        let source_line = out.lines().find(|l| l.contains("rating")).unwrap();
        // The caret still sits under the 7.
        let caret_at = caret_line.chars().position(|c| c == '^').unwrap();
        assert_eq!(
            source_line.chars().nth(caret_at),
            Some('7'),
            "{source_line}\n{caret_line}"
        );
    }

    #[test]
    fn personal_data_is_masked_in_messages_and_in_a_source_line_cut_at_the_window() {
        // The place at column 201: the line is shown from column 141 for 160 characters, so
        // the number at column 297 is cut by the window's end.
        let line = format!(
            "{}v = 1{}NHS 943 476 5919 and more",
            "x".repeat(200),
            " ".repeat(91)
        );
        let file = Arc::new(SourceFile::new("a/kai@example.org.toml", line));
        let mut d = Diagnostics::new();
        d.error(
            Code::OffScale,
            &file,
            200..201,
            "rating for 07700 900123 is off the scale",
        )
        .with_help("ask kai at example dot org");
        for out in [d.render(), d.render_json()] {
            for secret in ["943", "07700 900123", "kai@", "kai at"] {
                assert!(!out.contains(secret), "{secret} in {out}");
            }
            assert!(out.contains('•'), "{out}");
        }
    }

    #[test]
    fn a_partnership_s_problems_stay_masked_by_its_deny_list_in_a_collection() {
        let mut member = Diagnostics::new();
        member.mask_with(Arc::new(Scanner::new(&[], &["Kai Smith".to_string()])));
        member.path_error(
            Code::UnknownWord,
            "p/a.toml",
            "audience `Kai Smith` is unknown",
        );
        let mut all = Diagnostics::new();
        all.extend(member);
        for out in [all.render(), all.render_json()] {
            assert!(!out.contains("Kai Smith"), "{out}");
            assert!(out.contains("audience `K"), "{out}");
        }
    }

    #[test]
    fn problems_sort_by_line_number_not_by_text() {
        let mut d = Diagnostics::new();
        d.error_at(Code::CsvShape, Location::position("m.toml", 10, 1), "b");
        d.error_at(Code::CsvShape, Location::position("m.toml", 9, 27), "a");
        d.error_at(Code::CsvShape, Location::position("m.toml", 9, 135), "c");
        let order: Vec<String> = d.sorted().iter().map(|x| x.location.to_string()).collect();
        assert_eq!(order, ["m.toml:9:27", "m.toml:9:135", "m.toml:10:1"]);
    }

    #[test]
    fn suggests_only_close_ids() {
        assert_eq!(
            suggest("polcie", ["police", "council"]).as_deref(),
            Some("did you mean `police`?")
        );
        assert_eq!(suggest("fire-service", ["police", "council"]), None);
    }
}
