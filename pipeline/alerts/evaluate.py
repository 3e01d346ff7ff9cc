"""Queries behind the alerts: rule → Elasticsearch bool query over articles, and company volume spikes over mentions.

Everything a rule means is expressed in the query (so `newsroom alerts test` and a real run agree); the reasons shown
to readers are rebuilt from the matching document and the highlights.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta

from elasticsearch import Elasticsearch

from pipeline.alerts.rules import Rule
from pipeline.alerts.state import parse_time, recent_spike_subjects
from pipeline.companies import current_name, named_today, names_of
from pipeline.search import APOSTROPHES, PARTS_BREAK, as_typed, source_clause, tone_toward
from pipeline.settings import Settings
from pipeline.sinks import MARK_END, MARK_START, marked_html, marked_pieces, marked_plain, marked_slack
from pipeline.store.shapes import stored_article
from pipeline.store.templates import SEARCH_LANGS, SEARCH_OTHER, index_names

BASE_TEXT_FIELDS = ["title", "description", "text"]  # standard analyser: exact words, any language
LANG_TEXT_FIELDS = {"fr": ["title.fr", "text.fr"], "en": ["title.en", "text.en"]}  # stemmed: plurals, elisions
# A `query_string`'s words are read where `newsroom search` reads them: the article's one full-text field for its
# language (title, description and text; French stemmed, English stemmed with accents folded, other languages
# folded: pipeline.store.templates.SEARCH), so `souverainete` finds « souveraineté » in English copy as search does.
SEARCH_TEXT_FIELDS = [f"search.{lang}" for lang in (*SEARCH_LANGS, SEARCH_OTHER)]
# Keywords are phrases matched word for word: every word kept (no stopwords, no stemming), case, accents and
# elisions ignored. On the stemmed French fields, "AI Act" would match every "act" ("ai" is a French stopword).
EXACT_FIELDS = ["title.exact", "description.exact", "text.exact"]
HIGHLIGHT_FIELDS = ("text.exact", "text", "text.fr", "text.en", "title.exact", "title", "title.fr", "title.en")
# a `query_string` rule's words are matched in the search fields: its snippet is read there first
QUERY_HIGHLIGHT_FIELDS = tuple(SEARCH_TEXT_FIELDS)
# keywords are read as search reads them (keyword_clause): phrases on the search fields' exact copies, words stemmed
KEYWORD_HIGHLIGHT_FIELDS = tuple(f"{name}{suffix}" for name in SEARCH_TEXT_FIELDS for suffix in (".exact", ""))
HIGHLIGHT_MAX_ANALYZED_OFFSET = 900_000  # past this, highlighting stops instead of failing the rule (ES limit 1e6)
RETURNED = ["id", "url", "title", "source", "lang", "published_at", "indexed_at", "orgs", "sentiment",
            "company_sentiment", "feed_tags", "topics", "description"]
PAGE = 500  # one query per run in practice (the stand-in rescans the index for each page)


@dataclass
class AlertItem:
    """One thing to tell readers about: a matching article, or a company's volume spike."""

    rule: str
    subject: str  # article id, or "volume:<company>:<bucket>"
    title: str
    url: str | None = None
    source: str | None = None
    published_at: str | None = None
    indexed_at: str | None = None
    lang: str | None = None
    sentiment: float | None = None  # article tone
    company_sentiment: dict[str, float] = field(default_factory=dict)  # tone toward each watched company mentioned
    # the stored tones behind those scores: label, confidence, evidence sentences, analyst correction
    article_tone: dict = field(default_factory=dict)
    company_tones: dict[str, dict] = field(default_factory=dict)
    snippet: str = ""  # with MARK_START/MARK_END around matches
    reasons: list[str] = field(default_factory=list)
    company: str | None = None
    related: list[dict] = field(default_factory=list)  # volume spikes: latest articles

    def as_dict(self) -> dict:
        data = asdict(self)
        data["snippet"] = plain_snippet(self.snippet)
        return data


