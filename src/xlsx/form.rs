//! Writing one agency's return form: Instructions, About and Return sheets, protected so only
//! the answer cells can be changed, with drop-downs for rating and confidence, and set up to
//! read and print well (frozen header, wrapped text, landscape A4, header row on every page).

use super::{
    ABOUT_FIELDS, ABOUT_LABEL_COL, ABOUT_SHEET, ABOUT_VALUE_COL, COLUMNS, CONFIDENCE_CHOICES, Col,
    FIRST_QUESTION_ROW, FORM_VERSION, Field, HEADER_ROW, INSTRUCTIONS_SHEET, NOT_APPLICABLE,
    RETURN_SHEET, ReturnData, cell_ref, rating_choice,
};
use crate::model::{Agency, Cycle, Date, Framework, Level, Partnership, Question, Rating};
use rust_xlsxwriter::{
    Color, DataValidation, DataValidationErrorStyle, DataValidationRule, DocProperties,
    ExcelDateTime, Format, FormatAlign, FormatBorder, Formula, ProtectionOptions, Workbook,
    Worksheet, XlsxError,
};

/// What the agency is told each confidence level means.
pub const CONFIDENCE_HELP: [(&str, &str); 3] = [
    (
        "high",
        "Recent, tested evidence of what happens in practice: audit findings, performance data, inspection or feedback that shows the difference for children.",
    ),
    (
        "medium",
        "Some evidence of practice, but partial, dated or not yet tested: for example a policy and training records without an audit of practice.",
    ),
    (
        "low",
        "Little evidence beyond professional judgement, anecdote or a policy on paper.",
    ),
];

/// Excel refuses longer text in one cell.
const MAX_CELL_CHARS: usize = 32_767;
/// Excel's tallest row, in points.
const MAX_ROW_HEIGHT: f64 = 409.0;
/// Answer rows are at least this tall, to invite writing.
const MIN_ANSWER_ROW_HEIGHT: f64 = 90.0;
/// Paper size code for A4.
const A4: u8 = 9;

const GREY_FILL: u32 = 0xF3F2F1;
const HEADER_FILL: u32 = 0xDEE0E2;
const BORDER_GREY: u32 = 0xB1B4B6;

/// One form to write.
pub struct FormInput<'a> {
    pub partnership: &'a Partnership,
    pub agency: &'a Agency,
    pub cycle: &'a Cycle,
    pub framework: &'a Framework,
    /// The agency's existing return, whose answers pre-fill the form.
    pub prefill: Option<&'a ReturnData>,
}

/// The form as .xlsx bytes. The same input always gives the same bytes.
pub fn build(input: &FormInput) -> Result<Vec<u8>, FormError> {
    check_lengths(input)?;
    Ok(build_workbook(input)?)
}

/// Why a form (or a pack's recording workbook) could not be made.
#[derive(Debug, thiserror::Error)]
pub enum FormError {
    /// Pre-filled text (`what` of `question`) longer than a cell holds.
    #[error(
        "the {what} of `{question}` in {agency}'s existing return is longer than an Excel cell holds ({MAX_CELL_CHARS} characters); shorten it in the response file first"
    )]
    TooLong {
        what: &'static str,
        question: String,
        agency: String,
    },
    #[error("cannot write the workbook: {0}")]
    Xlsx(#[from] XlsxError),
}

/// Pre-filled text must fit in a cell; say which answer does not.
fn check_lengths(input: &FormInput) -> Result<(), FormError> {
    let Some(r) = input.prefill else {
        return Ok(());
    };
    for (qid, a) in &r.answers {
        for (what, text) in [
            ("evidence", a.evidence.as_ref()),
            ("gaps", a.gaps.as_ref()),
            ("internal", a.internal.as_ref()),
        ] {
            if let Some(t) = text
                && t.encode_utf16().count() > MAX_CELL_CHARS
            {
                return Err(FormError::TooLong {
                    what,
                    question: qid.clone(),
                    agency: r.agency.clone(),
                });
            }
        }
    }
    Ok(())
}

struct Formats {
    title: Format,
    subtitle: Format,
    heading: Format,
    text: Format,
    table_header: Format,
    locked: Format,
    locked_id: Format,
    answer: Format,
    answer_date: Format,
    label: Format,
}

