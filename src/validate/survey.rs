//! cycles/<id>/surveys/<name>.toml and its CSV export: items mapped to the export's columns
//! by header (trimmed, white space and case ignored), answers read on each item's scale.
//! Only the item columns and the `group_by` column are read from the export.

use super::common::*;
use super::scope::Scope;
use crate::diag::{Code, Diagnostics};
use crate::load::survey::{
    self, MAX_SCALE_POINTS, MAX_SURVEY_ITEMS, RawSurvey, Table, column_letter, header_key,
};
use crate::model::*;
use std::collections::BTreeMap;

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
    if !is_valid_id(&raw.name) {
        diags
            .path_error(
                Code::InvalidId,
                &file.display,
                format!("survey file name `{}` is not a valid id", raw.name),
            )
            .with_help("name it like `fathers-2026.toml`: lowercase letters, digits and hyphens");
    }
    let title = non_empty(file, &s.title, "survey title", diags);
    if s.items.is_empty() {
        diags
            .error(Code::BadStructure, file, 0..0, "a survey needs at least one `[[items]]`")
            .with_help("give each item the `column` header of the statement practitioners rated, and its `questions`");
    }
    if s.items.len() > MAX_SURVEY_ITEMS {
        diags.error(
            Code::TooLarge,
            file,
            s.items[MAX_SURVEY_ITEMS].span(),
            format!("a survey may have at most {MAX_SURVEY_ITEMS} items"),
        );
        return None;
    }
    // The items' own shape: a column, questions of the cycle, a scale.
    let mut first: BTreeMap<String, std::ops::Range<usize>> = BTreeMap::new();
    let mut items: Vec<(SurveyItem, String)> = Vec::new();
    for entry in &s.items {
        let e = entry.get_ref();
        let column = e.column.get_ref().trim().to_string();
        if column.is_empty() {
            diags.error(
                Code::EmptyText,
                file,
                e.column.span(),
                "`column` is empty: give the CSV header of the item",
            );
            continue;
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
            continue;
        }
        first.insert(key.clone(), e.column.span());
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
                    if let Some(h) = crate::diag::suggest(
                        q.get_ref(),
                        fw.questions.iter().map(|q| q.id.as_str()),
                    ) {
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
                        .with_help(
                            "name questions of the themes and levels the cycle's scope asks",
                        );
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
        let (scale, scale_span) = match &e.scale {
            Some(sc) => (
                sc.get_ref()
                    .iter()
                    .map(|l| l.get_ref().trim().to_string())
                    .collect::<Vec<_>>(),
                sc.span(),
            ),
            None => (
                DEFAULT_SCALE.iter().map(|l| l.to_string()).collect(),
                e.column.span(),
            ),
        };
        if let Some(sc) = &e.scale {
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
            let mut seen: BTreeMap<String, std::ops::Range<usize>> = BTreeMap::new();
            for l in sc.get_ref() {
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
        items.push((
            SurveyItem {
                column: column.clone(),
                loc: file.loc(e.column.span().start),
                questions,
                scale,
                scale_loc: file.loc(scale_span.start),
                answers: Vec::new(),
            },
            column,
        ));
    }
    let group_by = s.group_by.as_ref().map(|g| g.get_ref().trim().to_string());
    let export = raw.export.as_ref()?;
    let parsed;
    let table: &Table = match export {
        survey::Export::Csv(csv) => match survey::parse_csv(&csv.text) {
            Ok(t) => {
                parsed = t;
                &parsed
            }
            Err(e) => {
                let (line, col) = csv.line_col(e.offset);
                diags
                    .path_error(
                        Code::CsvShape,
                        &csv.display,
                        format!("the export cannot be read as CSV: {}", e.message),
                    )
                    .at(line, col);
                return None;
            }
        },
        survey::Export::Workbook { table, .. } => table,
    };
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
    // Each header once; a header twice is ambiguous only when an item or group_by needs it.
    let mut columns: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, h) in table.header.iter().enumerate() {
        columns.entry(header_key(&h.text)).or_default().push(i);
    }
    let find =
        |given: &str, span: std::ops::Range<usize>, diags: &mut Diagnostics| -> Option<usize> {
            match columns.get(&header_key(given)).map(Vec::as_slice) {
                Some([one]) => Some(*one),
                Some(many) => {
                    let letters: Vec<String> = many.iter().map(|i| column_letter(*i)).collect();
                    diags
                    .error(
                        Code::SurveyColumn,
                        file,
                        span,
                        format!(
                            "`{given}` is the header of {} columns of {} ({})",
                            many.len(),
                            export.display(),
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
                        file,
                        span,
                        format!("column `{given}` is not a header of {}", export.display()),
                    );
                    match nearest_header(given, table) {
                        Some(h) => d.with_help(format!("did you mean `{h}`?")),
                        None => d.with_help(format!(
                            "the export's headers are: {}",
                            headers_list(table)
                        )),
                    };
                    None
                }
            }
        };
    let group_col = match (&group_by, &s.group_by) {
        (Some(g), Some(span)) => find(g, span.span(), diags),
        _ => None,
    };
    let mut placed: Vec<(usize, SurveyItem)> = Vec::new();
    for ((item, column), entry) in items.into_iter().zip(&s.items) {
        if let Some(i) = find(&column, entry.get_ref().column.span(), diags) {
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
                    let (path, at) = export.place(r, *col, field);
                    let shown: String = field.text.trim().chars().take(40).collect();
                    let d = diags.path_error(
                        Code::SurveyAnswer,
                        path,
                        format!(
                            "row {}, column {} (`{}`): `{}` is not on the item's scale",
                            r + 2,
                            column_letter(*col),
                            item.column,
                            shown
                        ),
                    );
                    if let Some((line, c)) = at {
                        d.at(line, c);
                    }
                    d.with_help(format!(
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
