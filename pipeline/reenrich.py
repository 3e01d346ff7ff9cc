"""Re-enrichment: rewrite the enrichment of recent articles when the models, lexicons or watchlist changed.

Texts come from the WARC archive when the page was archived (extraction improvements apply too), else from the
indexed text. Only enrichment fields and mentions are rewritten, and the text when the archived page now reads
otherwise (the enrichment describes the text stored beside it); ids, first_seen_at and clusters stay. Runs in
bounded batches (NEWSROOM_ES_BULK_CHUNK). Used by the weekly Airflow maintenance run and `newsroom reenrich`.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

from elasticsearch import Elasticsearch, helpers

from pipeline.settings import Settings

log = logging.getLogger(__name__)

ENRICHMENT_FIELDS = ("lang", "search", "enrichment_level", "orgs", "persons", "places", "misc", "entity_orgs", "topics",
                     "sentiment", "company_sentiment")
# Written too when the archived page re-extracts to another text: the enrichment (companies, tone, its evidence) was
# read from that text, and search passages, the report and `tone export` showed the old one beside it (a gold line
# paired a text naming Nvidia with labels read without it).
TEXT_FIELDS = ("text", "word_count", "content_hash")


def fingerprint_file(settings: Settings) -> Path:
    return Path(settings.data_dir) / "state" / "enrichment-fingerprint.json"


def record_new_store_enrichment(client: Elasticsearch, settings: Settings, indexed: int) -> bool:
    """After an ingest run that indexed `indexed` new articles: when no re-enrichment pass was ever recorded and
    every stored article is one of them (a new installation), record the enrichment fingerprint they were enriched
    with as done. Else the first `reenrich` (the weekly maintenance) re-enriched every recent article with the very
    same models. Never when the store held other articles: an older version may have enriched them with older
    models, which that first pass must redo. True when recorded; a store error only skips it (logged)."""
    from elastic_transport import TransportError
    from elasticsearch import ApiError

    from pipeline.enrich import NER_LANGS, enrichment_fingerprint
    from pipeline.enrich.models import loaded_model_names
    from pipeline.store.templates import index_names

    marker = fingerprint_file(settings)
    # the fingerprint names the NER models loaded in this process: both must be, as in a re-enrichment pass
    if indexed <= 0 or marker.exists() or not set(NER_LANGS) <= set(loaded_model_names()):
        return False
    alias = index_names(settings.es_index_prefix)["articles"]
    try:
        client.indices.refresh(index=alias)
        stored = client.count(index=alias)["count"]
    except (ApiError, TransportError, KeyError) as exc:
        log.info("enrichment fingerprint not recorded (%s): the first re-enrichment pass redoes every article", exc)
        return False
    if stored != indexed:
        return False
    _record_fingerprint(marker, {"fingerprint": enrichment_fingerprint(settings), "at": datetime.now(UTC).isoformat(),
                                 "by": "ingest"})
    return True


def _record_fingerprint(marker: Path, record: dict) -> None:
    """Written whole or not at all: a file cut by a crash crashed the next pass."""
    from pipeline.safewrite import atomic_output

    with atomic_output(marker, what="Enrichment fingerprint file") as fh:
        fh.write(json.dumps(record))


def recorded_fingerprint(marker: Path) -> str | None:
    """The fingerprint of the last pass; None when none is recorded or the file is unreadable (damaged: the next pass
    redoes every recent article, as after a first installation)."""
    try:
        data = json.loads(marker.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        log.warning("%s is unreadable (%s): every recent article is re-enriched", marker, exc)
        return None
    value = data.get("fingerprint") if isinstance(data, dict) else None
    if not isinstance(value, str):
        log.warning("%s holds no fingerprint: every recent article is re-enriched", marker)
        return None
    return value


def _recent_articles(client: Elasticsearch, settings: Settings, since: datetime, until: datetime,
                     fields: list[str]) -> Iterator[dict]:
    from pipeline.store.templates import index_names

    alias = index_names(settings.es_index_prefix)["articles"]
    if not client.indices.exists_alias(name=alias):  # nothing ingested yet
        return
    query = {"range": {"first_seen_at": {"gte": since.isoformat(), "lt": until.isoformat()}}}
    # The scroll must outlive the enrichment of a whole batch between two pages (re-extraction, NER, tone, bulk):
    # the default 5 minutes can run out on a busy worker, and the pass would then stop half way (scroll 404)
    for hit in helpers.scan(client, index=alias, query={"query": query}, _source=fields, size=200, scroll="30m"):
        yield {"_id": hit["_id"], "_index": hit["_index"], **hit["_source"]}


def _text_from_archive(doc: dict, settings: Settings) -> str | None:
    """The page re-extracted from the WARC archive; None if not archived or unreadable."""
    from pipeline.archive import read_response
    from pipeline.extract import extract_article
    from pipeline.fetch import charset_of

    if not doc.get("warc_file") or doc.get("warc_offset") is None:
        return None
    try:
        url, fetched_at, body, content_type = read_response(doc["warc_file"], int(doc["warc_offset"]),
                                                            settings.data_dir)
    except (OSError, ValueError) as exc:
        log.warning("article %s: archived page unreadable (%s): using the indexed text", doc["_id"], exc)
        return None
    try:
        # Read as at collection. Ingest's word minimum, which is also where its second pass for a thin page starts:
        # with 1, that pass never ran, and a corpus page stored with 94 words was re-enriched from 67 words of another
        # block of the page. The archived header's charset: without it, a windows-1252 page with no <meta charset>
        # re-read « à Sète, près » as « ŕ Sčte, prčs ».
        article = extract_article(body, url, fetched_at=fetched_at, charset=charset_of(content_type),
                                  min_words=settings.min_article_words)
    except ValueError as exc:  # the page is past the extraction budget (pipeline/budget.py)
        log.warning("article %s: archived page not re-extracted (%s): using the indexed text", doc["_id"], exc)
        return None
    if article is None:
        return None
    from pipeline.extract import count_words, without_title

    stored = " ".join((doc.get("text") or "").split())
    # read without its feed item, the page may keep the headline line that collection removed
    page = " ".join(without_title(article.text, doc.get("title"), article.title).split())
    if len(stored) > len(page) and stored.startswith(page):
        return None  # a story read over several pages (rel=next): the archived first page is only its start
    if 2 * count_words(page) < count_words(stored):
        # under half the stored words: a lesser reading of the page, never a better one (ingest keeps the stored
        # text over such a page too); re-enrichment would read it and store it in place of the story
        log.warning("article %s: archived page re-read to %s words of %s: using the indexed text", doc["_id"],
                    count_words(page), count_words(stored))
        return None
    return article.text


def reenrich_recent(settings: Settings, days: int = 30, force: bool = False, *, until: datetime | None = None,
                    client: Elasticsearch | None = None, enricher=None) -> dict:
    """Re-enrich the articles first seen in the `days` days before `until` (default: now) when the enrichment
    fingerprint changed since the last pass (or `force`). Returns counts."""
    from pipeline.corrections import overlay_corrections
    from pipeline.enrich import EnrichInput, Enricher, enrichment_fingerprint
    from pipeline.extract import content_hash, count_words
    from pipeline.feeds import EARLIEST_DATE
    from pipeline.models import EnrichedArticle
    from pipeline.store.client import make_client
    from pipeline.store.indexing import (ARTICLE_SOURCE_FIELDS, _concrete_indices, _lookup, article_document,
                                         article_from_document, ensure_aliases, mention_documents, mention_id,
                                         stale_mention_deletes)
    from pipeline.store.templates import index_names

    # A new Enricher, not get_enricher's per-process cache: it must read the watchlist as it is now (the models
    # themselves stay cached per process by load_nlp, so this costs little).
    enricher = enricher or Enricher(settings)
    # The fingerprint names the spaCy models in use, which it knows only once they are loaded: load them first
    # (a few seconds, once a week) so that a model upgrade is seen even when no article needs re-enriching.
    enricher.warm_up()
    fingerprint = enrichment_fingerprint(settings)
    marker = fingerprint_file(settings)
    previous = recorded_fingerprint(marker)
    if previous == fingerprint and not force:
        return {"reenriched": 0, "skipped": "models and watchlist unchanged since the last pass"}

    client = client or make_client(settings)
    ensure_aliases(client, settings)  # before any bulk write: a missing alias would be auto-created as a plain index
    names = index_names(settings.es_index_prefix)
    until = until or datetime.now(UTC)
    # No article was first seen before EARLIEST_DATE: a longer reach (`--days 999999999`, a DAG param) means "all",
    # where `until - timedelta(days=days)` ended the pass, after the models had loaded, in a bare OverflowError.
    since = until - timedelta(days=min(days, (until - EARLIEST_DATE).days))
    counts = {"reenriched": 0, "from_archive": 0, "from_index": 0, "mentions": 0, "errors": 0}
    batch: list[dict] = []

    def flush() -> None:
        inputs = []
        reread: dict[str, str] = {}  # article id → the archived page's text, where it differs from the stored one
        for doc in batch:
            text = _text_from_archive(doc, settings)
            counts["from_archive" if text else "from_index"] += 1
            if text and text != doc.get("text"):
                reread[doc["_id"]] = text
            inputs.append(EnrichInput(id=doc["_id"], text=text or doc.get("text") or "", title=doc.get("title"),
                                      lang=doc.get("lang_declared") or doc.get("lang")))
        built: dict[str, tuple[dict, list[dict]]] = {}
        for doc, enrichment in zip(batch, enricher.enrich_many(iter(inputs)), strict=True):
            article = article_from_document(doc, doc["_id"])
            if doc["_id"] in reread:
                text = reread[doc["_id"]]
                article = article.model_copy(update={"text": text, "word_count": count_words(text),
                                                     "content_hash": content_hash(text)})
            rec = EnrichedArticle(article=article, enrichment=enrichment, cluster_id=doc.get("cluster_id"),
                                  minhash=doc.get("minhash"))
            built[doc["_id"]] = (article_document(rec), mention_documents(rec, run_id="reenrich"))
        overlay_corrections(client, settings, built)  # analysts' tone corrections outlive re-enrichment
        actions: list[dict] = []
        mentions: dict[str, dict] = {}
        for doc in batch:
            new_doc, article_mentions = built[doc["_id"]]
            # every enrichment field, null where the new enrichment has none: a page re-read in a language without
            # a tone model has no `sentiment`, and leaving the field out of the update kept the old language's tone
            fields = ENRICHMENT_FIELDS + (TEXT_FIELDS if doc["_id"] in reread else ())
            actions.append({"_op_type": "update", "_index": doc["_index"], "_id": doc["_id"],
                            "doc": {k: new_doc.get(k) for k in fields}})
            for mention in article_mentions:
                mentions[mention_id(doc["_id"], mention["company"])] = mention
        # Mentions are found by id (realtime mget), not by a search that misses the ones written a moment ago: kept
        # ones are rewritten where they live (maybe a rolled-over index), those naming a company no longer found go.
        mention_indices = _concrete_indices(client, names["mentions"])
        where = _lookup(client, mention_indices, list(mentions), ["article_id"])
        for mid, mention in mentions.items():
            actions.append({"_op_type": "index", "_index": where.get(mid, {}).get("_index") or names["mentions"],
                            "_id": mid, "_source": mention})
        actions += stale_mention_deletes(client, mention_indices, {d["_id"]: d.get("orgs") or [] for d in batch},
                                         set(mentions))
        ok, errors = helpers.bulk(client, actions, raise_on_error=False, refresh="wait_for")
        counts["errors"] += len(errors)
        counts["reenriched"] += len(batch)
        counts["mentions"] += sum(1 for a in actions if a["_op_type"] == "index")
        batch.clear()

    for doc in _recent_articles(client, settings, since, until, ARTICLE_SOURCE_FIELDS + ["lang", "orgs"]):
        batch.append(doc)
        if len(batch) >= max(1, settings.es_bulk_chunk):
            flush()
    if batch:
        flush()
    if not counts["errors"]:
        _record_fingerprint(marker, {"fingerprint": fingerprint, "at": datetime.now(UTC).isoformat()})
    return counts
