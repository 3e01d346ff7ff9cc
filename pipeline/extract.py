"""Article extraction: one HTML parse, trafilatura for the text, trafilatura's metadata helpers for the rest.

Speed matters (hundreds of pages per run on a shared 2-core box), so a page is parsed once and metadata is taken from
meta tags / JSON-LD first; costly heuristics (htmldate's extensive search, author guessing from the markup) only run
when the cheap sources found nothing, and trafilatura's categories/tags/license extraction, which we do not use, is
skipped. See docs/fetching.md for the measured trade-offs.
"""

from __future__ import annotations

import codecs
import hashlib
import logging
import re
import unicodedata
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import trafilatura
from htmldate import find_date
from trafilatura.metadata import examine_meta, extract_author, extract_meta_json, extract_sitename, extract_title, extract_url
from trafilatura.utils import decode_file

from pipeline.budget import parse_within_budget
from pipeline.feeds import plausible_date
from pipeline.models import Article, FeedItem
from pipeline.urls import article_id, domain_of, normalize_url, story_url

log = logging.getLogger(__name__)

DATE_FORMAT = "%Y-%m-%dT%H:%M:%S%z"
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]+)""", re.I)
_HTML_LANG = re.compile(r"^([a-zA-Z]{2,3})(?:[-_].*)?$")
_LATIN1_ALIASES = {"iso-8859-1", "latin-1", "latin1", "us-ascii", "ascii", "iso8859-1", "l1"}


# --------------------------------------------------------------------------------------------- decoding


def _codec(name: str | None) -> str | None:
    if not name:
        return None
    try:
        return codecs.lookup(name.strip().strip("\"'")).name
    except LookupError:
        return None


def decode_html(body: bytes | str, declared_charset: str | None = None) -> str:
    """Bytes → text: the charset declared in the HTTP header, then BOM / <meta charset>, then detection.

    A declared charset that cannot decode the bytes is ignored (servers lie), and a page labelled latin-1 that is
    valid UTF-8 is read as UTF-8 (the most frequent mislabelling).
    """
    if isinstance(body, str):
        return body
    if body.startswith(codecs.BOM_UTF8):
        return body[3:].decode("utf-8", "replace")
    for source in (declared_charset, _sniff_meta_charset(body)):
        codec = _codec(source)
        if not codec:
            continue
        if codec.replace("_", "-") in _LATIN1_ALIASES or codec in ("latin-1", "ascii"):
            try:
                return body.decode("utf-8")
            except UnicodeDecodeError:
                codec = "cp1252"  # browsers read latin-1 labels as windows-1252
        try:
            return body.decode(codec)
        except (UnicodeDecodeError, LookupError):
            continue
    return decode_file(body)  # utf-8 fast path, then charset detection


def _sniff_meta_charset(body: bytes) -> str | None:
    match = _META_CHARSET.search(body[:4096])
    return match.group(1).decode("ascii", "ignore") if match else None


# --------------------------------------------------------------------------------------------- helpers


# ~16,000 words: far above a news article (median ~5,000 characters); a bigger page is a dump, not a story. Enrichment
# reads the first 50,000 characters anyway, and highlighting cost grows faster than the length (`make bench-highlight`:
# an alert search on the stand-in takes ~0.05 s for 10,000 characters, ~1.5 s for 100,000, ~32 s for 500,000).
MAX_TEXT_CHARS = 100_000
MAX_DESCRIPTION_CHARS = 5_000


def cap_text(text: str, limit: int = MAX_TEXT_CHARS) -> str:
    """Text cut at the last word boundary before `limit` characters. Stored text is bounded so one huge page can
    never push an indexed field past what highlighting analyses (1,000,000 characters by default)."""
    if len(text) <= limit:
        return text
    cut = text[:limit]
    space = cut.rfind(" ", limit - 1000)
    return (cut[:space] if space > 0 else cut).rstrip()


def normalize_text(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split()).casefold()


def content_hash(text: str) -> str:
    return hashlib.sha256(normalize_text(text).encode("utf-8")).hexdigest()


def _parse_date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        try:
            parsed = datetime.strptime(value, DATE_FORMAT)
        except ValueError:
            return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    return parsed.astimezone(timezone.utc)


def choose_published(page_date: datetime | None, feed_date: datetime | None, now: datetime) -> datetime | None:
    """The page's date, unless absent or implausible (before 1990, more than 2 days ahead); then the feed's (same
    rule); None leaves the fetch time to stand in when the article is indexed.

    When the page only gives a day (midnight) and the feed has a time on that same day, the feed's is more precise.
    """
    page_date = plausible_date(page_date, now, "page date")
    feed_date = plausible_date(feed_date, now, "feed date")
    if page_date and feed_date and page_date.time() == datetime.min.time() and page_date.date() == feed_date.date():
        return feed_date
    return page_date or feed_date


def _description(value: str | None) -> str | None:
    return cap_text(value, MAX_DESCRIPTION_CHARS) if value else value


_BYLINE_PREFIX = re.compile(
    r"^(?:(?:un |une )?(?:article|texte|text|documentaire|reportage|chronique|tribune|interview|photos?)\s+(?:de|by)\s+"
    r"|propos recueillis par\s+|(?:written |posted |reported )?by\s*:?\s+|par\s*:?\s+|auteure?s?\s*:?\s+"
    r"|authors?\s*:?\s+|de\s+)+", re.IGNORECASE)
_MONTHS = (r"jan(?:uary|vier)?|feb(?:ruary)?|févr(?:ier)?|mar(?:ch|s)?|apr(?:il)?|avr(?:il)?|may|mai|june?|juin"
           r"|july?|juil(?:let)?|aug(?:ust)?|août|sept?(?:ember|embre)?|oct(?:ober|obre)?|nov(?:ember|embre)?"
           r"|dec(?:ember)?|déc(?:embre)?")
# a date or a publication note glued to the name: "Carrie Arnold November 3, 2020", "… Published 10:04 a.m."
_BYLINE_TAIL = re.compile(rf"\s+(?:(?:{_MONTHS})\b.*|(?:published|updated|publié|mis à jour)\b.*|le\s+\d.*|\d.*)$",
                          re.IGNORECASE)
_AUTHOR_SPLIT = re.compile(r"\s*(?:;|,|&|\||/|\band\b|\bet\b|\bund\b)\s*", re.IGNORECASE)


def clean_authors(value: str | None) -> list[str]:
    """"Par Camille Durand — 3 mars 2026", "By A and B", "SARAH DUPONT" → ["Camille Durand"], ["A", "B"],
    ["Sarah Dupont"]: no "Par"/"By", no date, several authors split, one entry each."""
    if not value:
        return []
    out: list[str] = []
    for part in _AUTHOR_SPLIT.split(" ".join(value.split())):
        name = re.split(r"\s+[—–-]\s+", part)[0]  # "Camille Durand — publié le …"
        name = _BYLINE_TAIL.sub("", _BYLINE_PREFIX.sub("", name)).strip(" .:-–—@")
        if name.isupper() and len(name) > 3:
            name = name.title()
        if len(name) > 1 and any(ch.isalpha() for ch in name) and len(name) <= 80 and name not in out:
            out.append(name)
    return out


def detect_lang(text: str) -> str | None:
    """Language of an extracted text when the page declares none (the enrichment stage decides finally)."""
    from pipeline.enrich.language import detect_language

    lang = detect_language(text)
    return None if lang == "und" else lang


def page_metadata(tree: Any, url: str | None, *, extensive_dates: bool = False, guess_authors: bool = False) -> dict[str, Any]:
    """Title, authors, description, site name, canonical URL, date, declared language of a parsed page.

    trafilatura's own metadata sequence minus categories/tags/license. Two costlier fallbacks are opt-in: htmldate's
    extensive date search (dateparser: seconds to load) and reading authors from the byline in the markup when meta
    tags and JSON-LD name none (2-3 ms of CPU a page on ../shared/corpus; `extract_article` does it unless the feed
    item names its authors: on the shared pages it finds an author on 71 of 86 pages instead of 45).
    """
    meta = examine_meta(tree)
    if meta.author and " " not in meta.author:
        meta.author = None
    try:
        meta = extract_meta_json(tree, meta)
    except Exception as exc:  # noqa: BLE001 - trafilatura's JSON-LD code raises on odd documents
        log.debug("JSON-LD metadata failed on %s: %s", url, exc)
    title = meta.title or extract_title(tree)
    author = meta.author or (extract_author(tree) if guess_authors else None)
    canonical = meta.url or extract_url(tree, url)
    date = find_date(tree, url=canonical or url, extensive_search=False, original_date=True, outputformat=DATE_FORMAT)
    if date is None and extensive_dates:
        date = find_date(tree, url=canonical or url, extensive_search=True, original_date=True, outputformat=DATE_FORMAT)
    sitename = meta.sitename or extract_sitename(tree)
    if sitename:
        sitename = sitename.lstrip("@")
    lang = None
    match = _HTML_LANG.match(tree.get("lang") or tree.get("xml:lang") or "")
    if match:
        lang = match.group(1).lower()
    return {
        "title": title,
        "authors": clean_authors(author),
        "description": meta.description,
        "site_name": sitename,
        "canonical_url": canonical,
        "date": _parse_date(date),
        "lang": lang,
    }


RESCUE_BELOW_WORDS = 80  # `newsroom extract` (no min_words of its own): same threshold as NEWSROOM_MIN_ARTICLE_WORDS


def _trafilatura_text(tree: Any, url: str | None, favor_precision: bool) -> str:
    document = trafilatura.bare_extraction(
        tree,
        url=url,
        with_metadata=False,
        favor_precision=favor_precision,
        include_comments=False,
        include_tables=True,
    )
    return (document.text or "").strip() if document is not None else ""


def extract_text(tree: Any, url: str | None, rescue_below: int = 0) -> str:
    """Main text: a precision-leaning trafilatura pass (comments excluded: they are not the article).

    Precision drops boilerplate on most pages, but on some short or oddly built pages (seen on French regional press)
    it keeps half the article or nothing. A page that would be discarded as too thin (< `rescue_below` words) gets a
    second, balanced pass and the longer text wins: only those pages pay for it (bare_extraction copies the tree).
    """
    text = _trafilatura_text(tree, url, favor_precision=True)
    # The second pass only where it can succeed: a page whose whole markup holds fewer words than the threshold
    # (a teaser, a paywall stub) cannot yield enough text with any setting, so it is not extracted twice.
    if rescue_below and len(text.split()) < rescue_below and len(tree.text_content().split()) >= rescue_below:
        balanced = _trafilatura_text(tree, url, favor_precision=False)
        if len(balanced.split()) > len(text.split()):
            return balanced
    return text


# --------------------------------------------------------------------------------------------- public API


def extract_article(
    html: bytes | str,
    url: str,
    item: FeedItem | None = None,
    fetched_at: datetime | None = None,
    *,
    charset: str | None = None,
    min_words: int = 80,
    source: str | None = None,
    warc_file: str | None = None,
    warc_offset: int | None = None,
    extensive_dates: bool = False,
    guess_authors: bool = True,
) -> Article | None:
    """An Article from a page, or None when it yields fewer than `min_words` words (the caller falls back to the feed)."""
    fetched_at = fetched_at or datetime.now(timezone.utc)
    text_html = decode_html(html, charset)
    tree = parse_within_budget(text_html, url)
    if tree is None:
        return None
    meta = page_metadata(
        tree,
        url,
        extensive_dates=extensive_dates and (item is None or item.published is None),
        guess_authors=guess_authors and not (item and item.authors),
    )
    text = cap_text(extract_text(tree, url, rescue_below=min_words))
    words = len(text.split())
    if not text or words < min_words:
        return None
    story = story_url(url, meta["canonical_url"])  # an AMP copy or a tracking link is stored as the story itself
    normalized = normalize_url(url)
    declared = meta["lang"] or (item.feed_lang if item else None)
    # Detected once, here (in the collector's process): enrichment takes it as is instead of detecting again.
    from pipeline.enrich.language import detect_language

    detected = detect_language(f"{meta['title'] or (item.title if item else '') or ''}\n{text}", declared)
    lang = declared or (None if detected == "und" else detected)
    return Article(
        id=article_id(story) if story else item.article_id if item else article_id(normalized),
        url=story or (item.url if item else normalized),
        canonical_url=meta["canonical_url"],
        link_ids=[item.article_id] if story and item and item.article_id != article_id(story) else [],
        domain=domain_of(normalized),
        source=source or (item.feed_name if item else domain_of(normalized)),
        feed_tags=list(item.feed_tags) if item else [],
        title=meta["title"] or (item.title if item else None),
        text=text,
        description=_description(meta["description"] or (item.summary if item else None)),
        authors=meta["authors"] or (list(item.authors) if item else []),
        site_name=meta["site_name"],
        lang=lang,
        lang_detected=detected,
        published_at=choose_published(meta["date"], item.published if item else None, fetched_at),
        fetched_at=fetched_at,
        extraction="trafilatura",
        word_count=words,
        content_hash=content_hash(text),
        warc_file=warc_file,
        warc_offset=warc_offset,
    )


def article_from_summary(item: FeedItem, fetched_at: datetime | None = None) -> Article | None:
    """Fallback when the page cannot be fetched or is too thin: the feed's own title + summary."""
    summary = cap_text((item.summary or "").strip())
    if not summary:
        return None
    fetched_at = fetched_at or datetime.now(timezone.utc)
    return Article(
        id=item.article_id,
        url=item.url,
        domain=domain_of(item.url),
        source=item.feed_name,
        feed_tags=list(item.feed_tags),
        title=item.title,
        text=summary,
        description=_description(summary),
        authors=list(item.authors),
        lang=item.feed_lang,
        published_at=choose_published(None, item.published, fetched_at),
        fetched_at=fetched_at,
        extraction="feed-summary",
        word_count=len(summary.split()),
        content_hash=content_hash(summary),
    )


