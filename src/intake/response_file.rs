//! The response file (`cycles/<id>/responses/<agency>.toml`) as `import` writes it and `forms`
//! reads it back: formatted for people (one table per answer, Markdown in multi-line strings),
//! and read into the same [`ReturnData`] a workbook gives, so the two compare equal.

use crate::load::raw::ResponseFile;
use crate::model::{Audit, Confidence, Cycle, Date, Framework, Rating};
use crate::xlsx::{AnswerData, ReturnData, clean_text};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

/// Reads a response file as the data a return carries; None when it is not one.
/// Text is cleaned as import cleans it, so the same return read either way compares equal.
pub(crate) fn read_response_file(text: &str) -> Option<ReturnData> {
    let f: ResponseFile = toml::from_str(text).ok()?;
    let opt = |s: &Option<toml::Spanned<String>>| s.as_ref().and_then(|s| clean_text(s.get_ref()));
    let mut answers = BTreeMap::new();
    for (q, a) in &f.answers {
        let a = a.get_ref();
        let rating = match a.rating.get_ref() {
            toml::Value::Integer(i) => Rating::Value(u32::try_from(*i).ok()?),
            toml::Value::String(s) if Rating::is_not_applicable_text(s) => Rating::NotApplicable,
            _ => return None,
        };
        let confidence = match &a.confidence {
            Some(c) => Some(Confidence::parse(&c.get_ref().trim().to_lowercase())?),
            None => None,
        };
        answers.insert(
            q.get_ref().clone(),
            AnswerData {
                rating,
                confidence,
                evidence: opt(&a.evidence),
                gaps: opt(&a.gaps),
                internal: opt(&a.internal),
            },
        );
    }
    let submitted = match &f.submitted {
        Some(d) => Some(Date::parse(&d.get_ref().to_string())?),
        None => None,
    };
    Some(ReturnData {
        agency: f.agency.get_ref().clone(),
        completed_by: opt(&f.completed_by),
        submitted,
        answers,
    })
}

/// The response file, formatted for people: header fields, then one table per answer.
pub(crate) fn render(
    d: &ReturnData,
    workbook: &str,
    audit: &Audit,
    cycle: &Cycle,
    fw: &Framework,
) -> String {
    let mut s = String::new();
    let agency = audit
        .agency(&d.agency)
        .map_or(d.agency.as_str(), |a| &a.name);
    let source = Path::new(workbook)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    // The agency's name as written: a possessive mangles names that end in "s" ("children's
    // services's").
    let _ = writeln!(
        s,
        "# Return from {} for cycle {}, imported from {} by `panelaudit import`.",
        comment(agency),
        cycle.id,
        comment(&source)
    );
    let _ = writeln!(s, "agency = {}", toml_string(&d.agency));
    if let Some(c) = &d.completed_by {
        let _ = writeln!(s, "completed_by = {}", toml_string(c));
    }
    if let Some(date) = d.submitted {
        let _ = writeln!(s, "submitted = {date}");
    }
    // Framework order, as the questions are asked.
    for q in &fw.questions {
        let Some(a) = d.answers.get(&q.id) else {
            continue;
        };
        let _ = writeln!(s, "\n[answers.{}]", toml_key(&q.id));
        match a.rating {
            Rating::Value(v) => {
                let _ = writeln!(s, "rating = {v}");
            }
            Rating::NotApplicable => {
                let _ = writeln!(s, "rating = \"n/a\"");
            }
        }
        if let Some(c) = a.confidence {
            let _ = writeln!(s, "confidence = \"{c}\"");
        }
        for (key, value) in [
            ("evidence", &a.evidence),
            ("gaps", &a.gaps),
            ("internal", &a.internal),
        ] {
            if let Some(v) = value {
                let _ = writeln!(s, "{key} = {}", toml_string(v));
            }
        }
    }
    s
}

fn comment(s: &str) -> String {
    s.chars().filter(|c| !c.is_control()).collect()
}

/// A bare key when the id allows one (ids do), else a quoted key.
fn toml_key(id: &str) -> String {
    if !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        id.to_string()
    } else {
        toml_string(id)
    }
}

