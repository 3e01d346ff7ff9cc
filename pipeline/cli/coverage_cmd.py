"""`newsroom coverage` (over time, `--by source`, `--co-mentions`) and `newsroom mentions`, with CSV exports."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.table import Table

from pipeline.cli import app
from pipeline.errors import NewsroomError
from pipeline.settings import load_settings
from pipeline.sinks import terminal_console

console = terminal_console(soft_wrap=True)

SERIES_COLUMNS = ["date", "company", "count", "articles", "clusters", "tone"]
BY_SOURCE_COLUMNS = ["company", "source", "mentions", "tone", "negative", "neutral", "positive"]
CO_MENTION_COLUMNS = ["company", "co_mentioned", "articles", "share"]
MENTION_COLUMNS = ["published_at", "article_id", "company", "tone", "score", "source", "lang", "title", "url"]


def _print_json(data) -> None:
    typer.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))


def _client(settings):
    from pipeline.store.client import make_client

    return make_client(settings)


def _companies(settings, names: list[str]) -> list[str]:
    from pipeline.enrich.watchlist import load_watchlist, resolve_companies, watchlist_path

    companies = resolve_companies(names, load_watchlist(watchlist_path(settings.config_dir)))
    if not companies:
        raise NewsroomError("Give at least one --entity (a watched company, e.g. \"Mistral AI\").")
    return companies


def _tone(value: float | None) -> str:
    return "" if value is None else f"{value:+.2f}"


@app.command("coverage")
def coverage_cmd(
    entity: list[str] = typer.Option(..., "--entity", help="Watched company or alias, any case (repeatable)."),
    interval: str = typer.Option("day", "--interval", help="day, week or month."),
    since: str | None = typer.Option(None, "--since", help="Start date (YYYY-MM-DD or ISO date-time)."),
    until: str | None = typer.Option(None, "--until", help="End date, included (YYYY-MM-DD) or exclusive date-time."),
    by: str | None = typer.Option(None, "--by", help="`source`: mentions and tone per source instead of per date."),
    co: bool = typer.Option(False, "--co-mentions", help="The companies mentioned in the same articles, with counts."),
    as_json: bool = typer.Option(False, "--json", help="Print as JSON."),
    csv_file: Path | None = typer.Option(None, "--csv", help="Also write the table as CSV here."),
    png: Path | None = typer.Option(None, "--png", help="Also write a PNG chart here (over-time view)."),
    clusters: bool = typer.Option(False, "--clusters", help="Count near-duplicate clusters instead of articles."),
) -> None:
    """Mentions over time per company, share of voice, average tone, top sources; or per source, or co-mentions."""
    from pipeline.sinks import for_terminal

    if by not in (None, "source"):
        raise NewsroomError(f"--by {by!r}: only `--by source` is supported.")
    settings = load_settings()
    if png:
        from pipeline.coverage import png_path

        png = png_path(png)  # checked before the store is queried
    from pipeline.store.client import store_replies

    companies = _companies(settings, entity)
    client = _client(settings)
    if by == "source" or co:
        from pipeline.coverage import co_mentions, coverage_by_source

        with store_replies(client):
            result = (coverage_by_source if by == "source" else co_mentions)(client, settings, companies, since, until)
        columns = BY_SOURCE_COLUMNS if by == "source" else CO_MENTION_COLUMNS
        if csv_file:
            from pipeline.export import write_csv

            write_csv(csv_file, columns, result["rows"])
        if as_json:
            _print_json(result)
            return
        what = "per source" if by == "source" else "co-mentions"
        table = Table(*columns, title=f"{', '.join(companies)} {what} {result['since'][:10]} → {result['until'][:10]}")
        for row in result["rows"]:
            table.add_row(*[for_terminal(_tone(row[c]) if c == "tone" else
                                         f"{row[c]:.0%}" if c == "share" else row[c]) for c in columns])
        console.print(table)
        if not result["rows"]:
            console.print("no mention in this period")
        if csv_file:
            console.print(f"CSV written to {for_terminal(csv_file)}", highlight=False)
        return

    from pipeline.coverage import coverage, render_png

    with store_replies(client):
        result = coverage(client, settings, companies, interval=interval, since=since, until=until,
                          count="clusters" if clusters else "articles")
    if png:
        render_png(result, png)
    if csv_file:
        from pipeline.export import write_csv

        rows = [{"date": p["date"], "company": company, "count": p["count"], "articles": p["articles"],
                 "clusters": p["clusters"], "tone": p["sentiment"]}
                for company, points in result["series"].items() for p in points]
        write_csv(csv_file, SERIES_COLUMNS, rows)
    if as_json:
        _print_json(result)
        return
    unit = "clusters" if clusters else "articles"
    table = Table(result["interval"], *[f"{for_terminal(e)} ({unit}, tone)" for e in result["series"]],
                  title=f"coverage {result['since'][:16]} → {result['until'][:16]} ({result['time_zone']})")
    dates = [p["date"] for p in next(iter(result["series"].values()))]
    for i, day in enumerate(dates):
        cells = []
        for points in result["series"].values():
            p = points[i]
            cells.append("" if not p["count"] else f"{p['count']}  ({_tone(p['sentiment'])})")
        table.add_row(day, *cells)
    table.add_section()
    table.add_row("share of voice", *[f"{result['share_of_voice'][e]:.0%}" for e in result["series"]])
    console.print(table)
    console.print("tone: average tone toward the company, from -1 (negative) to +1 (positive)", style="dim")
    if result["top_sources"]:
        console.print("top sources: " + ", ".join(f"{for_terminal(s['source'])} ({s['count']})"
                                                  for s in result["top_sources"]), highlight=False)
    for note in result["notes"]:
        console.print(f"[yellow]note:[/] {for_terminal(note)}")
    if png:
        console.print(f"chart written to {for_terminal(png)}", highlight=False)
    if csv_file:
        console.print(f"CSV written to {for_terminal(csv_file)}", highlight=False)


@app.command("mentions")
def mentions_cmd(
    entity: list[str] = typer.Option(..., "--entity", help="Watched company or alias, any case (repeatable)."),
    since: str | None = typer.Option(None, "--since", help="Start date (YYYY-MM-DD or ISO date-time)."),
    until: str | None = typer.Option(None, "--until", help="End date, included (YYYY-MM-DD) or exclusive date-time."),
    tone: str | None = typer.Option(None, "--tone", help="Only this tone toward the company: negative, neutral, positive."),
    size: int = typer.Option(50, "--size", help="How many mentions, newest first."),
    as_json: bool = typer.Option(False, "--json", help="Print as JSON."),
    csv_file: Path | None = typer.Option(None, "--csv", help="Also write the mentions as CSV here."),
) -> None:
    """The latest mentions of companies: one line per article and company, with the tone toward the company."""
    from pipeline.coverage import list_mentions
    from pipeline.search import SHORT_ID, TONES
    from pipeline.sinks import for_terminal

    if tone is not None and tone.lower() not in TONES:
        raise NewsroomError(f"--tone {tone!r}: use positive, neutral or negative.")
    if size < 1:
        raise NewsroomError("--size must be at least 1.")
    settings = load_settings()
    companies = _companies(settings, entity)
    rows = list_mentions(_client(settings), settings, companies, since, until, tone=tone and tone.lower(), size=size)
    if csv_file:
        from pipeline.export import write_csv

        write_csv(csv_file, MENTION_COLUMNS, rows)
    if as_json:
        _print_json(rows)
        return
    table = Table("date", "id", "company", "tone", "source", "title", title=f"{len(rows)} mention(s)")
    for row in rows:
        table.add_row(for_terminal((row["published_at"] or "")[:16]), for_terminal((row["article_id"] or "")[:SHORT_ID]),
                      for_terminal(row["company"]), f"{for_terminal(row['tone'])} {_tone(row['score'])}",
                      for_terminal(row["source"]), for_terminal(row["title"], 80))
    console.print(table)
    if csv_file:
        console.print(f"CSV written to {for_terminal(csv_file)}", highlight=False)
