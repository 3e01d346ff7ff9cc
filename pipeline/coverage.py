"""Coverage of watched companies over time: mentions per bucket, share of voice, average sentiment, top sources.

Reads the flat `<prefix>-mentions` documents (one per article × company). Buckets follow `settings.timezone` on
real Elasticsearch; the embedded stand-in ignores `time_zone`, so there the buckets are UTC days and the result
says so (`time_zone_applied: false` and a note) instead of pretending.
"""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from elasticsearch import Elasticsearch

from pipeline.companies import current_name, merged_counts, names_of, renamed, stored_names
from pipeline.errors import ConfigError, NewsroomError, one_of
from pipeline.safewrite import atomic_output, prepare_output
from pipeline.settings import Settings, known_zone
from pipeline.sinks import for_chart
from pipeline.store.client import is_standin
from pipeline.store.shapes import stored_article
from pipeline.store.templates import index_names

log = logging.getLogger(__name__)

INTERVALS = {"day": 30, "week": 26 * 7, "month": 365}  # interval → default look-back in days
COUNT_MODES = ("articles", "clusters")
PRECISION = 40_000  # cardinality counts are exact below this many distinct values
MAX_BUCKETS = 5_000  # per series: `--since 0001-01-01 --interval day` asked for 730,000 (slow, then refused by the store)
# per request: Elasticsearch refuses a response of more than `search.max_buckets` (65,536 by default, empty buckets
# included; the stand-in has no such limit): 14 companies × 4,700 days passed the per-series check and failed there
MAX_RESPONSE_BUCKETS = 60_000
TOP_SOURCES = 10
SOURCES_RANKED = 1_000  # sources read to rank them by articles (or clusters): more than any feeds file holds
EARLIEST = datetime(1900, 1, 1, tzinfo=UTC)
LATEST = datetime(9999, 1, 1, tzinfo=UTC)


def zone(settings: Settings) -> ZoneInfo:
    """Settings are checked at load; this also covers settings built without validation."""
    try:
        return known_zone(settings.timezone)
    except ValueError as problem:
        raise ConfigError(f"NEWSROOM_TIMEZONE: {problem}.") from None


def parse_when(value: str | date | datetime | None, tz: ZoneInfo, end: bool = False,
               option: str | None = None) -> datetime | None:
    """A date (YYYY-MM-DD or YYYYMMDD, midnight in `tz`; the next midnight when `end`, so the day is included) or a
    datetime. A refused date is named with its option (`option`, by default --until when `end`, else --since).

    Far dates are open ends: an end in year 9999 or later is None (no end), a start before 1900 is 1900-01-01 UTC
    (a year-1 or year-9999 date overflowed in time zone arithmetic and in the store's date parsing); a start in
    year 9999 and an end before 1900 are refused in one sentence (nothing is dated there)."""
    if value is None:
        return None
    typed = value.strip() if isinstance(value, str) else _as_typed(value)
    if isinstance(value, str):
        text = value.strip()
        if not text:  # `--since ""` (a shell variable left unset) silently meant no period, or the default one
            option = option or ("--until" if end else "--since")
            raise NewsroomError(f"{option} is empty: give a date (YYYY-MM-DD) or an ISO 8601 date-time, or leave "
                                f"{option} out.")
        if month := _MONTH_OR_YEAR.fullmatch(text):  # ISO 8601's month or year, a whole one: `--until 2026-11`
            return _month_or_year(int(month.group(1)), month.group(2), tz, end, option or ("--until" if end else
                                                                                             "--since"), typed)
        text = _end_of_day(text, option or ("--until" if end else "--since"))
        try:  # every date-only spelling is a whole day: `--until 20260101` was read as midnight, leaving it out
            value = date.fromisoformat(text)
        except ValueError:
            try:
                value = _day_at_offset(text, end) or datetime.fromisoformat(text.replace("Z", "+00:00"))
                if _DAY_THEN.match(text) and not _DAY_THEN_TIME.match(text) and not _DAY_AT_OFFSET.fullmatch(text):
                    raise ValueError(text)
            except ValueError:
                raise NewsroomError(why_no_date(text, option or ("--until" if end else "--since"))) from None
    if isinstance(value, datetime):
        # a wall time the clocks skip (02:30 on the night they jump from 02:00 to 03:00) is the instant Python reads
        # it at, 03:30, and is shown so: the header showed 02:30, a time that never was, for a query from 03:30
        when = value if value.tzinfo else _existing(value.replace(tzinfo=tz))
    else:
        when = datetime.combine(value, time.min, tzinfo=tz)
        if end:
            try:
                when += timedelta(days=1)
            except OverflowError:  # 9999-12-31, the usual way to say "no end"
                return None
    if when < EARLIEST:  # 0001-01-01, "from the beginning": nothing is older than this anyway
        if end:  # so a period ending then is empty: `--until 1026-11-30` (a year mistyped) read "to 1900-01-01 00:09",
            # and with `--since 1026-11-01` "--since 1026-11-01 is not before --until 1026-11-30"
            option = option or "--until"
            raise NewsroomError(f"{option} {typed} is before 1900-01-01, the earliest date the store reads: "
                                f"no article is dated that early (is the year mistyped?); give a later {option}.")
        return EARLIEST
    if when > LATEST:  # past year 9999 in UTC once the offset is applied: out of every date library's range
        if end:
            return None
        raise NewsroomError(f"Start date {_as_typed(value)} is past 9999-01-01 00:00 UTC, the latest start the store can read: "
                            "nothing is published that late (leave --since out, or give an earlier date).")
    if when.utcoffset() % timedelta(minutes=1):  # a local mean time offset (Paris before 1911: +00:09:21)
        when = when.astimezone(UTC)
    return when


