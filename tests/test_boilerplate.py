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
    # the site promoting its own channels (F16)
    "🔔 Pour ne manquer aucune actualité de Techno Matin, suivez-nous sur Google Actualités et ajoutez Techno Matin "
    "à vos sources préférées sur Google.",
    "Suivez L’Informé Tech sur Google Actualités pour ne rien manquer de l’actualité.",
    "Pour ne manquer aucune actualité, ajoutez L’Informé Tech à vos sources préférées sur Google.",
    "Follow The Silicon Ledger on Google News and add us as a preferred source on Google.",
    "Add us as a preferred source on Google",
    "Téléchargez l’application Techno Matin gratuitement sur l’App Store d’Apple et sur Google Play.",
    "Download the Tech Ledger app on the App Store or Google Play.",
    "This article was originally published on our partner site and syndicated via Microsoft Start.",
    "Écouter cet article",
    "Listen to this article",
    "00:00/04:32",
    # related headlines behind arrows, brackets and other labels (F13)
    ">> Lire aussi : Google Cloud ouvre une région à Marseille",
    "[Lire aussi] Amazon Web Services licencie en Irlande",
    "À découvrir : Salesforce rachète une start-up lyonnaise",
    "» À lire aussi : Microsoft investit 4 milliards en France",
    "► À voir aussi : IBM dévoile un processeur quantique",
    "→ Pour aller plus loin : Intel repousse son usine allemande",
    "Découvrir aussi SAP supprime 3 000 postes",
    "Pour aller plus loin",
    # wire sign-offs and credits (F9, F18)
    "Reporting by Jean Martin in Paris and Supantha Mukherjee in Stockholm; Editing by Kate Holmes",
    "Writing by Kate Holmes",
    "(Additional reporting by Max A. Cherney)",
    "(This story has been refiled to fix a typo in paragraph 3)",
    "(avec AFP)",
    "Crédit photo : Google / Microsoft",
    "Photo: Benoit Tessier/Reuters",
    "© AFP",
    # share prompts, section headers, comment counters, tag lines, pitches without « notre »/"our" (audit sites4 #9)
    "Vous avez aimé cet article ? Partagez-le !",
    "Enjoyed this story? Share it with a friend",
    "Copier le lien",
    "Copy link",
    "Les plus lus",
    "Most read",
    "Related Articles",
    "More from Tech",
    "Commentaires (12)",
    "Comments (12)",
    "Cet article est paru dans Le Courrier Numérique n° 1245",
    "This article first appeared in The Silicon Ledger",
    "Topics: AI, Cloud, Policy",
    "Mots-clés : intelligence artificielle, cloud, souveraineté",
    "Recevez chaque matin l’essentiel de l’actualité tech",
    "Newsletter Tech : recevez chaque jeudi notre sélection",
    "Get the best of tech in your inbox every week",
    # Le Figaro's paywall box (audit-sites F1)
    "Cet article est réservé aux abonnés. Il vous reste 68% à découvrir.",
    "Il vous reste 68 % à découvrir.",
    "Vente Flash : -50% sur l’abonnement numérique",
    "Je m’abonne",
    # « A » written without its accent (audit-sites F10)
    "A lire aussi : Atos cède ses supercalculateurs à l’État",
    "A LIRE AUSSI : Thales rachète une start-up de cybersécurité",
    "À LIRE AUSSI",
    "A voir aussi : la visite de l’usine Nvidia de Santa Clara",
    "A découvrir : Capgemini rachète une pépite allemande",
    "Lire aussi : OVHcloud ouvre une région à Paris",
    # a regional newsletter promo without an imperative (audit-sites F15)
    "Retrouvez toute l’actualité économique de votre région dans notre newsletter quotidienne. Inscription gratuite.",
    "Retrouvez chaque matin l’essentiel de la tech dans nos newsletters",
    "Inscription gratuite.",
    # Bloomberg's box as Yahoo and BNN syndicate it (audit-sites F2)
    "Most Read from Bloomberg",
    "Most Read from Global Wire Businessweek",
    # Bloomberg, AP and Reuters story endings (audit-sites F7)
    "--With assistance from Mark Bergen.",
    "-- With assistance from Mark Bergen and Benoît Gaillard",
    "To contact the reporter on this story: Tara Nakamura in San Francisco at tnakamura@bloomberg.net",
    "To contact the editors responsible for this story: Jillian Ward at jward@bloomberg.net",
    "Copyright 2026 The Associated Press. All rights reserved. This material may not be published, broadcast, "
    "rewritten or redistributed without permission.",
    "All rights reserved.",
    "Associated Press writer Sylvie Corbet in Paris contributed to this report.",
    "Our Standards: The Thomson Reuters Trust Principles., opens new tab",
    # a labelled line of links to other stories (audit-sites F9)
    "More interviews: AWS’s Matt Garman on Europe | OVHcloud’s Benjamin Revcolevschi",
    "Nos dossiers : Cloud souverain | IA générative | Cybersécurité",
    "Nos autres entretiens : Arthur Mensch (Mistral AI) | Octave Klaba (OVHcloud)",
    "Other coverage: Nvidia in France • SAP's sovereign cloud",
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
    # real sentences about Google News, the App Store, MSN, reporting (F16, F13, F9 stay conservative)
    "Apple a retiré l’application Telegram de l’App Store et de Google Play en Russie, a indiqué l’entreprise.",
    "Google News is now the main source of traffic for French publishers, according to the study.",
    "Google a ajouté l’an dernier une option « sources préférées » à Google Actualités.",
    "Users can download the app from the App Store or Google Play from Monday, Mistral AI said.",
    "Microsoft Start, which syndicates content from 1,000 publishers, will close in June.",
    "Reporting by the Financial Times showed that the talks had stalled in October.",
    "Pour aller plus loin, l’État prévoit un second appel d’offres en 2027.",
    "À découvrir dans le rapport, les chiffres du marché du cloud souverain.",
    "Crédit Agricole : la banque investit dans un centre de données à Lyon pour 200 millions d’euros.",
    # prose near the furniture added for audit sites4 #9
    "More in Europe than anywhere else, investors are betting on sovereign cloud providers.",
    "Les plus lus des rapports de la Cour des comptes portent sur le cloud de l’État.",
    "Most readers of the report will skip the annex on data centres.",
    "Thème : l’intelligence artificielle au service des PME.",
    "Topics: the talks covered export controls, chips and the cloud, officials said.",
    "Get ready for a flood of AI-written spam in your inbox, the agency warned.",
    "Comments by the minister, 12 days before the vote, angered the unions.",
    "This article of the AI Act first appeared in a draft leaked in 2021.",
    # prose near the paywall lines of audit-sites F1
    "Vente flash chez Free : le forfait 5G à 9,99 euros a attiré 200 000 nouveaux clients en un week-end.",
    "Je m’abonne à trois plateformes de streaming, mais je n’en regarde qu’une, confie une cliente de Free.",
    "Cet article de loi est réservé aux abonnés professionnels des opérateurs, a précisé l’Arcep.",
    "A lire les comptes publiés mardi, Atos a perdu 1,2 milliard d’euros au premier semestre.",
    "A découvrir dans le rapport, les chiffres du marché du cloud souverain.",
    "Retrouvez la liste des entreprises retenues dans le rapport de la Cour des comptes.",
    "Inscription gratuite au cloud de l’État : les collectivités pourront postuler dès janvier.",
    "Most read from left to right, the chart puts Nvidia far ahead of AMD.",
    "With assistance from the state, Atos avoided a default in 2024, its chairman said.",
    "To contact the regulator, customers must fill in a form on its website, the CNIL said.",
    "Copyright holders won a ruling against Meta in Paris on Tuesday.",
    "Our standards are higher than those of the EU, the minister said.",
    "Analysts said the cloud unit contributed to the report's upbeat tone more than expected.",
    "Nos clients : des banques | des assureurs, a résumé le patron de Capgemini, sans donner de noms.",
    "More than 40% of revenue: that is what the cloud brings to Microsoft | Azure, analysts said.",
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


@pytest.mark.parametrize("line", ["publié le 1er décembre 2026, par Yann Le Goff", "Posted on December 1, 2026 by Jane Doe",
                                  "Publié le 1 décembre 2026 par Hélène Marchand",
                                  "Mis à jour le 01/12/2026 à 10h00 par la rédaction"])
def test_a_date_line_ending_in_a_byline_is_dropped_at_the_edges(line):
    """« publié le … par X » / "Posted on … by X" above or below the story (audit sites4 #12), whole line only."""
    body = "\n".join(STORY[:3] + STORY[5:9])
    assert strip_boilerplate(f"{line}\n{body}") == body
    assert strip_boilerplate(f"{body}\n{line}") == body
    middle = STORY[:4] + [line] + STORY[4:9]
    assert strip_boilerplate("\n".join(middle)) == "\n".join(middle)
    prose = "Le 24 novembre, par décret, le gouvernement a tranché en faveur d’OVHcloud."
    assert strip_boilerplate(f"{prose}\n{body}") == f"{prose}\n{body}"


def test_a_dated_byline_names_the_author_when_the_page_names_none():
    """An old SPIP page: « publié le …, par <a>Yann Le Goff</a> » above the text is neither text nor a person of the
    story, and its name is the author (audit sites4 #12)."""
    html = ("<html lang='fr'><head><meta charset='utf-8'><title>La Bretagne confie ses lycées à Scaleway</title></head>"
            "<body><div class='cartouche'><h1>La Bretagne confie ses lycées à Scaleway</h1><p class='info-publi'>publié "
            "le 1er décembre 2026, par <a href='spip.php?auteur3'>Yann Le Goff</a></p></div><div class='texte'>"
            + "".join(f"<p>{line}</p>" for line in STORY[:3] + STORY[5:9]) + "</div></body></html>")
    article = extract_article(html.encode(), "https://breizh.example/spip.php?article77", min_words=10)
    assert article.authors == ["Yann Le Goff"]
    assert "Yann Le Goff" not in article.text and "publié le" not in article.text
    assert article.text.startswith(STORY[0])


@pytest.mark.parametrize("line", ["By Monday, the board is expected to approve a buyback.", "Par ailleurs, Thales a confirmé.",
                                  "By 2030, Europe wants a fifth of the world's chips.", "10 p.m.",
                                  "Le 24 novembre, Atos a annoncé un accord."])
def test_sentences_that_look_like_bylines_or_dates_are_kept(line):
    assert not is_byline(line) and not is_date_line(line)
    assert strip_boilerplate(f"{line}\n{STORY[0]}") == f"{line}\n{STORY[0]}"


