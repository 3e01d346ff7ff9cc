"""`newsroom config show`."""

from __future__ import annotations

import json

import typer
from rich.table import Table

from pipeline.cli import app
from pipeline.settings import load_settings
from pipeline.sinks import for_terminal as esc, terminal_console

config_app = typer.Typer(help="Effective settings.", no_args_is_help=True)
app.add_typer(config_app, name="config")


@config_app.command("show")
def show(as_json: bool = typer.Option(False, "--json", help="Print as JSON.")) -> None:
    """Print the effective settings (environment + .env + defaults), secrets masked."""
    settings = load_settings()
    values = settings.masked()
    if as_json:
        typer.echo(json.dumps(values, indent=2, default=str))
        return
    table = Table("setting", "environment variable", "value")
    for key, value in values.items():
        table.add_row(key, f"NEWSROOM_{key.upper()}", "" if value is None else esc(value))
    console = terminal_console()
    console.print(table)
    console.print(esc(_renames_line(settings)), highlight=False)


def _renames_line(settings) -> str:
    """How a company rename works, and the renames in force: a rename without its former name hid every article
    stored before it from coverage, search, mentions, alerts and the report."""
    from pipeline.companies import WATCHLIST_FILE, renamed

    renames = renamed(settings)
    path = settings.config_path(WATCHLIST_FILE)
    how = ("to rename a company, give its new `name:` and list the old one under `former_names:`: the articles "
           "stored under the old name stay the company's in every query")
    if not renames:
        return f"watchlist: {path} (no company renamed; {how})."
    now: dict[str, list[str]] = {}
    for former, name in renames.items():
        now.setdefault(name, []).append(former)
    listed = "; ".join(f"{name} (formerly {', '.join(formers)})" for name, formers in now.items())
    return f"watchlist: {path}; renamed: {listed} ({how})."
