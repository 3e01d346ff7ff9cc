"""Task bodies of the Airflow DAGs (dags/), as plain functions that run and test without Airflow.

The DAG files only wire these together; everything passed between tasks is small (names, ids, counts).
Elasticsearch, SMTP and Slack settings come from the Airflow Connections `newsroom_es`, `newsroom_smtp`,
`newsroom_slack` when they exist, else from the NEWSROOM_* environment: no secret lives in a DAG file.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import shutil
from collections.abc import Callable
from datetime import UTC, datetime
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
    """A summary as kept for the next task (XCom): bounded lists only."""
    out = dict(summary)
    out["notes"] = list(out.get("notes") or [])[:10]
    out["feed_errors"] = [
        {k: str(v)[:500] for k, v in err.items() if k in ("feed", "url", "error")} for err in (out.get("feed_errors") or [])[:20]
    ]
    out["spool_files"] = list(out.get("spool_files") or [])[:20]
    out["skipped_examples"] = {k: [u[:300] for u in v[:3]] for k, v in list((out.get("skipped_examples") or {}).items())[:20]}
    return out


def run_task(fn: Callable, *args, **kwargs):
    """Call a task body; an error that a retry cannot fix (`retryable = False` on its class: bad configuration,
    missing model, refused fetch, unknown feed) fails the Airflow task at once instead of waiting out its retries."""
    try:
        return fn(*args, **kwargs)
    except NewsroomError as exc:
        if exc.retryable:
            raise
        from airflow.sdk.exceptions import AirflowFailException

        raise AirflowFailException(f"{type(exc).__name__} (not retried): {exc}") from exc


def staging_dir(settings: Settings, run_id: str) -> Path:
    """Where a DAG run's feed tasks leave their articles for the enrich-and-index task (under the data dir)."""
    return Path(settings.data_dir) / "staged" / run_id


def _staged_file(settings: Settings, run_id: str, feed_name: str) -> Path:
    slug = re.sub(r"[^a-z0-9]+", "-", feed_name.lower()).strip("-")[:40] or "feed"
    return staging_dir(settings, run_id) / f"{slug}-{hashlib.sha256(feed_name.encode()).hexdigest()[:8]}.jsonl"


def collect_feed(feed_name: str, run_id: str, since: str | None = None, settings: Settings | None = None) -> dict:
    """Fetch → extract → archive one feed; its articles go to a staged JSON Lines file under the data dir.

    Cheap and isolated (no models): one mapped task per feed. The feed state is NOT committed here: the
    enrich-and-index task commits it once the articles are indexed. Raises FeedFailed when the feed itself could
    not be read, so Airflow retries it (or fails at once when a retry cannot help, e.g. a refused URL).
    """
    from pipeline.collect import Collector, collect_to_file
    from pipeline.feeds import load_feeds
    from pipeline.ingest import StageClock, connect, known_checker, summarize, updated_checker
    from pipeline.runs import RunSummary
    from pipeline.store.indexing import IndexStats

    settings = settings or airflow_settings()
    feeds = {feed.name: feed for feed in load_feeds(settings=settings)}
    if feed_name not in feeds:
        raise ConfigError(f"{settings.feeds_path}: no feed named {feed_name!r} (was it removed since the run started?)")
    summary = RunSummary(run_id=run_id, kind="airflow", started_at=datetime.now(UTC).isoformat(), feeds=[feed_name])
    client = connect(settings, summary.notes)
    collector = Collector(settings, [feeds[feed_name]], is_known=known_checker(client, settings),
                          is_updated=updated_checker(client, settings),
                          since=datetime.fromisoformat(since) if since else None, defer_failures=True)
    path = _staged_file(settings, run_id, feed_name)
    collect_to_file(collector, path, commit=False)
    # The feed's new state (validators, or one more failure) is only handed over: the enrich-and-index task is the
    # single writer of the feed state (docs/production.md, "Scaling past one machine").
    path.with_suffix(".state.json").write_text(json.dumps(collector.pending_states()), encoding="utf-8")
    summarize(summary, collector.stats.as_dict(), IndexStats(), {}, StageClock(), settings, 1)
    out = _compact(summary.as_dict())
    if summary.counts.get("feeds_failed"):
        errors = collector.stats.feed_errors
        text = "; ".join(str(e.get("error")) for e in errors) or "unknown error"
        failure = FeedFailed(f"feed {feed_name!r} failed: {text}")
        failure.retryable = all(e.get("retryable", True) for e in errors)
        raise failure
    out["staged"] = str(path)
    return out


