//! A return workbook read back: which agency, cycle and framework it is for (the About sheet),
//! and every answer (the Return sheet), each cell checked, with problems named by workbook,
//! sheet and cell. Nothing is written here; `import` decides what to do with the result.

use crate::diag::{Code, Diagnostics, Location, suggest};
use crate::model::{Audit, Confidence, Cycle, Date, Framework, Rating};
use crate::scan::{Scanner, mask};
use crate::source::display_path;
use crate::xlsx::read::{self, Sheet, cell_text, describe, is_blank};
use crate::xlsx::{
    ABOUT_LABEL_COL, ABOUT_SHEET, ABOUT_VALUE_COL, AnswerData, COLUMNS, Col, FIRST_QUESTION_ROW,
    FORM_VERSION, Field, HEADER_ROW, RETURN_SHEET, ReturnData, cell_ref, col_letters,
};
use calamine::Data;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// One agency's return as read from a workbook.
#[derive(Debug)]
pub(crate) struct Return {
    /// The workbook, as shown in messages.
    pub(crate) file: String,
    pub(crate) data: ReturnData,
    /// Questions in scope without a rating (or without a row).
    pub(crate) unanswered: usize,
}

/// Where the About sheet holds `field`'s value, in the workbook `file`.
pub(crate) fn about_cell(file: &str, field: Field) -> Location {
    Location::cell(
        file,
        ABOUT_SHEET,
        cell_ref(field.spec().row, ABOUT_VALUE_COL),
    )
}

/// The cycle a workbook's About sheet says it is for, when it says (and can be read at all).
pub(crate) fn workbook_cycle(path: &Path) -> Option<String> {
    let book = read::read(path, &[ABOUT_SHEET]).ok()?;
    let about = book.sheet(ABOUT_SHEET)?;
    about
        .rows()
        .into_iter()
        .find_map(|row| match about.get(row, ABOUT_LABEL_COL) {
            Some(Data::String(label)) if Field::from_label(label) == Some(Field::CycleId) => {
                about.get(row, ABOUT_VALUE_COL).and_then(cell_text)
            }
            _ => None,
        })
}

/// Reads and checks one workbook. Problems go to `diags`; None when it cannot be imported.
pub(crate) fn read_return(
    path: &Path,
    audit: &Audit,
    cycle: &Cycle,
    fw: &Framework,
    scanner: &Scanner,
    diags: &mut Diagnostics,
) -> Option<Return> {
    let file = display_path(path);
    let book = match read::read(path, &[ABOUT_SHEET, RETURN_SHEET]) {
        Ok(b) => b,
        Err(e) => {
            diags.path_error(Code::Unreadable, &file, e.to_string());
            return None;
        }
    };
    let errors_before = diags.error_count();
    // Each sheet is checked whatever the other holds: a mistake on the About sheet never
    // hides those on the Return sheet.
    let about = match book.sheet(ABOUT_SHEET) {
        Some(about) => read_about(&file, about, audit, cycle, diags),
        None => {
            diags
                .path_error(Code::WorkbookShape,
                    &file,
                    format!(
                        "no {ABOUT_SHEET} sheet, so there is no telling which agency, cycle and framework this return is for (the workbook's sheets: {})",
                        list_or_none(&book.sheet_names)
                    ),
                )
                .with_help("send the agency the form `panelaudit forms` makes, and import that form once it is filled in");
            None
        }
    };
    let Some(sheet) = book.sheet(RETURN_SHEET) else {
        diags.path_error(
            Code::WorkbookShape,
            &file,
            format!(
                "no {RETURN_SHEET} sheet with the answers (the workbook's sheets: {})",
                list_or_none(&book.sheet_names)
            ),
        );
        return None;
    };
    let (answers, unanswered) = read_answers(&file, sheet, cycle, fw, scanner, diags)?;
    let about = about?;
    (diags.error_count() == errors_before).then_some(Return {
        file,
        data: ReturnData {
            agency: about.agency,
            completed_by: about.completed_by,
            submitted: about.submitted,
            answers,
        },
        unanswered,
    })
}

fn list_or_none(names: &[String]) -> String {
    if names.is_empty() {
        "none".to_string()
    } else {
        names.join(", ")
    }
}

