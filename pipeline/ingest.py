"""`newsroom ingest`: feeds → pages → articles → enrichment → near-duplicate clusters → Elasticsearch, streaming.

One process, bounded memory: the collector fetches in a background thread (bounded queue), enrichment consumes
articles one by one (the enricher batches internally, order preserved), and the indexer writes batches of
`es_bulk_chunk`. Feed state is committed only after every article of the run is indexed or spooled to disk, so a
kill -9 at any point makes the next run redo the unfinished work, and deterministic ids make it exactly-once.
"""

from __future__ import annotations

import logging
import time
from collections import deque
from collections.abc import Iterator
from datetime import UTC, datetime

from elastic_transport import TransportError
from elasticsearch import ApiError, Elasticsearch
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from pipeline.dedup import NearDuplicateIndex
from pipeline.errors import NewsroomError, StoreError
from pipeline.models import Article, EnrichedArticle, Feed
from pipeline.runs import RunSummary, new_run_id
from pipeline.runs import write_run_record as store_run_record
from pipeline.settings import Settings
from pipeline.sinks import for_terminal
from pipeline.store.indexing import IndexStats, index_enriched, known_article_ids, spool_dir

log = logging.getLogger(__name__)


def _connect(settings: Settings, notes: list[str]) -> Elasticsearch | None:
    """A client whose cluster answers and is set up; None (with a note) when Elasticsearch is down."""
    from pipeline.store.client import make_client
    from pipeline.store.setup import ensure_setup

    try:
        client = make_client(settings)
        ensure_setup(client, settings)
        return client
    except (StoreError, ApiError, TransportError) as exc:
        notes.append(f"Elasticsearch unavailable at start ({exc}); articles will be spooled to {spool_dir(settings)}")
        log.warning(notes[-1])
        try:
            return make_client(settings, start_embedded=False)  # the indexer retries, then spools
        except Exception:  # noqa: BLE001
            return None


