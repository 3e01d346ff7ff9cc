"""Enrichment: language, entities, watchlist linking (and its false friends), tone, the `enrich` command."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipeline.enrich import EnrichInput, gazetteer, get_enricher
from pipeline.enrich.entities import clean_name
from pipeline.enrich.language import detect_language
from pipeline.enrich.lexicon import LexiconScorer
from pipeline.enrich.watchlist import WatchlistLinker, load_watchlist
from pipeline.errors import ConfigError, ModelError
from pipeline.extract import extract_file
from pipeline.settings import load_settings

FIXTURES = Path(__file__).parent / "fixtures"
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def enricher():
    return get_enricher(load_settings())


def enrich(enricher, text: str, lang: str | None = None, title: str | None = None):
    return enricher.enrich(EnrichInput(id="t", text=text, title=title, lang=lang))


def test_reference_op_ed(enricher):
    page = extract_file(FIXTURES / "site/articles/mistral-nvidia-tribune.html")
    result = enrich(enricher, page["text"], page.get("lang"), page["title"])
    assert result.lang == "fr" and result.level == "full"
    assert {"Mistral AI", "Nvidia"} <= set(result.orgs)
    assert {"Mistral AI", "Nvidia"} <= set(result.entities.ORG)
    assert "Arthur Mensch" in result.entities.PER
    assert {"France", "Essonne"} <= set(result.entities.LOC)
    assert "Mistral AI" not in result.entities.MISC  # spaCy's MISC reading is replaced by the company
    assert result.entity_sentiment["Mistral AI"].label == "negative"
    assert result.sentiment.label == "negative" and result.sentiment.score < 0
    assert "digital-sovereignty" in result.topics


def test_the_verdict_outweighs_the_company_promises(enricher):
    """Closer to the op-ed's original wording (our own paraphrase): the company's promises first, then the author's
    verdict. Hand-written here, not from the labelled files; the model reads it negative toward Mistral AI with
    P 0.66 (the promises before « Mais » count as hollow claims), so a retrained model that loses it is caught."""
    title = "Mistral Compute : l'illusion d'une souveraineté numérique"
    text = ("Mistral AI promet des centaines d'emplois en Essonne et un centre de calcul géant. "
            "L'entreprise d'Arthur Mensch a levé plus d'un milliard d'euros et se dit plus forte que jamais face "
            "aux géants américains. Le partenariat avec Nvidia doit, selon la start-up, renforcer sa position en "
            "Europe. Mais derrière les annonces, c'est une vraie défaite pour l'autonomie technologique française. "
            "En s'alliant à Nvidia, Mistral AI accepte une dépendance durable envers les puces américaines. "
            "La souveraineté que l'on nous vend n'est qu'une illusion, et c'est la souveraineté de la France qui "
            "est en péril.")
    result = enrich(enricher, text, "fr", title)
    assert {"Mistral AI", "Nvidia"} <= set(result.orgs) and "Arthur Mensch" in result.entities.PER
    assert {"France", "Essonne"} <= set(result.entities.LOC)
    assert result.entity_sentiment["Mistral AI"].label == "negative"
    assert result.sentiment.label == "negative"
    assert any("dépendance" in e for e in result.entity_sentiment["Mistral AI"].evidence)

    # one more promise, and a third party's praise: the verdict after « Mais » keeps it from being positive
    praised = text.replace("en Europe. ", "en Europe. Le président salue un projet historique et une réussite "
                                          "française. ")
    assert enrich(enricher, praised, "fr", title).entity_sentiment["Mistral AI"].label != "positive"


def test_lone_surrogates_from_json_input_are_enriched_not_a_crash(enricher):
    text = json.loads('"Mistral AI annonce une d\\u00e9faite \\ud83d pour Nvidia. Arthur Mensch est d\\u00e9\\u00e7u."')
    assert "\ud83d" in text  # what json.loads gives for a lone surrogate escape
    result = enrich(enricher, text, "fr", title="Nvidia \ud800 Mistral AI")
    assert {"Mistral AI", "Nvidia"} <= set(result.orgs) and "Arthur Mensch" in result.entities.PER


def test_long_runs_without_a_space_and_runs_of_spaces_are_enriched_in_linear_time(enricher):
    """Hostile-input audit, fifth round: 20,000 apostrophes took spaCy's tokenizer 37 CPU-s (one long token, its
    suffixes peeled one by one) and 20,000 spaces in a sentence naming two companies 57 CPU-s (the clause split read
    the run again from each space); names around them are still found."""
    enrich(enricher, "Mistral AI signe avec Nvidia.", "fr")  # the models are loaded on first use
    for lang, before, after in (("en", "Mistral AI and Nvidia met in Paris", "said Arthur Mensch. The end."),
                                ("fr", "Mistral AI et Nvidia à Paris", "a dit Arthur Mensch. Fin.")):
        text = f"{before} {' ' * 20_000}{chr(39) * 20_000} {after}"
        cpu = time.process_time()
        result = enrich(enricher, text, lang, title="'" * 5_000)
        assert time.process_time() - cpu < 10, lang
        assert {"Mistral AI", "Nvidia"} <= set(result.orgs) and "Arthur Mensch" in result.entities.PER


def test_a_company_cutting_its_own_prices_is_good_news_and_a_french_prix_is_a_price():
    """Issue 12 lists a price cut among plain good news; VADER's French translation scores « prix » as "prize"."""
    scorer = LexiconScorer()
    (price_cut, _), (job_cut, _) = scorer.score_with_signals(
        ["Scaleway cut the price of its GPU instances by 30%.", "Scaleway cut 200 jobs."], "en")
    assert price_cut > 0 > job_cut
    # a gap of up to two words inside the phrase, never across a clause
    (gpu_prices, _), (jobs_then_prices, _) = scorer.score_with_signals(
        ["Scaleway cuts GPU prices by 30%.", "Scaleway cuts jobs, prices stay."], "en")
    assert gpu_prices > 0 > jobs_then_prices
    (baisse, _), (prix, _), (encore, _) = scorer.score_with_signals(
        ["Scaleway baisse ses prix de 30 %.", "Le prix est de 10 euros.", "OVHcloud baisse encore ses tarifs."], "fr")
    assert baisse > 0 and prix == 0 and encore > 0


def test_words_that_only_share_a_terms_stem_judge_nothing():
    """« accélérateurs » (chips) share « accélérer »'s stem, « détient » shares « dette »'s, and VADER's French
    translation reads « interrogés » as interrogated: in analytic prose they made neutral facts read as judgements."""
    scorer = LexiconScorer()
    fr = [score for score, _ in scorer.score_with_signals(
        ["Nvidia détient le marché des accélérateurs.", "La dernière couche relève de Mistral AI.",
         "Les clients interrogés ont répondu.", "Le groupe relève ses prévisions.", "Sa dette s'alourdit."], "fr")]
    assert fr[:3] == [0.0, 0.0, 0.0] and fr[3] > 0 > fr[4]
    (books, _), (secured, _) = scorer.score_with_signals(
        ["Meta trained on books about national security.", "Scaleway secured a contract."], "en")
    assert books == 0.0 < secured


def _labelled_words(shared_dir) -> list[str]:
    from pipeline.enrich.lexicon import tokenize

    words: set[str] = set()
    for name in ("train-fr.jsonl", "train-en.jsonl", "enrichment-dev.jsonl"):
        for line in (shared_dir / "gold" / name).read_text(encoding="utf-8").splitlines():
            item = json.loads(line)
            words.update(tokenize(f"{item.get('title') or ''} {item['text']}"))
    return sorted(words)


def test_each_language_keeps_its_own_stems_and_the_scorer_reads_the_stems_it_was_handed(shared_dir):
    """The stems are cached per language (a cache keyed by the word alone is looked up at a fraction of the cost):
    every word of the labelled texts, French and English, gets Snowball's stem in the language asked for, whichever
    language's cache met it first, and a word's valence is the same whether the scorer hands in its stem or not."""
    from nltk.stem.snowball import SnowballStemmer

    from pipeline.enrich.lexicon import _language, _stem, stem_function

    snowball = {"fr": SnowballStemmer("french"), "en": SnowballStemmer("english")}

    def expected(word: str, lang: str) -> str:
        stem = snowball[lang].stem(word)
        if lang == "fr" and stem == word and len(word) > 5 and word.endswith("ent"):  # « dénoncent »
            stem = snowball[lang].stem(word[:-2])
        return stem

    words = _labelled_words(shared_dir)
    assert len(words) > 5000
    for lang in ("en", "fr", "en"):  # the second English pass reads words the French cache met in between
        for word in words:
            assert stem_function(lang)(word) == _stem(word, lang) == expected(word, lang), (word, lang)
    assert _stem("dénoncent", "fr") == expected("dénoncent", "fr") != expected("dénoncent", "en")
    assert _stem("informations", "de") == expected("informations", "en")  # other languages: English, as before
    for lang in ("fr", "en"):
        lexicon = _language(lang)
        for word in words:
            for name_like in (False, True):
                for quoted in (False, True):
                    assert lexicon.valence(word, name_like, quoted, stem=expected(word, lang)) == lexicon.valence(
                        word, name_like, quoted), (word, lang, name_like, quoted)


