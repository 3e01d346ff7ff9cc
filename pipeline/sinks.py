"""Strings from the web made safe for each place they end up: terminal, mail header, Slack, HTML.

Titles, feed names, URLs, author names and error texts all come from pages and servers we do not control.
Each sink has its own live syntax (rich markup, header folding, Slack mrkdwn and `<!channel>`, HTML tags), so
every print or message goes through the one function for its sink, and nowhere else escapes on its own.
"""

from __future__ import annotations

import html
import logging
import re
import unicodedata
from functools import lru_cache
from typing import TYPE_CHECKING
from urllib.parse import unquote_plus

if TYPE_CHECKING:
    from email.headerregistry import Address

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")  # control characters, line and paragraph separators
# Invisible characters: Unicode's format and private-use categories (Cf, Co) and its Default_Ignorable_Code_Point
# property. Bidi controls and isolates, zero-width characters, the word joiner and invisible operators, soft hyphens,
# the tag characters that smuggle hidden ASCII, the private-use characters our own highlight markers are; and, drawn
# as nothing too, the combining grapheme joiner, variation selectors and Hangul fillers, which hid a company inside its
# name (« Mis\u034ftral AI », « Mistr\ufe0fal AI ») or made a title look blank (hostile-input audit, third round, #5).
# tests/test_hostile.py checks this list against Python's unicodedata and the `regex` package's Unicode properties.
_INVISIBLE = re.compile(
    "[\u00ad\u034f\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u115f\u1160\u17b4\u17b5\u180b-\u180f"
    "\u200b-\u200f\u202a-\u202e\u2060-\u206f\u3164\ue000-\uf8ff\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufffb"
    "\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0000-\U000e0fff"
    "\U000f0000-\U000ffffd\U00100000-\U0010fffd]")
_INVISIBLE_RUN = re.compile(rf"(?:\s|{_INVISIBLE.pattern})+")
# The Braille pattern blank is a symbol drawn as a space: a title of them looked blank. It is read as a space.
_BLANK = "\u2800"
# Combining marks stacked on one letter (« zalgo »: 300 on one letter ran over the lines above and below it in every
# sink): a letter keeps its first few. Real text stacks at most four or five (Vietnamese, Hebrew points and
# cantillation, Tibetan); NFC text fewer.
MAX_MARKS = 8
_MARK = "[\u0300-\u036f\u0483-\u0489\u0591-\u05bd\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]"
_MARKS_PAST = re.compile(f"({_MARK}{{{MAX_MARKS}}}){_MARK}+")
# Combining marks on no letter (at the start, after a space): a title of nothing else was stored and listed as a
# blank headline, its marks drawn over whatever the sink printed before it (hostile input, fifteenth round).
_LONE_MARKS = re.compile(rf"(?:^|(?<=\s)){_MARK}+")
# Zalgo over a word: the marks Latin, Greek and Cyrillic letters share (and symbols' marks), where no orthography puts
# three on one letter once NFC has composed its accents (« Nguyễn », « é » are one character each; Yoruba's « ẹ́ »
# keeps one, a phonetic « é̃ » two), strikes a letter through (U+0334-U+0338: the ≠ sign is composed), or marks every
# letter of a word. « M̸i̷s̵t̶r̷a̸l̵ A̷I̸ », one mark on each letter, was not linked to its company, and thousands of
# them made a title a wall of marks in the terminal, the HTML report and mail (hostile input, twentieth round).
# Script-specific marks (Hebrew points, Devanagari signs, Thai vowels) are not these.
_SHARED_MARK = "[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]"
_SHARED_MARKS = re.compile(_SHARED_MARK)
_MARKED_WORD = re.compile(rf"(?<!\S)[^\s{_SHARED_MARK[1:-1]}]*+{_SHARED_MARK}\S*")  # from a word's start: linear
_THREE_MARKS = re.compile(rf"{_SHARED_MARK}{{3}}")
_STRUCK = re.compile("[\u0334-\u0338]")
_LETTER = re.compile(r"[^\W_]")
_BARE_LETTER = re.compile(rf"[^\W_](?!{_SHARED_MARK})")
_MARKED_PLAIN_LETTER = re.compile(f"[A-Za-z]{_SHARED_MARK}")
_SPACE = re.compile(r"\s+")
# Lone surrogates: JSON on the web carries them ("\ud83d", half an emoji cut by JavaScript) and UTF-8 cannot encode
# them, so a store write, a hash or a tokenizer failed on them.
_SURROGATE = re.compile("[\ud800-\udfff]")
# Elasticsearch puts these private-use characters around each match (highlight pre/post tags); each sink renders
# them its own way. Web text never holds them: cleaning drops every private-use character.
MARK_START, MARK_END = "\ue000", "\ue001"
_MARKS = re.compile(f"([{MARK_START}{MARK_END}])")


