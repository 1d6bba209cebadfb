//! The bundled question banks and metric library: their shape, their sources, and that every
//! reference between them holds. These are what partnerships audit against, so a missing level,
//! a dangling metric id or a copied question would mislead every user.

use crate::common::*;
use panelaudit::diag::Diagnostics;
use panelaudit::load::{self, raw::FrameworkFile};
use std::collections::BTreeSet;

fn banks() -> Vec<FrameworkFile> {
    let mut diags = Diagnostics::new();
    let (frameworks, _) = load::bundled(&mut diags);
    assert!(!diags.has_errors(), "{}", diags.render());
    frameworks.into_iter().map(|p| p.value).collect()
}

fn library_ids() -> BTreeSet<String> {
    let mut diags = Diagnostics::new();
    let (_, library) = load::bundled(&mut diags);
    library
        .expect("the metric library parses")
        .value
        .metrics
        .iter()
        .map(|m| m.get_ref().id.get_ref().clone())
        .collect()
}

/// Every bundled bank, in listing order, with (themes, at least this many questions per level per
/// theme, at least this many questions in all).
const BANKS: [(&str, usize, usize, usize); 12] = [
    ("panel-2023-24", 4, 5, 45),
    ("panel-2022-23", 6, 3, 36),
    ("local-learning", 7, 2, 28),
    ("csa-family-2024", 3, 2, 12),
    ("race-racism-2025", 3, 2, 12),
    ("disabled-residential-2023", 3, 2, 12),
    ("cce-2020", 3, 2, 12),
    ("section-11", 4, 2, 16),
    ("reforms-2026", 4, 2, 16),
    ("arrangements-2023", 4, 2, 16),
    ("cp-england-2022", 4, 2, 16),
    ("ehe-2024", 3, 2, 12),
];

#[test]
fn every_bundled_bank_has_its_promised_themes_and_both_levels_in_each() {
    let banks = banks();
    let ids: Vec<&str> = banks.iter().map(|b| b.id.get_ref().as_str()).collect();
    let expected: Vec<&str> = BANKS.iter().map(|(id, ..)| *id).collect();
    assert_eq!(ids, expected, "the bundled banks, in listing order");
    for (bank, themes, per_level, total) in BANKS {
        let b = banks.iter().find(|b| b.id.get_ref() == bank).unwrap();
        assert!(!b.title.get_ref().trim().is_empty(), "{bank}: no title");
        assert_eq!(b.themes.get_ref().len(), themes, "{bank}");
        let questions = b.questions.get_ref();
        assert!(
            questions.len() >= total.max(12),
            "{bank}: {} questions",
            questions.len()
        );
        for level in ["strategic", "practitioner"] {
            assert!(
                questions
                    .iter()
                    .any(|q| q.get_ref().level.get_ref() == level),
                "{bank}: no {level} questions"
            );
        }
        for t in b.themes.get_ref() {
            let t = t.get_ref();
            assert!(
                !t.summary
                    .as_ref()
                    .map_or("", |s| s.get_ref().trim())
                    .is_empty(),
                "{bank}: theme {} has no summary",
                t.id.get_ref()
            );
            assert!(
                !t.title.get_ref().trim().is_empty(),
                "{bank}: theme {} has no title",
                t.id.get_ref()
            );
            for level in ["strategic", "practitioner"] {
                let n = questions
                    .iter()
                    .filter(|q| {
                        q.get_ref().theme.get_ref() == t.id.get_ref()
                            && q.get_ref().level.get_ref() == level
                    })
                    .count();
                assert!(
                    n >= per_level,
                    "{bank}: theme {} has {n} {level} questions",
                    t.id.get_ref()
                );
            }
        }
    }
}

/// Lowercase letters and digits in words joined by single hyphens.
fn is_id(id: &str) -> bool {
    !id.is_empty()
        && id.split('-').all(|w| {
            !w.is_empty()
                && w.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        })
}

#[test]
fn question_and_theme_ids_are_well_formed_and_unique_across_every_bank() {
    let mut questions = BTreeSet::new();
    let mut themes = BTreeSet::new();
    for b in banks() {
        let bank = b.id.get_ref().clone();
        assert!(is_id(&bank), "bank id {bank}");
        for t in b.themes.get_ref() {
            let id = t.get_ref().id.get_ref().clone();
            assert!(is_id(&id), "{bank}: theme id {id}");
            assert!(
                themes.insert(id.clone()),
                "{bank}: theme {id} is used twice"
            );
        }
        for q in b.questions.get_ref() {
            let id = q.get_ref().id.get_ref().clone();
            assert!(is_id(&id), "{bank}: question id {id}");
            assert!(
                questions.insert(id.clone()),
                "{bank}: question {id} is used in more than one place"
            );
        }
    }
}

