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
