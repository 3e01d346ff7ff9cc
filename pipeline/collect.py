"""Feeds → articles: fetch feeds, parse, normalise, dedupe, relevance-filter, fetch pages politely, extract, archive.

Feed state (ETag, Last-Modified, body hash) is only persisted by `commit()`, which callers run once the articles are
safely stored: a run killed half-way is simply redone, instead of the next run skipping items (304 / unchanged body)
that were never stored. Failure counters are persisted immediately (they lose nothing).
"""

from __future__ import annotations

import asyncio
import errno
import functools
import gc
import hashlib
import logging
import os
import pickle
import queue
import re
import threading
import time
from collections import Counter, deque
from collections.abc import AsyncIterator, Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import asdict, astuple, dataclass, field, fields
from datetime import datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import urlsplit

import httpx
from pydantic import ValidationError

from pipeline.archive import WarcArchive
from pipeline.budget import PageTooComplex
from pipeline.errors import NewsroomError
from pipeline.extract import (article_from_summary, cap_text, content_hash, count_words, extract_article,
                              extract_continuation)
from pipeline.feedworker import FeedParseFailed, FeedParserProcess
from pipeline.feeds import another_story
from pipeline.fetch import Fetcher, FetchFailed, Resolver, cache_validator
from pipeline.models import Article, Feed, FeedItem
from pipeline.pagetype import RETRY_FALLBACKS, NotTheStory, transient_failure
from pipeline.safewrite import atomic_output
from pipeline.settings import Settings
from pipeline.sinks import mask_secrets, mask_url, single_line
from pipeline.state import FeedState, StateStore
from pipeline.topics import load_topic_matcher
from pipeline.urls import domain_of, host_of, is_google_news, normalize_url, site_of, spelled_plainly, twin_ids

log = logging.getLogger(__name__)

IsKnown = Callable[[list[str]], set[str]]
IsUpdated = Callable[[dict[str, str]], set[str]]  # article id → the feed item's version now: ids updated since stored

# Disk full, quota exceeded, file too large: no page can be archived any more, so the run stops (the CLI says it in
# one sentence) instead of turning every following page into an "extraction error".
DISK_FULL = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG})


@dataclass
class CollectStats:
    feeds_ok: int = 0
    feeds_failed: int = 0
    feeds_not_modified: int = 0
    # feeds not asked this run because they or their site asked for rest (a long Retry-After, kept in the fetch
    # state): a skip counted as `retry-after`, not a failure (an Airflow retry would only meet the same rest)
    feeds_resting: int = 0
    feeds_malformed: int = 0  # bozo feeds: what parsed was kept
    # failed feeds (counted in feeds_failed too) whose body was too costly to parse: refused by its shape before
    # parsing, or stopped at the parse time limit (pipeline/feedworker.py)
    feeds_too_costly: int = 0
    # How the counts add up: feeds' entries without a usable link (or past the per-feed maximum) are `unusable`,
    # not items; items = before_since + duplicates + irrelevant + known + selected; selected = articles +
    # selected_skipped (every selected item gives an article or is skipped with a reason). `skipped` holds the reasons
    # of all three kinds (unusable, before-since, selected_skipped).
    unusable: int = 0
    items: int = 0
    before_since: int = 0
    selected: int = 0  # items whose page is to be fetched (after dedupe, relevance, known)
    selected_skipped: int = 0  # selected items that gave no article (not-an-article, update-not-fetched, no-text…)
    written: int = 0  # `newsroom fetch`: lines written (one per story: a story's copies are not written again)
    duplicates: int = 0
    story_copies: int = 0  # articles that turned out to be a story already collected (its AMP copy, ?from=rss)
    irrelevant: int = 0
    known: int = 0
    feed_updates: int = 0  # known items whose feed entry changed (date or title): fetched again, the article updated
    # items whose GUID a stored story of another link holds, under another title and another date or headline
    reused_guids: int = 0
    articles: int = 0
    feed_summary_fallbacks: int = 0
    implausible_dates: int = 0  # feed items whose date was before 1990 or in the future: treated as unknown
    uncategorised: int = 0  # feed items read without their categories (more than feeds.MAX_ITEM_CATEGORIES)
    implausible_page_dates: int = 0  # pages stating such a date (or an impossible one): the feed's date is used
    continuation_pages: int = 0  # pages 2, 3… of stories split over several pages (rel=next, a pager link), joined to page 1
    continuations_cut: int = 0  # such stories stored without a page that could not be fetched or read
    fallback_reasons: Counter = field(default_factory=Counter)  # why the page was not used
    skipped: Counter = field(default_factory=Counter)  # items that produced no article, by reason
    skipped_urls: dict = field(default_factory=dict)  # reason → the first few URLs (item, or feed for feed-level skips)
    feed_errors: list[dict] = field(default_factory=list)  # {feed, url, error}
    # feeds: reading all feeds; fetch: wall time until the last download ended; extract: time in extraction + archiving
    seconds: dict = field(default_factory=lambda: {"feeds": 0.0, "fetch": 0.0, "extract": 0.0, "total": 0.0})

    def skip(self, reason: str, url: str, n: int = 1) -> None:
        """Count `n` items skipped for `reason`, keeping the first few URLs as examples for the summary (masked:
        a feed URL may carry credentials, and the examples are printed and stored)."""
        self.skipped[reason] += n
        url = mask_url(url)
        examples = self.skipped_urls.setdefault(reason, [])
        if len(examples) < 3 and url not in examples:
            examples.append(url)

    def as_dict(self) -> dict:
        out = asdict(self)
        out["skipped"] = dict(self.skipped)
        out["skipped_urls"] = {k: list(v) for k, v in self.skipped_urls.items()}
        out["fallback_reasons"] = dict(self.fallback_reasons)
        out["seconds"] = {k: round(v, 3) for k, v in self.seconds.items()}
        return out


def _read_before(text: str, texts: list[str]) -> bool:
    """Whether a further page repeats lines already read and brings no new line of a sentence's length (40 characters;
    a pager's « Page 3 » is shorter): a site that ignores the page number in `?page=2` serves page 1 again under its
    own pager link, and the story was stored up to five times over (hostile input, twentieth round). A real page 2
    brings its own sentences, whatever long box it repeats."""
    read = {line.strip() for earlier in texts for line in earlier.split("\n")}
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    return any(line in read for line in lines) and all(len(line) < 40 for line in lines if line not in read)


