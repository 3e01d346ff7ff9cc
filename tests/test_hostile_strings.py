"""Web strings that hide a company, or reach a reader as a live link or a credential (hostile-input audit, third
round, #5-#8). Pages are served from a local HTTP server and read by the real collector; messages go to a local
Slack/webhook receiver (pytest-httpserver) and a local SMTP server (aiosmtpd).
"""

from __future__ import annotations

import asyncio
import html
import json
import sys
import time
import unicodedata

import pytest
import rich.markup

from pipeline.alerts.deliver import send_email, send_slack, send_webhook, slack_payload, subject_line
from pipeline.alerts.evaluate import AlertItem
from pipeline.alerts.rules import EmailChannel, Rule, SlackChannel, WebhookChannel
from pipeline.collect import Collector
from pipeline.enrich.watchlist import get_linker
from pipeline.feeds import load_feeds
from pipeline.settings import load_settings
from pipeline.sinks import (MAX_MARKS, for_terminal, link_target, mask_secrets, mask_url, single_line,
                            without_invisible)

from _alerts_helpers import SmtpServer, smtp_env
from _hostile_site import serve_page_advertising_a_hostile_feed

# How « Mistral AI » was written in every title, summary and mention of a page (the audit's /feeds/hidden.xml): the
# company rule and the keyword rule missed all but the first and the last.
HIDDEN = {
    "control": "Mistral AI",
    "grapheme-joiner": "Mis\u034ftral AI",  # combining grapheme joiner (Mn, default-ignorable)
    "variation-selector": "Mistr\ufe0fal AI",
    "math-bold": "\U0001d40c\U0001d422\U0001d42c\U0001d42d\U0001d42b\U0001d41a\U0001d425 \U0001d400\U0001d408",
    "fullwidth": "\uff2d\uff49\uff53\uff54\uff52\uff41\uff4c \uff21\uff29",
    "roman-numeral": "\u216fistral AI",
    "cherokee": "\u13b7istral AI",
    "variation-selector-supplement": "Mistral\U000e0100 AI",
}
STORY = ("{n}, the Paris start-up led by Arthur Mensch, signed a large compute deal this week. The agreement covers "
         "thousands of GPUs hosted in Essonne, and analysts called it a costly mistake for European autonomy. {n} "
         "said the chips would train its next models, while critics said the deal deepens the dependence of French "
         "AI on American suppliers; {n} declined to comment further. ")


def hidden_site(httpserver):
    base = httpserver.url_for("").rstrip("/")
    items = "".join(f"<item><title>{html.escape(n)} signs a costly compute deal ({slug})</title>"
                    f"<link>{base}/h/{slug}</link><description>{html.escape(STORY.format(n=n))}</description></item>"
                    for slug, n in HIDDEN.items())
    httpserver.expect_request("/hidden.xml").respond_with_data(
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Hidden</title>{items}'
        "</channel></rss>", content_type="application/rss+xml")
    for slug, n in HIDDEN.items():
        title = html.escape(f"{n} signs a costly compute deal ({slug})")
        body = "".join(f"<p>{html.escape(STORY.format(n=n))}Paragraph {i}.</p>" for i in range(4))
        httpserver.expect_request(f"/h/{slug}").respond_with_data(
            f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{title}</title></head><body>"
            f"<article><h1>{title}</h1>{body}</article></body></html>", content_type="text/html; charset=utf-8")
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    return f"{base}/hidden.xml"


def test_companies_hidden_by_invisible_or_compatibility_characters_are_read_and_linked(httpserver, tmp_path):
    """Every spelling of the audit's hidden feed gives an article whose title and text say « Mistral AI », and the
    watchlist finds the company in each (the company and keyword rules match on those stored strings)."""
    feeds = tmp_path / "feeds.yaml"
    feeds.write_text(json.dumps({"feeds": [{"name": "H hidden", "url": hidden_site(httpserver), "lang": "en"}]}),
                     encoding="utf-8")
    collector = Collector(load_settings(fetch_retries=0), load_feeds(feeds))

    async def go():
        return [a async for a in collector.articles()]

    articles = {a.url.rsplit("/", 1)[1]: a for a in asyncio.run(go())}
    assert sorted(articles) == sorted(HIDDEN)
    linker = get_linker()
    for slug, article in articles.items():
        assert article.extraction == "trafilatura", slug
        assert article.title == f"Mistral AI signs a costly compute deal ({slug})", slug
        assert article.text.count("Mistral AI") >= 12, (slug, article.text[:200])
        assert {m.company for m in linker.candidates(article.text)} == {"Mistral AI"}, slug


