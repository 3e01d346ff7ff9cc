"""Feeds → articles end to end on the local fixture site (pipeline.collect, `newsroom fetch`)."""

from __future__ import annotations

import asyncio
import json
import os
import stat
import threading
from datetime import datetime, timezone
from pathlib import Path

import pytest

from pipeline.archive import iter_archive, read_record
from pipeline.cli import main
from pipeline.collect import Collector, iter_articles
from pipeline.errors import ConfigError
from pipeline.feeds import load_feeds
from pipeline.settings import load_settings
from pipeline.state import StateStore
from pipeline.topics import load_topic_matcher
from pipeline.urls import article_id


def collect(settings, feeds, **kwargs):
    collector = Collector(settings, feeds, **kwargs)

    async def go():
        return [a async for a in collector.articles()]

    return asyncio.run(go()), collector


def feeds_file(site, tmp_path: Path, entries: list[dict]) -> Path:
    path = tmp_path / "feeds.yaml"
    path.write_text(json.dumps({"feeds": entries}).replace("{{BASE}}", site.base_url), encoding="utf-8")
    return path


FR = {"name": "FR tech", "url": "{{BASE}}/feeds/fr-tech.xml", "lang": "fr", "tags": ["tech"]}
EN = {"name": "The Compute Ledger", "url": "{{BASE}}/feeds/en-tech.xml", "lang": "en"}
WW_ALL = {"name": "World Wire", "url": "{{BASE}}/feeds/world-wire.xml", "lang": "en", "relevance": "all"}


def page_requests(site, name: str) -> int:
    return sum(1 for p in site.requests if p.split("?")[0].endswith("/" + name))


def test_fixture_site_end_to_end_with_relevance_filter(fixture_site, tmp_path):
    settings = load_settings()
    articles, collector = collect(settings, load_feeds(fixture_site.feeds_file(tmp_path)))
    s = collector.stats
    assert (s.feeds_ok, s.feeds_failed, s.items, s.duplicates, s.irrelevant) == (3, 0, 14, 1, 2)
    assert s.articles == len(articles) == 11 and s.feed_summary_fallbacks == 1
    names = {a.url.rsplit("/", 1)[-1] for a in articles}
    assert "aws-sovereign-cloud.html" in names  # the relevant item of the filter feed
    assert page_requests(fixture_site, "sport-lyon-league.html") == 0  # irrelevant: never fetched
    assert page_requests(fixture_site, "autumn-soup-recipes.html") == 0


def test_collect_fixture_feeds(fixture_site, tmp_path):
    settings = load_settings()
    articles, collector = collect(settings, load_feeds(feeds_file(fixture_site, tmp_path, [FR, EN])))
    s = collector.stats
    assert (s.feeds_ok, s.feeds_failed, s.items, s.duplicates, s.articles) == (2, 0, 10, 0, 10)
    assert s.feed_summary_fallbacks == 1 and s.fallback_reasons == {"http-404": 1}
    by_name = {a.url.rsplit("/", 1)[-1]: a for a in articles}
    capgemini = by_name["capgemini-plan-social.html"]
    assert capgemini.extraction == "feed-summary" and "1 200 postes" in capgemini.text and capgemini.warc_file is None
    tribune = by_name["mistral-nvidia-tribune.html"]
    assert tribune.extraction == "trafilatura" and tribune.id == article_id(fixture_site.url("articles/mistral-nvidia-tribune.html"))
    assert tribune.published_at == datetime(2026, 11, 20, 9, 30, tzinfo=timezone.utc)
    assert tribune.source == "FR tech" and tribune.feed_tags == ["tech"] and tribune.lang == "fr"
    assert by_name["openai-eu-data-residency.html"].url.endswith("openai-eu-data-residency.html")  # utm_* gone
    assert by_name["nvidia-export-rules.html"].lang == "en"
    # every page fetched once, robots.txt once per host; raw HTML archived and readable again
    assert page_requests(fixture_site, "robots.txt") == 1
    assert all(page_requests(fixture_site, n) == 1 for n in by_name)
    url, _, body = read_record(tribune.warc_file, tribune.warc_offset, settings.data_dir)
    assert url == tribune.url and "une vraie défaite" in body.decode("utf-8")
    assert len(list(iter_archive(settings.data_dir))) == 9
    assert s.seconds["total"] > 0 and s.as_dict()["fallback_reasons"] == {"http-404": 1}


