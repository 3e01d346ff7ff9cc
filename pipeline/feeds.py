"""config/feeds.yaml (load, validate, add/remove, OPML import/export) and feed parsing (feedparser on fetched bytes)."""

from __future__ import annotations

import calendar
import codecs
import hashlib
import html
import itertools
import json
import logging
import re
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import feedparser
import lxml.html
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from pipeline.boilerplate import strip_feed_footers
from pipeline.charsets import web_codec
from pipeline.configfiles import describe_validation_error, dump_yaml, read_yaml, shown_value
from pipeline.errors import ConfigError
from pipeline.hidden import drop_hidden
from pipeline.models import Feed, FeedItem, too_long_for_a_name
from pipeline.pagetime import site_zone
from pipeline.settings import Settings, get_settings
from pipeline.sinks import for_xml, mask_url, single_line, without_invisible_ends
from pipeline.urls import (article_id, browser_join, normalize_url, resolve_redirect_link, resolved_link,
                           without_credentials)

log = logging.getLogger(__name__)

FUTURE_TOLERANCE = timedelta(days=2)
EARLIEST_DATE = datetime(1990, 1, 1, tzinfo=timezone.utc)  # before the web press: a parsing error or a placeholder


# UTC offsets in use run from -12:00 to +14:00 (Kiribati). feedparser reads any two digits (`+9999` as 99 h 99 min, a
# date four days early) and Python any offset under 24 h: a date stated with an offset past this has no instant.
MAX_UTC_OFFSET = timedelta(hours=14)
_STATED_OFFSET = re.compile(r":\d\d(?:[.,]\d+)?\s*([+-])(\d\d):?(\d\d)\s*$")  # after a clock: not a day's `-2026`


def impossible_offset(value: object) -> bool:
    """Whether a stated time ends with a UTC offset past ±14:00 or of 60 minutes or more (`+9999`, `-24:00`)."""
    match = _STATED_OFFSET.search(value) if isinstance(value, str) else None
    if match is None:
        return False
    hours, minutes = int(match.group(2)), int(match.group(3))
    return minutes > 59 or timedelta(hours=hours, minutes=minutes) > MAX_UTC_OFFSET


# feedparser's ISO 8601 reader passes what cannot exist through mktime, which carries it over: « 2026-02-31 » became
# 3 March, « 2025-13-45 » 1 January 2026, « 2026-11-00 » 31 October, « 25:61 » 02:01 the next day.
_STATED_ISO_DAY = re.compile(r"\s*(\d{4})-?(\d\d)-?(\d\d)(?:[Tt ](\d\d):?(\d\d)(?::?(\d\d))?)?")
# ISO 8601's ordinal (`2026-339`) and week (`2026-W49-3`) dates, which feedparser misreads: the day of the year as a
# month (`2026-045` became 1 April, `2026-400` 1 December) and a week as the first of the current month, time lost
_STATED_ORDINAL_OR_WEEK = re.compile(
    r"\s*(?P<date>(?P<year>\d{4})-?(?:(?P<ordinal>\d{3})|[Ww](?P<week>\d\d)(?:-?(?P<weekday>\d))?))(?!\d)"
    r"(?:[Tt ](\d\d):?(\d\d)(?::?(\d\d))?)?")


def _ordinal_or_week_day(match: re.Match) -> date | None:
    """The day an ordinal or week date names, or None when it names none that exists (day 400, week 54, weekday 8)
    or no day at all (`2026-W49`, a week)."""
    year = int(match["year"])
    try:
        if match["ordinal"]:
            number = int(match["ordinal"])
            return date(year, 1, 1) + timedelta(days=number - 1) if 1 <= number <= 365 + calendar.isleap(year) else None
        return date.fromisocalendar(year, int(match["week"]), int(match["weekday"])) if match["weekday"] else None
    except ValueError:  # year 0
        return None


def in_calendar_form(value: str) -> str | None:
    """`value` with its ISO ordinal or week date written as the calendar day it names (`2026-W49-3T10:00Z` →
    `2026-12-02T10:00Z`), for a reader that knows only that form; None when it states no such date."""
    match = _STATED_ORDINAL_OR_WEEK.match(value)
    day = _ordinal_or_week_day(match) if match else None
    return None if day is None else value[:match.start("date")] + day.isoformat() + value[match.end("date"):]


def impossible_day(value: object) -> bool:
    """Whether a stated time names a day or a clock time that does not exist (30 February, month 13, 25:61, day 400
    of a year, week 54), or a week without its day (`2026-W49`), in ISO 8601 or as RFC 822 and French feeds write it
    (« mar., 31 févr. 2026 10:30:00 +0100 », see `_loose_date`)."""
    if not isinstance(value, str):
        return False
    if match := _STATED_ORDINAL_OR_WEEK.match(value):
        if (named := _ordinal_or_week_day(match)) is None:
            return True
        year, month, day = named.year, named.month, named.day
        hour, minute, second = (int(part or 0) for part in match.groups()[-3:])
    elif match := _STATED_ISO_DAY.match(value):
        year, month, day, hour, minute, second = (int(part or 0) for part in match.groups())
    elif (match := _LOOSE_DATE.match(value)) and (month := _MONTHS.get(match.group(3).casefold())):
        year, day, hour, minute, second = (int(match.group(k) or 0) for k in (4, 2, 5, 6, 7))
    else:
        return False
    try:
        datetime(year, month, day)
    except ValueError:
        return True
    return hour > 24 or minute > 59 or second > 60 or (hour == 24 and minute + second > 0)


