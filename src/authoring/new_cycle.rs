//! What `panelaudit init DIR --cycle ID` writes: a new cycle in an existing partnership folder,
//! set up for its method, with a period and a window that follow from the programme so far.
//!
//! - **Period**: the cycle's id when it is a period (`2026-27`, `2026-q3`), else the financial
//!   year its window opens in.
//! - **Window** (`opened`, `closed`): as given (`--opened`, `--closed`); else the window of the
//!   previous cycle of the same method, moved on by as many years or quarters as the period
//!   moved (a year after last year's self-assessment); else, for a first cycle of its method,
//!   from today (or the start of its period, when that is later), twelve weeks for a
//!   self-assessment and six for a deep dive. A window never overlaps the previous cycle of its
//!   method, and never opens before the latest cycle did (ids sort in time order).
//! - **Folders**: `responses/` for a self-assessment, `cases/` for a tabletop or case audit,
//!   `surveys/` for a survey, a commented `findings.toml` for a learning review.
//!
//! It never overwrites anything: a cycle that exists is refused and nothing is written.

use crate::authoring::scaffold::toml_str;
use crate::model::{Audit, Cycle, Date, Method};
use crate::source::display_path;
use std::path::{Path, PathBuf};

/// What `init --cycle` asks for.
pub struct Request<'a> {
    pub id: &'a str,
    pub method: Method,
    pub framework: Option<&'a str>,
    pub opened: Option<Date>,
    pub closed: Option<Date>,
    pub today: Date,
}

/// What was written, for `init` to report.
pub struct Written {
    pub path: PathBuf,
    pub period: String,
    pub opened: Date,
    pub closed: Date,
    /// Why the window is where it is ("a year after 2025-26's").
    pub why: String,
    /// The previous cycle of the same method, when there is one.
    pub previous: Option<String>,
}

/// Why a new cycle could not be started (nothing was written).
#[derive(Debug, thiserror::Error)]
pub enum NewCycleError {
    #[error(transparent)]
    Workspace(#[from] crate::workspace::WorkspaceError),
    #[error(
        "cycle id `{0}` is not valid: use lowercase letters, digits and hyphens that sort in time order, e.g. `2026-27` or `2026-q1`"
    )]
    BadId(String),
    #[error("cycle `{0}` already exists; init never overwrites, so nothing was written")]
    Exists(String),
    /// The id sorts before the latest cycle's; `better` is an id by the quarter it opens in,
    /// with its period, when one would sort after.
    #[error(
        "cycle `{id}` would sort before or at the latest cycle `{latest}`: cycle ids sort in time order, as text{}",
        .better.as_ref().map(|(b, p)| format!("; name it by the quarter it opens in, e.g. `--cycle {b}` (its period will still be {p})")).unwrap_or_default()
    )]
    OutOfOrder {
        id: String,
        latest: String,
        better: Option<(String, String)>,
    },
    #[error("framework `{0}` is not one this partnership lists in partnership.toml")]
    UnknownFramework(String),
    #[error("partnership.toml lists no framework")]
    NoFramework,
    #[error("the cycle would close ({closed}) before it opens ({opened}); nothing was written")]
    ClosesBeforeOpens { opened: Date, closed: Date },
    #[error(
        "{} already exists; init never overwrites, so nothing was written",
        display_path(.0)
    )]
    FolderExists(PathBuf),
    #[error("cannot create {0}; nothing was left behind")]
    Create(#[source] crate::fsx::FsxError),
}

