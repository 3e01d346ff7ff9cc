"""Run records: what one ingestion run (or one Airflow task) did, stored in `<prefix>-runs`.

The Airflow tasks return `RunSummary.as_dict()`; the DAG's final task calls `merge_summaries` on them and
`write_run_record` once, so the index holds one record per logical date with counts summed over feeds, and the
earlier attempts for that date (reruns, backfills) kept inside it under `attempts`.
"""

from __future__ import annotations

import http
import json
import logging
import os
import re
import socket
import uuid
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from elasticsearch import Elasticsearch, NotFoundError

from pipeline.safewrite import atomic_output
from pipeline.settings import Settings
from pipeline.sinks import mask_secrets
from pipeline.store.templates import RUN_PROPERTIES, index_names

log = logging.getLogger(__name__)


def new_run_id() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ-") + uuid.uuid4().hex[:8]


@dataclass
class RunSummary:
    run_id: str
    kind: str = "ingest"  # ingest | replay | airflow
    status: str = "ok"  # ok | partial (some feeds/documents failed, or spooled) | failed
    started_at: str = ""
    finished_at: str = ""
    duration_s: float = 0.0
    counts: dict[str, int] = field(default_factory=dict)  # feeds_ok, feeds_failed, items, articles, indexed...
    stage_seconds: dict[str, float] = field(default_factory=dict)  # fetch, extract, enrich, index (CPU/wall per stage)
    feed_errors: list[dict] = field(default_factory=list)  # {"feed", "url", "error"}
    dead_letters: int = 0
    spooled: int = 0
    feeds: list[str] = field(default_factory=list)
    host: str = field(default_factory=socket.gethostname)
    parts: int = 1
    notes: list[str] = field(default_factory=list)
    spool_files: list[str] = field(default_factory=list)
    skipped: dict[str, int] = field(default_factory=dict)  # items that gave no article, by reason
    fallback_reasons: dict[str, int] = field(default_factory=dict)  # why pages fell back to the feed summary
    skipped_examples: dict[str, list[str]] = field(default_factory=dict)  # reason → the first few item URLs
    companies: dict[str, int] = field(default_factory=dict)  # watched company → articles of this run naming it
    collector_peak_rss_mib: float = 0.0  # peak memory of the collector process (0 when collecting in a thread)

    def as_dict(self) -> dict:
        """The summary as printed, stored and handed between tasks: URLs and error texts inside it quote feed
        URLs, whose credentials (`user:pass@`, `?token=`) are masked here, once, for every sink."""
        out = asdict(self)
        out["notes"] = [mask_secrets(note) for note in out["notes"]]
        out["feed_errors"] = [{k: mask_secrets(v) if isinstance(v, str) else v for k, v in err.items()}
                              for err in out["feed_errors"]]
        out["skipped_examples"] = {k: [mask_secrets(u) for u in v] for k, v in out["skipped_examples"].items()}
        return out


def merge_summaries(parts: Iterable[dict], run_id: str | None = None, kind: str = "airflow") -> dict:
    """Sum per-feed summaries (dicts from `RunSummary.as_dict()`) into one run record."""
    parts = [p for p in parts if p]
    merged = RunSummary(run_id=run_id or (parts[0]["run_id"] if parts else new_run_id()), kind=kind, parts=0)
    statuses = set()
    for part in parts:
        merged.parts += int(part.get("parts", 1))
        statuses.add(part.get("status", "ok"))
        for key, value in (part.get("counts") or {}).items():
            merged.counts[key] = merged.counts.get(key, 0) + int(value)
        for key, value in (part.get("stage_seconds") or {}).items():
            merged.stage_seconds[key] = round(merged.stage_seconds.get(key, 0.0) + float(value), 3)
        merged.feed_errors.extend(part.get("feed_errors") or [])
        merged.dead_letters += int(part.get("dead_letters", 0))
        merged.spooled += int(part.get("spooled", 0))
        for key, value in (part.get("fallback_reasons") or {}).items():
            merged.fallback_reasons[key] = merged.fallback_reasons.get(key, 0) + int(value)
        for key, value in (part.get("skipped") or {}).items():  # a resting feed's `retry-after`, items' reasons
            merged.skipped[key] = merged.skipped.get(key, 0) + int(value)
        for key, urls in (part.get("skipped_examples") or {}).items():
            examples = merged.skipped_examples.setdefault(key, [])
            for url in urls:
                if url not in examples and len(examples) < 3:
                    examples.append(url)
        merged.feeds.extend(f for f in part.get("feeds") or [] if f not in merged.feeds)
        merged.notes.extend(n for n in part.get("notes") or [] if n not in merged.notes)
        merged.spool_files.extend(part.get("spool_files") or [])
        for key, value in (part.get("companies") or {}).items():
            merged.companies[key] = merged.companies.get(key, 0) + int(value)
    starts = [p["started_at"] for p in parts if p.get("started_at")]
    ends = [p["finished_at"] for p in parts if p.get("finished_at")]
    merged.started_at = min(starts) if starts else ""
    merged.finished_at = max(ends) if ends else ""
    if merged.started_at and merged.finished_at:
        merged.duration_s = round(
            (datetime.fromisoformat(merged.finished_at) - datetime.fromisoformat(merged.started_at)).total_seconds(), 3
        )
    if not parts or statuses == {"failed"}:
        merged.status = "failed"
    elif statuses - {"ok"}:
        merged.status = "partial"
    return merged.as_dict()


