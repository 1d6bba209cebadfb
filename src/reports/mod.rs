//! What is made from the analysis besides the site: the learning briefing drafts (`brief`),
//! the board paper (`paper`), the emails chasing late returns (`chase`), the facilitator's
//! pack (`pack`) and `rank`'s table for the terminal. Each reads the evidence ledger and the
//! site's views, as the pages do, so every surface tells the same story.

pub(crate) mod brief;
pub(crate) mod chase;
pub(crate) mod pack;
pub(crate) mod paper;
pub(crate) mod rank_table;
