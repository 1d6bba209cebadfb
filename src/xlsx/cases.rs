//! The case audit's recording workbook: `panelaudit pack` writes it, `panelaudit import` reads
//! it back into `cases/<ref>.toml`.
//!
//! - **About**: label in column A, value in column B, as in a return (so `import` finds the
//!   cycle the same way), with "Workbook" = "Case audit record" telling the two kinds apart.
//! - **Cases**: a header row, then one row per case and question in the cycle's scope. The
//!   question columns are locked; judgement (a drop-down), age band (a drop-down), the agencies,
//!   the audit date and the notes are the table's to fill in. Case-level values (age band,
//!   agencies, date) may be written on any of the case's rows; different values for one case
//!   are an error.

use crate::diag::{Code, Diagnostics, Location};
use crate::model::{AgeBand, Audit, CaseRecord, Cycle, Date, Framework, Judgement, Question};
use crate::scan::{Scanner, mask};
use crate::xlsx::read::{self, Sheet, cell_text, describe, is_blank};
use crate::xlsx::returns::cell_date;
use crate::xlsx::{ABOUT_LABEL_COL, ABOUT_SHEET, ABOUT_VALUE_COL, cell_ref, normalize_label};
use calamine::Data;
use rust_xlsxwriter::{
    Color, DataValidation, DataValidationErrorStyle, DataValidationRule, DocProperties,
    ExcelDateTime, Format, FormatAlign, FormatBorder, ProtectionOptions, Workbook, Worksheet,
    XlsxError,
};
use std::collections::BTreeMap;
use std::path::Path;

pub const CASES_SHEET: &str = "Cases";
/// The About sheet's "Workbook" value that marks a case audit record.
pub const WORKBOOK_KIND: &str = "Case audit record";
pub const CASE_FORM_VERSION: u32 = 1;
/// Blank grids in a pack when the cycle has no case records yet and `--cases` is not given.
pub const DEFAULT_BLANK_CASES: usize = 8;
pub use crate::limits::MAX_CASES;

const JUDGEMENTS: [&str; 4] = ["met", "partly", "not-met", "n/a"];

/// A column of the Cases sheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum CaseCol {
    Ref,
    AgeBand,
    Agencies,
    AuditedOn,
    QuestionId,
    Question,
    Judgement,
    Differed,
    GoodPractice,
    Learning,
    Internal,
}

/// (column, header, width, filled in by the table)
pub const CASE_COLUMNS: [(CaseCol, &str, f64, bool); 11] = [
    (CaseCol::Ref, "Case ref", 9.0, true),
    (CaseCol::AgeBand, "Age band", 10.0, true),
    (CaseCol::Agencies, "Agencies involved", 18.0, true),
    (CaseCol::AuditedOn, "Audited on", 12.0, true),
    (CaseCol::QuestionId, "Question id", 10.0, false),
    (CaseCol::Question, "Question", 40.0, false),
    (CaseCol::Judgement, "Judgement", 11.0, true),
    (
        CaseCol::Differed,
        "Agencies whose practice differed",
        20.0,
        true,
    ),
    (CaseCol::GoodPractice, "Good practice", 28.0, true),
    (CaseCol::Learning, "Learning", 28.0, true),
    (CaseCol::Internal, "Internal note", 24.0, true),
];

impl CaseCol {
    pub fn index(self) -> u16 {
        CASE_COLUMNS
            .iter()
            .position(|c| c.0 == self)
            .unwrap_or_default() as u16
    }

    pub fn header(self) -> &'static str {
        CASE_COLUMNS[usize::from(self.index())].1
    }

    fn from_header(text: &str) -> Option<CaseCol> {
        let t = normalize_label(text);
        CASE_COLUMNS
            .iter()
            .find(|c| normalize_label(c.1) == t)
            .map(|c| c.0)
    }
}

/// The case refs a pack records: the cycle's own cases, else (or with `--cases`) `blank` new
/// ones (C01, C02... after any the cycle has).
pub fn pack_refs(cycle: &Cycle, blank: Option<usize>) -> Vec<String> {
    if !cycle.cases.is_empty() && blank.is_none() {
        return cycle.cases.iter().map(|c| c.reference.clone()).collect();
    }
    // New grids never take an existing case's ref, so they stay blank and import beside it.
    let n = blank.unwrap_or(DEFAULT_BLANK_CASES).clamp(1, MAX_CASES);
    let taken = |r: &str| {
        cycle
            .cases
            .iter()
            .any(|c| c.reference.eq_ignore_ascii_case(r))
    };
    (1..)
        .map(|i| format!("C{i:02}"))
        .filter(|r| !taken(r))
        .take(n)
        .collect()
}

