//! Matching the terms of a partnership's deny list (the names of the children in its reviews,
//! their families, schools and streets) in a folded text, however the name is written.
//!
//! A text is read as a sequence of words (runs of letters, digits and their marks), each word
//! brought to a key: lower case, then the Unicode confusables skeleton (UTS #39), so that a
//! Cyrillic `а` in `Kestrеl` reads as the Latin letter it looks like, and a name saved in a
//! decomposed form (NFD) matches the same name composed. Terms are keyed the same way and put
//! in a trie of words, so a scan costs one look-up a word whatever the length of the list.
//!
//! A term of several words matches when its words follow one another separated by spaces,
//! hyphens, underscores, dots, plus signs or apostrophes (`joanne-pritchard.md`, a form's
//! `?name=Joanne+Pritchard`), or joined into one word (`JoannePritchard`). A name of a person
//! (two to four words, not ending in a word such as "School" or "Lane") also matches:
//!
//! - reversed, with or without a comma: `Pritchard, Joanne`;
//! - as the family name after a title or rank, in any case: `Mrs Pritchard`, `DS Pritchard`,
//!   `Detective Sergeant J. Pritchard`;
//! - as the family name in the plural or possessive, written with a capital: `the Pritchards`,
//!   `Pritchard's`, `Pritchards'`; and after the first initial: `J. Pritchard`.
//!
//! A single-word term matches alone, and in the plural with a capital (`the Brackenridges`).

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

/// How a path of words through the trie may end in a match.
mod end {
    /// The term's words in order (or joined): matches in any case.
    pub const FORWARD: u8 = 1;
    /// A person's name, family name first, a comma allowed between.
    pub const REVERSED: u8 = 2;
    /// Matches only when every word starts with a capital (a plural family name, or an
    /// initial and the family name).
    pub const CAPITALISED: u8 = 4;
    /// A family name alone: matches after a title or rank, or before `'s` with a capital.
    pub const FAMILY: u8 = 8;
}

/// Last words that make a term a place or an organisation rather than a person.
const PLACE_WORDS: &[&str] = &[
    "primary",
    "school",
    "academy",
    "college",
    "nursery",
    "infants",
    "juniors",
    "junior",
    "lane",
    "road",
    "street",
    "avenue",
    "close",
    "drive",
    "way",
    "court",
    "house",
    "estate",
    "park",
    "centre",
    "center",
    "hospital",
    "surgery",
    "clinic",
    "practice",
    "church",
    "chapel",
    "hall",
    "farm",
    "green",
    "gardens",
    "grove",
    "place",
    "square",
    "terrace",
    "crescent",
    "hill",
    "row",
    "walk",
    "mews",
    "view",
    "rise",
    "parade",
    "wharf",
    "bridge",
    "village",
    "town",
    "city",
    "ward",
    "trust",
    "team",
    "unit",
    "home",
    "homes",
    "club",
    "group",
    "service",
    "services",
    "foundation",
    "project",
    "ltd",
    "limited",
];

/// Most characters a run between two words of a term may hold.
const MAX_GAP: usize = 12;

/// How many words the matcher's window passes over before it forgets those behind it.
const WINDOW_BATCH: usize = 256;

/// The deny list, compiled.
#[derive(Debug, Clone, Default)]
pub struct DenyMatcher {
    /// Word key -> word id, for every word of every variant of every term.
    words: HashMap<Box<str>, u32>,
    /// (node, word id) -> node; node 0 is the root.
    edges: HashMap<(u32, u32), u32>,
    /// node -> how a match may end there (`end::*`).
    ends: HashMap<u32, u8>,
    /// Characters other than the usual ones that stand between two words of a term
    /// (`Flat #3`): allowed between words in a text too.
    extra_gaps: HashSet<char>,
    /// Ids (in `words`) of the titles and ranks.
    titles: HashSet<u32>,
    /// A bit for each (first byte, last byte) pair that keys of `words` start and end with
    /// (bit `first * 256 + last`): an ASCII word whose key would start and end otherwise is not
    /// keyed nor looked up (most words of a page are not).
    key_ends: Vec<u64>,
    /// The same bits for the keys that open a variant of a term (its first word): every
    /// match starts at such a word.
    opening_key_ends: Vec<u64>,
    nodes: u32,
    /// The most words of any variant of any term.
    depth: usize,
}

