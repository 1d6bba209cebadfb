//! Where a briefing's link to a page of the site points (`load::links` reads what the user
//! wrote; `routes` says where each page is).

use super::routes;
pub use crate::load::links::Target;

/// The page's path from the partnership's root.
pub fn href(t: Target<'_>) -> String {
    match t {
        Target::Question(id) => routes::question_href(id),
        Target::Theme(id) => routes::theme_href(id),
        Target::Cycle(id) => routes::cycle_href(id),
        Target::Briefing(slug) => routes::briefing_href(slug),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_target_points_at_its_page() {
        assert_eq!(href(Target::Question("q")), "questions/q/index.html");
        assert_eq!(href(Target::Briefing("a b")), "briefings/a%20b/index.html");
    }
}
