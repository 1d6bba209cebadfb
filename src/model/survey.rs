//! A practitioner survey as validated: its items and, for each, the answers on the item's
//! scale. Only item answers (and the `group_by` value each respondent gave) are kept: names,
//! emails, timestamps and free text in the export are never read into the model, so no later
//! stage can publish them.

use crate::source::Loc;

#[derive(Debug, Clone)]
pub struct Survey {
    /// The survey file's stem.
    pub name: String,
    pub title: String,
    /// Where the title is written.
    pub loc: Loc,
    /// The `group_by` header as the survey file writes it, when there is one.
    pub group_by: Option<String>,
    /// Rows in the export: everyone who responded, whether or not they answered an item.
    pub respondents: usize,
    pub items: Vec<SurveyItem>,
}

#[derive(Debug, Clone)]
pub struct SurveyItem {
    /// The column's header as the survey file writes it (the statement practitioners rated).
    pub column: String,
    pub loc: Loc,
    /// The practice questions it bears on (in the cycle's framework and scope).
    pub questions: Vec<String>,
    /// The scale's labels, lowest first.
    pub scale: Vec<String>,
    pub scale_loc: Loc,
    /// One per respondent who answered the item: the point of the scale (0 = lowest).
    pub answers: Vec<SurveyAnswer>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SurveyAnswer {
    pub point: usize,
    /// The respondent's value in the `group_by` column (blank: None). Internal only.
    pub group: Option<String>,
}
