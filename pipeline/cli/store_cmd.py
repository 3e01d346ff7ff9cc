"""`newsroom store up|down|status` and `setup` (`ingest`/`replay`: ingest_cmd; `coverage`, `search`: their own modules)."""

from __future__ import annotations


import typer

from pipeline.cli import app
from pipeline.settings import load_settings
from pipeline.sinks import for_json, for_terminal as esc, terminal_console

store_app = typer.Typer(help="The embedded Elasticsearch stand-in (used when NEWSROOM_ES_URL is unset).",
                        no_args_is_help=True)
app.add_typer(store_app, name="store")
console = terminal_console(soft_wrap=True)
err = terminal_console(stderr=True, soft_wrap=True)


def _client(settings):
    from pipeline.store.client import make_client

    return make_client(settings)


def _print_json(data) -> None:
    typer.echo(for_json(data))


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
    """Which store the pipeline uses (the cluster at NEWSROOM_ES_URL, else the embedded stand-in), documents per
    index, and the last run; exits 1 when the store in use cannot be read."""
    from pipeline.sinks import for_terminal
    from pipeline.store.client import embedded_store
    from pipeline.store.status import cluster_status, store_contents

    settings = load_settings()
    if settings.es_url:  # the embedded store is not used: its fields would only mislead
        status = cluster_status(settings)
        keys: tuple[str, ...] = ("pipeline_uses",)
    else:
        status = embedded_store(settings).status()
        status["pipeline_uses"] = "embedded stand-in"
        keys = ("pipeline_uses", "running", "url", "data_dir")
        if status["running"]:  # never starts the embedded store just to count
            from pipeline.errors import StoreError

            try:
                status.update(store_contents(_client(settings), settings))
            except StoreError as exc:
                status["error"] = str(exc)
    failed = "data_file_error" in status or "error" in status
    if as_json:
        _print_json(status)
        if failed:
            raise typer.Exit(1)
        return
    for key in keys:
        console.print(f"{key}: {for_terminal(status.get(key))}", highlight=False)
    cluster = status.get("cluster")
    if cluster:
        console.print(f"cluster: {for_terminal(cluster.get('name') or '?')}, Elasticsearch "
                      f"{for_terminal(cluster.get('version'))}, health {for_terminal(cluster.get('health'))}",
                      highlight=False)
    if "data_file_error" in status:
        console.print(f"[bold red]data file unusable:[/] {for_terminal(status['data_file_error'])}", highlight=False)
        raise typer.Exit(1)
    if "error" in status:
        console.print(f"[yellow]store not readable:[/] {for_terminal(status['error'])}", highlight=False)
    for name, count in (status.get("indices") or {}).items():
        console.print(f"  {for_terminal(name)}: {'missing' if count is None else f'{count} document(s)'}",
                      highlight=False)
    run = status.get("last_run")
    if run:
        counts = ", ".join(f"{k} {v}" for k, v in (run.get("counts") or {}).items())
        console.print(f"last run: {for_terminal(run.get('run_id'))} ({for_terminal(run.get('kind'))}) "
                      f"{for_terminal(run.get('status'))}, finished {for_terminal(run.get('finished_at'))}"
                      f"{'; ' + for_terminal(counts) if counts else ''}", highlight=False)
        skipped = run.get("skipped") if isinstance(run.get("skipped"), dict) else {}  # none before 2026-12-05
        if skipped:  # most first, as the ingest summary lists them
            most = sorted(skipped, key=lambda reason: (-skipped[reason] if isinstance(skipped[reason], int) else 0,
                                                       reason))
            console.print("  skipped items by reason: " + for_terminal(", ".join(f"{r} {skipped[r]}" for r in most)),
                          highlight=False)
    elif "indices" in status and "error" not in status:
        console.print("last run: none recorded")
    if failed:
        raise typer.Exit(1)


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