/// One word of a text: its byte range in the folded text, and its key.
struct Word {
    start: usize,
    end: usize,
    /// The word's id when some term has it (else it can take no part in a match).
    id: Option<u32>,
    /// A title or rank (`Mrs`, `DS`...).
    title: bool,
    /// One letter: perhaps an initial.
    initial: bool,
    capital: bool,
}

impl DenyMatcher {
    pub fn new(terms: &[String]) -> DenyMatcher {
        let mut m = DenyMatcher::default();
        for t in super::names::TITLES {
            let id = m.word_id(&key(t));
            m.titles.insert(id);
        }
        for term in terms {
            let folded = super::fold::fold(term.trim());
            let words: Vec<(usize, usize)> = spans(&folded.text).collect();
            if words.is_empty() {
                continue;
            }
            for pair in words.windows(2) {
                let gap = &folded.text[pair[0].1..pair[1].0];
                m.extra_gaps
                    .extend(gap.chars().filter(|c| !is_usual_gap(*c) && *c != ','));
            }
            let keys: Vec<String> = words
                .iter()
                .map(|&(s, e)| key(&folded.text[s..e]))
                .collect();
            let first = &folded.text[words[0].0..];
            let initial = key(&first[..first.chars().next().map_or(0, char::len_utf8)]);
            m.add_term(&keys, initial);
        }
        m
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Whether the word (of a folded text) may have a key in `words`: false only when it
    /// starts and ends with ASCII characters whose keys no key starts and ends with.
    fn may_be_known(&self, word: &str) -> bool {
        may_end_as(&self.key_ends, word)
    }

    /// Whether some word of the folded `text` opens a variant of a term. No match can start
    /// anywhere else, and most texts (nearly every page of a site) have none: reading the
    /// words once for that alone costs far less than [`DenyMatcher::find`]'s window.
    fn may_match(&self, text: &str) -> bool {
        let mut buffer = String::new();
        spans(text).any(|(start, end)| {
            let w = &text[start..end];
            if !may_end_as(&self.opening_key_ends, w) {
                return false;
            }
            buffer.clear();
            key_into(w, &mut buffer);
            self.words
                .get(buffer.as_str())
                .is_some_and(|&id| self.edges.contains_key(&(0, id)))
        })
    }

    /// Every variant of one term, given as its words' keys.
    /// `initial`: the key of the term's first letter, as an initial stands for it.
    fn add_term(&mut self, keys: &[String], initial: String) {
        for joined in joinings(keys) {
            self.add(&joined, end::FORWARD);
        }
        let last = &keys[keys.len() - 1];
        static PLACES: OnceLock<HashSet<String>> = OnceLock::new();
        let places = PLACES.get_or_init(|| PLACE_WORDS.iter().map(|w| key(w)).collect());
        let place = places.contains(last);
        let alphabetic = keys
            .iter()
            .all(|k| k.chars().all(|c| c.is_alphabetic() || is_mark(c)));
        if place || !alphabetic {
            return;
        }
        for plural in [format!("{last}s"), format!("{last}es")] {
            self.add(&[plural], end::CAPITALISED);
        }
        if (2..=4).contains(&keys.len()) {
            let mut reversed = vec![last.clone()];
            reversed.extend(keys[..keys.len() - 1].iter().cloned());
            self.add(&reversed, end::REVERSED);
            self.add(std::slice::from_ref(last), end::FAMILY);
            self.add(&[initial, last.clone()], end::CAPITALISED);
        }
    }

    /// The id of the word with key `k`, given one if it has none yet.
    fn word_id(&mut self, k: &str) -> u32 {
        if self.key_ends.is_empty() {
            self.key_ends = vec![0; 256 * 256 / 64];
        }
        set_key_ends(&mut self.key_ends, k);
        let next_word = self.words.len() as u32;
        *self.words.entry(k.into()).or_insert(next_word)
    }

    fn add(&mut self, keys: &[String], how: u8) {
        if self.opening_key_ends.is_empty() {
            self.opening_key_ends = vec![0; 256 * 256 / 64];
        }
        set_key_ends(&mut self.opening_key_ends, &keys[0]);
        let mut node = 0;
        for k in keys {
            let word = self.word_id(k);
            node = match self.edges.get(&(node, word)) {
                Some(&n) => n,
                None => {
                    self.nodes += 1;
                    self.edges.insert((node, word), self.nodes);
                    self.nodes
                }
            };
        }
        *self.ends.entry(node).or_default() |= how;
        self.depth = self.depth.max(keys.len());
    }

    /// Byte ranges of the folded `text` where a term is written, in order, not overlapping.
    pub fn find(&self, text: &str) -> Vec<(usize, usize)> {
        if self.is_empty() || !self.may_match(text) {
            return Vec::new();
        }
        // A window of words slides over the text: as many ahead as the longest term has,
        // and two behind for a title and an initial. Memory stays flat however many words
        // the text has (8 MiB of `*a` is four million of them).
        let mut ahead = read_words(self, text);
        let mut window: Vec<Word> = Vec::new();
        let mut found = Vec::new();
        let mut i = 0;
        loop {
            while window.len() < i + self.depth + 1
                && let Some(w) = ahead.next()
            {
                window.push(w);
            }
            if i >= window.len() {
                break;
            }
            match self.longest_at(text, &window, i) {
                Some(j) => {
                    found.push((window[i].start, window[j].end));
                    i = j + 1;
                }
                None => i += 1,
            }
            // Keep two words behind `i` (a title and an initial); drop older ones a batch at
            // a time rather than one a step.
            if i > WINDOW_BATCH {
                window.drain(..i - 2);
                i = 2;
            }
        }
        found
    }

    /// The last word of the longest match starting at word `i`, if any.
    fn longest_at(&self, text: &str, words: &[Word], i: usize) -> Option<usize> {
        let mut node = 0;
        let mut comma = false;
        let mut best = None;
        for j in i..words.len() {
            if j > i {
                let gap = &text[words[j - 1].end..words[j].start];
                match self.gap(gap) {
                    Some(has_comma) => comma |= has_comma,
                    None => break,
                }
            }
            let Some(word) = words[j].id else {
                break;
            };
            let Some(&next) = self.edges.get(&(node, word)) else {
                break;
            };
            node = next;
            if let Some(&how) = self.ends.get(&node)
                && self.accepts(how, comma, text, words, i, j)
            {
                best = Some(j);
            }
        }
        best
    }

    /// Whether a path ending with flags `how` over words `i..=j` is a match.
    fn accepts(
        &self,
        how: u8,
        comma: bool,
        text: &str,
        words: &[Word],
        i: usize,
        j: usize,
    ) -> bool {
        if how & end::REVERSED != 0 {
            return true;
        }
        if comma {
            return false;
        }
        if how & end::FORWARD != 0 {
            return true;
        }
        let capitals = words[i..=j].iter().all(|w| w.capital);
        if how & end::CAPITALISED != 0 && capitals {
            return true;
        }
        how & end::FAMILY != 0
            && (self.after_title(text, words, i) || (capitals && possessive(text, words, j)))
    }

    /// Whether word `i` follows a title or rank, perhaps with an initial between.
    fn after_title(&self, text: &str, words: &[Word], i: usize) -> bool {
        let mut k = i;
        for _ in 0..2 {
            if k == 0 || self.gap(&text[words[k - 1].end..words[k].start]) != Some(false) {
                return false;
            }
            k -= 1;
            if words[k].title {
                return true;
            }
            if !words[k].initial {
                return false;
            }
        }
        false
    }

    /// The run between two words of a term, if it may stand there: Some(whether it holds a
    /// comma).
    fn gap(&self, gap: &str) -> Option<bool> {
        let ok = gap.chars().count() <= MAX_GAP
            && !gap.contains("\n\n")
            && gap
                .chars()
                .all(|c| is_usual_gap(c) || c == ',' || self.extra_gaps.contains(&c));
        ok.then(|| gap.contains(','))
    }
}

/// Sets the bit of `bits` for the first and last bytes of the key `k` (bit `first * 256 +
/// last`).
fn set_key_ends(bits: &mut [u64], k: &str) {
    if let (Some(a), Some(z)) = (k.bytes().next(), k.bytes().next_back()) {
        let bit = usize::from(a) << 8 | usize::from(z);
        bits[bit / 64] |= 1 << (bit % 64);
    }
}

/// Whether the word (of a folded text) may have a key whose first and last bytes have their
/// bit in `bits`: false only when it starts and ends with ASCII characters whose keys do not.
fn may_end_as(bits: &[u64], word: &str) -> bool {
    let bytes = word.as_bytes();
    let (Some(&first), Some(&last)) = (bytes.first(), bytes.last()) else {
        return false;
    };
    if !first.is_ascii() || !last.is_ascii() {
        return true;
    }
    let ends = ascii_key_ends();
    let (Some(a), Some(z)) = (ends[usize::from(first)].0, ends[usize::from(last)].1) else {
        return true;
    };
    let bit = usize::from(a) << 8 | usize::from(z);
    bits.get(bit / 64)
        .is_some_and(|m| m & (1 << (bit % 64)) != 0)
}

/// For each ASCII character, the first and the last byte of its key (None for a character
/// whose key is empty).
fn ascii_key_ends() -> &'static [(Option<u8>, Option<u8>); 128] {
    static ENDS: OnceLock<[(Option<u8>, Option<u8>); 128]> = OnceLock::new();
    ENDS.get_or_init(|| {
        std::array::from_fn(|b| {
            let k = ascii_key(char::from(b as u8));
            (k.bytes().next(), k.bytes().next_back())
        })
    })
}

