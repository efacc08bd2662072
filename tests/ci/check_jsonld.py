#!/usr/bin/env python3
"""Check the schema.org JSON-LD of every page of a built enishi site.

Usage: check_jsonld.py SITE_DIR [--now YYYY-MM-DD]

Extracts JSON-LD with `extruct` (pip install extruct) and checks:

- home page (index.html): an Organization (name, url);
- job pages (jobs/<slug>/index.html): an open job has exactly one JobPosting
  (title, description, datePosted, hiringOrganization, jobLocation or
  TELECOMMUTE, identifier, url, ...); a page showing "closed" (an <article>
  with data-job-status="closed") has none; with --now, an open job's
  validThrough must not be before that day;
- event pages (events/<slug>/index.html): exactly one Event (name, startDate
  and endDate with offset, eventStatus, eventAttendanceMode, organizer;
  a missing location is a warning, since `venue` and `online` are optional);
- interviews and news (interviews/<slug>/, news/<slug>/): one Article
  (headline, datePublished, author, mainEntityOfPage);
- everywhere: every ld+json script is valid JSON, every URL is absolute,
  JobPosting appears on job pages only.

List pages (jobs/, jobs/page/N/, jobs/<kind>/ filters, events/archive/, ...)
are recognised by their path and must carry no JobPosting or Event.

Exits 0 when everything passes, 1 with one message per problem otherwise,
2 on usage errors.
"""

import datetime as dt
import json
import os
import re
import sys

try:
    import extruct
    import lxml.html
except ImportError:
    print("check_jsonld.py needs extruct: pip install extruct", file=sys.stderr)
    sys.exit(2)

SCHEMA = ("https://schema.org", "http://schema.org", "https://schema.org/", "http://schema.org/")
ARTICLE_TYPES = {"Article", "NewsArticle", "BlogPosting", "Report"}
EMPLOYMENT = {"FULL_TIME", "PART_TIME", "CONTRACTOR", "TEMPORARY", "INTERN", "VOLUNTEER", "PER_DIEM", "OTHER"}
EVENT_STATUS = {"EventScheduled", "EventCancelled", "EventPostponed", "EventRescheduled", "EventMovedOnline"}
ATTENDANCE = {"OfflineEventAttendanceMode", "OnlineEventAttendanceMode", "MixedEventAttendanceMode"}
# Section paths that are lists, not single pages (job kind filters are at
# jobs/kind/<kind>/, so a job may be called `referral`).
LIST_SEGMENTS = {"page", "archive", "kind", "tags"}
DATETIME_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

errors = []
warnings = []


def err(path, msg):
    errors.append(f"{path}: {msg}")


def warn(path, msg):
    """Reported, but not a failure: content the site may legitimately lack."""
    warnings.append(f"{path}: warning: {msg}")


def types_of(item):
    t = item.get("@type")
    if isinstance(t, list):
        return {str(x) for x in t}
    return {str(t)} if t else set()


def short(value):
    """`https://schema.org/EventScheduled` -> `EventScheduled`."""
    s = str(value)
    for prefix in SCHEMA:
        if s.startswith(prefix.rstrip("/") + "/"):
            return s[len(prefix.rstrip("/")) + 1:]
    return s


def as_list(v):
    if v is None:
        return []
    return v if isinstance(v, list) else [v]


def check_abs_url(path, what, value):
    if not isinstance(value, str) or not value.startswith(("https://", "http://")):
        err(path, f"{what} must be an absolute http(s) URL, found {value!r}")


def check_when(path, what, value, date_ok=False):
    if not isinstance(value, str):
        err(path, f"{what} is missing or not a string: {value!r}")
        return None
    if DATETIME_RE.match(value):
        try:
            return dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            err(path, f"{what} {value!r} is not a real date-time")
            return None
    if date_ok and DATE_RE.match(value):
        try:
            d = dt.date.fromisoformat(value)
        except ValueError:
            err(path, f"{what} {value!r} is not a real date")
            return None
        return dt.datetime(d.year, d.month, d.day, tzinfo=dt.timezone.utc)
    expected = "an ISO 8601 date-time with offset" + (" or a date" if date_ok else "")
    err(path, f"{what} must be {expected}, found {value!r}")
    return None


def need(path, item, key, label):
    v = item.get(key)
    if v is None or (isinstance(v, str) and not v.strip()) or v == [] or v == {}:
        err(path, f"{label}: `{key}` is missing")
        return None
    return v


def check_org(path, org, label, need_url=True):
    if not isinstance(org, dict) or "Organization" not in types_of(org):
        err(path, f"{label} must be an Organization, found {org!r}")
        return
    need(path, org, "name", label)
    for key in ("url", "sameAs", "logo"):
        if key in org:
            for u in as_list(org[key]):
                check_abs_url(path, f"{label}.{key}", u)
    if need_url and "url" not in org and "sameAs" not in org:
        err(path, f"{label}: `url` or `sameAs` is missing")


