//! The audit programme's rules that do not depend on a second method: what "today" is.

use crate::common::*;
use serde_json::Value;

fn overdue_actions(envs: &[(&str, &str)], args: &[&str]) -> Vec<String> {
    let mut cmd = std::process::Command::new(bin());
    cmd.current_dir(repo())
        .args(["rank", "audits/example", "--format", "json"])
        .args(args);
    for (k, v) in envs {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut ids: Vec<String> = json["actions"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["overdue"] == true)
        .map(|a| a["action"].as_str().unwrap().to_string())
        .collect();
    ids.sort();
    ids
}

#[test]
fn overdue_is_judged_on_source_date_epoch_or_as_of_never_the_cycle_close() {
    // 28 November 2025: actions due 30 September and 31 October 2025 and still open.
    let autumn = overdue_actions(&[("SOURCE_DATE_EPOCH", "1764288000")], &[]);
    assert_eq!(autumn, ["A01", "A06", "A08"], "as at 28 November 2025");
    // 1 July 2026: those, and the ones due by 30 June 2026 that are still open.
    let summer = overdue_actions(&[("SOURCE_DATE_EPOCH", "1782864000")], &[]);
    for id in &autumn {
        assert!(
            summer.contains(id),
            "{id} is still overdue later: {summer:?}"
        );
    }
    assert!(summer.len() > autumn.len(), "{summer:?}");
    // --as-of wins over the environment.
    let given = overdue_actions(
        &[("SOURCE_DATE_EPOCH", "1782864000")],
        &["--as-of", "2025-11-28"],
    );
    assert_eq!(given, autumn);
}

#[test]
fn the_site_states_the_date_it_judged_overdue_on() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    let mut cmd = std::process::Command::new(bin());
    let o = cmd
        .current_dir(repo())
        .env("SOURCE_DATE_EPOCH", "1782864000")
        .args(["build", "audits/example", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", text(&o.stderr));
    let actions = std::fs::read_to_string(out.join("actions/index.html")).unwrap();
    assert!(
        actions.contains("1 July 2026"),
        "the actions page names its date"
    );

    let o = run_in(
        &repo(),
        &[
            "build",
            "audits/example",
            "--as-of",
            "2026-2-1",
            "--out",
            "x",
        ],
    );
    assert_eq!(
        o.status.code(),
        Some(2),
        "a loosely written date is a usage error"
    );
    assert!(text(&o.stderr).contains("YYYY-MM-DD"));
}

#[test]
fn init_starts_a_cycle_that_checks_and_whose_forms_start_from_last_years_answers() {
    let tmp = tempfile::tempdir().unwrap();
    let p = tmp.path().join("p");
    copy_tree(&repo().join("tests/fixtures/valid"), &p);
    let out = run_in(tmp.path(), &["init", "p", "--cycle", "2026-27"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let cycle = std::fs::read_to_string(p.join("cycles/2026-27/cycle.toml")).unwrap();
    assert!(cycle.contains("method = \"self-assessment\""), "{cycle}");
    assert!(
        cycle.contains("agencies = [\"council\", \"police\"]"),
        "the agencies carried: {cycle}"
    );
    let check = run_in(tmp.path(), &["check", "p"]);
    assert_eq!(check.status.code(), Some(0), "{}", text(&check.stderr));
    let forms = run_in(
        tmp.path(),
        &["forms", "p", "--cycle", "2026-27", "--out", "forms"],
    );
    assert_eq!(forms.status.code(), Some(0), "{}", text(&forms.stderr));
    assert!(
        text(&forms.stdout).contains("starting from its 2025-26 answers, to review"),
        "{}",
        text(&forms.stdout)
    );
    // Never twice, never out of order.
    let again = run_in(tmp.path(), &["init", "p", "--cycle", "2026-27"]);
    assert_eq!(again.status.code(), Some(1));
    assert!(text(&again.stderr).contains("already exists"));
    let early = run_in(
        tmp.path(),
        &["init", "p", "--cycle", "2020-21", "--method", "tabletop"],
    );
    assert_eq!(early.status.code(), Some(1));
    assert!(text(&early.stderr).contains("sort in time order"));
}

#[test]
fn a_later_deep_dive_never_replaces_the_main_report_and_every_cycle_can_be_built() {
    let tmp = tempfile::tempdir().unwrap();
    let p = tmp.path().join("p");
    copy_tree(&repo().join("tests/fixtures/valid"), &p);
    let out = run_in(
        tmp.path(),
        &["init", "p", "--cycle", "2026-q1", "--method", "tabletop"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let built = run_in(tmp.path(), &["build", "p", "--out", "site"]);
    assert_eq!(built.status.code(), Some(0), "{}", text(&built.stderr));
    let index = std::fs::read_to_string(tmp.path().join("site/index.html")).unwrap();
    assert!(
        index.contains("Self-assessment: overview"),
        "the self-assessment is reported"
    );
    assert!(
        index.contains("Case audit or survey since"),
        "the deep dive is listed"
    );
    for id in ["2024-25", "2025-26", "2026-q1"] {
        assert!(
            tmp.path()
                .join(format!("site/cycles/{id}/index.html"))
                .is_file(),
            "{id} has a page"
        );
        let out = run_in(
            tmp.path(),
            &["build", "p", "--cycle", id, "--out", &format!("site-{id}")],
        );
        assert_eq!(out.status.code(), Some(0), "{id}: {}", text(&out.stderr));
        let page =
            std::fs::read_to_string(tmp.path().join(format!("site-{id}/index.html"))).unwrap();
        assert!(
            page.contains(&format!("({id})")),
            "{id} is the reported cycle"
        );
    }
    let bad = run_in(
        tmp.path(),
        &["build", "p", "--cycle", "2030-31", "--out", "x"],
    );
    assert_eq!(bad.status.code(), Some(1));
    assert!(text(&bad.stderr).contains("the cycles are: 2024-25, 2025-26, 2026-q1"));
}

#[test]
fn periods_have_one_form_and_the_message_says_what_to_write() {
    for (period, says) in [
        ("2024/25", "write `2024-25` with a hyphen"),
        ("2025-2026", "write `2025-26`"),
        (
            "2026",
            "write `2026-27` for the financial year starting in 2026",
        ),
        ("2024-26", "write `2024-25`"),
    ] {
        let tmp = tempfile::tempdir().unwrap();
        let p = tmp.path().join("p");
        copy_tree(&repo().join("tests/fixtures/valid"), &p);
        let csv = p.join("metrics.csv");
        let mut rows = std::fs::read_to_string(&csv).unwrap();
        rows.push_str(&format!("missing-episodes,{period},150\n"));
        std::fs::write(&csv, rows).unwrap();
        let out = run_in(tmp.path(), &["check", "p"]);
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{period}");
        assert!(
            err.contains(&format!(
                "error[PA0305]: p/metrics.csv:3:18: period `{period}`"
            )),
            "{err}"
        );
        assert!(err.contains(says), "{period}: {err}");
    }
}

/// A new cycle takes the next period and a window a year (or as many quarters as its period
/// moved) after the previous cycle of its method; `--opened`/`--closed` set it; `check` warns
/// when two cycles of one method overlap; and an id that would sort before the latest cycle
/// is refused with one that sorts right.
#[test]
fn new_cycles_follow_the_programme_in_time() {
    let tmp = tempfile::tempdir().unwrap();
    let p = tmp.path().join("p");
    copy_tree(&repo().join("tests/fixtures/valid"), &p);
    let out = run_in(tmp.path(), &["init", "p", "--cycle", "2026-27"]);
    assert_ok(&out);
    assert!(
        stdout(&out).contains(
            "period 2026-27; open 2026-09-01 to 2026-11-28 (a year after 2025-26's window)"
        ),
        "{}",
        stdout(&out)
    );
    let cycle = std::fs::read_to_string(p.join("cycles/2026-27/cycle.toml")).unwrap();
    assert!(cycle.contains("period = \"2026-27\""), "{cycle}");
    assert!(
        cycle.contains("title = \"Annual self-audit 2026-27\""),
        "{cycle}"
    );
    assert!(
        cycle.contains("opened = 2026-09-01\nclosed = 2026-11-28"),
        "{cycle}"
    );
    assert!(p.join("cycles/2026-27/responses").is_dir());
    assert_ok(&run_in(tmp.path(), &["check", "p"]));

    // A window given by hand is kept; one overlapping the previous round of its method is
    // written as asked, and check warns about it.
    let out = run_in(
        tmp.path(),
        &[
            "init",
            "p",
            "--cycle",
            "2027-28",
            "--opened",
            "2026-11-01",
            "--closed",
            "2027-01-31",
        ],
    );
    assert_ok(&out);
    let check = run_in(tmp.path(), &["check", "p"]);
    assert!(
        stderr(&check).contains("warning[PA0302]: p/cycles/2027-28/cycle.toml:6:10: cycle `2027-28` (2026-11-01 to 2027-01-31) overlaps `2026-27` (2026-09-01 to 2026-11-28), another self-assessment"),
        "{}",
        stderr(&check)
    );

    // Ids sort as text: once there is a quarter of 2028, a financial year id of 2028 sorts
    // before it, and init says what to call the cycle instead.
    assert_ok(&run_in(
        tmp.path(),
        &[
            "init",
            "p",
            "--cycle",
            "2028-q1",
            "--method",
            "survey",
            "--opened",
            "2028-01-10",
        ],
    ));
    let early = run_in(tmp.path(), &["init", "p", "--cycle", "2028-29"]);
    assert_eq!(early.status.code(), Some(1));
    assert!(
        stderr(&early).contains("cycle `2028-29` would sort before or at the latest cycle `2028-q1`: cycle ids sort in time order, as text"),
        "{}",
        stderr(&early)
    );
    assert!(!p.join("cycles/2028-29").exists());
}

/// `init --cycle` for a deep dive says what to do next for its method, and `forms` refuses a
/// cycle that asks agencies for no returns, naming the route that fits.
#[test]
fn deep_dives_are_steered_to_their_own_evidence() {
    let tmp = tempfile::tempdir().unwrap();
    let p = tmp.path().join("p");
    copy_tree(&repo().join("tests/fixtures/valid"), &p);
    let out = run_in(
        tmp.path(),
        &["init", "p", "--cycle", "2026-q1", "--method", "tabletop"],
    );
    assert_ok(&out);
    let said = stdout(&out);
    assert!(
        said.contains("panelaudit pack p --cycle 2026-q1 --out pack"),
        "{said}"
    );
    assert!(!said.contains("panelaudit forms"), "{said}");
    assert!(
        said.contains("period 2026-q1; open 2026-01-01 to 2026-02-12 (from the start of 2026-q1)"),
        "{said}"
    );
    assert!(p.join("cycles/2026-q1/cases").is_dir());
    let forms = run_in(tmp.path(), &["forms", "p", "--out", "forms"]);
    assert_eq!(forms.status.code(), Some(1));
    assert!(
        stderr(&forms).contains("cycle 2026-q1 is a multi-agency tabletop audit, which asks agencies for no return forms")
            && stderr(&forms).contains("`panelaudit pack p --cycle 2026-q1 --out pack`")
            && stderr(&forms).contains("`panelaudit forms p --cycle 2025-26 --out FOLDER`"),
        "{}",
        stderr(&forms)
    );
    assert!(!tmp.path().join("forms").exists());

    let out = run_in(
        tmp.path(),
        &["init", "p", "--cycle", "2026-q2", "--method", "survey"],
    );
    assert_ok(&out);
    assert!(
        stdout(&out).contains("Save its export in cycles/2026-q2/surveys/"),
        "{}",
        stdout(&out)
    );
    let forms = run_in(
        tmp.path(),
        &["forms", "p", "--cycle", "2026-q2", "--out", "forms"],
    );
    assert_eq!(forms.status.code(), Some(1));
    assert!(
        stderr(&forms).contains("in cycles/2026-q2/surveys/ with a survey file"),
        "{}",
        stderr(&forms)
    );

    let out = run_in(
        tmp.path(),
        &[
            "init",
            "p",
            "--cycle",
            "2026-q3",
            "--method",
            "learning-review",
        ],
    );
    assert_ok(&out);
    assert!(stdout(&out).contains("findings.toml"), "{}", stdout(&out));
    assert_ok(&run_in(tmp.path(), &["check", "p"]));
}
