"""What the store holds: documents per newsroom index and the last run (for `newsroom store status`)."""

from __future__ import annotations

from elasticsearch import ApiError, Elasticsearch
from elastic_transport import TransportError

from pipeline.errors import StoreError
from pipeline.settings import Settings
from pipeline.store.client import api_error_sentence, client_url, store_replies, unreachable_sentence
from pipeline.store.templates import index_names

RUN_FIELDS = ["run_id", "kind", "status", "started_at", "finished_at", "duration_s", "counts", "skipped"]


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
    except ApiError as exc:
        out["error"] = api_error_sentence(exc, bool(settings.es_api_key or settings.es_user))
    except TransportError as exc:
        out["error"] = unreachable_sentence(client_url(client), exc, bool(settings.es_url),
                                            str(settings.es_ca_certs) if settings.es_ca_certs else None)
    except StoreError as exc:
        out["error"] = str(exc)
    return out


def cluster_status(settings: Settings) -> dict:
    """The cluster at NEWSROOM_ES_URL: its URL, name, version and health, then what `store_contents` reads;
    "error" (one sentence) when it cannot be read."""
    from pipeline.sinks import mask_url
    from pipeline.store.client import make_client

    url = mask_url(settings.es_url)
    out: dict = {"pipeline_uses": url, "url": url}
    try:
        client = make_client(settings)
        info = client.info()
        out["cluster"] = {"name": info.get("cluster_name"),
                          "version": (info.get("version") or {}).get("number")}
        try:
            out["cluster"]["health"] = client.cluster.health()["status"]
        except (ApiError, TransportError, KeyError, TypeError) as exc:  # the stand-in has no health API
            out["cluster"]["health"] = f"unknown ({type(exc).__name__})"
    except StoreError as exc:
        out["error"] = str(exc)
        return out
    except ApiError as exc:
        out["error"] = api_error_sentence(exc, bool(settings.es_api_key or settings.es_user))
        return out
    except TransportError as exc:
        out["error"] = unreachable_sentence(url, exc, True, str(settings.es_ca_certs) if settings.es_ca_certs else None)
        return out
    out.update(store_contents(client, settings))
    return out
