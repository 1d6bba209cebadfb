//! The validated audit: what every stage after `validate` works on. Ids here are known to
//! exist, ratings are on their scale, and dates are real dates.

mod survey;

use crate::source::Loc;
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;
pub use survey::*;

/// A calendar date (TOML local date). Ordering is chronological.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: u16,
    pub month: u8,
    pub day: u8,
}

impl Date {
    pub fn parse(s: &str) -> Option<Date> {
        let mut parts = s.trim().splitn(3, '-');
        let year = parts.next()?.parse().ok()?;
        let month = parts.next()?.parse().ok()?;
        let day = parts.next()?.parse().ok()?;
        let d = Date { year, month, day };
        d.is_valid().then_some(d)
    }

    pub fn is_valid(&self) -> bool {
        self.civil().is_some()
    }

    fn civil(self) -> Option<jiff::civil::Date> {
        let year = i16::try_from(self.year).ok()?;
        jiff::civil::Date::new(
            year,
            i8::try_from(self.month).ok()?,
            i8::try_from(self.day).ok()?,
        )
        .ok()
    }

    fn from_civil(d: jiff::civil::Date) -> Date {
        Date {
            year: u16::try_from(d.year()).unwrap_or(0),
            month: d.month().unsigned_abs(),
            day: d.day().unsigned_abs(),
        }
    }

    /// The date `days` later (earlier when negative); the same date if that leaves the calendar.
    pub fn add_days(self, days: i64) -> Date {
        self.civil()
            .and_then(|d| d.checked_add(jiff::Span::new().days(days)).ok())
            .map_or(self, Date::from_civil)
    }

    /// The same day `months` months later (earlier when negative), or the month's last day
    /// when it has no such day (31 January + 1 month is 28 or 29 February).
    pub fn add_months(self, months: i64) -> Date {
        self.civil()
            .and_then(|d| d.checked_add(jiff::Span::new().months(months)).ok())
            .map_or(self, Date::from_civil)
    }

    /// Today in UTC, or, when the environment sets `SOURCE_DATE_EPOCH` (the reproducible-builds
    /// convention: seconds since 1970), that day, so that builds are byte-for-byte repeatable.
    pub fn today() -> Date {
        let epoch = std::env::var("SOURCE_DATE_EPOCH")
            .ok()
            .and_then(|s| s.trim().parse::<i64>().ok())
            .and_then(|s| jiff::Timestamp::from_second(s).ok());
        let now = epoch.unwrap_or_else(jiff::Timestamp::now);
        Date::from_civil(jiff::tz::Offset::UTC.to_datetime(now).date())
    }

    /// "Thu, 28 May 2026 00:00:00 +0000": the day's start in UTC as an email's Date header
    /// writes it (RFC 5322).
    pub fn email_date(self) -> String {
        const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
        const MONTHS: [&str; 12] = [
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
        ];
        let day = self.civil().map_or(0, |d| {
            usize::from(d.weekday().to_monday_zero_offset().unsigned_abs())
        });
        format!(
            "{}, {:02} {} {:04} 00:00:00 +0000",
            DAYS[day % 7],
            self.day,
            MONTHS[(self.month as usize).saturating_sub(1) % 12],
            self.year
        )
    }

    /// "5 December 2025", as a board paper would write it.
    pub fn long(&self) -> String {
        const MONTHS: [&str; 12] = [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ];
        format!(
            "{} {} {}",
            self.day,
            MONTHS[(self.month as usize).saturating_sub(1) % 12],
            self.year
        )
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// An enum spelt as fixed words in the files (`in-progress`, `strategic`).
pub trait TextEnum: Sized {
    fn parse_text(s: &str) -> Option<Self>;
    fn expected_text() -> String;
}

macro_rules! string_enum {
    ($(#[$m:meta])* $name:ident { $($variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name { $($variant),+ }
        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
            pub fn parse(s: &str) -> Option<$name> {
                match s { $($text => Some($name::$variant),)+ _ => None }
            }
            /// The accepted spellings, for error messages.
            pub fn expected() -> String {
                [$($text),+].iter().map(|t| format!("`{t}`")).collect::<Vec<_>>().join(", ")
            }
        }
        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result { f.write_str(self.as_str()) }
        }
        impl TextEnum for $name {
            fn parse_text(s: &str) -> Option<Self> { $name::parse(s) }
            fn expected_text() -> String { $name::expected() }
        }
        impl Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> { s.serialize_str(self.as_str()) }
        }
    };
}