impl Formats {
    fn new() -> Formats {
        let border = |f: Format| {
            f.set_border(FormatBorder::Thin)
                .set_border_color(Color::RGB(BORDER_GREY))
        };
        let text = Format::new()
            .set_align(FormatAlign::Top)
            .set_align(FormatAlign::Left)
            .set_text_wrap();
        let answer = border(text.clone().set_unlocked());
        Formats {
            title: Format::new().set_bold().set_font_size(16),
            subtitle: text.clone().set_font_size(12),
            heading: Format::new().set_bold().set_font_size(13),
            table_header: border(text.clone().set_bold().set_background_color(HEADER_FILL)),
            locked: border(text.clone().set_background_color(GREY_FILL)),
            locked_id: border(text.clone().set_bold().set_background_color(GREY_FILL)),
            answer_date: answer.clone().set_num_format("d mmmm yyyy"),
            answer,
            label: text.clone().set_bold(),
            text,
        }
    }
}

fn build_workbook(input: &FormInput) -> Result<Vec<u8>, XlsxError> {
    let f = Formats::new();
    let mut wb = Workbook::new();
    let opened = excel_date(input.cycle.opened)?;
    wb.set_properties(
        &DocProperties::new()
            .set_title(format!(
                "Self-audit return: {} ({})",
                input.agency.name, input.cycle.id
            ))
            .set_subject(input.framework.title.clone())
            .set_company(input.partnership.name.clone())
            .set_comment(format!(
                "Made by panelaudit forms; form version {FORM_VERSION}"
            ))
            .set_creation_datetime(&opened),
    );

    let choices = rating_choices(input.framework);
    let table = instructions(wb.add_worksheet(), input, &choices, &f)?;
    about(wb.add_worksheet(), input, &f)?;
    questions(wb.add_worksheet(), input, &choices, table, &f)?;
    wb.save_to_buffer()
}

/// "0 - No assurance", ..., then "n/a": the rating drop-down's choices.
fn rating_choices(fw: &Framework) -> Vec<String> {
    fw.scale
        .iter()
        .map(|s| rating_choice(s.value, &s.label))
        .chain(std::iter::once(NOT_APPLICABLE.to_string()))
        .collect()
}

fn excel_date(d: Date) -> Result<ExcelDateTime, XlsxError> {
    ExcelDateTime::from_ymd(d.year, d.month, d.day)
}

/// Rows a wrapped text needs in a column `width` characters wide.
fn lines_needed(text: &str, width: f64) -> usize {
    let per_line = (width * 1.1).max(8.0) as usize;
    text.split('\n')
        .map(|l| l.chars().count().div_ceil(per_line).max(1))
        .sum()
}

fn row_height(lines: usize, min: f64) -> f64 {
    (lines as f64 * 15.0 + 4.0).clamp(min, MAX_ROW_HEIGHT)
}

/// Text for an Excel page header or footer: '&' is a control character there.
fn header_text(s: &str) -> String {
    s.chars().take(80).collect::<String>().replace('&', "&&")
}

fn print_setup(ws: &mut Worksheet, input: &FormInput, landscape: bool) {
    ws.set_paper_size(A4);
    if landscape {
        ws.set_landscape();
    }
    ws.set_margins(0.4, 0.4, 0.7, 0.7, 0.3, 0.3);
    ws.set_print_fit_to_pages(1, 0);
    ws.set_header(format!(
        "&L{}&R{}",
        header_text(&input.partnership.short_name),
        header_text(&input.agency.name)
    ));
    ws.set_footer(format!(
        "&LCycle {}&CPage &P of &N&R{}",
        header_text(&input.cycle.id),
        header_text(&input.framework.id)
    ));
}

fn protect(ws: &mut Worksheet) {
    let options = ProtectionOptions {
        format_columns: true,
        format_rows: true,
        ..ProtectionOptions::default()
    };
    ws.protect_with_options(&options);
}

/// The row range (first, last) of the rating choices in the Instructions sheet's scale table.
#[derive(Clone, Copy)]
struct ScaleTable {
    first: u32,
    last: u32,
}

