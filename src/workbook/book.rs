//! A workbook as read: its sheets' filled cells, formulas and merged regions, whatever format
//! it came in (.xlsx through `read`, .ods through `ods`), and what a cell's value says.

use calamine::{Data, Dimensions};
use std::collections::{BTreeMap, BTreeSet};

pub use crate::limits::MAX_CELLS;

/// One sheet's filled cells, by 0-based (row, column).
#[derive(Debug, Default)]
pub struct Sheet {
    pub name: String,
    pub cells: BTreeMap<(u32, u16), Data>,
    /// Merged regions, as (first row, first col) to (last row, last col).
    pub merged: Vec<Dimensions>,
    /// Cells holding a formula, with its text where the file gives it (a cell sharing another
    /// cell's formula has none). A formula cell is here even when its value is blank or was
    /// never calculated, as in files written by programs other than Excel.
    pub formulas: BTreeMap<(u32, u16), String>,
}

impl Sheet {
    pub fn get(&self, row: u32, col: u16) -> Option<&Data> {
        self.cells.get(&(row, col))
    }

    /// The filled cells of one row, left to right.
    pub fn row(&self, row: u32) -> impl Iterator<Item = (u16, &Data)> {
        self.cells
            .range((row, 0)..=(row, u16::MAX))
            .map(|(&(_, c), d)| (c, d))
    }

    /// Every row with a filled cell, top to bottom.
    pub fn rows(&self) -> Vec<u32> {
        let mut rows: Vec<u32> = self.cells.keys().map(|&(r, _)| r).collect();
        rows.dedup();
        rows
    }

    /// The formula in a cell, if it holds one ("" when the file does not spell it out).
    pub fn formula(&self, row: u32, col: u16) -> Option<&str> {
        self.formulas.get(&(row, col)).map(String::as_str)
    }

    /// Every row with a filled cell or a formula, top to bottom.
    pub fn rows_with_formulas(&self) -> Vec<u32> {
        let rows: BTreeSet<u32> = self
            .cells
            .keys()
            .chain(self.formulas.keys())
            .map(|&(r, _)| r)
            .collect();
        rows.into_iter().collect()
    }
}

/// A workbook's sheet names and the sheets that were asked for.
#[derive(Debug, Default)]
pub struct Book {
    /// Every sheet, in workbook order.
    pub sheet_names: Vec<String>,
    pub sheets: Vec<Sheet>,
}

impl Book {
    pub fn sheet(&self, name: &str) -> Option<&Sheet> {
        self.sheets.iter().find(|s| s.name == name)
    }
}

/// A cell's value as a short piece of text (an id, a role), if it is one.
pub fn cell_text(d: &Data) -> Option<String> {
    match d {
        Data::String(s) => super::clean_text(s),
        Data::Int(i) => Some(i.to_string()),
        Data::Float(f) if f.is_finite() && f.fract() == 0.0 && f.abs() < 1e15 => {
            Some(format!("{}", *f as i64))
        }
        Data::Float(f) => Some(f.to_string()),
        _ => None,
    }
}

/// Empty, or text that is only whitespace.
pub fn is_blank(d: &Data) -> bool {
    match d {
        Data::Empty => true,
        Data::String(s) => s.trim().is_empty(),
        _ => false,
    }
}

/// A cell's value as a person would see it, for messages: `"3 - good"`, `7`, `TRUE`.
pub fn describe(d: &Data) -> String {
    match d {
        Data::String(s) => format!("{:?}", s.trim()),
        Data::Float(f) => format!("{f}"),
        Data::Int(i) => format!("{i}"),
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        Data::DateTime(dt) => {
            let (y, m, d, ..) = dt.to_ymd_hms_milli();
            format!("the date {y:04}-{m:02}-{d:02}")
        }
        Data::DateTimeIso(s) | Data::DurationIso(s) => format!("the date {s}"),
        Data::Error(e) => format!("the error {e}"),
        Data::Empty => "a blank".to_string(),
    }
}
