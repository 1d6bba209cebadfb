#!/usr/bin/env python3
"""Find runs of words that bundled texts share with the sources they were written from.

Our question banks, metric library and worked example must be in our own words: a run of
eight or more words in common with a source passage is copying, unless the words sit inside
quotation marks (a quotation, which then carries its citation). This script compares every
string of every bundled text with every passage under the sources folder and prints each
shared run, with the file, the TOML field and the source it matches. Exit status: 0 when
nothing is shared, 1 when a run is found, 2 on bad arguments.

What it compares
  bundled texts  every string value in a TOML file (field by field, so a run never spans two
                 fields), and the whole of a Markdown, CSV or text file, under the paths given
                 (by default the banks, the metric library, the worked example, README.md and the
                 user guide under docs/src).
  sources        every *.txt file under --sources; lines starting with "#" (the address and
                 publisher of each excerpt) are skipped.

What it ignores in the bundled texts
  - text inside quotation marks: "...", “...”, and ‘...’ or '...' opened at the start of a
    word (an apostrophe inside a word, as in children's, is not a quotation mark);
  - publication titles set in Markdown italics (*...*) of at most 16 words, and the
    [source] publication and url fields of a bank: a title names a source, it does not copy
    its prose;
  - web addresses.
Words are compared in lower case, with apostrophes dropped and every other punctuation mark
treated as a space, so a run is found whatever its capitals or punctuation.

Usage: python3 scripts/shared-runs.py [--min N] [--sources DIR] [PATH ...]
"""

import argparse
import pathlib
import re
import sys
import tomllib

DEFAULT_PATHS = [
    "audits/frameworks",
    "audits/metrics",
    "audits/example",
    "README.md",
    "docs/src",
]
DEFAULT_SOURCES = "tests/fixtures/sources"
TEXT_SUFFIXES = {".md", ".csv", ".txt"}
# Fields that cite a source by name or address rather than describe it.
CITATION_FIELDS = {("source", "publication"), ("source", "url")}
MAX_TITLE_WORDS = 16

URL = re.compile(r"https?://\S+|www\.\S+")
QUOTED = [
    re.compile(r'"[^"\n]*"'),
    re.compile(r"“[^”]*”"),
    re.compile(r"(?<![\w’'])‘[^’\n]*’(?!\w)"),
    re.compile(r"(?<![\w’'])'[^'\n]*'(?!\w)"),
]
ITALIC = re.compile(r"(?<![\w*])\*([^*\n]+)\*(?![\w*])")
# A break marker no word can match, so that a run never bridges a removed span.
BREAK = " \x00 "


def words(text):
    """Lower-case words, apostrophes dropped, every other mark a separator."""
    text = text.lower().replace("’", "").replace("'", "")
    return re.findall(r"[a-z0-9\x00]+", text)


def strip_ignored(text):
    """Replace quotations, short italic titles and addresses with break markers."""
    text = URL.sub(BREAK, text)
    for pattern in QUOTED:
        text = pattern.sub(BREAK, text)

    def title(match):
        return BREAK if len(words(match.group(1))) <= MAX_TITLE_WORDS else match.group(0)

    return ITALIC.sub(title, text)


def ngrams(tokens, n):
    return (tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1))


def load_sources(folder, n):
    """Every n-word run of every source passage, mapped to the files it occurs in."""
    index = {}
    files = sorted(pathlib.Path(folder).rglob("*.txt"))
    if not files:
        sys.exit(f"shared-runs: no source passages (*.txt) under {folder}")
    for path in files:
        lines = path.read_text(encoding="utf-8").splitlines()
        body = "\n".join(line for line in lines if not line.startswith("#"))
        tokens = [t for t in words(URL.sub(" ", body)) if t != "\x00"]
        for gram in ngrams(tokens, n):
            index.setdefault(gram, set()).add(path.name)
    return index


def toml_strings(value, path=()):
    """(field path, string) for every string in a parsed TOML value."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, inner in value.items():
            yield from toml_strings(inner, path + (str(key),))
    elif isinstance(value, list):
        for i, inner in enumerate(value):
            yield from toml_strings(inner, path + (str(i),))


def texts_of(path):
    """(field label, text) pairs of one bundled file."""
    if path.suffix == ".toml":
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
        for field, text in toml_strings(data):
            if tuple(field[-2:]) in CITATION_FIELDS:
                continue
            yield ".".join(field), text
    elif path.suffix in TEXT_SUFFIXES:
        yield "", path.read_text(encoding="utf-8-sig")


def shared_runs(text, index, n):
    """Maximal runs of at least n words of `text` found in the sources."""
    tokens = words(strip_ignored(text))
    runs, start, end, sources = [], None, None, set()
    for i, gram in enumerate(ngrams(tokens, n)):
        hit = "\x00" not in gram and gram in index
        if hit and start is not None and i < end:
            end, sources = i + n, sources | index[gram]
        elif hit:
            if start is not None:
                runs.append((tokens[start:end], sources))
            start, end, sources = i, i + n, set(index[gram])
    if start is not None:
        runs.append((tokens[start:end], sources))
    return runs


def bundled_files(paths):
    for given in paths:
        path = pathlib.Path(given)
        if path.is_dir():
            for inner in sorted(path.rglob("*")):
                if inner.is_file() and (inner.suffix == ".toml" or inner.suffix in TEXT_SUFFIXES):
                    yield inner
        elif path.is_file():
            yield path
        else:
            sys.exit(f"shared-runs: no such file or folder: {given}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--min", type=int, default=8, help="shortest run reported (words)")
    parser.add_argument("--sources", default=DEFAULT_SOURCES, help="folder of source passages")
    parser.add_argument("paths", nargs="*", default=DEFAULT_PATHS, help="bundled texts")
    args = parser.parse_args()
    if args.min < 2:
        parser.error("--min must be at least 2")
    index = load_sources(args.sources, args.min)
    found = checked = 0
    for path in bundled_files(args.paths):
        for field, text in texts_of(path):
            checked += 1
            for run, sources in shared_runs(text, index, args.min):
                found += 1
                where = f"{path}" + (f" [{field}]" if field else "")
                print(f"{where}: {len(run)} words shared with {', '.join(sorted(sources))}:")
                print(f"    {' '.join(run)}")
    print(f"shared-runs: {checked} text(s) checked against {args.sources}; "
          f"{found} run(s) of {args.min} or more words shared outside quotation marks")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