fn instructions(
    ws: &mut Worksheet,
    input: &FormInput,
    choices: &[String],
    f: &Formats,
) -> Result<ScaleTable, XlsxError> {
    ws.set_name(INSTRUCTIONS_SHEET)?;
    ws.set_column_width(0, 28)?;
    ws.set_column_width(1, 90)?;
    let mut page = Page { ws, row: 0, f };
    title_block(&mut page, input)?;
    page.heading("How to complete this return")?;
    how_to_complete(&mut page, input.partnership)?;
    page.heading("Rating: how assured are you?")?;
    let table = rating_table(&mut page, choices, input.framework)?;
    page.heading("Confidence: how strong is your evidence?")?;
    confidence_table(&mut page)?;
    guidance(&mut page)?;
    print_setup(ws, input, false);
    protect(ws);
    ws.set_active(true);
    Ok(table)
}

/// The Instructions sheet as it is written, a row at a time.
struct Page<'a> {
    ws: &'a mut Worksheet,
    row: u32,
    f: &'a Formats,
}

impl Page<'_> {
    /// A paragraph across both columns, as tall as its text needs.
    fn para(&mut self, text: &str, fmt: &Format) -> Result<(), XlsxError> {
        self.ws.merge_range(self.row, 0, self.row, 1, text, fmt)?;
        self.ws
            .set_row_height(self.row, row_height(lines_needed(text, 118.0), 15.0))?;
        self.row += 1;
        Ok(())
    }

    /// A heading, after a blank row.
    fn heading(&mut self, text: &str) -> Result<(), XlsxError> {
        self.row += 1;
        self.ws
            .write_string_with_format(self.row, 0, text, &self.f.heading)?;
        self.ws.set_row_height(self.row, 20)?;
        self.row += 1;
        Ok(())
    }
}

/// Whose return it is, for which cycle, by when, and how many questions it asks.
fn title_block(page: &mut Page<'_>, input: &FormInput) -> Result<(), XlsxError> {
    let (p, a, c, fw) = (
        input.partnership,
        input.agency,
        input.cycle,
        input.framework,
    );
    let asked = c.questions(fw).count();
    page.ws.write_string_with_format(
        page.row,
        0,
        format!("{}: self-audit return", p.name),
        &page.f.title,
    )?;
    page.ws.set_row_height(page.row, 24)?;
    page.row += 1;
    let f = page.f;
    page.para(
        &format!(
            "For {}. Cycle: {} ({}), open {} to {}. Please return it by {}.",
            a.name,
            c.title,
            c.id,
            c.opened.long(),
            c.closed.long(),
            c.closed.long()
        ),
        &f.subtitle,
    )?;
    page.para(
        &format!(
            "{asked} question(s) from \"{}\" ({}).",
            fw.title, fw.source.publisher
        ),
        &f.text,
    )
}

/// The steps to complete the return, and where to send it.
fn how_to_complete(page: &mut Page<'_>, p: &Partnership) -> Result<(), XlsxError> {
    let send_to = p
        .contact
        .as_deref()
        .map(|c| format!("to {c}"))
        .unwrap_or_else(|| "to the partnership's quality assurance team".to_string());
    for step in [
        "1. On the About sheet, give the role of the person completing the return (for example \"Head of Safeguarding\": a role, never a person's name) and the date you send it.".to_string(),
        "2. On the Return sheet, answer every row. The grey columns hold the question and cannot be changed; the white columns are yours: Rating, Confidence, Evidence, Gaps and plans, and Internal note.".to_string(),
        "3. Choose the rating and your confidence from the drop-down lists. Choose \"n/a\" only when the question does not apply to your agency at all, and say why in Evidence. A question without a rating counts as unanswered, which means no evidence of assurance.".to_string(),
        format!("4. Do not add, remove, reorder or rename rows, columns or sheets, and keep the file as an Excel workbook (.xlsx). Send the completed file back {send_to}."),
    ] {
        page.para(&step, &page.f.text)?;
    }
    Ok(())
}