def extract_file(path: Path, url: str | None = None, *, extensive_dates: bool = True) -> dict[str, Any]:
    """The `newsroom extract` record for one saved HTML file (never raises on bad HTML: reports it)."""
    path = Path(path)
    page_url = url or path.resolve().as_uri()
    record: dict[str, Any] = {"file": str(path), "url": url}
    try:
        body = path.read_bytes()
        tree = parse_within_budget(decode_html(body), url)
        if tree is None:
            raise ValueError("not parseable as HTML")
        meta = page_metadata(tree, url, extensive_dates=extensive_dates, guess_authors=True)
        text = cap_text(extract_text(tree, url, rescue_below=RESCUE_BELOW_WORDS))
    except (OSError, ValueError) as exc:
        record.update({"title": None, "text": "", "published": None, "lang": None, "authors": [], "site_name": None,
                       "extraction": None, "error": str(exc)})
        return record
    published = choose_published(meta["date"], None, datetime.now(timezone.utc))
    record.update(
        {
            "title": meta["title"],
            "text": text,
            "published": published.isoformat() if published else None,
            "lang": meta["lang"] or (detect_lang(text) if text else None),
            "authors": meta["authors"],
            "site_name": meta["site_name"],
            "description": meta["description"],
            "canonical_url": meta["canonical_url"] if meta["canonical_url"] != page_url else None,
            "word_count": len(text.split()),
            "extraction": "trafilatura" if text else None,
        }
    )
    if not text:
        record["error"] = "no article text found"
    return record
