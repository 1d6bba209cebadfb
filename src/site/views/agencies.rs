//! The internal view: each agency's return, every answer to each question, moderation notes and
//! internal briefings. Only an internal build constructs it.

use super::briefings::{BriefingPage, briefing_page};
use super::{Ctx, Publisher, Ref, StatusCount, Tag, confidence_word, rag_class, rating_value_tag};
use crate::analysis::Ledger;
use crate::analysis::evidence::CycleEvidence;
use crate::model::{Agency, Audit, Cycle, Framework, Level, Question};
use crate::site::markdown;
use crate::site::routes;
use serde::Serialize;
use std::collections::BTreeMap;

/// What only the partnership's own people see: each agency's return, moderation notes and
/// internal briefings.
#[derive(Debug, Serialize)]
pub struct InternalView {
    pub agencies: Vec<AgencyPage>,
    /// By question id: every agency's answer and the moderation note.
    pub questions: BTreeMap<String, InternalQuestion>,
    /// Briefings with `audience = "internal"`.
    pub briefings: Vec<BriefingPage>,
    /// Agency-level lines of `data/ratings.csv`.
    #[serde(skip)]
    pub agency_ratings: Vec<AgencyRatingRow>,
    /// By cycle id: its surveys with every item and the breakdown by group.
    pub surveys: BTreeMap<String, Vec<super::surveys::SurveyView>>,
    /// By cycle id: each audited case, its judgements and notes (cycle pages).
    pub cases: BTreeMap<String, Vec<super::cases::CaseDetail>>,
}

#[derive(Debug, Serialize)]
pub struct AgencyPage {
    pub id: String,
    pub name: String,
    pub sector: String,
    pub statutory: bool,
    /// Whether the latest cycle asked this agency for a return.
    pub asked: bool,
    pub cycle: Option<String>,
    /// Whether a return with at least one answer is on file.
    pub returned: bool,
    /// Where its return stands: returned, partly answered, empty or not received.
    pub status: Option<Tag>,
    pub completed_by: Option<String>,
    pub submitted: Option<String>,
    pub answers: Vec<AgencyAnswer>,
    pub unanswered: Vec<Ref>,
    pub counts: Vec<StatusCount>,
}

