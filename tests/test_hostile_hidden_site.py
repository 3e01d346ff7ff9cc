"""A hostile site whose pages hide words from their readers, run through the real commands (twenty-first round).

Every page is a story about Mistral AI that hides « Capgemini accused of fraud » from a reader in a way the earlier
rounds did not read: a CSS comment or escape in a style, `transform:scale(0)`, a transparent colour or the
background's, a tenth of a pixel, an indent off the screen, a clipped empty box, a class the page's own sheet moves
off the screen or makes transparent, descendant, child, id, compound and attribute selectors in that sheet, a
framework's screen-reader-only class from a sheet the page links to, a span hidden by id inside the headline, a
summary hiding words by id. Beside them: a page answering 503 with terminal escape sequences in its reason phrase, a
headline in Slack's mention syntax, and a feed answering 304 to a request that sent no validator. `newsroom ingest`
(a subprocess, on the ES stand-in), then `search`, `coverage`, `report` and `alerts run` to a local SMTP server and a
Slack/webhook receiver: no sink may carry a hidden word, Capgemini may be no company of any story, and every string
from the site stays inert.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from pipeline.settings import load_settings
from pipeline.store.client import make_client
from pipeline.store.templates import index_names

from _alerts_helpers import SmtpServer, write_rules
from _hostile_site import RawSite, cli_env

pytestmark = pytest.mark.slow
PREFIX = "thidden21"
SENTENCE = ("Mistral AI and Nvidia discussed sovereign computing in Europe, while ministers weighed the cost of cloud "
            "contracts and the pace of new regulation.")
HIDDEN = "Capgemini accused of fraud"
REASON = "Oops \x1b]8;;http://evil.example/\x07click\x1b]8;;\x07 \x1b[2J\x1b[31m"
SLACK_TITLE = "Mistral AI <!subteam^S0123|@desk> <@U0123> <#C0123|general> <!date^1|x> *deal*"

# slug → (what the page's <head> adds, the hidden element, an element a reader does see)
PAGES = {
    "inline-spelled": ("", f"<p style='display:/**/none'>{HIDDEN} (comment).</p>"
                           f"<p style='DISPLAY:\\6e one'>{HIDDEN} (escape).</p>",
                       "<p style='display:block'>A paragraph shown on the contract.</p>"),
    "scaled-clipped": ("", f"<p style='transform: translateY(1px) scale(0)'>{HIDDEN} (scale).</p>"
                           f"<p style='clip-path: circle(0)'>{HIDDEN} (clip-path).</p>",
                       "<p style='transform:scale(1.2)'>A zoomed paragraph on the contract.</p>"),
    "colours": ("", f"<p style='color:transparent'>{HIDDEN} (transparent).</p>"
                    f"<p style='color:#ffffff;background-color:white'>{HIDDEN} (white on white).</p>",
                "<p style='color:#fff;background:#000'>A white-on-black paragraph on the contract.</p>"),
    "tiny": ("", f"<p style='opacity:.0'>{HIDDEN} (opacity).</p><p style='font-size:.1px'>{HIDDEN} (font).</p>",
             "<p style='opacity:0.6'>A paler paragraph on the contract.</p>"),
    "off-screen": ("", f"<p style='text-indent:-9999px'>{HIDDEN} (indent).</p>"
                       f"<div style='max-height:0;overflow:clip'><p>{HIDDEN} (box).</p></div>",
                   "<p style='text-indent:2em'>An indented paragraph on the contract.</p>"),
    "descendants": ("<style>.story .k1 { display: none } div#k4 > span { visibility: hidden }</style>",
                    f"<div class='story'><p class='k1'>{HIDDEN} (descendant).</p></div>"
                    f"<div id='k4'><span>{HIDDEN} (child).</span></div>",
                    "<div class='k1-box'><p>A boxed paragraph on the contract.</p></div>"),
    "ids-attributes": ("<style>#k2, p.k3, [data-k5] { display: none }</style>",
                       f"<p id='k2'>{HIDDEN} (id).</p><p class='k3'>{HIDDEN} (compound).</p>"
                       f"<p data-k5>{HIDDEN} (attribute).</p>",
                       "<span class='k3'>A span sharing the class, on the contract.</span>"),
    "escaped-sheet": ("<style>.k6 { display: n\\6f ne }</style>", f"<p class='k6'>{HIDDEN} (escaped).</p>",
                      "<p class='k66'>A paragraph of a longer class on the contract.</p>"),
    "own-sheet-off-screen": ("<style>.off { position: absolute; left: -10000px } .ghost { opacity: 0 }</style>",
                             f"<p class='off'>{HIDDEN} (off-screen).</p><p class='ghost'>{HIDDEN} (ghost).</p>",
                             "<p class='offer'>An offer paragraph on the contract.</p>"),
    "linked-sheet": ("<link rel='stylesheet' href='/bootstrap.min.css'>",
                     f"<span class='sr-only'>{HIDDEN} (sr-only).</span>"
                     f"<span class='visually-hidden'>{HIDDEN} (visually-hidden).</span>",
                     "<p class='lead'>A lead paragraph on the contract.</p>"),
}
SHOWN = ["shown on the contract", "zoomed paragraph", "white-on-black", "paler paragraph", "indented paragraph",
         "boxed paragraph", "span sharing the class", "longer class", "offer paragraph", "lead paragraph"]


def story(title: str, head: str = "", hidden: str = "", shown: str = "", headline: str | None = None) -> str:
    body = "".join(f"<p>Part {i}: {SENTENCE} In region {i}, officials said talks go on. {SENTENCE}</p>"
                   + (hidden if i == 3 else "") + (shown if i == 4 else "") for i in range(1, 7))
    return (f"<!DOCTYPE html><html lang='en'><head><title>{title}</title>{head}</head>"
            f"<body><article><h1>{headline or title}</h1>{body}</article></body></html>")


def item(title: str, path: str, summary: str = "Mistral AI teaser for the story.") -> str:
    return (f"<item><title>{title}</title><link>{{base}}{path}</link><guid>{{base}}{path}</guid>"
            f"<pubDate>Fri, 04 Dec 2026 09:00:00 GMT</pubDate><description>{summary}</description></item>")


def site_replies() -> dict:
    replies = {f"/{slug}.html": (200, {}, story(f"Mistral AI {slug} story", *parts)) for slug, parts in PAGES.items()}
    replies["/headline.html"] = (200, {}, story(
        "Mistral AI signs a cloud contract", head="<style>h1 #k7 { display: none }</style>",
        headline=f"<span id='k7'>{HIDDEN} </span>Mistral AI signs a cloud contract").replace(
        "<title>Mistral AI signs a cloud contract</title>", ""))
    replies["/reason.html"] = ((503, REASON), {}, "busy")
    replies["/slack.html"] = (200, {}, story(SLACK_TITLE.replace("<", "&lt;").replace(">", "&gt;")))
    replies["/bootstrap.min.css"] = (200, {"Content-Type": "text/css"}, ".sr-only{position:absolute;width:1px}")
    summary = ("&lt;style&gt;#q8 {visibility: hidden}&lt;/style&gt;&lt;p&gt;Mistral AI signs a contract with the "
               f"state.&lt;span id='q8'&gt; {HIDDEN}.&lt;/span&gt; Ministers agreed.&lt;/p&gt;")
    items = [item(f"Mistral AI {slug} story", f"/{slug}.html") for slug in PAGES]
    items += [item("Mistral AI signs a cloud contract", "/headline.html"),
              item("Mistral AI busy story", "/reason.html"),
              item(SLACK_TITLE.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"), "/slack.html"),
              item("Mistral AI gone story", "/gone.html", summary=summary)]
    replies["/feed.xml"] = (200, {"Content-Type": "application/rss+xml"},
                            "<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>Hidden</title>"
                            f"<link>{{base}}/</link><description>d</description>{''.join(items)}</channel></rss>")
    replies["/not-modified.xml"] = (304, {}, "")
    replies["/robots.txt"] = (200, {"Content-Type": "text/plain"}, "User-agent: *\nAllow: /\n")
    return replies


STORIES = len(PAGES) + 4  # the headline, the busy page (its summary), the Slack headline, the gone page (its summary)


def run(args: list[str], env: dict, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pipeline", *args], env=env, cwd=cwd, capture_output=True,
                          text=True, timeout=600)


def clean(result: subprocess.CompletedProcess, asked: str = "") -> str:
    """The command's output, once checked: exit 0, no traceback, no escape sequence, no hidden word (but the
    `asked` one, echoed by a command asked for it)."""
    out = result.stdout + result.stderr
    assert result.returncode == 0 and "Traceback" not in out, out[-3000:]
    assert "\x1b" not in out and "\x07" not in out and "Capgemini" not in out.replace(asked, ""), out[-3000:]
    return out


@pytest.fixture(scope="module")
def site(es_server, tmp_path_factory):
    work = tmp_path_factory.mktemp("hidden21")
    env = cli_env(es_server, PREFIX, work, COLUMNS="200")
    with RawSite(site_replies()) as raw:
        feeds = work / "feeds.yaml"
        feeds.write_text(yaml.safe_dump({"feeds": [
            {"name": "Hidden words", "url": raw.base_url + "/feed.xml", "lang": "en"},
            {"name": "Not modified", "url": raw.base_url + "/not-modified.xml", "lang": "en"}]}), encoding="utf-8")
        yield env, work, run(["ingest", "--feeds", str(feeds), "--json"], env, work), raw


def stored_articles(monkeypatch, env: dict) -> list[dict]:
    monkeypatch.setenv("NEWSROOM_ES_URL", env["NEWSROOM_ES_URL"])
    monkeypatch.setenv("NEWSROOM_ES_INDEX_PREFIX", PREFIX)
    client = make_client(load_settings())
    return client.search(index=index_names(PREFIX)["articles"], size=100)["hits"]["hits"]


def test_ingest_stores_no_word_a_page_hides_and_reports_the_hostile_replies_in_one_inert_sentence(site, monkeypatch):
    env, work, ingest, raw = site
    out = clean(ingest)
    summary = json.loads(ingest.stdout)
    assert summary["counts"]["indexed"] == STORIES and "Capgemini" not in summary["companies"], summary
    assert summary["fallback_reasons"] == {"http-503": 1, "http-404": 1}
    assert "/bootstrap.min.css" not in raw.requests  # a linked sheet is never fetched
    assert "/not-modified.xml: HTTP 304 Not Modified to a request without a validator" in out
    stored = {hit["_source"]["url"].rsplit("/", 1)[1]: hit["_source"] for hit in stored_articles(monkeypatch, env)}
    texts = json.dumps(stored, ensure_ascii=False)
    assert len(stored) == STORIES and "Capgemini" not in texts and "fraud" not in texts
    assert all(words in texts for words in SHOWN), [words for words in SHOWN if words not in texts]
    assert stored["headline.html"]["title"] == "Mistral AI signs a cloud contract"
    assert "Ministers agreed." in stored["gone.html"]["text"]
    found = json.loads(clean(run(["search", "Mistral", "--size", "50", "--json"], env, work)))
    assert found["total"] == STORIES and "Capgemini" not in json.dumps(found)
    assert json.loads(clean(run(["search", "Capgemini", "--json"], env, work), "Capgemini"))["total"] == 0
    coverage = json.loads(clean(run(["coverage", "--company", "Capgemini", "--json"], env, work), "Capgemini"))
    assert sum(bucket["count"] for bucket in coverage["series"]["Capgemini"]) == 0
    listed = clean(run(["search", "Mistral", "--size", "50"], env, work))
    assert "<!subteam^S0123|@desk>" in listed  # printed as text


def test_the_report_and_every_alert_channel_carry_no_hidden_word_and_inert_mentions(site, httpserver, tmp_path):
    env, work, _, _ = site
    clean(run(["report", "--output", str(tmp_path / "report.html")], env, work))
    report = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "Capgemini" not in report and "<!subteam" not in report and "\x1b" not in report
    httpserver.expect_request("/slack", method="POST").respond_with_data("ok")
    httpserver.expect_request("/hook", method="POST").respond_with_data("ok")
    channels = [{"type": "email", "to": ["desk@example.org"]}, {"type": "slack", "url_env": "HIDDEN_SLACK_URL"},
                {"type": "webhook", "url": httpserver.url_for("/hook")}]
    rules = write_rules(tmp_path / "alerts.yaml", [
        {"name": "Capgemini named", "companies": ["Capgemini"], "channels": channels},
        {"name": "fraud named", "keywords": ["fraud"], "channels": channels},
        {"name": "Mistral named", "keywords": ["Mistral AI"], "channels": channels}])
    with SmtpServer() as smtp:
        alert_env = {**env, "NEWSROOM_SMTP_HOST": "127.0.0.1", "NEWSROOM_SMTP_PORT": str(smtp.port),
                     "NEWSROOM_SMTP_SECURITY": "none", "NEWSROOM_ALERTS_INITIAL_LOOKBACK_HOURS": "48",
                     "HIDDEN_SLACK_URL": httpserver.url_for("/slack")}
        clean(run(["alerts", "run", "--rules", str(rules)], alert_env, work), "Capgemini named")
    assert len(smtp.sink.messages) == STORIES  # the Mistral rule's, one per story; none for Capgemini or "fraud"
    mails = "".join(str(message["Subject"]) + plain + html for message, (plain, html) in
                    zip(smtp.sink.messages, smtp.sink.bodies()))
    at = mails.find("Capgemini")
    assert at < 0, mails[max(0, at - 300):at + 100]
    assert all("<!subteam" not in html for _, html in smtp.sink.bodies())  # text in a subject or plain text is inert
    slack = [json.loads(request.data) for request, _ in httpserver.log if request.path == "/slack"]
    hooks = [json.loads(request.data) for request, _ in httpserver.log if request.path == "/hook"]
    assert len(slack) == len(hooks) == STORIES
    sent = json.dumps(slack)
    assert "Capgemini" not in sent + json.dumps(hooks)
    for live in ("<!subteam", "<@U0123>", "<#C0123", "<!date"):
        assert live not in sent, live
