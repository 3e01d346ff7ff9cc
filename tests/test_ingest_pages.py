"""`ingest` over pages that are not plain articles: a consent wall answered for a story (retried on a later run and
then updated), a story reached through two links (counted once), fallback reasons in the run summary and record."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from _store_helpers import drop_prefix
from werkzeug.wrappers import Response

from pipeline.feeds import load_feeds
from pipeline.settings import load_settings
from pipeline.store.client import make_client
from pipeline.store.templates import index_names
from pipeline.urls import article_id

pytestmark = pytest.mark.slow

PAGES = Path(__file__).parent / "fixtures" / "sites3"


@pytest.fixture(scope="module")
def enricher():
    from pipeline.enrich import get_enricher

    return get_enricher(load_settings())


@pytest.fixture
def cleanup(es_url):
    yield
    settings = load_settings()
    drop_prefix(make_client(settings), settings.es_index_prefix)


def page(name: str, base: str) -> str:
    return (PAGES / name).read_text(encoding="utf-8").replace("{{BASE}}", base)


def local_feeds(httpserver, tmp_path: Path, route: str = "/feed.xml", name: str = "S") -> list:
    """The one French feed the test serves at `route`, read through a feeds file as a run reads it."""
    path = tmp_path / "feeds.yaml"
    path.write_text(json.dumps({"feeds": [{"name": name, "url": httpserver.url_for(route), "lang": "fr"}]}))
    return load_feeds(path, load_settings())


def test_consent_wall_story_is_retried_and_updated_and_story_copies_count_once(httpserver, tmp_path, es_url, cleanup,
                                                                              enricher):
    from pipeline.ingest import ingest

    base = httpserver.url_for("/").rstrip("/")
    story = page("spip_article123.html", base).replace(f"{base}/spip.php?article123", f"{base}/story")
    answers = [page("consent_wall.html", base), story]
    ovh = page("spip_article124.html", base).replace(f"{base}/spip.php?article124", f"{base}/cloud/ovh")
    items = [("Outscale obtient la qualification SecNumCloud", f"{base}/story", "Outscale obtient SecNumCloud."),
             ("La région Occitanie choisit OVHcloud", f"{base}/cloud/ovh", "OVHcloud."),
             ("La région Occitanie choisit OVHcloud", f"{base}/cloud/ovh?from=rss", "OVHcloud.")]

    def feed(extra: str = "") -> str:
        body = "".join(f"<item><title>{t}</title><link>{link}</link><description>{d}</description>"
                       "<pubDate>Mon, 30 Nov 2026 10:00:00 +0000</pubDate></item>" for t, link, d in items)
        return f'<?xml version="1.0"?><rss version="2.0"><channel><title>S</title>{body}{extra}</channel></rss>'

    feeds_body = [feed()]
    httpserver.expect_request("/feed.xml").respond_with_handler(
        lambda request: Response(feeds_body[0], content_type="application/rss+xml"))
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    httpserver.expect_request("/story").respond_with_handler(
        lambda request: Response(answers.pop(0) if len(answers) > 1 else answers[0], content_type="text/html"))
    httpserver.expect_request("/cloud/ovh").respond_with_data(ovh, content_type="text/html")
    settings = load_settings()
    feeds = local_feeds(httpserver, tmp_path)

    first = ingest(settings, feeds=feeds, progress=False, enricher=enricher)
    assert first.counts["story_copies"] == 1 and first.counts["indexed"] == 2
    assert first.fallback_reasons == {"consent-wall": 1}
    from rich.console import Console

    from pipeline.cli.ingest_cmd import print_summary

    console = Console(record=True, width=200)
    print_summary(first.as_dict(), out=console)
    assert "summary fallbacks by reason: consent-wall: 1" in console.export_text()
    assert first.companies.get("OVHcloud") == 1  # the ?from=rss copy is the same stored article
    client = make_client(settings)
    runs = index_names(settings.es_index_prefix)["runs"]
    assert client.get(index=runs, id=first.run_id)["_source"]["fallback_reasons"] == {"consent-wall": 1}
    articles = index_names(settings.es_index_prefix)["articles"]
    stored = client.get(index=articles, id=article_id(f"{base}/story"))["_source"]
    assert (stored["extraction"], stored["fallback_reason"]) == ("feed-summary", "consent-wall")

    feeds_body[0] = feed("<item><title>Autre</title><link>http://127.0.0.1:9/other</link></item>")
    second = ingest(settings, feeds=feeds, progress=False, enricher=enricher)
    assert second.counts["known"] == 2 and second.counts["updated"] == 1 and second.fallback_reasons == {}
    stored = client.get(index=articles, id=article_id(f"{base}/story"))["_source"]
    assert stored["extraction"] == "trafilatura" and "fallback_reason" not in stored
    assert "Dassault Systèmes" in stored["text"]


@pytest.mark.parametrize("guid", ['<guid isPermaLink="false">https://depeche.example/?p=123</guid>',
                                  "<guid>{base}/story</guid>"])
def test_a_wall_answered_for_an_item_with_a_guid_is_tried_again(httpserver, tmp_path, es_url, cleanup, enricher,
                                                                guid):
    """Feeds give their items GUIDs (WordPress `?p=123`, Arc ids, permalinks). The GUID of a story stored from its
    summary behind a consent or subscription wall is in its `link_ids`, so the next run took the item for a renamed
    link of a stored story and counted it known: the page was never tried again (only GUID-less feeds were)."""
    from pipeline.ingest import ingest

    base = httpserver.url_for("/").rstrip("/")
    story = page("spip_article123.html", base).replace(f"{base}/spip.php?article123", f"{base}/story")
    answers = [page("consent_wall.html", base), story]
    feed = ('<?xml version="1.0"?><rss version="2.0"><channel><title>S</title><item><title>Outscale obtient la '
            f"qualification SecNumCloud</title><link>{base}/story</link>{guid.format(base=base)}<description>Outscale "
            "obtient SecNumCloud.</description><pubDate>Mon, 30 Nov 2026 10:00:00 +0000</pubDate></item>{extra}"
            "</channel></rss>")
    bodies = [feed.format(extra="")]
    httpserver.expect_request("/feed.xml").respond_with_handler(
        lambda request: Response(bodies[0], content_type="application/rss+xml"))
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    httpserver.expect_request("/story").respond_with_handler(
        lambda request: Response(answers.pop(0) if len(answers) > 1 else answers[0], content_type="text/html"))
    settings = load_settings()
    feeds = local_feeds(httpserver, tmp_path)
    assert ingest(settings, feeds=feeds, progress=False, enricher=enricher).fallback_reasons == {"consent-wall": 1}
    bodies[0] = feed.format(extra="<item><title>Autre</title><link>http://127.0.0.1:9/other</link></item>")
    second = ingest(settings, feeds=feeds, progress=False, enricher=enricher)
    assert (second.counts["known"], second.counts["updated"]) == (0, 1), second.counts
    client = make_client(settings)
    stored = client.get(index=index_names(settings.es_index_prefix)["articles"], id=article_id(f"{base}/story"))
    assert stored["_source"]["extraction"] == "trafilatura" and "Dassault Systèmes" in stored["_source"]["text"]


def test_an_item_updated_in_its_feed_is_fetched_again_and_the_article_updated(httpserver, tmp_path, es_url, cleanup,
                                                                             enricher):
    from pipeline.corrections import set_tone
    from pipeline.ingest import ingest

    base = httpserver.url_for("/").rstrip("/")
    v1 = page("spip_article124.html", base).replace(f"{base}/spip.php?article124", f"{base}/cloud/ovh")
    v2 = (v1.replace("La région Occitanie choisit OVHcloud", "UPDATE 1-La région Occitanie renonce à OVHcloud")
            .replace("<div class=\"texte surlignable clearfix\"><p>",
                     "<div class=\"texte surlignable clearfix\"><p>Mise à jour : la région suspend le contrat après"
                     " un recours d’Atos devant le tribunal administratif de Toulouse. "))
    served = {"page": v1}

    def atom(title: str, updated: str, extra: str = "") -> str:
        entry = (f"<entry><id>tag:s,2026:ovh</id><title>{title}</title><link href=\"{base}/cloud/ovh\"/>"
                 f"<published>2026-11-29T15:30:00Z</published><updated>{updated}</updated>"
                 "<summary>OVHcloud.</summary></entry>")
        copy = entry.replace("tag:s,2026:ovh", "tag:s,2026:ovh-rss").replace("/cloud/ovh", "/cloud/ovh?from=rss")
        return (f'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>S</title>'
                f"<updated>{updated}</updated>{entry}{copy}{extra}</feed>")

    feed = {"body": atom("La région Occitanie choisit OVHcloud", "2026-11-29T15:30:00Z")}
    httpserver.expect_request("/feed.xml").respond_with_handler(
        lambda request: Response(feed["body"], content_type="application/atom+xml"))
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    httpserver.expect_request("/cloud/ovh").respond_with_handler(
        lambda request: Response(served["page"], content_type="text/html"))
    settings = load_settings()
    feeds = local_feeds(httpserver, tmp_path)
    story = article_id(f"{base}/cloud/ovh")

    first = ingest(settings, feeds=feeds, progress=False, enricher=enricher)
    assert first.counts["indexed"] == 1 and first.counts["story_copies"] == 1
    client = make_client(settings)
    set_tone(client, settings, story, "negative", company="OVHcloud", analyst="test")
    articles = index_names(settings.es_index_prefix)["articles"]
    before = client.get(index=articles, id=story)["_source"]

    # the publisher refiles the story: new <updated>, new headline, new text
    served["page"] = v2
    feed["body"] = atom("UPDATE 1-La région Occitanie renonce à OVHcloud", "2026-11-30T19:30:00Z")
    second = ingest(settings, feeds=feeds, progress=False, enricher=enricher)
    assert (second.counts["feed_updates"], second.counts["updated"], second.counts["indexed"]) == (1, 1, 0)
    after = client.get(index=articles, id=story)["_source"]
    # the new headline, without the wire's version slug (mini news sites, eleventh round R11-2)
    assert after["title"] == "La région Occitanie renonce à OVHcloud pour héberger ses données de santé"
    assert "recours d’Atos" in after["text"]
    assert after["first_seen_at"] == before["first_seen_at"] and after["link_ids"] == before["link_ids"]
    ovh = next(m for m in after["company_sentiment"] if m["company"] == "OVHcloud")
    assert ovh["label"] == "negative" and ovh["corrected"] is True  # the analyst's correction outlives the update

    # feed read again with the same entry (another item added): nothing fetched again
    feed["body"] = atom("UPDATE 1-La région Occitanie renonce à OVHcloud", "2026-11-30T19:30:00Z",
                        "<entry><id>x</id><title>Autre</title><link href=\"http://127.0.0.1:9/x\"/></entry>")
    requests = sum(1 for r, _ in httpserver.log if r.path == "/cloud/ovh")
    third = ingest(settings, feeds=feeds, progress=False, enricher=enricher)
    assert third.counts["feed_updates"] == 0 and third.counts["known"] == 2
    assert sum(1 for r, _ in httpserver.log if r.path == "/cloud/ovh") == requests


def _live_feed(httpserver, tmp_path: Path, entries) -> list:
    """One feed "S" at /feed.xml, rebuilt from `entries()` — (title, link or None, description) — at each request, so
    a test changes it between runs; robots.txt is absent."""
    def body() -> str:
        items = "".join(f"<item><title>{t}</title>" + (f"<link>{link}</link>" if link else "")
                        + f"<description>{d}</description><pubDate>Mon, 30 Nov 2026 10:00:00 +0000</pubDate></item>"
                        for t, link, d in entries())
        return f'<?xml version="1.0"?><rss version="2.0"><channel><title>S</title>{items}</channel></rss>'

    httpserver.expect_request("/feed.xml").respond_with_handler(
        lambda request: Response(body(), content_type="application/rss+xml"))
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    return local_feeds(httpserver, tmp_path)


def _stub(base: str, canonical: str | None = None) -> str:
    """A page too short to be the story (a paywalled AMP copy, a page that became a stub)."""
    link = f'<link rel="canonical" href="{canonical}">' if canonical else ""
    return (f"<html lang=fr><head><title>OVHcloud</title>{link}</head><body><article><h1>OVHcloud</h1>"
            "<p>Réservé aux abonnés.</p></article></body></html>")


def test_a_feed_summary_never_replaces_a_stored_page_text_and_the_counts_add_up(httpserver, tmp_path, es_url,
                                                                              cleanup, enricher, caplog):
    """Finding 1 (hostile4): a paywalled copy of a stored story, or an update whose page became a stub, does not
    replace the stored text by the feed teaser; the copy's link is kept; skips are counted and the rows add up
    (finding 17); the progress bar reaches the total and the log states what happened (finding 13)."""
    import logging

    from pipeline.ingest import ingest

    base = httpserver.url_for("/").rstrip("/")
    story_url, copy_url, gone_url = f"{base}/cloud/ovh", f"{base}/cloud/ovh?from=rss", f"{base}/cloud/gone"
    full = page("spip_article124.html", base).replace(f"{base}/spip.php?article124", story_url)
    served = {story_url: full, gone_url: full.replace(story_url, gone_url)}
    httpserver.expect_request("/cloud/ovh", query_string="from=rss").respond_with_handler(
        lambda request: Response(_stub(base, story_url), content_type="text/html"))
    for path, url in (("/cloud/ovh", story_url), ("/cloud/gone", gone_url)):
        httpserver.expect_request(path).respond_with_handler(
            lambda request, url=url: Response(served[url], content_type="text/html") if served[url]
            else Response("gone", status=404))
    feed = {"items": []}

    feeds = _live_feed(httpserver, tmp_path,
                       lambda: [(t, link, "OVHcloud choisi par la région.") for t, link in feed["items"]])
    settings = load_settings()
    client = make_client(settings)
    articles = index_names(settings.es_index_prefix)["articles"]

    def stored(url: str) -> dict:
        return client.get(index=articles, id=article_id(url))["_source"]

    def add_up(c: dict) -> None:
        assert c["items"] == c["before_since"] + c["duplicates"] + c["irrelevant"] + c["known"] + c["selected"], c
        assert c["selected"] == c["articles"] + c["skipped"], c

    feed["items"] = [("La région choisit OVHcloud", story_url), ("OVHcloud ailleurs", gone_url)]
    first = ingest(settings, feeds=feeds, progress=False, enricher=enricher)
    assert first.counts["indexed"] == 2
    add_up(first.counts)
    text = stored(story_url)["text"]
    assert stored(story_url)["extraction"] == "trafilatura" and len(text.split()) > 80

    # (a) the paywalled ?from=rss copy of the stored story, and an entry without a link (not an item)
    feed["items"] += [("La région choisit OVHcloud", copy_url), ("Sans lien", None)]
    second = ingest(settings, feeds=feeds, progress=False, enricher=enricher)
    assert (second.counts["kept_page_text"], second.counts["updated"], second.counts["known"]) == (1, 0, 2)
    assert second.counts["unusable_entries"] == 1 and second.counts["items"] == 3
    add_up(second.counts)
    after = stored(story_url)
    assert (after["extraction"], after["text"]) == ("trafilatura", text)
    assert after["link_ids"] == [article_id(copy_url)]

    # (b) both items updated in their feed (new titles): one page is now a stub, the other answers 404
    served[story_url], served[gone_url] = _stub(base), None
    feed["items"] = [("UPDATE La région renonce à OVHcloud", story_url), ("UPDATE OVHcloud ailleurs", gone_url)]
    calls: list[tuple[int, int | None]] = []
    caplog.set_level(logging.INFO, logger="pipeline.collect")
    third = ingest(settings, feeds=feeds, progress=lambda done, total, _: calls.append((done, total)),
                   enricher=enricher)
    assert third.skipped == {"update-not-fetched (too-little-text)": 1, "update-not-fetched (http-404)": 1}
    assert (third.counts["feed_updates"], third.counts["articles"], third.counts["skipped"]) == (2, 0, 2)
    add_up(third.counts)
    assert calls[-1] == (2, 2)  # the bar ends full though no item gave an article
    after = stored(story_url)
    assert (after["extraction"], after["text"]) == ("trafilatura", text)
    assert stored(gone_url)["extraction"] == "trafilatura"
    lines = [r.getMessage() for r in caplog.records if r.name == "pipeline.collect" and "/cloud/gone" in r.getMessage()]
    assert lines and all("stored article is kept" in line and "falling back" not in line for line in lines), lines


def test_a_story_and_its_short_copy_in_one_run_keep_the_page_text(httpserver, tmp_path, es_url, cleanup, enricher):
    """Finding 1 (hostile4), one run: the story's page comes first, its paywalled copy's summary after it."""
    import time

    from pipeline.ingest import ingest

    base = httpserver.url_for("/").rstrip("/")
    story_url, copy_url = f"{base}/cloud/ovh", f"{base}/cloud/ovh?from=rss"
    full = page("spip_article124.html", base).replace(f"{base}/spip.php?article124", story_url)

    def slow_stub(request):
        time.sleep(1.0)  # the copy's answer comes after the story's
        return Response(_stub(base, story_url), content_type="text/html")

    httpserver.expect_request("/cloud/ovh", query_string="from=rss").respond_with_handler(slow_stub)
    httpserver.expect_request("/cloud/ovh").respond_with_data(full, content_type="text/html")
    items = "".join(f"<item><title>La région choisit OVHcloud</title><link>{link}</link>"
                    "<description>OVHcloud choisi.</description></item>" for link in (story_url, copy_url))
    httpserver.expect_request("/feed.xml").respond_with_data(
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>S</title>{items}</channel></rss>',
        content_type="application/rss+xml")
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    settings = load_settings()
    summary = ingest(settings, feeds=local_feeds(httpserver, tmp_path), progress=False, enricher=enricher)
    assert (summary.counts["indexed"], summary.counts["story_copies"]) == (1, 1)
    articles = index_names(settings.es_index_prefix)["articles"]
    stored = make_client(settings).get(index=articles, id=article_id(story_url))["_source"]
    assert stored["extraction"] == "trafilatura" and stored["link_ids"] == [article_id(copy_url)]


def test_a_renamed_link_with_the_same_guid_is_the_stored_story_not_a_second_article(httpserver, tmp_path, es_url,
                                                                                     cleanup, enricher):
    """Finding 8 (hostile4): the feed renames a story's slug (same <guid>, the old URL now redirects)."""
    from pipeline.ingest import ingest

    base = httpserver.url_for("/").rstrip("/")
    full = page("spip_article124.html", base).replace(f"{base}/spip.php?article124", f"{base}/g/new-slug")
    slug = {"now": "old-slug"}
    httpserver.expect_request("/g/new-slug").respond_with_data(full, content_type="text/html")
    httpserver.expect_request("/g/old-slug").respond_with_handler(lambda request: Response(
        full.replace("new-slug", "old-slug"), content_type="text/html") if slug["now"] == "old-slug"
        else Response("", status=301, headers={"Location": f"{base}/g/new-slug"}))
    httpserver.expect_request("/feed.xml").respond_with_handler(lambda request: Response(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>S</title><item><title>La région choisit OVHcloud'
        f'</title><link>{base}/g/{slug["now"]}</link><guid isPermaLink="false">urn:story:guid-1</guid>'
        "<description>OVHcloud.</description></item></channel></rss>", content_type="application/rss+xml"))
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    settings = load_settings()
    feeds = local_feeds(httpserver, tmp_path)
    assert ingest(settings, feeds=feeds, progress=False, enricher=enricher).counts["indexed"] == 1
    slug["now"] = "new-slug"
    second = ingest(settings, feeds=feeds, progress=False, enricher=enricher)
    assert (second.counts["known"], second.counts["indexed"], second.counts["articles"]) == (1, 0, 0)
    client = make_client(settings)
    articles = index_names(settings.es_index_prefix)["articles"]
    client.indices.refresh(index=articles)
    assert client.count(index=articles)["count"] == 1