class Collector:
    def __init__(
        self,
        settings: Settings,
        feeds: list[Feed],
        *,
        is_known: IsKnown | None = None,
        is_updated: IsUpdated | None = None,
        guid_versions: Callable[[list[str]], dict[str, tuple[str, str | None]]] | None = None,
        stored_headlines: Callable[[list[FeedItem]], list[tuple[str, datetime | None, str | None]]] | None = None,
        since: datetime | None = None,
        remember_seen: bool = False,
        resolver: Resolver | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        matcher=None,
        defer_failures: bool = False,
        refresh_feeds: bool = False,
    ):
        self.settings = settings
        # Single writer: with defer_failures the collector never writes the feed state, even failure counters;
        # they join pending_states() for whoever commits (the Airflow run's one enrich-and-index task).
        self.defer_failures = defer_failures
        self.feeds = [f for f in feeds if f.enabled]
        self.is_known = is_known
        self.is_updated = is_updated
        self.guid_versions = guid_versions
        self.stored_headlines = stored_headlines  # Google News copies of stories stored in an earlier run
        self._refresh_ids: set[str] = set()  # known items fetched again because their feed entry changed
        self._guid_keys: dict[str, str] = {}  # item's article id → the key of its feed GUID, when trusted
        self._other_scheme: dict[str, FeedItem] = {}  # selected item's id → the story's listing under http ↔ https
        self.since = since
        self.remember_seen = remember_seen  # the `fetch` command's own memory of written articles
        self.refresh_feeds = refresh_feeds  # read every feed in full: no conditional GET, no unchanged-body shortcut
        self.stats = CollectStats()
        if matcher is None and any(f.relevance == "filter" for f in self.feeds):
            matcher = load_topic_matcher(settings)  # a bad topics file fails here, before anything is fetched or written
        self.state = StateStore(settings.data_dir, settings.state_lock_timeout)
        self.archive = WarcArchive(settings.data_dir)
        self._resolver = resolver
        self._transport = transport
        self._matcher = matcher
        self._pending_states: dict[str, FeedState] = {}
        self._retry_feeds: set[str] = set()  # feeds with a page that failed for a passing reason: read in full next run
        self._credit: dict[str, tuple] = {}  # story id → (rank, source, feed_tags) of the copy it is credited to
        self._yielded: list[tuple[str, str]] = []
        self._redirect_targets: dict[str, str] = {}  # story id reached by a redirect → the first link that reached it
        self._pool: ThreadPoolExecutor | None = None
        self._feed_parser: FeedParserProcess | None = None  # feeds are parsed in a worker process, off the loop
        self._parse_pool: ThreadPoolExecutor | None = None  # the thread that waits for it
        self._extract_seconds = 0.0
        self.extract_cpu = (0, 0.0)  # pages extracted, CPU seconds of the extraction thread on them
        self._last_download: float | None = None

    # ---- public API

    async def articles(self) -> AsyncIterator[Article]:
        started = time.perf_counter()
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="extract")
        self._parse_pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="feed-parse")
        self._feed_parser = FeedParserProcess(self.settings.feed_parse_timeout)
        if self.feeds:
            self._feed_parser.start()  # its imports overlap the feeds' downloads
        try:
            async with Fetcher(self.settings, resolver=self._resolver, transport=self._transport,
                               state=self.state) as fetcher:
                try:
                    per_feed = await asyncio.gather(*(self._read_feed(fetcher, feed) for feed in self.feeds))
                finally:  # only the feeds need it: its memory is given back before the pages
                    self._stop_feed_parser()
                self._last_download = time.perf_counter()
                self.stats.seconds["feeds"] = self._last_download - started
                items = self._select(per_feed)
                self.stats.selected = len(items)
                stories: set[str] = set()
                async for article in self._process_all(fetcher, items):
                    self.stats.articles += 1
                    if article.id in stories:  # still yielded: indexing keeps one article and both links
                        self.stats.story_copies += 1
                    stories.add(article.id)
                    if article.fallback_reason in RETRY_FALLBACKS:  # a wall answered: `fetch` tries it again
                        yield article
                        continue
                    self._yielded += [(article.id, article.url), *((link, article.url) for link in article.link_ids)]
                    yield article
        finally:
            total = time.perf_counter() - started
            self.stats.seconds["extract"] = self._extract_seconds
            self.stats.seconds["total"] = total
            # wall time until the last download ended (downloads overlap extraction and the consumer's work)
            self.stats.seconds["fetch"] = (self._last_download or time.perf_counter()) - started
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._stop_feed_parser()
            self.archive.close()

    def _stop_feed_parser(self) -> None:
        if self._feed_parser is not None:
            self._feed_parser.close()
        if self._parse_pool is not None:
            self._parse_pool.shutdown(wait=False, cancel_futures=True)

    def pending_states(self) -> list[dict]:
        """The feed states `commit()` would save, as JSON-safe dicts: for a later commit by another process
        (the Airflow run commits them in its enrich-and-index task, once the articles are indexed)."""
        return [{k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in asdict(s).items()}
                for s in self._states_to_save()]

    def read_in_full_next_run(self, feed_url: str) -> None:
        """Save no validator or body hash for this feed: its next run reads every item again (an item left to
        another run that may still fail is then fetched, unless it is stored by then)."""
        self._retry_feeds.add(feed_url)

    def commit(self) -> None:
        """Persist feed validators/hashes (and seen ids): call once the yielded articles are safely stored."""
        self.state.save_feed_states(self._states_to_save())
        self._pending_states.clear()
        if self.remember_seen:
            self.state.mark_seen(self._yielded)
        self.archive.close()

    def _states_to_save(self) -> list[FeedState]:
        """The pending feed states; a feed with a page that failed for a passing reason (a 503, a timeout) keeps no
        validator or body hash, so the next run reads it in full and that page is fetched again."""
        return [FeedState(s.url, None, None, None, *astuple(s)[4:]) if s.url in self._retry_feeds else s
                for s in self._pending_states.values()]

    # ---- feeds

    async def _read_feed(self, fetcher: Fetcher, feed: Feed) -> list[FeedItem]:
        """One feed's items; an unexpected error (a library's bug on hostile bytes) fails that feed only, logged with
        its traceback, and the run goes on with the others."""
        try:
            return await self._fetch_feed(fetcher, feed)
        except OSError as exc:
            if exc.errno in DISK_FULL:  # the state cannot be written: every next feed would fail the same way
                raise
            error = exc
        except Exception as exc:  # noqa: BLE001 - one bad feed must not end the run
            error = exc
        log.error("feed %s (%s) failed unexpectedly", feed.name, mask_url(feed.url), exc_info=error)
        return self._feed_failed(feed, f"{mask_url(feed.url)}: unexpected error ({type(error).__name__}: {error})",
                                 datetime.now(timezone.utc))

    async def _fetch_feed(self, fetcher: Fetcher, feed: Feed) -> list[FeedItem]:
        url = str(feed.url)
        state = self.state.feed_state(url)
        now = datetime.now(timezone.utc)
        # The validators and body hash are ingest's: `fetch` (its own memory of written articles) reads every feed in
        # full and leaves them as they are, so a fetch never hides a feed's items from the next ingest.
        in_full = self.refresh_feeds or self.remember_seen
        try:
            result = await fetcher.fetch(
                url, kind="feed", headers=feed.headers, etag=None if in_full else state.etag,
                last_modified=None if in_full else state.last_modified,
            )
        except FetchFailed as exc:
            if exc.reason == "retry-after":
                self.stats.feeds_resting += 1
                self.stats.skip("retry-after", url)
                log.info("feed %s not read this run (%s): counted as retry-after, not a failure", feed.name, exc)
                return []
            return self._feed_failed(feed, str(exc), now, retryable=exc.retryable)
        if result.not_modified:
            self.stats.feeds_not_modified += 1
            self._pending_states[url] = FeedState(
                url, state.etag, state.last_modified, state.body_hash, now, now, 0, None
            )
            return []
        body_hash = hashlib.sha256(result.body).hexdigest()
        new_state = FeedState(
            url,
            cache_validator(result.headers.get("etag")),
            cache_validator(result.headers.get("last-modified")),
            body_hash,
            now,
            now,
            0,
            None,
        )
        if self.remember_seen:
            new_state = FeedState(url, state.etag, state.last_modified, state.body_hash, now, now, 0, None)
        if body_hash == state.body_hash and not in_full:
            self.stats.feeds_not_modified += 1  # served in full but unchanged: not re-parsed
            self._pending_states[url] = new_state
            return []
        # parsed in the worker process, which bounds its time: the event loop (every other download) goes on
        parse = functools.partial(self._feed_parser.parse, result.body, feed,
                                  max_items=self.settings.max_items_per_feed, base_url=result.final_url,
                                  content_type=result.headers.get("content-type"))
        try:
            parsed = await asyncio.get_running_loop().run_in_executor(self._parse_pool, parse)
        except FeedParseFailed as exc:
            self.stats.feeds_too_costly += 1
            return self._feed_failed(feed, f"{mask_url(url)}: not read: {exc}", now, retryable=False)
        if parsed.refused:
            self.stats.feeds_too_costly += 1
            return self._feed_failed(feed, f"{mask_url(url)}: refused without parsing it: {parsed.refused}", now,
                                     retryable=False)
        if not parsed.items and parsed.bozo and parsed.entries == 0:
            return self._feed_failed(feed, f"{mask_url(url)}: not a readable RSS/Atom feed ({parsed.bozo})", now,
                                     retryable=not parsed.not_a_feed)
        if parsed.bozo:
            self.stats.feeds_malformed += 1
            log.warning("feed %s is malformed (%s); kept %d item(s)", feed.name, parsed.bozo, len(parsed.items))
        self.stats.feeds_ok += 1
        for reason, n in parsed.skipped.items():
            self.stats.unusable += n
            titles = parsed.skipped_titles.get(reason, [])[:n]
            for title in titles:  # an item with no usable link is named by its feed and its title
                self.stats.skip(reason, f"{url} ({title})")
            if n > len(titles):
                self.stats.skip(reason, url, n - len(titles))
        self.stats.implausible_dates += len(parsed.implausible_dates)
        self.stats.uncategorised += len(parsed.uncategorised)
        self._pending_states[url] = new_state
        return parsed.items

    def _feed_failed(self, feed: Feed, error: str, now: datetime, retryable: bool = True) -> list[FeedItem]:
        self.stats.feeds_failed += 1
        # run records, state and logs never hold a feed's credentials; and the error is one line of printable text in
        # each of them and in an Airflow task's failure: it quotes web strings (the feeds a web page advertises)
        error = single_line(mask_secrets(error))
        self.stats.feed_errors.append({"feed": feed.name, "url": mask_url(feed.url), "error": error,
                                       "retryable": retryable})
        url = str(feed.url)
        if self.defer_failures:
            old = self.state.feed_state(url)
            failures = old.consecutive_failures + 1
            self._pending_states[url] = FeedState(url, old.etag, old.last_modified, old.body_hash, old.last_success,
                                                  now, failures, error)
        else:
            failures = self.state.record_failure(url, error, now)
        log.warning("feed %s failed (%d consecutive failure(s)): %s", feed.name, failures, error)
        return []

    def _select(self, per_feed: list[list[FeedItem]]) -> list[FeedItem]:
        """The publisher's own feed, else feed order, decides which feed 'owns' a duplicate (its link is fetched, the
        article credited to it), so results depend neither on network timing nor on the order of feeds.yaml."""
        matcher = self._matcher
        seen: dict[str, int | None] = {}  # article id → its item's place in `selected` (None: not selected)
        twins: dict[str, list[str]] = {}  # article id → its link's ids under the other scheme or host spelling
        selected: list[FeedItem] = []
        for items in per_feed:  # an item in several feeds: the first feed's GUID, as it owns the duplicate
            for aid, key in trusted_guid_keys(items).items():
                self._guid_keys.setdefault(aid, key)
        direct = StoryIndex([(i.title, i.published, site_of(i.url)) for items in per_feed for i in items
                             if i.title and not is_google_news(i.url)])
        for feed, items in zip(self.feeds, per_feed):
            for item in items:
                self.stats.items += 1
                if self.since and item.published and item.published < self.since:
                    self.stats.before_since += 1
                    self.stats.skip("before-since", item.url)
                    continue
                if item.title and is_google_news(item.url) and google_news_copy_of(
                        item.title, item.published, item.site_url, direct.candidates(item.title, item.site_url)):
                    # Google News's copy of a story another feed of the run links directly (its `AU_yqL…` link
                    # cannot be resolved): the same story, not a second, summary-only article
                    self.stats.duplicates += 1
                    log.info("item %s: Google News's copy of %r, listed by another feed of this run: a duplicate",
                             mask_url(item.url), item.title[:80])
                    continue
                spellings = (item.article_id, *twins.setdefault(item.article_id, twin_ids(item.link or item.url)))
                twin = next((i for i in spellings if i in seen), None)
                if twin is not None:
                    self.stats.duplicates += 1
                    at = seen[twin]
                    seen.setdefault(item.article_id, at)
                    if at is None:
                        continue
                    chosen, other = selected[at], item
                    if self._preferred_copy(item, chosen):
                        chosen, other = item, chosen
                        selected[at] = item
                    if other.article_id != chosen.article_id:  # fetched if the chosen link cannot be reached
                        self._other_scheme[chosen.article_id] = other
                    elif spelled_plainly(other.link or other.url) and not spelled_plainly(chosen.link or chosen.url):
                        # one story linked as `/%64ots.html` and as `/dots.html`: the plain spelling is fetched
                        # (the first, whatever its spelling, was), the chosen item keeping its feed and credit
                        selected[at] = chosen.model_copy(update={"link": other.link or other.url})
                    continue
                seen[item.article_id] = None
                if feed.relevance == "filter" and not matcher.is_relevant(f"{item.title or ''}\n{item.summary or ''}", item.feed_lang):
                    self.stats.irrelevant += 1
                    continue
                seen[item.article_id] = len(selected)
                selected.append(item)
        if self.is_known and selected:
            ids = {i.article_id for i in selected}
            keys = {i.article_id: self._guid_keys[i.article_id] for i in selected if i.article_id in self._guid_keys}
            other_ids = {i.article_id: twin for i in selected if (twin := twins[i.article_id])}
            found = self.is_known([*ids, *dict.fromkeys(keys.values()), *(t for ts in other_ids.values() for t in ts)])
            known = found & ids
            # the entry's GUID is stored with a story under another link (a renamed slug), or the story is stored
            # under its link's other scheme (http ↔ https): the same story
            renamed = {aid for aid, key in keys.items() if key in found and aid not in known}
            renamed -= self._reused_guids(renamed, keys, selected)
            other_scheme = {aid for aid, twin in other_ids.items()
                            if found.intersection(twin) and aid not in known | renamed}
            for item in selected:
                if item.article_id in renamed:
                    log.info("item %s: its feed GUID is already stored with an article under another link (a "
                             "renamed link): counted as known, not stored twice", mask_url(item.url))
                elif item.article_id in other_scheme:
                    log.info("item %s is already stored under another spelling of its link (http/https, its host "
                             "in Unicode, or its path's dot segments or escapes as written): counted as known, not "
                             "stored twice", mask_url(item.url))
            renamed |= other_scheme
            if known and self.is_updated:
                versions = {i.article_id: i.version for i in selected if i.article_id in known and i.version}
                updated = self.is_updated(versions) if versions else set()
                self.stats.feed_updates += len(updated)
                self._refresh_ids |= updated
                known = known - updated
            known |= renamed
            if known:
                self.stats.known += sum(1 for i in selected if i.article_id in known)
                selected = [i for i in selected if i.article_id not in known]
        return self._without_stored_copies(selected)

    def _without_stored_copies(self, selected: list[FeedItem]) -> list[FeedItem]:
        """Google News's copies of stories already stored: the publisher's feed listed the story in an earlier run
        and was unchanged since (304, same body: not read this run), or it is read by another task. The copy's link
        cannot be resolved: its headline, its publisher's site and its date tell it is the same story, as within a
        run (google_news_copy_of)."""
        copies = [i for i in selected if i.title and is_google_news(i.url)]
        if not copies or self.stored_headlines is None:
            return selected
        stored = self.stored_headlines(copies)
        now = datetime.now(timezone.utc)
        dropped = set()
        for item in copies:
            if google_news_copy_of(item.title, item.published or now, item.site_url,
                                   [(title, when or now, site) for title, when, site in stored]):
                dropped.add(item.article_id)
                self.stats.duplicates += 1
                log.info("item %s: Google News's copy of %r, a story already stored: a duplicate", mask_url(item.url),
                         item.title[:80])
        return [i for i in selected if i.article_id not in dropped] if dropped else selected

    def _reused_guids(self, renamed: set[str], keys: dict[str, str], items: list[FeedItem]) -> set[str]:
        """Items whose GUID a stored story of another link holds, but under another title *and* another date or a
        headline sharing few of its words: a feed that numbers its items (`1`, `2`, `3`) or reuses a template's GUID,
        not a renamed link (whose title or date stays, and whose edited headline keeps most of its words). They are
        new stories: fetched, and their GUID no longer ties them to anything."""
        if not renamed or self.guid_versions is None:
            return set()
        stored = self.guid_versions(sorted({keys[aid] for aid in renamed}))
        reused = set()
        for item in items:
            if item.article_id not in renamed:
                continue
            version, title = stored.get(keys[item.article_id]) or (None, None)
            if another_story(version, item.version, item.published, headlines_alike(title, item.title)):
                reused.add(item.article_id)
                self._guid_keys.pop(item.article_id, None)
                log.warning("item %s: its feed GUID is held by a stored story with another title and another date or "
                            "headline: the feed reuses GUIDs, so it is fetched as a new story", mask_url(item.url))
        self.stats.reused_guids += len(reused)
        return reused

    # ---- pages

    async def _process_all(self, fetcher: Fetcher, items: list[FeedItem]) -> AsyncIterator[Article]:
        """At most a window of pages in flight, so memory stays bounded however slow the consumer is."""
        window = max(2, self.settings.fetch_concurrency * 2)
        pending: set[asyncio.Task] = set()
        item_of: dict[asyncio.Task, FeedItem] = {}
        upcoming = iter(interleave_by_host(items))
        try:
            while True:
                while len(pending) < window:
                    item = next(upcoming, None)
                    if item is None:
                        break
                    task = asyncio.create_task(self._process(fetcher, item))
                    pending.add(task)
                    item_of[task] = item
                if not pending:
                    return
                done, pending = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
                for task in done:
                    article = task.result()
                    if article is not None:
                        yield self._credited(item_of.pop(task), article)
        finally:
            for task in pending:
                task.cancel()

    def _credited(self, item: FeedItem, article: Article) -> Article:
        """Copies of one story listed by several feeds (its AMP page in the publisher's feed, its page in a relay's)
        are credited to one feed whatever the order they come in: the publisher's own (the feed's domain is the
        story's, or a subdomain of it), else the first in feeds.yaml. The best copy seen so far keeps its source, tags
        and teaser (a page without a meta description takes its feed item's summary: a relay's "Relais." is no
        teaser); a later, lesser copy takes them (indexing keeps the last copy of a story)."""
        own = self._own_feed(item, article.url)
        order = next((n for n, f in enumerate(self.feeds) if str(f.url) == item.feed_url), len(self.feeds))
        rank = (not own, order)
        best = self._credit.get(article.id)
        if best is None or rank <= best[0]:
            self._credit[article.id] = (rank, article.source, article.feed_tags, article.description)
            return article
        return article.model_copy(update={"source": best[1], "feed_tags": best[2],
                                          "description": best[3] or article.description})

    @classmethod
    def _preferred_copy(cls, item: FeedItem, chosen: FeedItem) -> bool:
        """Whether `item` should replace `chosen`, another listing of the same story: the publisher's own feed first,
        then an https link over an http one; otherwise the first listed stays."""
        rank = lambda i: (not cls._own_feed(i), not i.url.startswith("https://"))  # noqa: E731
        return rank(item) < rank(chosen)

    @staticmethod
    def _own_feed(item: FeedItem, story_url: str | None = None) -> bool:
        """Whether the item's feed is the story's publisher's: same domain and port, or one a subdomain of the other."""
        def port(url: str) -> int | None:
            try:
                parts = urlsplit(url)
                return parts.port or {"http": 80, "https": 443}.get(parts.scheme)
            except ValueError:
                return None

        story_url = story_url or item.url
        feed, story = domain_of(item.feed_url), domain_of(story_url)
        return bool(story) and port(item.feed_url) == port(story_url) and (
            feed == story or feed.endswith("." + story) or story.endswith("." + feed))

    async def _process(self, fetcher: Fetcher, item: FeedItem) -> Article | None:
        reason = None
        problem: tuple[int, str] | None = None  # log level and what went wrong, logged once the outcome is known
        try:
            if not await fetcher.allowed_by_robots(item.link or item.url):
                unreachable = fetcher.robots_unreachable(item.link or item.url)
                reason = "robots-unreachable" if unreachable else "robots-disallowed"
            else:
                # the link as the feed gives it: normalisation is for identity only
                try:
                    result, article, following = await self._fetch_and_extract(fetcher, item, item.link or item.url)
                except NotTheStory as exc:  # a consent gateway refreshing to the same page: followed once
                    if not exc.follow or not await fetcher.allowed_by_robots(exc.follow):
                        raise
                    log.info("page %s is a consent wall: following its refresh once", mask_url(item.url))
                    try:
                        result, article, following = await self._fetch_and_extract(fetcher, item, exc.follow)
                    except (FetchFailed, NotTheStory):
                        raise exc from None
                if article is not None and self._shared_redirect_target(item, result.final_url, article):
                    reason = "shared-redirect-target"
                elif article is not None and article.extraction != "feed-summary":
                    if following:
                        article = await self._with_following_pages(fetcher, article, result.final_url, following)
                    return self._versioned(item, article)
                else:
                    reason = "too-little-text"
                    # the feed summary, under the story's URL the thin page declared; never over an updated item's
                    # stored page text (below)
                    if article is not None and item.article_id not in self._refresh_ids:
                        return self._fell_back(item, article, reason)
        except NotTheStory as exc:
            if exc.reason == "not-an-article":  # a tag, author or home page listed in the feed: no story to keep
                log.info("page %s is a listing, not an article: skipped", mask_url(item.url))
                self._skip_selected("not-an-article", item.url)
                return None
            reason = exc.reason  # a consent or login wall answered instead of the story: its summary, retried later
            problem = (logging.INFO, f"page {mask_url(item.url)} answered with a {reason}")
        except FetchFailed as exc:
            reason = exc.reason
            problem = (logging.INFO, f"page {mask_url(item.url)} not used ({exc})")
        except PageTooComplex as exc:  # beyond the per-page extraction budget (pipeline/budget.py)
            reason = exc.reason
            problem = (logging.WARNING, f"page {mask_url(item.url)} not extracted ({exc})")
        except OSError as exc:
            if exc.errno in DISK_FULL:  # archive/staging cannot be written: every next page would fail the same way
                raise
            log.exception("extraction of %s failed", mask_url(item.url))
            reason = "extraction-error"
        except Exception:  # noqa: BLE001 - one bad page must not end the run; it is logged with its traceback
            log.exception("extraction of %s failed", mask_url(item.url))
            reason = "extraction-error"
        if reason in ("connect", "robots-unreachable") and (other := self._other_scheme.pop(item.article_id, None)):
            log.info("page %s could not be reached (%s): fetching the story's %s link instead", mask_url(item.url),
                     reason, urlsplit(other.url).scheme)
            return await self._process(fetcher, other)
        # the log line states what happens to the item, decided here
        if item.article_id in self._refresh_ids:  # the stored article is better than this update's feed summary
            if problem:
                log.log(problem[0], "%s: the stored article is kept (update not fetched)", problem[1])
            self._skip_selected(f"update-not-fetched ({reason})", item.url)
            if transient_failure(reason):  # the feed is read in full next run: the update is tried again
                self._retry_feeds.add(item.feed_url)
            return None
        article = article_from_summary(item)
        if article is None:
            if problem:
                log.log(problem[0], "%s: no feed summary either, item skipped", problem[1])
            self._skip_selected(f"no-text ({reason})", item.url)
            return None
        if problem:
            log.log(problem[0], "%s: falling back to the feed summary", problem[1])
        return self._fell_back(item, article, reason)

    def _skip_selected(self, reason: str, url: str) -> None:
        """A selected item that gives no article (counted apart from the items left out before selection)."""
        self.stats.selected_skipped += 1
        self.stats.skip(reason, url)

    def _fell_back(self, item: FeedItem, article: Article, reason: str) -> Article:
        if transient_failure(reason):
            self._retry_feeds.add(item.feed_url)
        self.stats.feed_summary_fallbacks += 1
        self.stats.fallback_reasons[reason] += 1
        return self._versioned(item, article.model_copy(update={"fallback_reason": reason}))

    def _versioned(self, item: FeedItem, article: Article) -> Article:
        """The article with the version of the feed item it is stored under (a copy reached through another link
        leaves the story's version alone), and the key of the item's GUID among its links (`guid_key`)."""
        if (key := self._guid_keys.get(item.article_id)) and key not in article.link_ids:
            article = article.model_copy(update={"link_ids": [*article.link_ids, key]})
        if item.version and article.id == item.article_id:
            return article.model_copy(update={"feed_version": item.version})
        return article

    async def _fetch_and_extract(self, fetcher: Fetcher, item: FeedItem, url: str):
        """The fetch result, its article (or None) and the URL of the story's page 2 when it goes on (or None)."""
        try:
            result = await fetcher.fetch(url, kind="page")
        finally:
            self._last_download = time.perf_counter()
        loop = asyncio.get_running_loop()
        following: list[str] = []
        article = await loop.run_in_executor(self._pool, self._archive_and_extract, item, result, following)
        return result, article, following[0] if following else None

    async def _with_following_pages(self, fetcher: Fetcher, article: Article, first_url: str, url: str) -> Article:
        """The article with the text of its pages 2, 3… (rel=next, up to MAX_ARTICLE_PAGES). A page that cannot
        be fetched or read ends the story there: what was read is kept, and the cut is counted and logged."""
        loop, texts, number = asyncio.get_running_loop(), [article.text], 2
        while url:
            problem = None
            try:
                if not await fetcher.allowed_by_robots(url):
                    problem = "robots.txt disallows it"
                else:
                    try:
                        result = await fetcher.fetch(url, kind="page")
                    finally:
                        self._last_download = time.perf_counter()
                    text, following = await loop.run_in_executor(
                        self._pool, self._archive_and_continue, result, first_url, number, article.title)
                    if not text.strip():
                        problem = "no text found on it"
            except (FetchFailed, PageTooComplex) as exc:
                problem = str(exc)
            except OSError as exc:
                if exc.errno in DISK_FULL:
                    raise
                log.exception("page %d of %s failed", number, mask_url(article.url))
                problem = "extraction error"
            except Exception:  # noqa: BLE001 - page 1 is read: a broken later page must not lose it
                log.exception("page %d of %s failed", number, mask_url(article.url))
                problem = "extraction error"
            if problem:
                self.stats.continuations_cut += 1
                log.warning("page %d of %s not read (%s): the story is stored from its first %d page(s)", number,
                            mask_url(article.url), problem, number - 1)
                break
            if _read_before(text, texts):  # a page 2 that repeats page 1 (a "next" that is the story again)
                break
            texts.append(text)
            self.stats.continuation_pages += 1
            url, number = following, number + 1
        if len(texts) == 1:
            return article
        log.info("story %s read over %d pages", mask_url(article.url), len(texts))
        text = cap_text("\n\n".join(texts))
        return article.model_copy(update={"text": text, "word_count": count_words(text),
                                          "content_hash": content_hash(text)})

    def _shared_redirect_target(self, item: FeedItem, final_url: str, article: Article) -> bool:
        """Whether another feed link of this run already redirected to the page this one reached, and it was taken
        as the story's own URL: different stories whose links all end on one gateway, an expired-link page or a
        section page must not merge into one article (a same story reached twice is already one item)."""
        try:
            redirected = normalize_url(final_url) != item.url
        except ValueError:
            return False
        if not redirected or article.id == item.article_id:
            return False
        first = self._redirect_targets.setdefault(article.id, item.article_id)
        if first != item.article_id:
            log.warning("page %s: %s was already reached from another link of this run; not taken as its story",
                        mask_url(item.url), mask_url(final_url))
            return True
        return False

    @contextmanager
    def _extraction_clock(self, pages: int):
        """Wall time and thread CPU of extraction and archiving (the CPU share balances the two processes)."""
        start, cpu = time.perf_counter(), time.thread_time()
        try:
            yield
        finally:
            self._extract_seconds += time.perf_counter() - start
            done, seconds = self.extract_cpu
            self.extract_cpu = (done + pages, seconds + time.thread_time() - cpu)

    def _archive_and_continue(self, result, first_url: str, number: int, title: str | None) -> tuple[str, str | None]:
        """Page `number` of a story, archived like any page; runs in the extraction thread."""
        with self._extraction_clock(pages=0):
            self.archive.write_response(result.final_url, result.body, status=result.status,
                                        headers=list(result.headers.items()), fetched_at=result.fetched_at)
            return extract_continuation(result.body, result.final_url, first_url, number, charset=result.charset,
                                        title=title)

    def _archive_and_extract(self, item: FeedItem, result, next_pages: list[str] | None = None) -> Article | None:
        """Runs in the extraction thread: CPU work off the event loop, so downloads continue meanwhile."""
        dropped_dates: list[str] = []  # this page, when its stated date is implausible
        with self._extraction_clock(pages=1):
            try:
                warc_file, offset = self.archive.write_response(
                    result.final_url, result.body, status=result.status, headers=list(result.headers.items()),
                    fetched_at=result.fetched_at)
                return extract_article(
                    result.body,
                    result.final_url,
                    item,
                    result.fetched_at,
                    charset=result.charset,
                    min_words=self.settings.min_article_words,
                    summary_fallback=True,
                    warc_file=warc_file,
                    warc_offset=offset,
                    date_notes=dropped_dates,
                    next_pages=next_pages,
                    served_at=result.served_at,
                )
            finally:
                self.stats.implausible_page_dates += len(dropped_dates)