def test_remembered_valences_score_every_labelled_sentence_as_valences_looked_up_afresh(shared_dir, monkeypatch):
    """The scorer remembers each word's valence per language (with whether it reads as a name and whether it stands in
    scare quotes): every sentence of the labelled texts, and words in and out of scare quotes or as names, get the
    same scores and rule signals as when every valence is looked up afresh, also when the memory is forgotten often."""
    from pipeline.enrich import lexicon

    class Forgetful(dict):
        def __setitem__(self, key, value):
            pass  # nothing remembered: each valence looked up afresh

    sentences: dict[str, list[str]] = {"fr": ["C'est du « libre », version Menlo Park.", "Le logiciel libre est publié.",
                                              "Libre, la France ?", "Les « souverains » Libre et Souverain."],
                                          "en": ['Microsoft calls this "transparency".', "Transparency matters.",
                                                 "Amazon is great, but Great Amazon is not."]}
    for name in ("train-fr.jsonl", "train-en.jsonl", "enrichment-dev.jsonl"):
        for line in (shared_dir / "gold" / name).read_text(encoding="utf-8").splitlines():
            item = json.loads(line)
            sentences.setdefault(item.get("lang") or "en", []).extend(re.split(r"(?<=[.!?])\s+", item["text"]))
    scorer = LexiconScorer()
    for lang in ("fr", "en"):
        assert len(sentences[lang]) > 500
        language = lexicon._language(lang)
        monkeypatch.setattr(language, "valences", Forgetful())
        afresh = scorer.score_with_signals(sentences[lang], lang)
        monkeypatch.setattr(language, "valences", {})
        assert scorer.score_with_signals(sentences[lang], lang) == afresh  # remembered from the first sentences on
        assert scorer.score_with_signals(sentences[lang], lang) == afresh  # all remembered
        assert len(language.valences) > 1000
        monkeypatch.setattr(lexicon, "VALENCES_KEPT", 50)
        language.valences.clear()
        assert scorer.score_with_signals(sentences[lang], lang) == afresh  # forgotten every 50 words
        assert len(language.valences) <= 50
        monkeypatch.undo()


def test_the_vocabulary_of_technology_news_judges_nothing_unless_it_is_scare_quoted():
    """VADER, AFINN and the French translation score words that the press about technology uses as plain vocabulary:
    "artificial intelligence" (+2.1, the subject of nearly every article), a chip "fab" (+2.0, fabulous), « deux
    fois » (−0.5), le secteur « privé » (−1.1, deprived), « précise-t-il » (+1.0). In scare quotes the same word is
    someone's claim again, and its praise reads as irony (« c'est du « libre » », "calls this "transparency"")."""
    scorer = LexiconScorer()
    en = [score for score, _ in scorer.score_with_signals(
        ["OpenAI released an artificial intelligence model.", "TSMC builds a second fab in Arizona.",
         "Hugging Face published a library.", "Apple teased its next phone."], "en")]
    assert en == [0.0, 0.0, 0.0, 0.0]
    fr = [score for score, _ in scorer.score_with_signals(
        ["Le secteur privé compte deux fois plus de sites.", "Le logiciel libre est publié, précise-t-il.",
         "C'est du « libre », version Menlo Park."], "fr")]
    assert fr[:2] == [0.0, 0.0] and fr[2] < 0
    (quoted, _), = scorer.score_with_signals(['The company calls this "transparency".'], "en")
    assert quoted < 0


def test_the_vocabulary_of_hype_and_deflation_is_criticism():
    """No general lexicon scores what columnists call a company's claims: "the hype machine", "vaporware", « la
    bulle Nvidia », « une capitalisation déconnectée de la réalité », « une opération de damage control » (real
    opinion pieces read neutral, 2026-12-05). A product that lived up to the hype is still praised; « les gadgets
    connectés » are products, not a judgement."""
    scorer = LexiconScorer()
    en = [score for score, _ in scorer.score_with_signals(
        ["The tech industry's hype machine is at it again.", "The headset is vaporware.",
         "The product lived up to the hype.", "It did not live up to the hype."], "en")]
    assert en[0] < 0 and en[1] < 0 and en[2] > 0 > en[3]
    fr = [score for score, _ in scorer.score_with_signals(
        ["Nvidia, la bulle financière qui menace l'économie mondiale ?", "Une capitalisation déconnectée de la réalité.",
         "C'est une opération de damage control.", "Les gadgets connectés de Samsung se vendent bien."], "fr")]
    assert fr[0] < 0 and fr[1] < 0 and fr[2] < 0 and fr[3] >= 0


def test_hollow_claims_understatement_idioms_and_anything_but():
    """Criticism without an evaluative adjective (a sham, window dressing, « une coquille vide »), litotes that are
    praise ("no small feat", « ce n'est pas rien »), a negated comeback, and "anything but" / « tout sauf »."""
    scorer = LexiconScorer()
    en = [score for score, _ in scorer.score_with_signals(
        ["Its sovereign cloud is a sham.", "The chip is no small feat.", "The deal is anything but a win.",
         "Anything but a failure, the launch went well."], "en")]
    assert en[0] < 0 < en[1] and en[2] < 0 < en[3]
    fr = [score for score, _ in scorer.score_with_signals(
        ["Ce cloud souverain est une coquille vide.", "Ce n'est pas rien.", "Intel signe son retour en grâce.",
         "La puce d'Intel n'a rien d'un retour en grâce.", "Le contrat est tout sauf une victoire."], "fr")]
    assert fr[0] < 0 < fr[1] and fr[3] < 0 < fr[2] and fr[4] < 0


def test_quoted_criticism_can_be_denied_or_questioned_and_quoted_praise_is_irony():
    scorer = LexiconScorer()
    reported, denied, questioned, ironic = (score for score, _ in scorer.score_with_signals(
        ["Les critiques parlent d'un « désastre ».", "Le projet n'est pas un « désastre ».",
         "Microsoft en France : une « coquille vide » ?", "Le cloud de Bleu, une « réussite » ?"], "fr"))
    assert reported < 0 < denied
    assert questioned == 0  # the author doubts the criticism
    assert ironic < 0


def test_failing_at_praise_is_criticism_and_teaming_up_is_good_news():
    """Issue 12 lists concessive openings and negated praise read as positive: "struggles to win" summed a
    failure and a win to zero. A verb of failure negates what it fails at, unless it is negated itself."""
    scorer = LexiconScorer()
    struggles, fails, not_fail, short_of_hype = scorer.score(
        ["Mistral AI struggles to win customers.", "Mistral AI fails to convince investors.",
         "Nvidia did not fail to impress investors.", "The results did not live up to the hype."], "en")
    assert struggles < -0.3 and fails < -0.3 and short_of_hype < 0 < not_fail
    peine, echoue, pas_echoue, hauteur = scorer.score(
        ["Malgré une levée de fonds spectaculaire, Mistral AI peine à convaincre les entreprises.",
         "Mistral AI échoue à séduire les investisseurs.", "Mistral AI n'a pas échoué à séduire les investisseurs.",
         "Ses résultats ne sont pas à la hauteur des promesses."], "fr")
    assert peine < -0.1 and echoue < -0.3 and hauteur < 0 < pas_echoue
    # a promise is a claim, not praise ("promise" shares its stem with "promising")
    assert scorer.score(["The promise is hollow."], "en")[0] < 0
    # teaming up is good news; "the partnership" is what an op-ed may judge a defeat, so the noun stays neutral
    team_up, judged = scorer.score(["OVHcloud and Mistral AI team up.", "The partnership is a defeat for Europe."], "en")
    assert team_up > 0 and scorer.score(["Ce partenariat est une vraie défaite."], "fr")[0] < -0.3 and judged < -0.3


def test_words_of_change_shift_the_tone_of_what_changes():
    """Less of something bad is good news, more of it bad news, whatever the verb's own valence: "reduces our
    dependence" summed to -0.3 and « renforce notre dépendance » to 0.0 before."""
    scorer = LexiconScorer()
    reduces, cuts_losses, narrowed, deepens, risks, fell_amid_fears, drop_in_profits = scorer.score(
        ["The deal reduces our dependence on American chips.", "The group cuts its losses.",
         "Losses narrowed to 2 million.", "The alliance deepens our dependence.", "Risks increase.",
         "Shares fell amid fears of a slowdown.", "The drop in profits worried investors."], "en")
    assert reduces > 0 and cuts_losses > 0 and narrowed > 0
    assert deepens < 0 and risks < 0
    assert fell_amid_fears < -0.5 and drop_in_profits < -0.3  # the fears stay fears; less profit is bad news
    renforce, reduit, pertes, chomage_hausse, chomage_recul, pas_reduit, position, prix = scorer.score(
        ["Cette alliance renforce notre dépendance.", "L'accord réduit notre dépendance aux puces américaines.",
         "Les pertes ont diminué de 20 %.", "La hausse du chômage inquiète.", "Le recul du chômage se confirme.",
         "Le groupe ne réduit pas sa dépendance.", "Mistral AI renforce sa position.", "Le groupe baisse ses prix."],
        "fr")
    assert renforce < 0 < reduit and pertes > 0 and chomage_hausse < 0 < chomage_recul
    assert pas_reduit < 0  # negation still applies to the shifted word
    assert position > 0 and prix > 0  # nothing valenced to change: the verb keeps its own tone