_MONTH_OR_YEAR = re.compile(r"(\d{4})(?:-(\d{2}))?")


def _month_or_year(year: int, month: str | None, tz: ZoneInfo, end: bool, option: str, typed: str) -> datetime | None:
    """`--since 2026-11` is the 1st of November at midnight, `--until 2026-11` the 1st of December (November
    included), `2026` the whole year: they were refused as no date ("use YYYY-MM-DD or an ISO 8601 date-time"),
    though ISO 8601 writes a month and a year so."""
    first = int(month or 1)
    if not 1 <= first <= 12:
        raise NewsroomError(f"{option} {typed} is no month: a month is 01 to 12.")
    if end:
        year, first = (year + (first == 12), first % 12 + 1) if month else (year + 1, 1)
    if year > 9999:  # `--until 9999`, the usual way to say "no end"
        return None
    return parse_when(f"{year:04d}-{first:02d}-01", tz, option=option)


def _existing(when: datetime) -> datetime:
    """The same instant as a wall time that was on the clocks (the day's first 01:30 stays itself; a skipped 02:30
    becomes 03:30); at the calendar's ends, where no offset can be applied, as given (the bounds are checked next)."""
    try:
        return when.astimezone(UTC).astimezone(when.tzinfo)
    except OverflowError:
        return when


# A day with a UTC offset and no time (`2026-11-23Z`, `2026-11-23-05:00`, as XML Schema writes a date): Python reads
# any character after a day as the date-time separator, so `2026-11-23-05:00` was 05:00 local time and `2026-11-23Z`
# local midnight (queries audit, eighth round). A time follows a day after T or a space only.
_DAY_AT_OFFSET = re.compile(r"(\d{4}-?\d{2}-?\d{2})(Z|[+-]\d{2}(?::?\d{2})?)", re.IGNORECASE)
_DAY_THEN = re.compile(r"\d{4}-?\d{2}-?\d{2}\D")
_DAY_THEN_TIME = re.compile(r"\d{4}-?\d{2}-?\d{2}[Tt ]\d")


# ISO 8601's end of a day, `2026-11-30T24:00` (`24:00:00`, `T2400`, with an offset or Z): Python reads hours 0 to 23
_HOUR_24 = re.compile(r"(\d{4}-?\d{2}-?\d{2})[Tt ]24(:?\d{2})?(:?\d{2}(?:[.,]\d+)?)?(Z|[+-]\d{2}(?::?\d{2})?)?",
                      re.IGNORECASE)


def _end_of_day(text: str, option: str) -> str:
    """`2026-11-30T24:00` as the next day's 00:00, at the same offset: ISO 8601 writes the end of a day so, and
    `--until 2026-11-30T24:00` was refused as no date. Any other time in hour 24 is refused naming it."""
    match = _HOUR_24.fullmatch(text)
    if not match:
        return text
    if any(part and part.strip(":.,0") for part in match.group(2, 3)):  # 24:30 is no time of day
        from pipeline.configfiles import shown_value

        raise NewsroomError(f"{option} {shown_value(text)} is no time: hour 24 is only 24:00, the end of the day "
                            "(the next day's 00:00).")
    try:
        day = date.fromisoformat(match.group(1))
    except ValueError:
        raise NewsroomError(why_no_date(text, option)) from None
    return f"{day + timedelta(days=1):%Y-%m-%d}T00:00{(match.group(4) or '').upper()}"


def _day_at_offset(text: str, end: bool) -> datetime | None:
    """`2026-11-23-05:00`: the day from midnight at that offset (to the next midnight when `end`), else None."""
    match = _DAY_AT_OFFSET.fullmatch(text)
    if not match:
        return None
    offset = "+00:00" if match.group(2).upper() == "Z" else match.group(2)
    start = datetime.fromisoformat(f"{date.fromisoformat(match.group(1)).isoformat()}T00:00{offset}")
    return start + timedelta(days=1) if end else start


_YEAR_FIRST = re.compile(r"(\d{4})-?(\d{2})-?(\d{2})(?:[Tt Zz+-]|$)")
_DAY_FIRST = re.compile(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})$")