def check_job(path, j, now):
    label = "JobPosting"
    for key in ("title", "description", "datePosted", "hiringOrganization", "identifier", "url"):
        need(path, j, key, label)
    posted = check_when(path, "JobPosting.datePosted", j.get("datePosted"), date_ok=True) if "datePosted" in j else None
    if "validThrough" in j:
        through = check_when(path, "JobPosting.validThrough", j["validThrough"], date_ok=True)
        if through and posted and through < posted:
            err(path, f"JobPosting.validThrough {j['validThrough']} is before datePosted {j['datePosted']}")
        if through and now and through.date() < now:
            err(path, f"JobPosting.validThrough {j['validThrough']} is before --now {now}: the job is closed and must carry no JobPosting")
    for t in as_list(j.get("employmentType")):
        if t not in EMPLOYMENT:
            err(path, f"JobPosting.employmentType {t!r} is not one of {sorted(EMPLOYMENT)}")
    if "hiringOrganization" in j:
        check_org(path, j["hiringOrganization"], "JobPosting.hiringOrganization", need_url=False)
    remote = j.get("jobLocationType") == "TELECOMMUTE"
    locations = as_list(j.get("jobLocation"))
    if not locations and not remote:
        err(path, "JobPosting needs jobLocation (Place with PostalAddress) or jobLocationType TELECOMMUTE")
    for loc in locations:
        addr = loc.get("address") if isinstance(loc, dict) else None
        if not isinstance(loc, dict) or "Place" not in types_of(loc):
            err(path, f"JobPosting.jobLocation must be a Place, found {loc!r}")
        elif not isinstance(addr, dict) or "PostalAddress" not in types_of(addr):
            err(path, "JobPosting.jobLocation.address must be a PostalAddress")
        elif not addr.get("addressCountry"):
            err(path, "JobPosting.jobLocation.address.addressCountry is missing")
    if remote and not j.get("applicantLocationRequirements"):
        err(path, "JobPosting with TELECOMMUTE needs applicantLocationRequirements (e.g. Country JP)")
    if "jobLocationType" in j and not remote:
        err(path, f"JobPosting.jobLocationType must be TELECOMMUTE, found {j['jobLocationType']!r}")
    ident = j.get("identifier")
    if ident is not None and (not isinstance(ident, dict) or "PropertyValue" not in types_of(ident) or not ident.get("value")):
        err(path, f"JobPosting.identifier must be a PropertyValue with a value, found {ident!r}")
    if "directApply" in j and not isinstance(j["directApply"], bool):
        err(path, f"JobPosting.directApply must be true or false, found {j['directApply']!r}")
    if "baseSalary" in j:
        s = j["baseSalary"]
        v = s.get("value") if isinstance(s, dict) else None
        if not isinstance(s, dict) or "MonetaryAmount" not in types_of(s) or not s.get("currency"):
            err(path, "JobPosting.baseSalary must be a MonetaryAmount with a currency")
        elif not isinstance(v, dict) or not any(k in v for k in ("value", "minValue", "maxValue")):
            err(path, "JobPosting.baseSalary.value must be a QuantitativeValue with value or minValue/maxValue")
        else:
            lo, hi = v.get("minValue"), v.get("maxValue")
            if isinstance(lo, (int, float)) and isinstance(hi, (int, float)) and lo > hi:
                err(path, f"JobPosting.baseSalary minValue {lo} is above maxValue {hi}")
            if v.get("unitText") not in ("HOUR", "DAY", "WEEK", "MONTH", "YEAR"):
                err(path, f"JobPosting.baseSalary unitText must be HOUR, DAY, WEEK, MONTH or YEAR, found {v.get('unitText')!r}")
    if "url" in j:
        check_abs_url(path, "JobPosting.url", j["url"])


