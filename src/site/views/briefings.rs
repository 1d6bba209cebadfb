//! Learning briefings: a page each, public ones in every build and internal ones only in an
//! internal build. A briefing's links to the site's pages (`question:ID`, see `site::links`)
//! are resolved here, and the themes it covers are worked out once for the theme pages: those
//! its cycle asked about, and those of the questions and themes it links to.

use super::{Ctx, Publisher};
use crate::load::links::{self, Target};
use crate::model::{Audience, Briefing};
use crate::site::links::href;
use crate::site::{markdown, routes};
use crate::source::Loc;
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct BriefingPage {
    pub slug: String,
    /// `briefings/<slug>/index.html`, with the slug percent-encoded for use in a link.
    pub href: String,
    pub title: String,
    pub date: String,
    pub date_iso: String,
    pub audience: &'static str,
    pub summary: String,
    pub body_html: String,
    /// Marked `draft = true`: only an internal build shows it, marked as a draft.
    pub draft: bool,
    /// Ids of the themes it covers (that have a page), for the theme pages' lists.
    pub themes: Vec<String>,
}

pub(super) fn public_briefing(
    ctx: &Ctx<'_>,
    b: &Briefing,
    p: &mut Publisher,
) -> Option<BriefingPage> {
    (b.audience == Audience::Public).then(|| briefing_page(ctx, b, p, false))
}

/// A briefing's page. `internal`: the site also has the internal briefings' pages.
pub(super) fn briefing_page(
    ctx: &Ctx<'_>,
    b: &Briefing,
    p: &mut Publisher,
    internal: bool,
) -> BriefingPage {
    let body_loc = Loc {
        file: b.loc.file.clone(),
        line: b.body_line,
        col: 1,
    };
    p.text(&body_loc, &b.body);
    let resolve = |dest: &str| {
        links::parse(dest)
            .filter(|t| has_page(ctx, *t, internal))
            .map(|t| format!("../../{}", href(t)))
    };
    BriefingPage {
        slug: b.slug.clone(),
        href: routes::briefing_href(&b.slug),
        title: p.text(&b.loc, &b.title),
        date: b.date.long(),
        date_iso: b.date.to_string(),
        audience: b.audience.as_str(),
        summary: p.text(&b.loc, &b.summary),
        body_html: if ctx.public {
            markdown::to_html_linked(&question_words(ctx, &b.body), 2, &resolve)
        } else {
            markdown::to_html_linked(&b.body, 2, &resolve)
        },
        draft: b.draft,
        themes: covered_themes(ctx, b),
    }
}

/// A briefing's Markdown with each link whose words are a question's id (`[cmh-s-01]
/// (question:cmh-s-01)`, as `brief` drafts them) worded as the question itself: the public
/// edition names questions in words, never by id.
fn question_words(ctx: &Ctx<'_>, body: &str) -> String {
    static LINK: std::sync::LazyLock<Option<regex::Regex>> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"\[([a-z0-9-]+)\]\(question:([a-z0-9-]+)\)").ok()
    });
    let Some(link) = LINK.as_ref() else {
        return body.to_string();
    };
    link.replace_all(body, |c: &regex::Captures<'_>| {
        match ctx.pages.get(&c[2]).filter(|_| c[1] == c[2]) {
            Some(q) => format!("[{}](question:{})", escape_markdown(&q.text), &c[2]),
            None => c[0].to_string(),
        }
    })
    .into_owned()
}

/// Text that Markdown shows as written.
fn escape_markdown(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for ch in s.chars() {
        if matches!(
            ch,
            '\\' | '[' | ']' | '*' | '_' | '`' | '<' | '>' | '(' | ')' | '!' | '#'
        ) {
            out.push('\\');
        }
        out.push(ch);
    }
    out
}

/// Whether the site being built has the page a link names.
fn has_page(ctx: &Ctx<'_>, t: Target<'_>, internal: bool) -> bool {
    match t {
        Target::Question(id) => ctx.pages.contains_key(id),
        Target::Theme(id) => theme_has_page(ctx, id),
        Target::Cycle(id) => ctx.audit.cycle(id).is_some(),
        Target::Briefing(slug) => ctx
            .audit
            .briefings
            .iter()
            .any(|b| b.slug == slug && (internal || b.audience == Audience::Public)),
    }
}

fn theme_has_page(ctx: &Ctx<'_>, id: &str) -> bool {
    ctx.latest
        .is_some_and(|(_, a, _)| a.ranking.themes.iter().any(|t| t.theme == id))
}

/// The themes a briefing covers that have a page: every theme its cycle asked about, and the
/// themes of the questions and themes it links to; in the order of the theme pages.
fn covered_themes(ctx: &Ctx<'_>, b: &Briefing) -> Vec<String> {
    let mut ids: Vec<String> = Vec::new();
    if let Some(c) = b.cycle.as_deref().and_then(|id| ctx.audit.cycle(id))
        && let Some(fw) = ctx.audit.frameworks.get(&c.framework)
    {
        ids.extend(c.questions(fw).map(|q| q.theme.clone()));
    }
    for t in links::targets(&b.body) {
        match t {
            Target::Theme(id) => ids.push(id.to_string()),
            Target::Question(id) => {
                if let Some(q) = ctx.pages.get(id) {
                    ids.push(q.theme.clone());
                }
            }
            _ => {}
        }
    }
    let Some((_, a, _)) = ctx.latest else {
        return Vec::new();
    };
    a.ranking
        .themes
        .iter()
        .map(|t| t.theme.clone())
        .filter(|t| ids.contains(t))
        .collect()
}