string_enum!(Sector {
    LocalAuthority = "local-authority",
    Police = "police",
    Health = "health",
    Education = "education",
    EarlyYears = "early-years",
    Probation = "probation",
    YouthJustice = "youth-justice",
    Voluntary = "voluntary",
    Other = "other",
});
string_enum!(
    /// An agency's part in the arrangements under Working Together 2023.
    AgencyRole { Lead = "lead", Delegated = "delegated", Relevant = "relevant" }
);
string_enum!(
    /// What a finding is, in the order a learning briefing tells them.
    FindingKind { GoodPractice = "good-practice", Concern = "concern", Learning = "learning" }
);
string_enum!(
    /// A case audit's judgement of one case against one question.
    Judgement { Met = "met", Partly = "partly", NotMet = "not-met", NotApplicable = "n/a" }
);
string_enum!(
    /// A child's age band in a case record.
    AgeBand { Under1 = "under-1", OneToFour = "1-4", FiveToNine = "5-9", TenToFifteen = "10-15", SixteenSeventeen = "16-17" }
);
string_enum!(
    /// What a change after sign-off did: a return or case record that was not there, or one
    /// that was replaced.
    ChangeAction { Added = "added", Replaced = "replaced" }
);
string_enum!(Level { Strategic = "strategic", Practitioner = "practitioner" });
string_enum!(Rag { Red = "red", Amber = "amber", Green = "green" });
string_enum!(
    /// How a cycle gathered its evidence. The self-assessment is the programme's backbone; the
    /// others are deep dives around it.
    Method {
        SelfAssessment = "self-assessment",
        Tabletop = "tabletop",
        CaseAudit = "case-audit",
        Survey = "survey",
        LearningReview = "learning-review",
    }
);

impl Method {
    /// As a page names it: "self-assessment", "tabletop audit".
    pub fn words(self) -> &'static str {
        match self {
            Method::SelfAssessment => "self-assessment",
            Method::Tabletop => "multi-agency tabletop audit",
            Method::CaseAudit => "case audit",
            Method::Survey => "practitioner survey",
            Method::LearningReview => "learning review",
        }
    }
}
string_enum!(
    /// Strength of the evidence behind a rating.
    Confidence { Low = "low", Medium = "medium", High = "high" }
);
string_enum!(Better { Lower = "lower", Higher = "higher", Neither = "neither" });
string_enum!(ActionStatus {
    NotStarted = "not-started",
    InProgress = "in-progress",
    Complete = "complete",
    Dropped = "dropped",
});
string_enum!(Effort { Small = "small", Medium = "medium", Large = "large" });
string_enum!(Audience { Public = "public", Internal = "internal" });

impl ActionStatus {
    /// Complete and dropped actions no longer reduce risk in the plan.
    pub fn is_open(self) -> bool {
        matches!(self, ActionStatus::NotStarted | ActionStatus::InProgress)
    }
}

