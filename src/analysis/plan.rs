//! Stage 5: order the open actions by the risk each newly covers, and find the high-risk
//! questions no open action addresses.

use crate::analysis::prioritise::Ranking;
use crate::analysis::score::QuestionScore;
use crate::model::{Action, ActionStatus, Date};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// The action plan against one cycle's ranking.
#[derive(Debug, Clone, Serialize)]
pub struct Plan {
    /// The date overdue is judged against: `--as-of`, else the cycle's close.
    pub as_of: Date,
    /// Open actions (not started or in progress) in greedy order: each step takes the action
    /// whose not-yet-covered questions carry the most score (ties by action id).
    pub actions: Vec<PlannedAction>,
    /// High-risk questions (see [`is_high_risk`]) that no open action addresses: the cycle's
    /// own by rank, then those only other cycles of the programme asked, by risk.
    pub uncovered: Vec<String>,
    /// Complete and dropped actions, by id: they no longer reduce risk.
    pub not_open: Vec<ClosedAction>,
}

/// One open action in plan order.
#[derive(Debug, Clone, Serialize)]
pub struct PlannedAction {
    /// Position in the plan, from 1.
    pub rank: usize,
    /// The action's id.
    pub action: String,
    pub title: String,
    pub owner: String,
    pub due: Date,
    pub status: ActionStatus,
    /// The ranked questions this action covers that no earlier action in the plan covers, by rank.
    pub covers: Vec<String>,
    /// Sum of the scores of `covers`.
    pub risk_covered: f64,
    /// Every ranked question the action addresses, by rank (including those covered earlier).
    pub addresses: Vec<String>,
    /// Open and due before `Plan::as_of`.
    pub overdue: bool,
}

/// A complete or dropped action.
#[derive(Debug, Clone, Serialize)]
pub struct ClosedAction {
    pub action: String,
    pub title: String,
    pub owner: String,
    pub status: ActionStatus,
}

/// A question is high-risk when its effective rating is below the middle of the scale (gap
/// above one half; no rating counts as the bottom), or it sits in the top quarter of the
/// ranking (rank at most `ranked / 4`, rounded up).
pub fn is_high_risk(q: &QuestionScore, ranked: usize) -> bool {
    q.components.gap > 0.5 || q.rank <= ranked.div_ceil(4)
}

/// Builds the plan from the ranking, and from `elsewhere`: the latest scores of questions this
/// cycle did not ask (ranked after it), so an action on a deep dive's question still carries
/// that question's risk.
pub fn plan(
    actions: &[Action],
    ranking: &Ranking,
    elsewhere: &[QuestionScore],
    as_of: Date,
) -> Plan {
    let open = open_actions(actions, ranking, elsewhere);
    let addressed_by_open: BTreeSet<&str> = open
        .values()
        .flat_map(|(_, qs)| qs.iter().map(|s| s.question.as_str()))
        .collect();
    let ranked = ranking.priorities.len();
    // The programme's other questions (ranked after this cycle's) are high-risk by their gap.
    let uncovered = ranking
        .priorities
        .iter()
        .chain(elsewhere)
        .filter(|s| is_high_risk(s, ranked) && !addressed_by_open.contains(s.question.as_str()))
        .map(|s| s.question.clone())
        .collect();
    let mut not_open: Vec<ClosedAction> = actions
        .iter()
        .filter(|a| !a.status.is_open())
        .map(|a| ClosedAction {
            action: a.id.clone(),
            title: a.title.clone(),
            owner: a.owner.clone(),
            status: a.status,
        })
        .collect();
    not_open.sort_by(|a, b| a.action.cmp(&b.action));
    Plan {
        as_of,
        actions: greedy_order(open, as_of),
        uncovered,
        not_open,
    }
}

