//! Statistical disclosure control: every statistic published about agencies, cases or survey
//! responses passes through here first, so that no small number can be read off the public
//! site, directly or by arithmetic.
//!
//! Small numbers single people out. "1 agency rated this 0" points at one agency's own rating;
//! one case, or a handful of practitioners, can come close to a child or a person. The rules,
//! after ONS practice and tau-Argus:
//!
//! - **Primary suppression.** In a table of counts with a published total (agencies at each
//!   level of the scale, at each confidence), a count from 1 to the minimum less one is not
//!   shown. A zero is shown: it singles nobody out.
//! - **Secondary suppression.** A hidden count must not be workable out from the total and the
//!   shown counts. Every hidden cell is at least 1 (zeros are shown), so with `h` hidden cells
//!   summing to `S` (the total less the shown ones) each could be anything from 1 to `S - h + 1`:
//!   a range `S - h` wide. More cells are hidden, smallest first, until that range is at least
//!   the minimum; where no choice reaches it, the table is withheld whole. Hidden cells carry one
//!   mark ("not shown", `c` in the data files), whichever rule hid them, so a reader cannot tell
//!   a small count from one hidden to protect it.
//! - **No derived figure beside a hidden count.** Means, ranges, spreads, exact ratings, scores
//!   and their components are published only for a question whose tables hide nothing (see
//!   [`QuestionDisclosure::exact`]); a question fewer agencies rated than the minimum, and any
//!   cycle fewer agencies took part in, publish no agency-level figure at all.
//! - **The audit.** [`audit`] recomputes, from what a table publishes, the interval each hidden
//!   cell could take, and fails when one is narrower than the minimum. A public build audits
//!   every table it publishes and refuses, naming the table, rather than publish one that fails.
//!
//! Case audits and surveys have rules of their own here too (age bands merged, small survey
//! groups merged into "other groups"); their figures reach a public build only once the cycle is
//! signed off (see `analysis::Ledger::public`).

use serde::{Serialize, Serializer};
use std::fmt;

/// The smallest minimums a partnership may set: it may raise them, never lower them.
pub const FLOOR_AGENCIES: usize = 3;
pub const FLOOR_CASES: usize = 5;
pub const FLOOR_RESPONSES: usize = 10;

/// A count as a public page may show it. In JSON an exact count is a number, a hidden one the
/// string a data file writes (`"<3"`, `"c"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shown {
    Exact(usize),
    /// A count on its own, below the minimum: fewer than this many (and more than none).
    FewerThan(usize),
    /// A cell of a table, hidden (a small count, or one hidden to protect another).
    Hidden,
}

impl Shown {
    /// The count, or what a data file writes for a hidden one (`<3`; `c` for "confidential",
    /// as official statistics mark a withheld cell).
    pub fn data(self) -> String {
        match self {
            Shown::Exact(n) => n.to_string(),
            Shown::FewerThan(n) => format!("<{n}"),
            Shown::Hidden => "c".to_string(),
        }
    }

    pub fn is_exact(self) -> bool {
        matches!(self, Shown::Exact(_))
    }
}

impl fmt::Display for Shown {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Shown::Exact(n) => write!(f, "{n}"),
            Shown::FewerThan(n) => write!(f, "fewer than {n}"),
            Shown::Hidden => f.write_str("not shown"),
        }
    }
}

impl Serialize for Shown {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Shown::Exact(n) => s.serialize_u64(*n as u64),
            other => s.serialize_str(&other.data()),
        }
    }
}

/// One count on its own (no table, no total to work it out from).
pub fn shown(count: usize, min: usize) -> Shown {
    if count == 0 || count >= min {
        Shown::Exact(count)
    } else {
        Shown::FewerThan(min)
    }
}

/// The cells of a table of counts whose total is published, protected: None when the table
/// must be withheld whole.
pub fn protect(counts: &[usize], min: usize) -> Option<Vec<Shown>> {
    let mut hidden: Vec<bool> = counts.iter().map(|&n| n > 0 && n < min).collect();
    loop {
        let h = hidden.iter().filter(|x| **x).count();
        if h == 0 {
            return Some(counts.iter().map(|&n| Shown::Exact(n)).collect());
        }
        let sum: usize = counts
            .iter()
            .zip(&hidden)
            .filter(|(_, x)| **x)
            .map(|(n, _)| n)
            .sum();
        if h >= 2 && sum - h >= min {
            let cells = counts
                .iter()
                .zip(&hidden)
                .map(|(&n, &x)| if x { Shown::Hidden } else { Shown::Exact(n) })
                .collect();
            return Some(cells);
        }
        // Hide the smallest shown non-zero count (the first of equals) and try again.
        let next = counts
            .iter()
            .enumerate()
            .filter(|(i, n)| **n > 0 && !hidden[*i])
            .min_by_key(|(i, n)| (**n, *i))
            .map(|(i, _)| i)?;
        hidden[next] = true;
    }
}

/// Why a published table fails the audit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Narrow {
    /// The hidden cell's position in the table.
    pub cell: usize,
    /// The interval a reader could narrow it to.
    pub low: usize,
    pub high: usize,
}

/// The interval each hidden cell of a published table could take, given its shown cells and
/// its published total (None: the total is not published): every hidden cell is at least 1.
pub fn intervals(
    cells: &[Shown],
    total: Option<usize>,
    upper: usize,
) -> Vec<(usize, usize, usize)> {
    let hidden: Vec<usize> = (0..cells.len()).filter(|i| !cells[*i].is_exact()).collect();
    let shown: usize = cells
        .iter()
        .map(|c| match c {
            Shown::Exact(n) => *n,
            _ => 0,
        })
        .sum();
    let h = hidden.len();
    hidden
        .into_iter()
        .map(|i| match total {
            Some(t) => {
                let rest = t.saturating_sub(shown);
                let high = rest.saturating_sub(h - 1).max(1);
                let low = if h == 1 { rest } else { 1 };
                (i, low, high)
            }
            None => (i, 1, upper),
        })
        .collect()
}

