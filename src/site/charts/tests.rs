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

/// Every kind of chart, with a long label, for the legibility tests.
fn every_chart() -> Vec<String> {
    let long = "Do partners know how many children are waiting for mental health support, how long they wait, and what help they receive?";
    let stacked = stacked_bars(
        &label(),
        &levels(),
        &[StackedRow {
            label: long.into(),
            counts: vec![1, 12, 2],
        }],
    )
    .unwrap();
    let bars = bars(&label(), &[(long.into(), 120.0, "120.0".into())]).unwrap();
    let diverging = diverging_bars(
        &label(),
        &["Disagree".into(), "Neither".into(), "Agree".into()],
        &[DivergingRow {
            label: long.into(),
            shares: vec![0.2, 0.3, 0.5],
        }],
    );
    let dots = strip(
        &label(),
        &[
            StripPoint {
                value: 1.5,
                name: "A".into(),
                marked: false,
            },
            StripPoint {
                value: 2.0,
                name: "B".into(),
                marked: true,
            },
        ],
        0.0,
        3.0,
        Some(("England", 1.8)),
    );
    let line = lines(
        &label(),
        &["2024-25".into(), "2025-26".into()],
        (0.0, 3.0),
        &[(0.0, "0".into()), (3.0, "3".into())],
        &[Line {
            label: long.into(),
            values: vec![Some(1.0), Some(2.0)],
        }],
        &[Reference {
            label: "Target: 2".into(),
            value: 2.0,
            mark: RefMark::Line,
        }],
        true,
    )
    .unwrap();
    vec![stacked, bars, diverging, dots, line]
}

#[test]
fn chart_text_keeps_the_body_size_at_any_width() {
    for svg in every_chart() {
        let open = &svg[..svg.find('>').unwrap()];
        assert!(
            open.contains("width=\"100%\"") && !open.contains("viewBox"),
            "a fluid chart is drawn to the page's width, not scaled as a picture: {open}"
        );
        for size in svg.split("font-size=\"").skip(1) {
            let px: f64 = size[..size.find('"').unwrap()].parse().unwrap();
            assert!(px >= 16.0, "text of {px}px is below a phone's body size");
        }
        // No halo: text is never outlined to stand out from what is under it.
        for t in svg.split("<text ").skip(1) {
            let open = &t[..t.find('>').unwrap()];
            assert!(!open.contains("stroke"), "{open}");
        }
    }
}

#[test]
fn labels_are_shown_in_full_and_wrapped_to_a_phone() {
    for svg in every_chart().iter().filter(|s| s.contains("waiting for")) {
        assert!(!svg.contains('…'), "no label is cut short");
        let words: String = svg
            .split("<text ")
            .skip(1)
            .map(|t| {
                let t = &t[t.find('>').unwrap() + 1..];
                t[..t.find("</text>").unwrap()].to_string()
            })
            .collect::<Vec<_>>()
            .join(" ");
        assert!(
            words.contains("Do partners know how many children are")
                && words.contains("what help they receive?"),
            "{words}"
        );
        for t in svg.split("<text ").skip(1) {
            let t = &t[t.find('>').unwrap() + 1..];
            let line = &t[..t.find("</text>").unwrap()];
            assert!(line.chars().count() <= LABEL_CHARS + 2, "{line}");
        }
    }
}

#[test]
fn dots_of_the_comparison_plot_stand_out_from_the_page() {
    let dots = &every_chart()[3];
    // Dark blue (#12436d, over 9:1 on white), opaque, 10 pixels across.
    assert!(dots.contains("<g fill=\"#12436d\""), "{dots}");
    assert!(!dots.contains("fill-opacity"));
    assert!(dots.contains("r=\"5\""));
}

#[test]
fn a_strip_plots_names_stay_whole_on_a_phone_wherever_the_dot_falls() {
    // At 2 of 0..3 a centred "WDSCP: Reasonable assurance" ran off a 390 px screen.
    let name = "WDSCP: Reasonable assurance";
    for value in [0.0, 1.0, 1.5, 2.0, 2.5, 3.0] {
        let svg = strip(
            &label(),
            &[StripPoint {
                value,
                name: name.into(),
                marked: true,
            }],
            0.0,
            3.0,
            None,
        );
        let tag = svg
            .lines()
            .find(|l| l.contains(name))
            .unwrap_or_else(|| panic!("the marked name is drawn: {svg}"));
        let attr = |key: &str| {
            let from = tag.find(&format!("{key}=\"")).unwrap() + key.len() + 2;
            tag[from..].split('"').next().unwrap().to_string()
        };
        let x: f64 = attr("x").trim_end_matches('%').parse().unwrap();
        // Its extent at the narrowest width (330 px), at 10 px a character, bold.
        let (width, at) = (name.chars().count() as f64 * 10.0, x / 100.0 * 330.0);
        let (from, to) = match attr("text-anchor").as_str() {
            "start" => (at, at + width),
            "end" => (at - width, at),
            _ => (at - width / 2.0, at + width / 2.0),
        };
        assert!(
            from >= 0.0 && to <= 330.0,
            "at {value}: {from}..{to}: {tag}"
        );
    }
    // A short name sits centred on its dot.
    assert_eq!(fluid::label_place(50.0, "NDSCP: 2", true), (50.0, "middle"));
}

/// A public comparison gives ratings in words, so its dot plot's axis does too: the scale's
/// two end words and no figures under the ticks; ends too long to share a line take two.
#[test]
fn a_dot_plot_in_words_names_its_ends_and_shows_no_figures() {
    let points = [StripPoint {
        value: 1.0,
        name: "A".into(),
        marked: false,
    }];
    let texts = |svg: &str| -> Vec<String> {
        svg.split("<text ")
            .skip(1)
            .filter_map(|t| Some(t.split_once('>')?.1.split_once("</text>")?.0.to_string()))
            .collect()
    };
    let short = strip_in_words(
        &label(),
        &points,
        0.0,
        3.0,
        ("No assurance", "Substantial assurance"),
    );
    assert_eq!(texts(&short), ["No assurance", "Substantial assurance"]);
    let with_figures = strip(&label(), &points, 0.0, 3.0, None);
    assert_eq!(texts(&with_figures), ["0", "1", "2", "3"]);
    let y_of = |svg: &str, word: &str| {
        let at = svg.find(&format!(">{word}</text>")).unwrap();
        let tag = &svg[svg[..at].rfind("<text ").unwrap()..at];
        let y = tag.split("y=\"").nth(1).unwrap().split('"').next().unwrap();
        y.parse::<f64>().unwrap()
    };
    assert_eq!(
        y_of(&short, "No assurance"),
        y_of(&short, "Substantial assurance")
    );
    let long = strip_in_words(
        &label(),
        &points,
        0.0,
        3.0,
        (
            "Inadequate and in need of urgent help",
            "Outstanding in every respect we looked at",
        ),
    );
    assert!(
        y_of(&long, "Inadequate and in need of urgent help")
            < y_of(&long, "Outstanding in every respect we looked at"),
        "long ends are stacked, not overlapping"
    );
}
