//! The contract's properties (design.md, `rank --format json`), checked on random audits.

use super::testkit::*;
use super::*;
use crate::model::{ActionStatus, Better, Confidence, Rating};
use proptest::prelude::*;

#[derive(Debug, Clone, Copy, PartialEq)]
enum Cell {
    Silent,
    Na,
    /// An index into the scale, and a confidence.
    Value(usize, Confidence),
}

#[derive(Debug, Clone)]
struct MetricSpec {
    better: Better,
    target: Option<f64>,
    values: (f64, f64, f64),
    /// Some(question index) or None: bears on theme "u".
    question: Option<usize>,
}

#[derive(Debug, Clone)]
struct World {
    scale: Vec<u32>,
    statutory: Vec<bool>,
    /// Per question: in theme "u" (else "t").
    in_u: Vec<bool>,
    /// [question][agency], this cycle and the previous one.
    now: Vec<Vec<Cell>>,
    before: Vec<Vec<Cell>>,
    moderated: Vec<Option<usize>>,
    metrics: Vec<MetricSpec>,
    /// (open, addressed question indices)
    actions: Vec<(bool, Vec<usize>)>,
}

fn confidence() -> impl Strategy<Value = Confidence> {
    prop_oneof![
        Just(Confidence::Low),
        Just(Confidence::Medium),
        Just(Confidence::High)
    ]
}

fn cell() -> impl Strategy<Value = Cell> {
    prop_oneof![
        1 => Just(Cell::Silent),
        1 => Just(Cell::Na),
        5 => (0usize..5, confidence()).prop_map(|(v, c)| Cell::Value(v, c)),
    ]
}

fn world() -> impl Strategy<Value = World> {
    let scale = prop_oneof![
        Just(vec![0, 1, 2, 3]),
        Just(vec![0, 1, 2, 3, 4]),
        Just(vec![1, 2, 3, 4, 5])
    ];
    (scale, prop::collection::vec(any::<bool>(), 1..5), 1usize..7).prop_flat_map(
        |(scale, statutory, nq)| {
            let na = statutory.len();
            let grid = move || prop::collection::vec(prop::collection::vec(cell(), na), nq);
            let metric = (
                prop_oneof![
                    Just(Better::Lower),
                    Just(Better::Higher),
                    Just(Better::Neither)
                ],
                prop::option::of(0.0..10.0f64),
                (0.0..10.0f64, 0.0..10.0f64, 0.0..10.0f64),
                prop::option::of(0..nq),
            )
                .prop_map(|(better, target, values, question)| MetricSpec {
                    better,
                    target,
                    values,
                    question,
                });
            (
                Just(scale),
                Just(statutory),
                prop::collection::vec(any::<bool>(), nq),
                grid(),
                grid(),
                prop::collection::vec(prop::option::weighted(0.2, 0usize..5), nq),
                prop::collection::vec(metric, 0..3),
                prop::collection::vec((any::<bool>(), prop::collection::vec(0..nq, 0..3)), 0..4),
            )
                .prop_map(
                    |(scale, statutory, in_u, now, before, moderated, metrics, actions)| World {
                        scale,
                        statutory,
                        in_u,
                        now,
                        before,
                        moderated,
                        metrics,
                        actions,
                    },
                )
        },
    )
}

fn qid(i: usize) -> String {
    format!("q-s-{i:02}")
}

fn agency(i: usize) -> String {
    format!("a{i}")
}

fn fill(w: &World, c: &mut crate::model::Cycle, grid: &[Vec<Cell>]) {
    for (qi, row) in grid.iter().enumerate() {
        for (ai, cell) in row.iter().enumerate() {
            let (rating, conf) = match *cell {
                Cell::Silent => continue,
                Cell::Na => (Rating::NotApplicable, Confidence::Low),
                Cell::Value(v, conf) => (Rating::Value(w.scale[v % w.scale.len()]), conf),
            };
            answer(c, &agency(ai), &qid(qi), rating, conf);
        }
    }
}

