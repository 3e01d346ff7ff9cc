"""Hostile pages and feed items (audit round 4, hostile web input): bogus dates, control characters in summaries,
enclosure-only items, huge texts, deep nesting, lying charset labels, odd files given to `newsroom extract`.

Pages are served by a local HTTP server on 127.0.0.1 (pytest-httpserver) and read through the real collector or the
real CLI."""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import os
import sqlite3
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from werkzeug.wrappers import Response

from pipeline.budget import MAX_TEXT_NODE, parse_within_budget
from pipeline.cli import main
from pipeline.collect import Collector
from pipeline.extract import MAX_TEXT_CHARS, extract_article, extract_file
from pipeline.feeds import load_feeds
from pipeline.fetch import ROBOTS_MAX_BYTES, Fetcher
from pipeline.settings import load_settings
from pipeline.sinks import MAX_LOG_LINE

from _hostile_site import RawSite

SENTENCE = ("Mistral AI and Nvidia discussed sovereign computing in Europe, while ministers weighed the cost of cloud "
            "contracts and the pace of new regulation. ")
FEED_DATE = "Mon, 30 Nov 2026 10:00:00 +0000"


def story(title: str, head: str = "", body: str | None = None) -> str:
    """A normal ~230-word news page; `head` goes in <head> (JSON-LD, metas)."""
    paragraphs = body if body is not None else "".join(
        f"<p>Part {i}: {SENTENCE} In region {i}, {i * 3} officials said talks on contract {i * 7} go on. {SENTENCE}</p>"
        for i in range(1, 7))
    return (f"<!DOCTYPE html><html lang='en'><head><title>{title}</title>{head}</head>"
            f"<body><article><h1>{title}</h1>{paragraphs}</article></body></html>")


def json_ld(date: str) -> str:
    return ('<script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle",'
            f'"headline":"Mistral AI story","datePublished":"{date}"}}</script>')


def rss(items: list[str]) -> str:
    return ('<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Site</title>'
            f"<language>en</language>{''.join(items)}</channel></rss>")


def rss_item(title: str, link: str, summary: str = "Mistral AI teaser for the story.") -> str:
    return (f"<item><title>{title}</title><link>{link}</link><pubDate>{FEED_DATE}</pubDate>"
            f"<description>{summary}</description></item>")


def feeds_file(httpserver, tmp_path: Path, feed_body: str | bytes) -> Path:
    httpserver.expect_request("/feed.xml").respond_with_data(feed_body, content_type="application/rss+xml")
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    path = tmp_path / "feeds.yaml"
    path.write_text(json.dumps({"feeds": [{"name": "Site", "url": httpserver.url_for("/feed.xml"), "lang": "en"}]}))
    return path


def collect(httpserver, tmp_path: Path, feed_body: str | bytes, **options):
    return collect_feeds(feeds_file(httpserver, tmp_path, feed_body), **options)


def collect_feeds(feeds: Path, **options):
    """The articles the real collector gives for the feeds file `feeds`, and the collector (its stats)."""
    collector = Collector(load_settings(), load_feeds(feeds), **options)

    async def go():
        return [a async for a in collector.articles()]

    return asyncio.run(go()), collector


def collect_timed(tmp_path: Path, feed: str, pages: dict) -> tuple[list, float]:
    """Serve `feed` at /feed.xml beside `pages` and collect it: the articles and the CPU seconds collecting took."""
    with RawSite({"/feed.xml": (200, {"Content-Type": "application/rss+xml"}, feed), **pages}) as site:
        feeds = site.feeds_file(tmp_path)
        start = time.process_time()
        articles, _ = collect_feeds(feeds)
        return articles, time.process_time() - start


def serve_page(httpserver, path: str, body: str | bytes, content_type: str = "text/html; charset=utf-8") -> str:
    httpserver.expect_request(path).respond_with_handler(lambda request: Response(body, content_type=content_type))
    return httpserver.url_for(path)


# --------------------------------------------------------------------------------------------- bogus page dates

BOGUS_DATES = {"y10k": "9999-12-31T23:59:59-23:59", "tz": "2026-12-01T09:00:00+25:00", "future": "2100-01-01T00:00:00Z",
               "neg": "-2026-01-01"}


def test_extract_reads_pages_with_bogus_dates_keeps_their_text_and_notes_the_dates(tmp_path, capsys):
    folder = tmp_path / "saved"
    folder.mkdir()
    for name, date in BOGUS_DATES.items():
        (folder / f"a-{name}.html").write_text(story(f"Mistral AI {name}", json_ld(date)), encoding="utf-8")
    (folder / "b-normal.html").write_text(story("Mistral AI normal", json_ld("2026-11-30T09:00:00+01:00")),
                                          encoding="utf-8")
    out = tmp_path / "out.jsonl"
    main(["extract", str(folder), "--output", str(out)])  # no traceback, no exception: every file is extracted
    records = {Path(r["file"]).stem: r for r in map(json.loads, out.read_text(encoding="utf-8").splitlines())}
    assert set(records) == {f"a-{name}" for name in BOGUS_DATES} | {"b-normal"}
    for name in BOGUS_DATES:
        assert records[f"a-{name}"]["extraction"] == "trafilatura" and "error" not in records[f"a-{name}"]
        assert records[f"a-{name}"]["published"] is None and records[f"a-{name}"]["word_count"] > 150
    assert records["b-normal"]["published"] == "2026-11-30T08:00:00+00:00"
    err = " ".join(capsys.readouterr().err.split())
    assert "Extracted 5/5" in err
    assert "note: 4 file(s) stated a publication date before 1990, more than 2 days ahead or impossible" in err


def test_fetch_keeps_the_text_of_pages_with_bogus_dates_and_counts_them(httpserver, tmp_path, capsys):
    items = []
    for name, date in BOGUS_DATES.items():
        url = serve_page(httpserver, f"/d-{name}.html", story(f"Mistral AI {name}", json_ld(date)))
        items.append(rss_item(f"Mistral AI {name}", url))
    feeds = feeds_file(httpserver, tmp_path, rss(items))
    out, stats = tmp_path / "out.jsonl", tmp_path / "stats.json"
    main(["fetch", "--feeds", str(feeds), "--output", str(out), "--stats-json", str(stats)])
    articles = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(articles) == 4
    for article in articles:  # the page's text, the feed's date
        assert (article["extraction"], article["published_at"]) == ("trafilatura", "2026-11-30T10:00:00Z")
    assert json.loads(stats.read_text())["implausible_page_dates"] == 4
    err = " ".join(capsys.readouterr().err.split())
    assert "note: 4 page(s) stated a publication date before 1990, more than 2 days ahead or impossible" in err


def test_a_utc_offset_past_14_hours_in_a_feed_or_a_page_date_makes_no_date(httpserver, tmp_path):
    """UTC offsets run from -12:00 to +14:00. feedparser reads any two-digit pair (`+9999` as 99 h 99 min, so the item
    was dated four days early, `-2400` a day late) and Python any offset under 24 h (`-20:00` on a page): such a date
    was taken as it read, neither dropped nor counted. Now it is no date, counted as implausible (hostile-input
    audit, ninth round)."""
    dates = {"plus9999": "Thu, 03 Dec 2026 09:30:00 +9999", "minus2400": "Thu, 03 Dec 2026 09:30:00 -2400",
             "iso1500": "2026-12-03T09:30:00+15:00", "colon9999": "2026-12-03T09:30:00+99:99",
             "kiribati": "Thu, 03 Dec 2026 09:30:00 +1400", "baker": "2026-12-03T09:30:00-12:00"}
    items = []
    for name, date in dates.items():
        url = serve_page(httpserver, f"/o-{name}.html", story(f"Mistral AI {name}"))
        items.append(rss_item(f"Mistral AI {name}", url).replace(FEED_DATE, date))
    url = serve_page(httpserver, "/o-page.html", story("Mistral AI page", json_ld("2026-11-29T09:00:00-20:00")))
    items.append(rss_item("Mistral AI page", url))
    articles, collector = collect(httpserver, tmp_path, rss(items))
    published = {a.url.rsplit("/o-", 1)[1].removesuffix(".html"): a.published_at for a in articles}
    assert {name: when and when.isoformat() for name, when in published.items()} == {
        "plus9999": None, "minus2400": None, "iso1500": None, "colon9999": None,
        "kiribati": "2026-12-02T19:30:00+00:00", "baker": "2026-12-03T21:30:00+00:00",
        "page": "2026-11-30T10:00:00+00:00"}  # the page's -20:00 dropped, the feed's date stands in
    assert all(a.extraction == "trafilatura" for a in articles)
    assert (collector.stats.implausible_dates, collector.stats.implausible_page_dates) == (4, 1)


def test_a_story_linked_by_its_idn_host_and_by_its_punycode_is_one_article(httpserver, tmp_path):
    """`http://café.test/…` and `http://xn--caf-dma.test/…` are one host (browsers and httpx send the second), but
    the id hashed the host as written: two feeds listing a story each way gave two articles and two fetches, and a
    story stored under one spelling was fetched and stored again under the other (hostile-input audit, ninth round).
    Now the id reads the host in its ASCII (IDNA) form; an article stored under the Unicode spelling before still
    counts as known."""
    from pipeline.urls import article_id

    port = httpserver.port
    serve_page(httpserver, "/story.html", story("Mistral AI signs a compute deal"))
    serve_page(httpserver, "/second.html", story("Mistral AI opens an office"))
    bodies = {
        "unicode": rss([rss_item("Mistral AI signs a compute deal", f"http://café.test:{port}/story.html"),
                        rss_item("Mistral AI opens an office", f"http://CAFÉ.test:{port}/second.html")]),
        "punycode": rss([rss_item("Mistral AI signs a compute deal", f"http://xn--caf-dma.test:{port}/story.html")]),
    }
    for name, body in bodies.items():
        httpserver.expect_request(f"/{name}.xml").respond_with_data(body, content_type="application/rss+xml")
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    path = tmp_path / "feeds.yaml"
    path.write_text(json.dumps({"feeds": [{"name": name, "url": httpserver.url_for(f"/{name}.xml"), "lang": "en"}
                                          for name in bodies]}))

    async def resolver(host, port):
        return ["127.0.0.1"]

    def run(is_known=None):
        collector = Collector(load_settings(fetch_allow_hosts="127.0.0.1"), load_feeds(path), resolver=resolver,
                              is_known=is_known)

        async def go():
            return [a async for a in collector.articles()]

        return asyncio.run(go()), collector

    articles, collector = run()
    assert sorted(a.url for a in articles) == [f"http://xn--caf-dma.test:{port}/second.html",
                                               f"http://xn--caf-dma.test:{port}/story.html"]
    assert all(a.extraction == "trafilatura" for a in articles) and collector.stats.duplicates == 1
    assert sum(1 for request, _ in httpserver.log if request.path == "/story.html") == 1
    legacy = {hashlib.sha256(f"http://café.test:{port}/story.html".encode()).hexdigest()}  # the id stored before
    assert article_id(f"http://café.test:{port}/story.html") not in legacy
    articles, collector = run(is_known=lambda ids: legacy & set(ids))
    assert [a.url.rsplit("/", 1)[1] for a in articles] == ["second.html"] and collector.stats.known == 1


def test_a_line_holding_a_long_run_of_spaces_is_read_for_furniture_in_linear_time():
    """A `<pre>` block keeps its spaces, and so did each line the furniture checks read: « Publié le 1 décembre 2026 »,
    20,000 spaces and a word made the date-line-then-byline pattern try every split of the run (quadratic), 15 s of CPU
    for a 20 KB page on the collector's extraction thread (hostile-input audit, ninth round). The checks read each
    line with its runs of spaces as one; the text keeps its own."""
    line = "Publié le 1 décembre 2026" + " " * 20000 + "Mistral"
    started = time.process_time()
    result = extract_article(story("Mistral AI story", body=f"<pre>{line}</pre>" + "".join(
        f"<p>Part {i}: {SENTENCE} {SENTENCE}</p>" for i in range(6))), url="https://news.example/a.html")
    assert time.process_time() - started < 3
    assert result.extraction == "trafilatura" and "Part 5: Mistral AI" in result.text


def test_a_time_shown_after_nests_of_elements_is_found_in_linear_time():
    """The shown-time reader took each short element's text from all its descendants, in XPath and again in Python,
    so a nest of elements was read again at every level: 9 nests of 2,000 `<div>` (a 200 KB page, under every page
    limit) cost 8 s of CPU to find the dateline after them (hostile-input audit, tenth round). Each element's text is
    now built once, from its children's."""
    from pipeline.pagetime import shown_time, shown_timestamp

    nests = ("<div>" * 2000 + "x" + "</div>" * 2000) * 9
    tree = parse_within_budget(f"<html lang='fr'><body><article>{nests}<p>Publié le 3 décembre 2026 à 14h05</p>"
                               "</article></body></html>", None)
    started = time.process_time()
    found = shown_timestamp(tree, "https://presse.example.fr/a.html"), shown_time(tree, "2026-12-03",
                                                                                   "https://presse.example.fr/a.html")
    assert time.process_time() - started < 3  # 0.1 s now
    assert [stamp.isoformat() for stamp in found] == ["2026-12-03T13:05:00+00:00"] * 2


def test_nests_of_byline_boxes_that_name_nobody_are_read_in_a_few_boxes():
    """Nine nests of 2,000 `<div class="byline">` holding one letter (a 300 KB page under every limit): each box was
    read whole for a byline of 3 to 120 characters, 24.7 s of CPU to extract the page; the boxes passed over for
    naming nobody (mini news sites: « Publié le … ») are now read 30 at most, 2.5 s for the whole page."""
    nests = ('<div class="byline">' * 2000 + "x" + "</div>" * 2000) * 9
    started = time.process_time()
    result = extract_article(story("Mistral AI story", body=nests + "".join(
        f"<p>Part {i}: {SENTENCE} {SENTENCE}</p>" for i in range(6))), url="https://news.example/a.html")
    assert time.process_time() - started < 8
    assert result.extraction == "trafilatura" and result.authors == []


@pytest.mark.parametrize("tag", ["div", "footer"])
def test_the_byline_and_depth_checks_read_a_nest_of_elements_once(tag):
    """Three byline patterns tested each element for a <p> or <div> anywhere under it (`.//p or .//div`) and read its
    text again, and the page's depth was tested from each element down (`//*/*/…`): each read a nest again from every
    one of its elements, most of the 3.5 s of CPU that nine nests of 2,000 <div>s (a 200 KB page under every limit)
    cost to extract (hostile-input audit, tenth round's leftover; 1.4 s now, trafilatura's own reading of 18,000
    elements), 1.5 s for <footer>s (0.8 s now). The byline boxes are found in one pass, the depth read from the root
    down: for one nest 40,000 deep (built in memory, past the parser's depth) about 60 s of CPU with <div>s, 35 s with
    <footer>s; now 0.7-0.9 s, most of it trafilatura's own byline selectors."""
    from lxml.etree import SubElement
    from lxml.html import document_fromstring

    from pipeline.budget import _REACHES_DEEP, _REACHES_MAX_DEPTH
    from pipeline.extract import _byline

    tree = document_fromstring("<html><body><article><p>Part 1.</p></article></body></html>")
    nest = tree.find(".//article")
    for _ in range(40_000):
        nest = SubElement(nest, tag)
    SubElement(nest, "span").text = "Hosted by Jeanne Martin"  # the last of the three patterns tried
    started = time.process_time()
    found = _byline(tree), _REACHES_DEEP(tree), _REACHES_MAX_DEPTH(tree)
    assert time.process_time() - started < 18  # 0.7-0.9 s now, 35-60 s before
    assert found == ("Jeanne Martin", True, True)


def test_tables_nested_hundreds_deep_are_read_as_blocks_and_keep_their_text():
    """trafilatura collects a table's cells again for every table around it: nine nests of 500 tables (151 KB, within
    every page limit) took 19 s of CPU to extract, one nest 2.4 s (hostile-input audit, tenth round). Tables nested
    more than MAX_TABLE_NESTING deep are now read as plain blocks (2.6 s and 0.3 s, the rest being the nesting
    itself), and a newsletter's layout of a few nested tables is left as it is."""
    from pipeline.budget import MAX_TABLE_NESTING

    nest = "<table><tr><td>" * 500 + "<p>The innermost cell names Mistral AI.</p>" + "</td></tr></table>" * 500
    layout = "<table><tr><td>" * 8 + "<p>A newsletter cell.</p>" + "</td></tr></table>" * 8
    html = story("Mistral AI tables", body="".join(f"<p>Part {i}: {SENTENCE} {SENTENCE}</p>" for i in range(6))
                 + nest + layout)
    tree = parse_within_budget(html, None)
    assert len(tree.xpath("//table")) == MAX_TABLE_NESTING + 8
    assert not tree.xpath(f"//table[ancestor::table[{MAX_TABLE_NESTING}]]")
    assert len(tree.xpath("//td")) == MAX_TABLE_NESTING + 8 and len(tree.xpath("//td//td//td//td//td//td//td//td"))
    result = extract_article(html, url="https://news.example/tables.html")
    assert result.extraction == "trafilatura" and "The innermost cell names Mistral AI." in result.text
    assert "Part 5: Mistral AI" in result.text and "A newsletter cell." in result.text


