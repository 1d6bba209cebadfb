//! Tests of the score: each factor, the formula, and the worked example the README shows.

use super::*;
use crate::analysis::agency_ratings::aggregate_ratings;
use crate::analysis::metrics::{TargetStatus, target_status};
use crate::analysis::testkit::*;
use crate::model::{Better, Comparator};

const EPS: f64 = 1e-9;

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-6
}

fn one_question(scale: &[u32], agencies: &[(&str, bool)]) -> Audit {
    audit(
        framework(scale, &[("t", 1.0)], &[("q-s-01", "t")]),
        agencies,
    )
}

/// The cycle's scores and not-applicable questions, from the ledger.
fn score_cycle(a: &Audit, c: &Cycle) -> (Vec<QuestionScore>, Vec<String>) {
    let mut a = a.clone();
    if a.cycle(&c.id).is_none() {
        a.cycles.push(c.clone());
        a.cycles.sort_by(|x, y| x.id.cmp(&y.id));
    }
    let r = crate::analysis::analyse(&a, c, c.closed).ranking;
    (r.priorities, r.not_applicable)
}

fn scored(a: &Audit, c: &Cycle, q: &str) -> QuestionScore {
    score_cycle(a, c)
        .0
        .into_iter()
        .find(|s| s.question == q)
        .expect("the question is scored")
}

#[test]
fn aggregate_is_the_mean_pulled_towards_the_lowest_and_the_lowest_statutory_partner() {
    // Ratings 2 (statutory), 1 (statutory), 2 (statutory), 3: mean 8/4 = 2.0, lowest 1.
    // Towards the lowest: 0.75 × 2.0 + 0.25 × 1 = 1.75.
    // Towards the lowest statutory partner (1): 0.5 × 2.0 + 0.5 × 1 = 1.5. Lower: 1.5.
    let agg = aggregate_ratings(&[(2, true), (1, true), (2, true), (3, false)]);
    assert!(close(agg.unwrap(), 1.5));
    // No statutory partner: 3 and 0, mean 1.5; 0.75 × 1.5 + 0.25 × 0 = 1.125.
    assert!(close(
        aggregate_ratings(&[(3, false), (0, false)]).unwrap(),
        1.125
    ));
    // A low non-statutory agency with high statutory partners: mean 2, lowest 0 → 1.5;
    // statutory lowest 3 → 0.5 × 2 + 0.5 × 3 = 2.5, not lower, so 1.5.
    let agg = aggregate_ratings(&[(3, true), (0, false), (3, true)]);
    assert!(close(agg.unwrap(), 1.5));
    // One agency: its own rating. None: nothing to aggregate.
    assert!(close(aggregate_ratings(&[(2, false)]).unwrap(), 2.0));
    assert_eq!(aggregate_ratings(&[]), None);
}

#[test]
fn a_small_case_scores_as_worked_by_hand() {
    // Scale 0..3. police (statutory) 1 low, council (statutory) 2 high, schools silent.
    let a = one_question(
        &[0, 1, 2, 3],
        &[("council", true), ("police", true), ("schools", false)],
    );
    let mut c = cycle("2025-26");
    answer(
        &mut c,
        "police",
        "q-s-01",
        Rating::Value(1),
        Confidence::Low,
    );
    answer(
        &mut c,
        "council",
        "q-s-01",
        Rating::Value(2),
        Confidence::High,
    );
    let s = scored(&a, &c, "q-s-01");
    // mean 1.5, lowest 1: 0.75 × 1.5 + 0.25 × 1 = 1.375; statutory lowest 1:
    // 0.5 × 1.5 + 0.5 × 1 = 1.25 → rating 1.25.
    assert!(close(s.rating.unwrap(), 1.25));
    // gap (3 - 1.25) / 3 = 0.583333; coverage 2 of 3 expected.
    assert!(close(s.components.gap, 1.75 / 3.0));
    assert!(close(s.components.coverage, 2.0 / 3.0));
    // shortfall 1 - 2/3 × (1 - 0.583333) = 0.722222; 0.1 + 0.9 × 0.722222 = 0.75.
    assert!(close(
        s.components.shortfall(),
        1.0 - (2.0 / 3.0) * (1.25 / 3.0)
    ));
    // confidence (1.3 + 1.0) / 2 = 1.15; no metrics, no previous, weight 1.
    assert!(close(s.components.confidence, 1.15));
    // score 100 × 0.75 × 1.15 = 86.25.
    assert!(close(s.score, 86.25), "{}", s.score);
    assert_eq!((s.answered, s.not_applicable, s.unanswered), (2, 0, 1));
    assert_eq!(
        s.flags,
        vec![Flag::Unanswered, Flag::StatutoryLow, Flag::LowConfidence]
    );
}

