"""Hostile input never stops a command, leaks a secret or silences an alert (issue 15).

The hostile site (tests/_hostile_site.py) is run through the real commands, as a user would (`python -m pipeline`,
in a subprocess, so exit codes and every printed line are the real ones), on loopback: the ES stand-in, a local SMTP
server (aiosmtpd), a local Slack/webhook receiver (pytest-httpserver).
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from pipeline.settings import load_settings
from pipeline.store.client import make_client
from pipeline.store.templates import index_names
from pipeline.urls import article_id

from _alerts_helpers import SmtpServer, free_port, write_rules
from _hostile_site import CHARSET_PAGES, FEED_NAME, MARKERS, PAGES, SECRETS, HostileSite, cli_env

pytestmark = pytest.mark.slow
PREFIX = "thostile"


@dataclass
class Hostile:
    site: HostileSite
    env: dict
    work: Path
    feeds: Path
    ingest: subprocess.CompletedProcess


def run(args: list[str], env: dict, cwd: Path, timeout: float = 600) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pipeline", *args], env=env, cwd=cwd, capture_output=True,
                          text=True, timeout=timeout)


def assert_clean(result: subprocess.CompletedProcess, code: int = 0) -> str:
    """Exit code as expected, no traceback, no secret anywhere in what the command printed; returns the output."""
    out = result.stdout + result.stderr
    assert result.returncode == code, out[-3000:]
    assert "Traceback" not in out and "MarkupError" not in out, out[-3000:]
    for secret in SECRETS:
        assert secret not in out, f"secret printed: {out[-3000:]}"
    return out


@pytest.fixture(scope="module")
def hostile(es_server, tmp_path_factory):
    """One real `newsroom ingest` of the hostile site (progress bar on), for the whole module."""
    work = tmp_path_factory.mktemp("hostile")
    env = cli_env(es_server, PREFIX, work, NEWSROOM_FETCH_MAX_REDIRECTS="3", COLUMNS="250")
    with HostileSite() as site:
        feeds = site.feeds_file(work)
        result = run(["ingest", "--feeds", str(feeds), "--progress"], env, work)
        yield Hostile(site, env, work, feeds, result)


@pytest.fixture
def store(hostile, monkeypatch):
    monkeypatch.setenv("NEWSROOM_ES_URL", hostile.env["NEWSROOM_ES_URL"])
    monkeypatch.setenv("NEWSROOM_ES_INDEX_PREFIX", PREFIX)
    settings = load_settings()
    return settings, make_client(settings)


def test_ingest_of_the_hostile_site_exits_0_and_indexes_every_page(hostile, store):
    out = assert_clean(hostile.ingest)
    assert "Loop [/x] feed" in out  # the failing feed is reported, its name printed as text, not markup
    settings, client = store
    names = index_names(PREFIX)
    ids = {slug: article_id(hostile.site.url(slug)) for slug in PAGES}
    docs = client.mget(index=names["articles"], ids=list(ids.values()))["docs"]
    assert all(doc["found"] for doc in docs), [slug for slug, doc in zip(ids, docs) if not doc["found"]]
    by_slug = {slug: doc["_source"] for slug, doc in zip(ids, docs)}
    for slug, source in by_slug.items():
        for field in ("title", "source", "site_name"):
            assert not any(ch in (source.get(field) or "") for ch in "\r\n\x1b\u202e"), (slug, field, source.get(field))
        assert all("\n" not in author for author in source.get("authors") or [])
        assert source["source"] == FEED_NAME
    assert MARKERS["crlf"] in by_slug["crlf"]["title"]  # the text stays; only the line breaks are gone
    huge = by_slug["huge"]
    assert 90_000 < len(huge["text"]) <= 100_000  # a 1.2-million-character page is stored capped
    assert by_slug["old-date"]["published_at"] >= "2026"  # 1900 in page and feed: unknown, the fetch time stands in
    # the item whose link is `http://` (no host) was skipped, not turned into the feed's own URL
    count = client.count(index=names["articles"])["count"]
    assert count == len(PAGES)
    runs = client.search(index=names["runs"], size=10)["hits"]["hits"]
    record = json.dumps([hit["_source"] for hit in runs])
    assert runs and "Loop [/x] feed" in record and not any(secret in record for secret in SECRETS)
    state = b"".join(p.read_bytes() for p in (hostile.work / "data").glob("fetch-state.sqlite3*"))
    assert state and not any(secret.encode() in state for secret in SECRETS)


def test_search_prints_hostile_titles_as_plain_text(hostile):
    out = assert_clean(run(["search", "Mistral", "--size", "20"], hostile.env, hostile.work))
    for slug in ("markup", "link", "slack", "script", "old-date", "huge"):
        assert MARKERS[slug] in out, (slug, out[:2000])


def test_feeds_list_masks_secrets_and_export_keeps_them_with_a_note(hostile):
    listed = assert_clean(run(["feeds", "list", "--json", "--feeds", str(hostile.feeds)], hostile.env, hostile.work))
    assert "http://***@127.0.0.1" in listed and "token=***" in listed
    assert_clean(run(["feeds", "list", "--feeds", str(hostile.feeds)], hostile.env, hostile.work))
    export = run(["feeds", "export-opml", "--feeds", str(hostile.feeds)], hostile.env, hostile.work)
    assert export.returncode == 0 and all(secret in export.stdout for secret in SECRETS)  # the user's own file
    assert "hold credentials" in export.stderr and not any(secret in export.stderr for secret in SECRETS)


def _rules(path: Path, httpserver, *, webhook_path: str = "/hook", name: str = "hostile") -> Path:
    return write_rules(path, [{
        "name": name, "keywords": ["Mistral AI"], "channels": [
            {"type": "email", "to": ["desk@example.org"]},
            {"type": "slack", "url_env": "HOSTILE_SLACK_URL"},
            {"type": "webhook", "url": httpserver.url_for(webhook_path)},
        ]}])


def test_every_alert_is_delivered_on_every_channel_with_the_hostile_text_inert(hostile, httpserver, tmp_path):
    httpserver.expect_request("/slack", method="POST").respond_with_data("ok")
    httpserver.expect_request("/hook", method="POST").respond_with_data("ok")
    rules = _rules(tmp_path / "alerts.yaml", httpserver)
    with SmtpServer() as smtp:
        env = {**hostile.env, "NEWSROOM_SMTP_HOST": "127.0.0.1", "NEWSROOM_SMTP_PORT": str(smtp.port),
               "NEWSROOM_SMTP_SECURITY": "none", "NEWSROOM_ALERTS_INITIAL_LOOKBACK_HOURS": "48",
               "HOSTILE_SLACK_URL": httpserver.url_for("/slack")}
        dry = assert_clean(run(["alerts", "run", "--dry-run", "--rules", str(rules)], env, hostile.work))
        for slug in ("markup", "link", "slack", "script", "huge"):
            assert MARKERS[slug] in dry, (slug, dry[:3000])  # printed literally, not interpreted
        assert_clean(run(["alerts", "run", "--rules", str(rules)], env, hostile.work))
        again = run(["alerts", "run", "--rules", str(rules), "--json"], env, hostile.work)
    assert json.loads(again.stdout)["sent"] == 0  # delivered once, recorded, not re-sent

    # e-mail: one per article, the hostile title inside the Subject only, never a header of its own
    assert len(smtp.sink.messages) == len(PAGES)
    for message in smtp.sink.messages:
        assert message["Bcc"] is None and message["X-Injected"] is None
        assert set(message.keys()) <= {"Subject", "From", "To", "Date", "Message-ID", "MIME-Version", "Content-Type",
                                       "Content-Transfer-Encoding"}
    subjects = [str(m["Subject"]) for m in smtp.sink.messages]
    assert any(MARKERS["crlf"] in s and "\n" not in s for s in subjects), subjects
    for plain, html_body in smtp.sink.bodies():
        assert "<script>" not in html_body and "<!channel>" not in html_body
    assert any("&lt;script&gt;" in html_body for _, html_body in smtp.sink.bodies())

    # Slack: fallback text and blocks both escaped
    slack = [json.loads(req.data) for req, _ in httpserver.log if req.path == "/slack"]
    webhook = [json.loads(req.data) for req, _ in httpserver.log if req.path == "/hook"]
    assert len(slack) == len(webhook) == len(PAGES)
    for payload in slack:
        texts = [payload["text"]] + [b["text"]["text"] for b in payload["blocks"] if b.get("text")]
        for text in texts:
            assert "<!channel>" not in text and "<https://evil.example|" not in text and "\n" not in payload["text"]
    assert any("&lt;!channel&gt;" in p["text"] for p in slack)
    # webhook: JSON carries the text as data
    titles = {alert["title"] for payload in webhook for alert in payload["alerts"]}
    assert any(MARKERS["script"] in title for title in titles)


def test_a_failing_channel_is_reported_and_the_other_channels_and_rules_still_deliver(hostile, httpserver, tmp_path):
    httpserver.expect_request("/slack", method="POST").respond_with_data("ok")
    httpserver.expect_request("/broken", method="POST").respond_with_data("boom", status=500)
    httpserver.expect_request("/hook", method="POST").respond_with_data("ok")
    first = _rules(tmp_path / "a.yaml", httpserver, webhook_path="/broken", name="first rule")
    rules = write_rules(tmp_path / "alerts.yaml", [
        *yaml.safe_load(first.read_text())["rules"],
        {"name": "second rule", "keywords": ["Nvidia"], "channels": [
            {"type": "webhook", "url": httpserver.url_for("/hook")}]},
    ])
    with SmtpServer() as smtp:
        env = {**hostile.env, "NEWSROOM_SMTP_HOST": "127.0.0.1", "NEWSROOM_SMTP_PORT": str(smtp.port),
               "NEWSROOM_SMTP_SECURITY": "none", "NEWSROOM_ALERTS_INITIAL_LOOKBACK_HOURS": "48",
               "HOSTILE_SLACK_URL": httpserver.url_for("/slack")}
        result = run(["alerts", "run", "--rules", str(rules)], env, hostile.work)
    out = assert_clean(result, code=1)
    assert out.count("failed:") == len(PAGES)  # one line per failed delivery
    assert len(smtp.sink.messages) == len(PAGES)  # e-mail of the same rule went out
    assert len([r for r, _ in httpserver.log if r.path == "/slack"]) == len(PAGES)
    assert len([r for r, _ in httpserver.log if r.path == "/hook"]) == len(PAGES)  # the next rule ran


def test_store_down_gives_one_line_never_a_traceback(hostile, tmp_path):
    env = {**hostile.env, "NEWSROOM_ES_URL": f"http://127.0.0.1:{free_port()}", "NEWSROOM_DATA_DIR": str(tmp_path)}
    write_rules(tmp_path / "r.yaml", [{"name": "r", "keywords": ["x"],
                                       "channels": [{"type": "email", "to": ["a@example.org"]}]}])
    for args in (["search", "Mistral"], ["setup"], ["alerts", "run", "--rules", str(tmp_path / "r.yaml")]):
        result = run(args, env, tmp_path)
        out = assert_clean(result, code=1)
        assert "Elasticsearch" in out and len(result.stderr.strip().splitlines()) == 1, (args, result.stderr)
    with HostileSite() as site:
        ingest = run(["ingest", "--feeds", str(site.feeds_file(tmp_path)), "--no-progress"], env, tmp_path)
    out = assert_clean(ingest)  # articles are spooled to disk, the run says so
    assert "spooled" in out
    lines = ingest.stderr.strip().splitlines()
    assert len(lines) <= 10 and all(line[:4].isdigit() for line in lines), ingest.stderr  # log lines, one each
    replay = run(["replay"], env, tmp_path)
    assert_clean(replay, code=1)
    last = replay.stderr.strip().splitlines()[-1]  # after one log line per retry: one sentence
    assert last.startswith("Error:") and "Elasticsearch" in last, replay.stderr
    assert list((tmp_path / "spool").glob("*.jsonl"))  # kept for the next replay
    verbose = run(["-v", "search", "Mistral"], env, tmp_path)
    assert verbose.returncode == 1 and "Traceback" in verbose.stderr  # -v shows the details


def test_an_unusable_state_database_is_one_sentence_naming_the_file(hostile, tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / "fetch-state.sqlite3").write_bytes(b"this is not a database" * 100)
    env = {**hostile.env, "NEWSROOM_DATA_DIR": str(data)}
    result = run(["feeds", "list", "--feeds", str(hostile.feeds)], env, tmp_path)
    assert_clean(result, code=1)
    assert "fetch-state.sqlite3" in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_a_locked_state_database_is_one_sentence(hostile, tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    db = sqlite3.connect(data / "fetch-state.sqlite3", timeout=1)
    db.execute("CREATE TABLE t (x)")
    db.execute("BEGIN EXCLUSIVE")
    try:
        env = {**hostile.env, "NEWSROOM_DATA_DIR": str(data), "NEWSROOM_STATE_LOCK_TIMEOUT": "0.5"}
        result = run(["feeds", "list", "--feeds", str(hostile.feeds)], env, tmp_path)
    finally:
        db.rollback()
        db.close()
    assert_clean(result, code=1)
    assert "locked" in result.stderr and "another newsroom process" in result.stderr


def test_a_full_disk_is_one_sentence(hostile, tmp_path):
    """Writes beyond RLIMIT_FSIZE fail like a full disk (EFBIG; SQLite reports 'database or disk is full')."""
    import resource

    def small_files() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (64_000, 64_000))

    env = {**hostile.env, "NEWSROOM_DATA_DIR": str(tmp_path / "data")}
    with HostileSite() as site:
        result = subprocess.run([sys.executable, "-m", "pipeline", "fetch", "-o", str(tmp_path / "out.jsonl"),
                                 "--feeds", str(site.feeds_file(tmp_path))], env=env, cwd=tmp_path,
                                capture_output=True, text=True, timeout=600, preexec_fn=small_files)
    assert_clean(result, code=1)
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("Error: No space left to write"), result.stderr
    # a named file, or where files were being written (a write() to an open file carries no name)
    assert "No space left to write (/" in last or str((tmp_path / "data").resolve()) in last, last
    assert not (tmp_path / "out.jsonl").exists()  # nothing half-written is left behind


COLLECT_IN_A_PROCESS = """
import sys
from pipeline.collect import CollectorProcess
from pipeline.feeds import load_feeds
from pipeline.settings import load_settings

