"""URL normalisation and article ids (pipeline.urls)."""

from __future__ import annotations

import hashlib

import pytest

from pipeline.urls import article_id, domain_of, normalize_url, resolve_redirect_link, story_url


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("HTTPS://WWW.Example.COM/Article/1.html", "https://www.example.com/Article/1.html"),  # host lowercased, path kept
        ("https://example.com/a.html#comments", "https://example.com/a.html"),
        ("https://example.com/a.html?utm_source=rss&utm_medium=feed&utm_campaign=x", "https://example.com/a.html"),
        ("https://example.com/a.html?fbclid=abc&gclid=def&xtor=RSS-3", "https://example.com/a.html"),
        ("https://example.com/a?id=42&utm_source=x", "https://example.com/a?id=42"),  # meaningful parameters kept
        ("https://example.com/a?b=2&a=1", "https://example.com/a?a=1&b=2"),  # sorted
        ("http://example.com:80/a", "http://example.com/a"),
        ("https://example.com", "https://example.com/"),
        # only known trackers go: ids in value-less keys, ref, cid, eid, uid, source, session… are the page's identity
        ("http://example.com/spip.php?article123", "http://example.com/spip.php?article123"),
        ("https://example.com/news.php?ref=8812&utm_medium=rss", "https://example.com/news.php?ref=8812"),
        ("https://example.com/view?nid=3&cid=9&eid=4&uid=7&session=2", "https://example.com/view?cid=9&eid=4&nid=3&session=2&uid=7"),
        ("https://example.com/a?source=nl&at_medium=x&mc_cid=1&mc_eid=2&_ga=3&ocid=4", "https://example.com/a?source=nl"),
        # an Arc site's placement trackers (`?itid=hp-top-table-main`), the internal and share campaigns: one story
        # listed by its feed with one and by an aggregator with another was stored twice (mini news sites)
        ("https://example.com/2026/12/02/a/?itid=hp-top-table-main_p001_f002&utm_source=rss",
         "https://example.com/2026/12/02/a/"),
        ("https://example.com/a?icid=nav_tech&smid=tw-share&id=7", "https://example.com/a?id=7"),
        ("https://medium.com/@alex/post-7f3c?source=rss----1a2b---4", "https://medium.com/@alex/post-7f3c"),  # `@` kept
        ("https://example.com/caf\u00e9 1.html", "https://example.com/caf%C3%A9%201.html"),
        # RFC 3986 §6.2.2: escaped unreserved characters and dot segments are the same resource; `%2F`, `%26` are not
        ("https://example.com/./x/../%61%7e.html?id=%31", "https://example.com/a~.html?id=1"),
        ("https://example.com//a/b/../c/.", "https://example.com//a/c/"),
        ("https://example.com/a%2Fb%26c?q=%26", "https://example.com/a%2Fb%26c?q=%26"),
    ],
)
def test_normalize_url(raw, expected):
    assert normalize_url(raw) == expected


def test_article_id_is_sha256_of_normalised_url():
    url = "https://www.lemonde.fr/pixels/article/2026/11/20/x.html"
    assert article_id(url) == hashlib.sha256(url.encode()).hexdigest()
    assert article_id(url + "?utm_source=twitter#top") == article_id(url.replace("www.lemonde.fr", "WWW.LEMONDE.FR"))
    assert article_id(url) != article_id(url.replace("x.html", "y.html"))


def test_empty_url_rejected():
    with pytest.raises(ValueError):
        normalize_url("  ")


def test_domain_of():
    assert domain_of("https://www.Lemonde.fr/a") == "lemonde.fr"
    assert domain_of("https://next.ink/feed/") == "next.ink"


def test_google_news_links_resolved_when_the_target_is_in_the_item():
    target = "https://www.lemonde.fr/pixels/article/2024/01/01/x_aaa.html"
    # news.google.com/news/url?url=… style
    assert resolve_redirect_link("https://news.google.com/news/url?sa=t&url=" + target, []) == target
    # old base64 article ids embed the URL
    encoded = "CBMiZ2h0dHBzOi8vd3d3LmxlbW9uZGUuZnIvcGl4ZWxzL2FydGljbGUvMjAyNC8wMS8wMS94X2FhYS5odG1s0gEA"
    assert resolve_redirect_link(f"https://news.google.com/rss/articles/{encoded}?oc=5", []) == target
    # opaque ids: the publisher link found in the item (its summary) is used; a home page is not an article
    opaque = "https://news.google.com/rss/articles/AU_yqLOpaqueToken?oc=5"
    assert resolve_redirect_link(opaque, ["https://www.lemonde.fr", target]) == target
    assert resolve_redirect_link(opaque, ["https://news.google.com/rss/articles/other"]) == opaque
    # other links untouched
    assert resolve_redirect_link(target, ["https://elsewhere.example/a"]) == target