def test_titles_of_blank_looking_characters_are_not_blank_in_any_sink():
    """Hangul fillers and the Braille blank drew a title as blank space, pushing its real text out of view."""
    title = "\u3164\u3164\u3164\u115f\u1160\uffa0\u2800\u2800 Mistral AI lève des fonds"
    rule = Rule(name="strings immediate", keywords=["Mistral"], channels=[{"type": "slack"}])
    item = AlertItem(rule="r", subject="a", title=title, url="https://news.example.com/a", reasons=["Mistral"])
    assert single_line(title) == "Mistral AI lève des fonds"
    assert subject_line(rule, [item], "[newsroom]") == "[newsroom] strings immediate: Mistral AI lève des fonds"
    section = slack_payload(rule, [item])["blocks"][1]["text"]["text"]
    assert section.startswith("*<https://news.example.com/a|Mistral AI lève des fonds>*")


def test_stacked_combining_marks_are_cut_and_real_accents_kept():
    """Latin letters' marks stacked past what any orthography writes are zalgo, read plain (twentieth round); other
    scripts' marks (Hebrew points here) are cut to MAX_MARKS on a letter."""
    zalgo = "M" + "\u0301\u0316" * 150 + "istral AI"
    marks = lambda text: sum(unicodedata.combining(c) > 0 for c in text)  # noqa: E731
    assert single_line(zalgo) == without_invisible(zalgo) == "Mistral AI"
    stacked = "\u05e9" + "\u05b0\u05b1" * 150 + " Mistral AI"
    assert marks(single_line(stacked)) <= MAX_MARKS and single_line(stacked).endswith(" Mistral AI")
    assert marks(without_invisible(stacked)) == MAX_MARKS and without_invisible(stacked).endswith(" Mistral AI")
    for text in ("Nguyễn Tấn Dũng", "Sơn Đoòng", "בְּרֵאשִׁית", "e\u0301\u0302\u0303"):
        assert single_line(text) == unicodedata.normalize("NFC", text)


def test_a_name_written_in_zalgo_is_read_plain_and_real_accents_are_kept():
    """« M̸i̷s̵t̶r̷a̸l̵ A̷I̸ » (a mark striking each letter through) or a mark on every letter of a word was not linked to
    its company, and thousands of marks made a title a wall of them in every sink (hostile input, twentieth round).
    Such words lose the marks Latin letters share; French, Vietnamese (composed or not), Yoruba, Devanagari, Hebrew
    and a vector's arrow keep theirs."""
    for zalgo in ("M\u0338i\u0337s\u0335t\u0336r\u0337a\u0338l\u0335 \u0336A\u0337I\u0338",
                  "M\u030di\u030ds\u030dt\u030dr\u030da\u030dl\u030d A\u030dI\u030d",
                  "".join(c + "\u0300\u0316\u0334\u0361" * 200 for c in "Mistral") + " AI"):
        assert single_line(zalgo) == without_invisible(zalgo) == "Mistral AI"
    assert without_invisible("Caf\u00e9\u0338 \u00e0 l\u2019\u00c9tat") == "Cafe à l’État"  # the defaced word only
    real = ("café à l’État", unicodedata.normalize("NFD", "Nguyễn Tấn Dũng, Sơn Đoòng, café"), "Ọ̀yọ́ ọ̀rọ̀ ẹ́ẹ̀ m̀",
            "हिन्दी क़िला", "בְּרֵאשִׁית", "x\u20d7 + y\u20d7", "e\u0301\u0302\u0303")
    for text in real:
        assert without_invisible(text) == text and single_line(text) == unicodedata.normalize("NFC", text)


