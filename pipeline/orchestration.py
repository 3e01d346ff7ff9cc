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
import time
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from pipeline.errors import ConfigError, FetchError, NewsroomError, StoreError
from pipeline.safewrite import atomic_output
from pipeline.settings import Settings, load_settings

log = logging.getLogger(__name__)

ES_CONNECTION = "newsroom_es"
SMTP_CONNECTION = "newsroom_smtp"
SLACK_CONNECTION = "newsroom_slack"
ARTICLES_ASSET_URI = "newsroom://articles"
DONE_MARKER = "done.json"  # left in a run's staging dir once its articles are indexed: a re-run of the step is a no-op
CONCURRENT_STAGING_HOURS = 6  # another run's staged files this recent belong to a run under way (not a failed one)
# A feed that failed this many runs in a row gets one attempt a run, not Airflow's retries: a dead or hanging host
# held back every run's indexing by its retries (a host that never answers: 4 attempts × 93 s + 14 min of backoff).
FAILING_FEED_RUNS = 3
TLS_HINT = (" The TLS handshake failed: is the server plain http? Then use an http:// URL in NEWSROOM_ES_URL or "
            "the Airflow connection newsroom_es.")


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
            # A URI connection (`http://host:port`) carries its scheme in conn_type, a UI one may carry it in Schema
            conn_type = getattr(conn, "conn_type", None)
            scheme = next((s for s in (conn.schema, conn_type) if s in ("http", "https")), extra.get("scheme", "https"))
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
        unreadable = unreadable_connection_variable(conn_id)
        if unreadable:
            raise ConfigError(unreadable) from None
        return None


def unreadable_connection_variable(conn_id: str) -> str | None:
    """Why Airflow could not read the AIRFLOW_CONN_<ID> variable that is set: Airflow logs the parse error at DEBUG
    and answers "isn't defined", and the task went on with the NEWSROOM_* environment (or no store at all)."""
    import os

    from airflow.sdk import Connection

    from pipeline.sinks import mask_secrets, single_line

    name = f"AIRFLOW_CONN_{conn_id.upper()}"
    value = (os.environ.get(name) or "").strip()
    if not value:
        return None
    try:
        if value.startswith("{"):
            Connection.from_json(value, conn_id=conn_id)
        else:
            Connection.from_uri(value, conn_id=conn_id)
    except Exception as exc:  # noqa: BLE001 - whatever Airflow's own parser raises, named in the sentence
        why = single_line(mask_secrets(f"{type(exc).__name__}: {exc}"), 200)
        return (f"The environment variable {name} (the Airflow connection {conn_id}) cannot be read ({why}): give "
                "a URI such as 'https://user:password@host:9200' or the connection as a JSON object.")
    return None


def _connection_fields(conn_id: str, conn: Any, mapper: Callable[[Any], dict]) -> dict:
    """A connection's settings fields; a connection that cannot be read is a ConfigError naming it (a malformed
    extra or port failed the task with a bare AttributeError or ValueError at every retry)."""
    from pipeline.sinks import mask_secrets, single_line

    where = f"The Airflow connection {conn_id} (UI → Admin → Connections, or AIRFLOW_CONN_{conn_id.upper()})"
    try:
        fields = mapper(conn)
    except (AttributeError, TypeError, ValueError) as exc:
        raise ConfigError(f"{where} cannot be read ({single_line(mask_secrets(exc), 200)}): its extra must be a "
                          "JSON object and its port a number.") from None
    if not fields:  # it was logged as used, and the environment silently took over
        raise ConfigError(f"{where} is defined but gives no setting (no host, login or extra): fill it in or "
                          "delete it.")
    return fields


