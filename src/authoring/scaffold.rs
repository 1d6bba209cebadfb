//! Scaffolding for `panelaudit init`: a new partnership folder that passes `panelaudit check` as
//! it stands, with every file commented so a quality assurance team can fill it in without the
//! manual (a new cycle in an existing folder is `new_cycle`'s). It never overwrites anything: if
//! any file it would write exists, it writes nothing.

use crate::diag::{Diagnostics, suggest};
use crate::load;
use crate::model::Date;
use crate::source::display_path;
use std::path::{Path, PathBuf};

/// What init needs to know about the chosen framework.
struct FrameworkInfo {
    id: String,
    first_theme: Option<String>,
    first_question: Option<String>,
}

/// The cycle a scaffold starts with: the English financial year `date` falls in.
pub struct FirstCycle {
    pub id: String,
    pub opened: Date,
    pub closed: Date,
}

/// Financial years run April to March: 2025-09-01 is in 2025-26, 2026-02-01 too.
/// The return window opens on `today` and closes twelve weeks later.
pub fn first_cycle(today: Date) -> FirstCycle {
    let start = if today.month >= 4 {
        today.year
    } else {
        today.year.saturating_sub(1)
    };
    let id = format!("{start}-{:02}", (start + 1) % 100);
    let closed = today.add_days(84);
    FirstCycle {
        id,
        opened: today,
        closed,
    }
}

/// Why a partnership folder could not be started (nothing was written).
#[derive(Debug, thiserror::Error)]
pub enum ScaffoldError {
    #[error(
        "--name is empty: give the partnership's full name, e.g. --name \"Northmoor Safeguarding Children Partnership\""
    )]
    EmptyName,
    #[error("--name must be a single line of text")]
    NameNotOneLine,
    #[error("{}: exists and is not a folder", display_path(.0))]
    NotAFolder(PathBuf),
    /// No bundled bank nor one of the folder's own has this id; `known` are the bundled ones
    /// (id, title).
    #[error("{}", unknown_framework(.id, .known, .dir))]
    UnknownFramework {
        id: String,
        known: Vec<(String, String)>,
        dir: PathBuf,
    },
    /// Files the scaffold would write are there already.
    #[error(
        "{} already exist{}; init never overwrites a file, so nothing was written (move {} away, or choose another folder)",
        crate::source::display_paths(.0),
        if .0.len() == 1 { "s" } else { "" },
        if .0.len() == 1 { "it" } else { "them" }
    )]
    Exists(Vec<PathBuf>),
    #[error("cannot create {0}; nothing was left behind")]
    Create(#[source] crate::fsx::FsxError),
}

/// Names the banks there are, the nearest first, and where a partnership's own bank goes.
fn unknown_framework(id: &str, known: &[(String, String)], dir: &Path) -> String {
    let list = known
        .iter()
        .map(|(id, title)| format!("  {id}  {title}"))
        .collect::<Vec<_>>()
        .join("\n");
    let hint = suggest(id, known.iter().map(|(k, _)| k.as_str()))
        .map(|s| format!(" ({s})"))
        .unwrap_or_default();
    format!(
        "unknown framework `{id}`{hint}; the bundled question banks are:\n{list}\n(a partnership's own bank can be used by putting it in {}/frameworks/ first)",
        display_path(dir)
    )
}

