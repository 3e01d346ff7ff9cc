"""End-to-end ingestion: fixture site → collector → enrichment (real models) → stand-in.

One enricher per session (spaCy models load once). The kill -9 test runs the real CLI in a subprocess.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from _store_helpers import drop_prefix
from conftest import FixtureSite

from pipeline.coverage import coverage
from pipeline.demo import SiteHandler, serve_site
from pipeline.feeds import load_feeds
from pipeline.settings import load_settings
from pipeline.store.client import make_client
from pipeline.store.embedded import EmbeddedStore, free_port
from pipeline.store.indexing import replay_spool, spool_dir
from pipeline.store.templates import index_names

pytestmark = pytest.mark.slow

EXPECTED_ARTICLES = 11  # tests/fixtures/site/README.md: 14 items, 1 duplicate, 2 irrelevant → 11 articles
PRIMARY_COMPANIES = {  # page → companies the README lists as its subject (not the "in passing" ones)
    "mistral-nvidia-tribune.html": {"Mistral AI", "Nvidia"},
    "microsoft-cloud-act.html": {"Microsoft"},
    "ovhcloud-resultats.html": {"OVHcloud"},
    "scaleway-supercalculateur.html": {"Scaleway"},
    "sap-mistral-partnership.html": {"SAP", "Mistral AI"},
    "openai-eu-data-residency.html": {"OpenAI"},
    "nvidia-export-rules.html": {"Nvidia"},
    "thales-s3ns-secnumcloud.html": {"Thales"},
}


@pytest.fixture(scope="session")
def enricher():
    from pipeline.enrich import get_enricher

    return get_enricher(load_settings())


def _articles(client, settings) -> list[dict]:
    alias = index_names(settings.es_index_prefix)["articles"]
    client.indices.refresh(index=alias)
    return [h["_source"] for h in client.search(index=alias, size=1000, _source_excludes=["text", "minhash"])["hits"]["hits"]]


def _mentions(client, settings) -> list[dict]:
    alias = index_names(settings.es_index_prefix)["mentions"]
    client.indices.refresh(index=alias)
    return [h["_source"] for h in client.search(index=alias, size=1000)["hits"]["hits"]]


@pytest.fixture
def cleanup(es_url):
    yield
    settings = load_settings()
    drop_prefix(make_client(settings), settings.es_index_prefix)


def test_two_runs_exact_counts_mentions_and_coverage(fixture_site, tmp_path, es_url, cleanup, enricher, monkeypatch):
    from pipeline.ingest import ingest

    settings = load_settings()
    feeds = load_feeds(fixture_site.feeds_file(tmp_path), settings)
    first = ingest(settings, feeds=feeds, progress=False, enricher=enricher)
    c = first.counts
    assert (c["feeds_ok"], c["items"], c["duplicates"], c["irrelevant"]) == (3, 14, 1, 2)
    assert (c["articles"], c["indexed"], c["feed_summary_fallbacks"], c["spooled"]) == (EXPECTED_ARTICLES, EXPECTED_ARTICLES, 1, 0)
    assert first.status == "ok" and set(first.stage_seconds) >= {"fetch", "extract", "enrich", "index"}

    client = make_client(settings)
    docs = _articles(client, settings)
    assert len(docs) == EXPECTED_ARTICLES and len({d["id"] for d in docs}) == EXPECTED_ARTICLES
    by_page = {d["url"].rsplit("/", 1)[-1]: d for d in docs}
    assert by_page["capgemini-plan-social.html"]["extraction"] == "feed-summary"
    assert by_page["sap-mistral-partnership.html"]["source"] == "The Compute Ledger"
    for page, companies in PRIMARY_COMPANIES.items():
        assert companies <= set(by_page[page]["orgs"]), (page, by_page[page]["orgs"])

    mentions = _mentions(client, settings)
    assert Counter(m["company"] for m in mentions) == Counter(org for d in docs for org in d["orgs"])
    tribune = next(m for m in mentions if m["company"] == "Mistral AI" and m["url"].endswith("tribune.html"))
    assert tribune["sentiment"]["label"] == "negative" and tribune["published_at"].startswith("2026-11-20T09:30")

    # Coverage of Mistral AI on known days (08:00–20:00 UTC: same day in UTC and Paris time).
    result = coverage(client, settings, ["Mistral AI"], since="2026-11-16", until="2026-11-22")
    series = {p["date"]: p["count"] for p in result["series"]["Mistral AI"] if p["count"]}
    mistral_days = Counter(d["published_at"][:10] for d in docs if "Mistral AI" in d["orgs"])
    assert series == dict(mistral_days) and series["2026-11-20"] >= 2

    runs = index_names(settings.es_index_prefix)["runs"]
    client.indices.refresh(index=runs)
    record = client.get(index=runs, id=first.run_id)["_source"]
    assert record["counts"]["indexed"] == EXPECTED_ARTICLES and record["status"] == "ok"

    # Second run, committed feed state: feeds unchanged, nothing fetched or written.
    second = ingest(settings, feeds=feeds, progress=False, enricher=enricher)
    assert second.counts["indexed"] == 0 and second.counts["feeds_not_modified"] == 3

    # Third run without local state (another machine): every article is known in Elasticsearch, none refetched.
    monkeypatch.setenv("NEWSROOM_DATA_DIR", str(tmp_path / "other-data"))
    settings = load_settings()
    before = len(fixture_site.requests)
    third = ingest(settings, feeds=feeds, progress=False, enricher=enricher)
    assert (third.counts["known"], third.counts["selected"], third.counts["indexed"]) == (EXPECTED_ARTICLES, 0, 0)
    assert not [p for p in fixture_site.requests[before:] if p.startswith("/articles/")]
    after = _articles(client, settings)
    assert len(after) == EXPECTED_ARTICLES
    assert {d["id"]: d["first_seen_at"] for d in after} == {d["id"]: d["first_seen_at"] for d in docs}
    assert len(_mentions(client, settings)) == len(mentions)


def test_elasticsearch_down_spools_then_replay_loses_nothing(fixture_site, tmp_path, enricher, monkeypatch):
    from pipeline.ingest import ingest

    port = free_port()
    monkeypatch.setenv("NEWSROOM_ES_URL", f"http://127.0.0.1:{port}")  # nothing listens there yet
    monkeypatch.setenv("NEWSROOM_ES_RETRIES", "2")
    monkeypatch.setenv("NEWSROOM_ES_BACKOFF_BASE", "0.05")
    monkeypatch.setenv("NEWSROOM_ES_INDEX_PREFIX", "spooltest")
    settings = load_settings()
    feeds = load_feeds(fixture_site.feeds_file(tmp_path), settings)
    summary = ingest(settings, feeds=feeds, progress=False, enricher=enricher)
    assert summary.status == "partial" and summary.counts["spooled"] == EXPECTED_ARTICLES
    assert summary.counts["indexed"] == 0 and len(list(spool_dir(settings).glob("*.jsonl"))) == 1

    # Feed state was committed (articles are safe on disk): a rerun while ES is still down fetches nothing new.
    rerun = ingest(settings, feeds=feeds, progress=False, enricher=enricher)
    assert rerun.counts["articles"] == 0

    store = EmbeddedStore(tmp_path / "late-es", port=port)
    store.up()
    try:
        client = make_client(settings)
        stats = replay_spool(client, settings)
        assert stats.created == EXPECTED_ARTICLES and stats.dead_letters == 0
        docs = _articles(client, settings)
        assert len(docs) == EXPECTED_ARTICLES and len({d["id"] for d in docs}) == EXPECTED_ARTICLES
        assert _mentions(client, settings)
        assert not list(spool_dir(settings).glob("*.jsonl"))
        # both runs' records were kept while the store was down (they were lost), and replay writes them
        from pipeline.runs import flush_run_records, run_record_spool

        assert len(list(run_record_spool(settings).glob("*.json"))) == 2
        assert flush_run_records(client, settings) == 2 and not list(run_record_spool(settings).glob("*.json"))
    finally:
        store.down()


def indexed_count(client, alias: str) -> int:
    """Articles searchable now under `alias` (0 before the first run creates it)."""
    if not client.indices.exists_alias(name=alias):
        return 0
    client.indices.refresh(index=alias)
    return client.count(index=alias)["count"]


class _SlowHandler(SiteHandler):
    page_delay = 0.5

    def do_GET(self) -> None:  # noqa: N802
        if self.path.startswith("/articles/"):
            time.sleep(self.page_delay)
        super().do_GET()


@pytest.fixture
def slow_site():
    log: list[str] = []
    server, base_url = serve_site(request_log=log, handler=_SlowHandler)
    try:
        yield FixtureSite(base_url, log)
    finally:
        server.shutdown()
        server.server_close()


def test_kill_9_mid_run_then_rerun_indexes_every_article_once(slow_site, tmp_path, es_url, cleanup):
    settings = load_settings()
    client = make_client(settings)
    feeds_file = slow_site.feeds_file(tmp_path / "conf")
    env = {**os.environ, "NEWSROOM_ES_BULK_CHUNK": "1", "NEWSROOM_ENRICH_BATCH_SIZE": "1",
           "NEWSROOM_FETCH_CONCURRENCY": "1"}
    cmd = [sys.executable, "-m", "pipeline", "ingest", "--feeds", str(feeds_file), "--json"]
    alias = index_names(settings.es_index_prefix)["articles"]

    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 90
    while indexed_count(client, alias) < 3 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert proc.poll() is None, "the run finished before it could be killed: " + proc.stderr.read().decode()[-2000:]
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    killed_at = indexed_count(client, alias)
    assert 3 <= killed_at < EXPECTED_ARTICLES

    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=150)
    assert done.returncode == 0, done.stderr[-3000:]
    summary = json.loads(done.stdout)
    assert summary["counts"]["known"] >= killed_at
    assert summary["counts"]["indexed"] == EXPECTED_ARTICLES - summary["counts"]["known"]
    docs = _articles(client, settings)
    assert len(docs) == EXPECTED_ARTICLES and len({d["id"] for d in docs}) == EXPECTED_ARTICLES
    mention_ids = Counter((m["article_id"], m["company"]) for m in _mentions(client, settings))
    assert all(n == 1 for n in mention_ids.values())
    assert sum(mention_ids.values()) == sum(len(d["orgs"]) for d in docs)


def test_a_killed_collector_process_ends_the_run_with_one_sentence_and_keeps_what_was_indexed(
        slow_site, tmp_path, es_url, cleanup):
    """The out-of-memory killer takes the collector process: the run printed a 78-line traceback ending in a
    RuntimeError. It now ends (exit 1) with one sentence naming the collector and the signal; what was indexed
    stays, the run is recorded as failed, and the next run indexes the rest."""
    settings = load_settings()
    client = make_client(settings)
    feeds_file = slow_site.feeds_file(tmp_path / "conf")
    env = {**os.environ, "NEWSROOM_ES_BULK_CHUNK": "1", "NEWSROOM_ENRICH_BATCH_SIZE": "1",
           "NEWSROOM_FETCH_CONCURRENCY": "1", "NEWSROOM_COLLECT_PROCESS": "true"}
    cmd = [sys.executable, "-m", "pipeline", "ingest", "--feeds", str(feeds_file)]
    alias = index_names(settings.es_index_prefix)["articles"]

    def collector(pid: int) -> int | None:
        children = Path(f"/proc/{pid}/task/{pid}/children")
        for child in children.read_text().split() if children.exists() else []:
            if b"resource_tracker" not in Path(f"/proc/{child}/cmdline").read_bytes():
                return int(child)
        return None

    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 90
    while indexed_count(client, alias) < 2 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    child = collector(proc.pid)
    assert proc.poll() is None and child, "no collector process to kill: " + proc.stderr.read().decode()[-2000:]
    os.kill(child, signal.SIGKILL)
    _, stderr = proc.communicate(timeout=60)
    killed_at = indexed_count(client, alias)
    assert proc.returncode == 1 and "Traceback" not in stderr.decode()
    assert "collector process (fetch and extraction) was killed by SIGKILL" in stderr.decode()
    assert 2 <= killed_at < EXPECTED_ARTICLES

    done = subprocess.run([*cmd, "--json"], env=env, capture_output=True, text=True, timeout=150)
    assert done.returncode == 0, done.stderr[-3000:]
    docs = _articles(client, settings)
    assert len(docs) == EXPECTED_ARTICLES and len({d["id"] for d in docs}) == EXPECTED_ARTICLES


def test_ingest_cli_with_unreachable_feeds_finishes_quickly(tmp_path, es_url, cleanup):
    """`make run` in a sandbox: real feeds unreachable → counted per feed, a clear failed run, no long waits."""
    feeds = tmp_path / "feeds.yaml"
    closed = free_port()
    feeds.write_text(
        "feeds:\n"
        f"  - {{name: Closed port, url: 'http://127.0.0.1:{closed}/rss', lang: fr}}\n"
        "  - {name: No such host, url: 'https://no-such-host.invalid/feed', lang: en}\n"
    )
    env = {**os.environ, "NEWSROOM_FETCH_RETRIES": "1"}
    start = time.monotonic()
    proc = subprocess.run([sys.executable, "-m", "pipeline", "ingest", "--feeds", str(feeds), "--json"],
                          env=env, capture_output=True, text=True, timeout=120)
    elapsed = time.monotonic() - start
    assert proc.returncode == 1, proc.stderr[-2000:]  # nothing could be read at all: a failed run
    summary = json.loads(proc.stdout)
    assert summary["status"] == "failed" and summary["counts"]["feeds_failed"] == 2
    assert any("none of the 2 feeds could be read" in note for note in summary["notes"])
    assert "Traceback" not in proc.stderr
    assert {e["feed"] for e in summary["feed_errors"]} == {"Closed port", "No such host"}
    assert elapsed < 60, f"unreachable feeds took {elapsed:.0f} s"


def test_per_feed_runs_merge_into_one_run_record(fixture_site, tmp_path, es_url, cleanup, enricher):
    """The Airflow shape: one ingest per feed (no record each), then one merged record."""
    from pipeline.ingest import ingest
    from pipeline.runs import merge_summaries, write_run_record

    settings = load_settings()
    feeds = load_feeds(fixture_site.feeds_file(tmp_path), settings)
    parts = [ingest(settings, feeds=[feed], progress=False, enricher=enricher, run_id=f"dag-1-{i}",
                    write_run_record=False).as_dict() for i, feed in enumerate(feeds)]
    merged = merge_summaries(parts, run_id="dag-1")
    # the SAP story is in two feeds: the second task finds it already indexed
    assert merged["counts"]["indexed"] == EXPECTED_ARTICLES and merged["counts"]["known"] == 1
    assert merged["parts"] == 3 and merged["feeds"] == [f.name for f in feeds]
    client = make_client(settings)
    write_run_record(client, settings, merged)
    runs = index_names(settings.es_index_prefix)["runs"]
    assert [h["_id"] for h in client.search(index=runs)["hits"]["hits"]] == ["dag-1"]
    assert len(_articles(client, settings)) == EXPECTED_ARTICLES


def test_ingest_summary_names_skip_reasons_with_first_urls_and_the_watched_companies(fixture_site, tmp_path, es_url,
                                                                                     cleanup, enricher):
    from datetime import UTC, datetime

    from rich.console import Console

    from pipeline.cli.ingest_cmd import print_summary
    from pipeline.ingest import ingest

    settings = load_settings()
    feeds = load_feeds(fixture_site.feeds_file(tmp_path), settings)
    since = datetime(2026, 11, 21, tzinfo=UTC)
    summary = ingest(settings, feeds=feeds, since=since, enricher=enricher).as_dict()
    skipped = summary["skipped"].get("before-since", 0)
    c = summary["counts"]  # items left out before selection are not `skipped` (selected items without an article)
    assert skipped >= 1 and c["before_since"] == skipped and c["skipped"] == 0
    assert c["items"] == c["before_since"] + c["duplicates"] + c["irrelevant"] + c["known"] + c["selected"]
    assert c["selected"] == c["articles"] + c["skipped"]
    examples = summary["skipped_examples"]["before-since"]
    assert 1 <= len(examples) <= min(3, skipped)
    assert all(url.startswith(fixture_site.base_url + "/articles/") for url in examples)
    assert summary["companies"] and all(n >= 1 for n in summary["companies"].values())
    assert sum(summary["companies"].values()) >= len(summary["companies"])

    out = Console(record=True, width=400)
    print_summary(summary, out)
    text = out.export_text()
    assert f"before-since: {skipped} (e.g. {examples[0]}" in text
    assert "selected = articles + skipped" in text  # the rule the rows follow, under the table
    top, n = next(iter(summary["companies"].items()))
    assert "watched companies in this run: " in text and f"{top} ({n})" in text


def test_ingest_cli_when_no_feed_can_be_reached_says_what_to_do_next(tmp_path, es_url, cleanup):
    feeds = tmp_path / "feeds.yaml"
    feeds.write_text(f"feeds:\n  - {{name: Closed port, url: 'http://127.0.0.1:{free_port()}/rss', lang: fr}}\n")
    proc = subprocess.run([sys.executable, "-m", "pipeline", "ingest", "--feeds", str(feeds), "--no-progress"],
                          env={**os.environ, "NEWSROOM_FETCH_RETRIES": "1"}, capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 1
    flat = " ".join(proc.stdout.split())
    assert "No feed could be reached" in flat and "proxy" in flat
    assert "newsroom feeds list" in flat and "make demo" in flat
    assert "none of the 1 feeds could be read" not in flat  # one message, not two


def test_enrichment_shared_with_the_collector_process_gives_the_same_documents(fixture_site, tmp_path, es_url,
                                                                              cleanup, enricher, monkeypatch):
    """NEWSROOM_COLLECT_PROCESS_ENRICHES: a share of the articles is enriched in the collector process; the stored
    enrichment and the order-dependent clusters must be what the main process alone produces."""
    from pipeline.ingest import ingest

    fields = ["orgs", "sentiment", "company_sentiment", "lang", "topics", "persons", "cluster_id"]

    def run(prefix: str, share: bool) -> dict:
        monkeypatch.setenv("NEWSROOM_COLLECT_PROCESS_ENRICHES", "true" if share else "false")
        settings = load_settings(es_index_prefix=prefix, data_dir=tmp_path / prefix)
        summary = ingest(settings, feeds=load_feeds(fixture_site.feeds_file(tmp_path), settings), enricher=enricher)
        assert summary.counts["indexed"] == EXPECTED_ARTICLES
        client = make_client(settings)
        alias = index_names(prefix)["articles"]
        client.indices.refresh(index=alias)
        hits = client.search(index=alias, size=100, _source=fields)["hits"]["hits"]
        drop_prefix(client, prefix)
        return {h["_id"]: h["_source"] for h in hits}

    alone, shared = run("alone", False), run("shared", True)
    assert shared == alone and len(alone) == EXPECTED_ARTICLES


def test_the_collector_takes_the_share_of_enrichment_that_balances_the_two_processes():
    from pipeline.collect import EnrichmentShare

    share = EnrichmentShare()
    assert share.fraction((0, 0.0)) == EnrichmentShare.FIRST  # nothing measured yet
    share.enriched, share.enrich_cpu = 10, 0.9  # 0.09 s an article
    assert abs(share.fraction((10, 0.3)) - (0.5 - 0.03 / 0.18)) < 1e-9  # real pages: a third of an article to extract
    assert share.fraction((10, 0.0)) == 0.5  # nothing to extract: half each
    assert share.fraction((10, 5.0)) == EnrichmentShare.LOW  # extraction alone keeps the collector busy


def _page(title: str, canonical: str, paragraph: str, paragraphs: int = 8) -> str:
    body = "".join(f"<p>{paragraph} {n}.</p>" for n in range(paragraphs))
    return (f'<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>{title}</title>'
            f'<link rel="canonical" href="{canonical}"></head><body><article><h1>{title}</h1>{body}'
            "</article></body></html>")


def _feed(name: str, links: list[str], summaries: dict[str, str] | None = None) -> str:
    summaries = summaries or {}
    items = "".join(f"<item><title>Article {n}</title><link>{link}</link>"
                    + (f"<description>{summaries[link]}</description>" if link in summaries else "")
                    + f"<pubDate>Mon, 23 Nov 2026 10:0{n}:00 +0000</pubDate></item>" for n, link in enumerate(links))
    return f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{name}</title>{items}</channel></rss>'


def test_an_amp_copy_and_a_tracking_link_are_stored_as_their_story_once_and_not_fetched_again(
        tmp_path, es_url, cleanup, enricher, monkeypatch):
    from pipeline.demo import serve_site, write_feeds_file
    from pipeline.ingest import ingest
    from pipeline.urls import article_id

    site = tmp_path / "site"
    story = "Mistral AI ouvre un centre de calcul en Essonne avec des puces Nvidia, et promet des emplois dans la région"
    other = "OVHcloud inaugure un centre de données à Roubaix et annonce des investissements dans le cloud souverain"
    home = "Le conseil municipal de Lille vote le budget de la médiathèque et des écoles primaires du quartier"
    # briefs under the minimum word count: stored from the feed summary, still once per story
    brief = "Scaleway ouvre une région cloud à Marseille"
    depeche = "Thales remporte un contrat de cybersécurité"
    summaries = {
        "{{BASE}}/amp/articles/scaleway-brief.html": f"{brief} pour ses clients du sud de la France.",
        "{{BASE}}/articles/scaleway-brief.html": f"{brief}, annonce l'opérateur.",
        "{{BASE}}/articles/thales-depeche.html?from=rss": f"{depeche} avec la Bundeswehr.",
        "{{BASE}}/articles/thales-depeche.html": f"{depeche} avec l'armée allemande.",
    }
    pages = {
        "articles/scaleway-brief.html": _page("Scaleway à Marseille", "{{BASE}}/articles/scaleway-brief.html",
                                              brief, 1),
        "amp/articles/scaleway-brief.html": _page("Scaleway à Marseille", "{{BASE}}/articles/scaleway-brief.html",
                                                  brief, 1),
        "articles/thales-depeche.html": _page("Thales", "{{BASE}}/articles/thales-depeche.html", depeche, 1),
        "articles/mistral.html": _page("Mistral AI en Essonne", "{{BASE}}/articles/mistral.html", story),
        # the AMP copy names the story's own page as canonical
        "amp/articles/mistral.html": _page("Mistral AI en Essonne", "{{BASE}}/articles/mistral.html", story),
        "articles/ovh.html": _page("OVHcloud à Roubaix", "{{BASE}}/articles/ovh.html", other),
        # a site whose canonical links all name its home page: two stories, never merged
        "articles/lille-1.html": _page("Lille, le budget", "{{BASE}}/", home),
        "articles/lille-2.html": _page("Lille, les écoles", "{{BASE}}/", home + " encore"),
    }
    for path, html in pages.items():
        (site / path).parent.mkdir(parents=True, exist_ok=True)
        (site / path).write_text(html, encoding="utf-8")
    (site / "feeds").mkdir()
    (site / "feeds" / "main.xml").write_text(_feed("Main", [
        "{{BASE}}/amp/articles/mistral.html", "{{BASE}}/articles/ovh.html?from=rss",
        "{{BASE}}/articles/lille-1.html", "{{BASE}}/articles/lille-2.html",
        "{{BASE}}/amp/articles/scaleway-brief.html", "{{BASE}}/articles/thales-depeche.html?from=rss"], summaries),
        encoding="utf-8")
    (site / "feeds" / "section.xml").write_text(_feed("Section", [
        "{{BASE}}/articles/mistral.html", "{{BASE}}/articles/ovh.html",
        "{{BASE}}/articles/scaleway-brief.html", "{{BASE}}/articles/thales-depeche.html"], summaries), encoding="utf-8")
    (site / "feeds.yaml").write_text(
        "feeds:\n  - name: Main\n    url: \"{{BASE}}/feeds/main.xml\"\n    lang: fr\n"
        "  - name: Section\n    url: \"{{BASE}}/feeds/section.xml\"\n    lang: fr\n", encoding="utf-8")
    requests: list[str] = []
    server, base = serve_site(site, request_log=requests)
    try:
        settings = load_settings()
        feeds = load_feeds(write_feeds_file(base, tmp_path / "conf", site), settings)
        first = ingest(settings, feeds=feeds, progress=False, enricher=enricher)
        client = make_client(settings)
        docs = _articles(client, settings)
        urls = sorted(d["url"].removeprefix(base) for d in docs)
        assert urls == ["/articles/lille-1.html", "/articles/lille-2.html", "/articles/mistral.html",
                        "/articles/ovh.html", "/articles/scaleway-brief.html", "/articles/thales-depeche.html"], urls
        assert (first.counts["indexed"], first.counts["articles"], first.counts["story_copies"]) == (6, 10, 4)
        assert first.counts["feed_summary_fallbacks"] == 4
        assert {d["url"].removeprefix(base): d["extraction"] for d in docs}["/articles/scaleway-brief.html"] == (
            "feed-summary")
        companies = Counter(m["company"] for m in _mentions(client, settings))
        assert (companies["Mistral AI"], companies["Scaleway"], companies["Thales"]) == (1, 1, 1)
        # the other link is remembered, whichever copy came first
        links = {d["url"].removeprefix(base): d.get("link_ids") for d in docs}
        assert links["/articles/mistral.html"] == [article_id(base + "/amp/articles/mistral.html")]
        assert links["/articles/ovh.html"] == [article_id(base + "/articles/ovh.html?from=rss")]
        assert links["/articles/scaleway-brief.html"] == [article_id(base + "/amp/articles/scaleway-brief.html")]
        assert links["/articles/thales-depeche.html"] == [article_id(base + "/articles/thales-depeche.html?from=rss")]

        # A run on another machine (no local feed state): each link is known through its story, nothing refetched.
        monkeypatch.setenv("NEWSROOM_DATA_DIR", str(tmp_path / "other-data"))
        before = len(requests)
        second = ingest(load_settings(), feeds=feeds, progress=False, enricher=enricher)
        assert second.counts["indexed"] == 0
        assert [p for p in requests[before:] if p.startswith(("/articles/", "/amp/"))] == []
        assert len(_articles(client, settings)) == 6
    finally:
        server.shutdown()
        server.server_close()


# ------------------------------------------------------------------------------------------- make demo


def test_a_second_demo_serves_the_sample_site_at_the_same_urls_so_no_article_is_stored_twice(tmp_path):
    from pipeline.demo import serve_demo, write_feeds_file

    feeds = tmp_path / "demo" / "config" / "feeds.yaml"
    bases = []
    for port in (free_port(), None):  # the first run's port, then whatever the second one picks by itself
        server, base = serve_demo(feeds, port)
        try:
            write_feeds_file(base, feeds.parent)
            bases.append(base)
        finally:
            server.shutdown()
            server.server_close()
    assert bases[0] == bases[1]  # same URLs, hence the same article ids: the second run finds them stored
    assert load_feeds(feeds)[0].url.port == int(bases[0].rsplit(":", 1)[1])


def test_a_demo_port_in_use_is_one_sentence(tmp_path):
    from pipeline.demo import serve_demo
    from pipeline.errors import ConfigError

    server, base = serve_site()
    try:
        with pytest.raises(ConfigError, match=r"port \d+ of 127.0.0.1, where the demo serves .* is in use"):
            serve_demo(tmp_path / "feeds.yaml", int(base.rsplit(":", 1)[1]))
    finally:
        server.shutdown()
        server.server_close()


def test_the_demo_hint_runs_as_pasted(tmp_path, monkeypatch):
    from pipeline.demo import closing_hint

    newsroom = tmp_path / "clone" / ".venv" / "bin" / "newsroom"
    newsroom.parent.mkdir(parents=True)
    newsroom.write_text("#!/bin/sh\necho ran \"$NEWSROOM_DATA_DIR\" \"$@\"\n", encoding="utf-8")
    newsroom.chmod(0o755)
    monkeypatch.chdir(tmp_path / "clone")
    hint = closing_hint("data/demo", newsroom)
    command = hint.splitlines()[0].removeprefix("Done. Try: ")
    assert command == "NEWSROOM_DATA_DIR=data/demo .venv/bin/newsroom search souveraineté"
    env = {"PATH": "/usr/bin:/bin"}  # no newsroom on PATH, as after `make demo`
    for line in (command, hint.splitlines()[1].split(": ", 1)[1].rstrip(")")):
        proc = subprocess.run(["bash", "-c", line], capture_output=True, text=True, env=env)
        assert proc.returncode == 0 and proc.stdout.startswith("ran data/demo"), (line, proc.stderr)
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "elsewhere")  # run from outside the clone: the absolute path
    assert f"NEWSROOM_DATA_DIR=data/demo {tmp_path}/clone/.venv/bin/newsroom search" in closing_hint("data/demo", newsroom)


def test_a_damaged_fetch_state_is_one_sentence_from_the_collector_process(fixture_site, tmp_path, enricher,
                                                                           monkeypatch, capfd):
    """The collector process printed its traceback, and the parent only "exited with code 1 … run again", which
    never helps (red-team, operations)."""
    from pipeline.ingest import ingest
    from pipeline.state import STATE_FILE, StateError

    monkeypatch.setenv("NEWSROOM_ES_URL", f"http://127.0.0.1:{free_port()}")
    monkeypatch.setenv("NEWSROOM_ES_RETRIES", "0")
    monkeypatch.setenv("NEWSROOM_COLLECT_PROCESS", "true")
    settings = load_settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    (settings.data_dir / STATE_FILE).write_bytes(b"not a database " * 100)
    feeds = load_feeds(fixture_site.feeds_file(tmp_path), settings)
    with pytest.raises(StateError, match="is damaged: move it away and run again"):
        ingest(settings, feeds=feeds, progress=False, enricher=enricher)
    assert "Traceback" not in capfd.readouterr().err


def test_google_news_s_copy_of_a_story_stored_in_an_earlier_run_is_a_duplicate(httpserver, tmp_path, es_url, cleanup,
                                                                                 enricher):
    """The publisher's feed listed the story yesterday and is unchanged today (not read again), when a Google News
    search feed lists its copy: the copy's `AU_yqL…` link cannot be resolved and no feed of the run lists the
    headline, so the story was stored a second time, as a summary credited to Google News."""
    from pipeline.feeds import Feed
    from pipeline.ingest import ingest

    base = httpserver.url_for("").rstrip("/")
    story = " ".join(["Mistral AI a levé 1,7 milliard d'euros auprès d'investisseurs européens, dont ASML."] * 10)
    publisher = ('<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Le Monde - Pixels</title>'
                 f"<item><title>Mistral AI lève 1,7 milliard d’euros</title><link>{base}/pixels/mistral.html</link>"
                 "<pubDate>Tue, 01 Dec 2026 07:55:00 GMT</pubDate><description>Mistral AI lève des fonds.</description>"
                 "</item></channel></rss>")
    gnews = ('<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>"Mistral AI" - Google News'
             "</title><item><title>Mistral AI lève 1,7 milliard d'euros - Le Monde</title>"
             "<link>https://news.google.com/rss/articles/CBMiswFBVV95cUxNZk5hX2xPZ0RqT2V4?oc=5</link>"
             "<pubDate>Tue, 01 Dec 2026 09:00:00 GMT</pubDate><description>&lt;a href=\"https://news.google.com/rss/"
             "articles/CBMiswFBVV95cUxNZk5hX2xPZ0RqT2V4?oc=5\"&gt;Mistral AI lève 1,7 milliard d'euros&lt;/a&gt;&amp;nbsp;"
             "&lt;font color=\"#6f6f6f\"&gt;Le Monde&lt;/font&gt;</description>"
             f"<source url=\"{base}\">Le Monde</source></item><item><title>Mistral AI ouvre un bureau à Londres - Le Monde</title>"
             "<link>https://news.google.com/rss/articles/CBMiAAAA?oc=5</link>"
             "<pubDate>Tue, 01 Dec 2026 10:00:00 GMT</pubDate><description>Mistral AI ouvre un bureau à Londres, son "
             "premier hors de France, pour recruter des chercheurs.</description>"
             f"<source url=\"{base}\">Le Monde</source></item>"
             # the publisher reworded its headline since (same story, same time), and another paper ran the same
             # wire headline (another story)
             "<item><title>Levée de 1,7 milliard d'euros pour Mistral AI - Le Monde</title>"
             "<link>https://news.google.com/rss/articles/CBMiBBBB?oc=5</link>"
             "<pubDate>Tue, 01 Dec 2026 07:55:00 GMT</pubDate><description>La start-up française lève 1,7 milliard "
             f"d'euros.</description><source url=\"{base}\">Le Monde</source></item>"
             "<item><title>Mistral AI lève 1,7 milliard d'euros - Le Figaro</title>"
             "<link>https://news.google.com/rss/articles/CBMiCCCC?oc=5</link><pubDate>Tue, 01 Dec 2026 08:10:00 GMT"
             "</pubDate><description>La start-up française lève 1,7 milliard d'euros.</description>"
             "<source url=\"https://www.lefigaro.fr\">Le Figaro</source></item></channel></rss>")
    httpserver.expect_request("/pixels/rss.xml").respond_with_data(publisher, content_type="application/rss+xml")
    httpserver.expect_request("/gnews.xml").respond_with_data(gnews, content_type="application/rss+xml")
    httpserver.expect_request("/pixels/mistral.html").respond_with_data(
        f'<html lang="fr"><head><title>Mistral AI lève 1,7 milliard d’euros</title></head><body><article><h1>Mistral '
        f'AI lève 1,7 milliard d’euros</h1><p>{story}</p></article></body></html>', content_type="text/html")
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    settings = load_settings()
    pixels = Feed(name="Le Monde - Pixels", url=f"{base}/pixels/rss.xml", lang="fr")
    first = ingest(settings, feeds=[pixels], progress=False, enricher=enricher)
    assert first.counts["indexed"] == 1
    second = ingest(settings, feeds=[Feed(name="Google News — Mistral", url=f"{base}/gnews.xml", lang="fr"), pixels],
                    progress=False, enricher=enricher)
    docs = _articles(make_client(settings), settings)
    assert sorted((d["url"], d["extraction"]) for d in docs) == [
        (f"{base}/pixels/mistral.html", "trafilatura"),
        ("https://news.google.com/rss/articles/CBMiAAAA?oc=5", "feed-summary"),  # another story: kept
        ("https://news.google.com/rss/articles/CBMiCCCC?oc=5", "feed-summary")]  # another paper's: kept
    assert second.counts["indexed"] == 2 and second.counts["duplicates"] == 2, second.as_dict()