/// What each rating means, as the drop-down offers them; where the table lies on the sheet.
fn rating_table(
    page: &mut Page<'_>,
    choices: &[String],
    fw: &Framework,
) -> Result<ScaleTable, XlsxError> {
    page.para(
        "Rate how far you are assured that what the question describes happens in practice in your agency, not only in policy.",
        &page.f.text,
    )?;
    page.ws.write_string_with_format(
        page.row,
        0,
        "Rating (as in the drop-down)",
        &page.f.table_header,
    )?;
    page.ws
        .write_string_with_format(page.row, 1, "What it means", &page.f.table_header)?;
    page.row += 1;
    let first = page.row;
    for (choice, level) in choices.iter().zip(&fw.scale) {
        let meaning = if level.descriptor.is_empty() {
            level.label.clone()
        } else {
            level.descriptor.clone()
        };
        page.ws
            .write_string_with_format(page.row, 0, choice, &page.f.locked_id)?;
        page.ws
            .write_string_with_format(page.row, 1, &meaning, &page.f.locked)?;
        page.ws
            .set_row_height(page.row, row_height(lines_needed(&meaning, 90.0), 15.0))?;
        page.row += 1;
    }
    page.ws
        .write_string_with_format(page.row, 0, NOT_APPLICABLE, &page.f.locked_id)?;
    page.ws.write_string_with_format(
        page.row,
        1,
        "The question does not apply to your agency. Say why in Evidence.",
        &page.f.locked,
    )?;
    let table = ScaleTable {
        first,
        last: page.row,
    };
    page.row += 1;
    Ok(table)
}

/// What each confidence means.
fn confidence_table(page: &mut Page<'_>) -> Result<(), XlsxError> {
    page.ws
        .write_string_with_format(page.row, 0, "Confidence", &page.f.table_header)?;
    page.ws
        .write_string_with_format(page.row, 1, "What it means", &page.f.table_header)?;
    page.row += 1;
    for (level, meaning) in CONFIDENCE_HELP {
        page.ws
            .write_string_with_format(page.row, 0, level, &page.f.locked_id)?;
        page.ws
            .write_string_with_format(page.row, 1, meaning, &page.f.locked)?;
        page.ws
            .set_row_height(page.row, row_height(lines_needed(meaning, 90.0), 15.0))?;
        page.row += 1;
    }
    Ok(())
}

/// Guidance as headed paragraphs, in the order an agency needs it.
fn guidance(page: &mut Page<'_>) -> Result<(), XlsxError> {
    let guidance: [(&str, &[&str]); 2] = [
        (
            "What counts as evidence",
            &[
                "Say what shows it: case file audits (with their date and sample size), performance data, inspection or peer review findings, how many staff were trained and what changed in practice, feedback from children, families and staff, and anonymised case examples. A policy or procedure shows intent; on its own it is weak evidence of practice.",
                "The column \"What good evidence looks like\" on each row gives prompts for that question.",
                "In Gaps and plans, say what is missing or not yet good enough, and what you are doing about it, by when.",
            ],
        ),
        (
            "Who sees what you write",
            &[
                "Your return goes to the partnership's quality assurance team and is brought together with the other agencies' returns. The partnership may publish summaries and overall ratings, but never publishes your Evidence, Gaps or Internal note text as written.",
                "The Internal note column is for the quality assurance team only: internal notes are never published.",
                "Never write a child's, family member's or practitioner's name, date of birth, address or any other detail that could identify someone.",
            ],
        ),
    ];
    for (title, paragraphs) in guidance {
        page.heading(title)?;
        for text in paragraphs {
            page.para(text, &page.f.text)?;
        }
    }
    Ok(())
}