def test_a_title_holding_a_long_run_of_spaces_is_cleaned_in_linear_time():
    """The site-name patterns (« Headline - Site ») tried a title's run of spaces again from each of its characters:
    40,000 spaces before « - Le Site » cost 8 s of CPU, 199,000 (a 600 KB page) 238 s on the collector's extraction
    thread (hostile-input audit, tenth round). The title's white space runs are read as one space first."""
    title = "Mistral" + " " * 40_000 + "- Le Site"  # one word before the site's name: every pattern is tried
    started = time.process_time()
    head = f"<meta property='og:site_name' content='Le Site'><meta property='og:title' content='{title}'>"
    result = extract_article(story(title, head=head), url="https://news.example/a.html")
    assert time.process_time() - started < 1.5  # 0.02 s now
    assert result.extraction == "trafilatura" and result.title == "Mistral - Le Site"  # never down to one word


def test_a_site_name_holding_a_long_run_of_spaces_is_compared_in_linear_time():
    """The site's name is split into its parts (« The Ledger — Technology ») to tell it from a byline or a title: a
    pattern of white space around a dash tried a run of spaces again from each of its characters, so an og:site_name
    of 30,000 spaces between two words cost 11 s of CPU, 150,000 (a 150 KB page) 264 s (hostile-input audit, tenth
    round). The name's white space runs are read as one space first."""
    head = "<meta property='og:site_name' content='Le" + " " * 30_000 + "Site'>"
    started = time.process_time()
    result = extract_article(story("Mistral - Le Site", head=head), url="https://news.example/a.html")
    assert time.process_time() - started < 1.5  # 0.02 s now
    assert result.extraction == "trafilatura" and result.site_name == "Le Site"


@pytest.mark.parametrize("shown", ["9999-12-31 23:59 EST", "31/12/9999 23:59 EST", "0001-01-01 00:30 CEST"])
def test_a_time_shown_past_the_calendar_in_utc_leaves_the_page_its_text(httpserver, tmp_path, caplog, shown):
    """A page without a date in its markup that shows one beside a time and a zone: 23:59 EST on 9999-12-31 is past
    year 9999 in UTC, and the OverflowError cost the page its text (`extraction-error`, a traceback in the log)."""
    page = story("Mistral AI shown", body="".join(
        f"<p>Part {i}: {SENTENCE}</p>" for i in range(6)) + f"<p class='date'>Published {shown}</p>")
    url = serve_page(httpserver, "/shown.html", page)
    with caplog.at_level(logging.WARNING):
        [article], _ = collect(httpserver, tmp_path, rss([rss_item("Mistral AI shown", url)]))
    assert article.extraction == "trafilatura" and "Traceback" not in caplog.text


# --------------------------------------------------------------------------------------------- feed summaries

def test_a_control_character_in_a_feed_summary_neither_keeps_entities_nor_reaches_the_article(httpserver, tmp_path):
    summary = ("Mistral AI et l&amp;#8217;IA &amp;amp; la souverainet&amp;eacute;\x0c num&amp;eacute;rique : AT&amp;amp;T "
               "&amp;lt;b&amp;gt; le d&amp;eacute;bat.\x1b[31m &lt;p&gt;Lire la suite&lt;/p&gt;")
    httpserver.expect_request("/gone.html").respond_with_data("gone", status=404)
    articles, _ = collect(httpserver, tmp_path, rss([rss_item("Mistral AI \x07souveraineté", httpserver.url_for(
        "/gone.html"), summary)]))
    [article] = articles
    assert article.extraction == "feed-summary"
    assert article.text == "Mistral AI et l’IA & la souveraineté numérique : AT&T <b> le débat.[31m"
    assert article.description == article.text and article.title == "Mistral AI souveraineté"


def test_an_enclosure_only_item_is_skipped_as_no_link_and_its_guid_never_fetched(httpserver, tmp_path):
    page = serve_page(httpserver, "/story.html", story("Mistral AI story"))
    pod = ("<item><title>Mistral AI podcast</title><guid>{}</guid><pubDate>" + FEED_DATE + "</pubDate>"
           "<description>Mistral AI episode.</description>"
           '<enclosure url="https://cdn.example.org/ep1.mp3" type="audio/mpeg" length="1000"/></item>')
    feed = rss([pod.format("podcast-1"), pod.format("abc/def"), pod.format("3f1c2b9e-6d1a-4c52-9a57-0d3c5e0a9b11"),
                rss_item("Mistral AI story", page)])
    articles, collector = collect(httpserver, tmp_path, feed)
    assert [a.url for a in articles] == [page]
    assert collector.stats.skipped["no-link"] == 3
    requested = {request.path for request, _ in httpserver.log}
    assert requested == {"/feed.xml", "/robots.txt", "/story.html"}


# --------------------------------------------------------------------------------------------- huge texts

def big_pages(words: int) -> dict[str, str]:
    body = json.dumps({"@context": "https://schema.org", "@type": "NewsArticle", "headline": "Mistral AI big",
                       "articleBody": "word " * words})
    return {
        "ld": story("Mistral AI big JSON-LD", f"<script type='application/ld+json'>{body}</script>", "<p>Short.</p>"),
        "plain": story("Mistral AI big plain", "", "<p>" + "word " * words + "</p>"),
    }


def test_a_9_mb_page_of_one_paragraph_or_one_json_ld_body_is_refused_in_well_under_a_second(httpserver, tmp_path):
    """The paragraph's page is refused; the JSON-LD one is read without its 9 MB script, which no reader reads past
    MAX_TEXT_NODE (hostile input, twelfth round: its size is counted without it), so only "Short." is left."""
    items = []
    for name, body in big_pages(1_800_000).items():  # 9 MB each, under NEWSROOM_FETCH_MAX_BYTES
        items.append(rss_item(f"Mistral AI {name}", serve_page(httpserver, f"/{name}.html", body)))
        (tmp_path / f"{name}.html").write_text(body, encoding="utf-8")
        cpu = time.process_time()
        record = extract_file(tmp_path / f"{name}.html")
        assert time.process_time() - cpu < 1.5  # 5-6 s of CPU (and 1.3 GB) before the size limit
        if name == "plain":
            assert record["error"] == f"page too large to extract ({len(body):,} characters, limit 3,000,000)"
        else:
            assert (record["text"], record["word_count"]) == ("Short.", 1)
    articles, collector = collect(httpserver, tmp_path, rss(items))
    assert sorted((a.title, a.extraction, a.fallback_reason) for a in articles) == [
        ("Mistral AI ld", "feed-summary", "too-little-text"), ("Mistral AI plain", "feed-summary", "page-too-complex")]
    assert collector.stats.fallback_reasons == {"page-too-complex": 1, "too-little-text": 1}


def test_one_text_longer_than_any_article_is_cut_and_a_json_ld_script_that_long_is_not_read(caplog):
    pages = big_pages(100_000)  # 500 KB: under the size limit
    with caplog.at_level(logging.INFO, logger="pipeline.budget"):
        plain = parse_within_budget(pages["plain"], "https://news.example/plain")
        ld = parse_within_budget(pages["ld"], "https://news.example/ld")
    assert MAX_TEXT_NODE - 1000 < len(plain.xpath("string(//p)")) <= MAX_TEXT_NODE
    assert ld.xpath("string(//script)") == "" and ld.xpath("string(//p)") == "Short."
    assert "characters cut to" in caplog.text and "a JSON-LD script of" in caplog.text
    article = extract_article(pages["plain"], "https://news.example/plain")
    assert article.title == "Mistral AI big plain" and len(article.text) <= MAX_TEXT_CHARS


# --------------------------------------------------------------------------------------------- author metadata

def people(n: int) -> list[str]:
    """`n` distinct two-word names without digits (trafilatura's normaliser drops a name's digits)."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    return [f"Jo{letters[i // 676 % 26]}{letters[i // 26 % 26]}{letters[i % 26]} Smith" for i in range(n)]


def test_pages_naming_a_thousand_authors_or_a_name_of_40000_brackets_are_read_in_linear_time(httpserver, tmp_path,
                                                                                             caplog):
    """trafilatura's author normaliser compares each new name with every earlier one on each call, and one of its
    regexes is quadratic in a name's length: each of these pages took 10-17 s of CPU on the collector's extraction
    thread (2,000 tags: over two minutes). Past the people limits the author metadata is not read; the text is."""
    ld_authors = json.dumps({"@context": "https://schema.org", "@type": "NewsArticle", "headline": "Mistral AI ld",
                             "author": [{"@type": "Person", "name": name} for name in people(1_000)]})
    pages = {
        "metas": story("Mistral AI metas", "".join(f'<meta name="author" content="{name}">' for name in people(1_000))),
        "ld": story("Mistral AI ld", f'<script type="application/ld+json">{ld_authors}</script>'),
        "brackets": story("Mistral AI brackets", '<meta name="author" content="John Smith ' + "(" * 40_000 + '">'),
        "two": story("Mistral AI two", '<meta name="author" content="Jane Doe, John Roe">'),
    }
    items = [rss_item(f"Mistral AI {name}", serve_page(httpserver, f"/{name}.html", body))
             for name, body in pages.items()]
    cpu = time.process_time()
    with caplog.at_level(logging.INFO, logger="pipeline.budget"):
        articles, _ = collect(httpserver, tmp_path, rss(items))
    assert time.process_time() - cpu < 8  # about 43 s before
    by_name = {a.url.rsplit("/", 1)[1]: a for a in articles}
    assert all(by_name[f"{name}.html"].extraction == "trafilatura" for name in pages)
    assert by_name["two.html"].authors == ["Jane Doe", "John Roe"]
    assert len(by_name["metas.html"].authors) <= 50 and by_name["ld.html"].authors == []
    assert caplog.text.count("author meta tag(s) and") == 3


def test_json_ld_scripts_that_trafilatura_would_strip_or_read_in_quadratic_time_are_not_read(httpserver, tmp_path,
                                                                                           caplog):
    """trafilatura strips tags from each JSON-LD script (`<!--.*?-->|<[^>]*>`) before reading it, from every unclosed
    `<` or `<!--` to the script's end: 100,000 `<` took 5.6 s of CPU, 15,000 `<!--a>` about 5 s. It reads
    `application/settings+json` scripts as JSON-LD too, where 700 authors escaped the people limit (about 6 s)."""
    settings = json.dumps({"@context": "https://schema.org", "@type": "NewsArticle", "headline": "Mistral AI",
                           "author": [{"@type": "Person", "name": name} for name in people(700)]})
    pages = {
        "brackets": story("Mistral AI brackets", "<script type='application/ld+json'>" + "<" * 100_000 + "</script>"),
        "comments": story("Mistral AI comments", "<script type='application/ld+json'>" + "<!--a>" * 15_000 + "</script>"),
        "settings": story("Mistral AI settings", f"<script type='application/settings+json'>{settings}</script>"),
    }
    items = [rss_item(f"Mistral AI {name}", serve_page(httpserver, f"/{name}.html", body))
             for name, body in pages.items()]
    cpu = time.process_time()
    with caplog.at_level(logging.INFO, logger="pipeline.budget"):
        articles, _ = collect(httpserver, tmp_path, rss(items))
    assert time.process_time() - cpu < 5  # 18 s before
    assert sorted(a.extraction for a in articles) == ["trafilatura"] * 3
    assert caplog.text.count("unclosed `<` or `<!--` (limit 100) not read") == 2


def test_meta_contents_that_trafilatura_would_strip_of_tags_in_quadratic_time_are_not_read(httpserver, tmp_path,
                                                                                         caplog):
    """trafilatura strips tags from every <meta> content with the same regex: 100,000 `&lt;` in a description took
    5.5 s of CPU and 15,000 `&lt;!--` in keywords about 5 s. A `<` written as an entity is no `<` of the markup, so
    the page's tag limit did not see them; nor did the JSON-LD check see `\\u003c`, read as `<` before the strip."""
    pages = {
        "description": story("Mistral AI description", '<meta name="description" content="' + "&lt;" * 100_000 + '">'),
        "keywords": story("Mistral AI keywords", '<meta name="keywords" content="' + "&lt;!--" * 15_000 + '">'),
        "escaped": story("Mistral AI escaped", '<script type="application/ld+json">{"headline": "x", "about": "'
                         + "\\u003c" * 30_000 + '"}</script>'),
        "plain": story("Mistral AI plain", '<meta name="description" content="Mistral AI &lt; Nvidia, said analysts">'),
    }
    items = [rss_item(f"Mistral AI {name}", serve_page(httpserver, f"/{name}.html", body))
             for name, body in pages.items()]
    cpu = time.process_time()
    with caplog.at_level(logging.INFO, logger="pipeline.budget"):
        articles, _ = collect(httpserver, tmp_path, rss(items))
    assert time.process_time() - cpu < 4  # 12.7 s before
    by_name = {a.url.rsplit("/", 1)[1]: a for a in articles}
    assert all(by_name[f"{name}.html"].extraction == "trafilatura" for name in pages)
    assert by_name["plain.html"].description == "Mistral AI < Nvidia, said analysts"
    assert caplog.text.count("unclosed `<` or `<!--` (limit 100) not read") == 3


def test_an_attribute_of_40000_unclosed_comment_marks_is_dropped_before_htmldate_serialises_the_page(httpserver,
                                                                                                   tmp_path):
    """htmldate serialises every page with lxml, and libxml2 looks for `-->` from each `<!--` of an attribute value:
    a link title of 40,000 `&lt;!--` (280 KB) took 5.7 s of CPU, the 3 MB markup limit minutes."""
    pager = "<p><a href='/x' title='" + "&lt;!--" * 40_000 + "'>more</a></p>"
    url = serve_page(httpserver, "/title.html", story("Mistral AI title").replace("</article>", pager + "</article>"))
    cpu = time.process_time()
    [article], _ = collect(httpserver, tmp_path, rss([rss_item("Mistral AI title", url)]))
    assert time.process_time() - cpu < 3  # 5.5 s before
    assert article.extraction == "trafilatura" and "In region 6, 18 officials said" in article.text


# --------------------------------------------------------------------------------------------- credentials in redirects

def test_credentials_a_redirect_or_a_canonical_link_adds_are_neither_sent_nor_stored(httpserver, tmp_path):
    """A feed link's `user:pw@` is dropped (third round); one the server adds was kept: a tracker redirecting to
    `http://evil:pw@host/story` had httpx send it as Basic auth to the next hop, and the page there, declaring that
    URL canonical, was stored, indexed and mailed under it (and so was an AMP copy whose canonical link held one):
    each distinct `user:pw@` a second article of the same story."""
    from pipeline.urls import article_id

    seen: list[str | None] = []
    host = httpserver.url_for("/").split("//")[1].rstrip("/")

    def page(request, slug: str):
        seen.append(request.headers.get("Authorization"))
        canonical = f"<link rel='canonical' href='http://evil:pw@{host}/{slug}.html'>"
        return Response(story(f"Mistral AI {slug}", canonical), content_type="text/html; charset=utf-8")

    httpserver.expect_request("/r/1").respond_with_handler(
        lambda request: Response("", status=302, headers={"Location": f"http://evil:pw@{host}/story-1.html"}))
    httpserver.expect_request("/story-1.html").respond_with_handler(lambda request: page(request, "story-1"))
    httpserver.expect_request("/amp/story-2.html").respond_with_handler(lambda request: page(request, "story-2"))
    items = [rss_item("Mistral AI story-1", httpserver.url_for("/r/1")),
             rss_item("Mistral AI story-2", httpserver.url_for("/amp/story-2.html"))]
    articles, _ = collect(httpserver, tmp_path, rss(items))
    assert seen == [None, None]
    plain = [f"http://{host}/story-1.html", f"http://{host}/story-2.html"]
    assert sorted(a.url for a in articles) == plain
    assert sorted(a.id for a in articles) == sorted(article_id(url) for url in plain)


def timed_next_data_story(httpserver, tmp_path, title: str, data: dict, cpu_limit: float):
    """The one article collected from a Next.js page holding `data` as its `__NEXT_DATA__`, within `cpu_limit` CPU-s."""
    script = json.dumps(data, separators=(",", ":"))
    page = (f"<!DOCTYPE html><html lang='en'><head><title>{title}</title></head><body><div id='__next'>"
            f"</div><script id='__NEXT_DATA__' type='application/json'>{script}</script></body></html>")
    cpu = time.process_time()
    articles, _ = collect(httpserver, tmp_path, rss([rss_item(title, serve_page(httpserver, "/next.html", page))]))
    assert time.process_time() - cpu < cpu_limit
    [article] = articles
    return article


