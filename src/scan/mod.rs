//! The personal-data scanner: patterns for the UK shapes of personal data, and (in `fold`) text
//! brought to the form a reader sees. A leaf of the house: the publication scans (`publish`),
//! and the checks of returns (`validate`, `import`), use it.
//!
//! A public page that carries one NHS number, or one child's date of birth, is a data
//! breach. Before a public build is written, every page's text goes through
//! [`Scanner::scan`], which looks for the UK shapes of personal data listed in
//! [`DataKind`] and for the terms of the partnership's own deny file (the names of the
//! children in its reviews, their schools, their streets).
//!
//! The scan leans towards recall: a false alarm costs the author a minute (reword the
//! text, or add the string to the allow list), a miss costs a child's privacy. It still
//! keeps the ordinary furniture of an audit report quiet: action ids (`A07`), periods
//! (`2024-25`), meeting dates with no birth cue, percentages, money, times, references.
//!
//! Every pattern is compiled once, in [`Scanner::new`], and every pattern is bounded or
//! automaton-friendly, so a scan is linear in the length of the text.

mod deny;
mod names;
pub use names::looks_like_a_name;

pub mod fold;

use regex::{Regex, RegexBuilder, RegexSet};
use std::collections::BTreeMap;
use std::fmt;

/// A kind of personal data the scan looks for.
///
/// The order of the variants is also the order of preference when two findings
/// overlap: the earlier (more specific) kind wins.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DataKind {
    NhsNumber,
    NiNumber,
    DateOfBirth,
    Email,
    Phone,
    Postcode,
    DenyListed,
}

impl DataKind {
    /// The kind as a noun phrase for messages ("found an NHS number in ...").
    pub fn describe(self) -> &'static str {
        match self {
            DataKind::NhsNumber => "an NHS number",
            DataKind::NiNumber => "a National Insurance number",
            DataKind::DateOfBirth => "a date of birth",
            DataKind::Email => "an email address",
            DataKind::Phone => "a phone number",
            DataKind::Postcode => "a postcode",
            DataKind::DenyListed => "a name on the deny list",
        }
    }
}

impl fmt::Display for DataKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.describe())
    }
}

/// One piece of personal data found in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub kind: DataKind,
    /// Byte offset of the first byte of the hit (always on a char boundary).
    pub start: usize,
    /// Byte offset just past the hit (always on a char boundary).
    pub end: usize,
}

/// How far (in characters) a date may follow a birth cue and still be taken as a date of birth.
const DOB_AFTER_CUE: usize = 40;
/// How far (in characters) a date may precede a birth cue ("12/03/2019 (DOB)").
const DOB_BEFORE_CUE: usize = 20;
/// Generous compile limit for the user-supplied (deny and allow) patterns.
const USER_PATTERN_LIMIT: usize = 256 << 20;
/// Table header lines longer than this are not treated as markdown table headers.
const MAX_TABLE_HEADER: usize = 4096;

// Every built-in pattern puts the hit in capture group 1. Most are wrapped in a leading
// and trailing context (`(?:^|[^…])` … `(?:$|[^…])`) instead of `\b`: the context is
// consumed, so the search restarts at the end of group 1 (see `for_each_hit`), which
// lets a context character serve both a hit and the next one.

/// 10 digits grouped 3-3-4, 4-3-3 or 5-5 (or in one run), each gap empty, spaces, or a
/// hyphen, dot, slash or comma with up to two spaces around it (mixed gaps too: `943 476-5919`);
/// not inside a longer digit run. Texts are folded first (`fold::fold`), so every dash is a
/// hyphen, every digit ASCII and every blank a space.
const NHS_PATTERN: &str = concat!(
    r"(?:^|[^0-9])(",
    r"[0-9]{3}(?:[ \u{a0}\u{202f}]{0,2}[\-./,][ \u{a0}\u{202f}]{0,2}|[ \u{a0}\u{202f}]{1,2})?[0-9]{3}(?:[ \u{a0}\u{202f}]{0,2}[\-./,][ \u{a0}\u{202f}]{0,2}|[ \u{a0}\u{202f}]{1,2})?[0-9]{4}",
    r"|[0-9]{4}(?:[ \u{a0}\u{202f}]{0,2}[\-./,][ \u{a0}\u{202f}]{0,2}|[ \u{a0}\u{202f}]{1,2})?[0-9]{3}(?:[ \u{a0}\u{202f}]{0,2}[\-./,][ \u{a0}\u{202f}]{0,2}|[ \u{a0}\u{202f}]{1,2})?[0-9]{3}",
    r"|[0-9]{5}(?:[ \u{a0}\u{202f}]{0,2}[\-./,][ \u{a0}\u{202f}]{0,2}|[ \u{a0}\u{202f}]{1,2})?[0-9]{5}",
    r")(?:$|[^0-9])"
);

