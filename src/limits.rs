//! How much input is accepted. Each limit is far beyond any real partnership (England's
//! largest has a few dozen agencies and banks of a few hundred questions) and is documented in
//! the user guide (docs/src/files/overview.md#limits); past it, a file is refused with a
//! message instead of the process running out of memory, aborting, or printing a hundred
//! thousand follow-on problems.

/// Agencies in partnership.toml.
pub const MAX_AGENCIES: usize = 500;
/// Question bank files in frameworks/.
pub const MAX_FRAMEWORK_FILES: usize = 100;
/// Themes in one question bank.
pub const MAX_THEMES: usize = 1_000;
/// Questions in one question bank; also questions one action or metric names.
pub const MAX_QUESTIONS: usize = 5_000;
/// Answers in one return and questions in one moderation.toml: a return answers one bank,
/// but every answer to a question that does not exist is reported, so a few banks' worth of
/// them are still checked one by one.
pub const MAX_ANSWERS: usize = 20_000;
/// Points on one bank's rating scale, prompts and metrics of one question, and the like.
pub const MAX_SMALL_LIST: usize = 100;
/// Audit cycles (folders in cycles/).
pub const MAX_CYCLES: usize = 1_000;
/// Returns (files) in one cycle's responses/.
pub const MAX_RESPONSES: usize = MAX_AGENCIES;
/// Actions in actions.toml.
pub const MAX_ACTIONS: usize = 10_000;
/// Metrics in metrics.toml.
pub const MAX_METRICS: usize = 2_000;
/// Values (periods) of one metric in metrics.toml, and rows of metrics.csv.
pub const MAX_METRIC_VALUES: usize = 1_000;
pub const MAX_METRIC_ROWS: usize = 100_000;
/// Briefings (files in briefings/).
pub const MAX_BRIEFINGS: usize = 5_000;
/// Terms in publication/deny.txt (names of the children in the partnership's reviews, their
/// families, schools and streets): a few hundred in a real partnership.
pub const MAX_DENY_TERMS: usize = 20_000;

/// Surveys in one cycle.
pub const MAX_SURVEYS: usize = 100;
/// Items (questions) in one survey.
pub const MAX_SURVEY_ITEMS: usize = 500;
/// Rows (responses) in one survey export.
pub const MAX_SURVEY_ROWS: usize = 100_000;
/// Columns in one survey export.
pub const MAX_SURVEY_COLUMNS: usize = 1_000;
/// Points on a survey item's scale (at least 2).
pub const MAX_SCALE_POINTS: usize = 11;
/// Bytes in any file read as text: no honest audit file comes near this, and it keeps a
/// stray data dump from being parsed into memory.
pub const MAX_FILE_BYTES: u64 = 8 * 1024 * 1024;
/// Bytes in a workbook (.xlsx or .ods): a return form is a few hundred kilobytes.
pub const MAX_WORKBOOK_BYTES: u64 = 16 * 1024 * 1024;
/// Bytes a workbook may unpack to, summed over its parts (as the zip declares them).
pub const MAX_UNPACKED_BYTES: u64 = 128 * 1024 * 1024;
/// Parts (zip entries) in a workbook.
pub const MAX_ZIP_ENTRIES: usize = 5_000;
/// Shared strings in an .xlsx workbook.
pub const MAX_SHARED_STRINGS: u64 = 500_000;
/// Cells (filled or only formatted) walked in one sheet before giving up.
pub const MAX_CELLS_WALKED: usize = 5_000_000;
/// Merged regions in one sheet.
pub const MAX_MERGED_REGIONS: usize = 10_000;
/// Filled cells read from one sheet.
pub const MAX_CELLS: usize = 200_000;
/// Cells (filled or not) a sheet may unpack to: rows to the last filled one, times columns
/// to the last filled one.
pub const MAX_UNPACKED_CELLS: u64 = 5_000_000;
/// Cases in one case-audit workbook.
pub const MAX_CASES: usize = 200;

/// Lists and block quotes opened on one Markdown line (`> > - 1. text`): each nests in the
/// one before. Real writing rarely goes past five.
pub const MAX_MARKDOWN_NESTING: usize = 32;
/// Columns of white space before a Markdown line's text, between its markers too (tabs to
/// the next multiple of four):
/// nested lists indent each level by at least two, so this also bounds nesting by indentation.
pub const MAX_MARKDOWN_INDENT: usize = 128;
/// Markdown marks in one text: its lines, the lists and quotes they open, and its inline
/// markup characters (`*`, `_`, `` ` ``, `[`, `]`, `<`, `>`, `|`, `~`, `!`, `&`, `\`). The
/// Markdown parser's memory and time grow with these, not with the text's length: 8 MiB of
/// `*a`, `[` or `<` took a build past a gigabyte. Ordinary writing has a few marks a line, so
/// even a text of the largest size a file may have stays far within this.
pub const MAX_MARKDOWN_MARKS: usize = 1_000_000;

/// Why one line of a Markdown text goes beyond the nesting limits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MarkdownOverLimit {
    /// Byte offset of the line's start in the text.
    pub offset: usize,
    /// 1-based line within the text.
    pub line: usize,
    pub message: String,
}

