"""Loss-free bulk indexing of enriched articles and their per-company mention documents.

Guarantees (see docs/storage.md):
- ids are deterministic (article id = sha256 of the normalised URL; mention id = sha256 of article id + company),
  and each batch first looks the ids up (realtime mget over the alias's concrete indices), so re-running never
  duplicates, an unchanged `content_hash` and title are not re-written, `first_seen_at` is kept, and rolled-over indices are
  updated in place instead of getting a second copy;
- mentions are written before their article: the article document is the commit marker, so a kill -9 between the
  two leaves the article "new" and the next run rewrites the mentions under the same ids;
- per-document rejections go to <data_dir>/dead-letter.jsonl with the reason; 429/503/lost connections are retried
  with exponential backoff; if Elasticsearch stays down the remaining records go to <data_dir>/spool/*.jsonl, which
  `replay_spool` (`newsroom replay`) indexes later.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import time
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from itertools import islice
from pathlib import Path

from elastic_transport import ConnectionError as ESConnectionError
from elastic_transport import ConnectionTimeout, TransportError
from elasticsearch import ApiError, Elasticsearch, helpers
from pydantic import ValidationError
from tenacity import Retrying, retry_if_exception, stop_after_attempt, wait_exponential

from pipeline.corrections import overlay_corrections
from pipeline.dedup import signature
from pipeline.errors import StoreError
from pipeline.models import Article, EnrichedArticle, Sentiment
from pipeline.feeds import item_updated
from pipeline.pagetype import RETRY_FALLBACKS, TRANSIENT_RETRY_DAYS, transient_failure
from pipeline.settings import Settings
from pipeline.store.shapes import stored_article
from pipeline.store.templates import SEARCH_LANGS, SEARCH_OTHER, index_names

log = logging.getLogger(__name__)

RETRY_STATUSES = {429, 502, 503, 504}


@dataclass
class IndexStats:
    received: int = 0  # enriched records handed to the indexer
    created: int = 0  # new article documents
    updated: int = 0  # existing article whose content changed (first_seen_at kept)
    unchanged: int = 0  # same content hash and title: not re-written
    kept_page_text: int = 0  # a feed summary (a too-short copy, a stub) not stored over a page's text: link added
    mentions: int = 0  # mention documents written
    mentions_deleted: int = 0  # stale mentions of changed articles
    dead_letters: int = 0
    spooled: int = 0
    retries: int = 0
    replayed_files: int = 0
    unreadable_lines: int = 0  # spool lines that are not a whole record (cut by a crash, garbage): skipped
    spool_files: list[str] = field(default_factory=list)
    damaged_files: list[str] = field(default_factory=list)  # spool files with unreadable lines, kept aside

    @property
    def stored(self) -> int:
        """Articles now safely in Elasticsearch (written, already identical there, or kept over a summary)."""
        return self.created + self.updated + self.unchanged + self.kept_page_text

    def add(self, other: IndexStats) -> IndexStats:
        for name, value in asdict(other).items():
            mine = getattr(self, name)
            setattr(self, name, mine + value)
        return self

    def as_dict(self) -> dict:
        return {**asdict(self), "stored": self.stored}


# ----------------------------------------------------------------------------------------------------------
# Pure document builders
# ----------------------------------------------------------------------------------------------------------


def _iso(value: datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat()


def sentiment_field(s: Sentiment) -> dict:
    """A tone as stored: label and score, plus the model's confidence and evidence when it gave them."""
    out: dict = {"score": s.score, "label": s.label}
    if s.confidence is not None:
        out["confidence"] = round(s.confidence, 4)
    if s.evidence:
        out["evidence"] = s.evidence
    return out


def mention_id(article_id: str, company: str) -> str:
    return hashlib.sha256(f"{article_id}\n{company}".encode()).hexdigest()


# The modifier letter apostrophe (U+02BC, « lʼagence », "Moodyʼs", as some publishing tools type ’) is a letter to the
# analysers' tokenizer: « lʼagence » was one word no search finds (`agence`, `l'agence`, `Moody's` found nothing). In
# the search fields it is the ’ it stands for (one character for one: passages keep their offsets).
_AS_APOSTROPHE = str.maketrans({"\u02bc": "\u2019"})


def search_field(lang: str | None, *parts: str | None) -> dict:
    """The per-language full-text field (templates.SEARCH): title, description and text under the article's language.

    The other languages are null, so a partial update after re-enrichment changed the language clears them.
    """
    key = lang if lang in SEARCH_LANGS else SEARCH_OTHER
    return {name: ("\n\n".join(p for p in parts if p).translate(_AS_APOSTROPHE) if name == key else None)
            for name in (*SEARCH_LANGS, SEARCH_OTHER)}


