"""Per-page extraction budget: a cheap check of a page's shape before trafilatura sees it.

trafilatura's cost grows with the number of elements (about 60 µs each on the shared 2-core box) and worse than
quadratically with inline elements in one paragraph: `<p>` + `<span>Mistral</span> ` × 30,000 (630 KB, a valid page)
took 171 s, `<p>a</p>` × 1.2 M (9.6 MB) 61 s and 2.09 GB of RSS. Extraction runs on the collector's single worker
thread, so one such page would hold every later page of the run. Real news pages are far smaller (the 86 pages of
../shared/corpus and the sample site: at most 1,584 elements, 829 inline elements, 3,163 `<`), so the limits below
leave a wide margin (see docs/fetching.md, "Hostile pages"): past them, inline tags are stripped (their text kept),
or the page is not extracted at all and the article falls back to the feed summary (`page-too-complex`).
"""

from __future__ import annotations

import html
import json
import logging
import re
from typing import Any

import lxml.html
from lxml import etree
from trafilatura.json_metadata import AUTHOR_SPLIT, JSON_UNICODE_REPLACE, normalize_json
from trafilatura.metadata import JSON_MINIFY, METANAME_AUTHOR, OG_AUTHOR, PROPERTY_AUTHOR
from trafilatura.utils import load_html

from pipeline.embedded import MAX_SCRIPT_CHARS as MAX_NEXT_DATA_CHARS
from pipeline.sinks import mask_url

log = logging.getLogger(__name__)

# Inline formatting elements trafilatura keeps as `hi`/`ref` children (font, small… too): thousands of them in one
# paragraph is what makes its main loop blow up. Stripping keeps their text, which is all we extract (`time` is
# left alone: htmldate reads the publication date from it).
INLINE_TAGS = ("a", "abbr", "b", "big", "cite", "code", "del", "dfn", "em", "font", "i", "ins", "kbd", "mark", "q",
               "s", "samp", "small", "span", "strike", "strong", "sub", "sup", "tt", "u", "var")
_COUNT_INLINE = etree.XPath("count(" + " | ".join(f"//{tag}" for tag in INLINE_TAGS) + ")")
# Their start and end tags in the raw markup, for a page nested too deep to parse (see _parse_deep)
_INLINE_TAG = re.compile(r"</?(?:%s)(?=[\s/>])[^<>]*>" % "|".join(INLINE_TAGS), re.IGNORECASE)
_COUNT_ELEMENTS = etree.XPath("count(//*)")

# libxml2 stops building the tree at depth 256 (2,048 with XML_PARSE_HUGE), silently: the text below is lost. A page
# that reaches DEEP (corpus max depth 30) is parsed again with lxml's huge_tree; one that reaches 2,048 even then is
# refused (trafilatura takes ~1.5 s on such a tree and would still miss the text).
DEEP = 250
MAX_DEPTH = 2_048
# Each read from the root down, one depth at a time, so each element is visited once: written `//*/*/…` (a chain
# starting at any element), an 18,000-element nest was read again from each of its elements (0.4 s of CPU)
_REACHES_DEEP = etree.XPath("boolean(" + "/*" * DEEP + ")")
_REACHES_MAX_DEPTH = etree.XPath("boolean(" + "/*" * (MAX_DEPTH - 8) + ")")
_DEEP_PARSER = lxml.html.HTMLParser(collect_ids=False, default_doctype=False, encoding="utf-8", remove_comments=True,
                                    remove_pis=True, huge_tree=True)  # trafilatura's parser, with huge_tree
MAX_MARKUP_CHARS = 3_000_000  # characters of markup (corpus max 1.44 M): past this the page is not even parsed
MAX_MARKUP_TAGS = 200_000  # `<` in the markup (corpus max 3,163): past this the page is not even parsed
MAX_INLINE = 5_000  # inline elements (corpus max 829): past this they are stripped, text kept
MAX_ELEMENTS = 20_000  # elements once inline ones are stripped (corpus max 1,584): past this, not extracted
MAX_TAG_ATTRIBUTES = 1_000  # attributes in one start tag (corpus max 87): past this the page is not even parsed
# Characters in one text node (corpus max 15,281 outside <style>/<script>, 10,742 in a JSON-LD script). htmldate's
# searches and trafilatura's extraction are linear but slow per character (a 9 MB page in one paragraph, or in one
# JSON-LD articleBody, cost 5-6 s of CPU and up to 1.3 GB): a longer text is cut at a word boundary (the stored text
# is capped at 100,000 characters anyway) and a longer JSON-LD script is emptied (cut JSON cannot be read).
# Other scripts and styles are left alone: trafilatura drops them, and `__NEXT_DATA__` has its own limit.
MAX_TEXT_NODE = 200_000
_LONG_TEXTS = etree.XPath(f"//text()[string-length(.) > {MAX_TEXT_NODE}]")

