"""Index names, component/composable templates and the ILM policy: the storage contract.

Every other module (ingest, coverage, alerts, Kibana objects) reads field names from here.
"""

from __future__ import annotations

from pipeline.settings import Settings


def index_names(prefix: str = "newsroom") -> dict[str, str]:
    return {
        "articles": f"{prefix}-articles",  # write alias over <prefix>-articles-000001, rollover
        "mentions": f"{prefix}-mentions",  # write alias over <prefix>-mentions-000001, rollover
        "runs": f"{prefix}-runs",
        "alerts": f"{prefix}-alerts",
        "corrections": f"{prefix}-corrections",  # analysts' tone corrections (pipeline.corrections)
    }


# Bumped whenever the articles/runs mappings or analysis settings change: `newsroom setup` then puts the new
# templates, rolls the articles alias over and migrates older indices (see pipeline.store.setup).
MAPPING_VERSION = 8  # 3: accents folded in the English and other-language search fields; 4: `.exact` drops a final 's;
# 5: the French search field reads the ligatures œ and æ as oe and ae; 6: a narrow no-break space is a space;
# 7: an article in a language without a tone model stores no `sentiment` (was a placeholder neutral 0.0);
# 8: the search fields also index each hyphenated word joined (« start-up » as "startup")

KEYWORD = {"type": "keyword", "ignore_above": 1024}
DATE = {"type": "date"}
COUNT = {"type": "long"}  # dynamic mapping gave `long` to run counters: the same type keeps old run indices valid

# Exact phrases: the `french` analyser drops "ai" (j'ai), "est", "a"... as stopwords, so a phrase query on a
# French-analysed field for "AI Act" matches every "act". This analyser keeps every word, unstemmed; it only
# lower-cases, strips French elisions (l', d', qu'...) and folds accents, so "L'AI Act" and "l’ai act" match, and
# drops an English possessive ('s, ’s), so "start-up" and "Mistral AI" match "the start-up’s" and "Mistral AI's"
# (the `.exact` copy is where hyphenated words, quoted phrases and alert keywords are matched).
EXACT_ANALYZER = "newsroom_exact"
# In the search fields, after lower-casing and elision, before folding and stemming (the joined word is stemmed as a
# typed one: « start-ups » → "startup"); in their query analysers too, so a word with another mark inside
# (« aujourd'hui », "U.S.") is the same tokens at the same positions on both sides and a phrase holding it still matches
COMPOUNDS = ["newsroom_compounds", "flatten_graph"]
ANALYSIS = {
    # « cœur », « œuvre », « ex æquo » as typed on a keyboard without the ligature (coeur, oeuvre): the French stemmer
    # keeps œ as a letter of its own, so `coeur` missed « cœur » and `cœur` missed "coeur" in French copy (the other
    # fields fold it with asciifolding)
    "char_filter": {"newsroom_ligatures": {"type": "mapping", "mappings": ["œ => oe", "Œ => OE", "æ => ae",
                                                                           "Æ => AE"]},
                    # French typography's narrow no-break space (« 20 % », « 1 000 », « 3,5 Md€ »): the standard
                    # tokenizer keeps it inside a token (Unicode makes it a number joiner), so `20` missed « 20 % »
                    # ("20\u202f") and `"1 000 euros"` missed « 1 000 euros »; read as the space it is
                    "newsroom_spaces": {"type": "mapping", "mappings": ["\\u202F => \\u0020"]},
                    # a hyphen between two letters (« start-up », "e-mail", U+2010 and U+2011 as pasted) read as "_",
                    # which the standard tokenizer keeps inside the word, so newsroom_compounds sees the compound
                    # (one character for one: the passages' offsets stay those of the article's text)
                    "newsroom_hyphens": {"type": "pattern_replace", "pattern": "(?<=\\p{L})[-\u2010\u2011](?=\\p{L})",
                                         "replacement": "_"}},
    "filter": {
        "newsroom_elision": {
            "type": "elision",
            "articles": ["l", "m", "t", "qu", "n", "s", "j", "d", "c", "jusqu", "quoiqu", "lorsqu", "puisqu"],
        },
        "newsroom_french_stemmer": {"type": "stemmer", "language": "light_french"},
        "newsroom_english_stemmer": {"type": "stemmer", "language": "english"},
        "newsroom_english_possessive": {"type": "stemmer", "language": "possessive_english"},
        # A compound's parts at their own positions, as the standard tokenizer splits them (`start`, `up`: phrases
        # and each part still match), plus the parts joined at the first one's position (`startup`), so `startup`
        # typed finds « start-up » and « start-ups ». Every token is kept (preserve_original); a word with another
        # mark inside (« aujourd'hui », "U.S.") also gets its parts and their join. Numbers are left whole.
        "newsroom_compounds": {"type": "word_delimiter_graph", "preserve_original": True, "catenate_words": True,
                               "generate_number_parts": False, "split_on_numerics": False,
                               "split_on_case_change": False, "stem_english_possessive": False},
    },
    "analyzer": {
        # lowercase before elision, so "L'" is stripped without `articles_case` (same result on real ES)
        EXACT_ANALYZER: {"type": "custom", "tokenizer": "standard", "char_filter": ["newsroom_spaces"],
                         "filter": ["lowercase", "newsroom_elision", "newsroom_english_possessive", "asciifolding"]},
        # Elasticsearch's `french` and `english` analysers (same stemmers) minus the stopword filter: unquoted words
        # are stemmed, and a phrase still needs every word ("AI Act" is not "act" with "ai" dropped), even where
        # quote_field_suffix is not applied (the embedded stand-in ignores it).
        "newsroom_french": {"type": "custom", "tokenizer": "standard",
                            "char_filter": ["newsroom_ligatures", "newsroom_spaces"],
                            "filter": ["lowercase", "newsroom_elision", *COMPOUNDS, "newsroom_french_stemmer"]},
        # Accents folded (as the French stemmer's own normalisation does): English and other copy quoting French
        # names and words ("Élysée", "Cédric O", "souveraineté") is found by them typed without accents, and
        # "Elysee Palace" by "Élysée".
        "newsroom_english": {"type": "custom", "tokenizer": "standard", "char_filter": ["newsroom_spaces"],
                             "filter": ["newsroom_english_possessive", "lowercase", *COMPOUNDS, "asciifolding",
                                        "newsroom_english_stemmer"]},
        "newsroom_other": {"type": "custom", "tokenizer": "standard", "char_filter": ["newsroom_spaces"],
                           "filter": ["lowercase", *COMPOUNDS, "asciifolding"]},
    },
}