@pytest.mark.parametrize(("fetched", "canonical", "story"), [
    ("https://ex.fr/amp/2026/11/23/mistral.html", "https://ex.fr/2026/11/23/mistral.html",
     "https://ex.fr/2026/11/23/mistral.html"),
    ("https://amp.ex.com/a/story", "https://www.ex.com/a/story", "https://www.ex.com/a/story"),
    ("https://ex.com/a/story/amp/", "https://ex.com/a/story/", "https://ex.com/a/story/"),
    ("https://ex.com/a/story.amp.html", "https://ex.com/a/story.html", "https://ex.com/a/story.html"),
    ("https://m.ex.com/a/story?amp=1", "https://ex.com/a/story", "https://ex.com/a/story"),
    ("https://ex.fr/a/scaleway.html?from=rss", "https://ex.fr/a/scaleway.html", "https://ex.fr/a/scaleway.html"),
    ("http://ex.fr/a/story", "https://ex.fr/a/story", "https://ex.fr/a/story"),
    # WordPress AMP copies of plain permalinks: the story's `p` kept, only the AMP marker dropped
    ("https://ex.fr/?p=102&amp=1", "https://ex.fr/?p=102", "https://ex.fr/?p=102"),
    ("https://ex.fr/index.php?p=102&amp=1", "https://ex.fr/index.php?p=102", "https://ex.fr/index.php?p=102"),
    ("https://ex.fr/article.php?id=7&outputType=amp", "https://ex.fr/article.php?id=7", "https://ex.fr/article.php?id=7"),
    ("https://ex.fr/?amp=1", "https://ex.fr/", None),  # the home page's AMP copy names no story
    ("https://ex.fr/?p=102&amp=1", "https://ex.fr/?p=103", None),
    ("https://ex.fr/article.php?id=12&amp=1", "https://ex.fr/article.php", None),
    # not the same story, or not trusted: the link stays the identity
    ("https://ex.fr/a/story", "https://ex.fr/a/story", None),
    ("https://ex.fr/a/story", "https://ex.fr/", None),  # every page's canonical is the home page
    ("https://ex.fr/a/story", "https://ex.fr/a/other", None),
    ("https://ex.fr/a/story", "https://evil.example/a/story", None),  # another site cannot take the story over
    ("https://ex.fr/a/story", "https://ex.fr.evil.example/a/story", None),
    ("https://ex.fr/a/story", "https://ex.fr:8443/a/story", None),
    ("https://ex.fr/article.php?id=12", "https://ex.fr/article.php", None),  # the parameter is the identity
    ("https://ex.fr/a/story", "https://ex.fr/a/story?page=2", None),
    ("https://ex.fr/a/story", "javascript:alert(1)", None),
    ("https://ex.fr/a/story", None, None),
])
def test_a_canonical_link_names_the_story_only_for_a_copy_of_it_on_the_same_site(fetched, canonical, story):
    assert story_url(fetched, canonical) == story


def test_a_host_is_shown_in_unicode_as_browsers_decide_and_in_punycode_when_it_could_spoof_another():
    from pipeline.urls import ascii_host, display_host, display_url

    for host in ("café.example", "münchen.de", "中国.cn", "россия.рф", "аррӏе.рф", "日本語ドメイン.jp", "مصر.eg",
                 "ελλάδα.gr", "bücher-中文.example"):
        assert display_host(ascii_host(host)) == host, host
    # Latin mixed with Cyrillic or Greek, Cyrillic drawn like Latin under a Latin TLD, a label that does not decode,
    # a script no registry uses for names: as stored
    for host in ("pаypal.com", "аррӏе.com", "gοogle.com", "xn--zz.example", "𓂀.example"):
        assert display_host(ascii_host(host)) == ascii_host(host), host
    assert display_url("https://xn--caf-dma.example:8443/xn--caf-dma?q=1") == "https://café.example:8443/xn--caf-dma?q=1"
