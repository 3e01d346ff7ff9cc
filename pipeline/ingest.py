"""`newsroom ingest`: feeds → pages → articles → enrichment → near-duplicate clusters → Elasticsearch, streaming.

The run is a chain of stage functions over iterators: collect → enrich → cluster → index. Timing, progress and the
run summary are wrappers around that chain, not part of it. Two processes, bounded memory: the collector fetches,
extracts and archives in a second process (pipeline.collect.CollectorProcess; NEWSROOM_COLLECT_PROCESS=false keeps it
in a thread) and streams articles back through a bounded queue; enrichment consumes them one by one in this process
(the enricher batches internally, order preserved), and the indexer writes batches of `es_bulk_chunk`. Feed state is committed only after every article of
the run is indexed or spooled to disk, so a kill -9 at any point makes the next run redo the unfinished work, and
deterministic ids make it exactly-once.
"""

from __future__ import annotations

import logging
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime

from elastic_transport import TransportError
from elasticsearch import ApiError, Elasticsearch

from pipeline.dedup import NearDuplicateIndex
from pipeline.errors import NewsroomError, StoreError
from pipeline.feeds import MAX_ITEM_CATEGORIES
from pipeline.models import Article, EnrichedArticle, Enrichment, Feed
from pipeline.runs import RunSummary, new_run_id, spool_run_record
from pipeline.runs import write_run_record as store_run_record
from pipeline.settings import Settings
from pipeline.store.indexing import (IndexStats, guid_versions, index_enriched, known_article_ids, spool_dir,
                                     stored_headlines,
                                     spool_records, updated_article_ids)

log = logging.getLogger(__name__)

# done, expected total (None while the feeds are still being read), a short detail (the article's source)
ProgressCallback = Callable[[int, int | None, str], None]


# --------------------------------------------------------------------------------------------- wrappers


class StageClock:
    """Wall time per stage of a chain of iterators, each stage's own time only (upstream time subtracted)."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self._nested = 0.0  # time already attributed to some stage, read before and after each step

    def _account(self, stage: str, start: float, nested_before: float) -> None:
        total = time.perf_counter() - start
        self.seconds[stage] = self.seconds.get(stage, 0.0) + total - (self._nested - nested_before)
        self._nested = nested_before + total

    def timed(self, stage: str, items: Iterable):
        """Yield from `items`, charging the time spent producing each item to `stage`."""
        iterator = iter(items)
        while True:
            nested, start = self._nested, time.perf_counter()
            try:
                item = next(iterator)
            except StopIteration:
                self._account(stage, start, nested)
                return
            self._account(stage, start, nested)
            yield item

    def call(self, stage: str, fn: Callable, *args, **kwargs):
        """Run a consuming stage (the indexer), charging it its own time."""
        nested, start = self._nested, time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            self._account(stage, start, nested)


def with_progress(records: Iterable[EnrichedArticle], on_progress: ProgressCallback | None,
                  total: Callable[[], int | None], companies: Counter | None = None,
                  skipped: Callable[[], int] = lambda: 0) -> Iterator[EnrichedArticle]:
    """Report each record to the caller's progress callback (the CLI owns the bar); tally watched companies, once per
    story (a story copy, its AMP page or a tracking link, is indexed into the same article).

    Progress counts the selected items handled: the records so far plus the selected items skipped so far
    (`skipped`), so the bar reaches the selected total also when items give no article; a last report follows the
    last record (items skipped after it)."""
    counted: set[str] = set()
    done = 0
    for done, rec in enumerate(records, 1):
        if companies is not None and rec.article.id not in counted:
            counted.add(rec.article.id)
            companies.update(dict.fromkeys(rec.enrichment.orgs, 1))
        if on_progress is not None:
            on_progress(done + skipped(), total(), rec.article.source[:40])
        yield rec
    if on_progress is not None:
        on_progress(done + skipped(), total(), "")


# --------------------------------------------------------------------------------------------- stages


def connect(settings: Settings, notes: list[str]) -> Elasticsearch | None:
    """A client whose cluster answers and is set up; None (with a note) when Elasticsearch is down."""
    from pipeline.store.client import make_client
    from pipeline.store.setup import ensure_setup

    try:
        client = make_client(settings)
        ensure_setup(client, settings)
        return client
    except (StoreError, ApiError, TransportError) as exc:
        if isinstance(exc, NewsroomError) and not exc.retryable:
            raise  # not Elasticsearch, credentials refused, TLS: stop before fetching, no retry or spool would help
        notes.append(f"Elasticsearch unavailable at start ({exc}); articles will be spooled to {spool_dir(settings)}")
        log.warning(notes[-1])
        try:
            return make_client(settings, start_embedded=False)  # the indexer retries, then spools
        except Exception:  # noqa: BLE001
            return None


def enrich_stage(articles: Iterable[Article], enricher,
                 ready: dict[str, Enrichment] | None = None) -> Iterator[tuple[Article, Enrichment]]:
    """Each article with its enrichment, in input order (the enricher batches internally). `ready` holds
    enrichments already done elsewhere (the collector process): those articles pass through, still in order."""
    from pipeline.enrich import EnrichInput

    ready = {} if ready is None else ready
    pending: deque[tuple[Article, Enrichment | None]] = deque()

    def inputs() -> Iterator:
        for article in articles:
            done = ready.pop(article.id, None)
            pending.append((article, done))
            if done is None:
                yield EnrichInput.of_article(article)

    def flush_ready() -> Iterator[tuple[Article, Enrichment]]:
        while pending and pending[0][1] is not None:
            yield pending.popleft()

    for enrichment in enricher.enrich_many(inputs()):
        yield from flush_ready()
        article, _ = pending.popleft()
        if enrichment.id != article.id:  # the enricher's contract is order-preserving, 1:1
            raise NewsroomError(f"enrichment returned {enrichment.id} for article {article.id}: order broken")
        yield article, enrichment
    yield from flush_ready()


def cluster_stage(pairs: Iterable[tuple[Article, Enrichment]], dedup: NearDuplicateIndex,
                  counts: dict[str, int]) -> Iterator[EnrichedArticle]:
    """Near-duplicate cluster of each article (the earliest article of its story, else itself)."""
    for article, enrichment in pairs:
        cluster, minhash = dedup.assign_with_signature(article.id, article.text)
        counts["enriched"] = counts.get("enriched", 0) + 1
        if cluster != article.id:
            counts["clustered_with_earlier"] = counts.get("clustered_with_earlier", 0) + 1
        yield EnrichedArticle(article=article, enrichment=enrichment, cluster_id=cluster, minhash=minhash)


def index_stage(client: Elasticsearch | None, settings: Settings, records: Iterable[EnrichedArticle],
                run_id: str) -> IndexStats:
    """Index (or, without any client, spool) every record; returns the indexer's counts."""
    if client is None:  # Elasticsearch client not even buildable: spool everything for `newsroom replay`
        return spool_records(settings, records, run_id=run_id)
    return index_enriched(client, settings, records, run_id=run_id)


