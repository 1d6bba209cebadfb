//! Signing a cycle off, and the record of what changed after: `signoff` writes `signed_off =
//! DATE` into cycle.toml (keeping every comment and the layout the partnership gave it), and
//! `import --force` into a signed-off cycle appends to its `changes.toml` what it changed and
//! when, never what a return or case record says.

use crate::fsx::FsxError;
use crate::model::{ChangeAction, Date};
use crate::source::display_path;
use std::path::{Path, PathBuf};
use toml_edit::{DocumentMut, Item, Key, value};

/// Why a cycle could not be signed off (its cycle.toml is left as it was).
#[derive(Debug, thiserror::Error)]
pub enum SignoffError {
    #[error("{}: {source}", display_path(.path))]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cycle.toml cannot be read: {}", .0.message())]
    NotToml(#[source] toml_edit::TomlError),
    /// `signed_off` is there already, with this value.
    #[error("the cycle is already signed off (signed_off = {0})")]
    Already(String),
    #[error("{0} is not a date")]
    NotADate(Date),
    #[error("cannot write {0}")]
    Write(#[source] FsxError),
}

/// Writes `signed_off = DATE` into the cycle.toml at `path`, in place (see [`add_signed_off`]).
pub fn sign_off_file(path: &Path, date: Date) -> Result<(), SignoffError> {
    let text = std::fs::read_to_string(path).map_err(|source| SignoffError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    let text = add_signed_off(&text, date)?;
    crate::fsx::write_atomic(path, text.as_bytes()).map_err(SignoffError::Write)
}

pub use crate::load::CHANGES_FILE;

/// cycle.toml's text with `signed_off = DATE` added after `closed` (or at the end of the
/// top-level fields). An error when the text cannot be read as TOML or is signed off already.
pub fn add_signed_off(text: &str, date: Date) -> Result<String, SignoffError> {
    let mut doc: DocumentMut = text.parse().map_err(SignoffError::NotToml)?;
    if let Some(existing) = doc.get("signed_off") {
        return Err(SignoffError::Already(
            existing.to_string().trim().to_string(),
        ));
    }
    let stamp: toml_edit::Datetime = date
        .to_string()
        .parse()
        .map_err(|_| SignoffError::NotADate(date))?;
    let table = doc.as_table_mut();
    // Rebuilt in order so the new field sits under `closed`, where a reader looks for it.
    let keys: Vec<String> = table.iter().map(|(k, _)| k.to_string()).collect();
    let mut entries: Vec<(Key, Item)> = Vec::new();
    for k in &keys {
        if let Some(entry) = table.remove_entry(k) {
            entries.push(entry);
        }
    }
    let at = entries
        .iter()
        .position(|(k, i)| k.get() == "closed" && i.is_value())
        .map_or_else(
            || entries.iter().take_while(|(_, i)| i.is_value()).count(),
            |p| p + 1,
        );
    entries.insert(at, (Key::new("signed_off"), value(stamp)));
    for (k, i) in entries {
        table.insert_formatted(&k, i);
    }
    Ok(doc.to_string())
}

/// One change to record: whose evidence, added or replaced, and the questions it touched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewChange {
    /// `agency = "police"` or `case = "C03"`.
    pub field: &'static str,
    pub subject: String,
    pub action: ChangeAction,
    pub questions: Vec<String>,
}

/// The change log with `changes` (made on `date`) appended; `existing` is the file's text, if
/// there is one. Appending keeps whatever the partnership wrote there (notes, comments).
pub fn append_changes(existing: Option<&str>, date: Date, changes: &[NewChange]) -> String {
    let q = |s: &str| toml_edit::Value::from(s).to_string();
    let mut out = match existing {
        Some(text) if !text.trim().is_empty() => {
            let mut t = text.to_string();
            if !t.ends_with('\n') {
                t.push('\n');
            }
            t
        }
        _ => "# Changes made to this cycle after it was signed off, recorded by `panelaudit import --force`.\n# Each says when, whose return (agency) or which case record (case), and which questions\n# changed; the cycle's page shows them. Add `note = \"...\"` to say why (internal).\n".to_string(),
    };
    for c in changes {
        let questions: Vec<String> = c.questions.iter().map(|x| q(x)).collect();
        out.push_str(&format!(
            "\n[[changes]]\ndate = {date}\n{} = {}\nchange = \"{}\"\nquestions = [{}]\n",
            c.field,
            q(&c.subject),
            c.action.as_str(),
            questions.join(", ")
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    #[test]
    fn signing_off_keeps_the_file_as_written_and_adds_one_line_under_closed() {
        let text = "# Our annual round.\ntitle = \"Self-audit 2025-26\"   # agreed at the board\nperiod = \"2025-26\"\nmethod = \"self-assessment\"\nframework = \"mini\"\nopened = 2025-09-01\nclosed = 2025-11-28\npurpose = \"\"\"\nWhat we set out to learn.\n\"\"\"\n\n[scope]\n# every agency\nlevels = [\"strategic\"]\n";
        let signed = add_signed_off(text, d("2025-12-12")).unwrap();
        assert_eq!(
            signed,
            text.replace(
                "closed = 2025-11-28\n",
                "closed = 2025-11-28\nsigned_off = 2025-12-12\n"
            )
        );
        let e = add_signed_off(&signed, d("2026-01-01"))
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("already signed off (signed_off = 2025-12-12)"),
            "{e}"
        );
        assert!(add_signed_off("title = ", d("2026-01-01")).is_err());
        // Without `closed`, after the last top-level field.
        let other = add_signed_off("title = \"x\"\n[scope]\nlevels = []\n", d("2026-01-01"));
        assert_eq!(
            other.unwrap(),
            "title = \"x\"\nsigned_off = 2026-01-01\n[scope]\nlevels = []\n"
        );
    }

    #[test]
    fn changes_are_appended_after_what_is_there() {
        let one = NewChange {
            field: "agency",
            subject: "police".into(),
            action: ChangeAction::Replaced,
            questions: vec!["a-s-01".into(), "a-p-02".into()],
        };
        let first = append_changes(None, d("2026-01-20"), std::slice::from_ref(&one));
        assert!(first.starts_with("# Changes made to this cycle"));
        assert!(first.ends_with("\n[[changes]]\ndate = 2026-01-20\nagency = \"police\"\nchange = \"replaced\"\nquestions = [\"a-s-01\", \"a-p-02\"]\n"), "{first}");
        let noted = format!("{first}note = \"Late evidence agreed by the panel.\"");
        let second = append_changes(Some(&noted), d("2026-02-01"), &[one]);
        assert!(second.starts_with(&noted));
        assert_eq!(second.matches("[[changes]]").count(), 2);
        assert!(toml::from_str::<toml::Table>(&second).is_ok());
    }
}
