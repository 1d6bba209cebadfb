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

use crate::diag::{Code, Diagnostics};
use crate::model::{AgeBand, Audit, CaseRecord, Cycle, Date, Framework, Judgement};
use crate::scan::{Scanner, mask};
use crate::xlsx::read::{self, Sheet, cell_text, describe, is_blank};
use crate::xlsx::returns::cell_date;
use crate::xlsx::{ABOUT_LABEL_COL, ABOUT_SHEET, ABOUT_VALUE_COL, cell_ref, normalize_label};
use calamine::Data;
use rust_xlsxwriter::{
    Color, DataValidation, DataValidationErrorStyle, DataValidationRule, DocProperties,
    ExcelDateTime, Format, FormatAlign, FormatBorder, ProtectionOptions, Workbook, XlsxError,
};
use std::collections::BTreeMap;
use std::path::Path;

pub const CASES_SHEET: &str = "Cases";
/// The About sheet's "Workbook" value that marks a case audit record.
pub const WORKBOOK_KIND: &str = "Case audit record";
pub const CASE_FORM_VERSION: u32 = 1;
/// Blank grids in a pack when the cycle has no case records yet and `--cases` is not given.
pub const DEFAULT_BLANK_CASES: usize = 8;
pub const MAX_CASES: usize = 200;

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
) -> Result<Vec<u8>, String> {
    build(audit, cycle, fw, refs).map_err(|e| format!("cannot write the workbook: {e}"))
}