def tone_details(item: AlertItem) -> list[tuple[str, list[str]]]:
    """("Mistral AI: negative -0.60, confidence 0.87", evidence sentences) for each tone with more to show than its
    score (evidence, a confidence, an analyst's correction). Once corrected, the line says what the model said and
    the evidence is captioned as the model's. Plain text: each channel escapes it."""
    from pipeline.corrections import evidence_caption, evidence_of, tone_notes, tone_summary

    def summary(who: str, tone: dict) -> str:  # two sentences, not glued: "…, 0.62). The model's evidence for …:"
        caption = evidence_caption(tone)
        return f"{who}: {tone_summary(tone)}" + (f". {caption[:1].upper()}{caption[1:]}" if caption else "")

    tones = [("article", item.article_tone), *item.company_tones.items()]
    return [(summary(who, tone), evidence_of(tone)) for who, tone in tones
            if tone and (evidence_of(tone) or tone_notes(tone))]


def plain_snippet(snippet: str) -> str:
    return marked_plain(snippet, "«", "»")


def html_snippet(snippet: str) -> str:
    return marked_html(snippet)


def slack_snippet(snippet: str) -> str:
    return marked_slack(snippet)


# ------------------------------------------------------------------------------------------------------------
# Match rules
# ------------------------------------------------------------------------------------------------------------


def _range(min_value: float | None, max_value: float | None) -> dict:
    bounds = {}
    if min_value is not None:
        bounds["gte"] = min_value
    if max_value is not None:
        bounds["lte"] = max_value
    return bounds


def text_fields(rule: Rule) -> list[str]:
    """Analysed fields to search: a rule limited to French articles needs no English stemming, and vice versa."""
    langs = [lang for lang in rule.languages if lang in LANG_TEXT_FIELDS] or list(LANG_TEXT_FIELDS)
    return BASE_TEXT_FIELDS + [name for lang in langs for name in LANG_TEXT_FIELDS[lang]]


def query_fields(rule: Rule) -> list[str]:
    """The search fields a rule's `query_string` reads: those of its languages (any other language: `search.other`),
    all of them when it names none. Each article fills only its own language's field, so a word is matched in one
    analysed copy per article, as `newsroom search` does."""
    if not rule.languages:
        return list(SEARCH_TEXT_FIELDS)
    wanted = {f"search.{lang if lang in SEARCH_LANGS else SEARCH_OTHER}" for lang in rule.languages}
    return [name for name in SEARCH_TEXT_FIELDS if name in wanted]


_HYPHENATED_WORD = re.compile(r"\w[\w'’.]*(?:-[\w'’.]+)+")
# A `/` inside a word (`TCP/IP`, `24/7`, `and/or`): Lucene's parser, which real Elasticsearch's `query_string` uses,
# allows no `/` in a term and reads one as the start of a regular expression (`TCP/IP` is refused, `TCP/IP or 24/7`
# searched the regex `IP or 24`); luqum and the embedded stand-in read it as a word, so nothing showed it.
_SLASHED_WORD = re.compile(r"[^\s/\\*?]+(?:/[^\s/\\*?]+)+")
# A `&` inside a word (`AT&T`, `S&P`, `R&D`): the analysers split it in two, and the English one drops "at" (a stop
# word), so `AT&T` matched every English article with a lone "t" (T-Mobile): its quoted phrase, as search reads it.
_AMPERSAND_WORD = re.compile(r"[^\s&\\*?]+(?:&[^\s&\\*?]+)+")


def _rewritten(query: str, rewrite) -> str:
    """`query` parsed as Lucene, rewritten node by node, and printed back; as written when it does not parse (ply and
    luqum raise a few unrelated types), since Elasticsearch then gives the real reason."""
    from luqum.parser import parser

    try:
        tree = parser.parse(query)
    except Exception:  # noqa: BLE001
        return query
    return str(rewrite(tree))


