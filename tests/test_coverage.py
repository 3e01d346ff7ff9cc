"""Coverage series, share of voice, top sources and the PNG chart, on records with known dates (stand-in)."""

from __future__ import annotations

import csv
import errno
import json
import os
import stat
import subprocess
import sys
from datetime import UTC, datetime

import pytest
from _store_helpers import drop_prefix, make_record, story

from pipeline.coverage import chart_layout, coverage, render_png
from pipeline.dedup import NearDuplicateIndex
from pipeline.errors import NewsroomError
from pipeline.settings import load_settings
from pipeline.store.client import make_client
from pipeline.store.indexing import index_enriched

WIRE = story(500, words=250)


def _at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=UTC)


@pytest.fixture
def indexed(es_url):
    settings = load_settings()
    client = make_client(settings)
    records = [
        make_record("https://a.example/tribune", WIRE, published=_at(20, 9, 30), source="Le Quotidien",
                    orgs={"Mistral AI": -0.6, "Nvidia": -0.4}, score=-0.5),
        # the same wire story under another URL and title: same cluster
        make_record("https://b.example/depeche", WIRE + " Mise à jour.", title="Autre titre", published=_at(20, 11),
                    source="World Wire", orgs={"Mistral AI": -0.6}, score=-0.5, lang="en"),
        make_record("https://a.example/sap", story(501), published=_at(20, 17, 45), source="The Compute Ledger",
                    orgs={"Mistral AI": 0.5}, score=0.5, lang="en"),
        make_record("https://a.example/ai-act", story(502), published=_at(17, 14), source="Le Quotidien",
                    orgs={"Mistral AI": 0.0, "OpenAI": 0.0}, score=0.0),
        make_record("https://a.example/export", story(503), published=_at(18, 16, 30), source="The Compute Ledger",
                    orgs={"Nvidia": -0.7}, score=-0.7, lang="en"),
        # 23:30 UTC on the 21st is 00:30 on the 22nd in Paris: UTC buckets put it on the 21st
        make_record("https://a.example/late", story(504), published=_at(21, 23, 30), source="Le Quotidien",
                    orgs={"Nvidia": 0.2}, score=0.2),
        make_record("https://a.example/old", story(505), published=datetime(2026, 10, 1, 12, tzinfo=UTC),
                    orgs={"Mistral AI": 0.9}, score=0.9),  # outside the window
    ]
    dedup = NearDuplicateIndex()
    for rec in records:
        rec.cluster_id = dedup.assign(rec.article.id, rec.article.text)
    stats = index_enriched(client, settings, records)
    assert stats.created == len(records)
    yield settings, client
    drop_prefix(client, settings.es_index_prefix)


def _by_date(points):
    return {p["date"]: p for p in points}


def test_daily_series_share_of_voice_and_sources(indexed):
    settings, client = indexed
    result = coverage(client, settings, ["Mistral AI", "nvidia"], since="2026-11-16", until="2026-11-22")
    assert result["interval"] == "day"
    mistral, nvidia = _by_date(result["series"]["Mistral AI"]), _by_date(result["series"]["nvidia"])
    # empty days included; the period is Paris days but the stand-in's buckets are UTC days, so the first one
    # (2026-11-15, 23:00-24:00 UTC) and the last one (to 23:00 UTC) are partial
    assert list(mistral) == [f"2026-11-{d}" for d in range(15, 23)]
    assert [d for d, p in mistral.items() if p["partial"]] == ["2026-11-15", "2026-11-22"]
    assert result["since"] == "2026-11-16T00:00:00+01:00" and result["until"] == "2026-11-23T00:00:00+01:00"
    assert result["period"] == "2026-11-16 → 2026-11-22 (Europe/Paris)"
    assert {d: p["count"] for d, p in mistral.items() if p["count"]} == {"2026-11-17": 1, "2026-11-20": 3}
    assert mistral["2026-11-20"]["sentiment"] == pytest.approx((-0.6 - 0.6 + 0.5) / 3, abs=1e-3)
    assert mistral["2026-11-16"]["sentiment"] is None
    assert {d: p["count"] for d, p in nvidia.items() if p["count"]} == {"2026-11-18": 1, "2026-11-20": 1, "2026-11-21": 1}
    assert result["share_of_voice"] == {"Mistral AI": pytest.approx(4 / 7, abs=1e-3), "nvidia": pytest.approx(3 / 7, abs=1e-3)}
    sources = {s["source"]: s["count"] for s in result["top_sources"]}
    assert sources == {"Le Quotidien": 3, "The Compute Ledger": 2, "World Wire": 1}
    # the stand-in buckets in UTC and the result says so
    assert result["time_zone_applied"] is False and result["time_zone"] == "UTC" and result["notes"]


def test_a_mention_in_a_language_without_a_tone_model_counts_but_carries_no_tone(es_url):
    """A German page is enriched in part (companies, no tone model) with a placeholder `neutral 0.0`: its mention
    counted in coverage's average tone (−0.6 became −0.3) and was listed by `mentions --tone neutral`. It still counts
    as a mention, with no tone."""
    from pipeline.models import Enrichment

    settings = load_settings()
    client = make_client(settings)
    german = make_record("https://a.example/de", "Mistral AI und Nvidia bauen ein Rechenzentrum.", lang="de",
                         published=_at(20, 9), orgs={"Mistral AI": 0.0}, score=0.0)
    german = german.model_copy(update={"enrichment": Enrichment(**{**german.enrichment.model_dump(), "level": "partial",
                                                                   "entity_sentiment": {}})})
    french = make_record("https://a.example/fr", WIRE, published=_at(20, 10), orgs={"Mistral AI": -0.6}, score=-0.6)
    index_enriched(client, settings, [german, french])
    try:
        result = coverage(client, settings, ["Mistral AI"], since="2026-11-20", until="2026-11-20")
        (day,) = [p for p in result["series"]["Mistral AI"] if p["count"]]
        assert day["count"] == 2
        assert day["sentiment"] == pytest.approx(-0.6, abs=1e-3)
        proc = _cli("mentions", "--entity", "Mistral AI", "--since", "2026-11-20", "--until", "2026-11-20",
                    "--tone", "neutral", "--json")
        assert proc.returncode == 0, proc.stderr
        assert json.loads(proc.stdout) == []
        proc = _cli("mentions", "--entity", "Mistral AI", "--since", "2026-11-20", "--until", "2026-11-20", "--json")
        assert proc.returncode == 0, proc.stderr
        assert {r["lang"]: r["tone"] for r in json.loads(proc.stdout)} == {"de": None, "fr": "negative"}
        text = _cli("mentions", "--entity", "Mistral AI", "--since", "2026-11-20", "--until", "2026-11-20")
        assert text.returncode == 0 and "Traceback" not in text.stderr, text.stderr
    finally:
        drop_prefix(client, settings.es_index_prefix)


def test_a_mention_stored_with_odd_field_shapes_is_listed_like_the_others(indexed):
    """A mention written by an older version or another tool with a title array or a tone score as a string
    (Elasticsearch keeps both): `newsroom mentions` stopped with a full traceback (ValueError: Unknown format code
    'f' for object of type 'str')."""
    settings, client = indexed
    alias = f"{settings.es_index_prefix}-mentions"
    [hit] = client.search(index=alias, size=1, query={"term": {"source": "World Wire"}})["hits"]["hits"]
    odd = dict(hit["_source"], article_id="f" * 64, title=["Un titre ancien", "second"], source=["S1", "S2"],
               sentiment={"label": "negative", "score": "-0.4"})
    client.index(index=hit["_index"], id="odd-mention", document=odd, refresh=True)
    proc = _cli("mentions", "--entity", "Mistral AI", "--since", "2026-11-20", "--until", "2026-11-20", "--json")
    assert proc.returncode == 0, proc.stderr
    [row] = [r for r in json.loads(proc.stdout) if r["article_id"] == "f" * 64]
    assert (row["title"], row["source"], row["score"]) == ("Un titre ancien", "S1", -0.4)
    text = _cli("mentions", "--entity", "Mistral AI", "--since", "2026-11-20", "--until", "2026-11-20")
    assert text.returncode == 0 and "Traceback" not in text.stderr and "4 mention(s)" in text.stdout, text.stderr


def test_cluster_counts_merge_the_wire_copies(indexed):
    settings, client = indexed
    result = coverage(client, settings, ["Mistral AI"], since="2026-11-16", until="2026-11-22", count="clusters")
    day = _by_date(result["series"]["Mistral AI"])["2026-11-20"]
    assert (day["count"], day["articles"], day["clusters"]) == (2, 3, 2)


def test_weekly_buckets_start_on_monday(indexed):
    settings, client = indexed
    result = coverage(client, settings, ["Mistral AI"], interval="week", since="2026-11-16", until="2026-11-22")
    assert [(p["date"], p["count"]) for p in result["series"]["Mistral AI"]][-1] == ("2026-11-16", 4)


def test_png_chart(indexed, tmp_path):
    settings, client = indexed
    result = coverage(client, settings, ["Mistral AI", "Nvidia"], since="2026-11-16", until="2026-11-22")
    path = render_png(result, tmp_path / "chart.png")
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and path.stat().st_size > 5000
    assert chart_layout(result) == {"bars": True, "panels": True}  # 0-2 mentions a day: bars, a panel each


def _result(counts: dict[str, list[int]]) -> dict:
    return {"interval": "day", "time_zone": "UTC", "count": "articles",
            "share_of_voice": {e: 1 / len(counts) for e in counts},
            "series": {e: [{"date": f"2026-11-{d + 1:02d}", "count": c, "sentiment": 0.1 if c else None}
                           for d, c in enumerate(values)] for e, values in counts.items()}}


