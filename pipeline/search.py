"""Full-text search over indexed articles (French and English analysed fields), newest first, with highlights."""

from __future__ import annotations

from datetime import date, datetime

from elasticsearch import Elasticsearch

from pipeline.coverage import parse_when, zone
from pipeline.errors import NewsroomError
from pipeline.settings import Settings
from pipeline.store.templates import index_names

SEARCH_FIELDS = ["title^3", "title.fr^3", "title.en^3", "description^2", "text", "text.fr", "text.en"]
HIGHLIGHT_FIELDS = ("title", "title.fr", "title.en", "text", "text.fr", "text.en")
RETURNED = ["id", "url", "title", "source", "domain", "lang", "published_at", "orgs", "sentiment", "cluster_id", "topics"]


def search_articles(
    client: Elasticsearch,
    settings: Settings,
    query: str,
    entities: list[str] | None = None,
    since: str | date | datetime | None = None,
    size: int = 20,
) -> list[dict]:
    """Articles matching `query` (and mentioning every given company), newest first; each with `highlights`."""
    if not query or not query.strip():
        raise NewsroomError("Give a search query, e.g. newsroom search \"souveraineté numérique\".")
    filters: list[dict] = []
    for entity in entities or []:
        filters.append({"term": {"orgs": {"value": entity, "case_insensitive": True}}})
    start = parse_when(since, zone(settings))
    if start:
        filters.append({"range": {"published_at": {"gte": start.isoformat()}}})
    alias = index_names(settings.es_index_prefix)["articles"]
    if not client.indices.exists_alias(name=alias):
        raise NewsroomError(f"No articles index ({alias}) yet: run `newsroom setup` and `newsroom ingest` first.")
    response = client.search(
        index=alias,
        query={
            "bool": {
                "must": [{"multi_match": {"query": query, "fields": SEARCH_FIELDS, "type": "most_fields"}}],
                "filter": filters,
            }
        },
        sort=[{"published_at": {"order": "desc", "missing": "_last"}}, "_score"],
        highlight={
            "pre_tags": ["«"],
            "post_tags": ["»"],
            "fields": {name: {"fragment_size": 160, "number_of_fragments": 2} for name in HIGHLIGHT_FIELDS},
        },
        source=RETURNED,
        size=size,
        track_scores=True,
    )
    results = []
    for hit in response["hits"]["hits"]:
        doc = dict(hit["_source"])
        fragments: list[str] = []
        for name in HIGHLIGHT_FIELDS:
            for fragment in hit.get("highlight", {}).get(name, []):
                if fragment not in fragments:
                    fragments.append(fragment)
        doc["highlights"] = fragments[:3]
        doc["score"] = hit.get("_score")
        results.append(doc)
    return results
