"""Strings from the web made safe for each place they end up: terminal, mail header, Slack, HTML.

Titles, feed names, URLs, author names and error texts all come from pages and servers we do not control.
Each sink has its own live syntax (rich markup, header folding, Slack mrkdwn and `<!channel>`, HTML tags), so
every print or message goes through the one function for its sink, and nowhere else escapes on its own.
"""

from __future__ import annotations

import html
import re
import unicodedata

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]")
_SPACE = re.compile(r"\s+")


def single_line(value: object, limit: int | None = None) -> str:
    """One line of printable text: control and bidi characters dropped, every whitespace run one space."""
    text = "" if value is None else str(value)
    text = _CONTROL.sub(" ", unicodedata.normalize("NFC", text))
    text = _SPACE.sub(" ", text).strip()
    if limit is not None and len(text) > limit:
        text = text[: max(0, limit - 1)].rstrip() + "…"
    return text


def for_terminal(value: object, limit: int | None = None) -> str:
    """For rich's `console.print` with markup on: `[/x]` and `[link=…]` become plain text."""
    from rich.markup import escape

    return escape(single_line(value, limit))


def for_slack(value: object, limit: int | None = None) -> str:
    """Slack mrkdwn: `&`, `<`, `>` escaped, so `<!channel>` or `<https://x|click>` stay inert."""
    return single_line(value, limit).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def for_html(value: object) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def for_header(value: object, limit: int = 200) -> str:
    """A mail header value: one line (CR/LF would inject headers; Python's `email` refuses them)."""
    return single_line(value, limit)
