//! cycles/<id>/surveys/<name>.toml and its CSV export: items mapped to the export's columns
//! by header (trimmed, white space and case ignored), answers read on each item's scale.
//! Only the item columns and the `group_by` column are read from the export.

use super::common::{is_valid_id, non_empty};
use super::scope::Scope;
use crate::diag::{Code, Diagnostics};
use crate::load::raw::{S, SurveyItemEntry};
use crate::load::survey::{
    self, MAX_SCALE_POINTS, MAX_SURVEY_ITEMS, RawSurvey, Table, column_letter, header_key,
};
use crate::model::{Framework, Survey, SurveyAnswer, SurveyItem};
use crate::source::SourceFile;
use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::Arc;

/// The scale an item has when it names none: the five-point agreement scale the survey tools
/// offer by default.
pub const DEFAULT_SCALE: [&str; 5] = [
    "Strongly disagree",
    "Disagree",
    "Neither agree nor disagree",
    "Agree",
    "Strongly agree",
];

/// At most this many off-scale answers are reported one by one in a survey; the rest are
/// counted.
const MAX_ANSWER_REPORTS: usize = 20;

pub(super) fn surveys(
    raws: &[RawSurvey],
    fw: &Framework,
    scope: &Scope,
    diags: &mut Diagnostics,
) -> Vec<Survey> {
    raws.iter()
        .filter_map(|r| survey(r, fw, scope, diags))
        .collect()
}

fn survey(
    raw: &RawSurvey,
    fw: &Framework,
    scope: &Scope,
    diags: &mut Diagnostics,
) -> Option<Survey> {
    let file = &raw.file.file;
    let s = &raw.file.value;
    let before = diags.error_count();
    check_name(raw, diags);
    let title = non_empty(file, &s.title, "survey title", diags);
    if !item_count_allowed(raw, diags) {
        return None;
    }
    let items = survey_items(raw, fw, scope, diags);
    let group_by = s.group_by.as_ref().map(|g| g.get_ref().trim().to_string());
    let export = raw.export.as_ref()?;
    let table = export_table(export, diags)?;
    if table.header.is_empty() {
        diags
            .path_error(
                Code::CsvShape,
                export.display(),
                "the export is empty: it has no header row",
            )
            .with_help("export the responses from the survey tool with the header row (CSV, or the .xlsx Microsoft Forms downloads)");
        return None;
    }
    let columns = Columns::of(file, export, table);
    let group_col = match (&group_by, &s.group_by) {
        (Some(g), Some(span)) => columns.find(g, span.span(), diags),
        _ => None,
    };
    let mut placed: Vec<(usize, SurveyItem)> = Vec::new();
    for (item, span) in items {
        if let Some(i) = columns.find(&item.column, span, diags) {
            placed.push((i, item));
        }
    }
    if diags.error_count() > before {
        return None;
    }
    read_answers(export, table, group_col, &mut placed, diags);
    if diags.error_count() > before {
        return None;
    }
    Some(Survey {
        name: raw.name.clone(),
        title,
        loc: file.loc(s.title.span().start),
        group_by,
        respondents: table.rows.len(),
        items: placed.into_iter().map(|(_, i)| i).collect(),
    })
}

/// The survey's file name is its id.
fn check_name(raw: &RawSurvey, diags: &mut Diagnostics) {
    if !is_valid_id(&raw.name) {
        diags
            .path_error(
                Code::InvalidId,
                &raw.file.file.display,
                format!("survey file name `{}` is not a valid id", raw.name),
            )
            .with_help("name it like `fathers-2026.toml`: lowercase letters, digits and hyphens");
    }
}

/// A survey has at least one item (reported, read on) and at most [`MAX_SURVEY_ITEMS`] (false:
/// the survey is not read further).
fn item_count_allowed(raw: &RawSurvey, diags: &mut Diagnostics) -> bool {
    let file = &raw.file.file;
    let items = &raw.file.value.items;
    if items.is_empty() {
        diags
            .error(Code::BadStructure, file, 0..0, "a survey needs at least one `[[items]]`")
            .with_help("give each item the `column` header of the statement practitioners rated, and its `questions`");
    }
    if items.len() > MAX_SURVEY_ITEMS {
        diags.error(
            Code::TooLarge,
            file,
            items[MAX_SURVEY_ITEMS].span(),
            format!("a survey may have at most {MAX_SURVEY_ITEMS} items"),
        );
        return false;
    }
    true
}