/// Writes the new cycle's folder; an error (and nothing written) when it cannot be.
pub fn write_cycle(dir: &Path, req: &Request<'_>) -> Result<Written, NewCycleError> {
    let audit = crate::workspace::load_one(dir, "init --cycle")?;
    let id = req.id;
    if !crate::validate::is_valid_id(id) {
        return Err(NewCycleError::BadId(id.to_string()));
    }
    if audit.cycle(id).is_some() {
        return Err(NewCycleError::Exists(id.to_string()));
    }
    let previous = audit.cycles.iter().rev().find(|c| c.method == req.method);
    let period = cycle_period(id, req.method);
    if let Some(last) = audit.cycles.last()
        && last.id.as_str() >= id
    {
        return Err(out_of_order(&audit, req, previous, period, &last.id));
    }
    let framework = framework(&audit, req.framework, previous)?;
    let window = window(&audit, req, previous, period)?;
    let period = match period {
        Some(p) => p.to_string(),
        None => Period::year_of(window.0).to_string(),
    };
    let text = cycle_text(&audit, req, &framework, &period, window.clone());
    let cdir = dir.join("cycles").join(id);
    if cdir.exists() {
        return Err(NewCycleError::FolderExists(cdir));
    }
    let path = cdir.join("cycle.toml");
    let mut files = vec![(path.clone(), text.into_bytes())];
    files.push(match req.method {
        Method::SelfAssessment => (cdir.join("responses/.gitkeep"), Vec::new()),
        Method::Tabletop | Method::CaseAudit => (cdir.join("cases/.gitkeep"), Vec::new()),
        Method::Survey => (cdir.join("surveys/.gitkeep"), Vec::new()),
        Method::LearningReview => (cdir.join("findings.toml"), FINDINGS.as_bytes().to_vec()),
    });
    crate::fsx::create_new_files(&files).map_err(NewCycleError::Create)?;
    Ok(Written {
        path,
        period,
        opened: window.0,
        closed: window.1,
        why: window.2,
        previous: previous.map(|c| c.id.clone()),
    })
}

/// A learning review's findings file, to fill in.
const FINDINGS: &str = "# What the learning review found, written to be published (see the user guide, docs/src/files/findings.md).\n# One [[findings]] table each:\n#\n# [[findings]]\n# kind = \"learning\"                 # good-practice | concern | learning\n# title = \"A short title\"\n# text = \"\"\"Markdown, safe to publish: nothing that identifies a child, family or practitioner.\"\"\"\n# questions = [\"question-id\"]       # the practice questions it bears on\n";

/// The bank: `--framework` (one the partnership lists), else the previous cycle's of the same
/// method, else the partnership's first.
fn framework(
    audit: &Audit,
    given: Option<&str>,
    previous: Option<&Cycle>,
) -> Result<String, NewCycleError> {
    match given {
        Some(f) => {
            if !audit.frameworks.contains_key(f)
                && !audit.partnership.frameworks.iter().any(|x| x == f)
            {
                return Err(NewCycleError::UnknownFramework(f.to_string()));
            }
            Ok(f.to_string())
        }
        None => previous
            .map(|c| c.framework.clone())
            .or_else(|| audit.partnership.frameworks.first().cloned())
            .ok_or(NewCycleError::NoFramework),
    }
}

/// The period a new cycle is read against: its id when that is a period (`2026-27`, `2026-q3`),
/// or the period its id starts with (`2026-q3-self-assessment`); a self-assessment's period is
/// always a financial year (the one that quarter falls in).
fn cycle_period(id: &str, method: Method) -> Option<Period> {
    let p = Period::parse(id).or_else(|| {
        (id.get(7..8) == Some("-"))
            .then(|| id.get(..7).and_then(Period::parse))
            .flatten()
    })?;
    Some(match (method, p) {
        (Method::SelfAssessment, Period::Quarter(..)) => Period::year_of(p.start()),
        _ => p,
    })
}

/// Why an id that sorts before the latest cycle is refused, with an id that would work. Ids
/// sort as text, so once a programme has `2026-q2`, a cycle later in 2026 needs an id after it
/// (`2026-q3-...`), even when its period is the financial year `2026-27`.
fn out_of_order(
    audit: &Audit,
    req: &Request<'_>,
    previous: Option<&Cycle>,
    period: Option<Period>,
    latest: &str,
) -> NewCycleError {
    let mut better = None;
    let opened = window(audit, req, previous, period).map(|w| w.0).ok();
    if let Some(o) = opened.filter(|o| *o >= req.today.add_days(-366)) {
        let quarter = format!(
            "{}-q{}-{}",
            o.year,
            (o.month - 1) / 3 + 1,
            req.method.as_str()
        );
        if quarter.as_str() > latest && crate::validate::is_valid_id(&quarter) {
            let period = period.map_or_else(|| Period::year_of(o).to_string(), |p| p.to_string());
            better = Some((quarter, period));
        }
    }
    NewCycleError::OutOfOrder {
        id: req.id.to_string(),
        latest: latest.to_string(),
        better,
    }
}