def without_surrogates(text: str) -> str:
    """Each lone surrogate becomes U+FFFD, one character for one (offsets into the text stay right)."""
    return text if text.isascii() else _SURROGATE.sub("\ufffd", text)


# Cyrillic, Greek and Cherokee letters drawn like Latin ones: inside a Latin word (« Мistral » with a Cyrillic М,
# « Ꮇistral » with a Cherokee one) they hide a company from the watchlist and from alerts; no real word mixes the
# scripts, so there they are read as Latin. The Cherokee letters are those Unicode's confusables.txt maps to one Latin
# letter.
_LOOK_ALIKES = str.maketrans(
    "АВЕЅІЈКМНОРСТХУаеіјорсѕхуԁһӏԛԝΑΒΕΖΗΙΚΜΝΟΡΤΥΧοικνρτυχ"
    "\u13a0\u13a1\u13a2\u13a5\u13a9\u13aa\u13ab\u13ac\u13b3\u13b7\u13bb\u13bd\u13c0\u13c2\u13c3\u13cf\u13d2"
    "\u13d4\u13d5\u13d9\u13da\u13de\u13df\u13e2\u13e6\u13e7\u13f3\u13f4",
    "ABESIJKMHOPCTXYaeijopcsxydhlqwABEZHIKMNOPTYXoikvptux"
    "DRTiYAJEWMHYGhZbRWSVSLCPKdGB")
_WORD_RUN = re.compile(r"\w+")
_OTHER_SCRIPT = re.compile(r"[\u0370-\u03ff\u0400-\u052f\u13a0-\u13ff]")
_LATIN = re.compile(r"[A-Za-z]")
# Letters and digits in compatibility forms, drawn like plain ones: mathematical alphanumerics (𝐌𝐢𝐬𝐭𝐫𝐚𝐥), fullwidth
# forms (Ｍｉｓｔｒａｌ), letter-like symbols and Roman numerals (Ⅿistral with U+216F), Latin ligatures (ﬁ). Each is
# read as its NFKC form when that is ASCII letters or digits. Other compatibility characters (™, ½, ①, the ellipsis,
# French typography's no-break spaces) stay as written: NFKC over the whole text would rewrite them.
_COMPAT_LETTER = re.compile("[\u2100-\u218f\ufb00-\ufb06\uff10-\uff19\uff21-\uff3a\uff41-\uff5a"
                            "\U0001d400-\U0001d7ff]")


@lru_cache(maxsize=4096)
def _plain_form(char: str) -> str:
    folded = unicodedata.normalize("NFKC", char)
    return folded if folded.isascii() and folded.isalnum() and unicodedata.category(char)[0] in "LN" else char


def _read_as_latin(match: re.Match) -> str:
    word = match.group()
    if _LATIN.search(word) and _OTHER_SCRIPT.search(word):  # one pass each: linear in the word's length
        return word.translate(_LOOK_ALIKES)
    return word


def without_look_alikes(text: str) -> str:
    """Compatibility letters (mathematical, fullwidth, Roman numerals, ligatures) read as the plain letters they are;
    Cyrillic, Greek and Cherokee look-alikes inside Latin words read as the Latin letters they imitate (a wholly
    Cyrillic, Greek or Cherokee word is left as it is). Linear in the text's length."""
    if text.isascii():
        return text
    if _COMPAT_LETTER.search(text):
        text = _COMPAT_LETTER.sub(lambda m: _plain_form(m.group()), text)
    if _OTHER_SCRIPT.search(text):
        text = _WORD_RUN.sub(_read_as_latin, text)
    return text


