"""An ambiguous company name (Orange, Mistral, Apple, Dust…) links only on evidence specific to the company.

The texts come from the fourth audit's mini news sites (sites4, finding 1): generic words of the domain (« réseau »,
« groupe », "company", "shares", « IA »/"AI") used to vouch for the town of Orange, the warship Mistral, "the Big
Apple" and the film "Dust".
"""

from __future__ import annotations

import time

import pytest

from pipeline.enrich import EnrichInput, get_enricher
from pipeline.enrich.watchlist import get_linker, load_watchlist
from pipeline.errors import ConfigError
from pipeline.settings import load_settings

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def enricher():
    return get_enricher(load_settings())


def orgs(enricher, text: str, lang: str, title: str | None = None) -> list[str]:
    return enricher.enrich(EnrichInput(id="t", text=text, title=title, lang=lang)).orgs


@pytest.mark.parametrize(
    ("title", "text", "lang"),
    [
        ("Vendanges : le mistral ravage les vignes autour d’Orange",
         "À la cave coopérative d’Orange, on a dû réparer en urgence le réseau d’irrigation, endommagé par les "
         "chutes de branches. Les vignerons estiment leurs pertes à un tiers de la récolte.", "fr"),
        ("Vendanges difficiles dans le Vaucluse",
         "À Orange, la cave coopérative a dû réparer le réseau d’irrigation après la tempête. Les vignerons "
         "estiment leurs pertes à un tiers de la récolte.", "fr"),
        ("Festival", "Le festival des Chorégies d’Orange a attiré 40 000 spectateurs cet été. Le groupe de musiciens "
         "venu de Lyon a joué au théâtre.", "fr"),
        ("Apple harvest", "Apple growers in Orange County say the company that runs the biggest farm will hire 40 "
         "seasonal workers. Shares of local co-ops rose.", "en"),
        ("Marine nationale", "Le porte-hélicoptères Mistral a quitté Toulon mardi pour la Méditerranée orientale. Le "
         "groupe amphibie embarque 400 militaires et des drones pilotés par IA.", "fr"),
        ("New York tech", "The Big Apple is now the second-largest AI hub in the United States. The city's tech "
         "companies raised $12 billion this year, and shares of local start-ups soared.", "en"),
        ("Box office", "Dust, the new thriller by a Danish director, topped the box office this weekend. The company "
         "behind the film said AI tools cut its post-production costs.", "en"),
        # a name of several words needs its capital in its first word: "open AI" is a verb and a noun (mini news
        # sites, tenth round R10-1: « Telefónica Tech and IBM to open AI and quantum centre » named OpenAI)
        ("Spain to open AI and quantum centre in Madrid", "The government will open AI labs in three cities next "
         "year, the minister said on Monday.", "en"),
    ],
)
def test_generic_words_places_and_idioms_link_no_company(enricher, title, text, lang):
    assert orgs(enricher, text, lang, title) == []


@pytest.mark.parametrize(
    ("text", "lang", "company"),
    [
        ("The Senate will hear the chief executives of Capgemini and Atos on 12 November.", "en", "Atos"),
        ("Orange, l'opérateur historique, va déployer la fibre dans trois départements.", "fr", "Orange"),
        ("Dust poursuit son expansion. La jeune pousse parisienne édite une plateforme d'assistants.", "fr", "Dust"),
        ("Apple's iPhone sales fell in China for a third quarter.", "en", "Apple"),
        ("Elon Musk sued Open AI in March over its change of status.", "en", "OpenAI"),
        # its name until 2004, read as a person and a cape (real news, entities' fourth-session round)
        ("En 2000, Cap Gemini rachetait les activités de conseil d'Ernst & Young.", "fr", "Capgemini"),
    ],
)
def test_specific_evidence_still_links(enricher, text, lang, company):
    assert company in orgs(enricher, text, lang)


