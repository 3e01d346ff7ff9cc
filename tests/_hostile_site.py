"""A hostile news site on 127.0.0.1: every string a page or a feed controls tries to be live syntax somewhere.

Titles carry rich markup (`[/x]`, `[link=…]`), CR/LF with a `Bcc:` header, Slack mention and link syntax, HTML
`<script>`; author and site names carry the same; one page is over 1,000,000 characters; one item link has no host;
one date is in 1900; one feed sits behind a redirect loop through `/loop[/x]`; the main feed needs the credentials
written in its URL (`user:password@` and a `?token=`), which must never be printed or stored elsewhere.
"""

from __future__ import annotations

import base64
import html
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import yaml

USER, PASSWORD, TOKEN = "reader", "s3cretPass", "t0kenValue"
SECRETS = (PASSWORD, TOKEN)
FEED_NAME = "Hostile [/b] feed <!here>"

# slug → (title, lang). Every title mentions Mistral AI, so the keyword rule matches each page.
PAGES = {
    "markup": ("Feed [/qq] only: Mistral AI raises funds", "en"),
    "link": ("[link=https://evil.example/x]click here[/link] Mistral AI [bold]wins[/bold]", "en"),
    "crlf": ("Mistral AI update\r\nBcc: victim@evil.example\r\nX-Injected: yes", "en"),
    "slack": ("<!channel> <https://evil.example|click> Mistral AI & partners > all", "en"),
    "script": ("<script>alert('x')</script> Mistral AI <b>bold</b> claim", "en"),
    "bidi": ("Mistral AI \u202egnp.exe\u202c and \x1b[31mred\x1b[0m codes", "en"),
    "old-date": ("Mistral AI archive story [/i] from nowhere", "en"),
    "huge": ("Mistral AI: the longest page [/x] ever", "en"),
}
HUGE_CHARS = 1_200_000
# What a reader must find, literally, once the hostile text has been made inert (per page, a distinctive fragment).
MARKERS = {
    "markup": "Feed [/qq] only",
    "link": "[link=https://evil.example/x]click here[/link]",
    "crlf": "Bcc: victim@evil.example",
    "slack": "<!channel>",
    "script": "<script>alert('x')</script>",
    "bidi": "gnp.exe",
    "old-date": "archive story [/i]",
    "huge": "the longest page [/x] ever",
}


def _paragraphs(slug: str, n: int = 6) -> str:
    sentence = (f"Mistral AI and Nvidia discussed sovereign computing in Europe for story {slug}, "
                "while ministers weighed the cost of cloud contracts and the pace of new regulation. ")
    return "".join(f"<p>{html.escape(sentence * 3)}</p>\n" for _ in range(n))


def page_html(slug: str) -> str:
    title, lang = PAGES[slug]
    body = _paragraphs(slug)
    if slug == "huge":  # distinct paragraphs (trafilatura drops repeated ones), 1.2 million characters in all
        chunk = _paragraphs(slug, 1)
        body = "".join(chunk.replace("<p>", f"<p>Part {i}. ", 1) for i in range(HUGE_CHARS // len(chunk) + 1))
    published = "1900-01-01T00:00:00Z" if slug == "old-date" else "2026-11-20T09:00:00Z"
    return f"""<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8">
<title>{html.escape(title)}</title>
<meta property="og:title" content="{html.escape(title)}">
<meta property="og:site_name" content="[bold]Evil &lt;!here&gt;&#13;&#10;Site">
<meta name="author" content="Eve [/i] Mallory&#13;&#10;Bcc: x@evil.example">
<meta property="article:published_time" content="{published}">
</head><body><article><h1>{html.escape(title)}</h1>
{body}</article></body></html>"""


def feed_xml(base: str) -> str:
    items = []
    for slug, (title, _) in PAGES.items():
        date = "Mon, 01 Jan 1900 00:00:00 GMT" if slug == "old-date" else "Fri, 20 Nov 2026 09:00:00 GMT"
        items.append(f"""<item><title>{html.escape(title).replace(chr(13), "&#13;").replace(chr(10), "&#10;")}</title>
<link>{base}/a/{slug}.html</link><guid>{base}/a/{slug}.html</guid><pubDate>{date}</pubDate>
<author>eve@evil.example (Eve [/i]&#13;&#10;Mallory)</author>
<description>{html.escape("Summary of " + slug + ": Mistral AI and Nvidia, sovereign computing. " * 3)}</description></item>""")
    items.append("""<item><title>No host at all</title><link>http://</link>
<description>An item whose link has no host: skipped, never turned into the feed's own URL.</description></item>""")
    return f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>[/b] Evil channel &lt;!here&gt;</title><link>{base}/</link>
<description>hostile</description>
{''.join(items)}
</channel></rss>"""


class HostileHandler(BaseHTTPRequestHandler):
    base_url = ""
    requests: list[str] = []

    def log_message(self, *args) -> None:
        pass

    def _send(self, status: int, body: bytes = b"", ctype: str = "text/html; charset=utf-8", **headers) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: N802
        self.requests.append(self.path)
        path, _, query = self.path.partition("?")
        if path == "/feed.xml":
            expected = "Basic " + base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
            if self.headers.get("Authorization") != expected or f"token={TOKEN}" not in query:
                return self._send(401, b"credentials required")
            return self._send(200, feed_xml(self.base_url).encode(), "application/rss+xml; charset=utf-8")
        if path.startswith("/a/") and path.endswith(".html") and path[3:-5] in PAGES:
            return self._send(200, page_html(path[3:-5]).encode())
        if path == "/looping-feed.xml" or path.startswith("/loop"):
            return self._send(302, location="/loop[/x]?again=" + str(len(self.requests) % 2))
        return self._send(404, b"not found")


class HostileSite:
    def __init__(self) -> None:
        log: list[str] = []
        self.handler = type("Handler", (HostileHandler,), {"requests": log})
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self.handler)
        self.port = self.server.server_address[1]
        self.base_url = self.handler.base_url = f"http://127.0.0.1:{self.port}"
        self.requests = log

    def __enter__(self) -> HostileSite:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    def url(self, slug: str) -> str:
        return f"{self.base_url}/a/{slug}.html"

    def feeds_file(self, directory: Path) -> Path:
        feed_url = f"http://{USER}:{PASSWORD}@127.0.0.1:{self.port}/feed.xml?token={TOKEN}"
        path = directory / "feeds.yaml"
        path.write_text(yaml.safe_dump({"feeds": [
            {"name": FEED_NAME, "url": feed_url, "lang": "en", "tags": ["hostile"]},
            {"name": "Loop [/x] feed", "url": f"{self.base_url}/looping-feed.xml", "lang": "en"},
        ]}, allow_unicode=True), encoding="utf-8")
        return path