def why_no_date(text: str, option: str) -> str:
    """The sentence refusing a typed date, naming its option: "use YYYY-MM-DD" told `2026-02-30`, written so,
    nothing, and `30/11/2026` (the French order) not the date it meant. A well-formed date that is no day names the
    month's length (`31/11/2026` too, in either order: it was told "use YYYY-MM-DD"); a day/month date gets its
    year-first spelling, both readings when day and month could be swapped."""
    from calendar import monthrange

    from pipeline.configfiles import shown_value

    typed = shown_value(text)  # cut to 80 characters: a pasted paragraph was quoted whole

    def no_day(year: int, month: int, day: int) -> str | None:
        if not 1 <= month <= 12:
            return f"{option} {typed} is no day: a month is 01 to 12."
        days = monthrange(year, month)[1]
        if not 1 <= day <= days:
            return f"{option} {typed} is no day: {date(year, month, 1):%B %Y} has {days} days."
        return None

    if match := _YEAR_FIRST.match(text):
        year, month, day = (int(part) for part in match.groups())
        if problem := no_day(year, month, day):
            return problem
    if match := _DAY_FIRST.match(text):
        first, second, year = (int(part) for part in match.groups())
        orders = [(first, second), (second, first)] if first != second else [(first, second)]
        days = [(day, month) for day, month in orders if not no_day(year, month, day)]
        readings = [f"{year}-{month:02}-{day:02}" + (f" ({day} {date(year, month, 1):%B})" if len(days) > 1 else "")
                    for day, month in days]
        if readings:
            return f"{option} {typed}: write dates year first, {' or '.join(readings)}."
        # no reading is a day: the one whose month exists says why (day first, the French order, before month first)
        day, month = ([order for order in orders if 1 <= order[1] <= 12] or orders)[0]
        return no_day(year, month, day)
    return f"Invalid date {typed} for {option}: use YYYY-MM-DD or an ISO 8601 date-time."


def _as_typed(value: date | datetime) -> str:
    return value.isoformat() if isinstance(value, datetime) else value.strftime("%Y-%m-%d")


def bucket_start(moment: datetime, interval: str, tz: ZoneInfo) -> datetime:
    """The start of the calendar bucket holding `moment` in `tz`: midnight, Monday midnight or the 1st."""
    day = moment.astimezone(tz).date()
    if interval == "week":
        day -= timedelta(days=day.weekday())
    elif interval == "month":
        day = day.replace(day=1)
    return datetime.combine(day, time.min, tzinfo=tz)


def _following(day: date, interval: str) -> date:
    if interval == "month":
        return (day.replace(day=28) + timedelta(days=4)).replace(day=1)
    return day + timedelta(days=7 if interval == "week" else 1)


def next_bucket(start: datetime, interval: str, tz: ZoneInfo) -> datetime:
    """The start of the bucket after the one starting at `start` (calendar days, so DST days last 23 or 25 h)."""
    return datetime.combine(_following(start.astimezone(tz).date(), interval), time.min, tzinfo=tz)


def query_window(settings: Settings, since=None, until=None, interval: str = "day",
                 now: datetime | None = None) -> tuple[datetime, datetime | None]:
    """The period a command covers, in NEWSROOM_TIMEZONE whatever the store: dates are local days (`until`
    included), naive date-times local times. Without `since`, the default look-back (INTERVALS) starts at the start
    of its first bucket, so the first day/week/month is counted whole.

    The end is None (no end, as in `search`) for `--until 9999-12-31`, and when no `--until` is given but `--since`
    is in the future (a stored article can be dated later than now); otherwise it is `until`, or now."""
    interval = one_of(interval, INTERVALS, "interval")  # before the default look-back, which is read from it
    tz = zone(settings)
    now = now or datetime.now(UTC)
    end = parse_when(until, tz, end=True)
    open_end = end is None and until not in (None, "")
    start = parse_when(since, tz)
    if end is None and not open_end:
        open_end = start is not None and start >= now
        end = None if open_end else now
    if start is None:
        start = bucket_start((end or now) - timedelta(days=INTERVALS[interval]), interval, tz)
    if end is not None and start >= end:
        raise empty_period(since, until, tz)
    return _local(start, tz), end and _local(end, tz)


def empty_period(since, until, tz: ZoneInfo) -> NewsroomError:
    """The one sentence every command gives for `--since` not before `--until`: both as typed, and the zone."""
    return NewsroomError(f"--since {str(since).strip()} is not before --until {str(until).strip()} (read in "
                         f"{tz.key}{', the --until day included' if _is_day(until) else ''}): the period is empty.")


def _is_day(value) -> bool:
    return isinstance(value, str) and len(value.strip()) == 10 or (isinstance(value, date)
                                                                   and not isinstance(value, datetime))


def published_range(start: datetime, end: datetime | None) -> dict:
    """The `published_at` filter of a period; no upper bound when the period has no end."""
    bounds = {"gte": start.isoformat()}
    if end is not None:
        bounds["lt"] = end.isoformat()
    return {"range": {"published_at": bounds}}


def _local(when: datetime, tz: ZoneInfo) -> datetime:
    """`when` in the zone, unless the zone then had a local mean time offset (Paris before 1911: +00:09:21), which
    Elasticsearch's date parser refuses: such far dates stay in UTC."""
    local = when.astimezone(tz)
    offset = local.utcoffset()
    return local if offset is None or offset.seconds % 60 == 0 else when.astimezone(UTC)