def test_a_feed_that_reuses_its_guids_for_new_stories_loses_none_and_a_renamed_slug_is_still_known(
        httpserver, tmp_path, es_url, cleanup, enricher):
    """A feed numbering its items (<guid>1</guid>, 2…) lists new stories under the GUIDs of stored ones: each was
    taken for a renamed link of a stored story, counted known and never fetched (red-team, hostile sites). A GUID
    ties an item to a stored story only when its title or its date is the stored one's."""
    from pipeline.ingest import ingest

    base = httpserver.url_for("/").rstrip("/")
    story = page("spip_article124.html", base)
    feed = {"items": []}

    def rss(request) -> Response:
        body = "".join(f"<item><title>{title}</title><link>{base}/s/{slug}</link><guid isPermaLink=\"false\">{guid}"
                       f"</guid><pubDate>{date}</pubDate><description>OVHcloud.</description></item>"
                       for guid, slug, title, date in feed["items"])
        return Response(f'<?xml version="1.0"?><rss version="2.0"><channel><title>S</title>{body}</channel></rss>',
                        content_type="application/rss+xml")

    for slug in ("a1", "a2", "b1", "b2", "a1-renamed"):
        httpserver.expect_request(f"/s/{slug}").respond_with_data(
            story.replace(f"{base}/spip.php?article124", f"{base}/s/{slug}").replace("Occitanie", f"Occitanie {slug}"),
            content_type="text/html")
    httpserver.expect_request("/feed.xml").respond_with_handler(rss)
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    settings = load_settings()
    feeds = local_feeds(httpserver, tmp_path)
    monday, tuesday = "Mon, 30 Nov 2026 10:00:00 +0000", "Tue, 01 Dec 2026 10:00:00 +0000"
    feed["items"] = [("1", "a1", "La région choisit OVHcloud", monday), ("2", "a2", "Scaleway recrute", monday)]
    assert ingest(settings, feeds=feeds, progress=False, enricher=enricher).counts["indexed"] == 2
    # the next day: two new stories under GUIDs 1 and 2, and story 1's slug renamed with its headline (same date)
    feed["items"] = [("1", "b1", "Thales rachète une start-up", tuesday), ("2", "b2", "Atos cède une filiale", tuesday)]
    second = ingest(settings, feeds=feeds, progress=False, enricher=enricher)
    assert (second.counts["indexed"], second.counts["known"]) == (2, 0), second.counts
    assert any("reuses GUIDs" in note for note in second.notes), second.notes
    feed["items"] = [("1", "a1-renamed", "La région Occitanie choisit OVHcloud", monday)]
    third = ingest(settings, feeds=feeds, progress=False, enricher=enricher)
    assert (third.counts["indexed"], third.counts["known"]) == (0, 1), third.counts
    client = make_client(settings)
    articles = index_names(settings.es_index_prefix)["articles"]
    client.indices.refresh(index=articles)
    assert client.count(index=articles)["count"] == 4


