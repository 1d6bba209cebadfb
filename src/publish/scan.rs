//! The personal-data scan run on public builds.
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

use regex::{Regex, RegexBuilder};
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
/// Deny terms are compiled in chunks so that no single automaton grows too large.
const DENY_CHUNK: usize = 200;
/// Generous compile limit for the user-supplied (deny and allow) patterns.
const USER_PATTERN_LIMIT: usize = 256 << 20;
/// Table header lines longer than this are not treated as markdown table headers.
const MAX_TABLE_HEADER: usize = 4096;

// Every built-in pattern puts the hit in capture group 1. Most are wrapped in a leading
// and trailing context (`(?:^|[^…])` … `(?:$|[^…])`) instead of `\b`: the context is
// consumed, so the search restarts at the end of group 1 (see `for_each_hit`), which
// lets a context character serve both a hit and the next one.

/// 10 digits, or 3-3-4 with one consistent separator (space, hyphen or dot); not inside
/// a longer digit run.
const NHS_PATTERN: &str = r"(?:^|[^0-9])([0-9]{10}|[0-9]{3}[ \u{a0}\u{202f}][0-9]{3}[ \u{a0}\u{202f}][0-9]{4}|[0-9]{3}-[0-9]{3}-[0-9]{4}|[0-9]{3}\.[0-9]{3}\.[0-9]{4})(?:$|[^0-9])";

/// Prefix letters (no D F I Q U V; no O second), six digits, suffix A-D.
/// Unspaced needs the suffix; digits in spaced pairs may drop it. Here and in the NHS,
/// phone and postcode patterns a space may also be a no-break space (text pasted from
/// Word or Excel).
const NI_PATTERN: &str = r"(?i)(?:^|[^\w])([A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z](?:[0-9]{6}[ \u{a0}\u{202f}]?[A-D]|[ \u{a0}\u{202f}]?[0-9]{2}[ \u{a0}\u{202f}][0-9]{2}[ \u{a0}\u{202f}][0-9]{2}(?:[ \u{a0}\u{202f}]?[A-D])?|[ \u{a0}\u{202f}][0-9]{6}[ \u{a0}\u{202f}]?[A-D]))(?:$|[^\w])";

const EMAIL_PATTERN: &str = r"(?i)([\w%+\-][\w.%+\-]*@(?:[\w\-]+\.)+[a-z]{2,})";

/// Anything that starts like a UK number (`+44`, `0044`, `(0…)`, `0`) and goes on in
/// digit groups; `phone_hit_len` then decides whether the groups make a UK number.
const PHONE_PATTERN: &str = r"(?:^|[^\w+])((?:\+|00)44[ \-\u{a0}\u{202f}]?(?:\(0\)[ \-\u{a0}\u{202f}]?)?[0-9]{1,10}(?:[ \-\u{a0}\u{202f}][0-9]{1,10}){0,3}|\(0[0-9]{2,5}\)[ \-\u{a0}\u{202f}]?[0-9]{1,10}(?:[ \-\u{a0}\u{202f}][0-9]{1,10}){0,2}|0[0-9]{1,10}(?:[ \-\u{a0}\u{202f}][0-9]{1,10}){0,3})(?:$|[^\w])";

/// The outward code of a UK postcode (A9, A99, A9A, AA9, AA99, AA9A).
const POSTCODE_OUTWARD: &str =
    "[A-PR-UWYZ](?:[0-9][0-9A-HJKPSTUW]?|[A-HK-Y][0-9][0-9ABEHMNPRVWXY]?)";
/// The inward code: a digit and two letters (never C I K M O V).
const POSTCODE_INWARD: &str = "[0-9][ABD-HJLNP-UW-Z]{2}";

const MONTHS: &str = "jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?";

/// Words that mark a nearby date as a date of birth. "b." is deliberately absent.
const DOB_CUE_PATTERN: &str = r"(?i)(?:^|[^\p{L}])(date\s+of\s+birth|birth\s*date|birthday|born|d\.?o\.?b\.?|d/o/b)(?:$|[^\p{L}])";

/// A compiled personal-data scanner. Build it once per build and reuse it for every page.
#[derive(Debug, Clone)]
pub struct Scanner {
    nhs: Regex,
    ni: Regex,
    email: Regex,
    phone: Regex,
    postcode_spaced: Regex,
    postcode_tight: Regex,
    date: Regex,
    dob_cue: Regex,
    deny: Vec<Regex>,
    allow: Vec<AllowEntry>,
}