class _Clock:
    """Accumulates wall time per stage."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    def add(self, stage: str, seconds: float) -> None:
        self.seconds[stage] = self.seconds.get(stage, 0.0) + seconds


def ingest(
    settings: Settings,
    feeds: list[Feed] | None = None,
    since: datetime | None = None,
    progress: bool = True,
    run_id: str | None = None,
    write_run_record: bool = True,
    *,
    enricher=None,
) -> RunSummary:
    """Run the whole pipeline once over `feeds` (default: the feeds file); return the run summary.

    `enricher` lets a long-lived process (tests, benchmark, Airflow worker) reuse loaded models.
    """
    from pipeline.collect import Collector, iter_articles
    from pipeline.feeds import load_feeds

    run_id = run_id or new_run_id()
    started = datetime.now(UTC)
    t0 = time.perf_counter()
    summary = RunSummary(run_id=run_id, kind="ingest", started_at=started.isoformat())
    feeds = load_feeds(settings=settings) if feeds is None else feeds
    summary.feeds = [f.name for f in feeds]
    client = _connect(settings, summary.notes)
    es_ok = not summary.notes  # _connect leaves a note only when Elasticsearch is down

    if enricher is None:
        from pipeline.enrich import get_enricher

        enricher = get_enricher(settings)
    from pipeline.enrich import EnrichInput

    dedup = NearDuplicateIndex()
    if es_ok:
        try:
            dedup = NearDuplicateIndex.from_store(client, settings)
        except (ApiError, TransportError) as exc:
            log.warning("near-duplicate index not rebuilt (%s): clusters are computed within this run only", exc)

    def is_known(ids: list[str]) -> set[str]:
        if client is None:
            return set()
        try:
            return known_article_ids(client, settings, ids)
        except (ApiError, TransportError) as exc:
            log.warning("could not check which articles are already indexed (%s): fetching all", exc)
            return set()

    collector = Collector(settings, feeds, is_known=is_known, since=since)
    clock = _Clock()
    counts = {"enriched": 0, "clustered_with_earlier": 0}
    stats = IndexStats()

    progress_bar = Progress(
        SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        TextColumn("{task.fields[detail]}"), console=Console(stderr=True), disable=not progress, transient=False,
    )
    task = progress_bar.add_task("ingest", total=None, detail="reading feeds")

    pending: deque[Article] = deque()

    def inputs() -> Iterator:
        articles = iter_articles(collector)
        while True:
            start = time.perf_counter()
            article = next(articles, None)
            clock.add("wait_fetch", time.perf_counter() - start)
            if article is None:
                return
            pending.append(article)
            yield EnrichInput(id=article.id, text=article.text, title=article.title, lang=article.lang)

    def enriched() -> Iterator[EnrichedArticle]:
        results = enricher.enrich_many(inputs())
        while True:
            start, waited = time.perf_counter(), clock.seconds.get("wait_fetch", 0.0)
            try:
                enrichment = next(results, None)
            finally:
                clock.add("enrich", time.perf_counter() - start - (clock.seconds.get("wait_fetch", 0.0) - waited))
            if enrichment is None:
                return
            article = pending.popleft()
            if enrichment.id != article.id:  # the enricher's contract is order-preserving, 1:1
                raise NewsroomError(f"enrichment returned {enrichment.id} for article {article.id}: order broken")
            start = time.perf_counter()
            cluster = dedup.assign(article.id, article.text)
            clock.add("dedup", time.perf_counter() - start)
            counts["enriched"] += 1
            if cluster != article.id:
                counts["clustered_with_earlier"] += 1
            if collector.stats.selected:
                progress_bar.update(task, total=collector.stats.selected)
            progress_bar.update(task, completed=counts["enriched"], detail=for_terminal(article.source, 40))
            yield EnrichedArticle(article=article, enrichment=enrichment, cluster_id=cluster)

    error: BaseException | None = None
    try:
        with progress_bar:
            start = time.perf_counter()
            if client is None:
                from pipeline.store.indexing import _Spool  # Elasticsearch client not even buildable: spool all

                spool = _Spool(settings, run_id)
                for rec in enriched():
                    stats.received += 1
                    stats.spooled += spool.write([rec])
                if stats.spooled:
                    stats.spool_files.append(str(spool.path))
            else:
                stats = index_enriched(client, settings, enriched(), run_id=run_id)
            elapsed = time.perf_counter() - start
            clock.add("index", elapsed - sum(clock.seconds.get(k, 0.0) for k in ("wait_fetch", "enrich", "dedup")))
        # Everything yielded is now indexed or spooled: only now may the feeds' state move forward.
        collector.commit()
    except BaseException as exc:  # noqa: BLE001 - recorded in the run record, then re-raised
        error = exc
        summary.status = "failed"
        summary.notes.append(f"run aborted: {type(exc).__name__}: {exc}")

    cstats = collector.stats.as_dict()
    summary.counts = {
        "feeds": len(collector.feeds),
        "feeds_ok": cstats["feeds_ok"],
        "feeds_failed": cstats["feeds_failed"],
        "feeds_not_modified": cstats["feeds_not_modified"],
        "items": cstats["items"],
        "duplicates": cstats["duplicates"],
        "irrelevant": cstats["irrelevant"],
        "known": cstats["known"],
        "selected": cstats["selected"],
        "articles": cstats["articles"],
        "feed_summary_fallbacks": cstats["feed_summary_fallbacks"],
        "skipped": sum(cstats["skipped"].values()),
        **counts,
        "indexed": stats.created,
        "updated": stats.updated,
        "unchanged": stats.unchanged,
        "mentions": stats.mentions,
        "dead_letters": stats.dead_letters,
        "spooled": stats.spooled,
    }
    if cstats["implausible_dates"]:
        summary.notes.append(f"{cstats['implausible_dates']} feed item(s) had a date before 1990 or more than 2 days "
                             "ahead: treated as unknown (the page's date, else the fetch time, is used)")
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
    if summary.status != "failed" and c["feeds"] and not (c["feeds_ok"] or c["feeds_not_modified"]):
        summary.status = "failed"  # nothing could be read at all: a network or configuration problem, not news
        summary.notes.append(f"none of the {c['feeds']} feeds could be read (network down or feeds moved?)")
    if summary.status != "failed" and (summary.feed_errors or stats.dead_letters or stats.spooled):
        summary.status = "partial"
    finished = datetime.now(UTC)
    summary.finished_at = finished.isoformat()
    summary.duration_s = round(time.perf_counter() - t0, 3)
    waiting = sorted(spool_dir(settings).glob("*.jsonl")) if spool_dir(settings).is_dir() else []
    if waiting and not stats.spooled:
        summary.notes.append(f"{len(waiting)} spool file(s) wait in {spool_dir(settings)}: run `newsroom replay`")

    if write_run_record and client is not None:
        try:
            store_run_record(client, settings, summary.as_dict())
        except (ApiError, TransportError, StoreError) as exc:
            summary.notes.append(f"run record not stored: {exc}")
    if error is not None:
        raise error
    return summary
