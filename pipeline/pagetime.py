"""The publication time a page shows only in its visible text (« Publié le 3 décembre 2026 à 14h05 », "Dec. 3, 2026
2:05 p.m. ET"), for pages whose markup states the day alone.

A shown time has no offset, so it is read in a zone only when one is known: a zone abbreviation printed after it
(ET, CET, GMT…) or spelt out ("Eastern Standard Time"), else the zone of the site's country when its address ends in a
country code, or its `lang` names a region, whose country has a single time zone (tzdata's `zone1970.tab`: .fr →
Europe/Paris, .uk → Europe/London, `fr-BE` → Europe/Brussels; not .com, .ca or .es), else Paris time for a page in
French with no country at all (`lang="fr"` on a .com, .org or bare address: the French-language press of France,
Belgium, Switzerland, Luxembourg and Monaco shares it), and Montréal's time for French in Canada (`fr-CA`, .ca:
Québec's press). Otherwise the day stays, as before, and a feed's time on that day refines it
(`extract.choose_published`).

A day written relative to the moment the page was served (« Publié hier à 18h05 », "Published today at 7.45am") is
read only with that moment, the server's `Date` header (`relative_timestamp`).
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta, timezone
from functools import lru_cache
from importlib import resources
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from lxml.etree import XPath

# Short elements only (a byline or a dateline, not a paragraph of the story that mentions a meeting's time), and
# none in a comment thread: readers' comments are dated, often on the story's own day (`_short_elements`)
_CANDIDATE_TAGS = ("p", "span", "div", "li", "time", "small", "em", "header", "address", "footer", "strong", "b")
SHORT_CHARS = 200  # an element's text shorter than this, once its spaces are normalised (XPath's normalize-space)
_CLASSES_AND_IDS = XPath("//@class | //@id")
# not a layout's word: "responsive" (Bootstrap's `img-responsive`, a `meta-responsive` byline box) and "commentary" (an
# opinion section) hold the story's byline and time, not readers' comments (mini sites, fourth round)
_DISCUSSION = re.compile("comment(?!ary)|reply|repl(y|ies)|respons(?!iv)|forum|discussion|disqus|reaction", re.IGNORECASE)


def _short_elements(tree: Any) -> list[tuple[Any, str]]:
    """The short elements outside any element whose class or id names a discussion, in page order, each with its text
    (whitespace runs one space): what
    `[string-length(normalize-space()) < 200][not(ancestor-or-self::*[re:test(concat(@class, ' ', @id), _DISCUSSION,
    'i')])]` selects, with the regex run once per class or id value rather than, through EXSLT, once per (element,
    ancestor) pair (15 ms a page against 3 ms on the corpus). No word of the pattern holds a space, so it matches
    `concat(@class, ' ', @id)` exactly when it matches the class or the id. The texts are built once (`_short_texts`)."""
    inside = in_discussions(tree)
    texts = _short_texts(tree)
    return [(element, " ".join(text.split())) for element in tree.iter(*_CANDIDATE_TAGS)
            if (text := texts.get(element)) is not None and len(text) < SHORT_CHARS and element not in inside]


def in_discussions(tree: Any) -> set[Any]:
    """Every element inside an element whose class or id names a discussion (readers' comments, replies, a forum
    box), the discussion's own included. lxml returns one proxy per element while it is referenced: hold the set."""
    inside: set[Any] = set()
    for value in _CLASSES_AND_IDS(tree):
        if _DISCUSSION.search(value) and (element := value.getparent()) not in inside:
            inside.update(element.iter())
    return inside


XML_SPACES = re.compile(r"[ \t\n\r]+")  # the white space of XPath's normalize-space


def _short_texts(tree: Any) -> dict[Any, str]:
    """Each element's text as XPath's normalize-space() gives it, for the elements whose text is short, built from
    their children's in one pass from the last element up. XPath, and then Python, read each element's text from all
    its descendants, so a nest of elements was read again at every level: 9 nests of 2,000 elements (a 200 KB page)
    took 8 s of CPU to look for a shown time; now linear. An element whose text is longer than SHORT_CHARS (and
    any element holding it) is left out."""
    texts: dict[Any, str] = {}
    for element in reversed(list(tree.iter())):
        if not isinstance(element.tag, str):  # a comment or processing instruction: its text is not the page's
            continue
        parts = [element.text or ""]
        for child in element:
            if isinstance(child.tag, str):
                if (inner := texts.get(child)) is None:
                    break
                parts.append(inner)
            parts.append(child.tail or "")
        else:
            text = XML_SPACES.sub(" ", "".join(parts))
            if len(text) <= SHORT_CHARS + 2:  # a space kept at each end, for the text around it in its parent
                texts[element] = text
    return {element: text.strip(" ") for element, text in texts.items()}


