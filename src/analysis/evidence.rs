//! The evidence of one cycle on its own: what its agencies' returns, its moderation, its case
//! records and its practitioner surveys each say on every question it asked, as a reading on the
//! framework's scale with the method, the dates and how many agencies, cases or answers it rests
//! on. Nothing here looks at another cycle: weighing one cycle's evidence against another's is
//! `triangulate`'s job, and scoring is `score`'s.

use super::agency_ratings::{AgencyRating, CONFIDENCE_LOW, aggregate_ratings, confidence_factor};
use super::cases::{self, CaseCounts, QuestionCases};
use super::counts::{AnswerTally, RatingCounts};
use super::returns::{ReturnRound, return_round};
use super::round;
use super::survey::{self, ItemResult};
use crate::model::{AgeBand, Audit, Confidence, Cycle, Date, Framework, Method, Question, Rating};
use serde::Serialize;
use std::collections::BTreeMap;

/// Where a reading comes from. The order is the order a page lists a cycle's readings in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Source {
    /// The agencies' ratings in their returns, combined.
    #[serde(rename = "agency-ratings")]
    Agencies,
    /// The moderation panel's rating, which stands for the agencies' aggregate.
    Moderation,
    /// What the audited case files show.
    Cases,
    /// What practitioners said in a survey.
    Survey,
}

impl Source {
    /// As a page or the data files name it.
    pub fn words(self) -> &'static str {
        match self {
            Source::Agencies => "agencies' ratings",
            Source::Moderation => "moderation",
            Source::Cases => "case files",
            Source::Survey => "practitioner survey",
        }
    }

    /// Evidence of practice: what case files and practitioners show, rather than what the
    /// agencies report of themselves.
    pub fn is_practice(self) -> bool {
        matches!(self, Source::Cases | Source::Survey)
    }
}

/// One reading of one question: a cycle's evidence of one kind, on the framework's scale.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reading {
    pub question: String,
    pub cycle: String,
    pub method: Method,
    pub source: Source,
    pub opened: Date,
    pub closed: Date,
    /// On the framework's scale, to 2 places: a level for cases and surveys, an aggregate for
    /// agencies. None when nothing was rated (every agency asked was silent).
    pub rating: Option<f64>,
    pub basis: Basis,
}

impl Reading {
    /// How many agencies, cases or answers the reading rests on.
    pub fn rests_on(&self) -> usize {
        match &self.basis {
            Basis::Agencies { rated, .. } => *rated,
            Basis::Moderation { rated, .. } => *rated,
            Basis::Cases(c) => c.judged(),
            Basis::Survey { answers, .. } => *answers,
        }
    }
}

/// What a reading rests on.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Basis {
    /// Agencies that rated it, said "n/a", or gave no answer, of those asked.
    Agencies {
        rated: usize,
        not_applicable: usize,
        unanswered: usize,
    },
    /// The panel's rating, set on `moderated_on`, over `rated` agencies' ratings.
    Moderation {
        moderated_on: Option<Date>,
        rated: usize,
    },
    /// Cases met, partly met, not met and n/a.
    Cases(CaseCounts),
    /// Answers to the survey items naming the question, pooled; the fewest any item had.
    Survey {
        answers: usize,
        agreeing: usize,
        items: usize,
        fewest: usize,
    },
}

/// The agencies' answers to one question in one cycle, combined: the figures the score and the
/// pages take from the returns.
#[derive(Debug, Clone, Serialize)]
pub struct AgencyReading {
    /// The agencies' aggregate (see `score::aggregate_ratings`), to 2 places.
    pub aggregate: Option<f64>,
    /// The moderation panel's rating on the scale, when it set one.
    pub moderated: Option<f64>,
    /// The plain mean of the ratings given, to 2 places.
    pub mean: Option<f64>,
    pub answered: usize,
    pub not_applicable: usize,
    pub unanswered: usize,
    pub min: Option<u32>,
    pub max: Option<u32>,
    pub lowest_statutory: Option<u32>,
    /// Mean confidence factor of the ratings given (1.3 with none).
    pub confidence: f64,
    /// Every agency asked, in partnership order (internal pages only).
    pub agencies: Vec<AgencyRating>,
}