def test_chart_layout_bars_for_small_counts_panels_when_lines_overlap(tmp_path):
    assert chart_layout(_result({"A": [40, 55, 30], "B": [3, 12, 20]})) == {"bars": False, "panels": False}
    assert chart_layout(_result({"A": [40, 55, 30], "B": [40, 55, 31]})) == {"bars": False, "panels": True}
    assert chart_layout(_result({e: [20, 30, 40 + i] for i, e in enumerate("ABCD")}))["panels"]
    assert chart_layout(_result({"A": [0, 2, 1]})) == {"bars": True, "panels": False}
    for name, counts in {"lines": {"A": [40, 55, 30], "B": [3, 12, 20]}, "panels": {"A": [40, 55, 30], "B": [40, 55, 31]}}.items():
        path = render_png(_result(counts), tmp_path / f"{name}.png")
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_chart_of_many_companies_is_drawn_in_seconds_with_every_panel_readable(tmp_path):
    """56 companies (one panel each) took 18 to 25 CPU-seconds here, 40 s on a busier box: matplotlib's constrained
    layout measured all 112 axes twice per draw, each limit set on one shared axis was set on all of them, and each
    panel title placed itself by measuring its axis. Now under 12 CPU-seconds (about 6.5), and still one labelled
    panel per company, in order, with the legend below the dates, hiding nothing."""
    import time

    import matplotlib.pyplot as plt

    from pipeline.coverage import coverage_figure

    counts = {f"Company {n}": [(n * 7 + day * 3) % 31 for day in range(30)] for n in range(56)}
    started = time.process_time()
    render_png(_result(counts), tmp_path / "many.png")
    assert time.process_time() - started < 12
    fig = coverage_figure(_result(counts))
    try:
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()
        panels = [ax for ax in fig.axes if ax.get_ylabel() == "articles per day"]
        assert [ax.texts[0].get_text() for ax in panels] == list(counts)
        tops = [ax.get_window_extent(renderer).y1 for ax in panels]
        assert tops == sorted(tops, reverse=True)  # top to bottom, in order
        for upper, lower in zip(panels, panels[1:]):  # a panel's label clears the panel above it
            assert lower.texts[0].get_window_extent(renderer).y1 < upper.get_window_extent(renderer).y0
        box = fig.legends[0].get_window_extent(renderer)
        assert box.y0 >= 0 and not any(box.overlaps(ax.get_window_extent(renderer)) for ax in fig.axes)
        dates = [label for label in panels[-1].get_xticklabels() if label.get_text()]
        assert dates and all(box.y1 < label.get_window_extent(renderer).y0 for label in dates)
    finally:
        plt.close(fig)