/// One partnership's whole audit, validated.
#[derive(Debug, Clone)]
pub struct Audit {
    pub dir: PathBuf,
    /// The folder's name: used as its path segment inside a collection.
    pub folder: String,
    pub partnership: Partnership,
    /// Every framework the partnership or its cycles use, by id.
    pub frameworks: BTreeMap<String, Framework>,
    pub metrics: Vec<Metric>,
    pub actions: Vec<Action>,
    /// Sorted by id, which is time order.
    pub cycles: Vec<Cycle>,
    pub briefings: Vec<Briefing>,
    /// Terms the publication scan must never let through (from `publication/deny.txt`).
    pub deny: Vec<String>,
    /// The audit's own templates, by name (`index.html`, `static/style.css`), as read: each
    /// takes the place of the built-in of the same name.
    pub templates: Vec<(String, String)>,
    /// Every file of the partnership's that was read, as read: the publication scan places a
    /// value it finds in a page back in its file from these, never by reading the disk again.
    pub sources: Vec<std::sync::Arc<crate::source::SourceFile>>,
    /// The personal-data scanner for `partnership.allow` and `deny`, compiled once (by
    /// validation, which reads the returns with it) for every scan of this audit.
    pub compiled_scanner: std::sync::OnceLock<crate::scan::Scanner>,
}

impl Audit {
    /// The personal-data scanner with this partnership's allow and deny lists.
    pub fn scanner(&self) -> &crate::scan::Scanner {
        self.compiled_scanner
            .get_or_init(|| crate::scan::Scanner::new(&self.partnership.allow, &self.deny))
    }

    pub fn cycle(&self, id: &str) -> Option<&Cycle> {
        self.cycles.iter().find(|c| c.id == id)
    }

    pub fn latest_cycle(&self) -> Option<&Cycle> {
        self.cycles.last()
    }

    /// The cycle the site and `rank` report by default: the latest self-assessment, or the
    /// latest cycle of any method when there is none. A later deep dive never replaces it.
    pub fn main_cycle(&self) -> Option<&Cycle> {
        self.cycles
            .iter()
            .rfind(|c| c.method == Method::SelfAssessment)
            .or_else(|| self.latest_cycle())
    }

    /// What a change in `cycle` is measured against: the cycle its `compare_with` names, else
    /// the previous cycle of the same method. Only like is compared with like.
    pub fn comparable_cycle(&self, cycle: &Cycle) -> Option<&Cycle> {
        match &cycle.compare_with {
            Some(id) => self.cycle(id),
            None => self
                .cycles
                .iter()
                .rfind(|c| c.id < cycle.id && c.method == cycle.method),
        }
    }

    /// The deep dives (cycles of another method) whose evidence weighs on a self-assessment,
    /// oldest first; none for a deep dive. The window is counted in self-assessment rounds, so
    /// a later deep dive never pushes an earlier one out: a deep dive weighs when it came after
    /// the self-assessment `evidence_window` rounds back (with the default 2: since the one
    /// before the previous) and before the next self-assessment. `evidence_window = 0` lets
    /// no deep dive weigh.
    pub fn deep_dives_for(&self, cycle: &Cycle) -> Vec<&Cycle> {
        let window = self.partnership.evidence_window;
        if cycle.method != Method::SelfAssessment || window == 0 {
            return Vec::new();
        }
        let assessments: Vec<&str> = self
            .cycles
            .iter()
            .filter(|c| c.method == Method::SelfAssessment)
            .map(|c| c.id.as_str())
            .collect();
        let here = assessments.iter().position(|id| *id == cycle.id);
        // The self-assessment `window` rounds back (None: the programme's start) and the next.
        let after = here.and_then(|i| i.checked_sub(window).map(|j| assessments[j]));
        let before = here.and_then(|i| assessments.get(i + 1).copied());
        self.cycles
            .iter()
            .filter(|c| c.method != Method::SelfAssessment)
            .filter(|c| after.is_none_or(|a| c.id.as_str() > a))
            .filter(|c| before.is_none_or(|b| c.id.as_str() < b))
            .collect()
    }

    /// Whether this cycle asked agencies for returns: every self-assessment, and a deep dive
    /// only when returns were sent to it (a tabletop where agencies rated together). A case
    /// audit or survey without returns is read from its cases or answers, never as "no returns".
    pub fn collects_returns(cycle: &Cycle) -> bool {
        cycle.method == Method::SelfAssessment || !cycle.responses.is_empty()
    }