def enrich_and_index_run(collected: list[dict], run_id: str, settings: Settings | None = None, enricher=None) -> dict:
    """Enrich, cluster and index every article the feed tasks staged: the models load once per run, here.

    Articles staged by two feeds are indexed once (feed order decides, as in `newsroom ingest`). The feeds' state
    is committed only after indexing, and the staged files are removed last: a failure or a kill leaves them for
    the task's retry, and deterministic ids keep the indexing exactly-once.
    """
    from pipeline.collect import commit_states, read_articles
    from pipeline.ingest import StageClock, connect, enrich_and_index, near_duplicates
    from pipeline.runs import RunSummary

    settings = settings or airflow_settings()
    parts = [c for c in collected or [] if c and c.get("staged")]
    summary = RunSummary(run_id=run_id, kind="airflow", started_at=datetime.now(UTC).isoformat())
    client = connect(settings, summary.notes)
    es_ok = not summary.notes
    if enricher is None:
        from pipeline.enrich import get_enricher

        enricher = get_enricher(settings)
    counts = {"enriched": 0, "clustered_with_earlier": 0, "duplicates": 0}
    seen: set[str] = set()

    def articles():
        for part in parts:
            for article in read_articles(Path(part["staged"])):
                if article.id in seen:
                    counts["duplicates"] += 1
                    continue
                seen.add(article.id)
                yield article

    clock = StageClock()
    stats = enrich_and_index(articles(), settings, client, enricher=enricher,
                             dedup=near_duplicates(client, settings, es_ok), run_id=run_id, clock=clock, counts=counts)
    # Every feed task's state, failed feeds' included (their failure counters): this task is the only writer.
    states = sorted(staging_dir(settings, run_id).glob("*.state.json")) if staging_dir(settings, run_id).is_dir() else []
    for state in states:
        commit_states(settings, json.loads(state.read_text(encoding="utf-8")))
    shutil.rmtree(staging_dir(settings, run_id), ignore_errors=True)
    summary.counts = {**counts, "indexed": stats.created, "updated": stats.updated, "unchanged": stats.unchanged,
                      "mentions": stats.mentions, "dead_letters": stats.dead_letters, "spooled": stats.spooled}
    summary.stage_seconds = {k: round(v, 3) for k, v in clock.seconds.items()}
    summary.dead_letters, summary.spooled, summary.spool_files = stats.dead_letters, stats.spooled, stats.spool_files
    if stats.dead_letters or stats.spooled:
        summary.status = "partial"
    summary.finished_at = datetime.now(UTC).isoformat()
    return _compact(summary.as_dict())


