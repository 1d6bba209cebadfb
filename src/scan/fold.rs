//! Text as a reader sees it: what the scan reads instead of the bytes on disk.
//!
//! A browser shows `&#64;` as `@`, a link `mailto:a%40b.example` opens a mail to `a@b.example`,
//! `９４３` is read as `943`, and a zero-width space or an invisible separator (U+2063) shows as
//! nothing. Each of these could hide a datum from a pattern written for plain ASCII, so every
//! text is brought to one form before it is scanned:
//!
//! 1. HTML character references are decoded (numeric, and the named ones that can stand for
//!    letters, digits, spaces or punctuation);
//! 2. percent-escapes that spell UTF-8 are decoded;
//! 3. invisible characters (every default-ignorable and format character: zero-width spaces,
//!    joiners, variation selectors, soft hyphens, shorthand format controls, tags) are dropped,
//!    and so is a combining mark on a digit; characters that show as a blank without being
//!    white space (the braille blank, Hangul fillers) become a space;
//! 4. every character is folded by Unicode compatibility (NFKC): full-width, circled,
//!    superscript and mathematical forms become their plain letters and digits, and dingbat
//!    and bracketed digits (`❶`, `➀`, `⑴`) their numbers;
//! 5. decimal digits of any script become ASCII digits, every dash and minus a hyphen, every
//!    kind of space a space, fraction and division slashes a slash, and ideographic full
//!    stops a full stop.
//!
//! [`Folded`] keeps, for each byte of the folded text, the byte of the original it came from,
//! so a hit in the folded text is placed in the original.

use unicode_normalization::UnicodeNormalization;

/// A text folded for scanning, with the way back to the original.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Folded {
    pub text: String,
    /// `origin[i]`: the byte offset in the original of folded byte `i` (four bytes each, not
    /// eight: a public build folds every page whole, and a page is far under 4 GiB).
    origin: Vec<u32>,
    /// Where the original ends (for a range that runs to the end of the folded text).
    end: usize,
}

impl Folded {
    /// An empty text with room for `len` bytes of folded text (about what `len` bytes of
    /// original make): a public build folds every page, and growing a page's text and origins
    /// step by step cost more than the copy.
    pub fn with_capacity(len: usize) -> Folded {
        Folded {
            text: String::with_capacity(len),
            origin: Vec::with_capacity(len),
            end: 0,
        }
    }

    /// The original byte range of the folded range `[start, end)`.
    pub fn original_range(&self, start: usize, end: usize) -> (usize, usize) {
        let at = |i: usize| self.origin.get(i).map_or(self.end, |&o| o as usize);
        let (s, e) = (at(start), at(end));
        (s, e.max(s))
    }

    /// Appends `fragment`, folded, which starts at byte `base` of the original: a page's text
    /// is its text nodes, wherever they stand between the tags.
    pub fn push(&mut self, fragment: &str, base: usize) {
        // Steps 1 and 2 turn several original bytes into one character; steps 3 to 5 work a
        // character at a time. Both keep the origin of every output byte.
        let bytes = fragment.as_bytes();
        let mut i = 0;
        while i < fragment.len() {
            // Most of a page is plain ASCII, which every step leaves as it is: copied a run at
            // a time (the public build's last gate spent most of its time here, a character
            // at a time).
            let plain = bytes[i..]
                .iter()
                .take_while(|&&b| is_plain_ascii(b))
                .count();
            if plain > 0 {
                self.text.push_str(&fragment[i..i + plain]);
                self.origin.extend((base + i..base + i + plain).map(offset));
                i += plain;
                continue;
            }
            let (decoded, used) = decode_at(fragment, i);
            for c in decoded.chars() {
                push_folded(c, base + i, &mut self.text, &mut self.origin);
            }
            i += used;
        }
        self.end = base + fragment.len();
    }

    /// Appends a paragraph break standing at byte `at` of the original, so that what stands
    /// in different blocks (cells, items, attributes) is not read as one sentence.
    pub fn push_break(&mut self, at: usize) {
        if !self.text.is_empty() && !self.text.ends_with("\n\n") {
            self.text.push_str("\n\n");
            self.origin.extend([offset(at), offset(at)]);
        }
    }
}

/// An ASCII byte that no step changes: not the start of a character reference or a
/// percent-escape, and not a space other than the plain space and the line break (step 5
/// makes those a plain space).
fn is_plain_ascii(b: u8) -> bool {
    b.is_ascii() && !matches!(b, b'&' | b'%' | b'\t' | b'\r' | b'\x0b' | b'\x0c')
}

/// A byte offset as kept in [`Folded`]'s origins.
fn offset(at: usize) -> u32 {
    u32::try_from(at).unwrap_or(u32::MAX)
}

