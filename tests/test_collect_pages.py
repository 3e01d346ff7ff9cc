"""Which fetched pages become articles: feed links fetched as given (SPIP ids), consent walls, listing pages and short
briefs (pipeline.collect, pipeline.pagetype). Pages in tests/fixtures/sites3 are small CMS-like pages (mini news sites
audit, round 3), served by a local HTTP server."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from werkzeug.wrappers import Response

from pipeline.collect import Collector
from pipeline.feeds import load_feeds
from pipeline.settings import load_settings
from pipeline.urls import article_id

PAGES = Path(__file__).parent / "fixtures" / "sites3"


def page(name: str, base: str) -> str:
    return (PAGES / name).read_text(encoding="utf-8").replace("{{BASE}}", base)


def rss(items: list[tuple[str, str, str | None]], lang: str = "fr") -> str:
    """An RSS body: (title, link, description or None) per item."""
    body = "".join(
        f"<item><title>{t}</title><link>{link.replace('&', '&amp;')}</link>"
        f"<pubDate>Mon, 30 Nov 2026 10:00:00 +0000</pubDate>"
        + (f"<description>{d}</description>" if d is not None else "") + "</item>"
        for t, link, d in items)
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Site</title>'
            f"<language>{lang}</language>{body}</channel></rss>")


def run(httpserver, tmp_path, feed_body: str):
    httpserver.expect_request("/feed.xml").respond_with_data(feed_body, content_type="application/rss+xml")
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    path = tmp_path / "feeds.yaml"
    path.write_text(json.dumps({"feeds": [{"name": "Site", "url": httpserver.url_for("/feed.xml"), "lang": "fr"}]}))
    collector = Collector(load_settings(), load_feeds(path))

    async def go():
        return [a async for a in collector.articles()]

    return asyncio.run(go()), collector


def html(body: str):
    return lambda request: Response(body, content_type="text/html; charset=utf-8")


def requested(httpserver) -> list[str]:
    return [r.full_path.rstrip("?") for r, _ in httpserver.log]


# --------------------------------------------------------------------------------------------- F2: links as given


def test_spip_article_links_are_fetched_as_given_and_stay_two_articles(httpserver, tmp_path):
    base = httpserver.url_for("/").rstrip("/")
    for n in ("123", "124"):
        httpserver.expect_request("/spip.php", query_string=f"article{n}").respond_with_handler(
            html(page(f"spip_article{n}.html", base)))
    httpserver.expect_request("/spip.php").respond_with_data("home page", content_type="text/html")
    articles, collector = run(httpserver, tmp_path, rss([
        ("Outscale obtient la qualification SecNumCloud", f"{base}/spip.php?article123", "Outscale."),
        ("La région Occitanie choisit OVHcloud", f"{base}/spip.php?article124", "OVHcloud."),
    ]))
    assert collector.stats.duplicates == 0
    assert sorted(a.url for a in articles) == [f"{base}/spip.php?article123", f"{base}/spip.php?article124"]
    assert all(a.extraction == "trafilatura" for a in articles)
    assert {"Outscale" in a.title for a in articles} == {True, False}
    assert "/spip.php" not in requested(httpserver)


def test_tracking_parameters_are_fetched_but_not_part_of_the_identity(httpserver, tmp_path):
    base = httpserver.url_for("/").rstrip("/")
    body = page("spip_article123.html", base)
    httpserver.expect_request("/story", query_string="ref=8812&utm_source=rss").respond_with_handler(html(body))
    articles, _ = run(httpserver, tmp_path, rss([("Outscale", f"{base}/story?ref=8812&utm_source=rss", "Outscale.")]))
    assert [a.id for a in articles] == [article_id(f"{base}/story?ref=8812")]
    assert requested(httpserver)[-1] == "/story?ref=8812&utm_source=rss"


# --------------------------------------------------------------------------------------------- F1: consent walls


def test_links_redirected_to_one_consent_wall_fall_back_to_their_own_summaries(httpserver, tmp_path):
    base = httpserver.url_for("/").rstrip("/")
    for slug in ("atos", "sopra", "thales"):
        httpserver.expect_request(f"/eco/{slug}").respond_with_data("", status=302, headers={"Location": "/cookie-wall"})
    httpserver.expect_request("/cookie-wall").respond_with_handler(html(page("consent_wall.html", base)))
    articles, collector = run(httpserver, tmp_path, rss([
        ("Atos cède sa division", f"{base}/eco/atos", "Atos cède sa division à un fonds."),
        ("Sopra Steria recrute", f"{base}/eco/sopra", "Sopra Steria recrute 3 000 ingénieurs."),
        ("Thales livre un satellite", f"{base}/eco/thales", "Thales livre un satellite à l'armée."),
    ]))
    assert sorted(a.id for a in articles) == sorted(article_id(f"{base}/eco/{s}") for s in ("atos", "sopra", "thales"))
    assert all(a.extraction == "feed-summary" and a.fallback_reason == "consent-wall" for a in articles)
    assert all("cookies" not in a.text and not a.link_ids for a in articles)
    assert collector.stats.fallback_reasons == {"consent-wall": 3} and collector.stats.story_copies == 0


def test_a_consent_page_served_with_a_meta_refresh_is_not_the_article(httpserver, tmp_path):
    base = httpserver.url_for("/").rstrip("/")
    httpserver.expect_request("/story/mistral-armees").respond_with_handler(html(page("consent_refresh.html", base)))
    articles, collector = run(httpserver, tmp_path, rss([  # its refresh target is the wall again (no cookie kept)
        ("Mistral AI signe avec le ministère des Armées", f"{base}/story/mistral-armees", "Un contrat-cadre."),
    ]))
    assert [(a.title, a.text, a.fallback_reason) for a in articles] == [
        ("Mistral AI signe avec le ministère des Armées", "Un contrat-cadre.", "consent-wall")]
    assert collector.stats.fallback_reasons == {"consent-wall": 1}
    assert requested(httpserver).count("/story/mistral-armees?consent=accepted") == 1  # followed once, not more


def test_a_consent_page_refreshing_to_the_story_is_followed_once(httpserver, tmp_path):
    base = httpserver.url_for("/").rstrip("/")
    story = page("spip_article123.html", base).replace(f"{base}/spip.php?article123", f"{base}/story/mistral-armees")
    httpserver.expect_request("/story/mistral-armees", query_string="consent=accepted").respond_with_handler(html(story))
    httpserver.expect_request("/story/mistral-armees").respond_with_handler(html(page("consent_refresh.html", base)))
    articles, collector = run(httpserver, tmp_path, rss([
        ("Mistral AI signe avec le ministère des Armées", f"{base}/story/mistral-armees", "Un contrat-cadre."),
    ]))
    assert [(a.id, a.extraction, a.fallback_reason) for a in articles] == [
        (article_id(f"{base}/story/mistral-armees"), "trafilatura", None)]
    assert "Dassault Systèmes" in articles[0].text and collector.stats.fallback_reasons == {}


def test_a_redirect_target_without_declared_canonical_is_not_taken_as_the_story(httpserver, tmp_path):
    base = httpserver.url_for("/").rstrip("/")
    body = page("spip_article123.html", base).replace('<link rel="canonical" href="' + base + '/spip.php?article123" />', "")
    httpserver.expect_request("/go/1").respond_with_data("", status=302, headers={"Location": "/landing"})
    httpserver.expect_request("/landing").respond_with_handler(html(body))
    articles, _ = run(httpserver, tmp_path, rss([("Outscale", f"{base}/go/1", "Outscale.")]))
    assert [(a.id, a.url, a.extraction) for a in articles] == [(article_id(f"{base}/go/1"), f"{base}/go/1", "trafilatura")]


def test_different_links_redirected_to_one_canonical_page_do_not_merge(httpserver, tmp_path):
    base = httpserver.url_for("/").rstrip("/")
    body = page("spip_article123.html", base).replace(f"{base}/spip.php?article123", f"{base}/landing")
    for n in (1, 2):
        httpserver.expect_request(f"/go/{n}").respond_with_data("", status=302, headers={"Location": "/landing"})
    httpserver.expect_request("/landing").respond_with_handler(html(body))
    articles, collector = run(httpserver, tmp_path, rss([
        ("Outscale", f"{base}/go/1", "Outscale obtient SecNumCloud."), ("OVHcloud", f"{base}/go/2", "OVHcloud gagne."),
    ]))
    assert len({a.id for a in articles}) == 2 and collector.stats.story_copies == 0
    assert collector.stats.fallback_reasons == {"shared-redirect-target": 1}
    assert sorted(a.extraction for a in articles) == ["feed-summary", "trafilatura"]


# --------------------------------------------------------------------------------------------- F3: listing pages


def test_tag_author_and_home_pages_in_a_feed_are_skipped_as_not_articles(httpserver, tmp_path):
    base = httpserver.url_for("/").rstrip("/")
    tag = page("tag_page.html", base)
    home = tag.replace('class="archive tag tag-nvidia"', 'class="home blog"').replace(
        '<link rel="canonical" href="' + base + '/tag/nvidia/">', "")
    author = tag.replace('class="archive tag tag-nvidia"', 'class="archive author"')
    httpserver.expect_request("/tag/nvidia/").respond_with_handler(html(tag))
    httpserver.expect_request("/auteur/claire-dubois/").respond_with_handler(html(author))
    httpserver.expect_request("/").respond_with_handler(html(home))
    httpserver.expect_request("/spip.php", query_string="article123").respond_with_handler(
        html(page("spip_article123.html", base)))
    articles, collector = run(httpserver, tmp_path, rss([
        ("Dossier : Nvidia", f"{base}/tag/nvidia/", "Tous nos articles sur Nvidia."),
        ("Claire Dubois", f"{base}/auteur/claire-dubois/", None),
        ("Le Quotidien Numérique", f"{base}/", "Le site."),
        ("Outscale obtient la qualification SecNumCloud", f"{base}/spip.php?article123", "Outscale."),
    ]))
    assert [a.url for a in articles] == [f"{base}/spip.php?article123"]
    assert collector.stats.skipped == {"not-an-article": 3} and collector.stats.feed_summary_fallbacks == 0


# --------------------------------------------------------------------------------------------- F15: briefs


def test_short_briefs_keep_their_page_text_when_longer_than_the_feed_summary(httpserver, tmp_path):
    base = httpserver.url_for("/").rstrip("/")
    httpserver.expect_request("/breves/pasqal").respond_with_handler(html(page("brief_pasqal.html", base)))
    httpserver.expect_request("/breves/kyutai").respond_with_handler(html(page("brief_kyutai.html", base)))
    articles, collector = run(httpserver, tmp_path, rss([
        ("Pasqal lève 100 millions d’euros", f"{base}/breves/pasqal", None),
        ("Kyutai ouvre un bureau à Londres", f"{base}/breves/kyutai", "Kyutai ouvre un bureau à Londres"),
    ]))
    by_url = {a.url.rsplit("/", 1)[-1]: a for a in articles}
    assert set(by_url) == {"pasqal", "kyutai"} and collector.stats.feed_summary_fallbacks == 0
    assert by_url["pasqal"].extraction == "trafilatura" and "Alain Aspect" in by_url["pasqal"].text
    assert 20 < by_url["pasqal"].word_count < 80
    assert "Xavier Niel" in by_url["kyutai"].text and by_url["kyutai"].word_count > 20


def test_a_short_paywall_stub_still_falls_back_to_the_feed_summary(httpserver, tmp_path):
    base = httpserver.url_for("/").rstrip("/")
    stub = page("brief_pasqal.html", base).replace(
        "</div></article>", "<p>Cet article est réservé aux abonnés. Il vous reste 80 % à lire.</p></div></article>")
    locked = page("brief_kyutai.html", base).replace(
        "</head>", '<script type="application/ld+json">{"@context": "https://schema.org", "@type": "NewsArticle", '
                   '"isAccessibleForFree": false, '
                   '"author": {"@type": "Person", "name": "Sophie Lenoir"}}</script></head>')
    httpserver.expect_request("/a/stub").respond_with_handler(html(stub))
    httpserver.expect_request("/a/locked").respond_with_handler(html(locked))
    articles, collector = run(httpserver, tmp_path, rss([
        ("Pasqal lève 100 millions d’euros", f"{base}/a/stub", "Pasqal lève des fonds."),
        ("Kyutai ouvre un bureau à Londres", f"{base}/a/locked", "Kyutai s'installe à Londres."),
    ]))
    assert sorted((a.extraction, a.fallback_reason) for a in articles) == [("feed-summary", "too-little-text")] * 2
    locked_article = next(a for a in articles if a.url.endswith("/a/locked"))
    assert locked_article.authors == ["Sophie Lenoir"]  # the page was read: its byline is kept (the feed names none)


def test_a_video_page_is_not_kept_as_a_brief(httpserver, tmp_path):
    """A player with a two-sentence caption was stored as a 13-word brief (red-team, mini news sites)."""
    base = httpserver.url_for("/").rstrip("/")
    caption = "<p>Le patron de Mistral AI répond à nos questions sur Mistral Compute. Durée : 12 min.</p>"
    player = ('<!DOCTYPE html><html lang="fr"><head><title>Vidéo : Arthur Mensch</title>'
              '<meta property="og:type" content="article"><script type="application/ld+json">{"@type": '
              '"VideoObject", "name": "Arthur Mensch"}</script></head><body><article><h1>Vidéo : Arthur Mensch</h1>'
              f'<iframe src="https://www.dailymotion.com/embed/video/x9abc"></iframe>{caption}</article></body></html>')
    httpserver.expect_request("/video/mensch").respond_with_handler(html(player))
    articles, _ = run(httpserver, tmp_path, rss([("Vidéo : Arthur Mensch", f"{base}/video/mensch", "Entretien.")]))
    assert [(a.extraction, a.fallback_reason) for a in articles] == [("feed-summary", "too-little-text")]


# --------------------------------------------------------------------------------------------- `newsroom fetch`


def fetch_cli(httpserver, tmp_path, feed_body: str, *extra: str) -> list[dict]:
    from pipeline.cli import main

    if getattr(httpserver, "feed_test", None) != tmp_path:  # one feed per test (the server outlives the test)
        httpserver.feed_test = tmp_path
        httpserver.expect_request("/feed.xml").respond_with_handler(
            lambda request: Response(httpserver.feed_body, content_type="application/rss+xml"))
        httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    httpserver.feed_body = feed_body
    path = tmp_path / "feeds.yaml"
    path.write_text(json.dumps({"feeds": [{"name": "Site", "url": httpserver.url_for("/feed.xml"), "lang": "fr"}]}))
    out = tmp_path / "out.jsonl"
    main(["fetch", "--feeds", str(path), "--output", str(out), *extra])
    return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]


def test_fetch_include_seen_reads_an_unchanged_feed_again(httpserver, tmp_path):
    base = httpserver.url_for("/").rstrip("/")
    httpserver.expect_request("/spip.php", query_string="article123").respond_with_handler(
        html(page("spip_article123.html", base)))
    feed = rss([("Outscale", f"{base}/spip.php?article123", "Outscale.")])
    assert len(fetch_cli(httpserver, tmp_path, feed)) == 1
    assert fetch_cli(httpserver, tmp_path, feed) == []  # unchanged feed, article already written
    again = fetch_cli(httpserver, tmp_path, feed, "--include-seen")
    assert [a["url"] for a in again] == [f"{base}/spip.php?article123"]


def test_fetch_writes_the_fetch_time_when_no_date_is_plausible(httpserver, tmp_path):
    base = httpserver.url_for("/").rstrip("/")
    future = page("brief_pasqal.html", base).replace("2026-11-30T11:15:00+01:00", "2099-11-30T11:15:00+01:00")
    httpserver.expect_request("/breves/pasqal").respond_with_handler(html(future))
    feed = rss([("Pasqal lève 100 millions d’euros", f"{base}/breves/pasqal", None)]).replace("2026", "2099")
    [article] = fetch_cli(httpserver, tmp_path, feed)
    assert article["published_at"] == article["fetched_at"] and article["extraction"] == "trafilatura"


def test_fetch_tries_a_page_again_when_a_consent_wall_answered(httpserver, tmp_path):
    base = httpserver.url_for("/").rstrip("/")
    answers = [page("consent_wall.html", base), page("spip_article123.html", base)]
    httpserver.expect_request("/story").respond_with_handler(lambda request: html(answers.pop(0))(request))
    feed = rss([("Outscale obtient la qualification SecNumCloud", f"{base}/story", "Outscale.")])
    [first] = fetch_cli(httpserver, tmp_path, feed)
    assert (first["extraction"], first["fallback_reason"]) == ("feed-summary", "consent-wall")
    changed = feed.replace("</channel>", "<item><title>Autre</title><link>http://127.0.0.1:9/x</link></item></channel>")
    [second] = [a for a in fetch_cli(httpserver, tmp_path, changed) if a["id"] == first["id"]]  # not marked seen
    assert (second["extraction"], second["fallback_reason"]) == ("trafilatura", None)


def test_fetch_writes_the_story_s_page_not_the_summary_of_its_short_copy_and_counts_lines(httpserver, tmp_path,
                                                                                          capsys):
    """Findings 1 and 11 (hostile4): the paywalled ?from=rss copy of a story answers first; the one line written is
    the story's page text with the copy's link, and "Wrote N" counts the lines written."""
    import time

    base = httpserver.url_for("/").rstrip("/")
    story_url, copy_url = f"{base}/cloud/ovh", f"{base}/cloud/ovh?from=rss"
    full = page("spip_article124.html", base).replace(f"{base}/spip.php?article124", story_url)
    stub = (f'<html lang=fr><head><title>OVHcloud</title><link rel="canonical" href="{story_url}"></head>'
            "<body><article><h1>OVHcloud</h1><p>Réservé aux abonnés.</p></article></body></html>")

    def slow_story(request):
        time.sleep(1.0)  # the copy's answer (its feed summary) comes first
        return html(full)(request)

    httpserver.expect_request("/cloud/ovh", query_string="from=rss").respond_with_handler(html(stub))
    httpserver.expect_request("/cloud/ovh").respond_with_handler(slow_story)
    feed = rss([("La région choisit OVHcloud", copy_url, "OVHcloud choisi."),
                ("La région choisit OVHcloud", story_url, "OVHcloud choisi.")])
    capsys.readouterr()
    [article] = fetch_cli(httpserver, tmp_path, feed)
    assert (article["id"], article["extraction"]) == (article_id(story_url), "trafilatura")
    assert article["link_ids"] == [article_id(copy_url)]
    assert "Wrote 1 article(s)" in capsys.readouterr().err


def test_fetch_knows_a_story_whose_link_was_renamed_by_its_feed_guid(httpserver, tmp_path):
    """Finding 8 (hostile4): the same <guid> under a new link (a renamed slug, the old one redirecting) is the story
    already written, not a second article; a GUID the feed gives to several links identifies nothing."""
    base = httpserver.url_for("/").rstrip("/")
    full = page("spip_article124.html", base)
    for path in ("/g/old-slug", "/g/new-slug", "/g/a", "/g/b", "/g/c"):
        httpserver.expect_request(path).respond_with_handler(html(full.replace("article124", path[3:])))

    def feed(entries: list[tuple[str, str, str]]) -> str:
        items = "".join(f"<item><title>{t}</title><link>{link}</link><guid isPermaLink=\"false\">{g}</guid>"
                        "<description>OVHcloud.</description></item>" for t, link, g in entries)
        return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Site</title>{items}</channel></rss>'

    title = "La région Occitanie choisit OVHcloud"
    first = fetch_cli(httpserver, tmp_path, feed([(title, f"{base}/g/old-slug", "urn:story:1"),
                                                  ("Deux", f"{base}/g/a", "same"), ("Trois", f"{base}/g/b", "same")]))
    assert sorted(a["url"].removeprefix(base) for a in first) == ["/g/a", "/g/b", "/g/old-slug"]
    second = fetch_cli(httpserver, tmp_path, feed([(title, f"{base}/g/new-slug", "urn:story:1"),
                                                   ("Quatre", f"{base}/g/c", "same")]), "--stats-json",
                       str(tmp_path / "stats.json"))
    assert [a["url"].removeprefix(base) for a in second] == ["/g/c"]  # "same" named two links: not trusted
    stats = json.loads((tmp_path / "stats.json").read_text())
    assert (stats["known"], stats["selected"]) == (1, 1)
    assert "/g/new-slug" not in requested(httpserver)


# --------------------------------------------------------------------------------------------- page types


def _tree(text: str):
    from pipeline.budget import parse_within_budget

    return parse_within_budget(text, "https://example.com/x")


def test_no_real_article_page_of_the_shared_corpus_is_taken_for_a_wall_or_a_listing(shared_dir):
    from pipeline.extract import decode_html
    from pipeline.pagetype import is_listing, wall_kind

    pages = sorted((shared_dir / "corpus").glob("pages-*/*.htm*"))
    assert len(pages) >= 80
    flagged = []
    for path in pages:
        tree = _tree(decode_html(path.read_bytes()))
        if tree is not None and (wall_kind(tree) or wall_kind(tree, redirected=True)
                                 or is_listing(tree, "https://example.com/2026/11/30/story.html")):
            flagged.append(path.name)
    assert flagged == []


OFFER_PAGE = """<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>Abonnez-vous à La Dépêche de l'Est</title>
<meta property="og:site_name" content="La Dépêche de l'Est"></head><body><header><a href="/">La Dépêche de l'Est</a></header>
<main><h1>Cet article est réservé aux abonnés</h1>
<p>Profitez de notre offre découverte : 1 € le premier mois, puis 9,99 € par mois sans engagement.</p>
<ul><li>Tous les articles en illimité sur le site et l'application</li><li>Le journal numérique dès 5 h</li>
<li>Les newsletters réservées aux abonnés</li><li>Moins de publicité</li></ul>
<p>Offre réservée aux nouveaux abonnés. Résiliable à tout moment. Paiement sécurisé par carte bancaire ou PayPal.</p>
<a href="/abonnement/paiement">Je m'abonne</a><p>Déjà abonné ? <a href="/connexion">Se connecter</a></p>
<section><h2>Pourquoi s'abonner ?</h2><p>Notre rédaction de 120 journalistes couvre l'actualité de la Lorraine, de
l'Alsace et de la Champagne-Ardenne au plus près de chez vous, chaque jour, avec des enquêtes, des reportages et les
résultats sportifs de votre région. Votre abonnement soutient un journalisme local indépendant.</p></section></main>
<footer>© La Dépêche de l'Est 2026</footer></body></html>"""


