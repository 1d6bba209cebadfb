//! Tests of impact: each verdict reached by the stated rule, the flag on actions complete with
//! no better evidence since, and a property that a fall is never called an improvement.

use super::*;
use crate::analysis::testkit::*;
use crate::analysis::{Ledger, analyse};
use crate::model::{Confidence, Rating};
use proptest::prelude::*;

/// Two self-assessments a year apart rating q-s-01 and q-s-02 at `before` and `after`, and one
/// action addressing both, completed between them (`done`), with no metric.
fn world(before: [u32; 2], after: [u32; 2], done: &str) -> Audit {
    let fw = framework(
        &[0, 1, 2, 3],
        &[("t", 1.0)],
        &[("q-s-01", "t"), ("q-s-02", "t")],
    );
    let mut a = audit(fw, &[("council", true)]);
    let mut then = cycle("2024-25");
    then.opened = date("2024-09-02");
    then.closed = date("2024-11-29");
    let mut now = cycle("2025-26");
    for (c, ratings) in [(&mut then, before), (&mut now, after)] {
        for (q, r) in ["q-s-01", "q-s-02"].iter().zip(ratings) {
            answer(c, "council", q, Rating::Value(r), Confidence::High);
        }
    }
    let mut act = action(
        "A1",
        ActionStatus::Complete,
        "2025-06-30",
        &["q-s-01", "q-s-02"],
    );
    act.completed = Some(date(done));
    a.actions = vec![act];
    a.cycles = vec![then, now];
    a
}

fn verdict_of(a: &Audit) -> Verdict {
    let ledger = Ledger::build(a, date("2026-01-01"));
    ledger.impact[0].verdict
}

#[test]
fn each_verdict_follows_the_stated_rule() {
    assert_eq!(
        verdict_of(&world([1, 1], [2, 1], "2025-05-01")),
        Verdict::Improved
    );
    assert_eq!(
        verdict_of(&world([2, 2], [1, 2], "2025-05-01")),
        Verdict::Worse
    );
    assert_eq!(
        verdict_of(&world([1, 2], [2, 1], "2025-05-01")),
        Verdict::Mixed
    );
    assert_eq!(
        verdict_of(&world([1, 2], [1, 2], "2025-05-01")),
        Verdict::NoChange
    );
    // Completed after the later cycle opened: nothing has re-tested it yet.
    assert_eq!(
        verdict_of(&world([1, 1], [2, 2], "2025-10-01")),
        Verdict::NotYetRetested
    );
}

#[test]
fn the_comparison_is_like_for_like_and_names_both_cycles() {
    let a = world([1, 1], [2, 1], "2025-05-01");
    let ledger = Ledger::build(&a, date("2026-01-01"));
    let q = &ledger.impact[0].questions[0];
    assert_eq!(q.before, Some(("2024-25".to_string(), Some(1.0))));
    assert_eq!(q.after, Some(("2025-26".to_string(), Some(2.0))));
    assert_eq!(q.direction, Some(Direction::Better));
}

#[test]
fn a_metric_is_read_in_its_direction_on_the_periods_either_side_of_completion() {
    let mut a = world([1, 1], [1, 1], "2025-04-15");
    let mut m = metric(
        "waits",
        Better::Lower,
        &[("2023-24", 20.0), ("2024-25", 18.0), ("2025-26", 12.0)],
    );
    m.target = Some(15.0);
    a.metrics = vec![m];
    a.actions[0].metrics = Some(vec!["waits".into()]);
    let ledger = Ledger::build(&a, date("2026-06-01"));
    let i = &ledger.impact[0];
    // 2024-25 ended before 15 April 2025; 2025-26 began before it, so it is not "after".
    assert_eq!(i.metrics[0].before, Some(("2024-25".to_string(), 18.0)));
    assert_eq!(i.metrics[0].after, None);
    // The ratings held: no change.
    assert_eq!(i.verdict, Verdict::NoChange);
    // Completed on 31 March 2025: 2025-26 (12, better, on target) comes after.
    let mut a = a;
    a.actions[0].completed = Some(date("2025-03-31"));
    let i = Ledger::build(&a, date("2026-06-01")).impact[0].clone();
    assert_eq!(i.metrics[0].direction, Some(Direction::Better));
    assert_eq!(i.metrics[0].on_target_after, Some(true));
    assert_eq!(i.verdict, Verdict::Improved);
}

#[test]
fn actions_complete_with_no_better_evidence_since_weigh_more() {
    let a = world([1, 1], [1, 2], "2025-05-01");
    let now = a.cycles[1].clone();
    let an = analyse(&a, &now, now.closed);
    let held = an
        .ranking
        .priorities
        .iter()
        .find(|s| s.question == "q-s-01")
        .unwrap();
    assert!(
        held.flags
            .contains(&crate::analysis::score::Flag::ActionsCompleteNoChange)
    );
    assert_eq!(held.components.after_actions, NO_CHANGE_WEIGHT);
    let rose = an
        .ranking
        .priorities
        .iter()
        .find(|s| s.question == "q-s-02")
        .unwrap();
    assert_eq!(rose.components.after_actions, 1.0);
    // An open action on it as well: the plan is not finished, so no flag.
    let mut b = a.clone();
    b.actions.push(action(
        "A2",
        ActionStatus::InProgress,
        "2026-03-31",
        &["q-s-01"],
    ));
    let an = analyse(&b, &now, now.closed);
    assert!(
        an.ranking
            .priorities
            .iter()
            .all(|s| s.components.after_actions == 1.0)
    );
}

proptest! {
    /// Whatever the ratings, a verdict of "improved" never follows a completion after which
    /// every reading is lower than before.
    #[test]
    fn never_improved_when_every_reading_after_is_lower(
        before in prop::collection::vec(1u32..4, 2),
        drops in prop::collection::vec(1u32..4, 2),
    ) {
        let after: Vec<u32> = before.iter().zip(&drops).map(|(b, d)| b.saturating_sub(*d)).collect();
        let a = world([before[0], before[1]], [after[0], after[1]], "2025-05-01");
        let v = verdict_of(&a);
        prop_assert_ne!(v, Verdict::Improved);
        prop_assert_ne!(v, Verdict::Mixed);
    }
}