/// Folds `text` as described in the module documentation.
pub fn fold(text: &str) -> Folded {
    let mut out = Folded::with_capacity(text.len());
    out.push(text, 0);
    out.end = text.len();
    out
}

/// The text a reader sees starting at byte `i`, and how many bytes of the original it takes.
fn decode_at(text: &str, i: usize) -> (String, usize) {
    let rest = &text[i..];
    if rest.starts_with('&')
        && let Some((c, used)) = entity(rest)
    {
        return (c.to_string(), used);
    }
    if rest.starts_with('%')
        && let Some((s, used)) = percent_run(rest)
    {
        return (s, used);
    }
    let c = rest.chars().next().expect("i is inside the text");
    (c.to_string(), c.len_utf8())
}

/// A character reference at the start of `s` (`&#64;`, `&#x40;`, `&commat;`), decoded.
fn entity(s: &str) -> Option<(char, usize)> {
    // Entities are short: look for the `;` among the first 40 bytes, on a character boundary.
    let mut limit = s.len().min(40);
    while !s.is_char_boundary(limit) {
        limit -= 1;
    }
    let end = s[..limit].find(';')?;
    let body = &s[1..end];
    let c = if let Some(num) = body.strip_prefix('#') {
        let v = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse::<u32>().ok()?,
        };
        char::from_u32(v)?
    } else {
        named_entity(body)?
    };
    Some((c, end + 1))
}

/// The named references a browser knows that can stand for a character that matters to the
/// scan: letters and digits are never named, so these are spaces, punctuation and symbols.
fn named_entity(name: &str) -> Option<char> {
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" | "NonBreakingSpace" => '\u{a0}',
        "ensp" => '\u{2002}',
        "emsp" => '\u{2003}',
        "thinsp" => '\u{2009}',
        "hairsp" => '\u{200a}',
        "numsp" => '\u{2007}',
        "puncsp" => '\u{2008}',
        "zwsp" | "ZeroWidthSpace" => '\u{200b}',
        "zwnj" => '\u{200c}',
        "zwj" => '\u{200d}',
        "shy" => '\u{ad}',
        "commat" => '@',
        "period" => '.',
        "comma" => ',',
        "colon" => ':',
        "semi" => ';',
        "sol" => '/',
        "bsol" => '\\',
        "lpar" => '(',
        "rpar" => ')',
        "lsqb" | "lbrack" => '[',
        "rsqb" | "rbrack" => ']',
        "plus" => '+',
        "num" => '#',
        "hyphen" | "dash" => '\u{2010}',
        "ndash" => '\u{2013}',
        "mdash" => '\u{2014}',
        "minus" => '\u{2212}',
        "lowbar" | "UnderBar" => '_',
        "excl" => '!',
        "quest" => '?',
        "equals" => '=',
        "percnt" => '%',
        "dollar" => '$',
        "pound" => '£',
        "ast" | "midast" => '*',
        "verbar" | "vert" => '|',
        "lcub" | "lbrace" => '{',
        "rcub" | "rbrace" => '}',
        "middot" | "centerdot" => '\u{b7}',
        _ => return None,
    })
}

/// A run of percent-escapes at the start of `s` that spells UTF-8 text, decoded.
fn percent_run(s: &str) -> Option<(String, usize)> {
    let b = s.as_bytes();
    let mut bytes = Vec::new();
    let mut i = 0;
    while b.get(i) == Some(&b'%') {
        let hex = s.get(i + 1..i + 3)?;
        let Ok(v) = u8::from_str_radix(hex, 16) else {
            break;
        };
        bytes.push(v);
        i += 3;
    }
    if bytes.is_empty() {
        return None;
    }
    // Take the longest prefix that is whole UTF-8 characters.
    let valid = match std::str::from_utf8(&bytes) {
        Ok(_) => bytes.len(),
        Err(e) => e.valid_up_to(),
    };
    if valid == 0 {
        return None;
    }
    let text = String::from_utf8(bytes[..valid].to_vec()).ok()?;
    Some((text, valid * 3))
}

/// Characters that show nothing (or only change how a neighbour looks): dropped. Every
/// default-ignorable code point and every format character (category Cf) of Unicode 15, less
/// the fillers that show as a blank ([`is_blank`]). A test holds this list to the default
/// ignorables of the confusables skeleton's own tables.
fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{ad}' | '\u{34f}' | '\u{600}'..='\u{605}' | '\u{61c}' | '\u{6dd}' | '\u{70f}'
        | '\u{890}'..='\u{891}' | '\u{8e2}' | '\u{17b4}'..='\u{17b5}' | '\u{180b}'..='\u{180f}'
        | '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2060}'..='\u{206f}'
        | '\u{fe00}'..='\u{fe0f}' | '\u{feff}' | '\u{fff0}'..='\u{fffb}' | '\u{110bd}'
        | '\u{110cd}' | '\u{13430}'..='\u{1343f}' | '\u{1bca0}'..='\u{1bca3}'
        | '\u{1d173}'..='\u{1d17a}' | '\u{e0000}'..='\u{e0fff}')
}

