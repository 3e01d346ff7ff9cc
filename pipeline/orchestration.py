"""Task bodies of the Airflow DAGs (dags/), as plain functions that run and test without Airflow.

The DAG files only wire these together; everything passed between tasks is small (names, ids, counts).
Elasticsearch, SMTP and Slack settings come from the Airflow Connections `newsroom_es`, `newsroom_smtp`,
`newsroom_slack` when they exist, else from the NEWSROOM_* environment: no secret lives in a DAG file.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from pipeline.errors import ConfigError, FetchError, NewsroomError
from pipeline.settings import Settings, load_settings

log = logging.getLogger(__name__)

ES_CONNECTION = "newsroom_es"
SMTP_CONNECTION = "newsroom_smtp"
SLACK_CONNECTION = "newsroom_slack"
ARTICLES_ASSET_URI = "newsroom://articles"


class FeedFailed(FetchError):
    """One feed could not be read: the Airflow task fails (and is retried with backoff); other feeds go on."""


# --------------------------------------------------------------------------------------------- settings


def _extra(conn: Any) -> dict:
    extra = getattr(conn, "extra_dejson", None)
    if extra is None:
        raw = getattr(conn, "extra", None) or "{}"
        extra = json.loads(raw) if isinstance(raw, str) else dict(raw)
    return extra or {}


def es_overrides(conn: Any) -> dict:
    """Settings fields from an Elasticsearch connection (host may carry the scheme; extra: api_key, ca_certs...)."""
    extra = _extra(conn)
    out: dict[str, Any] = {}
    url = extra.get("url")
    if not url and conn.host:
        host = conn.host.rstrip("/")
        if "://" not in host:
            scheme = conn.schema if conn.schema in ("http", "https") else extra.get("scheme", "https")
            host = f"{scheme}://{host}"
        url = f"{host}:{conn.port}" if conn.port and host.count(":") < 2 else host
    if url:
        out["es_url"] = url
    if conn.login:
        out["es_user"] = conn.login
        out["es_password"] = conn.password or ""
    if extra.get("api_key"):
        out["es_api_key"] = extra["api_key"]
    if extra.get("ca_certs"):
        out["es_ca_certs"] = extra["ca_certs"]
    if "verify_certs" in extra:
        out["es_verify_certs"] = str(extra["verify_certs"]).lower() not in ("false", "0", "no")
    if extra.get("index_prefix"):
        out["es_index_prefix"] = extra["index_prefix"]
    return out


def smtp_overrides(conn: Any) -> dict:
    extra = _extra(conn)
    out: dict[str, Any] = {}
    if conn.host:
        out["smtp_host"] = conn.host
    if conn.port:
        out["smtp_port"] = int(conn.port)
    if conn.login:
        out["smtp_user"] = conn.login
        out["smtp_password"] = conn.password or ""
    for key in ("security", "from"):
        if extra.get(key):
            out[f"smtp_{key}"] = extra[key]
    return out


def slack_overrides(conn: Any) -> dict:
    """Slack incoming webhook: the full URL in the password (or in extra.webhook_url)."""
    url = _extra(conn).get("webhook_url") or conn.password or conn.host
    return {"slack_webhook_url": url} if url else {}


def _airflow_connection(conn_id: str) -> Any | None:
    try:
        from airflow.sdk import Connection
    except ImportError:
        return None
    try:
        return Connection.get(conn_id)
    except Exception:  # noqa: BLE001 - missing connection (AirflowNotFoundException) or no task context
        return None


def airflow_settings(get_connection: Callable[[str], Any | None] = _airflow_connection, **overrides) -> Settings:
    """Settings for a task: Airflow Connections first (when defined), then NEWSROOM_* variables."""
    fields: dict[str, Any] = {}
    for conn_id, mapper in ((ES_CONNECTION, es_overrides), (SMTP_CONNECTION, smtp_overrides),
                            (SLACK_CONNECTION, slack_overrides)):
        conn = get_connection(conn_id)
        if conn is not None:
            fields.update(mapper(conn))
            log.info("settings: using Airflow connection %s", conn_id)
    fields.update(overrides)
    return load_settings(**fields)


# --------------------------------------------------------------------------------------------- ingest DAG


def run_key(dag_id: str, logical_date: datetime | str | None, dag_run_id: str | None = None) -> str:
    """Deterministic id of a DAG run's record: the same logical date (scheduled, rerun, backfill) gives the same id."""
    if logical_date is not None:
        when = datetime.fromisoformat(logical_date) if isinstance(logical_date, str) else logical_date
        when = when if when.tzinfo else when.replace(tzinfo=UTC)
        return f"airflow-{dag_id}-{when.astimezone(UTC):%Y%m%dT%H%M%SZ}"
    if not dag_run_id:
        raise ValueError("a DAG run without logical date needs its run id")
    return f"airflow-{dag_id}-{dag_run_id}"