/// Characters that may stand between two words of a name: white space, hyphens, underscores,
/// dots, plus signs (a space in a form's address), apostrophes.
fn is_usual_gap(c: char) -> bool {
    c.is_whitespace() || matches!(c, '-' | '_' | '.' | '+' | '\'' | '\u{2019}' | '\u{2018}')
}

/// Word `j` is followed by `'s`: a possessive.
fn possessive(text: &str, words: &[Word], j: usize) -> bool {
    let rest = &text[words[j].end..];
    let after = rest.trim_start_matches(['\'', '\u{2019}']);
    after.len() < rest.len()
        && after.starts_with(['s', 'S'])
        && !after[1..].starts_with(|c: char| c.is_alphanumeric())
}

/// The term's words as written, and every way of joining neighbours into one word (all of them
/// for up to four words, else only all or nothing joined).
fn joinings(keys: &[String]) -> Vec<Vec<String>> {
    let n = keys.len();
    if n > 4 {
        return vec![keys.to_vec(), vec![keys.concat()]];
    }
    (0..1u32 << (n - 1))
        .map(|joins| {
            let mut out: Vec<String> = vec![keys[0].clone()];
            for (k, w) in keys.iter().enumerate().skip(1) {
                if joins & (1 << (k - 1)) != 0 {
                    out.last_mut().expect("one word at least").push_str(w);
                } else {
                    out.push(w.clone());
                }
            }
            out
        })
        .collect()
}