def test_rich_text_documents_nested_200_deep_in_next_data_are_read_once(httpserver, tmp_path):
    """A Next.js page's story as a Contentful rich-text document: each document nested in another was read whole
    again, so 200 levels over 50,000 words (a 1.9 MB script, under its 3 MB limit) took 4.5 s of CPU, depth × size."""
    node = {"nodeType": "document", "content": [{"nodeType": "paragraph", "content": [
        {"nodeType": "text", "value": f"Mistral AI word{i} "} for i in range(50_000)]}]}
    for _ in range(200):
        node = {"nodeType": "document", "content": [{"nodeType": "paragraph", "content": [node]}]}
    article = timed_next_data_story(httpserver, tmp_path, "Mistral AI nested",
                                    {"props": {"pageProps": {"story": {"body": node}}}}, cpu_limit=3)  # 5.6 s before
    assert article.extraction == "trafilatura" and article.text.startswith("Mistral AI word0 Mistral AI word1 ")


def test_a_long_arc_story_beside_many_other_next_data_values_is_read_in_linear_time(httpserver, tmp_path):
    """The longest story found so far in `__NEXT_DATA__` was measured again at each JSON value walked: an Arc story of
    10,000 paragraphs beside 20,000 other values (420 KB) took 5.5 s of CPU, 40,000 beside 80,000 (1.7 MB) 55 s."""
    story_elements = [{"type": "text", "content": f"Mistral AI paragraph {i}."} for i in range(10_000)]
    data = {"props": {"related": [[0] for _ in range(20_000)], "story": {"content_elements": story_elements}}}
    article = timed_next_data_story(httpserver, tmp_path, "Mistral AI arc", data, cpu_limit=3)  # 6 s before
    assert article.extraction == "trafilatura" and article.text.startswith("Mistral AI paragraph 0.\n")


# --------------------------------------------------------------------------------------------- unparsable links

WALL = ("<html><head><title>Vie privée et cookies</title><meta name='robots' content='noindex'>"
        "<meta http-equiv='refresh' content='0;url=http://[::1'></head><body><h1>Vie privée</h1><p>Nous et nos "
        "partenaires utilisons des cookies. Acceptez les cookies pour donner votre consentement.</p></body></html>")


def test_a_meta_refresh_or_a_pager_link_that_urllib_cannot_parse_costs_the_page_nothing(httpserver, tmp_path, caplog):
    """`http://[::1` makes urljoin raise ValueError: a consent wall refreshing there was logged as a traceback and
    stored as `extraction-error` (not fetched again as a wall is), and a story whose pager linked there lost its
    text to the feed summary."""
    pager = "<p><a class='next-page' href='http://[::2/story'>2</a></p>"
    items = [rss_item("Mistral AI wall", serve_page(httpserver, "/wall.html", WALL)),
             rss_item("Mistral AI pager", serve_page(httpserver, "/pager.html", story("Mistral AI pager").replace(
                 "</article>", pager + "</article>")))]
    with caplog.at_level(logging.WARNING):
        articles, collector = collect(httpserver, tmp_path, rss(items))
    by_name = {a.url.rsplit("/", 1)[1]: a for a in articles}
    assert (by_name["wall.html"].extraction, by_name["wall.html"].fallback_reason) == ("feed-summary", "consent-wall")
    assert by_name["pager.html"].extraction == "trafilatura"
    assert "Traceback" not in caplog.text and "failed" not in caplog.text


def test_a_canonical_link_with_a_port_past_65535_costs_the_page_nothing(httpserver, tmp_path, caplog):
    """An AMP copy whose canonical link says `:99999`: reading its port raised ValueError, so the page's text was
    lost to the feed summary (`extraction-error`) with a traceback in the log."""
    host = httpserver.url_for("/").split("//")[1].split(":")[0]
    page = story("Mistral AI amp", f"<link rel='canonical' href='http://{host}:99999/story.html'>")
    url = serve_page(httpserver, "/amp/story.html", page)
    with caplog.at_level(logging.WARNING):
        [article], _ = collect(httpserver, tmp_path, rss([rss_item("Mistral AI amp", url)]))
    assert (article.extraction, article.url) == ("trafilatura", url)
    assert "Traceback" not in caplog.text and "failed" not in caplog.text


@pytest.mark.parametrize("head", ["<link rel='canonical' href='https://other.example/2019/01/15/story.html'>",
                                  "<meta property='og:url' content='https://other.example/2019/01/15/story.html'>",
                                  "<base href='https://other.example/2019/01/15/'>"])
def test_a_date_in_another_sites_url_does_not_date_the_page(httpserver, tmp_path, head):
    """A page that states no date took the one in the path of its canonical link, og:url or `<base href>`, even on
    another site: stored as published 2019-01-15 (a feed dated 2026-11-30 or not), so out of every recent search,
    coverage count and alert (hostile-input audit, tenth round's leftover). Another site's URL dates nothing here;
    the page's own URL, or its canonical one on its own site (an AMP copy's), still does."""
    url = serve_page(httpserver, "/story.html", story("Mistral AI undated", head))
    [article], _ = collect(httpserver, tmp_path, rss([rss_item("Mistral AI undated", url)]))
    assert article.extraction == "trafilatura" and article.published_at.isoformat() == "2026-11-30T10:00:00+00:00"
    assert extract_article(story("Mistral AI undated", head), url="https://news.example/a.html").published_at is None
    own_site = "<link rel='canonical' href='https://www.presse-exemple.fr/2026/11/29/story.html'>"
    assert str(extract_article(story("Mistral AI undated", own_site), url="https://amp.presse-exemple.fr/story.html")
               .published_at) == "2026-11-29 00:00:00+00:00"


def test_a_web_page_advertising_an_unparsable_feed_link_still_names_its_other_feeds(httpserver, tmp_path):
    page = ("<!DOCTYPE html><html><head><link rel='alternate' type='application/rss+xml' href='http://[::1/feed'>"
            "<link rel='alternate' type='application/rss+xml' href='/rss.xml'></head><body>Home</body></html>")
    _, collector = collect(httpserver, tmp_path, page)
    [error] = collector.stats.feed_errors
    assert error["error"] == (f"{httpserver.url_for('/feed.xml')}: not a readable RSS/Atom feed (a web page, not a "
                              f"feed; it advertises {httpserver.url_for('/rss.xml')}: put that URL in the feeds file)")


# --------------------------------------------------------------------------------------------- deep nesting

def test_a_story_nested_300_deep_keeps_its_text_and_one_nested_5000_deep_is_refused_with_its_reason(httpserver,
                                                                                                    tmp_path):
    article = story("Mistral AI nested").split("<body>")[1].split("</body>")[0]
    head = "<!DOCTYPE html><html lang='en'><head><title>Mistral AI nested</title></head><body>"
    pages = {
        "nest300": head + "<div>" * 300 + article + "</div>" * 300 + "</body></html>",
        "unclosed": head + "<div class=c>x" * 300 + article + "</body></html>",  # a broken template
        "nest5000": head + "<div>" * 5000 + article + "</div>" * 5000 + "</body></html>",
    }
    items = [rss_item(f"Mistral AI {name}", serve_page(httpserver, f"/{name}.html", body))
             for name, body in pages.items()]
    articles, collector = collect(httpserver, tmp_path, rss(items))
    by_name = {a.url.rsplit("/", 1)[1]: a for a in articles}
    for name in ("nest300", "unclosed"):
        assert by_name[f"{name}.html"].extraction == "trafilatura", name
        assert "In region 6, 18 officials said" in by_name[f"{name}.html"].text
    assert (by_name["nest5000.html"].extraction, by_name["nest5000.html"].fallback_reason) == (
        "feed-summary", "page-too-complex")
    (tmp_path / "nest5000.html").write_text(pages["nest5000"], encoding="utf-8")
    assert extract_file(tmp_path / "nest5000.html")["error"] == (
        "page too complex to extract (elements nested more than 2,048 deep)")


def test_lists_nested_past_trafilaturas_recursion_fall_back_in_one_sentence_without_a_traceback(httpserver, tmp_path,
                                                                                                 caplog):
    """Lists nested 1,000 deep (2,000 elements, within the 2,048 the parser allows) ran trafilatura past Python's
    recursion limit: the page was an `extraction-error` and the log got a traceback of thousands of lines
    (hostile-input audit, tenth round). It is now too complex, in one sentence."""
    head = "<!DOCTYPE html><html lang='en'><head><title>Mistral AI nested</title></head><body>"
    article = story("Mistral AI nested").split("<body>")[1].split("</body>")[0]
    lists = "<ul><li>" * 1000 + "x" + "</li></ul>" * 1000
    pages = {"lists": head + article.replace("</article>", lists + "</article>") + "</body></html>",
             "plain": head + article + "</body></html>"}
    items = [rss_item(f"Mistral AI {name}", serve_page(httpserver, f"/{name}.html", body))
             for name, body in pages.items()]
    with caplog.at_level(logging.INFO):
        articles, collector = collect(httpserver, tmp_path, rss(items))
    assert sorted((a.url.rsplit("/", 1)[1], a.extraction, a.fallback_reason) for a in articles) == [
        ("lists.html", "feed-summary", "page-too-complex"), ("plain.html", "trafilatura", None)]
    assert "Traceback" not in caplog.text and "RecursionError" not in caplog.text
    assert "not extracted (page too complex to extract (elements nested too deep" in caplog.text
    (tmp_path / "lists.html").write_text(pages["lists"], encoding="utf-8")
    assert extract_file(tmp_path / "lists.html")["error"].startswith("page too complex to extract (elements nested")


# --------------------------------------------------------------------------------------------- charsets

def test_a_utf8_page_whose_meta_says_utf16_is_read_as_utf8_as_browsers_do(httpserver, tmp_path):
    title = "Souveraineté numérique : Mistral AI"
    items = []
    for label in ("utf-16", "utf-16le", "UTF-16BE"):
        body = story(title, f'<meta charset="{label}">').encode("utf-8")
        items.append(rss_item(f"{title} {label}", serve_page(httpserver, f"/{label}.html", body, "text/html")))
    real = story(title, '<meta charset="utf-16">').encode("utf-16-le")  # the HTTP header's label still counts
    items.append(rss_item(f"{title} real", serve_page(httpserver, "/real.html", real, "text/html; charset=utf-16le")))
    articles, _ = collect(httpserver, tmp_path, rss(items))
    assert len(articles) == 4
    for article in articles:
        assert (article.extraction, article.title) == ("trafilatura", title), article.url
        assert article.text.startswith("Part 1: Mistral AI and Nvidia")


# --------------------------------------------------------------------------------------------- `newsroom extract`

def test_extract_names_a_fifo_or_a_broken_link_and_reports_those_it_skips_in_a_directory(tmp_path, capsys):
    folder = tmp_path / "ex"
    folder.mkdir()
    (folder / "a.html").write_text(story("Mistral AI a"), encoding="utf-8")
    os.mkfifo(folder / "fifo.html")  # reading it would block the run
    (folder / "dangling.html").symlink_to(tmp_path / "nonexistent.html")
    out = tmp_path / "out.jsonl"
    for name, what in (("fifo.html", "a named pipe"), ("dangling.html", "a broken symbolic link")):
        with pytest.raises(SystemExit) as exit_info:
            main(["extract", str(folder / name), "--output", str(out)])
        assert exit_info.value.code == 1
        assert f"{name} is {what}, not a file to extract." in " ".join(capsys.readouterr().err.split())
    main(["extract", str(folder), "--output", str(out)])
    err = " ".join(capsys.readouterr().err.replace(str(folder) + "/", "").split())
    assert "Extracted 1/1 file(s)" in err
    assert "note: 2 entries skipped, not regular files: dangling.html (a broken symbolic link), fifo.html (a named pipe)." in err


def test_the_ingest_summary_notes_implausible_page_dates_beside_feed_dates():
    from pipeline.collect import CollectStats
    from pipeline.ingest import StageClock, summarize
    from pipeline.runs import RunSummary, new_run_id
    from pipeline.store.indexing import IndexStats

    summary = RunSummary(run_id=new_run_id())
    stats = CollectStats(implausible_dates=1, implausible_page_dates=2)
    summarize(summary, stats.as_dict(), IndexStats(), {}, StageClock(), load_settings(), 1)
    assert any(note.startswith("1 feed item(s) had a date before 1990") for note in summary.notes)
    assert any(note.startswith("2 page(s) stated a publication date before 1990, more than 2 days ahead or impossible")
               for note in summary.notes)


# --------------------------------------------------------------------------------------------- Retry-After of years

def test_a_retry_after_of_years_is_kept_in_the_fetch_state_for_a_day_and_the_page_or_site_is_not_asked_again(
        httpserver, tmp_path, caplog):
    """A 503 with a Retry-After of ten years, and a 429 with a date in 2036, were given up for the run and asked again
    at the next one, and the next (hostile input, eleventh round's leftover). The rest is now kept in the fetch state,
    honoured for at most a day: the page (a 503) or its whole site (a 429) is not asked before it ends, and each skip
    is counted (`retry-after`, a failure that passes) and logged with its URL."""
    from pipeline.state import StateStore

    down = httpserver.url_for("/down.html")
    httpserver.expect_request("/down.html").respond_with_data("maintenance", status=503,
                                                              headers={"Retry-After": "315360000"})
    other_host = "127.0.0.1" if "localhost" in down else "localhost"
    busy = down.replace(down.split("/")[2].split(":")[0], other_host, 1).replace("/down.html", "/busy.html")
    httpserver.expect_request("/busy.html").respond_with_data(
        "slow down", status=429, headers={"Retry-After": "Tue, 01 Jan 2036 00:00:00 GMT"})
    fine = serve_page(httpserver, "/story.html", story("Mistral AI fine"))
    feed = rss([rss_item("Mistral AI down", down), rss_item("Mistral AI busy", busy), rss_item("Mistral AI fine", fine)])

    def asked(path: str) -> int:
        return sum(request.path == path for request, _ in httpserver.log)

    before = datetime.now(timezone.utc)
    articles, collector = collect(httpserver, tmp_path, feed)
    assert collector.stats.fallback_reasons == {"http-503": 1, "http-429": 1}
    assert (asked("/down.html"), asked("/busy.html")) == (1, 1)  # a Retry-After past 60 s is not waited for
    resting = StateStore(load_settings().data_dir).resting()
    assert sorted(url for _, _, url in resting.values()) == sorted([down, busy])
    for until, _, _ in resting.values():
        assert before + timedelta(hours=23) < until < datetime.now(timezone.utc) + timedelta(hours=24, seconds=1)

    with caplog.at_level(logging.INFO):
        articles, collector = collect(httpserver, tmp_path, feed)
    assert (asked("/down.html"), asked("/busy.html"), asked("/story.html")) == (1, 1, 2)
    assert collector.stats.fallback_reasons == {"retry-after": 2}
    assert sorted(a.title for a in articles if a.fallback_reason == "retry-after") == ["Mistral AI busy",
                                                                                       "Mistral AI down"]
    assert f"page {down} not used ({down}: not fetched: it answered HTTP 503 with a Retry-After at {down}; " \
           "not asked again before " in caplog.text
    assert f"answered HTTP 429 with a Retry-After at {busy}" in caplog.text
    told = [r.getMessage() for r in caplog.records if r.name == "pipeline.fetch" and r.levelno == logging.WARNING
            and "not fetched" in r.getMessage()]
    assert sorted(message.split(": not fetched")[0] for message in told) == sorted([busy, down])  # once per rest

    with sqlite3.connect(load_settings().data_dir / "fetch-state.sqlite3") as db:  # a day later
        db.execute("UPDATE retry_after SET until = ?", ((before - timedelta(seconds=1)).isoformat(),))
    articles, collector = collect(httpserver, tmp_path, feed)
    assert (asked("/down.html"), asked("/busy.html")) == (2, 2)


# --------------------------------------------------------------------------------------------- thirteenth round


def test_a_link_spelled_with_dot_segments_or_escaped_letters_is_the_same_story(httpserver, tmp_path):
    """RFC 3986 §6.2.2: `/./x/../a.html` and `/%61.html` are `/a.html`. A feed linking one story both ways had it
    fetched and stored twice (hostile input, thirteenth round); a story stored before under such a spelling's id is
    known, not stored again."""
    serve_page(httpserver, "/a.html", story("Mistral AI dots"))
    serve_page(httpserver, "/b.html", story("Mistral AI escapes"))
    base = httpserver.url_for("/").rstrip("/")
    feed = rss([rss_item("Mistral AI dots", f"{base}/./x/../a.html"), rss_item("Mistral AI dots", f"{base}/a.html"),
                rss_item("Mistral AI escapes", f"{base}/%62.html"), rss_item("Mistral AI escapes", f"{base}/b.html")])
    articles, collector = collect(httpserver, tmp_path, feed)
    assert sorted(a.url for a in articles) == [f"{base}/a.html", f"{base}/b.html"]
    assert collector.stats.duplicates == 2 and {a.extraction for a in articles} == {"trafilatura"}

    stored = {hashlib.sha256(f"{base}/./x/../a.html".encode()).hexdigest()}  # its id before this round
    httpserver.clear_all_handlers()
    serve_page(httpserver, "/a.html", story("Mistral AI dots"))
    feed = rss([rss_item("Mistral AI dots", f"{base}/./x/../a.html")])
    articles, collector = collect(httpserver, tmp_path, feed, is_known=lambda ids: stored & set(ids))
    assert articles == [] and collector.stats.known == 1