struct About {
    agency: String,
    completed_by: Option<String>,
    submitted: Option<Date>,
}

/// Reads and checks the About sheet: whose return it is, for which cycle and framework, made
/// by which form version, and who completed it when. None when it cannot be imported (a
/// mistake in "Completed by" or "Submitted" alone does not stop the answers being read).
fn read_about(
    file: &str,
    sheet: &Sheet,
    audit: &Audit,
    cycle: &Cycle,
    diags: &mut Diagnostics,
) -> Option<About> {
    let mut about = AboutSheet::read(file, sheet);
    let before = diags.error_count();
    about.refuse_formulas(
        &[
            Field::AgencyId,
            Field::CycleId,
            Field::FrameworkId,
            Field::FormVersion,
        ],
        diags,
    );
    let agency = about.required(Field::AgencyId, diags);
    let cycle_id = about.required(Field::CycleId, diags);
    let framework = about.required(Field::FrameworkId, diags);
    let version = about.required(Field::FormVersion, diags);
    if let Some((row, v)) = &version {
        check_version(&about.at(*row), v, diags);
    }
    if let Some((row, id)) = &agency {
        check_agency(&about.at(*row), id, audit, diags);
    }
    if let Some((row, id)) = &cycle_id {
        check_cycle(&about.at(*row), id, audit, cycle, diags);
    }
    if let Some((row, id)) = &framework
        && id != &cycle.framework
    {
        diags.error_at(
            Code::WorkbookMismatch,
            about.at(*row),
            format!(
                "this return asks the questions of framework `{id}`, but cycle {} uses `{}`",
                cycle.id, cycle.framework
            ),
        );
    }
    // A formula in these fails the workbook too, but says nothing about whose return it is,
    // so the answers are still read and checked.
    let optional_before = diags.error_count();
    about.refuse_formulas(&[Field::CompletedBy, Field::Submitted], diags);
    let optional_errors = diags.error_count() - optional_before;
    let completed_by = about.completed_by(audit.scanner(), diags);
    let submitted = about.submitted(diags);
    if diags.error_count() > before + optional_errors {
        return None;
    }
    Some(About {
        agency: agency?.1,
        completed_by,
        submitted,
    })
}

/// The About sheet's fields, each found by its label in column A, its value beside it in B.
struct AboutSheet<'a> {
    file: &'a str,
    sheet: &'a Sheet,
    found: BTreeMap<Field, (u32, Option<&'a Data>)>,
    /// Fields whose value is a formula, already refused.
    refused: BTreeSet<Field>,
}