# One start tag with its attributes, quoted values skipped (a `>` inside quotes does not end it). Linear: each
# alternative consumes at least one character and none of them overlap. Only tags longer than _LONG_TAG characters
# are counted attribute by attribute: libxml2's cost grows quadratically with one element's attributes (40,000 of
# them, a 420 KB page, took 35 s CPU; 300,000, 2.4 MB, over 10 minutes) and the attribute count is only known after
# that parse.
_START_TAG = re.compile(r"""<([A-Za-z][^\s/>]*)(?:\s*[^\s"'=<>/]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>]*))?|\s*/)*""")
_ATTRIBUTE = re.compile(r"""[^\s"'=<>/]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>]*))?""")
_LONG_TAG = 1_000  # characters: a tag shorter than this cannot hold MAX_TAG_ATTRIBUTES attributes
# The payload of an inline `data:` URI (an image or font saved into the page, a picture pasted into a CMS): nothing
# extraction reads, but counted in MAX_MARKUP_CHARS, so a story with two inline photos (3.8 MB) was refused as "page
# too large" and stored from its feed summary. Payloads of DATA_PAYLOAD_KEPT characters or more are dropped first
# (the URI stays, empty); shorter ones (1x1 placeholders) are left as they are.
DATA_PAYLOAD_KEPT = 1_024
_DATA_PAYLOAD = re.compile(r"""(\bdata:[^,:"'\s<>]{0,200},)[^"'\s<>)]{%d,}""" % DATA_PAYLOAD_KEPT)
# The same without the leading \b: a literal start, which the regex engine finds with a fast scan. The leading \b
# made it try the pattern at every position of the page (2.3 ms a page on the corpus, against 0.1 ms): it now only
# proposes where to try _DATA_PAYLOAD, which matches exactly where it did.
_DATA_PAYLOAD_AT = re.compile(_DATA_PAYLOAD.pattern.replace("(\\b", "(", 1))
# What no reader of the page reads, set aside before the size of a page over MAX_MARKUP_CHARS is counted: a site's
# whole JSON-LD graph, an app's inline state (`window.__APOLLO_STATE__ = {…}`), a JavaScript bundle or a stylesheet
# made a story of a few hundred words "too large to extract" (3 MB of them cost 0.9 s of CPU though no pass reads
# them). trafilatura drops scripts and styles; only JSON-LD up to MAX_TEXT_NODE (read for metadata) and
# `__NEXT_DATA__` up to its own limit (read when the markup's text is too thin, pipeline/embedded.py) are kept, the
# latter not counted (one text node: 0.2 s for 3 MB). Found by a scan of the raw markup, no parse: a start tag ends at
# its first `>`, a script at its first `</script`, a comment at its `-->`, as the HTML tokenizer reads them. An inline
# SVG drawing too (trafilatura and htmldate drop `<svg>` whole): a 5 MB chart before a story made it "too large"
# (hostile input, seventeenth round); emptied up to its first `</svg`, and left alone when it closes itself or never.
_RAW_TEXT_START = re.compile(r"<!--|<(script|style|svg)(?=[\s/>])", re.IGNORECASE)
_RAW_TEXT_END = {"script": re.compile(r"</script(?=[\s/>])", re.IGNORECASE),
                 "style": re.compile(r"</style(?=[\s/>])", re.IGNORECASE),
                 "svg": re.compile(r"</svg(?=[\s/>])", re.IGNORECASE)}
