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
    assert list(mistral) == [f"2026-11-{d}" for d in range(16, 23)]  # empty days included
    assert {d: p["count"] for d, p in mistral.items() if p["count"]} == {"2026-11-17": 1, "2026-11-20": 3}
    assert mistral["2026-11-20"]["sentiment"] == pytest.approx((-0.6 - 0.6 + 0.5) / 3, abs=1e-3)
    assert mistral["2026-11-16"]["sentiment"] is None
    assert {d: p["count"] for d, p in nvidia.items() if p["count"]} == {"2026-11-18": 1, "2026-11-20": 1, "2026-11-21": 1}
    assert result["share_of_voice"] == {"Mistral AI": pytest.approx(4 / 7, abs=1e-3), "nvidia": pytest.approx(3 / 7, abs=1e-3)}
    sources = {s["source"]: s["count"] for s in result["top_sources"]}
    assert sources == {"Le Quotidien": 3, "The Compute Ledger": 2, "World Wire": 1}
    # the stand-in buckets in UTC and the result says so
    assert result["time_zone_applied"] is False and result["time_zone"] == "UTC" and result["notes"]


def test_cluster_counts_merge_the_wire_copies(indexed):
    settings, client = indexed
    result = coverage(client, settings, ["Mistral AI"], since="2026-11-16", until="2026-11-22", count="clusters")
    day = _by_date(result["series"]["Mistral AI"])["2026-11-20"]
    assert (day["count"], day["articles"], day["clusters"]) == (2, 3, 2)


def test_weekly_buckets_start_on_monday(indexed):
    settings, client = indexed
    result = coverage(client, settings, ["Mistral AI"], interval="week", since="2026-11-16", until="2026-11-22")
    assert [(p["date"], p["count"]) for p in result["series"]["Mistral AI"]] == [("2026-11-16", 4)]


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


def test_coverage_cli_json_and_png(indexed, tmp_path):
    png = tmp_path / "out.png"
    proc = subprocess.run(
        [sys.executable, "-m", "pipeline", "coverage", "--entity", "Mistral AI", "--entity", "Nvidia",
         "--since", "2026-11-16", "--until", "2026-11-22", "--json", "--png", str(png)],
        capture_output=True, text=True, timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["series"]["Nvidia"][2] == {"date": "2026-11-18", "count": 1, "articles": 1, "clusters": 1, "sentiment": -0.7}
    assert png.exists()


def test_paris_buckets_on_a_real_cluster(real_es_url):
    """On real Elasticsearch the 23:30 UTC article falls on the next Paris day."""
    settings = load_settings()
    client = make_client(settings)
    rec = make_record("https://a.example/tz-late", story(900), published=_at(21, 23, 30), orgs={"Zzz Test Co": 0.1})
    index_enriched(client, settings, [rec])
    result = coverage(client, settings, ["Zzz Test Co"], since="2026-11-21", until="2026-11-22")
    assert result["time_zone_applied"] is True
    assert {p["date"]: p["count"] for p in result["series"]["Zzz Test Co"]} == {"2026-11-21": 0, "2026-11-22": 1}


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


def test_coverage_csv_columns(indexed, tmp_path):
    out = tmp_path / "coverage.csv"
    proc = _cli("coverage", "--entity", "Mistral AI", "--entity", "nvidia", *WINDOW, "--csv", str(out))
    assert proc.returncode == 0, proc.stderr
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert list(rows[0]) == ["date", "company", "count", "articles", "clusters", "tone"]
    assert {"date": "2026-11-18", "company": "Nvidia", "count": "1", "articles": "1", "clusters": "1",
            "tone": "-0.7"} in rows
    assert len(rows) == 2 * 7  # one row per company and day


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
                              "url"]
    assert len(table) == 2


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


def test_png_option_refuses_other_suffixes_and_directories_before_querying(tmp_path):
    (tmp_path / "adir.png").mkdir()
    for name, message in (("chart.xyz", "give a file name ending in .png"), ("chart", "ending in .png"),
                          ("mistral.2026-12", "ending in .png"), ("adir.png", "is a directory")):
        proc = _cli("coverage", "--entity", "Mistral AI", "--png", str(tmp_path / name))
        assert proc.returncode == 2 and "Traceback" not in proc.stderr, proc.stderr
        assert message in proc.stderr.replace("\n", ""), name
    assert sorted(p.name for p in tmp_path.iterdir()) == ["adir.png"]


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