/// Characters that are not white space to Unicode but show as a blank: the braille blank and
/// the Hangul fillers. Read as a space, which is what a reader sees.
fn is_blank(c: char) -> bool {
    matches!(
        c,
        '\u{2800}' | '\u{115f}' | '\u{1160}' | '\u{3164}' | '\u{ffa0}' | '\u{1d159}'
    )
}

/// The number an enclosed or dingbat digit stands for, where compatibility folding leaves it
/// as a symbol (`❶`, `➀`, `⓿`) or adds brackets or a stop to it (`⑴`, `⒈`).
fn enclosed_number(c: char) -> Option<u32> {
    let v = c as u32;
    let from = |first: u32, value: u32| Some(v - first + value);
    match v {
        0x2776..=0x277F => from(0x2776, 1),
        0x2780..=0x2789 => from(0x2780, 1),
        0x278A..=0x2793 => from(0x278A, 1),
        0x24EB..=0x24F4 => from(0x24EB, 11),
        0x24F5..=0x24FE => from(0x24F5, 1),
        0x24FF | 0x1F100 | 0x1F10B | 0x1F10C => Some(0),
        0x1F101..=0x1F10A => from(0x1F101, 0),
        0x2474..=0x2487 => from(0x2474, 1),
        0x2488..=0x249B => from(0x2488, 1),
        _ => None,
    }
}

/// The zero of each block of decimal digits that NFKC leaves as they are (Unicode category
/// Nd): a digit `zero + n` reads as `n`.
const DIGIT_ZEROS: &[u32] = &[
    0x0660, 0x06F0, 0x07C0, 0x0966, 0x09E6, 0x0A66, 0x0AE6, 0x0B66, 0x0BE6, 0x0C66, 0x0CE6, 0x0D66,
    0x0DE6, 0x0E50, 0x0ED0, 0x0F20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0, 0x1A80, 0x1A90,
    0x1B50, 0x1BB0, 0x1C40, 0x1C50, 0xA620, 0xA8D0, 0xA900, 0xA9D0, 0xA9F0, 0xAA50, 0xABF0, 0xFF10,
    0x104A0, 0x10D30, 0x11066, 0x110F0, 0x11136, 0x111D0, 0x112F0, 0x11450, 0x114D0, 0x11650,
    0x116C0, 0x11730, 0x118E0, 0x11950, 0x11C50, 0x11D50, 0x11DA0, 0x16A60, 0x16AC0, 0x16B50,
    0x1D7CE, 0x1D7D8, 0x1D7E2, 0x1D7EC, 0x1D7F6, 0x1E140, 0x1E2F0, 0x1E950, 0x1FBF0,
];

fn ascii_digit(c: char) -> Option<char> {
    let v = c as u32;
    DIGIT_ZEROS
        .iter()
        .find(|&&zero| (zero..zero + 10).contains(&v))
        .and_then(|&zero| char::from_digit(v - zero, 10))
}

