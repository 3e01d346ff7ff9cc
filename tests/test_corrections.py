"""Analysts' tone corrections end to end on the stand-in: set → coverage, mentions and alerts see it → re-indexing
and re-enrichment keep it → export in the gold format; and the evidence behind each tone in delivered alerts.

Receivers are real servers on 127.0.0.1 (aiosmtpd, pytest-httpserver); Elasticsearch is the stand-in.
"""

from __future__ import annotations

import json

import pytest

from pipeline.alerts import run_alerts
from pipeline.corrections import CORRECTED_SCORE, corrections_index, overlay, recent_corrections, set_tone
from pipeline.errors import NewsroomError
from pipeline.models import Sentiment
from pipeline.settings import load_settings
from pipeline.store.client import make_client
from pipeline.store.indexing import article_document, index_enriched, mention_documents
from pipeline.store.setup import ensure_setup
from pipeline.store.templates import CORRECTION_PROPERTIES, index_names
from _alerts_helpers import SmtpServer, alert_on_every_channel, smtp_env, write_rules
from _store_helpers import ReadingEnricher, drop_prefix, make_record, version1_article_mapping

TRIBUNE_FR = (
    "Tribune. L'alliance de Mistral AI avec Nvidia sur Mistral Compute est une vraie défaite pour l'autonomie "
    "technologique française. Arthur Mensch promettait l'indépendance ; la France hérite d'une dépendance de plus "
    "aux puces américaines, installée dans l'Essonne. Le règlement européen, l'AI Act, n'y change rien."
)
EVIDENCE = ["L'alliance de Mistral AI avec Nvidia sur Mistral Compute est une vraie défaite pour l'autonomie "
            "technologique française."]
SAP_EN = ("SAP and Mistral AI announced a partnership to bring sovereign AI models to European enterprises. "
          "Analysts welcomed the deal as a strong signal, with compliance built in from day one.")
URL = "https://presse.example.org/tribune-mistral"


def tribune(text: str = TRIBUNE_FR, mistral: float = 0.4, evidence: list[str] | None = None, nvidia: float = -0.3):
    """The op-ed as a model that got Mistral AI wrong (positive) would store it, with its evidence."""
    rec = make_record(URL, text, title="Mistral AI et Nvidia : une défaite pour l'autonomie",
                      orgs={"Mistral AI": mistral, "Nvidia": nvidia}, score=-0.5, lang="fr")
    tone = rec.enrichment.entity_sentiment["Mistral AI"]
    rec.enrichment.entity_sentiment["Mistral AI"] = Sentiment(label=tone.label, score=tone.score, confidence=0.62,
                                                              evidence=evidence if evidence is not None else EVIDENCE)
    return rec


def sap_mistral():
    return make_record("https://ledger.example.com/sap-mistral", SAP_EN, title="SAP teams up with Mistral AI",
                       orgs={"SAP": 0.6, "Mistral AI": 0.5}, score=0.5, lang="en", source="The Compute Ledger")


@pytest.fixture
def store(es_url, monkeypatch):
    monkeypatch.setenv("NEWSROOM_ANALYST", "alice")
    settings = load_settings()
    client = make_client(settings)
    ensure_setup(client, settings)
    yield settings, client
    drop_prefix(client, settings.es_index_prefix)


def index(store, records) -> None:
    settings, client = store
    stats = index_enriched(client, settings, records)
    assert stats.stored == len(records) and not stats.dead_letters


def stored_article(store, article_id: str) -> dict:
    settings, client = store
    alias = index_names(settings.es_index_prefix)["articles"]
    return client.search(index=alias, query={"ids": {"values": [article_id]}})["hits"]["hits"][0]["_source"]


def stored_mentions(store, article_id: str) -> dict[str, dict]:
    settings, client = store
    alias = index_names(settings.es_index_prefix)["mentions"]
    client.indices.refresh(index=alias)
    hits = client.search(index=alias, query={"term": {"article_id": article_id}})["hits"]["hits"]
    return {h["_source"]["company"]: h["_source"] for h in hits}


def company_tone(article: dict, company: str) -> dict:
    return next(e for e in article["company_sentiment"] if e["company"] == company)


# ------------------------------------------------------------------------------------------------------------
# Set, and what reads the stored tone sees it
# ------------------------------------------------------------------------------------------------------------


def test_setup_creates_a_strict_corrections_index(store):
    settings, client = store
    index_name = corrections_index(settings)
    mapping = client.indices.get_mapping(index=index_name)[index_name]["mappings"]
    assert mapping["dynamic"] == "strict" and set(mapping["properties"]) == set(CORRECTION_PROPERTIES)


