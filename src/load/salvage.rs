//! After the TOML decoder stops at a file's first mistake: the rest of the file, decoded.
//!
//! `toml::from_str::<T>` stops at the first problem, so in `actions.toml` a date written as
//! `"31/03/2027"` hid an unknown status and an unknown question until the next run. Here the
//! file is parsed again untyped, every value with its place, recovering from syntax errors as
//! far as the parser can; then it is decoded into `T` again and again, and each time the
//! decoder stops, its mistake is reported and mended where it stands:
//!
//! - a value of the wrong type (or an unreadable one) is replaced by a stand-in of the type the
//!   field takes;
//! - a field the format does not have is taken out;
//! - a required field that is missing is put in, as a stand-in.
//!
//! Every stand-in's place is recorded with the problems (`Diagnostics::poison`), so what later
//! stages would say about the stand-in itself ("unknown status ``") is never printed, and a
//! stand-in date is never read as a date. The decoded value is for finding the file's other
//! mistakes only: the file has an error, so the audit it belongs to is never used.

use crate::diag::Diagnostics;
use crate::source::SourceFile;
use serde::de::DeserializeOwned;
use std::borrow::Cow;
use std::ops::Range;
use std::sync::Arc;
use toml::Spanned;
use toml::de::{DeArray, DeFloat, DeInteger, DeTable, DeValue, Deserializer};

/// How many mistakes are mended in one file before giving up on the rest of it.
const MAX_MENDED: usize = 64;

/// The file decoded into `T` with every mistake reported, or None when it could not be mended
/// (the mistakes found so far are reported). `first` is the decoder's first error, already
/// reported by the caller.
pub(super) fn decode<T: DeserializeOwned>(
    file: &Arc<SourceFile>,
    first: &toml::de::Error,
    diags: &mut Diagnostics,
) -> Option<T> {
    let (mut table, syntax) = DeTable::parse_recoverable(&file.text);
    let mut reported: Vec<Range<usize>> = first.span().into_iter().collect();
    for span in &reported {
        diags.poison(file, span.clone());
    }
    for e in &syntax {
        report_once(file, e, &mut reported, diags);
    }
    for _ in 0..MAX_MENDED {
        let e = match T::deserialize(Deserializer::from(table.clone())) {
            Ok(value) => return Some(value),
            Err(e) => e,
        };
        let span = e.span()?;
        report_once(file, &e, &mut reported, diags);
        let mended = mend::<T>(&mut table, &span, e.message())?;
        diags.poison(file, mended);
    }
    None
}

/// Reports `e` unless a problem already reported overlaps its place.
fn report_once(
    file: &Arc<SourceFile>,
    e: &toml::de::Error,
    reported: &mut Vec<Range<usize>>,
    diags: &mut Diagnostics,
) {
    let span = e.span().unwrap_or(0..0);
    if reported.iter().any(|r| overlaps(r, &span)) {
        return;
    }
    super::report_toml_error(file, e, diags);
    diags.poison(file, span.clone());
    reported.push(span);
}

fn overlaps(a: &Range<usize>, b: &Range<usize>) -> bool {
    (a.start < b.end && b.start < a.end) || a.start == b.start
}

/// Mends the mistake the decoder stopped at; the place of the stand-in, or None when the
/// mistake cannot be found in the parsed file.
fn mend<T: DeserializeOwned>(
    table: &mut Spanned<DeTable<'_>>,
    span: &Range<usize>,
    message: &str,
) -> Option<Range<usize>> {
    if let Some(field) = quoted_after(message, "missing field `") {
        // A field missing at the top is placed at the start of the file.
        let path = find(table.get_ref(), span, Target::Value)
            .or_else(|| (table.span() == *span).then(Vec::new))?;
        let at = span.start..span.start;
        for stand_in in stand_ins() {
            let t = table_mut(table.get_mut(), &path)?;
            t.insert(
                Spanned::new(at.clone(), Cow::Owned(field.clone())),
                Spanned::new(at.clone(), stand_in),
            );
            if still_at::<T>(table, &[span, &at]) {
                continue;
            }
            return Some(at);
        }
        return None;
    }
    if let Some(field) = quoted_after(message, "unknown field `") {
        let path = find(table.get_ref(), span, Target::Key)?;
        table_mut(table.get_mut(), &path)?.remove(field.as_str())?;
        return Some(span.clone());
    }
    let path = find(table.get_ref(), span, Target::Value)?;
    for stand_in in stand_ins() {
        *node_mut(table.get_mut(), &path)? = stand_in;
        if !still_at::<T>(table, &[span]) {
            return Some(span.clone());
        }
    }
    None
}

/// Whether decoding now stops at one of `places`: the stand-in did not fit.
fn still_at<T: DeserializeOwned>(table: &Spanned<DeTable<'_>>, places: &[&Range<usize>]) -> bool {
    match T::deserialize(Deserializer::from(table.clone())) {
        Ok(_) => false,
        Err(e) => e.span().is_some_and(|s| places.contains(&&s)),
    }
}

/// The text between `prefix` and the next backtick.
fn quoted_after(message: &str, prefix: &str) -> Option<String> {
    let rest = message.trim().strip_prefix(prefix)?;
    rest.split('`').next().map(str::to_string)
}

