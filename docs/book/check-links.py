#!/usr/bin/env python3
"""Check every relative link of the built book: the file it points at exists
and, when it names an anchor, that anchor is an id in that file.

Usage: check-links.py BOOK_DIR (the HTML output, e.g. docs/book/book).
External links (http, https, mailto) are not followed: CI has no network.
Exits 1 listing every broken link, 0 when there is none.
"""
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit


class Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids = set()
        self.links = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if tag == "a" and attrs.get("name"):
            self.ids.add(attrs["name"])
        for key in ("href", "src"):
            if attrs.get(key) is not None:
                self.links.append((tag, attrs[key]))


def parse(path, cache={}):
    if path not in cache:
        page = Page()
        page.feed(path.read_text(encoding="utf-8"))
        cache[path] = page
    return cache[path]


def main():
    root = Path(sys.argv[1]).resolve()
    pages = sorted(p for p in root.rglob("*.html") if p.name not in ("404.html", "toc.html"))
    if not pages:
        sys.exit(f"{root}: no HTML pages (build the book first)")
    broken = []
    checked = 0
    for page_path in pages:
        for tag, link in parse(page_path).links:
            parts = urlsplit(link)
            if parts.scheme or link.startswith("//"):
                continue  # external: not followed
            target = page_path if not parts.path else (page_path.parent / unquote(parts.path)).resolve()
            checked += 1
            if not target.exists():
                broken.append(f"{page_path.relative_to(root)}: {link}: no such file")
                continue
            if parts.fragment and target.suffix == ".html":
                if unquote(parts.fragment) not in parse(target).ids:
                    broken.append(f"{page_path.relative_to(root)}: {link}: no anchor #{parts.fragment}")
    for line in broken:
        print(line)
    print(f"{checked} relative links in {len(pages)} pages, {len(broken)} broken")
    sys.exit(1 if broken else 0)


main()
