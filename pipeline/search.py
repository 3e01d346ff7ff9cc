"""Full-text search over indexed articles: a query syntax analysts can trust, filters, and readable results.

The query goes to Elasticsearch's own `simple_query_string` parser (quoted phrases, AND/OR/NOT or + | -,
parentheses, prefix `*`; it never fails on bad syntax); a hyphenated word is the quoted phrase of its parts, a prefix
is folded as the `.exact` copy indexes words, French elisions are dropped from unquoted words, and what the parsers
would read as nothing (an unclosed quote, unmatched parentheses) is mended with a note.
`field:value` terms (source, company, lang, topic) are taken out first and become filters (`-lang:fr` excluding).
Each article is searched in its own language only (the per-language `search.<lang>` field, see
pipeline.store.templates): unquoted words are stemmed, quoted phrases go to the `.exact` sub-field, which keeps every
word ("AI Act" never matches a lone "act").
See docs/storage.md, "Search syntax".
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from urllib.parse import urlsplit

from elasticsearch import Elasticsearch

from pipeline.companies import named_today, names_of, renamed
from pipeline.coverage import describe_window, empty_period, parse_when, zone
from pipeline.errors import NewsroomError, one_of
from pipeline.settings import Settings
from pipeline.sinks import MARK_END, MARK_START, marked_html, marked_plain, marked_terminal
from pipeline.store.shapes import stored_article
from pipeline.store.templates import SEARCH_LANGS, SEARCH_OTHER, index_names

SEARCH_FIELDS = [f"search.{lang}" for lang in (*SEARCH_LANGS, SEARCH_OTHER)]
EXACT_SUFFIX = ".exact"
RETURNED = ["id", "url", "title", "description", "source", "domain", "lang", "published_at", "orgs", "sentiment",
            "company_sentiment", "cluster_id", "topics", "enrichment_level"]
SORTS = ("relevance", "date")
FILTER_KEYS = {"source": "source", "company": "company", "lang": "lang", "topic": "topic"}
# field:value or field:"a quoted value" (or an empty value, refused), at the start of a word, maybe negated (`-`, which
# `NOT ` becomes) or marked required (`+`, which `AND ` becomes)
_FILTER_TERM = re.compile(r'(?<![^\s(|])(?:([-+])\s*)?(?<![^\s(|+-])(source|company|lang|topic):'
                          r'(?:"([^"]*)"|\(([^()]*)\)|([^\s()"|]*))', re.IGNORECASE)
_GROUP_VALUE = re.compile(r'"([^"]*)"|([^\s"+|]+)|([+|])')
# Highlighting stops this far into a field instead of failing the whole search on a huge article (ES refuses
# to highlight past index.highlight.max_analyzed_offset, 1,000,000 characters by default).
HIGHLIGHT_MAX_ANALYZED_OFFSET = 900_000
SHORT_ID = 12
MAX_RESULT_WINDOW = 10_000  # Elasticsearch's default index.max_result_window: a larger page is refused (400)


@dataclass
class ParsedQuery:
    """The words for Elasticsearch's parser, and the `field:value` filters taken out of the query."""

    text: str
    sources: list[str] = field(default_factory=list)
    companies: list[str] = field(default_factory=list)
    langs: list[str] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    # `-lang:fr` / `NOT source:"The Ledger"`: articles matching any of these are left out
    excluded: dict[str, list[str]] = field(default_factory=dict)
    # `company:(aws OR ovh)`: articles matching any value of a group, one condition per group
    any_of: list[tuple[str, list[str]]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # how a query that could not be read as typed was read


# a word operator stands alone, or against a parenthesis: `(NOT)` and a closing `NOT` are operators too
_WORD_OPERATORS = [(re.compile(r"(?<![^\s(])AND(?![^\s)])"), "+"), (re.compile(r"(?<![^\s(])OR(?![^\s)])"), "|"),
                   (re.compile(r"(?<![^\s(])NOT(?:\s+|(?=\)|$))"), "-")]
_FRENCH_OPERATORS = re.compile(r"(?<![^\s(])(ET|OU|SAUF)(?![^\s)])")
_IN_ENGLISH = {"ET": "AND", "OU": "OR", "SAUF": "NOT"}


def french_operators(text: str) -> str:
    """« ET », « OU », « SAUF » in capitals, outside quotes, as AND, OR, NOT: read as words, `cloud SAUF Nvidia`
    wanted the word "sauf" and found nothing. Shared by `newsroom search` and alert rules' `query_string`."""
    parts = text.split('"')
    for i in range(0, len(parts), 2):  # even parts are outside quotes
        parts[i] = _FRENCH_OPERATORS.sub(lambda match: _IN_ENGLISH[match.group(1)], parts[i])
    return '"'.join(parts)


def word_operators(text: str) -> str:
    """AND / OR / NOT (or ET / OU / SAUF) written in capitals, outside quotes, become simple_query_string's + | -
    operators."""
    parts = french_operators(text).split('"')
    for i in range(0, len(parts), 2):  # even parts are outside quotes
        for pattern, operator in _WORD_OPERATORS:
            parts[i] = pattern.sub(operator, parts[i])
    return '"'.join(parts)


# A word with a hyphen inside (open-source, start-up, Saint-Ouen, Île-de-France): its parts, outside quotes, not
# starting with an operator and not ending in a wildcard or fuzziness, at the start of the query or after a space, a
# parenthesis or an operator (so `-open-source` is NOT the compound).
_PART = r'[^\s"+|\-()*~\\]+'
_HYPHENATED = re.compile(rf'(?<![^\s(+|])(-?)({_PART}(?:-{_PART})+)(?![^\s)|+])')


_POSSESSIVE = re.compile(r"^(.*\w)[" + "'’‘ʼ" + r"][sS]$")


def without_possessive(word: str) -> str | None:
    """`start-up's` → `start-up` (an English possessive, any apostrophe), else None. A hyphenated word is a phrase on
    the `.exact` copy, which keeps the possessive in the word (`up's`): the English field's possessive stemmer never
    sees it, so `start-up's` missed every « start-up ». Shared with alert rules' `query_string`."""
    match = _POSSESSIVE.match(word)
    return match.group(1) if match else None


_LETTERS_ONLY = re.compile(r"[^\W\d_]+")


def compound_forms(word: str) -> tuple[list[str], str | None]:
    """The phrases and the word a hyphenated word is written as: `start-up` → (["start-up", "start-ups"],
    "startup"); `start-ups` → (["start-ups", "start-up"], "startups"); `start-up's` → (["start-up's", "start-up",
    "start-ups"], "startup"). The phrases hold its parts as typed, its last part also in the plural (or the
    singular); the word is its parts joined, read by the stemmed fields, which find "startup" and "startups" with it.
    A French or English analyst typing `start-up` expects « startups » and "start-ups" (the phrase on the `.exact`
    copy, unstemmed, found neither). A name (a capital after the first part: `Saint-Ouen`, `Île-de-France`) and a word
    with a digit or other mark in a part (`covid-19`) are their phrase only.
    Shared by `newsroom search` and alert rules' `query_string` (pipeline.alerts.evaluate)."""
    base = without_possessive(word)
    bare = base or word
    parts = bare.split("-")
    # Saint-Ouen, Île-de-France, Jean-Luc: a name, written so
    named = any(part[:1].isupper() and not part.isupper() for part in parts[1:])
    if len(parts) < 2 or named or not all(_LETTERS_ONLY.fullmatch(part) for part in parts):
        return ([word] if base is None else [word, base]), None
    return list(dict.fromkeys([word, bare, other_number(bare)])), "".join(parts)


def other_number(word: str) -> str:
    """`start-ups` ↔ `start-up`, `startup` ↔ `startups`: a final s (after a last part of three letters or more)
    dropped, else one added."""
    last = word.rsplit("-", 1)[-1]
    return word[:-1] if len(last) > 2 and last[-1] in "sS" else word + "s"


def hyphenated_phrases(text: str) -> str:
    """A hyphen inside a word joins its parts: `open-source` is searched as the phrase "open-source" (both parts,
    adjacent, as Elasticsearch's analysers split it), never as "open NOT source"; only a `-` starting a word is NOT.
    The phrase in the plural (or singular) and the word without its hyphens are found too (`start-up` →
    `("start-up" | "start-ups" | startup)`, see compound_forms), and a possessive (`start-up's`) is the phrase with or
    without it."""

    def phrase(match: re.Match) -> str:
        sign, word = match.groups()
        phrases, joined = compound_forms(word)
        # the hyphen-less word in both numbers, as written, so every spelling is one clause on the `.exact` copy
        joined_forms = [joined, other_number(joined)] if joined else []
        forms = [f'"{form}"' for form in [*phrases, *joined_forms]]
        return f"{sign}{forms[0]}" if len(forms) == 1 else f"{sign}({' | '.join(forms)})"

    parts = text.split('"')
    for i in range(0, len(parts), 2):  # even parts are outside quotes
        parts[i] = _HYPHENATED.sub(phrase, parts[i])
    return '"'.join(parts)


# A word with a `/` or a `&` inside (`TCP/IP`, `24/7`, `and/or`, `AT&T`, `S&P`) outside quotes, at a word's start
# (maybe negated)
_SLASHED = re.compile(r'(?<![^\s(+|])(-?)([^\s"+|()*~\\/&]+(?:[/&][^\s"+|()*~\\/&]+)+)(?![^\s)|+])')


def slashed_phrases(text: str) -> str:
    """A word with a `/` or a `&` inside is the quoted phrase of its parts: `TCP/IP` is "tcp" then "ip", never both
    words anywhere in the article (`24/7` found any page with a 24 and a 7), as an alert rule's `query_string` reads
    it (pipeline.alerts.evaluate.hyphenated_phrases). `AT&T` is "at" then "t": the English analyser drops "at" (a
    stop word), so the word alone found every English article with a lone "t" (T-Mobile), and with another word or
    operator (`AT&T -Microsoft`) any article holding "at" and "t" anywhere."""
    parts = text.split('"')
    for i in range(0, len(parts), 2):  # even parts are outside quotes
        parts[i] = _SLASHED.sub(r'\1"\2"', parts[i])
    return '"'.join(parts)


# French elisions (l', d', qu'...) at the start of a word: the French analysers and the `.exact` copies strip them,
# the English one does not, so `d'OVHcloud` would miss every English article that says "OVHcloud".
ELISIONS = ("l", "m", "t", "qu", "n", "s", "j", "d", "c", "jusqu", "quoiqu", "lorsqu", "puisqu")
_ELISION = re.compile(rf"(?<![\w'’])(?:{'|'.join(ELISIONS)})['’](?=\w)", re.IGNORECASE)
_FOLD = str.maketrans({"œ": "oe", "æ": "ae", "ß": "ss", "ø": "o", "ł": "l", "đ": "d", "ı": "i", "’": "'", "‘": "'",
                       "ʼ": "'"})


def fold(word: str) -> str:
    """A word as the `.exact` copies index it: lower case, French elision stripped, accents folded (É → e)."""
    decomposed = unicodedata.normalize("NFKD", _ELISION.sub("", word.lower()).translate(_FOLD))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def strip_elisions(text: str) -> str:
    """`d'OVHcloud` → `OVHcloud` outside quotes (quoted phrases go to the `.exact` copy, which strips them itself)."""
    parts = text.split('"')
    for i in range(0, len(parts), 2):
        parts[i] = _ELISION.sub("", parts[i])
    return '"'.join(parts)


# Apostrophes as the press types them: the typographic ’ (most French copy), the ASCII ', and two look-alikes. The
# `.exact` copies fold them all to ' (asciifolding); the stemmed language fields keep them as written.
APOSTROPHES = "'’‘ʼ"
_APOSTROPHE_WORD = re.compile(rf'(?<![^\s(+|])(-?)([^\s"+|()*~\\-]*\w[{APOSTROPHES}]\w[^\s"+|()*~\\-]*)(?=[\s)|+]|$)')


def apostrophe_variants(word: str) -> list[str]:
    """A word with an apostrophe inside as the press may type it: [`aujourd'hui`, `aujourd’hui`]; with an English
    possessive, the word without it too (`Nvidia's` → [`Nvidia's`, `Nvidia’s`, `Nvidia`]: only the English field's
    stemmer drops it, so `Nvidia's` found no French article saying « Nvidia »); any other word as it is. Shared by
    `newsroom search` and alert rules' `query_string` (pipeline.alerts.evaluate)."""
    if not any(char in APOSTROPHES for char in word.strip(APOSTROPHES)):
        return [word]
    plain = "".join("'" if char in APOSTROPHES else char for char in word)
    base = without_possessive(plain)
    return [plain, plain.replace("'", "’"), *([base] if base else [])]


def apostrophe_spellings(text: str) -> str:
    """A word with an apostrophe inside (`aujourd'hui`, `Moody's`, `won’t`; elisions are gone by then) matches it
    typed either way: `(aujourd'hui | aujourd’hui)`. The stemmed fields keep the apostrophe as written, so
    `aujourd'hui` missed « aujourd’hui », the usual spelling in French copy (a quoted phrase, on the `.exact` copy,
    already matched both)."""

    def both(match: re.Match) -> str:
        return f"{match.group(1)}({' | '.join(apostrophe_variants(match.group(2)))})"

    parts = text.split('"')
    for i in range(0, len(parts), 2):  # even parts are outside quotes
        parts[i] = _APOSTROPHE_WORD.sub(both, parts[i])
    return '"'.join(parts)


# A prefix term (`énerg*`, `start-up*`, `-Sénat*`) outside quotes, at the start of a word.
_PREFIX_TERM = re.compile(r'(?<![^\s(+|])(-?)([^\s"+|()~*\\-][^\s"+|()~*\\]*)\*(?![^\s)|+])')
_TOKEN_BREAK = re.compile(r"[^\w'’.]+")


def prefix_terms(text: str) -> str:
    """Each `word*` as the word is indexed in the `.exact` copies (case, accents and elision folded, no stemming:
    `Sénat*` → `senat*`); a prefix of several words (`start-up*`) → `(start up*)`, the last one the prefix."""

    def rewrite(match: re.Match) -> str:
        parts = [part for part in _TOKEN_BREAK.split(fold(match.group(2))) if part.strip("'’.")]
        if not parts:
            return match.group(0)
        words = " ".join(parts) + "*"
        return match.group(1) + (f"({words})" if len(parts) > 1 else words)

    pieces = text.split('"')
    for i in range(0, len(pieces), 2):
        pieces[i] = _PREFIX_TERM.sub(rewrite, pieces[i])
    return '"'.join(pieces)


def _outside_quotes(text: str) -> list[tuple[int, str]]:
    """(position, character) of every character outside double quotes."""
    out, quoted = [], False
    for at, char in enumerate(text):
        if char == '"':
            quoted = not quoted
        elif not quoted:
            out.append((at, char))
    return out


def balanced(text: str) -> tuple[str, list[str]]:
    """The query with an unclosed quote closed at the end and unmatched parentheses dropped, and a note for each:
    Elasticsearch's parser reads such a query as words, the embedded stand-in found nothing at all."""
    notes = []
    if text.count('"') % 2:
        text += '"'
        notes.append("a closing quote was missing: the query was read with one added at its end.")
    unmatched, depth = [], []
    for at, char in _outside_quotes(text):
        if char == "(":
            depth.append(at)
        elif char == ")":
            if depth:
                depth.pop()
            else:
                unmatched.append(at)
    unmatched += depth
    if unmatched:
        dropped = set(unmatched)
        text = "".join(char for at, char in enumerate(text) if at not in dropped)
        notes.append(f"{len(unmatched)} unmatched parenthes{'is was' if len(unmatched) == 1 else 'es were'} "
                     "ignored.")
    text, empty = _without_empty_phrases(text)
    if empty:
        notes.append('an empty phrase ("") was ignored.')
    # a group with no word in it (`Nvidia ()`, `cloud (NOT)`) and an operator with nothing after it (`Nvidia AND`,
    # `cloud NOT`) are dropped: Elasticsearch's parser drops the operator, the stand-in found nothing at all
    parts = text.split('"')
    for i in range(0, len(parts), 2):
        parts[i] = _without_empty_groups(parts[i])
    mended = _without_trailing_operators('"'.join(parts))
    if mended.split() != text.split() and mended.strip():
        notes.append("an operator or parentheses with no word to apply to were ignored.")
    return mended, notes


def _without_empty_groups(text: str) -> str:
    """Every group holding only spaces, `+`, `|` and `-` operators (`()`, `( + )`, `(( ))`) replaced by a space,
    innermost first, in one pass: a regular expression applied until nothing changed took a pass per level (20,000
    nested `()`, 11 s of CPU)."""
    out: list[str] = []
    frames: list[list] = []  # an open group: [where its "(" is in out, whether it holds no word yet, its last character]
    for char in text:
        if char == "(":
            frames.append([len(out), True, char])
        elif char == ")" and frames:
            start, empty, _ = frames.pop()
            if empty:
                del out[start:]
                char = " "
            elif frames:
                frames[-1][1] = False
        elif frames:
            frame = frames[-1]
            if not (char.isspace() or char in "+|" or (char == "-" and (frame[2] == "(" or frame[2].isspace()))):
                frame[1] = False
        if frames and char != "(":
            frames[-1][2] = char
        out.append(char)
    return "".join(out)


def _without_trailing_operators(text: str) -> str:
    """The text without the operators (each after a space or `(`) and spaces that end it, read from the end: a
    regular expression was tried from every position, 20,000 ` -` before a last word took 41 s of CPU."""
    end, cut = len(text.rstrip()), None
    while end and text[end - 1] in "-+|" and (end == 1 or text[end - 2].isspace() or text[end - 2] == "("):
        end -= 1
        while end and text[end - 1].isspace():
            end -= 1
        cut = end
    return text if cut is None else text[:cut]


def _without_empty_phrases(text: str) -> tuple[str, bool]:
    """`""` (or `"  "`) taken out: the parsers read it as no condition at all, so `cloud ""` meant every article."""
    parts = text.split('"')
    if len(parts) % 2 == 0:  # an odd quote: balanced() closes it first
        return text, False
    out, dropped = [parts[0]], False
    for inside, after in zip(parts[1::2], parts[2::2]):
        if inside.strip():
            out.append(f'"{inside}"{after}')
        else:
            out.append(f" {after}")
            dropped = True
    return "".join(out), dropped


# Typographic double quotes and French guillemets, as a keyboard, a word processor or a pasted headline gives them.
_TYPOGRAPHIC_QUOTES = str.maketrans(dict.fromkeys("“”„‟«»", '"'))
# What a word copied from a web page or a word processor carries: the hyphen and non-breaking hyphen (U+2010, U+2011,
# « start‑up ») are the `-` the syntax knows; a soft hyphen and the invisible joiners (U+00AD, U+200B, U+2060,
# U+FEFF) are nothing, and kept they made the word one nobody wrote (`start‑up` found "start the car, then up",
# `sou­ve­rai­ne­té` with soft hyphens found nothing); so are the direction marks a copy from a right-to-left page or a
# title carries (U+200E, U+200F, U+061C, the embeddings U+202A–U+202E and isolates U+2066–U+2069): `Nvidia` followed
# by a right-to-left mark found nothing
_PASTED = str.maketrans({"\u2010": "-", "\u2011": "-", "\u00ad": None, "\u200b": None, "\u2060": None,
                         "\ufeff": None, "\u200e": None, "\u200f": None, "\u061c": None,
                         **dict.fromkeys(map(chr, [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]))})


# An apostrophe typed with another key between two letters (`aujourd`hui`, `don´t` on keyboards without a handy ', a
# prime or a full-width one pasted): read as a word break by the analysers, so the phrase `"aujourd`hui la"` and the
# alert keyword `aujourd`hui` missed « aujourd’hui » (queries audit, eighth round)
_APOSTROPHE_LOOK_ALIKE = re.compile(r"(?<=[^\W\d_])[`´′＇](?=[^\W\d_])")


def as_typed(text: str) -> str:
    """Query text with the hyphens, apostrophes and invisible characters a copy from a page or another keyboard
    carries read as typed on a keyboard (_PASTED, _APOSTROPHE_LOOK_ALIKE). Shared by `newsroom search` and alert
    rules' `keywords` and `query_string`."""
    return _APOSTROPHE_LOOK_ALIKE.sub("'", text.translate(_PASTED))
# An en dash, em dash or minus sign starting a word, outside quotes (a word processor's or a phone's `-`)
_TYPOGRAPHIC_NOT = re.compile(r'(?<![^\s(])[–—−](?=[^\s–—−)])')
# Single quotes opening a word and closing a later one ('AI Act', ‘AI Act’), with no quote or apostrophe inside: an
# apostrophe inside a word (l'IA, Moody's) never opens nor closes one
_SINGLE_QUOTED = re.compile(r"(?<![^\s(])['‘]([^'‘’\"\s][^'‘’\"]*?)['’](?![^\s)])")


def plain_typography(text: str) -> str:
    """“AI Act” and « cloud souverain » are quoted phrases, as "AI Act" is: both parsers know only the ASCII quote,
    and read the words apart (“souverain cloud” found « cloud souverain », “AI Act” any page saying « j'ai » and
    "act"), and so are 'AI Act' and ‘AI Act’ in single quotes. A typographic dash starting a word is NOT, as `-` is:
    `cloud –Nvidia` found the articles *with* Nvidia (the parsers read the dash as punctuation). A hyphen or an
    invisible character pasted with a word is read as typed on a keyboard (_PASTED)."""
    parts = as_typed(text).translate(_TYPOGRAPHIC_QUOTES).split('"')
    for i in range(0, len(parts), 2):  # even parts are outside quotes
        parts[i] = _SINGLE_QUOTED.sub(r'"\1"', _TYPOGRAPHIC_NOT.sub("-", parts[i]))
    return '"'.join(parts)


# Field names an analyst types out of habit (Kibana, Lucene, the stored document): the text ones are searched anyway
# (one field holds each article's title, description and text), the others have an option or filter of their own.
TEXT_FIELD_NAMES = ("title", "text", "description", "body", "content", "headline", "titre")
OTHER_FIELDS = {
    "date": "--since/--until", "published": "--since/--until", "published_at": "--since/--until",
    "tone": "--tone (or --company-tone COMPANY=TONE)", "sentiment": "--tone (or --company-tone COMPANY=TONE)",
    "domain": "source: (a feed name or a domain)", "site": "source: (a feed name or a domain)",
    "url": "source: (a feed name or a domain)", "orgs": "company:", "org": "company:", "entity": "company:",
    "language": "lang:", "topics": "topic:", "tag": "topic:", "tags": "topic:",
}
# a space after the colon (`title: Mistral`, as prose writes it) or before it too (« titre : Mistral », French
# typography), or nothing after it (`Nvidia text:`): the name was a word required beside the others, found nowhere
_FIELD_PREFIX = re.compile(rf'(?<![^\s(+|-])({"|".join(TEXT_FIELD_NAMES + tuple(OTHER_FIELDS))})\s*:'
                           r'(?:\s*(?=["\w(])|\s*$|(?=\s*\)))', re.IGNORECASE)


_UNKNOWN_FIELD = re.compile(r'(?<![^\s(+|-])([^\W\d_]+):(?=["\w(])')


def field_prefixes(text: str) -> tuple[str, list[str]]:
    """`title:Mistral` (outside quotes) is the word Mistral, with a note: search reads the title, description and text
    together (the parser read `title:mistral` as one word, found nowhere: "0 article(s) match." and no word why);
    `date:…`, `tone:…`, `domain:…` are refused in one sentence naming the option or filter to use."""
    notes: list[str] = []

    def drop(match: re.Match) -> str:
        if text.count('"', 0, match.start()) % 2:  # inside a quoted phrase: words as written
            return match.group(0)
        name = match.group(1).lower()
        if name in OTHER_FIELDS:
            raise NewsroomError(f"{name}: is not a search field; use {OTHER_FIELDS[name]} instead.")
        note = (f"{name}: is not a search field (each article's title, description and text are searched "
                "together): what follows it was searched anywhere in the article.")
        if note not in notes:
            notes.append(note)
        return ""

    text = _FIELD_PREFIX.sub(drop, text)
    # any other `name:value` (`auteur:Dupont`, `cloud:souverain`): the analysers keep a colon between letters inside
    # the word, so it was one word no article has, found nowhere without a word why; it is the two words, noted
    unknown: list[str] = []

    def split(match: re.Match) -> str:
        if text.count('"', 0, match.start()) % 2:
            return match.group(0)
        unknown.append(match.group(1))
        return match.group(1) + " "

    text = _UNKNOWN_FIELD.sub(split, text)
    if unknown:
        from pipeline.configfiles import shown_value

        names = ", ".join(shown_value(f"{name}:") for name in dict.fromkeys(unknown[:3]))
        notes.append(f"{names} {'is no filter' if len(set(unknown)) == 1 else 'are no filters'} (the filters are "
                     "source:, company:, lang: and topic:): the words on both sides of the colon were searched.")
    return text, notes


# A `?` or a `*` inside a word, tried at a word's start only: from every position, a run of punctuation was scanned
# to its end once per character
_INNER_WILDCARD = {mark: re.compile(rf"(?<![^\s\"()|+*~\\-])[^\s\"()|+*~\\-]*\w{re.escape(mark)}+\w[^\s\"()|+*~\\]*")
                   for mark in "?*"}
_WILDCARD_NOTE = {"?": "? is not a wildcard here (only a * ending a word is)",
                  "*": "* is a wildcard only at the end of a word"}


def _shown_word(word: str) -> str:
    """A word of the query as a note names it: a 10 KB word was printed whole."""
    from pipeline.configfiles import SHOWN_VALUE_CHARS

    return word if len(word) <= SHOWN_VALUE_CHARS else word[:SHOWN_VALUE_CHARS - 1] + "…"


def wildcard_notes(text: str) -> list[str]:
    """A `?` inside a word (`mistr?l`, Lucene's one-character wildcard) or a `*` inside one (`souv*té`) is no wildcard
    for simple_query_string: the word is split there (`mistr` and `l`, both required), which found nothing without a
    word why."""
    shown = _shown_word
    outside = text.split('"')[::2]  # the parts outside quotes
    notes = []
    for mark, pattern in _INNER_WILDCARD.items():
        words = [match.group(0) for part in outside for match in pattern.finditer(part)]
        if words:
            notes.append(f"{_WILDCARD_NOTE[mark]}: {', '.join(shown(w) for w in dict.fromkeys(words[:3]))} was "
                         f"searched as the words around the {mark}; write the start of the word followed by * "
                         f"({shown(words[0].split(mark)[0] + '*')}).")
    return notes


# A Lucene boost (`Nvidia^2`, `"AI Act"^3`, `(a OR b)^1.5`) after a letter, a group or (at a part's start) a phrase
_BOOST = r"\^\d+(?:\.\d+)?(?=[\s)|+]|$)"
_BOOST_AFTER_WORD = re.compile(rf"(?<=[^\W\d_]){_BOOST}|(?<=\)){_BOOST}")
_BOOST_AFTER_PHRASE = re.compile(rf"^{_BOOST}|(?<=[^\W\d_]){_BOOST}|(?<=\)){_BOOST}")


def without_boosts(text: str) -> tuple[str, list[str]]:
    """The query without Lucene boosts, and a note when there were some: simple_query_string has none in the query
    text, so `Nvidia^2 chips` required the word "2" and found nothing. A number's power (`2^10`) and quoted text
    stay."""
    parts, found = text.split('"'), 0
    for i in range(0, len(parts), 2):  # even parts are outside quotes; past the first, each follows a phrase
        parts[i], n = (_BOOST_AFTER_PHRASE if i else _BOOST_AFTER_WORD).subn("", parts[i])
        found += n
    return '"'.join(parts), ["a ^ boost was ignored: search weighs every word the same."] if found else []


# A Lucene regular expression between slashes (`/mistr.*/`, `/souverain(e|s)?/`) holding at least one of its marks
_REGEX = re.compile(r"(?<![^\s(+|-])/([^/\s]*[.\[\]{}()*+?|\\^$][^/\s]*)/(?![^\s)])")


def refuse_regex(text: str) -> None:
    """simple_query_string has no regular expressions: `/mistr.*/` was read as punctuation and operators ("0
    article(s) match." without a word why) and `/souverain(e|s)?/` as a group requiring "e" or "s"."""
    from pipeline.configfiles import shown_value

    for part in text.split('"')[::2]:  # outside quotes: quoted text is words as written
        if match := _REGEX.search(part):
            start = re.match(r"[^\W\d_]+", match.group(1))
            hint = f" ({start.group(0).lower()}*)" if start else ""
            raise NewsroomError(f"{shown_value(match.group(0))} is a regular expression, which search does not read: "
                                f"write the start of a word followed by *{hint}, or its forms joined by OR.")


# Lucene's range (`[1 TO 5]`, `{a TO b}`, `date:[2026-11-01 TO *]`, as Kibana and query_string take them)
_RANGE = re.compile(r"(?<![^\s(+|-])(?:([^\W\d]\w*):)?([\[{])\s*(\S+)\s+TO\s+(\S+?)\s*([\]}])(?![^\s)|+])")


def refuse_range(text: str) -> None:
    """simple_query_string has no ranges: `[1 TO 5]` required the words "1", "to" and "5", and found nothing without
    a word why. A range of dates names the options that give one."""
    from pipeline.configfiles import shown_value

    for part in text.split('"')[::2]:  # outside quotes
        if match := _RANGE.search(part):
            field, _, low, high, _ = match.groups()
            if field and OTHER_FIELDS.get(field.lower()) == "--since/--until":
                since = f"--since {low}" if low != "*" else ""
                until = f"--until {high}" if high != "*" else ""
                hint = f"give the dates as options: {' '.join(filter(None, (since, until)))} (days included)"
            else:
                hint = ("search reads words, not values between bounds; a period is --since/--until, and several "
                        "words or numbers are joined by OR (1 OR 2 OR 3)")
            raise NewsroomError(f"{shown_value(match.group(0))} is a range, which search does not read: {hint}.")


# Lucene's old fuzzy similarity (`Mistral~0.5`): a fraction after a word's ~, where simple_query_string wants edits
_SIMILARITY = re.compile(r"(?<=[^\W_])~(\d*\.\d+)(?=[\s)|+]|$)")


def fuzzy_edits(text: str) -> tuple[str, list[str]]:
    """`Mistral~0.5` as Lucene reads a similarity (edits = (1 - 0.5) × the word's length, at most 2), with a note:
    simple_query_string takes only a whole number of edits after ~, so the cluster read no fuzziness at all and the
    stand-in the number "5" as a word to find ("0 article(s) match." without a word why). Quoted text stays."""
    from pipeline.configfiles import shown_value

    parts, notes = text.split('"'), []
    for i in range(0, len(parts), 2):  # outside quotes
        def edits(match: re.Match) -> str:
            word = re.search(r"[^\s(+|-]+$", parts[i][:match.start()]).group(0)
            similarity = float(match.group(1))
            if similarity >= 1:
                raise NewsroomError(f"{shown_value(word + match.group(0))}: the number after ~ is how many letters may "
                                    f"differ, a whole number ({word}~1 or {word}~2).")
            count = min(2, int((1 - similarity) * len(word)))
            changed = f"up to {count} letter(s) changed" if count else "no letter changed"
            notes.append(f"{word}~{match.group(1)} (Lucene's old similarity) was read as {word}~{count}: the word with "
                         f"{changed}.")
            return f"~{count}"

        parts[i] = _SIMILARITY.sub(edits, parts[i])
    return '"'.join(parts), notes


# one or more * opening a word (`*istral`, `-*cloud`, `(*a`), not a * alone
_LEADING_WILDCARD = re.compile(r"(?<![^\s(|+-])\*+(?=\w)")


def without_leading_wildcards(text: str) -> tuple[str, list[str]]:
    """The query without the * opening a word, and a note: simple_query_string has no leading wildcard, so real
    Elasticsearch's analysers dropped it and looked for the rest of the word (`*istral`: "istral", 0 articles), while
    the embedded stand-in took it for a suffix; neither said a word. Quoted text stays."""
    parts, words = text.split('"'), []
    for i in range(0, len(parts), 2):  # outside quotes
        words += [m.group(0) + re.match(r"\S*", parts[i][m.end():]).group(0)
                  for m in _LEADING_WILDCARD.finditer(parts[i])]
        parts[i] = _LEADING_WILDCARD.sub("", parts[i])
    if not words:
        return text, []
    shown = ", ".join(_shown_word(w) for w in dict.fromkeys(words[:3]))
    read = ", ".join(_shown_word(w.lstrip("*")) for w in dict.fromkeys(words[:3]))
    return '"'.join(parts), [f"a * before a word is no wildcard (only a * ending a word is): {shown} was searched as "
                             f"{read}."]


def parse_query(query: str) -> ParsedQuery:
    """Take `source:`, `company:`, `lang:` and `topic:` terms out of the query (values may be quoted), an excluding
    `-lang:fr` / `NOT lang:fr` included; a filter inside parentheses or joined by OR is refused in one sentence."""
    from pipeline.configfiles import shown_value

    parsed = ParsedQuery(text="")
    targets = {"source": parsed.sources, "company": parsed.companies, "lang": parsed.langs, "topic": parsed.topics}
    typed = plain_typography(" ".join((query or "").split()))
    refuse_regex(typed)
    refuse_range(typed)
    text, parsed.notes = balanced(word_operators(typed))
    depth_at, depth = {}, 0
    for at, char in _outside_quotes(text):
        depth += {"(": 1, ")": -1}.get(char, 0)
        depth_at[at] = depth

    def take(match: re.Match) -> str:
        name, sign = match.group(2).lower(), match.group(1)
        value = next(v for v in (match.group(3), match.group(4), match.group(5)) if v is not None).strip()
        term = match.group(0).strip()
        if match.group(4) is not None and value:  # `company:(aws OR ovh)`, `source:("Le Monde" | lemonde.fr)`
            return group(name, sign, term, value)
        if not value:
            example = "fr" if name == "lang" else "NAME"
            raise NewsroomError(f"{shown_value(term)} needs a value, e.g. {name}:{example}.")
        before, after = text[:match.start()].rstrip(), text[match.end():].lstrip()
        if depth_at.get(match.start(), 0) > 0 or before.endswith("|") or after.startswith("|"):
            raise NewsroomError(
                f"{shown_value(term)}: a {name}: filter applies to the whole search, so it cannot be inside "
                f"parentheses or joined with OR; write it outside them ({name}:… keeps, -{name}:… or NOT {name}:… "
                "leaves out).")
        if sign == "-":
            parsed.excluded.setdefault(FILTER_KEYS[name], []).append(value)
        else:
            targets[FILTER_KEYS[name]].append(value)
        return " "

    def group(name: str, sign: str | None, term: str, inside: str) -> str:
        """A filter's values in parentheses (AND/OR are `+`/`|` by now): `(a | b)` any of them, `(a b)` or `(a + b)`
        all of them, as a word group reads; `-company:(a | b)` leaves out any of them."""
        values, operators = [], set()
        for quoted, word, operator in _GROUP_VALUE.findall(inside):
            if operator:
                operators.add(operator)
            elif (quoted or word).strip():
                values.append((quoted or word).strip())
        if not values or operators == {"+", "|"} or (sign == "-" and "|" not in operators and len(values) > 1):
            raise NewsroomError(
                f"{shown_value(term)}: write the {name}: values in parentheses joined by OR ({name}:(A OR B): any of "
                f"them) or by AND ({name}:(A AND B): all of them); -{name}:(A OR B) leaves out any of them.")
        if sign == "-":
            parsed.excluded.setdefault(FILTER_KEYS[name], []).extend(values)
        elif "|" in operators and len(values) > 1:
            parsed.any_of.append((FILTER_KEYS[name], values))
        else:
            targets[FILTER_KEYS[name]].extend(values)
        return " "

    text = _FILTER_TERM.sub(take, text)
    text, field_notes = field_prefixes(text)
    text, boost_notes = without_boosts(text)
    text, leading_notes = without_leading_wildcards(text)
    text, fuzzy_notes = fuzzy_edits(text)
    parsed.notes += field_notes + boost_notes + leading_notes + fuzzy_notes + wildcard_notes(text)
    parsed.text = apostrophe_spellings(slashed_phrases(hyphenated_phrases(prefix_terms(strip_elisions(
        " ".join(text.split()))))))
    return parsed


def _any_term(field_name: str, values: list[str]) -> dict:
    return {"bool": {"should": [{"term": {field_name: {"value": v, "case_insensitive": True}}} for v in values],
                     "minimum_should_match": 1}}


def _filter_clause(key: str, values: list[str], renames: dict[str, str] | None = None) -> dict:
    """Articles matching any of these `source:` / `company:` (canonical names, their articles stored under a former
    name too) / `lang:` / `topic:` values."""
    if key == "source":
        return source_clause(values)
    if key == "company":
        return {"terms": {"orgs": [name for value in values for name in names_of(value, renames or {})]}}
    if key == "lang":  # `--lang "fr "`, pasted from a cell, is fr (source_clause strips its values too)
        return {"terms": {"lang": [v.strip().lower() for v in values]}}
    return _any_term("topics", [v.strip() for v in values])


_EMPTY_OPTION_HINTS = {"source": "a feed name or domain", "lang": "a language code (fr, en…)",
                       "topic": "a topic of config/topics.yaml"}


def refuse_empty(key: str, values: list[str] | None) -> None:
    """`--source ""` (a shell variable left unset) is refused naming the option, as `--since ""` is: it matched no
    article, and the note that followed named the closest feeds rather than the empty value."""
    if any(not (value or "").strip() for value in values or []):
        raise NewsroomError(f"--{key} is empty: give {_EMPTY_OPTION_HINTS[key]}, or leave --{key} out.")


def check_size(size: int, more: str = "narrow the search with --since/--until or filters") -> None:
    """--size between 1 and the result window, refused before any request (Elasticsearch would answer 400); `more`
    says how to get the rest."""
    if size < 1:
        raise NewsroomError("--size must be at least 1.")
    if size > MAX_RESULT_WINDOW:
        raise NewsroomError(f"--size must be at most {MAX_RESULT_WINDOW:,} (Elasticsearch's result window); {more}.")


def source_clause(values: list[str]) -> dict:
    """Articles or mentions from any of these sources: the feed name or the domain, any case, an internationalised
    domain in either spelling (`café.example`, `xn--caf-dma.example`: the store holds the second, output shows the
    first) (search's `source:`, `--source` and alert rules' `sources:` alike)."""
    from pipeline.urls import host_spellings

    values = list(dict.fromkeys(spelling for value in values for spelling in host_spellings(value)))
    return {"bool": {"should": [_any_term("source", values), _any_term("domain", values)], "minimum_should_match": 1}}


def tone_toward(company: str, *, label: str | None = None, score: dict | None = None,
                renames: dict[str, str] | None = None) -> dict:
    """Articles whose tone toward `company` has this label, or a score within these bounds (`{"lte": -0.2}`).

    That tone is the one measured toward the company or, when none was (a language without a tone model, an
    article left partial), the article's own tone, which stands in for it in the mentions index and so in coverage,
    `mentions`, the result lines and alert rules: a filter on the measured tone alone missed those articles.
    """
    kind, name, value = ("term", "label", label) if label is not None else ("range", "score", score)
    names = names_of(company, renames or {})  # a renamed company's articles stored under its former name too
    toward = {"terms": {"company_sentiment.company": names}}
    measured = {"nested": {"path": "company_sentiment", "query": {"bool": {"filter": [
        toward, {kind: {f"company_sentiment.{name}": value}}]}}}}
    standing_in = {"bool": {"filter": [{"terms": {"orgs": names}}, {kind: {f"sentiment.{name}": value}}],
                            "must_not": [{"nested": {"path": "company_sentiment", "query": toward}}]}}
    return {"bool": {"should": [measured, standing_in], "minimum_should_match": 1}}


# the tone as an analyst types it, English or French, any case and accents folded (`Négatif`, `positive`, `neutre`)
_TONE_WORDS = {"positive": "positive", "positif": "positive", "neutral": "neutral", "neutre": "neutral",
               "negative": "negative", "negatif": "negative"}


def tone_label(value: str, what: str) -> str:
    """The stored tone label a typed tone means (`--tone négatif` is negative: French analysts were told "unknown
    tone"), else NewsroomError naming the option `what`."""
    tone = _TONE_WORDS.get(fold(value.strip()))
    if tone is None:
        from pipeline.configfiles import shown_value

        raise NewsroomError(f"{what}: unknown tone {shown_value(value)}; use positive, neutral or negative (or "
                            "positif, neutre, négatif).")
    return tone


# Any of simple_query_string's operators (quotes, + | -, parentheses, prefix *, ~ fuzziness/slop, escapes); a `-` is
# NOT only at the start of a word (hyphenated words are phrases by then, see hyphenated_phrases).
_QUERY_SYNTAX = re.compile(r'["+|()*~\\]|(?<![^\s(+|])-')
_PHRASE = re.compile(r'"([^"]*)"')
# A group of alternatives standing alone, not negated: what hyphenated_phrases and apostrophe_spellings write
# (`("start-up" | "start-ups" | startup)`, `(aujourd'hui | aujourd’hui)`), or an analyst's `(cloud | nuage)`
_ALTERNATIVE = re.compile(r'"[^"]*"|[^\s"()|+*~\\-][^\s"()|+*~\\]*')
_GROUP = rf"\(((?:{_ALTERNATIVE.pattern})(?: \| (?:{_ALTERNATIVE.pattern}))+)\)"
_ALTERNATIVES = re.compile(rf"(?<!\S){_GROUP}(?!\S)")


MAX_QUERY_TERMS = 200  # words/phrases in a query with operators: 850 OR terms crashed the embedded store
MAX_QUERY_DEPTH = 50  # nested parentheses: a `query_string` 3,000 deep crashed it (stack overflow)
MAX_SPELLINGS = 5  # the most spellings search writes for one typed word (hyphenated_phrases, apostrophe_variants)
_QUERY_TERM = re.compile(r'"[^"]*"?|[^\s"+|()~*]+')


def query_too_complex(text: str) -> str | None:
    """Why a query would be too heavy for the store's parser (one clause), or None. Checked before sending, both for
    `newsroom search` and for alert rules' `query_string`: a crafted query must not crash the store for everyone.
    A word's few spellings (`("start-up" | "start-ups" | startup)`, `(aujourd'hui | aujourd’hui)`) count as one term:
    the store answered 300 such groups of 4 in 2 to 5 s, a long flat chain of ORs is what crashed it."""
    text = re.sub(_GROUP, lambda group: " w " if len(_ALTERNATIVE.findall(group.group(1))) <= MAX_SPELLINGS
                             else group.group(0), text)
    terms = sum(1 for term in _QUERY_TERM.findall(text) if term.strip("-") and term not in ("AND", "OR", "NOT"))
    if terms > MAX_QUERY_TERMS:
        return f"{terms:,} terms, at most {MAX_QUERY_TERMS:,}"
    depth = deepest = 0
    for char in _PHRASE.sub(" ", text.replace("\\\\", "").replace('\\"', "").replace("\\(", "").replace("\\)", "")):
        if char == "(":
            depth += 1
            deepest = max(deepest, depth)
        elif char == ")":
            depth = max(0, depth - 1)
    if deepest > MAX_QUERY_DEPTH:
        return f"parentheses nested {deepest:,} deep, at most {MAX_QUERY_DEPTH}"
    return None


def _single_clauses(text: str) -> tuple[str, list[str], list[list[str]]] | None:
    """The plain words, whole quoted phrases and groups of alternatives a query is made of, or None when it uses any
    other operator (it then goes to simple_query_string)."""
    groups = [_ALTERNATIVE.findall(group) for group in _ALTERNATIVES.findall(text)]
    rest = _ALTERNATIVES.sub(" ", text)
    words, phrases = _PHRASE.sub(" ", rest), [p for p in _PHRASE.findall(rest) if p.strip()]
    return None if _QUERY_SYNTAX.search(words) else (words, phrases, groups)


def _any_phrase(name: str, phrases: list[str]) -> dict:
    """Any of these phrases on the `.exact` copy, as one `intervals` clause: the stand-in reads the field once for
    it, where a `match_phrase` per phrase read it once each (a hyphenated word's four spellings: 8.5 s → 1.3 s on
    1,000 stored articles). It highlights nothing there, so exact_highlight gives the passages."""
    rules = [{"match": {"query": phrase, "max_gaps": 0, "ordered": True}} for phrase in phrases]
    return {"intervals": {name + EXACT_SUFFIX: rules[0] if len(rules) == 1 else {"any_of": {"intervals": rules}}}}


def text_query(text: str) -> dict:
    """The words, each article searched in its own language's field (one analysed copy per article).

    Plain words and quoted phrases (no other operator) become one `match` with every word required and one
    `match_phrase` on the `.exact` copy per phrase, which select and score as simple_query_string does with
    `default_operator: and` and `quote_field_suffix`, but read each article's field once rather than once per word:
    the embedded stand-in, which has no inverted index, re-analyses the field for every clause. A group of
    alternatives (`("start-up" | "start-ups" | "startup" | "startups")`, a hyphenated word's spellings) is one
    clause for its phrases and one per other word, any of which may match.
    """
    if _QUERY_SYNTAX.search(text) and (problem := query_too_complex(text)):  # plain words: one `match`, any length
        raise NewsroomError(f"The search query is too complex ({problem}): split it into smaller searches.")
    if parts := _single_clauses(text):  # plain words, whole quoted phrases and groups of them: single clauses
        words, phrases, groups = parts
        per_language = []
        for name in SEARCH_FIELDS:
            clauses = [{"match": {name: {"query": words, "operator": "and"}}}] if words.strip() else []
            clauses += [{"match_phrase": {name + EXACT_SUFFIX: phrase}} for phrase in phrases]
            for group in groups:
                quoted = [term[1:-1] for term in group if term.startswith('"')]
                either = [_any_phrase(name, quoted)] if quoted else []
                either += [{"match": {name: {"query": term, "operator": "and"}}} for term in group
                           if not term.startswith('"')]
                clauses.append(either[0] if len(either) == 1 else {"bool": {"should": either,
                                                                            "minimum_should_match": 1}})
            per_language.append(clauses[0] if len(clauses) == 1 else {"bool": {"must": clauses}})
    else:
        # A prefix (`énerg*`, already folded by prefix_terms) is matched against the words as written, on the `.exact`
        # copy too: the language field holds stems ("energ", "chipmak"), which a typed word rarely is a prefix of.
        # Not analysed: Elasticsearch would stem the prefix itself on the language field (the stand-in never does).
        prefix = "*" in _PHRASE.sub(" ", text)
        # Each clause only over the articles that have this language's field: `-Nvidia` alone is true of an empty
        # field, so without the filter every article would match through the languages it is not written in.
        per_language = [
            {"bool": {"filter": [{"exists": {"field": name}}], "must": [
                {"simple_query_string": {"query": text, "fields": [name, name + EXACT_SUFFIX] if prefix else [name],
                                         "quote_field_suffix": EXACT_SUFFIX, "default_operator": "and",
                                         "analyze_wildcard": False}}]}}
            for name in SEARCH_FIELDS
        ]
    return {"bool": {"should": per_language, "minimum_should_match": 1}}


def build_search(
    settings: Settings,
    query: str,
    *,
    companies: list[str] | None = None,
    since: str | date | datetime | None = None,
    until: str | date | datetime | None = None,
    sources: list[str] | None = None,
    langs: list[str] | None = None,
    topics: list[str] | None = None,
    tone: str | None = None,
    company_tones: dict[str, str] | None = None,
    sort: str = "relevance",
    size: int = 20,
    parsed: ParsedQuery | None = None,
) -> dict:
    """The request body (query, filters, sort, highlight); company names must already be canonical (in `parsed`,
    the query already parsed, too)."""
    sort = one_of(sort, SORTS, "sort")  # any case: `--sort Date`
    check_size(size)
    parsed = parsed or parse_query(query)
    filters: list[dict] = []
    renames = renamed(settings) if (companies or parsed.companies or company_tones or parsed.excluded.get("company")
                                    or any(key == "company" for key, _ in parsed.any_of)) else {}
    excluded = [_filter_clause(key, values, renames) for key, values in parsed.excluded.items() if values]
    for company in dict.fromkeys([*(companies or []), *parsed.companies]):  # each one required
        filters.append(_filter_clause("company", [company], renames))
    # A repeated option is any of its values (`--source A --source B`: an article has one source); each filter in the
    # query is one more condition, like a word (`topic:hpc topic:funding`: both), and options and query filters
    # all hold together.
    for key, values in (("source", sources), ("lang", langs), ("topic", topics)):
        refuse_empty(key, values)
        if values:
            filters.append(_filter_clause(key, list(values)))
    for key, values in (("source", parsed.sources), ("lang", parsed.langs), ("topic", parsed.topics)):
        filters += [_filter_clause(key, [value]) for value in dict.fromkeys(values)]
    filters += [_filter_clause(key, values, renames) for key, values in parsed.any_of]
    tz = zone(settings)
    start, end = parse_when(since, tz), parse_when(until, tz, end=True)
    if start and end and start >= end:
        raise empty_period(since, until, tz)
    if start or end:
        bounds = {}
        if start:
            bounds["gte"] = start.isoformat()
        if end:
            bounds["lt"] = end.isoformat()
        filters.append({"range": {"published_at": bounds}})
    if tone is not None:  # `--tone ""` is refused as an unknown tone (it searched every tone), as `mentions` does
        filters.append({"term": {"sentiment.label": tone_label(tone, "--tone")}})
    for company, wanted in (company_tones or {}).items():
        filters.append(tone_toward(company, label=tone_label(wanted, f"--company-tone {company}"), renames=renames))
    if not parsed.text and not filters and not excluded:
        raise NewsroomError("Give a search query or a filter, e.g. newsroom search '\"souveraineté numérique\" "
                            "-Nvidia' or newsroom search --company Nvidia --since 2026-11-01.")
    if parsed.text.strip() not in ("", "*") and not any(char.isalnum() or unicodedata.category(char) == "So"  # an emoji
                                               for char in parsed.text):
        # `~`, `[`, `\`, `:`, `&&` alone: the analysers keep no word of it, so it found nothing, without a word why
        from pipeline.configfiles import shown_value

        raise NewsroomError(f"The search query {shown_value(query.strip())} has no word in it (only punctuation or "
                            "operators), so it can find nothing: give a word, or leave the query out and filter with "
                            "options (--company, --since…).")
    body: dict = {
        "query": {"bool": {"must": [text_query(parsed.text)] if parsed.text else [], "filter": filters,
                           **({"must_not": excluded} if excluded else {})}},
        "size": size,
        "track_total_hits": True,
        "_source": RETURNED,
    }
    # the article id last: ties (a wire story's copies published at one minute) come in one order, run after run
    # and page after page (`--all` reads on from the last hit's sort values)
    if sort == "date" or not parsed.text:
        body["sort"] = [{"published_at": {"order": "desc", "missing": "_last"}}, "_score", {"id": {"order": "asc"}}]
        body["track_scores"] = True
    else:
        body["sort"] = ["_score", {"published_at": {"order": "desc", "missing": "_last"}}, {"id": {"order": "asc"}}]
    if parsed.text:
        spec = {"fragment_size": 160, "number_of_fragments": 2}
        body["highlight"] = {
            "pre_tags": [MARK_START], "post_tags": [MARK_END],
            "max_analyzed_offset": HIGHLIGHT_MAX_ANALYZED_OFFSET,
            # the article's one language field; its exact copy holds the quoted phrases' matches
            "fields": {name: spec for base in SEARCH_FIELDS for name in (base + EXACT_SUFFIX, base)},
        }
        for base in SEARCH_FIELDS:
            if marked := exact_highlight(parsed.text, base):
                body["highlight"]["fields"][base + EXACT_SUFFIX] = {**spec, "highlight_query": marked}
    return body


def exact_highlight(text: str, name: str) -> dict | None:
    """What to mark in the `.exact` copy when a query's phrases are `intervals` (see _any_phrase), which the
    embedded stand-in does not highlight: each of its phrases, or None when the query's own clauses serve."""
    parts = _single_clauses(text)
    if not parts or not any(term.startswith('"') for group in parts[2] for term in group):
        return None
    phrases = [*parts[1], *(term[1:-1] for group in parts[2] for term in group if term.startswith('"'))]
    return {"bool": {"should": [{"match_phrase": {name + EXACT_SUFFIX: phrase}} for phrase in phrases],
                     "minimum_should_match": 1}}


@dataclass
class SearchResults:
    total: int | None  # None for every_article, whose hits are counted as they are written
    hits: list[dict] | Iterator[dict]
    query: str
    sort: str
    notes: list[str] = field(default_factory=list)  # e.g. a --source that no feed and no article has
    # the period searched, as every command gives it: ISO instants with the zone's offset (None: open), header text
    since: str | None = None
    until: str | None = None
    period: str = ""

    def as_dict(self) -> dict:
        return {"query": self.query, "sort": self.sort, "since": self.since, "until": self.until,
                "period": self.period, "total": self.total, "results": self.hits, "notes": self.notes}


def _closest(value: str, names: list[str]) -> list[str]:
    from difflib import get_close_matches

    by_key = {name.casefold(): name for name in names}
    return [by_key[k] for k in get_close_matches(value.casefold(), list(by_key), n=3, cutoff=0.5)]


def _stored(client: Elasticsearch, alias: str, fields: list[str], *values: str) -> bool:
    """Whether any stored article has one of `values` (any case) in one of `fields`."""
    query = {"bool": {"should": [_any_term(name, list(values)) for name in fields], "minimum_should_match": 1}}
    return client.count(index=alias, query=query)["count"] > 0


def unknown_filter_notes(client: Elasticsearch, settings: Settings, alias: str, *, sources: list[str],
                         langs: list[str], topics: list[str]) -> list[str]:
    """A sentence for each --source/--lang/--topic value that nothing can match (a typo reads as a bare 0 otherwise).

    Values named in the feeds file, the topics file or the searched languages are known at once; any other is
    looked up in the store (a feed removed since, a language detected on some page) before it is reported.
    """
    from pipeline.configfiles import shown_value

    notes: list[str] = []
    if sources:
        from pipeline.feeds import load_feeds
        from pipeline.urls import host_spellings

        try:
            feeds = load_feeds(settings=settings)
        except (NewsroomError, OSError):
            feeds = []
        names = [feed.name for feed in feeds]
        known = {n.casefold() for n in names} | {spelling.casefold() for f in feeds
                                                 for spelling in host_spellings(urlsplit(str(f.url)).hostname or "")}
        for value in dict.fromkeys(sources):
            if not {s.casefold() for s in host_spellings(value)} & known and not _stored(
                    client, alias, ["source", "domain"], *host_spellings(value)):
                stored = client.search(index=alias, size=0, aggs={"names": {"terms": {"field": "source", "size": 500}}})
                close = _closest(value, [*names, *(b["key"] for b in stored["aggregations"]["names"]["buckets"])])
                notes.append(f"no feed is named {shown_value(value)} (nor has that domain) and no article comes from it"
                             + (f"; closest feed names: {', '.join(close)}." if close else
                                "; `newsroom feeds list` shows the feed names."))
    if topics:
        from pipeline.topics import load_topics_file, topics_path

        try:
            ids = [topic.id for topic in load_topics_file(topics_path(settings)).topics]
        except (NewsroomError, OSError):
            ids = []
        for value in dict.fromkeys(topic.strip() for topic in topics):
            if value.casefold() not in {i.casefold() for i in ids} and not _stored(client, alias, ["topics"], value):
                notes.append(f"no topic is called {shown_value(value)}; the topics are: "
                             f"{', '.join(ids) or 'none configured'}.")
    for value in dict.fromkeys(lang.strip().lower() for lang in langs):
        if value not in SEARCH_LANGS and not _stored(client, alias, ["lang"], value):
            stored = client.search(index=alias, size=0, aggs={"langs": {"terms": {"field": "lang", "size": 50}}})
            codes = dict.fromkeys([*SEARCH_LANGS, *(b["key"] for b in stored["aggregations"]["langs"]["buckets"])])
            notes.append(f"no article is in language {shown_value(value)}; use a language code such as "
                         f"{', '.join(codes)}.")
    return notes


# The search field holds an article's title, description and text apart (indexing.search_field): a passage spanning
# them keeps them apart, not "… Mistral AI et Nvidia La souveraineté …"
PARTS_BREAK = re.compile(r"\s*\n\n\s*")


def one_line_passage(fragment: str) -> str:
    """A highlighted fragment of a search field on one line, its parts (title, description, text) apart."""
    return " ".join(PARTS_BREAK.sub(" — ", fragment.strip()).split())


def _passages(hit: dict) -> list[str]:
    fragments: list[str] = []
    highlight = hit.get("highlight") or {}
    for base in SEARCH_FIELDS:
        for name in (base + EXACT_SUFFIX, base):
            for fragment in highlight.get(name, []):
                plain = fragment.replace(MARK_START, "").replace(MARK_END, "")
                if all(plain != f.replace(MARK_START, "").replace(MARK_END, "") for f in fragments):
                    fragments.append(one_line_passage(fragment))
    return fragments[:2]


def tone_unread(source: dict) -> bool:
    """Whether a stored article's tone was never read: a language without a model (German, Arabic…: enrichment
    level `partial`) has no `sentiment` since articles mapping version 7, and had a placeholder `neutral 0.0` before,
    which search showed as a tone like any other (hostile input, twelfth round) and `newsroom setup` drops when it
    migrates. An analyst's correction is a tone read."""
    return source.get("enrichment_level") == "partial" and not (source.get("sentiment") or {}).get("corrected")


def _companies(source: dict) -> list[dict]:
    """Each company the article mentions, with the tone toward it (the article's tone when none was measured)."""
    from pipeline.corrections import evidence_of, shown_tone

    toward = {e.get("company"): e for e in source.get("company_sentiment") or [] if e.get("company")}
    article = {} if tone_unread(source) else source.get("sentiment") or {}
    out = []
    for company in source.get("orgs") or []:
        tone = toward.get(company)
        shown = shown_tone(tone)  # once corrected, the model's confidence and evidence are labelled as the model's
        row = {"company": company,
               "tone": (tone or article).get("label"),
               "score": (tone or article).get("score"),
               "measured": tone is not None,
               # why: the sentences that decided it, so an analyst can check a label in seconds
               "confidence": shown.get("confidence"),
               "evidence": shown.get("evidence") or [],
               "corrected_by": shown.get("corrected_by") if shown.get("corrected") else None}
        if shown.get("corrected"):
            row.update({"model_label": shown.get("model_label"), "model_confidence": shown.get("model_confidence"),
                        "model_evidence": evidence_of(shown)})
        out.append(row)
    return out


def search_articles(client: Elasticsearch, settings: Settings, query: str, **options) -> SearchResults:
    """Articles matching `query` (see build_search for the options), with the total hit count.

    Company names in `companies`, `company:` terms and `company_tones` may be aliases in any case; an unknown
    one raises NewsroomError naming the closest watched companies.
    """
    parsed, body, alias = _search_request(client, settings, query, options)
    response = client.search(index=alias, **body)
    renames = renamed(settings)  # each company shown under its name today, whatever name it was stored under
    total = response["hits"]["total"]
    return _results(client, settings, query, parsed, alias, options,
                    hits=[_result_doc(hit, renames) for hit in response["hits"]["hits"]],
                    total=total["value"] if isinstance(total, dict) else int(total))


def every_article(client: Elasticsearch, settings: Settings, query: str, **options) -> SearchResults:
    """`search --all --csv`: every matching article, in the search's order, past the 10,000 one search returns,
    each page highlighted as `search_articles` highlights (store.client.every_hit: a point in time where the
    cluster has one, the sort made unique by the article id). `hits` is an iterator read a page at a time and
    `total` is None: they are counted as they are written. `size` is not read."""
    from pipeline.store.client import every_hit

    options = {**options, "size": 1}  # the page's size is every_hit's
    parsed, body, alias = _search_request(client, settings, query, options)
    renames = renamed(settings)
    # build_search's sort already ends on the article id, unique
    hits = (_result_doc(hit, renames) for hit in every_hit(client, alias, body, tiebreak=[]))
    return _results(client, settings, query, parsed, alias, options, hits=hits, total=None)


def _search_request(client: Elasticsearch, settings: Settings, query: str, options: dict
                    ) -> tuple[ParsedQuery, dict, str]:
    """The parsed query, the request body and the articles alias; company names resolved in `options` (in place)."""
    from pipeline.enrich.watchlist import load_watchlist, resolve_companies, resolve_company, watchlist_path

    parsed = parse_query(query)
    excluded_companies = parsed.excluded.get("company") or []
    grouped = any(key == "company" for key, _ in parsed.any_of)
    if options.get("companies") or parsed.companies or excluded_companies or options.get("company_tones") or grouped:
        watchlist = load_watchlist(watchlist_path(settings.config_dir))
        parsed.any_of = [(key, resolve_companies(values, watchlist) if key == "company" else values)
                         for key, values in parsed.any_of]
        options["companies"] = resolve_companies([*(options.get("companies") or []), *parsed.companies], watchlist)
        parsed.companies = []
        if excluded_companies:
            parsed.excluded["company"] = resolve_companies(excluded_companies, watchlist)
        options["company_tones"] = {resolve_company(c, watchlist): t
                                    for c, t in (options.get("company_tones") or {}).items()}
    # as the results name it; `--sort ""` is refused, not read as relevance
    options["sort"] = one_of("relevance" if options.get("sort") is None else options["sort"], SORTS, "sort")
    body = build_search(settings, query, parsed=parsed, **options)
    alias = index_names(settings.es_index_prefix)["articles"]
    if not client.indices.exists_alias(name=alias):
        raise NewsroomError(f"No articles index ({alias}) yet: run `newsroom setup` and `newsroom ingest` first.")
    return parsed, body, alias


def _result_doc(hit: dict, renames: dict[str, str]) -> dict:
    """One hit as search shows and exports it: every returned field (null when the article has none: one written by
    another tool without `url` or `published_at` ended `search` in a KeyError, and `--json` rows differed in their
    keys), each company under its name today, the tone per company and the matched passages."""
    doc = {**dict.fromkeys(RETURNED), **named_today(stored_article(hit["_source"]), renames)}
    doc["short_id"] = (doc.get("id") or hit["_id"])[:SHORT_ID]
    doc["companies"] = _companies(doc)
    if tone_unread(doc):  # no tone to show, export or filter on: the stored `neutral 0.0` stands for none
        doc["sentiment"] = None
    doc["passages"] = _passages(hit)
    doc["relevance"] = hit.get("_score")  # not a tone: that is sentiment.score
    return doc


def _results(client: Elasticsearch, settings: Settings, query: str, parsed: ParsedQuery, alias: str, options: dict,
             *, hits, total: int | None) -> SearchResults:
    """The results with their notes (the query's, and each filter value nothing can match) and the period."""
    excluded = parsed.excluded

    def grouped_values(key: str) -> list[str]:
        return [value for name, values in parsed.any_of if name == key for value in values]

    notes = parsed.notes + unknown_filter_notes(
        client, settings, alias,
        sources=[*(options.get("sources") or []), *parsed.sources, *excluded.get("source", []),
                 *grouped_values("source")],
        langs=[*(options.get("langs") or []), *parsed.langs, *excluded.get("lang", []), *grouped_values("lang")],
        topics=[*(options.get("topics") or []), *parsed.topics, *excluded.get("topic", []), *grouped_values("topic")])
    tz = zone(settings)
    start, end = parse_when(options.get("since"), tz), parse_when(options.get("until"), tz, end=True)
    return SearchResults(total=total, hits=hits,
                         # filters alone rank nothing: they are listed newest first (build_search), and said so
                         query=query, sort=options.get("sort", "relevance") if parsed.text else "date", notes=notes,
                         since=start and start.isoformat(), until=end and end.isoformat(),
                         period=describe_window(start, end, tz))


# --- rendering a matched passage for each sink -------------------------------------------------------------


def passage_plain(fragment: str) -> str:
    return marked_plain(fragment)


def passage_terminal(fragment: str) -> str:
    """Escaped for rich, the matched words in bold."""
    return marked_terminal(fragment)


def passage_html(fragment: str) -> str:
    """Escaped for HTML, the matched words in <mark>."""
    return marked_html(fragment)


def parse_company_tones(values: list[str] | None) -> dict[str, str]:
    """`COMPANY=negative` options → {company: tone} (company names resolved later)."""
    out: dict[str, str] = {}
    for value in values or []:
        company, sep, tone = value.rpartition("=")
        if not sep or not company.strip():
            from pipeline.configfiles import shown_value

            raise NewsroomError(f"--company-tone {shown_value(value)}: write COMPANY=TONE, e.g. --company-tone "
                                "Mistral=negative.")
        out[company.strip()] = tone_label(tone, f"--company-tone {value}")
    return out
