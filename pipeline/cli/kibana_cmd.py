"""`newsroom kibana import` and `newsroom kibana export-ndjson`: ship the dashboards to Kibana."""

from __future__ import annotations

from pathlib import Path

import typer

from pipeline.cli import app
from pipeline.sinks import for_json, for_terminal as esc, terminal_console
from pipeline.settings import load_settings

kibana_app = typer.Typer(help="Kibana data views and dashboards (Coverage, Pipeline health).", no_args_is_help=True)
app.add_typer(kibana_app, name="kibana")
console = terminal_console()
err = terminal_console(stderr=True, soft_wrap=True)


def print_import_result(result, as_json: bool = False) -> None:
    """Shared with `newsroom setup`: one line per rejected object, then the count."""
    if as_json:
        typer.echo(for_json(result.as_dict()))
        return
    for sentence in result.sentences():
        err.print(f"[red]error:[/] {esc(sentence)}", highlight=False)
    status = "imported" if result.success and not result.errors else "[red]import incomplete[/]:"
    console.print(f"Kibana {status} {result.success_count} saved object(s) into {esc(result.url)}", highlight=False)


@kibana_app.command("import")
def import_cmd(
    url: str | None = typer.Option(None, "--url", help="Kibana URL (default: NEWSROOM_KIBANA_URL)."),
    user: str | None = typer.Option(None, "--user", help="Basic-auth user (default: NEWSROOM_KIBANA_USER)."),
    password: str | None = typer.Option(None, "--password", help="Basic-auth password (default: NEWSROOM_KIBANA_PASSWORD)."),
    api_key: str | None = typer.Option(None, "--api-key", help="Encoded API key (default: NEWSROOM_KIBANA_API_KEY)."),
    space: str | None = typer.Option(None, "--space", help="Kibana space id (default: NEWSROOM_KIBANA_SPACE, else the default space)."),
    as_json: bool = typer.Option(False, "--json", help="Print Kibana's result as JSON."),
) -> None:
    """Import (overwrite) the data views, charts, saved search and dashboards for NEWSROOM_ES_INDEX_PREFIX."""
    from pipeline.errors import ConfigError
    from pipeline.kibana import import_with_settings

    if api_key and (user or password):
        raise ConfigError("Give either --user/--password or --api-key, not both.")
    result = import_with_settings(load_settings(), url=url, user=user, password=password, api_key=api_key, space=space)
    print_import_result(result, as_json)
    if not result.success or result.errors:
        raise typer.Exit(1)


@kibana_app.command("export-ndjson")
def export_cmd(
    output: Path = typer.Option(Path("-"), "--output", "-o",
                                help="File to write (default: stdout). The repo's copy is infra/kibana/newsroom-saved-objects.ndjson."),
    prefix: str | None = typer.Option(None, "--prefix", help="Index prefix (default: NEWSROOM_ES_INDEX_PREFIX)."),
) -> None:
    """Write the saved objects as NDJSON (for Stack Management › Saved objects › Import), with the watchlist's
    renames."""
    from pipeline.kibana import saved_objects, to_ndjson, write_ndjson

    from pipeline.companies import renamed

    settings = load_settings()
    prefix = prefix or settings.es_index_prefix
    renames = renamed(settings)  # companies renamed in the watchlist show under their name today
    if str(output) == "-":
        typer.echo(to_ndjson(saved_objects(prefix, renames)), nl=False)
        return
    from pipeline.safewrite import resolve_output

    resolve_output(output, "Output file (--output)")
    path = write_ndjson(output, prefix, renames)
    shown = ", ".join(f"{old} → {new}" for old, new in renames.items())
    err.print(f"{len(saved_objects(prefix, renames))} saved objects written to {path}"
              + (f" (renamed companies shown under their name today: {esc(shown)})" if renames else ""),
              highlight=False)
