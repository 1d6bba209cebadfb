//! One agency's answer to a question, and what the scoring makes of the agencies' answers
//! together: their aggregate rating and each answer's confidence factor. The bottom of the
//! analysis: the evidence and the score both read it, and it reads neither.

use crate::model::{Confidence, Rating};
use serde::{Serialize, Serializer};

/// Confidence factor per answer: weaker evidence raises risk.
pub const CONFIDENCE_HIGH: f64 = 1.0;
pub const CONFIDENCE_MEDIUM: f64 = 1.15;
pub const CONFIDENCE_LOW: f64 = 1.3;
/// How far the agencies' mean is pulled towards the lowest rating of any agency.
pub const PULL_LOWEST: f64 = 0.25;
/// How far the agencies' mean is pulled towards the lowest rating of a statutory partner.
pub const PULL_STATUTORY: f64 = 0.5;

/// One agency's answer to a question.
#[derive(Debug, Clone, Serialize)]
pub struct AgencyRating {
    pub agency: String,
    pub statutory: bool,
    /// A scale value, "n/a", or null when the agency gave no answer.
    #[serde(serialize_with = "serialize_rating")]
    pub rating: Option<Rating>,
    /// None when the agency gave no answer.
    pub confidence: Option<Confidence>,
}

fn serialize_rating<S: Serializer>(r: &Option<Rating>, s: S) -> Result<S::Ok, S::Error> {
    match r {
        Some(Rating::Value(v)) => s.serialize_u32(*v),
        Some(Rating::NotApplicable) => s.serialize_str("n/a"),
        None => s.serialize_none(),
    }
}

/// The agencies' aggregate of their ratings: the plain mean pulled a quarter of the way towards
/// the lowest rating of any agency, or half way towards the lowest rating of a statutory
/// partner, whichever is lower. `ratings` pairs each rating with whether its agency is a
/// statutory partner. None when there are no ratings.
///
/// Lowering any one rating never raises the result (each term is a non-decreasing function of
/// every rating), which is what keeps "a lower rating never ranks lower" true.
pub fn aggregate_ratings(ratings: &[(u32, bool)]) -> Option<f64> {
    let lowest = ratings.iter().map(|&(v, _)| v).min()?;
    let mean = ratings.iter().map(|&(v, _)| f64::from(v)).sum::<f64>() / ratings.len() as f64;
    let towards_lowest = (1.0 - PULL_LOWEST) * mean + PULL_LOWEST * f64::from(lowest);
    let lowest_statutory = ratings.iter().filter(|r| r.1).map(|&(v, _)| v).min();
    Some(match lowest_statutory {
        Some(s) => {
            towards_lowest.min((1.0 - PULL_STATUTORY) * mean + PULL_STATUTORY * f64::from(s))
        }
        None => towards_lowest,
    })
}

/// The confidence factor of one answer.
pub fn confidence_factor(c: Confidence) -> f64 {
    match c {
        Confidence::High => CONFIDENCE_HIGH,
        Confidence::Medium => CONFIDENCE_MEDIUM,
        Confidence::Low => CONFIDENCE_LOW,
    }
}