def _joining_compounds(name: str) -> dict:
    """The index-time twin of a search analyser: the same tokens, and each hyphenated word also joined (« start-up »
    indexed as "start", "up" and "startup": newsroom_hyphens makes it one word, newsroom_compounds splits and joins
    it). Queries keep the search analyser, which splits a typed `start-up` or `start up` into its parts, as before."""
    analyzer = ANALYSIS["analyzer"][name]
    return {**analyzer, "char_filter": [*analyzer["char_filter"], "newsroom_hyphens"]}


INDEX_ANALYZERS = {name: f"{name}_indexed" for name in ("newsroom_french", "newsroom_english", "newsroom_other")}
ANALYSIS["analyzer"].update({indexed: _joining_compounds(name) for name, indexed in INDEX_ANALYZERS.items()})
EXACT_TEXT = {"type": "text", "analyzer": EXACT_ANALYZER}
ANALYSED_TEXT = {
    "type": "text",
    "analyzer": "standard",
    "fields": {
        "fr": {"type": "text", "analyzer": "french"},
        "en": {"type": "text", "analyzer": "english"},
        "exact": EXACT_TEXT,
    },
}
# One full-text field per language (title, description and text of an article in that language, filled at index
# time by pipeline.store.indexing.search_field): a search reads one analysed copy per article instead of the
# standard, French and English copies of every field, and quoted phrases go to its `.exact` sub-field.
SEARCH_LANGS = {"fr": "newsroom_french", "en": "newsroom_english"}
SEARCH_OTHER = "other"  # any other or unknown language: standard analyser, accents folded
SEARCH = {"properties": {
    lang: {"type": "text", "analyzer": INDEX_ANALYZERS[analyzer], "search_analyzer": analyzer,
           "fields": {"exact": EXACT_TEXT}}
    for lang, analyzer in {**SEARCH_LANGS, SEARCH_OTHER: "newsroom_other"}.items()
}}
SENTIMENT = {
    "properties": {
        "score": {"type": "float"},
        "label": {"type": "keyword"},
        "confidence": {"type": "float"},
        "evidence": {"type": "text", "index": False},  # shown to analysts, never searched
        "corrected": {"type": "boolean"},  # an analyst's correction (see pipeline.corrections)
        "model_label": {"type": "keyword"},  # what the model said, kept when corrected
        "corrected_by": {"type": "keyword"},  # the analyst who corrected it (shown next to the label)
    }
}

