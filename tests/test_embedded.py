"""Story text read from a Next.js page's `__NEXT_DATA__` script (pipeline.embedded) when the markup is a skeleton."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

from trafilatura.utils import load_html

from pipeline.embedded import MAX_SCRIPT_CHARS, next_data_text
from pipeline.extract import extract_article, extract_file
from pipeline.models import FeedItem
from pipeline.urls import article_id

ARC_PAGE = Path(__file__).resolve().parent / "fixtures" / "boilerplate" / "nextjs-arc-en.html"
URL = "https://ledger.example/technology/2026/11/26/nvidia-data-centre-sales-jump-as-european-sovereign-ai-orders-pile-up/"
PARAGRAPHS = [
    "Infrastructure group OVHcloud said on Tuesday it would open two data centres in Germany next year, its first "
    "large investment outside France since the fire that destroyed one of its Strasbourg sites in 2021.",
    "The Roubaix-based company will spend 300 million euros on the sites near Frankfurt and Berlin, chief executive "
    "Benjamin Revcolevschi told reporters, adding that German public bodies had asked for sovereign cloud offers.",
    "OVHcloud competes with Amazon Web Services, Microsoft and Google, which hold about 70 percent of the European "
    "market, according to Synergy Research Group.",
]


def _shell(next_data: str, head: str = "") -> str:
    return (f"<!DOCTYPE html><html lang='en'><head><title>OVHcloud to open German data centres</title>{head}</head>"
            "<body><header><nav><a href='/'>Home</a><a href='/tech/'>Tech</a></nav></header>"
            "<div id='__next'><div class='skeleton'></div></div>"
            f"<script id='__NEXT_DATA__' type='application/json'>{next_data}</script></body></html>")


def test_an_arc_page_whose_story_is_only_in_next_data_is_extracted_with_its_table_and_all_authors():
    item = FeedItem(article_id=article_id(URL), url=URL, feed_name="The Tech Ledger", feed_url="https://ledger.example/feed",
                    feed_lang="en", title="Nvidia's data-centre sales jump 62%",
                    summary="Chipmaker beats forecasts; sovereign AI to bring $20 billion this year.",
                    published=datetime(2026, 11, 26, 21, 35, tzinfo=timezone.utc), authors=["Stephen Nellis"])
    article = extract_article(ARC_PAGE.read_bytes(), URL, item, min_words=80)
    assert article is not None and article.extraction == "trafilatura"
    for fragment in ("orders from Mistral AI in France and Deutsche Telekom in Germany", '"off the charts"',
                     "Quarter | Revenue | Data centre", "Q3 FY26 | $57.0bn | $51.2bn", "Colette Kress",
                     "Rival AMD reports its results next month."):
        assert fragment in article.text, fragment
    assert "Microsoft and OpenAI rework" not in article.text  # an `interstitial_link` to another story
    assert len(article.authors) == 2 and article.authors[0] == "Stephen Nellis"
    assert article.word_count > 150


def test_a_generic_next_js_body_string_is_read_as_text_without_its_scripts():
    body = "".join(f"<p>{p}</p>" for p in PARAGRAPHS) + "<script>alert('x')</script><style>p{color:red}</style>"
    data = {"props": {"pageProps": {"article": {"title": "OVHcloud", "body": body, "teaser": {"body": "Short teaser."}},
                                    "related": [{"body": 42}, {"body": ["not", "a", "string"]}]}}}
    text = next_data_text(load_html(_shell(json.dumps(data).replace("<", "\\u003c"))))  # as Next.js writes it
    assert text.split("\n") == PARAGRAPHS
    assert "alert" not in text and "color" not in text


def test_the_extract_command_reads_next_data_too(tmp_path):
    data = {"props": {"pageProps": {"story": {"articleBody": "\n\n".join(PARAGRAPHS)}}}}
    path = tmp_path / "shell.html"
    path.write_text(_shell(json.dumps(data)), encoding="utf-8")
    record = extract_file(path)
    assert record["extraction"] == "trafilatura" and "Benjamin Revcolevschi" in record["text"]


def test_hostile_next_data_is_ignored_without_error():
    assert next_data_text(load_html(_shell("[" * 200_000 + "]" * 200_000))) == ""  # nesting past the JSON parser
    assert next_data_text(load_html(_shell("{not json"))) == ""
    huge = json.dumps({"props": {"body": "word " * (MAX_SCRIPT_CHARS // 5 + 10)}})
    assert next_data_text(load_html(_shell(huge))) == ""  # over the size limit: not parsed
    assert next_data_text(load_html(_shell(json.dumps({"body": "Too short to be a story."})))) == ""
    wide = json.dumps({"props": [{"body": " ".join(PARAGRAPHS)}] + [[{"x": i}] for i in range(150_000)]})
    assert next_data_text(load_html(_shell(wide))) == ""  # past the node budget the walk stops


def test_a_lone_surrogate_in_next_data_keeps_the_page_and_the_extract_command_writes_it(tmp_path):
    """JavaScript that cuts a string inside an emoji writes half of it (`\\ud83d`): the page was lost
    (`extraction-error`: its hash could not encode it) and `newsroom extract` ended in a traceback."""
    import subprocess
    import sys

    data = json.dumps({"props": {"pageProps": {"story": {"articleBody": "\n\n".join(PARAGRAPHS)}}}})
    shell = _shell(data.replace("OVHcloud", "OVHcloud\\ud83d", 1))
    article = extract_article(shell, URL, min_words=80)
    assert article is not None and article.extraction == "trafilatura"
    assert "OVHcloud\ufffd" in article.text and "Benjamin Revcolevschi" in article.text
    assert article.content_hash
    path, out = tmp_path / "shell.html", tmp_path / "out.jsonl"
    path.write_text(shell, encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "pipeline", "extract", str(path), "-o", str(out)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    assert "Benjamin Revcolevschi" in json.loads(out.read_text(encoding="utf-8").splitlines()[0])["text"]


def _portable(paragraphs: list[str]) -> list[dict]:
    blocks = [{"_type": "block", "style": "normal", "markDefs": [],
               "children": [{"_type": "span", "text": p[:40], "marks": []}, {"_type": "span", "text": p[40:], "marks": ["em"]}]}
              for p in paragraphs]
    blocks.insert(1, {"_type": "relatedArticle", "label": "Read also", "title": "Scaleway opens a data centre in Milan"})
    blocks.insert(3, {"_type": "adSlot", "label": "Advertisement"})
    return blocks


def _rich_text(paragraphs: list[str]) -> dict:
    content = [{"nodeType": "paragraph", "data": {}, "content": [
        {"nodeType": "text", "value": p[:30], "marks": [], "data": {}},
        {"nodeType": "hyperlink", "data": {"uri": "/x"}, "content": [{"nodeType": "text", "value": p[30:], "marks": [], "data": {}}]}]}
        for p in paragraphs]
    content.insert(1, {"nodeType": "embedded-entry-block", "content": [],
                       "data": {"target": {"fields": {"label": "Read also", "title": "Scaleway opens a data centre in Milan"}}}})
    return {"nodeType": "document", "data": {}, "content": content}


def test_a_headless_cms_story_in_next_data_is_read_without_its_cards_and_ads():
    """Next.js sites on Sanity or Contentful ship the story as rich-text JSON (Portable Text blocks, a rich-text
    document), not as a string or Arc elements: only the feed's summary was stored (mini news sites, ninth round)."""
    for body in (_portable(PARAGRAPHS), _rich_text(PARAGRAPHS)):
        data = {"props": {"pageProps": {"article": {"title": "OVHcloud", "content": body},
                                        "mostRead": [{"title": "Iliad bids for a rival"}]}}}
        text = next_data_text(load_html(_shell(json.dumps(data))))
        assert text.split("\n") == PARAGRAPHS
        assert "Scaleway" not in text and "Advertisement" not in text and "Iliad" not in text
