"""Rollover and retention of the rolled-over indices (articles, mentions).

Where the ILM API exists, ILM rolls over and deletes by itself: this only reports ILM errors. Without it (the
embedded stand-in, some managed services), rolled-over indices older than NEWSROOM_ES_RETENTION_DAYS are deleted
here. `now` is the reference time: the weekly maintenance run passes its `data_interval_end`, so a rerun or a
backfill acts on the same window as the original run.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from elasticsearch import Elasticsearch

from pipeline.errors import NewsroomError
from pipeline.settings import Settings
from pipeline.store import templates
from pipeline.store.setup import ensure_setup


def _creation_date(info: dict) -> datetime | None:
    value = (info.get("settings", {}).get("index", {}) or {}).get("creation_date")
    return datetime.fromtimestamp(int(value) / 1000, tz=UTC) if value else None


def apply_retention(client: Elasticsearch, settings: Settings, now: datetime | None = None) -> dict:
    """Templates/aliases up to date; ILM errors reported; without ILM, old rolled-over indices deleted."""
    report = ensure_setup(client, settings)
    out: dict[str, Any] = {"ilm": report.get("ilm_available", False),
                           "rolled_over": [n for n in report["notes"] if "rolled over" in n],
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
    out["ilm_mode"] = report.get("ilm_mode")
    if out["ilm"] and out["ilm_mode"] != "RUNNING":  # said loudly: with ILM stopped, nothing rolls over or expires
        raise NewsroomError(f"ILM is {out['ilm_mode']} on the cluster: indices neither roll over nor expire by policy "
                            "until it is started (POST _ilm/start)")
    if out["ilm_errors"]:
        raise NewsroomError("ILM reports errors on " + ", ".join(e["index"] for e in out["ilm_errors"])
                            + ": run GET <index>/_ilm/explain for details")
    return out
