"""`newsroom coverage` (over time, `--by source`, `--co-mentions`) and `newsroom mentions`, with CSV exports."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from pipeline.cli import app
from pipeline.errors import NewsroomError
from pipeline.settings import load_settings
from pipeline.sinks import for_json, terminal_console
from pipeline.urls import display_source

console = terminal_console(soft_wrap=True)

SERIES_COLUMNS = ["date", "company", "count", "articles", "clusters", "tone", "partial"]
BY_SOURCE_COLUMNS = ["company", "source", "mentions", "tone", "negative", "neutral", "positive"]
CO_MENTION_COLUMNS = ["company", "co_mentioned", "articles", "share"]
MENTION_COLUMNS = ["published_at", "article_id", "company", "tone", "score", "source", "lang", "title", "url",
                   "corrected", "corrected_by", "model_label"]


def _print_json(data) -> None:
    typer.echo(for_json(data))


def _client(settings):
    from pipeline.store.client import QUERY_OPTIONS, make_client

    return make_client(settings, **QUERY_OPTIONS)


def _companies(settings, names: list[str]) -> list[str]:
    from pipeline.enrich.watchlist import load_watchlist, resolve_companies, watchlist_path

    companies = resolve_companies(names, load_watchlist(watchlist_path(settings.config_dir)))
    if not companies:
        raise NewsroomError("Give at least one --entity or --company (a watched company, e.g. \"Mistral AI\").")
    return companies


def _tone(value: float | None) -> str:
    return "" if value is None else f"{value:+.2f}"


@app.command("coverage")
def coverage_cmd(
    entity: list[str] = typer.Option(..., "--entity", "--company", help="Watched company or alias, any case (repeatable; --company is the same option, as in `search`)."),
    interval: str | None = typer.Option(None, "--interval", help="day (default), week or month: the over-time "
                                        "view's buckets (refused with --by source and --co-mentions)."),
    since: str | None = typer.Option(None, "--since", help="Start date (YYYY-MM-DD or ISO date-time, in "
                                     "NEWSROOM_TIMEZONE; default: the last 30 days, 26 weeks or 12 months from the "
                                     "start of the first day, week or month)."),
    until: str | None = typer.Option(None, "--until", help="End date, included (YYYY-MM-DD) or exclusive date-time "
                                     "(default: now)."),
    by: str | None = typer.Option(None, "--by", help="`source`: mentions and tone per source instead of per date."),
    co: bool = typer.Option(False, "--co-mentions", help="The companies mentioned in the same articles, with counts."),
    as_json: bool = typer.Option(False, "--json", help="Print as JSON."),
    csv_file: Path | None = typer.Option(None, "--csv", help="Also write the table as CSV here."),
    png: Path | None = typer.Option(None, "--png", help="Also write a PNG chart here (over-time view only: refused "
                                         "with --by source and --co-mentions)."),
    clusters: bool = typer.Option(False, "--clusters", help="Count near-duplicate clusters instead of articles."),
) -> None:
    """Mentions over time per company, share of voice, average tone, top sources; or per source, or co-mentions."""
    from pipeline.sinks import for_terminal

    if by is not None:  # any case: `--by Source`
        from pipeline.errors import one_of

        over_time = by.strip().lower() if by.strip().lower() in ("day", "week", "month") else None
        if over_time:  # `--by week` was told "use source", not how to count by week
            raise NewsroomError(f"Unknown --by view {by!r}: use source (mentions per source); the over-time view "
                                f"counts by {over_time} with --interval {over_time} (leave --by out).")
        by = one_of(by, ["source"], "--by view")
    if png and (by or co):  # the chart is the over-time one: it used to be skipped without a word
        from pipeline.errors import ConfigError

        view = "--by source" if by else "--co-mentions"
        raise ConfigError(f"--png draws the over-time chart; {view} has no chart (use --csv FILE or --json for its "
                          "table, or drop --png).")
    if clusters and (by or co):  # counted in mentions or articles whatever was asked: say so instead
        from pipeline.errors import ConfigError

        view = "--by source counts mentions" if by else "--co-mentions counts articles"
        raise ConfigError(f"--clusters counts the over-time view in near-duplicate clusters; {view} (drop "
                          "--clusters).")
    if interval is not None and (by or co):  # one total per source or company pair: there are no buckets
        from pipeline.errors import ConfigError

        view = "--by source" if by else "--co-mentions"
        raise ConfigError(f"--interval sets the over-time view's buckets; {view} counts the whole period in one row "
                          "per source or company (drop --interval, or narrow the period with --since/--until).")
    settings = load_settings()
    if png:
        from pipeline.coverage import png_path

        png = png_path(png)  # checked before the store is queried
    if csv_file:
        from pipeline.safewrite import prepare_output

        prepare_output(csv_file, "--csv")  # the same
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
        table = Table(*columns, title=f"{for_terminal(', '.join(companies))} {what} {result['period']}")
        for row in result["rows"]:
            table.add_row(*[for_terminal(_tone(row[c]) if c == "tone" else f"{row[c]:.0%}" if c == "share" else
                                         display_source(row[c]) if c == "source" else row[c]) for c in columns])
        console.print(table)
        for note in result.get("notes") or []:
            console.print(f"note: {for_terminal(note)}", highlight=False)
        if not result["rows"]:
            mentioned = {e: n for e, n in result.get("articles", {}).items() if n}
            if mentioned:  # mentioned, but never together with another watched company
                for name, count in mentioned.items():
                    console.print(f"{for_terminal(name)} is mentioned in {count} article(s) in this period, never "
                                  "with another watched company", highlight=False)
            else:
                console.print("no mention in this period")
        if csv_file:
            console.print(f"CSV written to {for_terminal(csv_file)}", highlight=False)
        return

    from pipeline.coverage import coverage, render_png, voice_percentages

    with store_replies(client):
        # `--interval ""` is refused as a wrong word, not read as the default day
        result = coverage(client, settings, companies, interval="day" if interval is None else interval, since=since,
                          until=until, count="clusters" if clusters else "articles")
    if png:
        render_png(result, png)
    if csv_file:
        from pipeline.export import write_csv

        rows = [{"date": p["date"], "company": company, "count": p["count"], "articles": p["articles"],
                 "clusters": p["clusters"], "tone": p["sentiment"], "partial": p["partial"]}
                for company, points in result["series"].items() for p in points]
        write_csv(csv_file, SERIES_COLUMNS, rows)
    if as_json:
        _print_json(result)
        return
    unit = "clusters" if clusters else "articles"
    table = Table(f"{result['interval']} ({result['time_zone']})",
                  *[f"{for_terminal(e)} ({unit}, tone)" for e in result["series"]],
                  title=f"coverage {result['period']}")
    first = next(iter(result["series"].values()))
    dates = [p["date"] + (" (partial)" if p["partial"] else "") for p in first]
    for i, day in enumerate(dates):
        cells = []
        for points in result["series"].values():
            p = points[i]
            cells.append("" if not p["count"] else f"{p['count']}  ({_tone(p['sentiment'])})")
        table.add_row(day, *cells)
    table.add_section()
    voices = voice_percentages(result["share_of_voice"])  # adding up to 100 %; "—" when nothing was mentioned
    table.add_row("share of voice", *[voices[e] for e in result["series"]])
    console.print(table)
    # a column of blank rows said it only by omission; the other views say it in words
    if not any(total["articles"] for total in result["totals"].values()):
        console.print(f"no mention of {for_terminal(' or '.join(result['series']))} in this period", highlight=False)
    console.print("tone: average tone toward the company, from -1 (negative) to +1 (positive)", style="dim")
    if result["top_sources"]:
        console.print("top sources: " + ", ".join(f"{for_terminal(display_source(s['source']))} ({s['count']})"
                                                  for s in result["top_sources"]), highlight=False)
    for note in result["notes"]:
        console.print(f"[yellow]note:[/] {for_terminal(note)}")
    if png:
        console.print(f"chart written to {for_terminal(png)}", highlight=False)
    if csv_file:
        console.print(f"CSV written to {for_terminal(csv_file)}", highlight=False)


@app.command("mentions")
def mentions_cmd(
    entity: list[str] = typer.Option(..., "--entity", "--company", help="Watched company or alias, any case (repeatable; --company is the same option, as in `search`)."),
    since: str | None = typer.Option(None, "--since", help="Start date (YYYY-MM-DD or ISO date-time, in "
                                     "NEWSROOM_TIMEZONE; default: 30 days before --until, from midnight)."),
    until: str | None = typer.Option(None, "--until", help="End date, included (YYYY-MM-DD) or exclusive date-time "
                                     "(default: now)."),
    tone: str | None = typer.Option(None, "--tone", help="Only this tone toward the company: negative, neutral, "
                                                         "positive (or négatif, neutre, positif)."),
    size: int = typer.Option(50, "--size", "--limit", help="How many mentions, newest first (at most 10,000)."),
    as_json: bool = typer.Option(False, "--json", help="Print as JSON."),
    csv_file: Path | None = typer.Option(None, "--csv", help="Also write the mentions as CSV here."),
    every: bool = typer.Option(False, "--all", help="Write every matching mention into --csv, past 10,000 "
                                                    "(streamed; the terminal gets the count only)."),
) -> None:
    """The latest mentions of companies: one line per article and company, with the tone toward the company.

    Without --since, the last 30 days (from midnight, NEWSROOM_TIMEZONE); the header states the period."""
    from pipeline.coverage import describe_window, list_mentions, local_time, query_window, zone
    from pipeline.search import SHORT_ID, check_size, tone_label
    from pipeline.sinks import for_terminal, shown_title

    tone = tone_label(tone, "--tone") if tone is not None else None
    if every and (not csv_file or as_json):  # 50,000 rows are a file, not a screen or one JSON document
        raise NewsroomError("--all writes every mention into the --csv file: give --csv FILE (and no --json, which "
                            "lists at most 10,000 with --size).")
    check_size(size, "--all --csv FILE writes every mention, past it")  # an analyst at the limit learns the way on
    settings = load_settings()
    if csv_file:
        from pipeline.safewrite import prepare_output

        prepare_output(csv_file, "--csv")  # checked before the store is queried
    companies = _companies(settings, entity)
    start, end = query_window(settings, since, until)
    if every:
        from pipeline.coverage import every_mention
        from pipeline.export import write_csv

        written = write_csv(csv_file, MENTION_COLUMNS, every_mention(_client(settings), settings, companies, since,
                                                                    until, tone=tone))
        console.print(f"{written} mention(s), {describe_window(start, end, zone(settings))}: all written to "
                      f"{for_terminal(csv_file)}", highlight=False)
        return
    rows, total = list_mentions(_client(settings), settings, companies, since, until, tone=tone,
                                size=size)
    if csv_file:
        from pipeline.export import write_csv

        write_csv(csv_file, MENTION_COLUMNS, rows)
    if as_json:
        # a list of rows, as before; each carries `total`, how many mentions match (the list holds the latest --size)
        _print_json([{**row, "total": total} for row in rows])
        return
    tz = zone(settings)
    title = f"{total} mention(s), {describe_window(start, end, tz)}"
    if not total:  # said in words, as `coverage` says it, not as a table of no rows
        console.print(f"{title}: no mention of {for_terminal(' or '.join(companies))} in this period"
                      + (f" with a {tone} tone" if tone else ""), highlight=False)
        if csv_file:
            console.print(f"CSV written to {for_terminal(csv_file)}", highlight=False)
        return
    if len(rows) < total:
        title += f"; the latest {len(rows)}:"
    table = Table("date", "id", "company", "tone", "source", "title", title=title)
    for row in rows:
        tone_cell = f"{for_terminal(row['tone'])} {_tone(row['score'])}"
        if row["corrected"]:  # the analyst's label, not the model's
            tone_cell += (f" (corrected by {for_terminal(row['corrected_by'] or 'an analyst')}"
                          f"; model said {for_terminal(row['model_label'] or '?')})")
        table.add_row(for_terminal(local_time(row["published_at"], tz)), for_terminal((row["article_id"] or "")[:SHORT_ID]),
                      for_terminal(row["company"]), tone_cell,
                      for_terminal(display_source(row["source"])), for_terminal(shown_title(row["title"], row["url"]), 80))
    console.print(table)
    if csv_file:
        console.print(f"CSV written to {for_terminal(csv_file)}", highlight=False)