def plausible_date(value: datetime | None, now: datetime, what: str = "date") -> datetime | None:
    """`value` unless it is before 1990 or more than 2 days after `now` (year 1, 1900, a clock off by a year): such a
    date is treated as unknown, with a note in the log, so the next source (feed date, then fetch time) is used."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    if EARLIEST_DATE <= value <= now + FUTURE_TOLERANCE:
        return value
    log.info("implausible %s %s ignored (kept only between 1990 and 2 days from now)", what, value.isoformat())
    return None


class FeedsFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    feeds: list[Feed] = Field(default_factory=list)


# --------------------------------------------------------------------------------------------- config file


def _validate(path: Path, data: Any) -> list[Feed]:
    if data is None:
        data = {}
    if isinstance(data, list):  # a bare list of feeds is accepted too
        data = {"feeds": data}
    try:
        feeds = FeedsFile.model_validate(data).feeds
    except ValidationError as exc:
        raise ConfigError(describe_validation_error(path, exc, data, list_key="feeds", model=FeedsFile)) from None
    names: dict[str, int] = {}
    urls: dict[str, int] = {}
    for index, feed in enumerate(feeds):
        entry = f"entry #{index + 1} ({feed.name!r})"
        key = feed.name.strip().casefold()
        if key in names:
            raise ConfigError(f"Invalid config: {path}: {entry}, field 'name': duplicate of entry #{names[key] + 1}.")
        names[key] = index
        url = normalize_url(str(feed.url))
        if url in urls:
            raise ConfigError(
                f"Invalid config: {path}: {entry}, field 'url': {feed.url} is already used by entry #{urls[url] + 1}."
            )
        urls[url] = index
    return feeds


def _opml_given(path: Path) -> ConfigError | None:
    """The sentence for an OPML file given as the feeds file (`--feeds subscriptions.opml`), else None."""
    try:
        with path.open("rb") as fh:
            head = fh.read(2048).lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    except OSError:
        return None
    if head.startswith(b"<") and b"<opml" in head:
        return ConfigError(f"Invalid config: {path} is an OPML file, not a feeds file (YAML): import its feeds with "
                           f"`newsroom feeds import-opml {path}`.")
    return None


def _read_feeds_yaml(path: Path) -> Any:
    """The YAML of a feeds file: a mapping, a list or nothing; an OPML file or a lone value is one sentence."""
    try:
        data = read_yaml(path)
    except ConfigError as exc:
        raise (_opml_given(path) or exc) from None
    if not isinstance(data, (dict, list, type(None))):
        raise (_opml_given(path) or ConfigError(f"Invalid config: {path} holds a single value, not a `feeds:` list: "
                                                "is this the feeds file?")) from None
    return data


def load_feeds(path: Path | None = None, settings: Settings | None = None) -> list[Feed]:
    """Validated feeds of `path` (default: settings.feeds_path); ConfigError names the file, entry and field."""
    path = Path(path) if path else (settings or get_settings()).feeds_path
    return _validate(path, _read_feeds_yaml(path))


def require_enabled(path: Path, feeds: list[Feed]) -> list[Feed]:
    """`feeds` when at least one is enabled; else a ConfigError sentence naming `path`: an empty or truncated feeds
    file (a failed copy, `feeds remove` on every feed) would otherwise make a green run that monitors nothing."""
    if any(feed.enabled for feed in feeds):
        return feeds
    if not feeds:
        raise ConfigError(f"{path} lists no feed: nothing would be monitored; add one with `newsroom feeds add` or "
                          "`newsroom feeds import-opml`.")
    raise ConfigError(f"{path}: every feed ({len(feeds)}) is disabled (`enabled: false`): nothing would be "
                      "monitored; enable at least one.")


def load_enabled_feeds(path: Path | None = None, settings: Settings | None = None) -> list[Feed]:
    """`load_feeds`, refusing a file with no enabled feed (what `ingest`, `fetch`, `feeds validate` and the Airflow
    run read)."""
    path = Path(path) if path else (settings or get_settings()).feeds_path
    return require_enabled(path, load_feeds(path, settings))


def _read_raw(path: Path) -> dict:
    if not path.exists():
        return {"feeds": []}
    data = _read_feeds_yaml(path) or {}
    if isinstance(data, list):
        data = {"feeds": data}
    data.setdefault("feeds", [])
    if data["feeds"] is None:
        data["feeds"] = []
    return data


def _feed_to_dict(feed: Feed) -> dict:
    out: dict[str, Any] = {"name": feed.name, "url": str(feed.url), "lang": feed.lang, "tags": list(feed.tags)}
    if feed.relevance != "all":
        out["relevance"] = feed.relevance
    if feed.headers:
        out["headers"] = dict(feed.headers)
    if not feed.enabled:
        out["enabled"] = False
    return out


def _write(path: Path, data: dict) -> list[Feed]:
    """Validate the whole file content before writing it, so a bad add never corrupts the file."""
    feeds = _validate(path, data)
    path.parent.mkdir(parents=True, exist_ok=True)
    dump_yaml(path, data)
    return feeds


def add_feed(path: Path, name: str, url: str, lang: str, tags: list[str] | None = None, relevance: str = "all") -> Feed:
    data = _read_raw(path)
    # typed in any case on the command line (`--lang FR`, `--relevance Filter`); the file keeps the canonical spelling
    lang, relevance = lang.strip().lower(), relevance.strip().lower()
    entry = {"name": name, "url": url, "lang": lang, "tags": tags or []}
    if relevance != "all":
        entry["relevance"] = relevance
    data["feeds"].append(entry)
    return _write(path, data)[-1]


def remove_feed(path: Path, name_or_url: str) -> Feed:
    data = _read_raw(path)
    feeds = _validate(path, data)
    target = name_or_url.strip()
    for index, feed in enumerate(feeds):
        if feed.name.casefold() == target.casefold() or (
            target.startswith(("http://", "https://")) and normalize_url(str(feed.url)) == normalize_url(target)
        ):
            del data["feeds"][index]
            _write(path, data)
            return feed
    raise ConfigError(f"{path}: no feed named or located at {shown_value(name_or_url)}.")


# --------------------------------------------------------------------------------------------- OPML


def _slug(text: str) -> str:
    return re.sub(r"[^\w]+", "-", text.strip().lower()).strip("-")


# Tags an OPML entry takes from its categories and parent folders. Every folder level was a tag and was copied for each
# level below: a folder nested 1,000 deep (a 100 KB file) gave each of its feeds up to 1,000 tags, took 8 s to import
# (quadratic) and wrote a 4.5 MB feeds.yaml that every run then reads.
MAX_OPML_TAGS = 20


def read_opml(source: bytes | str, default_lang: str | None = None, origin: str = "OPML") -> list[dict]:
    """Feed entries (as feeds.yaml dicts) of an OPML document; categories and parent folders (the outermost first, at
    most MAX_OPML_TAGS in all) become tags."""
    try:
        root = ET.fromstring(source.encode("utf-8") if isinstance(source, str) else source)
    except ET.ParseError as exc:
        raise ConfigError(f"{origin} is not valid OPML/XML: {exc}.") from None
    body = root.find("body")
    if root.tag != "opml" or body is None:
        raise ConfigError(f"{origin} is not an OPML document (no <opml><body>).")
    entries: list[dict] = []
    # depth first, in document order, without recursion (a hostile OPML nests outlines thousands deep)
    todo: list[tuple[ET.Element, list[str]]] = [(outline, []) for outline in reversed(body.findall("outline"))]
    while todo:
        outline, folders = todo.pop()
        url = outline.get("xmlUrl") or outline.get("xmlurl")
        label = (outline.get("title") or outline.get("text") or "").strip()
        inner = folders if url or not label or len(folders) > MAX_OPML_TAGS else folders + [label]
        todo.extend((child, inner) for child in reversed(outline.findall("outline")))
        if not url:
            continue
        lang = (outline.get("language") or outline.get("lang") or default_lang or "").lower()[:2]
        if not lang:
            raise ConfigError(f"{origin}: feed {shown_value(label or url)} has no language attribute; "
                              "pass --lang to choose one.")
        tags = [_slug(t) for t in re.split(r"[,/]", outline.get("category", "")) if t.strip()]
        tags = list(dict.fromkeys(tags + [_slug(f) for f in folders]))
        if len(tags) > MAX_OPML_TAGS:
            log.warning("%s: feed %s: more than %d tags from its categories and folders, the first %d kept", origin,
                        shown_value(label or url), MAX_OPML_TAGS, MAX_OPML_TAGS)
        entry: dict[str, Any] = {"name": label or url, "url": url.strip(), "lang": lang, "tags": tags[:MAX_OPML_TAGS]}
        if outline.get("relevance") in ("all", "filter"):
            entry["relevance"] = outline.get("relevance")
        entries.append(entry)
    return entries


def import_opml(path: Path, opml: bytes | str, default_lang: str | None = None, origin: str = "OPML") -> tuple[list[Feed], list[str]]:
    """Merge an OPML file into feeds.yaml: new URLs are appended, known URLs skipped. Returns (added, skipped)."""
    data = _read_raw(path)
    existing = _validate(path, data)
    known_urls = {normalize_url(str(f.url)) for f in existing}
    known_names = {f.name.casefold() for f in existing}
    added_names: list[str] = []
    skipped: list[str] = []
    next_number: dict[str, int] = {}  # casefolded name → the next number to try after it
    entries = read_opml(opml, default_lang, origin)
    try:  # errors name the OPML file and its own entries, not entries of feeds.yaml that do not exist yet
        cleaned = FeedsFile.model_validate({"feeds": entries}).feeds
    except ValidationError as exc:
        raise ConfigError(describe_validation_error(Path(origin), exc, {"feeds": entries}, list_key="feeds",
                                                    model=FeedsFile)) from None
    for entry, feed in zip(entries, cleaned, strict=True):
        entry["name"] = feed.name  # one line, no control character, bounded: as the file will be read back
        try:
            url = normalize_url(entry["url"])
        except ValueError:
            url = entry["url"]
        if url in known_urls:
            skipped.append(entry["name"])
            continue
        name = entry["name"]
        if name.casefold() in known_names:  # « News (2) », « News (3) »…, each number tried once per import:
            n = next_number.get(name.casefold(), 2)  # counting from 2 for every entry made 20,000 outlines named
            while f"{name} ({n})".casefold() in known_names:  # "News" cost 200 million look-ups (2 minutes)
                n += 1
            next_number[name.casefold()] = n + 1
            name = f"{name} ({n})"
        entry["name"] = name
        known_urls.add(url)
        known_names.add(name.casefold())
        data["feeds"].append(entry)
        added_names.append(name)
    feeds = _write(path, data) if added_names else existing
    return feeds[len(existing):], skipped


def export_opml(feeds: list[Feed], title: str = "newsroom feeds") -> str:
    """OPML 2.0; per-feed headers are left out (they may hold credentials)."""
    root = ET.Element("opml", version="2.0")
    head = ET.SubElement(root, "head")
    ET.SubElement(head, "title").text = title
    ET.SubElement(head, "dateCreated").text = datetime.now(timezone.utc).strftime("%a, %d %b %Y %H:%M:%S GMT")
    body = ET.SubElement(root, "body")
    for feed in feeds:
        name = for_xml(feed.name)
        attrs = {"type": "rss", "text": name, "title": name, "xmlUrl": str(feed.url), "language": feed.lang}
        if feed.tags:
            attrs["category"] = for_xml(",".join(feed.tags))
        if feed.relevance != "all":
            attrs["relevance"] = feed.relevance
        ET.SubElement(body, "outline", attrs)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


# --------------------------------------------------------------------------------------------- parsing


@dataclass
class ParsedFeed:
    items: list[FeedItem] = field(default_factory=list)
    entries: int = 0
    bozo: str | None = None  # what feedparser complained about, when the feed is malformed
    skipped: Counter = field(default_factory=Counter)
    title: str | None = None
    implausible_dates: list[str] = field(default_factory=list)  # items whose date was dropped (before 1990, future)
    not_a_feed: bool = False  # a web page or a JSON Feed: reading it again next run cannot help
    refused: str | None = None  # a shape that makes parsers slow (`feed_shape_problem`): not parsed at all
    skipped_titles: dict[str, list[str]] = field(default_factory=dict)  # reason → the first titles skipped for it
    uncategorised: list[str] = field(default_factory=list)  # items read without their thousands of categories


_BLOCKS = {"p", "div", "br", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre",
           "table", "tr", "section", "article", "header", "footer", "aside", "figure", "figcaption", "hr"}
_BREAK = "\u2029"  # Unicode paragraph separator
# Elements whose text no browser shows: a feed's HTML (sanitize_html is off) or Atom xhtml content holding a script or
# a style gave « alert('x')p{color:red} » as the stored story's opening words (hostile input, seventeenth round)
_UNSHOWN = ("script", "style", "template", "iframe")


# C0 controls but tab, LF and CR (XML cannot hold them: one made lxml refuse the whole summary), and DEL; vertical
# tab and form feed (Word pastes) are spaces
_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_CONTROL_SPACES = re.compile(r"[\x0b\x0c]")


_LEFT_ENTITY = re.compile(r"&(?:[a-zA-Z]{2,8}|#\d{2,7}|#[xX][0-9a-fA-F]{2,6});")
MAX_EXTRA_ESCAPES = 3  # a site's escapes stacked on each other: more than this is no headline's doing


def entities_decoded(text: str | None) -> str | None:
    """A title or description escaped twice or more by the site (`&amp;amp;`, `l&amp;amp;#8217;alliance`: an SEO
    plugin's or a feed generator's habit, sometimes stacked) still holds entity codes once parsed: no headline means
    them literally. Decoded until none is left, at most MAX_EXTRA_ESCAPES times (once only, a title escaped three
    times was stored and mailed as « Nvidia &amp; Mistral AI : l&#8217;alliance »)."""
    for _ in range(MAX_EXTRA_ESCAPES):
        if not text or not _LEFT_ENTITY.search(text):
            break
        text = html.unescape(text)
    return text


def html_to_text(fragment: str | None, *, drop_unshown: bool = False, plain: bool = False) -> str:
    """Plain text of an HTML fragment (feed summaries are HTML): one line per block (`text_content()` alone glues
    « …iséroise.</p><p>Lire la suite » into one word), without the footers feeds append (« Lire la suite », "The post
    X appeared first on Y."), without control characters. `drop_unshown` (a summary or content): without the text of
    scripts, styles, templates and frames, nor what a style hides (`hidden.drop_hidden`). `plain`: text that only looks like markup, its `<script>` words."""
    if not fragment:
        return ""
    fragment = _CONTROLS.sub("", _CONTROL_SPACES.sub(" ", fragment))
    if plain or ("<" not in fragment and "&" not in fragment):
        return strip_feed_footers(" ".join(fragment.split()))
    try:
        root = lxml.html.fromstring(f"<div>{fragment}</div>")
        if drop_unshown:
            drop_hidden(root)  # a summary's invisible words named a company (hostile input, twentieth round)
            lxml.etree.strip_elements(root, *_UNSHOWN, with_tail=False)
        for element in root.iter(*_BLOCKS):  # a mark, not "\n": the source's own line breaks are mere spaces
            element.text = _BREAK + (element.text or "")
            element.tail = _BREAK + (element.tail or "")
        text = root.text_content()
    except Exception:  # noqa: BLE001 - lxml raises on empty/odd fragments; fall back to a crude strip
        text = html.unescape(re.sub(r"<[^>]+>", " ", fragment))
    return strip_feed_footers("\n".join(" ".join(line.split()) for line in text.split(_BREAK)))


def _links_in(fragment: str | None) -> list[str]:
    return re.findall(r'href=["\'](https?://[^"\']+)["\']', fragment or "")


_MONTHS = {
    **dict.fromkeys(["janvier", "janv", "jan", "january"], 1), **dict.fromkeys(["février", "fevrier", "févr", "fevr",
    "fév", "fev", "feb", "february"], 2), **dict.fromkeys(["mars", "mar", "march"], 3),
    **dict.fromkeys(["avril", "avr", "apr", "april"], 4), **dict.fromkeys(["mai", "may"], 5),
    **dict.fromkeys(["juin", "jun", "june"], 6), **dict.fromkeys(["juillet", "juil", "jul", "july"], 7),
    **dict.fromkeys(["août", "aout", "aug", "august"], 8), **dict.fromkeys(["septembre", "sept", "sep", "september"], 9),
    **dict.fromkeys(["octobre", "oct", "october"], 10), **dict.fromkeys(["novembre", "nov", "november"], 11),
    **dict.fromkeys(["décembre", "decembre", "déc", "dec", "december"], 12)}
_ENGLISH_MONTHS = {"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"}
_ENGLISH_WEEKDAYS = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"}
# European zone names feedparser does not know (it reads "CET" as UTC), in minutes east of UTC
_ZONES = {"cet": 60, "cest": 120, "met": 60, "mest": 120, "wet": 0, "west": 60, "eet": 120, "eest": 180, "bst": 60}
_LOOSE_DATE = re.compile(
    r"^\s*(?:([^\W\d_]+)\.?,?\s+)?(\d{1,2})(?:er)?\s+([^\W\d_]+)\.?,?\s+(\d{4})"
    r"(?:(?:\s+|,\s*|\s+à\s+|T)(\d{1,2})[:h](\d{2})(?::(\d{2}))?)?\s*([A-Za-z]{2,5}|[+-]\d{2}:?\d{2})?\s*$")


def _loose_date(value: str):
    """Feed dates feedparser drops or misreads: French month names (« mar., 02 déc. 2026 10:30:00 +0100 »), European
    zone names ("CEST", read as UTC otherwise) and RFC 822 dates without a zone (taken as UTC). Returns UTC as the
    9-tuple feedparser's date handlers give, or None to leave the value to feedparser's own parsers."""
    match = _LOOSE_DATE.match(value or "")
    if not match:
        return None
    weekday, day, month_name, year, hour, minute, second, zone = match.groups()
    month = _MONTHS.get(month_name.casefold())
    if month is None:
        return None
    zone_key = (zone or "").casefold()
    english = month_name.casefold()[:3] in _ENGLISH_MONTHS and (weekday is None
                                                                or weekday.casefold()[:3] in _ENGLISH_WEEKDAYS)
    if english and zone and zone_key not in _ZONES:
        # an English date with a zone feedparser knows: its own parser is right (a French weekday, « lun., 30 nov. »,
        # is not: feedparser then dropped the date silently)
        return None
    if zone and zone_key not in _ZONES and not zone[:1] in "+-":
        return None
    offset = _ZONES.get(zone_key, 0)
    if zone and zone[:1] in "+-":
        digits = zone[1:].replace(":", "")
        offset = (int(digits[:2]) * 60 + int(digits[2:])) * (1 if zone[0] == "+" else -1)
    try:
        local = datetime(int(year), month, int(day), int(hour or 0), int(minute or 0), int(second or 0))
    except ValueError:
        return None
    return (local - timedelta(minutes=offset)).timetuple()


feedparser.registerDateHandler(_loose_date)


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def item_version(stamp: datetime | None, title: str | None, feed_url: str) -> str:
    """What says a publisher updated an item in its feed: "<feed digest>|<Atom updated, else RSS pubDate, ISO>|<title
    digest>". Stored with the article; see `item_updated`."""
    title_key = " ".join((title or "").split()).casefold()
    return f"{_digest(feed_url)}|{stamp.isoformat() if stamp else ''}|{_digest(title_key)}"


def item_updated(stored: str | None, now: str | None) -> bool:
    """Whether an item changed in its feed since its article was stored: another title, or a later date (both known).
    Only the feed the article was stored from counts (the same story in another feed, under another title, is not an
    update); an article stored without a version, or a date that went unknown (a feed stamping every item alike), is
    not updated."""
    versions = _same_feed_versions(stored, now)
    if versions is None:
        return False
    (_, old_date, old_title), (_, new_date, new_title) = versions
    return old_title != new_title or bool(old_date and new_date and new_date > old_date)


def another_story(stored: str | None, now: str | None, published: datetime | None = None,
                  headlines_alike: bool | None = None) -> bool:
    """Whether an item listed under a stored story's GUID is another story: its title and its date (both known) are
    not the stored one's. A renamed link keeps one of them; a feed that reuses GUIDs (`1`, `2`…) changes both. An
    item `published` no later than the stored version's date is that story edited, not a new one: Arc and other
    Atom feeds rewrite a headline and its slug and move `<updated>`, while `<published>` stays (it was stored as a
    second article of the same story). Otherwise another title sharing few of the stored headline's words
    (`headlines_alike` False: collect.headlines_alike) is another story whatever the dates: a feed reusing its GUIDs
    within one day (or without dates) listed it under the stored story's date, and it was counted known, never
    fetched (hostile input, seventeenth round); an edited headline keeps most of its words."""
    versions = _same_feed_versions(stored, now)
    if versions is None:
        return False
    (_, old_date, old_title), (_, new_date, new_title) = versions
    order = None  # -1, 0 or 1: the item's publication before, at or after the stored version's date
    if published is not None and old_date:
        try:
            stored_date = datetime.fromisoformat(old_date)
            order = (published > stored_date) - (published < stored_date)
        except (ValueError, TypeError):  # a malformed stored date: the titles and dates decide, as before
            pass
    if order == -1:  # published before the stored version: Arc's edit of the story
        return False
    if old_title != new_title and headlines_alike is False:
        return True
    if order == 0:
        return False
    return bool(old_date and new_date) and old_date != new_date and old_title != new_title


def _same_feed_versions(stored: str | None, now: str | None) -> tuple[list[str], list[str]] | None:
    """The two versions' parts (feed, date, title digests), or None when either is malformed or another feed's."""
    old, new = (stored or "").split("|"), (now or "").split("|")
    if len(old) != 3 or len(new) != 3 or old[0] != new[0]:
        return None
    return old, new


def _entry_stamp(entry: Any) -> datetime | None:
    """The item's last-change time: Atom <updated>, else its publication date (RSS pubDate)."""
    return _first_time(entry, ("updated_parsed", "published_parsed"))


def _entry_date(entry: Any, rejected: list[str] | None = None) -> datetime | None:
    return _first_time(entry, ("published_parsed", "updated_parsed", "created_parsed"), rejected)


_ZONED = re.compile(r"(?:[+-]\d{2}:?\d{2}|[A-Za-z]{1,5})\s*$")  # "+0100", "+01:00", "GMT", "CET", "Z"
_CLOCK = re.compile(r"\d{1,2}:\d{2}")


def _in_feed_zone(entry: Any, published: datetime | None, feed: Feed) -> datetime | None:
    """`published` read in the site's local time when the feed wrote it without a zone: old CMSs (SPIP, hand-made
    feeds) write « Thu, 03 Dec 2026 09:30:00 » or `2026-12-03T09:30:00` in Paris time, which feedparser reads as UTC
    (an hour or two late, and that time won over a page giving only the day). The zone is the one a page's shown
    time is read in (`pagetime.site_zone`: the address's country, else the feed's language); none known, UTC stays."""
    if published is None:
        return None
    raw = next((entry.get(key) for key in ("published", "updated", "created") if entry.get(f"{key}_parsed")), None)
    if not isinstance(raw, str) or not _CLOCK.search(raw) or _ZONED.search(raw.strip()):
        return published
    zone = site_zone(str(feed.url), feed.lang or "")
    if zone is None:
        return published
    return published.replace(tzinfo=zone).astimezone(timezone.utc)


_STATED_YEAR = re.compile(r"(?<!\d)(\d{4})(?!\d)")


def _unreadable_far_dates(entry: Any, now: datetime) -> list[str]:
    """The item's stated dates feedparser could not read whose year is far outside the plausible span: "31 Dec 9999
    23:00 -1400" is past year 9999 in UTC, so feedparser drops it (its overflow error swallowed); or whose day or time
    does not exist (« mar., 31 févr. 2026 », `impossible_day`). Other formats it cannot read (« 5 déc. 2026 ») are
    left to the page's date without a word, as before."""
    out = []
    for key in ("published", "updated", "created"):
        stated = entry.get(key)
        if isinstance(stated, str) and not entry.get(f"{key}_parsed"):
            years = [int(y) for y in _STATED_YEAR.findall(stated[:200])]
            if impossible_day(stated) or (years and all(y < EARLIEST_DATE.year or y > now.year + 1 for y in years)):
                out.append(stated)
    return out


def _first_time(entry: Any, keys: tuple[str, ...], rejected: list[str] | None = None) -> datetime | None:
    """The first of feedparser's parsed times under `keys` that is a valid date, in UTC. One whose stated offset is
    past ±14 h (`impossible_offset`) or whose day or clock time does not exist (`impossible_day`: feedparser carried
    it over to another day) is none, and its text is added to `rejected`."""
    for key in keys:
        parsed = entry.get(key)
        if parsed:
            stated = entry.get(key.removesuffix("_parsed"))
            if impossible_offset(stated) or impossible_day(stated):
                if rejected is not None:
                    rejected.append(stated)
                continue
            if isinstance(stated, str) and (written := in_calendar_form(stated)):
                try:  # an ordinal or week date, which feedparser misreads: Python reads its calendar form
                    read = datetime.fromisoformat(written.strip())
                    return read.astimezone(timezone.utc) if read.tzinfo else read.replace(tzinfo=timezone.utc)
                except ValueError:  # another clock or zone notation: no date rather than feedparser's wrong one
                    if rejected is not None:
                        rejected.append(stated)
                    continue
            try:
                return datetime.fromtimestamp(calendar.timegm(parsed), tz=timezone.utc)
            except (OverflowError, ValueError, TypeError):
                continue
    return None


def _entry_link(entry: Any, base: str, feed_url: str | None = None) -> str | None:
    """The item's page: its <link> (resolved against the feed's URL), else its GUID when that is a web address. A
    GUID feedparser made the link (RSS `<guid>` without `<link>`, an enclosure-only podcast item) is never resolved
    against the feed's URL: `podcast-1` or a UUID is an id, not a page of the feed's site. A FeedBurner item's
    `<feedburner:origLink>` is the publisher's page: its `<link>` goes through feedproxy.google.com, which no longer
    redirects (the story fell back to its summary, and was a second article beside the publisher's own feed's)."""
    link = entry.get("link")
    alternates = any(c.get("rel", "alternate") == "alternate" and c.get("href") for c in entry.get("links") or [])
    if link and entry.get("guidislink") and link == entry.get("id") and not alternates:
        link = None  # taken from the GUID: kept below only when it is an http(s) URL
    original = entry.get("feedburner_origlink")
    if isinstance(original, str) and original.strip().lower().startswith(("http://", "https://")):
        link = original
    if not link:
        for candidate in entry.get("links") or []:
            if candidate.get("rel", "alternate") == "alternate" and candidate.get("href"):
                link = candidate["href"]
                break
    if not link:
        guid = entry.get("id") or ""
        if guid.startswith(("http://", "https://")) and entry.get("guidislink", True):
            link = guid
    if not link:
        return None
    try:
        # `http://` alone raises: resolving it would yield the feed's own URL
        link = browser_join(base, without_invisible_ends(link))
        if not urlsplit(link).hostname:
            return None
    except ValueError:  # e.g. an unbalanced `[` in the host
        return None
    if not link.startswith(("http://", "https://")):
        return None
    # feedparser resolves a host-less link (`http://`) against the feed's URL itself: an item pointing at its own
    # feed is never an article (and the feed URL may carry credentials)
    if _names_the_feed(link, (base, feed_url)):
        return None
    return link


def _names_the_feed(link: str, feed_urls: tuple[str | None, ...]) -> bool:
    """Whether `link` is one of `feed_urls` (the feed's configured and fetched URLs) as an article's identity reads
    it. Compared as written, a feed configured with `user:password@` or fetched after a redirect kept an item linking
    back to it, without the credentials or under the configured URL: stored as an article, the feed's summary under
    the feed's URL and `?token=` (hostile input, twenty-second round)."""
    try:
        identity = _identity(link)
        return any(url and identity == _identity(url) for url in feed_urls)
    except ValueError:
        return False


@lru_cache(maxsize=64)
def _identity(url: str) -> str:
    """A URL as an article's identity reads it, without credentials (cached: a feed's own URLs, once per item)."""
    return without_credentials(normalize_url(url))


_EMAIL = re.compile(r"<?[\w.+-]+@[\w-]+(?:\.[\w-]+)+>?")


def _entry_authors(entry: Any, publisher_names: tuple[str | None, ...] = (), feed_authors: list | None = None
                   ) -> list[str]:
    """Names of the item's authors, cleaned as page bylines are ("Par A et B" → A, B). An RSS <author> is an e-mail
    address, maybe with the name in brackets: it is read raw, since feedparser cuts addresses with a long TLD
    (`desk@news.media (Anne Roy)` gives the name "a (Anne Roy"); a bare address names nobody. The feed's own name
    as author ("The Tech Ledger" on every item) names nobody either: the page's byline is used instead. An Atom
    entry without an author has its feed's (`feed_authors`, RFC 4287 4.2.1: a one-person blog names its author once)."""
    from pipeline.budget import MAX_PEOPLE
    from pipeline.extract import clean_authors, without_publisher  # extract imports this module

    if not entry.get("author") and not entry.get("authors") and feed_authors:
        entry = {"authors": feed_authors}
    raw = entry.get("author") or ""
    if "@" in raw and len(entry.get("authors") or []) <= 1:  # several <author>s are Atom's: their names are sound
        values = [re.sub(r"^\s*\((.*)\)\s*$", r"\1", _EMAIL.sub(" ", raw))]
    else:
        values = [a.get("name") for a in entry.get("authors") or [] if a.get("name")] or [raw]
    # an author value over TITLE_CHARS names nobody: a 1 MB <dc:creator> of comma-separated names cost 1.8 s of CPU
    # an item to split and clean, and gave it hundreds of "authors" (hostile input, sixteenth round)
    values = [value for value in values if isinstance(value, str) and not too_long_for_a_name(value)]
    if len(values) > MAX_PEOPLE:
        # as on pages: an Atom entry of 2,000 <author>s cost 0.24 s of CPU to clean and stored 2,000 "authors" (a feed
        # of 50 such entries ran 10 s; hostile input, sixteenth round); the first MAX_PEOPLE are read
        log.info("item %r names %s authors (more than %d: the first %d are read)",
                 single_line(html_to_text(entry.get("title")), 80), f"{len(values):,}", MAX_PEOPLE, MAX_PEOPLE)
        values = values[:MAX_PEOPLE]
    values = without_publisher(values, *publisher_names)  # whole: "Packets & Policy" before "&" parts it in two
    return without_publisher(list(dict.fromkeys(name for value in values for name in clean_authors(value))),
                             *publisher_names)[:MAX_PEOPLE]


# feedparser flags these although the feed parsed fine: not worth a "malformed" warning
_BENIGN_BOZO = ("CharacterEncodingOverride", "NonXMLContentType")


_XML_ENCODING = re.compile(rb"""^(\xef\xbb\xbf)?(<\?xml[^>\n]*?encoding\s*=\s*["'])([^"'>]*)(["'])""")


def _drop_foreign_charsets(body: bytes, content_type: str | None, feed: Feed) -> tuple[bytes, str | None]:
    """The body and Content-Type without a charset label that is not a web encoding ('undefined', 'punycode'…).

    feedparser decodes with whatever label `codecs.lookup` knows, and such codecs raise a bare UnicodeError that it
    does not catch; with the label gone it tries UTF-8, then windows-1252, as a browser would.
    """
    if content_type and ";" in content_type:
        kept = []
        for part in content_type.split(";"):
            key, _, value = part.partition("=")
            if key.strip().lower() == "charset" and web_codec(value) is None:
                log.info("feed %s: charset %r of the HTTP header is not a web encoding: ignored", feed.name, value[:40])
                continue
            kept.append(part)
        content_type = ";".join(kept)
    match = _XML_ENCODING.match(body[:1024])
    if match and web_codec(match.group(3).decode("ascii", "replace")) is None:
        log.info("feed %s: encoding %r of the XML declaration is not a web encoding: ignored", feed.name,
                 match.group(3)[:40].decode("ascii", "replace"))
        body = body[: match.start(3)] + b"utf-8" + body[match.end(3):]
    return body, content_type


# One well-formed multi-byte UTF-8 sequence (no surrogates, nothing above U+10FFFF).
_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}"
                            rb"|\xed[\x80-\x9f][\x80-\xbf]|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}"
                            rb"|\xf4[\x80-\x8f][\x80-\xbf]{2}")
