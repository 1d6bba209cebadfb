//! `panelaudit brief`: a learning briefing drafted from one cycle, in the shape partnerships
//! publish (a learning journey: what did we do and how; what good practice did we find; what
//! else did we find; what can we learn; the results; recommendations with owners; what can you
//! do; reflective questions for supervision and team meetings).
//!
//! Public-safe by construction: [`Facts::gather`] is the only code here that reads the audit
//! (the readers it calls get only the parts they copy from), and it copies public fields only
//! (the cycle's purpose, activities and scope, counts of returns, `findings.toml`, moderated
//! `public_summary`, aggregate ratings, the action plan's titles, owners and dates, the
//! questions' text and prompts). [`Facts`] has no field that could hold an agency's evidence,
//! gaps or internal notes, a moderation note or a case record, and [`write`] sees only
//! [`Facts`]. The draft is marked `draft = true`, which a public build refuses until a person
//! has edited and approved it.

use crate::analysis::impact::ActionImpact;
use crate::analysis::{Analysis, Comparison, CycleRecord, Movement};
use crate::diag::{Code, Diagnostics};
use crate::disclosure::shown;
use crate::model::Disclosure;
use crate::model::{Action, Audience, Audit, Cycle, Date, FindingKind, Framework, Level, Question};
use std::fmt::Write as _;

/// What a draft may say: public fields of one cycle, finished.
#[derive(Debug, Clone)]
pub struct Facts {
    pub partnership: String,
    pub short_name: String,
    pub cycle: String,
    pub cycle_title: String,
    pub method: String,
    pub closed: Date,
    pub purpose: Option<String>,
    pub activities: Vec<String>,
    pub themes: Vec<String>,
    pub levels: String,
    pub questions: usize,
    pub agencies_asked: Vec<String>,
    /// What the cycle's evidence rests on, in sentences: returns, cases, survey responses.
    pub rests_on: Vec<String>,
    /// (kind, title, text, question ids)
    pub findings: Vec<(FindingKind, String, String, Vec<String>)>,
    /// (question id, question text, public summary)
    pub summaries: Vec<(String, String, String)>,
    /// Themes worst first: (title, mean rating, its level's label, rated questions).
    pub theme_results: Vec<(String, Option<f64>, String, usize)>,
    pub scale_top: String,
    pub change: Option<Change>,
    /// Open actions addressing the cycle's questions: (title, owner, due).
    pub actions: Vec<(String, String, Date)>,
    /// Highest-risk questions with prompts: (id, text, prompts).
    pub prompts: Vec<(String, String, Vec<String>)>,
    /// Weakest questions: (id, text).
    pub weakest: Vec<(String, String)>,
    /// Completed actions on the cycle's questions and what followed: (title, completed,
    /// verdict in words).
    pub impact: Vec<(String, Date, String)>,
}

/// Like-for-like change since the comparable cycle, in counts and theme names.
#[derive(Debug, Clone)]
pub struct Change {
    pub with: String,
    pub shared: usize,
    /// Questions that rose, fell or held.
    pub questions_rose: usize,
    pub questions_fell: usize,
    pub steady: usize,
    /// Themes whose average rose or fell.
    pub rose: Vec<String>,
    pub fell: Vec<String>,
}

/// How many questions "what can you do" and the reflective questions draw on.
const PROMPT_QUESTIONS: usize = 3;
const REFLECTIVE_QUESTIONS: usize = 3;