/// The recording workbook as .xlsx bytes; the same input gives the same bytes. Existing case
/// records pre-fill it.
pub fn workbook(
    audit: &Audit,
    cycle: &Cycle,
    fw: &Framework,
    refs: &[String],
) -> Result<Vec<u8>, super::form::FormError> {
    Ok(build(audit, cycle, fw, refs)?)
}

/// The cell formats the workbook uses: locked grey cells to read, white ones to fill in.
struct Formats {
    text: Format,
    header: Format,
    locked: Format,
    input: Format,
    input_date: Format,
    bold: Format,
}

impl Formats {
    fn new() -> Formats {
        let border = |f: Format| {
            f.set_border(FormatBorder::Thin)
                .set_border_color(Color::RGB(0xB1B4B6))
        };
        let text = Format::new().set_align(FormatAlign::Top).set_text_wrap();
        let header = border(text.clone().set_bold().set_background_color(0xDEE0E2));
        let locked = border(text.clone().set_background_color(0xF3F2F1));
        let input = border(text.clone().set_unlocked());
        let input_date = input.clone().set_num_format("d mmmm yyyy");
        let bold = text.clone().set_bold();
        Formats {
            text,
            header,
            locked,
            input,
            input_date,
            bold,
        }
    }
}

fn build(
    audit: &Audit,
    cycle: &Cycle,
    fw: &Framework,
    refs: &[String],
) -> Result<Vec<u8>, XlsxError> {
    let formats = Formats::new();
    let mut wb = Workbook::new();
    let opened = ExcelDateTime::from_ymd(cycle.opened.year, cycle.opened.month, cycle.opened.day)?;
    wb.set_properties(
        &DocProperties::new()
            .set_title(format!("Case audit record: {} ({})", cycle.title, cycle.id))
            .set_company(audit.partnership.name.clone())
            .set_comment(format!(
                "Made by panelaudit pack; form version {CASE_FORM_VERSION}"
            ))
            .set_creation_datetime(&opened),
    );
    about_sheet(&mut wb, audit, cycle, fw, &formats)?;
    cases_sheet(&mut wb, cycle, fw, refs, &formats)?;
    wb.save_to_buffer()
}

/// The About sheet: what the workbook is (import reads it back from here) and how to fill it in.
fn about_sheet(
    wb: &mut Workbook,
    audit: &Audit,
    cycle: &Cycle,
    fw: &Framework,
    formats: &Formats,
) -> Result<(), XlsxError> {
    let about = wb.add_worksheet().set_name(ABOUT_SHEET)?;
    about.set_column_width(0, 22)?;
    about.set_column_width(1, 60)?;
    about.write_string_with_format(
        0,
        0,
        "Case audit record",
        &Format::new().set_bold().set_font_size(16),
    )?;
    let rows: [(&str, String); 6] = [
        ("Workbook", WORKBOOK_KIND.to_string()),
        ("Partnership", audit.partnership.name.clone()),
        ("Cycle id", cycle.id.clone()),
        ("Cycle", cycle.title.clone()),
        ("Framework id", fw.id.clone()),
        ("Form version", CASE_FORM_VERSION.to_string()),
    ];
    for (i, (label, value)) in rows.iter().enumerate() {
        let r = 2 + i as u32;
        about.write_string_with_format(r, ABOUT_LABEL_COL, *label, &formats.bold)?;
        about.write_string_with_format(r, ABOUT_VALUE_COL, value, &formats.text)?;
    }
    let help = [
        "One row per case and question. Choose the table's agreed judgement: met, partly, not-met or n/a.",
        "Case ref: a short code such as C03, never a name, date of birth or record number.",
        "Agencies: ids separated by commas (as in partnership.toml). Differed: e.g. \"police: not-met\".",
        "Notes are internal: they never reach the public site. Import with `panelaudit import DIR FILE`.",
    ];
    for (i, h) in help.iter().enumerate() {
        about.write_string_with_format(10 + i as u32, 0, *h, &Format::new())?;
    }
    about.protect_with_options(&ProtectionOptions::default());
    Ok(())
}