def _title_key(title: str) -> str:
    """A headline as two feeds of one story write it (case, spaces and apostrophes aside)."""
    return " ".join(title.replace("’", "'").split()).casefold()


def _same_day_range(one: datetime | None, other: datetime | None) -> bool:
    """Two dates of one story (within two days), or either unknown."""
    if not (one and other):
        return True
    one, other = (d if d.tzinfo else d.replace(tzinfo=timezone.utc) for d in (one, other))
    return abs(one - other) <= timedelta(days=2)


# Words of a headline that say what it is about: folded, three letters or more or a number, function words aside.
_HEADLINE_WORD = re.compile(r"\w+")
_FUNCTION_WORDS = frozenset(
    "les des une pour par sur dans avec sans aux que qui est son ses leur leurs cette ces plus mais selon entre vers "
    "sous après avant contre comme the and for with from into over after about their this that what will says its "
    "are was has have how why new nouveau nouvelle".split())
# A headline rewritten by its publisher keeps the story's publication time (Google News and the publisher's feed give
# the same one): a copy of another headline is the same story only at the same site, published within this much of
# it, sharing at least this share of the shorter headline's words and the same numbers (measured: docs/storage.md,
# « Google News copies »).
REWRITE_WINDOW = timedelta(minutes=30)
REWRITE_SHARED = 0.6