def test_own_is_not_clean_and_peril_is_a_verdict():
    """The reference op-ed's original wording: « leur propre infrastructure, … mettant ainsi en péril la
    souveraineté » read 0.00 (« propre », "clean", +0.85 against « péril » −0.85)."""
    scorer = LexiconScorer()
    imperils, own_chips, clean = scorer.score(
        ["Mistral AI préfère s'allier à un géant américain, mettant ainsi en péril la souveraineté du pays.",
         "Le groupe conçoit ses propres puces.", "Une énergie propre."], "fr")
    assert imperils < -0.3 and own_chips == 0.0 and clean > 0
    jeopardizes, = scorer.score(["The deal jeopardizes Europe's autonomy."], "en")
    assert jeopardizes < 0


def test_company_facts_told_flatly_carry_their_tone():
    """LABELLING.md: a fine is negative for the fined company, a won contract positive for the winner, "even without
    an evaluative word". Real wire copy says most tone this way; these read 0.00 before (layoffs with a number inside
    the phrase, a certification obtained, a funding round, a contract signed)."""
    scorer = LexiconScorer()
    layoffs, certified, raised, signed = scorer.score(
        ["STMicroelectronics acte la suppression de 2 800 postes.", "Le groupe a reçu la certification SecNumCloud.",
         "La start-up a levé 220 millions d'euros.", "Quandela a signé un contrat avec EDF."], "fr")
    assert layoffs < -0.3 and certified > 0.2 and raised > 0.2 and signed > 0.2
    round_, laid_off, sued = scorer.score(
        ["OpenAI is close to finalizing a $40 billion funding round.", "The company laid off 300 workers.",
         "Musk sued OpenAI."], "en")
    assert round_ > 0.1 and laid_off < -0.3 and sued < -0.3
    # a company cutting jobs is still bad news, and cutting its prices still good news
    jobs, prices = scorer.score(["Scaleway cut 200 jobs.", "Scaleway cut the price of its GPU instances."], "en")
    assert jobs < 0 < prices


def test_a_quotation_is_not_scare_quotes_and_nos_is_not_no():
    """A held-back-style site read « Arthur Mensch : « Mistral AI restera européenne » » as irony (-0.99 toward
    Mistral AI) and « répond à nos questions » as negative (« nos » fell back to the English "no")."""
    scorer = LexiconScorer()
    quotation, named, questions, scare = scorer.score(
        ["Arthur Mensch : « Mistral AI restera européenne »", "Il promet un « Mistral Compute » en Europe.",
         "Le patron de Mistral AI répond à nos questions.", "Un cloud « souverain » hébergé par Microsoft."], "fr")
    assert quotation == 0.0 and named == 0.0 and questions == 0.0
    assert scare < 0  # a praise word alone in quotation marks stays irony


def test_restrictive_ne_que_and_que_jamais_are_not_negations():
    scorer = LexiconScorer()
    (only_illusion, _), (not_illusion, _) = scorer.score_with_signals(
        ["Ce n'est qu'une illusion.", "Ce n'est pas une illusion."], "fr")
    assert only_illusion < 0 < not_illusion
    (never_failed, _), = scorer.score_with_signals(["Ce projet n'a jamais été un échec."], "fr")
    assert never_failed > 0


def test_french_nouns_and_verbs_double_negation_and_reporting_verbs():
    scorer = LexiconScorer()
    # nouns and verbs from vaderSentiment-fr's translation, beside textblob-fr's adjectives
    disaster, not_disaster, unconvinced = scorer.score(
        ["La migration a été un désastre.", "La migration n'a pas été un désastre.",
         "Le nouveau processeur n'a pas convaincu les clients."], "fr")
    assert disaster < -0.05 and not_disaster > 0.05 and unconvinced < -0.05
    # "not without" and « pas sans » cancel out
    without, not_without, pas_sans = scorer.score(
        ["The results are without merit.", "The results are not without merit.",
         "Le résultat n'est pas sans intérêt."], "en")[:2] + scorer.score(["Le résultat n'est pas sans intérêt."], "fr")
    assert without < -0.05 and not_without > 0.05 and pas_sans > 0.05
    # a reporting verb carries no tone: what is promised does
    assert scorer.score(["Mistral AI promet un nouveau modèle."], "fr") == [0.0]
    assert scorer.score(["The company promises a new model."], "en") == [0.0]


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Le mistral a soufflé en rafales jusqu'à 110 km/h en Provence, selon Météo-France.", "fr"),
        ("Mistral : rafales à 100 km/h attendues ce week-end sur le Rhône, prévient Météo-France.", "fr"),
        ("Il a repeint la façade en orange et acheté un jus d'orange.", "fr"),
        ("Le théâtre antique d'Orange, dans le Vaucluse, accueille les Chorégies cet été.", "fr"),
        ("Thales of Miletus, the Greek philosopher, is said to have predicted an eclipse.", "en"),
        ("Le théorème de Thalès est enseigné au collège, comme l'a rappelé le philosophe.", "fr"),
        ("Pour Thalès, l'eau est le principe de toute chose.", "fr"),
        ("Atos, le cheval du jockey, a remporté la course hippique de Vincennes.", "fr"),
        ("The maple sap runs in early spring, and farmers collect it in buckets.", "en"),
        ("The lawyers said the contract was void.", "en"),
        ("The ferry from Helsingør to Helsingborg takes twenty minutes.", "en"),
        ("The plan is long on ambition but light on detail.", "en"),
    ],
)
def test_false_friends_are_not_linked(enricher, text, lang):
    assert enrich(enricher, text, lang).orgs == []


@pytest.mark.parametrize(
    ("text", "company"),
    [
        ("« MistralAI déploie ses modèles », titrait une lettre spécialisée.", "Mistral AI"),
        ("Les nouvelles puces nVidia sont disponibles chez les hébergeurs.", "Nvidia"),
        ("NVDA closed higher on Friday after the earnings call.", "Nvidia"),
        ("An outage at AWS knocked out websites across Europe.", "Amazon Web Services"),
        ("Le groupe roubaisien, que beaucoup appellent encore OVH, maintient ses objectifs.", "OVHcloud"),
        ("Alphabet said capital expenditure would reach $85 billion this year.", "Google"),
        ("DeepMind researchers published a new protein model.", "Google"),
        ("Le patron de Nvidia a cité Mistral comme l'un des partenaires les plus prometteurs en IA.", "Mistral AI"),
        ("Orange, l'opérateur télécoms, va déployer la fibre dans trois départements.", "Orange"),
        ("Thales a remporté un contrat de défense radar de plusieurs centaines de millions d'euros.", "Thales"),
        # the press's frequent misspelling, named beside another watched company or with a context word
        ("Airbus, Thalès et Leonardo ont annoncé une fusion de leurs activités satellitaires.", "Thales"),
        ("Thalès a présenté ses résultats annuels, portés par la défense.", "Thales"),
        ("SAP shares hit a record high in Frankfurt.", "SAP"),
        ("Helsing, la start-up allemande de défense, ouvre un centre à Paris.", "Helsing"),
    ],
)
def test_aliases_link_to_canonical_names(enricher, text, company):
    assert company in enrich(enricher, text).orgs


def test_entities_are_normalised(enricher):
    text = ("Emmanuel Macron a inauguré l'usine de STMicroelectronics à Crolles, en Isère. "
            "M. Macron a salué « une étape majeure » pour la France, a-t-il déclaré devant les salariés.")
    result = enrich(enricher, text, "fr")
    assert "Emmanuel Macron" in result.entities.PER and "Macron" not in result.entities.PER
    assert "France" in result.entities.LOC and "la France" not in result.entities.LOC
    assert result.orgs == ["STMicroelectronics"]
    assert clean_name("Nvidia’s", "ORG") == "Nvidia" and clean_name(" « Le Monde » ", "ORG") == "Le Monde"


def test_language_detection_uses_hint_only_when_unsure():
    assert detect_language("NVIDIA shares climbed 7% in after-hours trading on Wednesday after results.", "fr") == "en"
    assert detect_language("OK", "fr-FR") == "fr"
    assert detect_language("", None) == "und"


