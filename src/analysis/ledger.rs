//! The evidence ledger: for every cycle of the programme, its own evidence (every reading of
//! every question it asked, with method, dates and what each rests on) and its analysis (the
//! assessed ratings, scores, ranking, action plan and like-for-like change), computed once per
//! build. Every surface (pages, `rank` for any cycle, `brief`, the data files, `check`'s
//! summary) reads this and nothing else, so they tell one story.
//!
//! Cycles are worked through oldest first: a cycle's comparable cycle is always earlier, so its
//! scores are final before the later cycle compares with them.

use super::evidence::{self, CycleEvidence, Reading, Scope, Source};
use super::plan;
use super::prioritise;
use super::score::{self, Inputs, QuestionScore};
use super::triangulate::{self, Assessment};
use super::{Analysis, ScaleBounds, change, impact};
use crate::model::{Audit, Cycle, Date, Framework, Method, Question};
use std::collections::{BTreeMap, BTreeSet};

/// Every cycle's evidence and analysis, oldest first.
#[derive(Debug, Clone)]
pub struct Ledger {
    /// The day "overdue" is judged on.
    pub as_of: Date,
    pub cycles: Vec<CycleRecord>,
    /// Every metric at its latest value, for a partnership with no cycle yet.
    pub metrics_latest: Vec<super::metrics::MetricReading>,
    /// What followed each completed action.
    pub impact: Vec<impact::ActionImpact>,
}

/// One cycle in the ledger.
#[derive(Debug, Clone)]
pub struct CycleRecord {
    pub evidence: CycleEvidence,
    pub analysis: Analysis,
}

/// Each cycle's scores (not yet ranked) and its questions left out as not applicable.
type Scored = BTreeMap<String, (Vec<QuestionScore>, Vec<String>)>;

impl Ledger {
    /// Computes the whole ledger from all the evidence. `as_of` is the day "overdue" is
    /// judged on.
    pub fn build(audit: &Audit, as_of: Date) -> Ledger {
        Ledger::of(audit, as_of, Scope::All)
    }

    /// The ledger a public build and `brief` read: case and survey evidence counts only once
    /// its cycle is signed off (see [`Scope`]).
    pub fn public(audit: &Audit, as_of: Date) -> Ledger {
        Ledger::of(audit, as_of, Scope::Published)
    }

    fn of(audit: &Audit, as_of: Date, scope: Scope) -> Ledger {
        let evidence: Vec<CycleEvidence> = audit
            .cycles
            .iter()
            .map(|c| evidence::gather(audit, c, scope))
            .collect();
        let mut scored: Scored = BTreeMap::new();
        for c in &audit.cycles {
            let one = score_against_history(audit, c, &evidence, &scored);
            scored.insert(c.id.clone(), one);
        }
        let cycles: Vec<CycleRecord> = audit
            .cycles
            .iter()
            .zip(evidence)
            .map(|(c, e)| CycleRecord {
                analysis: finish(audit, c, &scored, &e.withheld, as_of),
                evidence: e,
            })
            .collect();
        let impact = {
            let all: impact::Scores = cycles
                .iter()
                .map(|r: &CycleRecord| {
                    (
                        r.analysis.cycle.as_str(),
                        r.analysis.ranking.priorities.as_slice(),
                    )
                })
                .collect();
            impact::impacts(audit, &all, audit.partnership.change_threshold)
        };
        Ledger {
            as_of,
            cycles,
            metrics_latest: super::metrics::readings(audit, None),
            impact,
        }
    }

    pub fn cycle(&self, id: &str) -> Option<&CycleRecord> {
        self.cycles.iter().find(|r| r.analysis.cycle == id)
    }

    /// Every cycle's analysis, oldest first.
    pub fn analyses(&self) -> impl Iterator<Item = &Analysis> {
        self.cycles.iter().map(|r| &r.analysis)
    }