def headline_words(title: str) -> set[str]:
    from pipeline.search import fold

    return {w for w in _HEADLINE_WORD.findall(fold(title)) if w.isdigit() or (len(w) >= 3 and w not in _FUNCTION_WORDS)}


def headlines_alike(stored: str | None, title: str | None) -> bool | None:
    """Whether two headlines share at least REWRITE_SHARED of the shorter one's words (an edited headline), None when
    either is unknown or has no such word. The stored one is the page's title, the other the feed's."""
    words, other = headline_words(stored or ""), headline_words(title or "")
    if not words or not other:
        return None
    return len(words & other) >= REWRITE_SHARED * min(len(words), len(other))


class StoryIndex:
    """A run's directly linked stories (headline, date, site) by headline and by site: a Google News copy is compared
    with those of its headline or its site only, not with every story of the run."""

    def __init__(self, stories: list[tuple[str, datetime | None, str | None]]):
        self.by_title: dict[str, list] = {}
        self.by_site: dict[str, list] = {}
        for story in stories:
            self.by_title.setdefault(_title_key(story[0]), []).append(story)
            if story[2]:
                self.by_site.setdefault(story[2], []).append(story)

    def candidates(self, title: str, site_url: str | None) -> list[tuple[str, datetime | None, str | None]]:
        site = site_of(site_url)
        return self.by_title.get(_title_key(title), []) + (self.by_site.get(site, []) if site else [])