def test_a_guid_reused_the_same_day_for_another_story_is_fetched_once_and_an_edited_headline_stays_known(
        httpserver, tmp_path, es_url, cleanup, enricher):
    """A feed numbering its items with dates of one day (or no time) lists a new story under a stored story's GUID
    and date: only another title *and* another date made it a new story, so it was counted known and never fetched
    (hostile input, seventeenth round). Another title sharing few words with the stored headline is another story,
    fetched once, known by its own link after; a renamed slug whose headline was edited stays known."""
    from pipeline.ingest import ingest

    base = httpserver.url_for("/").rstrip("/")
    story = page("spip_article124.html", base)
    feed = {"items": [], "built": "Mon, 30 Nov 2026 10:00:00 +0000"}

    def rss(request) -> Response:
        body = "".join(f"<item><title>{title}</title><link>{base}/s/{slug}</link><guid isPermaLink=\"false\">{guid}"
                       f"</guid><pubDate>{date}</pubDate><description>OVHcloud.</description></item>"
                       for guid, slug, title, date in feed["items"])
        return Response(f'<?xml version="1.0"?><rss version="2.0"><channel><title>S</title><lastBuildDate>'
                        f'{feed["built"]}</lastBuildDate>{body}</channel></rss>', content_type="application/rss+xml")

    headlines = {"a1": "La région Occitanie choisit OVHcloud pour héberger ses données de santé",
                 "a2": "Scaleway recrute cent ingénieurs à Paris", "a2-v2": "Scaleway recrute cent ingénieurs à Lille",
                 "c1": "Thales rachète une start-up de cybersécurité bretonne"}
    for slug, headline in headlines.items():
        httpserver.expect_request(f"/s/{slug}").respond_with_data(
            story.replace(f"{base}/spip.php?article124", f"{base}/s/{slug}").replace(
                "La région Occitanie choisit OVHcloud pour héberger ses données de santé", headline).replace(
                "Occitanie", f"Occitanie {slug}"), content_type="text/html")
    httpserver.expect_request("/feed.xml").respond_with_handler(rss)
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    settings = load_settings()
    feeds = local_feeds(httpserver, tmp_path)
    day = "Mon, 30 Nov 2026"
    feed["items"] = [("1", "a1", headlines["a1"], day), ("2", "a2", headlines["a2"], day)]
    assert ingest(settings, feeds=feeds, progress=False, enricher=enricher).counts["indexed"] == 2
    # the same day: a new story under GUID 1, and story 2's slug renamed with its headline edited
    feed["items"] = [("1", "c1", headlines["c1"], day), ("2", "a2-v2", headlines["a2-v2"], day)]
    second = ingest(settings, feeds=feeds, progress=False, enricher=enricher)
    assert (second.counts["indexed"], second.counts["known"]) == (1, 1), second.counts
    assert any("reuses GUIDs" in note for note in second.notes), second.notes
    fetched = [request.path for request, _ in httpserver.log if request.path.startswith("/s/")]
    assert fetched == ["/s/a1", "/s/a2", "/s/c1"]
    feed["built"] = "Mon, 30 Nov 2026 11:00:00 +0000"  # the feed read again, its items unchanged: none fetched
    third = ingest(settings, feeds=feeds, progress=False, enricher=enricher)
    assert (third.counts["indexed"], third.counts["known"], third.counts["selected"]) == (0, 2, 0), third.counts
    assert [request.path for request, _ in httpserver.log if request.path.startswith("/s/")] == fetched
    client = make_client(settings)
    articles = index_names(settings.es_index_prefix)["articles"]
    client.indices.refresh(index=articles)
    assert client.count(index=articles)["count"] == 3
    assert client.get(index=articles, id=article_id(f"{base}/s/c1"))["_source"]["title"].startswith("Thales rachète")


