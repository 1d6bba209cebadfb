//! `panelaudit init`: a new partnership folder, or (with `--cycle`) a new cycle in one. The
//! scaffolding itself is `crate::authoring::scaffold`; this file parses nothing and prints the next steps.

use super::{EXIT_OK, EXIT_USAGE};
use crate::authoring::new_cycle::{Request, write_cycle};
use crate::authoring::scaffold::scaffold;
use crate::model::{Date, Method};
use crate::source::display_path;
use std::path::Path;

/// `init DIR --name NAME --framework ID` starts a partnership; `init DIR --cycle ID` adds a
/// cycle to one. Neither given is a usage error (the arguments parser says which).
pub fn dispatch(
    dir: &Path,
    name: Option<String>,
    framework: Option<String>,
    cycle: Option<String>,
    method: Method,
    opened: Option<Date>,
    closed: Option<Date>,
) -> u8 {
    match (cycle, name) {
        (Some(cycle), _) => new_cycle(
            dir,
            &Request {
                id: &cycle,
                method,
                framework: framework.as_deref(),
                opened,
                closed,
                today: Date::today(),
            },
        ),
        (None, Some(name)) => match framework {
            Some(fw) => run(dir, &name, &fw),
            None => {
                eprintln!(
                    "error: --framework is needed to start a partnership (`panelaudit frameworks` lists them)"
                );
                EXIT_USAGE
            }
        },
        (None, None) => EXIT_USAGE,
    }
}

pub fn run(dir: &Path, name: &str, framework: &str) -> u8 {
    let today = Date::today();
    match scaffold(dir, name, framework, today) {
        Ok(created) => {
            let shown = display_path(dir);
            println!("Started {} in {shown}:", name.trim());
            for p in &created {
                println!("  created {}", display_path(p));
            }
            println!("Next:");
            println!("  1. Add your agencies to {shown}/partnership.toml.");
            println!("  2. Check the folder:                  panelaudit check {shown}");
            println!(
                "  3. Make each agency's return form:    panelaudit forms {shown} --out forms"
            );
            println!(
                "  4. Bring the completed returns back:  panelaudit import {shown} RETURNS.xlsx"
            );
            EXIT_OK
        }
        Err(e) => super::fail(&e),
    }
}

/// `panelaudit init DIR --cycle ID [--method M]`: a new cycle in an existing partnership
/// folder (see `crate::authoring::new_cycle`), then what to do next for its method: forms for a
/// self-assessment, the pack for a tabletop or case audit, the survey file and its export for
/// a survey, the findings for a learning review.
pub fn new_cycle(dir: &Path, req: &Request<'_>) -> u8 {
    match write_cycle(dir, req) {
        Ok(w) => {
            let shown = display_path(dir);
            println!(
                "Started cycle {} ({}) in {shown}:",
                req.id,
                req.method.words()
            );
            println!("  created {}", display_path(&w.path));
            println!(
                "  period {}; open {} to {} ({}): change them in that file if they are not right",
                w.period, w.opened, w.closed, w.why
            );
            println!("Next:");
            println!("  1. Fill in its title, purpose, activities and scope in that file.");
            println!("  2. Check the folder:   panelaudit check {shown}");
            for line in next_steps(&shown, req, w.previous.as_deref()) {
                println!("{line}");
            }
            EXIT_OK
        }
        Err(e) => super::fail(&e),
    }
}

/// What to do after `check`, for the cycle's method.
fn next_steps(shown: &str, req: &Request<'_>, previous: Option<&str>) -> Vec<String> {
    let id = req.id;
    match req.method {
        Method::SelfAssessment => {
            let mut v = vec![format!(
                "  3. Make the forms:     panelaudit forms {shown} --cycle {id} --out forms"
            )];
            if let Some(p) = previous {
                v.push(format!(
                    "     (each starts from the agency's answers in {p}, to be reviewed and updated)"
                ));
            }
            v.push(format!(
                "  4. Bring them back:    panelaudit import {shown} forms-back/*.xlsx   (.xlsx or .ods)"
            ));
            v.push(format!(
                "  5. Chase who is late:  panelaudit chase {shown} --cycle {id} --out chase"
            ));
            v.push(format!(
                "  6. When all is in:     panelaudit signoff {shown} --cycle {id}"
            ));
            v
        }
        Method::Tabletop | Method::CaseAudit => vec![
            "  3. Narrow [scope] to the themes and the agencies at the table.".to_string(),
            format!(
                "  4. Make the pack:      panelaudit pack {shown} --cycle {id} --out pack --cases 8"
            ),
            format!("     ({id}-pack.html to print for the session, {id}-cases.xlsx to record the judgements in)"),
            format!("  5. After the session:  panelaudit import {shown} pack/{id}-cases.xlsx"),
            format!("  6. Write what it found in cycles/{id}/findings.toml, then: panelaudit signoff {shown} --cycle {id}"),
            "  A tabletop or case audit asks agencies for no return forms: `forms` is for self-assessments.".to_string(),
        ],
        Method::Survey => vec![
            "  3. Run the survey (Microsoft Forms, SmartSurvey, Google Forms), one statement a question.".to_string(),
            format!("  4. Save its export in cycles/{id}/surveys/: the .xlsx Microsoft Forms downloads, or a CSV."),
            format!("  5. Describe it in cycles/{id}/surveys/<name>.toml:"),
            "       title = \"Practitioner survey: ...\"".to_string(),
            "       responses = \"<the export's file name>\"".to_string(),
            "       [[items]]".to_string(),
            "       column = \"<a statement's column header in the export>\"".to_string(),
            "       questions = [\"<question id>\"]".to_string(),
            format!("  6. Check it, then when the survey has closed: panelaudit signoff {shown} --cycle {id}"),
            "  A survey asks agencies for no return forms: `forms` is for self-assessments.".to_string(),
        ],
        Method::LearningReview => vec![
            format!("  3. Write what the review found in cycles/{id}/findings.toml (a commented start is there)."),
            format!("  4. When it is agreed: panelaudit signoff {shown} --cycle {id}"),
        ],
    }
}