def feed_names(settings: Settings | None = None, only: list[str] | None = None) -> list[str]:
    """Names of the enabled feeds (what the ingest DAG maps over); `only` keeps a subset, checked."""
    from pipeline.feeds import load_feeds

    settings = settings or airflow_settings()
    names = [feed.name for feed in load_feeds(settings=settings) if feed.enabled]
    if only:
        unknown = sorted(set(only) - set(names))
        if unknown:
            raise ConfigError(f"{settings.feeds_path}: no feed named {', '.join(map(repr, unknown))}")
        names = [name for name in names if name in only]
    return names


def _compact(summary: dict) -> dict:
    """The per-feed summary kept for the final task (XCom): bounded lists only."""
    out = dict(summary)
    out["notes"] = list(out.get("notes") or [])[:10]
    out["feed_errors"] = [
        {k: str(v)[:500] for k, v in err.items() if k in ("feed", "url", "error")} for err in (out.get("feed_errors") or [])[:20]
    ]
    out["spool_files"] = list(out.get("spool_files") or [])[:20]
    return out


def run_feed(feed_name: str, run_id: str, since: str | None = None, settings: Settings | None = None,
             enricher=None) -> dict:
    """Fetch → extract → enrich → index one feed (bounded batches); a summary dict for the final task.

    Raises FeedFailed when the feed itself could not be read, so Airflow retries it with backoff; the articles
    already indexed stay (ids are deterministic), the other feeds' tasks are not affected.
    """
    from pipeline.feeds import load_feeds
    from pipeline.ingest import ingest

    settings = settings or airflow_settings()
    feeds = {feed.name: feed for feed in load_feeds(settings=settings)}
    if feed_name not in feeds:
        raise ConfigError(f"{settings.feeds_path}: no feed named {feed_name!r} (was it removed since the run started?)")
    since_dt = datetime.fromisoformat(since) if since else None
    summary = ingest(settings, feeds=[feeds[feed_name]], since=since_dt, progress=False, run_id=run_id,
                     write_run_record=False, enricher=enricher).as_dict()
    if summary["counts"].get("feeds_failed"):
        errors = "; ".join(str(e.get("error")) for e in summary.get("feed_errors") or []) or "unknown error"
        raise FeedFailed(f"feed {feed_name!r} failed: {errors}")
    return _compact(summary)


def finalize_run(results: list[dict], run_id: str, expected_feeds: list[str] | None = None,
                 settings: Settings | None = None) -> dict:
    """Merge the per-feed summaries, write the run record (id = run_id: a rerun replaces it); small dict back.

    Feeds whose task failed after its retries left no summary: they are recorded as failed feeds.
    """
    from pipeline.runs import merge_summaries, write_run_record
    from pipeline.store.client import make_client

    settings = settings or airflow_settings()
    results = [r for r in results if r]
    merged = merge_summaries(results, run_id=run_id, kind="airflow")
    done = {name for r in results for name in r.get("feeds") or []}
    missing = [name for name in expected_feeds or [] if name not in done]
    for name in missing:
        merged["feed_errors"].append({"feed": name, "url": "", "error": "task failed after its retries (see Airflow log)"})
    if missing:
        merged["counts"]["feeds_failed"] = merged["counts"].get("feeds_failed", 0) + len(missing)
        merged["status"] = "failed" if not results else "partial"
    merged["counts"].setdefault("feeds", 0)
    merged["counts"]["feeds"] = len(expected_feeds) if expected_feeds is not None else merged["counts"]["feeds"]
    if not merged["started_at"]:
        merged["started_at"] = merged["finished_at"] = datetime.now(UTC).isoformat()
    write_run_record(make_client(settings), settings, merged)
    counts = merged["counts"]
    return {
        "run_id": run_id,
        "status": merged["status"],
        "feeds": counts.get("feeds", 0),
        "feeds_failed": counts.get("feeds_failed", 0),
        "articles": counts.get("articles", 0),
        "indexed": counts.get("indexed", 0),
        "updated": counts.get("updated", 0),
        "spooled": merged.get("spooled", 0),
        "dead_letters": merged.get("dead_letters", 0),
    }


# --------------------------------------------------------------------------------------------- alerts DAG