def test_setup_teaches_indices_of_an_older_version_the_tone_fields(es_url):
    """Indices made before evidence and corrections existed are strict: setup adds the new fields to them."""
    from pipeline.store.templates import MENTION_PROPERTIES, first_index

    settings = load_settings()
    client = make_client(settings)
    names = index_names(settings.es_index_prefix)
    old_tone = {"properties": {"score": {"type": "float"}, "label": {"type": "keyword"}}}
    try:
        # articles as version 1 made them (no phrase analyser: it came with version 2), before the tone's evidence
        for kind, props in (("articles", version1_article_mapping()["properties"]), ("mentions", MENTION_PROPERTIES)):
            old = {**props, "sentiment": old_tone}
            if kind == "articles":
                old["company_sentiment"] = {"type": "nested", "properties": {"company": {"type": "keyword"},
                                                                             **old_tone["properties"]}}
            else:
                old["article_sentiment"] = old_tone
            client.indices.create(index=first_index(names[kind]), mappings={"dynamic": "strict", "properties": old},
                                  aliases={names[kind]: {"is_write_index": True}})
        report = ensure_setup(client, settings)
        assert names["articles"] in report["existing"] and names["corrections"] in report["created"]
        rec = tribune()
        assert index_enriched(client, settings, [rec]).created == 1  # evidence and confidence now accepted
        set_tone(client, settings, rec.article.id, "negative", company="Mistral AI", analyst="alice")
        tone = company_tone(stored_article((settings, client), rec.article.id), "Mistral AI")
        assert tone["corrected"] is True and tone["evidence"] == EVIDENCE
    finally:
        drop_prefix(client, settings.es_index_prefix)


def test_company_correction_applies_at_once_to_article_mentions_and_coverage(store):
    from pipeline.coverage import coverage

    settings, client = store
    rec = tribune()
    index(store, [rec])
    # the 12 characters search prints are enough
    fix = set_tone(client, settings, rec.article.id[:12], "negative", company="mistral ai", note="the verdict wins")
    assert (fix.company, fix.old_label, fix.model_label, fix.label, fix.analyst) == (
        "Mistral AI", "positive", "positive", "negative", "alice")

    article = stored_article(store, rec.article.id)
    tone = company_tone(article, "Mistral AI")
    assert tone["label"] == "negative" and tone["score"] == CORRECTED_SCORE["negative"]
    assert tone["corrected"] is True and tone["model_label"] == "positive" and tone["corrected_by"] == "alice"
    assert tone["evidence"] == EVIDENCE and tone["confidence"] == 0.62  # the model's reasons stay visible
    assert company_tone(article, "Nvidia") == {"company": "Nvidia", "score": -0.3, "label": "negative"}
    assert article["sentiment"]["label"] == "negative" and "corrected" not in article["sentiment"]

    mentions = stored_mentions(store, rec.article.id)
    assert mentions["Mistral AI"]["sentiment"]["label"] == "negative"
    assert mentions["Mistral AI"]["sentiment"]["corrected"] is True
    assert "corrected" not in mentions["Nvidia"]["sentiment"]

    cov = coverage(client, settings, ["Mistral AI"], interval="day", since="2026-11-01", until="2026-11-30")
    assert cov["totals"]["Mistral AI"]["sentiment"] == CORRECTED_SCORE["negative"]

    client.indices.refresh(index=corrections_index(settings))
    (recorded,) = recent_corrections(client, settings)
    assert recorded.note == "the verdict wins" and recorded.corrected_at == fix.corrected_at
    assert recorded.title == rec.article.title and recorded.target == "company"


def test_an_article_stored_with_odd_field_shapes_takes_a_correction(store, tmp_path):
    """An article written by an older version or another tool with a title array and one `company_sentiment`
    object (Elasticsearch keeps both) made `tone set` a traceback: AttributeError, or pydantic's "title: Input should
    be a valid string"."""
    from pipeline.corrections import export_gold

    settings, client = store
    rec = tribune()
    index(store, [rec])
    alias = index_names(settings.es_index_prefix)["articles"]
    [hit] = client.search(index=alias, query={"ids": {"values": [rec.article.id]}})["hits"]["hits"]
    odd = dict(hit["_source"], title=["Un titre ancien", "second"],
               company_sentiment={"company": "Mistral AI", "label": "positive", "score": "0.4"})
    client.index(index=hit["_index"], id=hit["_id"], document=odd, refresh=True)
    fix = set_tone(client, settings, rec.article.id, "negative", company="mistral")
    assert (fix.old_label, fix.title) == ("positive", "Un titre ancien")
    tone = company_tone(stored_article(store, rec.article.id), "Mistral AI")
    assert tone["label"] == "negative" and tone["corrected"] is True and tone["model_label"] == "positive"
    client.indices.refresh(index=corrections_index(settings))
    export_gold(client, settings, tmp_path / "corrections.jsonl")
    [line] = (tmp_path / "corrections.jsonl").read_text().splitlines()
    assert json.loads(line)["entity_sentiment"]["Mistral AI"] == "negative"


def test_document_correction_reaches_mentions_without_a_company_tone(store):
    settings, client = store
    rec = sap_mistral()
    del rec.enrichment.entity_sentiment["SAP"]  # no tone measured toward SAP: the article's stands in
    index(store, [rec])
    fix = set_tone(client, settings, rec.article.id, "neutral", note="plain news")
    assert (fix.target, fix.old_label, fix.label) == ("document", "positive", "neutral")
    article = stored_article(store, rec.article.id)
    assert article["sentiment"] == {"score": 0.0, "label": "neutral", "corrected": True, "model_label": "positive",
                                    "corrected_by": "alice"}
    mentions = stored_mentions(store, rec.article.id)
    assert mentions["SAP"]["sentiment"]["label"] == "neutral" and mentions["SAP"]["sentiment"]["corrected"] is True
    assert mentions["Mistral AI"]["sentiment"]["label"] == "positive"  # its own tone is not the article's
    assert all(m["article_sentiment"]["label"] == "neutral" for m in mentions.values())