# 7-bit ISO-2022-JP is valid UTF-8 bytes and other text. A UTF-16 label is not listed: UTF-16 XML holds NUL bytes in
# its first characters (`<` is `<\x00`), which are left alone below, so a body without them is not UTF-16 whatever
# its label says (a UTF-8 feed served as `charset=utf-16` was lost whole: hostile input, sixteenth round)
_NOT_ASCII_BASED = frozenset({"iso2022_jp"})
_NUMERIC_REFERENCE = re.compile(rb"&#(?:[xX]([0-9a-fA-F]+)|([0-9]+));")


def _header_charset(content_type: str | None) -> str | None:
    for part in (content_type or "").split(";")[1:]:
        key, _, value = part.partition("=")
        if key.strip().lower() == "charset":
            return value
    return None


def _as_utf8(body: bytes, content_type: str | None) -> tuple[bytes, str | None, int]:
    """The body as UTF-8 labelled so, when it is UTF-8 (or UTF-16 with its byte order mark) whatever its labels say;
    and how many bad bytes were replaced.

    feedparser trusts `charset=windows-1252` on a UTF-8 body, and falls back to windows-1252 for the whole document
    on one stray Latin-1 byte: every French accent then turns into mojibake, silently. A body that decodes as UTF-8
    is UTF-8; one whose non-ASCII bytes are mostly well-formed UTF-8 is UTF-8 with a few bad bytes (replaced by
    U+FFFD, and the caller counts the feed as malformed). A body with no well-formed sequence (a real windows-1252
    or Latin-1 feed) is left to feedparser's labels.
    """
    replaced = 0
    # UTF-32's little-endian mark begins with UTF-16's (FF FE 00 00): a UTF-32 feed was read as UTF-16 and lost whole
    # ("not well-formed", hostile input, seventeenth round)
    codec = "utf-32" if body[:4] in (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE) else "utf-16"
    marked = body[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE) or codec == "utf-32"
    if marked:
        # A byte order mark says what the bytes are, whatever the labels (RFC 7303 §3, and browsers): a UTF-16 feed
        # served as `charset=iso-8859-1` was fed to the parser as such, "not well-formed" at its first character
        text = body.decode(codec, "replace")
        replaced = text.count("\ufffd") - body.decode(codec, "ignore").count("\ufffd")
        body = text.encode("utf-8")
    elif b"\x00" in body[:64]:
        return body, content_type, 0  # UTF-16/32 without a mark: its NUL bytes are valid UTF-8, its text is not
    declaration = _XML_ENCODING.match(body[:1024])
    labels = (_header_charset(content_type), declaration.group(3).decode("ascii", "replace") if declaration else None)
    if not marked and any(web_codec(label) in _NOT_ASCII_BASED for label in labels if label):
        return body, content_type, 0
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        text = body.decode("utf-8", "replace")
        replaced = text.count("\ufffd") - body.count(b"\xef\xbf\xbd")
        if len(_UTF8_SEQUENCE.findall(body)) <= replaced:
            return body, content_type, 0  # mostly not UTF-8: a legacy encoding
        body = text.encode("utf-8")
    if content_type:
        kept = [part for part in content_type.split(";") if part.partition("=")[0].strip().lower() != "charset"]
        content_type = ";".join([*kept, " charset=utf-8"])
    if declaration:
        body = body[: declaration.start(3)] + b"utf-8" + body[declaration.end(3):]
    return body, content_type, replaced