#[test]
fn the_2023_24_bank_carries_the_reports_national_figures() {
    let b = banks()
        .into_iter()
        .find(|b| b.id.get_ref() == "panel-2023-24")
        .unwrap();
    let summaries: String = b
        .themes
        .get_ref()
        .iter()
        .filter_map(|t| t.get_ref().summary.as_ref().map(|s| s.get_ref().clone()))
        .collect();
    for figure in ["330", "485", "92%"] {
        assert!(
            summaries.contains(figure),
            "no {figure} in the theme summaries"
        );
    }
}

#[test]
fn every_question_has_distinct_prompts_library_metrics_and_text_found_nowhere_else() {
    let library = library_ids();
    let mut texts = BTreeSet::new();
    for b in banks() {
        let bank = b.id.get_ref().clone();
        for q in b.questions.get_ref() {
            let q = q.get_ref();
            let id = q.id.get_ref();
            let text = q.text.get_ref().trim();
            assert!(
                text.ends_with('?'),
                "{bank}/{id}: a question should read as one: {text}"
            );
            assert!(
                texts.insert(text.to_lowercase()),
                "{bank}/{id}: the same text appears twice: {text}"
            );
            let prompts: Vec<&str> = q.prompts.iter().map(|p| p.get_ref().trim()).collect();
            assert!(
                (2..=4).contains(&prompts.len()),
                "{bank}/{id}: {} prompts",
                prompts.len()
            );
            assert!(
                prompts.iter().all(|p| !p.is_empty()),
                "{bank}/{id}: an empty prompt"
            );
            let distinct: BTreeSet<&str> = prompts.iter().copied().collect();
            assert_eq!(
                distinct.len(),
                prompts.len(),
                "{bank}/{id}: a repeated prompt"
            );
            for m in &q.metrics {
                assert!(
                    library.contains(m.get_ref()),
                    "{bank}/{id}: metric {} is not in the library",
                    m.get_ref()
                );
            }
        }
    }
}

#[test]
fn every_bank_cites_its_source_and_says_the_questions_are_our_own_words() {
    for b in banks() {
        let bank = b.id.get_ref();
        let s = &b.source;
        // The Panel's reviews, or the statutory guidance itself for the section 11 standards.
        assert!(
            [
                "Child Safeguarding Practice Review Panel",
                "Department for Education"
            ]
            .contains(&s.publisher.get_ref().as_str()),
            "{bank}: publisher {}",
            s.publisher.get_ref()
        );
        assert!(
            !s.publication.get_ref().trim().is_empty(),
            "{bank}: no publication"
        );
        assert!(
            s.year.is_some_and(|y| (2020..=2026).contains(&y)),
            "{bank}: year"
        );
        assert!(
            s.url.get_ref().starts_with("https://www.gov.uk/"),
            "{bank}: {}",
            s.url.get_ref()
        );
        assert_eq!(
            s.licence.get_ref(),
            "Open Government Licence v3.0",
            "{bank}"
        );
        let said = format!(
            "{} {}",
            s.note.as_ref().map_or("", |n| n.get_ref()),
            b.summary.as_ref().map_or("", |n| n.get_ref())
        )
        .to_lowercase();
        assert!(
            said.contains("paraphrase"),
            "{bank}: does not say its questions are paraphrased"
        );
        assert!(
            said.contains("our own words") || said.contains("our own paraphrase"),
            "{bank}: does not say 'our own words'"
        );
    }
}

#[test]
fn every_bank_uses_the_four_assurance_levels_with_a_descriptor_each() {
    for b in banks() {
        let scale: Vec<(i64, String, String)> = b
            .scale
            .get_ref()
            .iter()
            .map(|l| {
                let l = l.get_ref();
                (
                    *l.value.get_ref(),
                    l.label.get_ref().clone(),
                    l.descriptor
                        .as_ref()
                        .map_or(String::new(), |d| d.get_ref().clone()),
                )
            })
            .collect();
        let labels: Vec<&str> = scale.iter().map(|(_, l, _)| l.as_str()).collect();
        assert_eq!(
            labels,
            [
                "No assurance",
                "Limited assurance",
                "Reasonable assurance",
                "Substantial assurance"
            ],
            "{}",
            b.id.get_ref()
        );
        assert_eq!(
            scale.iter().map(|(v, _, _)| *v).collect::<Vec<_>>(),
            [0, 1, 2, 3]
        );
        assert!(
            scale.iter().all(|(_, _, d)| d.len() > 20),
            "{}: a level lacks a descriptor",
            b.id.get_ref()
        );
    }
}