_SCRIPT_TYPE = re.compile(r"""\stype\s*=\s*["']?\s*([^"'\s>]*)""", re.IGNORECASE)
_NEXT_DATA_ID = re.compile(r"""\sid\s*=\s*["']?__NEXT_DATA__(?![\w-])""")
# Character references to C0 controls other than tab, LF and CR (`&#1;`, `&#x1b;`, `&#8`): one of them anywhere in
# the page makes trafilatura discard the whole text (XML cannot hold them). `&#0;` is included (HTML reads it as
# U+FFFD, not worth keeping). Literal C0 bytes need no pass (libxml2 drops them while parsing; a regex over every
# page for them cost 0.4 ms a page).
_C0_REFERENCES = re.compile(
    r"&#(?:0*(?:[0-8]|1[124-9]|2[0-9]|3[01])(?![0-9])|[xX]0*(?:[0-8bBcCeEfF]|1[0-9a-fA-F])(?![0-9a-fA-F]));?"
)

# The people a page names as its authors. trafilatura's author normaliser compares each name it reads with every
# name read before on the page, on each call (one call per author meta tag, per JSON-LD author or Person): 1,000
# `<meta name="author">` tags, or 1,000 JSON-LD authors (40 KB), took 16 s of CPU, 2,000 over two minutes; and one of
# its regexes is quadratic in one name's length ("John ((((…", 40,000 characters: 10 s). Real pages name at most 3
# people in 54 characters, in at most 3 meta tags (../shared/corpus). Past these limits, counted over the page's
# author meta tags then its JSON-LD scripts, the meta tags are dropped and a JSON-LD script is emptied, unread.
MAX_PEOPLE = 50  # distinct names
MAX_PEOPLE_CHARS = 2_000  # characters of those names
MAX_PEOPLE_MENTIONS = 2_000  # names read, repeats included (a live blog credits its reporter in each update)
_AUTHOR_METAS = etree.XPath("//meta[@content][@name or @property or @itemprop]")
_META_AUTHOR_NAMES = frozenset(name.lower() for name in (*METANAME_AUTHOR, *PROPERTY_AUTHOR, *OG_AUTHOR))
# The scripts trafilatura reads as JSON-LD (`extract_meta_json`): settings+json too, and cut like ld+json
JSON_LD_TYPES = ("application/ld+json", "application/settings+json")
_JSON_LD_SCRIPTS = etree.XPath("//script[@type='application/ld+json' or @type='application/settings+json']")
# trafilatura strips tags from each of them with `<!--.*?-->|<[^>]*>` before reading it: from every `<` (or `<!--`)
# that nothing closes further on, that regex reads to the end of the script, so 100,000 `<` took 5.6 s of CPU and
# 25,000 `<!--` 13 s (quadratic; a settings+json script, uncut, could run for hours). A stray "a < b" in a JSON
# string costs one pass. A script with more than MAX_UNCLOSED_MARKS of them is emptied, not read. The same regex
# runs on every <meta> content (100,000 `&lt;` in one: 5.5 s; 25,000 `&lt;!--`: 15 s): such a meta tag is dropped.
MAX_UNCLOSED_MARKS = 100
_METAS_WITH_CONTENT = etree.XPath("//meta[@content]")
# libxml2's HTML serialiser, which htmldate runs on every page, does the same in any attribute value: 40,000 `<!--`
# in one `title` took 5.7 s (the 3 MB markup limit holds 430,000 written `&lt;!--`: minutes). Such an attribute is
# dropped (its element kept).
_COMMENT_MARK_ATTRIBUTES = etree.XPath("//@*[contains(., '<!--')]")
# trafilatura's pruning reads every element's `class` and `id` with its boilerplate patterns: one `class` of 800 KB cost
# 0.8-1.6 s of CPU a page, three (within the markup limit) about 5 s (hostile input, fifteenth round). The corpus's
# longest `class` is 2,109 characters (a utility-class layout); past MAX_CLASS_CHARS a value keeps its first names.
MAX_CLASS_CHARS = 10_000
_LONG_CLASSES = etree.XPath(f"//@class[string-length(.) > {MAX_CLASS_CHARS}] | //@id[string-length(.) > {MAX_CLASS_CHARS}]")
# Tables inside tables: trafilatura's table reader collects each table's cells again for every table around it, so a
# nest of 500 tables (19 KB) took 2.4 s of CPU and nine of them (151 KB, within every limit above) 19 s. The corpus
# nests none; a newsletter's layout nests 6 to 10. Past MAX_TABLE_NESTING, tables and their rows and cells are read
# as plain blocks (`div`), their text kept.
MAX_TABLE_NESTING = 16
_TOO_NESTED_TABLES = etree.XPath(f"//table[ancestor::table[{MAX_TABLE_NESTING}]]")
_TOO_NESTED_TABLE_PARTS = etree.XPath(
    "//*[self::caption or self::thead or self::tbody or self::tfoot or self::tr or self::td or self::th]"
    f"[ancestor::table[{MAX_TABLE_NESTING + 1}]]")