def _neutralise_references(body: bytes) -> bytes:
    """`&#xD800;` (a lone surrogate) or `&#x110000;` (past Unicode) in one item made feedparser lose the whole feed
    (an encode error, or `chr()` refusing it): such references become U+FFFD, as an HTML parser reads them."""

    def fix(match: re.Match) -> bytes:
        digits = match.group(1) or match.group(2)
        value = int(digits, 16) if match.group(1) else int(digits) if len(digits) < 10 else 0x110000
        return b"&#xFFFD;" if 0xD800 <= value <= 0xDFFF or value > 0x10FFFF else match.group()

    return _NUMERIC_REFERENCE.sub(fix, body) if b"&#" in body else body


# Shapes that cost a server nothing and feedparser minutes (hostile-input audit, third round), checked on the bytes in
# linear passes before parsing: a feed beyond them is refused in one sentence. Real feeds stay far below (a few
# attributes per element, addresses of at most 254 characters, a few thousand elements); whatever else is slow is
# bounded in time by the worker process that parses feeds (pipeline/feedworker.py).
MAX_ATTRIBUTES = 256  # in one element: feedparser looks each one up by a linear search (100,000: 216 s of CPU)
MAX_AUTHOR_RUN = 1_000  # characters without a space in an author: its e-mail regex is quadratic in them (40,000: 7.9 s)
MAX_ELEMENTS = 1_000_000  # tags in the whole body (2,000,000 empty elements: 28.5 s and 426 MB)
_LONG_TAG = re.compile(rb"<[A-Za-z_][^<>]{%d,}" % (MAX_ATTRIBUTES * 4))  # shorter tags cannot hold that many
_ATTRIBUTE = re.compile(rb"\s[^\s=<>\"'/]+\s*=")
# The characters the e-mail regex reads as one address (entity references included: `a&#46;` is `a.` once parsed)
# become `a`, all others a space: a run is then found by bytes.find, in C (a regex over the class took 1 s on 10 MB).
_ADDRESS_CHARS = bytes(ord("a") if chr(c).isascii() and (chr(c).isalnum() or chr(c) in "_.+@&#;-") else ord(" ")
                       for c in range(256))
