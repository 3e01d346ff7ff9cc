"""The per-page extraction budget (pipeline.budget): hostile markup is cut down or refused before trafilatura, real
pages pass untouched, and the collector counts a refused page and falls back to the feed summary."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from pathlib import Path

import pytest
from lxml import etree
from trafilatura.utils import load_html

from pipeline.budget import (MAX_ELEMENTS, MAX_INLINE, MAX_TAG_ATTRIBUTES, PageTooComplex, most_attributes,
                             parse_within_budget, without_data_payloads)
from pipeline.collect import Collector
from pipeline.extract import decode_html, extract_article, extract_file
from pipeline.feeds import load_feeds
from pipeline.settings import load_settings

SITE = Path(__file__).resolve().parent / "fixtures" / "site"


def spans_page(n: int) -> bytes:
    """The audit's page: one paragraph of `n` inline spans (30,000 took 171 s of trafilatura before the budget)."""
    head = b"<html><head><title>Mistral AI spans</title></head><body><article><p>"
    return head + b"<span>Mistral</span> " * n + b"</p></article></body></html>"


def flat_page(n: int) -> bytes:
    return b"<html><head><title>Flat</title></head><body>" + b"<p>a</p>" * n + b"</body></html>"


def test_a_paragraph_of_30000_spans_is_extracted_with_its_text_once_the_tags_are_stripped(caplog):
    html = decode_html(spans_page(30_000))
    with caplog.at_level(logging.INFO, logger="pipeline.budget"):
        tree = parse_within_budget(html, "https://news.example/spans")
    assert tree.xpath("count(//span)") == 0 and tree.xpath("string(//p)").split() == ["Mistral"] * 30_000
    assert "https://news.example/spans: 30000 inline elements" in caplog.text
    cpu = time.process_time()
    article = extract_article(spans_page(30_000), "https://news.example/spans", min_words=10)
    # Generous bound (the guarded extraction takes well under a second; without the guard, minutes).
    assert time.process_time() - cpu < 30
    assert article.extraction == "trafilatura" and set(article.text.split()) == {"Mistral"}
    assert article.word_count == 12_500  # the 100,000-character text cap, at a word boundary


def test_a_page_below_the_inline_limit_is_not_stripped():
    tree = parse_within_budget(decode_html(spans_page(MAX_INLINE - 10)), None)
    assert tree.xpath("count(//span)") == MAX_INLINE - 10


def test_a_page_of_a_million_paragraphs_is_refused_before_it_is_parsed():
    with pytest.raises(PageTooComplex, match=r"^page too complex to extract \(2,400,0\d\d tags, limit 200,000\)$"):
        extract_article(flat_page(1_200_000), "https://news.example/flat")


def test_a_page_with_more_elements_than_any_article_is_refused_and_extract_reports_it(tmp_path):
    with pytest.raises(PageTooComplex, match=rf"{MAX_ELEMENTS + 5_000 + 4:,} elements"):
        parse_within_budget(decode_html(flat_page(MAX_ELEMENTS + 5_000)), None)
    path = tmp_path / "flat.html"
    path.write_bytes(flat_page(MAX_ELEMENTS + 5_000))
    record = extract_file(path)
    assert record["text"] == "" and record["error"].startswith("page too complex to extract")


def assert_untouched(pages: list[Path]) -> None:
    """Each page's tree is the one trafilatura would parse, but for the payloads of long `data:` URIs (6 of the 86
    corpus pages inline fonts, images or a video: their extracted texts and titles are the same either way)."""
    for path in pages:
        html = decode_html(path.read_bytes())
        plain = load_html(without_data_payloads(html))
        assert etree.tostring(parse_within_budget(html, None)) == etree.tostring(plain), path.name


def test_the_sample_site_pages_reach_trafilatura_unchanged():
    assert_untouched(sorted((SITE / "articles").glob("*.htm*")))


def test_the_shared_corpus_pages_reach_trafilatura_unchanged(shared_dir):
    pages = sorted((shared_dir / "corpus").glob("pages-*/*.htm*"))
    assert len(pages) > 50
    assert_untouched(pages)


def test_a_long_page_with_ordinary_links_and_emphasis_is_extracted_unchanged():
    """A real article's paragraphs (links, emphasis, bold) repeated to ~5,600 elements: beyond the fast path, but its
    inline markup is ordinary, so the tree is not touched and the text is the same as without the budget."""
    html = decode_html((SITE / "articles" / "mistral-nvidia-tribune.html").read_bytes())
    tree = load_html(html)
    paragraphs = "".join(etree.tostring(p, encoding="unicode") for p in tree.iter("p"))
    long_html = html.replace("</article>", paragraphs * 500 + "</article>", 1)
    long_tree = load_html(long_html)
    assert MAX_INLINE < long_tree.xpath("count(//*)") < MAX_ELEMENTS
    assert 0 < long_tree.xpath("count(//a|//em|//strong|//b|//i|//span)") <= MAX_INLINE
    guarded = parse_within_budget(long_html, None)
    assert etree.tostring(guarded) == etree.tostring(long_tree)