def test_a_link_redirected_to_the_publishers_subscription_offer_is_not_the_story(httpserver, tmp_path):
    """An Arc-style regional daily redirects a subscriber-only story's link to its offer page: it was stored as the
    story (title « Cet article est réservé aux abonnés », text the offer) and never fetched again."""
    base = httpserver.url_for("/").rstrip("/")
    httpserver.expect_request("/eco/mistral-nancy/").respond_with_data(
        "", status=302, headers={"Location": "/abonnement/offre/?redirect=/eco/mistral-nancy/"})
    httpserver.expect_request("/abonnement/offre/").respond_with_handler(html(OFFER_PAGE))
    articles, collector = run(httpserver, tmp_path, rss([
        ("Mistral AI ouvre un bureau à Nancy", f"{base}/eco/mistral-nancy/",
         "La start-up Mistral AI va ouvrir un bureau de quarante ingénieurs à Nancy."),
    ]))
    assert [(a.id, a.title, a.extraction, a.fallback_reason) for a in articles] == [
        (article_id(f"{base}/eco/mistral-nancy/"), "Mistral AI ouvre un bureau à Nancy", "feed-summary",
         "subscription-wall")]
    assert "abonn" not in articles[0].text and collector.stats.fallback_reasons == {"subscription-wall": 1}