/// The Cases sheet: a row per case and question, pre-filled from the case's record when it has
/// one, with drop-downs for the judgement, age band and date, set to print landscape on A4.
fn cases_sheet(
    wb: &mut Workbook,
    cycle: &Cycle,
    fw: &Framework,
    refs: &[String],
    formats: &Formats,
) -> Result<(), XlsxError> {
    let ws = wb.add_worksheet().set_name(CASES_SHEET)?;
    for (i, (_, title, width, _)) in CASE_COLUMNS.iter().enumerate() {
        ws.set_column_width(i as u16, *width)?;
        ws.write_string_with_format(0, i as u16, *title, &formats.header)?;
    }
    let questions: Vec<_> = cycle.questions(fw).collect();
    let mut row = 1u32;
    for r in refs {
        let existing: Option<&CaseRecord> = cycle.cases.iter().find(|c| &c.reference == r);
        for q in &questions {
            case_row(ws, row, r, q, existing, formats)?;
            ws.set_row_height(row, 48)?;
            row += 1;
        }
    }
    if row > 1 {
        drop_downs(ws, row - 1)?;
    }
    ws.set_freeze_panes(1, 1)?;
    ws.set_repeat_rows(0, 0)?;
    ws.set_paper_size(9);
    ws.set_landscape();
    ws.set_print_fit_to_pages(1, 0);
    ws.protect_with_options(&ProtectionOptions {
        format_columns: true,
        format_rows: true,
        ..ProtectionOptions::default()
    });
    Ok(())
}

/// One case and question's row.
fn case_row(
    ws: &mut Worksheet,
    row: u32,
    r: &str,
    q: &Question,
    existing: Option<&CaseRecord>,
    formats: &Formats,
) -> Result<(), XlsxError> {
    for (col, _, _, is_input) in CASE_COLUMNS {
        let c = col.index();
        if col == CaseCol::AuditedOn {
            match existing {
                Some(k) => {
                    let d = ExcelDateTime::from_ymd(
                        k.audited_on.year,
                        k.audited_on.month,
                        k.audited_on.day,
                    )?;
                    ws.write_datetime_with_format(row, c, &d, &formats.input_date)?;
                }
                None => {
                    ws.write_blank(row, c, &formats.input_date)?;
                }
            }
            continue;
        }
        let fmt = if is_input {
            &formats.input
        } else {
            &formats.locked
        };
        match cell_value(col, r, q, existing) {
            Some(v) => ws.write_string_with_format(row, c, v, fmt)?,
            None => ws.write_blank(row, c, fmt)?,
        };
    }
    Ok(())
}

/// What a row's cell in `col` starts with: the case's and question's own, and what the case's
/// record already says.
fn cell_value(
    col: CaseCol,
    r: &str,
    q: &Question,
    existing: Option<&CaseRecord>,
) -> Option<String> {
    let f = existing.and_then(|c| c.findings.get(&q.id));
    match col {
        CaseCol::Ref => Some(r.to_string()),
        CaseCol::AgeBand => existing
            .and_then(|c| c.age_band)
            .map(|b| b.as_str().to_string()),
        CaseCol::Agencies => existing
            .map(|c| c.agencies.join(", "))
            .filter(|s| !s.is_empty()),
        CaseCol::AuditedOn => None,
        CaseCol::QuestionId => Some(q.id.clone()),
        CaseCol::Question => Some(q.text.clone()),
        CaseCol::Judgement => f.map(|f| f.judgement.as_str().to_string()),
        CaseCol::Differed => f
            .map(|f| {
                f.by_agency
                    .iter()
                    .map(|(a, j)| format!("{a}: {j}"))
                    .collect::<Vec<_>>()
                    .join("; ")
            })
            .filter(|s| !s.is_empty()),
        CaseCol::GoodPractice => f.and_then(|f| f.good_practice.clone()),
        CaseCol::Learning => f.and_then(|f| f.learning.clone()),
        CaseCol::Internal => f.and_then(|f| f.internal.clone()),
    }
}

/// Drop-down lists over rows 2 to `last`: the judgements, the age bands, and dates.
fn drop_downs(ws: &mut Worksheet, last: u32) -> Result<(), XlsxError> {
    let j = CaseCol::Judgement.index();
    let list = DataValidation::new()
        .allow_list_strings(&JUDGEMENTS)?
        .set_error_title("Choose a judgement")?
        .set_error_message(
            "met, partly, not-met, or n/a when the question does not apply to the case",
        )?
        .set_error_style(DataValidationErrorStyle::Stop);
    ws.add_data_validation(1, j, last, j, &list)?;
    let bands: Vec<&str> = AgeBand::ALL.iter().map(|b| b.as_str()).collect();
    let a = CaseCol::AgeBand.index();
    let list = DataValidation::new()
        .allow_list_strings(&bands)?
        .set_error_style(DataValidationErrorStyle::Stop);
    ws.add_data_validation(1, a, last, a, &list)?;
    let d = CaseCol::AuditedOn.index();
    let dates = DataValidation::new().allow_date(DataValidationRule::Between(
        ExcelDateTime::from_ymd(2000, 1, 1)?,
        ExcelDateTime::from_ymd(2099, 12, 31)?,
    ));
    ws.add_data_validation(1, d, last, d, &dates)?;
    Ok(())
}