def airflow_settings(get_connection: Callable[[str], Any | None] = _airflow_connection, **overrides) -> Settings:
    """Settings for a task: Airflow Connections first (when defined), then NEWSROOM_* variables. A value a
    connection gives that the settings refuse is named by the connection, not by the NEWSROOM_* variable it
    stands for (which the operator never set)."""
    from pipeline.sinks import mask_secrets

    fields: dict[str, Any] = {}
    origin: dict[str, str] = {}
    for conn_id, mapper in ((ES_CONNECTION, es_overrides), (SMTP_CONNECTION, smtp_overrides),
                            (SLACK_CONNECTION, slack_overrides)):
        conn = get_connection(conn_id)
        if conn is not None:
            mapped = _connection_fields(conn_id, conn, mapper)
            fields.update(mapped)
            origin.update(dict.fromkeys(mapped, conn_id))
            log.info("settings: using Airflow connection %s", conn_id)
    fields.update(overrides)
    try:
        return load_settings(**fields)
    except ConfigError as exc:
        named = [(f"NEWSROOM_{field.upper()}", conn_id) for field, conn_id in origin.items() if field not in overrides]
        culprits = sorted({conn_id for variable, conn_id in named if f"{variable}:" in str(exc)})
        if not culprits:
            raise
        text = str(exc).removeprefix("Invalid setting(s) in the environment or .env file: ")
        for variable, conn_id in named:
            text = text.replace(f"{variable}:", f"{variable} (from the Airflow connection {conn_id}):")
        raise ConfigError(f"Invalid setting(s): {mask_secrets(text)}; fix the connection (UI → Admin → "
                          f"Connections, or AIRFLOW_CONN_{culprits[0].upper()}), which wins over the environment.") \
            from None


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
    from pipeline.configfiles import shown_value
    from pipeline.feeds import load_enabled_feeds

    settings = settings or airflow_settings()
    # no enabled feed fails the list task (and so the run, see list_failure), never a green run that did nothing
    names = [feed.name for feed in load_enabled_feeds(settings=settings) if feed.enabled]
    if only:
        # the DAG's `feeds` param is any JSON array: [{"a": 1}] failed the task at every retry with a bare TypeError
        if isinstance(only, str) or not all(isinstance(name, str) for name in only):
            raise ConfigError(f"param feeds={shown_value(only)} is not a list of feed names (strings), "
                              'e.g. ["World Wire"]')
        unknown = sorted(set(only) - set(names))
        if unknown:  # each quoted by its first 80 characters, the first 5 only: the param may list thousands
            more = f" and {len(unknown) - 5:,} more" if len(unknown) > 5 else ""
            # named as the DAG param it came from: the operator typed it in the trigger form, not in the file
            raise ConfigError(f"param feeds: {settings.feeds_path} has no feed named "
                              f"{', '.join(map(shown_value, unknown[:5]))}{more}")
        names = [name for name in names if name in only]
    return names


def parse_since(since: str | None, settings: Settings) -> datetime | None:
    """The `since` param read as `newsroom ingest --since` reads it: a date without a zone is in NEWSROOM_TIMEZONE
    (it was UTC here, an hour later than the CLI's in Paris winter); a ConfigError sentence naming the param."""
    from pipeline.coverage import parse_when, zone

    try:
        return parse_when(str(since).strip() if since else None, zone(settings))
    except ConfigError:
        raise
    except NewsroomError:
        raise ConfigError(f"param since={since!r} is not an ISO date (YYYY-MM-DD, or YYYY-MM-DDTHH:MM with an "
                          "optional zone)") from None


def plan_run(only: list[str] | None = None, since: str | None = None, settings: Settings | None = None) -> list[str]:
    """The ingest DAG's first task: check the params once, list the feeds, set the store up once for the feed tasks
    (a store that is down here is only logged: the enrich-and-index task retries, then spools)."""
    from pipeline.ingest import connect

    settings = settings or airflow_settings()
    parse_since(since, settings)
    names = feed_names(settings, only=only)
    connect(settings, [])
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


def store_error(exc: BaseException, doing: str) -> StoreError:
    """One sentence for a raw client error (store down, TLS mismatch, refusal), as the CLI prints it."""
    from elasticsearch import ApiError

    if isinstance(exc, ApiError):
        from pipeline.store.client import api_error_sentence

        return StoreError(f"Elasticsearch refused the request while {doing}: {api_error_sentence(exc)}")
    return StoreError(f"Elasticsearch is unreachable while {doing} ({type(exc).__name__}: {exc}); start it or check "
                      f"NEWSROOM_ES_URL or the Airflow connection newsroom_es.{TLS_HINT if _tls_failure(exc) else ''}")


def _tls_failure(exc: BaseException | None) -> bool:
    from elastic_transport import TlsError

    seen = 0
    while exc is not None and seen < 10:
        if isinstance(exc, TlsError):
            return True
        exc, seen = exc.__cause__ or exc.__context__, seen + 1
    return False


def run_task(fn: Callable, *args, **kwargs):
    """Call a task body; an error that a retry cannot fix (`retryable = False` on its class: bad configuration,
    missing model, refused fetch, unknown feed) fails the Airflow task at once instead of waiting out its retries.
    A raw Elasticsearch client error becomes one StoreError sentence (retried), never a bare traceback."""
    from elastic_transport import TransportError
    from elasticsearch import ApiError

    from pipeline.sinks import clean_log_lines, quiet_library_logs

    quiet_library_logs()  # as the CLI does: the task log keeps our sentences and counts
    # and each of them one line of printable text, as the CLI's (a feed's advertised links, a parser's error quote web
    # strings); tracebacks at Airflow's DEBUG logging level, as with the CLI's -v
    clean_log_lines(verbose=logging.getLogger().getEffectiveLevel() <= logging.DEBUG)
    try:
        try:
            return fn(*args, **kwargs)
        except (ApiError, TransportError) as exc:
            raise store_error(exc, getattr(fn, "__name__", "running the task").replace("_", " ")) from exc
        except StoreError as exc:
            if _tls_failure(exc) and "plain http" not in str(exc):
                raise StoreError(f"{exc}{TLS_HINT}") from exc
            if "NEWSROOM_ES_" in str(exc) and _airflow_connection(ES_CONNECTION) is not None:
                # a refusal (401) names the variables to check; in a task the connection's values won over them
                raise type(exc)(f"{exc} In this task the Airflow connection {ES_CONNECTION} gives the store's URL "
                                "and credentials, over the NEWSROOM_ES_* variables: check it.") from exc
            raise
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