/// A TOML string: `"..."` for one line, `"""` multi-line for text with line breaks, so
/// Markdown evidence reads as it was written.
pub(crate) fn toml_string(s: &str) -> String {
    let multi = s.contains('\n');
    let mut out = String::with_capacity(s.len() + 8);
    out.push_str(if multi { "\"\"\"\n" } else { "\"" });
    let chars: Vec<char> = s.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        match c {
            '\\' => out.push_str("\\\\"),
            // In a multi-line string a lone quote may stand; one that would start `"""` or
            // run into the closing delimiter is escaped.
            '"' if multi && chars.get(i + 1).is_some_and(|&n| n != '"') => out.push('"'),
            '"' => out.push_str("\\\""),
            '\n' if multi => out.push('\n'),
            '\t' => out.push('\t'),
            '\r' => out.push_str("\\r"),
            '\n' => out.push_str("\\n"),
            // Every other control character as `\u00XX`, which `check` refuses (PA0106), so
            // `import` refuses it too before writing.
            c if c.is_control() && (c < '\u{20}' || c == '\u{7f}') => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push_str(if multi { "\"\"\"" } else { "\"" });
    out
}

/// An agency's return in `cycle` as its file was written (not the validated model, which fills
/// in defaults such as low confidence that the agency never gave), as it was read.
pub fn on_file(audit: &Audit, cycle: &Cycle, agency: &str) -> Option<ReturnData> {
    cycle.response(agency)?;
    let path = audit
        .dir
        .join("cycles")
        .join(&cycle.id)
        .join("responses")
        .join(format!("{agency}.toml"));
    let shown = crate::source::display_path(&path);
    let file = audit.sources.iter().find(|f| f.display == shown)?;
    read_response_file(&file.text)
}

/// Whether `new`, read from a workbook for `cycle`, says exactly what the agency's return in
/// `previous` said on the cycle's questions, with no submitted date of its own: a form
/// pre-filled from last time and sent back untouched.
pub fn carried_over(new: &ReturnData, previous: &ReturnData, asked: &[&str]) -> bool {
    let new_date = new.submitted.is_some() && new.submitted != previous.submitted;
    !new_date
        && asked.iter().any(|q| new.answers.contains_key(*q))
        && asked
            .iter()
            .all(|q| new.answers.get(*q) == previous.answers.get(*q))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toml_strings_round_trip_tricky_text() {
        let samples = [
            "plain",
            "He said \"yes\"",
            "ends with a quote\"",
            "back\\slash and \\n not a newline",
            "three \"\"\" quotes and four \"\"\"\" and two \"\"",
            "line one\nline two \"quoted\"\n\"\"\"\nend\"",
            "unicode: café, 子供, 🙂, ‘curly’",
            "tab\there, bell \u{7}, del \u{7f}, nul \u{0}",
            "\"",
            "\n",
            "\"\n\"",
            "trailing backslash\\",
            "trailing backslash then newline\\\nx",
            "cr\ronly",
        ];
        for text in samples {
            let doc = format!("v = {}\n", toml_string(text));
            let parsed: toml::Table = toml::from_str(&doc)
                .unwrap_or_else(|e| panic!("{text:?} gave invalid TOML:\n{doc}\n{e}"));
            assert_eq!(parsed["v"].as_str(), Some(text), "{doc}");
        }
        assert_eq!(toml_string("a\nb"), "\"\"\"\na\nb\"\"\"");
        assert_eq!(toml_string("say \"hi\""), "\"say \\\"hi\\\"\"");
    }

    #[test]
    fn text_cells_lose_windows_line_endings_and_outer_space() {
        assert_eq!(
            clean_text("  one\r\ntwo\rthree \n").as_deref(),
            Some("one\ntwo\nthree")
        );
        assert_eq!(clean_text(" \r\n "), None);
    }

    #[test]
    fn an_existing_file_with_the_same_meaning_is_unchanged() {
        let data = ReturnData {
            agency: "police".into(),
            completed_by: Some("Head of Public Protection".into()),
            submitted: Date::parse("2025-10-14"),
            answers: BTreeMap::from([(
                "q-1".to_string(),
                AnswerData {
                    rating: Rating::Value(2),
                    confidence: Some(Confidence::Medium),
                    evidence: Some("Audit \"A\"\nline two".into()),
                    gaps: None,
                    internal: None,
                },
            )]),
        };
        let hand_written = "agency = \"police\"\ncompleted_by = \"Head of Public Protection\"\nsubmitted = 2025-10-14\n[answers.q-1]\nrating = 2\nconfidence = \"Medium\"\nevidence = '''\nAudit \"A\"\r\nline two\n'''\ngaps = \"  \"\n";
        assert_eq!(read_response_file(hand_written), Some(data.clone()));
        let different = hand_written.replace("rating = 2", "rating = 1");
        assert_ne!(read_response_file(&different), Some(data));
        assert_eq!(read_response_file("not toml ["), None);
    }
}
