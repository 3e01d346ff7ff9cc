"""`newsroom report`: a self-contained HTML coverage report, checked on the stand-in and drawn in headless Chromium."""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest
from _store_helpers import drop_prefix, make_record, story

from pipeline.report import build_report, collect
from pipeline.settings import load_settings
from pipeline.store.client import make_client
from pipeline.store.indexing import index_enriched

HOSTILE_TITLE = '<script>alert("x")</script> Mistral & Nvidia : « une vraie défaite »'
ALL_CHARTS = {"coverage", "share_of_voice", "negative", "sources", "persons", "places", "topics", "authors"}


def _at(day: int, hour: int = 12) -> datetime:
    return datetime(2026, 11, day, hour, tzinfo=UTC)


def _record(url, n, day, orgs, score, *, title, source, persons=(), places=(), topics=("ai",), lang="fr", authors=()):
    rec = make_record(url, story(n), title=title, published=_at(day), orgs=orgs, score=score, source=source, lang=lang)
    rec.article.authors = list(authors)
    rec.enrichment.entities.PER = list(persons)
    rec.enrichment.entities.LOC = list(places)
    rec.enrichment.topics = list(topics)
    return rec


@pytest.fixture
def seeded(es_url):
    settings = load_settings()
    client = make_client(settings)
    records = [
        _record("https://a.example/tribune", 700, 20, {"Mistral AI": -0.6, "Nvidia": -0.4}, -0.5,
                title=HOSTILE_TITLE, source="Le Quotidien", persons=["Arthur Mensch"], places=["France", "Essonne"],
                topics=["sovereignty", "ai"], authors=["Camille Durand"]),
        _record("https://a.example/sap", 701, 20, {"Mistral AI": 0.5}, 0.5, title="Mistral signs with SAP",
                source="The Compute Ledger", persons=["Arthur Mensch"], places=["Germany"], lang="en",
                authors=["Camille Durand", "Rachel Kim"]),
        _record("https://a.example/export", 702, 18, {"Nvidia": -0.7}, -0.7, title="Nvidia export curbs bite",
                source="The Compute Ledger", persons=["Jensen Huang"], places=["China"], topics=["chips"], lang="en"),
        _record("https://a.example/ovh", 703, 19, {"OVHcloud": -0.3}, -0.3, title="OVHcloud: panne à Roubaix",
                source="Le Quotidien", places=["Roubaix"], topics=["cloud"]),
        _record("https://a.example/old", 704, 1, {"Mistral AI": -0.9}, -0.9, title="Ancienne polémique d'octobre",
                source="Le Quotidien"),
    ]
    records[-1].article.published_at = datetime(2026, 10, 1, 12, tzinfo=UTC)  # outside the window
    assert index_enriched(client, settings, records).created == len(records)
    yield settings, client
    drop_prefix(client, settings.es_index_prefix)


WINDOW = {"since": "2026-11-16", "until": "2026-11-22"}


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def _tags(document: str) -> list[tuple[str, dict]]:
    parser = _Tags()
    parser.feed(document)
    return parser.tags


def test_report_views_match_the_seeded_documents(seeded):
    settings, client = seeded
    data = collect(client, settings, **WINDOW)
    assert sorted(data.entities) == ["Mistral AI", "Nvidia", "OVHcloud"]  # most mentioned, none given
    assert data.negative_counts == {"Mistral AI": 1, "Nvidia": 2, "OVHcloud": 1}
    assert [a["title"] for a in data.negative_articles["Nvidia"]] == [HOSTILE_TITLE, "Nvidia export curbs bite"]
    assert [a["title"] for a in data.negative_articles["Mistral AI"]] == [HOSTILE_TITLE]  # October one excluded
    assert dict(data.top_persons) == {"Arthur Mensch": 2, "Jensen Huang": 1}
    assert dict(data.top_places) == {"France": 1, "Essonne": 1, "Germany": 1, "China": 1, "Roubaix": 1}
    assert dict(data.topics) == {"ai": 2, "sovereignty": 1, "chips": 1, "cloud": 1}
    assert dict(data.top_authors) == {"Camille Durand": 2, "Rachel Kim": 1}
    assert len(data.latest) == 4 and data.latest[0]["published_at"] >= data.latest[-1]["published_at"]
    only = collect(client, settings, ["nvidia"], **WINDOW)
    assert only.entities == ["Nvidia"] and only.negative_counts == {"Nvidia": 2}  # alias resolved to the canonical name
    assert {a["title"] for a in only.latest} == {HOSTILE_TITLE, "Nvidia export curbs bite"}


