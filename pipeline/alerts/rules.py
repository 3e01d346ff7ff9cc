"""Alert rules (config/alerts.yaml): what to match, how often to tell whom, validated before anything runs.

A rule is either a *match* rule (companies, keywords or a raw `query_string`, with optional filters) evaluated over
newly indexed articles, or a *volume* rule (a company's mentions in a window vs. its daily baseline).
"""

from __future__ import annotations

import logging
import os
import re
from email.utils import parseaddr
from datetime import timedelta
from pathlib import Path
from typing import Annotated, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, field_validator, model_validator

from pipeline.configfiles import describe_validation_error, read_yaml, shown_value
from pipeline.errors import ConfigError
from pipeline.settings import Settings
from pipeline.sinks import single_line

log = logging.getLogger(__name__)

RULES_FILE = "alerts.yaml"
_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_DURATION = re.compile(r"^\s*(\d+)\s*([mhd])\s*$", re.IGNORECASE)


MAX_DURATION = timedelta(days=366)  # a volume window longer than a year compares nothing useful (and 10**14 days
# would overflow Python's dates)


def parse_duration(value: str) -> timedelta:
    """'30m', '6h', '7d' → timedelta, at most a year."""
    match = _DURATION.match(str(value))
    if not match:
        raise ValueError(f"{shown_value(value)} is not a duration like 30m, 6h or 7d")
    amount, unit = int(match.group(1)), match.group(2).lower()
    if amount <= 0:
        raise ValueError(f"{shown_value(value)} must be positive")
    minutes = amount * {"m": 1, "h": 60, "d": 1440}[unit]
    if minutes > MAX_DURATION.total_seconds() / 60:
        raise ValueError(f"{shown_value(value)} is too long: at most {MAX_DURATION.days}d")
    return timedelta(minutes=minutes)


class _Strict(BaseModel):
    # `factor: .inf` was taken: inf × a zero baseline is nan, so the volume rule never fired, not even for a company's
    # first mentions, without a word (as in the settings, nan and inf are refused)
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


def _not_a_boolean(value: object) -> object:
    """pydantic took a boolean for the number 1 or 0: `max_sentiment: true` was a threshold of 1.0 that every article
    meets, `min_sentiment: false` one of 0.0, `min_mentions: true` 1, without a word."""
    if isinstance(value, bool):
        raise ValueError(f"Input should be a number, not true or false ({str(value).lower()} was read as "
                         f"{int(value)})")
    return value


def _check_env_name(value: str | None) -> str | None:
    if value is not None and not _ENV_NAME.match(value):
        raise ValueError(f"{shown_value(value)} is not an environment variable name "
                         "(the secret itself never goes in this file)")
    return value


_BARE_ADDRESS = re.compile(r"[^\s@,;:<>()\[\]\\\"=?\x00-\x1f\x7f]+@[^\s@,;:<>()\[\]\\\"=?\x00-\x1f\x7f]+")


class EmailChannel(_Strict):
    """SMTP: server and credentials from NEWSROOM_SMTP_* or an Airflow Connection (never from this file)."""

    type: Literal["email"]
    name: str | None = None
    to: list[str] = Field(min_length=1)
    connection: str | None = None  # Airflow Connection id (e.g. smtp_default) instead of NEWSROOM_SMTP_*
    subject_prefix: str = "[newsroom]"

    @field_validator("to")
    @classmethod
    def _addresses(cls, values: list[str]) -> list[str]:
        from pipeline.sinks import mail_address

        for value in values:
            if "@" not in value or value.strip() != value or " " in value:
                raise ValueError(f"{shown_value(value)} is not an e-mail address")
            # exactly one bare address: `"Evil\r\nBcc:x@evil.example"<a@example.org>` was mailed to x@evil.example,
            # and `a@example.org,b@example.org` to a@example.org alone
            if not _BARE_ADDRESS.fullmatch(value) or parseaddr(value) != ("", value):
                raise ValueError(f"{value[:100]!r} is not one e-mail address: write each recipient as a bare address "
                                 "(veille@example.org), one per list item")
            mail_address(value)  # what sending will require (an ASCII local part), checked at load
        return values

    @field_validator("subject_prefix")
    @classmethod
    def _one_line(cls, value: str) -> str:
        if any(ord(ch) < 32 or ord(ch) == 127 for ch in value):
            raise ValueError("must be one line (a line break would start a new mail header)")
        return value

    @property
    def key(self) -> str:
        return self.name or "email"


