"""HTTP edge cases of pipeline.fetch against a real local server (pytest-httpserver) — and the SSRF guard, tested
without ever sending traffic to a private address (recording transport + resolver hook)."""

from __future__ import annotations

import asyncio
import gzip
import re
import socket
import threading
import time
import zlib

import httpx
import pytest
from werkzeug.wrappers import Response

from pipeline.fetch import RETRY_AFTER_CAP, Fetcher, FetchFailed, FetchRefused, HostPolicy, parse_retry_after
from pipeline.settings import load_settings

from _hostile_site import HostileSite


def settings(**overrides):
    base = {"fetch_retries": 2, "fetch_backoff_base": 0.01, "fetch_backoff_max": 2.0, "fetch_host_delay": 0}
    base.update(overrides)
    return load_settings(**base)


def fetch(url, s=None, **kwargs):
    async def go():
        async with Fetcher(s or settings(), **{k: kwargs.pop(k) for k in ("resolver", "transport") if k in kwargs}) as f:
            return await f.fetch(url, **kwargs)

    return asyncio.run(go())


def test_get_sends_user_agent_and_returns_body(httpserver):
    httpserver.expect_request("/page").respond_with_data("<html><body>ok</body></html>", content_type="text/html; charset=utf-8")
    result = fetch(httpserver.url_for("/page"))
    assert result.status == 200 and result.body.startswith(b"<html>")
    assert result.charset == "utf-8"
    request = httpserver.log[0][0]
    assert request.headers["User-Agent"].startswith("newsroom/")


def test_conditional_get_and_304(httpserver):
    httpserver.expect_request(
        "/feed.xml", headers={"If-None-Match": '"v1"', "If-Modified-Since": "Wed, 18 Nov 2026 10:00:00 GMT"}
    ).respond_with_data("", status=304)
    result = fetch(httpserver.url_for("/feed.xml"), kind="feed", etag='"v1"', last_modified="Wed, 18 Nov 2026 10:00:00 GMT")
    assert result.not_modified and result.status == 304 and result.body == b""


def test_a_non_ascii_validator_stored_earlier_is_not_sent(httpserver):
    httpserver.expect_request("/feed.xml").respond_with_data("<rss/>", content_type="application/rss+xml")
    result = fetch(httpserver.url_for("/feed.xml"), kind="feed", etag='"caf\u00e9"', last_modified="mardi \u00e9t\u00e9")
    assert result.status == 200
    assert "If-None-Match" not in httpserver.log[0][0].headers and "If-Modified-Since" not in httpserver.log[0][0].headers


def test_a_429_pauses_the_other_pages_of_the_same_host(httpserver):
    """One 429 with Retry-After: 1 holds every request to that host for a second, not only the retried one (16 pages
    used to give 64 requests in a 429 storm)."""
    seen: list[tuple[str, float]] = []

    def handler(request):
        seen.append((request.path, time.monotonic()))
        if request.path == "/a" and len(seen) == 1:
            return Response("slow down", status=429, headers={"Retry-After": "1"})
        return Response("<html>fine</html>", content_type="text/html")

    httpserver.expect_request("/a").respond_with_handler(handler)
    httpserver.expect_request("/b").respond_with_handler(handler)

    async def go():
        async with Fetcher(settings()) as f:
            async def later():
                while not seen:
                    await asyncio.sleep(0.01)
                await asyncio.sleep(0.2)  # the 429 has been answered
                return await f.fetch(httpserver.url_for("/b"))
            return await asyncio.gather(f.fetch(httpserver.url_for("/a")), later())

    first, second = asyncio.run(go())
    assert first.body == second.body == b"<html>fine</html>"
    times = dict(reversed(seen))  # the first request of each path
    assert [path for path, _ in seen] == ["/a", "/a", "/b"] or [path for path, _ in seen] == ["/a", "/b", "/a"]
    assert times["/b"] - seen[0][1] >= 0.9


def test_429_honours_retry_after(httpserver):
    httpserver.expect_oneshot_request("/busy").respond_with_data("slow down", status=429, headers={"Retry-After": "1"})
    httpserver.expect_oneshot_request("/busy").respond_with_data("<html>fine</html>", content_type="text/html")
    start = time.monotonic()
    result = fetch(httpserver.url_for("/busy"))
    elapsed = time.monotonic() - start
    assert result.body == b"<html>fine</html>"
    assert len(httpserver.log) == 2
    assert elapsed >= 0.9  # the server asked for one second; backoff alone would wait ~0.01 s


def test_5xx_retried_then_reported(httpserver):
    httpserver.expect_request("/down").respond_with_data("oops", status=503)
    with pytest.raises(FetchFailed) as err:
        fetch(httpserver.url_for("/down"), settings(fetch_retries=2))
    assert err.value.reason == "http-503" and err.value.status == 503
    assert len(httpserver.log) == 3  # 1 + 2 retries
    assert "after 3 attempts" in str(err.value)


def test_404_is_not_retried(httpserver):
    httpserver.expect_request("/missing").respond_with_data("no", status=404)
    with pytest.raises(FetchFailed) as err:
        fetch(httpserver.url_for("/missing"))
    assert err.value.reason == "http-404" and len(httpserver.log) == 1


def test_read_timeout(httpserver):
    def slow(request):
        time.sleep(1.0)
        return Response("<html>late</html>", content_type="text/html")

    httpserver.expect_request("/slow").respond_with_handler(slow)
    with pytest.raises(FetchFailed) as err:
        fetch(httpserver.url_for("/slow"), settings(fetch_read_timeout=0.2, fetch_retries=1))
    assert err.value.reason == "timeout"


def dripping(chunk: bytes, count: int, pause: float):
    """A handler whose body arrives `chunk` by `chunk`, `pause` seconds apart: each within any read timeout."""
    def handler(request):
        def body():
            for _ in range(count):
                yield chunk
                time.sleep(pause)

        return Response(body(), content_type="text/html")

    return handler


def test_total_timeout_stops_a_dripping_body(httpserver):
    httpserver.expect_request("/drip").respond_with_handler(dripping(b"<p>x</p>", 30, 0.1))
    started = time.monotonic()
    with pytest.raises(FetchFailed) as err:  # each chunk arrives well within the read timeout
        fetch(httpserver.url_for("/drip"), settings(fetch_read_timeout=1.0, fetch_total_timeout=0.5, fetch_retries=0))
    assert err.value.reason == "timeout" and "0.5s" in str(err.value)
    assert time.monotonic() - started < 2.5


def test_a_host_that_drips_is_neither_retried_nor_asked_again_after_three_timeouts(httpserver):
    """A page sending 20 bytes a second was asked four times, each for the whole total timeout, and so was every
    other link of its feed: at the defaults one such feed held the workers for hours. The total timeout is no longer
    retried, and after MAX_HOST_TIMEOUTS of them the host's other links fail at once (each one counted)."""
    from pipeline.fetch import MAX_HOST_TIMEOUTS

    httpserver.expect_request("/drip").respond_with_handler(dripping(b"<p>slow</p>", 40, 0.05))
    urls = [httpserver.url_for("/drip") + f"?page={i}" for i in range(8)]

    async def go():
        async with Fetcher(settings(fetch_total_timeout=0.3, fetch_retries=3, fetch_concurrency=1)) as fetcher:
            return await asyncio.gather(*(fetcher.fetch(url) for url in urls), return_exceptions=True)

    started = time.monotonic()
    outcomes = asyncio.run(go())
    assert all(isinstance(o, FetchFailed) for o in outcomes)
    assert [o.reason for o in outcomes].count("timeout") == MAX_HOST_TIMEOUTS
    assert [o.reason for o in outcomes].count("host-timeouts") == len(urls) - MAX_HOST_TIMEOUTS
    asked = [r for r, _ in httpserver.log if r.path == "/drip" and "page" in r.args]  # not the test above's
    assert len(asked) == MAX_HOST_TIMEOUTS  # one request each, no retry
    assert time.monotonic() - started < MAX_HOST_TIMEOUTS * 0.3 + 2


