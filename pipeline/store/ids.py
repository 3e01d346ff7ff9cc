"""Article ids as people type them: a unique prefix of the sha256 id (as search results show it) is enough."""

from __future__ import annotations

import re

from elasticsearch import Elasticsearch

from pipeline.errors import NewsroomError
from pipeline.settings import Settings
from pipeline.sinks import single_line
from pipeline.store.templates import index_names

MIN_PREFIX = 4
ID_LENGTH = 64  # sha256, hexadecimal
_HEX = re.compile(r"^[0-9a-f]+$")


def resolve_article_id(client: Elasticsearch, settings: Settings, typed: str) -> str:
    """The full id of the one stored article whose id starts with `typed`; NewsroomError when none or several do."""
    articles = index_names(settings.es_index_prefix)["articles"]
    value = (typed or "").strip().lower()
    shown = single_line(typed, 70)
    if not _HEX.match(value) or len(value) > ID_LENGTH:  # a longer prefix was sent and refused by the store (400)
        raise NewsroomError(f"{shown!r} is not an article id: ids are at most {ID_LENGTH} hexadecimal characters "
                            "(e.g. the first 12 characters that `newsroom search` prints).")
    typed = shown
    if len(value) < MIN_PREFIX:
        raise NewsroomError(f"Article id {typed!r} is too short: give at least {MIN_PREFIX} characters.")
    if not client.indices.exists_alias(name=articles) and not client.indices.exists(index=articles):
        raise NewsroomError(f"No articles index ({articles}) yet: run `newsroom setup` and `newsroom ingest` first.")
    query = {"ids": {"values": [value]}} if len(value) == ID_LENGTH else {"prefix": {"id": value}}
    hits = client.search(index=articles, query=query, size=6, source=["id", "title"])["hits"]["hits"]
    ids = list(dict.fromkeys(h["_source"].get("id") or h["_id"] for h in hits))
    if not ids:
        raise NewsroomError(f"No article with an id starting with {typed!r} in {articles}.")
    if len(ids) > 1:
        shown = ", ".join(i[: len(value) + 4] for i in ids[:5])
        raise NewsroomError(f"Article id {typed!r} is ambiguous: {len(ids)}{'+' if len(ids) > 5 else ''} articles "
                            f"start with it ({shown}); give more characters.")
    return ids[0]