impl Facts {
    /// Copies the public fields of `cycle` and its evidence and analysis from the ledger, and
    /// what followed the completed actions on its questions (`impact`). Nothing else reads the
    /// audit: the readers it calls are handed only the parts they copy from.
    pub fn gather(
        audit: &Audit,
        cycle: &Cycle,
        record: &CycleRecord,
        impact: &[ActionImpact],
    ) -> Facts {
        let analysis = &record.analysis;
        let fw = audit.framework(&cycle.framework);
        let asked: Vec<&Question> = cycle.questions(fw).collect();
        let asked_ids: Vec<&str> = asked.iter().map(|q| q.id.as_str()).collect();
        let agencies: Vec<&crate::model::Agency> = cycle.agencies(&audit.partnership).collect();
        let change = analysis.comparison.as_ref().map(|c| Change {
            with: audit
                .cycle(&c.cycle)
                .map_or_else(|| c.cycle.clone(), |p| format!("{} ({})", p.title, p.id)),
            ..like_for_like(c, fw)
        });
        Facts {
            partnership: audit.partnership.name.clone(),
            short_name: audit.partnership.short_name.clone(),
            cycle: cycle.id.clone(),
            cycle_title: cycle.title.clone(),
            method: cycle.method.words().to_string(),
            closed: cycle.closed,
            purpose: cycle.purpose.clone(),
            activities: cycle.activities.clone(),
            themes: fw
                .themes
                .iter()
                .filter(|t| asked.iter().any(|q| q.theme == t.id))
                .map(|t| t.title.clone())
                .collect(),
            levels: levels(&cycle.scope_levels).to_string(),
            questions: asked.len(),
            agencies_asked: agencies.iter().map(|a| a.name.clone()).collect(),
            rests_on: rests_on(record, agencies.len(), &audit.partnership.disclosure),
            findings: cycle
                .findings
                .iter()
                .map(|f| (f.kind, f.title.clone(), f.text.clone(), f.questions.clone()))
                .collect(),
            summaries: summaries(cycle, &asked),
            theme_results: theme_results(analysis, fw),
            scale_top: fw.scale.last().map(|l| l.label.clone()).unwrap_or_default(),
            change,
            actions: open_actions(&audit.actions, &asked_ids),
            prompts: prompts(analysis, fw),
            weakest: weakest(analysis, fw),
            impact: impact
                .iter()
                .filter(|i| {
                    i.questions
                        .iter()
                        .any(|q| asked_ids.contains(&q.question.as_str()))
                })
                .map(|i| (i.title.clone(), i.completed, i.verdict.words().to_string()))
                .collect(),
        }
    }
}

/// Who the cycle asked, in words.
fn levels(scope: &[Level]) -> &'static str {
    match scope {
        [Level::Strategic] => "strategic leaders",
        [Level::Practitioner] => "practitioners",
        _ => "strategic leaders and practitioners",
    }
}

/// The moderation panel's public summaries of the questions asked: (id, text, summary).
fn summaries(cycle: &Cycle, asked: &[&Question]) -> Vec<(String, String, String)> {
    asked
        .iter()
        .filter_map(|q| {
            let s = cycle.moderated(&q.id)?.public_summary.as_ref()?;
            Some((q.id.clone(), q.text.clone(), s.trim().to_string()))
        })
        .collect()
}

/// Themes worst first (unrated last, then by title): title, mean rating, its level's label,
/// rated questions.
fn theme_results(analysis: &Analysis, fw: &Framework) -> Vec<(String, Option<f64>, String, usize)> {
    let mut results: Vec<(String, Option<f64>, String, usize)> = analysis
        .ranking
        .themes
        .iter()
        .map(|t| {
            let label = t
                .mean_rating
                .map(|r| fw.level_at(r).label.clone())
                .unwrap_or_else(|| "no rating".to_string());
            (
                t.title.clone(),
                t.mean_rating,
                label,
                t.questions - t.unrated,
            )
        })
        .collect();
    results.sort_by(|a, b| {
        a.1.unwrap_or(f64::INFINITY)
            .total_cmp(&b.1.unwrap_or(f64::INFINITY))
            .then(a.0.cmp(&b.0))
    });
    results
}

/// The like-for-like change in counts and theme titles; `with` is left for the caller, which
/// names the earlier cycle.
fn like_for_like(c: &Comparison, fw: &Framework) -> Change {
    let moved = |m: Movement| {
        c.themes
            .iter()
            .filter(|t| t.movement == m)
            .map(|t| {
                fw.theme(&t.theme)
                    .map_or_else(|| t.theme.clone(), |th| th.title.clone())
            })
            .collect()
    };
    Change {
        with: String::new(),
        shared: c.shared,
        questions_rose: c.rose.len(),
        questions_fell: c.fell.len(),
        rose: moved(Movement::Rose),
        fell: moved(Movement::Fell),
        steady: c.steady,
    }
}