/// Writes the scaffold; returns the files created.
pub fn scaffold(
    dir: &Path,
    name: &str,
    framework: &str,
    today: Date,
) -> Result<Vec<PathBuf>, ScaffoldError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(ScaffoldError::EmptyName);
    }
    if name.chars().any(char::is_control) {
        return Err(ScaffoldError::NameNotOneLine);
    }
    if dir.exists() && !dir.is_dir() {
        return Err(ScaffoldError::NotAFolder(dir.to_path_buf()));
    }
    let fw = find_framework(dir, framework)?;
    let cycle = first_cycle(today);
    let files = contents(name, &fw, &cycle);

    // Refuse before writing anything if a single file is already there.
    // An empty placeholder (.gitkeep) already there is simply kept.
    let files: Vec<(String, String)> = files
        .into_iter()
        .filter(|(rel, text)| !(text.is_empty() && dir.join(rel).is_file()))
        .collect();
    let existing: Vec<PathBuf> = files
        .iter()
        .map(|(rel, _)| dir.join(rel))
        .filter(|p| p.symlink_metadata().is_ok())
        .collect();
    if !existing.is_empty() {
        return Err(ScaffoldError::Exists(existing));
    }
    write_all(dir, &files)
}

/// Creates folders and files, undoing everything it made if one write fails.
fn write_all(dir: &Path, files: &[(String, String)]) -> Result<Vec<PathBuf>, ScaffoldError> {
    let files: Vec<(PathBuf, Vec<u8>)> = files
        .iter()
        .map(|(rel, text)| (dir.join(rel), text.clone().into_bytes()))
        .collect();
    crate::fsx::create_new_files(&files).map_err(ScaffoldError::Create)
}

fn find_framework(dir: &Path, id: &str) -> Result<FrameworkInfo, ScaffoldError> {
    let mut diags = Diagnostics::new();
    let mut known: Vec<(String, String)> = Vec::new();
    // The bundled banks, validated; a partnership's own bank is checked by `check` later.
    for f in crate::validate::bundled_frameworks(&mut diags) {
        if f.id == id {
            return Ok(FrameworkInfo {
                first_theme: f.themes.first().map(|t| t.id.clone()),
                first_question: f.questions.first().map(|q| q.id.clone()),
                id: f.id,
            });
        }
        known.push((f.id, f.title));
    }
    let info = |f: &load::raw::FrameworkFile| FrameworkInfo {
        id: f.id.get_ref().clone(),
        first_theme: f
            .themes
            .get_ref()
            .first()
            .map(|t| t.get_ref().id.get_ref().clone()),
        first_question: f
            .questions
            .get_ref()
            .first()
            .map(|q| q.get_ref().id.get_ref().clone()),
    };
    let local_dir = dir.join("frameworks");
    // Only the partnership folder's own banks: a link out of it is not read (check says so).
    let root = crate::source::canonical_root(dir);
    for path in load::sorted_entries(&local_dir) {
        if path.extension().is_none_or(|e| e != "toml") {
            continue;
        }
        let mut local_diags = Diagnostics::new();
        if !load::outside(&root, &path, &mut local_diags)
            && let Some(file) = load::read_source(&path, &mut local_diags)
            && let Some(f) = load::parse_toml::<load::raw::FrameworkFile>(&file, &mut local_diags)
            && f.id.get_ref() == id
        {
            return Ok(info(&f));
        }
    }
    Err(ScaffoldError::UnknownFramework {
        id: id.to_string(),
        known,
        dir: dir.to_path_buf(),
    })
}

/// "Northmoor Safeguarding Children Partnership" → "NSCP".
pub fn initials(name: &str) -> String {
    const SMALL: [&str; 6] = ["of", "and", "the", "for", "in", "&"];
    let s: String = name
        .split(|c: char| c.is_whitespace() || c == '-')
        .filter(|w| !SMALL.contains(&w.to_lowercase().as_str()))
        .filter_map(|w| w.chars().find(|c| c.is_alphanumeric()))
        .flat_map(char::to_uppercase)
        .collect();
    if s.is_empty() { "SCP".to_string() } else { s }
}

/// "Northmoor Safeguarding Children Partnership" → "Northmoor": the words before "Safeguarding".
pub fn area(name: &str) -> String {
    let words: Vec<&str> = name.split_whitespace().collect();
    match words
        .iter()
        .position(|w| w.eq_ignore_ascii_case("safeguarding"))
    {
        Some(i) if i > 0 => words[..i].join(" "),
        _ => name.to_string(),
    }
}