def test_the_total_timeout_bounds_a_redirect_chain_not_each_hop(httpserver):
    """Each hop of a redirect chain answered just under the total timeout: five hops held a worker five times as long
    as the limit (12 minutes a link at the defaults) and no timeout was counted against the host (hostile-input audit,
    tenth round). The chain's hops now share one budget."""
    def slow_hop(request):
        time.sleep(0.4)
        hop = int(request.path.rsplit("/", 1)[1])
        return Response("", status=302, headers={"Location": f"/slow-chain/{hop + 1}"})

    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)  # each hop of a page is checked
    httpserver.expect_request("/slow-chain/4").respond_with_data("<html><p>end</p></html>", content_type="text/html")
    for hop in range(4):
        httpserver.expect_request(f"/slow-chain/{hop}").respond_with_handler(slow_hop)
    with pytest.raises(FetchFailed) as err:
        fetch(httpserver.url_for("/slow-chain/0"), settings(fetch_total_timeout=0.6, fetch_retries=0))
    assert err.value.reason == "timeout" and "within 0.6s over " in str(err.value)
    assert not [r for r, _ in httpserver.log if r.path == "/slow-chain/4"]


def test_dripping_links_on_many_names_of_one_site_count_as_one_host(httpserver):
    """Counted per host name, 40 links each on its own name of one server (`0x7f.1`, `0x07f.1`…, as wildcard DNS
    gives `a1.evil.example`, `a2.evil.example`…) each dripped to the total timeout: one feed held every worker for
    50 minutes at the defaults (hostile-input audit, fourth round). Timeouts now count per registrable domain, or per
    address for an IPv4 spelling."""
    from pipeline.fetch import MAX_HOST_TIMEOUTS

    httpserver.expect_request("/drip").respond_with_handler(dripping(b"<p>slow</p>", 40, 0.05))
    port = httpserver.port
    urls = [f"http://0x{'0' * i}7f.1:{port}/drip?name={i}" for i in range(12)]

    async def go():
        async with Fetcher(settings(fetch_total_timeout=0.3, fetch_retries=0, fetch_concurrency=1)) as fetcher:
            return await asyncio.gather(*(fetcher.fetch(url) for url in urls), return_exceptions=True)

    outcomes = asyncio.run(go())
    assert [o.reason for o in outcomes].count("timeout") == MAX_HOST_TIMEOUTS, outcomes
    assert [o.reason for o in outcomes].count("host-timeouts") == len(urls) - MAX_HOST_TIMEOUTS
    assert "the site of 0x" in str(next(o for o in outcomes if o.reason == "host-timeouts"))
    assert len([r for r, _ in httpserver.log if "name" in r.args]) == MAX_HOST_TIMEOUTS


def test_timeouts_count_per_registrable_domain_or_address():
    from pipeline.fetch import timeout_site

    assert timeout_site("a1.evil.example.com") == timeout_site("A2.Evil.Example.com.") == "example.com"
    assert timeout_site("www.bbc.co.uk") == "bbc.co.uk" and timeout_site("localhost") == "localhost"
    assert timeout_site("one.github.io") != timeout_site("two.github.io")  # a private suffix: two sites
    assert timeout_site("0x7f.1") == timeout_site("2130706433") == timeout_site("127.0.0.1") == "127.0.0.1"


def test_a_host_that_answers_429_to_every_page_is_not_asked_again_in_the_run(httpserver):
    """A bot guard answering 429 to everything was asked (retries + 1) times per page: 800 requests and 15 minutes
    for a 200-item feed, on every run (red-team, hostile sites). After MAX_HOST_RATE_LIMITS answers the host's other
    links fail at once, as `http-429`, a failure that passes (tried again next run)."""
    from pipeline.fetch import MAX_HOST_RATE_LIMITS
    from pipeline.pagetype import transient_failure

    httpserver.expect_request("/busy").respond_with_data("slow down", status=429, headers={"Retry-After": "0"})
    urls = [httpserver.url_for("/busy") + f"?page={i}" for i in range(10)]

    async def go():
        async with Fetcher(settings(fetch_retries=3, fetch_concurrency=1)) as fetcher:
            return await asyncio.gather(*(fetcher.fetch(url) for url in urls), return_exceptions=True)

    outcomes = asyncio.run(go())
    assert all(isinstance(o, FetchFailed) and o.reason == "http-429" for o in outcomes), outcomes
    # the requests to /busy: a redirect chain abandoned by an earlier test may still knock on the shared server
    assert len([request for request, _ in httpserver.log if request.path == "/busy"]) == MAX_HOST_RATE_LIMITS
    assert transient_failure("http-429")
    assert "429 Too Many Requests 8 times in this run" in str(outcomes[-1])


def test_connection_refused_is_reported(httpserver):
    url = httpserver.url_for("/x")
    httpserver.stop()
    try:
        with pytest.raises(FetchFailed) as err:
            fetch(url, settings(fetch_retries=1))
        assert err.value.reason == "connect"
    finally:
        httpserver.start()


class _RawServer(threading.Thread):
    """A bare TCP server on 127.0.0.1 answering each connection with `handle`, for replies no HTTP server sends."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.sock = socket.create_server(("127.0.0.1", 0))

    def url_for(self, path: str) -> str:
        return f"http://127.0.0.1:{self.sock.getsockname()[1]}{path}"

    def handle(self, conn) -> None:
        raise NotImplementedError

    def run(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.handle(conn)


class _HangUp(_RawServer):
    """A server that announces `announced` bytes, sends `sent` of them and closes the connection: one request each."""

    def __init__(self, announced: int, sent: int) -> None:
        super().__init__()
        self.announced, self.sent, self.requests = announced, sent, 0

    @property
    def url(self) -> str:
        return self.url_for("/page")

    def handle(self, conn) -> None:
        with conn:
            conn.recv(65536)
            self.requests += 1
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n"
                         b"Content-Length: %d\r\n\r\n" % self.announced + b"x" * self.sent)


def test_a_body_cut_short_of_its_content_length_is_incomplete_not_a_connection_error():
    """The red-team site's server hung up after 100 of 5,000 announced bytes: the run counted a `connect` failure,
    which sent the reader looking for a network problem."""
    server = _HangUp(5000, 100)
    server.start()
    try:
        with pytest.raises(FetchFailed) as err:
            fetch(server.url, settings(fetch_retries=1))
    finally:
        server.sock.close()
    assert err.value.reason == "incomplete"
    assert "closed the connection before the end of the body" in str(err.value)
    assert "received 100 bytes, expected 5000" in str(err.value)
    assert server.requests == 2  # retried once, like a dropped connection


class _Smuggler(_RawServer):
    """A keep-alive server whose /smuggle page sends, past its Content-Length and in the same write, a whole second
    response: a client that reuses the connection reads it as the answer to its next request."""

    def __init__(self) -> None:
        super().__init__()
        self.paths: list[str] = []

    @staticmethod
    def _response(body: bytes) -> bytes:
        return b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body)

    def handle(self, conn) -> None:
        threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn) -> None:
        with conn:
            buffer = b""
            while True:
                while b"\r\n\r\n" not in buffer:
                    chunk = conn.recv(65536)
                    if not chunk:
                        return
                    buffer += chunk
                head, _, buffer = buffer.partition(b"\r\n\r\n")
                path = head.split(b" ")[1].decode()
                self.paths.append(path)
                page = self._response(f"<html><body>page {path}</body></html>".encode())
                if path == "/smuggle":
                    page += self._response(b"<html><body>SMUGGLED</body></html>")
                conn.sendall(page)


def test_bytes_past_a_response_s_length_never_answer_the_next_request():
    """A page with more bytes than its Content-Length left a second response in the kept-alive connection, and the
    host's next page was stored with it (red-team, hostile sites): connections are not reused."""
    server = _Smuggler()
    server.start()

    async def go():
        async with Fetcher(settings(fetch_concurrency=1)) as f:
            return [(await f.fetch(server.url_for(path))).body for path in ("/smuggle", "/innocent", "/other")]

    try:
        first, innocent, other = asyncio.run(go())
    finally:
        server.sock.close()
    assert b"page /smuggle" in first
    assert b"page /innocent" in innocent and b"SMUGGLED" not in innocent
    assert b"page /other" in other and server.paths == ["/smuggle", "/innocent", "/other"]