/// Whether a workbook's About sheet says it is a case audit record.
pub fn is_case_workbook(path: &Path) -> bool {
    let Ok(book) = read::read(path, &[ABOUT_SHEET]) else {
        return false;
    };
    book.sheet(ABOUT_SHEET)
        .and_then(|s| about_value(s, "Workbook"))
        .is_some_and(|(_, v)| normalize_label(&v) == normalize_label(WORKBOOK_KIND))
}

fn about_value(sheet: &Sheet, label: &str) -> Option<(u32, String)> {
    sheet
        .rows()
        .into_iter()
        .find_map(|row| match sheet.get(row, ABOUT_LABEL_COL) {
            Some(Data::String(l)) if normalize_label(l) == normalize_label(label) => {
                Some((row, sheet.get(row, ABOUT_VALUE_COL).and_then(cell_text)?))
            }
            _ => None,
        })
}

/// One case as read from a workbook, ready to be written as `cases/<ref>.toml`.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseData {
    pub reference: String,
    pub age_band: Option<String>,
    pub agencies: Vec<String>,
    pub audited_on: Date,
    /// By question id: judgement, by_agency, good_practice, learning, internal.
    pub findings: BTreeMap<String, FindingData>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct FindingData {
    pub judgement: String,
    pub by_agency: BTreeMap<String, String>,
    pub good_practice: Option<String>,
    pub learning: Option<String>,
    pub internal: Option<String>,
}

/// One case as its rows give it, before the case-level values are agreed.
#[derive(Default)]
struct Partial {
    first_row: u32,
    /// Case-level values, each with the row that gives it: every row may repeat them.
    age_band: Vec<(u32, String)>,
    agencies: Vec<(u32, String)>,
    audited_on: Vec<(u32, Date)>,
    /// A date cell was refused already: no second message about a missing date.
    bad_date: bool,
    findings: BTreeMap<String, (u32, FindingData)>,
}

/// Where a workbook's problems are placed, and what its columns are.
struct Place<'a> {
    file: &'a str,
    cols: BTreeMap<CaseCol, u16>,
}

impl Place<'_> {
    fn col(&self, c: CaseCol) -> u16 {
        self.cols.get(&c).copied().unwrap_or(0)
    }

    fn at(&self, row: u32, c: CaseCol) -> Location {
        Location::cell(self.file, CASES_SHEET, cell_ref(row, self.col(c)))
    }
}

/// Reads and checks one case workbook; every problem names its sheet and cell. None when it
/// cannot be imported.
pub fn read_cases(
    path: &Path,
    audit: &Audit,
    cycle: &Cycle,
    fw: &Framework,
    scanner: &Scanner,
    diags: &mut Diagnostics,
) -> Option<Vec<CaseData>> {
    let file = crate::source::display_path(path);
    let book = match read::read(path, &[ABOUT_SHEET, CASES_SHEET]) {
        Ok(b) => b,
        Err(e) => {
            diags.path_error(Code::Unreadable, &file, e.to_string());
            return None;
        }
    };
    let before = diags.error_count();
    check_about(&file, book.sheet(ABOUT_SHEET)?, cycle, diags);
    let Some(sheet) = book.sheet(CASES_SHEET) else {
        diags.path_error(
            Code::WorkbookShape,
            &file,
            format!(
                "no {CASES_SHEET} sheet (the workbook's sheets: {})",
                book.sheet_names.join(", ")
            ),
        );
        return None;
    };
    let place = Place {
        file: &file,
        cols: header_columns(&file, sheet, diags)?,
    };
    let agencies_ok: Vec<&str> = cycle
        .agencies(&audit.partnership)
        .map(|a| a.id.as_str())
        .collect();
    let reading = Reading {
        sheet,
        place: &place,
        cycle,
        fw,
        scanner,
        agencies_ok: &agencies_ok,
    };
    let mut cases: BTreeMap<String, Partial> = BTreeMap::new();
    for row in sheet.rows_with_formulas() {
        if row > 0 {
            reading.row(row, &mut cases, diags);
        }
    }
    let out = cases
        .into_iter()
        .filter_map(|(reference, p)| {
            finish_case(
                &place,
                (cycle.opened, cycle.closed),
                &agencies_ok,
                reference,
                p,
                diags,
            )
        })
        .collect();
    (diags.error_count() == before).then_some(out)
}