def test_the_collector_counts_a_refused_page_and_extracts_the_spans_page(httpserver, tmp_path, caplog):
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    httpserver.expect_request("/spans.html").respond_with_data(spans_page(30_000), content_type="text/html; charset=utf-8")
    httpserver.expect_request("/flat.html").respond_with_data(flat_page(MAX_ELEMENTS + 5_000), content_type="text/html")
    items = "".join(
        f"<item><title>{title}</title><link>{httpserver.url_for(path)}</link>"
        f"<pubDate>Wed, 18 Nov 2026 16:30:00 +0000</pubDate><description>{title}: the feed's summary.</description></item>"
        for title, path in (("Mistral AI spans", "/spans.html"), ("Flat page", "/flat.html"))
    )
    rss = f'<?xml version="1.0"?><rss version="2.0"><channel><title>H</title>{items}</channel></rss>'
    httpserver.expect_request("/feed.xml").respond_with_data(rss, content_type="application/rss+xml")
    feeds_path = tmp_path / "feeds.yaml"
    feeds_path.write_text(json.dumps({"feeds": [{"name": "H", "url": httpserver.url_for("/feed.xml"), "lang": "en",
                                                  "relevance": "all"}]}), encoding="utf-8")
    collector = Collector(load_settings(), load_feeds(feeds_path))

    async def go():
        return [a async for a in collector.articles()]

    with caplog.at_level(logging.WARNING, logger="pipeline.collect"):
        articles = {a.title: a for a in asyncio.run(go())}
    assert articles["Mistral AI spans"].extraction == "trafilatura"
    assert articles["Flat page"].extraction == "feed-summary"
    assert collector.stats.fallback_reasons == {"page-too-complex": 1}
    assert f"page {httpserver.url_for('/flat.html')} not extracted (page too complex" in caplog.text


def many_attributes_page(n: int) -> bytes:
    """The audit's time bomb: one paragraph with `n` attributes (40,000 took 35 s of CPU, 300,000 over 10 minutes)."""
    attributes = " ".join(f'a{i}="v"' for i in range(n)).encode()
    sentence = b"Mistral AI announced a sovereign cloud partnership with European ministries on Tuesday. "
    return b"<html><head><title>Attrs</title></head><body><article><p " + attributes + b">" + sentence * 50 + \
        b"</p></article></body></html>"


def test_a_page_with_300000_attributes_on_one_element_is_refused_within_a_second():
    page = many_attributes_page(300_000)
    cpu = time.process_time()
    with pytest.raises(PageTooComplex, match=r"^page too complex to extract \(300,000 attributes on one element, "
                                             r"limit 1,000\)$"):
        extract_article(page, "https://news.example/attrs")
    assert time.process_time() - cpu < 5  # about 0.3 s; without the pre-check, over 10 minutes


def test_attributes_hidden_behind_a_quoted_angle_bracket_are_still_counted():
    attributes = " ".join(f'a{i}="v"' if i % 100 else f'b{i}="x>y"' for i in range(MAX_TAG_ATTRIBUTES + 1))
    with pytest.raises(PageTooComplex, match=rf"{MAX_TAG_ATTRIBUTES + 1:,} attributes on one element"):
        parse_within_budget(f"<html><body><p {attributes}>Mistral</p></body></html>", None)


def test_an_element_with_a_few_hundred_attributes_or_a_huge_value_is_still_extracted():
    assert most_attributes(decode_html(many_attributes_page(MAX_TAG_ATTRIBUTES))) == MAX_TAG_ATTRIBUTES
    article = extract_article(many_attributes_page(MAX_TAG_ATTRIBUTES), "https://news.example/attrs", min_words=10)
    assert article.text.startswith("Mistral AI announced")
    huge_value = '<p title="' + "a=b " * 200_000 + '">Mistral AI</p>'  # one attribute, whatever its value holds
    assert most_attributes(huge_value) == 1


def test_no_real_page_comes_near_the_attribute_limit(shared_dir):
    pages = sorted((shared_dir / "corpus").glob("pages-*/*.htm*")) + sorted((SITE / "articles").glob("*.htm*"))
    most = max(most_attributes(decode_html(path.read_bytes())) for path in pages)
    assert most * 10 < MAX_TAG_ATTRIBUTES  # 87 measured on the 86 corpus pages and the sample site


