"""`newsroom ingest` (the whole pipeline, streaming) and `newsroom replay` (index what was spooled)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.table import Table

from pipeline.cli import app
from pipeline.settings import load_settings
from pipeline.sinks import for_json, for_terminal, terminal_console

if TYPE_CHECKING:
    from rich.console import Console

console = terminal_console(soft_wrap=True)
err = terminal_console(stderr=True, soft_wrap=True)

NO_FEED_REACHED = (
    "No feed could be reached. If this machine needs a proxy, set HTTPS_PROXY/HTTP_PROXY; check the feed URLs "
    "with `newsroom feeds list`; or try the bundled sample site offline with `make demo`."
)


# How the table's rows add up (pipeline.collect.CollectStats); feed entries without a usable link are not items.
ROWS_ADD_UP = ("items = before_since + duplicates + irrelevant + known + selected; "
               "selected = articles + skipped (selected items that gave no article)")


def _print_json(data) -> None:
    typer.echo(for_json(data))


class _ProgressBar:
    """The CLI's progress bar, fed by the pipeline's per-article callback."""

    def __init__(self, enabled: bool):
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        self.bar = Progress(SpinnerColumn(), TextColumn("ingest"), BarColumn(), MofNCompleteColumn(),
                            TimeElapsedColumn(), TextColumn("{task.fields[detail]}"), console=err,
                            disable=not enabled, transient=False)
        self.task = self.bar.add_task("ingest", total=None, detail="reading feeds")

    def __call__(self, done: int, total: int | None, detail: str) -> None:
        self.bar.update(self.task, completed=done, total=total, detail=for_terminal(detail, 40))


@app.command("ingest")
def ingest_cmd(
    feeds: Path | None = typer.Option(None, "--feeds", help="Feeds file (default: NEWSROOM_FEEDS_FILE or config/feeds.yaml)."),
    since: str | None = typer.Option(None, "--since", help="Only items published since this date (YYYY-MM-DD)."),
    as_json: bool = typer.Option(False, "--json", help="Print the summary as JSON."),
    progress: bool = typer.Option(True, "--progress/--no-progress", help="Show a progress bar."),
) -> None:
    """Fetch, extract, enrich and index the configured feeds in one streaming run."""
    from pipeline.coverage import parse_when, zone
    from pipeline.ingest import ingest

    settings = load_settings()
    feed_list = None
    if feeds is not None:
        from pipeline.feeds import load_enabled_feeds

        feed_list = load_enabled_feeds(feeds, settings)
    since_dt = parse_when(since, zone(settings))  # a bad date is one sentence before the progress bar starts
    bar = _ProgressBar(progress and not as_json)
    with bar.bar:
        summary = ingest(settings, feeds=feed_list, since=since_dt, progress=bar)
    data = summary.as_dict()
    if as_json:
        _print_json(data)
    else:
        print_summary(data)
    if data["status"] == "failed":
        raise typer.Exit(1)


def print_summary(data: dict, out: Console = console) -> None:
    """The run's counts, then what a reader acts on: why items were skipped, which companies came in, errors."""
    table = Table("stage", "count", title=f"ingest {data['run_id']} — {data['status']} in {data['duration_s']:.1f} s",
                  caption=ROWS_ADD_UP if "unusable_entries" in data["counts"] else None)
    for key, value in data["counts"].items():
        table.add_row(key, str(value))
    out.print(table)
    if data["stage_seconds"]:
        out.print("time per stage: " + ", ".join(f"{k} {v:.1f} s" for k, v in data["stage_seconds"].items()))
    if data.get("skipped"):
        out.print("skipped items by reason (unusable entries, before --since, and selected items):")
        for reason, count in sorted(data["skipped"].items(), key=lambda kv: (-kv[1], kv[0])):
            examples = (data.get("skipped_examples") or {}).get(reason) or []
            shown = ", ".join(for_terminal(u, 120) for u in examples)
            out.print(f"  {for_terminal(reason)}: {count}" + (f" (e.g. {shown})" if shown else ""), highlight=False)
    if data.get("fallback_reasons"):
        out.print("summary fallbacks by reason: " + ", ".join(
            f"{for_terminal(reason)}: {count}"
            for reason, count in sorted(data["fallback_reasons"].items(), key=lambda kv: (-kv[1], kv[0]))),
            highlight=False)
    if data.get("companies"):
        out.print("watched companies in this run: " + ", ".join(
            f"{for_terminal(name)} ({n})" for name, n in data["companies"].items()), highlight=False)
    elif data["counts"].get("enriched"):
        out.print("watched companies in this run: none", highlight=False)
    for error in data["feed_errors"]:
        out.print(f"[red]feed failed:[/] {for_terminal(error.get('feed'))} ({for_terminal(error.get('url'))}): "
                  f"{for_terminal(error.get('error'), 300)}", highlight=False)
    if data["dead_letters"]:
        out.print(f"[yellow]{data['dead_letters']} document(s) rejected[/]: see the dead-letter file")
    if data["spooled"]:
        out.print(f"[yellow]{data['spooled']} article(s) spooled[/] (Elasticsearch down): run `newsroom replay`")
    counts = data["counts"]
    unreachable = bool(counts.get("feeds")) and not (counts.get("feeds_ok") or counts.get("feeds_not_modified")
                                                     or counts.get("feeds_resting"))
    for note in data.get("notes", []):
        if not (unreachable and note.startswith("none of the")):  # said better just below
            out.print(f"[yellow]note:[/] {for_terminal(note, 500)}", highlight=False)
    if unreachable:
        out.print(f"[red]{NO_FEED_REACHED}[/]", highlight=False)


@app.command("replay")
def replay_cmd(as_json: bool = typer.Option(False, "--json", help="Print as JSON.")) -> None:
    """Index the articles spooled to disk while Elasticsearch was down."""
    from pipeline.store.client import make_client
    from pipeline.store.indexing import replay_spool

    from pipeline.runs import flush_run_records

    settings = load_settings()
    client = make_client(settings)
    stats = replay_spool(client, settings).as_dict()
    stats["run_records"] = flush_run_records(client, settings)  # records of runs that ended while the store was down
    if as_json:
        _print_json(stats)
    else:
        console.print(f"replayed {stats['replayed_files']} spool file(s): {stats['created']} new, "
                      f"{stats['updated']} updated, {stats['unchanged']} already indexed, "
                      f"{stats['dead_letters']} rejected"
                      + (f"; skipped {stats['unreadable_lines']} unreadable line(s)" if stats["unreadable_lines"] else "")
                      + (f"; wrote {stats['run_records']} run record(s)" if stats["run_records"] else ""),
                      highlight=False)
    for kept in stats["damaged_files"]:  # those lines' articles are not indexed, and their feeds will not resend them
        console.print(f"kept {for_terminal(kept)}: its unreadable lines are articles that could not be indexed",
                      highlight=False)
    if stats["damaged_files"]:
        raise typer.Exit(1)