_PEOPLE_KEYS = ("author", "creator")
_CRUDE_NAME = re.compile(r'"names?\\?"\s*:\s*\\?"([^"\\]*)')  # what trafilatura reads from JSON-LD it cannot parse


class PageTooComplex(ValueError):
    """The page's markup is far beyond any real article: extracting it would hold the run for minutes."""

    reason = "page-too-complex"  # the counter the collector reports in the run's fallback reasons


def parse_within_budget(html: str, url: str | None) -> Any:
    """The page's lxml tree (None if unparsable), with inline tags stripped when there are abnormally many.

    Raises PageTooComplex when the markup is too large to extract in a few seconds. Costs one `str.count`, two regex
    scans and one C-level XPath count on a normal page (no Python loop over the elements). References to C0 control
    characters are removed first, so one `&#8;` does not cost the page its text, and long inline `data:` payloads
    before the size is counted.
    """
    html = without_data_payloads(html)
    tags = html.count("<")
    if tags > MAX_MARKUP_TAGS:
        # counted again without what no reader reads: a `<` in a script, a style or an SVG drawing makes no element
        # to extract, but an inline chart of 250,000 elements refused its story (hostile input, seventeenth round)
        html, _ = without_unread_scripts(html)
        tags = html.count("<")
    if tags > MAX_MARKUP_TAGS:
        raise PageTooComplex(f"page too complex to extract ({tags:,} tags, limit {MAX_MARKUP_TAGS:,})")
    attributes = most_attributes(html)
    if attributes > MAX_TAG_ATTRIBUTES:
        raise PageTooComplex(f"page too complex to extract ({attributes:,} attributes on one element, "
                             f"limit {MAX_TAG_ATTRIBUTES:,})")
    if len(html) > MAX_MARKUP_CHARS:  # htmldate's and trafilatura's passes are linear but ~0.4 s a megabyte
        whole = len(html)
        html, uncounted = without_unread_scripts(html)
        size = len(html) - uncounted
        if size > MAX_MARKUP_CHARS:
            aside = " once its scripts and styles are set aside" if size < whole else ""
            raise PageTooComplex(f"page too large to extract ({size:,} characters{aside}, limit {MAX_MARKUP_CHARS:,})")
        log.info("page %s: %d characters, %d once the scripts, styles and drawings no reader reads are set aside "
                 "(limit %d)",
                 mask_url(url) if url else "(no URL)", whole, size, MAX_MARKUP_CHARS)
    html = _C0_REFERENCES.sub("", html)
    tree = load_html(html)
    if tree is None:
        return None
    if _REACHES_DEEP(tree):
        tree = _parse_deep(html, url)
    _cut_long_texts(tree, url)
    _drop_costly_metas(tree, url)
    _drop_costly_attributes(tree, url)
    _cut_long_classes(tree, url)
    _flatten_nested_tables(tree, url)
    _bound_people(tree, url)
    elements = int(_COUNT_ELEMENTS(tree))
    if elements <= MAX_INLINE:  # cannot hold more inline elements than elements: the normal page stops here
        return tree
    inline = int(_COUNT_INLINE(tree))
    if inline > MAX_INLINE:
        etree.strip_tags(tree, *INLINE_TAGS)
        elements = int(_COUNT_ELEMENTS(tree))
        if elements <= MAX_ELEMENTS:
            # Parsed again from its serialisation: strip_tags leaves the stripped tags' text as thousands of adjacent
            # libxml2 text nodes, which lxml joins again on every `.text` read (trafilatura reads them often: still
            # minutes for 30,000 spans). Merging them in place (`el.text = el.text`) is itself quadratic.
            tree = load_html(etree.tostring(tree, method="html", encoding="unicode"))
        log.info("page %s: %d inline elements (limit %d) stripped before extraction, text kept",
                 mask_url(url) if url else "(no URL)", inline, MAX_INLINE)
    if elements > MAX_ELEMENTS:
        raise PageTooComplex(f"page too complex to extract ({elements:,} elements, limit {MAX_ELEMENTS:,})")
    return tree


