"""`newsroom report`: the Coverage dashboard as one self-contained HTML file (for readers without Kibana)."""

from __future__ import annotations

from pathlib import Path

import typer

from pipeline.cli import app
from pipeline.settings import load_settings
from pipeline.sinks import for_json, for_terminal, terminal_console

console = terminal_console()


@app.command("report")
def report_cmd(
    output: Path = typer.Option(..., "--output", "-o", help="HTML file to write (e.g. report.html)."),
    entity: list[str] = typer.Option(None, "--entity", "--company", help="Watched company (repeatable; --company is the same option; default: the most mentioned)."),
    since: str | None = typer.Option(None, "--since", help="Start date (YYYY-MM-DD or ISO date-time; default: 30 days ago)."),
    until: str | None = typer.Option(None, "--until", help="End date, included (YYYY-MM-DD) or exclusive date-time."),
    interval: str = typer.Option("day", "--interval", help="Time buckets: day, week or month."),
    # a string, not a Path: typer reads `--png ""` as Path("."), the current directory
    png_dir: str | None = typer.Option(None, "--png", help="Also write each chart as a PNG file into this directory."),
    as_json: bool = typer.Option(False, "--json", help="Print the summary as JSON."),
) -> None:
    """Coverage report: mentions over time, share of voice, sentiment, sources, entities, topics, latest articles."""
    from pipeline.errors import ConfigError
    from pipeline.report import build_report
    from pipeline.safewrite import prepare_directory, prepare_output
    from pipeline.store.client import QUERY_OPTIONS, make_client

    # checked before the report is built (many seconds of queries and charts), not when it is written
    prepare_output(output, "Report file (--output)")
    if png_dir is not None and not png_dir.strip():  # a variable left unset wrote the charts into the working directory
        raise ConfigError("--png is empty: give the directory the PNG charts go into, or leave --png out.")
    png = Path(png_dir) if png_dir is not None else None
    if png is not None and png.exists() and not png.is_dir():
        raise ConfigError(f"--png {png} is not a directory: give the directory the PNG charts go into.")
    if png is not None:
        prepare_directory(png, "--png")
    settings = load_settings()
    summary = build_report(make_client(settings, **QUERY_OPTIONS), settings, output, entities=entity or None,
                           since=since, until=until, interval=interval, png_dir=png)
    if as_json:
        typer.echo(for_json(summary.as_dict()))
        return
    # a watchlist name « Evil [/x] Corp » ended the command in rich's MarkupError once the report was written
    console.print(f"report written to {for_terminal(summary.output)} ({summary.bytes / 1024:.0f} KiB, "
                  f"{len(summary.charts)} charts, {summary.articles} latest articles) in {summary.seconds:.1f} s",
                  highlight=False)
    console.print(f"companies: {for_terminal(', '.join(summary.entities))}" if summary.entities else
                  "companies: none is mentioned in this period (the report says so)", highlight=False)
    if summary.png_files:
        console.print(f"PNG charts: {for_terminal(', '.join(str(p) for p in summary.png_files))}", highlight=False)