@pytest.mark.parametrize("control", ["&#1;", "&#8;", "&#x1b;", "&#X07", "&#0000008;", "\x01", "\x1b"])
def test_a_c0_control_character_in_a_page_does_not_lose_its_text(control):
    """trafilatura discards a whole text holding a C0 control (XML cannot): removed before it sees the page."""
    sentence = "Mistral AI announced a sovereign cloud partnership with European ministries on Tuesday. "
    page = (f"<html><head><title>Mistral{control} title</title></head><body><article><p>Mistral AI{control} said."
            f" {sentence * 20}</p></article></body></html>")
    article = extract_article(page.encode(), "https://news.example/ctrl")
    assert article is not None and article.word_count > 200
    assert article.text.startswith("Mistral AI said.") and article.title == "Mistral title"


def test_tabs_newlines_and_other_character_references_are_kept():
    html = "<html><body><p>a&#9;b&#10;c&#13;d &#127; &#233; &#x1F600; &#32; &#x20 &#100;</p></body></html>"
    tree = parse_within_budget(html, None)
    assert tree.xpath("string(//p)") == load_html(html).xpath("string(//p)")


def test_a_saved_file_too_large_for_any_page_is_refused_without_being_read(tmp_path):
    """Hostile-input audit, fourth round (#8): `newsroom extract` read a 600 MB file whole (1.25 GB of memory) before
    its character limit refused it."""
    import tracemalloc

    path = tmp_path / "huge.html"
    with path.open("wb") as out:  # sparse: no disk used
        out.truncate(300_000_000)
    tracemalloc.start()
    record = extract_file(path)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert record["error"] == "page too large to extract (300,000,000 bytes, limit 12,000,000)"
    assert peak < 10_000_000


def inline_images_page(images: int) -> bytes:
    """A story saved with its photos inline (as a browser's "save as one file" or a CMS's pasted picture does): each
    photo a 1.9 MB base64 `data:` URI, the story itself a few hundred words naming OVHcloud after the photos."""
    photo = b"<figure><img alt='chart' src='data:image/png;base64," + b"iVBORw0KGgo" * 175_000 + b"'></figure>"
    story = b"<p>Mistral AI signed a compute deal with Nvidia this week, and analysts called it a costly mistake. </p>" * 8
    tail = b"<p>OVHcloud said it would bid for the next public tender of sovereign computing in Paris. </p>"
    return (b"<html><head><meta charset='utf-8'><title>Mistral AI inline photos</title></head><body><article>"
            b"<h1>Mistral AI inline photos</h1>" + story + photo * images + tail + b"</article></body></html>")


def test_a_story_with_inline_photos_over_the_size_limit_is_extracted_whole(httpserver, tmp_path):
    """Two inline photos (3.8 MB of base64) took a story over the 3,000,000-character limit: it was stored from its
    feed summary (page-too-complex), and OVHcloud, named after the photos, was lost. The payloads are not text."""
    body = inline_images_page(2)
    assert len(body) > 3_000_000
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    httpserver.expect_request("/inline.html").respond_with_data(body, content_type="text/html; charset=utf-8")
    rss = (f'<?xml version="1.0"?><rss version="2.0"><channel><title>H</title><item><title>Mistral AI inline '
           f'photos</title><link>{httpserver.url_for("/inline.html")}</link><pubDate>Wed, 18 Nov 2026 16:30:00 +0000'
           f'</pubDate><description>Mistral AI: the feed summary.</description></item></channel></rss>')
    httpserver.expect_request("/feed.xml").respond_with_data(rss, content_type="application/rss+xml")
    feeds_path = tmp_path / "feeds.yaml"
    feeds_path.write_text(json.dumps({"feeds": [{"name": "H", "url": httpserver.url_for("/feed.xml"), "lang": "en",
                                                  "relevance": "all"}]}), encoding="utf-8")
    collector = Collector(load_settings(), load_feeds(feeds_path))

    async def go():
        return [a async for a in collector.articles()]

    [article] = asyncio.run(go())
    assert (article.extraction, article.fallback_reason) == ("trafilatura", None)
    assert "OVHcloud said it would bid" in article.text
    assert collector.stats.fallback_reasons == {}