def test_an_atom_entry_whose_headline_and_slug_are_rewritten_stays_one_story(
        httpserver, tmp_path, es_url, cleanup, enricher):
    """Arc XP's Atom feeds rewrite a headline and its slug in place: same <id>, same <published>, a later <updated>.
    Title and date (the <updated>) both changed, so it was taken for a feed reusing its GUIDs and stored as a second
    article of the same story (its companies counted twice)."""
    from pipeline.ingest import ingest

    base = httpserver.url_for("/").rstrip("/")
    story = page("spip_article124.html", base)
    entry = {"slug": "capgemini-supprime-300-postes", "title": "Capgemini supprime 300 postes à Nancy",
             "updated": "2026-12-03T10:02:00+01:00"}

    def atom(request) -> Response:
        return Response(
            f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom" xml:base="{base}/eco/">'
            "<id>depeche</id><title>La Dépêche de l'Est</title><updated>2026-12-03T12:40:00+01:00</updated><entry>"
            f"<id>VQ3KX2ZJ5ZBRPCG4XW6M4OHS7E</id><title>{entry['title']}</title><link rel=\"alternate\" "
            f"href=\"{entry['slug']}/\"/><published>2026-12-03T07:45:00+01:00</published><updated>{entry['updated']}"
            "</updated><summary>Capgemini supprime des postes.</summary></entry></feed>",
            content_type="application/atom+xml")

    for slug in ("capgemini-supprime-300-postes", "capgemini-supprime-350-postes"):
        httpserver.expect_request(f"/eco/{slug}/").respond_with_data(
            story.replace(f"{base}/spip.php?article124", f"{base}/eco/{slug}/"), content_type="text/html")
    httpserver.expect_request("/feed.atom").respond_with_handler(atom)
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    settings = load_settings()
    feeds = local_feeds(httpserver, tmp_path, "/feed.atom", name="D")
    assert ingest(settings, feeds=feeds, progress=False, enricher=enricher).counts["indexed"] == 1
    entry.update(slug="capgemini-supprime-350-postes", title="Capgemini supprime 350 postes à Nancy",
                 updated="2026-12-03T12:40:00+01:00")
    second = ingest(settings, feeds=feeds, progress=False, enricher=enricher)
    assert (second.counts["indexed"], second.counts["known"]) == (0, 1), second.counts
    assert not any("reuses GUIDs" in note for note in second.notes), second.notes
    client = make_client(settings)
    articles = index_names(settings.es_index_prefix)["articles"]
    client.indices.refresh(index=articles)
    assert client.count(index=articles)["count"] == 1


