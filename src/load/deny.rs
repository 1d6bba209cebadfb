//! publication/deny.txt: the names and words a partnership's public site must never carry.

/// Parse a deny file: one term per line, '#' comments (whole-line, or after whitespace
/// at the end of a line) and blank lines ignored, surrounding whitespace trimmed,
/// repeated terms kept once.
pub fn parse_deny_list(text: &str) -> Vec<String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut terms: Vec<String> = Vec::new();
    for line in text.lines() {
        let mut term = line.trim();
        if term.starts_with('#') {
            continue;
        }
        if let Some(i) = inline_comment_start(term) {
            term = term[..i].trim_end();
        }
        if !term.is_empty() && !terms.iter().any(|t| t == term) {
            terms.push(term.to_string());
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