def test_duplicate_item_across_feeds_fetched_once(fixture_site, tmp_path):
    articles, collector = collect(load_settings(), load_feeds(feeds_file(fixture_site, tmp_path, [EN, WW_ALL])))
    assert collector.stats.duplicates == 1
    sap = [a for a in articles if a.url.endswith("sap-mistral-partnership.html")]
    assert len(sap) == 1 and sap[0].source == "The Compute Ledger"  # feed order decides, not network timing
    assert page_requests(fixture_site, "sap-mistral-partnership.html") == 1


def test_relevance_filter_uses_topic_matcher(fixture_site, tmp_path):
    settings = load_settings()
    matcher = load_topic_matcher(settings)
    assert matcher.match("Late goal sends Lyon top of the league", "en") == []
    ww_filter = dict(WW_ALL, relevance="filter")
    articles, collector = collect(settings, load_feeds(feeds_file(fixture_site, tmp_path, [ww_filter])))
    assert collector.stats.irrelevant == 2
    assert sorted(a.url.rsplit("/", 1)[-1] for a in articles) == ["aws-sovereign-cloud.html", "sap-mistral-partnership.html"]


def test_feed_state_is_committed_only_on_request(fixture_site, tmp_path):
    settings = load_settings()
    feeds = load_feeds(feeds_file(fixture_site, tmp_path, [FR, EN]))
    first, _ = collect(settings, feeds)  # not committed: as if killed before the articles were stored
    again, collector = collect(settings, feeds)
    assert len(again) == len(first) == 10 and collector.stats.feeds_not_modified == 0
    collector.commit()
    state = StateStore(settings.data_dir).feed_state(str(feeds[0].url))
    assert state.body_hash and state.last_success and state.consecutive_failures == 0
    third, collector = collect(settings, feeds)
    assert third == [] and collector.stats.feeds_not_modified == 2  # unchanged bodies are not re-parsed


def test_failing_feed_reported_not_fatal_and_counted_immediately(fixture_site, tmp_path):
    settings = load_settings(fetch_retries=0)
    broken = {"name": "Gone", "url": "{{BASE}}/feeds/gone.xml", "lang": "fr"}
    feeds = load_feeds(feeds_file(fixture_site, tmp_path, [broken, EN]))
    articles, collector = collect(settings, feeds)
    assert len(articles) == 3 and collector.stats.feeds_failed == 1 and collector.stats.feeds_ok == 1
    assert collector.stats.feed_errors[0]["feed"] == "Gone" and "HTTP 404" in collector.stats.feed_errors[0]["error"]
    collect(settings, feeds)  # no commit at all: failures are still counted
    state = StateStore(settings.data_dir).feed_state(str(feeds[0].url))
    assert state.consecutive_failures == 2 and "404" in state.last_error


def test_an_unexpected_error_in_one_feed_fails_that_feed_only(fixture_site, tmp_path, caplog):
    """Whatever a library raises on one feed's hostile input (here the DNS resolver, as getaddrinfo raised
    UnicodeError on a 64-character label), that feed is counted as failed, named in the log, and the run goes on."""

    async def resolver(host, port):
        raise RuntimeError(f"resolver bug on {host}")

    settings = load_settings(fetch_retries=0)
    odd = {"name": "Odd host", "url": "http://odd-host.test/feed.xml", "lang": "en"}
    feeds = load_feeds(feeds_file(fixture_site, tmp_path, [odd, EN]))
    articles, collector = collect(settings, feeds, resolver=resolver)
    s = collector.stats
    assert len(articles) == 3 and (s.feeds_failed, s.feeds_ok) == (1, 1)
    error = s.feed_errors[0]
    assert error["feed"] == "Odd host" and error["error"] == (
        "http://odd-host.test/feed.xml: unexpected error (RuntimeError: resolver bug on odd-host.test)")
    assert any("Odd host" in r.getMessage() and "http://odd-host.test/feed.xml" in r.getMessage() for r in caplog.records)
    state = StateStore(settings.data_dir).feed_state("http://odd-host.test/feed.xml")
    assert state.consecutive_failures == 1  # counted, so `feeds list` points at it