impl AgencyReading {
    /// The agencies' rating as the cycle's own: moderated where moderated.
    pub fn rating(&self) -> Option<f64> {
        self.moderated.or(self.aggregate)
    }

    /// Every agency that answered said "n/a" and none was silent, or the panel said "n/a".
    pub fn not_applicable_only(&self, moderated_na: bool) -> bool {
        moderated_na
            || (self.moderated.is_none()
                && self.answered == 0
                && self.unanswered == 0
                && self.not_applicable > 0)
    }
}

/// A case audit's figures: per question, and how many cases fall in each age band.
#[derive(Debug, Clone, Serialize)]
pub struct CaseEvidence {
    pub cases: usize,
    pub results: Vec<QuestionCases>,
    /// Cases per age band, in band order; bands with no case left out.
    pub age_bands: Vec<(AgeBand, usize)>,
    /// Cases with no age band recorded.
    pub no_age_band: usize,
}

/// A practitioner survey's figures: every item counted, overall and by group.
#[derive(Debug, Clone)]
pub struct SurveyEvidence {
    pub name: String,
    pub respondents: usize,
    pub items: Vec<ItemResult>,
}

/// Everything one cycle's own evidence says, computed once.
#[derive(Debug, Clone)]
pub struct CycleEvidence {
    pub cycle: String,
    pub method: Method,
    /// Where each agency's return stands; None for a deep dive that collected no returns.
    pub returns: Option<ReturnRound>,
    /// Every answer in scope, counted by rating.
    pub answers: RatingCounts,
    /// Each return's answers in scope, counted, by agency id.
    pub by_return: BTreeMap<String, RatingCounts>,
    /// How the agencies answered each question, counted (never who said what).
    pub tallies: BTreeMap<String, AnswerTally>,
    /// The agencies' combined answers to each question, for cycles that collect returns.
    pub agencies: BTreeMap<String, AgencyReading>,
    /// Questions the moderation panel rated "n/a".
    pub moderated_na: Vec<String>,
    pub cases: Option<CaseEvidence>,
    pub surveys: Vec<SurveyEvidence>,
    /// Every reading of each question this cycle asked, in [`Source`] order.
    pub readings: BTreeMap<String, Vec<Reading>>,
    /// Published scope only: questions whose only rating is the agencies' and rests on fewer
    /// agencies than the minimum (or a cycle fewer took part in): not rated in public.
    pub withheld: Vec<String>,
}

impl CycleEvidence {
    /// The cycle's own reading of a question, before any other cycle's evidence: for a
    /// self-assessment the agencies' (moderated) rating; for a deep dive the lowest of its
    /// readings, so that its weakest evidence is the one that counts.
    pub fn own(&self, question: &str) -> Option<&Reading> {
        let readings = self.readings.get(question)?;
        // The moderation panel's rating stands for the agencies' aggregate.
        let agencies = readings
            .iter()
            .rfind(|r| matches!(r.source, Source::Agencies | Source::Moderation));
        if self.method == Method::SelfAssessment {
            return agencies;
        }
        readings
            .iter()
            .filter(|r| r.rating.is_some())
            .filter(|r| r.source != Source::Agencies || agencies.is_some_and(|a| a == *r))
            .min_by(|a, b| {
                a.rating
                    .unwrap_or(f64::INFINITY)
                    .total_cmp(&b.rating.unwrap_or(f64::INFINITY))
                    .then(a.source.cmp(&b.source))
            })
            .or_else(|| readings.first())
    }
}

/// Whose evidence the ledger holds: all of it (the partnership's own pages, `rank`, `check`),
/// or what may be published, where case and survey evidence counts only once its cycle is
/// signed off: its records are then fixed, so two public builds cannot be set side by side
/// to read off one more case or answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    All,
    Published,
}

