//! The facilitator's pack for a tabletop or case audit: one printable A4 HTML page with the
//! purpose, an agenda, ground rules on confidentiality, the agencies taking part, the
//! questions in scope with their prompts, and a recording grid per case (each on its own
//! page). Self-contained: its styles are inline, it makes no external request, and the same
//! input always gives the same bytes.

use crate::model::{Audit, CaseRecord, Cycle, Framework, Judgement, Question};
use crate::site::markdown;

fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = r#"
@page { size: A4; margin: 15mm 14mm 16mm 14mm; }
* { box-sizing: border-box; }
body { font-family: Arial, "Helvetica Neue", Helvetica, sans-serif; font-size: 11pt; line-height: 1.35; color: #0b0c0c; margin: 0 auto; max-width: 190mm; padding: 8mm 0; }
h1 { font-size: 22pt; margin: 0 0 4pt; line-height: 1.15; }
h2 { font-size: 15pt; margin: 16pt 0 6pt; border-bottom: 2px solid #0b0c0c; padding-bottom: 2pt; }
h3 { font-size: 12pt; margin: 10pt 0 4pt; }
p, li { margin: 0 0 5pt; }
.caption { color: #505a5f; font-size: 12pt; margin: 0; }
.meta { border-collapse: collapse; margin: 8pt 0; }
.meta th { text-align: left; padding: 2pt 10pt 2pt 0; vertical-align: top; }
.meta td { padding: 2pt 0; }
table.grid, table.agenda { border-collapse: collapse; width: 100%; table-layout: fixed; }
.grid th, .grid td, .agenda th, .agenda td { border: 1px solid #505a5f; padding: 4pt; vertical-align: top; font-size: 9.5pt; }
.grid thead th, .agenda thead th { background: #f3f2f1; text-align: left; }
.grid th { font-weight: normal; text-align: left; }
.grid thead th { font-weight: bold; }
.grid td.box { text-align: center; font-size: 14pt; vertical-align: middle; }
.grid th.box { width: 14mm; text-align: center; font-size: 9pt; padding: 4pt 1pt; }
.grid .q { width: 68mm; }
.grid .notes { height: 26mm; }
.question { break-inside: avoid; margin-bottom: 8pt; }
.question ul { margin: 2pt 0 0 0; padding-left: 16pt; font-size: 10pt; }
.qid { font-weight: bold; }
.case { break-before: page; }
.case-head td { border-bottom: 1px solid #505a5f; height: 8mm; }
.rules { border-left: 5px solid #1d70b8; padding: 4pt 0 4pt 10pt; }
.small { font-size: 9pt; color: #505a5f; }
tr { break-inside: avoid; }
.after { border: 1px solid #505a5f; border-top: 0; min-height: 28mm; padding: 4pt; font-size: 9.5pt; break-inside: avoid; }
@media screen { body { padding: 12mm; } .case { border-top: 3px dashed #b1b4b6; margin-top: 16pt; padding-top: 8pt; } }
"#;

/// The pack as HTML. `refs` are the cases to give a grid to (the cycle's own, or blank ones).
pub fn html(audit: &Audit, cycle: &Cycle, fw: &Framework, refs: &[String]) -> String {
    let questions: Vec<&Question> = cycle.questions(fw).collect();
    let mut h = String::new();
    head_and_meta(&mut h, audit, cycle, fw, refs);
    purpose(&mut h, cycle);
    agenda(&mut h, refs);
    ground_rules(&mut h);
    agencies(&mut h, audit, cycle);
    the_questions(&mut h, &questions);
    for r in refs {
        case_grid(&mut h, audit, cycle, &questions, r);
    }
    h.push_str(&format!(
        "<p class=\"small\">Made by panelaudit pack for {} ({}). Record the judgements in the workbook beside this pack and import it with <code>panelaudit import</code>.</p>\n</main>\n</body>\n</html>\n",
        esc(&audit.partnership.short_name),
        esc(&cycle.id)
    ));
    h
}

/// The document's head, its title, and what the round is (method, dates, framework, cases).
fn head_and_meta(h: &mut String, audit: &Audit, cycle: &Cycle, fw: &Framework, refs: &[String]) {
    h.push_str("<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n");
    h.push_str(&format!(
        "<title>Facilitator pack: {}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n",
        esc(&cycle.title)
    ));
    h.push_str(&format!(
        "<p class=\"caption\">{} · facilitator pack · internal: not for publication</p>\n<h1>{}</h1>\n",
        esc(&audit.partnership.name),
        esc(&cycle.title)
    ));
    h.push_str("<table class=\"meta\">\n");
    for (k, v) in [
        ("Method", cycle.method.words().to_string()),
        ("Cycle", format!("{} (period {})", cycle.id, cycle.period)),
        (
            "Dates",
            format!("{} to {}", cycle.opened.long(), cycle.closed.long()),
        ),
        ("Questions from", fw.title.clone()),
        ("Cases", refs.len().to_string()),
    ] {
        h.push_str(&format!(
            "<tr><th scope=\"row\">{k}</th><td>{}</td></tr>\n",
            esc(&v)
        ));
    }
    h.push_str("</table>\n");
}

/// Why the table meets: the cycle's own purpose, else a standard one, and its activities.
fn purpose(h: &mut String, cycle: &Cycle) {
    h.push_str("<h2>Purpose</h2>\n");
    match &cycle.purpose {
        Some(p) => h.push_str(&markdown::to_html(p, 3)),
        None => h.push_str("<p>To test, case by case, whether practice meets the standard the questions below describe, and to agree what we learn.</p>\n"),
    }
    if !cycle.activities.is_empty() {
        h.push_str("<ul>\n");
        for a in &cycle.activities {
            h.push_str(&format!("<li>{}</li>\n", esc(a)));
        }
        h.push_str("</ul>\n");
    }
}

/// The session's agenda, its time for the cases growing with their number.
fn agenda(h: &mut String, refs: &[String]) {
    h.push_str("<h2>Agenda</h2>\n<table class=\"agenda\">\n<thead><tr><th scope=\"col\" style=\"width:22mm\">Time</th><th scope=\"col\">Item</th></tr></thead>\n<tbody>\n");
    let per_case = 15;
    let cases_min = per_case * refs.len();
    for (time, item) in [
        (
            "10 min".to_string(),
            "Welcome, purpose and ground rules (below)".to_string(),
        ),
        (
            format!("{cases_min} min"),
            format!(
                "The cases, about {per_case} minutes each: each agency summarises its involvement, then the table agrees a judgement for every question and notes good practice, learning and where an agency's practice differed"
            ),
        ),
        (
            "20 min".to_string(),
            "Themes across the cases: good practice, what else we found, what we can learn"
                .to_string(),
        ),
        (
            "15 min".to_string(),
            "Actions, owners and dates; who drafts the briefing".to_string(),
        ),
    ] {
        h.push_str(&format!(
            "<tr><td>{}</td><td>{}</td></tr>\n",
            esc(&time),
            esc(&item)
        ));
    }
    h.push_str("</tbody>\n</table>\n");
}

/// The confidentiality rules the table agrees to.
fn ground_rules(h: &mut String) {
    h.push_str("<h2>Ground rules: confidentiality</h2>\n<div class=\"rules\">\n<ul>\n");
    for rule in [
        "Cases are known here only by their reference (C01, C02...). Never write a child's or family member's name, date of birth, address or NHS or case number on the grids or in the workbook.",
        "Each agency keeps the key that links a reference to its records; the key does not leave the agency.",
        "What is said about a case stays in the room. Notes on the grids are internal and are never published; only counts over at least the partnership's minimum number of cases are.",
        "We judge practice and systems, not individual practitioners. Where an agency's practice differed from the table's judgement, record the agency, not the person.",
        "Printed packs and grids are collected at the end and destroyed once the judgements are imported.",
        "If anything discussed raises a current safeguarding concern about a child, the agency concerned acts on it today through its usual procedures.",
    ] {
        h.push_str(&format!("<li>{}</li>\n", esc(rule)));
    }
    h.push_str("</ul>\n</div>\n");
}

/// The agencies asked to the table.
fn agencies(h: &mut String, audit: &Audit, cycle: &Cycle) {
    let agencies: Vec<_> = cycle.agencies(&audit.partnership).collect();
    h.push_str("<h2>Agencies taking part</h2>\n<ul>\n");
    for a in &agencies {
        h.push_str(&format!(
            "<li>{} <span class=\"small\">({}{})</span></li>\n",
            esc(&a.name),
            esc(&a.id),
            if a.statutory { ", statutory duty" } else { "" }
        ));
    }
    h.push_str("</ul>\n");
}

/// The questions in scope, with their prompts, and how to judge them.
fn the_questions(h: &mut String, questions: &[&Question]) {
    h.push_str("<h2>The questions</h2>\n<p>For each case, the table agrees one judgement per question: <strong>met</strong>, <strong>partly</strong> met, <strong>not met</strong>, or <strong>n/a</strong> where the question does not apply to the case. The prompts say what good practice looks like.</p>\n");
    for q in questions {
        h.push_str(&format!(
            "<div class=\"question\"><p><span class=\"qid\">{}</span> {}</p>\n",
            esc(&q.id),
            esc(&q.text)
        ));
        if !q.prompts.is_empty() {
            h.push_str("<ul>\n");
            for p in &q.prompts {
                h.push_str(&format!("<li>{}</li>\n", esc(p)));
            }
            h.push_str("</ul>\n");
        }
        h.push_str("</div>\n");
    }
}

/// One case's recording grid, on a page of its own, pre-filled from its record when it has one.
fn case_grid(h: &mut String, audit: &Audit, cycle: &Cycle, questions: &[&Question], r: &str) {
    let existing: Option<&CaseRecord> = cycle.cases.iter().find(|c| c.reference == r);
    h.push_str(&format!(
        "<section class=\"case\" aria-labelledby=\"case-{0}\">\n<h2 id=\"case-{0}\">Recording grid: case {0}</h2>\n",
        esc(r)
    ));
    let age = existing
        .and_then(|c| c.age_band)
        .map(|b| b.as_str().to_string())
        .unwrap_or_default();
    let involved = existing
        .map(|c| {
            c.agencies
                .iter()
                .map(|a| audit.agency(a).map_or(a.clone(), |x| x.name.clone()))
                .collect::<Vec<_>>()
                .join(", ")
        })
        .unwrap_or_default();
    h.push_str("<table class=\"meta case-head\" style=\"width:100%\">\n");
    for (k, v) in [
        ("Age band (under-1, 1-4, 5-9, 10-15, 16-17)", age),
        ("Agencies involved", involved),
        (
            "Audited on",
            existing.map(|c| c.audited_on.long()).unwrap_or_default(),
        ),
    ] {
        h.push_str(&format!(
            "<tr><th scope=\"row\" style=\"width:70mm\">{k}</th><td>{}</td></tr>\n",
            esc(&v)
        ));
    }
    h.push_str("</table>\n");
    h.push_str(&format!(
        "<table class=\"grid\">\n<caption class=\"small\" style=\"text-align:left\">Case {}: tick one judgement per question</caption>\n<thead><tr><th scope=\"col\" class=\"q\">Question</th><th scope=\"col\" class=\"box\">Met</th><th scope=\"col\" class=\"box\">Partly</th><th scope=\"col\" class=\"box\">Not met</th><th scope=\"col\" class=\"box\">n/a</th><th scope=\"col\">Agencies whose practice differed; good practice; learning</th></tr></thead>\n<tbody>\n",
        esc(r)
    ));
    for q in questions {
        let j = existing
            .and_then(|c| c.findings.get(&q.id))
            .map(|f| f.judgement);
        let mark = |x: Judgement| if j == Some(x) { "☒" } else { "☐" };
        h.push_str(&format!(
            "<tr><th scope=\"row\" class=\"q\"><span class=\"qid\">{}</span> {}</th><td class=\"box\">{}</td><td class=\"box\">{}</td><td class=\"box\">{}</td><td class=\"box\">{}</td><td class=\"notes\"></td></tr>\n",
            esc(&q.id),
            esc(&short(&q.text)),
            mark(Judgement::Met),
            mark(Judgement::Partly),
            mark(Judgement::NotMet),
            mark(Judgement::NotApplicable),
        ));
    }
    h.push_str("</tbody>\n</table>\n<div class=\"after\"><p><strong>Learning and actions from this case</strong> (agencies, not names)</p></div>\n</section>\n");
}

/// A question's text for a grid row: whole up to 240 characters, else cut at a word.
fn short(text: &str) -> String {
    if text.chars().count() <= 240 {
        return text.to_string();
    }
    let cut: String = text.chars().take(237).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(a, _)| a);
    format!("{cut}…")
}