def test_a_newsletter_platforms_paywall_leaves_a_paid_posts_teaser(httpserver, tmp_path):
    """Substack's paid post: the free paragraphs, then its paywall box (« Keep reading with a 7-day free trial »,
    "Subscribe to X to keep reading this post…", "Start trial", "Already a paid subscriber? Sign in"), which was
    stored as the story's last lines; Ghost's members box ("This post is for subscribers only") likewise."""
    base = httpserver.url_for("/").rstrip("/")
    lead = ("Nvidia quietly changed the way it prices its data-centre chips for European customers this autumn, "
            "according to invoices seen by The Compute Brief and three people who negotiate with the company. The "
            "change, which bundles software licences with hardware, raises the effective cost of a cluster by as much "
            "as 18 percent for buyers who do not already use the company's enterprise software, the people said.")
    post = (f'<html lang="en"><head><title>Inside Nvidia\'s European pricing - by Jane Doe</title>'
            f'<meta property="og:type" content="article"><link rel="canonical" href="{base}/p/nvidia-pricing"></head>'
            f'<body><article class="post"><h1 class="post-title">Inside Nvidia\'s European pricing</h1>'
            f'<h3 class="subtitle">What the week\'s deals say about sovereignty</h3>'
            f'<div class="available-content"><div class="body markup"><p>{lead}</p></div></div>'
            '<div class="paywall"><h2>Keep reading with a 7-day free trial</h2><p>Subscribe to The Compute Brief to '
            'keep reading this post and get 7 days of free access to the full post archives.</p><a href="/subscribe">'
            'Start trial</a><p>Already a paid subscriber? <a href="/sign-in">Sign in</a></p></div>'
            '<aside class="gh-post-upgrade-cta"><h2>This post is for subscribers only</h2><a href="#/portal/signup">'
            'Upgrade to paid</a><p>Already have an account? <a href="#/portal/signin">Sign in</a></p></aside>'
            '</article></body></html>')
    httpserver.expect_request("/p/nvidia-pricing").respond_with_handler(html(post))
    teaser = f"&lt;p&gt;{lead}&lt;/p&gt;&lt;p&gt;&lt;a href='/subscribe'&gt;Keep reading with a 7-day free trial&lt;/a&gt;&lt;/p&gt;"
    articles, _ = run(httpserver, tmp_path, rss([  # Substack's content:encoded holds the same teaser
        ("Inside Nvidia's European pricing", f"{base}/p/nvidia-pricing", teaser),
    ], lang="en"))
    assert len(articles) == 1 and articles[0].text.splitlines()[-1].endswith("the people said.")
    assert not any(w in articles[0].text for w in ("trial", "Sign in", "subscribers only", "Upgrade"))