_KNOWN_STATUSES = {status.value for status in http.HTTPStatus}
_STATUS_REASON = re.compile(r"http-(\d)(\d\d)")
_REASON_KEY = re.compile(r"[a-z][a-z0-9-]{0,39}")


def reason_field(reason: str) -> str:
    """The field a fallback reason is counted under in the runs index, from a bounded set: each key is a field of the
    index's mapping, and a site answering 900 made-up statuses (`http-633`) would use up Elasticsearch's 1,000 fields
    per index, after which no run record with a new key could be written (nor the spooled one before it)."""
    if match := _STATUS_REASON.fullmatch(reason):
        return reason if int(reason[5:]) in _KNOWN_STATUSES else f"http-{match.group(1)}xx"
    return reason if _REASON_KEY.fullmatch(reason) else "other"


_WRAPPED_REASON = re.compile(r"([a-z][a-z0-9-]{0,39}) \((.*)\)")


def skip_reason_field(reason: str) -> str:
    """The field a skip reason is counted under in the runs index: `no-link`, or a selected item's outcome with the
    page's reason in brackets (`no-text (http-404)`), each part from reason_field's bounded set."""
    if match := _WRAPPED_REASON.fullmatch(reason):
        return f"{reason_field(match.group(1))} ({reason_field(match.group(2))})"
    return reason_field(reason)


def _counted_by_field(counts: dict, field_of) -> dict[str, int]:
    """`counts` (reason → count) summed under the index fields `field_of` gives their reasons."""
    out: dict[str, int] = {}
    for reason, count in counts.items():
        out[field_of(str(reason))] = out.get(field_of(str(reason)), 0) + int(count)
    return out


def write_run_record(client: Elasticsearch, settings: Settings, summary: dict) -> str:
    """Index the run record (id = run_id) and keep history: when a record with that id exists (a rerun or a
    retried finalize of the same logical date), it moves into `attempts` and the new one is the latest, with
    `attempt` counting them. Returns the document id."""
    index = index_names(settings.es_index_prefix)["runs"]
    if not client.indices.exists(index=index):
        from pipeline.store.setup import ensure_setup

        ensure_setup(client, settings)
    else:  # an index created before `attempts` existed: add the new fields (adding fields is always allowed)
        client.indices.put_mapping(index=index, properties={
            k: RUN_PROPERTIES[k] for k in ("attempt", "attempts", "fallback_reasons", "skipped")})
    doc = {key: value for key, value in summary.items()
           if key in RUN_PROPERTIES and key not in ("attempt", "attempts") and value not in (None, "")}
    if doc.get("fallback_reasons"):
        doc["fallback_reasons"] = _counted_by_field(doc["fallback_reasons"], reason_field)
    if doc.get("skipped"):  # why items gave no article, for `store status` and the dashboards
        doc["skipped"] = _counted_by_field(doc["skipped"], skip_reason_field)
    doc["feed_errors"] = [
        {k: mask_secrets(v) for k, v in err.items() if k in ("feed", "url", "error")}
        for err in summary.get("feed_errors", [])
    ]
    if doc.get("notes"):
        doc["notes"] = [mask_secrets(note) for note in doc["notes"]]
    try:
        previous = client.get(index=index, id=summary["run_id"])["_source"]
    except NotFoundError:
        previous = None
    attempts = []
    if previous:
        attempts = list(previous.pop("attempts", None) or [])
        attempts.append(previous)
    doc["attempt"] = len(attempts) + 1
    if attempts:
        doc["attempts"] = attempts
    client.index(index=index, id=summary["run_id"], document=doc, refresh="wait_for")
    return summary["run_id"]


def run_record_spool(settings: Settings) -> Path:
    """Run records that could not be written while the store was down wait here, one JSON file per run."""
    return Path(settings.data_dir) / "spool" / "runs"


def spooled_run_record_path(settings: Settings, run_id: str) -> Path:
    return run_record_spool(settings) / f"{re.sub(r'[^A-Za-z0-9_.+-]', '_', run_id)}.json"


def spool_run_record(settings: Settings, record: dict) -> Path:
    """Keep a run record the store could not take: `newsroom replay` (or the next Airflow run) writes it."""
    path = spooled_run_record_path(settings, record["run_id"])
    with atomic_output(path, what="Run record") as fh:  # whole or not at all: a full disk cut it short
        fh.write(json.dumps(record, default=str))
    return path


def flush_run_records(client: Elasticsearch, settings: Settings, skip: Path | None = None) -> int:
    """Write the run records spooled while the store was down (oldest first); returns how many."""
    directory = run_record_spool(settings)
    written = 0
    for path in sorted(directory.glob("*.json"), key=lambda p: p.stat().st_mtime) if directory.is_dir() else []:
        if path == skip:
            continue
        try:
            record = json.loads(path.read_bytes())
        except ValueError as exc:
            record, why = None, f"{type(exc).__name__}: {exc}"
        else:
            why = "not a run record"
        if not isinstance(record, dict) or not isinstance(record.get("run_id"), str):
            # cut short or damaged: set aside and named, and the records after it still written (it ended
            # `newsroom replay` and every Airflow run's finalize task with a bare JSONDecodeError)
            kept = directory / "damaged" / path.name
            kept.parent.mkdir(exist_ok=True)
            os.replace(path, kept)
            log.warning("%s: not a readable run record (%s); kept as %s, the other records written", path,
                        why[:200], kept)
            continue
        write_run_record(client, settings, record)
        path.unlink(missing_ok=True)
        written += 1
    if written:
        log.info("wrote %d run record(s) spooled while Elasticsearch was down", written)
    return written