/// Prefix letters (no D F I Q U V; no O second), six digits, suffix A-D.
/// Unspaced needs the suffix; digits in spaced pairs may drop it; a gap may be a hyphen. Here
/// and in the NHS, phone and postcode patterns a space may also be a no-break space (text
/// pasted from Word or Excel).
const NI_PATTERN: &str = r"(?i)(?:^|[^\w])([A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z](?:[0-9]{6}[ \u{a0}\u{202f}\-]?[A-D]|[ \u{a0}\u{202f}\-]?[0-9]{2}[ \u{a0}\u{202f}\-][0-9]{2}[ \u{a0}\u{202f}\-][0-9]{2}(?:[ \u{a0}\u{202f}\-]?[A-D])?|[ \u{a0}\u{202f}\-][0-9]{6}[ \u{a0}\u{202f}\-]?[A-D]))(?:$|[^\w])";

/// An address, also with spaces or brackets around the `@` (`kai @ example.org`, `kai[@]…`).
const EMAIL_PATTERN: &str =
    r"(?i)([\w%+\-][\w.%+\-]*(?:[ \u{a0}]{0,2}[\[(]?@[\])]?[ \u{a0}]{0,2})(?:[\w\-]+\.)+[a-z]{2,})";

/// An address with "at" and "dot" spelt out, as people write to dodge spam filters:
/// `kai at example dot org`, `kai [at] example [dot] org`, `kai(at)example.org`. The domain
/// needs at least one dot, and its last part letters only, so "met at home. Then" is prose.
const SPELT_EMAIL_PATTERN: &str = r"(?i)(?:^|[^\w.%+\-])([\w%+\-][\w.%+\-]*(?:\s*[\[({<]\s*at\s*[\])}>]\s*|\s+at\s+)[\w\-]+(?:(?:\s*[\[({<]\s*dot\s*[\])}>]\s*|\s+dot\s+|\.)[\w\-]+)*(?:\s*[\[({<]\s*dot\s*[\])}>]\s*|\s+dot\s+|\.)[a-z]{2,})(?:$|[^\w])";

/// Anything that starts like a UK number (`+44`, `0044`, `(0…)`, `0`) and goes on in
/// digit groups separated by a space, hyphen, dot or slash; `phone_prefix_ok` and
/// `phone_hit_len` then decide whether the groups make a UK number. An extension after it
/// (`x12`, `ext 12`) is left off.
const PHONE_PATTERN: &str = r"(?:^|[^0-9+])((?:\+|00)44[ \-./\u{a0}\u{202f}]?(?:\(0\)[ \-./\u{a0}\u{202f}]?)?[0-9]{1,10}(?:[ \-./\u{a0}\u{202f}][0-9]{1,10}){0,4}|\(0[0-9]{2,5}\)[ \-./\u{a0}\u{202f}]?[0-9]{1,10}(?:[ \-./\u{a0}\u{202f}][0-9]{1,10}){0,3}|0[0-9]{0,10}(?:[ \-./\u{a0}\u{202f}][0-9]{1,10}){0,4})(?:$|[^0-9])";

/// Words that introduce a phone number even when the number is written straight after them
/// (`Tel.0161…`, `Tel-07700…`, `Mob07700…`).
const PHONE_LABELS: &[&str] = &[
    "t",
    "tel",
    "tele",
    "telephone",
    "phone",
    "ph",
    "m",
    "mob",
    "mobile",
    "fax",
    "landline",
    "cell",
    "call",
    "ring",
    "text",
    "sms",
    "whatsapp",
    "contact",
    "number",
    "no",
];

/// The outward code of a UK postcode (A9, A99, A9A, AA9, AA99, AA9A).
const POSTCODE_OUTWARD: &str =
    "[A-PR-UWYZ](?:[0-9][0-9A-HJKPSTUW]?|[A-HK-Y][0-9][0-9ABEHMNPRVWXY]?)";
/// The inward code: a digit and two letters (never C I K M O V).
const POSTCODE_INWARD: &str = "[0-9][ABD-HJLNP-UW-Z]{2}";

const MONTHS: &str = "jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?";

/// Words that mark a nearby date as a date of birth: `date of birth` (also with hyphens or
/// underscores), `birth date`, `birthday`, `born`, `DOB` in its spellings, and `Birth` as a
/// label (`Birth:`). "b." is deliberately absent, and so is "birth" in prose.
const DOB_CUE_PATTERN: &str = r"(?i)(?:^|[^\p{L}])(date[\s\-_]*of[\s\-_]*birth|birth[\s\-_]*date|birthday|born|birth[ \u{a0}]*[:\-]|d\.?o\.?b\.?|d-o-b|d/o/b)(?:$|[^\p{L}])";

/// A compiled personal-data scanner. Build it once per build and reuse it for every page.
#[derive(Debug, Clone)]
pub struct Scanner {
    /// Shared by every scanner, with their search caches (one a thread at most): a national
    /// build keeps a scanner for each partnership, and copies would each grow their own.
    builtins: &'static Builtins,
    /// Shared by clones: diagnostics keep a copy of the scanner to mask what they print.
    deny: std::sync::Arc<deny::DenyMatcher>,
    allow: Vec<AllowEntry>,
}

#[derive(Debug, Clone)]
struct AllowEntry {
    /// The entry, trimmed.
    entry: String,
    /// The entry, trimmed and lower-cased, for the whole-hit comparison.
    folded: String,
    /// The entry as a case-insensitive literal, for finding its occurrences in a text: compiled
    /// only when a text has a finding to check against it, which most never have.
    pattern: std::sync::OnceLock<Regex>,
}