fn build(w: &World) -> (Audit, crate::model::Cycle) {
    let ids: Vec<String> = (0..w.in_u.len()).map(qid).collect();
    let questions: Vec<(&str, &str)> = ids
        .iter()
        .zip(&w.in_u)
        .map(|(id, &u)| (id.as_str(), if u { "u" } else { "t" }))
        .collect();
    let names: Vec<String> = (0..w.statutory.len()).map(agency).collect();
    let agencies: Vec<(&str, bool)> = names
        .iter()
        .zip(&w.statutory)
        .map(|(n, &s)| (n.as_str(), s))
        .collect();
    let mut a = audit(
        framework(&w.scale, &[("t", 1.0), ("u", 1.3)], &questions),
        &agencies,
    );
    let mut before = cycle("2024-25");
    fill(w, &mut before, &w.before);
    let mut now = cycle("2025-26");
    fill(w, &mut now, &w.now);
    for (qi, m) in w.moderated.iter().enumerate() {
        if let Some(v) = m {
            moderate(
                &mut now,
                &qid(qi),
                Rating::Value(w.scale[v % w.scale.len()]),
            );
        }
    }
    for (i, spec) in w.metrics.iter().enumerate() {
        let (v0, v1, v2) = spec.values;
        let mut m = metric(
            &format!("m{i}"),
            spec.better,
            &[("2023-24", v0), ("2024-25", v1), ("2025-26", v2)],
        );
        m.target = spec.target;
        match spec.question {
            Some(q) => m.questions = vec![qid(q)],
            None => m.themes = vec!["u".into()],
        }
        a.metrics.push(m);
    }
    for (i, (open, addresses)) in w.actions.iter().enumerate() {
        let status = if *open {
            ActionStatus::InProgress
        } else {
            ActionStatus::Complete
        };
        let addresses: Vec<String> = addresses.iter().map(|&q| qid(q)).collect();
        let refs: Vec<&str> = addresses.iter().map(String::as_str).collect();
        a.actions
            .push(action(&format!("A{i}"), status, "2026-03-31", &refs));
    }
    a.cycles = vec![before, now.clone()];
    (a, now)
}

fn run(w: &World) -> Analysis {
    let (a, c) = build(w);
    analyse(&a, &c, c.closed)
}

/// (score, rank) of a question, or None when it is not ranked.
fn standing(a: &Analysis, q: &str) -> Option<(f64, usize)> {
    a.ranking
        .priorities
        .iter()
        .find(|s| s.question == q)
        .map(|s| (s.score, s.rank))
}

/// The first cell at or after `start` (in reading order) that `pick` accepts.
fn find_cell(
    grid: &[Vec<Cell>],
    start: usize,
    pick: impl Fn(usize, Cell) -> bool,
) -> Option<(usize, usize)> {
    let cells: Vec<(usize, usize)> = (0..grid.len())
        .flat_map(|q| (0..grid[q].len()).map(move |a| (q, a)))
        .collect();
    let n = cells.len();
    (0..n)
        .map(|k| cells[(start + k) % n])
        .find(|&(q, a)| pick(q, grid[q][a]))
}