def _write_json(path: Path, data) -> None:
    """Whole or not at all (a task killed while writing leaves the old file or none, never half of one)."""
    with atomic_output(path, what="Staged file") as fh:
        fh.write(json.dumps(data))


def _error_file(staged: Path) -> Path:
    return staged.with_suffix(".error.json")


def staged_by_other_runs(settings: Settings, run_id: str, ids: list[str],
                         hours: float = CONCURRENT_STAGING_HOURS) -> set[str]:
    """Which of these article ids (or link ids) another run under way has staged and not indexed yet: a backfill's
    feed tasks beside the scheduled run's fetched and extracted every page again, to find it unchanged at indexing.
    Staged files older than `hours` are a failed run's, left for a retry that may never come: not counted."""
    wanted, found = set(ids), set()
    root = Path(settings.data_dir) / "staged"
    cutoff = time.time() - hours * 3600
    for path in root.glob("*/*.jsonl") if root.is_dir() and wanted else []:
        try:
            if path.parent.name == run_id or path.stat().st_mtime < cutoff:
                continue
            lines = path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError):  # indexed and removed meanwhile, or damaged: fetch as usual
            continue
        for line in lines:
            try:
                article = json.loads(line)
                found.update(wanted.intersection([article["id"], *(article.get("link_ids") or [])]))
            except (ValueError, KeyError, TypeError):
                continue
    return found


def collect_feed(feed_name: str, run_id: str, since: str | None = None, settings: Settings | None = None,
                 refetch: bool = False) -> dict:
    """Fetch → extract → archive one feed; its articles go to a staged JSON Lines file under the data dir.

    Cheap and isolated (no models): one mapped task per feed. The feed state is NOT committed here: the
    enrich-and-index task commits it once the articles are indexed. Raises FeedFailed when the feed itself could
    not be read, so Airflow retries it (or fails at once when a retry cannot help, e.g. a refused URL); the feed's
    URL and error are left next to the staged file for the run record. A page already stored, or staged by another
    run under way (a backfill beside the scheduled run), is not fetched again unless `refetch` (the DAG param) asks
    for every listed page, as `newsroom fetch --include-seen` does.
    """
    from pipeline.collect import Collector, collect_to_file
    from pipeline.feeds import load_feeds
    from pipeline.ingest import StageClock, guid_checker, headline_checker, known_checker, summarize, updated_checker
    from pipeline.runs import RunSummary
    from pipeline.store.client import make_client
    from pipeline.store.indexing import IndexStats

    t0 = time.perf_counter()
    settings = settings or airflow_settings()
    when = parse_since(since, settings)
    feeds = {feed.name: feed for feed in load_feeds(settings=settings)}
    summary = RunSummary(run_id=run_id, kind="airflow", started_at=datetime.now(UTC).isoformat(), feeds=[feed_name])
    if feed_name not in feeds or not feeds[feed_name].enabled:
        # Removed, renamed or disabled since list_feeds: the operator no longer monitors it. Not a failed feed (a
        # ConfigError here counted toward NEWSROOM_MAX_FAILED_FEEDS_RATIO: pruning dead feeds during a run could
        # turn it red), and an earlier attempt's error must not name it either.
        why = "removed from" if feed_name not in feeds else "disabled in"
        summary.notes.append(f"feed {feed_name!r} {why} {settings.feeds_path} since the run started: not collected")
        summary.counts = {"feeds_removed": 1}
        staged = _staged_file(settings, run_id, feed_name)  # an earlier attempt's failure and state: no longer ours
        for path in (_error_file(staged), staged.with_suffix(".state.json"), staged):
            path.unlink(missing_ok=True)
        summary.finished_at = datetime.now(UTC).isoformat()
        log.warning("%s", summary.notes[-1])
        return _compact(summary.as_dict())
    # The store was set up once by the list task; here it only answers "already indexed?" (one retry: a store that
    # is down must not hold every feed task for minutes, the articles are then simply all fetched).
    try:
        client = make_client(settings, max_retries=1)
    except NewsroomError as exc:
        log.warning("store not available to check known articles (%s): fetching all", exc)
        client = None
    stored, left_to_others = known_checker(client, settings), set()

    def is_known(ids: list[str]) -> set[str]:
        known = stored(ids)
        left_to_others.update(staged_by_other_runs(settings, run_id, [i for i in ids if i not in known]))
        return known | left_to_others

    collector = Collector(settings, [feeds[feed_name]], is_known=None if refetch else is_known,
                          is_updated=updated_checker(client, settings), guid_versions=guid_checker(client, settings),
                          stored_headlines=headline_checker(client, settings), since=when, defer_failures=True,
                          refresh_feeds=refetch)
    path = _staged_file(settings, run_id, feed_name)
    collect_to_file(collector, path, commit=False)
    if left_to_others:  # should that run fail for good, the next run reads the feed in full and fetches them
        collector.read_in_full_next_run(str(feeds[feed_name].url))
        log.info("feed %s: %d known page(s) not fetched again, some of them staged by another run under way",
                 feed_name, collector.stats.known)
    # The feed's new state (validators, or one more failure) is only handed over: the enrich-and-index task is the
    # single writer of the feed state (docs/production.md, "Scaling past one machine").
    states = collector.pending_states()
    _write_json(path.with_suffix(".state.json"), states)
    summarize(summary, collector.stats.as_dict(), IndexStats(), {}, StageClock(), settings, 1)
    summary.duration_s = round(time.perf_counter() - t0, 3)
    out = _compact(summary.as_dict())
    if summary.counts.get("feeds_failed"):
        errors = collector.stats.feed_errors
        text = "; ".join(str(e.get("error")) for e in errors) or "unknown error"
        from pipeline.sinks import mask_secrets, mask_url

        _write_json(_error_file(path), out["feed_errors"] or [
            {"feed": feed_name, "url": mask_url(str(feeds[feed_name].url)), "error": mask_secrets(text)}])
        # the stored count (this run's failure not committed yet) is the number of earlier runs in a row it failed
        earlier = max((s.get("consecutive_failures") or 1 for s in states), default=1) - 1
        dead = f"; it failed its last {earlier} runs too: not retried (one attempt a run until it answers again; " \
               "fix its URL or set `enabled: false`)" if earlier >= FAILING_FEED_RUNS else ""
        failure = FeedFailed(f"feed {feed_name!r} failed: {text}{dead}")
        failure.retryable = not dead and all(e.get("retryable", True) for e in errors)
        raise failure
    _error_file(path).unlink(missing_ok=True)  # an earlier attempt's failure, now overcome
    out["staged"] = str(path)
    return out


