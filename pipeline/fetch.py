"""Polite, bounded HTTP fetching (httpx, asyncio) for feeds, pages and robots.txt.

Why each guard exists:
- bounded concurrency + a per-host delay: we are a guest on news sites; one host never sees two requests
  less than `fetch_host_delay` seconds apart;
- SSRF guard: feed files come from users and OPML imports, and feeds contain arbitrary links; a URL whose
  host resolves to a loopback/private/link-local/multicast/reserved address is refused before any
  connection is made, on every redirect hop (redirects are followed here, not by httpx, for that reason);
- size limit on the decompressed stream, so a gzip bomb is cut off after `fetch_max_bytes` bytes (every layer of a
  `gzip, gzip` chain is decoded here with that bound, never by httpx), and a total time limit per fetch
  (`fetch_total_timeout`, a redirect chain's hops together), so a server dripping one byte at a time cannot hold a
  worker forever: that timeout is not retried (a retry would drip as long again), and a host that timed out
  MAX_HOST_TIMEOUTS times in a run is not asked again in that run (one hostile feed of 200 dripping links held the
  workers for hours);
- a redirect's Location is parsed here, not by httpx: `javascript:…`, port 99999 or `http://[::1` is one refused
  fetch, not an exception that ends the run;
- retries (tenacity) with exponential backoff and jitter on connection errors, 5xx and 429, honouring
  Retry-After, so a flaky site costs a few seconds and a dead one is reported, not fatal.
"""

from __future__ import annotations

import asyncio
import email.utils
import functools
import http.cookiejar
import ipaddress
import itertools
import logging
import re
import socket
import urllib.parse
import urllib.robotparser
import zlib
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from urllib.parse import urlsplit

import httpcore
import httpx
from tenacity import AsyncRetrying, retry_if_exception_type, stop_after_attempt, wait_random_exponential

from pipeline.errors import FetchError
from pipeline.settings import Settings
from pipeline.sinks import mask_secrets, mask_url, single_line
from pipeline.state import StateError, StateStore, state_key
from pipeline.urls import browser_join, without_credentials

log = logging.getLogger(__name__)

Resolver = Callable[[str, int], Awaitable[list[str]]]

REDIRECT_CODES = {301, 302, 303, 307, 308}
# Pages that are never a story: a Google News link that could not be resolved to the publisher's URL (current ids are
# not decodable) answers with a script page or, from EU addresses, a redirect to Google's consent page. Not requested:
# the article falls back to the feed summary (reason `unresolved-aggregator-link`).
AGGREGATOR_HOSTS = {"news.google.com", "news.google.fr", "consent.google.com", "consent.youtube.com"}


def _origin(url: str) -> str:
    """scheme://host[:port], without a `user:pass@` part (robots.txt is the host's, asked once and without them)."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc.rpartition('@')[2]}".lower()


class RobotRules(urllib.robotparser.RobotFileParser):
    """urllib's robots.txt reader, its rules matched as RFC 9309 §2.2.2 says: the longest matching rule decides
    (`Allow` on a tie), `*` matches any characters and a final `$` ends the path. urllib takes the first rule whose
    path the URL starts with and reads `*` and `$` as characters, so `Allow: /` before `Disallow: /private/` allowed
    every page, and `Disallow: /*/private/` or `Disallow: /*.pdf$` none (hostile input, fifteenth round).
    The rules are split once, and indexed at a host's second link checked (`_rules_index`): walking all of a 500 KiB
    file's 21,000 rules cost 23 ms of CPU per link, on the collector's event loop (eighteenth round). A host's first
    link walks them: most hosts of a run have one link, and building the index costs about four walks."""

    def parse(self, lines) -> None:
        """Blank lines are left out: urllib ends a group at one, so `User-agent: *`, a blank line, then `Disallow:
        /private/` disallowed nothing (RFC 9309 gives blank lines no meaning; a group ends at the next user-agent)."""
        self._catch_all: list[urllib.robotparser.Entry] = []
        super().parse([line for line in lines if line.strip()])
        self._rules: dict[str, list[tuple]] = {}
        self._indexes: dict[str, tuple] = {}

    def _add_entry(self, entry: urllib.robotparser.Entry) -> None:
        """Every `*` group is kept: urllib keeps the first one only, so a file whose rules for all crawlers come in two
        groups (two sections written apart) had the second's `Disallow`s ignored. RFC 9309 §2.2.1 combines them."""
        if "*" in entry.useragents:
            self._catch_all.append(entry)
        super()._add_entry(entry)

    def can_fetch(self, useragent: str, url: str) -> bool:
        if self.disallow_all or self.allow_all or not self.last_checked:
            return super().can_fetch(useragent, url)
        rules = self._rules.get(useragent)
        if rules is None:  # the groups naming this crawler, else every `*` group, their rules together
            groups = [e for e in self.entries if _names_crawler(e, useragent)] or self._catch_all
            rules = self._rules[useragent] = _split_rules([line for e in groups for line in e.rulelines])
        elif len(rules) > _RULES_WALKED and useragent not in self._indexes:  # the host's second link
            self._indexes[useragent] = _rules_index(rules)
        index = self._indexes.get(useragent)
        parts = urllib.parse.urlparse(urllib.parse.unquote(url))  # the path as urllib quotes its rules' paths
        path = urllib.parse.quote(urllib.parse.urlunparse(("", "", parts.path, parts.params, parts.query, ""))) or "/"
        matching = [(length, allow) for length, allow, *rule in (_candidate_rules(index, path) if index else rules)
                    if _rule_matches(*rule, path)]
        return max(matching)[1] if matching else True


def _product_token(agent: str) -> str:
    """The product token a user-agent starts with (`newsroom` of `newsroom/0.1 (+…)`), lowercased."""
    return re.match(r"\s*([A-Za-z_-]*)", agent).group(1).lower()


def _names_crawler(entry: urllib.robotparser.Entry, useragent: str) -> bool:
    """Whether a robots.txt group names this crawler: a `User-agent` line whose product token is ours, in any case
    (RFC 9309 §2.2.1, as Google's parser reads it). urllib took any part of our name: a group for `news`, or under an
    empty `User-agent:` line, was newsroom's own, so its `Allow: /` overrode the `*` group's `Disallow`s."""
    token = _product_token(useragent)
    return bool(token) and any(_product_token(agent) == token for agent in entry.useragents)


# A rule is filed under one of its literal parts, cut to this many characters: a path is then looked for in at most
# this many substring lengths.
_RULE_KEY_CHARS = 16
# A group of this many rules or fewer is walked, not indexed: about as cheap as looking its keys up.
_RULES_WALKED = 100


def _split_rules(rulelines) -> list[tuple]:
    """A group's rules as (length, allowed, the path before its first `*`, the parts after each `*`, whether a `$`
    ends it), split once."""
    rules = []
    for line in rulelines:
        path = line.path
        ends = path.endswith("%24")
        first, *rest = (path[:-3] if ends else path).split("%2A")
        rules.append((len(path), line.allowance, first, rest, ends))
    return rules