PAGE = b"<html><body><p>Mistral AI signs a compute deal.</p></body></html>"
# replies no HTTP/1.1 client can read (hostile-input audit, third round, #9: each was a retried `connect` error)
MALFORMED = {
    "/cl-dup": b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 10\r\nContent-Length: %d\r\n\r\n%s"
               % (len(PAGE), PAGE),
    "/cl-neg": b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: -5\r\n\r\n" + PAGE,
    "/big-header": b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nX-Big: " + b"A" * 2_000_000
                   + b"\r\nContent-Length: %d\r\n\r\n%s" % (len(PAGE), PAGE),
    "/many-headers": b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n"
                     + b"".join(b"X-H%d: v\r\n" % i for i in range(100_000)) + b"Content-Length: 2\r\n\r\nhi",
    "/garbage": b"\x1b[31mHELLO [bold]not http[/bold]\r\n\r\n" + bytes(range(256)) * 8,
    "/http09": b"<!DOCTYPE html>\n<html>\n\n" + PAGE,  # HTTP/0.9: the page alone (bytes with no blank line, then
    # the end of the connection, are indistinguishable from a dropped connection: `connect`, below)
    "/chunk-garbage": b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n"
                      b"10\r\n<html><body><p>Mi\r\nZZZZ\r\ngarbage\r\n0\r\n\r\n",
}


class _Malformed(_RawServer):
    """Answers each path of MALFORMED with its bytes, then closes; /silent closes without a word; counts requests."""

    def __init__(self) -> None:
        super().__init__()
        self.requests: list[str] = []

    def handle(self, conn) -> None:
        with conn:
            path = conn.recv(65536).split(b" ")[1].decode()
            self.requests.append(path)
            try:
                conn.sendall(MALFORMED.get(path, b""))
            except OSError:  # the client stopped reading a reply it refused
                pass


@pytest.fixture
def malformed():
    server = _Malformed()
    server.start()
    try:
        yield server
    finally:
        server.sock.close()


@pytest.mark.parametrize("path", list(MALFORMED))
def test_a_malformed_reply_is_a_bad_response_named_once_not_a_retried_connection_error(malformed, path):
    """Conflicting or negative Content-Length, a 2 MB header, 100,000 headers, bytes that are not HTTP, an HTTP/0.9
    page, a broken chunk: the server answered, and will answer as badly next time. Reported as `connect`, each was
    retried with backoff and its page refetched for 3 days."""
    url = malformed.url_for(path)
    with pytest.raises(FetchFailed) as err:
        fetch(url, settings(fetch_retries=2))
    assert err.value.reason == "bad-response" and err.value.retryable is False
    assert str(err.value).startswith(f"{url}: malformed reply: the server answered with something that is not valid "
                                     "HTTP (")
    assert "\x1b" not in str(err.value)  # the server's bytes quoted, one line, no terminal escape
    assert malformed.requests == [path]  # asked once


def test_a_connection_closed_without_a_reply_is_still_a_connection_error_and_retried(malformed):
    with pytest.raises(FetchFailed) as err:
        fetch(malformed.url_for("/silent"), settings(fetch_retries=1))
    assert err.value.reason == "connect" and malformed.requests == ["/silent", "/silent"]


def test_a_malformed_page_falls_back_without_a_retry_and_a_malformed_feed_fails_not_retryable(malformed, tmp_path):
    """In a run: the page's summary is kept with reason `bad-response`, which is no passing failure (its feed keeps
    its validators, the page is not fetched again for days); the malformed feed's error says so in one sentence."""
    import json

    from pipeline.collect import Collector
    from pipeline.feeds import load_feeds
    from pipeline.pagetype import transient_failure

    page = malformed.url_for("/cl-dup")
    feed = (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Raw</title><item><title>Mistral AI deal</title>'
            f"<link>{page}</link><description>Mistral AI signs a compute deal with Nvidia.</description></item>"
            "</channel></rss>").encode()
    MALFORMED["/feed.xml"] = b"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nContent-Length: %d\r\n\r\n%s" % (
        len(feed), feed)
    MALFORMED["/robots.txt"] = b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"
    try:
        path = tmp_path / "feeds.yaml"
        path.write_text(json.dumps({"feeds": [{"name": "Raw", "url": malformed.url_for("/feed.xml"), "lang": "en"},
                                              {"name": "Broken", "url": malformed.url_for("/garbage"), "lang": "en"}]}))
        collector = Collector(settings(fetch_retries=2), load_feeds(path))

        async def go():
            return [a async for a in collector.articles()]

        [article] = asyncio.run(go())
    finally:
        del MALFORMED["/feed.xml"], MALFORMED["/robots.txt"]
    assert article.extraction == "feed-summary" and article.fallback_reason == "bad-response"
    assert collector.stats.fallback_reasons == {"bad-response": 1} and not transient_failure("bad-response")
    [error] = collector.stats.feed_errors
    assert error["feed"] == "Broken" and error["retryable"] is False and "malformed reply" in error["error"]
    assert malformed.requests.count("/cl-dup") == 1 and malformed.requests.count("/garbage") == 1
    assert not collector._retry_feeds  # the feed is not read in full again for a page that will not change


def test_oversized_body_refused(httpserver):
    httpserver.expect_request("/big").respond_with_data(b"x" * 5000, content_type="text/html")
    with pytest.raises(FetchRefused) as err:
        fetch(httpserver.url_for("/big"), settings(fetch_max_bytes=1000))
    assert err.value.reason == "too-large"


def test_oversized_body_without_content_length_refused(httpserver):
    def chunked(request):
        return Response((b"y" * 1024 for _ in range(100)), content_type="text/html")  # streamed, no Content-Length

    httpserver.expect_request("/stream").respond_with_handler(chunked)
    with pytest.raises(FetchRefused) as err:
        fetch(httpserver.url_for("/stream"), settings(fetch_max_bytes=10_000))
    assert err.value.reason == "too-large"


