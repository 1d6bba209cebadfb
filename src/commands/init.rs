//! `panelaudit init`: a new partnership folder, or (with `--cycle`) a new cycle in one. The
//! scaffolding itself is `crate::scaffold`; this file parses nothing and prints the next steps.

use super::{EXIT_INVALID, EXIT_OK};
use crate::model::{Date, Method};
use crate::scaffold::{scaffold, write_cycle};
use crate::source::display_path;
use std::path::Path;

pub fn run(dir: &Path, name: &str, framework: &str) -> u8 {
    let today = Date::today();
    match scaffold(dir, name, framework, today) {
        Ok(created) => {
            let shown = display_path(dir);
            println!("Started {} in {shown}:", name.trim());
            for p in &created {
                println!("  created {}", display_path(p));
            }
            println!("Next:");
            println!("  1. Add your agencies to {shown}/partnership.toml.");
            println!("  2. Check the folder:                  panelaudit check {shown}");
            println!(
                "  3. Make each agency's return form:    panelaudit forms {shown} --out forms"
            );
            println!(
                "  4. Bring the completed returns back:  panelaudit import {shown} RETURNS.xlsx"
            );
            EXIT_OK
        }
        Err(e) => {
            eprintln!("error: {e}");
            EXIT_INVALID
        }
    }
}

/// `panelaudit init DIR --cycle ID --method M`: a new cycle in an existing partnership folder,
/// taking part every agency of the partnership and the bank of the last cycle of the same
/// method (or `--framework`). A self-assessment's forms then start from each agency's answers
/// in the last self-assessment (see `forms`).
pub fn new_cycle(dir: &Path, id: &str, method: Method, framework: Option<&str>) -> u8 {
    match write_cycle(dir, id, method, framework, Date::today()) {
        Ok((path, previous)) => {
            let shown = display_path(dir);
            println!("Started cycle {id} ({}) in {shown}:", method.words());
            println!("  created {}", display_path(&path));
            println!("Next:");
            println!("  1. Fill in its title, purpose, activities and scope in that file.");
            println!("  2. Check the folder:   panelaudit check {shown}");
            match previous {
                Some(p) if method == Method::SelfAssessment => println!(
                    "  3. Make the forms:     panelaudit forms {shown} --cycle {id} --out forms\n     (each starts from the agency's answers in {p}, to be reviewed and updated)"
                ),
                _ => println!(
                    "  3. Make the forms:     panelaudit forms {shown} --cycle {id} --out forms"
                ),
            }
            EXIT_OK
        }
        Err(e) => {
            eprintln!("error: {e}");
            EXIT_INVALID
        }
    }
}
