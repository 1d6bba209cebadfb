#!/usr/bin/env python3
"""List the production Rust functions under src/, longest first, and fail on any too long.

A function's length is its lines from the `fn` keyword's line to the closing brace, inclusive
(doc comments and attributes above it are not counted). Test code is left out: modules and
items marked `#[cfg(test)]` (inline, or as a `mod name;` whose file is then skipped) and files
named `*_tests.rs`. A function nested inside another counts towards the outer one as well.

Usage: python3 scripts/long-functions.py [--top N] [--limit LINES] [--all]
Prints the N longest (default 20; --all prints every function) as `LINES  PATH:LINE  NAME`,
then a summary; exits 1 when any function is LIMIT lines or more (default 100).
Standard library only, so CI needs nothing installed.
"""

import argparse
import os
import re
import sys

SRC = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src")
IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def tokens(text):
    """Yield (kind, value, line) for the tokens that matter here: identifiers, `#`, `[`, `]`,
    `{`, `}`, `(`, `)`, `;`, `!` and string literals. Comments and other punctuation are skipped,
    so a brace inside a string or comment never counts."""
    i, line, n = 0, 1, len(text)
    while i < n:
        c = text[i]
        if c == "\n":
            line += 1
            i += 1
        elif c.isspace():
            i += 1
        elif text.startswith("//", i):
            end = text.find("\n", i)
            i = n if end < 0 else end
        elif text.startswith("/*", i):
            depth, i = 1, i + 2
            while i < n and depth:
                if text.startswith("/*", i):
                    depth, i = depth + 1, i + 2
                elif text.startswith("*/", i):
                    depth, i = depth - 1, i + 2
                else:
                    line += text[i] == "\n"
                    i += 1
        elif raw := re.match(r'(?:br|r|cr)(#*)"', text[i:]):
            close = '"' + raw.group(1)
            end = text.find(close, i + raw.end())
            end = n if end < 0 else end + len(close)
            line += text.count("\n", i, end)
            yield ("str", "", line)
            i = end
        elif c == '"' or (c in "bc" and text.startswith('"', i + 1)):
            i += 1 if c == '"' else 2
            while i < n and text[i] != '"':
                if text[i] == "\\":
                    i += 1
                line += text[i] == "\n" if i < n else 0
                i += 1
            i += 1
            yield ("str", "", line)
        elif c == "'" or (c == "b" and text.startswith("'", i + 1)):
            # A char literal ('x', '\n', '\u{..}') or a lifetime ('a): skip either.
            start = i + (1 if c == "'" else 2)
            lit = re.match(r"(?:\\u\{[0-9A-Fa-f]+\}|\\.|[^\\'])'", text[start:])
            i = start + lit.end() if lit else start
        elif m := IDENT.match(text, i):
            yield ("ident", m.group(0), line)
            i = m.end()
        elif c in "#[](){};!":
            yield ("punct", c, line)
            i += 1
        else:
            i += 1


