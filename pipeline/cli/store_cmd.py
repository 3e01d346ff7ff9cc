"""`newsroom store up|down|status`, `setup`, `coverage`, `search` (`ingest` and `replay`: pipeline.cli.ingest_cmd)."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from pipeline.cli import app
from pipeline.errors import NewsroomError
from pipeline.settings import load_settings
from pipeline.sinks import for_terminal as esc

store_app = typer.Typer(help="The embedded Elasticsearch stand-in (used when NEWSROOM_ES_URL is unset).",
                        no_args_is_help=True)
app.add_typer(store_app, name="store")
console = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)


def _client(settings):
    from pipeline.store.client import make_client

    return make_client(settings)


def _print_json(data) -> None:
    typer.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))


@store_app.command("up")
def store_up() -> None:
    """Start the embedded stand-in (data under <data_dir>/es) and print its URL."""
    from pipeline.store.client import embedded_store

    settings = load_settings()
    if settings.es_url:
        err.print(f"NEWSROOM_ES_URL is set ({settings.masked()['es_url']}): the embedded store is not used.")
    typer.echo(embedded_store(settings).up())


@store_app.command("down")
def store_down() -> None:
    """Stop the embedded stand-in (its data is kept)."""
    from pipeline.store.client import embedded_store

    embedded_store(load_settings()).down()
    typer.echo("stopped")


@store_app.command("status")
def store_status(as_json: bool = typer.Option(False, "--json", help="Print as JSON.")) -> None:
    """Whether the embedded stand-in runs, where, and which cluster the pipeline uses."""
    from pipeline.store.client import embedded_store

    settings = load_settings()
    status = embedded_store(settings).status()
    status["pipeline_uses"] = settings.masked()["es_url"] if settings.es_url else "embedded stand-in"
    if as_json:
        _print_json(status)
        return
    for key, value in status.items():
        console.print(f"{key}: {esc(value)}")


@app.command("setup")
def setup_cmd(as_json: bool = typer.Option(False, "--json", help="Print as JSON.")) -> None:
    """Create (idempotently) the ILM policy, index templates, first indices and write aliases."""
    from pipeline.store.setup import ensure_setup

    settings = load_settings()
    report = ensure_setup(_client(settings), settings)
    kibana = None
    if settings.kibana_url:  # dashboards too (see docs/dashboards.md); a failure is reported after the ES summary
        from pipeline.kibana import import_with_settings

        kibana = import_with_settings(settings)
        report["kibana"] = kibana.as_dict()
    if as_json:
        _print_json(report)
        _check_kibana(kibana)
        return
    console.print(f"ILM policy: {report['ilm'] or 'none (ILM API unavailable)'}")
    console.print(f"templates: {', '.join(report['index_templates'])}")
    console.print(f"created: {', '.join(report['created']) or '-'}; already there: {', '.join(report['existing']) or '-'}")
    for note in report["notes"]:
        console.print(f"[yellow]note:[/] {esc(note)}")
    _check_kibana(kibana)
    if kibana is not None:
        console.print(f"Kibana: {kibana.success_count} saved object(s) imported into {esc(kibana.url)}", highlight=False)


def _check_kibana(result) -> None:
    """Exit non-zero, listing each object Kibana rejected, after the Elasticsearch part is reported."""
    if result is not None:
        from pipeline.kibana import check

        check(result)


@app.command("coverage")
def coverage_cmd(
    entity: list[str] = typer.Option(..., "--entity", help="Watched company (repeat the option)."),
    interval: str = typer.Option("day", "--interval", help="day, week or month."),
    since: str | None = typer.Option(None, "--since", help="Start date (YYYY-MM-DD or ISO date-time)."),
    until: str | None = typer.Option(None, "--until", help="End date, included (YYYY-MM-DD) or exclusive date-time."),
    as_json: bool = typer.Option(False, "--json", help="Print as JSON."),
    png: Path | None = typer.Option(None, "--png", help="Also write a PNG chart here."),
    clusters: bool = typer.Option(False, "--clusters", help="Count near-duplicate clusters instead of articles."),
) -> None:
    """Mentions over time per company, share of voice, average sentiment, top sources."""
    from pipeline.coverage import coverage, render_png

    settings = load_settings()
    result = coverage(_client(settings), settings, entity, interval=interval, since=since, until=until,
                      count="clusters" if clusters else "articles")
    if png:
        render_png(result, png)
    if as_json:
        _print_json(result)
        return
    unit = "clusters" if clusters else "articles"
    table = Table(result["interval"], *[f"{esc(e)} ({unit})" for e in result["series"]],
                  title=f"coverage {result['since'][:16]} → {result['until'][:16]} ({result['time_zone']})")
    dates = [p["date"] for p in next(iter(result["series"].values()))]
    for i, day in enumerate(dates):
        cells = []
        for points in result["series"].values():
            p = points[i]
            cells.append("" if not p["count"] else f"{p['count']}  ({p['sentiment']:+.2f})")
        table.add_row(day, *cells)
    table.add_section()
    table.add_row("share of voice", *[f"{result['share_of_voice'][e]:.0%}" for e in result["series"]])
    console.print(table)
    if result["top_sources"]:
        console.print("top sources: " + ", ".join(f"{esc(s['source'])} ({s['count']})" for s in result["top_sources"]))
    for note in result["notes"]:
        console.print(f"[yellow]note:[/] {esc(note)}")
    if png:
        console.print(f"chart written to {esc(png)}")


@app.command("search")
def search_cmd(
    query: str = typer.Argument(..., help="Words to look for (French and English stemming)."),
    entity: list[str] = typer.Option(None, "--entity", help="Only articles mentioning this company (repeatable)."),
    since: str | None = typer.Option(None, "--since", help="Only articles published since (YYYY-MM-DD)."),
    size: int = typer.Option(20, "--size", help="How many results."),
    as_json: bool = typer.Option(False, "--json", help="Print as JSON."),
) -> None:
    """Articles matching a query, newest first, with highlighted passages."""
    from pipeline.search import search_articles

    settings = load_settings()
    if size < 1:
        raise NewsroomError("--size must be at least 1.")
    results = search_articles(_client(settings), settings, query, entities=entity or None, since=since, size=size)
    if as_json:
        _print_json(results)
        return
    if not results:
        console.print("no matching article")
    for doc in results:
        console.print(f"[bold]{esc(doc.get('title') or doc['url'])}[/] — {esc(doc.get('source'))}, "
                      f"{esc(doc.get('published_at', '')[:16])}", highlight=False)
        console.print(f"  {esc(doc['url'])}", style="dim", highlight=False)
        for fragment in doc["highlights"]:
            console.print("  … " + esc(fragment) + " …", highlight=False)