class SlackChannel(_Strict):
    """Slack incoming webhook: NEWSROOM_SLACK_WEBHOOK_URL, or the URL held by the env var `url_env`."""

    type: Literal["slack"]
    name: str | None = None
    url_env: str | None = None

    unknown_key_hints: ClassVar[dict[str, str]] = {
        "url": "a Slack webhook URL is a secret, never written here: set NEWSROOM_SLACK_WEBHOOK_URL, or name the "
               "environment variable holding it with `url_env:`"}

    @field_validator("url_env")
    @classmethod
    def _env(cls, value: str | None) -> str | None:
        return _check_env_name(value)

    @property
    def key(self) -> str:
        return self.name or "slack"


class WebhookChannel(_Strict):
    """Generic JSON webhook; optional HMAC-SHA256 signature (secret from NEWSROOM_WEBHOOK_SECRET or `secret_env`)."""

    type: Literal["webhook"]
    name: str | None = None
    url: str | None = None  # a non-secret URL may be written here...
    url_env: str | None = None  # ...or read from this environment variable
    sign: bool = False
    secret_env: str | None = None  # default: NEWSROOM_WEBHOOK_SECRET

    @field_validator("url_env", "secret_env")
    @classmethod
    def _env(cls, value: str | None) -> str | None:
        return _check_env_name(value)

    @field_validator("url")
    @classmethod
    def _http(cls, value: str | None) -> str | None:
        if value is not None and not re.match(r"^https?://[^\s/]+", value):
            raise ValueError(f"{shown_value(value)} is not an http(s) URL")
        return value

    @model_validator(mode="after")
    def _one_url(self) -> WebhookChannel:
        if bool(self.url) == bool(self.url_env):
            raise ValueError("give exactly one of `url` or `url_env`")
        if self.secret_env:
            self.sign = True
        return self

    @property
    def key(self) -> str:
        return self.name or "webhook"


Channel = Annotated[EmailChannel | SlackChannel | WebhookChannel, Field(discriminator="type")]


class VolumeSpec(_Strict):
    """Fire when mentions in the last `window` exceed `factor` × the baseline average for a window that long."""

    window: str = "24h"
    baseline_days: int = Field(default=7, ge=1, le=90)
    factor: float = Field(default=3.0, gt=0)
    min_count: int = Field(default=5, ge=1)

    _numbers = field_validator("baseline_days", "factor", "min_count", mode="before")(_not_a_boolean)

    @field_validator("window")
    @classmethod
    def _window(cls, value: str) -> str:
        parse_duration(value)
        return value.strip().lower()  # `24H` is 24h, as option words are read in any case

    @property
    def window_delta(self) -> timedelta:
        return parse_duration(self.window)


# Search syntax in a keyword, outside quotes: (pattern, what search reads in it)
_WORD_OPERATOR = re.compile(r"(?<!\S)(?:AND|OR|NOT|ET|OU|SAUF)(?!\S)")
_KEYWORD_SYNTAX = [
    (re.compile(r"(?<!\S)[-–—−](?=[^\W\d_])"), "a '-' before a word leaves it out"),
    (re.compile(r"(?<!\S)\|(?!\S)"), "'|' is OR"),
    (re.compile(r"[^\W_]\*(?!\w)"), "a '*' ending a word is a prefix"),
    (_WORD_OPERATOR, "AND, OR, NOT in capitals are operators"),
]