impl<'a> AboutSheet<'a> {
    fn read(file: &'a str, sheet: &'a Sheet) -> AboutSheet<'a> {
        let mut found = BTreeMap::new();
        for row in sheet.rows() {
            let Some(Data::String(label)) = sheet.get(row, ABOUT_LABEL_COL) else {
                continue;
            };
            if let Some(field) = Field::from_label(label) {
                found
                    .entry(field)
                    .or_insert((row, sheet.get(row, ABOUT_VALUE_COL)));
            }
        }
        AboutSheet {
            file,
            sheet,
            found,
            refused: BTreeSet::new(),
        }
    }

    fn at(&self, row: u32) -> Location {
        Location::cell(self.file, ABOUT_SHEET, cell_ref(row, ABOUT_VALUE_COL))
    }

    /// A formula's value is worked out, not typed, and may change when the workbook is next
    /// opened (=TODAY()); a return records the value itself. Only the fields import reads
    /// count: an error for each of `fields` that holds one.
    fn refuse_formulas(&mut self, fields: &[Field], diags: &mut Diagnostics) {
        for &field in fields {
            let Some(&(row, _)) = self.found.get(&field) else {
                continue;
            };
            if let Some(f) = self.sheet.formula(row, ABOUT_VALUE_COL) {
                refuse_formula(diags, self.at(row), f, "type the value itself");
                self.refused.insert(field);
            }
        }
    }

    /// A field every return must fill in, with its row; None, having said why, when it is
    /// missing or blank (or was refused as a formula).
    fn required(&self, field: Field, diags: &mut Diagnostics) -> Option<(u32, String)> {
        let label = field.spec().label;
        if self.refused.contains(&field) {
            return None;
        }
        let Some((row, value)) = self.found.get(&field) else {
            diags
                .error_at(Code::WorkbookShape,
                    Location::sheet(self.file, ABOUT_SHEET),
                    format!("no \"{label}\" row: the {ABOUT_SHEET} sheet must say which agency, cycle and framework the return is for"),
                )
                .with_help("import the form `panelaudit forms` made, without changing its About sheet");
            return None;
        };
        match value.and_then(cell_text) {
            Some(t) => Some((*row, t)),
            None => {
                diags.error_at(
                    Code::EmptyText,
                    self.at(*row),
                    format!("\"{label}\" is blank"),
                );
                None
            }
        }
    }

    /// A field's value when it is filled in and not refused.
    fn optional(&self, field: Field) -> Option<(u32, &'a Data)> {
        if self.refused.contains(&field) {
            return None;
        }
        match self.found.get(&field) {
            Some((row, Some(d))) if !is_blank(d) => Some((*row, *d)),
            _ => None,
        }
    }

    /// "Completed by": text (a date or number is taken as text, with a warning), and a role,
    /// not a person (a warning when it looks like a name or contact details).
    fn completed_by(&self, scanner: &Scanner, diags: &mut Diagnostics) -> Option<String> {
        let (row, d) = self.optional(Field::CompletedBy)?;
        let place = self.at(row);
        let text = match d {
            Data::String(_) => cell_text(d),
            Data::DateTime(_) | Data::DateTimeIso(_) => {
                completed_by_not_text(diags, &place, "a date");
                cell_date(d).map(|d| d.to_string())
            }
            _ => {
                completed_by_not_text(diags, &place, "a number");
                cell_text(d)
            }
        };
        if let Some(t) = &text {
            refuse_control_characters(diags, &place, t);
        }
        if let Some(t) = &text
            && let Some(why) = scanner.role_problem(t)
        {
            diags
                .warning_at(
                    Code::PersonalDataInReturn,
                    place,
                    format!("\"Completed by\" {why}; it should be a role"),
                )
                .with_help("write the role, e.g. \"Head of Public Protection\" or \"Designated Nurse\": returns are read across agencies, and a role still means something when the person has moved on");
        }
        text
    }

    /// "Submitted": a date, when filled in.
    fn submitted(&self, diags: &mut Diagnostics) -> Option<Date> {
        let (row, d) = self.optional(Field::Submitted)?;
        let date = cell_date(d);
        if date.is_none() {
            diags
                .error_at(
                    Code::BadDate,
                    self.at(row),
                    format!("submitted: {} is not a date", describe(d)),
                )
                .with_help("type the date the return was sent, e.g. 14/10/2025 or 2025-10-14");
        }
        date
    }
}

/// An error unless the form version is one this panelaudit made (or reads).
fn check_version(place: &Location, v: &str, diags: &mut Diagnostics) {
    match v.parse::<u32>() {
        Ok(n) if (1..=FORM_VERSION).contains(&n) => {}
        Ok(n) if n > FORM_VERSION => {
            diags
                .error_at(Code::WorkbookShape,
                    place,
                    format!("form version {n} was made by a newer panelaudit; this one reads forms up to version {FORM_VERSION}"),
                )
                .with_help("update panelaudit, or make the forms again with this version");
        }
        _ => {
            diags.error_at(
                Code::WorkbookShape,
                place,
                format!("form version \"{v}\" is not one panelaudit made"),
            );
        }
    }
}

/// An error unless the agency is one of the partnership's.
fn check_agency(place: &Location, id: &str, audit: &Audit, diags: &mut Diagnostics) {
    if audit.agency(id).is_some() {
        return;
    }
    let ids: Vec<&str> = audit
        .partnership
        .agencies
        .iter()
        .map(|a| a.id.as_str())
        .collect();
    let d = diags.error_at(
        Code::WorkbookMismatch,
        place,
        format!(
            "agency `{id}` is not an agency of {} (its agencies: {})",
            audit.partnership.short_name,
            ids.join(", ")
        ),
    );
    match suggest(id, ids.iter().copied()) {
        Some(s) => d.with_help(s),
        None => {
            d.with_help("add the agency to partnership.toml, or check this is the right workbook")
        }
    };
}