def hyphenated_phrases(query: str) -> str:
    """`start-up` → `("start-up" OR "start-ups" OR startup)` in a rule's Lucene query: both parts, adjacent (Lucene's
    classic parser keeps an inner hyphen in the term, which the analyser then splits), never "start NOT up" as the
    embedded stand-in reads it; its plural and its hyphen-less form, and a possessive with or without it, as search
    reads it (pipeline.search.compound_forms). A word with a `/` inside (`TCP/IP`, `24/7`) is its quoted phrase too,
    never a regular expression (_SLASHED_WORD); in a word with a wildcard it is a word break (`TCP/IP*` → `(tcp AND
    ip*)`). So is a word with a `&` inside (`AT&T`: "at" then "t", _AMPERSAND_WORD). Fields, ranges (dates),
    wildcards, fuzziness, regexes (`/souver.*/`, starting a term), escapes and quoted phrases are left as written."""
    from luqum.tree import From, Fuzzy, Group, OrOperation, Phrase, Proximity, Range, Regex, To, Word

    from pipeline.search import compound_forms

    def quote(node):
        if isinstance(node, Word) and _HYPHENATED_WORD.fullmatch(node.value):
            phrases, joined = compound_forms(node.value)
            if len(phrases) == 1 and joined is None:
                return Phrase(f'"{node.value}"', head=node.head, tail=node.tail)
            forms = [Phrase(f'"{form}"') for form in phrases] + ([Word(joined)] if joined else [])
            for i, form in enumerate(forms):
                form.head, form.tail = (" " if i else ""), (" " if i < len(forms) - 1 else "")
            return Group(OrOperation(*forms), head=node.head, tail=node.tail)
        if isinstance(node, Word) and _AMPERSAND_WORD.fullmatch(node.value):
            return Phrase(f'"{node.value}"', head=node.head, tail=node.tail)
        if isinstance(node, Word) and "/" in node.value:  # never a regular expression: a phrase, or a word break
            if _SLASHED_WORD.fullmatch(node.value):
                return Phrase(f'"{node.value}"', head=node.head, tail=node.tail)
            node.value = re.sub(r"(?<!\\)/", "-", node.value)  # `TCP/IP*`: a word break, as the analysers read it
            return node
        if not isinstance(node, (Word, Phrase, Range, From, To, Fuzzy, Proximity, Regex)):
            node.children = [quote(child) for child in node.children]
        return node

    return _rewritten(query, quote)


_WILDCARD = re.compile(r"(?<!\\)[*?]")


def exact_terms(query: str) -> str:
    """Quoted phrases and wildcard words with no field of their own go to the `.exact` copies, as in `newsroom
    search`: a phrase keeps every word there ("AI Act" on the French-stemmed fields is just "act", "ai" being a
    stopword), and a prefix matches words as written, case, accents and elisions folded (`Sénat*` → `senat*`), not
    the stems of the other fields (`énergie*` never matched "energ"). Run after hyphenated_phrases."""
    from luqum.parser import parser
    from luqum.tree import Boost, Fuzzy, Phrase, Proximity, Range, Regex, SearchField, Word

    from pipeline.search import fold, prefix_terms

    def on_exact(node, value: str):
        group = parser.parse("(" + " OR ".join(f"{name}:{value}" for name in EXACT_FIELDS) + ")")
        group.head, group.tail = node.head, node.tail
        return group

    def route(node):
        if isinstance(node, (Phrase, Proximity)):
            return on_exact(node, str(node).strip())
        if isinstance(node, Word):
            if not _WILDCARD.search(node.value):
                return node
            if node.value.endswith("*") and "?" not in node.value and "*" not in node.value[:-1]:
                return on_exact(node, prefix_terms(node.value).replace(" ", " AND "))
            return on_exact(node, fold(node.value))
        if isinstance(node, (SearchField, Range, Regex, Fuzzy)):  # a field the rule names, a range: as written
            return node
        if isinstance(node, Boost) or node.children:
            node.children = [route(child) for child in node.children]
        return node

    return _rewritten(query, route)


def search_spellings(query: str) -> str:
    """Plain words of a rule's Lucene query as `newsroom search` reads them (pipeline.search): a French elision
    dropped (`l'Élysée` → `Élysée`: the English field strips none) and a word with an apostrophe inside typed either
    way (`aujourd'hui` → `(aujourd'hui OR aujourd’hui)`: the stemmed fields keep the apostrophe as written, and French
    copy mostly types ’). Terms with a field of their own, phrases, wildcards, ranges, fuzziness and regexes are left
    as written. Run after exact_terms."""
    from luqum.parser import parser
    from luqum.tree import Fuzzy, Phrase, Proximity, Range, Regex, SearchField, Word

    from pipeline.search import apostrophe_variants, strip_elisions

    def spell(node):
        if isinstance(node, Word):
            if _WILDCARD.search(node.value) or "\\" in node.value:
                return node
            word = strip_elisions(node.value) or node.value
            variants = apostrophe_variants(word)
            try:
                group = parser.parse(variants[0] if len(variants) == 1 else "(" + " OR ".join(variants) + ")")
            except Exception:  # noqa: BLE001 - kept as written; Elasticsearch gives the real reason
                return node
            group.head, group.tail = node.head, node.tail
            return group
        if isinstance(node, SearchField) and node.name == "lang":  # codes are stored lower-case: `lang:FR` is fr
            inner = [node.expr]
            while inner:
                leaf = inner.pop()
                if isinstance(leaf, (Word, Phrase)):
                    leaf.value = leaf.value.lower()
                inner.extend(leaf.children)
            return node
        if isinstance(node, (SearchField, Phrase, Proximity, Range, Regex, Fuzzy)):
            return node
        node.children = [spell(child) for child in node.children]
        return node

    return _rewritten(query, spell)