def test_company_without_a_measured_tone_gets_the_analysts(store):
    settings, client = store
    rec = sap_mistral()
    del rec.enrichment.entity_sentiment["SAP"]  # the article's tone (positive) stood in for SAP
    index(store, [rec])
    fix = set_tone(client, settings, rec.article.id, "negative", company="sap")
    assert (fix.company, fix.old_label, fix.model_label) == ("SAP", "positive", "positive")
    article = stored_article(store, rec.article.id)
    assert company_tone(article, "SAP") == {"company": "SAP", "score": -0.5, "label": "negative", "corrected": True,
                                            "model_label": "positive", "corrected_by": "alice"}
    assert article["sentiment"]["label"] == "positive" and "corrected" not in article["sentiment"]
    assert stored_mentions(store, rec.article.id)["SAP"]["sentiment"]["label"] == "negative"


def test_second_correction_wins_and_keeps_the_model_label(store):
    settings, client = store
    rec = tribune()
    index(store, [rec])
    set_tone(client, settings, rec.article.id, "negative", company="Mistral AI")
    fix = set_tone(client, settings, rec.article.id, "neutral", company="Mistral AI", analyst="bob")
    assert (fix.old_label, fix.model_label) == ("negative", "positive")
    tone = company_tone(stored_article(store, rec.article.id), "Mistral AI")
    assert (tone["label"], tone["score"], tone["model_label"], tone["corrected_by"]) == ("neutral", 0.0, "positive",
                                                                                        "bob")
    client.indices.refresh(index=corrections_index(settings))
    assert [c.analyst for c in recent_corrections(client, settings)] == ["bob", "alice"]  # history kept


def test_two_analysts_correcting_one_article_at_once_both_apply(store, monkeypatch):
    """alice corrects Mistral AI while bob corrects Nvidia on the same article: each wrote the article and its mentions
    from what it had read before the other's write, so the later write put back the tone the other had just
    corrected (both corrections recorded, one of them no longer applied until the article was written again)."""
    import pipeline.corrections as corrections

    settings, client = store
    rec = tribune()
    index(store, [rec])
    real, calls = corrections.load_corrections, []

    def bob_meanwhile(*args, **kwargs):
        found = real(*args, **kwargs)  # alice's apply has read the corrections...
        calls.append(1)
        if len(calls) == 1:  # ...when bob's correction is recorded and applied, before alice writes
            set_tone(client, settings, rec.article.id, "neutral", company="Nvidia", analyst="bob")
        return found

    monkeypatch.setattr(corrections, "load_corrections", bob_meanwhile)
    set_tone(client, settings, rec.article.id, "negative", company="Mistral AI", analyst="alice")
    assert len(calls) == 3  # alice's, bob's, and alice's again: her write was refused over bob's and read again
    article = stored_article(store, rec.article.id)
    assert company_tone(article, "Mistral AI")["label"] == "negative"
    assert company_tone(article, "Nvidia")["label"] == "neutral"
    mentions = stored_mentions(store, rec.article.id)
    assert {company: m["sentiment"]["label"] for company, m in mentions.items()} == {"Mistral AI": "negative",
                                                                                     "Nvidia": "neutral"}


@pytest.mark.parametrize(("article", "label", "company", "expected"), [
    ("nope", "negative", "Mistral AI", "'nope' is not an article id"),
    ("abcdef123456", "negative", "Mistral AI", "No article with an id starting with 'abcdef123456'"),
    (None, "awful", "Mistral AI", "Tone label: unknown tone 'awful'; use positive, neutral or negative (or positif, "
                                  "neutre, négatif)."),
    (None, "negative", "Acme Widgets", "'Acme Widgets' is not a watched company"),
    (None, "negative", "OVHcloud", "does not mention OVHcloud (it mentions: Mistral AI, Nvidia)"),
])
def test_bad_corrections_are_refused_with_a_sentence(store, article, label, company, expected):
    settings, client = store
    rec = tribune()
    index(store, [rec])
    with pytest.raises(NewsroomError, match=expected.replace("(", r"\(").replace(")", r"\)")):
        set_tone(client, settings, article or rec.article.id, label, company=company)
    client.indices.refresh(index=corrections_index(settings))
    assert recent_corrections(client, settings) == []


@pytest.mark.parametrize("typed", ["négatif", "Negatif", "NÉGATIF", " negative "])
def test_tone_set_reads_the_french_labels_as_tone_does_elsewhere(store, typed, capsys):
    """`newsroom tone set ID négatif` was refused ("not one of negative, neutral, positive") while `search --tone
    négatif` and `mentions --tone négatif` were read: a French analyst's label is the stored English one."""
    from pipeline.cli import main

    settings, client = store
    rec = tribune()
    index(store, [rec])
    main(["tone", "set", rec.article.id[:12], typed, "--company", "mistral"])
    assert "Mistral AI: positive → negative" in capsys.readouterr().out
    fix = set_tone(client, settings, rec.article.id, "Neutre")
    assert (fix.label, fix.target) == ("neutral", "document")
    assert company_tone(stored_article(store, rec.article.id), "Mistral AI")["label"] == "negative"