def test_gzip_bomb_cut_off(httpserver):
    bomb = gzip.compress(b"\0" * 50_000_000, compresslevel=9)  # ~50 KB on the wire, 50 MB inflated
    assert len(bomb) < 100_000
    httpserver.expect_request("/bomb").respond_with_data(bomb, content_type="text/html", headers={"Content-Encoding": "gzip"})
    with pytest.raises(FetchRefused) as err:
        fetch(httpserver.url_for("/bomb"), settings(fetch_max_bytes=1_000_000))
    assert err.value.reason == "too-large"


def test_gzip_body_within_limit_is_decompressed(httpserver):
    page = "<html><body>" + "café " * 1000 + "</body></html>"
    httpserver.expect_request("/gz").respond_with_data(
        gzip.compress(page.encode()), content_type="text/html; charset=utf-8", headers={"Content-Encoding": "gzip"}
    )
    assert fetch(httpserver.url_for("/gz")).body.decode() == page


def test_every_member_of_a_multi_member_gzip_body_is_read(httpserver):
    """Two gzip members one after the other are one valid gzip body (RFC 1952; browsers and Python read both): only
    the first was decoded, and ingest stored 217 of a page's 474 words without a word of warning."""
    first, second = "<html><body>" + "souveraineté " * 300, "numérique " * 300 + "</body></html>"
    httpserver.expect_request("/two").respond_with_data(
        gzip.compress(first.encode()) + gzip.compress(second.encode()), content_type="text/html; charset=utf-8",
        headers={"Content-Encoding": "gzip"})
    assert fetch(httpserver.url_for("/two")).body.decode() == first + second


@pytest.mark.parametrize("share", [0.5, 0.95])
def test_a_gzip_body_cut_short_is_a_failed_fetch_not_half_a_page(httpserver, share):
    """A gzip stream that stops before its end (a dropped connection, a proxy's cut) used to give back what it had
    decoded: a long page would be stored half-cut. It is now a decoding failure (counted; the feed's summary stands
    in)."""
    body = gzip.compress(("<html><body>" + "souveraineté numérique " * 2000 + "</body></html>").encode())
    httpserver.expect_request("/cut").respond_with_data(body[:int(len(body) * share)], content_type="text/html",
                                                        headers={"Content-Encoding": "gzip"})
    with pytest.raises(FetchFailed) as err:
        fetch(httpserver.url_for("/cut"))
    assert err.value.reason == "decoding" and "truncated compressed body" in str(err.value)


def test_gzip_chain_bomb_is_cut_off_without_inflating_it(httpserver):
    """`Content-Encoding: gzip, gzip` used to go to httpx, which inflates a whole chunk before any size check: a few
    hundred bytes on the wire cost the full 64 MB (3.2 GB for the audit's 1 GiB). Each layer is now bounded."""
    import tracemalloc

    bomb = gzip.compress(gzip.compress(bytes(64_000_000), compresslevel=9), compresslevel=9)
    assert len(bomb) < 2_000
    httpserver.expect_request("/bomb").respond_with_data(bomb, content_type="text/html",
                                                         headers={"Content-Encoding": "gzip, gzip"})
    tracemalloc.start()
    try:
        with pytest.raises(FetchRefused) as err:
            fetch(httpserver.url_for("/bomb"), settings(fetch_max_bytes=1_000_000))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert err.value.reason == "too-large" and "(decompressed)" in str(err.value)
    assert peak < 16_000_000, f"{peak:,} bytes allocated for a 1 MB limit"


@pytest.mark.parametrize("header, encode", [
    ("gzip, gzip", lambda b: gzip.compress(gzip.compress(b))),
    ("deflate, gzip", lambda b: gzip.compress(zlib.compress(b))),
    ("gzip,deflate", lambda b: zlib.compress(gzip.compress(b))),
    ("identity, gzip", gzip.compress),
    ("gzip, utf-8", gzip.compress),  # an unregistered token (a known misconfiguration) is ignored, as httpx does
])
def test_every_layer_of_a_content_coding_chain_is_decoded_in_order(httpserver, header, encode):
    page = "<html><body>" + "café " * 1000 + "</body></html>"
    httpserver.expect_request("/chain").respond_with_data(encode(page.encode()), content_type="text/html",
                                                          headers={"Content-Encoding": header})
    assert fetch(httpserver.url_for("/chain")).body.decode() == page


@pytest.mark.parametrize("header", ["br", "zstd", "gzip, br", "compress"])
def test_compression_we_do_not_decode_is_refused_not_passed_on_raw(httpserver, header):
    """We ask for gzip and deflate only; httpx would hand br/zstd bodies on still compressed (or, with brotli
    installed, inflate them unbounded)."""
    httpserver.expect_request("/br").respond_with_data(b"\x8b\x02\x80compressed", content_type="text/html",
                                                       headers={"Content-Encoding": header})
    with pytest.raises(FetchRefused) as err:
        fetch(httpserver.url_for("/br"))
    assert err.value.reason == "content-encoding" and "is not supported" in str(err.value)


def test_more_compression_layers_than_a_server_uses_are_refused(httpserver):
    body = b"<html>x</html>"
    for _ in range(4):
        body = gzip.compress(body)
    httpserver.expect_request("/deep").respond_with_data(body, content_type="text/html",
                                                         headers={"Content-Encoding": "gzip, gzip, gzip, gzip"})
    with pytest.raises(FetchRefused) as err:
        fetch(httpserver.url_for("/deep"))
    assert err.value.reason == "content-encoding" and "4 layers" in str(err.value)


@pytest.mark.parametrize("name, message", [
    ("redirect-js", "refused: redirect to a non-http(s) URL 'javascript:alert(1)'"),
    ("redirect-badport", "refused: redirect to an invalid URL 'http://127.0.0.1:99999/feed.xml'"),
    ("redirect-badipv6", "refused: redirect to an invalid URL 'http://[::1/feed.xml'"),
])
def test_redirect_to_an_unusable_url_is_refused_once_naming_it(name, message):
    """httpx raised InvalidURL, urllib ValueError, out of the fetch (a crash of the whole run), or the failure was
    called a connection error and retried. (The hostile site, since werkzeug refuses to send such a Location.)"""
    with HostileSite() as site:
        url = f"{site.base_url}/feeds/{name}.xml"
        with pytest.raises(FetchRefused) as err:
            fetch(url, settings(fetch_retries=2, fetch_allow_hosts="127.0.0.1"), kind="feed")
        assert site.requests == [f"/feeds/{name}.xml"]  # not retried
    assert err.value.reason == "bad-redirect" and message in str(err.value)
    assert str(err.value).startswith(url)  # names the URL that redirected


def test_a_failure_s_message_holds_no_terminal_escape_from_the_link():
    """The URL parser's error quoted the raw link, so clear-screen, colour and OSC 8 hyperlink sequences from a feed
    reached the INFO log lines (red-team, hostile sites)."""
    link = "http://127.0.0.1:1/missing/\x1b[2J\x1b[31mRED\x1b]8;;http://evil.example\x07click\x1b]8;;\x07 ["
    with pytest.raises(FetchFailed) as err:
        fetch(link)
    text = str(err.value)
    assert not any(ord(ch) < 32 or 0x7f <= ord(ch) <= 0x9f for ch in text), repr(text)
    assert not any(ord(ch) < 32 for ch in err.value.detail)


def test_host_name_with_a_label_over_63_characters_is_refused():
    """getaddrinfo raises UnicodeError (its IDNA step), not OSError, on such a name."""
    with pytest.raises(FetchRefused) as err:
        fetch("http://" + "a" * 64 + ".example/feed.xml", settings(fetch_allow_hosts=""))
    assert err.value.reason == "bad-url" and "is not a valid host name" in str(err.value)