/// Open actions addressing a question asked, soonest due first: (title, owner, due).
fn open_actions(actions: &[Action], asked_ids: &[&str]) -> Vec<(String, String, Date)> {
    let mut open: Vec<(String, String, Date)> = actions
        .iter()
        .filter(|a| a.status.is_open())
        .filter(|a| a.addresses.iter().any(|q| asked_ids.contains(&q.as_str())))
        .map(|a| (a.title.clone(), a.owner.clone(), a.due))
        .collect();
    open.sort_by(|a, b| a.2.cmp(&b.2).then(a.0.cmp(&b.0)));
    open
}

/// The highest-risk questions with prompts, practitioners' first (ranked order is risk
/// order), for "what can you do": (id, text, prompts).
fn prompts(analysis: &Analysis, fw: &Framework) -> Vec<(String, String, Vec<String>)> {
    let ranked: Vec<&Question> = analysis
        .ranking
        .priorities
        .iter()
        .filter_map(|s| fw.question(&s.question))
        .collect();
    let mut for_prompts: Vec<&&Question> = ranked
        .iter()
        .filter(|q| q.level == Level::Practitioner && !q.prompts.is_empty())
        .collect();
    if for_prompts.is_empty() {
        for_prompts = ranked.iter().filter(|q| !q.prompts.is_empty()).collect();
    }
    for_prompts
        .into_iter()
        .take(PROMPT_QUESTIONS)
        .map(|q| (q.id.clone(), q.text.clone(), q.prompts.clone()))
        .collect()
}

/// The lowest-rated questions (ties in rank order), for the reflective questions: (id, text).
fn weakest(analysis: &Analysis, fw: &Framework) -> Vec<(String, String)> {
    let mut weakest: Vec<(f64, usize, &Question)> = analysis
        .ranking
        .priorities
        .iter()
        .filter_map(|s| Some((s.rating?, s.rank, fw.question(&s.question)?)))
        .collect();
    weakest.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    weakest
        .into_iter()
        .take(REFLECTIVE_QUESTIONS)
        .map(|(_, _, q)| (q.id.clone(), q.text.clone()))
        .collect()
}

/// What a cycle's evidence rests on, in sentences: its returns, its cases, its survey
/// responses (read from the ledger, so a case audit is never "0 agencies returned").
fn rests_on(record: &CycleRecord, asked: usize, d: &Disclosure) -> Vec<String> {
    let e = &record.evidence;
    let mut out = Vec::new();
    // A cycle too few agencies took part in publishes nothing about single agencies' returns.
    if let Some(round) = e.returns.as_ref().filter(|_| asked >= d.min_agencies) {
        let partly = round.partly().len();
        out.push(format!(
            "{} of the {asked} agencies asked sent their full return{}",
            round.returned(),
            match partly {
                0 => String::new(),
                1 => " and 1 answered in part".to_string(),
                n => format!(" and {n} answered in part"),
            }
        ));
    }
    if let Some(c) = &e.cases {
        out.push(format!(
            "the agencies taking part audited {} cases together",
            shown(c.cases, d.min_cases)
        ));
    }
    let respondents: usize = e.surveys.iter().map(|s| s.respondents).sum();
    if respondents > 0 {
        out.push(format!(
            "{} practitioners answered the survey",
            shown(respondents, d.min_responses)
        ));
    }
    out
}

