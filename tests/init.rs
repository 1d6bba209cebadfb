//! `panelaudit init`, run as the real binary in a scratch folder.

use crate::common::{assert_ok, run_in as run, stderr, stdout};

use std::path::{Path, PathBuf};

/// Every file under `dir`, relative, sorted.
fn files(dir: &Path) -> Vec<String> {
    fn walk(base: &Path, dir: &Path, out: &mut Vec<String>) {
        let Ok(rd) = std::fs::read_dir(dir) else {
            return;
        };
        for e in rd {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(base, &p, out);
            } else {
                out.push(
                    p.strip_prefix(base)
                        .unwrap()
                        .to_string_lossy()
                        .replace('\\', "/"),
                );
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

/// The one cycle folder the scaffold made (its id comes from today's date).
fn only_cycle(dir: &Path) -> (String, PathBuf) {
    let cycles: Vec<PathBuf> = std::fs::read_dir(dir.join("cycles"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(cycles.len(), 1, "{cycles:?}");
    let id = cycles[0]
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    (id, cycles[0].clone())
}

#[test]
fn init_makes_a_partnership_that_passes_check() {
    let tmp = tempfile::tempdir().unwrap();
    let out = run(
        tmp.path(),
        &[
            "init",
            "northmoor",
            "--name",
            "Northmoor Safeguarding Children Partnership",
            "--framework",
            "panel-2023-24",
        ],
    );
    assert_ok(&out);
    let dir = tmp.path().join("northmoor");
    let (cycle, cycle_dir) = only_cycle(&dir);
    // "2025-26": a financial year, whatever today is.
    let b = cycle.as_bytes();
    assert!(
        b.len() == 7 && b[4] == b'-' && cycle.chars().filter(char::is_ascii_digit).count() == 6,
        "{cycle}"
    );
    let start: u32 = cycle[..4].parse().unwrap();
    assert_eq!(cycle[5..], format!("{:02}", (start + 1) % 100));
    assert_eq!(
        files(&dir),
        vec![
            "actions.toml".to_string(),
            "briefings/.gitkeep".to_string(),
            format!("cycles/{cycle}/cycle.toml"),
            format!("cycles/{cycle}/responses/.gitkeep"),
            "metrics.toml".to_string(),
            "partnership.toml".to_string(),
        ]
    );
    assert!(
        stdout(&out).contains("created northmoor/partnership.toml"),
        "{}",
        stdout(&out)
    );

    let p: toml::Table =
        toml::from_str(&std::fs::read_to_string(dir.join("partnership.toml")).unwrap()).unwrap();
    assert_eq!(
        p["name"].as_str(),
        Some("Northmoor Safeguarding Children Partnership")
    );
    assert_eq!(p["short_name"].as_str(), Some("NSCP"));
    assert_eq!(p["area"].as_str(), Some("Northmoor"));
    assert_eq!(
        p["frameworks"].as_array().unwrap()[0].as_str(),
        Some("panel-2023-24")
    );
    let text = std::fs::read_to_string(dir.join("partnership.toml")).unwrap();
    for commented in ["# [[agencies]]", "# [priority]", "# [publication]"] {
        assert!(text.contains(commented), "{commented} in\n{text}");
    }
    let c: toml::Table =
        toml::from_str(&std::fs::read_to_string(cycle_dir.join("cycle.toml")).unwrap()).unwrap();
    assert_eq!(c["period"].as_str(), Some(cycle.as_str()));
    assert_eq!(c["framework"].as_str(), Some("panel-2023-24"));

    let check = run(tmp.path(), &["check", "northmoor"]);
    assert_ok(&check);
    assert!(stdout(&check).contains("0 error(s)"), "{}", stdout(&check));

    // And the next step works on it straight away.
    assert_ok(&run(tmp.path(), &["forms", "northmoor", "--out", "forms"]));
    assert!(tmp.path().join("forms/council.xlsx").is_file());
}

#[test]
fn init_never_overwrites_and_writes_nothing_when_a_file_exists() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("dale");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("metrics.toml"), "# our own metrics\n").unwrap();
    let out = run(
        tmp.path(),
        &[
            "init",
            "dale",
            "--name",
            "Dale SCP",
            "--framework",
            "local-learning",
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("dale/metrics.toml already exists"), "{err}");
    assert!(err.contains("nothing was written"), "{err}");
    assert_eq!(files(&dir), vec!["metrics.toml"]);
    assert_eq!(
        std::fs::read_to_string(dir.join("metrics.toml")).unwrap(),
        "# our own metrics\n"
    );

    // Running init twice: the second refuses and leaves the first untouched.
    let out = run(
        tmp.path(),
        &[
            "init",
            "fresh",
            "--name",
            "Fresh Partnership",
            "--framework",
            "panel-2022-23",
        ],
    );
    assert_ok(&out);
    let before = std::fs::read(tmp.path().join("fresh/partnership.toml")).unwrap();
    let out = run(
        tmp.path(),
        &[
            "init",
            "fresh",
            "--name",
            "Other Name",
            "--framework",
            "panel-2023-24",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("fresh/partnership.toml"),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        before,
        std::fs::read(tmp.path().join("fresh/partnership.toml")).unwrap()
    );
}

#[test]
fn init_names_the_bundled_frameworks_when_the_id_is_unknown() {
    let tmp = tempfile::tempdir().unwrap();
    let out = run(
        tmp.path(),
        &[
            "init",
            "x",
            "--name",
            "X Partnership",
            "--framework",
            "panel-2023",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    for words in [
        "unknown framework `panel-2023`",
        "did you mean `panel-2023-24`?",
        "panel-2023-24",
        "panel-2022-23",
        "local-learning",
    ] {
        assert!(err.contains(words), "{words:?} in:\n{err}");
    }
    assert!(!tmp.path().join("x").exists(), "nothing was created");

    let out = run(
        tmp.path(),
        &["init", "y", "--name", "  ", "--framework", "panel-2023-24"],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("--name is empty"), "{}", stderr(&out));
}

#[test]
fn init_accepts_a_framework_already_in_the_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("testshire");
    std::fs::create_dir_all(dir.join("frameworks")).unwrap();
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/xlsx/testshire/frameworks/testshire-bank.toml"),
        dir.join("frameworks/testshire-bank.toml"),
    )
    .unwrap();
    let out = run(
        tmp.path(),
        &[
            "init",
            "testshire",
            "--name",
            "Testshire \"New\" Safeguarding Partnership",
            "--framework",
            "testshire-bank",
        ],
    );
    assert_ok(&out);
    let p: toml::Table =
        toml::from_str(&std::fs::read_to_string(dir.join("partnership.toml")).unwrap()).unwrap();
    assert_eq!(
        p["name"].as_str(),
        Some("Testshire \"New\" Safeguarding Partnership")
    );
    assert_eq!(p["short_name"].as_str(), Some("TNSP"));
    assert_ok(&run(tmp.path(), &["check", "testshire"]));
}

/// `init --cycle` in a partnership with errors shows them as every command does: each problem
/// with its code and place, then one `error:` line that counts them; nothing is written.
#[test]
fn a_new_cycle_in_a_broken_partnership_lists_its_problems_first() {
    let tmp = tempfile::tempdir().unwrap();
    let args = [
        "init",
        "p",
        "--name",
        "P Partnership",
        "--framework",
        "panel-2023-24",
    ];
    assert_ok(&run(tmp.path(), &args));
    let toml = tmp.path().join("p/partnership.toml");
    let text = std::fs::read_to_string(&toml).unwrap();
    std::fs::write(&toml, format!("{text}\nname = \n")).unwrap();
    let out = run(tmp.path(), &["init", "p", "--cycle", "2099-q1"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.starts_with("error[PA0"),
        "the problem comes first:\n{err}"
    );
    assert!(!err.contains("error: error["), "{err}");
    assert!(
        err.trim_end()
            .ends_with("to fix first (`panelaudit check p` lists them with warnings)"),
        "{err}"
    );
    assert!(!tmp.path().join("p/cycles/2099-q1").exists());
}
