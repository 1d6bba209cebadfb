//! After the TOML decoder stops at a file's first mistake: the rest of the file, checked.
//!
//! `toml::from_str::<T>` stops at the first problem, so a bad date could hide a rating off the
//! scale in the same return until the next run. For a response file, the text is read again
//! untyped (every value with its place), field by field: each wrong type or unknown field is
//! reported, and what is well-formed is kept, so validation checks the ratings against the
//! scale, the confidence words and the dates too. A line the parser cannot read at all (a
//! date like 2025-13-45) is blanked, keeping every other byte where it was, and the text read
//! again, a few times at most.

use super::raw::{AnswerEntry, ResponseFile, S};
use super::{tidy_toml_message, toml_code};
use crate::diag::{Code, Diagnostics};
use crate::source::SourceFile;
use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::Arc;

type Loose = BTreeMap<S<String>, S<toml::Value>>;

#[derive(serde::Deserialize)]
struct LooseAnswers {
    #[serde(default)]
    answers: Option<BTreeMap<S<String>, S<Loose>>>,
}

/// How many unreadable lines are blanked before giving up on the rest of a file.
const MAX_BLANKED: usize = 8;

/// The rest of a response file whose typed decoding failed at `first` (already reported).
/// None when even the untyped reading fails; the file is then reported by its first error only.
pub(super) fn response(
    file: &Arc<SourceFile>,
    stem: &str,
    first: &toml::de::Error,
    diags: &mut Diagnostics,
) -> Option<ResponseFile> {
    let mut reporter = Reporter {
        file,
        reported: first.span().into_iter().collect(),
    };
    let (top, text) = read_untyped(&mut reporter, diags)?;
    let r = &mut reporter;
    let mut agency = None;
    let mut completed_by = None;
    let mut submitted = None;
    for (key, value) in &top {
        match key.get_ref().as_str() {
            "agency" => agency = r.string(value, diags),
            "completed_by" => completed_by = r.string(value, diags),
            "submitted" => submitted = r.date(value, diags),
            "answers" => {}
            other => r.report(
                Code::UnknownField,
                key.span(),
                format!(
                    "unknown field `{other}`, expected one of `agency`, `completed_by`, `submitted`, `answers`"
                ),
                diags,
            ),
        }
    }
    let agency = match agency {
        Some(a) => a,
        None => {
            if !top.keys().any(|k| k.get_ref() == "agency") {
                r.report(
                    Code::MissingField,
                    0..0,
                    "missing field `agency`".to_string(),
                    diags,
                );
            }
            // Checked as the return its file name says, so its answers are checked too.
            S::new(0..0, stem.to_string())
        }
    };
    let loose_answers = toml::from_str::<LooseAnswers>(&text)
        .ok()
        .and_then(|l| l.answers)
        .unwrap_or_default();
    let answers = loose_answers
        .into_iter()
        .filter_map(|(qid, entry)| r.answer(&entry, diags).map(|a| (qid, a)))
        .collect();
    Some(ResponseFile {
        agency,
        completed_by,
        submitted,
        answers,
    })
}

/// The file read untyped (every value with its place), blanking each line the parser cannot
/// read at all (reported, unless it was already) a few times at most; the text as read.
fn read_untyped(r: &mut Reporter<'_>, diags: &mut Diagnostics) -> Option<(Loose, String)> {
    let mut text = r.file.text.clone();
    for _ in 0..=MAX_BLANKED {
        let e = match toml::from_str::<Loose>(&text) {
            Ok(top) => return Some((top, text)),
            Err(e) => e,
        };
        let span = e.span()?;
        let line = line_of(&text, span.start);
        // Blanking a table header would move its keys into the table before it.
        if text[line.clone()].trim_start().starts_with('[') {
            return None;
        }
        let message = e.message().trim();
        r.report(toml_code(message), span, tidy_toml_message(message), diags);
        blank(&mut text, line);
    }
    None
}

/// Reports each problem once: a place already reported (by the typed decoder or an earlier
/// pass) is not reported again.
struct Reporter<'a> {
    file: &'a Arc<SourceFile>,
    reported: Vec<Range<usize>>,
}

