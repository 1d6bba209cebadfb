//! Small numbers: a public page never shows a count below the partnership's minimum
//! (`[publication] min_agencies`, `min_cases`, `min_responses`), since "1 agency rated this
//! 0" points at one agency, and a count of one case or one practitioner can point at a child.
//!
//! A count from 1 to the minimum less one is shown as "fewer than N" (the primary
//! suppression). Where a group of counts has a published total, one hidden cell could be
//! worked out from the total and the others, so the smallest other non-zero cell is hidden
//! too (secondary suppression). A zero is shown: it singles nobody out.

use serde::{Serialize, Serializer};
use std::fmt;

/// A count as a public page may show it. In JSON an exact count is a number and a hidden
/// one the string a data file writes (`"<3"`, `"c"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shown {
    Exact(usize),
    /// Hidden: fewer than this many.
    FewerThan(usize),
    /// Hidden so that another hidden count cannot be worked out; at least this many.
    Hidden,
}

impl Shown {
    /// The count, or what a data file writes for a hidden one (`<3`, `c` for "confidential"
    /// as official statistics mark a count withheld to protect another).
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

/// One count on its own.
pub fn shown(count: usize, min: usize) -> Shown {
    if count == 0 || count >= min {
        Shown::Exact(count)
    } else {
        Shown::FewerThan(min)
    }
}

/// A group of counts whose total is published: small counts hidden, and where exactly one
/// is hidden, the smallest other non-zero count as well.
pub fn group(counts: &[usize], min: usize) -> Vec<Shown> {
    let mut out: Vec<Shown> = counts.iter().map(|&n| shown(n, min)).collect();
    let hidden = out.iter().filter(|s| !s.is_exact()).count();
    if hidden == 1
        && let Some((i, _)) = counts
            .iter()
            .enumerate()
            .filter(|(i, n)| **n > 0 && out[*i].is_exact())
            .min_by_key(|(i, n)| (**n, *i))
    {
        out[i] = Shown::Hidden;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_counts_are_fewer_than_the_minimum_and_zero_and_large_counts_show() {
        assert_eq!(shown(0, 3), Shown::Exact(0));
        assert_eq!(shown(1, 3), Shown::FewerThan(3));
        assert_eq!(shown(2, 3).to_string(), "fewer than 3");
        assert_eq!(shown(3, 3), Shown::Exact(3));
        assert_eq!(shown(2, 3).data(), "<3");
    }

    #[test]
    fn one_hidden_cell_in_a_group_hides_another_so_the_total_cannot_reveal_it() {
        // 1 + 0 + 6 + 3 = 10 published: without a second hidden cell, 10 - 6 - 3 - 0 = 1.
        let g = group(&[1, 0, 6, 3], 3);
        assert_eq!(
            g,
            [
                Shown::FewerThan(3),
                Shown::Exact(0),
                Shown::Exact(6),
                Shown::Hidden
            ]
        );
        // Two small cells already protect each other.
        let g = group(&[1, 2, 7], 3);
        assert_eq!(
            g,
            [Shown::FewerThan(3), Shown::FewerThan(3), Shown::Exact(7)]
        );
        // Nothing small: nothing hidden.
        assert!(group(&[4, 0, 6], 3).iter().all(|s| s.is_exact()));
    }
}