def near_duplicates(client: Elasticsearch | None, settings: Settings, es_ok: bool) -> NearDuplicateIndex:
    """The near-duplicate index rebuilt from the store's recent signatures (empty when the store is down)."""
    if es_ok and client is not None:
        try:
            return NearDuplicateIndex.from_store(client, settings)
        except (ApiError, TransportError) as exc:
            log.warning("near-duplicate index not rebuilt (%s): clusters are computed within this run only", exc)
    return NearDuplicateIndex()


def enrich_and_index(articles: Iterable[Article], settings: Settings, client: Elasticsearch | None, *, enricher,
                     dedup: NearDuplicateIndex, run_id: str, clock: StageClock, counts: dict[str, int],
                     on_progress: ProgressCallback | None = None,
                     total: Callable[[], int | None] = lambda: None, companies: Counter | None = None,
                     ready: dict[str, Enrichment] | None = None,
                     skipped: Callable[[], int] = lambda: 0) -> IndexStats:
    """enrich → cluster → index over a stream of articles: the part of a run that needs the models.

    Shared by `ingest` and the Airflow run's single enrich-and-index task (which reads the feeds' staged articles).
    """
    pairs = clock.timed("enrich", enrich_stage(articles, enricher, ready))
    records = with_progress(clock.timed("dedup", cluster_stage(pairs, dedup, counts)), on_progress, total, companies,
                            skipped)
    stats = clock.call("index", index_stage, client, settings, records, run_id)
    return stats


# --------------------------------------------------------------------------------------------- the run