impl AllowEntry {
    fn pattern(&self) -> &Regex {
        self.pattern
            .get_or_init(|| user_pattern(&format!("(?i){}", literal_pattern(&self.entry))))
    }
}

fn builtin(pattern: &str) -> Regex {
    Regex::new(pattern).expect("built-in scan pattern compiles")
}

fn user_pattern(pattern: &str) -> Regex {
    RegexBuilder::new(pattern)
        .size_limit(USER_PATTERN_LIMIT)
        .build()
        .expect("an escaped literal pattern compiles")
}

/// A regex fragment matching `term` literally, except that any run of whitespace matches
/// any run of whitespace (a name broken across a line) and straight and curly
/// apostrophes match each other.
fn literal_pattern(term: &str) -> String {
    let mut out = String::with_capacity(term.len() * 2);
    let mut in_space = false;
    for c in term.chars() {
        if c.is_whitespace() {
            if !in_space {
                out.push_str(r"\s+");
            }
            in_space = true;
            continue;
        }
        in_space = false;
        match c {
            '\'' | '\u{2019}' | '\u{2018}' => out.push_str("['\u{2018}\u{2019}]"),
            _ => out.push_str(&regex::escape(c.encode_utf8(&mut [0; 4]))),
        }
    }
    out
}

/// The built-in patterns, compiled once per process: a collection makes a scanner for every
/// partnership.
#[derive(Debug)]
struct Builtins {
    nhs: Regex,
    ni: Regex,
    email: Regex,
    spelt_email: Regex,
    phone: Regex,
    postcode_spaced: Regex,
    postcode_tight: Regex,
    date: Regex,
    dob_cue: Regex,
    /// The patterns above that are searched for on their own (all but `date`, which is only
    /// looked for near a cue), as one set: one pass over a text tells which of them occur at
    /// all, and only those are searched for again, for where (most texts hold none of them).
    any: RegexSet,
}

/// Indexes into [`Builtins::any`].
mod present {
    pub const NHS: usize = 0;
    pub const NI: usize = 1;
    pub const EMAIL: usize = 2;
    pub const SPELT_EMAIL: usize = 3;
    pub const PHONE: usize = 4;
    pub const POSTCODE_SPACED: usize = 5;
    pub const POSTCODE_TIGHT: usize = 6;
    pub const DOB_CUE: usize = 7;
}

fn builtins() -> &'static Builtins {
    static BUILTINS: std::sync::OnceLock<Builtins> = std::sync::OnceLock::new();
    BUILTINS.get_or_init(|| {
        // Any case, any spacing, or a hyphen: `SW1A 1AA`, `sw1a1aa`, `Sw1a   1aA`, `SW1A-1AA`.
        let postcode_spaced = format!(
            r"(?i)(?:^|[^\w])({POSTCODE_OUTWARD}(?:[ \u{{a0}}\u{{202f}}]{{1,3}}|[ \u{{a0}}\u{{202f}}]{{0,2}}-[ \u{{a0}}\u{{202f}}]{{0,2}}){POSTCODE_INWARD})(?:$|[^\w])"
        );
        let postcode_tight =
            format!(r"(?i)(?:^|[^\w])({POSTCODE_OUTWARD}{POSTCODE_INWARD})(?:$|[^\w])");
        let date = format!(
            r"(?i)(?:^|[^0-9])([0-9]{{4}}[\-/.][0-9]{{1,2}}[\-/.][0-9]{{1,2}}|[0-9]{{1,2}}[\-/.][0-9]{{1,2}}[\-/.](?:[0-9]{{4}}|[0-9]{{2}})|[0-9]{{1,2}} [0-9]{{1,2}} (?:[0-9]{{4}}|[0-9]{{2}})|[0-9]{{1,2}}(?:st|nd|rd|th)?(?:\s{{1,3}}of)?(?:\s{{1,3}}|-)(?:{MONTHS})\.?,?(?:\s{{1,3}}|-)(?:[0-9]{{4}}|[0-9]{{2}})|(?:{MONTHS})\.?\s{{1,3}}[0-9]{{1,2}}(?:st|nd|rd|th)?,?\s{{1,3}}[0-9]{{4}})(?:$|[^0-9])"
        );
        // In the order of `present`.
        let searched = [
            NHS_PATTERN,
            NI_PATTERN,
            EMAIL_PATTERN,
            SPELT_EMAIL_PATTERN,
            PHONE_PATTERN,
            &postcode_spaced,
            &postcode_tight,
            DOB_CUE_PATTERN,
        ];
        Builtins {
            nhs: builtin(NHS_PATTERN),
            ni: builtin(NI_PATTERN),
            email: builtin(EMAIL_PATTERN),
            spelt_email: builtin(SPELT_EMAIL_PATTERN),
            phone: builtin(PHONE_PATTERN),
            postcode_spaced: builtin(&postcode_spaced),
            postcode_tight: builtin(&postcode_tight),
            date: builtin(&date),
            dob_cue: builtin(DOB_CUE_PATTERN),
            any: RegexSet::new(searched).expect("built-in scan patterns compile as a set"),
        }
    })
}

