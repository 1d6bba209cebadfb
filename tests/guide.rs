//! The user guide (docs/src) against the program: every command and every option that
//! `panelaudit --help` shows is explained in the commands chapter, under the command's own
//! heading. (The problem codes are held to the guide by a unit test in `src/diag/codes.rs`.)

use crate::common::*;

/// The commands `panelaudit --help` lists, `help` aside.
fn commands() -> Vec<String> {
    let out = run_in(&repo(), &["--help"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let help = stdout(&out);
    let list = help
        .split_once("Commands:")
        .expect("--help lists the commands")
        .1;
    list.lines()
        .take_while(|l| l.starts_with("  ") || l.is_empty())
        .filter_map(|l| l.split_whitespace().next())
        .filter(|c| *c != "help")
        .map(str::to_string)
        .collect()
}

/// The long options `panelaudit COMMAND --help` lists under "Options:", `--help` aside.
fn options(command: &str) -> Vec<String> {
    let out = run_in(&repo(), &[command, "--help"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    stdout(&out)
        .lines()
        .map(str::trim_start)
        .filter(|l| l.starts_with('-'))
        .filter_map(|l| {
            l.split([' ', ',', '='])
                .find(|w| w.starts_with("--") && w.len() > 2)
        })
        .filter(|o| *o != "--help")
        .map(str::to_string)
        .collect()
}

#[test]
fn the_commands_chapter_explains_every_command_and_option() {
    let chapter = std::fs::read_to_string(repo().join("docs/src/commands.md"))
        .expect("docs/src/commands.md is readable");
    let commands = commands();
    assert!(commands.len() >= 10, "{commands:?}");
    let mut explained = 0;
    for command in commands {
        let heading = format!("\n## {command}\n");
        let section = chapter
            .split_once(&heading)
            .unwrap_or_else(|| panic!("docs/src/commands.md has no section `## {command}`"))
            .1;
        let section = section.split("\n## ").next().unwrap_or(section);
        for option in options(&command) {
            assert!(
                section.contains(&format!("`{option}")),
                "docs/src/commands.md, section `{command}`, does not explain {option}"
            );
            explained += 1;
        }
    }
    assert!(explained >= 30, "only {explained} options found in --help");
}

/// Every file or folder of the code the guide names in backticks (`src/...`, `templates/...`,
/// `scripts/...`, `tests/...`) exists: when code moves, the contributors' chapters move with it.
#[test]
fn every_path_the_guide_names_exists() {
    let mut missing = Vec::new();
    let mut named = 0;
    let mut chapters = vec![repo().join("docs/src")];
    while let Some(dir) = chapters.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                chapters.push(path);
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            for quoted in text.split('`').skip(1).step_by(2) {
                let roots = ["src/", "templates/", "scripts/", "tests/"];
                let is_path = roots.iter().any(|r| quoted.starts_with(r))
                    && !quoted.contains([' ', '*', '<', '{']);
                if is_path {
                    named += 1;
                    if !repo().join(quoted).exists() {
                        missing.push(format!("{}: {quoted}", path.display()));
                    }
                }
            }
        }
    }
    assert!(
        named > 30,
        "only {named} paths found: is the guide still under docs/src?"
    );
    assert!(
        missing.is_empty(),
        "the guide names paths that do not exist:\n{}",
        missing.join("\n")
    );
}