def evaluate_alerts(rule_names: list[str] | None = None, dry_run: bool = False,
                    settings: Settings | None = None) -> dict:
    """Evaluate the alert rules (pipeline.alerts); only JSON-safe scalars/lists go back to Airflow."""
    from pipeline.alerts import run_alerts

    settings = settings or airflow_settings()
    result = run_alerts(settings, rule_names=rule_names or None, dry_run=dry_run)
    return json.loads(json.dumps(result, default=str))


# --------------------------------------------------------------------------------------------- maintenance DAG


def _creation_date(info: dict) -> datetime | None:
    value = (info.get("settings", {}).get("index", {}) or {}).get("creation_date")
    return datetime.fromtimestamp(int(value) / 1000, tz=UTC) if value else None


def check_storage(settings: Settings | None = None, now: datetime | None = None) -> dict:
    """Rollover and retention: templates/aliases up to date; ILM errors reported; without ILM, rolled-over
    indices older than NEWSROOM_ES_RETENTION_DAYS are deleted (ILM does that itself where it exists)."""
    from pipeline.store import templates
    from pipeline.store.client import make_client
    from pipeline.store.setup import ensure_setup

    settings = settings or airflow_settings()
    client = make_client(settings)
    report = ensure_setup(client, settings)
    out: dict[str, Any] = {"ilm": report.get("ilm_available", False), "rolled_over": [n for n in report["notes"] if "rolled over" in n],
                           "deleted": [], "ilm_errors": [], "indices": {}}
    names = templates.index_names(settings.es_index_prefix)
    cutoff = (now or datetime.now(UTC)) - timedelta(days=settings.es_retention_days)
    for kind in templates.ROLLOVER_KINDS:
        alias = names[kind]
        aliases = client.indices.get_alias(name=alias)
        out["indices"][kind] = sorted(aliases)
        if out["ilm"]:
            explain = client.ilm.explain_lifecycle(index=alias)
            for index, state in (explain.get("indices") or {}).items():
                if state.get("step") == "ERROR":
                    out["ilm_errors"].append({"index": index, "reason": str(state.get("step_info"))[:300]})
            continue
        # Like ILM's delete phase, age counts from rollover: an index stops receiving articles when the next
        # one is created, so its age is the next index's creation date.
        info = client.indices.get_settings(index=alias)
        ordered = sorted(aliases)
        for index, successor in zip(ordered, ordered[1:]):
            is_write = (aliases[index].get("aliases", {}).get(alias) or {}).get("is_write_index", False)
            rolled_over = _creation_date(info.get(successor, {}))
            if not is_write and rolled_over and rolled_over < cutoff:
                client.indices.delete(index=index)
                out["deleted"].append(index)
    if out["ilm_errors"]:
        raise NewsroomError("ILM reports errors on " + ", ".join(e["index"] for e in out["ilm_errors"])
                            + ": run GET <index>/_ilm/explain for details")
    return out


def replay_pending(settings: Settings | None = None) -> dict:
    """Index what was spooled while Elasticsearch was down; count the dead letters waiting for a look."""
    from pipeline.store.client import make_client
    from pipeline.store.indexing import dead_letter_path, replay_spool

    settings = settings or airflow_settings()
    stats = replay_spool(make_client(settings), settings).as_dict()
    dead = dead_letter_path(settings)
    stats["dead_letters_waiting"] = sum(1 for _ in dead.open(encoding="utf-8")) if dead.exists() else 0
    stats.pop("spool_files", None)
    return stats


def _fingerprint_file(settings: Settings) -> Path:
    return Path(settings.data_dir) / "state" / "enrichment-fingerprint.json"


def _recent_articles(client, settings: Settings, since: datetime, fields: list[str]) -> Iterator[dict]:
    from elasticsearch import helpers

    from pipeline.store.templates import index_names

    alias = index_names(settings.es_index_prefix)["articles"]
    query = {"range": {"first_seen_at": {"gte": since.isoformat()}}}
    for hit in helpers.scan(client, index=alias, query={"query": query}, _source=fields, size=200):
        yield {"_id": hit["_id"], "_index": hit["_index"], **hit["_source"]}


def _text_from_archive(doc: dict, settings: Settings) -> str | None:
    """The page re-extracted from the WARC archive (extraction improvements apply too); None if not archived."""
    from pipeline.archive import read_record
    from pipeline.extract import extract_article

    if not doc.get("warc_file") or doc.get("warc_offset") is None:
        return None
    try:
        url, fetched_at, body = read_record(doc["warc_file"], int(doc["warc_offset"]), settings.data_dir)
    except (OSError, ValueError) as exc:
        log.warning("article %s: archived page unreadable (%s): using the indexed text", doc["_id"], exc)
        return None
    article = extract_article(body, url, fetched_at=fetched_at, min_words=1)
    return article.text if article else None


