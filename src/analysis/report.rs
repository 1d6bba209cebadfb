//! `rank --format json` and the priorities CSV: one shape for `rank` and the site's data files.

use super::Analysis;
use super::evidence::{Reading, Source};
use super::score::{Flag, QuestionScore, RESIDUAL};
use crate::disclosure::Shown;
use crate::model::{ActionStatus, Date, Level};
use serde::Serialize;

/// Rounds for output: scores, ratings and risk to 2 decimal places, components to 4 so the
/// score can be reproduced from them to within 0.01.
pub fn round(x: f64, places: i32) -> f64 {
    let f = 10f64.powi(places);
    let r = (x * f).round() / f;
    if r == 0.0 { 0.0 } else { r }
}

/// The mean of ratings kept to 2 places, itself to 2 places, in exact hundredths: the sum of
/// the figures as printed, divided and rounded half up, so anyone averaging the printed ratings
/// gets these digits (a float sum of 1.16 and 1.17 could land either side of 1.165). None for
/// no values.
pub fn mean_2dp(values: &[f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    let hundredths: i64 = values.iter().map(|v| (v * 100.0).round() as i64).sum();
    let n = values.len() as i64;
    // Round half away from zero, in integers (ratings are never negative, but be exact).
    let q = (2 * hundredths.abs() + n) / (2 * n);
    let q = if hundredths < 0 { -q } else { q };
    Some(q as f64 / 100.0)
}

/// How far a score recomputed from the 4-place components may stray from the 2-place score.
/// Rounding gap and coverage moves the `0.1 + 0.9 × shortfall` term by at most 0.9 × 1e-4,
/// at most 0.09% of a term that is never below 0.1; the other four factors are at least 1,
/// so each moves by at most 0.005%; the score itself is rounded by up to 0.005.
pub fn reproduction_tolerance(score: f64) -> f64 {
    0.0012 * score.abs() + 0.006
}

/// `rank --format json` for one partnership: the contract's shape (design.md), aggregates only
/// (no agency's rating or text), so it is safe for `data/priorities.json` too.
#[derive(Debug, Clone, Serialize)]
pub struct RankReport {
    pub partnership: String,
    pub folder: String,
    pub cycle: String,
    pub framework: String,
    pub method: crate::model::Method,
    /// The comparable cycle: the previous one of the same method, or `compare_with`.
    pub previous_cycle: Option<String>,
    /// Like-for-like change since it, over the questions both asked.
    pub change: Option<ChangeSummary>,
    /// The deep dives whose evidence weighed on these scores.
    pub deep_dives: Vec<String>,
    /// The day overdue actions are judged on.
    pub as_of: Date,
    /// The rating scale's ends: `rating` runs from `scale.bottom` to `scale.top`.
    pub scale: super::ScaleBounds,
    pub priorities: Vec<PriorityRow>,
    /// Questions this cycle did not ask, at their latest evidence from the cycle that last
    /// asked them (`cycle`), ranked after this cycle's: the rest of the programme's risk,
    /// which the action plan and `uncovered` take in.
    pub other_cycles: Vec<PriorityRow>,
    pub actions: Vec<ActionRow>,
    /// Complete and dropped actions, by id: they no longer reduce risk.
    pub closed_actions: Vec<super::plan::ClosedAction>,
    pub uncovered: Vec<String>,
    pub not_applicable: Vec<String>,
    /// What followed each completed action (see `impact`).
    pub impact: Vec<super::impact::ActionImpact>,
}

/// What rose and fell since the comparable cycle, by the one definition (see `movement`).
#[derive(Debug, Clone, Serialize)]
pub struct ChangeSummary {
    pub cycle: String,
    pub threshold: f64,
    pub asked_now: usize,
    pub asked_then: usize,
    pub shared: usize,
    pub rose: Vec<String>,
    pub fell: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PriorityRow {
    pub rank: usize,
    /// The cycle the row's evidence is from.
    pub cycle: String,
    pub question: String,
    /// The question's text.
    pub text: String,
    pub theme: String,
    pub level: Level,
    /// None in a public data file where disclosure control hides a count it rests on.
    pub score: Option<f64>,
    /// The assessed rating (see `triangulate`): what `gap` is taken from. None when nothing
    /// rated it, or (public data files) where an exact figure could give away a hidden count.
    pub rating: Option<f64>,
    /// The assessed rating's level of the scale, in words.
    pub label: String,
    /// The cycle's own reading before any other cycle's evidence, and its source.
    pub own_rating: Option<f64>,
    pub own_source: Option<Source>,
    /// The deep-dive reading that set `rating` (`evidence-conflict`), when one did.
    pub assessed_from: Option<ReadingRow>,
    /// None where `score` is.
    pub components: Option<RoundedComponents>,
    pub flags: Vec<Flag>,
    pub moderated: bool,
    /// Agencies' answers counted: exact in `rank`; in a public data file passed through
    /// disclosure control (`answered` hidden when small, the others left out).
    pub answered: Option<Shown>,
    pub not_applicable: Option<Shown>,
    pub unanswered: Option<Shown>,
    pub spread: Option<u32>,
    pub previous: Option<PreviousRow>,
}

/// The score's factors, rounded to 4 places. `score = 100 × (0.1 + 0.9 × (1 - coverage × (1 -
/// gap))) × confidence × metrics × deterioration × theme_weight`.
#[derive(Debug, Clone, Serialize)]
pub struct RoundedComponents {
    pub gap: f64,
    pub confidence: f64,
    pub metrics: f64,
    pub theme_weight: f64,
    pub coverage: f64,
    pub deterioration: f64,
    pub after_actions: f64,
}

impl RoundedComponents {
    /// Every factor with its name, in the order the formula and the CSV files give them.
    pub fn named(&self) -> [(&'static str, f64); 7] {
        [
            ("gap", self.gap),
            ("coverage", self.coverage),
            ("confidence", self.confidence),
            ("metrics", self.metrics),
            ("deterioration", self.deterioration),
            ("after_actions", self.after_actions),
            ("theme_weight", self.theme_weight),
        ]
    }

    /// The score these rounded factors give (within [`reproduction_tolerance`] of the score).
    pub fn score(&self) -> f64 {
        let shortfall = 1.0 - self.coverage * (1.0 - self.gap);
        100.0
            * (RESIDUAL + (1.0 - RESIDUAL) * shortfall)
            * self.confidence
            * self.metrics
            * self.deterioration
            * self.after_actions
            * self.theme_weight
    }
}

/// A deep dive's reading of a question, as the report names it.
#[derive(Debug, Clone, Serialize)]
pub struct ReadingRow {
    pub cycle: String,
    pub method: crate::model::Method,
    pub source: Source,
    pub closed: Date,
    pub rating: Option<f64>,
    /// How many cases or answers it rests on.
    pub rests_on: usize,
}

impl ReadingRow {
    pub fn of(r: &Reading) -> ReadingRow {
        ReadingRow {
            cycle: r.cycle.clone(),
            method: r.method,
            source: r.source,
            closed: r.closed,
            rating: r.rating,
            rests_on: r.rests_on(),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct PreviousRow {
    pub cycle: String,
    pub rating: Option<f64>,
    pub score: Option<f64>,
    /// Rose, fell or held, by the partnership's change threshold: the site's definition.
    pub movement: super::Movement,
}

#[derive(Debug, Clone, Serialize)]
pub struct ActionRow {
    pub rank: usize,
    pub action: String,
    pub title: String,
    pub owner: String,
    /// The ranked questions this action newly covers; `risk_covered` is their scores' sum.
    pub covers: Vec<String>,
    /// None in a public data file: a sum of scores, some of which may be withheld.
    pub risk_covered: Option<f64>,
    /// Every ranked question it addresses, including those an earlier action covers.
    pub addresses: Vec<String>,
    pub due: Date,
    pub status: ActionStatus,
    pub overdue: bool,
}

impl PriorityRow {
    /// One question's row; `threshold` is the move that counts as a rise or a fall.
    pub fn of(s: &QuestionScore, threshold: f64) -> PriorityRow {
        let c = &s.components;
        PriorityRow {
            rank: s.rank,
            cycle: s.cycle.clone(),
            question: s.question.clone(),
            text: String::new(),
            theme: s.theme.clone(),
            level: s.level,
            score: Some(round(s.score, 2)),
            rating: s.rating.map(|r| round(r, 2)),
            label: s.label.clone(),
            own_rating: s.own_rating.map(|r| round(r, 2)),
            own_source: s.own_source,
            assessed_from: s.lowered_by.as_ref().map(ReadingRow::of),
            components: Some(RoundedComponents {
                gap: round(c.gap, 4),
                confidence: round(c.confidence, 4),
                metrics: round(c.metrics, 4),
                theme_weight: round(c.theme_weight, 4),
                coverage: round(c.coverage, 4),
                deterioration: round(c.deterioration, 4),
                after_actions: round(c.after_actions, 4),
            }),
            flags: s.flags.clone(),
            moderated: s.moderated,
            answered: Some(Shown::Exact(s.answered)),
            not_applicable: Some(Shown::Exact(s.not_applicable)),
            unanswered: Some(Shown::Exact(s.unanswered)),
            spread: s.spread,
            previous: s.previous.as_ref().map(|p| PreviousRow {
                cycle: p.cycle.clone(),
                rating: p.rating.map(|r| round(r, 2)),
                score: Some(round(p.score, 2)),
                movement: super::movement(p.rating, s.rating, threshold),
            }),
        }
    }
}

impl RankReport {
    /// The report with what followed each completed action.
    pub fn with_impact(mut self, impact: &[super::impact::ActionImpact]) -> RankReport {
        self.impact = impact.to_vec();
        self
    }

    /// The report, with only the first `top` priorities when given (the plan always covers all).
    pub fn of(a: &Analysis, top: Option<usize>) -> RankReport {
        let shown = top.unwrap_or(usize::MAX);
        RankReport {
            partnership: a.partnership.clone(),
            folder: a.folder.clone(),
            cycle: a.cycle.clone(),
            framework: a.framework.clone(),
            method: a.method,
            previous_cycle: a.previous_cycle.clone(),
            change: a.comparison.as_ref().map(ChangeSummary::of),
            deep_dives: a.deep_dives.clone(),
            as_of: a.plan.as_of,
            scale: a.scale.clone(),
            priorities: a
                .ranking
                .priorities
                .iter()
                .take(shown)
                .map(|s| PriorityRow::with_text(a, s))
                .collect(),
            other_cycles: a
                .elsewhere
                .iter()
                .take(shown.saturating_sub(a.ranking.priorities.len()))
                .map(|s| PriorityRow::with_text(a, s))
                .collect(),
            actions: a.plan.actions.iter().map(ActionRow::of).collect(),
            closed_actions: a.plan.not_open.clone(),
            uncovered: a.plan.uncovered.clone(),
            not_applicable: a.ranking.not_applicable.clone(),
            impact: Vec::new(),
        }
    }
}

impl ChangeSummary {
    /// The comparison in counts and question ids.
    fn of(c: &super::Comparison) -> ChangeSummary {
        ChangeSummary {
            cycle: c.cycle.clone(),
            threshold: c.threshold,
            asked_now: c.asked_now,
            asked_then: c.asked_then,
            shared: c.shared,
            rose: c.rose.iter().map(|m| m.question.clone()).collect(),
            fell: c.fell.iter().map(|m| m.question.clone()).collect(),
        }
    }
}

impl ActionRow {
    /// One action of the plan, its risk rounded to two places.
    fn of(p: &super::plan::PlannedAction) -> ActionRow {
        ActionRow {
            rank: p.rank,
            action: p.action.clone(),
            title: p.title.clone(),
            owner: p.owner.clone(),
            covers: p.covers.clone(),
            risk_covered: Some(round(p.risk_covered, 2)),
            addresses: p.addresses.clone(),
            due: p.due,
            status: p.status,
            overdue: p.overdue,
        }
    }
}

impl PriorityRow {
    /// The row of a scored question, with its text from the analysis.
    fn with_text(a: &Analysis, s: &QuestionScore) -> PriorityRow {
        PriorityRow {
            text: a
                .question_text
                .get(&s.question)
                .cloned()
                .unwrap_or_default(),
            ..PriorityRow::of(s, a.change_threshold)
        }
    }
}

/// A cell for a CSV file someone may open in a spreadsheet. Text a spreadsheet would take for
/// a formula (starting with `=`, `+`, `-`, `@`, a tab or a carriage return: a partnership's
/// name, a label) gets a leading `'`, as OWASP advises, so it shows as text and never runs.
/// Numbers, negative ones included, are left as they are.
pub fn csv_cell(cell: String) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) && !is_plain_number(&cell) {
        format!("'{cell}")
    } else {
        cell
    }
}

/// A number as panelaudit writes one: an optional sign, digits, a point, an exponent
/// (`-0.25`, `1e-5`), and nothing a spreadsheet could read as a formula or a name (`-inf`).
fn is_plain_number(s: &str) -> bool {
    let body = s.strip_prefix(['-', '+']).unwrap_or(s);
    body.starts_with(|c: char| c.is_ascii_digit() || c == '.')
        && body
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '-' | '+'))
        && s.parse::<f64>().is_ok()
}

/// The columns of the priorities CSV, in order.
const PRIORITIES_HEADER: [&str; 27] = [
    "partnership",
    "cycle",
    "rank",
    "question",
    "theme",
    "level",
    "rating",
    "score",
    "gap",
    "coverage",
    "confidence",
    "metrics",
    "deterioration",
    "after_actions",
    "theme_weight",
    "own_rating",
    "own_source",
    "assessed_from",
    "answered",
    "not_applicable",
    "unanswered",
    "moderated",
    "flags",
    "previous_cycle",
    "previous_rating",
    "previous_score",
    "change",
];

/// The priorities as CSV, one row per ranked question: what `rank --format csv` prints and
/// what the site publishes as `data/priorities.csv`, written in one place so they never drift.
pub fn priorities_csv(reports: &[RankReport]) -> Result<Vec<u8>, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(PRIORITIES_HEADER)?;
    for report in reports {
        for r in report.priorities.iter().chain(&report.other_cycles) {
            let row = priority_csv_row(&report.partnership, r);
            w.write_record(row.into_iter().map(csv_cell))?;
        }
    }
    w.into_inner().map_err(|e| e.into_error().into())
}

/// One ranked question's row of the priorities CSV, its cells in [`PRIORITIES_HEADER`]'s order.
fn priority_csv_row(partnership: &str, r: &PriorityRow) -> Vec<String> {
    let opt = |x: Option<f64>| x.map(|v| v.to_string()).unwrap_or_default();
    let count = |x: Option<Shown>| x.map(Shown::data).unwrap_or_default();
    let flags: Vec<&str> = r.flags.iter().map(|f| f.as_str()).collect();
    let components: Vec<String> = match &r.components {
        Some(c) => c.named().iter().map(|(_, v)| v.to_string()).collect(),
        None => vec![String::new(); 7],
    };
    let mut row = vec![
        partnership.to_string(),
        r.cycle.clone(),
        r.rank.to_string(),
        r.question.clone(),
        r.theme.clone(),
        r.level.to_string(),
        opt(r.rating),
        opt(r.score),
    ];
    row.extend(components);
    row.extend([
        opt(r.own_rating),
        r.own_source
            .map_or(String::new(), |s| s.words().to_string()),
        r.assessed_from
            .as_ref()
            .map_or(String::new(), |a| a.cycle.clone()),
        count(r.answered),
        count(r.not_applicable),
        count(r.unanswered),
        r.moderated.to_string(),
        flags.join(";"),
        r.previous
            .as_ref()
            .map(|p| p.cycle.clone())
            .unwrap_or_default(),
        opt(r.previous.as_ref().and_then(|p| p.rating)),
        opt(r.previous.as_ref().and_then(|p| p.score)),
        r.previous.as_ref().map_or(String::new(), |p| {
            serde_json::to_value(p.movement)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default()
        }),
    ]);
    row
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mean_of_printed_ratings_rounds_half_up_in_exact_hundredths() {
        // 1.16 + 1.17 = 2.33, half is 1.165: a float sum may land below it.
        assert_eq!(mean_2dp(&[1.16, 1.17]), Some(1.17));
        assert_eq!(mean_2dp(&[1.0, 2.0, 2.0]), Some(1.67));
        assert_eq!(mean_2dp(&[0.67]), Some(0.67));
        assert_eq!(mean_2dp(&[]), None);
        let many = [
            1.25, 1.33, 1.0, 0.67, 1.14, 1.29, 1.36, 1.07, 1.13, 1.21, 1.25, 1.2,
        ];
        let exact: i64 = many.iter().map(|v| (v * 100.0_f64).round() as i64).sum();
        assert_eq!(exact, 1390);
        assert_eq!(mean_2dp(&many), Some(1.16));
    }

    #[test]
    fn csv_cells_a_spreadsheet_would_run_are_made_text_and_numbers_left_alone() {
        let cell = |s: &str| csv_cell(s.to_string());
        for risky in [
            "=HYPERLINK(\"http://x.example\",\"open\")",
            "+1+cmd|' /C calc'!A0",
            "-2+3",
            "@SUM(A1:A2)",
            "\tindented",
            "\rreturn",
            "-",
            "-inf",
            "+NaN",
        ] {
            assert_eq!(cell(risky), format!("'{risky}"), "{risky:?}");
        }
        for plain in [
            "-1", "-0.25", "+3", "-1.5e-3", "124.38", "0", "", "n/a", "a-b", "Fenmoor",
        ] {
            assert_eq!(cell(plain), plain, "{plain:?}");
        }
    }
}