fn config() -> ProptestConfig {
    ProptestConfig::with_cases(96)
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn a_lower_rating_never_ranks_lower(w in world(), start in 0usize..64) {
        let bottom = w.scale[0];
        let found = find_cell(&w.now, start, |q, c| {
            w.moderated[q].is_none()
                && matches!(c, Cell::Value(v, _) if w.scale[v % w.scale.len()] > bottom)
        });
        prop_assume!(found.is_some());
        let (q, a) = found.unwrap();
        let Cell::Value(v, conf) = w.now[q][a] else { unreachable!() };
        let mut lower = w.clone();
        lower.now[q][a] = Cell::Value(v % w.scale.len() - 1, conf);
        let (s0, r0) = standing(&run(&w), &qid(q)).unwrap();
        let (s1, r1) = standing(&run(&lower), &qid(q)).unwrap();
        prop_assert!(s1 >= s0, "score fell from {s0} to {s1}");
        prop_assert!(r1 <= r0, "rank went from {r0} to {r1}");
    }

    #[test]
    fn weaker_evidence_never_lowers_a_score(w in world(), start in 0usize..64) {
        let found = find_cell(&w.now, start, |_, c| {
            matches!(c, Cell::Value(_, conf) if conf != Confidence::Low)
        });
        prop_assume!(found.is_some());
        let (q, a) = found.unwrap();
        let Cell::Value(v, conf) = w.now[q][a] else { unreachable!() };
        let weaker = if conf == Confidence::High { Confidence::Medium } else { Confidence::Low };
        let mut weak = w.clone();
        weak.now[q][a] = Cell::Value(v, weaker);
        let (s0, r0) = standing(&run(&w), &qid(q)).unwrap();
        let (s1, r1) = standing(&run(&weak), &qid(q)).unwrap();
        prop_assert!(s1 >= s0 && r1 <= r0);
    }

    #[test]
    fn an_adverse_metric_never_lowers_a_score(w in world(), q in 0usize..6, v in 1.0..9.0f64) {
        let before = run(&w);
        let mut worse = w.clone();
        let q = q % w.in_u.len();
        // Lower is better, and the value is above its target, its past and nothing else.
        worse.metrics.push(MetricSpec {
            better: Better::Lower,
            target: Some(v - 1.0),
            values: (v - 0.5, v - 0.5, v),
            question: Some(q),
        });
        let after = run(&worse);
        for s in &before.ranking.priorities {
            let (s1, _) = standing(&after, &s.question).unwrap();
            prop_assert!(s1 >= s.score);
        }
        if let Some((s0, r0)) = standing(&before, &qid(q)) {
            let (s1, r1) = standing(&after, &qid(q)).unwrap();
            prop_assert!(s1 >= s0 && r1 <= r0);
        }
    }

    #[test]
    fn a_heavier_theme_weight_never_lowers_a_score(w in world(), k in 1.0..3.0f64) {
        let (a, c) = build(&w);
        let mut heavy = a.clone();
        heavy.partnership.theme_weights.insert("t".into(), k);
        let before = analyse(&a, &c, c.closed);
        let after = analyse(&heavy, &c, c.closed);
        for s in before.ranking.priorities.iter().filter(|s| s.theme == "t") {
            let (s1, r1) = standing(&after, &s.question).unwrap();
            prop_assert!(s1 >= s.score && r1 <= s.rank);
        }
    }

    #[test]
    fn moderation_overrides_the_agencies(w in world(), q in 0usize..6, m in 0usize..5, to in 0usize..5) {
        let q = q % w.in_u.len();
        let mut w = w;
        w.moderated[q] = Some(m);
        let mut other = w.clone();
        // Every agency's rating on q changes; who answered and how confidently does not.
        for cell in other.now[q].iter_mut() {
            if let Cell::Value(_, conf) = *cell {
                *cell = Cell::Value(to, conf);
            }
        }
        let (a, b) = (run(&w), run(&other));
        let s = a.ranking.priorities.iter().find(|s| s.question == qid(q)).unwrap();
        prop_assert_eq!(s.rating, Some(f64::from(w.scale[m % w.scale.len()])));
        prop_assert!(s.moderated);
        prop_assert_eq!(standing(&a, &qid(q)).map(|x| x.0), standing(&b, &qid(q)).map(|x| x.0));
    }

    #[test]
    fn na_answers_count_as_if_the_agency_were_not_asked(w in world(), q in 0usize..6, a in 0usize..5) {
        let mut w = w;
        if w.statutory.len() == 1 {
            // A second, silent agency, so one is left when `a` is taken away.
            w.statutory.push(false);
            for row in w.now.iter_mut().chain(w.before.iter_mut()) {
                row.push(Cell::Silent);
            }
        }
        let (q, a) = (q % w.in_u.len(), a % w.statutory.len());
        // Agency `a` says n/a to q in both cycles, so the change since then is alike in
        // both worlds.
        w.now[q][a] = Cell::Na;
        w.before[q][a] = Cell::Na;
        // The same world without agency `a` at all (in either cycle).
        let mut without = w.clone();
        without.statutory.remove(a);
        for row in without.now.iter_mut().chain(without.before.iter_mut()) {
            row.remove(a);
        }
        let with_na = run(&w);
        let gone = run(&without);
        let find = |x: &Analysis| x.ranking.priorities.iter().find(|s| s.question == qid(q)).cloned();
        match (find(&with_na), find(&gone)) {
            (Some(s0), Some(s1)) => {
                prop_assert_eq!(s0.rating, s1.rating);
                prop_assert_eq!(s0.aggregate, s1.aggregate);
                prop_assert_eq!(s0.components, s1.components);
                prop_assert_eq!(s0.score, s1.score);
            }
            // Without that agency nobody is left: the question is unranked in one and
            // ranked as unanswered in the other, which the all-n/a rule decides.
            (x, y) => prop_assert_eq!(x.is_some(), y.is_some()),
        }
    }

    #[test]
    fn ranking_is_by_score_then_question_id(w in world()) {
        let a = run(&w);
        for (i, pair) in a.ranking.priorities.windows(2).enumerate() {
            let (x, y) = (&pair[0], &pair[1]);
            prop_assert_eq!(x.rank, i + 1);
            prop_assert!(x.score > y.score || (x.score == y.score && x.question < y.question));
        }
    }

    #[test]
    fn the_same_input_gives_the_same_output(w in world()) {
        let (a, c) = build(&w);
        let first = serde_json::to_string(&analyse(&a, &c, c.closed)).unwrap();
        // Input order of actions and metrics must not matter to the ranking or the plan.
        let mut shuffled = a.clone();
        shuffled.actions.reverse();
        shuffled.metrics.reverse();
        let again = analyse(&shuffled, &c, c.closed);
        prop_assert_eq!(&first, &serde_json::to_string(&analyse(&a, &c, c.closed)).unwrap());
        let scores = |x: &Analysis| x.ranking.priorities.iter().map(|s| (s.question.clone(), s.score)).collect::<Vec<_>>();
        let plan = |x: &Analysis| serde_json::to_string(&x.plan).unwrap();
        let original = analyse(&a, &c, c.closed);
        prop_assert_eq!(scores(&original), scores(&again));
        prop_assert_eq!(plan(&original), plan(&again));
    }

    #[test]
    fn rounded_components_reproduce_the_rounded_score(w in world()) {
        let report = RankReport::of(&run(&w), None);
        for p in &report.priorities {
            let c = p.components.as_ref().expect("rank gives every component");
            let score = p.score.expect("rank gives every score");
            let again = c.score();
            prop_assert!(
                (again - score).abs() <= reproduction_tolerance(score),
                "{} vs {}", again, score
            );
        }
    }

    #[test]
    fn the_plan_covers_each_question_once_in_falling_order(w in world()) {
        let a = run(&w);
        let mut seen = std::collections::BTreeSet::new();
        let mut last = f64::INFINITY;
        for p in &a.plan.actions {
            prop_assert!(p.risk_covered <= last);
            last = p.risk_covered;
            for q in &p.covers {
                prop_assert!(seen.insert(q.clone()), "{} covered twice", q);
            }
            let sum: f64 = a.ranking.priorities.iter()
                .filter(|s| p.covers.contains(&s.question)).map(|s| s.score).fold(0.0, |x, y| x + y);
            prop_assert!((sum - p.risk_covered).abs() < 1e-9);
        }
        for q in &a.plan.uncovered {
            prop_assert!(!seen.contains(q));
        }
    }
}