impl Scanner {
    /// `allow`: strings that may appear (e.g. the partnership's contact address), matched
    /// case-insensitively against the whole hit; a hit lying wholly inside an occurrence
    /// of an allowed string is dropped too.
    /// `deny`: terms from the partnership's deny file (names of children in its reviews,
    /// schools, streets), matched as whole words in any case, however joined, turned or
    /// spelt with look-alike letters (see `deny`).
    pub fn new(allow: &[String], deny: &[String]) -> Scanner {
        let deny = std::sync::Arc::new(deny::DenyMatcher::new(deny));
        let allow = allow
            .iter()
            .map(|a| a.trim())
            .filter(|a| !a.is_empty())
            .map(|a| AllowEntry {
                entry: a.to_string(),
                folded: a.to_lowercase(),
                pattern: std::sync::OnceLock::new(),
            })
            .collect();

        Scanner {
            builtins: builtins(),
            deny,
            allow,
        }
    }

    /// [`Scanner::scan`] of `text` folded as a reader sees it ([`fold::fold`]), each finding
    /// placed back in `text` as written.
    pub fn scan_text(&self, text: &str) -> Vec<Finding> {
        let folded = fold::fold(text);
        self.scan(&folded.text)
            .into_iter()
            .map(|f| {
                let (start, end) = folded.original_range(f.start, f.end);
                Finding { start, end, ..f }
            })
            .filter(|f| f.end > f.start)
            .collect()
    }

    /// What is wrong with a text that should name a role (a return's `completed_by`), masked,
    /// if anything: a person's name (alone, beside a role, or after a title or rank), or what
    /// the scan flags in it (a name on the deny list, a phone number...).
    pub fn role_problem(&self, role: &str) -> Option<String> {
        if looks_like_a_name(role) {
            return Some(format!(
                "looks like a person's name ({})",
                mask(role.trim())
            ));
        }
        self.scan_text(role).first().map(|f| {
            format!(
                "holds what looks like {} ({})",
                f.kind.describe(),
                mask(&role[f.start..f.end])
            )
        })
    }

    /// All findings in `text`, sorted by start, not overlapping (when two overlap, the
    /// more specific kind, earlier in [`DataKind`], is kept).
    pub fn scan(&self, text: &str) -> Vec<Finding> {
        // Which patterns occur at all, in one pass; each of those is then searched for alone.
        let b = self.builtins;
        let present = b.any.matches(text);
        let mut found = Vec::new();
        numbers(b, &present, text, &mut found);
        let mut push = |kind: DataKind, (start, end): (usize, usize)| {
            found.push(Finding { kind, start, end });
        };
        if present.matched(present::DOB_CUE) {
            for r in self.dates_of_birth(text) {
                push(DataKind::DateOfBirth, r);
            }
        }
        if present.matched(present::EMAIL) {
            for m in b.email.find_iter(text) {
                push(DataKind::Email, (m.start(), m.end()));
            }
        }
        if present.matched(present::SPELT_EMAIL) {
            for_each_hit(
                &b.spelt_email,
                text,
                |s, e| spelt_email_ok(&text[s..e]).then_some((s, e)),
                |r| push(DataKind::Email, r),
            );
        }

        for r in self.deny.find(text) {
            push(DataKind::DenyListed, r);
        }

        if !self.allow.is_empty() && !found.is_empty() {
            found = self.drop_allowed(text, found);
        }
        resolve_overlaps(found)
    }

    /// Drop findings equal to an allow entry, or lying inside an occurrence of one.
    fn drop_allowed(&self, text: &str, found: Vec<Finding>) -> Vec<Finding> {
        let mut spans: Vec<(usize, usize)> = self
            .allow
            .iter()
            .flat_map(|a| a.pattern().find_iter(text).map(|m| (m.start(), m.end())))
            .collect();
        spans.sort_unstable();
        // reach[i]: the furthest end among spans[..=i].
        let reach: Vec<usize> = spans
            .iter()
            .scan(0, |far, &(_, e)| {
                *far = (*far).max(e);
                Some(*far)
            })
            .collect();
        found
            .into_iter()
            .filter(|f| {
                let hit = text[f.start..f.end].to_lowercase();
                if self.allow.iter().any(|a| a.folded == hit) {
                    return false;
                }
                let n = spans.partition_point(|&(s, _)| s <= f.start);
                !(n > 0 && reach[n - 1] >= f.end)
            })
            .collect()
    }

