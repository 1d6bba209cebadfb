//! The latest cycle in brief: its scope, who was asked, who returned, and the cycles before it.

use super::{Ctx, Publisher, Ref, Tag, flag_words, level_word, method_word};
use crate::format::num;
use crate::model::FindingKind;
use crate::model::{Cycle, Framework, Level};
use crate::site::routes;
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct CycleView {
    pub id: String,
    pub title: String,
    pub period: String,
    pub method: String,
    pub framework: String,
    pub framework_title: String,
    pub opened: String,
    pub closed: String,
    pub moderated_on: Option<String>,
    /// "Signed off on 12 December 2025", or that the round is still open.
    pub signed_off: String,
    pub scope_themes: String,
    pub scope_levels: String,
    pub questions_in_scope: usize,
    /// Agencies asked for a return in this cycle.
    pub agencies: usize,
    /// Set when the cycle asked only some of the partnership's agencies.
    pub scope_agencies: Option<String>,
    /// Whether the cycle asked agencies for returns (a case audit or survey may not).
    pub collects_returns: bool,
    /// Returns complete, partly answered, empty, and not received: one definition with `check`.
    pub returns_received: usize,
    pub returns_partly: usize,
    pub returns_empty: usize,
    pub returns_missing: usize,
    /// Agencies that answered at least one question: returned in full or partly.
    pub responding: usize,
    /// "9 of 10 agencies returned in full; 1 partly answered (45 of 48 questions)".
    pub returns_text: String,
    /// Whether agency-level figures are published for this cycle (public pages: at least the
    /// minimum number of agencies took part).
    pub agency_figures: bool,
    /// Answers given, of those expected, and how many "n/a": internal pages only (on public
    /// ones they would total counts that disclosure control hides question by question).
    pub answers: Option<(usize, usize, usize)>,
    pub returns: Vec<ReturnRow>,
    /// Other cycles of the audit, oldest first.
    pub history: Vec<CycleSummary>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ReturnRow {
    pub agency: Ref,
    pub sector: String,
    pub statutory: bool,
    pub returned: Tag,
}

#[derive(Debug, Clone, Serialize)]
pub struct CycleSummary {
    pub id: String,
    pub href: String,
    /// The cycle the site reports.
    pub main: bool,
    /// A deep dive after the main cycle's comparable self-assessment: new evidence since.
    pub since_main: bool,
    pub title: String,
    pub period: String,
    pub method: String,
    pub framework: String,
    pub closed: String,
    pub returns: usize,
}

pub(super) fn cycle_view(ctx: &Ctx<'_>, c: &Cycle, fw: &Framework, p: &mut Publisher) -> CycleView {
    let audit = ctx.audit;
    let loc = c.loc.clone();
    let fw_loc = fw.loc.clone();
    let asked: Vec<&crate::model::Question> = c.questions(fw).collect();
    let scope_themes = scope_themes(c, fw, p);
    let scope_levels = scope_levels(c);
    let evidence = ctx.record(&c.id).map(|r| &r.evidence);
    let answers = evidence.map(|e| e.answers.clone()).unwrap_or_default();
    let agency_figures = ctx.agency_figures(c);
    let round = evidence
        .and_then(|e| e.returns.as_ref())
        .filter(|_| agency_figures);
    let taking_part = c.agencies(&audit.partnership).count();
    let returns = round.map(|r| return_rows(audit, r, p)).unwrap_or_default();
    let history = cycle_history(ctx, c, p);
    CycleView {
        id: c.id.clone(),
        title: p.text(&loc, &c.title),
        period: p.text(&loc, &c.period),
        method: method_word(c.method),
        framework: fw.id.clone(),
        framework_title: p.text(&fw_loc, &fw.title),
        opened: c.opened.long(),
        closed: c.closed.long(),
        moderated_on: c
            .moderation
            .as_ref()
            .and_then(|m| m.moderated_on)
            .map(|d| d.long()),
        signed_off: match c.signed_off {
            Some(d) => format!("Signed off on {}: its evidence is final", d.long()),
            None => "Not signed off yet: its evidence may still change".to_string(),
        },
        scope_themes,
        scope_levels,
        questions_in_scope: asked.len(),
        agencies: taking_part,
        scope_agencies: (taking_part < audit.partnership.agencies.len()).then(|| {
            format!(
                "{taking_part} of the partnership's {} agencies were asked to take part",
                audit.partnership.agencies.len()
            )
        }),
        collects_returns: evidence.is_some_and(|e| e.returns.is_some()),
        returns_received: round.map_or(0, |r| r.returned()),
        returns_partly: round.map_or(0, |r| r.partly().len()),
        returns_empty: round.map_or(0, |r| r.empty()),
        returns_missing: round.map_or(0, |r| r.not_received()),
        responding: round.map_or(0, |r| r.returned() + r.partly().len()),
        returns_text: match round {
            Some(r) => returns_text(r),
            None if !agency_figures => format!(
                "fewer than {} agencies took part, so nothing about a single agency's return is published",
                audit.partnership.disclosure.min_agencies
            ),
            None => String::new(),
        },
        agency_figures,
        answers: (!ctx.public).then(|| {
            (
                answers.total(),
                asked.len() * taking_part,
                answers.not_applicable,
            )
        }),
        returns,
        history,
    }
}

/// The themes a cycle asked about, in words.
fn scope_themes(c: &Cycle, fw: &Framework, p: &mut Publisher) -> String {
    if c.scope_themes.is_empty() {
        return "All themes".to_string();
    }
    c.scope_themes
        .iter()
        .map(|t| fw.theme(t).map_or(t.as_str(), |t| t.title.as_str()))
        .map(|t| p.text(&fw.loc, t))
        .collect::<Vec<_>>()
        .join("; ")
}

/// The levels of question a cycle asked, in words.
fn scope_levels(c: &Cycle) -> String {
    if c.scope_levels.is_empty() || c.scope_levels.len() == Level::ALL.len() {
        return "Strategic and practitioner questions".to_string();
    }
    c.scope_levels
        .iter()
        .map(|l| format!("{} questions", level_word(*l)))
        .collect::<Vec<_>>()
        .join(" and ")
}

/// Each agency's return in a round: who, and whether it came in.
fn return_rows(
    audit: &crate::model::Audit,
    round: &crate::analysis::returns::ReturnRound,
    p: &mut Publisher,
) -> Vec<ReturnRow> {
    round
        .agencies
        .iter()
        .filter_map(|r| {
            let a = audit.agency(&r.agency)?;
            Some(ReturnRow {
                agency: Ref {
                    id: a.id.clone(),
                    text: p.text(&audit.partnership.loc, &a.name),
                    href: Some(routes::agency_href(&a.id)),
                },
                sector: a.sector.as_str().replace('-', " "),
                statutory: a.statutory,
                returned: super::return_tag(r.status),
            })
        })
        .collect()
}

/// Every cycle of the audit, `c` marked as the one the site reports.
fn cycle_history(ctx: &Ctx<'_>, c: &Cycle, p: &mut Publisher) -> Vec<CycleSummary> {
    let audit = ctx.audit;
    audit
        .cycles
        .iter()
        .map(|h| CycleSummary {
            id: h.id.clone(),
            href: routes::cycle_href(&h.id),
            main: h.id == c.id,
            since_main: h.method != c.method && h.id > c.id,
            title: p.text(&h.loc, &h.title),
            period: h.period.clone(),
            method: method_word(h.method),
            framework: audit
                .frameworks
                .get(&h.framework)
                .map_or(h.framework.clone(), |f| p.text(&f.loc, &f.title)),
            closed: h.closed.long(),
            returns: ctx
                .record(&h.id)
                .and_then(|r| r.evidence.returns.as_ref())
                .map_or(0, |r| r.returned()),
        })
        .collect()
}

/// Where a round of returns stands, in one sentence every page shares.
fn returns_text(round: &crate::analysis::returns::ReturnRound) -> String {
    let asked = round.agencies.len();
    let mut parts = vec![format!(
        "{} of {asked} agencies returned in full",
        round.returned()
    )];
    let partly = round.partly();
    if !partly.is_empty() {
        let each: Vec<String> = partly.iter().map(|(a, q)| format!("{a} of {q}")).collect();
        parts.push(format!(
            "{} partly answered ({} questions)",
            partly.len(),
            each.join(", ")
        ));
    }
    if round.empty() > 0 {
        parts.push(format!("{} sent an empty return", round.empty()));
    }
    if round.carried_over() > 0 {
        parts.push(format!(
            "{} sent back last round's answers unchanged",
            round.carried_over()
        ));
    }
    if round.not_received() > 0 {
        parts.push(format!("{} not received", round.not_received()));
    }
    parts.join("; ")
}

/// A page per cycle (`cycles/<id>/`): what was done and why, its scope, who returned, what it
/// found, its results question by question, and the briefings that report on it.
#[derive(Debug, Clone, Serialize)]
pub struct CyclePage {
    pub summary: CycleView,
    /// The cycle the site reports (the main cycle).
    pub main: bool,
    pub purpose_html: Option<String>,
    pub activities: Vec<String>,
    /// Findings grouped by kind, in briefing order: good practice, concerns, learning.
    pub findings: Vec<FindingGroup>,
    /// Each question the cycle asked, in framework order, with its rating there.
    pub results: Vec<ResultRow>,
    /// A case audit's results per question (aggregates only); None without case records.
    pub cases: Option<super::cases::CaseResults>,
    /// Like-for-like change since the comparable cycle, in a sentence; None when there is none.
    pub change: Option<String>,
    /// For a self-assessment: the deep dives whose evidence weighed on its scores.
    pub weighed: Vec<Ref>,
    /// For a deep dive: the self-assessment its evidence weighs on.
    pub weighs_on: Option<Ref>,
    /// Briefings that report on this cycle (their `cycle` key).
    pub briefings: Vec<Ref>,
    /// Practitioner surveys, as public pages show them (see `views::surveys`).
    pub surveys: Vec<super::surveys::SurveyView>,
    /// A survey cycle without returns: its page shows the surveys' readings instead of
    /// agencies' results and returns.
    pub survey_only: bool,
    /// Public pages of a round not yet signed off: why its case and survey figures are absent.
    pub unpublished: Option<String>,
    pub readings: Vec<super::surveys::ReadingRow>,
    /// What was imported after sign-off, oldest first: when and what, never what it says.
    pub changes: Vec<ChangeView>,
}

/// One change after sign-off. Public pages name neither the agency nor the case, nor the
/// questions (with two builds side by side they would show what one agency or case said).
#[derive(Debug, Clone, Serialize)]
pub struct ChangeView {
    pub date: String,
    /// "The return from Northmoor Police was replaced", "A case record was added".
    pub what: String,
    /// Internal pages: the questions whose answers changed.
    pub questions: Vec<Ref>,
    /// Public pages: how many questions changed.
    pub count: usize,
    /// Internal pages: why, when the change log says.
    pub note: Option<String>,
}

fn change_views(ctx: &Ctx<'_>, c: &Cycle, p: &mut Publisher) -> Vec<ChangeView> {
    use crate::model::{ChangeAction, Changed};
    let audit = ctx.audit;
    c.changes
        .iter()
        .map(|ch| {
            let verb = match ch.action {
                ChangeAction::Added => "added",
                ChangeAction::Replaced => "replaced",
            };
            let what = match (&ch.what, ctx.public) {
                (Changed::Return(_), true) => format!("An agency's return was {verb}"),
                (Changed::Case(_), true) => format!("A case record was {verb}"),
                (Changed::Return(a), false) => {
                    let name = audit
                        .agency(a)
                        .map_or(a.clone(), |x| p.text(&audit.partnership.loc, &x.name));
                    format!("The return from {name} was {verb}")
                }
                (Changed::Case(r), false) => format!("The record of case {r} was {verb}"),
            };
            ChangeView {
                date: ch.date.long(),
                what,
                questions: if ctx.public {
                    Vec::new()
                } else {
                    ch.questions
                        .iter()
                        .map(|q| ctx.question_ref(q, p))
                        .collect()
                },
                count: ch.questions.len(),
                note: ch.note.clone().filter(|_| !ctx.public),
            }
        })
        .collect()
}

#[derive(Debug, Clone, Serialize)]
pub struct FindingGroup {
    pub heading: &'static str,
    pub items: Vec<FindingView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FindingView {
    pub title: String,
    pub text_html: String,
    pub questions: Vec<Ref>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ResultRow {
    pub question: Ref,
    /// The assessed rating (see `analysis::triangulate`).
    pub rating: Tag,
    /// What the rating rests on: "agencies' ratings", "case files", "case files (2026-q1)".
    pub source: String,
    pub flags: Vec<Tag>,
}

pub(super) fn cycle_pages(
    ctx: &Ctx<'_>,
    briefings: &[super::BriefingPage],
    p: &mut Publisher,
) -> Vec<CyclePage> {
    let main = ctx.latest.map(|(c, _, _)| c.id.clone());
    ctx.audit
        .cycles
        .iter()
        .filter_map(|c| {
            let is_main = main.as_deref() == Some(c.id.as_str());
            cycle_page(ctx, briefings, c, is_main, p)
        })
        .collect()
}

/// A cycle's page, once the cycle has been analysed.
fn cycle_page(
    ctx: &Ctx<'_>,
    briefings: &[super::BriefingPage],
    c: &Cycle,
    main: bool,
    p: &mut Publisher,
) -> Option<CyclePage> {
    let audit = ctx.audit;
    let fw = audit.frameworks.get(&c.framework)?;
    let record = ctx.record(&c.id)?;
    let a = &record.analysis;
    let findings = finding_groups(ctx, c, p);
    let results = result_rows(ctx, c, fw, a, p);
    let change = change_sentence(ctx, a, p);
    let weighed = a
        .deep_dives
        .iter()
        .map(|d| cycle_ref(audit, d, p))
        .collect();
    // The latest self-assessment its evidence weighs on (a deep dive between two
    // self-assessments counts for both; the later one is the one that reports it).
    let weighs_on = audit
        .cycles
        .iter()
        .rfind(|sa| audit.deep_dives_for(sa).iter().any(|d| d.id == c.id))
        .map(|sa| cycle_ref(audit, &sa.id, p));
    Some(CyclePage {
        surveys: super::surveys::survey_views(ctx, c, false, p),
        survey_only: !c.surveys.is_empty() && record.evidence.returns.is_none(),
        unpublished: (ctx.public
            && c.signed_off.is_none()
            && (!c.cases.is_empty() || !c.surveys.is_empty()))
        .then(|| {
            "This round has not been signed off yet. Its case audit and survey figures are published once it is, so that they are final: until then, the results below do not draw on them.".to_string()
        }),
        readings: super::surveys::reading_rows(ctx, c, fw, p),
        changes: change_views(ctx, c, p),
        summary: cycle_view(ctx, c, fw, p),
        main,
        purpose_html: c.purpose.as_ref().map(|t| p.markdown(&c.loc, t, 3)),
        activities: c.activities.iter().map(|t| p.text(&c.loc, t)).collect(),
        findings,
        results,
        cases: super::cases::case_results(ctx, c, fw, p),
        change,
        weighed,
        weighs_on,
        briefings: audit
            .briefings
            .iter()
            .filter(|b| b.cycle.as_deref() == Some(c.id.as_str()))
            .filter_map(|b| briefings.iter().find(|x| x.slug == b.slug))
            .map(|b| Ref {
                id: b.slug.clone(),
                text: b.title.clone(),
                href: Some(b.href.clone()),
            })
            .collect(),
    })
}

/// A link to a cycle's page, by its title.
fn cycle_ref(audit: &crate::model::Audit, id: &str, p: &mut Publisher) -> Ref {
    let text = audit
        .cycle(id)
        .map_or(id.to_string(), |x| p.text(&x.loc, &x.title));
    Ref {
        id: id.to_string(),
        text,
        href: Some(routes::cycle_href(id)),
    }
}

/// The cycle's findings, grouped by kind (good practice, concerns, learning).
fn finding_groups(ctx: &Ctx<'_>, c: &Cycle, p: &mut Publisher) -> Vec<FindingGroup> {
    FindingKind::ALL
        .iter()
        .filter_map(|kind| {
            let items: Vec<FindingView> = c
                .findings
                .iter()
                .filter(|f| f.kind == *kind)
                .map(|f| FindingView {
                    title: p.text(&f.loc, &f.title),
                    text_html: p.markdown(&f.text_loc, &f.text, 4),
                    questions: f.questions.iter().map(|q| ctx.question_ref(q, p)).collect(),
                })
                .collect();
            (!items.is_empty()).then_some(FindingGroup {
                heading: match kind {
                    FindingKind::GoodPractice => "Good practice we found",
                    FindingKind::Concern => "What else we found",
                    FindingKind::Learning => "What we can learn",
                },
                items,
            })
        })
        .collect()
}

/// Each question the cycle asked, with its assessed rating and what it rests on.
fn result_rows(
    ctx: &Ctx<'_>,
    c: &Cycle,
    fw: &Framework,
    a: &crate::analysis::Analysis,
    p: &mut Publisher,
) -> Vec<ResultRow> {
    c.questions(fw)
        .map(|q| {
            let s = a.ranking.priorities.iter().find(|s| s.question == q.id);
            ResultRow {
                question: ctx.question_ref(&q.id, p),
                rating: match s {
                    Some(s) => ctx.rating_tag(fw, s.rating),
                    None if a.ranking.withheld.contains(&q.id) => Tag::new("Not published", "grey"),
                    None => Tag::new("Not applicable", "grey"),
                },
                source: s.map_or_else(String::new, super::rating_source),
                flags: s
                    .map(|s| {
                        s.flags
                            .iter()
                            .map(|f| Tag::new(flag_words(*f), "grey"))
                            .collect()
                    })
                    .unwrap_or_default(),
            }
        })
        .collect()
}

/// How the cycle compares with the last of the same method, in one sentence.
fn change_sentence(
    ctx: &Ctx<'_>,
    a: &crate::analysis::Analysis,
    p: &mut Publisher,
) -> Option<String> {
    let audit = ctx.audit;
    a.comparison.as_ref().map(|cmp| {
        let mut s = format!(
            "Compared with {} ({}), the last {}: {} question{} rose, {} fell and {} held steady ({}).",
            audit.cycle(&cmp.cycle).map_or(cmp.cycle.clone(), |x| p.text(&x.loc, &x.title)),
            cmp.cycle,
            cmp.method.words(),
            cmp.rose.len(),
            if cmp.rose.len() == 1 { "" } else { "s" },
            cmp.fell.len(),
            cmp.steady,
            if ctx.public {
                "a rise or a fall is a clear move on the rating scale, as “How we score” defines it".to_string()
            } else {
                format!("a rise or a fall is a move of at least {} on the scale", num(cmp.threshold, 2))
            }
        );
        if cmp.scope_differs() {
            s.push_str(&format!(
                " The two cycles did not ask the same questions, so only the {} both asked are compared.",
                cmp.shared
            ));
        }
        s
    })
}