/// The items' own shape: a column named once, questions of the cycle, a scale. Each item kept
/// comes with where its column is written (an item left out must not shift the others' places).
fn survey_items(
    raw: &RawSurvey,
    fw: &Framework,
    scope: &Scope,
    diags: &mut Diagnostics,
) -> Vec<(SurveyItem, Range<usize>)> {
    let file = &raw.file.file;
    let mut first: BTreeMap<String, Range<usize>> = BTreeMap::new();
    let mut items = Vec::new();
    for entry in &raw.file.value.items {
        let e = entry.get_ref();
        let Some(column) = item_column(file, e, &mut first, diags) else {
            continue;
        };
        if e.questions.is_empty() {
            diags
                .error(
                    Code::BadStructure,
                    file,
                    entry.span(),
                    format!("item `{column}` names no `questions`"),
                )
                .with_help(
                    "name the practice questions it bears on, e.g. questions = [\"cmh-p-01\"]",
                );
        }
        let questions = item_questions(file, e, fw, scope, diags);
        let (scale, scale_span) = item_scale(file, e, diags);
        items.push((
            SurveyItem {
                column,
                loc: file.loc(e.column.span().start),
                questions,
                scale,
                scale_loc: file.loc(scale_span.start),
                answers: Vec::new(),
            },
            e.column.span(),
        ));
    }
    items
}

/// The item's column header, trimmed: None (reported) when it is empty or another item's.
fn item_column(
    file: &Arc<SourceFile>,
    e: &SurveyItemEntry,
    first: &mut BTreeMap<String, Range<usize>>,
    diags: &mut Diagnostics,
) -> Option<String> {
    let column = e.column.get_ref().trim().to_string();
    if column.is_empty() {
        diags.error(
            Code::EmptyText,
            file,
            e.column.span(),
            "`column` is empty: give the CSV header of the item",
        );
        return None;
    }
    let key = header_key(&column);
    if let Some(span) = first.get(&key) {
        diags
            .error(
                Code::DuplicateId,
                file,
                e.column.span(),
                format!("the column `{column}` is an item twice"),
            )
            .with_related(file, span.clone(), "first defined here");
        return None;
    }
    first.insert(key, e.column.span());
    Some(column)
}

/// The item's questions that the framework has and the cycle asks, each once; the others
/// reported (a question outside the scope only warned of, and left out).
fn item_questions(
    file: &Arc<SourceFile>,
    e: &SurveyItemEntry,
    fw: &Framework,
    scope: &Scope,
    diags: &mut Diagnostics,
) -> Vec<String> {
    let mut questions = Vec::new();
    for q in &e.questions {
        match fw.question(q.get_ref()) {
            None => {
                let d = diags.error(
                    Code::UnknownReference,
                    file,
                    q.span(),
                    format!("framework `{}` has no question `{}`", fw.id, q.get_ref()),
                );
                if let Some(h) =
                    crate::diag::suggest(q.get_ref(), fw.questions.iter().map(|q| q.id.as_str()))
                {
                    d.with_help(h);
                }
            }
            Some(question) if !scope.asks(question) => {
                diags
                    .warning(
                        Code::NotInScope,
                        file,
                        q.span(),
                        format!(
                            "question `{}` is outside this cycle's scope (ignored)",
                            q.get_ref()
                        ),
                    )
                    .with_help("name questions of the themes and levels the cycle's scope asks");
            }
            Some(_) if questions.contains(q.get_ref()) => {
                diags.error(
                    Code::DuplicateId,
                    file,
                    q.span(),
                    format!("question `{}` is named twice", q.get_ref()),
                );
            }
            Some(_) => questions.push(q.get_ref().clone()),
        }
    }
    questions
}

