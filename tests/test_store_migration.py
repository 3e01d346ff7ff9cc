"""`newsroom setup` on a store made by the previous mapping version: new template version, rollover, no data lost."""

from __future__ import annotations

import copy
import json
import subprocess
import sys

from _store_helpers import drop_prefix, make_record, version1_article_mapping

from pipeline.search import search_articles
from pipeline.settings import load_settings
from pipeline.store import templates
from pipeline.store.client import make_client
from pipeline.store.indexing import article_document, mention_documents
from pipeline.store.setup import ensure_setup, mapping_version


def test_setup_migrates_a_version_1_store_without_losing_articles(es_url):
    settings = load_settings()
    client = make_client(settings)
    names = templates.index_names(settings.es_index_prefix)
    try:
        old = f"{names['articles']}-000001"
        client.indices.create(index=old, mappings=version1_article_mapping(),
                              aliases={names["articles"]: {"is_write_index": True}})
        client.indices.create(index=f"{names['mentions']}-000001",
                              mappings={"dynamic": "strict", "properties": templates.MENTION_PROPERTIES},
                              aliases={names["mentions"]: {"is_write_index": True}})
        client.indices.create(index=names["runs"], mappings={"properties": {"run_id": {"type": "keyword"}}})
        client.index(index=names["runs"], document={"run_id": "r1", "counts": {"articles": 3}}, refresh=True)
        records = [
            make_record("https://old.example/ai-act", "Le règlement, l'AI Act, entre en vigueur.", title="AI Act"),
            make_record("https://old.example/act", "J'ai vu que le conseil doit prendre acte : act publié.",
                        title="Conseil"),
            make_record("https://old.example/en", "The AI Act is law.", title="Law", lang="en",
                        orgs={"Mistral AI": -0.5}),
        ]
        for rec in records:
            doc = article_document(rec)
            doc.pop("search")
            client.index(index=names["articles"], id=rec.article.id, document=doc)
            for mention in mention_documents(rec):
                client.index(index=names["mentions"], document=mention)
        client.indices.refresh(index=f"{names['articles']},{names['mentions']}")

        report = ensure_setup(client, settings)

        indices = sorted(client.indices.get_alias(name=names["articles"]))
        assert old not in indices and len(indices) == 1
        assert mapping_version(client, indices[0]) == templates.MAPPING_VERSION
        assert report["migrated"] == [{"from": old, "to": indices[0], "articles": 3}]
        assert client.count(index=names["articles"])["count"] == 3
        assert {h["url"] for h in search_articles(client, settings, '"AI Act"').hits} == {
            "https://old.example/ai-act", "https://old.example/en"}
        runs_mapping = client.indices.get_mapping(index=names["runs"])[names["runs"]]["mappings"]
        assert runs_mapping["properties"]["counts"]["properties"]["indexed"]["type"] == "long"
        assert client.count(index=names["runs"])["count"] == 1

        again = ensure_setup(client, settings)  # idempotent: nothing left to migrate
        assert again["migrated"] == [] and sorted(client.indices.get_alias(name=names["articles"])) == indices

        proc = subprocess.run([sys.executable, "-m", "pipeline", "store", "status", "--json"],
                              capture_output=True, text=True, timeout=60)
        assert proc.returncode == 0, proc.stderr
        status = json.loads(proc.stdout)
        assert status["indices"] == {names["articles"]: 3, names["mentions"]: 1, names["runs"]: 1,
                                     names["alerts"]: None, names["corrections"]: 0}
        assert status["last_run"]["run_id"] == "r1"
    finally:
        drop_prefix(client, settings.es_index_prefix)


def _store_of_version(client, names: dict, analysis: dict, version: int, records: list) -> str:
    """An articles index as an earlier mapping version made it (its analysis, its version number), holding
    `records`: what `newsroom setup` must roll over and copy. Returns the old index's name."""
    old = f"{names['articles']}-000001"
    meta = {**templates.mapping_meta(), "mapping_version": version}
    client.indices.create(index=old, settings={"analysis": analysis},
                          mappings={"dynamic": "strict", "_meta": meta, "properties": templates.ARTICLE_PROPERTIES},
                          aliases={names["articles"]: {"is_write_index": True}})
    for record in records:
        client.index(index=names["articles"], id=record.article.id, document=article_document(record), refresh=True)
    return old