def enrich_and_index_run(collected: list[dict], run_id: str, settings: Settings | None = None, enricher=None) -> dict:
    """Enrich, cluster and index every article the feed tasks staged: the models load once per run, here.

    Articles staged by two feeds are indexed once (feed order decides, as in `newsroom ingest`). Articles spooled
    by an earlier run while the store was down are replayed first. The feeds' state is committed only after
    indexing, then this task's summary is saved as a `done.json` marker and the staged files are removed: a failure
    or a kill before leaves them for the task's retry (deterministic ids keep the indexing exactly-once), and a
    re-run after (a cleared task, a worker killed before Airflow heard of the result) finds the marker and returns
    the same summary instead of failing on files that are gone.
    """
    from pipeline.collect import commit_states, feed_states_from_json, google_news_copy_of, read_articles, site_of
    from pipeline.urls import is_google_news
    from pipeline.ingest import StageClock, connect, enrich_and_index, near_duplicates
    from pipeline.runs import RunSummary

    t0 = time.perf_counter()
    settings = settings or airflow_settings()
    stage = staging_dir(settings, run_id)
    parts = [c for c in collected or [] if c and c.get("staged")]
    present = [Path(p["staged"]) for p in parts if Path(p["staged"]).exists()]
    marker = stage / DONE_MARKER
    if parts and not present and marker.exists() and not any(stage.glob("*.jsonl")):
        done = json.loads(marker.read_text(encoding="utf-8"))
        log.warning("staged files of run %s were already indexed and removed (%s): nothing to do; returning that "
                    "step's summary", run_id, done.get("finished_at") or "earlier attempt")
        return done
    summary = RunSummary(run_id=run_id, kind="airflow", started_at=datetime.now(UTC).isoformat())
    if len(present) < len(parts):
        gone = sorted({p["staged"] for p in parts} - {str(p) for p in present})
        summary.notes.append(f"{len(gone)} staged file(s) of run {run_id} were gone (indexed by an earlier attempt?): "
                             "skipped")
        log.warning("%s: %s", summary.notes[-1], gone[:5])
    # A feed task killed or timed out after staging its articles and state, before Airflow heard its result: its
    # state is committed below with the others, so its articles must be indexed now or never.
    listed = {Path(p["staged"]).resolve() for p in parts}
    unlisted = sorted(f for f in stage.glob("*.jsonl") if f.resolve() not in listed) if stage.is_dir() else []
    present += unlisted
    unreported = [f for f in unlisted if not _error_file(f).exists()]  # a failed feed reported its failure
    if unreported:
        summary.notes.append(f"{len(unreported)} staged file(s) of run {run_id} whose feed task did not report "
                             "(killed or timed out after staging): indexed too")
        log.warning("%s: %s", summary.notes[-1], [f.name for f in unreported[:5]])
    notes_before = len(summary.notes)
    client = connect(settings, summary.notes)
    es_ok = len(summary.notes) == notes_before  # connect leaves a note only when Elasticsearch is down
    replayed = _replay_before_indexing(client, settings) if es_ok and client is not None else {}
    if enricher is None:
        from pipeline.enrich import get_enricher

        enricher = get_enricher(settings)
    counts = {"enriched": 0, "clustered_with_earlier": 0, "duplicates": 0}
    seen: set[str] = set()
    held: set[Path] = set()  # state files of feeds whose staged file had a line that is no article
    copies: list = []  # Google News items staged by a feed task: indexed after the others, unless a duplicate
    headlines: list[tuple] = []  # the other staged stories: headline, date, site

    def articles():
        for path in present:
            def unreadable(lineno: int, why: str, path: Path = path) -> None:
                # a tampered or damaged line: the run goes on; its feed's state is not committed, so the feed is
                # read whole again next run and the article fetched again (it failed every retry of the task)
                counts["unreadable_staged"] = counts.get("unreadable_staged", 0) + 1
                held.add(path.with_suffix(".state.json"))
                summary.notes.append(f"{path.name}:{lineno}: skipped, not an article ({why}); feed state not committed")
                log.warning("staged file %s, line %d: skipped, not an article (%s)", path, lineno, why)

            for article in read_articles(path, unreadable):
                if article.id in seen:
                    counts["duplicates"] += 1
                    continue
                seen.add(article.id)
                if article.title and is_google_news(article.url):
                    copies.append(article)  # once every other feed's stories are known
                    continue
                if article.title:
                    headlines.append((article.title, article.published_at, site_of(article.url)))
                yield article
        # Google News's copies last: each feed task read one feed, so a copy of a story another feed task staged (its
        # link cannot be resolved) was indexed as a second, summary-only article; `newsroom ingest` drops it within
        # its run (collect.google_news_copy_of), and so does this step, by headline, date and publisher's site
        for article in copies:
            if google_news_copy_of(article.title, article.published_at, article.site_url, headlines):
                counts["duplicates"] += 1
                seen.discard(article.id)
                log.info("staged %s: Google News's copy of %r, staged by another feed of the run: a duplicate",
                         article.url, article.title[:80])
                continue
            yield article

    clock, companies = StageClock(), Counter()
    stats = enrich_and_index(articles(), settings, client, enricher=enricher,
                             dedup=near_duplicates(client, settings, es_ok), run_id=run_id, clock=clock, counts=counts,
                             companies=companies)
    earlier = _written_by_earlier_attempt(client, settings, run_id, seen, stats) if es_ok and not stats.spooled else 0
    mentions = _run_mentions(client, settings, run_id, seen, stats.mentions) if earlier else stats.mentions
    if es_ok and client is not None and not earlier:
        from pipeline.ingest import record_enrichment

        record_enrichment(client, settings, stats)  # a new store: the first maintenance pass has nothing to redo
    # Every feed task's state, failed feeds' included (their failure counters): this task is the only writer.
    states = sorted(stage.glob("*.state.json")) if stage.is_dir() else []
    for state in states:
        if state not in held and (loaded := _staged_json(state, summary.notes, counts, feed_states_from_json)):
            commit_states(settings, loaded)
    for error in sorted(stage.glob("*.error.json")) if stage.is_dir() else []:  # failed feeds: URL and error
        summary.feed_errors.extend(_staged_json(error, summary.notes, counts) or [])
    summary.counts = {**counts, "indexed": stats.created + earlier, "updated": stats.updated,
                      "unchanged": stats.unchanged - earlier, "mentions": mentions,
                      "dead_letters": stats.dead_letters, "spooled": stats.spooled,
                      **{f"replayed_{k}": v for k, v in replayed.items()}}
    summary.stage_seconds = {k: round(v, 3) for k, v in clock.seconds.items()}
    summary.companies = dict(companies.most_common())
    summary.dead_letters, summary.spooled, summary.spool_files = stats.dead_letters, stats.spooled, stats.spool_files
    if stats.dead_letters or stats.spooled or counts.get("unreadable_staged"):
        summary.status = "partial"
    if stats.spooled:
        log.warning("NEWSROOM_SPOOLED run=%s count=%d files=%s", run_id, stats.spooled, json.dumps(stats.spool_files))
        summary.notes.append(f"{stats.spooled} article(s) spooled while Elasticsearch was down: the next ingest run "
                             "(or the maintenance DAG) replays them")
    summary.finished_at = datetime.now(UTC).isoformat()
    summary.duration_s = round(time.perf_counter() - t0, 3)
    out = _compact(summary.as_dict())
    if stage.is_dir():
        _write_json(marker, out)
        for path in stage.iterdir():
            if path.name != DONE_MARKER:
                path.unlink(missing_ok=True)
    return out


