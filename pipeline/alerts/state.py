"""Alert state in Elasticsearch (`<prefix>-alerts`): per-rule watermarks and one record per delivered message.

Why in Elasticsearch: the CLI, Airflow workers and several hosts share it, and `op_type=create` on deterministic ids
(`{rule}:{article}:{channel}`) makes "already sent?" a realtime, race-safe lookup. Records are written only after a
channel accepted the message, so a failed delivery stays pending and a crash in between can at worst re-send.
"""

from __future__ import annotations

import hashlib

import logging
from datetime import UTC, datetime

from elasticsearch import BadRequestError, ConflictError, Elasticsearch, NotFoundError

from pipeline.errors import StoreError
from pipeline.settings import Settings
from pipeline.store.templates import DATE, KEYWORD, index_names

log = logging.getLogger(__name__)

ALERT_PROPERTIES: dict = {
    "kind": KEYWORD,  # watermark | sent
    "rule": KEYWORD,
    "article_id": KEYWORD,  # sent records of match rules
    "subject": KEYWORD,  # what was alerted on: article id, or "volume:<company>:<bucket>"
    "company": KEYWORD,
    "channel": KEYWORD,  # channel key within the rule (email, slack, webhook or its `name`)
    "channel_type": KEYWORD,
    "title": {"type": "text", "fields": {"keyword": KEYWORD}},
    "url": KEYWORD,
    "reason": {"type": "text"},
    "sent_at": DATE,
    "article_indexed_at": DATE,
    "watermark": DATE,  # lower bound (indexed_at) of the next evaluation
    "last_digest_at": DATE,
    "updated_at": DATE,
    "run_id": KEYWORD,
}


def alerts_index(settings: Settings) -> str:
    return index_names(settings.es_index_prefix)["alerts"]


def ensure_alerts_index(client: Elasticsearch, settings: Settings) -> bool:
    """Create the alerts index with its strict mapping unless it exists; True when created."""
    index = alerts_index(settings)
    if client.indices.exists(index=index):
        _check_mapping(client, index)
        return False
    try:
        client.indices.create(
            index=index,
            settings={"number_of_shards": 1, "number_of_replicas": settings.es_replicas},
            mappings={"dynamic": "strict", "properties": ALERT_PROPERTIES},
        )
        return True
    except BadRequestError as exc:
        if exc.error == "resource_already_exists_exception":  # a concurrent run was faster
            return False
        raise


def _check_mapping(client: Elasticsearch, index: str) -> None:
    """StoreError when an existing alerts index maps one of our fields with another type (made by hand, or by a
    tool writing there first): every sent record was then refused after its message went out, so each alert was
    sent again on every run. Nothing is sent while it is so."""
    mappings = next(iter(client.indices.get_mapping(index=index).values()), {}).get("mappings") or {}
    stored = mappings.get("properties") or {}
    wrong = [f"{name} is {stored[name].get('type', 'an object')}, not {wanted['type']}"
             for name, wanted in ALERT_PROPERTIES.items()
             if name in stored and stored[name].get("type", "object") != wanted["type"]]
    if wrong:
        raise StoreError(f"The alerts index {index} exists with another mapping ({'; '.join(wrong[:3])}): its sent "
                         "records would be refused after each alert went out, and every alert sent again on every "
                         f"run. Nothing was sent. Delete {index} (it only holds alert state) or use another "
                         "NEWSROOM_ES_INDEX_PREFIX.")


def _now() -> datetime:
    return datetime.now(UTC)


def _iso(value: datetime) -> str:
    return value.astimezone(UTC).isoformat()


def parse_time(value: str | None) -> datetime | None:
    if not value:
        return None
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


MAX_ID_BYTES = 512  # Elasticsearch refuses longer document ids


def _bounded(readable: str) -> str:
    """The readable id, hashed when a long rule or channel name would pass Elasticsearch's 512-byte limit (the
    message went out, its record was refused, and the same alert was sent again on every run)."""
    if len(readable.encode("utf-8")) <= MAX_ID_BYTES:
        return readable
    return "sha256:" + hashlib.sha256(readable.encode("utf-8")).hexdigest()


