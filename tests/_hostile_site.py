"""A hostile news site on 127.0.0.1: every string a page or a feed controls tries to be live syntax somewhere.

Titles carry rich markup (`[/x]`, `[link=…]`), CR/LF with a `Bcc:` header, Slack mention and link syntax, HTML
`<script>`; author and site names carry the same; one page is over 1,000,000 characters; one item link has no host;
one date is in 1900; one feed sits behind a redirect loop through `/loop[/x]`; the main feed needs the credentials
written in its URL (`user:password@` and a `?token=`), which must never be printed or stored elsewhere.

Under /feeds/ sit feeds that once ended a whole run (hostile-input audit): a `Content-Encoding: gzip, gzip` bomb,
redirects to `javascript:`, to port 99999 and to `http://[::1`, a Retry-After of 400 digits, and a feed labelled
`charset=undefined` / `encoding="punycode"` whose pages are labelled the same way (valid UTF-8 all the same).
"""

from __future__ import annotations

import base64
import functools
import gzip
import html
import os
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


# /feeds/<name>.xml → the Location it redirects to
REDIRECTS = {
    "redirect-js": "javascript:alert(1)",
    "redirect-badport": "http://127.0.0.1:99999/feed.xml",
    "redirect-badipv6": "http://[::1/feed.xml",
}
RETRY_AFTER_DIGITS = "9" * 400  # float() of it is inf
BOMB_BYTES = 64 * 1024 * 1024  # zeros, gzipped twice: a few hundred bytes on the wire
# pages labelled with a codec name that is not a web encoding; their bytes are UTF-8
CHARSET_PAGES = {
    "charset-undefined": "Souveraineté numérique : Mistral AI répond à l’État",
    "meta-punycode": "Mistral AI et la préférence européenne, décryptée",
}


@functools.cache
def cli_env(es_url: str, prefix: str, work: Path, **more: str) -> dict[str, str]:
    """The environment of a `newsroom` subprocess that reads a site on 127.0.0.1 into the stand-in at once: no host
    delay, no retries, and none of the caller's own NEWSROOM_ settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSROOM_")}
    env.update(NEWSROOM_ES_URL=es_url, NEWSROOM_ES_INDEX_PREFIX=prefix, NEWSROOM_DATA_DIR=str(work / "data"),
               NEWSROOM_FETCH_ALLOW_HOSTS="127.0.0.1", NEWSROOM_FETCH_HOST_DELAY="0", NEWSROOM_FETCH_RETRIES="0",
               **more)
    return env


def double_gzip_bomb() -> bytes:
    return gzip.compress(gzip.compress(bytes(BOMB_BYTES), compresslevel=9), compresslevel=9)


def charset_page(slug: str) -> bytes:
    title = CHARSET_PAGES[slug]
    meta = '<meta charset="punycode">' if slug == "meta-punycode" else ""
    sentence = html.escape(f"{title} : le ministère étudie les contrats de cloud, la réglementation et les coûts. ")
    body = "".join(f"<p>Partie {i}. {sentence * 3}</p>\n" for i in range(6))
    return (f"<!DOCTYPE html><html lang=\"fr\"><head>{meta}<title>{html.escape(title)}</title></head>"
            f"<body><article><h1>{html.escape(title)}</h1>{body}</article></body></html>").encode("utf-8")


def bad_encoding_feed(base: str) -> bytes:
    items = "".join(f"""<item><title>{html.escape(title)}</title><link>{base}/a/{slug}.html</link>
<description>Résumé : {html.escape(title)}</description><pubDate>Fri, 20 Nov 2026 09:00:00 GMT</pubDate></item>"""
                    for slug, title in CHARSET_PAGES.items())
    return f"""<?xml version="1.0" encoding="punycode"?>
