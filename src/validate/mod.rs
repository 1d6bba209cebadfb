//! Stage 2: cross-check everything loaded and build the validated `Audit`. Every problem is
//! collected with its place; nothing stops at the first. One file per input kind; they share
//! the checks in `common` and the banks in use through [`Known`].

mod actions;
mod briefing;
pub(crate) mod case;
mod changes;
mod common;
mod cycle;
mod framework;
mod limits;
mod metrics;
mod moderation;
mod partnership;
mod response;
mod scope;
mod survey;

use crate::diag::{Code, Diagnostics, suggest};
use crate::load::RawAudit;
use crate::load::raw::S;
use crate::model::{Audit, Framework, Metric, Partnership};
use crate::scan::Scanner;
use common::F;
use std::collections::{BTreeMap, BTreeSet};

pub use common::is_valid_id;
pub use metrics::period_problem;
pub use partnership::email_address;

/// The question banks shipped in the binary, validated as a partnership's own would be (in
/// listing order). Problems in them go to `diags`: a test keeps them at none.
pub fn bundled_frameworks(diags: &mut Diagnostics) -> Vec<Framework> {
    let (parsed, _) = crate::load::bundled(diags);
    parsed
        .iter()
        .filter_map(|p| framework::framework(p, true, diags))
        .collect()
}

/// Checks a metric's question and theme ids against the frameworks in use.
struct Known<'a> {
    frameworks: &'a BTreeMap<String, Framework>,
}

impl Known<'_> {
    fn question_ids(&self) -> impl Iterator<Item = &str> {
        self.frameworks
            .values()
            .flat_map(|f| f.questions.iter().map(|q| q.id.as_str()))
    }
    fn theme_ids(&self) -> impl Iterator<Item = &str> {
        self.frameworks
            .values()
            .flat_map(|f| f.themes.iter().map(|t| t.id.as_str()))
    }
    fn has_question(&self, id: &str) -> bool {
        self.question_ids().any(|q| q == id)
    }
    fn has_theme(&self, id: &str) -> bool {
        self.theme_ids().any(|t| t == id)
    }
    fn check_question(&self, file: &F, id: &S<String>, diags: &mut Diagnostics) {
        if !self.has_question(id.get_ref()) {
            let d = diags.error(
                Code::UnknownReference,
                file,
                id.span(),
                format!("unknown question `{}`", id.get_ref()),
            );
            if let Some(s) = suggest(id.get_ref(), self.question_ids()) {
                d.with_help(s);
            } else {
                d.with_help("questions come from the frameworks listed in partnership.toml");
            }
        }
    }
    fn check_theme(&self, file: &F, id: &S<String>, diags: &mut Diagnostics) {
        if !self.has_theme(id.get_ref()) {
            let d = diags.error(
                Code::UnknownReference,
                file,
                id.span(),
                format!("unknown theme `{}`", id.get_ref()),
            );
            if let Some(s) = suggest(id.get_ref(), self.theme_ids()) {
                d.with_help(s);
            }
        }
    }
}

/// Every question bank by id, with its file: bundled, then the partnership's own.
type AllFrameworks = BTreeMap<String, (Framework, F)>;