ARTICLE_PROPERTIES: dict = {
    "id": KEYWORD,
    "url": KEYWORD,
    "canonical_url": KEYWORD,
    "link_ids": KEYWORD,  # ids of other links to the same story (AMP copy, tracking parameters): known, not refetched
    "domain": KEYWORD,
    "source": KEYWORD,  # feed name
    "feed_tags": KEYWORD,
    "lang": KEYWORD,
    "lang_declared": KEYWORD,
    "enrichment_level": KEYWORD,  # full | partial
    "title": {**ANALYSED_TEXT, "fields": {**ANALYSED_TEXT["fields"], "keyword": KEYWORD}},
    "text": ANALYSED_TEXT,
    "description": ANALYSED_TEXT,
    "authors": KEYWORD,
    "site_name": KEYWORD,
    "orgs": KEYWORD,  # canonical watchlist companies
    "persons": KEYWORD,
    "places": KEYWORD,
    "misc": KEYWORD,
    "entity_orgs": KEYWORD,  # every ORG entity spaCy found (watched or not)
    "topics": KEYWORD,
    "published_at": DATE,
    "first_seen_at": DATE,
    "indexed_at": DATE,
    "sentiment": SENTIMENT,
    "company_sentiment": {  # per watched company; nested so a filter binds company and score together
        "type": "nested",
        "properties": {"company": KEYWORD, **SENTIMENT["properties"]},
    },
    "extraction": KEYWORD,  # trafilatura | feed-summary
    "fallback_reason": KEYWORD,  # feed-summary only: why the page was not used (docs/fetching.md)
    "feed_version": KEYWORD,  # the feed item's date + title digest (re-fetch on change)
    "word_count": {"type": "integer"},
    "content_hash": KEYWORD,
    "cluster_id": KEYWORD,
    "warc_file": KEYWORD,
    "warc_offset": {"type": "long"},
    "run_id": KEYWORD,
    # MinHash signature of the text (base64 of uint32 values), not indexed: the near-duplicate index is
    # rebuilt from the recent documents' signatures, so no local state is needed (see pipeline.dedup).
    "minhash": {"type": "binary"},
    "search": SEARCH,
}

MENTION_PROPERTIES: dict = {
    "article_id": KEYWORD,
    "company": KEYWORD,
    "sentiment": SENTIMENT,  # toward the company
    "article_sentiment": SENTIMENT,
    "published_at": DATE,
    "indexed_at": DATE,
    "source": KEYWORD,
    "domain": KEYWORD,
    "lang": KEYWORD,
    "topics": KEYWORD,
    "feed_tags": KEYWORD,
    "title": {"type": "text", "fields": {"keyword": KEYWORD}},
    "url": KEYWORD,
    "cluster_id": KEYWORD,
    "run_id": KEYWORD,
}

RUN_PROPERTIES: dict = {
    "run_id": KEYWORD,
    "kind": KEYWORD,  # ingest | replay | airflow
    "status": KEYWORD,  # ok | partial | failed
    "started_at": DATE,
    "finished_at": DATE,
    "duration_s": {"type": "float"},
    # Counters per stage. The ones the dashboards chart are mapped explicitly (so a panel works before the first
    # run is stored); stages added later still map themselves.
    "counts": {"type": "object", "dynamic": True, "properties": {
        name: COUNT for name in ("feeds_ok", "feeds_failed", "items", "articles", "indexed", "created", "updated",
                                 "unchanged", "skipped", "mentions", "dead_letters", "spooled", "errors")}},
    "stage_seconds": {"type": "object", "dynamic": True},
    "feed_errors": {"properties": {"feed": KEYWORD, "url": KEYWORD, "error": {"type": "text"}}},
    "dead_letters": {"type": "integer"},
    "spooled": {"type": "integer"},
    "fallback_reasons": {"type": "object", "dynamic": True},  # reason → pages that fell back to the feed summary
    "skipped": {"type": "object", "dynamic": True},  # reason → items that gave no article (runs.skip_reason_field)
    "host": KEYWORD,
    "feeds": KEYWORD,  # names of the feeds the run (or task) covered
    "notes": {"type": "text"},
    "parts": {"type": "integer"},  # how many per-feed summaries were merged into this record
    "attempt": {"type": "integer"},  # 1 for the first run of a logical date, 2 for its first rerun...
    "attempts": {"type": "object", "enabled": False},  # the earlier attempts' records (kept, not searchable)
}

