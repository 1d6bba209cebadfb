//! A page per question in scope: the partnership's rating, the agencies' answers counted (never
//! who said what), the metrics bearing on it and the actions addressing it.

use super::actions::ActionsPage;
use super::priorities::PriorityRow;
use super::{Ctx, Publisher, Ref, Tag, confidence_word, level_word, rag_class};
use crate::analysis::Analysis;
use crate::analysis::evidence::{Basis, Reading};
use crate::analysis::score::{MetricSignal, QuestionScore};
use crate::disclosure;
use crate::format::with_unit;
use crate::model::{Better, Confidence, Cycle, Framework, Question};
use serde::Serialize;

#[derive(Debug, Serialize)]
pub struct QuestionPage {
    pub id: String,
    pub text: String,
    pub theme: Ref,
    pub level: &'static str,
    pub prompts: Vec<String>,
    /// None when every answer was "not applicable" (not ranked).
    pub priority: Option<PriorityRow>,
    pub rating: Tag,
    pub moderated: bool,
    pub public_summary_html: Option<String>,
    /// How evidence of practice bears on the rating, in plain words: a deep dive that read it
    /// lower and set the rating, or the moderation panel having weighed one.
    pub assessment: Vec<String>,
    /// None when the cycle shown collected no returns (a case audit or survey on its own).
    pub aggregate: Option<Aggregate>,
    pub previous: Option<String>,
    pub metrics: Vec<SignalView>,
    pub actions: Vec<ActionRef>,
    /// The cycle whose results the page shows (the main cycle, or for a question only a deep
    /// dive asked, the latest cycle that asked it).
    pub from_cycle: Ref,
    /// The main cycle did not ask this question.
    pub outside_main: bool,
    /// What every cycle that asked it found, oldest first, each with its method and date.
    pub evidence: Vec<EvidenceRow>,
}

/// One cycle's evidence on a question: every reading it made, and its assessed rating.
#[derive(Debug, Clone, Serialize)]
pub struct EvidenceRow {
    pub cycle: Ref,
    pub method: String,
    pub date: String,
    /// The cycle's assessed rating of the question (what its pages and data files show).
    pub rating: Tag,
    pub main: bool,
    pub readings: Vec<ReadingView>,
}

/// One reading: where it comes from, what it read, and what it rests on (public-safe).
#[derive(Debug, Clone, Serialize)]
pub struct ReadingView {
    pub source: String,
    pub rating: Tag,
    pub basis: String,
}

/// How the agencies answered, counted: never who said what. On public pages every count has
/// passed disclosure control (`crate::disclosure`).
#[derive(Debug, Clone, Serialize)]
pub struct Aggregate {
    /// Agencies the cycle asked.
    pub agencies: usize,
    /// Agencies that gave a rating ("fewer than 3" when too few).
    pub rated: String,
    /// Internal pages only: agencies that said "n/a" and that gave no answer.
    pub not_applicable: Option<usize>,
    pub unanswered: Option<usize>,
    /// Ratings per level, lowest first; None when withheld (too few agencies, or no way to
    /// show them without a small count being worked out).
    pub levels: Option<Vec<LevelCount>>,
    /// Ratings per confidence, highest first; None when withheld.
    pub confidence: Option<Vec<(String, String)>>,
    /// Published only when no count is hidden.
    pub range: Option<String>,
    pub agencies_mean: Option<String>,
    /// Why some counts are not shown, when some are.
    pub suppression_note: Option<String>,
}