/// An error unless the workbook is for the cycle it is imported into.
fn check_cycle(place: &Location, id: &str, audit: &Audit, cycle: &Cycle, diags: &mut Diagnostics) {
    if id == cycle.id {
        return;
    }
    let help = if audit.cycle(id).is_some() {
        format!(
            "to import it into cycle {id}, run import with --cycle {id}, or without --cycle (the workbook's own cycle is then used)"
        )
    } else {
        format!(
            "send the agency the form for cycle {} (`panelaudit forms`)",
            cycle.id
        )
    };
    diags
        .error_at(
            Code::WorkbookMismatch,
            place,
            format!(
                "this return is for cycle {id}, but it is being imported into cycle {}",
                cycle.id
            ),
        )
        .with_help(help);
}

fn completed_by_not_text(diags: &mut Diagnostics, place: &Location, kind: &str) {
    diags
        .warning_at(
            Code::TextTurnedIntoValue,
            place,
            format!("\"Completed by\" holds {kind}, not text: it is imported as text, but check it names the role that completed the return"),
        )
        .with_help("format the cell as Text and type the role again");
}

/// A date cell, or text such as 2025-10-14 or 14/10/2025 (day first, as in England).
pub(crate) fn cell_date(d: &Data) -> Option<Date> {
    match d {
        Data::DateTime(dt) if dt.is_datetime() => {
            let (year, month, day, ..) = dt.to_ymd_hms_milli();
            let date = Date { year, month, day };
            date.is_valid().then_some(date)
        }
        Data::DateTimeIso(s) => Date::parse(s.get(..10)?),
        Data::String(s) => {
            let s = s.trim();
            Date::parse(s).or_else(|| {
                let parts: Vec<&str> = s.split(['/', '.']).collect();
                let [d, m, y] = parts.as_slice() else {
                    return None;
                };
                if y.len() != 4 {
                    return None;
                }
                let date = Date {
                    year: y.parse().ok()?,
                    month: m.parse().ok()?,
                    day: d.parse().ok()?,
                };
                date.is_valid().then_some(date)
            })
        }
        _ => None,
    }
}

type Answers = (BTreeMap<String, AnswerData>, usize);

/// Reads and checks the Return sheet: its header row, then a question a row. None when it has
/// an error.
fn read_answers(
    file: &str,
    sheet: &Sheet,
    cycle: &Cycle,
    fw: &Framework,
    scanner: &Scanner,
    diags: &mut Diagnostics,
) -> Option<Answers> {
    let before = diags.error_count();
    let layout = Layout::read(file, sheet, diags)?;
    layout.refuse_merged(diags);
    let mut rows = Rows::default();
    for row in sheet.rows_with_formulas() {
        if row >= FIRST_QUESTION_ROW {
            layout.read_row(row, cycle, fw, scanner, &mut rows, diags);
        }
    }
    let absent = report_unanswered(file, cycle, fw, &rows, diags);
    if diags.error_count() > before {
        return None;
    }
    Some((rows.answers, rows.unanswered.len() + absent))
}

/// The question rows as read so far.
#[derive(Default)]
struct Rows {
    /// Each question's row (the first, when it appears twice).
    seen: BTreeMap<String, u32>,
    answers: BTreeMap<String, AnswerData>,
    /// Questions in scope with a row but no rating.
    unanswered: Vec<String>,
}

/// The cells a row's answer is in, besides the question id.
const ANSWER_COLS: [Col; 5] = [
    Col::Rating,
    Col::Confidence,
    Col::Evidence,
    Col::Gaps,
    Col::Internal,
];

/// The Return sheet as its header row lays it out: which column holds what.
struct Layout<'a> {
    file: &'a str,
    sheet: &'a Sheet,
    cols: BTreeMap<Col, u16>,
}

