"""Full-text search over indexed articles (stand-in): stemming, entity and date filters, order, highlights."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime

import pytest
from _store_helpers import drop_prefix, make_record

from pipeline.errors import NewsroomError
from pipeline.search import search_articles
from pipeline.settings import load_settings
from pipeline.store.client import make_client
from pipeline.store.indexing import index_enriched


@pytest.fixture
def indexed(es_url):
    settings = load_settings()
    client = make_client(settings)
    records = [
        make_record("https://a.example/tribune", "Une défaite pour la souveraineté technologique française face aux "
                    "puces américaines. Mistral AI s'allie à Nvidia.", title="Mistral et Nvidia : une alliance",
                    published=datetime(2026, 11, 20, 9, 30, tzinfo=UTC), orgs={"Mistral AI": -0.6, "Nvidia": -0.3}),
        make_record("https://a.example/ovh", "OVHcloud défend un cloud souverain et ses centres de données.",
                    title="OVHcloud publie ses résultats", published=datetime(2026, 11, 18, 10, tzinfo=UTC),
                    orgs={"OVHcloud": 0.6}),
        make_record("https://a.example/chips", "Export rules hit Nvidia chips sold to sovereign clouds.",
                    title="Nvidia export rules", published=datetime(2026, 11, 21, 16, tzinfo=UTC),
                    orgs={"Nvidia": -0.7}, lang="en"),
        make_record("https://a.example/soup", "Five autumn soup recipes for cold evenings.", title="Soups",
                    published=datetime(2026, 11, 22, 10, tzinfo=UTC), lang="en"),
    ]
    index_enriched(client, settings, records)
    yield settings, client, records
    drop_prefix(client, settings.es_index_prefix)


def test_french_stemming_newest_first_with_highlights(indexed):
    settings, client, records = indexed
    # french stemming: "souveraines" matches "souverain", "technologiques" matches "technologique"
    results = search_articles(client, settings, "souveraines technologiques")
    assert [r["url"] for r in results] == ["https://a.example/tribune", "https://a.example/ovh"]
    dates = [r["published_at"] for r in results]
    assert dates == sorted(dates, reverse=True)
    assert all(any("«" in h for h in r["highlights"]) for r in results)


def test_english_stemming_entity_and_since_filters(indexed):
    settings, client, records = indexed
    urls = [r["url"] for r in search_articles(client, settings, "sovereign chip")]
    assert urls[0] == "https://a.example/chips"
    only_nvidia = search_articles(client, settings, "souveraineté sovereign souverain", entities=["nvidia"])
    assert {r["url"] for r in only_nvidia} == {"https://a.example/tribune", "https://a.example/chips"}
    recent = search_articles(client, settings, "Nvidia", since="2026-11-21")
    assert [r["url"] for r in recent] == ["https://a.example/chips"]


def test_empty_query_is_a_clear_error(indexed):
    settings, client, _ = indexed
    with pytest.raises(NewsroomError, match="search query"):
        search_articles(client, settings, "  ")


def test_search_cli_json(indexed):
    proc = subprocess.run([sys.executable, "-m", "pipeline", "search", "alliance", "--json"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert [r["url"] for r in json.loads(proc.stdout)] == ["https://a.example/tribune"]