    /// The cycle before `cycle` that used the same framework: what "change since last cycle" compares with.
    pub fn previous_cycle(&self, cycle: &Cycle) -> Option<&Cycle> {
        self.cycles
            .iter()
            .rfind(|c| c.id < cycle.id && c.framework == cycle.framework)
    }

    pub fn framework(&self, id: &str) -> &Framework {
        &self.frameworks[id]
    }

    pub fn agency(&self, id: &str) -> Option<&Agency> {
        self.partnership.agencies.iter().find(|a| a.id == id)
    }

    pub fn metric(&self, id: &str) -> Option<&Metric> {
        self.metrics.iter().find(|m| m.id == id)
    }

    /// A theme's weight for this partnership: its own override, else the framework's.
    pub fn theme_weight(&self, theme: &Theme) -> f64 {
        self.partnership
            .theme_weights
            .get(&theme.id)
            .copied()
            .unwrap_or(theme.weight)
    }
}

#[derive(Debug, Clone)]
pub struct Partnership {
    pub name: String,
    pub short_name: String,
    pub area: String,
    pub frameworks: Vec<String>,
    pub agencies: Vec<Agency>,
    pub theme_weights: BTreeMap<String, f64>,
    /// Strings the publication scan lets through (the partnership's own contact address).
    pub allow: Vec<String>,
    /// Contact for the accessibility statement and briefings, when given.
    pub contact: Option<String>,
    /// The date the board approved the publication (`[publication] approved`), when given.
    pub approved: Option<Date>,
    /// The smallest counts public pages may show.
    pub disclosure: Disclosure,
    /// The smallest move, in scale points, that counts as a rise or a fall (default 0.25).
    pub change_threshold: f64,
    /// How many of the latest deep dives weigh on a self-assessment's scores (default 2).
    pub evidence_window: usize,
    pub loc: Loc,
}

/// The smallest counts a public page may show (`[publication]` in partnership.toml): below
/// them a count could single out an agency, a case or a practitioner, so pages say "fewer
/// than N" instead.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Disclosure {
    pub min_agencies: usize,
    pub min_cases: usize,
    pub min_responses: usize,
}

