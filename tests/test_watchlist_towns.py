"""A watched company named like a town (Orange, Vaucluse) is the company when it acts beside another watched company
or beside its own trade's words, and stays the town when the sentence introduces it as a place.

Mini news sites audit, seventh round (R6): « Orange y a ouvert en septembre un laboratoire consacré à la 6G, et
Capgemini emploie … » stored Orange as a place and missed the company. Texts written for these tests.
"""

from __future__ import annotations

import pytest

from pipeline.enrich import EnrichInput, get_enricher
from pipeline.settings import load_settings

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def enricher():
    return get_enricher(load_settings())


def enriched(enricher, text: str, lang: str = "fr"):
    return enricher.enrich(EnrichInput(id="t", text=text, title=None, lang=lang))


@pytest.mark.parametrize("text", [
    # a trade word of its own: the sixth generation of mobile networks
    "Plusieurs groupes renforcent leur présence dans le Var. Orange y prépare depuis l'été des essais de la 6G, "
    "selon la préfecture.",
    # another watched company acting in the same sentence, no word of the trade
    "D'autres acteurs s'installent dans la région. Orange y a inauguré un laboratoire, tandis que Capgemini y "
    "recrute 300 ingénieurs.",
    # listed beside another watched name that is an ordinary word too (fourteenth round)
    "Thales et Orange ont ouvert mardi à Vélizy, près de Versailles, un laboratoire commun dédié à la sûreté des "
    "algorithmes.",
    "Orange et Thales installeront à Brest, dans le Finistère, leur futur centre de recherche sur les réseaux.",
])
def test_a_company_named_like_a_town_is_the_company_when_it_acts(enricher, text):
    result = enriched(enricher, text)
    assert "Orange" in result.orgs
    assert "Orange" not in result.entities.LOC


@pytest.mark.parametrize("text", [
    # introduced as a place, with another watched company in the sentence
    "À Orange, Capgemini va ouvrir un centre de services de 200 personnes l'an prochain.",
    "Près d'Orange, Capgemini a racheté un ancien entrepôt pour y installer ses équipes.",
])
def test_a_town_introduced_as_a_place_stays_the_town_beside_a_company(enricher, text):
    result = enriched(enricher, text)
    assert "Orange" not in result.orgs
    assert "Capgemini" in result.orgs


def test_a_town_introduced_as_a_place_stays_the_town_beside_an_ambiguous_name(enricher):
    """A name listed beside the town speaks for the company only when nothing introduces the town as a place."""
    result = enriched(enricher, "De Carpentras à Orange, le Mistral a soufflé toute la nuit et couché des arbres.")
    assert "Orange" not in result.orgs and "Orange" in result.entities.LOC