def google_news_copy_of(title: str, published: datetime | None, site_url: str | None,
                        stories: list[tuple[str, datetime | None, str | None]]) -> bool:
    """Whether Google News's item (`title`, `published`, its <source url>) is a copy of one of `stories` (headline,
    date, site): the same headline within two days (or either undated), or a rewritten one (REWRITE_WINDOW,
    REWRITE_SHARED); never a story of another site when both sites are known (two publishers running one wire
    headline are two articles)."""
    site, key, words = site_of(site_url), _title_key(title or ""), headline_words(title or "")
    if published and not published.tzinfo:
        published = published.replace(tzinfo=timezone.utc)
    for headline, when, other_site in stories:
        if site and other_site and site != other_site:
            continue
        if _title_key(headline) == key:
            if _same_day_range(published, when):
                return True
            continue
        if not (site and other_site and published and when):
            continue
        other = headline_words(headline)
        numbers, other_numbers = ({w for w in found if w.isdigit()} for found in (words, other))
        if numbers and other_numbers and numbers != other_numbers:  # "$5 billion in France", "$4 billion in Germany"
            continue
        when = when if when.tzinfo else when.replace(tzinfo=timezone.utc)
        if abs(published - when) <= REWRITE_WINDOW and words and other and (
                len(words & other) >= REWRITE_SHARED * min(len(words), len(other))):
            return True
    return False


