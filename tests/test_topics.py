"""Topic taxonomy (config/topics.yaml) and the stem-based matcher (pipeline.topics)."""

from __future__ import annotations

import os

import pytest

from pipeline.errors import ConfigError
from pipeline.settings import load_settings
from pipeline.topics import TopicMatcher, load_topic_matcher, load_topics_file, tokenize


@pytest.fixture(scope="module")
def matcher() -> TopicMatcher:
    return load_topic_matcher(load_settings())


def write(tmp_path, text: str):
    path = tmp_path / "topics.yaml"
    path.write_text(text, encoding="utf-8")
    return path


# ---------------------------------------------------------------- the shipped taxonomy


def test_shipped_taxonomy_covers_the_subjects_in_both_languages(matcher):
    ids = set(matcher.topic_ids)
    assert {"ai", "cloud", "semiconductors", "regulation", "funding", "digital-sovereignty", "defence",
            "cybersecurity", "data-privacy", "quantum", "telecoms"} <= ids
    config = load_topics_file(load_settings().config_path("topics.yaml"))
    for topic in config.topics:
        assert topic.label and (topic.terms.get("fr") or topic.terms.get("any")), topic.id
        assert topic.terms.get("en") or topic.terms.get("any"), topic.id


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("Les semi-conducteurs européens face à la concurrence", "fr", {"semiconductors"}),
        ("Le marché des semiconducteurs repart", "fr", {"semiconductors"}),
        ("The semiconductor shortage is over", "en", {"semiconductors"}),
        ("Semiconductors: the new oil", "en", {"semiconductors"}),
        ("Nvidia ne peut plus vendre ses puces les plus avancées", "fr", {"semiconductors"}),
        ("Une puce conçue à Grenoble", "fr", {"semiconductors"}),
        ("La souveraineté numérique, un enjeu pour l'État", "fr", {"digital-sovereignty"}),
        ("Un appel d'offres pour un cloud souverain", "fr", {"cloud", "digital-sovereignty"}),
        ("L'essor de l'IA générative inquiète les éditeurs", "fr", {"ai"}),
        ("Un nouveau modèle d'intelligence artificielle", "fr", {"ai"}),
        ("Les intelligences artificielles génératives", "fr", {"ai"}),
        ("Brussels opens a probe under the Digital Markets Act", "en", {"regulation"}),
        ("Le RGPD a sept ans", "fr", {"regulation", "data-privacy"}),
        ("La start-up annonce une levée de fonds de 20 millions d'euros", "fr", {"funding"}),
        ("Mistral AI lève 1,7 milliard d'euros", "fr", {"ai", "funding"}),
        ("The start-up raised 40 million dollars at a record valuation", "en", {"funding"}),
        ("Ransomware attack hits a hospital", "en", {"cybersecurity"}),
        ("Une cyberattaque paralyse une mairie", "fr", {"cybersecurity"}),
        ("IBM unveils a new quantum computer", "en", {"quantum", "big-tech"}),
        ("Pasqal présente un ordinateur quantique", "fr", {"quantum"}),
        ("L'industrie de défense européenne mise sur les drones", "fr", {"defence"}),
        ("Les opérateurs télécoms déploient la 5G", "fr", {"telecoms"}),
    ],
)
def test_matches_inflections_in_french_and_english(matcher, text, lang, expected):
    assert set(matcher.match(text, lang)) == expected


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Late goal sends Lyon top of the league", "en"),
        ("A stoppage-time header gave Lyon a 2-1 win at home and first place in the table.", "en"),
        ("Five autumn soup recipes for cold evenings", "en"),
        ("Hier, j'ai revu mes amis ; ils n'ai pas changé.", "fr"),
        ("Hier, j'ai revu mes amis", None),  # "ai" must not be taken for AI in either language
        ("J'ai acheté un vase au marché aux puces de Saint-Ouen", "fr"),
        ("Vacances sur la Côte d'Azur", None),
        ("Un fonds souverain norvégien investit dans l'immobilier", "fr"),
        ("The sky is clouded over Paris", "en"),
        ("Cyber Monday deals on televisions", "en"),
        ("", "fr"),
    ],
)
def test_no_false_matches(matcher, text, lang):
    assert matcher.match(text, lang) == []


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Apple picking season: the Big Apple's orchards", "en"),
        ("Orange County's apple season breaks records. Apple picking season in Orange County drew crowds.", "en"),
        ("Atos, Porthos et Aramis au théâtre d'Orange", "fr"),
        ("Thales de Milet pensait que l'eau était le principe de toute chose.", "fr"),
        ("The Oracle at Delphi drew pilgrims from across Greece.", "en"),
        ("A meta-analysis of Meta, the Colombian department's farms", "en"),
    ],
)
def test_false_friends_of_watched_companies_give_no_topic(matcher, text, lang):
    """Audit sites4 #15: the apple harvest was tagged big-tech (through "Apple"), the Three Musketeers
    software-services (through "Atos")."""
    assert matcher.match(text, lang) == []