#[test]
fn the_metric_library_defines_direction_and_never_judges_context_counts() {
    let mut diags = Diagnostics::new();
    let (_, library) = load::bundled(&mut diags);
    let library = library.unwrap().value;
    let wanted = [
        "re-referrals-12m",
        "repeat-cp-plans",
        "cp-plans-2-years",
        "icpc-15-days",
        "assessments-45-days",
        "hv-new-birth-14-days",
        "camhs-wait-weeks",
        "missing-episodes",
        "ehe-children",
        "strategy-health-police",
        "gp-conference-contribution",
        "training-reach",
        "hv-12-month-review",
        "hv-2-year-review",
        "social-worker-turnover",
    ];
    let ids = library_ids();
    for w in wanted {
        assert!(ids.contains(w), "the library lacks {w}");
    }
    for m in &library.metrics {
        let m = m.get_ref();
        let id = m.id.get_ref();
        for (field, value) in [
            ("title", &m.title),
            ("definition", &m.definition),
            ("unit", &m.unit),
            ("better", &m.better),
        ] {
            assert!(
                value
                    .as_ref()
                    .is_some_and(|v| !v.get_ref().trim().is_empty()),
                "{id}: no {field}"
            );
        }
        if let Some(c) = &m.comparator {
            let c = c.get_ref();
            assert!(c.source.is_some(), "{id}: a comparator without its source");
            assert!(
                c.label.get_ref().contains("England 20"),
                "{id}: comparator {} should say England and its year",
                c.label.get_ref()
            );
        }
    }
    for context in [
        "ehe-children",
        "cme-children",
        "cin-rate",
        "serious-incident-notifications",
        "missing-episodes",
    ] {
        let m = library
            .metrics
            .iter()
            .map(|m| m.get_ref())
            .find(|m| m.id.get_ref() == context)
            .unwrap();
        assert_eq!(
            m.better.as_ref().unwrap().get_ref(),
            "neither",
            "{context} must never be coloured good or bad"
        );
    }
}

#[test]
fn a_partnership_using_every_bundled_bank_passes_check_with_no_problem_in_them() {
    let tmp = tempfile::tempdir().unwrap();
    let p = tmp.path().join("p");
    std::fs::create_dir(&p).unwrap();
    let frameworks: Vec<String> = banks()
        .iter()
        .map(|b| format!("\"{}\"", b.id.get_ref()))
        .collect();
    assert_eq!(frameworks.len(), BANKS.len());
    std::fs::write(
        p.join("partnership.toml"),
        format!(
            "name = \"Bank Check Partnership\"\nshort_name = \"BCP\"\nframeworks = [{}]\n\n[[agencies]]\nid = \"council\"\nname = \"Council\"\nsector = \"local-authority\"\nstatutory = true\n",
            frameworks.join(", ")
        ),
    )
    .unwrap();
    let out = run_in(tmp.path(), &["check", "p"]);
    assert_ok(&out);
    assert!(
        stdout(&out).contains("0 error(s), 0 warning(s)"),
        "{}",
        stdout(&out)
    );
}

/// The library's definition of a metric, so a test can ask what it says.
fn library_definition(id: &str) -> String {
    let mut diags = Diagnostics::new();
    let (_, library) = load::bundled(&mut diags);
    library
        .expect("the metric library parses")
        .value
        .metrics
        .iter()
        .map(|m| m.get_ref())
        .find(|m| m.id.get_ref() == id)
        .and_then(|m| m.definition.as_ref().map(|d| d.get_ref().clone()))
        .unwrap_or_else(|| panic!("the library has no definition for {id}"))
}

#[test]
fn timeliness_metrics_name_the_clock_they_count_from() {
    // DfE times initial conferences from the start of the section 47 enquiry; a library that
    // counted from the strategy discussion would make a partnership look late or early against
    // England for no reason.
    let icpc = library_definition("icpc-15-days");
    assert!(icpc.contains("start of the section 47 enquiry"), "{icpc}");
    assert!(!icpc.contains("of the strategy discussion that"), "{icpc}");
    let assessments = library_definition("assessments-45-days");
    assert!(assessments.contains("Which clock"), "{assessments}");
    assert!(assessments.contains("point of referral"), "{assessments}");
}