fn about(ws: &mut Worksheet, input: &FormInput, f: &Formats) -> Result<(), XlsxError> {
    ws.set_name(ABOUT_SHEET)?;
    ws.set_column_width(ABOUT_LABEL_COL, 24)?;
    ws.set_column_width(ABOUT_VALUE_COL, 70)?;
    ws.write_string_with_format(0, 0, "About this return", &f.title)?;
    ws.set_row_height(0, 24)?;
    ws.merge_range(
        1,
        0,
        1,
        1,
        "Please fill in the two white cells below. The other details tell panelaudit where this return belongs: do not change them.",
        &f.text,
    )?;
    ws.set_row_height(1, 32)?;
    let (p, a, c, fw) = (
        input.partnership,
        input.agency,
        input.cycle,
        input.framework,
    );
    for spec in &ABOUT_FIELDS {
        let row = spec.row;
        ws.write_string_with_format(row, ABOUT_LABEL_COL, spec.label, &f.label)?;
        let col = ABOUT_VALUE_COL;
        match spec.field {
            Field::AgencyId => ws.write_string_with_format(row, col, &a.id, &f.locked_id)?,
            Field::Agency => ws.write_string_with_format(row, col, &a.name, &f.locked)?,
            Field::Partnership => ws.write_string_with_format(row, col, &p.name, &f.locked)?,
            Field::CycleId => ws.write_string_with_format(row, col, &c.id, &f.locked_id)?,
            Field::Cycle => ws.write_string_with_format(row, col, &c.title, &f.locked)?,
            Field::FrameworkId => ws.write_string_with_format(row, col, &fw.id, &f.locked_id)?,
            Field::Framework => ws.write_string_with_format(row, col, &fw.title, &f.locked)?,
            Field::FormVersion => {
                ws.write_number_with_format(row, col, f64::from(FORM_VERSION), &f.locked)?
            }
            Field::ReturnBy => ws.write_string_with_format(row, col, c.closed.long(), &f.locked)?,
            Field::CompletedBy => match input.prefill.and_then(|r| r.completed_by.as_deref()) {
                Some(role) => ws.write_string_with_format(row, col, role, &f.answer)?,
                None => ws.write_blank(row, col, &f.answer)?,
            },
            Field::Submitted => match input.prefill.and_then(|r| r.submitted) {
                Some(d) => {
                    ws.write_datetime_with_format(row, col, excel_date(d)?, &f.answer_date)?
                }
                None => ws.write_blank(row, col, &f.answer_date)?,
            },
        };
    }
    let submitted = Field::Submitted.spec().row;
    let dates = DataValidation::new()
        .allow_date(DataValidationRule::Between(
            ExcelDateTime::from_ymd(2000, 1, 1)?,
            ExcelDateTime::from_ymd(2099, 12, 31)?,
        ))
        .set_error_title("Not a date")?
        .set_error_message("Type the date you send the return, for example 14/10/2025.")?;
    ws.add_data_validation(
        submitted,
        ABOUT_VALUE_COL,
        submitted,
        ABOUT_VALUE_COL,
        &dates,
    )?;
    print_setup(ws, input, false);
    protect(ws);
    Ok(())
}

fn questions(
    ws: &mut Worksheet,
    input: &FormInput,
    choices: &[String],
    table: ScaleTable,
    f: &Formats,
) -> Result<(), XlsxError> {
    ws.set_name(RETURN_SHEET)?;
    for spec in &COLUMNS {
        ws.set_column_width(spec.col.index(), spec.width)?;
        ws.write_string_with_format(HEADER_ROW, spec.col.index(), spec.header, &f.table_header)?;
    }
    ws.set_row_height(HEADER_ROW, 32)?;
    ws.set_freeze_panes(FIRST_QUESTION_ROW, 1)?;
    ws.set_repeat_rows(HEADER_ROW, HEADER_ROW)?;
    let mut row = FIRST_QUESTION_ROW;
    for q in input.cycle.questions(input.framework) {
        let lines = question_row(ws, row, q, input, f)?;
        ws.set_row_height(row, row_height(lines, MIN_ANSWER_ROW_HEIGHT))?;
        row += 1;
    }
    if row > FIRST_QUESTION_ROW {
        drop_downs(ws, row - 1, choices, table)?;
    }
    print_setup(ws, input, true);
    protect(ws);
    Ok(())
}