/// Gathers one cycle's evidence.
pub fn gather(audit: &Audit, cycle: &Cycle, scope: Scope) -> CycleEvidence {
    let practice = scope == Scope::All || cycle.signed_off.is_some();
    let fw = audit.framework(&cycle.framework);
    let asked: Vec<&Question> = cycle.questions(fw).collect();
    let collects = Audit::collects_returns(cycle);
    let mut agencies = BTreeMap::new();
    let mut tallies = BTreeMap::new();
    if collects {
        for q in &asked {
            agencies.insert(q.id.clone(), agency_reading(audit, cycle, fw, q));
            tallies.insert(q.id.clone(), AnswerTally::of(audit, cycle, &q.id));
        }
    }
    let moderated_na = asked
        .iter()
        .filter(|q| cycle.moderated(&q.id).and_then(|m| m.rating) == Some(Rating::NotApplicable))
        .map(|q| q.id.clone())
        .collect();
    let cases = case_evidence(cycle, fw).filter(|_| practice);
    let surveys: Vec<SurveyEvidence> = cycle
        .surveys
        .iter()
        .filter(|_| practice)
        .map(|s| SurveyEvidence {
            name: s.name.clone(),
            respondents: s.respondents,
            items: survey::item_results(s),
        })
        .collect();
    let mut evidence = CycleEvidence {
        cycle: cycle.id.clone(),
        method: cycle.method,
        returns: collects.then(|| return_round(audit, cycle)),
        answers: super::counts::scope_answers(cycle, fw),
        by_return: by_return(cycle, &asked),
        tallies,
        agencies,
        moderated_na,
        cases,
        surveys,
        readings: BTreeMap::new(),
        withheld: Vec::new(),
    };
    evidence.readings = readings(cycle, fw, &evidence);
    if scope == Scope::Published {
        publishable_only(audit, cycle, &mut evidence);
    }
    evidence
}

/// Keeps what a public build may rest a figure on: case readings over at least `min_cases`
/// cases, survey readings whose every item had at least `min_responses` answers, and the
/// agencies' aggregate over at least `min_agencies` ratings in a cycle at least that many
/// agencies took part in (the moderation panel's rating always: it is the partnership's). A
/// question left with no reading but the agencies' is withheld from the public ranking.
fn publishable_only(audit: &Audit, cycle: &Cycle, e: &mut CycleEvidence) {
    let d = &audit.partnership.disclosure;
    let taking_part = cycle.agencies(&audit.partnership).count();
    let mut withheld = Vec::new();
    for (q, readings) in e.readings.iter_mut() {
        let had_agencies = readings.iter().any(|r| r.source == Source::Agencies);
        readings.retain(|r| match &r.basis {
            Basis::Agencies { rated, .. } => {
                taking_part >= d.min_agencies && (*rated == 0 || *rated >= d.min_agencies)
            }
            Basis::Cases(c) => c.judged() >= d.min_cases,
            Basis::Survey { fewest, .. } => *fewest >= d.min_responses,
            Basis::Moderation { .. } => true,
        });
        // A self-assessment's own rating is its agencies' (or the panel's); a deep dive's any.
        let own_left = readings.iter().any(|r| {
            e.method != Method::SelfAssessment
                || matches!(r.source, Source::Agencies | Source::Moderation)
        });
        if had_agencies && !own_left {
            withheld.push(q.clone());
        }
    }
    e.withheld = withheld;
}

fn by_return(cycle: &Cycle, asked: &[&Question]) -> BTreeMap<String, RatingCounts> {
    cycle
        .responses
        .iter()
        .map(|r| (r.agency.clone(), super::counts::return_answers(r, asked)))
        .collect()
}

fn case_evidence(cycle: &Cycle, fw: &Framework) -> Option<CaseEvidence> {
    if cycle.cases.is_empty() {
        return None;
    }
    let age_bands = AgeBand::ALL
        .iter()
        .map(|b| {
            let n = cycle
                .cases
                .iter()
                .filter(|k| k.age_band == Some(*b))
                .count();
            (*b, n)
        })
        .filter(|(_, n)| *n > 0)
        .collect();
    Some(CaseEvidence {
        cases: cycle.cases.len(),
        results: cases::results(cycle, fw),
        age_bands,
        no_age_band: cycle.cases.iter().filter(|k| k.age_band.is_none()).count(),
    })
}

