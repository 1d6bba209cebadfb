//! The scanner's tests: every kind in every written form, look-alikes that must pass, the
//! measured recall and false alarms, and property tests.

use super::*;
use crate::load::deny::parse_deny_list;
use proptest::prelude::*;
use std::sync::OnceLock;

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
}

#[test]
fn nhs_numbers_with_mixed_or_spaced_separators_are_caught() {
    let s = plain();
    for written in [
        "943 476-5919",
        "943.476/5919",
        "943 - 476 - 5919",
        "943/476/5919",
        "943  476  5919",
        "943476-5919",
    ] {
        only(
            &s,
            &format!("NHS {written} on file"),
            DataKind::NhsNumber,
            written,
        );
    }
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
        "sw1a1aa",
        "Sw1A   1aA",
        "b338th",
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
    // Underscores join words in file names and ids: `kai_smith.md` names Kai Smith.
    only(s, "kai_x", DataKind::DenyListed, "kai");
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

/// Megabytes of ordinary report text and of near-misses for every pattern: nothing in the
/// ordinary text is taken for personal data, and every finding in a near-miss run is a real
/// place in it, in order and not overlapping. How long these take is measured by
/// `scripts/bench-limits.sh` (the `briefing-scan-*` inputs), not asserted here.
#[test]
fn megabytes_of_near_misses_give_sound_findings() {
    let s = scanner();
    let para = "The panel reviewed 12/03/2025 the 20 records (70%) for period 2024-25; Action A07 is due 2026-03-31. Ref REF-2025-000123, £1,250,000 at 10:30. Kaiser, v1.2.3, q-01-03. Chloé née Ng.\n";
    let big = para.repeat(3 * 1024 * 1024 / para.len());
    assert!(s.scan(&big).is_empty());

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
        let found = s.scan(&nasty);
        let mut end = 0;
        for f in &found {
            assert!(f.start >= end && f.start < f.end && f.end <= nasty.len());
            assert!(nasty.is_char_boundary(f.start) && nasty.is_char_boundary(f.end));
            end = f.end;
        }
    }
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

#[test]
fn spelt_out_email_addresses_are_caught_and_prose_is_not() {
    let s = plain();
    for written in [
        "kai.doe at example dot org",
        "kai [at] example [dot] org",
        "kai(at)example.org",
        "kai AT example DOT co DOT uk",
        "kai { at } example.org",
    ] {
        only(
            &s,
            &format!("write to {written} today"),
            DataKind::Email,
            written,
        );
    }
    for prose in [
        "we met at home. Then we left",
        "staff at the centre dot the i's",
        "children at risk.",
        "arrive at 10.30am",
        "look at page 3. Then",
    ] {
        none(&s, prose);
    }
}

#[test]
fn phone_numbers_in_any_grouping_are_caught_and_dates_are_not() {
    let s = plain();
    for written in [
        "07700 90 01 23",
        "077 009 001 23",
        "0161.496.0000",
        "07700.900.123",
    ] {
        only(&s, &format!("ring {written} now"), DataKind::Phone, written);
    }
    none(&s, "met 01-02-2024 10 attendees");
    none(&s, "met 01.02.2024 at noon");
}

#[test]
fn folded_text_catches_digits_of_any_script_and_hidden_separators() {
    use crate::scan::fold::fold;
    let s = plain();
    for written in [
        "NHS ９４３ ４７６ ５９１９",
        "NHS \u{0669}\u{0664}\u{0663} \u{0664}\u{0667}\u{0666} \u{0665}\u{0669}\u{0661}\u{0669}",
        "NHS 943\u{2063}476\u{2063}5919",
        "NHS 943\u{2013}476\u{2014}5919",
        "NHS &#57;43 476 5919",
    ] {
        let folded = fold(written);
        let found = hits(&s, &folded.text);
        assert_eq!(found.len(), 1, "{written:?}: {found:?}");
        assert_eq!(found[0].0, DataKind::NhsNumber, "{written:?}");
    }
}
