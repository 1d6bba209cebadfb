//! The method page: the frameworks, the rating scale, the theme weights and the scoring
//! constants, so a reader can check any score by hand.

use super::{Ctx, Publisher, Ref, Tag, flag_words, rag_class};
use crate::analysis::score::{self, Flag};
use crate::format::num;
use crate::model::Framework;
use serde::Serialize;

#[derive(Debug, Serialize)]
pub struct MethodPage {
    pub frameworks: Vec<FrameworkView>,
    pub scale: Vec<ScaleRow>,
    pub weights: Vec<(Ref, String)>,
    pub constants: Constants,
    pub flags: Vec<(String, &'static str)>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FrameworkView {
    pub id: String,
    pub title: String,
    pub summary_html: String,
    pub publisher: String,
    pub publication: String,
    pub year: Option<i64>,
    pub url: Option<String>,
    pub licence: String,
    pub note: String,
    pub bundled: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct ScaleRow {
    pub value: u32,
    pub label: Tag,
    pub descriptor: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Constants {
    pub residual: String,
    pub confidence_high: String,
    pub confidence_medium: String,
    pub confidence_low: String,
    pub metric_step: String,
    pub metric_cap: String,
    pub deterioration: String,
    /// The factor on a question whose actions are all complete with no better evidence since.
    pub after_actions: String,
    /// The partnership's evidence window, in self-assessment rounds.
    pub evidence_window: String,
    pub change_threshold: String,
    pub pull_lowest: String,
    pub pull_statutory: String,
    /// Where the levels of concern part on the score less its theme weight (low | some |
    /// high | very high), for the reported cycle's scale; empty before any cycle.
    pub concern_bounds: Vec<String>,
    /// The partnership's publication minimums.
    pub min_agencies: usize,
    pub min_cases: usize,
    pub min_responses: usize,
}

pub(super) fn method_page(ctx: &Ctx<'_>, p: &mut Publisher) -> MethodPage {
    let frameworks = ctx
        .audit
        .frameworks
        .values()
        .map(|fw| framework_view(ctx, fw, p))
        .collect();
    let (scale, weights) = match ctx.latest {
        Some((_, a, fw)) => {
            let loc = fw.loc.clone();
            (
                fw.scale
                    .iter()
                    .map(|l| ScaleRow {
                        value: l.value,
                        label: Tag::new(p.text(&loc, &l.label), rag_class(l.rag)),
                        descriptor: p.text(&loc, &l.descriptor),
                    })
                    .collect(),
                a.ranking
                    .themes
                    .iter()
                    .map(|t| (ctx.theme_ref(&t.theme, p), num(t.weight, 2)))
                    .collect(),
            )
        }
        None => (Vec::new(), Vec::new()),
    };
    MethodPage {
        frameworks,
        scale,
        weights,
        constants: constants(ctx),
        flags: [
            Flag::Unanswered,
            Flag::AgenciesDisagree,
            Flag::StatutoryLow,
            Flag::MetricOffTarget,
            Flag::WorseThanComparator,
            Flag::MetricWorsening,
            Flag::Deteriorated,
            Flag::EvidenceConflict,
            Flag::ActionsCompleteNoChange,
            Flag::Moderated,
            Flag::LowConfidence,
        ]
        .iter()
        .map(|f| (flag_words(*f).to_string(), f.as_str()))
        .collect(),
    }
}

/// A question bank: what it is, where it comes from, under what licence.
fn framework_view(ctx: &Ctx<'_>, fw: &Framework, p: &mut Publisher) -> FrameworkView {
    let loc = fw.loc.clone();
    let url = fw.source.url.trim();
    FrameworkView {
        id: fw.id.clone(),
        title: p.text(&loc, &fw.title),
        summary_html: p.markdown(&loc, &fw.summary, 3),
        publisher: p.text(&loc, &fw.source.publisher),
        publication: p.text(&loc, &fw.source.publication),
        year: fw.source.year,
        url: (url.starts_with("https://") || url.starts_with("http://")).then(|| p.text(&loc, url)),
        licence: p.text(&loc, &fw.source.licence),
        // The public edition keeps the note's first sentence (what the bank was built
        // from); the rest is the bank's change log, by question id.
        note: p.text(
            &loc,
            &if ctx.public {
                first_sentence(&fw.source.note)
            } else {
                fw.source.note.clone()
            },
        ),
        bundled: fw.bundled,
    }
}

/// The method's figures as the page states them.
fn constants(ctx: &Ctx<'_>) -> Constants {
    let partnership = &ctx.audit.partnership;
    Constants {
        residual: num(score::RESIDUAL, 2),
        confidence_high: num(score::CONFIDENCE_HIGH, 2),
        confidence_medium: num(score::CONFIDENCE_MEDIUM, 2),
        confidence_low: num(score::CONFIDENCE_LOW, 2),
        metric_step: num(score::METRIC_STEP, 2),
        metric_cap: num(score::METRIC_CAP, 2),
        deterioration: num(score::DETERIORATION_WEIGHT, 2),
        evidence_window: partnership.evidence_window.to_string(),
        after_actions: num(crate::analysis::impact::NO_CHANGE_WEIGHT, 2),
        change_threshold: num(partnership.change_threshold, 2),
        pull_lowest: num(score::PULL_LOWEST * 100.0, 0),
        pull_statutory: num(score::PULL_STATUTORY * 100.0, 0),
        concern_bounds: ctx.latest.map_or(Vec::new(), |(_, _, fw)| {
            super::priorities::concern_bounds(fw)
                .iter()
                .map(|b| num(*b, 0))
                .collect()
        }),
        min_agencies: partnership.disclosure.min_agencies,
        min_cases: partnership.disclosure.min_cases,
        min_responses: partnership.disclosure.min_responses,
    }
}

/// Text up to the end of its first sentence (a full stop followed by a space or the end).
fn first_sentence(s: &str) -> String {
    let s = s.trim();
    match s.find(". ") {
        Some(i) => s[..=i].to_string(),
        None => s.to_string(),
    }
}