/// How many agencies rated at one level, as a public page may show it.
#[derive(Debug, Clone, Serialize)]
pub struct LevelCount {
    pub status: Tag,
    pub count: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct SignalView {
    pub metric: Ref,
    pub latest: String,
    pub reading: Vec<String>,
    pub status: Tag,
}

#[derive(Debug, Clone, Serialize)]
pub struct ActionRef {
    pub id: String,
    pub title: String,
    pub status: Tag,
    pub due: String,
    pub overdue: bool,
}

pub(super) fn question_pages(
    ctx: &Ctx<'_>,
    priorities: &[PriorityRow],
    actions: &ActionsPage,
    p: &mut Publisher,
) -> Vec<QuestionPage> {
    let Some((main_cycle, _, main_fw)) = ctx.latest else {
        return Vec::new();
    };
    // The main cycle's questions in its framework order, then the others by id.
    let main_order: Vec<&str> = main_cycle
        .questions(main_fw)
        .map(|q| q.id.as_str())
        .collect();
    let mut ids: Vec<&str> = ctx.pages.keys().copied().collect();
    ids.sort_by_key(|id| {
        (
            main_order
                .iter()
                .position(|m| m == id)
                .unwrap_or(usize::MAX),
            *id,
        )
    });
    let seen = Seen {
        main_cycle,
        priorities,
        actions,
    };
    ids.into_iter()
        .filter_map(|id| asked_in(ctx, id, main_order.contains(&id)))
        .map(|asked| question_page(ctx, &seen, asked, p))
        .collect()
}

/// What every question page is read against.
struct Seen<'v> {
    main_cycle: &'v Cycle,
    priorities: &'v [PriorityRow],
    actions: &'v ActionsPage,
}

/// The cycle a question's page reports it from: the main cycle for its questions, else the
/// latest cycle that asked it.
fn asked_in<'a>(
    ctx: &Ctx<'a>,
    id: &str,
    in_main: bool,
) -> Option<(&'a Cycle, &'a Analysis, &'a Framework, &'a Question)> {
    let (c, a, fw) = if in_main {
        ctx.latest?
    } else {
        let c = ctx.audit.cycles.iter().rev().find(|c| {
            ctx.audit
                .frameworks
                .get(&c.framework)
                .is_some_and(|fw| c.questions(fw).any(|q| q.id == id))
        })?;
        let a = &ctx.record(&c.id)?.analysis;
        (c, a, ctx.audit.frameworks.get(&c.framework)?)
    };
    let q = fw.question(id)?;
    Some((c, a, fw, q))
}

fn question_page(
    ctx: &Ctx<'_>,
    seen: &Seen<'_>,
    (c, a, fw, q): (&Cycle, &Analysis, &Framework, &Question),
    p: &mut Publisher,
) -> QuestionPage {
    let score = a.ranking.priorities.iter().find(|s| s.question == q.id);
    let moderation = c.moderated(&q.id);
    let public_summary_html = moderation
        .and_then(|m| m.public_summary.as_ref().map(|s| (m, s)))
        .map(|(m, s)| p.markdown(&m.loc, s, 3));
    let aggregate = aggregate(ctx, c, fw, &q.id, p);
    let mut assessment = score.map_or_else(Vec::new, |s| assessment(ctx, fw, s, p));
    if a.ranking.withheld.contains(&q.id) {
        assessment.push(withheld_words(ctx));
    }
    let signals = match score {
        Some(s) => s.metrics.iter().map(|m| signal_view(ctx, m, p)).collect(),
        None => Vec::new(),
    };
    QuestionPage {
        id: q.id.clone(),
        text: p.text(&q.loc, &q.text),
        theme: ctx.theme_ref(&q.theme, p),
        level: level_word(q.level),
        prompts: q.prompts.iter().map(|s| p.text(&q.loc, s)).collect(),
        priority: (c.id == seen.main_cycle.id)
            .then(|| {
                seen.priorities
                    .iter()
                    .find(|r| r.question.id == q.id)
                    .cloned()
            })
            .flatten(),
        rating: match score {
            Some(s) => ctx.rating_tag(fw, s.rating),
            None if a.ranking.withheld.contains(&q.id) => Tag::new("Not published", "grey"),
            None => Tag::new("Not applicable", "grey"),
        },
        moderated: score.is_some_and(|s| s.moderated),
        public_summary_html,
        assessment,
        aggregate,
        previous: score.and_then(|s| s.previous.as_ref()).map(|pr| {
            format!(
                "In {} it was rated {}.",
                pr.cycle,
                ctx.rating_tag(fw, pr.rating).text
            )
        }),
        metrics: signals,
        actions: action_refs(seen.actions, &q.id),
        from_cycle: Ref {
            id: c.id.clone(),
            text: p.text(&c.loc, &c.title),
            href: Some(crate::site::routes::cycle_href(&c.id)),
        },
        outside_main: c.id != seen.main_cycle.id,
        evidence: evidence_rows(ctx, &q.id, seen.main_cycle, p),
    }
}