def _zalgo_read_plain(match: re.Match) -> str:
    """The word without its shared combining marks when it is written with marks no orthography uses (`_SHARED_MARK`):
    three on one letter once composed, a letter struck through, or a mark on each of two letters or more, one of them
    a plain Latin letter (Yoruba's « ẹ́ẹ̀ » marks letters that already carry an accent); its accents go with them (a
    defaced word's « é » cannot be told from a zalgo mark on « e »). Any other word as it came."""
    word = match.group()
    composed = unicodedata.normalize("NFC", word)
    first = _LETTER.search(composed)
    if (_THREE_MARKS.search(composed) or _STRUCK.search(composed)
            or first and _LETTER.search(composed, first.end()) and not _BARE_LETTER.search(composed)
            and _MARKED_PLAIN_LETTER.search(composed)):
        return unicodedata.normalize("NFC", _SHARED_MARKS.sub("", unicodedata.normalize("NFD", composed)))
    return word


def _without_hidden(text: str) -> str:
    """Invisible characters dropped, blank symbols read as spaces, marks on no letter dropped, words in zalgo read
    plain (`_zalgo_read_plain`) and other stacks of combining marks cut to MAX_MARKS."""
    text = _INVISIBLE.sub("", without_surrogates(text))
    if _BLANK in text:
        text = text.replace(_BLANK, " ")
    text = _LONE_MARKS.sub("", text)
    if _SHARED_MARKS.search(text) and _SHARED_MARKS.search(unicodedata.normalize("NFC", text)):  # not only accents
        text = _MARKED_WORD.sub(_zalgo_read_plain, text)
    return _MARKS_PAST.sub(r"\1", text)


def without_invisible(text: str) -> str:
    """Multi-line text (an article's body) without invisible characters: no stray highlight marker, bidi control or
    zero-width character reaches the store, the models or a sink (and no lone surrogate, which none can encode);
    look-alike letters inside Latin words are read as Latin (`without_look_alikes`)."""
    return without_look_alikes(_without_hidden(text))


def without_invisible_ends(text: str) -> str:
    """`text` without white space and invisible characters (`_INVISIBLE`) at either end: a zero-width space or byte
    order mark pasted before a feed's link made it a relative path of the feed's site. Linear on long runs."""
    start = _INVISIBLE_RUN.match(text)
    text = text[start.end():] if start else text
    end = _INVISIBLE_RUN.match(text[::-1])
    return text[:len(text) - end.end()] if end else text


def visible(text: str) -> str:
    """Control characters become spaces, invisible ones go; line breaks and spacing are otherwise kept; look-alike
    letters inside Latin words are read as Latin."""
    text = _CONTROL.sub(" ", unicodedata.normalize("NFC", without_surrogates(text)))
    return without_look_alikes(_without_hidden(text))


def single_line(value: object, limit: int | None = None) -> str:
    """One line of printable text: control characters and invisible ones (bidi, zero-width, tags) dropped, every
    whitespace run one space."""
    text = _SPACE.sub(" ", visible("" if value is None else str(value))).strip()
    if limit is not None and len(text) > limit:
        text = text[: max(0, limit - 1)].rstrip() + "…"
    return text


# rich's own escape pattern, tried only from the start of a run of backslashes: rich's tries every backslash of a run
# again (20,000 backslashes in a title cost 2.2 s); the matches are the same.
_RICH_TAG = re.compile(r"(?<!\\)(\\*)(\[[a-z#/@][^[]*?])")


def _rich_escape(text: str) -> str:
    """rich's escape, except at a trailing backslash: rich doubles it (else it would escape the markup that
    follows), which shows on screen; a space after it does the same job invisibly."""
    from rich.markup import escape

    return escape(text + " " if text.endswith("\\") else text, _escape=_RICH_TAG.sub)