def test_a_story_about_subscriptions_is_not_a_subscription_wall():
    from pipeline.pagetype import wall_kind

    story = ("<html><head><title>Abonnements : Netflix augmente ses prix de 2 € par mois</title></head><body><h1>"
             "Netflix augmente le prix de ses abonnements</h1><p>Les abonnés paieront 2 € de plus par mois, sans "
             "engagement comme avant ; l'offre illimitée passe à 19,99 €.</p></body></html>")
    assert wall_kind(_tree(story)) is None  # reached at its own address, indexable: a story
    assert wall_kind(_tree(story.replace("<head>", '<head><meta property="og:type" content="article">')), True) is None


def test_a_news_story_about_cookies_is_not_a_consent_wall():
    from pipeline.pagetype import wall_kind

    story = ('<html><head><title>La CNIL inflige 150 millions d’euros à Google pour ses cookies</title>'
             '<meta property="og:type" content="article"></head><body><h1>La CNIL sanctionne Google (cookies)</h1>'
             "<p>La CNIL a infligé une amende à Google : refuser les cookies n’était pas aussi simple que les accepter."
             " Le consentement doit être libre, rappelle l’autorité, et la vie privée des internautes protégée.</p>"
             "</body></html>")
    assert wall_kind(_tree(story)) is None
    wall = story.replace('<meta property="og:type" content="article">', '<meta name="robots" content="noindex">')
    assert wall_kind(_tree(wall)) == "consent-wall"  # the same words on a noindex gateway page


