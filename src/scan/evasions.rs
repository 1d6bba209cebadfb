//! The corpus of evasions: each a way personal data has been (or could be) written to slip past
//! a scan, with the kind it must still be found as; and a property test that writes the same
//! data in generated disguises. Every text goes through the fold first, as every scan does.

use super::*;
use proptest::prelude::*;

const DENY: &[&str] = &["Kestrel Amberley", "Brackenridge", "Zoe\u{301} Ng"];

fn scanner() -> Scanner {
    let deny: Vec<String> = DENY.iter().map(|t| t.to_string()).collect();
    Scanner::new(&[], &deny)
}

fn kinds(s: &Scanner, text: &str) -> Vec<DataKind> {
    s.scan_text(text).into_iter().map(|f| f.kind).collect()
}

/// (what the text holds, how it is written)
const CORPUS: &[(DataKind, &str)] = &[
    // NHS numbers: groupings, separators, invisible and blank characters, other digits.
    (DataKind::NhsNumber, "NHS 9434 765 919"),
    (DataKind::NhsNumber, "NHS 94347 65919"),
    (DataKind::NhsNumber, "NHS 943,476,5919"),
    (DataKind::NhsNumber, "NHS 943, 476, 5919"),
    (DataKind::NhsNumber, "NHS 943\u{2800}476\u{2800}5919"),
    (DataKind::NhsNumber, "NHS 943\u{1bca0}476\u{1bca1}5919"),
    (DataKind::NhsNumber, "NHS 9\u{1bca2}4\u{1bca3}34765919"),
    (DataKind::NhsNumber, "NHS 943\u{3164}476\u{3164}5919"),
    (DataKind::NhsNumber, "NHS ❾❹❸ ➃➆➅ ➎➒➊➒"),
    (DataKind::NhsNumber, "NHS ⑨④③④⑦⑥⑤⑨①⑨"),
    (
        DataKind::NhsNumber,
        "NHS 9\u{fe0f}\u{20e3}4\u{fe0f}\u{20e3}3 476 5919",
    ),
    (DataKind::NhsNumber, "NHS ９４３４７６５９１９"),
    // Phones: labels run on, slashes, extensions, the trunk 0 apart.
    (DataKind::Phone, "Tel.0161 496 0000"),
    (DataKind::Phone, "Tel-07700 900123"),
    (DataKind::Phone, "Mob07700900123"),
    (DataKind::Phone, "call 0161/496/0000"),
    (DataKind::Phone, "ring 07700 900123 x12"),
    (DataKind::Phone, "ring 07700 900123x12"),
    (DataKind::Phone, "ring 0161 496 0000 ext. 12"),
    (DataKind::Phone, "ring 0 7700 900123"),
    (DataKind::Phone, "ring 0 161 496 0000"),
    (DataKind::Phone, "ring 07700\u{2800}900123"),
    // Postcodes and NI numbers with hyphens.
    (DataKind::Postcode, "lives at SW1A-1AA"),
    (DataKind::Postcode, "lives at ls6 - 3qn"),
    (DataKind::NiNumber, "NI AB-12-34-56-C"),
    (DataKind::NiNumber, "NI AB-123456-C"),
    (DataKind::NiNumber, "NI AB123456-C"),
    // Dates of birth after labels.
    (DataKind::DateOfBirth, "date-of-birth: 12/03/2019"),
    (DataKind::DateOfBirth, "date_of_birth 2019-03-12"),
    (DataKind::DateOfBirth, "DOB 12 03 2019"),
    (DataKind::DateOfBirth, "Birth: 12.03.2019"),
    (DataKind::DateOfBirth, "born 12 03 2019"),
    (DataKind::DateOfBirth, "d-o-b 12/03/2019"),
    // Emails spelt out, spaced, with other full stops.
    (DataKind::Email, "write to kai at example dot org"),
    (DataKind::Email, "write to kai @ example.org"),
    (DataKind::Email, "write to kai[@]example.org"),
    (DataKind::Email, "write to kai＠example。org"),
    (DataKind::Email, "write to kai@example。org"),
    (DataKind::Email, "write to kai@example｡org"),
    (DataKind::Email, "mailto:kai%40example.org"),
    // Names on the deny list, however written.
    (DataKind::DenyListed, "Kestrel-Amberley"),
    (DataKind::DenyListed, "KestrelAmberley"),
    (DataKind::DenyListed, "kestrel_amberley"),
    (DataKind::DenyListed, "Amberley, Kestrel"),
    (DataKind::DenyListed, "the Amberleys were seen"),
    (DataKind::DenyListed, "Amberley's mother"),
    (DataKind::DenyListed, "Mrs Amberley"),
    (DataKind::DenyListed, "DS Amberley"),
    (DataKind::DenyListed, "detective sergeant amberley"),
    (DataKind::DenyListed, "K. Amberley"),
    (DataKind::DenyListed, "Kеstrel Amberlеy"),
    (DataKind::DenyListed, "KESTREL АMBERLEY"),
    (DataKind::DenyListed, "Kestrel\u{2800}Amberley"),
    (DataKind::DenyListed, "Kes\u{1bca0}trel Amberley"),
    (
        DataKind::DenyListed,
        "https://x.example/?q=Kestrel%20Amberley",
    ),
    (
        DataKind::DenyListed,
        "https://x.example/?q=Kestrel+Amberley&x=1",
    ),
    (
        DataKind::DenyListed,
        "briefings/kestrel-amberley/index.html",
    ),
    (DataKind::DenyListed, "the Brackenridges"),
    (DataKind::DenyListed, "Zoé Ng"),
    (DataKind::DenyListed, "Zoe\u{301} Ng"),
    (DataKind::DenyListed, "ZOÉ NG"),
];

