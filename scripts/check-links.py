#!/usr/bin/env python3
"""Checks the links of a built HTML book: every relative href or src must name a file that
exists inside the book, and every #fragment an id (or name) on the page it points at.

Usage: check-links.py BOOK_DIR. Prints each broken link as `page: link (why)` and exits 1 if
there is one; links to other sites (http:, https:, mailto:) are not followed.
"""

import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

# 404.html is served from the site's root by a web server, with a <base> of its own.
SKIPPED_PAGES = {"404.html"}


class Page(HTMLParser):
    """The anchors a page defines and the links it makes."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.anchors = set()
        self.links = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if value is None:
                continue
            if name in ("id", "name") and tag != "meta":
                self.anchors.add(value)
            if (name == "href" and tag in ("a", "link", "area")) or (
                name == "src" and tag in ("img", "script", "iframe")
            ):
                self.links.append(value)


def parse(path):
    page = Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def broken_links(book):
    pages = {p: parse(p) for p in sorted(book.rglob("*.html")) if p.name not in SKIPPED_PAGES}
    for page_path, page in pages.items():
        for link in page.links:
            why = check(book, page_path, link, pages)
            if why:
                yield f"{page_path.relative_to(book)}: {link} ({why})"


def check(book, page_path, link, pages):
    parts = urlsplit(link)
    if parts.scheme or parts.netloc:
        return None
    target = page_path if not parts.path else (page_path.parent / unquote(parts.path)).resolve()
    if book.resolve() not in [target, *target.parents]:
        return "leads outside the book"
    if target.is_dir():
        target = target / "index.html"
    if not target.is_file():
        return "no such file"
    fragment = unquote(parts.fragment)
    if not fragment or target.suffix != ".html":
        return None
    anchors = pages[target].anchors if target in pages else parse(target).anchors
    return None if fragment in anchors else f"no anchor #{fragment}"


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: check-links.py BOOK_DIR")
    book = Path(sys.argv[1]).resolve()
    if not (book / "index.html").is_file():
        sys.exit(f"{book}: no index.html: build the book first")
    broken = list(broken_links(book))
    for line in broken:
        print(line)
    pages = len(list(book.rglob("*.html")))
    print(f"check-links: {pages} page(s) checked, {len(broken)} broken link(s)")
    sys.exit(1 if broken else 0)


if __name__ == "__main__":
    main()