def finalize_run(results: list[dict], run_id: str, expected_feeds: list[str] | None = None,
                 settings: Settings | None = None, indexed: dict | None = None) -> dict:
    """Merge the feed tasks' and the enrich-and-index task's summaries into the run record; small dict back.

    Feeds whose task failed after its retries left no summary: they are recorded as failed feeds. The record keeps
    every attempt for the logical date (pipeline.runs.write_run_record). `failed_feeds` and `failed_ratio` say
    whether the DAG run must fail (see `check_failed_feeds`).
    """
    from pipeline.runs import merge_summaries, write_run_record
    from pipeline.store.client import make_client

    settings = settings or airflow_settings()
    results = [r for r in results if r]
    merged = merge_summaries([*results, *([indexed] if indexed else [])], run_id=run_id, kind="airflow")
    done = {name for r in results for name in r.get("feeds") or []}
    missing = [name for name in expected_feeds or [] if name not in done]
    for name in missing:
        merged["feed_errors"].append({"feed": name, "url": "", "error": "task failed after its retries (see Airflow log)"})
    if missing:
        merged["counts"]["feeds_failed"] = merged["counts"].get("feeds_failed", 0) + len(missing)
        merged["status"] = "failed" if not results else "partial"
    merged["counts"].setdefault("feeds", 0)
    merged["counts"]["feeds"] = len(expected_feeds) if expected_feeds is not None else merged["counts"]["feeds"]
    if results and indexed is None:  # articles were collected but the enrich-and-index task failed
        merged["status"] = "failed"
        merged["notes"].append("the enrich-and-index task failed: nothing was indexed (see Airflow log)")
    if not merged["started_at"]:
        merged["started_at"] = merged["finished_at"] = datetime.now(UTC).isoformat()
    failed_feeds = sorted({e["feed"] for e in merged["feed_errors"] if e.get("feed")})
    total = merged["counts"]["feeds"]
    failed_ratio = round(len(failed_feeds) / total, 3) if total else 0.0
    if failed_feeds:
        merged["notes"].append(f"failed feeds ({len(failed_feeds)}/{total}): {', '.join(failed_feeds)}")
    write_run_record(make_client(settings), settings, merged)
    counts = merged["counts"]
    return {
        "run_id": run_id,
        "status": merged["status"],
        "feeds": counts.get("feeds", 0),
        "feeds_failed": counts.get("feeds_failed", 0),
        "failed_feeds": failed_feeds[:50],
        "failed_ratio": failed_ratio,
        "articles": counts.get("articles", 0),
        "indexed": counts.get("indexed", 0),
        "updated": counts.get("updated", 0),
        "spooled": merged.get("spooled", 0),
        "dead_letters": merged.get("dead_letters", 0),
    }


def check_failed_feeds(record: dict, max_ratio: float) -> str | None:
    """Why the DAG run must fail, or None: more than `max_ratio` of the feeds failed, or all of them, or the run
    as a whole failed. Below the threshold the run stays green and the failed feeds are only named."""
    if record["failed_feeds"]:
        log.warning("NEWSROOM_FAILED_FEEDS run=%s count=%d ratio=%.3f feeds=%s", record["run_id"],
                    len(record["failed_feeds"]), record["failed_ratio"], json.dumps(record["failed_feeds"]))
    if record["feeds"] and record["feeds_failed"] >= record["feeds"]:
        return f"all {record['feeds']} feeds failed; run record {record['run_id']} written"
    if record["failed_ratio"] > max_ratio:
        return (f"{record['feeds_failed']} of {record['feeds']} feeds failed ({record['failed_ratio']:.0%} > "
                f"NEWSROOM_MAX_FAILED_FEEDS_RATIO={max_ratio:g}): {', '.join(record['failed_feeds'])}")
    if record["status"] == "failed":
        return f"run {record['run_id']} failed; see its run record"
    return None


# --------------------------------------------------------------------------------------------- alerts DAG


def evaluate_alerts(rule_names: list[str] | None = None, dry_run: bool = False,
                    settings: Settings | None = None) -> dict:
    """Evaluate the alert rules (pipeline.alerts); only JSON-safe scalars/lists go back to Airflow."""
    from pipeline.alerts import run_alerts

    settings = settings or airflow_settings()
    result = run_alerts(settings, rule_names=rule_names or None, dry_run=dry_run)
    return json.loads(json.dumps(result, default=str))


# --------------------------------------------------------------------------------------------- maintenance DAG


def check_storage(settings: Settings | None = None, now: datetime | None = None) -> dict:
    """Rollover and retention (pipeline.store.retention), as of `now`: the run's data_interval_end."""
    from pipeline.store.client import make_client
    from pipeline.store.retention import apply_retention

    settings = settings or airflow_settings()
    return apply_retention(make_client(settings), settings, now=now)


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


def reenrich_recent(days: int = 30, force: bool = False, settings: Settings | None = None, enricher=None,
                    until: datetime | None = None) -> dict:
    """Re-enrichment (pipeline.reenrich) of the `days` days before `until`: the run's data_interval_end."""
    from pipeline.reenrich import reenrich_recent as reenrich

    return reenrich(settings or airflow_settings(), days=days, force=force, until=until, enricher=enricher)
