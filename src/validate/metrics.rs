//! metrics.toml, metrics.csv and the bundled metric library.

use super::Known;
use super::common::{F, check_id, duplicates, text, text_enum};
use crate::diag::{Code, Diagnostics, suggest};
use crate::load::metrics_csv::{CsvRecord, CsvRow};
use crate::load::raw::{MetricEntry, MetricsFile, S};
use crate::load::{Parsed, RawAudit};
use crate::model::{Better, Comparator, Metric};
use std::collections::BTreeMap;

pub(super) fn library_entry<'a>(
    library: Option<&'a Parsed<MetricsFile>>,
    id: &str,
) -> Option<&'a MetricEntry> {
    library?
        .value
        .metrics
        .iter()
        .map(|m| m.get_ref())
        .find(|m| m.id.get_ref() == id)
}

/// Metrics from metrics.toml (inheriting from the library) plus values from metrics.csv.
pub(super) fn metrics(
    raw: &RawAudit,
    library: Option<&Parsed<MetricsFile>>,
    known: &Known<'_>,
    diags: &mut Diagnostics,
) -> Vec<Metric> {
    let mut out: Vec<Metric> = Vec::new();
    if let Some(p) = &raw.metrics {
        let file = &p.file;
        duplicates(
            file,
            p.value.metrics.iter().map(|m| &m.get_ref().id),
            "metric",
            diags,
        );
        for entry in &p.value.metrics {
            if let Some(m) = metric(file, entry, library, known, diags) {
                out.push(m);
            }
        }
    }
    if let Some(csv) = &raw.metrics_csv {
        metrics_csv(&csv.file, csv.value.as_deref(), &mut out, diags);
    }
    out
}

/// One metric of metrics.toml, what it leaves out taken from the library's entry of the same
/// id; None (reported) when its id is not valid or it still lacks a title, unit or direction.
fn metric(
    file: &F,
    entry: &S<MetricEntry>,
    library: Option<&Parsed<MetricsFile>>,
    known: &Known<'_>,
    diags: &mut Diagnostics,
) -> Option<Metric> {
    let m = entry.get_ref();
    if !check_id(file, &m.id, "metric", diags) {
        return None;
    }
    let lib = library_entry(library, m.id.get_ref());
    let pick = |own: &Option<S<String>>, inherited: Option<&Option<S<String>>>| {
        text(own).or_else(|| inherited.and_then(text))
    };
    let title = pick(&m.title, lib.map(|l| &l.title));
    let unit = pick(&m.unit, lib.map(|l| &l.unit));
    let better_text = m.better.as_ref().or(lib.and_then(|l| l.better.as_ref()));
    let missing: Vec<&str> = [
        ("title", title.is_none()),
        ("unit", unit.is_none()),
        ("better", better_text.is_none()),
    ]
    .iter()
    .filter(|(_, miss)| *miss)
    .map(|(n, _)| *n)
    .collect();
    if !missing.is_empty() {
        report_not_in_library(file, m, library, &missing, diags);
        return None;
    }
    // `better` from the partnership is checked in its file; the library's in its own.
    let better = match &m.better {
        Some(b) => text_enum::<Better>(file, b, "direction `better`", diags),
        None => better_text.and_then(|b| Better::parse(b.get_ref())),
    };
    for t in &m.themes {
        known.check_theme(file, t, diags);
    }
    for q in &m.questions {
        known.check_question(file, q, diags);
    }
    let values = own_values(file, m, diags);
    Some(Metric {
        id: m.id.get_ref().clone(),
        title: title.unwrap_or_default(),
        definition: text(&m.definition).or_else(|| lib.and_then(|l| text(&l.definition))),
        unit: unit.unwrap_or_default(),
        better: better.unwrap_or(Better::Neither),
        target: m
            .target
            .as_ref()
            .map(|t| *t.get_ref())
            .or_else(|| lib.and_then(|l| l.target.as_ref().map(|t| *t.get_ref()))),
        comparator: comparator(m, lib),
        themes: if m.themes.is_empty() {
            lib.map(|l| l.themes.iter().map(|t| t.get_ref().clone()).collect())
                .unwrap_or_default()
        } else {
            m.themes.iter().map(|t| t.get_ref().clone()).collect()
        },
        questions: m.questions.iter().map(|q| q.get_ref().clone()).collect(),
        values,
        loc: file.loc(entry.span().start),
    })
}

