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
    values = load_settings().masked()
    if as_json:
        typer.echo(json.dumps(values, indent=2, default=str))
        return
    table = Table("setting", "environment variable", "value")
    for key, value in values.items():
        table.add_row(key, f"NEWSROOM_{key.upper()}", "" if value is None else esc(value))
    terminal_console().print(table)
