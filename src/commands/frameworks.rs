//! `panelaudit frameworks`: the bundled question banks.

use super::{EXIT_INVALID, EXIT_OK};
use crate::diag::Diagnostics;
use crate::load;

pub fn run() -> u8 {
    let mut diags = Diagnostics::new();
    let (parsed, _) = load::bundled(&mut diags);
    println!("{:<16} {:>6} {:>9}", "ID", "THEMES", "QUESTIONS");
    for p in &parsed {
        let f = &p.value;
        let strategic = f
            .questions
            .get_ref()
            .iter()
            .filter(|q| q.get_ref().level.get_ref() == "strategic")
            .count();
        let total = f.questions.get_ref().len();
        println!(
            "{:<16} {:>6} {:>9}",
            f.id.get_ref(),
            f.themes.get_ref().len(),
            total
        );
        // Details on indented lines, each short enough for an 80-column terminal.
        let source = &f.source;
        for line in [
            f.title.get_ref().clone(),
            format!(
                "{strategic} strategic and {} practitioner questions",
                total - strategic
            ),
            format!("from: {}", source.publication.get_ref()),
            format!("by: {}", source.publisher.get_ref()),
            format!("licence: {}", source.licence.get_ref()),
        ] {
            println!("{:18}{line}", "");
        }
    }
    if diags.has_errors() {
        eprintln!("{}", diags.render());
        return EXIT_INVALID;
    }
    EXIT_OK
}