def test_a_robots_txt_that_cannot_be_read_is_a_failure_that_passes_not_a_rule(httpserver, tmp_path):
    """A robots.txt answering 503 made the host disallowed (RFC 9309) and the story was stored for good from its
    summary as `robots-disallowed`, as if the site forbade it: it is `robots-unreachable`, a reason retried later."""
    from pipeline.pagetype import transient_failure

    base = httpserver.url_for("/").rstrip("/")
    httpserver.expect_request("/feed.xml").respond_with_data(
        rss([("OVHcloud ouvre une région à Milan", f"{base}/story", "OVHcloud ouvre une région.")]),
        content_type="application/rss+xml")
    httpserver.expect_request("/robots.txt").respond_with_data("", status=503)
    httpserver.expect_request("/story").respond_with_handler(html(page("spip_article123.html", base)))
    path = tmp_path / "feeds.yaml"
    path.write_text(json.dumps({"feeds": [{"name": "Site", "url": httpserver.url_for("/feed.xml"), "lang": "fr"}]}))
    collector = Collector(load_settings(), load_feeds(path))

    async def go():
        return [a async for a in collector.articles()]

    [article] = asyncio.run(go())
    assert "/story" not in requested(httpserver)  # RFC 9309: unreachable robots.txt, nothing fetched
    assert article.extraction == "feed-summary" and article.fallback_reason == "robots-unreachable"
    assert collector.stats.fallback_reasons == {"robots-unreachable": 1}
    assert transient_failure("robots-unreachable") and not transient_failure("robots-disallowed")