    /// Every reading of a question across the programme, oldest cycle first.
    pub fn readings<'a>(&'a self, question: &'a str) -> impl Iterator<Item = &'a Reading> + 'a {
        self.cycles
            .iter()
            .filter_map(move |r| r.evidence.readings.get(question))
            .flatten()
    }

    /// The score of a question in a cycle, when the cycle ranked it.
    pub fn score(&self, cycle: &str, question: &str) -> Option<&QuestionScore> {
        self.cycle(cycle)?
            .analysis
            .ranking
            .priorities
            .iter()
            .find(|s| s.question == question)
    }
}

/// One cycle's scores and its questions left out (n/a, or withheld in public), weighed
/// against what the cycles before it (`scored`, oldest first) found: the change since the
/// comparable cycle, and actions all complete with the evidence since no better.
fn score_against_history(
    audit: &Audit,
    c: &Cycle,
    evidence: &[CycleEvidence],
    scored: &Scored,
) -> (Vec<QuestionScore>, Vec<String>) {
    let (mut scores, mut na) = score_cycle(audit, c, evidence);
    // Withheld questions were asked but are not rated in public: like n/a, they stop
    // an older cycle's reading standing in for them.
    if let Some(e) = evidence.iter().find(|e| e.cycle == c.id) {
        na.extend(e.withheld.iter().cloned());
    }
    let fw = audit.framework(&c.framework);
    let threshold = audit.partnership.change_threshold;
    if let Some(p) = audit.comparable_cycle(c)
        && let Some((before, _)) = scored.get(&p.id)
    {
        for s in &mut scores {
            if let Some(prev) = before.iter().find(|b| b.question == s.question) {
                score::compare_with_previous(s, prev, fw, threshold);
            }
        }
    }
    // Actions all complete, the evidence since no better: the question weighs more.
    let earlier: impact::Scores = scored
        .iter()
        .map(|(k, (v, _))| (k.as_str(), v.as_slice()))
        .collect();
    let unchanged: Vec<bool> = scores
        .iter()
        .map(|s| impact::complete_but_unchanged(audit, c, s, &earlier, threshold))
        .collect();
    for (s, _) in scores.iter_mut().zip(unchanged).filter(|(_, u)| *u) {
        score::after_actions_unchanged(s, fw, threshold);
    }
    (scores, na)
}

/// Scores every question `cycle` asks from its own evidence and, for a self-assessment, the
/// deep dives in its window; the second list holds the questions left out as not applicable.
fn score_cycle(
    audit: &Audit,
    cycle: &Cycle,
    evidence: &[CycleEvidence],
) -> (Vec<QuestionScore>, Vec<String>) {
    let fw = audit.framework(&cycle.framework);
    let Some(own) = evidence.iter().find(|e| e.cycle == cycle.id) else {
        return (Vec::new(), Vec::new());
    };
    let dives: Vec<&CycleEvidence> = audit
        .deep_dives_for(cycle)
        .iter()
        .filter_map(|d| evidence.iter().find(|e| e.cycle == d.id))
        .collect();
    let mut scores = Vec::new();
    let mut not_applicable = Vec::new();
    for q in cycle.questions(fw) {
        if own.withheld.contains(&q.id) {
            continue;
        }
        if is_not_applicable(own, &q.id) {
            not_applicable.push(q.id.clone());
            continue;
        }
        scores.push(score_one(audit, cycle, fw, q, own, &dives));
    }
    (scores, not_applicable)
}

fn score_one(
    audit: &Audit,
    cycle: &Cycle,
    fw: &Framework,
    q: &Question,
    own: &CycleEvidence,
    dives: &[&CycleEvidence],
) -> QuestionScore {
    let reading = own.own(&q.id);
    let own_rating = reading.and_then(|r| r.rating);
    let assessment = if cycle.method == Method::SelfAssessment {
        triangulate::assess(cycle, fw, &q.id, own_rating, dives)
    } else {
        Assessment {
            rating: own_rating,
            ..Default::default()
        }
    };
    let d = &audit.partnership.disclosure;
    let practice_thin = reading.is_some_and(|r| match r.source {
        Source::Cases => r.rests_on() < d.min_cases,
        Source::Survey => r.rests_on() < d.min_responses,
        _ => false,
    });
    score::score_question(
        audit,
        cycle,
        fw,
        Inputs {
            question: q,
            agencies: own.agencies.get(&q.id),
            own: reading,
            practice_thin,
            assessment,
        },
    )
}

