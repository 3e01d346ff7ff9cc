"""URL normalisation and article ids.

One article = one normalised URL, so the same story reached through two feeds, with or without tracking
parameters or a fragment, gets the same id and is fetched once.
"""

from __future__ import annotations

import base64
import hashlib
import re
from urllib.parse import parse_qs, parse_qsl, quote, unquote_plus, urljoin, urlsplit, urlunsplit

_GOOGLE_NEWS_HOSTS = {"news.google.com", "news.google.fr", "www.google.com", "google.com"}
_URL_IN_BYTES = re.compile(rb"https?://[\x21-\x7e]+")


# Query parameters that only say where a click came from, never which page it is: dropped from an article's
# identity. A short, explicit list on purpose: courlan's tracker pattern also matches `ref`, `source`, `cid`, `eid`,
# `uid`, `session`… anywhere in a key and drops value-less keys, so `spip.php?article123` read `spip.php` and
# `news.php?ref=8812` read `news.php` (different stories merged, the home page fetched). docs/fetching.md lists them.
TRACKING_PARAMS = frozenset({
    "fbclid", "gclid", "gclsrc", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "twclid", "igshid", "li_fat_id",
    "mc_cid", "mc_eid", "_ga", "_gl", "ocid", "xtor", "xts", "cmpid", "ito", "itid", "icid", "smid", "_hsenc", "_hsmi",
    "mkt_tok",
    "oly_anon_id", "oly_enc_id", "vero_id", "ns_source", "ns_mchannel", "ns_campaign", "ns_linkname", "ns_fee", "__twitter_impression",
})
TRACKING_PREFIXES = ("utm_", "at_", "pk_", "mtm_", "hsa_")
# Medium and Substack tag feed links `?source=rss-…` / `?source=rss----…`: only such `source` values are trackers.
_FEED_SOURCE_VALUE = re.compile(r"^(?:rss|feed|atom)\b", re.IGNORECASE)
_PATH_SAFE = "/%:@!$&'()*+,;=~-._"  # RFC 3986 pchar: `@` stays as is (Medium's /@author/…), only the rest is encoded


def is_tracking_param(key: str, value: str = "") -> bool:
    key = key.lower()
    if key in TRACKING_PARAMS or key.startswith(TRACKING_PREFIXES):
        return True
    return key == "source" and bool(_FEED_SOURCE_VALUE.match(value))


def normalize_url(url: str, *, rfc3986: bool = True) -> str:
    """The article's identity: scheme and host lowercased, default port and fragment dropped, tracking parameters
    (`TRACKING_PARAMS`, utm_*…) removed, the other parameters kept and sorted, value-less keys included
    (`spip.php?article123`), and, as RFC 3986 §6.2.2 says they are the same resource, percent-escapes of unreserved
    characters decoded (`/%61.html` is `/a.html`) and dot segments resolved (`/./x/../a.html` is `/a.html`): a feed
    linking one story both ways had it fetched and stored twice. `rfc3986=False` gives the identity links had before
    that (twin_ids: a story stored under it is known).

    For identity only: the feed's link is fetched as given (`FeedItem.link`).
    """
    url = (url or "").strip()
    if not url:
        raise ValueError("empty URL")
    parts = urlsplit(url)
    scheme, netloc = parts.scheme.lower(), parts.netloc.lower()
    try:
        host, port = ascii_host((parts.hostname or "").lower()), parts.port
    except ValueError:  # a port that is not a number: the host part is kept as written, lowercased
        host, port = "", None
    if host:
        netloc = host if ":" not in host else f"[{host}]"
        if port is not None and (scheme, port) not in (("http", 80), ("https", 443)):
            netloc = f"{netloc}:{port}"
        if "@" in parts.netloc:
            netloc = parts.netloc.rsplit("@", 1)[0] + "@" + netloc
    path = quote(_dot_segments_removed(_unreserved_decoded(parts.path)) if rfc3986 else parts.path,
                 safe=_PATH_SAFE) or "/"
    kept = []
    for pair in (_unreserved_decoded(parts.query) if rfc3986 else parts.query).split("&"):
        if not pair:
            continue
        key, _, value = pair.partition("=")
        if not is_tracking_param(unquote_plus(key), unquote_plus(value)):
            kept.append(quote(pair, safe="=%:@!$'()*+,;/?~-._"))
    return urlunsplit((scheme, netloc, path, "&".join(sorted(kept)), ""))