/// A value of each type, tried in turn until one fits the field.
fn stand_ins() -> Vec<DeValue<'static>> {
    let mut out = vec![
        DeValue::String(Cow::Borrowed("")),
        DeValue::Integer(DeInteger::default()),
        DeValue::Float(DeFloat::default()),
        DeValue::Boolean(false),
    ];
    if let Ok(d) = "2000-01-01".parse() {
        out.push(DeValue::Datetime(d));
    }
    out.push(DeValue::Array(DeArray::new()));
    out.push(DeValue::Table(DeTable::new()));
    out
}

/// One step from a table or an array to what it holds.
#[derive(Debug, Clone)]
enum Step {
    Key(String),
    Index(usize),
}

#[derive(Clone, Copy, PartialEq)]
enum Target {
    /// The value at the place (for a key: the table holding it).
    Value,
    Key,
}

/// The path to the value at `span` (the innermost), or to the table whose key is at `span`.
fn find(root: &DeTable<'_>, span: &Range<usize>, target: Target) -> Option<Vec<Step>> {
    let mut path = Vec::new();
    search_table(root, span, target, &mut path).then_some(path)
}

fn search_table(
    t: &DeTable<'_>,
    span: &Range<usize>,
    target: Target,
    path: &mut Vec<Step>,
) -> bool {
    for (k, v) in t.iter() {
        if target == Target::Key && &k.span() == span {
            return true;
        }
        path.push(Step::Key(k.get_ref().to_string()));
        if search_value(v, span, target, path) {
            return true;
        }
        path.pop();
    }
    false
}

fn search_value(
    v: &Spanned<DeValue<'_>>,
    span: &Range<usize>,
    target: Target,
    path: &mut Vec<Step>,
) -> bool {
    // The innermost value at the place wins: look inside first.
    let inside = match v.get_ref() {
        DeValue::Table(t) => search_table(t, span, target, path),
        DeValue::Array(a) => a.iter().enumerate().any(|(i, item)| {
            path.push(Step::Index(i));
            let found = search_value(item, span, target, path);
            if !found {
                path.pop();
            }
            found
        }),
        _ => false,
    };
    inside || (target == Target::Value && &v.span() == span)
}

/// The table a path leads to: the top-level table for an empty path.
fn table_mut<'a, 'i>(root: &'a mut DeTable<'i>, path: &[Step]) -> Option<&'a mut DeTable<'i>> {
    if path.is_empty() {
        return Some(root);
    }
    match node_mut(root, path)? {
        DeValue::Table(t) => Some(t),
        _ => None,
    }
}

/// The value a (non-empty) path leads to.
fn node_mut<'a, 'i>(root: &'a mut DeTable<'i>, path: &[Step]) -> Option<&'a mut DeValue<'i>> {
    let (first, rest) = path.split_first()?;
    let Step::Key(k) = first else { return None };
    let mut node = root.get_mut(k.as_str())?.get_mut();
    for step in rest {
        node = match (step, node) {
            (Step::Key(k), DeValue::Table(t)) => t.get_mut(k.as_str())?.get_mut(),
            (Step::Index(i), DeValue::Array(a)) => a.get_mut(*i)?.get_mut(),
            _ => return None,
        };
    }
    Some(node)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::raw::ActionsFile;

    fn run(text: &str) -> (Option<ActionsFile>, Vec<String>) {
        let file = Arc::new(SourceFile::new("actions.toml", text.to_string()));
        let mut diags = Diagnostics::new();
        let first = toml::from_str::<ActionsFile>(text).unwrap_err();
        super::super::report_toml_error(&file, &first, &mut diags);
        let value = decode::<ActionsFile>(&file, &first, &mut diags);
        let lines = diags
            .iter()
            .map(|d| format!("{}: {}", d.location, d.message))
            .collect();
        (value, lines)
    }

    #[test]
    fn every_mistake_in_an_action_plan_is_found_and_the_rest_decoded() {
        let text = "[[actions]]\nid = \"A01\"\ntitle = \"T\"\nowner = \"Group\"\ndue = \"31/03/2027\"\nstatus = \"done\"\naddresses = [\"x-1\", 3]\ncolour = \"red\"\n\n[[actions]]\nid = \"A02\"\nowner = \"Group\"\ndue = 2026-13-45\nstatus = \"complete\"\n";
        let (value, lines) = run(text);
        let value = value.expect("mended");
        assert_eq!(value.actions.len(), 2, "{lines:#?}");
        // The mistakes the decoder meets, each once, each in its place.
        for want in [
            "actions.toml:5:7",
            "actions.toml:7:21",
            "actions.toml:8:1: unknown field `colour`",
            "actions.toml:10:1: missing field `title`",
            "actions.toml:13:7",
        ] {
            assert!(
                lines.iter().any(|l| l.starts_with(want)),
                "{want}: {lines:#?}"
            );
        }
        assert_eq!(lines.len(), 5, "{lines:#?}");
        // What the decoder could not judge is there for validation to judge.
        let first = value.actions[0].get_ref();
        assert_eq!(first.status.get_ref(), "done");
        assert_eq!(first.addresses[0].get_ref(), "x-1");
    }

    #[test]
    fn a_file_that_cannot_be_mended_gives_up_quietly() {
        // A list where a table belongs at the top: nothing to mend into an action plan.
        let (value, lines) = run("actions = 3\n");
        assert!(value.is_some() || !lines.is_empty());
        assert!(!lines.is_empty());
    }
}
