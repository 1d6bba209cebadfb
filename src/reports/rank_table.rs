//! `rank`'s table for an 80-column terminal: the priorities with their scores and flags, the
//! action plan, the uncovered questions, and what changed since the comparable cycle.

use crate::analysis::score::QuestionScore;
use crate::analysis::{Analysis, Movement, movement};
use crate::format::fixed;
use std::fmt::Write as _;

/// The terminal width the table fits.
const WIDTH: usize = 80;

/// The questions only other cycles asked, at their latest evidence: the plan weighs them too.
/// `--top N` takes the cycle's questions first, then these, as the JSON does.
fn push_elsewhere(out: &mut String, a: &Analysis, top: Option<usize>) {
    let room = top.map_or(usize::MAX, |n| n.saturating_sub(a.ranking.priorities.len()));
    if a.elsewhere.is_empty() || room == 0 {
        return;
    }
    let _ = writeln!(
        out,
        "\nQuestions from other cycles, at their latest evidence ({}), highest risk first:",
        a.elsewhere.len()
    );
    for s in a.elsewhere.iter().take(room) {
        let _ = writeln!(
            out,
            "{:>4}  {:<10}  {:<16}  {:>6}  {:>6}",
            s.rank,
            abbreviate(&s.question, 10),
            abbreviate(&s.cycle, 16),
            s.rating.map_or("none".to_string(), |r| fixed(r, 2)),
            fixed(s.score, 1),
        );
    }
}

/// The table for one partnership, with at most `top` priorities (the plan always in full).
pub fn table(a: &Analysis, top: Option<usize>) -> String {
    let mut out = String::new();
    push_heading(&mut out, a);
    let shown: Vec<&QuestionScore> = a
        .ranking
        .priorities
        .iter()
        .take(top.unwrap_or(usize::MAX))
        .collect();
    push_priorities(&mut out, a, &shown);
    push_elsewhere(&mut out, a, top);
    push_plan(&mut out, a);
    push_change(&mut out, a, &shown);
    out
}

/// The partnership, the cycle and the cycle it is compared with.
fn push_heading(out: &mut String, a: &Analysis) {
    let _ = writeln!(out, "{} ({})", a.partnership, a.short_name);
    let previous = a
        .previous_cycle
        .as_deref()
        .map(|p| format!(", previous cycle {p}"))
        .unwrap_or_default();
    push_wrapped(
        out,
        &format!(
            "Cycle {}: {}, framework {}{previous}",
            a.cycle, a.cycle_title, a.framework
        ),
        "  ",
    );
}

/// The width of the QUESTION column: the longest id shown.
fn question_width(shown: &[&QuestionScore]) -> usize {
    shown
        .iter()
        .map(|s| s.question.chars().count())
        .max()
        .unwrap_or(0)
        .max("QUESTION".len())
}

/// The priorities shown, highest risk first, each with its text and flags; then the questions
/// rated n/a.
fn push_priorities(out: &mut String, a: &Analysis, shown: &[&QuestionScore]) {
    let _ = writeln!(
        out,
        "\nPriorities: {} of {} ranked, highest risk first",
        shown.len(),
        a.ranking.priorities.len()
    );
    let sc = &a.scale;
    push_wrapped(
        out,
        &format!(
            "RATING runs from {} ({}) to {} ({}). SCORE runs from 10 (top rating on strong evidence, nothing adverse) through 100 (no assurance) to 130 (no agency answered) and above (weak evidence, adverse data, a fall, a heavier theme).",
            sc.bottom, sc.bottom_label, sc.top, sc.top_label
        ),
        "  ",
    );
    let qw = question_width(shown);
    // Flags sit on their own line, so the theme gets what the other columns leave of 80.
    let room = WIDTH
        .saturating_sub(4 + 2 + qw + 2 + 2 + 5 + 2 + 6 + 2 + 6)
        .max(8);
    let tw = shown
        .iter()
        .map(|s| s.theme.chars().count())
        .max()
        .unwrap_or(0)
        .clamp("THEME".len(), room);
    let _ = writeln!(
        out,
        "{:>4}  {:<qw$}  {:<tw$}  {:<5}  {:>6}  {:>6}",
        "RANK", "QUESTION", "THEME", "LEVEL", "RATING", "SCORE"
    );
    let _ = writeln!(out, "{:>4}  question text; flags", "");
    for s in shown {
        let _ = writeln!(
            out,
            "{:>4}  {:<qw$}  {:<tw$}  {:<5}  {:>6}  {:>6}",
            s.rank,
            s.question,
            abbreviate(&s.theme, tw),
            &s.level.as_str()[..5],
            s.rating.map_or("none".to_string(), |r| fixed(r, 2)),
            fixed(s.score, 1),
        );
        if let Some(text) = a.question_text.get(&s.question) {
            let _ = writeln!(out, "      {}", abbreviate(text, WIDTH - 6));
        }
        let flags: Vec<&str> = s.flags.iter().map(|f| f.as_str()).collect();
        if !flags.is_empty() {
            push_columns(out, "      ", 6, &flags, "");
        }
    }
    if !a.ranking.not_applicable.is_empty() {
        push_wrapped(
            out,
            &format!(
                "Not ranked (rated n/a): {}",
                a.ranking.not_applicable.join(", ")
            ),
            "  ",
        );
    }
}