CORRECTION_PROPERTIES: dict = {  # one document per correction, never updated: the history is kept
    "article_id": KEYWORD,
    "target": KEYWORD,  # document | company
    "company": KEYWORD,  # canonical watchlist name (target company)
    "label": KEYWORD,  # the analyst's label
    "old_label": KEYWORD,  # the label stored before the correction
    "model_label": KEYWORD,  # what the model said (kept across successive corrections)
    "analyst": KEYWORD,  # NEWSROOM_ANALYST, else the OS user
    "note": {"type": "text"},  # why
    "corrected_at": DATE,
    "title": {"type": "text", "fields": {"keyword": KEYWORD}},
    "url": KEYWORD,
}


# ---------------------------------------------------------------------------------------------------------
# Component and composable templates, ILM policy. `pipeline.store.setup.ensure_setup` installs them.
# ---------------------------------------------------------------------------------------------------------

ROLLOVER_KINDS = ("articles", "mentions")  # written through an alias over <alias>-000001, <alias>-000002, ...


def first_index(alias: str) -> str:
    return f"{alias}-000001"


def ilm_policy_name(prefix: str) -> str:
    return f"{prefix}-lifecycle"


def ilm_policy(settings: Settings) -> dict:
    """Hot (rollover by size/age) then delete after the retention period."""
    return {
        "phases": {
            "hot": {
                "min_age": "0ms",
                "actions": {
                    "rollover": {
                        "max_primary_shard_size": settings.es_rollover_max_size,
                        "max_age": settings.es_rollover_max_age,
                    }
                },
            },
            "delete": {"min_age": f"{settings.es_retention_days}d", "actions": {"delete": {}}},
        }
    }


def mapping_meta() -> dict:
    return {"managed_by": "newsroom", "mapping_version": MAPPING_VERSION}


def component_templates(settings: Settings, with_ilm: bool) -> dict[str, dict]:
    """Named component templates: shared settings, one mapping per index kind, ILM settings per alias."""
    prefix = settings.es_index_prefix
    names = index_names(prefix)
    out: dict[str, dict] = {
        f"{prefix}-settings": {
            "settings": {
                "number_of_shards": settings.es_shards,
                "number_of_replicas": settings.es_replicas,
            }
        },
        f"{prefix}-articles-mappings": {"settings": {"analysis": ANALYSIS},
                                        "mappings": {"dynamic": "strict", "_meta": mapping_meta(),
                                                     "properties": ARTICLE_PROPERTIES}},
        f"{prefix}-mentions-mappings": {"mappings": {"dynamic": "strict", "properties": MENTION_PROPERTIES}},
        f"{prefix}-runs-mappings": {"mappings": {"dynamic": "strict", "_meta": mapping_meta(),
                                                 "properties": RUN_PROPERTIES}},
        f"{prefix}-corrections-mappings": {"mappings": {"dynamic": "strict", "properties": CORRECTION_PROPERTIES}},
    }
    if with_ilm:
        for kind in ROLLOVER_KINDS:
            out[f"{prefix}-{kind}-ilm"] = {
                "settings": {
                    "index.lifecycle.name": ilm_policy_name(prefix),
                    "index.lifecycle.rollover_alias": names[kind],
                }
            }
    return out


def index_templates(settings: Settings, with_ilm: bool) -> dict[str, dict]:
    """Composable templates (name → body for `indices.put_index_template`)."""
    prefix = settings.es_index_prefix
    names = index_names(prefix)
    out = {}
    for kind in ("articles", "mentions", "runs", "corrections"):
        composed = [f"{prefix}-settings", f"{prefix}-{kind}-mappings"]
        if with_ilm and kind in ROLLOVER_KINDS:
            composed.append(f"{prefix}-{kind}-ilm")
        pattern = f"{names[kind]}-*" if kind in ROLLOVER_KINDS else names[kind]
        out[names[kind]] = {
            "index_patterns": [pattern],
            "composed_of": composed,
            "priority": 200,
            "version": MAPPING_VERSION,
            "meta": {"managed_by": "newsroom", "description": f"newsroom {kind} ({prefix})"},
        }
    return out