/// The About sheet names this cycle, its bank and a form version this panelaudit reads.
fn check_about(file: &str, about: &Sheet, cycle: &Cycle, diags: &mut Diagnostics) {
    let at_about = |row: u32| Location::cell(file, ABOUT_SHEET, cell_ref(row, ABOUT_VALUE_COL));
    match about_value(about, "Cycle id") {
        Some((_, id)) if id == cycle.id => {}
        Some((row, id)) => {
            diags
                .error_at(
                    Code::WorkbookMismatch,
                    at_about(row),
                    format!("this case record is for cycle {id}, but it is being imported into cycle {}", cycle.id),
                )
                .with_help("import it with --cycle set to its own cycle, or without --cycle");
        }
        None => {
            diags.error_at(
                Code::WorkbookShape,
                Location::sheet(file, ABOUT_SHEET),
                "no \"Cycle id\" row",
            );
        }
    }
    match about_value(about, "Framework id") {
        Some((row, id)) if id != cycle.framework => {
            diags.error_at(
                Code::WorkbookMismatch,
                at_about(row),
                format!(
                    "this record asks the questions of framework `{id}`, but cycle {} uses `{}`",
                    cycle.id, cycle.framework
                ),
            );
        }
        _ => {}
    }
    if let Some((row, v)) = about_value(about, "Form version")
        && v.parse::<u32>()
            .map_or(true, |n| n == 0 || n > CASE_FORM_VERSION)
    {
        diags.error_at(
            Code::WorkbookShape,
            at_about(row),
            format!(
                "form version \"{v}\" is not one this panelaudit reads (up to {CASE_FORM_VERSION})"
            ),
        );
    }
}

/// The header row's columns, or None (reported) when one import needs is missing.
fn header_columns(
    file: &str,
    sheet: &Sheet,
    diags: &mut Diagnostics,
) -> Option<BTreeMap<CaseCol, u16>> {
    let mut cols: BTreeMap<CaseCol, u16> = BTreeMap::new();
    for (c, d) in sheet.row(0) {
        if let Some(col) = cell_text(d).and_then(|t| CaseCol::from_header(&t)) {
            cols.entry(col).or_insert(c);
        }
    }
    for need in [CaseCol::Ref, CaseCol::QuestionId, CaseCol::Judgement] {
        if !cols.contains_key(&need) {
            diags
                .error_at(
                    Code::WorkbookShape,
                    Location::cell(file, CASES_SHEET, cell_ref(0, 0)),
                    format!("the header row has no \"{}\" column", need.header()),
                )
                .with_help("keep the headers of the workbook `panelaudit pack` made");
            return None;
        }
    }
    Some(cols)
}

/// What reading the Cases sheet row by row needs.
struct Reading<'a> {
    sheet: &'a Sheet,
    place: &'a Place<'a>,
    cycle: &'a Cycle,
    fw: &'a Framework,
    scanner: &'a Scanner,
    agencies_ok: &'a [&'a str],
}