@pytest.mark.parametrize("link", ["http://[v1.x]/story", "https://[news.example]/story", "http://[127.0.0.1]/story"])
def test_a_bracketed_host_that_is_no_ipv6_address_is_a_bad_url_not_a_dns_failure(link):
    """Hostile-input audit, fourth round (#10): `http://[v1.x]/` failed as `dns`, a transient failure retried for days."""
    with pytest.raises(FetchRefused) as err:
        fetch(link, settings(fetch_allow_hosts=""))
    assert err.value.reason == "bad-url"


def test_redirects_followed_and_loop_detected(httpserver):
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)  # each hop of a page is checked
    httpserver.expect_request("/old").respond_with_data("", status=301, headers={"Location": "/new"})
    httpserver.expect_request("/new").respond_with_data("<html>new</html>", content_type="text/html")
    result = fetch(httpserver.url_for("/old"))
    assert result.final_url.endswith("/new") and result.body == b"<html>new</html>"

    httpserver.expect_request("/a").respond_with_data("", status=302, headers={"Location": "/b"})
    httpserver.expect_request("/b").respond_with_data("", status=302, headers={"Location": "/a"})
    with pytest.raises(FetchRefused) as err:
        fetch(httpserver.url_for("/a"))
    assert err.value.reason == "redirect-loop"


def test_a_feeds_credential_headers_never_follow_a_redirect_to_another_origin(httpserver):
    """`headers: {Authorization: …}` of a feed go to its own origin (a same-origin redirect keeps them), never to the
    host it redirects to: a moved feed, a CDN or an open redirect used to receive the paid feed's token."""
    from pytest_httpserver import HTTPServer

    other = HTTPServer(host="127.0.0.1", port=0)
    other.start()
    try:
        other.expect_request("/feed.xml").respond_with_data("<rss/>", content_type="application/rss+xml")
        httpserver.expect_request("/moved.xml").respond_with_data("", status=301, headers={"Location": "/old.xml"})
        httpserver.expect_request("/old.xml").respond_with_data(
            "", status=302, headers={"Location": f"http://localhost:{other.port}/feed.xml"})
        credentials = {"Authorization": "Bearer PAID-FEED-TOKEN", "X-Api-Key": "KEY-456", "Cookie": "s=1"}
        result = fetch(httpserver.url_for("/moved.xml"), kind="feed", headers=credentials, etag='"v1"')
        assert result.body == b"<rss/>"
        for request, _ in httpserver.log:  # the feed's own origin, before and after a same-origin redirect
            assert request.headers["Authorization"] == "Bearer PAID-FEED-TOKEN" and request.headers["X-Api-Key"]
        (request, _), = other.log
        assert not {"Authorization", "X-Api-Key", "Cookie"} & set(request.headers.keys())
        assert request.headers["If-None-Match"] == '"v1"'  # the cache validator is no credential
    finally:
        other.clear()
        if other.is_running():
            other.stop()


@pytest.mark.parametrize("headers", [{}, {"Location": ""}, {"Location": "   "}])
def test_a_redirect_without_a_location_is_a_bad_redirect_not_a_thin_page(httpserver, headers):
    """A 302 with no (or an empty) Location was read as a page: its "Moved" stub fell back as `too-little-text`."""
    httpserver.expect_request("/moved").respond_with_data("Moved", status=302, headers=headers)
    with pytest.raises(FetchFailed) as err:
        fetch(httpserver.url_for("/moved"))
    assert err.value.reason == "bad-redirect" and "HTTP 302 without a Location" in str(err.value)


def test_too_many_redirects(httpserver):
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)  # each hop of a page is checked
    for i in range(6):
        httpserver.expect_request(f"/r{i}").respond_with_data("", status=302, headers={"Location": f"/r{i + 1}"})
    with pytest.raises(FetchRefused) as err:
        fetch(httpserver.url_for("/r0"), settings(fetch_max_redirects=3))
    assert err.value.reason == "too-many-redirects"


def test_content_type_refused_for_pages(httpserver):
    httpserver.expect_request("/doc.pdf").respond_with_data(b"%PDF-1.7", content_type="application/pdf")
    with pytest.raises(FetchRefused) as err:
        fetch(httpserver.url_for("/doc.pdf"))
    assert err.value.reason == "content-type"


@pytest.mark.parametrize("body, kind", [
    (b"PK\x03\x04\x14\x00\x00\x00<html><title>inside zip</title>" + b"Mistral AI " * 200, "a ZIP archive"),
    (b"%PDF-1.7\n" + b"Mistral AI " * 200, "a PDF document"), (b"\x89PNG\r\n\x1a\n" + b"\x00" * 300, "a PNG image"),
])
def test_a_page_whose_body_is_another_kind_of_file_is_refused_whatever_its_content_type(httpserver, body, kind):
    """Hostile sites audit (2026-12-03, #4): a ZIP served as text/html was stored as the story, its text read out of
    the archive's bytes."""
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    httpserver.expect_request("/page.html").respond_with_data(body, content_type="text/html")
    with pytest.raises(FetchRefused) as err:
        fetch(httpserver.url_for("/page.html"))
    assert err.value.reason == "content-type" and f"the body is {kind}, not an HTML page" in str(err.value)


def test_a_304_to_a_request_without_a_validator_is_a_failure_of_its_own(httpserver):
    """Hostile sites audit (2026-12-03, #3): a bare 304 to a first request was read as an empty page and counted as
    `too-little-text`; a 304 to a request carrying the stored validator is still "not modified"."""
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    httpserver.expect_request("/p.html").respond_with_data("", status=304)
    with pytest.raises(FetchFailed) as err:
        fetch(httpserver.url_for("/p.html"))
    assert err.value.reason == "http-304" and "without a validator" in str(err.value)

    async def conditional():
        async with Fetcher(settings()) as fetcher:
            return await fetcher.fetch(httpserver.url_for("/p.html"), headers={"If-None-Match": '"v1"'})

    assert asyncio.run(conditional()).not_modified


def test_per_host_politeness_delay(httpserver):
    httpserver.expect_request("/p").respond_with_data("<html>p</html>", content_type="text/html")
    arrivals = []

    async def go():
        async with Fetcher(settings(fetch_host_delay=0.3)) as f:
            async def one():
                await f.fetch(httpserver.url_for("/p"))
                arrivals.append(time.monotonic())

            await asyncio.gather(one(), one(), one())

    start = time.monotonic()
    asyncio.run(go())
    assert len(httpserver.log) == 3
    assert max(arrivals) - start >= 0.55  # three requests to one host: two gaps of 0.3 s


# ------------------------------------------------------------------------------------------- robots.txt


def test_robots_respected(httpserver):
    httpserver.expect_request("/robots.txt").respond_with_data("User-agent: *\nDisallow: /private/\n", content_type="text/plain")

    async def go(s):
        async with Fetcher(s) as f:
            return (
                await f.allowed_by_robots(httpserver.url_for("/private/x.html")),
                await f.allowed_by_robots(httpserver.url_for("/public/y.html")),
            )

    assert asyncio.run(go(settings())) == (False, True)
    assert sum(1 for req, _ in httpserver.log if req.path == "/robots.txt") == 1  # cached per host
    assert asyncio.run(go(settings(respect_robots=False))) == (True, True)


