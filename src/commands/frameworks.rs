//! `panelaudit frameworks [ID]`: the bundled question banks, or one bank's themes and
//! questions; `panelaudit metrics`: the metric library. Both read the validated banks and
//! library, wrapped to an 80-column terminal.

use super::{EXIT_INVALID, EXIT_OK};
use crate::diag::{Diagnostics, suggest};
use crate::model::Framework;
use crate::validate;

/// Terminal width the listings are wrapped to.
const WIDTH: usize = 80;

fn wrapped(text: &str, first: &str, rest: &str) -> String {
    let options = textwrap::Options::new(WIDTH)
        .initial_indent(first)
        .subsequent_indent(rest)
        .break_words(false)
        .word_splitter(textwrap::WordSplitter::NoHyphenation);
    textwrap::fill(text, options)
}

pub fn run(id: Option<&str>) -> u8 {
    let mut diags = Diagnostics::new();
    let banks = validate::bundled_frameworks(&mut diags);
    if diags.has_errors() {
        eprintln!("{}", diags.render());
        return EXIT_INVALID;
    }
    match id {
        None => {
            list(&banks);
            EXIT_OK
        }
        Some(id) => match banks.iter().find(|f| f.id == id) {
            Some(f) => {
                show(f);
                EXIT_OK
            }
            None => {
                let hint = suggest(id, banks.iter().map(|f| f.id.as_str()))
                    .map(|s| format!(" ({s})"))
                    .unwrap_or_default();
                eprintln!(
                    "error: no bundled question bank `{id}`{hint}; `panelaudit frameworks` lists them"
                );
                EXIT_INVALID
            }
        },
    }
}

fn list(banks: &[Framework]) {
    println!("{:<28}{:>7}{:>10}", "ID", "THEMES", "QUESTIONS");
    for f in banks {
        let strategic = f
            .questions
            .iter()
            .filter(|q| q.level == crate::model::Level::Strategic)
            .count();
        let total = f.questions.len();
        println!("{:<28}{:>7}{:>10}", f.id, f.themes.len(), total);
        // Details on indented lines, each wrapped to an 80-column terminal.
        let s = &f.source;
        for line in [
            f.title.clone(),
            format!(
                "{strategic} strategic and {} practitioner questions",
                total - strategic
            ),
            format!("from: {}", s.publication),
            format!("by: {}", s.publisher),
            format!("licence: {}", s.licence),
        ] {
            println!("{}", wrapped(&line, "    ", "      "));
        }
    }
    println!("\n`panelaudit frameworks ID` shows one bank's themes and questions.");
}

fn show(f: &Framework) {
    println!("{}", wrapped(&format!("{}: {}", f.id, f.title), "", "  "));
    let s = &f.source;
    let year = s.year.map(|y| format!(" ({y})")).unwrap_or_default();
    println!(
        "{}",
        wrapped(
            &format!("Source: {}, {}{year}", s.publisher, s.publication),
            "",
            "  "
        )
    );
    println!("{}", wrapped(&s.url, "  ", "  "));
    println!("{}", wrapped(&format!("Licence: {}", s.licence), "", "  "));
    println!("\nScale, lowest first:");
    for l in &f.scale {
        println!(
            "{}",
            wrapped(
                &format!("{} {} ({})", l.value, l.label, l.rag),
                "  ",
                "    "
            )
        );
    }
    for t in &f.themes {
        println!();
        let weight = if (t.weight - 1.0).abs() > f64::EPSILON {
            format!(", weight {}", t.weight)
        } else {
            String::new()
        };
        println!(
            "{}",
            wrapped(&format!("Theme {}: {}{weight}", t.id, t.title), "", "  ")
        );
        for q in f.questions.iter().filter(|q| q.theme == t.id) {
            println!(
                "{}",
                wrapped(
                    &format!("{} ({}) {}", q.id, q.level, q.text),
                    "  ",
                    "      "
                )
            );
        }
    }
}