/// A question is left out as not applicable when the moderation panel rated it "n/a", or every
/// agency that answered said "n/a" and none was silent, or (without returns) every case that
/// looked at it found it did not apply, and no other evidence rated it.
fn is_not_applicable(e: &CycleEvidence, question: &str) -> bool {
    let moderated_na = e.moderated_na.iter().any(|q| q == question);
    let rated = e
        .readings
        .get(question)
        .is_some_and(|rs| rs.iter().any(|r| r.rating.is_some()));
    if let Some(a) = e.agencies.get(question) {
        let practice = e.readings.get(question).is_some_and(|rs| {
            rs.iter()
                .any(|r| r.source.is_practice() && r.rating.is_some())
        });
        return a.not_applicable_only(moderated_na) && !practice;
    }
    let cases_na = e.cases.as_ref().is_some_and(|c| {
        c.results
            .iter()
            .any(|r| r.question == question && r.counts.judged() == 0)
    });
    cases_na && !rated
}

/// Ranks, plans and compares one cycle, once every cycle is scored.
fn finish(
    audit: &Audit,
    cycle: &Cycle,
    scored: &Scored,
    withheld: &[String],
    as_of: Date,
) -> Analysis {
    let (scores, mut not_applicable) = scored.get(&cycle.id).cloned().unwrap_or_default();
    not_applicable.retain(|q| !withheld.contains(q));
    let mut ranking = prioritise::prioritise(audit, cycle, scores, not_applicable);
    ranking.withheld = withheld.to_vec();
    let elsewhere = programme_scores(audit, cycle, &ranking, scored);
    let plan = plan::plan(&audit.actions, &ranking, &elsewhere, as_of);
    let comparison = audit
        .comparable_cycle(cycle)
        .and_then(|p| change::compare(audit, p, &ranking, scored));
    let trend = change::trend(audit, cycle, &ranking, scored);
    let fw = audit.framework(&cycle.framework);
    let question_text = question_text(audit, cycle, &elsewhere);
    Analysis {
        partnership: audit.partnership.name.clone(),
        short_name: audit.partnership.short_name.clone(),
        folder: audit.folder.clone(),
        cycle: cycle.id.clone(),
        cycle_title: cycle.title.clone(),
        period: cycle.period.clone(),
        method: cycle.method,
        framework: cycle.framework.clone(),
        previous_cycle: comparison.as_ref().map(|c| c.cycle.clone()),
        comparison,
        trend,
        deep_dives: audit
            .deep_dives_for(cycle)
            .iter()
            .map(|d| d.id.clone())
            .collect(),
        change_threshold: audit.partnership.change_threshold,
        ranking,
        plan,
        question_text,
        elsewhere,
        metrics: super::metrics::readings(audit, Some(&cycle.period)),
        scale: ScaleBounds {
            bottom: fw.bottom(),
            bottom_label: fw.scale.first().map_or(String::new(), |l| l.label.clone()),
            top: fw.top(),
            top_label: fw.scale.last().map_or(String::new(), |l| l.label.clone()),
        },
    }
}

/// The text of each question the cycle asked and of those only other cycles asked, by id.
fn question_text(
    audit: &Audit,
    cycle: &Cycle,
    elsewhere: &[QuestionScore],
) -> BTreeMap<String, String> {
    let fw = audit.framework(&cycle.framework);
    let mut texts: BTreeMap<String, String> = cycle
        .questions(fw)
        .map(|q| (q.id.clone(), q.text.clone()))
        .collect();
    for s in elsewhere {
        let text = audit
            .cycle(&s.cycle)
            .and_then(|c| audit.frameworks.get(&c.framework))
            .and_then(|f| f.question(&s.question))
            .map(|q| q.text.clone());
        if let Some(t) = text {
            texts.insert(s.question.clone(), t);
        }
    }
    texts
}

