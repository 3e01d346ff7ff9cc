"""CSV exports (coverage, search, mentions): one header row, one row per record, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path

from pipeline.errors import NewsroomError
from pipeline.sinks import visible

# OWASP's formula starts, their full-width forms (an IME may turn ＝ into =) and the same after leading spaces
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")


def _cell(value: object) -> object:
    """Web text starting like a formula (`=HYPERLINK(...)`) is prefixed with ' so a spreadsheet shows it as text.
    Text is cleaned as for every other sink (`visible`) first: a title stored before its cleaning kept its bidi
    override (a cell reading "exe.png" for "gnp.exe") and its marks on no letter, and a leading invisible character
    hid a formula from this check (hostile input, sixteenth round)."""
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        value = "; ".join(str(v) for v in value)
    if isinstance(value, str):
        value = visible(value)
    if isinstance(value, str) and value.lstrip(" \u3000").startswith(_FORMULA_START):
        return "'" + value
    return value


def write_csv(path: str | Path, columns: list[str], rows: Iterable[dict]) -> int:
    """Write `rows` (dicts) with exactly `columns`, in that order; return how many rows were written."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        count = 0
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(columns)
            for row in rows:
                writer.writerow([_cell(row.get(c)) for c in columns])
                count += 1
        return count
    except OSError as exc:
        raise NewsroomError(f"Cannot write the CSV file {path}: {exc.strerror or exc}.") from None