def ingest(
    settings: Settings,
    feeds: list[Feed] | None = None,
    since: datetime | None = None,
    progress: ProgressCallback | None = None,
    run_id: str | None = None,
    write_run_record: bool = True,
    *,
    enricher=None,
) -> RunSummary:
    """Run the whole pipeline once over `feeds` (default: the feeds file); return the run summary.

    `progress` is called once per article (done, expected total, source). `enricher` lets a long-lived process
    (tests, benchmark, Airflow worker) reuse loaded models.
    """
    from pipeline.collect import Collector, CollectorProcess, iter_articles
    from pipeline.feeds import load_enabled_feeds

    run_id = run_id or new_run_id()
    t0 = time.perf_counter()
    summary = RunSummary(run_id=run_id, kind="ingest", started_at=datetime.now(UTC).isoformat())
    feeds = load_enabled_feeds(settings=settings) if feeds is None else feeds
    summary.feeds = [f.name for f in feeds]
    client = connect(settings, summary.notes)
    es_ok = not summary.notes  # connect leaves a note only when Elasticsearch is down
    if enricher is None:
        from pipeline.enrich import get_enricher

        enricher = get_enricher(settings)
    dedup = near_duplicates(client, settings, es_ok)
    if settings.collect_process:  # fetch + extract on another core than enrichment
        if settings.collect_process_enriches:
            enricher.warm_up()  # loaded before the collector is forked, so both processes share the models
        collector = CollectorProcess(settings, feeds, since=since, check_known=client is not None,
                                     share_enrichment=settings.collect_process_enriches, enricher=enricher)
        articles, total, ready = collector.articles(), lambda: collector.selected or None, collector.ready
        skipped = lambda: collector.selected_skipped  # noqa: E731
    else:
        collector = Collector(settings, feeds, is_known=known_checker(client, settings),
                              is_updated=updated_checker(client, settings), guid_versions=guid_checker(client, settings),
                              stored_headlines=headline_checker(client, settings), since=since)
        articles, total, ready = iter_articles(collector), lambda: collector.stats.selected or None, None
        skipped = lambda: collector.stats.selected_skipped  # noqa: E731
    clock = StageClock()
    counts = {"enriched": 0, "clustered_with_earlier": 0}
    stats = IndexStats()
    companies: Counter = Counter()
    error: BaseException | None = None
    try:
        stats = enrich_and_index(clock.timed("wait_fetch", articles), settings, client, enricher=enricher,
                                 dedup=dedup, run_id=run_id, clock=clock, counts=counts,
                                 on_progress=progress if callable(progress) else None, total=total,
                                 companies=companies, ready=ready, skipped=skipped)
        # Everything yielded is now indexed or spooled: only now may the feeds' state move forward.
        collector.commit()
    except BaseException as exc:  # noqa: BLE001 - recorded in the run record, then re-raised
        error = exc
        summary.status = "failed"
        summary.notes.append(f"run aborted: {type(exc).__name__}: {exc}")
    if error is None and es_ok and client is not None:
        record_enrichment(client, settings, stats)
    summarize(summary, collector.stats.as_dict(), stats, counts, clock, settings, len(collector.feeds))
    summary.duration_s = round(time.perf_counter() - t0, 3)
    summary.companies = dict(companies.most_common())
    summary.collector_peak_rss_mib = round(getattr(collector, "peak_rss_mib", 0.0), 1)
    if write_run_record:
        record = summary.as_dict()
        try:
            if client is None:
                raise StoreError("Elasticsearch was unavailable")
            store_run_record(client, settings, record)
        except (ApiError, TransportError, StoreError) as exc:
            # kept, as the Airflow path does: `newsroom replay` writes it with the spooled articles
            summary.notes.append(f"run record not stored ({exc}): kept in {spool_run_record(settings, record)} for "
                                 "`newsroom replay`")
    if error is not None:
        raise error
    return summary


def record_enrichment(client: Elasticsearch, settings: Settings, stats: IndexStats) -> None:
    """A new store's first run records the enrichment fingerprint it used (pipeline.reenrich), so that the first
    re-enrichment pass does not redo every article with the same models; never fails the run."""
    from pipeline.reenrich import record_new_store_enrichment

    if stats.created and not stats.spooled and not stats.dead_letters:
        try:
            record_new_store_enrichment(client, settings, stats.created)
        except OSError as exc:
            log.warning("enrichment fingerprint not recorded (%s): the first re-enrichment pass redoes every article",
                        exc)


def known_checker(client: Elasticsearch | None, settings: Settings) -> Callable[[list[str]], set[str]]:
    return _store_check(client, settings, known_article_ids,
                        "could not check which articles are already indexed (%s): fetching all")


def updated_checker(client: Elasticsearch | None, settings: Settings) -> Callable[[dict[str, str]], set[str]]:
    """The Collector's `is_updated`: known articles whose feed entry changed since they were stored."""
    return _store_check(client, settings, updated_article_ids,
                        "could not check which known articles were updated in their feed (%s)")


def guid_checker(client: Elasticsearch | None, settings: Settings,
                 ) -> Callable[[list[str]], dict[str, tuple[str, str | None]]]:
    """The Collector's `guid_versions`: the stored feed version and title of the articles holding these GUID keys."""
    return _store_check(client, settings, guid_versions,
                        "could not read the stored versions of renamed links (%s): trusting their GUIDs", empty=dict)


def headline_checker(client: Elasticsearch | None, settings: Settings) -> Callable[[list], list]:
    """The Collector's `stored_headlines`: stored stories Google News's copies may be copies of (headline, date,
    site)."""
    return _store_check(client, settings, stored_headlines,
                        "could not look up stored headlines for Google News copies (%s): keeping them", empty=list)


