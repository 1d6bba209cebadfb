//! The priorities page: each ranked question with its score explained in words.

use super::{Ctx, Publisher, Ref, Tag, flag_words, level_word};
use crate::analysis::score::{self, Flag, QuestionScore};
use crate::format::{fixed, num};
use crate::model::Framework;
use serde::Serialize;

/// One ranked question, with its score explained in words.
#[derive(Debug, Clone, Serialize)]
pub struct PriorityRow {
    pub rank: usize,
    /// The cycle whose evidence the row is from, for a question the reported cycle did not ask.
    pub from_cycle: Option<Ref>,
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

/// The levels of concern, lowest first.
const CONCERN: [(&str, &str); 4] = [
    ("Low concern", "grey"),
    ("Some concern", "blue"),
    ("High concern", "orange"),
    ("Very high concern", "red"),
];

/// The score a question rated `r` would have on that rating alone: every agency answering,
/// strong evidence, nothing adverse, a theme weight of 1.
fn score_of_rating(fw: &Framework, r: f64) -> f64 {
    let (top, bottom) = (f64::from(fw.top()), f64::from(fw.bottom()));
    let gap = if top > bottom {
        (top - r) / (top - bottom)
    } else {
        0.0
    };
    100.0 * (score::RESIDUAL + (1.0 - score::RESIDUAL) * gap)
}

/// Where the concern levels part on a question's score (less its theme weight), for a
/// framework's scale: the score is read as the rating it would stand for on its own
/// ([`score_of_rating`]), and the concern is that rating's colour. So a score nearer a green
/// level's than an amber one's is low concern, nearer an amber level's is some concern, nearer
/// a red one's is high concern, and one beyond the bottom of the scale by more than half a level
/// is very high concern. On the bundled 0 to 3 scale: 55, 85 and 115. Fixed for a scale, so a
/// level means the same in every cycle and every partnership using it.
pub fn concern_bounds(fw: &Framework) -> [f64; 3] {
    use crate::model::Rag;
    let values = |rag: Rag| {
        fw.scale
            .iter()
            .filter(move |l| l.rag == rag)
            .map(|l| l.value)
    };
    let midway = |upper: Option<u32>, lower: Option<u32>| match (upper, lower) {
        (Some(u), Some(l)) => Some(score_of_rating(fw, (f64::from(u) + f64::from(l)) / 2.0)),
        _ => None,
    };
    let green = values(Rag::Green).min();
    let amber = values(Rag::Amber);
    let red = values(Rag::Red).max();
    let very = score_of_rating(fw, f64::from(fw.bottom()) - 0.5);
    let high = midway(amber.clone().min(), red)
        .or_else(|| midway(green, red))
        .unwrap_or(very);
    let some = midway(green, amber.max()).unwrap_or(high);
    [some, high, very]
}

/// The level of concern a question's score stands for, in words (what public pages show
/// instead of the score), by [`concern_bounds`]. The theme weight is left out: it orders the
/// ranking by the partnership's priorities but is no evidence of risk. A question rated at a
/// green level (reasonable assurance or better) with nothing adverse (every agency answered,
/// no metric against it, no fall, no lower finding in practice, no completed actions without
/// change) is never above some concern, however weak its evidence.
pub fn concern(fw: &Framework, s: &QuestionScore) -> Tag {
    let c = &s.components;
    let weight = if c.theme_weight > 0.0 {
        c.theme_weight
    } else {
        1.0
    };
    let evidence = s.score / weight;
    let mut level = concern_bounds(fw)
        .iter()
        .filter(|b| evidence >= **b - 1e-9)
        .count();
    let green = s
        .rating
        .is_some_and(|r| fw.level_at(r).rag == crate::model::Rag::Green);
    let adverse = c.coverage < 1.0 - 1e-9
        || c.metrics > 1.0 + 1e-9
        || c.deterioration > 1.0 + 1e-9
        || c.after_actions > 1.0 + 1e-9
        || s.lowered_by.is_some();
    if green && !adverse {
        level = level.min(1);
    }
    let (text, class) = CONCERN[level];
    Tag::new(text, class)
}

/// Where the rating comes from, and how deep dives bore on it, as reasons.
fn rating_reasons(
    ctx: &Ctx<'_>,
    fw: &Framework,
    s: &QuestionScore,
    p: &mut Publisher,
) -> Vec<Reason> {
    let mut out = vec![own_reason(ctx, fw, s, p)];
    out.extend(weighed_reasons(ctx, fw, s, p));
    out
}

/// A rating as a page of this audience gives it: internal pages the figure, public ones the
/// level in words (see `Ctx::rating_tag`).
fn figure(ctx: &Ctx<'_>, fw: &Framework, r: f64) -> String {
    if ctx.public {
        fw.level_at(r).label.to_lowercase()
    } else {
        crate::format::rating(r)
    }
}

fn cycle_title(ctx: &Ctx<'_>, cycle: &str, p: &mut Publisher) -> String {
    ctx.audit
        .cycle(cycle)
        .map_or(cycle.to_string(), |c| p.text(&c.loc, &c.title))
}

/// Where the rating comes from: moderation, the evidence of practice, or the agencies.
fn own_reason(ctx: &Ctx<'_>, fw: &Framework, s: &QuestionScore, p: &mut Publisher) -> Reason {
    let top = fw.scale.last().map_or(String::new(), |l| l.label.clone());
    let gap = num(s.components.gap * 100.0, 0);
    let own_words = match s.own_source {
        _ if s.moderated => "Moderation rated it",
        Some(src) if src.is_practice() => "The evidence of practice reads it at",
        _ => "The agencies' ratings combine to",
    };
    let scale = if ctx.public {
        String::new()
    } else {
        format!(
            " on a scale of {} to {}, {gap}% of the way down from {top}",
            fw.bottom(),
            fw.top()
        )
    };
    match (&s.lowered_by, s.rating) {
        (Some(r), Some(rating)) => reason(
            format!(
                "{own_words} {}, but the {} “{}” found less from the {}: {}{scale}, which is the rating used until the moderation panel weighs it",
                s.own_rating
                    .map_or("no rating".to_string(), |x| figure(ctx, fw, x)),
                r.method.words(),
                cycle_title(ctx, &r.cycle, p),
                r.source.words(),
                figure(ctx, fw, rating),
            ),
            None,
        ),
        (None, Some(rating)) => reason(
            format!("{own_words} {}{scale}", figure(ctx, fw, rating)),
            None,
        ),
        (_, None) => reason(
            "Nothing gave it a rating, which counts as no assurance",
            None,
        ),
    }
}

/// How each deep dive that did not lower the rating bore on it: weighed by the panel, or
/// better news that never lowers the risk.
fn weighed_reasons(
    ctx: &Ctx<'_>,
    fw: &Framework,
    s: &QuestionScore,
    p: &mut Publisher,
) -> Vec<Reason> {
    let mut out = Vec::new();
    for w in &s.weighed {
        let r = &w.reading;
        let found = r.rating.map_or(String::new(), |x| figure(ctx, fw, x));
        if let Some(on) = w.considered_on {
            out.push(reason(
                format!(
                    "The moderation panel weighed the {} “{}” ({found} from the {}) on {}",
                    r.method.words(),
                    cycle_title(ctx, &r.cycle, p),
                    r.source.words(),
                    on.long()
                ),
                None,
            ));
        } else if !w.lower {
            let same = s
                .own_rating
                .zip(r.rating)
                .is_some_and(|(own, x)| fw.level_at(own).value == fw.level_at(x).value);
            let what = if same {
                "found the same level of assurance"
            } else {
                "found more assurance"
            };
            out.push(reason(
                format!(
                    "The {} “{}” {what} ({found} from the {}); better news never lowers the risk",
                    r.method.words(),
                    cycle_title(ctx, &r.cycle, p),
                    r.source.words()
                ),
                None,
            ));
        }
    }
    out
}

pub(super) fn priority_row(
    ctx: &Ctx<'_>,
    fw: &Framework,
    s: &QuestionScore,
    p: &mut Publisher,
) -> PriorityRow {
    // Exact figures (the score, flags drawn from single answers) only where nothing is hidden.
    let exact = !ctx.public
        || ctx
            .audit
            .cycle(&s.cycle)
            .is_some_and(|cy| ctx.disclosure(cy, fw, &s.question).exact);
    let mut reasons = Vec::new();
    reasons.extend(rating_reasons(ctx, fw, s, p));
    reasons.extend(factor_reasons(ctx, s, p));
    let from_cycle = ctx
        .latest
        .filter(|(c, _, _)| c.id != s.cycle)
        .and_then(|_| ctx.audit.cycle(&s.cycle))
        .map(|c| Ref {
            id: c.id.clone(),
            text: p.text(&c.loc, &c.title),
            href: Some(crate::site::routes::cycle_href(&c.id)),
        });
    PriorityRow {
        rank: s.rank,
        from_cycle,
        question: ctx.question_ref(&s.question, p),
        theme: ctx.theme_ref(&s.theme, p),
        level: level_word(s.level),
        rating: ctx.rating_tag(fw, s.rating),
        moderated: s.moderated,
        score: if exact {
            fixed(s.score, 1)
        } else {
            String::new()
        },
        score_value: if exact {
            crate::analysis::round(s.score, 2)
        } else {
            0.0
        },
        concern: concern(fw, s),
        flags: flag_tags(s, exact),
        reasons,
        sum: if exact { score_sum(s) } else { String::new() },
    }
}

/// Why each factor beyond the rating raised (or lowered) the score: missing answers, weak
/// evidence, adverse data, a fall, completed actions that changed nothing, the theme's weight.
fn factor_reasons(ctx: &Ctx<'_>, s: &QuestionScore, p: &mut Publisher) -> Vec<Reason> {
    let c = &s.components;
    let mut reasons = Vec::new();
    if c.coverage < 1.0 - 1e-9 {
        reasons.push(reason(
            if ctx.public {
                "Not every agency expected to answer gave a rating, and the missing answers count as no assurance".to_string()
            } else {
                format!(
                    "{} of {} agencies expected to answer gave a rating; the missing answers count as no assurance",
                    s.answered,
                    s.answered + s.unanswered
                )
            },
            None,
        ));
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
    reasons.extend(later_reasons(s));
    reasons
}

/// The factors that come of the question's history and the partnership's weights.
fn later_reasons(s: &QuestionScore) -> Vec<Reason> {
    let c = &s.components;
    let mut reasons = Vec::new();
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
    if c.after_actions > 1.0 + 1e-9 {
        reasons.push(reason(
            "Every action on it is complete, and the evidence since is no better",
            Some(format!("after-actions factor ×{}", num(c.after_actions, 2))),
        ));
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
    reasons
}

/// The score worked out, factor by factor.
fn score_sum(s: &QuestionScore) -> String {
    let c = &s.components;
    format!(
        "100 × ({} + {} × {}) × {} × {} × {} × {} × {} = {}",
        num(score::RESIDUAL, 2),
        num(1.0 - score::RESIDUAL, 2),
        num(c.shortfall(), 2),
        num(c.confidence, 2),
        num(c.metrics, 2),
        num(c.deterioration, 2),
        num(c.after_actions, 2),
        num(c.theme_weight, 2),
        num(s.score, 1)
    )
}

/// The question's flags; those drawn from single answers only where figures are exact.
fn flag_tags(s: &QuestionScore, exact: bool) -> Vec<Tag> {
    s.flags
        .iter()
        .filter(|f| exact || !f.is_drawn_from_single_answers())
        .map(|f| {
            let class = match f {
                Flag::Moderated => "blue",
                _ => "orange",
            };
            Tag::new(flag_words(*f), class)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Rag;

    fn scale(rags: &[Rag], bottom: u32) -> Framework {
        let values: Vec<u32> = (0..rags.len() as u32).map(|i| bottom + i).collect();
        let mut fw = crate::analysis::testkit::framework(&values, &[("t", 1.0)], &[]);
        for (l, rag) in fw.scale.iter_mut().zip(rags) {
            l.rag = *rag;
        }
        fw
    }

    #[test]
    fn concern_levels_part_where_the_scale_changes_colour() {
        use Rag::*;
        // The bundled scale: no (red), limited (amber), reasonable and substantial (green).
        let bounds = concern_bounds(&scale(&[Red, Amber, Green, Green], 0));
        assert_eq!(
            bounds.map(|b| crate::analysis::round(b, 2)),
            [55.0, 85.0, 115.0]
        );
        // The scale's numbers do not matter, only its shape.
        let shifted = concern_bounds(&scale(&[Red, Amber, Green, Green], 1));
        assert_eq!(bounds, shifted);
        // Five levels: two red, one amber, two green.
        let five = concern_bounds(&scale(&[Red, Red, Amber, Green, Green], 1));
        assert!(five[0] < five[1] && five[1] < five[2], "{five:?}");
        // Every rating on its own, with nothing adverse, is no more than "high": only a score
        // beyond the bottom of the scale is very high concern.
        let fw = scale(&[Red, Amber, Green, Green], 0);
        assert!(score_of_rating(&fw, 0.0) < bounds[2]);
        assert!(score_of_rating(&fw, 2.0) < bounds[0]);
        assert!(score_of_rating(&fw, 1.0) >= bounds[0] && score_of_rating(&fw, 1.0) < bounds[1]);
    }
}