#[test]
fn nobody_answering_is_no_rating_at_the_bottom_with_low_confidence() {
    let mut a = one_question(&[0, 1, 2, 3], &[("council", true), ("police", true)]);
    a.partnership.theme_weights.insert("t".into(), 1.5);
    let c = cycle("2025-26");
    let s = scored(&a, &c, "q-s-01");
    // gap 1, coverage 0 → shortfall 1 → 0.1 + 0.9 = 1; × 1.3 low confidence × 1.5 weight.
    assert_eq!(s.rating, None);
    assert!(close(s.score, 100.0 * 1.3 * 1.5));
    assert_eq!(s.flags, vec![Flag::Unanswered]);
}

#[test]
fn moderation_sets_the_rating_and_counts_as_full_coverage() {
    let a = one_question(&[0, 1, 2, 3], &[("council", true), ("police", true)]);
    let mut c = cycle("2025-26");
    answer(
        &mut c,
        "council",
        "q-s-01",
        Rating::Value(3),
        Confidence::Medium,
    );
    moderate(&mut c, "q-s-01", Rating::Value(1));
    let s = scored(&a, &c, "q-s-01");
    assert_eq!(s.rating, Some(1.0));
    assert_eq!(s.aggregate, Some(3.0));
    // gap 2/3, coverage 1: 0.1 + 0.9 × 2/3 = 0.7; × medium 1.15 = 80.5.
    assert!(close(s.score, 80.5), "{}", s.score);
    assert!(s.flags.contains(&Flag::Moderated));
}

#[test]
fn questions_every_agency_or_the_panel_rates_na_are_set_apart() {
    let a = audit(
        framework(
            &[0, 1, 2, 3],
            &[("t", 1.0)],
            &[("q-s-01", "t"), ("q-s-02", "t"), ("q-s-03", "t")],
        ),
        &[("council", true), ("police", true)],
    );
    let mut c = cycle("2025-26");
    for agency in ["council", "police"] {
        answer(
            &mut c,
            agency,
            "q-s-01",
            Rating::NotApplicable,
            Confidence::Low,
        );
    }
    // One n/a and one silent agency: still ranked (nobody evidences it).
    answer(
        &mut c,
        "council",
        "q-s-02",
        Rating::NotApplicable,
        Confidence::Low,
    );
    answer(
        &mut c,
        "council",
        "q-s-03",
        Rating::Value(2),
        Confidence::High,
    );
    moderate(&mut c, "q-s-03", Rating::NotApplicable);
    let (scores, na) = score_cycle(&a, &c);
    assert_eq!(na, vec!["q-s-01".to_string(), "q-s-03".to_string()]);
    let q2 = scores.iter().find(|s| s.question == "q-s-02").unwrap();
    assert_eq!((q2.rating, q2.not_applicable, q2.unanswered), (None, 1, 1));
    assert!(close(q2.components.coverage, 0.0));
}

#[test]
fn shifting_or_stretching_the_scale_leaves_scores_unchanged() {
    let score_on = |scale: &[u32], ratings: [u32; 3]| {
        let a = one_question(scale, &[("a", true), ("b", false), ("c", false)]);
        let mut c = cycle("2025-26");
        for (agency, r) in ["a", "b", "c"].iter().zip(ratings) {
            answer(
                &mut c,
                agency,
                "q-s-01",
                Rating::Value(r),
                Confidence::Medium,
            );
        }
        scored(&a, &c, "q-s-01").score
    };
    let base = score_on(&[0, 1, 2, 3], [1, 3, 2]);
    assert!(close(base, score_on(&[1, 2, 3, 4], [2, 4, 3])));
    assert!(close(base, score_on(&[0, 2, 4, 6], [2, 6, 4])));
}

