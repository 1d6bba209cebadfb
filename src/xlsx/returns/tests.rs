//! Tests of reading a return workbook: ratings, confidence, dates and cells.

use super::*;
use crate::model::{FrameworkSource, Rag, ScaleLevel};

fn fw() -> Framework {
    let level = |value: u32, label: &str| ScaleLevel {
        value,
        label: label.to_string(),
        rag: Rag::Amber,
        descriptor: String::new(),
    };
    Framework {
        id: "t".into(),
        title: "T".into(),
        summary: String::new(),
        source: FrameworkSource {
            publisher: String::new(),
            publication: String::new(),
            year: None,
            url: String::new(),
            licence: String::new(),
            note: String::new(),
        },
        scale: vec![
            level(0, "No assurance"),
            level(1, "Limited assurance"),
            level(2, "Reasonable assurance"),
            level(3, "Substantial assurance"),
        ],
        themes: Vec::new(),
        questions: Vec::new(),
        bundled: false,
        loc: Default::default(),
    }
}

#[test]
fn ratings_are_accepted_as_number_text_or_drop_down_choice() {
    let fw = fw();
    let ok = |d: Data| parse_rating(&d, &fw).unwrap();
    assert_eq!(ok(Data::Int(2)), Rating::Value(2));
    assert_eq!(ok(Data::Float(2.0)), Rating::Value(2));
    assert_eq!(ok(Data::String("2".into())), Rating::Value(2));
    assert_eq!(ok(Data::String(" 2.0 ".into())), Rating::Value(2));
    assert_eq!(
        ok(Data::String("2 - Reasonable assurance".into())),
        Rating::Value(2)
    );
    assert_eq!(
        ok(Data::String("2 – reasonable  assurance".into())),
        Rating::Value(2)
    );
    assert_eq!(ok(Data::String("N/A".into())), Rating::NotApplicable);
    assert_eq!(ok(Data::String("n/a".into())), Rating::NotApplicable);
}

#[test]
fn ratings_off_the_scale_are_refused_with_the_scale() {
    let fw = fw();
    let err = |d: Data| parse_rating(&d, &fw).unwrap_err().to_string();
    assert_eq!(
        err(Data::String("3 - good".into())),
        "rating \"3 - good\" is not on the scale (0 No assurance, 1 Limited assurance, 2 Reasonable assurance, 3 Substantial assurance, or n/a)"
    );
    assert!(err(Data::Int(7)).starts_with("rating 7 is not on the scale"));
    assert!(err(Data::Float(2.5)).starts_with("rating 2.5 is not on the scale"));
    assert!(err(Data::Int(-1)).starts_with("rating -1 is not on the scale"));
    assert!(err(Data::String("2 - Substantial assurance".into())).contains("not on the scale"));
    assert!(err(Data::String("NA".into())).contains("not on the scale"));
    assert!(err(Data::Bool(true)).contains("found TRUE"));
}

#[test]
fn confidence_is_one_of_three_words() {
    assert_eq!(
        parse_confidence(&Data::String(" High ".into())).ok(),
        Some(Confidence::High)
    );
    assert_eq!(
        parse_confidence(&Data::String("high-ish".into()))
            .unwrap_err()
            .to_string(),
        "confidence \"high-ish\" is not one of low, medium, high"
    );
    assert!(parse_confidence(&Data::Int(3)).is_err());
}

#[test]
fn dates_are_read_from_text_day_first() {
    let s = |t: &str| cell_date(&Data::String(t.into())).map(|d| d.to_string());
    assert_eq!(s("2025-10-14").as_deref(), Some("2025-10-14"));
    assert_eq!(s("14/10/2025").as_deref(), Some("2025-10-14"));
    assert_eq!(s("4.3.2026").as_deref(), Some("2026-03-04"));
    assert_eq!(s("31/02/2025"), None);
    assert_eq!(s("next week"), None);
    assert_eq!(s("14/10/25"), None);
}
