#!/usr/bin/env python3
"""Check the newsletter written by `enishi digest --output FILE`.

Usage: check_digest.py DIR_OR_FILE

DIR_OR_FILE is an .eml file, or a directory searched (recursively) for .eml
files. Each message is parsed with Python's own `email` package (an
independent MIME parser) and checked:

- raw form: ASCII only, CRLF line ends, header lines of at most 78 octets and
  body lines of at most 76;
- headers: From and To parse as one address each, Subject (RFC 2047 decoded,
  not empty), Date (RFC 5322), Message-ID (<…@…>), MIME-Version: 1.0;
- structure: multipart/alternative with exactly a text/plain then a text/html
  part, both UTF-8, base64 or quoted-printable;
- HTML for mail clients: a full document (doctype, <html lang>, <title>), no
  <script>, <style>, <link>, <iframe>, <object>, <embed> or <form>, no `src`
  attribute, no url(...) in styles, and every link absolute (http(s) or mailto);
- the two parts match: the same set of links, and the text of every HTML link
  (titles, "register", …) appears in the text part;
- when FILE.html / FILE.txt sit next to FILE.eml, they equal the decoded parts.

Validate the HTML file with vnu separately (`vnu --errors-only FILE.html`).
Exits 0 when everything passes, 1 with one message per problem otherwise,
2 on usage errors.
"""

import email
import email.policy
import email.utils
import html.parser
import os
import re
import sys

errors = []


def err(path, msg):
    errors.append(f"{path}: {msg}")