    /// Dates that a birth cue points at: the nearest date after a cue (within
    /// `DOB_AFTER_CUE` characters, same paragraph and sentence) or before it (within
    /// `DOB_BEFORE_CUE`, nothing but spaces and brackets between), whichever is closer;
    /// and every date in a markdown table column whose header is a cue.
    fn dates_of_birth(&self, text: &str) -> Vec<(usize, usize)> {
        // Cues first: most texts have none, and then no date needs finding.
        let mut cues = Vec::new();
        for_each_hit(
            &self.builtins.dob_cue,
            text,
            |s, e| Some((s, e)),
            |r| cues.push(r),
        );
        if cues.is_empty() {
            return Vec::new();
        }
        let mut dates = Vec::new();
        for_each_hit(
            &self.builtins.date,
            text,
            |s, e| date_ok(text, s, e).then_some((s, e)),
            |r| dates.push(r),
        );
        if dates.is_empty() {
            return dates;
        }

        let mut flagged = vec![false; dates.len()];
        for &(cue_start, cue_end) in &cues {
            // Dates never overlap one another, so they are sorted by end as well as start.
            let i = dates.partition_point(|&(s, _)| s < cue_end);
            let after = dates
                .get(i)
                .and_then(|&(s, _)| gap_after_cue(&text[cue_end..s]))
                .map(|gap| (gap, i));
            let j = dates.partition_point(|&(_, e)| e <= cue_start);
            let before = j
                .checked_sub(1)
                .and_then(|j| gap_before_cue(&text[dates[j].1..cue_start]).map(|gap| (gap, j)));
            let pick = match (after, before) {
                (Some((ga, ia)), Some((gb, ib))) => Some(if gb < ga { ib } else { ia }),
                (Some((_, i)), None) | (None, Some((_, i))) => Some(i),
                (None, None) => None,
            };
            if let Some(k) = pick {
                flagged[k] = true;
            }
        }
        flag_table_columns(text, &cues, &dates, &mut flagged);

        dates
            .into_iter()
            .zip(flagged)
            .filter_map(|(d, f)| f.then_some(d))
            .collect()
    }
}

/// A built-in pattern whose hit stands or falls on its own text: its place in `present`, the
/// pattern, what it finds, and the test a hit must pass.
type StandAlone<'b> = (usize, &'b Regex, DataKind, fn(&str) -> bool);

/// The findings of the number-shaped patterns `present` found in `text` (NHS and National
/// Insurance numbers, phone numbers, postcodes), pushed onto `found`.
fn numbers(b: &Builtins, present: &regex::SetMatches, text: &str, found: &mut Vec<Finding>) {
    let mut push = |kind: DataKind, (start, end): (usize, usize)| {
        found.push(Finding { kind, start, end });
    };
    // The order does not matter: `resolve_overlaps` sorts what is found.
    let alone: [StandAlone<'_>; 4] = [
        (present::NHS, &b.nhs, DataKind::NhsNumber, nhs_checksum_ok),
        (present::NI, &b.ni, DataKind::NiNumber, ni_prefix_ok),
        (
            present::POSTCODE_SPACED,
            &b.postcode_spaced,
            DataKind::Postcode,
            |hit| !is_lowercase_ordinal_tail(hit),
        ),
        (
            present::POSTCODE_TIGHT,
            &b.postcode_tight,
            DataKind::Postcode,
            |_| true,
        ),
    ];
    for (index, re, kind, ok) in alone {
        if present.matched(index) {
            for_each_hit(
                re,
                text,
                |s, e| ok(&text[s..e]).then_some((s, e)),
                |r| push(kind, r),
            );
        }
    }
    // A phone number also depends on what stands before it (a label such as `Tel`).
    if present.matched(present::PHONE) {
        let uk_number = |s: usize, e: usize| {
            if !phone_prefix_ok(text, s) {
                return None;
            }
            phone_hit_len(&text[s..e]).map(|len| (s, s + len))
        };
        for_each_hit(&b.phone, text, uk_number, |r| push(DataKind::Phone, r));
    }
}

/// Run `re` over `text`; for each match hand group 1 to `check`, and each range it
/// accepts to `emit`. The next search starts where group 1 ended, so a consumed context
/// character can also open the next hit.
fn for_each_hit(
    re: &Regex,
    text: &str,
    mut check: impl FnMut(usize, usize) -> Option<(usize, usize)>,
    mut emit: impl FnMut((usize, usize)),
) {
    let mut locs = re.capture_locations();
    let mut pos = 0;
    while pos <= text.len() {
        let Some(whole) = re.captures_read_at(&mut locs, text, pos) else {
            break;
        };
        let (s, e) = locs.get(1).unwrap_or((whole.start(), whole.end()));
        let mut next = e;
        if let Some((hs, he)) = check(s, e)
            && he > hs
        {
            emit((hs, he));
            next = he;
        }
        if next <= pos {
            // An empty hit at `pos`: step over one char to make progress.
            next = pos + text[pos..].chars().next().map_or(1, char::len_utf8);
        }
        pos = next;
    }
}

/// Keep the most specific finding where findings overlap; return them sorted by start.
fn resolve_overlaps(mut found: Vec<Finding>) -> Vec<Finding> {
    found.sort_by(|a, b| {
        a.kind
            .cmp(&b.kind)
            .then(a.start.cmp(&b.start))
            .then(b.end.cmp(&a.end))
    });
    // Accepted ranges, start -> end; they never overlap, so they are sorted by end too.
    let mut taken: BTreeMap<usize, usize> = BTreeMap::new();
    let mut kept = Vec::with_capacity(found.len());
    for f in found {
        let clash = taken
            .range(..f.end)
            .next_back()
            .is_some_and(|(_, &end)| end > f.start);
        if !clash {
            taken.insert(f.start, f.end);
            kept.push(f);
        }
    }
    kept.sort_by_key(|f| (f.start, f.end));
    kept
}

/// The NHS modulus-11 check: weights 10..2 on the first nine digits, check digit
/// 11 - (sum mod 11), where 11 means 0 and 10 means the number is invalid.
fn nhs_checksum_ok(hit: &str) -> bool {
    let digits: Vec<u32> = hit.chars().filter_map(|c| c.to_digit(10)).collect();
    if digits.len() != 10 {
        return false;
    }
    let sum: u32 = digits[..9]
        .iter()
        .zip((2..=10).rev())
        .map(|(d, w)| d * w)
        .sum();
    match 11 - sum % 11 {
        11 => digits[9] == 0,
        10 => false,
        check => digits[9] == check,
    }
}

