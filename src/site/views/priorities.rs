//! The priorities page: each ranked question with its score explained in words.

use super::{Ctx, Publisher, Ref, Tag, flag_words, level_word, rating_tag};
use crate::analysis::score::{self, Flag, QuestionScore};
use crate::format::{fixed, num};
use crate::model::Framework;
use serde::Serialize;

/// One ranked question, with its score explained in words.
#[derive(Debug, Clone, Serialize)]
pub struct PriorityRow {
    pub rank: usize,
    pub question: Ref,
    pub theme: Ref,
    pub level: &'static str,
    pub rating: Tag,
    pub moderated: bool,
    pub score: String,
    pub score_value: f64,
    /// The level of concern in words (what public pages show instead of the score).
    pub concern: Tag,
    pub flags: Vec<Tag>,
    /// Plain-language reasons, one sentence per factor that moved the score.
    pub reasons: Vec<Reason>,
    /// The arithmetic: `100 × (0.1 + 0.9 × 0.67) × 1.15 × … = 71.5`.
    pub sum: String,
}

/// One reason a question ranks where it does: `text` is plain language for every audience;
/// `factor` names the scoring factor it set, which only the internal site shows.
#[derive(Debug, Clone, Serialize)]
pub struct Reason {
    pub text: String,
    pub factor: Option<String>,
}

fn reason(text: impl Into<String>, factor: Option<String>) -> Reason {
    Reason {
        text: text.into(),
        factor,
    }
}

/// The level of concern a score stands for, in words. 10 is the floor (top assurance on strong
/// evidence); 100 is no assurance with nothing else adverse; 130 no answer at all.
pub(super) fn concern(score: f64) -> Tag {
    if score >= 100.0 {
        Tag::new("Very high concern", "red")
    } else if score >= 60.0 {
        Tag::new("High concern", "orange")
    } else if score >= 30.0 {
        Tag::new("Some concern", "blue")
    } else {
        Tag::new("Low concern", "grey")
    }
}

pub(super) fn priority_row(
    ctx: &Ctx<'_>,
    fw: &Framework,
    s: &QuestionScore,
    p: &mut Publisher,
) -> PriorityRow {
    let c = &s.components;
    let mut reasons = Vec::new();
    let top = fw.scale.last().map_or(String::new(), |l| l.label.clone());
    match s.rating {
        Some(r) => reasons.push(reason(
            format!(
                "{} {} on a scale of {} to {}: {}% of the way down from {}",
                if s.moderated {
                    "Moderation rated it"
                } else {
                    "The agencies' ratings combine to"
                },
                num(r, 2),
                fw.bottom(),
                fw.top(),
                num(c.gap * 100.0, 0),
                top
            ),
            None,
        )),
        None => reasons.push(reason(
            "No agency gave a rating, which counts as no assurance",
            None,
        )),
    }
    if c.coverage < 1.0 - 1e-9 {
        reasons.push(reason(format!(
            "{} of {} agencies expected to answer gave a rating; the missing answers count as no assurance",
            s.answered,
            s.answered + s.unanswered
        ), None));
    }
    if c.confidence > 1.0 + 1e-9 {
        reasons.push(reason(
            "The evidence behind the ratings is not all strong",
            Some(format!("confidence factor ×{}", num(c.confidence, 2))),
        ));
    }
    if c.metrics > 1.0 + 1e-9 {
        let adverse: Vec<String> = s
            .metrics
            .iter()
            .filter(|m| m.adverse() > 0)
            .map(|m| {
                ctx.audit
                    .metric(&m.metric)
                    .map_or(m.title.clone(), |met| p.text(&met.loc, &met.title))
            })
            .collect();
        reasons.push(reason(
            format!(
                "Data bearing on it points the wrong way: {}",
                adverse.join("; ")
            ),
            Some(format!("metrics factor ×{}", num(c.metrics, 2))),
        ));
    }
    if c.deterioration > 1.0 + 1e-9 {
        let since = s
            .previous
            .as_ref()
            .map_or(String::new(), |pr| format!(" since {}", pr.cycle));
        reasons.push(reason(
            format!("The rating fell{since}"),
            Some(format!("deterioration factor ×{}", num(c.deterioration, 2))),
        ));
    }
    if let Some(d) = &s.deep_dive {
        let cycle = ctx
            .audit
            .cycle(&d.cycle)
            .map_or(d.cycle.clone(), |c| p.text(&c.loc, &c.title));
        if c.triangulation > 1.0 + 1e-9 {
            reasons.push(reason(
                format!(
                    "A deep dive since ({cycle}) found less assurance: {} on the scale, from {}",
                    num(d.rating, 2),
                    d.basis
                ),
                Some(format!("triangulation factor ×{}", num(c.triangulation, 2))),
            ));
        } else {
            reasons.push(reason(
                format!(
                    "A deep dive since ({cycle}) found as much assurance or more: {} on the scale, from {}; better news never lowers the risk",
                    num(d.rating, 2),
                    d.basis
                ),
                None,
            ));
        }
    }
    if (c.theme_weight - 1.0).abs() > 1e-9 {
        reasons.push(reason(
            if c.theme_weight > 1.0 {
                "The partnership gives its theme extra weight"
            } else {
                "The partnership gives its theme less weight"
            },
            Some(format!("theme weight ×{}", num(c.theme_weight, 2))),
        ));
    }
    let sum = format!(
        "100 × ({} + {} × {}) × {} × {} × {} × {} × {} = {}",
        num(score::RESIDUAL, 2),
        num(1.0 - score::RESIDUAL, 2),
        num(c.shortfall(), 2),
        num(c.confidence, 2),
        num(c.metrics, 2),
        num(c.deterioration, 2),
        num(c.triangulation, 2),
        num(c.theme_weight, 2),
        num(s.score, 1)
    );
    PriorityRow {
        rank: s.rank,
        question: ctx.question_ref(&s.question, p),
        theme: ctx.theme_ref(&s.theme, p),
        level: level_word(s.level),
        rating: rating_tag(fw, s.rating),
        moderated: s.moderated,
        score: fixed(s.score, 1),
        score_value: crate::analysis::round(s.score, 2),
        concern: concern(s.score),
        flags: s
            .flags
            .iter()
            .map(|f| {
                let class = match f {
                    Flag::Moderated => "blue",
                    _ => "orange",
                };
                Tag::new(flag_words(*f), class)
            })
            .collect(),
        reasons,
        sum,
    }
}