/// A metric the library does not define names what it lacks; the nearest library id helps.
fn report_not_in_library(
    file: &F,
    m: &MetricEntry,
    library: Option<&Parsed<MetricsFile>>,
    missing: &[&str],
    diags: &mut Diagnostics,
) {
    let d = diags.error(
        Code::UnknownReference,
        file,
        m.id.span(),
        format!(
            "metric `{}` is not in the metric library, so it needs {}",
            m.id.get_ref(),
            missing.join(", ")
        ),
    );
    let lib_ids = library.iter().flat_map(|l| {
        l.value
            .metrics
            .iter()
            .map(|x| x.get_ref().id.get_ref().as_str())
    });
    if let Some(s) = suggest(m.id.get_ref(), lib_ids) {
        d.with_help(s);
    }
}

/// The values written in metrics.toml by period, each period well formed and each value
/// plausible; then the target, which must be a finite number.
fn own_values(file: &F, m: &MetricEntry, diags: &mut Diagnostics) -> BTreeMap<String, f64> {
    let mut values = BTreeMap::new();
    for (period, v) in &m.values {
        check_period(file, period, diags);
        if !plausible(*v.get_ref()) {
            diags.error(Code::OutOfRange, file, v.span(), IMPLAUSIBLE);
        }
        values.insert(period.get_ref().clone(), *v.get_ref());
    }
    if let Some(t) = &m.target
        && !t.get_ref().is_finite()
    {
        diags.error(
            Code::OutOfRange,
            file,
            t.span(),
            "a target must be a finite number",
        );
    }
    values
}

/// The metric's comparator: its own, else the library's.
fn comparator(m: &MetricEntry, lib: Option<&MetricEntry>) -> Option<Comparator> {
    m.comparator
        .as_ref()
        .map(|c| c.get_ref())
        .or_else(|| lib.and_then(|l| l.comparator.as_ref().map(|c| c.get_ref())))
        .map(|c| Comparator {
            label: c.label.get_ref().clone(),
            value: *c.value.get_ref(),
            source: text(&c.source),
            url: text(&c.url),
        })
}

/// No local metric (a rate, a count of children, weeks waited) comes near a trillion: a larger
/// value is a typing or export mistake, and would print as a wall of digits.
pub(super) fn plausible(v: f64) -> bool {
    v.is_finite() && v.abs() < 1e12
}

pub(super) const IMPLAUSIBLE: &str =
    "a metric value must be a number below a trillion in size (a typing or export mistake?)";

/// Periods have one form, so that they sort in time order as text and a metric's value can be
/// matched to a cycle: a financial year `2024-25`, or a quarter `2025-q3`.
pub(super) fn check_period(file: &F, period: &S<String>, diags: &mut Diagnostics) {
    if let Some((what, write)) = period_problem(period.get_ref()) {
        diags
            .error(
                Code::BadPeriod,
                file,
                period.span(),
                format!("period `{}` {what}", period.get_ref()),
            )
            .with_help(format!(
                "write {write}: a financial year like `2024-25`, or a quarter like `2025-q3`"
            ));
    }
}

/// What is wrong with a period and what to write instead; None when it is well formed.
pub fn period_problem(p: &str) -> Option<(String, String)> {
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let next_year = |y: &str| {
        y.parse::<u32>()
            .map(|y| format!("{y}-{:02}", (y + 1) % 100))
    };
    let (year, rest) = (p.get(..4).unwrap_or(""), p.get(4..).unwrap_or(""));
    if !digits(year) {
        return Some((
            "does not start with a four-digit year".into(),
            "the year first".into(),
        ));
    }
    let fy = next_year(year).unwrap_or_default();
    match rest.split_at(rest.len().min(1)) {
        ("", "") => Some((
            "is a year alone, which could be a calendar or a financial year".into(),
            format!("`{fy}` for the financial year starting in {year}"),
        )),
        ("-", two) if two.len() == 2 && digits(two) => (format!("{year}-{two}") != fy).then(|| {
            (
                format!(
                    "does not span two consecutive years ({year} is followed by {})",
                    &fy[5..]
                ),
                format!("`{fy}`"),
            )
        }),
        ("-", four) if four.len() == 4 && digits(four) => Some((
            "writes the second year in full".into(),
            format!("`{year}-{}`", &four[2..]),
        )),
        ("-", q)
            if q.len() == 2 && q.starts_with('q') && matches!(&q[1..], "1" | "2" | "3" | "4") =>
        {
            None
        }
        ("-", q)
            if q.len() == 2 && q.starts_with('Q') && matches!(&q[1..], "1" | "2" | "3" | "4") =>
        {
            Some((
                "writes the quarter with a capital Q".into(),
                format!("`{year}-q{}`", &q[1..]),
            ))
        }
        ("/", two) if digits(two) => Some(("uses a slash".into(), format!("`{fy}` with a hyphen"))),
        _ => Some((
            "is not a period panelaudit can order".into(),
            format!("`{fy}`"),
        )),
    }
}

