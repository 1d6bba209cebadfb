//! The broken-input corpus, a test a case: every folder of `tests/corpus/` is laid over a copy
//! of `tests/fixtures/valid` and run through `panelaudit check` (text and JSON) and through
//! `panelaudit build`, which must agree: what `check` refuses, a build refuses too and writes
//! nothing; what `check` passes, a build builds.
//!
//! Run one case alone with `cargo test --test corpus -- malformed-toml`.

#[allow(dead_code)]
#[path = "common/mod.rs"]
mod common;

use common::{copy_tree, repo, run_in, text};
use libtest_mimic::{Arguments, Failed, Trial};
use std::path::{Path, PathBuf};

/// Each corpus case is a folder of files laid over a copy of `tests/fixtures/valid` (a file
/// named `X.delete` removes X), with `expect.toml` saying what `check` must print.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Expect {
    about: String,
    exit: i32,
    #[serde(default)]
    stderr: Vec<String>,
    #[serde(default)]
    stdout: Vec<String>,
    /// Words that must not appear in the output (a cascade of follow-on messages, say).
    #[serde(default)]
    absent: Vec<String>,
}

fn main() {
    let args = Arguments::from_args();
    let corpus = repo().join("tests/corpus");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&corpus)
        .expect("tests/corpus is readable")
        .map(|e| e.expect("a corpus entry").path())
        .collect();
    cases.sort();
    let mut trials: Vec<Trial> = cases
        .into_iter()
        .map(|case| {
            let name = case.file_name().unwrap().to_string_lossy().into_owned();
            Trial::test(name, move || run_case(&case))
        })
        .collect();
    let count = trials.len();
    trials.push(Trial::test("the corpus has at least 70 cases", move || {
        if count >= 70 {
            Ok(())
        } else {
            Err(format!("the corpus has {count} cases").into())
        }
    }));
    libtest_mimic::run(&args, trials).exit();
}

fn overlay(case: &Path, root: &Path, rel: &Path) {
    for entry in std::fs::read_dir(case.join(rel)).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name().to_string_lossy().into_owned();
        let rel_path = rel.join(&name);
        if entry.file_type().unwrap().is_dir() {
            std::fs::create_dir_all(root.join(&rel_path)).unwrap();
            overlay(case, root, &rel_path);
        } else if name == "expect.toml" && rel.as_os_str().is_empty() {
            continue;
        } else if let Some(target) = name.strip_suffix(".delete") {
            std::fs::remove_file(root.join(rel).join(target)).unwrap();
        } else {
            std::fs::copy(entry.path(), root.join(&rel_path)).unwrap();
        }
    }
}

/// `error[PA0202]: p/actions.toml:12:6: duplicate...` taken apart.
struct Located {
    severity: String,
    code: String,
    file: String,
    line: Option<u64>,
    column: Option<u64>,
    message: String,
}

fn located_code(s: &str) -> Option<Located> {
    let (severity, rest) = s.split_once('[')?;
    let (code, rest) = rest.split_once("]: ")?;
    let mut parts = rest.splitn(4, ':');
    let file = parts.next()?.to_string();
    let line = parts.next().and_then(|l| l.trim().parse().ok());
    let column = parts.next().and_then(|c| c.trim().parse().ok());
    let message = match (line, column) {
        (Some(_), Some(_)) => parts.next().unwrap_or("").trim().to_string(),
        // No line and column: the message follows the file name.
        _ => rest.split_once(": ").map_or("", |(_, m)| m).to_string(),
    };
    Some(Located {
        severity: severity.to_string(),
        code: code.to_string(),
        file,
        line,
        column,
        message,
    })
}

fn run_case(case: &Path) -> Result<(), Failed> {
    let expect: Expect = toml::from_str(&std::fs::read_to_string(case.join("expect.toml"))?)
        .map_err(|e| format!("expect.toml: {e}"))?;
    let tmp = tempfile::tempdir()?;
    let p = tmp.path().join("p");
    copy_tree(&repo().join("tests/fixtures/valid"), &p);
    overlay(case, &p, Path::new(""));
    let out = run_in(tmp.path(), &["check", "p"]);
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    let mut problems = Vec::new();
    if out.status.code() != Some(expect.exit) {
        problems.push(format!(
            "exit {:?}, expected {}",
            out.status.code(),
            expect.exit
        ));
    }
    for s in &expect.stderr {
        if !stderr.contains(s.as_str()) {
            problems.push(format!("stderr lacks {s:?}"));
        }
    }
    for s in &expect.stdout {
        if !stdout.contains(s.as_str()) {
            problems.push(format!("stdout lacks {s:?}"));
        }
    }
    for s in &expect.absent {
        if stderr.contains(s.as_str()) || stdout.contains(s.as_str()) {
            problems.push(format!("output has {s:?}"));
        }
    }
    if stderr.contains("panicked") {
        problems.push("the binary panicked".into());
    }
    problems.extend(json_agrees(tmp.path(), &expect));
    problems.extend(build_agrees(tmp.path(), out.status.code()));
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{}:\n  {}\n--- stderr ---\n{stderr}--- stdout ---\n{stdout}",
            expect.about,
            problems.join("\n  ")
        )
        .into())
    }
}

/// The same problems as JSON lines: each expected `severity[CODE]: FILE:LINE:COL` is an
/// object with that code and place, and the exit code is the same.
fn json_agrees(dir: &Path, expect: &Expect) -> Vec<String> {
    let mut problems = Vec::new();
    let json = run_in(dir, &["check", "p", "--format", "json"]);
    if json.status.code() != Some(expect.exit) {
        problems.push(format!("--format json exits {:?}", json.status.code()));
    }
    let mut objects = Vec::new();
    for l in text(&json.stdout).lines() {
        match serde_json::from_str::<serde_json::Value>(l) {
            Ok(o) => objects.push(o),
            Err(e) => problems.push(format!(
                "--format json printed a line that is not JSON ({e}): {l}"
            )),
        }
    }
    for s in &expect.stderr {
        let Some(c) = located_code(s) else { continue };
        let found = objects.iter().any(|o| {
            o["severity"] == c.severity
                && o["code"] == c.code
                && o["file"] == c.file
                && c.line.is_none_or(|l| o["line"] == l)
                && c.column.is_none_or(|col| o["column"] == col)
                && o["message"]
                    .as_str()
                    .is_some_and(|m| m.starts_with(&c.message))
        });
        if !found {
            problems.push(format!("--format json has no object for {s:?}"));
        }
    }
    problems
}

/// A build agrees with `check`: refused (exit 1, nothing written) when `check` refused, built
/// when it passed. A problem only `build` finds would reach a user after `check` said all was
/// well.
fn build_agrees(dir: &Path, check_exit: Option<i32>) -> Vec<String> {
    let out = run_in(dir, &["build", "p", "--out", "site"]);
    let wrote = dir.join("site").exists();
    let said = text(&out.stderr);
    let mut problems = Vec::new();
    if out.status.code() != check_exit {
        problems.push(format!(
            "check exits {check_exit:?} but build exits {:?}: {said}",
            out.status.code()
        ));
    }
    if out.status.code() != Some(0) && wrote {
        problems.push("a refused build wrote a site".into());
    }
    if said.contains("panicked") {
        problems.push("build panicked".into());
    }
    problems
}