/// The action plan in full: open actions in the order they take risk, those not open, and
/// the high-risk questions no open action addresses.
fn push_plan(out: &mut String, a: &Analysis) {
    push_wrapped(
        out,
        &format!(
            "\nAction plan: open actions, each taking the most risk not yet covered (overdue as of {})",
            a.plan.as_of
        ),
        "  ",
    );
    if a.plan.actions.is_empty() {
        let _ = writeln!(out, "  no open actions");
    } else {
        push_open_actions(out, a);
    }
    if !a.plan.not_open.is_empty() {
        let closed: Vec<String> = a
            .plan
            .not_open
            .iter()
            .map(|c| format!("{} ({})", c.action, c.status))
            .collect();
        push_wrapped(out, &format!("Not open: {}", closed.join(", ")), "  ");
    }
    let uncovered = if a.plan.uncovered.is_empty() {
        "none".to_string()
    } else {
        a.plan.uncovered.join(", ")
    };
    push_wrapped(
        out,
        &format!("\nHigh-risk questions no open action addresses: {uncovered}"),
        "  ",
    );
}

/// One row an open action: its rank, the risk it covers, when it is due, what it covers.
fn push_open_actions(out: &mut String, a: &Analysis) {
    let aw = a
        .plan
        .actions
        .iter()
        .map(|p| p.action.chars().count())
        .max()
        .unwrap_or(0)
        .max("ACTION".len());
    let head = format!(
        "{:>4}  {:<aw$}  {:>7}  {:<18}  ",
        "RANK", "ACTION", "RISK", "DUE"
    );
    let indent = head.chars().count();
    let _ = writeln!(out, "{head}COVERS");
    for p in &a.plan.actions {
        let due = if p.overdue {
            format!("{} OVERDUE", p.due)
        } else {
            p.due.to_string()
        };
        let lead = format!(
            "{:>4}  {:<aw$}  {:>7}  {:<18}  ",
            p.rank,
            p.action,
            fixed(p.risk_covered, 1),
            due
        );
        let covers: Vec<&str> = p.covers.iter().map(String::as_str).collect();
        push_columns(out, &lead, indent, &covers, "(nothing new)");
    }
}

/// What changed since the comparable cycle, for the questions shown that both asked.
fn push_change(out: &mut String, a: &Analysis, shown: &[&QuestionScore]) {
    let (Some(prev), Some(cmp)) = (&a.previous_cycle, &a.comparison) else {
        return;
    };
    let changed: Vec<&QuestionScore> = shown
        .iter()
        .copied()
        .filter(|s| s.previous.is_some())
        .collect();
    let _ = writeln!(
        out,
        "\nChange since {prev}, the last {} (questions asked in both)",
        cmp.method.words()
    );
    push_wrapped(
        out,
        &format!(
            "  {} rose, {} fell, {} held: a rise or a fall is a move of at least {} on the scale{}",
            cmp.rose.len(),
            cmp.fell.len(),
            cmp.steady,
            crate::format::num(cmp.threshold, 2),
            if cmp.scope_differs() {
                format!(
                    "; the cycles asked different questions ({} now, {} then), so only the {} both asked are compared",
                    cmp.asked_now, cmp.asked_then, cmp.shared
                )
            } else {
                String::new()
            }
        ),
        "  ",
    );
    if changed.is_empty() {
        let _ = writeln!(out, "  no question shown was asked in {prev}");
    } else {
        push_change_rows(out, &changed, question_width(shown), cmp.threshold);
    }
}