def test_a_redirect_to_a_page_robots_txt_disallows_is_not_followed_on_any_host(httpserver):
    """A tracker's or shortener's link led round the publisher's robots.txt: only the feed's link was checked, and
    the other host's robots.txt was never even read (red-team, hostile sites)."""
    from pytest_httpserver import HTTPServer

    other = HTTPServer(host="127.0.0.1", port=0)
    other.start()
    try:
        for server in (httpserver, other):
            server.expect_request("/robots.txt").respond_with_data("User-agent: *\nDisallow: /private/\n")
            server.expect_request("/private/story").respond_with_data("<p>secret</p>", content_type="text/html")
        httpserver.expect_request("/r/same").respond_with_data("", status=302,
                                                               headers={"Location": "/private/story"})
        httpserver.expect_request("/r/other").respond_with_data(
            "", status=302, headers={"Location": other.url_for("/private/story")})
        for link in ("/r/same", "/r/other"):
            with pytest.raises(FetchFailed) as err:
                fetch(httpserver.url_for(link))
            assert err.value.reason == "robots-disallowed" and "robots.txt" in str(err.value)
        requested = [req.path for server in (httpserver, other) for req, _ in server.log]
        assert "/private/story" not in requested and requested.count("/robots.txt") == 2
    finally:
        other.clear()
        if other.is_running():
            other.stop()


def test_a_robots_txt_behind_a_refused_redirect_is_absent_not_a_refused_host(httpserver):
    """robots.txt redirected to an address the guard refuses made every page of the (allowed) host a permanent `ssrf`
    summary, and was asked again for each page (RFC 9309: a robots.txt that cannot be reached by its redirects is
    unavailable, so everything is allowed)."""
    httpserver.expect_request("/robots.txt").respond_with_data(
        "", status=301, headers={"Location": "http://10.0.0.1/robots.txt"})

    async def go():
        async with Fetcher(settings()) as f:
            return [await f.allowed_by_robots(httpserver.url_for(f"/a/{n}")) for n in range(3)]

    assert asyncio.run(go()) == [True, True, True]
    assert sum(1 for req, _ in httpserver.log if req.path == "/robots.txt") == 1


def test_only_the_first_500_kib_of_a_huge_robots_txt_are_read(httpserver):
    """An 8 MB robots.txt (300,000 rules) cost 0.45 s per URL check: rules past RFC 9309's 500 KiB are ignored."""
    rules = "".join(f"Disallow: /p{i}/\n" for i in range(300_000))
    body = "User-agent: *\nDisallow: /private/\n" + rules + "Disallow: /late/\n"
    assert len(body) > 4_000_000
    httpserver.expect_request("/robots.txt").respond_with_data(body, content_type="text/plain")

    async def go():
        async with Fetcher(settings()) as f:
            return [await f.allowed_by_robots(httpserver.url_for(path))
                    for path in ("/private/x.html", "/p100/y.html", "/p299999/z.html", "/late/w.html")]

    assert asyncio.run(go()) == [False, False, True, True]


def test_a_robots_txt_past_the_size_limit_or_a_gzip_bomb_is_read_up_to_500_kib_not_a_disallowed_host(httpserver):
    """robots.txt was fetched under NEWSROOM_FETCH_MAX_BYTES first: past it (a 512 MB gzip of comments, an endless
    chunked file) the fetch was refused and the whole host treated as disallowed. Its first 500 KiB are read."""
    head = b"User-agent: *\nDisallow: /private/\n"
    bomb = zlib.compressobj(9, zlib.DEFLATED, 31)
    gz = bomb.compress(head) + b"".join(bomb.compress(b"# " + b"x" * 1021 + b"\n") for _ in range(50_000))
    gz += bomb.compress(b"Disallow: /late/\n") + bomb.flush()  # 50 MB of comments, then a rule past 500 KiB

    def endless():
        yield head
        while True:
            yield b"Disallow: /nothing-here/\n" * 1000

    async def check():
        async with Fetcher(settings(fetch_max_bytes=10_000_000)) as f:
            return [await f.allowed_by_robots(httpserver.url_for(path))
                    for path in ("/a.html", "/private/x.html", "/late/y.html")]

    httpserver.expect_request("/robots.txt").respond_with_data(gz, headers={"Content-Encoding": "gzip"},
                                                               content_type="text/plain")
    assert asyncio.run(check()) == [True, False, True]
    httpserver.clear()
    httpserver.expect_request("/robots.txt").respond_with_response(Response(endless(), content_type="text/plain"))
    assert asyncio.run(check()) == [True, False, True]


def test_robots_missing_allows_and_server_error_disallows(httpserver):
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)

    async def allowed(s):
        async with Fetcher(s) as f:
            return await f.allowed_by_robots(httpserver.url_for("/a.html"))

    assert asyncio.run(allowed(settings())) is True
    httpserver.clear()
    httpserver.expect_request("/robots.txt").respond_with_data("", status=500)
    assert asyncio.run(allowed(settings(fetch_retries=0))) is False


@pytest.mark.parametrize("retry_after", ["315360000", "Wed, 01 Jan 2036 00:00:00 GMT", None])
def test_a_robots_txt_answering_429_is_unreachable_not_absent(httpserver, retry_after):
    """A 4xx robots.txt is absent (everything allowed), but 429 Too Many Requests is the host asking us to slow down:
    read as absent, a robots.txt answering 429 with a Retry-After of ten years had the host's pages fetched at once
    (hostile-input audit, eleventh round). It is unreachable, as a 5xx: the host is disallowed for the run, its
    stories `robots-unreachable` (retried)."""
    headers = {"Retry-After": retry_after} if retry_after else {}
    httpserver.expect_request("/robots.txt").respond_with_data("slow down", status=429, headers=headers)

    async def allowed():
        async with Fetcher(settings(fetch_retries=0, fetch_backoff_base=0.01)) as f:
            return await f.allowed_by_robots(httpserver.url_for("/a.html")), f.robots_unreachable(
                httpserver.url_for("/a.html"))

    assert asyncio.run(allowed()) == (False, True)


# ------------------------------------------------------------------------------------------- SSRF guard


class RecordingTransport(httpx.AsyncBaseTransport):
    """Answers every request itself (nothing leaves the process) and records what was asked."""

    def __init__(self, responses=None):
        self.requests: list[str] = []
        self.responses = responses or {}

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(str(request.url))
        status, headers, body = self.responses.get(str(request.url), (200, {"content-type": "text/html"}, b"<html>ok</html>"))
        return httpx.Response(status, headers=headers, stream=httpx.ByteStream(body))


async def private_resolver(host: str, port: int) -> list[str]:
    return {"intranet.example": ["10.1.2.3"], "public.example": ["93.184.216.34"], "mixed.example": ["93.184.216.34", "127.0.0.1"]}[host]


@pytest.mark.parametrize(
    "url",
    [
        "http://intranet.example/admin",  # resolves (via the hook) to 10.1.2.3
        "http://mixed.example/",  # one public and one loopback address: refused
        "http://10.0.0.1/",
        "http://169.254.169.254/latest/meta-data/",  # cloud metadata (link-local)
        "http://[::1]/",
        "http://[::ffff:192.168.1.1]/",
        "http://224.0.0.1/",  # multicast
        "http://0.0.0.0/",
        "http://240.0.0.1/",  # reserved
    ],
)
def test_ssrf_guard_refuses_before_any_connection(url):
    transport = RecordingTransport()
    s = settings(fetch_allow_hosts="")
    with pytest.raises(FetchRefused) as err:
        fetch(url, s, resolver=private_resolver, transport=transport)
    assert err.value.reason == "ssrf"
    assert transport.requests == []  # refused before a request was even handed to the transport