def describe_window(start: datetime | None, end: datetime | None, tz: ZoneInfo) -> str:
    """The period as the user typed it: whole local days with the last day included, or times with the zone
    ("2026-11-01 → 2026-11-30 (Europe/Paris)"); an open side reads "from …" / "to …"; "" when both are open.
    A start at EARLIEST (`--since 0001-01-01`) is an open side: not "from 1900-01-01 00:09", Paris's mean time."""
    start = None if start is not None and start <= EARLIEST else start
    start, end = start and start.astimezone(tz), end and end.astimezone(tz)
    days = all(t is None or t.time() == time.min for t in (start, end))
    # to the minute, unless both sides then read the same: a 30-second period read "10:00 → 10:00", as if empty
    clock = "%H:%M"
    for finer in ("%H:%M:%S", "%H:%M:%S.%f"):
        if start and end and start.strftime(clock) == end.strftime(clock):
            clock = finer
    first = start and (f"{start.date()}" if days else start.strftime(f"%Y-%m-%d {clock}"))
    last = end and (f"{end.date() - timedelta(days=1)}" if days else end.strftime(f"%Y-%m-%d {clock}"))
    zone_name = tz.key if days or not end else f"{tz.key}, end excluded"
    if first and last:
        return f"{first} → {last} ({zone_name})"
    if first:
        return f"from {first} ({zone_name})"
    return f"to {last} ({zone_name})" if last else ""


def voice_percentages(share: dict[str, float]) -> dict[str, str]:
    """Shares of voice as whole percentages that add up to 100 % (largest remainder: 3/11, 5/11, 3/11 read 27 %,
    46 %, 27 %, not 27/45/27), or "—" for each when nothing was mentioned (a share of nothing is not 0 %)."""
    total = sum(share.values())
    if total <= 0:
        return {name: "—" for name in share}
    exact = {name: 100 * value / total for name, value in share.items()}
    whole = {name: int(value) for name, value in exact.items()}
    order = sorted(exact, key=lambda name: exact[name] - whole[name], reverse=True)  # stable: ties keep their order
    for name in order[:100 - sum(whole.values())]:
        whole[name] += 1
    return {name: f"{value}%" for name, value in whole.items()}


def local_time(value: str | datetime | None, tz: ZoneInfo) -> str:
    """A stored instant as wall-clock time in `tz` with the zone ("2026-10-25 00:30 CEST"), as filters read dates."""
    if not value:
        return ""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return value[:16]
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(tz).strftime("%Y-%m-%d %H:%M %Z")


def _entity_filter(names: list[str]) -> dict:
    """A company's mentions, under its name or a former one (pipeline/companies.py), any case."""
    clauses = [{"term": {"company": {"value": name, "case_insensitive": True}}} for name in names]
    return clauses[0] if len(clauses) == 1 else {"bool": {"should": clauses, "minimum_should_match": 1}}