def _staged_json(path: Path, notes: list[str], counts: dict, check: Callable[[list], object] | None = None
                 ) -> list | None:
    """A feed task's state or error list; None, named in `notes` and counted, when it cannot be read (cut short by a
    kill while it was written, or tampered): its feed is then read whole again next run. `check` raises ValueError
    for a list of the wrong shape (valid JSON whose entries are no feed state raised a bare TypeError later)."""
    try:
        loaded = json.loads(path.read_bytes())
    except (OSError, ValueError) as exc:
        why = f"{type(exc).__name__}: {str(exc)[:200]}"
    else:
        if not (isinstance(loaded, list) and all(isinstance(entry, dict) for entry in loaded)):
            why = "not a list of objects"
        else:
            try:
                if check is not None:
                    check(loaded)
                return loaded
            except ValueError as exc:
                why = f"not a feed state: {exc}"
    counts["unreadable_staged"] = counts.get("unreadable_staged", 0) + 1
    notes.append(f"{path.name}: skipped, cannot be read ({why}); feed state not committed")
    log.warning("staged file %s: skipped, cannot be read (%s)", path, why)
    return None


def _replay_before_indexing(client, settings: Settings) -> dict:
    """Articles spooled by an earlier run while the store was down go in first: without this they would wait for
    the weekly maintenance run, since their feeds' state was committed. A failure here leaves the spool alone."""
    from elastic_transport import TransportError
    from elasticsearch import ApiError

    from pipeline.store.indexing import replay_spool, spool_dir

    if not spool_dir(settings).is_dir() or not any(spool_dir(settings).glob("*.jsonl")):
        return {}
    try:
        stats = replay_spool(client, settings)
    except (NewsroomError, ApiError, TransportError, OSError) as exc:
        log.warning("spooled articles not replayed (%s): the maintenance DAG or `newsroom replay` will", exc)
        return {}
    log.info("replayed %d spool file(s): %d created, %d updated", stats.replayed_files, stats.created, stats.updated)
    return {"files": stats.replayed_files, "created": stats.created, "updated": stats.updated}