def check_event(path, e):
    label = "Event"
    for key in ("name", "startDate", "eventStatus", "eventAttendanceMode", "organizer"):
        need(path, e, key, label)
    if not e.get("location"):
        warn(path, "Event has no location (the event gives neither `venue` nor `online`); "
                   "Google's event results require one")
    start = check_when(path, "Event.startDate", e.get("startDate"), date_ok=True) if "startDate" in e else None
    if "endDate" in e:
        end = check_when(path, "Event.endDate", e["endDate"], date_ok=True)
        if start and end and end < start:
            err(path, f"Event.endDate {e['endDate']} is before startDate {e['startDate']}")
    if "eventStatus" in e and short(e["eventStatus"]) not in EVENT_STATUS:
        err(path, f"Event.eventStatus {e['eventStatus']!r} is not a schema.org EventStatusType")
    mode = short(e.get("eventAttendanceMode", ""))
    if "eventAttendanceMode" in e and mode not in ATTENDANCE:
        err(path, f"Event.eventAttendanceMode {e['eventAttendanceMode']!r} is not a schema.org EventAttendanceModeEnumeration")
    kinds = set()
    for loc in as_list(e.get("location")):
        t = types_of(loc) if isinstance(loc, dict) else set()
        if "Place" in t:
            kinds.add("Place")
            if not loc.get("name") and not loc.get("address"):
                err(path, "Event.location Place needs a name or an address")
            addr = loc.get("address")
            if isinstance(addr, dict) and "PostalAddress" not in types_of(addr):
                err(path, "Event.location.address must be a PostalAddress")
        elif "VirtualLocation" in t:
            kinds.add("VirtualLocation")
            check_abs_url(path, "Event.location VirtualLocation.url", loc.get("url"))
        else:
            err(path, f"Event.location must be a Place or VirtualLocation, found {loc!r}")
    expected = {
        "OfflineEventAttendanceMode": {"Place"},
        "OnlineEventAttendanceMode": {"VirtualLocation"},
        "MixedEventAttendanceMode": {"Place", "VirtualLocation"},
    }.get(mode)
    if expected and kinds and kinds != expected:
        err(path, f"Event.eventAttendanceMode {mode} does not match the locations given ({', '.join(sorted(kinds))})")
    if "organizer" in e:
        check_org(path, e["organizer"], "Event.organizer")
    for offer in as_list(e.get("offers")):
        if not isinstance(offer, dict) or "Offer" not in types_of(offer):
            err(path, f"Event.offers must be an Offer, found {offer!r}")
            continue
        check_abs_url(path, "Event.offers.url", offer.get("url"))
        if "price" in offer and not offer.get("priceCurrency"):
            err(path, "Event.offers has a price without priceCurrency")
    for key in ("url", "image"):
        if key in e:
            for u in as_list(e[key]):
                check_abs_url(path, f"Event.{key}", u if isinstance(u, str) else (u or {}).get("url"))


def check_article(path, a):
    label = "Article"
    for key in ("headline", "datePublished", "author", "mainEntityOfPage"):
        need(path, a, key, label)
    if "datePublished" in a:
        check_when(path, "Article.datePublished", a["datePublished"], date_ok=True)
    for author in as_list(a.get("author")):
        if not isinstance(author, dict) or not author.get("name"):
            err(path, f"Article.author needs a name, found {author!r}")
    about = a.get("about")
    if about is not None:
        for p in as_list(about):
            if isinstance(p, dict) and "Person" in types_of(p) and not p.get("name"):
                err(path, "Article.about Person needs a name")
    main = a.get("mainEntityOfPage")
    main_url = main.get("@id") if isinstance(main, dict) else main
    if main is not None:
        check_abs_url(path, "Article.mainEntityOfPage", main_url)
    for u in as_list(a.get("image")):
        check_abs_url(path, "Article.image", u if isinstance(u, str) else (u or {}).get("url"))


def language_dirs(site):
    """Top folders that hold another language's tree: `en/` whose
    `index.html` says `<html lang="en"`."""
    found = set()
    for d in os.listdir(site):
        home = os.path.join(site, d, "index.html")
        if os.path.isfile(home):
            with open(home, "rb") as f:
                head = f.read(4096).decode("utf-8", "replace")
            if re.search(r'<html[^>]*\blang="%s"' % re.escape(d), head):
                found.add(d)
    return found


def page_role(rel, langs=frozenset()):
    """Classify a page by its path relative to the site root."""
    parts = rel.split("/")
    # Another language's tree (`en/jobs/x/index.html`, SPEC "Languages"):
    # classified like the main one.
    if len(parts) > 1 and parts[0] in langs:
        parts = parts[1:]
        rel = "/".join(parts)
    if rel == "index.html":
        return "home"
    if len(parts) == 3 and parts[2] == "index.html" and parts[1] not in LIST_SEGMENTS:
        return {"jobs": "job", "events": "event", "interviews": "article", "news": "article"}.get(parts[0])
    return None


