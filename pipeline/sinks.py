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


def for_terminal(value: object, limit: int | None = None, *, lines: bool = False) -> str:
    """For rich's `console.print` (and table cells, progress columns) with markup on: `[/x]` and `[link=…]` become
    plain text. `lines=True` keeps line breaks (a multi-line error message), each line cleaned like `single_line`."""
    from rich.markup import escape

    if lines:
        return "\n".join(escape(single_line(line)) for line in ("" if value is None else str(value)).splitlines())
    return escape(single_line(value, limit))


def for_slack(value: object, limit: int | None = None) -> str:
    """Slack mrkdwn: `&`, `<`, `>` escaped, so `<!channel>` or `<https://x|click>` stay inert."""
    return single_line(value, limit).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def for_html(value: object) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def for_chart(value: object, limit: int | None = 40) -> str:
    """A matplotlib label: `$…$` would be parsed as mathtext (and a malformed one aborts the whole chart)."""
    return single_line(value, limit).replace("$", r"\$")


def for_header(value: object, limit: int = 200) -> str:
    """A mail header value: one line (CR/LF would inject headers; Python's `email` refuses them)."""
    return single_line(value, limit)


# Query parameters whose value is a credential (matched on the lower-cased name, `-` read as `_`).
SECRET_PARAMS = {"token", "access_token", "auth", "auth_token", "api_key", "apikey", "key", "secret", "password",
                 "passwd", "pwd", "sig", "signature", "session", "sessionid", "client_secret", "private_token"}
_URL_IN_TEXT = re.compile(r"""[a-zA-Z][a-zA-Z0-9+.-]*://[^\s<>"'`]+""")
_USERINFO = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*://)[^/?#@]*@")
_SECRET_QUERY = re.compile(r"([?&;])([^=&;#]+)=([^&;#]*)")


def mask_url(url: object) -> str:
    """A URL safe for logs, run records and state: `user:pass@` and `?token=…`-like values become `***`.

    The URL still names the host and path, so a reader can tell which feed failed.
    """
    text = "" if url is None else str(url)
    text = _USERINFO.sub(r"\1***@", text)

    def query(match: re.Match) -> str:
        name = match.group(2)
        if name.lower().replace("-", "_") in SECRET_PARAMS and match.group(3):
            return f"{match.group(1)}{name}=***"
        return match.group(0)

    return _SECRET_QUERY.sub(query, text)


def mask_secrets(text: object) -> str:
    """`mask_url` applied to every URL inside a free text (error messages quote the URL they failed on)."""
    return _URL_IN_TEXT.sub(lambda m: mask_url(m.group(0)), "" if text is None else str(text))
