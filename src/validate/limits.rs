//! The limits of `crate::limits` applied to what was loaded: counts inside files, checked
//! before anything else looks at them (so 100,000 agencies are refused in one message, not
//! validated one by one), and the nesting of every Markdown text that a page renders.

use super::common::F;
use crate::diag::{Code, Diagnostics};
use crate::limits::{self, *};
use crate::load::raw::{FrameworkFile, MetricsFile, PartnershipFile, S};
use crate::load::{Parsed, RawAudit, RawCycle};
use std::ops::Range;

/// Reports every list longer than its limit. True when there was one: the audit is then not
/// validated further, since every later check is at least linear in these lists.
pub(super) fn counts(raw: &RawAudit, diags: &mut Diagnostics) -> bool {
    let before = diags.error_count();
    let mut c = Counter { diags };
    if let Some(p) = &raw.partnership {
        c.partnership(p);
    }
    for f in &raw.local_frameworks {
        c.framework(f);
    }
    if let Some(m) = &raw.metrics {
        c.metrics(m);
    }
    if let Some(csv) = raw.metrics_csv.as_ref().map(|p| &p.file) {
        let rows = csv.text.lines().count().saturating_sub(1);
        if rows > MAX_METRIC_ROWS {
            let at = nth_line_start(&csv.text, MAX_METRIC_ROWS + 1);
            c.report(csv, at..at, rows, MAX_METRIC_ROWS, "rows");
        }
    }
    if let Some(a) = &raw.actions {
        c.list(&a.file, &a.value.actions, MAX_ACTIONS, "actions");
        for x in a.value.actions.iter().take(MAX_ACTIONS) {
            let x = x.get_ref();
            c.list(
                &a.file,
                &x.addresses,
                MAX_QUESTIONS,
                "questions for one action",
            );
        }
    }
    for cy in &raw.cycles {
        c.cycle(cy);
    }
    c.diags.error_count() > before
}

/// The terms of `publication/deny.txt`, or none when it holds more than [`MAX_DENY_TERMS`]
/// (reported at the first term past the limit): every text of the partnership is matched
/// against every term.
pub(super) fn deny_list(file: &F, diags: &mut Diagnostics) -> Vec<String> {
    let entries = crate::load::deny::deny_entries(&file.text);
    if let Some((at, _)) = entries.get(MAX_DENY_TERMS) {
        let mut c = Counter { diags };
        c.report(
            file,
            *at..*at,
            entries.len(),
            MAX_DENY_TERMS,
            "terms in the deny list",
        );
        return Vec::new();
    }
    entries.into_iter().map(|(_, t)| t).collect()
}

struct Counter<'a> {
    diags: &'a mut Diagnostics,
}

impl Counter<'_> {
    /// partnership.toml's lists: agencies, banks, theme weights, allowed strings.
    fn partnership(&mut self, p: &Parsed<PartnershipFile>) {
        let v = &p.value;
        self.list(&p.file, &v.agencies, MAX_AGENCIES, "agencies");
        self.list(
            &p.file,
            v.frameworks.get_ref(),
            MAX_SMALL_LIST,
            "frameworks",
        );
        if let Some(pr) = &v.priority {
            self.keys(
                &p.file,
                pr.theme_weights.keys(),
                MAX_THEMES,
                "theme weights",
            );
        }
        if let Some(pb) = &v.publication {
            self.list(&p.file, &pb.allow, MAX_ANSWERS, "allowed strings");
        }
    }

    /// A local question bank's lists: its scale, themes, questions, and each question's
    /// prompts and metrics.
    fn framework(&mut self, f: &Parsed<FrameworkFile>) {
        let v = &f.value;
        self.list(
            &f.file,
            v.scale.get_ref(),
            MAX_SMALL_LIST,
            "points on the scale",
        );
        self.list(&f.file, v.themes.get_ref(), MAX_THEMES, "themes");
        self.list(&f.file, v.questions.get_ref(), MAX_QUESTIONS, "questions");
        for q in v.questions.get_ref() {
            let q = q.get_ref();
            self.list(
                &f.file,
                &q.prompts,
                MAX_SMALL_LIST,
                "prompts for one question",
            );
            self.list(
                &f.file,
                &q.metrics,
                MAX_SMALL_LIST,
                "metrics for one question",
            );
        }
    }

    /// metrics.toml's metrics, and each one's values, themes and questions.
    fn metrics(&mut self, m: &Parsed<MetricsFile>) {
        self.list(&m.file, &m.value.metrics, MAX_METRICS, "metrics");
        for e in m.value.metrics.iter().take(MAX_METRICS) {
            let e = e.get_ref();
            self.keys(
                &m.file,
                e.values.keys(),
                MAX_METRIC_VALUES,
                "values for one metric",
            );
            self.list(&m.file, &e.themes, MAX_THEMES, "themes for one metric");
            self.list(
                &m.file,
                &e.questions,
                MAX_QUESTIONS,
                "questions for one metric",
            );
        }
    }

    /// A cycle's scope, each return's answers, the moderated questions.
    fn cycle(&mut self, cy: &RawCycle) {
        if let Some(cf) = &cy.cycle
            && let Some(scope) = &cf.value.scope
        {
            self.list(&cf.file, &scope.themes, MAX_THEMES, "themes in scope");
            self.list(&cf.file, &scope.levels, MAX_SMALL_LIST, "levels in scope");
            self.list(&cf.file, &scope.agencies, MAX_AGENCIES, "agencies in scope");
        }
        for (_, r) in &cy.responses {
            self.keys(&r.file, r.value.answers.keys(), MAX_ANSWERS, "answers");
        }
        if let Some(m) = &cy.moderation {
            self.keys(
                &m.file,
                m.value.questions.keys(),
                MAX_ANSWERS,
                "moderated questions",
            );
        }
    }

    fn list<T>(&mut self, file: &F, items: &[S<T>], max: usize, what: &str) {
        if let Some(first_too_many) = items.get(max) {
            self.report(file, first_too_many.span(), items.len(), max, what);
        }
    }

    /// The keys of a table, whose order is not the file's: reported at the first key past
    /// the limit in the file.
    fn keys<'k>(
        &mut self,
        file: &F,
        keys: impl ExactSizeIterator<Item = &'k S<String>>,
        max: usize,
        what: &str,
    ) {
        let len = keys.len();
        if len > max {
            let mut spans: Vec<Range<usize>> = keys.map(|k| k.span()).collect();
            let (_, at, _) = spans.select_nth_unstable_by_key(max, |s| s.start);
            let at = at.clone();
            self.report(file, at, len, max, what);
        }
    }

    fn report(&mut self, file: &F, at: Range<usize>, len: usize, max: usize, what: &str) {
        self.diags
            .error(
                Code::TooLarge,
                file,
                at,
                format!(
                    "{len} {what}; at most {max} are accepted (this is the first past the limit)"
                ),
            )
            .with_help(
                "this is far beyond any real partnership; the limits are listed in the user guide (docs/src/files/overview.md#limits)",
            );
    }
}