def _rules_index(rules: list[tuple]) -> tuple:
    """The rules filed under the literal part (cut to _RULE_KEY_CHARS) that the fewest rules share: a rule can match a
    path only if that part occurs in it. Returns (by key, the keys' lengths, the rules with no literal part). The
    rarest part, not the longest: 21,000 rules `/*.html*id=N` would all be filed under `.html`, which every page
    holds."""
    keys = [{part[:_RULE_KEY_CHARS] for part in (first, *rest) if part} for _, _, first, rest, _ in rules]
    shared = Counter(itertools.chain.from_iterable(keys))
    by_key: dict[str, list] = {}
    unkeyed = []
    for rule, rule_keys in zip(rules, keys):
        if rule_keys:
            by_key.setdefault(min(rule_keys, key=shared.__getitem__), []).append(rule)
        else:
            unkeyed.append(rule)
    return by_key, sorted({len(key) for key in by_key}), unkeyed


def _candidate_rules(index: tuple, path: str) -> list:
    """The rules whose key occurs in `path` (and those without one): one set of the path's substrings per key length,
    a few hundred slices, instead of testing every rule."""
    by_key, lengths, unkeyed = index
    found = set()
    for n in lengths:
        found.update(path[at:at + n] for at in range(len(path) - n + 1))
    return [rule for key in found & by_key.keys() for rule in by_key[key]] + unkeyed


def _rule_matches(first: str, parts: list[str], ends: bool, path: str) -> bool:
    """Whether a robots.txt rule's path, quoted by urllib (`*` is `%2A`, `$` is `%24`) and split at its `*`s into
    `first` and `parts`, a final `$` removed into `ends`, matches `path` from its start. The parts are found left to
    right, each at its first place: linear, where a regular expression of many `*`s (`/*a*a*a*a*b`) backtracks for
    ages on a long path."""
    if not path.startswith(first):
        return False
    at = len(first)
    if not parts:
        return not ends or at == len(path)
    for part in parts[:-1]:
        at = path.find(part, at)
        if at < 0:
            return False
        at += len(part)
    if ends:
        return path.endswith(parts[-1]) and len(path) - len(parts[-1]) >= at
    return path.find(parts[-1], at) >= 0


def _is_aggregator(url: str) -> bool:
    try:
        return (urlsplit(url).hostname or "").lower() in AGGREGATOR_HOSTS
    except ValueError:
        return False
# Content types accepted per kind of resource ("" = the server sent none; we sniff). robots.txt is read whatever its
# type, as Google's crawler reads it: one served as application/octet-stream (an object store's default for an
# upload without a type) was refused, and every page of its host disallowed at every run (`robots-disallowed`, for
# good); a body holding no rules allows everything, as an empty file does.
ALLOWED_TYPES = {
    "feed": ("xml", "rss", "atom", "rdf", "text/", "application/octet-stream", "json", ""),
    "page": ("text/html", "application/xhtml+xml", "text/plain", ""),
    "robots": None,
}
_CHUNK = 64 * 1024
# A page's body that is a file of another kind whatever its Content-Type says: a ZIP served as text/html was
# extracted as a story (text read out of the archive's bytes). PDF and images already gave no text.
_BINARY_MAGIC = {b"PK\x03\x04": "a ZIP archive", b"PK\x05\x06": "a ZIP archive", b"%PDF-": "a PDF document",
                 b"\x89PNG": "a PNG image", b"GIF8": "a GIF image", b"\xff\xd8\xff": "a JPEG image",
                 b"\x1f\x8b": "a gzip file", b"Rar!": "a RAR archive", b"7z\xbc\xaf": "a 7z archive",
                 b"\x7fELF": "a program", b"MZ": "a program", b"OggS": "an audio file", b"ID3": "an audio file",
                 b"\xd0\xcf\x11\xe0": "an Office document", b"RIFF": "a media file"}


def _binary_kind(body: bytes) -> str | None:
    """What a page's body is when its first bytes are another file format's signature, else None."""
    return next((kind for magic, kind in _BINARY_MAGIC.items() if body.startswith(magic)), None)


# Content codings decoded here, layer by layer, each bounded. Other registered compressions are refused (we only
# ask for gzip and deflate); an unregistered token (`Content-Encoding: utf-8`, a known misconfiguration) is ignored,
# as httpx does. More layers than this is not a real server's doing.
_DECODED = {"gzip": "gzip", "x-gzip": "gzip", "deflate": "deflate"}
_REFUSED_CODINGS = {"br", "zstd", "compress", "x-compress", "exi", "pack200-gzip", "aes128gcm", "dcb", "dcz"}
_MAX_LAYERS = 3
# Retry-After beyond a week is read as a week: the fetch is given up either way, and 400 digits would be `inf`.
RETRY_AFTER_CAP = 7 * 24 * 3600.0
# A Retry-After longer than fetch_backoff_max is not waited for: it is kept in the fetch state, and the site (a 429,
# about the host) or the URL (a 5xx) is not asked again before it ends, in this run or the next ones. Honoured for at
# most a day: a maintenance window or a rate limit lasts hours, the ingest runs daily, and a server asking for years
# (misconfigured, or hostile) would otherwise silence a source for good; it was asked again at every run.
RETRY_AFTER_HONOURED = 24 * 3600.0
# robots.txt is parsed once per host and run, but every URL check walks all its rules (urllib.robotparser): an 8 MB
# file (300,000 rules) cost 0.45 s per URL. RFC 9309 lets a crawler stop at 500 KiB.
ROBOTS_MAX_BYTES = 500 * 1024
# A host whose requests timed out this many times in a run is not asked again in that run: its other links fall back
# to their feed summaries at once instead of each holding a worker for the whole timeout.
MAX_HOST_TIMEOUTS = 3
# Likewise for a host that keeps answering 429 Too Many Requests (a bot guard): after this many 429s in a run (two
# pages' worth of attempts at the default 3 retries) its other links are not asked for until the next run. Counted
# per site like timeouts (`timeout_site`): per host name, 30 links on 30 names of one server cost 120 requests.
MAX_HOST_RATE_LIMITS = 8


def rest_key(url: str, host: str, status: int) -> str:
    """The fetch state's key of a Retry-After rest: the site for a 429 (Too Many Requests is about the host, as the
    run's 429 count), the URL for a 5xx (one page's error says nothing of the site's other pages)."""
    return f"site {timeout_site(host)}" if status == 429 else f"url {state_key(url)}"


def _site_named(host: str) -> str:
    """How a message names the site whose timeouts, rate limits or rests a host's links share."""
    site = timeout_site(host)
    return host[:100] if site == host else f"{site[:100]} (the site of {host[:100]})"


