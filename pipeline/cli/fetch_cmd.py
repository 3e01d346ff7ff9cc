"""`newsroom fetch` (feeds → articles JSONL) and `newsroom extract` (saved HTML files → JSONL)."""

from __future__ import annotations

import contextlib
import json
import os
import stat
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from pipeline.cli import app
from pipeline.errors import NewsroomError
from pipeline.feeds import MAX_ITEM_CATEGORIES, load_feeds
from pipeline.safewrite import atomic_output, resolve_output
from pipeline.settings import get_settings
from pipeline.sinks import for_terminal as esc, terminal_console

if TYPE_CHECKING:
    from rich.console import Console

    from pipeline.collect import Collector, CollectStats

console = terminal_console(stderr=True)


def print_summary(stats: CollectStats, out: Console = console) -> None:
    table = Table(title="fetch summary", show_header=False)
    rows = [
        ("feeds ok / failed / not modified / resting (retry-after)",
         f"{stats.feeds_ok} / {stats.feeds_failed} / {stats.feeds_not_modified} / {stats.feeds_resting}"),
        ("malformed feeds (kept what parsed)", str(stats.feeds_malformed)),
        ("feeds too costly to parse (refused or stopped)", str(stats.feeds_too_costly)),
        ("items read", str(stats.items)),
        ("duplicates", str(stats.duplicates)),
        ("copies of a story already collected (AMP, tracking link)", str(stats.story_copies)),
        ("irrelevant (filter feeds)", str(stats.irrelevant)),
        ("already known", str(stats.known)),
        ("articles", f"{stats.articles} ({stats.feed_summary_fallbacks} from the feed summary)"),
        ("further pages of multi-page stories (cut short)", f"{stats.continuation_pages} ({stats.continuations_cut})"),
        ("selected items skipped (no article)", str(stats.selected_skipped)),
        ("skipped by reason", esc(", ".join(f"{k}: {v}" for k, v in sorted(stats.skipped.items())) or "-")),
        ("summary fallbacks by reason", esc(", ".join(f"{k}: {v}" for k, v in sorted(stats.fallback_reasons.items())) or "-")),
        ("seconds (total / feeds / fetch / extract)", f"{stats.seconds['total']:.1f} / {stats.seconds['feeds']:.1f} / {stats.seconds['fetch']:.1f} / {stats.seconds['extract']:.1f}"),
    ]
    for key, value in rows:
        table.add_row(key, value)
    out.print(table)
    for err in stats.feed_errors:
        out.print(f"[yellow]feed failed:[/] {esc(err['feed'])} — {esc(err['error'])}", highlight=False)
    if stats.implausible_dates:
        out.print(f"[yellow]note:[/] {stats.implausible_dates} feed item(s) had a date before 1990, more than 2 days "
                  "ahead or impossible: treated as unknown (the page's date, else the fetch time, is used).", highlight=False)
    if stats.uncategorised:
        out.print(f"[yellow]note:[/] {stats.uncategorised} feed item(s) carried more than {MAX_ITEM_CATEGORIES:,} "
                  "categories or keywords: read without them (newsroom reads none).", highlight=False)
    if stats.implausible_page_dates:
        out.print(f"[yellow]note:[/] {stats.implausible_page_dates} page(s) stated a publication date before 1990, "
                  "more than 2 days ahead or impossible: treated as unknown (the feed's date, else the fetch time, "
                  "is used).", highlight=False)


@app.command()
def fetch(
    output: Path = typer.Option(..., "--output", "-o", help="JSON Lines file to write (one article per line)."),
    feeds: Path | None = typer.Option(None, "--feeds", help="Feeds file (default: NEWSROOM_FEEDS_FILE or config/feeds.yaml)."),
    since: str | None = typer.Option(None, "--since", help="Skip items published before this ISO date/datetime."),
    include_seen: bool = typer.Option(
        False, "--include-seen",
        help="Also output articles written by earlier runs: every feed is read in full, even when unchanged."),
    stats_json: Path | None = typer.Option(None, "--stats-json", help="Also write the run's counters as JSON."),
) -> None:
    """Fetch the feeds and their articles; write extracted articles as JSON Lines (no Elasticsearch needed)."""
    from pipeline.collect import Collector  # imported here: `newsroom --help` must not load trafilatura
    from pipeline.coverage import parse_when, zone

    settings = get_settings()
    feed_list = load_feeds(feeds, settings)  # validated before anything is fetched or written
    resolve_output(output)  # a directory is refused before anything is fetched
    since_dt = parse_when(since, zone(settings))  # as `ingest --since`: a bare date in NEWSROOM_TIMEZONE
    collector = Collector(settings, feed_list, since=since_dt, remember_seen=True, refresh_feeds=include_seen)
    if not include_seen:
        collector.is_known = collector.state.known_ids
    started = time.perf_counter()
    _write_articles(collector, output, len(feed_list))  # durable: .part, os.replace, then the feed state
    stats = collector.stats
    stats.seconds["total"] = time.perf_counter() - started
    print_summary(stats)
    console.print(f"Wrote {stats.written} article(s) to {esc(output)}.")  # lines written: one per story
    if not any(f.enabled for f in feed_list):
        console.print(f"[yellow]note:[/] {esc(feeds or settings.feeds_path)} lists no enabled feed, so nothing was "
                      "fetched: add one with `newsroom feeds add` (or `feeds import-opml`).", highlight=False)
    if stats_json:
        with atomic_output(stats_json, what="Stats file (--stats-json)") as fh:  # an error mid-write keeps the old one
            fh.write(json.dumps(stats.as_dict(), indent=2, ensure_ascii=False))
    if feed_list and stats.feeds_failed == len([f for f in feed_list if f.enabled]):
        raise NewsroomError(f"All {stats.feeds_failed} feeds failed; see the errors above.")