/// One question's row: the question in grey, locked cells, and its answer (pre-filled when
/// there is one) in white ones. How many lines its tallest cell needs.
fn question_row(
    ws: &mut Worksheet,
    row: u32,
    q: &Question,
    input: &FormInput,
    f: &Formats,
) -> Result<usize, XlsxError> {
    let fw = input.framework;
    let answer = input.prefill.and_then(|r| r.answers.get(&q.id));
    let theme = fw.theme(&q.theme).map_or(q.theme.as_str(), |t| &t.title);
    let level = match q.level {
        Level::Strategic => "Strategic",
        Level::Practitioner => "Practitioner",
    };
    let prompts = q
        .prompts
        .iter()
        .map(|p| format!("• {p}"))
        .collect::<Vec<_>>()
        .join("\n");
    let rating = answer.map(|a| match a.rating {
        Rating::Value(v) => fw
            .level(v)
            .map_or(v.to_string(), |l| rating_choice(v, &l.label)),
        Rating::NotApplicable => NOT_APPLICABLE.to_string(),
    });
    let confidence = answer.and_then(|a| a.confidence.map(|c| c.as_str().to_string()));
    let evidence = answer.and_then(|a| a.evidence.clone());
    let gaps = answer.and_then(|a| a.gaps.clone());
    let internal = answer.and_then(|a| a.internal.clone());

    let mut lines = 1;
    for spec in &COLUMNS {
        let text: Option<&str> = match spec.col {
            Col::Id => Some(&q.id),
            Col::Theme => Some(theme),
            Col::Level => Some(level),
            Col::Question => Some(&q.text),
            Col::Prompts => Some(&prompts),
            Col::Rating => rating.as_deref(),
            Col::Confidence => confidence.as_deref(),
            Col::Evidence => evidence.as_deref(),
            Col::Gaps => gaps.as_deref(),
            Col::Internal => internal.as_deref(),
        };
        let fmt = match spec.col {
            Col::Id => &f.locked_id,
            _ if spec.answer => &f.answer,
            _ => &f.locked,
        };
        let col = spec.col.index();
        match text {
            Some(t) if !t.is_empty() => {
                ws.write_string_with_format(row, col, t, fmt)?;
                lines = lines.max(lines_needed(t, spec.width));
            }
            _ => {
                ws.write_blank(row, col, fmt)?;
            }
        }
    }
    Ok(lines)
}

/// Drop-down lists for the rating and the confidence over the question rows, to `last`: the
/// ratings inline when they fit, else from the Instructions sheet's table.
fn drop_downs(
    ws: &mut Worksheet,
    last: u32,
    choices: &[String],
    table: ScaleTable,
) -> Result<(), XlsxError> {
    let rating_col = Col::Rating.index();
    let inline_ok = choices.iter().all(|c| !c.contains([',', '"']))
        && choices.iter().map(|c| c.chars().count() + 1).sum::<usize>() <= 250;
    let list = if inline_ok {
        DataValidation::new().allow_list_strings(choices)?
    } else {
        DataValidation::new().allow_list_formula(Formula::new(format!(
            "={INSTRUCTIONS_SHEET}!{}:{}",
            absolute(table.first, 0),
            absolute(table.last, 0)
        )))
    };
    let list = list
        .set_input_title("Rating")?
        .set_input_message(
            "Choose a rating from the list. The Instructions sheet says what each level means.",
        )?
        .set_error_title("Choose a rating from the list")?
        .set_error_message(
            "Pick one of the ratings in the list (see the Instructions sheet), or n/a when the question does not apply to your agency.",
        )?
        .set_error_style(DataValidationErrorStyle::Stop);
    ws.add_data_validation(FIRST_QUESTION_ROW, rating_col, last, rating_col, &list)?;

    let confidence_col = Col::Confidence.index();
    let confidence = DataValidation::new()
        .allow_list_strings(&CONFIDENCE_CHOICES)?
        .set_input_title("Confidence")?
        .set_input_message("How strong is your evidence: low, medium or high?")?
        .set_error_title("Choose low, medium or high")?
        .set_error_message(
            "Confidence is low, medium or high: the Instructions sheet says what each means.",
        )?
        .set_error_style(DataValidationErrorStyle::Stop);
    ws.add_data_validation(
        FIRST_QUESTION_ROW,
        confidence_col,
        last,
        confidence_col,
        &confidence,
    )?;
    Ok(())
}

/// "$A$5": an absolute reference to a 0-based cell.
fn absolute(row: u32, col: u16) -> String {
    let r = cell_ref(row, col);
    let split = r.find(|c: char| c.is_ascii_digit()).unwrap_or(r.len());
    format!("${}${}", &r[..split], &r[split..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapped_text_needs_more_lines_when_longer_or_broken() {
        assert_eq!(lines_needed("short", 40.0), 1);
        assert_eq!(lines_needed("a\nb\nc", 40.0), 3);
        assert!(lines_needed(&"word ".repeat(100), 40.0) >= 11);
        assert_eq!(row_height(1000, 90.0), MAX_ROW_HEIGHT);
        assert_eq!(row_height(1, 90.0), 90.0);
    }

    #[test]
    fn page_header_text_escapes_ampersands() {
        assert_eq!(header_text("Health & Care"), "Health && Care");
        assert_eq!(absolute(19, 0), "$A$20");
    }
}