/// How long a round is open when nothing says otherwise: twelve weeks for a self-assessment
/// (agencies need time to gather evidence), six for a deep dive.
fn default_days(method: Method) -> i64 {
    if method == Method::SelfAssessment {
        84
    } else {
        42
    }
}

/// (opened, closed, why).
type Window = (Date, Date, String);

fn window(
    audit: &Audit,
    req: &Request<'_>,
    previous: Option<&Cycle>,
    period: Option<Period>,
) -> Result<Window, NewCycleError> {
    let days = default_days(req.method);
    let (opened, closed, why) = match (req.opened, req.closed) {
        (Some(o), Some(c)) => (o, c, "as given".to_string()),
        (Some(o), None) => (o, o.add_days(days), "from --opened".to_string()),
        (None, Some(c)) => (c.add_days(-days), c, "to --closed".to_string()),
        (None, None) => derived(req, previous, period, days),
    };
    if closed < opened {
        return Err(NewCycleError::ClosesBeforeOpens { opened, closed });
    }
    if req.opened.is_some() || req.closed.is_some() {
        return Ok((opened, closed, why));
    }
    Ok(clear_of(audit, previous, (opened, closed, why)))
}

/// The window from the previous cycle of the method, or from the period and today.
fn derived(
    req: &Request<'_>,
    previous: Option<&Cycle>,
    period: Option<Period>,
    days: i64,
) -> Window {
    if let (Some(p), Some(now)) = (previous, period)
        && let Some(before) = Period::parse(&p.period).or_else(|| cycle_period(&p.id, p.method))
        && let Some(months) = before.months_to(now)
        && months > 0
    {
        let step = if months % 12 == 0 && months / 12 == 1 {
            "a year".to_string()
        } else if months == 3 {
            "a quarter".to_string()
        } else {
            format!("{months} months")
        };
        return (
            p.opened.add_months(months),
            p.closed.add_months(months),
            format!("{step} after {}'s window", p.id),
        );
    }
    let today = req.today;
    let opened = match period {
        Some(p) if p.start() > today => p.start(),
        Some(p) if p.end() < today => p.start(),
        _ => today,
    };
    let why = match period {
        Some(p) if opened == p.start() => format!("from the start of {p}"),
        _ => "from today".to_string(),
    };
    (opened, opened.add_days(days), why)
}

/// Moves a derived window clear of the previous cycle of its method (no overlap) and of the
/// latest cycle's opening (ids sort in time order), keeping its length.
fn clear_of(audit: &Audit, previous: Option<&Cycle>, w: Window) -> Window {
    let (mut opened, mut closed, mut why) = w;
    let length = days_between(opened, closed);
    let mut not_before = |day: Date, reason: String| {
        if opened < day {
            opened = day;
            closed = day.add_days(length);
            why = reason;
        }
    };
    if let Some(p) = previous {
        not_before(
            p.closed.add_days(1),
            format!("the day after {} closed", p.id),
        );
    }
    if let Some(latest) = audit.cycles.last() {
        not_before(latest.opened, format!("when {} opened", latest.id));
    }
    (opened, closed, why)
}

fn days_between(a: Date, b: Date) -> i64 {
    (0..=3660).find(|d| a.add_days(*d) >= b).unwrap_or(0)
}

/// A period as the files write it: a financial year (April to March) or a calendar quarter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Period {
    Year(u16),
    Quarter(u16, u8),
}

impl Period {
    fn parse(s: &str) -> Option<Period> {
        if crate::validate::period_problem(s).is_some() {
            return None;
        }
        let year: u16 = s.get(..4)?.parse().ok()?;
        match s.get(5..)? {
            q if q.starts_with('q') => Some(Period::Quarter(year, q[1..].parse().ok()?)),
            _ => Some(Period::Year(year)),
        }
    }

    /// The financial year a day falls in.
    fn year_of(d: Date) -> Period {
        Period::Year(if d.month >= 4 {
            d.year
        } else {
            d.year.saturating_sub(1)
        })
    }

    fn start(self) -> Date {
        let (year, month) = match self {
            Period::Year(y) => (y, 4),
            Period::Quarter(y, q) => (y, q * 3 - 2),
        };
        Date {
            year,
            month,
            day: 1,
        }
    }

    fn end(self) -> Date {
        let months = if matches!(self, Period::Year(_)) {
            12
        } else {
            3
        };
        self.start().add_months(months).add_days(-1)
    }