def _write_articles(collector: Collector, path: Path, feed_count: int) -> None:
    from pipeline.collect import collect_to_file

    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=False,
        disable=not console.is_terminal,
    ) as progress:
        task = progress.add_task(f"reading {feed_count} feeds", total=None)

        def advance(stats: CollectStats) -> None:
            progress.update(task, description="articles", total=stats.selected or None,
                            completed=stats.articles + stats.selected_skipped)  # skipped items are handled too

        collect_to_file(collector, path, on_article=advance)
        progress.update(task, description="articles", total=collector.stats.selected, completed=collector.stats.selected)


def _not_regular(path: Path) -> str:
    """What a path that is neither a directory nor a regular file is, for a sentence."""
    if path.is_symlink() and not path.exists():
        return "a broken symbolic link"
    try:
        mode = path.stat().st_mode
    except OSError:
        return "not readable"
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


def _html_files(paths: list[Path]) -> tuple[list[Path], list[str]]:
    """The files to extract, and the HTML entries of the given directories that are skipped because they are not
    regular files (a FIFO would block the run, a broken link cannot be read), each as "path (what it is)"."""
    files: list[Path] = []
    skipped: list[str] = []
    for path in paths:
        if path.is_dir():
            for entry in sorted(p for p in path.rglob("*") if p.suffix.lower() in (".html", ".htm", ".xhtml")):
                if entry.is_file():
                    files.append(entry)
                elif not entry.is_dir():
                    skipped.append(f"{entry} ({_not_regular(entry)})")
        elif path.is_file():
            files.append(path)
        elif path.exists() or path.is_symlink():
            raise NewsroomError(f"{path} is {_not_regular(path)}, not a file to extract.")
        else:
            raise NewsroomError(f"{path} does not exist.")
    return files, skipped


@app.command()
def extract(
    paths: list[Path] = typer.Argument(..., help="HTML files or directories (searched for *.html/*.htm)."),
    output: Path = typer.Option(..., "--output", "-o", help="JSON Lines file to write ('-' for stdout)."),
    url: str | None = typer.Option(None, "--url", help="The page's original URL (one file only): improves metadata."),
) -> None:
    """Extract text and metadata from saved HTML files: one JSON object per file."""
    from pipeline.extract import extract_file

    files, skipped = _html_files(paths)
    if url and len(files) != 1:
        raise NewsroomError("--url applies to a single file; give one file or drop --url.")
    started = time.perf_counter()
    failures = 0
    bad_dates: list[str] = []
    # the whole output or nothing: a failure midway leaves an earlier file as it was
    with contextlib.nullcontext(sys.stdout) if str(output) == "-" else atomic_output(output) as out, Progress(
        TextColumn("extracting"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        console=console, disable=not console.is_terminal,
    ) as progress:
        task = progress.add_task("extract", total=len(files))
        for path in files:
            record = extract_file(path, url, date_notes=bad_dates)
            # a name that is not UTF-8 (a page saved on a Latin-1 system) comes with surrogate escapes: shown as \xff
            record["file"] = os.fsencode(path).decode("utf-8", "backslashreplace")
            failures += 1 if record.get("error") else 0
            line = json.dumps(record, ensure_ascii=False)
            try:
                line.encode("utf-8")
            except UnicodeEncodeError:  # the name again, in an error sentence: JSON's own escapes
                line = json.dumps(record)
            out.write(line + "\n")
            progress.advance(task)
    seconds = time.perf_counter() - started
    console.print(f"Extracted {len(files) - failures}/{len(files)} file(s) in {seconds:.1f}s" + (f" ({failures} without article text)" if failures else "") + ".")
    if skipped:
        console.print(f"[yellow]note:[/] {len(skipped)} entr{'y' if len(skipped) == 1 else 'ies'} skipped, not regular "
                      f"files: {esc(', '.join(skipped[:5]))}{' …' if len(skipped) > 5 else ''}.", highlight=False)
    if bad_dates:
        console.print(f"[yellow]note:[/] {len(bad_dates)} file(s) stated a publication date before 1990, more than 2 "
                      f"days ahead or impossible (e.g. {esc(bad_dates[0])}): treated as unknown.", highlight=False)
