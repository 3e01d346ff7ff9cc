"""feeds.yaml validation, CLI add/remove/list, OPML import/export, feed parsing (pipeline.feeds)."""

from __future__ import annotations

import codecs
import json
import stat
import time
from datetime import datetime, timezone
from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.errors import ConfigError
from pipeline.feeds import export_opml, html_to_text, import_opml, load_feeds, parse_feed, read_opml
from pipeline.models import Feed
from pipeline.urls import article_id

REPO = Path(__file__).resolve().parent.parent
FEED = Feed(name="Test feed", url="https://news.example/feed.xml", lang="fr", tags=["tech"])


def run_cli(*argv: str) -> int:
    try:
        main(list(argv))
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


def collect_articles(feeds: list[Feed], tmp_path: Path):
    """Every article a collector finds in `feeds` on the local test server, and the collector (for its counts)."""
    import asyncio

    from pipeline.collect import Collector
    from pipeline.settings import load_settings

    collector = Collector(load_settings(data_dir=tmp_path, fetch_allow_hosts="127.0.0.1"), feeds)

    async def go():
        return [a async for a in collector.articles()]

    return asyncio.run(go()), collector


# ------------------------------------------------------------------------------------------- config


def test_project_feeds_file_is_valid_and_broad():
    feeds = load_feeds(REPO / "config" / "feeds.yaml")
    assert len(feeds) >= 30
    assert {f.lang for f in feeds} == {"fr", "en"}
    assert sum(f.lang == "fr" for f in feeds) >= 10 and sum(f.lang == "en" for f in feeds) >= 10
    assert {"all", "filter"} == {f.relevance for f in feeds}
    assert all(str(f.url).startswith("https://") for f in feeds)


def test_fixture_feeds_file_is_valid(fixture_site, tmp_path):
    feeds = load_feeds(fixture_site.feeds_file(tmp_path))
    assert [f.relevance for f in feeds] == ["all", "all", "filter"]
    assert {f.lang for f in feeds} == {"fr", "en"}