def test_setup_migrates_a_version_3_store_so_a_phrase_finds_it_followed_by_a_possessive(es_url):
    """Version 4 drops an English possessive in the `.exact` copies (`start-up` missed "the start-up’s founders"): a
    store made by version 3 is rolled over and copied by `newsroom setup`, after which the older article is found."""
    settings = load_settings()
    client = make_client(settings)
    names = templates.index_names(settings.es_index_prefix)
    analysis = copy.deepcopy(templates.ANALYSIS)
    analysis["analyzer"][templates.EXACT_ANALYZER]["filter"].remove("newsroom_english_possessive")
    try:
        record = make_record("https://old.example/founders", "The start-up’s founders met Nvidia.", lang="en")
        old = _store_of_version(client, names, analysis, 3, [record])
        assert search_articles(client, settings, "start-up").total == 0  # version 3 keeps "up’s" whole

        report = ensure_setup(client, settings)

        (index,) = client.indices.get_alias(name=names["articles"])
        assert report["migrated"] == [{"from": old, "to": index, "articles": 1}]
        assert mapping_version(client, index) == templates.MAPPING_VERSION >= 4
        assert [h["url"] for h in search_articles(client, settings, "start-up").hits] == [record.article.url]
    finally:
        drop_prefix(client, settings.es_index_prefix)


def test_setup_migrates_a_version_4_store_so_oe_finds_the_ligature_in_french_copy(es_url):
    """Version 5 reads « œ » and « æ » as "oe" and "ae" in the French search field: `coeur` (typed on a keyboard
    without the ligature) missed « cœur », and `cœur` missed "coeur". A store made by version 4 is rolled over and
    copied by `newsroom setup`, after which both spellings find both articles."""
    settings = load_settings()
    client = make_client(settings)
    names = templates.index_names(settings.es_index_prefix)
    analysis = copy.deepcopy(templates.ANALYSIS)
    analysis.pop("char_filter")
    for analyzer in analysis["analyzer"].values():
        analyzer.pop("char_filter", None)
    try:
        records = [make_record("https://old.example/coeur", "Au cœur de l’œuvre, ex æquo."),
                   make_record("https://old.example/oe", "Le coeur de l'oeuvre, ex aequo.")]
        old = _store_of_version(client, names, analysis, 4, records)
        assert search_articles(client, settings, "coeur").total == 1  # version 4: « cœur » is another word

        report = ensure_setup(client, settings)

        (index,) = client.indices.get_alias(name=names["articles"])
        assert report["migrated"] == [{"from": old, "to": index, "articles": 2}]
        assert mapping_version(client, index) == templates.MAPPING_VERSION >= 5
        both = {record.article.url for record in records}
        for query in ("coeur", "cœur", "CŒUR", "œuvres", "oeuvre", "æquo", "aequo", '"cœur de l’œuvre"'):
            assert {h["url"] for h in search_articles(client, settings, query).hits} == both, query
        (hit,) = [h for h in search_articles(client, settings, "coeur").hits if h["url"] == records[0].article.url]
        assert any("\ue000cœur\ue001" in passage for passage in hit["passages"]), hit["passages"]  # marked as written
    finally:
        drop_prefix(client, settings.es_index_prefix)