class Rule(_Strict):
    name: str = Field(min_length=1, max_length=200)
    description: str | None = None
    enabled: bool = True
    # What to match (match rules): at least one of these
    companies: list[str] = Field(default_factory=list)  # canonical watchlist names
    keywords: list[str] = Field(default_factory=list)  # words or phrases, French or English
    query_string: str | None = None  # raw Elasticsearch query_string over the articles
    # Filters
    languages: list[str] = Field(default_factory=list)
    sources: list[str] = Field(default_factory=list)  # feed names or domains, any case (as search's `source:`)
    tags: list[str] = Field(default_factory=list)  # feed tags
    topics: list[str] = Field(default_factory=list)
    min_sentiment: float | None = Field(default=None, ge=-1, le=1)
    max_sentiment: float | None = Field(default=None, ge=-1, le=1)
    sentiment_of: Literal["company", "article"] | None = None  # default: company when companies are given
    min_mentions: int = Field(default=1, ge=1)  # how many of `companies` the article must mention
    # Volume rules
    volume: VolumeSpec | None = None
    # Delivery
    delivery: Literal["immediate", "grouped", "digest"] = "immediate"
    digest_hour: int = Field(default=8, ge=0, le=23)  # local hour (NEWSROOM_TIMEZONE) after which the digest goes
    channels: list[Channel] = Field(min_length=1)
    # former name (as stored) → the company's name today, for the rule's companies (set by load_rules)
    _renames: dict[str, str] = PrivateAttr(default_factory=dict)
    # why the rule cannot run as written: a company the watchlist no longer has (load_rules, keep_unwatched)
    _unwatched: str | None = PrivateAttr(default=None)

    _numbers = field_validator("min_sentiment", "max_sentiment", "min_mentions", "digest_hour",
                               mode="before")(_not_a_boolean)

    @field_validator("sentiment_of", "delivery", mode="before")
    @classmethod
    def _word_any_case(cls, value):
        """`delivery: Grouped`, `sentiment_of: Article`: the word in any case, as on the command line."""
        return value.strip().lower() if isinstance(value, str) else value

    @field_validator("channels", mode="before")
    @classmethod
    def _channel_type_any_case(cls, values):
        """`type: Slack` is the slack channel (the tag picks the channel's model: read before it)."""
        if not isinstance(values, list):
            return values
        return [{**value, "type": value["type"].strip().lower()}
                if isinstance(value, dict) and isinstance(value.get("type"), str) else value for value in values]

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        value = value.strip()
        if not value or ":" in value:
            raise ValueError("must be non-empty and contain no ':'")
        return value

    @field_validator("keywords", "companies", "sources", "tags", "topics")
    @classmethod
    def _no_blank(cls, values: list[str]) -> list[str]:
        cleaned = [v.strip() for v in values]
        if any(not v for v in cleaned):
            raise ValueError("contains an empty entry")
        return list(dict.fromkeys(cleaned))

    @field_validator("keywords")
    @classmethod
    def _keywords_have_words(cls, values: list[str]) -> list[str]:
        """A keyword of quotes or punctuation alone (`'""'`, `«»`, `!!!`) is no keyword: read as search reads it, it
        was an empty condition that every article met, so the rule fired on all of them."""
        import unicodedata

        for value in values:
            if not any(char.isalnum() or unicodedata.category(char) == "So" for char in value):  # So: an emoji
                raise ValueError(f"{shown_value(value)} has no word in it (only quotes or punctuation): give the word "
                                 "or phrase to look for")
        return values

    @field_validator("keywords")
    @classmethod
    def _keywords_hold_no_search_syntax(cls, values: list[str]) -> list[str]:
        """A keyword is a word or phrase looked for as written; search's operators are words or punctuation there:
        `-Nvidia` fired on the articles naming Nvidia, `Nvid*` and `Nvidia OR Meta` (a phrase no page holds) never
        fired. `query_string` reads them as operators. Inside quotes, and in a keyword all in capitals (« RECHERCHE ET
        DÉVELOPPEMENT »), AND/OR/NOT are words."""
        for value in values:
            outside_quotes = re.sub(r'"[^"]*"', " ", value)
            shouted = not any(char.islower() for char in outside_quotes)
            for pattern, meaning in _KEYWORD_SYNTAX:
                if pattern.search(outside_quotes) and not (shouted and pattern is _WORD_OPERATOR):
                    raise ValueError(
                        f"{shown_value(value)} holds search syntax ({meaning}), but a keyword is looked for as "
                        "written (`-Nvidia` fires on the articles naming Nvidia): write it as "
                        f"`query_string: {shown_value(value)}`")
        return values

    @field_validator("tags")
    @classmethod
    def _tags_lower(cls, values: list[str]) -> list[str]:
        return [v.lower() for v in values]  # feed tags are stored lower-case

    @field_validator("languages")
    @classmethod
    def _langs(cls, values: list[str]) -> list[str]:
        for value in values:
            if not re.match(r"^[a-z]{2}$", value.strip(), re.IGNORECASE):
                raise ValueError(f"{shown_value(value)} is not a two-letter language code like fr or en")
        return list(dict.fromkeys(v.strip().lower() for v in values))  # any case, as search's --lang / lang:

    @model_validator(mode="after")
    def _consistent(self) -> Rule:
        if self.volume is None:
            if not (self.companies or self.keywords or (self.query_string and self.query_string.strip())):
                raise ValueError("a rule needs `companies`, `keywords` or `query_string` (or a `volume` block)")
        else:
            if self.keywords or self.query_string:
                raise ValueError("a volume rule counts company mentions: use `companies` (or none for every company), "
                                 "not keywords/query_string")
            if self.delivery == "immediate":
                self.delivery = "grouped"  # one message per run listing the spikes
        if self.min_sentiment is not None and self.max_sentiment is not None and self.min_sentiment > self.max_sentiment:
            raise ValueError("min_sentiment is greater than max_sentiment")
        if self.sentiment_of == "company" and not self.companies:
            raise ValueError("sentiment_of: company needs `companies`")
        if self.min_mentions > max(1, len(self.companies)):
            raise ValueError(f"min_mentions {self.min_mentions} is more than the {len(self.companies)} companies listed")
        keys = [c.key for c in self.channels]
        if len(set(keys)) != len(keys):
            raise ValueError("two channels of the same type need distinct `name`s")
        return self

    @property
    def kind(self) -> str:
        return "volume" if self.volume else "match"

    @property
    def sentiment_target(self) -> str:
        return self.sentiment_of or ("company" if self.companies else "article")

    @property
    def has_sentiment_filter(self) -> bool:
        return self.min_sentiment is not None or self.max_sentiment is not None


