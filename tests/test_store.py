"""Elasticsearch storage on the stand-in: setup, idempotent indexing, dead letters, spool/replay, run records."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from pipeline.dedup import NearDuplicateIndex
from pipeline.runs import RunSummary, merge_summaries, write_run_record
from pipeline.settings import load_settings
from pipeline.errors import StoreError
from pipeline.store.client import is_standin, make_client
from pipeline.store.embedded import EmbeddedStore, free_port
from pipeline.store.indexing import (
    article_document,
    dead_letter_path,
    index_enriched,
    known_article_ids,
    mention_documents,
    replay_spool,
    spool_records,
    spool_dir,
)
from pipeline.store.setup import ensure_setup
from pipeline.store.templates import ARTICLE_PROPERTIES, MENTION_PROPERTIES, index_names
from _reply_server import ReplyServer
from _store_helpers import ReadingEnricher, drop_prefix, make_record, story


@pytest.fixture
def store(es_url):
    settings = load_settings()
    client = make_client(settings)
    yield settings, client
    drop_prefix(client, settings.es_index_prefix)


def _count(client, index: str) -> int:
    client.indices.refresh(index=index)
    return client.count(index=index)["count"]


def test_setup_is_idempotent_and_strict(store):
    settings, client = store
    names = index_names(settings.es_index_prefix)
    first = ensure_setup(client, settings)
    assert set(first["created"]) == {f"{names['articles']}-000001", f"{names['mentions']}-000001", names["runs"],
                                     names["corrections"]}
    assert first["ilm_available"] is False and first["notes"]  # the stand-in has no ILM: said, not hidden
    second = ensure_setup(client, settings)
    assert second["created"] == [] and set(second["existing"]) == {names["articles"], names["mentions"], names["runs"],
                                                                   names["corrections"]}
    template = client.indices.get_index_template(name=names["articles"])["index_templates"][0]["index_template"]
    assert f"{settings.es_index_prefix}-articles-mappings" in template["composed_of"]
    aliases = client.indices.get_alias(name=names["articles"])
    assert aliases[f"{names['articles']}-000001"]["aliases"][names["articles"]]["is_write_index"] is True
    mapping = client.indices.get_mapping(index=names["articles"])[f"{names['articles']}-000001"]["mappings"]
    assert mapping["dynamic"] == "strict"
    assert mapping["properties"]["title"]["fields"]["fr"]["analyzer"] == "french"
    assert mapping["properties"]["text"]["fields"]["en"]["analyzer"] == "english"


def test_an_index_holding_the_articles_alias_name_stops_setup_in_one_sentence(store):
    """An index made by hand (or by another tool) under the name of the articles alias: the embedded store made the
    alias anyway, `setup` was green, and every search then read that index ("No mapping found for
    [published_at]"); real Elasticsearch refuses the alias in a sentence about aliases."""
    from pipeline.errors import StoreRefused

    settings, client = store
    names = index_names(settings.es_index_prefix)
    client.indices.create(index=names["articles"], mappings={"properties": {"title": {"type": "integer"}}})
    with pytest.raises(StoreRefused, match=f"An index named {names['articles']} exists where newsroom keeps the alias"):
        ensure_setup(client, settings)
    assert not client.indices.exists_alias(name=names["articles"])


def test_documents_fit_the_mappings():
    rec = make_record("https://example.org/a", story(1), orgs={"Mistral AI": -0.6, "Nvidia": 0.1}, score=-0.4)
    doc = article_document(rec)
    assert set(doc) <= set(ARTICLE_PROPERTIES)
    assert doc["id"] == rec.article.id and doc["orgs"] == ["Mistral AI", "Nvidia"] and doc["cluster_id"] == rec.article.id
    mentions = mention_documents(rec)
    assert [m["company"] for m in mentions] == ["Mistral AI", "Nvidia"]
    assert all(set(m) <= set(MENTION_PROPERTIES) for m in mentions)
    assert mentions[0]["sentiment"] == {"score": -0.6, "label": "negative"}
    assert mentions[0]["article_sentiment"]["score"] == -0.4



def test_the_declared_language_is_stored_apart_from_the_detected_one():
    from pipeline.store.indexing import article_from_document

    rec = make_record("https://example.org/helsing", story(1), lang="en")
    rec.article.lang_declared = "fr"  # <html lang="fr-FR"> on an English text
    doc = article_document(rec)
    assert (doc["lang"], doc["lang_declared"]) == ("en", "fr")
    again = article_from_document(doc)
    assert (again.lang, again.lang_declared) == ("en", "fr")

def test_indexing_twice_creates_nothing_new_and_keeps_first_seen(store):
    settings, client = store
    names = index_names(settings.es_index_prefix)
    first_seen = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
    records = [
        make_record(f"https://example.org/a{i}", story(i), orgs={"Mistral AI": 0.2, "Nvidia": -0.3}, fetched=first_seen)
        for i in range(5)
    ]
    stats = index_enriched(client, settings, records)
    assert (stats.created, stats.unchanged, stats.mentions, stats.dead_letters) == (5, 0, 10, 0)
    assert known_article_ids(client, settings, [r.article.id for r in records] + ["nope"]) == {r.article.id for r in records}

    # Same content again (fetched later): nothing re-written.
    again = [r.model_copy(update={"article": r.article.model_copy(update={"fetched_at": datetime.now(UTC)})}) for r in records]
    stats = index_enriched(client, settings, again)
    assert (stats.created, stats.updated, stats.unchanged, stats.mentions) == (0, 0, 5, 0)

    # One article changed and no longer mentions Nvidia: updated in place, first_seen_at kept, stale mention gone.
    changed = make_record("https://example.org/a0", story(100), orgs={"Mistral AI": 0.5}, fetched=datetime.now(UTC))
    stats = index_enriched(client, settings, [changed])
    assert (stats.created, stats.updated, stats.mentions, stats.mentions_deleted) == (0, 1, 1, 1)
    assert _count(client, names["articles"]) == 5
    assert _count(client, names["mentions"]) == 9
    doc = client.get(index=f"{names['articles']}-000001", id=changed.article.id)["_source"]
    assert doc["content_hash"] == changed.article.content_hash
    assert datetime.fromisoformat(doc["first_seen_at"]) == first_seen


def test_updates_go_to_the_index_holding_the_document_after_rollover(store):
    settings, client = store
    names = index_names(settings.es_index_prefix)
    rec = make_record("https://example.org/rolled", story(7), orgs={"OVHcloud": 0.4})
    index_enriched(client, settings, [rec])
    assert client.indices.rollover(alias=names["articles"])["rolled_over"]
    assert client.indices.rollover(alias=names["mentions"])["rolled_over"]
    changed = make_record("https://example.org/rolled", story(8), orgs={"OVHcloud": 0.1})
    stats = index_enriched(client, settings, [changed])
    assert stats.updated == 1 and stats.created == 0
    assert _count(client, names["articles"]) == 1 and _count(client, names["mentions"]) == 1
    assert _count(client, f"{names['articles']}-000002") == 0


def test_rejected_document_goes_to_dead_letter_file(store):
    settings, client = store
    good = make_record("https://example.org/good", story(1), orgs={"SAP": 0.3})
    bad = make_record("https://example.org/bad", story(2), orgs={"SAP": 0.3})
    bad.article.word_count = 3_000_000_000  # out of range for the `integer` mapping: Elasticsearch rejects it
    stats = index_enriched(client, settings, [good, bad])
    assert (stats.created, stats.dead_letters) == (1, 1)
    lines = dead_letter_path(settings).read_text().splitlines()
    assert len(lines) == 1
    entry = json.loads(lines[0])
    assert entry["article_id"] == bad.article.id and entry["status"] == 400
    assert "word_count" in json.dumps(entry["reason"]) and entry["document"]["url"] == bad.article.url


def test_elasticsearch_lost_mid_run_spools_then_replay_indexes_everything(tmp_path, monkeypatch):
    """The store dies after the first batch: the rest is spooled; replay after restart loses nothing."""
    es = EmbeddedStore(tmp_path / "own-es", port=free_port())
    url = es.up()
    monkeypatch.setenv("NEWSROOM_ES_URL", url)
    monkeypatch.setenv("NEWSROOM_ES_BULK_CHUNK", "3")
    monkeypatch.setenv("NEWSROOM_ES_RETRIES", "2")
    monkeypatch.setenv("NEWSROOM_ES_BACKOFF_BASE", "0.05")
    settings = load_settings()
    client = make_client(settings, max_retries=0, request_timeout=5)
    records = [make_record(f"https://example.org/s{i}", story(i), orgs={"Thales": 0.2}) for i in range(10)]

    def stream():
        for i, rec in enumerate(records):
            if i == 3:
                es.down()  # Elasticsearch goes away after the first batch was indexed
            yield rec

    try:
        stats = index_enriched(client, settings, stream())
        assert stats.created == 3 and stats.spooled == 7 and stats.retries >= 1
        spooled = list(spool_dir(settings).glob("*.jsonl"))
        assert len(spooled) == 1 and len(spooled[0].read_text().splitlines()) == 7

        es.up()
        client = make_client(settings)
        replayed = replay_spool(client, settings)
        assert replayed.created == 7 and replayed.replayed_files == 1
        assert not list(spool_dir(settings).glob("*.jsonl"))
        names = index_names(settings.es_index_prefix)
        assert _count(client, names["articles"]) == 10 and _count(client, names["mentions"]) == 10
        assert replay_spool(client, settings).created == 0  # nothing left, nothing doubled
    finally:
        es.down()


def test_replay_skips_a_line_cut_inside_a_utf8_character_and_garbage_and_indexes_the_rest(store, capsys):
    settings, client = store
    records = [make_record(f"https://example.org/cut{i}", story(i), title="Mistral avec l’État") for i in range(3)]
    stats = spool_records(settings, records)
    path = Path(stats.spool_files[0])
    whole = path.read_bytes()
    cut = whole.splitlines()[0]
    cut = cut[: cut.index("É".encode()) + 1]  # a crash after the first byte of É
    path.write_bytes(whole + b"\xff\xfe\x00garbage\x80\n" + cut)
    from pipeline.cli import main

    with pytest.raises(SystemExit) as exit_info:  # some articles could not be indexed: said, and not a success
        main(["replay"])
    out = capsys.readouterr().out
    assert exit_info.value.code == 1
    assert "3 new" in out and "skipped 2 unreadable line(s)" in out
    assert _count(client, index_names(settings.es_index_prefix)["articles"]) == 3
    # the file is kept aside, not deleted: its feeds' state was committed, so those articles will not come again
    kept = path.parent / "damaged" / path.name
    assert not path.exists() and kept.read_bytes().endswith(cut) and f"kept {kept}" in " ".join(out.split())
    main(["replay"])  # a damaged file is not replayed again
    assert "replayed 0 spool file(s)" in capsys.readouterr().out


def test_a_replay_while_another_process_replays_leaves_the_spool_to_it(store, caplog):
    """The ingest DAG and the maintenance DAG replayed one spool at once (every Sunday at midnight): both indexed
    the same files, then both deleted them (FileNotFoundError in the slower one)."""
    from pipeline.safewrite import exclusive_lock
    from pipeline.store.indexing import replay_spool, spool_dir

    settings, client = store
    stats = spool_records(settings, [make_record(f"https://example.org/lock{i}", story(i)) for i in range(2)])
    path = Path(stats.spool_files[0])
    with exclusive_lock(spool_dir(settings) / ".replay.lock", 0), caplog.at_level("WARNING"):
        busy = replay_spool(client, settings)  # another process holds the replay
    assert busy.replayed_files == 0 and path.exists() and "another process is replaying" in caplog.text
    done = replay_spool(client, settings)
    assert done.replayed_files == 1 and done.created == 2 and not path.exists()


def test_replay_keeps_the_spool_when_elasticsearch_is_still_down(tmp_path, monkeypatch):
    monkeypatch.setenv("NEWSROOM_ES_URL", f"http://127.0.0.1:{free_port()}")
    monkeypatch.setenv("NEWSROOM_ES_RETRIES", "1")
    settings = load_settings()
    client = make_client(settings, max_retries=0, request_timeout=2)
    stats = index_enriched(client, settings, [make_record("https://example.org/x", story(3))])
    assert stats.spooled == 1
    from pipeline.errors import StoreError

    with pytest.raises(StoreError):
        replay_spool(client, settings)
    assert len(list(spool_dir(settings).glob("*.jsonl"))) == 1


def test_near_duplicates_share_a_cluster_rebuilt_from_the_store(store):
    settings, client = store
    wire = story(42, words=300)
    index = NearDuplicateIndex()
    a = make_record("https://example.org/wire-a", wire, title="Mistral et Nvidia s'allient")
    b = make_record("https://example.org/wire-b", wire.replace("article42", "Par AFP.") + " Mis à jour à 14h.",
                    title="Alliance Mistral–Nvidia")
    c = make_record("https://example.org/other", story(43, words=300))
    for rec in (a, b, c):
        rec.cluster_id = index.assign(rec.article.id, rec.article.text)
    assert b.cluster_id == a.cluster_id == a.article.id and c.cluster_id == c.article.id
    index_enriched(client, settings, [a, c])

    rebuilt = NearDuplicateIndex.from_store(client, settings)
    assert len(rebuilt) == 2
    assert rebuilt.assign(b.article.id, b.article.text) == a.article.id


def test_texts_without_a_whole_shingle_are_each_their_own_story():
    """A text of no word or under three words ("…", "📷", "Vidéo", a summary that is only the site's name) has a
    one-shingle signature: every such item of every feed fell into the first one's cluster, one story."""
    index = NearDuplicateIndex()
    short = ["", "…", "📷 🎥", "Vidéo.", "Vidéo", "Mistral AI", "Mistral AI"]
    assert [index.assign(f"s{k}", text) for k, text in enumerate(short)] == [f"s{k}" for k in range(len(short))]
    assert index.assign("s6", "Mistral AI") == "s6"  # asked again: the same answer
    wire = story(42, words=300)
    assert index.assign("w1", wire) == "w1" and index.assign("w2", wire + " Mis à jour.") == "w1"

def test_run_records_merge_and_store(store):
    settings, client = store
    parts = [
        RunSummary(run_id="r1", started_at="2026-11-23T10:00:00+00:00", finished_at="2026-11-23T10:01:00+00:00",
                   counts={"articles": 4, "indexed": 4}, feeds=["A"]).as_dict(),
        RunSummary(run_id="r1-b", status="partial", started_at="2026-11-23T10:00:30+00:00",
                   finished_at="2026-11-23T10:02:00+00:00", counts={"articles": 2, "indexed": 1},
                   feed_errors=[{"feed": "B", "url": "http://b", "error": "timeout"}], dead_letters=1,
                   feeds=["B"]).as_dict(),
    ]
    merged = merge_summaries(parts, run_id="dag-run-1")
    assert merged["counts"] == {"articles": 6, "indexed": 5} and merged["status"] == "partial"
    assert merged["parts"] == 2 and merged["duration_s"] == 120.0 and merged["feeds"] == ["A", "B"]
    write_run_record(client, settings, merged)
    write_run_record(client, settings, merged)  # same run id: replaced, not duplicated
    runs = index_names(settings.es_index_prefix)["runs"]
    hits = client.search(index=runs)["hits"]["hits"]
    assert len(hits) == 1 and hits[0]["_source"]["counts"]["indexed"] == 5
    assert hits[0]["_source"]["feed_errors"][0]["feed"] == "B"


def test_a_spooled_run_record_cut_short_is_set_aside_and_the_others_written(store, caplog):
    """A run record spooled while the store was down and cut short (a full disk, a kill while writing) ended
    `newsroom replay` and every later Airflow run's finalize task with a bare JSONDecodeError, and the records
    after it were never written."""
    from pipeline.runs import flush_run_records, run_record_spool, spool_run_record

    settings, client = store
    good = spool_run_record(settings, RunSummary(run_id="r-ok", started_at="2026-11-23T10:00:00+00:00").as_dict())
    cut = run_record_spool(settings) / "r-cut.json"
    cut.write_text('{"run_id": "r-cut", "started_at": "2026-11-2', encoding="utf-8")
    (run_record_spool(settings) / "r-list.json").write_text("[1, 2]", encoding="utf-8")
    with caplog.at_level("WARNING", logger="pipeline.runs"):
        assert flush_run_records(client, settings) == 1
    assert not good.exists() and not list(run_record_spool(settings).glob("*.json"))
    assert sorted(p.name for p in (run_record_spool(settings) / "damaged").iterdir()) == ["r-cut.json", "r-list.json"]
    assert "r-cut.json: not a readable run record (JSONDecodeError" in caplog.text
    runs = index_names(settings.es_index_prefix)["runs"]
    client.indices.refresh(index=runs)
    assert [h["_source"]["run_id"] for h in client.search(index=runs)["hits"]["hits"]] == ["r-ok"]

def test_made_up_http_statuses_add_no_field_per_status_to_the_runs_index(store):
    """Each fallback reason is a field of the runs index: 60 pages answering 600..659 added 60 fields in one run, and
    Elasticsearch refuses every record past 1,000 fields (the spooled one, written first, then blocks every later
    run's). Registered statuses keep their own field (hostile-input audit, fourth round)."""
    settings, client = store
    reasons = {f"http-{status}": 1 for status in range(600, 660)} | {"http-404": 2, "http-599": 1, "consent-wall": 1}
    write_run_record(client, settings, RunSummary(run_id="odd", fallback_reasons=reasons).as_dict())
    runs = index_names(settings.es_index_prefix)["runs"]
    mapping = next(iter(client.indices.get_mapping(index=runs).body.values()))["mappings"]["properties"]
    assert set(mapping["fallback_reasons"]["properties"]) == {"http-6xx", "http-404", "http-5xx", "consent-wall"}
    stored = client.get(index=runs, id="odd")["_source"]["fallback_reasons"]
    assert stored == {"http-6xx": 60, "http-404": 2, "http-5xx": 1, "consent-wall": 1}


def test_a_teaser_copy_collected_after_the_whole_story_in_one_run_does_not_replace_it(store):
    """Two copies of one story in one batch (the page and its paywalled AMP copy, which names the page as canonical):
    the last one collected was kept, so a new story could be stored as its 45-word teaser (hostile-input audit,
    fourth round). The whole story wins, whichever came last; a shorter rewrite still wins as before."""
    settings, client = store
    paragraphs = [f"Paragraphe {i}. Mistral AI signe avec la région un contrat de calcul que l'opposition juge trop "
                  "coûteux, sans appel d'offres." for i in range(10)]
    full = make_record("https://example.org/story", "\n".join(paragraphs), orgs={"Mistral AI": 0.0, "OVHcloud": 0.0})
    teaser = make_record("https://example.org/story", "\n".join(paragraphs[:3]) + "\nRéservé aux abonnés.",
                         orgs={"Mistral AI": 0.0})
    other = make_record("https://example.org/other", "\n".join(paragraphs))
    rewrite = make_record("https://example.org/other", "Version corrigée. " + "\n".join(paragraphs[:3]))
    stats = index_enriched(client, settings, [full, teaser, other, rewrite])
    assert stats.created == 2
    articles = index_names(settings.es_index_prefix)["articles"]
    stored = client.get(index=articles, id=full.article.id)["_source"]
    assert stored["text"] == full.article.text and stored["orgs"] == ["Mistral AI", "OVHcloud"]
    assert client.get(index=articles, id=other.article.id)["_source"]["text"] == rewrite.article.text


def test_a_paywalled_copy_with_its_own_lead_collected_after_the_whole_story_does_not_replace_it(store):
    """Fifth round: the paywalled AMP copy of a new story, opening with a rewritten standfirst, was stored as the story
    when collected last (the teaser rule compared opening words). A copy that says it is behind a paywall, with under
    half the words, loses to the whole story; an unpaywalled short copy still wins as before."""
    settings, client = store
    paragraphs = [f"Paragraphe {i}. Mistral AI signe avec la région un contrat de calcul que l'opposition juge trop "
                  "coûteux, sans appel d'offres." for i in range(10)]
    full = make_record("https://example.org/paid", "\n".join(paragraphs), orgs={"Mistral AI": 0.0, "OVHcloud": 0.0})
    teaser = make_record("https://example.org/paid", "Notre analyse du contrat. " + "\n".join(paragraphs[3:6]),
                         orgs={"Mistral AI": 0.0})
    teaser = teaser.model_copy(update={"article": teaser.article.model_copy(update={"paywalled": True})})
    stats = index_enriched(client, settings, [full, teaser])
    assert stats.created == 1
    stored = client.get(index=index_names(settings.es_index_prefix)["articles"], id=full.article.id)["_source"]
    assert stored["text"] == full.article.text and stored["orgs"] == ["Mistral AI", "OVHcloud"]


def test_ilm_policy_on_a_real_cluster(real_es_url):
    settings = load_settings()
    client = make_client(settings)
    report = ensure_setup(client, settings)
    assert report["ilm_available"] and report["ilm"]
    policy = client.ilm.get_lifecycle(name=report["ilm"])[report["ilm"]]["policy"]
    assert set(policy["phases"]) == {"hot", "delete"}


def test_stale_mentions_are_found_by_id_even_before_a_refresh(store):
    """A mention written a moment ago (not yet visible to search) is still deleted when its article changes."""
    settings, client = store
    names = index_names(settings.es_index_prefix)
    ensure_setup(client, settings)
    client.indices.put_settings(index=f"{names['mentions']}-*", settings={"index": {"refresh_interval": "-1"}})
    first = make_record("https://example.org/fresh", story(1), orgs={"Mistral AI": 0.2, "Nvidia": -0.3})
    index_enriched(client, settings, [first], refresh=False)
    changed = make_record("https://example.org/fresh", story(2), orgs={"Mistral AI": 0.5})
    stats = index_enriched(client, settings, [changed], refresh=False)
    assert (stats.updated, stats.mentions, stats.mentions_deleted) == (1, 1, 1)
    assert _count(client, names["mentions"]) == 1


def test_reenrichment_recreates_missing_aliases_instead_of_writing_plain_indices(store, tmp_path):
    from pipeline.orchestration import reenrich_recent

    settings, client = store
    names = index_names(settings.es_index_prefix)
    assert not client.indices.exists_alias(name=names["mentions"])

    class NoEnricher:  # never called: there is nothing to re-enrich in an empty store
        def warm_up(self):
            pass

        def enrich_many(self, inputs):
            raise AssertionError("nothing to enrich")

    import pendulum  # Airflow's data_interval_end: a pendulum DateTime (every scheduled run failed on it)

    reenrich_recent(days=30, force=True, settings=settings, enricher=NoEnricher(),
                    until=pendulum.datetime(2026, 11, 29, tz="UTC"))
    for kind in ("articles", "mentions"):
        assert client.indices.exists_alias(name=names[kind])  # an alias on a templated index, not a plain index
        assert list(client.indices.get_alias(name=names[kind])) == [f"{names[kind]}-000001"]


def test_reenrichment_to_a_language_without_a_tone_model_clears_the_article_tone(store):
    """Re-enrichment writes the new enrichment's fields over the stored ones: an article read as French (tone
    negative) and re-read as German (no tone model) kept its French tone, since the new enrichment stores none and a
    missing field left the old one, so `--tone negative` and tone alerts still took it for negative."""
    from pipeline.models import Enrichment, Entities, Sentiment
    from pipeline.orchestration import reenrich_recent

    settings, client = store
    names = index_names(settings.es_index_prefix)
    record = make_record("https://example.org/de", "Nvidia baut ein Rechenzentrum in Bayern.", orgs={"Nvidia": -0.6},
                         score=-0.6)
    index_enriched(client, settings, [record])

    class GermanEnricher:  # what the enricher gives a German page: companies, no tone
        def warm_up(self):
            pass

        def enrich_many(self, inputs):
            for item in inputs:
                yield Enrichment(id=item.id, lang="de", level="partial", orgs=["Nvidia"],
                                 entities=Entities(ORG=["Nvidia"]),
                                 sentiment=Sentiment(label="neutral", score=0.0), entity_sentiment={}, topics=[])

    reenrich_recent(days=30, force=True, settings=settings, enricher=GermanEnricher(),
                    until=datetime(2026, 11, 25, tzinfo=UTC))
    stored = client.get(index=names["articles"], id=record.article.id)["_source"]
    assert (stored["lang"], stored["enrichment_level"], stored.get("sentiment")) == ("de", "partial", None)
    assert client.count(index=names["articles"], query={"exists": {"field": "sentiment"}})["count"] == 0


def _reenriched(settings, client, article_id: str) -> tuple[dict, str | None, dict]:
    """A forced re-enrichment of the last day by a `ReadingEnricher`: its counts, the text it read for the article,
    and the article as stored after it."""
    from pipeline.orchestration import reenrich_recent

    model = ReadingEnricher()
    counts = reenrich_recent(days=1, force=True, settings=settings, enricher=model)
    stored = client.get(index=index_names(settings.es_index_prefix)["articles"], id=article_id)["_source"]
    return counts, model.read.get(article_id), stored


def _archived(settings, url: str, page: bytes, text: str, fetched: datetime):
    from pipeline.archive import WarcArchive

    with WarcArchive(settings.data_dir) as archive:
        warc_file, offset = archive.write_response(url, page, headers={"Content-Type": "text/html"}, fetched_at=fetched)
    record = make_record(url, text, title="Un titre", fetched=fetched)
    record.article.warc_file, record.article.warc_offset = warc_file, offset
    return record


def test_reenrichment_re_reads_a_thin_archived_page_as_ingest_read_it(store, shared_dir):
    """Re-enrichment re-extracted archived pages with a minimum of 1 word, so the second pass ingest makes for a page
    whose first reading is thin never ran: a corpus page stored with 94 words was re-enriched from 67 words of
    another block of the page (and that text then replaced the stored one); another, 34 of 178, was caught only
    because its reading was the start of the stored text."""
    from pipeline.extract import extract_article

    settings, client = store
    # a page whose first reading is 67 words: ingest's second pass adds its standfirst (94)
    page = (shared_dir / "corpus" / "pages-en"
            / "042bb7b5fedab6eac7db576522b89b93904c237d344bcbe14a6a5ab7f7335856.html").read_bytes()
    fetched = datetime.now(UTC)
    url = "https://games.example/which-platform"
    ingested = extract_article(page, url, fetched_at=fetched, min_words=settings.min_article_words).text
    record = _archived(settings, url, page, ingested, fetched)
    index_enriched(client, settings, [record])
    counts, read, stored = _reenriched(settings, client, record.article.id)
    assert (counts["reenriched"], counts["from_archive"], counts["errors"]) == (1, 1, 0), counts
    assert read == ingested and len(ingested.split()) > 90
    assert stored["text"] == ingested


def test_reenrichment_decodes_an_archived_page_with_the_charset_its_http_header_gave(store):
    """A page whose charset only its HTTP header gave (windows-1252, no <meta charset>) was re-read from the archive
    without it: « à Sète, près » came back « ŕ Sčte, prčs », which re-enrichment read and then stored as the text."""
    from pipeline.archive import WarcArchive
    from pipeline.extract import extract_article

    settings, client = store
    sentences = [f"L'été {n} à Sète, près de l'étang : où déjeuner, et à quel prix ? Ça dépend du marché." for n in
                 range(12)]
    page = (f"<html lang=\"fr\"><head><title>L'été à Sète</title></head><body><article><h1>L'été à Sète</h1>"
            f"<p>{' '.join(sentences)}</p></article></body></html>").encode("cp1252")
    url, fetched = "https://sete.example/ete", datetime.now(UTC)
    header = "text/html; charset=windows-1252"
    with WarcArchive(settings.data_dir) as archive:
        warc_file, offset = archive.write_response(url, page, headers={"Content-Type": header}, fetched_at=fetched)
    ingested = extract_article(page, url, fetched_at=fetched, charset="windows-1252",
                               min_words=settings.min_article_words).text
    assert "à Sète, près" in ingested
    record = make_record(url, ingested, title="L'été à Sète", fetched=fetched)
    record.article.warc_file, record.article.warc_offset = warc_file, offset
    index_enriched(client, settings, [record])
    counts, read, stored = _reenriched(settings, client, record.article.id)
    assert (counts["from_archive"], counts["errors"]) == (1, 0), counts
    assert read == ingested
    assert stored["text"] == ingested


def test_reenrichment_keeps_and_reads_the_stored_story_over_an_archived_page_re_read_to_under_half_of_it(store):
    """A re-reading of the archived page with under half the stored words is a lesser reading, never a better one
    (ingest keeps the stored text over such a page too): it was enriched, and stored in place of the story."""

    settings, client = store
    story_text = " ".join(f"Phrase {n} sur le cloud souverain et les centres de données." for n in range(30))
    page = (f"<html lang=\"fr\"><head><title>Un titre</title></head><body><article><h1>Un titre</h1>"
            f"<p>{story_text[:700]}</p></article></body></html>").encode()
    fetched = datetime.now(UTC)
    stored_text = "OVHcloud ouvre un site à Roubaix.\n\n" + story_text  # not the page's opening: no split story
    record = _archived(settings, "https://example.org/halved", page, stored_text, fetched)
    index_enriched(client, settings, [record])
    counts, read, stored = _reenriched(settings, client, record.article.id)
    assert (counts["from_archive"], counts["from_index"]) == (0, 1), counts
    assert read == stored_text
    assert stored["text"] == stored_text and stored["orgs"] == ["OVHcloud"]


def test_ilm_that_is_not_running_is_reported_and_rollover_still_checked(es_url, monkeypatch):
    """ILM present but STOPPED: the policy is installed, a note says indices will not roll over by policy, and the
    maintenance check fails loudly instead of treating ILM as working."""
    from pipeline.errors import NewsroomError
    from pipeline.orchestration import check_storage

    from _es_proxy import IlmProxy

    with IlmProxy(es_url, mode="STOPPED") as proxy:
        monkeypatch.setenv("NEWSROOM_ES_URL", proxy.url)
        settings = load_settings()
        client = make_client(settings)
        try:
            report = ensure_setup(client, settings)
            assert report["ilm_available"] and report["ilm_mode"] == "STOPPED"
            assert any("ILM is STOPPED" in note for note in report["notes"])
            assert any(call.startswith("PUT /_ilm/policy/") for call in proxy.ilm_calls)
            with pytest.raises(NewsroomError, match="ILM is STOPPED"):
                check_storage(settings)
            proxy.mode = "RUNNING"
            assert not any("ILM is" in note for note in ensure_setup(client, settings)["notes"])
        finally:
            drop_prefix(client, settings.es_index_prefix)


def _newsroom(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pipeline", *args], capture_output=True, text=True, timeout=120)


def test_a_half_written_data_file_stops_the_store_and_is_kept_untouched(isolated_settings):
    es_dir = isolated_settings / "es"
    es = EmbeddedStore(es_dir, port=free_port())
    client = make_client(load_settings().model_copy(update={"es_url": es.up()}))
    try:
        for n in range(20):
            client.index(index="newsroom-articles-000001", id=str(n), document={"text": story(n)})
    finally:
        es.down()  # noida-db saves its data file on the way down
    data_file = es_dir / "elasticsearch.json"  # where noida-db keeps every index
    whole = data_file.read_bytes()
    assert whole.lstrip().startswith(b"{") and len(whole) > 10_000
    data_file.write_bytes(whole[: len(whole) // 2])

    try:
        with pytest.raises(StoreError, match="half-written") as caught:
            EmbeddedStore(es_dir, port=free_port()).up()
        assert str(data_file) in str(caught.value) and "nothing was overwritten" in str(caught.value)
        status = _newsroom("store", "status")
        assert status.returncode == 1 and "Traceback" not in status.stderr
        assert str(data_file) in status.stdout and "damaged" in status.stdout
        setup = _newsroom("setup")
        assert setup.returncode == 1 and str(data_file) in setup.stderr and "Traceback" not in setup.stderr
        assert data_file.read_bytes() == whole[: len(whole) // 2]  # never overwritten
        assert not (es_dir / "newsroom-port").exists()
    finally:
        EmbeddedStore(es_dir).down()  # a store started on the damaged file (the bug) must not outlive the test


def test_a_data_directory_under_a_file_is_said_unreadable_not_a_damaged_data_file(tmp_path, monkeypatch):
    """`store status` called the data file "damaged or half-written" and said to restore it from a backup when it
    could not even be reached (NEWSROOM_DATA_DIR under a file; the same for a file it has no permission to read)."""
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    monkeypatch.setenv("NEWSROOM_DATA_DIR", str(blocker / "data"))
    monkeypatch.delenv("NEWSROOM_ES_URL", raising=False)
    monkeypatch.setenv("COLUMNS", "400")
    status = _newsroom("store", "status")
    assert status.returncode == 1 and "Traceback" not in status.stderr
    assert "elasticsearch.json cannot be read (Not a directory)" in status.stdout
    assert "damaged" not in status.stdout and "backup" not in status.stdout


def test_a_stale_port_file_never_adopts_a_stranger_answering_like_elasticsearch(isolated_settings):
    es_dir = isolated_settings / "es"
    es_dir.mkdir(parents=True)
    with ReplyServer("fake-es") as stranger:
        (es_dir / "newsroom-port").write_text(str(stranger.port))
        es = EmbeddedStore(es_dir)
        assert es.running_url() is None and es.status()["running"] is False
        try:
            url = es.up()
            assert url != stranger.url and is_standin(make_client(load_settings().model_copy(update={"es_url": url})))
        finally:
            es.down()
    assert stranger.requests == []  # nothing, not even GET /, went to the stranger


def test_a_server_that_is_not_elasticsearch_is_one_sentence_in_status_search_and_coverage(monkeypatch):
    with ReplyServer("fake-es") as stranger:
        monkeypatch.setenv("NEWSROOM_ES_URL", stranger.url)
        for args in (["store", "status"], ["search", "Mistral"], ["coverage", "--entity", "Mistral AI"]):
            result = _newsroom(*args)
            out = result.stdout + result.stderr
            assert "Traceback" not in out, out
            assert f"The store at {stranger.url}" in out and "not an Elasticsearch reply" in out, out
            assert result.returncode == 1, out  # `store status` too: a monitoring script must see the failure


def test_a_data_file_too_large_to_parse_is_still_checked_at_both_ends(tmp_path, monkeypatch):
    from pipeline.store import embedded

    monkeypatch.setattr(embedded, "FULL_PARSE_MAX", 16)  # as if the file were over 64 MB
    whole = json.dumps({"indices": {"a": {"docs": {str(n): {"text": story(n)} for n in range(5)}}}}) + "\n"
    (tmp_path / "elasticsearch.json").write_text(whole)
    assert embedded.data_file_problem(tmp_path) is None
    (tmp_path / "elasticsearch.json").write_text(whole[: len(whole) // 2])
    assert "does not start with { and end with }" in embedded.data_file_problem(tmp_path)
    (tmp_path / "elasticsearch.json").write_text("")
    assert embedded.data_file_problem(tmp_path) is None  # an empty file is an empty store


@pytest.mark.parametrize("content", ['{"fingerprint": ', "[1, 2]", '{"at": "x"}', "\x00\xff"])
def test_a_damaged_fingerprint_file_means_redo_everything_not_a_traceback(tmp_path, content, caplog):
    """`newsroom reenrich` crashed with JSONDecodeError / AttributeError on it, every week (red-team, operations)."""
    from pipeline.reenrich import _record_fingerprint, recorded_fingerprint

    marker = tmp_path / "state" / "enrichment-fingerprint.json"
    assert recorded_fingerprint(marker) is None  # no pass recorded yet
    marker.parent.mkdir()
    marker.write_text(content, encoding="utf-8", errors="surrogateescape")
    assert recorded_fingerprint(marker) is None and str(marker) in caplog.text
    _record_fingerprint(marker, {"fingerprint": "abc", "at": "2026-12-03T00:00:00+00:00"})
    assert recorded_fingerprint(marker) == "abc" and list(marker.parent.iterdir()) == [marker]  # no .part left


def test_thousands_of_articles_of_one_text_are_clustered_in_linear_time():
    """Every item of a feed with the same summary ("Lire la suite sur notre site"), or a site answering every link
    with the same page: each new article was compared with every earlier one of that text (the LSH returns them
    all), so 4,000 took 21 s of CPU, and every later run paid again for each one rebuilt from the store (hostile-input
    audit, ninth round). Copies of one text with a word changed in each all collide in the LSH likewise. One
    signature is looked up once, whatever number of articles share it, and a story's first 50 articles."""
    import time

    same = "Lire la suite de cet article sur notre site, réservé aux abonnés de Mistral Hebdo. " * 3
    wire = story(42, words=300)
    started = time.process_time()
    index = NearDuplicateIndex()
    index.assign("w0", wire)
    stored = index.assign_with_signature("s0", same)[1]
    for k in range(1, 3000):  # as `from_store` rebuilds the window's articles
        index.add(f"s{k}", stored, "s0")
    clusters = {index.assign(f"n{k}", same) for k in range(1000)}
    assert clusters == {"s0"} and index.assign("w1", wire + " Mis à jour à 14h.") == "w0"
    copies = {index.assign(f"c{k}", f"{wire} Dépêche n° {k}.") for k in range(2000)}  # a word changed in each
    assert copies == {"w0"} and index.assign("other", story(43, words=300)) == "other"
    assert time.process_time() - started < 5  # 1.4 s; 16.8 s before