def test_every_default_ignorable_character_is_dropped_from_web_strings():
    """Unicode's Default_Ignorable_Code_Point property (which Python's unicodedata lacks), read from the `regex`
    package: none of them survives cleaning."""
    regex = pytest.importorskip("regex")
    ignorable = regex.compile(r"\p{Default_Ignorable_Code_Point}")
    chars = "".join(chr(c) for c in range(sys.maxunicode + 1)
                    if not 0xD800 <= c <= 0xDFFF and ignorable.match(chr(c)))
    assert len(chars) > 4000
    assert single_line(f"a{chars}b") == "ab" and without_invisible(f"a{chars}\nb") == "a\nb"


def test_compatibility_folding_keeps_other_typography_and_stays_linear():
    text = "Mistral AI™ … ½ ① « 30 % » café ﬁnance Ⅻ ℃ №5 km² ＝SUM(1)"
    assert single_line(text) == "Mistral AI™ … ½ ① « 30 % » café finance XII ℃ №5 km² ＝SUM(1)"
    started = time.process_time()
    long_text = ("a" * 20_000 + " \U0001d40c\u13b7\u034f\ufe0f ") * 50
    assert without_invisible(long_text).count("MM") == 50
    assert time.process_time() - started < 2.0


RULE = Rule(name="r", keywords=["Mistral"], channels=[{"type": "webhook", "url": "https://hooks.example.org/x"}])


def item(url: str, title: str = "Mistral AI raises funds") -> AlertItem:
    return AlertItem(rule="r", subject=str(abs(hash(url))), title=title, url=url, reasons=["mentions Mistral AI"])


def test_slack_text_objects_are_verbatim_so_only_newsroom_s_links_are_live(httpserver, monkeypatch):
    """Slack auto-links bare URLs and parses @here/@channel in a mrkdwn text object unless it is `verbatim`: a title's
    `https://evil.example` became a live link past `linkable`. Delivered to a local Slack receiver."""
    httpserver.expect_request("/slack", method="POST").respond_with_data("ok")
    monkeypatch.setenv("NEWSROOM_SLACK_WEBHOOK_URL", httpserver.url_for("/slack"))
    items = [item("https://news.example.com/a", "@here @channel Mistral AI login https://evil.example #C024BE7LR"),
             item("http://127.0.0.1:18543/admin", "Mistral AI http://evil.example/p.png")]
    send_slack(load_settings(), SlackChannel(type="slack"), RULE, items)
    [(request, _)] = httpserver.log
    payload = json.loads(request.data)
    texts = [block["text"] for block in payload["blocks"] if block["type"] == "section"]
    assert len(texts) == 2 and all(t["type"] == "mrkdwn" and t["verbatim"] is True for t in texts)
    assert texts[0]["text"].startswith("*<https://news.example.com/a|@here @channel Mistral AI login "
                                       "https://evil.example #C024BE7LR>*")
    assert "<http" not in texts[1]["text"]  # a local address is never linked



def test_slack_messages_ask_for_no_link_previews(httpserver, monkeypatch):
    """Without `unfurl_links`/`unfurl_media` false, Slack may fetch an article link and show the preview the site
    serves its crawler (a title or image newsroom never read) under the alert (hostile-input audit, fourth round)."""
    httpserver.expect_request("/slack", method="POST").respond_with_data("ok")
    monkeypatch.setenv("NEWSROOM_SLACK_WEBHOOK_URL", httpserver.url_for("/slack"))
    send_slack(load_settings(), SlackChannel(type="slack"), RULE, [item("https://news.example.com/a")])
    [(request, _)] = httpserver.log
    payload = json.loads(request.data)
    assert payload["unfurl_links"] is False and payload["unfurl_media"] is False

LOCAL_URLS = ["http://localhost:18543/admin/localhost", "http://0x7f.1:18543/admin/hex",
              "http://2130706433:18543/admin/int", "http://[::ffff:127.0.0.1]:18543/admin/mapped",
              "http://0.0.0.0:18543/admin/zero", "http://127.1:18543/admin/short"]