fn build(
    audit: &Audit,
    cycle: &Cycle,
    fw: &Framework,
    refs: &[String],
) -> Result<Vec<u8>, XlsxError> {
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
        about.write_string_with_format(r, ABOUT_LABEL_COL, *label, &bold)?;
        about.write_string_with_format(r, ABOUT_VALUE_COL, value, &text)?;
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

    let ws = wb.add_worksheet().set_name(CASES_SHEET)?;
    for (i, (_, title, width, _)) in CASE_COLUMNS.iter().enumerate() {
        ws.set_column_width(i as u16, *width)?;
        ws.write_string_with_format(0, i as u16, *title, &header)?;
    }
    let questions: Vec<_> = cycle.questions(fw).collect();
    let mut row = 1u32;
    for r in refs {
        let existing: Option<&CaseRecord> = cycle.cases.iter().find(|c| &c.reference == r);
        for q in &questions {
            let f = existing.and_then(|c| c.findings.get(&q.id));
            for (col, _, _, is_input) in CASE_COLUMNS {
                let c = col.index();
                let fmt = if is_input { &input } else { &locked };
                let value: Option<String> = match col {
                    CaseCol::Ref => Some(r.clone()),
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
                };
                if col == CaseCol::AuditedOn {
                    match existing {
                        Some(k) => {
                            let d = ExcelDateTime::from_ymd(
                                k.audited_on.year,
                                k.audited_on.month,
                                k.audited_on.day,
                            )?;
                            ws.write_datetime_with_format(row, c, &d, &input_date)?;
                        }
                        None => {
                            ws.write_blank(row, c, &input_date)?;
                        }
                    }
                    continue;
                }
                match value {
                    Some(v) => ws.write_string_with_format(row, c, v, fmt)?,
                    None => ws.write_blank(row, c, fmt)?,
                };
            }
            ws.set_row_height(row, 48)?;
            row += 1;
        }
    }
    if row > 1 {
        let last = row - 1;
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
    wb.save_to_buffer()
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

#[derive(Default)]
struct Partial {
    first_row: u32,
    age_band: Option<(u32, String)>,
    agencies: Option<(u32, String)>,
    audited_on: Option<(u32, Date)>,
    /// A date cell was refused already: no second message about a missing date.
    bad_date: bool,
    findings: BTreeMap<String, (u32, FindingData)>,
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
            diags.path_error(Code::Unreadable, &file, e);
            return None;
        }
    };
    let before = diags.error_count();
    let about = book.sheet(ABOUT_SHEET)?;
    let at_about = |row: u32| format!("{file}: {ABOUT_SHEET}!{}", cell_ref(row, ABOUT_VALUE_COL));
    match about_value(about, "Cycle id") {
        Some((_, id)) if id == cycle.id => {}
        Some((row, id)) => {
            diags
                .path_error(
                    Code::WorkbookMismatch,
                    at_about(row),
                    format!("this case record is for cycle {id}, but it is being imported into cycle {}", cycle.id),
                )
                .with_help("import it with --cycle set to its own cycle, or without --cycle");
        }
        None => {
            diags.path_error(
                Code::WorkbookShape,
                format!("{file}: {ABOUT_SHEET}"),
                "no \"Cycle id\" row",
            );
        }
    }
    match about_value(about, "Framework id") {
        Some((row, id)) if id != cycle.framework => {
            diags.path_error(
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
        diags.path_error(
            Code::WorkbookShape,
            at_about(row),
            format!(
                "form version \"{v}\" is not one this panelaudit reads (up to {CASE_FORM_VERSION})"
            ),
        );
    }
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
    let at = |row: u32, col: u16| format!("{file}: {CASES_SHEET}!{}", cell_ref(row, col));
    let mut cols: BTreeMap<CaseCol, u16> = BTreeMap::new();
    for (c, d) in sheet.row(0) {
        if let Some(col) = cell_text(d).and_then(|t| CaseCol::from_header(&t)) {
            cols.entry(col).or_insert(c);
        }
    }
    for need in [CaseCol::Ref, CaseCol::QuestionId, CaseCol::Judgement] {
        if !cols.contains_key(&need) {
            diags
                .path_error(
                    Code::WorkbookShape,
                    at(0, 0),
                    format!("the header row has no \"{}\" column", need.header()),
                )
                .with_help("keep the headers of the workbook `panelaudit pack` made");
            return None;
        }
    }
    let get = |row: u32, c: CaseCol| {
        cols.get(&c)
            .and_then(|&c| sheet.get(row, c))
            .filter(|d| !is_blank(d))
    };
    let text = |row: u32, c: CaseCol| get(row, c).and_then(cell_text);
    let agencies_ok: Vec<&str> = cycle
        .agencies(&audit.partnership)
        .map(|a| a.id.as_str())
        .collect();
    let mut cases: BTreeMap<String, Partial> = BTreeMap::new();
    for row in sheet.rows_with_formulas() {
        if row == 0 {
            continue;
        }
        let formulas: Vec<u16> = cols
            .values()
            .copied()
            .filter(|&c| sheet.formula(row, c).is_some())
            .collect();
        if !formulas.is_empty() {
            for c in formulas {
                diags
                    .path_error(Code::WorkbookFormula, at(row, c), "a formula, not a value")
                    .with_help("type the value itself");
            }
            continue;
        }
        let col = |c: CaseCol| cols.get(&c).copied().unwrap_or(0);
        let judgement = text(row, CaseCol::Judgement);
        let Some(reference) = text(row, CaseCol::Ref) else {
            if judgement.is_some() {
                diags.path_error(
                    Code::EmptyText,
                    at(row, col(CaseCol::Ref)),
                    "a judgement without a case ref",
                );
            }
            continue;
        };
        if let Some(problem) = crate::validate::case::reference_problem(&reference) {
            diags
                .path_error(
                    Code::CaseReference,
                    at(row, col(CaseCol::Ref)),
                    format!("the case reference {problem}"),
                )
                .with_help(
                    "use a short code such as C03, never a name, date of birth or record number",
                );
            continue;
        }
        let case = cases.entry(reference.clone()).or_insert_with(|| Partial {
            first_row: row,
            ..Partial::default()
        });
        // Case-level values: the same on every row that gives them.
        for (c, slot) in [
            (CaseCol::AgeBand, &mut case.age_band),
            (CaseCol::Agencies, &mut case.agencies),
        ] {
            if let Some(v) = text(row, c) {
                match slot {
                    Some((r0, old)) if normalize_label(old) != normalize_label(&v) => {
                        diags.path_error(
                            Code::WorkbookValue,
                            at(row, col(c)),
                            format!(
                                "case {reference}: \"{}\" differs from row {}",
                                c.header(),
                                *r0 + 1
                            ),
                        );
                    }
                    Some(_) => {}
                    None => *slot = Some((row, v)),
                }
            }
        }
        if let Some(d) = get(row, CaseCol::AuditedOn) {
            match cell_date(d) {
                Some(date) => match case.audited_on {
                    Some((r0, old)) if old != date => {
                        diags.path_error(
                            Code::WorkbookValue,
                            at(row, col(CaseCol::AuditedOn)),
                            format!(
                                "case {reference}: audited on {date}, but row {} says {old}",
                                r0 + 1
                            ),
                        );
                    }
                    Some(_) => {}
                    None => case.audited_on = Some((row, date)),
                },
                None => {
                    diags
                        .path_error(
                            Code::BadDate,
                            at(row, col(CaseCol::AuditedOn)),
                            format!("audited on: {} is not a date", describe(d)),
                        )
                        .with_help("type the date of the audit, e.g. 10/02/2026 or 2026-02-10");
                }
            }
        }
        let Some(qid) = text(row, CaseCol::QuestionId) else {
            continue;
        };
        if !fw.question(&qid).is_some_and(|q| cycle.in_scope(q)) {
            diags.path_error(
                Code::NotInScope,
                at(row, col(CaseCol::QuestionId)),
                format!("question `{qid}` is not one this cycle asks"),
            );
            continue;
        }
        let Some(j) = judgement else {
            continue;
        };
        let j = j.to_lowercase().replace(' ', "-");
        if Judgement::parse(&j).is_none() {
            diags
                .path_error(
                    Code::WorkbookValue,
                    at(row, col(CaseCol::Judgement)),
                    format!("judgement \"{j}\" is not one of met, partly, not-met, n/a"),
                )
                .with_help("choose from the drop-down");
            continue;
        }
        let mut finding = FindingData {
            judgement: j,
            ..FindingData::default()
        };
        if let Some(differed) = text(row, CaseCol::Differed) {
            for part in differed
                .split([';', '\n'])
                .map(str::trim)
                .filter(|p| !p.is_empty())
            {
                let (a, jj) = part
                    .split_once(':')
                    .map_or((part, ""), |(a, b)| (a.trim(), b.trim()));
                let jj = jj.to_lowercase().replace(' ', "-");
                if !agencies_ok.contains(&a) || Judgement::parse(&jj).is_none() {
                    diags
                        .path_error(
                            Code::WorkbookValue,
                            at(row, col(CaseCol::Differed)),
                            format!(
                                "\"{}\" is not an agency of this cycle and a judgement",
                                mask(part)
                            ),
                        )
                        .with_help(format!(
                            "write e.g. \"police: not-met\"; this cycle's agencies: {}",
                            agencies_ok.join(", ")
                        ));
                    continue;
                }
                finding.by_agency.insert(a.to_string(), jj);
            }
        }
        finding.good_practice = text(row, CaseCol::GoodPractice);
        finding.learning = text(row, CaseCol::Learning);
        finding.internal = text(row, CaseCol::Internal);
        for (c, t) in [
            (CaseCol::GoodPractice, &finding.good_practice),
            (CaseCol::Learning, &finding.learning),
            (CaseCol::Internal, &finding.internal),
        ] {
            if let Some(t) = t
                && !scanner.scan_text(t).is_empty()
            {
                diags
                    .path_warning(
                        Code::PersonalDataInReturn,
                        at(row, col(c)),
                        "looks like personal data (a date of birth, an NHS number, a name, an address or a contact): case notes are read across agencies",
                    )
                    .with_help("describe the practice, not the child");
            }
        }
        if let Some((r0, _)) = case.findings.get(&qid) {
            diags.path_error(
                Code::DuplicateId,
                at(row, col(CaseCol::QuestionId)),
                format!(
                    "case {reference} judges `{qid}` twice (first on row {})",
                    r0 + 1
                ),
            );
            continue;
        }
        case.findings.insert(qid, (row, finding));
    }
    let mut out = Vec::new();
    for (reference, p) in cases {
        if p.findings.is_empty() {
            continue;
        }
        let mut agencies = Vec::new();
        if let Some((row, list)) = &p.agencies {
            for a in list
                .split([',', ';', '\n'])
                .map(str::trim)
                .filter(|a| !a.is_empty())
            {
                if agencies_ok.contains(&a) {
                    agencies.push(a.to_string());
                } else {
                    diags
                        .path_error(
                            Code::WorkbookValue,
                            at(*row, cols.get(&CaseCol::Agencies).copied().unwrap_or(0)),
                            format!(
                                "case {reference}: `{}` is not an agency taking part in this cycle",
                                mask(a)
                            ),
                        )
                        .with_help(format!("this cycle's agencies: {}", agencies_ok.join(", ")));
                }
            }
        }
        if let Some((row, b)) = &p.age_band
            && AgeBand::parse(b).is_none()
        {
            diags.path_error(
                Code::WorkbookValue,
                at(*row, cols.get(&CaseCol::AgeBand).copied().unwrap_or(0)),
                format!(
                    "case {reference}: age band \"{b}\" is not one of {}",
                    AgeBand::expected()
                ),
            );
        }
        let Some((_, audited_on)) = p.audited_on else {
            if p.bad_date {
                continue;
            }
            diags
                .path_error(
                    Code::EmptyText,
                    at(
                        p.first_row,
                        cols.get(&CaseCol::AuditedOn).copied().unwrap_or(0),
                    ),
                    format!("case {reference} has judgements but no \"Audited on\" date"),
                )
                .with_help("write the date the table audited the case on one of its rows");
            continue;
        };
        out.push(CaseData {
            reference,
            age_band: p.age_band.map(|(_, b)| b),
            agencies,
            audited_on,
            findings: p.findings.into_iter().map(|(q, (_, f))| (q, f)).collect(),
        });
    }
    (diags.error_count() == before).then_some(out)
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