def test_a_story_listed_over_http_and_https_is_one_article_fetched_over_the_link_that_answers(httpserver, tmp_path):
    """One relay listed a story over https, another over http. The https link could not be reached (here the server
    speaks plain HTTP), and the story was stored twice: the page over http, and a 6-word summary article under the
    https id. The two links are one story: the https one is tried first, the http one when it cannot be reached."""
    base = httpserver.url_for("/").rstrip("/")
    secure = base.replace("http://", "https://")
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    httpserver.expect_request("/story").respond_with_handler(html(page("spip_article123.html", base)))
    for name, link in (("plain", f"{base}/story"), ("secure", f"{secure}/story")):
        httpserver.expect_request(f"/{name}.xml").respond_with_data(
            rss([("Outscale obtient la qualification SecNumCloud", link, "Outscale.")]),
            content_type="application/rss+xml")
    path = tmp_path / "feeds.yaml"
    path.write_text(json.dumps({"feeds": [{"name": n, "url": httpserver.url_for(f"/{n}.xml"), "lang": "fr"}
                                          for n in ("plain", "secure")]}))

    def collect_with(is_known=None):
        collector = Collector(load_settings(), load_feeds(path), is_known=is_known)

        async def go():
            return [a async for a in collector.articles()]

        return asyncio.run(go()), collector

    [article], collector = collect_with()
    assert collector.stats.duplicates == 1 and article.extraction == "trafilatura"
    assert article.url == f"{base}/story" and collector.stats.feed_summary_fallbacks == 0

    stored = {article_id(f"{secure}/story")}  # the story stored under its https link in an earlier run
    articles, collector = collect_with(is_known=lambda ids: stored & set(ids))
    assert articles == [] and collector.stats.known == 1