_ESCAPE = re.compile(r"%([0-9A-Fa-f]{2})")
_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")


def _unreserved_decoded(part: str) -> str:
    """`part` with its percent-escapes of unreserved characters (letters, digits, `-._~`) decoded, the others kept as
    written (`%2F` is not `/`, `%26` not `&`)."""
    if "%" not in part:
        return part
    return _ESCAPE.sub(lambda m: char if (char := chr(int(m.group(1), 16))) in _UNRESERVED else m.group(0), part)


def _dot_segments_removed(path: str) -> str:
    """`path` with its `.` and `..` segments resolved (RFC 3986 §5.2.4), by urllib's own resolution: a leading `/.`
    segment keeps a path that starts with `//` from being read as a host."""
    if not re.search(r"(?:^|/)\.\.?(?:/|$)", path):
        return path
    return urlsplit(urljoin("http://host/", "/." + path if path.startswith("/") else "/" + path)).path


def ascii_host(host: str) -> str:
    """A host name in the ASCII form browsers and httpx send (IDNA with UTS #46 mapping): `café.example`,
    `CAFÉ.example` and `xn--caf-dma.example` are one host, and one story linked under two of them is one article.
    A name IDNA cannot encode (httpx cannot fetch it either) is kept as written."""
    if host.isascii():
        return host
    import idna  # httpx's own dependency

    try:
        return idna.encode(host, uts46=True).decode("ascii")
    except (UnicodeError, idna.IDNAError):
        return host


def _unicode_host(host: str) -> str | None:
    """The Unicode spelling of a host with `xn--` labels, or None when it has none or they do not decode."""
    if "xn--" not in host:
        return None
    import idna

    try:
        return idna.decode(host)
    except (UnicodeError, idna.IDNAError):
        return None


# Scripts a displayed host label may be written in (UTS #39); a letter of any other script keeps the host in punycode.
_SCRIPTS = ("Latin", "Cyrillic", "Greek", "Armenian", "Hebrew", "Arabic", "Syriac", "Thaana", "Devanagari", "Bengali",
            "Gurmukhi", "Gujarati", "Oriya", "Tamil", "Telugu", "Kannada", "Malayalam", "Sinhala", "Thai", "Lao",
            "Tibetan", "Myanmar", "Georgian", "Hangul", "Ethiopic", "Khmer", "Mongolian", "Hiragana", "Katakana",
            "Bopomofo", "Han")
# UTS #39's "highly restrictive" combinations; beyond them, Latin with one other script but Cyrillic or Greek
_CJK_SETS = ({"Latin", "Han", "Hiragana", "Katakana"}, {"Latin", "Han", "Bopomofo"}, {"Latin", "Han", "Hangul"})
_LATIN_LOOKALIKES = ("Cyrillic", "Greek")
# Cyrillic letters drawn like Latin ones (Chromium's whole-script confusable list): `аррӏе` is not apple
_CYRILLIC_LIKE_LATIN = set("асԁеһіјӏорԛѕԝхуъьҽпгѵѡ")


def _scripts(label: str) -> set[str] | None:
    """The scripts of a label's letters (digits, hyphens and combining marks belong to none), or None when one is
    of a script not in _SCRIPTS."""
    import regex  # locked dependency; the standard library knows no Unicode scripts

    found: set[str] = set()
    for char in label:
        if regex.match(r"[\p{Script=Common}\p{Script=Inherited}]", char):
            continue
        script = next((name for name in _SCRIPTS if regex.match(rf"\p{{Script={name}}}", char)), None)
        if script is None:
            return None
        found.add(script)
    return found


def _safe_label(label: str, tld: str) -> bool:
    scripts = _scripts(label)
    if scripts is None:
        return False
    if scripts == {"Cyrillic"} and set(label) - set("-0123456789") <= _CYRILLIC_LIKE_LATIN:
        return _scripts(tld) == {"Cyrillic"}  # `аррӏе.com` spoofs apple.com; under .рф it is Russian
    if len(scripts) <= 1 or any(scripts <= allowed for allowed in _CJK_SETS):
        return True
    return len(scripts) == 2 and "Latin" in scripts and not scripts & set(_LATIN_LOOKALIKES)


