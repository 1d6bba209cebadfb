use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = panelaudit::cli::Cli::parse();
    ExitCode::from(panelaudit::commands::run(cli))
}