def rule_text_query(rule: Rule) -> str:
    """The rule's `query_string` as sent: French operators in English, hyphenated words quoted (a hyphen pasted as
    U+2011 too), phrases and wildcards on the exact copies, words spelt as search reads them."""
    from pipeline.search import french_operators

    return search_spellings(exact_terms(hyphenated_phrases(french_operators(as_typed(rule.query_string or "")))))


def query_clause(rule: Rule) -> dict:
    """The rule's `query_string` as one Elasticsearch clause. A `source:` term in it reads a feed name or a domain in
    any case, as search's `source:` and the rule's `sources` do (pipeline.search.source_clause): the query is then
    sent as a bool query of its parts, each `source:` term a source clause, the rest `query_string` as before (sent
    whole, `source:"le monde"` was a keyword matched as written, case included, and a domain never)."""
    fields = query_fields(rule)
    text = rule_text_query(rule)

    def as_query_string(node) -> dict:
        return {"query_string": {"query": str(node).strip(), "fields": fields, "default_operator": "AND"}}

    if "source:" not in text:
        return as_query_string(text)
    from luqum.parser import parser
    from luqum.tree import (AndOperation, BaseGroup, Not, OrOperation, Phrase, Plus, Prohibit, SearchField,
                            UnknownOperation, Word)

    try:
        tree = parser.parse(text)
    except Exception:  # noqa: BLE001 - sent as written: Elasticsearch gives the real reason
        return as_query_string(text)

    def has_source(node) -> bool:
        stack = [node]
        while stack:
            item = stack.pop()
            if isinstance(item, SearchField) and item.name == "source":
                return True
            stack.extend(item.children)
        return False

    def clause(node, in_source: bool = False) -> dict:
        if not in_source and not has_source(node):
            return as_query_string(node)
        if isinstance(node, SearchField) and node.name == "source":
            return clause(node.expr, True)
        if in_source and isinstance(node, Phrase):
            return source_clause([node.value[1:-1]])
        if in_source and isinstance(node, Word) and not _WILDCARD.search(node.value) and "\\" not in node.value:
            return source_clause([node.value])
        if in_source and isinstance(node, (Word, Phrase)):  # a wildcard or an escape: matched as written
            return {"query_string": {"query": f"source:{node}", "default_operator": "AND"}}
        if isinstance(node, (AndOperation, UnknownOperation)):  # the implicit operator is AND, as sent otherwise
            return {"bool": {"must": [clause(child, in_source) for child in node.children]}}
        if isinstance(node, OrOperation):
            return {"bool": {"should": [clause(child, in_source) for child in node.children],
                             "minimum_should_match": 1}}
        if isinstance(node, (Not, Prohibit)):
            return {"bool": {"must_not": [clause(node.a, in_source)]}}
        if isinstance(node, (Plus, BaseGroup)):
            return clause(node.children[0], in_source)
        return as_query_string(node) if not in_source else {"query_string": {"query": f"source:{node}"}}

    return clause(tree)


def _keyword_query(keyword: str, fields: list[str]) -> dict:
    return {"multi_match": {"query": keyword, "fields": fields, "type": "phrase"}}


# A keyword that is one word (letters and digits, maybe joined by hyphens or apostrophes: `souveraineté`, `start-up`,
# `l'IA`, `covid-19`) is read as that word typed alone in `newsroom search`; any other as the quoted phrase.
_ONE_WORD = re.compile(rf"\w+(?:[-{APOSTROPHES}]\w+)*")