/// The actions that address question `id`.
fn action_refs(actions: &ActionsPage, id: &str) -> Vec<ActionRef> {
    actions
        .actions
        .iter()
        .filter(|x| x.addresses.iter().any(|r| r.id == id))
        .map(|x| ActionRef {
            id: x.id.clone(),
            title: x.title.clone(),
            status: x.status.clone(),
            due: x.due.clone(),
            overdue: x.overdue,
        })
        .collect()
}

/// Why a question's rating is not on a public page.
fn withheld_words(ctx: &Ctx<'_>) -> String {
    format!(
        "Fewer than {} agencies rated it, so their rating is not published: it would point at one agency's own answer.",
        ctx.audit.partnership.disclosure.min_agencies
    )
}

/// How the deep dives bear on a question's assessed rating, in plain words.
fn assessment(ctx: &Ctx<'_>, fw: &Framework, s: &QuestionScore, p: &mut Publisher) -> Vec<String> {
    let mut out = Vec::new();
    let title = |cycle: &str, p: &mut Publisher| {
        ctx.audit
            .cycle(cycle)
            .map_or(cycle.to_string(), |c| p.text(&c.loc, &c.title))
    };
    let own = ctx.rating_tag(fw, s.own_rating).text;
    let whose = if s.moderated {
        "The moderated rating"
    } else {
        "The agencies' own rating"
    };
    if let Some(r) = &s.lowered_by {
        out.push(format!(
            "{whose} was {own}, but the {} “{}” ({}) found {} from the {}, so that is the rating used here until the moderation panel has weighed it.",
            r.method.words(),
            title(&r.cycle, p),
            r.closed.long(),
            ctx.rating_tag(fw, r.rating).text.to_lowercase(),
            r.source.words(),
        ));
    }
    for w in s.weighed.iter().filter(|w| w.considered_on.is_some()) {
        let r = &w.reading;
        out.push(format!(
            "The moderation panel weighed the {} “{}”, which found {} from the {}, on {} and set the rating shown.",
            r.method.words(),
            title(&r.cycle, p),
            ctx.rating_tag(fw, r.rating).text.to_lowercase(),
            r.source.words(),
            w.considered_on.map_or(String::new(), |d| d.long()),
        ));
    }
    out
}

/// Counts of the agencies' answers to one question: no agency named. None when the cycle
/// collected no returns, or (public pages) fewer agencies than the minimum took part.
fn aggregate(
    ctx: &Ctx<'_>,
    c: &Cycle,
    fw: &Framework,
    question: &str,
    p: &mut Publisher,
) -> Option<Aggregate> {
    let tally = ctx.record(&c.id)?.evidence.tallies.get(question)?;
    if !ctx.agency_figures(c) {
        return None;
    }
    let d = ctx.disclosure(c, fw, question);
    let min = ctx.audit.partnership.disclosure.min_agencies;
    let levels = d.levels.as_ref().map(|cells| {
        fw.scale
            .iter()
            .zip(cells)
            .map(|(l, shown)| LevelCount {
                status: Tag::new(l.label.clone(), rag_class(l.rag)),
                count: shown.to_string(),
            })
            .collect()
    });
    let confidence = d.confidence.as_ref().map(|cells| {
        Confidence::ALL
            .iter()
            .rev()
            .zip(cells)
            .map(|(c, shown)| (confidence_word(*c).to_string(), shown.to_string()))
            .collect()
    });
    let hidden = |t: &Option<Vec<crate::disclosure::Shown>>| {
        t.as_ref().is_none_or(|c| c.iter().any(|s| !s.is_exact()))
    };
    let protected = d.agencies_rating && (hidden(&d.levels) || hidden(&d.confidence));
    let rated = d.rated.is_exact().then_some(tally.ratings.len());
    for (what, cells) in [
        ("ratings at each level", &d.levels),
        ("confidence", &d.confidence),
    ] {
        if let Some(cells) = cells {
            p.tables.push(super::PublishedTable {
                name: format!("questions/{question} ({}): agencies' {what}", c.id),
                cells: cells.clone(),
                total: rated,
                upper: tally.agencies,
                min,
                derived: d.exact,
            });
        }
    }
    Some(Aggregate {
        agencies: tally.agencies,
        rated: d.rated.to_string(),
        not_applicable: (!ctx.public).then_some(tally.not_applicable),
        unanswered: (!ctx.public).then_some(tally.unanswered),
        levels,
        confidence,
        range: tally.range().filter(|_| d.exact).map(|(lo, hi)| {
            // Public pages name the levels in words; internal ones give the scale's figures.
            let word = |v: u32| match fw.level(v) {
                Some(l) if ctx.public => l.label.to_lowercase(),
                _ => v.to_string(),
            };
            if lo == hi {
                format!("All ratings were {}", word(lo))
            } else {
                format!("From {} to {}", word(lo), word(hi))
            }
        }),
        agencies_mean: tally
            .mean()
            .filter(|_| d.exact && !ctx.public)
            .map(crate::format::rating),
        suppression_note: protected.then(|| {
            format!(
                "A count from 1 to {} is not shown, and neither is any count from which it could be worked out, nor the average or range, so that no agency's rating can be singled out; where no count could be shown safely, the table is left out.",
                min - 1
            )
        }),
    })
}