def test_links_written_with_backslashes_are_read_as_browsers_read_them(tmp_path):
    r"""Browsers read `http:\\host\a.html` and `\a.html` in an http(s) page as `http://host/a.html` and `/a.html`
    (WHATWG URL parsing), and a Location header the same way; such items were skipped as `no-link` and such
    redirects refused (hostile input, thirteenth round)."""
    feed = rss([rss_item("Mistral AI one", "http:\\\\{host}\\x\\one.html"), rss_item("Mistral AI two", "\\two.html"),
                rss_item("Mistral AI three", "{base}/moved.html")])
    pages = {path: (200, {}, story(title)) for path, title in (
        ("/x/one.html", "Mistral AI one"), ("/two.html", "Mistral AI two"), ("/three.html", "Mistral AI three"))}
    with RawSite({"/feed.xml": (200, {"Content-Type": "application/rss+xml"}, feed), **pages,
                  "/moved.html": (301, {"Location": "\\three.html"}, "")}) as site:
        site.replies["/feed.xml"] = (200, {}, feed.replace("{host}", site.base_url.split("//")[1]))
        articles, collector = collect_feeds(site.feeds_file(tmp_path))
    base = site.base_url
    assert sorted((a.url, a.extraction) for a in articles) == [
        (f"{base}/moved.html", "trafilatura"), (f"{base}/two.html", "trafilatura"),
        (f"{base}/x/one.html", "trafilatura")]
    assert not collector.stats.skipped and not collector.stats.fallback_reasons
    assert "/three.html" in site.requests


def test_a_cookie_check_redirecting_to_the_same_address_gives_the_story(tmp_path):
    """A site checking that cookies work sets one and redirects to the same address, or back to the first one under
    other tracking parameters; browsers then get the page. Both were a `redirect-loop`, the story's text lost to its
    feed summary (hostile input, thirteenth round); a redirect to the same address without a new cookie still is."""
    canonical = '<link rel="canonical" href="{base}/two.html">'
    replies = {
        "/one.html": (302, {"Location": "{base}/one.html", "Set-Cookie": "ok=1; Path=/"}, ""),
        "/one.html (ok=1)": (200, {}, story("Mistral AI one")),
        "/two.html?utm_source=rss": (302, {"Location": "/two.html?utm_source=consent", "Set-Cookie": "step=1"}, ""),
        "/two.html?utm_source=consent (step=1)": (302, {"Location": "/two.html?utm_source=rss",
                                                        "Set-Cookie": "step=2"}, ""),
        "/two.html?utm_source=rss (step=2)": (200, {}, story("Mistral AI two", canonical)),
        "/three.html": (301, {"Location": "/three.html"}, ""),
        "/feed.xml": (200, {"Content-Type": "application/rss+xml"}, rss([
            rss_item("Mistral AI one", "{base}/one.html"), rss_item("Mistral AI two", "{base}/two.html?utm_source=rss"),
            rss_item("Mistral AI three", "{base}/three.html")])),
    }
    with RawSite(replies) as site:
        articles, collector = collect_feeds(site.feeds_file(tmp_path))
    base = site.base_url
    assert sorted((a.url, a.extraction) for a in articles) == [
        (f"{base}/one.html", "trafilatura"), (f"{base}/three.html", "feed-summary"),
        (f"{base}/two.html", "trafilatura")]
    assert collector.stats.fallback_reasons == {"redirect-loop": 1}
    assert site.requests.count("/three.html") == 1


def test_a_feed_link_with_an_invisible_character_at_either_end_is_the_story(tmp_path):
    """A zero-width space, a byte order mark or a word joiner pasted before or after an item's link (a CMS field
    filled by copy and paste) made it a path of the feed's site (`/%E2%80%8Bhttp:/host/a.html`): a 404, the story
    stored from its summary under that URL (hostile input, thirteenth round)."""
    feed = rss([rss_item("Mistral AI zero width", "\u200b{base}/zw.html"),
                rss_item("Mistral AI mark", "\ufeff {base}/bom.html\u2060")])
    pages = {"/zw.html": (200, {}, story("Mistral AI zero width")), "/bom.html": (200, {}, story("Mistral AI mark"))}
    with RawSite({"/feed.xml": (200, {"Content-Type": "application/rss+xml"}, feed), **pages}) as site:
        articles, collector = collect_feeds(site.feeds_file(tmp_path))
    assert sorted((a.url, a.extraction) for a in articles) == [
        (f"{site.base_url}/bom.html", "trafilatura"), (f"{site.base_url}/zw.html", "trafilatura")]
    assert not collector.stats.fallback_reasons