def test_other_languages_get_partial_enrichment(enricher):
    text = ("Die Bundesregierung und SAP haben am Mittwoch einen neuen Plan für künstliche Intelligenz "
            "und Cloud-Souveränität in Europa vorgestellt.")
    result = enrich(enricher, text)
    assert result.lang == "de" and result.level == "partial"
    assert result.orgs == ["SAP"] and result.sentiment.label == "neutral"


@pytest.mark.parametrize(
    ("sentence", "lang", "sign"),
    [
        ("Le bilan du contrat n'est pas un échec, loin de là.", "fr", 1),
        ("Les équipes du ministère ne cachent pas leur satisfaction.", "fr", 1),
        ("It would be a mistake to read the change of course as a defeat.", "en", 1),
        ("Far from retreating, the company has signed more contracts than ever.", "en", 1),
        ("Its new 'sovereign' cloud is run from Germany.", "en", -1),
        ("Appeler cela de la « souveraineté » relève de l'habileté marketing.", "fr", -1),
        ("Souverain, vraiment ?", "fr", -1),
        ("Malgré un chiffre d'affaires en léger repli, le groupe a relevé son objectif de marge.", "fr", 1),
        ("Revenue grew strongly, but the company cut its forecast for next year.", "en", -1),
        ("L'action a reculé de 6 %, sa plus forte baisse depuis un an.", "fr", -1),
    ],
)
def test_sentence_rules(sentence, lang, sign):
    assert LexiconScorer().score([sentence], lang)[0] * sign > 0.05


def test_mixed_tone_per_company(enricher):
    text = ("Mistral AI is winning over Europe's banks. Its models were praised by compliance teams. "
            "OpenAI, by contrast, faced complaints about abrupt pricing changes and vague guarantees. "
            "The company has also been criticised for repeated outages.")
    result = enrich(enricher, text, "en")
    assert result.entity_sentiment["Mistral AI"].label == "positive"
    assert result.entity_sentiment["OpenAI"].label == "negative"


def test_follow_up_reference_finds_its_company(enricher):
    text = ("Mistral AI et OpenAI ont chacun présenté un nouveau modèle cette semaine. "
            "La start-up française a été saluée pour ses performances remarquables et son prix. "
            "Microsoft et OVHcloud se disputent les marchés publics. Après une nouvelle panne d'Azure, plusieurs "
            "collectivités ont annoncé leur migration. Le groupe roubaisien se félicite de cet afflux de clients.")
    result = enrich(enricher, text, "fr").entity_sentiment
    # The follow-ups are the evidence of the right company, whatever decides the label…
    assert any("start-up française" in e for e in result["Mistral AI"].evidence)
    assert not any("start-up française" in e for e in result["OpenAI"].evidence)
    assert any("roubaisien" in e for e in result["OVHcloud"].evidence)
    assert any("panne d'Azure" in e for e in result["Microsoft"].evidence)
    # …and the rules, which read only that evidence, give each its own tone.
    rules = get_enricher(load_settings().model_copy(update={"sentiment_backend": "lexicon"}))
    result = enrich(rules, text, "fr").entity_sentiment
    assert result["Mistral AI"].label == "positive" and result["OpenAI"].label == "neutral"
    assert result["OVHcloud"].label == "positive" and result["Microsoft"].label == "negative"


def test_follow_up_references_carry_tone(enricher):
    text = ("Atos a publié jeudi ses résultats trimestriels. "
            "Le groupe de services informatiques a perdu près de 15 % en Bourse après une nouvelle chute de son "
            "chiffre d'affaires, et les analystes redoutent de nouvelles pertes.")
    assert enrich(enricher, text, "fr").entity_sentiment["Atos"].label == "negative"


def test_enrich_many_streams_in_order(enricher):
    items = [EnrichInput(id=str(i), text=t, lang=l) for i, (t, l) in enumerate([
        ("Nvidia annonce des résultats record et son action bondit.", "fr"),
        ("AWS suffered a major outage that knocked out websites.", "en"),
        ("Scaleway ouvre un nouveau centre de données à Paris.", "fr"),
    ] * 3)]
    results = list(enricher.enrich_many(iter(items), batch_size=2))
    assert [r.id for r in results] == [str(i) for i in range(9)]
    assert [r.orgs for r in results[:3]] == [["Nvidia"], ["Amazon Web Services"], ["Scaleway"]]