def test_a_page_that_failed_for_a_passing_reason_is_fetched_again_and_replaces_its_feed_summary(
        httpserver, tmp_path, es_url, cleanup, enricher, monkeypatch):
    """A 503 while the site is briefly down used to leave the feed-summary stub for good: the item was known and its
    unchanged feed never read again. Now its feed is read in full on the next runs and the page, once back, replaces
    the stub in place (same id, first_seen_at and analysts' corrections kept)."""
    from pipeline.corrections import set_tone
    from pipeline.ingest import ingest

    monkeypatch.setenv("NEWSROOM_FETCH_RETRIES", "1")
    base = httpserver.url_for("/").rstrip("/")
    ovh = page("spip_article124.html", base).replace(f"{base}/spip.php?article124", f"{base}/cloud/ovh")
    down = {"ovh": True}
    feed = ('<?xml version="1.0"?><rss version="2.0"><channel><title>S</title><item>'
            f"<title>La région Occitanie choisit OVHcloud</title><link>{base}/cloud/ovh</link>"
            "<description>OVHcloud hébergera les données de santé de la région.</description>"
            "<pubDate>Mon, 30 Nov 2026 10:00:00 +0000</pubDate></item></channel></rss>")
    httpserver.expect_request("/feed.xml").respond_with_data(feed, content_type="application/rss+xml",
                                                             headers={"ETag": '"v1"'})
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    httpserver.expect_request("/cloud/ovh").respond_with_handler(
        lambda request: Response("busy", status=503) if down["ovh"] else Response(ovh, content_type="text/html"))
    settings = load_settings()
    feeds = local_feeds(httpserver, tmp_path)
    story = article_id(f"{base}/cloud/ovh")
    client = make_client(settings)
    articles = index_names(settings.es_index_prefix)["articles"]

    first = ingest(settings, feeds=feeds, progress=False, enricher=enricher)
    assert first.counts["indexed"] == 1 and first.fallback_reasons == {"http-503": 1}
    stub = client.get(index=articles, id=story)["_source"]
    assert (stub["extraction"], stub["fallback_reason"]) == ("feed-summary", "http-503")
    set_tone(client, settings, story, "negative", company="OVHcloud", analyst="test")

    # still down: tried again (the unchanged feed is read in full), the stub stays as it was
    pages = sum(1 for r, _ in httpserver.log if r.path == "/cloud/ovh")
    second = ingest(settings, feeds=feeds, progress=False, enricher=enricher)
    assert second.counts["feeds_not_modified"] == 0 and second.counts["unchanged"] == 1
    assert sum(1 for r, _ in httpserver.log if r.path == "/cloud/ovh") > pages

    down["ovh"] = False  # the site is back
    third = ingest(settings, feeds=feeds, progress=False, enricher=enricher)
    assert (third.counts["updated"], third.counts["indexed"], third.fallback_reasons) == (1, 0, {})
    full = client.get(index=articles, id=story)["_source"]
    assert full["extraction"] == "trafilatura" and "fallback_reason" not in full
    assert full["word_count"] > stub["word_count"] and full["first_seen_at"] == stub["first_seen_at"]
    ovh_tone = next(m for m in full["company_sentiment"] if m["company"] == "OVHcloud")
    assert ovh_tone["label"] == "negative" and ovh_tone["corrected"] is True

    # done: the next run uses the feed's validators again and fetches nothing
    pages = sum(1 for r, _ in httpserver.log if r.path == "/cloud/ovh")
    fourth = ingest(settings, feeds=feeds, progress=False, enricher=enricher)
    assert fourth.counts["feeds_not_modified"] == 1
    assert sum(1 for r, _ in httpserver.log if r.path == "/cloud/ovh") == pages


def test_a_page_failed_for_a_passing_reason_is_retried_for_some_days_only():
    from datetime import UTC, datetime, timedelta

    from pipeline.pagetype import TRANSIENT_RETRY_DAYS
    from pipeline.store.indexing import _page_retried

    now = datetime.now(UTC)
    recent, old = now - timedelta(hours=5), now - timedelta(days=TRANSIENT_RETRY_DAYS, hours=1)
    for reason in ("http-503", "http-429", "timeout", "connect", "incomplete", "dns"):
        assert _page_retried({"fallback_reason": reason, "first_seen_at": recent.isoformat()}), reason
        assert not _page_retried({"fallback_reason": reason, "first_seen_at": old.isoformat()}), reason
    for reason in ("http-404", "robots-disallowed", "too-little-text", None):
        assert not _page_retried({"fallback_reason": reason, "first_seen_at": recent.isoformat()}), reason
    assert _page_retried({"fallback_reason": "consent-wall", "first_seen_at": old.isoformat()})


OCCITANIE_TITLES = ("La région Occitanie choisit OVHcloud", "La région Occitanie retient OVHcloud")


def _one_story_site(httpserver, tmp_path) -> tuple[str, str, dict, Path]:
    """A feed of one story (the SPIP page under /cloud/ovh) whose headline, page and availability the test changes
    through the returned dict: `title`, `page`, `down` (the page answers 503)."""
    base = httpserver.url_for("/").rstrip("/")
    v1 = page("spip_article124.html", base).replace(f"{base}/spip.php?article124", f"{base}/cloud/ovh")
    served = {"page": v1, "title": OCCITANIE_TITLES[0], "down": False}

    def rss(request) -> Response:
        return Response('<?xml version="1.0"?><rss version="2.0"><channel><title>S</title><item>'
                        f"<title>{served['title']}</title><link>{base}/cloud/ovh</link><description>OVHcloud."
                        "</description><pubDate>Mon, 30 Nov 2026 10:00:00 +0000</pubDate></item></channel></rss>",
                        content_type="application/rss+xml")

    httpserver.expect_request("/feed.xml").respond_with_handler(rss)
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    httpserver.expect_request("/cloud/ovh").respond_with_handler(
        lambda request: Response("busy", status=503) if served["down"] else Response(served["page"],
                                                                                    content_type="text/html"))
    path = tmp_path / "feeds.yaml"
    path.write_text(json.dumps({"feeds": [{"name": "S", "url": httpserver.url_for("/feed.xml"), "lang": "fr"}]}))
    return base, v1, served, path


