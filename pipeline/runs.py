"""Run records: what one ingestion run (or one Airflow task) did, stored in `<prefix>-runs`.

A per-feed Airflow task returns `RunSummary.as_dict()`; the DAG's final task calls `merge_summaries` on them and
`write_run_record` once, so the index holds one record per DAG run with counts summed over feeds.
"""

from __future__ import annotations

import logging
import socket
import uuid
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime

from elasticsearch import Elasticsearch

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

    def as_dict(self) -> dict:
        return asdict(self)


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
        merged.feeds.extend(f for f in part.get("feeds") or [] if f not in merged.feeds)
        merged.notes.extend(n for n in part.get("notes") or [] if n not in merged.notes)
        merged.spool_files.extend(part.get("spool_files") or [])
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


def write_run_record(client: Elasticsearch, settings: Settings, summary: dict) -> str:
    """Index the run record (id = run_id, so writing it twice replaces it). Returns the document id."""
    index = index_names(settings.es_index_prefix)["runs"]
    if not client.indices.exists(index=index):
        from pipeline.store.setup import ensure_setup

        ensure_setup(client, settings)
    doc = {key: value for key, value in summary.items() if key in RUN_PROPERTIES and value not in (None, "")}
    doc["feed_errors"] = [
        {k: mask_secrets(v) for k, v in err.items() if k in ("feed", "url", "error")}
        for err in summary.get("feed_errors", [])
    ]
    if doc.get("notes"):
        doc["notes"] = [mask_secrets(note) for note in doc["notes"]]
    client.index(index=index, id=summary["run_id"], document=doc, refresh="wait_for")
    return summary["run_id"]