# --------------------------------------------------------------------------------------------- multi-page stories


def _story_page(base: str, n: int, links: str) -> str:
    words = " ".join(f"mot{n}x{i}" for i in range(60))
    return (f'<html lang="fr"><head><title>Le cloud souverain en trois actes</title>{links}</head><body><article>'
            f"<h1>Le cloud souverain en trois actes</h1>"
            f"<p>Partie {n} : OVHcloud et Scaleway détaillent leurs projets de centres de données en France. "
            f"Cette page numéro {n} ajoute des éléments inédits sur les contrats publics.</p>"
            f"<p>{words}.</p><p>Phrase propre à la page {n}, sans rien répéter des autres pages.</p>"
            "</article></body></html>")


def test_a_story_split_over_pages_is_read_to_its_last_page_and_not_into_the_next_post(httpserver, tmp_path):
    """rel=next to page 2, 3 of the same URL is followed; WordPress's rel=next to the *next post* is not."""
    base = httpserver.url_for("/").rstrip("/")
    next_post = f'<link rel="next" title="Autre article" href="{base}/2026/11/30/autre-article/">'
    pages = {
        "/2026/11/30/cloud-souverain/": next_post + f'<link rel="next" href="{base}/2026/11/30/cloud-souverain/2/">',
        "/2026/11/30/cloud-souverain/2/": f'<link rel="next" href="/2026/11/30/cloud-souverain/3/">',
        "/2026/11/30/cloud-souverain/3/": next_post,
    }
    for n, (path, links) in enumerate(pages.items(), start=1):
        httpserver.expect_request(path).respond_with_handler(html(_story_page(base, n, links)))
    articles, collector = run(httpserver, tmp_path, rss([
        ("Le cloud souverain en trois actes", f"{base}/2026/11/30/cloud-souverain/", "Résumé."),
    ]))
    (article,) = articles
    assert all(f"Phrase propre à la page {n}" in article.text for n in (1, 2, 3))
    assert article.text.index("page 1") < article.text.index("page 2") < article.text.index("page 3")
    assert article.url == f"{base}/2026/11/30/cloud-souverain/" and article.word_count > 3 * 60
    assert collector.stats.continuation_pages == 2 and collector.stats.continuations_cut == 0
    assert "/2026/11/30/autre-article/" not in requested(httpserver)
    from pipeline.extract import content_hash
    assert article.content_hash == content_hash(article.text)


def test_a_page_of_a_split_story_that_fails_keeps_the_pages_read_and_is_counted(httpserver, tmp_path):
    base = httpserver.url_for("/").rstrip("/")
    httpserver.expect_request("/story.html", query_string="page=2").respond_with_data("oops", status=500)
    httpserver.expect_request("/story.html").respond_with_handler(
        html(_story_page(base, 1, '<link rel="next" href="story.html?page=2">')))
    articles, collector = run(httpserver, tmp_path, rss([("Le cloud souverain", f"{base}/story.html", "Résumé.")]))
    (article,) = articles
    assert article.extraction == "trafilatura" and "Phrase propre à la page 1" in article.text
    assert collector.stats.continuations_cut == 1 and collector.stats.continuation_pages == 0


