#!/usr/bin/env python3
"""Check every .ics file of a built enishi site against RFC 5545.

Usage: check_ics.py SITE_DIR

Uses the `icalendar` package (pip install icalendar) as an independent parser,
plus raw checks the parser does not do: CRLF line ends, lines of at most 75
octets, no UTF-8 character split by folding, TEXT escaping. Then checks what
enishi promises: VERSION, PRODID, CALSCALE, METHOD:PUBLISH, X-WR-CALNAME;
per VEVENT a unique UID, DTSTAMP in UTC, DTSTART/DTEND, SUMMARY, URL, STATUS,
SEQUENCE (above 0 when cancelled or postponed), and that every
events/<slug>/event.ics appears in events/calendar.ics with the same UID and
data, sorted by start.

Exits 0 when everything passes, 1 with one message per problem otherwise,
2 on usage errors.
"""

import datetime as dt
import os
import sys

try:
    import icalendar
except ImportError:
    print("check_ics.py needs the icalendar package: pip install icalendar", file=sys.stderr)
    sys.exit(2)

try:
    from zoneinfo import ZoneInfo
except ImportError:  # pragma: no cover
    ZoneInfo = None

TEXT_PROPS = {"SUMMARY", "DESCRIPTION", "LOCATION", "X-WR-CALNAME", "X-WR-CALDESC", "UID", "CATEGORIES"}
REQUIRED_EVENT = ["UID", "DTSTAMP", "DTSTART", "SUMMARY", "URL", "STATUS", "SEQUENCE"]

errors = []


def err(path, msg, line=None):
    where = f"{path}:{line}" if line else path
    errors.append(f"{where}: {msg}")


def raw_checks(path, data):
    """CRLF, 75 octets, UTF-8 per physical line, folding and escaping."""
    if not data.endswith(b"\r\n"):
        err(path, "file does not end with CRLF")
    physical = data.split(b"\r\n")
    if physical and physical[-1] == b"":
        physical.pop()
    logical = []  # (first line number, unfolded text)
    for n, line in enumerate(physical, 1):
        if b"\n" in line or b"\r" in line:
            err(path, "bare LF or CR: lines must end with CRLF", n)
        if len(line) > 75:
            err(path, f"line is {len(line)} octets, more than 75 (fold it)", n)
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError:
            err(path, "invalid UTF-8 on this physical line (folding split a character, or the file is not UTF-8)", n)
            text = line.decode("utf-8", "replace")
        if text[:1] in (" ", "\t"):
            if not logical:
                err(path, "continuation line before any content line", n)
                continue
            if len(text) == 1:
                err(path, "empty continuation line", n)
            logical[-1][1] += text[1:]
        else:
            if text == "":
                err(path, "empty line", n)
                continue
            logical.append([n, text])
    for n, text in logical:
        name_part, sep, value = split_content_line(text)
        if not sep:
            err(path, f"content line without ':': {text[:40]!r}", n)
            continue
        name = name_part.split(";", 1)[0].upper()
        if name in TEXT_PROPS:
            check_text_escaping(path, n, name, value)
    return logical


def split_content_line(text):
    """Split NAME;PARAMS:VALUE at the first colon outside a quoted parameter."""
    quoted = False
    for i, c in enumerate(text):
        if c == '"':
            quoted = not quoted
        elif c == ":" and not quoted:
            return text[:i], ":", text[i + 1:]
    return text, "", ""


def check_text_escaping(path, n, name, value):
    i = 0
    while i < len(value):
        c = value[i]
        if c == "\\":
            nxt = value[i + 1:i + 2]
            if nxt not in ("\\", ";", ",", "n", "N"):
                err(path, f"{name}: backslash must be followed by \\ ; , or n, found {nxt!r}", n)
            i += 2
            continue
        if c == ";" or (c == "," and name != "CATEGORIES"):
            err(path, f"{name}: unescaped {c!r} in a TEXT value (write \\{c})", n)
        if ord(c) < 0x20 and c != "\t":
            err(path, f"{name}: control character U+{ord(c):04X} in a TEXT value", n)
        i += 1