def test_cli_set_list_export(store, tmp_path, capsys):
    from pipeline.cli import main

    settings, client = store
    rec = tribune()
    index(store, [rec])
    main(["tone", "set", rec.article.id, "--company", "Mistral AI", "negative", "--note", "le verdict [/b] compte"])
    assert "Mistral AI: positive → negative" in capsys.readouterr().out
    main(["tone", "list"])
    out = capsys.readouterr().out
    assert "alice" in out and "positive → negative" in out and "[/b]" in out  # rich markup in a note is inert
    from zoneinfo import ZoneInfo

    (fix,) = recent_corrections(client, settings)  # printed in NEWSROOM_TIMEZONE (Europe/Paris), with the zone
    local = fix.corrected_at.astimezone(ZoneInfo("Europe/Paris"))
    assert f"{local:%Y-%m-%d %H:%M %Z}  alice" in out and " UTC " not in out
    main(["tone", "export", "--output", str(tmp_path / "corrections.jsonl")])
    assert "1 corrected article(s)" in capsys.readouterr().out


def test_arguments_that_are_not_utf8_reach_the_store_as_replacement_characters(store, capsys):
    """« très négatif » typed in a Latin-1 terminal reaches Python as 'tr\\udce8s n\\udce9gatif': the client sent
    it as invalid UTF-8 and the store refused the whole request, so `tone set --note` and `search` failed with a
    sentence blaming Elasticsearch ("400: Failed to parse content to map")."""
    from pipeline.cli import main

    settings, client = store
    rec = tribune()
    index(store, [rec])
    main(["tone", "set", rec.article.id, "--document", "negative", "--note", "tr\udce8s n\udce9gatif"])
    (fix,) = recent_corrections(client, settings)
    assert fix.note == "tr\ufffds n\ufffdgatif" and fix.label == "negative"
    main(["search", "Mistral n\udce9gatif"])
    assert "article(s) match" in capsys.readouterr().out


def three_corrections(store):
    """The op-ed and the SAP story stored, with three corrections: two on the op-ed (Mistral AI, Nvidia), one on the
    SAP story (SAP); returns both records (op-ed first)."""
    settings, client = store
    rec, other = tribune(), sap_mistral()
    index(store, [rec, other])
    set_tone(client, settings, rec.article.id, "negative", company="Mistral AI")
    set_tone(client, settings, rec.article.id, "neutral", company="Nvidia")
    set_tone(client, settings, other.article.id, "negative", company="SAP")
    return rec, other


def test_tone_list_takes_the_short_ids_search_prints_and_refuses_unknown_ones(store, capsys):
    from pipeline.cli import main

    rec, other = three_corrections(store)
    main(["tone", "list", "--article-id", rec.article.id[:12]])
    out = capsys.readouterr().out
    assert "2 tone correction(s)" in out and other.article.id not in out
    main(["tone", "list", "--article-id", rec.article.id.upper()])
    assert "2 tone correction(s)" in capsys.readouterr().out
    for typed, message in (("0000abcd", "No article with an id starting with '0000abcd'"),
                           ("zzzz", "'zzzz' is not an article id"),
                           # the store refused a prefix this long (400), and its error was printed
                           ("a" * 5000, "'" + "a" * 69 + "…' is not an article id: ids are at most 64")):
        with pytest.raises(SystemExit) as exc:
            main(["tone", "list", "--article-id", typed])
        assert exc.value.code == 1 and message in capsys.readouterr().err
    with pytest.raises(SystemExit) as exc:
        main(["tone", "set", rec.article.id, "negative"])
    assert exc.value.code == 1 and "exactly one of --company NAME or --document" in capsys.readouterr().err
    for limit in ("0", "-1", "100000"):  # checked before the store answers 400
        with pytest.raises(SystemExit) as exc:
            main(["tone", "list", "--limit", limit])
        assert exc.value.code == 2 and "--limit" in capsys.readouterr().err


def test_tone_list_says_how_many_corrections_there_are_beside_the_latest_it_lists(store, capsys):
    """`tone list` showed the latest 50 as "50 tone correction(s)" of a store holding 12,000 (measured on the
    stand-in): the count in all comes first, as `mentions` gives it, and each JSON row carries it."""
    from pipeline.cli import main

    rec, _ = three_corrections(store)
    main(["tone", "list", "--limit", "2"])
    out = capsys.readouterr().out
    assert "3 tone correction(s); the latest 2, newest first" in out and "SAP" in out and "Nvidia" in out
    main(["tone", "list", "--limit", "2", "--json"])
    rows = json.loads(capsys.readouterr().out)
    assert len(rows) == 2 and {row["total"] for row in rows} == {3}
    main(["tone", "list", "--article-id", rec.article.id[:12], "--limit", "1"])
    assert "2 tone correction(s); the latest 1, newest first" in capsys.readouterr().out
    main(["tone", "list"])  # all of them listed: the count alone, as before
    assert "3 tone correction(s), newest first" in capsys.readouterr().out


# ------------------------------------------------------------------------------------------------------------
# Re-indexing and re-enrichment keep it
# ------------------------------------------------------------------------------------------------------------


def test_correction_survives_a_changed_page_being_reindexed(store):
    settings, client = store
    rec = tribune()
    index(store, [rec])
    set_tone(client, settings, rec.article.id, "negative", company="Mistral AI")
    changed = tribune(TRIBUNE_FR + " Mise à jour : Mistral AI n'a pas répondu.", mistral=0.3)
    stats = index_enriched(client, settings, [changed])
    assert stats.updated == 1
    article = stored_article(store, rec.article.id)
    tone = company_tone(article, "Mistral AI")
    assert article["content_hash"] == changed.article.content_hash
    assert (tone["label"], tone["corrected"], tone["model_label"]) == ("negative", True, "positive")
    assert stored_mentions(store, rec.article.id)["Mistral AI"]["sentiment"]["label"] == "negative"