impl Reporter<'_> {
    fn report(&mut self, code: Code, span: Range<usize>, message: String, diags: &mut Diagnostics) {
        if !overlaps(&self.reported, &span) {
            diags.error(code, self.file, span.clone(), message);
            self.reported.push(span);
        }
    }

    fn string(&mut self, value: &S<toml::Value>, diags: &mut Diagnostics) -> Option<S<String>> {
        match value.get_ref() {
            toml::Value::String(s) => Some(S::new(value.span(), s.clone())),
            other => {
                self.report(
                    Code::WrongType,
                    value.span(),
                    format!("invalid type: {}, expected a string", kind(other)),
                    diags,
                );
                None
            }
        }
    }

    fn date(
        &mut self,
        value: &S<toml::Value>,
        diags: &mut Diagnostics,
    ) -> Option<S<toml::value::Datetime>> {
        match value.get_ref() {
            toml::Value::Datetime(d) => Some(S::new(value.span(), *d)),
            other => {
                self.report(
                    Code::WrongType,
                    value.span(),
                    format!(
                        "invalid type: {}, expected a date such as 2025-11-28 (no quotes)",
                        kind(other)
                    ),
                    diags,
                );
                None
            }
        }
    }

    /// One answer's fields, each checked; None (reported) without a rating.
    fn answer(&mut self, entry: &S<Loose>, diags: &mut Diagnostics) -> Option<S<AnswerEntry>> {
        let span = entry.span();
        let mut rating = None;
        let mut confidence = None;
        let mut texts: BTreeMap<&str, S<String>> = BTreeMap::new();
        for (key, value) in entry.get_ref() {
            match key.get_ref().as_str() {
                "rating" => rating = Some(value.clone()),
                "confidence" => confidence = self.string(value, diags),
                f @ ("evidence" | "gaps" | "internal") => {
                    if let Some(s) = self.string(value, diags) {
                        texts.insert(f, s);
                    }
                }
                other => self.report(
                    Code::UnknownField,
                    key.span(),
                    format!(
                        "unknown field `{other}`, expected one of `rating`, `confidence`, `evidence`, `gaps`, `internal`"
                    ),
                    diags,
                ),
            }
        }
        let Some(rating) = rating else {
            self.report(
                Code::MissingField,
                span,
                "missing field `rating`".to_string(),
                diags,
            );
            return None;
        };
        let entry = AnswerEntry {
            rating,
            confidence,
            evidence: texts.remove("evidence"),
            gaps: texts.remove("gaps"),
            internal: texts.remove("internal"),
        };
        Some(S::new(span, entry))
    }
}

fn kind(v: &toml::Value) -> &'static str {
    match v {
        toml::Value::String(_) => "a string",
        toml::Value::Integer(_) => "an integer",
        toml::Value::Float(_) => "a number",
        toml::Value::Boolean(_) => "a boolean",
        toml::Value::Datetime(_) => "a date",
        toml::Value::Array(_) => "a list",
        toml::Value::Table(_) => "a table",
    }
}

fn overlaps(reported: &[Range<usize>], span: &Range<usize>) -> bool {
    reported.iter().any(|r| {
        (r.start < span.end && span.start < r.end) || (r.start == span.start && r.is_empty())
    })
}

/// The byte range of the line holding `at`, without its line ending.
fn line_of(text: &str, at: usize) -> Range<usize> {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let end = text[at..].find(['\n', '\r']).map_or(text.len(), |i| at + i);
    start..end
}

/// Replaces a line with as many spaces as it had bytes, so every later offset stays put.
fn blank(text: &mut String, line: Range<usize>) {
    let spaces = " ".repeat(line.len());
    text.replace_range(line, &spaces);
}

/// Where a key that the decoder found twice (at `second`) was first given: the same table
/// header earlier in the file, or the same key earlier in the same table.
pub(super) fn first_definition(text: &str, second: &Range<usize>) -> Option<Range<usize>> {
    let line = line_of(text, second.start);
    let this = text[line.clone()].trim();
    let lines = |upto: usize| {
        let mut at = 0;
        text[..upto].split_inclusive('\n').map(move |l| {
            let start = at;
            at += l.len();
            (start, l)
        })
    };
    if this.starts_with('[') {
        let header = this.split('#').next()?.trim();
        return lines(line.start)
            .find(|(_, l)| l.split('#').next().is_some_and(|h| h.trim() == header))
            .map(|(start, l)| {
                let indent = l.len() - l.trim_start().len();
                start + indent..start + indent + header.len()
            });
    }
    let key = text.get(second.clone())?.trim();
    if key.is_empty() {
        return None;
    }
    // The table the second key is in starts at the last header before it.
    // (Offsets are counted front to back, so the last header is found by folding.)
    let section = lines(line.start)
        .filter(|(_, l)| l.trim_start().starts_with('['))
        .fold(0, |_, (start, _)| start);
    lines(line.start)
        .filter(|(start, _)| *start >= section)
        .find(|(_, l)| {
            let t = l.trim_start();
            t.strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with('='))
        })
        .map(|(start, l)| {
            let indent = l.len() - l.trim_start().len();
            start + indent..start + indent + key.len()
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_duplicate_key_is_traced_to_its_first_definition() {
        let text = "agency = \"police\"\n\n[answers.a]\nrating = 1\nconfidence = \"low\"\nrating = 2\n\n[answers.b]\nrating = 1\n[answers.a]\n";
        let second = text.rfind("rating = 2").unwrap();
        let first = first_definition(text, &(second..second + 6)).unwrap();
        assert_eq!(first.start, text.find("rating = 1").unwrap());
        let header = text.rfind("[answers.a]").unwrap();
        let first = first_definition(text, &(header + 1..header + 10)).unwrap();
        assert_eq!(&text[first.clone()], "[answers.a]");
        assert_eq!(first.start, text.find("[answers.a]").unwrap());
        // A key of another table with the same name is not its first definition.
        let t2 = "[answers.a]\nrating = 1\n[answers.b]\nrating = 1\nrating = 3\n";
        let second = t2.find("rating = 3").unwrap();
        let first = first_definition(t2, &(second..second + 6)).unwrap();
        assert_eq!(first.start, t2.rfind("rating = 1").unwrap());
    }

    #[test]
    fn blanking_keeps_every_offset() {
        let original = "a = 1\nb = 2025-13-45\nc = 3\n";
        let mut t = original.to_string();
        let line = line_of(&t, t.find("2025").unwrap());
        blank(&mut t, line);
        assert_eq!(t.len(), original.len());
        assert_eq!(t.find("c = 3"), original.find("c = 3"));
        assert!(!t.contains("2025"));
    }
}