def article_document(rec: EnrichedArticle, *, run_id: str | None = None, now: datetime | None = None) -> dict:
    """The `<prefix>-articles` document of an enriched article (fields: pipeline.store.templates)."""
    art, enr = rec.article, rec.enrichment
    doc = {
        "id": art.id,
        "url": art.url,
        "canonical_url": art.canonical_url,
        "link_ids": art.link_ids or None,
        "domain": art.domain,
        "source": art.source,
        "feed_tags": art.feed_tags,
        "lang": enr.lang or art.lang,
        "lang_declared": art.lang_declared,
        "enrichment_level": enr.level,
        "title": art.title,
        "text": art.text,
        "description": art.description,
        "authors": art.authors,
        "site_name": art.site_name,
        "orgs": enr.orgs,
        "persons": enr.entities.PER,
        "places": enr.entities.LOC,
        "misc": enr.entities.MISC,
        "entity_orgs": enr.entities.ORG,
        "topics": enr.topics,
        # No date from the page or the feed: the first fetch time stands in, so the article still counts.
        "published_at": _iso(art.published_at or art.fetched_at),
        "first_seen_at": _iso(art.fetched_at),
        "indexed_at": _iso(now or datetime.now(UTC)),
        # A language without a tone model (enrichment level "partial") has no tone read: its placeholder `neutral
        # 0.0` counted as neutral in article tone filters, alerts on the article's tone and dashboards. Absent, it is
        # "not read" for every reader (an analyst's correction, overlaid later, still sets it).
        "sentiment": None if enr.level == "partial" else sentiment_field(enr.sentiment),
        "company_sentiment": [
            {"company": company, **sentiment_field(s)} for company, s in enr.entity_sentiment.items()
        ],
        "extraction": art.extraction,
        "fallback_reason": art.fallback_reason,
        "feed_version": art.feed_version,
        "word_count": art.word_count,
        "content_hash": art.content_hash,
        "cluster_id": rec.cluster_id or art.id,
        "warc_file": art.warc_file,
        "warc_offset": art.warc_offset,
        "minhash": rec.minhash or signature(art.text),
        "run_id": run_id,
    }
    doc["search"] = search_field(doc["lang"], art.title, art.description, art.text)
    return {k: v for k, v in doc.items() if v is not None}


ARTICLE_SOURCE_FIELDS = ["url", "canonical_url", "link_ids", "domain", "source", "feed_tags", "title", "text", "description",
                         "authors", "site_name", "lang_declared", "published_at", "first_seen_at", "extraction",
                         "fallback_reason", "feed_version",
                         "word_count", "content_hash", "cluster_id", "warc_file", "warc_offset", "minhash"]


def article_from_document(doc: dict, article_id: str | None = None) -> Article:
    """The Article an `<prefix>-articles` document was built from (the inverse of `article_document`'s article
    part): what re-enrichment re-reads, the page's declared language included."""
    return Article(
        id=article_id or doc["id"], url=doc["url"], canonical_url=doc.get("canonical_url"),
        link_ids=doc.get("link_ids") or [],
        domain=doc.get("domain") or "", source=doc.get("source") or "", feed_tags=doc.get("feed_tags") or [],
        title=doc.get("title"), text=doc.get("text") or "", description=doc.get("description"),
        authors=doc.get("authors") or [], site_name=doc.get("site_name"),
        lang=doc.get("lang"), lang_declared=doc.get("lang_declared"), published_at=doc.get("published_at"),
        fetched_at=doc["first_seen_at"], extraction=doc.get("extraction") or "trafilatura",
        fallback_reason=doc.get("fallback_reason"), feed_version=doc.get("feed_version"),
        word_count=doc.get("word_count") or 0, content_hash=doc.get("content_hash") or "",
        warc_file=doc.get("warc_file"), warc_offset=doc.get("warc_offset"),
    )