impl Reading<'_> {
    fn get(&self, row: u32, c: CaseCol) -> Option<&Data> {
        self.place
            .cols
            .get(&c)
            .and_then(|&c| self.sheet.get(row, c))
            .filter(|d| !is_blank(d))
    }

    fn text(&self, row: u32, c: CaseCol) -> Option<String> {
        self.get(row, c).and_then(cell_text)
    }

    /// One row: its case's values, and its judgement of one question.
    fn row(&self, row: u32, cases: &mut BTreeMap<String, Partial>, diags: &mut Diagnostics) {
        let place = self.place;
        let formulas: Vec<u16> = place
            .cols
            .values()
            .copied()
            .filter(|&c| self.sheet.formula(row, c).is_some())
            .collect();
        if !formulas.is_empty() {
            for c in formulas {
                diags
                    .error_at(
                        Code::WorkbookFormula,
                        Location::cell(place.file, CASES_SHEET, cell_ref(row, c)),
                        "a formula, not a value",
                    )
                    .with_help("type the value itself");
            }
            return;
        }
        let judgement = self.text(row, CaseCol::Judgement);
        let Some(reference) = self.text(row, CaseCol::Ref) else {
            if judgement.is_some() {
                diags.error_at(
                    Code::EmptyText,
                    place.at(row, CaseCol::Ref),
                    "a judgement without a case ref",
                );
            }
            return;
        };
        if let Some(problem) = crate::validate::case::reference_problem(&reference) {
            diags
                .error_at(
                    Code::CaseReference,
                    place.at(row, CaseCol::Ref),
                    format!("the case reference {problem}"),
                )
                .with_help(
                    "use a short code such as C03, never a name, date of birth or record number",
                );
            return;
        }
        let case = cases.entry(reference.clone()).or_insert_with(|| Partial {
            first_row: row,
            ..Partial::default()
        });
        self.case_values(row, case, diags);
        let Some(qid) = self.text(row, CaseCol::QuestionId) else {
            return;
        };
        if !self
            .fw
            .question(&qid)
            .is_some_and(|q| self.cycle.in_scope(q))
        {
            diags.error_at(
                Code::NotInScope,
                place.at(row, CaseCol::QuestionId),
                format!("question `{qid}` is not one this cycle asks"),
            );
            return;
        }
        let Some(finding) = judgement.and_then(|j| self.finding(row, &j, diags)) else {
            return;
        };
        if let Some((r0, _)) = case.findings.get(&qid) {
            diags.error_at(
                Code::DuplicateId,
                place.at(row, CaseCol::QuestionId),
                format!(
                    "case {reference} judges `{qid}` twice (first on row {})",
                    r0 + 1
                ),
            );
            return;
        }
        case.findings.insert(qid, (row, finding));
    }

    /// Age band, agencies and audit date as this row gives them (agreed in `finish_case`).
    fn case_values(&self, row: u32, case: &mut Partial, diags: &mut Diagnostics) {
        if let Some(v) = self.text(row, CaseCol::AgeBand) {
            case.age_band.push((row, v));
        }
        if let Some(v) = self.text(row, CaseCol::Agencies) {
            case.agencies.push((row, v));
        }
        if let Some(d) = self.get(row, CaseCol::AuditedOn) {
            match cell_date(d) {
                Some(date) => case.audited_on.push((row, date)),
                None => {
                    case.bad_date = true;
                    diags
                        .error_at(
                            Code::BadDate,
                            self.place.at(row, CaseCol::AuditedOn),
                            format!("audited on: {} is not a date", describe(d)),
                        )
                        .with_help("type the date of the audit, e.g. 10/02/2026 or 2026-02-10");
                }
            }
        }
    }

    /// The row's judgement, the agencies whose practice differed and its notes; None when the
    /// judgement is not one of the four (reported).
    fn finding(&self, row: u32, judgement: &str, diags: &mut Diagnostics) -> Option<FindingData> {
        let place = self.place;
        let j = judgement.to_lowercase().replace(' ', "-");
        if Judgement::parse(&j).is_none() {
            diags
                .error_at(
                    Code::WorkbookValue,
                    place.at(row, CaseCol::Judgement),
                    format!("judgement \"{j}\" is not one of met, partly, not-met, n/a"),
                )
                .with_help("choose from the drop-down");
            return None;
        }
        let mut finding = FindingData {
            judgement: j,
            ..FindingData::default()
        };
        if let Some(differed) = self.text(row, CaseCol::Differed) {
            finding.by_agency = self.differed(row, &differed, diags);
        }
        finding.good_practice = self.text(row, CaseCol::GoodPractice);
        finding.learning = self.text(row, CaseCol::Learning);
        finding.internal = self.text(row, CaseCol::Internal);
        for (c, t) in [
            (CaseCol::GoodPractice, &finding.good_practice),
            (CaseCol::Learning, &finding.learning),
            (CaseCol::Internal, &finding.internal),
        ] {
            if let Some(t) = t
                && !self.scanner.scan_text(t).is_empty()
            {
                diags
                    .warning_at(
                        Code::PersonalDataInReturn,
                        place.at(row, c),
                        "looks like personal data (a date of birth, an NHS number, a name, an address or a contact): case notes are read across agencies",
                    )
                    .with_help("describe the practice, not the child");
            }
        }
        Some(finding)
    }

    /// "police: not-met; council: partly" read into agency -> judgement, each part checked.
    fn differed(
        &self,
        row: u32,
        differed: &str,
        diags: &mut Diagnostics,
    ) -> BTreeMap<String, String> {
        let at = self.place.at(row, CaseCol::Differed);
        let mut out = BTreeMap::new();
        for part in differed
            .split([';', '\n'])
            .map(str::trim)
            .filter(|p| !p.is_empty())
        {
            let (a, j) = part
                .split_once(':')
                .map_or((part, ""), |(a, b)| (a.trim(), b.trim()));
            let j = j.to_lowercase().replace(' ', "-");
            if !self.agencies_ok.contains(&a) {
                not_an_agency(
                    diags,
                    &at,
                    a,
                    self.agencies_ok,
                    "named as practice that differed",
                );
                continue;
            }
            if Judgement::parse(&j).is_none() {
                diags
                    .error_at(
                        Code::WorkbookValue,
                        at.clone(),
                        format!("practice of `{a}` differed, but \"{j}\" is not one of met, partly, not-met, n/a"),
                    )
                    .with_help(format!("write e.g. \"{a}: not-met\""));
                continue;
            }
            out.insert(a.to_string(), j);
        }
        out
    }
}

/// An agency id as a message may show it: an id as it is (ids are never personal), anything
/// else, which may be a person's name typed into the cell, masked.
fn shown(value: &str) -> String {
    if crate::validate::is_valid_id(value) {
        format!("`{value}`")
    } else {
        format!("\"{}\"", mask(value))
    }
}