_MONTHS = {
    1: r"janv(?:ier)?|january|jan", 2: r"f[ée]vr(?:ier)?|f[ée]v|february|feb", 3: r"mars|march|mar",
    4: r"avr(?:il)?|april|apr", 5: r"mai|may", 6: r"juin|june|jun", 7: r"juil(?:let)?|july|jul",
    8: r"ao[ûu]t|august|aug", 9: r"sept(?:embre|ember)?|sep", 10: r"oct(?:obre|ober)?", 11: r"nov(?:embre|ember)?",
    12: r"d[ée]c(?:embre)?|december|dec",
}
_UPDATE_BEFORE = re.compile(r"(?:mis à jour|mise à jour|màj|maj|modifié|actualisé|updated|last modified|edited)"
                            r"\b[^0-9]{0,25}$", re.IGNORECASE)
_ABBREVIATIONS = {
    "UTC": "UTC", "GMT": "UTC", "CET": "Etc/GMT-1", "CEST": "Etc/GMT-2", "BST": "Etc/GMT-1", "WET": "UTC",
    "WEST": "Etc/GMT-1", "EST": "Etc/GMT+5", "EDT": "Etc/GMT+4", "ET": "America/New_York", "CST": "Etc/GMT+6",
    "CDT": "Etc/GMT+5", "CT": "America/Chicago", "MST": "Etc/GMT+7", "MDT": "Etc/GMT+6", "PST": "Etc/GMT+8",
    "PDT": "Etc/GMT+7", "PT": "America/Los_Angeles",
}
# a zone spelt out after the time, as release wires print it ("03:30 AM Eastern Standard Time", « 08:00 heure normale
# d'Europe centrale »: mini sites, fifth round, where the feed's later time stood in, 5 h 15 late), read as its
# abbreviation; the names are matched with their spaces as one, in any case, ’ as '
_ZONE_NAMES = {
    "eastern standard time": "EST", "eastern daylight time": "EDT", "eastern time": "ET",
    "central standard time": "CST", "central daylight time": "CDT", "central time": "CT",
    "mountain standard time": "MST", "mountain daylight time": "MDT",
    "pacific standard time": "PST", "pacific daylight time": "PDT", "pacific time": "PT",
    "greenwich mean time": "GMT", "coordinated universal time": "UTC", "british summer time": "BST",
    "central european time": "CET", "central european standard time": "CET", "central european summer time": "CEST",
    "western european time": "WET", "western european summer time": "WEST",
    "heure normale d'europe centrale": "CET", "heure d'été d'europe centrale": "CEST",
    "heure avancée d'europe centrale": "CEST", "heure normale de l'est": "EST", "heure avancée de l'est": "EDT",
}
_ZONE_NAME_WORDS = "|".join(r"\s+".join(re.escape(word).replace("'", "['’]") for word in name.split())
                            for name in sorted(_ZONE_NAMES, key=len, reverse=True))
# British dailies write "14.05 GMT", "2.05pm": a dot separates hours and minutes only before a.m./p.m. or a known zone
# (« 3 déc. 2026 12.50 euros » holds no time)
_DOT_CLOCK = (r"\.(?=[0-5]\d(?:\s?[ap]\.?\s?m\b|\s*\(?(?-i:(?:"
              + "|".join(sorted(_ABBREVIATIONS, key=len, reverse=True)) + r"))\b))")
# ", 14h05", " à 14 h 05", " at 2:05 p.m.", " - 14:05 CET", " | 09:30 (GMT)", " 14.05 GMT", a wire's " · 10:47",
# The Register's "Fri 4 Dec 2026 // 15:12 UTC"
_TIME_AFTER = re.compile(r"\s*(?:(?:[,|–—·•-]|//?)\s*)?(?:(?:à|at|,)\s+)?([01]?\d|2[0-3])\s?(?:h|:|" + _DOT_CLOCK
                         + r")\s?([0-5]\d)(?![\d:])"
                         r"(?:\s?([ap])\.?\s?m\b\.?)?(?:\s*\(?(" + _ZONE_NAME_WORDS + r"|(?-i:[A-Z]{2,5}))\b\)?)?",
                         re.IGNORECASE)