def test_plain_text_mail_links_only_public_addresses_and_shows_look_alike_hosts_in_ascii(monkeypatch):
    """The plain-text part printed every item URL as is, and mail clients link bare URLs: a reader's click went to
    their own admin port, or to `аpple.com` (Cyrillic а) shown in Unicode. Sent through a local SMTP server."""
    items = [item(url) for url in LOCAL_URLS] + [item("http://\u0430pple.com/mistral-ai"),
                                                  item("https://news.example.com/a?x=1")]
    with SmtpServer() as server:
        smtp_env(monkeypatch, server)
        send_email(load_settings(), EmailChannel(type="email", to=["reader@example.org"]), RULE, items)
    [(plain, html_part)] = server.sink.bodies()
    for url in LOCAL_URLS:
        host = url.split("//")[1].split("/")[0]
        assert url not in plain, url
        assert f"  hxxp://{host.replace('.', '[.]')}/admin/" in plain
    assert "(not a public web address: not linked)" in plain
    assert "http://" not in plain.replace("http://xn--pple-43d.com/mistral-ai", "")
    lines = plain.splitlines()
    assert "  http://xn--pple-43d.com/mistral-ai" in lines and "\u0430pple" not in plain
    assert "  https://news.example.com/a?x=1" in lines
    assert 'href="http://xn--pple-43d.com/mistral-ai"' in html_part  # the HTML part's rule, unchanged


SECRET_LINKS = {
    "https://news.example.com/a?accessToken=CAMELSECRET&page=2": "https://news.example.com/a?accessToken=***&page=2",
    "https://news.example.com/a?authToken=AUTHSECRET&sid=SIDSECRET":
        "https://news.example.com/a?authToken=***&sid=***",
    "https://news.example.com/a?%74oken=PCTSECRET&id=3": "https://news.example.com/a?%74oken=***&id=3",
    "https://s3.example.com/a.pdf?X-Amz-Credential=AKIAEXAMPLE%2F20261203&X-Amz-Signature=deadbeefsig"
    "&X-Amz-Security-Token=sesstok&X-Amz-Date=20261203T000000Z":
        "https://s3.example.com/a.pdf?X-Amz-Credential=***&X-Amz-Signature=***&X-Amz-Security-Token=***"
        "&X-Amz-Date=20261203T000000Z",
    "https://news.example.com/a?PHPSESSID=SESSSECRET&api-key=KEYSECRET&author=jdupont&keyword=cloud":
        "https://news.example.com/a?PHPSESSID=***&api-key=***&author=jdupont&keyword=cloud",
    "https://news.example.com/cb#access_token=FRAGSECRET&state=1": "https://news.example.com/cb#access_token=***&state=1",
}
SECRETS = ("CAMELSECRET", "AUTHSECRET", "SIDSECRET", "PCTSECRET", "AKIAEXAMPLE", "deadbeefsig", "sesstok",
           "SESSSECRET", "KEYSECRET", "FRAGSECRET")


def test_credentials_in_link_parameters_are_masked_whatever_their_spelling(httpserver, monkeypatch):
    """`accessToken`, `authToken`, `sid`, S3's presigned `X-Amz-*` and a percent-encoded `%74oken` reached the
    plain mail and the webhook JSON with their values. Delivered to a local webhook receiver and SMTP server."""
    for url, masked in SECRET_LINKS.items():
        assert mask_url(url) == masked and link_target(url) == masked
    items = [item(url) for url in SECRET_LINKS]
    httpserver.expect_request("/hook", method="POST").respond_with_data("ok")
    httpserver.expect_request("/slack", method="POST").respond_with_data("ok")
    monkeypatch.setenv("NEWSROOM_SLACK_WEBHOOK_URL", httpserver.url_for("/slack"))
    settings = load_settings()
    send_webhook(settings, WebhookChannel(type="webhook", url=httpserver.url_for("/hook")), RULE, items)
    send_slack(settings, SlackChannel(type="slack"), RULE, items)
    with SmtpServer() as server:
        smtp_env(monkeypatch, server)
        send_email(load_settings(), EmailChannel(type="email", to=["reader@example.org"]), RULE, items)
    received = [request.data.decode() for request, _ in httpserver.log]
    received += [part for pair in server.sink.bodies() for part in pair]
    assert len(received) == 4
    for body in received:
        for secret in SECRETS:
            assert secret not in body, (secret, body[:500])
    hook = json.loads(received[0])
    assert [a["url"] for a in hook["alerts"]] == list(SECRET_LINKS.values())


