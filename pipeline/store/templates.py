"""Index names, component/composable templates and the ILM policy: the storage contract.

Every other module (ingest, coverage, alerts, Kibana objects) reads field names from here.
"""

from __future__ import annotations

from pipeline.settings import Settings


def index_names(prefix: str = "newsroom") -> dict[str, str]:
    return {
        "articles": f"{prefix}-articles",  # write alias over <prefix>-articles-000001, rollover
        "mentions": f"{prefix}-mentions",  # write alias over <prefix>-mentions-000001, rollover
        "runs": f"{prefix}-runs",
        "alerts": f"{prefix}-alerts",
    }


KEYWORD = {"type": "keyword", "ignore_above": 1024}
DATE = {"type": "date"}
ANALYSED_TEXT = {
    "type": "text",
    "analyzer": "standard",
    "fields": {
        "fr": {"type": "text", "analyzer": "french"},
        "en": {"type": "text", "analyzer": "english"},
    },
}
SENTIMENT = {"properties": {"score": {"type": "float"}, "label": {"type": "keyword"}}}

ARTICLE_PROPERTIES: dict = {
    "id": KEYWORD,
    "url": KEYWORD,
    "canonical_url": KEYWORD,
    "domain": KEYWORD,
    "source": KEYWORD,  # feed name
    "feed_tags": KEYWORD,
    "lang": KEYWORD,
    "lang_declared": KEYWORD,
    "enrichment_level": KEYWORD,  # full | partial
    "title": {**ANALYSED_TEXT, "fields": {**ANALYSED_TEXT["fields"], "keyword": KEYWORD}},
    "text": ANALYSED_TEXT,
    "description": ANALYSED_TEXT,
    "authors": KEYWORD,
    "site_name": KEYWORD,
    "orgs": KEYWORD,  # canonical watchlist companies
    "persons": KEYWORD,
    "places": KEYWORD,
    "misc": KEYWORD,
    "entity_orgs": KEYWORD,  # every ORG entity spaCy found (watched or not)
    "topics": KEYWORD,
    "published_at": DATE,
    "first_seen_at": DATE,
    "indexed_at": DATE,
    "sentiment": SENTIMENT,
    "company_sentiment": {  # per watched company; nested so a filter binds company and score together
        "type": "nested",
        "properties": {"company": KEYWORD, "score": {"type": "float"}, "label": KEYWORD},
    },
    "extraction": KEYWORD,  # trafilatura | feed-summary
    "word_count": {"type": "integer"},
    "content_hash": KEYWORD,
    "cluster_id": KEYWORD,
    "warc_file": KEYWORD,
    "warc_offset": {"type": "long"},
    "run_id": KEYWORD,
}

MENTION_PROPERTIES: dict = {
    "article_id": KEYWORD,
    "company": KEYWORD,
    "sentiment": SENTIMENT,  # toward the company
    "article_sentiment": SENTIMENT,
    "published_at": DATE,
    "indexed_at": DATE,
    "source": KEYWORD,
    "domain": KEYWORD,
    "lang": KEYWORD,
    "topics": KEYWORD,
    "feed_tags": KEYWORD,
    "title": {"type": "text", "fields": {"keyword": KEYWORD}},
    "url": KEYWORD,
    "cluster_id": KEYWORD,
}

RUN_PROPERTIES: dict = {
    "run_id": KEYWORD,
    "kind": KEYWORD,  # ingest | replay | airflow
    "status": KEYWORD,  # ok | partial | failed
    "started_at": DATE,
    "finished_at": DATE,
    "duration_s": {"type": "float"},
    "counts": {"type": "object", "dynamic": True},  # integers per stage: feeds_ok, items, articles, indexed...
    "stage_seconds": {"type": "object", "dynamic": True},
    "feed_errors": {"properties": {"feed": KEYWORD, "url": KEYWORD, "error": {"type": "text"}}},
    "dead_letters": {"type": "integer"},
    "spooled": {"type": "integer"},
    "host": KEYWORD,
}