def _written_by_earlier_attempt(client, settings: Settings, run_id: str, ids: set[str], stats) -> int:
    """Articles an earlier attempt of this run indexed (a kill mid-indexing) look "unchanged" to the retry: count
    them as indexed by the run, from the `run_id` the article documents carry."""
    if not stats.unchanged or not ids or client is None:
        return 0
    mine = _count_of_run(client, settings, "articles", "_id", run_id, ids)
    if mine is None:
        log.warning("could not count the articles earlier attempts of run %s indexed", run_id)
        return 0
    return max(0, min(stats.unchanged, mine - stats.created - stats.updated))


def _run_mentions(client, settings: Settings, run_id: str, ids: set[str], written: int) -> int:
    """The mentions of this run's articles, an earlier (killed) attempt's included: the retry finds those articles
    unchanged and does not write their mentions again, so only the store knows them (each carries the run id)."""
    total = _count_of_run(client, settings, "mentions", "article_id", run_id, ids, refresh=True)
    if total is None:
        log.warning("could not count the mentions earlier attempts of run %s wrote: this attempt's only", run_id)
        return written
    return max(total, written)


def _count_of_run(client, settings: Settings, kind: str, field: str, run_id: str, ids: set[str],
                  refresh: bool = False) -> int | None:
    """How many `kind` documents (articles, mentions) whose `field` is one of `ids` carry `run_id`; None when the
    store cannot say (the reason is logged)."""
    from elastic_transport import TransportError
    from elasticsearch import ApiError

    from pipeline.store.templates import index_names

    alias, total, batch = index_names(settings.es_index_prefix)[kind], 0, sorted(ids)
    try:
        if refresh:
            client.indices.refresh(index=alias)
        for start in range(0, len(batch), 1000):
            chunk = batch[start:start + 1000]
            which = {"ids": {"values": chunk}} if field == "_id" else {"terms": {field: chunk}}
            query = {"bool": {"filter": [which, {"term": {"run_id": run_id}}]}}
            total += client.count(index=alias, query=query)["count"]
    except (ApiError, TransportError, KeyError) as exc:
        log.warning("counting the %s of run %s failed (%s)", kind, run_id, exc)
        return None
    return total