def coverage(
    client: Elasticsearch,
    settings: Settings,
    entities: list[str],
    interval: str = "day",
    since: str | date | datetime | None = None,
    until: str | date | datetime | None = None,
    count: str = "articles",
    now: datetime | None = None,
) -> dict:
    """Series per entity, share of voice, top sources (see docs/storage.md for the JSON shape).

    The period is read in NEWSROOM_TIMEZONE as by every other command; only the buckets fall back to UTC on the
    stand-in. A bucket the period covers only in part (an explicit mid-week --since, the stand-in's UTC edges,
    today so far) is marked `partial`."""
    interval = one_of(interval, INTERVALS, "interval")  # any case: `--interval Week`
    count = one_of(count, COUNT_MODES, "count mode")
    entities = list(dict.fromkeys(e.strip() for e in entities if e and e.strip()))
    renames = renamed(settings) if entities else {}
    stored = {e: names_of(e, renames) for e in entities}  # a renamed company's articles stored under its former name
    tz = zone(settings)
    notes: list[str] = []
    tz_applied = not is_standin(client)
    bucket_tz = tz if tz_applied else ZoneInfo("UTC")
    if not tz_applied and tz.key not in ("UTC", "Etc/UTC"):  # UTC buckets are then the zone's own
        note = (
            f"the embedded Elasticsearch stand-in ignores time_zone: buckets are UTC {interval}s, not "
            f"{settings.timezone} ones (use a real cluster for local-time buckets); the period itself is read in "
            f"{settings.timezone}"
        )
        notes.append(note)
        log.info(note)
    now = now or datetime.now(UTC)
    start, end = query_window(settings, since, until, interval, now)
    # without an end, the buckets run to now (or the first bucket of a future start), and further where articles are
    last = end or max(now, next_bucket(bucket_start(start, interval, bucket_tz), interval,
                                                               bucket_tz))
    buckets = (last - start).days // {"day": 1, "week": 7, "month": 28}[interval] + 1
    if buckets > MAX_BUCKETS:
        raise NewsroomError(
            f"The range {start.date().isoformat()} to {last.date().isoformat()} needs about {buckets:,} {interval} "
            f"buckets, more than {MAX_BUCKETS:,}: give a later --since (or an earlier --until), or a longer "
            "--interval.")
    if buckets * len(entities) > MAX_RESPONSE_BUCKETS:
        raise NewsroomError(
            f"{len(entities)} companies over {buckets:,} {interval} buckets make {buckets * len(entities):,} buckets in "
            f"one answer, more than Elasticsearch returns ({MAX_RESPONSE_BUCKETS:,}): give fewer --entity, a later "
            "--since, or a longer --interval.")

    histogram = {
        "field": "published_at",
        "calendar_interval": interval,
        "min_doc_count": 0,
        "extended_bounds": {"min": int(start.timestamp() * 1000), "max": int(last.timestamp() * 1000) - 1},
        "format": "yyyy-MM-dd",
    }
    if tz_applied:
        histogram["time_zone"] = settings.timezone
    cluster_card = {"cardinality": {"field": "cluster_id", "precision_threshold": PRECISION}}
    body = {
        "size": 0,
        "query": {
            "bool": {
                "filter": [published_range(start, end)],
                "should": [_entity_filter(stored[e]) for e in entities],
                "minimum_should_match": 1,
            }
        },
        "aggs": {
            "per_entity": {
                "filters": {"filters": {e: _entity_filter(stored[e]) for e in entities}},
                "aggs": {
                    "over_time": {
                        "date_histogram": histogram,
                        "aggs": {"sentiment": {"avg": {"field": "sentiment.score"}}, "clusters": cluster_card},
                    },
                    "sentiment": {"avg": {"field": "sentiment.score"}},
                    "clusters": cluster_card,
                },
            },
            "top_sources": {
                # every source, cut to the top ones here: the store ranks terms by mentions, and a source with more
                # articles but fewer mentions (one company per article) fell out of a top 10 counted in articles
                "terms": {"field": "source", "size": SOURCES_RANKED},
                "aggs": {
                    "articles": {"cardinality": {"field": "article_id", "precision_threshold": PRECISION}},
                    "clusters": cluster_card,
                },
            },
        },
    }
    alias = index_names(settings.es_index_prefix)["mentions"]
    if not client.indices.exists_alias(name=alias):
        raise NewsroomError(f"No mentions index ({alias}) yet: run `newsroom setup` and `newsroom ingest` first.")
    # no company (a report over a period nobody was mentioned in): the period alone, nothing to count
    aggs = client.search(index=alias, **body)["aggregations"] if entities else {"top_sources": {"buckets": []}}

    # counted up to now at most: with an `--until` to come (`--until` next Sunday), today's bucket and the ones after
    # it were shown whole, this week's first days read as a full week beside last week's
    measured = min(last, now)
    series: dict[str, list[dict]] = {}
    totals: dict[str, dict] = {}
    for entity in entities:
        bucket = aggs["per_entity"]["buckets"][entity]
        points = []
        for b in bucket["over_time"]["buckets"]:
            articles = b["doc_count"]
            clusters = b["clusters"]["value"] if articles else 0
            avg = b["sentiment"]["value"]
            opens = datetime.fromtimestamp(b["key"] / 1000, bucket_tz)
            points.append({
                "date": b["key_as_string"][:10],
                "count": clusters if count == "clusters" else articles,
                "articles": articles,
                "clusters": clusters,
                "sentiment": None if avg is None else round(avg, 3),
                "partial": opens < start or opens < measured < next_bucket(opens, interval, bucket_tz)
                           or measured <= opens,
            })
        series[entity] = points
        avg = bucket["sentiment"]["value"]
        totals[entity] = {
            "count": bucket["clusters"]["value"] if count == "clusters" else bucket["doc_count"],
            "articles": bucket["doc_count"],
            "clusters": bucket["clusters"]["value"] if bucket["doc_count"] else 0,
            "sentiment": None if avg is None else round(avg, 3),
        }
    grand = sum(t["count"] for t in totals.values())
    share = {e: (round(t["count"] / grand, 4) if grand else 0.0) for e, t in totals.items()}
    top_sources = [
        {"source": b["key"], "count": b["clusters"]["value"] if count == "clusters" else b["articles"]["value"],
         "mentions": b["doc_count"]}
        for b in aggs["top_sources"]["buckets"]
    ]
    top_sources = sorted(top_sources, key=lambda s: (-s["count"], s["source"]))[:TOP_SOURCES]
    partial = [p["date"] for p in next(iter(series.values()), []) if p["partial"]]  # same buckets for every company
    if partial:
        going_on = " or they are not over yet" if measured < last else ""  # an --until still to come
        notes.append(f"partial {interval}s (the period covers only part of them{going_on}): {', '.join(partial)}")
    return {
        "interval": interval,
        "count": count,
        "since": start.isoformat(),
        "until": end and end.isoformat(),
        "period": describe_window(start, end, tz),
        "time_zone": settings.timezone if tz_applied else "UTC",
        "requested_time_zone": settings.timezone,
        "time_zone_applied": tz_applied,
        "series": series,
        "totals": totals,
        "share_of_voice": share,
        "top_sources": top_sources,
        "notes": notes,
    }


def _window(settings: Settings, since, until) -> tuple[datetime, datetime]:
    return query_window(settings, since, until)


def _mentions_alias(client: Elasticsearch, settings: Settings) -> str:
    alias = index_names(settings.es_index_prefix)["mentions"]
    if not client.indices.exists_alias(name=alias):
        raise NewsroomError(f"No mentions index ({alias}) yet: run `newsroom setup` and `newsroom ingest` first.")
    return alias


# Rows of `--by source` and `--co-mentions` per company: every source and every watched company (the store keeps
# as many buckets as asked); past this a note says how much is left out. They were cut at 50 sources and 20 companies
# without a word, in the table and the CSV export alike.
ROWS_PER_COMPANY = 1000