#[derive(Debug, Clone)]
struct AllowEntry {
    /// The entry, trimmed and lower-cased, for the whole-hit comparison.
    folded: String,
    /// The entry as a case-insensitive literal, for finding its occurrences in a text.
    pattern: Regex,
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

impl Scanner {
    /// `allow`: strings that may appear (e.g. the partnership's contact address), matched
    /// case-insensitively against the whole hit; a hit lying wholly inside an occurrence
    /// of an allowed string is dropped too.
    /// `deny`: terms from the partnership's deny file (names of children in its reviews,
    /// schools, streets), matched case-insensitively on word boundaries.
    pub fn new(allow: &[String], deny: &[String]) -> Scanner {
        let postcode_spaced = format!(
            r"(?i)(?:^|[^\w])({POSTCODE_OUTWARD}[ \u{{a0}}\u{{202f}}]{POSTCODE_INWARD})(?:$|[^\w])"
        );
        let postcode_tight =
            format!(r"(?:^|[^\w])({POSTCODE_OUTWARD}{POSTCODE_INWARD})(?:$|[^\w])");
        let date = format!(
            r"(?i)(?:^|[^0-9])([0-9]{{4}}[\-/.][0-9]{{1,2}}[\-/.][0-9]{{1,2}}|[0-9]{{1,2}}[\-/.][0-9]{{1,2}}[\-/.](?:[0-9]{{4}}|[0-9]{{2}})|[0-9]{{1,2}}(?:st|nd|rd|th)?(?:\s{{1,3}}of)?(?:\s{{1,3}}|-)(?:{MONTHS})\.?,?(?:\s{{1,3}}|-)(?:[0-9]{{4}}|[0-9]{{2}})|(?:{MONTHS})\.?\s{{1,3}}[0-9]{{1,2}}(?:st|nd|rd|th)?,?\s{{1,3}}[0-9]{{4}})(?:$|[^0-9])"
        );

        let mut terms: Vec<&str> = deny
            .iter()
            .map(|t| t.trim())
            .filter(|t| !t.is_empty())
            .collect();
        // Longest first, so that "Kai Smith" is preferred to "Kai" at the same place.
        terms.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
        terms.dedup();
        let deny = terms
            .chunks(DENY_CHUNK)
            .map(|chunk| {
                let alternatives: Vec<String> = chunk.iter().map(|t| literal_pattern(t)).collect();
                user_pattern(&format!(
                    r"(?i)(?:^|[^\w])({})(?:$|[^\w])",
                    alternatives.join("|")
                ))
            })
            .collect();

        let allow = allow
            .iter()
            .map(|a| a.trim())
            .filter(|a| !a.is_empty())
            .map(|a| AllowEntry {
                folded: a.to_lowercase(),
                pattern: user_pattern(&format!("(?i){}", literal_pattern(a))),
            })
            .collect();

        Scanner {
            nhs: builtin(NHS_PATTERN),
            ni: builtin(NI_PATTERN),
            email: builtin(EMAIL_PATTERN),
            phone: builtin(PHONE_PATTERN),
            postcode_spaced: builtin(&postcode_spaced),
            postcode_tight: builtin(&postcode_tight),
            date: builtin(&date),
            dob_cue: builtin(DOB_CUE_PATTERN),
            deny,
            allow,
        }
    }