fn nth_line_start(text: &str, line: usize) -> usize {
    text.match_indices('\n')
        .nth(line.saturating_sub(2))
        .map_or(0, |(i, _)| i + 1)
}

/// Reports every Markdown text a page renders (briefings, summaries, evidence, gaps, notes,
/// progress, definitions) that nests lists and quotes, indents, or marks up beyond the limits,
/// at the offending line where the file shows it.
pub(super) fn markdown(raw: &RawAudit, diags: &mut Diagnostics) {
    let mut check = |file: &F, value: &Option<S<String>>, what: &str| {
        if let Some(v) = value {
            field(file, v, what, diags);
        }
    };
    for f in &raw.local_frameworks {
        check(&f.file, &f.value.summary, "the bank's summary");
        for t in f.value.themes.get_ref() {
            check(&f.file, &t.get_ref().summary, "a theme's summary");
        }
    }
    for m in raw.metrics.iter() {
        for e in &m.value.metrics {
            check(&m.file, &e.get_ref().definition, "a metric's definition");
        }
    }
    if let Some(a) = &raw.actions {
        for x in &a.value.actions {
            check(&a.file, &x.get_ref().progress, "an action's progress");
        }
    }
    for cy in &raw.cycles {
        for (_, r) in &cy.responses {
            for a in r.value.answers.values() {
                let a = a.get_ref();
                check(&r.file, &a.evidence, "the evidence");
                check(&r.file, &a.gaps, "the gaps");
                check(&r.file, &a.internal, "the internal note");
            }
        }
        if let Some(m) = &cy.moderation {
            for e in m.value.questions.values() {
                check(&m.file, &e.get_ref().note, "the moderation note");
                check(&m.file, &e.get_ref().public_summary, "the public summary");
            }
        }
    }
    for b in &raw.briefings {
        let body = &b.file.text[b.body_start..];
        if let Some(d) = limits::markdown_over_limits(body) {
            let at = b.body_start + d.offset;
            diags
                .error(Code::TooLarge, &b.file, at..at, d.message)
                .with_help(HELP);
        }
        if let Some(front) = &b.front {
            field(&b.file, &front.summary, "the summary", diags);
        }
    }
}

const HELP: &str = "flatten the lists or quotes, or take out markup: past the Markdown limits (the user guide, docs/src/files/overview.md#limits) nothing can be read on a page";

/// One Markdown field of a TOML file: located at the offending line when the file writes the
/// text as it reads (no escapes), else at the field.
fn field(file: &F, value: &S<String>, what: &str, diags: &mut Diagnostics) {
    let Some(d) = limits::markdown_over_limits(value.get_ref()) else {
        return;
    };
    let span = value.span();
    let line_text = value.get_ref()[d.offset..]
        .split('\n')
        .next()
        .unwrap_or_default();
    let at = file
        .text
        .get(span.clone())
        .filter(|_| !line_text.trim().is_empty())
        .and_then(|written| written.find(line_text))
        .map_or(span.start, |i| span.start + i);
    diags
        .error(
            Code::TooLarge,
            file,
            at..at,
            format!("in {what}, line {}: {}", d.line, d.message),
        )
        .with_help(HELP);
}