ENRICHMENT_FIELDS = ("lang", "search", "enrichment_level", "orgs", "persons", "places", "misc", "entity_orgs", "topics",
                     "sentiment", "company_sentiment")


def reenrich_recent(days: int = 30, force: bool = False, settings: Settings | None = None, enricher=None) -> dict:
    """Re-enrich the articles first seen in the last `days` days, from their archived pages, when the models or
    the watchlist changed since the last pass (or `force`). Only enrichment fields and mentions are rewritten;
    ids, first_seen_at and clusters stay. Works in bounded batches (NEWSROOM_ES_BULK_CHUNK)."""
    from elasticsearch import helpers

    from pipeline.enrich import EnrichInput, Enricher, enrichment_fingerprint
    from pipeline.models import Article, EnrichedArticle
    from pipeline.store.client import make_client
    from pipeline.store.indexing import article_document, mention_documents, mention_id
    from pipeline.store.templates import index_names

    settings = settings or airflow_settings()
    # A new Enricher, not get_enricher's per-process cache: it must read the watchlist as it is now (the models
    # themselves stay cached per process by load_nlp, so this costs little).
    enricher = enricher or Enricher(settings)
    # The fingerprint names the spaCy models in use, which it knows only once they are loaded: load them first
    # (a few seconds, once a week) so that a model upgrade is seen even when no article needs re-enriching.
    enricher.warm_up()
    fingerprint = enrichment_fingerprint(settings)
    marker = _fingerprint_file(settings)
    previous = json.loads(marker.read_text(encoding="utf-8")).get("fingerprint") if marker.exists() else None
    if previous == fingerprint and not force:
        return {"reenriched": 0, "skipped": "models and watchlist unchanged since the last pass"}

    client = make_client(settings)
    names = index_names(settings.es_index_prefix)
    since = datetime.now(UTC) - timedelta(days=days)
    fields = ["url", "domain", "source", "feed_tags", "title", "text", "lang", "published_at", "first_seen_at",
              "extraction", "word_count", "content_hash", "cluster_id", "warc_file", "warc_offset"]
    counts = {"reenriched": 0, "from_archive": 0, "from_index": 0, "mentions": 0, "errors": 0}
    batch: list[dict] = []

    def flush() -> None:
        inputs = []
        for doc in batch:
            text = _text_from_archive(doc, settings)
            counts["from_archive" if text else "from_index"] += 1
            doc["_text"] = text or doc.get("text") or ""
            inputs.append(EnrichInput(id=doc["_id"], text=doc["_text"], title=doc.get("title"), lang=doc.get("lang")))
        actions: list[dict] = []
        for doc, enrichment in zip(batch, enricher.enrich_many(iter(inputs)), strict=True):
            article = Article(
                id=doc["_id"], url=doc["url"], domain=doc.get("domain") or "", source=doc.get("source") or "",
                feed_tags=doc.get("feed_tags") or [], title=doc.get("title"), text=doc.get("text") or "",
                lang=doc.get("lang"), published_at=doc.get("published_at"), fetched_at=doc["first_seen_at"],
                extraction=doc.get("extraction") or "trafilatura", word_count=doc.get("word_count") or 0,
                content_hash=doc.get("content_hash") or "",
            )
            rec = EnrichedArticle(article=article, enrichment=enrichment, cluster_id=doc.get("cluster_id"))
            new_doc = article_document(rec)
            actions.append({"_op_type": "update", "_index": doc["_index"], "_id": doc["_id"],
                            "doc": {k: new_doc[k] for k in ENRICHMENT_FIELDS if k in new_doc}})
            for mention in mention_documents(rec, run_id="reenrich"):
                actions.append({"_op_type": "index", "_index": names["mentions"],
                                "_id": mention_id(doc["_id"], mention["company"]), "_source": mention})
        # Old mentions may sit in rolled-over indices or name companies no longer found: drop them first.
        client.delete_by_query(index=names["mentions"], query={"terms": {"article_id": [d["_id"] for d in batch]}},
                               refresh=True, conflicts="proceed")
        ok, errors = helpers.bulk(client, actions, raise_on_error=False, refresh="wait_for")
        counts["errors"] += len(errors)
        counts["reenriched"] += len(batch)
        counts["mentions"] += sum(1 for a in actions if a["_op_type"] == "index")
        batch.clear()

    for doc in _recent_articles(client, settings, since, fields):
        batch.append(doc)
        if len(batch) >= max(1, settings.es_bulk_chunk):
            flush()
    if batch:
        flush()
    if not counts["errors"]:
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.write_text(json.dumps({"fingerprint": fingerprint, "at": datetime.now(UTC).isoformat()}), encoding="utf-8")
    return counts