pub(crate) fn toml_str(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// Text safe inside a `#` comment line.
fn comment_text(s: &str) -> String {
    s.chars().filter(|c| !c.is_control()).collect()
}

/// (path relative to DIR, text) of every file the scaffold writes.
fn contents(name: &str, fw: &FrameworkInfo, cycle: &FirstCycle) -> Vec<(String, String)> {
    let theme = comment_text(fw.first_theme.as_deref().unwrap_or("theme-id"));
    let question = comment_text(fw.first_question.as_deref().unwrap_or("question-id"));
    let metric = comment_text(&example_metric());
    let cycle_dir = format!("cycles/{}", cycle.id);
    vec![
        (
            "partnership.toml".to_string(),
            partnership_toml(name, fw, &theme),
        ),
        ("metrics.toml".to_string(), metrics_toml(&metric, &theme)),
        ("actions.toml".to_string(), actions_toml(&question, cycle)),
        (
            format!("{cycle_dir}/cycle.toml"),
            cycle_toml(cycle, fw, &theme),
        ),
        (format!("{cycle_dir}/responses/.gitkeep"), String::new()),
        ("briefings/.gitkeep".to_string(), String::new()),
    ]
}

/// The id of the first metric in panelaudit's library, for the commented example.
fn example_metric() -> String {
    let mut diags = Diagnostics::new();
    load::bundled(&mut diags)
        .1
        .and_then(|l| {
            l.value
                .metrics
                .first()
                .map(|m| m.get_ref().id.get_ref().clone())
        })
        .unwrap_or_else(|| "re-referrals-12m".to_string())
}

/// partnership.toml: who the partnership is, a first agency, and its settings commented out.
fn partnership_toml(name: &str, fw: &FrameworkInfo, theme: &str) -> String {
    let area = area(name);
    let short = initials(name);
    let area_c = comment_text(&area);
    format!(
        r#"# {name_c}: who the partnership is, its agencies and its settings.
# Started by `panelaudit init`. Edit it, then run `panelaudit check` on this folder.

name = {name}
short_name = {short}
area = {area}
# The question banks this partnership audits against: bundled ids (`panelaudit frameworks`
# lists them) or the ids of the partnership's own banks in frameworks/.
frameworks = [{fw}]

# One [[agencies]] table for each agency that completes a return.
#   id         lowercase letters, digits and '-'; it names the agency's return file
#   sector     local-authority | police | health | education | early-years | probation
#              | youth-justice | voluntary | other
#   statutory  true for an agency with the section 11 duty (Children Act 2004): the three
#              safeguarding partners, NHS trusts, probation, youth justice; false for schools,
#              early years settings and the voluntary sector
[[agencies]]
id = "council"
name = {council}
sector = "local-authority"
statutory = true

# [[agencies]]
# id = "police"
# name = "{area_c} Police"
# sector = "police"
# statutory = true

# [[agencies]]
# id = "icb"
# name = "NHS {area_c} Integrated Care Board"
# sector = "health"
# statutory = true

# Optional: weigh a theme more (or less) when ranking risk; 1.0 leaves it as the framework has it.
# [priority]
# theme_weights = {{ "{theme}" = 1.2 }}

# Optional: settings for the public site.
# [publication]
# contact = "safeguarding@example.org"       # shown on the site and the return forms
# allow = ["safeguarding@example.org"]       # text the personal-data scan may let through
"#,
        name_c = comment_text(name),
        name = toml_str(name),
        short = toml_str(&short),
        area = toml_str(&area),
        fw = toml_str(&fw.id),
        council = toml_str(&format!("{area} Council children's services")),
    )
}

/// metrics.toml: how to give the partnership's figures, commented out.
fn metrics_toml(metric: &str, theme: &str) -> String {
    format!(
        r#"# Local metrics: the figures that bear on the questions.
# A metric from panelaudit's library (such as `{metric}`) needs only its id and values;
# any other metric also needs a title, unit and direction. Values may also go in metrics.csv
# (columns metric,period,value).
#
# [[metrics]]
# id = "{metric}"
# values = {{ "2023-24" = 24.1, "2024-25" = 25.3 }}
#
# [[metrics]]
# id = "audits-on-time"
# title = "Multi-agency audits completed on time"
# unit = "%"
# better = "higher"                 # lower | higher | neither
# target = 90.0
# themes = ["{theme}"]
# values = {{ "2024-25" = 78.0 }}
"#
    )
}

/// actions.toml: how to write the action plan, commented out.
fn actions_toml(question: &str, cycle: &FirstCycle) -> String {
    format!(
        r#"# The action plan: what the partnership will do to close the gaps the audit finds.
#
# [[actions]]
# id = "A01"
# title = "Multi-agency training on professional curiosity"
# owner = "Learning and Development Subgroup"   # a group or role, never a person's name
# due = {due}
# status = "not-started"            # not-started | in-progress | complete | dropped
# addresses = ["{question}"]         # the question ids it improves
# effort = "medium"                 # optional: small | medium | large
# progress = "What has been done so far (Markdown)."
"#,
        due = cycle.closed,
    )
}

/// The first cycle's cycle.toml: a self-assessment over the framework.
fn cycle_toml(cycle: &FirstCycle, fw: &FrameworkInfo, theme: &str) -> String {
    format!(
        r#"# One audit round. The folder's name, {id}, is the cycle's id: cycle ids sort in time order.
title = {title}
period = {period}                # the period whose metric values this cycle is read against
method = "self-assessment"       # self-assessment | tabletop | case-audit | survey | learning-review
framework = {fw}
opened = {opened}              # when the return forms go out
closed = {closed}              # when they are due back

# Optional: ask only some of the framework's questions (default: every question).
# [scope]
# themes = ["{theme}"]
# levels = ["strategic", "practitioner"]
"#,
        id = cycle.id,
        title = toml_str(&format!("Annual self-audit {}", cycle.id)),
        period = toml_str(&cycle.id),
        fw = toml_str(&fw.id),
        opened = cycle.opened,
        closed = cycle.closed,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    #[test]
    fn short_name_and_area_come_from_the_name() {
        assert_eq!(
            initials("Northmoor Safeguarding Children Partnership"),
            "NSCP"
        );
        assert_eq!(
            initials("City of York Safeguarding Children Partnership"),
            "CYSCP"
        );
        assert_eq!(initials("Bath and North East Somerset"), "BNES");
        assert_eq!(initials("---"), "SCP");
        assert_eq!(
            area("Northmoor Safeguarding Children Partnership"),
            "Northmoor"
        );
        assert_eq!(
            area("Safeguarding Partnership for Dale"),
            "Safeguarding Partnership for Dale"
        );
    }

    #[test]
    fn first_cycle_is_the_financial_year() {
        let c = first_cycle(d("2025-09-01"));
        assert_eq!(c.id, "2025-26");
        assert_eq!(c.closed.to_string(), "2025-11-24");
        assert_eq!(first_cycle(d("2026-03-31")).id, "2025-26");
        assert_eq!(first_cycle(d("2026-04-01")).id, "2026-27");
        assert_eq!(first_cycle(d("2099-12-01")).id, "2099-00");
        assert_eq!(
            first_cycle(d("2025-12-20")).closed.to_string(),
            "2026-03-14"
        );
    }

    #[test]
    fn a_cycle_closes_twelve_weeks_after_it_opens_across_month_and_year_ends() {
        assert_eq!(d("2025-12-01").add_days(84).to_string(), "2026-02-23");
        assert_eq!(d("2024-02-01").add_days(84).to_string(), "2024-04-25");
        assert_eq!(d("2024-03-01").add_days(-1).to_string(), "2024-02-29");
    }
}