def test_a_generic_context_word_is_refused_naming_the_company(tmp_path):
    path = tmp_path / "watchlist.yaml"
    path.write_text("companies:\n  - name: Acme\n    ambiguous: [Acme]\n    context: [rockets, groupe]\n",
                    encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_watchlist(path)
    assert "('Acme')" in str(info.value) and "'groupe'" in str(info.value) and "context" in str(info.value)


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        # « fruit de » is "the result of": it kept Orange from linking beside Bleu and Capgemini (real news excerpt)
        ("La coentreprise Bleu, fruit de l'alliance entre Orange et Capgemini, vient de franchir une étape décisive.",
         "fr", {"Bleu", "Orange", "Capgemini"}),
        # "Dassault" alone is the planemaker when an aircraft is in sight, never the group that owns Le Figaro
        ("Cette commande de Rafale se traduira par la production par Dassault de dix-huit avions neufs.", "fr",
         {"Dassault Aviation"}),
        ("Nine-month orders were lifted by an order for Dassault-made Rafale fighters.", "en", {"Dassault Aviation"}),
        ("Le groupe Dassault, propriétaire du Figaro, a publié ses comptes.", "fr", set()),
        ("Dassault Systèmes a publié ses résultats. Dassault prévoit une croissance de son chiffre d'affaires "
         "logiciel.", "fr", {"Dassault Systèmes"}),
        # the plural of a context word vouches as its singular does
        ("Les startups françaises d'IA choisissent Paris : Bioptimus, Mistral, Nabla.", "fr", {"Mistral AI"}),
    ],
)
def test_real_news_names_link_on_their_evidence(enricher, text, lang, expected):
    assert set(orgs(enricher, text, lang)) == expected


# Entity audit (2026-12-03): ambiguous names missed in plain company news, and the cases the new evidence must not
# turn into companies. Texts written for these tests.

@pytest.mark.parametrize(
    ("title", "text", "lang", "expected"),
    [
        ("Thales : le carnet de commandes au plus haut",  # the headline read with the lead below it
         "Le groupe d'électronique de défense a enregistré 25 milliards d'euros de commandes. Patrice Caine, son "
         "PDG, salue une année record.", "fr", ["Thales"]),
        ("Orange to cut 2,000 jobs in France",
         "The French telco said on Tuesday it would cut about 2,000 jobs over three years.", "en", ["Orange"]),
        (None, "Le chiffre d'affaires d'Orange est resté stable au troisième trimestre, à 10 milliards d'euros.",
         "fr", ["Orange"]),  # a company's accounts
        ("Panne du réseau fixe d'Orange : 200 000 foyers privés d'internet",  # an outage told by what customers lost
         "Quelque 200 000 foyers ont été privés d'accès à internet et de téléphonie fixe pendant six heures lundi, à la "
         "suite d'une panne sur le réseau d'Orange.", "fr", ["Orange"]),
        ("Orange fixed-line outage cuts off 90,000 homes",
         "About 90,000 homes lost fixed-line telephony and internet access on Monday after a fault on Orange's "
         "network, the company said.", "en", ["Orange"]),
        (None, "Brussels fined Apple €500 million and Meta €200 million under the Digital Markets Act.", "en",
         ["Apple", "Meta"]),  # two ambiguous names listed together vouch for each other
        (None, "META rose 3.1%, AAPL gained 1.2% and NVDA added 2.4% in early trading.", "en",
         ["Meta", "Apple", "Nvidia"]),  # capitals and ticker symbols
        (None, "Mistral enchaîne une rafale d'annonces : un nouveau modèle, Le Chat Pro, et une levée de fonds. La "
         "licorne française accélère.", "fr", ["Mistral AI"]),  # two clues outweigh one word against
    ],
)
def test_plain_company_news_links_its_ambiguous_company(enricher, title, text, lang, expected):
    assert sorted(orgs(enricher, text, lang, title)) == sorted(expected)