def test_robots_disallowed_page_and_latin1_page(fixture_site, tmp_path):
    feed = {"name": "Robots test", "url": "{{BASE}}/feeds/robots-test.xml", "lang": "fr"}
    articles, collector = collect(load_settings(), load_feeds(feeds_file(fixture_site, tmp_path, [feed])))
    by_name = {a.url.rsplit("/", 1)[-1]: a for a in articles}
    assert page_requests(fixture_site, "embargoed.html") == 0
    assert by_name["embargoed.html"].extraction == "feed-summary"
    assert collector.stats.fallback_reasons == {"robots-disallowed": 1}
    latin1 = by_name["latin1-souverainete.htm"]
    assert latin1.extraction == "trafilatura" and "collectivités françaises" in latin1.text
    assert latin1.site_name == "Gazette des Territoires"


def test_known_ids_and_since_are_skipped(fixture_site, tmp_path):
    tribune_id = article_id(fixture_site.url("articles/mistral-nvidia-tribune.html"))
    asked: list[list[str]] = []

    def is_known(ids):
        asked.append(ids)
        return {tribune_id}

    feeds = load_feeds(feeds_file(fixture_site, tmp_path, [FR]))
    since = datetime(2026, 11, 19, tzinfo=timezone.utc)
    articles, collector = collect(load_settings(), feeds, is_known=is_known, since=since)
    assert collector.stats.known == 1 and collector.stats.skipped["before-since"] == 3
    assert page_requests(fixture_site, "mistral-nvidia-tribune.html") == 0
    assert sorted(a.url.rsplit("/", 1)[-1] for a in articles) == [
        "capgemini-plan-social.html",
        "microsoft-cloud-act.html",
        "scaleway-supercalculateur.html",
    ]
    assert len(asked) == 1 and tribune_id in asked[0]  # one batched lookup


def test_conditional_get_with_etag(httpserver, tmp_path):
    page = (Path(__file__).parent / "fixtures" / "site" / "articles" / "nvidia-export-rules.html").read_bytes()
    rss = f"""<?xml version="1.0"?><rss version="2.0"><channel><title>E</title>
<item><title>Nvidia shares slide</title><link>{httpserver.url_for('/nvidia.html')}</link>
<pubDate>Wed, 18 Nov 2026 16:30:00 +0000</pubDate><description>Export curbs.</description></item></channel></rss>"""

    def feed_handler(request):
        from werkzeug.wrappers import Response

        if request.headers.get("If-None-Match") == '"v1"':
            return Response(status=304)
        return Response(rss, content_type="application/rss+xml", headers={"ETag": '"v1"'})

    httpserver.expect_request("/feed.xml").respond_with_handler(feed_handler)
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    httpserver.expect_request("/nvidia.html").respond_with_data(page, content_type="text/html; charset=utf-8")
    settings = load_settings()
    feeds = load_feeds(feeds_file(type("S", (), {"base_url": ""})(), tmp_path, [{"name": "E", "url": httpserver.url_for("/feed.xml"), "lang": "en"}]))
    articles, collector = collect(settings, feeds)
    assert len(articles) == 1 and articles[0].title.startswith("Nvidia shares slide")
    collector.commit()
    assert StateStore(settings.data_dir).feed_state(str(feeds[0].url)).etag == '"v1"'
    articles, collector = collect(settings, feeds)
    assert articles == [] and collector.stats.feeds_not_modified == 1
    feed_requests = [r for r, _ in httpserver.log if r.path == "/feed.xml"]
    assert feed_requests[-1].headers.get("If-None-Match") == '"v1"'


@pytest.mark.parametrize("etag", ['"caf\u00c3\u00a9"', '"abc\u00e9\u00ff"'], ids=["utf8-bytes", "latin1-bytes"])
def test_a_non_ascii_etag_or_last_modified_is_dropped_and_the_feed_keeps_working(httpserver, tmp_path, etag):
    """`ETag: "café"` sent once used to fail the feed on every later run (httpx cannot send it back)."""
    rss = f"""<?xml version="1.0"?><rss version="2.0"><channel><title>E</title>
<item><title>Mistral AI story</title><link>https://news.example/story.html</link>
<description>Mistral AI raised funds in Paris.</description></item></channel></rss>"""
    httpserver.expect_request("/feed.xml").respond_with_data(
        rss, content_type="application/rss+xml", headers={"ETag": etag, "Last-Modified": "Wed, 18 Nov 2026 \u00e9t\u00e9"})
    settings = load_settings(fetch_allow_hosts="127.0.0.1")
    feeds = load_feeds(feeds_file(type("S", (), {"base_url": ""})(), tmp_path,
                                  [{"name": "E", "url": httpserver.url_for("/feed.xml"), "lang": "en", "relevance": "all"}]))
    for _run in range(3):
        articles, collector = collect(settings, feeds)
        collector.commit()
        assert collector.stats.feeds_failed == 0 and collector.stats.feed_errors == []
    state = StateStore(settings.data_dir).feed_state(str(feeds[0].url))
    assert state.etag is None and state.last_modified is None and state.consecutive_failures == 0
    assert all("If-None-Match" not in r.headers and "If-Modified-Since" not in r.headers for r, _ in httpserver.log)


