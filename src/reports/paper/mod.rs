//! The board paper (`panelaudit paper`): the overview's first screen as an editable Word
//! document that a business manager drops into the meeting's pack.
//!
//! It is made from the same view the site renders (`site::views::build_views`, with the public
//! ledger for a public paper), never recomputed: every figure and word in it is one the site
//! shows that audience, so nothing the public site hides can reach a public paper, and a figure
//! reads the same in both. A public paper then passes the same publication scans as a public
//! build (every text the view took from the audit files, then the document's own XML), and the
//! disclosure audit of the view.
//!
//! Its content: a cover (partnership, cycle, figures as at, the as-of date, the edition); where
//! assurance is weakest (themes weakest first, with the like-for-like change) and the chart of
//! ratings by theme; what matters most (the top five with their actions); where practice fell
//! short of what agencies reported; overdue actions as of the date; what followed completed
//! actions; metrics off target or getting worse. Every page is marked internal or public in its
//! header and numbered in its footer.

pub mod docx;
pub mod raster;

use crate::analysis::Ledger;
use crate::error::Problems;
use crate::model::{Audience, Audit, Date};
use crate::site::views::{DisclosureError, PublicView, build_views};
use crate::workspace::WorkspaceError;
use docx::{Block, Document, Picture, Run, Table};
use std::path::PathBuf;

/// What a paper is asked for.
pub struct Request<'a> {
    pub audience: Audience,
    /// The cycle to report; default the audit's main cycle.
    pub cycle: Option<&'a str>,
    pub as_of: Date,
}

/// The document, ready to write, and the XML parts a public paper's last scan reads.
pub struct Paper {
    pub bytes: Vec<u8>,
    pub parts: Vec<(String, String)>,
    pub cycle: String,
}