# a time printed before the day, as US sites do ("Published 4:15 p.m. PST Dec. 2, 2026", "Updated 5:10 p.m. EST
# Dec. 3, 2026 | Published 10:15 a.m. EST Dec. 3, 2026"): only with its a.m./p.m. or its zone, right before the day
_TIME_BEFORE = re.compile(r"(?<![\d:.])([01]?\d|2[0-3])\s?(?:h|:)\s?([0-5]\d)(?:(?:\s?([ap])\.?\s?m\b\.?)(?:\s*\(?(?-i:"
                          r"([A-Z]{2,5}))\b\)?)?|\s*\(?(?-i:([A-Z]{2,5}))\b\)?)[\s,]*(?:on\s+)?$", re.IGNORECASE)


def shown_time(tree: Any, day: str, url: str | None) -> datetime | None:
    """The time shown next to `day` (YYYY-MM-DD, the publication day already found) in a short element, in UTC;
    None when none is shown, when it is an update's time, or when its zone is unknown."""
    try:
        wanted = date.fromisoformat(day)
    except ValueError:
        return None
    dated = _dated(wanted)
    for _element, text in _short_elements(tree):
        for found in dated.finditer(text):
            clock = _clock_beside(text, found)
            if clock is None:
                continue
            zone = _zone(_clock_zone(clock), url, tree.get("lang") or tree.get("xml:lang") or "")
            if zone is None:
                return None
            stamp = _instant(wanted, clock, zone)
            if stamp is not None:
                return stamp
    return None


def _clock_beside(text: str, found: re.Match) -> re.Match | None:
    """The time shown right after the day `found` in `text`, else the one printed right before it ("10:15 a.m. EST
    Dec. 3, 2026"); None when none is, or when an update's label precedes it (`_UPDATE_BEFORE`)."""
    clock = _TIME_AFTER.match(text, found.end())
    if clock is not None:
        return None if _UPDATE_BEFORE.search(text[:found.start()]) else clock
    clock = _TIME_BEFORE.search(text[:found.start()])
    return None if clock is None or _UPDATE_BEFORE.search(text[:clock.start()]) else clock


def _clock_zone(clock: re.Match) -> str | None:
    """The zone abbreviation a time was printed with (after its a.m./p.m., or alone for `_TIME_BEFORE`)."""
    return clock.group(4) or (clock.group(5) if clock.re is _TIME_BEFORE else None)


def _instant(day: date, clock: re.Match, zone: ZoneInfo) -> datetime | None:
    """The instant a `_TIME_AFTER` match shows on `day` in `zone`, in UTC; None for an impossible "13:05 p.m.", or one
    past the calendar in UTC ("9999-12-31 23:59 EST", "0001-01-01 00:30 CEST": an OverflowError that cost the page
    its text)."""
    hour, minute = int(clock.group(1)), int(clock.group(2))
    if clock.group(3):
        if hour > 12:
            return None
        hour = hour % 12 + (12 if clock.group(3).lower() == "p" else 0)
    try:
        return datetime.combine(day, time(hour, minute), tzinfo=zone).astimezone(timezone.utc)
    except OverflowError:
        return None


@lru_cache(maxsize=512)
def _dated(day: date) -> re.Pattern:
    """The ways a page writes `day`: « 3 décembre 2026 », « 1er décembre », "December 3, 2026", "Dec. 3 2026",
    03/12/2026 and 03/12/26 (and 12/03/2026, US order), 2026-12-03."""
    d, m, y = day.day, _MONTHS[day.month], day.year
    ordinal = rf"0?{d}(?:er|st|nd|rd|th)?"
    return re.compile(
        rf"(?<!\d)(?:{ordinal}\s+(?:{m})\.?,?\s+{y}|(?:{m})\.?\s+{ordinal},?\s+{y}|0?{d}[/.]0?{day.month}[/.]{y}"
        rf"|0?{d}/0?{day.month}/{y % 100:02d}|0?{day.month}/0?{d}/(?:{y}|{y % 100:02d})|{y}-{day.month:02d}-{d:02d})"
        rf"(?!\d)", re.IGNORECASE)