try:
    list(CollectorProcess(load_settings(), load_feeds(sys.argv[1]), check_known=False).articles())
except OSError as exc:
    print("errno", exc.errno)
    sys.exit(3)
"""


def test_a_full_disk_in_the_collector_process_stops_the_run_with_its_error(hostile, tmp_path):
    """The worker's WARC writes fail with EFBIG: the error reaches this process (which the CLI turns into its one
    sentence), instead of every page becoming an 'extraction error' of a run that exits 0."""
    import errno
    import resource

    def small_files() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (64_000, 64_000))

    env = {**hostile.env, "NEWSROOM_DATA_DIR": str(tmp_path / "data")}
    with HostileSite() as site:
        result = subprocess.run([sys.executable, "-c", COLLECT_IN_A_PROCESS, str(site.feeds_file(tmp_path))],
                                env=env, cwd=tmp_path, capture_output=True, text=True, timeout=600,
                                preexec_fn=small_files)
    assert result.returncode == 3 and result.stdout.split() == ["errno", str(errno.EFBIG)], result.stderr[-3000:]


def test_coverage_report_fetch_and_alerts_test_print_hostile_strings_as_text(hostile, tmp_path, httpserver):
    out = assert_clean(run(["coverage", "--entity", "Mistral AI", "--since", "2026-11-01"], hostile.env, hostile.work))
    assert FEED_NAME in out  # top sources: the feed name printed as text
    assert_clean(run(["report", "--entity", "Mistral AI", "--since", "2026-11-01", "-o", str(tmp_path / "r.html")],
                     hostile.env, hostile.work))
    html_report = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "<script>alert" not in html_report
    rules = _rules(tmp_path / "alerts.yaml", httpserver)
    assert_clean(run(["alerts", "list", "--rules", str(rules)], hostile.env, hostile.work))
    tested = assert_clean(run(["alerts", "test", "hostile", "--article-id", article_id(hostile.site.url("link")),
                               "--rules", str(rules)], hostile.env, hostile.work))
    assert "MATCHES" in tested
    with HostileSite() as site:
        fetched = run(["fetch", "-o", str(tmp_path / "out.jsonl"), "--feeds", str(site.feeds_file(tmp_path))],
                      {**hostile.env, "NEWSROOM_DATA_DIR": str(tmp_path / "data")}, tmp_path)
    out = assert_clean(fetched)
    assert "Loop [/x] feed" in out
    assert len((tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()) == len(PAGES)


def test_every_invisible_character_is_dropped_from_web_strings():
    """Unicode's format and private-use characters (bidi controls, zero-width, tag characters, our own highlight
    markers): none survives cleaning, whatever Python's Unicode version adds."""
    import sys
    import unicodedata

    from pipeline.sinks import single_line, without_invisible

    invisible = "".join(chr(c) for c in range(sys.maxunicode + 1)
                        if unicodedata.category(chr(c)) in ("Cf", "Co") and not 0xD800 <= c <= 0xDFFF)
    assert single_line(f"a{invisible}b") == "ab"
    assert without_invisible(f"para\u061c one\n\npara\U000e0049 two\ue001") == "para one\n\npara two"
    assert single_line("souve\u00adraineté\u2060 \u2066isolée\u2069") == "souveraineté isolée"


