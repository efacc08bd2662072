#!/usr/bin/env python3
"""Check every RSS feed of a built enishi site the way feed readers read it.

usage: check_feeds.py SITE_DIR

Every `feed.xml` under SITE_DIR (the root one is required; `<kind>/feed.xml`
and `tags/<tag>/feed.xml` are found by walking the tree) must:
  - parse with feedparser with `bozo` false, as RSS 2.0;
  - be an `<rss version="2.0">` with a channel title, link, description and
    `language`;
  - carry `<atom:link rel="self">` whose href is the feed's own absolute URL
    (site base URL + its path in SITE_DIR, percent-encoded);
  - give every item a title, an absolute http(s) link, a non-empty guid that is
    unique in the feed (an absolute URL unless isPermaLink="false"), and an
    RFC 822 pubDate; channel dates are RFC 822 too;
  - link only to pages that exist in SITE_DIR when the link is on the site.

The site's base URL is the root feed's self link minus `feed.xml`.
Prints every problem, exits 1 if there is any.
"""

from __future__ import annotations

import email.utils
import os
import re
import sys
import xml.etree.ElementTree as ET
from urllib.parse import quote, unquote, urlsplit

import feedparser

ATOM = "http://www.w3.org/2005/Atom"
DAYS = "Mon|Tue|Wed|Thu|Fri|Sat|Sun"
MONTHS = "Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec"
# RFC 822 (with RFC 1123 four-digit years), as RSS 2.0 requires.
RFC822 = re.compile(
    rf"^(?:(?:{DAYS}), )?\d{{1,2}} (?:{MONTHS}) \d{{4}} \d{{2}}:\d{{2}}(?::\d{{2}})? "
    r"(?:[+-]\d{4}|GMT|UT|UTC|EST|EDT|CST|CDT|MST|MDT|PST|PDT|Z)$"
)


def is_rfc822(value: str) -> bool:
    if not RFC822.match(value):
        return False
    try:
        return email.utils.parsedate_to_datetime(value) is not None
    except (TypeError, ValueError):
        return False


def is_absolute_url(value: str) -> bool:
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def page_exists(site: str, base: str, url: str) -> bool | None:
    """True/False for a URL under the site's base, None for other URLs."""
    if not url.startswith(base):
        return None
    rel = unquote(urlsplit(url[len(base):]).path)
    if rel == "" or rel.endswith("/"):
        rel += "index.html"
    return os.path.isfile(os.path.join(site, *rel.split("/")))


def find_feeds(site: str) -> list[str]:
    feeds = []
    for dirpath, dirnames, filenames in os.walk(site):
        dirnames.sort()
        if "feed.xml" in filenames:
            rel = os.path.relpath(os.path.join(dirpath, "feed.xml"), site)
            feeds.append(rel.replace(os.sep, "/"))
    return sorted(feeds)


def text(elem: ET.Element | None, tag: str) -> str | None:
    if elem is None:
        return None
    child = elem.find(tag)
    if child is None:
        return None
    return (child.text or "").strip()


def self_link(channel: ET.Element) -> str | None:
    for link in channel.findall(f"{{{ATOM}}}link"):
        if link.get("rel") == "self":
            return link.get("href")
    return None