def _zone(abbreviation: str | None, url: str | None, lang: str = "") -> ZoneInfo | None:
    if abbreviation and " " in abbreviation:  # a zone spelt out ("Eastern Standard Time")
        abbreviation = _ZONE_NAMES.get(" ".join(abbreviation.split()).replace("’", "'").lower())
    if abbreviation and abbreviation.upper() in _ABBREVIATIONS:
        return ZoneInfo(_ABBREVIATIONS[abbreviation.upper()])
    zones = _single_zone_countries()
    host = (urlsplit(url).hostname or "") if url and "://" in url else ""
    country = host.rsplit(".", 1)[-1].upper() if "." in host and not host.replace(".", "").isdigit() else ""
    if country in _VANITY_CODES:  # mistral.ai is no site of Anguilla's (read as Puerto Rico time), nor .io Chagos'
        country = ""
    language, _, region = lang.strip().replace("_", "-").partition("-")
    for code in (country, region.upper()):
        if name := zones.get("GB" if code == "UK" else code):
            return ZoneInfo(name)
    # French without a country (a .com, .net or .org site, `lang="fr"`): the French-language press of France,
    # Belgium, Switzerland, Luxembourg and Monaco keeps Paris time; a Canadian or African site says fr-CA, .ca, .sn…
    if language.lower() == "fr" and not region and len(country) != 2:
        return ZoneInfo("Europe/Paris")
    if language.lower() == "fr" and "CA" in (region.upper(), country):
        return ZoneInfo("America/Toronto")  # French in Canada is Québec's press (Montréal keeps Toronto's time)
    return None


def site_zone(url: str | None, lang: str = "") -> ZoneInfo | None:
    """The zone a site's local times are in, from its address's country code or its language (see `_zone`); None
    when neither tells."""
    return _zone(None, url, lang)


# country codes sold worldwide as generic names: they say nothing of a site's country
_VANITY_CODES = frozenset({"AI", "IO", "CO", "TV", "ME", "FM", "LY", "GG", "SO", "IS", "NU", "WS", "LA", "CC", "SH", "TO",
                           "AM", "AG", "SC", "VC", "GL", "BZ", "MS", "TK", "ST", "AC", "CX", "PW", "BY", "RE", "IM"})


@lru_cache(maxsize=1)
def _single_zone_countries() -> dict[str, str]:
    """Country code → its zone, for countries with one time zone in tzdata's zone1970.tab."""
    zones: dict[str, set[str]] = {}
    text = resources.files("tzdata.zoneinfo").joinpath("zone1970.tab").read_text(encoding="utf-8")
    for line in text.splitlines():
        if line.startswith("#") or not line.strip():
            continue
        codes, _, name = line.split("\t")[:3]
        for code in codes.split(","):
            zones.setdefault(code, set()).add(name)
    return {code: next(iter(names)) for code, names in zones.items() if len(names) == 1}


# Any full date a short element shows: « 3 décembre 2026 », "Dec. 3, 2026", 03/12/2026 (day first, or month first on a
# US page), 2026-12-03; 05/12/26 with slashes only, as 20 Minutes-like sites print it (mini sites, third round: their
# feed's update time stood in, 1 h 45 late), not 3.12.26, which may be a version number
_MONTH_WORDS = "|".join(_MONTHS.values())
_ANY_DAY = re.compile(rf"(?<![\d/.])(?:(\d{{1,2}})(?:er|st|nd|rd|th)?\s+({_MONTH_WORDS})\.?,?\s+(\d{{4}})"
                      rf"|({_MONTH_WORDS})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})"
                      rf"|(\d{{1,2}})[/.](\d{{1,2}})[/.](\d{{4}}|(?<=/\d/)\d\d|(?<=/\d\d/)\d\d)|(\d{{4}})-(\d\d)-(\d\d))"
                      rf"(?![\d/.])", re.IGNORECASE)
MAX_SHOWN_DAYS = 8  # the first dates a page shows (its header's), not every date in a long archive page


def _month(word: str) -> int | None:
    return next((number for number, pattern in _MONTHS.items() if re.fullmatch(pattern, word, re.IGNORECASE)), None)


def _day_of(m: re.Match, us_order: bool) -> date | None:
    try:
        if m.group(1):
            return date(int(m.group(3)), _month(m.group(2)) or 0, int(m.group(1)))
        if m.group(4):
            return date(int(m.group(6)), _month(m.group(4)) or 0, int(m.group(5)))
        if m.group(7):
            first, second, year = int(m.group(7)), int(m.group(8)), int(m.group(9))
            day, month = (second, first) if us_order and first <= 12 else (first, second)
            return date(year if year > 99 else 2000 + year, month, day)
        return date(int(m.group(10)), int(m.group(11)), int(m.group(12)))
    except ValueError:
        return None