/// Validates a loaded partnership folder. Returns the audit only when there were no errors.
pub fn validate(raw: &RawAudit, diags: &mut Diagnostics) -> Option<Audit> {
    let errors_before = diags.error_count();
    let (deny, scanner) = scanner(raw, diags);

    // Inputs far beyond any real partnership are refused before any check walks them.
    if limits::counts(raw, diags) {
        return None;
    }
    limits::markdown(raw, diags);

    let (all_frameworks, broken) = all_frameworks(raw, diags);
    let partnership = partnership_of(raw, &all_frameworks, &broken, diags)?;
    let used = frameworks_used(raw, &partnership, &all_frameworks);
    let frameworks: BTreeMap<String, Framework> = used
        .iter()
        .filter_map(|id| all_frameworks.get(id).map(|(f, _)| (id.clone(), f.clone())))
        .collect();
    let known = Known {
        frameworks: &frameworks,
    };
    check_theme_weights(raw, &known, diags);

    let metrics = metrics::metrics(raw, raw.library.as_ref(), &known, diags);
    untracked_metrics(raw, &all_frameworks, &used, &metrics, diags);

    let metric_ids: Vec<&str> = metrics.iter().map(|m| m.id.as_str()).collect();
    let actions = actions::actions(raw, &known, &metric_ids, diags);
    // Returns are read across agencies: the publication scan's kinds, allow and deny lists
    // apply to their text too (as warnings).
    let cycles = cycle::cycles(
        raw,
        &partnership,
        &frameworks,
        &all_frameworks,
        &broken,
        &scanner,
        diags,
    );
    let briefings = briefing::briefings(&raw.briefings, &cycles, diags);
    briefing::links(&raw.briefings, &briefings, &cycles, &frameworks, diags);
    briefing::dated_before_evidence(&raw.briefings, &briefings, &cycles, diags);

    if diags.error_count() > errors_before {
        return None;
    }
    Some(Audit {
        dir: raw.dir.clone(),
        folder: raw.folder.clone(),
        partnership,
        frameworks,
        metrics,
        actions,
        cycles,
        briefings,
        deny,
        templates: raw
            .templates
            .iter()
            .map(|(n, f)| (n.clone(), f.text.clone()))
            .collect(),
        sources: raw.sources(),
        compiled_scanner: std::sync::OnceLock::from(scanner.as_ref().clone()),
    })
}

/// The question banks, bundled then the partnership's own (a local bank may not take a
/// bundled bank's id, nor another's), and the ids of local banks with errors of their own:
/// those are not reported again as unknown.
fn all_frameworks(raw: &RawAudit, diags: &mut Diagnostics) -> (AllFrameworks, BTreeSet<String>) {
    let mut all: AllFrameworks = BTreeMap::new();
    let mut broken: BTreeSet<String> = BTreeSet::new();
    for p in &raw.bundled_frameworks {
        if let Some(fw) = framework::framework(p, true, diags) {
            all.insert(fw.id.clone(), (fw, p.file.clone()));
        }
    }
    for p in &raw.local_frameworks {
        let id = p.value.id.get_ref();
        if let Some((existing, _)) = all.get(id) {
            let whose = if existing.bundled {
                "a bundled question bank"
            } else {
                "another file in frameworks/"
            };
            diags
                .error(
                    Code::DuplicateId,
                    &p.file,
                    p.value.id.span(),
                    format!("framework id `{id}` is already used by {whose}"),
                )
                .with_help("give your copy its own id, e.g. `northmoor-learning`");
            continue;
        }
        match framework::framework(p, false, diags) {
            Some(fw) => {
                all.insert(fw.id.clone(), (fw, p.file.clone()));
            }
            None => {
                broken.insert(id.clone());
            }
        }
    }
    (all, broken)
}

/// partnership.toml, validated; when it cannot be, nothing else is cross-checked (every other
/// file names agencies and banks it defines), and a warning says so.
fn partnership_of(
    raw: &RawAudit,
    all: &AllFrameworks,
    broken: &BTreeSet<String>,
    diags: &mut Diagnostics,
) -> Option<Partnership> {
    let partnership = raw
        .partnership
        .as_ref()
        .and_then(|p| partnership::partnership(p, all, broken, diags));
    if partnership.is_none()
        && (!raw.cycles.is_empty() || raw.actions.is_some() || raw.metrics.is_some())
    {
        diags.path_warning(Code::NotCrossChecked,
            format!("{}/partnership.toml", raw.display_dir),
            "the other files were read but not cross-checked: they are checked against partnership.toml once it can be read",
        );
    }
    partnership
}