_START_TAG = re.compile(rb"<(/?)(?:[\w.-]+:)?([\w.-]+)")
_AUTHOR_TAGS = frozenset({b"author", b"creator", b"managingeditor", b"webmaster", b"publisher", b"contributor",
                          b"owner", b"name", b"email"})
# An item's categories: feedparser checks each new one against every earlier one of the item (a list search), so one
# item of 50,000 `<category>` took 35 s of CPU (20,000: 6 s) and a 1 MB `<itunes:keywords>` of commas the same. Real
# items carry a few dozen at most. Counted per item in one pass: category-like elements, and the comma-separated
# terms of keyword lists.
MAX_ITEM_CATEGORIES = 1_000
_CATEGORY_OR_ITEM = re.compile(rb"<(?:(item|entry)|(?:[\w.-]+:)?(?:category|subject)|(?:[\w.-]+:)?(keywords|tags))"
                               rb"(?=[\s/>])", re.IGNORECASE)


def _long_address_runs(body: bytes):
    """(start, length) of each run of address characters longer than MAX_AUTHOR_RUN."""
    marks = body.translate(_ADDRESS_CHARS)
    needle = b"a" * (MAX_AUTHOR_RUN + 1)
    start = marks.find(needle)
    while start >= 0:
        end = marks.find(b" ", start)
        end = len(marks) if end < 0 else end
        yield start, end - start
        start = marks.find(needle, end)