def _left_out(entity: str, buckets: dict, what: str, size: int) -> list[str]:
    """A note when a terms aggregation kept only its `size` largest buckets."""
    left_out = buckets.get("sum_other_doc_count") or 0
    return [f"{entity}: only the {size:,} {what} are listed, others are left out."] if left_out else []


def coverage_by_source(client: Elasticsearch, settings: Settings, entities: list[str], since=None, until=None,
                       size: int = ROWS_PER_COMPANY) -> dict:
    """Per company, per source: mentions, average tone toward the company and how many were negative/positive."""
    start, end = _window(settings, since, until)
    alias = _mentions_alias(client, settings)
    rows, notes = [], []
    for entity in entities:
        response = client.search(index=alias, size=0, query={"bool": {"filter": [
            {"terms": {"company": stored_names([entity], settings)}}, published_range(start, end)]}},
            aggs={"sources": {"terms": {"field": "source", "size": size}, "aggs": {
                "tone": {"avg": {"field": "sentiment.score"}},
                "labels": {"terms": {"field": "sentiment.label", "size": 5}}}}})
        notes += _left_out(entity, response["aggregations"]["sources"], "sources with the most mentions", size)
        for b in response["aggregations"]["sources"]["buckets"]:
            labels = {x["key"]: x["doc_count"] for x in b["labels"]["buckets"]}
            avg = b["tone"]["value"]
            rows.append({"company": entity, "source": b["key"], "mentions": b["doc_count"],
                         "tone": None if avg is None else round(avg, 3),
                         **{label: labels.get(label, 0) for label in ("negative", "neutral", "positive")}})
    return {"since": start.isoformat(), "until": end and end.isoformat(), "period": describe_window(start, end, zone(settings)),
            "rows": rows, "notes": notes}


def co_mentions(client: Elasticsearch, settings: Settings, entities: list[str], since=None, until=None,
                size: int = ROWS_PER_COMPANY) -> dict:
    """Per company: the other watched companies mentioned in the same articles, with article counts."""
    start, end = _window(settings, since, until)
    alias = index_names(settings.es_index_prefix)["articles"]
    if not client.indices.exists_alias(name=alias):
        raise NewsroomError(f"No articles index ({alias}) yet: run `newsroom setup` and `newsroom ingest` first.")
    rows, notes = [], []
    mentioned: dict[str, int] = {}
    renames = renamed(settings) if entities else {}
    for entity in entities:
        response = client.search(index=alias, size=0, query={"bool": {"filter": [
            {"terms": {"orgs": names_of(entity, renames)}}, published_range(start, end)]}},
            aggs={"with": {"terms": {"field": "orgs", "size": size + 1}}}, track_total_hits=True)
        total = response["hits"]["total"]
        total = mentioned[entity] = total["value"] if isinstance(total, dict) else total
        notes += _left_out(entity, response["aggregations"]["with"], "companies most often mentioned with it",
                           size)
        for company, count in merged_counts(response["aggregations"]["with"]["buckets"], renames):
            if company != entity:
                rows.append({"company": entity, "co_mentioned": company, "articles": count,
                             "share": round(count / total, 4) if total else 0.0})
    return {"since": start.isoformat(), "until": end and end.isoformat(), "period": describe_window(start, end, zone(settings)),
            "rows": rows, "articles": mentioned, "notes": notes}


MENTION_FIELDS = ["article_id", "company", "published_at", "source", "lang", "sentiment", "title", "url"]


def _mentions_query(settings: Settings, entities: list[str], since, until, tone: str | None) -> dict:
    start, end = _window(settings, since, until)
    filters = [{"terms": {"company": stored_names(entities, settings)}}, published_range(start, end)]
    if tone:
        filters.append({"term": {"sentiment.label": tone}})
    return {"bool": {"filter": filters}}


def _mention_row(source: dict, renames: dict[str, str]) -> dict:
    """One stored mention as `mentions` lists and exports it, the tone (and whether an analyst corrected it)."""
    from pipeline.corrections import evidence_of, shown_tone

    doc = stored_article(source)  # a mention written by an older version reads alike
    sentiment = shown_tone(doc.get("sentiment"))
    corrected = bool(sentiment.get("corrected"))
    row = {"published_at": doc.get("published_at"), "article_id": doc.get("article_id"),
           "company": current_name(doc.get("company"), renames), "tone": sentiment.get("label"),
           "score": sentiment.get("score"),
           "source": doc.get("source"), "lang": doc.get("lang"), "title": doc.get("title"),
           "url": doc.get("url"), "corrected": corrected,
           "corrected_by": sentiment.get("corrected_by") if corrected else None,
           "model_label": sentiment.get("model_label") if corrected else None,
           "confidence": sentiment.get("confidence"), "evidence": [] if corrected else evidence_of(sentiment)}
    if corrected:  # the model's reasons are for its own label, as alerts and search give them
        row.update({"model_confidence": sentiment.get("model_confidence"),
                    "model_evidence": evidence_of(sentiment)})
    return row


