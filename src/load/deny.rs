//! publication/deny.txt: the names and words a partnership's public site must never carry.

use std::collections::HashSet;

/// Parse a deny file: one term per line, '#' comments (whole-line, or after whitespace
/// at the end of a line) and blank lines ignored, surrounding whitespace trimmed,
/// repeated terms kept once. (The scan's tests build deny lists with it.)
#[cfg(test)]
pub fn parse_deny_list(text: &str) -> Vec<String> {
    deny_entries(text).into_iter().map(|(_, t)| t).collect()
}

/// The terms of a deny file with the byte offset of each in `text`, repeated terms kept once
/// (at their first place). Linear in the file: a list of a quarter of a million names took
/// minutes when each term was compared with every one before it.
pub fn deny_entries(text: &str) -> Vec<(usize, String)> {
    let bom = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let mut seen: HashSet<&str> = HashSet::new();
    let mut terms = Vec::new();
    let mut offset = bom;
    for line in text[bom..].split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let lead = line.len() - line.trim_start().len();
        let mut term = line.trim();
        if term.starts_with('#') {
            continue;
        }
        if let Some(i) = inline_comment_start(term) {
            term = term[..i].trim_end();
        }
        if !term.is_empty() && seen.insert(term) {
            terms.push((start + lead, term.to_string()));
        }
    }
    terms
}

/// Where a trailing comment starts: a '#' after whitespace and before whitespace or the
/// end of the line ("Mill Lane  # street"), so that "Flat #3" stays a term.
fn inline_comment_start(line: &str) -> Option<usize> {
    let b = line.as_bytes();
    (1..b.len()).find(|&i| {
        b[i] == b'#'
            && b[i - 1].is_ascii_whitespace()
            && b.get(i + 1).is_none_or(u8::is_ascii_whitespace)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terms_keep_their_place_and_repeats_are_dropped_in_linear_time() {
        let text = "\u{feff}# names\nKai Smith\n  Zoë Ng # child\nKai Smith\n";
        let entries = deny_entries(text);
        assert_eq!(
            entries,
            [(11, "Kai Smith".to_string()), (23, "Zoë Ng".to_string())]
        );
        assert_eq!(&text[23..23 + "Zoë Ng".len()], "Zoë Ng");
        let many: String = (0..200_000).map(|i| format!("Name{i} Family\n")).collect();
        let t = std::time::Instant::now();
        let twice = format!("{many}{many}");
        assert_eq!(parse_deny_list(&twice).len(), 200_000);
        assert!(t.elapsed() < std::time::Duration::from_secs(10));
    }
}
