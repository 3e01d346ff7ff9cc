"""Site furniture dropped from extracted text (pipeline.boilerplate), on pages built like regional and paywalled press."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest

from pipeline.boilerplate import is_byline, is_date_line, strip_boilerplate
from pipeline.extract import article_from_summary, extract_article
from pipeline.models import FeedItem
from pipeline.urls import article_id

PAGES = Path(__file__).resolve().parent / "fixtures" / "boilerplate"

FURNITURE = [
    "Il vous reste 58.71% de cet article à lire. La suite est réservée aux abonnés.",
    "S’abonner",
    "Déjà abonné ? Se connecter",
    "Subscribe to continue reading",
    "This article is for subscribers",
    "Réagir à cet article",
    "Vous devez être abonné pour réagir.",
    "Inscrivez-vous à notre newsletter",
    "Pour ne rien manquer de l’actualité économique des Hauts-de-France, abonnez-vous à notre newsletter.",
    "Newsletter « Pixels » — Chaque semaine, l’essentiel de l’actualité des technologies. S’inscrire",
    "Sign up for our newsletter",
    "Publicité",
    "Advertisement",
    "Sponsored",
    "Partager : Facebook | X | WhatsApp | E-mail",
    "Share this article",
    "Read more: AMD wins a data-centre order from Oracle",
    "Lire aussi | Atos : les créanciers prennent le contrôle du groupe",
    "Facebook | Twitter | LinkedIn",
]

STORY = [
    "Les abonnés de Free ont subi une panne de plusieurs heures mardi.",
    "Nvidia's newsletter to investors said orders from European cloud providers had doubled.",
    "La newsletter de l’opérateur promettait encore la veille une « fiabilité record ».",
    "Advertisement revenue at Meta rose by a fifth in the third quarter.",
    "Publicité : le marché français a reculé de 3 % en 2026.",
    "Sponsored content now makes up a tenth of the group's sales.",
    "Partager les données de santé reste un sujet sensible, a rappelé la CNIL.",
    "Share prices fell 4 % after the announcement.",
    "« Abonnez-vous à nos services », a lancé le patron de Free aux investisseurs.",
    "Les lecteurs peuvent commenter l’article, mais les abonnés seuls peuvent réagir en direct.",
]


@pytest.mark.parametrize("line", FURNITURE)
def test_furniture_lines_are_dropped_anywhere_in_the_text(line):
    text = f"{STORY[0]}\n{STORY[3]}\n{line}\n{STORY[1]}\n{STORY[2]}\n{STORY[5]}"
    assert strip_boilerplate(text) == f"{STORY[0]}\n{STORY[3]}\n{STORY[1]}\n{STORY[2]}\n{STORY[5]}"


@pytest.mark.parametrize("line", STORY)
def test_story_sentences_with_furniture_words_are_kept(line):
    text = f"{line}\n{STORY[0]}\n{line}\n{STORY[1]}\n{line}"  # first, middle and last line
    assert strip_boilerplate(text) == text


def test_bylines_and_dates_are_dropped_only_at_the_edges_of_the_body():
    body = "\n".join(STORY[:3] + STORY[5:9])
    for line in ("Par Mathilde Vasseur et Olivier Debruyne", "By Jane Doe", "Le 24/11/2026 à 18:35",
                 "Published 3 hours ago", "Publié le 26 novembre 2026 à 14h05",
                 "Par Claire Fontaine (Bruxelles, correspondante)", "Par notre envoyée spéciale à Kiev"):
        assert strip_boilerplate(f"{line}\n{body}") == body
        assert strip_boilerplate(f"{body}\n{line}") == body
    middle = STORY[:4] + ["By Jane Doe"] + STORY[4:9]
    assert strip_boilerplate("\n".join(middle)) == "\n".join(middle)  # mid-text: a quote, a caption: left alone


@pytest.mark.parametrize("line", ["By Monday, the board is expected to approve a buyback.", "Par ailleurs, Thales a confirmé.",
                                  "By 2030, Europe wants a fifth of the world's chips.", "10 p.m.",
                                  "Le 24 novembre, Atos a annoncé un accord."])
def test_sentences_that_look_like_bylines_or_dates_are_kept(line):
    assert not is_byline(line) and not is_date_line(line)
    assert strip_boilerplate(f"{line}\n{STORY[0]}") == f"{line}\n{STORY[0]}"


def test_a_whole_paywall_box_is_dropped():
    box = "Il vous reste 58.71% de cet article à lire. La suite est réservée aux abonnés.\nS’abonner\n" \
          "Déjà abonné ? Se connecter\nOffre spéciale : 1 € le premier mois, sans engagement."
    assert strip_boilerplate(f"{STORY[0]}\n{STORY[1]}\n{box}") == f"{STORY[0]}\n{STORY[1]}"


def test_a_bar_of_the_pages_own_links_is_dropped_but_not_prose_with_the_same_separator():
    from trafilatura.utils import load_html

    tree = load_html("<html><body><nav><a href='/e'>Économie</a> <a href='/i'>Industrie</a> <a href='/l'>Lille</a></nav>"
                     "<p>Text</p></body></html>")
    text = f"{STORY[0]}\nÉconomie | Industrie | Lille\nLille | Roubaix : le tramway reprend\n{STORY[1]}\n{STORY[2]}"
    assert strip_boilerplate(text, tree) == f"{STORY[0]}\nLille | Roubaix : le tramway reprend\n{STORY[1]}\n{STORY[2]}"


PAGE_CASES = {
    "regional-fr.html": (
        ["Par Claire Fontaine", "24/11/2026", "Publicité", "Partager", "Réagir", "pour réagir", "Lire aussi"],
        ["Les abonnés de Free ont subi une panne de plusieurs heures mardi.", "la newsletter de l’opérateur",
         "Le 24 novembre, le fournisseur", "faute de solution de secours."],
    ),
    "paywall-fr.html": (
        ["Il vous reste", "Déjà abonné", "Offre spéciale", "S’inscrire"],
        ["Les abonnés aux offres de santé d’OVHcloud", "dans le prochain budget."],
    ),
    "courier-en.html": (
        ["Advertisement", "Read more", "Sign up", "Sponsored", "Share this", "Subscribe", "Jane Doe", "hours ago"],
        ["Nvidia's newsletter to investors said", "By Monday, the board is expected", "more than a year."],
    ),
}


@pytest.mark.parametrize("name", sorted(PAGE_CASES))
def test_extracted_articles_hold_the_story_without_the_sites_furniture(name):
    gone, kept = PAGE_CASES[name]
    article = extract_article((PAGES / name).read_bytes(), f"https://news.example/{name}", min_words=80)
    assert article is not None
    for fragment in gone:
        assert fragment not in article.text, fragment
    for fragment in kept:
        assert fragment in article.text, fragment
    assert article.word_count == len(article.text.split())


def test_feed_summary_fallback_drops_furniture_lines():
    url = "https://news.example/a.html"
    summary = f"{STORY[0]}\nPublicité\n{STORY[1]}\nPartager : Facebook | X | E-mail"
    item = FeedItem(article_id=article_id(url), url=url, feed_name="F", feed_lang="fr", feed_url="https://news.example/feed.xml",
                    title="T", summary=summary, published=datetime(2026, 11, 20, tzinfo=timezone.utc))
    article = article_from_summary(item)
    assert article.text == f"{STORY[0]}\n{STORY[1]}"
    assert article.word_count == len(article.text.split())