impl<'a> Layout<'a> {
    /// The header row read: each column it names, a warning for any it does not know, and
    /// None (having said why) when a required one is missing.
    fn read(file: &'a str, sheet: &'a Sheet, diags: &mut Diagnostics) -> Option<Layout<'a>> {
        let mut layout = Layout {
            file,
            sheet,
            cols: BTreeMap::new(),
        };
        for (&(_, c), f) in sheet
            .formulas
            .range((HEADER_ROW, 0)..=(HEADER_ROW, u16::MAX))
        {
            let place = layout.at(HEADER_ROW, c);
            refuse_formula(diags, place, f, "type the column's header itself");
        }
        for (c, d) in sheet.row(HEADER_ROW) {
            layout.header_cell(c, d, diags);
        }
        let missing: Vec<String> = COLUMNS
            .iter()
            .filter(|s| s.required && !layout.cols.contains_key(&s.col))
            .map(|s| format!("\"{}\"", s.header))
            .collect();
        if missing.is_empty() {
            return Some(layout);
        }
        diags
            .error_at(
                Code::WorkbookShape,
                layout.at(HEADER_ROW, 0),
                format!(
                    "the header row (row {}) has no {} column",
                    HEADER_ROW + 1,
                    missing.join(", ")
                ),
            )
            .with_help(
                "row 1 of the Return sheet names the columns; keep the form's headers as they were",
            );
        None
    }

    /// One header cell: the column it names (the first, when named twice), or a warning.
    fn header_cell(&mut self, c: u16, d: &Data, diags: &mut Diagnostics) {
        let text = cell_text(d).unwrap_or_else(|| describe(d));
        let Some(col) = Col::from_header(&text) else {
            diags.warning_at(
                Code::WorkbookValue,
                self.at(HEADER_ROW, c),
                format!("column \"{text}\" is not part of the return form; it is ignored"),
            );
            return;
        };
        match self.cols.get(&col) {
            Some(first) => {
                diags.error_at(
                    Code::DuplicateId,
                    self.at(HEADER_ROW, c),
                    format!(
                        "a second \"{}\" column (the first is column {})",
                        col.spec().header,
                        col_letters(*first)
                    ),
                );
            }
            None => {
                self.cols.insert(col, c);
            }
        }
    }

    fn at(&self, row: u32, col: u16) -> Location {
        Location::cell(self.file, RETURN_SHEET, cell_ref(row, col))
    }

    fn col(&self, c: Col) -> Option<u16> {
        self.cols.get(&c).copied()
    }

    fn get(&self, row: u32, c: Col) -> Option<&'a Data> {
        self.col(c).and_then(|c| self.sheet.get(row, c))
    }

    /// Merged cells over the answers hide which answer belongs to which question: an error each.
    fn refuse_merged(&self, diags: &mut Diagnostics) {
        for m in &self.sheet.merged {
            let (r0, c0) = m.start;
            let (r1, c1) = m.end;
            if r1 < FIRST_QUESTION_ROW
                || !self
                    .cols
                    .values()
                    .any(|&c| (c0..=c1).contains(&u32::from(c)))
            {
                continue;
            }
            let (c0, c1) = (
                u16::try_from(c0).unwrap_or(u16::MAX),
                u16::try_from(c1).unwrap_or(u16::MAX),
            );
            diags
                .error_at(
                    Code::WorkbookShape,
                    Location::cell(
                        self.file,
                        RETURN_SHEET,
                        format!("{}:{}", cell_ref(r0, c0), cell_ref(r1, c1)),
                    ),
                    "merged cells: each question needs its own row and cells",
                )
                .with_help("unmerge these cells (Home > Merge & Center > Unmerge Cells) and give each question its own answer");
        }
    }

    /// One question's row: its answer into `rows`, or why not into `diags`.
    fn read_row(
        &self,
        row: u32,
        cycle: &Cycle,
        fw: &Framework,
        scanner: &Scanner,
        rows: &mut Rows,
        diags: &mut Diagnostics,
    ) {
        if self.refuse_formulas(row, rows, diags) {
            return;
        }
        let has_answer = ANSWER_COLS.iter().any(|&c| self.get(row, c).is_some());
        let Some(id) = self.question(row, cycle, fw, has_answer, rows, diags) else {
            return;
        };
        let Some(rating) = self.rating(row, &id, fw, has_answer, diags) else {
            rows.unanswered.push(id);
            return;
        };
        let confidence = self.confidence(row, &id, rating, diags);
        let (Some(rating), Some(confidence)) = (rating, confidence) else {
            return;
        };
        let answer = AnswerData {
            rating,
            confidence,
            evidence: self.text(row, Col::Evidence, scanner, diags),
            gaps: self.text(row, Col::Gaps, scanner, diags),
            internal: self.text(row, Col::Internal, scanner, diags),
        };
        rows.answers.insert(id, answer);
    }

    /// A formula is not an answer: its value is worked out (or, from some programs, never
    /// was), so a row with one is refused rather than imported from a value nobody typed.
    /// Whether the row has one.
    fn refuse_formulas(&self, row: u32, rows: &mut Rows, diags: &mut Diagnostics) -> bool {
        let formulas: Vec<(u16, &str)> = self
            .cols
            .values()
            .filter_map(|&c| self.sheet.formula(row, c).map(|f| (c, f)))
            .collect();
        if formulas.is_empty() {
            return false;
        }
        for (c, f) in formulas {
            refuse_formula(diags, self.at(row, c), f, "type the answer itself");
        }
        if let Some(id) = self.get(row, Col::Id).and_then(cell_text) {
            rows.seen.entry(id).or_insert(row);
        }
        true
    }

    /// The question a row answers, when it names one of the framework's, in the cycle's scope,
    /// not answered in an earlier row; else None, having said why when it matters.
    fn question(
        &self,
        row: u32,
        cycle: &Cycle,
        fw: &Framework,
        has_answer: bool,
        rows: &mut Rows,
        diags: &mut Diagnostics,
    ) -> Option<String> {
        let place = self.at(row, self.col(Col::Id).unwrap_or(0));
        let Some(id) = self.get(row, Col::Id).and_then(cell_text) else {
            if has_answer {
                diags.error_at(
                    Code::WorkbookShape,
                    place,
                    format!("row {} has answers but no question id", u64::from(row) + 1),
                );
            }
            return None;
        };
        let Some(q) = fw.question(&id) else {
            let d = diags.error_at(
                Code::UnknownReference,
                place,
                format!("framework `{}` has no question `{id}`", fw.id),
            );
            if let Some(s) = suggest(&id, fw.questions.iter().map(|q| q.id.as_str())) {
                d.with_help(s);
            }
            return None;
        };
        if let Some(first) = rows.seen.insert(id.clone(), row) {
            diags.error_at(
                Code::DuplicateId,
                place,
                format!(
                    "question `{id}` appears twice (first in row {})",
                    u64::from(first) + 1
                ),
            );
            rows.seen.insert(id, first);
            return None;
        }
        if !cycle.in_scope(q) {
            diags.warning_at(
                Code::NotInScope,
                place,
                format!(
                    "question `{id}` is not in cycle {}'s scope; its row is ignored",
                    cycle.id
                ),
            );
            return None;
        }
        Some(id)
    }

    /// The row's rating: None when it has none (the question is unanswered, and its other
    /// cells are not imported), Some(None) when it is not on the scale.
    fn rating(
        &self,
        row: u32,
        id: &str,
        fw: &Framework,
        has_answer: bool,
        diags: &mut Diagnostics,
    ) -> Option<Option<Rating>> {
        let place = self.at(row, self.col(Col::Rating).unwrap_or(0));
        let Some(d) = self.get(row, Col::Rating) else {
            if has_answer {
                diags.warning_at(Code::Unanswered,
                    place,
                    format!("`{id}` has no rating, so it is left unanswered and its other cells are not imported"),
                );
            }
            return None;
        };
        match parse_rating(d, fw) {
            Ok(r) => Some(Some(r)),
            Err(e) => {
                diags
                    .error_at(Code::OffScale, place, e.to_string())
                    .with_help("choose the rating from the cell's drop-down list");
                Some(None)
            }
        }
    }

    /// The row's confidence: Some(None) when blank (it counts as low, and a rated answer is
    /// warned), None when it is not a confidence.
    fn confidence(
        &self,
        row: u32,
        id: &str,
        rating: Option<Rating>,
        diags: &mut Diagnostics,
    ) -> Option<Option<Confidence>> {
        let place = self.at(row, self.col(Col::Confidence).unwrap_or(0));
        let Some(d) = self.get(row, Col::Confidence) else {
            if rating.is_some_and(|r| r != Rating::NotApplicable) {
                diags.warning_at(
                    Code::WeakAnswer,
                    place,
                    format!("`{id}` has no confidence; it will count as low"),
                );
            }
            return Some(None);
        };
        match parse_confidence(d) {
            Ok(c) => Some(Some(c)),
            Err(e) => {
                diags
                    .error_at(Code::UnknownWord, place, e.to_string())
                    .with_help("choose low, medium or high from the cell's drop-down list");
                None
            }
        }
    }

    /// A text cell's value, with a warning when the spreadsheet turned it into something
    /// else, and checks for control characters and personal data.
    fn text(&self, row: u32, c: Col, scanner: &Scanner, diags: &mut Diagnostics) -> Option<String> {
        let d = self.get(row, c)?;
        let place = self.at(row, self.col(c).unwrap_or(0));
        let value = match d {
            Data::Error(e) => {
                diags.error_at(
                    Code::WorkbookValue,
                    place,
                    format!("the cell holds the error {e}; replace it with text"),
                );
                return None;
            }
            Data::DateTime(_) | Data::DateTimeIso(_) => {
                turned_into(diags, &place, c, "a date");
                cell_date(d).map(|d| d.to_string()).or_else(|| cell_text(d))
            }
            Data::Int(_) | Data::Float(_) => {
                turned_into(diags, &place, c, "a number");
                cell_text(d)
            }
            Data::Bool(b) => {
                turned_into(diags, &place, c, "TRUE or FALSE");
                Some(if *b { "TRUE" } else { "FALSE" }.to_string())
            }
            other => cell_text(other),
        };
        if let Some(v) = &value {
            refuse_control_characters(diags, &place, v);
            personal_data(diags, &place, c, v, scanner);
        }
        value
    }
}