def test_setup_migrates_a_version_5_store_so_numbers_written_with_a_narrow_space_are_found(es_url):
    """French copy writes « 20 % » and « 1 000 millions » with a narrow no-break space, which the standard tokenizer
    keeps inside the token ("20\u202f"): `20` and `"1 000 millions"` missed them. Version 6 reads it as a space in
    every search field; a store made by version 5 is rolled over and copied by `newsroom setup`, then found."""
    settings = load_settings()
    client = make_client(settings)
    names = templates.index_names(settings.es_index_prefix)
    analysis = copy.deepcopy(templates.ANALYSIS)
    analysis["char_filter"].pop("newsroom_spaces")
    for analyzer in analysis["analyzer"].values():
        if "char_filter" in analyzer:
            analyzer["char_filter"].remove("newsroom_spaces")
            if not analyzer["char_filter"]:
                analyzer.pop("char_filter")
    try:
        records = [make_record("https://old.example/fr",
                               "Mistral AI lève 1\u202f000 millions d’euros, 20\u202f% de plus."),
                   make_record("https://old.example/en", "Revenue rose 20\u202f% to 1\u202f000 million.", lang="en"),
                   make_record("https://old.example/de", "Umsatz stieg um 20\u202f%.", lang="de")]
        old = _store_of_version(client, names, analysis, 5, records)
        assert search_articles(client, settings, "20").total == 0  # version 5: the token is "20\u202f"

        report = ensure_setup(client, settings)

        (index,) = client.indices.get_alias(name=names["articles"])
        assert report["migrated"] == [{"from": old, "to": index, "articles": 3}]
        assert mapping_version(client, index) == templates.MAPPING_VERSION >= 6
        urls = [record.article.url for record in records]
        assert {h["url"] for h in search_articles(client, settings, "20").hits} == set(urls)
        assert {h["url"] for h in search_articles(client, settings, '"1 000 millions"').hits} == {urls[0]}
        assert {h["url"] for h in search_articles(client, settings, '"20 % de plus"').hits} == {urls[0]}
        (hit,) = search_articles(client, settings, "20 plus").hits
        assert any("\ue00020\ue001 % de" in passage for passage in hit["passages"]), hit["passages"]
    finally:
        drop_prefix(client, settings.es_index_prefix)


def test_setup_migrates_a_version_6_store_so_an_unread_tone_is_no_longer_neutral(es_url):
    """Version 7 stores no article tone for a language without a tone model (enrichment level `partial`), where
    earlier versions stored a placeholder `neutral 0.0`, and mentions written before 2026-12-04 carried it too: a
    German article counted as neutral in `search --tone neutral`, coverage's tone counts and alerts. `newsroom setup`
    drops the placeholder from the copied articles and their mentions; an analyst's correction stays."""
    from pipeline.coverage import coverage_by_source
    from pipeline.models import Enrichment

    settings = load_settings()
    client = make_client(settings)
    names = templates.index_names(settings.es_index_prefix)

    def german(url: str):
        record = make_record(url, "Nvidia baut ein Rechenzentrum in Bayern.", lang="de", orgs={"Nvidia": 0.0})
        return record.model_copy(update={"enrichment": Enrichment(**{**record.enrichment.model_dump(),
                                                                     "level": "partial", "entity_sentiment": {}})})

    placeholder = {"score": 0.0, "label": "neutral"}
    corrected = {"score": -0.5, "label": "negative", "corrected": True, "corrected_by": "alice"}
    unread, fixed = german("https://old.example/de"), german("https://old.example/de-corrected")
    french = make_record("https://old.example/fr", "Nvidia construit un centre de données.", orgs={"Nvidia": 0.0})
    try:
        old = _store_of_version(client, names, templates.ANALYSIS, 6, [])
        client.indices.create(index=f"{names['mentions']}-000001",
                              mappings={"dynamic": "strict", "properties": templates.MENTION_PROPERTIES},
                              aliases={names["mentions"]: {"is_write_index": True}})
        for record, tone in ((unread, placeholder), (fixed, corrected), (french, None)):
            doc = article_document(record)  # as version 6 wrote it: the placeholder, or the correction
            doc["sentiment"] = tone or doc["sentiment"]
            client.index(index=names["articles"], id=record.article.id, document=doc)
            for mention in mention_documents(record):
                if tone:
                    mention.update(sentiment=tone, article_sentiment=tone)
                client.index(index=names["mentions"], document=mention)
        client.indices.refresh(index=f"{names['articles']},{names['mentions']}")
        assert {h["url"] for h in search_articles(client, settings, "Nvidia", tone="neutral").hits} == {
            unread.article.url, french.article.url}

        report = ensure_setup(client, settings)

        (index,) = client.indices.get_alias(name=names["articles"])
        assert report["migrated"] == [{"from": old, "to": index, "articles": 3}]
        assert mapping_version(client, index) == templates.MAPPING_VERSION >= 7
        assert "sentiment" not in client.get(index=names["articles"], id=unread.article.id)["_source"]
        assert client.get(index=names["articles"], id=fixed.article.id)["_source"]["sentiment"]["corrected"]
        assert [h["url"] for h in search_articles(client, settings, "Nvidia", tone="neutral").hits] == [
            french.article.url]
        mentions = {h["_source"]["url"]: h["_source"] for h in
                    client.search(index=names["mentions"], size=10)["hits"]["hits"]}
        assert "sentiment" not in mentions[unread.article.url] and "article_sentiment" not in mentions[
            unread.article.url]
        assert mentions[fixed.article.url]["sentiment"]["label"] == "negative"
        (row,) = coverage_by_source(client, settings, ["Nvidia"], since="2026-11-01", until="2026-11-30")["rows"]
        assert (row["mentions"], row["neutral"], row["negative"]) == (3, 1, 1), row
    finally:
        drop_prefix(client, settings.es_index_prefix)


