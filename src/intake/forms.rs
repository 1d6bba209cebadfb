//! The forms that go out: one agency's return form for a cycle, pre-filled from what it has
//! returned, and why a cycle that collects no returns has none.

use super::response_file::on_file;
use crate::model::{Agency, Audit, Cycle, Method};
use crate::source::display_path;
use crate::xlsx::form::{self, FormInput};
use std::path::{Path, PathBuf};

/// Why a cycle that collects no returns gets no forms, and what its evidence comes from.
pub fn no_returns(audit: &Audit, cycle: &Cycle, dir: &Path) -> NoReturns {
    NoReturns {
        dir: dir.to_path_buf(),
        cycle: cycle.id.clone(),
        method: cycle.method,
        latest_self_assessment: audit
            .cycles
            .iter()
            .rfind(|c| c.method == Method::SelfAssessment)
            .map(|c| c.id.clone()),
    }
}

/// A cycle whose method asks agencies for no return forms: nothing to make, import or chase.
#[derive(Debug, thiserror::Error)]
#[error("{}", self.explain())]
pub struct NoReturns {
    pub dir: PathBuf,
    pub cycle: String,
    pub method: Method,
    /// The latest self-assessment, whose forms the user may have meant.
    pub latest_self_assessment: Option<String>,
}

impl NoReturns {
    /// Where this cycle's evidence comes from instead, and the forms they may have meant.
    fn explain(&self) -> String {
        let shown = display_path(&self.dir);
        let id = &self.cycle;
        let route = match self.method {
            Method::Tabletop | Method::CaseAudit => format!(
                "its evidence is the table's judgements on each case: make the facilitator's pack and recording workbook with `panelaudit pack {shown} --cycle {id} --out pack`, and import the workbook after the session"
            ),
            Method::Survey => format!(
                "its evidence is the practitioners' answers: save the survey's export (the .xlsx Microsoft Forms downloads, or a CSV) in cycles/{id}/surveys/ with a survey file naming it (see the user guide, docs/src/files/surveys.md)"
            ),
            _ => format!("its evidence is what it found: write it in cycles/{id}/findings.toml"),
        };
        let sa = self
            .latest_self_assessment
            .as_ref()
            .map(|sa| format!("; the forms for the latest self-assessment are `panelaudit forms {shown} --cycle {sa} --out FOLDER`"))
            .unwrap_or_default();
        format!(
            "cycle {id} is a {}, which asks agencies for no return forms: {route}{sa}",
            self.method.words()
        )
    }
}

/// One agency's form for a cycle, as .xlsx bytes, and what it is pre-filled from: the agency's
/// return in this cycle when there is one, else (a self-assessment) its answers in the last
/// self-assessment, for it to review and update, with the dates left for this round.
pub fn form_for(
    audit: &Audit,
    cycle: &Cycle,
    agency: &Agency,
) -> Result<(Vec<u8>, Option<String>), form::FormError> {
    let fw = audit.framework(&cycle.framework);
    let previous = (cycle.method == Method::SelfAssessment)
        .then(|| audit.comparable_cycle(cycle))
        .flatten();
    let written = |c: &Cycle| on_file(audit, c, &agency.id);
    let (prefill, from) = match written(cycle) {
        Some(d) => (Some(d), Some("pre-filled from its return".to_string())),
        None => match previous.and_then(|p| written(p).map(|d| (p, d))) {
            Some((p, mut d)) => {
                d.answers
                    .retain(|q, _| cycle.questions(fw).any(|x| &x.id == q));
                d.submitted = None;
                (
                    Some(d),
                    Some(format!("starting from its {} answers, to review", p.id)),
                )
            }
            None => (None, None),
        },
    };
    let input = FormInput {
        partnership: &audit.partnership,
        agency,
        cycle,
        framework: fw,
        prefill: prefill.as_ref(),
    };
    form::build(&input).map(|bytes| (bytes, from))
}