/// metrics.csv, as load read it (`records`: None when the header is wrong): each row a value
/// of a metric declared in metrics.toml, for a well-formed period, given once (here or in
/// metrics.toml).
fn metrics_csv(
    file: &F,
    records: Option<&[CsvRecord]>,
    metrics: &mut [Metric],
    diags: &mut Diagnostics,
) {
    let Some(records) = records else {
        diags.error(
            Code::CsvShape,
            file,
            0..file.line_text(1).len(),
            "metrics.csv must start with the header `metric,period,value`",
        );
        return;
    };
    let mut seen: BTreeMap<(String, String), usize> = BTreeMap::new();
    for record in records {
        match record {
            CsvRecord::Unreadable { at, message } => {
                diags.error(
                    Code::CsvShape,
                    file,
                    *at..*at,
                    format!("this row cannot be read as CSV: {message}"),
                );
            }
            CsvRecord::Row(row) => csv_value(file, row, metrics, &mut seen, diags),
        }
    }
}

/// One row of metrics.csv checked, and its value given to its metric. `seen` holds the line of
/// each (metric, period) met so far.
fn csv_value(
    file: &F,
    row: &CsvRow,
    metrics: &mut [Metric],
    seen: &mut BTreeMap<(String, String), usize>,
    diags: &mut Diagnostics,
) {
    if row.fields.len() != 3 {
        diags.error(
            Code::CsvShape,
            file,
            row.span.clone(),
            format!(
                "expected 3 fields (metric,period,value), found {}",
                row.fields.len()
            ),
        );
        return;
    }
    let (id, period, value) = (
        row.fields[0].0.trim(),
        row.fields[1].0.trim(),
        row.fields[2].0.trim(),
    );
    let Some(metric) = metrics.iter_mut().find(|m| m.id == id) else {
        let d = diags.error(
            Code::UnknownReference,
            file,
            row.field_span(0),
            format!("unknown metric `{id}`: declare it in metrics.toml first"),
        );
        if let Some(s) = suggest(id, metrics.iter().map(|m| m.id.as_str())) {
            d.with_help(s);
        }
        return;
    };
    check_period(file, &S::new(row.field_span(1), period.to_string()), diags);
    let Some(v) = csv_number(file, row, value, diags) else {
        return;
    };
    let key = (id.to_string(), period.to_string());
    if let Some(line) = seen.get(&key) {
        diags.error(
            Code::DuplicateId,
            file,
            row.span.clone(),
            format!("metric `{id}` has a second value for {period} (first on line {line})"),
        );
        return;
    }
    seen.insert(key, file.line_col(row.start).0);
    if metric.values.contains_key(period) {
        diags
            .error(
                Code::DuplicateId,
                file,
                row.span.clone(),
                format!("metric `{id}` already has a value for {period} in metrics.toml"),
            )
            .with_help("keep each value in one place");
        return;
    }
    metric.values.insert(period.to_string(), v);
}

/// The value of a metrics.csv row (written `value`): a plausible number, or None (reported).
fn csv_number(file: &F, row: &CsvRow, value: &str, diags: &mut Diagnostics) -> Option<f64> {
    let Ok(v) = value.parse::<f64>() else {
        diags.error(
            Code::CsvShape,
            file,
            row.field_span(2),
            format!("`{value}` is not a number"),
        );
        return None;
    };
    if !plausible(v) {
        diags.error(Code::OutOfRange, file, row.field_span(2), IMPLAUSIBLE);
        return None;
    }
    Some(v)
}