def keyword_search(keyword: str) -> str:
    """The `newsroom search` query a keyword lists the same articles as: one word as typed (`souveraineté` → stemmed
    in the article's language, « souverainetés » too; `start-up` → its four spellings), several words as their quoted
    phrase (`"AI Act"`: every word, adjacent, never a lone "act"). Matched word for word on the `.exact` copies,
    `souveraineté` missed « souverainetés » and `start-up` « startups », which search finds."""
    words = as_typed(keyword).replace('"', " ").split()
    return words[0] if len(words) == 1 and _ONE_WORD.fullmatch(words[0]) else '"' + " ".join(words) + '"'


def keyword_clause(keyword: str) -> dict:
    """One keyword as `newsroom search` reads keyword_search(keyword): each article in its own language's field."""
    from pipeline.search import parse_query, text_query

    return text_query(parse_query(keyword_search(keyword)).text)


def _keyword_highlight(keyword: str) -> list[dict]:
    """What to mark for a keyword in the search fields: its clause, and its phrases on the `.exact` copies (an
    `intervals` clause, a hyphenated word's spellings, is not highlighted by the embedded stand-in)."""
    from pipeline.search import exact_highlight, parse_query

    text = parse_query(keyword_search(keyword)).text
    return [keyword_clause(keyword), *(marked for name in SEARCH_TEXT_FIELDS if (marked := exact_highlight(text, name)))]


def rule_conditions(rule: Rule) -> list[tuple[str, dict]]:
    """The rule as named conditions, all of which must hold (the query is their conjunction)."""
    conditions: list[tuple[str, dict]] = []
    if rule.companies:
        if rule.min_mentions > 1:
            clause = {"bool": {"should": [{"terms": {"orgs": names_of(c, rule._renames)}} for c in rule.companies],
                               "minimum_should_match": rule.min_mentions}}
            conditions.append((f"mentions at least {rule.min_mentions} of {', '.join(rule.companies)}", clause))
        else:
            conditions.append((f"mentions {' or '.join(rule.companies)}", {"terms": {"orgs": [
                name for c in rule.companies for name in names_of(c, rule._renames)]}}))
    if rule.keywords:
        clause = {"bool": {"should": [keyword_clause(k) for k in rule.keywords], "minimum_should_match": 1}}
        conditions.append((f"contains {' or '.join(repr(k) for k in rule.keywords)}", clause))
    if rule.query_string and rule.query_string.strip():
        conditions.append((f"matches query {rule.query_string!r}", query_clause(rule)))
    if rule.languages:
        conditions.append((f"language {'/'.join(rule.languages)}", {"terms": {"lang": rule.languages}}))
    if rule.sources:
        conditions.append((f"source {' or '.join(rule.sources)}", source_clause(rule.sources)))
    if rule.tags:
        conditions.append((f"feed tag {' or '.join(rule.tags)}", {"terms": {"feed_tags": rule.tags}}))
    if rule.topics:
        conditions.append((f"topic {' or '.join(rule.topics)}", {"terms": {"topics": rule.topics}}))
    if rule.has_sentiment_filter:
        bounds = _range(rule.min_sentiment, rule.max_sentiment)
        wanted = _describe_bounds(rule)
        if rule.sentiment_target == "company":
            # company by company: the tone measured toward it, or the article's where none was (as in the mentions
            # index); a tone measured toward one listed company no longer hides the article's tone for another
            clause = {"bool": {"should": [tone_toward(company, score=bounds, renames=rule._renames)
                                          for company in rule.companies],
                               "minimum_should_match": 1}}
            conditions.append((f"tone toward {' or '.join(rule.companies)} {wanted}", clause))
        else:
            conditions.append((f"article tone {wanted}", {"range": {"sentiment.score": bounds}}))
    return conditions


def _within(rule: Rule, score: float | None) -> bool:
    return score is not None and (rule.min_sentiment is None or score >= rule.min_sentiment) and (
        rule.max_sentiment is None or score <= rule.max_sentiment)


def _describe_bounds(rule: Rule) -> str:
    parts = []
    if rule.min_sentiment is not None:
        parts.append(f"≥ {rule.min_sentiment:+.2f}")
    if rule.max_sentiment is not None:
        parts.append(f"≤ {rule.max_sentiment:+.2f}")
    return " and ".join(parts)