def watermark_id(rule: str) -> str:
    return _bounded(f"watermark:{rule}")


def sent_id(rule: str, subject: str, channel: str) -> str:
    return _bounded(f"{rule}:{subject}:{channel}")


def get_rule_state(client: Elasticsearch, settings: Settings, rule: str) -> dict:
    """{'watermark': datetime | None, 'last_digest_at': datetime | None} (realtime get, no refresh needed)."""
    try:
        source = client.get(index=alerts_index(settings), id=watermark_id(rule))["_source"]
    except NotFoundError:
        return {"watermark": None, "last_digest_at": None}
    return {"watermark": parse_time(source.get("watermark")), "last_digest_at": parse_time(source.get("last_digest_at"))}


def set_rule_state(client: Elasticsearch, settings: Settings, rule: str, *, watermark: datetime | None = None,
                   last_digest_at: datetime | None = None, run_id: str | None = None) -> None:
    doc: dict = {"kind": "watermark", "rule": rule, "updated_at": _iso(_now())}
    if watermark is not None:
        doc["watermark"] = _iso(watermark)
    if last_digest_at is not None:
        doc["last_digest_at"] = _iso(last_digest_at)
    if run_id:
        doc["run_id"] = run_id
    client.update(index=alerts_index(settings), id=watermark_id(rule), doc=doc, doc_as_upsert=True)


def already_sent(client: Elasticsearch, settings: Settings, ids: list[str]) -> set[str]:
    """Which record ids exist (realtime mget: sees records of a run that ended a millisecond ago)."""
    if not ids:
        return set()
    found: set[str] = set()
    try:
        for start in range(0, len(ids), 500):
            response = client.mget(index=alerts_index(settings), ids=ids[start : start + 500], source=False)
            found.update(doc["_id"] for doc in response["docs"] if doc.get("found"))
    except NotFoundError:  # no alerts index yet (a dry run before any real run): nothing was sent
        return set()
    return found


def record_sent(client: Elasticsearch, settings: Settings, record_id: str, record: dict) -> bool:
    """Write the sent record; False when it already existed (a concurrent run delivered it too)."""
    doc = {"kind": "sent", "sent_at": _iso(_now()), **record}
    try:
        client.create(index=alerts_index(settings), id=record_id, document=doc)
        return True
    except ConflictError:
        log.info("sent record %s already exists", record_id)
        return False


def sent_records(client: Elasticsearch, settings: Settings, rule: str | None = None, size: int = 100) -> list[dict]:
    query: dict = {"bool": {"filter": [{"term": {"kind": "sent"}}] + ([{"term": {"rule": rule}}] if rule else [])}}
    try:
        client.indices.refresh(index=alerts_index(settings))
        hits = client.search(index=alerts_index(settings), query=query, size=size,
                             sort=[{"sent_at": {"order": "desc"}}])["hits"]["hits"]
    except NotFoundError:  # no alerts index yet: nothing was ever sent
        return []
    return [{"_id": h["_id"], **h["_source"]} for h in hits]


def recent_spike_subjects(client: Elasticsearch, settings: Settings, rule: str, companies: list[str],
                          since: datetime) -> dict[str, str]:
    """The subject of each company's spike report of `rule` sent since `since` (one window ago), newest first.

    A spike still running is the same spike: reusing its subject lets the sent records deduplicate it, whatever the
    clock says, and a channel that failed still gets it on a later run."""
    if not companies:
        return {}
    query = {"bool": {"filter": [{"term": {"kind": "sent"}}, {"term": {"rule": rule}},
                                 {"terms": {"company": companies}}, {"range": {"sent_at": {"gte": _iso(since)}}}]}}
    try:
        client.indices.refresh(index=alerts_index(settings))  # a report sent by the run a second ago counts too
        hits = client.search(index=alerts_index(settings), query=query, size=len(companies) * 20,
                             source=["company", "subject"], sort=[{"sent_at": {"order": "desc"}}])["hits"]["hits"]
    except NotFoundError:  # no alerts index yet: nothing was ever sent
        return {}
    subjects: dict[str, str] = {}
    for hit in hits:
        subjects.setdefault(hit["_source"].get("company"), hit["_source"].get("subject"))
    return subjects
