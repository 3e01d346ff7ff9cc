"""Lists that tell a place, a person and an organisation apart after NER.

spaCy's small and medium models call "Bourse" or "SecNumCloud" places and "Delos Cloud" a person. The checks here
are plain look-ups in lists generated from maintained packages (see build_gazetteers.py for the sources): places
with one canonical name per place ("U.S." / "États-Unis" → "United States"), first names used in French and
English news, and the words that mark an organisation name (legal forms, "Capital", "Ventures", "Cloud"…).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DIR = Path(__file__).with_name("gazetteers")
_ARTICLE = re.compile(r"^(?:l['’]|la |le |les |the )", re.IGNORECASE)
# part of a place named by direction: "Western Europe", "West Texas", "Europe du Nord", "Afrique de l'Ouest"
_PART_EN = re.compile(r"^(?:North|South|East|West|Northern|Southern|Eastern|Western|Central|Northeast|Northwest"
                      r"|Southeast|Southwest)(?:ern)?[- ](.+)$")
_PART_FR = re.compile(r"^(.+?)\s+(?:du|de l['’]\s*|centrale|occidentale|orientale|septentrionale|méridionale)"
                      r"\s*(?:Nord|Sud|Est|Ouest|Centre|Nord-Est|Nord-Ouest|Sud-Est|Sud-Ouest)?$")

# Legal forms and the head words of organisation names ("Sequoia Capital", "Delos Cloud", "Der Spiegel" is
# caught by ORG_FIRST_WORDS): none of them ends a person's name in French or English news.
ORG_WORDS = frozenset("""
inc inc. corp corp. corporation co co. ltd ltd. llc plc gmbh ag sa sas sasu sarl se nv bv spa s.p.a. ab asa oy kk
group groupe holding holdings capital ventures partners partenaires fund funds fonds investments invest bank banque
cloud labs lab technologies technology tech systems software solutions networks semiconductor semiconductors
services media médias news times journal post herald tribune review magazine hardware press presse agency agence
institute institut university université université college foundation fondation association council conseil
commission ministry ministère office committee comité authority autorité agence court cour tribunal parliament
parlement senate sénat assembly assemblée police army armée
industries industrie motors airlines airways energy énergie telecom télécom télécoms communications pharma
therapeutics robotics dynamics analytics security sécurité data intelligence computing compute research recherche
consulting conseil studio studios games entertainment markets exchange images pictures health
instruments devices electronics microsystems enterprise enterprises aerospace automation materials
securities advisors advisers brokerage insurance assurance assurances financial international
""".split())
ORG_FIRST_WORDS = frozenset({"der", "die", "das", "the", "le", "la", "les", "l'", "banque", "bank", "université",
                             "university", "institut", "institute", "agence", "agency", "ministère", "ministry",
                             "groupe", "group", "fondation", "foundation", "commission", "conseil", "cour",
                             "tribunal"})


# Companies whose name is a person's (a first name, then a surname), named without a word saying so in most stories
# ("Axel Springer signed a deal with OpenAI", « selon Roland Berger »): publishers, consultancies, banks, law firms,
# industrial and luxury houses the business and technology press writes about, each the company in nearly every
# current mention (not "Michael Page" or "Raymond James", names many living people carry). Like the watchlist's
# aliases for the watched companies, this is a list, not a rule: a name not in it is read by its context
# (entities._COMPANY_BEFORE, _LEADER_OF_BEFORE…). The founder stays a person where the text presents them as one (a
# role or a civil title just before the name: « le fondateur Roland Berger »).
EPONYMOUS_ORGS = frozenset(name.casefold() for name in """
Axel Springer|Hubert Burda|Thomson Reuters|Dow Jones|John Wiley|Arnoldo Mondadori|Reed Elsevier|Wolters Kluwer
Roland Berger|Arthur D. Little|Oliver Wyman|Egon Zehnder|Spencer Stuart|Russell Reynolds|Robert Half
Grant Thornton|Marsh McLennan|Simon-Kucher|Morgan Stanley|Goldman Sachs|J.P. Morgan|JP Morgan|Charles Schwab
Edmond de Rothschild|Piper Sandler|Franklin Templeton|T. Rowe Price|Wells Fargo|Sanford C. Bernstein
Thoma Bravo|Warburg Pincus|Hewlett Packard|Robert Bosch|Carl Zeiss|John Deere|Georg Fischer|Johnson Matthey
Louis Vuitton|Christian Dior|Hugo Boss|Yves Rocher|Estée Lauder|Calvin Klein|Tommy Hilfiger|Pierre Fabre
Louis Dreyfus|Clifford Chance|Jones Day|Baker McKenzie|August Debouzy|Herbert Smith Freehills|Hogan Lovells
Jones Lang LaSalle|Morrison Foerster|Sullivan Cromwell|Davis Polk|Cleary Gottlieb|Kaiser Permanente
""".replace("\n", "|").strip("|").split("|"))


def is_eponymous_org(name: str) -> bool:
    """Whether `name` is a company named after a person (EPONYMOUS_ORGS), any case."""
    return " ".join(name.split()).casefold() in EPONYMOUS_ORGS


@dataclass(frozen=True)
class Place:
    canonical: str
    kind: str  # union / country / continent / region / city
    population: int


def _key(name: str) -> str:
    return unicodedata.normalize("NFC", " ".join(name.split())).casefold()


@lru_cache(maxsize=1)
def _places() -> dict[str, Place]:
    table: dict[str, Place] = {}
    with (DIR / "places.txt").open(encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#"):
                continue
            form, canonical, kind, population = line.rstrip("\n").split("\t")
            table[_key(form)] = Place(canonical, kind, int(population))
    return table


@lru_cache(maxsize=4)
def _name_list(file: str) -> frozenset[str]:
    """One of the name lists `build_gazetteers` writes (one name a line, `#` comments), as lookup keys."""
    lines = (DIR / file).read_text(encoding="utf-8").splitlines()
    return frozenset(_key(n) for n in lines if n and not n.startswith("#"))


def first_names() -> frozenset[str]:
    return _name_list("first_names.txt")


NAME_LISTS = ("first_names.txt", "family_first_names.txt", "family_names.txt", "rarer_first_names.txt")


def load_name_lists() -> None:
    """Every name list and the table of places without accents, now: a process forked after this shares them rather
    than building its own copies (the places' table alone took 0.5-0.8 CPU-s in each process, on its first
    unaccented place name)."""
    for file in NAME_LISTS:
        _name_list(file)
    _places_unaccented()
    _plain_words()


@lru_cache(maxsize=1)
def _plain_words() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """The lower-case words of the English and French lexicons TextBlob's taggers ship (Brill's, from the Brown corpus
    and the Penn Treebank; Lefff), and spaCy's English and French stop words."""
    import importlib.util

    from spacy.lang.en.stop_words import STOP_WORDS as ENGLISH
    from spacy.lang.fr.stop_words import STOP_WORDS as FRENCH

    def words(package: str, file: str) -> frozenset[str]:
        path = Path(importlib.util.find_spec(package).submodule_search_locations[0]) / file
        return frozenset(word for line in path.read_text(encoding="utf-8").splitlines()
                         if not line.startswith(";;;") and (word := line.split(" ")[0])[:1].islower())

    return words("textblob", "en/en-lexicon.txt"), words("textblob_fr", "fr-lexicon.txt"), frozenset(ENGLISH | FRENCH)