def display_host(host: str) -> str:
    """A host as a browser's address bar shows it: `xn--caf-dma.example` → `café.example`, but kept in punycode when
    a label mixes scripts a reader could mistake for another site (Latin with Cyrillic or Greek: `pаypal`), or is
    Cyrillic drawn entirely like Latin (`аррӏе.com`), or does not decode (UTS #39 moderately restrictive, as Chrome
    and Firefox decide). For display only: ids and filters read either spelling (ascii_host)."""
    if "xn--" not in (host or "").lower():
        return host
    unicode = _unicode_host(host.lower())
    if unicode is None:
        return host
    labels = unicode.split(".")
    tld = labels[-1]
    if all(_safe_label(label, tld) for label in labels if label):
        return unicode
    return host


def display_url(url: str) -> str:
    """`url` with its host shown as display_host decides (the link itself, kept in ASCII, is what is followed)."""
    try:
        host = urlsplit(url or "").hostname or ""
    except ValueError:
        return url
    shown = display_host(host)
    if shown == host:
        return url
    start = url.lower().find(host)
    return url if start < 0 else url[:start] + shown + url[start + len(host):]


def display_source(source: str | None) -> str | None:
    """A source name as shown: a source that is a host (an article extracted without its feed is named by its
    domain) as display_host shows it; a feed's name as written."""
    if not source or " " in source.strip() or "xn--" not in source.lower():
        return source
    return display_host(source.strip())


def host_spellings(value: str) -> list[str]:
    """`value` and, when it is a host, its other spelling (`café.example` ↔ `xn--caf-dma.example`): a filter typed
    as shown matches the ASCII form stored, and the other way round."""
    value = value.strip()
    if " " in value or not value:
        return [value]
    other = ascii_host(value.lower()) if not value.isascii() else _unicode_host(value.lower())
    return [value] if not other or other == value.lower() else [value, other]


def article_id(url: str) -> str:
    """sha256 (hex) of the normalised URL: the article's identity across feeds and runs."""
    return hashlib.sha256(normalize_url(url).encode("utf-8")).hexdigest()


def twin_ids(url: str) -> list[str]:
    """The ids the same link may be stored under: its other web scheme (http ↔ https: one story listed by one feed
    over http and by another over https, which only a fetched page's canonical link would otherwise merge), and,
    for an IDN host, its Unicode spelling under either scheme (the ids of such links before hosts were read in
    ASCII: that story is known, not stored again), and the id the link had before its dot segments and escapes of
    unreserved characters were resolved (give the link as written for that one)."""
    try:
        normal = normalize_url(url)
        legacy = normalize_url(url, rfc3986=False)
    except ValueError:
        return []
    scheme, sep, rest = normal.partition("://")
    other = {"http": "https", "https": "http"}.get(scheme)
    if not (other and sep):
        return []
    spellings = [(other, rest)]
    netloc, slash, path = rest.partition("/")
    host, colon, port = netloc.rpartition(":") if netloc.rpartition(":")[2].isdigit() else (netloc, "", "")
    if (unicode := _unicode_host(host)) is not None:
        spellings += [(s, f"{unicode}{colon}{port}{slash}{path}") for s in (scheme, other)]
    ids = [hashlib.sha256(f"{s}{sep}{r}".encode("utf-8")).hexdigest() for s, r in spellings]
    return ids + [hashlib.sha256(legacy.encode("utf-8")).hexdigest()] if legacy != normal else ids


def spelled_plainly(url: str) -> bool:
    """Whether `url` is written without dot segments or escapes of unreserved letters (`/./a.html`, `/%61.html`):
    the same resource by RFC 3986, but a server that does not decode escapes answers such a spelling 404."""
    try:
        return normalize_url(url) == normalize_url(url, rfc3986=False)
    except ValueError:
        return False


_MOBILE_PREFIXES = ("www.", "m.", "amp.", "mobile.")
_SCRIPT_SUFFIXES = (".php", ".asp", ".aspx", ".jsp", ".cgi", ".cfm", ".pl")


def _site(parts) -> tuple[str, int | None]:
    host = (parts.hostname or "").lower()
    for prefix in _MOBILE_PREFIXES:
        if host.startswith(prefix):
            host = host[len(prefix):]
            break
    return host, parts.port