@functools.lru_cache(maxsize=4096)
def timeout_site(host: str) -> str:
    """Whose timeouts a host's count toward: its registrable domain (public suffix list, private suffixes included:
    two github.io blogs stay apart), or its address for an IPv4 spelling. Counted per host name, 40 links on
    `a1.evil.example`, `a2.evil.example`… (or `0x7f.1`, `0x07f.1`…) each dripped to the total timeout: one feed held
    every worker for 200 x 120 s / 8 = 50 minutes, innocent sites' pages queued behind it."""
    from tld import get_fld  # courlan's (trafilatura's) public-suffix library

    host = host.lower().rstrip(".").strip("[]")
    try:
        return str(ipaddress.ip_address(host))
    except ValueError:
        pass
    if all(re.fullmatch(r"0x[0-9a-f]*|[0-9]+", label) for label in host.split(".")):
        try:  # 0x7f.1, 127.1, 2130706433: how the resolver (inet_aton) reads them
            return socket.inet_ntoa(socket.inet_aton(host))
        except OSError:
            return host
    return get_fld(host, fix_protocol=True, fail_silently=True) or host


class FetchFailed(FetchError):
    """The resource could not be fetched (after retries): network error, HTTP error status."""

    def __init__(self, url: str, reason: str, message: str, status: int | None = None):
        # logged, stored and printed: a feed's link (quoted in the message too, by the URL parser's error) may hold
        # terminal escapes and line breaks, which single_line drops
        message = single_line(message)
        super().__init__(mask_secrets(f"{single_line(mask_url(url))}: {message}"))
        self.url = url
        self.detail = message  # without the URL, to restate the failure under another one (a redirect's origin)
        self.reason = reason  # short code used for counters: http-404, timeout, connect, redirect-loop…
        self.status = status


class FetchRefused(FetchFailed):
    """Refused by policy before or while fetching: SSRF guard, scheme, size or content type. Never retried."""

    retryable = False


class BadResponse(FetchFailed):
    """The server answered, but not with valid HTTP (two different Content-Lengths, a negative one, a header block
    past h11's limit, no status line, a broken chunk): it will be as broken next time, so it is not retried, and it
    is not a network failure (it used to be `connect`: retried with backoff, and the page refetched for days)."""

    retryable = False


def _malformed(exc: httpx.RemoteProtocolError) -> bool:
    """Whether h11 refused the server's bytes, rather than the connection ending early (`Server disconnected without
    sending a response`, `peer closed connection without sending complete message body`: the network's doing, or a
    server that stopped, which may pass)."""
    return not str(exc).lower().startswith(("server disconnected", "peer closed connection"))


def _bad_response(url: str, exc: httpx.RemoteProtocolError) -> BadResponse:
    return BadResponse(url, "bad-response", f"malformed reply: the server answered with something that is not valid "
                                            f"HTTP ({str(exc)[:200]}); not retried, it would be as malformed next time")


class _Transient(Exception):
    """A failure worth retrying (5xx, 429, connection error); carries Retry-After when the server sent one."""

    def __init__(self, reason: str, message: str, status: int | None = None, retry_after: float | None = None):
        super().__init__(message)
        self.reason = reason
        self.status = status
        self.retry_after = retry_after


@dataclass
class FetchResult:
    url: str  # as requested
    final_url: str  # after redirects
    status: int
    headers: httpx.Headers
    body: bytes  # decompressed
    fetched_at: datetime
    not_modified: bool = False
    redirects: list[str] = field(default_factory=list)
    truncated: bool = False  # only the first part was read (robots.txt: its first ROBOTS_MAX_BYTES)

    @property
    def served_at(self) -> datetime | None:
        """The server's clock when it sent the page (its `Date` header; a cache keeps the origin's): the moment a
        page's « hier » or "today" was written from. None when absent or no date."""
        return http_date(self.headers.get("date"))

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()

    @property
    def charset(self) -> str | None:
        return charset_of(self.headers.get("content-type", ""))


def charset_of(content_type: str | None) -> str | None:
    """The `charset=` of a Content-Type header value, or None."""
    for part in (content_type or "").split(";")[1:]:
        key, _, value = part.partition("=")
        if key.strip().lower() == "charset" and value.strip():
            return value.strip().strip("\"'")
    return None


def cache_validator(value: str | None) -> str | None:
    """An ETag/Last-Modified worth storing and sending back: printable ASCII only, else None (dropped).

    A server may send `ETag: "café"` (file-name ETags): httpx reads it as text but cannot encode it again, so sending
    it back would fail the feed on every later run. Without the validator the feed is simply fetched in full.
    """
    if not value or len(value) > 1_000 or not all(" " <= ch <= "~" for ch in value):
        return None
    return value


def parse_retry_after(value: str | None) -> float | None:
    """Retry-After is either seconds or an HTTP date; at most RETRY_AFTER_CAP seconds."""
    if not value:
        return None
    value = value.strip()
    if value.isascii() and value.isdigit():  # str.isdigit alone accepts '²', which float() rejects
        return min(float(value), RETRY_AFTER_CAP)
    when = http_date(value)
    if when is None:
        return None
    return min(max(0.0, (when - datetime.now(timezone.utc)).total_seconds()), RETRY_AFTER_CAP)


def http_date(value: str | None) -> datetime | None:
    """An HTTP date ("Sat, 05 Dec 2026 09:30:00 GMT") as an aware datetime; None when absent or not a date."""
    if not value:
        return None
    try:
        when = email.utils.parsedate_to_datetime(value.strip())
    except (TypeError, ValueError, OverflowError):  # a zone or year past a machine integer overflows: no date
        return None
    return when.replace(tzinfo=timezone.utc) if when.tzinfo is None else when


def describe_wait(seconds: float) -> str:
    """'3600s', or 'of a week or more' for a capped Retry-After (never 'infs')."""
    return "of a week or more" if seconds >= RETRY_AFTER_CAP else f"{seconds:.0f}s"


def redirect_target(url: str, location: str) -> str:
    """The absolute http(s) URL a Location header points to, else FetchRefused naming it (not retried).

    A hostile server can put anything there (`javascript:alert(1)`, port 99999, `http://[::1`); httpx and urllib
    raise their own exceptions on those, so the target is parsed once here, where every failure becomes a reason.
    A `user:password@` in the target is dropped, as in a feed's item links: httpx sent it as Basic auth to the next
    hop, and a page at the end declaring that URL canonical was stored, indexed and mailed under it.
    """
    shown = repr(location if len(location) <= 200 else location[:199] + "…")
    try:
        target = browser_join(url, location)  # `\\host\a` as browsers follow it
        parts = urlsplit(target)
        parts.port  # noqa: B018 - raises ValueError when out of 0-65535
        httpx.URL(target)
    except (ValueError, httpx.InvalidURL) as exc:
        raise FetchRefused(url, "bad-redirect", f"refused: redirect to an invalid URL {shown} ({exc})") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchRefused(url, "bad-redirect", f"refused: redirect to a non-http(s) URL {shown}")
    return without_credentials(target)


# --------------------------------------------------------------------------------------------- SSRF guard


_NAT64 = ipaddress.ip_network("64:ff9b::/96")  # RFC 6052 well-known prefix: the last 32 bits are an IPv4 address