def guid_key(feed_url: str, guid: str | None) -> str | None:
    """The id under which a feed entry's GUID is stored among its article's `link_ids`: a story whose link changes
    (a renamed slug) keeps its GUID, so it is known under the new link. Scoped to the feed (another feed cannot claim
    a story's GUID); None for no GUID, or one too long to be an identifier."""
    guid = (guid or "").strip()
    if not guid or len(guid) > 2048:
        return None
    return hashlib.sha256(f"guid\n{feed_url}\n{guid}".encode("utf-8", "surrogatepass")).hexdigest()


def trusted_guid_keys(items: list[FeedItem]) -> dict[str, str]:
    """Item article id → its GUID key, for the GUIDs of one feed body that name one link only. A GUID shared by items
    with different links breaks RSS/Atom's uniqueness rule (a feed stamping one id on every entry): trusting it would
    merge different stories into one, so it identifies nothing."""
    links: dict[str, set[str]] = {}
    for item in items:
        if key := guid_key(item.feed_url, item.guid):
            links.setdefault(key, set()).add(item.article_id)
    return {next(iter(ids)): key for key, ids in links.items() if len(ids) == 1}


def feed_states_from_json(states: list) -> list[FeedState]:
    """The feed states of a list written by `Collector.pending_states()`; ValueError, in one sentence, for anything
    else. A staged state file of the wrong shape (tampered: `[{"feeds": 3}]`, a date that is a number) raised a bare
    TypeError in the Airflow indexing task, or wrote a list into the fetch state."""
    known = {f.name for f in fields(FeedState)}
    rows = []
    for n, entry in enumerate(states, 1):
        if not isinstance(entry, dict):
            raise ValueError(f"entry #{n} is not an object")
        if unknown := sorted(set(entry) - known):
            raise ValueError(f"entry #{n} has keys no feed state has: {', '.join(map(repr, unknown))[:200]}")
        if not isinstance(entry.get("url"), str) or not entry["url"]:
            raise ValueError(f"entry #{n} has no url")
        for key in ("etag", "last_modified", "body_hash", "last_error", "last_success", "last_attempt"):
            if not isinstance(entry.get(key), str | None):
                raise ValueError(f"entry #{n}: {key} is not a string")
        failures = entry.get("consecutive_failures", 0)
        if type(failures) is not int or failures < 0:
            raise ValueError(f"entry #{n}: consecutive_failures is not a whole number")
        try:
            dates = {k: datetime.fromisoformat(entry[k]) if entry.get(k) else None
                     for k in ("last_success", "last_attempt")}
        except ValueError:
            raise ValueError(f"entry #{n}: last_success or last_attempt is not an ISO 8601 date-time") from None
        rows.append(FeedState(**{**entry, **dates}))
    return rows


def commit_states(settings: Settings, states: list[dict]) -> None:
    """Save feed states handed over by `Collector.pending_states()` (once their articles are stored). A failure is
    counted on the stored state, not copied from the count its collector read: two Airflow runs overlapping (a
    backfill beside the scheduled run) each read N and both wrote N + 1, one failing run lost."""
    store = StateStore(settings.data_dir, settings.state_lock_timeout)
    handed = feed_states_from_json(states)
    failed = [s for s in handed if s.consecutive_failures and s.last_error and s.last_attempt]
    store.save_feed_states([s for s in handed if s not in failed])
    for state in failed:
        store.record_failure(state.url, state.last_error, state.last_attempt)


def collect_to_file(collector: Collector, output: Path, *, commit: bool = True,
                    on_article: Callable[[CollectStats], None] | None = None) -> CollectStats:
    """Write the collector's articles to `output` as JSON Lines, durably, then commit the feed state.

    The protocol `newsroom fetch` and the Airflow collect tasks share, the same invariant as ingest's: articles go
    to `<output>.part`, which is flushed to disk and renamed over `output` only when complete (`os.replace` is
    atomic); only then does the feed state move on (`commit=False` leaves that to the caller). On any error or
    interruption the `.part` file is removed and nothing is committed, so the next run redoes the work.

    One line per story: a story's page text wins over the feed summary of a copy of it (a paywalled AMP page), in
    whichever order they come, so feed-summary articles are written last, once no page of their story came; a
    copy's summary whose story an earlier run already wrote is not written (`ingest` keeps the stored page text).
    """
    written: set[str] = set()
    held: dict[str, Article] = {}  # story id → its feed-summary article, written at the end unless a page came

    def write(fh, article: Article) -> None:
        if article.published_at is None:  # no plausible date on the page or in the feed: the fetch time, as
            article = article.model_copy(update={"published_at": article.fetched_at})  # indexing does
        fh.write(article.model_dump_json() + "\n")
        collector.stats.written += 1

    with atomic_output(output) as fh:  # symlinks followed, devices and FIFOs written in place
        for article in iter_articles(collector):
            if article.id in written:  # a copy of a story already written (counted as a story copy)
                continue
            other = held.pop(article.id, None)
            if other is not None:  # the story and a copy: both links kept
                article = article.model_copy(update={"link_ids": sorted({*other.link_ids, *article.link_ids})})
                if article.extraction == "feed-summary":  # two summaries: the first one, as before
                    article = other.model_copy(update={"link_ids": article.link_ids})
            if article.extraction == "feed-summary":
                held[article.id] = article
            else:
                written.add(article.id)
                write(fh, article)
            if on_article is not None:
                on_article(collector.stats)
        copies = [a.id for a in held.values() if a.link_ids]
        earlier = collector.is_known(copies) if collector.remember_seen and collector.is_known and copies else set()
        for article in held.values():
            if article.id in earlier:  # the story was written by an earlier run: its copy's summary is not news
                collector.stats.story_copies += 1
                continue
            write(fh, article)
    if commit:
        collector.commit()
    return collector.stats


