//! Problems found in a user's files, collected (never stopping at the first) and printed
//! as `error: FILE:LINE:COL: message` with the source line and a caret under the place.

use crate::source::SourceFile;
use std::fmt::Write as _;
use std::ops::Range;
use std::sync::Arc;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

#[derive(Debug, Clone)]
pub struct Diagnostic {
    pub severity: Severity,
    /// The file, or None for problems with the folder as a whole.
    pub file: Option<Arc<SourceFile>>,
    /// A path to name when there is no loaded text (an unreadable file, a missing one).
    pub path: Option<String>,
    pub span: Option<Range<usize>>,
    pub message: String,
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `FILE:LINE:COL` (or just `FILE`) for sorting and printing.
    pub fn location(&self) -> String {
        match (&self.file, &self.span) {
            (Some(f), Some(span)) => {
                let (l, c) = f.line_col(span.start);
                format!("{}:{l}:{c}", f.display)
            }
            (Some(f), None) => f.display.clone(),
            (None, _) => self.path.clone().unwrap_or_default(),
        }
    }

    fn sort_key(&self) -> (String, usize, Severity) {
        let name = match &self.file {
            Some(f) => f.display.clone(),
            None => self.path.clone().unwrap_or_default(),
        };
        (
            name,
            self.span.as_ref().map_or(0, |s| s.start),
            self.severity,
        )
    }

    /// The human form: a header line, then the source line with a caret.
    pub fn render(&self) -> String {
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let loc = self.location();
        let mut out = if loc.is_empty() {
            format!("{label}: {}\n", self.message)
        } else {
            format!("{label}: {loc}: {}\n", self.message)
        };
        if let (Some(file), Some(span)) = (&self.file, &self.span) {
            let (line, col) = file.line_col(span.start);
            let text = file.line_text(line);
            let width = line.to_string().len();
            // Underline the span on its first line, at least one caret.
            let line_chars = text.chars().count();
            let span_chars = file.text.get(span.clone()).map_or(1, |s| {
                s.lines().next().map_or(1, |first| first.chars().count())
            });
            let carets = span_chars.clamp(1, line_chars.saturating_sub(col - 1).max(1));
            let _ = writeln!(out, "{:width$} |", "");
            let _ = writeln!(out, "{line} | {}", text.replace('\t', " "));
            let _ = writeln!(
                out,
                "{:width$} | {}{}",
                "",
                " ".repeat(col - 1),
                "^".repeat(carets)
            );
        }
        if let Some(help) = &self.help {
            let _ = writeln!(out, "  = help: {help}");
        }
        out
    }
}

/// The collector every stage writes its problems into.
#[derive(Debug, Default)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
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
        file: &Arc<SourceFile>,
        span: Range<usize>,
        message: impl Into<String>,
    ) -> &mut Diagnostic {
        self.add(Severity::Error, Some(file), Some(span), message)
    }

    pub fn warning(
        &mut self,
        file: &Arc<SourceFile>,
        span: Range<usize>,
        message: impl Into<String>,
    ) -> &mut Diagnostic {
        self.add(Severity::Warning, Some(file), Some(span), message)
    }

    /// An error about a path that has no usable text (unreadable, missing, a folder problem).
    pub fn path_error(
        &mut self,
        path: impl Into<String>,
        message: impl Into<String>,
    ) -> &mut Diagnostic {
        self.items.push(Diagnostic {
            severity: Severity::Error,
            file: None,
            path: Some(path.into()),
            span: None,
            message: message.into(),
            help: None,
        });
        self.items.last_mut().expect("just pushed")
    }

    pub fn path_warning(
        &mut self,
        path: impl Into<String>,
        message: impl Into<String>,
    ) -> &mut Diagnostic {
        let d = self.path_error(path, message);
        d.severity = Severity::Warning;
        d
    }

    fn add(
        &mut self,
        severity: Severity,
        file: Option<&Arc<SourceFile>>,
        span: Option<Range<usize>>,
        message: impl Into<String>,
    ) -> &mut Diagnostic {
        self.items.push(Diagnostic {
            severity,
            file: file.cloned(),
            path: None,
            span,
            message: message.into(),
            help: None,
        });
        self.items.last_mut().expect("just pushed")
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

    pub fn extend(&mut self, other: Diagnostics) {
        self.items.extend(other.items);
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
            .map(|d| d.render())
            .collect::<Vec<_>>()
            .join("\n")
    }
}

impl Diagnostic {
    pub fn with_help(&mut self, help: impl Into<String>) -> &mut Diagnostic {
        self.help = Some(help.into());
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
        d.error(&file, at..at + 1, "rating 7 is not on the scale (0 to 3)")
            .with_help("use a value from 0 to 3, or \"n/a\"");
        let out = d.render();
        assert!(
            out.starts_with(
                "error: p/responses/police.toml:3:10: rating 7 is not on the scale (0 to 3)\n"
            ),
            "{out}"
        );
        assert!(out.contains("3 | rating = 7\n  |          ^\n"), "{out}");
        assert!(out.contains("= help: use a value"), "{out}");
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