@pytest.mark.parametrize("counts", [[40, 55, 30], [0, 2, 1]], ids=["overlaid-lines", "bars-in-panels"])
def test_company_names_holding_mathtext_are_drawn_literally(tmp_path, counts):
    """A watchlist name `Aleph $x^{$ Alpha` used to abort `coverage --png` and the whole report (malformed mathtext)."""
    result = _result({"Aleph $x^{$ Alpha": counts, "Price $5 and $6": [c + 1 for c in counts]})
    path = render_png(result, tmp_path / "math.png")
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_coverage_cli_json_and_png(indexed, tmp_path):
    png = tmp_path / "charts" / "2026" / "out.png"  # a directory not made yet: made
    proc = subprocess.run(
        [sys.executable, "-m", "pipeline", "coverage", "--entity", "Mistral AI", "--entity", "Nvidia",
         "--since", "2026-11-16", "--until", "2026-11-22", "--json", "--png", str(png)],
        capture_output=True, text=True, timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["series"]["Nvidia"][3] == {"date": "2026-11-18", "count": 1, "articles": 1, "clusters": 1,
                                           "sentiment": -0.7, "partial": False}
    assert png.exists()


def test_paris_buckets_on_a_real_cluster(real_es_url):
    """On real Elasticsearch the 23:30 UTC article falls on the next Paris day."""
    settings = load_settings()
    client = make_client(settings)
    rec = make_record("https://a.example/tz-late", story(900), published=_at(21, 23, 30), orgs={"Zzz Test Co": 0.1})
    index_enriched(client, settings, [rec])
    result = coverage(client, settings, ["Zzz Test Co"], since="2026-11-21", until="2026-11-22")
    assert result["time_zone_applied"] is True and result["since"] == "2026-11-21T00:00:00+01:00"
    assert {p["date"]: p["count"] for p in result["series"]["Zzz Test Co"]} == {"2026-11-21": 0, "2026-11-22": 1}
    assert not any(p["partial"] for p in result["series"]["Zzz Test Co"])  # Paris buckets = the Paris period


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pipeline", *args], capture_output=True, text=True, timeout=120)


WINDOW = ("--since", "2026-11-16", "--until", "2026-11-22")


def test_coverage_resolves_aliases_in_any_case_and_refuses_unknown_names(indexed):
    proc = _cli("coverage", "--entity", "mistral", "--entity", "NVIDIA", *WINDOW, "--json")
    assert proc.returncode == 0, proc.stderr
    assert list(json.loads(proc.stdout)["series"]) == ["Mistral AI", "Nvidia"]
    proc = _cli("coverage", "--entity", "Mistrall", *WINDOW)
    assert proc.returncode != 0 and "Traceback" not in proc.stderr
    assert "'Mistrall' is not a watched company" in proc.stderr and "'Mistral AI'" in proc.stderr
    for command in (["mentions", "--entity", "Nvidiaa"], ["report", "--entity", "Nvidiaa", "--output", "r.html"],
                    ["coverage", "--entity", "Nvidiaa", "--by", "source"]):
        proc = _cli(*command)
        assert proc.returncode != 0 and "'Nvidiaa' is not a watched company" in proc.stderr, command
        assert "Did you mean 'Nvidia'" in proc.stderr and "Traceback" not in proc.stderr


def test_company_is_the_same_option_as_entity_in_coverage_mentions_and_report(indexed):
    """`search --company` but `coverage --entity`: an analyst typing `coverage --company "Mistral AI"` got "No such
    option: --company". Both spellings now work, and the help shows both."""
    for command in (["coverage", *WINDOW, "--json"], ["coverage", "--by", "source", *WINDOW, "--json"],
                    ["mentions", *WINDOW, "--json"]):
        typed = _cli(*command, "--company", "Mistral AI", "--company", "nvidia")
        assert typed.returncode == 0, typed.stderr
        assert json.loads(typed.stdout) == json.loads(_cli(*command, "--entity", "Mistral AI", "--entity",
                                                           "nvidia").stdout)
    for command in ("coverage", "mentions", "report"):
        assert "--company" in _cli(command, "--help").stdout, command


def test_a_tone_typed_in_french_is_that_tone(indexed):
    """`--tone négatif`, `--tone Négative`, `--company-tone nvidia=neutre` (a French analyst's words) were refused
    ("unknown tone"): the tone filters of `search` and `mentions` now read the French words as the English ones."""
    for typed, canonical in ((["search", "company:nvidia", "--tone", "négatif"], ["search", "company:nvidia", "--tone",
                                                                                "negative"]),
                             (["search", "cloud", "--company-tone", "nvidia=Négative"], ["search", "cloud",
                                                                                         "--company-tone",
                                                                                         "nvidia=negative"]),
                             (["search", "cloud", "--tone", "POSITIF"], ["search", "cloud", "--tone", "positive"]),
                             (["mentions", "--tone", "neutre"], ["mentions", "--tone", "neutral"])):
        company = [] if typed[0] == "search" else ["--entity", "Mistral AI", "--entity", "Nvidia"]
        proc = _cli(*typed, *company, *WINDOW, "--json")
        assert proc.returncode == 0, (typed, proc.stderr)
        assert json.loads(proc.stdout) == json.loads(_cli(*canonical, *company, *WINDOW, "--json").stdout), typed
    proc = _cli("mentions", "--entity", "Nvidia", "--tone", "furieux")
    assert proc.returncode != 0 and "--tone: unknown tone 'furieux'; use positive, neutral or negative" in proc.stderr


def test_limit_is_the_size_of_a_listing_in_every_command(indexed):
    """`search Nvidia --limit 1` and `mentions --limit 1` answered "No such option: --limit" while `tone list` takes
    `--limit` (and only it): `--limit` and `--size` now name the same option in all three."""
    for typed, canonical in ((["search", "Nvidia", "--limit", "1"], ["search", "Nvidia", "--size", "1"]),
                             (["mentions", "--entity", "Nvidia", "--limit", "1"], ["mentions", "--entity", "Nvidia",
                                                                                   "--size", "1"])):
        proc = _cli(*typed, *WINDOW, "--json")
        assert proc.returncode == 0, (typed, proc.stderr)
        assert json.loads(proc.stdout) == json.loads(_cli(*canonical, *WINDOW, "--json").stdout), typed
    assert "--size" in _cli("tone", "list", "--help").stdout
    assert _cli("search", "Nvidia", "--limit", "0").stderr.strip().endswith("--size must be at least 1.")


def test_enumerated_options_are_read_in_any_case_and_anything_else_lists_the_choices(indexed, tmp_path):
    """`--interval Week`, `--by Source`, `--sort Date`, `feeds add --lang FR --relevance Filter` were refused while
    `--tone Negative` was accepted: every enumerated option now reads any case, and a wrong value is one sentence
    naming the choices."""
    for typed, canonical in ((["coverage", "--interval", "Week"], ["coverage", "--interval", "week"]),
                             (["coverage", "--interval", " MONTH "], ["coverage", "--interval", "month"]),
                             (["coverage", "--by", "Source"], ["coverage", "--by", "source"]),
                             (["search", "cloud", "--sort", "Date"], ["search", "cloud", "--sort", "date"]),
                             (["search", "company:nvidia", "--tone", "Negative"], ["search", "company:nvidia", "--tone", "negative"]),
                             (["mentions", "--tone", "NEGATIVE"], ["mentions", "--tone", "negative"])):
        company = [] if typed[0] == "search" else ["--entity", "Mistral AI", "--entity", "Nvidia"]
        proc = _cli(*typed, *company, *WINDOW, "--json")
        assert proc.returncode == 0, (typed, proc.stderr)
        assert json.loads(proc.stdout) == json.loads(_cli(*canonical, *company, *WINDOW, "--json").stdout), typed
    report = _cli("report", "--interval", "Week", *WINDOW, "--output", str(tmp_path / "r.html"), "--json")
    assert report.returncode == 0, report.stderr
    for wrong, sentence in ((["coverage", "--entity", "Nvidia", "--interval", "hour"],
                             "Unknown interval 'hour': use day, week or month."),
                            (["coverage", "--entity", "Nvidia", "--by", "date"], "Unknown --by view 'date': use source."),
                            (["search", "cloud", "--sort", "newest"], "Unknown sort 'newest': use relevance or date.")):
        proc = _cli(*wrong, *WINDOW)
        assert proc.returncode != 0 and sentence in proc.stderr and "Traceback" not in proc.stderr, wrong
    feeds = tmp_path / "feeds.yaml"
    proc = _cli("feeds", "add", "Le Blog", "https://blog.example/rss", "--lang", "FR", "--relevance", "Filter",
                "--feeds", str(feeds))
    assert proc.returncode == 0, proc.stderr
    assert "lang: fr" in feeds.read_text(encoding="utf-8") and "relevance: filter" in feeds.read_text(encoding="utf-8")


def test_coverage_csv_columns(indexed, tmp_path):
    out = tmp_path / "coverage.csv"
    proc = _cli("coverage", "--entity", "Mistral AI", "--entity", "nvidia", *WINDOW, "--csv", str(out))
    assert proc.returncode == 0, proc.stderr
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert list(rows[0]) == ["date", "company", "count", "articles", "clusters", "tone", "partial"]
    assert {"date": "2026-11-18", "company": "Nvidia", "count": "1", "articles": "1", "clusters": "1",
            "tone": "-0.7", "partial": "False"} in rows
    assert len(rows) == 2 * 8  # one row per company and (UTC, on the stand-in) day of the Paris period


def test_coverage_by_source_gives_mentions_and_tone_per_source(indexed, tmp_path):
    out = tmp_path / "by-source.csv"
    proc = _cli("coverage", "--entity", "Mistral", "--by", "source", *WINDOW, "--json", "--csv", str(out))
    assert proc.returncode == 0, proc.stderr
    rows = {r["source"]: r for r in json.loads(proc.stdout)["rows"]}
    assert rows["Le Quotidien"] == {"company": "Mistral AI", "source": "Le Quotidien", "mentions": 2,
                                    "tone": -0.3, "negative": 1, "neutral": 1, "positive": 0}
    assert rows["World Wire"]["tone"] == -0.6 and rows["The Compute Ledger"]["positive"] == 1
    header = out.read_text(encoding="utf-8").splitlines()[0]
    assert header == "company,source,mentions,tone,negative,neutral,positive"


def test_co_mentions_count_the_companies_mentioned_together(indexed, tmp_path):
    out = tmp_path / "co.csv"
    proc = _cli("coverage", "--entity", "mistral ai", "--co-mentions", *WINDOW, "--json", "--csv", str(out))
    assert proc.returncode == 0, proc.stderr
    rows = json.loads(proc.stdout)["rows"]
    assert {(r["co_mentioned"], r["articles"]) for r in rows} == {("Nvidia", 1), ("OpenAI", 1)}
    assert out.read_text(encoding="utf-8").splitlines()[0] == "company,co_mentioned,articles,share"


def test_co_mentions_and_sources_list_every_row_or_say_what_is_left_out(es_url, tmp_path):
    """An article naming 40 watched companies: `--co-mentions` listed the first 20 (table and CSV alike) and `--by
    source` the first 50 sources, without a word. Every company and source is listed now, and a cut made anyway
    (here asked for) is said in a note."""
    from pipeline.coverage import co_mentions, coverage_by_source
    from pipeline.enrich.watchlist import load_watchlist, watchlist_path

    settings = load_settings()
    client = make_client(settings)
    names = [c.name for c in load_watchlist(watchlist_path(settings.config_dir)).companies if c.name != "Nvidia"][:40]
    assert len(names) == 40
    index_enriched(client, settings, [
        make_record("https://m.example/all", "Nvidia et " + ", ".join(names) + ".", published=_at(20, 9),
                    orgs={"Nvidia": 0.1, **dict.fromkeys(names, 0.0)}),
        *(make_record(f"https://m.example/{n}", story(900 + n), published=_at(20, 10), source=f"Source {n}",
                      orgs={"Nvidia": 0.1}) for n in range(3))])
    try:
        out = tmp_path / "co.csv"
        proc = _cli("coverage", "--entity", "nvidia", "--co-mentions", *WINDOW, "--csv", str(out))
        assert proc.returncode == 0, proc.stderr
        assert len(out.read_text(encoding="utf-8").splitlines()) == 1 + 40
        assert "note:" not in proc.stdout
        result = co_mentions(client, settings, ["Nvidia"], "2026-11-16", "2026-11-22", size=30)
        assert len(result["rows"]) == 30
        assert result["notes"] == ["Nvidia: only the 30 companies most often mentioned with it are listed, others are "
                                   "left out."]
        result = coverage_by_source(client, settings, ["Nvidia"], "2026-11-16", "2026-11-22", size=2)
        assert len(result["rows"]) == 2 and result["notes"] == [
            "Nvidia: only the 2 sources with the most mentions are listed, others are left out."]
    finally:
        drop_prefix(client, settings.es_index_prefix)


def test_mentions_lists_each_mention_with_its_tone_and_exports_csv(indexed, tmp_path):
    out = tmp_path / "mentions.csv"
    proc = _cli("mentions", "--entity", "OVH", "--entity", "nvidia", *WINDOW, "--tone", "negative", "--json",
                "--csv", str(out))
    assert proc.returncode == 0, proc.stderr
    rows = json.loads(proc.stdout)
    assert [(r["company"], r["tone"], r["url"]) for r in rows] == [
        ("Nvidia", "negative", "https://a.example/tribune"), ("Nvidia", "negative", "https://a.example/export")]
    with out.open(encoding="utf-8") as handle:
        table = list(csv.DictReader(handle))
    assert list(table[0]) == ["published_at", "article_id", "company", "tone", "score", "source", "lang", "title",
                              "url", "corrected", "corrected_by", "model_label"]
    assert len(table) == 2


# --- one reading of dates and times (NEWSROOM_TIMEZONE, Europe/Paris by default) ----------------------------


@pytest.fixture
def around_midnight(es_url):
    """Articles near Paris midnights: the OVHcloud one is on 1 November in Paris but 31 October in UTC."""
    settings = load_settings()
    client = make_client(settings)
    records = [
        make_record("https://a.example/ovh-midnight", story(910), published=datetime(2026, 10, 31, 23, 30, tzinfo=UTC),
                    orgs={"OVHcloud": 0.4}, score=0.4, source="Le Quotidien"),
        make_record("https://a.example/mistral-0830", story(911), published=_at(25, 7, 30), orgs={"Mistral AI": 0.2},
                    score=0.2, source="Le Quotidien"),  # 08:30 in Paris
        make_record("https://a.example/mistral-0930", story(912), published=_at(25, 8, 30), orgs={"Mistral AI": 0.2},
                    score=0.2, source="World Wire"),  # 09:30 in Paris
    ]
    assert index_enriched(client, settings, records).created == len(records)
    yield settings, client
    drop_prefix(client, settings.es_index_prefix)


def test_every_command_reads_typed_dates_and_naive_times_in_the_newsroom_time_zone(around_midnight, tmp_path):
    from pipeline.coverage import coverage_by_source, list_mentions
    from pipeline.report import collect
    from pipeline.search import search_articles

    settings, client = around_midnight
    for company, since, until, expected in [("OVHcloud", "2026-11-01", "2026-11-30", 1),
                                            ("Mistral AI", "2026-11-25", "2026-11-25T09:00", 1)]:
        over_time = coverage(client, settings, [company], since=since, until=until)["totals"][company]["count"]
        by_source = sum(r["mentions"] for r in coverage_by_source(client, settings, [company], since, until)["rows"])
        mentions = list_mentions(client, settings, [company], since, until)[1]
        found = search_articles(client, settings, "*", companies=[company], since=since, until=until).total
        report = collect(client, settings, [company], since=since, until=until).coverage["totals"][company]["count"]
        assert (over_time, by_source, mentions, found, report) == (expected,) * 5, (company, since, until)
    result = coverage(client, settings, ["Mistral AI"], since="2026-11-25", until="2026-11-25T09:00")
    assert result["period"] == "2026-11-25 00:00 → 2026-11-25 09:00 (Europe/Paris, end excluded)"


def test_a_day_typed_with_a_utc_offset_is_that_day_at_that_offset_in_every_command(around_midnight):
    """`--since 2026-11-01Z` (a day with an offset, as XML Schema and some APIs write it) was Paris midnight, not UTC's,
    and `--since 2026-10-31-05:00` was 05:00 Paris time: Python reads any character after a day as the date-time
    separator. The article of 23:30 UTC on 31 October is on 1 November in Paris, 31 October in UTC and New York."""
    from pipeline.coverage import coverage_by_source, list_mentions
    from pipeline.report import collect
    from pipeline.search import search_articles

    settings, client = around_midnight
    for since, until, expected in [("2026-11-01", "2026-11-01", 1), ("2026-11-01Z", "2026-11-01Z", 0),
                                   ("2026-10-31Z", "2026-10-31z", 1), ("2026-10-31-05:00", "2026-10-31-05:00", 1),
                                   ("2026-11-01T01:00+01:00", "2026-11-01+01:00", 0)]:
        over_time = coverage(client, settings, ["OVHcloud"], since=since, until=until)["totals"]["OVHcloud"]["count"]
        by_source = sum(r["mentions"] for r in coverage_by_source(client, settings, ["OVHcloud"], since, until)["rows"])
        mentions = list_mentions(client, settings, ["OVHcloud"], since, until)[1]
        found = search_articles(client, settings, "*", companies=["OVHcloud"], since=since, until=until).total
        assert (over_time, by_source, mentions, found) == (expected,) * 4, (since, until)
    assert collect(client, settings, ["OVHcloud"], since="2026-10-31Z",
                   until="2026-10-31Z").coverage["totals"]["OVHcloud"]["count"] == 1
    for typed in ("2026-11-01/10", "2026-11-01x10:00"):
        with pytest.raises(NewsroomError, match=rf"^Invalid date '{typed}' for --since: use YYYY-MM-DD"):
            search_articles(client, settings, "*", since=typed)
    with pytest.raises(NewsroomError, match=r"^--until '2026-02-30Z' is no day: February 2026 has 28 days"):
        search_articles(client, settings, "*", until="2026-02-30Z")


def test_headers_state_the_period_with_its_zone_and_the_last_day_typed(around_midnight):
    period = "2026-11-01 → 2026-11-30 (Europe/Paris)"
    window = ("--since", "2026-11-01", "--until", "2026-11-30")
    for command in (["coverage", "--entity", "ovh", *window],
                    ["coverage", "--entity", "ovh", "--by", "source", *window],
                    ["coverage", "--entity", "ovh", "--co-mentions", *window], ["mentions", "--entity", "ovh", *window],
                    ["search", "*", "--company", "ovh", *window]):
        proc = _cli(*command)
        assert proc.returncode == 0, proc.stderr
        assert period in " ".join(proc.stdout.split()), (command, proc.stdout)
    proc = _cli("coverage", "--entity", "ovh", *window, "--json")
    data = json.loads(proc.stdout)
    assert (data["since"], data["until"]) == ("2026-11-01T00:00:00+01:00", "2026-12-01T00:00:00+01:00")


def test_a_period_shorter_than_a_minute_is_stated_to_the_second_not_as_an_empty_one(around_midnight):
    """`--since 2026-11-25T08:30:00 --until 2026-11-25T08:30:45` holds the 08:30 article, and the header read
    "08:30 → 08:30", a period that looks empty: seconds are shown when the minutes alone read the same."""
    from pipeline.coverage import list_mentions
    from pipeline.search import search_articles

    settings, client = around_midnight
    since, until = "2026-11-25T08:30:00", "2026-11-25T08:30:45"
    period = "2026-11-25 08:30:00 → 2026-11-25 08:30:45 (Europe/Paris, end excluded)"
    assert coverage(client, settings, ["Mistral AI"], since=since, until=until)["period"] == period
    assert list_mentions(client, settings, ["Mistral AI"], since, until)[1] == 1
    found = search_articles(client, settings, "*", companies=["Mistral AI"], since=since, until=until)
    assert found.total == 1 and found.as_dict()["period"] == period
    proc = _cli("mentions", "--entity", "mistral", "--since", since, "--until", until)
    assert proc.returncode == 0 and f"1 mention(s), {period}" in " ".join(proc.stdout.split()), proc.stdout
    # to the minute otherwise, as before
    assert coverage(client, settings, ["Mistral AI"], since="2026-11-25T08:00",
                    until="2026-11-25T09:00:30")["period"] == "2026-11-25 08:00 → 2026-11-25 09:00 (Europe/Paris, end excluded)"


def test_printed_times_are_in_the_newsroom_time_zone_with_the_zone(around_midnight):
    import os

    window = ("--since", "2026-11-01", "--until", "2026-11-01")
    for command in (["search", "*", *window], ["mentions", "--entity", "ovh", *window]):
        proc = subprocess.run([sys.executable, "-m", "pipeline", *command], capture_output=True, text=True,
                              timeout=120, env={**os.environ, "COLUMNS": "200"})  # one table row per line
        assert proc.returncode == 0, proc.stderr
        assert "2026-11-01 00:30 CET" in proc.stdout and "2026-10-31T23:30" not in proc.stdout, proc.stdout


def test_mentions_states_its_default_window_in_help_and_header(around_midnight):
    assert "default: 30 days" in " ".join(_cli("mentions", "--help").stdout.split())
    proc = _cli("mentions", "--entity", "ovh")
    assert proc.returncode == 0, proc.stderr
    header = " ".join(proc.stdout.split())
    assert "mention(s), " in header and " 00:00 → " in header and "(Europe/Paris, end excluded)" in header


# --- default windows start at the start of their first bucket ----------------------------------------------


def test_a_start_from_the_beginning_is_an_open_side_not_paris_mean_time():
    from zoneinfo import ZoneInfo

    from pipeline.coverage import describe_window, parse_when

    paris = ZoneInfo("Europe/Paris")
    start, end = parse_when("0001-01-01", paris), parse_when("2026-11-30", paris, end=True)
    assert describe_window(start, end, paris) == "to 2026-11-30 (Europe/Paris)"  # was "1900-01-01 00:09 → …"
    assert describe_window(start, None, paris) == ""


@pytest.mark.parametrize("interval", ["hour", "days", ""])
def test_an_unknown_interval_is_one_sentence_even_without_since(interval):
    """`report --interval hour` without --since ended in a KeyError traceback (the default look-back is per interval)."""
    from pipeline.coverage import query_window

    with pytest.raises(NewsroomError, match=f"Unknown interval '{interval}': use day, week or month"):
        query_window(load_settings(), None, None, interval)


def test_default_window_starts_at_the_start_of_its_first_day_week_or_month(around_midnight, monkeypatch):
    monkeypatch.setenv("NEWSROOM_TIMEZONE", "UTC")  # the stand-in's buckets are UTC: here they match the period
    settings = load_settings()
    _, client = around_midnight
    now = datetime(2026, 11, 30, 21, 43, 29, tzinfo=UTC)
    result = coverage(client, settings, ["OVHcloud"], now=now)
    assert result["since"] == "2026-10-31T00:00:00+00:00"
    points = result["series"]["OVHcloud"]
    assert points[0] == {"date": "2026-10-31", "count": 1, "articles": 1, "clusters": 1, "sentiment": 0.4,
                         "partial": False}  # the whole first day is counted
    assert points[-1]["date"] == "2026-11-30" and points[-1]["partial"]  # today, so far
    for interval, first in (("week", "2026-06-01"), ("month", "2025-11-01")):  # a Monday; the 1st
        result = coverage(client, settings, ["OVHcloud"], interval=interval, now=now)
        assert result["since"].startswith(first + "T00:00:00") and result["series"]["OVHcloud"][0]["date"] == first
        assert not result["series"]["OVHcloud"][0]["partial"]


def test_a_mid_week_since_marks_its_first_week_partial(around_midnight, monkeypatch):
    monkeypatch.setenv("NEWSROOM_TIMEZONE", "UTC")
    settings = load_settings()
    _, client = around_midnight
    result = coverage(client, settings, ["Mistral AI"], interval="week", since="2026-11-25", until="2026-11-29")
    assert [(p["date"], p["count"], p["partial"]) for p in result["series"]["Mistral AI"]] == [("2026-11-23", 2, True)]
    assert "partial weeks (the period covers only part of them): 2026-11-23" in result["notes"]
    proc = _cli("coverage", "--entity", "mistral", "--interval", "week", "--since", "2026-11-25",
                "--until", "2026-11-29")
    assert "2026-11-23 (partial)" in proc.stdout


def test_buckets_not_over_yet_are_partial_when_until_is_still_to_come(indexed, monkeypatch):
    """`--since` Monday `--until` Sunday on a Wednesday showed this week (and today, and the days after it, at 0) as
    whole buckets, Wednesday's count beside last week's full one: only "today so far" of the default period was
    marked. Every bucket not over at the time of the query is partial now."""
    from datetime import timedelta

    monkeypatch.setenv("NEWSROOM_TIMEZONE", "UTC")  # the stand-in's buckets are UTC: here they match the period
    settings, client = load_settings(), indexed[1]
    wednesday = datetime(2026, 11, 18, 12, tzinfo=UTC)
    result = coverage(client, settings, ["Nvidia"], interval="week", since="2026-11-09", until="2026-11-22",
                      now=wednesday)
    assert [(p["date"], p["count"], p["partial"]) for p in result["series"]["Nvidia"]] == [
        ("2026-11-09", 0, False), ("2026-11-16", 3, True)]  # a week not over on the 18th: not a whole week's count
    assert "partial weeks (the period covers only part of them or they are not over yet): 2026-11-16" in result["notes"]
    days = coverage(client, settings, ["Nvidia"], since="2026-11-17", until="2026-11-20", now=wednesday)
    assert [(p["date"], p["partial"]) for p in days["series"]["Nvidia"]] == [
        ("2026-11-17", False), ("2026-11-18", True), ("2026-11-19", True), ("2026-11-20", True)]
    past = coverage(client, settings, ["Nvidia"], since="2026-11-17", until="2026-11-20")  # over: whole, as before
    assert not any(p["partial"] for p in past["series"]["Nvidia"])
    today = datetime.now(UTC).date()
    proc = _cli("coverage", "--entity", "nvidia", "--since", str(today - timedelta(days=1)),
                "--until", str(today + timedelta(days=1)))
    assert proc.returncode == 0, proc.stderr
    shown = " ".join(proc.stdout.split())
    assert f"{today - timedelta(days=1)} │" in shown and f"{today} (partial)" in shown, proc.stdout
    assert f"{today + timedelta(days=1)} (partial)" in shown


def test_paris_default_window_on_the_stand_in_marks_the_utc_edge_bucket_partial(around_midnight):
    settings, client = around_midnight
    result = coverage(client, settings, ["OVHcloud"], now=datetime(2026, 11, 30, 21, 43, tzinfo=UTC))
    assert result["since"] == "2026-10-31T00:00:00+01:00"  # Paris midnight = 23:00 UTC the day before
    first = result["series"]["OVHcloud"][0]
    assert first["date"] == "2026-10-30" and first["partial"] and result["totals"]["OVHcloud"]["count"] == 1


# --- charts: bars span their own period, ticks on bucket starts, the legend hides nothing -------------------


def _spanning(interval: str, dates: list[str], counts: dict[str, list[int]]) -> dict:
    return {"interval": interval, "time_zone": "UTC", "count": "articles",
            "share_of_voice": {e: 1 / len(counts) for e in counts},
            "series": {e: [{"date": d, "count": c, "sentiment": 1.0 if c else None, "partial": i == 0}
                           for i, (d, c) in enumerate(zip(dates, values))] for e, values in counts.items()}}


@pytest.mark.parametrize("interval, dates", [
    ("week", ["2026-10-19", "2026-10-26", "2026-11-02", "2026-11-09"]),
    ("month", ["2026-09-01", "2026-10-01", "2026-11-01", "2026-12-01"]),
])
def test_chart_bars_cover_their_own_period_and_ticks_sit_on_bucket_starts(interval, dates):
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt

    from pipeline.coverage import coverage_figure

    starts = [datetime.fromisoformat(d).replace(tzinfo=UTC) for d in dates]
    after_last = datetime(2027, 1, 1, tzinfo=UTC) if interval == "month" else starts[-1] + (starts[1] - starts[0])
    ends = starts[1:] + [after_last]
    for counts in ({"Mistral AI": [3, 1, 0, 2], "Nvidia": [2, 0, 1, 6]},  # small counts: bars, a panel each
                   {"Mistral AI": [30, 14, 20, 22], "Nvidia": [2, 5, 11, 15]}):  # lines: points at mid-bucket
        fig = coverage_figure(_spanning(interval, dates, counts))
        try:
            count_axes = [ax for ax in fig.axes if ax.get_ylabel().endswith(f"per {interval}")]
            bars = [patch for ax in count_axes for patch in ax.patches]
            for patch in bars:
                left = mdates.num2date(patch.get_x())
                right = mdates.num2date(patch.get_x() + patch.get_width())
                [(start, end)] = [(s, e) for s, e in zip(starts, ends) if s <= left < e]
                assert right <= end and (right - left) >= 0.8 * (end - start), (left, right)  # the whole period
            for ax in count_axes:
                for line in ax.get_lines():
                    for x in line.get_xdata():
                        x = x if isinstance(x, datetime) else mdates.num2date(x)
                        x = x.replace(tzinfo=UTC)
                        assert any(s + (e - s) * 0.4 < x < s + (e - s) * 0.6 for s, e in zip(starts, ends))
            assert bool(bars) == (counts["Nvidia"][-1] == 6)
            ticks = {mdates.num2date(t) for t in fig.axes[0].get_xticks()}
            assert ticks and ticks <= set(starts)
            fig.canvas.draw()
            renderer = fig.canvas.get_renderer()
            legends = fig.legends + [ax.get_legend() for ax in fig.axes if ax.get_legend()]
            assert legends
            for legend in legends:
                box = legend.get_window_extent(renderer)
                assert not any(box.overlaps(ax.get_window_extent(renderer)) for ax in fig.axes)  # hides no point
        finally:
            plt.close(fig)


def test_mentions_give_the_real_total_beside_the_latest_ones(indexed):
    proc = _cli("mentions", "--entity", "mistral", *WINDOW, "--size", "2")
    assert proc.returncode == 0, proc.stderr
    assert "4 mention(s), " in proc.stdout and "; the latest 2:" in proc.stdout  # not the page size
    proc = _cli("mentions", "--entity", "mistral", *WINDOW, "--size", "2", "--json")
    rows = json.loads(proc.stdout)
    assert len(rows) == 2 and {r["total"] for r in rows} == {4}
    proc = _cli("mentions", "--entity", "mistral", *WINDOW)
    assert "4 mention(s)" in proc.stdout and "the latest" not in proc.stdout


def test_mentions_mark_the_tones_an_analyst_corrected(indexed, tmp_path):
    from pipeline.corrections import set_tone
    from pipeline.urls import article_id

    settings, client = indexed
    set_tone(client, settings, article_id("https://a.example/sap"), "negative", company="Mistral AI", analyst="carol")
    out = tmp_path / "mentions.csv"
    proc = _cli("mentions", "--entity", "mistral", *WINDOW, "--json", "--csv", str(out))
    assert proc.returncode == 0, proc.stderr
    rows = {r["url"]: r for r in json.loads(proc.stdout)}
    sap, tribune = rows["https://a.example/sap"], rows["https://a.example/tribune"]
    assert (sap["tone"], sap["corrected"], sap["corrected_by"], sap["model_label"]) == (
        "negative", True, "carol", "positive")
    assert (tribune["corrected"], tribune["corrected_by"], tribune["model_label"]) == (False, None, None)
    with out.open(encoding="utf-8") as handle:
        table = {r["url"]: r for r in csv.DictReader(handle)}
    assert (table["https://a.example/sap"]["corrected"], table["https://a.example/sap"]["corrected_by"],
            table["https://a.example/sap"]["model_label"]) == ("True", "carol", "positive")
    assert table["https://a.example/tribune"]["corrected"] == "False"
    wide = subprocess.run([sys.executable, "-m", "pipeline", "mentions", "--entity", "mistral", *WINDOW],
                          capture_output=True, text=True, timeout=120, env={**os.environ, "COLUMNS": "250"})
    assert "negative -0.50 (corrected by carol; model said positive)" in wide.stdout


def test_far_dates_are_open_ends_and_huge_ranges_are_refused_in_one_sentence(indexed, tmp_path):
    """`--until 9999-12-31` overflowed (traceback); `--since 0001-01-01` asked for 730,000 day buckets."""
    settings, client = indexed
    open_end = coverage(client, settings, ["Mistral AI"], interval="month", since="2026-01-01", until="9999-12-31")
    assert sum(p["count"] for p in open_end["series"]["Mistral AI"]) == 5
    proc = _cli("coverage", "--entity", "Mistral AI", "--since", "0001-01-01", "--interval", "month", "--json")
    assert proc.returncode == 0, proc.stderr  # from 1900 on: nothing is older
    series = json.loads(proc.stdout)["series"]["Mistral AI"]
    assert series[0]["date"] == "1900-01-01" and sum(p["count"] for p in series) == 5
    for command in (["coverage", "--entity", "Mistral AI", "--since", "0001-01-01", "--until", "9999-12-31"],
                    ["report", "--since", "0001-01-01", "--output", str(tmp_path / "r.html")]):
        proc = _cli(*command)
        assert proc.returncode == 1 and "Traceback" not in proc.stderr, command
        assert "day buckets, more than 5,000: give a later --since" in proc.stderr, command
    proc = _cli("mentions", "--entity", "Mistral AI", "--since", "0001-01-01", "--until", "9999-12-31", "--json")
    assert proc.returncode == 0, proc.stderr
    proc = _cli("search", "Mistral", "--until", "9999-12-31", "--since", "0001-01-01", "--json")
    assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stderr
    # real Elasticsearch refuses an answer of more than 65,536 buckets; 14 companies × 4,717 days passed the
    # per-series check (the stand-in has no limit, so only the check itself can be seen here)
    from pipeline.enrich.watchlist import load_watchlist

    names = [company.name for company in load_watchlist().companies][:14]
    assert len(names) == 14
    with pytest.raises(NewsroomError, match=r"14 companies over 4,7\d\d day buckets make 66,\d{3} buckets in one "
                                            r"answer, more than Elasticsearch returns \(60,000\)"):
        coverage(client, settings, names, interval="day", since="2014-01-01", until="2026-11-30")
    assert coverage(client, settings, names[:12], interval="day", since="2014-01-01", until="2026-11-30")["series"]
    # a start in year 9999 was moved to 9999-01-01 without a word (the header said "from 9999-01-01")
    proc = _cli("search", "Mistral", "--since", "9999-12-31")
    assert proc.returncode == 1 and "Traceback" not in proc.stderr, proc.stderr
    assert "Start date 9999-12-31 is past 9999-01-01 00:00 UTC" in proc.stderr


def test_an_end_before_1900_is_one_sentence_not_an_empty_period_ending_at_paris_mean_time(indexed, tmp_path):
    """`--until 1026-11-30` (a year mistyped) was read as 1900-01-01 UTC: "0 mention(s), to 1900-01-01 00:09", and with
    `--since 1026-11-01` the sentence "--since 1026-11-01 is not before --until 1026-11-30", which it is."""
    from pipeline.coverage import list_mentions
    from pipeline.search import search_articles

    settings, client = indexed
    said = r"^--until 1026-11-30 is before 1900-01-01, the earliest date the store reads: no article is dated that early"
    for since in (None, "1026-11-01"):
        with pytest.raises(NewsroomError, match=said):
            coverage(client, settings, ["Mistral AI"], since=since, until="1026-11-30")
        with pytest.raises(NewsroomError, match=said):
            list_mentions(client, settings, ["Mistral AI"], since, "1026-11-30")
        with pytest.raises(NewsroomError, match=said):
            search_articles(client, settings, "*", since=since, until="1026-11-30")
    for command in (["mentions", "--entity", "mistral"], ["report", "--output", str(tmp_path / "r.html")]):
        proc = _cli(*command, "--since", "1026-11-01", "--until", "1026-11-30")
        assert proc.returncode == 1 and "--until 1026-11-30 is before 1900-01-01" in proc.stderr, proc.stderr
        assert "is not before" not in proc.stderr and not (tmp_path / "r.html").exists()
    proc = _cli("search", "cloud", "--until", "1899-12-31T23:00")  # as typed, not as Python prints it
    assert proc.returncode == 1 and "--until 1899-12-31T23:00 is before 1900-01-01" in proc.stderr, proc.stderr
    # the first day the store reads is a period still
    assert list_mentions(client, settings, ["Mistral AI"], None, "1900-01-01")[1] == 0


def test_a_start_in_year_9999_is_one_sentence_and_an_end_there_is_open():
    from zoneinfo import ZoneInfo

    from pipeline.coverage import parse_when
    from pipeline.errors import NewsroomError

    paris = ZoneInfo("Europe/Paris")
    assert parse_when("9999-12-31", paris, end=True) is None
    assert parse_when("9999-01-01", paris) is not None  # 9998-12-31 23:00 UTC: still readable
    for late in ("9999-12-31", "9999-06-01T10:00", "9999-01-01T02:00+00:00"):
        with pytest.raises(NewsroomError, match=r"is past 9999-01-01 00:00 UTC.*nothing is published that late"):
            parse_when(late, paris)


def test_a_date_without_dashes_is_a_whole_day_like_one_with_them():
    """`--until 20260101` (ISO basic format) was read as a date-time at midnight, so that day was left out."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from pipeline.coverage import parse_when

    paris = ZoneInfo("Europe/Paris")
    for end, expected in ((True, datetime(2026, 1, 2, tzinfo=paris)), (False, datetime(2026, 1, 1, tzinfo=paris))):
        assert parse_when("20260101", paris, end=end) == parse_when("2026-01-01", paris, end=end) == expected
    assert parse_when("20260101T12:00", paris, end=True) == datetime(2026, 1, 1, 12, tzinfo=paris)  # a time: as typed


def test_png_option_refuses_other_suffixes_and_directories_before_querying(tmp_path):
    (tmp_path / "adir.png").mkdir()
    for name, message in (("chart.xyz", "give a file name ending in .png"), ("chart", "ending in .png"),
                          ("mistral.2026-12", "ending in .png"), ("adir.png", "is a directory")):
        proc = _cli("coverage", "--entity", "Mistral AI", "--png", str(tmp_path / name))
        assert proc.returncode == 2 and "Traceback" not in proc.stderr, proc.stderr
        assert message in proc.stderr.replace("\n", ""), name
    assert sorted(p.name for p in tmp_path.iterdir()) == ["adir.png"]


def test_png_with_by_source_or_co_mentions_is_refused_not_silently_skipped(tmp_path, capsys):
    """`--png` draws the over-time chart: with `--by source` or `--co-mentions` it used to exit 0 writing nothing."""
    from pipeline.cli import main

    for view in (["--by", "source"], ["--co-mentions"]):
        with pytest.raises(SystemExit) as exit_info:
            main(["coverage", "--entity", "Mistral AI", *view, "--png", str(tmp_path / "cov.png")])
        err = capsys.readouterr().err.replace("\n", " ")
        assert exit_info.value.code == 2 and "Traceback" not in err, err
        assert f"--png draws the over-time chart; {' '.join(view)} has no chart" in err
    assert list(tmp_path.iterdir()) == []


def test_png_written_through_a_symlink_and_a_full_device_is_reported(tmp_path):
    target = tmp_path / "real.png"
    link = tmp_path / "link.png"
    link.symlink_to(target)
    render_png(_result({"A": [1, 2, 0]}), link)
    assert link.is_symlink() and target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    full = tmp_path / "full.png"
    try:
        os.mknod(full, 0o600 | stat.S_IFCHR, os.makedev(1, 7))  # a private copy of /dev/full
    except PermissionError:
        pytest.skip("creating a device node needs root")
    with pytest.raises(OSError) as info:
        render_png(_result({"A": [1, 2, 0]}), full)
    assert info.value.errno == errno.ENOSPC
    assert stat.S_ISCHR(os.lstat(full).st_mode)  # still the device


@pytest.mark.parametrize("typed, said", [
    ("2026-02-30", "--since '2026-02-30' is no day: February 2026 has 28 days."),
    ("2024-02-30T10:00", "--since '2024-02-30T10:00' is no day: February 2024 has 29 days."),
    ("2026-11-31", "--since '2026-11-31' is no day: November 2026 has 30 days."),
    ("2026-13-01", "--since '2026-13-01' is no day: a month is 01 to 12."),
    ("30/11/2026", "--since '30/11/2026': write dates year first, 2026-11-30."),
    ("03/04/2026", "--since '03/04/2026': write dates year first, 2026-04-03 (3 April) or 2026-03-04 (4 March)."),
    ("31/11/2026", "--since '31/11/2026' is no day: November 2026 has 30 days."),
    ("29/02/2026", "--since '29/02/2026' is no day: February 2026 has 28 days."),
    ("11/31/2026", "--since '11/31/2026' is no day: November 2026 has 30 days."),
    ("31/13/2026", "--since '31/13/2026' is no day: a month is 01 to 12."),
    ("yesterday", "Invalid date 'yesterday' for --since: use YYYY-MM-DD or an ISO 8601 date-time."),
])
def test_a_date_that_is_refused_says_why(typed, said):
    """`--since 2026-02-30` was told "use YYYY-MM-DD", which it did; `30/11/2026`, the French way, was told the same
    without the date it meant, and `31/11/2026` still was. A date of the right shape but no such day names the
    month's length, and a day/month date is answered with its year-first spelling (both, when day and month could be
    swapped); the sentence names the option."""
    from zoneinfo import ZoneInfo

    from pipeline.coverage import parse_when

    with pytest.raises(NewsroomError) as refused:
        parse_when(typed, ZoneInfo("Europe/Paris"))
    assert str(refused.value) == said
    with pytest.raises(NewsroomError) as refused:
        parse_when(typed, ZoneInfo("Europe/Paris"), end=True)
    assert str(refused.value) == said.replace("--since", "--until")


@pytest.mark.parametrize("command", [["search", "cloud"], ["coverage", "--entity", "Mistral AI"],
                                     ["mentions", "--entity", "Mistral AI"]])
def test_a_day_the_month_does_not_have_is_named_with_its_option_in_every_command(command, es_url, capsys):
    """`newsroom search --until 31/11/2026` said "use YYYY-MM-DD or an ISO 8601 date-time", which names neither the
    option nor what is wrong; refused before the store is asked."""
    from pipeline.cli import main

    with pytest.raises(SystemExit) as exit_info:
        main([*command, "--since", "2026-11-01", "--until", "31/11/2026"])
    err = " ".join(capsys.readouterr().err.split())
    assert exit_info.value.code != 0 and "Traceback" not in err, err
    assert "--until '31/11/2026' is no day: November 2026 has 30 days." in err, err


@pytest.mark.parametrize("command", [["search", "cloud"], ["coverage", "--entity", "Mistral AI"],
                                     ["coverage", "--entity", "Mistral AI", "--by", "source"],
                                     ["mentions", "--entity", "Mistral AI"], ["report", "--output", "REPORT"]])
@pytest.mark.parametrize("option, typed", [("--since", ""), ("--until", ""), ("--since", "   ")])
def test_an_empty_date_option_is_refused_naming_it_in_every_command(command, option, typed, indexed, tmp_path, capsys):
    """`--since ""` (a shell variable left unset) was read as no --since: `search` searched every stored article and
    `coverage`, `mentions`, `report` the default period, without a word. It is one sentence naming the option."""
    from pipeline.cli import main

    command = [str(tmp_path / "report.html") if part == "REPORT" else part for part in command]
    with pytest.raises(SystemExit) as exit_info:
        main([*command, option, typed])
    err = " ".join(capsys.readouterr().err.split())
    assert exit_info.value.code != 0 and "Traceback" not in err, err
    assert f"{option} is empty: give a date (YYYY-MM-DD) or an ISO 8601 date-time, or leave {option} out." in err, err
    assert not (tmp_path / "report.html").exists()


@pytest.mark.parametrize("command", [["search", "cloud", "--source", ""], ["search", "--lang", " "],
                                     ["search", "cloud", "--source", "Le Monde", "--source", ""],
                                     ["search", "cloud", "--topic", ""], ["feeds", "topics", "cloud", "--lang", ""],
                                     ["feeds", "import-opml", "OPML", "--lang", ""]])
def test_an_empty_source_lang_or_topic_option_is_refused_naming_it(command, indexed, tmp_path, capsys):
    """`search --source ""` or `--lang ""` (a shell variable left unset) matched no article, with a note naming the
    closest feeds, and `feeds topics --lang ""` tried both languages: one sentence naming the option, as for `--since`."""
    from pipeline.cli import main

    opml = tmp_path / "feeds.opml"
    opml.write_text('<opml version="2.0"><body><outline text="a" xmlUrl="https://example.org/a.xml"/></body></opml>')
    option = command[command.index("--source" if "--source" in command else "--lang" if "--lang" in command
                                   else "--topic")]
    with pytest.raises(SystemExit) as exit_info:
        main([str(opml) if part == "OPML" else part for part in command])
    err = " ".join(capsys.readouterr().err.split())
    assert exit_info.value.code != 0 and "Traceback" not in err, err
    assert f"{option} is empty: give " in err and f"or leave {option} out." in err, err


@pytest.mark.parametrize("command, said", [
    (["search", "Nvidia", "--tone", ""], "--tone: unknown tone ''; use positive, neutral or negative"),
    (["coverage", "--entity", "Nvidia", "--interval", ""], "Unknown interval ''"),
    (["search", "Nvidia", "--sort", ""], "Unknown sort '': use relevance or date."),
])
def test_an_empty_tone_or_interval_is_refused_not_read_as_none(command, said, indexed, capsys):
    """`search --tone ""` searched every tone, `--sort ""` ranked by relevance and `coverage --interval ""` counted
    days, without a word, where
    `mentions --tone ""` and `report --interval ""` are refused: an empty option word is refused naming the option."""
    from pipeline.cli import main

    with pytest.raises(SystemExit) as exit_info:
        main(command)
    err = " ".join(capsys.readouterr().err.split())
    assert exit_info.value.code != 0 and said in err, err


def test_no_end_means_no_end_and_a_future_since_reads_as_in_search(indexed, tmp_path):
    """`--until 9999-12-31` was clipped to now in coverage, mentions and the report (a stored article dated
    tomorrow counted with `--until <next month>` but not with "no end"), and a `--since` in the future was refused
    naming an `--until` nobody typed, in UTC with microseconds, while `search` accepted it."""
    from datetime import timedelta
    from zoneinfo import ZoneInfo

    from pipeline.coverage import co_mentions, coverage_by_source, list_mentions
    from pipeline.errors import NewsroomError
    from pipeline.report import collect

    settings, client = indexed
    embargoed = datetime.now(UTC) + timedelta(hours=30)
    record = make_record("https://a.example/embargoed", story(506), published=embargoed, source="Le Quotidien",
                         orgs={"Nvidia": 0.1, "Mistral AI": 0.1}, score=0.1)
    assert index_enriched(client, settings, [record]).created == 1
    later = (embargoed + timedelta(days=2)).date().isoformat()

    def counts(since, until):
        return (coverage(client, settings, ["Nvidia"], interval="month", since=since, until=until)
                ["totals"]["Nvidia"]["count"],
                sum(r["mentions"] for r in coverage_by_source(client, settings, ["Nvidia"], since, until)["rows"]),
                sum(r["articles"] for r in co_mentions(client, settings, ["Nvidia"], since, until)["rows"]),
                list_mentions(client, settings, ["Nvidia"], since, until)[1],
                collect(client, settings, ["Nvidia"], since=since, until=until, interval="month")
                .coverage["totals"]["Nvidia"]["count"])

    assert counts("2026-11-01", later) == (4, 4, 2, 4, 4)  # three in November and the embargoed one
    assert counts("2026-11-01", "9999-12-31") == (4, 4, 2, 4, 4)
    open_end = coverage(client, settings, ["Nvidia"], since="2026-11-01", until="9999-12-31")
    assert open_end["until"] is None and open_end["period"] == "from 2026-11-01 (Europe/Paris)"
    day = embargoed.astimezone(UTC).date().isoformat()  # the stand-in's buckets are UTC days
    assert {p["date"]: p["count"] for p in open_end["series"]["Nvidia"]}[day] == 1

    tomorrow = embargoed.astimezone(ZoneInfo("Europe/Paris")).date().isoformat()
    assert counts(tomorrow, None) == (1, 1, 1, 1, 1)  # no error: from that day on, as `search --since` reads it
    proc = _cli("mentions", "--entity", "nvidia", "--since", tomorrow)
    assert proc.returncode == 0 and f"1 mention(s), from {tomorrow} (Europe/Paris)" in proc.stdout, proc.stderr

    with pytest.raises(NewsroomError) as error:
        list_mentions(client, settings, ["Nvidia"], "2026-12-05", "2026-12-04")
    assert str(error.value) == ("--since 2026-12-05 is not before --until 2026-12-04 (read in Europe/Paris, the "
                                "--until day included): the period is empty.")
    for command in (["coverage", "--entity", "nvidia"], ["mentions", "--entity", "nvidia"],
                    ["report", "--output", str(tmp_path / "r.html")]):
        proc = _cli(*command, "--since", "2026-11-20T10:00", "--until", "2026-11-20T09:00")
        assert proc.returncode == 1 and "Traceback" not in proc.stderr, (command, proc.stderr)
        assert ("--since 2026-11-20T10:00 is not before --until 2026-11-20T09:00 (read in Europe/Paris)"
                in " ".join(proc.stderr.split())), (command, proc.stderr)


def test_a_time_the_clocks_skip_is_shown_as_the_instant_it_is_read_at():
    """--since 2026-03-08T02:30 in New York (clocks jump from 02:00 to 03:00) was queried from 03:30 EDT while the
    header said 02:30 (queries audit, eighth round's leftover); a time that exists, or exists twice, is as typed."""
    from zoneinfo import ZoneInfo

    from pipeline.coverage import describe_window, parse_when

    new_york = ZoneInfo("America/New_York")
    start = parse_when("2026-03-08T02:30", new_york)
    assert start.isoformat() == "2026-03-08T03:30:00-04:00"
    assert describe_window(start, None, new_york) == "from 2026-03-08 03:30 (America/New_York)"
    assert parse_when("2026-03-08T01:30", new_york).isoformat() == "2026-03-08T01:30:00-05:00"
    assert parse_when("2026-11-01T01:30", new_york).isoformat() == "2026-11-01T01:30:00-04:00"  # its first time
    assert parse_when("0001-01-01T00:00", new_york).year == 1900  # the calendar's first day: still an open start


def test_share_of_voice_adds_up_to_100_and_a_period_without_mentions_has_no_share(indexed):
    from pipeline.coverage import voice_percentages

    # 3, 5 and 3 mentions out of 11 read 27 %, 45 % and 27 % rounded one by one: 99 %
    assert voice_percentages({"a": 3 / 11, "b": 5 / 11, "c": 3 / 11}) == {"a": "27%", "b": "46%", "c": "27%"}
    assert voice_percentages({"a": 1 / 3, "b": 1 / 3, "c": 1 / 3}) == {"a": "34%", "b": "33%", "c": "33%"}
    assert voice_percentages({"a": 0.0, "b": 1.0}) == {"a": "0%", "b": "100%"}
    assert voice_percentages({"a": 0.0}) == {"a": "—"}
    proc = _cli("coverage", "--entity", "nvidia", "--since", "2026-10-30", "--until", "2026-10-30")
    assert proc.returncode == 0, proc.stderr
    row = next(line for line in proc.stdout.splitlines() if "share of voice" in line)
    assert "—" in row and "0%" not in row
    # the empty period is said in words, as `--by source` and `--co-mentions` say it (it was a column of blank rows)
    assert "no mention of Nvidia in this period" in proc.stdout
    # and so does `mentions` (it printed a table of no rows; queries, eighth round)
    proc = _cli("mentions", "--entity", "nvidia", "--since", "2026-10-30", "--until", "2026-10-30")
    assert proc.returncode == 0 and "0 mention(s), 2026-10-30 → 2026-10-30 (Europe/Paris)" in proc.stdout, proc.stderr
    assert "no mention of Nvidia in this period" in proc.stdout and "┏" not in proc.stdout
    proc = _cli("mentions", "--entity", "nvidia", "--tone", "positive", "--since", "2026-10-30", "--until", "2026-10-30")
    assert "no mention of Nvidia in this period with a positive tone" in proc.stdout, proc.stdout
    proc = _cli("coverage", "--entity", "nvidia", "--entity", "mistral", "--since", "2026-11-01", "--until",
                "2026-11-30")
    assert proc.returncode == 0 and "no mention" not in proc.stdout, proc.stdout


def test_co_mentions_of_a_company_mentioned_alone_do_not_say_there_was_no_mention(indexed):
    proc = _cli("coverage", "--entity", "nvidia", "--co-mentions", "--since", "2026-11-18", "--until", "2026-11-18")
    assert proc.returncode == 0, proc.stderr
    out = " ".join(proc.stdout.split())
    assert "Nvidia is mentioned in 1 article(s) in this period, never with another watched company" in out
    assert "no mention in this period" not in out
    proc = _cli("coverage", "--entity", "nvidia", "--co-mentions", "--since", "2026-11-19", "--until", "2026-11-19")
    assert "no mention in this period" in proc.stdout


def test_top_sources_are_the_sources_with_the_most_articles_not_the_most_mentions(es_url):
    """Top sources are counted in articles: ten sources whose three articles each name two companies (6 mentions)
    must not push out a source of five articles naming one (5 mentions), which the store ranks below them."""
    settings = load_settings()
    client = make_client(settings)
    records = [make_record(f"https://s{n}.example/{i}", story(600 + 10 * n + i), published=_at(20, 9 + i),
                           source=f"Source {n:02d}", orgs={"Mistral AI": 0.1, "Nvidia": 0.1})
               for n in range(10) for i in range(3)]
    records += [make_record(f"https://solo.example/{i}", story(700 + i), published=_at(20, 9 + i), source="Solo",
                            orgs={"Mistral AI": 0.1}) for i in range(5)]
    index_enriched(client, settings, records)
    try:
        result = coverage(client, settings, ["Mistral AI", "Nvidia"], since="2026-11-20", until="2026-11-20")
        top = result["top_sources"]
        assert len(top) == 10 and top[0] == {"source": "Solo", "count": 5, "mentions": 5}
        assert [s["count"] for s in top[1:]] == [3] * 9
        assert sum(t["articles"] for t in result["totals"].values()) == 5 + 10 * 3 * 2
    finally:
        drop_prefix(client, settings.es_index_prefix)


def test_a_company_without_mentions_gets_a_whole_count_axis(indexed):
    """A watched company nobody wrote about: its count axis read 0.000 … 0.054 articles per day."""
    from pipeline.coverage import coverage_figure

    settings, client = indexed
    for companies in (["Kyutai"], ["Kyutai", "Mistral AI"]):
        result = coverage(client, settings, companies, since="2026-11-16", until="2026-11-22")
        figure = coverage_figure(result)
        counts = [ax for ax in figure.axes if ax.get_ylabel() == "articles per day"]
        assert len(counts) == len(companies)
        for ax in counts:
            ticks = [t for t in ax.get_yticks() if ax.get_ylim()[0] <= t <= ax.get_ylim()[1]]
            assert ticks and all(float(t).is_integer() for t in ticks), (companies, ticks)
        if "Mistral AI" in companies:  # the company written about keeps its own scale
            assert max(ax.get_ylim()[1] for ax in counts) >= 3
        import matplotlib.pyplot as plt

        plt.close(figure)


def test_clusters_with_by_source_or_co_mentions_is_refused_not_silently_ignored(indexed, capsys):
    """`--clusters` counts the over-time view in clusters: `--by source --clusters` printed mention counts."""
    from pipeline.cli import main

    for view, counted in ((["--by", "source"], "counts mentions"), (["--co-mentions"], "counts articles")):
        with pytest.raises(SystemExit) as exit_info:
            main(["coverage", "--entity", "Mistral AI", *view, "--clusters"])
        err = capsys.readouterr().err.replace("\n", " ")
        assert exit_info.value.code == 2 and "Traceback" not in err, err
        assert f"{' '.join(view)} {counted}" in err and "drop --clusters" in err


def test_an_interval_with_by_source_or_co_mentions_is_refused_not_silently_ignored(indexed, capsys):
    """`coverage --by source --interval week` printed the whole period's totals per source, as without --interval,
    without a word: those views have no buckets. Refused in one sentence (exit 2), as --png and --clusters are."""
    from pipeline.cli import main

    for view in (["--by", "source"], ["--co-mentions"]):
        with pytest.raises(SystemExit) as exit_info:
            main(["coverage", "--entity", "Mistral AI", *view, "--interval", "week", *WINDOW])
        err = " ".join(capsys.readouterr().err.split())
        assert exit_info.value.code == 2 and "Traceback" not in err, err
        assert f"--interval sets the over-time view's buckets; {' '.join(view)} counts the whole period" in err
    main(["coverage", "--entity", "Mistral AI", "--by", "source", *WINDOW, "--json"])  # without it: as before
    assert json.loads(capsys.readouterr().out)["rows"]


def test_an_output_whose_directory_cannot_be_created_is_refused_before_any_query(tmp_path, monkeypatch):
    """`coverage --png /impossible/dir/x.png` ran every query, then failed on the directory ("No such file or
    directory (/impossible)", naming no option). Every output a command writes last (--png, --csv, a report) is now
    checked first, its directory created or refused in one sentence naming the option and the directory: the store
    here does not answer, so reaching it would be another error."""
    import socket

    with socket.socket() as sock:  # a port nothing listens on
        sock.bind(("127.0.0.1", 0))
        dead = sock.getsockname()[1]
    monkeypatch.setenv("NEWSROOM_ES_URL", f"http://127.0.0.1:{dead}")
    (tmp_path / "afile").write_text("x")
    unmakeable = "/proc/newsroom-no-such-dir/sub"  # /proc takes no new directory, not even from root
    cases = [
        (("coverage", "--entity", "Mistral AI", "--png", f"{unmakeable}/x.png"),
         f"--png {unmakeable}/x.png: its directory {unmakeable} cannot be created"),
        (("coverage", "--entity", "Mistral AI", "--csv", f"{unmakeable}/x.csv"),
         f"--csv {unmakeable}/x.csv: its directory {unmakeable} cannot be created"),
        (("mentions", "--entity", "Mistral AI", "--csv", f"{unmakeable}/m.csv"),
         f"--csv {unmakeable}/m.csv: its directory {unmakeable} cannot be created"),
        (("search", "Mistral", "--csv", f"{unmakeable}/s.csv"),
         f"--csv {unmakeable}/s.csv: its directory {unmakeable} cannot be created"),
        (("report", "--output", f"{unmakeable}/r.html"),
         f"Report file (--output) {unmakeable}/r.html: its directory {unmakeable} cannot be created"),
        (("report", "--output", str(tmp_path / "r.html"), "--png", f"{unmakeable}/charts"),
         f"--png {unmakeable}/charts cannot be created"),
        (("coverage", "--entity", "Mistral AI", "--png", str(tmp_path / "afile" / "x.png")), "afile/x.png cannot be used")]
    for args, message in cases:
        proc = _cli(*args)
        assert proc.returncode == 2 and "Traceback" not in proc.stderr, (args, proc.stderr)
        assert message in " ".join(proc.stderr.split()), (args, proc.stderr)


def test_mentions_all_writes_every_mention_past_the_10000_a_search_returns(es_url, tmp_path):
    """An analyst exporting a busy company's mentions got at most 10,000 (`--size` is Elasticsearch's result window)
    and no way to the rest: `mentions --all --csv` writes every one, newest first, a page at a time."""
    from elasticsearch import helpers

    from pipeline.store.templates import index_names

    settings = load_settings()
    client = make_client(settings)
    index_enriched(client, settings, [make_record("https://a.example/one", story(900), orgs={"Nvidia": 0.2},
                                                  published=datetime(2026, 11, 17, 8, tzinfo=UTC))])
    alias = index_names(settings.es_index_prefix)["mentions"]
    count = 10_500
    helpers.bulk(client, ({"_index": alias, "_id": f"m{n}", "_source": {
        "article_id": f"a{n:05d}", "company": "Nvidia", "source": "Wire", "lang": "en", "title": f"Story {n}",
        "url": f"https://wire.example/{n}", "sentiment": {"label": "neutral", "score": 0.0},
        "published_at": f"2026-11-{18 + n % 3}T{n % 24:02d}:{n % 60:02d}:00+00:00"}} for n in range(count)),
        refresh=True, chunk_size=2000)
    out = tmp_path / "all.csv"
    proc = _cli("mentions", "--company", "nvidia", *WINDOW, "--all", "--csv", str(out))
    assert proc.returncode == 0, proc.stderr
    assert f"{count + 1} mention(s), 2026-11-16 → 2026-11-22 (Europe/Paris): all written to" in proc.stdout
    with out.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == count + 1 and len({r["article_id"] for r in rows}) == count + 1  # each once
    dates = [r["published_at"] for r in rows]
    assert dates == sorted(dates, reverse=True)
    # ties on the date (several mentions a minute) come in one order: the latest 10,000 are the first 10,000 of --all
    page = tmp_path / "page.csv"
    assert _cli("mentions", "--company", "nvidia", *WINDOW, "--size", "10000", "--csv", str(page)).returncode == 0
    with page.open(encoding="utf-8") as fh:
        assert [r["article_id"] for r in csv.DictReader(fh)] == [r["article_id"] for r in rows[:10_000]]
    refused = _cli("mentions", "--company", "nvidia", "--all")
    assert refused.returncode == 1 and "--all writes every mention into the --csv file" in refused.stderr
    drop_prefix(client, settings.es_index_prefix)


def test_a_month_or_a_year_as_iso_8601_writes_them_is_that_whole_month_or_year(indexed):
    """`--since 2026-11 --until 2026-11` (ISO 8601's month, as an analyst asks for November) was refused: "use
    YYYY-MM-DD or an ISO 8601 date-time", which it is. It is November, the last day included, in every command."""
    from zoneinfo import ZoneInfo

    from pipeline.coverage import parse_when

    for command in (["search", "Nvidia"], ["mentions", "--company", "nvidia"], ["coverage", "--company", "nvidia"]):
        month = _cli(*command, "--since", "2026-11", "--until", "2026-11", "--json")
        assert month.returncode == 0, (command, month.stderr)
        assert json.loads(month.stdout) == json.loads(_cli(*command, "--since", "2026-11-01", "--until", "2026-11-30",
                                                           "--json").stdout), command
    paris = ZoneInfo("Europe/Paris")
    assert parse_when("2026", paris) == datetime(2026, 1, 1, tzinfo=paris)
    assert parse_when("2026", paris, end=True) == parse_when("2026-12", paris, end=True) == datetime(2027, 1, 1,
                                                                                                    tzinfo=paris)
    assert parse_when("9999", paris, end=True) is None  # no end, as 9999-12-31
    with pytest.raises(NewsroomError, match=r"^--since 2026-13 is no month: a month is 01 to 12\.$"):
        parse_when("2026-13", paris)


def test_an_iso_8601_end_of_day_at_24_00_is_the_next_midnight(indexed):
    """`--until 2026-11-21T24:00` (ISO 8601's end of a day) was refused as no date ("use YYYY-MM-DD or an ISO 8601
    date-time"): Python reads hours 0 to 23. It is the next day's midnight, in every command; 24:30 is no time."""
    from zoneinfo import ZoneInfo

    from pipeline.coverage import parse_when

    for command in (["search", "Nvidia"], ["mentions", "--company", "nvidia"], ["coverage", "--company", "nvidia"]):
        hour_24 = _cli(*command, "--since", "2026-11-17T24:00", "--until", "2026-11-21T24:00", "--json")
        assert hour_24.returncode == 0, (command, hour_24.stderr)
        assert json.loads(hour_24.stdout) == json.loads(_cli(*command, "--since", "2026-11-18", "--until",
                                                             "2026-11-21", "--json").stdout), command
    paris = ZoneInfo("Europe/Paris")
    midnight = datetime(2026, 12, 1, tzinfo=paris)
    for typed in ("2026-11-30T24:00", "2026-11-30T24:00:00", "2026-11-30 24:00:00.000", "20261130T2400"):
        assert parse_when(typed, paris, end=True) == parse_when(typed, paris) == midnight, typed
    assert parse_when("2026-11-30T24:00Z", paris, end=True) == datetime(2026, 12, 1, tzinfo=UTC)
    assert parse_when("2026-12-31T24:00+01:00", paris) == datetime(2027, 1, 1, tzinfo=paris)
    with pytest.raises(NewsroomError, match=r"^--until '2026-11-30T24:30' is no time: hour 24 is only 24:00"):
        parse_when("2026-11-30T24:30", paris, end=True)
    with pytest.raises(NewsroomError, match=r"^--since '2026-11-31T24:00' is no day: November 2026 has 30 days\.$"):
        parse_when("2026-11-31T24:00", paris)


@pytest.mark.parametrize("by", ["week", "Day", "month"])
def test_coverage_by_an_interval_names_the_option_that_counts_by_it(by):
    """`coverage --by week` (the over-time view's buckets asked the way `--by source` is) was told "use source", with
    no word of --interval; the sentence names it, before any query."""
    proc = _cli("coverage", "--company", "Nvidia", "--by", by)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert (f"Unknown --by view {by!r}: use source (mentions per source); the over-time view counts by "
            f"{by.lower()} with --interval {by.lower()} (leave --by out).") in " ".join(proc.stderr.split())


def test_mentions_size_past_the_result_window_names_the_option_that_writes_them_all():
    """`mentions --size 20000` was told to narrow the search, the only way before `--all`; it names `--all --csv`."""
    proc = _cli("mentions", "--company", "Nvidia", "--size", "20000")
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert ("--size must be at most 10,000 (Elasticsearch's result window); --all --csv FILE writes every mention, "
            "past it.") in " ".join(proc.stderr.split())