fn signal_view(ctx: &Ctx<'_>, m: &MetricSignal, p: &mut Publisher) -> SignalView {
    let metric = match ctx.audit.metric(&m.metric) {
        Some(met) => ctx.metric_ref(met, p),
        None => Ref {
            id: m.metric.clone(),
            text: m.title.clone(),
            href: None,
        },
    };
    let mut reading = Vec::new();
    if let Some(t) = m.target {
        reading.push(format!("Target {}", with_unit(t, &m.unit)));
    }
    if let (Some(v), Some(l)) = (m.comparator, &m.comparator_label) {
        let label = ctx
            .audit
            .metric(&m.metric)
            .map_or(l.clone(), |met| p.text(&met.loc, l));
        reading.push(format!("{label}: {}", with_unit(v, &m.unit)));
    }
    if let (Some(v), Some(per)) = (m.previous, &m.previous_period) {
        reading.push(format!("{per}: {}", with_unit(v, &m.unit)));
    }
    SignalView {
        metric,
        latest: match (m.value, &m.period) {
            (Some(v), Some(per)) => format!("{} ({per})", with_unit(v, &m.unit)),
            _ => "No value yet".into(),
        },
        reading,
        status: signal_tag(m),
    }
}

fn signal_tag(m: &MetricSignal) -> Tag {
    if m.better == Better::Neither {
        Tag::new("Context only", "grey")
    } else if m.value.is_none() {
        Tag::new("No data", "grey")
    } else if m.off_target {
        Tag::new("Worse than target", "red")
    } else if m.worse_than_comparator {
        Tag::new("Worse than comparator", "orange")
    } else if m.worsening {
        Tag::new("Getting worse", "orange")
    } else if m.target.is_some() {
        Tag::new("On target", "green")
    } else {
        Tag::new("No target", "grey")
    }
}

/// Every cycle that asked `question`, oldest first, with its assessed rating there and each
/// of its readings with what it rests on.
fn evidence_rows(
    ctx: &Ctx<'_>,
    question: &str,
    main: &Cycle,
    p: &mut Publisher,
) -> Vec<EvidenceRow> {
    ctx.audit
        .cycles
        .iter()
        .filter_map(|c| {
            let fw = ctx.audit.frameworks.get(&c.framework)?;
            c.questions(fw).find(|q| q.id == question)?;
            let record = ctx.record(&c.id)?;
            let s = ctx.ledger.score(&c.id, question);
            let mut readings: Vec<ReadingView> = record
                .evidence
                .readings
                .get(question)
                .map(|rs| rs.iter().map(|r| reading_view(ctx, fw, r)).collect())
                .unwrap_or_default();
            if record
                .analysis
                .ranking
                .withheld
                .iter()
                .any(|w| w == question)
            {
                readings.insert(
                    0,
                    ReadingView {
                        source: "Agencies' ratings".into(),
                        rating: Tag::new("Not published", "grey"),
                        basis: withheld_words(ctx),
                    },
                );
            }
            if ctx.public
                && c.signed_off.is_none()
                && (!c.cases.is_empty() || !c.surveys.is_empty())
            {
                readings.push(ReadingView {
                    source: "Case files and surveys".into(),
                    rating: Tag::new("Not yet published", "grey"),
                    basis: "published once the round is signed off".into(),
                });
            }
            if readings.is_empty() {
                readings.push(ReadingView {
                    source: "None".into(),
                    rating: Tag::new("No evidence", "grey"),
                    basis: "no case or answer bore on it".into(),
                });
            }
            Some(EvidenceRow {
                cycle: Ref {
                    id: c.id.clone(),
                    text: p.text(&c.loc, &c.title),
                    href: Some(crate::site::routes::cycle_href(&c.id)),
                },
                method: super::method_word(c.method),
                date: c.closed.long(),
                rating: match s {
                    Some(s) => ctx.rating_tag(fw, s.rating),
                    None => Tag::new("Not applicable", "grey"),
                },
                main: c.id == main.id,
                readings,
            })
        })
        .collect()
}

