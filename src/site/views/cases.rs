//! A case audit on its cycle page. Public: per question, how many audited cases met the
//! standard, partly met it or did not, as a stacked bar chart and a table with the same
//! figures, shown only for questions at least `publication.min_cases` cases judged, and age
//! bands only where as many cases fall in them. Internal ([`CaseDetail`]): each case's
//! judgements, its notes and the agencies whose practice differed.

use super::{Chart, Ctx, Publisher, Ref, Tag};
use crate::analysis::cases::CaseCounts;
use crate::disclosure::{self, Shown};
use crate::model::{AgeBand, Cycle, Framework, Judgement, Rag};
use crate::site::charts::{self, Label, Segment, StackedRow, Swatch};
use crate::site::markdown;
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct CaseResults {
    /// How many cases were audited (hidden below the minimum).
    pub cases: Shown,
    /// The same, as a sentence reads it ("8", "fewer than 5").
    pub cases_text: String,
    pub min_cases: usize,
    pub chart: Option<Chart>,
    pub rows: Vec<CaseRow>,
    /// Questions fewer than the minimum cases judged: named, their figures withheld.
    pub withheld: Vec<Ref>,
    /// Age bands with at least the minimum cases, as "under 1: 6 cases".
    pub age_bands: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CaseRow {
    pub question: Ref,
    pub counts: CaseCounts,
    pub judged: usize,
    pub rating: Tag,
}

fn segments() -> Vec<Segment> {
    vec![
        Segment {
            label: "Met".into(),
            swatch: Swatch::for_level(Rag::Green, true),
        },
        Segment {
            label: "Partly met".into(),
            swatch: Swatch::for_level(Rag::Amber, false),
        },
        Segment {
            label: "Not met".into(),
            swatch: Swatch::for_level(Rag::Red, false),
        },
    ]
}

pub(super) fn case_results(
    ctx: &Ctx<'_>,
    c: &Cycle,
    fw: &Framework,
    p: &mut Publisher,
) -> Option<CaseResults> {
    let evidence = ctx.record(&c.id)?.evidence.cases.as_ref()?;
    let min = ctx.audit.partnership.disclosure.min_cases;
    let mut rows = Vec::new();
    let mut withheld = Vec::new();
    for r in &evidence.results {
        let question = ctx.question_ref(&r.question, p);
        if r.counts.judged() < min {
            withheld.push(question);
            continue;
        }
        rows.push(CaseRow {
            question,
            judged: r.counts.judged(),
            rating: ctx.rating_tag(fw, r.rating.map(f64::from)),
            counts: r.counts,
        });
    }
    let chart = (!rows.is_empty()).then(|| chart(c, &rows)).flatten();
    let age_bands = if ctx.public {
        public_age_bands(evidence, min)
    } else {
        evidence
            .age_bands
            .iter()
            .map(|(b, n)| format!("{}: {n} cases", age_words(*b)))
            .chain(
                (evidence.no_age_band > 0)
                    .then(|| format!("age not recorded: {} cases", evidence.no_age_band)),
            )
            .collect()
    };
    Some(CaseResults {
        cases: disclosure::shown(evidence.cases, min),
        cases_text: disclosure::shown(evidence.cases, min).to_string(),
        min_cases: min,
        chart,
        rows,
        withheld,
        age_bands,
    })
}

/// Age bands as a public page shows them: neighbouring bands merged until each holds at least
/// `min` cases; counts only when the cases without an age band are none or at least `min`
/// too (else the counts would give that remainder away: then the merged bands alone).
fn public_age_bands(e: &crate::analysis::evidence::CaseEvidence, min: usize) -> Vec<String> {
    let counts: Vec<usize> = AgeBand::ALL
        .iter()
        .map(|b| {
            e.age_bands
                .iter()
                .find(|(x, _)| x == b)
                .map_or(0, |(_, n)| *n)
        })
        .collect();
    let counted = e.no_age_band == 0 || e.no_age_band >= min;
    let mut out: Vec<String> = crate::disclosure::merge_bands(&counts, min)
        .into_iter()
        .map(|(first, last, n)| {
            let span = if first == last {
                age_words(AgeBand::ALL[first]).to_string()
            } else {
                format!(
                    "{} to {}",
                    age_words(AgeBand::ALL[first])
                        .split(" to ")
                        .next()
                        .unwrap_or(""),
                    age_words(AgeBand::ALL[last])
                        .rsplit(" to ")
                        .next()
                        .unwrap_or("")
                )
            };
            if counted {
                format!("{span}: {n} cases")
            } else {
                span
            }
        })
        .collect();
    if counted && e.no_age_band > 0 {
        out.push(format!("age not recorded: {} cases", e.no_age_band));
    }
    out
}

fn chart(c: &Cycle, rows: &[CaseRow]) -> Option<Chart> {
    let stacked: Vec<StackedRow> = rows
        .iter()
        .map(|r| StackedRow {
            label: r.question.text.clone(),
            counts: vec![
                r.counts.met as u32,
                r.counts.partly as u32,
                r.counts.not_met as u32,
            ],
        })
        .collect();
    let desc = rows
        .iter()
        .map(|r| {
            format!(
                "{}: {} met, {} partly met, {} not met",
                r.question.text, r.counts.met, r.counts.partly, r.counts.not_met
            )
        })
        .collect::<Vec<_>>()
        .join(". ");
    let label = Label {
        id: format!("chart-cases-{}", c.id),
        title: "Audited cases meeting the standard, question by question".into(),
        desc: format!(
            "Stacked bars, one per question: met on the left, then partly met, then not met. {desc}."
        ),
    };
    let svg = charts::stacked_bars(&label, &segments(), &stacked).ok()?;
    Some(Chart {
        id: label.id,
        caption: "Cases met, partly met and not met, by question".into(),
        svg,
    })
}

pub fn age_words(b: AgeBand) -> &'static str {
    match b {
        AgeBand::Under1 => "under 1",
        AgeBand::OneToFour => "1 to 4",
        AgeBand::FiveToNine => "5 to 9",
        AgeBand::TenToFifteen => "10 to 15",
        AgeBand::SixteenSeventeen => "16 to 17",
    }
}