def test_malformed_feed_counted_items_kept(httpserver, tmp_path):
    broken = """<?xml version="1.0"?><rss version="2.0"><channel><title>Broken & co</title>
<item><title>Item one</title><link>https://news.example/one.html</link><description>Résumé un sur la souveraineté numérique.</description></item>
<item><title>Item two"""
    httpserver.expect_request("/broken.xml").respond_with_data(broken, content_type="application/rss+xml")
    feeds = load_feeds(feeds_file(type("S", (), {"base_url": ""})(), tmp_path, [{"name": "B", "url": httpserver.url_for("/broken.xml"), "lang": "fr"}]))
    # the item's page is on a host that is not allowlisted: refused by the SSRF guard without any connection
    settings = load_settings(fetch_allow_hosts="127.0.0.1,localhost")

    async def public_resolver(host, port):
        return ["10.9.9.9"] if host == "news.example" else ["127.0.0.1"]

    articles, collector = collect(settings, feeds, resolver=public_resolver)
    assert collector.stats.feeds_malformed == 1 and collector.stats.feeds_ok == 1
    assert [a.extraction for a in articles] == ["feed-summary"]
    assert collector.stats.fallback_reasons == {"ssrf": 1}


def test_iter_articles_sync_bridge(fixture_site, tmp_path):
    feeds = load_feeds(feeds_file(fixture_site, tmp_path, [FR, EN]))
    collector = Collector(load_settings(), feeds)
    got = list(iter_articles(collector, queue_size=2))
    assert len(got) == 10 and collector.stats.articles == 10
    # stopping early stops the collector
    collector = Collector(load_settings(), feeds)
    for article in iter_articles(collector, queue_size=1):
        break
    assert collector.stats.articles <= 4

    def boom(ids):
        raise RuntimeError("store unreachable")

    with pytest.raises(RuntimeError, match="store unreachable"):
        list(iter_articles(Collector(load_settings(), feeds, is_known=boom)))


def test_fetch_command_writes_jsonl_then_commits(fixture_site, tmp_path, capsys):
    path = feeds_file(fixture_site, tmp_path, [FR, EN])
    out = tmp_path / "articles.jsonl"
    main(["fetch", "--feeds", str(path), "--output", str(out), "--stats-json", str(tmp_path / "stats.json")])
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 10 and all(json.loads(line)["id"] for line in lines)
    stats = json.loads((tmp_path / "stats.json").read_text())
    assert stats["feeds_ok"] == 2 and stats["articles"] == 10 and stats["feed_summary_fallbacks"] == 1
    err = capsys.readouterr().err
    assert "fetch summary" in err and "Wrote 10 article(s)" in err
    # second run: feeds unchanged → nothing new; the seen store also remembers the ids
    main(["fetch", "--feeds", str(path), "--output", str(out)])
    assert out.read_text(encoding="utf-8") == ""
    settings = load_settings()
    ids = [json.loads(line)["id"] for line in lines]
    assert StateStore(settings.data_dir).known_ids(ids) == set(ids)


def test_stats_json_that_fails_while_written_keeps_the_previous_file(fixture_site, tmp_path, monkeypatch):
    """`fetch --stats-json` wrote in place: an error while the file was written (a disk full, a Ctrl-C; here text
    that cannot be encoded) left the earlier stats empty. Now it is written whole or not at all, no temp file left."""
    from pipeline.collect import CollectStats

    path = feeds_file(fixture_site, tmp_path, [FR])
    stats = tmp_path / "stats" / "stats.json"
    stats.parent.mkdir()
    stats.write_text('{"the": "previous stats"}', encoding="utf-8")
    real = CollectStats.as_dict
    monkeypatch.setattr(CollectStats, "as_dict", lambda self: {**real(self), "note": "\ud800"})  # fails in the write
    with pytest.raises(UnicodeEncodeError):
        main(["fetch", "--feeds", str(path), "--output", str(tmp_path / "articles.jsonl"), "--stats-json", str(stats)])
    assert stats.read_text(encoding="utf-8") == '{"the": "previous stats"}'
    assert sorted(p.name for p in stats.parent.iterdir()) == ["stats.json"]