/// The world with a later tabletop audit whose cases judged its questions: `judged[case][q]`
/// is 0 met, 1 partly, 2 not met, 3 n/a.
fn with_cases(w: &World, judged: &[Vec<u8>]) -> Analysis {
    use crate::model::{Judgement, Method};
    let (mut a, now) = build(w);
    let mut dive = cycle("2025-q4");
    dive.method = Method::Tabletop;
    for (ci, row) in judged.iter().enumerate() {
        for (qi, j) in row.iter().enumerate().take(w.in_u.len()) {
            let j = [
                Judgement::Met,
                Judgement::Partly,
                Judgement::NotMet,
                Judgement::NotApplicable,
            ][usize::from(*j % 4)];
            judge(&mut dive, &format!("C{ci:02}"), &qid(qi), j);
        }
    }
    a.cycles.push(dive);
    analyse(&a, &now, now.closed)
}

proptest! {
    #![proptest_config(config())]

    /// Worse case results (a case judged "not met" where it was met, partly met or n/a) never
    /// lower any question's score in the self-assessment they weigh on.
    #[test]
    fn worse_case_results_never_lower_a_score(
        w in world(),
        judged in prop::collection::vec(prop::collection::vec(0u8..4, 6), 1..9),
        pick in (0usize..64, 0usize..6),
    ) {
        let before = with_cases(&w, &judged);
        let mut worse = judged.clone();
        let ci = pick.0 % worse.len();
        let qi = pick.1 % w.in_u.len();
        worse[ci][qi] = 2;
        let after = with_cases(&w, &worse);
        for s in &before.ranking.priorities {
            let (now, _) = standing(&after, &s.question).expect("still ranked");
            prop_assert!(now >= s.score - 1e-9, "{}: {} -> {}", s.question, s.score, now);
        }
    }
}