fn is_mark(c: char) -> bool {
    !c.is_ascii() && unicode_normalization::char::is_combining_mark(c)
}

/// Where the words of a folded text are: runs of letters, digits and their marks. Plain
/// ASCII is read a byte at a time (most of any page is, and a public build reads every word
/// of every page).
fn spans(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let bytes = text.as_bytes();
    let mut at = 0;
    std::iter::from_fn(move || {
        // Up to the first letter or digit.
        loop {
            while at < bytes.len() && ASCII_GAP[usize::from(bytes[at])] {
                at += 1;
            }
            if at >= bytes.len() {
                return None;
            }
            if bytes[at].is_ascii() {
                break;
            }
            let c = text[at..].chars().next()?;
            if c.is_alphanumeric() {
                break;
            }
            at += c.len_utf8();
        }
        let start = at;
        // Up to the end of the word.
        loop {
            while at < bytes.len() && bytes[at].is_ascii_alphanumeric() {
                at += 1;
            }
            if at >= bytes.len() || bytes[at].is_ascii() {
                break;
            }
            let Some(c) = text[at..].chars().next() else {
                break;
            };
            if !(c.is_alphanumeric() || is_mark(c)) {
                break;
            }
            at += c.len_utf8();
        }
        Some((start, at))
    })
}

