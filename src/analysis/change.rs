//! Which way a theme or a question moved between two cycles.

use super::Analysis;
use crate::model::Framework;

/// Which way a theme's average rating moved between two cycles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Improved,
    Declined,
    /// Moved by less than 0.005, which shows as the same figure to two decimals.
    Unchanged,
    /// One of the two cycles has no average for the theme.
    NotComparable,
}

pub fn theme_direction(before: Option<f64>, now: Option<f64>) -> Direction {
    match (before, now) {
        (Some(b), Some(n)) if n > b + 0.005 => Direction::Improved,
        (Some(b), Some(n)) if n < b - 0.005 => Direction::Declined,
        (Some(_), Some(_)) => Direction::Unchanged,
        _ => Direction::NotComparable,
    }
}

/// How a question's rating moved between cycles, counted in levels of the scale: a shift of an
/// aggregate within one level is no move. A move carries its size on the rating scale.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum LevelMove {
    Same,
    Down(f64),
    Up(f64),
}

pub fn level_move(fw: &Framework, then: f64, now: f64) -> LevelMove {
    let (level_now, level_then) = (fw.level_at(now).value, fw.level_at(then).value);
    if level_now == level_then {
        LevelMove::Same
    } else if level_now < level_then {
        LevelMove::Down(then - now)
    } else {
        LevelMove::Up(now - then)
    }
}

/// The framework every partnership's latest cycle used, when they all used the same one: only
/// then are their themes comparable. None when any partnership has no cycle.
pub fn shared_framework<'a>(latest: &[Option<&'a Analysis>]) -> Option<&'a str> {
    let frameworks: Vec<Option<&str>> = latest
        .iter()
        .map(|a| a.map(|a| a.framework.as_str()))
        .collect();
    match frameworks.first() {
        Some(Some(first)) if frameworks.iter().all(|f| f == &Some(*first)) => Some(*first),
        _ => None,
    }
}
