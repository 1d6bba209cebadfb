//! Builds small audits in code for the unit and property tests of the scoring stages.

use crate::model::*;
use crate::source::Loc;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// A framework with the given scale values, themes (id, weight) and questions
/// (id, theme, level).
pub fn framework(scale: &[u32], themes: &[(&str, f64)], questions: &[(&str, &str)]) -> Framework {
    Framework {
        id: "fw".into(),
        title: "Test bank".into(),
        summary: String::new(),
        source: FrameworkSource {
            publisher: "p".into(),
            publication: "p".into(),
            year: None,
            url: "https://example.org".into(),
            licence: "OGL".into(),
            note: String::new(),
        },
        scale: scale
            .iter()
            .map(|&v| ScaleLevel {
                value: v,
                label: format!("level {v}"),
                rag: Rag::Amber,
                descriptor: String::new(),
            })
            .collect(),
        themes: themes
            .iter()
            .map(|&(id, weight)| Theme {
                id: id.into(),
                title: id.into(),
                summary: String::new(),
                weight,
                loc: Loc::default(),
            })
            .collect(),
        questions: questions
            .iter()
            .map(|&(id, theme)| Question {
                id: id.into(),
                theme: theme.into(),
                level: if id.contains("-p-") {
                    Level::Practitioner
                } else {
                    Level::Strategic
                },
                text: id.into(),
                prompts: vec![],
                metrics: vec![],
                loc: Loc::default(),
            })
            .collect(),
        bundled: false,
        loc: Loc::default(),
    }
}

/// An audit of `fw` with agencies (id, statutory) and no cycles yet.
pub fn audit(fw: Framework, agencies: &[(&str, bool)]) -> Audit {
    Audit {
        dir: PathBuf::from("t"),
        folder: "t".into(),
        partnership: Partnership {
            name: "Test Partnership".into(),
            short_name: "TP".into(),
            area: "Test".into(),
            frameworks: vec![fw.id.clone()],
            agencies: agencies
                .iter()
                .map(|&(id, statutory)| Agency {
                    id: id.into(),
                    name: id.into(),
                    sector: Sector::Other,
                    statutory,
                    role: None,
                    contact: None,
                })
                .collect(),
            theme_weights: BTreeMap::new(),
            allow: vec![],
            contact: None,
            approved: None,
            disclosure: Default::default(),
            change_threshold: 0.25,
            evidence_window: 2,
            loc: Loc::default(),
        },
        frameworks: BTreeMap::from([(fw.id.clone(), fw)]),
        metrics: vec![],
        actions: vec![],
        cycles: vec![],
        briefings: vec![],
        deny: vec![],
        templates: Vec::new(),
        sources: Vec::new(),
        compiled_scanner: Default::default(),
    }
}

pub fn date(s: &str) -> Date {
    Date::parse(s).expect("a test date")
}

/// A cycle `id` (period = id) of framework "fw" with no responses.
pub fn cycle(id: &str) -> Cycle {
    Cycle {
        id: id.into(),
        title: id.into(),
        period: id.into(),
        method: Method::SelfAssessment,
        framework: "fw".into(),
        opened: date("2025-09-01"),
        closed: date("2025-11-28"),
        scope_themes: vec![],
        scope_levels: vec![],
        scope_agencies: vec![],
        purpose: None,
        activities: vec![],
        compare_with: None,
        signed_off: None,
        findings: vec![],
        cases: vec![],
        responses: vec![],
        moderation: None,
        surveys: vec![],
        changes: vec![],
        loc: Loc::default(),
    }
}

/// Records `agency`'s answer to `question` in `cycle`, creating its return if needed.
pub fn answer(cycle: &mut Cycle, agency: &str, question: &str, rating: Rating, c: Confidence) {
    let pos = match cycle.responses.iter().position(|r| r.agency == agency) {
        Some(p) => p,
        None => {
            cycle.responses.push(Response {
                agency: agency.into(),
                completed_by: "lead".into(),
                submitted: None,
                answers: BTreeMap::new(),
                loc: Loc::default(),
            });
            cycle.responses.sort_by(|a, b| a.agency.cmp(&b.agency));
            cycle
                .responses
                .iter()
                .position(|r| r.agency == agency)
                .unwrap_or_default()
        }
    };
    cycle.responses[pos].answers.insert(
        question.into(),
        Answer {
            rating,
            confidence: c,
            evidence: "e".into(),
            gaps: None,
            internal: None,
            loc: Loc::default(),
        },
    );
}

pub fn moderate(cycle: &mut Cycle, question: &str, rating: Rating) {
    cycle
        .moderation
        .get_or_insert_with(|| Moderation {
            moderated_on: None,
            questions: BTreeMap::new(),
        })
        .questions
        .insert(
            question.into(),
            ModeratedQuestion {
                rating: Some(rating),
                note: None,
                public_summary: None,
                considered: Vec::new(),
                loc: Loc::default(),
            },
        );
}

pub fn metric(id: &str, better: Better, values: &[(&str, f64)]) -> Metric {
    Metric {
        id: id.into(),
        title: id.into(),
        definition: None,
        unit: "%".into(),
        better,
        target: None,
        comparator: None,
        themes: vec![],
        questions: vec![],
        values: values.iter().map(|(p, v)| (p.to_string(), *v)).collect(),
        loc: Loc::default(),
    }
}

pub fn action(id: &str, status: ActionStatus, due: &str, addresses: &[&str]) -> Action {
    Action {
        id: id.into(),
        title: id.into(),
        owner: "group".into(),
        due: date(due),
        status,
        addresses: addresses.iter().map(|s| s.to_string()).collect(),
        effort: None,
        progress: None,
        completed: None,
        metrics: None,
        loc: Loc::default(),
    }
}

/// Records case `reference`'s judgement of `question` in `cycle`, creating the case if needed.
pub fn judge(cycle: &mut Cycle, reference: &str, question: &str, j: Judgement) {
    let pos = match cycle.cases.iter().position(|c| c.reference == reference) {
        Some(p) => p,
        None => {
            cycle.cases.push(CaseRecord {
                reference: reference.into(),
                age_band: None,
                agencies: vec![],
                audited_on: cycle.opened,
                findings: BTreeMap::new(),
                loc: Loc::default(),
            });
            cycle.cases.len() - 1
        }
    };
    cycle.cases[pos].findings.insert(
        question.into(),
        CaseFinding {
            judgement: j,
            by_agency: BTreeMap::new(),
            good_practice: None,
            learning: None,
            internal: None,
            loc: Loc::default(),
        },
    );
}