def for_terminal(value: object, limit: int | None = None, *, lines: bool = False) -> str:
    """For rich's `console.print` (and table cells, progress columns) with markup on: `[/x]` and `[link=…]` become
    plain text. `lines=True` keeps line breaks (a multi-line error message), each line cleaned like `single_line`.
    Print with `terminal_console()`, whose emoji codes are off."""
    if lines:
        return "\n".join(_rich_escape(single_line(line)) for line in ("" if value is None else str(value)).splitlines())
    return _rich_escape(single_line(value, limit))


def marked_pieces(fragment: str) -> list[tuple[str, bool]]:
    """A highlighted fragment as (text, matched) pieces on one line, whatever its markers: an unbalanced or stray
    marker never breaks a sink's markup."""
    pieces: list[tuple[str, bool]] = []
    inside = False
    for part in _MARKS.split(_SPACE.sub(" ", fragment or "").strip()):
        if part in (MARK_START, MARK_END):
            inside = part == MARK_START
            continue
        part = _SPACE.sub(" ", visible(part))
        if pieces and pieces[-1][0].endswith(" ") and part.startswith(" "):
            part = part[1:]  # a stray marker between two spaces
        if part:
            pieces.append((part, inside))
    if pieces:  # a marker at either end leaves a space there
        pieces[0] = (pieces[0][0].lstrip(), pieces[0][1])
        pieces[-1] = (pieces[-1][0].rstrip(), pieces[-1][1])
    return [(text, matched) for text, matched in pieces if text]


def marked_plain(fragment: str, start: str = "", end: str = "") -> str:
    return "".join(f"{start}{text}{end}" if matched else text for text, matched in marked_pieces(fragment)).strip()


def marked_terminal(fragment: str):
    """A rich Text, the matches in bold: a Text is never parsed as markup, so nothing in it needs escaping."""
    from rich.text import Text

    out = Text()
    for text, matched in marked_pieces(fragment):
        out.append(text, style="bold" if matched else "")
    return out


def marked_html(fragment: str) -> str:
    return "".join(f"<mark>{for_html(text)}</mark>" if matched else for_html(text)
                   for text, matched in marked_pieces(fragment))


def marked_slack(fragment: str) -> str:
    """Slack mrkdwn, the matches in *bold*."""
    return "".join(f"*{_slack_text(text)}*" if matched else _slack_text(text)
                   for text, matched in marked_pieces(fragment))


def terminal_console(**options):
    """A rich Console for output holding web strings: markup stays on (for_terminal escapes it), emoji codes are
    off, so a title's ":rotating_light:" prints as written instead of turning into 🚨."""
    from rich.console import Console

    return Console(emoji=False, **options)


# mrkdwn has no escape for its styling characters: look-alikes keep a title's *, _, ~ and ` from restyling the message
_SLACK_STYLE = str.maketrans({"*": "∗", "_": "ˍ", "~": "∼", "`": "ˋ"})


def _slack_text(text: str) -> str:
    return text.translate(_SLACK_STYLE).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def for_slack(value: object, limit: int | None = None) -> str:
    """Slack mrkdwn: `&`, `<`, `>` escaped, so `<!channel>` or `<https://x|click>` stay inert, and styling characters
    replaced by look-alikes, so a title cannot bold, strike or code-format the rest of the message."""
    return _slack_text(single_line(value, limit))


def for_html(value: object) -> str:
    """HTML text or attribute: markup escaped, and invisible characters dropped as for every other sink (`visible`):
    a title stored before its cleaning (a bidi override, 300 combining marks on no letter) reached the HTML report
    and mails as written, reordering or overdrawing the text around it (hostile input, sixteenth round)."""
    return html.escape(visible("" if value is None else str(value)), quote=True)


# What json.dumps(ensure_ascii=False) writes raw that a terminal acts on or draws over its neighbours: C1 controls (NEL,
# the 8-bit CSI U+009B), line separators, invisible characters (bidi overrides) and combining marks on no letter.
# They only ever stand inside JSON strings, where a \\u escape is the same character to a JSON reader.
_JSON_LIVE = re.compile(f"[\x7f-\x9f\u2028\u2029]|{_INVISIBLE.pattern}|(?<![^\\W\\d_]|{_MARK}){_MARK}+")