@pytest.mark.slow
def test_correction_survives_reenrichment_with_the_real_enricher(store):
    from pipeline import orchestration
    from pipeline.enrich import Enricher

    settings, client = store
    rec = tribune()
    index(store, [rec])
    model = orchestration.reenrich_recent(days=1, force=True, settings=settings, enricher=Enricher(settings))
    assert model["reenriched"] == 1 and model["errors"] == 0
    fresh = company_tone(stored_article(store, rec.article.id), "Mistral AI")["label"]
    wanted = "positive" if fresh != "positive" else "negative"  # whatever the model says, the analyst differs
    set_tone(client, settings, rec.article.id, wanted, company="Mistral AI")
    again = orchestration.reenrich_recent(days=1, force=True, settings=settings, enricher=Enricher(settings))
    assert again["reenriched"] == 1 and again["errors"] == 0
    tone = company_tone(stored_article(store, rec.article.id), "Mistral AI")
    assert (tone["label"], tone["corrected"], tone["model_label"]) == (wanted, True, fresh)
    mention = stored_mentions(store, rec.article.id)["Mistral AI"]
    assert mention["sentiment"]["label"] == wanted and mention["run_id"] == "reenrich"


@pytest.mark.slow
@pytest.mark.parametrize("days", [999_999_999, 10**20])
def test_reenriching_further_back_than_any_article_reenriches_them_all(store, days):
    """`reenrich --days 999999999` (or such a DAG param) ended in a bare OverflowError once the models had loaded:
    a reach before any article means all of them."""
    from pipeline import orchestration
    from pipeline.enrich import Enricher

    settings, _ = store
    index(store, [tribune()])
    counts = orchestration.reenrich_recent(days=days, force=True, settings=settings, enricher=Enricher(settings))
    assert counts["reenriched"] == 1 and counts["errors"] == 0


def test_export_after_reenrichment_gives_each_correction_once_on_the_text_the_new_enrichment_read(store, tmp_path,
                                                                                                 capsys):
    """`tone export` after `newsroom reenrich`: every correction once, with the analyst's label, note and the model's
    label as recorded at the time, on the article's current text. Re-enrichment re-extracts an archived page (an
    extraction change drops a « Lire aussi » line naming Nvidia) and enriched that text, but kept the old one stored:
    the gold line paired the old text, Nvidia in it, with labels read without Nvidia, and search still found it."""
    from datetime import UTC, datetime

    from pipeline import orchestration
    from pipeline.archive import WarcArchive
    from pipeline.cli import main
    from pipeline.extract import extract_article

    settings, client = store
    more = ("Les administrations cherchent des hébergeurs qualifiés pour leurs données sensibles, et les élus "
            "demandent des garanties sur la localisation des serveurs comme sur le droit applicable aux contrats. ")
    page = (f"<html lang=\"fr\"><head><title>Mistral AI, une défaite</title></head><body><article>"
            f"<h1>Mistral AI, une défaite</h1><p>{TRIBUNE_FR.replace(' avec Nvidia', '')}</p><p>{more * 2}</p>"
            "</article></body></html>")  # past ingest's 80 words, as a stored page is
    fetched = datetime.now(UTC)
    with WarcArchive(settings.data_dir) as archive:
        warc_file, offset = archive.write_response(URL, page.encode(), headers={"Content-Type": "text/html"},
                                                   fetched_at=fetched)
    now_read = extract_article(page.encode(), URL, fetched_at=fetched, min_words=1).text
    old_text = "Lire aussi : Nvidia présente ses nouvelles puces.\n\n" + now_read  # what an older extraction kept
    rec = tribune(old_text)
    rec.article.warc_file, rec.article.warc_offset, rec.article.fetched_at = warc_file, offset, fetched
    rec.article.title = "Mistral AI, une défaite"
    other = sap_mistral()
    other.article.fetched_at = fetched
    index(store, [rec, other])
    set_tone(client, settings, rec.article.id, "negative", company="Mistral AI", note="le verdict compte")
    set_tone(client, settings, rec.article.id, "negative", analyst="bob", note="la tribune conclut ainsi")
    set_tone(client, settings, other.article.id, "neutral", company="SAP", analyst="bob")

    # a retrained model: Mistral AI read neutral; companies are those the text it is given names
    model = ReadingEnricher(names=("SAP", "Mistral AI", "Nvidia"), topics=("ai",))
    for _ in range(2):  # the weekly pass, twice: nothing is doubled
        counts = orchestration.reenrich_recent(days=1, force=True, settings=settings, enricher=model)
        assert (counts["reenriched"], counts["from_archive"], counts["errors"]) == (2, 1, 0), counts
    assert model.read[rec.article.id] == now_read
    stored = stored_article(store, rec.article.id)
    assert stored["text"] == now_read and stored["orgs"] == ["Mistral AI"]  # the text its enrichment read
    assert stored_article(store, other.article.id)["text"] == SAP_EN  # not archived: the stored text, read as is
    capsys.readouterr()
    main(["search", "Nvidia", "--json"])
    assert rec.article.id not in capsys.readouterr().out  # nor found by a word it no longer holds
    main(["tone", "export", "--output", str(tmp_path / "corrections.jsonl")])
    assert "2 corrected article(s) (3 correction(s))" in capsys.readouterr().out
    lines = [json.loads(row) for row in (tmp_path / "corrections.jsonl").read_text(encoding="utf-8").splitlines()]
    assert sorted(line["id"] for line in lines) == sorted(f"newsroom-{r.article.id}" for r in (rec, other))
    gold = next(line for line in lines if line["id"] == f"newsroom-{rec.article.id}")
    assert gold["text"] == now_read and "Nvidia" not in gold["text"]
    assert (gold["orgs"], gold["entity_sentiment"], gold["sentiment"]) == (["Mistral AI"], {"Mistral AI": "negative"},
                                                                           "negative")
    assert gold["notes"] == ("Analyst correction(s): alice (Mistral AI: model said positive → negative): le verdict "
                             "compte; bob (document: model said negative → negative): la tribune conclut ainsi")
    sap = next(line for line in lines if line["id"] == f"newsroom-{other.article.id}")
    assert sap["entity_sentiment"] == {"SAP": "neutral", "Mistral AI": "neutral"} and sap["text"] == SAP_EN