#[test]
fn every_evasion_in_the_corpus_is_found() {
    let s = scanner();
    let mut missed = Vec::new();
    for (kind, text) in CORPUS {
        if !kinds(&s, text).contains(kind) {
            missed.push(format!("{kind:?} in {text:?}: {:?}", s.scan_text(text)));
        }
    }
    assert!(missed.is_empty(), "missed:\n{}", missed.join("\n"));
}

#[test]
fn ordinary_report_text_is_still_quiet() {
    let s = scanner();
    for text in [
        "Find out more at www.gov.uk",
        "The panel met at 10.30 on 12 03 2025",
        "Figures 1,234,567 and 943, 476",
        "rated 2, 3, 1 and 0 by 4 agencies",
        "Kestrel and Amberley are both villages",
        "amberley's",
        "Detective Sergeant, Public Protection",
        "from birth to five, reviewed 12/03/2024",
        "Section 47 enquiries within 15 working days",
        "cmh-s-01, efh-p-04, 2024-25, 2025-q3",
        "0 1234 567 890",
        "01/04/2024 - 31/03/2025",
        "Q1 2024/25",
    ] {
        assert!(
            s.scan_text(text).is_empty(),
            "{text:?}: {:?}",
            s.scan_text(text)
        );
    }
}

/// Invisible characters that fold drops wherever they stand.
const INVISIBLE: &[char] = &[
    '\u{200b}',
    '\u{2063}',
    '\u{ad}',
    '\u{1bca0}',
    '\u{1bca3}',
    '\u{fe0f}',
    '\u{e0041}',
    '\u{180e}',
    '\u{2060}',
    '\u{feff}',
];

/// `text` with an invisible character after each letter (or each character `inside` takes)
/// where `mask` says so.
fn sprinkle(text: &str, mask: &[bool], inside: fn(char) -> bool) -> String {
    let invisible = INVISIBLE;
    let mut out = String::new();
    for (i, c) in text.chars().enumerate() {
        out.push(c);
        if inside(c) && mask.get(i).copied().unwrap_or(false) {
            out.push(invisible[i % invisible.len()]);
        }
    }
    out
}

/// A digit in one of the forms a reader reads as that digit.
fn styled_digit(d: u32, style: usize) -> char {
    let from = |base: u32| char::from_u32(base + d).unwrap_or('?');
    match (style, d) {
        (1, _) => from(0xFF10),
        (2, _) => from(0x1D7CE),
        (3, _) => from(0x0660),
        (4, 0) => '⓿',
        (4, _) => from(0x2775),
        (5, 0) => '⓪',
        (5, _) => from(0x245F),
        _ => from(0x30),
    }
}

fn nhs_disguised() -> impl Strategy<Value = String> {
    (
        0usize..3,
        prop::sample::select(vec![
            " ", "-", ".", ",", "/", "\u{2800}", "\u{a0}", " - ", "",
        ]),
        0usize..6,
        prop::collection::vec(any::<bool>(), 12),
    )
        .prop_map(|(grouping, sep, style, mask)| {
            let digits: Vec<char> = "9434765919"
                .chars()
                .map(|c| styled_digit(c.to_digit(10).unwrap_or(0), style))
                .collect();
            let cuts: &[usize] = match grouping {
                0 => &[3, 6],
                1 => &[4, 7],
                _ => &[5],
            };
            let mut written = String::new();
            for (i, d) in digits.iter().enumerate() {
                if cuts.contains(&i) {
                    written.push_str(sep);
                }
                written.push(*d);
            }
            format!(
                "NHS no {} on file",
                sprinkle(&written, &mask, |c| !c.is_whitespace())
            )
        })
}

/// Cyrillic letters that look like Latin ones.
fn look_alike(c: char) -> char {
    match c {
        'a' => 'а',
        'e' => 'е',
        'o' => 'о',
        'p' => 'р',
        'c' => 'с',
        'y' => 'у',
        'A' => 'А',
        'E' => 'Е',
        'K' => 'К',
        'M' => 'М',
        'T' => 'Т',
        'B' => 'В',
        'R' => 'R',
        _ => c,
    }
}

fn name_disguised() -> impl Strategy<Value = String> {
    (
        prop::sample::select(vec![
            "Kestrel Amberley",
            "Kestrel-Amberley",
            "KestrelAmberley",
            "kestrel_amberley",
            "Amberley, Kestrel",
            "Kestrel+Amberley",
            "Kestrel%20Amberley",
            "Kestrel&#32;Amberley",
            "Mrs Amberley",
            "the Amberleys",
            "Amberley's",
        ]),
        0usize..3,
        prop::collection::vec(any::<bool>(), 20),
        prop::collection::vec(any::<bool>(), 20),
    )
        .prop_map(|(form, case, swap, mask)| {
            let cased = match (case, form.starts_with("the ") || form.contains("'s")) {
                (1, _) => form.to_uppercase(),
                (2, false) => form.to_lowercase(),
                _ => form.to_string(),
            };
            let swapped: String = cased
                .chars()
                .enumerate()
                .map(|(i, c)| {
                    if swap[i % swap.len()] {
                        look_alike(c)
                    } else {
                        c
                    }
                })
                .collect();
            format!(
                "seen with {} today",
                sprinkle(&swapped, &mask, char::is_alphabetic)
            )
        })
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 200,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn a_disguised_nhs_number_is_still_found(text in nhs_disguised()) {
        let found = kinds(&scanner(), &text);
        prop_assert!(found.contains(&DataKind::NhsNumber), "{:?}: {:?}", text, found);
    }

    #[test]
    fn a_disguised_name_is_still_found(text in name_disguised()) {
        let found = kinds(&scanner(), &text);
        prop_assert!(found.contains(&DataKind::DenyListed), "{:?}: {:?}", text, found);
    }
}