/// The frameworks this audit uses: those listed, and those its cycles name.
fn frameworks_used(
    raw: &RawAudit,
    partnership: &Partnership,
    all: &AllFrameworks,
) -> BTreeSet<String> {
    let mut used: BTreeSet<String> = partnership.frameworks.iter().cloned().collect();
    for c in &raw.cycles {
        if let Some(cf) = &c.cycle {
            let id = cf.value.framework.get_ref();
            if all.contains_key(id) {
                used.insert(id.clone());
            }
        }
    }
    used
}

/// `[priority] theme_weights`: themes of the banks in use, each weighed above 0 and at most 10.
fn check_theme_weights(raw: &RawAudit, known: &Known<'_>, diags: &mut Diagnostics) {
    let Some(p) = &raw.partnership else {
        return;
    };
    for (theme, w) in p.value.priority.iter().flat_map(|s| s.theme_weights.iter()) {
        known.check_theme(&p.file, theme, diags);
        if !(w.get_ref().is_finite() && *w.get_ref() > 0.0 && *w.get_ref() <= 10.0) {
            diags.error(
                Code::OutOfRange,
                &p.file,
                w.span(),
                "a theme weight must be a number above 0 and at most 10",
            );
        }
    }
}

/// Question banks may name metrics the partnership does not track: a warning, not an error
/// (and none for a bundled bank).
fn untracked_metrics(
    raw: &RawAudit,
    all: &AllFrameworks,
    used: &BTreeSet<String>,
    metrics: &[Metric],
    diags: &mut Diagnostics,
) {
    let library = raw.library.as_ref();
    for (id, (fw, file)) in all {
        if !used.contains(id) {
            continue;
        }
        for q in &fw.questions {
            for m in &q.metrics {
                if metrics.iter().any(|x| &x.id == m) || fw.bundled {
                    continue;
                }
                let in_library = library.is_some_and(|l| {
                    l.value
                        .metrics
                        .iter()
                        .any(|e| e.get_ref().id.get_ref() == m)
                });
                let at = file.text.find(&format!("\"{m}\"")).unwrap_or(0);
                let msg = if in_library {
                    format!(
                        "question `{}` names metric `{m}`, which this partnership does not track in metrics.toml",
                        q.id
                    )
                } else {
                    format!(
                        "question `{}` names metric `{m}`, which is neither in the metric library nor in metrics.toml",
                        q.id
                    )
                };
                diags.warning(Code::UntrackedMetric, file, at..at + m.len() + 2, msg);
            }
        }
    }
}

/// The deny list and the partnership's personal-data scanner, compiled first of all: every
/// problem printed about this partnership, from loading on, is masked with it.
fn scanner(raw: &RawAudit, diags: &mut Diagnostics) -> (Vec<String>, std::sync::Arc<Scanner>) {
    let deny = raw
        .deny
        .as_ref()
        .map(|f| limits::deny_list(f, diags))
        .unwrap_or_default();
    let allow: Vec<String> = raw
        .partnership
        .as_ref()
        .and_then(|p| p.value.publication.as_ref())
        .map(|pb| pb.allow.iter().map(|a| a.get_ref().clone()).collect())
        .unwrap_or_default();
    let scanner = std::sync::Arc::new(Scanner::new(&allow, &deny));
    diags.mask_with(scanner.clone());
    (deny, scanner)
}

#[cfg(test)]
mod tests {
    use super::*;
    use common::is_valid_action_id;

    #[test]
    fn ids_are_lowercase_words_joined_by_single_hyphens() {
        assert!(is_valid_id("extra-familial-harm"));
        assert!(is_valid_id("cmh-s-01"));
        assert!(!is_valid_id("Police"));
        assert!(!is_valid_id("a--b"));
        assert!(!is_valid_id("-a"));
        assert!(!is_valid_id("a b"));
        assert!(!is_valid_id(""));
        assert!(is_valid_action_id("A01"));
        assert!(!is_valid_action_id("A 01"));
    }
}