def embedded_ipv4(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address stands for (IPv4-mapped, 6to4, Teredo client, NAT64), else None.

    `2002:7f00:1::` (6to4 of 127.0.0.1) or `64:ff9b::7f00:1` reach the IPv4 host through a relay or translator,
    so the guard must judge them by that address, not by the IPv6 prefix.
    """
    if not isinstance(ip, ipaddress.IPv6Address):
        return None
    if ip.ipv4_mapped:
        return ip.ipv4_mapped
    if ip.sixtofour:
        return ip.sixtofour
    if ip.teredo:
        return ip.teredo[1]
    if ip in _NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def _ipv6_literal(host: str) -> bool:
    try:
        ipaddress.IPv6Address(host)
    except ValueError:
        return False
    return True


def _blocked_address(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    ip = embedded_ipv4(ip) or ip
    return (
        ip.is_loopback
        or ip.is_private
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
        or not ip.is_global
    )


def split_allow_entry(entry: str) -> tuple[str, int | None]:
    """`host`, `host:port`, `1.2.3.4:80`, `10.0.0.0/8:80`, `[::1]:8080`, `::1` → (target, port or None)."""
    entry = entry.strip()
    if entry.startswith("["):
        target, _, rest = entry[1:].partition("]")
        port = rest[1:] if rest.startswith(":") else ""
    elif entry.count(":") == 1:
        target, _, port = entry.partition(":")
    else:
        target, port = entry, ""
    if port and not port.isdigit():
        raise ValueError(f"{entry!r}: the port must be a number")
    return target, int(port) if port else None


async def system_resolver(host: str, port: int) -> list[str]:
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return sorted({info[4][0] for info in infos})


class HostPolicy:
    """Decides whether a URL may be fetched: http(s) only, and no private/loopback/… destination unless allowlisted."""

    def __init__(self, allow: str = "", resolver: Resolver | None = None):
        # Entries: a host name, an IP or a CIDR, each with an optional `:port` (`[::1]:8080` for IPv6); without a
        # port every port of that host is allowed, so `127.0.0.1:8080` allows one local service, not all of them.
        self.allowed_names: dict[str, set[int] | None] = {}
        self.allowed_networks: list[tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, int | None]] = []
        for entry in (e.strip() for e in allow.split(",")):
            if not entry:
                continue
            target, port = split_allow_entry(entry)
            try:
                self.allowed_networks.append((ipaddress.ip_network(target, strict=False), port))
            except ValueError:
                name = target.lower().rstrip(".")
                if port is None:
                    self.allowed_names[name] = None
                elif name not in self.allowed_names or self.allowed_names[name] is not None:
                    self.allowed_names.setdefault(name, set()).add(port)
        self.resolver = resolver or system_resolver
        self._cache: dict[tuple[str, int], list[str]] = {}

    def _allowed_ip(self, ip, port: int | None = None) -> bool:
        candidates = [ip] + ([embedded_ipv4(ip)] if embedded_ipv4(ip) else [])
        return any(candidate in net and (allowed is None or allowed == port)
                   for candidate in candidates for net, allowed in self.allowed_networks
                   if net.version == candidate.version)

    def _allowed_name(self, host: str, port: int) -> bool:
        if host not in self.allowed_names:
            return False
        ports = self.allowed_names[host]
        return ports is None or port in ports

    async def check(self, url: str) -> None:
        """Raise FetchRefused unless `url` is http(s) and its host resolves only to public (or allowlisted) addresses."""
        try:
            parts = urlsplit(url)
            port = parts.port  # ValueError beyond 65535, like urlsplit on `http://[::1`
        except ValueError as exc:
            raise FetchRefused(url, "bad-url", f"refused: not a valid URL ({exc})") from None
        if parts.scheme not in ("http", "https"):
            raise FetchRefused(url, "scheme", f"refused: only http and https URLs are fetched, not {parts.scheme or 'no scheme'!r}")
        host = (parts.hostname or "").lower().rstrip(".")
        if not host:
            raise FetchRefused(url, "scheme", "refused: the URL has no host")
        if "[" in parts.netloc and not _ipv6_literal(host):  # `http://[v1.x]/`: not a name to look up (nor retry)
            raise FetchRefused(url, "bad-url", f"refused: [{host[:100]}] is not an IPv6 address")
        if port == 0:  # no server listens there; it was read as no port (80) and refused as `ssrf` on 127.0.0.1
            raise FetchRefused(url, "bad-url", "refused: port 0 is no port a server answers on")
        await self.safe_addresses(host, port or (443 if parts.scheme == "https" else 80), url)

    async def safe_addresses(self, host: str, port: int, url: str | None = None) -> list[str]:
        """The host's addresses, once checked; FetchRefused if any of them is non-public and not allowlisted."""
        host = host.lower().rstrip(".").strip("[]")
        url = url or f"{host}:{port}"
        try:
            literal = ipaddress.ip_address(host)
        except ValueError:
            literal = None
        if literal is not None:
            addresses = [str(literal)]
        else:
            key = (host, port)
            if key not in self._cache:
                try:
                    self._cache[key] = await self.resolver(host, port)
                except OSError as exc:
                    raise FetchFailed(url, "dns", f"cannot resolve host {host!r}: {exc}") from None
                except UnicodeError as exc:  # getaddrinfo's IDNA step: a label over 63 characters, an empty label
                    raise FetchRefused(url, "bad-url", f"refused: {host[:100]!r} is not a valid host name ({exc})") from None
            addresses = self._cache[key]
            if not addresses:
                raise FetchFailed(url, "dns", f"host {host!r} resolves to no address")
        if self._allowed_name(host, port):
            return addresses
        for address in addresses:
            ip = ipaddress.ip_address(address.split("%", 1)[0])
            if _blocked_address(ip) and not self._allowed_ip(ip, port):
                # the hint names the one service (host and port), never the whole host: allowing a bare host allows
                # every local service on it, and the host may well be allowed already on another port
                entry = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
                other_port = host in self.allowed_names or any(
                    candidate in net for candidate in (ip, embedded_ipv4(ip)) if candidate is not None
                    for net, _ in self.allowed_networks if net.version == candidate.version)
                where = (f"the non-public address {ip}, on port {port}, which NEWSROOM_FETCH_ALLOW_HOSTS does not "
                         "allow for it" if other_port else f"the non-public address {ip}")
                raise FetchRefused(url, "ssrf", f"refused: host {host!r} resolves to {where} (add {entry} to "
                                                "NEWSROOM_FETCH_ALLOW_HOSTS to allow that one service)")
        return addresses


def _no_cookies() -> http.cookiejar.CookieJar:
    """A jar that keeps nothing: httpx's default one is shared by every request of the client."""
    return http.cookiejar.CookieJar(policy=http.cookiejar.DefaultCookiePolicy(allowed_domains=[]))


class _PinnedBackend(httpcore.AsyncNetworkBackend):
    """Connects only to addresses the policy has just checked, so DNS rebinding between check and connect fails."""

    def __init__(self, inner: httpcore.AsyncNetworkBackend, policy: HostPolicy):
        self.inner = inner
        self.policy = policy

    async def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        addresses = await self.policy.safe_addresses(host, port)
        return await self.inner.connect_tcp(addresses[0], port, timeout=timeout, local_address=local_address, socket_options=socket_options)

    async def connect_unix_socket(self, path, timeout=None, socket_options=None):  # pragma: no cover - never used
        raise FetchRefused(path, "scheme", "refused: unix sockets are not fetched")

    async def sleep(self, seconds: float) -> None:
        await self.inner.sleep(seconds)


def _pinned_transport(settings: Settings, policy: HostPolicy) -> httpx.AsyncBaseTransport:
    """Connections pinned to the addresses the SSRF guard checked, and never reused: a response that sends more
    bytes than its Content-Length leaves them in a kept-alive connection, where they answered the host's next request
    (another page stored under the next URL). Requests to one host are a second apart anyway (the politeness delay),
    so keep-alive saved little."""
    slots = max(1, settings.fetch_concurrency)
    transport = httpx.AsyncHTTPTransport(
        retries=0, trust_env=False, limits=httpx.Limits(max_connections=slots * 2, max_keepalive_connections=0)
    )
    pool = getattr(transport, "_pool", None)
    if pool is not None and hasattr(pool, "_network_backend"):
        pool._network_backend = _PinnedBackend(pool._network_backend, policy)
    else:  # pragma: no cover - httpx internals changed: the per-URL check before each request still applies
        log.warning("cannot pin connections to checked addresses with this httpx version")
    return transport


# --------------------------------------------------------------------------------------------- fetcher


class Fetcher:
    """One httpx client for a run: shared connection pool, global concurrency bound, per-host politeness."""

    def __init__(
        self,
        settings: Settings,
        *,
        resolver: Resolver | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        state: StateStore | None = None,
    ):
        self.settings = settings
        self.state = state  # where Retry-After rests are kept between runs (none: for this run only)
        # rest_key → until when, the status that asked, the URL it answered (see RETRY_AFTER_HONOURED)
        self._resting: dict[str, tuple[datetime, int, str]] = {}
        self._rest_told: set[str] = set()  # rests whose first skipped link this run was logged
        self.policy = HostPolicy(settings.fetch_allow_hosts, resolver)
        self._transport = transport
        self._client: httpx.AsyncClient | None = None
        self._slots = asyncio.Semaphore(max(1, settings.fetch_concurrency))
        self._host_locks: dict[str, asyncio.Lock] = {}
        self._next_slot: dict[str, float] = {}
        self._paused_until: dict[str, float] = {}  # host → loop time: a 429 pauses every request to the host
        self._robots: dict[str, urllib.robotparser.RobotFileParser | None] = {}
        self._robots_locks: dict[str, asyncio.Lock] = {}
        self._robots_unreachable: set[str] = set()  # origins whose robots.txt failed to load (5xx, network)
        self.requests = 0  # HTTP requests actually sent (retries and redirects included)
        self._timeouts: Counter[str] = Counter()  # host → requests that timed out in this run
        self._rate_limits: Counter[str] = Counter()  # site (timeout_site) → 429 answers in this run

    async def __aenter__(self) -> Fetcher:
        s = self.settings
        if self.state is not None:
            self._resting = self.state.resting()
        self._client = httpx.AsyncClient(
            transport=self._transport or _pinned_transport(s, self.policy),
            follow_redirects=False,  # followed by hand, re-checking the SSRF guard on every hop
            timeout=httpx.Timeout(connect=s.fetch_connect_timeout, read=s.fetch_read_timeout, write=s.fetch_read_timeout, pool=None),
            headers={"User-Agent": s.user_agent, "Accept-Encoding": "gzip, deflate"},
            trust_env=False,
            event_hooks={"response": [_take_location]},
            cookies=_no_cookies(),  # each fetch keeps its own (see _fetch_following_redirects)
        )
        return self

    async def __aexit__(self, *exc) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    # ---- politeness

    async def _wait_turn(self, host: str) -> None:
        """Space requests to one host by fetch_host_delay seconds (other hosts proceed meanwhile), and hold them all
        while the host is paused after a 429."""
        while (pause := self._paused_until.get(host, 0.0) - asyncio.get_running_loop().time()) > 0:
            await asyncio.sleep(pause)
        delay = self.settings.fetch_host_delay
        if delay <= 0:
            return
        lock = self._host_locks.setdefault(host, asyncio.Lock())
        async with lock:
            loop = asyncio.get_running_loop()
            wait = self._next_slot.get(host, 0.0) - loop.time()
            if wait > 0:
                await asyncio.sleep(wait)
            self._next_slot[host] = loop.time() + delay

    # ---- public API

    async def fetch(
        self,
        url: str,
        *,
        kind: str = "page",
        headers: dict[str, str] | None = None,
        etag: str | None = None,
        last_modified: str | None = None,
        retries: int | None = None,
    ) -> FetchResult:
        """GET `url` (conditionally when etag/last_modified are given); raise FetchFailed/FetchRefused."""
        attempts = 1 + (self.settings.fetch_retries if retries is None else retries)
        base, cap = self.settings.fetch_backoff_base, self.settings.fetch_backoff_max
        backoff = wait_random_exponential(multiplier=base, max=cap)

        def wait(state) -> float:
            exc = state.outcome.exception() if state.outcome else None
            if isinstance(exc, _Transient) and exc.retry_after is not None:
                return exc.retry_after  # never above `cap`: longer waits are not retried (see _request_once)
            return backoff(state)

        validators = {}
        if etag := cache_validator(etag):  # one stored before validators were checked may be non-ASCII
            validators["If-None-Match"] = etag
        if last_modified := cache_validator(last_modified):
            validators["If-Modified-Since"] = last_modified
        try:
            async for attempt in AsyncRetrying(
                stop=stop_after_attempt(attempts),
                wait=wait,
                retry=retry_if_exception_type(_Transient),
                reraise=True,
            ):
                with attempt:
                    return await self._fetch_following_redirects(url, kind, dict(headers or {}), validators)
        except _Transient as exc:
            tries = f" after {attempts} attempts" if attempts > 1 else ""
            raise FetchFailed(url, exc.reason, f"{exc}{tries}", exc.status) from None
        raise AssertionError("unreachable")  # pragma: no cover

    async def allowed_by_robots(self, url: str) -> bool:
        """robots.txt of the URL's host (fetched once per host and run). 4xx: all allowed; unreachable: disallowed (RFC 9309).
        FetchFailed (`retry-after`) when the URL or its site is resting after a long Retry-After."""
        if not self.settings.respect_robots or _is_aggregator(url):  # an aggregator's page is refused in `fetch`
            return True
        self._check_resting(url, urlsplit(url).hostname or "")  # its site asked for rest: neither file is asked for
        origin = _origin(url)
        lock = self._robots_locks.setdefault(origin, asyncio.Lock())
        async with lock:
            if origin not in self._robots:
                self._robots[origin] = await self._load_robots(origin)
        parser = self._robots[origin]
        if parser is None:
            return False
        return parser.can_fetch(self.settings.user_agent, url)

    def robots_unreachable(self, url: str) -> bool:
        """Whether the URL was refused because its host's robots.txt could not be read this run (a 5xx, a timeout, a
        connection or TLS error): a failure that may pass, unlike a rule that disallows the page."""
        return _origin(url) in self._robots_unreachable

    async def _load_robots(self, origin: str) -> urllib.robotparser.RobotFileParser | None:
        parser = RobotRules()
        await self.policy.check(origin + "/robots.txt")  # the host itself refused: report that, not a robots.txt problem
        try:
            result = await self.fetch(origin + "/robots.txt", kind="robots", retries=1)
        except FetchRefused as exc:
            if exc.reason in ("ssrf", "scheme", "bad-redirect", "redirect-loop", "too-many-redirects"):
                # RFC 9309 §2.3.1.2: a robots.txt behind redirects that cannot be followed is unavailable, as a 4xx
                log.warning("robots.txt of %s cannot be read (%s): treated as absent (everything allowed)",
                            mask_url(origin), exc)
                parser.parse([])
                return parser
            log.warning("robots.txt of %s refused (%s): treating the host as disallowed", mask_url(origin), exc)
            return None
        except FetchFailed as exc:
            # no robots.txt: everything allowed. Not a 429: the host is asking us to slow down, not saying it has no
            # rules (read as "allowed", a robots.txt answering 429 with a Retry-After of years had its pages fetched at
            # once); it is unreachable, as a 5xx (Google reads it so too)
            if exc.status is not None and 400 <= exc.status < 500 and exc.status != 429:
                parser.parse([])
                return parser
            log.warning("robots.txt of %s unavailable (%s): treating the host as disallowed", mask_url(origin), exc)
            self._robots_unreachable.add(origin)
            return None
        body = result.body
        if result.truncated:  # RFC 9309 §2.5: parse at least 500 KiB; the rest may be ignored (and is never read)
            body = body[: body.rfind(b"\n") + 1]  # a rule cut in the middle is not a rule
            log.info("robots.txt of %s is longer than %d bytes: only its first %d are read", mask_url(origin),
                     ROBOTS_MAX_BYTES, len(body))
        # a UTF-8 byte order mark (Windows editors write one) is not part of the first line: urllib read
        # "\ufeffUser-agent" as no field, so the file's first group, often its only one, disallowed nothing
        parser.parse(body.decode("utf-8-sig", "replace").splitlines())
        return parser

    # ---- internals

    async def _fetch_following_redirects(self, url: str, kind: str, headers: dict[str, str],
                                         validators: dict[str, str]) -> FetchResult:
        """`headers` (a feed's own, often credentials) go only to the origin of `url`, as browsers, httpx and
        requests drop Authorization on a cross-origin redirect: once a hop leaves that origin they are no longer
        sent, on that hop or any later one. `validators` (If-None-Match…) go to every hop.

        Cookies live for this one redirect chain (a cookie-check redirect works): a run-wide jar let one site fill
        every later request to its host name, any port, with its cookies until they were refused (HTTP 431).

        `fetch_total_timeout` bounds the whole chain, not each hop: six hops each dripping their headers for just
        under the limit held a worker six times as long, and no timeout was counted against the host. Time spent
        waiting for a turn (politeness delay, a free slot) is not counted.

        A loop is a URL asked again with the same cookies: a site checking that cookies work redirects to the same
        address, or back to the first one under other tracking parameters, after setting one, and browsers then get
        the page (such a story was a `redirect-loop`, its text lost to the feed summary)."""
        seen: list[str] = []
        asked: set[tuple[str, tuple]] = set()  # (URL, the cookies sent with it)
        spent = 0.0  # seconds of requests in this chain
        jar = httpx.Cookies()
        current = url
        for _hop in range(self.settings.fetch_max_redirects + 1):
            if headers and current != url and not _same_origin(url, current):
                log.info("%s redirected to %s, another origin: its configured headers (%s) are not sent there",
                         mask_url(url), mask_url(current), ", ".join(sorted(headers)))
                headers = {}
            if kind == "page" and _is_aggregator(current):
                raise FetchRefused(url, "unresolved-aggregator-link",
                                   f"refused: {mask_url(current)} is an aggregator's page, not the publisher's story")
            try:
                await self.policy.check(current)
            except FetchFailed as exc:
                if current == url:
                    raise
                # name the feed or page as configured, and the redirect that led to the refused address
                raise type(exc)(url, exc.reason, f"redirected to {mask_url(current)}: {exc.detail}",
                                exc.status) from None
            cookies = tuple(sorted((c.domain, c.path, c.name, c.value or "") for c in jar.jar))
            if (current, cookies) in asked:
                raise FetchRefused(url, "redirect-loop", f"redirect loop ({' -> '.join(seen + [current])})")
            asked.add((current, cookies))
            if kind == "page" and current != url and not await self.allowed_by_robots(current):
                # a tracker's or shortener's link must not lead round the publisher's robots.txt (the caller checked
                # the link itself)
                reason = "robots-unreachable" if self.robots_unreachable(current) else "robots-disallowed"
                raise FetchRefused(url, reason, f"redirected to {mask_url(current)}, which its site's robots.txt "
                                   + ("could not be read for" if reason == "robots-unreachable" else "disallows"))
            seen.append(current)
            result, took = await self._request_once(current, kind, {**headers, **validators}, jar, spent,
                                                    len(seen) - 1)
            spent += took
            if isinstance(result, str):  # redirect target
                current = result
                continue
            result.url = url
            result.redirects = seen[:-1]
            return result
        raise FetchRefused(url, "too-many-redirects", f"more than {self.settings.fetch_max_redirects} redirects")

    async def _request_once(self, url: str, kind: str, headers: dict[str, str], jar: httpx.Cookies | None = None,
                            spent: float = 0.0, redirects: int = 0) -> tuple[FetchResult | str, float]:
        """One request: the result or the redirect target, and the seconds it took (not counting the wait for a
        turn). It has what is left of `fetch_total_timeout` after the `spent` seconds of the chain's `redirects`."""
        assert self._client is not None, "use `async with Fetcher(...)`"
        if jar and not any(name.lower() == "cookie" for name in headers):  # a feed's own Cookie header wins
            probe = httpx.Request("GET", url)
            jar.set_cookie_header(probe)
            if cookie := probe.headers.get("cookie"):
                headers = {**headers, "Cookie": cookie}
        host = urlsplit(url).hostname or ""
        self._check_host(url, host)
        await self._wait_turn(host)
        async with self._slots:
            self._check_host(url, host)  # other requests may have used up the host's allowance meanwhile
            self.requests += 1
            total = self.settings.fetch_total_timeout
            loop = asyncio.get_running_loop()
            started = loop.time()
            try:
                async with asyncio.timeout(max(total - spent, 0.0) if total else None), \
                        self._client.stream("GET", url, headers=headers) as response:
                    status = response.status_code
                    if jar is not None:
                        jar.extract_cookies(response)
                    location = response.extensions.get(_LOCATION)
                    if status in REDIRECT_CODES and location and location.strip():
                        return redirect_target(url, location), loop.time() - started
                    if status in REDIRECT_CODES:  # its body is a stub ("Moved"), not the page: say what happened
                        raise FetchFailed(url, "bad-redirect", f"HTTP {status} without a Location to follow", status)
                    if status == 304:
                        if not any(h.lower() in ("if-none-match", "if-modified-since") for h in headers):
                            # nothing was cached to be "not modified": a server's or a proxy's error, not the page
                            raise FetchFailed(url, "http-304", "HTTP 304 Not Modified to a request without a "
                                                               "validator (nothing cached to reuse)", status)
                        return FetchResult(url, url, status, response.headers, b"", _now(),
                                           not_modified=True), loop.time() - started
                    if status == 206 and kind == "page" and not any(h.lower() == "range" for h in headers):
                        # a part of the page to a request for all of it: its text cut short was stored as the whole
                        # story (hostile input, twentieth round)
                        raise FetchFailed(url, "http-206", "HTTP 206 Partial Content to a request for the whole page "
                                                           "(a part of it only)", status)
                    if status == 429 or status >= 500:
                        self._rate_limits[timeout_site(host)] += status == 429
                        retry_after = parse_retry_after(response.headers.get("retry-after"))
                        if retry_after is not None and retry_after > self.settings.fetch_backoff_max:
                            # waiting less than asked would be impolite, waiting longer stalls the run: give up, and
                            # do not ask again before it ends (this run or the next)
                            until = self._rest(url, host, status, retry_after)
                            failed = FetchFailed(url, f"http-{status}", f"HTTP {status}, Retry-After "
                                                 f"{describe_wait(retry_after)}; not asked again before "
                                                 f"{until:%Y-%m-%d %H:%M} UTC", status)
                            failed.retryable = False  # an Airflow retry before `until` would only meet the rest
                            raise failed
                        if status == 429:  # "too many requests" is about the host: its other pages wait too
                            pause = retry_after if retry_after is not None else self.settings.fetch_backoff_base
                            until = asyncio.get_running_loop().time() + pause
                            self._paused_until[host] = max(self._paused_until.get(host, 0.0), until)
                        raise _Transient(f"http-{status}", f"HTTP {status}", status, retry_after)
                    if status >= 400:
                        raise FetchFailed(url, f"http-{status}", f"HTTP {status}", status)
                    self._check_content_type(url, kind, response.headers.get("content-type", ""))
                    keep = ROBOTS_MAX_BYTES if kind == "robots" else None
                    body, truncated = await self._read_limited(url, response, keep)
                    if kind == "page" and (binary := _binary_kind(body)):
                        raise FetchRefused(url, "content-type", f"refused: the body is {binary}, not an HTML page "
                                                                "(whatever its Content-Type says)")
                    return FetchResult(url, str(response.url), status, response.headers, body, _now(),
                                       truncated=truncated), loop.time() - started
            except httpx.InvalidURL as exc:  # a URL urlsplit accepts and httpx does not
                raise FetchRefused(url, "bad-url", f"refused: not a valid URL ({exc})") from None
            except httpx.TimeoutException as exc:
                self._timeouts[timeout_site(host)] += 1
                raise _Transient("timeout", f"timed out ({type(exc).__name__})") from None
            except TimeoutError:  # asyncio.timeout: the body kept trickling in past fetch_total_timeout
                self._timeouts[timeout_site(host)] += 1
                over = f" over {redirects} redirect{'s' * (redirects > 1)}" if redirects else ""
                raise FetchFailed(url, "timeout", f"timed out (no complete response within {total:g}s{over})") from None
            except _CutShort as exc:  # the body ended before its announced length: retried like a dropped connection
                raise _Transient("incomplete", f"incomplete body: {exc}") from None
            except (httpx.TransportError, httpx.DecodingError) as exc:
                if isinstance(exc, httpx.DecodingError):
                    raise FetchFailed(url, "decoding", f"cannot decode the response body: {exc}") from None
                if isinstance(exc, httpx.RemoteProtocolError) and _malformed(exc):
                    raise _bad_response(url, exc) from None
                raise _Transient("connect", f"connection error ({type(exc).__name__}: {exc})") from None

    def _rest(self, url: str, host: str, status: int, retry_after: float) -> datetime:
        """Record that a 429 (about the whole site) or a 5xx (about this URL) asked not to be asked again for
        `retry_after` seconds, at most RETRY_AFTER_HONOURED; returns until when."""
        until = _now() + timedelta(seconds=min(retry_after, RETRY_AFTER_HONOURED))
        key = rest_key(url, host, status)
        if key not in self._resting or self._resting[key][0] < until:
            self._resting[key] = (until, status, mask_url(url))
        log.warning("%s answered HTTP %d with a Retry-After %s: %s not asked again before %s UTC%s",
                    single_line(mask_url(url)), status, describe_wait(retry_after),
                    f"its site {timeout_site(host)[:100]} is" if status == 429 else "it is", f"{until:%Y-%m-%d %H:%M}",
                    f" (a Retry-After is honoured for at most {RETRY_AFTER_HONOURED / 3600:g} hours)"
                    if retry_after > RETRY_AFTER_HONOURED else "")
        if self.state is not None:
            try:
                self.state.record_rest(key, until, status, url)
            except StateError as exc:  # the rest holds for this run; the fetch state says why it could not be kept
                log.warning("%s: the rest is kept for this run only", exc)
        return until

    def _check_resting(self, url: str, host: str) -> None:
        """FetchFailed (`retry-after`) when the URL, or its site, asked not to be asked before a time still to come."""
        if not self._resting:
            return
        now = _now()
        for key in (rest_key(url, host, 429), rest_key(url, host, 503)):
            if key in self._resting and self._resting[key][0] > now:
                until, status, asked_by = self._resting[key]
                whom = f"{_site_named(host)} answered" if status == 429 else "it answered"
                failed = FetchFailed(url, "retry-after", f"not fetched: {whom} HTTP {status} with a Retry-After at "
                                     f"{asked_by}; not asked again before {until:%Y-%m-%d %H:%M} UTC", status)
                if key not in self._rest_told:  # once per rest and run; each link is counted (`retry-after`)
                    self._rest_told.add(key)
                    log.warning("%s", failed)
                raise failed

    def _check_host(self, url: str, host: str) -> None:
        """A host that keeps timing out or answering 429 is not asked again in this run (a failure that passes: its
        pages are tried again next run), nor a site or URL resting after a long Retry-After, in any run before the
        rest ends."""
        self._check_resting(url, host)
        site, where = timeout_site(host), _site_named(host)
        if self._timeouts[site] >= MAX_HOST_TIMEOUTS:
            raise FetchFailed(url, "host-timeouts", f"not fetched: {where} timed out {MAX_HOST_TIMEOUTS} times "
                                                    "in this run")
        if self._rate_limits[site] >= MAX_HOST_RATE_LIMITS:
            raise FetchFailed(url, "http-429", f"not fetched: {where} answered 429 Too Many Requests "
                                               f"{MAX_HOST_RATE_LIMITS} times in this run", 429)

    def _check_content_type(self, url: str, kind: str, header: str) -> None:
        ctype = header.split(";")[0].strip().lower()
        allowed = ALLOWED_TYPES.get(kind, ("",))
        if allowed is None or ctype == "" or any(a and a in ctype for a in allowed):
            return
        raise FetchRefused(url, "content-type", f"refused: content type {ctype!r} is not accepted for a {kind}")

    async def _read_limited(self, url: str, response: httpx.Response, keep: int | None = None) -> tuple[bytes, bool]:
        """Read the raw body and undo its content codings here, each layer bounded, so a gzip bomb (or a `gzip, gzip`
        chain of them) stops at fetch_max_bytes; httpx's own decoders inflate a whole chunk before any check.

        With `keep`, reading stops once that many bytes are decoded and those are returned (truncated: True)
        instead of refusing a longer body: robots.txt, of which RFC 9309 §2.5 lets a crawler read the first 500 KiB."""
        limit = self.settings.fetch_max_bytes
        header = response.headers.get("content-encoding", "")
        codings = [c.strip().lower() for c in header.split(",") if c.strip().lower() not in ("", "identity")]
        refused = [c for c in codings if c in _REFUSED_CODINGS]
        if refused:
            raise FetchRefused(url, "content-encoding", f"refused: content encoding {refused[0][:40]!r} is not "
                                                        "supported (only gzip and deflate are asked for)")
        layers = [_DECODED[c] for c in reversed(codings) if c in _DECODED]  # the last coding applied comes off first
        if len(layers) > _MAX_LAYERS:
            raise FetchRefused(url, "content-encoding",
                               f"refused: {len(layers)} layers of compression (at most {_MAX_LAYERS} are decoded)")
        declared = response.headers.get("content-length", "")
        if declared.isascii() and declared.isdigit() and not layers and int(declared) > limit and keep is None:
            raise FetchRefused(url, "too-large", f"refused: body of {int(declared)} bytes exceeds the {limit}-byte limit")
        decoder = _BoundedDecoder(url, layers, limit, keep)
        try:
            async for raw in response.aiter_raw(_CHUNK):
                decoder.feed(raw)
            return decoder.finish(), False
        except _Enough:  # the rest is never read (an endless body, a gzip bomb): leaving the stream closes it
            return bytes(decoder.out[:keep]), True
        except httpx.RemoteProtocolError as exc:  # the server hung up mid-body: not a connection that failed
            if _malformed(exc):  # a broken chunk: the server's reply, not an early end
                raise _bad_response(url, exc) from None
            # h11 says how much came: "peer closed connection without sending complete message body (received
            # 100 bytes, expected 5000)"
            raise _CutShort(f"the server closed the connection before the end of the body ({str(exc)[:200]})") from None


class _CutShort(Exception):
    """The server closed the connection before the end of the body (fewer bytes than its Content-Length, or a
    chunked body without its last chunk)."""


class _Enough(Exception):
    """The decoder holds the `keep` bytes asked for: stop reading."""


class _BoundedDecoder:
    """Undoes gzip/deflate layers in order, with zlib's max_length, so no layer ever outputs more than `limit` bytes
    (an intermediate layer included: endless empty deflate blocks would cost CPU, not memory, without that bound).
    With `keep`, the decoded body stops there (_Enough) instead of being refused past `limit`. Every gzip member is
    read, and a stream that does not end is refused rather than stored as half a page."""

    def __init__(self, url: str, layers: list[str], limit: int, keep: int | None = None):
        self.url = url
        self.layers = layers
        self.limit = limit
        self.keep = keep
        # wbits 47 = auto-detect zlib or gzip header; raw deflate (rare) gets -15 on error
        self.decoders = [zlib.decompressobj(47) for _ in layers]
        self.produced = [0] * len(layers)
        self.fed = [False] * len(layers)
        self.raw: set[int] = set()
        self.out = bytearray()

    def _too_large(self) -> FetchRefused:
        after = " (decompressed)" if self.layers else ""
        return FetchRefused(self.url, "too-large", f"refused: body exceeds the {self.limit}-byte limit{after}")

    def _push(self, index: int, data: bytes) -> None:
        if index == len(self.layers):
            self.out += data
            if self.keep is not None and len(self.out) >= self.keep:
                raise _Enough
            if len(self.out) > self.limit:
                raise self._too_large()
            return
        while data:
            decoder = self.decoders[index]
            try:
                piece = decoder.decompress(data, _CHUNK)
            except zlib.error:
                if self.layers[index] == "deflate" and not self.produced[index] and index not in self.raw:
                    self.decoders[index] = zlib.decompressobj(-15)  # a raw deflate stream, without zlib header
                    self.raw.add(index)
                    continue
                raise FetchFailed(self.url, "decoding", "corrupt compressed body") from None
            self.fed[index] = True
            self._count(index, piece)
            self._push(index + 1, piece)
            data = decoder.unconsumed_tail
            if decoder.eof and decoder.unused_data[:2] in (b"\x1f\x8b", b"\x1f"):
                # another gzip member (RFC 1952 allows several; browsers and Python's gzip read them all)
                data, self.decoders[index] = decoder.unused_data + data, zlib.decompressobj(47)

    def _count(self, index: int, piece: bytes) -> None:
        self.produced[index] += len(piece)
        if self.produced[index] > self.limit:
            raise self._too_large()

    def feed(self, raw: bytes) -> None:
        self._push(0, raw)

    def finish(self) -> bytes:
        for index, decoder in enumerate(self.decoders):
            try:
                rest = decoder.flush()
            except zlib.error:
                raise FetchFailed(self.url, "decoding", "corrupt compressed body") from None
            self._count(index, rest)
            self._push(index + 1, rest)
            if self.fed[index] and not decoder.eof:  # the connection ended inside the stream: half a page
                raise FetchFailed(self.url, "decoding", "truncated compressed body (the stream does not end)")
        return bytes(self.out)


_LOCATION = "newsroom.location"


def _same_origin(first: str, other: str) -> bool:
    """Same scheme, host and port (default ports made explicit); http → https on the same host with default ports
    counts as the same origin (an upgrade, as httpx treats it)."""
    a, b = httpx.URL(first), httpx.URL(other)
    if a.host != b.host:
        return False
    if (a.scheme, a.port or _DEFAULT_PORTS.get(a.scheme)) == (b.scheme, b.port or _DEFAULT_PORTS.get(b.scheme)):
        return True
    return a.scheme == "http" and b.scheme == "https" and a.port in (None, 80) and b.port in (None, 443)


_DEFAULT_PORTS = {"http": 80, "https": 443}


async def _take_location(response: httpx.Response) -> None:
    """Move a redirect's Location out of httpx's sight: httpx would build its next request from it even with
    follow_redirects=False, and raise on a hostile value. `redirect_target` parses it instead."""
    if response.status_code in REDIRECT_CODES and "location" in response.headers:
        response.extensions[_LOCATION] = response.headers["location"]
        del response.headers["location"]


def _now() -> datetime:
    return datetime.now(timezone.utc)