def rule_query(rule: Rule, since: datetime | None = None, ids: list[str] | None = None) -> dict:
    filters = [clause for _, clause in rule_conditions(rule)]
    if since is not None:
        filters.append({"range": {"indexed_at": {"gte": since.astimezone(UTC).isoformat()}}})
    if ids:
        filters.append({"ids": {"values": ids}})
    return {"bool": {"filter": filters}}


def _highlight(rule: Rule) -> dict:
    fields = text_fields(rule)
    should = [marked for k in rule.keywords for marked in _keyword_highlight(k)]
    shown = HIGHLIGHT_FIELDS
    if rule.keywords:
        # keywords are matched in the search fields: the snippet is read there alone, the companies marked there too
        # (highlighting the eight older text fields besides doubled the cost: a page of 500 matches on the embedded
        # store took over 30 s)
        should += [_keyword_query(c, query_fields(rule)) for c in rule.companies]
        shown = KEYWORD_HIGHLIGHT_FIELDS
    else:
        should += [_keyword_query(c, fields) for c in rule.companies]
    if rule.query_string and rule.query_string.strip():
        searched = query_fields(rule)
        should.append({"query_string": {"query": rule_text_query(rule), "fields": searched,
                                        "default_operator": "OR"}})
        # the companies marked beside the query's words, in the fields the snippet is read from first
        should += [_keyword_query(c, searched) for c in rule.companies if not rule.keywords]
        shown = tuple(dict.fromkeys((*QUERY_HIGHLIGHT_FIELDS, *shown)))
    spec: dict = {
        "pre_tags": [MARK_START],
        "post_tags": [MARK_END],
        "max_analyzed_offset": HIGHLIGHT_MAX_ANALYZED_OFFSET,
        "fields": {name: {"fragment_size": 220, "number_of_fragments": 1} for name in shown},
    }
    if should:
        spec["highlight_query"] = {"bool": {"should": should}}
    return spec


_ADJACENT_MARKS = re.compile(MARK_END + r"(\s+)" + MARK_START)


def _snippet(hit: dict) -> str:
    """The first highlighted fragment, a phrase's words joined under one mark ("«Mistral AI»", not "«Mistral» «AI»")."""
    highlights = hit.get("highlight") or {}
    for name in (*KEYWORD_HIGHLIGHT_FIELDS, *HIGHLIGHT_FIELDS):  # only keywords and query_string mark search fields
        if highlights.get(name):
            # a search field holds the title, description and text apart (indexing.search_field): kept apart
            fragment = PARTS_BREAK.sub(" — ", highlights[name][0].strip())
            return _ADJACENT_MARKS.sub(r"\1", fragment)
    source = stored_article(hit["_source"])
    return (source.get("description") or "")[:220]


def _reasons(rule: Rule, source: dict, snippet: str) -> list[str]:
    reasons: list[str] = []
    orgs = source.get("orgs") or []
    toward = {e.get("company"): e.get("score") for e in source.get("company_sentiment") or []}
    hit_companies = [c for c in rule.companies if c in orgs]
    if hit_companies:
        reasons.append(f"mentions {', '.join(hit_companies)}")
    if rule.keywords or rule.query_string:
        marked = [text for text, matched in marked_pieces(snippet) if matched]
        matched = ", ".join(dict.fromkeys(marked)) if marked else "(in the text)"
        what = "keyword" if rule.keywords else "query"
        reasons.append(f"{what} match: {matched}")
    if rule.has_sentiment_filter:
        if rule.sentiment_target == "company":
            article = (source.get("sentiment") or {}).get("score")
            tones = {company: toward.get(company) for company in hit_companies or rule.companies
                     if toward.get(company) is not None or company in orgs}
            # the companies whose tone meets the bounds are why the rule fired, not another one it lists
            within = [c for c, score in tones.items() if _within(rule, article if score is None else score)]
            for company in within or list(tones):
                score = tones[company]
                if score is not None:
                    reasons.append(f"tone toward {company} {score:+.2f} ({_describe_bounds(rule)})")
                else:
                    reasons.append(f"no tone measured toward {company}; article tone {article:+.2f} "
                                   f"({_describe_bounds(rule)})")
        else:
            reasons.append(f"article tone {(source.get('sentiment') or {}).get('score', 0):+.2f} "
                           f"({_describe_bounds(rule)})")
    if rule.languages:
        reasons.append(f"language {source.get('lang')}")
    if rule.sources:
        reasons.append(f"source {source.get('source')}")
    if rule.tags:
        reasons.append(f"feed tags {', '.join(t for t in source.get('feed_tags') or [] if t in rule.tags)}")
    if rule.topics:
        reasons.append(f"topics {', '.join(t for t in source.get('topics') or [] if t in rule.topics)}")
    return reasons