def test_a_headline_corrected_over_the_same_text_updates_the_stored_title(httpserver, tmp_path, es_url, cleanup,
                                                                           enricher):
    from pipeline.ingest import ingest

    old, new = OCCITANIE_TITLES
    base, v1, served, path = _one_story_site(httpserver, tmp_path)
    settings = load_settings()
    feeds = load_feeds(path, settings)
    first = ingest(settings, feeds=feeds, progress=False, enricher=enricher)
    assert first.counts["indexed"] == 1
    client = make_client(settings)
    articles = index_names(settings.es_index_prefix)["articles"]
    story = article_id(f"{base}/cloud/ovh")
    assert client.get(index=articles, id=story)["_source"]["title"].startswith(old)

    served["page"], served["title"] = v1.replace(old, new), new  # only the headline changes, page and feed
    second = ingest(settings, feeds=feeds, progress=False, enricher=enricher)
    assert (second.counts["feed_updates"], second.counts["updated"], second.counts["unchanged"]) == (1, 1, 0)
    stored = client.get(index=articles, id=story)["_source"]
    assert stored["title"].startswith(new)
    client.indices.refresh(index=articles)
    hits = client.search(index=articles, query={"match": {"search.fr": "retient"}})["hits"]["hits"]
    assert [h["_id"] for h in hits] == [story]


@pytest.mark.parametrize("relay_first", [True, False])
def test_a_story_listed_by_its_publisher_and_a_relay_is_credited_to_the_publisher_whatever_the_feed_order(
        httpserver, tmp_path, es_url, cleanup, enricher, relay_first):
    from pipeline.ingest import ingest

    base = httpserver.url_for("/").rstrip("/")  # http://localhost:PORT: the relay's host
    site = base.replace("localhost", "127.0.0.1")  # the publisher's host
    story = page("spip_article124.html", site).replace(f"{site}/spip.php?article124", f"{site}/cloud/ovh")

    def rss(name: str, link: str, teaser: str) -> str:
        return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>{name}</title><item>'
                f"<title>La région Occitanie choisit OVHcloud</title><link>{link}</link><description>{teaser}"
                "</description><pubDate>Mon, 30 Nov 2026 10:00:00 +0000</pubDate></item></channel></rss>")

    publisher_teaser = "La région retient l'hébergeur roubaisien pour ses données."
    httpserver.expect_request("/publisher.xml").respond_with_data(rss("Numérique & Territoires",
                                                                      f"{site}/cloud/ovh/amp/", publisher_teaser),
                                                                  content_type="application/rss+xml")
    httpserver.expect_request("/relay.xml").respond_with_data(rss("Relais", f"{site}/cloud/ovh", "Relais."),
                                                              content_type="application/rss+xml")
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    httpserver.expect_request("/cloud/ovh").respond_with_data(story, content_type="text/html")
    httpserver.expect_request("/cloud/ovh/amp/").respond_with_data(story, content_type="text/html")
    publisher = {"name": "Numérique & Territoires", "url": f"{site}/publisher.xml", "lang": "fr", "tags": ["own"]}
    relay = {"name": "Relais", "url": f"{base}/relay.xml", "lang": "fr", "tags": ["relay"]}
    path = tmp_path / "feeds.yaml"
    path.write_text(json.dumps({"feeds": [relay, publisher] if relay_first else [publisher, relay]}))
    settings = load_settings()
    run = ingest(settings, feeds=load_feeds(path, settings), progress=False, enricher=enricher)
    assert (run.counts["indexed"], run.counts["story_copies"]) == (1, 1)
    client = make_client(settings)
    stored = client.get(index=index_names(settings.es_index_prefix)["articles"],
                        id=article_id(f"{site}/cloud/ovh"))["_source"]
    assert (stored["source"], stored["feed_tags"]) == ("Numérique & Territoires", ["own"])
    assert stored["description"] == publisher_teaser  # the page has no meta description: not the relay's "Relais."
    mentions = index_names(settings.es_index_prefix)["mentions"]
    client.indices.refresh(index=mentions)
    assert {h["_source"]["source"] for h in client.search(index=mentions)["hits"]["hits"]} == {
        "Numérique & Territoires"}


def test_an_update_whose_page_failed_for_a_passing_reason_is_tried_again_on_the_next_run(
        httpserver, tmp_path, es_url, cleanup, enricher, monkeypatch):
    from pipeline.ingest import ingest

    monkeypatch.setenv("NEWSROOM_FETCH_RETRIES", "1")
    old, new = OCCITANIE_TITLES
    base, v1, served, path = _one_story_site(httpserver, tmp_path)
    settings = load_settings()
    feeds = load_feeds(path, settings)
    assert ingest(settings, feeds=feeds, progress=False, enricher=enricher).counts["indexed"] == 1

    served.update(page=v1.replace(old, new), title=new, down=True)  # retitled while the site is down
    second = ingest(settings, feeds=feeds, progress=False, enricher=enricher)
    assert second.counts["feed_updates"] == 1 and second.skipped == {"update-not-fetched (http-503)": 1}

    served["down"] = False  # back, the feed unchanged since the last run
    third = ingest(settings, feeds=feeds, progress=False, enricher=enricher)
    assert (third.counts["feed_updates"], third.counts["updated"]) == (1, 1)
    client = make_client(settings)
    stored = client.get(index=index_names(settings.es_index_prefix)["articles"], id=article_id(f"{base}/cloud/ovh"))
    assert stored["_source"]["title"].startswith(new)


def test_a_story_split_over_pages_is_enriched_and_re_enriched_whole(httpserver, tmp_path, es_url, cleanup, enricher):
    """A company named on page 3 only is found at ingest and still there after the weekly re-enrichment, which reads
    the archived first page: that page is only the story's start, so the stored text is used."""
    from pipeline.archive import iter_archive
    from pipeline.ingest import ingest
    from pipeline.reenrich import reenrich_recent

    base = httpserver.url_for("/").rstrip("/")
    filler = " ".join(["Les administrations cherchent des hébergeurs qualifiés pour leurs données sensibles."] * 12)
    texts = {1: "OVHcloud ouvre un centre de données à Roubaix.",
             2: "Scaleway prépare une offre concurrente pour les collectivités.",
             3: "Nvidia fournira les processeurs graphiques du nouveau site."}
    for n, text in texts.items():
        link = f'<link rel="next" href="{base}/dossier/cloud/{n + 1}">' if n < 3 else ""
        httpserver.expect_request(f"/dossier/cloud/{n}" if n > 1 else "/dossier/cloud").respond_with_data(
            f'<html lang="fr"><head><title>Le cloud public en régions</title>{link}</head><body><article>'
            f"<h1>Le cloud public en régions</h1><p>{text}</p><p>{filler}</p></article></body></html>",
            content_type="text/html")
    httpserver.expect_request("/feed.xml").respond_with_data(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>S</title><item><title>Le cloud public en régions'
        f"</title><link>{base}/dossier/cloud</link><description>Dossier.</description>"
        "<pubDate>Mon, 30 Nov 2026 10:00:00 +0000</pubDate></item></channel></rss>", content_type="application/rss+xml")
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    settings = load_settings()
    summary = ingest(settings, feeds=local_feeds(httpserver, tmp_path), progress=False, enricher=enricher)
    assert summary.counts["indexed"] == 1
    assert any("2 further page(s)" in note for note in summary.notes), summary.notes
    client = make_client(settings)
    articles = index_names(settings.es_index_prefix)["articles"]
    story = article_id(f"{base}/dossier/cloud")
    stored = client.get(index=articles, id=story)["_source"]
    assert all(text in stored["text"] for text in texts.values())
    assert {"OVHcloud", "Nvidia"} <= set(stored["orgs"])
    archived = {url for url, *_ in iter_archive(settings.data_dir)}
    assert {f"{base}/dossier/cloud/2", f"{base}/dossier/cloud/3"} <= archived  # every page kept, for re-extraction
    reenrich_recent(settings, days=2, force=True, client=client, enricher=enricher)
    assert "Nvidia" in client.get(index=articles, id=story)["_source"]["orgs"]