    /// Months from this period to `later`, when both are of one kind.
    fn months_to(self, later: Period) -> Option<i64> {
        match (self, later) {
            (Period::Year(a), Period::Year(b)) => Some((i64::from(b) - i64::from(a)) * 12),
            (Period::Quarter(a, qa), Period::Quarter(b, qb)) => {
                Some(((i64::from(b) - i64::from(a)) * 4 + i64::from(qb) - i64::from(qa)) * 3)
            }
            _ => None,
        }
    }
}

impl std::fmt::Display for Period {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Period::Year(y) => write!(f, "{y}-{:02}", (y + 1) % 100),
            Period::Quarter(y, q) => write!(f, "{y}-q{q}"),
        }
    }
}

/// "Annual self-audit 2027-28", "Multi-agency tabletop audit 2026-q4": the method and the
/// cycle's id, or its period when the id is longer than one (`2027-q3-self-assessment`).
fn title(req: &Request<'_>, period: &str) -> String {
    let label = if Period::parse(req.id).is_some() {
        req.id
    } else {
        period
    };
    if req.method == Method::SelfAssessment {
        return format!("Annual self-audit {label}");
    }
    let mut words = req.method.words().to_string();
    if let Some(f) = words.get_mut(..1) {
        f.make_ascii_uppercase();
    }
    format!("{words} {label}")
}

/// cycle.toml's text, commented for the method.
fn cycle_text(
    audit: &Audit,
    req: &Request<'_>,
    framework: &str,
    period: &str,
    w: Window,
) -> String {
    let method = req.method;
    let agencies: Vec<String> = audit
        .partnership
        .agencies
        .iter()
        .map(|a| toml_str(&a.id))
        .collect();
    let who = match method {
        Method::SelfAssessment => "Every agency makes a return; remove those that do not.",
        Method::Tabletop | Method::CaseAudit => {
            "The agencies at the table: a deep dive often asks only a few."
        }
        Method::Survey | Method::LearningReview => {
            "The agencies whose practitioners or records it draws on."
        }
    };
    format!(
        "# A new {m} cycle, started by `panelaudit init --cycle`.\ntitle = {title}\nperiod = {period}                # the period whose metric values it is read against\nmethod = \"{ms}\"\nframework = {fw}\nopened = {opened}\nclosed = {closed}              # {why}\n# What the cycle sets out to learn (Markdown), and what you will do:\n# purpose = \"\"\"...\"\"\"\n# activities = [\"...\"]\n\n[scope]\n# Narrow to the themes and levels this cycle asks, e.g. themes = [\"...\"]\n# {who}\nagencies = [{agencies}]\n",
        m = method.words(),
        title = toml_str(&title(req, period)),
        period = toml_str(period),
        ms = method.as_str(),
        fw = toml_str(framework),
        opened = w.0,
        closed = w.1,
        why = w.2,
        agencies = agencies.join(", "),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    #[test]
    fn periods_know_their_days_and_the_distance_between_them() {
        let y = Period::parse("2026-27").unwrap();
        assert_eq!((y.start(), y.end()), (d("2026-04-01"), d("2027-03-31")));
        let q = Period::parse("2026-q4").unwrap();
        assert_eq!((q.start(), q.end()), (d("2026-10-01"), d("2026-12-31")));
        assert_eq!(Period::parse("2025-26").unwrap().months_to(y), Some(12));
        assert_eq!(Period::parse("2026-q2").unwrap().months_to(q), Some(6));
        assert_eq!(y.months_to(q), None);
        assert!(Period::parse("2026-03-tabletop").is_none());
        assert_eq!(Period::year_of(d("2026-02-10")).to_string(), "2025-26");
        assert_eq!(Period::year_of(d("2026-04-01")).to_string(), "2026-27");
    }

    #[test]
    fn months_are_added_to_the_same_day_or_the_months_last() {
        assert_eq!(d("2025-09-01").add_months(12), d("2026-09-01"));
        assert_eq!(d("2026-01-31").add_months(1), d("2026-02-28"));
        assert_eq!(d("2024-02-29").add_months(12), d("2025-02-28"));
        assert_eq!(days_between(d("2025-09-01"), d("2025-11-28")), 88);
    }
}