    /// All findings in `text`, sorted by start, not overlapping (when two overlap, the
    /// more specific kind, earlier in [`DataKind`], is kept).
    pub fn scan(&self, text: &str) -> Vec<Finding> {
        let mut found = Vec::new();
        let mut push = |kind: DataKind, (start, end): (usize, usize)| {
            found.push(Finding { kind, start, end });
        };

        for_each_hit(
            &self.nhs,
            text,
            |s, e| nhs_checksum_ok(&text[s..e]).then_some((s, e)),
            |r| push(DataKind::NhsNumber, r),
        );

        for_each_hit(
            &self.ni,
            text,
            |s, e| ni_prefix_ok(&text[s..e]).then_some((s, e)),
            |r| push(DataKind::NiNumber, r),
        );

        for r in self.dates_of_birth(text) {
            push(DataKind::DateOfBirth, r);
        }

        for m in self.email.find_iter(text) {
            push(DataKind::Email, (m.start(), m.end()));
        }

        for_each_hit(
            &self.phone,
            text,
            |s, e| {
                if !phone_prefix_ok(text, s) {
                    return None;
                }
                phone_hit_len(&text[s..e]).map(|len| (s, s + len))
            },
            |r| push(DataKind::Phone, r),
        );

        for_each_hit(
            &self.postcode_spaced,
            text,
            |s, e| (!is_lowercase_ordinal_tail(&text[s..e])).then_some((s, e)),
            |r| push(DataKind::Postcode, r),
        );
        for_each_hit(
            &self.postcode_tight,
            text,
            |s, e| Some((s, e)),
            |r| push(DataKind::Postcode, r),
        );

        for re in &self.deny {
            for_each_hit(
                re,
                text,
                |s, e| Some((s, e)),
                |r| push(DataKind::DenyListed, r),
            );
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
            .flat_map(|a| a.pattern.find_iter(text).map(|m| (m.start(), m.end())))
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
        let mut dates = Vec::new();
        for_each_hit(
            &self.date,
            text,
            |s, e| date_ok(text, s, e).then_some((s, e)),
            |r| dates.push(r),
        );
        if dates.is_empty() {
            return dates;
        }
        let mut cues = Vec::new();
        for_each_hit(&self.dob_cue, text, |s, e| Some((s, e)), |r| cues.push(r));
        if cues.is_empty() {
            return Vec::new();
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

/// A phone number does not continue an identifier: `REF-0161…`, `v1.0…`, `2024/0…`.
fn phone_prefix_ok(text: &str, start: usize) -> bool {
    match char_before(text, start) {
        Some(c @ ('-' | '/' | '.')) => {
            !char_before(text, start - c.len_utf8()).is_some_and(char::is_alphanumeric)
        }
        _ => true,
    }
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
    for k in (1..=groups.len().min(3)).rev() {
        let total: usize = lens[..k].iter().sum();
        if total > nb.len() || nb[0] != b'0' {
            continue;
        }
        let second = nb.get(1).copied().unwrap_or(b'0');
        let length_ok = total == 11 || (total == 10 && matches!(second, b'1' | b'5' | b'8'));
        let range_ok = matches!(second, b'1' | b'2' | b'3' | b'5' | b'7' | b'8' | b'9');
        let grouping_ok =
            k == 1 || ((3..=6).contains(&lens[0]) && lens[1..k].iter().all(|&l| l >= 3));
        if length_ok && range_ok && grouping_ok {
            return Some(groups[k - 1].1);
        }
    }
    None
}

/// The byte length of the digit-group separator (space, hyphen, no-break space or
/// narrow no-break space) at the start of `rest`, or 0.
fn separator_len(rest: &str) -> usize {
    match rest.chars().next() {
        Some(c @ (' ' | '-' | '\u{a0}' | '\u{202f}')) => c.len_utf8(),
        _ => 0,
    }
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
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::sync::OnceLock;
    use std::time::{Duration, Instant};

    const CONTACT: &str = "safeguarding@examplepartnership.org.uk";

    /// A scanner with a realistic deny and allow list, built once for all tests.
    fn scanner() -> &'static Scanner {
        static SCANNER: OnceLock<Scanner> = OnceLock::new();
        SCANNER.get_or_init(|| {
            let deny = parse_deny_list(
                "# children named in our reviews\nKai Smith\nKai\n\n  Oakfield Primary  \nMill Lane # street, CSPR 2023\nZoë\n",
            );
            Scanner::new(&[CONTACT.to_string(), "0113 496 0000".to_string()], &deny)
        })
    }

    fn plain() -> Scanner {
        Scanner::new(&[], &[])
    }

    /// (kind, hit text) for every finding.
    fn hits(s: &Scanner, text: &str) -> Vec<(DataKind, String)> {
        s.scan(text)
            .into_iter()
            .map(|f| (f.kind, text[f.start..f.end].to_string()))
            .collect()
    }

    fn only(s: &Scanner, text: &str, kind: DataKind, hit: &str) {
        assert_eq!(hits(s, text), vec![(kind, hit.to_string())], "in {text:?}");
    }

    fn none(s: &Scanner, text: &str) {
        assert_eq!(hits(s, text), vec![], "in {text:?}");
    }

    /// Independent NHS check-digit computation for building test numbers: the check
    /// digit for nine digits, or None when the remainder makes the prefix unusable.
    fn nhs_check_digit(nine: &str) -> Option<u32> {
        assert_eq!(nine.len(), 9);
        let mut sum = 0;
        for (i, c) in nine.chars().enumerate() {
            sum += c.to_digit(10).unwrap() * (10 - i as u32);
        }
        match 11 - (sum % 11) {
            11 => Some(0),
            10 => None,
            d => Some(d),
        }
    }

    fn valid_nhs(nine: &str) -> String {
        format!("{nine}{}", nhs_check_digit(nine).expect("usable prefix"))
    }

    fn invalid_nhs(nine: &str) -> String {
        let good = nhs_check_digit(nine).unwrap_or(0);
        format!("{nine}{}", (good + 1) % 10)
    }

    fn spaced(ten: &str, sep: &str) -> String {
        format!("{}{sep}{}{sep}{}", &ten[..3], &ten[3..6], &ten[6..])
    }

    #[test]
    fn describes_every_kind() {
        assert_eq!(DataKind::NhsNumber.describe(), "an NHS number");
        assert_eq!(DataKind::NiNumber.describe(), "a National Insurance number");
        assert_eq!(DataKind::DateOfBirth.describe(), "a date of birth");
        assert_eq!(DataKind::Email.describe(), "an email address");
        assert_eq!(DataKind::Phone.describe(), "a phone number");
        assert_eq!(DataKind::Postcode.describe(), "a postcode");
        assert_eq!(DataKind::DenyListed.describe(), "a name on the deny list");
        assert_eq!(DataKind::Email.to_string(), "an email address");
    }

    #[test]
    fn known_nhs_test_number_is_valid() {
        assert_eq!(nhs_check_digit("943476591"), Some(9));
        assert!(nhs_checksum_ok("9434765919"));
        assert!(nhs_checksum_ok("943 476 5919"));
        assert!(!nhs_checksum_ok("9434765918"));
        assert!(!nhs_checksum_ok("943476591"));
    }

    #[test]
    fn nhs_numbers_with_valid_checksum_are_caught_in_every_format() {
        let s = plain();
        for nine in [
            "943476591",
            "401023213",
            "485777345",
            "640157880",
            "123456788",
        ] {
            let Some(_) = nhs_check_digit(nine) else {
                continue;
            };
            let ten = valid_nhs(nine);
            for written in [
                ten.clone(),
                spaced(&ten, " "),
                spaced(&ten, "-"),
                spaced(&ten, "."),
                spaced(&ten, "\u{a0}"),
            ] {
                only(
                    &s,
                    &format!("NHS no. {written}, seen by GP"),
                    DataKind::NhsNumber,
                    &written,
                );
                only(&s, &written, DataKind::NhsNumber, &written);
                only(&s, &format!("({written})"), DataKind::NhsNumber, &written);
            }
        }
    }

    #[test]
    fn nhs_shaped_numbers_with_bad_checksum_are_not_caught() {
        let s = plain();
        for nine in ["943476591", "401023213", "485777345", "640157880"] {
            let ten = invalid_nhs(nine);
            assert!(!nhs_checksum_ok(&ten));
            for written in [
                ten.clone(),
                spaced(&ten, " "),
                spaced(&ten, "-"),
                spaced(&ten, "."),
            ] {
                none(&s, &format!("NHS no. {written}"));
            }
        }
        // A prefix whose check digit would be 10 is never a valid number.
        let unusable = (100_000_000u32..100_000_200)
            .map(|n| n.to_string())
            .find(|nine| nhs_check_digit(nine).is_none())
            .expect("some prefix has remainder 1");
        for last in 0..10 {
            none(&s, &format!("id {unusable}{last}"));
        }
    }

    #[test]
    fn nhs_number_inside_a_longer_digit_run_is_not_caught() {
        let s = plain();
        none(&s, "serial 19434765919");
        none(&s, "serial 94347659190");
        none(&s, "serial 9434765919123");
        none(&s, "12943 476 5919");
        none(&s, "943 476 59190");
        // Mixed separators are not the NHS layout (a no-break space counts as a space).
        none(&s, "943 476-5919");
    }

    #[test]
    fn ni_numbers_are_caught() {
        let s = plain();
        for ni in [
            "AB123456C",
            "ab123456c",
            "JG103759A",
            "AB 12 34 56 C",
            "AB 12 34 56C",
            "AB12 34 56 C",
            "AB 12 34 56",
            "ce 12 34 56 d",
            "AB 123456 C",
            "AB123456 D",
            "AB\u{a0}12\u{a0}34\u{a0}56\u{a0}C",
        ] {
            only(&s, &format!("NI number: {ni}."), DataKind::NiNumber, ni);
        }
    }

    #[test]
    fn ni_shapes_that_are_never_issued_are_not_caught() {
        let s = plain();
        for not_ni in [
            "AB123456",  // unspaced needs the suffix
            "AB123456E", // suffix beyond D
            "DA123456A", // D never first
            "AD123456A", // D never second
            "QQ123456C", // Q never
            "AO123456C", // O never second
            "BG123456A", // administrative prefixes
            "GB 12 34 56 A",
            "NK123456A",
            "TN 12 34 56",
            "ZZ123456A",
            "XAB123456C", // part of a longer word
        ] {
            none(&s, &format!("code {not_ni} here"));
        }
    }

    #[test]
    fn dates_of_birth_are_caught_in_every_format() {
        let s = plain();
        let cases = [
            ("born 12/03/2019", "12/03/2019"),
            ("DOB: 12-03-2019", "12-03-2019"),
            ("D.O.B. 12.03.19", "12.03.19"),
            ("d.o.b 3/4/19", "3/4/19"),
            ("Date of birth: 12 March 2019", "12 March 2019"),
            ("date of\nbirth - 12th Mar 2019", "12th Mar 2019"),
            (
                "Kai was born on the 12th of March, 2019 in Leeds",
                "12th of March, 2019",
            ),
            ("birthday March 12, 2019", "March 12, 2019"),
            ("Birth date 2019-03-12", "2019-03-12"),
            ("DoB 12-Mar-2019", "12-Mar-2019"),
            ("DOB12/03/2019", "12/03/2019"),
            ("born at St. Mary's Hospital on 1 Sept 2018", "1 Sept 2018"),
            ("child (12/03/2019, DOB) was", "12/03/2019"),
            ("12.03.2019 (date of birth)", "12.03.2019"),
            ("| Child | DOB | 12/03/2019 |", "12/03/2019"),
        ];
        for (text, date) in cases {
            only(&s, text, DataKind::DateOfBirth, date);
        }
    }

    #[test]
    fn dates_with_no_birth_cue_are_not_caught() {
        let s = plain();
        for text in [
            "due 2026-03-31",
            "reviewed 12/03/2025 at the panel",
            "The panel met on 12 March 2025 and again on March 19, 2025.",
            "audit period 01/04/2024 - 31/03/2025",
            "unborn baby: strategy meeting 01/02/2024",
            "newborn checks completed 03.04.2024",
            "Osborne House visit 12/03/2025",
        ] {
            none(&s, text);
        }
    }

    #[test]
    fn birth_cue_window_and_nearest_date() {
        let s = plain();
        // Too far after the cue.
        none(
            &s,
            "born in the north of the county, and the family moved in 12/03/2024",
        );
        // A new sentence breaks the link.
        none(
            &s,
            "Kai was born in Leeds. Reviewed 12/03/2025 with partners.",
        );
        // A blank line breaks the link.
        none(&s, "Date of birth\n\n12/03/2025 panel");
        // Only the nearest date is the date of birth.
        only(
            &s,
            "DOB 12/03/2019, reviewed 14/05/2024",
            DataKind::DateOfBirth,
            "12/03/2019",
        );
        only(
            &s,
            "12/03/2019 (DOB), reviewed 14/05/2024",
            DataKind::DateOfBirth,
            "12/03/2019",
        );
        only(
            &s,
            "reviewed 14/05/2024, DOB 12/03/2019",
            DataKind::DateOfBirth,
            "12/03/2019",
        );
        // Before the cue, only a short bracketed or spaced gap counts.
        none(&s, "reviewed 14/05/2024; born in Leeds");
    }

    #[test]
    fn a_date_of_birth_column_in_a_markdown_table_is_caught_on_every_row() {
        let s = plain();
        let table = "Children seen:\n\n| Child | Date of birth | Seen |\n|---|:---:|---|\n| A | 12/03/2019 | 01/02/2024 |\n| B | 3 May 2017 | 02/02/2024 |\n| C | 2016-11-30 | 03/02/2024 |\n\nNext meeting 04/05/2024.";
        let found = hits(&s, table);
        let dobs: Vec<&str> = found
            .iter()
            .filter(|(k, _)| *k == DataKind::DateOfBirth)
            .map(|(_, h)| h.as_str())
            .collect();
        assert_eq!(dobs, ["12/03/2019", "3 May 2017", "2016-11-30"]);
        assert_eq!(
            found.len(),
            3,
            "seen dates are not dates of birth: {found:?}"
        );
    }

    #[test]
    fn emails_are_caught() {
        let s = plain();
        for (text, hit) in [
            ("email kai.smith@example.com now", "kai.smith@example.com"),
            (
                "Contact: J.Doe+foster@council.gov.uk.",
                "J.Doe+foster@council.gov.uk",
            ),
            ("<mailto:someone@school.sch.uk>", "someone@school.sch.uk"),
            ("(SW_worker-2@Example.ORG)", "SW_worker-2@Example.ORG"),
        ] {
            only(&s, text, DataKind::Email, hit);
        }
        none(&s, "kai@ the office");
        none(&s, "rate @ 5%");
    }

    #[test]
    fn uk_phone_numbers_are_caught() {
        let s = plain();
        for phone in [
            "07700 900123",
            "07700900123",
            "07700 900 123",
            "07700-900-123",
            "+44 7700 900123",
            "+447700900123",
            "+44 (0)20 7946 0958",
            "+44(0)20 7946 0958",
            "+44 20 7946 0958",
            "0044 161 496 0000",
            "0161 496 0000",
            "0161-496-0000",
            "01614960000",
            "020 7946 0958",
            "0207 946 0958",
            "(020) 7946 0958",
            "(01632) 960 123",
            "01632 960123",
            "0808 157 0000",
            "0800 123456",
            "0345 600 0000",
            "07700\u{a0}900123",
            "+44\u{a0}20\u{202f}7946\u{202f}0958",
        ] {
            only(&s, &format!("Tel: {phone}."), DataKind::Phone, phone);
        }
        // A trailing extra group is left off, not used to reject the number.
        only(
            &s,
            "call 0161 496 0000 12 times",
            DataKind::Phone,
            "0161 496 0000",
        );
        // Two numbers side by side.
        assert_eq!(
            hits(&s, "0161 496 0001 or 0161 496 0002").len(),
            2,
            "both numbers"
        );
    }

    #[test]
    fn look_alike_numbers_are_not_phones() {
        let s = plain();
        for text in [
            "Action A01",
            "Action A07",
            "period 2024-25",
            "REF-2025-000123",
            "REF-01614960000",
            "an audit of 20 records, 14 compliant (70%)",
            "1,234 contacts",
            "£1,250,000",
            "at 10:30",
            "version 0.12.3",
            "ratio 0.01234567890",
            "ISBN 0-306-40615-2",
            "01-02-2024 10 attendees",
            "07 08 09 10 11",
            "Q1 2024/25",
            "count 12345678901",
            "0 1234 567 890",
            "06123 456789", // 06 is not a UK range
            "04123 456789",
        ] {
            none(&s, text);
        }
    }

    #[test]
    fn ten_digit_strings_only_become_phones_when_uk_shaped() {
        let s = plain();
        let bad = invalid_nhs("401023213");
        none(&s, &format!("ref {bad}"));
        // A valid-checksum 10-digit number is an NHS number, not a phone.
        let ten = (0..100)
            .map(|n| format!("01614{n:04}"))
            .find(|nine| nhs_check_digit(nine).is_some())
            .map(|nine| valid_nhs(&nine))
            .unwrap();
        only(&s, &ten, DataKind::NhsNumber, &ten);
        // 10 digits starting 01 that fail the checksum are a (short) landline.
        let landline = (0..100)
            .map(|n| format!("016977{n:04}"))
            .find(|t| !nhs_checksum_ok(t))
            .unwrap();
        only(&s, &landline, DataKind::Phone, &landline);
    }

    #[test]
    fn postcodes_are_caught() {
        let s = plain();
        for pc in [
            "SW1A 1AA",
            "M1 1AE",
            "B33 8TH",
            "CR2 6XH",
            "DN55 1PT",
            "EC1A 1BB",
            "W1A 0AX",
            "sw1a 1aa",
            "SW1A\u{a0}1AA",
            "m1 1ae",
            "Ls6 3qn",
            "SW1A1AA",
            "B338TH",
            "DN551PT",
        ] {
            only(
                &s,
                &format!("lives near {pc}, Leeds"),
                DataKind::Postcode,
                pc,
            );
        }
    }

    #[test]
    fn postcode_look_alikes_are_not_caught() {
        let s = plain();
        for text in [
            "sw1a1aa", // unspaced must be upper case
            "b338th",
            "cmh-s-01",
            "A01",
            "pf-p-02",
            "Y6 1st term",
            "e1 2nd paragraph",
            "QA1 1AA", // Q never starts a postcode
            "M1 1AC",  // C never in the inward code
            "ABCSW1A1AA",
            "COVID19",
        ] {
            none(&s, text);
        }
    }

    #[test]
    fn deny_terms_match_whole_words_case_insensitively() {
        let s = scanner();
        only(s, "Kai attended", DataKind::DenyListed, "Kai");
        only(s, "seen with KAI's mother", DataKind::DenyListed, "KAI");
        only(s, "kai, aged 4", DataKind::DenyListed, "kai");
        none(s, "the Kaiser report");
        none(s, "Malakai attended");
        none(s, "kai_x");
        only(s, "Kai Smith's school", DataKind::DenyListed, "Kai Smith");
        only(s, "Kai\n  Smith", DataKind::DenyListed, "Kai\n  Smith");
        only(
            s,
            "oakfield primary school",
            DataKind::DenyListed,
            "oakfield primary",
        );
        none(s, "Oakfield Primaryschool");
        only(s, "23 Mill Lane", DataKind::DenyListed, "Mill Lane");
        only(s, "ZOË said", DataKind::DenyListed, "ZOË");
        none(s, "Zoëy said");
        // Kai Smithson is not Kai Smith, but still contains the term Kai.
        only(s, "Kai Smithson", DataKind::DenyListed, "Kai");
    }

    #[test]
    fn deny_file_parsing() {
        let terms = parse_deny_list(
            "\u{feff}# names\n  Kai Smith  \n\n#Kai\n\tOakfield Primary # school\nMill Lane\t# street\nKai Smith\nFlat #3\n   \n",
        );
        assert_eq!(
            terms,
            ["Kai Smith", "Oakfield Primary", "Mill Lane", "Flat #3"]
        );
        assert!(parse_deny_list("").is_empty());
        assert!(parse_deny_list("# only a comment\n\n").is_empty());
        let s = Scanner::new(&[], &terms);
        none(&s, "the kai file");
    }

    #[test]
    fn allow_list_lets_the_contact_address_through_only() {
        let s = scanner();
        none(s, &format!("Write to {CONTACT} for a copy."));
        none(s, "Write to Safeguarding@ExamplePartnership.org.uk");
        only(
            s,
            "or to kai.smith@examplepartnership.org.uk",
            DataKind::Email,
            "kai.smith@examplepartnership.org.uk",
        );
        none(s, "Partnership line 0113 496 0000");
        only(s, "Mobile 0113 496 0001", DataKind::Phone, "0113 496 0001");
        // A hit inside an allowed string is dropped, the same hit elsewhere is not.
        let s = Scanner::new(
            &["Kai Smith Foundation".to_string()],
            &["Kai Smith".to_string()],
        );
        none(&s, "funded by the Kai Smith Foundation");
        only(&s, "Kai Smith attended", DataKind::DenyListed, "Kai Smith");
    }

    #[test]
    fn overlapping_hits_keep_the_more_specific_kind() {
        let nhs = "9434765919";
        let s = Scanner::new(&[], &["9434765919".to_string()]);
        only(&s, &format!("no {nhs}"), DataKind::NhsNumber, nhs);
        let s = scanner();
        only(
            s,
            "kai.smith@example.com",
            DataKind::Email,
            "kai.smith@example.com",
        );
        let text =
            "Kai (DOB 12/03/2019, NHS 943 476 5919) lives at SW1A 1AA, tel 07700 900123, kai@x.org";
        let kinds: Vec<DataKind> = s.scan(text).into_iter().map(|f| f.kind).collect();
        assert_eq!(
            kinds,
            [
                DataKind::DenyListed,
                DataKind::DateOfBirth,
                DataKind::NhsNumber,
                DataKind::Postcode,
                DataKind::Phone,
                DataKind::Email,
            ]
        );
    }

    #[test]
    fn mask_never_echoes_the_value() {
        assert_eq!(mask("9434765919"), "94•••••••9");
        assert_eq!(mask("943 476 5919"), "94•••••••••9");
        assert_eq!(mask("kai@x.org"), "ka••••••g");
        assert_eq!(mask("Kai"), "K••");
        assert_eq!(mask("AB"), "••");
        assert_eq!(mask("A"), "•");
        assert_eq!(mask(""), "•");
        assert_eq!(mask("Zoë Ng"), "Zo••••");
        for v in ["9434765919", "Kai", "x", "07700 900123", CONTACT] {
            assert_ne!(mask(v), v);
            assert!(mask(v).contains('•'));
        }
    }

    #[test]
    fn a_few_megabytes_scan_in_linear_time() {
        let s = scanner();
        let para = "The panel reviewed 12/03/2025 the 20 records (70%) for period 2024-25; Action A07 is due 2026-03-31. Ref REF-2025-000123, £1,250,000 at 10:30. Kaiser, v1.2.3, q-01-03. Chloé née Ng.\n";
        let big = para.repeat(3 * 1024 * 1024 / para.len());
        let t = Instant::now();
        assert!(s.scan(&big).is_empty());
        let ordinary = t.elapsed();

        // Adversarial inputs: long runs of near-misses for every pattern.
        let mb = 1024 * 1024;
        for nasty in [
            "0".repeat(mb),
            "0 ".repeat(mb / 2),
            "a.".repeat(mb / 2),
            "a@".repeat(mb / 2),
            "born 1/".repeat(mb / 7),
            "| DOB |\n|---|\n| 1/2/2019 |\n".repeat(mb / 29),
            "k".repeat(mb),
            "Kai ".repeat(mb / 4),
            "é1 ".repeat(mb / 4),
        ] {
            let t = Instant::now();
            let _ = s.scan(&nasty);
            assert!(
                t.elapsed() < Duration::from_secs(20),
                "{:?}… took {:?}",
                nasty.chars().take(8).collect::<String>(),
                t.elapsed()
            );
        }
        println!("3 MB of ordinary report text scanned in {ordinary:?}");
        assert!(ordinary < Duration::from_secs(20), "took {ordinary:?}");
    }

    /// Planted positives and look-alike negatives: the scan's measured recall and false
    /// alarms on text a partnership might publish.
    #[test]
    fn measured_recall_and_false_alarms() {
        let s = scanner();
        use DataKind::*;
        let nhs_a = valid_nhs("401023213");
        let nhs_b = spaced(&valid_nhs("485777345"), " ");
        let positives: Vec<(String, DataKind, String)> = vec![
            (
                "NHS number 943 476 5919 on file".into(),
                NhsNumber,
                "943 476 5919".into(),
            ),
            (format!("patient {nhs_a} seen"), NhsNumber, nhs_a.clone()),
            (format!("NHS: {nhs_b}"), NhsNumber, nhs_b.clone()),
            ("id 943-476-5919.".into(), NhsNumber, "943-476-5919".into()),
            (
                "NI number AB 12 34 56 C".into(),
                NiNumber,
                "AB 12 34 56 C".into(),
            ),
            ("nino: jg103759a".into(), NiNumber, "jg103759a".into()),
            ("NI CE 123456 D".into(), NiNumber, "CE 123456 D".into()),
            ("born 12/03/2019".into(), DateOfBirth, "12/03/2019".into()),
            ("DOB: 12-03-2019".into(), DateOfBirth, "12-03-2019".into()),
            ("D.O.B. 12.03.19".into(), DateOfBirth, "12.03.19".into()),
            (
                "date of birth 12 March 2019".into(),
                DateOfBirth,
                "12 March 2019".into(),
            ),
            (
                "born on the 12th Mar 2019".into(),
                DateOfBirth,
                "12th Mar 2019".into(),
            ),
            (
                "birthday: March 12, 2019".into(),
                DateOfBirth,
                "March 12, 2019".into(),
            ),
            ("dob 2019-03-12".into(), DateOfBirth, "2019-03-12".into()),
            ("12/03/2019 (DOB)".into(), DateOfBirth, "12/03/2019".into()),
            (
                "email kai.smith@example.com".into(),
                Email,
                "kai.smith@example.com".into(),
            ),
            (
                "mail J.Doe+foster@council.gov.uk.".into(),
                Email,
                "J.Doe+foster@council.gov.uk".into(),
            ),
            (
                "<someone@school.sch.uk>".into(),
                Email,
                "someone@school.sch.uk".into(),
            ),
            ("mobile 07700 900123".into(), Phone, "07700 900123".into()),
            ("mobile 07700900123".into(), Phone, "07700900123".into()),
            (
                "tel +44 7700 900123".into(),
                Phone,
                "+44 7700 900123".into(),
            ),
            (
                "tel +44 (0)20 7946 0958".into(),
                Phone,
                "+44 (0)20 7946 0958".into(),
            ),
            (
                "tel 0044 161 496 0000".into(),
                Phone,
                "0044 161 496 0000".into(),
            ),
            ("tel 0161-496-0000".into(), Phone, "0161-496-0000".into()),
            (
                "tel (01632) 960 123".into(),
                Phone,
                "(01632) 960 123".into(),
            ),
            ("at SW1A 1AA".into(), Postcode, "SW1A 1AA".into()),
            ("at m1 1ae".into(), Postcode, "m1 1ae".into()),
            ("at B338TH".into(), Postcode, "B338TH".into()),
            ("at DN55 1PT".into(), Postcode, "DN55 1PT".into()),
            ("Kai Smith attended".into(), DenyListed, "Kai Smith".into()),
            (
                "OAKFIELD PRIMARY school".into(),
                DenyListed,
                "OAKFIELD PRIMARY".into(),
            ),
            ("met kai's aunt".into(), DenyListed, "kai".into()),
        ];
        let negatives = [
            "due 2026-03-31",
            "Action A07",
            "period 2024-25",
            "reviewed 12/03/2025 at the panel",
            "REF-2025-000123",
            "an audit of 20 records, 14 compliant (70%)",
            "call the front door",
            "question q-01-03 and Q3.2",
            "£1,250,000",
            "the meeting at 10:30",
            "cmh-s-01",
            "pf-p-02",
            "release v1.2.3",
            "the Kaiser report",
            "NHS no 943 476 5918",
            "serial 94347659190",
            "AB123456",
            "BG 12 34 56 C",
            "unborn baby review 01/02/2024",
            "Born in Leeds. Review held 12/03/2025 with partners.",
            "sw1a1aa",
            "Y6 1st term",
            "ISBN 0-306-40615-2",
            "1,234 contacts",
            "2024/25 period",
            "count 12345678901",
            "write to safeguarding@examplepartnership.org.uk",
            "Section 47 enquiries within 15 working days",
            "Working Together 2023",
            "audit period 01/04/2024 - 31/03/2025",
            "Malakai joined",
            "Tier 4 and 3",
        ];

        let mut caught = 0;
        for (text, kind, hit) in &positives {
            let found = hits(s, text);
            if found.contains(&(*kind, hit.clone())) {
                caught += 1;
            } else {
                println!("MISSED {kind:?} {hit:?} in {text:?}: {found:?}");
            }
        }
        let mut false_alarms = 0;
        for text in negatives {
            let found = hits(s, text);
            if !found.is_empty() {
                false_alarms += 1;
                println!("FALSE ALARM in {text:?}: {found:?}");
            }
        }
        println!(
            "recall: {caught}/{} planted positives caught ({:.1}%); false alarms: {false_alarms}/{} look-alike negatives",
            positives.len(),
            100.0 * caught as f64 / positives.len() as f64,
            negatives.len()
        );
        assert_eq!(caught, positives.len(), "recall must be 100%");
        assert_eq!(false_alarms, 0, "no false alarms");
    }

    fn fragment() -> impl Strategy<Value = String> {
        prop_oneof![
            "[0-9]{1,11}",
            Just(" ".to_string()),
            Just("-".to_string()),
            Just("\n".to_string()),
            Just("|".to_string()),
            Just("born ".to_string()),
            Just("DOB".to_string()),
            Just("@".to_string()),
            Just(".".to_string()),
            Just("+44".to_string()),
            Just("(0)".to_string()),
            Just("March".to_string()),
            Just("Kai".to_string()),
            Just("Zoë".to_string()),
            "[A-Z]{1,2}[0-9]",
            "[a-z]{1,6}",
            "\\PC{1,4}",
            Just("é€😀".to_string()),
        ]
    }

    fn check_findings(text: &str, found: &[Finding]) -> Result<(), TestCaseError> {
        let mut last_end = 0;
        for f in found {
            prop_assert!(f.start < f.end, "empty finding {f:?}");
            prop_assert!(f.start >= last_end, "overlap or disorder at {f:?}");
            prop_assert!(f.end <= text.len());
            prop_assert!(text.is_char_boundary(f.start) && text.is_char_boundary(f.end));
            last_end = f.end;
        }
        Ok(())
    }

    proptest! {
        #![proptest_config(ProptestConfig {
            cases: 300,
            failure_persistence: None,
            ..ProptestConfig::default()
        })]

        #[test]
        fn scan_never_panics_on_arbitrary_text(text in any::<String>()) {
            let found = scanner().scan(&text);
            check_findings(&text, &found)?;
        }

        #[test]
        fn scan_findings_are_ordered_and_on_char_boundaries(
            parts in proptest::collection::vec(fragment(), 0..40)
        ) {
            let text = parts.concat();
            let found = scanner().scan(&text);
            check_findings(&text, &found)?;
        }

        #[test]
        fn mask_hides_at_least_one_char_and_shows_at_most_three(value in "\\PC{0,30}") {
            prop_assume!(!value.contains('•'));
            let masked = mask(&value);
            prop_assert_ne!(&masked, &value);
            let shown = masked.chars().filter(|&c| c != '•').count();
            prop_assert!(shown <= 3);
            prop_assert!(shown <= value.chars().count() / 3);
        }
    }
}