/// One character after steps 3 to 5, pushed with its origin.
fn push_folded(c: char, from: usize, out: &mut String, origin: &mut Vec<u32>) {
    let from = offset(from);
    if is_invisible(c) {
        return;
    }
    // A mark on a digit (a keycap, an underline) is never part of a number.
    if out.ends_with(|d: char| d.is_ascii_digit())
        && unicode_normalization::char::is_combining_mark(c)
    {
        return;
    }
    if let Some(n) = enclosed_number(c) {
        for d in n.to_string().chars() {
            origin.push(from);
            out.push(d);
        }
        return;
    }
    let c = if is_blank(c) { ' ' } else { c };
    for f in std::iter::once(c).nfkc() {
        let f = match f {
            '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{2043}' | '\u{fe58}' | '\u{fe63}' => '-',
            '\u{2044}' | '\u{2215}' | '\u{29f8}' => '/',
            '\u{b7}' | '\u{2027}' | '\u{30fb}' => '.',
            // Ideographic and stenographic full stops end a domain as well as a '.' does.
            '\u{3002}' | '\u{2e3c}' => '.',
            c if c.is_whitespace() && c != '\n' => ' ',
            c => ascii_digit(c).unwrap_or(c),
        };
        if is_invisible(f) {
            continue;
        }
        let mut buf = [0; 4];
        for _ in f.encode_utf8(&mut buf).bytes() {
            origin.push(from);
        }
        out.push(f);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_with_a_multibyte_character_after_an_ampersand_does_not_panic() {
        let text = "&#39; mental health and young children – Northmoor";
        let _ = decode_at(text, 0);
        let _ = decode_at("&xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx–;", 0);
    }

    #[test]
    fn entities_escapes_invisibles_and_compatibility_forms_read_as_plain_text() {
        for (written, read) in [
            ("a&#64;b.example", "a@b.example"),
            ("a&commat;b&period;example", "a@b.example"),
            ("mailto:a%40b.example", "mailto:a@b.example"),
            ("NHS &#57;43 476 5919", "NHS 943 476 5919"),
            ("943\u{2063}476\u{200b}5919", "9434765919"),
            ("９４３ ４７６ ５９１９", "943 476 5919"),
            ("\u{0669}\u{0664}\u{0663}", "943"),
            ("943\u{2013}476\u{2212}5919", "943-476-5919"),
            ("943\u{a0}476\u{202f}5919", "943 476 5919"),
            ("ｓｗ１Ａ　１ＡＡ", "sw1A 1AA"),
            ("kai＠example．org", "kai@example.org"),
            ("𝟗𝟒𝟑", "943"),
            ("100% sure, 5%", "100% sure, 5%"),
            ("&amp;&unknown;&#xZZ;", "&&unknown;&#xZZ;"),
        ] {
            assert_eq!(fold(written).text, read, "{written:?}");
        }
    }

    #[test]
    fn every_default_ignorable_is_dropped_or_read_as_a_blank() {
        // The confusables skeleton (UTS #39) drops exactly the default ignorables.
        for v in 0..=0x10FFFFu32 {
            let Some(c) = char::from_u32(v) else { continue };
            if unicode_security::skeleton(c.encode_utf8(&mut [0; 4]))
                .next()
                .is_none()
            {
                assert!(is_invisible(c) || is_blank(c), "U+{v:04X}");
            }
        }
    }

    #[test]
    fn blanks_format_controls_dingbats_and_marks_on_digits_read_as_plain_text() {
        for (written, read) in [
            ("943\u{2800}476\u{2800}5919", "943 476 5919"),
            ("943\u{1bca0}476\u{1bca3}5919", "9434765919"),
            ("Kes\u{3164}trel", "Kes trel"),
            ("9\u{fe0f}\u{20e3}4\u{332}3", "943"),
            ("❾❹❸ ➃➆➅ ➎➒➊➒", "943 476 5919"),
            ("⑼⑷⑶", "943"),
            ("⒐⒋⒊", "943"),
            ("⓿", "0"),
            ("kai@example。org", "kai@example.org"),
            ("kai＠example｡org", "kai@example.org"),
            ("\u{600}943\u{13439}", "943"),
        ] {
            assert_eq!(fold(written).text, read, "{written:?}");
        }
    }

    #[test]
    fn plain_ascii_is_exactly_what_a_character_at_a_time_makes_of_it() {
        for b in 0u8..0x80 {
            let mut text = String::new();
            let mut origin = Vec::new();
            push_folded(char::from(b), 0, &mut text, &mut origin);
            if is_plain_ascii(b) {
                assert_eq!(text, char::from(b).to_string(), "byte {b:#x}");
            } else if b != b'&' && b != b'%' {
                assert_ne!(text, char::from(b).to_string(), "byte {b:#x}");
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn runs_of_ascii_fold_as_characters_do(text in "[ -~\t\r\n&%#;a-f0-9\u{a0}\u{2013}\u{ff10}-\u{ff19}]{0,60}") {
            let mut slow = Folded::default();
            let mut i = 0;
            while i < text.len() {
                let (decoded, used) = decode_at(&text, i);
                for c in decoded.chars() {
                    push_folded(c, i, &mut slow.text, &mut slow.origin);
                }
                i += used;
            }
            let fast = fold(&text);
            proptest::prop_assert_eq!(&fast.text, &slow.text);
            proptest::prop_assert_eq!(&fast.origin, &slow.origin);
        }
    }

    #[test]
    fn a_folded_range_maps_back_to_the_bytes_it_came_from() {
        let written = "see ｋａｉ&#64;example.org now";
        let f = fold(written);
        let s = f.text.find("kai@").unwrap();
        let e = f.text.find(" now").unwrap();
        let (os, oe) = f.original_range(s, e);
        assert_eq!(&written[os..oe], "ｋａｉ&#64;example.org");
    }
}