# A print edition's source line gives the story's length and page right after its day: « Économie, jeudi 4 décembre
# 2026 1017 mots, p. 14 » (a press database's text view), "Thursday 4 December 2026, 812 words, p. 23"
_PRINT_LENGTH_AFTER = re.compile(r"\s*[,|·–—-]?\s*\d{1,3}(?:[ .,\u202f]?\d{3})*\s(?:mots|words)\b", re.IGNORECASE)


def shown_timestamp(tree: Any, url: str | None) -> datetime | None:
    """A page whose markup states no date at all, and whose feed item may have none either (a wire's dépêche page:
    « Dépêche n° … · Service : Économie · 02/12/2026 18:40 »; mini news sites audit, eighth round R8-8): the first
    day shown in a short element with a time beside it, in a zone known from the page (see `shown_time`), in UTC;
    or a print edition's day, its length in words beside it, at midnight UTC (date-only: twelfth round R12-6)."""
    lang = (tree.get("lang") or tree.get("xml:lang") or "").replace("_", "-")
    host = (urlsplit(url).hostname or "") if url and "://" in url else ""
    us_order = lang.lower() == "en-us" or host.endswith(".us")  # 12/03/2026 is 3 December elsewhere
    days: set[date] = set()
    for _element, text in _short_elements(tree):  # one pass: the elements are read once (not once per day)
        for found in _ANY_DAY.finditer(text):
            day = _day_of(found, us_order)
            if day is None:
                continue
            days.add(day)
            clock = _clock_beside(text, found)
            if clock is not None:
                zone = _zone(_clock_zone(clock), url, lang)
                if zone is None:
                    return None
                stamp = _instant(day, clock, zone)
                if stamp is not None:
                    return stamp
            elif _PRINT_LENGTH_AFTER.match(text, found.end()):
                return datetime.combine(day, time(0), timezone.utc)
        if len(days) >= MAX_SHOWN_DAYS:
            return None
    return None


# « Publié hier à 18h05 », « Mis en ligne aujourd'hui à 07:45 », "Published yesterday at 6.05pm", "Posted today at 18:05
# GMT": the publication's own label, then a day named relative to the moment the page was served, then its time. An
# update's label (« Mis à jour il y a 3 heures ») is not one; « il y a 3 heures » alone is rounded, where the feed's
# time is exact.
_DAYS_BACK = {"aujourd'hui": 0, "today": 0, "hier": 1, "yesterday": 1, "avant-hier": 2}
_RELATIVE_DAY = re.compile(r"(?<!\w)(?:publiée?|mis en ligne|posté|published|posted|first published)\s+(?:le\s+|on\s+)?"
                           r"(aujourd'hui|hier|avant-hier|today|yesterday)(?=[\s,]+(?:à|at|,|\d))", re.IGNORECASE)


def relative_timestamp(tree: Any, url: str | None, served_at: datetime | None) -> datetime | None:
    """The publication time a page gives only relative to when it was served (a regional daily's « Publié hier à
    18h05 », its live page's « Publié aujourd'hui à 07h45 »: mini sites, fourth round), in UTC: the day counted back
    from `served_at` in the site's zone (see `site_zone`, or the zone printed after the time). None without
    `served_at` (a saved file says nothing of when « hier » was), or when no such line or zone is found."""
    if served_at is None:
        return None
    lang = tree.get("lang") or tree.get("xml:lang") or ""
    for _element, text in _short_elements(tree):
        found = _RELATIVE_DAY.search(text.replace("’", "'"))
        clock = found and _TIME_AFTER.match(text, found.end())
        if not clock:
            continue
        zone = _zone(_clock_zone(clock), url, lang)
        if zone is None:
            return None
        try:
            day = served_at.astimezone(zone).date() - timedelta(days=_DAYS_BACK[found.group(1).lower()])
        except OverflowError:  # a `Date` header at the calendar's edge (9999-12-31 at -12:00): no day
            return None
        stamp = _instant(day, clock, zone)
        return stamp if stamp is not None and stamp <= served_at else None  # « aujourd'hui à 18h05 » seen at 10h30
    return None