def _categories_by_item(body: bytes):
    """(where it starts, how many categories and keywords it carries, where the next one starts) for the channel (at
    0) and each item, in one pass over the bytes, one at a time (a 10 MB feed holds a million items)."""
    start = count = counted_to = 0
    for match in _CATEGORY_OR_ITEM.finditer(body):
        if match.group(1):
            yield start, count, match.start()
            start, count = match.start(), 0
            continue
        count += 1
        if match.group(2) and match.end() >= counted_to:  # a comma-separated list: its terms up to the element's end
            end = body.find(b"</", match.end())
            counted_to = len(body) if end < 0 else end
            count += body.count(b",", match.end(), counted_to)
    yield start, count, len(body)


def most_item_categories(body: bytes) -> int:
    """The most categories and keywords one item (or the channel) carries, in one pass over the bytes."""
    return max(count for _, count, _ in _categories_by_item(body))


_ITEM_TITLE = re.compile(rb"<title[^>]*>(.{0,400}?)</title", re.IGNORECASE | re.DOTALL)
_CATEGORY_TAG = re.compile(rb"<((?:[\w.-]+:)?(?:category|subject|keywords|tags))(?=[\s/>])", re.IGNORECASE)


def _category_end(part: bytes, tag: re.Match, limit: int) -> int | None:
    """Where the category or keyword element opened by `tag` ends (after its end tag, or its own `/>`), looked for
    before `limit` (the next such element) only, so that the whole pass stays linear; None when it is not there."""
    opened = part.find(b">", tag.end(), limit)
    if opened < 0:
        return None
    if part[opened - 1:opened] == b"/":
        return opened + 1
    closing = part.find(b"</" + tag.group(1), opened, limit)
    if closing < 0:
        return None
    end = part.find(b">", closing, limit)
    return end + 1 if end >= 0 and not part[closing + 2 + len(tag.group(1)):end].strip() else None


_TEXT_END = re.compile(rb"<|]]>")


def _unclosed_category_end(part: bytes, tag: re.Match, limit: int) -> int:
    """Where a category or keyword element whose end was not found ends for cutting: after its start tag and the text
    right after it, at the next `<` or CDATA end (before `limit`). Whatever follows (a title after `<category>t`, the
    `]]>` of a description quoting `<category>`) stays."""
    opened = part.find(b">", tag.end(), limit)
    after = _TEXT_END.search(part, tag.end() if opened < 0 else opened + 1, limit)
    return after.start() if after else limit


def _without_categories(part: bytes) -> bytes:
    """The channel's or an item's bytes without their category and keyword elements, each cut whole with whatever it
    holds (text, CDATA, markup). newsroom reads none of them; feedparser compares each with every earlier one. An
    element whose end comes after the next one starts (unclosed, nested) loses its start tag and its own text, so
    that none is left to count: such an item was cut out whole, and its feed refused when the item had no end."""
    kept, copied_to, previous = [], 0, None
    for tag in itertools.chain(_CATEGORY_TAG.finditer(part), [None]):  # each one's end looked for up to the next
        if previous is not None:
            limit = tag.start() if tag else len(part)
            end = _category_end(part, previous, limit) or _unclosed_category_end(part, previous, limit)
            kept.append(part[copied_to:previous.start()])
            copied_to = end
        previous = tag
    kept.append(part[copied_to:])
    return b"".join(kept)