#[test]
fn the_toddler_years_question_reads_the_toddler_reviews_not_new_birth_visits() {
    let b = banks()
        .into_iter()
        .find(|b| b.id.get_ref() == "panel-2023-24")
        .unwrap();
    let metrics = |id: &str| -> Vec<String> {
        b.questions
            .get_ref()
            .iter()
            .map(|q| q.get_ref())
            .find(|q| q.id.get_ref() == id)
            .unwrap_or_else(|| panic!("no question {id}"))
            .metrics
            .iter()
            .map(|m| m.get_ref().clone())
            .collect()
    };
    assert_eq!(
        metrics("pmh-p-04"),
        ["hv-12-month-review", "hv-2-year-review"]
    );
    // Supervision is not measured by how many staff are in date with training.
    assert!(metrics("pf-s-04").is_empty());
}

/// The banks added for the 2024 to 2026 reforms, the partnership's own arrangements, child
/// protection and home education.
const NEW_BANKS: [&str; 4] = [
    "reforms-2026",
    "arrangements-2023",
    "cp-england-2022",
    "ehe-2024",
];

#[test]
fn each_bank_added_in_2026_is_listed_and_passes_check_on_its_own() {
    let listing = run_in(&repo(), &["frameworks"]);
    assert_ok(&listing);
    for bank in NEW_BANKS {
        assert!(
            stdout(&listing).lines().any(|l| l.starts_with(bank)),
            "`panelaudit frameworks` does not list {bank}:\n{}",
            stdout(&listing)
        );
        let shown = run_in(&repo(), &["frameworks", bank]);
        assert_ok(&shown);
        for level in ["(strategic)", "(practitioner)"] {
            assert!(
                stdout(&shown).contains(level),
                "{bank}: no {level} question shown"
            );
        }
        let tmp = tempfile::tempdir().unwrap();
        let p = tmp.path().join("p");
        std::fs::create_dir(&p).unwrap();
        std::fs::write(
            p.join("partnership.toml"),
            format!(
                "name = \"New Bank Partnership\"\nshort_name = \"NBP\"\nframeworks = [\"{bank}\"]\n\n[[agencies]]\nid = \"council\"\nname = \"Council\"\nsector = \"local-authority\"\nstatutory = true\n"
            ),
        )
        .unwrap();
        let out = run_in(tmp.path(), &["check", "p"]);
        assert_ok(&out);
        assert!(
            stdout(&out).contains("0 error(s), 0 warning(s)"),
            "{bank}: {}",
            stdout(&out)
        );
    }
}

/// Runs the copying check (`scripts/shared-runs.py`) with the given arguments from `cwd`.
fn shared_runs(cwd: &std::path::Path, args: &[&str]) -> std::process::Output {
    let script = repo().join("scripts/shared-runs.py");
    std::process::Command::new("python3")
        .arg(&script)
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("python3 runs (the README and the guide list Python 3 among what the tests need)")
}

#[test]
fn no_bundled_text_shares_a_run_of_eight_words_with_its_sources() {
    // Every string of every bank, the metric library, the worked example, the README and the
    // user guide (docs/src), against the source passages in tests/fixtures/sources: copying
    // is a run of eight or more words in common outside quotation marks.
    let out = shared_runs(&repo(), &[]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
    assert!(
        stdout(&out).contains(" 0 run(s) of 8 or more words"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn the_copying_check_finds_a_copied_run_and_lets_a_quotation_through() {
    let tmp = tempfile::tempdir().unwrap();
    let sources = tmp.path().join("sources");
    std::fs::create_dir(&sources).unwrap();
    std::fs::write(
        sources.join("act.txt"),
        "# url: https://example.test/act\nEach body must make arrangements for ensuring that its functions are discharged having regard to the need to safeguard children.\n",
    )
    .unwrap();
    let copied = tmp.path().join("copied.toml");
    std::fs::write(
        &copied,
        "summary = \"The duty: its functions are discharged having regard to the need to safeguard children, says the Act.\"\n",
    )
    .unwrap();
    let out = shared_runs(tmp.path(), &["--sources", "sources", "copied.toml"]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    assert!(
        stdout(&out).contains("copied.toml [summary]: 12 words shared with act.txt"),
        "{}",
        stdout(&out)
    );

    let quoted = tmp.path().join("quoted.toml");
    std::fs::write(
        &quoted,
        "summary = 'The duty is that \"its functions are discharged having regard to the need to safeguard children\" (the Act, s.11).'\n",
    )
    .unwrap();
    let out = shared_runs(tmp.path(), &["--sources", "sources", "quoted.toml"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
}