/// Prefixes never issued as National Insurance numbers (beyond the letter rules the
/// pattern already applies).
fn ni_prefix_ok(hit: &str) -> bool {
    let prefix = hit.get(..2).unwrap_or("").to_ascii_uppercase();
    !matches!(
        prefix.as_str(),
        "BG" | "GB" | "KN" | "NK" | "NT" | "TN" | "ZZ"
    )
}

fn char_before(text: &str, i: usize) -> Option<char> {
    text[..i].chars().next_back()
}

/// A phone number does not continue an identifier (`REF-0161…`, `v1.0…`, `2024/0…`,
/// `A07700…`), unless what it continues is a phone label (`Tel.0161…`, `Tel-07700…`).
fn phone_prefix_ok(text: &str, start: usize) -> bool {
    match char_before(text, start) {
        Some(c) if c.is_alphanumeric() => label_ends_at(text, start),
        Some(c @ ('-' | '/' | '.')) => {
            let before = start - c.len_utf8();
            !char_before(text, before).is_some_and(char::is_alphanumeric)
                || label_ends_at(text, before)
        }
        _ => true,
    }
}

/// Whether the word ending at byte `end` is a phone label (`Tel`, `Mob`...), any case.
fn label_ends_at(text: &str, end: usize) -> bool {
    let head = &text[..end];
    let word_start = head
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_alphabetic())
        .last()
        .map_or(end, |(i, _)| i);
    let word = head[word_start..].to_lowercase();
    !char_before(text, word_start).is_some_and(char::is_alphanumeric)
        && PHONE_LABELS.contains(&word.as_str())
}

/// If `hit` (digit groups after a UK prefix) begins with a UK phone number, the byte
/// length of that number. The national form (0 + 9 or 10 digits) must start 01, 02, 03,
/// 05, 07, 08 or 09 (10 digits only for 01, 05, 08), and be written as one run or as
/// at most three groups: an area code of 3 to 6 digits, then groups of 3 or more.
fn phone_hit_len(hit: &str) -> Option<usize> {
    let b = hit.as_bytes();
    let mut i = 0;
    let international = if hit.starts_with("+44") {
        i = 3;
        true
    } else if hit.starts_with("0044") {
        i = 4;
        true
    } else {
        false
    };
    if international {
        i += separator_len(&hit[i..]);
        if hit[i..].starts_with("(0)") {
            i += 3;
            i += separator_len(&hit[i..]);
        }
    }
    // (digits of the group, byte offset in `hit` just past the group)
    let mut groups: Vec<(&str, usize)> = Vec::new();
    loop {
        let bracketed = b.get(i) == Some(&b'(');
        if bracketed {
            i += 1;
        }
        let start = i;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        if i == start {
            break;
        }
        groups.push((&hit[start..i], i));
        if bracketed {
            if b.get(i) != Some(&b')') {
                break;
            }
            i += 1;
            groups.last_mut().expect("just pushed").1 = i;
        }
        let sep = separator_len(&hit[i..]);
        if sep > 0
            && b.get(i + sep)
                .is_some_and(|c| c.is_ascii_digit() || *c == b'(')
        {
            i += sep;
        } else if b.get(i).is_some_and(u8::is_ascii_digit) {
            // ")0161"-style joins: treat as the same number, next group.
            continue;
        } else {
            break;
        }
    }
    let first = groups.first()?.0;
    let trunk = international && !first.starts_with('0');
    let mut national = String::with_capacity(12);
    if trunk {
        national.push('0');
    }
    let mut lens = Vec::with_capacity(groups.len());
    for (k, (digits, _)) in groups.iter().enumerate() {
        national.push_str(digits);
        lens.push(digits.len() + usize::from(k == 0 && trunk));
    }
    let nb = national.as_bytes();
    if let Some(k) = lone_trunk_zero(&lens, nb) {
        return Some(groups[k - 1].1);
    }
    for k in (1..=groups.len().min(5)).rev() {
        let total: usize = lens[..k].iter().sum();
        if total > nb.len() || nb[0] != b'0' {
            continue;
        }
        let second = nb.get(1).copied().unwrap_or(b'0');
        let length_ok = total == 11 || (total == 10 && matches!(second, b'1' | b'5' | b'8'));
        let range_ok = matches!(second, b'1' | b'2' | b'3' | b'5' | b'7' | b'8' | b'9');
        // One run, an area code of 3 to 6 digits then groups of 3 or more, or (as people
        // also write mobiles and switchboards) any grouping in pairs or longer.
        // A date written with hyphens or dots ("01-02-2024") is not a number in pairs.
        let spaced_pairs = lens[..k].iter().all(|&l| l >= 2)
            && (lens[0] >= 3 || !hit[..groups[k - 1].1].contains(['-', '.', '/']));
        let grouping_ok = k == 1
            || ((3..=6).contains(&lens[0]) && lens[1..k].iter().all(|&l| l >= 3))
            || spaced_pairs;
        if length_ok && range_ok && grouping_ok {
            return Some(groups[k - 1].1);
        }
    }
    None
}

