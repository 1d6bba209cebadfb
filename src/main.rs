use clap::Parser;
use std::process::ExitCode;

// A build renders thousands of pages from many small strings on every core; the system
// allocator spent about a fifth of a national build's time in malloc and free (issue 17).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    // Like other Unix tools, stop quietly when the reader of the output goes away
    // (`panelaudit rank DIR | head`): Rust ignores SIGPIPE, and printing would then panic.
    #[cfg(unix)]
    // SAFETY: called before any other thread exists; SIG_DFL is always a valid action.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    let cli = panelaudit::cli::Cli::parse();
    ExitCode::from(panelaudit::commands::run(cli))
}
