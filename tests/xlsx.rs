//! `panelaudit forms` and `panelaudit import`, run as the real binary on a copy of the
//! fixture partnership in tests/fixtures/xlsx/testshire (its own framework, two cycles, one
//! hand-written return from the council).

use crate::common::{assert_ok, copy_tree, files, skip_unless_ci, stderr, stdout};

use calamine::{Data, Reader, Xlsx, open_workbook};
use panelaudit::xlsx::{
    ABOUT_FIELDS, ABOUT_LABEL_COL, ABOUT_SHEET, ABOUT_VALUE_COL, COLUMNS, Col, FIRST_QUESTION_ROW,
    Field, HEADER_ROW, INSTRUCTIONS_SHEET, RETURN_SHEET,
};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
use std::collections::BTreeMap;
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::Output;

const QUESTIONS: [&str; 5] = ["fa-s-01", "fa-p-01", "ss-s-01", "ss-p-01", "ss-p-02"];

/// A scratch copy of the fixture: `root/testshire` is the partnership; commands run in `root`.
struct Scratch {
    _tmp: tempfile::TempDir,
    root: PathBuf,
}

impl Scratch {
    fn new() -> Scratch {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().to_path_buf();
        let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/xlsx/testshire");
        copy_tree(&fixture, &root.join("testshire"));
        Scratch { _tmp: tmp, root }
    }

    fn run(&self, args: &[&str]) -> Output {
        std::process::Command::new(env!("CARGO_BIN_EXE_panelaudit"))
            .env("SOURCE_DATE_EPOCH", crate::common::TODAY_EPOCH)
            .current_dir(&self.root)
            .args(args)
            .output()
            .expect("the binary runs")
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    fn response(&self, cycle: &str, agency: &str) -> PathBuf {
        self.path(&format!("testshire/cycles/{cycle}/responses/{agency}.toml"))
    }

    /// Every file under the cycles folder, byte for byte.
    fn responses_snapshot(&self) -> BTreeMap<String, Vec<u8>> {
        files(&self.path("testshire/cycles"))
    }

    /// Makes the forms into `forms/` and returns the output.
    fn forms(&self) -> Output {
        let out = self.run(&["forms", "testshire", "--out", "forms"]);
        assert_ok(&out);
        out
    }
}

/// Exit 1, with every `words` in the error output.
fn assert_fails_with(o: &Output, words: &[&str]) {
    let err = stderr(o);
    assert_eq!(o.status.code(), Some(1), "expected exit 1\nstderr:\n{err}");
    for w in words {
        assert!(err.contains(w), "expected {w:?} in:\n{err}");
    }
    assert!(!err.contains("panicked"), "{err}");
}

/// A cell to write in a test workbook.
#[derive(Clone, Debug)]
enum V {
    S(&'static str),
    T(String),
    N(f64),
    D(u16, u8, u8),
    /// A formula and the value Excel would have saved with it.
    F(&'static str, &'static str),
}

/// A return workbook written cell by cell with rust_xlsxwriter, in the form's layout.
struct Book {
    about: Option<Vec<(String, V)>>,
    header: Vec<String>,
    rows: BTreeMap<u32, BTreeMap<u16, V>>,
    merges: Vec<(u32, u16, u32, u16)>,
}

impl Book {
    /// The form's layout for an agency and cycle, with no answers yet.
    fn new(agency: &str, cycle: &str) -> Book {
        let about = ABOUT_FIELDS
            .iter()
            .filter_map(|f| {
                let v = match f.field {
                    Field::AgencyId => V::T(agency.to_string()),
                    Field::CycleId => V::T(cycle.to_string()),
                    Field::FrameworkId => V::S("testshire-bank"),
                    Field::FormVersion => V::N(1.0),
                    Field::Agency => V::S("Some agency"),
                    _ => return None,
                };
                Some((f.label.to_string(), v))
            })
            .collect();
        let mut book = Book {
            about: Some(about),
            header: COLUMNS.iter().map(|c| c.header.to_string()).collect(),
            rows: BTreeMap::new(),
            merges: Vec::new(),
        };
        for (i, id) in QUESTIONS.iter().enumerate() {
            book.set(FIRST_QUESTION_ROW + i as u32, Col::Id, V::S(id));
        }
        book
    }

    fn set(&mut self, row: u32, col: Col, v: V) -> &mut Book {
        self.rows.entry(row).or_default().insert(col.index(), v);
        self
    }

    /// Answers question number `i` (0-based, in QUESTIONS order).
    fn answer(
        &mut self,
        i: usize,
        rating: V,
        confidence: &'static str,
        evidence: &str,
    ) -> &mut Book {
        let row = FIRST_QUESTION_ROW + i as u32;
        self.set(row, Col::Rating, rating)
            .set(row, Col::Confidence, V::S(confidence))
            .set(row, Col::Evidence, V::T(evidence.to_string()))
    }

    fn about(&mut self, label: &str, v: V) -> &mut Book {
        let about = self.about.get_or_insert_with(Vec::new);
        match about.iter_mut().find(|(l, _)| l == label) {
            Some(entry) => entry.1 = v,
            None => about.push((label.to_string(), v)),
        }
        self
    }