def as_utc_key(value, zone):
    """Sort key for DTSTART: datetimes as UTC, dates at midnight in the calendar zone."""
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=zone)
        return value.astimezone(dt.timezone.utc)
    return dt.datetime(value.year, value.month, value.day, tzinfo=zone).astimezone(dt.timezone.utc)


def check_calendar(path, data):
    """Parse one file; return {uid: summary of the event} in file order."""
    raw_checks(path, data)
    try:
        cal = icalendar.Calendar.from_ical(data.decode("utf-8", "replace"))
    except Exception as e:  # the parser raises ValueError and friends
        err(path, f"icalendar cannot parse it: {e}")
        return None
    if cal.name != "VCALENDAR":
        err(path, f"top component is {cal.name}, expected VCALENDAR")
        return None
    for comp in cal.walk():
        for e in getattr(comp, "errors", []) or []:
            err(path, f"{comp.name}: parser reported {e}")
    if str(cal.get("VERSION", "")) != "2.0":
        err(path, f"VERSION must be 2.0, found {cal.get('VERSION')!r}")
    if not str(cal.get("PRODID", "")).strip():
        err(path, "PRODID is missing")
    if "CALSCALE" in cal and str(cal["CALSCALE"]).upper() != "GREGORIAN":
        err(path, f"CALSCALE must be GREGORIAN, found {cal['CALSCALE']!r}")
    if str(cal.get("METHOD", "")).upper() != "PUBLISH":
        err(path, f"METHOD must be PUBLISH, found {cal.get('METHOD')!r}")
    if not str(cal.get("X-WR-CALNAME", "")).strip():
        err(path, "X-WR-CALNAME (calendar name shown to subscribers) is missing")
    zone = dt.timezone.utc
    zname = str(cal.get("X-WR-TIMEZONE", ""))
    if zname and ZoneInfo is not None:
        try:
            zone = ZoneInfo(zname)
        except Exception:
            err(path, f"X-WR-TIMEZONE {zname!r} is not an IANA time zone")
    tzids = {str(tz.get("TZID")) for tz in cal.walk("VTIMEZONE")}

    events = {}
    order = []
    for ev in cal.walk("VEVENT"):
        uid = str(ev.get("UID", "")).strip()
        label = f"VEVENT {uid or '(no UID)'}"
        for prop in REQUIRED_EVENT:
            if prop not in ev:
                err(path, f"{label}: {prop} is missing")
        if not uid:
            continue
        if uid in events:
            err(path, f"{label}: UID appears twice in one calendar")
        stamp = ev.get("DTSTAMP")
        if stamp is not None:
            v = stamp.dt
            if not isinstance(v, dt.datetime) or v.utcoffset() != dt.timedelta(0):
                err(path, f"{label}: DTSTAMP must be a UTC date-time, found {v!r}")
        start = ev.get("DTSTART")
        end = ev.get("DTEND")
        for prop_name, p in (("DTSTART", start), ("DTEND", end)):
            if p is None:
                continue
            v = p.dt
            tzid = p.params.get("TZID")
            if tzid and tzid not in tzids:
                err(path, f"{label}: {prop_name} uses TZID={tzid} without a VTIMEZONE for it")
            if isinstance(v, dt.datetime) and v.tzinfo is None and not tzid:
                err(path, f"{label}: {prop_name} is a floating time (no Z, no TZID)")
        if start is not None and end is not None:
            s, e = start.dt, end.dt
            if isinstance(s, dt.datetime) != isinstance(e, dt.datetime):
                err(path, f"{label}: DTSTART and DTEND must both be dates or both date-times")
            elif isinstance(s, dt.datetime):
                if e < s:
                    err(path, f"{label}: DTEND {e} is before DTSTART {s}")
            elif e <= s:
                err(path, f"{label}: all-day DTEND {e} must be after DTSTART {s} (end is exclusive)")
        if "DURATION" in ev and end is not None:
            err(path, f"{label}: DTEND and DURATION must not both be given")
        url = str(ev.get("URL", ""))
        if url and not url.startswith(("https://", "http://")):
            err(path, f"{label}: URL must be absolute, found {url!r}")
        status = str(ev.get("STATUS", "")).upper()
        if status and status not in ("CONFIRMED", "CANCELLED", "TENTATIVE"):
            err(path, f"{label}: STATUS {status!r} is not CONFIRMED, CANCELLED or TENTATIVE")
        try:
            seq = int(ev.get("SEQUENCE", 0))
        except (TypeError, ValueError):
            err(path, f"{label}: SEQUENCE must be an integer, found {ev.get('SEQUENCE')!r}")
            seq = 0
        if seq < 0:
            err(path, f"{label}: SEQUENCE must not be negative")
        if status in ("CANCELLED", "TENTATIVE") and seq < 1:
            err(path, f"{label}: STATUS:{status} needs a SEQUENCE above the scheduled entry's (0) so apps update it")
        if not str(ev.get("SUMMARY", "")).strip():
            err(path, f"{label}: SUMMARY is empty")
        events[uid] = {
            "DTSTART": start.to_ical() if start is not None else None,
            "DTEND": end.to_ical() if end is not None else None,
            "SUMMARY": str(ev.get("SUMMARY", "")),
            "STATUS": status,
            "SEQUENCE": seq,
            "URL": url,
            "key": (as_utc_key(start.dt, zone) if start is not None else None),
        }
        order.append(uid)
    return events, order