@pytest.mark.parametrize(
    ("entries", "expected"),
    [
        ([{"name": "A", "url": "https://a.example/rss"}], ["entry #1 ('A')", "'lang'", "Field required"]),
        ([{"name": "A", "url": "https://a.example/rss", "lang": "french"}], ["entry #1 ('A')", "'lang'"]),
        ([{"name": "A", "url": "not a url", "lang": "fr"}], ["entry #1 ('A')", "'url'"]),
        ([{"name": "A", "url": "https://a.example/rss", "lang": "fr", "relevance": "some"}], ["'relevance'"]),
        (
            [{"name": "A", "url": "https://a.example/rss", "lang": "fr"}, {"name": "a", "url": "https://b.example/rss", "lang": "fr"}],
            ["entry #2 ('a')", "'name'", "duplicate of entry #1"],
        ),
        (
            [{"name": "A", "url": "https://a.example/rss", "lang": "fr"}, {"name": "B", "url": "https://A.example/rss#x", "lang": "en"}],
            ["entry #2 ('B')", "'url'", "already used by entry #1"],
        ),
        (
            [{"name": "A", "url": "https://a.example/rss", "lang": "fr", "relevence": "filter"}],
            ["entry #1 ('A')", "'relevence'", "unknown key (did you mean 'relevance'?)"],
        ),
        ({"feed": [{"name": "A", "url": "https://a.example/rss", "lang": "fr"}]}, ["'feed'", "did you mean 'feeds'?"]),
        (
            [{"name": "A", "url": "https://a.example/rss", "lang": "fr", "headers": {"X-Key": "a\r\nHost: evil"}}],
            ["entry #1 ('A')", "'headers'", "line break"],
        ),
        (
            [{"name": "A", "url": "https://a.example/rss", "lang": "fr", "headers": {"Bad Name:": "x"}}],
            ["'headers'", "not a valid HTTP header name"],
        ),
    ],
)
def test_invalid_feeds_name_file_entry_and_field(tmp_path, entries, expected):
    path = tmp_path / "feeds.yaml"
    path.write_text(json.dumps(entries if isinstance(entries, dict) else {"feeds": entries}), encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_feeds(path)
    message = str(err.value)
    assert str(path) in message
    for fragment in expected:
        assert fragment in message


def test_cli_validate_exits_non_zero_and_touches_nothing(tmp_path, capsys):
    path = tmp_path / "feeds.yaml"
    bad = "feeds:\n  - name: A\n    url: https://a.example/rss\n"
    path.write_text(bad, encoding="utf-8")
    assert run_cli("feeds", "validate", "--feeds", str(path)) == 2
    assert "entry #1 ('A'), field 'lang'" in capsys.readouterr().err.replace("\n", "")
    # a fetch with an invalid feeds file fails before writing anything
    assert run_cli("fetch", "--feeds", str(path), "--output", str(tmp_path / "out.jsonl")) == 2
    assert not (tmp_path / "out.jsonl").exists() and not (tmp_path / "data").exists()
    assert path.read_text(encoding="utf-8") == bad


def test_cli_add_list_remove(tmp_path, capsys):
    path = tmp_path / "feeds.yaml"
    assert run_cli("feeds", "add", "Next", "https://next.ink/feed/", "--lang", "fr", "--tag", "Policy", "--feeds", str(path)) == 0
    assert run_cli("feeds", "add", "Reg", "https://www.theregister.com/headlines.atom", "--lang", "en", "--relevance", "filter", "--feeds", str(path)) == 0
    feeds = load_feeds(path)
    assert [(f.name, f.lang, f.tags, f.relevance) for f in feeds] == [("Next", "fr", ["policy"], "all"), ("Reg", "en", [], "filter")]
    # invalid additions are refused and leave the file as it was
    before = path.read_text(encoding="utf-8")
    assert run_cli("feeds", "add", "Next", "https://other.example/rss", "--lang", "fr", "--feeds", str(path)) == 2
    assert run_cli("feeds", "add", "X", "https://x.example/rss", "--lang", "fr", "--relevance", "maybe", "--feeds", str(path)) == 2
    assert path.read_text(encoding="utf-8") == before
    capsys.readouterr()
    assert run_cli("feeds", "list", "--json", "--feeds", str(path)) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [r["name"] for r in listed] == ["Next", "Reg"] and listed[0]["consecutive_failures"] == 0
    assert run_cli("feeds", "remove", "https://next.ink/feed/", "--feeds", str(path)) == 0
    assert [f.name for f in load_feeds(path)] == ["Reg"]
    assert run_cli("feeds", "remove", "nope", "--feeds", str(path)) == 2


def test_feeds_list_gives_the_last_success_in_newsroom_timezone_with_the_zone(tmp_path, capsys, monkeypatch):
    """It printed the stored UTC instant cut to 19 characters, without a zone (00:36 for a fetch at 01:36 Paris)."""
    from datetime import UTC, datetime

    from pipeline.settings import get_settings
    from pipeline.state import FeedState, StateStore

    monkeypatch.setenv("NEWSROOM_TIMEZONE", "Europe/Paris")
    monkeypatch.setenv("COLUMNS", "250")
    get_settings.cache_clear()
    path = tmp_path / "feeds.yaml"
    assert run_cli("feeds", "add", "Next", "https://next.ink/feed/", "--lang", "fr", "--feeds", str(path)) == 0
    StateStore(get_settings().data_dir).save_feed_states(
        [FeedState(url="https://next.ink/feed/", last_success=datetime(2026, 12, 2, 0, 36, 16, tzinfo=UTC))])
    capsys.readouterr()
    assert run_cli("feeds", "list", "--feeds", str(path)) == 0
    out = capsys.readouterr().out
    assert "2026-12-02 01:36 CET" in out and "00:36" not in out
    assert run_cli("feeds", "list", "--json", "--feeds", str(path)) == 0
    assert json.loads(capsys.readouterr().out)[0]["last_success"] == "2026-12-02T00:36:16+00:00"  # JSON: the instant


def test_feeds_add_keeps_the_file_mode_and_writes_through_a_symlink(tmp_path):
    """A feeds file may hold credentials in `headers:`: editing it must not make it world-readable."""
    real = tmp_path / "secrets" / "feeds.yaml"
    real.parent.mkdir()
    real.write_text('feeds:\n  - {name: A, url: "https://a.example/rss", lang: fr, '
                    'headers: {Authorization: "Bearer SECRET"}}\n', encoding="utf-8")
    real.chmod(0o600)
    link = tmp_path / "feeds.yaml"
    link.symlink_to(real)
    assert run_cli("feeds", "add", "B", "https://b.example/rss", "--lang", "en", "--feeds", str(link)) == 0
    assert link.is_symlink() and [f.name for f in load_feeds(real)] == ["A", "B"]
    assert stat.S_IMODE(real.stat().st_mode) == 0o600
    assert run_cli("feeds", "remove", "A", "--feeds", str(link)) == 0
    assert link.is_symlink() and stat.S_IMODE(real.stat().st_mode) == 0o600
    assert sorted(p.name for p in real.parent.iterdir()) == ["feeds.yaml"]


# ------------------------------------------------------------------------------------------- OPML

OPML = b"""<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0"><head><title>My feeds</title></head><body>
  <outline text="Souverainete">
    <outline type="rss" text="Next" title="Next" xmlUrl="https://next.ink/feed/" language="fr-FR" category="policy,sovereignty"/>
    <outline type="rss" text="LeMagIT" xmlUrl="https://www.lemagit.fr/rss/ContentSyndication.xml"/>
  </outline>
  <outline type="rss" text="The Register" xmlUrl="https://www.theregister.com/headlines.atom" language="en"/>
</body></opml>"""


def test_opml_import_merges_and_export_round_trips(tmp_path, capsys):
    path = tmp_path / "feeds.yaml"
    opml_file = tmp_path / "in.opml"
    opml_file.write_bytes(OPML)
    assert run_cli("feeds", "import-opml", str(opml_file), "--feeds", str(path)) == 2  # LeMagIT has no language
    assert "LeMagIT" in capsys.readouterr().err and not path.exists()
    assert run_cli("feeds", "import-opml", str(opml_file), "--lang", "fr", "--feeds", str(path)) == 0
    feeds = load_feeds(path)
    assert [(f.name, f.lang) for f in feeds] == [("Next", "fr"), ("LeMagIT", "fr"), ("The Register", "en")]
    assert feeds[0].tags == ["policy", "sovereignty", "souverainete"]  # categories + parent folder
    # importing again adds nothing
    added, skipped = import_opml(path, OPML, "fr")
    assert added == [] and len(skipped) == 3
    # export → import into an empty file gives the same feeds
    exported = export_opml(feeds)
    assert run_cli("feeds", "export-opml", "--feeds", str(path), "--output", str(tmp_path / "out.opml")) == 0
    assert (tmp_path / "out.opml").read_text(encoding="utf-8").count("<outline") == 3
    copy = tmp_path / "copy.yaml"
    import_opml(copy, exported)
    assert [(f.name, str(f.url), f.lang, f.tags, f.relevance) for f in load_feeds(copy)] == [
        (f.name, str(f.url), f.lang, f.tags, f.relevance) for f in feeds
    ]


def test_an_opml_export_of_a_name_holding_a_noncharacter_reads_back(tmp_path):
    """A feed name or tag holding U+FFFE or U+FFFF (typed, or written as "\\uFFFE" in feeds.yaml) was written into the
    OPML as is: XML cannot hold them, so no reader could parse the export, `import-opml` included ("not valid
    OPML/XML"; hostile input, sixteenth round). They are left out of the XML."""
    path, out, back = tmp_path / "feeds.yaml", tmp_path / "out.opml", tmp_path / "back.yaml"
    assert run_cli("feeds", "add", "Le \ufffeMonde \uffff<a> & \"q\"", "https://www.lemonde.fr/rss/une.xml", "--lang", "fr",
                   "--tag", "\ufffeune", "--feeds", str(path)) == 0
    assert run_cli("feeds", "export-opml", "--feeds", str(path), "--output", str(out)) == 0
    assert run_cli("feeds", "import-opml", str(out), "--feeds", str(back)) == 0
    [feed] = load_feeds(back)
    assert (feed.name, str(feed.url), feed.tags) == ('Le Monde <a> & "q"', "https://www.lemonde.fr/rss/une.xml", ["une"])


def test_an_opml_export_that_fails_while_written_keeps_the_previous_file(tmp_path, monkeypatch):
    """`feeds export-opml -o` wrote in place: an error while the file was written (a disk full, a Ctrl-C; here text
    that cannot be encoded) left the earlier file empty. Now it is written whole or not at all, no temp file left."""
    import pipeline.cli.feeds_cmd as feeds_cmd

    path = tmp_path / "feeds.yaml"
    import_opml(path, OPML, "fr")
    output = tmp_path / "out.opml"
    output.write_text("<opml>the previous export</opml>", encoding="utf-8")
    real = feeds_cmd.export_opml
    monkeypatch.setattr(feeds_cmd, "export_opml", lambda entries: real(entries) + "\ud800")  # fails in the write
    with pytest.raises(UnicodeEncodeError):
        run_cli("feeds", "export-opml", "--feeds", str(path), "--output", str(output))
    assert output.read_text(encoding="utf-8") == "<opml>the previous export</opml>"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["feeds.yaml", "out.opml"]


def test_opml_import_writes_cleaned_names_and_reports_every_feed_it_wrote(tmp_path, capsys):
    """Names the Feed model cleans (line breaks, control characters, very long) were written raw and left out of
    the count and of the printed list."""
    opml = ('<opml version="2.0"><body>'
            '<outline text="Line&#10;break&#13;&#10;name: injected" xmlUrl="https://a.example/rss"/>'
            f'<outline text="{"N" * 100_000}" xmlUrl="https://b.example/rss"/>'
            '<outline text="Plain" xmlUrl="https://c.example/rss"/></body></opml>')
    path, source = tmp_path / "feeds.yaml", tmp_path / "in.opml"
    source.write_text(opml, encoding="utf-8")
    assert run_cli("feeds", "import-opml", str(source), "--lang", "en", "--feeds", str(path)) == 0
    out = capsys.readouterr().out
    written = load_feeds(path)
    assert "Imported 3 feed(s)" in out and len(written) == 3 and out.count("  + ") == 3
    assert written[0].name == "Line break name: injected" and "Line break name: injected" in out
    raw = path.read_text(encoding="utf-8")
    assert "N" * 1000 not in raw and "\\n" not in raw and [f.name for f in written][2] == "Plain"


def test_opml_import_of_20000_outlines_with_one_name_is_linear(tmp_path):
    """Each same-named entry tried « News (2) », « News (3) »… from 2 again: 20,000 outlines titled "News" (1.6 MB)
    cost 51 s of CPU, quadratic (hostile-input audit, fourth round). Numbers already taken are still skipped."""
    import time

    path = tmp_path / "feeds.yaml"
    path.write_text("feeds:\n  - {name: News, url: 'https://x.example.com/f', lang: en}\n"
                    "  - {name: news (3), url: 'https://y.example.com/f', lang: en}\n", encoding="utf-8")
    opml = ('<?xml version="1.0"?><opml version="2.0"><head><title>x</title></head><body>'
            + "".join(f'<outline type="rss" text="News" xmlUrl="https://n{i}.example.com/feed.xml"/>'
                      for i in range(20_000)) + "</body></opml>")
    started = time.process_time()
    added, skipped = import_opml(path, opml, "en")
    assert time.process_time() - started < 20  # 3.7 s here; 51 s before
    assert [f.name for f in added[:3]] == ["News (2)", "News (4)", "News (5)"] and added[-1].name == "News (20002)"
    assert len({f.name.casefold() for f in load_feeds(path)}) == 20_002 and skipped == []


def test_an_opml_nesting_folders_1000_deep_gives_each_feed_at_most_20_tags_in_linear_time(tmp_path, caplog):
    """Each folder level was a tag, copied for each level below: 1,000 nested folders with a feed in each (a 100 KB
    file) took 8 s to import and wrote 1,000 tags per feed, a 4.5 MB feeds.yaml read at every run."""
    path = tmp_path / "feeds.yaml"
    path.write_text("feeds: []\n")
    opml = tmp_path / "deep.opml"
    opml.write_text('<opml version="2.0"><body>' + "".join(
        f'<outline text="Folder {i}"><outline text="Feed {i}" xmlUrl="https://e{i}.example/rss"/>' for i in range(1_000))
        + "</outline>" * 1_000 + "</body></opml>", encoding="utf-8")
    started = time.process_time()
    assert run_cli("feeds", "import-opml", str(opml), "--lang", "en", "--feeds", str(path)) == 0
    assert time.process_time() - started < 5  # 11 s before
    feeds = load_feeds(path)
    assert len(feeds) == 1_000 and feeds[2].tags == ["folder-0", "folder-1", "folder-2"]
    assert max(len(f.tags) for f in feeds) == 20 and feeds[-1].tags == [f"folder-{i}" for i in range(20)]
    assert path.stat().st_size < 500_000  # 4.5 MB before
    assert "feed 'Feed 999': more than 20 tags from its categories and folders, the first 20 kept" in caplog.text


def test_opml_errors_are_clear(tmp_path):
    with pytest.raises(ConfigError, match="not valid OPML"):
        read_opml(b"<opml><body><outline", "fr")
    with pytest.raises(ConfigError, match="not an OPML document"):
        read_opml(b"<rss/>", "fr")
    feeds = tmp_path / "feeds.yaml"
    feeds.write_text("feeds:\n" + "".join(f"  - {{name: F{n}, url: 'https://e{n}.example/rss', lang: fr}}\n"
                                          for n in range(5)))
    bad = b"<opml><body><outline text='ok' xmlUrl='https://ok.example/rss'/><outline text='js' xmlUrl='javascript:x'/>" \
          b"</body></opml>"
    # the error names the OPML and its own entry #2, not an entry #7 of feeds.yaml that does not exist
    with pytest.raises(ConfigError, match=r"hostile\.opml: entry #2 \('js'\), field 'url'"):
        import_opml(feeds, bad, "fr", origin=str(tmp_path / "hostile.opml"))


# ------------------------------------------------------------------------------------------- parsing

RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>T</title><link>https://news.example/</link>
<item><title>Full item &amp; more</title><link>https://news.example/a.html?utm_source=rss</link>
  <pubDate>Fri, 20 Nov 2026 09:30:00 +0000</pubDate><author>jane@news.example (Jane Roe)</author>
  <description>&lt;p&gt;Un &lt;b&gt;résumé&lt;/b&gt; en HTML.&lt;/p&gt;</description></item>
<item><title>No date</title><link>/relative/b.html</link></item>
<item><description>No title nor link: skipped</description></item>
<item><link>https://news.example/c.html</link><description>No title</description><pubDate>Sat, 21 Nov 2026 10:00:00 GMT</pubDate></item>
<item><title>From the future</title><link>https://news.example/d.html</link><pubDate>Fri, 01 Jan 2100 10:00:00 GMT</pubDate></item>
<item><title>Via Google News</title><link>https://news.google.com/rss/articles/AU_opaque?oc=5</link>
  <description>&lt;a href="https://publisher.example/story.html"&gt;Story&lt;/a&gt;</description></item>
</channel></rss>"""


def test_parse_feed_handles_odd_items():
    now = datetime(2026, 11, 23, tzinfo=timezone.utc)
    parsed = parse_feed(RSS.encode(), FEED, now=now)
    assert parsed.bozo is None and parsed.entries == 6
    assert parsed.skipped == {"no-link": 1}
    by_url = {i.url: i for i in parsed.items}
    first = by_url["https://news.example/a.html"]
    assert first.article_id == article_id("https://news.example/a.html")
    assert first.title == "Full item & more" and first.summary == "Un résumé en HTML."
    assert first.published == datetime(2026, 11, 20, 9, 30, tzinfo=timezone.utc)
    assert first.feed_name == "Test feed" and first.feed_lang == "fr" and first.feed_tags == ["tech"]
    assert by_url["https://news.example/relative/b.html"].published is None  # relative link resolved, no date
    assert by_url["https://news.example/c.html"].title is None
    assert by_url["https://news.example/d.html"].published is None  # more than a day in the future: dropped
    assert "https://publisher.example/story.html" in by_url  # Google News link resolved from the item


def test_parse_malformed_feed_keeps_what_parsed():
    broken = RSS.split("<item><title>No date")[0] + "<item><title>Broken & unescaped</title><link>https://news.example/e.html</link></item>"
    parsed = parse_feed(broken.encode(), FEED)  # no closing tags, bare '&'
    assert parsed.bozo  # reported…
    assert "https://news.example/a.html" in {i.url for i in parsed.items}  # …but items kept


def test_parse_non_feed_reports_nothing_parsed():
    parsed = parse_feed(b"<html><body>Not a feed</body></html>", FEED)
    assert parsed.items == [] and parsed.bozo


LABELLED = """<?xml version="1.0" encoding="{declared}"?>
<rss version="2.0"><channel><title>Numérique souverain</title><link>https://news.example/</link>
<item><title>L’État et Mistral AI</title><link>https://news.example/etat.html</link></item></channel></rss>"""


@pytest.mark.parametrize("header, declared", [
    ("application/rss+xml; charset=undefined", "utf-8"),
    ("application/rss+xml; charset=punycode", "utf-8"),
    ("application/rss+xml", "undefined"),
    ("text/xml; charset=idna", "punycode"),
    ("application/rss+xml; charset=undefined", "undefined"),
])
def test_a_feed_labelled_with_a_codec_that_is_no_web_encoding_is_read_as_utf8(header, declared):
    """`codecs.lookup` knows 'undefined' and 'punycode', whose decoders raise a bare UnicodeError that feedparser lets
    through: the whole run used to end there. Such a label is ignored, as a browser ignores it."""
    parsed = parse_feed(LABELLED.format(declared=declared).encode("utf-8"), FEED, content_type=header)
    assert parsed.title == "Numérique souverain"
    assert [i.title for i in parsed.items] == ["L’État et Mistral AI"]


@pytest.mark.parametrize("declared", ["utf-16", "undefined", "iso-8859-1"])
@pytest.mark.parametrize("header", ["application/rss+xml", "application/rss+xml; charset=iso-8859-1",
                                    "text/xml; charset=utf-8", "application/rss+xml; charset=utf-16"])
@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_a_utf16_feed_is_read_by_its_byte_order_mark_whatever_its_labels_say(codec, header, declared):
    """A byte order mark says what the bytes are, whatever the labels (RFC 7303 §3; browsers read it first): a UTF-16
    feed served as `charset=iso-8859-1` was parsed as Latin-1 and lost whole (« not well-formed » at its first
    character), a big-endian one labelled `charset=utf-16` too, and one declaring 'undefined' was unreadable
    (eleventh hostile-input round)."""
    mark = codecs.BOM_UTF16_LE if codec.endswith("le") else codecs.BOM_UTF16_BE
    parsed = parse_feed(mark + LABELLED.format(declared=declared).encode(codec), FEED, content_type=header)
    assert parsed.bozo is None and parsed.title == "Numérique souverain"
    assert [i.title for i in parsed.items] == ["L’État et Mistral AI"]


def test_a_utf7_label_does_not_turn_text_into_markup():
    body = LABELLED.format(declared="utf-7").replace("L’État", "+ADw-script+AD4-").replace("é", "e").encode("ascii")
    parsed = parse_feed(body, FEED, content_type="application/rss+xml; charset=utf-7")
    assert [i.title for i in parsed.items] == ["+ADw-script+AD4- et Mistral AI"]


def test_parse_atom_and_max_items(fixture_site):
    import urllib.request

    body = urllib.request.urlopen(fixture_site.url("feeds/en-tech.xml")).read()
    feed = Feed(name="Ledger", url=fixture_site.url("feeds/en-tech.xml"), lang="en")
    parsed = parse_feed(body, feed)
    assert [i.url.rsplit("/", 1)[-1] for i in parsed.items] == [
        "sap-mistral-partnership.html",
        "openai-eu-data-residency.html",  # utm_* dropped
        "nvidia-export-rules.html",  # #comments dropped
    ]
    assert parsed.items[0].authors == ["Markus Weber"]
    limited = parse_feed(body, feed, max_items=2)
    assert len(limited.items) == 2 and limited.skipped["over-max-items"] == 1


def test_a_feed_over_the_item_limit_keeps_its_newest_items_whatever_their_order():
    """An archive feed listing its oldest items first had its new stories cut off on every run (red-team)."""
    def rss(days: list[int | None]) -> bytes:
        items = "".join(
            f"<item><title>Story {k}</title><link>https://news.example/s{k}</link>"
            + (f"<pubDate>{day:02d} Nov 2026 10:00:00 +0000</pubDate>" if day else "") + "</item>"
            for k, day in enumerate(days))
        return f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>{items}</channel></rss>'.encode()

    def links(parsed):
        return [i.url.rsplit("/", 1)[-1] for i in parsed.items]

    oldest_first = parse_feed(rss([1, 2, 3, 4, 5, 6]), FEED, max_items=3)
    assert links(oldest_first) == ["s3", "s4", "s5"] and oldest_first.skipped["over-max-items"] == 3
    assert links(parse_feed(rss([6, 5, 4, 3, 2, 1]), FEED, max_items=3)) == ["s0", "s1", "s2"]
    assert links(parse_feed(rss([1, None, 9, 2]), FEED, max_items=2)) == ["s2", "s3"]  # undated ones go first
    assert links(parse_feed(rss([None] * 4), FEED, max_items=2)) == ["s0", "s1"]  # no dates: the feed's order


def test_feed_items_with_host_less_links_or_implausible_dates():
    """`http://` alone is skipped (feedparser would resolve it to the feed's own URL); dates before 1990 or more
    than 2 days ahead become unknown; single-line fields lose their line breaks and control characters."""
    rss = """<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>
<item><title>No host</title><link>http://</link><description>x</description></item>
<item><title>Old&#13;&#10;Bcc: x@evil.example</title><link>https://news.example/old.html</link>
<pubDate>Mon, 01 Jan 1900 00:00:00 GMT</pubDate><author>a@b.example (Eve&#10;Mallory)</author></item>
<item><title>Year one</title><link>https://news.example/one.html</link><pubDate>Mon, 01 Jan 0001 00:00:00 GMT</pubDate></item>
<item><title>Fine</title><link>https://news.example/fine.html</link><pubDate>Fri, 20 Nov 2026 09:00:00 GMT</pubDate></item>
</channel></rss>"""
    now = datetime(2026, 11, 23, tzinfo=timezone.utc)
    feed = Feed(name="Feed\r\nname", url="https://u:p@news.example/feed.xml?token=x", lang="en")
    parsed = parse_feed(rss.encode(), feed, now=now)
    by_url = {item.url: item for item in parsed.items}
    assert set(by_url) == {"https://news.example/old.html", "https://news.example/one.html",
                           "https://news.example/fine.html"}
    assert parsed.skipped == {"no-link": 1}
    assert by_url["https://news.example/old.html"].published is None
    assert by_url["https://news.example/one.html"].published is None
    assert by_url["https://news.example/fine.html"].published == datetime(2026, 11, 20, 9, tzinfo=timezone.utc)
    assert "https://news.example/old.html" in parsed.implausible_dates
    old = by_url["https://news.example/old.html"]
    assert old.title == "Old Bcc: x@evil.example" and old.feed_name == "Feed name"
    assert all("\n" not in author for author in old.authors)


WP_RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>t</title>
<item><title>Soitec supprime 200 postes<br/>en Isère</title><link>https://news.example/soitec.html</link>
<description><![CDATA[<p><img src="/img/soitec.jpg" alt=""></p><p>Soitec a confirmé jeudi la suppression de 200 postes
à Bernin.</p><div>Les syndicats appellent à la grève lundi devant l&#8217;usine iséroise.</div><ul><li>200 postes</li><li>Bernin</li>
</ul><p><a href="https://news.example/soitec.html">Lire la suite &raquo;</a></p><p>L&#8217;article <a href="https://news.example/soitec.html">Soitec
supprime 200 postes en Isère</a> est apparu en premier sur <a href="https://news.example/">La Voix du Nord-Est</a>.</p>]]></description></item>
<item><title>Intel cuts</title><link>https://news.example/intel.html</link>
<description><![CDATA[Intel will cut 5,000 jobs in Ohio,<br>the union said, and more may follow&#8230; [&#8230;]
<p><a href="https://news.example/intel.html">Continue reading &#8594;</a></p>
<p>The post <a href="https://news.example/intel.html">Intel cuts</a> appeared first on <a href="https://news.example/">The Ledger</a>.</p>]]></description></item>
</channel></rss>"""


def test_feed_summaries_keep_paragraph_breaks_and_lose_feed_footers():
    """Block elements and <br> end a line (text_content() alone glued « iséroise.Lire la suite »); the footers
    WordPress and others append are dropped, so the feed-summary fallback stores only the summary."""
    from pipeline.extract import article_from_summary

    parsed = parse_feed(WP_RSS.encode(), FEED, now=datetime(2026, 11, 23, tzinfo=timezone.utc))
    soitec, intel = parsed.items
    assert soitec.summary == ("Soitec a confirmé jeudi la suppression de 200 postes à Bernin.\n"
                              "Les syndicats appellent à la grève lundi devant l’usine iséroise.\n200 postes\nBernin")
    assert soitec.title == "Soitec supprime 200 postes en Isère"  # titles stay on one line
    assert intel.summary == "Intel will cut 5,000 jobs in Ohio,\nthe union said, and more may follow…"
    article = article_from_summary(soitec)
    assert article.text == soitec.summary and "Voix du Nord-Est" not in article.text
    assert html_to_text("Read more about the AI Act") == "Read more about the AI Act"  # a title, not a footer


def test_secrets_in_urls_are_masked_for_logs_records_and_state():
    from pipeline.sinks import mask_secrets, mask_url

    assert mask_url("https://bob:pw@news.example/feed?token=abc&page=2&API-Key=k") == \
        "https://***@news.example/feed?token=***&page=2&API-Key=***"
    assert mask_url("https://news.example/feed?q=ai") == "https://news.example/feed?q=ai"
    text = "feed failed: http://u:secret@x.example/a?sig=s1 refused, see https://ok.example/?id=3"
    assert mask_secrets(text) == "feed failed: http://***@x.example/a?sig=*** refused, see https://ok.example/?id=3"


def test_feed_state_holds_no_credentials_yet_keeps_two_tokens_apart(tmp_path):
    from pipeline.state import StateStore

    store = StateStore(tmp_path)
    first, second = "https://news.example/feed?token=AAA111", "https://news.example/feed?token=BBB222"
    store.record_failure(first, f"{first}: HTTP 500")
    store.record_failure(first, "HTTP 500")
    store.record_failure(second, "HTTP 503 from https://u:pw@news.example/feed")
    assert (store.feed_state(first).consecutive_failures, store.feed_state(second).consecutive_failures) == (2, 1)
    raw = b"".join(p.read_bytes() for p in tmp_path.glob("fetch-state.sqlite3*"))
    assert b"AAA111" not in raw and b"BBB222" not in raw and b"pw@" not in raw
    assert all("token=***" in state.url for state in store.all_feed_states())


@pytest.mark.parametrize(("author", "expected"), [
    ("<author>newsdesk@dailycourier.example (Priya Natarajan)</author>", ["Priya Natarajan"]),
    ("<author>desk@news.media (Anne Roy)</author>", ["Anne Roy"]),  # feedparser alone gives "a (Anne Roy"
    ("<author>nobody@example.com</author>", []),
    ("<dc:creator>Julien Mercier et Anne-Sophie Leroux</dc:creator>", ["Julien Mercier", "Anne-Sophie Leroux"]),
    ("<dc:creator>By Jane Doe and John Roe</dc:creator>", ["Jane Doe", "John Roe"]),
    ("<dc:creator>Par CLAIRE FONTAINE</dc:creator>", ["Claire Fontaine"]),
    ("<dc:creator>Par Anne-Sophie Mercier, à Bruxelles</dc:creator>", ["Anne-Sophie Mercier"]),  # audit sites4 #8
    ("<dc:creator>Par Claire Fontaine avec AFP</dc:creator>", ["Claire Fontaine"]),
    # a CMS account's login names nobody, so the page's byline is read (mini news sites, holdout: a Drupal feed's
    # « jmercier » and « redaction » were stored as the authors); a one-word name with a capital stays
    ("<dc:creator>jmercier</dc:creator>", []),
    ("<dc:creator>redaction</dc:creator>", []),
    ("<dc:creator>web_team</dc:creator>", []),
    ("<dc:creator>Zhou</dc:creator>", ["Zhou"]),
    # an address, a handle or a link names nobody; the names beside them stay (eleventh hostile-input round: these
    # were stored as the authors « Bcc: victim@example.org (Evil », "https" and "evil.example")
    ("<author>evil@example.org&#13;&#10;Bcc: victim@example.org (Evil)</author>"
     "<dc:creator>https://evil.example/u?token=s3cr3t</dc:creator>", []),
    ("<dc:creator>Jane Doe &lt;jane@ledger.media&gt;, https://ledger.media/authors/jane</dc:creator>", ["Jane Doe"]),
    ("<dc:creator>Julien Mercier (@jmercier) et www.exemple.fr/auteurs/anne</dc:creator>", ["Julien Mercier"]),
])
def test_feed_authors_are_cleaned_like_bylines(author, expected):
    rss = f"""<?xml version="1.0"?><rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>
<title>t</title><item><title>A</title><link>https://news.example/a.html</link>{author}</item></channel></rss>"""
    assert parse_feed(rss.encode(), FEED).items[0].authors == expected


def test_atom_authors_with_e_mail_addresses_keep_their_names():
    atom = """<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>
<entry><title>A</title><link href="https://news.example/a.html"/><updated>2026-11-20T09:00:00Z</updated>
<author><name>Jane Doe</name><email>jane@ledger.media</email></author><author><name>John Roe</name></author></entry>
<entry><title>B</title><link href="https://news.example/b.html"/><updated>2026-11-20T09:00:00Z</updated>
<author><name>Jane Doe</name><email>jane@ledger.media</email></author></entry></feed>"""
    parsed = parse_feed(atom.encode(), FEED)
    assert [i.authors for i in parsed.items] == [["Jane Doe", "John Roe"], ["Jane Doe"]]


def test_the_feeds_own_name_as_author_names_nobody():
    atom = """<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>The Tech Ledger — Technology</title>
<entry><title>A</title><link href="https://news.example/a.html"/><updated>2026-11-20T09:00:00Z</updated>
<author><name>The Tech Ledger</name></author></entry>
<entry><title>B</title><link href="https://news.example/b.html"/><updated>2026-11-20T09:00:00Z</updated>
<author><name>Stephen Nellis</name></author></entry>
<entry><title>C</title><link href="https://news.example/c.html"/><updated>2026-11-20T09:00:00Z</updated>
<author><name>Test feed</name></author></entry></feed>"""
    assert [i.authors for i in parse_feed(atom.encode(), FEED).items] == [[], ["Stephen Nellis"], []]


def test_an_atom_feed_s_own_author_is_the_author_of_entries_that_name_none():
    """RFC 4287 (4.2.1): the feed's <author> applies to an entry without one. A one-person blog's Atom feed (Hugo,
    mini news sites, round two) names its author once, and the posts were stored without any. An RSS channel's
    <managingEditor>, which feedparser also calls the feed's author, is no item's author; the publication's own name
    still names nobody."""
    atom = """<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Packets &amp; Policy</title>
<author><name>Tomás Ferreira</name></author>
<entry><title>A</title><link href="https://news.example/a.html"/><updated>2026-11-20T09:00:00Z</updated></entry>
<entry><title>B</title><link href="https://news.example/b.html"/><updated>2026-11-20T09:00:00Z</updated>
<author><name>Guest Writer</name></author></entry></feed>"""
    assert [i.authors for i in parse_feed(atom.encode(), FEED).items] == [["Tomás Ferreira"], ["Guest Writer"]]
    own = atom.replace("<name>Tomás Ferreira</name>", "<name>Packets &amp; Policy</name>")
    assert [i.authors for i in parse_feed(own.encode(), FEED).items] == [[], ["Guest Writer"]]
    rss = """<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>
<managingEditor>desk@news.example (Anne Roy)</managingEditor>
<item><title>A</title><link>https://news.example/a.html</link></item></channel></rss>"""
    assert parse_feed(rss.encode(), FEED).items[0].authors == []


def test_feed_dates_in_french_or_with_european_zone_names_are_read():
    dates = ["mar., 02 déc. 2026 10:30:00 +0100", "Tue, 02 Dec 2026 10:30:00 CET", "Tue, 02 Dec 2026 11:30:00 CEST",
             "Tue, 02 Dec 2026 10:30:00", "Tue, 02 Dec 2026 04:30:00 EST",  # no zone: Paris time in a French feed "2026-12-02T10:30:00+01:00",
             # a French weekday before a month that reads as English: feedparser dropped these silently
             "mar., 02 dec. 2026 10:30:00 +0100", "Mar, 02 Dec 2026 10:30:00 +0100", "mer, 2 déc. 2026 10:30 +0100"]
    items = "".join(f"<item><title>T{n}</title><link>https://news.example/{n}.html</link><pubDate>{d}</pubDate></item>"
                    for n, d in enumerate(dates))
    body = f"<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>T</title>{items}</channel></rss>"
    parsed = parse_feed(body.encode(), FEED, now=datetime(2026, 12, 3, tzinfo=timezone.utc))
    # CET and CEST were read as UTC, the French date was dropped
    assert [i.published for i in parsed.items] == [datetime(2026, 12, 2, 9, 30, tzinfo=timezone.utc)] * len(dates)


def test_the_full_story_in_content_encoded_is_the_fallback_text_not_the_teaser():
    story = "".join(f"<p>Paragraphe {n} : Mistral AI et OVHcloud signent un accord à Roubaix.</p>" for n in range(4))
    body = ("<?xml version='1.0' encoding='utf-8'?><rss version='2.0' "
            "xmlns:content='http://purl.org/rss/1.0/modules/content/'><channel><title>T</title>"
            "<item><title>Accord</title><link>https://news.example/a.html</link>"
            "<description>Mistral AI et OVHcloud signent…</description>"
            f"<content:encoded><![CDATA[{story}]]></content:encoded></item></channel></rss>")
    [item] = parse_feed(body.encode(), FEED).items
    assert item.summary.count("Paragraphe") == 4 and "Roubaix" in item.summary


def test_a_json_feed_is_named_as_such():
    body = b'{"version": "https://jsonfeed.org/version/1.1", "title": "T", "items": []}'
    parsed = parse_feed(body, FEED, content_type="application/feed+json")
    assert "JSON Feed" in parsed.bozo and parsed.not_a_feed  # not retried: it fails the same way every run


def test_a_json_feed_writing_its_version_last_or_any_json_answer_is_named_and_not_retried():
    """JSON keys have no order: a JSON Feed whose `version` came after 2,000 bytes of items, or the JSON answer of an
    API, failed as "SAXParseException: not well-formed (invalid token)", retried every run (hostile input, 22nd
    round)."""
    items = ",".join(f'{{"id": "{n}", "url": "https://news.example/{n}.html", "title": "Mistral AI {n}"}}'
                     for n in range(60))
    late = f'\ufeff {{"title": "T", "items": [{items}], "version": "https://jsonfeed.org/version/1.1"}}'.encode()
    parsed = parse_feed(late, FEED, content_type="application/feed+json")
    assert parsed.bozo.startswith("a JSON Feed (jsonfeed.org), which newsroom does not read") and parsed.not_a_feed
    assert parsed.items == []
    api = parse_feed(b'[{"error": "rate limited"}]', FEED, content_type="application/json")
    assert api.bozo == "a JSON document, not an RSS or Atom feed: find the site's feed URL" and api.not_a_feed
    deep = parse_feed(b"[" * 100_000 + b"]" * 100_000, FEED)  # nested past Python's recursion limit: no crash
    assert deep.items == [] and deep.bozo


def test_a_web_page_configured_as_a_feed_names_the_feeds_it_advertises():
    """It failed with "SAXParseException: mismatched tag", as retryable, every run (red-team)."""
    page = ('<!DOCTYPE html><html><head><title>Euro Hebdo</title>'
            '<link rel="alternate" type="application/rss+xml" title="RSS" href="/d/real-feed.xml">'
            "<link rel='alternate stylesheet' href='/x.css'><link rel=alternate type=application/atom+xml "
            'href="https://euro.example/atom.xml?a=1&amp;b=2"></head><body><p>Accueil<br></div></body></html>')
    parsed = parse_feed(page.encode(), FEED, base_url="https://euro.example/d/home.html")
    assert parsed.not_a_feed and parsed.items == []
    assert parsed.bozo.startswith("a web page, not a feed; it advertises https://euro.example/d/real-feed.xml, "
                                  "https://euro.example/atom.xml?a=1&b=2: put that URL in the feeds file")
    bare = parse_feed(b"<html><body><p>Nothing here</p></body></html>", FEED)
    assert bare.not_a_feed and "advertises none" in bare.bozo


GOOGLE_NEWS_RSS = """<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/"><channel>
<title>"Mistral AI" - Google Actualités</title><link>https://news.google.com/search?q=mistral</link>
<item><title>Mistral AI lève 1,7 milliard d'euros - Le Monde</title>
<link>https://news.google.com/rss/articles/CBMiswFBVV95cUxNZk5hX2xPZ0RqT2V4?oc=5</link>
<guid isPermaLink="false">CBMiswFBVV95cUxNZk5hX2xPZ0RqT2V4</guid><pubDate>Tue, 01 Dec 2026 08:00:00 GMT</pubDate>
<description>&lt;a href="https://news.google.com/rss/articles/CBMiswFBVV95cUxNZk5hX2xPZ0RqT2V4?oc=5" target="_blank"&gt;Mistral AI lève 1,7 milliard d'euros&lt;/a&gt;&amp;nbsp;&amp;nbsp;&lt;font color="#6f6f6f"&gt;Le Monde&lt;/font&gt;</description>
<source url="https://www.lemonde.fr">Le Monde</source></item>
<item><title>Le Monde - Mistral AI ouvre un bureau à Londres selon Le Monde</title>
<link>https://news.google.com/rss/articles/CBMiAAAA?oc=5</link><description>Un article publié par le quotidien Le Monde</description>
<source url="https://www.lemonde.fr">Le Monde</source></item>
</channel></rss>"""


def test_google_news_items_lose_the_publisher_suffix_and_name_the_publisher():
    from pipeline.extract import article_from_summary

    items = parse_feed(GOOGLE_NEWS_RSS.encode(), FEED).items
    first, second = items
    assert first.title == "Mistral AI lève 1,7 milliard d'euros"
    assert first.summary == "Mistral AI lève 1,7 milliard d'euros" and first.site_name == "Le Monde"
    # the publisher's name inside a headline or a summary sentence is part of it
    assert second.title == "Le Monde - Mistral AI ouvre un bureau à Londres selon Le Monde"
    assert second.summary == "Un article publié par le quotidien Le Monde"
    fallback = article_from_summary(first)
    assert (fallback.title, fallback.site_name) == ("Mistral AI lève 1,7 milliard d'euros", "Le Monde")


def test_medium_and_substack_footers_leave_the_feed_summary():
    from pipeline.extract import article_from_summary

    para = "<p>Two years ago I moved our company's inference workloads from Amazon Web Services to Scaleway.</p>"
    medium = (f"<h3>Scaleway's bet against AWS is working</h3>{para}<hr><p><a href='https://medium.com/@a/s-7f3c'>"
              "Scaleway's bet against AWS is working</a> was originally published in <a href='https://medium.com/@a'>"
              "Alex Moreau on Medium</a>, where people are continuing the conversation by highlighting and responding "
              "to this story.</p>")
    substack = (f"{para}<div class='subscription-widget-wrap'><p class='cta-caption'>Thanks for reading Sovereign Stack! "
                "Subscribe for free to receive new posts and support my work.</p><form><input type='submit' "
                "value='Subscribe'></form></div><p>Investors love it: NVDA is up 38% this year.</p>"
                "<p><a href='https://x.substack.com/p/y?utm_source=substack&amp;action=share'>Share</a></p>")
    rss = f"""<?xml version="1.0"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>
<title>t</title><item><title>Scaleway's bet against AWS is working</title><link>https://medium.example/a</link>
<content:encoded><![CDATA[{medium}]]></content:encoded></item>
<item><title>Why Europe can't quit Nvidia</title><link>https://x.substack.example/p/y</link>
<description>Teaser</description><content:encoded><![CDATA[{substack}]]></content:encoded></item></channel></rss>"""
    first, second = parse_feed(rss.encode(), FEED).items
    story = "Two years ago I moved our company's inference workloads from Amazon Web Services to Scaleway."
    assert article_from_summary(first).text == story  # no repeated headline, no footer
    assert second.summary == f"{story}\nInvestors love it: NVDA is up 38% this year."


def test_an_unresolved_google_news_item_falls_back_to_its_summary_with_a_counted_reason(httpserver, tmp_path):
    httpserver.expect_request("/gnews.xml").respond_with_data(GOOGLE_NEWS_RSS, content_type="application/rss+xml")
    feed = Feed(name="Google News — Mistral", url=httpserver.url_for("/gnews.xml"), lang="fr")
    articles, collector = collect_articles([feed], tmp_path)
    assert [a.extraction for a in articles] == ["feed-summary", "feed-summary"]
    assert collector.stats.fallback_reasons == {"unresolved-aggregator-link": 2}
    assert {(a.title, a.site_name) for a in articles} >= {("Mistral AI lève 1,7 milliard d'euros", "Le Monde")}
    assert [request.path for request, _ in httpserver.log] == ["/gnews.xml"]  # nor Google's robots.txt or page asked


def _versions(items: list[tuple[str, str | None]]) -> list[str]:
    body = "".join(f"<item><title>{t}</title><link>https://example.com/{n}</link>"
                   + (f"<pubDate>{d}</pubDate>" if d else "") + "</item>" for n, (t, d) in enumerate(items))
    return [i.version for i in parse_feed(f'<rss version="2.0"><channel>{body}</channel></rss>'.encode(), FEED).items]


def test_an_item_counts_as_updated_for_a_new_title_or_a_later_date_only():
    from pipeline.feeds import item_updated

    [v1] = _versions([("Microsoft to launch", "Mon, 30 Nov 2026 08:00:00 +0000")])
    [later] = _versions([("Microsoft to launch", "Mon, 30 Nov 2026 19:30:00 +0000")])
    [retitled] = _versions([("UPDATE 1-Microsoft delays", "Mon, 30 Nov 2026 08:00:00 +0000")])
    [undated] = _versions([("Microsoft to launch", None)])
    assert item_updated(v1, later) and item_updated(v1, retitled)
    assert not item_updated(v1, v1) and not item_updated(later, v1) and not item_updated(v1, undated)
    assert not item_updated(None, v1)  # stored before versions existed
    # a feed stamping every item with its build time: the stamp is ignored, the title still counts
    stamped = _versions([(f"Story {n}", "Tue, 01 Dec 2026 10:00:00 +0000") for n in range(3)])
    restamped = _versions([(f"Story {n}", "Tue, 01 Dec 2026 11:00:00 +0000") for n in range(3)])
    assert not any(item_updated(a, b) for a, b in zip(stamped, restamped))
    # the same story in another feed, under another title: not an update
    other = [i.version for i in parse_feed(
        b'<rss version="2.0"><channel><item><title>Microsoft delays</title><link>https://example.com/0</link>'
        b"<pubDate>Tue, 01 Dec 2026 08:00:00 +0000</pubDate></item></channel></rss>",
        FEED.model_copy(update={"url": "https://other.example.com/feed.xml"})).items]
    assert not item_updated(v1, other[0])


FRENCH = """<?xml version="1.0" encoding="{declared}"?>
<rss version="2.0"><channel><title>Numérique</title><link>https://news.example/</link>
<item><title>Mistral AI lève 1,7 milliard d’euros à Paris</title><link>https://news.example/a.html</link>
<description>Le président a été reçu à l’Élysée.</description></item>
<item><title>{second}</title><link>https://news.example/b.html</link></item></channel></rss>"""


def test_one_stray_latin1_byte_in_a_utf8_feed_does_not_turn_it_into_mojibake():
    body = FRENCH.format(declared="utf-8", second="Caf@ (latin-1 byte)").encode("utf-8").replace(b"@", b"\xe9")
    parsed = parse_feed(body, FEED, content_type="application/rss+xml; charset=utf-8")
    assert [i.title for i in parsed.items] == ["Mistral AI lève 1,7 milliard d’euros à Paris", "Caf\ufffd (latin-1 byte)"]
    assert parsed.items[0].summary == "Le président a été reçu à l’Élysée."
    assert parsed.bozo == "1 byte(s) that are not UTF-8 in a UTF-8 feed, replaced by U+FFFD"  # counted as malformed


@pytest.mark.parametrize("header", ["text/xml; charset=windows-1252", "application/rss+xml; charset=iso-8859-1",
                                    "text/xml"])
@pytest.mark.parametrize("declared", ["windows-1252", "utf-8"])
def test_a_utf8_feed_labelled_windows_1252_is_read_as_utf8(header, declared):
    parsed = parse_feed(FRENCH.format(declared=declared, second="Café").encode("utf-8"), FEED, content_type=header)
    assert [i.title for i in parsed.items] == ["Mistral AI lève 1,7 milliard d’euros à Paris", "Café"]
    assert parsed.bozo is None


@pytest.mark.parametrize("header", ["text/xml; charset=windows-1252", "application/rss+xml", None])
@pytest.mark.parametrize("declared, codec", [("windows-1252", "cp1252"), ("iso-8859-1", "cp1252")])
def test_a_genuine_windows_1252_or_latin1_feed_still_decodes_right(header, declared, codec):
    body = FRENCH.format(declared=declared, second="Café").encode(codec)
    assert b"\xe9" in body and b"\x92" in body  # é and ’ in windows-1252
    parsed = parse_feed(body, FEED, content_type=header)
    assert [i.title for i in parsed.items] == ["Mistral AI lève 1,7 milliard d’euros à Paris", "Café"]
    assert parsed.items[0].summary == "Le président a été reçu à l’Élysée."


@pytest.mark.parametrize("reference", ["&#xD800;", "&#55296;", "&#xDFFF;", "&#x110000;", "&#99999999999;"])
def test_a_lone_surrogate_or_out_of_range_reference_in_one_item_keeps_the_feed(reference):
    good = "".join(f"<item><title>Good {i} Mistral AI</title><link>https://news.example.com/a{i}.html</link></item>"
                   for i in range(3))
    bad = f"<item><title>Bad {reference} title</title><link>https://news.example.com/bad.html</link></item>"
    body = (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>t</title>{good}{bad}'
            '</channel></rss>').encode()
    parsed = parse_feed(body, FEED)
    assert [i.title for i in parsed.items] == ["Good 0 Mistral AI", "Good 1 Mistral AI", "Good 2 Mistral AI",
                                              "Bad \ufffd title"]
    assert "unknown encoding" not in (parsed.bozo or "")


def test_an_item_link_with_credentials_is_kept_without_them():
    body = ('<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><item><title>Mistral AI</title>'
            '<link>http://user:pa55@news.example/a.html?id=3</link></item></channel></rss>').encode()
    [item] = parse_feed(body, FEED).items
    assert item.url == "http://news.example/a.html?id=3"
    assert item.article_id == article_id("http://news.example/a.html?id=3")


@pytest.mark.parametrize(("content", "expected"), [
    ("", "lists no feed"),
    ("feeds: []\n", "lists no feed"),
    ("feeds:\n  - {name: A, url: 'https://a.example/rss', lang: fr, enabled: false}\n", "every feed (1) is disabled"),
])
def test_a_feeds_file_without_an_enabled_feed_is_refused_by_validate_and_ingest(tmp_path, capsys, content, expected):
    path = tmp_path / "feeds.yaml"
    path.write_text(content, encoding="utf-8")
    assert run_cli("feeds", "validate", "--feeds", str(path)) == 2
    message = capsys.readouterr().err.replace("\n", "")
    assert str(path) in message and expected in message and "valid." not in message
    # nothing fetched, nothing stored, no green run that monitored nothing (`fetch` writes an empty file with a note)
    assert run_cli("ingest", "--feeds", str(path), "--no-progress") == 2
    assert expected in capsys.readouterr().err.replace("\n", "")
    assert not (tmp_path / "data").exists()


def test_removing_the_last_feed_warns_that_nothing_is_monitored(tmp_path, capsys):
    path = tmp_path / "feeds.yaml"
    assert run_cli("feeds", "add", "Next", "https://next.ink/feed/", "--lang", "fr", "--feeds", str(path)) == 0
    capsys.readouterr()
    assert run_cli("feeds", "remove", "Next", "--feeds", str(path)) == 0
    assert "now lists no enabled feed" in capsys.readouterr().err


@pytest.mark.parametrize("opml", [
    '<?xml version="1.0"?>\n<opml version="2.0"><body><outline text="A" xmlUrl="http://a.example/rss"/></body></opml>\n',
    '<?xml version="1.0"?>\n<opml version="2.0">\n  <body>\n    <outline text="A: b" xmlUrl="http://a.example/rss"/>\n'
    '  </body>\n</opml>\n',  # not even YAML
])
def test_an_opml_file_given_as_the_feeds_file_says_to_import_it(tmp_path, capsys, opml):
    path = tmp_path / "subscriptions.opml"
    path.write_text(opml, encoding="utf-8")
    for args in (["feeds", "validate"], ["feeds", "add", "X", "https://x.example/rss", "--lang", "fr"]):
        assert run_cli(*args, "--feeds", str(path)) == 2
        err = capsys.readouterr().err.replace("\n", "")
        assert f"is an OPML file, not a feeds file (YAML): import its feeds with `newsroom feeds import-opml {path}`" \
            in err and "FeedsFile" not in err
    assert path.read_text(encoding="utf-8") == opml


def test_import_opml_names_a_directory_for_what_it_is(tmp_path, capsys):
    assert run_cli("feeds", "import-opml", str(tmp_path), "--feeds", str(tmp_path / "feeds.yaml")) == 2
    assert f"OPML file {tmp_path} is a directory, not a file." in capsys.readouterr().err.replace("\n", "")


FEEDBURNER_RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:feedburner="http://rssnamespace.org/feedburner/ext/1.0" version="2.0">
<channel><title>The Compute Ledger</title><link>{base}/ledger/</link><description>Chips and clouds</description>
<feedburner:info uri="thecomputeledger"/>
<item><title>SAP launches a sovereign cloud region in Germany</title>
<link>{base}/~r/TheComputeLedger/~3/AbCdEf12345/</link>
<description>SAP opened a sovereign cloud region near Frankfurt on Wednesday.&lt;img src="http://feeds.feedburner.com/~r/TheComputeLedger/~4/AbCdEf12345" height="1" width="1" alt=""/&gt;</description>
<pubDate>Wed, 02 Dec 2026 11:00:00 +0000</pubDate><dc:creator>Mark Evans</dc:creator>
<guid isPermaLink="false">{base}/ledger/?p=88</guid>
<feedburner:origLink>{base}/ledger/sap-sovereign-cloud.html</feedburner:origLink></item>
</channel></rss>"""
LEDGER_RSS = """<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>The Compute Ledger</title>
<link>{base}/ledger/</link><description>Chips and clouds</description>
<item><title>SAP launches a sovereign cloud region in Germany</title><link>{base}/ledger/sap-sovereign-cloud.html</link>
<description>SAP opened a sovereign cloud region near Frankfurt on Wednesday.</description>
<pubDate>Wed, 02 Dec 2026 11:00:00 +0000</pubDate><guid isPermaLink="false">{base}/ledger/?p=88</guid></item>
</channel></rss>"""


def test_a_feedburner_item_is_the_publishers_page_named_by_its_origlink(httpserver, tmp_path):
    """FeedBurner proxies link items through feedproxy.google.com, which no longer redirects: the story fell back to
    its summary (http-404) and was a second article beside the publisher's own feed's."""
    base = httpserver.url_for("").rstrip("/")
    story = " ".join(["SAP opened a sovereign cloud region near Frankfurt on Wednesday, run by a German subsidiary."] * 12)
    page = (f'<html lang="en"><head><title>SAP launches a sovereign cloud region in Germany</title><link rel="canonical" '
            f'href="{base}/ledger/sap-sovereign-cloud.html"></head><body><article><h1>SAP launches a sovereign cloud '
            f'region in Germany</h1><p>{story}</p></article></body></html>')
    httpserver.expect_request("/feedburner.xml").respond_with_data(FEEDBURNER_RSS.format(base=base),
                                                                   content_type="application/rss+xml")
    httpserver.expect_request("/ledger/feed.xml").respond_with_data(LEDGER_RSS.format(base=base),
                                                                    content_type="application/rss+xml")
    httpserver.expect_request("/ledger/sap-sovereign-cloud.html").respond_with_data(page, content_type="text/html")
    httpserver.expect_request("/~r/TheComputeLedger/~3/AbCdEf12345/").respond_with_data("Not Found", status=404)
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    feeds = [Feed(name="The Compute Ledger (FeedBurner)", url=f"{base}/feedburner.xml", lang="en"),
             Feed(name="The Compute Ledger", url=f"{base}/ledger/feed.xml", lang="en")]
    articles, collector = collect_articles(feeds, tmp_path)
    assert [(a.url, a.extraction) for a in articles] == [(f"{base}/ledger/sap-sovereign-cloud.html", "trafilatura")]
    assert collector.stats.duplicates == 1
    assert not any(request.path.startswith("/~r/") for request, _ in httpserver.log)


SPIP_RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel xml:lang="fr">
<title>Le Petit Journal du Cloud</title><link>{base}/</link><description>Le cloud en Lorraine</description>
<generator>SPIP - www.spip.net</generator>
<item><title>Le cloud souverain séduit les collectivités lorraines</title><guid isPermaLink="true">{base}/article-42.html</guid>
<dc:date>2026-12-03T09:30:00</dc:date><pubDate>Thu, 03 Dec 2026 09:30:00</pubDate><dc:creator>Marc Henry</dc:creator>
<description>Une vingtaine de collectivités ont choisi des hébergeurs qualifiés SecNumCloud.</description></item>
</channel></rss>"""


def test_a_feed_time_written_without_a_zone_is_the_sites_local_time(httpserver, tmp_path):
    """SPIP and hand-made feeds write Paris time without a zone (« Thu, 03 Dec 2026 09:30:00 »): it was read as UTC,
    and, the page giving the day only, the story was stored an hour late."""
    base = httpserver.url_for("").rstrip("/")
    text = " ".join(["Une vingtaine de collectivités de Lorraine ont choisi des hébergeurs qualifiés SecNumCloud."] * 10)
    httpserver.expect_request("/backend.xml").respond_with_data(SPIP_RSS.format(base=base),
                                                                content_type="application/rss+xml")
    httpserver.expect_request("/article-42.html").respond_with_data(
        '<html lang="fr"><head><title>Le cloud souverain séduit les collectivités lorraines</title>'
        '<meta name="date" content="2026-12-03"></head><body><h1>Le cloud souverain séduit les collectivités '
        f'lorraines</h1><div class="texte"><p>{text}</p></div></body></html>', content_type="text/html")
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    feed = Feed(name="Le Petit Journal du Cloud", url=f"{base}/backend.xml", lang="fr")
    articles, _ = collect_articles([feed], tmp_path)
    assert [(a.extraction, a.published_at) for a in articles] == [
        ("trafilatura", datetime(2026, 12, 3, 8, 30, tzinfo=timezone.utc))]
    english = Feed(name="Cloud notes", url="https://cloud-notes.example.com/feed.xml", lang="en")
    parsed = parse_feed(SPIP_RSS.format(base="https://cloud-notes.example.com").encode(), english,
                        now=datetime(2026, 12, 4, tzinfo=timezone.utc))
    assert [i.published for i in parsed.items] == [datetime(2026, 12, 3, 9, 30, tzinfo=timezone.utc)]  # no zone known


def test_google_news_s_copy_of_a_story_another_feed_lists_is_a_duplicate(httpserver, tmp_path):
    """A Google News search feed beside the publisher's own feed: its `AU_yqL…` link cannot be resolved, so the story
    was stored twice, once from the publisher's page and once as a six-word summary credited to Google News."""
    base = httpserver.url_for("").rstrip("/")
    story = " ".join(["Mistral AI a levé 1,7 milliard d'euros auprès d'investisseurs européens, dont ASML."] * 10)
    publisher = ('<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Le Monde - Pixels</title>'
                 f"<item><title>Mistral AI lève 1,7 milliard d’euros</title><link>{base}/pixels/mistral.html</link>"
                 "<pubDate>Tue, 01 Dec 2026 07:55:00 GMT</pubDate><description>Mistral AI lève des fonds.</description>"
                 "</item></channel></rss>")
    # the copy names the publisher's site (here the test server), as Google News's <source url> does
    httpserver.expect_request("/gnews.xml").respond_with_data(GOOGLE_NEWS_RSS.replace("https://www.lemonde.fr", base),
                                                              content_type="application/rss+xml")
    httpserver.expect_request("/pixels/rss.xml").respond_with_data(publisher, content_type="application/rss+xml")
    httpserver.expect_request("/pixels/mistral.html").respond_with_data(
        f'<html lang="fr"><head><title>Mistral AI lève 1,7 milliard d’euros</title></head><body><article><h1>Mistral '
        f'AI lève 1,7 milliard d’euros</h1><p>{story}</p></article></body></html>', content_type="text/html")
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    feeds = [Feed(name="Google News — Mistral", url=f"{base}/gnews.xml", lang="fr"),
             Feed(name="Le Monde - Pixels", url=f"{base}/pixels/rss.xml", lang="fr")]
    articles, collector = collect_articles(feeds, tmp_path)
    assert sorted((a.url, a.extraction) for a in articles) == [
        (f"{base}/pixels/mistral.html", "trafilatura"),
        ("https://news.google.com/rss/articles/CBMiAAAA?oc=5", "feed-summary")]  # another story: kept
    assert collector.stats.duplicates == 1


PODCAST_RSS = """<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd">
<channel><title>Cloud Talk</title><link>{base}/podcast/</link><itunes:author>Cloud Talk Media</itunes:author>
<item><title>Episode 141: Nvidia and the price of GPUs</title><description>Why GPU prices keep rising.</description>
<enclosure url="{base}/podcast/141.mp3" length="45100000" type="audio/mpeg"/>
<guid isPermaLink="false">0d4c7b1e-6a2f-4f3b-8c9d-1e2f3a4b5c6d</guid><pubDate>Wed, 25 Nov 2026 05:00:00 -0500</pubDate>
<itunes:duration>00:47:02</itunes:duration></item>
<item><title>Episode 140: Sovereign clouds</title><enclosure url="{base}/podcast/140.mp3" length="1" type="audio/mpeg"/>
<guid isPermaLink="false">podcast-140</guid><pubDate>Wed, 18 Nov 2026 05:00:00 -0500</pubDate></item>
</channel></rss>"""


def test_items_skipped_for_want_of_a_link_are_named_by_their_titles(httpserver, tmp_path):
    """A podcast feed's enclosure-only episodes are skipped (`no-link`): the run summary named only the feed's URL,
    which does not tell which of its items went."""
    base = httpserver.url_for("").rstrip("/")
    httpserver.expect_request("/podcast/feed.xml").respond_with_data(PODCAST_RSS.format(base=base),
                                                                     content_type="application/rss+xml")
    feed = Feed(name="Cloud Talk", url=f"{base}/podcast/feed.xml", lang="en")
    articles, collector = collect_articles([feed], tmp_path)
    assert articles == []
    assert collector.stats.skipped == {"no-link": 2}
    assert collector.stats.skipped_urls == {"no-link": [f"{base}/podcast/feed.xml (Episode 141: Nvidia and the price of "
                                                        "GPUs)", f"{base}/podcast/feed.xml (Episode 140: Sovereign clouds)"]}


# Google News copies against stories of their publisher's site (headline of the copy, headline stored, minutes apart).
# Written for the check, the same publisher rewording its headline after publication…
REWRITTEN = [
    ("Nvidia suspend ses exportations de puces vers la Chine", "Nvidia : les exportations de puces vers la Chine suspendues", 0),
    ("Mistral AI lève 1,7 milliard d'euros auprès d'ASML", "Mistral AI lève 1,7 milliard d’euros, ASML devient son premier actionnaire", 0),
    ("OVHcloud beats revenue forecast as sovereign cloud demand grows", "OVHcloud revenue tops forecasts on sovereign cloud demand", 0),
    ("Cloud souverain : le gouvernement dévoile sa stratégie", "Le gouvernement dévoile sa stratégie pour le cloud souverain", 0),
    ("Capgemini et Mistral AI signent un partenariat", "Capgemini s'allie à Mistral AI pour l'IA générative en entreprise", 0),
    ("Scaleway inaugure un supercalculateur à Paris", "Avec son nouveau supercalculateur, Scaleway vise les start-up de l'IA", 0),
    ("Microsoft to invest $5 billion in French data centres", "Exclusive: Microsoft plans $5 billion French data centre investment", 2),
    ("SAP and Mistral AI sign sovereign AI deal for European governments", "SAP, Mistral AI team up on sovereign AI for Europe's public sector", 0),
    ("S3NS obtient la qualification SecNumCloud", "Le cloud de Thales et Google, S3NS, qualifié SecNumCloud par l'Anssi", 0),
    ("AWS launches European Sovereign Cloud in Germany", "Amazon's European Sovereign Cloud goes live in Brandenburg", 0),
    ("OpenAI va stocker les données de ses clients européens en Europe", "OpenAI propose la résidence des données en Europe à ses clients", 0),
    ("Le Sénat adopte le projet de loi sur l'IA", "Projet de loi sur l'intelligence artificielle : feu vert du Sénat", 5),
]
# … and distinct stories of one site on one subject, one or two days apart at most
DISTINCT = [
    ("Mistral AI lève 1,7 milliard d'euros", "Mistral AI : ce que va changer la levée de 1,7 milliard", 300),
    ("Nvidia suspend ses exportations vers la Chine", "Nvidia : la Chine réplique aux restrictions d'exportations", 1500),
    ("OVHcloud beats revenue forecast", "OVHcloud shares jump after revenue beat", 20),
    ("Live : la levée de fonds de Mistral AI en direct", "Mistral AI lève 1,7 milliard d'euros", 5),
    ("Microsoft to invest $5 billion in France", "Microsoft to invest $4 billion in Germany", 5),
    ("Le Sénat adopte le projet de loi sur l'IA", "L'Assemblée adopte le projet de loi sur l'IA", 600),
]


def test_a_google_news_copy_is_told_by_headline_site_and_date_never_merging_two_stories_of_one_headline():
    """Google News's copy of a stored story was recognised by its headline alone: a headline its publisher reworded
    slipped through (a second, summary-only article), and two publishers running one wire headline were merged. The
    copy's <source url> now names the site, which must be the story's; a reworded headline counts within 30 minutes
    of the story's publication when it shares 60 % of its words and its numbers. On the pairs above: 7 of 12
    rewordings caught (0 before), 0 of 6 distinct stories merged, 0 across sites."""
    from datetime import timedelta

    from pipeline.collect import google_news_copy_of, site_of

    at = datetime(2026, 12, 1, 8, tzinfo=timezone.utc)

    def copy(title: str, site: str | None = "https://www.lemonde.fr") -> tuple:
        return title, at, site

    def caught(pairs) -> int:
        return sum(google_news_copy_of(*copy(seen), [(stored, at + timedelta(minutes=minutes), "lemonde.fr")])
                   for seen, stored, minutes in pairs)

    assert (caught(REWRITTEN), caught(DISTINCT)) == (7, 0)
    same = "Mistral AI lève 1,7 milliard d'euros"
    assert google_news_copy_of(*copy(same), [(same, at + timedelta(hours=20), "lemonde.fr")])
    assert not google_news_copy_of(*copy(same), [(same, at, "lefigaro.fr")])  # another publisher's story
    assert google_news_copy_of(*copy(same, site=None), [(same, at, "lefigaro.fr")])  # no site named: headline decides
    assert not google_news_copy_of(*copy(REWRITTEN[0][0], site=None), [(REWRITTEN[0][1], at, "lemonde.fr")])
    # a section's subdomain is its site's
    assert site_of("https://www.lemonde.fr") == site_of("https://pixels.lemonde.fr/a.html") == "lemonde.fr"


def test_a_google_news_copy_is_compared_with_the_stories_of_its_headline_or_site_only():
    """Within a run each Google News copy was compared with every directly linked story (a headline lookup before
    the site and date counted): 500 copies against 20,000 stories is ten million comparisons. The run's stories are
    indexed by headline and by site, and a copy meets only those."""
    from pipeline.collect import StoryIndex

    at = datetime(2026, 12, 1, 8, tzinfo=timezone.utc)
    stories = [(f"Story number {n} about chips", at, f"site{n % 400}.example") for n in range(20_000)]
    index = StoryIndex(stories + [("Mistral AI lève 1,7 milliard d'euros", at, "lemonde.fr")])
    assert index.candidates("Mistral AI lève 1,7 milliard d’euros", "https://www.lemonde.fr") == [
        ("Mistral AI lève 1,7 milliard d'euros", at, "lemonde.fr")] * 2  # by its headline and by its site
    assert len(index.candidates("Story number 7 about chips", "https://site7.example")) == 1 + 50
    assert index.candidates("Another headline", None) == []


def test_an_item_linking_back_to_its_feed_is_no_article_whatever_the_credentials_case_or_redirect():
    """An item whose link is the feed itself was skipped only when written exactly as the URL fetched: with the feed
    configured as `user:password@…?token=`, a link without the credentials, in capitals, with a `utm_` parameter, or
    naming the configured URL after a redirect, was kept and stored as an article under the feed's URL and token
    (hostile input, twenty-second round)."""
    feed = Feed(name="Private", url="https://reader:s3cret@news.example/feed.xml?token=t0ken", lang="en")
    links = ["https://news.example/feed.xml?token=t0ken", "HTTPS://NEWS.EXAMPLE/feed.xml?token=t0ken#top",
             "https://reader:s3cret@news.example/feed.xml?utm_source=rss&token=t0ken",
             "https://news.example/rss/v2.xml?token=t0ken",  # where the configured URL redirected
             "https://news.example/feed.xml", "https://news.example/2026/12/05/story.html"]
    body = ("<rss version='2.0'><channel><title>T</title>" + "".join(
        f"<item><title>Mistral AI {n}</title><link>{link.replace('&', '&amp;')}</link></item>"
        for n, link in enumerate(links)) + "</channel></rss>")
    parsed = parse_feed(body.encode(), feed, base_url="https://reader:s3cret@news.example/rss/v2.xml?token=t0ken")
    # the feed's URL without its token is another address (a site's `?feed=rss` beside its `?p=12` articles)
    assert [i.url for i in parsed.items] == ["https://news.example/feed.xml",
                                             "https://news.example/2026/12/05/story.html"]
    assert parsed.skipped["no-link"] == 4 and not any("t0ken" in i.url for i in parsed.items)