def test_html_is_self_contained_and_escaped(seeded, tmp_path):
    settings, client = seeded
    summary = build_report(client, settings, tmp_path / "report.html", **WINDOW)
    document = summary.output.read_text(encoding="utf-8")
    assert set(summary.charts) == ALL_CHARTS
    tags = _tags(document)
    images = [attrs for tag, attrs in tags if tag == "img"]
    assert len(images) == len(ALL_CHARTS)
    assert all(img["src"].startswith("data:image/png;base64,") for img in images)
    assert not [tag for tag, _ in tags if tag in ("script", "link", "iframe", "object", "embed")]
    assert "url(" not in document and "@import" not in document
    # links only to the articles themselves, never a resource to load
    assert {a["href"] for tag, a in tags if tag == "a"} <= {f"https://a.example/{p}" for p in ("tribune", "sap", "export", "ovh")}
    assert '<script>alert("x")</script>' not in document
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; Mistral &amp; Nvidia" in document
    assert "Ancienne polémique" not in document
    assert "Latest negative articles per company" in document and "OVHcloud: panne à Roubaix" in document


def test_empty_period_still_gives_a_report(seeded, tmp_path):
    settings, client = seeded
    summary = build_report(client, settings, tmp_path / "empty.html", entities=["Nvidia"], since="2026-12-01",
                           until="2026-12-05", png_dir=tmp_path / "png")
    assert summary.charts == ["coverage"] and [p.name for p in summary.png_files] == ["coverage.png"]
    document = summary.output.read_text(encoding="utf-8")
    assert document.count("No data in this period.") == 7 and "No article in this period." in document
    assert "No negative article in this period." in document