def _story_path(path: str) -> str:
    """The path without its AMP markers: /amp/2026/x.html, /x/amp/, /x.amp.html and /x.amp all read /x(.html)."""
    segments = [seg for seg in path.lower().split("/") if seg and seg != "amp"]
    if segments:
        segments[-1] = segments[-1].replace(".amp.", ".").removesuffix(".amp")
    return "/".join(segments)


def _is_amp_marker(key: str, value: str) -> bool:
    """`amp`, `amp=1` (WordPress's AMP plugin) or `outputType=amp`: the query form of the `/amp/` path segment."""
    key, value = key.lower(), value.lower()
    return (key == "amp" and value in ("", "1", "true")) or (key == "outputtype" and value == "amp")


def story_url(fetched: str, canonical: str | None) -> str | None:
    """The URL that identifies the story when a page declares another version of itself as canonical, else None.

    AMP and mobile copies, and links carrying tracking parameters (`?from=rss`), declare the story's own page as
    canonical, and one story must not be stored twice. A canonical link is only trusted for the same story on the
    same site: the same host (up to www./m./amp.), the same path once AMP markers are removed, and no query
    parameter the fetched URL lacks. So a page cannot take over another site's article, and a site whose canonical
    links all point to its home page or drop the `?id=` of a script URL does not merge its articles into one.
    """
    if not canonical or not canonical.startswith(("http://", "https://")):
        return None
    try:
        got, claimed = urlsplit(normalize_url(fetched)), urlsplit(normalize_url(canonical))
        same_site = _site(got) == _site(claimed)  # reads the ports: `:99999` raises (it cost the page its text)
    except ValueError:
        return None
    if not claimed.hostname or (got.scheme, got.netloc, got.path, got.query) == (
            claimed.scheme, claimed.netloc, claimed.path, claimed.query):
        return None
    story = _story_path(claimed.path)
    got_params = set(parse_qsl(got.query, keep_blank_values=True))
    claimed_params = set(parse_qsl(claimed.query, keep_blank_values=True))
    extra = got_params - claimed_params
    # WordPress's AMP copy of a plain permalink: /?p=102&amp=1 (or index.php?…) → /?p=102, the story's `p` kept
    amp_copy = bool(extra and claimed_params) and all(_is_amp_marker(k, v) for k, v in extra)
    if not same_site or not (story or amp_copy) or story != _story_path(got.path):
        return None
    if not claimed_params <= got_params:
        return None
    if extra and not amp_copy and story.endswith(_SCRIPT_SUFFIXES):
        return None  # article.php?id=12 → article.php: the parameter is the story's identity
    return without_credentials(urlunsplit(claimed))  # a page's `user:pw@` would be stored and mailed as the story's


def redirected_to_story(link: str, final: str, canonical: str | None) -> bool:
    """Whether a feed link that redirected (a tracker, feedburner, http → https, a changed slug) ended on the story's
    own page: the page names itself as canonical (`canonical` must be what the page declares, <link rel=canonical>
    or og:url, not a default: a consent gateway declares none), and it is not a site's home page (where an expired
    link may land). Then the story is stored under its own URL, so its other links reach the same article. A
    `user:password@` in the canonical link names no other page (it is never fetched nor stored)."""
    try:
        final_url, link_url = normalize_url(final), normalize_url(link)
        canonical_url = without_credentials(normalize_url(canonical)) if canonical else None
    except ValueError:
        return False
    return final_url != link_url and canonical_url == final_url and bool(urlsplit(final_url).path.strip("/"))


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def domain_of(url: str) -> str:
    """Host without a leading www., for display and aggregation."""
    host = host_of(url)
    return host[4:] if host.startswith("www.") else host


def site_of(url: str | None) -> str | None:
    """The site a page belongs to, as a Google News item's <source url> names it: its registrable domain
    (`https://www.lemonde.fr` and `https://www.lemonde.fr/pixels/…` → lemonde.fr), else its host."""
    if not url:
        return None
    from courlan import extract_domain

    try:
        return extract_domain(url) or domain_of(url) or None
    except ValueError:
        return None


def is_google_news(url: str) -> bool:
    return host_of(url) in _GOOGLE_NEWS_HOSTS and ("/articles/" in url or "/url" in urlsplit(url).path)