/// The ASCII bytes that are neither letters nor digits (no byte outside ASCII is one).
const ASCII_GAP: [bool; 256] = {
    let mut gap = [false; 256];
    let mut b = 0;
    while b < 128 {
        gap[b] = !(b as u8).is_ascii_alphanumeric();
        b += 1;
    }
    gap
};

/// The words of a folded text, one at a time, each looked up in `matcher`'s words as it is
/// read (its key built in one reused buffer: a public build reads every word of every page).
fn read_words<'a>(matcher: &'a DenyMatcher, text: &'a str) -> impl Iterator<Item = Word> + 'a {
    let mut buffer = String::new();
    spans(text).map(move |(start, end)| {
        let w = &text[start..end];
        buffer.clear();
        let first = w.chars().next().unwrap_or(' ');
        let id = matcher
            .may_be_known(w)
            .then(|| {
                key_into(w, &mut buffer);
                matcher.words.get(buffer.as_str()).copied()
            })
            .flatten();
        Word {
            start,
            end,
            id,
            title: id.is_some_and(|i| matcher.titles.contains(&i)),
            initial: w.chars().nth(1).is_none(),
            capital: first.is_uppercase(),
        }
    })
}

/// A word's key: lower case, then the confusables skeleton, lower case again. An upper-case
/// letter outside ASCII takes its skeleton first (the Cyrillic `К` looks like `K`, while its
/// small letter `к` looks like no Latin one).
pub fn key(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    key_into(word, &mut out);
    out
}

/// [`key`], appended to `out`.
fn key_into(word: &str, out: &mut String) {
    for c in word.chars() {
        if c.is_ascii() {
            out.push_str(ascii_key(c));
        } else {
            out.push_str(&non_ascii_key(c));
        }
    }
}

fn ascii_key(c: char) -> &'static str {
    static TABLE: OnceLock<Vec<String>> = OnceLock::new();
    let table = TABLE.get_or_init(|| {
        (0u8..128)
            .map(|b| {
                let lower = char::from(b).to_ascii_lowercase().to_string();
                unicode_security::skeleton(&lower)
                    .flat_map(char::to_lowercase)
                    .collect()
            })
            .collect()
    });
    &table[c as usize]
}