pub fn judgement_tag(j: Judgement) -> Tag {
    match j {
        Judgement::Met => Tag::new("Met", "green"),
        Judgement::Partly => Tag::new("Partly met", "orange"),
        Judgement::NotMet => Tag::new("Not met", "red"),
        Judgement::NotApplicable => Tag::new("Not applicable", "grey"),
    }
}

/// One case as the internal cycle page shows it.
#[derive(Debug, Serialize)]
pub struct CaseDetail {
    pub reference: String,
    pub age_band: Option<&'static str>,
    pub agencies: Vec<String>,
    pub audited_on: String,
    pub findings: Vec<CaseFindingView>,
}

#[derive(Debug, Serialize)]
pub struct CaseFindingView {
    pub question: Ref,
    pub judgement: Tag,
    /// Agencies whose practice differed: "police: not met".
    pub by_agency: Vec<String>,
    pub good_practice_html: Option<String>,
    pub learning_html: Option<String>,
    pub internal_html: Option<String>,
}

/// Every case of a cycle, for the internal page only (built outside the public view, so none
/// of it is published).
pub(super) fn case_details(ctx: &Ctx<'_>, c: &Cycle) -> Vec<CaseDetail> {
    let mut scratch = Publisher::default();
    let name = |id: &str| {
        ctx.audit
            .agency(id)
            .map_or(id.to_string(), |a| a.name.clone())
    };
    let md = |t: &Option<String>| t.as_ref().map(|t| markdown::to_html(t, 5));
    c.cases
        .iter()
        .map(|k| CaseDetail {
            reference: k.reference.clone(),
            age_band: k.age_band.map(age_words),
            agencies: k.agencies.iter().map(|a| name(a)).collect(),
            audited_on: k.audited_on.long(),
            findings: k
                .findings
                .iter()
                .map(|(q, f)| CaseFindingView {
                    question: ctx.question_ref(q, &mut scratch),
                    judgement: judgement_tag(f.judgement),
                    by_agency: f
                        .by_agency
                        .iter()
                        .map(|(a, j)| {
                            format!("{}: {}", name(a), judgement_tag(*j).text.to_lowercase())
                        })
                        .collect(),
                    good_practice_html: md(&f.good_practice),
                    learning_html: md(&f.learning),
                    internal_html: md(&f.internal),
                })
                .collect(),
        })
        .collect()
}