@pytest.mark.parametrize("url", ["ftp://example.org/feed.xml", "file:///etc/passwd", "gopher://x/"])
def test_only_http_schemes(url):
    transport = RecordingTransport()
    with pytest.raises(FetchRefused) as err:
        fetch(url, settings(), resolver=private_resolver, transport=transport)
    assert err.value.reason == "scheme" and transport.requests == []


def test_ssrf_guard_rechecks_every_redirect_hop():
    transport = RecordingTransport({"http://public.example/go": (302, {"location": "http://10.0.0.1/secret"}, b"")})
    with pytest.raises(FetchRefused) as err:
        fetch("http://public.example/go", settings(fetch_allow_hosts=""), resolver=private_resolver, transport=transport)
    assert err.value.reason == "ssrf"
    assert transport.requests == ["http://public.example/go"]  # the private hop was never requested


def test_a_redirect_to_a_refused_local_port_names_the_configured_url_the_redirect_and_the_one_service(httpserver):
    """It named only the target, never said "redirect", and advised allowing the bare host (every local service)
    though `127.0.0.1:<port>` was allowed already."""
    from pytest_httpserver import HTTPServer

    other = HTTPServer(host="127.0.0.1", port=0)
    other.start()
    try:
        secret = f"http://127.0.0.1:{other.port}/a/secret.html"
        httpserver.expect_request("/redir/otherport").respond_with_data("", status=302, headers={"Location": secret})
        with pytest.raises(FetchRefused) as err:
            fetch(httpserver.url_for("/redir/otherport"), settings(fetch_allow_hosts=f"127.0.0.1:{httpserver.port}"),
                  kind="feed")
        assert err.value.reason == "ssrf" and other.log == []
        assert str(err.value) == (
            f"{httpserver.url_for('/redir/otherport')}: redirected to {secret}: refused: host '127.0.0.1' resolves to "
            f"the non-public address 127.0.0.1, on port {other.port}, which NEWSROOM_FETCH_ALLOW_HOSTS does not allow "
            f"for it (add 127.0.0.1:{other.port} to NEWSROOM_FETCH_ALLOW_HOSTS to allow that one service)")
    finally:
        if other.is_running():
            other.stop()
    with pytest.raises(FetchRefused) as err:  # not allowed at all, no redirect: the hint still names one service
        fetch("http://intranet.example:8080/feed", settings(fetch_allow_hosts=""), resolver=private_resolver,
              transport=RecordingTransport())
    assert str(err.value).endswith("resolves to the non-public address 10.1.2.3 (add intranet.example:8080 to "
                                   "NEWSROOM_FETCH_ALLOW_HOSTS to allow that one service)")


def test_public_host_allowed_and_allowlist_by_cidr_or_name():
    transport = RecordingTransport()
    result = fetch("http://public.example/page", settings(fetch_allow_hosts=""), resolver=private_resolver, transport=transport)
    assert result.status == 200 and transport.requests == ["http://public.example/page"]

    async def check(allow, url):
        await HostPolicy(allow, private_resolver).check(url)

    asyncio.run(check("10.0.0.0/8", "http://intranet.example/"))
    asyncio.run(check("intranet.example", "http://intranet.example/"))
    with pytest.raises(FetchRefused):
        asyncio.run(check("192.168.0.0/16", "http://intranet.example/"))


def test_parse_retry_after():
    assert parse_retry_after("3") == 3.0
    assert parse_retry_after(None) is None
    assert parse_retry_after("garbage") is None
    assert 0 <= parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT") <= 1  # a past date means now
    assert parse_retry_after("9" * 400) == RETRY_AFTER_CAP  # float() of it is inf
    assert parse_retry_after("Fri, 31 Dec 9999 23:59:59 GMT") == RETRY_AFTER_CAP
    assert parse_retry_after("\u00b2") is None  # str.isdigit() is true for '²', float() raises


def test_connections_pinned_to_checked_addresses(httpserver):
    """DNS rebinding: a name that resolves to a public address at check time but whose connection would go to a
    private one is refused at connect time (the connection layer re-checks and connects to the checked address)."""
    httpserver.expect_request("/p").respond_with_data("<html>ok</html>", content_type="text/html")
    port = httpserver.port

    async def resolver(host, p):
        return ["127.0.0.1"]

    # allowlisted loopback: connecting by name goes to the checked address and works
    result = fetch(f"http://site.test:{port}/p", settings(fetch_allow_hosts="127.0.0.1"), resolver=resolver)
    assert result.body == b"<html>ok</html>"
    # without the allowlist, the same name is refused before any connection
    with pytest.raises(FetchRefused):
        fetch(f"http://site.test:{port}/p", settings(fetch_allow_hosts=""), resolver=resolver)
    assert len(httpserver.log) == 1


def test_retry_after_longer_than_backoff_max_is_not_waited_for(httpserver):
    httpserver.expect_request("/later").respond_with_data("", status=429, headers={"Retry-After": "3600"})
    start = time.monotonic()
    with pytest.raises(FetchFailed) as err:
        fetch(httpserver.url_for("/later"), settings(fetch_backoff_max=5))
    assert err.value.status == 429 and "Retry-After 3600s" in str(err.value)
    assert len(httpserver.log) == 1 and time.monotonic() - start < 3


def test_a_retry_after_of_400_digits_is_said_plainly(httpserver):
    httpserver.expect_request("/never").respond_with_data("", status=503, headers={"Retry-After": "9" * 400})
    with pytest.raises(FetchFailed) as err:
        fetch(httpserver.url_for("/never"))
    assert re.search(r"HTTP 503, Retry-After of a week or more; not asked again before \d{4}-\d\d-\d\d \d\d:\d\d UTC$",
                     str(err.value)) and "inf" not in str(err.value)


@pytest.mark.parametrize("address", [
    "2002:7f00:1::",  # 6to4 of 127.0.0.1
    "2002:a00:1::1",  # 6to4 of 10.0.0.1
    "64:ff9b::7f00:1",  # NAT64 of 127.0.0.1
    "64:ff9b::a9fe:a9fe",  # NAT64 of 169.254.169.254 (cloud metadata)
    "::ffff:127.0.0.1",  # IPv4-mapped
    "2001:0:4136:e378:8000:63bf:80ff:fffe",  # Teredo whose client is 127.0.0.1
])
def test_ssrf_guard_judges_ipv6_forms_by_the_ipv4_address_they_embed(address):
    transport = RecordingTransport()
    with pytest.raises(FetchRefused) as err:
        fetch(f"http://[{address}]/", settings(fetch_allow_hosts=""), resolver=private_resolver, transport=transport)
    assert err.value.reason == "ssrf" and transport.requests == []

    async def resolves_to(host, port):
        return [address]

    with pytest.raises(FetchRefused):  # the same through a name that resolves to it
        fetch("http://innocent.example/", settings(fetch_allow_hosts=""), resolver=resolves_to, transport=transport)


def test_ipv6_forms_of_public_ipv4_addresses_pass():
    async def check(url):
        await HostPolicy("", private_resolver).check(url)

    asyncio.run(check("http://[2002:808:808::]/"))  # 6to4 of 8.8.8.8
    asyncio.run(check("http://[64:ff9b::808:808]/"))  # NAT64 of 8.8.8.8