    fn save(&self, path: &Path) {
        let mut wb = Workbook::new();
        let date = Format::new().set_num_format("dd/mm/yyyy");
        if let Some(about) = &self.about {
            let ws = wb.add_worksheet();
            ws.set_name(ABOUT_SHEET).unwrap();
            for (i, (label, v)) in about.iter().enumerate() {
                let row = 2 + i as u32;
                ws.write_string(row, ABOUT_LABEL_COL, label).unwrap();
                write(ws, row, ABOUT_VALUE_COL, v, &date);
            }
        }
        let ws = wb.add_worksheet();
        ws.set_name(RETURN_SHEET).unwrap();
        for (c, h) in self.header.iter().enumerate() {
            ws.write_string(HEADER_ROW, c as u16, h).unwrap();
        }
        for (&row, cells) in &self.rows {
            for (&col, v) in cells {
                write(ws, row, col, v, &date);
            }
        }
        for &(r0, c0, r1, c1) in &self.merges {
            ws.merge_range(r0, c0, r1, c1, "", &Format::new()).unwrap();
            // merge_range writes the first cell blank; put the value back.
            if let Some(v) = self.rows.get(&r0).and_then(|r| r.get(&c0)) {
                write(ws, r0, c0, v, &date);
            }
        }
        wb.save(path).unwrap();
    }
}

fn write(ws: &mut rust_xlsxwriter::Worksheet, row: u32, col: u16, v: &V, date: &Format) {
    match v {
        V::S(s) => ws.write_string(row, col, *s).map(|_| ()),
        V::T(s) => ws.write_string(row, col, s).map(|_| ()),
        V::N(n) => ws.write_number(row, col, *n).map(|_| ()),
        V::D(y, m, d) => ws
            .write_datetime_with_format(
                row,
                col,
                ExcelDateTime::from_ymd(*y, *m, *d).unwrap(),
                date,
            )
            .map(|_| ()),
        V::F(formula, result) => ws
            .write_formula(
                row,
                col,
                rust_xlsxwriter::Formula::new(*formula).set_result(*result),
            )
            .map(|_| ()),
    }
    .unwrap();
}

fn read_toml(path: &Path) -> toml::Table {
    let text = std::fs::read_to_string(path).unwrap();
    toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}\n{text}", path.display()))
}

fn cell_string(d: Option<&Data>) -> String {
    match d {
        Some(Data::String(s)) => s.clone(),
        Some(Data::Float(f)) => f.to_string(),
        Some(Data::Int(i)) => i.to_string(),
        Some(Data::Empty) | None => String::new(),
        Some(other) => format!("{other:?}"),
    }
}

/// Text that tends to break hand-made escaping.
const TRICKY: &str = "He said \"no\", then \"\"\"twice\"\"\" and '''thrice'''.\r\nPath C:\\shared\\audit\\ ends with a backslash\\\r\nUnicode: café, 子供, 🙂, ‘curly’ — dash\ttab\nLast line ends with a quote\"";

#[test]
fn a_filled_form_round_trips_through_import_and_check() {
    let s = Scratch::new();
    let out = s.forms();
    assert!(
        stdout(&out).contains("forms/police.xlsx: written (5 question(s))"),
        "{}",
        stdout(&out)
    );

    // Find the cells as a person filling the form would: by the labels and headers.
    let mut form: Xlsx<_> = open_workbook(s.path("forms/police.xlsx")).unwrap();
    assert_eq!(
        form.sheet_names(),
        vec![INSTRUCTIONS_SHEET, ABOUT_SHEET, RETURN_SHEET]
    );
    let about = form.worksheet_range(ABOUT_SHEET).unwrap();
    let mut about_values = Vec::new();
    for row in about.rows() {
        if let (Some(Data::String(label)), value) = (row.first(), row.get(1)) {
            about_values.push((label.clone(), value.cloned()));
        }
    }
    let value_of = |label: &str| {
        about_values
            .iter()
            .find(|(l, _)| l == label)
            .map(|(_, v)| cell_string(v.as_ref()))
            .unwrap_or_default()
    };
    assert_eq!(value_of("Agency id"), "police");
    assert_eq!(value_of("Cycle id"), "2025-26");
    assert_eq!(value_of("Framework id"), "testshire-bank");
    assert_eq!(value_of("Completed by (role)"), "");

    let ret = form.worksheet_range(RETURN_SHEET).unwrap();
    let header: Vec<String> = (0..COLUMNS.len() as u32)
        .map(|c| cell_string(ret.get_value((HEADER_ROW, c))))
        .collect();
    assert_eq!(header[usize::from(Col::Rating.index())], "Rating");
    let ids: Vec<String> = (0..QUESTIONS.len() as u32)
        .map(|i| cell_string(ret.get_value((FIRST_QUESTION_ROW + i, 0))))
        .collect();
    assert_eq!(ids, QUESTIONS);
    assert_eq!(
        cell_string(ret.get_value((FIRST_QUESTION_ROW, u32::from(Col::Question.index())))),
        "How do leaders know that practitioners find out who the men in a baby's life are?"
    );

    // Fill in a copy: the form's own cells plus the agency's answers.
    let mut book = Book::new("police", "2025-26");
    for (label, v) in &about_values {
        if let Some(Data::String(t)) = v {
            book.about(label, V::T(t.clone()));
        }
    }
    book.about("Completed by (role)", V::S("Head of Public Protection"))
        .about("Submitted (date)", V::D(2025, 10, 14));
    book.answer(0, V::S("2 - Reasonable assurance"), "high", TRICKY)
        .set(
            FIRST_QUESTION_ROW,
            Col::Gaps,
            V::S("No audit of fathers *seen*."),
        )
        .set(FIRST_QUESTION_ROW, Col::Internal, V::S("Team B is behind."));
    book.answer(1, V::N(1.0), "Medium", "Two case examples.");
    book.answer(2, V::S("N/A"), "low", "We do not visit homes.");
    book.answer(3, V::S("3"), "low", "Single line.");
    // ss-p-02 left blank: unanswered.
    book.save(&s.path("police.xlsx"));

    let out = s.run(&["import", "testshire", "police.xlsx"]);
    assert_ok(&out);
    assert!(
        stdout(&out).contains("police.xlsx -> testshire/cycles/2025-26/responses/police.toml: written (4 answer(s), 1 unanswered)"),
        "{}",
        stdout(&out)
    );
    assert!(stderr(&out).contains("ss-p-02"), "{}", stderr(&out));
    assert_ok(&s.run(&["check", "testshire"]));

    let t = read_toml(&s.response("2025-26", "police"));
    assert_eq!(t["agency"].as_str(), Some("police"));
    assert_eq!(
        t["completed_by"].as_str(),
        Some("Head of Public Protection")
    );
    assert_eq!(t["submitted"].to_string(), "2025-10-14");
    let answers = t["answers"].as_table().unwrap();
    assert_eq!(
        answers.keys().collect::<Vec<_>>(),
        vec!["fa-p-01", "fa-s-01", "ss-p-01", "ss-s-01"]
    );
    let a = answers["fa-s-01"].as_table().unwrap();
    assert_eq!(a["rating"].as_integer(), Some(2));
    assert_eq!(a["confidence"].as_str(), Some("high"));
    assert_eq!(
        a["evidence"].as_str(),
        Some(TRICKY.replace("\r\n", "\n").as_str()),
        "evidence comes back exactly, with Windows line endings made plain"
    );
    assert_eq!(a["gaps"].as_str(), Some("No audit of fathers *seen*."));
    assert_eq!(a["internal"].as_str(), Some("Team B is behind."));
    let b = answers["fa-p-01"].as_table().unwrap();
    assert_eq!(
        (b["rating"].as_integer(), b["confidence"].as_str()),
        (Some(1), Some("medium"))
    );
    assert_eq!(answers["ss-s-01"]["rating"].as_str(), Some("n/a"));
    assert_eq!(answers["ss-p-01"]["rating"].as_integer(), Some(3));

    // For people: framework order, and multi-line text as a block.
    let text = std::fs::read_to_string(s.response("2025-26", "police")).unwrap();
    let order: Vec<usize> = [
        "[answers.fa-s-01]",
        "[answers.fa-p-01]",
        "[answers.ss-s-01]",
        "[answers.ss-p-01]",
    ]
    .iter()
    .map(|h| text.find(h).unwrap())
    .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{text}");
    assert!(text.contains("evidence = \"\"\"\nHe said \"no\""), "{text}");

    // Importing the same workbook again changes nothing.
    let before = s.responses_snapshot();
    let out = s.run(&["import", "testshire", "police.xlsx"]);
    assert_ok(&out);
    assert!(
        stdout(&out).contains("police.toml: unchanged"),
        "{}",
        stdout(&out)
    );
    assert_eq!(before, s.responses_snapshot());

    // A new form is pre-filled with the return, and importing it untouched is a no-op.
    let out = s.run(&["forms", "testshire", "--out", "forms2"]);
    assert_ok(&out);
    assert!(
        stdout(&out)
            .contains("forms2/police.xlsx: written (5 question(s), pre-filled from its return)"),
        "{}",
        stdout(&out)
    );
    let mut again: Xlsx<_> = open_workbook(s.path("forms2/police.xlsx")).unwrap();
    let ret = again.worksheet_range(RETURN_SHEET).unwrap();
    let cell = |row: u32, col: Col| cell_string(ret.get_value((row, u32::from(col.index()))));
    assert_eq!(
        cell(FIRST_QUESTION_ROW, Col::Rating),
        "2 - Reasonable assurance"
    );
    assert_eq!(
        cell(FIRST_QUESTION_ROW, Col::Evidence),
        TRICKY.replace("\r\n", "\n")
    );
    assert_eq!(cell(FIRST_QUESTION_ROW + 2, Col::Rating), "n/a");
    let out = s.run(&["import", "testshire", "forms2/police.xlsx"]);
    assert_ok(&out);
    assert!(stdout(&out).contains("unchanged"), "{}", stdout(&out));
    assert_eq!(before, s.responses_snapshot());
}

#[test]
fn forms_are_one_per_agency_deterministic_and_never_overwrite_answers() {
    let s = Scratch::new();
    let out = s.forms();
    let printed = stdout(&out);
    for agency in ["council", "police", "school-forum"] {
        assert!(
            printed.contains(&format!("forms/{agency}.xlsx: written")),
            "{printed}"
        );
    }
    assert!(
        printed.contains("forms/council.xlsx: written (5 question(s), pre-filled from its return)")
    );
    let first = std::fs::read(s.path("forms/police.xlsx")).unwrap();

    // Same input, same bytes: running it again is harmless.
    let out = s.forms();
    assert!(
        stdout(&out).contains("forms/police.xlsx: unchanged"),
        "{}",
        stdout(&out)
    );
    assert_eq!(first, std::fs::read(s.path("forms/police.xlsx")).unwrap());

    // A form an agency filled in and saved there is never overwritten.
    let mut book = Book::new("police", "2025-26");
    book.answer(0, V::S("1 - Limited assurance"), "low", "Filled in.");
    book.save(&s.path("forms/police.xlsx"));
    let filled = std::fs::read(s.path("forms/police.xlsx")).unwrap();
    let out = s.run(&["forms", "testshire", "--out", "forms"]);
    assert_fails_with(
        &out,
        &["forms/police.xlsx", "already there", "nothing was written"],
    );
    assert_eq!(filled, std::fs::read(s.path("forms/police.xlsx")).unwrap());
}

/// The parts of the xlsx package a person sees as protection, drop-downs and print layout.
fn part(path: &Path, name: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut s = String::new();
    zip.by_name(name).unwrap().read_to_string(&mut s).unwrap();
    s
}

#[test]
fn forms_lock_the_questions_offer_drop_downs_and_print_on_a4() {
    let s = Scratch::new();
    s.forms();
    let path = s.path("forms/police.xlsx");
    let ret = part(&path, "xl/worksheets/sheet3.xml");
    assert!(
        ret.contains("<sheetProtection"),
        "the Return sheet is protected"
    );
    assert!(
        ret.contains(r#"type="list""#)
            && ret.contains("0 - No assurance,1 - Limited assurance,2 - Reasonable assurance,3 - Substantial assurance,n/a")
            && ret.contains("low,medium,high"),
        "rating and confidence are drop-downs: {ret}"
    );
    assert!(ret.contains(r#"sqref="F2:F6""#) && ret.contains(r#"sqref="G2:G6""#));
    assert!(ret.contains(r#"ySplit="1""#), "the header row is frozen");
    assert!(ret.contains(r#"paperSize="9""#) && ret.contains(r#"orientation="landscape""#));
    assert!(
        ret.contains(r#"fitToPage="1""#) && ret.contains(r#"fitToHeight="0""#),
        "prints one page wide, as many pages long as it needs"
    );
    let wb = part(&path, "xl/workbook.xml");
    assert!(
        wb.contains("_xlnm.Print_Titles") && wb.contains("Return!$1:$1"),
        "header row repeats on print: {wb}"
    );
    // Answer cells are unlocked, question cells are not.
    let styles = part(&path, "xl/styles.xml");
    assert!(styles.contains(r#"<protection locked="0"/>"#), "{styles}");
    let about = part(&path, "xl/worksheets/sheet2.xml");
    assert!(about.contains("<sheetProtection") && about.contains(r#"type="date""#));
}

#[test]
fn typed_over_drop_downs_are_refused_cell_by_cell_and_nothing_is_written() {
    let s = Scratch::new();
    let before = s.responses_snapshot();
    let mut book = Book::new("police", "2025-26");
    book.answer(0, V::S("2 - Reasonable assurance"), "high", "Fine.");
    book.answer(1, V::S("3 - good"), "medium", "Typed over the list.");
    book.answer(2, V::S("2"), "high-ish", "Typed over the other list.");
    book.answer(3, V::N(7.0), "low", "Off the scale.");
    book.save(&s.path("police.xlsx"));
    let out = s.run(&["import", "testshire", "police.xlsx"]);
    assert_fails_with(
        &out,
        &[
            "police.xlsx: Return!F3: rating \"3 - good\" is not on the scale (0 No assurance, 1 Limited assurance, 2 Reasonable assurance, 3 Substantial assurance, or n/a)",
            "police.xlsx: Return!G4: confidence \"high-ish\" is not one of low, medium, high",
            "police.xlsx: Return!F5: rating 7 is not on the scale",
            "nothing was imported",
        ],
    );
    assert_eq!(before, s.responses_snapshot());
}

#[test]
fn formulas_are_refused_cell_by_cell_even_with_a_saved_value() {
    let s = Scratch::new();
    let before = s.responses_snapshot();
    let mut book = Book::new("police", "2025-26");
    book.answer(0, V::S("2"), "high", "Typed.");
    // A rating worked out by a formula, saved with its value (2, on the scale).
    book.answer(1, V::F("=1+1", "2"), "medium", "Typed.");
    book.answer(2, V::S("1"), "low", "Typed.");
    // Evidence pointing at another cell: its saved value is text that looks like an answer.
    book.answer(3, V::S("2"), "low", "").set(
        FIRST_QUESTION_ROW + 3,
        Col::Evidence,
        V::F("=A1", "Question id"),
    );
    book.about("Submitted (date)", V::F("=TODAY()", "46000"));
    book.save(&s.path("police.xlsx"));
    let out = s.run(&["import", "testshire", "police.xlsx"]);
    assert_fails_with(
        &out,
        &[
            "police.xlsx: About!B8: a formula; type the value itself",
            "police.xlsx: Return!F3: a formula; type the answer itself",
            "police.xlsx: Return!H5: a formula; type the answer itself",
            "the cell holds =A1",
            "Paste Special > Values",
            "nothing was imported",
        ],
    );
    let err = stderr(&out);
    assert!(
        !err.contains("Return!F2") && !err.contains("Return!H2"),
        "typed answers are fine: {err}"
    );
    assert_eq!(before, s.responses_snapshot());
}

#[test]
fn the_imported_file_names_the_agency_without_adding_a_possessive() {
    let s = Scratch::new();
    let mut book = Book::new("council", "2025-26");
    book.answer(0, V::S("3"), "high", "Much better now.");
    book.save(&s.path("council.xlsx"));
    assert_ok(&s.run(&["import", "testshire", "--force", "council.xlsx"]));
    let text = std::fs::read_to_string(s.response("2025-26", "council")).unwrap();
    assert_eq!(
        text.lines().next(),
        Some(
            "# Return from Testshire Council children's services for cycle 2025-26, imported from council.xlsx by `panelaudit import`."
        ),
        "{text}"
    );
    assert!(
        !text.contains("'s's") && !text.contains("services's"),
        "{text}"
    );
}

#[test]
fn forms_refuse_an_out_folder_inside_the_partnership() {
    let s = Scratch::new();
    let before = files(&s.path("testshire"));
    for out in [
        "testshire",
        "testshire/forms",
        "testshire/cycles/2025-26/forms",
        "forms/../testshire/./new/forms",
    ] {
        let o = s.run(&["forms", "testshire", "--out", out]);
        assert_fails_with(
            &o,
            &[
                &format!("error: --out {out}"),
                "partnership folder testshire",
                "choose a folder outside it",
                "--out testshire-forms",
            ],
        );
        assert!(stdout(&o).is_empty(), "{}", stdout(&o));
    }
    assert_eq!(before, files(&s.path("testshire")), "nothing was written");
    #[cfg(unix)]
    {
        // A link elsewhere that leads back into the partnership folder is inside it too.
        std::os::unix::fs::symlink(s.path("testshire/cycles"), s.path("link")).unwrap();
        let o = s.run(&["forms", "testshire", "--out", "link/forms"]);
        assert_fails_with(&o, &["is inside the partnership folder testshire"]);
        assert_eq!(before, files(&s.path("testshire")));
    }
    // Beside it is fine, and a name that merely starts the same is not inside.
    assert_ok(&s.run(&["forms", "testshire", "--out", "testshire-forms"]));
    assert!(s.path("testshire-forms/police.xlsx").is_file());
    assert_ok(&s.run(&["check", "testshire"]));
}

#[test]
fn blank_rows_in_the_middle_are_skipped_and_extra_columns_ignored_with_a_warning() {
    let s = Scratch::new();
    let mut book = Book::new("police", "2025-26");
    // Move the last two questions down, leaving blank rows between.
    book.rows.remove(&(FIRST_QUESTION_ROW + 3));
    book.rows.remove(&(FIRST_QUESTION_ROW + 4));
    book.set(10, Col::Id, V::S("ss-p-01"))
        .set(14, Col::Id, V::S("ss-p-02"));
    book.answer(0, V::S("0 - No assurance"), "low", "None yet.");
    book.set(10, Col::Rating, V::S("1"))
        .set(10, Col::Confidence, V::S("low"));
    book.header.push("Notes for the QA team".into());
    book.rows
        .entry(FIRST_QUESTION_ROW)
        .or_default()
        .insert(COLUMNS.len() as u16, V::S("ignore me"));
    book.save(&s.path("police.xlsx"));
    let out = s.run(&["import", "testshire", "police.xlsx"]);
    assert_ok(&out);
    assert!(
        stderr(&out).contains("warning[PA0702]: police.xlsx: Return!K1: column \"Notes for the QA team\" is not part of the return form; it is ignored"),
        "{}",
        stderr(&out)
    );
    let t = read_toml(&s.response("2025-26", "police"));
    let answers = t["answers"].as_table().unwrap();
    assert_eq!(
        answers.keys().collect::<Vec<_>>(),
        vec!["fa-s-01", "ss-p-01"]
    );
    assert_eq!(answers["ss-p-01"]["rating"].as_integer(), Some(1));
    assert_ok(&s.run(&["check", "testshire"]));
}

#[test]
fn merged_answer_cells_are_refused() {
    let s = Scratch::new();
    let before = s.responses_snapshot();
    let mut book = Book::new("police", "2025-26");
    book.answer(0, V::S("2"), "high", "One answer for two questions.");
    book.answer(1, V::S("2"), "high", "");
    book.merges.push((
        FIRST_QUESTION_ROW,
        Col::Evidence.index(),
        FIRST_QUESTION_ROW + 1,
        Col::Evidence.index(),
    ));
    book.save(&s.path("police.xlsx"));
    let out = s.run(&["import", "testshire", "police.xlsx"]);
    assert_fails_with(
        &out,
        &["police.xlsx: Return!H2:H3: merged cells", "unmerge"],
    );
    assert_eq!(before, s.responses_snapshot());
}

#[test]
fn a_workbook_without_an_about_sheet_is_refused() {
    let s = Scratch::new();
    let before = s.responses_snapshot();
    let mut book = Book::new("police", "2025-26");
    book.about = None;
    book.answer(0, V::S("2"), "high", "Evidence.");
    book.save(&s.path("police.xlsx"));
    let out = s.run(&["import", "testshire", "police.xlsx"]);
    assert_fails_with(
        &out,
        &[
            "police.xlsx: no About sheet",
            "which agency, cycle and framework",
            "sheets: Return",
        ],
    );
    assert_eq!(before, s.responses_snapshot());
}

/// A return an agency filled in and saved in LibreOffice's own format (.ods) imports like an
/// .xlsx: the fixture is a real LibreOffice file (made by `scripts/fill-in-libreoffice.py` from
/// the police's form), with its date typed as a date, an "n/a" and blank gaps.
#[test]
fn an_ods_return_saved_by_libreoffice_imports_like_an_xlsx() {
    let s = Scratch::new();
    let fixture =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/xlsx/police-libreoffice.ods");
    std::fs::copy(&fixture, s.path("police.ods")).unwrap();
    let out = s.run(&["import", "testshire", "police.ods"]);
    assert_ok(&out);
    assert!(
        stdout(&out).contains("police.ods -> testshire/cycles/2025-26/responses/police.toml: written (5 answer(s), 0 unanswered)"),
        "{}",
        stdout(&out)
    );
    let toml = std::fs::read_to_string(s.response("2025-26", "police")).unwrap();
    for want in [
        "completed_by = \"Head of Public Protection\"",
        "submitted = 2025-10-14",
        "[answers.fa-s-01]\nrating = 2\nconfidence = \"medium\"",
        "[answers.ss-s-01]\nrating = \"n/a\"",
        "gaps = \"Response officers on nights are hardest to reach.\"",
    ] {
        assert!(toml.contains(want), "{want}\n{toml}");
    }
    // Imported again, nothing changes; check counts it as returned.
    let again = s.run(&["import", "testshire", "police.ods"]);
    assert!(stdout(&again).contains("1 unchanged"), "{}", stdout(&again));
    let check = s.run(&["check", "testshire", "--cycle", "2025-26"]);
    assert!(
        stdout(&check).contains(
            "3 agencies asked: 1 returned, 1 partly answered (2 of 5), 0 empty, 1 not received"
        ),
        "{}",
        stdout(&check)
    );
}

/// A form pre-filled from last round and sent back untouched (no new submitted date, every
/// answer as it was) is imported with a warning, and counted as carried over unchanged, not
/// as returned: the agency is still chased until it sends its reviewed answers.
#[test]
fn an_untouched_pre_filled_form_is_carried_over_not_returned() {
    let s = Scratch::new();
    assert_ok(&s.run(&["init", "testshire", "--cycle", "2026-27"]));
    assert_ok(&s.run(&["forms", "testshire", "--cycle", "2026-27", "--out", "forms"]));
    let out = s.run(&["import", "testshire", "forms/council.xlsx"]);
    assert_ok(&out);
    assert!(
        stderr(&out).contains("warning[PA0408]: forms/council.xlsx: every answer is `council`'s 2025-26 answer, unchanged, and the form has no new submitted date"),
        "{}",
        stderr(&out)
    );
    assert!(s.response("2026-27", "council").is_file());
    let check = s.run(&["check", "testshire", "--cycle", "2026-27"]);
    assert_ok(&check);
    assert!(stderr(&check).contains("warning[PA0408]: testshire/cycles/2026-27/responses/council.toml:1:1: this return repeats `council`'s 2025-26 return word for word"), "{}", stderr(&check));
    let summary = stdout(&check);
    assert!(
        summary.contains("3 agencies asked: 0 returned, 0 partly answered, 0 empty, 1 carried over unchanged, 2 not received"),
        "{summary}"
    );
    assert!(
        summary.contains("council (carried over unchanged)"),
        "{summary}"
    );
    // Reviewed and dated, the same agency's return counts for what it is.
    let mut book = Book::new("council", "2026-27");
    book.answer(
        0,
        V::S("2"),
        "medium",
        "Audit of 30 cases in 2026: fathers named in 24.",
    );
    book.about("Submitted (date)", V::D(2026, 10, 2));
    book.save(&s.path("council-reviewed.xlsx"));
    let out = s.run(&["import", "testshire", "--force", "council-reviewed.xlsx"]);
    assert_ok(&out);
    assert!(!stderr(&out).contains("PA0408"), "{}", stderr(&out));
    let check = s.run(&["check", "testshire", "--cycle", "2026-27"]);
    assert!(
        !stdout(&check).contains("carried over"),
        "{}",
        stdout(&check)
    );
    assert!(
        stdout(&check).contains("1 partly answered (1 of 5)"),
        "{}",
        stdout(&check)
    );
}

/// A mistake on the About sheet never hides those on the Return sheet: both are named in the
/// same run, each by its cell.
#[test]
fn about_sheet_mistakes_do_not_hide_return_sheet_mistakes() {
    let s = Scratch::new();
    let before = s.responses_snapshot();
    let mut book = Book::new("polcie", "2025-26");
    book.answer(0, V::S("7"), "certain", "Evidence.");
    book.save(&s.path("police.xlsx"));
    let out = s.run(&["import", "testshire", "police.xlsx"]);
    assert_fails_with(
        &out,
        &[
            "police.xlsx: About!B3: agency `polcie`",
            "police.xlsx: Return!",
            "\"7\"",
            "certain",
        ],
    );
    assert_eq!(before, s.responses_snapshot());
    // A workbook with no About sheet at all still has its answers checked.
    let mut book = Book::new("police", "2025-26");
    book.about = None;
    book.answer(0, V::S("7"), "high", "Evidence.");
    book.save(&s.path("no-about.xlsx"));
    let out = s.run(&["import", "testshire", "no-about.xlsx"]);
    assert_fails_with(
        &out,
        &["no-about.xlsx: no About sheet", "no-about.xlsx: Return!"],
    );
}

#[test]
fn a_workbook_for_another_agency_cycle_or_framework_is_refused() {
    let s = Scratch::new();
    let before = s.responses_snapshot();
    let mut book = Book::new("fire-service", "2025-26");
    book.answer(0, V::S("2"), "high", "Evidence.");
    book.save(&s.path("fire.xlsx"));
    let mut book = Book::new("police", "2025-26");
    book.about("Framework id", V::S("panel-2023-24"));
    book.save(&s.path("other-bank.xlsx"));
    let book = Book::new("polcie", "2025-26");
    book.save(&s.path("typo.xlsx"));
    let out = s.run(&[
        "import",
        "testshire",
        "fire.xlsx",
        "other-bank.xlsx",
        "typo.xlsx",
    ]);
    assert_fails_with(
        &out,
        &[
            "fire.xlsx: About!B3: agency `fire-service` is not an agency of TSCP (its agencies: council, police, school-forum)",
            "other-bank.xlsx: About!B6: this return asks the questions of framework `panel-2023-24`, but cycle 2025-26 uses `testshire-bank`",
            "typo.xlsx: About!B3: agency `polcie`",
            "did you mean `police`?",
        ],
    );
    assert_eq!(before, s.responses_snapshot());

    // A return for the 2024-25 cycle is refused in another cycle...
    let mut old = Book::new("police", "2024-25");
    old.answer(0, V::S("1"), "low", "Evidence from last year.");
    old.save(&s.path("old-police.xlsx"));
    let out = s.run(&[
        "import",
        "testshire",
        "--cycle",
        "2025-26",
        "old-police.xlsx",
    ]);
    assert_fails_with(
        &out,
        &[
            "old-police.xlsx: About!",
            "this return is for cycle 2024-25, but it is being imported into cycle 2025-26",
            "--cycle 2024-25",
        ],
    );
    assert_eq!(before, s.responses_snapshot());
    // ...and without --cycle goes to the cycle its About sheet names.
    let out = s.run(&["import", "testshire", "old-police.xlsx"]);
    assert_ok(&out);
    assert!(s.response("2024-25", "police").is_file());
    assert!(!s.response("2025-26", "police").exists());
}

#[test]
fn files_that_are_not_workbooks_are_refused_by_name() {
    let s = Scratch::new();
    let before = s.responses_snapshot();
    std::fs::write(s.path("notes.xlsx"), "agency,rating\npolice,2\n").unwrap();
    std::fs::write(s.path("empty.xlsx"), "").unwrap();
    let mut huge = b"PK\x03\x04".to_vec();
    huge.resize(17 * 1024 * 1024, 0);
    std::fs::write(s.path("huge.xlsx"), huge).unwrap();
    std::fs::write(s.path("broken.xlsx"), b"PK\x03\x04 not really a zip").unwrap();
    let out = s.run(&[
        "import",
        "testshire",
        "notes.xlsx",
        "empty.xlsx",
        "huge.xlsx",
        "broken.xlsx",
        "missing.xlsx",
    ]);
    assert_fails_with(
        &out,
        &[
            "notes.xlsx: this is not a workbook: it looks like a text file",
            "empty.xlsx: the file is empty",
            "huge.xlsx: the file is 17825792 bytes",
            "broken.xlsx: this is not a readable Excel workbook",
            "missing.xlsx: cannot read the file",
        ],
    );
    assert_eq!(before, s.responses_snapshot());
}

#[test]
fn unknown_duplicate_and_missing_questions_are_reported() {
    let s = Scratch::new();
    let before = s.responses_snapshot();
    let mut book = Book::new("police", "2025-26");
    book.set(FIRST_QUESTION_ROW + 1, Col::Id, V::S("fa-s-99"));
    book.set(FIRST_QUESTION_ROW + 2, Col::Id, V::S("fa-s-01"));
    book.answer(1, V::S("1"), "low", "x");
    book.answer(2, V::S("1"), "low", "y");
    book.set(20, Col::Evidence, V::S("An answer with no question id."));
    book.save(&s.path("police.xlsx"));
    let out = s.run(&["import", "testshire", "police.xlsx"]);
    assert_fails_with(
        &out,
        &[
            "police.xlsx: Return!A3: framework `testshire-bank` has no question `fa-s-99`",
            "police.xlsx: Return!A4: question `fa-s-01` appears twice (first in row 2)",
            "police.xlsx: Return!A21: row 21 has answers but no question id",
            "fa-p-01, ss-s-01",
        ],
    );
    assert_eq!(before, s.responses_snapshot());
}

#[test]
fn import_is_all_or_nothing_and_one_return_per_agency() {
    let s = Scratch::new();
    let before = s.responses_snapshot();
    let mut good = Book::new("school-forum", "2025-26");
    good.answer(0, V::S("2"), "high", "Good.");
    good.save(&s.path("schools.xlsx"));
    let mut bad = Book::new("police", "2025-26");
    bad.answer(0, V::S("two"), "high", "Bad.");
    bad.save(&s.path("police.xlsx"));
    let out = s.run(&["import", "testshire", "schools.xlsx", "police.xlsx"]);
    assert_fails_with(
        &out,
        &[
            "police.xlsx: Return!F2: rating \"two\"",
            "nothing was imported",
        ],
    );
    assert_eq!(
        before,
        s.responses_snapshot(),
        "the good workbook was not written either"
    );

    good.save(&s.path("schools-copy.xlsx"));
    let out = s.run(&["import", "testshire", "schools.xlsx", "schools-copy.xlsx"]);
    assert_fails_with(
        &out,
        &[
            "schools-copy.xlsx: About!B3: a second workbook for `school-forum` (the first is schools.xlsx)",
        ],
    );
    assert_eq!(before, s.responses_snapshot());
}

#[test]
fn a_different_existing_return_is_replaced_only_with_force() {
    let s = Scratch::new();
    let before = s.responses_snapshot();
    let mut book = Book::new("council", "2025-26");
    book.answer(0, V::S("3"), "high", "Much better now.");
    book.save(&s.path("council.xlsx"));
    let out = s.run(&["import", "testshire", "council.xlsx"]);
    assert_fails_with(
        &out,
        &[
            "testshire/cycles/2025-26/responses/council.toml: already holds a different return for `council` than council.xlsx",
            "--force",
        ],
    );
    assert_eq!(before, s.responses_snapshot());

    // Before replacing anything, the user sees what the workbook would change.
    let err = stderr(&out);
    assert!(
        err.contains("the workbook would change: completed_by changed; submitted 2025-10-01 -> none; fa-s-01: rating 1 -> 3; confidence medium -> high; evidence, gaps changed; ss-s-01: rating n/a -> unanswered"),
        "{err}"
    );

    let out = s.run(&["import", "testshire", "--force", "council.xlsx"]);
    assert_ok(&out);
    let said = stdout(&out);
    assert!(
        said.contains("council.toml: replacing with council.xlsx:\n  completed_by changed\n  submitted 2025-10-01 -> none\n  fa-s-01: rating 1 -> 3; confidence medium -> high; evidence, gaps changed\n  ss-s-01: rating n/a -> unanswered\n"),
        "{said}"
    );
    // The changes come before the file is replaced.
    assert!(
        said.find("replacing with").unwrap() < said.find("council.toml: replaced").unwrap(),
        "{said}"
    );
    let t = read_toml(&s.response("2025-26", "council"));
    assert_eq!(t["answers"]["fa-s-01"]["rating"].as_integer(), Some(3));
    assert!(t.get("completed_by").is_none());
    let leftovers: Vec<_> = std::fs::read_dir(s.path("testshire/cycles/2025-26/responses"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn a_workbook_written_by_openpyxl_imports_correctly() {
    let have_openpyxl = std::process::Command::new("python3")
        .args(["-c", "import openpyxl"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !have_openpyxl {
        skip_unless_ci("python3 with openpyxl is not available (pip install openpyxl)");
        return;
    }
    let s = Scratch::new();
    // Written as another program would: the layout's labels and headers, its own column
    // order, an extra column, dates as a date cell, and text in a few shapes.
    let spec = serde_json::json!({"sheets": [
        {"name": "Cover", "rows": [["Police self-audit"]]},
        {"name": "About", "rows": [
            ["About this return"],
            [],
            ["Agency id", "police"],
            ["Cycle id", "2025-26"],
            ["Framework id", "testshire-bank"],
            ["Form version", 1],
            ["Completed by (role)", "Detective Superintendent, Safeguarding"],
            ["Submitted (date)", {"date": "2025-11-03"}]
        ]},
        {"name": "Return", "rows": [
            ["Question id", "Evidence", "Rating", "Confidence", "Gaps and plans", "Comments", "Internal note (never published)"],
            ["fa-s-01", "Line one\nLine \"two\" with C:\\path", "2 - Reasonable assurance", "High", null, "x", "Only for QA."],
            ["fa-p-01", "Numbers typed as numbers", 3, "medium", "Supervision audit due", null, null],
            [],
            ["ss-s-01", "Not our service", "n/a", null, null, null, null],
            ["ss-p-01", 42, "1", "low", null, null, null],
            ["ss-p-02", null, null, null, null, null, null]
        ]}
    ]});
    let spec_path = s.path("spec.json");
    std::fs::write(&spec_path, serde_json::to_string_pretty(&spec).unwrap()).unwrap();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/make_foreign_xlsx.py");
    let made = std::process::Command::new("python3")
        .arg(&script)
        .arg(s.path("police.xlsx"))
        .arg(&spec_path)
        .output()
        .unwrap();
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );

    let out = s.run(&["import", "testshire", "police.xlsx"]);
    assert_ok(&out);
    assert!(
        stderr(&out).contains("Return!F1: column \"Comments\" is not part of the return form"),
        "{}",
        stderr(&out)
    );
    let t = read_toml(&s.response("2025-26", "police"));
    assert_eq!(
        t["completed_by"].as_str(),
        Some("Detective Superintendent, Safeguarding")
    );
    assert_eq!(t["submitted"].to_string(), "2025-11-03");
    let a = t["answers"].as_table().unwrap();
    assert_eq!(a["fa-s-01"]["rating"].as_integer(), Some(2));
    assert_eq!(a["fa-s-01"]["confidence"].as_str(), Some("high"));
    assert_eq!(
        a["fa-s-01"]["evidence"].as_str(),
        Some("Line one\nLine \"two\" with C:\\path")
    );
    assert_eq!(a["fa-s-01"]["internal"].as_str(), Some("Only for QA."));
    assert_eq!(a["fa-p-01"]["rating"].as_integer(), Some(3));
    assert_eq!(a["fa-p-01"]["gaps"].as_str(), Some("Supervision audit due"));
    assert_eq!(a["ss-s-01"]["rating"].as_str(), Some("n/a"));
    assert_eq!(a["ss-p-01"]["evidence"].as_str(), Some("42"));
    assert!(a.get("ss-p-02").is_none(), "a blank rating is unanswered");
    assert_ok(&s.run(&["check", "testshire"]));
    let out = s.run(&["import", "testshire", "police.xlsx"]);
    assert!(stdout(&out).contains("unchanged"), "{}", stdout(&out));

    // openpyxl writes text beginning with "=" as a formula and saves no value with it, so the
    // cell reads as blank: it must be refused, not dropped as if nothing were there.
    let mut spec = spec;
    let rows = spec["sheets"][2]["rows"].as_array_mut().unwrap();
    rows[1][1] = serde_json::json!("=A1");
    rows[2][2] = serde_json::json!("=1+1");
    std::fs::write(&spec_path, serde_json::to_string_pretty(&spec).unwrap()).unwrap();
    let made = std::process::Command::new("python3")
        .arg(&script)
        .arg(s.path("formulas.xlsx"))
        .arg(&spec_path)
        .output()
        .unwrap();
    assert!(made.status.success());
    let before = s.responses_snapshot();
    let out = s.run(&["import", "testshire", "--force", "formulas.xlsx"]);
    assert_fails_with(
        &out,
        &[
            "formulas.xlsx: Return!B2: a formula; type the answer itself",
            "formulas.xlsx: Return!C3: a formula; type the answer itself",
            "the cell holds =1+1",
        ],
    );
    assert_eq!(before, s.responses_snapshot());
}

#[test]
fn forms_and_import_refuse_an_invalid_partnership_or_unknown_cycle() {
    let s = Scratch::new();
    let out = s.run(&["forms", "testshire", "--cycle", "2025-27", "--out", "forms"]);
    assert_fails_with(&out, &["no cycle `2025-27`", "2024-25, 2025-26"]);
    assert!(!s.path("forms").exists());
    std::fs::write(s.path("testshire/partnership.toml"), "name = \"x\"\n").unwrap();
    let out = s.run(&["forms", "testshire", "--out", "forms"]);
    assert_fails_with(
        &out,
        &["testshire/partnership.toml", "panelaudit check testshire"],
    );
    assert!(!s.path("forms").exists());
}

fn completed_by_label() -> &'static str {
    ABOUT_FIELDS
        .iter()
        .find(|f| f.field == Field::CompletedBy)
        .unwrap()
        .label
}

fn cell(row: u32, col: Col) -> String {
    format!("Return!{}", panelaudit::xlsx::cell_ref(row, col.index()))
}

#[test]
fn a_blank_workbook_is_not_imported_and_a_half_filled_one_counts_as_partly_answered() {
    let s = Scratch::new();
    // The police sent back the form untouched; the schools forum answered two of five.
    Book::new("police", "2025-26").save(&s.path("police.xlsx"));
    let mut half = Book::new("school-forum", "2025-26");
    half.answer(0, V::S("2"), "medium", "Attendance audit, March.")
        .answer(2, V::S("n/a"), "low", "");
    half.save(&s.path("school-forum.xlsx"));
    let out = s.run(&["import", "testshire", "police.xlsx", "school-forum.xlsx"]);
    assert_ok(&out);
    let (err, said) = (stderr(&out), stdout(&out));
    assert!(
        err.contains("warning[PA0406]: police.xlsx: no answers at all (no question has a rating): not imported, as `police` has not returned its form"),
        "{err}"
    );
    assert!(
        said.contains("1 written, 0 replaced, 0 unchanged, 1 skipped (no answers)"),
        "{said}"
    );
    assert!(!s.response("2025-26", "police").exists());
    assert!(s.response("2025-26", "school-forum").exists());

    // check: the police are still to chase, and the schools forum is partly answered.
    let out = s.run(&["check", "testshire"]);
    let said = stdout(&out);
    assert!(
        said.contains("3 agencies asked: 0 returned, 2 partly answered (2 of 5, 2 of 5), 0 empty, 1 not received"),
        "{said}"
    );
    assert!(
        said.contains("to chase for 2025-26: council (2 of 5 answered), police (not received), school-forum (2 of 5 answered); make their forms with `panelaudit forms testshire --cycle 2025-26 --out FOLDER`"),
        "{said}"
    );
    // The untouched form and the completed one in the same import: the completed one counts.
    let mut done = Book::new("police", "2025-26");
    done.answer(1, V::S("1"), "low", "Strategy meetings audited.");
    done.save(&s.path("police-completed.xlsx"));
    let out = s.run(&[
        "import",
        "testshire",
        "police.xlsx",
        "police-completed.xlsx",
    ]);
    assert_ok(&out);
    assert!(
        stdout(&out).contains(
            "police-completed.xlsx -> testshire/cycles/2025-26/responses/police.toml: written"
        ),
        "{}",
        stdout(&out)
    );
}

#[test]
fn text_cells_turned_into_dates_or_numbers_and_personal_data_are_warned_by_cell() {
    let s = Scratch::new();
    let mut book = Book::new("police", "2025-26");
    let r0 = FIRST_QUESTION_ROW;
    book.answer(0, V::S("2"), "medium", "placeholder")
        .set(r0, Col::Evidence, V::D(2026, 4, 1))
        .answer(1, V::S("1"), "low", "Strategy meetings audited.")
        .set(r0 + 1, Col::Gaps, V::N(12.0))
        .answer(
            2,
            V::S("1"),
            "low",
            "Child born 14/03/2019, NHS 943 476 5919.",
        )
        .about(completed_by_label(), V::S("Sarah Okafor"));
    book.save(&s.path("police.xlsx"));
    let out = s.run(&["import", "testshire", "police.xlsx"]);
    assert_ok(&out);
    let err = stderr(&out);
    for want in [
        format!(
            "warning[PA0706]: police.xlsx: {}: Evidence holds a date, not text: it is imported as text, but check it says what the agency wrote",
            cell(r0, Col::Evidence)
        ),
        format!(
            "warning[PA0706]: police.xlsx: {}: Gaps and plans holds a number, not text",
            cell(r0 + 1, Col::Gaps)
        ),
        format!(
            "warning[PA0602]: police.xlsx: {}: Evidence holds what looks like a date of birth",
            cell(r0 + 2, Col::Evidence)
        ),
        format!(
            "warning[PA0602]: police.xlsx: {}: Evidence holds what looks like an NHS number",
            cell(r0 + 2, Col::Evidence)
        ),
        "\"Completed by\" looks like a person's name".to_string(),
        "it should be a role".to_string(),
    ] {
        assert!(err.contains(&want), "{want}\n{err}");
    }
    for secret in ["943 476 5919", "14/03/2019", "Okafor"] {
        assert!(!err.contains(secret), "{secret} echoed:\n{err}");
    }
    // Imported as text, as the cell showed it.
    let t = read_toml(&s.response("2025-26", "police"));
    assert_eq!(
        t["answers"]["fa-s-01"]["evidence"].as_str(),
        Some("2026-04-01")
    );
    assert_eq!(t["answers"]["fa-p-01"]["gaps"].as_str(), Some("12"));
    // check says the same of the file written.
    let out = s.run(&["check", "testshire"]);
    let err = stderr(&out);
    assert!(
        err.contains("evidence of `ss-s-01` holds what looks like an NHS number"),
        "{err}"
    );
    assert!(
        err.contains("completed_by looks like a person's name"),
        "{err}"
    );
}

#[test]
fn import_takes_the_cycle_from_the_workbook_when_none_is_given() {
    let s = Scratch::new();
    let mut book = Book::new("police", "2024-25");
    book.answer(0, V::S("1"), "low", "Last year's return, sent late.");
    book.save(&s.path("police-2024.xlsx"));
    let out = s.run(&["import", "testshire", "police-2024.xlsx"]);
    assert_ok(&out);
    assert!(
        stdout(&out).contains("cycle 2024-25: 1 written"),
        "{}",
        stdout(&out)
    );
    assert!(s.response("2024-25", "police").exists());
    assert!(!s.response("2025-26", "police").exists());

    // Workbooks for two cycles at once: refused, each cycle named with its workbooks.
    let mut other = Book::new("school-forum", "2025-26");
    other.answer(0, V::S("1"), "low", "Some evidence.");
    other.save(&s.path("school.xlsx"));
    let before = s.responses_snapshot();
    let out = s.run(&["import", "testshire", "police-2024.xlsx", "school.xlsx"]);
    assert_fails_with(
        &out,
        &[
            "the workbooks are for different cycles (2024-25: police-2024.xlsx; 2025-26: school.xlsx)",
            "--cycle",
        ],
    );
    assert_eq!(before, s.responses_snapshot());
}

#[test]
fn import_refuses_a_workbook_whose_return_check_would_refuse_as_too_large_before_writing() {
    let s = Scratch::new();
    let mut book = Book::new("police", "2025-26");
    for i in 0..QUESTIONS.len() {
        let row = FIRST_QUESTION_ROW + i as u32;
        book.answer(i, V::S("2"), "medium", "SWELLMARKER")
            .set(row, Col::Gaps, V::S("SWELLMARKER"))
            .set(row, Col::Internal, V::S("SWELLMARKER"));
    }
    book.save(&s.path("police.xlsx"));
    // One shared string of 600 KB in 15 cells: a workbook of a few kilobytes that would
    // become a return of about 9 MB.
    crate::common::replace_shared_string(
        &s.path("police.xlsx"),
        "SWELLMARKER",
        &"words ".repeat(100_000),
    );
    assert!(std::fs::metadata(s.path("police.xlsx")).unwrap().len() < 100_000);
    let before = s.responses_snapshot();
    let out = s.run(&["import", "testshire", "police.xlsx"]);
    assert_fails_with(
        &out,
        &[
            "error[PA0101]: testshire/cycles/2025-26/responses/police.toml: the file is",
            "files over 8388608 bytes are refused",
            "nothing was imported: `check` would refuse what police.xlsx would become",
        ],
    );
    assert_eq!(s.responses_snapshot(), before, "nothing was written");
}

#[test]
fn import_refuses_control_characters_written_as_escapes_in_a_workbook() {
    let s = Scratch::new();
    let mut book = Book::new("police", "2025-26");
    // rust_xlsxwriter writes the escape character as `_x001B_`, as Excel does.
    book.answer(0, V::S("2"), "medium", "Audit done.\u{1b}[2J Cleared.")
        .answer(1, V::S("1"), "low", "Fine.");
    book.save(&s.path("police.xlsx"));
    book.about(completed_by_label(), V::S("Head of\u{7} Public Protection"));
    book.save(&s.path("police-about.xlsx"));
    let shared = part(&s.path("police.xlsx"), "xl/sharedStrings.xml");
    assert!(shared.contains("_x001B_"), "{shared}");
    let before = s.responses_snapshot();
    let out = s.run(&["import", "testshire", "police.xlsx"]);
    assert_fails_with(
        &out,
        &[&format!(
            "error[PA0106]: police.xlsx: {}: control character U+001B is not allowed in text (a spreadsheet file writes it `_x001B_`)",
            cell(FIRST_QUESTION_ROW, Col::Evidence)
        )],
    );
    assert!(!stderr(&out).contains('\u{1b}'), "never printed raw");
    let out = s.run(&["import", "testshire", "police-about.xlsx"]);
    assert_fails_with(&out, &["About!", "control character U+0007"]);
    assert_eq!(s.responses_snapshot(), before, "nothing was written");
}

#[test]
fn import_refuses_what_check_refuses_in_the_file_it_would_write() {
    let s = Scratch::new();
    let mut book = Book::new("police", "2025-26");
    // Lists nested past the limit: the workbook is fine, the return it becomes is not.
    let deep = format!("{}too deep", "- ".repeat(40));
    book.answer(0, V::S("2"), "medium", &deep)
        .answer(1, V::S("1"), "low", "Fine.");
    book.save(&s.path("police.xlsx"));
    let before = s.responses_snapshot();
    let out = s.run(&["import", "testshire", "police.xlsx"]);
    assert_fails_with(
        &out,
        &[
            "error[PA0307]: testshire/cycles/2025-26/responses/police.toml:",
            "opens 40 lists",
            "nothing was imported",
        ],
    );
    assert_eq!(s.responses_snapshot(), before, "nothing was written");
}