@pytest.mark.slow
def test_the_enrich_command_finds_a_company_hidden_in_its_input_text(tmp_path):
    """`newsroom enrich --input` reads raw JSON lines, not extracted articles: their text is cleaned the same way, so
    the watchlist finds Mistral AI however its name is written."""
    import subprocess

    src, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    src.write_text("".join(json.dumps({"id": slug, "lang": "en", "title": f"{n} signs a deal",
                                       "text": STORY.format(n=n)}) + "\n" for slug, n in HIDDEN.items()),
                   encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "pipeline", "enrich", "--input", str(src), "--output", str(out),
                           "--no-progress"], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    orgs = {r["id"]: r["orgs"] for r in map(json.loads, out.read_text(encoding="utf-8").splitlines())}
    assert orgs == {slug: ["Mistral AI"] for slug in HIDDEN}, orgs


# ---- fifth round: masking and escaping in linear time

def test_masking_and_escaping_web_strings_take_linear_time():
    """A query of `?a?a?a…`, a long word in an error message, or a run of backslashes in a title: each call cost
    seconds (quadratic); 100,000 characters now take milliseconds."""
    shapes = ["http://news.example/p?" + "a?" * 50_000, "http://news.example/p?" + "?" * 100_000,
              "error: " + "A" * 100_000, "\\" * 100_000 + "[b]x[/b]"]
    for text in shapes:
        cpu = time.process_time()
        mask_url(text), mask_secrets(text), link_target(text), for_terminal(text)
        assert time.process_time() - cpu < 1, text[:30]
    assert mask_url("http://x/a?x?token=abc&b=1") == "http://x/a?x?token=***&b=1"
    assert mask_secrets("failed: xhttp://h/?sig=1 (https://h/p?api_key=2)") == \
        "failed: xhttp://h/?sig=*** (https://h/p?api_key=***"
    assert for_terminal("\\\\[bold]x[/bold]") == rich.markup.escape("\\\\[bold]x[/bold]")  # rich's own reading


def test_item_links_costly_to_mask_do_not_hold_the_run_nor_fail_another_sites_pages(httpserver, tmp_path):
    """Three item links of 40 KB (`?a?a?a…`) held the collector's event loop 63 s (each mask_url call took seconds):
    the innocent site's pages, fetched meanwhile, timed out and were stored from their summaries."""
    base = httpserver.url_for("").rstrip("/")
    links = [f"{base}/q/{i}?" + "a?" * 20_000 for i in range(3)] + [f"{base}/in/{i}" for i in range(4)]
    items = "".join(f"<item><title>Mistral AI story {i}</title><link>{html.escape(link)}</link>"
                    f"<description>{html.escape(STORY.format(n='Mistral AI'))}</description></item>"
                    for i, link in enumerate(links))
    httpserver.expect_request("/feed.xml").respond_with_data(
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Q</title>{items}</channel></rss>',
        content_type="application/rss+xml")
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    for i in range(4):
        body = "".join(f"<p>{STORY.format(n='Mistral AI')}Paragraph {k}.</p>" for k in range(4))
        httpserver.expect_request(f"/in/{i}").respond_with_data(
            f"<html lang='en'><head><title>Innocent {i}</title></head><body><article><h1>Innocent {i}</h1>{body}"
            "</article></body></html>", content_type="text/html; charset=utf-8")
    feeds = tmp_path / "feeds.yaml"
    feeds.write_text(json.dumps({"feeds": [{"name": "Q", "url": f"{base}/feed.xml", "lang": "en"}]}), encoding="utf-8")
    collector = Collector(load_settings(fetch_retries=0, fetch_total_timeout=4), load_feeds(feeds))

    async def go():
        return [a async for a in collector.articles()]

    cpu = time.process_time()
    articles = asyncio.run(go())
    assert time.process_time() - cpu < 20
    innocent = [a for a in articles if "/in/" in a.url]
    assert len(innocent) == 4 and {a.extraction for a in innocent} == {"trafilatura"}
    assert "timeout" not in collector.stats.fallback_reasons