@pytest.mark.parametrize("first, candidate, number, followed", [
    ("https://a.fr/eco/story", "https://a.fr/eco/story/2", 2, True),
    ("https://a.fr/eco/story/", "https://a.fr/eco/story/page/2/", 2, True),
    ("https://a.fr/eco/story.html", "https://a.fr/eco/story-2.html", 2, True),
    ("https://a.fr/eco/story.html", "https://a.fr/eco/story,3.html", 3, True),
    ("https://a.fr/eco/story.html?id=7", "https://a.fr/eco/story.html?page=2&id=7", 2, True),
    ("https://a.fr/eco/story?utm_source=rss&xtor=RSS-3", "https://a.fr/eco/story/2#top", 2, True),  # page 1's tracker
    ("https://a.fr/eco/story", "https://a.fr/eco/story/3", 2, False),  # not the page asked for
    ("https://a.fr/eco/iphone-15", "https://a.fr/eco/iphone-16", 2, False),  # the next post, numbered like a page
    ("https://a.fr/eco/story", "https://a.fr/eco/other-story/2", 2, False),
    ("https://a.fr/eco/story", "https://b.fr/eco/story/2", 2, False),  # another site
    ("https://a.fr/eco/story/", "https://a.fr/eco/story/comment-page-2/", 2, False),  # comments, not the story
    ("https://a.fr/news/1234", "https://a.fr/news/1235", 2, False),
    ("https://a.fr/2026/weekly-roundup", "https://a.fr/2026/weekly-roundup-2", 2, False),  # WordPress's repeated slug
])
def test_only_a_numbered_page_of_the_same_story_is_its_continuation(first, candidate, number, followed):
    from lxml import html as lxml_html

    from pipeline.extract import next_page_url

    tree = lxml_html.fromstring(f'<html><head><link rel="next" href="{candidate}"></head><body><p>x</p></body></html>')
    assert (next_page_url(tree, first, first, number) == candidate) is followed


@pytest.mark.parametrize("link, followed", [
    ('<a class="pagination__next" href="/eco/story/2/">Next page ›</a>', True),
    ('<a class="next" href="/eco/story-2.html">Next ›</a>', True),
    ('<nav class="pager"><span>1</span> <a href="/eco/story/2/">2</a> <a href="/eco/story/3/">3</a></nav>', True),
    ('<a href="/eco/story/2/">Page suivante »</a>', True),
    ('<a id="next-page" href="/eco/story/2/"><svg></svg></a>', True),
    ('<a href="/eco/story/2/">Read the full report</a>', False),  # a numbered URL that is no pager link
    ('<a class="next" href="/eco/other-story/2/">Next ›</a>', False),  # the next story, not this one's page
    ('<a href="/eco/story/3/">3</a>', False),  # not the page asked for
])
def test_a_pager_link_without_rel_next_leads_to_the_story_s_next_page(link, followed):
    """Many CMS print "Page 1 of 3 … Next page ›" without rel=next: only page 1 was stored (mini news sites, ninth
    round R9-2). A pager link — a "next" class or id, next words or an arrow, the page's own number — to the first
    page's URL with that number is followed; any other link is not."""
    from lxml import html as lxml_html

    from pipeline.extract import next_page_url

    first = "https://a.fr/eco/story/" if "story-2.html" not in link else "https://a.fr/eco/story.html"
    tree = lxml_html.fromstring(f"<html><body><article><p>x</p></article>{link}</body></html>")
    assert (next_page_url(tree, first, first, 2) is not None) is followed


def test_no_rel_next_link_of_the_shared_corpus_is_taken_for_a_story_s_next_page(shared_dir):
    """Every rel=next of the real pages points to the site's next post: none may be joined to the story."""
    import csv
    from lxml import html as lxml_html

    from pipeline.extract import decode_html, next_page_url

    corpus = shared_dir / "corpus"
    urls = {f"pages-en/{key}.html": value["url"]
            for key, value in json.loads((corpus / "pages-en" / "ground-truth.json").read_text()).items()}
    with (corpus / "pages-fr" / "MANIFEST.tsv").open(encoding="utf-8") as fh:
        urls.update({f"pages-fr/{row['file']}": row["original_url"] for row in csv.DictReader(fh, delimiter="\t")})
    with_next, followed = 0, []
    for name, url in urls.items():
        path = corpus / name
        if not path.exists() or b"next" not in path.read_bytes():
            continue
        tree = lxml_html.fromstring(decode_html(path.read_bytes()))
        with_next += bool(tree.xpath("//*[@rel='next']"))
        if next_page_url(tree, url, url, 2):
            followed.append(name)
    assert with_next >= 5 and followed == []


def test_a_brief_that_mentions_a_removal_or_cookies_is_still_a_brief():
    """The review: a real brief whose headline says « introuvable » or whose lead says a tax « a été supprimée », or a
    brief on the CNIL's fine about « Tout accepter », was refused as a soft 404 or a consent page."""
    from lxml import html as lxml_html

    from pipeline.pagetype import is_brief

    def page(title: str, text: str):
        return lxml_html.fromstring(f"<html><head><title>{title}</title><meta property='og:type' content='article'>"
                                    f"</head><body><article><h1>{title}</h1><p>{text}</p></article></body></html>")

    cases = [("Le vaccin introuvable", "Les pharmacies manquent de doses. Le ministère promet une livraison lundi."),
             ("Taxe numérique", "La taxe sur les services numériques a été supprimée. Les géants du web s'en félicitent."),
             ("Amende de la CNIL", "La CNIL a sanctionné un site dont le bouton « Tout accepter » des cookies était "
                                   "trompeur. Il devra payer 2 millions d'euros.")]
    for title, text in cases:
        assert is_brief(page(title, text), text, "Brève."), title
    gone = "Cet article n'existe plus ou a été déplacé. Retournez à la page d'accueil pour lire nos informations."
    assert not is_brief(page("Page introuvable", gone), gone, "Brève.")
