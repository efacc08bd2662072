#!/usr/bin/env python3
"""Check that sitemap.xml of a built enishi site lists every public page and
nothing else.

usage: check_sitemap.py SITE_DIR

  - robots.txt has a `Sitemap:` line with the absolute URL of sitemap.xml; the
    site's base URL is that URL minus `sitemap.xml`;
  - sitemap.xml is a sitemaps.org <urlset> (or a <sitemapindex> of them);
  - every <loc> is an absolute, percent-encoded URL under the base URL, listed
    once, mapping to an existing file in SITE_DIR (`/x/` -> `x/index.html`);
  - no listed page has `<meta name="robots" content="…noindex…">`;
  - every HTML page without noindex is listed, except 404.html and the
    members area (`members/`); redirect pages (aliases) must carry noindex;
  - <lastmod>, where present, is a W3C date-time.
Prints every problem, exits 1 if there is any.
"""

from __future__ import annotations

import os
import re
import sys
from urllib.parse import unquote, urlsplit

from lxml import etree, html

SM = "http://www.sitemaps.org/schemas/sitemap/0.9"
W3C_DATE = re.compile(
    r"^\d{4}(-\d{2}(-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?)?)?$"
)
UNLISTED_PREFIXES = ("members/",)
UNLISTED_FILES = {"404.html"}


def robots_meta(path: str) -> tuple[bool, bool]:
    """(noindex, is_redirect) of an HTML file."""
    with open(path, "rb") as f:
        data = f.read()
    if not data.strip():
        return False, False
    doc = html.fromstring(data)
    noindex = False
    redirect = False
    for meta in doc.iter("meta"):
        name = (meta.get("name") or "").lower()
        if name in ("robots", "googlebot") and "noindex" in (meta.get("content") or "").lower():
            noindex = True
        if (meta.get("http-equiv") or "").lower() == "refresh":
            redirect = True
    return noindex, redirect


def sitemap_url(site: str, errors: list[str]) -> str | None:
    path = os.path.join(site, "robots.txt")
    if not os.path.isfile(path):
        errors.append("robots.txt: missing")
        return None
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            key, _, value = line.partition(":")
            if key.strip().lower() == "sitemap":
                return value.strip()
    errors.append("robots.txt: no `Sitemap:` line pointing at sitemap.xml")
    return None


def load_locs(site: str, rel: str, base: str, errors: list[str], depth: int = 0) -> list[tuple[str, str | None]]:
    """All (loc, lastmod) of a sitemap file, following a sitemap index."""
    path = os.path.join(site, *rel.split("/"))
    if not os.path.isfile(path):
        errors.append(f"{rel}: missing")
        return []
    try:
        root = etree.parse(path).getroot()
    except etree.XMLSyntaxError as e:
        errors.append(f"{rel}: not well-formed: {e}")
        return []
    if root.tag == f"{{{SM}}}sitemapindex" and depth == 0:
        out = []
        for loc in root.iterfind(f"{{{SM}}}sitemap/{{{SM}}}loc"):
            url = (loc.text or "").strip()
            if not url.startswith(base):
                errors.append(f"{rel}: child sitemap {url!r} is not under {base}")
                continue
            out += load_locs(site, unquote(url[len(base):]), base, errors, depth + 1)
        return out
    if root.tag != f"{{{SM}}}urlset":
        errors.append(f"{rel}: root is <{root.tag}>, expected <urlset xmlns=\"{SM}\">")
        return []
    out = []
    for url in root.iterfind(f"{{{SM}}}url"):
        loc = url.findtext(f"{{{SM}}}loc")
        if loc is None:
            errors.append(f"{rel}: <url> without <loc>")
            continue
        out.append((loc.strip(), url.findtext(f"{{{SM}}}lastmod")))
    return out


def html_pages(site: str) -> list[str]:
    pages = []
    for dirpath, dirnames, filenames in os.walk(site):
        dirnames.sort()
        for name in sorted(filenames):
            if name.endswith(".html"):
                rel = os.path.relpath(os.path.join(dirpath, name), site)
                pages.append(rel.replace(os.sep, "/"))
    return pages


def main(argv: list[str]) -> int:
    if len(argv) != 2 or not os.path.isdir(argv[1]):
        print("usage: check_sitemap.py SITE_DIR", file=sys.stderr)
        return 2
    site = argv[1]
    errors: list[str] = []
    smurl = sitemap_url(site, errors)
    if smurl is not None:
        parts = urlsplit(smurl)
        if parts.scheme not in ("http", "https") or not parts.netloc or not smurl.endswith("/sitemap.xml"):
            errors.append(f"robots.txt: Sitemap {smurl!r} is not an absolute URL of sitemap.xml")
            smurl = None
    if smurl is None:
        for e in errors:
            print(f"{site}/{e}", file=sys.stderr)
        return 1
    base = smurl[: -len("sitemap.xml")]

    listed: dict[str, str] = {}  # file rel path -> loc
    for loc, lastmod in load_locs(site, "sitemap.xml", base, errors):
        if not loc.isascii():
            errors.append(f"sitemap.xml: {loc!r} is not percent-encoded")
        if not loc.startswith(base):
            errors.append(f"sitemap.xml: {loc!r} is not under the base URL {base}")
            continue
        if lastmod is not None and not W3C_DATE.match(lastmod.strip()):
            errors.append(f"sitemap.xml: {loc}: <lastmod> {lastmod!r} is not a W3C date-time")
        parts = urlsplit(loc)
        if parts.query or parts.fragment:
            errors.append(f"sitemap.xml: {loc!r} has a query or fragment")
        rel = unquote(urlsplit(loc[len(base):]).path)
        if rel == "" or rel.endswith("/"):
            rel += "index.html"
        if rel in listed:
            errors.append(f"sitemap.xml: {loc!r} listed twice")
            continue
        listed[rel] = loc
        path = os.path.join(site, *rel.split("/"))
        if not os.path.isfile(path):
            errors.append(f"sitemap.xml: {loc!r} -> {rel}: no such file")
            continue
        if rel.endswith(".html") and robots_meta(path)[0]:
            errors.append(f"sitemap.xml: {loc!r} -> {rel} has noindex but is listed")
        if rel in UNLISTED_FILES or rel.startswith(UNLISTED_PREFIXES):
            errors.append(f"sitemap.xml: {loc!r} -> {rel} must not be listed")

    pages = html_pages(site)
    unlisted = 0
    for rel in pages:
        if rel in listed or rel in UNLISTED_FILES or rel.startswith(UNLISTED_PREFIXES):
            continue
        noindex, redirect = robots_meta(os.path.join(site, *rel.split("/")))
        if redirect and not noindex:
            errors.append(f"{rel}: redirect page without <meta name=\"robots\" content=\"noindex\">")
        elif not noindex:
            errors.append(f"{rel}: public page (no noindex) missing from sitemap.xml")
        else:
            unlisted += 1

    for e in errors:
        print(f"{site}/{e}", file=sys.stderr)
    if errors:
        print(f"check_sitemap: {len(errors)} problem(s)", file=sys.stderr)
        return 1
    print(
        f"check_sitemap: {site}: {len(listed)} URLs listed, {len(pages)} HTML pages "
        f"({unlisted} noindex), base {base}: OK"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