/// A TOML string, quoted and escaped.
fn toml_str(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// "a, b and c".
fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// A placeholder for the editor: what to write where the files say nothing.
fn to_write(out: &mut String, what: &str) {
    let _ = writeln!(out, "*To write: {what}*\n");
}

/// The draft briefing: front matter, then the learning journey's sections.
pub fn write(f: &Facts, today: Date) -> String {
    let mut o = String::new();
    push_front_matter(&mut o, f, today);
    push_what_we_did(&mut o, f);
    push_what_we_found(&mut o, f);
    push_results(&mut o, f);
    push_difference_made(&mut o, f);
    push_recommendations(&mut o, f);
    push_what_you_can_do(&mut o, f);
    push_reflective_questions(&mut o, f);
    o
}

/// The front matter (marked a draft) and the line asking managers to share the briefing.
fn push_front_matter(o: &mut String, f: &Facts, today: Date) {
    let title = format!("Learning from the {}", lower_first(&f.cycle_title));
    let summary = format!(
        "In {} the {} ran a {} on {}, asking {} of {}. {} This briefing sets out what we found, what the partnership will do, and what every practitioner can do.",
        f.closed.long().split_once(' ').map_or("", |(_, my)| my),
        f.short_name,
        f.method,
        match f.themes.len() {
            0 => "its themes".to_string(),
            1..=3 => themes_list(&f.themes),
            n => format!("{n} themes"),
        },
        questions(f.questions),
        f.levels,
        sentence(&f.rests_on),
    );
    let _ = writeln!(o, "+++");
    let _ = writeln!(o, "title = {}", toml_str(&title));
    let _ = writeln!(o, "date = {today}");
    let _ = writeln!(o, "audience = \"public\"");
    let _ = writeln!(o, "summary = {}", toml_str(&summary));
    let _ = writeln!(o, "cycle = {}", toml_str(&f.cycle));
    let _ = writeln!(
        o,
        "# A draft from `panelaudit brief`: edit it, then remove the next line to publish it."
    );
    let _ = writeln!(o, "draft = true");
    let _ = writeln!(o, "+++");
    let _ = writeln!(
        o,
        "*A seven-minute briefing from the {} ({}). Managers: please share it in a team meeting or in supervision, and record how your team will use it.*\n",
        f.partnership, f.short_name
    );
}

/// "What did we do and how?": the purpose, the activities, the cycle in one paragraph.
fn push_what_we_did(o: &mut String, f: &Facts) {
    let _ = writeln!(o, "## What did we do and how?\n");
    match &f.purpose {
        Some(p) => {
            let _ = writeln!(o, "{}\n", p.trim());
        }
        None => to_write(o, "what the partnership set out to learn, and why now."),
    }
    if !f.activities.is_empty() {
        let _ = writeln!(o, "What we did:\n");
        for a in &f.activities {
            let _ = writeln!(o, "- {}", a.trim());
        }
        o.push('\n');
    }
    let _ = writeln!(
        o,
        "This was a {} ([{}](cycle:{})), closed on {}. It asked {} for {} on {}. {} agencies were asked to take part ({}). {}\n",
        f.method,
        f.cycle_title,
        f.cycle,
        f.closed.long(),
        questions(f.questions),
        f.levels,
        if f.themes.is_empty() {
            "every theme".to_string()
        } else {
            themes_list(&f.themes)
        },
        f.agencies_asked.len(),
        and_list(&f.agencies_asked),
        sentence(&f.rests_on),
    );
}

/// The findings by kind: good practice; what else (concerns, then the panel's conclusions);
/// what we can learn.
fn push_what_we_found(o: &mut String, f: &Facts) {
    let _ = writeln!(o, "## What good practice did we find?\n");
    push_findings(
        o,
        f,
        FindingKind::GoodPractice,
        "what went well (findings.toml has no good practice for this cycle).",
    );
    let _ = writeln!(o, "## What else did we find?\n");
    push_findings(
        o,
        f,
        FindingKind::Concern,
        "what worried us (findings.toml has no concern for this cycle).",
    );
    if !f.summaries.is_empty() {
        let _ = writeln!(o, "### What the moderation panel concluded\n");
        for (id, _, s) in &f.summaries {
            let _ = writeln!(o, "- {} ([about this question](question:{id}))", s.trim());
        }
        o.push('\n');
    }
    let _ = writeln!(o, "## What can we learn?\n");
    push_findings(
        o,
        f,
        FindingKind::Learning,
        "the learning (findings.toml has no learning for this cycle).",
    );
}

/// Each finding of `kind` with the questions it bears on; `none` to write when there is none.
fn push_findings(o: &mut String, f: &Facts, kind: FindingKind, none: &str) {
    let mut any = false;
    for (k, t, text, qs) in &f.findings {
        if *k != kind {
            continue;
        }
        any = true;
        let _ = writeln!(o, "### {}\n\n{}\n", t.trim(), text.trim());
        if !qs.is_empty() {
            let links: Vec<String> = qs.iter().map(|q| format!("[{q}](question:{q})")).collect();
            let _ = writeln!(o, "Questions: {}.\n", links.join(", "));
        }
    }
    if !any {
        to_write(o, none);
    }
}

/// "The results in figures": themes from least to most assurance, then the change since the
/// comparable cycle (or that this is a baseline).
fn push_results(o: &mut String, f: &Facts) {
    let _ = writeln!(o, "## The results in figures\n");
    if f.theme_results.is_empty() {
        to_write(o, "the results: no question of this cycle was rated.");
    } else {
        let _ = writeln!(
            o,
            "Each question was rated on a scale up to “{}”. Themes from least to most assurance (the level of the average rating of the theme's questions):\n",
            f.scale_top
        );
        for (title, mean, label, n) in &f.theme_results {
            let _ = writeln!(
                o,
                "- **{title}**: {}, over {}",
                if mean.is_some() {
                    lower_first(label)
                } else {
                    "no rating".to_string()
                },
                questions(*n)
            );
        }
        o.push('\n');
    }
    let Some(c) = &f.change else {
        let _ = writeln!(
            o,
            "There is no earlier cycle of the same kind to compare with, so this is a baseline.\n"
        );
        return;
    };
    let _ = writeln!(
        o,
        "Compared like for like with {}, over the {} both asked and rated: {} rose, {} fell and {} held steady.{}{}\n",
        c.with,
        questions(c.shared),
        c.questions_rose,
        c.questions_fell,
        c.steady,
        if c.rose.is_empty() {
            String::new()
        } else {
            format!(" On average, assurance rose in {}.", themes_list(&c.rose))
        },
        if c.fell.is_empty() {
            String::new()
        } else {
            format!(" On average, it fell in {}.", themes_list(&c.fell))
        },
    );
}

/// "What difference has it made?", when actions on these questions are complete: what
/// followed each.
fn push_difference_made(o: &mut String, f: &Facts) {
    if f.impact.is_empty() {
        return;
    }
    let _ = writeln!(o, "## What difference has it made?\n");
    let _ = writeln!(
        o,
        "What followed the actions we have completed on these questions, in the audits and the data since. This is what followed each one, not proof of what it caused:\n"
    );
    for (title, completed, verdict) in &f.impact {
        let month = completed.long();
        let month = month.split_once(' ').map_or(month.as_str(), |(_, m)| m);
        let _ = writeln!(o, "- **{}** (completed {month}): {verdict}.", title.trim());
    }
    o.push('\n');
}

/// "Recommendations": the open actions with their owners and dates.
fn push_recommendations(o: &mut String, f: &Facts) {
    let _ = writeln!(o, "## Recommendations: what the partnership will do\n");
    if f.actions.is_empty() {
        to_write(
            o,
            "the actions agreed (no open action in actions.toml addresses this cycle's questions).",
        );
        return;
    }
    for (t, owner, due) in &f.actions {
        let _ = writeln!(
            o,
            "- **{}**: led by {}, by {}",
            t.trim(),
            owner.trim(),
            due.long()
        );
    }
    o.push('\n');
}

/// "What can you do?": the prompts of the highest-risk questions.
fn push_what_you_can_do(o: &mut String, f: &Facts) {
    let _ = writeln!(o, "## What can you do?\n");
    if f.prompts.is_empty() {
        to_write(o, "what we ask of every practitioner.");
        return;
    }
    let _ = writeln!(
        o,
        "Where the risk is greatest, this is what good practice looks like:\n"
    );
    for (id, text, prompts) in &f.prompts {
        let _ = writeln!(
            o,
            "**{}** ([about this question](question:{id}))\n",
            text.trim()
        );
        for p in prompts {
            let _ = writeln!(o, "- {}", p.trim());
        }
        o.push('\n');
    }
}

/// Reflective questions for teams, written from the weakest questions.
fn push_reflective_questions(o: &mut String, f: &Facts) {
    let _ = writeln!(
        o,
        "## Reflective questions for supervision and team meetings\n"
    );
    if f.weakest.is_empty() {
        to_write(o, "two or three questions for teams to discuss.");
        return;
    }
    for (_, text) in &f.weakest {
        let _ = writeln!(o, "- {}", reflective(text));
    }
    let _ = writeln!(
        o,
        "- What will you do differently after reading this briefing, and how will you and your manager know it has made a difference for children?"
    );
    o.push('\n');
}

/// Clauses as one sentence: "9 of the 10 agencies asked sent their full return, and 48
/// practitioners answered the survey."
fn sentence(clauses: &[String]) -> String {
    let joined = and_list(clauses);
    let mut c = joined.chars();
    match c.next() {
        Some(first) => format!("{}{}.", first.to_uppercase(), c.as_str()),
        None => String::new(),
    }
}

/// Theme titles in a sentence: "fathers and male carers and safer sleep".
fn themes_list(titles: &[String]) -> String {
    let lowered: Vec<String> = titles.iter().map(|t| lower_first(t)).collect();
    and_list(&lowered)
}

/// "1 question", "12 questions".
fn questions(n: usize) -> String {
    if n == 1 {
        "1 question".to_string()
    } else {
        format!("{n} questions")
    }
}

/// A reflective question for a team, written from a weak question.
fn reflective(text: &str) -> String {
    let t = text.trim().trim_end_matches('?').trim();
    if let Some(rest) = t.strip_prefix("Do you ") {
        format!(
            "Think of a family you are working with now: how do you {rest}? What gets in the way, and who could help?"
        )
    } else {
        format!(
            "Our audit found least assurance here: “{}?” What does this look like in your team today, and what one thing would make it happen every time?",
            t
        )
    }
}

fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        // Keep acronyms and names: lower only a capital followed by a lowercase letter.
        Some(first) if first.is_uppercase() && c.clone().next().is_some_and(char::is_lowercase) => {
            first.to_lowercase().chain(c).collect()
        }
        _ => s.to_string(),
    }
}