def without_overtagged_items(body: bytes) -> tuple[bytes, list[tuple[int, str | None]]]:
    """The body with the channel and items carrying more than MAX_ITEM_CATEGORIES categories or keywords read without
    them, and (count, title) for each: the channel's title is None. Such an item was cut out whole (hostile input,
    sixteenth round), and before that refused its whole feed; newsroom reads no category, so its story is kept. Its
    end is not needed, nor are its categories' (eighteenth round)."""
    if most_item_categories(body) <= MAX_ITEM_CATEGORIES:
        return body, []
    kept, changed, copied_to = [], [], 0
    for start, count, next_start in _categories_by_item(body):
        if count <= MAX_ITEM_CATEGORIES:
            continue
        part = _without_categories(body[start:next_start])
        title = None
        if start:
            title = _ITEM_TITLE.search(part)
            title = title.group(1).decode("utf-8", "replace") if title else ""
        kept.append(body[copied_to:start])
        kept.append(part)
        copied_to = next_start
        changed.append((count, title))
    kept.append(body[copied_to:])
    return b"".join(kept), changed


def feed_shape_problem(body: bytes) -> str | None:
    """What makes this feed body too costly to parse, in words, else None."""
    tags = body.count(b"<")
    if tags > MAX_ELEMENTS:
        return f"{tags:,} tags (more than {MAX_ELEMENTS:,}; a feed has a few thousand)"
    categories = most_item_categories(body)
    if categories > MAX_ITEM_CATEGORIES:
        return (f"an item with {categories:,} categories or keywords (more than {MAX_ITEM_CATEGORIES:,}: feedparser "
                "slows down quadratically on them)")
    for tag in _LONG_TAG.finditer(body):
        attributes = len(_ATTRIBUTE.findall(tag.group()))
        if attributes > MAX_ATTRIBUTES:
            name = _START_TAG.match(tag.group()).group(2)[:40].decode("ascii", "replace")
            return (f"an element <{name}> with {attributes:,} attributes (more than {MAX_ATTRIBUTES}: parsers slow "
                    "down quadratically on them)")
    for start, length in _long_address_runs(body):
        opened = list(_START_TAG.finditer(body, max(0, start - 4096), start))
        if opened and not opened[-1].group(1) and opened[-1].group(2).lower() in _AUTHOR_TAGS:
            name = opened[-1].group(2)[:40].decode("ascii", "replace")
            return (f"an author (<{name}>) holding {length:,} characters without a space (more than "
                    f"{MAX_AUTHOR_RUN:,}: feedparser's e-mail pattern slows down quadratically on them)")
    return None


def parse_feed(
    body: bytes,
    feed: Feed,
    *,
    max_items: int | None = None,
    now: datetime | None = None,
    base_url: str | None = None,
    content_type: str | None = None,
) -> ParsedFeed:
    """FeedItems of a fetched feed body. Malformed feeds keep what parsed; odd items are skipped and counted."""
    now = now or datetime.now(timezone.utc)
    base = base_url or str(feed.url)
    headers = {}  # no base: feedparser would resolve a permalink GUID (`podcast-1`) into a page of the feed's host
    body, content_type = _drop_foreign_charsets(body, content_type, feed)
    body, content_type, replaced = _as_utf8(body, content_type)
    body = _neutralise_references(body)
    body, overtagged = without_overtagged_items(body)
    problem = feed_shape_problem(body)
    if problem:
        return ParsedFeed(bozo=problem, refused=problem, not_a_feed=True)
    if content_type:
        headers["content-type"] = content_type
    try:
        parsed = feedparser.parse(body, sanitize_html=False, resolve_relative_uris=False, response_headers=headers)
    except UnicodeEncodeError as exc:  # a character (reference) feedparser could not handle
        return ParsedFeed(bozo=f"an unreadable character ({exc})")
    except UnicodeError as exc:  # a label feedparser still tried (UTF-16 declaration…): the feed is unreadable
        return ParsedFeed(bozo=f"unknown encoding: {exc}")
    except ValueError as exc:  # e.g. a character reference `chr()` refuses, in an encoding not neutralised above
        return ParsedFeed(bozo=f"an unreadable character reference ({exc})")
    out = ParsedFeed(entries=len(parsed.entries), title=parsed.feed.get("title"))
    for count, title in overtagged:
        if title is None:
            log.warning("feed %s: its channel carries %s categories or keywords (more than %s: feedparser slows down "
                        "quadratically on them): they are not read, its items are", feed.name, f"{count:,}",
                        f"{MAX_ITEM_CATEGORIES:,}")
            continue
        shown = single_line(html_to_text(title), 80) or "untitled"
        out.uncategorised.append(shown)
        log.warning("feed %s: an item (%s) with %s categories or keywords is read without them (more than %s: "
                    "feedparser slows down quadratically on them; newsroom reads none)", feed.name, shown,
                    f"{count:,}", f"{MAX_ITEM_CATEGORIES:,}")
    exc = parsed.get("bozo_exception")
    if parsed.get("bozo") and type(exc).__name__ not in _BENIGN_BOZO:
        out.bozo = f"{type(exc).__name__}: {exc}"
    if replaced and not out.bozo:
        out.bozo = f"{replaced} byte(s) that are not UTF-8 in a UTF-8 feed, replaced by U+FFFD"
    if not parsed.entries and not parsed.get("version"):
        if json_kind := _json_document(body):
            out.bozo = json_kind
            out.not_a_feed = True
        elif _HTML_PAGE.search(body[:4096]):
            advertised = advertised_feeds(body, base)
            out.bozo = (f"a web page, not a feed; it advertises {', '.join(advertised[:3])}: put that URL in the feeds "
                        "file" if advertised else "a web page, not a feed, and it advertises none (no <link "
                        "rel=\"alternate\"> to an RSS or Atom feed): find the site's feed URL")
            out.not_a_feed = True
        else:
            out.bozo = out.bozo or "no RSS/Atom structure found"
        return out  # not a feed at all; the caller reports it
    stamps: list[datetime | None] = []
    # an Atom feed's <author> is its entries' when they name none; RSS's <managingEditor> (also feedparser's feed
    # author) is no item's author
    feed_authors = parsed.feed.get("authors") if str(parsed.get("version") or "").startswith("atom") else None
    # a feed's <title> over TITLE_CHARS names no publication: each item's authors were compared with every part of
    # it (a 1 MB title cost 0.17 s of CPU an item, 200 items past the parse time limit, the feed lost)
    publication = out.title if isinstance(out.title, str) and not too_long_for_a_name(out.title) else None
    for entry in newest_entries(parsed.entries, max_items):
        try:
            item = _item_from_entry(entry, feed, base, now, out.skipped, out.implausible_dates, publication,
                                    out.skipped_titles, feed_authors)
        except Exception as exc:  # noqa: BLE001 - one broken item must not lose the others
            log.warning("feed %s: skipping an unreadable item (%s)", feed.name, exc)
            out.skipped["bad-item"] += 1
            continue
        if item is not None:
            guid = entry.get("id")
            item.guid = guid if isinstance(guid, str) else None  # hostile: checked where it is used (collect)
            out.items.append(item)
            stamps.append(_entry_stamp(entry))
    # A feed that stamps every item with one time (its build time) says nothing about updates: titles only, then.
    same_stamp = len(stamps) >= 3 and len(set(stamps)) == 1
    for item, stamp in zip(out.items, stamps):
        item.version = item_version(None if same_stamp else stamp, item.title, str(feed.url))
    if len(parsed.entries) > (max_items or len(parsed.entries)):
        out.skipped["over-max-items"] += len(parsed.entries) - max_items
    return out


_HTML_PAGE = re.compile(rb"<!doctype\s+html|<html[\s>]", re.IGNORECASE)