def payload_pages() -> dict[str, str]:
    """Stories of a few hundred words in pages over the 3,000,000-character limit, each mostly one payload no reader
    reads: a site's whole JSON-LD graph, an app's inline JavaScript state, a stylesheet; and a Next.js shell whose
    story is only in its `__NEXT_DATA__` (2.2 MB) beside 1.5 MB of other inline state."""
    filler = ["/category/cloud/page/%d" % i for i in range(120_000)]
    story = "".join(f"<p>Part {i}: Mistral AI signed a compute deal with Nvidia this week, and analysts called it a "
                    "costly mistake for the sovereign cloud of European ministries. </p>" for i in range(8))
    story += "<p>OVHcloud said it would bid for the next public tender of sovereign computing in Paris. </p>"
    graph = json.dumps({"@context": "https://schema.org", "@graph": [{"@type": "WebPage", "url": u} for u in filler]})
    state = "window.__APOLLO_STATE__ = " + json.dumps({"ROOT_QUERY": filler}) + ";"
    next_story = {"props": {"pageProps": {"story": {"articleBody": "OVHcloud and Mistral AI: " + "sovereign cloud " * 140,
                                                    "related": filler[:60_000]}}}}

    def page(head: str, body: str) -> str:
        return (f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>Mistral AI payload</title>{head}"
                f"</head><body>{body}</body></html>")

    return {
        "json-ld": page(f"<script type='application/ld+json'>{graph}</script>", f"<article>{story}</article>"),
        "js-state": page(f"<script>{state}</script>", f"<article>{story}</article>"),
        "style": page("<style>" + ".teaser{color:red}" * 200_000 + "</style>", f"<article>{story}</article>"),
        "next-data": page(f"<script>{state[:1_500_000]}</script>", "<div id='__next'></div><script id='__NEXT_DATA__' "
                          f"type='application/json'>{json.dumps(next_story)}</script>"),
    }


def test_a_story_in_a_page_made_mostly_of_a_json_ld_graph_inline_state_or_styles_is_extracted(httpserver, tmp_path):
    """Hostile input, eleventh round's leftover: a page over 3,000,000 characters was refused whole (page-too-complex,
    stored from its feed summary) when a JSON-LD graph, an app's inline state or a stylesheet made up most of it,
    though no reader reads them and the story is a few hundred words. Its size is now counted without them."""
    pages = payload_pages()
    assert all(len(page) > 3_000_000 for page in pages.values())
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    items = ""
    for name, page in pages.items():
        httpserver.expect_request(f"/{name}.html").respond_with_data(page, content_type="text/html; charset=utf-8")
        items += (f"<item><title>Mistral AI {name}</title><link>{httpserver.url_for(f'/{name}.html')}</link>"
                  "<pubDate>Wed, 18 Nov 2026 16:30:00 +0000</pubDate><description>Mistral AI: the feed summary."
                  "</description></item>")
    httpserver.expect_request("/feed.xml").respond_with_data(
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>P</title>{items}</channel></rss>',
        content_type="application/rss+xml")
    feeds_path = tmp_path / "feeds.yaml"
    feeds_path.write_text(json.dumps({"feeds": [{"name": "P", "url": httpserver.url_for("/feed.xml"), "lang": "en"}]}),
                          encoding="utf-8")
    collector = Collector(load_settings(), load_feeds(feeds_path))

    async def go():
        return [a async for a in collector.articles()]

    cpu = time.process_time()
    articles = {a.url.rsplit("/", 1)[1]: a for a in asyncio.run(go())}
    assert time.process_time() - cpu < 6  # four 3.5-3.9 MB pages, the language model's loading included
    assert collector.stats.fallback_reasons == {}
    for name in ("json-ld", "js-state", "style"):
        assert articles[f"{name}.html"].extraction == "trafilatura"
        assert "OVHcloud said it would bid" in articles[f"{name}.html"].text
        assert "category" not in articles[f"{name}.html"].text and "color" not in articles[f"{name}.html"].text
    assert articles["next-data.html"].text.startswith("OVHcloud and Mistral AI: sovereign cloud")


def test_a_page_whose_text_alone_is_over_the_size_limit_is_still_refused():
    """Setting the scripts aside must not let a truly huge text through: the page's size without them is what counts,
    and the error says so. A `<script>` inside a comment is text, and does not hide what follows it."""
    text = "<p>" + "word " * 650_000 + "</p>"
    page = ("<html><head><script>" + "var a = 1;" * 100_000 + "</script><!-- <script> --></head><body>" + text
            + "<script>x()</script></body></html>")
    with pytest.raises(PageTooComplex) as refused:
        parse_within_budget(page, "https://news.example/huge")
    size = len(page) - len("var a = 1;" * 100_000) - len("x()")
    assert str(refused.value) == (f"page too large to extract ({size:,} characters once its scripts and styles are "
                                  "set aside, limit 3,000,000)")


def test_short_data_uris_and_the_word_data_in_text_are_left_alone():
    html = ("<p>Our metadata: none.</p><img src='data:image/gif;base64,R0lGODlhAQABAAAAACw='>"
            "<img src='data:image/png;base64," + "A" * 5_000 + "'>")
    assert without_data_payloads(html) == ("<p>Our metadata: none.</p><img src='data:image/gif;base64,R0lGODlhAQABAAAAACw='>"
                                           "<img src='data:image/png;base64,'>")
