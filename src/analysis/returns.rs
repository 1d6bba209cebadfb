//! Which agencies of a cycle sent their return, and how complete each is: one answer for the
//! site, the overview and `check`'s summary, so they never disagree.
//!
//! - **returned**: every question in scope answered (a rating or "n/a");
//! - **partly answered**: some, with the count answered of asked;
//! - **empty**: a return that answers nothing (an untouched form): never counts as returned;
//! - **carried over unchanged**: the agency's answers of its return in the comparable cycle
//!   before, sent back as they were with no submitted date of its own (a pre-filled form
//!   nobody touched): its answers stand, but it is not counted as returned, and is chased;
//! - **not received**: no return on file.

use crate::model::{Audit, Cycle};
use serde::Serialize;

/// One agency's return status in a cycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "kebab-case")]
pub enum ReturnStatus {
    Returned,
    PartlyAnswered { answered: usize, asked: usize },
    Empty,
    CarriedOver,
    NotReceived,
}

impl ReturnStatus {
    /// "returned", "31 of 48 answered", "empty", "not received".
    pub fn describe(self) -> String {
        match self {
            ReturnStatus::Returned => "returned".to_string(),
            ReturnStatus::PartlyAnswered { answered, asked } => {
                format!("{answered} of {asked} answered")
            }
            ReturnStatus::Empty => "empty".to_string(),
            ReturnStatus::CarriedOver => "carried over unchanged".to_string(),
            ReturnStatus::NotReceived => "not received".to_string(),
        }
    }
}

/// One agency asked for a return, and where its return stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AgencyReturn {
    pub agency: String,
    pub name: String,
    pub status: ReturnStatus,
}

/// Every agency a cycle asked, in the partnership's order, with its return status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReturnRound {
    pub cycle: String,
    /// Questions in the cycle's scope: what a complete return answers.
    pub asked: usize,
    pub agencies: Vec<AgencyReturn>,
}

/// Where each agency's return for `cycle` stands.
pub fn return_round(audit: &Audit, cycle: &Cycle) -> ReturnRound {
    let fw = audit.framework(&cycle.framework);
    let asked: Vec<&str> = cycle.questions(fw).map(|q| q.id.as_str()).collect();
    let previous = audit.comparable_cycle(cycle);
    let agencies = cycle
        .agencies(&audit.partnership)
        .map(|a| {
            let status = match cycle.response(&a.id) {
                None => ReturnStatus::NotReceived,
                Some(r)
                    if previous
                        .and_then(|p| p.response(&a.id))
                        .is_some_and(|p| r.carried_over_from(p, &asked)) =>
                {
                    ReturnStatus::CarriedOver
                }
                Some(r) => {
                    let answered = asked.iter().filter(|q| r.answers.contains_key(**q)).count();
                    if answered == 0 {
                        ReturnStatus::Empty
                    } else if answered == asked.len() {
                        ReturnStatus::Returned
                    } else {
                        ReturnStatus::PartlyAnswered {
                            answered,
                            asked: asked.len(),
                        }
                    }
                }
            };
            AgencyReturn {
                agency: a.id.clone(),
                name: a.name.clone(),
                status,
            }
        })
        .collect();
    ReturnRound {
        cycle: cycle.id.clone(),
        asked: asked.len(),
        agencies,
    }
}

impl ReturnRound {
    fn count(&self, f: impl Fn(&ReturnStatus) -> bool) -> usize {
        self.agencies.iter().filter(|a| f(&a.status)).count()
    }

    pub fn returned(&self) -> usize {
        self.count(|s| *s == ReturnStatus::Returned)
    }

    /// (answered, asked) of each partly answered return, in the partnership's order.
    pub fn partly(&self) -> Vec<(usize, usize)> {
        self.agencies
            .iter()
            .filter_map(|a| match a.status {
                ReturnStatus::PartlyAnswered { answered, asked } => Some((answered, asked)),
                _ => None,
            })
            .collect()
    }

    pub fn empty(&self) -> usize {
        self.count(|s| *s == ReturnStatus::Empty)
    }

    pub fn not_received(&self) -> usize {
        self.count(|s| *s == ReturnStatus::NotReceived)
    }