def test_a_log_line_quoting_web_strings_is_one_line_of_printable_text(httpserver, tmp_path):
    """A feed URL that answers with a web page is reported with the feeds the page advertises, and the warning
    logged on the terminal quoted them raw: an ESC sequence in one (an OSC 8 hyperlink, a screen clear) and a bidi
    override reached the terminal live (hostile-input audit, tenth round). Every log line the CLI prints is now one
    line of printable text."""
    import subprocess

    feeds = serve_page_advertising_a_hostile_feed(httpserver, tmp_path)
    proc = subprocess.run([sys.executable, "-m", "pipeline", "fetch", "--feeds", str(feeds), "--output",
                           str(tmp_path / "out.jsonl")], capture_output=True, text=True, timeout=300, cwd=tmp_path)
    warnings = [line for line in proc.stderr.splitlines() if " WARNING " in line]
    assert len(warnings) == 1 and "it advertises http://evil.example/feed" in warnings[0], proc.stderr
    assert "forged" in warnings[0]  # the forged line is part of the one warning, as text
    assert not any(unicodedata.category(ch) in ("Cc", "Cf") for ch in proc.stderr.replace("\n", "")), proc.stderr


def store_uncleaned_titles(titles: dict[str, str]) -> None:
    """One stored article (and its Mistral AI mention) per slug of `titles`, at https://news.example.com/<slug> on
    2026-11-20, its title then set as an older version stored it, uncleaned."""
    from datetime import UTC, datetime

    from _store_helpers import make_record, story

    from pipeline.store.client import make_client
    from pipeline.store.indexing import index_enriched

    settings = load_settings()
    client = make_client(settings)
    records = [make_record(f"https://news.example.com/{slug}", story(900 + n), title=f"Placeholder {slug}",
                           orgs={"Mistral AI": -0.5}, score=-0.5, published=datetime(2026, 11, 20, 9, tzinfo=UTC))
               for n, slug in enumerate(titles)]
    index_enriched(client, settings, records)
    for record, title in zip(records, titles.values()):
        for index, field in (("articles", "url"), ("mentions", "article_id")):
            client.update_by_query(index=f"{settings.es_index_prefix}-{index}", refresh=True, conflicts="proceed",
                                   query={"term": {field: record.article.url if field == "url" else record.article.id}},
                                   script={"source": "ctx._source.title = params.t", "params": {"t": title}})