def test_fetch_then_ingest_each_reads_the_items_the_other_already_took(fixture_site, tmp_path):
    """`fetch` and `ingest` share the data dir: a fetch moved the feeds' validators and body hash forward, and the next
    ingest skipped the unchanged feeds without reading their items (an empty store, an "ok" run). The validators are
    now ingest's alone; fetch's own memory is the list of articles it wrote."""
    path = feeds_file(fixture_site, tmp_path, [FR, EN])
    main(["fetch", "--feeds", str(path), "--output", str(tmp_path / "articles.jsonl")])
    written = len((tmp_path / "articles.jsonl").read_text(encoding="utf-8").splitlines())
    settings = load_settings()
    feeds = load_feeds(path)
    articles, collector = collect(settings, feeds)  # what ingest's collector reads next
    assert collector.stats.feeds_not_modified == 0 and len(articles) == written == 10
    collector.commit()
    main(["fetch", "--feeds", str(path), "--output", str(tmp_path / "again.jsonl")])  # after ingest: nothing new
    assert (tmp_path / "again.jsonl").read_text(encoding="utf-8") == ""
    articles, collector = collect(settings, feeds)  # ingest's validators were kept by that fetch
    assert articles == [] and collector.stats.feeds_not_modified == 2


def test_interleave_by_host_keeps_per_host_order():
    from pipeline.collect import interleave_by_host
    from pipeline.models import FeedItem

    def it(url):
        return FeedItem(article_id=article_id(url), url=url, feed_name="f", feed_url="https://f.example/rss", feed_lang="en")

    items = [it(u) for u in ("https://a.example/1", "https://a.example/2", "https://a.example/3", "https://b.example/1", "https://c.example/1")]
    assert [i.url for i in interleave_by_host(items)] == [
        "https://a.example/1", "https://b.example/1", "https://c.example/1", "https://a.example/2", "https://a.example/3",
    ]


def test_fixture_site_counts_without_relevance_filter(fixture_site, tmp_path):
    path = fixture_site.feeds_file(tmp_path)
    path.write_text(path.read_text(encoding="utf-8").replace("relevance: filter", "relevance: all"), encoding="utf-8")
    articles, collector = collect(load_settings(), load_feeds(path))
    s = collector.stats
    assert (s.feeds_ok, s.items, s.duplicates, s.irrelevant, s.articles) == (3, 14, 1, 0, 13)
    assert sum(a.extraction == "trafilatura" for a in articles) == 10 and s.fallback_reasons == {"http-404": 3}


def test_fetch_with_invalid_topics_fails_before_fetching_or_writing(fixture_site, tmp_path, monkeypatch, capsys):
    from pipeline.settings import get_settings

    config = tmp_path / "config"
    config.mkdir()
    (config / "topics.yaml").write_text("topics:\n  - id: ai\n    terms: {en: [AI]}\n", encoding="utf-8")
    monkeypatch.setenv("NEWSROOM_CONFIG_DIR", str(config))
    get_settings.cache_clear()
    path = feeds_file(fixture_site, tmp_path, [dict(WW_ALL, relevance="filter")])
    out = tmp_path / "articles.jsonl"
    with pytest.raises(SystemExit) as exit_info:
        main(["fetch", "--feeds", str(path), "--output", str(out)])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err.replace("\n", "")
    assert "topics.yaml" in err and "'ai'" in err and "'label'" in err
    assert not out.exists() and fixture_site.requests == [] and not get_settings().data_dir.exists()


def test_collector_process_log_lines_reach_this_process_through_its_handlers_masked(tmp_path, caplog):
    """A spawned process has no logging set up: its records come back here, so the CLI's format and filters apply
    (one line per problem, no secret), and the levels set here decide what is shown."""
    import logging
    import socket

    from pipeline.collect import CollectorProcess

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed once the block ends: nothing listens there
    path = tmp_path / "feeds.yaml"
    path.write_text(json.dumps({"feeds": [{"name": "Closed", "lang": "en",
                                           "url": f"http://reader:pa55word@127.0.0.1:{port}/feed.xml?token=t0k"}]}),
                    encoding="utf-8")
    caplog.set_level(logging.WARNING)
    process = CollectorProcess(load_settings(), load_feeds(path), check_known=False)
    assert list(process.articles()) == [] and process.stats.feeds_failed == 1
    lines = [r.getMessage() for r in caplog.records if r.name == "pipeline.collect"]
    assert any("feed Closed failed" in line and "http://***@127.0.0.1" in line for line in lines), lines
    assert not any("pa55word" in line or "t0k" in line for line in caplog.text.splitlines()), caplog.text