def test_ambiguous_company_names_are_never_a_topic_term_alone(matcher):
    """A name the watchlist links only on evidence (Apple, Meta, Oracle, Atos, Thales…) is no topic evidence either;
    forms that are the company's alone still count."""
    from pipeline.enrich.watchlist import load_watchlist

    ambiguous = {a.casefold() for c in load_watchlist().companies for a in c.ambiguous}
    shipped = load_topics_file(load_settings().config_dir / "topics.yaml")
    terms = [t if isinstance(t, str) else t.term for topic in shipped.topics for ts in topic.terms.values() for t in ts]
    assert not [t for t in terms if t.casefold() in ambiguous]
    assert "big-tech" in matcher.match("Apple's iPhone sales fell in China.", "en")
    assert "software-services" in matcher.match("Le groupe Atos cède sa filiale Eviden.", "fr")


def test_acronyms_are_case_sensitive(matcher):
    assert matcher.match("L'IA et le droit", "fr") == ["ai"]
    assert matcher.match("l'ia et le droit", "fr") == []
    assert matcher.match("AI start-ups in Europe", "en") == ["ai"]
    assert matcher.match("Embargo : le plan AI du gouvernement a fuité", "fr") == ["ai"]  # French press writes "AI" too
    assert matcher.match("J'ai vu le plan, j'ai lu", "fr") == []
    assert matcher.match("J'AI VU LE PLAN", "fr") == []  # a headline in capitals
    assert matcher.match("Nvidia GPUs are scarce", "en") == ["semiconductors"]
    assert matcher.match("Il a vendu sa maison", "fr") == []  # "SaaS" stemmed would be "sa"
    assert matcher.match("Les offres SaaS des éditeurs", "fr") == ["cloud"]


def test_funding_alone_does_not_make_an_item_relevant(matcher):
    assert matcher.match("Mistral AI lève 1,7 milliard d'euros", "fr") == ["ai", "funding"]
    assert matcher.is_relevant("Mistral AI lève 1,7 milliard d'euros", "fr")
    assert matcher.match("The club's IPO raised 40 million", "en") == ["funding"]
    assert not matcher.is_relevant("The club's IPO raised 40 million", "en")
    assert not matcher.is_relevant("A Victorian house valued at 2 million pounds", "en")
    assert not matcher.is_relevant("La valorisation des déchets verts", "fr")


def test_phrase_words_must_be_consecutive_and_in_order(matcher):
    assert matcher.explain("la numérique souveraineté", "fr") == {"digital-sovereignty": ["souveraineté"]}  # not the phrase
    assert matcher.explain("numérique et souveraineté alimentaire", "fr") == {}  # excluded, and not a phrase
    assert matcher.match("computing in the cloud", "en") == []  # "cloud computing" reversed
    assert matcher.match("cloud computing", "en") == ["cloud"]
    assert matcher.match("language of the model", "en") == []


def test_accents_and_apostrophes_are_normalised(matcher):
    assert matcher.match("souverainete numerique", "fr") == ["digital-sovereignty"]
    assert matcher.match("l’intelligence artificielle", "fr") == ["ai"]  # typographic apostrophe
    assert tokenize("d'intelligence l’IA semi-conducteurs") == ["d", "intelligence", "l", "IA", "semi", "conducteurs"]


def test_unknown_language_tries_both(matcher):
    assert matcher.match("Le cloud souverain face aux hyperscalers", None) == ["cloud", "digital-sovereignty"]
    assert matcher.match("Sovereign cloud deals", "de") == ["cloud", "digital-sovereignty"]
    assert matcher.match("Sovereign cloud deals", "fr") == ["cloud"]  # only French terms (+ names) for French text
    assert matcher.match("Sovereign cloud deals", "en-GB") == ["cloud", "digital-sovereignty"]