/// The trunk 0 written apart (`0 7700 900123`, `0 161 496 0000`): how many groups make the
/// number, when the 0 and the group after it make a usual grouping of 11 digits (a mobile
/// may also be written 5-3-3).
fn lone_trunk_zero(lens: &[usize], national: &[u8]) -> Option<usize> {
    if lens.len() < 3 || lens[0] != 1 || national.first() != Some(&b'0') {
        return None;
    }
    let second = national.get(1).copied().unwrap_or(b'0');
    (3..=lens.len().min(4)).rev().find(|&k| {
        let mut merged = vec![1 + lens[1]];
        merged.extend_from_slice(&lens[2..k]);
        let usual = matches!(merged.as_slice(), [5, 6] | [4, 3, 4] | [3, 4, 4])
            || (second == b'7' && merged == [5, 3, 3]);
        usual && matches!(second, b'1' | b'2' | b'3' | b'7' | b'8')
    })
}

/// The byte length of the digit-group separator (space, hyphen, dot, no-break space or
/// narrow no-break space) at the start of `rest`, or 0.
fn separator_len(rest: &str) -> usize {
    match rest.chars().next() {
        Some(c @ (' ' | '-' | '.' | '/' | '\u{a0}' | '\u{202f}')) => c.len_utf8(),
        _ => 0,
    }
}

/// A spelt-out address says "at" as a word or in brackets and names a domain; a sentence such
/// as "staff at the centre dot" never reaches here (the pattern needs the final dot part).
fn spelt_email_ok(hit: &str) -> bool {
    let lower = hit.to_ascii_lowercase();
    // Prose "at" between words needs a spelt "dot" too; "(at)" or "[at]" is never prose.
    let bracketed = ["[at]", "(at)", "{at}", "<at>"]
        .iter()
        .any(|b| lower.replace(' ', "").contains(b));
    bracketed || lower.contains(" dot ") || lower.contains("dot]") || lower.contains("dot)")
}

/// "y6 1st", "e1 2nd": a lower-case inward code that is an ordinal is prose, not a postcode.
fn is_lowercase_ordinal_tail(hit: &str) -> bool {
    let tail = hit.get(hit.len().saturating_sub(3)..).unwrap_or("");
    let b = tail.as_bytes();
    if b.len() != 3 || !b[1].is_ascii_lowercase() || !b[2].is_ascii_lowercase() {
        return false;
    }
    let suffix = &tail[1..];
    match b[0] {
        b'1' => suffix == "st",
        b'2' => suffix == "nd",
        b'3' => suffix == "rd",
        _ => suffix == "th",
    }
}

/// Whether a date hit is a plausible calendar date (and a month name is a word).
fn date_ok(text: &str, s: usize, e: usize) -> bool {
    let hit = &text[s..e];
    let numbers: Vec<u32> = hit
        .split(|c: char| !c.is_ascii_digit())
        .filter(|p| !p.is_empty())
        .filter_map(|p| p.parse().ok())
        .collect();
    let first = hit.as_bytes()[0];
    if first.is_ascii_alphabetic() {
        // "March 12, 2019": the month must start a word.
        if char_before(text, s).is_some_and(char::is_alphanumeric) {
            return false;
        }
        return numbers.first().is_some_and(|d| (1..=31).contains(d));
    }
    match numbers.as_slice() {
        [y, m, d] if hit.as_bytes().get(4).is_some_and(|c| !c.is_ascii_digit()) && *y >= 1000 => {
            (1..=12).contains(m) && (1..=31).contains(d)
        }
        [a, b, _] => {
            let day_month = (1..=31).contains(a) && (1..=12).contains(b);
            let month_day = (1..=12).contains(a) && (1..=31).contains(b);
            day_month || month_day
        }
        // "12 March 2019": only the day and the year are digits.
        [d, _] => (1..=31).contains(d),
        _ => false,
    }
}

/// The length in chars of the text between a cue and a date after it, if the date is
/// close enough and in the same sentence and paragraph.
fn gap_after_cue(gap: &str) -> Option<usize> {
    if gap.len() > DOB_AFTER_CUE * 4 {
        return None;
    }
    let n = gap.chars().count();
    (n <= DOB_AFTER_CUE && !has_blank_line(gap) && !ends_sentence(gap)).then_some(n)
}

/// The length in chars of the text between a date and a cue after it, if only a short
/// run of spaces, brackets, dashes or commas separates them.
fn gap_before_cue(gap: &str) -> Option<usize> {
    if gap.len() > DOB_BEFORE_CUE * 4 {
        return None;
    }
    let n = gap.chars().count();
    let broken = gap.contains(['.', ';', '!', '?', '\n']);
    (n <= DOB_BEFORE_CUE && !broken).then_some(n)
}

fn has_blank_line(gap: &str) -> bool {
    let lines: Vec<&str> = gap.split('\n').collect();
    lines.len() > 2
        && lines[1..lines.len() - 1]
            .iter()
            .any(|l| l.trim().is_empty())
}