def test_an_update_whose_page_shrank_to_a_soft_404_or_a_brief_keeps_the_stored_story(httpserver, tmp_path, es_url,
                                                                                      cleanup, enricher):
    """Hostile sites audit (2026-12-03, #1): the feed re-lists stored stories with new titles and their pages now
    answer 200 with a soft 404 (« Page introuvable »), a consent text without consent-manager markup, or two short
    sentences: each passed as a brief and replaced the stored 500-word text, and the story's mentions were deleted."""
    from pipeline.ingest import ingest
    from pipeline.pagetype import is_brief
    from lxml import html as lxml_html

    base = httpserver.url_for("/").rstrip("/")
    names = ("soft", "consent", "short")
    urls = {name: f"{base}/u/{name}" for name in names}
    full = page("spip_article124.html", base)
    served = {name: full.replace(f"{base}/spip.php?article124", urls[name]) for name in names}
    shrunk = {
        "soft": ("Page introuvable", "Cet article n'existe plus ou a été déplacé. Retournez à la page d'accueil "
                                     "pour lire nos dernières informations."),
        "consent": ("We value your privacy", "We and our partners use cookies. Accept all cookies to continue. "
                                             "Manage preferences."),
        "short": ("OVHcloud", "Lisez notre dossier complet sur le cloud souverain. Abonnez-vous à notre lettre "
                              "hebdomadaire pour suivre le secteur."),
    }
    for name in names:
        httpserver.expect_request(f"/u/{name}").respond_with_handler(
            lambda request, name=name: Response(served[name], content_type="text/html"))
    titles = {name: "La région choisit OVHcloud" for name in names}

    feeds = _live_feed(httpserver, tmp_path, lambda: [(f"{titles[n]} {n}", urls[n], "OVHcloud.") for n in names])
    settings = load_settings()
    client = make_client(settings)
    names_ = index_names(settings.es_index_prefix)

    def stored(name: str) -> dict:
        return client.get(index=names_["articles"], id=article_id(urls[name]))["_source"]

    first = ingest(settings, feeds=feeds, progress=False, enricher=enricher)
    assert first.counts["indexed"] == 3
    before = {name: stored(name) for name in names}
    assert all(doc["word_count"] > 80 and "OVHcloud" in doc["orgs"] for doc in before.values())

    for name, (title, text) in shrunk.items():
        served[name] = (f"<html lang=fr><head><title>{title}</title></head><body><article><h1>{title}</h1>"
                        f"<p>{text}</p></article></body></html>")
        titles[name] = "MAJ La région choisit OVHcloud"
    # the soft 404 and the consent text are no briefs; the short page is one, and the store keeps the longer text
    assert [is_brief(lxml_html.fromstring(served[n]), shrunk[n][1], "OVHcloud.") for n in names] == [False, False, True]
    second = ingest(settings, feeds=feeds, progress=False, enricher=enricher)
    assert second.counts["feed_updates"] == 3
    assert second.counts["kept_page_text"] == 1 and second.counts["updated"] == 0
    client.indices.refresh(index=names_["mentions"])
    for name in names:
        after = stored(name)
        assert (after["text"], after["word_count"]) == (before[name]["text"], before[name]["word_count"]), name
        assert client.count(index=names_["mentions"], query={"term": {"article_id": article_id(urls[name])}})["count"] >= 1