class AlertsConfig(_Strict):
    rules: list[Rule] = Field(default_factory=list)

    @model_validator(mode="after")
    def _unique(self) -> AlertsConfig:
        seen: dict[str, int] = {}
        for index, rule in enumerate(self.rules):
            if rule.name in seen:
                raise ValueError(f"two rules are named {rule.name!r} (entries #{seen[rule.name] + 1} and #{index + 1})")
            seen[rule.name] = index
        return self

    def get(self, name: str) -> Rule:
        """The rule named `name`, else the one rule whose name it is in another case (`alerts test "negative
        coverage"`, `alerts run --rule NVIDIA`), as company names and option words are read."""
        for rule in self.rules:
            if rule.name == name:
                return rule
        folded = [rule for rule in self.rules if rule.name.strip().casefold() == name.strip().casefold()]
        if len(folded) == 1:
            return folded[0]
        known = ", ".join(repr(r.name) for r in self.rules) or "none"
        raise ConfigError(f"No alert rule named {shown_value(name)} (rules: {known}).")


def watchlist_names(settings: Settings | None = None) -> dict[str, str]:
    """Lower-cased name or alias → canonical company name, from the watchlist the enrichment links with."""
    from pipeline.enrich.watchlist import company_names, load_watchlist, watchlist_path

    return company_names(load_watchlist(watchlist_path(settings.config_dir if settings else None)))