def test_feed_authors_cleaned_and_a_bare_address_leaves_the_page_byline_to_be_read(httpserver, tmp_path):
    """Feed authors are cleaned like bylines; one that cleans to nothing (a bare e-mail address) does not stop the
    page's byline from being read; the page's own time, title without site name and detected language are kept."""
    body = "".join(f"<p>{s}</p>" for s in [
        "Les deux groupes vont construire ensemble des supercalculateurs destinés aux laboratoires européens.",
        "Le premier système doit être livré au printemps et installé dans un centre de données du Nord.",
        "Les syndicats saluent un projet qui devrait préserver plusieurs centaines d’emplois qualifiés.",
        "Les clients attendent surtout une offre capable de rivaliser avec les acteurs américains du secteur.",
    ] * 6)
    signed = (f'<html><head><meta charset="utf-8"><title>Atos et Thales</title></head><body><article>'
              f'<h1>Atos et Thales s’allient</h1><div class="signature">Par Mathilde Vasseur et Olivier Debruyne'
              f'<br>Le 24/11/2026 à 18:35</div>{body}</article></body></html>')
    unsigned = (f'<html lang="en"><head><meta charset="utf-8"><meta property="og:site_name" content="The Daily Courier">'
                f'<meta property="og:title" content="Capgemini et Orange s’allient | The Daily Courier">'
                f'<meta property="article:published_time" content="2026-11-28T11:00:00+01:00"></head>'
                f'<body><article><h1>Capgemini et Orange s’allient</h1>{body}</article></body></html>')
    rss = f"""<?xml version="1.0"?><rss version="2.0"><channel><title>Courier</title>
<item><title>Atos</title><link>{httpserver.url_for('/atos.html')}</link><author>nobody@example.com</author>
<pubDate>Tue, 24 Nov 2026 17:35:00 +0000</pubDate></item>
<item><title>Capgemini</title><link>{httpserver.url_for('/capgemini.html')}</link>
<author>newsdesk@dailycourier.media (Priya Natarajan)</author><pubDate>Sun, 29 Nov 2026 08:00:00 +0000</pubDate></item>
</channel></rss>"""
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    httpserver.expect_request("/feed.xml").respond_with_data(rss, content_type="application/rss+xml")
    for name, html in (("atos.html", signed), ("capgemini.html", unsigned)):
        httpserver.expect_request(f"/{name}").respond_with_data(html.encode(), content_type="text/html; charset=utf-8")
    feeds = load_feeds(feeds_file(type("S", (), {"base_url": ""})(), tmp_path,
                                  [{"name": "Courier", "url": httpserver.url_for("/feed.xml"), "lang": "en"}]))
    articles, _ = collect(load_settings(), feeds)
    by_name = {a.url.rsplit("/", 1)[-1]: a for a in articles}
    assert by_name["atos.html"].authors == ["Mathilde Vasseur", "Olivier Debruyne"]
    capgemini = by_name["capgemini.html"]
    assert capgemini.authors == ["Priya Natarajan"]
    assert capgemini.title == "Capgemini et Orange s’allient"
    assert capgemini.published_at == datetime(2026, 11, 28, 10, tzinfo=timezone.utc)
    assert (capgemini.lang, capgemini.lang_declared) == ("fr", "en")