/// One row a question asked in both cycles. The change sits beside the ratings it describes
/// and says so, apart from the scores (which move the other way: a falling rating raises the
/// score).
fn push_change_rows(out: &mut String, changed: &[&QuestionScore], qw: usize, threshold: f64) {
    let fixed_part = 2 + 11 + 2 + 6 + 2 + 11 + 2 + 10 + 2 + 6;
    let cw = qw.min(WIDTH - fixed_part);
    let _ = writeln!(
        out,
        "{:<cw$}  {:>11}  {:>6}  {:<11}  {:>10}  {:>6}",
        "QUESTION", "RATING THEN", "NOW", "CHANGE", "SCORE THEN", "NOW"
    );
    for s in changed {
        let Some(p) = &s.previous else { continue };
        let then_shown = p.rating.map(|r| fixed(r, 2));
        let now_shown = s.rating.map(|r| fixed(r, 2));
        // The one definition of a rise or a fall, as on the site and in the data.
        let change = match movement(p.rating, s.rating, threshold) {
            Movement::Rose => "rating rose",
            Movement::Fell => "rating fell",
            Movement::Steady => "rating held",
            Movement::NotComparable => "-",
        };
        // An id too long for the column gets a line of its own.
        let question = if s.question.chars().count() > cw {
            let _ = writeln!(out, "{}", s.question);
            ""
        } else {
            s.question.as_str()
        };
        let _ = writeln!(
            out,
            "{question:<cw$}  {:>11}  {:>6}  {change:<11}  {:>10}  {:>6}",
            then_shown.as_deref().unwrap_or("none"),
            now_shown.as_deref().unwrap_or("none"),
            fixed(p.score, 1),
            fixed(s.score, 1),
        );
    }
}

/// Shortens to `width` characters, marking the cut with '~'.
fn abbreviate(s: &str, width: usize) -> String {
    if s.chars().count() <= width {
        s.to_string()
    } else {
        let mut cut: String = s.chars().take(width - 1).collect();
        cut.push('~');
        cut
    }
}

/// Writes `lead` then `items` joined by ", ", wrapping onto lines indented by `indent` so no
/// line passes the terminal width (an item too long for that indent gets a line of its own,
/// indented by 6).
fn push_columns(out: &mut String, lead: &str, indent: usize, items: &[&str], empty: &str) {
    let mut line = lead.to_string();
    let mut bare = true; // nothing but indentation on `line` yet
    if items.is_empty() {
        line.push_str(empty);
    }
    for (i, item) in items.iter().enumerate() {
        let piece = if i + 1 < items.len() {
            format!("{item},")
        } else {
            item.to_string()
        };
        let sep = if bare { "" } else { " " };
        if line.chars().count() + sep.len() + piece.chars().count() > WIDTH {
            if !line.trim().is_empty() {
                let _ = writeln!(out, "{}", line.trim_end());
            }
            let hang = if indent + piece.chars().count() > WIDTH {
                6
            } else {
                indent
            };
            line = " ".repeat(hang);
        } else {
            line.push_str(sep);
        }
        line.push_str(&piece);
        bare = false;
    }
    let _ = writeln!(out, "{}", line.trim_end());
}

