"""A company renamed in the watchlist keeps the articles stored under its former name, in every query."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest
from _alerts_helpers import write_rules
from _store_helpers import drop_prefix, make_record, story

from pipeline.alerts.evaluate import find_matches, find_spikes
from pipeline.alerts.rules import load_rules
from pipeline.coverage import co_mentions, coverage, coverage_by_source, list_mentions
from pipeline.errors import ConfigError
from pipeline.report import collect
from pipeline.search import search_articles
from pipeline.settings import DEFAULT_CONFIG_DIR, get_settings, load_settings
from pipeline.store.client import make_client
from pipeline.store.indexing import index_enriched

OVH = "  - name: OVHcloud\n    aliases: [OVHcloud, OVH, OVH Cloud, OVH Groupe]\n"
WINDOW = {"since": "2026-11-16", "until": "2026-11-22"}


def _watchlist(config, old: str, new: str) -> None:
    path = config / "watchlist.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.fixture
def renamed_store(es_url, tmp_path, monkeypatch):
    """Two articles stored while the company was OVHcloud, then the watchlist renames it "OVH Groupe SA" (its
    former name kept), and one article stored under the new name."""
    config = tmp_path / "config"
    shutil.copytree(DEFAULT_CONFIG_DIR, config)
    monkeypatch.setenv("NEWSROOM_CONFIG_DIR", str(config))
    get_settings.cache_clear()
    settings = load_settings()
    client = make_client(settings)
    at = datetime(2026, 11, 18, 9, tzinfo=UTC)
    before = [
        make_record("https://a.example/panne", story(801), title="Panne chez OVHcloud", published=at,
                    orgs={"OVHcloud": -0.6, "Nvidia": 0.1}, score=-0.5),
        make_record("https://a.example/resultats", story(802), title="OVHcloud results", published=at + timedelta(1),
                    orgs={"OVHcloud": 0.5}, score=0.4, lang="en", source="The Compute Ledger"),
    ]
    assert index_enriched(client, settings, before).created == 2
    _watchlist(config, OVH, "  - name: OVH Groupe SA\n    former_names: [OVHcloud]\n"
                            "    aliases: [OVHcloud, OVH, OVH Cloud, OVH Groupe]\n")
    after = make_record("https://a.example/nouveau", story(803), title="OVH Groupe SA et Nvidia",
                        published=at + timedelta(2), orgs={"OVH Groupe SA": -0.3, "Nvidia": 0.2}, score=-0.2)
    assert index_enriched(client, settings, [after]).created == 1
    yield settings, client, config
    drop_prefix(client, settings.es_index_prefix)


def test_a_renamed_company_keeps_its_articles_stored_under_the_former_name_in_every_query(renamed_store, tmp_path):
    """Renamed OVHcloud → "OVH Groupe SA": `coverage`, `search --company`, `mentions`, the report and alert rules
    counted only the article stored after the rename ("no mention of OVH Groupe SA" for the weeks before) until
    `newsroom reenrich` rewrote them; the former name now counts as the company, shown under its name today."""
    settings, client, _ = renamed_store
    new = "OVH Groupe SA"
    cov = coverage(client, settings, [new, "Nvidia"], **WINDOW)
    assert cov["totals"][new]["count"] == 3 and cov["totals"]["Nvidia"]["count"] == 2
    assert sum(p["count"] for p in cov["series"][new]) == 3
    results = search_articles(client, settings, "", companies=["ovhcloud"])  # the former name typed: the company
    assert results.total == 3
    assert {c["company"] for hit in results.hits for c in hit["companies"]} == {new, "Nvidia"}
    assert all(new in hit["orgs"] for hit in results.hits)
    negative = search_articles(client, settings, "", company_tones={new: "negative"})
    assert {hit["url"] for hit in negative.hits} == {"https://a.example/panne", "https://a.example/nouveau"}
    assert search_articles(client, settings, f'company:"{new}" -company:nvidia').total == 1
    rows, total = list_mentions(client, settings, [new], **WINDOW)
    assert total == 3 and {row["company"] for row in rows} == {new}
    by_source = coverage_by_source(client, settings, [new], **WINDOW)["rows"]
    assert sum(row["mentions"] for row in by_source) == 3
    together = co_mentions(client, settings, ["Nvidia"], **WINDOW)["rows"]
    assert [(row["co_mentioned"], row["articles"]) for row in together] == [(new, 2)]
    assert co_mentions(client, settings, [new], **WINDOW)["rows"][0]["co_mentioned"] == "Nvidia"  # not itself
    report = collect(client, settings, **WINDOW)  # the most mentioned: one company, not two names
    assert sorted(report.entities) == ["Nvidia", new] and report.negative_counts[new] == 2
    assert all(new in article["orgs"] for article in report.latest if "Nvidia" not in article["orgs"])


def test_an_alert_rule_on_a_renamed_company_matches_its_articles_stored_under_the_former_name(renamed_store, tmp_path):
    """A saved rule naming the company by its former name still loads (the former name is the company), and its
    tone and volume conditions read the articles stored before the rename."""
    settings, client, _ = renamed_store
    path = write_rules(tmp_path / "alerts.yaml", [
        {"name": "ovh negative", "companies": ["OVHcloud"], "max_sentiment": -0.2,
         "channels": [{"type": "webhook", "url": "http://127.0.0.1:9/hook"}]},
        {"name": "ovh spike", "companies": ["OVH Groupe SA"], "volume": {"window": "72h", "factor": 2, "min_count": 3,
                                                                       "baseline_days": 7},
         "channels": [{"type": "webhook", "url": "http://127.0.0.1:9/hook"}]}])
    rules = load_rules(settings, path, check_companies=True)
    negative, spike = rules.rules
    assert negative.companies == ["OVH Groupe SA"]
    items = find_matches(client, settings, negative, since=None)
    assert {item.url for item in items} == {"https://a.example/panne", "https://a.example/nouveau"}
    old = next(item for item in items if item.url == "https://a.example/panne")
    assert "OVH Groupe SA" in old.company_sentiment and "tone toward OVH Groupe SA -0.60" in " ".join(old.reasons)
    spikes = find_spikes(client, settings, spike, now=datetime(2026, 11, 20, 10, tzinfo=UTC) + timedelta(hours=12))
    assert [item.company for item in spikes] == ["OVH Groupe SA"] and "3 mentions of OVH Groupe SA" in spikes[0].reasons[0]  # 2 under the former name


def test_mentions_and_search_json_name_the_company_today_and_config_show_says_how_a_rename_works(renamed_store):
    proc = subprocess.run([sys.executable, "-m", "pipeline", "mentions", "--company", "OVH Groupe SA", "--since",
                           WINDOW["since"], "--until", WINDOW["until"], "--json"], capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert [row["company"] for row in json.loads(proc.stdout)] == ["OVH Groupe SA"] * 3
    shown = subprocess.run([sys.executable, "-m", "pipeline", "config", "show"], capture_output=True, text=True,
                           timeout=120)
    assert shown.returncode == 0, shown.stderr
    assert "OVH Groupe SA (formerly OVHcloud)" in " ".join(shown.stdout.split())


@pytest.mark.parametrize("former, fault", [
    ("Nvidia", "is a name of 'Nvidia' (entry #"), ("OVH Groupe SA", "is its own name"),
    ("AWS", "is a name of 'Amazon Web Services' (entry #"), ("Nvidia Corp", "is a name of 'Nvidia' (entry #")])
def test_a_former_name_that_is_a_current_name_is_refused_naming_it(renamed_store, former, fault):
    """A former name taking another company's articles (or the company's own name) is refused at load."""
    settings, _, config = renamed_store
    _watchlist(config, "former_names: [OVHcloud]", f"former_names: [OVHcloud, {former}]")
    if former == "Nvidia Corp":  # another company's former name, taking its articles stored under it
        _watchlist(config, "  - name: Nvidia\n", "  - name: Nvidia\n    former_names: [Nvidia Corp]\n")
    from pipeline.enrich.watchlist import load_watchlist, watchlist_path

    with pytest.raises(ConfigError) as exc:
        load_watchlist(watchlist_path(settings.config_dir))
    assert f"former name '{former}' of 'OVH Groupe SA'" in str(exc.value) and fault in str(exc.value)


def _stored_tones(client, settings, url: str) -> dict[str, tuple[str, bool]]:
    hit = search_articles(client, settings, "", companies=["OVH Groupe SA"], size=10)
    doc = next(h for h in hit.hits if h["url"] == url)
    return {c["company"]: (c["tone"], bool(c["corrected_by"])) for c in doc["companies"]}


def test_a_tone_correction_follows_a_renamed_company_before_and_after_reenrichment(renamed_store):
    """`tone set ID --company "OVH Groupe SA"` on an article stored as OVHcloud's: "does not mention OVH Groupe SA
    (it mentions: OVHcloud)"; and a correction recorded under the old name was left aside once the article was
    re-enriched under the new one. Both now apply to the name the article is stored under."""
    from pipeline.corrections import Correction, corrections_index, set_tone
    from pipeline.urls import article_id

    settings, client, _ = renamed_store
    panne, resultats = article_id("https://a.example/panne"), article_id("https://a.example/resultats")
    set_tone(client, settings, panne, "positive", company="OVH Groupe SA", analyst="alice")
    assert _stored_tones(client, settings, "https://a.example/panne")["OVH Groupe SA"] == ("positive", True)
    earlier = Correction(article_id=resultats, target="company", company="OVHcloud", label="negative",
                         analyst="bob", corrected_at=datetime(2026, 11, 25, tzinfo=UTC))  # before the rename
    client.index(index=corrections_index(settings), id=earlier.record_id(), refresh=True,
                 document=earlier.model_dump(mode="json", exclude_none=True))
    # `newsroom reenrich` writes both articles again, their company under its new name
    again = [make_record("https://a.example/panne", story(801) + " suite", title="Panne chez OVHcloud",
                         published=datetime(2026, 11, 18, 9, tzinfo=UTC), orgs={"OVH Groupe SA": -0.6, "Nvidia": 0.1},
                         score=-0.5),
             make_record("https://a.example/resultats", story(802) + " more", title="OVHcloud results",
                         published=datetime(2026, 11, 19, 9, tzinfo=UTC), orgs={"OVH Groupe SA": 0.5}, score=0.4,
                         lang="en", source="The Compute Ledger")]
    assert index_enriched(client, settings, again).updated == 2
    assert _stored_tones(client, settings, "https://a.example/panne")["OVH Groupe SA"] == ("positive", True)
    assert _stored_tones(client, settings, "https://a.example/resultats")["OVH Groupe SA"] == ("negative", True)


def test_tone_export_names_a_renamed_company_once_by_its_name_today(renamed_store, tmp_path):
    """An article stored as OVHcloud's, corrected after the rename toward "OVH Groupe SA": the gold line's `orgs` named
    the company twice (OVHcloud with the model's tone, OVH Groupe SA with the analyst's), a training line teaching
    two tones toward one company."""
    from pipeline.corrections import export_gold, set_tone
    from pipeline.urls import article_id

    settings, client, _ = renamed_store
    set_tone(client, settings, article_id("https://a.example/panne"), "positive", company="ovh", analyst="alice")
    assert export_gold(client, settings, tmp_path / "gold.jsonl")["articles"] == 1
    line = json.loads((tmp_path / "gold.jsonl").read_text(encoding="utf-8"))
    assert line["orgs"] == ["OVH Groupe SA", "Nvidia"]
    assert line["entity_sentiment"] == {"OVH Groupe SA": "positive", "Nvidia": "positive"}  # Nvidia: +0.1


def test_kibana_shows_a_renamed_company_under_its_name_today(renamed_store, capsys):
    """Kibana's dashboards grouped by the stored name: OVHcloud (articles stored before the rename) and "OVH Groupe
    SA" were two rows, two slices of the share of voice, two options of the Company control, until `reenrich`. The
    data views built from the watchlist map each former name to the name today (runtime fields, Painless); the chain
    they carry is run here on the stand-in, with names that need escaping in Painless (a quote, a backslash, &)."""
    from pipeline.cli import main
    from pipeline.kibana import data_view_id, saved_objects

    settings, client, config = renamed_store
    _watchlist(config, "  - name: Capgemini\n",
               "  - name: \"Cap'Gemini \\\\ & Co\"\n    former_names: [\"L'ex \\\\ Capgemini & Cie\"]\n")
    get_settings.cache_clear()
    prefix = settings.es_index_prefix
    main(["kibana", "export-ndjson"])
    objects = {o["id"]: o for o in map(json.loads, capsys.readouterr().out.splitlines())}
    runtime = {kind: json.loads(objects[data_view_id(prefix, kind)]["attributes"]["runtimeFieldMap"])
               for kind in ("articles", "mentions")}
    assert set(runtime["articles"]) == set(runtime["mentions"]) == {"orgs"}
    mentions_script = runtime["mentions"]["orgs"]["script"]["source"]
    assert "if (name == 'OVHcloud') { name = 'OVH Groupe SA'; }" in mentions_script
    assert "params['_source']['orgs']" in runtime["articles"]["orgs"]["script"]["source"]  # shadows the stored field
    # every chart of companies, the Company control and the saved search read `orgs`, today's name
    for obj in objects.values():
        if obj["type"] == "lens":
            for layer in obj["attributes"]["state"]["datasourceStates"]["formBased"]["layers"].values():
                assert not [c for c in layer["columns"].values() if c.get("sourceField") == "company"], obj["id"]
    assert "orgs" in objects[f"{prefix}-latest-articles"]["attributes"]["columns"]
    # the very Painless the data views carry, run on stored names: a former name becomes today's, others stay
    chain = mentions_script.split("String name = doc['company'].value; ", 1)[1].rsplit(" emit(name);", 1)[0]
    assert chain == runtime["articles"]["orgs"]["script"]["source"].split("String.valueOf(each); ", 1)[1].rsplit(
        " emit(name);", 1)[0]
    scratch = f"{prefix}-painless-check"
    names = ["OVHcloud", "OVH Groupe SA", "L'ex \\ Capgemini & Cie", "Nvidia", "Société Générale"]
    for n, name in enumerate(names):
        client.index(index=scratch, id=str(n), document={"company": name})
    client.indices.refresh(index=scratch)
    client.update_by_query(index=scratch, refresh=True, script={
        "source": f"String name = ctx._source.company; {chain} ctx._source.today = name;"})
    today = {hit["_source"]["company"]: hit["_source"]["today"]
             for hit in client.search(index=scratch, size=10)["hits"]["hits"]}
    assert today == {"OVHcloud": "OVH Groupe SA", "OVH Groupe SA": "OVH Groupe SA",
                     "L'ex \\ Capgemini & Cie": "Cap'Gemini \\ & Co", "Nvidia": "Nvidia",
                     "Société Générale": "Société Générale"}
    client.indices.delete(index=scratch)
    # no rename: the articles keep their stored `orgs` (doc values, faster), the mentions the plain copy
    plain = {o["id"]: o for o in saved_objects(prefix)}
    assert json.loads(plain[data_view_id(prefix, "articles")]["attributes"]["runtimeFieldMap"]) == {}
    assert "name ==" not in plain[data_view_id(prefix, "mentions")]["attributes"]["runtimeFieldMap"]