def test_the_headlines_listed_under_a_most_read_header_go_with_it():
    """Bloomberg via Yahoo: "Most Read from Bloomberg" and three other stories' headlines after the first paragraph;
    "Oracle Bonds Slide…" made Oracle a company of the story (audit-sites F2). Only the list right under the header."""
    box = ("Most Read from Bloomberg\n- Apple Weighs Biggest Acquisition Ever in AI Search Push\n"
           "- Amazon to Cut 14,000 Corporate Jobs in Cloud Reorganization\n"
           "- Oracle Bonds Slide as Investors Question Data Center Debt")
    text = f"{STORY[0]}\n{box}\n{STORY[1]}\n- {STORY[2]}\n- {STORY[5]}\n{STORY[3]}"
    assert strip_boilerplate(text) == f"{STORY[0]}\n{STORY[1]}\n- {STORY[2]}\n- {STORY[5]}\n{STORY[3]}"
    listed = f"{STORY[0]}\nThe deal in brief\n- Apple Weighs Biggest Acquisition Ever\n- Oracle Bonds Slide\n{STORY[1]}"
    assert strip_boilerplate(listed) == listed  # a list under a subheading of the story stays
    points = f"{STORY[0]}\nRecommended\n- {STORY[1]}\n- {STORY[2]}"
    assert strip_boilerplate(points) == f"{STORY[0]}\n- {STORY[1]}\n- {STORY[2]}"  # items that are sentences stay


def test_wire_endings_go_even_when_long_and_a_link_suffix_leaves_the_sentence():
    """Bloomberg's "To contact the reporters…" line names every reporter, their city and e-mail (San Francisco and
    the reporters became a place and persons of the story); Reuters' links end in ", opens new tab" (audit-sites F7)."""
    contact = ("To contact the reporters on this story: Tara Nakamura in San Francisco at tnakamura@bloomberg.net; "
               "Benoît Gaillard in Paris at bgaillard@bloomberg.net; Jane Doe in London at jdoe@bloomberg.net; "
               "Max Weber in Frankfurt at mweber@bloomberg.net")
    assert len(contact.split()) > 25
    assert strip_boilerplate(f"{STORY[0]}\n{STORY[1]}\n{contact}") == f"{STORY[0]}\n{STORY[1]}"
    text = ("PARIS, Dec 3 (Reuters) - French IT services group Capgemini (CAPP.PA), opens new tab on Wednesday cut its "
            "full-year revenue growth forecast.")
    assert strip_boilerplate(f"{text}\n{STORY[1]}") == text.replace(", opens new tab", "") + f"\n{STORY[1]}"


@pytest.mark.parametrize("line", ["Thanks for reading! If you enjoyed this, follow me for weekly analysis of European tech.",
                                  "Thanks for reading.", "If you liked this post, follow me for more on cloud policy.",
                                  "Follow me for weekly notes on European tech.", "Merci de m’avoir lu !"])
def test_a_blog_s_closing_thanks_goes_at_the_end_of_the_body(line):
    """Medium's "Thanks for reading! … follow me …" after the last paragraph (audit-sites F16)."""
    body = "\n".join(STORY[:3] + STORY[5:9])
    assert strip_boilerplate(f"{body}\n{line}") == body
    prose = "Thanks for reading the fine print, investors found the clause that let Atos delay the payment."
    assert strip_boilerplate(f"{body}\n{prose}") == f"{body}\n{prose}"


@pytest.mark.parametrize("head", ["Communiqué de presse\nRoubaix, le 3 décembre 2026", "Press release",
                                  "PARIS, December 3, 2026", "Paris-La Défense, le 3 décembre 2026",
                                  "COMMUNIQUÉ DE PRESSE\nIssy-les-Moulineaux (France), 3 décembre 2026"])
def test_a_press_release_s_kicker_and_dateline_go_at_the_top_of_the_body(head):
    """« Communiqué de presse » and « Roubaix, le 3 décembre 2026 » above the release (audit-sites F13); only there,
    and a dateline that opens a sentence is the story's."""
    body = "\n".join(STORY[:3] + STORY[5:9])
    assert strip_boilerplate(f"{head}\n{body}") == body
    middle = STORY[:4] + head.split("\n") + STORY[4:9]
    assert strip_boilerplate("\n".join(middle)) == "\n".join(middle)
    prose = "Roubaix, le 3 décembre 2026, OVHcloud a annoncé l’ouverture d’une région cloud à Paris."
    assert strip_boilerplate(f"{prose}\n{body}") == f"{prose}\n{body}"


@pytest.mark.parametrize(("head", "opening"), [
    ("ROUBAIX, France--(BUSINESS WIRE)--Regulatory News:\n", ""),
    ("", "PARIS--(BUSINESS WIRE)--"),
    ("", "Paris, le 3 décembre 2026 (GLOBE NEWSWIRE) -- "),
    ("", "PARIS, Dec. 3, 2026 /PRNewswire/ -- "),
    ("", "TORONTO, Dec. 3, 2026 /CNW/ - "),
    ("", "PARIS, FRANCE / ACCESSWIRE / December 3, 2026 / "),
])
def test_a_release_distributor_s_dateline_leaves_the_top_of_the_body(head, opening):
    """Business Wire's « ROUBAIX, France--(BUSINESS WIRE)--Regulatory News: » alone on its line, or the dateline that
    opens the first paragraph: the distributor's mark is no word of the story (mini sites, fifth round)."""
    body = "\n".join(STORY[:3] + STORY[5:9])
    assert strip_boilerplate(f"{head}{opening}{body}") == body
    # the same words further down are the story's, and a slash in the first sentence stays
    middle = STORY[:4] + [f"{opening}{STORY[4]}"] + STORY[5:9]
    assert strip_boilerplate("\n".join(middle)) == "\n".join(middle)
    service = "PARIS, Dec. 3, 2026 /PRNewswire/ -- The 24/7 service opens in January for every customer in France."
    assert strip_boilerplate(f"{service}\n{body}") == f"{service.split('-- ')[1]}\n{body}"


@pytest.mark.parametrize("body_class", ["article-body", "release"])
def test_a_press_release_s_headline_repeated_under_its_kicker_leaves_the_text(body_class):
    """The headline came after « Communiqué de presse », so it was not the first line that `without_title` drops;
    when trafilatura also keeps the <h1>, the headline is there twice."""
    title = "OVHcloud ouvre une région cloud qualifiée SecNumCloud à Paris"
    html = (f"<html lang='fr'><head><meta charset='utf-8'><title>{title} - Espace presse OVHcloud</title>"
            f"<meta property='og:title' content='{title}'></head><body><article><h1>{title}</h1>"
            f"<div class='{body_class}'><p>Communiqué de presse</p><p>{title}</p><p>Roubaix, le 3 décembre 2026</p>"
            + "".join(f"<p>{line}</p>" for line in STORY[:3] + STORY[5:9]) + "</div></article></body></html>")
    article = extract_article(html.encode(), "https://corporate.example/fr/communiques/region-paris.html", min_words=10)
    assert article.title == title
    assert article.text.startswith(STORY[0])
    assert "Communiqué" not in article.text and "Roubaix" not in article.text and title not in article.text


RELEASE = [
    "Capgemini and Mistral AI today announced the launch of the Sovereign AI Factory, a joint offering designed to help "
    "European enterprises deploy generative AI on infrastructure that remains under European jurisdiction.",
    "“Our clients want the benefits of generative AI without compromising on control of their data,” said Aiman "
    "Ezzat, Chief Executive Officer of Capgemini.",
    "Capgemini will train 5,000 consultants on Mistral AI’s platform by the end of 2027.",
]
RELEASE_TAILS = {
    "business-wire": "About Capgemini\nCapgemini is a global business and technology transformation partner. Capgemini "
                     "works with partners including Microsoft, Amazon Web Services, SAP and Salesforce.\nGet The Future "
                     "You Want | www.capgemini.com\nAbout Mistral AI\nMistral AI is a pioneer in generative artificial "
                     "intelligence, founded in 2023 and headquartered in Paris.\nForward-Looking Statements\nThis press "
                     "release contains forward-looking statements. These statements are subject to risks, including "
                     "competition from IBM and Oracle.\nContacts\nMedia relations:\nCapgemini\nFlorence Lièvre\n"
                     "Tel.: +33 1 47 54 50 71\nE-mail: florence.lievre@capgemini.example\nMistral AI\npress@mistral.example",
    "globenewswire": "About Atos\nAtos is a global leader in digital transformation. Atos partners with Dassault "
                     "Systèmes, SAP and Microsoft.\nDisclaimer\nThis document contains forward-looking statements that "
                     "involve risks and uncertainties.\nPress contact\nSébastien Dufour | sebastien.dufour@atos.example | "
                     "+33 6 12 34 56 78\nAttachment",
    "french": "À propos d’OVHcloud\nOVHcloud est un acteur mondial et le leader européen du cloud. OVHcloud compte parmi "
              "ses partenaires Capgemini, Atos et Sopra Steria.\nDéclarations prospectives\nCe communiqué contient des "
              "déclarations prospectives qui reflètent les attentes actuelles de la direction.\nContacts presse\n"
              "Agence Wellcom – Camille Petit – 06 11 22 33 44 – ovhcloud@wellcom.example",
    "contacts only": "Media Contacts:\nJane Doe\n+1 415 555 0100\njane.doe@example.com\nSource: Capgemini",
    "investor relations": "Investor Relations\nJohn Smith, +33 1 00 00 00 00",
}


@pytest.mark.parametrize("name", sorted(RELEASE_TAILS))
def test_a_press_release_s_closing_sections_are_cut_from_their_header_to_the_end(name):
    """"About X", "Forward-Looking Statements", « Déclarations prospectives », "Contacts": their lists of partners and
    rivals were companies of the story (Business Wire, GlobeNewswire, a French press room; audit-sites F8)."""
    body = "\n".join(RELEASE)
    assert strip_boilerplate(f"{body}\n{RELEASE_TAILS[name]}") == body


@pytest.mark.parametrize("line", ["Source: Capgemini", "Source : Atos SE", "SOURCE Mistral AI"])
def test_a_release_s_source_line_goes_at_the_end_of_the_body(line):
    body = "\n".join(RELEASE)
    assert strip_boilerplate(f"{body}\n{line}") == body
    for prose in ("Source: a person familiar with the talks, who asked not to be named because they are private.",
                  "Source of the leak: unknown."):
        assert strip_boilerplate(f"{body}\n{prose}") == f"{body}\n{prose}"


@pytest.mark.parametrize("text", [
    # a story's section about a company, followed by more of the story under another subheading
    "\n".join(RELEASE[:2]) + "\nAbout Mistral AI\nMistral AI was founded in 2023 by three French researchers.\n"
    "What comes next\nThe two groups will present the offering to banks in January.",
    # the header inside a sentence, or not alone on its line
    "\n".join(RELEASE) + "\nAbout Mistral AI, the startup says little.\nIt was founded in 2023 by three researchers.",
    "\n".join(RELEASE) + "\nAbout half of the revenue comes from Europe.\nThe rest comes from North America.",
    # at the top of the text: no story before it
    "Contacts\n" + "\n".join(RELEASE),
])
def test_a_section_that_is_not_a_release_tail_stays(text):
    assert strip_boilerplate(text) == text


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


