//! Checks every input kind shares: ids, fixed words, dates, empty text, duplicates.

use crate::diag::{Code, Diagnostics};
use crate::load::raw::S;
use crate::model::{Date, Framework, Question, TextEnum};
use crate::source::SourceFile;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

pub(super) type F = Arc<SourceFile>;

/// Question `id` of `fw`; when it has none, reported as an unknown reference (`PA0203`) with
/// the nearest id as help, and None.
pub(super) fn question_of<'a>(
    fw: &'a Framework,
    file: &F,
    id: &S<String>,
    diags: &mut Diagnostics,
) -> Option<&'a Question> {
    let found = fw.question(id.get_ref());
    if found.is_none() {
        let d = diags.error(
            Code::UnknownReference,
            file,
            id.span(),
            format!("framework `{}` has no question `{}`", fw.id, id.get_ref()),
        );
        let ids = fw.questions.iter().map(|q| q.id.as_str());
        if let Some(s) = crate::diag::suggest(id.get_ref(), ids) {
            d.with_help(s);
        }
    }
    found
}

/// Lowercase letters, digits and single hyphens: safe as a file name and a URL segment.
pub fn is_valid_id(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 64
        && s.split('-').all(|part| {
            !part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

/// Action ids may use capitals (`A01`) but are otherwise as safe as other ids.
pub(super) fn is_valid_action_id(s: &str) -> bool {
    is_valid_id(&s.to_ascii_lowercase())
}

pub(super) fn check_id(file: &F, id: &S<String>, what: &str, diags: &mut Diagnostics) -> bool {
    let ok = is_valid_id(id.get_ref());
    if !ok {
        diags
            .error(
                Code::InvalidId,
                file,
                id.span(),
                format!("{what} id `{}` is not valid", id.get_ref()),
            )
            .with_help(
                "ids use lowercase letters, digits and single hyphens, e.g. `extra-familial-harm`",
            );
    }
    ok
}

pub(super) fn text_enum<E: TextEnum>(
    file: &F,
    value: &S<String>,
    what: &str,
    diags: &mut Diagnostics,
) -> Option<E> {
    let parsed = E::parse_text(value.get_ref());
    if parsed.is_none() {
        diags
            .error(
                Code::UnknownWord,
                file,
                value.span(),
                format!("unknown {what} `{}`", value.get_ref()),
            )
            .with_help(format!("expected one of {}", E::expected_text()));
    }
    parsed
}

pub(super) fn date(
    file: &F,
    value: &S<toml::value::Datetime>,
    diags: &mut Diagnostics,
) -> Option<Date> {
    // A stand-in for a date the decoder refused (reported already) is no date at all.
    if diags.is_poisoned(file, &value.span()) {
        return None;
    }
    let dt = value.get_ref();
    match (dt.date, dt.time, dt.offset) {
        (Some(d), None, None) => Some(Date {
            year: d.year,
            month: d.month,
            day: d.day,
        }),
        _ => {
            diags
                .error(
                    Code::BadDate,
                    file,
                    value.span(),
                    format!("expected a date without a time, found `{dt}`"),
                )
                .with_help("write dates as 2025-11-28");
            None
        }
    }
}

pub(super) fn non_empty(
    file: &F,
    value: &S<String>,
    what: &str,
    diags: &mut Diagnostics,
) -> String {
    if value.get_ref().trim().is_empty() {
        diags.error(
            Code::EmptyText,
            file,
            value.span(),
            format!("{what} is empty"),
        );
    }
    value.get_ref().trim().to_string()
}

pub(super) fn text(value: &Option<S<String>>) -> Option<String> {
    value
        .as_ref()
        .map(|v| v.get_ref().trim().to_string())
        .filter(|s| !s.is_empty())
}

/// Reports repeated ids among `items`, pointing at the second and later uses.
pub(super) fn duplicates<'a>(
    file: &F,
    items: impl IntoIterator<Item = &'a S<String>>,
    what: &str,
    diags: &mut Diagnostics,
) -> BTreeSet<String> {
    let mut seen: BTreeMap<&str, std::ops::Range<usize>> = BTreeMap::new();
    let mut dups = BTreeSet::new();
    for id in items {
        if let Some(first) = seen.get(id.get_ref().as_str()) {
            let (line, _) = file.line_col(first.start);
            diags
                .error(
                    Code::DuplicateId,
                    file,
                    id.span(),
                    format!("duplicate {what} id `{}`", id.get_ref()),
                )
                .with_related(file, first.clone(), "first defined here")
                .with_help(format!(
                    "it is first used on line {line}; give each its own id"
                ));
            dups.insert(id.get_ref().clone());
        } else {
            seen.insert(id.get_ref(), id.span());
        }
    }
    dups
}

pub(super) fn describe(v: &toml::Value) -> String {
    match v {
        toml::Value::String(s) => format!("the text \"{s}\""),
        toml::Value::Float(f) => format!("the number {f}"),
        other => format!("a {}", other.type_str()),
    }
}

/// What the personal-data scan found in a text of a user's file: where (line and column of
/// the hit itself), what kind, and the value masked. The value is never shown whole.
pub(super) struct PersonalHit {
    pub line: usize,
    pub col: usize,
    pub kind: &'static str,
    pub masked: String,
}

/// Every hit of the personal-data scan in `value` (a text of `file`), placed in the file.
pub(super) fn personal_data_in(
    file: &F,
    value: &S<String>,
    scanner: &crate::scan::Scanner,
) -> Vec<PersonalHit> {
    let text = value.get_ref();
    let literal = file.text.get(value.span()).unwrap_or_default();
    scanner
        .scan_text(text)
        .into_iter()
        .map(|f| {
            let found = &text[f.start..f.end];
            let offset = literal
                .find(found)
                .map_or(value.span().start, |i| value.span().start + i);
            let at = file.loc(offset);
            PersonalHit {
                line: at.line,
                col: at.col,
                kind: f.kind.describe(),
                masked: crate::scan::mask(found),
            }
        })
        .collect()
}