/// Warns about the cycle's questions with no row, and those with no rating; how many have no
/// row.
fn report_unanswered(
    file: &str,
    cycle: &Cycle,
    fw: &Framework,
    rows: &Rows,
    diags: &mut Diagnostics,
) -> usize {
    let absent: Vec<&str> = cycle
        .questions(fw)
        .filter(|q| !rows.seen.contains_key(&q.id))
        .map(|q| q.id.as_str())
        .collect();
    if !absent.is_empty() {
        diags
            .warning_at(
                Code::Unanswered,
                Location::sheet(file, RETURN_SHEET),
                format!(
                    "{} question(s) of cycle {} have no row: {} (they count as unanswered)",
                    absent.len(),
                    cycle.id,
                    absent.join(", ")
                ),
            )
            .with_help("was a row deleted? `panelaudit forms` writes one row per question");
    }
    if !rows.unanswered.is_empty() {
        diags.warning_at(
            Code::Unanswered,
            Location::sheet(file, RETURN_SHEET),
            format!(
                "{} question(s) have no rating and are left unanswered: {}",
                rows.unanswered.len(),
                rows.unanswered.join(", ")
            ),
        );
    }
    absent.len()
}

/// Warns that a text cell holds a date, a number or TRUE/FALSE: a spreadsheet turns "1/4" or
/// "12-15" into a date as it is typed, and "0044..." into a number, so what is imported may
/// not be what the agency wrote. The value is not shown: it may be someone's date of birth.
fn turned_into(diags: &mut Diagnostics, place: &Location, c: Col, kind: &str) {
    diags
        .warning_at(
            Code::TextTurnedIntoValue,
            place,
            format!(
                "{} holds {kind}, not text: it is imported as text, but check it says what the agency wrote",
                c.spec().header
            ),
        )
        .with_help("spreadsheets turn some typing (1/4, 12-15, long numbers) into dates or numbers; format the column as Text and type the answer again");
}