/// One reading as a page shows it, its counts held to the publication minimums.
fn reading_view(ctx: &Ctx<'_>, fw: &Framework, r: &Reading) -> ReadingView {
    let min = &ctx.audit.partnership.disclosure;
    let basis = match &r.basis {
        Basis::Agencies {
            rated,
            not_applicable,
            unanswered,
        } => format!(
            "{} of {} agencies gave a rating",
            disclosure::shown(*rated, min.min_agencies),
            rated + not_applicable + unanswered
        ),
        Basis::Moderation { moderated_on, .. } => moderated_on.map_or_else(
            || "set by the moderation panel".to_string(),
            |d| format!("set by the moderation panel on {}", d.long()),
        ),
        Basis::Cases(_) => case_basis(r, min.min_cases),
        Basis::Survey { .. } => super::surveys::reading_figure(ctx, fw, r, min.min_responses).0,
    };
    let hidden = matches!(r.basis, Basis::Survey { fewest, .. } if fewest < min.min_responses)
        || matches!(&r.basis, Basis::Cases(c) if c.judged() < min.min_cases);
    let mut source = r.source.words().to_string();
    if let Some(first) = source.get_mut(..1) {
        first.make_ascii_uppercase();
    }
    ReadingView {
        source,
        rating: if hidden {
            Tag::new("Not shown", "grey")
        } else {
            ctx.rating_tag(fw, r.rating)
        },
        basis,
    }
}

/// What a case reading rests on, in words a public page may show: counts only over at least
/// `min_cases` cases, and no count of cases below it.
pub(super) fn case_basis(r: &Reading, min_cases: usize) -> String {
    let Basis::Cases(counts) = &r.basis else {
        return String::new();
    };
    let method = r.method.words();
    let judged = counts.judged();
    if judged < min_cases {
        return format!("the {method}'s judgements of fewer than {min_cases} cases");
    }
    if counts.met == 0 || counts.met >= min_cases {
        format!(
            "{} of {judged} cases met the standard at the {method}",
            counts.met
        )
    } else {
        format!("the {method}'s judgements of {judged} cases")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::cases::CaseCounts;
    use crate::analysis::evidence::Source;
    use crate::model::{Date, Method};

    fn cases(met: usize, not_met: usize) -> Reading {
        let d = Date::parse("2026-02-27").expect("a date");
        Reading {
            question: "q".into(),
            cycle: "2026-q1".into(),
            method: Method::Tabletop,
            source: Source::Cases,
            opened: d,
            closed: d,
            rating: Some(1.0),
            basis: Basis::Cases(CaseCounts {
                met,
                not_met,
                ..Default::default()
            }),
        }
    }

    #[test]
    fn the_case_basis_never_shows_a_small_count() {
        assert!(!case_basis(&cases(3, 1), 5).contains('3'));
        let b = case_basis(&cases(2, 6), 5);
        assert!(b.contains("8 cases") && !b.contains('2'), "{b}");
        assert_eq!(
            case_basis(&cases(6, 2), 5),
            "6 of 8 cases met the standard at the multi-agency tabletop audit"
        );
    }
}