def test_the_latest_correction_is_applied_past_10000_recorded_ones(store):
    """The corrections of the articles being written were read by one search of at most 10,000 hits, oldest first:
    past that, the latest ones, which decide, were left out, so `tone set` and a re-indexed article applied a label
    an analyst had since corrected (measured on the stand-in with 12,001 corrections of 8 articles: all 8 wrong)."""
    from datetime import UTC, datetime, timedelta

    from elasticsearch import helpers

    from pipeline.corrections import Correction

    settings, client = store
    rec = tribune()
    index(store, [rec])
    start = datetime(2026, 11, 1, tzinfo=UTC)
    old = (Correction(article_id=rec.article.id, target="document", label="positive", old_label="negative",
                      model_label="negative", analyst="bot", corrected_at=start + timedelta(seconds=n))
           for n in range(10_050))
    helpers.bulk(client, ({"_index": corrections_index(settings), "_id": f"old-{n}",
                           "_source": fix.model_dump(mode="json", exclude_none=True)} for n, fix in enumerate(old)),
                 refresh=True)
    set_tone(client, settings, rec.article.id, "negative", note="the verdict wins")
    assert stored_article(store, rec.article.id)["sentiment"]["label"] == "negative"
    changed = tribune(TRIBUNE_FR + " Mise à jour.")
    assert index_enriched(client, settings, [changed]).updated == 1
    assert stored_article(store, rec.article.id)["sentiment"]["label"] == "negative"
    assert stored_mentions(store, rec.article.id)["Mistral AI"]["article_sentiment"]["label"] == "negative"


def test_overlay_ignores_a_company_the_new_version_no_longer_mentions():
    from datetime import UTC, datetime

    from pipeline.corrections import Correction

    rec = make_record(URL, TRIBUNE_FR, orgs={"Nvidia": -0.3}, score=-0.5)
    doc, mentions = article_document(rec), mention_documents(rec)
    before = json.dumps([doc, mentions], sort_keys=True)
    overlay(doc, mentions, [Correction(article_id=rec.article.id, target="company", company="Mistral AI",
                                       label="negative", analyst="alice", corrected_at=datetime.now(UTC))])
    assert json.dumps([doc, mentions], sort_keys=True) == before


# ------------------------------------------------------------------------------------------------------------
# Export in the gold format
# ------------------------------------------------------------------------------------------------------------


def test_export_writes_the_gold_format_from_the_stored_article(store, tmp_path):
    from pipeline.corrections import export_gold

    settings, client = store
    rec, other = tribune(), sap_mistral()
    index(store, [rec, other])
    set_tone(client, settings, rec.article.id, "negative", company="Mistral AI", note="the verdict wins")
    set_tone(client, settings, rec.article.id, "negative", company="Mistral AI")  # the same label again, no note
    set_tone(client, settings, other.article.id, "neutral")
    summary = export_gold(client, settings, tmp_path / "corrections.jsonl")
    assert summary == {"output": str(tmp_path / "corrections.jsonl"), "articles": 2, "corrections": 3,
                       "missing_articles": 0, "unread_articles": 0}
    from benchmarks.eval_enrich import read_gold

    lines = read_gold(tmp_path / "corrections.jsonl")  # what `make eval` / training read
    by_id = {line["id"]: line for line in lines}
    gold = by_id[f"newsroom-{rec.article.id}"]
    assert {"id", "lang", "title", "text", "orgs", "persons", "places", "sentiment", "entity_sentiment",
            "phenomena", "notes"} <= set(gold)
    assert gold["text"] == TRIBUNE_FR and gold["lang"] == "fr" and gold["title"] == rec.article.title
    assert gold["orgs"] == ["Mistral AI", "Nvidia"] and gold["persons"] == ["Arthur Mensch"]
    assert gold["entity_sentiment"] == {"Mistral AI": "negative", "Nvidia": "negative"}
    assert gold["sentiment"] == "negative" and gold["corrected"] == ["Mistral AI"]
    # the change from the model's label and the reason, though the latest correction repeated the label without one
    assert gold["notes"] == "Analyst correction(s): alice (Mistral AI: model said positive → negative): the verdict wins"
    doc_fix = by_id[f"newsroom-{other.article.id}"]
    assert doc_fix["sentiment"] == "neutral" and doc_fix["corrected"] == ["document"]
    assert doc_fix["entity_sentiment"] == {"SAP": "positive", "Mistral AI": "positive"}


# ------------------------------------------------------------------------------------------------------------
# Alerts: once per rule, newly matching fires once, evidence in the message
# ------------------------------------------------------------------------------------------------------------


