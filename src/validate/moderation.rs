//! cycles/<id>/moderation.toml: the moderation panel's ratings and public summaries.

use super::common::{date, question_of, text};
use super::scope::{Scope, rating};
use crate::diag::{Code, Diagnostics};
use crate::load::Parsed;
use crate::load::raw::ModerationFile;
use crate::model::{Framework, ModeratedQuestion, Moderation};
use std::collections::BTreeMap;

pub(super) fn moderation(
    m: &Parsed<ModerationFile>,
    fw: &Framework,
    scope: &Scope,
    diags: &mut Diagnostics,
) -> Moderation {
    let file = &m.file;
    let mut questions = BTreeMap::new();
    for (qid, entry) in &m.value.questions {
        let Some(q) = question_of(fw, file, qid, diags) else {
            continue;
        };
        if !scope.asks(q) {
            if scope.valid {
                diags.warning(
                    Code::NotInScope,
                    file,
                    qid.span(),
                    format!(
                        "question `{}` is outside this cycle's scope; its moderation is ignored",
                        q.id
                    ),
                );
            }
            continue;
        }
        let e = entry.get_ref();
        let rating = e.rating.as_ref().and_then(|r| rating(file, r, fw, diags));
        questions.insert(
            q.id.clone(),
            ModeratedQuestion {
                rating,
                note: text(&e.note),
                public_summary: text(&e.public_summary),
                considered: e
                    .considered
                    .iter()
                    .map(|c| (c.get_ref().clone(), file.loc(c.span().start)))
                    .collect(),
                loc: file.loc(qid.span().start),
            },
        );
    }
    Moderation {
        moderated_on: m
            .value
            .moderated_on
            .as_ref()
            .and_then(|d| date(file, d, diags)),
        questions,
    }
}