fn not_an_agency(diags: &mut Diagnostics, at: &Location, a: &str, ok: &[&str], role: &str) {
    let d = diags.error_at(
        Code::WorkbookValue,
        at.clone(),
        format!(
            "{} is {role}, but is not an agency taking part in this cycle",
            shown(a)
        ),
    );
    match crate::diag::suggest(a, ok.iter().copied()) {
        Some(s) => d.with_help(format!("{s} (this cycle's agencies: {})", ok.join(", "))),
        None => d.with_help(format!(
            "write e.g. \"police: not-met\"; this cycle's agencies: {}",
            ok.join(", ")
        )),
    };
}

/// The value most of a case's rows give (the first row's among equals), and each row that
/// gives another: the row that is wrong is the one named, never the rows that agree.
fn consensus<T: Clone>(given: &[(u32, T)], key: impl Fn(&T) -> String) -> Option<(T, Vec<u32>)> {
    let mut counts: Vec<(String, usize, &T)> = Vec::new();
    for (_, v) in given {
        let k = key(v);
        match counts.iter_mut().find(|(x, ..)| *x == k) {
            Some(entry) => entry.1 += 1,
            None => counts.push((k, 1, v)),
        }
    }
    let most = counts.iter().map(|c| c.1).max()?;
    let (winner, _, value) = counts.iter().find(|c| c.1 == most)?;
    let dissent = given
        .iter()
        .filter(|(_, v)| &key(v) != winner)
        .map(|(r, _)| *r)
        .collect();
    Some(((*value).clone(), dissent))
}

/// Rows (0-based) as a spreadsheet numbers them: "rows 2 to 6", "rows 2, 4 and 7", "row 3".
fn row_list(rows: &[u32]) -> String {
    let shown: Vec<u32> = rows.iter().map(|r| r + 1).collect();
    match shown.as_slice() {
        [one] => format!("row {one}"),
        [first, .., last] if shown.windows(2).all(|w| w[1] == w[0] + 1) => {
            format!("rows {first} to {last}")
        }
        [init @ .., last] => {
            let init: Vec<String> = init.iter().map(u32::to_string).collect();
            format!("rows {} and {last}", init.join(", "))
        }
        [] => String::new(),
    }
}

/// Agrees one case-level value (age band, agencies or date) over the case's rows, reporting
/// each row that differs from the rest.
fn agree<T: Clone>(
    place: &Place<'_>,
    reference: &str,
    col: CaseCol,
    given: &[(u32, T)],
    key: impl Fn(&T) -> String,
    diags: &mut Diagnostics,
) -> Option<(u32, T)> {
    let (value, dissent) = consensus(given, &key)?;
    let agreeing: Vec<u32> = given
        .iter()
        .filter(|(r, _)| !dissent.contains(r))
        .map(|(r, _)| *r)
        .collect();
    for row in &dissent {
        diags
            .error_at(
                Code::WorkbookValue,
                place.at(*row, col),
                format!(
                    "case {reference}: \"{}\" here differs from {} of the same case",
                    col.header(),
                    row_list(&agreeing)
                ),
            )
            .with_help("a case has one value: write the same on every row of the case, or leave the other rows blank");
    }
    agreeing.first().map(|r| (*r, value))
}

/// A case is audited within its cycle's dates (or a little either side), as `check` requires:
/// a date a spreadsheet read month first (12/01 as 1 December) is caught here, by its cell.
fn audit_date(
    place: &Place<'_>,
    reference: &str,
    row: u32,
    d: Date,
    (opened, closed): (Date, Date),
    diags: &mut Diagnostics,
) {
    use crate::validate::case::AUDIT_DATE_SLACK_DAYS as SLACK;
    if d < opened.add_days(-SLACK) || d > closed.add_days(SLACK) {
        diags
            .error_at(
                Code::DateOrder,
                place.at(row, CaseCol::AuditedOn),
                format!("case {reference}: audited on {d}, far outside the cycle ({opened} to {closed})"),
            )
            .with_help(format!("a case is audited within the cycle's dates (or up to {SLACK} days either side); is the day and month the right way round? type the date as 2026-02-10"));
    }
}

/// The agencies a case's "Agencies" cell lists, each checked against the partnership's.
fn involved(
    place: &Place<'_>,
    reference: &str,
    listed: Option<&(u32, String)>,
    agencies_ok: &[&str],
    diags: &mut Diagnostics,
) -> Vec<String> {
    let mut agencies = Vec::new();
    if let Some((row, list)) = listed {
        for a in list
            .split([',', ';', '\n'])
            .map(str::trim)
            .filter(|a| !a.is_empty())
        {
            if agencies_ok.contains(&a) {
                agencies.push(a.to_string());
            } else {
                let role = format!("listed as involved in case {reference}");
                not_an_agency(
                    diags,
                    &place.at(*row, CaseCol::Agencies),
                    a,
                    agencies_ok,
                    &role,
                );
            }
        }
    }
    agencies
}