class Scanner:
    """Walks one file's tokens, recording function spans and `#[cfg(test)] mod x;` files."""

    def __init__(self, text):
        self.toks = list(tokens(text))
        self.pos = 0
        self.functions = []  # (name, first line, last line)
        self.test_mods = []  # (name, #[path] or None)

    def peek(self, ahead=0):
        p = self.pos + ahead
        return self.toks[p] if p < len(self.toks) else ("eof", "", 0)

    def skip_group(self):
        """From an opening bracket at pos, move past its matching close; return the close's line."""
        opening = self.peek()[1]
        closing = {"{": "}", "[": "]", "(": ")"}[opening]
        depth = 0
        while self.pos < len(self.toks):
            kind, value, line = self.toks[self.pos]
            self.pos += 1
            if kind == "punct" and value in "{[(":
                depth += 1
            elif kind == "punct" and value in "}])":
                depth -= 1
                if depth == 0:
                    return line
        return self.toks[-1][2] if self.toks else 0

    def attribute(self):
        """At `#`: consume `#[...]` or `#![...]`; return its identifiers and any path string."""
        self.pos += 1
        if self.peek()[1] == "!":
            self.pos += 1
        start = self.pos
        self.skip_group()
        return [v for k, v, _ in self.toks[start : self.pos] if k == "ident"]

    def run(self):
        while self.pos < len(self.toks):
            self.item_or_token()
        return self

    def item_or_token(self):
        kind, value, _ = self.peek()
        if kind == "punct" and value == "#":
            words = self.attribute()
            if words[:2] == ["cfg", "test"] and len(words) == 2:
                self.skip_test_item()
        elif kind == "ident" and value == "fn" and self.peek(1)[0] == "ident":
            self.function()
        else:
            self.pos += 1

    def skip_test_item(self):
        """After `#[cfg(test)]`: skip the item it marks, noting an out-of-line test module."""
        path = None
        while self.peek()[1] == "#":
            start = self.pos
            words = self.attribute()
            if words[:1] == ["path"]:
                path = self.path_of(start)
        while self.pos < len(self.toks):
            kind, value, _ = self.peek()
            if kind == "punct" and value == ";":
                name = self.toks[self.pos - 1][1]
                if self.pos >= 2 and self.toks[self.pos - 2][1] == "mod":
                    self.test_mods.append((name, path))
                self.pos += 1
                return
            if kind == "punct" and value in "{([":
                self.skip_group()
                if value == "{":
                    return
            else:
                self.pos += 1

    def path_of(self, start):
        return self.path_strings.get(self.toks[start][2])

    def function(self):
        _, _, first = self.peek()
        name = self.peek(1)[1]
        self.pos += 2
        while self.pos < len(self.toks):
            kind, value, _ = self.peek()
            if kind == "punct" and value == ";":  # a declaration without a body
                self.pos += 1
                return
            if kind == "punct" and value in "([":
                self.skip_group()
            elif kind == "punct" and value == "{":
                body_start = self.pos
                last = self.skip_group()
                self.functions.append((name, first, last))
                # Scan the body again for nested functions.
                end, self.pos = self.pos, body_start + 1
                while self.pos < end - 1:
                    self.item_or_token()
                self.pos = end
                return
            else:
                self.pos += 1


def scan_file(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    scanner = Scanner(text)
    # `#[path = "x.rs"]` values, keyed by their line (the tokenizer drops string contents).
    scanner.path_strings = {
        text.count("\n", 0, m.start()) + 1: m.group(1)
        for m in re.finditer(r'#\[path\s*=\s*"([^"]+)"\]', text)
    }
    return scanner.run()


def test_files(path, test_mods):
    """The files that a file's `#[cfg(test)] mod name;` declarations bring in."""
    folder = os.path.dirname(path)
    stem = os.path.splitext(os.path.basename(path))[0]
    own = folder if stem in ("mod", "lib", "main") else os.path.join(folder, stem)
    out = set()
    for name, explicit in test_mods:
        if explicit:
            out.add(os.path.normpath(os.path.join(folder, explicit)))
        else:
            out.add(os.path.normpath(os.path.join(own, name + ".rs")))
            out.add(os.path.normpath(os.path.join(own, name, "mod.rs")))
    return out


def production_functions(src):
    files = sorted(
        os.path.normpath(os.path.join(d, f))
        for d, _, names in os.walk(src)
        for f in names
        if f.endswith(".rs")
    )
    scanned, excluded = {}, set()
    for path in files:
        scanned[path] = scan_file(path)
        excluded |= test_files(path, scanned[path].test_mods)
    # A test module's own child modules are test code too.
    excluded_dirs = {os.path.splitext(p)[0] + os.sep for p in excluded}
    found = []
    for path, scanner in scanned.items():
        if path in excluded or path.endswith("_tests.rs"):
            continue
        if any(path.startswith(d) for d in excluded_dirs):
            continue
        rel = os.path.relpath(path, os.path.join(src, ".."))
        for name, first, last in scanner.functions:
            found.append((last - first + 1, rel, first, name))
    found.sort(key=lambda f: (-f[0], f[1], f[2]))
    return found


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--top", type=int, default=20, help="how many to list (default 20)")
    parser.add_argument("--all", action="store_true", help="list every function")
    parser.add_argument("--limit", type=int, default=100, help="fail at this many lines")
    args = parser.parse_args()
    found = production_functions(os.path.normpath(SRC))
    shown = found if args.all else found[: args.top]
    for lines, rel, first, name in shown:
        print(f"{lines:5}  {rel}:{first}  {name}")
    over = [f for f in found if f[0] >= args.limit]
    over_60 = sum(1 for f in found if f[0] >= 60)
    longest = f"{found[0][0]} lines ({found[0][1]}::{found[0][3]})" if found else "none"
    print(
        f"{len(found)} production functions; {len(over)} of {args.limit} lines or more, "
        f"{over_60} of 60 or more; longest {longest}"
    )
    if over:
        print(f"error: {len(over)} function(s) of {args.limit} lines or more: split them")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