/// The audit of one published table: every hidden cell's interval must be at least `min`
/// wide. `upper` bounds a cell when no total is published (the agencies or cases there are).
pub fn audit(
    cells: &[Shown],
    total: Option<usize>,
    upper: usize,
    min: usize,
) -> Result<(), Narrow> {
    for (cell, low, high) in intervals(cells, total, upper) {
        if high.saturating_sub(low) < min {
            return Err(Narrow { cell, low, high });
        }
    }
    Ok(())
}

/// What a public page may say about how the agencies answered one question.
#[derive(Debug, Clone, PartialEq)]
pub struct QuestionDisclosure {
    /// How many agencies gave a rating on the scale.
    pub rated: Shown,
    /// Agencies at each level of the scale, lowest first; None when withheld.
    pub levels: Option<Vec<Shown>>,
    /// Agencies at each confidence, highest first; None when withheld.
    pub confidence: Option<Vec<Shown>>,
    /// The agencies' combined rating may be published (in words at least).
    pub agencies_rating: bool,
    /// Nothing is hidden: exact ratings, the mean and range, the score and its components and
    /// the flags drawn from individual answers may be published.
    pub exact: bool,
}

impl QuestionDisclosure {
    /// Everything exact: what an internal page shows.
    pub fn open(levels: &[usize], confidence: &[usize]) -> QuestionDisclosure {
        QuestionDisclosure {
            rated: Shown::Exact(levels.iter().sum()),
            levels: Some(levels.iter().map(|&n| Shown::Exact(n)).collect()),
            confidence: Some(confidence.iter().map(|&n| Shown::Exact(n)).collect()),
            agencies_rating: true,
            exact: true,
        }
    }
}

/// The public decision for one question: `levels` and `confidence` are the agencies' ratings
/// counted at each level and confidence; `taking_part` how many agencies the cycle asked.
pub fn question(
    levels: &[usize],
    confidence: &[usize],
    taking_part: usize,
    min: usize,
) -> QuestionDisclosure {
    let rated: usize = levels.iter().sum();
    if taking_part < min || rated < min {
        return QuestionDisclosure {
            rated: if taking_part < min {
                Shown::Hidden
            } else {
                shown(rated, min)
            },
            levels: None,
            confidence: None,
            agencies_rating: false,
            exact: false,
        };
    }
    let levels = protect(levels, min);
    let confidence = protect(confidence, min);
    let all_exact =
        |t: &Option<Vec<Shown>>| t.as_ref().is_some_and(|c| c.iter().all(|s| s.is_exact()));
    QuestionDisclosure {
        rated: Shown::Exact(rated),
        exact: all_exact(&levels) && all_exact(&confidence),
        levels,
        confidence,
        agencies_rating: true,
    }
}

/// Groups of a breakdown (a survey's answers by agency, say), with every group below `min`
/// merged into one "other groups"; when that is still below `min`, the smallest named groups
/// join it until it is not. Values are merged with `merge`.
pub fn merge_small<T: Clone>(
    groups: &[(String, usize, T)],
    min: usize,
    merge: impl Fn(&T, &T) -> T,
) -> Vec<(String, usize, T)> {
    let mut keep: Vec<(String, usize, T)> = Vec::new();
    let mut other: Option<(usize, T)> = None;
    let add = |other: &mut Option<(usize, T)>, n: usize, v: &T| {
        *other = Some(match other.take() {
            Some((m, acc)) => (m + n, merge(&acc, v)),
            None => (n, v.clone()),
        });
    };
    for (name, n, v) in groups {
        if *n < min {
            add(&mut other, *n, v);
        } else {
            keep.push((name.clone(), *n, v.clone()));
        }
    }
    while other.as_ref().is_some_and(|(n, _)| *n < min) && !keep.is_empty() {
        let smallest = keep
            .iter()
            .enumerate()
            .min_by_key(|(i, g)| (g.1, *i))
            .map(|(i, _)| i)
            .unwrap_or(0);
        let (_, n, v) = keep.remove(smallest);
        add(&mut other, n, &v);
    }
    if let Some((n, v)) = other {
        keep.push(("Other groups".to_string(), n, v));
    }
    keep
}

/// Counts in order (age bands, youngest first), merged with their neighbours until every
/// group holds at least `min`: a group that cannot reach it joins the one before. Each
/// group is (first index, last index, count). Empty when the whole is below `min`.
pub fn merge_bands(counts: &[usize], min: usize) -> Vec<(usize, usize, usize)> {
    let mut out: Vec<(usize, usize, usize)> = Vec::new();
    let mut open: Option<(usize, usize, usize)> = None;
    for (i, &n) in counts.iter().enumerate() {
        if n == 0 {
            continue;
        }
        let (first, _, sum) = open.unwrap_or((i, i, 0));
        open = Some((first, i, sum + n));
        if let Some(g) = open.filter(|g| g.2 >= min) {
            out.push(g);
            open = None;
        }
    }
    if let Some((_, last, sum)) = open {
        match out.last_mut() {
            Some(prev) => {
                prev.1 = last;
                prev.2 += sum;
            }
            None => return Vec::new(),
        }
    }
    out
}

#[cfg(test)]
mod tests;