def mention_documents(rec: EnrichedArticle, *, run_id: str | None = None, now: datetime | None = None) -> list[dict]:
    """One flat document per watched company the article mentions (Kibana charts per-company series from these)."""
    art, enr = rec.article, rec.enrichment
    docs = []
    # A language without a tone model (enrichment level "partial": a German or Arabic page) has no tone read; its
    # placeholder `neutral 0.0` would count in coverage's average tone and match `mentions --tone neutral`.
    article_sentiment = None if enr.level == "partial" else {"score": enr.sentiment.score, "label": enr.sentiment.label}
    for company in dict.fromkeys(enr.orgs):
        toward = enr.entity_sentiment.get(company)
        doc = {
            "article_id": art.id,
            "company": company,
            # Without a sentiment toward the company, the article's tone is the best estimate we have.
            "sentiment": sentiment_field(toward) if toward else article_sentiment,
            "article_sentiment": article_sentiment,
            "published_at": _iso(art.published_at or art.fetched_at),
            "indexed_at": _iso(now or datetime.now(UTC)),
            "source": art.source,
            "domain": art.domain,
            "lang": enr.lang or art.lang,
            "topics": enr.topics,
            "feed_tags": art.feed_tags,
            "title": art.title,
            "url": art.url,
            "cluster_id": rec.cluster_id or art.id,
            "run_id": run_id,
        }
        docs.append({k: v for k, v in doc.items() if v is not None})
    return docs


# ----------------------------------------------------------------------------------------------------------
# Files: dead letters and spool
# ----------------------------------------------------------------------------------------------------------


def dead_letter_path(settings: Settings) -> Path:
    return settings.data_dir / "dead-letter.jsonl"


def spool_dir(settings: Settings) -> Path:
    return settings.data_dir / "spool"