@pytest.mark.parametrize(
    ("title", "text", "lang", "expected"),
    [
        (None, "Fiona Apple released her first album in years, recorded partly on her iPhone.", "en", []),
        (None, "La mairie d'Orange lance une application mobile pour signaler les nids-de-poule.", "fr", []),
        ("Arm's length from Washington: Dutch officials weigh export rules",
         "Dutch officials are weighing new rules on chip exports, which would hit ASML's sales of semiconductor "
         "equipment to China.", "en", ["ASML"]),  # an idiom holding the name rules it out whatever the lead says
    ],
)
def test_persons_towns_and_idioms_stay_out_of_the_new_evidence(enricher, title, text, lang, expected):
    assert orgs(enricher, text, lang, title) == expected


def test_a_text_of_one_long_sentence_naming_many_ambiguous_names_is_linked_in_linear_time(enricher):
    """Hostile-input audit, fifth round: with no full stop (a list, a table) a name's sentence and the ones around it
    were the whole text, and each of its N names read it all: these 16,000 characters took 42 s of CPU to link (and
    to enrich), the first 8,000 11 s to enrich. Evidence is now read at most EVIDENCE_REACH characters away."""
    names = ["Mistral", "Orange", "Atos", "Dust", "Apple"]
    text = ", ".join(f"{names[i % 5]} {'le vent' if i % 3 == 0 else 'la région'}" for i in range(1_000))
    assert len(text) > 16_000 and "." not in text
    cpu = time.process_time()
    mentions = get_linker().link(text, [(0, len(text))], [])
    assert time.process_time() - cpu < 10
    # as in a short list: ambiguous names listed together vouch for each other, and « le vent » rules Mistral out
    assert len(mentions) == 800 and {m.company for m in mentions} == {"Orange", "Atos", "Dust", "Apple"}
    orgs(enricher, "Orange a publié ses résultats.", "fr")  # the models are loaded on first use
    cpu = time.process_time()
    # spaCy reads « Orange » as the town here, but listed beside Atos and Apple with no « à » before it, the list
    # vouches for it as in the linker alone (fourteenth round: « Thales et Orange ont inauguré … »)
    assert orgs(enricher, text[:8_000], "fr") == ["Orange", "Atos", "Dust", "Apple"]
    assert time.process_time() - cpu < 10


