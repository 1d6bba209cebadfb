//! Tests of the charts: determinism, text alternatives, axis maths and label placement.

use super::*;
use crate::model::Rag;

fn label() -> Label {
    Label {
        id: "c1".into(),
        title: "Assurance <by> theme".into(),
        desc: "Two themes".into(),
    }
}

fn levels() -> Vec<Segment> {
    [
        (Rag::Red, "No"),
        (Rag::Amber, "Limited"),
        (Rag::Green, "Reasonable"),
    ]
    .iter()
    .map(|(rag, l)| Segment {
        label: l.to_string(),
        swatch: Swatch::for_level(*rag, *rag == Rag::Green),
    })
    .collect()
}

#[test]
fn charts_are_named_for_screen_readers_and_escaped() {
    let svg = stacked_bars(
        &label(),
        &levels(),
        &[StackedRow {
            label: "Mental <health>".into(),
            counts: vec![1, 2, 3],
        }],
    )
    .unwrap();
    assert!(svg.starts_with("<svg class=\"app-chart\" "), "{svg}");
    assert!(svg.contains("role=\"img\" aria-labelledby=\"c1-title c1-desc\""));
    assert!(svg.contains("<title id=\"c1-title\">Assurance &lt;by&gt; theme</title>"));
    assert!(svg.contains("Mental &lt;health&gt;"), "{svg}");
    assert!(!svg.contains("16.129"), "font sizes are tidied");
    assert!(svg.trim_end().ends_with("</svg>"));
}

#[test]
fn the_same_data_draws_the_same_bytes() {
    let rows = vec![
        StackedRow {
            label: "A".into(),
            counts: vec![0, 2, 1],
        },
        StackedRow {
            label: "B".into(),
            counts: vec![0, 0, 0],
        },
    ];
    let a = stacked_bars(&label(), &levels(), &rows).unwrap();
    let b = stacked_bars(&label(), &levels(), &rows).unwrap();
    assert_eq!(a, b);
}

#[test]
fn degenerate_inputs_do_not_panic() {
    assert!(bars(&label(), &[]).is_ok());
    assert!(bars(&label(), &[("x".into(), f64::NAN, "?".into())]).is_ok());
    assert!(stacked_bars(&label(), &[], &[]).is_ok());
    assert!(lines(&label(), &[], (1.0, 1.0), &[], &[], &[], true).is_ok());
    assert!(
        lines(
            &label(),
            &[],
            (f64::NAN, f64::INFINITY),
            &[],
            &[],
            &[],
            true
        )
        .is_ok()
    );
    let one = lines(
        &label(),
        &["2024-25".into()],
        (0.0, 3.0),
        &[(0.0, "0".into())],
        &[Line {
            label: "x".into(),
            values: vec![Some(f64::INFINITY)],
        }],
        &[
            Reference {
                label: "t".into(),
                value: f64::NAN,
                mark: RefMark::Line,
            },
            Reference {
                label: "c".into(),
                value: f64::NAN,
                mark: RefMark::At(7),
            },
        ],
        true,
    )
    .unwrap();
    assert!(!one.contains("NaN") && !one.contains("inf"), "{one}");
}

#[test]
fn hatching_stays_inside_its_rectangle() {
    for rising in [true, false] {
        for [a, b] in hatch_lines((10, 20), (50, 40), 8, rising) {
            for (x, y) in [a, b] {
                assert!((10..=50).contains(&x) && (20..=40).contains(&y), "{x},{y}");
            }
        }
    }
}

#[test]
fn numbers_lose_trailing_zeros() {
    assert_eq!(trim_number(2.0), "2");
    assert_eq!(trim_number(25.30), "25.3");
    assert_eq!(trim_number(13.999999999999998), "14");
    assert_eq!(trim_number(-0.001), "0");
    assert_eq!(trim_number(1.125), "1.13");
}

#[test]
fn axis_ticks_cover_the_data_with_round_steps() {
    let (lo, hi, ticks) = nice_ticks(0.0, 25.3);
    assert_eq!(lo, 0.0);
    assert!(hi >= 25.3);
    assert!(ticks.len() >= 3 && ticks.len() <= 7, "{ticks:?}");
    let (_, _, t) = nice_ticks(0.0, 1.0);
    assert!(t.iter().all(|x| x.is_finite()));
    for (lo, hi) in [(-1e308, 1e308), (0.0, 1e308), (5.0, 5.0), (1e-300, 2e-300)] {
        let (a, b, t) = nice_ticks(lo, hi);
        assert!(a.is_finite() && b.is_finite() && b > a, "{lo}..{hi}");
        assert!(
            t.len() <= 12 && t.iter().all(|x| x.is_finite()),
            "{lo}..{hi}"
        );
    }
}