def test_an_article_whose_tone_was_never_read_is_exported_once_its_document_tone_is_given(store, tmp_path):
    """A German article (no tone model) was stored with a placeholder `neutral 0.0` article tone, and a correction of
    the tone toward a company exported it with that neutral as the document's gold label, a label nobody read. Its
    tone is now absent: the line is left out, said in the summary, until an analyst gives the document tone."""
    from pipeline.corrections import export_gold
    from pipeline.models import Enrichment

    settings, client = store
    german = make_record("https://presse.example.org/de", "Nvidia baut ein Rechenzentrum in Bayern.", lang="de",
                         title="Nvidia baut", orgs={"Nvidia": 0.0})
    german = german.model_copy(update={"enrichment": Enrichment(**{**german.enrichment.model_dump(),
                                                                   "level": "partial", "entity_sentiment": {}})})
    index(store, [german])
    fix = set_tone(client, settings, german.article.id, "positive", company="Nvidia")
    assert (fix.old_label, fix.model_label) == (None, None)  # nothing was read, not "neutral"
    summary = export_gold(client, settings, tmp_path / "corrections.jsonl")
    assert (summary["articles"], summary["unread_articles"], summary["missing_articles"]) == (0, 1, 0)
    assert (tmp_path / "corrections.jsonl").read_text(encoding="utf-8") == ""
    set_tone(client, settings, german.article.id, "negative")
    summary = export_gold(client, settings, tmp_path / "corrections.jsonl")
    assert (summary["articles"], summary["unread_articles"]) == (1, 0)
    (line,) = [json.loads(row) for row in (tmp_path / "corrections.jsonl").read_text(encoding="utf-8").splitlines()]
    assert line["sentiment"] == "negative" and line["entity_sentiment"] == {"Nvidia": "positive"}
    assert "model said nothing (not read) → negative" in line["notes"], line["notes"]


def test_an_export_that_fails_midway_keeps_the_previous_file(store, tmp_path, monkeypatch):
    """`tone export --output` wrote in place: an error after part of the file (a disk full, a Ctrl-C) left the
    earlier corrections.jsonl cut short. Now it is written whole or not at all, and no temp file is left."""
    import pipeline.corrections as corrections

    settings, client = store
    rec, other = tribune(), sap_mistral()
    index(store, [rec, other])
    set_tone(client, settings, rec.article.id, "negative", company="Mistral AI")
    set_tone(client, settings, other.article.id, "neutral")
    output = tmp_path / "corrections.jsonl"
    output.write_text('{"id": "the previous export"}\n', encoding="utf-8")
    real, calls = corrections.gold_record, []

    def second_fails(*args):
        calls.append(args)
        if len(calls) == 2:  # the first line is written
            raise OSError(28, "No space left on device")
        return real(*args)

    monkeypatch.setattr(corrections, "gold_record", second_fails)
    with pytest.raises(OSError, match="No space left"):
        corrections.export_gold(client, settings, output)
    assert output.read_text(encoding="utf-8") == '{"id": "the previous export"}\n'
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corrections.jsonl"]


def email_rule(name: str, **match) -> dict:
    return {"name": name, **match, "channels": [{"type": "email", "to": ["desk@example.org"]}]}


def test_correction_makes_a_rule_newly_match_and_it_fires_once_with_the_correction(store, tmp_path, monkeypatch):
    settings, client = store
    rec = sap_mistral()
    index(store, [rec])
    rules = write_rules(tmp_path / "alerts.yaml", [
        email_rule("negative coverage of Mistral AI", companies=["Mistral AI"], max_sentiment=-0.1)])
    with SmtpServer() as smtp:
        smtp_env(monkeypatch, smtp)
        before = run_alerts(load_settings(), client, rules_file=rules)
        set_tone(client, settings, rec.article.id, "negative", company="Mistral AI", note="sarcastic")
        after = run_alerts(load_settings(), client, rules_file=rules)
        again = run_alerts(load_settings(), client, rules_file=rules)
    assert before["matched"] == 0 and after["sent"] == 1 and again["sent"] == 0
    assert len(smtp.sink.messages) == 1
    plain, html = smtp.sink.bodies()[0]
    assert "Mistral AI: negative -0.50 (corrected by alice; model said positive)" in plain
    assert "corrected by alice; model said positive" in html


def test_corrected_article_is_not_alerted_twice_for_the_same_rule(store, tmp_path, monkeypatch):
    settings, client = store
    rec = tribune(mistral=-0.6, nvidia=0.2)
    index(store, [rec])
    rules = write_rules(tmp_path / "alerts.yaml", [
        email_rule("negative coverage of Mistral AI", companies=["Mistral AI"], max_sentiment=-0.1),
        email_rule("negative coverage of Nvidia", companies=["Nvidia"], max_sentiment=-0.1)])
    with SmtpServer() as smtp:
        smtp_env(monkeypatch, smtp)
        first = run_alerts(load_settings(), client, rules_file=rules)
        # The analyst confirms Mistral AI and makes Nvidia clearly negative: pending again for both rules.
        set_tone(client, settings, rec.article.id, "negative", company="Mistral AI")
        set_tone(client, settings, rec.article.id, "negative", company="Nvidia")
        second = run_alerts(load_settings(), client, rules_file=rules)
    assert first["per_rule"]["negative coverage of Mistral AI"]["sent"] == 1
    assert first["per_rule"]["negative coverage of Nvidia"]["matched"] == 0  # the model said positive
    assert second["per_rule"]["negative coverage of Mistral AI"]["matched"] == 1
    assert second["per_rule"]["negative coverage of Mistral AI"]["sent"] == 0  # already alerted for this rule
    assert second["per_rule"]["negative coverage of Nvidia"]["sent"] == 1  # newly matching: fires once
    assert len(smtp.sink.messages) == 2