def _flatten_nested_tables(tree: Any, url: str | None) -> None:
    """Tables nested more than MAX_TABLE_NESTING deep, and their rows and cells, renamed `div`, in place (one C-level
    XPath on a normal page)."""
    tables = _TOO_NESTED_TABLES(tree)
    if not tables:
        return
    for element in (*tables, *_TOO_NESTED_TABLE_PARTS(tree)):
        element.tag = "div"
    log.info("page %s: %d tables nested more than %d deep read as plain blocks, text kept",
             mask_url(url) if url else "(no URL)", len(tables), MAX_TABLE_NESTING)


def without_data_payloads(html: str) -> str:
    """The markup with the payloads of long inline `data:` URIs removed (see DATA_PAYLOAD_KEPT); one regex scan."""
    if "data:" not in html:
        return html
    # _DATA_PAYLOAD.sub(r"\1", html), tried only where the pattern without its \b matches (every match of it starts
    # at one of those; `match(html, pos)` reads the character before pos for \b as a scan of the whole page does)
    parts, done, pos = [], 0, 0
    while candidate := _DATA_PAYLOAD_AT.search(html, pos):
        match = _DATA_PAYLOAD.match(html, candidate.start())
        if match is None:
            pos = candidate.start() + 1
            continue
        parts += [html[done:match.start()], match.group(1)]
        done = pos = match.end()
    return "".join(parts) + html[done:] if parts else html


def without_unread_scripts(html: str) -> tuple[str, int]:
    """The markup with the bodies of its scripts, styles and SVG drawings emptied, but JSON-LD up to MAX_TEXT_NODE
    and `__NEXT_DATA__` up to its own limit, and the length of that kept `__NEXT_DATA__` (not counted against the
    page's size, see _RAW_TEXT_START). One forward scan: every search starts where the last one ended."""
    parts, done, pos, uncounted = [], 0, 0, 0
    while start := _RAW_TEXT_START.search(html, pos):
        if start.group(1) is None:  # a comment: a `<script>` inside it is text
            end = html.find("-->", start.end())
            if end < 0:
                break
            pos = end + 3
            continue
        tag_end = html.find(">", start.end())
        if tag_end < 0:
            break
        close = _RAW_TEXT_END[start.group(1).lower()].search(html, tag_end + 1)
        if start.group(1).lower() == "svg" and (close is None or html[tag_end - 1] == "/"):
            pos = tag_end + 1  # `<svg/>` closes itself (a foreign element); an unclosed one is left as it is
            continue
        body_end = close.start() if close else len(html)
        attributes, length = html[start.end():tag_end], body_end - tag_end - 1
        kind = _SCRIPT_TYPE.search(attributes)
        if start.group(1).lower() == "script" and kind and kind.group(1).lower() in JSON_LD_TYPES \
                and length <= MAX_TEXT_NODE:
            pass  # read for the page's metadata
        elif start.group(1).lower() == "script" and _NEXT_DATA_ID.search(attributes) and length <= MAX_NEXT_DATA_CHARS:
            uncounted += length  # read when the markup's text is too thin
        elif length:
            parts.append(html[done:tag_end + 1])
            done = body_end
        if close is None:
            break
        pos = close.end()
    return ("".join(parts) + html[done:] if parts else html), uncounted