class Links(html.parser.HTMLParser):
    """Collects <a href> with their text, tags and attributes of interest."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links = []  # (href, text)
        self.tags = []
        self.attrs = []  # (tag, name, value)
        self._a = None
        self.lang = None
        self.title = ""
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        for name, value in attrs:
            self.attrs.append((tag, name, value or ""))
        if tag == "html":
            self.lang = dict(attrs).get("lang")
        if tag == "title":
            self._in_title = True
        if tag == "a":
            self._a = [dict(attrs).get("href") or "", ""]

    def handle_endtag(self, tag):
        if tag == "a" and self._a is not None:
            self.links.append((self._a[0], " ".join(self._a[1].split())))
            self._a = None
        if tag == "title":
            self._in_title = False

    def handle_data(self, data):
        if self._a is not None:
            self._a[1] += data
        if self._in_title:
            self.title += data


URL_RE = re.compile(r"(?:https?://|mailto:)[^\s<>\"]+")


def check_raw(path, raw):
    try:
        text = raw.decode("ascii")
    except UnicodeDecodeError:
        err(path, "the message is not 7-bit ASCII (headers must be RFC 2047-encoded, bodies base64/QP)")
        return
    if re.search(r"(?<!\r)\n", text):
        err(path, "bare LF line end: every line must end with CRLF")
    head, _, body = text.partition("\r\n\r\n")
    for i, line in enumerate(head.split("\r\n"), 1):
        if len(line) > 78:
            err(path, f"header line {i} has {len(line)} characters (at most 78): {line[:40]}…")
    for i, line in enumerate(body.split("\r\n"), 1):
        if len(line) > 76 and not line.startswith("--"):
            err(path, f"body line {i} has {len(line)} characters (at most 76)")


def check_html(path, doc):
    p = Links()
    p.feed(doc)
    if not re.match(r"\s*<!doctype html>", doc, re.I):
        err(path, "HTML part: expected <!DOCTYPE html> first")
    if not p.lang:
        err(path, "HTML part: <html> has no lang attribute")
    if not p.title.strip():
        err(path, "HTML part: no <title>")
    for tag in ("script", "style", "link", "iframe", "object", "embed", "form", "img", "video", "audio"):
        if tag in p.tags:
            err(path, f"HTML part: <{tag}> is not allowed in the digest (no scripts, no external resources)")
    for tag, name, value in p.attrs:
        if name in ("src", "srcset", "background", "poster"):
            err(path, f"HTML part: <{tag} {name}={value!r}> loads a resource")
        if name.startswith("on"):
            err(path, f"HTML part: <{tag} {name}> is a script")
        if name == "style" and "url(" in value.replace(" ", "").lower():
            err(path, f"HTML part: <{tag} style> loads a resource: {value}")
    for href, _ in p.links:
        if not re.match(r"(https?://|mailto:)", href):
            err(path, f"HTML part: link {href!r} is not absolute (mail has no base URL)")
    return p


def check_file(path):
    with open(path, "rb") as f:
        raw = f.read()
    check_raw(path, raw)
    msg = email.message_from_bytes(raw, policy=email.policy.default)

    for name in ("From", "To", "Subject", "Date", "Message-ID", "MIME-Version"):
        if msg[name] is None:
            err(path, f"missing {name} header")
    for name in ("From", "To"):
        h = msg[name]
        if h is None:
            continue
        addrs = getattr(h, "addresses", ())
        if len(addrs) != 1 or "@" not in addrs[0].addr_spec or h.defects:
            err(path, f"{name}: expected one valid address, found {str(h)!r}")
    if msg["Subject"] is not None and not str(msg["Subject"]).strip():
        err(path, "empty Subject")
    if msg["Date"] is not None:
        try:
            email.utils.parsedate_to_datetime(str(msg["Date"]))
        except (TypeError, ValueError):
            err(path, f"Date is not an RFC 5322 date: {msg['Date']}")
    if msg["Message-ID"] is not None and not re.fullmatch(r"<[^<>@\s]+@[^<>@\s]+>", str(msg["Message-ID"]).strip()):
        err(path, f"Message-ID is not <id@host>: {msg['Message-ID']}")
    if msg["MIME-Version"] is not None and str(msg["MIME-Version"]).strip() != "1.0":
        err(path, "MIME-Version must be 1.0")
    if msg.defects:
        err(path, f"MIME defects: {msg.defects}")

    if msg.get_content_type() != "multipart/alternative":
        err(path, f"expected multipart/alternative, found {msg.get_content_type()}")
        return
    parts = list(msg.iter_parts())
    kinds = [p.get_content_type() for p in parts]
    if kinds != ["text/plain", "text/html"]:
        err(path, f"expected the parts text/plain then text/html, found {kinds}")
        return
    for p in parts:
        if (p.get_content_charset() or "").lower() != "utf-8":
            err(path, f"{p.get_content_type()}: charset must be UTF-8")
        if p.get("Content-Transfer-Encoding", "").lower() not in ("base64", "quoted-printable"):
            err(path, f"{p.get_content_type()}: transfer encoding must be base64 or quoted-printable")
        if p.defects:
            err(path, f"{p.get_content_type()}: MIME defects: {p.defects}")
    text = parts[0].get_content().replace("\r\n", "\n")
    doc = parts[1].get_content().replace("\r\n", "\n")

    p = check_html(path, doc)
    html_links = {href for href, _ in p.links}
    text_links = set(URL_RE.findall(text))
    for u in sorted(html_links - text_links):
        err(path, f"link only in the HTML part: {u}")
    for u in sorted(text_links - html_links):
        err(path, f"link only in the text part: {u}")
    flat_text = " ".join(text.split())
    for href, label in p.links:
        label = label.rstrip("→ ").strip()
        if label and label not in flat_text:
            err(path, f"HTML link text {label!r} ({href}) is missing from the text part")

    stem = path[: -len(".eml")] if path.endswith(".eml") else path
    for ext, body in ((".txt", text), (".html", doc)):
        side = stem + ext
        if os.path.exists(side):
            with open(side, encoding="utf-8") as f:
                if f.read().replace("\r\n", "\n") != body:
                    err(path, f"{side} differs from the {ext[1:]} part of the message")


def main(argv):
    if len(argv) != 2 or argv[1] in ("-h", "--help"):
        print(__doc__.strip(), file=sys.stderr)
        return 2
    target = argv[1]
    if os.path.isdir(target):
        files = sorted(
            os.path.join(d, f) for d, _, fs in os.walk(target) for f in fs if f.endswith(".eml")
        )
        if not files:
            print(f"{target}: no .eml file found", file=sys.stderr)
            return 1
    elif os.path.isfile(target):
        files = [target]
    else:
        print(f"{target}: no such file or directory", file=sys.stderr)
        return 2
    for f in files:
        check_file(f)
    for e in errors:
        print(e)
    if errors:
        print(f"{len(errors)} problem(s) in {len(files)} message(s)", file=sys.stderr)
        return 1
    print(f"OK: {len(files)} message(s) checked")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