def check_feed(site: str, rel: str, base: str, errors: list[str]) -> int:
    path = os.path.join(site, *rel.split("/"))
    where = rel

    def err(msg: str) -> None:
        errors.append(f"{where}: {msg}")

    with open(path, "rb") as f:
        data = f.read()

    parsed = feedparser.parse(data)
    if parsed.bozo:
        err(f"feedparser: not well-formed ({parsed.get('bozo_exception')!r})")
    if parsed.get("version") != "rss20":
        err(f"feedparser reads it as {parsed.get('version')!r}, expected 'rss20'")

    try:
        root = ET.fromstring(data)
    except ET.ParseError as e:
        err(f"XML: {e}")
        return 0
    if root.tag != "rss" or root.get("version") != "2.0":
        err(f'root element is <{root.tag} version="{root.get("version")}">, expected <rss version="2.0">')
    channel = root.find("channel")
    if channel is None:
        err("no <channel>")
        return 0

    for tag in ("title", "link", "description", "language"):
        if not text(channel, tag):
            err(f"channel has no <{tag}>")
    link = text(channel, "link")
    if link and not is_absolute_url(link):
        err(f"channel <link> {link!r} is not an absolute http(s) URL")

    expected = base + "/".join(quote(s, safe="") for s in rel.split("/"))
    href = self_link(channel)
    if href is None:
        err('no <atom:link rel="self">')
    elif unquote(href) != unquote(expected):
        err(f"atom:link rel=self is {href!r}, expected {expected!r}")
    elif not href.isascii():
        err(f"atom:link rel=self {href!r} is not percent-encoded (feed readers need ASCII URLs)")

    for tag in ("pubDate", "lastBuildDate"):
        value = text(channel, tag)
        if value is not None and not is_rfc822(value):
            err(f"channel <{tag}> {value!r} is not an RFC 822 date")

    guids: set[str] = set()
    items = channel.findall("item")
    for i, item in enumerate(items, 1):
        label = f"item {i}"
        title = text(item, "title")
        if not title:
            err(f"{label}: no <title>")
        else:
            label = f"item {i} ({title[:40]!r})"
        ilink = text(item, "link")
        if not ilink:
            err(f"{label}: no <link>")
        elif not is_absolute_url(ilink):
            err(f"{label}: <link> {ilink!r} is not an absolute http(s) URL")
        elif not ilink.isascii():
            err(f"{label}: <link> {ilink!r} is not percent-encoded")
        elif page_exists(site, base, ilink) is False:
            err(f"{label}: <link> {ilink!r} points to no file in the site")
        guid_el = item.find("guid")
        guid = (guid_el.text or "").strip() if guid_el is not None else ""
        if not guid:
            err(f"{label}: no <guid>")
        else:
            if guid in guids:
                err(f"{label}: duplicate <guid> {guid!r}")
            guids.add(guid)
            permalink = guid_el.get("isPermaLink", "true") != "false"
            if permalink and not is_absolute_url(guid):
                err(f'{label}: <guid> {guid!r} is a permalink but not an absolute URL (set isPermaLink="false"?)')
        date = text(item, "pubDate")
        if not date:
            err(f"{label}: no <pubDate>")
        elif not is_rfc822(date):
            err(f"{label}: <pubDate> {date!r} is not an RFC 822 date")
        for content in item.iter():
            for attr in ("href", "src", "url"):
                v = content.get(attr)
                if v is not None and not is_absolute_url(v):
                    err(f"{label}: <{content.tag} {attr}={v!r}> is not an absolute URL")
    return len(items)


def main(argv: list[str]) -> int:
    if len(argv) != 2 or not os.path.isdir(argv[1]):
        print("usage: check_feeds.py SITE_DIR", file=sys.stderr)
        return 2
    site = argv[1]
    errors: list[str] = []
    feeds = find_feeds(site)
    if "feed.xml" not in feeds:
        print(f"{site}: no feed.xml at the root", file=sys.stderr)
        return 1
    try:
        root = ET.parse(os.path.join(site, "feed.xml")).getroot()
        href = self_link(root.find("channel")) if root.find("channel") is not None else None
    except ET.ParseError as e:
        print(f"feed.xml: XML: {e}", file=sys.stderr)
        return 1
    if not href or not href.endswith("/feed.xml") or not is_absolute_url(href):
        print(f'feed.xml: atom:link rel="self" is {href!r}, expected <base URL>/feed.xml', file=sys.stderr)
        return 1
    base = href[: -len("feed.xml")]

    items = 0
    for rel in feeds:
        items += check_feed(site, rel, base, errors)
    for e in errors:
        print(f"{site}/{e}", file=sys.stderr)
    if errors:
        print(f"check_feeds: {len(errors)} problem(s) in {len(feeds)} feed(s)", file=sys.stderr)
        return 1
    print(f"check_feeds: {site}: {len(feeds)} feeds, {items} items, base {base}: OK")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