def read_articles(path: Path, on_unreadable: Callable[[int, str], None] | None = None) -> Iterator[Article]:
    """The articles of a file written by `collect_to_file`, streaming. A line that is no article (a tampered or
    damaged file) goes to `on_unreadable(line number, why)` when given, and the others are read; else it raises."""
    with Path(path).open("rb") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                article = Article.model_validate_json(line)
            except ValidationError as exc:
                if on_unreadable is None:
                    raise
                first = exc.errors()[0]
                on_unreadable(lineno, f"{first['msg']}" + (f" (field {'.'.join(map(str, first['loc']))})"
                                                              if first["loc"] else ""))
                continue
            yield article


def interleave_by_host(items: list[FeedItem]) -> list[FeedItem]:
    """Round-robin over hosts, so the in-flight window is not filled with one host's pages waiting out its delay."""
    by_host: dict[str, deque[FeedItem]] = {}
    for item in items:
        by_host.setdefault(host_of(item.url), deque()).append(item)
    queues = list(by_host.values())
    out: list[FeedItem] = []
    while queues:
        for q in queues:
            out.append(q.popleft())
        queues = [q for q in queues if q]
    return out


_DONE = object()


class _Failure:
    def __init__(self, exc: BaseException):
        self.exc = exc


def iter_articles(collector: Collector, queue_size: int = 64) -> Iterator[Article]:
    """Run the async collector in a background thread; yield its articles here, synchronously.

    The caller's CPU work (enrichment) overlaps with downloads; the bounded queue keeps memory flat; an exception in
    the collector is re-raised here; stopping early (break/close) stops the collector.
    """
    channel: queue.Queue = queue.Queue(maxsize=max(1, queue_size))
    stop = threading.Event()

    def put_blocking(value) -> None:
        while not stop.is_set():
            try:
                channel.put(value, timeout=0.1)
                return
            except queue.Full:
                continue

    async def produce() -> None:
        agen = collector.articles()
        try:
            async for article in agen:
                while not stop.is_set():
                    try:
                        channel.put_nowait(article)
                        break
                    except queue.Full:
                        await asyncio.sleep(0.02)  # keep the event loop (downloads) running meanwhile
                if stop.is_set():
                    break
        finally:
            await agen.aclose()

    def run() -> None:
        try:
            asyncio.run(produce())
        except BaseException as exc:  # noqa: BLE001 - handed over to the consumer thread
            put_blocking(_Failure(exc))
            return
        put_blocking(_DONE)

    thread = threading.Thread(target=run, name="collector", daemon=True)
    thread.start()
    try:
        while True:
            value = channel.get()
            if value is _DONE:
                return
            if isinstance(value, _Failure):
                raise value.exc
            yield value
    finally:
        stop.set()
        while True:  # unblock the producer if it is waiting on a full queue
            try:
                channel.get_nowait()
            except queue.Empty:
                break
        thread.join(timeout=30)


# --------------------------------------------------------------------------------------------- collector process


def _chunks(items: Iterator, size: int) -> Iterator[list]:
    chunk: list = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


class CollectorDied(NewsroomError):
    """The collector process ended without a word (killed by the kernel's out-of-memory killer, or by hand): one
    sentence for the user, not a traceback. What was indexed stays; the feeds' state was not moved on."""

    def __init__(self, exitcode: int | None):
        import signal

        how = f"exited with code {exitcode}"
        if exitcode and exitcode < 0:
            try:
                how = f"was killed by {signal.Signals(-exitcode).name}"
            except ValueError:
                pass
        hint = " (SIGKILL is often the out-of-memory killer: see `dmesg`)" if exitcode == -9 else ""
        super().__init__(f"The ingest's collector process (fetch and extraction) {how}{hint}. The articles indexed "
                         "before that are stored and the feeds' state was not moved on: run `newsroom ingest` again "
                         "to fetch the rest.")


class EnrichmentShare:
    """Which articles of each chunk the collector process enriches (the main process enriches the others), so that
    both processes are equally busy. The collector also fetches, extracts and archives every page, so its share of
    an article's enrichment is 1/2 − extraction / (2 × enrichment), from the CPU each took so far in this process.

    Measured with `make bench-ingest` (2,500 pages; wall time, cores used): a fixed share suits one kind of page only.
    Every second article: real pages 166.2 s, 1.57 cores; generated pages 70.8 s, 1.72. Every third: real pages
    151.5 s, 1.73; generated pages 90.7 s, 1.40 (the main process, with ten companies' tone per page, then the
    bottleneck). Real pages cost about a third of an article's CPU to extract, generated ones far less."""

    FIRST = 1 / 3  # until both costs are measured
    LOW, HIGH = 0.2, 0.5

    def __init__(self) -> None:
        self.enriched, self.enrich_cpu = 0, 0.0

    def fraction(self, extract_cpu: tuple[int, float]) -> float:
        pages, seconds = extract_cpu
        if not (pages and self.enriched and self.enrich_cpu > 0):
            return self.FIRST
        per_page, per_article = seconds / pages, self.enrich_cpu / self.enriched
        return min(self.HIGH, max(self.LOW, 0.5 - per_page / (2 * per_article)))

    def enrich(self, chunk: list[Article], enricher, extract_cpu: tuple[int, float]) -> dict:
        """Enrichments of the collector's share of the chunk, spread evenly through it (one batch)."""
        from pipeline.enrich import EnrichInput

        n = round(len(chunk) * self.fraction(extract_cpu))
        inputs = [EnrichInput.of_article(chunk[int((k + 0.5) * len(chunk) / n)]) for k in range(n)]
        cpu = time.thread_time()
        done = {e.id: e for e in enricher.enrich_many(inputs, batch_size=len(inputs) or 1)}
        self.enriched += len(done)
        self.enrich_cpu += time.thread_time() - cpu
        return done


def _collector_worker(settings: Settings, feeds: list[Feed], since: datetime | None, check_known: bool,
                      channel, stop, parent_pid: int, share_enrichment: bool = False,
                      log_level: int = logging.WARNING, enricher=None) -> None:
    """Body of the collector process: fetch, extract and archive; hand articles back through `channel`.

    Stops when asked (`stop`), and by itself when its parent is gone (a kill -9 of the ingest process), so it
    never outlives the run. The feed state is not written here: it goes back with the final stats.
    """
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole group: the parent decides
    _log_to_parent(channel, log_level)
    is_known = is_updated = guid_versions = headlines = None
    if check_known:
        from pipeline.ingest import guid_checker, headline_checker, known_checker, updated_checker
        from pipeline.store.client import make_client

        try:
            client = make_client(settings, start_embedded=False)
            is_known, is_updated = known_checker(client, settings), updated_checker(client, settings)
            guid_versions, headlines = guid_checker(client, settings), headline_checker(client, settings)
        except Exception as exc:  # noqa: BLE001 - no store: fetch everything, as the in-thread collector does
            log.warning("collector process: store unreachable (%s): fetching all", exc)

    def put(message) -> bool:
        while not stop.is_set():
            if os.getppid() != parent_pid:
                break
            try:
                channel.put(message, timeout=0.2)
                return True
            except queue.Full:
                continue
        channel.cancel_join_thread()  # nobody reads any more: exit without flushing
        return False

    try:
        # inside the try: a damaged fetch state fails here, and the parent says so in one sentence (raised outside,
        # the process printed its traceback and the parent only saw an exit code)
        collector = Collector(settings, feeds, is_known=is_known, is_updated=is_updated, since=since,
                              guid_versions=guid_versions, stored_headlines=headlines, defer_failures=True)
        if share_enrichment and enricher is None:  # NER is most of the CPU: this process enriches a share of the
            from pipeline.enrich import Enricher  # articles too (forked, it was handed the parent's loaded one)

            enricher = Enricher(settings)
        share = EnrichmentShare()
        for chunk in _chunks(iter_articles(collector), 2 * max(1, settings.enrich_batch_size) if enricher else 1):
            done = share.enrich(chunk, enricher, collector.extract_cpu) if enricher else {}
            for article in chunk:
                ready = done.get(article.id)
                if not put(("article", article.model_dump_json(), collector.stats.selected,
                            ready.model_dump_json() if ready else None, collector.stats.selected_skipped)):
                    return
    except BaseException as exc:  # noqa: BLE001 - re-raised in the parent
        try:  # the exception itself when it survives pickling (NewsroomError subclasses keep their exit code)
            sendable = pickle.loads(pickle.dumps(exc)) and exc
        except Exception:  # noqa: BLE001
            sendable = None
        put(("error", f"{type(exc).__name__}: {exc}", sendable))
        return
    put(("done", collector.stats.as_dict(), collector.pending_states(), peak_rss_mib()))