#[derive(Debug, Serialize)]
pub struct AgencyAnswer {
    pub question: Ref,
    pub theme: Ref,
    pub rating: Tag,
    pub confidence: String,
    pub evidence_html: String,
    pub gaps_html: Option<String>,
    pub internal_html: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct InternalQuestion {
    pub answers: Vec<QuestionAnswer>,
    pub moderation_note_html: Option<String>,
    /// The public summary set beside the deep dive that read the question lower, when
    /// moderation has not yet weighed it (`check` warns of the same, PA0407).
    pub review: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct QuestionAnswer {
    pub agency: Ref,
    pub statutory: bool,
    pub rating: Tag,
    pub confidence: String,
    pub answered: bool,
    pub evidence_html: String,
    pub gaps_html: Option<String>,
    pub internal_html: Option<String>,
}

/// One agency's rating of one question in one cycle.
#[derive(Debug, Clone, Serialize)]
pub struct AgencyRatingRow {
    pub cycle: String,
    pub method: String,
    pub question: String,
    pub theme: String,
    pub level: Level,
    pub agency: String,
    pub rating: String,
    pub confidence: String,
}

impl InternalView {
    pub fn build(audit: &Audit, ledger: &Ledger, main: Option<&str>) -> InternalView {
        // Internal text is never scanned; the publisher only supplies the same references.
        let mut p = Publisher::default();
        let ctx = Ctx::new(audit, ledger, main, false);
        let mut view = InternalView {
            agencies: Vec::new(),
            questions: BTreeMap::new(),
            briefings: audit
                .briefings
                .iter()
                .filter(|b| b.audience == crate::model::Audience::Internal)
                .map(|b| briefing_page(&ctx, b, &mut p, true))
                .collect(),
            agency_ratings: agency_ratings(audit, ledger),
            surveys: audit
                .cycles
                .iter()
                .map(|c| {
                    (
                        c.id.clone(),
                        super::surveys::survey_views(&ctx, c, true, &mut p),
                    )
                })
                .collect(),
            cases: audit
                .cycles
                .iter()
                .filter(|c| !c.cases.is_empty())
                .map(|c| (c.id.clone(), super::cases::case_details(&ctx, c)))
                .collect(),
        };
        let Some((c, _, fw)) = ctx.latest else {
            view.agencies = audit
                .partnership
                .agencies
                .iter()
                .map(AgencyPage::not_asked)
                .collect();
            return view;
        };
        let asked: Vec<&Question> = c.questions(fw).collect();
        for q in &asked {
            view.questions
                .insert(q.id.clone(), internal_question(&ctx, c, fw, q));
        }
        view.agencies = audit
            .partnership
            .agencies
            .iter()
            .map(|ag| agency_page(&ctx, &mut p, (c, fw), &asked, ag))
            .collect();
        view
    }
}

/// Every agency's rating of every question of every analysed cycle, for `data/ratings.csv`.
fn agency_ratings(audit: &Audit, ledger: &Ledger) -> Vec<AgencyRatingRow> {
    let mut rows = Vec::new();
    for a in ledger.analyses() {
        let Some(cycle) = audit.cycle(&a.cycle) else {
            continue;
        };
        let Some(fw) = audit.frameworks.get(&cycle.framework) else {
            continue;
        };
        for q in cycle.questions(fw) {
            for ag in cycle.agencies(&audit.partnership) {
                let answer = cycle.response(&ag.id).and_then(|r| r.answers.get(&q.id));
                rows.push(AgencyRatingRow {
                    cycle: cycle.id.clone(),
                    method: cycle.method.as_str().to_string(),
                    question: q.id.clone(),
                    theme: q.theme.clone(),
                    level: q.level,
                    agency: ag.id.clone(),
                    rating: answer.map_or(String::new(), |x| x.rating.to_string()),
                    confidence: answer.map_or(String::new(), |x| x.confidence.as_str().to_string()),
                });
            }
        }
    }
    rows
}

/// A question as the partnership sees it in cycle `c`: every agency's answer, the moderation
/// note, and the public summary a later deep dive contradicts.
fn internal_question(ctx: &Ctx<'_>, c: &Cycle, fw: &Framework, q: &Question) -> InternalQuestion {
    let answers = c
        .agencies(&ctx.audit.partnership)
        .map(|ag| {
            let answer = c.response(&ag.id).and_then(|r| r.answers.get(&q.id));
            QuestionAnswer {
                agency: Ref {
                    id: ag.id.clone(),
                    text: ag.name.clone(),
                    href: Some(routes::agency_href(&ag.id)),
                },
                statutory: ag.statutory,
                rating: rating_value_tag(fw, answer.map(|x| x.rating)),
                confidence: answer.map_or("–".into(), |x| confidence_word(x.confidence).into()),
                answered: answer.is_some(),
                evidence_html: answer.map_or(String::new(), |x| markdown::to_html(&x.evidence, 4)),
                gaps_html: answer
                    .and_then(|x| x.gaps.as_ref())
                    .map(|g| markdown::to_html(g, 4)),
                internal_html: answer
                    .and_then(|x| x.internal.as_ref())
                    .map(|g| markdown::to_html(g, 4)),
            }
        })
        .collect();
    let moderation_note_html = c
        .moderated(&q.id)
        .and_then(|m| m.note.as_ref())
        .map(|n| markdown::to_html(n, 4));
    let review = ctx
        .ledger
        .stale_summaries(ctx.audit, &c.id)
        .into_iter()
        .find(|x| x.question == q.id)
        .map(|x| x.message(ctx.audit, fw));
    InternalQuestion {
        answers,
        moderation_note_html,
        review,
    }
}

impl AgencyPage {
    /// An agency when no cycle has been analysed: who it is, nothing asked of it.
    fn not_asked(ag: &Agency) -> AgencyPage {
        AgencyPage {
            id: ag.id.clone(),
            name: ag.name.clone(),
            sector: ag.sector.as_str().replace('-', " "),
            statutory: ag.statutory,
            asked: false,
            cycle: None,
            returned: false,
            status: None,
            completed_by: None,
            submitted: None,
            answers: Vec::new(),
            unanswered: Vec::new(),
            counts: Vec::new(),
        }
    }
}

/// An agency's page for the latest cycle `c`: its return, answer by answer, what it left
/// unanswered, and how many of its answers sit at each level.
fn agency_page(
    ctx: &Ctx<'_>,
    p: &mut Publisher,
    (c, fw): (&Cycle, &Framework),
    asked: &[&Question],
    ag: &Agency,
) -> AgencyPage {
    let takes_part = c.takes_part(&ag.id);
    let response = c.response(&ag.id);
    let mut answers = Vec::new();
    let mut unanswered = Vec::new();
    for q in asked.iter().filter(|_| takes_part) {
        match response.and_then(|r| r.answers.get(&q.id)) {
            Some(x) => answers.push(AgencyAnswer {
                question: ctx.question_ref(&q.id, p),
                theme: ctx.theme_ref(&q.theme, p),
                rating: rating_value_tag(fw, Some(x.rating)),
                confidence: confidence_word(x.confidence).into(),
                evidence_html: markdown::to_html(&x.evidence, 3),
                gaps_html: x.gaps.as_ref().map(|g| markdown::to_html(g, 3)),
                internal_html: x.internal.as_ref().map(|g| markdown::to_html(g, 3)),
            }),
            None => unanswered.push(ctx.question_ref(&q.id, p)),
        }
    }
    let evidence = ctx.record(&c.id).map(|r| &r.evidence);
    let status = evidence
        .and_then(|e| e.returns.as_ref())
        .and_then(|round| round.agencies.iter().find(|x| x.agency == ag.id))
        .map(|x| super::return_tag(x.status));
    let counts = answer_counts(evidence, fw, ag, unanswered.len());
    AgencyPage {
        cycle: Some(format!("{} ({})", c.title, c.id)),
        asked: takes_part,
        returned: response.is_some_and(|r| !r.answers.is_empty()),
        status,
        completed_by: response.map(|r| r.completed_by.clone()),
        submitted: response.and_then(|r| r.submitted).map(|d| d.long()),
        answers,
        unanswered,
        counts,
        ..AgencyPage::not_asked(ag)
    }
}

/// How many of an agency's answers sit at each level of the scale, then not applicable and
/// not answered.
fn answer_counts(
    evidence: Option<&CycleEvidence>,
    fw: &Framework,
    ag: &Agency,
    unanswered: usize,
) -> Vec<StatusCount> {
    let given = evidence
        .and_then(|e| e.by_return.get(&ag.id))
        .cloned()
        .unwrap_or_default();
    let mut counts: Vec<StatusCount> = fw
        .scale
        .iter()
        .map(|l| StatusCount {
            status: Tag::new(l.label.clone(), rag_class(l.rag)),
            count: given.at(l.value),
        })
        .collect();
    counts.push(StatusCount {
        status: Tag::new("Not applicable", "grey"),
        count: given.not_applicable,
    });
    counts.push(StatusCount {
        status: Tag::new("Not answered", "grey"),
        count: unanswered,
    });
    counts
}