def in_plain_words(name: str, own_name: str = "") -> bool:
    """Whether a place's name says what it is in plain English or French words, a description rather than a name:
    two words or more of either lexicon, not counting articles and prepositions nor the words of `own_name` ("White
    House", "Maison Blanche", "Garden City"; not « Le Cap », "City of Manila" for Manila, "Saint-Cloud")."""
    english, french, function_words = _plain_words()
    skip = function_words | set(re.split(r"[\s-]+", own_name.casefold()))  # "Port au Prince" is Port-au-Prince
    words = [w.casefold() for w in name.split() if w.casefold() not in skip]
    return len(words) >= 2 and (all(w in english for w in words) or all(w in french for w in words))


def is_plain_word(word: str) -> bool:
    """Whether a word, in lower case, is one of the English or French lexicon's ("translator", "cook")."""
    english, french, _ = _plain_words()
    return word.casefold() in english or word.casefold() in french


UNACCENTED_MIN_POPULATION = 10_000


def _unaccented(key: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFD", key) if not unicodedata.combining(ch))


@lru_cache(maxsize=1)
def _places_unaccented() -> dict[str, Place]:
    """Places by their name without accents, for the press's unaccented capitals (« Elancourt », "Zurich" for
    Élancourt, Zürich); where two places share such a name, the country or region, else the larger, wins."""
    table: dict[str, Place] = {}
    exact = _places()
    for key, place in exact.items():
        plain = _unaccented(key)
        if plain == key or plain in exact or (place.kind == "city" and place.population < UNACCENTED_MIN_POPULATION):
            continue  # a village's accent is what tells it from a word or an acronym ("SAP" is no Sáp, 1,046)
        old = table.get(plain)
        if old is None or (place.kind != "city", place.population) > (old.kind != "city", old.population):
            table[plain] = place
    return table


# a US state's or a province's code after a town and a comma: "Washington, DC", "Washington, D.C.", "Toronto, ON"
_STATE_CODE = re.compile(r"[A-Z]\.?[A-Z]\.?")


def lookup_place(name: str, unaccented: bool = False) -> Place | None:
    """The place a form stands for ("la France", "U.S", "Londres"), or None. With `unaccented`, for a name already
    known to be a place (tagged LOC), a town's name written without its accents counts too (« Elancourt »): a person's
    given name without its accent is too often a town's (Claudio, Cláudio)."""
    table = _places()
    name = " ".join(name.split()).strip(" .,;:")
    candidates = (name, name + ".", _ARTICLE.sub("", name))
    for candidate in candidates:
        place = table.get(_key(candidate))
        if place and not _acronym_of_a_town(candidate, place):
            return place
    for candidate in candidates if unaccented else ():
        key = _key(candidate)
        if key.isascii() and not candidate.isupper() and (place := _places_unaccented().get(key)):
            return place
    head, comma, rest = name.partition(",")
    if comma and head.strip() and (_STATE_CODE.fullmatch(rest.strip()) or (
            (where := lookup_place(rest)) is not None and where.kind in ("region", "country"))):
        return lookup_place(head, unaccented)  # "Washington, DC", "Austin, Texas" as one span: the town
    part = _PART_EN.match(name) or _PART_FR.match(name)
    if part and part.group(1) != name:
        whole = table.get(_key(part.group(1)))
        if whole and whole.kind != "city":
            return Place(name, "region", 0)
    return None


ACRONYM_TOWN_MAX_POPULATION = 50_000  # three capitals: an acronym, unless a city (PAU, 77,000, in a dateline)


def _acronym_of_a_town(form: str, place: Place) -> bool:
    """An acronym is no small town: "ERP" is not Erp (Netherlands), "CEA" not Cea (Spain), "SAP" not Sap; "NYC", "LA"
    and "PAU" stay places (a city of 50,000 or more, or a country or region), and so do shouted datelines of four
    letters or more (DAVOS, NIORT, VICHY)."""
    letters = form.replace(".", "")
    return (letters.isupper() and 2 <= len(letters) <= 3 and place.kind == "city"
            and place.population < ACRONYM_TOWN_MAX_POPULATION)


def canonical_place(name: str) -> str | None:
    """The canonical name of a form known to be a place (a labelled place, a LOC span): accents may be missing."""
    place = lookup_place(name, unaccented=True)
    return place.canonical if place else None


# Words the name lists carry as first names (somewhere, someone is called so) that, capitalised in the press, are
# products, shops and headlines: "Best Buy", "Smart Watch", "Hey Siri", "Gift Guide", "Baltic Sea", "Big Tech"
# (entity audit, 2026-12-03: persons on the real corpus pages), the colours opening companies' names ("Red Hat",
# "Red Eléctrica", "Blue Origin") and the events (« Salon du Bourget », "Forum", "Show"; written items, third session
# of 2026-12-05), and the "Vice" of "Vice President" (fifth session).
NOT_FIRST_NAMES = frozenset({
    "best", "smart", "hey", "gift", "true", "new", "big", "cloud", "data", "baltic", "apple", "meta", "orange",
    "gsm", "sim", "blossom", "deep", "north", "west", "sea", "sky", "star", "golden", "siri", "alexa", "jupiter",
    "red", "blue", "green", "salon", "forum", "show", "vice"})


def is_family_name_first(word: str) -> bool:
    """A first name the world mostly carries as a family name ("Kaiser", "Schwarz", "Steiner"; not "Martin", which
    is both): as the first word of a company's name ("Kaiser Permanente") it says little about a person."""
    return _key(word.strip(".")) in _name_list("family_first_names.txt")


def is_family_name(word: str) -> bool:
    """One of a country's 100 most frequent family names ("Singh", "Kumar", "Martin", "Müller")."""
    return _key(word.strip(".")) in _name_list("family_names.txt")


def is_rarer_first_name(word: str) -> bool:
    """A first name ranked in a country's 5,000 but not its 2,500 ("Rajnath"): a given name, though too rare to make
    a person of any capitalised pair (see `entities._unlisted_given_name`)."""
    return _key(word.strip(".")) in _name_list("rarer_first_names.txt")


def is_first_name(word: str) -> bool:
    """"Jean-Noël" counts when each part is a first name; "Ursula" does, "Delos Cloud"'s "Delos" does too."""
    names = first_names()
    word = word.strip(".")
    if word.casefold() in NOT_FIRST_NAMES:
        return False
    if _key(word) in names:
        return True
    parts = word.split("-")
    return len(parts) > 1 and all(_key(p) in names for p in parts)


def looks_like_org(name: str) -> bool:
    """A legal form or a capitalised organisation head word in the name ("Delos Cloud", not "Sovereign cloud"), or
    a possessive inside it ("Tom's Hardware")."""
    words = name.split()
    if not words:
        return False
    if any((w[:1].isupper() or w == "plc") and w.casefold().strip(",.") in ORG_WORDS for w in words[1:]) or (
            len(words) > 1 and words[0].casefold() in ORG_FIRST_WORDS):
        return True
    return bool(re.search(r"\w['’]s\s", name))
