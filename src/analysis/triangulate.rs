//! The triangulation rule, stated once: how evidence of practice from deep dives weighs on a
//! self-assessment.
//!
//! A question's **assessed rating** in a self-assessment is the agencies' (moderated) rating,
//! unless a deep dive within the evidence window (`Audit::deep_dives_for`) read it at a lower
//! level of the scale: then it is the lowest such reading, and the question carries
//! `evidence-conflict`. A later deep dive never cancels an earlier lower reading: every deep
//! dive in the window counts, and the lowest wins. The conflict is resolved only by the
//! moderation panel: a moderation of the self-assessment, dated on or after the deep dive
//! closed, that lists it under the question (`considered = ["2026-q1"]`); then the panel's
//! rating (or the agencies') stands, and pages say the panel considered it.
//!
//! So adding a deep-dive reading never lowers the assessed rating's gap, and a lower reading
//! gives the question at least the score that rating would give (`properties` tests both).

use super::evidence::{CycleEvidence, Reading};
use crate::model::{Cycle, Date, Framework};
use serde::Serialize;

/// A deep dive's reading of a question, as it weighed on a self-assessment.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Weighed {
    pub reading: Reading,
    /// It read the question at a lower level than the self-assessment's own rating.
    pub lower: bool,
    /// The moderation date on which the panel considered it, when it did (after it closed).
    pub considered_on: Option<Date>,
}

/// What the rule decides for one question of a self-assessment.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Assessment {
    /// The assessed rating: the own rating, or the lowest unresolved lower reading.
    pub rating: Option<f64>,
    /// Every deep-dive reading of the question in the window, oldest first.
    pub weighed: Vec<Weighed>,
    /// The reading that set the assessed rating, when one did (`evidence-conflict`).
    pub lowered_by: Option<Reading>,
}

/// Applies the rule to one question: `own` is the self-assessment's own rating, `dives` the
/// evidence of the deep dives in its window, oldest first.
pub fn assess(
    cycle: &Cycle,
    fw: &Framework,
    question: &str,
    own: Option<f64>,
    dives: &[&CycleEvidence],
) -> Assessment {
    let own_level = own.map(|r| f64::from(fw.level_at(r).value));
    let considered = |dive: &str| -> Option<Date> {
        let moderation = cycle.moderation.as_ref()?;
        let on = moderation.moderated_on?;
        let q = moderation.questions.get(question)?;
        q.considered.iter().any(|(c, _)| c == dive).then_some(on)
    };
    let mut weighed: Vec<Weighed> = Vec::new();
    for dive in dives {
        let Some(readings) = dive.readings.get(question) else {
            continue;
        };
        for r in readings.iter().filter(|r| r.rating.is_some()) {
            let lower = match (r.rating, own_level) {
                (Some(reading), Some(level)) => reading < level - 1e-9,
                _ => false,
            };
            let considered_on = considered(&r.cycle).filter(|on| *on >= r.closed);
            weighed.push(Weighed {
                reading: r.clone(),
                lower,
                considered_on,
            });
        }
    }
    let lowered_by = weighed
        .iter()
        .filter(|w| w.lower && w.considered_on.is_none())
        .min_by(|a, b| {
            let (x, y) = (a.reading.rating, b.reading.rating);
            x.unwrap_or(f64::INFINITY)
                .total_cmp(&y.unwrap_or(f64::INFINITY))
        })
        .map(|w| w.reading.clone());
    let rating = match (&lowered_by, own) {
        (Some(r), Some(o)) => r.rating.map(|x| x.min(o)),
        _ => own,
    };
    Assessment {
        rating,
        weighed,
        lowered_by,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::evidence::gather;
    use crate::analysis::testkit::*;
    use crate::model::{Audit, Confidence, Judgement, Method, Rating};

    /// Agencies rate q-s-01 at `agency` (0..3); a tabletop of 4 cases closing `closed` judges
    /// it with `met` of them met and the rest not met.
    fn world(agency: u32, met: usize, closed: &str) -> (Audit, Cycle) {
        let fw = framework(&[0, 1, 2, 3], &[("t", 1.0)], &[("q-s-01", "t")]);
        let mut a = audit(fw, &[("council", true)]);
        let mut sa = cycle("2025-26");
        answer(
            &mut sa,
            "council",
            "q-s-01",
            Rating::Value(agency),
            Confidence::High,
        );
        let mut dive = cycle("2026-q1");
        dive.method = Method::Tabletop;
        dive.opened = date("2026-01-05");
        dive.closed = date(closed);
        for i in 0..4 {
            let j = if i < met {
                Judgement::Met
            } else {
                Judgement::NotMet
            };
            judge(&mut dive, &format!("C{i:02}"), "q-s-01", j);
        }
        a.cycles = vec![sa.clone(), dive];
        (a, sa)
    }

    fn rule(a: &Audit, sa: &Cycle) -> Assessment {
        let dive = gather(a, &a.cycles[1], crate::analysis::evidence::Scope::All);
        let own = gather(a, sa, crate::analysis::evidence::Scope::All)
            .own("q-s-01")
            .and_then(|r| r.rating);
        assess(sa, a.framework("fw"), "q-s-01", own, &[&dive])
    }

    #[test]
    fn a_deep_dive_a_level_lower_sets_the_assessed_rating() {
        // Agencies 3; 1 of 4 cases met: share 0.25 → 0.75 → level 1.
        let (a, sa) = world(3, 1, "2026-02-27");
        let x = rule(&a, &sa);
        assert_eq!(x.rating, Some(1.0));
        assert_eq!(
            x.lowered_by.as_ref().map(|r| r.cycle.as_str()),
            Some("2026-q1")
        );
        // Better news from the cases never raises it: agencies 1, every case met.
        let (a, sa) = world(1, 4, "2026-02-27");
        let x = rule(&a, &sa);
        assert_eq!(x.rating, Some(1.0));
        assert!(x.lowered_by.is_none() && !x.weighed[0].lower);
    }

    #[test]
    fn only_a_moderation_dated_after_the_deep_dive_that_lists_it_resolves_the_conflict() {
        let (a, mut sa) = world(3, 1, "2026-02-27");
        moderate(&mut sa, "q-s-01", Rating::Value(2));
        sa.moderation.as_mut().unwrap().moderated_on = Some(date("2026-03-10"));
        // Moderated later but without listing the deep dive: the conflict stands.
        assert_eq!(rule(&a, &sa).rating, Some(1.0));
        let m = sa.moderation.as_mut().unwrap();
        m.questions.get_mut("q-s-01").unwrap().considered =
            vec![("2026-q1".into(), Default::default())];
        let x = rule(&a, &sa);
        assert_eq!(x.rating, Some(2.0), "the panel's rating stands");
        assert!(x.lowered_by.is_none());
        assert_eq!(x.weighed[0].considered_on, Some(date("2026-03-10")));
        // Listed, but dated before the deep dive closed: it cannot have considered it.
        sa.moderation.as_mut().unwrap().moderated_on = Some(date("2026-02-01"));
        assert_eq!(rule(&a, &sa).rating, Some(1.0));
    }
}