def _json_document(body: bytes) -> str | None:
    """Why a body that is JSON is no feed, in words, else None. A JSON Feed was named only when "jsonfeed.org" sat
    in its first 2,000 bytes: one writing its `version` last (JSON keys have no order), or a JSON answer of an API,
    failed as "SAXParseException: not well-formed (invalid token)", retried every run (hostile input, 22nd round)."""
    if body.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] not in (b"{", b"["):
        return None
    try:
        document = json.loads(body)
    except (ValueError, RecursionError):  # not JSON after all (or nested past Python's recursion limit)
        return None
    version = document.get("version") if isinstance(document, dict) else None
    if isinstance(version, str) and "jsonfeed.org" in version:
        return "a JSON Feed (jsonfeed.org), which newsroom does not read: use the site's RSS or Atom feed"
    return "a JSON document, not an RSS or Atom feed: find the site's feed URL"


def advertised_feeds(body: bytes, base: str) -> list[str]:
    """The RSS/Atom feeds a web page names in its <link rel="alternate"> tags (feed autodiscovery), as absolute URLs."""
    try:
        page = lxml.html.fromstring(body[:200_000])
    except (lxml.etree.ParserError, ValueError):
        return []
    found = [resolved_link(base, link.get("href")) for link in page.iter("link")
             if "alternate" in (link.get("rel") or "").lower().split()
             and (link.get("type") or "").strip().lower() in ("application/rss+xml", "application/atom+xml")
             and (link.get("href") or "").strip()]
    return list(dict.fromkeys(url[:300] for url in found if url))


def newest_entries(entries: list, max_items: int | None) -> list:
    """At most `max_items` entries, the newest by their dates, in the feed's order: a feed listing its oldest items
    first (an archive feed) had its new stories cut off on every run. Undated entries go after dated ones; a feed
    without dates keeps its first entries."""
    if not max_items or len(entries) <= max_items:
        return list(entries)
    dates = [_entry_date(entry) for entry in entries]
    if not any(dates):
        return list(entries[:max_items])
    oldest = datetime.min.replace(tzinfo=timezone.utc)
    newest = sorted(range(len(entries)), key=lambda k: (dates[k] or oldest, -k), reverse=True)[:max_items]
    return [entries[k] for k in sorted(newest)]


def _skip(entry: Any, reason: str, skipped: Counter, titles: dict[str, list[str]] | None) -> None:
    """Count an item skipped for `reason`, keeping its title (one line, 80 characters): a linkless podcast episode
    was named only by its feed's URL in the run summary, which does not tell which of 200 items went."""
    skipped[reason] += 1
    title = single_line(html_to_text(entry.get("title")), 80)
    if titles is not None and title and len(titles.setdefault(reason, [])) < 3:
        titles[reason].append(title)


# The longest URL httpx sends (its MAX_URL_LENGTH): a longer item link was refused (`bad-url`) and its story stored
# from the summary, though 20,000 `utm_` parameters made all of its length (hostile input, seventeenth round)
MAX_LINK_CHARS = 65_536


def _item_from_entry(entry: Any, feed: Feed, base: str, now: datetime, skipped: Counter,
                     bad_dates: list[str], feed_title: str | None = None,
                     skipped_titles: dict[str, list[str]] | None = None,
                     feed_authors: list | None = None) -> FeedItem | None:
    link = _entry_link(entry, base, str(feed.url))
    summary_html = entry.get("summary") or ""
    # RSS content:encoded / Atom <content> often holds the whole story beside a teaser <description>: the longer one
    # is what a paywalled or missing page falls back to
    full = max((c.get("value") or "" for c in entry.get("content") or []), key=len, default="")
    if len(full) > len(summary_html):
        summary_html = full
    if not link:
        _skip(entry, "no-link", skipped, skipped_titles)
        return None
    candidates = _links_in(summary_html) + [l.get("href", "") for l in entry.get("links") or []]
    link = resolve_redirect_link(link, candidates)
    try:
        if "@" in urlsplit(link).netloc:  # fetched under its plain URL too: neither the page nor its robots.txt
            # gets the credentials (httpx sends a link's `user:pass@` as Basic auth)
            log.info("feed %s: an item link carries credentials: fetched without them", feed.name)
            link = without_credentials(link)
        url = without_credentials(normalize_url(link))
    except ValueError:
        _skip(entry, "bad-link", skipped, skipped_titles)
        return None
    if len(link) > MAX_LINK_CHARS and len(url) < len(link):
        log.info("feed %s: an item link of %s characters (more than an HTTP client sends): fetched without its "
                 "tracking parameters, as %s", feed.name, f"{len(link):,}", mask_url(url))
        link = url
    impossible: list[str] = []
    published = _in_feed_zone(entry, _entry_date(entry, impossible), feed)
    if published is None and not impossible:
        impossible = _unreadable_far_dates(entry, now)
    if published is None and impossible:
        log.info("impossible date %r of %s in feed %r ignored (a UTC offset past ±14 h, a day or time that does not "
                 "exist, or a year feedparser cannot read)", impossible[0][:80], url, feed.name)
        bad_dates.append(url)
    elif published is not None and plausible_date(published, now, f"date of {url} in feed {feed.name!r}") is None:
        bad_dates.append(url)  # the item is kept; only its date is unknown (the page's or the fetch time is used)
        published = None
    authors = _entry_authors(entry, (feed.name, feed_title), feed_authors)
    source = entry.get("source")
    named = source.get("title") if isinstance(source, dict) else None
    # a <source> over TITLE_CHARS names no publisher: the title was matched against a pattern made of it (1 MB of
    # words: 4 s of CPU an item, a feed of ten past the parse time limit)
    publisher = (html_to_text(named) or None) if isinstance(named, str) and not too_long_for_a_name(named) else None
    site_url = source.get("href") if isinstance(source, dict) and isinstance(source.get("href"), str) else None
    site_url = site_url.strip() if site_url and re.match(r"\s*https?://[^\s/]", site_url, re.I) else None
    title = _without_publisher_suffix(entities_decoded(_title_text(entry)), publisher) or None
    summary = html_to_text(summary_html, drop_unshown=True)
    if publisher and title:  # Google News: « <a>Headline</a>&nbsp;&nbsp;<font>Le Monde</font> »
        summary = "\n".join(title if _without_publisher_suffix(line, publisher, "") == title else line
                             for line in summary.split("\n"))
    return FeedItem(
        article_id=article_id(url),
        url=url,
        link=link if link != url else None,
        feed_name=feed.name,
        feed_url=str(feed.url),
        feed_lang=feed.lang,
        feed_tags=list(feed.tags),
        title=title,
        summary=summary or None,
        published=published,
        authors=authors,
        site_name=publisher,
        site_url=site_url,
    )


def _title_text(entry: Any) -> str:
    """The item's title as text: read as HTML unless feedparser found it plain text (Atom `type="text"`, an RSS title
    without markup). A headline about « the <script> tag » was parsed as a script running to the end, stored as "Why
    tags matter</div>" (hostile input, seventeenth round)."""
    detail = entry.get("title_detail")
    plain = isinstance(detail, dict) and detail.get("type") == "text/plain"
    return html_to_text(entry.get("title"), plain=plain)


def _without_publisher_suffix(title: str, publisher: str | None, separator: str = r"[-–—|]\s+") -> str:
    """"Mistral AI lève 1,7 milliard d'euros - Le Monde" → the headline, when the item's <source> is Le Monde
    (aggregators append the publisher); kept whole when only one word would remain."""
    if not publisher or not title:
        return title
    match = _publisher_suffix(separator, publisher).fullmatch(title)
    rest = match.group(1).strip() if match else ""
    return rest if len(rest.split()) >= 2 else title


@lru_cache(maxsize=256)
def _publisher_suffix(separator: str, publisher: str) -> re.Pattern:
    """Compiled once per publisher: a pattern holding a name costs about a millisecond to compile, at every item."""
    return re.compile(rf"(.+?)\s+{separator}{re.escape(publisher)}\s*", re.IGNORECASE)
