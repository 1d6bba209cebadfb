//! The files as written, deserialised with their source spans. Unknown keys are rejected so a
//! misspelt field is reported rather than silently ignored.

use serde::Deserialize;
use std::collections::BTreeMap;
use toml::Spanned;

pub type S<T> = Spanned<T>;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PartnershipFile {
    pub name: S<String>,
    pub short_name: S<String>,
    #[serde(default)]
    pub area: Option<S<String>>,
    pub frameworks: S<Vec<S<String>>>,
    #[serde(default)]
    pub agencies: Vec<S<AgencyEntry>>,
    #[serde(default)]
    pub priority: Option<PrioritySection>,
    #[serde(default)]
    pub publication: Option<PublicationSection>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AgencyEntry {
    pub id: S<String>,
    pub name: S<String>,
    pub sector: S<String>,
    #[serde(default)]
    pub statutory: bool,
    #[serde(default)]
    pub role: Option<S<String>>,
    /// The address `chase` writes to: an email address or a role mailbox.
    #[serde(default)]
    pub contact: Option<S<String>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PrioritySection {
    #[serde(default)]
    pub theme_weights: BTreeMap<S<String>, S<f64>>,
    /// The smallest move, in scale points, that counts as a rise or a fall.
    #[serde(default)]
    pub change_threshold: Option<S<f64>>,
    /// How many of the latest deep dives weigh on the main cycle's scores.
    #[serde(default)]
    pub evidence_window: Option<S<i64>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PublicationSection {
    #[serde(default)]
    pub allow: Vec<S<String>>,
    #[serde(default)]
    pub contact: Option<S<String>>,
    /// The date the board approved this publication.
    #[serde(default)]
    pub approved: Option<S<toml::value::Datetime>>,
    #[serde(default)]
    pub min_agencies: Option<S<i64>>,
    #[serde(default)]
    pub min_cases: Option<S<i64>>,
    #[serde(default)]
    pub min_responses: Option<S<i64>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrameworkFile {
    pub id: S<String>,
    pub title: S<String>,
    #[serde(default)]
    pub summary: Option<S<String>>,
    pub source: SourceSection,
    pub scale: S<Vec<S<ScaleEntry>>>,
    pub themes: S<Vec<S<ThemeEntry>>>,
    pub questions: S<Vec<S<QuestionEntry>>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceSection {
    pub publisher: S<String>,
    pub publication: S<String>,
    #[serde(default)]
    pub year: Option<i64>,
    pub url: S<String>,
    pub licence: S<String>,
    #[serde(default)]
    pub note: Option<S<String>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScaleEntry {
    pub value: S<i64>,
    pub label: S<String>,
    pub rag: S<String>,
    #[serde(default)]
    pub descriptor: Option<S<String>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ThemeEntry {
    pub id: S<String>,
    pub title: S<String>,
    #[serde(default)]
    pub summary: Option<S<String>>,
    #[serde(default)]
    pub weight: Option<S<f64>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuestionEntry {
    pub id: S<String>,
    pub theme: S<String>,
    pub level: S<String>,
    pub text: S<String>,
    #[serde(default)]
    pub prompts: Vec<S<String>>,
    #[serde(default)]
    pub metrics: Vec<S<String>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CycleFile {
    pub title: S<String>,
    pub period: S<String>,
    pub method: S<String>,
    pub framework: S<String>,
    pub opened: S<toml::value::Datetime>,
    pub closed: S<toml::value::Datetime>,
    /// Markdown: what the cycle set out to learn ("What did we do?").
    #[serde(default)]
    pub purpose: Option<S<String>>,
    /// What was done ("How?"), one line each.
    #[serde(default)]
    pub activities: Vec<S<String>>,
    /// The cycle a change is measured against (default: the previous cycle of the same method).
    #[serde(default)]
    pub compare_with: Option<S<String>>,
    /// The day the round was signed off: closed to imports, its figures publishable.
    #[serde(default)]
    pub signed_off: Option<S<toml::value::Datetime>>,
    #[serde(default)]
    pub scope: Option<ScopeSection>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScopeSection {
    #[serde(default)]
    pub themes: Vec<S<String>>,
    #[serde(default)]
    pub levels: Vec<S<String>>,
    /// Agencies taking part (a tabletop audit often asks only some); default: all.
    #[serde(default)]
    pub agencies: Vec<S<String>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResponseFile {
    pub agency: S<String>,
    #[serde(default)]
    pub completed_by: Option<S<String>>,
    #[serde(default)]
    pub submitted: Option<S<toml::value::Datetime>>,
    #[serde(default)]
    pub answers: BTreeMap<S<String>, S<AnswerEntry>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnswerEntry {
    pub rating: S<toml::Value>,
    #[serde(default)]
    pub confidence: Option<S<String>>,
    #[serde(default)]
    pub evidence: Option<S<String>>,
    #[serde(default)]
    pub gaps: Option<S<String>>,
    #[serde(default)]
    pub internal: Option<S<String>>,
}

/// cycles/<id>/findings.toml: what a cycle found, written to be published.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FindingsFile {
    #[serde(default)]
    pub findings: Vec<S<FindingEntry>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FindingEntry {
    pub kind: S<String>,
    pub title: S<String>,
    pub text: S<String>,
    #[serde(default)]
    pub questions: Vec<S<String>>,
}

/// cycles/<id>/changes.toml: what `import --force` changed after the cycle was signed off.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChangesFile {
    #[serde(default)]
    pub changes: Vec<S<ChangeEntry>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChangeEntry {
    pub date: S<toml::value::Datetime>,
    /// The agency whose return changed, or
    #[serde(default)]
    pub agency: Option<S<String>>,
    /// the case record that changed.
    #[serde(default)]
    pub case: Option<S<String>>,
    pub change: S<String>,
    #[serde(default)]
    pub questions: Vec<S<String>>,
    #[serde(default)]
    pub note: Option<S<String>>,
}

/// cycles/<id>/cases/<ref>.toml: one audited case. Internal: never published per case.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CaseFile {
    #[serde(rename = "ref")]
    pub reference: S<String>,
    #[serde(default)]
    pub age_band: Option<S<String>>,
    #[serde(default)]
    pub agencies: Vec<S<String>>,
    pub audited_on: S<toml::value::Datetime>,
    #[serde(default)]
    pub findings: BTreeMap<S<String>, S<CaseFindingEntry>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CaseFindingEntry {
    pub judgement: S<String>,
    #[serde(default)]
    pub by_agency: BTreeMap<S<String>, S<String>>,
    #[serde(default)]
    pub good_practice: Option<S<String>>,
    #[serde(default)]
    pub learning: Option<S<String>>,
    #[serde(default)]
    pub internal: Option<S<String>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModerationFile {
    #[serde(default)]
    pub moderated_on: Option<S<toml::value::Datetime>>,
    #[serde(default)]
    pub questions: BTreeMap<S<String>, S<ModeratedEntry>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModeratedEntry {
    #[serde(default)]
    pub rating: Option<S<toml::Value>>,
    #[serde(default)]
    pub note: Option<S<String>>,
    #[serde(default)]
    pub public_summary: Option<S<String>>,
    /// Deep-dive cycles the panel weighed before setting this rating or summary.
    #[serde(default)]
    pub considered: Vec<S<String>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MetricsFile {
    #[serde(default)]
    pub metrics: Vec<S<MetricEntry>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MetricEntry {
    pub id: S<String>,
    #[serde(default)]
    pub title: Option<S<String>>,
    #[serde(default)]
    pub definition: Option<S<String>>,
    #[serde(default)]
    pub unit: Option<S<String>>,
    #[serde(default)]
    pub better: Option<S<String>>,
    #[serde(default)]
    pub target: Option<S<f64>>,
    #[serde(default)]
    pub comparator: Option<S<ComparatorEntry>>,
    #[serde(default)]
    pub themes: Vec<S<String>>,
    #[serde(default)]
    pub questions: Vec<S<String>>,
    #[serde(default)]
    pub values: BTreeMap<S<String>, S<f64>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ComparatorEntry {
    pub label: S<String>,
    pub value: S<f64>,
    #[serde(default)]
    pub source: Option<S<String>>,
    #[serde(default)]
    pub url: Option<S<String>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActionsFile {
    #[serde(default)]
    pub actions: Vec<S<ActionEntry>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActionEntry {
    pub id: S<String>,
    pub title: S<String>,
    pub owner: S<String>,
    pub due: S<toml::value::Datetime>,
    pub status: S<String>,
    #[serde(default)]
    pub addresses: Vec<S<String>>,
    #[serde(default)]
    pub effort: Option<S<String>>,
    #[serde(default)]
    pub progress: Option<S<String>>,
    /// The day a complete action was completed.
    #[serde(default)]
    pub completed: Option<S<toml::value::Datetime>>,
    /// The metrics it expects to move (default: those tied to the questions it addresses).
    #[serde(default)]
    pub metrics: Option<Vec<S<String>>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BriefingFrontMatter {
    pub title: S<String>,
    pub date: S<toml::value::Datetime>,
    pub audience: S<String>,
    pub summary: S<String>,
    /// The cycle the briefing reports on: linked both ways.
    #[serde(default)]
    pub cycle: Option<S<String>>,
    /// `draft = true`: written by `panelaudit brief` (or a person) and not yet approved.
    #[serde(default)]
    pub draft: Option<S<bool>>,
}

/// cycles/<id>/surveys/<name>.toml: a practitioner survey and the CSV export beside it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SurveyFile {
    pub title: S<String>,
    pub responses: S<String>,
    #[serde(default)]
    pub group_by: Option<S<String>>,
    #[serde(default)]
    pub items: Vec<S<SurveyItemEntry>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SurveyItemEntry {
    pub column: S<String>,
    #[serde(default)]
    pub questions: Vec<S<String>>,
    #[serde(default)]
    pub scale: Option<S<Vec<S<String>>>>,
}

/// `collection.toml` in a collection's folder: what its pages call it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CollectionFile {
    pub name: S<String>,
}