def test_bylines_with_a_place_an_agency_or_a_staff_label_give_people_only(httpserver, tmp_path):
    """Audit sites4 #8 and #12: « Par X, à Bruxelles », « Par X avec AFP » and "Staff and agencies" in the feed give
    the person only (the last none, so the page's « publié le …, par Y » line names the author), and that line is
    not left in the text."""
    body = "".join(f"<p>{s}</p>" for s in [
        "La Commission européenne a proposé mardi d’alléger les obligations de l’AI Act pour les jeunes pousses.",
        "Les gouvernements français et allemand défendaient cette demande depuis plus d’un an à Bruxelles.",
        "Les associations de consommateurs dénoncent un recul, les entreprises saluent un texte plus lisible.",
    ] * 4)
    page = (f'<html lang="fr"><head><meta charset="utf-8"><title>AI Act</title></head><body><article><h1>AI Act</h1>'
            f'<p class="info-publi">publié le 1er décembre 2026, par <a href="/auteur3">Yann Le Goff</a></p>{body}'
            f'</article></body></html>')
    items = "".join(
        f"<item><title>{name}</title><link>{httpserver.url_for(f'/{name}.html')}</link><dc:creator>{creator}</dc:creator>"
        f"<pubDate>Tue, 01 Dec 2026 15:00:00 +0100</pubDate></item>"
        for name, creator in (("bruxelles", "Par Anne-Sophie Mercier, à Bruxelles"),
                              ("helsing", "Par Claire Fontaine avec AFP"), ("meta", "Staff and agencies")))
    rss = (f'<?xml version="1.0"?><rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>'
           f'<title>Le Quotidien</title>{items}</channel></rss>')
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    httpserver.expect_request("/feed.xml").respond_with_data(rss, content_type="application/rss+xml")
    for name in ("bruxelles", "helsing", "meta"):
        httpserver.expect_request(f"/{name}.html").respond_with_data(page.encode(), content_type="text/html; charset=utf-8")
    feeds = load_feeds(feeds_file(type("S", (), {"base_url": ""})(), tmp_path,
                                  [{"name": "Le Quotidien", "url": httpserver.url_for("/feed.xml"), "lang": "fr"}]))
    articles, _ = collect(load_settings(), feeds)
    by_name = {a.url.rsplit("/", 1)[-1]: a for a in articles}
    assert by_name["bruxelles.html"].authors == ["Anne-Sophie Mercier"]
    assert by_name["helsing.html"].authors == ["Claire Fontaine"]
    assert by_name["meta.html"].authors == ["Yann Le Goff"]
    assert all("publié le" not in a.text and "Yann Le Goff" not in a.text for a in articles)


def test_fetch_output_through_a_symlink_replaces_its_target_and_keeps_the_link(fixture_site, tmp_path):
    path = feeds_file(fixture_site, tmp_path, [FR, EN])
    target = tmp_path / "real" / "articles.jsonl"
    target.parent.mkdir()
    target.write_text("old\n", encoding="utf-8")
    target.chmod(0o640)
    link = tmp_path / "link.jsonl"
    link.symlink_to(target)
    main(["fetch", "--feeds", str(path), "--output", str(link)])
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert len(target.read_text(encoding="utf-8").splitlines()) == 10
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert sorted(p.name for p in target.parent.iterdir()) == ["articles.jsonl"]  # no .part left behind


def test_fetch_output_to_a_fifo_is_written_in_place(fixture_site, tmp_path):
    """A FIFO (like /dev/null, a device) is written directly, never replaced by a regular file."""
    path = feeds_file(fixture_site, tmp_path, [FR, EN])
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    try:
        main(["fetch", "--feeds", str(path), "--output", str(fifo)])
    finally:
        if reader.is_alive():  # unblock the reader if fetch failed before opening the FIFO
            with open(fifo, "wb"):
                pass
        reader.join(10)
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert len(received[0].decode().splitlines()) == 10
    assert not (tmp_path / "pipe.part").exists()


def test_fetch_output_that_is_a_directory_is_refused_before_fetching(fixture_site, tmp_path, capsys):
    path = feeds_file(fixture_site, tmp_path, [FR])
    out = tmp_path / "adir"
    out.mkdir()
    with pytest.raises(SystemExit) as exit_info:
        main(["fetch", "--feeds", str(path), "--output", str(out)])
    assert exit_info.value.code == 2
    assert "is a directory" in capsys.readouterr().err
    assert fixture_site.requests == [] and not (tmp_path / "adir.part").exists()


def test_atomic_output_leaves_no_part_file_when_the_replace_fails(tmp_path):
    from pipeline.safewrite import atomic_output

    out = tmp_path / "adir"
    with pytest.raises(IsADirectoryError):
        with atomic_output(out) as fh:
            fh.write("x")
            out.mkdir()  # appears while the output is written: os.replace fails
    assert sorted(p.name for p in tmp_path.iterdir()) == ["adir"]
    with pytest.raises(ConfigError, match="is a directory"):
        with atomic_output(out) as fh:
            fh.write("x")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["adir"]


def test_fetch_with_no_enabled_feed_says_so(tmp_path, capsys):
    path = tmp_path / "feeds.yaml"
    path.write_text("feeds: []\n", encoding="utf-8")
    main(["fetch", "--feeds", str(path), "--output", str(tmp_path / "out.jsonl")])
    err = capsys.readouterr().err.replace("\n", " ")
    assert "Wrote 0 article(s)" in err and "lists no enabled feed, so nothing was fetched" in err


