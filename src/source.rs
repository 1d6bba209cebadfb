//! Reading the files users write: size limit, UTF-8 check, BOM, and turning byte offsets
//! into the line and column a person sees in their editor.

use std::fmt;
use std::path::{Path, PathBuf};

pub use crate::limits::MAX_FILE_BYTES;

/// A text file as loaded, with the path shown to the user.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The path as printed in messages (relative to where the command was run when possible).
    pub display: String,
    pub text: String,
    line_starts: Vec<usize>,
}

impl SourceFile {
    pub fn new(display: impl Into<String>, text: String) -> SourceFile {
        let mut line_starts = vec![0];
        line_starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        SourceFile {
            display: display.into(),
            text,
            line_starts,
        }
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.line_starts.partition_point(|&s| s <= offset) - 1;
        let start = self.line_starts[line];
        let mut end = offset;
        while !self.text.is_char_boundary(end) {
            end -= 1;
        }
        let col = self.text[start..end].chars().count() + 1;
        (line + 1, col)
    }

    /// The text of a 1-based line, without its line ending.
    pub fn line_text(&self, line: usize) -> &str {
        let Some(&start) = self.line_starts.get(line.saturating_sub(1)) else {
            return "";
        };
        let end = self
            .line_starts
            .get(line)
            .copied()
            .unwrap_or(self.text.len());
        self.text[start..end].trim_end_matches(['\n', '\r'])
    }

    /// The byte offset where a 1-based line starts (the start of the text for line 0 or 1).
    pub fn line_start(&self, line: usize) -> usize {
        self.line_starts
            .get(line.saturating_sub(1))
            .copied()
            .unwrap_or(self.text.len())
    }

    pub fn loc(&self, offset: usize) -> Loc {
        let (line, col) = self.line_col(offset);
        Loc {
            file: self.display.clone(),
            line,
            col,
        }
    }
}

/// A place in a user's file, kept on model items whose text may be published so that the
/// publication scan can name where a problem came from.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Loc {
    pub file: String,
    pub line: usize,
    pub col: usize,
}

impl fmt::Display for Loc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.line, self.col)
    }
}

/// Why a file could not be read as text.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("cannot read the file: {0}")]
    Io(#[source] std::io::Error),
    #[error("the file is {0} bytes; files over {MAX_FILE_BYTES} bytes are refused")]
    TooLarge(u64),
    #[error("the file is not UTF-8 text (this is the first byte that is not); save it as UTF-8")]
    NotUtf8 { line: usize, col: usize },
}

/// Reads a file as UTF-8 text, accepting and dropping a byte-order mark.
pub fn read_text(path: &Path) -> Result<String, ReadError> {
    let size = std::fs::metadata(path).map_err(ReadError::Io)?.len();
    if size > MAX_FILE_BYTES {
        return Err(ReadError::TooLarge(size));
    }
    let bytes = std::fs::read(path).map_err(ReadError::Io)?;
    decode_text(bytes)
}

/// Decodes bytes as UTF-8 text, dropping a leading byte-order mark.
pub fn decode_text(mut bytes: Vec<u8>) -> Result<String, ReadError> {
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        bytes.drain(..3);
    }
    String::from_utf8(bytes).map_err(|e| {
        let good = e.utf8_error().valid_up_to();
        let prefix = String::from_utf8_lossy(&e.as_bytes()[..good]).into_owned();
        let file = SourceFile::new("", prefix);
        let (line, col) = file.line_col(good);
        ReadError::NotUtf8 { line, col }
    })
}

/// Whether `path`, with every symbolic link on the way resolved, leads outside `root` (a
/// canonical folder). A path that cannot be resolved (nothing there, a link to nowhere) does
/// not: there is nothing outside to read, and reading it reports why.
pub fn leads_outside(root: &Path, path: &Path) -> bool {
    match path.canonicalize() {
        Ok(real) => !real.starts_with(root),
        Err(_) => false,
    }
}

/// The canonical form of a folder, or the folder as given when it cannot be resolved.
pub fn canonical_root(dir: &Path) -> PathBuf {
    dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf())
}

/// The path as the user should see it: relative to the working directory when it lies
/// below it, otherwise as given.
pub fn display_path(path: &Path) -> String {
    let shown: PathBuf = match std::env::current_dir() {
        Ok(cwd) if path.is_absolute() => path
            .strip_prefix(&cwd)
            .map(Path::to_path_buf)
            .unwrap_or_else(|_| path.to_path_buf()),
        _ => path.to_path_buf(),
    };
    let s = shown.to_string_lossy().replace('\\', "/");
    s.strip_prefix("./").map(str::to_string).unwrap_or(s)
}

/// Paths as messages show them ([`display_path`]), separated by commas.
pub fn display_paths(paths: &[PathBuf]) -> String {
    let shown: Vec<String> = paths.iter().map(|p| display_path(p)).collect();
    shown.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_count_characters_not_bytes() {
        let f = SourceFile::new("a.toml", "a = 1\ntitle = \"café\" x\n".to_string());
        assert_eq!(f.line_col(0), (1, 1));
        assert_eq!(f.line_col(6), (2, 1));
        let x = f.text.find(" x").unwrap() + 1;
        assert_eq!(f.line_col(x), (2, 16));
        assert_eq!(f.line_text(2), "title = \"café\" x");
    }

    #[test]
    fn crlf_lines_show_without_carriage_return() {
        let f = SourceFile::new("a.toml", "a = 1\r\nb = 2\r\n".to_string());
        assert_eq!(f.line_text(1), "a = 1");
        assert_eq!(f.line_col(7), (2, 1));
    }

    #[test]
    fn bom_is_dropped_and_bad_bytes_are_located() {
        assert_eq!(decode_text(b"\xEF\xBB\xBFa = 1".to_vec()).unwrap(), "a = 1");
        match decode_text(b"a = 1\nb = \"\xFF\"".to_vec()) {
            Err(ReadError::NotUtf8 { line, col }) => assert_eq!((line, col), (2, 6)),
            other => panic!("expected a UTF-8 error, got {other:?}"),
        }
    }
}