def _store_check(client: Elasticsearch | None, settings: Settings, lookup: Callable, failed: str,
                 empty: Callable = set) -> Callable:
    """A lookup in the store for the Collector that never fails a run: no store, or an error, is an empty answer."""
    def check(arg):
        if client is None:
            return empty()
        try:
            return lookup(client, settings, arg)
        except (ApiError, TransportError) as exc:
            log.warning(failed, exc)
            return empty()

    return check


def summarize(summary: RunSummary, cstats: dict, stats: IndexStats, counts: dict[str, int], clock: StageClock,
              settings: Settings, n_feeds: int) -> RunSummary:
    """Fill the run summary from the collector's and the indexer's counters; decide the status."""
    summary.counts = {
        "feeds": n_feeds,
        "feeds_ok": cstats["feeds_ok"],
        "feeds_failed": cstats["feeds_failed"],
        "feeds_not_modified": cstats["feeds_not_modified"],
        "feeds_resting": cstats.get("feeds_resting", 0),
        # unusable entries are not items; items = before_since + duplicates + irrelevant + known + selected;
        # selected = articles + skipped (docs/storage.md "Run summary")
        "unusable_entries": cstats.get("unusable", 0),
        "items": cstats["items"],
        "before_since": cstats.get("before_since", 0),
        "duplicates": cstats["duplicates"],
        "irrelevant": cstats["irrelevant"],
        "known": cstats["known"],
        "selected": cstats["selected"],
        "feed_updates": cstats.get("feed_updates", 0),
        "articles": cstats["articles"],
        "story_copies": cstats.get("story_copies", 0),
        "feed_summary_fallbacks": cstats["feed_summary_fallbacks"],
        "skipped": cstats.get("selected_skipped", 0),
        **counts,
        "indexed": stats.created,
        "updated": stats.updated,
        "unchanged": stats.unchanged,
        "kept_page_text": stats.kept_page_text,
        "mentions": stats.mentions,
        "dead_letters": stats.dead_letters,
        "spooled": stats.spooled,
    }
    if cstats["implausible_dates"]:
        summary.notes.append(f"{cstats['implausible_dates']} feed item(s) had a date before 1990, more than 2 days "
                             "ahead or impossible: treated as unknown (the page's date, else the fetch time, is used)")
    if cstats.get("uncategorised"):
        summary.notes.append(f"{cstats['uncategorised']} feed item(s) carried more than {MAX_ITEM_CATEGORIES:,} "
                             "categories or keywords: read without them (newsroom reads none)")
    if cstats.get("implausible_page_dates"):
        summary.notes.append(f"{cstats['implausible_page_dates']} page(s) stated a publication date before 1990, more "
                             "than 2 days ahead or impossible: treated as unknown (the feed's date, else the fetch "
                             "time, is used)")
    if cstats.get("reused_guids"):
        summary.notes.append(f"{cstats['reused_guids']} item(s) listed under the GUID of a stored story with another "
                             "title and another date or headline: the feed reuses GUIDs, so they were fetched as new "
                             "stories")
    if cstats.get("continuation_pages"):
        summary.notes.append(f"{cstats['continuation_pages']} further page(s) of stories split over several pages "
                             "(rel=next or a pager link) joined to their first page")
    if cstats.get("continuations_cut"):
        summary.notes.append(f"{cstats['continuations_cut']} story(ies) split over several pages stored without a "
                             "page that could not be fetched or read (see the log)")
    summary.skipped = dict(cstats["skipped"])
    summary.fallback_reasons = dict(cstats.get("fallback_reasons") or {})
    summary.skipped_examples = {k: list(v)[:3] for k, v in (cstats.get("skipped_urls") or {}).items()}
    summary.feed_errors = cstats["feed_errors"]
    summary.dead_letters = stats.dead_letters
    summary.spooled = stats.spooled
    summary.spool_files = stats.spool_files
    seconds = cstats["seconds"]
    summary.stage_seconds = {
        "fetch": seconds.get("fetch", 0.0),
        "extract": seconds.get("extract", 0.0),
        **{k: round(v, 3) for k, v in clock.seconds.items()},
    }
    c = summary.counts
    if summary.status != "failed" and c["feeds"] and not (c["feeds_ok"] or c["feeds_not_modified"]
                                                           or c["feeds_resting"]):
        summary.status = "failed"  # nothing could be read at all: a network or configuration problem, not news
        summary.notes.append(f"none of the {c['feeds']} feeds could be read (network down or feeds moved?)")
    if summary.status != "failed" and (summary.feed_errors or stats.dead_letters or stats.spooled):
        summary.status = "partial"
    summary.finished_at = datetime.now(UTC).isoformat()
    waiting = sorted(spool_dir(settings).glob("*.jsonl")) if spool_dir(settings).is_dir() else []
    if waiting and not stats.spooled:
        summary.notes.append(f"{len(waiting)} spool file(s) wait in {spool_dir(settings)}: run `newsroom replay`")
    return summary