/// Each open action by id, with what it addresses among the scored questions (this cycle's
/// ranking, then `elsewhere`), in rank order, each once.
fn open_actions<'a>(
    actions: &'a [Action],
    ranking: &'a Ranking,
    elsewhere: &'a [QuestionScore],
) -> BTreeMap<&'a str, (&'a Action, Vec<&'a QuestionScore>)> {
    let by_id: BTreeMap<&str, &QuestionScore> = ranking
        .priorities
        .iter()
        .chain(elsewhere)
        .map(|s| (s.question.as_str(), s))
        .collect();
    actions
        .iter()
        .filter(|a| a.status.is_open())
        .map(|a| {
            let mut addressed: Vec<&QuestionScore> = a
                .addresses
                .iter()
                .filter_map(|q| by_id.get(q.as_str()).copied())
                .collect();
            addressed.sort_by_key(|s| s.rank);
            addressed.dedup_by_key(|s| s.rank);
            (a.id.as_str(), (a, addressed))
        })
        .collect()
}

/// The open actions in greedy order: each step takes the action whose questions not yet
/// covered carry the most score (the lowest id on a tie).
fn greedy_order(
    mut open: BTreeMap<&str, (&Action, Vec<&QuestionScore>)>,
    as_of: Date,
) -> Vec<PlannedAction> {
    let mut covered: BTreeSet<&str> = BTreeSet::new();
    let mut planned = Vec::new();
    while !open.is_empty() {
        let newly = |qs: &[&QuestionScore]| -> f64 {
            qs.iter()
                .filter(|s| !covered.contains(s.question.as_str()))
                .map(|s| s.score)
                // fold from +0.0: `sum` starts at -0.0, which would print as "-0.0".
                .fold(0.0, |acc, x| acc + x)
        };
        // Strictly greater keeps the lowest id on a tie (the map iterates in id order).
        let mut best: Option<(&str, f64)> = None;
        for (id, (_, qs)) in &open {
            let risk = newly(qs);
            if best.is_none_or(|(_, b)| risk > b) {
                best = Some((id, risk));
            }
        }
        let Some((id, risk)) = best else { break };
        let Some((action, qs)) = open.remove(id) else {
            break;
        };
        let covers: Vec<String> = qs
            .iter()
            .filter(|s| covered.insert(s.question.as_str()))
            .map(|s| s.question.clone())
            .collect();
        planned.push(PlannedAction {
            rank: planned.len() + 1,
            action: action.id.clone(),
            title: action.title.clone(),
            owner: action.owner.clone(),
            due: action.due,
            status: action.status,
            covers,
            risk_covered: risk,
            addresses: qs.iter().map(|s| s.question.clone()).collect(),
            overdue: action.due < as_of,
        });
    }
    planned
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::testkit::*;
    use crate::model::{Audit, Confidence, Cycle, Rating};

    /// Four questions on 0..3, one council rating each; weights 1, so the scores are
    /// 100 × (0.1 + 0.9 × gap) with high confidence: rating 0 → 100, 1 → 70, 2 → 40, 3 → 10.
    fn setup(actions: Vec<Action>) -> (Audit, Cycle) {
        let mut a = audit(
            framework(
                &[0, 1, 2, 3],
                &[("t", 1.0)],
                &[
                    ("q-s-01", "t"),
                    ("q-s-02", "t"),
                    ("q-s-03", "t"),
                    ("q-s-04", "t"),
                ],
            ),
            &[("council", true)],
        );
        let mut c = cycle("2025-26");
        for (q, r) in [("q-s-01", 0), ("q-s-02", 1), ("q-s-03", 2), ("q-s-04", 3)] {
            answer(&mut c, "council", q, Rating::Value(r), Confidence::High);
        }
        a.actions = actions;
        a.cycles = vec![c.clone()];
        (a, c)
    }

    fn planned(a: &Audit, c: &Cycle, as_of: Option<&str>) -> Plan {
        crate::analysis::analyse(a, c, as_of.map_or(c.closed, date)).plan
    }

    #[test]
    fn greedy_takes_the_most_new_risk_each_step() {
        use ActionStatus::*;
        let (a, c) = setup(vec![
            // A1 covers q1 + q4 = 100 + 10 = 110; A2 covers q2 + q3 = 70 + 40 = 110 (a tie:
            // A1 wins by id); A3 covers q1 + q2 = 170 and goes first.
            action("A1", InProgress, "2026-03-31", &["q-s-01", "q-s-04"]),
            action("A2", NotStarted, "2026-03-31", &["q-s-02", "q-s-03"]),
            action("A3", NotStarted, "2026-03-31", &["q-s-01", "q-s-02"]),
            action("A4", Complete, "2026-03-31", &["q-s-03"]),
        ]);
        let p = planned(&a, &c, None);
        // Step 1: A3 170. Step 2: A1 newly q4 = 10, A2 newly q3 = 40 → A2. Step 3: A1 10.
        let order: Vec<(&str, f64)> = p
            .actions
            .iter()
            .map(|x| (x.action.as_str(), (x.risk_covered * 1e6).round() / 1e6))
            .collect();
        assert_eq!(order, vec![("A3", 170.0), ("A2", 40.0), ("A1", 10.0)]);
        assert_eq!(p.actions[1].covers, vec!["q-s-03".to_string()]);
        assert_eq!(
            p.actions[1].addresses,
            vec!["q-s-02".to_string(), "q-s-03".to_string()]
        );
        assert_eq!(p.not_open.len(), 1);
    }

    #[test]
    fn equal_new_risk_goes_to_the_lower_action_id() {
        use ActionStatus::*;
        let (a, c) = setup(vec![
            action("B2", InProgress, "2026-03-31", &["q-s-02"]),
            action("B1", InProgress, "2026-03-31", &["q-s-02"]),
        ]);
        let p = planned(&a, &c, None);
        assert_eq!(p.actions[0].action, "B1");
        assert_eq!(p.actions[1].action, "B2");
        assert!(p.actions[1].covers.is_empty());
        assert_eq!(p.actions[1].risk_covered.to_string(), "0");
    }

    #[test]
    fn overdue_is_judged_at_the_close_or_the_given_date() {
        use ActionStatus::*;
        let (a, c) = setup(vec![
            action("A1", InProgress, "2025-11-27", &["q-s-01"]),
            action("A2", NotStarted, "2025-11-28", &["q-s-02"]),
            action("A3", Complete, "2020-01-01", &["q-s-03"]),
        ]);
        // The cycle closes 2025-11-28: due the day before is overdue, due that day is not.
        let p = planned(&a, &c, None);
        assert_eq!(
            p.actions.iter().map(|x| x.overdue).collect::<Vec<_>>(),
            [true, false]
        );
        let p = planned(&a, &c, Some("2025-12-01"));
        assert_eq!(
            p.actions.iter().map(|x| x.overdue).collect::<Vec<_>>(),
            [true, true]
        );
        let p = planned(&a, &c, Some("2025-01-01"));
        assert!(p.actions.iter().all(|x| !x.overdue));
    }

    #[test]
    fn uncovered_lists_high_risk_questions_no_open_action_addresses() {
        use ActionStatus::*;
        // Ranks: q1 (rating 0), q2 (1), q3 (2), q4 (3). High risk: top quarter of 4 = rank 1,
        // and gap above 1/2 = ratings 0 and 1. So q1 and q2; a dropped action does not count.
        let (a, c) = setup(vec![
            action("A1", Dropped, "2026-03-31", &["q-s-01"]),
            action("A2", InProgress, "2026-03-31", &["q-s-03", "q-s-04"]),
        ]);
        assert_eq!(planned(&a, &c, None).uncovered, vec!["q-s-01", "q-s-02"]);
        let (a, c) = setup(vec![action("A1", NotStarted, "2026-03-31", &["q-s-02"])]);
        assert_eq!(planned(&a, &c, None).uncovered, vec!["q-s-01"]);
    }
}