/// The first line of `text` that nests lists and block quotes deeper than
/// [`MAX_MARKDOWN_NESTING`], is indented more than [`MAX_MARKDOWN_INDENT`] columns, or takes
/// the text past [`MAX_MARKDOWN_MARKS`], if any. Linear in the text's length, and run before
/// any Markdown parser sees it: past a limit a text is never parsed.
pub fn markdown_over_limits(text: &str) -> Option<MarkdownOverLimit> {
    let mut offset = 0;
    let mut marks = 0;
    for (i, line) in text.split('\n').enumerate() {
        let (markers, indent) = line_nesting(line);
        marks += 1 + markers + inline_marks(line);
        let message = if markers > MAX_MARKDOWN_NESTING {
            Some(format!(
                "this line opens {markers} lists and block quotes one inside another; Markdown may nest at most {MAX_MARKDOWN_NESTING}"
            ))
        } else if indent > MAX_MARKDOWN_INDENT {
            Some(format!(
                "this line is indented {indent} columns; Markdown lines may be indented at most {MAX_MARKDOWN_INDENT}"
            ))
        } else if marks > MAX_MARKDOWN_MARKS {
            Some(format!(
                "by this line the text has over {MAX_MARKDOWN_MARKS} Markdown marks (lines, list and quote markers, and the characters * _ ` [ ] < > | ~ ! & \\); no page can carry that much markup"
            ))
        } else {
            None
        };
        if let Some(message) = message {
            return Some(MarkdownOverLimit {
                offset,
                line: i + 1,
                message,
            });
        }
        offset += line.len() + 1;
    }
    None
}

/// Inline markup characters in one line: each can open a node for the parser.
fn inline_marks(line: &str) -> usize {
    line.bytes()
        .filter(|b| {
            matches!(
                b,
                b'*' | b'_' | b'`' | b'[' | b']' | b'<' | b'>' | b'|' | b'~' | b'!' | b'&' | b'\\'
            )
        })
        .count()
}

/// (list and quote markers, columns of indentation) at the start of one line.
fn line_nesting(line: &str) -> (usize, usize) {
    let b = line.as_bytes();
    // A thematic break written with spaces (`- - -`) counts as markers too: harmless for
    // real breaks, and a break of thousands of them is no more welcome than a list.
    let ends_marker = |j: usize| b.get(j).is_none_or(|c| *c == b' ' || *c == b'\t');
    let (mut i, mut col, mut markers, mut indent) = (0, 0, 0, 0);
    while i < b.len() {
        match b[i] {
            b' ' => {
                col += 1;
                indent += 1;
                i += 1;
            }
            b'\t' => {
                let w = 4 - col % 4;
                col += w;
                indent += w;
                i += 1;
            }
            b'>' => {
                markers += 1;
                col += 1;
                i += 1;
            }
            b'-' | b'*' | b'+' if ends_marker(i + 1) => {
                markers += 1;
                col += 1;
                i += 1;
            }
            b'0'..=b'9' => {
                let digits = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
                let j = i + digits;
                if digits <= 9 && matches!(b.get(j), Some(b'.' | b')')) && ends_marker(j + 1) {
                    markers += 1;
                    col += digits + 1;
                    i = j + 1;
                } else {
                    break;
                }
            }
            _ => break,
        }
    }
    (markers, indent)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_markdown_is_within_the_limits() {
        let text = "# Title\n\n- one\n  - two\n    1. three\n       > quoted\n\n    code\n\n---\n- - -\n* * *\n";
        assert_eq!(markdown_over_limits(text), None);
        assert_eq!(markdown_over_limits(""), None);
    }

    #[test]
    fn nested_markers_are_counted_on_one_line() {
        let ok = "- ".repeat(MAX_MARKDOWN_NESTING) + "x";
        assert_eq!(markdown_over_limits(&ok), None);
        let deep = format!("fine\n{}x", "- ".repeat(MAX_MARKDOWN_NESTING + 1));
        let d = markdown_over_limits(&deep).unwrap();
        assert_eq!((d.line, d.offset), (2, 5));
        assert!(d.message.contains("opens 33 lists"), "{}", d.message);
        let quotes = ">".repeat(40) + " x";
        assert!(markdown_over_limits(&quotes).is_some());
        let mixed = "> 1. - + 2) ".repeat(10) + "x";
        assert!(
            markdown_over_limits(&mixed)
                .unwrap()
                .message
                .contains("opens 50")
        );
    }

    #[test]
    fn markup_past_the_budget_is_refused_at_the_line_where_it_goes_over() {
        for unit in ["*a", "[", "<", "&", "`"] {
            let text = format!("Intro.\n{}", unit.repeat(MAX_MARKDOWN_MARKS));
            let d = markdown_over_limits(&text).unwrap();
            assert_eq!(d.line, 2, "{unit}");
            assert!(d.message.contains("Markdown marks"), "{}", d.message);
        }
        // A line of 32 nested markers is within the nesting limit, but lines of them add up.
        let nested = ("- ".repeat(32) + "x\n").repeat(MAX_MARKDOWN_MARKS / 33 + 1);
        assert!(
            markdown_over_limits(&nested)
                .unwrap()
                .message
                .contains("marks")
        );
        // Eight megabytes of ordinary prose are far within it.
        let prose = "The panel reviewed the partnership's evidence, (and found it good).\n"
            .repeat(8 * 1024 * 1024 / 70);
        assert_eq!(markdown_over_limits(&prose), None);
    }

    #[test]
    fn growing_indentation_is_bounded() {
        let mut text = String::new();
        for level in 0..100 {
            text.push_str(&" ".repeat(level * 2));
            text.push_str("- item\n");
        }
        let d = markdown_over_limits(&text).unwrap();
        // Line 65 has 128 spaces before its marker and one after it.
        assert_eq!(d.line, 65);
        assert!(d.message.contains("indented 129 columns"), "{}", d.message);
        let tabs = "\t".repeat(33) + "x";
        assert!(markdown_over_limits(&tabs).unwrap().message.contains("132"));
    }
}