def test_terminal_output_shows_emoji_codes_and_trailing_backslashes_as_written():
    from pipeline.sinks import for_terminal, terminal_console

    emoji, one, path, two = (for_terminal(s) for s in ["Mistral AI :rotating_light: :warning:", "title ends with \\",
                                                        "C:\\", "even \\\\"])
    console = terminal_console(record=True, width=200)
    console.print(f"{emoji} | {one}[bold]{path}[/bold] {two}[bold]x[/bold]")
    assert console.export_text().strip() == "Mistral AI :rotating_light: :warning: | title ends with \\ C:\\  even \\\\ x"


def test_feeds_that_once_ended_the_run_are_each_one_failure_and_the_other_articles_are_written(tmp_path):
    """A `gzip, gzip` bomb, redirects to `javascript:`, port 99999 and `http://[::1`, a Retry-After of 400 digits, and
    a feed labelled `charset=undefined` / `encoding="punycode"`: each used to end `newsroom fetch` with a traceback
    (or 3 GB of memory); now each is one line naming the feed, and the labelled feed's pages are read as UTF-8."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSROOM_")}
    env.update(NEWSROOM_DATA_DIR=str(tmp_path / "data"), NEWSROOM_FETCH_ALLOW_HOSTS="127.0.0.1",
               NEWSROOM_FETCH_HOST_DELAY="0", NEWSROOM_FETCH_RETRIES="2", NEWSROOM_FETCH_BACKOFF_BASE="0.01",
               COLUMNS="250")
    with HostileSite() as site:
        feeds = site.crash_feeds_file(tmp_path)
        result = run(["fetch", "--feeds", str(feeds), "-o", str(tmp_path / "out.jsonl")], env, tmp_path, timeout=300)
        requests = list(site.requests)
    out = assert_clean(result)
    failed = {line.split("—")[0] for line in out.splitlines() if "feed failed:" in line}
    assert len(failed) == 5, out[-3000:]
    assert "refused: redirect to a non-http(s) URL 'javascript:alert(1)'" in out
    assert "refused: redirect to an invalid URL 'http://127.0.0.1:99999/feed.xml'" in out
    assert "refused: redirect to an invalid URL 'http://[::1/feed.xml'" in out
    assert "exceeds the 10000000-byte limit (decompressed)" in out
    assert "Retry-After of a week or more" in out and "infs" not in out
    for name in ("redirect-js", "redirect-badport", "redirect-badipv6", "double-gzip"):  # refused: never retried
        assert requests.count(f"/feeds/{name}.xml") == 1, (name, requests)
    articles = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()]
    assert {a["title"] for a in articles} == set(CHARSET_PAGES.values())
    for article in articles:  # the page itself, decoded as UTF-8, not the feed summary
        assert article["extraction"] != "feed-summary" and "réglementation" in article["text"], article


def test_reports_and_alert_messages_link_only_public_web_addresses():
    from pipeline.alerts.deliver import render_html, slack_payload
    from pipeline.alerts.evaluate import AlertItem
    from pipeline.alerts.rules import Rule
    from pipeline.report import _link
    from pipeline.sinks import linkable

    public = ["https://www.lemonde.fr/a.html", "http://8.8.8.8/x", "https://cafe.fr/"]
    private = ["http://127.0.0.1:18602/x", "http://127.0.0.1:18601@127.0.0.1:18602/via", "http://2130706433/x",
               "http://0177.0.0.1/x", "http://0x7f.1/", "http://127.1/", "http://[::1]/x", "http://10.0.0.1/",
               "http://localhost/", "http://printer.local/", "http://intranet/x", "https://a.example:99999/",
               "javascript:alert(1)", "file:///etc/passwd"]
    assert all(linkable(u) for u in public) and not any(linkable(u) for u in private)
    rule = Rule(name="r", keywords=["Mistral"], channels=[{"type": "webhook", "url": "https://hooks.example.org/x"}])
    for url in private:
        item = AlertItem(rule="r", subject="a", title="Mistral AI", url=url)
        assert "<a " not in _link(url, "t") and "<a " not in render_html(rule, [item])
        assert f"<{url}" not in str(slack_payload(rule, [item]))
    assert '<a href="https://www.lemonde.fr/a.html">' in _link(public[0], "t")


def test_a_look_alike_host_links_to_its_punycode_name_in_every_sink():
    """`аpple.com` with a Cyrillic а was linked as written: the target read as Apple's site. Links now carry the
    host browsers actually ask for (IDNA, `xn--…`); the title shown stays as the web gave it."""
    from pipeline.alerts.deliver import render_html, slack_payload
    from pipeline.alerts.evaluate import AlertItem
    from pipeline.alerts.rules import Rule
    from pipeline.report import _link

    url, target = "https://\u0430pple.com/ai?q=é", "https://xn--pple-43d.com/ai?q=é"
    rule = Rule(name="r", keywords=["Apple"], channels=[{"type": "webhook", "url": "https://hooks.example.org/x"}])
    item = AlertItem(rule="r", subject="a", title="Apple AI", url=url)
    assert f'href="{target}"' in _link(url, "Apple AI") and f'href="{target}"' in render_html(rule, [item])
    assert f"<{target}|" in str(slack_payload(rule, [item]))
    assert "\u0430pple" not in _link(url, "Apple AI") + render_html(rule, [item]) + str(slack_payload(rule, [item]))


def test_an_encoded_word_in_a_web_title_adds_no_mail_header():
    """`=?utf-8?q?…=0D=0ABcc:…?=` is plain ASCII: it passed the CR/LF check, and Python's email (CVE-2024-6923)
    decoded it into real headers when the Subject was set."""
    from email import message_from_bytes

    from pipeline.alerts.deliver import build_email
    from pipeline.alerts.evaluate import AlertItem
    from pipeline.alerts.rules import Rule

    rule = Rule(name="neg mistral", keywords=["x"], channels=[{"type": "webhook", "url": "https://hooks.example.org/x"}])
    title = "Mistral AI =?utf-8?q?collapse=0D=0ABcc:_victim@evil.example=0D=0AX-Injected:_yes?= shock"
    raw = build_email(rule, [AlertItem(rule="r", subject="id", title=title, reasons=["why"])],
                      sender="newsroom@localhost", to=["veille@example.org"]).as_bytes()
    head = raw.split(b"\n\n", 1)[0].decode()
    assert not any(line.lower().startswith(("bcc:", "x-injected:")) for line in head.splitlines()), head
    parsed = message_from_bytes(raw)
    assert parsed["Bcc"] is None and "collapse" in str(parsed["Subject"])


def test_slack_messages_keep_their_shape_whatever_the_title():
    from pipeline.alerts.deliver import slack_payload
    from pipeline.alerts.evaluate import AlertItem
    from pipeline.alerts.rules import Rule

    rule = Rule(name="r", keywords=["Mistral"], channels=[{"type": "webhook", "url": "https://hooks.example.org/x"}])
    title = "*bold* _it_ ~gone~ `code` Mistral AI " + "très long titre " * 400
    item = AlertItem(rule="r", subject="a", title=title, url="https://news.example/a.html", reasons=["mentions Mistral AI"],
                     company_tones={"Mistral AI": {"label": "negative", "score": -0.6, "confidence": 0.8,
                                                   "evidence": ["Une phrase " * 40] * 3}})
    [block] = [b for b in slack_payload(rule, [item])["blocks"] if b["type"] == "section"]
    text = block["text"]["text"]
    assert len(text) <= 3000 and text.endswith("_Why: mentions Mistral AI_")
    first = text.splitlines()[0]
    assert first.startswith("*<https://news.example/a.html|") and first.endswith(">*")  # the link closed, one bold
    assert not any(ch in first[first.index("|"):-2] for ch in "*_~`")


@pytest.mark.parametrize("length", [2_900, 100_000])
def test_a_very_long_article_url_does_not_push_a_slack_section_over_3000_characters(length):
    """Slack refuses a whole grouped message for one section over 3,000 characters: the URL is not linked."""
    from pipeline.alerts.deliver import slack_payload
    from pipeline.alerts.evaluate import AlertItem
    from pipeline.alerts.rules import Rule

    rule = Rule(name="r", keywords=["Mistral"], channels=[{"type": "webhook", "url": "https://hooks.example.org/x"}])
    long_item = AlertItem(rule="r", subject="a", title="Mistral AI title", url="https://news.example.com/a?q=" + "B" * length,
                          source="S", reasons=["mentions Mistral AI"], snippet="Mistral AI snippet " * 30)
    short_item = AlertItem(rule="r", subject="b", title="Mistral AI other", url="https://news.example.com/b.html",
                           source="S", reasons=["mentions Mistral AI"])
    sections = [b["text"]["text"] for b in slack_payload(rule, [long_item, short_item])["blocks"] if b["type"] == "section"]
    assert all(len(text) <= 3000 for text in sections)
    assert sections[0].startswith("*Mistral AI title*\nS\n> ") and "BBBB" not in sections[0]
    assert sections[1].startswith("*<https://news.example.com/b.html|Mistral AI other>*")


def test_plain_text_mail_never_prints_credentials_of_an_item_link():
    """Mail clients auto-link a bare URL: `http://user:pa55@host/` would be shown and linked in full. A `user@` URL
    is never linked (its real host hides behind the `@`): it is shown defanged, its credentials masked."""
    from pipeline.alerts.deliver import render_text
    from pipeline.alerts.evaluate import AlertItem
    from pipeline.alerts.rules import Rule

    rule = Rule(name="r", keywords=["Mistral"], channels=[{"type": "webhook", "url": "https://hooks.example.org/x"}])
    item = AlertItem(rule="r", subject="a", title="Mistral AI", url="http://user:pa55@news.example/a.html",
                     reasons=["mentions Mistral AI"])
    text = render_text(rule, [item])
    assert "pa55" not in text and "  hxxp://***@news[.]example/a.html (not a public web address: not linked)" in text


def test_look_alike_letters_inside_latin_words_are_read_as_latin():
    """Hostile sites audit (2026-12-03, #5): « Мistral AI » with a Cyrillic М hid the company from the watchlist and
    from its alerts (zero-width characters and fullwidth letters were already handled). Wholly Cyrillic or Greek words
    stay as written."""
    from pipeline.models import Article
    from pipeline.sinks import single_line, without_look_alikes

    assert without_look_alikes("\u041cistral AI et N\u0455idia") == "Mistral AI et Nsidia"
    assert without_look_alikes("Москва, Αθήνα, MCP-сервер") == "Москва, Αθήνα, MCP-сервер"
    assert single_line("\u041cistr\u0430l AI") == "Mistral AI"
    article = Article(id="a" * 64, url="https://x.example/a", domain="x.example", source="x", title="\u041cistral AI",
                      text="La start-up \u041cistral AI lève des fonds.", content_hash="0" * 64,
                      fetched_at="2026-12-03T10:00:00+00:00", extraction="trafilatura", word_count=7)
    assert (article.title, article.text) == ("Mistral AI", "La start-up Mistral AI lève des fonds.")


def test_look_alike_folding_is_linear_on_long_tokens():
    """The review: the mixed-script pattern backtracked cubically on a long word-character run (a 4,000-character
    token took 186 s whenever the text held a Greek or Cyrillic letter)."""
    import time

    from pipeline.sinks import without_look_alikes

    started = time.process_time()
    assert without_look_alikes("a" * 20_000 + "\u0436 x") == "a" * 20_000 + "\u0436 x"
    assert time.process_time() - started < 2.0


def test_the_press_release_tail_marks_are_linear_on_a_long_token():
    """The hostile audit: `\\S+@` tried from every position of a 195,000-character token without spaces took 65 s of
    CPU for one page (and held the GIL, so every fetch of the run waited)."""
    import time

    from pipeline.boilerplate import strip_boilerplate

    story = "Mistral AI signed a compute deal with Nvidia on Tuesday, the company said in Paris."
    text = "\n".join([story, "Jean-" * 40_000, story])
    started = time.process_time()
    strip_boilerplate(text)
    assert time.process_time() - started < 2.0


@pytest.mark.parametrize("title", ["=HYPERLINK(\"http://x\")", "@SUM(A1)", "＝HYPERLINK(\"http://x\")", "  =1+1",
                                   "\u3000＋cmd"])
def test_csv_cells_that_start_like_a_formula_are_text(tmp_path, title):
    """The hostile audit: a title starting with a full-width ＝ (or spaces, then =) was written as is."""
    import csv

    from pipeline.export import write_csv

    out = tmp_path / "x.csv"
    write_csv(out, ["title"], [{"title": title}])
    assert next(csv.DictReader(out.open(encoding="utf-8")))["title"] == "'" + title