def rules_path(settings: Settings, rules_file: Path | str | None = None) -> Path:
    return Path(rules_file) if rules_file else settings.config_path(RULES_FILE)


# `newsroom search` filters an analyst copies into a rule's query_string: no such field is stored, so the term matched
# nothing and the rule never fired (without a word); each has a rule key of its own.
SEARCH_FILTER_KEYS = {"company": "companies", "topic": "topics", "tag": "tags", "language": "languages"}


def article_fields() -> set[str]:
    """Every field name of a stored article a `query_string` may name (sub-fields and nested ones included)."""
    from pipeline.store.templates import ARTICLE_PROPERTIES

    names: set[str] = set()

    def walk(prefix: str, properties: dict) -> None:
        for name, spec in properties.items():
            names.add(prefix + name)
            if spec.get("type") == "nested":  # a query_string term on a nested field matches nothing
                continue
            for sub in spec.get("fields") or {}:
                names.add(f"{prefix}{name}.{sub}")
            walk(f"{prefix}{name}.", spec.get("properties") or {})
            for sub, subspec in (spec.get("properties") or {}).items():
                for inner in subspec.get("fields") or {}:
                    names.add(f"{prefix}{name}.{sub}.{inner}")

    walk("", ARTICLE_PROPERTIES)
    return names


def unknown_fields(query: str) -> list[str]:
    """The field names of a Lucene query that no stored article has (`company:mistral`, `titel:x`); names starting
    with `_` (`_exists_`, `_id`) and patterns (`title.*`) are the store's to judge."""
    from luqum.parser import parser
    from luqum.tree import SearchField

    try:
        tree = parser.parse(query)
    except Exception:  # noqa: BLE001 - a query that does not parse is named by _parse_locally or the store
        return []
    known, found, stack = article_fields(), [], [tree]
    while stack:  # without recursion: a crafted query may nest deep (checked before, but never trusted)
        node = stack.pop()
        if isinstance(node, SearchField) and not node.name.startswith("_") and "*" not in node.name \
                and node.name.replace("\\", "") not in known:
            found.append(node.name)
        stack.extend(node.children)
    return list(dict.fromkeys(found))


def _unknown_field_problem(query: str) -> str | None:
    from difflib import get_close_matches

    names = unknown_fields(query)
    if not names:
        return None
    name = names[0]
    if name.startswith("company_sentiment."):
        return (f"{name}: the tone toward each company is stored nested, which a query_string term cannot reach (it "
                "would match nothing): give the rule `companies: [...]` with `min_sentiment`/`max_sentiment`")
    key = SEARCH_FILTER_KEYS.get(name.lower())
    if key:
        return (f"{name}: is a `newsroom search` filter, not a field of stored articles (the term would match "
                f"nothing): give the rule `{key}: [...]` instead")
    close = get_close_matches(name, sorted(article_fields()), n=3, cutoff=0.6)
    hint = f"; did you mean {', '.join(close)}?" if close else " (title, description, text, source, lang, orgs, topics, published_at, …)"
    return f"{name}: is not a field of stored articles, so the term would match nothing{hint}"


def _parse_locally(query: str) -> str | None:
    """The Lucene syntax check of luqum (the grammar `query_string` reads): None when it parses, else why not."""
    from luqum.exceptions import ParseError
    from luqum.parser import parser

    try:
        parser.parse(query)
        return None
    except (ParseError, Exception) as exc:  # noqa: BLE001 - ply/luqum raise a few unrelated types on bad input
        return single_line(exc, 200)


MAX_QUERY_NESTING = 110  # levels of the parsed query: 50 parentheses each under a `-` or a field (`-(-(…))`) fit


def _too_deep(query: str) -> str | None:
    """Why a query's parsed form is nested too deep to rewrite (its levels, measured without recursion), or None.
    Operators and fields chain without parentheses (`cloud - - - … x`, `NOT NOT … x`, `title:title:…:a`): 2,000 of
    them ended `newsroom alerts list` and every alerts run with a bare RecursionError (hostile-input audit)."""
    from luqum.parser import parser

    try:
        tree = parser.parse(query)
    except Exception:  # noqa: BLE001 - a query that does not parse is named by _parse_locally or the store
        return None
    deepest, stack = 0, [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in node.children)
    if deepest > MAX_QUERY_NESTING:
        return f"operators nested {deepest:,} deep, at most {MAX_QUERY_NESTING}"
    return None


