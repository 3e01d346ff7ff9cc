"""End to end: the fixture site ingested once (real fetch, extraction, enrichment, indexing), then alert runs.

The reference French op-ed (Mistral AI + Nvidia, negative toward Mistral AI) must fire "negative coverage of
Mistral AI" exactly once across two runs, and not the positive-coverage rule.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from pipeline.alerts import run_alerts
from pipeline.demo import serve_site
from pipeline.settings import load_settings
from pipeline.sinks import shown_url
from pipeline.urls import article_id, normalize_url

from _alerts_helpers import SmtpServer, write_rules
from conftest import FixtureSite

TRIBUNE = "articles/mistral-nvidia-tribune.html"


@pytest.fixture(scope="module")
def ingested(es_server, tmp_path_factory):
    """One ingest of the fixture site for the whole module (spaCy loads once); yields (site, prefix)."""
    from pipeline.feeds import load_feeds
    from pipeline.ingest import ingest

    log: list[str] = []
    server, base_url = serve_site(request_log=log)
    site = FixtureSite(base_url, log)
    prefix = "talerts-e2e"
    data_dir = tmp_path_factory.mktemp("alerts-e2e")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("NEWSROOM_ES_URL", es_server)
        mp.setenv("NEWSROOM_ES_INDEX_PREFIX", prefix)
        mp.setenv("NEWSROOM_DATA_DIR", str(data_dir))
        mp.setenv("NEWSROOM_FETCH_ALLOW_HOSTS", "127.0.0.1,localhost")
        mp.setenv("NEWSROOM_FETCH_HOST_DELAY", "0")
        settings = load_settings()
        feeds = load_feeds(site.feeds_file(data_dir), settings)
        summary = ingest(settings, feeds=feeds, progress=False)
        assert summary.status == "ok", summary.as_dict()
        try:
            yield site, prefix
        finally:
            server.shutdown()
            server.server_close()


@pytest.fixture
def env(ingested, es_server, monkeypatch):
    site, prefix = ingested
    monkeypatch.setenv("NEWSROOM_ES_URL", es_server)
    monkeypatch.setenv("NEWSROOM_ES_INDEX_PREFIX", prefix)
    return site


def test_reference_oped_fires_negative_rule_once_not_positive(env, tmp_path, monkeypatch):
    tribune_id = article_id(normalize_url(env.url(TRIBUNE)))
    rules = write_rules(tmp_path / "alerts.yaml", [
        {"name": "negative coverage of Mistral AI", "companies": ["Mistral AI"], "max_sentiment": -0.1,
         "channels": [{"type": "email", "to": ["desk@example.org"]}]},
        {"name": "positive coverage of Mistral AI", "companies": ["Mistral AI"], "min_sentiment": 0.1,
         "channels": [{"type": "email", "to": ["desk@example.org"]}]},
    ])
    with SmtpServer() as smtp:
        monkeypatch.setenv("NEWSROOM_SMTP_HOST", "127.0.0.1")
        monkeypatch.setenv("NEWSROOM_SMTP_PORT", str(smtp.port))
        monkeypatch.setenv("NEWSROOM_SMTP_SECURITY", "none")
        first = run_alerts(load_settings(), rules_file=rules)
        second = run_alerts(load_settings(), rules_file=rules)
    negative = first["per_rule"]["negative coverage of Mistral AI"]
    assert negative["sent"] >= 1 and second["sent"] == 0
    subjects = [m["Subject"] for m in smtp.sink.messages]
    tribune_mails = [s for s in subjects if "défaite pour l'autonomie" in s]
    assert tribune_mails == ["[newsroom] negative coverage of Mistral AI: " + tribune_mails[0].split(": ", 1)[1]], \
        subjects  # exactly one mail about the op-ed over two runs, and it comes from the negative rule
    plain, html = next(b for m, b in zip(smtp.sink.messages, smtp.sink.bodies()) if "défaite" in m["Subject"])
    # the sample site is on 127.0.0.1: the plain text shows its URL defanged, never as a link (`shown_url`)
    assert shown_url(env.url(TRIBUNE)) in plain and "tone toward Mistral AI" in plain and "<mark>" in html
    from pipeline.alerts.state import sent_records
    from pipeline.store.client import make_client

    client, settings = make_client(load_settings()), load_settings()
    assert tribune_id in {r["article_id"] for r in sent_records(client, settings, "negative coverage of Mistral AI")}
    assert tribune_id not in {r["article_id"] for r in sent_records(client, settings, "positive coverage of Mistral AI")}


def test_english_keyword_rule_only_english_articles(env, tmp_path, httpserver):
    httpserver.expect_request("/hook", method="POST").respond_with_data("ok")
    hook = [{"type": "webhook", "url": httpserver.url_for("/hook")}]
    rules = write_rules(tmp_path / "alerts.yaml", [
        {"name": "Nvidia keyword (English)", "keywords": ["Nvidia"], "languages": ["en"], "delivery": "grouped",
         "channels": hook},
        {"name": "Nvidia keyword (any language)", "keywords": ["Nvidia"], "delivery": "grouped", "channels": hook},
    ])
    report = run_alerts(load_settings(), rules_file=rules, dry_run=True)
    english = report["per_rule"]["Nvidia keyword (English)"]["would_send"][0]["items"]
    anywhere = report["per_rule"]["Nvidia keyword (any language)"]["would_send"][0]["items"]
    assert {item["lang"] for item in english} == {"en"}
    assert env.url("articles/nvidia-export-rules.html") in {item["url"] for item in english}
    assert env.url(TRIBUNE) in {item["url"] for item in anywhere}
    assert env.url(TRIBUNE) not in {item["url"] for item in english}
    run_alerts(load_settings(), rules_file=rules, rule_names=["Nvidia keyword (English)"])
    (request, _), = httpserver.log
    assert {a["lang"] for a in json.loads(request.data)["alerts"]} == {"en"}


def test_volume_spike_on_fixture_dates(env, tmp_path, httpserver):
    """On 2026-11-20 Mistral AI has 2 mentions (op-ed, SAP) against 1 in the previous week (AI Act page)."""
    httpserver.expect_request("/hook", method="POST").respond_with_data("ok")
    rules = write_rules(tmp_path / "alerts.yaml", [
        {"name": "spikes", "volume": {"window": "24h", "baseline_days": 7, "factor": 3, "min_count": 2},
         "companies": ["Mistral AI", "OVHcloud"],
         "channels": [{"type": "webhook", "url": httpserver.url_for("/hook")}]}])
    now = datetime(2026, 11, 20, 23, 59, tzinfo=UTC)
    report = run_alerts(load_settings(), rules_file=rules, now=now)
    assert report["sent"] == 1
    (request, _), = httpserver.log
    (alert,) = json.loads(request.data)["alerts"]
    assert alert["company"] == "Mistral AI" and alert["reasons"][0].startswith("2 mentions of Mistral AI")
