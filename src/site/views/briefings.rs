//! Learning briefings: a page each, public ones in every build and internal ones only in an
//! internal build.

use super::Publisher;
use crate::model::Briefing;
use crate::site::routes;
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
}

pub(super) fn public_briefing(b: &Briefing, p: &mut Publisher) -> Option<BriefingPage> {
    (b.audience == crate::model::Audience::Public).then(|| {
        let body_loc = Loc {
            file: b.loc.file.clone(),
            line: b.body_line,
            col: 1,
        };
        BriefingPage {
            slug: b.slug.clone(),
            href: routes::briefing_href(&b.slug),
            title: p.text(&b.loc, &b.title),
            date: b.date.long(),
            date_iso: b.date.to_string(),
            audience: "public",
            summary: p.text(&b.loc, &b.summary),
            body_html: p.markdown(&body_loc, &b.body, 2),
        }
    })
}