def _validate_on_store(client, settings: Settings, rule: Rule) -> str | None | bool:
    """`_validate/query` on the articles index: None when valid, the reason when not; False when it cannot tell
    (no store, no index yet), so the local parse decides."""
    from elastic_transport import TransportError
    from elasticsearch import ApiError

    from pipeline.alerts.evaluate import rule_conditions
    from pipeline.store.templates import index_names

    clause = next(clause for label, clause in rule_conditions(rule) if label.startswith("matches query"))
    try:
        answer = client.options(request_timeout=5, max_retries=0).indices.validate_query(
            index=index_names(settings.es_index_prefix)["articles"], query=clause, explain=True)
    except (ApiError, TransportError):
        return False
    if answer.get("valid"):
        return None
    if "valid" not in answer:  # not an Elasticsearch reply: the local parse decides, the rules file is not blamed
        return False
    errors = [e.get("error") for e in answer.get("explanations") or [] if e.get("error")] or [answer.get("error")]
    return single_line(errors[0] or "rejected by Elasticsearch", 300)


def check_query_strings(config: AlertsConfig, settings: Settings, path: Path, client=None) -> None:
    """Refuse, at load, a `query_string` that does not parse (or is too complex for the store's parser, which a
    crafted one crashes): otherwise the rule would fail on every run.

    The store's own `_validate/query` decides when it is reachable (same parser, same fields as a run); else the
    Lucene grammar is checked locally.
    """
    rules = [rule for rule in config.rules if rule.query_string and rule.query_string.strip()]
    if not rules:
        return
    if client is None and settings.es_url:
        try:
            from pipeline.store.client import make_client

            client = make_client(settings, start_embedded=False)
        except Exception:  # noqa: BLE001 - no store: the local parse decides
            client = None
    from pipeline.search import query_too_complex

    problems = []
    for index, rule in enumerate(config.rules):
        if rule not in rules:
            continue
        from pipeline.alerts.evaluate import EXACT_FIELDS, rule_text_query

        too_complex = query_too_complex(rule.query_string) or _too_deep(rule.query_string)
        if not too_complex and (sent := query_too_complex(rule_text_query(rule))):
            too_complex = f"{sent} as sent: each quoted phrase or wildcard goes to the {len(EXACT_FIELDS)} exact fields"
        if too_complex:  # never sent, not even to `_validate/query`
            problems.append(f"{path}: entry #{index + 1} ({rule.name!r}), field 'query_string': too complex "
                            f"({too_complex}); split the rule into smaller ones")
            continue
        unknown = _unknown_field_problem(rule.query_string)
        if unknown:
            problems.append(f"{path}: entry #{index + 1} ({rule.name!r}), field 'query_string': {unknown}")
            continue
        verdict = _validate_on_store(client, settings, rule) if client is not None else False
        if verdict is False:
            verdict = _parse_locally(rule.query_string)
        if verdict:
            problems.append(f"{path}: entry #{index + 1} ({rule.name!r}), field 'query_string': "
                            f"{shown_value(rule.query_string)} does not parse ({verdict})")
    if problems:
        raise ConfigError("Invalid config: " + "; ".join(problems))


