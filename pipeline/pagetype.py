"""Is a fetched page the story at all? Consent and login walls, listing pages (tag, category, author, home), and
short article pages (briefs).

A feed link does not always lead to a story: a cookie-consent gateway answers in its place (by redirect, or with a
200 and a meta refresh), and WordPress feeds list tag, author and home pages beside the posts. Stored as articles,
they credit every company in their partner list or teasers. The checks are conservative: a page with article markup
(og:type article, a NewsArticle-like JSON-LD) is never a listing, and a wall must both be titled like one and read
like one. Measured on ../shared/corpus (86 real article pages): no page flagged (docs/fetching.md).
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from lxml.etree import XPath

from pipeline.urls import resolved_link


# Fallbacks whose page is fetched again when the item is next read (the store does not count them as known, nor
# `fetch` as seen): a wall answered for the story this time; the indexer then replaces the summary with the page.
RETRY_FALLBACKS = frozenset({"consent-wall", "login-wall", "subscription-wall", "error-page", "redirected-home"})
# A page that failed for a reason that passes (the site briefly down: 5xx, 429, a timeout, a connection or DNS error)
# is fetched again on the next runs too, for this many days after the story was first stored from its feed summary;
# its feed is then read in full each run, even unchanged (docs/fetching.md "Failures").
TRANSIENT_RETRY_DAYS = 3


def transient_failure(reason: str | None) -> bool:
    """Whether a page's fallback reason is a failure that may pass on a later run (`http-503`, `http-429`,
    `timeout`, `host-timeouts`, `connect`, `incomplete`, `dns`, `robots-unreachable`: the host's robots.txt
    could not be read, so the page was not asked for, and `retry-after`: the site or page asked not to be asked
    before a time still to come), as opposed to a page that answered (404, robots.txt rules, too little text…)."""
    return bool(reason) and (reason in ("timeout", "host-timeouts", "connect", "incomplete", "dns", "http-429",
                                        "robots-unreachable", "retry-after")
                             or re.fullmatch(r"http-5\d\d", reason) is not None)


class NotTheStory(ValueError):
    """The page is not the story the feed links to; `reason` is the counted reason (`consent-wall`, `login-wall`,
    `not-an-article`)."""

    def __init__(self, reason: str, url: str, follow: str | None = None) -> None:
        super().__init__(f"{url}: {reason}")
        self.reason = reason
        self.follow = follow  # a consent wall's meta refresh to the same page (`?consent=accepted`): worth one try


_RE_NS = {"re": "http://exslt.org/regular-expressions"}
_TITLE = XPath("string(//title)")
_H1 = XPath("//h1")
_OG_TYPE = XPath("//meta[@property='og:type' or @name='og:type']/@content")
_ROBOTS = XPath("//meta[translate(@name, 'ROBOTS', 'robots')='robots' or @name='googlebot']/@content")
_REFRESH = XPath("//meta[translate(@http-equiv, 'REFRESH', 'refresh')='refresh']/@content")
_JSON_LD = XPath("//script[@type='application/ld+json']/text()")
_ARTICLES = XPath("count(//article)")
_TEASER_HEADINGS = XPath("count(//*[self::h2 or self::h3][.//a[@href]])")
_PASSWORD = XPath("count(//input[@type='password'])")
_CONSENT_MARKUP = XPath(
    "count(//*[re:test(@id, 'consent|cookie-?wall|gdpr|didomi|onetrust|sp_message|cmp-', 'i')"
    " or re:test(@class, 'consent|cookie-?wall|gdpr|didomi|onetrust|sp_message|cmp-', 'i')])", namespaces=_RE_NS)
_BODY_CLASS = XPath("string(//body/@class)")

_ARTICLE_TYPES = re.compile(r'"@type"\s*:\s*\[?\s*"(?:News|Report(?:age)?News|Blog|Tech|Opinion|Analysis|Review'
                            r'|Satirical|Scholarly|LiveBlog)?(?:Article|Posting)"')
_COLLECTION_TYPES = re.compile(r'"@type"\s*:\s*\[?\s*"(?:CollectionPage|ItemList|ProfilePage|SearchResultsPage)"')
_CONSENT_TITLE = re.compile(
    r"vie privée|cookies?\b|consentement|\bconsent\b|privacy|confidentialité|\bgdpr\b|\brgpd\b|vos choix"
    r"|your choices|before you continue|avant de continuer|traceurs", re.IGNORECASE)
_CONSENT_WORDS = re.compile(
    r"cookies?|consentement|consent|vie privée|privacy|partenaires|partners|traceurs|trackers|données personnelles"
    r"|personal data|intérêt légitime|legitimate interest|paramétrer|accepter|accept all|tout accepter|refuser",
    re.IGNORECASE)
_LOGIN_TITLE = re.compile(r"\b(?:sign in|log ?in|connexion|connectez-vous|se connecter|identifiez-vous)\b",
                          re.IGNORECASE)
# A publisher's subscription offer that its story's link redirects to (« Cet article est réservé aux abonnés », "Subscribe
# to continue"): titled like an offer, and worded like one (prices, trial, commitment, subscribers)
_SUBSCRIPTION_TITLE = re.compile(
    r"abonnez-vous|^\s*abonnements?\b|offres? d'abonnement|s'abonner|r[ée]serv[ée]e? aux abonn[ée]s|offre d[ée]couverte"
    r"|\bsubscribe\b|^\s*subscriptions?\b|subscription (?:offers?|plans?)|subscribers? only"
    r"|become a (?:member|subscriber)", re.IGNORECASE)
_SUBSCRIPTION_WORDS = re.compile(
    r"abonn[ée]s?\b|abonnez|abonnement|s'abonner|subscri\w+|sans engagement|r[ée]siliable|cancel any ?time"
    r"|free trial|essai gratuit|par mois|per month|/ ?mois\b|/ ?month\b|\d ?€|€ ?\d|\$ ?\d|illimit[ée]|unlimited"
    r"|d[ée]j[àa] abonn|already a (?:subscriber|member)", re.IGNORECASE)
_LISTING_BODY = re.compile(r"(?:^|\s)(?:archive|category|tag|author|home|blog|search|tax-[\w-]+|term-[\w-]+)(?:\s|$)")
_LISTING_PATH = re.compile(r"/(?:tags?|auteurs?|authors?|category|categories|categorie|rubriques?|topics?"
                           r"|mot|archives?)/", re.IGNORECASE)
_SHORT_PAGE_WORDS = 600  # a wall's whole text; any real article page with its menus and footer is longer


def _text_words(tree: Any) -> list[str]:
    body = tree.find(".//body")
    return (body if body is not None else tree).text_content().split()


def has_article_markup(tree: Any) -> bool:
    """og:type article, or a NewsArticle/BlogPosting-like JSON-LD: the page says it is one story."""
    if any(v.strip().lower() == "article" for v in _OG_TYPE(tree)):
        return True
    return any(_ARTICLE_TYPES.search(block) for block in _JSON_LD(tree))


def wall_kind(tree: Any, redirected: bool = False) -> str | None:
    """`consent-wall`, `login-wall` or `subscription-wall` when the page is an interstitial instead of content, else
    None.

    A consent wall is titled like one (« vie privée », « cookies », « consentement », "privacy", "before you
    continue"…, in <title> or <h1>), is short, its text is mostly about cookies and partners, and it is `noindex`,
    refreshes elsewhere, or carries a consent manager's markup. Article markup without `noindex` clears the page:
    a news story about cookies is an article. A subscription wall is the publisher's offer page the story's link
    was `redirected` to (or a `noindex` one), titled and worded like an offer (« Cet article est réservé aux
    abonnés », 1 € le premier mois, sans engagement): stored as the story, its title and pitch were the article."""
    heading = _H1(tree)
    titles = " ".join([_TITLE(tree), *(h.text_content() for h in heading[:2])])
    words = _text_words(tree)
    if len(words) > _SHORT_PAGE_WORDS:
        return None
    noindex = any("noindex" in v.lower() for v in _ROBOTS(tree))
    if has_article_markup(tree) and not noindex:
        return None
    gateway = noindex or bool(_REFRESH(tree)) or _CONSENT_MARKUP(tree) > 0
    if _CONSENT_TITLE.search(titles) and gateway and len(_CONSENT_WORDS.findall(" ".join(words))) >= 3:
        return "consent-wall"
    if _LOGIN_TITLE.search(titles) and _PASSWORD(tree) > 0 and (noindex or len(words) < 200):
        return "login-wall"
    if (_SUBSCRIPTION_TITLE.search(titles) and (redirected or noindex)
            and len(_SUBSCRIPTION_WORDS.findall(" ".join(words))) >= 3):
        return "subscription-wall"
    return None


def is_listing(tree: Any, url: str) -> bool:
    """A page listing several stories (tag, category, author, home page): several teaser blocks, and one of: a
    CollectionPage/ItemList JSON-LD, an archive/home body class (WordPress), a tag/author/category path or
    the site's root. Never a page with article markup."""
    if has_article_markup(tree):
        return False
    teasers = max(_ARTICLES(tree), _TEASER_HEADINGS(tree))
    if teasers < 3:
        return False
    parts = urlsplit(url)
    body_class = _BODY_CLASS(tree)
    if re.search(r"(?:^|\s)single(?:-post)?(?:\s|$)", body_class):
        return False
    # og:type website alone is not enough: some CMSs (Drupal sites in ../shared/corpus) give it to every page
    return (any(_COLLECTION_TYPES.search(block) for block in _JSON_LD(tree))
            or bool(_LISTING_BODY.search(body_class))
            or bool(_LISTING_PATH.search(parts.path + "/"))
            or (not parts.path.strip("/") and not parts.query))


_REFRESH_URL = re.compile(r"^\s*\d*\s*[;,]?\s*url\s*=\s*['\"]?([^'\"]+)", re.IGNORECASE)


def refresh_to_same_page(tree: Any, url: str) -> str | None:
    """The target of a meta refresh that leads back to the same page (same host and path, another query: the
    `?consent=accepted` of a consent gateway), else None."""
    for content in _REFRESH(tree):
        match = _REFRESH_URL.match(content or "")
        if not match:
            continue
        target = resolved_link(url, match.group(1))
        if target is None:
            continue
        here, there = urlsplit(url), urlsplit(target)
        if (there.scheme, there.netloc, there.path) == (here.scheme, here.netloc, here.path) and target != url:
            return target
    return None


# A page answered with a 200 in the story's place that says it is an error, a block or a soft 404: "Oops! Page not
# found | Site", "Internal Server Error", "Access denied | Cloudflare", a traceback. Stored, it replaced the story
# a feed update pointed to and deleted its mentions (hostile audit, pages of 169 and 603 words). Only a whole title
# segment or a whole <h1> counts: "Access denied: why Europe's chip ban bites" is a headline.
_ERROR_HEADING = re.compile(
    r"(?:oops\W*|oups\W*|erreur\W*|error\W*|\d{3}\W*)*(?:(?:erreur|error) \d{3}|\d{3} (?:error|erreur|not found|forbidden)"
    r"|page (?:introuvable|non trouvée|inexistante)|(?:page|article|story|content) not found|not found|introuvable"
    r"|internal server error|erreur (?:interne|serveur|interne du serveur)|service (?:temporarily )?unavailable"
    r"|service indisponible|bad gateway|gateway time-?out|access denied|accès refusé|accès interdit|forbidden"
    r"|you have been blocked|request blocked|requête bloquée|attention required!?|just a moment\W*|un instant\W*"
    r"|too many requests|site (?:en|under) maintenance|maintenance en cours|(?:we'll|we will) be back soon)\W*",
    re.IGNORECASE)
_TITLE_PARTS = re.compile(r"\s+[|–—·-]\s+|\s*[|]\s*")
_TRACEBACK = re.compile(r"Traceback \(most recent call last\)|^\s*at [\w.$]+\([\w.]+:\d+\)|Fatal error: .{0,200} on line \d+"
                        r"|Stack trace:", re.MULTILINE)


def is_error_page(tree: Any) -> bool:
    """The page says it is an error, a block or a missing page (see `_ERROR_HEADING`), or shows a server traceback."""
    parts = [p for p in _TITLE_PARTS.split(_TITLE(tree).replace("’", "'").strip()) if p]
    headings = [h.text_content().replace("’", "'").strip() for h in _H1(tree)[:2]]
    if any(_ERROR_HEADING.fullmatch(text) for text in [*parts, *headings] if text):
        return True
    # a story about a bug may quote a traceback; an article page is not taken for an error page by its text
    return not has_article_markup(tree) and bool(_TRACEBACK.search(" ".join(_text_words(tree)[:3000])))


def _site_root(url: str) -> bool:
    """Whether the URL is a site's home page: no path, no query."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return not parts.path.strip("/") and not parts.query


def check_story_page(tree: Any, url: str, requested: str | None = None) -> None:
    """Raise NotTheStory when the page is a wall, an error page or a listing (the caller counts the reason).
    `requested` is the feed's link, when the page at `url` was reached from it by redirect.

    A story's link redirected to its site's home page (`redirected-home`) is a story taken down or hidden, not the
    story: its feed update replaced the stored text, title and mentions with the home page's headlines
    (hostile-input audit, tenth round); a first fetch falls back to the feed summary."""
    redirected = False
    if requested:
        try:
            redirected = urlsplit(requested).path.rstrip("/") != urlsplit(url).path.rstrip("/")
        except ValueError:
            redirected = True
    kind = wall_kind(tree, redirected)
    if kind:
        raise NotTheStory(kind, url, refresh_to_same_page(tree, url) if kind == "consent-wall" else None)
    if redirected and _site_root(url) and not _site_root(requested or url):
        raise NotTheStory("redirected-home", url)
    if is_error_page(tree):
        raise NotTheStory("error-page", url)
    if is_listing(tree, url):
        raise NotTheStory("not-an-article", url)


def is_article_page(tree: Any) -> bool:
    """A page about one story: article markup, or exactly one <h1> and at most one <article> (a brief's page)."""
    return has_article_markup(tree) or (len(_H1(tree)) == 1 and _ARTICLES(tree) <= 1)


_CANONICAL = XPath("//link[translate(@rel, 'CANONICAL', 'canonical')='canonical']/@href"
                   " | //meta[@property='og:url']/@content")


def declared_canonical(tree: Any) -> str | None:
    """The canonical URL the page itself declares (<link rel=canonical>, else og:url), absolute only; None when the
    page declares none (trafilatura's metadata then reports the fetched URL, which proves nothing)."""
    for value in _CANONICAL(tree):
        value = value.strip()
        if value.startswith(("http://", "https://")):
            return value
    return None


_ACCESS_LOCKED = re.compile(r'"isAccessibleForFree"\s*:\s*"?(?:false|no)\b', re.IGNORECASE)
# Both read in one pass over the page's class and id values and one over its lower-cased text: EXSLT's re:test per
# element and a case-insensitive search took 7 ms a page, now 3 ms (every short page is checked: `is_paywalled`).
_CLASS_AND_ID = XPath("//@class | //@id")
_PAYWALL_MARKUP = re.compile(r"paywall|piano-?offer|premium-content|article-premium|subscribers?-only|abo-?wall",
                             re.IGNORECASE)
_PAYWALL_TEXT = re.compile(  # on lower-cased text
    r"il vous reste \d+ ?%|la suite (?:de cet article )?est réservée|réservée? aux abonnés"
    r"|subscribe to (?:continue|read)"
    r"|(?:for|available to) subscribers only|this (?:article|story) is for subscribers|already a subscriber")
_SENTENCE_END = re.compile(r"[.!?…][»”\")]?(?:\s|$)")
# A soft 404 (a 200 page saying the story is gone) and an unmarked consent page are no briefs: their two sentences
# were stored as the story (hostile sites audit)
_GONE = re.compile(
    r"(?:erreur|error) 404|404 (?:error|erreur|not found)|^\W*404\b|page (?:introuvable|non trouvée|inexistante)"
    r"|page not found|(?:article|contenu|page) (?:introuvable|indisponible)\W*$|(?:cet article|cette page|ce contenu)"
    r" n'existe plus|(?:cet article|cette page|ce contenu) a été (?:supprimée?|retirée?|déplacée?)"
    r"|(?:this|the) (?:article|page|story|content) (?:no longer exists|is no longer available|has been (?:removed|deleted"
    r"|moved)|(?:is )?unavailable)", re.IGNORECASE)
_CONSENT_TEXT = re.compile(  # a page asking for consent: cookies and the reader's choice, both
    r"\bcookies?\b.{0,120}\b(?:accept(?:er|ez)?|tout accepter|accept all|manage (?:your )?preferences|gérer (?:mes|vos|les)"
    r" (?:préférences|choix)|continuer)\b|\b(?:accept(?:er|ez)? (?:tous )?les cookies|accept all cookies)\b", re.IGNORECASE)


_VIDEO_OBJECT = re.compile(r'"@type"\s*:\s*(?:\[[^\]]*)?"VideoObject"')
_ARTICLE_TYPE = re.compile(
    r'"@type"\s*:\s*(?:\[[^\]]*)?"(?:\w*NewsArticle|Article|BlogPosting|LiveBlogPosting|Report)"')
_PLAYER = XPath("count(//video | //iframe[re:test(@src, 'youtube|youtu\\.be|dailymotion|vimeo|player|video', 'i')])",
                namespaces=_RE_NS)


def is_player_page(tree: Any) -> bool:
    """A page made for a video: its JSON-LD describes a VideoObject and no article, or a player is embedded. Its few
    words are a caption, not a brief: the feed's summary stands in (a brief with a video loses nothing by it)."""
    blocks = " ".join(_JSON_LD(tree))
    return bool(_VIDEO_OBJECT.search(blocks) and not _ARTICLE_TYPE.search(blocks)) or _PLAYER(tree) > 0


def is_brief(tree: Any, text: str, summary: str | None) -> bool:
    """A short story page worth keeping although under NEWSROOM_MIN_ARTICLE_WORDS: an article page (see
    `is_article_page`) whose text has at least two sentences and more words than the feed's summary, and no sign of
    a paywall stub (isAccessibleForFree false, paywall markup, « réservé aux abonnés », "subscribe to continue"…):
    the minimum is there for stubs and players, not for « En bref » items. A page saying the story is gone (a soft
    404: « Page introuvable », "has been removed") or asking for cookie consent is none."""
    words = len(text.split())
    if words <= len((summary or "").split()) or len(_SENTENCE_END.findall(text)) < 2:
        return False
    headings = " ".join([_TITLE(tree), *(h.text_content() for h in _H1(tree))]).replace("’", "'")
    opening = text[:200].replace("’", "'")  # the story's own news may say "has been removed" further on
    if _GONE.search(headings.strip()) or _GONE.search(opening) or _CONSENT_TEXT.search(text):
        return False
    if not is_article_page(tree) or is_player_page(tree):
        return False
    return not is_paywalled(tree)


def is_paywalled(tree: Any) -> bool:
    """Whether the page says the story is behind a paywall: isAccessibleForFree false, paywall markup, « réservé aux
    abonnés », "subscribe to continue"… A page that says so and holds far fewer words than the story stored before
    is its teaser, whatever its lead says (store/indexing.py keeps the stored story)."""
    if any(_ACCESS_LOCKED.search(block) for block in _JSON_LD(tree)):
        return True
    if _PAYWALL_MARKUP.search(" ".join(_CLASS_AND_ID(tree))):
        return True
    return bool(_PAYWALL_TEXT.search(" ".join(_text_words(tree)).lower().replace("’", "'")))