def test_a_title_stored_before_its_cleaning_reaches_no_sink_blank_or_live(es_url, tmp_path, capsys, monkeypatch):
    """Titles are cleaned at extraction, but a store keeps what older versions wrote: a headline of 300 combining
    marks on no letter (cleaned since the fifteenth round) was listed by `search` and `mentions` as a blank line and
    by the report and the alert mails as an empty link, and the report wrote a bidi override, zero-width characters,
    an ESC sequence and a NEL into its HTML as stored (hostile input, sixteenth round). Each sink cleans at display
    time too, and a title with nothing visible left is shown by its URL."""
    from pipeline.alerts.deliver import render_html, render_text
    from pipeline.cli import main

    stored = {"marks": "\u0301\u0302\u0303" * 100, "bidi": "Mistral AI \u202egnp.exe\u202c z\u200bw\u200dj",
              "controls": "Mistral AI\x85Bcc: x@evil.example \x1b]8;;http://evil.example/\x1b\\click"}
    store_uncleaned_titles(stored)
    window = ["--since", "2026-11-20", "--until", "2026-11-20"]
    monkeypatch.setenv("COLUMNS", "200")  # the mentions table's title column holds a whole URL
    main(["search", "--company", "Mistral AI", *window])
    listed = capsys.readouterr().out
    main(["mentions", "--company", "Mistral AI", *window])
    mentions = capsys.readouterr().out
    main(["report", "--output", str(tmp_path / "report.html"), *window])
    report = (tmp_path / "report.html").read_text(encoding="utf-8")
    rule = Rule(name="r", keywords=["Mistral"], channels=[{"type": "slack"}])
    items = [AlertItem(rule="r", subject=slug, title=title, url=f"https://news.example.com/{slug}", reasons=["Mistral"],
                       source=title) for slug, title in stored.items()]
    mails = render_text(rule, items) + render_html(rule, items) + subject_line(rule, items[:1])
    slack = json.dumps(slack_payload(rule, items), ensure_ascii=False)
    for sink, text in {"search": listed, "mentions": mentions, "report": report, "mails": mails, "slack": slack}.items():
        assert not any(ch in text for ch in "\u0301\u202e\u200b\u200d\x1b\x85"), sink
    assert "https://news.example.com/marks" in listed.splitlines()  # the title line (the URL line is indented)
    assert "│ https://news.example.com/marks " in mentions
    assert '<a href="https://news.example.com/marks">https://news.example.com/marks</a>' in report
    assert "* https://news.example.com/marks\n" in mails and "r: https://news.example.com/marks" in mails
    assert "<https://news.example.com/marks|https://news.example.com/marks>" in slack
    assert "Mistral AI gnp.exe zwj" in report and "Mistral AI Bcc: x@evil.example" in report


def test_json_output_writes_a_stored_titles_live_characters_as_escapes(es_url, capsys):
    """`search --json` and `mentions --json` printed a title stored before its cleaning as json.dumps leaves it with
    ensure_ascii=False: a bidi override, a NEL (a C1 control) and combining marks on no letter reached the terminal
    live (hostile input, sixteenth round). They are written as \\u escapes: the same data to a JSON reader, accents
    and other scripts still as written."""
    from pipeline.cli import main

    title = "\u0301\u0302 Mistral AI \u202egnp.exe\u202c à l’État\x85\x9b31m ש\u05c1"
    store_uncleaned_titles({"live": title})
    window = ["--since", "2026-11-20", "--until", "2026-11-20"]
    main(["search", "--company", "Mistral AI", *window, "--json"])
    listed = capsys.readouterr().out
    main(["mentions", "--company", "Mistral AI", *window, "--json"])
    mentions = capsys.readouterr().out
    for out in (listed, mentions):
        assert not any(ch in out for ch in "\u0301\u202e\x85\x9b"), out
        assert "à l’État" in out and "ש\u05c1" in out
    assert [hit["title"] for hit in json.loads(listed)["results"]] == [title]
    assert [row["title"] for row in json.loads(mentions)] == [title]


def test_csv_exports_clean_a_stored_titles_invisible_characters_before_the_formula_check(es_url, tmp_path):
    """`search --csv` and `mentions --csv` wrote a title stored before its cleaning as stored: its bidi override (a
    cell reading "exe.png" for "gnp.exe"), and a zero-width space before `=HYPERLINK(…)` kept the formula check from
    seeing the formula (hostile input, sixteenth round). Cells are cleaned as every sink is, then checked."""
    import csv

    from pipeline.cli import main

    stored = {"bidi": "Mistral AI \u202egnp.exe\u202c z\u200bw\u200dj",
              "formula": "\u200b\u0301=HYPERLINK(\"http://evil.example\",\"Mistral AI\")"}
    store_uncleaned_titles(stored)
    window = ["--since", "2026-11-20", "--until", "2026-11-20"]
    main(["search", "--company", "Mistral AI", *window, "--csv", str(tmp_path / "search.csv")])
    main(["mentions", "--company", "Mistral AI", *window, "--csv", str(tmp_path / "mentions.csv")])
    for name in ("search.csv", "mentions.csv"):
        rows = list(csv.DictReader((tmp_path / name).open(encoding="utf-8")))
        assert sorted(row["title"] for row in rows) == [
            "'=HYPERLINK(\"http://evil.example\",\"Mistral AI\")", "Mistral AI gnp.exe zwj"], name