def source_warnings(rules: list[Rule], settings: Settings) -> list[str]:
    """Rules' `sources` that match no configured feed by name or domain (any case), with the closest names: such a
    rule never fires. A warning, not an error: a removed feed's articles stay in the index and may still match."""
    from difflib import get_close_matches

    from pipeline.feeds import load_feeds
    from pipeline.urls import domain_of, host_spellings

    wanted = [(rule, source) for rule in rules for source in rule.sources]
    in_query = [(rule, value, negated) for rule in rules
                for value, negated in query_string_values(rule.query_string, "source")]
    if not wanted and not in_query:
        return []
    try:
        feeds = load_feeds(settings.feeds_path, settings)
    except ConfigError as exc:  # no usable feeds file: nothing to check against (ingest reports it)
        log.info("sources of alert rules not checked: %s", exc)
        return []
    known = {spelling.casefold(): name for feed in feeds for name in (feed.name, domain_of(str(feed.url)))
             for spelling in host_spellings(name)}
    warnings = []
    for rule, source in wanted:
        if any(spelling.casefold() in known for spelling in host_spellings(source)):
            continue
        close = get_close_matches(source.casefold(), list(known), n=3, cutoff=0.5)
        hint = f"; closest: {', '.join(repr(known[c]) for c in close)}" if close else ""
        warnings.append(f"rule {rule.name!r}: source {shown_value(source)} is no feed name or domain in "
                        f"{settings.feeds_path}: the rule may never fire{hint}.")
    for rule, value, negated in in_query:  # read as `sources` are: a feed name or a domain, any case
        if any(spelling.casefold() in known for spelling in host_spellings(value)):
            continue
        close = get_close_matches(value.casefold(), list(known), n=3, cutoff=0.5)
        hint = f"; closest: {', '.join(repr(known[c]) for c in close)}" if close else ""
        effect = "it may leave out nothing" if negated else "the rule may never fire"
        warnings.append(f"rule {rule.name!r}: query_string's {'NOT ' if negated else ''}source:{shown_value(value)} is "
                        f"no feed name or domain in {settings.feeds_path}: {effect}{hint}.")
    return warnings


def query_string_values(query: str | None, field_name: str) -> list[tuple[str, bool]]:
    """The values a rule's Lucene query gives `field_name`, each with whether it is negated (`source:"Le Monde"` →
    [("Le Monde", False)], `NOT source:x` → [("x", True)])."""
    if not query or f"{field_name}:" not in query:
        return []
    from luqum.parser import parser
    from luqum.tree import Not, Phrase, Prohibit, SearchField, Word

    try:
        tree = parser.parse(query)
    except Exception:  # noqa: BLE001 - checked elsewhere
        return []
    values, stack = [], [(tree, False)]
    while stack:
        node, negated = stack.pop()
        negated ^= isinstance(node, (Not, Prohibit))
        if isinstance(node, SearchField) and node.name == field_name:
            inner = [(node.expr, negated)]
            while inner:
                leaf, negated = inner.pop()
                negated ^= isinstance(leaf, (Not, Prohibit))
                if isinstance(leaf, Phrase):
                    values.append((leaf.value.strip('"'), negated))
                elif isinstance(leaf, Word) and leaf.value not in ("AND", "OR", "NOT"):
                    values.append((leaf.value, negated))
                else:
                    inner.extend((child, negated) for child in reversed(leaf.children))  # in the query's order
            continue
        stack.extend((child, negated) for child in reversed(node.children))
    return list(dict.fromkeys(values))


def topic_warnings(rules: list[Rule], settings: Settings) -> list[str]:
    """Rules' `topics` that name no topic of the topics file, with the closest ids: such a rule never fires (as for
    `sources`, a warning: articles tagged with a topic since removed stay in the index)."""
    from difflib import get_close_matches

    from pipeline.errors import NewsroomError
    from pipeline.topics import load_topics_file, topics_path

    wanted = [(rule, topic) for rule in rules for topic in rule.topics]
    if not wanted:
        return []
    path = topics_path(settings)
    try:
        ids = [topic.id for topic in load_topics_file(path).topics]
    except NewsroomError as exc:  # no usable topics file: nothing to check against (ingest reports it)
        log.info("topics of alert rules not checked: %s", exc)
        return []
    warnings = []
    for rule, topic in wanted:
        if topic in ids:
            continue
        close = get_close_matches(topic.casefold(), ids, n=3, cutoff=0.5)
        hint = f"; closest: {', '.join(repr(c) for c in close)}" if close else f"; the topics are: {', '.join(ids)}"
        warnings.append(f"rule {rule.name!r}: topic {shown_value(topic)} is no topic id in {path}: "
                        f"the rule may never fire{hint}.")
    return warnings