/// The world with later deep dives: `dives[d][case][q]` as in [`with_cases`], each dive a
/// tabletop audit closing after the last, all in the self-assessment's window.
fn with_dives(w: &World, dives: &[Vec<Vec<u8>>]) -> (Audit, crate::model::Cycle) {
    use crate::model::{Judgement, Method};
    let (mut a, now) = build(w);
    for (di, judged) in dives.iter().enumerate() {
        let mut dive = cycle(&format!("2025-q{}", di + 4));
        dive.method = Method::Tabletop;
        dive.opened = date("2026-01-05").add_days(40 * di as i64);
        dive.closed = dive.opened.add_days(30);
        for (ci, row) in judged.iter().enumerate() {
            for (qi, j) in row.iter().enumerate().take(w.in_u.len()) {
                let j = [
                    Judgement::Met,
                    Judgement::Partly,
                    Judgement::NotMet,
                    Judgement::NotApplicable,
                ][usize::from(*j % 4)];
                judge(&mut dive, &format!("C{ci:02}"), &qid(qi), j);
            }
        }
        a.cycles.push(dive);
    }
    (a, now)
}

fn judgements() -> impl Strategy<Value = Vec<Vec<u8>>> {
    prop::collection::vec(prop::collection::vec(0u8..4, 6), 1..9)
}

proptest! {
    #![proptest_config(config())]

    /// Adding a deep dive's readings never lowers any question's score in the
    /// self-assessment, whatever it found, and a later deep dive never cancels an earlier one.
    #[test]
    fn adding_a_deep_dive_never_lowers_a_score(
        w in world(),
        first in judgements(),
        second in judgements(),
    ) {
        let scores = |dives: &[Vec<Vec<u8>>]| {
            let (a, now) = with_dives(&w, dives);
            analyse(&a, &now, now.closed).ranking.priorities
        };
        let none = scores(&[]);
        let one = scores(std::slice::from_ref(&first));
        let two = scores(&[first.clone(), second.clone()]);
        for s in &none {
            let (after_one, _) = standing_in(&one, &s.question).expect("still ranked");
            let (after_two, _) = standing_in(&two, &s.question).expect("still ranked");
            prop_assert!(after_one >= s.score - 1e-9, "{}: {} -> {}", s.question, s.score, after_one);
            prop_assert!(after_two >= after_one - 1e-9, "{}: a later dive lowered {} -> {}", s.question, after_one, after_two);
        }
    }

    /// A deep dive that reads a question a level lower sets its assessed rating, flags it, and
    /// gives it at least the score that rating gives on the same evidence otherwise; the
    /// moderation panel weighing it (dated after, listing it) restores the panel's rating.
    #[test]
    fn a_lower_reading_scores_at_least_what_that_rating_would(
        w in world(),
        judged in judgements(),
    ) {
        let (a, now) = with_dives(&w, std::slice::from_ref(&judged));
        let an = analyse(&a, &now, now.closed);
        let fw = a.framework("fw");
        let scale = crate::analysis::score::Scale::of(fw);
        for s in &an.ranking.priorities {
            let Some(r) = &s.lowered_by else { continue };
            let reading = r.rating.expect("a lowering reading has a rating");
            prop_assert!(s.flags.contains(&crate::analysis::score::Flag::EvidenceConflict));
            prop_assert_eq!(s.rating, Some(reading));
            let own = s.own_rating.expect("lowered from an own rating");
            prop_assert!(fw.level_at(reading).value < fw.level_at(own).value);
            let as_if = crate::analysis::score::Components { gap: scale.gap(Some(reading)), ..s.components };
            prop_assert!(s.score >= as_if.score() - 1e-9);
        }
        // The panel weighs every deep dive after it closed: no conflict remains.
        let mut weighed = a.clone();
        let sa = weighed.cycles.iter_mut().find(|c| c.id == now.id).expect("the main cycle");
        let m = sa.moderation.get_or_insert_with(Default::default);
        m.moderated_on = Some(date("2027-01-01"));
        for s in &an.ranking.priorities {
            let q = m.questions.entry(s.question.clone()).or_insert_with(|| crate::model::ModeratedQuestion {
                rating: None,
                note: None,
                public_summary: None,
                considered: Vec::new(),
                loc: Default::default(),
            });
            q.considered.push(("2025-q4".into(), Default::default()));
        }
        let now = weighed.cycle(&now.id).expect("the main cycle").clone();
        let after = analyse(&weighed, &now, now.closed);
        prop_assert!(after.ranking.priorities.iter().all(|s| s.lowered_by.is_none()));
    }
}

fn standing_in(scores: &[crate::analysis::score::QuestionScore], q: &str) -> Option<(f64, usize)> {
    scores
        .iter()
        .find(|s| s.question == q)
        .map(|s| (s.score, s.rank))
}
