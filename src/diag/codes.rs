//! The stable code of every kind of problem `check`, `import` and a public build report.
//!
//! A code never changes meaning once released: editors, CI scripts and the user guide refer to
//! them. New kinds get new numbers. The hundreds group them: 01 reading files, 02 ids and
//! references, 03 values, 04 completeness, 05 CSV, 06 publication, 07 workbooks, 09 briefings.

macro_rules! codes {
    ($($(#[$m:meta])* $name:ident = $id:literal, $summary:literal;)+) => {
        /// One kind of problem.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code { $($(#[$m])* $name),+ }

        impl Code {
            /// Every code, in number order (the user guide's table, docs/src/codes.md, follows it).
            pub const ALL: &'static [Code] = &[$(Code::$name),+];

            /// `PA0202`: what messages print and JSON carries.
            pub fn id(self) -> &'static str {
                match self { $(Code::$name => $id),+ }
            }

            /// One line on what the code means.
            pub fn summary(self) -> &'static str {
                match self { $(Code::$name => $summary),+ }
            }
        }
    };
}

codes! {
    Unreadable = "PA0101", "a file cannot be read: missing, a folder, a broken link, too large, or not UTF-8";
    TomlSyntax = "PA0102", "a TOML file does not parse";
    MissingField = "PA0103", "a required field is missing";
    UnknownField = "PA0104", "a field that the file format does not have (often a misspelling)";
    WrongType = "PA0105", "a value of the wrong type (text where a number belongs, say)";
    ControlCharacter = "PA0106", "a control character in text";
    IgnoredEntry = "PA0107", "a file or folder in a place where it is not read";
    MissingFile = "PA0108", "a file every partnership or cycle needs is missing";
    NoFrontMatter = "PA0109", "a briefing without TOML front matter";
    OutsideFolder = "PA0110", "a link that leads outside the partnership folder";
    TemplateOverride = "PA0111", "a template override (templates/) that does not compile or render";
    InvalidId = "PA0201", "an id or file name that is not lowercase letters, digits and single hyphens";
    DuplicateId = "PA0202", "the same id (or return, or value) given twice";
    UnknownReference = "PA0203", "a reference to a theme, question, agency, framework or metric that does not exist";
    UnknownWord = "PA0204", "a fixed word (method, sector, status...) that is not one of the accepted ones";
    EmptyText = "PA0205", "a text that must say something is empty";
    NameMismatch = "PA0206", "a file's name does not match what it holds";
    NotInScope = "PA0207", "an answer, return or moderation outside the cycle's scope (ignored)";
    CaseReference = "PA0208", "a case reference that is not a short code, or looks like a name, a date or a record number";
    BadContact = "PA0209", "an agency's `contact` that is not one email address";
    ReservedFolder = "PA0210", "a collection's partnership in a folder named like one of the collection's own pages (`compare`, `assets`...)";
    BadDate = "PA0301", "a date that is not a calendar date without a time";
    DateOrder = "PA0302", "dates in the wrong order (a cycle closing before it opens, cycles out of order)";
    OffScale = "PA0303", "a rating that is not on the framework's scale, or a scale that is malformed";
    OutOfRange = "PA0304", "a number outside what the field allows (weights, targets, implausible values)";
    BadPeriod = "PA0305", "a period that is not written like `2024-25` or `2025-q3`";
    BadStructure = "PA0306", "a file without the parts it needs (no themes, no agencies, no questions)";
    TooLarge = "PA0307", "an input far beyond any real partnership: too many items or files, or Markdown nested too deep";
    Unanswered = "PA0401", "questions in scope that an agency left unanswered";
    MissingReturn = "PA0402", "an agency in scope that sent no return";
    WeakAnswer = "PA0403", "an answer with no confidence or no evidence";
    UntrackedMetric = "PA0404", "a question names a metric the partnership does not track";
    NotCrossChecked = "PA0405", "files that could not be cross-checked because partnership.toml is broken";
    EmptyReturn = "PA0406", "a return that answers no question: it counts as empty, never as returned";
    StaleSummary = "PA0407", "a moderated public summary that a later deep dive contradicts: the panel has not weighed it";
    CarriedOver = "PA0408", "a return identical to the agency's previous one, with no new submitted date: carried over unchanged, not returned";
    CsvShape = "PA0501", "a CSV file's header or row cannot be read";
    SurveyColumn = "PA0502", "a survey item or `group_by` names a column its CSV export does not have (or has twice)";
    SurveyAnswer = "PA0503", "a survey answer that is not on its item's scale";
    PersonalData = "PA0601", "personal data that the public site would publish";
    PersonalDataInReturn = "PA0602", "personal data in a return or a case record, or a person's name where a role belongs: they are read across agencies";
    WorkbookShape = "PA0701", "a workbook without the sheet, row or column a return needs";
    WorkbookValue = "PA0702", "a workbook cell whose value cannot be imported";
    WorkbookFormula = "PA0703", "a workbook cell holding a formula instead of an answer";
    WorkbookMismatch = "PA0704", "a workbook made for another agency, cycle or framework";
    ReturnConflict = "PA0705", "a workbook that would overwrite a different return, or a second workbook for one agency";
    TextTurnedIntoValue = "PA0706", "a workbook text cell that the spreadsheet turned into a date or a number";
    DraftBriefing = "PA0901", "a briefing marked `draft = true`: shown as a draft inside the partnership, refused by a public build";
    BriefingLink = "PA0902", "a link in a briefing to a page the site does not have";
    BriefingBeforeEvidence = "PA0903", "a briefing dated before the close of a cycle it names or links: it cannot rest on that cycle's evidence";
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn codes_are_unique_well_formed_and_in_order() {
        let ids: Vec<&str> = Code::ALL.iter().map(|c| c.id()).collect();
        let unique: BTreeSet<&str> = ids.iter().copied().collect();
        assert_eq!(unique.len(), ids.len(), "{ids:?}");
        let mut sorted = ids.clone();
        sorted.sort();
        assert_eq!(sorted, ids);
        for id in ids {
            assert!(id.len() == 6 && id.starts_with("PA"), "{id}");
            assert!(id[2..].chars().all(|c| c.is_ascii_digit()), "{id}");
        }
    }

    /// The user guide's chapter on problem codes (docs/src/codes.md).
    const GUIDE: &str = include_str!("../../docs/src/codes.md");

    #[test]
    fn the_guide_lists_every_code_with_its_meaning() {
        for c in Code::ALL {
            let row = format!("| `{}` | {} |", c.id(), c.summary());
            assert!(
                GUIDE.contains(&row),
                "docs/src/codes.md lacks the row: {row}"
            );
        }
    }

    #[test]
    fn the_guide_lists_no_code_the_program_lacks() {
        let known: BTreeSet<&str> = Code::ALL.iter().map(|c| c.id()).collect();
        let listed: Vec<&str> = GUIDE
            .lines()
            .filter_map(|l| l.strip_prefix("| `PA"))
            .filter_map(|rest| rest.split_once('`'))
            .map(|(digits, _)| digits)
            .collect();
        assert_eq!(listed.len(), Code::ALL.len(), "rows in docs/src/codes.md");
        for digits in listed {
            let id = format!("PA{digits}");
            assert!(
                known.contains(id.as_str()),
                "docs/src/codes.md lists {id}, which the program does not have"
            );
        }
    }
}