def jsonld_items(path, html):
    """All top-level JSON-LD objects (flattening @graph), and a count check
    against the raw script elements so that invalid JSON is reported."""
    try:
        doc = lxml.html.fromstring(html)
    except Exception as e:
        err(path, f"cannot parse the HTML: {e}")
        return [], None
    scripts = doc.xpath('//script[@type="application/ld+json"]')
    for s in scripts:
        try:
            json.loads(s.text or "")
        except ValueError as e:
            err(path, f"ld+json script is not valid JSON: {e}")
    try:
        data = extruct.extract(html, syntaxes=["json-ld"], uniform=False, errors="strict")
    except Exception as e:
        err(path, f"extruct cannot extract JSON-LD: {e}")
        return [], doc
    items = []
    for item in data.get("json-ld", []):
        if not isinstance(item, dict):
            err(path, f"ld+json top level must be an object, found {type(item).__name__}")
            continue
        graph = item.get("@graph")
        nodes = graph if isinstance(graph, list) else [item]
        for node in nodes:
            if not isinstance(node, dict):
                continue
            ctx = node.get("@context", item.get("@context"))
            if ctx not in SCHEMA:
                err(path, f"@context must be https://schema.org, found {ctx!r}")
            items.append(node)
    return items, doc


def main(argv):
    args = argv[1:]
    now = None
    if "--now" in args:
        i = args.index("--now")
        try:
            now = dt.date.fromisoformat(args[i + 1][:10])
        except (IndexError, ValueError):
            print("--now needs a date: --now 2026-10-01", file=sys.stderr)
            return 2
        del args[i:i + 2]
    if len(args) != 1 or args[0] in ("-h", "--help"):
        print(__doc__.strip(), file=sys.stderr)
        return 2
    site = args[0]
    if not os.path.isdir(site):
        print(f"{site}: not a directory (pass the built site, e.g. public/)", file=sys.stderr)
        return 2
    counts = {"pages": 0, "JobPosting": 0, "Event": 0, "Article": 0, "Organization": 0, "closed jobs": 0}
    home_seen = False
    langs = language_dirs(site)
    for root, dirs, names in os.walk(site):
        dirs.sort()
        for name in sorted(names):
            if not name.endswith(".html"):
                continue
            path = os.path.join(root, name)
            rel = os.path.relpath(path, site).replace(os.sep, "/")
            with open(path, "rb") as f:
                raw = f.read()
            try:
                html = raw.decode("utf-8")
            except UnicodeDecodeError as e:
                err(path, f"not valid UTF-8: {e}")
                continue
            counts["pages"] += 1
            items, doc = jsonld_items(path, html)
            by_type = {}
            for it in items:
                for t in types_of(it):
                    by_type.setdefault(t, []).append(it)
            jobs = by_type.get("JobPosting", [])
            events = by_type.get("Event", [])
            articles = [it for t in ARTICLE_TYPES for it in by_type.get(t, [])]
            orgs = by_type.get("Organization", [])
            statuses = set(doc.xpath("//article/@data-job-status")) if doc is not None else set()
            closed = "closed" in statuses
            role = page_role(rel, langs)
            if doc is not None and doc.xpath('//meta[translate(@http-equiv, "REFRESH", "refresh")="refresh"]'):
                # An alias (`aliases:`) redirect page at an old URL: noindex,
                # no structured data of its own.
                role = "redirect"

            if closed:
                counts["closed jobs"] += 1
                if jobs:
                    err(path, "shows a closed job (data-job-status=\"closed\") but carries JobPosting JSON-LD")
            if jobs and role != "job":
                err(path, f"JobPosting on a page that is not a job page ({rel})")
            if events and role not in ("event", "home"):
                # the home page may list events, but as links, not Event objects
                err(path, f"Event JSON-LD on a page that is not an event page ({rel})")
            if events and role == "home":
                err(path, "Event JSON-LD on the home page: only Organization belongs there")

            if role == "home":
                home_seen = True
                if len(orgs) != 1:
                    err(path, f"home page needs exactly one Organization, found {len(orgs)}")
                for o in orgs:
                    check_org(path, o, "Organization")
                    counts["Organization"] += 1
            elif role == "job":
                if not closed:
                    if len(jobs) != 1:
                        err(path, f"open job page needs exactly one JobPosting, found {len(jobs)} "
                                  "(a closed job's <article> must say data-job-status=\"closed\")")
                for j in jobs:
                    check_job(path, j, now)
                    counts["JobPosting"] += 1
            elif role == "event":
                if len(events) != 1:
                    err(path, f"event page needs exactly one Event, found {len(events)}")
                for e in events:
                    check_event(path, e)
                    counts["Event"] += 1
            elif role == "article":
                if len(articles) != 1:
                    err(path, f"interview/news page needs exactly one Article, found {len(articles)}")
                for a in articles:
                    check_article(path, a)
                    counts["Article"] += 1
    if not home_seen:
        err(os.path.join(site, "index.html"), "missing: no home page to check")
    for w in warnings:
        print(w, file=sys.stderr)
    for e in errors:
        print(e, file=sys.stderr)
    summary = ", ".join(f"{v} {k}" for k, v in counts.items())
    if errors:
        print(f"check_jsonld: {len(errors)} problem(s) ({summary})", file=sys.stderr)
        return 1
    print(f"check_jsonld: {summary}: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