HOSTILE = "Une « défaite » <script>alert(1)</script> <!channel> [/b] & co"


def test_evidence_and_confidence_in_email_slack_and_webhook(store, tmp_path, monkeypatch, httpserver):
    settings, client = store
    rec = tribune(mistral=-0.6, evidence=[EVIDENCE[0], HOSTILE])
    index(store, [rec])
    plain, html = alert_on_every_channel(client, tmp_path, monkeypatch, httpserver)
    assert "Mistral AI: negative -0.60, confidence 0.62" in plain
    assert f"“{EVIDENCE[0]}”" in plain and HOSTILE in plain
    assert EVIDENCE[0].replace("'", "&#x27;") in html
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    by_path = {request.path: json.loads(request.data) for request, _ in httpserver.log}
    slack = by_path["/slack"]["blocks"][1]["text"]["text"]
    assert "Mistral AI: negative -0.60, confidence 0.62" in slack and f"> {EVIDENCE[0]}" in slack
    assert "<!channel>" not in slack and "&lt;!channel&gt;" in slack
    (alert,) = by_path["/hook"]["alerts"]
    assert alert["company_tones"]["Mistral AI"]["evidence"] == [EVIDENCE[0], HOSTILE]
    assert alert["company_tones"]["Mistral AI"]["confidence"] == 0.62


def test_after_a_correction_messages_give_the_models_confidence_and_evidence_as_the_models(
        store, tmp_path, monkeypatch, httpserver):
    settings, client = store
    rec = tribune(evidence=[EVIDENCE[0]])  # the model said positive (0.62) toward Mistral AI
    index(store, [rec])
    set_tone(client, settings, rec.article.id, "negative", company="Mistral AI")
    plain, html = alert_on_every_channel(client, tmp_path, monkeypatch, httpserver)
    line = ("Mistral AI: negative -0.50 (corrected by alice; model said positive, 0.62). "
            "The model's evidence for positive:")
    assert line in plain and f"“{EVIDENCE[0]}”" in plain and "confidence 0.62" not in plain
    assert line.replace("'", "&#x27;") in html and "confidence 0.62" not in html
    by_path = {request.path: json.loads(request.data) for request, _ in httpserver.log}
    slack = by_path["/slack"]["blocks"][1]["text"]["text"]
    assert line in slack and f"> {EVIDENCE[0]}" in slack
    (alert,) = by_path["/hook"]["alerts"]
    tone = alert["company_tones"]["Mistral AI"]
    assert (tone["label"], tone["model_label"], tone["corrected_by"]) == ("negative", "positive", "alice")
    assert tone["model_confidence"] == 0.62 and tone["model_evidence"] == [EVIDENCE[0]]
    assert "confidence" not in tone and "evidence" not in tone


def test_alerts_test_shows_evidence_and_the_correction(store, tmp_path, capsys):
    from pipeline.cli import main

    settings, client = store
    rec = tribune(evidence=[EVIDENCE[0], HOSTILE])
    index(store, [rec])
    set_tone(client, settings, rec.article.id, "negative", company="Mistral AI")
    rules = write_rules(tmp_path / "alerts.yaml", [
        email_rule("negative coverage of Mistral AI", companies=["Mistral AI"], max_sentiment=-0.1)])
    main(["alerts", "test", "negative coverage of Mistral AI", "--article-id", rec.article.id, "--rules", str(rules)])
    out = capsys.readouterr().out
    assert "MATCHES" in out
    # the model's confidence and evidence are shown as the model's, not as backing the analyst's label
    assert ("Mistral AI: negative -0.50 (corrected by alice; model said positive, 0.62). "
            "The model's evidence for positive:") in out
    assert "confidence 0.62" not in out
    assert EVIDENCE[0][:60] in out and "[/b]" in out  # evidence shown, rich markup in it inert


def test_report_shows_evidence_and_who_corrected(store, tmp_path):
    from pipeline.report import build_report

    settings, client = store
    rec = tribune(evidence=[EVIDENCE[0], HOSTILE])
    index(store, [rec])
    set_tone(client, settings, rec.article.id, "negative", company="Mistral AI")
    build_report(client, settings, tmp_path / "report.html", entities=["Mistral AI"], since="2026-11-15",
                 until="2026-11-25")
    document = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "corrected by alice; model said positive, 0.62" in document and "confidence 0.62" not in document
    assert "the model&#x27;s evidence for positive:" in document
    assert "une vraie défaite pour l&#x27;autonomie" in document
    assert "<script>alert(1)" not in document and "&lt;script&gt;alert(1)&lt;/script&gt;" in document


def test_cli_unreachable_store_is_one_sentence(monkeypatch, capsys):
    from pipeline.cli import main
    from _alerts_helpers import free_port

    url = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    monkeypatch.setenv("NEWSROOM_ES_URL", url)
    with pytest.raises(SystemExit) as exc:
        main(["tone", "list"])
    err = capsys.readouterr().err
    assert exc.value.code == 1 and f"Elasticsearch ({url}) failed during `newsroom tone list`" in err
    assert "Traceback" not in err