/// The item's scale (its own, checked, or [`DEFAULT_SCALE`]) and where it is written (the
/// item's column when it names none).
fn item_scale(
    file: &Arc<SourceFile>,
    e: &SurveyItemEntry,
    diags: &mut Diagnostics,
) -> (Vec<String>, Range<usize>) {
    let Some(sc) = &e.scale else {
        let scale = DEFAULT_SCALE.iter().map(|l| l.to_string()).collect();
        return (scale, e.column.span());
    };
    let scale: Vec<String> = sc
        .get_ref()
        .iter()
        .map(|l| l.get_ref().trim().to_string())
        .collect();
    if !(2..=MAX_SCALE_POINTS).contains(&scale.len()) {
        diags
            .error(
                Code::OffScale,
                file,
                sc.span(),
                format!(
                    "a scale has from 2 to {MAX_SCALE_POINTS} points, this one {}",
                    scale.len()
                ),
            )
            .with_help("list the answers practitioners could choose, lowest first");
    }
    check_scale_points(file, sc.get_ref(), diags);
    (scale, sc.span())
}

/// Each point of a scale is written, and once.
fn check_scale_points(file: &Arc<SourceFile>, points: &[S<String>], diags: &mut Diagnostics) {
    let mut seen: BTreeMap<String, Range<usize>> = BTreeMap::new();
    for l in points {
        let k = header_key(l.get_ref());
        if k.is_empty() {
            diags.error(
                Code::EmptyText,
                file,
                l.span(),
                "a point of the scale is empty",
            );
        } else if let Some(span) = seen.get(&k) {
            diags
                .error(
                    Code::OffScale,
                    file,
                    l.span(),
                    format!("the scale has `{}` twice", l.get_ref().trim()),
                )
                .with_related(file, span.clone(), "first defined here");
        } else {
            seen.insert(k, l.span());
        }
    }
}

/// The export as a table, as load read it: None (reported) when a CSV export cannot be read,
/// at the place in its text.
fn export_table<'a>(export: &'a survey::Export, diags: &mut Diagnostics) -> Option<&'a Table> {
    match export {
        survey::Export::Csv { table: Ok(t), .. } => Some(t),
        survey::Export::Csv {
            file,
            table: Err(e),
        } => {
            diags.error_at(
                Code::CsvShape,
                file.loc(e.offset),
                format!("the export cannot be read as CSV: {}", e.message),
            );
            None
        }
        survey::Export::Workbook { table, .. } => Some(table),
    }
}

/// The export's columns by header key. A header twice is ambiguous only when an item or
/// `group_by` needs it.
struct Columns<'a> {
    file: &'a Arc<SourceFile>,
    export: &'a survey::Export,
    table: &'a Table,
    by_key: BTreeMap<String, Vec<usize>>,
}

impl<'a> Columns<'a> {
    fn of(file: &'a Arc<SourceFile>, export: &'a survey::Export, table: &'a Table) -> Self {
        let mut by_key: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for (i, h) in table.header.iter().enumerate() {
            by_key.entry(header_key(&h.text)).or_default().push(i);
        }
        Columns {
            file,
            export,
            table,
            by_key,
        }
    }

    /// The one column headed `given` (written at `span` in the survey file); None, reported,
    /// when no column or several have that header.
    fn find(&self, given: &str, span: Range<usize>, diags: &mut Diagnostics) -> Option<usize> {
        match self.by_key.get(&header_key(given)).map(Vec::as_slice) {
            Some([one]) => Some(*one),
            Some(many) => {
                let letters: Vec<String> = many.iter().map(|i| column_letter(*i)).collect();
                diags
                    .error(
                        Code::SurveyColumn,
                        self.file,
                        span,
                        format!(
                            "`{given}` is the header of {} columns of {} ({})",
                            many.len(),
                            self.export.display(),
                            letters.join(", ")
                        ),
                    )
                    .with_help(
                        "rename one of the columns in the export so each item's header is unique",
                    );
                None
            }
            None => {
                let d = diags.error(
                    Code::SurveyColumn,
                    self.file,
                    span,
                    format!(
                        "column `{given}` is not a header of {}",
                        self.export.display()
                    ),
                );
                match nearest_header(given, self.table) {
                    Some(h) => d.with_help(format!("did you mean `{h}`?")),
                    None => d.with_help(format!(
                        "the export's headers are: {}",
                        headers_list(self.table)
                    )),
                };
                None
            }
        }
    }
}