def test_a_story_is_credited_to_the_feed_on_its_own_site_port_included(tmp_path):
    """Sites that differ only by their port (the audit's mini sites on 127.0.0.1) are different sites: a relay on
    another port is no publisher's own feed, whatever its place in feeds.yaml."""
    from pipeline.models import Article, Feed, FeedItem

    relay, own = "http://127.0.0.1:18206/rss3.xml", "http://127.0.0.1:18203/feed/"
    feeds = [Feed(name="Agrégateur", url=relay, lang="fr"), Feed(name="The Sovereign Stack", url=own, lang="en")]
    collector = Collector(load_settings(), feeds)
    story = "http://127.0.0.1:18203/eu-fines-meta-ai-training/"

    def copy(feed: Feed) -> tuple[FeedItem, Article]:
        item = FeedItem(article_id=article_id(story), url=story, feed_name=feed.name, feed_url=str(feed.url),
                        feed_lang=feed.lang)
        return item, Article(id=article_id(story), url=story, domain="127.0.0.1", source=feed.name, text="x",
                             fetched_at=datetime.now(timezone.utc), extraction="trafilatura", word_count=1,
                             content_hash="h")

    assert collector._credited(*copy(feeds[0])).source == "Agrégateur"  # the only copy so far
    assert collector._credited(*copy(feeds[1])).source == "The Sovereign Stack"  # the publisher's own
    assert collector._credited(*copy(feeds[0])).source == "The Sovereign Stack"  # a later relay copy takes its credit


def test_a_story_listed_by_a_relay_first_is_fetched_through_its_publishers_feed(httpserver, tmp_path):
    """The same story (same id once tracking parameters go) in a relay's feed listed first and in the publisher's:
    the relay's link was the one fetched, and when it failed the story was stored from the relay's one-word summary,
    credited to the relay, while the publisher's link answered."""
    page = (Path(__file__).parent / "fixtures" / "site" / "articles" / "nvidia-export-rules.html").read_bytes()
    base = httpserver.url_for("/").rstrip("/")  # localhost: the relay's host
    site = base.replace("localhost", "127.0.0.1")  # the publisher's

    def rss(link: str, summary: str) -> str:
        return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>F</title><item><title>Nvidia shares slide'
                f"</title><link>{link}</link><description>{summary}</description></item></channel></rss>")

    httpserver.expect_request("/relay.xml").respond_with_data(rss(f"{site}/nvidia.html?utm_medium=rss", "Repris"),
                                                              content_type="application/rss+xml")
    httpserver.expect_request("/feed.xml").respond_with_data(rss(f"{site}/nvidia.html", "Export curbs hit Nvidia."),
                                                             content_type="application/rss+xml")
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    httpserver.expect_request("/nvidia.html", query_string="utm_medium=rss").respond_with_data("", status=404)
    httpserver.expect_request("/nvidia.html").respond_with_data(page, content_type="text/html; charset=utf-8")
    feeds = load_feeds(feeds_file(type("S", (), {"base_url": ""})(), tmp_path, [
        {"name": "Relais", "url": f"{base}/relay.xml", "lang": "en"},
        {"name": "The Compute Ledger", "url": f"{site}/feed.xml", "lang": "en"}]))
    articles, collector = collect(load_settings(), feeds)
    assert collector.stats.duplicates == 1 and len(articles) == 1
    assert (articles[0].source, articles[0].extraction, articles[0].fallback_reason) == (
        "The Compute Ledger", "trafilatura", None)


def test_committing_feed_states_waits_only_the_configured_lock_timeout(tmp_path, monkeypatch):
    """commit_states ignored NEWSROOM_STATE_LOCK_TIMEOUT and always waited 30 s for a lock held elsewhere."""
    import sqlite3
    import time

    from pipeline.collect import commit_states
    from pipeline.state import STATE_FILE, StateError, StateStore

    monkeypatch.setenv("NEWSROOM_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("NEWSROOM_STATE_LOCK_TIMEOUT", "0.5")
    settings = load_settings()
    StateStore(settings.data_dir)  # the schema
    holder = sqlite3.connect(tmp_path / STATE_FILE, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")  # another newsroom process writing
    try:
        started = time.monotonic()
        with pytest.raises(StateError):
            commit_states(settings, [{"url": "https://news.example/feed.xml"}])
        assert time.monotonic() - started < 5
    finally:
        holder.execute("ROLLBACK")
        holder.close()
