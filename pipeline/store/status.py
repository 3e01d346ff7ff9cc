"""What the store holds: documents per newsroom index and the last run (for `newsroom store status`)."""

from __future__ import annotations

from elasticsearch import ApiError, Elasticsearch
from elastic_transport import TransportError

from pipeline.errors import StoreError
from pipeline.settings import Settings
from pipeline.store.client import store_replies
from pipeline.store.templates import index_names

RUN_FIELDS = ["run_id", "kind", "status", "started_at", "finished_at", "duration_s", "counts"]


def store_contents(client: Elasticsearch, settings: Settings) -> dict:
    """{"indices": {alias or index: count, or None when missing}, "last_run": {...} or None}; "error" if unreachable."""
    names = index_names(settings.es_index_prefix)
    out: dict = {"indices": {}, "last_run": None}
    try:
        with store_replies(client):
            for name in names.values():
                exists = client.indices.exists_alias(name=name) or client.indices.exists(index=name)
                out["indices"][name] = client.count(index=name)["count"] if exists else None
            if out["indices"].get(names["runs"]):
                hits = client.search(index=names["runs"], size=1, source=RUN_FIELDS,
                                     sort=[{"finished_at": {"order": "desc", "missing": "_last"}}])["hits"]["hits"]
                out["last_run"] = hits[0]["_source"] if hits else None
    except (ApiError, TransportError) as exc:
        out["error"] = f"{type(exc).__name__}: {exc}"
    except StoreError as exc:
        out["error"] = str(exc)
    return out