/// The message a public build gives for each public briefing still marked as a draft: a
/// `PA0901` error on the briefing's file, rendered as every other problem is.
pub fn drafts_refused(audit: &Audit) -> Vec<String> {
    let mut diags = Diagnostics::new();
    for b in audit
        .briefings
        .iter()
        .filter(|b| b.draft && b.audience == Audience::Public)
    {
        diags.path_error(
            Code::DraftBriefing,
            b.loc.file.clone(),
            "a draft is never published; remove `draft = true` when it is approved",
        );
    }
    diags
        .iter()
        .map(|d| diags.render_one(d).trim_end().to_string())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_and_reflective_questions_read_as_sentences() {
        let v = |xs: &[&str]| xs.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(and_list(&v(&["a"])), "a");
        assert_eq!(and_list(&v(&["a", "b", "c"])), "a, b and c");
        assert_eq!(questions(1), "1 question");
        assert_eq!(questions(12), "12 questions");
        assert_eq!(lower_first("Multi-agency audit"), "multi-agency audit");
        assert_eq!(lower_first("NSCP audit"), "NSCP audit");
        let r = reflective("Do you see where the baby sleeps?");
        assert!(
            r.starts_with(
                "Think of a family you are working with now: how do you see where the baby sleeps?"
            ),
            "{r}"
        );
        let r = reflective("Is the protocol current?");
        assert!(
            r.contains("\u{201c}Is the protocol current?\u{201d}"),
            "{r}"
        );
    }
}