/// A sentence ends inside `gap`: '!' or '?', or a '.' after a word of 4 or more
/// characters ("Leeds.", not "St." or "Mrs."), followed by whitespace and a capital.
fn ends_sentence(gap: &str) -> bool {
    let chars: Vec<char> = gap.chars().collect();
    chars.iter().enumerate().any(|(i, &c)| {
        if !matches!(c, '.' | '!' | '?') {
            return false;
        }
        let word = chars[..i]
            .iter()
            .rev()
            .take_while(|c| c.is_alphanumeric())
            .count();
        let rest = &chars[i + 1..];
        let spaces = rest.iter().take_while(|c| c.is_whitespace()).count();
        spaces > 0 && rest.get(spaces).is_some_and(|c| c.is_uppercase()) && (c != '.' || word >= 4)
    })
}

fn is_table_separator(line: &str) -> bool {
    let t = line.trim();
    t.starts_with('|')
        && t.contains('-')
        && t.chars().all(|c| matches!(c, '|' | '-' | ':' | ' ' | '\t'))
}

/// Markdown tables: a cue in a header cell marks every date in that column of the body.
fn flag_table_columns(
    text: &str,
    cues: &[(usize, usize)],
    dates: &[(usize, usize)],
    flagged: &mut [bool],
) {
    let newlines: Vec<usize> = text.match_indices('\n').map(|(i, _)| i).collect();
    let line_of = |pos: usize| -> (usize, usize) {
        let k = newlines.partition_point(|&n| n < pos);
        let start = if k == 0 { 0 } else { newlines[k - 1] + 1 };
        let end = newlines.get(k).copied().unwrap_or(text.len());
        (start, end)
    };
    // header line start -> (end of the separator line, columns whose header is a cue)
    let mut headers: BTreeMap<usize, (usize, Vec<usize>)> = BTreeMap::new();
    for &(cue_start, _) in cues {
        let (ls, le) = line_of(cue_start);
        if le - ls > MAX_TABLE_HEADER
            || le >= text.len()
            || !text[ls..le].trim_start().starts_with('|')
        {
            continue;
        }
        let (ss, se) = line_of(le + 1);
        if !is_table_separator(&text[ss..se]) {
            continue;
        }
        let col = text[ls..cue_start].matches('|').count();
        headers
            .entry(ls)
            .or_insert_with(|| (se, Vec::new()))
            .1
            .push(col);
    }
    let headers: Vec<(usize, usize, Vec<usize>)> = headers
        .into_iter()
        .map(|(ls, (sep_end, cols))| (ls, sep_end, cols))
        .collect();
    for (h, (_, sep_end, cols)) in headers.iter().enumerate() {
        // A body ends at the first line that is not a table row, or at the next header,
        // so every line is looked at for one header at most.
        let limit = headers.get(h + 1).map_or(text.len(), |next| next.0);
        let mut pos = sep_end + 1;
        while pos < limit {
            let (ls, le) = line_of(pos);
            if !text[ls..le].trim_start().starts_with('|') {
                break;
            }
            let mut counted_to = ls;
            let mut col = 0;
            let first = dates.partition_point(|&(s, _)| s < ls);
            for (k, &(ds, de)) in dates.iter().enumerate().skip(first) {
                if de > le {
                    break;
                }
                col += text[counted_to..ds].matches('|').count();
                counted_to = ds;
                if cols.contains(&col) {
                    flagged[k] = true;
                }
            }
            pos = le + 1;
        }
    }
}

/// `text` with every value `scanners` flag in it (or a scanner of the built-in kinds alone, when
/// none is given) masked in place ([`mask`]): messages and source lines can be printed without
/// echoing personal data. Characters keep their count, so a caret under a place stays under it.
pub fn redact<'t>(text: &'t str, scanners: &[&Scanner]) -> std::borrow::Cow<'t, str> {
    static PLAIN: std::sync::OnceLock<Scanner> = std::sync::OnceLock::new();
    let plain = [PLAIN.get_or_init(|| Scanner::new(&[], &[]))];
    let scanners = if scanners.is_empty() {
        &plain[..]
    } else {
        scanners
    };
    let mut out = std::borrow::Cow::Borrowed(text);
    for s in scanners {
        let found = s.scan_text(&out);
        if found.is_empty() {
            continue;
        }
        let mut masked = String::with_capacity(out.len() + 16);
        let mut at = 0;
        for f in found {
            masked.push_str(&out[at..f.start]);
            masked.push_str(&mask(&out[f.start..f.end]));
            at = f.end;
        }
        masked.push_str(&out[at..]);
        out = std::borrow::Cow::Owned(masked);
    }
    out
}

/// Mask a value for messages: keep the first 2 and last 1 visible chars at most, and
/// never more than a third of the value, e.g. "94•••••••9"; the rest become '•'. The
/// result always hides at least one char, so it never echoes the whole value.
pub fn mask(value: &str) -> String {
    let chars: Vec<char> = value.chars().collect();
    let n = chars.len();
    let visible = (n / 3).min(3);
    let head = visible.min(2);
    let tail = visible - head;
    let hidden = (n - head - tail).max(1);
    let mut out = String::with_capacity(head + hidden * 3 + tail);
    out.extend(&chars[..head]);
    out.extend(std::iter::repeat_n('•', hidden));
    out.extend(&chars[n - tail..]);
    out
}

#[cfg(test)]
mod evasions;
#[cfg(test)]
mod tests;