def list_mentions(client: Elasticsearch, settings: Settings, entities: list[str], since=None, until=None,
                  tone: str | None = None, size: int = 100) -> tuple[list[dict], int]:
    """The latest mentions of the companies (one row per article × company), newest first, with the tone (and
    whether an analyst corrected it), and how many mentions match in all: `size` bounds the rows, not the count."""
    renames = renamed(settings) if entities else {}
    reply = client.search(index=_mentions_alias(client, settings), size=size, source=MENTION_FIELDS,
                          query=_mentions_query(settings, entities, since, until, tone), track_total_hits=True,
                          sort=[{"published_at": {"order": "desc"}}])["hits"]
    rows = [_mention_row(hit["_source"], renames) for hit in reply["hits"]]
    total = reply["total"]["value"] if isinstance(reply.get("total"), dict) else len(rows)
    return rows, total


def every_mention(client: Elasticsearch, settings: Settings, entities: list[str], since=None, until=None,
                  tone: str | None = None) -> Iterator[dict]:
    """Every matching mention, newest first, a page at a time (`mentions --all --csv`): past the 10,000 one search
    returns (Elasticsearch's result window), in memory bounded by a page whatever the count (store.client.every_hit:
    a point in time where the cluster has one, the sort made unique by the article and the company)."""
    from pipeline.store.client import every_hit

    renames = renamed(settings) if entities else {}
    body = {"source": MENTION_FIELDS, "query": _mentions_query(settings, entities, since, until, tone),
            "sort": [{"published_at": {"order": "desc"}}]}
    for hit in every_hit(client, _mentions_alias(client, settings), body,
                         tiebreak=[{"article_id": {"order": "asc"}}, {"company": {"order": "asc"}}]):
        yield _mention_row(hit["_source"], renames)


TONE_LEGEND = "tone: average tone toward the company, -1 (negative) to +1 (positive)"
SMALL_COUNTS = 10  # at most this many per bucket: bars (a line between 0, 1 and 2 reads as a trend)
MAX_OVERLAID = 3  # more companies than this, or series that coincide, get one panel each


def chart_layout(result: dict) -> dict:
    """How to draw the coverage: bars or lines, one panel for all companies or one per company."""
    series = result["series"]
    counts = [[p["count"] for p in points] for points in series.values()]
    peak = max((max(c) for c in counts if c), default=0)
    bars = peak <= SMALL_COUNTS
    overlap = False
    if len(counts) > 1:
        shared = [i for i in range(len(counts[0])) if sum(1 for c in counts if c[i]) > 1]
        same = [i for i in shared if len({c[i] for c in counts if c[i]}) < sum(1 for c in counts if c[i])]
        overlap = bool(shared) and len(same) * 2 >= len(shared)
    panels = len(series) > MAX_OVERLAID or overlap or (bars and len(series) > 1)
    return {"bars": bars, "panels": panels}


BAR_FILL = 0.85  # share of its period a bucket's bars cover (a gap shows where one period ends)
MAX_TICKS = 14


