//! `--format json`: one JSON object a line per problem, for editors and CI.
//!
//! Fields: `code`, `severity` (`error` | `warning`), `file`, `line`, `column` (1-based; null
//! when the problem concerns a whole file or folder, or a workbook), `sheet` and `cell` (only
//! for a problem in a workbook: `cell` is `B3` or a range `H2:H3`, null for a whole sheet),
//! `message`, `help` (or null), and `related`: the second places (file, line, column, label).

use super::{Diagnostic, Diagnostics, Masker, Severity};
use serde::Serialize;

#[derive(Serialize)]
struct JsonRelated {
    file: String,
    line: usize,
    column: usize,
    label: String,
}

#[derive(Serialize)]
struct JsonDiagnostic {
    code: &'static str,
    severity: &'static str,
    file: String,
    line: Option<usize>,
    column: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    sheet: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    cell: Option<Option<String>>,
    message: String,
    help: Option<String>,
    related: Vec<JsonRelated>,
}

impl Diagnostic {
    /// This problem as one line of JSON, personal data of the built-in kinds masked.
    pub fn to_json(&self) -> String {
        self.to_json_masked(&Masker::default())
    }

    /// [`Diagnostic::to_json`], masking what `masker`'s scanners flag.
    pub fn to_json_masked(&self, masker: &Masker) -> String {
        let (line, column) = self.location.line_col().unzip();
        let (sheet, cell) = self.location.sheet_cell().unzip();
        let value = JsonDiagnostic {
            code: self.code.id(),
            severity: match self.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            },
            file: masker.printable(self.location.path()),
            line,
            column,
            sheet: sheet.map(|s| masker.printable(s)),
            cell: cell.map(|c| c.map(|c| masker.printable(c))),
            // JSON escapes control characters itself; `printable` keeps the text the same as
            // the terminal shows it.
            message: masker.printable(&self.message),
            help: self.help.as_deref().map(|h| masker.printable(h)),
            related: self
                .related
                .iter()
                .map(|r| {
                    let (line, column) = r.file.line_col(r.span.start);
                    JsonRelated {
                        file: masker.printable(&r.file.display),
                        line,
                        column,
                        label: masker.printable(&r.label),
                    }
                })
                .collect(),
        };
        serde_json::to_string(&value).expect("plain strings and numbers always serialise")
    }
}

impl Diagnostics {
    /// Every problem as JSON lines, in file order.
    pub fn render_json(&self) -> String {
        self.sorted()
            .iter()
            .map(|d| d.to_json_masked(self.masker_of(d)) + "\n")
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Code, Location};
    use super::*;
    use crate::source::SourceFile;
    use std::sync::Arc;

    #[test]
    fn one_object_a_line_with_code_place_and_help() {
        let file = Arc::new(SourceFile::new(
            "p/actions.toml",
            "[[actions]]\nid = \"A01\"\n[[actions]]\nid = \"A01\"\n".to_string(),
        ));
        let second = file.text.rfind("\"A01\"").unwrap();
        let first = file.text.find("\"A01\"").unwrap();
        let mut d = Diagnostics::new();
        d.error(
            Code::DuplicateId,
            &file,
            second..second + 5,
            "duplicate action id `A01`",
        )
        .with_related(&file, first..first + 5, "first defined here")
        .with_help("give each action its own id");
        d.path_warning(
            Code::MissingReturn,
            "p/cycles/2025-26/responses",
            "no return",
        );
        let out = d.render_json();
        let lines: Vec<serde_json::Value> = out
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines.len(), 2, "{out}");
        assert_eq!(lines[0]["code"], "PA0202");
        assert_eq!(lines[0]["severity"], "error");
        assert_eq!(lines[0]["file"], "p/actions.toml");
        assert_eq!(
            (lines[0]["line"].as_u64(), lines[0]["column"].as_u64()),
            (Some(4), Some(6))
        );
        assert_eq!(lines[0]["help"], "give each action its own id");
        assert_eq!(lines[0]["related"][0]["line"], 2);
        assert_eq!(lines[0]["related"][0]["label"], "first defined here");
        assert_eq!(lines[1]["severity"], "warning");
        assert!(lines[1]["line"].is_null());
    }

    #[test]
    fn a_workbook_cell_is_named_apart_from_its_file() {
        let mut d = Diagnostics::new();
        d.error_at(
            Code::SurveyAnswer,
            Location::cell("p/surveys/export.xlsx", "Sheet1", "G3"),
            "`Sort of` is not on the item's scale",
        );
        d.warning_at(
            Code::WorkbookShape,
            Location::sheet("p/returns/police.xlsx", "Return"),
            "no notes column",
        );
        d.path_error(Code::Unreadable, "p/a.toml", "unreadable");
        let text = d.render();
        assert!(
            text.contains("error[PA0503]: p/surveys/export.xlsx: Sheet1!G3: `Sort of`"),
            "{text}"
        );
        assert!(
            text.contains("warning[PA0701]: p/returns/police.xlsx: Return: no notes"),
            "{text}"
        );
        let lines: Vec<serde_json::Value> = d
            .render_json()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        let of = |file: &str| lines.iter().find(|l| l["file"] == file).unwrap();
        let cell = of("p/surveys/export.xlsx");
        assert_eq!(
            (&cell["sheet"], &cell["cell"]),
            (&"Sheet1".into(), &"G3".into())
        );
        assert!(cell["line"].is_null());
        let sheet = of("p/returns/police.xlsx");
        assert_eq!(sheet["sheet"], "Return");
        assert!(sheet["cell"].is_null() && sheet.get("cell").is_some());
        // Places outside a workbook carry neither field.
        assert!(of("p/a.toml").get("sheet").is_none());
    }
}