/// Writes text wrapped at word boundaries to the terminal width; continuation lines start with
/// `hang`. Leading newlines are kept.
fn push_wrapped(out: &mut String, text: &str, hang: &str) {
    let body = text.trim_start_matches('\n');
    for _ in 0..text.len() - body.len() {
        out.push('\n');
    }
    // Long ids stay whole: a broken id could not be copied from the terminal.
    let options = textwrap::Options::new(WIDTH)
        .subsequent_indent(hang)
        .break_words(false)
        .word_splitter(textwrap::WordSplitter::NoHyphenation);
    for line in textwrap::wrap(body, options) {
        let _ = writeln!(out, "{line}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis;
    use crate::analysis::testkit::*;
    use crate::model::{ActionStatus, Confidence, Rating};

    #[test]
    fn long_ids_still_fit_80_columns() {
        let theme = "a-theme-whose-id-is-far-longer-than-any-terminal-column-would-allow";
        let question = "a-question-with-a-long-id-s-01";
        let mut a = audit(
            framework(&[0, 1, 2, 3], &[(theme, 1.0)], &[(question, theme)]),
            &[("council", true), ("police", true)],
        );
        let mut c = cycle("2025-26");
        answer(
            &mut c,
            "council",
            question,
            Rating::Value(3),
            Confidence::Low,
        );
        answer(
            &mut c,
            "police",
            question,
            Rating::Value(0),
            Confidence::Low,
        );
        a.actions = vec![action(
            "ACTION-WITH-A-LONG-ID-01",
            ActionStatus::InProgress,
            "2025-01-01",
            &[question],
        )];
        a.cycles = vec![c.clone()];
        let out = table(&analysis::analyse(&a, &c, c.closed), None);
        for line in out.lines() {
            assert!(line.chars().count() <= WIDTH, "too wide: {line:?}");
        }
        assert!(out.contains("  a-theme-whose-id-i~  "), "{out}");
        assert!(out.contains("2025-01-01 OVERDUE"), "{out}");
    }

    /// The change since last cycle says what changed, beside the ratings, within 80 columns
    /// even for an id too long for its column.
    #[test]
    fn the_change_section_names_the_rating_and_fits_80_columns() {
        let long = "a-question-with-a-very-long-id-indeed-s-01";
        let mut a = audit(
            framework(
                &[0, 1, 2, 3],
                &[("theme", 1.0)],
                &[("q-s-01", "theme"), ("q-s-02", "theme"), (long, "theme")],
            ),
            &[("council", true)],
        );
        let mut then = cycle("2024-25");
        let mut now = cycle("2025-26");
        for (q, before, after) in [("q-s-01", 3, 1), ("q-s-02", 1, 2), (long, 2, 2)] {
            for (c, r) in [(&mut then, before), (&mut now, after)] {
                answer(c, "council", q, Rating::Value(r), Confidence::High);
            }
        }
        a.cycles = vec![then, now.clone()];
        let out = table(&analysis::analyse(&a, &now, now.closed), None);
        for line in out.lines() {
            assert!(line.chars().count() <= WIDTH, "too wide: {line:?}");
        }
        let section = &out[out.find("Change since 2024-25").expect("a change section")..];
        let row = |q: &str| {
            section
                .lines()
                .find(|l| l.starts_with(&format!("{q} ")))
                .unwrap_or_else(|| panic!("no row for {q}:\n{section}"))
                .to_string()
        };
        assert!(section.contains("RATING THEN     NOW  CHANGE"), "{section}");
        assert!(
            row("q-s-01").contains("3.00    1.00  rating fell"),
            "{section}"
        );
        assert!(
            row("q-s-02").contains("1.00    2.00  rating rose"),
            "{section}"
        );
        // The long id on a line of its own, its figures below it.
        let at = section
            .find(&format!("{long}\n"))
            .expect("the long id alone");
        let figures = section[at..].lines().nth(1).unwrap();
        assert!(figures.contains("2.00    2.00  rating held"), "{section}");
    }

    /// A rating exactly on a half shows as the JSON and CSV round it (1.125 to 1.13), where
    /// `{:.2}` on the float would print 1.12.
    #[test]
    fn figures_on_a_half_round_away_from_zero_as_in_the_data() {
        assert_eq!(fixed(1.125, 2), "1.13");
        assert_eq!(fixed(0.25, 1), "0.3");
        assert_eq!(fixed(97.25, 1), "97.3");
        assert_eq!(fixed(2.0, 2), "2.00");
        assert_eq!(format!("{:.2}", 1.125), "1.12", "why this matters");
    }
}