/// The agencies' answers to `q` combined, with the moderation panel's rating where it set one.
fn agency_reading(audit: &Audit, cycle: &Cycle, fw: &Framework, q: &Question) -> AgencyReading {
    let agencies: Vec<AgencyRating> = cycle
        .agencies(&audit.partnership)
        .map(|a| {
            let answer = cycle.response(&a.id).and_then(|r| r.answers.get(&q.id));
            AgencyRating {
                agency: a.id.clone(),
                statutory: a.statutory,
                rating: answer.map(|x| x.rating),
                confidence: answer.map(|x| x.confidence),
            }
        })
        .collect();
    let ratings: Vec<(u32, bool)> = agencies
        .iter()
        .filter_map(|a| a.rating.and_then(Rating::value).map(|v| (v, a.statutory)))
        .collect();
    let confidences: Vec<Confidence> = agencies
        .iter()
        .filter(|a| matches!(a.rating, Some(Rating::Value(_))))
        .filter_map(|a| a.confidence)
        .collect();
    let answered = ratings.len();
    let confidence = if confidences.is_empty() {
        CONFIDENCE_LOW
    } else {
        confidences
            .iter()
            .map(|&c| confidence_factor(c))
            .sum::<f64>()
            / confidences.len() as f64
    };
    let moderated = cycle
        .moderated(&q.id)
        .and_then(|m| m.rating)
        .and_then(Rating::value)
        .filter(|v| fw.level(*v).is_some())
        .map(f64::from);
    AgencyReading {
        aggregate: aggregate_ratings(&ratings).map(|r| round(r, 2)),
        moderated,
        mean: (answered > 0).then(|| {
            round(
                ratings.iter().map(|r| f64::from(r.0)).sum::<f64>() / answered as f64,
                2,
            )
        }),
        answered,
        not_applicable: agencies
            .iter()
            .filter(|a| a.rating == Some(Rating::NotApplicable))
            .count(),
        unanswered: agencies.iter().filter(|a| a.rating.is_none()).count(),
        min: ratings.iter().map(|r| r.0).min(),
        max: ratings.iter().map(|r| r.0).max(),
        lowest_statutory: ratings.iter().filter(|r| r.1).map(|r| r.0).min(),
        confidence,
        agencies,
    }
}

/// Every reading of every question the cycle asked.
fn readings(cycle: &Cycle, fw: &Framework, e: &CycleEvidence) -> BTreeMap<String, Vec<Reading>> {
    let reading = |question: &str, source: Source, rating: Option<f64>, basis: Basis| Reading {
        question: question.to_string(),
        cycle: cycle.id.clone(),
        method: cycle.method,
        source,
        opened: cycle.opened,
        closed: cycle.closed,
        rating,
        basis,
    };
    let surveys = if e.surveys.is_empty() {
        BTreeMap::new()
    } else {
        survey::readings(cycle, fw)
    };
    let mut out: BTreeMap<String, Vec<Reading>> = BTreeMap::new();
    for q in cycle.questions(fw) {
        let mut list = Vec::new();
        if let Some(a) = e.agencies.get(&q.id) {
            let basis = Basis::Agencies {
                rated: a.answered,
                not_applicable: a.not_applicable,
                unanswered: a.unanswered,
            };
            list.push(reading(&q.id, Source::Agencies, a.aggregate, basis));
            if let Some(m) = a.moderated {
                let basis = Basis::Moderation {
                    moderated_on: cycle.moderation.as_ref().and_then(|m| m.moderated_on),
                    rated: a.answered,
                };
                list.push(reading(&q.id, Source::Moderation, Some(m), basis));
            }
        }
        if let Some(c) = e
            .cases
            .as_ref()
            .and_then(|c| c.results.iter().find(|r| r.question == q.id))
            && c.counts.judged() > 0
        {
            let rating = c.rating.map(f64::from);
            list.push(reading(
                &q.id,
                Source::Cases,
                rating,
                Basis::Cases(c.counts),
            ));
        }
        if let Some(r) = surveys.get(&q.id) {
            let basis = Basis::Survey {
                answers: r.answers,
                agreeing: r.agreeing,
                items: r.items,
                fewest: r.fewest,
            };
            list.push(reading(&q.id, Source::Survey, Some(r.rating), basis));
        }
        if !list.is_empty() {
            out.insert(q.id.clone(), list);
        }
    }
    out
}