def test_explain_lists_found_terms(matcher):
    found = matcher.explain("SAP and Mistral AI team up on sovereign AI", "en")
    assert "Mistral AI" in found["ai"] and found["digital-sovereignty"] == ["sovereign AI"]


def test_matcher_is_cached_and_reloaded_when_the_file_changes(tmp_path):
    path = write(tmp_path, "topics:\n  - id: ai\n    label: AI\n    terms: {en: [machine learning]}\n")
    settings = load_settings(config_dir=tmp_path)
    first = load_topic_matcher(settings)
    assert load_topic_matcher(settings) is first and first.match("Machine learning", "en") == ["ai"]
    path.write_text("topics:\n  - id: ml\n    label: ML\n    terms: {en: [deep learning]}\n", encoding="utf-8")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    second = load_topic_matcher(settings)
    assert second is not first and second.match("Deep learning", "en") == ["ml"]


def test_number_placeholder_and_hyphen_variants(tmp_path):
    path = write(tmp_path, "topics:\n  - id: f\n    label: F\n    terms:\n      en: [raises <num> million, e-mail]\n")
    m = load_topic_matcher(load_settings(config_dir=tmp_path))
    assert m.match("Acme raises 12 million", "en") == ["f"]
    assert m.match("Acme raises concerns", "en") == []
    assert m.match("an email", "en") == ["f"] and m.match("an e-mail", "en") == ["f"]


# ---------------------------------------------------------------- config errors


def test_config_error_names_file_topic_and_field(tmp_path):
    path = write(tmp_path, "topics:\n  - id: ai\n    label: AI\n    terms: {en: [AI]}\n"
                           "  - id: cloud\n    terms: {en: [cloud computing]}\n")
    with pytest.raises(ConfigError) as err:
        load_topic_matcher(load_settings(config_dir=tmp_path))
    message = str(err.value)
    assert str(path) in message and "'cloud'" in message and "'label'" in message


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ("topics:\n  - id: AI Topic\n    label: x\n    terms: {en: [a b]}\n", "'id'"),
        ("topics:\n  - id: ai\n    label: x\n    terms: {de: [KI]}\n", "terms"),
        ("topics:\n  - id: ai\n    label: x\n    terms: {en: []}\n", "at least one term"),
        ("topics:\n  - id: ai\n    label: x\n    terms: {en: ['---']}\n", "no word"),
        ("topics:\n  - id: ai\n    label: x\n    terms: {en: [AI]}\n  - id: ai\n    label: y\n    terms: {en: [ML]}\n",
         "used twice"),
        ("topics:\n  - id: ai\n    label: x\n    terms: {en: [AI]}\n    synonyms: [x]\n", "synonyms"),
        ("topics: [\n", "not valid YAML"),
    ],
)
def test_invalid_taxonomies_are_refused(tmp_path, body, fragment):
    path = write(tmp_path, body)
    with pytest.raises(ConfigError) as err:
        load_topics_file(path)
    assert fragment in str(err.value) and str(path) in str(err.value)


def test_missing_file_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError, match="does not exist"):
        load_topic_matcher(load_settings(config_dir=tmp_path))


# ---------------------------------------------------------------- `newsroom feeds topics`


def run_cli(*argv: str) -> int:
    from pipeline.cli import main

    try:
        main(list(argv))
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


def test_cli_shows_matches_and_relevance_verdict(capsys):
    assert run_cli("feeds", "topics", "Mistral AI lève 1,7 milliard d'euros", "--lang", "fr") == 0
    out = capsys.readouterr().out
    assert "ai (Artificial intelligence): Mistral AI" in out and "funding" in out and "relevance filter: kept" in out
    assert run_cli("feeds", "topics", "Late goal sends Lyon top of the league") == 0
    assert "no topic" in capsys.readouterr().out


def test_cli_refuses_an_invalid_taxonomy(tmp_path, monkeypatch, capsys):
    from pipeline.settings import get_settings

    write(tmp_path, "topics:\n  - id: ai\n    label: AI\n    terms: {en: AI}\n")
    monkeypatch.setenv("NEWSROOM_CONFIG_DIR", str(tmp_path))
    get_settings.cache_clear()
    assert run_cli("feeds", "topics") == 2
    err = capsys.readouterr().err.replace("\n", "")
    assert "topics.yaml" in err and "'ai'" in err and "terms.en" in err