def _json_escaped(match: re.Match) -> str:
    units = match.group().encode("utf-16-be", "surrogatepass")
    return "".join(f"\\u{units[k]:02x}{units[k + 1]:02x}" for k in range(0, len(units), 2))


def for_json(data: object) -> str:
    """`data` as indented JSON for the terminal (`--json`), accents and other scripts as written: a stored title
    holding a bidi override or a NEL, which json.dumps leaves raw, reached the terminal live (hostile input,
    sixteenth round); they are written as \\u escapes, the same data to whatever reads the JSON."""
    import json

    return _JSON_LIVE.sub(_json_escaped, json.dumps(data, indent=2, ensure_ascii=False, default=str))


# Characters XML 1.0 cannot hold (its `Char` production): C0 controls but tab and line breaks, lone surrogates, U+FFFE
# and U+FFFF. A feed name holding U+FFFE (typed, or written as "\\uFFFE" in feeds.yaml) made `feeds export-opml` write
# a file no XML parser reads, its own `import-opml` included (hostile input, sixteenth round).
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def for_xml(value: object) -> str:
    """Text for an XML document (ElementTree escapes markup; this drops what XML cannot hold at all)."""
    return _NOT_XML.sub("", "" if value is None else str(value))


# A title read by people (the HTML report, alert mails) shows its start, as the terminal does: one stored by another
# tool or an older version may be 100 KB long (JSON, CSV and webhooks keep it whole).
TITLE_SHOWN_CHARS = 300


def shown_title(title: object, url: str | None = None, limit: int | None = None) -> str:
    """A stored title as one line, or its URL (as `display_url` shows it) when nothing visible is left of it: a title
    of combining marks or invisible characters stored before they were cleaned at extraction listed as a blank line
    in `search` and `mentions`, an empty link in the report and the alert mails (hostile input, sixteenth round)."""
    from pipeline.urls import display_url  # urls imports this module

    return single_line(title, limit) or (display_url(url) if url else "")


def for_chart(value: object, limit: int | None = 40) -> str:
    """A matplotlib label: `$…$` would be parsed as mathtext (and a malformed one aborts the whole chart)."""
    return single_line(value, limit).replace("$", r"\$")


_ENCODED_WORD = re.compile(r"=\?")


def for_header(value: object, limit: int = 200) -> str:
    """A mail header value: one line (CR/LF would inject headers; Python's `email` refuses them), and no RFC 2047
    encoded word: `=?utf-8?q?x=0D=0ABcc:_victim?=` is plain ASCII, but Python's `email` decodes it when the header is
    set and (CVE-2024-6923, Python before 3.11.10 / 3.12.5) writes the decoded CR/LF out as new headers. A space
    after `=` leaves the text readable and inert."""
    return _ENCODED_WORD.sub("= ?", single_line(value, limit))


_NOT_PUBLIC_NAMES = ("localhost", ".localhost", ".local", ".internal", ".home.arpa")


def linkable(url: str | None) -> bool:
    """Whether a stored URL may become a live link in a report or a message: http(s), no `user@` part (which hides
    the real host: `http://bank.example@10.0.0.1/`), and no host that names a private or local address in any
    spelling (`127.1`, `2130706433`, `0x7f.1`). Fetching has its own, stricter check; this one guards readers."""
    import ipaddress
    from urllib.parse import urlsplit

    if not url:
        return False
    try:
        parts = urlsplit(str(url))
        host = (parts.hostname or "").rstrip(".")
        parts.port  # noqa: B018 - raises ValueError on a port past 65535
    except ValueError:
        return False
    if parts.scheme not in ("http", "https") or not host or "@" in parts.netloc or "\\" in str(url):
        return False
    if "." not in host and ":" not in host:  # a single-label name (`http://intranet/`) is a local one
        return False
    if host.endswith(_NOT_PUBLIC_NAMES) or host in ("localhost",):
        return False
    try:
        return ipaddress.ip_address(host.strip("[]")).is_global
    except ValueError:
        pass
    # browsers read `2130706433`, `0177.0.0.1` or `0x7f.1` as addresses too: not linked
    return not all(re.fullmatch(r"0x[0-9a-f]*|[0-9]+", label) for label in host.split("."))