def article_item(rule: Rule, hit: dict) -> AlertItem:
    from pipeline.corrections import shown_tone

    source = named_today(stored_article(hit["_source"]), rule._renames)  # its companies under their names today
    snippet = _snippet(hit)
    return AlertItem(
        rule=rule.name,
        subject=source.get("id") or hit["_id"],
        title=source.get("title") or source.get("url") or hit["_id"],
        url=source.get("url"),
        source=source.get("source"),
        published_at=source.get("published_at"),
        indexed_at=source.get("indexed_at"),
        lang=source.get("lang"),
        sentiment=(source.get("sentiment") or {}).get("score"),
        company_sentiment={e["company"]: e.get("score") for e in source.get("company_sentiment") or []
                           if e.get("company")},
        # a corrected tone carries the model's confidence and evidence as `model_confidence`, `model_evidence`
        article_tone=shown_tone(source.get("sentiment")),
        company_tones={e["company"]: shown_tone({k: v for k, v in e.items() if k != "company"})
                       for e in source.get("company_sentiment") or [] if e.get("company")},
        snippet=snippet,
        reasons=_reasons(rule, source, snippet),
    )


def find_matches(client: Elasticsearch, settings: Settings, rule: Rule, since: datetime | None,
                 ids: list[str] | None = None) -> list[AlertItem]:
    """Every article indexed since `since` that the rule matches, oldest indexed first."""
    index = index_names(settings.es_index_prefix)["articles"]
    items: list[AlertItem] = []
    search_after = None
    while True:
        kwargs = {"search_after": search_after} if search_after else {}
        response = client.search(
            index=index,
            query=rule_query(rule, since, ids),
            sort=[{"indexed_at": {"order": "asc"}}, {"id": {"order": "asc"}}],
            highlight=_highlight(rule),
            source=RETURNED,
            size=PAGE,
            **kwargs,
        )
        hits = response["hits"]["hits"]
        items.extend(article_item(rule, hit) for hit in hits)
        if len(hits) < PAGE:
            return items
        search_after = hits[-1]["sort"]


def latest_indexed_at(client: Elasticsearch, settings: Settings, since: datetime | None) -> datetime | None:
    """The newest `indexed_at` among articles visible now (any rule): where the next evaluation may start."""
    index = index_names(settings.es_index_prefix)["articles"]
    query = {"range": {"indexed_at": {"gte": since.astimezone(UTC).isoformat()}}} if since else {"match_all": {}}
    response = client.search(index=index, query=query, size=1, sort=[{"indexed_at": {"order": "desc"}}],
                             source=["indexed_at"])
    hits = response["hits"]["hits"]
    return parse_time(hits[0]["_source"].get("indexed_at")) if hits else None


def explain_match(client: Elasticsearch, settings: Settings, rule: Rule, article_id: str) -> list[tuple[str, bool]]:
    """Each condition of the rule and whether the article meets it (one small count per condition)."""
    index = index_names(settings.es_index_prefix)["articles"]
    results = []
    for label, clause in rule_conditions(rule):
        query = {"bool": {"filter": [{"ids": {"values": [article_id]}}, clause]}}
        results.append((label, client.count(index=index, query=query)["count"] > 0))
    return results


# ------------------------------------------------------------------------------------------------------------
# Volume rules
# ------------------------------------------------------------------------------------------------------------