def channel_warnings(rules: list[Rule], settings: Settings) -> list[str]:
    """Channels of enabled rules that cannot deliver in this environment (no SMTP server, Slack URL, webhook URL or
    signing secret set), one sentence per missing setting naming the rules: each would fail every run. Channels
    using an Airflow Connection are not checked (only a task can read it)."""
    from pipeline.alerts.deliver import DeliveryError, slack_url, smtp_target, webhook_secret

    problems: dict[str, list[str]] = {}
    for rule in rules:
        if not rule.enabled:
            continue
        for channel in rule.channels:
            try:
                if isinstance(channel, EmailChannel):
                    if not channel.connection:
                        smtp_target(settings, channel)
                elif isinstance(channel, SlackChannel):
                    slack_url(settings, channel)
                else:
                    if channel.url_env and not (os.environ.get(channel.url_env) or "").strip():
                        raise DeliveryError(f"Webhook channel: environment variable {channel.url_env} (the URL) is "
                                            "not set.")
                    webhook_secret(settings, channel)
            except DeliveryError as exc:
                problems.setdefault(str(exc), [])
                if rule.name not in problems[str(exc)]:
                    problems[str(exc)].append(rule.name)
    return [f"{problem.rstrip('.')}: rule(s) {', '.join(map(repr, names))} cannot deliver on this channel here "
            "(every run would fail it)." for problem, names in problems.items()]


def load_rules(settings: Settings, rules_file: Path | str | None = None, check_companies: bool = True,
               client=None, keep_unwatched: bool = False) -> AlertsConfig:
    """Validate the rules file; ConfigError names the file, the rule and the field at fault.

    `keep_unwatched` (`alerts run`): a rule naming a company the watchlist no longer has is kept, marked with the
    reason, instead of refusing the file: the watchlist changes apart from the rules, and one stale rule stopped
    every other rule's alerts."""
    path = rules_path(settings, rules_file)
    data = read_yaml(path)
    if data is None:
        data = {}
    try:
        config = AlertsConfig.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(describe_validation_error(path, exc, data, list_key="rules", model=AlertsConfig)) from None
    if check_companies:
        # Aliases as people type them ("Mistral", "ovh", "AWS") resolve to the canonical name the index stores.
        from pipeline.enrich.watchlist import load_watchlist, resolve_company, watchlist_path
        from pipeline.errors import NewsroomError

        watchlist = load_watchlist(watchlist_path(settings.config_dir))
        problems = []
        for index, rule in enumerate(config.rules):
            resolved = []
            for company in rule.companies:
                try:
                    resolved.append(resolve_company(company, watchlist))
                except NewsroomError as exc:
                    problem = f"{path}: entry #{index + 1} ({rule.name!r}), field 'companies': {exc}"
                    if keep_unwatched:
                        rule._unwatched = rule._unwatched or problem
                    else:
                        problems.append(problem)
            before = len(rule.companies)
            rule.companies = list(dict.fromkeys(resolved))
            # a company renamed in the watchlist: its articles stored under the former name match the rule too
            rule._renames = {former: c.name for c in watchlist.companies if c.name in rule.companies
                             for former in c.former_names}
            if len(resolved) == before and rule.min_mentions > max(1, len(rule.companies)):
                # `companies: [Mistral, Mistral AI]` passed the count check as two names: one company, so a rule
                # wanting both never fired, without a word
                problems.append(f"{path}: entry #{index + 1} ({rule.name!r}), field 'min_mentions': "
                                f"{rule.min_mentions} is more than the {len(rule.companies)} companies listed once "
                                f"their names are read ({', '.join(rule.companies)}): two names stand for one company")
        if problems:
            raise ConfigError("Invalid config: " + "; ".join(problems))
    check_query_strings(config, settings, path, client)
    return config