def finalize_run(results: list[dict], run_id: str, expected_feeds: list[str] | None = None,
                 settings: Settings | None = None, indexed: dict | None = None) -> dict:
    """Merge the feed tasks' and the enrich-and-index task's summaries into the run record; small dict back.

    Feeds whose task failed after its retries are recorded as failed feeds, with the URL and error their task left
    (else a generic error). `expected_feeds` None means the list task failed: nothing was collected, the run
    failed. The record keeps every attempt for the logical date (pipeline.runs.write_run_record); a store that is
    down keeps it in the spool (written by the next attempt or run). `failed_feeds` and `failed_ratio` say whether
    the DAG run must fail (see `check_failed_feeds`).
    """
    from pipeline.runs import merge_summaries

    settings = settings or airflow_settings()
    results = [r for r in results if r]
    merged = merge_summaries([*results, *([indexed] if indexed else [])], run_id=run_id, kind="airflow")
    done = {name for r in results for name in r.get("feeds") or []}
    explained = {e.get("feed") for e in merged["feed_errors"]}
    missing = [name for name in expected_feeds or [] if name not in done]
    for name in missing:
        if name not in explained:
            merged["feed_errors"].append({"feed": name, "url": "",
                                          "error": "task failed after its retries (see Airflow log)"})
    if missing:
        merged["counts"]["feeds_failed"] = merged["counts"].get("feeds_failed", 0) + len(missing)
        merged["status"] = "failed" if not results else "partial"
    merged["counts"].setdefault("feeds", 0)
    merged["counts"]["feeds"] = len(expected_feeds) if expected_feeds is not None else merged["counts"]["feeds"]
    if expected_feeds is None or not expected_feeds:
        merged["status"] = "failed"
        merged["notes"].append("the list task failed (feeds file or `feeds` param): nothing was collected"
                               if expected_feeds is None else "no feed to collect (every feed disabled?)")
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
    store_run_record(settings, merged)
    counts = merged["counts"]
    stages = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in (merged.get("stage_seconds") or {}).items())
    resting = f", {counts['feeds_resting']} resting (retry-after)" if counts.get("feeds_resting") else ""
    resting += f", {counts['feeds_removed']} removed since the run started" if counts.get("feeds_removed") else ""
    log.info("run %s %s: %d feed(s), %d failed%s; %d article(s) collected, %d indexed new, %d updated, %d mention(s)%s",
             run_id, merged["status"], counts.get("feeds", 0), counts.get("feeds_failed", 0), resting,
             counts.get("articles", 0), counts.get("indexed", 0), counts.get("updated", 0), counts.get("mentions", 0),
             f"; {stages}" if stages else "")  # the operator's summary, beside Airflow's "Returned value" dict
    return {
        "run_id": run_id,
        "status": merged["status"],
        "listed": expected_feeds is not None,
        "feeds": counts.get("feeds", 0),
        "feeds_failed": counts.get("feeds_failed", 0),
        "feeds_resting": counts.get("feeds_resting", 0),
        "feeds_removed": counts.get("feeds_removed", 0),
        "failed_feeds": failed_feeds[:50],
        "failed_ratio": failed_ratio,
        "articles": counts.get("articles", 0),
        "indexed": counts.get("indexed", 0),
        "updated": counts.get("updated", 0),
        "replayed": counts.get("replayed_created", 0) + counts.get("replayed_updated", 0),
        "spooled": merged.get("spooled", 0),
        "dead_letters": merged.get("dead_letters", 0),
        "notes": merged["notes"][-3:],
    }


def store_run_record(settings: Settings, record: dict) -> None:
    """Write the run record, after any record an earlier run left in the spool; the store down → the record goes
    to the spool and a StoreError sentence (retryable: the task's next attempt, or the next run, writes it)."""
    from elastic_transport import TransportError
    from elasticsearch import ApiError

    from pipeline.runs import flush_run_records, spool_run_record, spooled_run_record_path, write_run_record
    from pipeline.store.client import make_client

    spooled = spooled_run_record_path(settings, record["run_id"])
    try:
        client = make_client(settings)
        flush_run_records(client, settings, skip=spooled)
        write_run_record(client, settings, record)
    except (ApiError, TransportError, StoreError) as exc:
        spool_run_record(settings, record)
        error = exc if isinstance(exc, StoreError) else store_error(exc, f"writing run record {record['run_id']}")
        raise StoreError(f"{error} The run record is kept in {spooled} and written by the next attempt or run.") \
            from exc
    spooled.unlink(missing_ok=True)  # an earlier attempt's copy, superseded by the record just written


def list_failure(record: dict) -> str | None:
    """Why the run must fail before anything else is looked at: no feed was listed (F5: a broken feeds file or an
    unknown feed in the `feeds` param would otherwise leave a green run that ingested nothing)."""
    if not record.get("listed", True):
        return (f"list_feeds failed (feeds file or `feeds` param; see its log): nothing was collected; run record "
                f"{record['run_id']} says failed")
    if not record.get("feeds"):
        return f"no feed to collect (every feed disabled?); run record {record['run_id']} says failed"
    return None


def should_announce(record: dict) -> bool:
    """Whether the run's Asset event goes out (newsroom_alerts then runs): only when the run wrote articles (new,
    updated, or replayed from the spool), even a run that is then failed (they deserve their alerts now). Airflow
    reads an event as "the asset was updated" and starts every DAG scheduled on it: a run that found nothing new
    started the alerts DAG for nothing. Volume rules (a silence, a drop) still run on the alerts DAG's cron."""
    if list_failure(record):
        return False
    return bool(record.get("indexed") or record.get("updated") or record.get("replayed"))