def main(argv):
    if len(argv) != 2 or argv[1] in ("-h", "--help"):
        print(__doc__.strip(), file=sys.stderr)
        return 2
    site = argv[1]
    if not os.path.isdir(site):
        print(f"{site}: not a directory (pass the built site, e.g. public/)", file=sys.stderr)
        return 2
    files = []
    for root, dirs, names in os.walk(site):
        dirs.sort()
        for name in sorted(names):
            if name.endswith(".ics"):
                files.append(os.path.join(root, name))
    feed_path = os.path.join(site, "events", "calendar.ics")
    if os.path.isdir(os.path.join(site, "events")) and not os.path.isfile(feed_path):
        err(feed_path, "missing: the site has events/ but no subscribable calendar.ics")

    parsed = {}
    n_events = 0
    for path in files:
        with open(path, "rb") as f:
            data = f.read()
        result = check_calendar(path, data)
        if result is None:
            continue
        parsed[path] = result
        n_events += len(result[0])

    feed = parsed.get(feed_path)
    if feed is not None:
        events, order = feed
        keys = [(events[u]["key"], u) for u in order if events[u]["key"] is not None]
        starts = [k for k, _ in keys]
        if starts != sorted(starts):
            err(feed_path, "VEVENTs are not sorted by start")
    for path, (events, _) in parsed.items():
        if path == feed_path:
            continue
        rel = os.path.relpath(path, site).replace(os.sep, "/")
        if rel.startswith("events/") and rel.endswith("/event.ics"):
            if len(events) != 1:
                err(path, f"expected exactly one VEVENT, found {len(events)}")
            if feed is None:
                continue
            for uid, e in events.items():
                f = feed[0].get(uid)
                if f is None:
                    err(path, f"UID {uid} is not in events/calendar.ics (UIDs must be stable across files)")
                    continue
                for k in ("DTSTART", "DTEND", "SUMMARY", "STATUS", "SEQUENCE", "URL"):
                    if e[k] != f[k]:
                        err(path, f"{k} differs from events/calendar.ics for UID {uid}: {e[k]!r} vs {f[k]!r}")

    for e in errors:
        print(e, file=sys.stderr)
    if errors:
        print(f"check_ics: {len(errors)} problem(s) in {len(files)} .ics file(s)", file=sys.stderr)
        return 1
    print(f"check_ics: {len(files)} .ics file(s), {n_events} VEVENT(s): ok")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