@pytest.mark.parametrize("seed", ["Orange ", "Orange Atos ", "Orange-Atos-"])
def test_a_text_dense_with_ambiguous_names_looks_its_names_up_once(seed):
    """Hostile-input audit, sixth round: each ambiguous name looked the names of its ±1,000-character window up again,
    about 285 names a window here: 20,000 characters of « Orange » took 8.8 s of CPU to link, « Orange Atos » 10.7 s,
    « Orange-Atos- » 11.8 s (15–35 s at the 50,000 characters enrichment reads). The text's names are now looked up
    once and each window takes its own by bisection: 1.7 s, the same links."""
    text = (seed * (20_000 // len(seed) + 1))[:20_000]
    cpu = time.process_time()
    mentions = get_linker().link(text, [(0, len(text))], [])
    assert time.process_time() - cpu < 5
    # « Orange » alone has no evidence; beside Atos each vouches for the other, as in a short list
    assert len(mentions) == (0 if seed == "Orange " else 3_333)


# Mini news sites, twelfth round R12-5: a union's release about job cuts at Atos gave "Atos" as a person and no
# company (none of its context words, no accounts): the name as someone's employer is the company's evidence.
UNION_TEXT = ("Hundreds of IT specialists working for Atos in the UK will be balloted for industrial action after the "
              "company confirmed plans to cut 400 jobs. \"Our members have kept vital services running through years "
              "of turmoil at Atos,\" the union's general secretary said. Atos said it remained committed to its UK "
              "business.")


@pytest.mark.parametrize(("text", "lang"), [
    (UNION_TEXT, "en"),
    ("Les salariés d'Atos ont voté la grève. Atos a indiqué qu'il poursuivait le dialogue.", "fr"),
    ("Atos's employees will vote on the plan next week. Atos said it was confident.", "en"),
])
def test_an_ambiguous_company_named_as_an_employer_is_the_company_and_no_person(enricher, text, lang):
    result = enricher.enrich(EnrichInput(id="t", text=text, title=None, lang=lang))
    assert result.orgs == ["Atos"]
    assert "Atos" not in result.entities.PER


def test_a_company_s_last_word_said_alone_is_no_person(enricher):
    """"Telekom says the second hall would double its capacity" (mini news sites, round two): the short name of
    Deutsche Telekom, with a verb of saying, was stored as a person beside the company. A lone word that ends a
    watched company the text names is no surname; a person's surname stays ("Huang said"), also when spaCy made an
    organisation of the person's full name ("Gwynne Shotwell, president of SpaceX … Shotwell said": a corpus page)."""
    text = ("Deutsche Telekom's AI data centre in Munich is fully booked. Telekom says the second hall, due in 2028, "
            "would double its capacity. Jensen Huang visited the site. Huang said it was impressive.")
    result = enricher.enrich(EnrichInput(id="t", text=text, title=None, lang="en"))
    assert result.orgs == ["Deutsche Telekom"]
    assert result.entities.PER == ["Jensen Huang"]
    text = ("NASA picked three landers, including one from SpaceX, which bid its Starship. Gwynne Shotwell, president "
            "and chief operating officer of SpaceX, welcomed it. Shotwell said Starship missions could start soon.")
    result = enricher.enrich(EnrichInput(id="t", text=text, title=None, lang="en"))
    assert "Shotwell" in result.entities.PER or "Gwynne Shotwell" in result.entities.PER


@pytest.mark.parametrize(("text", "lang"), [
    ("Athos, Porthos and Aramis worked for the king; Atos, the youngest musketeer in the Spanish version, joined "
     "them in the film.", "en"),
    ("Les employés de la mairie d'Orange ont manifesté devant l'hôtel de ville.", "fr"),
    ("She has worked for Apple growers in the Wenatchee valley for twenty years, picking apples every autumn.", "en"),
])
def test_an_employer_frame_does_not_outweigh_a_town_a_person_or_words_against(enricher, text, lang):
    assert orgs(enricher, text, lang) == []


@pytest.mark.parametrize(("text", "lang"), [
    # seventh session (2026-12-05): 8 « Orange » of the written and real-news items were missed, the town or nothing
    ("Orange said on Friday that its network was back to normal.", "en"),
    ("Orange, which operates the landing station, said the backup generators failed to start.", "en"),
    ("Trois semaines de relances auprès d'Orange n'ont rien donné.", "fr"),
    ("Chez Orange, on démantèle et on dégraisse.", "fr"),
    ("Orange presented its plan to investors this week.", "en"),
    ("L'enjeu pour Orange est de fidéliser ses clients malgré la concurrence.", "fr"),
])
def test_a_company_named_like_a_town_speaks_is_dealt_with_and_has_customers(enricher, text, lang):
    """A town, a wind or a fruit does not say things, has no customers, investors nor subsidiaries, and one is not
    « chez » or « auprès de » it: the company is meant."""
    result = enricher.enrich(EnrichInput(id="t", text=text, title=None, lang=lang))
    assert result.orgs == ["Orange"] and "Orange" not in result.entities.LOC


@pytest.mark.parametrize(("text", "lang"), [
    ("À Orange, le maire a indiqué que le théâtre antique rouvrirait en juin.", "fr"),
    ("Près d'Orange, les vignerons ont déclaré leurs pertes à la mairie.", "fr"),
    ("Fiona Apple said her new album was recorded at home.", "en"),
])
def test_a_town_or_a_person_that_speaks_stays_the_town_or_the_person(enricher, text, lang):
    assert orgs(enricher, text, lang) == []
