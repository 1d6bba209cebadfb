//! What every file of a cycle is checked against: the cycle's scope, and a rating on the
//! cycle's scale (shared by returns, moderation and case records).

use super::common::{F, describe};
use crate::diag::{Code, Diagnostics};
use crate::load::raw::S;
use crate::model::{Framework, Level, Question, Rating};

pub(super) fn rating(
    file: &F,
    value: &S<toml::Value>,
    fw: &Framework,
    diags: &mut Diagnostics,
) -> Option<Rating> {
    let scale = || {
        format!(
            "use a value from the scale ({}) or \"n/a\"",
            fw.scale
                .iter()
                .map(|s| format!("{} {}", s.value, s.label))
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    match value.get_ref() {
        toml::Value::Integer(v) => {
            if let Some(r) = Rating::on_scale(*v as f64, fw) {
                Some(r)
            } else {
                diags
                    .error(
                        Code::OffScale,
                        file,
                        value.span(),
                        format!(
                            "rating {v} is not on the scale of `{}` ({} to {})",
                            fw.id,
                            fw.bottom(),
                            fw.top()
                        ),
                    )
                    .with_help(scale());
                None
            }
        }
        toml::Value::String(s) if Rating::is_not_applicable_text(s) => Some(Rating::NotApplicable),
        other => {
            diags
                .error(
                    Code::OffScale,
                    file,
                    value.span(),
                    format!(
                        "rating must be a whole number on the scale or \"n/a\", found {}",
                        describe(other)
                    ),
                )
                .with_help(scale());
            None
        }
    }
}

/// What a cycle asks: empty lists mean every theme, level or agency.
pub(super) struct Scope {
    pub(super) themes: Vec<String>,
    pub(super) levels: Vec<Level>,
    pub(super) agencies: Vec<String>,
    /// False when the scope itself has errors: then out-of-scope warnings would mislead.
    pub(super) valid: bool,
}

impl Scope {
    /// Whether the cycle asks this question.
    pub(super) fn asks(&self, q: &Question) -> bool {
        (self.themes.is_empty() || self.themes.contains(&q.theme))
            && (self.levels.is_empty() || self.levels.contains(&q.level))
    }

    /// Whether the agency takes part in the cycle.
    pub(super) fn includes(&self, agency: &str) -> bool {
        self.agencies.is_empty() || self.agencies.iter().any(|a| a == agency)
    }
}