def test_a_log_line_quoting_a_100_kb_link_is_cut(tmp_path):
    """A feed item's 100 KB link, quoted twice in "page … not used (…)", was one INFO line of 200 KB (every Airflow
    task logs at INFO); each log line is now at most MAX_LOG_LINE characters, the link's start kept to name it."""
    link = "{base}/big?" + "b" * 100_000
    feed = rss([rss_item("Mistral AI long link", link)])
    with RawSite({"/feed.xml": (200, {"Content-Type": "application/rss+xml"}, feed)}) as site:
        done = subprocess.run([sys.executable, "-m", "pipeline", "-v", "fetch", "--feeds",
                               str(site.feeds_file(tmp_path)), "--output", str(tmp_path / "out.jsonl")],
                              capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    lines = done.stderr.splitlines()
    assert any(f"page {site.base_url}/big?bbbb" in line for line in lines)
    assert max(map(len, lines)) <= MAX_LOG_LINE + 100  # the time stamp, level and logger name before the message


def test_fetch_counts_a_resting_feed_as_resting_not_failed(tmp_path, capsys):
    """A feed that asked for years of rest (503, Retry-After) is not asked again on the next `fetch`: that run's
    summary said "feeds ok / failed / not modified: 0 / 0 / 0", the feed in none of them (hostile input, thirteenth
    round); it is counted as resting."""
    with RawSite({"/feed.xml": (503, {"Retry-After": "315360000"}, "busy")}) as site:
        feeds, out = site.feeds_file(tmp_path), tmp_path / "out.jsonl"
        with pytest.raises(SystemExit):  # the 503 itself is this run's failure: "All 1 feeds failed"
            main(["fetch", "--feeds", str(feeds), "--output", str(out)])
        assert "All 1 feeds failed" in capsys.readouterr().err
        main(["fetch", "--feeds", str(feeds), "--output", str(out)])
    summary = " ".join(capsys.readouterr().err.split())
    assert "resting" in summary and "│ 0 / 0 / 0 / 1 │" in summary  # the row's label wraps in a narrow table
    assert "retry-after: 1" in summary and "feed failed" not in summary and site.requests == ["/feed.xml"]


# --------------------------------------------------------------------------------------------- fifteenth round


class NoEnricher:
    """Nothing to enrich: every item of the run is skipped (the models are not loaded for it)."""

    def warm_up(self):
        pass

    def enrich_many(self, inputs):
        for _ in inputs:
            raise AssertionError("nothing to enrich")
        yield from ()


def test_a_run_record_keeps_why_items_were_skipped_and_store_status_says_it(tmp_path, es_url, capsys):
    """The runs index kept `feeds_resting` but not the skip reasons: `store status` could say 3 items were skipped,
    never why (hostile input, fifteenth round). A runs index made before the field, holding a record without it,
    still reads, and takes the new records."""
    from _store_helpers import drop_prefix
    from pipeline.ingest import ingest
    from pipeline.store.client import make_client
    from pipeline.store.templates import RUN_PROPERTIES, index_names

    settings = load_settings()
    client = make_client(settings)
    runs = index_names(settings.es_index_prefix)["runs"]
    client.indices.create(index=runs, mappings={"dynamic": "strict", "properties": {
        k: v for k, v in RUN_PROPERTIES.items() if k != "skipped"}})
    client.index(index=runs, id="old-run", refresh=True, document={
        "run_id": "old-run", "kind": "ingest", "status": "ok", "finished_at": "2026-12-01T00:00:00+00:00",
        "counts": {"feeds": 1, "skipped": 2}})
    feed = rss([rss_item("Mistral AI without a link", ""), rss_item("Mistral AI script", "javascript:alert(1)"),
                "<item><title>Mistral AI [/x] gone</title><link>{base}/gone.html</link></item>"])
    try:
        main(["store", "status"])
        out = " ".join(capsys.readouterr().out.split())
        assert "last run: old-run (ingest) ok" in out and "skipped items" not in out
        with RawSite({"/feed.xml": (200, {"Content-Type": "application/rss+xml"}, feed)}) as site:
            summary = ingest(settings, feeds=load_feeds(site.feeds_file(tmp_path)), progress=False,
                             enricher=NoEnricher())
        assert summary.skipped == {"no-link": 2, "no-text (http-404)": 1}
        assert client.get(index=runs, id=summary.run_id)["_source"]["skipped"] == summary.skipped
        main(["store", "status"])
        out = " ".join(capsys.readouterr().out.split())
        assert f"last run: {summary.run_id}" in out
        assert "skipped items by reason: no-link 2, no-text (http-404) 1" in out
    finally:
        drop_prefix(client, settings.es_index_prefix)


def test_a_feeds_file_of_10000_feeds_is_listed_in_seconds_with_the_rest_said(tmp_path, capsys):
    """A feeds file of 100,000 entries took `newsroom feeds list` about 4 minutes: PyYAML's pure-Python parser (74 s)
    and a rich table of every row (hostile input, fifteenth round). libyaml parses the file and the table shows its
    first rows, then says how many more there are and how to see them."""
    from pipeline.cli.feeds_cmd import TABLE_ROWS

    def feeds_file(n: int) -> Path:
        path = tmp_path / f"feeds-{n}.yaml"
        path.write_text("feeds:\n" + "".join(f"- name: Feed {i}\n  url: https://site{i}.example/feed.xml\n  lang: fr\n"
                                             f"  tags:\n  - tech\n  - ai\n" for i in range(n)), encoding="utf-8")
        return path

    n, feeds = 10_000, feeds_file(10_000)
    start = time.process_time()
    main(["feeds", "list", "--feeds", str(feeds)])
    seconds = time.process_time() - start
    out = capsys.readouterr().out
    assert f"{n} feeds" in out and "│ Feed 199 " in out and "Feed 200 " not in out
    assert f"… and {n - TABLE_ROWS:,} more feeds not shown: `newsroom feeds list --all`" in " ".join(out.split())
    assert seconds < 4.5, f"{seconds:.1f} s of CPU"  # PyYAML's pure-Python parser: 5.7 s; libyaml's: 2.8 s
    n = TABLE_ROWS + 5
    main(["feeds", "list", "--feeds", str(feeds_file(n)), "--all"])
    out = capsys.readouterr().out
    assert f"│ Feed {n - 1} " in out and "more feeds not shown" not in out


def test_feeds_add_writes_a_file_of_10000_feeds_with_libyaml_byte_for_byte_as_pyyaml_did(tmp_path):
    """`feeds add`, `remove` and `import-opml` wrote the feeds file with PyYAML's pure-Python emitter: 5.1 s of CPU for
    20,000 feeds (hostile input, sixteenth round). libyaml's writes the same bytes in a third of the time; a file
    holding a character past U+FFFF, which libyaml would escape (`"\\U0001F4F0 Tech"`), is still written by PyYAML."""
    import yaml

    def pure_python_dump(path: Path) -> str:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        return yaml.dump(data, Dumper=yaml.SafeDumper, allow_unicode=True, sort_keys=False, width=120)

    feeds = tmp_path / "feeds.yaml"
    feeds.write_text("feeds:\n" + "".join(
        f"- name: Journal n°{i} « l'actu »\n  url: https://site{i}.example/feed.xml?a=1&b=é\n  lang: fr\n"
        f"  tags:\n  - tech\n  - 'ia: souveraineté'\n" for i in range(10_000)), encoding="utf-8")
    start = time.process_time()
    main(["feeds", "add", "Nouveau : « # [/b] »", "https://new.example/feed.xml", "--lang", "fr", "--tag", "a: b",
          "--feeds", str(feeds)])
    seconds = time.process_time() - start
    assert feeds.read_text(encoding="utf-8") == pure_python_dump(feeds)
    assert seconds < 2.6, f"{seconds:.1f} s of CPU"  # PyYAML's emitter: 3.4 s; libyaml's: 1.8 s (most of it reading)
    small = tmp_path / "emoji.yaml"
    small.write_text("feeds:\n- name: 📰 Tech\n  url: https://tech.example/feed.xml\n  lang: en\n", encoding="utf-8")
    main(["feeds", "add", "Autre", "https://autre.example/feed.xml", "--lang", "fr", "--feeds", str(small)])
    assert "- name: 📰 Tech\n" in small.read_text(encoding="utf-8")
    assert small.read_text(encoding="utf-8") == pure_python_dump(small)


def test_one_story_linked_with_and_without_escaped_letters_is_fetched_by_its_plain_link(tmp_path):
    """Two links of one story merged as duplicates fetched the first as written: `/%64ots.html`, which a server that
    does not decode escapes answers 404, the story stored from its summary (thirteenth round's leftover)."""
    feed = rss([rss_item("Mistral AI dots", "{base}/%64ots.html"), rss_item("Mistral AI dots", "{base}/./dots.html"),
                rss_item("Mistral AI dots", "{base}/dots.html?utm_source=rss")])
    with RawSite({"/feed.xml": (200, {"Content-Type": "application/rss+xml"}, feed),
                  "/dots.html?utm_source=rss": (200, {}, story("Mistral AI dots"))}) as site:
        articles, collector = collect_feeds(site.feeds_file(tmp_path))
    assert [(a.url, a.extraction) for a in articles] == [(f"{site.base_url}/dots.html", "trafilatura")]
    assert collector.stats.duplicates == 2 and not collector.stats.fallback_reasons
    assert [path for path in site.requests if "dots" in path] == ["/dots.html?utm_source=rss"]


def test_a_title_of_combining_marks_only_is_no_title_and_the_story_gets_its_opening_words(tmp_path):
    """A headline of 300 combining accents (on no letter) in the page and the feed was stored, listed and mailed as a
    blank line of stacked accents drawn over whatever the sink printed before it (hostile input, fifteenth round).
    Marks on no letter are dropped like invisible characters; marks on a letter stay."""
    from pipeline.sinks import single_line

    marks = "\u0301\u0302\u0303" * 100
    feed = rss([rss_item(marks, "{base}/marks.html", summary=marks), rss_item("Caf\u0065\u0301 Mistral AI",
                                                                              "{base}/cafe.html")])
    with RawSite({"/feed.xml": (200, {"Content-Type": "application/rss+xml"}, feed),
                  "/marks.html": (200, {}, story(marks)), "/cafe.html": (200, {}, story("Cafe\u0301 Mistral AI"))}) as site:
        articles, _ = collect_feeds(site.feeds_file(tmp_path))
    titles = sorted(a.title for a in articles)
    assert titles[0] == "Café Mistral AI"
    assert titles[1].startswith("Part 1: Mistral AI and Nvidia") and titles[1].endswith("…")
    assert single_line(f"x {marks} y") == "x y" and single_line("\u0301" * 5 + "e\u0301") == "é"


def test_pages_whose_site_name_runs_to_700_kb_are_read_in_milliseconds(tmp_path):
    """Each page's title is matched against a pattern made of its site's names: an og:site_name of 700 KB (under
    every page limit) cost 2.5 s of CPU a page to compile, each page of a site naming itself anew (hostile input,
    fifteenth round). A site name over TITLE_CHARS is no site's name."""
    def page(n: int) -> str:
        return story("Mistral AI big name", f'<meta property="og:site_name" content="{f"Ledger{n} " * 100_000}">')

    feed = rss([rss_item(f"Mistral AI big name {n}", f"{{base}}/big{n}.html") for n in range(3)])
    pages = {f"/big{n}.html": (200, {}, page(n)) for n in range(3)}
    articles, seconds = collect_timed(tmp_path, feed, pages)
    assert seconds < 3, f"{seconds:.1f} s of CPU"
    assert [(a.title, a.site_name, a.extraction) for a in articles] == [("Mistral AI big name", None, "trafilatura")] * 3



def test_a_feed_whose_title_runs_to_a_megabyte_keeps_its_items(tmp_path, monkeypatch):
    """Each item's authors are compared with the parts of its feed's <title> (a publication naming itself as every
    item's author): a 1 MB title cost 0.17 s of CPU an item, so a feed of 200 items ran past the 30 s parse limit and
    was lost whole (hostile input, fifteenth round). A title over TITLE_CHARS names no publication."""
    monkeypatch.setenv("NEWSROOM_FEED_PARSE_TIMEOUT", "4")
    title = "The Tech Ledger " + "word " * 200_000
    items = "".join(f"<item><title>Mistral AI story {n}</title><link>{{base}}/s{n}.html</link>"
                    f"<author>desk@ledger.example (Jane Doe)</author><description>Mistral AI teaser {n}.</description>"
                    "</item>" for n in range(60))
    feed = f'<?xml version="1.0"?><rss version="2.0"><channel><title>{title}</title>{items}</channel></rss>'
    with RawSite({"/feed.xml": (200, {"Content-Type": "application/rss+xml"}, feed)}) as site:
        articles, collector = collect_feeds(site.feeds_file(tmp_path))
    assert collector.stats.feeds_ok == 1 and not collector.stats.feed_errors
    assert len(articles) == 60 and {tuple(a.authors) for a in articles} == {("Jane Doe",)}


def test_a_feed_whose_items_name_a_megabyte_source_keeps_its_items(tmp_path, monkeypatch):
    """An aggregator's item names its publisher in <source>, and " - Publisher" is cut from its title by a pattern made
    of that name: a <source> of 1 MB of words cost 4 s of CPU an item, so a feed of three ran past a 4 s parse limit
    and was lost whole (hostile input, fifteenth round). A <source> over TITLE_CHARS names no publisher."""
    monkeypatch.setenv("NEWSROOM_FEED_PARSE_TIMEOUT", "4")
    items = "".join(f"<item><title>Mistral AI story {n} - Le Monde</title><link>{{base}}/s{n}.html</link>"
                    f"<description>Mistral AI teaser {n}.</description>"
                    f"<source url='https://www.lemonde.fr/'>{'Le Monde ' * 110_000}</source></item>" for n in range(3))
    items += ("<item><title>Mistral AI story 3 - Le Monde</title><link>{base}/s3.html</link>"
              "<description>Mistral AI teaser 3.</description><source url='https://www.lemonde.fr/'>Le Monde</source></item>")
    feed = f'<?xml version="1.0"?><rss version="2.0"><channel><title>News</title>{items}</channel></rss>'
    with RawSite({"/feed.xml": (200, {"Content-Type": "application/rss+xml"}, feed)}) as site:
        articles, collector = collect_feeds(site.feeds_file(tmp_path))
    assert collector.stats.feeds_ok == 1 and not collector.stats.feed_errors
    assert sorted(a.title for a in articles) == [
        "Mistral AI story 0 - Le Monde", "Mistral AI story 1 - Le Monde", "Mistral AI story 2 - Le Monde",
        "Mistral AI story 3"]


def test_a_feed_whose_items_name_a_megabyte_author_keeps_its_items(tmp_path, monkeypatch):
    """A <dc:creator> of 1 MB of comma-separated names was split and cleaned name by name: 1.8 s of CPU an item and
    hundreds of "authors" stored, so a feed of four ran past a 4 s parse limit and was lost whole (hostile input,
    sixteenth round). An author value over TITLE_CHARS names nobody; the item keeps its page's byline."""
    monkeypatch.setenv("NEWSROOM_FEED_PARSE_TIMEOUT", "4")
    names = ", ".join(f"Jean Dupont {chr(65 + n % 26)}{chr(97 + n // 26 % 26)}" for n in range(80_000))[:1_000_000]
    items = "".join(f"<item><title>Mistral AI story {n}</title><link>{{base}}/s{n}.html</link>"
                    f"<description>Mistral AI teaser {n}.</description><dc:creator>{names}</dc:creator></item>"
                    for n in range(4))
    items += ("<item><title>Mistral AI story 4</title><link>{base}/s4.html</link><description>Mistral AI teaser 4."
              "</description><dc:creator>Anne Roy, Marc LE GALL</dc:creator></item>")
    feed = ('<?xml version="1.0"?><rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>'
            f"<title>News</title>{items}</channel></rss>")
    with RawSite({"/feed.xml": (200, {"Content-Type": "application/rss+xml"}, feed)}) as site:
        articles, collector = collect_feeds(site.feeds_file(tmp_path))
    assert collector.stats.feeds_ok == 1 and not collector.stats.feed_errors
    assert sorted((a.title, tuple(a.authors)) for a in articles) == [
        *((f"Mistral AI story {n}", ()) for n in range(4)), ("Mistral AI story 4", ("Anne Roy", "Marc Le Gall"))]


def test_an_atom_entry_naming_thousands_of_authors_keeps_the_first_fifty(tmp_path):
    """An Atom entry of 2,000 <author>s was cleaned name by name (0.24 s of CPU an item, 10 s for a 4 MB feed of 50)
    and stored with 2,000 "authors", filling the report's authors chart (hostile input, sixteenth round). As on pages
    (`budget.MAX_PEOPLE`), the first 50 are read."""
    from pipeline.budget import MAX_PEOPLE

    people = [f"{first} {chr(65 + n % 26)}{chr(97 + n // 26 % 26)}{chr(97 + n // 676)}son"
              for n, first in enumerate(["Jean", "Marie", "Paul", "Anne"] * 500)]
    authors = "".join(f"<author><name>{name}</name></author>" for name in people)
    entries = "".join(f"<entry><title>Mistral AI story {n}</title><id>urn:s{n}</id><updated>2026-12-04T09:00:00Z"
                      f"</updated><link href='{{base}}/s{n}.html'/><summary>Mistral AI teaser {n}.</summary>{authors}"
                      "</entry>" for n in range(5))
    feed = (f"<?xml version='1.0'?><feed xmlns='http://www.w3.org/2005/Atom'><title>News</title><id>urn:f</id>"
            f"{entries}</feed>")
    with RawSite({"/feed.xml": (200, {"Content-Type": "application/atom+xml"}, feed)}) as site:
        articles, collector = collect_feeds(site.feeds_file(tmp_path))
    assert collector.stats.feeds_ok == 1 and len(articles) == 5
    assert {tuple(a.authors) for a in articles} == {tuple(people[:MAX_PEOPLE])}


@pytest.mark.parametrize("declared", ["utf-8", "utf-16"])
def test_a_utf8_feed_served_as_utf16_is_read_as_utf8(tmp_path, declared):
    """A UTF-8 feed served as `charset=utf-16` was handed to feedparser under that label and lost whole ("not
    well-formed") at every run (hostile input, sixteenth round; pages were read right since the twelfth). UTF-16 XML
    holds NUL bytes in its first characters: a body without them is read as the UTF-8 it is. A real UTF-16 feed
    without a byte order mark is still read as UTF-16."""
    feed = rss([rss_item("Souveraineté : l’État et Mistral AI", "http://127.0.0.1:0/etat.html")]).replace(
        'encoding="utf-8"', f'encoding="{declared}"')
    utf16 = rss([rss_item("Numérique : Mistral AI à l’Élysée", "http://127.0.0.1:0/elysee.html")]).replace(
        'encoding="utf-8"', 'encoding="utf-16"').encode("utf-16-le")
    with RawSite({"/feed.xml": (200, {"Content-Type": "application/rss+xml; charset=utf-16"}, feed),
                  "/utf16.xml": (200, {"Content-Type": "application/rss+xml; charset=utf-16le"}, utf16)}) as site:
        feeds = tmp_path / "feeds.yaml"
        feeds.write_text(json.dumps({"feeds": [{"name": "Lying", "url": f"{site.base_url}/feed.xml", "lang": "fr"},
                                               {"name": "UTF-16", "url": f"{site.base_url}/utf16.xml", "lang": "fr"}]}))
        articles, collector = collect_feeds(feeds)
    assert not collector.stats.feed_errors and collector.stats.feeds_malformed == 0
    assert sorted(a.title for a in articles) == ["Numérique : Mistral AI à l’Élysée", "Souveraineté : l’État et Mistral AI"]


def test_a_link_on_port_0_is_a_bad_url_not_a_connection_to_retry(tmp_path):
    """`http://host:0/a.html` was read as having no port: its robots.txt could not be reached (`robots-unreachable`,
    a failure that may pass, so its feed was read in full and the page asked again on the next runs), and where
    127.0.0.1 is not allowed it was an `ssrf` refusal naming port 80 (hostile input, fifteenth round). No server
    answers on port 0: it is a `bad-url`, not retried."""
    feed = rss([rss_item("Mistral AI port zero", "http://127.0.0.1:0/zero.html")])
    with RawSite({"/feed.xml": (200, {"Content-Type": "application/rss+xml"}, feed)}) as site:
        articles, collector = collect_feeds(site.feeds_file(tmp_path))
    assert [(a.title, a.extraction) for a in articles] == [("Mistral AI port zero", "feed-summary")]
    assert collector.stats.fallback_reasons == {"bad-url": 1}


def _published_as_dated(dates: dict[str, str], tmp_path):
    """One feed item per name, dated in the feed by its string, each with its page: what ingest stored as each item's
    publication time (name → datetime or None), and the collector for its counts."""
    items = [rss_item(f"Mistral AI {name}", f"{{base}}/{name}.html").replace(FEED_DATE, date)
             for name, date in dates.items()]
    pages = {f"/{name}.html": (200, {}, story(f"Mistral AI {name}")) for name in dates}
    with RawSite({"/feed.xml": (200, {"Content-Type": "application/rss+xml"}, rss(items)), **pages}) as site:
        articles, collector = collect_feeds(site.feeds_file(tmp_path))
    return {a.title.removeprefix("Mistral AI "): a.published_at for a in articles}, collector


def test_a_feed_date_that_does_not_exist_is_no_date_not_another_day(tmp_path):
    """feedparser's ISO 8601 reader carries an impossible day over: an item dated 2026-02-31 was stored as published
    on 3 March, 2025-13-45 on 1 January 2026, 2026-11-00 on 31 October, 25:61 at 02:01 the next day. Such a date is
    counted as impossible (the run's note) and the item kept, its date unknown like an undated item's (here, where the
    page states none either, the fetch time stands in when it is stored)."""
    dates = {"feb31": "2026-02-31T10:00:00+01:00", "month13": "2025-13-45T10:00:00Z", "day0": "2026-11-00T10:00:00Z",
             "clock": "2026-11-30T25:61:00Z", "real": "2026-11-30T10:00:00Z",
             # RFC 822 and French forms feedparser drops: no date before either, but they went uncounted
             "fevrier": "mar., 31 févr. 2026 10:30:00 +0100", "rfc822": "Sat, 05 Dec 2026 25:61:00 GMT"}
    published, collector = _published_as_dated(dates, tmp_path)
    assert published.pop("real") == datetime(2026, 11, 30, 10, tzinfo=timezone.utc)
    assert published == dict.fromkeys(["feb31", "month13", "day0", "clock", "fevrier", "rfc822"])
    assert collector.stats.implausible_dates == 6


def test_a_feed_date_in_ordinal_or_week_form_is_read_right_or_counted_never_another_day(tmp_path):
    """feedparser reads ISO 8601's ordinal and week dates wrong: `2026-045T10:00:00Z` (14 February) was stored as 1
    April at midnight, `2026-W48-3` (25 November) as the first day of the current month, and day 400 or week 54, which
    do not exist, as dates too (hostile input, nineteenth round). A valid one is read as the day it names, with its
    time; one naming no day that exists, or a week without its day, is counted as impossible, the item kept."""
    dates = {"ordinal": "2026-045T10:00:00Z", "week": "2026-W48-3T10:00:00+01:00", "basic": "2026W483",
             "leap": "2024-366", "day400": "2026-400", "day0": "2026-000T10:00:00Z", "week54": "2026-W54-1",
             "weekday8": "2026-W48-8", "weekonly": "2026-W48"}
    published, collector = _published_as_dated(dates, tmp_path)
    assert {name: published.pop(name) for name in ("ordinal", "week", "basic", "leap")} == {
        "ordinal": datetime(2026, 2, 14, 10, tzinfo=timezone.utc), "week": datetime(2026, 11, 25, 9, tzinfo=timezone.utc),
        "basic": datetime(2026, 11, 25, tzinfo=timezone.utc), "leap": datetime(2024, 12, 31, tzinfo=timezone.utc)}
    assert published == dict.fromkeys(["day400", "day0", "week54", "weekday8", "weekonly"])
    assert collector.stats.implausible_dates == 5


def test_robots_txt_rules_are_matched_as_rfc_9309_says_longest_first_with_wildcards(tmp_path):
    """urllib.robotparser takes the first rule a path starts with and reads `*` and `$` as characters: under
    `Allow: /` then `Disallow: /private/`, and under `Disallow: /*/secret/` or `/*.pdf$`, every page was fetched
    (hostile input, fifteenth round). The longest matching rule decides, `Allow` on a tie; a rule of many `*`s is
    matched in linear time."""
    robots = ("User-agent: *\nAllow: /\nDisallow: /private/\nAllow: /private/open/\nDisallow: /*/secret/\n"
              "Disallow: /*.pdf$\nDisallow: /x" + "*a" * 30 + "*b\n")
    paths = ["/private/a.html", "/private/open/b.html", "/news/secret/c.html", "/files/d.pdf", "/files/e.pdf.html",
             "/x" + "a" * 3000 + ".html"]
    feed = rss([rss_item(f"Mistral AI {n}", "{base}" + path) for n, path in enumerate(paths)])
    pages = {path: (200, {}, story(f"Mistral AI {n}")) for n, path in enumerate(paths)}
    replies = {"/feed.xml": (200, {"Content-Type": "application/rss+xml"}, feed),
               "/robots.txt": (200, {"Content-Type": "text/plain"}, robots), **pages}
    with RawSite(replies) as site:
        start = time.process_time()
        articles, collector = collect_feeds(site.feeds_file(tmp_path))
        seconds = time.process_time() - start
    fetched = {a.url.removeprefix(site.base_url) for a in articles if a.extraction == "trafilatura"}
    assert fetched == {"/private/open/b.html", "/files/e.pdf.html", "/x" + "a" * 3000 + ".html"}
    assert collector.stats.fallback_reasons == {"robots-disallowed": 3}
    assert not {"/private/a.html", "/news/secret/c.html", "/files/d.pdf"} & set(site.requests)
    assert seconds < 5


def collect_beside_robots(tmp_path: Path, robots: str | bytes, paths: list[str],
                          content_type: str = "text/plain") -> tuple[list[str], Collector]:
    """Serve a feed linking `paths` (each a story) beside `robots` as /robots.txt and collect it: the paths fetched
    (each story's page, in order) and the collector (its stats)."""
    replies = {"/feed.xml": (200, {"Content-Type": "application/rss+xml"},
                             rss([rss_item(f"Mistral AI {n}", "{base}" + path) for n, path in enumerate(paths)])),
               "/robots.txt": (200, {"Content-Type": content_type}, robots),
               **{path: (200, {}, story(f"Mistral AI {n}")) for n, path in enumerate(paths)}}
    with RawSite(replies) as site:
        articles, collector = collect_feeds(site.feeds_file(tmp_path))
    fetched = [path for path in paths if path in site.requests]
    read = sorted(a.url.removeprefix(site.base_url) for a in articles if a.extraction == "trafilatura")
    assert read == sorted(fetched)
    return fetched, collector


@pytest.mark.parametrize("robots, content_type", [
    ("\ufeffUser-agent: *\r\nDisallow: /private/\r\n".encode("utf-8"), "text/plain"),
    (b"User-agent: *\nDisallow: /private/\n", "application/octet-stream"),
    (b"User-agent: *\nDisallow: /private/\n", "application/x-unknown"),
], ids=["byte-order-mark", "octet-stream", "unknown-type"])
def test_a_robots_txt_with_a_byte_order_mark_or_any_content_type_is_obeyed(tmp_path, robots, content_type):
    """A robots.txt saved by a Windows editor starts with a UTF-8 byte order mark: urllib read "\\ufeffUser-agent" as
    no field, so the file's first group, here its only one, disallowed nothing and the private page was fetched.
    RFC 9309 parsers (Google's) skip the mark. One served as application/octet-stream (an object store's default) or
    any type but text/* was refused, and every page of its host disallowed at every run, `robots-disallowed` for
    good: it is read whatever its type, as Google's crawler reads it."""
    fetched, collector = collect_beside_robots(tmp_path, robots, ["/private/a.html", "/public/b.html"], content_type)
    assert fetched == ["/public/b.html"] and collector.stats.fallback_reasons == {"robots-disallowed": 1}


def test_a_blank_line_inside_a_robots_txt_group_does_not_end_it(tmp_path):
    """urllib ends a group at a blank line: `User-agent: *`, a blank line, then `Disallow: /private/` disallowed
    nothing, and the private page was fetched. RFC 9309 gives blank lines no meaning (Google's parser skips them)."""
    robots = "User-agent: *\n\nDisallow: /private/\n\nUser-agent: OtherBot\n\nDisallow: /\n"
    fetched, collector = collect_beside_robots(tmp_path, robots, ["/private/a.html", "/public/b.html"])
    assert fetched == ["/public/b.html"] and collector.stats.fallback_reasons == {"robots-disallowed": 1}


@pytest.mark.parametrize("robots", [
    "User-agent: *\nDisallow: /private/\n\nUser-agent: OtherBot\nDisallow: /\n\nUser-agent: *\nDisallow: /secret/\n",
    "User-agent: newsroom\nDisallow: /private/\n\nUser-agent: *\nDisallow: /\n\n"
    "User-agent: newsroom\nDisallow: /secret/\n",
], ids=["two-catch-all-groups", "two-groups-naming-newsroom"])
def test_every_robots_txt_group_that_applies_is_obeyed_not_only_the_first(tmp_path, robots):
    """urllib keeps the first `*` group only and reads the first group naming the crawler only: the rules of a second
    section (`Disallow: /secret/`) were ignored and the page fetched. RFC 9309 §2.2.1 combines the groups that
    match; the `*` groups still do not apply when a group names newsroom."""
    fetched, collector = collect_beside_robots(tmp_path, robots, ["/private/a.html", "/secret/b.html", "/news/c.html"])
    assert fetched == ["/news/c.html"] and collector.stats.fallback_reasons == {"robots-disallowed": 2}


@pytest.mark.parametrize("robots, fetched", [
    ("User-agent:\nAllow: /\n\nUser-agent: news\nAllow: /\n\nUser-agent: *\nDisallow: /private/\n", ["/public/b.html"]),
    ("User-agent: *\nDisallow: /\n\nUser-agent: Newsroom/2.0\nDisallow: /private/\n", ["/public/b.html"]),
], ids=["part-of-the-name", "product-token"])
def test_a_robots_txt_group_applies_to_newsroom_only_when_it_names_newsroom(tmp_path, robots, fetched):
    """urllib took a group as newsroom's when its user-agent was any part of "newsroom": `User-agent: news`, or an
    empty `User-agent:` line, with `Allow: /`, overrode the `*` group's `Disallow: /private/` and the private page
    was fetched (RFC 9309 matches the product token). A group naming `Newsroom/2.0` is still newsroom's."""
    assert collect_beside_robots(tmp_path, robots, ["/private/a.html", "/public/b.html"])[0] == fetched


def test_a_robots_txt_of_21000_wildcard_rules_answers_each_link_in_well_under_a_millisecond():
    """A 500 KiB robots.txt (RFC 9309's floor) of 21,000 rules with `*` cost 23 ms of CPU per link checked: every
    rule was walked for each link, on the collector's event loop (a 200-item feed: 4.6 s; the seventeenth round's
    leftover). Each group's rules are indexed once; the answers are still the longest match's."""
    rules = "".join(f"Disallow: /*-{n}.pdf$\n" for n in range(21_000))
    robots = "User-agent: *\n" + rules + "Allow: /news/*-777.pdf$\n"
    assert 480_000 < len(robots) <= ROBOTS_MAX_BYTES
    paths = ["/news/story-20500.pdf", "/news/story-20500.html", "/news/story-20500.pdf?page=2", "/news/x-777.pdf",
             "/other/x-777.pdf", "/a.html"]
    links = [f"/news/2026/12/05/story-{n}.pdf" for n in range(200)]

    async def check(base: str) -> tuple[list[bool], list[bool], float]:
        async with Fetcher(load_settings()) as fetcher:
            answers = [await fetcher.allowed_by_robots(base + path) for path in paths]  # the file read and indexed
            start = time.process_time()
            feed = [await fetcher.allowed_by_robots(base + link) for link in links]
            return answers, feed, time.process_time() - start

    with RawSite({"/robots.txt": (200, {"Content-Type": "text/plain"}, robots)}) as site:
        answers, feed, seconds = asyncio.run(check(site.base_url))
        assert site.requests == ["/robots.txt"]
    assert answers == [False, True, True, True, False, True]
    assert feed == [False] * 200
    assert seconds < 0.5  # was 4-5 s: 200 links x 21,000 rules


def test_a_robots_txt_is_indexed_at_its_hosts_second_link_only(monkeypatch):
    """Indexing 21,000 rules costs about four walks of them: a feed linking one page on each of many host names (a
    wildcard domain, each name serving its own 500 KiB robots.txt) would pay it once per host for one check. A
    host's first link walks the rules; the index is built at its second, once."""
    from pipeline import fetch

    built, real_index = [], fetch._rules_index
    monkeypatch.setattr(fetch, "_rules_index", lambda rules: built.append(len(rules)) or real_index(rules))
    robots = "User-agent: *\n" + "".join(f"Disallow: /*-{n}.pdf$\n" for n in range(21_000))

    async def check(base: str) -> list[bool]:
        async with Fetcher(load_settings()) as fetcher:
            answers = [await fetcher.allowed_by_robots(base + "/news/story-20500.pdf")]
            assert built == []
            answers += [await fetcher.allowed_by_robots(base + path) for path in ("/a-20500.pdf", "/b.html", "/c")]
            return answers

    with RawSite({"/robots.txt": (200, {"Content-Type": "text/plain"}, robots)}) as site:
        assert asyncio.run(check(site.base_url)) == [False, False, True, True]
    assert built == [21_000]


def test_a_feed_title_or_source_padded_with_spaces_still_names_the_publication(tmp_path):
    """A name over TITLE_CHARS is no name (the megabyte titles above), but white space counts once: a feed's title
    or an item's <source> padded with 3,000 spaces still names the publication, dropped from the authors and cut from
    the headline as before."""
    pad = " " * 3000
    feed = (f'<?xml version="1.0"?><rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>'
            f"<title>The Tech{pad}Ledger</title><item><title>Mistral AI story - Le Monde</title>"
            "<link>{base}/a.html</link><dc:creator>The Tech Ledger</dc:creator><description>Mistral AI teaser."
            f"</description><source url='https://www.lemonde.fr/'>Le{pad}Monde</source></item></channel></rss>")
    with RawSite({"/feed.xml": (200, {"Content-Type": "application/rss+xml"}, feed)}) as site:
        articles, _ = collect_feeds(site.feeds_file(tmp_path))
    assert [(a.title, a.authors) for a in articles] == [("Mistral AI story", [])]


def test_a_page_whose_class_and_id_run_to_800_kb_is_read_in_well_under_a_second(tmp_path):
    """trafilatura's pruning reads every `class` and `id` with its boilerplate patterns: three of 800 KB (within the
    3 MB markup limit) cost about 5 s of CPU a page, each page of a site anew (hostile input, fifteenth round). A value
    over MAX_CLASS_CHARS keeps its first names; the story's text is read as before."""
    names, closing = "a " * 400_000, "In closing, Mistral AI and Nvidia signed a three-year compute contract."
    body = "".join(f"<p>Part {i}: {SENTENCE * 2}</p>" for i in range(6))
    page = story("Mistral AI long classes", body=f"<div class='{names}x'><div id='{names}y'>{body}"
                                                 f"<div class='{names}z'><p>{closing}</p></div></div></div>")
    feed = rss([rss_item("Mistral AI long classes", "{base}/classes.html")])
    articles, seconds = collect_timed(tmp_path, feed, {"/classes.html": (200, {}, page)})
    print("SECONDS", seconds); assert seconds < 2, f"{seconds:.1f} s of CPU"
    [article] = articles
    assert article.extraction == "trafilatura" and article.text.count("Part ") == 6 and closing in article.text


@pytest.mark.parametrize("head", ['<meta property="og:title" content="{big}">', '<meta name="twitter:title" '
                                  'content="{big}">', "<title>{big}</title>"])
def test_a_page_whose_title_runs_to_a_megabyte_is_read_in_milliseconds_under_its_headline(tmp_path, head):
    """A 1 MB og:title, twitter:title or <title> was cleaned, cut at 1,000 characters and checked character by
    character: about 0.5 s of CPU a page, each page of a site anew, and the story stored under its first thousand
    characters (hostile input, seventeenth round). A title over TITLE_CHARS names no story: the <h1> is read."""
    big = " ".join(f"word{i}" for i in range(130_000))
    body = "".join(f"<p>Part {i}: {SENTENCE * 2}</p>" for i in range(6))
    pages = {f"/big{n}.html": (200, {}, "<!DOCTYPE html><html lang='en'><head>" + head.format(big=big) + "</head>"
                                        f"<body><article><h1>Mistral AI headline {n}</h1>{body}</article></body></html>")
             for n in range(3)}
    feed = rss([rss_item(f"Mistral AI big title {n}", f"{{base}}/big{n}.html") for n in range(3)])
    with RawSite({"/feed.xml": (200, {"Content-Type": "application/rss+xml"}, feed), **pages}) as site:
        feeds = site.feeds_file(tmp_path)
        collect_feeds(feeds)  # the models and caches, loaded once
        start = time.process_time()
        articles, _ = collect_feeds(tmp_path.joinpath("again").mkdir() or site.feeds_file(tmp_path / "again"))
        seconds = time.process_time() - start
    assert seconds < 1, f"{seconds:.2f} s of CPU"
    assert sorted((a.title, a.extraction) for a in articles) == [(f"Mistral AI headline {n}", "trafilatura")
                                                                 for n in range(3)]


def test_a_feed_summary_holding_a_script_or_a_style_is_stored_without_their_text(tmp_path):
    """feedparser runs without sanitising, so an Atom `<content type="xhtml">` or an RSS description holding a
    `<script>`, a `<style>` or an `<iframe>` gave « alert('x')p{color:red} » as the opening words of the story stored
    from its summary (hostile input, seventeenth round). Their text is dropped, the summary's words kept."""
    words = "Mistral AI signed a deal with Nvidia in Paris, the company said on Saturday. "
    atom = ("<?xml version='1.0' encoding='utf-8'?><feed xmlns='http://www.w3.org/2005/Atom'><title>A</title><id>a</id>"
            "<updated>2026-11-30T10:00:00Z</updated><entry><id>x1</id><title>Mistral AI in Atom</title>"
            "<link rel='alternate' href='{base}/gone.html'/><updated>2026-11-30T10:00:00Z</updated>"
            "<content type='xhtml'><div xmlns='http://www.w3.org/1999/xhtml'><script>alert('xhtml')</script><style>"
            f"p{{color:red}}</style><p>{words}</p><iframe src='javascript:alert(2)'>frame text</iframe></div></content>"
            "</entry></feed>")
    rss_feed = rss([rss_item("Mistral AI in RSS", "{base}/gone2.html",
                             f"<![CDATA[<script>document.write('rss')</script><p>{words}</p><template>tpl</template>]]>")])
    with RawSite({"/atom.xml": (200, {"Content-Type": "application/atom+xml"}, atom),
                  "/feed.xml": (200, {"Content-Type": "application/rss+xml"}, rss_feed)}) as site:
        feeds = tmp_path / "feeds.json"
        feeds.write_text(json.dumps({"feeds": [{"name": n, "url": site.base_url + path, "lang": "en"}
                                               for n, path in (("A", "/atom.xml"), ("R", "/feed.xml"))]}))
        articles, _ = collect_feeds(feeds)
    assert sorted((a.title, a.extraction, a.text) for a in articles) == [
        ("Mistral AI in Atom", "feed-summary", words.strip()), ("Mistral AI in RSS", "feed-summary", words.strip())]


def test_a_headline_naming_the_script_tag_keeps_its_words(tmp_path):
    """A title feedparser reads as plain text (Atom `type="text"`, an RSS title without markup) was parsed as HTML:
    « Why <script> tags matter » opened a script that ran to the end, and the story was stored, listed and mailed as
    "Why tags matter</div>" (hostile input, seventeenth round). Plain text stays words; a title in HTML is read as
    HTML."""
    page = story("Mistral AI page", body="".join(f"<p>Part {i}: {SENTENCE * 2}</p>" for i in range(6)))
    atom = ("<?xml version='1.0' encoding='utf-8'?><feed xmlns='http://www.w3.org/2005/Atom'><title>A</title><id>a</id>"
            "<updated>2026-11-30T10:00:00Z</updated>" + "".join(
                f"<entry><id>x{n}</id><title{kind}>{title}</title><link rel='alternate' href='{{base}}/p{n}.html'/>"
                "<updated>2026-11-30T10:00:00Z</updated></entry>" for n, (kind, title) in enumerate([
                    ("", "Why &lt;script&gt; tags matter to Mistral AI"),
                    ("", "Mistral AI &lt;style&gt; guide &amp; Nvidia"),
                    (" type='html'", "Mistral AI &lt;b&gt;bold&lt;/b&gt; move"),
                ])) + "</feed>")
    pages = {f"/p{n}.html": (200, {}, page.replace("<title>Mistral AI page</title>", "")
                             .replace("<h1>Mistral AI page</h1>", "")) for n in range(3)}
    with RawSite({"/atom.xml": (200, {"Content-Type": "application/atom+xml"}, atom), **pages}) as site:
        articles, _ = collect_feeds(site.feeds_file(tmp_path, "/atom.xml"))
    assert sorted(a.title for a in articles) == ["Mistral AI <style> guide & Nvidia", "Mistral AI bold move",
                                                 "Why <script> tags matter to Mistral AI"]


def test_a_story_after_a_5_mb_inline_svg_drawing_is_extracted(tmp_path):
    """An inline SVG chart of 5 MB (one long path) before the story made the page "too large to extract" (over the
    3,000,000-character markup limit): the story was stored from its feed summary (hostile input, seventeenth round).
    trafilatura drops `<svg>` whole, so its body is set aside like a script's before the size is counted. An icon that
    closes itself (`<svg/>`) before the story sets nothing aside; an SVG never closed is still counted."""
    body = "".join(f"<p>Part {i}: {SENTENCE * 2}</p>" for i in range(6))
    drawing = "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 9 9'><path d='" + "M0 0 L1 1 " * 500_000 + "'/>"
    pages = {"/before.html": story("Mistral AI chart before", body=drawing + "</svg>" + body),
             "/icon.html": story("Mistral AI icon then chart", body="<svg class='icon'/>" + body + drawing + "</svg>"),
             "/unclosed.html": story("Mistral AI unclosed chart", body=body + drawing)}
    feed = rss([rss_item(f"Mistral AI {path[1:-5]}", "{base}" + path) for path in pages])
    with RawSite({"/feed.xml": (200, {"Content-Type": "application/rss+xml"}, feed),
                  **{path: (200, {}, page) for path, page in pages.items()}}) as site:
        articles, collector = collect_feeds(site.feeds_file(tmp_path))
    read = {a.url.rsplit("/", 1)[1]: (a.extraction, a.text.count("Part ")) for a in articles}
    assert read == {"before.html": ("trafilatura", 6), "icon.html": ("trafilatura", 6),
                    "unclosed.html": ("feed-summary", 0)}
    assert collector.stats.fallback_reasons == {"page-too-complex": 1}


def test_an_item_link_made_too_long_by_tracking_parameters_is_fetched_without_them(tmp_path):
    """20,000 `utm_` parameters made an item link of 240 KB, more than httpx sends (65,536): refused as `bad-url`,
    the story stored from its summary (hostile input, seventeenth round). The link without its tracking parameters,
    the story's own URL, is fetched instead; a shorter link is still fetched as written."""
    trackers = "&amp;".join(f"utm_x{i}=1" for i in range(20_000))
    page = story("Mistral AI tracked", body="".join(f"<p>Part {i}: {SENTENCE * 2}</p>" for i in range(6)))
    feed = rss([rss_item("Mistral AI tracked", "{base}/tracked.html?" + trackers + "&amp;id=7"),
                rss_item("Mistral AI short", "{base}/short.html?utm_source=rss&amp;id=8")])
    with RawSite({"/feed.xml": (200, {"Content-Type": "application/rss+xml"}, feed), "/tracked.html?id=7": (200, {}, page),
                  "/short.html?utm_source=rss&id=8": (200, {}, page.replace("tracked", "short"))}) as site:
        articles, collector = collect_feeds(site.feeds_file(tmp_path))
    assert sorted((a.url.rsplit("/", 1)[1], a.extraction) for a in articles) == [
        ("short.html?id=8", "trafilatura"), ("tracked.html?id=7", "trafilatura")]
    assert not collector.stats.fallback_reasons


def test_a_story_inside_50000_nested_spans_keeps_its_text(tmp_path):
    """50,000 `<span>`s nested in one paragraph (valid HTML, shown by any browser) went past the 2,048 levels the
    parser builds: `page-too-complex`, the story stored from its feed summary (hostile input, seventeenth round). The
    nest is read without its inline tags, as a page past MAX_INLINE is; a nest of 5,000 `<div>`s is still refused
    (test_a_story_nested_300_deep_keeps_its_text_and_one_nested_5000_deep_is_refused_with_its_reason)."""
    words = "".join(f"Part {i}: {SENTENCE * 2} " for i in range(6))
    page = story("Mistral AI nested spans", body="<p>" + "<span class='s'>" * 50_000 + words + "</span>" * 50_000
                 + "</p><p>In closing, Mistral AI and Nvidia signed a three-year compute contract.</p>")
    feed = rss([rss_item("Mistral AI nested spans", "{base}/spans.html")])
    articles, seconds = collect_timed(tmp_path, feed, {"/spans.html": (200, {}, page)})
    [article] = articles
    assert article.extraction == "trafilatura" and article.text.count("Part ") == 6
    assert "signed a three-year compute contract" in article.text
    assert seconds < 5, f"{seconds:.1f} s of CPU"


def test_a_charset_left_in_a_comment_does_not_garble_the_page(tmp_path):
    """A windows-1252 page served without a charset, whose head keeps an old `<meta charset="koi8-r">` in a comment
    before its real one, was decoded as KOI8-R: « L'ИtИ de Mistral Ю Paris » stored, searched and mailed (hostile
    input, seventeenth round). Browsers' prescan skips comments; so does newsroom's."""
    body = "".join(f"<p>Partie {i} : L'été de Mistral AI à Paris, déjà cité par Nvidia, réjouit les élus. "
                   f"{SENTENCE * 2}</p>" for i in range(6))
    page = ("<!DOCTYPE html><html lang='fr'><head><!-- ancien : <meta charset='koi8-r'> --><meta charset="
            f"'windows-1252'><title>L'été de Mistral AI</title></head><body><article><h1>L'été de Mistral AI</h1>{body}"
            "</article></body></html>").encode("cp1252")
    feed = rss([rss_item("L'été de Mistral AI", "{base}/ete.html")])
    with RawSite({"/feed.xml": (200, {"Content-Type": "application/rss+xml"}, feed),
                  "/ete.html": (200, {"Content-Type": "text/html"}, page)}) as site:
        [article], _ = collect_feeds(site.feeds_file(tmp_path))
    assert article.extraction == "trafilatura" and article.title == "L'été de Mistral AI"
    assert article.text.count("L'été de Mistral AI à Paris, déjà cité") == 6 and "И" not in article.text


@pytest.mark.parametrize("head", ["<link rel='canonical' href='{base}/{long}'>", "<meta property='og:url' "
                                  "content='{base}/{long}'>"])
def test_a_megabyte_canonical_link_is_not_stored_with_the_article(tmp_path, head):
    """A 1 MB `<link rel=canonical>` or og:url names no page a client can ask for, but it was stored whole as the
    article's `canonical_url` (1 MB in every copy of the document; hostile input, seventeenth round). Past what an
    HTTP client sends, the fetched URL stands in, as for a page declaring none."""
    page = story("Mistral AI long canonical", head.replace("{long}", "a" * 1_000_000),
                 body="".join(f"<p>Part {i}: {SENTENCE * 2}</p>" for i in range(6)))
    feed = rss([rss_item("Mistral AI long canonical", "{base}/canon.html")])
    with RawSite({"/feed.xml": (200, {"Content-Type": "application/rss+xml"}, feed),
                  "/canon.html": (200, {}, page)}) as site:
        [article], _ = collect_feeds(site.feeds_file(tmp_path))
        assert (article.extraction, article.canonical_url) == ("trafilatura", f"{site.base_url}/canon.html")


@pytest.mark.parametrize("codec", ["utf-32", "utf-32-be"])
def test_a_utf32_feed_with_its_byte_order_mark_is_read(tmp_path, codec):
    """UTF-32's little-endian byte order mark (FF FE 00 00) begins with UTF-16's (FF FE): a UTF-32 feed was read as
    UTF-16 and lost whole ("not well-formed") at every run, whatever its labels (hostile input, seventeenth round)."""
    feed = rss([rss_item("Numérique : Mistral AI à l’Élysée", "http://127.0.0.1:0/elysee.html")]).replace(
        'encoding="utf-8"', 'encoding="utf-32"')
    body = (b"" if codec == "utf-32" else b"\x00\x00\xfe\xff") + feed.encode(codec)
    with RawSite({"/feed.xml": (200, {"Content-Type": "application/rss+xml; charset=iso-8859-1"}, body)}) as site:
        articles, collector = collect_feeds(site.feeds_file(tmp_path))
    assert not collector.stats.feed_errors and collector.stats.feeds_malformed == 0
    assert [a.title for a in articles] == ["Numérique : Mistral AI à l’Élysée"]


@pytest.mark.parametrize("codec, mark", [("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff")])
def test_a_utf16_page_with_its_byte_order_mark_is_read_whatever_its_header_says(tmp_path, codec, mark):
    """A UTF-16 page served as `charset=iso-8859-1` (a web server's default label) was decoded as windows-1252, a NUL
    between each letter, which the parser drops: every character past Latin-1 (’, €, œ) became noise (hostile input,
    seventeenth round). The byte order mark decides before any label, as browsers' BOM sniff does (feeds since the
    eleventh round)."""
    body = "".join(f"<p>Partie {i} : l’État et Mistral AI, 1 milliard d’€ pour l’œuvre. {SENTENCE * 2}</p>"
                   for i in range(6))
    page = mark + story("L’État et Mistral AI", body=body).encode(codec)
    feed = rss([rss_item("L’État et Mistral AI", "{base}/ete.html")])
    with RawSite({"/feed.xml": (200, {"Content-Type": "application/rss+xml"}, feed),
                  "/ete.html": (200, {"Content-Type": "text/html; charset=iso-8859-1"}, page)}) as site:
        [article], _ = collect_feeds(site.feeds_file(tmp_path))
    assert article.extraction == "trafilatura" and article.title == "L’État et Mistral AI"
    assert article.text.count("l’État et Mistral AI, 1 milliard d’€ pour l’œuvre.") == 6


def test_a_story_beside_a_chart_or_a_script_of_250000_tags_is_extracted(tmp_path):
    """An inline SVG chart of 250,000 elements (or a script holding 250,000 `<`) went past the 200,000 `<` a page may
    hold before it is parsed: `page-too-complex`, the story from its summary (hostile input, seventeenth round). What
    no reader reads makes no element to extract: the `<` are counted again without it. A page of 250,000 real
    elements is still refused."""
    body = "".join(f"<p>Part {i}: {SENTENCE * 2}</p>" for i in range(6))
    chart = "<svg viewBox='0 0 9 9'>" + "<rect/>" * 250_000 + "</svg>"
    code = "<script>var t = '" + "<" * 250_000 + "';</script>"
    pages = {"/chart.html": story("Mistral AI chart", body=chart + body),
             "/code.html": story("Mistral AI code", body=code + body),
             "/tags.html": story("Mistral AI tags", body=body + "<i></i>" * 125_001)}
    feed = rss([rss_item(f"Mistral AI {path[1:-5]}", "{base}" + path) for path in pages])
    with RawSite({"/feed.xml": (200, {"Content-Type": "application/rss+xml"}, feed),
                  **{path: (200, {}, page) for path, page in pages.items()}}) as site:
        articles, collector = collect_feeds(site.feeds_file(tmp_path))
    read = {a.url.rsplit("/", 1)[1]: (a.extraction, a.text.count("Part ")) for a in articles}
    assert read == {"chart.html": ("trafilatura", 6), "code.html": ("trafilatura", 6), "tags.html": ("feed-summary", 0)}
    assert collector.stats.fallback_reasons == {"page-too-complex": 1}


@pytest.mark.parametrize("head", ["<link rel='canonical' href='http://reader:s3cretPass@{host}/canon.html'>",
                                  "<meta property='og:url' content='http://reader:s3cretPass@{host}/canon.html'>"])
def test_a_canonical_link_carrying_credentials_is_stored_without_them(tmp_path, head):
    """A page's canonical link or og:url with a `user:password@` was stored as the article's `canonical_url`, in every
    copy of the article in the index, the password lower-cased (hostile input, nineteenth round): the link to its own
    page kept the story's id, so nothing else showed it. It is stored without them, like an item link."""
    feed = rss([rss_item("Mistral AI canonical", "{base}/canon.html")])
    with RawSite({"/feed.xml": (200, {"Content-Type": "application/rss+xml"}, feed)}) as site:
        host = site.base_url.removeprefix("http://")
        site.replies["/canon.html"] = (200, {}, story("Mistral AI canonical", head.format(host=host)))
        articles, _ = collect_feeds(site.feeds_file(tmp_path))
    [article] = articles
    assert article.extraction == "trafilatura" and article.canonical_url == f"{site.base_url}/canon.html"
    assert "reader" not in article.model_dump_json() and "s3cret" not in article.model_dump_json().casefold()


def test_a_story_under_a_200_kb_token_keeps_its_text(tmp_path):
    """A page opening with 200 KB without white space (a base64 blob, a hostile token) filled the 100,000 characters
    of text kept with it: one "word", too little text, the story stored from its feed summary (hostile input,
    nineteenth round). Over the limit, a run of more than MAX_WORD_CHARS characters without white space is no word."""
    body = "".join(f"<p>Part {i}: {SENTENCE * 2}</p>" for i in range(6))
    page = story("Mistral AI token", body=f"<p>{'x' * 200_000}</p>{body}")
    feed = rss([rss_item("Mistral AI token", "{base}/token.html")])
    articles, seconds = collect_timed(tmp_path, feed, {"/token.html": (200, {}, page)})
    [article] = articles
    assert article.extraction == "trafilatura" and article.text.count("Part ") == 6 and "xxx" not in article.text
    assert seconds < 3, f"{seconds:.1f} s of CPU"


def test_words_a_browser_never_shows_under_the_hidden_attribute_are_not_the_story(tmp_path):
    """A block with the `hidden` attribute is not rendered, but its words were read as the story's: a hostile page's
    invisible « Capgemini accusé de fraude » under a story about Mistral AI made Capgemini a company of it, with a
    negative tone (hostile input, nineteenth round). A folded section a reader can open (`hidden="until-found"`)
    stays."""
    body = "".join(f"<p>Part {i}: {SENTENCE * 2}</p>" for i in range(6))
    hidden = "<div hidden><p>Capgemini accused of fraud: a scandal and a disaster for Capgemini.</p></div>"
    folded = "<div hidden='until-found'><p>In closing, Mistral AI and Nvidia signed a three-year contract.</p></div>"
    page = story("Mistral AI hidden", body=body[:600] + hidden + body[600:] + folded)
    feed = rss([rss_item("Mistral AI hidden", "{base}/hidden.html")])
    articles, _ = collect_timed(tmp_path, feed, {"/hidden.html": (200, {}, page)})
    [article] = articles
    assert article.extraction == "trafilatura" and article.text.count("Part ") == 6
    assert "Capgemini" not in article.text and "three-year contract" in article.text


def _assert_hidden_words_left_out(tmp_path, name: str, body: str, shown: tuple[str, ...], head: str = "") -> None:
    """Collects a six-part story about Mistral AI whose body hides « Capgemini … » and shows `shown`: every part and
    every shown phrase is stored, no hidden word is."""
    feed = rss([rss_item(f"Mistral AI {name}", f"{{base}}/{name}.html")])
    page = story(f"Mistral AI {name}", head=head, body=body)
    articles, _ = collect_timed(tmp_path, feed, {f"/{name}.html": (200, {}, page)})
    [article] = articles
    assert article.extraction == "trafilatura" and article.text.count("Part ") == 6
    assert "Capgemini" not in article.text, article.text
    assert all(words in article.text for words in shown)


def test_words_an_inline_style_hides_from_a_reader_are_not_the_story(tmp_path):
    """A hostile page hid a fake quote or spam inside a story with an inline style trafilatura does not read
    (`DISPLAY : NONE`, `font-size:0`, `opacity:0`, off-screen, clipped to nothing), and it was stored as the story's:
    Capgemini became a company of a story about Mistral AI, with a negative tone (hostile input, twentieth round).
    What a reader does see stays: a `font-size:0` row whose children are sized back up, a fade-in animation's
    `opacity:0`, a box nudged 10 pixels to the left."""
    hidden = ["<p style='DISPLAY : NONE'>Capgemini fraud one.</p>", "<p style='font-size: 0px'>Capgemini fraud two.</p>",
              "<span style='opacity:0 !important'>Capgemini fraud three.</span>",
              "<div style='position:absolute; left:-9999px'>Capgemini fraud four.</div>",
              "<p style='position:absolute;clip:rect(1px, 1px, 1px, 1px)'>Capgemini fraud five.</p>",
              "<p style='visibility: Hidden'>Capgemini fraud six.</p>"]
    shown = ["<p style='font-size:0'><span class='cell'>Row one of the contract table.</span></p>",
             "<p style='opacity:0' data-w-id='fade'>A fading-in paragraph on the contract.</p>",
             "<p style='position:relative;left:-10px'>A nudged paragraph on the contract.</p>"]
    body = "".join(f"<p>Part {i}: {SENTENCE * 2}{hidden[i]}</p>{shown[i % 3]}" for i in range(6))
    _assert_hidden_words_left_out(tmp_path, "styled", body, ("Row one", "fading-in paragraph", "nudged paragraph"))


def test_a_company_named_in_zalgo_is_linked_and_its_title_reads_plain(tmp_path):
    """« M̸i̷s̵t̶r̷a̸l̵ A̷I̸ » in a feed's title, the page's headline and its text, with thousands of marks stacked on
    the letters of one of them, was not linked to Mistral AI and was stored, listed and mailed as a wall of marks
    (hostile input, twentieth round): the words read plain, the company is found, real accents stay."""
    from pipeline.enrich.watchlist import get_linker

    struck = "M\u0338i\u0337s\u0335t\u0336r\u0337a\u0338l\u0335 \u0336A\u0337I\u0338"
    stacked = "".join(c + "\u0300\u0316\u0334\u0361\u035c" * 400 for c in "Mistral") + " AI"
    title = f"{struck} lève un milliard, l’État applaudit"
    body = "".join(f"<p>Part {i}: {stacked} et l’État. {SENTENCE}</p>" for i in range(6))
    feed = rss([rss_item(title, "{base}/zalgo.html", summary=f"{stacked} teaser.")])
    articles, seconds = collect_timed(tmp_path, feed, {"/zalgo.html": (200, {}, story(title, body=body))})
    [article] = articles
    assert article.title == "Mistral AI lève un milliard, l’État applaudit"
    assert article.text.count("Part ") == 6 and "\u0334" not in article.text and "l’État" in article.text
    assert {m.company for m in get_linker().candidates(article.text)} >= {"Mistral AI"}
    assert seconds < 3, f"{seconds:.1f} s of CPU"


def test_words_the_pages_own_style_sheet_hides_are_not_the_story(tmp_path):
    """A class the page's `<style>` hides (`.k9x { display: none }`) hid « Capgemini accusé de fraude » inside a story
    about Mistral AI, and it was stored as the story's (hostile input, twentieth round). A class another rule, a media
    query or a state shows again (tabs, a mobile-only block, a print-only one) stays, and so does a headline."""
    sheet = ("<style>/* site */ .k9x, .z3 { DISPLAY : none !important } .tab { display: none } .tab.on { display: block }"
             " .wide { display: none } @media (max-width: 600px) { .wide { display: block } }"
             " @media print { .onpaper { display: none } }</style>")
    hidden = ["<p class='k9x'>Capgemini accused of fraud, one.</p>", "<span class='a z3'>Capgemini accused, two.</span>"]
    shown = ["<p class='tab on'>The first tab on the contract.</p>", "<p class='wide'>A mobile paragraph on it.</p>",
             "<p class='onpaper'>A paragraph read on screen.</p>"]
    body = "".join(f"<p>Part {i}: {SENTENCE * 2}</p>{hidden[i % 2]}{shown[i % 3]}" for i in range(6))
    _assert_hidden_words_left_out(tmp_path, "sheet", body, ("first tab", "mobile paragraph", "read on screen"), head=sheet)



def test_words_a_feed_summary_hides_are_not_stored_when_the_page_cannot_be_read(tmp_path):
    """An item's summary hid « Capgemini accusé de fraude » in a `display:none` span (or the `hidden` attribute, or a
    class its own `<style>` hides); its page answered 404, so the summary was stored as the story, Capgemini one of its
    companies (hostile input, twentieth round). What a browser shows of it is kept."""
    summary = ("&lt;p&gt;Mistral AI signs a contract with the state.&lt;span style='DISPLAY: none'&gt;Capgemini accused "
               "of fraud.&lt;/span&gt; Talks went on.&lt;/p&gt;&lt;p hidden&gt;Capgemini bankrupt.&lt;/p&gt;&lt;style&gt;"
               ".q7{display:none}&lt;/style&gt;&lt;b class='q7'&gt;Capgemini scandal.&lt;/b&gt; Ministers agreed.")
    feed = ("<?xml version='1.0'?><rss version='2.0'><channel><title>T</title><link>{base}/</link><description>d"
            "</description><item><title>Mistral AI signs</title><link>{base}/gone.html</link>"
            f"<description>{summary}</description></item></channel></rss>")
    with RawSite({"/feed.xml": (200, {"Content-Type": "application/rss+xml"}, feed)}) as site:
        articles, _ = collect_feeds(site.feeds_file(tmp_path))
    [article] = articles
    assert article.extraction == "feed-summary" and "Capgemini" not in article.text, article.text
    assert "Mistral AI signs a contract with the state. Talks went on." in article.text
    assert "Ministers agreed." in article.text


def test_words_hidden_inside_the_headline_are_not_the_title(tmp_path):
    """`<h1><span style="display:none">Capgemini accusé de fraude</span>Mistral AI signs…</h1>` was stored as the title
    « Capgemini accusé de fraudeMistral AI signs… », Capgemini a company of the story (hostile input, twentieth
    round): the title is what a reader sees of the headline."""
    headline = ("<span style='display:none'>Capgemini accused of fraud</span>Mistral AI signs a cloud contract"
                "<small hidden> Capgemini bankrupt</small>")
    page = story("Mistral AI signs a cloud contract").replace("<h1>Mistral AI signs a cloud contract</h1>",
                                                                f"<h1>{headline}</h1>")
    page = page.replace("<title>Mistral AI signs a cloud contract</title>", "")
    feed = rss([rss_item("Mistral AI cloud", "{base}/headline.html")])
    articles, _ = collect_timed(tmp_path, feed, {"/headline.html": (200, {}, page)})
    [article] = articles
    assert article.title == "Mistral AI signs a cloud contract" and "Capgemini" not in article.text


def test_a_site_serving_page_one_for_every_page_number_stores_the_story_once(tmp_path):
    """A site that ignores `?page=N` serves page 1 again under each pager link (« Page 3 » where page 1 said « Page 2 »):
    the story was stored two to five times over (hostile input, twentieth round). A page bringing no new line but its
    pager's ends the story; a real page 2 is still joined, whatever it repeats."""
    body = "".join(f"<p>Part {i}: {SENTENCE * 2}</p>" for i in range(1, 7))
    pager = "<a rel='next' href='/split.html?page={}'>Page {}</a>"
    pages = {"/split.html": (200, {}, story("Mistral AI split", body=body + pager.format(2, 2))),
             **{f"/split.html?page={n}": (200, {}, story("Mistral AI split", body=body + pager.format(n + 1, n + 1)))
                for n in range(2, 6)},
             "/real.html": (200, {}, story("Mistral AI real", body=body + "<p><a rel='next' href='/real.html?page=2'>"
                                                                        "Page 2</a></p>")),
             "/real.html?page=2": (200, {}, story("Mistral AI real", body=body + "<p>Chapter 1: Nvidia shipped the racks"
                                                                            " to Essonne.</p>"))}
    feed = rss([rss_item("Mistral AI split", "{base}/split.html"), rss_item("Mistral AI real", "{base}/real.html")])
    articles, _ = collect_timed(tmp_path, feed, pages)
    split, real = sorted(articles, key=lambda a: a.url)[::-1]
    assert split.text.count("Part 1:") == 1, split.text
    assert real.text.count("Chapter 1: Nvidia shipped the racks to Essonne.") == 1  # its long lines repeated, one new


def test_a_part_of_a_page_sent_as_206_is_not_stored_as_the_story(tmp_path):
    """A server answered the request for a whole page with `206 Partial Content` and its first 600 bytes: the story
    was stored as that fragment's few words, as if it were the page (hostile input, twentieth round). newsroom asks
    for no range: the item falls back to its summary, counted as `http-206`."""
    page = story("Mistral AI partial")
    feed = rss([rss_item("Mistral AI partial", "{base}/partial.html")])
    replies = {"/feed.xml": (200, {"Content-Type": "application/rss+xml"}, feed),
               "/partial.html": (206, {"Content-Range": f"bytes 0-599/{len(page)}"}, page[:600])}
    with RawSite(replies) as site:
        articles, collector = collect_feeds(site.feeds_file(tmp_path))
    [article] = articles
    assert article.extraction == "feed-summary" and collector.stats.fallback_reasons == {"http-206": 1}


def test_a_company_named_in_zalgo_in_a_long_summary_is_kept(tmp_path):
    """A summary naming « Mistral » with 1,500 combining marks on each letter (10,500 characters without a space) was
    over the description's cap, so the name was dropped as an endless token before its marks were cleaned: the stored
    description lost its company (hostile input, twentieth round)."""
    zalgo = "".join(c + "\u0300\u0316\u0334\u0361\u035c" * 300 for c in "Mistral") + " AI"
    feed = rss([rss_item("Mistral AI contract", "{base}/zalgo.html", summary=f"{zalgo} signs a contract.")])
    articles, _ = collect_timed(tmp_path, feed, {"/zalgo.html": (200, {}, story("Mistral AI contract"))})
    [article] = articles
    assert article.extraction == "trafilatura" and article.description == "Mistral AI signs a contract."


def test_words_after_an_empty_inline_element_are_kept(tmp_path):
    """trafilatura's precision pass deletes an empty inline element with the words after it: the paragraph after
    WordPress's « more » anchor (`<span id="more-5662"></span>Islam pecah…`, a corpus page), « par un dirigeant de
    LREM » after an empty `<strong>` (another), and « Mis<b></b>tral AI agreed… » whole were lost (hostile input,
    twentieth round)."""
    body = "".join(f"<p>Part {i}: {SENTENCE * 2}</p>" for i in range(5))
    body += ("<p><span id='more-5662'></span>After the break, Nvidia shipped the first racks to Essonne.</p>"
             "<p>Then Mistral AI agreed<em></em> on a deal with the ministry of defence.</p>"
             "<p>Later Mis<b></b>tral AI hired two hundred engineers in Paris.</p>"
             "<p>Its cloud<i class='icon'></i> opens in the spring, the company said.</p>")
    feed = rss([rss_item("Mistral AI empty", "{base}/empty.html")])
    articles, _ = collect_timed(tmp_path, feed, {"/empty.html": (200, {}, story("Mistral AI empty", body=body))})
    [article] = articles
    for sentence in ("After the break, Nvidia shipped the first racks to Essonne.",
                     "Then Mistral AI agreed on a deal with the ministry of defence.",
                     "Later Mistral AI hired two hundred engineers in Paris.",
                     "Its cloud opens in the spring, the company said."):
        assert sentence in article.text, article.text


def test_words_an_inline_style_hides_in_other_spellings_are_not_the_story(tmp_path):
    """Inline styles that hide as well as `display:none` but that no pattern read: a CSS comment or escape inside the
    keyword (`display:/**/none`, `display:\\6e one`), `transform:scale(0)`, `clip-path:circle(0)`, a transparent
    colour or the background's own, an opacity of `.0`, `-1` or `1e-9`, a font of a tenth of a pixel, a line indented
    9,999 pixels off the screen, a box of no height that clips what it holds. Each hid « Capgemini accused of fraud »
    inside a story about Mistral AI, stored as the story's (hostile input, twenty-first round). What a reader sees
    stays: half opacity, a 0.9 em font, a white-on-black box, a video box sized by its padding, a one-em indent."""
    hidden = ["<p style='display:/**/none'>Capgemini fraud one.</p>", "<p style='display:\\6e one'>Capgemini fraud two.</p>",
              "<p style='transform: translateX(2px) scale(0)'>Capgemini fraud three.</p>",
              "<p style='clip-path: circle(0 at 50% 50%)'>Capgemini fraud four.</p>",
              "<span style='color: transparent'>Capgemini fraud five.</span>",
              "<span style='color:#FFF; background: white'>Capgemini fraud six.</span>",
              "<p style='opacity:.0'>Capgemini fraud seven.</p>", "<p style='opacity:-1'>Capgemini fraud eight.</p>",
              "<p style='opacity:1e-9'>Capgemini fraud nine.</p>", "<p style='font-size:0.1px'>Capgemini fraud ten.</p>",
              "<p style='text-indent:-9999px'>Capgemini fraud eleven.</p>",
              "<div style='height:0;overflow:clip'><p>Capgemini fraud twelve.</p></div>"]
    shown = ["<p style='opacity:0.5'>A paler paragraph on the contract.</p>",
             "<p style='font-size:0.9em'>A smaller paragraph on the contract.</p>",
             "<p style='color:#fff;background:#000'>A white-on-black paragraph on the contract.</p>",
             "<div style='height:0;padding-bottom:56%;overflow:clip'><p>A video box on the contract.</p></div>",
             "<p style='text-indent:-1em'>A hanging paragraph on the contract.</p>",
             "<p style='transform:scale(1.5)'>A zoomed paragraph on the contract.</p>"]
    body = "".join(f"<p>Part {i}: {SENTENCE * 2}{hidden[2 * i]}</p>{hidden[2 * i + 1]}{shown[i]}" for i in range(6))
    _assert_hidden_words_left_out(tmp_path, "spelled", body, ("paler paragraph", "smaller paragraph", "white-on-black",
                                                               "video box", "hanging paragraph", "zoomed paragraph"))


def test_words_the_pages_own_style_sheet_hides_by_any_simple_selector_are_not_the_story(tmp_path):
    """A page's `<style>` hid « Capgemini accused of fraud » with a descendant, child, id, compound or attribute
    selector (`.story .k1`, `div#k4 > span`, `#k2`, `p.k3`, `[data-k5]`), with an escaped keyword (`display:n\\6f ne`)
    or with a framework's screen-reader-only class from a sheet the page links to (`sr-only`, `visually-hidden`):
    only a rule of one class was read, and the words were stored as the story's (hostile input, twenty-first round).
    A name another rule names (a state that shows it), or a subject naming no class, id or attribute, stays."""
    sheet = ("<style>.story .k1 { display: none } #k2 { visibility: hidden } p.k3, div#k4 > span { display: none }"
             " [data-k5] { display: none } .k6 { display: n\\6f ne } .tab .pane { display: none }"
             " .tab.on .pane { display: block } article span.lead { display: none }"
             " article div { display: none } .x:hover .k7 { display: none }</style>")
    hidden = ["<div class='story'><p class='k1'>Capgemini fraud one.</p></div>", "<p id='k2'>Capgemini fraud two.</p>",
              "<p class='k3 big'>Capgemini fraud three.</p>", "<div id='k4'><span>Capgemini fraud four.</span></div>",
              "<p data-k5=''>Capgemini fraud five.</p>", "<p class='k6'>Capgemini fraud six.</p>",
              "<span class='sr-only'>Capgemini fraud seven.</span>",
              "<span class='visually-hidden'>Capgemini fraud eight.</span>"]
    shown = ["<div class='tab on'><p class='pane'>The open tab on the contract.</p></div>",
             "<p><span class='lead'>A lead</span> on the contract, its words around it.</p>",
             "<p class='k7'>A hovered paragraph on the contract.</p>"]
    body = "".join(f"<p>Part {i}: {SENTENCE * 2}</p>{hidden[i]}{shown[i % 3]}" for i in range(6)) + "".join(hidden[6:])
    _assert_hidden_words_left_out(tmp_path, "selectors", body, ("open tab", "its words around it", "hovered paragraph"),
                                  head=sheet)


def test_words_the_pages_own_style_sheet_moves_off_screen_or_shrinks_to_nothing_are_not_the_story(tmp_path):
    """A class of the page's own `<style>` that puts words off the screen (`position:absolute; left:-10000px`, the
    screen-reader-only pattern a page writes itself), clips them (`clip: rect(0 0 0 0)`), makes them transparent
    (`OPACITY: 0`) or scales them to nothing: only `display` and `visibility` were read in a sheet, and « Capgemini
    accused of fraud » was stored as the story's (hostile input, twenty-first round); so did a rule inside `@media
    screen` (every reader on a screen). A class another rule shows again (`.fade.in`) stays, and so do a zero font
    size set by a sheet (its children may be sized back up) and a rule for small screens only."""
    sheet = ("<style>.off { position: absolute; left: -10000px } .clipped { position: absolute; clip: rect(0 0 0 0) }"
             " .ghost { OPACITY: 0 } .shrunk { transform: scale(0) } .fade { opacity: 0 } .fade.in { opacity: 1 }"
             " .row { font-size: 0 } @media only screen { .k9 { display: none } }"
             " @media screen and (max-width: 600px) { .small { display: none } }</style>")
    hidden = ["<p class='off'>Capgemini fraud one.</p>", "<p class='clipped'>Capgemini fraud two.</p>",
              "<p class='ghost'>Capgemini fraud three.</p>", "<p class='shrunk'>Capgemini fraud four.</p>",
              "<p class='k9'>Capgemini fraud five.</p>"]
    shown = ["<p class='fade in'>A faded-in paragraph on the contract.</p>",
             "<p class='row'><span style='font-size:16px'>A row of the contract table.</span></p>",
             "<p class='small'>A paragraph for wide screens on the contract.</p>"]
    body = "".join(f"<p>Part {i}: {SENTENCE * 2}</p>{hidden[i % 5]}{shown[i % 3]}" for i in range(6))
    _assert_hidden_words_left_out(tmp_path, "offsheet", body, ("faded-in paragraph", "row of the contract",
                                                               "for wide screens"), head=sheet)


def test_words_a_sheet_hides_by_id_inside_the_headline_or_a_summary_are_not_stored(tmp_path):
    """`<h1><span id="k7">Capgemini accused of fraud</span>Mistral AI signs…</h1>` under `#k7 {display:none}`, and a
    summary hiding its words the same way, were stored with them: only a class the sheet hides was looked for in
    headlines and summaries (hostile input, twenty-first round)."""
    headline = "<span id='k7'>Capgemini accused of fraud </span>Mistral AI signs a cloud contract"
    page = story("Mistral AI signs a cloud contract", head="<style>h1 #k7 { display: none }</style>").replace(
        "<h1>Mistral AI signs a cloud contract</h1>", f"<h1>{headline}</h1>").replace(
        "<title>Mistral AI signs a cloud contract</title>", "")
    summary = ("&lt;style&gt;#q8 {visibility: hidden}&lt;/style&gt;&lt;p&gt;Mistral AI signs a contract."
               "&lt;span id='q8'&gt; Capgemini scandal.&lt;/span&gt; Ministers agreed.&lt;/p&gt;")
    feed = rss([rss_item("Mistral AI cloud", "{base}/headline.html"),
                rss_item("Mistral AI signs", "{base}/gone.html", summary=summary)])
    articles, _ = collect_timed(tmp_path, feed, {"/headline.html": (200, {}, page)})
    by_url = {article.url.rsplit("/", 1)[1]: article for article in articles}
    assert by_url["headline.html"].title == "Mistral AI signs a cloud contract"
    assert "Capgemini" not in by_url["gone.html"].text and "Ministers agreed." in by_url["gone.html"].text


def test_a_style_sheet_of_thousands_of_hiding_selectors_is_read_in_bounded_time():
    """Selectors other than one class are matched right to left from the elements carrying their subject's name, as
    browsers do: a 2 MB sheet of 100,000 of them is read up to `MAX_SHEET_SELECTORS`, and descendant chains over a
    nest 2,000 deep (`.b .a .a .a .z`, no `.b` anywhere, every element `.a .z`) stop at `MAX_MATCH_STEPS` elements
    tried for the page, each in a fraction of a second (hostile input, twenty-first round)."""
    from lxml import html as lxml_html

    from pipeline.hidden import MAX_SHEET_SELECTORS, hidden_by_style

    sheet = "".join(f".s > .k{i}, #i{i} {{ display: none }}\n" for i in range(50_000))
    body = "".join(f"<div class='s'><p class='k{i}'><span>x{i}</span></p></div>" for i in range(6_000))
    tree = lxml_html.fromstring(f"<html><head><style>{sheet}</style></head><body>{body}<p>story</p></body></html>")
    start = time.process_time()
    hidden = hidden_by_style(tree)
    assert len(hidden) == MAX_SHEET_SELECTORS // 2 and time.process_time() - start < 1.5, len(hidden)
    nest = "<div class='a z'>" * 2_000 + "deep" + "</div>" * 2_000
    tree = lxml_html.fromstring("<html><head><style>.b .a .a .a .z { display: none }</style></head><body>"
                                f"{nest}<p>story</p></body></html>", parser=lxml_html.HTMLParser(huge_tree=True))
    start = time.process_time()
    assert hidden_by_style(tree) == [] and time.process_time() - start < 1.5


# --------------------------------------------------------------------------------- bylines that are addresses or links

def test_a_byline_that_is_an_address_or_a_link_signs_nobody_and_a_name_beside_one_is_kept(httpserver, tmp_path):
    """trafilatura's name normaliser drops punctuation: the byline « By jean@evil.example » was stored as the author
    "Jean Example", "By https://evil.example/jean" as "Https", "Evil Example" and "Jean", « Par Anne Roy,
    lemonde.fr » gained the author "Lemonde Fr" (hostile input, twenty-second round). A page whose feed names no
    author is signed from its byline: an address or a link in it names nobody, the name beside it stays."""
    bylines = {
        "email": "By jean@evil.example",
        "mailto": "By <a href='mailto:x@evil.example'>x@evil.example</a>",
        "link": "By https://evil.example/jean",
        "bare-host": "By evil.example/jean-dupont",
        "www": "By www.evil.example",
        "name-and-email": "By Jean Dupont jean@evil.example",
        "name-and-link": "By Jean Dupont, https://evil.example/jd",
        "name-and-site": "Par Anne Roy, lemonde.fr",
    }
    items = [rss_item(f"Mistral AI {name}", serve_page(httpserver, f"/{name}.html", story(
        f"Mistral AI {name}", body=f"<p class='byline'>{byline}</p>" + "".join(
            f"<p>Part {i}: {SENTENCE}</p>" for i in range(6)))))
             for name, byline in bylines.items()]
    articles, _ = collect(httpserver, tmp_path, rss(items))
    authors = {a.url.rsplit("/", 1)[1].removesuffix(".html"): a.authors for a in articles}
    assert {a.extraction for a in articles} == {"trafilatura"} and len(authors) == len(bylines)
    assert authors == {"email": [], "mailto": [], "link": [], "bare-host": [], "www": [],
                       "name-and-email": ["Jean Dupont"], "name-and-link": ["Jean Dupont"],
                       "name-and-site": ["Anne Roy"]}