<rss version="2.0"><channel><title>Flux étiqueté punycode</title><link>{base}/</link>
<description>é</description>{items}</channel></rss>""".encode("utf-8")


def _paragraphs(slug: str, n: int = 6) -> str:
    sentence = (f"Mistral AI and Nvidia discussed sovereign computing in Europe for story {slug}, "
                "while ministers weighed the cost of cloud contracts and the pace of new regulation. ")
    # distinct paragraphs: trafilatura keeps one copy of a repeated one, and the page must pass the 80-word minimum
    return "".join(f"<p>{n_th}. {html.escape(sentence * 3)}</p>\n" for n_th in range(1, n + 1))


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
        if path.startswith("/feeds/") and path[7:-4] in REDIRECTS:
            return self._send(302, location=REDIRECTS[path[7:-4]])
        if path == "/feeds/double-gzip.xml":
            return self._send(200, double_gzip_bomb(), "application/rss+xml", content_encoding="gzip, gzip")
        if path == "/feeds/retry-after-inf.xml":
            return self._send(503, b"busy", "text/plain", retry_after=RETRY_AFTER_DIGITS)
        if path == "/feeds/bad-encoding.xml":
            return self._send(200, bad_encoding_feed(self.base_url), "application/rss+xml; charset=undefined")
        if path.startswith("/a/") and path.endswith(".html") and path[3:-5] in CHARSET_PAGES:
            charset = "undefined" if path[3:-5] == "charset-undefined" else "utf-8"
            return self._send(200, charset_page(path[3:-5]), f"text/html; charset={charset}")
        if path == "/looping-feed.xml" or path.startswith("/loop"):
            return self._send(302, location="/loop[/x]?again=" + str(len(self.requests) % 2))
        return self._send(404, b"not found")


class _ServedInThread:
    """A `self.server` served from a daemon thread for the length of a `with` block, then shut and closed."""

    server: ThreadingHTTPServer

    def __enter__(self):
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()


class HostileSite(_ServedInThread):
    def __init__(self) -> None:
        log: list[str] = []
        self.handler = type("Handler", (HostileHandler,), {"requests": log})
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self.handler)
        self.port = self.server.server_address[1]
        self.base_url = self.handler.base_url = f"http://127.0.0.1:{self.port}"
        self.requests = log

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

    def crash_feeds_file(self, directory: Path) -> Path:
        """The feeds that once ended a run, after the feed labelled `undefined`/`punycode` (whose pages are the run's
        only articles)."""
        names = ["bad-encoding", *REDIRECTS, "double-gzip", "retry-after-inf"]
        path = directory / "feeds-crash.yaml"
        path.write_text(yaml.safe_dump({"feeds": [
            {"name": f"Feed {name}", "url": f"{self.base_url}/feeds/{name}.xml", "lang": "fr"} for name in names
        ]}), encoding="utf-8")
        return path


# A feed URL a web page advertises (its <link rel="alternate">), holding an OSC 8 hyperlink, a screen clear, a bidi
# override and a line break that forges a log line: what a log line quoting it must not pass on live.
ADVERTISED_HOSTILE_FEED = ("http://evil.example/feed&#x1b;]8;;http://evil.example/&#x1b;\\click&#x1b;]8;;&#x1b;\\"
                           "&#x1b;[2J&#x202e;lmx.exe&#10;2026-12-04 00:00:00,000 WARNING pipeline.collect: forged")


def serve_page_advertising_a_hostile_feed(httpserver, directory: Path) -> Path:
    """A feeds file whose one feed URL answers with a web page advertising ADVERTISED_HOSTILE_FEED (served by
    pytest-httpserver's `httpserver`), written in `directory`."""
    import json

    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    httpserver.expect_request("/page.html").respond_with_data(
        "<!DOCTYPE html><html><head><link rel='alternate' type='application/rss+xml' "
        f"href='{ADVERTISED_HOSTILE_FEED}'></head><body>A page, not a feed.</body></html>",
        content_type="text/html; charset=utf-8")
    feeds = directory / "feeds.json"
    feeds.write_text(json.dumps({"feeds": [{"name": "Page", "url": httpserver.url_for("/page.html"), "lang": "en"}]}),
                     encoding="utf-8")
    return feeds


class RawSite(_ServedInThread):
    """A site on 127.0.0.1 whose replies are written byte for byte: `replies` maps a path (query included) to
    (status, headers, body), `{base}` in a header or body replaced by the site's base URL; any other path is a 404.
    A key `path (cookie)` answers a request for `path` sending exactly that Cookie header (a cookie check's steps).
    A status may be given as (code, reason phrase), to send a reason phrase of the server's own.
    pytest-httpserver (werkzeug) rewrites some headers (a Location is made absolute and percent-encoded), which hides
    what a hostile server really sends. Each requested path is appended to `requests`."""

    def __init__(self, replies: dict[str, tuple[int, dict[str, str], bytes | str]]) -> None:
        self.replies, self.requests = replies, []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802
                owner.requests.append(self.path)
                cookie = self.headers.get("Cookie")
                reply = owner.replies.get(f"{self.path} ({cookie})") if cookie else None
                status, headers, body = reply or owner.replies.get(self.path, (404, {}, b"not found"))
                body = body.replace("{base}", owner.base_url).encode() if isinstance(body, str) else body
                self.send_response(*(status if isinstance(status, tuple) else (status,)))
                headers = {"Content-Type": "text/html; charset=utf-8", **headers}
                for name, value in headers.items():
                    self.send_header(name, value.replace("{base}", owner.base_url))
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.base_url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def feeds_file(self, directory: Path, path: str = "/feed.xml") -> Path:
        feeds = directory / "feeds.yaml"
        feeds.write_text(yaml.safe_dump({"feeds": [{"name": "Raw", "url": self.base_url + path, "lang": "en"}]}),
                         encoding="utf-8")
        return feeds