def test_a_pull_quote_repeating_a_sentence_of_the_story_is_dropped():
    quote = "Europe's best-funded AI developer and a symbol of the continent's push for technological sovereignty"
    story = ("Mistral AI, founded in 2023, has become Europe’s best-funded AI developer and a symbol of the "
             "continent's push for technological sovereignty.")
    text = f"{STORY[0]}\n{story}\n“{quote}”\n{STORY[1]}"
    assert strip_boilerplate(text) == f"{STORY[0]}\n{story}\n{STORY[1]}"
    # a short subheading met again in the prose, a repeated paragraph, and a heading announced far above, are kept
    heading = "Un marché dominé par les Américains"
    kept = f"{STORY[2]}\n{STORY[0]} {heading} depuis dix ans.\n{heading}\n{STORY[1]}\n{STORY[1]}"
    assert strip_boilerplate(kept) == kept
    annex = "Annexe : place des entreprises françaises parmi les fournisseurs de cloud de l’État"
    far = "\n".join([f"Voir en {annex.casefold()} (tableau)", *STORY[:7], annex, STORY[8]])
    assert strip_boilerplate(far) == far


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
    "follow-us-fr.html": (
        ["Google", "App Store", "Téléchargez"],
        ["Les ministres européens du numérique", "OVHcloud et Scaleway ont salué l’initiative"],
    ),
    "related-variants-fr.html": (
        ["Google Cloud ouvre", "Amazon Web Services", "Salesforce", "Microsoft investit", "Palantir", "IBM", "Oracle",
         "Apple", "SAP", "Meta"],
        ["Scaleway a présenté mardi à Paris", "Damien Lucas", "Ses serveurs seront fabriqués en Bretagne.",
         "Une annonce est attendue en janvier."],
    ),
    "wire-en.html": (
        ["Reporting by", "Editing by", "Kate Holmes", "Related coverage", "Purchase Licensing"],
        ["PARIS, Nov 29", "a symbol of the continent's push for technological sovereignty.", "state-backed lenders"],
    ),
    "credits-fr.html": (
        ["Crédit photo", "Google", "Microsoft"],
        ["Atos a annoncé mardi la cession", "autorités de la concurrence."],
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
        assert article.text.count(fragment) == 1, fragment  # a pull quote does not repeat it
    assert article.word_count == len(article.text.split())


def test_feed_summary_fallback_drops_furniture_lines():
    url = "https://news.example/a.html"
    summary = f"{STORY[0]}\nPublicité\n{STORY[1]}\nPartager : Facebook | X | E-mail"
    item = FeedItem(article_id=article_id(url), url=url, feed_name="F", feed_lang="fr", feed_url="https://news.example/feed.xml",
                    title="T", summary=summary, published=datetime(2026, 11, 20, tzinfo=timezone.utc))
    article = article_from_summary(item)
    assert article.text == f"{STORY[0]}\n{STORY[1]}"
    assert article.word_count == len(article.text.split())


def test_credit_and_pull_quote_blocks_are_dropped_by_their_class_even_without_a_label():
    html = (PAGES / "credits-fr.html").read_text().replace("Crédit photo : Google / Microsoft", "Google / Microsoft")
    html = html.replace("<p>Les syndicats", "<blockquote class='pullquote'><p>Une étape décisive pour le groupe, "
                                            "selon la direction de Capgemini</p></blockquote><p>Les syndicats")
    article = extract_article(html.encode(), "https://news.example/atos", min_words=50)
    assert "Google" not in article.text and "Capgemini" not in article.text
    assert "Les syndicats ont dénoncé" in article.text


def test_a_signature_with_an_agency_at_the_body_s_edge_goes_and_the_same_words_in_prose_stay():
    """« Ouest-France avec AFP » stayed the story's first line (mini news sites audit)."""
    from pipeline.boilerplate import strip_boilerplate

    text = ("Ouest-France avec AFP\nLe groupe a présenté mardi une offre d'IA souveraine.\n"
            "Il a signé avec AFP un accord de licence pour ses dépêches, une première.")
    assert strip_boilerplate(text) == ("Le groupe a présenté mardi une offre d'IA souveraine.\n"
                                       "Il a signé avec AFP un accord de licence pour ses dépêches, une première.")


BODY_LINES = ("Premier paragraphe de l'article sur Dassault Systèmes et le cloud souverain, long et détaillé.\n"
              "Deuxième paragraphe, qui parle de Mistral AI et de ses clients européens.")


@pytest.mark.parametrize("line", ["Par Julien Mercier, journaliste au service Économie",
                                  "By Jane Doe, Senior Technology Reporter",
                                  "Par Anne Roy, notre correspondante à Bruxelles"])
def test_a_byline_with_a_role_leaves_the_top_of_the_text(line):
    """Mini news sites audit (fifth round, F11): « Par X, journaliste au service Économie » stayed as the first line,
    so the author became a person mentioned by the story."""
    assert strip_boilerplate(f"{line}\n{BODY_LINES}") == BODY_LINES


@pytest.mark.parametrize("line", ["By Monday, the editor said", "By Monday, editors said.", "By 2027, editors expect",
                                  "Par ailleurs, le service client reste ouvert"])
def test_a_sentence_opening_with_by_or_par_is_no_byline(line):
    assert strip_boilerplate(f"{line}\n{BODY_LINES}") == f"{line}\n{BODY_LINES}"


@pytest.mark.parametrize("signature", ["Julien Mercier et Sophie Lambert", "Sophie Lambert", "Jane Doe and John Smith",
                                       "Yann Le Goff, Anne-Sophie Mercier", "M.Du.", "J.-P. L."])
def test_the_authors_names_alone_on_the_last_line_are_a_signature(signature):
    """Mini news sites audit (fifth round, F14): a signature without « Par » at the end of the body stayed, and its
    names became persons mentioned by the story."""
    assert strip_boilerplate(f"{BODY_LINES}\n{signature}") == BODY_LINES
    # not elsewhere, and not a sentence
    assert strip_boilerplate(f"{signature}\n{BODY_LINES}\nFin.") == f"{signature}\n{BODY_LINES}\nFin."
    ending = f"{BODY_LINES}\nEmmanuel Macron et Olaf Scholz ont salué l'accord."
    assert strip_boilerplate(ending) == ending


@pytest.mark.parametrize("line", [
    # mini news sites audit, sixth round (N2, N4): the publisher's pitches and the agencies' marks in other wordings
    "La suite de cet article est réservée à nos abonnés",
    "Profitez de notre offre découverte : 1€ par mois pendant 3 mois, sans engagement.",
    "Vous lisez un article en accès libre. Le journalisme de qualité a un coût : soutenez notre rédaction en vous "
    "abonnant dès 9 francs par mois.",
    "Cet article vous est offert. Pour soutenir le journalisme indépendant, abonnez-vous dès 2 $ par semaine.",
    "tsq-ak/def/abx", "(ats)", "(Belga)", "Avec La Presse Canadienne et l'Agence France-Presse", "dpa jki xx ssc",
    "ALL RIGHTS RESERVED © Copyright ANSA",
])
def test_pitches_and_agency_marks_in_other_wordings_leave_the_text(line):
    assert strip_boilerplate(f"{BODY_LINES}\n{line}\n{BODY_LINES}") == f"{BODY_LINES}\n{BODY_LINES}"


@pytest.mark.parametrize("line", ["Orange a perdu 200 000 abonnés au troisième trimestre.",
                                  "Les abonnés de SFR pourront s'abonner à la nouvelle offre dès lundi.",
                                  "Free lance une offre découverte à 1 euro pour ses nouveaux abonnés.",
                                  "Customers can subscribe to the new plan from Monday."])
def test_a_story_about_subscriptions_keeps_its_lines(line):
    assert strip_boilerplate(f"{BODY_LINES}\n{line}") == f"{BODY_LINES}\n{line}"


@pytest.mark.parametrize("block", [
    # mini news sites audit, sixth round (N3, N8, N11, N14): sponsors, event promotions, a newsletter's and a
    # podcast's own furniture
    "Sponsored content from our partner\nDiscover how Nutanix and Capgemini helped Kent County Council cut hosting "
    "costs by 30%.",
    "Join us at CloudPro Summit 2027\nHear from public sector CIOs at ExCeL London on 11-12 March. Register now for "
    "your free pass.",
    "This issue is brought to you by Koyeb — deploy AI apps globally in minutes. Try it free →",
    "TOGETHER WITH DATADOG\nMonitor your GPUs across every cloud. Start a free 14-day trial.",
    "How did we do?\nWhat did you think of today's edition? 🔥 Loved it 😐 It was OK 👎 Not great",
    "Share Cloud Brief with a friend. Refer 3 friends and get our premium report. Your referral link: "
    "https://x.example/?ref=abc123",
    "That's all for today. See you tomorrow!", "Reply to this email if you have tips — I read everything.",
    "Lisez « L'IA, nouvelle ruée vers l'or électrique »", "Infolettre Affaires",
    "This transcript was generated automatically and may contain errors.",
    "This interview has been edited for length and clarity.",
    "Never miss an episode: subscribe to Cloud Talk wherever you get your podcasts.",
])
def test_sponsors_promotions_and_newsletter_furniture_leave_the_text(block):
    assert strip_boilerplate(f"{BODY_LINES}\n{block}\n{BODY_LINES}") == f"{BODY_LINES}\n{BODY_LINES}"


NEWSLETTER_BOXES = {
    # mini sites, seventh round: a Beehiiv issue's contents list, poll and referral box
    "contents": "In today's issue:\n- Helsing's drone order\n- Aleph Alpha cuts a quarter of its staff\n- Quick hits",
    "sommaire": "Au sommaire de cette lettre :\n- Le cloud de l'État\n- Les puces de Crolles",
    "poll": "How did you like today's issue?\nLogin or Subscribe to participate in polls.\n- 🔥 Loved it\n"
            "- 😐 It was OK\n- 👎 Not for me",
    "emoji poll": "What did you think of this newsletter?\n🔥 Loved it\n👎 Meh",
    "referral": "Share The Pulse\nYou currently have 0 referrals, only 3 away from receiving a Pulse mug.\n"
                "Or copy and paste this link to others: https://pulse.example/subscribe?ref=PLACEHOLDER",
    "comments": "Login or Subscribe to participate in comments.",
}


@pytest.mark.parametrize("sign_off", ["— Olivia", "– Olivia & Tomasz", "-- Ben", "—Marta"])
def test_a_newsletter_writer_s_dashed_sign_off_does_not_end_the_text(sign_off):
    """Mini sites, seventh round: "— Olivia" closed a Beehiiv issue's text once its poll and referral box went."""
    assert strip_boilerplate(f"{BODY_LINES}\n{sign_off}\nHow did you like today's issue?\n- Loved it") == BODY_LINES
    assert strip_boilerplate(f"{BODY_LINES}\n{sign_off}") == BODY_LINES


def test_a_long_dashed_last_line_is_read_in_linear_time():
    """A dash and a run of capitals ending on a full stop, as the last line, was tried as a sign-off from each letter."""
    import time

    line = "— " + "A" * 3_000 + "."
    cpu = time.process_time()
    assert strip_boilerplate(f"{BODY_LINES}\n{line}") == f"{BODY_LINES}\n{line}"
    assert time.process_time() - cpu < 1


@pytest.mark.parametrize("line", ["— Olivia Grant, in Munich, for the newsletter.", "- Helsing's drone order",
                                  "- Mistral AI", "- Nvidia"])
def test_a_story_s_last_line_after_a_dash_is_kept_when_it_is_no_sign_off(line):
    assert strip_boilerplate(f"{BODY_LINES}\n{line}") == f"{BODY_LINES}\n{line}"


@pytest.mark.parametrize("name", sorted(NEWSLETTER_BOXES))
def test_a_newsletter_issue_s_contents_poll_and_referral_box_leave_its_text(name):
    assert strip_boilerplate(f"{BODY_LINES}\n{NEWSLETTER_BOXES[name]}\n{BODY_LINES}") == f"{BODY_LINES}\n{BODY_LINES}"


@pytest.mark.parametrize("block, story", [
    # the stories after the contents list, under their headings, and a story's own list after a question
    ("In today's issue:\n- Helsing's drone order\nHelsing lands its biggest order yet\nQuick hits\n"
     "- Helsing is also in talks with the British Ministry of Defence.",
     "Helsing lands its biggest order yet\nQuick hits\n- Helsing is also in talks with the British Ministry of Defence."),
    ("How did you like today's issue?\nQuick hits\n- Helsing is also in talks with the Ministry of Defence.",
     "Quick hits\n- Helsing is also in talks with the Ministry of Defence."),
    ("How was this week's edition of the show?\nThree things stood out\n- Mistral AI's stand", None),
    ("In today's issue of the Official Journal, the Commission published the rules.", None),
    ("Share prices fell\nYou currently have 2 options, the regulator said.", None),
])
def test_story_lines_after_or_like_a_newsletter_s_boxes_are_kept(block, story):
    assert strip_boilerplate(f"{BODY_LINES}\n{block}\n{BODY_LINES}") == f"{BODY_LINES}\n{story or block}\n{BODY_LINES}"


@pytest.mark.parametrize("line", [
    "The company will register its new subsidiary in Ireland next month, a spokesperson said.",
    "Capgemini said it would join the conference as a sponsor in March next year, alongside Atos and Sopra Steria.",
    "Le Devoir lance une infolettre consacrée à l'intelligence artificielle.",
    "12:45 Nvidia annonce un accord avec Mistral AI",
])
def test_stories_about_sponsors_events_and_newsletters_keep_their_lines(line):
    assert strip_boilerplate(f"{BODY_LINES}\n{line}") == f"{BODY_LINES}\n{line}"


@pytest.mark.parametrize("line", [
    # the review of the session's change: story sentences the publisher-pitch rules dropped when they searched the
    # whole line; they now speak only from the line's start
    "The new feature will be available to subscribers only, Netflix said on Tuesday.",
    "Mistral AI will become a member of the Linux Foundation, the company said.",
    "Google said it would support quality journalism with a new $10 million fund for local newsrooms.",
    "« Cette remise est réservée à nos abonnés fibre », a déclaré le PDG de Free.",
    "Profitez de nos offres, lance la publicité d'Orange que l'ARCEP juge trompeuse.",
    "L'article en accès libre sur le site de l'Inria détaille la méthode.",
    "Microsoft did not reply to this email by publication time.",
    "\"That's it for now,\" Huang said of the company's expansion plans in Europe.",
    "Join us at the summit, OpenAI's chief executive told developers on Monday.",
    "Readers can share the report with a friend, the researchers said.",
    "En partenariat avec le CNRS, Mistral AI ouvre un laboratoire commun à Saclay.",
])
def test_story_sentences_like_a_publishers_pitch_are_kept(line):
    assert strip_boilerplate(f"{BODY_LINES}\n{line}\n{BODY_LINES}") == f"{BODY_LINES}\n{line}\n{BODY_LINES}"


def test_an_articles_about_subsection_is_no_press_release_tail():
    """The review: an explainer's "About the company" / « À propos de Mistral AI » subsection and its paragraphs went
    as a press release's closing section; a press release's tail holds a contact or source mark."""
    about = "\n".join([BODY_LINES, BODY_LINES, "À propos de Mistral AI", "Fondée en 2023, la start-up emploie 700 "
                       "personnes.", "Elle a lancé Le Chat en 2024."])
    assert strip_boilerplate(about) == about
    release = "\n".join([BODY_LINES, BODY_LINES, "À propos de Mistral AI", "Fondée en 2023, la start-up emploie 700 "
                         "personnes.", "Contact presse : presse@mistral.ai"])
    assert strip_boilerplate(release) == f"{BODY_LINES}\n{BODY_LINES}"


# Mini news sites audit, seventh round (R2-R5, R7-R10, R13): furniture in other wordings than the rules knew, each
# with the story sentences it could be taken for. Texts written for these tests.

@pytest.mark.parametrize("block", [
    # R2: a sponsor's label under any verb of the kind, and its one promotional paragraph
    "PRESENTED BY NORTHWIND CLOUD\nNorthwind keeps your AI agents' data in Frankfurt and Paris. Book a demo",
    "Brought to you by Scaleway\nGPU instances from one euro an hour, hosted in Paris. Start now",
    "Powered by Acme Analytics",
    "Cette lettre vous est proposée par la Banque des Territoires\nFinancez vos projets numériques avec nos prêts "
    "verts. Découvrir",
    # R3: the publisher's disclosure of its ties, a member's download box
    "Disclosure: The Ledger's parent company has received funding from the Google News Initiative. Our editors alone "
    "decide what we cover.",
    "Disclaimer: the author owns shares in Nvidia and ASML.",
    "Transparence : notre rédaction a reçu le soutien de la fondation d'un opérateur pour cette enquête.",
    "Get the figures\nSubscribers can download the spreadsheet behind these charts. Download (CSV, 80 KB)",
    "Télécharger l'étude complète (PDF, 1,2 Mo)",
    # R5: a box of another story in the text, its headline and standfirst without a full stop
    "More information\nNorthwind opens a second cloud region in Milan\nThe provider will also resell GPU capacity "
    "from its Turin site",
    "Plus d'infos\nLe cloud de l'État choisit un hébergeur breton",
    # mini sites, seventh round: a Beehiiv issue's sponsor block (OVHcloud, named in it, became a company of the story)
    "A MESSAGE FROM KESTREL\nKestrel runs your Kubernetes clusters on OVHcloud, across three regions, for a flat "
    "monthly fee. No lock-in, no surprises.",
    "A word from our sponsor\nTry Ledgerly free for 30 days and close your books in two days.",
])
def test_sponsor_labels_disclosures_and_boxes_leave_the_text(block):
    assert strip_boilerplate(f"{BODY_LINES}\n{block}\n{BODY_LINES}") == f"{BODY_LINES}\n{BODY_LINES}"


@pytest.mark.parametrize("line", [
    "The deal was presented by the minister as a turning point.",
    "Presented by the minister as a turning point, the plan still needs a vote in parliament.",
    "Le texte, proposé par la Commission en 2023, doit encore être voté par le Parlement.",
    "Disclosure of the figures came late.",
    "Disclosure: what the new rules require of cloud providers",
    "Transparence : les algorithmes des plateformes en question",
    "Investors can download the full report (PDF) from the regulator's website, the agency said.",
    "More information is expected from the regulator next week, a spokesperson said.",
    "A message from the chief executive",  # a part of the story headed so, not in a label's capitals
    "A MESSAGE FROM THE CHIEF EXECUTIVE TO STAFF, READ BY REUTERS, SAYS THE PLANT WILL CLOSE.",
])
def test_story_sentences_like_sponsor_labels_disclosures_and_boxes_are_kept(line):
    assert strip_boilerplate(f"{BODY_LINES}\n{line}\n{BODY_LINES}") == f"{BODY_LINES}\n{line}\n{BODY_LINES}"


@pytest.mark.parametrize("line", [
    # R8: a briefing's own lines
    "With help from Tomás Herrera", "Good morning and welcome to Cloud Week. I'm your host, Marta Sousa.",
    "Send tips and feedback to msousa@cloudweek.example and follow me on Bluesky.",
    "MORE FROM CLOUD WEEK: Why Lisbon wants a data-centre tax",
    "Many thanks to our editor, Paul Gray, and producer Lena Ortiz.",
    "Cloud Week is a Ledger Pro newsletter. Unsubscribe | Manage preferences",
    "Vous avez reçu cette lettre d'un ami ? Inscrivez-vous pour la recevoir chaque lundi.",
    "Une question, une info ? Écrivez-nous à redaction@lettre.example", "Édité par Hugo Lambert.",
    # R9: translators
    "Translated by Carys Lloyd.", "Traduit de l'anglais par Marc Petit.", "Translation: Inês Duarte",
    # R10: a show's credit, a fact-check desk's call
    "Retrouvez l'intégralité de l'entretien dans Le grand rendez-vous, présenté par Anne Dupré, chaque samedi à 9h "
    "sur Radio Ouest.",
    "Vous voulez que notre équipe vérifie une rumeur ? Écrivez-nous : verif@radio-ouest.example",
])
def test_credits_and_a_briefing_s_own_lines_leave_the_text(line):
    assert strip_boilerplate(f"{BODY_LINES}\n{line}\n{BODY_LINES}") == f"{BODY_LINES}\n{BODY_LINES}"


@pytest.mark.parametrize("line", [
    "With help from the state, the operator avoided a default in 2024.",
    "Customers who want to unsubscribe must now call the operator, the regulator said.",
    "Thanks to our partners, revenue rose 12% in the quarter, the chief executive said.",
    "« Écrivez-nous », a lancé le ministre aux maires inquiets pour leurs réseaux.",
    "Send tips to the regulator, the agency urged employees of cloud providers.",
    "Édité par Gallimard en 1952, le livre a inspiré plusieurs ingénieurs de Thales.",
    "Translated by machine, the contract contained errors, the court found.",
    "Listen to the market, the chief executive told investors.",
    "I'm your host for the evening, the chief executive told the gala.",
])
def test_story_sentences_like_credits_and_a_briefing_s_lines_are_kept(line):
    assert strip_boilerplate(f"{BODY_LINES}\n{line}\n{BODY_LINES}") == f"{BODY_LINES}\n{line}\n{BODY_LINES}"


def test_a_box_header_goes_only_with_its_download_link():
    """A short line above the download link is the box's header; above a story line it is a subheading."""
    assert strip_boilerplate(f"{BODY_LINES}\nThe figures\nAdvertisement\n{BODY_LINES}") == \
        f"{BODY_LINES}\nThe figures\n{BODY_LINES}"


@pytest.mark.parametrize("bio", [
    # R4: an author's bio under the story, with or without the name above it
    "Economy correspondent based in Lisbon. Before joining the paper in 2019 she covered Siemens and SAP for a wire "
    "agency in Frankfurt.",
    "Ana Pereira\nEconomy correspondent based in Lisbon. Before joining the paper in 2019 she covered Siemens and SAP.",
    "Jonas Berg is a senior analyst at Compute Research, where he follows cloud pricing. He previously worked at IDC.",
    "Journaliste au service Économie depuis 2015, elle suit les opérateurs télécoms et le numérique.",
    "Ana Pereira\nEconomy correspondent in Lisbon.\nJonas Berg\nTechnology reporter at the Madrid desk.",
])
def test_an_author_s_bio_at_the_end_of_the_body_leaves_the_text(bio):
    assert strip_boilerplate(f"{BODY_LINES}\n{bio}") == BODY_LINES


@pytest.mark.parametrize("line", [
    "The editor at the Financial Times declined to comment on the report.",
    "Analysts at Morgan Stanley expect the deal to close in 2027.",
    "A reporter at the scene counted more than 300 protesters outside the data centre.",
    "Jane Doe is a senior analyst at Gartner, who said prices would keep falling.",
])
def test_a_last_story_sentence_about_a_journalist_or_an_analyst_is_kept(line):
    assert strip_boilerplate(f"{BODY_LINES}\n{line}") == f"{BODY_LINES}\n{line}"


def test_a_signature_block_and_share_buttons_leave_the_top_of_the_text():
    """R7: « Article rédigé par X - Radio Ouest », the publisher's name, « Publié le … Mis à jour le … », « Temps de
    lecture », share buttons read as words, under the headline and the chapô (past the first four lines)."""
    head = ["Un fournisseur prévoit un nouveau centre de données",
            "Le fournisseur investira 200 millions d'euros dans un troisième site, a-t-il annoncé mercredi.",
            "Article rédigé par Julie Moreau - Radio Ouest", "Groupe Ondes", "Publié le 04/12/2026 07:10 Mis à jour le "
            "04/12/2026 09:02", "Temps de lecture : 3min", "Partagez l'article sur les réseaux sociaux :",
            "Partager sur Facebook Partager sur X Partager sur LinkedIn Lire plus tard"]
    assert strip_boilerplate("\n".join([*head, BODY_LINES])) == "\n".join([*head[:2], BODY_LINES])
    # the same words in the story's sentences stay; a short line after the story's first sentence is its own
    story = ["Article rédigé par des chercheurs de l'Inria, le rapport recommande un cloud public européen.",
             "Partager sur les réseaux sociaux reste risqué pour les fonctionnaires, rappelle la CNIL.",
             "Groupe Ondes", BODY_LINES]
    assert strip_boilerplate("\n".join(story)) == "\n".join(story)


@pytest.mark.parametrize("initials", ["(tw)", "(ist)", "(tw/ist)"])
def test_an_editor_s_initials_in_brackets_end_no_text(initials):
    """R13: heise's lower-case initials stayed as the body's last line; elsewhere they are left alone."""
    assert strip_boilerplate(f"{BODY_LINES}\n{initials}") == BODY_LINES
    assert strip_boilerplate(f"{initials}\n{BODY_LINES}\nFin.") == f"{initials}\n{BODY_LINES}\nFin."


def test_a_live_page_s_started_label_leaves_the_top_of_the_text():
    """R15: "Started <time datetime=…>" kept its label alone as the first line; a sentence opening with it stays."""
    assert strip_boilerplate(f"Started\n{BODY_LINES}") == BODY_LINES
    kept = f"Started in 2019, the company now employs 300 people.\n{BODY_LINES}"
    assert strip_boilerplate(kept) == kept


@pytest.mark.parametrize("line", [
    # eighth round (R8-2): a subscription call or a paywall label in other wordings
    "Premium content: the full analysis with the company's figures is reserved for Il Quotidiano Economico Premium "
    "subscribers. Subscribe from €1 for the first month",
    "Our journalism needs your support. Subscribe today to ValleyCourier.com.",
    "Profitez de l'info locale sans limite. Abonnez-vous dès 1 € le premier mois.",
    "Subscriber-only story: the rest of this analysis is for members.",
    # R8-3: calls to write in or submit, how to reach the author
    "Submit your People on the move announcement, with a photo, to business@valleycourier.com. Submissions are "
    "edited for length and published on a space-available basis.",
    "Posez-la à notre rédaction : nous répondons chaque semaine aux questions de nos lecteurs sur le numérique, de "
    "Free à Amazon Web Services.",
    "Envoyez-nous vos photos de la braderie à photos@rivages.fr.",
    "Mike Rogoway covers Oregon's tech industry. Reach him at mrogoway@valleycourier.com or 503-555-0142.",
    # R8-4: a series box
    "Cet article fait partie de notre dossier « Souveraineté numérique ». Retrouvez tous les articles du dossier",
    "This story is part of our series on Europe's chip industry.",
    # R8-5: a rights notice, an imprint bar
    "© Agence Presse Europe. Toute reproduction, représentation ou diffusion, même partielle, est interdite sans "
    "autorisation écrite.",
    "No reproduction without the written permission of the publisher.",
    "Agence Presse Europe SA · 12, rue de la Bourse 75002 Paris · Service clients : 01 55 00 00 00",
    "Il Quotidiano Economico S.p.A. · Via Monte Rosa 91, 20149 Milan · VAT 00777910159",
    "Europa Presse Verlag GmbH · Friedrichstraße 9, 10117 Berlin · Leserservice: 030 000 000",
])
def test_the_publisher_s_calls_notices_and_imprint_leave_the_text(line):
    assert strip_boilerplate(f"{BODY_LINES}\n{line}\n{BODY_LINES}") == f"{BODY_LINES}\n{BODY_LINES}"


def test_a_long_word_in_a_line_with_a_bar_is_read_in_linear_time():
    """Hostile-input audit, fifth round: the imprint's street address was looked for from each letter of a word, so
    a line of a bar and a 20,000-letter word took 17 s of CPU, four times as long for each doubling."""
    import time

    line = "Contact | " + "a" * 30_000
    cpu = time.process_time()
    assert strip_boilerplate(f"{BODY_LINES}\n{line}\n{BODY_LINES}") == f"{BODY_LINES}\n{line}\n{BODY_LINES}"
    assert time.process_time() - cpu < 5


def test_a_2_mb_line_without_a_space_is_kept_in_well_under_a_second():
    """Hostile input, nineteenth round: a 2 MB line without a space counted as a one-word line, so every furniture
    pattern was tried on it (and the byline, date and release-head checks at the text's edges), and the press-release
    tail's e-mail pattern ran 64 steps from each character: 2.7 s of CPU on a quiet machine, 5 s loaded. No furniture
    line is that long: it is kept as prose, unchecked."""
    import time

    token = "a" * 2_000_000
    text = f"{token}\n{BODY_LINES}\n{token}\nContact: press@mistral.example"
    cpu = time.process_time()
    assert strip_boilerplate(text) == text
    assert time.process_time() - cpu < 1.5


def test_a_long_line_of_hashes_is_read_in_linear_time():
    """A press release's end mark "# # #" is looked for in its last lines: a line of 16,000 "# " and a letter was read
    from each of its characters (4.5 s of CPU)."""
    import time

    line = "# " * 16_000 + "x"
    cpu = time.process_time()
    assert strip_boilerplate(f"{BODY_LINES}\n{line}") == f"{BODY_LINES}\n{line}"
    assert time.process_time() - cpu < 1


def test_a_reader_call_takes_its_question_header_along():
    """« Vous avez une question ? » above the call goes with it; above a story line it is the story's question."""
    call = "Vous avez une question ?\nPosez-la à notre rédaction : nous répondons chaque semaine."
    assert strip_boilerplate(f"{BODY_LINES}\n{call}") == BODY_LINES
    faq = f"{BODY_LINES}\nVous avez une question ?\nLa Cnil répond aux entreprises par téléphone le mardi."
    assert strip_boilerplate(faq) == faq


def test_a_footnote_s_back_reference_arrow_leaves_its_line():
    assert strip_boilerplate(f"{BODY_LINES}\nPrices as of November 2026, excluding VAT. ↩") == \
        f"{BODY_LINES}\nPrices as of November 2026, excluding VAT."


@pytest.mark.parametrize("sign", ["®", "■", "∎", "♦"])
def test_a_magazine_s_end_of_story_sign_leaves_the_last_sentence(sign):
    """The Register closes each story with "®", The Economist with "■": no word of the story, dropped from its end
    even when furniture or The Register's "Bootnote" followed it; a registered brand inside or at the end of a
    sentence stays."""
    assert strip_boilerplate(f"{BODY_LINES}\nOfficials asked for an explanation by Monday. {sign}\nShare") == \
        f"{BODY_LINES}\nOfficials asked for an explanation by Monday."
    brands = f"{BODY_LINES}\nThe suite runs on Windows® and is sold as Copilot®.\nIt ships with Office ®"
    assert strip_boilerplate(brands) == brands
    bootnote = "Bootnote\nThe status page stayed green throughout, readers tell us."
    assert strip_boilerplate(f"{BODY_LINES}\nAn explanation is due by Monday. {sign}\n{bootnote}") == \
        f"{BODY_LINES}\nAn explanation is due by Monday.\n{bootnote}"


@pytest.mark.parametrize("line", [
    "Customers can subscribe to the new plan from €9.99 a month, the operator said.",
    "Netflix said the feature is reserved for Premium subscribers in Europe.",
    "« Abonnez-vous dès aujourd'hui », répétait la publicité de l'opérateur, a rappelé le juge.",
    "Send your CV to the recruiter, the agency advised jobseekers, according to the report.",
    "The deal is part of our strategy to grow in Europe, the chief executive said.",
    "The court ruled that any reproduction of the photos without permission was prohibited.",
    "The company moved its headquarters to 12, rue de la Bourse 75002 Paris in March.",
    "Police asked witnesses to contact them, the prosecutor said.",
    "Qu'est-ce que la qualification SecNumCloud ?",
])
def test_story_lines_like_the_publisher_s_calls_are_kept(line):
    assert strip_boilerplate(f"{BODY_LINES}\n{line}\n{BODY_LINES}") == f"{BODY_LINES}\n{line}\n{BODY_LINES}"


@pytest.mark.parametrize("line", [
    # ninth round (R9-4): the outlet's social channels and app, told to the reader
    "Follow Britannia News on WhatsApp and download the Britannia News app for breaking news alerts.",
    "Join our WhatsApp channel for the day's top stories.",
    "Suivez-nous sur Instagram et TikTok.",
    "Download the Dublin Ledger app for breaking news alerts",
    # R9-5: a newsletter box's blurb without a verb
    "The top business stories in your inbox every morning.",
    "L'essentiel de l'actualité régionale dans votre boîte mail chaque matin.",
])
def test_the_outlet_s_channels_app_and_newsletter_blurb_leave_the_text(line):
    assert strip_boilerplate(f"{BODY_LINES}\n{line}\n{BODY_LINES}") == f"{BODY_LINES}\n{BODY_LINES}"


@pytest.mark.parametrize("line", [
    "Follow the money, investigators said, and the trail leads to a shell company in Cyprus.",
    "Meta said it would let users follow channels on WhatsApp without sharing their phone number.",
    "Phishing emails that land in your inbox are getting harder to spot, the agency warned.",
    "The bank will send an alert to your phone every time a payment is made, it said.",
    "Rejoignez-nous, a lancé la ministre aux syndicats réunis à Bercy, sur le terrain des salaires.",
])
def test_story_lines_about_channels_apps_and_inboxes_are_kept(line):
    text = f"{BODY_LINES}\n{line}\n{BODY_LINES}"
    assert strip_boilerplate(text) == text


@pytest.mark.parametrize("line", [
    # tenth round (R10-2): the publisher's affiliate notice, in other wordings than the pages'
    "When you purchase through links on our site, we may earn an affiliate commission. Here's how it works.",
    "If you buy something through a link in this article, we may earn a commission.",
    "Cet article contient des liens d'affiliation : si vous achetez via ces liens, nous pouvons percevoir une "
    "commission. Cela n'influence pas nos tests.",
    "Our editors choose every product independently. We may earn a commission from links on this page.",
])
def test_the_publisher_s_affiliate_notice_leaves_the_text(line):
    assert strip_boilerplate(f"{BODY_LINES}\n{line}\n{BODY_LINES}") == f"{BODY_LINES}\n{BODY_LINES}"


@pytest.mark.parametrize("line", [
    # R10-3: a retail-investing site's promotion, its returns footnote and the writers' positions
    "Should you invest $1,000 in Intel right now?",
    "Before you buy stock in Applied Materials, consider this: our analyst team just identified what they believe "
    "are the 10 best stocks for investors to buy now.",
    "*Stock Advisor returns as of December 1, 2026",
    "Ryan Whitfield has positions in Microsoft. StockPulse has positions in and recommends Nvidia. StockPulse has a "
    "disclosure policy.",
    "Maya Lindqvist has no position in any of the stocks mentioned.",
])
def test_an_investing_site_s_promotion_and_positions_leave_the_text(line):
    assert strip_boilerplate(f"{BODY_LINES}\n{line}\n{BODY_LINES}") == f"{BODY_LINES}\n{BODY_LINES}"


@pytest.mark.parametrize("line", [
    "Should investors buy Nvidia stock now?",
    "Berkshire Hathaway has positions in Apple and Bank of America, filings show.",
    "The retailer said it may earn a commission on each sale made through the marketplace.",
    "When you buy a phone through the operator, it can earn a subsidy from the manufacturer, the regulator said.",
    "Les clients qui achètent via l'application cumulent des points, a indiqué Amazon.",
])
def test_story_lines_about_commissions_positions_and_stocks_are_kept(line):
    text = f"{BODY_LINES}\n{line}\n{BODY_LINES}"
    assert strip_boilerplate(text) == text


@pytest.mark.parametrize("line", [
    "Archived in: IBM · Telefónica · Madrid",  # tenth round (R10-5): an archive's label over the page's tags
    "Posted in: Cloud, Chips, Policy",
])
def test_an_archive_label_over_tags_leaves_the_text(line):
    assert strip_boilerplate(f"{BODY_LINES}\n{line}\n{BODY_LINES}") == f"{BODY_LINES}\n{BODY_LINES}"


@pytest.mark.parametrize("line", [
    # tenth round (R10-6): a show's calls to the listener and its credits line
    "Pour ne rater aucun épisode, abonnez-vous au podcast sur votre application préférée et laissez-nous 5 étoiles !",
    "If you enjoy the show, leave us a five-star review.",
    "Rate and review us on Apple Podcasts.",
    "Présentation : Julien Morel. Réalisation : Inès Dupuis. Un podcast de Tech & Co Audio.",
    "Hosted by Mia Chen. Music by Blue Dot Sessions. A Big Bytes production.",
    # mini sites, fifth round: credits between middle dots or bars, the show presenting itself among them
    "Réalisation : Thomas Guérin · Musique : Studio Ondine · Silicium est un podcast indépendant, soutenu par ses "
    "auditeurs.",
    "Hosted by Mia Chen | Produced by Leo Park | Big Bytes is an independent show from Fathom Audio.",
])
def test_a_show_s_calls_and_credits_leave_the_text(line):
    assert strip_boilerplate(f"{BODY_LINES}\n{line}\n{BODY_LINES}") == f"{BODY_LINES}\n{BODY_LINES}"


@pytest.mark.parametrize("line", [
    "Production : la société a doublé ses volumes en un an.",
    "Hosted by the city of Toulouse, the summit drew 3,000 visitors.",
    "Music by Nvidia engineers was played at the launch, the company said.",
    "Le groupe veut ne rater aucun épisode de la bataille des puces, a dit son patron.",
    "Les clients ont laissé 5 étoiles à l'application, selon Google.",
    "Réalisation : Thomas Guérin · le film sort en salles le 4 mars, a annoncé le distributeur.",
    "Silicium est un podcast indépendant · Réalisation : le studio a doublé ses effectifs en un an.",
])
def test_story_lines_like_a_show_s_credits_are_kept(line):
    text = f"{BODY_LINES}\n{line}\n{BODY_LINES}"
    assert strip_boilerplate(text) == text


def test_a_box_header_left_last_leaves_the_text():
    """R10-6: "Links" over a show's list of links trafilatura left out; a heading inside the story stays."""
    listed = f"{BODY_LINES}\nChapters\n- 00:00 Intro\n- 02:14 The developer market"
    assert strip_boilerplate(f"{listed}\nLinks") == listed
    assert strip_boilerplate(f"{BODY_LINES}\nLinks") == BODY_LINES
    assert strip_boilerplate(f"{BODY_LINES}\nThe plan\n{BODY_LINES}") == f"{BODY_LINES}\nThe plan\n{BODY_LINES}"


@pytest.mark.parametrize("line", [
    # eleventh round (R11-1): a wire story's version note and its credits in brackets
    "(Adds CEO comments from call in paragraphs 4-5, analyst in 6, updates shares)",
    "(Recasts with company statement, adds background)",
    "(Actualisé avec déclarations de la directrice générale et du ministre, cours de Bourse)",
    "(Reportage Mathilde Moreau, avec Gilles Guillaume ; édité par Kate Entringer)",
    "(Rédigé par Benjamin Mallet, édité par Blandine Hénault)",
])
def test_a_wire_story_s_version_note_and_credits_leave_the_text(line):
    assert strip_boilerplate(f"{BODY_LINES}\n{line}\n{BODY_LINES}") == f"{BODY_LINES}\n{BODY_LINES}"


@pytest.mark.parametrize("line", [
    "(Updates to the software are free for existing customers.)",
    "(Changes to the AI Act took effect in August 2025.)",
    "(Reportage réalisé à Toulouse avec le soutien de la région.)",
    "Adds to the pressure on the group, analysts said.",
    "Capgemini adds 12,000 engineers in India (updates its hiring plan every quarter).",
])
def test_story_lines_like_a_wire_note_are_kept(line):
    text = f"{BODY_LINES}\n{line}\n{BODY_LINES}"
    assert strip_boilerplate(text) == text


@pytest.mark.parametrize("line", [
    # eleventh round (R11-3): a portal's credit to the story's publisher, a print edition's note
    "Originally published on techwire.example",
    "Read the original article on TechWire",
    "Publié à l'origine sur linforme-tech.example",
    "Cet article a été initialement publié par L'Informé Tech. Retrouvez toute l'actualité sur linforme-tech.example.",
    "This article appeared in the South China Morning Post print edition as: Huawei ramps up output of AI chip",
])
def test_a_portal_s_credit_to_the_publisher_leaves_the_text(line):
    assert strip_boilerplate(f"{BODY_LINES}\n{line}\n{BODY_LINES}") == f"{BODY_LINES}\n{BODY_LINES}"


@pytest.mark.parametrize("line", [
    "Originally published in 1998, the book became a reference for chip designers.",
    "The report, originally published on Tuesday by the ministry, was withdrawn.",
    "This article of the AI Act appeared in the final text only after months of talks.",
    "Read the original filing, the regulator said, and the numbers do not add up.",
])
def test_story_lines_like_a_portal_s_credit_are_kept(line):
    text = f"{BODY_LINES}\n{line}\n{BODY_LINES}"
    assert strip_boilerplate(text) == text


@pytest.mark.parametrize("line", [
    # eleventh round (R11-6): an e-mail's line for readers whose mail client shows it badly
    "Voir cette lettre dans votre navigateur",
    "View this email in your browser",
    "Having trouble viewing this email? View it online.",
    "Si ce message ne s'affiche pas correctement, cliquez ici",
])
def test_an_e_mail_s_view_in_browser_line_leaves_the_text(line):
    assert strip_boilerplate(f"{BODY_LINES}\n{line}\n{BODY_LINES}") == f"{BODY_LINES}\n{BODY_LINES}"


@pytest.mark.parametrize("line", [
    "Click here, the scammers' e-mail said, and the victims did.",
    "Users can now view the newsletter in their browser, Microsoft said.",
    "Cliquez ici pour voir les résultats",
])
def test_story_lines_like_a_view_in_browser_line_are_kept(line):
    text = f"{BODY_LINES}\n{line}\n{BODY_LINES}"
    assert strip_boilerplate(text) == text


@pytest.mark.parametrize("line", [
    # eleventh round (R11-8): the same credit and a newsletter's call in other wordings (pages built after R11-3)
    "This story was originally featured on Fortune.com",
    "Originally posted on the author's blog",
    "Forward this newsletter to a colleague who would enjoy it.",
    "Transférez cette lettre à un collègue qui pourrait l'apprécier.",
])
def test_other_wordings_of_a_portal_s_credit_and_a_forward_call_leave_the_text(line):
    assert strip_boilerplate(f"{BODY_LINES}\n{line}\n{BODY_LINES}") == f"{BODY_LINES}\n{BODY_LINES}"


@pytest.mark.parametrize("line", [
    # a newsletter's closing call (mini news sites: a Substack post's last line)
    "If you found this useful, forward it to a colleague. Leave a comment below: I read every one.",
    "Leave a comment below: I read every one.",
    "Thanks for reading. Please share this post with a friend who works in cloud procurement.",
    "Si cet article vous a plu, transférez-le à un collègue. Laissez-moi un commentaire ci-dessous !",
])
def test_a_newsletter_s_closing_call_to_forward_or_comment_leaves_the_text(line):
    assert strip_boilerplate(f"{BODY_LINES}\n{line}\n{BODY_LINES}") == f"{BODY_LINES}\n{BODY_LINES}"


@pytest.mark.parametrize("line", [
    "Staff can forward it to a colleague only with their manager's approval, the policy says.",
    "Readers who leave a comment below the video are asked to log in, the platform said.",
    "The company did not share this plan with a friendly government before the vote, and critics noticed.",
])
def test_story_lines_like_a_closing_call_are_kept(line):
    text = f"{BODY_LINES}\n{line}\n{BODY_LINES}"
    assert strip_boilerplate(text) == text


@pytest.mark.parametrize("line", [
    "First posted at the border in 2019, the soldiers now guard the data center.",
    "Originally featured in a 2024 report, the figures were revised by Gartner.",
    "Staff were told to forward the email to their managers, the memo said.",
])
def test_story_lines_like_a_credit_or_a_forward_call_are_kept(line):
    text = f"{BODY_LINES}\n{line}\n{BODY_LINES}"
    assert strip_boilerplate(text) == text


RELEASE_END_TAILS = {
    # the London Stock Exchange's RNS: enquiries table, "About X", END, the service's notices and closing code
    "rns": "Enquiries:\n| Raspberry Pi Holdings plc | Via Brunswick |\n| Peel Hunt LLP (Joint Corporate Broker) | "
           "+44 (0)20 7418 8900 |\n| Simone Selzer, Pip Green | raspberrypi@brunswick.example |\nAbout Raspberry Pi\n"
           "Raspberry Pi Holdings plc designs and sells low-cost computers.\nEND\nThis information is provided by RNS, "
           "the news service of the London Stock Exchange.\nAGRFFLFLDIIELIS",
    # a union's release: ENDS, notes to editors, a media contact on its header's line
    "union": "ENDS\nNotes to editors\n- Prospect is a trade union representing 160,000 members.\n- Atos announced the "
             "redundancies on 20 November.\nMedia enquiries: Richard Hazelden, Head of Media, 07971 123 456, "
             "press@prospect.example",
    "ends dashes": "-ends-\nNote to editors:\nThe survey was carried out online in November.\nFor more information "
                   "contact press@union.example",
    # an NGO's « communiqué »: the press contact alone, on one line
    "contact line": "Contact presse : Julien Marchetti – 06 12 34 56 78 – presse@datajustice.example",
    "fin": "FIN\nNote aux rédactions\nL'association compte 4 000 adhérents.\nContact : presse@asso.example",
    # a company's own newsroom (mini sites, seventh round): "# # #", then "About X" and its contacts
    "hashes": "# # #\nAbout Soitec\nSoitec is a world leader in innovative semiconductor materials.\nMedia contacts\n"
              "Isabelle Laurent\n+33 6 42 37 70 96",
    "hashes alone": "###",
    "spaced hashes alone": "#  #  #",
    "thirty": "-30-\nFor more information: www.company.example",
}


@pytest.mark.parametrize("name", sorted(RELEASE_END_TAILS))
def test_a_release_s_end_mark_notes_to_editors_and_one_line_contact_close_it(name):
    """"ENDS" / "END" / « FIN », "Notes to editors" and "Media enquiries: X, phone" on one line open a release's tail
    too: the enquiries table of an RNS made its brokers' staff persons of the story (twelfth round R12-1)."""
    body = "\n".join(RELEASE)
    assert strip_boilerplate(f"{body}\n{RELEASE_END_TAILS[name]}") == body


@pytest.mark.parametrize("tail", [
    "Contact: the company did not answer our questions before publication.",  # no contact mark
    "The end\nThe strike ends on Friday, the union said in a statement on www.prospect.example.",
    "ENDS\nThe ballot closes on 5 January, and members will then decide on next steps at 10 Downing Street.\n"
    "What happens next\nThe union will meet the company on Monday.",  # a story subheading after it
    "# # #\nThe ballot closes on 5 January, and members will then decide on next steps at 10 Downing Street.\n"
    "What happens next\nThe union will meet the company on Monday.",
])
def test_lines_like_a_release_end_that_are_the_story_stay(tail):
    text = "\n".join(RELEASE) + "\n" + tail
    assert strip_boilerplate(text) == text


@pytest.mark.parametrize("line", [
    "This is a premium article",
    "Subscribe to Korea JoongAng Daily for unlimited access to premium articles, the daily newsletter and our e-paper.",
    "Sign up with The Ledger for full access to every story.",
    "Ceci est un article premium.",
    "This article was originally written in Korean and translated by a bilingual reporter with the help of generative "
    "AI tools. It was then edited by a native English-speaking editor. All AI-assisted translations are reviewed and "
    "edited by our newsroom.",
    "This story has been machine-translated from Japanese.",
    "Cet article a été traduit de l'anglais par notre rédaction.",
    "Article traduit avec l'aide de l'intelligence artificielle et relu par la rédaction.",
])
def test_a_premium_box_and_a_translation_note_go(line):
    """A premium story's box and the publisher's note that the story is a translation (an AI-assisted one, at a
    Korean paper's English edition) are no part of it (twelfth round R12-3)."""
    assert strip_boilerplate(f"{STORY[0]}\n{line}\n{STORY[1]}") == f"{STORY[0]}\n{STORY[1]}"


@pytest.mark.parametrize("line", [
    "The novel was translated into 30 languages and sold two million copies, its publisher said on Tuesday.",
    "Samsung said the premium article of clothing line would launch in March.",
    "Customers who subscribe to the plan for unlimited access to the network pay €20 a month, Orange said.",
    "Le rapport a été traduit en douze langues, selon l'ONU, qui le présentera à Genève.",
])
def test_story_lines_about_translations_and_access_stay(line):
    text = f"{STORY[0]}\n{line}\n{STORY[1]}"
    assert strip_boilerplate(text) == text


RESEARCH_NOTES = {
    "references and funding": "References\nAmirkeivan Mohtashami, Sai Praneeth Karimireddy, Martin Jaggi, \"Local steps, "
                              "global models\", Nature Machine Intelligence, 4 December 2026. DOI: "
                              "10.1038/s42256-026-01234-5\nFunding\nSwiss National Science Foundation (SNSF)",
    "référence et contacts": "Référence\nÉ. Vautrin, T. Ayral, L. Henriet, « Hybrid simulation of large molecules », "
                             "Physical Review X, décembre 2026. DOI : 10.1103/PhysRevX.16.041023\nContact chercheur\n"
                             "Élise Vautrin – elise.vautrin@inria.example\nContact presse\nService de presse – "
                             "presse@inria.example",
    "journal reference": "Journal reference:\nK. Ito et al., Science (2026), https://doi.org/10.1126/science.adk1234",
}


@pytest.mark.parametrize("name", sorted(RESEARCH_NOTES))
def test_a_research_story_s_references_funding_and_researcher_contact_go(name):
    """A university's or lab's news page ends with the paper's citation, its funding and the researcher's address:
    the co-authors of the citation became persons of the story (twelfth round R12-4)."""
    body = "\n".join(RELEASE)
    assert strip_boilerplate(f"{body}\n{RESEARCH_NOTES[name]}") == body


@pytest.mark.parametrize("tail", [
    # a subheading of the story, prose under it and more story after
    "Funding\nThe lab's funding comes mostly from the Swiss National Science Foundation, which gave it CHF 4 million "
    "last year, and from industry partners such as Nvidia and IBM, according to its annual report.\n"
    "What comes next\nThe team will present the work in Vancouver, see www.lab.example/report",
    "Funding\nThe grant ends in 2027.\nMore at https://doi.org/10.5281/zenodo.123",
    # no mark: a list of sources under a header, in a story
    "References\nThe group says its model cites its sources.",
])
def test_a_story_section_named_like_research_notes_stays(tail):
    text = "\n".join(RELEASE) + "\n" + tail
    assert strip_boilerplate(text) == text


def test_other_wordings_of_research_notes_and_a_register_button_go():
    """Found on the twelfth round's holdout pages (R12-8): a "Paper:" header over the citation, and a premium box's
    "Register now" button."""
    body = "\n".join(RELEASE)
    paper = ("Paper:\nP. Natarajan, L. Okafor, \"A compute-in-memory macro\", IEDM 2026, doi:10.1109/IEDM.2026.10412345"
             "\nAcknowledgements\nEngineering and Physical Sciences Research Council (EPSRC)")
    assert strip_boilerplate(f"{body}\n{paper}") == body
    assert strip_boilerplate(f"{STORY[0]}\nRegister now\n{STORY[1]}") == f"{STORY[0]}\n{STORY[1]}"
    # the story's own lines
    kept = f"{STORY[0]}\nRegister now for the vote, the mayor urged residents, as turnout fell to 31%.\n{STORY[1]}"
    assert strip_boilerplate(kept) == kept
    study = f"{body}\nThe study\nThe researchers will publish their results in Nature next year, they said."
    assert strip_boilerplate(study) == study


@pytest.mark.parametrize("line", [
    "Also Read | Tata Electronics starts trial production at its first chip plant",
    "Also read: Why the semiconductor mission needs a second act",
    "(With inputs from agencies)",
    "(With inputs from PTI and Reuters)",
    "With inputs from ANI",
    "Catch all the Technology News and Updates on Live Mint. Download The Mint News App to get Daily Market Updates & "
    "Live Business News.",
    "Join ST's WhatsApp Channel and get the latest news and must-reads.",
    "Follow The Hindu's Telegram channel for updates",
    "Find out more about climate change and how it could affect you on the ST microsite here.",
])
def test_an_indian_or_singapore_edition_s_own_lines_go(line):
    """An Indian or Singapore English edition's inline "Also Read |" teasers, agency credit, app and channel promos
    and pointer to its microsite (thirteenth round R13-1)."""
    assert strip_boilerplate(f"{STORY[0]}\n{line}\n{STORY[1]}") == f"{STORY[0]}\n{STORY[1]}"


@pytest.mark.parametrize("line", [
    "Also read by millions of students, the textbook was rewritten with help from Google engineers last year.",
    "With inputs from farmers and engineers, the ministry drafted a plan to bring AI tools to 600 villages.",
    "Customers can download the app to get refunds faster, Paytm said on Tuesday, after complaints from users.",
    "Officials will join the WhatsApp channel's launch event in Mumbai, the ministry said.",
    "Researchers found out more about the flaw on the company's site, where a patch was published on Monday.",
])
def test_story_lines_like_an_edition_s_promos_stay(line):
    text = f"{STORY[0]}\n{line}\n{STORY[1]}"
    assert strip_boilerplate(text) == text


@pytest.mark.parametrize("line", [
    "This article is republished from The Conversation under a Creative Commons license. Read the original article.",
    "Cet article est republié à partir de The Conversation sous licence Creative Commons. Lire l'article original.",
    "This essay was reprinted with permission from Noema Magazine.",
    "Lire l'article original",
    "Read the original article.",
])
def test_a_republication_notice_goes(line):
    """The notice under a story republished from The Conversation or another outlet, and its link to the original
    alone (thirteenth round R13-2)."""
    assert strip_boilerplate(f"{STORY[0]}\n{line}\n{STORY[1]}") == f"{STORY[0]}\n{STORY[1]}"


@pytest.mark.parametrize("line", [
    "This article was republished by dozens of outlets within hours, and Google's tools flagged none of the copies.",
    "Cet article est republié dans de nombreux journaux régionaux, selon l'agence, qui le vend 200 euros.",
    "Read the original article of the treaty, the minister told MPs, and you will find no such clause.",
])
def test_story_lines_about_republication_stay(line):
    text = f"{STORY[0]}\n{line}\n{STORY[1]}"
    assert strip_boilerplate(text) == text


@pytest.mark.parametrize("line", [
    "Was this article helpful?",
    "Was this page helpful? Yes No",
    "Cet article vous a-t-il été utile ?",
    "Avez-vous trouvé cette page utile ? Oui Non",
    "Subscribe to the Sifted Daily podcast on Apple Podcasts or Spotify to hear the full conversation.",
    "Abonnez-vous à Tech Matin sur Apple Podcasts, Spotify ou Deezer.",
])
def test_a_guide_s_feedback_widget_and_a_show_s_subscribe_line_go(line):
    """A guide's "Was this article helpful?" widget and an interview page's call to subscribe to the site's podcast
    by name (thirteenth round R13-3)."""
    assert strip_boilerplate(f"{STORY[0]}\n{line}\n{STORY[1]}") == f"{STORY[0]}\n{STORY[1]}"


@pytest.mark.parametrize("line", [
    "Was this article helpful to the defence? The judge said it was not, and fined the paper €10,000.",
    "Listeners who subscribe to the BBC's Tech Life podcast on Spotify rose by a third, the broadcaster said.",
])
def test_story_lines_like_a_feedback_widget_stay(line):
    text = f"{STORY[0]}\n{line}\n{STORY[1]}"
    assert strip_boilerplate(text) == text


@pytest.mark.parametrize("line", [
    "The views expressed in this commentary are solely those of the author and do not necessarily reflect those of "
    "Global Commentary.",
    "Opinions expressed are the author's own.",
    "Les opinions exprimées dans cette tribune n'engagent que leur auteur.",
    "Cette tribune n'engage que son auteur.",
    "Copyright: Project Syndicate, 2026.",
    "Copyright 2026 Global Commentary",
])
def test_an_opinion_page_s_disclaimer_and_copyright_line_go(line):
    """An op-ed's or « tribune »'s disclaimer and its syndicate's copyright line (thirteenth round R13-4)."""
    assert strip_boilerplate(f"{STORY[0]}\n{line}\n{STORY[1]}") == f"{STORY[0]}\n{STORY[1]}"


@pytest.mark.parametrize("line", [
    "The views expressed by the committee were those of a minority, the report said.",
    "Les opinions exprimées lors du débat ont divisé la majorité, qui votera mardi.",
    "Copyright: the lawsuit, 2023",
])
def test_story_lines_like_an_opinion_disclaimer_stay(line):
    text = f"{STORY[0]}\n{line}\n{STORY[1]}"
    assert strip_boilerplate(text) == text


@pytest.mark.parametrize("line", [
    "— With PTI inputs",
    "(With agency inputs)",
    "(Only the headline and picture of this report may have been reworked by the Business Standard staff; the rest of "
    "the content is auto-generated from a syndicated feed.)",
    "(Except for the headline, this story has not been edited by NDTV staff and is published from a syndicated feed.)",
    "This article is republished from The Conversation, a nonprofit, independent news organization bringing you facts "
    "and trustworthy analysis to help you make sense of our complex world. It was written by: Daniel Okoro, "
    "Northeastern University",
    "Your gift helps keep public media free for everyone. Donate today.",
    "Le débat d'idées vous intéresse ? Recevez chaque samedi notre sélection de tribunes.",
])
def test_the_holdout_pages_wordings_go(line):
    """Other wordings of the thirteenth round's kinds, found on its holdout pages (R13-9): an Indian site's agency
    credit and syndicated-feed note, The Conversation's long US notice, a donation call, a newsletter pitch after a
    question."""
    assert strip_boilerplate(f"{STORY[0]}\n{line}\n{STORY[1]}") == f"{STORY[0]}\n{STORY[1]}"


def test_an_interviewer_s_byline_at_the_end_goes():
    body = "\n".join(RELEASE)
    assert strip_boilerplate(f"{body}\nInterviewed by Hannah Lindgren") == body
    assert strip_boilerplate(f"{body}\nAs told to Hannah Lindgren.") == body


@pytest.mark.parametrize("line", [
    "With PTI and Reuters both reporting the deal, shares of Infosys rose 4% in early trade in Mumbai on Thursday.",
    "The story was never edited, the regulator found, and it ran on 40 sites that took the syndicated feed.",
    "Donate to the campaign, Mistral AI's founders urged engineers at a Paris meetup, and 300 did so that evening.",
    "Interviewed by the police for six hours, the engineer denied leaking Thales's designs.",
])
def test_story_lines_like_the_holdout_wordings_stay(line):
    text = f"{STORY[0]}\n{line}\n{STORY[1]}"
    assert strip_boilerplate(text) == text


@pytest.mark.parametrize("line", [
    "📣 For more lifestyle news, follow us on Instagram | Twitter | Facebook and don't miss out on the latest updates!",
    "Click here to join The Indian Herald on WhatsApp and get latest news and updates",
])
def test_a_channel_promo_after_a_clause_goes(line):
    """An Indian edition's "For more … news, follow us on Instagram" and "Click here to join X on WhatsApp", found on
    the round's second holdout (R13-12)."""
    assert strip_boilerplate(f"{STORY[0]}\n{line}\n{STORY[1]}") == f"{STORY[0]}\n{STORY[1]}"


def test_a_byline_with_its_place_and_date_after_bars_goes():
    """"Written by Express News Service | Hyderabad | December 4, 2026 19:40 IST" held 13 words, one more than a
    byline may (R13-12): the names' part before the bar counts."""
    body = "\n".join(RELEASE)
    assert strip_boilerplate(f"Written by Express News Service | Hyderabad | December 4, 2026 19:40 IST\n{body}") == body


@pytest.mark.parametrize("line", [
    "Fans who follow us on Instagram, the band's manager said, will get the tickets first.",
    "By the time the board meets in Hyderabad next week the deal will be signed | sources say",
])
def test_story_lines_like_a_channel_promo_or_a_long_byline_stay(line):
    text = f"{line}\n{STORY[0]}\n{STORY[1]}"
    assert strip_boilerplate(text) == text


@pytest.mark.parametrize("line", [
    "Lancez la conversation",
    "Rejoignez la discussion !",
    "Commenter",
    "Connectez-vous à votre compte Le Journal pour participer à la conversation",
    "Identifiez-vous pour réagir à cet article.",
    "Sign in to your Ledger account to comment.",
    "Log in or create a free account to join the conversation",
])
def test_a_comment_box_s_prompts_in_other_wordings_go(line):
    """The comment box under a story: the French of "join the conversation", its « Commenter » button and the call
    to log in first, in either language, stayed at the text's end (mini news sites, fourteenth round)."""
    assert strip_boilerplate(f"{STORY[0]}\n{STORY[1]}\n{line}") == f"{STORY[0]}\n{STORY[1]}"


@pytest.mark.parametrize("line", [
    "Connectez-vous au réseau de l'université pour accéder au modèle, précise la notice publiée par l'équipe.",
    "Log in to the dashboard to see which models your company is allowed to deploy, the guidance says.",
    "Rejoignez la discussion, a lancé la ministre aux entreprises présentes, avant de présenter le plan.",
    "Commenter les résultats trimestriels n'est pas l'usage du groupe, a répondu un porte-parole.",
])
def test_story_lines_like_a_comment_prompt_stay(line):
    text = f"{STORY[0]}\n{line}\n{STORY[1]}"
    assert strip_boilerplate(text) == text


@pytest.mark.parametrize("line", [
    "Vous souhaitez suivre l'actualité de Nantes et de son agglomération ? Téléchargez notre application et activez "
    "les notifications.",
    "Téléchargez gratuitement notre application pour recevoir les alertes de votre département.",
    "Pour ne rien manquer, installez notre appli.",
])
def test_a_french_publisher_s_app_promo_goes(line):
    """« Téléchargez notre application »: the French of "Download our app to get …", with no store named, stayed at a
    regional daily's story's end (mini news sites, fourteenth round)."""
    assert strip_boilerplate(f"{STORY[0]}\n{STORY[1]}\n{line}") == f"{STORY[0]}\n{STORY[1]}"


@pytest.mark.parametrize("line", [
    "« Téléchargez notre application », répète depuis un an la banque, qui a fermé 40 agences dans la région.",
    "Les clients de l'opérateur peuvent télécharger son application pour suivre leur consommation de données.",
])
def test_story_lines_about_someone_s_app_stay(line):
    text = f"{STORY[0]}\n{line}\n{STORY[1]}"
    assert strip_boilerplate(text) == text


@pytest.mark.parametrize("line", [
    "Please turn on JavaScript to use this feature",
    "You need to enable JavaScript to run this app.",
    "To use this feature, please enable JavaScript.",
    "Veuillez activer JavaScript pour afficher ce contenu.",
    "JavaScript is disabled in your browser.",
])
def test_a_browser_s_javascript_notice_goes(line):
    """A live blog's "Show key events only" filter printed "Please turn on JavaScript to use this feature" at the head of
    its text (mini sites, fourth round)."""
    assert strip_boilerplate(f"{STORY[0]}\n{line}\n{STORY[1]}") == f"{STORY[0]}\n{STORY[1]}"


@pytest.mark.parametrize("line", [
    "The update will enable JavaScript developers to run their code on the company's sovereign cloud.",
    "Developers can turn on JavaScript sandboxing in the settings of the new release, the company said.",
])
def test_story_lines_about_javascript_stay(line):
    text = f"{STORY[0]}\n{line}\n{STORY[1]}"
    assert strip_boilerplate(text) == text


@pytest.mark.parametrize("line", ["Durée de la vidéo : 2min", "Durée de la vidéo : 2 min 24", "Video duration: 2:24",
                                  "Durée du reportage : 1h12", "Episode length 45 min"])
def test_a_player_s_length_alone_on_its_line_leaves_the_text(line):
    """A TV report's page opened with « Durée de la vidéo : 2min » (mini sites, eighth round), which also kept its
    repeated headline, found only on the first lines; a sentence that starts the same way stays."""
    story = "Le groupe prévoit de supprimer 700 postes dans sa branche spatiale en France."
    assert strip_boilerplate(f"{line}\n{story}") == story
    kept = "Durée de la vidéo : 2 min, mais le reportage a été vu un million de fois en une journée."
    assert strip_boilerplate(f"{kept}\n{story}") == f"{kept}\n{story}"


def test_a_tv_report_s_page_keeps_neither_its_player_s_length_nor_its_repeated_headline():
    html = ("<html lang='fr'><head><title>VIDEO. Chez Airbus, l'inquiétude</title></head><body>"
            "<article class='c-article'>"
            "<div class='c-video-player'><iframe src='https://player.example/embed/1'></iframe>"
            "<p class='c-video-player__duration'>Durée de la vidéo : 2min</p></div>"
            "<h1 class='c-title'>VIDEO. Chez Airbus, l'inquiétude</h1><div class='c-body'>"
            + "".join(f"<p>Paragraphe {n} : le groupe prévoit de supprimer 700 postes dans sa branche spatiale en "
                      f"France, dont près de 500 à Toulouse, et les salariés se sont rassemblés jeudi soir.</p>"
                      for n in range(3)) + "</div></article></body></html>")
    text = extract_article(html, "https://news.example/v", min_words=10).text
    assert text.startswith("Paragraphe 0 :"), text
