//! `panelaudit metrics`: the bundled metric library, so a partnership can find the id to put
//! in metrics.toml (a metric whose id is in the library inherits its title, unit, direction
//! and comparator).

use super::{EXIT_INVALID, EXIT_OK};
use crate::diag::Diagnostics;
use crate::load;

pub fn run() -> u8 {
    let mut diags = Diagnostics::new();
    let (_, library) = load::bundled(&mut diags);
    let Some(library) = library.filter(|_| !diags.has_errors()) else {
        eprintln!("{}", diags.render());
        return EXIT_INVALID;
    };
    let text = |s: &Option<load::raw::S<String>>| {
        s.as_ref()
            .map(|s| s.get_ref().trim().to_string())
            .unwrap_or_default()
    };
    for entry in &library.value.metrics {
        let m = entry.get_ref();
        let unit = text(&m.unit);
        let better = text(&m.better);
        let direction = match better.as_str() {
            "lower" => "lower is better",
            "higher" => "higher is better",
            _ => "context only (neither better nor worse)",
        };
        println!("{}", m.id.get_ref());
        let mut lines = vec![
            format!("{} [{unit}]", text(&m.title)),
            direction.to_string(),
        ];
        if let Some(c) = &m.comparator {
            let c = c.get_ref();
            lines.push(format!(
                "comparator: {} = {}{}",
                c.label.get_ref(),
                crate::format::num(*c.value.get_ref(), 2),
                if unit == "%" { "%" } else { "" }
            ));
        }
        for line in lines {
            let options = textwrap::Options::new(80)
                .initial_indent("    ")
                .subsequent_indent("      ")
                .break_words(false);
            println!("{}", textwrap::fill(&line, options));
        }
    }
    println!("\nIn metrics.toml, `[[metrics]]` with a library id and its `values` is enough.");
    EXIT_OK
}
