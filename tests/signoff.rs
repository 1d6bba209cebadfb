//! Sign-off: `panelaudit signoff` closes a round without disturbing its cycle.toml; an import
//! into a signed-off cycle is refused without --force; a forced one is recorded in the cycle's
//! changes.toml and shown on its page (naming the agency inside the partnership only); `check`
//! says which cycles are still open.

use crate::common::*;
use std::path::{Path, PathBuf};

/// The xlsx fixture partnership and the LibreOffice-saved police return beside it.
fn testshire(tmp: &Path) -> PathBuf {
    let p = tmp.join("testshire");
    copy_tree(&repo().join("tests/fixtures/xlsx/testshire"), &p);
    std::fs::copy(
        repo().join("tests/fixtures/xlsx/police-libreoffice.ods"),
        tmp.join("police.ods"),
    )
    .unwrap();
    p
}

#[test]
fn a_signed_off_round_takes_a_late_return_only_with_force_and_says_so() {
    let tmp = tempfile::tempdir().unwrap();
    let p = testshire(tmp.path());
    let cycle_toml = p.join("cycles/2025-26/cycle.toml");
    let before = std::fs::read_to_string(&cycle_toml).unwrap();

    let check = run_in(tmp.path(), &["check", "testshire"]);
    assert!(
        stdout(&check).contains("open (not signed off): 2024-25 (self-assessment, closed 2024-11-29), 2025-26 (self-assessment, closes 2025-11-28); sign a round off once its evidence is in: `panelaudit signoff testshire --cycle 2024-25`"),
        "{}",
        stdout(&check)
    );

    let out = run_in(tmp.path(), &["signoff", "testshire", "--cycle", "2025-26"]);
    assert_ok(&out);
    let said = stdout(&out);
    assert!(
        said.contains(
            "Signed off cycle 2025-26 (Annual self-audit 2025-26, self-assessment) on 2025-11-28"
        ),
        "{said}"
    );
    assert!(said.contains("signed off without a full return from: council (2 of 5 answered), police (not received), school-forum (not received)"), "{said}");
    assert!(said.contains("Still open: 2024-25"), "{said}");
    // One line added under `closed`, nothing else touched.
    let after = std::fs::read_to_string(&cycle_toml).unwrap();
    assert_eq!(
        after,
        before.replace(
            "closed = 2025-11-28\n",
            "closed = 2025-11-28\nsigned_off = 2025-11-28\n"
        )
    );
    // Again on the same day: nothing to do; on another day: refused, file as it was.
    assert_ok(&run_in(
        tmp.path(),
        &["signoff", "testshire", "--cycle", "2025-26"],
    ));
    let other = run_in(
        tmp.path(),
        &[
            "signoff",
            "testshire",
            "--cycle",
            "2025-26",
            "--date",
            "2025-12-01",
        ],
    );
    assert_eq!(other.status.code(), Some(1));
    assert!(
        stderr(&other).contains("signed off on 2025-11-28 already"),
        "{}",
        stderr(&other)
    );
    assert_eq!(std::fs::read_to_string(&cycle_toml).unwrap(), after);
    let check = run_in(tmp.path(), &["check", "testshire"]);
    assert!(
        stdout(&check)
            .contains("open (not signed off): 2024-25 (self-assessment, closed 2024-11-29);"),
        "{}",
        stdout(&check)
    );

    // A late return is refused without --force, and nothing is written.
    let snapshot = files(&p.join("cycles"));
    let refused = run_in(tmp.path(), &["import", "testshire", "police.ods"]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        stderr(&refused).contains("cycle 2025-26 was signed off on 2025-11-28: its evidence is final, and this import would change it (agency police (added))"),
        "{}",
        stderr(&refused)
    );
    assert!(stderr(&refused).contains("--force"), "{}", stderr(&refused));
    assert_eq!(snapshot, files(&p.join("cycles")));

    // With --force it goes in, and the change is recorded: when, whose, which questions.
    let forced = run_in(
        tmp.path(),
        &["import", "testshire", "--force", "police.ods"],
    );
    assert_ok(&forced);
    assert!(
        stdout(&forced).contains("the change is recorded in testshire/cycles/2025-26/changes.toml"),
        "{}",
        stdout(&forced)
    );
    let log = std::fs::read_to_string(p.join("cycles/2025-26/changes.toml")).unwrap();
    assert!(
        log.contains("[[changes]]\ndate = 2025-11-28\nagency = \"police\"\nchange = \"added\"\nquestions = [\"fa-p-01\", \"fa-s-01\", \"ss-p-01\", \"ss-p-02\", \"ss-s-01\"]\n"),
        "{log}"
    );
    assert!(
        !log.contains("Head of Public Protection") && !log.contains("Training"),
        "{log}"
    );
    assert_ok(&run_in(tmp.path(), &["check", "testshire"]));

    // The cycle's page shows it: the agency and questions inside the partnership only.
    let site = tmp.path().join("site");
    assert_ok(&run_in(
        tmp.path(),
        &["build", "testshire", "--out", site.to_str().unwrap()],
    ));
    let page = std::fs::read_to_string(site.join("cycles/2025-26/index.html")).unwrap();
    assert!(page.contains("Changes after sign-off"), "{page}");
    assert!(page.contains("Signed off on 28 November 2025"), "{page}");
    assert!(
        page.contains("The return from Testshire Police was added"),
        "{page}"
    );
    let public = tmp.path().join("public");
    assert_ok(&run_in(
        tmp.path(),
        &[
            "build",
            "testshire",
            "--out",
            public.to_str().unwrap(),
            "--audience",
            "public",
        ],
    ));
    let page = std::fs::read_to_string(public.join("cycles/2025-26/index.html")).unwrap();
    assert!(
        page.contains("An agency&#39;s return was added")
            || page.contains("An agency's return was added"),
        "{page}"
    );
    assert!(!page.contains("Testshire Police was added"), "{page}");
}

#[test]
fn a_change_log_is_checked_like_any_other_file() {
    let tmp = tempfile::tempdir().unwrap();
    let p = testshire(tmp.path());
    std::fs::write(
        p.join("cycles/2025-26/changes.toml"),
        "[[changes]]\ndate = 2025-12-01\nagency = \"polise\"\nchange = \"moved\"\nquestions = [\"fa-s-99\"]\n\n[[changes]]\ndate = 2025-12-02\nchange = \"added\"\n",
    )
    .unwrap();
    let out = run_in(tmp.path(), &["check", "testshire"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    for want in [
        "changes after sign-off are recorded, but the cycle is not signed off",
        "changes.toml:3:10: unknown agency `polise`",
        "changes.toml:4:10: unknown change `moved`",
        "changes.toml:5:14: framework `testshire-bank` has no question `fa-s-99`",
        "changes.toml:7:1: a change names either the `agency` whose return changed or the `case`",
    ] {
        assert!(err.contains(want), "{want}\n{err}");
    }
}