impl Default for Disclosure {
    fn default() -> Disclosure {
        Disclosure {
            min_agencies: 3,
            min_cases: 5,
            min_responses: 10,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Agency {
    pub id: String,
    pub name: String,
    pub sector: Sector,
    pub statutory: bool,
    pub role: Option<AgencyRole>,
    /// Where `chase` writes to: an email address or a role mailbox (internal, never published).
    #[serde(skip)]
    pub contact: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Framework {
    pub id: String,
    pub title: String,
    pub summary: String,
    pub source: FrameworkSource,
    pub scale: Vec<ScaleLevel>,
    pub themes: Vec<Theme>,
    pub questions: Vec<Question>,
    /// Shipped inside the binary rather than written by the partnership.
    pub bundled: bool,
    /// Where its title is written: published texts name their source.
    pub loc: Loc,
}

impl Framework {
    pub fn question(&self, id: &str) -> Option<&Question> {
        self.questions.iter().find(|q| q.id == id)
    }

    pub fn theme(&self, id: &str) -> Option<&Theme> {
        self.themes.iter().find(|t| t.id == id)
    }

    pub fn top(&self) -> u32 {
        self.scale.last().map_or(0, |s| s.value)
    }

    pub fn bottom(&self) -> u32 {
        self.scale.first().map_or(0, |s| s.value)
    }

    pub fn level(&self, value: u32) -> Option<&ScaleLevel> {
        self.scale.iter().find(|s| s.value == value)
    }

    /// The scale level an aggregate rating is reported at: the nearest level, and the lower of
    /// two at a tie. The aggregate already leans towards the weakest agency, so rounding it down
    /// again would count that weakness twice; a tie still goes to the more cautious level.
    pub fn level_at(&self, rating: f64) -> &ScaleLevel {
        let mut best = &self.scale[0];
        for level in &self.scale {
            let (d, best_d) = (
                (f64::from(level.value) - rating).abs(),
                (f64::from(best.value) - rating).abs(),
            );
            if d < best_d - 1e-9 {
                best = level;
            }
        }
        best
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct FrameworkSource {
    pub publisher: String,
    pub publication: String,
    pub year: Option<i64>,
    pub url: String,
    pub licence: String,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScaleLevel {
    pub value: u32,
    pub label: String,
    pub rag: Rag,
    pub descriptor: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Theme {
    pub id: String,
    pub title: String,
    pub summary: String,
    pub weight: f64,
    /// Where the theme's summary (or, without one, its title) is written.
    #[serde(skip)]
    pub loc: Loc,
}

#[derive(Debug, Clone, Serialize)]
pub struct Question {
    pub id: String,
    pub theme: String,
    pub level: Level,
    pub text: String,
    pub prompts: Vec<String>,
    pub metrics: Vec<String>,
    /// Where the question's text is written.
    #[serde(skip)]
    pub loc: Loc,
}

#[derive(Debug, Clone)]
pub struct Cycle {
    pub id: String,
    pub title: String,
    pub period: String,
    pub method: Method,
    pub framework: String,
    pub opened: Date,
    pub closed: Date,
    /// Empty means every theme.
    pub scope_themes: Vec<String>,
    /// Empty means both levels.
    pub scope_levels: Vec<Level>,
    /// Agencies asked to take part; empty means every agency of the partnership.
    pub scope_agencies: Vec<String>,
    /// Markdown: what the cycle set out to learn.
    pub purpose: Option<String>,
    /// What was done, one line each.
    pub activities: Vec<String>,
    /// The cycle named in `compare_with`, when one is.
    pub compare_with: Option<String>,
    /// The day the round was signed off (`signed_off`): its evidence is fixed, later imports
    /// need `--force`, and a public build publishes its case and survey figures.
    pub signed_off: Option<Date>,
    /// What the cycle found (`findings.toml`): written to be published.
    pub findings: Vec<Finding>,
    /// Case records (`cases/<ref>.toml`), sorted by ref: internal, never published per case.
    pub cases: Vec<CaseRecord>,
    /// One per agency that returned, sorted by agency id.
    pub responses: Vec<Response>,
    pub moderation: Option<Moderation>,
    /// Practitioner surveys (`surveys/`), sorted by file name.
    pub surveys: Vec<Survey>,
    /// What was changed after sign-off (`changes.toml`, written by `import --force`), oldest
    /// first.
    pub changes: Vec<Change>,
    /// Where the cycle's title is written.
    pub loc: Loc,
}

/// A return or case record imported into a cycle after it was signed off: what changed and
/// when, never what it says.
#[derive(Debug, Clone)]
pub struct Change {
    pub date: Date,
    pub what: Changed,
    pub action: ChangeAction,
    /// The questions whose answers or judgements changed.
    pub questions: Vec<String>,
    /// Why (internal, never published).
    pub note: Option<String>,
    pub loc: Loc,
}

/// Whose evidence a change after sign-off touched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Changed {
    /// An agency's return (its id).
    Return(String),
    /// A case record (its reference).
    Case(String),
}

impl Cycle {
    pub fn in_scope(&self, q: &Question) -> bool {
        (self.scope_themes.is_empty() || self.scope_themes.contains(&q.theme))
            && (self.scope_levels.is_empty() || self.scope_levels.contains(&q.level))
    }

    /// The framework's questions this cycle asks, in framework order.
    pub fn questions<'a>(
        &'a self,
        framework: &'a Framework,
    ) -> impl Iterator<Item = &'a Question> + 'a {
        framework.questions.iter().filter(|q| self.in_scope(q))
    }

    /// Whether this cycle asks `agency` for a return.
    pub fn takes_part(&self, agency: &str) -> bool {
        self.scope_agencies.is_empty() || self.scope_agencies.iter().any(|a| a == agency)
    }

    /// The partnership's agencies that this cycle asks for a return, in partnership order.
    pub fn agencies<'a>(
        &'a self,
        partnership: &'a Partnership,
    ) -> impl Iterator<Item = &'a Agency> + 'a {
        partnership
            .agencies
            .iter()
            .filter(|a| self.takes_part(&a.id))
    }

    pub fn response(&self, agency: &str) -> Option<&Response> {
        self.responses.iter().find(|r| r.agency == agency)
    }

    pub fn moderated(&self, question: &str) -> Option<&ModeratedQuestion> {
        self.moderation
            .as_ref()
            .and_then(|m| m.questions.get(question))
    }
}

#[derive(Debug, Clone)]
pub struct Response {
    pub agency: String,
    pub completed_by: String,
    pub submitted: Option<Date>,
    pub answers: BTreeMap<String, Answer>,
    pub loc: Loc,
}

impl Response {
    /// Whether this return says exactly what `previous` (the agency's return in the comparable
    /// cycle before) said on `questions`, answers at least one of them, and has no submitted
    /// date of its own: a form pre-filled from last time and sent back untouched. It is then
    /// carried over unchanged, not a new return.
    pub fn carried_over_from(&self, previous: &Response, questions: &[&str]) -> bool {
        let new_date = self.submitted.is_some() && self.submitted != previous.submitted;
        let answered = questions.iter().any(|q| self.answers.contains_key(*q));
        answered
            && !new_date
            && questions
                .iter()
                .all(|q| match (self.answers.get(*q), previous.answers.get(*q)) {
                    (None, None) => true,
                    (Some(a), Some(b)) => a.says_the_same_as(b),
                    _ => false,
                })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rating {
    Value(u32),
    NotApplicable,
}

impl Rating {
    /// How every input writes "not applicable": `n/a` in any case, with any outer spaces.
    pub fn is_not_applicable_text(s: &str) -> bool {
        s.trim().eq_ignore_ascii_case("n/a")
    }

    /// A number read from a file or a cell as a rating on `fw`'s scale: a whole number that is
    /// one of the scale's values (`2.0` counts as 2), or None.
    pub fn on_scale(v: f64, fw: &Framework) -> Option<Rating> {
        let whole = v.is_finite() && v.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(&v);
        (whole && fw.level(v as u32).is_some()).then_some(Rating::Value(v as u32))
    }

    pub fn value(self) -> Option<u32> {
        match self {
            Rating::Value(v) => Some(v),
            Rating::NotApplicable => None,
        }
    }
}

impl fmt::Display for Rating {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Rating::Value(v) => write!(f, "{v}"),
            Rating::NotApplicable => f.write_str("n/a"),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Answer {
    pub rating: Rating,
    pub confidence: Confidence,
    pub evidence: String,
    pub gaps: Option<String>,
    /// Never published.
    pub internal: Option<String>,
    pub loc: Loc,
}

impl Answer {
    /// The same rating, confidence and words (wherever they are written).
    pub fn says_the_same_as(&self, other: &Answer) -> bool {
        self.rating == other.rating
            && self.confidence == other.confidence
            && self.evidence == other.evidence
            && self.gaps == other.gaps
            && self.internal == other.internal
    }
}

#[derive(Debug, Clone, Default)]
pub struct Moderation {
    pub moderated_on: Option<Date>,
    pub questions: BTreeMap<String, ModeratedQuestion>,
}

/// Good practice, a concern or learning from a cycle, with the questions it bears on.
#[derive(Debug, Clone)]
pub struct Finding {
    pub kind: FindingKind,
    pub title: String,
    /// Markdown, written to be published.
    pub text: String,
    pub questions: Vec<String>,
    /// Where its title is written.
    pub loc: Loc,
    /// Where its text is written.
    pub text_loc: Loc,
}

/// One audited case (`cases/<ref>.toml`). Everything in it is internal: public pages show case
/// figures only as aggregates (see `analysis::cases`).
#[derive(Debug, Clone)]
pub struct CaseRecord {
    pub reference: String,
    pub age_band: Option<AgeBand>,
    pub agencies: Vec<String>,
    pub audited_on: Date,
    /// By question id.
    pub findings: BTreeMap<String, CaseFinding>,
    pub loc: Loc,
}

#[derive(Debug, Clone)]
pub struct CaseFinding {
    pub judgement: Judgement,
    /// Agencies whose practice differed from the table's judgement.
    pub by_agency: BTreeMap<String, Judgement>,
    pub good_practice: Option<String>,
    pub learning: Option<String>,
    pub internal: Option<String>,
    pub loc: Loc,
}

#[derive(Debug, Clone)]
pub struct ModeratedQuestion {
    /// None: the panel wrote a summary but kept the agencies' aggregate.
    pub rating: Option<Rating>,
    /// Internal: never published.
    pub note: Option<String>,
    pub public_summary: Option<String>,
    /// The deep dives the panel weighed (`considered = ["2026-q1"]`), each with where it is
    /// named: a moderation dated on or after a deep dive's close that lists it resolves its
    /// conflict with the agencies (see `analysis::triangulate`).
    pub considered: Vec<(String, Loc)>,
    pub loc: Loc,
}

#[derive(Debug, Clone, Serialize)]
pub struct Comparator {
    pub label: String,
    pub value: f64,
    pub source: Option<String>,
    pub url: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Metric {
    pub id: String,
    pub title: String,
    pub definition: Option<String>,
    pub unit: String,
    pub better: Better,
    pub target: Option<f64>,
    pub comparator: Option<Comparator>,
    pub themes: Vec<String>,
    pub questions: Vec<String>,
    /// Period -> value; periods sort in time order as strings.
    pub values: BTreeMap<String, f64>,
    pub loc: Loc,
}

impl Metric {
    /// The latest value for a period at or before `period`, with its period.
    pub fn value_at(&self, period: &str) -> Option<(&str, f64)> {
        self.values
            .range::<str, _>((
                std::ops::Bound::Unbounded,
                std::ops::Bound::Included(period),
            ))
            .next_back()
            .map(|(p, v)| (p.as_str(), *v))
    }

    /// The value for the period before `period`'s value, for trend.
    pub fn previous_value(&self, period: &str) -> Option<(&str, f64)> {
        let (p, _) = self.value_at(period)?;
        self.values
            .range::<str, _>((std::ops::Bound::Unbounded, std::ops::Bound::Excluded(p)))
            .next_back()
            .map(|(p, v)| (p.as_str(), *v))
    }

    /// True when `value` is worse than `reference` in this metric's direction.
    pub fn worse(&self, value: f64, reference: f64) -> bool {
        match self.better {
            Better::Lower => value > reference,
            Better::Higher => value < reference,
            Better::Neither => false,
        }
    }
}

/// The days a period covers: a financial year `2024-25` runs from 1 April 2024 to 31 March
/// 2025, a quarter `2025-q3` is the calendar quarter (July to September 2025). None for a
/// period of any other form (validation refuses those).
pub fn period_span(period: &str) -> Option<(Date, Date)> {
    let year: u16 = period.get(..4)?.parse().ok()?;
    let rest = period.get(4..)?;
    let day = |y: u16, m: u8, d: u8| Date {
        year: y,
        month: m,
        day: d,
    };
    if let Some(q) = rest.strip_prefix("-q") {
        let q: u8 = q.parse().ok().filter(|q| (1..=4).contains(q))?;
        let first = 3 * (q - 1) + 1;
        let last_day = [31, 30, 30, 31][usize::from(q - 1)];
        return Some((day(year, first, 1), day(year, first + 2, last_day)));
    }
    let next: u16 = rest.strip_prefix('-')?.parse().ok()?;
    (next == (year + 1) % 100).then(|| (day(year, 4, 1), day(year + 1, 3, 31)))
}

#[derive(Debug, Clone)]
pub struct Action {
    pub id: String,
    pub title: String,
    pub owner: String,
    pub due: Date,
    pub status: ActionStatus,
    pub addresses: Vec<String>,
    pub effort: Option<Effort>,
    pub progress: Option<String>,
    /// The day it was completed (required once `status = "complete"`).
    pub completed: Option<Date>,
    /// The metrics it expects to move; None: those tied to the questions it addresses.
    pub metrics: Option<Vec<String>>,
    pub loc: Loc,
}

#[derive(Debug, Clone)]
pub struct Briefing {
    /// File name without `.md`.
    pub slug: String,
    pub title: String,
    pub date: Date,
    pub audience: Audience,
    pub summary: String,
    pub body: String,
    /// The cycle it reports on, when it names one.
    pub cycle: Option<String>,
    /// `draft = true`: shown marked as a draft inside the partnership, never published.
    pub draft: bool,
    pub loc: Loc,
    /// Line in the file where the body starts (for the publication scan).
    pub body_line: usize,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_parse_and_reject_impossible_days() {
        assert_eq!(
            Date::parse("2025-02-28").map(|d| d.to_string()).as_deref(),
            Some("2025-02-28")
        );
        assert!(Date::parse("2025-02-29").is_none());
        assert!(Date::parse("2024-02-29").is_some());
        assert!(Date::parse("2025-13-01").is_none());
        assert_eq!(Date::parse("2025-12-05").unwrap().long(), "5 December 2025");
    }

    fn metric(better: Better, values: &[(&str, f64)]) -> Metric {
        crate::analysis::testkit::metric("m", better, values)
    }

    #[test]
    fn metric_value_is_latest_at_or_before_the_period() {
        let m = metric(
            Better::Lower,
            &[("2023-24", 24.1), ("2024-25", 25.3), ("2026-27", 1.0)],
        );
        assert_eq!(m.value_at("2025-26"), Some(("2024-25", 25.3)));
        assert_eq!(m.value_at("2024-25"), Some(("2024-25", 25.3)));
        assert_eq!(m.previous_value("2025-26"), Some(("2023-24", 24.1)));
        assert_eq!(m.value_at("2022-23"), None);
    }

    #[test]
    fn an_aggregate_is_reported_at_the_nearest_level_and_ties_go_down() {
        let fw = crate::analysis::testkit::framework(&[0, 1, 2, 3], &[], &[]);
        let at = |r: f64| fw.level_at(r).value;
        assert_eq!((at(0.0), at(0.49), at(0.5), at(0.51)), (0, 0, 0, 1));
        assert_eq!((at(1.74), at(2.5), at(2.9), at(3.0)), (2, 2, 3, 3));
        assert_eq!((at(-1.0), at(9.0)), (0, 3));
    }

    #[test]
    fn periods_cover_a_financial_year_or_a_calendar_quarter() {
        let span = |p: &str| period_span(p).map(|(a, b)| (a.to_string(), b.to_string()));
        assert_eq!(
            span("2024-25"),
            Some(("2024-04-01".into(), "2025-03-31".into()))
        );
        assert_eq!(
            span("2025-q3"),
            Some(("2025-07-01".into(), "2025-09-30".into()))
        );
        assert_eq!(
            span("2026-q1"),
            Some(("2026-01-01".into(), "2026-03-31".into()))
        );
        assert_eq!(span("2024-26"), None);
        assert_eq!(span("2025-q5"), None);
    }

    #[test]
    fn context_metrics_are_never_worse() {
        let m = metric(Better::Neither, &[]);
        assert!(!m.worse(100.0, 1.0));
        assert!(metric(Better::Higher, &[]).worse(70.0, 80.0));
        assert!(metric(Better::Lower, &[]).worse(25.0, 20.0));
    }
}