def _append_jsonl(path: Path, rows: Iterable[dict]) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    n = 0
    with path.open("a", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")
            n += 1
        fh.flush()
        os.fsync(fh.fileno())
    return n


class Spool:
    """One spool file per indexing call, created on first use."""

    def __init__(self, settings: Settings, run_id: str | None):
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
        self.path = spool_dir(settings) / f"{stamp}-{run_id or 'run'}-{os.getpid()}.jsonl"

    def write(self, records: list[EnrichedArticle]) -> int:
        return _append_jsonl(self.path, (json.loads(r.model_dump_json()) for r in records))


def spool_records(settings: Settings, records: Iterable[EnrichedArticle], *, run_id: str | None = None) -> IndexStats:
    """Write every record to one spool file (no Elasticsearch at all); `newsroom replay` indexes it later.

    Consumes `records` lazily in batches of `es_bulk_chunk`, each flushed to disk before the next is read."""
    stats = IndexStats()
    spool = Spool(settings, run_id)
    for batch in _batches(records, max(1, settings.es_bulk_chunk)):
        stats.received += len(batch)
        stats.spooled += spool.write(batch)
    if stats.spooled:
        stats.spool_files.append(str(spool.path))
    return stats


# ----------------------------------------------------------------------------------------------------------
# Indexing
# ----------------------------------------------------------------------------------------------------------


def _is_transient(exc: BaseException) -> bool:
    if isinstance(exc, (ESConnectionError, ConnectionTimeout)):
        return True
    if isinstance(exc, ApiError) and exc.meta.status in RETRY_STATUSES:
        return True
    if isinstance(exc, helpers.BulkIndexError):
        return False
    return isinstance(exc, TransportError) and not isinstance(exc, ApiError)


def _concrete_indices(client: Elasticsearch, alias: str) -> list[str]:
    return sorted(client.indices.get_alias(name=alias).keys())


def _lookup(client: Elasticsearch, indices: list[str], ids: list[str], fields: list[str]) -> dict[str, dict]:
    """Realtime lookup of ids over every concrete index of an alias: id → {"_index", **source}."""
    if not ids or not indices:
        return {}
    docs = [{"_index": index, "_id": doc_id, "_source": fields} for index in indices for doc_id in ids]
    found: dict[str, dict] = {}
    for doc in client.mget(docs=docs)["docs"]:
        if doc.get("found"):
            found.setdefault(doc["_id"], {"_index": doc["_index"], **(doc.get("_source") or {})})
    return found


def stale_mention_deletes(client: Elasticsearch, mention_indices: list[str], old_orgs: dict[str, list[str]],
                          wanted: set[str]) -> list[dict]:
    """Delete actions for the mentions of changed articles that name a company no longer found.

    The old mention ids follow from the article's previous `orgs` (ids are deterministic), and they are looked up by
    id with a realtime mget: a search would miss a mention written less than a refresh interval ago.
    """
    old_ids = [mention_id(article, company) for article, orgs in old_orgs.items() for company in dict.fromkeys(orgs)]
    stale = [mid for mid in old_ids if mid not in wanted]
    found = _lookup(client, mention_indices, stale, ["article_id"])
    return [{"_op_type": "delete", "_index": doc["_index"], "_id": mid} for mid, doc in found.items()]


def ensure_aliases(client: Elasticsearch, settings: Settings) -> None:
    """Run the setup when a write alias is missing, before any bulk write: writing to a missing alias would make the
    cluster auto-create a plain index under its name, with loose mappings, and the next `setup` would then fail."""
    names = index_names(settings.es_index_prefix)
    if not (client.indices.exists_alias(name=names["articles"]) and client.indices.exists_alias(name=names["mentions"])):
        from pipeline.store.setup import ensure_setup

        ensure_setup(client, settings)


def known_article_ids(client: Elasticsearch, settings: Settings, ids: list[str], batch: int = 500) -> set[str]:
    """Which of these article ids are already indexed (the Collector's `is_known`); an article stored from its feed
    summary because a wall answered in its place (`RETRY_FALLBACKS`) is not known: its page is tried again; so is
    one whose page failed for a passing reason (a 503, a timeout), for `TRANSIENT_RETRY_DAYS` after it was stored."""
    alias = index_names(settings.es_index_prefix)["articles"]
    if not client.indices.exists_alias(name=alias):
        return set()
    indices = _concrete_indices(client, alias)
    known: set[str] = set()
    for start in range(0, len(ids), batch):
        chunk = ids[start : start + batch]
        found = _lookup(client, indices, chunk, ["content_hash", "fallback_reason", "first_seen_at"])
        known.update(i for i, doc in found.items() if not _page_retried(doc))
        # links stored under their story's id (an AMP copy, a tracking link) and feed GUIDs: known too, so not
        # fetched again, unless their story's page is to be tried again (the GUID of a story stored from its summary
        # behind a consent wall made the item "renamed", hence known: no feed with GUIDs ever had a wall retried)
        unknown = [i for i in chunk if i not in known]
        if unknown:
            hits = client.search(index=alias, query={"terms": {"link_ids": unknown}}, size=len(unknown),
                                 source=["link_ids", "fallback_reason", "first_seen_at"])["hits"]["hits"]
            linked = {link for h in hits if not _page_retried(h["_source"])
                      for link in h["_source"].get("link_ids") or []}
            known.update(linked.intersection(unknown))
    return known


def guid_versions(client: Elasticsearch, settings: Settings, keys: list[str], batch: int = 500,
                  ) -> dict[str, tuple[str, str | None]]:
    """The feed version (`feeds.item_version`) and title of the newest stored article holding each of these GUID keys
    in its `link_ids`: what tells a renamed link of a stored story from a feed that reuses its GUIDs for new
    stories."""
    alias = index_names(settings.es_index_prefix)["articles"]
    if not keys or not client.indices.exists_alias(name=alias):
        return {}
    versions: dict[str, tuple[str, str | None]] = {}
    for start in range(0, len(keys), batch):
        chunk = keys[start : start + batch]
        hits = client.search(index=alias, query={"terms": {"link_ids": chunk}}, size=2 * len(chunk),
                             source=["link_ids", "feed_version", "title"], sort=[{"first_seen_at": {"order": "desc"}}])
        for hit in hits["hits"]["hits"]:
            title = stored_article(hit["_source"]).get("title")  # an older writer's array or number read as text
            for key in set(hit["_source"].get("link_ids") or []).intersection(chunk):
                versions.setdefault(key, (hit["_source"].get("feed_version") or "", title))
    return versions


def stored_headlines(client: Elasticsearch, settings: Settings, copies: list, batch: int = 50,
                     ) -> list[tuple[str, datetime | None, str | None]]:
    """Stored stories that Google News's `copies` (FeedItems) may be copies of, each as (headline, date, domain):
    those whose headline holds a copy's headline as a phrase (case, accents, apostrophes and elisions folded, as the
    `.exact` copy indexes it), and those of a copy's publisher's site published within collect.REWRITE_WINDOW of it
    (a headline the publisher rewrote since). The Collector decides (collect.google_news_copy_of)."""
    from pipeline.collect import REWRITE_WINDOW, site_of

    alias = index_names(settings.es_index_prefix)["articles"]
    if not copies or not client.indices.exists_alias(name=alias):
        return []
    found: list[tuple[str, datetime | None, str | None]] = []
    for start in range(0, len(copies), batch):
        should = []
        for copy in copies[start : start + batch]:
            should.append({"match_phrase": {"title.exact": copy.title}})
            site = site_of(copy.site_url)
            if site and copy.published:
                should.append({"bool": {"filter": [
                    {"bool": {"should": [{"term": {"domain": site}}, {"wildcard": {"domain": f"*.{site}"}}],
                              "minimum_should_match": 1}},
                    {"range": {"published_at": {"gte": (copy.published - REWRITE_WINDOW).isoformat(),
                                                "lte": (copy.published + REWRITE_WINDOW).isoformat()}}}]}})
        hits = client.search(index=alias, query={"bool": {"should": should, "minimum_should_match": 1}},
                             size=min(10 * len(should), 1000), source=["title", "published_at", "first_seen_at", "domain"],
                             sort=[{"first_seen_at": {"order": "desc"}}])["hits"]["hits"]
        for hit in hits:
            doc = hit["_source"]
            when = None
            try:
                when = datetime.fromisoformat(doc.get("published_at") or doc.get("first_seen_at"))
                when = when if when.tzinfo else when.replace(tzinfo=UTC)
            except (TypeError, ValueError):
                pass
            if doc.get("title"):
                found.append((doc["title"], when, site_of(f"https://{doc['domain']}/") if doc.get("domain") else None))
    return found


def _page_retried(doc: dict) -> bool:
    """Whether a stored feed-summary article's page is to be fetched again (see `known_article_ids`)."""
    reason = doc.get("fallback_reason")
    if reason in RETRY_FALLBACKS:
        return True
    if not transient_failure(reason):
        return False
    try:
        first_seen = datetime.fromisoformat(doc["first_seen_at"])
    except (KeyError, TypeError, ValueError):
        return False
    return datetime.now(UTC) - first_seen < timedelta(days=TRANSIENT_RETRY_DAYS)


def updated_article_ids(client: Elasticsearch, settings: Settings, versions: dict[str, str],
                        batch: int = 500) -> set[str]:
    """Which of these indexed articles their feed has updated since they were fetched (`feeds.item_updated`: another
    title, or a later date). An article stored before versions were recorded has none: not counted as updated."""
    alias = index_names(settings.es_index_prefix)["articles"]
    if not versions or not client.indices.exists_alias(name=alias):
        return set()
    indices = _concrete_indices(client, alias)
    ids = list(versions)
    changed: set[str] = set()
    for start in range(0, len(ids), batch):
        found = _lookup(client, indices, ids[start:start + batch], ["feed_version"])
        changed.update(i for i, doc in found.items() if item_updated(doc.get("feed_version"), versions[i]))
    return changed


class _Indexer:
    def __init__(self, client: Elasticsearch, settings: Settings, run_id: str | None):
        self.client = client
        self.settings = settings
        self.run_id = run_id
        self.names = index_names(settings.es_index_prefix)
        self.stats = IndexStats()
        self._setup_checked = False

    def _ensure_setup(self) -> None:
        if self._setup_checked:
            return
        ensure_aliases(self.client, self.settings)
        self._setup_checked = True

    def _actions(self, batch: list[EnrichedArticle]) -> list[dict]:
        """Bulk actions for one batch: mentions first, then the articles (the commit markers)."""
        now = datetime.now(UTC)
        article_indices = _concrete_indices(self.client, self.names["articles"])
        mention_indices = _concrete_indices(self.client, self.names["mentions"])
        existing = _lookup(
            self.client, article_indices, [r.article.id for r in batch],
            ["content_hash", "title", "first_seen_at", "cluster_id", "orgs", "link_ids", "feed_version", "extraction",
             "word_count"],
        )
        to_write: list[tuple[EnrichedArticle, dict | None]] = []
        new_links: list[dict] = []  # an unchanged story reached through a new link (its AMP copy): remember the link
        halved = [rec.article.id for rec in batch if _page_halved(rec.article, existing.get(rec.article.id))]
        stored_texts = _lookup(self.client, article_indices, halved, ["text"])
        for rec in batch:
            old = existing.get(rec.article.id)
            # A feed summary never replaces a page's text (docs/fetching.md): a paywalled AMP copy of the story, or
            # an update whose page became a stub, only adds its link; the feed version stays, so it is retried.
            # Nor does a page shrunk to a brief's length (a soft 404, an interstitial, a story cut to its teaser),
            # nor one that opens like the stored text and has less than half of it (a teaser behind a paywall), nor
            # a page that says it is behind a paywall with less than half of it (a teaser with a rewritten lead).
            kept = bool(old) and (_summary_over_page(rec.article, old.get("extraction"))
                                  or _page_shrunk(rec.article, old, self.settings.min_article_words)
                                  or _paywall_teaser(rec.article, old)
                                  or _cut_copy(rec.article.text, (stored_texts.get(rec.article.id) or {}).get("text")))
            # a headline corrected over the same text is a change too
            same = bool(old) and old.get("content_hash") == rec.article.content_hash and old.get("title") == rec.article.title
            if old and (kept or same):
                if kept:
                    self.stats.kept_page_text += 1
                    log.info("article %s: its stored page text (%s words) is kept; %s only adds its link",
                             rec.article.id[:12], old.get("word_count"),
                             f"a feed summary ({rec.article.fallback_reason})"
                             if rec.article.extraction == "feed-summary"
                             else f"a page of {rec.article.word_count} words")
                else:
                    self.stats.unchanged += 1
                links = _links(old, rec)
                changes = {"link_ids": links} if links != (old.get("link_ids") or []) else {}
                if not kept and rec.article.feed_version and rec.article.feed_version != old.get("feed_version"):
                    changes["feed_version"] = rec.article.feed_version  # the feed's update left the page as it was
                if changes:
                    new_links.append({"_op_type": "update", "_index": old["_index"], "_id": rec.article.id,
                                      "doc": changes, "_meta_kind": "article-links",
                                      "_meta_article": rec.article.id})
            else:
                to_write.append((rec, old))
        if not to_write:
            return new_links

        wanted: dict[str, tuple[str, dict]] = {}
        built: dict[str, tuple[dict, list[dict]]] = {}
        for rec, old in to_write:
            cluster = (old or {}).get("cluster_id") or rec.cluster_id
            rec_for_docs = rec.model_copy(update={"cluster_id": cluster}) if cluster != rec.cluster_id else rec
            mentions = mention_documents(rec_for_docs, run_id=self.run_id, now=now)
            built[rec.article.id] = (article_document(rec, run_id=self.run_id, now=now), mentions)
            for doc in mentions:
                wanted[mention_id(rec.article.id, doc["company"])] = (rec.article.id, doc)
        overlay_corrections(self.client, self.settings, built)  # analysts' tone corrections outlive re-indexing
        old_mentions = _lookup(self.client, mention_indices, list(wanted), ["article_id"])
        actions: list[dict] = []
        old_orgs = {rec.article.id: old.get("orgs") or [] for rec, old in to_write if old}
        # companies no longer mentioned by a changed article
        for action in stale_mention_deletes(self.client, mention_indices, old_orgs, set(wanted)):
            actions.append({**action, "_meta_kind": "mention-delete", "_meta_article": None})
        for mid, (article_id, doc) in wanted.items():
            target = old_mentions.get(mid, {}).get("_index")
            actions.append(
                {"_op_type": "index", "_index": target or self.names["mentions"], "_id": mid, "_source": doc,
                 "_meta_kind": "mention", "_meta_article": article_id}
            )
        for rec, old in to_write:
            doc = built[rec.article.id][0]
            if old:
                doc["first_seen_at"] = old.get("first_seen_at", doc["first_seen_at"])
                doc["cluster_id"] = old.get("cluster_id") or doc["cluster_id"]
                if links := _links(old, rec):
                    doc["link_ids"] = links
                actions.append({"_op_type": "index", "_index": old["_index"], "_id": rec.article.id, "_source": doc,
                                "_meta_kind": "article-update", "_meta_article": rec.article.id})
            else:
                actions.append({"_op_type": "create", "_index": self.names["articles"], "_id": rec.article.id,
                                "_source": doc, "_meta_kind": "article",
                                "_meta_article": rec.article.id})
        return actions + new_links

    def _send(self, actions: list[dict]) -> None:
        # streaming_bulk yields retried (429) items late, so results are matched to actions by id, not position.
        by_id = {a["_id"]: (a.pop("_meta_kind"), a.pop("_meta_article"), a) for a in actions}
        dead: list[dict] = []
        results = helpers.streaming_bulk(
            self.client,
            actions,
            chunk_size=500,
            raise_on_error=False,
            max_retries=self.settings.es_retries,  # per-document 429s
            initial_backoff=self.settings.es_backoff_base,
            max_backoff=self.settings.es_backoff_max,
        )
        counts = {"article": 0, "article-update": 0, "article-links": 0, "mention": 0, "mention-delete": 0}
        for ok, item in results:
            op, info = next(iter(item.items()))
            kind, article_id, action = by_id[info["_id"]]
            if ok:
                if op == "delete":
                    self.stats.mentions_deleted += 1
                else:
                    counts[kind] += 1
                continue
            if op == "delete" and info.get("status") == 404:
                continue
            if kind == "article" and info.get("status") == 409:  # indexed meanwhile by a concurrent task
                self.stats.unchanged += 1
                continue
            dead.append({
                "time": datetime.now(UTC).isoformat(),
                "kind": kind,
                "article_id": article_id,
                "index": info.get("_index") or action.get("_index"),
                "id": info.get("_id") or action.get("_id"),
                "status": info.get("status"),
                "reason": info.get("error"),
                "document": action.get("_source"),
            })
        self.stats.created += counts["article"]
        self.stats.updated += counts["article-update"]
        self.stats.mentions += counts["mention"]
        if dead:
            self.stats.dead_letters += _append_jsonl(dead_letter_path(self.settings), dead)
            log.warning("%d document(s) rejected by Elasticsearch; see %s", len(dead), dead_letter_path(self.settings))

    def index_batch(self, batch: list[EnrichedArticle]) -> None:
        """One batch, retried as a whole on transient errors (safe: ids and lookups make it idempotent)."""
        attempt_no = 0
        for attempt in Retrying(
            retry=retry_if_exception(_is_transient),
            stop=stop_after_attempt(max(1, self.settings.es_retries)),
            wait=wait_exponential(multiplier=self.settings.es_backoff_base, max=self.settings.es_backoff_max),
            reraise=True,
        ):
            with attempt:
                attempt_no += 1
                if attempt_no > 1:
                    self.stats.retries += 1
                    log.warning("Elasticsearch unavailable; retrying batch of %d (attempt %d)", len(batch), attempt_no)
                self._ensure_setup()
                actions = self._actions(batch)
                if actions:
                    self._send(actions)

    def refresh(self) -> None:
        try:
            self.client.indices.refresh(index=f"{self.names['articles']},{self.names['mentions']}")
        except (ApiError, TransportError) as exc:
            log.info("refresh after indexing failed: %s", exc)


def _summary_over_page(new: Article, stored_extraction: str | None) -> bool:
    """Whether `new` is a feed summary that would replace an article stored from its page's text."""
    return new.extraction == "feed-summary" and stored_extraction not in (None, "feed-summary")


def _page_shrunk(new: Article, old: dict, min_words: int) -> bool:
    """Whether `new` is a page text under the article minimum that would replace a full page text stored before."""
    pages = new.extraction not in (None, "feed-summary") and old.get("extraction") not in (None, "feed-summary")
    return pages and (new.word_count or 0) < min_words <= (old.get("word_count") or 0)


CUT_COPY_OPENING = 30  # words a cut copy shares with the stored text's opening


def _page_halved(new: Article, old: dict | None) -> bool:
    """Whether `new` is a page text under half the words of a page text stored before (its text is then looked up)."""
    return bool(old) and new.extraction not in (None, "feed-summary") \
        and old.get("extraction") not in (None, "feed-summary") and (new.word_count or 0) * 2 < (old.get("word_count") or 0)


def _paywall_teaser(new: Article, old: dict | None) -> bool:
    """Whether `new` is a page behind a paywall with under half the words of the page text stored before: its teaser,
    even when its lead was rewritten (a new standfirst defeats `_cut_copy`; an 85-word teaser replaced a 376-word
    story and OVHcloud and Scaleway lost their mentions, hostile-input audit, fifth round)."""
    return new.paywalled and _page_halved(new, old)


def _cut_copy(new_text: str, stored_text: str | None) -> bool:
    """Whether `new_text` is the stored story cut short: it opens with the stored text's opening words and has less
    than half of them. A story that became subscriber-only (its first two paragraphs, then « Il vous reste 80 % de
    cet article à lire ») replaced a 516-word text, and the companies named further on lost their mentions."""
    if not stored_text:
        return False
    new_words, old_words = new_text.split(), stored_text.split()
    opening = min(CUT_COPY_OPENING, len(new_words))
    return 2 * len(new_words) < len(old_words) and opening > 0 and new_words[:opening] == old_words[:opening]


def _links(old: dict, rec: EnrichedArticle) -> list[str]:
    """The story's other links: those already stored and the one it was reached through now."""
    return sorted({*(old.get("link_ids") or []), *rec.article.link_ids})


def _batches(records: Iterable[EnrichedArticle], size: int) -> Iterator[list[EnrichedArticle]]:
    """Batches of distinct article ids: the last record of an id wins, with the links of all (a story and its AMP
    copy collected in one run are one article reached through two links) and the story's own feed version."""
    it = iter(records)
    while batch := list(islice(it, size)):
        by_id: dict[str, EnrichedArticle] = {}
        for rec in batch:
            if (first := by_id.get(rec.article.id)) is not None:
                links = sorted({*first.article.link_ids, *rec.article.link_ids})
                if _summary_over_page(rec.article, first.article.extraction) or (  # the page's text wins (a copy's
                        first.article.extraction not in (None, "feed-summary")  # summary, whichever came last), and
                        and (_cut_copy(rec.article.text, first.article.text)  # so does the whole story over its
                             or _paywall_teaser(rec.article, {"extraction": first.article.extraction,  # teaser
                                                              "word_count": first.article.word_count}))):
                    rec = first
                    version = first.article.feed_version
                else:
                    version = rec.article.feed_version or first.article.feed_version
                rec = rec.model_copy(update={"article": rec.article.model_copy(
                    update={"link_ids": links, "feed_version": version})})
            by_id[rec.article.id] = rec
        yield list(by_id.values())


def index_enriched(
    client: Elasticsearch,
    settings: Settings,
    records: Iterable[EnrichedArticle],
    *,
    run_id: str | None = None,
    spool_on_failure: bool = True,
    refresh: bool = True,
) -> IndexStats:
    """Index articles + mentions in batches; dead-letter rejections; spool to disk if Elasticsearch stays down.

    Consumes `records` lazily (memory bounded by `settings.es_bulk_chunk`). With `spool_on_failure=False`
    an unreachable Elasticsearch raises StoreError instead (used by replay, which keeps its file).
    """
    indexer = _Indexer(client, settings, run_id)
    spool: Spool | None = None
    for batch in _batches(records, max(1, settings.es_bulk_chunk)):
        indexer.stats.received += len(batch)
        if spool is None:
            try:
                indexer.index_batch(batch)
                continue
            except (ApiError, TransportError) as exc:
                if not _is_transient(exc) or not spool_on_failure:
                    text = str(exc)
                    if isinstance(exc, ApiError):  # the URL, the reason, the setting to fix (401/403): no "None"
                        from pipeline.store.client import api_error_sentence

                        text = api_error_sentence(exc, bool(settings.es_api_key or settings.es_user))
                    raise StoreError(f"Elasticsearch failed while indexing {len(batch)} article(s): {text}") from exc
                spool = Spool(settings, run_id)
                log.warning("Elasticsearch is down (%s): spooling the remaining articles to %s", exc, spool.path)
        indexer.stats.spooled += spool.write(batch)
    if spool is not None:
        indexer.stats.spool_files.append(str(spool.path))
    elif refresh and indexer.stats.received:
        indexer.refresh()
    return indexer.stats


def _read_spool(path: Path, bad: list[int]) -> Iterator[EnrichedArticle]:
    """The records of a spool file, line by line as bytes: a line cut inside a UTF-8 character by a crash, or
    garbage, is noted in `bad` and skipped, and every whole record still gets indexed."""
    with path.open("rb") as fh:
        for line_no, raw in enumerate(fh, 1):
            if not raw.strip():
                continue
            try:
                yield EnrichedArticle.model_validate_json(raw.decode("utf-8"))
            except (ValidationError, UnicodeDecodeError):  # cut short by a crash while spooling: not committed
                bad.append(line_no)


def replay_spool(client: Elasticsearch, settings: Settings) -> IndexStats:
    """Index every spooled file, oldest first; a file is deleted only once fully indexed. A file with unreadable
    lines is moved to `spool/damaged/` instead: its feeds' state was committed when it was spooled, so those articles
    will not be fetched again, and deleting it lost them without a trace."""
    from pipeline.safewrite import LockBusy, exclusive_lock

    total = IndexStats()
    directory = spool_dir(settings)
    if not directory.is_dir():
        return total
    try:
        with exclusive_lock(directory / ".replay.lock", 0):
            _replay_files(client, settings, directory, total)
    except LockBusy:  # an ingest and the maintenance DAG at once: both replayed, then both deleted the same files
        log.warning("%s: another process is replaying the spool now; this run leaves it to that one", directory)
    return total


def _replay_files(client: Elasticsearch, settings: Settings, directory: Path, total: IndexStats) -> None:
    for path in sorted(directory.glob("*.jsonl")):
        bad: list[int] = []
        stats = index_enriched(client, settings, _read_spool(path, bad), run_id=f"replay-{int(time.time())}",
                               spool_on_failure=False)
        if bad:
            kept = directory / "damaged" / path.name
            kept.parent.mkdir(exist_ok=True)
            os.replace(path, kept)
            log.warning("%s: skipped %d unreadable line(s) %s (damaged, or cut short by a crash); the file is kept as "
                        "%s, every readable line of it indexed", path, len(bad), bad[:10], kept)
            total.damaged_files.append(str(kept))
        else:
            path.unlink()
        stats.replayed_files = 1
        stats.unreadable_lines = len(bad)
        total.add(stats)