/// Refuses a text cell holding a control character (other than tab and line breaks): `check`
/// refuses it in a return (PA0106), and a workbook can carry one written as `_x001B_`.
fn refuse_control_characters(diags: &mut Diagnostics, place: &Location, value: &str) {
    if let Some(c) = value
        .chars()
        .find(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
    {
        diags
            .error_at(
                Code::ControlCharacter,
                place,
                format!(
                    "control character U+{:04X} is not allowed in text (a spreadsheet file writes it `_x{:04X}_`)",
                    c as u32, c as u32
                ),
            )
            .with_help("retype the cell's text; it may have come from copying out of another program");
    }
}

/// Warns, masked, about what the publication scan flags in a text cell: returns are read
/// across every agency of the partnership and should carry no child's identifiers.
fn personal_data(
    diags: &mut Diagnostics,
    place: &Location,
    c: Col,
    value: &str,
    scanner: &Scanner,
) {
    for f in scanner.scan_text(value) {
        diags
            .warning_at(
                Code::PersonalDataInReturn,
                place,
                format!(
                    "{} holds what looks like {} ({}): returns are read across every agency and should carry no child's identifiers",
                    c.spec().header,
                    f.kind.describe(),
                    mask(&value[f.start..f.end])
                ),
            )
            .with_help("remove it, or refer to the case by its audit reference; if it is safe to share (the partnership's own contact), add it to `allow` under [publication] in partnership.toml");
    }
}

/// Refuses a cell holding a formula, showing the formula when the file spells it out.
fn refuse_formula(diags: &mut Diagnostics, place: Location, formula: &str, instead: &str) {
    let shown = if formula.is_empty() {
        "the cell holds a formula".to_string()
    } else {
        format!("the cell holds ={formula}")
    };
    diags
        .error_at(Code::WorkbookFormula, place, format!("a formula; {instead}"))
        .with_help(format!(
            "{shown}, and a formula's result is not an answer: copy the cell and paste it back with Paste Special > Values, or type the answer over it"
        ));
}

fn scale_list(fw: &Framework) -> String {
    let levels: Vec<String> = fw
        .scale
        .iter()
        .map(|s| format!("{} {}", s.value, s.label))
        .collect();
    format!("{}, or n/a", levels.join(", "))
}

/// Why a rating or confidence cell is not one: the message of the diagnostic at the cell.
#[derive(Debug, thiserror::Error)]
enum CellError {
    /// `shown` as the cell had it; `scale` the scale's levels, listed.
    #[error("rating {shown} is not on the scale ({scale})")]
    OffScale { shown: String, scale: String },
    #[error("rating must be a value on the scale ({scale}), found {found}")]
    RatingNotAValue { scale: String, found: String },
    #[error("confidence {0:?} is not one of low, medium, high")]
    UnknownConfidence(String),
    #[error("confidence must be low, medium or high, found {0}")]
    ConfidenceNotText(String),
}

/// A rating cell: 2, 2.0, "2", "2 - Reasonable assurance" or "n/a" (any case).
fn parse_rating(d: &Data, fw: &Framework) -> Result<Rating, CellError> {
    let off_scale = |shown: String| CellError::OffScale {
        shown,
        scale: scale_list(fw),
    };
    let on_scale = |v: f64, shown: String| Rating::on_scale(v, fw).ok_or_else(|| off_scale(shown));
    match d {
        Data::Int(i) => on_scale(*i as f64, i.to_string()),
        Data::Float(f) => on_scale(*f, f.to_string()),
        Data::String(s) => {
            let t = s.split_whitespace().collect::<Vec<_>>().join(" ");
            let shown = format!("{:?}", s.trim());
            if Rating::is_not_applicable_text(&t) {
                return Ok(Rating::NotApplicable);
            }
            if let Ok(v) = t.parse::<f64>() {
                return on_scale(v, shown);
            }
            // "2 - Reasonable assurance": the number and its own label, as in the drop-down.
            let digits: String = t.chars().take_while(char::is_ascii_digit).collect();
            let rest = t[digits.len()..].trim_start();
            if let (Ok(v), Some(label)) = (
                digits.parse::<u32>(),
                rest.strip_prefix(['-', '–', '—', ':']).map(str::trim),
            ) && fw.level(v).is_some_and(|l| {
                l.label
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
                    .eq_ignore_ascii_case(label)
            }) {
                return Ok(Rating::Value(v));
            }
            Err(off_scale(shown))
        }
        other => Err(CellError::RatingNotAValue {
            scale: scale_list(fw),
            found: describe(other),
        }),
    }
}

fn parse_confidence(d: &Data) -> Result<Confidence, CellError> {
    match d {
        Data::String(s) => Confidence::parse(&s.trim().to_lowercase())
            .ok_or_else(|| CellError::UnknownConfidence(s.trim().to_string())),
        other => Err(CellError::ConfidenceNotText(describe(other))),
    }
}

#[cfg(test)]
mod tests;