/// An error for each agency named as practice that differed but not among those involved.
fn differed_among_involved(
    place: &Place<'_>,
    reference: &str,
    findings: &BTreeMap<String, (u32, FindingData)>,
    agencies: &[String],
    diags: &mut Diagnostics,
) {
    for (row, f) in findings.values() {
        for a in f.by_agency.keys().filter(|a| !agencies.contains(a)) {
            diags
                .error_at(
                    Code::WorkbookValue,
                    place.at(*row, CaseCol::Differed),
                    format!("`{a}` is named as practice that differed, but is not among the agencies involved in case {reference}"),
                )
                .with_help(format!("add `{a}` to \"{}\" if it was involved with the child, or take it out of this cell", CaseCol::Agencies.header()));
        }
    }
}

/// A case from its rows: the agreed age band, agencies and date, each checked, and the
/// agencies whose practice differed checked against those involved.
fn finish_case(
    place: &Place<'_>,
    dates: (Date, Date),
    agencies_ok: &[&str],
    reference: String,
    p: Partial,
    diags: &mut Diagnostics,
) -> Option<CaseData> {
    if p.findings.is_empty() {
        return None;
    }
    let by_text = |s: &String| normalize_label(s);
    let age_band = agree(
        place,
        &reference,
        CaseCol::AgeBand,
        &p.age_band,
        by_text,
        diags,
    );
    let listed = agree(
        place,
        &reference,
        CaseCol::Agencies,
        &p.agencies,
        by_text,
        diags,
    );
    let audited_on = agree(
        place,
        &reference,
        CaseCol::AuditedOn,
        &p.audited_on,
        |d| d.to_string(),
        diags,
    );
    let agencies = involved(place, &reference, listed.as_ref(), agencies_ok, diags);
    differed_among_involved(place, &reference, &p.findings, &agencies, diags);
    if let Some((row, b)) = &age_band
        && AgeBand::parse(b).is_none()
    {
        diags.error_at(
            Code::WorkbookValue,
            place.at(*row, CaseCol::AgeBand),
            format!(
                "case {reference}: age band \"{b}\" is not one of {}",
                AgeBand::expected()
            ),
        );
    }
    if let Some((row, d)) = &audited_on {
        audit_date(place, &reference, *row, *d, dates, diags);
    }
    let Some((_, audited_on)) = audited_on else {
        if !p.bad_date {
            diags
                .error_at(
                    Code::EmptyText,
                    place.at(p.first_row, CaseCol::AuditedOn),
                    format!("case {reference} has judgements but no \"Audited on\" date"),
                )
                .with_help("write the date the table audited the case on one of its rows");
        }
        return None;
    };
    Some(CaseData {
        reference,
        age_band: age_band.map(|(_, b)| b),
        agencies,
        audited_on,
        findings: p.findings.into_iter().map(|(q, (_, f))| (q, f)).collect(),
    })
}

/// A case as `cases/<ref>.toml` text.
pub fn render(c: &CaseData, source: &str) -> String {
    let q = |s: &str| toml::Value::String(s.to_string()).to_string();
    let mut out = format!(
        "# Case audit record, imported from {} by panelaudit import. Internal: never published.\nref = {}\n",
        source.replace('\n', " "),
        q(&c.reference)
    );
    if let Some(b) = &c.age_band {
        out.push_str(&format!("age_band = {}\n", q(b)));
    }
    if !c.agencies.is_empty() {
        let list: Vec<String> = c.agencies.iter().map(|a| q(a)).collect();
        out.push_str(&format!("agencies = [{}]\n", list.join(", ")));
    }
    out.push_str(&format!("audited_on = {}\n", c.audited_on));
    for (qid, f) in &c.findings {
        out.push_str(&format!(
            "\n[findings.{qid}]\njudgement = {}\n",
            q(&f.judgement)
        ));
        if !f.by_agency.is_empty() {
            let parts: Vec<String> = f
                .by_agency
                .iter()
                .map(|(a, j)| format!("{a} = {}", q(j)))
                .collect();
            out.push_str(&format!("by_agency = {{ {} }}\n", parts.join(", ")));
        }
        for (k, v) in [
            ("good_practice", &f.good_practice),
            ("learning", &f.learning),
            ("internal", &f.internal),
        ] {
            if let Some(v) = v {
                out.push_str(&format!("{k} = {}\n", q(v)));
            }
        }
    }
    out
}