def link_target(url: str) -> str:
    """A linkable URL (no `user@` part) with its host in ASCII (IDNA, `xn--…`), as browsers send it: a link's target
    then shows what it is, not a look-alike of another site's name (`аpple.com` with a Cyrillic а). Unchanged when it
    cannot be encoded. A credential in its query (`?token=…`, `secret_param`) is masked, as in the plain-text mail:
    a link in an HTML mail, a Slack message or a shared report must not hand a subscriber's token to every reader."""
    from urllib.parse import urlsplit, urlunsplit

    import idna  # httpx's own dependency

    url = mask_url(url)
    parts = urlsplit(url)
    host = parts.hostname or ""
    if host.isascii():
        return url
    try:
        ascii_host = idna.encode(host, uts46=True).decode("ascii")
    except (UnicodeError, idna.IDNAError):
        return url
    return urlunsplit(parts._replace(netloc=ascii_host + (f":{parts.port}" if parts.port is not None else "")))


# Query parameters whose value is a credential. A name is read as the server reads it (percent-decoded: `%74oken` is
# `token`), split into its words (`accessToken`, `X-Amz-Signature`, `client_secret`, `ASP.NET_SessionId`), and is a
# credential when one word is one of SECRET_WORDS or ends with one of SECRET_ENDINGS (`accesstoken`, `phpsessid`).
# An exact list missed `accessToken`, `authToken`, `sid` and S3's presigned `X-Amz-Credential`/`Signature`/
# `Security-Token` (hostile-input audit, third round, #8).
SECRET_WORDS = frozenset({"token", "secret", "password", "passwd", "pwd", "pass", "signature", "sig", "credential",
                          "credentials", "key", "apikey", "session", "sessionid", "sid", "auth", "authorization",
                          "jwt", "otp", "private"})
SECRET_ENDINGS = ("token", "secret", "password", "passwd", "signature", "credential", "credentials", "apikey",
                  "sessionid", "sessid")
_NAME_WORD = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")
# Both patterns are linear: a URL's scheme is only tried from the start of a run of scheme characters, and a query
# parameter's name stops at the next `?`. Tried from every position, a 40 KB item link (`?a?a?a…`) or a long word in
# an error message cost seconds of CPU per call (quadratic), in the collector's event loop: three such links held
# a run 63 s and an innocent site's pages timed out (hostile-input audit, fifth round).
_URL_IN_TEXT = re.compile(r"""(?<![a-zA-Z0-9+.-])[a-zA-Z][a-zA-Z0-9+.-]*://[^\s<>"'`]+""")
_USERINFO = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*://)[^/?#@]*@")
# a parameter of the query, or of the fragment (`#access_token=…`: OAuth's implicit flow puts it there)
_SECRET_QUERY = re.compile(r"([?&;#])([^=&;#?]+)=([^&;#]*)")


def secret_param(name: str) -> bool:
    """Whether a URL parameter of this name carries a credential (see SECRET_WORDS)."""
    words = [word.lower() for word in _NAME_WORD.findall(unquote_plus(name))]
    return any(word in SECRET_WORDS or word.endswith(SECRET_ENDINGS) for word in words)


def mask_url(url: object) -> str:
    """A URL safe for logs, run records and state: `user:pass@` and `?token=…`-like values become `***`.

    The URL still names the host and path, so a reader can tell which feed failed.
    """
    text = "" if url is None else str(url)
    text = _USERINFO.sub(r"\1***@", text)

    def query(match: re.Match) -> str:
        name = match.group(2)
        if match.group(3) and secret_param(name):
            return f"{match.group(1)}{name}=***"
        return match.group(0)

    return _SECRET_QUERY.sub(query, text)