/// Why no paper could be made.
#[derive(Debug, thiserror::Error)]
pub enum PaperError {
    #[error(transparent)]
    Workspace(#[from] WorkspaceError),
    /// A public paper refused for what the problems say (a draft briefing, say).
    #[error("{0}")]
    Refused(#[source] Problems),
    /// A public paper whose tables would let a hidden count be worked out.
    #[error(
        "{}: the public paper is refused: {source}",
        crate::source::display_path(.dir)
    )]
    Disclosure {
        dir: PathBuf,
        #[source]
        source: DisclosureError,
    },
    #[error("a chart cannot be drawn: {0}")]
    Chart(#[source] Box<dyn std::error::Error + Send + Sync>),
    #[error("a chart has no size")]
    ChartSize,
    #[error("a chart cannot be saved as PNG: {0}")]
    Png(#[source] Box<dyn std::error::Error + Send + Sync>),
    #[error("cannot write the document: {0}")]
    Document(#[source] zip::result::ZipError),
}

/// Builds the paper from the site's own view of `audit` for the audience.
pub fn paper(audit: &Audit, req: &Request<'_>) -> Result<Paper, PaperError> {
    let main = crate::workspace::pick_cycle(audit, req.cycle)
        .map_err(|e| e.of(&audit.dir))?
        .id
        .clone();
    if req.audience == Audience::Public {
        let drafts = crate::reports::brief::drafts_refused(audit);
        if !drafts.is_empty() {
            return Err(PaperError::Refused(Problems::new(drafts.join("\n"))));
        }
    }
    let ledger = match req.audience {
        Audience::Public => Ledger::public(audit, req.as_of),
        Audience::Internal => Ledger::build(audit, req.as_of),
    };
    let view = build_views(req.audience, audit, &ledger, Some(&main));
    let public = req.audience == Audience::Public;
    if public {
        view.public
            .audit()
            .map_err(|source| PaperError::Disclosure {
                dir: audit.dir.clone(),
                source,
            })?;
    }
    let doc = document(&view.public, public, req.as_of)?;
    Ok(Paper {
        bytes: docx::write(&doc)?,
        parts: docx::parts(&doc),
        cycle: main,
    })
}

/// The edition's marking, as every page's header carries it.
fn marking(v: &PublicView, public: bool) -> String {
    let who = &v.partnership.short_name;
    if public {
        format!("{who} board paper: public edition")
    } else {
        format!("{who} board paper: INTERNAL, not for publication")
    }
}

fn document(v: &PublicView, public: bool, as_of: Date) -> Result<Document, PaperError> {
    let mut blocks = cover(v, public, as_of);
    blocks.extend(weakest(v)?);
    blocks.extend(priorities(v, public));
    blocks.extend(practice(v));
    blocks.extend(late(v, as_of));
    blocks.extend(impact(v));
    blocks.extend(metrics(v));
    blocks.push(Block::Note(v.partnership.questions_by.clone()));
    Ok(Document {
        title: format!("{}: board paper", v.partnership.name),
        header: marking(v, public),
        footer: v.partnership.name.clone(),
        blocks,
    })
}

fn row(cells: &[&str]) -> Vec<Vec<Run>> {
    cells.iter().map(|c| vec![Run::plain(*c)]).collect()
}

fn cover(v: &PublicView, public: bool, as_of: Date) -> Vec<Block> {
    let p = &v.partnership;
    let mut details: Vec<Vec<Vec<Run>>> = vec![row(&["Partnership", &p.name])];
    if let Some(c) = &v.cycle {
        details.push(row(&[
            "Cycle",
            &format!("{} ({})", c.title, c.method.to_lowercase()),
        ]));
        details.push(row(&[
            "Returns open",
            &format!("{} to {}", c.opened, c.closed),
        ]));
    }
    if let Some(at) = &p.as_at {
        details.push(row(&["Figures as at", at]));
    }
    details.push(row(&["Overdue judged on", &as_of.long()]));
    if let Some(approved) = &p.approved {
        details.push(row(&["Approved by the partnership", approved]));
    }
    let edition = if public {
        "Public edition: aggregates only, the same as the partnership's public report"
    } else {
        "Internal: for the partnership board, not for publication"
    };
    details.push(row(&["Edition", edition]));
    vec![
        Block::Heading(1, format!("{}: board paper", p.name)),
        Block::Para(vec![Run::plain(
            v.cycle
                .as_ref()
                .map_or("No audit cycle yet".to_string(), |c| c.title.clone()),
        )]),
        Block::Table(Table {
            caption: "About this paper".into(),
            header: vec!["".into(), "".into()],
            rows: details,
            widths: vec![32, 68],
        }),
    ]
}

fn weakest(v: &PublicView) -> Result<Vec<Block>, PaperError> {
    let s = &v.overview.summary;
    let mut out = vec![Block::Heading(2, "Where assurance is weakest".into())];
    if s.weakest.is_empty() {
        out.push(Block::Para(vec![Run::plain(
            "No question has been rated yet.",
        )]));
        return Ok(out);
    }
    let compared = s.compared_with.as_ref();
    let mut header = vec!["Theme".to_string(), "Average rating".to_string()];
    if compared.is_some() {
        header.push("Change".into());
    }
    let rows = s
        .weakest
        .iter()
        .map(|w| {
            let mut r = row(&[&w.theme.text, &w.mean.text]);
            if compared.is_some() {
                r.push(vec![Run::plain(
                    w.change.as_ref().map_or("", |c| c.text.as_str()),
                )]);
            }
            r
        })
        .collect();
    let caption = match compared {
        Some(c) => format!(
            "Themes, weakest first, with the change since {c} over the questions both asked"
        ),
        None => "Themes, weakest first".to_string(),
    };
    let widths = if compared.is_some() {
        vec![52, 28, 20]
    } else {
        vec![65, 35]
    };
    out.push(Block::Table(Table {
        caption,
        header,
        rows,
        widths,
    }));
    if let Some(a) = &v.overview.assurance {
        out.push(Block::Para(vec![Run::bold(&a.chart.caption)]));
        out.push(chart(&a.chart)?);
    }
    Ok(out)
}

/// A chart of the site as a picture, its title and description as the text alternative.
fn chart(c: &crate::site::views::Chart) -> Result<Block, PaperError> {
    let (png, width, height) = raster::png(&c.svg)?;
    let alt = svg_text(&c.svg, "desc").unwrap_or_default();
    Ok(Block::Picture(Picture {
        png,
        width,
        height,
        title: c.caption.clone(),
        alt,
    }))
}

/// The text of the first `<tag>` of an SVG, unescaped.
fn svg_text(svg: &str, tag: &str) -> Option<String> {
    let open = svg.find(&format!("<{tag} "))?;
    let start = open + svg[open..].find('>')? + 1;
    let end = start + svg[start..].find(&format!("</{tag}>"))?;
    Some(
        svg[start..end]
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&#39;", "'")
            .replace("&amp;", "&"),
    )
}

fn priorities(v: &PublicView, public: bool) -> Vec<Block> {
    let s = &v.overview.summary;
    let mut out = vec![Block::Heading(2, "What matters most now".into())];
    if s.top.is_empty() {
        out.push(Block::Para(vec![Run::plain(
            "No question is ranked in this cycle.",
        )]));
        return out;
    }
    let rows = s
        .top
        .iter()
        .map(|t| {
            let concern = if public {
                t.concern.text.clone()
            } else {
                format!("{} (risk score {})", t.concern.text, t.score)
            };
            let actions: Vec<Run> = if t.actions.is_empty() {
                vec![Run::bold("No action addresses it")]
            } else {
                t.actions
                    .iter()
                    .enumerate()
                    .flat_map(|(i, a)| {
                        let mut r = Vec::new();
                        if i > 0 {
                            r.push(Run::plain("; "));
                        }
                        r.push(Run::plain(format!(
                            "{} ({}, due {}",
                            a.title, a.owner, a.due
                        )));
                        if a.overdue {
                            r.push(Run::plain(", "));
                            r.push(Run::bold("overdue"));
                        }
                        r.push(Run::plain(")"));
                        r
                    })
                    .collect()
            };
            vec![
                vec![Run::plain(t.rank.to_string())],
                vec![
                    Run::plain(&t.question.text),
                    Run::plain(format!(" ({})", t.theme.text)),
                ],
                vec![Run::plain(&t.rating.text)],
                vec![Run::plain(concern)],
                actions,
            ]
        })
        .collect();
    out.push(Block::Table(Table {
        caption: format!(
            "The {} highest priorities and the open actions on them",
            s.top.len()
        ),
        header: ["Rank", "Question", "Rating", "Concern", "Actions"]
            .map(String::from)
            .to_vec(),
        rows,
        widths: vec![7, 38, 14, 14, 27],
    }));
    out
}

fn practice(v: &PublicView) -> Vec<Block> {
    let s = &v.overview.summary;
    if s.practice_conflicts.is_empty() {
        return Vec::new();
    }
    let n = s.practice_conflicts.len();
    let items = s
        .practice_conflicts
        .iter()
        .map(|c| {
            vec![
                Run::bold(&c.question.text),
                Run::plain(format!(
                    ": reported {}; {} found {}; ranked {}",
                    c.reported.text.to_lowercase(),
                    c.by,
                    c.found.text.to_lowercase(),
                    c.rank
                )),
            ]
        })
        .collect();
    vec![
        Block::Heading(
            2,
            "Where practice fell short of what agencies reported".into(),
        ),
        Block::Para(vec![Run::plain(format!(
            "{} since found less assurance than the self-assessment on {n} {}. The lower finding counts until the moderation panel has weighed it.",
            if n == 1 {
                "A case audit or survey"
            } else {
                "Case audits or surveys"
            },
            if n == 1 { "question" } else { "questions" }
        ))]),
        Block::Bullets(items),
    ]
}

fn late(v: &PublicView, as_of: Date) -> Vec<Block> {
    let s = &v.overview.summary;
    let day = s.as_of.clone().unwrap_or_else(|| as_of.long());
    let mut out = vec![Block::Heading(2, format!("Overdue actions as of {day}"))];
    if s.late_actions.is_empty() {
        out.push(Block::Para(vec![Run::plain(format!(
            "No action is overdue as of {day}."
        ))]));
        return out;
    }
    let rows = s
        .late_actions
        .iter()
        .map(|l| {
            row(&[
                &l.action.title,
                &l.action.owner,
                &l.action.due,
                &l.action.status.text,
            ])
        })
        .collect();
    out.push(Block::Table(Table {
        caption: format!("{} open actions past their due date", s.late_actions.len()),
        header: ["Action", "Owner", "Due", "Status"]
            .map(String::from)
            .to_vec(),
        rows,
        widths: vec![44, 30, 14, 12],
    }));
    out
}

/// The impact line, worded as the overview words it.
pub fn impact_line(v: &PublicView) -> Option<String> {
    let im = v.overview.summary.impact.as_ref()?;
    Some(format!(
        "Of {} completed {}, {} {} followed by improvement{}",
        im.completed,
        if im.completed == 1 {
            "action"
        } else {
            "actions"
        },
        im.improved,
        if im.improved == 1 { "was" } else { "were" },
        if im.others.is_empty() {
            "."
        } else {
            "; not followed by improvement:"
        }
    ))
}

fn impact(v: &PublicView) -> Vec<Block> {
    let (Some(line), Some(im)) = (impact_line(v), v.overview.summary.impact.as_ref()) else {
        return Vec::new();
    };
    let mut out = vec![
        Block::Heading(2, "What followed completed actions".into()),
        Block::Para(vec![Run::plain(line)]),
    ];
    if !im.others.is_empty() {
        out.push(Block::Bullets(
            im.others
                .iter()
                .map(|(a, verdict)| {
                    vec![
                        Run::plain(&a.text),
                        Run::plain(format!(": {}", verdict.text.to_lowercase())),
                    ]
                })
                .collect(),
        ));
    }
    out.push(Block::Note(
        "“Followed by”, never “caused by”: other things changed too.".into(),
    ));
    out
}

fn metrics(v: &PublicView) -> Vec<Block> {
    let watch = &v.overview.summary.watch_metrics;
    let mut out = vec![Block::Heading(
        2,
        "Metrics off target or getting worse".into(),
    )];
    if watch.is_empty() {
        out.push(Block::Para(vec![Run::plain(
            "No metric is off target or getting worse.",
        )]));
        return out;
    }
    let rows = watch
        .iter()
        .map(|m| {
            row(&[
                &m.metric.text,
                &m.latest,
                m.trend.as_deref().unwrap_or(""),
                &m.status.text,
            ])
        })
        .collect();
    out.push(Block::Table(Table {
        caption: format!(
            "{} metrics worse than target or than the period before",
            watch.len()
        ),
        header: ["Metric", "Latest", "Trend", "Status"]
            .map(String::from)
            .to_vec(),
        rows,
        widths: vec![42, 18, 22, 18],
    }));
    out
}
