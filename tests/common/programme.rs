//! A generated audit programme for the consistency tests: a fictional partnership with two
//! self-assessments, a tabletop audit, a case audit, two practitioner surveys, a learning
//! review, moderation, metrics and actions, its ratings and judgements drawn from a seed.

use std::fmt::Write as _;
use std::path::Path;

const AGENCIES: [(&str, &str, bool); 5] = [
    ("council", "local-authority", true),
    ("police", "police", true),
    ("icb", "health", true),
    ("schools", "education", false),
    ("health-trust", "health", false),
];
const QUESTIONS: [&str; 4] = ["mh-s-01", "mh-p-01", "oh-s-01", "oh-p-01"];
const PRACTICE: [&str; 2] = ["mh-p-01", "oh-p-01"];

/// A small deterministic generator (a linear congruential one: no dependency needed).
struct Draw(u64);

impl Draw {
    fn next(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

/// Writes the programme into `dir` (a partnership folder).
pub fn write(dir: &Path, seed: u64) {
    let mut d = Draw(seed);
    let fixture = super::repo().join("tests/fixtures/valid");
    std::fs::create_dir_all(dir.join("frameworks")).unwrap();
    std::fs::copy(
        fixture.join("frameworks/mini.toml"),
        dir.join("frameworks/mini.toml"),
    )
    .unwrap();
    std::fs::copy(fixture.join("metrics.toml"), dir.join("metrics.toml")).unwrap();
    let mut p = String::from(
        "name = \"Generated Safeguarding Children Partnership\"\nshort_name = \"GSCP\"\narea = \"Generated\"\nframeworks = [\"mini\"]\n",
    );
    for (id, sector, statutory) in AGENCIES {
        let _ = write!(
            p,
            "\n[[agencies]]\nid = \"{id}\"\nname = \"Generated {id}\"\nsector = \"{sector}\"\nstatutory = {statutory}\n"
        );
    }
    put(dir, "partnership.toml", &p);
    put(dir, "actions.toml", ACTIONS);
    self_assessment(dir, &mut d, "2024-25", "2024-09-02", "2024-11-29", None);
    cases(
        dir,
        &mut d,
        "2025-01-tabletop",
        "tabletop",
        "2025-01-13",
        "2025-02-28",
        6,
    );
    self_assessment(
        dir,
        &mut d,
        "2025-26",
        "2025-09-01",
        "2025-11-28",
        Some("2025-12-05"),
    );
    cases(
        dir,
        &mut d,
        "2026-q1",
        "case-audit",
        "2026-01-12",
        "2026-02-27",
        7,
    );
    survey(dir, &mut d, "2026-q2", "2026-04-13", "2026-05-01", 14);
    learning_review(dir);
}

fn put(dir: &Path, rel: &str, text: &str) {
    let path = dir.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn cycle_toml(title: &str, period: &str, method: &str, opened: &str, closed: &str) -> String {
    format!(
        "title = \"{title}\"\nperiod = \"{period}\"\nmethod = \"{method}\"\nframework = \"mini\"\nopened = {opened}\nclosed = {closed}\n"
    )
}

fn self_assessment(
    dir: &Path,
    d: &mut Draw,
    id: &str,
    opened: &str,
    closed: &str,
    moderated: Option<&str>,
) {
    put(
        dir,
        &format!("cycles/{id}/cycle.toml"),
        &cycle_toml(
            &format!("Self-audit {id}"),
            id,
            "self-assessment",
            opened,
            closed,
        ),
    );
    for (agency, _, _) in AGENCIES {
        // One agency in five sends nothing; the others answer most questions.
        if d.next(5) == 0 {
            continue;
        }
        let mut r = format!("agency = \"{agency}\"\ncompleted_by = \"Head of Service\"\n");
        for q in QUESTIONS {
            let roll = d.next(10);
            if roll == 0 {
                continue;
            }
            let rating = if roll == 1 {
                "\"n/a\"".to_string()
            } else {
                d.next(4).to_string()
            };
            let confidence = ["low", "medium", "high"][d.next(3) as usize];
            let _ = write!(
                r,
                "\n[answers.{q}]\nrating = {rating}\nconfidence = \"{confidence}\"\nevidence = \"Records were sampled.\"\n"
            );
        }
        put(dir, &format!("cycles/{id}/responses/{agency}.toml"), &r);
    }
    if let Some(on) = moderated {
        let rating = d.next(4);
        put(
            dir,
            &format!("cycles/{id}/moderation.toml"),
            &format!(
                "moderated_on = {on}\n\n[questions.mh-p-01]\nrating = {rating}\nnote = \"Weighed the returns.\"\npublic_summary = \"The panel agreed a rating after reading the returns.\"\n"
            ),
        );
    }
}

fn cases(dir: &Path, d: &mut Draw, id: &str, method: &str, opened: &str, closed: &str, n: usize) {
    let period = if id.starts_with("2025-01") {
        "2024-25"
    } else {
        id
    };
    let mut c = cycle_toml(&format!("Case audit {id}"), period, method, opened, closed);
    c.push_str(
        "[scope]\nlevels = [\"practitioner\"]\nagencies = [\"council\", \"police\", \"icb\"]\n",
    );
    put(dir, &format!("cycles/{id}/cycle.toml"), &c);
    for i in 1..=n {
        let mut k = format!(
            "ref = \"C{i:02}\"\nage_band = \"1-4\"\nagencies = [\"council\", \"police\"]\naudited_on = {closed}\n"
        );
        for q in PRACTICE {
            let j = ["met", "partly", "not-met", "not-met", "n/a"][d.next(5) as usize];
            let _ = write!(k, "\n[findings.{q}]\njudgement = \"{j}\"\n");
        }
        put(dir, &format!("cycles/{id}/cases/C{i:02}.toml"), &k);
    }
}

fn survey(dir: &Path, d: &mut Draw, id: &str, opened: &str, closed: &str, n: usize) {
    let mut c = cycle_toml(
        &format!("Practitioner survey {id}"),
        id,
        "survey",
        opened,
        closed,
    );
    c.push_str("[scope]\nlevels = [\"practitioner\"]\n");
    put(dir, &format!("cycles/{id}/cycle.toml"), &c);
    put(
        dir,
        &format!("cycles/{id}/surveys/practice.toml"),
        "title = \"Practice survey\"\nresponses = \"practice.csv\"\n\n[[items]]\ncolumn = \"I know who holds the risk\"\nquestions = [\"mh-p-01\"]\n\n[[items]]\ncolumn = \"Plans cover places and peers\"\nquestions = [\"oh-p-01\"]\n",
    );
    let scale = [
        "Strongly disagree",
        "Disagree",
        "Neither agree nor disagree",
        "Agree",
        "Strongly agree",
    ];
    let mut csv = String::from("ID,I know who holds the risk,Plans cover places and peers\n");
    for i in 1..=n {
        let _ = writeln!(
            csv,
            "{i},{},{}",
            scale[d.next(5) as usize],
            scale[d.next(5) as usize]
        );
    }
    put(dir, &format!("cycles/{id}/surveys/practice.csv"), &csv);
}

fn learning_review(dir: &Path) {
    let mut c = cycle_toml(
        "Learning review 2026",
        "2026-q3",
        "learning-review",
        "2026-07-01",
        "2026-07-31",
    );
    c.push_str("[scope]\nthemes = [\"outside-home\"]\n");
    put(dir, "cycles/2026-q3/cycle.toml", &c);
    put(
        dir,
        "cycles/2026-q3/findings.toml",
        "[[findings]]\nkind = \"learning\"\ntitle = \"Plans name places\"\ntext = \"Safety plans named places more often than last year.\"\nquestions = [\"oh-p-01\"]\n",
    );
}

const ACTIONS: &str = r#"[[actions]]
id = "A01"
title = "Interim support for children waiting"
owner = "Health subgroup"
due = 2025-10-31
status = "in-progress"
addresses = ["mh-s-01", "mh-p-01"]

[[actions]]
id = "A02"
title = "Refresh exploitation mapping"
owner = "Exploitation subgroup"
due = 2026-03-31
status = "not-started"
addresses = ["oh-s-01"]
"#;