def test_watchlist_file_errors_name_file_entry_and_field(tmp_path):
    bad = tmp_path / "watchlist.yaml"
    bad.write_text("companies:\n  - name: Acme\n    aliases: [Acme]\n  - name: Broken\n    country: France\n",
                   encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_watchlist(bad)
    message = str(info.value)
    assert str(bad) in message and "entry #2 ('Broken')" in message and "country" in message


def test_shipped_watchlist_is_large_and_linker_respects_boundaries():
    watchlist = load_watchlist()
    assert len(watchlist.companies) >= 40
    linker = WatchlistLinker(watchlist)
    assert [m.company for m in linker.link("AWS-hosted apps and Nvidia’s chips")] == ["Amazon Web Services", "Nvidia"]
    assert linker.link("lawyers at Helsingør") == []


def test_amazon_alone_is_its_cloud_when_its_cloud_is_meant_and_the_apple_firm_is_apple(enricher):
    """LABELLING.md's gold reads "Amazon stumbles" in a cloud earnings story as Amazon Web Services; the bare word was
    never linked, so real coverage of Amazon's cloud (« le choix entre Amazon, Microsoft ou Google », "the Amazon
    outage" of its web services) lost its company. The river, the forest and the retailer's warehouses are not the
    cloud. « La firme à la pomme » is Apple, though « pomme » rules a fruit out elsewhere."""
    def orgs(text: str, lang: str = "en", title: str | None = None) -> list[str]:
        return enricher.enrich(EnrichInput(id="x", text=text, title=title, lang=lang)).orgs

    assert "Amazon Web Services" in orgs("The three largest cloud providers reported results. Amazon stock fell 5% "
                                         "in after-hours trading.", title="Microsoft shines, Amazon stumbles")
    assert "Amazon Web Services" in orgs("Amazon published its review of the outage of its web services.",
                                         title="Thoughts on the Amazon outage")
    assert "Amazon Web Services" in orgs("« Si je dois faire des choix de cloud et que j'ai le choix entre Amazon, "
                                         "Microsoft ou Google, je ne suis pas à l'aise », a-t-il dit.", "fr")
    assert "Amazon Web Services" not in orgs("Brazil will expand its monitoring of deforestation in the Amazon, "
                                             "funded by the Amazon Fund.")
    assert "Amazon Web Services" not in orgs("The average Amazon warehouse worker leaves within eight months.")
    assert orgs("Le dernier-né d'Apple a intégré de nouvelles technologies qui rendront plus accros les fans de la "
                "firme à la pomme, comme le premier iPhone.", "fr") == ["Apple"]
    assert orgs("Les producteurs de pommes du Limousin attendent la récolte.", "fr") == []


def test_missing_models_error_names_both(monkeypatch):
    from pipeline.enrich import models

    monkeypatch.setitem(models.MODEL_NAMES, "xx", ("xx_missing_official", "xx_missing_fallback"))
    with pytest.raises(ModelError) as info:
        models.load_nlp("xx")
    assert "xx_missing_official" in str(info.value) and "xx_missing_fallback" in str(info.value)


def test_enrich_command(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text(
        json.dumps({"id": "a", "lang": "fr", "text": "Mistral AI s'allie à Nvidia : une vraie défaite pour "
                    "l'autonomie technologique française, regrette Arthur Mensch."}, ensure_ascii=False) + "\n"
        + "not json\n" + json.dumps({"id": "b"}) + "\n"
        + json.dumps({"id": 7, "text": "SAP raised its outlook after record cloud growth."}) + "\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.jsonl"  # a symlink: its target gets the output, the link stays
    (tmp_path / "real").mkdir()
    out.symlink_to(tmp_path / "real" / "enriched.jsonl")
    proc = subprocess.run([sys.executable, "-m", "pipeline", "enrich", "--input", str(src), "--output", str(out),
                           "--no-progress"], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert out.is_symlink() and os.listdir(tmp_path / "real") == ["enriched.jsonl"]
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in lines] == ["a", "7"]
    for record in lines:
        assert {"id", "lang", "orgs", "entities", "sentiment", "entity_sentiment", "topics"} <= set(record)
        assert set(record["entities"]) == {"PER", "ORG", "LOC", "MISC", "place_forms"}
    assert lines[0]["orgs"] == ["Mistral AI", "Nvidia"] and lines[0]["lang"] == "fr"
    assert lines[1]["entity_sentiment"]["SAP"]["label"] == "positive"
    assert f"{src}:2: skipped, not valid JSON" in proc.stderr and "field(s) text missing" in proc.stderr
    assert "enriched 2 texts" in proc.stderr


def test_enrich_command_skips_hostile_json_lines_in_one_sentence_each(tmp_path):
    """A 5,000-digit number, 100,000 nested arrays and a lone surrogate in the id each ended the run with a bare
    traceback (ValueError, RecursionError, UnicodeEncodeError) and no output (hostile-input audit, fourth round)."""
    src = tmp_path / "in.jsonl"
    src.write_text(
        '{"id": "digits", "text": "Mistral AI.", "n": ' + "9" * 5000 + "}\n"
        + '{"id": "deep", "text": "Mistral AI.", "x": ' + "[" * 100_000 + "]" * 100_000 + "}\n"
        + '{"id": "a\\ud800", "text": "Mistral AI signs a deal with Nvidia."}\n'
        + '{"id": "ok", "text": "Mistral AI signs \\udfff a deal with Nvidia.", "title": "T\\ud800", "lang": "en\\udc00"}\n',
        encoding="utf-8")
    out = tmp_path / "out.jsonl"
    proc = subprocess.run([sys.executable, "-m", "pipeline", "enrich", "--input", str(src), "--output", str(out),
                           "--no-progress"], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stderr
    assert f"{src}:1: skipped, not valid JSON (Exceeds the limit (4300 digits)" in proc.stderr
    assert f"{src}:2: skipped, not valid JSON (nested too deeply)" in proc.stderr
    assert f"{src}:3: skipped, field id holds a lone surrogate" in proc.stderr
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in lines] == ["ok"] and lines[0]["orgs"] == ["Mistral AI", "Nvidia"]
    assert "enriched 1 texts" in proc.stderr and "2 not JSON, 1 id not valid Unicode" in proc.stderr


def test_enrich_command_refuses_a_directory_output_before_loading_models(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": "a", "text": "x"}) + "\n", encoding="utf-8")
    (tmp_path / "adir").mkdir()
    proc = subprocess.run([sys.executable, "-m", "pipeline", "enrich", "--input", str(src), "--output",
                           str(tmp_path / "adir")], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2 and "is a directory" in proc.stderr and "Traceback" not in proc.stderr
    assert sorted(os.listdir(tmp_path)) == ["adir", "in.jsonl"]


@pytest.mark.parametrize("size", ["2000", str(2**63)])
def test_enrich_command_refuses_a_batch_size_past_the_settings_limit_before_loading_models(tmp_path, size):
    """NEWSROOM_ENRICH_BATCH_SIZE stops at 1,024; `--batch-size 9223372036854775808` ended in a bare ValueError from
    islice once the models had loaded (10 s)."""
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": "a", "text": "Mistral AI signs a deal."}) + "\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "pipeline", "enrich", "--input", str(src), "--output",
                           str(tmp_path / "o.jsonl"), "--batch-size", size], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert "Invalid value for '--batch-size': Input should be less than or equal to 1024" in " ".join(proc.stderr.split())


def test_enrich_command_missing_input(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "pipeline", "enrich", "--input", str(tmp_path / "nope.jsonl"),
                           "--output", str(tmp_path / "o.jsonl")], capture_output=True, text=True, timeout=120)
    assert proc.returncode != 0 and "nope.jsonl does not exist" in proc.stderr and "Traceback" not in proc.stderr


def test_quality_on_dev_gold(shared_dir, monkeypatch):
    """Entities and companies on the dev set, and the lexicon rules' tone there (a regression guard: the rules were
    tuned on these items). The trained model learnt from them, so its tone is checked on unseen items in test_tone."""
    from benchmarks.eval_enrich import main

    monkeypatch.setenv("NEWSROOM_SENTIMENT_BACKEND", "lexicon")
    assert main(["--gold", str(shared_dir / "gold/enrichment-dev.jsonl"), "--check"]) == 0


def test_memory_zones_keep_spacy_vocabulary_from_growing(enricher, monkeypatch):
    """Every new word would stay in spaCy's vocabulary for good (hundreds of MB over thousands of real pages)."""
    import pipeline.enrich
    from pipeline.enrich.models import load_nlp

    monkeypatch.setattr(pipeline.enrich, "WARM_TEXTS", 0)
    strings = load_nlp("fr").vocab.strings
    text = "Mistral AI ouvre un centre de calcul à Paris, annonce Arthur Mensch."
    enrich(enricher, text, "fr")
    before = len(strings)
    results = [enrich(enricher, text + " " + " ".join(f"zq{k}w{n}" for n in range(40)), "fr") for k in range(5)]
    assert len(strings) == before  # 200 words never seen before, none kept
    assert all(r.orgs == ["Mistral AI"] and "Arthur Mensch" in r.entities.PER for r in results)


def test_warm_up_loads_what_enrichment_loads_on_first_use():
    """Ingest forks its collector after the warm-up: whatever loads later is loaded (and held) twice."""
    probe = (
        "from pipeline.enrich import get_enricher, gazetteer\n"
        "get_enricher().warm_up()\n"
        "print(gazetteer._places.cache_info().currsize, gazetteer._name_list.cache_info().currsize)\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.split()[-2:] == ["1", str(len(gazetteer.NAME_LISTS))], out.stdout + out.stderr


@pytest.mark.parametrize("lang, sentence, expected", [
    ("fr", "Au terme de ce long récit, le verdict s'impose : cette alliance est une vraie défaite pour l'autonomie "
           "technologique française.", "negative"),
    ("fr", "Pour ma part, je tiens cet accord pour un échec.", "negative"),
    ("fr", "Le bilan du contrat n'est pas un échec, loin de là.", "positive"),
    ("fr", "Ce n'est pas une victoire.", "negative"),
    # negated praise with « avoir rien de » (LABELLING.md's own example), and negated criticism (seventh session)
    ("fr", "La qualification de S3NS n'a pourtant rien d'une victoire pour la souveraineté.", "negative"),
    ("fr", "La panne n'a rien d'un désastre.", "positive"), ("fr", "Cette réussite n'a rien d'un hasard.", None),
    ("fr", "Le groupe a remporté une victoire.", None), ("fr", "Elle a une victoire à son actif.", None),
    ("en", "The deal is a costly mistake for Europe.", "negative"),
    ("en", "Apple's belated launch in the European Union was hardly a triumph.", "negative"),
    ("en", "We regard the partnership as a genuine breakthrough.", "positive"),
    # someone else's verdict, a question, a hypothesis, a judgement about judging: no verdict of the author's
    ("fr", "Le ministre a salué « une victoire pour la France ».", None),
    ("fr", "Pour le ministre, c'est « une vraie victoire ».", None),
    ("fr", "Le ministre considère l'accord comme une victoire.", None),
    ("fr", "C'est une erreur de croire que Mistral AI a perdu.", None),
    ("en", "It would be a mistake to read the change of course as a defeat.", None),
    ("en", "Is this a defeat?", None), ("en", "If this is a defeat, so be it.", None),
    ("en", "The company says the launch is a success.", None),
    # the review: attributed otherwise than by a reporting word, quoted over two sentences, "whether", contrast
    ("en", "Analysts believe the deal is a mistake.", None), ("en", "The deal is a milestone, Huang told reporters.", None),
    ("en", "For Huang, the deal is a milestone.", None), ("fr", "Pour le ministre, cet accord est une victoire.", None),
    ("fr", "Le plan est un échec, a jugé le sénateur lors des questions au gouvernement.", None),
    ("fr", "La levée de fonds est un succès, s'est félicité Arthur Mensch.", None),
    ("fr", "Cette alliance est une victoire pour l'Europe », a déclaré Arthur Mensch.", None),
    ("en", "The question is whether the deal is a mistake.", None),
    ("fr", "C'est une erreur de croire que c'est une défaite.", None),
    ("fr", "Ce n'est pas un échec, c'est une catastrophe.", "negative"),
    ("en", "For me, the deal is a mistake.", "negative"),
    # the verdict in the frames columnists use besides a copula (third session of 2026-12-04): « il s'agit d' »,
    # « voilà », « a tout d' », adverbs, a verbless sentence, after a colon, in apposition, in a title « X ou la … »,
    # « je vois dans … », a question that asserts
    ("fr", "Il s'agit bien là d'une vraie défaite pour l'autonomie technologique française.", "negative"),
    ("fr", "Voilà une vraie défaite pour l'autonomie technologique française.", "negative"),
    ("fr", "Une vraie défaite pour l'autonomie technologique française.", "negative"),
    ("fr", "Appelons les choses par leur nom : une vraie défaite pour l'autonomie technologique française.", "negative"),
    ("fr", "Mistral Compute, une vraie défaite pour l'autonomie technologique française.", "negative"),
    ("fr", "Mistral Compute ou la vraie défaite de l'autonomie technologique française", "negative"),
    ("fr", "Cet accord a tout d'une vraie défaite.", "negative"),
    ("fr", "Ce que l'on nous vend comme un triomphe est en réalité une vraie défaite.", "negative"),
    ("fr", "Je vois dans cette alliance une vraie défaite pour l'autonomie technologique française.", "negative"),
    ("fr", "Comment ne pas y voir une vraie défaite pour l'autonomie technologique française ?", "negative"),
    ("en", "It is nothing short of a real defeat for European technological autonomy.", "negative"),
    ("en", "A real defeat for European technological autonomy.", "negative"),
    ("en", "This is, quite simply, a real defeat.", "negative"),
    ("en", "How can anyone not see this as a real defeat?", "negative"),
    ("en", "Amazon Web Services' sovereign cloud is not a sham, whatever critics say", "positive"),
    # frames a second batch of op-eds used (« restera comme », « je n'y vois qu' », "has suffered")
    ("fr", "Ce partenariat restera, sauf sursaut, comme une vraie défaite pour l'autonomie technologique.", "negative"),
    ("fr", "Je n'y vois, pour ma part, qu'une vraie défaite pour l'autonomie technologique française.", "negative"),
    ("en", "Europe has suffered, in short, a real defeat in its quest for technological autonomy.", "negative"),
    ("fr", "Je ne vois pas une vraie défaite dans cet accord.", None), ("fr", "Je n'y vois aucune défaite.", None),
    # a name in quotation marks elsewhere in the sentence leaves the verdict the author's (a third batch of op-eds)
    ("fr", "Disons-le : l'accord pour bâtir « Mistral Compute » est une vraie défaite pour l'autonomie technologique.",
     "negative"),
    ("en", "Let us call Deutsche Telekom's new \"Industrial AI Cloud\" what it is: a real defeat for European autonomy.",
     "negative"),
    ("fr", "Le ministre parle d'une « étape historique » : c'est une vraie défaite.", "negative"),
    ("en", "He called it \"a real defeat for Europe\".", None),
    ("fr", "Au terme de cet inventaire, difficile de parler d'autre chose que d'une vraie défaite pour l'autonomie.",
     "negative"),
    # frames the third batch still missed (fourth session of 2026-12-04): the verdict as what a verb takes for granted
    # (« n'effacent pas », « ne fait pas oublier », "cannot hide"), conceded with a shrug (« Qu'importe qu'il s'agisse
    # d' »), a question no one needs answered (« Faut-il être ingénieur pour voir… »), what history will remember, a
    # noun framing it (« l'aveu d' », "the symbol of"); a concessive « si … soient-ils » is no hypothesis
    ("fr", "Quelques centaines d'emplois, si précieux soient-ils, n'effacent pas une vraie défaite pour l'autonomie.",
     "negative"),
    ("fr", "Le milliard levé ne fait pas oublier une vraie défaite.", "negative"),
    ("fr", "Les selfies ne changent rien à une vraie défaite.", "negative"),
    ("fr", "Aucune promesse ne saurait masquer une vraie défaite.", "negative"),
    ("fr", "La communication maquille une vraie défaite en victoire.", "negative"),
    ("fr", "Qu'importe, au fond, qu'il s'agisse en réalité d'une vraie défaite : le communiqué était beau.", "negative"),
    ("fr", "Faut-il vraiment être ingénieur pour voir dans ce partenariat une vraie défaite ?", "negative"),
    ("fr", "Il faut être aveugle pour ne pas voir dans ce partenariat une vraie défaite.", "negative"),
    ("fr", "Les historiens de l'industrie retiendront peut-être ce mois de juin comme la date d'une vraie défaite.",
     "negative"),
    ("fr", "C'est l'aveu d'une vraie défaite pour l'autonomie technologique française.", "negative"),
    ("en", "A few hundred jobs do not erase a real defeat for European technological autonomy.", "negative"),
    ("en", "No amount of spin can disguise a real defeat.", "negative"),
    ("en", "Do you really need to be an engineer to see this deal as a real defeat?", "negative"),
    ("en", "History will remember this June as a real defeat.", "negative"),
    ("en", "The deal will go down as a real defeat.", "negative"),
    ("en", "The deal is the symbol of a real defeat.", "negative"),
    ("fr", "Cette levée ne masque pas une vraie réussite.", "positive"),
    ("fr", "Selon l'économiste, les emplois n'effacent pas une vraie défaite.", None),
    ("fr", "Si les emplois n'effacent pas une vraie défaite, que dire du reste ?", None),
    ("fr", "Le gouvernement retiendra ce mois de juin comme une vraie victoire.", None),
    ("fr", "Qu'il s'agisse d'une défaite ou non, le chantier avance.", None),
    ("en", "Critics argue the jobs do not erase a real defeat.", None),
    ("en", "Supporters will remember this June as a real victory.", None),
    # … and what a fourth batch of op-eds used: the noun after « ni … mais », a defeat celebrated, a reporting word
    # that is a noun (« cette annonce »), « si » intensifying, "For all the jobs", a verdict in an image, "turns out to be"
    ("fr", "Je n'y vois ni une victoire ni même un match nul, mais une vraie défaite pour l'autonomie.", "negative"),
    ("en", "I see it not as a victory but as a real defeat.", "negative"),
    ("fr", "Rarement aura-t-on fêté avec autant d'entrain une vraie défaite pour l'autonomie technologique.", "negative"),
    ("fr", "Le ministre a fêté une belle victoire.", None),
    ("fr", "Je tiens pourtant cette annonce pour une vraie défaite, et je m'étonne qu'on soit si peu nombreux à le dire.",
     "negative"),
    ("fr", "L'annonce de l'Essonne, sous ses dehors flatteurs, constitue une vraie défaite pour l'autonomie.", "negative"),
    ("fr", "Mistral AI annonce une vraie victoire.", None),
    ("en", "For all the jobs and all the money, this is a defeat.", "negative"),
    ("fr", "Il faut pourtant voir cette annonce pour ce qu'elle est : un aveu de faiblesse.", "negative"),
    ("en", "Look closer and the word sovereign turns out to be a fig leaf.", "negative"),
    ("en", "What Orange has built for itself is a gilded cage.", "negative"),
    ("en", "It is dependence with a French flag on the door.", "negative"),
    ("fr", "Le débat, un cheval de Troie ?", None),
    # frames probed before a fifth batch was read, and two that batch used (« Maquiller en triomphe une vraie défaite…,
    # voilà », « aura consacré »); a belief judged (« Croire que… relève de l'illusion ») is no verdict on the matter
    ("en", "There is no other word for it: defeat.", "negative"), ("fr", "Le résultat est là : une défaite.", "negative"),
    ("en", "The deal is less a partnership than a surrender.", "negative"),
    ("fr", "Ce partenariat tient moins de l'alliance que de la capitulation.", "negative"),
    ("en", "It is hard to call this anything other than a defeat.", "negative"),
    ("en", "One can only call this a defeat.", "negative"),
    ("fr", "On ne saurait appeler cela autrement qu'une défaite.", "negative"),
    ("en", "Sovereignty? This is its defeat.", "negative"), ("fr", "L'alliance relève de la capitulation.", "negative"),
    ("fr", "Tout cela ressemble fort à une capitulation.", "negative"),
    ("fr", "Maquiller en triomphe une vraie défaite pour l'autonomie, voilà le tour de force des communicants.",
     "negative"),
    ("fr", "Jamais communiqué n'aura consacré une vraie défaite avec autant de fanfare.", "negative"),
    ("fr", "OVHcloud ressemble moins à un futur géant qu'à un château de cartes patriotique.", "negative"),
    ("fr", "Ce que l'on présente comme une renaissance tient de l'acharnement thérapeutique.", "negative"),
    ("fr", "Le groupe n'est plus qu'une coquille vide.", "negative"),
    ("en", "The transaction resembles a bad deal.", "negative"),
    ("fr", "Pour l'autonomie française, c'est une défaite.", "negative"),
    ("en", "For Europe, this is a real defeat.", "negative"),
    ("en", "The dependence is not reduced.", None),
    ("fr", "Kyutai publie un modèle vocal ouvert : une avancée à nuancer", None),
    ("fr", "Croire que l'Europe conservera son avance en gardant ses travaux dans un tiroir relève de l'illusion.", None),
    # a defeat named by its stake, in whatever frame (fifth session of 2026-12-04: a sixth batch of op-eds): the noun
    # phrase about autonomy, sovereignty, a country or Europe is the verdict, unless denied, quoted, reported or asked
    ("fr", "Additionnez ces chiffres et vous obtenez une vraie défaite pour l'autonomie technologique française.",
     "negative"),
    ("fr", "Mistral AI a transformé une promesse de souveraineté en une vraie défaite pour l'autonomie technologique.",
     "negative"),
    ("fr", "Quand le meilleur espoir confie ses fondations à un catalogue étranger, comment ne pas y voir une vraie "
           "défaite pour l'autonomie technologique française ?", "negative"),
    ("en", "History will file S3NS as one more defeat for European technological autonomy.", "negative"),
    ("en", "That is what a defeat for sovereignty looks like when it is negotiated in advance.", "negative"),
    ("en", "It is hard to see the project as anything but a real defeat for European technological autonomy.",
     "negative"),
    ("fr", "Loin d'être une vraie défaite pour l'autonomie technologique française, c'est un pari.", None),
    ("en", "Far from being a defeat for European sovereignty, the deal is a first step.", None),
    ("en", "A researcher called the reliance on one supplier ‘a real defeat for French tech autonomy’.", None),
    ("en", "Commentators lined up to call it a defeat for European sovereignty.", None),
    ("fr", "Les commentateurs y ont vu une vraie défaite pour l'autonomie technologique française.", None),
    ("fr", "Est-ce une vraie défaite pour l'autonomie technologique française ?", None),
    ("fr", "Si c'est une vraie défaite pour l'Europe, il faudra le dire.", None),
    # … but someone else's verb of saying or judging makes the stake's defeat theirs; the first person keeps it the
    # author's
    ("en", "The union described the plan as a defeat for French industry.", None),
    ("en", "Several MEPs saw the deal as a defeat for European sovereignty.", None),
    ("en", "The ruling is seen by many as a setback for European sovereignty.", None),
    ("fr", "L'opposition y voit une défaite pour la souveraineté.", None),
    ("fr", "La CGT évoque un recul pour la souveraineté.", None),
    ("fr", "Le Sénat redoute une défaite pour l'autonomie stratégique.", None),
    ("fr", "J'y vois une défaite pour l'autonomie technologique française.", "negative"),
    ("en", "I call it a defeat for European autonomy.", "negative"),
    # « si » or "if" before the author's own verb of saying explains an assertion (an eighth batch of op-eds)
    ("fr", "Si j'écris que nous assistons à une vraie défaite pour l'autonomie technologique française, ce n'est pas "
           "par goût du déclinisme.", "negative"),
    ("en", "If I call this a defeat for European sovereignty, it is not out of spite.", "negative"),
    ("en", "If this is a defeat for Europe, say so.", None),
    # a bare noun exclaimed mimics the critics; "the case that…", « la thèse selon laquelle… » are someone's argument
    ("fr", "Dépendance !", None), ("en", "The case that it is a defeat.", None),
    ("fr", "La thèse selon laquelle c'est une vraie défaite ne tient pas.", None),
    # questions that assert by asking what else it could be (a seventh batch of op-eds)
    ("fr", "Que voir d'autre, dans cette opération, qu'une vraie défaite pour l'autonomie technologique française ?",
     "negative"),
    ("fr", "Qu'est-ce, sinon une vraie défaite pour l'autonomie technologique française ?", "negative"),
    ("en", "What else is this but a real defeat for European autonomy?", "negative"),
    ("en", "What is this deal, if not a defeat for European sovereignty?", "negative"),
    ("fr", "Que faut-il voir dans cette opération ? Une vraie défaite pour l'autonomie ?", None),
    # a verdict noun a conditional predicates is a counterfactual (a positive op-ed rebutting its critics)
    ("fr", "La véritable défaite aurait été de ne rien faire.", None),
    ("en", "The real defeat would have been to do nothing.", None),
    # « critique » after a noun is the adjective, not someone else's charge
    ("fr", "Chaque composant critique est importé : voilà une vraie défaite pour l'autonomie technologique française.",
     "negative"),
    # … and what stays no verdict: a fact opening a sentence, a true question, a denial, an incise, "is to say"
    ("fr", "Le recul de Soitec est net.", None), ("fr", "Faut-il y voir une vraie défaite ?", None),
    ("fr", "Il ne faut pas voir une vraie défaite dans cet accord.", None),
    ("fr", "Une lourde erreur, estime le sénateur.", None),
    ("fr", "C'est une vraie défaite, tranche l'économiste.", None),
    ("fr", "Cela ne veut pas dire que c'est une vraie défaite.", None),
    ("en", "A major setback for the company, analysts say.", None),
    ("en", "We do not regard it as a failure.", None),
    ("en", "None of this is to say open models are a bad idea.", None),
])
def test_the_authors_verdict_stated_outright_is_found(lang, sentence, expected):
    from pipeline.enrich.sentiment import Sentence, author_verdict

    opening = Sentence(0, 10, "Mistral AI a présenté Mistral Compute." if lang == "fr" else "Mistral AI launched it.")
    found = author_verdict([opening, Sentence(11, 11 + len(sentence), sentence)], lang)
    assert (found[1] if found else None) == expected
    if found:
        assert found[0] == 1


@pytest.mark.parametrize("lang, title, text, subject", [
    ("en", "Bleu's certification is not the breakthrough its owners claim",
     "Bleu, the joint venture of Orange and Capgemini, has obtained the SecNumCloud qualification for its office suite. "
     "The service runs Microsoft software on servers in France. Customers will be able to move their documents from "
     "next spring.", "Bleu"),
    ("fr", "La qualification de S3NS n'a rien d'une victoire",
     "S3NS, la coentreprise de Thales et de Google, a obtenu la qualification SecNumCloud. Les administrations pourront "
     "y héberger des données sensibles à partir de janvier. L'offre repose sur la technologie de Google.", "S3NS"),
])
def test_a_verdict_stated_in_the_headline_decides_when_the_body_states_none(enricher, lang, title, text, subject):
    """Seventh session: an op-ed's headline often carries its verdict and its body the facts told flatly (a shared item
    read positive, the S3NS text positive toward S3NS without its headline)."""
    result = enrich(enricher, text, lang, title=title)
    assert result.sentiment.label == "negative" and result.entity_sentiment[subject].label == "negative"
    assert enrich(enricher, text, lang).sentiment.label != "negative"  # the facts alone are no verdict


@pytest.mark.parametrize("lang, text, expected", [
    ("en", "Atos loses its rail signalling contract to Capgemini", {"Atos": "negative", "Capgemini": "positive"}),
    ("en", "The ministry picked Scaleway, replacing Oracle after a decade", {"Oracle": "negative"}),
    ("en", "The retailer is moving its analytics from Salesforce to SAP", {"Salesforce": "negative", "SAP": "positive"}),
    ("fr", "Orange perd le contrat de la région au profit de Scaleway", {"Orange": "negative", "Scaleway": "positive"}),
    ("fr", "Thales s'impose au détriment d'Airbus", {"Airbus": "negative"}),
    ("fr", "La banque quitte Oracle pour SAP", {"Oracle": "negative", "SAP": "positive"}),
    # no switch between the two: nothing decided
    ("en", "Atos and Capgemini lost ground to falling demand", {}),
    ("en", "Capgemini said Atos had lost money", {}),
    ("fr", "Orange a signé avec Scaleway un accord de revente", {}),
])
def test_a_customer_or_contract_moving_between_companies_gives_each_its_side(lang, text, expected):
    from pipeline.enrich.sentiment import switch_roles
    from pipeline.enrich.watchlist import Mention

    names = ["Atos", "Capgemini", "Scaleway", "Oracle", "Salesforce", "SAP", "Orange", "Thales", "Airbus"]
    mentions = [Mention(n, m.start(), m.end(), n, "alias") for n in names for m in re.finditer(rf"\b{n}\b", text)]
    assert switch_roles([(text, mentions, 0)], lang) == expected


def test_the_company_that_wins_the_contract_is_positive_beside_the_loser(enricher):
    """A fresh batch of written cases: "Salesforce loses Nordhem contract to Microsoft" gave Microsoft the loser's
    negative label (the sentence they share is the loser's). Our own wording here."""
    title = "Atos loses its rail signalling contract to Capgemini"
    text = ("Atos has lost the contract to maintain the signalling software of a regional rail network to Capgemini, the "
            "operator said on Monday. The operator cited delays and cost overruns on the previous contract. Capgemini "
            "will take over in March with a team of 200 engineers.")
    result = enrich(enricher, text, "en", title)
    assert result.entity_sentiment["Atos"].label == "negative"
    assert result.entity_sentiment["Capgemini"].label == "positive"


def test_only_a_negative_stated_verdict_decides():
    """Sarcasm states praise outright too (a shared item: "Microsoft calls this a milestone for digital sovereignty.
    We call it a milestone for technical writers."): a positive verdict changes no label."""
    from pipeline.enrich.tone import follows_verdict
    from pipeline.models import Sentiment

    negative, neutral = Sentiment(label="negative", score=-0.4), Sentiment(label="neutral", score=0.0)
    assert follows_verdict(negative, "positive").label == "negative"
    assert follows_verdict(neutral, "positive").label == "neutral"
    assert follows_verdict(Sentiment(label="positive", score=0.6), "negative").label == "negative"
    assert follows_verdict(neutral, "negative").label == "negative"


def test_an_op_ed_reporting_the_promises_at_length_follows_the_authors_stated_verdict(enricher):
    """Ten op-eds on the reference case's structure (written for the check, 450–750 words: the promises and the
    officials' praise reported at length, the verdict stated once) read Mistral AI positive at P 0.98 in two cases
    and neutral in seven: the praise, in the vocabulary of success, outweighed the one sentence of verdict. This
    paraphrase (our own, shorter) is as misleading for the model and the lexicon."""
    title = "Mistral Compute : le grand récit d'un champion européen"
    text = ("Il faut reconnaître à la présentation une réelle efficacité. Arthur Mensch, directeur général de Mistral AI, "
            "a présenté Mistral Compute comme une plateforme européenne complète, brillante et ambitieuse. "
            "L'entreprise a évoqué un investissement d'un milliard d'euros et des centaines d'emplois en Essonne. "
            "Le ministre a salué une étape décisive pour la France, les élus ont célébré un succès remarquable et "
            "les analystes ont souligné combien l'opération renforçait la position de Mistral AI. "
            "Les premiers clients, de grands groupes industriels, se disent enthousiastes. "
            "Tout cela a été dit, répété et relayé avec enthousiasme. "
            "Les puces viennent de Nvidia, le logiciel aussi, et les emplois seront ceux d'exploitants. "
            "Cette alliance est une vraie défaite pour l'autonomie technologique française.")
    result = enrich(enricher, text, "fr", title)
    assert result.entity_sentiment["Mistral AI"].label == "negative" and result.sentiment.label == "negative"


@pytest.mark.parametrize("lang, sentences, expected", [
    # a negative verdict outranks praise stated later or earlier (only a negative verdict decides)
    ("fr", ["C'est une vraie défaite pour l'autonomie technologique française.",
            "Ce n'est pas une faute morale ; c'est un choix commercial."], (0, "negative")),
    ("fr", ["Sur le papier, c'est un succès.", "Dans les faits, ce gain n'a rien d'une victoire."], (1, "negative")),
    ("en", ["The launch is a success for the company.", "The rollout is not a failure either."], (1, "positive")),
    # a question the author answers at once is a verdict; one left open is not
    ("fr", ["Faut-il y voir une vraie défaite pour l'autonomie technologique française ?",
            "La question paraît déplacée tant l'enthousiasme a été unanime.", "La réponse, hélas, est oui."],
     (0, "negative")),
    ("fr", ["Faut-il y voir une vraie défaite pour l'autonomie technologique française ?",
            "La question paraît déplacée tant l'enthousiasme a été unanime.", "Le débat reste ouvert."], None),
    # a hypothesis the author then asserts is a verdict; one left a hypothesis is not
    ("en", ["If Bleu were nothing more than a Microsoft subsidiary in French colours, it would be a defeat for Europe.",
            "It is exactly that."], (0, "negative")),
    ("fr", ["Si l'on voulait résumer l'affaire, on parlerait d'une vraie défaite pour l'autonomie technologique.",
            "Je le dis sans détour : c'en est une."], (0, "negative")),
    ("en", ["If the chips came late, it would be a defeat for Europe.", "They arrived on time."], None),
])
def test_which_stated_verdict_is_the_authors(lang, sentences, expected):
    """Third session of 2026-12-04, fourteen op-eds on the reference case written for the check: a later « ce n'est
    pas une faute morale » cancelled « C'est une vraie défaite… », and « Faut-il y voir une vraie défaite… ? »
    answered « la réponse, hélas, est oui » was no verdict."""
    from pipeline.enrich.sentiment import Sentence, author_verdict

    spans, start = [], 0
    for text in sentences:
        spans.append(Sentence(start, start + len(text), text))
        start += len(text) + 1
    assert author_verdict(spans, lang) == expected


def test_the_verdict_reaches_the_company_the_op_ed_names_most_when_another_opens_it(enricher):
    """An op-ed on Mistral AI's alliance that opens on « Le géant américain Nvidia » took Nvidia alone as its subject
    (the first company its body names): the verdict, found, left Mistral AI positive. Our own wording."""
    text = ("Le géant américain Nvidia a trouvé en France un client de choix. Mistral AI, la start-up d'Arthur Mensch, a "
            "présenté Mistral Compute, une plateforme de calcul installée en Essonne. Mistral AI promet des centaines "
            "d'emplois, un milliard d'euros d'investissement et une position renforcée face aux laboratoires "
            "américains. Le ministre a salué un succès remarquable pour la France. Mistral AI a multiplié les annonces "
            "enthousiastes, et ses partenaires industriels se disent ravis. Mistral AI, enfin, assure que les données "
            "resteront sous juridiction européenne. Le bilan, lui, est sans appel : une vraie défaite pour l'autonomie "
            "technologique française. Ce n'est pas une faute morale ; c'est un choix commercial.")
    result = enrich(enricher, text, "fr")
    assert result.sentiment.label == "negative" and result.entity_sentiment["Mistral AI"].label == "negative"


@pytest.mark.parametrize("lang, sentence", [
    ("fr", "Cette alliance est" + " " * 5_000 + "x"), ("fr", "C'est pas" + " " * 5_000 + "x"),
    ("en", "The deal is" + " " * 5_000 + "x"), ("fr", "Je n'y vois" + ", a," * 5_000),
    ("fr", "Les historiens" + " " * 5_000 + "retiendront" + " " * 5_000 + "x"),
    ("fr", "C'est le" + " " * 5_000 + "symbole" + " " * 5_000 + "x"), ("fr", "Faut-il" + " " * 5_000 + "être" + " " * 5_000),
    ("en", "is the" + " " * 5_000 + "symbol" + " " * 5_000 + "of" + " " * 5_000 + "x"),
])
def test_a_stated_verdict_is_looked_for_in_linear_time_on_runs_of_spaces(lang, sentence):
    """Three whitespace quantifiers in a row (after the verb, after a negation, after an article) made the search
    cubic in a run of spaces: 5,000 spaces after « est » took over two minutes of CPU."""
    from pipeline.enrich.sentiment import Sentence, author_verdict

    author_verdict([Sentence(0, 4, "Warm")], lang)  # the lexicon loads on the first call
    cpu = time.process_time()
    assert author_verdict([Sentence(0, len(sentence), sentence)], lang) is None
    assert time.process_time() - cpu < 2


def test_the_verdict_nouns_spelt_by_shared_prefix_find_what_the_plain_alternation_finds(shared_dir):
    """The sentences without a verdict noun are passed over by one search of the nouns, now spelt letter by letter
    (« d(?:éfaite|ésastre|…) »): on every sentence of the labelled texts, on each noun cut short, lengthened, inside a
    longer word or followed by another letter, in French and English, it finds a noun exactly where the plain
    alternation of the nouns does."""
    from pipeline.enrich.sentiment import _ANY_VERDICT_NOUN, _VERDICT_NOUNS, _top_level_alternatives

    texts = []
    for name in ("train-fr.jsonl", "train-en.jsonl", "enrichment-dev.jsonl"):
        for line in (shared_dir / "gold" / name).read_text(encoding="utf-8").splitlines():
            texts += re.split(r"(?<=[.!?])\s+", json.loads(line)["text"].lower())
    for lang in ("fr", "en"):
        nouns = "|".join(_VERDICT_NOUNS[lang]).lower()
        plain = re.compile(r"(?:" + nouns + r")\b")
        words = [w for w in _top_level_alternatives(nouns) if re.escape(w) == w.replace(" ", r"\ ").replace("-", r"\-")]
        assert len(words) > 40
        made = [f"{lead}{word[:cut]}{tail}" for word in words for cut in (len(word) - 1, len(word))
                for lead in ("", "in", "une ", "'") for tail in ("", "s", "e", ".", " pour", "-x")]
        made += ["a step backwards", "a step backward.", "a step back", "an admission of defeat", "admission of"]
        found = 0
        for text in texts + made:
            assert bool(_ANY_VERDICT_NOUN[lang].search(text)) == bool(plain.search(text)), (lang, text)
            found += bool(plain.search(text))
        assert found > 500


def test_text_tokenized_elsewhere_with_a_bare_nt_is_enriched_and_read_as_the_contraction():
    """Copy tokenized by another tool splits "don't" into "do n't": the bare "n't" became an empty word beside the
    negation, and the tone model's word reader failed on it (IndexError) for the whole article."""
    from pipeline.enrich.lexicon import tokenize

    assert tokenize("They do n't like it") == tokenize("They don't like it")
    (result,) = get_enricher().enrich_many([EnrichInput(
        id="a", lang="en", title="Nvidia",
        text="Analysts do n't expect Nvidia to slow down. The chipmaker did n't comment on the deal with Microsoft.")])
    assert result.level == "full" and "Nvidia" in result.orgs


def test_a_round_up_s_table_gives_the_towns_of_its_place_column(enricher):
    """A startup site's weekly round-up (mini sites, eighth round): spaCy ran "Wintr | Fintech | Lille" into one
    organisation and tagged no other town in the table; every town of its « Ville » column is a place, and no name
    crosses a cell's bar."""
    page = extract_file(
        FIXTURES / "minisites/pepites/2026/12/05/levees-de-fonds-semaine-dust-photoroom-pigment/index.html")
    result = enrich(enricher, page["text"], "fr", page["title"])
    assert {"Nanterre", "Toulouse", "Aix-en-Provence", "Lyon", "Lille", "Rennes", "Nantes", "Bordeaux"} <= set(
        result.entities.LOC)
    assert not [name for names in (result.entities.ORG, result.entities.PER, result.entities.MISC) for name in names
                if "|" in name]