def _mention_filters(rule: Rule) -> list[dict]:
    filters: list[dict] = []
    if rule.companies:
        filters.append({"terms": {"company": [name for c in rule.companies for name in names_of(c, rule._renames)]}})
    if rule.languages:
        filters.append({"terms": {"lang": rule.languages}})
    if rule.sources:
        filters.append(source_clause(rule.sources))  # feed name or domain, any case, as search's `source:`
    if rule.tags:
        filters.append({"terms": {"feed_tags": rule.tags}})
    if rule.topics:
        filters.append({"terms": {"topics": rule.topics}})
    if rule.has_sentiment_filter:
        # a mention's `sentiment` is the tone toward its company; `sentiment_of: article` asks for the article's
        field_name = "article_sentiment.score" if rule.sentiment_of == "article" else "sentiment.score"
        filters.append({"range": {field_name: _range(rule.min_sentiment, rule.max_sentiment)}})
    return filters


def _counts(client: Elasticsearch, index: str, filters: list[dict], start: datetime, end: datetime,
            latest: int = 0, renames: dict[str, str] | None = None) -> dict[str, dict]:
    """Mentions per company in the window (with its `latest` ones), a former name's counted as the company's."""
    window = {"range": {"published_at": {"gte": start.isoformat(), "lt": end.isoformat()}}}
    aggs: dict = {"by_company": {"terms": {"field": "company", "size": 1000}}}
    if latest:
        aggs["by_company"]["aggs"] = {"latest": {"top_hits": {
            "size": latest, "sort": [{"published_at": {"order": "desc"}}],
            "_source": {"includes": ["title", "url", "source", "published_at", "article_id", "sentiment"]}}}}
    response = client.search(index=index, query={"bool": {"filter": filters + [window]}}, size=0, aggs=aggs)
    out = {}
    for bucket in response["aggregations"]["by_company"]["buckets"]:
        hits = bucket.get("latest", {}).get("hits", {}).get("hits", [])
        company = current_name(bucket["key"], renames or {})
        found = out.setdefault(company, {"count": 0, "latest": []})
        found["count"] += bucket["doc_count"]
        found["latest"] = sorted(found["latest"] + [h["_source"] for h in hits],
                                 key=lambda m: m.get("published_at") or "", reverse=True)[:latest]
    return out


def find_spikes(client: Elasticsearch, settings: Settings, rule: Rule, now: datetime | None = None) -> list[AlertItem]:
    """Companies whose mentions in the window exceed factor × their baseline average (and the minimum count)."""
    assert rule.volume is not None
    spec = rule.volume
    now = (now or datetime.now(UTC)).astimezone(UTC)
    window = spec.window_delta
    start = now - window
    baseline_start = start - timedelta(days=spec.baseline_days)
    index = index_names(settings.es_index_prefix)["mentions"]
    filters = _mention_filters(rule)
    recent = _counts(client, index, filters, start, now, latest=3, renames=rule._renames)
    baseline = _counts(client, index, filters, baseline_start, start, renames=rule._renames)
    per_window = window / timedelta(days=spec.baseline_days)  # baseline windows of this length in the period
    bucket = int(now.timestamp() // window.total_seconds())
    spiking = {company: data for company, data in sorted(recent.items())
               if data["count"] >= spec.min_count
               and data["count"] > spec.factor * baseline.get(company, {}).get("count", 0) * per_window}
    # At most one report per company and rule per window: a spike reported less than one window ago keeps the
    # subject it was reported under (the epoch-aligned bucket alone would announce it again at the boundary).
    reported = recent_spike_subjects(client, settings, rule.name, list(spiking), now - window)
    items = []
    for company, data in spiking.items():
        count = data["count"]
        expected = baseline.get(company, {}).get("count", 0) * per_window
        ratio = f"×{count / expected:.1f}" if expected else "no mentions before"
        reason = (f"{count} mentions of {company} in the last {spec.window} vs {expected:.1f} expected "
                  f"(average over the previous {spec.baseline_days} days; {ratio}; threshold ×{spec.factor:g}, "
                  f"minimum {spec.min_count})")
        latest = data["latest"]
        items.append(AlertItem(
            rule=rule.name,
            subject=reported.get(company) or f"volume:{company}:{bucket}",
            title=f"Coverage spike: {company} ({count} mentions in {spec.window})",
            url=latest[0].get("url") if latest else None,
            source=latest[0].get("source") if latest else None,
            published_at=latest[0].get("published_at") if latest else None,
            indexed_at=now.isoformat(),
            company=company,
            snippet="; ".join(str(a.get("title") or a.get("url")) for a in latest),
            reasons=[reason],
            related=latest,
        ))
    return items