def shown_url(url: str) -> str:
    """A URL for plain text, where mail clients link whatever looks like a URL: a linkable one (`linkable`) in the form
    a link would take (`link_target`: credentials masked, host in ASCII, so `аpple.com` shows as `xn--pple-43d.com`);
    any other (`localhost`, `0x7f.1`, `2130706433`, `[::ffff:127.0.0.1]`, `user@` hosts) defanged, `hxxp://` and
    `[.]` in its host, so no client links it to the reader's own network."""
    if linkable(url):
        return link_target(url)
    masked = mask_url(url)
    scheme, sep, rest = masked.partition("://")
    if not sep:
        return masked.replace(".", "[.]")
    host = re.match(r"[^/?#]*", rest).group()
    defanged = {"http": "hxxp", "https": "hxxps"}.get(scheme.lower(), scheme.replace("t", "x"))
    return f"{defanged}://{host.replace('.', '[.]')}{rest[len(host):]}"


def mask_secrets(text: object) -> str:
    """`mask_url` applied to every URL inside a free text (error messages quote the URL they failed on)."""
    return _URL_IN_TEXT.sub(lambda m: mask_url(m.group(0)), "" if text is None else str(text))


# A log line's length at most: a feed item's 100 KB link, quoted twice in "page … not used (…)", made one INFO line of
# 200 KB in an Airflow task's log (hostile input, thirteenth round); no message of ours needs more.
MAX_LOG_LINE = 4_000


class LogLine(logging.Filter):
    """Log lines carry no secret from a URL, and, without -v, no traceback: one line per problem (the details,
    tracebacks included, are what -v is for). A message is one line of printable text (`single_line`): they quote
    web strings (a feed's advertised links, a parser's error): an ESC sequence or a bidi override in one reached the
    terminal live, and a line break could forge a log line of its own (hostile-input audit, tenth round); the
    Airflow tasks' logs too (eleventh round), and at most MAX_LOG_LINE characters."""

    def __init__(self, verbose: bool) -> None:
        super().__init__()
        self.verbose = verbose

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg, record.args = mask_secrets(record.getMessage()), None
        if not self.verbose:
            if record.exc_info and record.exc_info[1] is not None:
                record.msg += f" ({type(record.exc_info[1]).__name__}: {mask_secrets(record.exc_info[1])})"
            elif getattr(record, "exc_summary", None):  # a record of the collector process (pipeline.collect)
                record.msg += f" ({mask_secrets(record.exc_summary)})"
            record.exc_info, record.exc_text, record.stack_info = None, None, None
        record.msg = single_line(record.msg, MAX_LOG_LINE)
        return True


def clean_log_lines(verbose: bool) -> None:
    """Every handler of the root logger, the CLI's or an Airflow task's, writes `LogLine`s (once, however often
    this is called)."""
    for handler in logging.getLogger().handlers:
        for old in [f for f in handler.filters if isinstance(f, LogLine)]:
            handler.removeFilter(old)
        handler.addFilter(LogLine(verbose))


def quiet_library_logs() -> None:
    """Libraries' own lines where our code already reports the outcome in one sentence: the Elasticsearch client
    logs every request (31 of 44 lines of an indexing task's log) and each retry of an unreachable node as a warning
    with a traceback; trafilatura logs "discarding data: None" for an empty body, without the URL."""
    logging.getLogger("elastic_transport").setLevel(logging.ERROR)
    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)


def mail_address(value: str) -> Address:
    """`a@b.org` or `Name <a@b.org>` as a header object: the header registry refuses CR/LF and malformed addresses.
    Here, beside `for_header`, rather than with the delivery code: settings check the sender with it, and a light
    command should not import the alerts package to read its settings."""
    from email.errors import HeaderParseError
    from email.headerregistry import Address
    from email.utils import parseaddr

    name, spec = parseaddr(value)
    if not spec or "@" not in spec:
        raise ValueError(f"{value!r} is not an e-mail address")
    try:
        return Address(display_name=for_header(name), addr_spec=spec)
    except (ValueError, IndexError, HeaderParseError) as exc:
        raise ValueError(f"{value!r} is not an e-mail address ({exc})") from None