def coverage_figure(result: dict):
    """Counts and average tone per bucket and company, as a matplotlib Figure (Agg).

    Bars when counts are small; one panel per company when overlaid lines would hide each other; the tone is
    drawn against its own axis. Each bar spans its own day, week or month (ticks on bucket starts, points at
    mid-bucket) and partial buckets are hatched; the legend sits below the axes, where it hides no point.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch
    from matplotlib.ticker import MaxNLocator

    layout = chart_layout(result)
    unit = "clusters" if result.get("count") == "clusters" else "articles"
    entities = list(result["series"])
    colours = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    first = result["series"][entities[0]]
    starts = [datetime.fromisoformat(p["date"]) for p in first]
    ends = [datetime.combine(_following(d.date(), result["interval"]), time.min) for d in starts]
    days = [(e - s) / timedelta(days=1) for s, e in zip(starts, ends)]
    middles = [s + (e - s) / 2 for s, e in zip(starts, ends)]
    partial = [bool(p.get("partial")) for p in first]

    voices = voice_percentages(result["share_of_voice"])

    def draw(ax_count, ax_tone, entity: str, index: int, share_of: int) -> None:
        points = result["series"][entity]
        colour = colours[index % len(colours)]
        share = voices.get(entity, "—")
        label = (f"{for_chart(entity)} ({share} share of voice)" if share != "—"  # a name may hold `$…$` (mathtext)
                 else f"{for_chart(entity)} (no mentions)")
        if layout["bars"]:
            widths = [d * BAR_FILL / share_of for d in days]
            slot = index if share_of > 1 else 0  # side by side inside the bucket when companies share the axes
            lefts = [s + timedelta(days=d * (1 - BAR_FILL) / 2 + w * slot) for s, d, w in zip(starts, days, widths)]
            bars = ax_count.bar(lefts, [p["count"] for p in points], width=widths, align="edge", color=colour,
                                alpha=0.8, label=label)
            for bar, cut in zip(bars, partial):
                if cut:
                    bar.set_hatch("//")
            keys.append(Patch(facecolor=colour, alpha=0.8, label=label))  # not the first bar, which may be hatched
        else:
            keys.append(ax_count.plot(middles, [p["count"] for p in points], marker="o", ms=3, color=colour,
                                      label=label)[0])
            cut = [(m, p["count"]) for m, p, c in zip(middles, points, partial) if c]
            if cut:  # an open dot: the count covers only part of its period
                ax_count.plot(*zip(*cut), marker="o", ms=6, mfc="white", color=colour, linestyle="none")
        ax_tone.plot(middles, [float("nan") if p["sentiment"] is None else p["sentiment"] for p in points],
                     marker="D", ms=4, linestyle=":", color=colour)
        ax_count.set_ylabel(f"{unit} per {result['interval']}")
        ax_count.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax_count.set_ylim(bottom=0)
        ax_count.grid(alpha=0.3)
        ax_tone.set_ylim(-1.05, 1.05)
        ax_tone.axhline(0, color="grey", lw=0.6)
        ax_tone.set_ylabel("average tone")

    keys: list = []  # the legend: one key per company, then what the tone marks and hatching mean
    if layout["panels"]:
        # laid out by fit_panels, not by matplotlib's constrained layout, which measures every axis twice per draw:
        # 56 companies took 40 s
        # and sharing no x axis (every limit set on one of n shared axes is set on all n): kept in step below
        fig, axes = plt.subplots(len(entities), 1, figsize=(10, PANEL_INCHES * len(entities)), squeeze=False)
        for index, entity in enumerate(entities):
            ax = axes[index][0]
            draw(ax, ax.twinx(), entity, index, 1)
            # a plain text, not set_title, which places itself by measuring the axis's decorations at each draw
            ax.text(0, 1.03, for_chart(entity), fontsize=9, transform=ax.transAxes)
        dated = [row[0] for row in axes]
        bottom = dated[-1]
    else:
        fig, (ax_count, ax_tone) = plt.subplots(2, 1, figsize=(10, 7), sharex=True, height_ratios=[2, 1],
                                                layout="constrained")
        for index, entity in enumerate(entities):
            draw(ax_count, ax_tone, entity, index, len(entities))
        bottom = ax_tone
        dated = [bottom]
    for ax in fig.axes:  # a count axis with nothing on it read 0.000 to 0.054 articles: counts are whole
        if ax.get_ylabel().startswith(f"{unit} per ") and ax.get_ylim()[1] < 1:
            ax.set_ylim(0, 1)
    keys.append(Line2D([], [], color="grey", marker="D", ms=4, linestyle=":", label=TONE_LEGEND))
    if any(partial):
        keys.append(Patch(facecolor="white", edgecolor="grey", hatch="//", label="hatched: partial period")
                    if layout["bars"] else Line2D([], [], color="grey", marker="o", mfc="white", linestyle="none",
                                                  label="open dot: partial period"))
    legend = fig.legend(handles=keys, loc="lower center" if layout["panels"] else "outside lower center",
                        ncol=min(3, len(keys)), fontsize=7)
    for ax in dated:
        ax.set_xlim(starts[0], ends[-1])
        ax.set_xticks(starts[:: -(-len(starts) // MAX_TICKS)])  # bucket starts only
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y-%m" if result["interval"] == "month" else "%Y-%m-%d"))
        ax.tick_params(labelbottom=ax is bottom)
    for label in bottom.get_xticklabels():
        label.set(rotation=30, horizontalalignment="right")
    fig.suptitle(f"Coverage per {result['interval']} ({result['time_zone']})")
    if layout["panels"]:
        fit_panels(fig, legend, len(entities))
    return fig


PANEL_INCHES = 2.2  # height of one company's panel
MARGINS = {"top": 0.55, "between": 0.45, "dates": 0.85, "side": 0.8}  # inches: title, panel titles, date labels, y labels


def fit_panels(fig, legend, panels: int) -> None:
    """Fixed margins around one panel per company, the legend measured once and kept under the date labels: what
    constrained layout found, without measuring every axis (112 axes for 56 companies) twice per draw."""
    height = legend.get_window_extent(fig.canvas.get_renderer()).height / fig.dpi
    bottom = height + MARGINS["dates"]
    total = MARGINS["top"] + panels * PANEL_INCHES + bottom
    fig.set_size_inches(10, total)
    fig.subplots_adjust(left=MARGINS["side"] / 10, right=1 - MARGINS["side"] / 10, top=1 - MARGINS["top"] / total,
                        bottom=bottom / total, hspace=MARGINS["between"] / (PANEL_INCHES - MARGINS["between"]))
    legend.set_bbox_to_anchor((0.5, 0.05 / total), transform=fig.transFigure)


def render_png(result: dict, path: str | Path) -> Path:
    """The coverage chart (coverage_figure) as a PNG file."""
    import matplotlib.pyplot as plt

    path = Path(path)
    fig = coverage_figure(result)
    image = io.BytesIO()
    fig.savefig(image, format="png", dpi=110)
    plt.close(fig)
    # written by us, not by matplotlib, which swallowed a full disk; symlinks followed, no half-written file
    with atomic_output(path, what="Chart file", binary=True) as fh:
        fh.write(image.getvalue())
    return path


def png_path(path: str | Path, option: str = "--png") -> Path:
    """The chart file asked for, checked before any work: a PNG name (matplotlib picks the format from the suffix,
    so `chart.xyz` was a traceback and `chart` silently became `chart.png`), not a directory."""
    path = Path(path)
    if path.suffix.lower() != ".png":
        raise ConfigError(f"{option} {path}: the chart is a PNG image; give a file name ending in .png.")
    prepare_output(path, option)
    return path