def test_a_period_nobody_is_mentioned_in_gives_a_report_saying_so_and_exits_0(seeded, tmp_path):
    """A scheduled report over a quiet week, no --company: it exited 1 and wrote no page."""
    out = tmp_path / "quiet.html"
    proc = subprocess.run(
        [sys.executable, "-m", "pipeline", "report", "--since", "2026-12-01", "--until", "2026-12-05",
         "--output", str(out), "--png", str(tmp_path / "png"), "--json"],
        capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    summary = json.loads(proc.stdout)
    assert summary["entities"] == [] and summary["latest_articles"] == 0 and summary["charts"] == []
    document = out.read_text(encoding="utf-8")
    assert _tags(document)[0][0] == "html" and document.rstrip().endswith("</html>")
    assert document.count("No watched company is mentioned in this period.") == 2
    assert "2026-12-01 → 2026-12-05 (Europe/Paris)" in document and "No article in this period." in document
    # the views still read the period: an article naming no watched company is listed
    settings, client = seeded
    quiet = make_record("https://a.example/quiet", story(710), title="Un article sans entreprise surveillée",
                        published=datetime(2026, 12, 2, 9, tzinfo=UTC), orgs={})
    assert index_enriched(client, settings, [quiet]).created == 1
    data = collect(client, settings, since="2026-12-01", until="2026-12-05")
    assert data.entities == [] and [a["title"] for a in data.latest] == ["Un article sans entreprise surveillée"]
    plain = subprocess.run([sys.executable, "-m", "pipeline", "report", "--since", "2026-12-01", "--until",
                            "2026-12-05", "--output", str(out)], capture_output=True, text=True, timeout=120)
    assert plain.returncode == 0 and "none is mentioned in this period" in plain.stdout, plain.stderr


def test_cli_writes_html_and_png_files(seeded, tmp_path):
    out, png_dir = tmp_path / "out" / "report.html", tmp_path / "charts"
    proc = subprocess.run(
        [sys.executable, "-m", "pipeline", "report", "--since", WINDOW["since"], "--until", WINDOW["until"],
         "--entity", "Mistral AI", "--entity", "Nvidia", "--output", str(out), "--png", str(png_dir), "--json"],
        capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    summary = json.loads(proc.stdout)
    assert summary["entities"] == ["Mistral AI", "Nvidia"]
    files = sorted(png_dir.glob("*.png"))
    assert {f.stem for f in files} == ALL_CHARTS
    embedded = re.findall(r'src="data:image/png;base64,([^"]+)"', out.read_text(encoding="utf-8"))
    assert sorted(base64.b64decode(b) for b in embedded) == sorted(f.read_bytes() for f in files)
    for f in files:
        assert f.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and f.stat().st_size > 3000


@pytest.mark.parametrize("typed", ["", "  "])
def test_an_empty_png_directory_is_refused_not_read_as_the_working_directory(seeded, tmp_path, typed):
    """`report --png "$CHARTS"` with the variable unset wrote every chart into the working directory (typer reads ""
    as the path "."), without a word: one sentence naming the option, before any query, and nothing written."""
    out = tmp_path / "report.html"
    proc = subprocess.run(
        [sys.executable, "-m", "pipeline", "report", "--since", WINDOW["since"], "--until", WINDOW["until"],
         "--entity", "Mistral AI", "--output", str(out), "--png", typed],
        capture_output=True, text=True, timeout=120, cwd=tmp_path,
    )
    assert proc.returncode != 0 and "Traceback" not in proc.stderr, proc.stdout + proc.stderr
    assert "--png is empty: give the directory the PNG charts go into, or leave --png out." in " ".join(
        proc.stderr.split()), proc.stderr
    assert not out.exists() and not list(tmp_path.glob("*.png"))


def test_a_report_that_fails_while_written_keeps_the_previous_file(seeded, tmp_path, monkeypatch):
    """`report -o` wrote in place: an error while the HTML was written (a disk full, a Ctrl-C; here text that cannot
    be encoded) left the earlier report empty. Now it is written whole or not at all, and no temp file is left."""
    import pipeline.report as report

    settings, client = seeded
    output = tmp_path / "report.html"
    output.write_text("<p>the previous report</p>", encoding="utf-8")
    real = report.render_html
    monkeypatch.setattr(report, "render_html", lambda *args: real(*args) + "\ud800")  # fails in the write
    with pytest.raises(UnicodeEncodeError):
        build_report(client, settings, output, **WINDOW)
    assert output.read_text(encoding="utf-8") == "<p>the previous report</p>"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html"]


def test_a_watched_company_named_with_markup_is_printed_as_text(seeded, tmp_path, monkeypatch, capsys):
    """A watchlist name « Evil [/x] Corp » ended `newsroom report` in rich's MarkupError, after the report was
    written, and `coverage --by source` before its table."""
    from pipeline.cli import main
    from pipeline.settings import DEFAULT_CONFIG_DIR

    config = tmp_path / "config"
    shutil.copytree(DEFAULT_CONFIG_DIR, config)
    with (config / "watchlist.yaml").open("a", encoding="utf-8") as fh:
        fh.write('  - name: "Evil [/x] [link=https://evil.example]Corp"\n    aliases: [Evil Corp]\n')
    monkeypatch.setenv("NEWSROOM_CONFIG_DIR", str(config))
    main(["report", "--entity", "Evil Corp", "--output", str(tmp_path / "report.html")])
    assert "companies: Evil [/x] [link=https://evil.example]Corp" in capsys.readouterr().out
    main(["coverage", "--by", "source", "--entity", "Evil Corp"])  # the table's title names the companies
    assert "Evil [/x] [link=https://evil.example]Corp per source" in capsys.readouterr().out

def test_cli_errors_are_sentences(es_url, tmp_path):
    proc = subprocess.run([sys.executable, "-m", "pipeline", "report", "--output", str(tmp_path / "r.html")],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1
    assert "No mentions index" in proc.stderr and "Traceback" not in proc.stderr


# --- headless Chromium ------------------------------------------------------------------------------------


def _install_chromium() -> str:
    """Install Debian's chromium when we may; return why it is unavailable otherwise."""
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        return "chromium is not installed and the tests do not run as root (apt-get install chromium)"
    if not shutil.which("apt-get"):
        return "chromium is not installed and apt-get is not available"
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    install = ["apt-get", "install", "-y", "--no-install-recommends", "chromium"]
    try:
        proc = subprocess.run(install, capture_output=True, text=True, timeout=900, env=env)
        if proc.returncode != 0:  # stale package lists: refresh once
            subprocess.run(["apt-get", "update"], capture_output=True, text=True, timeout=300, env=env)
            proc = subprocess.run(install, capture_output=True, text=True, timeout=900, env=env)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"installing chromium failed: {exc}"
    if proc.returncode != 0:
        return f"`apt-get install chromium` failed ({proc.returncode}): {proc.stderr.strip()[-300:]}"
    return ""


@pytest.fixture(scope="session")
def chromium() -> str:
    exe = shutil.which("chromium")
    if not exe:
        reason = _install_chromium()
        exe = shutil.which("chromium")
        if not exe:
            reason = reason or "chromium is still missing after apt-get install"
            print(f"skipping headless Chromium checks: {reason}", file=sys.stderr)
            pytest.skip(reason)
    return exe


# Appended to a copy of the report. `--dump-dom` waits for the load event, which fires once every image has
# loaded or failed; the handler then records, per image, whether it decoded (naturalWidth) and has a size on the page.
CHECKER = """<script>
window.addEventListener('load', () => {
  for (const img of document.images) {
    const box = img.getBoundingClientRect();
    img.setAttribute('data-drawn', String(img.complete && img.naturalWidth > 0 && box.width > 0 && box.height > 0));
    img.setAttribute('data-natural', img.naturalWidth + 'x' + img.naturalHeight);
  }
  document.body.setAttribute('data-checked', 'yes');
});
</script>"""


def _drawn_images(chromium: str, html_file: Path, tmp_path: Path) -> dict[str, tuple[str, str]]:
    probe = tmp_path / ("probe-" + html_file.name)
    probe.write_text(html_file.read_text(encoding="utf-8").replace("</body>", CHECKER + "</body>"), encoding="utf-8")
    command = [chromium, "--headless", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
               f"--user-data-dir={tmp_path / 'chromium-profile'}", "--window-size=1200,900", "--dump-dom", probe.as_uri()]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.insert(1, "--no-sandbox")  # Chromium refuses to run as root with its sandbox
    proc = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-1000:]
    assert 'data-checked="yes"' in proc.stdout, "the checker script did not run"
    return {attrs["id"]: (attrs.get("data-drawn"), attrs.get("data-natural"))
            for tag, attrs in _tags(proc.stdout) if tag == "img"}


def _png_size(b64: str) -> str:
    header = base64.b64decode(b64[:44])
    return f"{int.from_bytes(header[16:20], 'big')}x{int.from_bytes(header[20:24], 'big')}"


def test_charts_are_drawn_in_headless_chromium(seeded, chromium, tmp_path):
    settings, client = seeded
    report = build_report(client, settings, tmp_path / "report.html", **WINDOW).output
    sizes = {m[0]: _png_size(m[1]) for m in re.findall(r'id="(chart-[\w]+)"[^>]*src="data:image/png;base64,([^"]+)"',
                                                      report.read_text(encoding="utf-8"))}
    drawn = _drawn_images(chromium, report, tmp_path)
    assert set(drawn) == {f"chart-{name}" for name in ALL_CHARTS}
    assert {name: d for name, (d, _) in drawn.items() if d != "true"} == {}
    assert {name: natural for name, (_, natural) in drawn.items()} == sizes

    # The check really fails on a broken chart: truncate one image's data.
    broken = tmp_path / "broken.html"
    text = report.read_text(encoding="utf-8")
    start = text.index('id="chart-topics"')
    data_at = text.index("base64,", start) + len("base64,")
    broken.write_text(text[:data_at] + text[data_at:data_at + 60] + text[text.index('"', data_at):], encoding="utf-8")
    drawn = _drawn_images(chromium, broken, tmp_path)
    assert drawn["chart-topics"][0] == "false"
    assert all(d == "true" for name, (d, _) in drawn.items() if name != "chart-topics")


def test_chart_labels_from_the_web_are_not_parsed_as_mathtext(tmp_path):
    """A source or person named like `$\\frac{$` would abort the chart (and the report) as malformed mathtext."""
    from pipeline.report import _bar_chart, _share_chart

    pairs = [("$\\frac{$ evil", 3), ("Price $5 and $6", 2), ("Line\nbreak [/x]", 1)]
    assert _bar_chart(tmp_path / "bar.png", "Top sources", pairs, "articles").stat().st_size > 0
    assert _share_chart(tmp_path / "pie.png", {"$\\frac{$": 0.5, "Mistral AI": 0.5}).stat().st_size > 0


def test_names_cut_to_the_same_chart_label_keep_one_bar_each(tmp_path, monkeypatch):
    """Labels are cut to 40 characters: two people (or sources) whose names start alike shared one bar on the
    categorical axis, the second drawn over the first (5 articles shown as 2, and one name gone from the chart)."""
    import matplotlib.pyplot as plt

    from pipeline.report import _bar_chart

    kept = []
    monkeypatch.setattr(plt, "close", kept.append)
    pairs = [("A" * 40 + " person one", 5), ("A" * 40 + " person two", 2), ("Jean Dupont", 1)]
    _bar_chart(tmp_path / "bar.png", "Top persons", pairs, "articles")
    (ax,) = kept[0].axes
    bars = sorted(ax.patches, key=lambda bar: bar.get_y())  # bottom to top: the least mentioned first
    assert [bar.get_width() for bar in bars] == [1, 2, 5] and len({bar.get_y() for bar in bars}) == 3
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Jean Dupont", "A" * 39 + "…", "A" * 39 + "…"]

def test_report_says_no_negative_article_for_a_company_with_only_positive_ones_and_gives_local_times(seeded, tmp_path):
    settings, client = seeded
    index_enriched(client, settings, [_record("https://a.example/scaleway", 705, 21, {"Scaleway": 0.6}, 0.6,
                                              title="Scaleway ouvre une région", source="Le Quotidien")])
    summary = build_report(client, settings, tmp_path / "r.html", entities=["Scaleway", "Nvidia"], **WINDOW)
    document = summary.output.read_text(encoding="utf-8")
    scaleway = document.split("<h3>Scaleway (0 negative)</h3>")[1].split("<h3>")[0]
    assert "No negative article in this period." in scaleway and "No article in this period." not in scaleway
    assert "2026-11-16 → 2026-11-22 (Europe/Paris)" in document  # the period as typed, with its zone
    assert "2026-11-21 13:00 CET" in document and "2026-11-21 12:00" not in document  # published 12:00 UTC
    import re

    assert re.search(r"generated \d{4}-\d\d-\d\d \d\d:\d\d CES?T</p>", document)  # when, in the same zone


def test_latest_articles_give_the_article_tone_where_none_was_measured_toward_a_company(es_url, tmp_path):
    """A German article (no tone model): search, `mentions` and alerts read the article's tone for its companies; the
    report left the company's tone blank."""
    settings = load_settings()
    client = make_client(settings)
    record = _record("https://a.example/de", 705, 20, {"Nvidia": -0.6}, -0.6, title="Kritik an Nvidia",
                     source="Der Rechner", lang="de")
    record.enrichment.entity_sentiment = {}  # as the enricher leaves a language it has no model for
    index_enriched(client, settings, [record])
    try:
        build_report(client, settings, tmp_path / "r.html", entities=["Nvidia"], **WINDOW)
        document = (tmp_path / "r.html").read_text(encoding="utf-8")
        latest = re.sub(r"<[^>]+>", " ", document[document.index("<h2>Latest articles"):])
        row = " ".join(latest[latest.index("Kritik an Nvidia"):].split())
        assert row.startswith("Kritik an Nvidia Der Rechner -0.60 negative Nvidia -0.60 negative article tone"), row
    finally:
        drop_prefix(client, settings.es_index_prefix)