def _decode_google_news_id(url: str) -> str | None:
    """Old-style Google News article ids are base64 protobufs that embed the target URL in clear."""
    path = urlsplit(url).path
    token = path.rsplit("/", 1)[-1]
    if not token:
        return None
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
    except (ValueError, TypeError):
        return None
    match = _URL_IN_BYTES.search(raw)
    if not match:
        return None
    candidate = match.group(0).decode("ascii", "ignore")
    # the protobuf may append a length byte or the AMP variant right after the URL
    candidate = re.split(r"[\x00-\x20\xd2]", candidate)[0]
    return candidate if urlsplit(candidate).hostname else None


def resolve_redirect_link(url: str, candidates: list[str] | tuple[str, ...] = ()) -> str:
    """Replace a Google News redirect link by the publisher's URL when it can be found without a request.

    Sources, in order: the `url=` query parameter (news.google.com/news/url?url=…), the base64 article id of
    older links, then a link to another site found in the item itself (its summary or extra links).
    Anything else is returned unchanged (the redirect is then followed when fetching).
    """
    if not is_google_news(url):
        return url
    query = parse_qs(urlsplit(url).query)
    for key in ("url", "q"):
        for value in query.get(key, []):
            if value.startswith(("http://", "https://")) and not is_google_news(value):
                return value
    decoded = _decode_google_news_id(url)
    if decoded and not is_google_news(decoded):
        return decoded
    for candidate in candidates:
        host = host_of(candidate)
        if candidate.startswith(("http://", "https://")) and host and host not in _GOOGLE_NEWS_HOSTS:
            if urlsplit(candidate).path.strip("/"):  # a publisher's home page is not the article
                return candidate
    return url


_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
_WEB_SCHEMES = ("http", "https")
_C0_AND_SPACE = "".join(map(chr, range(0x21)))  # stripped from both ends of a link, as browsers do


def browser_join(base: str, link: str) -> str:
    r"""`link` made absolute against `base` as a browser reads it (WHATWG URL parsing) where urllib differs: tabs and
    line breaks dropped, a backslash before the query is a slash in an http(s) URL (`https:\\host\a.html`,
    `\a.html`), and `https:/host/a` or `https:host/a` names the host when `base` is not https (from an https page it
    is a path of that page's site). Feeds and pages are written for browsers: such links were skipped as `no-link`.
    Raises ValueError when urllib cannot parse the result (`http://[::1`)."""
    link = re.sub(r"[\t\n\r]", "", link.strip(_C0_AND_SPACE))
    match = _SCHEME.match(link)
    base_scheme = urlsplit(base).scheme.lower()
    if (match.group(1).lower() if match else base_scheme) in _WEB_SCHEMES:
        cut = min((i for i in (link.find("?"), link.find("#")) if i >= 0), default=len(link))
        link = link[:cut].replace("\\", "/") + link[cut:]
        rest = link[match.end():] if match else link
        if match and not rest.startswith("//"):
            scheme = match.group(1).lower()  # `https:/host/a`: a host from another scheme's page, else a path
            link = f"{scheme}://{rest.lstrip('/')}" if scheme != base_scheme else rest
        elif rest.startswith("///"):  # `///host/a`: browsers skip the extra slashes before the host
            link = link[:len(link) - len(rest)] + "//" + rest.lstrip("/")
        if re.match(r"(?:[A-Za-z][A-Za-z0-9+.-]*:)?//", link) and not urlsplit(link).hostname:
            raise ValueError(f"no host in {link[:80]!r}")  # `http://` alone: urljoin would give `base` itself
    joined = urljoin(base, link)
    urlsplit(joined)
    return joined


def resolved_link(base: str, link: str) -> str | None:
    """`link` (from a page's markup) made absolute against `base` as browsers do (browser_join), or None when urllib
    cannot parse it: `http://[::1` raises ValueError, and one such meta refresh, pager link or feed link failed the
    whole page or feed."""
    try:
        return browser_join(base, link)
    except ValueError:
        return None


def without_credentials(url: str) -> str:
    """The URL without a `user:password@` part. An article link carrying credentials would be stored, indexed and
    mailed as is (and mail clients link it): the article is fetched and kept under its plain URL instead."""
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url
    return urlunsplit((parts.scheme, parts.netloc.rpartition("@")[2], parts.path, parts.query, parts.fragment))