/// The latest score of every question this cycle did not ask, from whichever cycle asked it
/// last: an action's risk is that of its questions in their latest evidence, so an action on a
/// question only a deep dive asked still carries that question's risk.
fn programme_scores(
    audit: &Audit,
    cycle: &Cycle,
    ranking: &prioritise::Ranking,
    scored: &Scored,
) -> Vec<QuestionScore> {
    let mut seen: BTreeSet<&str> = ranking
        .priorities
        .iter()
        .map(|s| s.question.as_str())
        .chain(ranking.not_applicable.iter().map(String::as_str))
        .chain(ranking.withheld.iter().map(String::as_str))
        .collect();
    let mut out: Vec<QuestionScore> = Vec::new();
    for other in audit.cycles.iter().rev().filter(|c| c.id != cycle.id) {
        let Some((scores, na)) = scored.get(&other.id) else {
            continue;
        };
        for s in scores {
            if seen.insert(s.question.as_str()) {
                out.push(s.clone());
            }
        }
        // A question the latest cycle to ask it found not applicable stays out of the plan.
        seen.extend(na.iter().map(String::as_str));
    }
    out.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then(a.question.cmp(&b.question))
    });
    let ranked = ranking.priorities.len();
    for (i, s) in out.iter_mut().enumerate() {
        s.rank = ranked + i + 1;
    }
    out
}

/// A moderated public summary that a later deep dive contradicts: the deep dive read its
/// question a level lower and the moderation panel has not weighed it (no `considered`).
#[derive(Debug, Clone)]
pub struct StaleSummary {
    pub question: String,
    /// Where the summary's question is written in moderation.toml.
    pub loc: crate::source::Loc,
    pub moderated_on: Option<Date>,
    pub reading: Reading,
}

impl StaleSummary {
    /// What `check` and the internal question page say.
    pub fn message(&self, audit: &Audit, fw: &Framework) -> String {
        let r = &self.reading;
        let title = audit
            .cycle(&r.cycle)
            .map_or(r.cycle.as_str(), |c| c.title.as_str());
        let level = r
            .rating
            .map_or("no rating".to_string(), |x| fw.level_at(x).label.clone());
        let when = self
            .moderated_on
            .map_or("without a date".to_string(), |d| format!("on {}", d.long()));
        format!(
            "the public summary of `{}` was moderated {when}, without weighing the {} `{}` (“{title}”, closed {}), which read the question as {level} from the {}: review this summary against {}, and list it under `considered` once the panel has weighed it",
            self.question,
            r.method.words(),
            r.cycle,
            r.closed.long(),
            r.source.words(),
            r.cycle,
        )
    }
}

impl Ledger {
    /// The public summaries in `cycle`'s moderation that a deep dive in its window contradicts.
    pub fn stale_summaries(&self, audit: &Audit, cycle: &str) -> Vec<StaleSummary> {
        let Some(c) = audit.cycle(cycle) else {
            return Vec::new();
        };
        let Some(moderation) = &c.moderation else {
            return Vec::new();
        };
        let Some(record) = self.cycle(cycle) else {
            return Vec::new();
        };
        record
            .analysis
            .ranking
            .priorities
            .iter()
            .filter_map(|s| {
                let reading = s.lowered_by.clone()?;
                let m = moderation.questions.get(&s.question)?;
                m.public_summary.as_ref()?;
                Some(StaleSummary {
                    question: s.question.clone(),
                    loc: m.loc.clone(),
                    moderated_on: moderation.moderated_on,
                    reading,
                })
            })
            .collect()
    }
}