def _parse_deep(html: str, url: str | None) -> Any:
    """The tree of a page nested past libxml2's default depth limit, parsed again without it (XML_PARSE_HUGE). A nest
    past MAX_DEPTH is parsed once more without its inline tags (text kept, as past MAX_INLINE): 50,000 `<span>`s
    nested in one paragraph, valid HTML a browser shows, cost the story its text (hostile input, seventeenth round);
    a nest of blocks is still refused."""
    tree = _parsed_huge(html)
    if tree is not None and _REACHES_MAX_DEPTH(tree):
        flat = _INLINE_TAG.sub("", html)
        tree = _parsed_huge(flat) if len(flat) < len(html) else tree
        if tree is not None and not _REACHES_MAX_DEPTH(tree):
            log.info("page %s: elements nested more than %d deep: read without its inline tags, text kept",
                     mask_url(url) if url else "(no URL)", MAX_DEPTH)
    if tree is None or _REACHES_MAX_DEPTH(tree):
        raise PageTooComplex(f"page too complex to extract (elements nested more than {MAX_DEPTH:,} deep)")
    log.info("page %s: elements nested more than %d deep: parsed again without libxml2's depth limit",
             mask_url(url) if url else "(no URL)", DEEP)
    return tree


def _parsed_huge(html: str) -> Any:
    try:
        return lxml.html.document_fromstring(html.encode("utf-8"), parser=_DEEP_PARSER)
    except (etree.ParserError, ValueError):
        return None


def _cut_long_texts(tree: Any, url: str | None) -> None:
    """Texts longer than MAX_TEXT_NODE cut (a JSON-LD script past it emptied), in place; one C-level XPath on a normal
    page, which has none."""
    for node in _LONG_TEXTS(tree):
        parent = node.getparent()
        tag = parent.tag if isinstance(parent.tag, str) else ""
        if not node.is_tail and tag in ("script", "style"):
            if tag == "script" and (parent.get("type") or "").strip().lower() in JSON_LD_TYPES:
                parent.text = ""
                log.info("page %s: a JSON-LD script of %d characters (limit %d) not read",
                         mask_url(url) if url else "(no URL)", len(node), MAX_TEXT_NODE)
            continue
        cut = node[:MAX_TEXT_NODE]
        space = cut.rfind(" ", MAX_TEXT_NODE - 1000)
        cut = cut[:space] if space > 0 else cut
        if node.is_tail:
            parent.tail = cut
        else:
            parent.text = cut
        log.info("page %s: a text of %d characters cut to %d (limit %d)", mask_url(url) if url else "(no URL)",
                 len(node), len(cut), MAX_TEXT_NODE)


class _People:
    """The names a page's author metadata has given so far, against MAX_PEOPLE, MAX_PEOPLE_CHARS and
    MAX_PEOPLE_MENTIONS."""

    def __init__(self) -> None:
        self.names: set[str] = set()
        self.chars = self.mentions = 0

    def admit(self, names: list[str]) -> bool:
        """Whether the page stays within the limits with `names` added (they are added either way)."""
        for name in names:
            name = " ".join(name.split())
            self.mentions += 1
            if name and name not in self.names:
                self.names.add(name)
                self.chars += len(name)
        return (len(self.names) <= MAX_PEOPLE and self.chars <= MAX_PEOPLE_CHARS
                and self.mentions <= MAX_PEOPLE_MENTIONS)


def _json_ld_names(script: str) -> list[str]:
    """The author and Person names trafilatura would read from one JSON-LD script (read as it reads it: minified,
    unescaped, leniently parsed), in one iterative walk."""
    script = normalize_json(JSON_MINIFY.sub(r"\1", script))
    try:
        data = json.loads(script, strict=False)
    except (ValueError, RecursionError):
        return _CRUDE_NAME.findall(script)
    names: list[str] = []
    stack = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(node)
        elif isinstance(node, dict):
            kind = node.get("@type")
            if "Person" in (kind if isinstance(kind, list) else [kind]):
                names += _strings(node.get("name"))
            for key in _PEOPLE_KEYS:
                for author in node.get(key) if isinstance(node.get(key), list) else [node.get(key)]:
                    if isinstance(author, str):
                        names.append(author)
                    elif isinstance(author, dict) and "@type" not in author:  # a Person is read on its own visit
                        names += _strings(author.get("name"))
            stack.extend(node.values())
    return names


def _drop_costly_metas(tree: Any, url: str | None) -> None:
    """<meta> tags whose content trafilatura would strip of tags in quadratic time (see MAX_UNCLOSED_MARKS) removed,
    in place; one XPath and two `str.count` per meta tag."""
    for meta in _METAS_WITH_CONTENT(tree):
        if (unclosed := _unclosed_marks(meta.get("content") or "")) > MAX_UNCLOSED_MARKS:
            meta.drop_tree()
            log.info("page %s: a <meta> content with %d unclosed `<` or `<!--` (limit %d) not read",
                     mask_url(url) if url else "(no URL)", unclosed, MAX_UNCLOSED_MARKS)