def _error_page(title: str, h1: str, words: int = 200) -> str:
    """A 200 answer that is an error or block page, long enough to pass the article minimum (hostile audit)."""
    links = " ".join(f'<a href="/section/{k}">Rubrique {k}</a>' for k in range(words // 3))
    return (f"<html lang=fr><head><title>{title}</title><meta property='og:type' content='article'></head><body>"
            f"<article><h1>{h1}</h1><p>Nous sommes désolés, un problème est survenu. Vous pouvez consulter nos "
            f"rubriques.</p><p>{links}</p></article></body></html>")


def _story_stored_once(httpserver, tmp_path, enricher, story_url: str):
    """A live feed listing the OVHcloud story (its items editable through the returned `feed`), ingested once; the
    stored story is returned as `before`, with what the test needs to ingest again and read the store."""
    from pipeline.ingest import ingest

    feed = {"items": [("La région choisit OVHcloud", story_url)]}
    feeds = _live_feed(httpserver, tmp_path, lambda: [(t, link, "OVHcloud choisi.") for t, link in feed["items"]])
    settings = load_settings()
    client = make_client(settings)
    articles = index_names(settings.es_index_prefix)["articles"]
    assert ingest(settings, feeds=feeds, progress=False, enricher=enricher).counts["indexed"] == 1
    before = client.get(index=articles, id=article_id(story_url))["_source"]
    return feed, feeds, settings, client, articles, before


@pytest.mark.parametrize("title, h1", [("Oops! Page introuvable | Le Journal", "Oops ! Page introuvable"),
                                       ("Internal Server Error", "Internal Server Error"),
                                       ("Access denied | Cloudflare", "Access denied")])
def test_an_update_whose_page_became_a_long_error_page_keeps_the_stored_story(httpserver, tmp_path, es_url, cleanup,
                                                                             enricher, title, h1):
    """The hostile audit: a feed update whose page now answers 200 with a soft 404, a server error or a block page of
    170–600 words replaced the stored story and deleted its mentions. It is now `update-not-fetched (error-page)`."""
    from pipeline.ingest import ingest

    base = httpserver.url_for("/").rstrip("/")
    story_url = f"{base}/cloud/ovh"
    served = {"page": page("spip_article124.html", base).replace(f"{base}/spip.php?article124", story_url)}
    httpserver.expect_request("/cloud/ovh").respond_with_handler(
        lambda request: Response(served["page"], content_type="text/html"))
    feed, feeds, settings, client, articles, before = _story_stored_once(httpserver, tmp_path, enricher, story_url)
    assert "OVHcloud" in before["orgs"]

    served["page"] = _error_page(title, h1)
    feed["items"] = [("UPDATE La région renonce à OVHcloud", story_url)]
    second = ingest(settings, feeds=feeds, progress=False, enricher=enricher)
    assert second.skipped == {"update-not-fetched (error-page)": 1}
    after = client.get(index=articles, id=article_id(story_url))["_source"]
    assert (after["title"], after["text"], after["orgs"]) == (before["title"], before["text"], before["orgs"])


def test_an_update_redirected_to_the_home_page_keeps_the_stored_story(httpserver, tmp_path, es_url, cleanup, enricher):
    """The hostile audit (tenth round): a story taken down by redirecting its link to the site's home page, a list of
    headlines long enough to pass the article minimum, had its stored text, title and mentions replaced by the home
    page's at its feed update. The update is now `update-not-fetched (redirected-home)`; a first fetch so redirected
    falls back to its feed summary."""
    from pipeline.ingest import ingest

    base = httpserver.url_for("/").rstrip("/")
    story_url, other_url = f"{base}/cloud/ovh", f"{base}/cloud/scaleway"
    served = {"page": page("spip_article124.html", base).replace(f"{base}/spip.php?article124", story_url)}
    httpserver.expect_request("/cloud/ovh").respond_with_handler(
        lambda request: Response(served["page"], content_type="text/html") if served["page"]
        else Response("", status=301, headers={"Location": "/"}))
    httpserver.expect_request("/cloud/scaleway").respond_with_data("", status=302, headers={"Location": f"{base}/"})
    headlines = "".join(f"<li><a href='/story/{k}'>Headline {k}: the region weighs its cloud contracts with Scaleway "
                        f"and OVHcloud</a></li>" for k in range(40))
    httpserver.expect_request("/").respond_with_data(
        f"<html lang=fr><head><title>Le Journal</title></head><body><h1>À la une</h1><ul>{headlines}</ul></body></html>",
        content_type="text/html")
    feed, feeds, settings, client, articles, before = _story_stored_once(httpserver, tmp_path, enricher, story_url)

    served["page"] = ""
    feed["items"] = [("UPDATE La région renonce à OVHcloud", story_url), ("Scaleway au Conseil régional", other_url)]
    second = ingest(settings, feeds=feeds, progress=False, enricher=enricher)
    assert second.skipped == {"update-not-fetched (redirected-home)": 1}
    after = client.get(index=articles, id=article_id(story_url))["_source"]
    assert (after["title"], after["text"], after["orgs"]) == (before["title"], before["text"], before["orgs"])
    other = client.get(index=articles, id=article_id(other_url))["_source"]
    assert (other["extraction"], other["fallback_reason"], other["title"]) == (
        "feed-summary", "redirected-home", "Scaleway au Conseil régional")


@pytest.mark.parametrize("title, h1, error", [
    ("Oops! Page not found | Site", "Oops! Page not found", True),
    ("502 Bad Gateway", "502 Bad Gateway", True),
    ("Le Journal", "Erreur 404 - Page introuvable", True),
    ("Just a moment...", "Just a moment...", True),
    # headlines that only begin like an error
    ("Access denied: why Europe's chip export ban bites | Site", "Access denied: why Europe's chip ban bites", False),
    ("Not found: the missing GPUs of Mistral Compute", "Not found: the missing GPUs", False),
    ("Erreur de calcul chez Atos", "Erreur de calcul chez Atos", False),
])
def test_error_pages_are_told_by_a_whole_heading(title, h1, error):
    import lxml.html

    from pipeline.pagetype import is_error_page

    tree = lxml.html.fromstring(f"<html><head><title>{title}</title></head><body><h1>{h1}</h1><p>Texte.</p></body></html>")
    assert is_error_page(tree) is error


_PAYWALL_TEASERS = {
    # the story's first two paragraphs, then « Il vous reste 80 % » (hostile-input audit, fourth round)
    "opening": lambda p: (f"<p>{p[0]}</p><p>{p[1]}</p><div class='paywall'><p>Il vous reste 80 % de cet article à "
                          "lire. La suite est réservée aux abonnés.</p></div>"),
    # a new standfirst then two later paragraphs: no opening words in common (fifth round)
    "rewritten lead": lambda p: ("<p class='chapo'>Notre analyse : pourquoi le choix de Mistral AI par la région divise "
                                 "les élus, et ce que cela dit de la commande publique.</p>"
                                 f"<p>{p[2]}</p><p>{p[3]}</p><div class='paywall'><p>La suite est réservée aux "
                                 "abonnés.</p></div>"),
}


@pytest.mark.parametrize("teaser_kind", list(_PAYWALL_TEASERS))
def test_an_update_whose_page_became_a_paywall_teaser_of_the_stored_story_keeps_it(httpserver, tmp_path, es_url,
                                                                                   cleanup, enricher, teaser_kind):
    """Hostile-input audit, fourth round: a stored 370-word story whose page became subscriber-only (its first two
    paragraphs, then « Il vous reste 80 % de cet article à lire ») was replaced by that 126-word teaser on the feed's
    next update, and the companies named further on lost their mentions. Fifth round: the rule judged by opening
    words, so a teaser opening with a new standfirst still replaced the story; a page that says it is behind a
    paywall, with less than half the stored words, is a teaser. A real rewrite, without a paywall, still replaces
    the story."""
    from pipeline.ingest import ingest

    base = httpserver.url_for("/").rstrip("/")
    paragraphs = [f"Paragraphe {i}. La région Grand Est a signé avec Mistral AI un contrat de calcul pour ses lycées ; "
                  "les élus de l'opposition dénoncent un choix coûteux et trop rapide, sans appel d'offres européen. "
                  "Le conseil régional répond que le calendrier était imposé par l'État." for i in range(8)]
    paragraphs[6] += " OVHcloud et Scaleway ont protesté auprès de la préfecture."
    full = "".join(f"<p>{p}</p>" for p in paragraphs)
    teaser = _PAYWALL_TEASERS[teaser_kind](paragraphs)
    rewrite = "".join(f"<p>Version corrigée {i}. Le contrat de la région Grand Est avec Mistral AI est suspendu par "
                      "le tribunal administratif, qui demande un appel d'offres.</p>" for i in range(5))
    urls = {name: f"{base}/story/{name}" for name in ("teaser", "rewrite")}
    served = {name: full for name in urls}
    for name in urls:
        httpserver.expect_request(f"/story/{name}").respond_with_handler(lambda request, name=name: Response(
            "<html lang=fr><head><title>Grand Est : le contrat Mistral AI</title><meta property='og:type' "
            f"content='article'></head><body><article><h1>Grand Est : le contrat Mistral AI</h1>{served[name]}"
            "</article></body></html>", content_type="text/html"))
    titles = {name: "Grand Est : le contrat Mistral AI" for name in urls}
    feeds = _live_feed(httpserver, tmp_path, lambda: [(f"{titles[n]} {n}", urls[n], "Mistral AI.") for n in urls])
    settings = load_settings()
    client = make_client(settings)
    names = index_names(settings.es_index_prefix)

    def stored(name: str) -> dict:
        return client.get(index=names["articles"], id=article_id(urls[name]))["_source"]

    assert ingest(settings, feeds=feeds, progress=False, enricher=enricher).counts["indexed"] == 2
    before = stored("teaser")
    assert before["word_count"] > 300 and {"Mistral AI", "OVHcloud", "Scaleway"} <= set(before["orgs"])
    served.update(teaser=teaser, rewrite=rewrite)
    titles.update({name: "MAJ Grand Est : le contrat Mistral AI" for name in urls})
    second = ingest(settings, feeds=feeds, progress=False, enricher=enricher)
    assert second.counts["feed_updates"] == 2
    assert (second.counts["kept_page_text"], second.counts["updated"]) == (1, 1)
    after = stored("teaser")
    assert (after["text"], after["orgs"]) == (before["text"], before["orgs"])
    assert stored("rewrite")["text"].startswith("Version corrigée 0.")
    client.indices.refresh(index=names["mentions"])
    assert client.count(index=names["mentions"], query={"bool": {"filter": [
        {"term": {"article_id": article_id(urls["teaser"])}}, {"term": {"company": "OVHcloud"}}]}})["count"] == 1