def test_setup_migrates_a_version_7_store_so_a_word_typed_joined_finds_its_hyphenated_spelling(es_url):
    """Version 8 also indexes each hyphenated word joined in the search fields: `startup` missed « start-up » and
    « start-ups ». A store made by version 7 is rolled over and copied by `newsroom setup`, after which it finds them
    and marks the article's own spelling."""
    settings = load_settings()
    client = make_client(settings)
    names = templates.index_names(settings.es_index_prefix)
    analysis = copy.deepcopy(templates.ANALYSIS)
    analysis["char_filter"].pop("newsroom_hyphens")
    for analyzer in analysis["analyzer"].values():
        analyzer["char_filter"] = [name for name in analyzer["char_filter"] if name != "newsroom_hyphens"]
        analyzer["filter"] = [name for name in analyzer["filter"] if name not in templates.COMPOUNDS]
    try:
        records = [make_record("https://old.example/fr", "Une start-up de Saint-Ouen lève des fonds."),
                   make_record("https://old.example/en", "European start-ups hire.", lang="en"),
                   make_record("https://old.example/de", "Das Start-up aus Berlin.", lang="de")]
        old = _store_of_version(client, names, analysis, 7, records)
        assert search_articles(client, settings, "startup").total == 0  # version 7: "start", "up" only

        report = ensure_setup(client, settings)

        (index,) = client.indices.get_alias(name=names["articles"])
        assert report["migrated"] == [{"from": old, "to": index, "articles": 3}]
        assert mapping_version(client, index) == templates.MAPPING_VERSION >= 8
        urls = {record.article.url for record in records}
        for query in ("startup", "start-up", "start up"):
            assert {h["url"] for h in search_articles(client, settings, query).hits} == urls, query
        # stemmed in French and English copy; other languages are not stemmed
        assert {h["url"] for h in search_articles(client, settings, "startups").hits} == urls - {
            "https://old.example/de"}
        (hit,) = [h for h in search_articles(client, settings, "startups").hits if h["url"] == "https://old.example/en"]
        assert any("\ue000start-ups\ue001" in passage for passage in hit["passages"]), hit["passages"]
    finally:
        drop_prefix(client, settings.es_index_prefix)


def test_phrase_and_search_analysers_on_a_real_cluster(real_es_url):
    """The mapping is accepted by real Elasticsearch 8/9 and its analysers give the tokens the stand-in gives."""
    settings = load_settings()
    client = make_client(settings)
    ensure_setup(client, settings)
    index = templates.index_names(settings.es_index_prefix)["articles"]

    def tokens(field: str, text: str) -> list[str]:
        return [t["token"] for t in client.indices.analyze(index=index, field=field, text=text)["tokens"]]

    assert tokens("text.exact", "L’AI Act, qu’il Élysée") == ["ai", "act", "il", "elysee"]
    assert tokens("search.en.exact", "The start-up’s and Mistral AI's") == [
        "the", "start", "up", "and", "mistral", "ai"]
    assert tokens("search.fr", "L'AI Act et les souveraines") == ["ai", "act", "et", "les", "souverain"]
    assert tokens("search.en", "Nvidia's chips") == ["nvidia", "chip"]
    assert tokens("search.fr", "Le cœur, le coeur") == tokens("search.fr", "Le coeur, le coeur")
    for field in ("search.fr", "search.en", "search.other", "search.fr.exact"):
        assert tokens(field, "20\u202f% et 1\u202f000") == tokens(field, "20 % et 1 000"), field
    # the compound's parts and its join (and the `_` it is read with); the same tokens as the stand-in's, any order
    assert sorted(tokens("search.fr", "Les start-ups")) == sorted(["les", "start_up", "startup", "start", "ups"])
    assert sorted(tokens("search.en", "e-mails, U.S.")) == sorted(["e_mail", "email", "e", "mail", "u.", "us", "u",
                                                                   "s"])