#[test]
fn metric_signals_raise_the_factor_by_a_tenth_each_up_to_the_cap() {
    let mut a = one_question(&[0, 1, 2, 3], &[("council", true)]);
    let mut c = cycle("2025-26");
    answer(
        &mut c,
        "council",
        "q-s-01",
        Rating::Value(2),
        Confidence::High,
    );
    // Lower is better: 30 is above target 20, above England's 25 and above 28 last year.
    let mut m = metric(
        "m1",
        Better::Lower,
        &[("2024-25", 28.0), ("2025-26", 30.0), ("2026-27", 1.0)],
    );
    m.target = Some(20.0);
    m.comparator = Some(Comparator {
        label: "England".into(),
        value: 25.0,
        source: None,
        url: None,
    });
    m.questions = vec!["q-s-01".into()];
    a.metrics.push(m.clone());
    let s = scored(&a, &c, "q-s-01");
    // 3 signals: 1 + 3 × 0.1 = 1.3. The 2026-27 value is after the cycle: ignored.
    assert!(close(s.components.metrics, 1.3));
    assert_eq!(s.metrics[0].value, Some(30.0));
    // gap 1/3 → 0.1 + 0.9/3 = 0.4; × 1.3 = 52.
    assert!(close(s.score, 52.0), "{}", s.score);

    // A second such metric bearing through the theme: 6 signals, capped at 1.5.
    let mut by_theme = m.clone();
    by_theme.id = "m2".into();
    by_theme.questions = vec![];
    by_theme.themes = vec!["t".into()];
    a.metrics.push(by_theme);
    assert!(close(scored(&a, &c, "q-s-01").components.metrics, 1.5));

    // A context metric never raises risk, whatever its figures.
    a.metrics = vec![m.clone()];
    a.metrics[0].better = Better::Neither;
    let s = scored(&a, &c, "q-s-01");
    assert!(close(s.components.metrics, 1.0));
    assert_eq!(s.metrics.len(), 1);
    assert_eq!(s.metrics[0].adverse(), 0);
}

#[test]
fn a_fall_since_the_previous_cycle_raises_the_score() {
    let mut a = one_question(&[0, 1, 2, 3], &[("council", true)]);
    let mut before = cycle("2024-25");
    answer(
        &mut before,
        "council",
        "q-s-01",
        Rating::Value(2),
        Confidence::High,
    );
    let mut now = cycle("2025-26");
    answer(
        &mut now,
        "council",
        "q-s-01",
        Rating::Value(1),
        Confidence::High,
    );
    a.cycles = vec![before, now.clone()];
    let s = scored(&a, &now, "q-s-01");
    // Fell 1 of a range of 3: 1 + 0.5 × 1/3. Score: (0.1 + 0.9 × 2/3) × 1.16667 = 81.667.
    assert!(close(s.components.deterioration, 1.0 + 0.5 / 3.0));
    assert!(close(s.score, 70.0 * (1.0 + 0.5 / 3.0)));
    let p = s.previous.expect("a previous");
    assert_eq!((p.cycle.as_str(), p.rating), ("2024-25", Some(2.0)));
    // Previous: gap 1/3 → 0.4 × 100 = 40.
    assert!(close(p.score, 40.0));
    assert!(s.flags.contains(&Flag::Deteriorated));
}

#[test]
fn components_reproduce_the_score() {
    let c = Components {
        gap: 0.5,
        coverage: 0.8,
        confidence: 1.15,
        metrics: 1.3,
        deterioration: 1.0 + 0.5 / 6.0,
        after_actions: 1.0,
        theme_weight: 1.2,
    };
    // shortfall 1 - 0.8 × 0.5 = 0.6; 0.1 + 0.9 × 0.6 = 0.64;
    // 100 × 0.64 × 1.15 × 1.3 × 1.083333 × 1.2 = 124.384 (the README's worked example, exp-s-01).
    assert!((c.score() - 124.384).abs() < 1e-3 + EPS, "{}", c.score());
}

#[test]
fn a_value_is_judged_against_the_target_in_the_metrics_direction() {
    let mut m = metric("m", Better::Lower, &[("2025-26", 12.0)]);
    assert_eq!(target_status(&m, Some(12.0)), TargetStatus::NoTarget);
    m.target = Some(10.0);
    assert_eq!(target_status(&m, Some(12.0)), TargetStatus::WorseThanTarget);
    assert_eq!(target_status(&m, Some(10.0)), TargetStatus::OnTarget);
    assert_eq!(target_status(&m, None), TargetStatus::NoData);
    m.better = Better::Higher;
    assert_eq!(target_status(&m, Some(12.0)), TargetStatus::OnTarget);
    m.better = Better::Neither;
    assert_eq!(target_status(&m, Some(12.0)), TargetStatus::ContextOnly);
    assert!(!super::super::metrics::signal(&m, "2025-26").off_target);
}