/// Reads each item's answers, row by row; a blank answer is no answer.
fn read_answers(
    export: &survey::Export,
    table: &Table,
    group_col: Option<usize>,
    placed: &mut [(usize, SurveyItem)],
    diags: &mut Diagnostics,
) {
    let mut reported = 0usize;
    let mut more = 0usize;
    for (r, row) in table.rows.iter().enumerate() {
        let group = group_col
            .and_then(|g| row.get(g))
            .map(|f| f.text.split_whitespace().collect::<Vec<_>>().join(" "))
            .filter(|g| !g.is_empty());
        for (col, item) in placed.iter_mut() {
            let Some(field) = row.get(*col) else { continue };
            let key = header_key(&field.text);
            if key.is_empty() {
                continue;
            }
            match item.scale.iter().position(|l| header_key(l) == key) {
                Some(point) => item.answers.push(SurveyAnswer {
                    point,
                    group: group.clone(),
                }),
                None if reported < MAX_ANSWER_REPORTS => {
                    reported += 1;
                    let shown: String = field.text.trim().chars().take(40).collect();
                    diags
                        .error_at(
                            Code::SurveyAnswer,
                            export.place(r, *col, field),
                            format!(
                                "row {}, column {} (`{}`): `{}` is not on the item's scale",
                                r + 2,
                                column_letter(*col),
                                item.column,
                                shown
                            ),
                        )
                        .with_help(format!(
                            "the scale is: {}; a blank counts as no answer",
                            item.scale.join(", ")
                        ));
                }
                None => more += 1,
            }
        }
    }
    if more > 0 {
        diags.path_error(
            Code::SurveyAnswer,
            export.display(),
            format!("and {more} more answers not on their item's scale"),
        );
    }
}

/// The export's header nearest to `given` (white space and case ignored), when one is close
/// enough to be a likely slip.
fn nearest_header(given: &str, table: &Table) -> Option<String> {
    let g = header_key(given);
    table
        .header
        .iter()
        .map(|h| {
            (
                strsim::jaro_winkler(&g, &header_key(&h.text)),
                h.text.trim(),
            )
        })
        .filter(|(s, _)| *s >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, h)| h.to_string())
}

fn headers_list(table: &Table) -> String {
    let mut names: Vec<String> = table
        .header
        .iter()
        .take(12)
        .map(|h| format!("`{}`", h.text.trim()))
        .collect();
    if table.header.len() > 12 {
        names.push(format!("and {} more", table.header.len() - 12));
    }
    names.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::testkit;

    #[test]
    fn an_item_left_out_does_not_move_the_next_items_column_error() {
        let toml = "title = \"Practice survey\"\nresponses = \"answers.csv\"\n\n\
            [[items]]\ncolumn = \"\"\nquestions = [\"q1\"]\n\n\
            [[items]]\ncolumn = \"Agree?\"\nquestions = [\"q1\"]\n\n\
            [[items]]\ncolumn = \"Not exported\"\nquestions = [\"q1\"]\n";
        let file = Arc::new(SourceFile::new("surveys/practice.toml", toml.to_string()));
        let mut diags = Diagnostics::new();
        let value = crate::load::parse_toml(&file, &mut diags).expect("the survey file parses");
        let csv = Arc::new(SourceFile::new(
            "surveys/answers.csv",
            "Agree?\nAgree\n".to_string(),
        ));
        let table = survey::parse_csv(&csv.text);
        let raw = RawSurvey {
            name: "practice".into(),
            file: crate::load::Parsed { file, value },
            export: Some(survey::Export::Csv { file: csv, table }),
        };
        let fw = testkit::framework(&[0, 100], &[("t", 1.0)], &[("q1", "t")]);
        let scope = Scope {
            themes: Vec::new(),
            levels: Vec::new(),
            agencies: Vec::new(),
            valid: true,
        };
        assert!(survey(&raw, &fw, &scope, &mut diags).is_none());
        let missing: Vec<String> = diags
            .iter()
            .filter(|d| d.code == Code::SurveyColumn)
            .map(|d| d.location.to_string())
            .collect();
        // The third item's own line, not the second's.
        assert_eq!(missing, ["surveys/practice.toml:13:10"]);
    }
}