    pub fn carried_over(&self) -> usize {
        self.count(|s| *s == ReturnStatus::CarriedOver)
    }

    /// The agencies to chase: every one whose return is not complete.
    pub fn to_chase(&self) -> Vec<&AgencyReturn> {
        self.agencies
            .iter()
            .filter(|a| a.status != ReturnStatus::Returned)
            .collect()
    }

    /// "7 returned, 2 partly answered (31 of 48, 12 of 48), 1 empty, 0 not received".
    pub fn summary(&self) -> String {
        let partly = self.partly();
        let counts = if partly.is_empty() {
            String::new()
        } else {
            let each: Vec<String> = partly.iter().map(|(a, q)| format!("{a} of {q}")).collect();
            format!(" ({})", each.join(", "))
        };
        // Said only when there is one, so the usual summary keeps its shape.
        let carried = match self.carried_over() {
            0 => String::new(),
            n => format!(", {n} carried over unchanged"),
        };
        format!(
            "{} returned, {} partly answered{counts}, {} empty{carried}, {} not received",
            self.returned(),
            partly.len(),
            self.empty(),
            self.not_received()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::testkit::{answer, audit, cycle, framework};
    use crate::model::{Confidence, Rating, Response};
    use crate::source::Loc;
    use std::collections::BTreeMap;

    const QUESTIONS: [&str; 3] = ["a-s-01", "a-s-02", "a-p-01"];

    fn round_of(setup: impl Fn(&mut Cycle)) -> ReturnRound {
        let fw = framework(&[0, 1, 2, 3], &[("a", 1.0)], &QUESTIONS.map(|q| (q, "a")));
        let mut a = audit(
            fw,
            &[
                ("council", true),
                ("police", true),
                ("icb", true),
                ("school", false),
            ],
        );
        let mut c = cycle("2025-26");
        setup(&mut c);
        a.cycles.push(c);
        return_round(&a, &a.cycles[0])
    }

    fn empty_return(c: &mut Cycle, agency: &str) {
        c.responses.push(Response {
            agency: agency.into(),
            completed_by: "Head of Service".into(),
            submitted: None,
            answers: BTreeMap::new(),
            loc: Loc::default(),
        });
    }

    #[test]
    fn every_agency_asked_is_returned_partly_empty_or_not_received() {
        let round = round_of(|c| {
            for q in QUESTIONS {
                answer(c, "council", q, Rating::Value(2), Confidence::High);
            }
            // "n/a" is an answer.
            answer(
                c,
                "police",
                "a-s-01",
                Rating::NotApplicable,
                Confidence::Low,
            );
            empty_return(c, "icb");
        });
        let statuses: Vec<ReturnStatus> = round.agencies.iter().map(|a| a.status).collect();
        assert_eq!(
            statuses,
            [
                ReturnStatus::Returned,
                ReturnStatus::PartlyAnswered {
                    answered: 1,
                    asked: 3
                },
                ReturnStatus::Empty,
                ReturnStatus::NotReceived,
            ]
        );
        let chase: Vec<&str> = round.to_chase().iter().map(|a| a.agency.as_str()).collect();
        assert_eq!(chase, ["police", "icb", "school"]);
        assert_eq!(
            round.summary(),
            "1 returned, 1 partly answered (1 of 3), 1 empty, 1 not received"
        );
        assert_eq!(round.agencies[1].status.describe(), "1 of 3 answered");
    }

    #[test]
    fn an_empty_return_never_counts_as_returned() {
        let round = round_of(|c| {
            for a in ["council", "police", "icb", "school"] {
                empty_return(c, a);
            }
        });
        assert_eq!((round.returned(), round.empty()), (0, 4));
        assert_eq!(
            round.summary(),
            "0 returned, 0 partly answered, 4 empty, 0 not received"
        );
    }

    #[test]
    fn only_agencies_in_scope_are_counted() {
        let round = round_of(|c| {
            c.scope_agencies = vec!["council".into(), "police".into()];
            for q in QUESTIONS {
                answer(c, "police", q, Rating::Value(1), Confidence::Low);
            }
        });
        assert_eq!(
            round.summary(),
            "1 returned, 0 partly answered, 0 empty, 1 not received"
        );
        assert_eq!(round.to_chase()[0].agency, "council");
    }
}