class _ParentLog(logging.Handler):
    """Hands the collector process's log records to the parent, which emits them through its own handlers and
    filters (the CLI's format, its one-line-per-problem rule): a spawned process has no logging set up, and Python's
    last-resort handler would print them raw, tracebacks included. Secrets are masked before they leave."""

    def __init__(self, channel) -> None:
        super().__init__()
        self.channel = channel

    def emit(self, record: logging.LogRecord) -> None:
        try:
            exc = record.exc_info[1] if record.exc_info else None
            data = {"name": record.name, "levelno": record.levelno, "levelname": record.levelname,
                    "pathname": record.pathname, "lineno": record.lineno, "funcName": record.funcName,
                    "created": record.created, "msecs": record.msecs, "process": record.process,
                    "processName": record.processName, "threadName": record.threadName,
                    "msg": mask_secrets(record.getMessage()), "args": None,
                    "exc_text": mask_secrets(self.formatter_exception(record)) if exc is not None else None,
                    "exc_summary": mask_secrets(f"{type(exc).__name__}: {exc}") if exc is not None else None}
            self.channel.put(("log", data), timeout=5)
        except queue.Full:
            pass  # the parent reads no more (it stopped the run): the line is dropped, the run is not blocked
        except Exception:  # noqa: BLE001 - logging must never break the run
            self.handleError(record)

    @staticmethod
    def formatter_exception(record: logging.LogRecord) -> str:
        return logging.Formatter().formatException(record.exc_info)


def _log_to_parent(channel, level: int) -> None:
    root = logging.getLogger()
    for handler in list(root.handlers):
        root.removeHandler(handler)
    root.addHandler(_ParentLog(channel))
    root.setLevel(level)


def _emit_child_log(data: dict) -> None:
    """Emit a record of the collector process here, as if logged here (same logger levels, handlers, filters)."""
    logger = logging.getLogger(data["name"])
    if logger.isEnabledFor(data["levelno"]):
        logger.handle(logging.makeLogRecord(data))


def peak_rss_mib() -> float:
    """This process's peak resident memory (VmHWM: not inherited from the parent across fork/exec)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


class CollectorProcess:
    """A Collector in its own process, so fetching and extraction (CPU: trafilatura, WARC gzip) run on another
    core than enrichment. Same contract as Collector for `ingest`: iterate `articles()`, then `commit()` once the
    articles are stored; `stats` holds the collector's counters when the iteration is over.

    Articles stream back through a bounded queue (memory stays flat); input order is kept; an error in the
    process is re-raised here; stopping early or Ctrl-C stops the process (and it stops by itself if this
    process is killed).
    """

    def __init__(self, settings: Settings, feeds: list[Feed], *, since: datetime | None = None,
                 check_known: bool = True, queue_size: int = 64, share_enrichment: bool = False, enricher=None):
        self.settings = settings
        self.share_enrichment = share_enrichment
        self.enricher = enricher  # with share_enrichment: the loaded enricher a forked collector shares
        self.ready: dict = {}  # article id → Enrichment done by the collector process (share_enrichment)
        self.feeds = [f for f in feeds if f.enabled]
        self.since = since
        self.check_known = check_known
        self.queue_size = queue_size
        self.stats = CollectStats()
        self._states: list[dict] = []
        self._selected = 0
        self._selected_skipped = 0
        self.peak_rss_mib = 0.0  # the collector process's, once it is done

    @property
    def selected(self) -> int:
        return self.stats.selected or self._selected

    @property
    def selected_skipped(self) -> int:
        """Selected items skipped so far (they give no article): the progress bar counts them as done."""
        return max(self.stats.selected_skipped, self._selected_skipped)

    def articles(self) -> Iterator[Article]:
        import multiprocessing

        # A collector that only fetches and extracts is spawned: a clean process, no inherited threads, sockets
        # or models. One that also enriches is forked once the models are loaded here, so both processes read the
        # same model pages (held once in memory, not twice); it uses none of the parent's sockets or threads.
        # Not with the transformers backend: torch's thread pools do not survive a fork.
        fork = (self.share_enrichment and self.enricher is not None
                and self.settings.sentiment_backend != "transformers"
                and "fork" in multiprocessing.get_all_start_methods())
        ctx = multiprocessing.get_context("fork" if fork else "spawn")
        channel = ctx.Queue(maxsize=max(1, self.queue_size))
        stop = ctx.Event()
        proc = ctx.Process(target=_collector_worker, name="newsroom-collector", daemon=True,
                           args=(self.settings, self.feeds, self.since, self.check_known, channel, stop, os.getpid(),
                                 self.share_enrichment, logging.getLogger().getEffectiveLevel(),
                                 self.enricher if fork else None))
        if fork:
            # Python's GC writes to every object it scans, so each process would soon hold its own copy of pages
            # the fork shares (the models' vocabularies, lexicons, gazetteers: ~450 MB each on real pages). Frozen,
            # the objects alive now are never scanned (Python's documented recipe for fork without exec).
            gc.freeze()
        proc.start()
        try:
            while True:
                try:
                    kind, *payload = channel.get(timeout=1.0)
                except queue.Empty:
                    if not proc.is_alive():
                        raise CollectorDied(proc.exitcode) from None
                    continue
                if kind == "log":
                    _emit_child_log(payload[0])
                    continue
                if kind == "article":
                    self._selected, self._selected_skipped = payload[1], payload[3]
                    article = Article.model_validate_json(payload[0])
                    if payload[2]:
                        from pipeline.models import Enrichment

                        self.ready[article.id] = Enrichment.model_validate_json(payload[2])
                    yield article
                elif kind == "done":
                    stats, self._states, self.peak_rss_mib = payload
                    self._load_stats(stats)
                    return
                else:
                    message, exc = payload
                    raise exc if exc is not None else RuntimeError(f"collector process: {message}")
        finally:
            stop.set()
            proc.join(timeout=10)
            if proc.is_alive():
                proc.terminate()
                proc.join(timeout=5)
            channel.close()
            channel.join_thread()
            if fork:
                gc.unfreeze()

    def _load_stats(self, data: dict) -> None:
        for key, value in data.items():
            if key in ("skipped", "fallback_reasons"):
                value = Counter(value)
            setattr(self.stats, key, value)

    def commit(self) -> None:
        """Save the feed states the process handed back (validators, failure counters): articles are stored."""
        commit_states(self.settings, self._states)
        self._states = []