fn non_ascii_key(c: char) -> String {
    let first: String = if c.is_uppercase() {
        unicode_security::skeleton(c.encode_utf8(&mut [0; 4])).collect()
    } else {
        c.to_lowercase().collect()
    };
    let skeleton: String = unicode_security::skeleton(&first)
        .flat_map(char::to_lowercase)
        .collect();
    // What the skeleton makes ASCII is keyed as ASCII is (`М` -> `M` -> `rn`, as `m` is).
    skeleton
        .chars()
        .map(|c| match c.is_ascii() {
            true => ascii_key(c).to_string(),
            false => c.to_string(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matcher(terms: &[&str]) -> DenyMatcher {
        DenyMatcher::new(&terms.iter().map(|t| t.to_string()).collect::<Vec<_>>())
    }

    fn hits<'t>(m: &DenyMatcher, text: &'t str) -> Vec<&'t str> {
        let folded = super::super::fold::fold(text);
        assert_eq!(folded.text, text, "tests give folded text");
        m.find(text).into_iter().map(|(s, e)| &text[s..e]).collect()
    }

    #[test]
    fn keys_fold_case_and_look_alike_letters() {
        assert_eq!(key("Kestrel"), key("KESTREL"));
        assert_eq!(key("Kestrel"), key("Kеstrеl"), "Cyrillic е");
        assert_eq!(key("Kai"), key("Кai"), "Cyrillic К");
        assert_eq!(key("Amberley"), key("Arnberley"));
        assert_eq!(key("Joanne"), key("J0anne"));
        assert_eq!(key("Zoë"), key("Zoe\u{308}"));
        assert_ne!(key("Zoë"), key("Zoe"));
        assert_ne!(key("Kai"), key("Kal"));
    }

    #[test]
    fn names_are_found_however_they_are_joined_or_turned() {
        let m = matcher(&["Joanne Pritchard"]);
        for text in [
            "Joanne Pritchard",
            "JOANNE PRITCHARD",
            "joanne-pritchard",
            "Joanne_Pritchard",
            "Joanne+Pritchard",
            "joanne.pritchard",
            "JoannePritchard",
            "Pritchard, Joanne",
            "Pritchard Joanne",
            "Joanne\n  Pritchard",
            "Mrs Pritchard",
            "DS Pritchard",
            "ds pritchard",
            "Detective Sergeant Pritchard",
            "Dr. J. Pritchard",
            "J. Pritchard",
            "J Pritchard",
            "the Pritchards",
            "Pritchard's",
            "Pritchard\u{2019}s",
            "Pritchards'",
        ] {
            assert_eq!(hits(&m, text).len(), 1, "{text:?}");
        }
        for text in [
            "Pritchard",
            "pritchards",
            "a pritchard",
            "Joanne",
            "Joanne.\n\nPritchard",
            "Joanne, Pritchard",
            "JoannePritchardson",
            "Pritchardson's",
            "Joanne-and-Pritchard",
        ] {
            assert!(hits(&m, text).is_empty(), "{text:?}");
        }
    }

    #[test]
    fn an_initial_stands_for_a_first_name_whose_key_is_longer_than_its_letter() {
        // `m` looks like `rn`: its key is two letters, and so is the initial's.
        let m = matcher(&["Mary Pritchard"]);
        for text in [
            "M. Pritchard",
            "Dr M Pritchard",
            "Mrs Pritchard",
            "MARY-PRITCHARD",
        ] {
            assert_eq!(hits(&m, text).len(), 1, "{text:?}");
        }
    }

    #[test]
    fn places_and_single_words_keep_to_their_own_forms() {
        let m = matcher(&["Oakfield Primary", "Brackenridge", "Flat #3"]);
        assert_eq!(hits(&m, "oakfield-primary"), ["oakfield-primary"]);
        assert!(hits(&m, "Primary's").is_empty());
        assert!(hits(&m, "Primary, Oakfield").is_empty());
        assert_eq!(hits(&m, "the Brackenridges"), ["Brackenridges"]);
        assert_eq!(hits(&m, "Brackenridge's"), ["Brackenridge"]);
        assert_eq!(hits(&m, "Flat #3"), ["Flat #3"]);
        assert_eq!(hits(&m, "Flat 3"), ["Flat 3"]);
    }

    #[test]
    /// (How long a list at the 20,000-name limit takes is `scripts/bench-limits.sh`'s
    /// `deny-20000`, not asserted here.)
    fn the_longest_term_wins_and_a_list_at_the_limit_finds_every_name() {
        let m = matcher(&["Kai", "Kai Smith"]);
        assert_eq!(hits(&m, "Kai Smith's"), ["Kai Smith"]);
        let many: Vec<String> = (0..20_000).map(|i| format!("Given{i} Family{i}")).collect();
        let m = DenyMatcher::new(&many);
        let text = "Given7 Family7 met the panel. ".repeat(20_000);
        assert_eq!(m.find(&text).len(), 20_000);
        let each: String = (0..20_000)
            .map(|i| format!("Given{i} Family{i}; "))
            .collect();
        assert_eq!(m.find(&each).len(), 20_000);
    }
}