def run_failure(record: dict | None, record_id: str, settings: Settings | None = None) -> str | None:
    """The `check` task: why the DAG run must fail, or None. Its settings are read here, under `run_task` as every
    other task's are: a bad NEWSROOM_MAX_FAILED_FEEDS_RATIO or Airflow connection failed this one task with a
    traceback, retried, instead of the one sentence the other tasks give."""
    if record is None:
        return f"finalize failed (see its log): run {record_id} is not complete"
    return check_failed_feeds(record, (settings or airflow_settings()).max_failed_feeds_ratio)


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
        why = "; ".join(record.get("notes") or []) or "see its run record"
        return f"run {record['run_id']} failed: {why}"
    return None


# --------------------------------------------------------------------------------------------- alerts DAG


def evaluate_alerts(rule_names: list[str] | None = None, dry_run: bool = False,
                    settings: Settings | None = None) -> dict:
    """Evaluate the alert rules (pipeline.alerts); only JSON-safe scalars/lists go back to Airflow."""
    from pipeline.alerts import run_alerts

    settings = settings or airflow_settings()
    result = run_alerts(settings, rule_names=rule_names or None, dry_run=dry_run)
    return json.loads(json.dumps(result, default=str))


def alerts_failure(report: dict) -> str | None:
    """Why the alerts task must fail once the whole evaluation is done (as `newsroom alerts run` exits 1): a
    delivery failed or a rule could not be evaluated. Undelivered items stay pending for the next run. The report's
    `errors` count every problem, failed deliveries included: "6 alert delivery(ies) failed and 4 error(s)" read as
    ten problems where there were four failed messages and no rule in error."""
    if not (report.get("failed") or report.get("errors")):
        return None
    failures = report.get("failures") or []
    not_evaluated = sum(1 for result in (report.get("per_rule") or {}).values() if result.get("error"))
    details = "; ".join(str(f) for f in failures[:5]) + (f"; and {len(failures) - 5} more" if len(failures) > 5 else "")
    return (f"{report.get('failed', 0)} alert(s) not delivered, {not_evaluated} rule(s) not evaluated, "
            f"{report.get('sent', 0)} sent; undelivered items stay pending for the next run"
            + (f": {details}" if details else ""))


# --------------------------------------------------------------------------------------------- maintenance DAG


def plain_datetime(value: datetime | None) -> datetime | None:
    """Airflow's context dates are pendulum DateTimes: their differences are pendulum Intervals, which the installed
    pendulum cannot divide by a timedelta (every scheduled maintenance run failed so). A stdlib datetime, same
    instant."""
    if value is None or type(value) is datetime:
        return value
    if value.tzinfo is None:
        return datetime(*value.timetuple()[:6], value.microsecond)
    return datetime.fromtimestamp(value.timestamp(), tz=UTC)


def check_storage(settings: Settings | None = None, now: datetime | None = None) -> dict:
    """Rollover and retention (pipeline.store.retention), as of `now`: the run's data_interval_end."""
    from pipeline.store.client import make_client
    from pipeline.store.retention import apply_retention

    settings = settings or airflow_settings()
    return apply_retention(make_client(settings), settings, now=plain_datetime(now))


def replay_pending(settings: Settings | None = None) -> dict:
    """Index what was spooled while Elasticsearch was down; count the dead letters waiting for a look."""
    from pipeline.runs import flush_run_records
    from pipeline.store.client import make_client
    from pipeline.store.indexing import dead_letter_path, replay_spool

    settings = settings or airflow_settings()
    client = make_client(settings)
    stats = replay_spool(client, settings).as_dict()
    stats["run_records"] = flush_run_records(client, settings)
    dead = dead_letter_path(settings)
    stats["dead_letters_waiting"] = sum(1 for _ in dead.open(encoding="utf-8")) if dead.exists() else 0
    stats["staging_dirs_removed"] = remove_stale_staging(settings)
    stats.pop("spool_files", None)
    return stats


def remove_stale_staging(settings: Settings, days: int = 7) -> int:
    """Staging dirs of runs older than `days` (a run whose enrich-and-index task failed keeps its staged files for
    a retry; after a week nobody will retry it, and its feeds' state was not committed: the next runs refetch)."""
    root = Path(settings.data_dir) / "staged"
    cutoff = time.time() - days * 86400
    removed = 0
    for path in root.iterdir() if root.is_dir() else []:
        if path.is_dir() and path.stat().st_mtime < cutoff:
            shutil.rmtree(path, ignore_errors=True)
            removed += 1
    return removed


def reenrich_recent(days: int = 30, force: bool = False, settings: Settings | None = None, enricher=None,
                    until: datetime | None = None) -> dict:
    """Re-enrichment (pipeline.reenrich) of the articles first seen from `days` days before `until` (the run's
    data_interval_end) up to now: the pass records the enrichment fingerprint as done, so its window must reach
    the present, or a late run, a retry or a rerun of an older date would skip the newest articles for good."""
    from pipeline.reenrich import reenrich_recent as reenrich

    now = datetime.now(UTC)
    until = plain_datetime(until)
    if until is not None and until < now:
        days, until = days + (now - until) / timedelta(days=1), now
    return reenrich(settings or airflow_settings(), days=days, force=force, until=until, enricher=enricher)