def _drop_costly_attributes(tree: Any, url: str | None) -> None:
    """Attributes holding more than MAX_UNCLOSED_MARKS unclosed `<!--` removed, in place; one C-level XPath on a
    normal page, which has none."""
    for value in _COMMENT_MARK_ATTRIBUTES(tree):
        if (unclosed := value.count("<!--", value.rfind("-->") + 1)) > MAX_UNCLOSED_MARKS:
            del value.getparent().attrib[value.attrname]
            log.info("page %s: a %s attribute with %d unclosed `<!--` (limit %d) dropped",
                     mask_url(url) if url else "(no URL)", value.attrname, unclosed, MAX_UNCLOSED_MARKS)


def _cut_long_classes(tree: Any, url: str | None) -> None:
    """`class` and `id` values over MAX_CLASS_CHARS cut to their first names, in place; one C-level XPath on a normal
    page, which has none."""
    for value in _LONG_CLASSES(tree):
        value.getparent().set(value.attrname, value[:MAX_CLASS_CHARS].rsplit(" ", 1)[0])
        log.info("page %s: a %s of %d characters cut to its first %d", mask_url(url) if url else "(no URL)",
                 value.attrname, len(value), MAX_CLASS_CHARS)


def _unescaped_json(script: str) -> str:
    """A JSON-LD script as trafilatura's tag stripping sees it: minified, `\\u003c` and `&lt;` read as `<`."""
    text = JSON_MINIFY.sub(r"\1", script)
    if "\\" in text:
        text = html.unescape(JSON_UNICODE_REPLACE.sub(lambda match: chr(int(match[1], 16)), text))
    return text


def _unclosed_marks(script: str) -> int:
    """How many `<` no `>` follows, or `<!--` no `-->` follows: each costs trafilatura's tag stripping a pass to the
    end of the script."""
    return max(script.count("<", script.rfind(">") + 1), script.count("<!--", script.rfind("-->") + 1))


def _strings(value: Any) -> list[str]:
    return [value] if isinstance(value, str) else [v for v in value if isinstance(v, str)] if isinstance(value, list) \
        else []


def _bound_people(tree: Any, url: str | None) -> None:
    """Author meta tags and JSON-LD scripts past the people limits (see MAX_PEOPLE) removed, in place; one XPath
    for the meta tags and one JSON parse per JSON-LD script on a normal page."""
    people = _People()
    dropped = 0
    for meta in _AUTHOR_METAS(tree):
        if not any((meta.get(attribute) or "").strip().lower() in _META_AUTHOR_NAMES
                   for attribute in ("name", "property", "itemprop")):
            continue
        if not people.admit(AUTHOR_SPLIT.split(meta.get("content") or "")):
            meta.drop_tree()
            dropped += 1
    emptied = 0
    for script in _JSON_LD_SCRIPTS(tree):
        if script.text and (unclosed := _unclosed_marks(_unescaped_json(script.text))) > MAX_UNCLOSED_MARKS:
            script.text = ""
            log.info("page %s: a JSON-LD script with %d unclosed `<` or `<!--` (limit %d) not read",
                     mask_url(url) if url else "(no URL)", unclosed, MAX_UNCLOSED_MARKS)
        elif script.text and not people.admit(_json_ld_names(script.text)):
            script.text = ""
            emptied += 1
    if dropped or emptied:
        log.info("page %s: names %d people in %d characters (%d mentions; limits %d, %d, %d): %d author meta tag(s) "
                 "and %d JSON-LD script(s) not read", mask_url(url) if url else "(no URL)", len(people.names),
                 people.chars, people.mentions, MAX_PEOPLE, MAX_PEOPLE_CHARS, MAX_PEOPLE_MENTIONS, dropped, emptied)


def most_attributes(html: str) -> int:
    """The most attributes found in one start tag of the raw markup (0 when every tag is short)."""
    most = 0
    for match in _START_TAG.finditer(html):
        if match.end() - match.start() > _LONG_TAG:
            most = max(most, len(_ATTRIBUTE.findall(html, match.end(1), match.end())))
    return most