def test_allowlist_entries_may_name_a_port(httpserver):
    """`127.0.0.1:<port>` allows that one local service, not every service of the host."""
    async def check(allow, url):
        await HostPolicy(allow, private_resolver).check(url)

    asyncio.run(check("127.0.0.1:8080", "http://127.0.0.1:8080/feed"))
    asyncio.run(check("intranet.example:8443", "https://intranet.example:8443/"))
    asyncio.run(check("[::1]:8080", "http://[::1]:8080/"))
    asyncio.run(check("10.0.0.0/8", "http://intranet.example:9200/"))  # no port: every port
    for allow, url in [("127.0.0.1:8080", "http://127.0.0.1:9200/"), ("intranet.example:8443", "https://intranet.example/"),
                       ("127.0.0.1:8080", "http://[2002:7f00:1::]:9200/")]:
        with pytest.raises(FetchRefused):
            asyncio.run(check(allow, url))
    httpserver.expect_request("/p").respond_with_data("<html>ok</html>", content_type="text/html")
    assert fetch(httpserver.url_for("/p"), settings(fetch_allow_hosts=f"127.0.0.1:{httpserver.port}")).status == 200
    with pytest.raises(FetchRefused):
        fetch(httpserver.url_for("/p"), settings(fetch_allow_hosts=f"127.0.0.1:{httpserver.port + 1}"))


def test_an_allowlist_port_that_is_not_a_number_is_a_config_error():
    from pipeline.errors import ConfigError
    from pipeline.settings import load_settings

    with pytest.raises(ConfigError, match="NEWSROOM_FETCH_ALLOW_HOSTS"):
        load_settings(fetch_allow_hosts="127.0.0.1:http")


def test_credentials_in_a_url_never_reach_the_error_message():
    transport = RecordingTransport()
    with pytest.raises(FetchRefused) as err:
        fetch("http://bob:hunter2@10.0.0.1/feed?token=abc&x=1", settings(fetch_allow_hosts=""),
              resolver=private_resolver, transport=transport)
    assert "hunter2" not in str(err.value) and "abc" not in str(err.value) and "10.0.0.1/feed" in str(err.value)


def test_an_unresolved_google_news_link_or_a_redirect_to_googles_consent_page_is_never_fetched_as_a_story():
    transport = RecordingTransport({"http://public.example/story": (
        302, {"location": "https://consent.google.com/ml?continue=https://news.google.com/rss/articles/CBMi"}, b"")})
    with pytest.raises(FetchRefused) as err:
        fetch("http://public.example/story", settings(fetch_allow_hosts=""), resolver=private_resolver, transport=transport)
    assert err.value.reason == "unresolved-aggregator-link"
    assert transport.requests == ["http://public.example/story"]  # the consent page was never requested
    transport = RecordingTransport()
    with pytest.raises(FetchRefused) as err:
        fetch("https://news.google.com/rss/articles/CBMiswFBVV95cUxN?oc=5", settings(fetch_allow_hosts=""),
              resolver=private_resolver, transport=transport)
    assert err.value.reason == "unresolved-aggregator-link" and transport.requests == []

    async def public(host, port):
        return ["142.250.74.238"]

    feed = fetch("https://news.google.com/rss/search?q=mistral", settings(fetch_allow_hosts=""), kind="feed",
                 resolver=public, transport=transport)
    assert feed.status == 200  # Google News feeds themselves are read


def test_cookies_one_site_sets_are_never_sent_by_a_later_fetch_to_its_host_on_any_port(httpserver):
    """A run-wide cookie jar let a hostile page fill every later request to its host name, another port included,
    with 40 x 300-byte cookies per page, until the other site refused them all with HTTP 431 (hostile-input audit,
    fourth round)."""
    from pytest_httpserver import HTTPServer

    other = HTTPServer(host="127.0.0.1", port=0)
    other.start()
    try:
        flood = Response("<html><body>a</body></html>", content_type="text/html")
        for i in range(40):
            flood.headers.add("Set-Cookie", f"c{i}={'x' * 300}; Path=/")
        httpserver.expect_request("/flood").respond_with_response(flood)
        httpserver.expect_request("/next").respond_with_data("<html>b</html>", content_type="text/html")
        other.expect_request("/innocent").respond_with_data("<html>c</html>", content_type="text/html")

        async def go():
            async with Fetcher(settings()) as f:
                for url in (httpserver.url_for("/flood"), httpserver.url_for("/next"), other.url_for("/innocent")):
                    await f.fetch(url)

        asyncio.run(go())
        sent = {request.path: request.headers.get("Cookie") for request, _ in [*httpserver.log, *other.log]}
        assert sent == {"/flood": None, "/next": None, "/innocent": None}
    finally:
        other.clear()
        if other.is_running():
            other.stop()


def test_a_cookie_set_on_a_redirect_is_sent_to_the_next_hop_of_that_fetch_only(httpserver):
    check = Response("", status=302, headers={"Location": "/story"})
    check.headers.add("Set-Cookie", "passed=1; Path=/")
    httpserver.expect_request("/check").respond_with_response(check)
    httpserver.expect_request("/story", headers={"Cookie": "passed=1"}).respond_with_data(
        "<html>story</html>", content_type="text/html")
    httpserver.expect_request("/story").respond_with_data("no cookie", status=403)
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)

    async def go():
        async with Fetcher(settings()) as f:
            first = await f.fetch(httpserver.url_for("/check"))
            with pytest.raises(FetchFailed) as later:
                await f.fetch(httpserver.url_for("/story"))
            return first, later.value

    first, later = asyncio.run(go())
    assert first.status == 200 and first.body == b"<html>story</html>" and later.reason == "http-403"


def test_429_answers_on_many_names_of_one_site_count_as_one_host(httpserver):
    """Counted per host name, 30 links on 30 names of one server answering 429 were each asked retries + 1 times
    (120 requests where one host gets 8; hostile-input audit, fifth round). 429s count per site, like timeouts."""
    from pipeline.fetch import MAX_HOST_RATE_LIMITS

    httpserver.expect_request("/busy").respond_with_data("slow down", status=429, headers={"Retry-After": "0"})
    urls = [f"http://0x{'0' * i}7f.1:{httpserver.port}/busy?name={i}" for i in range(12)]

    async def go():
        async with Fetcher(settings(fetch_retries=3, fetch_concurrency=1)) as fetcher:
            return await asyncio.gather(*(fetcher.fetch(url) for url in urls), return_exceptions=True)

    outcomes = asyncio.run(go())
    assert all(isinstance(o, FetchFailed) and o.reason == "http-429" for o in outcomes), outcomes
    assert len(httpserver.log) == MAX_HOST_RATE_LIMITS
    assert "127.0.0.1 (the site of 0x" in str(outcomes[-1])


@pytest.mark.parametrize("value", ["Mon, 01 Jan 2026 00:00:00 +9999999999999999999",
                                   "01 Jan 99999999999999999999 00:00:00 GMT"])
def test_a_retry_after_date_too_large_for_a_date_is_no_date(httpserver, value):
    """Hostile-input audit, sixth round: a Retry-After date whose zone or year does not fit a machine integer made
    the standard library raise OverflowError, which ended the page's fetch with a bare traceback. Such a value
    is no date: the answer is retried with the usual backoff, as for any unreadable Retry-After."""
    assert parse_retry_after(value) is None
    httpserver.expect_oneshot_request("/busy").respond_with_data("slow down", status=503, headers={"Retry-After": value})
    httpserver.expect_oneshot_request("/busy").respond_with_data("<html>fine</html>", content_type="text/html")
    assert fetch(httpserver.url_for("/busy")).body == b"<html>fine</html>"
